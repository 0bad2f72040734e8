//! Provinces, cities and parks of the demo data set.

use super::sectors::{AI, AUTO, BATTERY, BIO, CHIP, COMM, ENV, EQUIP, INSTR, MATERIAL, MED, POWER};

pub(crate) struct Province {
    /// Two-digit prefix.
    pub prefix: &'static str,
    pub name: &'static str,
    /// Short tag for user names, e.g. `js` in `js-office`.
    pub tag: &'static str,
}

const fn province(prefix: &'static str, name: &'static str, tag: &'static str) -> Province {
    Province { prefix, name, tag }
}

pub(crate) const PROVINCES: &[Province] = &[
    province("11", "北京市", "bj"),
    province("31", "上海市", "sh"),
    province("32", "江苏省", "js"),
    province("33", "浙江省", "zj"),
    province("34", "安徽省", "ah"),
    province("35", "福建省", "fj"),
    province("37", "山东省", "sd"),
    province("41", "河南省", "ha"),
    province("42", "湖北省", "hub"),
    province("43", "湖南省", "hun"),
    province("44", "广东省", "gd"),
    province("51", "四川省", "sc"),
    province("61", "陕西省", "sn"),
];

pub(crate) struct City {
    /// Four-digit prefix of the prefecture.
    pub prefix: &'static str,
    pub name: &'static str,
    /// How the city opens a company name (`深圳市…`, `苏州…`).
    pub firm_prefix: &'static str,
    /// A county-level code used when the region table is not available.
    pub fallback_county: &'static str,
    /// A provincial capital (or a municipality): where banks keep their provincial branch.
    pub capital: bool,
}

const fn city(
    prefix: &'static str,
    name: &'static str,
    firm_prefix: &'static str,
    fallback_county: &'static str,
    capital: bool,
) -> City {
    City {
        prefix,
        name,
        firm_prefix,
        fallback_county,
        capital,
    }
}

pub(crate) const CITIES: &[City] = &[
    city("1101", "北京市", "北京", "110108", true),
    city("3101", "上海市", "上海", "310115", true),
    city("3201", "南京市", "南京", "320111", true),
    city("3202", "无锡市", "无锡", "320214", false),
    city("3204", "常州市", "常州", "320411", false),
    city("3205", "苏州市", "苏州", "320576", false),
    city("3301", "杭州市", "杭州", "330108", true),
    city("3302", "宁波市", "宁波", "330212", false),
    city("3401", "合肥市", "合肥", "340176", true),
    city("3501", "福州市", "福州", "350102", true),
    city("3502", "厦门市", "厦门", "350206", false),
    city("3701", "济南市", "济南", "370176", true),
    city("3702", "青岛市", "青岛", "370212", false),
    city("4101", "郑州市", "郑州", "410172", true),
    city("4201", "武汉市", "武汉", "420111", true),
    city("4301", "长沙市", "长沙", "430104", true),
    city("4401", "广州市", "广州", "440112", true),
    city("4403", "深圳市", "深圳市", "440305", false),
    city("4404", "珠海市", "珠海", "440402", false),
    city("4406", "佛山市", "佛山市", "440606", false),
    city("5101", "成都市", "成都", "510107", true),
    city("6101", "西安市", "西安", "610113", true),
];

pub(crate) struct ParkSpec {
    pub name: &'static str,
    pub city: &'static str,
    /// The county-level code where the park sits.
    pub county: &'static str,
    pub kind: &'static str,
    /// Sectors the park is known for.
    pub sectors: &'static [usize],
    /// Street address of the administrative committee.
    pub address: &'static str,
}

const HIGH_TECH: &str = "national_high_tech_zone";

/// `(city, county)` and `(kind, street)` keep each entry on one line.
const fn park(
    name: &'static str,
    place: (&'static str, &'static str),
    sectors: &'static [usize],
    kind_and_street: (&'static str, &'static str),
) -> ParkSpec {
    ParkSpec {
        name,
        city: place.0,
        county: place.1,
        kind: kind_and_street.0,
        sectors,
        address: kind_and_street.1,
    }
}

pub(crate) const PARKS: &[ParkSpec] = &[
    park(
        "中关村科技园区",
        ("1101", "110108"),
        &[AI, CHIP, BIO, COMM],
        (HIGH_TECH, "中关村大街1号"),
    ),
    park(
        "上海张江高科技园区",
        ("3101", "310115"),
        &[CHIP, BIO, MED, AI],
        (HIGH_TECH, "张江路665号"),
    ),
    park(
        "苏州工业园区",
        ("3205", "320576"),
        &[BIO, CHIP, EQUIP, MATERIAL],
        ("national_economic_zone", "现代大道999号"),
    ),
    park(
        "苏州高新技术产业开发区",
        ("3205", "320505"),
        &[MED, EQUIP, COMM],
        (HIGH_TECH, "狮山路28号"),
    ),
    park(
        "南京高新技术产业开发区",
        ("3201", "320111"),
        &[COMM, AI, BIO, AUTO],
        (HIGH_TECH, "星火路17号"),
    ),
    park(
        "杭州高新技术产业开发区",
        ("3301", "330108"),
        &[AI, COMM, INSTR, MED],
        (HIGH_TECH, "江南大道3850号"),
    ),
    park(
        "杭州未来科技城",
        ("3301", "330110"),
        &[AI, BIO, MED],
        ("other", "文一西路1500号"),
    ),
    park(
        "合肥高新技术产业开发区",
        ("3401", "340176"),
        &[AI, BATTERY, CHIP, POWER],
        (HIGH_TECH, "望江西路860号"),
    ),
    park(
        "济南高新技术产业开发区",
        ("3701", "370176"),
        &[AI, INSTR, MED],
        (HIGH_TECH, "舜华路2000号"),
    ),
    park(
        "郑州高新技术产业开发区",
        ("4101", "410172"),
        &[INSTR, ENV, EQUIP],
        (HIGH_TECH, "翠竹街6号"),
    ),
    park(
        "武汉东湖新技术开发区",
        ("4201", "420111"),
        &[COMM, BIO, INSTR, CHIP],
        (HIGH_TECH, "高新大道777号"),
    ),
    park(
        "长沙高新技术产业开发区",
        ("4301", "430104"),
        &[EQUIP, MATERIAL, AUTO],
        (HIGH_TECH, "麓谷大道658号"),
    ),
    park(
        "广州高新技术产业开发区",
        ("4401", "440112"),
        &[BIO, MATERIAL, ENV, AUTO],
        (HIGH_TECH, "科学大道18号"),
    ),
    park(
        "深圳市高新技术产业园区",
        ("4403", "440305"),
        &[AI, COMM, BATTERY, CHIP, MED],
        (HIGH_TECH, "科技南十二路2号"),
    ),
    park(
        "成都高新技术产业开发区",
        ("5101", "510107"),
        &[CHIP, AI, BIO],
        (HIGH_TECH, "天府大道中段1268号"),
    ),
    park(
        "西安高新技术产业开发区",
        ("6101", "610113"),
        &[CHIP, POWER, EQUIP, INSTR],
        (HIGH_TECH, "锦业路1号"),
    ),
];

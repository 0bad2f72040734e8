//! Provinces, cities and parks of the demo data set, tied to the shipped GB/T 2260 table.

use super::rng::Rng;
use super::sectors::{AI, AUTO, BATTERY, BIO, CHIP, COMM, ENV, EQUIP, INSTR, MATERIAL, MED, POWER};
use ipyun_domain::id::{RegionCode, RegionLevel};
use std::collections::BTreeMap;

pub(crate) struct Province {
    /// Two-digit prefix.
    pub prefix: &'static str,
    pub name: &'static str,
    /// Short tag for user names, e.g. `js` in `js-office`.
    pub tag: &'static str,
}

pub(crate) const PROVINCES: &[Province] = &[
    Province { prefix: "11", name: "北京市", tag: "bj" },
    Province { prefix: "31", name: "上海市", tag: "sh" },
    Province { prefix: "32", name: "江苏省", tag: "js" },
    Province { prefix: "33", name: "浙江省", tag: "zj" },
    Province { prefix: "34", name: "安徽省", tag: "ah" },
    Province { prefix: "35", name: "福建省", tag: "fj" },
    Province { prefix: "37", name: "山东省", tag: "sd" },
    Province { prefix: "41", name: "河南省", tag: "ha" },
    Province { prefix: "42", name: "湖北省", tag: "hub" },
    Province { prefix: "43", name: "湖南省", tag: "hun" },
    Province { prefix: "44", name: "广东省", tag: "gd" },
    Province { prefix: "51", name: "四川省", tag: "sc" },
    Province { prefix: "61", name: "陕西省", tag: "sn" },
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

pub(crate) const CITIES: &[City] = &[
    City { prefix: "1101", name: "北京市", firm_prefix: "北京", fallback_county: "110108", capital: true },
    City { prefix: "3101", name: "上海市", firm_prefix: "上海", fallback_county: "310115", capital: true },
    City { prefix: "3201", name: "南京市", firm_prefix: "南京", fallback_county: "320111", capital: true },
    City { prefix: "3202", name: "无锡市", firm_prefix: "无锡", fallback_county: "320214", capital: false },
    City { prefix: "3204", name: "常州市", firm_prefix: "常州", fallback_county: "320411", capital: false },
    City { prefix: "3205", name: "苏州市", firm_prefix: "苏州", fallback_county: "320576", capital: false },
    City { prefix: "3301", name: "杭州市", firm_prefix: "杭州", fallback_county: "330108", capital: true },
    City { prefix: "3302", name: "宁波市", firm_prefix: "宁波", fallback_county: "330212", capital: false },
    City { prefix: "3401", name: "合肥市", firm_prefix: "合肥", fallback_county: "340176", capital: true },
    City { prefix: "3501", name: "福州市", firm_prefix: "福州", fallback_county: "350102", capital: true },
    City { prefix: "3502", name: "厦门市", firm_prefix: "厦门", fallback_county: "350206", capital: false },
    City { prefix: "3701", name: "济南市", firm_prefix: "济南", fallback_county: "370176", capital: true },
    City { prefix: "3702", name: "青岛市", firm_prefix: "青岛", fallback_county: "370212", capital: false },
    City { prefix: "4101", name: "郑州市", firm_prefix: "郑州", fallback_county: "410172", capital: true },
    City { prefix: "4201", name: "武汉市", firm_prefix: "武汉", fallback_county: "420111", capital: true },
    City { prefix: "4301", name: "长沙市", firm_prefix: "长沙", fallback_county: "430104", capital: true },
    City { prefix: "4401", name: "广州市", firm_prefix: "广州", fallback_county: "440112", capital: true },
    City { prefix: "4403", name: "深圳市", firm_prefix: "深圳市", fallback_county: "440305", capital: false },
    City { prefix: "4406", name: "佛山市", firm_prefix: "佛山市", fallback_county: "440606", capital: false },
    City { prefix: "4419", name: "东莞市", firm_prefix: "东莞市", fallback_county: "441900", capital: false },
    City { prefix: "5101", name: "成都市", firm_prefix: "成都", fallback_county: "510107", capital: true },
    City { prefix: "6101", name: "西安市", firm_prefix: "西安", fallback_county: "610113", capital: true },
];

pub(crate) struct ParkSpec {
    pub name: &'static str,
    pub city: &'static str,
    /// The county-level code where the park sits.
    pub county: &'static str,
    pub kind: &'static str,
    /// Sectors the park is known for.
    pub sectors: &'static [usize],
    pub address: &'static str,
}

const HIGH_TECH: &str = "national_high_tech_zone";

pub(crate) const PARKS: &[ParkSpec] = &[
    ParkSpec { name: "中关村科技园区", city: "1101", county: "110108", kind: HIGH_TECH, sectors: &[AI, CHIP, BIO, COMM], address: "中关村大街1号" },
    ParkSpec { name: "上海张江高科技园区", city: "3101", county: "310115", kind: HIGH_TECH, sectors: &[CHIP, BIO, MED, AI], address: "张江路665号" },
    ParkSpec { name: "苏州工业园区", city: "3205", county: "320576", kind: "national_economic_zone", sectors: &[BIO, CHIP, EQUIP, MATERIAL], address: "现代大道999号" },
    ParkSpec { name: "苏州高新技术产业开发区", city: "3205", county: "320505", kind: HIGH_TECH, sectors: &[MED, EQUIP, COMM], address: "狮山路28号" },
    ParkSpec { name: "南京高新技术产业开发区", city: "3201", county: "320111", kind: HIGH_TECH, sectors: &[COMM, AI, BIO, AUTO], address: "星火路17号" },
    ParkSpec { name: "杭州高新技术产业开发区", city: "3301", county: "330108", kind: HIGH_TECH, sectors: &[AI, COMM, INSTR, MED], address: "江南大道3850号" },
    ParkSpec { name: "杭州未来科技城", city: "3301", county: "330110", kind: "other", sectors: &[AI, BIO, MED], address: "文一西路1500号" },
    ParkSpec { name: "合肥高新技术产业开发区", city: "3401", county: "340176", kind: HIGH_TECH, sectors: &[AI, BATTERY, CHIP, POWER], address: "望江西路860号" },
    ParkSpec { name: "济南高新技术产业开发区", city: "3701", county: "370176", kind: HIGH_TECH, sectors: &[AI, INSTR, MED], address: "舜华路2000号" },
    ParkSpec { name: "郑州高新技术产业开发区", city: "4101", county: "410172", kind: HIGH_TECH, sectors: &[INSTR, ENV, EQUIP], address: "翠竹街6号" },
    ParkSpec { name: "武汉东湖新技术开发区", city: "4201", county: "420111", kind: HIGH_TECH, sectors: &[COMM, BIO, INSTR, CHIP], address: "高新大道777号" },
    ParkSpec { name: "长沙高新技术产业开发区", city: "4301", county: "430104", kind: HIGH_TECH, sectors: &[EQUIP, MATERIAL, AUTO], address: "麓谷大道658号" },
    ParkSpec { name: "广州高新技术产业开发区", city: "4401", county: "440112", kind: HIGH_TECH, sectors: &[BIO, MATERIAL, ENV, AUTO], address: "科学大道18号" },
    ParkSpec { name: "深圳市高新技术产业园区", city: "4403", county: "440305", kind: HIGH_TECH, sectors: &[AI, COMM, BATTERY, CHIP, MED], address: "科技南十二路2号" },
    ParkSpec { name: "成都高新技术产业开发区", city: "5101", county: "510107", kind: HIGH_TECH, sectors: &[CHIP, AI, BIO], address: "天府大道中段1268号" },
    ParkSpec { name: "西安高新技术产业开发区", city: "6101", county: "610113", kind: HIGH_TECH, sectors: &[CHIP, POWER, EQUIP, INSTR], address: "锦业路1号" },
];

pub(crate) fn city(prefix: &str) -> Option<&'static City> {
    CITIES.iter().find(|city| city.prefix == prefix)
}

pub(crate) fn province(prefix: &str) -> Option<&'static Province> {
    PROVINCES.iter().find(|province| province.prefix == prefix.get(..2).unwrap_or(""))
}

/// County-level codes of the shipped region table, grouped by prefecture.
pub(crate) struct Geo {
    counties: BTreeMap<String, Vec<(String, &'static str)>>,
}

impl Geo {
    pub(crate) fn load() -> Geo {
        let mut counties: BTreeMap<String, Vec<(String, &'static str)>> = BTreeMap::new();
        for code in RegionCode::all() {
            if code.level() == RegionLevel::County
                && let Some(prefix) = code.as_str().get(..4)
            {
                counties
                    .entry(prefix.to_string())
                    .or_default()
                    .push((code.as_str().to_string(), code.name()));
            }
        }
        Geo { counties }
    }

    fn of_city(&self, prefix: &str) -> &[(String, &'static str)] {
        self.counties.get(prefix).map(Vec::as_slice).unwrap_or(&[])
    }

    /// `preferred` when the table knows it as a county of `city`, else the city's first county.
    pub(crate) fn county_or_first(&self, city: &City, preferred: &str) -> String {
        let counties = self.of_city(city.prefix);
        if counties.is_empty() {
            return preferred.to_string();
        }
        counties
            .iter()
            .find(|(code, _)| code == preferred)
            .or_else(|| counties.first())
            .map(|(code, _)| code.clone())
            .unwrap_or_else(|| preferred.to_string())
    }

    /// A random county of `city`.
    pub(crate) fn random_county(&self, rng: &mut Rng, city: &City) -> String {
        let counties = self.of_city(city.prefix);
        counties
            .get(rng.below(counties.len()))
            .map(|(code, _)| code.clone())
            .unwrap_or_else(|| city.fallback_county.to_string())
    }

    /// The Chinese name of a county-level code ("" when unknown).
    pub(crate) fn county_name(&self, code: &str) -> &'static str {
        code.get(..4)
            .map(|prefix| self.of_city(prefix))
            .and_then(|counties| counties.iter().find(|(known, _)| known == code))
            .map(|(_, name)| *name)
            .unwrap_or("")
    }

    /// Whether `code` is a county-level code of the shipped table.
    #[cfg(test)]
    pub(crate) fn is_county(&self, code: &str) -> bool {
        code.get(..4)
            .is_some_and(|prefix| self.of_city(prefix).iter().any(|(known, _)| known == code))
    }
}

/// A postal address: province, city, county, road and number.
pub(crate) fn address(rng: &mut Rng, geo: &Geo, county: &str, city: &City, road: &str) -> String {
    let province = province(county).map(|province| province.name).unwrap_or("");
    let head = if province == city.name {
        city.name.to_string()
    } else {
        format!("{province}{}", city.name)
    };
    let county_name = if county.ends_with("00") && county.get(..4) == Some(city.prefix) {
        // A prefecture-level city without districts (e.g. 东莞市): its name is already there.
        ""
    } else {
        geo.county_name(county)
    };
    let number = rng.range(1, 2999);
    let unit = match rng.below(4) {
        0 => String::new(),
        1 => format!("{}号楼", rng.range(1, 30)),
        2 => format!("{}栋{}室", rng.range(1, 20), rng.range(1, 25) * 100 + rng.range(1, 12)),
        _ => format!("{}幢{}层", rng.range(1, 12), rng.range(1, 18)),
    };
    format!("{head}{county_name}{road}{number}号{unit}")
}

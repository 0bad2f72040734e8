//! The fixed institutions: banks, insurers, guarantors, appraisers and service agencies.

use ipyun_domain::party::PartyKind;

/// A named institution at a fixed address.
pub(crate) struct Institution {
    pub kind: PartyKind,
    pub name: &'static str,
    /// The name in everyday use (for display names).
    pub short: &'static str,
    /// Tag for user names (`icbc` in `icbc-loan`).
    pub tag: &'static str,
    pub city: &'static str,
    pub county: &'static str,
    pub street: &'static str,
    pub rating: Option<&'static str>,
}

const fn institution(
    kind: PartyKind,
    name: &'static str,
    short: &'static str,
    tag: &'static str,
    place: (&'static str, &'static str, &'static str),
    rating: Option<&'static str>,
) -> Institution {
    Institution {
        kind,
        name,
        short,
        tag,
        city: place.0,
        county: place.1,
        street: place.2,
        rating,
    }
}

const LENDER: PartyKind = PartyKind::Lender;
const AAA: Option<&str> = Some("AAA");

pub(crate) const LENDERS: [Institution; 8] = [
    institution(
        LENDER,
        "中国工商银行股份有限公司",
        "中国工商银行",
        "icbc",
        ("1101", "110102", "复兴门内大街55号"),
        AAA,
    ),
    institution(
        LENDER,
        "中国建设银行股份有限公司",
        "中国建设银行",
        "ccb",
        ("1101", "110102", "金融大街25号"),
        AAA,
    ),
    institution(
        LENDER,
        "中国银行股份有限公司",
        "中国银行",
        "boc",
        ("1101", "110102", "复兴门内大街1号"),
        AAA,
    ),
    institution(
        LENDER,
        "交通银行股份有限公司",
        "交通银行",
        "bocom",
        ("3101", "310115", "银城中路188号"),
        AAA,
    ),
    institution(
        LENDER,
        "招商银行股份有限公司",
        "招商银行",
        "cmb",
        ("4403", "440304", "深南大道7088号"),
        AAA,
    ),
    institution(
        LENDER,
        "兴业银行股份有限公司",
        "兴业银行",
        "cib",
        ("3501", "350102", "湖东路154号"),
        AAA,
    ),
    institution(
        LENDER,
        "上海浦东发展银行股份有限公司",
        "浦发银行",
        "spdb",
        ("3101", "310101", "中山东一路12号"),
        AAA,
    ),
    institution(
        LENDER,
        "北京银行股份有限公司",
        "北京银行",
        "bjbank",
        ("1101", "110102", "金融大街甲17号"),
        AAA,
    ),
];

/// Banks that keep a provincial branch (`…江苏省分行`) in a provincial capital.
pub(crate) const PROVINCIAL_BRANCH_BANKS: &[&str] = &["icbc", "ccb", "boc", "bocom"];

const INSURER: PartyKind = PartyKind::Insurer;
const GUARANTOR: PartyKind = PartyKind::Guarantor;
const APPRAISER: PartyKind = PartyKind::Appraiser;
const AGENCY: PartyKind = PartyKind::ServiceAgency;

pub(crate) const OTHERS: [Institution; 16] = [
    institution(
        INSURER,
        "中国人民财产保险股份有限公司",
        "人保财险",
        "picc",
        ("1101", "110105", "建国门外大街2号院"),
        AAA,
    ),
    institution(
        INSURER,
        "中国平安财产保险股份有限公司",
        "平安产险",
        "pingan",
        ("4403", "440304", "益田路5033号"),
        AAA,
    ),
    institution(
        INSURER,
        "中国太平洋财产保险股份有限公司",
        "太保产险",
        "cpic",
        ("3101", "310101", "中山南路1号"),
        AAA,
    ),
    institution(
        GUARANTOR,
        "北京中关村科技融资担保有限公司",
        "中关村担保",
        "zgc-guarantee",
        ("1101", "110108", "西三环北路甲2号院"),
        AAA,
    ),
    institution(
        GUARANTOR,
        "深圳市高新投融资担保有限公司",
        "深圳高新投",
        "szhti",
        ("4403", "440304", "深南大道7028号"),
        AAA,
    ),
    institution(
        GUARANTOR,
        "江苏省信用融资担保有限责任公司",
        "江苏信保",
        "js-guarantee",
        ("3201", "320105", "江东中路311号"),
        Some("AA+"),
    ),
    institution(
        APPRAISER,
        "北京华信众合资产评估有限公司",
        "华信众合评估",
        "hxzh-appraisal",
        ("1101", "110105", "东三环中路39号"),
        Some("AA"),
    ),
    institution(
        APPRAISER,
        "江苏中正同仁资产评估有限公司",
        "中正同仁评估",
        "zztr-appraisal",
        ("3201", "320104", "中山南路49号"),
        Some("AA"),
    ),
    institution(
        APPRAISER,
        "深圳市华鹏资产评估有限公司",
        "华鹏评估",
        "hp-appraisal",
        ("4403", "440304", "福华三路168号"),
        Some("A"),
    ),
    institution(
        APPRAISER,
        "湖北中衡资产评估有限公司",
        "中衡评估",
        "zh-appraisal",
        ("4201", "420106", "中北路9号"),
        None,
    ),
    institution(
        AGENCY,
        "北京智汇知识产权代理有限公司",
        "智汇知识产权",
        "zhihui-ip",
        ("1101", "110108", "知春路63号"),
        AAA,
    ),
    institution(
        AGENCY,
        "上海申瑞知识产权代理有限公司",
        "申瑞知识产权",
        "shenrui-ip",
        ("3101", "310115", "碧波路690号"),
        Some("AA"),
    ),
    institution(
        AGENCY,
        "苏州启诚知识产权代理有限公司",
        "启诚知识产权",
        "qicheng-ip",
        ("3205", "320576", "星湖街328号"),
        AAA,
    ),
    institution(
        AGENCY,
        "深圳市鹏达知识产权代理有限公司",
        "鹏达知识产权",
        "pengda-ip",
        ("4403", "440305", "科技中二路19号"),
        Some("AA"),
    ),
    institution(
        AGENCY,
        "杭州华睿知识产权代理有限公司",
        "华睿知识产权",
        "huarui-ip",
        ("3301", "330108", "网商路699号"),
        Some("A"),
    ),
    institution(
        AGENCY,
        "成都天府知识产权代理有限公司",
        "天府知识产权",
        "tianfu-ip",
        ("5101", "510107", "天府大道北段1700号"),
        Some("AA"),
    ),
];

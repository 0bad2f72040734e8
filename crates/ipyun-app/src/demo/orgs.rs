//! The institutions of the demo: IP offices, parks, banks and their branches, insurers,
//! guarantors, appraisers and service agencies.

use super::geo::{self, CITIES, Geo, PARKS, PROVINCES};
use super::people::{mobile, new_uscc, person_name};
use super::rng::Rng;
use ipyun_domain::party::{OfficeLevel, PartyDraft, PartyKind};
use std::collections::{BTreeSet, HashSet};

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
    institution(LENDER, "中国工商银行股份有限公司", "中国工商银行", "icbc", ("1101", "110102", "复兴门内大街55号"), AAA),
    institution(LENDER, "中国建设银行股份有限公司", "中国建设银行", "ccb", ("1101", "110102", "金融大街25号"), AAA),
    institution(LENDER, "中国银行股份有限公司", "中国银行", "boc", ("1101", "110102", "复兴门内大街1号"), AAA),
    institution(LENDER, "交通银行股份有限公司", "交通银行", "bocom", ("3101", "310115", "银城中路188号"), AAA),
    institution(LENDER, "招商银行股份有限公司", "招商银行", "cmb", ("4403", "440304", "深南大道7088号"), AAA),
    institution(LENDER, "兴业银行股份有限公司", "兴业银行", "cib", ("3501", "350102", "湖东路154号"), AAA),
    institution(LENDER, "上海浦东发展银行股份有限公司", "浦发银行", "spdb", ("3101", "310101", "中山东一路12号"), AAA),
    institution(LENDER, "北京银行股份有限公司", "北京银行", "bjbank", ("1101", "110102", "金融大街甲17号"), AAA),
];

/// Banks that keep a provincial branch (`…江苏省分行`) in a provincial capital.
const PROVINCIAL_BRANCH_BANKS: &[&str] = &["icbc", "ccb", "boc", "bocom"];

const INSURER: PartyKind = PartyKind::Insurer;
const GUARANTOR: PartyKind = PartyKind::Guarantor;
const APPRAISER: PartyKind = PartyKind::Appraiser;
const AGENCY: PartyKind = PartyKind::ServiceAgency;

pub(crate) const OTHERS: [Institution; 16] = [
    institution(INSURER, "中国人民财产保险股份有限公司", "人保财险", "picc", ("1101", "110105", "建国门外大街2号院"), AAA),
    institution(INSURER, "中国平安财产保险股份有限公司", "平安产险", "pingan", ("4403", "440304", "益田路5033号"), AAA),
    institution(INSURER, "中国太平洋财产保险股份有限公司", "太保产险", "cpic", ("3101", "310101", "中山南路1号"), AAA),
    institution(GUARANTOR, "北京中关村科技融资担保有限公司", "中关村担保", "zgc-guarantee", ("1101", "110108", "西三环北路甲2号院"), AAA),
    institution(GUARANTOR, "深圳市高新投融资担保有限公司", "深圳高新投", "szhti", ("4403", "440304", "深南大道7028号"), AAA),
    institution(GUARANTOR, "江苏省信用融资担保有限责任公司", "江苏信保", "js-guarantee", ("3201", "320105", "江东中路311号"), Some("AA+")),
    institution(APPRAISER, "北京华信众合资产评估有限公司", "华信众合评估", "hxzh-appraisal", ("1101", "110105", "东三环中路39号"), Some("AA")),
    institution(APPRAISER, "江苏中正同仁资产评估有限公司", "中正同仁评估", "zztr-appraisal", ("3201", "320104", "中山南路49号"), Some("AA")),
    institution(APPRAISER, "深圳市华鹏资产评估有限公司", "华鹏评估", "hp-appraisal", ("4403", "440304", "福华三路168号"), Some("A")),
    institution(APPRAISER, "湖北中衡资产评估有限公司", "中衡评估", "zh-appraisal", ("4201", "420106", "中北路9号"), None),
    institution(AGENCY, "北京智汇知识产权代理有限公司", "智汇知识产权", "zhihui-ip", ("1101", "110108", "知春路63号"), AAA),
    institution(AGENCY, "上海申瑞知识产权代理有限公司", "申瑞知识产权", "shenrui-ip", ("3101", "310115", "碧波路690号"), Some("AA")),
    institution(AGENCY, "苏州启诚知识产权代理有限公司", "启诚知识产权", "qicheng-ip", ("3205", "320576", "星湖街328号"), AAA),
    institution(AGENCY, "深圳市鹏达知识产权代理有限公司", "鹏达知识产权", "pengda-ip", ("4403", "440305", "科技中二路19号"), Some("AA")),
    institution(AGENCY, "杭州华睿知识产权代理有限公司", "华睿知识产权", "huarui-ip", ("3301", "330108", "网商路699号"), Some("A")),
    institution(AGENCY, "成都天府知识产权代理有限公司", "天府知识产权", "tianfu-ip", ("5101", "510107", "天府大道北段1700号"), Some("AA")),
];

fn contact(rng: &mut Rng, draft: &mut PartyDraft) {
    draft.contact_name = Some(person_name(rng));
    draft.contact_phone = Some(mobile(rng));
}

fn located(geo: &Geo, city: &str, county: &str, street: &str) -> (String, String) {
    match geo::city(city) {
        Some(city) => {
            let region = geo.county_or_first(city, county);
            let province = geo::province(&region).map(|province| province.name).unwrap_or("");
            let head = if province == city.name {
                city.name.to_string()
            } else {
                format!("{province}{}", city.name)
            };
            let address = format!("{head}{}{street}", geo.county_name(&region));
            (region, address)
        }
        None => (county.to_string(), street.to_string()),
    }
}

fn fixed_party(rng: &mut Rng, geo: &Geo, usccs: &mut HashSet<String>, item: &Institution) -> PartyDraft {
    let (region, address) = located(geo, item.city, item.county, item.street);
    let mut draft = PartyDraft {
        kind: Some(item.kind.as_str().to_string()),
        name: Some(item.name.to_string()),
        uscc: new_uscc(rng, usccs, "91", &region, false),
        region: Some(region),
        credit_rating: item.rating.map(str::to_string),
        address: Some(address),
        ..PartyDraft::default()
    };
    contact(rng, &mut draft);
    draft
}

pub(crate) fn lenders(rng: &mut Rng, geo: &Geo, usccs: &mut HashSet<String>) -> Vec<PartyDraft> {
    LENDERS.iter().map(|item| fixed_party(rng, geo, usccs, item)).collect()
}

pub(crate) fn others(rng: &mut Rng, geo: &Geo, usccs: &mut HashSet<String>) -> Vec<PartyDraft> {
    OTHERS.iter().map(|item| fixed_party(rng, geo, usccs, item)).collect()
}

/// Four to six branches per bank, in the park cities other than its head office's.
pub(crate) fn branches(rng: &mut Rng, geo: &Geo, usccs: &mut HashSet<String>) -> Vec<(usize, PartyDraft)> {
    let mut park_cities: Vec<&str> = Vec::new();
    for park in PARKS {
        if !park_cities.contains(&park.city) {
            park_cities.push(park.city);
        }
    }
    let mut result = Vec::new();
    for (index, bank) in LENDERS.iter().enumerate() {
        let mut candidates: Vec<&str> = park_cities.iter().copied().filter(|city| *city != bank.city).collect();
        let count = 4 + rng.below(3);
        for _ in 0..count {
            if candidates.is_empty() {
                break;
            }
            let city_prefix = candidates.remove(rng.below(candidates.len()));
            let Some(city) = geo::city(city_prefix) else { continue };
            let province = geo::province(city.prefix);
            let branch = match province {
                Some(province) if city.capital && PROVINCIAL_BRANCH_BANKS.contains(&bank.tag) => {
                    format!("{}分行", province.name)
                }
                _ => format!("{}分行", city.name.trim_end_matches('市')),
            };
            let region = geo.random_county(rng, city);
            let road = rng.pick(super::words::ROADS);
            let mut draft = PartyDraft {
                kind: Some(PartyKind::Lender.as_str().to_string()),
                name: Some(format!("{}{branch}", bank.name)),
                uscc: new_uscc(rng, usccs, "91", &region, false),
                address: Some(geo::address(rng, geo, &region, city, road)),
                region: Some(region),
                credit_rating: bank.rating.map(str::to_string),
                ..PartyDraft::default()
            };
            contact(rng, &mut draft);
            result.push((index, draft));
        }
    }
    result
}

pub(crate) fn parks(rng: &mut Rng, geo: &Geo, usccs: &mut HashSet<String>) -> Vec<PartyDraft> {
    PARKS
        .iter()
        .map(|park| {
            let (region, address) = located(geo, park.city, park.county, park.address);
            let mut draft = PartyDraft {
                kind: Some(PartyKind::Park.as_str().to_string()),
                name: Some(park.name.to_string()),
                // A park is run by its administrative committee: registry 1 (机构编制), category 1 (机关).
                uscc: new_uscc(rng, usccs, "11", &region, false),
                region: Some(region),
                park_kind: Some(park.kind.to_string()),
                address: Some(address),
                ..PartyDraft::default()
            };
            contact(rng, &mut draft);
            draft
        })
        .collect()
}

/// The national office first, then the office of every province in `provinces` (two-digit prefixes).
pub(crate) fn offices(
    rng: &mut Rng,
    geo: &Geo,
    usccs: &mut HashSet<String>,
    provinces: &BTreeSet<String>,
) -> Vec<PartyDraft> {
    let (region, address) = located(geo, "1101", "110108", "西土城路6号");
    let mut national = PartyDraft {
        kind: Some(PartyKind::IpOffice.as_str().to_string()),
        name: Some("国家知识产权局".to_string()),
        uscc: new_uscc(rng, usccs, "11", &region, false),
        region: Some(region),
        office_level: Some(OfficeLevel::National.as_str().to_string()),
        address: Some(address),
        ..PartyDraft::default()
    };
    contact(rng, &mut national);
    let mut offices = vec![national];
    for province in PROVINCES.iter().filter(|province| provinces.contains(province.prefix)) {
        let region = format!("{}0000", province.prefix);
        let capital = CITIES
            .iter()
            .find(|city| city.capital && city.prefix.starts_with(province.prefix));
        let address = match capital {
            Some(city) => {
                let county = geo.random_county(rng, city);
                let road = rng.pick(super::words::ROADS);
                geo::address(rng, geo, &county, city, road)
            }
            None => province.name.to_string(),
        };
        let mut draft = PartyDraft {
            kind: Some(PartyKind::IpOffice.as_str().to_string()),
            name: Some(format!("{}知识产权局", province.name)),
            uscc: new_uscc(rng, usccs, "11", &region, false),
            region: Some(region),
            office_level: Some(OfficeLevel::Provincial.as_str().to_string()),
            address: Some(address),
            ..PartyDraft::default()
        };
        contact(rng, &mut draft);
        offices.push(draft);
    }
    offices
}

//! The 300 enterprises: named, located in (or near) a park, classified and designated.

use super::DemoEnterprise;
use super::geo::{self, CITIES, City, Geo, PARKS};
use super::people::{IndustryTable, mobile, new_uscc, person_name};
use super::rng::Rng;
use super::sectors::{SECTORS, pick};
use super::words::{BRAND_SYLLABLES, ROADS};
use ipyun_domain::party::{PartyDraft, PartyKind, SizeClass};
use std::collections::HashSet;

pub(crate) const ENTERPRISE_COUNT: usize = 300;

/// Brands the syllables could form that belong to well-known companies.
const FAMOUS_BRANDS: &[&str] = &[
    "海康", "恒瑞", "迈瑞", "晶科", "天合", "华海", "康泰", "华天", "信维", "汇川", "科达", "宇通",
    "德赛", "英维", "泰和",
];

/// What the rights generator needs to know about an enterprise.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub name: String,
    pub uscc: String,
    pub sector: usize,
    /// The brand in Chinese (`瑞芯`) and in pinyin (`RUIXIN`), and its initials (`RX`).
    pub brand: String,
    pub brand_pinyin: String,
    pub brand_initials: String,
    /// Two-digit province prefix.
    pub province: String,
    pub founded: i32,
    /// Relative number of rights the enterprise holds.
    pub weight: u32,
}

fn brand(rng: &mut Rng) -> (String, String, String) {
    let length = if rng.chance(250) { 3 } else { 2 };
    let mut picked: Vec<(&str, &str)> = Vec::with_capacity(length);
    while picked.len() < length {
        let syllable = rng.pick(BRAND_SYLLABLES);
        if !picked.iter().any(|(chinese, _)| *chinese == syllable.0) {
            picked.push(syllable);
        }
    }
    let chinese: String = picked.iter().map(|(chinese, _)| *chinese).collect();
    let pinyin: String = picked
        .iter()
        .map(|(_, pinyin)| pinyin.to_ascii_uppercase())
        .collect();
    let initials: String = picked
        .iter()
        .filter_map(|(_, pinyin)| pinyin.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (chinese, pinyin, initials)
}

fn size_class(rng: &mut Rng) -> SizeClass {
    match rng.weighted(&[4, 20, 46, 30]) {
        0 => SizeClass::Large,
        1 => SizeClass::Medium,
        2 => SizeClass::Small,
        _ => SizeClass::Micro,
    }
}

fn founded(rng: &mut Rng, size: SizeClass) -> i32 {
    let (low, high) = match size {
        SizeClass::Large => (1995, 2010),
        SizeClass::Medium => (2003, 2016),
        SizeClass::Small => (2008, 2020),
        SizeClass::Micro => (2013, 2023),
    };
    i32::try_from(rng.range(low, high)).unwrap_or(2015)
}

/// Specialised-SME (专精特新) and little-giant (小巨人) years, both from 2019 on.
fn designations(rng: &mut Rng, size: SizeClass, founded: i32) -> (Option<i32>, Option<i32>) {
    let (specialised_per_mille, giant_per_mille) = match size {
        SizeClass::Large => (0, 0),
        SizeClass::Medium => (450, 380),
        SizeClass::Small => (280, 200),
        SizeClass::Micro => (90, 60),
    };
    let earliest = i64::from((founded + 3).max(2019));
    if earliest > 2025 || !rng.chance(specialised_per_mille) {
        return (None, None);
    }
    let specialised = rng.range(earliest, 2025);
    let giant = rng
        .chance(giant_per_mille)
        .then(|| rng.range(specialised, 2025));
    let year = |value: i64| i32::try_from(value).ok();
    (year(specialised), giant.and_then(year))
}

fn rights_weight(rng: &mut Rng, size: SizeClass, specialised: bool, giant: bool) -> u32 {
    let base: u32 = match size {
        SizeClass::Large => 700,
        SizeClass::Medium => 220,
        SizeClass::Small => 90,
        SizeClass::Micro => 40,
    };
    let spread = u32::try_from(rng.range(50, 150)).unwrap_or(100);
    let mut weight = base * spread / 100;
    if specialised {
        weight = weight * 3 / 2;
    }
    if giant {
        weight *= 2;
    }
    weight.max(1)
}

struct Placement {
    park: Option<usize>,
    city: &'static City,
    county: String,
    sector: usize,
}

fn place(rng: &mut Rng, geo: &Geo, index: usize) -> Option<Placement> {
    // The first enterprises go round the parks so every park has some; then ~80% are in a park.
    let park = if index < 2 * PARKS.len() || rng.chance(780) {
        Some(if index < 2 * PARKS.len() {
            index % PARKS.len()
        } else {
            rng.below(PARKS.len())
        })
    } else {
        None
    };
    match park.and_then(|park| PARKS.get(park).map(|spec| (park, spec))) {
        Some((park, spec)) => {
            let city = geo::city(spec.city)?;
            let county = if rng.chance(700) {
                geo.county_or_first(city, spec.county)
            } else {
                geo.random_county(rng, city)
            };
            let sector = if rng.chance(650) {
                rng.pick(spec.sectors)
            } else {
                rng.below(SECTORS.len())
            };
            Some(Placement {
                park: Some(park),
                city,
                county,
                sector,
            })
        }
        None => {
            let city = CITIES
                .get(rng.below(CITIES.len()))
                .filter(|city| geo.has_counties(city))?;
            let county = geo.random_county(rng, city);
            let sector = rng.below(SECTORS.len());
            Some(Placement {
                park: None,
                city,
                county,
                sector,
            })
        }
    }
}

pub(crate) fn generate(
    rng: &mut Rng,
    geo: &Geo,
    industries: &IndustryTable,
    usccs: &mut HashSet<String>,
) -> (Vec<DemoEnterprise>, Vec<Profile>) {
    let mut enterprises = Vec::with_capacity(ENTERPRISE_COUNT);
    let mut profiles = Vec::with_capacity(ENTERPRISE_COUNT);
    let mut brands: HashSet<String> = HashSet::new();
    let mut attempts = 0;
    while enterprises.len() < ENTERPRISE_COUNT && attempts < 20 * ENTERPRISE_COUNT {
        attempts += 1;
        let Some(placement) = place(rng, geo, enterprises.len()) else {
            continue;
        };
        let Some(sector) = SECTORS.get(placement.sector) else {
            continue;
        };
        let (brand_name, brand_pinyin, brand_initials) = brand(rng);
        if FAMOUS_BRANDS.contains(&brand_name.as_str()) || !brands.insert(brand_name.clone()) {
            continue;
        }
        let size = size_class(rng);
        let founded = founded(rng, size);
        let Some(uscc) = new_uscc(rng, usccs, "91", &placement.county, founded >= 2016) else {
            continue;
        };
        let (specialised, giant) = designations(rng, size, founded);
        let listed = match size {
            SizeClass::Large => 800,
            SizeClass::Medium => 350,
            SizeClass::Small => 50,
            SizeClass::Micro => 0,
        };
        let suffix = if rng.chance(listed) {
            "股份有限公司"
        } else {
            "有限公司"
        };
        let name = format!(
            "{}{brand_name}{}{suffix}",
            placement.city.firm_prefix,
            pick(rng, sector.firm_words)
        );
        let industry = industries.resolve(pick(rng, sector.industries));
        let road = rng.pick(ROADS);
        let draft = PartyDraft {
            kind: Some(PartyKind::Enterprise.as_str().to_string()),
            name: Some(name.clone()),
            uscc: Some(uscc.clone()),
            region: Some(placement.county.clone()),
            industry: Some(industry),
            size_class: Some(size.as_str().to_string()),
            specialised_sme_year: specialised,
            little_giant_year: giant,
            contact_name: Some(person_name(rng)),
            contact_phone: Some(mobile(rng)),
            address: Some(geo::address(
                rng,
                geo,
                &placement.county,
                placement.city,
                road,
            )),
            ..PartyDraft::default()
        };
        profiles.push(Profile {
            name,
            uscc,
            sector: placement.sector,
            brand: brand_name,
            brand_pinyin,
            brand_initials,
            province: placement.county.get(..2).unwrap_or("").to_string(),
            founded,
            weight: rights_weight(rng, size, specialised.is_some(), giant.is_some()),
        });
        enterprises.push(DemoEnterprise {
            draft,
            park: placement.park,
        });
    }
    (enterprises, profiles)
}

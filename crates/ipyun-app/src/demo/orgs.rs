//! The institutions of the demo: IP offices, parks, banks and their branches, insurers,
//! guarantors, appraisers and service agencies.

use super::geo::{self, CITIES, Geo, PARKS, PROVINCES};
use super::institutions::{Institution, LENDERS, OTHERS, PROVINCIAL_BRANCH_BANKS};
use super::people::{mobile, new_uscc, person_name};
use super::rng::Rng;
use ipyun_domain::party::{OfficeLevel, PartyDraft, PartyKind};
use std::collections::{BTreeSet, HashSet};

fn contact(rng: &mut Rng, draft: &mut PartyDraft) {
    draft.contact_name = Some(person_name(rng));
    draft.contact_phone = Some(mobile(rng));
}

fn located(geo: &Geo, city: &str, county: &str, street: &str) -> (String, String) {
    match geo::city(city) {
        Some(city) => {
            let region = geo.county_or_first(city, county);
            let province = geo::province(&region)
                .map(|province| province.name)
                .unwrap_or("");
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

fn fixed_party(
    rng: &mut Rng,
    geo: &Geo,
    usccs: &mut HashSet<String>,
    item: &Institution,
) -> PartyDraft {
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
    LENDERS
        .iter()
        .map(|item| fixed_party(rng, geo, usccs, item))
        .collect()
}

pub(crate) fn others(rng: &mut Rng, geo: &Geo, usccs: &mut HashSet<String>) -> Vec<PartyDraft> {
    OTHERS
        .iter()
        .map(|item| fixed_party(rng, geo, usccs, item))
        .collect()
}

/// Four to six branches per bank, in the park cities other than its head office's.
pub(crate) fn branches(
    rng: &mut Rng,
    geo: &Geo,
    usccs: &mut HashSet<String>,
) -> Vec<(usize, PartyDraft)> {
    let mut park_cities: Vec<&str> = Vec::new();
    for park in PARKS {
        if !park_cities.contains(&park.city) {
            park_cities.push(park.city);
        }
    }
    let mut result = Vec::new();
    for (index, bank) in LENDERS.iter().enumerate() {
        let mut candidates: Vec<&str> = park_cities
            .iter()
            .copied()
            .filter(|city| *city != bank.city)
            .collect();
        let count = 4 + rng.below(3);
        for _ in 0..count {
            if candidates.is_empty() {
                break;
            }
            let city_prefix = candidates.remove(rng.below(candidates.len()));
            let Some(city) = geo::city(city_prefix) else {
                continue;
            };
            let province = geo::province(city.prefix);
            let branch = match province {
                Some(province) if city.capital && PROVINCIAL_BRANCH_BANKS.contains(&bank.tag) => {
                    format!("{}分行", province.name)
                }
                _ => format!("{}分行", city.name.trim_end_matches('市')),
            };
            let region = geo.central_county(rng, city);
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
    for province in PROVINCES
        .iter()
        .filter(|province| provinces.contains(province.prefix))
    {
        let region = format!("{}0000", province.prefix);
        let capital = CITIES
            .iter()
            .find(|city| city.capital && city.prefix.starts_with(province.prefix));
        let address = match capital {
            Some(city) => {
                let county = geo.central_county(rng, city);
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

//! The rights of the demo enterprises: kinds, valid and unique numbers, titles, dates, statuses
//! and holders.

use super::enterprises::Profile;
use super::life::{self, Life};
use super::rng::Rng;
use super::sectors::{BIO, CHIP, MATERIAL, MED, SECTORS, Sector, pick};
use super::titles;
use super::words::UNIVERSITIES;
use chrono::{Datelike, NaiveDate};
use ipyun_domain::id::{
    ApplicationNo, IcLayoutNo, IpcSymbol, NiceClass, SoftwareCopyrightNo, TrademarkRegNo,
};
use ipyun_domain::right::{HolderDraft, RightDraft, RightKind};
use std::collections::HashSet;

/// About how many rights the enterprises hold together.
const TARGET_RIGHTS: u64 = 3300;
const MINIMUM_RIGHTS: usize = 3100;
const LAST_FILING_YEAR: i32 = 2025;

/// How many rights each enterprise holds: in proportion to its weight, at least two.
fn allocation(profiles: &[Profile]) -> Vec<usize> {
    let total: u64 = profiles
        .iter()
        .map(|profile| u64::from(profile.weight))
        .sum::<u64>()
        .max(1);
    let mut counts: Vec<usize> = profiles
        .iter()
        .map(|profile| {
            let share = (TARGET_RIGHTS * u64::from(profile.weight) + total / 2) / total;
            usize::try_from(share).unwrap_or(0).max(2)
        })
        .collect();
    let mut index = 0;
    while !counts.is_empty() && counts.iter().sum::<usize>() < MINIMUM_RIGHTS {
        if let Some(count) = counts.get_mut(index % profiles.len()) {
            *count += 1;
        }
        index += 1;
    }
    counts
}

/// A filing year from `first` to 2025, later years more likely (filings have grown every year).
fn filing_year(rng: &mut Rng, first: i32) -> i32 {
    let first = first.clamp(2008, LAST_FILING_YEAR);
    let weights: Vec<u32> = (first..=LAST_FILING_YEAR)
        .map(|year| u32::try_from(year - 2004).unwrap_or(1))
        .collect();
    first + i32::try_from(rng.weighted(&weights)).unwrap_or(0)
}

fn kind_of(rng: &mut Rng, sector: &Sector) -> RightKind {
    let kind = RightKind::ALL
        .get(rng.weighted(&sector.kind_weights))
        .copied()
        .unwrap_or(RightKind::Invention);
    if kind == RightKind::IcLayout && sector.chips.is_empty() {
        RightKind::Invention
    } else {
        kind
    }
}

fn fresh(taken: &mut HashSet<String>, number: Option<String>) -> Option<String> {
    number.filter(|number| taken.insert(number.clone()))
}

fn patent_number(rng: &mut Rng, kind: RightKind, year: i32) -> Option<String> {
    let (digit, top) = match kind {
        RightKind::Invention => (1, 1_999_999),
        RightKind::UtilityModel => (2, 2_999_999),
        _ => (3, 999_999),
    };
    let body = format!("{year}{digit}{:07}", rng.range(10_000, top));
    ApplicationNo::from_body(&body)
        .ok()
        .map(|number| number.as_str().to_string())
}

/// Trademark numbers grow with the filing year: seven digits until about 2011, eight since.
fn trademark_number(rng: &mut Rng, year: i32) -> Option<String> {
    const FIRST: [i64; 19] = [
        6_500_000, 7_300_000, 8_200_000, 9_300_000, 10_500_000, 12_000_000, 14_000_000, 16_500_000,
        19_500_000, 23_500_000, 29_000_000, 36_000_000, 43_000_000, 52_000_000, 61_000_000,
        67_500_000, 73_000_000, 79_000_000, 85_000_000,
    ];
    let index = usize::try_from(year - 2008).ok()?;
    let low = *FIRST.get(index)?;
    let high = FIRST.get(index + 1).copied().unwrap_or(low + 6_000_000) - 1;
    TrademarkRegNo::parse(&rng.range(low, high).to_string())
        .ok()
        .map(|number| number.as_str().to_string())
}

/// Software copyright registrations: `YYYYSR` and seven digits, numbered within the year.
fn software_number(rng: &mut Rng, year: i32) -> Option<String> {
    let volume = match year {
        ..=2012 => 140_000,
        2013..=2016 => 400_000,
        2017..=2019 => 1_400_000,
        _ => 2_400_000,
    };
    SoftwareCopyrightNo::parse(&format!("{year}SR{:07}", rng.range(1, volume)))
        .ok()
        .map(|number| number.as_str().to_string())
}

/// IC layout-design registrations: `BS.`, the two-digit year, `5` and six digits.
fn ic_layout_number(rng: &mut Rng, year: i32) -> Option<String> {
    IcLayoutNo::parse(&format!(
        "BS.{:02}5{:06}",
        year.rem_euclid(100),
        rng.range(0, 999_999)
    ))
    .ok()
    .map(|number| number.as_str().to_string())
}

fn holder(profile: &Profile, share_bp: Option<u32>) -> HolderDraft {
    HolderDraft {
        name: Some(profile.name.clone()),
        uscc: Some(profile.uscc.clone()),
        share_bp,
    }
}

/// The holders: usually the enterprise alone; sometimes shared with a university or another
/// enterprise, with explicit shares.
fn holders(rng: &mut Rng, profiles: &[Profile], own: usize, kind: RightKind) -> Vec<HolderDraft> {
    let Some(profile) = profiles.get(own) else {
        return Vec::new();
    };
    let shared_per_mille = match kind {
        RightKind::Invention => 150,
        RightKind::UtilityModel | RightKind::Design => 110,
        RightKind::SoftwareCopyright => 60,
        _ => 0,
    };
    if !rng.chance(shared_per_mille) {
        return vec![holder(profile, None)];
    }
    let (own_share, other_share) = rng.pick(&[
        (5000, 5000),
        (6000, 4000),
        (7000, 3000),
        (8000, 2000),
        (5500, 4500),
    ]);
    let research_heavy = [BIO, CHIP, MATERIAL, MED].contains(&profile.sector);
    if rng.chance(if research_heavy { 650 } else { 450 }) {
        let nearby: Vec<&str> = UNIVERSITIES
            .iter()
            .filter(|(province, _)| *province == profile.province)
            .map(|(_, name)| *name)
            .collect();
        let university = if nearby.is_empty() {
            UNIVERSITIES
                .get(rng.below(UNIVERSITIES.len()))
                .map(|(_, name)| *name)
                .unwrap_or("清华大学")
        } else {
            rng.pick(&nearby)
        };
        return vec![
            holder(profile, Some(own_share)),
            HolderDraft {
                name: Some(university.to_string()),
                uscc: None,
                share_bp: Some(other_share),
            },
        ];
    }
    // A partner enterprise, preferably of the same sector.
    let mut partner = None;
    for _ in 0..12 {
        let candidate = rng.below(profiles.len());
        if candidate != own {
            partner = Some(candidate);
            if profiles
                .get(candidate)
                .is_some_and(|other| other.sector == profile.sector)
            {
                break;
            }
        }
    }
    match partner.and_then(|index| profiles.get(index)) {
        Some(other) => vec![
            holder(profile, Some(own_share)),
            holder(other, Some(other_share)),
        ],
        None => vec![holder(profile, None)],
    }
}

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// One right of `profiles[own]`; `None` when no fresh number could be drawn (retried by the caller).
fn right(
    rng: &mut Rng,
    profiles: &[Profile],
    own: usize,
    today: NaiveDate,
    taken: &mut HashSet<String>,
) -> Option<RightDraft> {
    let profile = profiles.get(own)?;
    let sector = SECTORS.get(profile.sector)?;
    let kind = kind_of(rng, sector);
    let first_year = if kind == RightKind::IcLayout {
        profile.founded.max(2012)
    } else {
        profile.founded
    };
    let year = filing_year(rng, first_year);
    let life: Life = match kind {
        RightKind::Invention | RightKind::UtilityModel | RightKind::Design => {
            life::patent(rng, kind, year, today)
        }
        RightKind::Trademark => life::trademark(rng, year, today),
        RightKind::SoftwareCopyright => life::software(rng, year, today),
        RightKind::IcLayout => life::ic_layout(rng, year, today),
    };
    let number = match kind {
        RightKind::Invention | RightKind::UtilityModel | RightKind::Design => {
            patent_number(rng, kind, year)
        }
        RightKind::Trademark => trademark_number(rng, year),
        RightKind::SoftwareCopyright => {
            software_number(rng, life.grant.map_or(year, |registered| registered.year()))
        }
        RightKind::IcLayout => ic_layout_number(rng, year),
    };
    let number = fresh(taken, number)?;
    let title = match kind {
        RightKind::Invention => titles::invention(rng, sector),
        RightKind::UtilityModel => titles::utility_model(rng, sector),
        RightKind::Design => titles::design(rng, sector),
        RightKind::Trademark => titles::trademark(rng, profile),
        RightKind::SoftwareCopyright => titles::software(rng, sector, profile),
        RightKind::IcLayout => titles::ic_layout(rng, sector, profile),
    };
    let ipc_main = matches!(kind, RightKind::Invention | RightKind::UtilityModel)
        .then(|| IpcSymbol::parse(pick(rng, sector.ipc)).ok())
        .flatten()
        .map(|symbol| symbol.as_str().to_string());
    let nice_class = (kind == RightKind::Trademark).then(|| {
        let class = rng.pick(sector.nice).to_string();
        NiceClass::parse(&class).map_or(class, |parsed| parsed.as_str().to_string())
    });
    Some(RightDraft {
        kind: Some(kind.as_str().to_string()),
        number: Some(number),
        title: Some(title),
        filing_date: Some(date_text(life.filing)),
        grant_date: life.grant.map(date_text),
        legal_status: Some(life.status.as_str().to_string()),
        annual_fee_paid_until: life.paid_until.filter(|_| kind.is_patent()).map(date_text),
        nice_class,
        ipc_main,
        renewals: (life.renewals > 0).then_some(life.renewals),
        holders: holders(rng, profiles, own, kind),
    })
}

pub(crate) fn generate(rng: &mut Rng, profiles: &[Profile], today: NaiveDate) -> Vec<RightDraft> {
    let counts = allocation(profiles);
    let mut taken: HashSet<String> = HashSet::new();
    let mut rights = Vec::with_capacity(counts.iter().sum());
    for (own, count) in counts.iter().enumerate() {
        let mut batch: Vec<RightDraft> = Vec::with_capacity(*count);
        let mut attempts = 0;
        while batch.len() < *count && attempts < 10 * count {
            attempts += 1;
            if let Some(right) = right(rng, profiles, own, today, &mut taken) {
                batch.push(right);
            }
        }
        // Oldest first, as a register would list them.
        batch.sort_by(|a, b| {
            a.filing_date
                .cmp(&b.filing_date)
                .then_with(|| a.number.cmp(&b.number))
        });
        rights.extend(batch);
    }
    rights
}

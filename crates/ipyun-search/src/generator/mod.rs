//! A generator of realistic synthetic patents for demos and benchmarks.
//!
//! `generate(count, seed)` yields `count` records, the same ones for the same seed: Chinese titles,
//! abstracts and claims built from the technical vocabulary of 15 IPC fields (`data/vocab.txt`)
//! and sentence templates; valid, unique application numbers with their check digit; applicants
//! from a pool of 8,000 companies, universities and institutes with a heavy head (a few file a lot),
//! sometimes two or three together; inventors; county-level GB/T 2260 regions weighted by
//! province; filing dates 2005 to mid-2025, more in later years; publication, grant and legal status
//! consistent with the dates (as of [`GENERATOR_TODAY`]); skewed citation counts and family sizes.
//! Application numbers stay unique up to 10,000,000 records.

mod jsonl;
mod names;
mod rng;
mod text;
mod vocab;

use std::sync::Arc;

use chrono::{Datelike, Days, NaiveDate};
use ipyun_domain::id::ApplicationNo;
use ipyun_domain::right::LegalStatus;

pub use jsonl::{JsonlError, read_jsonl, write_jsonl};

use crate::doc::{PatentDoc, PatentKind};
use names::{Applicant, ApplicantKind, applicant_pool, person};
use rng::{Rng, mix};
use text::patent_text;
use vocab::FIELDS;

/// The day the generated corpus is "as of": no date in it is later.
pub const GENERATOR_TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2025, 6, 30) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

const FIRST_YEAR: i32 = 2005;

/// Stands in for a field should the vocabulary be empty (a unit test checks that it is not).
static FALLBACK_FIELD: std::sync::LazyLock<vocab::TechField> =
    std::sync::LazyLock::new(vocab::TechField::default);

/// An iterator over generated patents (see the module documentation).
#[derive(Debug, Clone)]
pub struct Generator {
    seed: u64,
    next: u64,
    count: u64,
    pool: Arc<Vec<Applicant>>,
    universities: Arc<Vec<usize>>,
}

/// `count` synthetic patents, deterministic per `seed`.
pub fn generate(count: usize, seed: u64) -> Generator {
    let pool = applicant_pool(seed);
    let universities = pool
        .iter()
        .enumerate()
        .filter(|(_, applicant)| applicant.kind != ApplicantKind::Company)
        .map(|(index, _)| index)
        .collect();
    Generator {
        seed,
        next: 0,
        count: count as u64,
        pool: Arc::new(pool),
        universities: Arc::new(universities),
    }
}

impl Iterator for Generator {
    type Item = PatentDoc;

    fn next(&mut self) -> Option<PatentDoc> {
        if self.next >= self.count {
            return None;
        }
        let index = self.next;
        self.next += 1;
        self.patent(index)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.count - self.next).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Generator {}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_days(Days::new(u64::try_from(days).unwrap_or(0)))
        .unwrap_or(date)
}

impl Generator {
    /// The record at `index`; `None` only if the applicant pool were empty.
    fn patent(&self, index: u64) -> Option<PatentDoc> {
        let mut rng = Rng::new(mix(self.seed, index));
        let pool = &self.pool;
        let first = rng.skewed(pool.len(), 2.5);
        let lead = pool.get(first)?;
        let field_index = if rng.chance(0.75) {
            lead.field
        } else {
            rng.below(FIELDS.len())
        };
        let field = FIELDS.get(field_index).unwrap_or(&FALLBACK_FIELD);
        let kind = match (lead.kind, rng.unit()) {
            (ApplicantKind::Company, draw) if draw < 0.52 => PatentKind::Invention,
            (ApplicantKind::Company, draw) if draw < 0.93 => PatentKind::UtilityModel,
            (ApplicantKind::Company, _) => PatentKind::Design,
            (_, draw) if draw < 0.88 => PatentKind::Invention,
            _ => PatentKind::UtilityModel,
        };

        let mut applicants = vec![lead.name.clone()];
        let co = match rng.unit() {
            draw if draw < 0.04 => 2,
            draw if draw < 0.16 => 1,
            _ => 0,
        };
        for _ in 0..co {
            let university = self
                .universities
                .get(rng.skewed(self.universities.len(), 2.0))
                .copied();
            let other = match university {
                Some(university) if rng.chance(0.5) => university,
                _ => rng.skewed(pool.len(), 2.5),
            };
            if let Some(applicant) = pool.get(other)
                && !applicants.contains(&applicant.name)
            {
                applicants.push(applicant.name.clone());
            }
        }

        let (filing_date, publication_date) = dates(&mut rng, kind);
        let (grant_date, legal_status) = grant(&mut rng, kind, filing_date, publication_date);
        let text = patent_text(&mut rng, field, kind);
        let ipc = if kind == PatentKind::Design {
            Vec::new()
        } else {
            ipc_symbols(&mut rng, field_index)
        };
        let inventors = (0..1 + rng.skewed(if kind == PatentKind::Design { 2 } else { 6 }, 1.6))
            .map(|_| person(&mut rng))
            .collect();
        let kind_digit = match kind {
            PatentKind::Invention => 1,
            PatentKind::UtilityModel => 2,
            PatentKind::Design => 3,
        };
        // A bijection of 0..10^7 (the multiplier is prime to 10): serials never repeat.
        let serial = (index
            .wrapping_mul(7_391_473)
            .wrapping_add(self.seed % 10_000_000))
            % 10_000_000;
        let body = format!("{}{kind_digit}{serial:07}", filing_date.year());
        let application_no = ApplicationNo::from_body(&body)
            .map(|number| number.as_str().to_owned())
            .unwrap_or(body);
        let cited_by = if kind == PatentKind::Invention {
            let age = f64::from((GENERATOR_TODAY.year() - filing_date.year()).max(0));
            let heavy = if rng.chance(0.05) { 8.0 } else { 1.0 };
            (-(1.0 - rng.unit()).ln() * (0.5 + age * 0.4) * heavy) as u32
        } else {
            (-(1.0 - rng.unit()).ln() * 0.6) as u32
        };
        let family_size = if rng.chance(0.82) {
            1
        } else {
            2 + rng.skewed(10, 2.0) as u32
        };
        Some(PatentDoc {
            application_no,
            kind,
            title: text.title,
            abstract_text: text.abstract_text,
            claims: text.claims,
            applicants,
            inventors,
            region_code: lead.region.as_ref().map(|code| code.as_str().to_owned()),
            ipc,
            filing_date,
            publication_date: Some(publication_date),
            grant_date,
            legal_status,
            cited_by,
            family_size,
        })
    }
}

/// Filing date (more filings in later years) and publication date (inventions 6 to 18 months
/// after filing, utility models and designs when granted, 4 to 13 months after).
fn dates(rng: &mut Rng, kind: PatentKind) -> (NaiveDate, NaiveDate) {
    let delay = match kind {
        PatentKind::Invention => rng.between(180, 560),
        _ => rng.between(120, 400),
    };
    let latest = GENERATOR_TODAY
        .checked_sub_days(Days::new(u64::try_from(delay).unwrap_or(0)))
        .unwrap_or(GENERATOR_TODAY);
    let years: Vec<i32> = (FIRST_YEAR..=latest.year()).collect();
    let weights: Vec<f64> = years
        .iter()
        .map(|year| 1.13f64.powi(year - FIRST_YEAR))
        .collect();
    let year = years
        .get(rng.weighted(&weights))
        .copied()
        .unwrap_or(FIRST_YEAR);
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(GENERATOR_TODAY);
    let end = NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or(GENERATOR_TODAY)
        .min(latest);
    let span = (end - start).num_days().max(0);
    let filing = add_days(start, rng.between(0, span));
    (filing, add_days(filing, delay))
}

/// Grant date and legal status as of `GENERATOR_TODAY`.
fn grant(
    rng: &mut Rng,
    kind: PatentKind,
    filing: NaiveDate,
    publication: NaiveDate,
) -> (Option<NaiveDate>, LegalStatus) {
    let grant = match kind {
        PatentKind::Invention => {
            let date = add_days(filing, rng.between(700, 1500));
            (rng.chance(0.62) && date <= GENERATOR_TODAY).then_some(date.max(publication))
        }
        _ => Some(publication),
    };
    let Some(grant_date) = grant else {
        return (None, LegalStatus::NotYetGranted);
    };
    let term_years = match kind {
        PatentKind::Invention => 20,
        PatentKind::UtilityModel => 10,
        PatentKind::Design if filing >= NaiveDate::from_ymd_opt(2021, 6, 1).unwrap_or(filing) => 15,
        PatentKind::Design => 10,
    };
    let expiry = filing
        .checked_add_months(chrono::Months::new(term_years * 12))
        .unwrap_or(filing);
    if expiry <= GENERATOR_TODAY {
        return (grant, LegalStatus::Expired);
    }
    let age = f64::from((GENERATOR_TODAY.year() - grant_date.year()).max(0));
    let lapse_rate = if kind == PatentKind::Invention {
        0.05
    } else {
        0.09
    };
    let status = match rng.unit() {
        draw if draw < (age * lapse_rate).min(0.7) => LegalStatus::LapsedUnpaidFee,
        _ => match rng.below(1000) {
            0..=19 => LegalStatus::LateFeePeriod,
            20..=29 => LegalStatus::Invalidated,
            30..=34 => LegalStatus::InvalidationPending,
            35..=39 => LegalStatus::Preserved,
            40..=41 => LegalStatus::OwnershipDispute,
            _ => LegalStatus::InForce,
        },
    };
    (grant, status)
}

/// A main symbol of the field (the first ones more often), sometimes more of the field and one
/// from another field.
fn ipc_symbols(rng: &mut Rng, field_index: usize) -> Vec<String> {
    let mut symbols: Vec<String> = Vec::new();
    let Some(field) = FIELDS.get(field_index) else {
        return symbols;
    };
    let main = rng.skewed(field.ipc.len(), 1.8);
    symbols.extend(field.ipc.get(main).map(|symbol| (*symbol).to_owned()));
    for _ in 0..rng.skewed(3, 1.5) {
        if let Some(symbol) = rng.pick(&field.ipc)
            && !symbols.iter().any(|known| known == symbol)
        {
            symbols.push((*symbol).to_owned());
        }
    }
    if rng.chance(0.2)
        && let Some(other) = rng.pick(FIELDS.as_slice())
        && let Some(symbol) = rng.pick(&other.ipc)
        && !symbols.iter().any(|known| known == symbol)
    {
        symbols.push((*symbol).to_owned());
    }
    symbols
}

#[cfg(test)]
mod tests;

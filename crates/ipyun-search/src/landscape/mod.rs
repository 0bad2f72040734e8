//! Patent landscape (专利导航) figures over every patent a query matches, from the fast columns
//! in one pass; only the names of the applicants listed are read from stored documents.

mod collector;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::codes::{province_name, subclass_name};
use crate::doc::status_from_code;
use crate::error::SearchError;
use crate::index::SearchIndex;
use crate::query::{compile, parse_query};
use crate::schema::{date_of_day, day_number};
use crate::text::{FastMap, applicant_id};
use collector::{ApplicantStat, LandscapeCollector, Tally};

/// Longest list a landscape may ask for.
pub const MAX_LANDSCAPE_TOP: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LandscapeRequest {
    pub query: String,
    /// The day the figures are for (the caller's clock): the last full year is the year before
    /// it, new entrants filed first within the two years up to it.
    pub as_of: NaiveDate,
    /// Length of the top lists (subclasses, applicants, new entrants, pairs).
    pub top: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCount {
    pub year: i32,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyCount {
    /// The value as a filter takes it (`H01M`, `32`, `in_force`).
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicantTrend {
    pub name: String,
    pub total: u64,
    /// Filings per year (years with filings only), oldest first.
    pub per_year: Vec<YearCount>,
    /// Filings in the last full year.
    pub last_year: u64,
    /// Filings in the year before it.
    pub year_before: u64,
    /// `(last_year - year_before) / year_before`; `None` when `year_before` is 0.
    pub growth: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEntrant {
    pub name: String,
    pub first_filing: NaiveDate,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantPair {
    pub first: String,
    pub second: String,
    /// Patents naming both.
    pub count: u64,
}

/// Landscape figures. Lists of applicants and pairs are ordered by count, largest first (ties in
/// a stable but unspecified order); a patent counts in each of its IPC subclasses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Landscape {
    pub total: u64,
    pub as_of: NaiveDate,
    pub last_full_year: i32,
    /// Oldest first.
    pub filings_per_year: Vec<YearCount>,
    pub ipc_subclasses: Vec<KeyCount>,
    /// Distinct applicants in the result set.
    pub applicant_count: u64,
    pub top_applicants: Vec<ApplicantTrend>,
    /// Applicants whose first filing in the result set is on or after `as_of` minus two years.
    pub new_entrant_count: u64,
    pub new_entrants: Vec<NewEntrant>,
    /// By province (first two digits of the region code), largest first.
    pub provinces: Vec<KeyCount>,
    pub legal_status: Vec<KeyCount>,
    pub co_applicants: Vec<ApplicantPair>,
    /// Patents with a grant date.
    pub granted: u64,
    /// `granted / total` (0 for an empty result).
    pub grant_share: f64,
}

fn by_count(counts: impl Iterator<Item = (String, Option<String>, u64)>) -> Vec<KeyCount> {
    let mut list: Vec<KeyCount> = counts
        .filter(|(_, _, count)| *count > 0)
        .map(|(key, label, count)| KeyCount { key, label, count })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    list
}

/// Reads applicants' names from the documents that name them.
struct NameBook<'a> {
    searcher: &'a Searcher,
    field: tantivy::schema::Field,
    names: FastMap<u64, String>,
}

impl NameBook<'_> {
    fn name(&mut self, id: u64, address: DocAddress) -> Result<String, SearchError> {
        if let Some(name) = self.names.get(&id) {
            return Ok(name.clone());
        }
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let name = doc
            .get_all(self.field)
            .filter_map(|value| value.as_str())
            .find(|name| applicant_id(name) == id)
            .unwrap_or_default()
            .to_owned();
        self.names.insert(id, name.clone());
        Ok(name)
    }
}

/// The `top` entries by count (then id, for a stable order).
fn top_by<T>(items: impl Iterator<Item = T>, top: usize, key: impl Fn(&T) -> (u64, u64)) -> Vec<T> {
    let mut items: Vec<T> = items.collect();
    items.sort_by(|a, b| {
        let (count_a, id_a) = key(a);
        let (count_b, id_b) = key(b);
        count_b.cmp(&count_a).then(id_a.cmp(&id_b))
    });
    items.truncate(top);
    items
}

impl SearchIndex {
    /// Landscape figures over every patent the query matches.
    pub fn landscape(&self, request: &LandscapeRequest) -> Result<Landscape, SearchError> {
        if request.top > MAX_LANDSCAPE_TOP {
            return Err(SearchError::bad_request(
                "top",
                format!(
                    "landscape lists may have {MAX_LANDSCAPE_TOP} entries at most, asked for {}",
                    request.top
                ),
            ));
        }
        let parsed = parse_query(&request.query)?;
        let query = compile(&parsed.root, &self.fields);
        let searcher = self.reader.searcher();
        let tally = self.collect(&searcher, &*query, &LandscapeCollector)?;
        let mut book = NameBook {
            searcher: &searcher,
            field: self.fields.applicants,
            names: FastMap::default(),
        };
        assemble(tally, request, &mut book)
    }
}

fn assemble(
    tally: Tally,
    request: &LandscapeRequest,
    book: &mut NameBook<'_>,
) -> Result<Landscape, SearchError> {
    let top = request.top;
    let last_full_year = request.as_of.year() - 1;
    let last = u16::try_from(last_full_year).unwrap_or(0);
    let before = last.saturating_sub(1);
    let cutoff = day_number(
        request
            .as_of
            .checked_sub_months(Months::new(24))
            .unwrap_or(request.as_of),
    );

    let mut filings_per_year: Vec<YearCount> = tally
        .years
        .iter()
        .map(|(year, count)| YearCount {
            year: i32::from(*year),
            count: *count,
        })
        .collect();
    filings_per_year.sort_by_key(|entry| entry.year);

    let mut ipc_subclasses = by_count(
        tally
            .subclasses
            .iter()
            .enumerate()
            .map(|(code, count)| (subclass_name(code as u64), None, *count)),
    );
    ipc_subclasses.truncate(top);

    let mut top_applicants = Vec::new();
    for (id, stat) in top_by(tally.applicants.iter(), top, |(id, stat)| {
        (stat.total, **id)
    }) {
        top_applicants.push(trend(book.name(*id, stat.address)?, stat, last, before));
    }

    let entrants = tally
        .applicants
        .iter()
        .filter(|(_, stat)| stat.first_day >= cutoff);
    let new_entrant_count = entrants.clone().count() as u64;
    let mut new_entrants = Vec::new();
    for (id, stat) in top_by(entrants, top, |(id, stat)| (stat.total, **id)) {
        new_entrants.push(NewEntrant {
            name: book.name(*id, stat.address)?,
            first_filing: date_of_day(stat.first_day).unwrap_or(request.as_of),
            total: stat.total,
        });
    }

    let mut co_applicants = Vec::new();
    for ((first, second), count) in top_by(tally.pairs.iter(), top, |((first, _), count)| {
        (**count, *first)
    }) {
        let address = |id: &u64| tally.applicants.get(id).map(|stat| stat.address);
        let (Some(first_at), Some(second_at)) = (address(first), address(second)) else {
            continue;
        };
        co_applicants.push(ApplicantPair {
            first: book.name(*first, first_at)?,
            second: book.name(*second, second_at)?,
            count: *count,
        });
    }

    Ok(Landscape {
        total: tally.total,
        as_of: request.as_of,
        last_full_year,
        filings_per_year,
        ipc_subclasses,
        applicant_count: tally.applicants.len() as u64,
        top_applicants,
        new_entrant_count,
        new_entrants,
        provinces: by_count(tally.provinces.iter().enumerate().map(|(number, count)| {
            (
                format!("{number:02}"),
                province_name(number as u64).map(str::to_owned),
                *count,
            )
        })),
        legal_status: by_count(
            tally
                .statuses
                .iter()
                .enumerate()
                .filter_map(|(code, count)| {
                    status_from_code(code as u64)
                        .map(|status| (status.as_str().to_owned(), None, *count))
                }),
        ),
        co_applicants,
        granted: tally.granted,
        grant_share: if tally.total == 0 {
            0.0
        } else {
            tally.granted as f64 / tally.total as f64
        },
    })
}

fn trend(name: String, stat: &ApplicantStat, last: u16, before: u16) -> ApplicantTrend {
    let mut per_year: Vec<YearCount> = stat
        .years
        .iter()
        .map(|(year, count)| YearCount {
            year: i32::from(*year),
            count: *count,
        })
        .collect();
    per_year.sort_by_key(|entry| entry.year);
    let last_year = stat.in_year(last);
    let year_before = stat.in_year(before);
    ApplicantTrend {
        name,
        total: stat.total,
        per_year,
        last_year,
        year_before,
        growth: (year_before > 0)
            .then(|| (last_year as f64 - year_before as f64) / year_before as f64),
    }
}

//! Landscape figures equal brute-force computations over the same records.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate};
use ipyun_search::generator::GENERATOR_TODAY;
use ipyun_search::{LandscapeRequest, PatentDoc};

use crate::fixture::{applicants, corpus, subclasses};

#[derive(Default, Debug)]
struct Stat {
    total: u64,
    first: Option<NaiveDate>,
    years: BTreeMap<i32, u64>,
}

fn check(query: &str, keep: impl Fn(&PatentDoc) -> bool) {
    let corpus = corpus();
    let top = 10;
    let as_of = GENERATOR_TODAY;
    let landscape = corpus
        .index
        .landscape(&LandscapeRequest {
            query: query.to_owned(),
            as_of,
            top,
        })
        .unwrap();
    let docs: Vec<&PatentDoc> = corpus.docs.iter().filter(|doc| keep(doc)).collect();
    assert_eq!(landscape.total, docs.len() as u64, "{query}");
    assert_eq!(landscape.last_full_year, as_of.year() - 1);

    let mut years: BTreeMap<i32, u64> = BTreeMap::new();
    for doc in &docs {
        *years.entry(doc.filing_date.year()).or_insert(0) += 1;
    }
    let got: Vec<(i32, u64)> = landscape
        .filings_per_year
        .iter()
        .map(|y| (y.year, y.count))
        .collect();
    assert_eq!(got, years.into_iter().collect::<Vec<_>>(), "{query} years");

    let sorted = |counts: BTreeMap<String, u64>| {
        let mut list: Vec<(String, u64)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    };
    let mut subclass_counts = BTreeMap::new();
    let mut provinces = BTreeMap::new();
    let mut statuses = BTreeMap::new();
    for doc in &docs {
        for subclass in subclasses(doc) {
            *subclass_counts.entry(subclass).or_insert(0) += 1;
        }
        if let Some(code) = &doc.region_code {
            *provinces.entry(code[..2].to_owned()).or_insert(0) += 1;
        }
        *statuses
            .entry(doc.legal_status.as_str().to_owned())
            .or_insert(0) += 1;
    }
    let mut expected_subclasses = sorted(subclass_counts);
    expected_subclasses.truncate(top);
    let pairs = |list: &[ipyun_search::KeyCount]| -> Vec<(String, u64)> {
        list.iter()
            .map(|entry| (entry.key.clone(), entry.count))
            .collect()
    };
    assert_eq!(
        pairs(&landscape.ipc_subclasses),
        expected_subclasses,
        "{query} ipc"
    );
    assert_eq!(
        pairs(&landscape.provinces),
        sorted(provinces),
        "{query} provinces"
    );
    assert_eq!(
        pairs(&landscape.legal_status),
        sorted(statuses),
        "{query} status"
    );

    let granted = docs.iter().filter(|doc| doc.grant_date.is_some()).count() as u64;
    assert_eq!(landscape.granted, granted);
    assert!((landscape.grant_share - granted as f64 / docs.len().max(1) as f64).abs() < 1e-12);

    // Applicants: totals, first filings, years; pairs.
    let mut stats: BTreeMap<String, Stat> = BTreeMap::new();
    let mut pair_counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for doc in &docs {
        let names = applicants(doc);
        for name in &names {
            let stat = stats.entry(name.clone()).or_default();
            stat.total += 1;
            stat.first = Some(
                stat.first
                    .map_or(doc.filing_date, |first| first.min(doc.filing_date)),
            );
            *stat.years.entry(doc.filing_date.year()).or_insert(0) += 1;
        }
        let names: Vec<&String> = names.iter().collect();
        for (index, first) in names.iter().enumerate() {
            for second in &names[index + 1..] {
                *pair_counts
                    .entry(((*first).clone(), (*second).clone()))
                    .or_insert(0) += 1;
            }
        }
    }
    assert_eq!(
        landscape.applicant_count,
        stats.len() as u64,
        "{query} applicants"
    );
    let top_totals = |mut totals: Vec<u64>| {
        totals.sort_unstable_by(|a, b| b.cmp(a));
        totals.truncate(top);
        totals
    };
    let listed: Vec<u64> = landscape.top_applicants.iter().map(|a| a.total).collect();
    assert_eq!(
        listed,
        top_totals(stats.values().map(|s| s.total).collect()),
        "{query} top applicants"
    );
    let last = as_of.year() - 1;
    for trend in &landscape.top_applicants {
        let stat = &stats[&trend.name];
        assert_eq!(trend.total, stat.total);
        let years: Vec<(i32, u64)> = trend.per_year.iter().map(|y| (y.year, y.count)).collect();
        assert_eq!(
            years,
            stat.years.iter().map(|(y, c)| (*y, *c)).collect::<Vec<_>>(),
            "{}",
            trend.name
        );
        let in_year = |year| stat.years.get(&year).copied().unwrap_or(0);
        assert_eq!(
            (trend.last_year, trend.year_before),
            (in_year(last), in_year(last - 1))
        );
        let growth = (in_year(last - 1) > 0)
            .then(|| (in_year(last) as f64 - in_year(last - 1) as f64) / in_year(last - 1) as f64);
        assert_eq!(trend.growth, growth);
    }

    let cutoff = as_of.checked_sub_months(Months::new(24)).unwrap();
    let entrants: Vec<(&String, &Stat)> = stats
        .iter()
        .filter(|(_, s)| s.first.unwrap() >= cutoff)
        .collect();
    assert_eq!(
        landscape.new_entrant_count,
        entrants.len() as u64,
        "{query} entrants"
    );
    let listed: Vec<u64> = landscape.new_entrants.iter().map(|e| e.total).collect();
    assert_eq!(
        listed,
        top_totals(entrants.iter().map(|(_, s)| s.total).collect())
    );
    for entrant in &landscape.new_entrants {
        let stat = &stats[&entrant.name];
        assert_eq!(
            (Some(entrant.first_filing), entrant.total),
            (stat.first, stat.total)
        );
    }

    let listed: Vec<u64> = landscape.co_applicants.iter().map(|p| p.count).collect();
    assert_eq!(
        listed,
        top_totals(pair_counts.values().copied().collect()),
        "{query} pairs"
    );
    let names: BTreeSet<(String, String)> = landscape
        .co_applicants
        .iter()
        .map(|p| {
            if p.first < p.second {
                (p.first.clone(), p.second.clone())
            } else {
                (p.second.clone(), p.first.clone())
            }
        })
        .collect();
    for pair in &landscape.co_applicants {
        let key = if pair.first < pair.second {
            (pair.first.clone(), pair.second.clone())
        } else {
            (pair.second.clone(), pair.first.clone())
        };
        assert_eq!(pair_counts.get(&key), Some(&pair.count), "{key:?}");
    }
    assert_eq!(names.len(), landscape.co_applicants.len());
}

#[test]
fn landscape_equals_brute_force_over_everything() {
    check("*", |_| true);
}

#[test]
fn landscape_equals_brute_force_over_a_query() {
    check("ipc:G06N OR ipc:G06F OR ipc:H04L", |doc| {
        let subclasses = subclasses(doc);
        ["G06N", "G06F", "H04L"]
            .iter()
            .any(|s| subclasses.contains(*s))
    });
    check("kind:invention region:32", |doc| {
        doc.kind == ipyun_search::PatentKind::Invention
            && doc
                .region_code
                .as_deref()
                .is_some_and(|c| c.starts_with("32"))
    });
}

#[test]
fn landscape_of_nothing_is_empty() {
    let landscape = corpus()
        .index
        .landscape(&LandscapeRequest {
            query: "\"不存在的字符串甲乙丙\"".to_owned(),
            as_of: GENERATOR_TODAY,
            top: 5,
        })
        .unwrap();
    assert_eq!(landscape.total, 0);
    assert!(landscape.top_applicants.is_empty() && landscape.filings_per_year.is_empty());
    assert_eq!(landscape.grant_share, 0.0);
    let json = serde_json::to_string(&landscape).unwrap();
    assert!(json.contains("\"grant_share\""));
}

//! Facet counts equal brute-force counts over the same records.

use std::collections::BTreeMap;

use ipyun_search::{FACET_TOP_IPC, FacetCount, PatentDoc, SearchRequest, normalize};

use crate::fixture::{corpus, segments, subclasses};

/// Counts by value, listed as the facets list them: largest first, then by value.
fn listed(counts: BTreeMap<String, u64>, top: usize) -> Vec<(String, u64)> {
    let mut list: Vec<(String, u64)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(top);
    list
}

fn pairs(facet: &[FacetCount]) -> Vec<(String, u64)> {
    facet
        .iter()
        .map(|count| (count.value.clone(), count.count))
        .collect()
}

fn count_by<'a>(
    docs: &[&'a PatentDoc],
    values: impl Fn(&'a PatentDoc) -> Vec<String>,
) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for doc in docs {
        for value in values(doc) {
            *counts.entry(value).or_insert(0) += 1;
        }
    }
    counts
}

type Keep = Box<dyn Fn(&PatentDoc) -> bool>;

#[test]
fn facet_counts_equal_brute_force_counts() {
    let corpus = corpus();
    let cases: Vec<(&str, Keep)> = vec![
        ("*", Box::new(|_| true)),
        (
            "ipc:H01M OR ipc:G06N",
            Box::new(|doc| {
                let subclasses = subclasses(doc);
                subclasses.contains("H01M") || subclasses.contains("G06N")
            }),
        ),
        (
            "\"装置\" -kind:design",
            Box::new(|doc| {
                segments(doc)
                    .iter()
                    .any(|part| part.contains(&normalize("装置")))
                    && doc.kind != ipyun_search::PatentKind::Design
            }),
        ),
    ];
    for (query, keep) in &cases {
        let docs: Vec<&PatentDoc> = corpus.docs.iter().filter(|doc| keep(doc)).collect();
        let mut request = SearchRequest::new(*query);
        request.limit = 3;
        let results = corpus.index.search(&request).unwrap();
        assert_eq!(results.total, docs.len() as u64, "{query}");
        let facets = results.facets.unwrap();
        let all = usize::MAX;
        assert_eq!(
            pairs(&facets.kind),
            listed(count_by(&docs, |d| vec![d.kind.as_str().to_owned()]), all),
            "{query} kind"
        );
        assert_eq!(
            pairs(&facets.legal_status),
            listed(
                count_by(&docs, |d| vec![d.legal_status.as_str().to_owned()]),
                all
            ),
            "{query} status"
        );
        let mut years: Vec<(String, u64)> = count_by(&docs, |d| {
            vec![chrono::Datelike::year(&d.filing_date).to_string()]
        })
        .into_iter()
        .collect();
        years.sort();
        assert_eq!(pairs(&facets.filing_year), years, "{query} years");
        assert_eq!(
            pairs(&facets.province),
            listed(
                count_by(&docs, |d| d
                    .region_code
                    .iter()
                    .map(|code| code[..2].to_owned())
                    .collect()),
                all
            ),
            "{query} province"
        );
        assert!(facets.province.iter().all(|count| count.label.is_some()));
        let distinct = |cut: usize| {
            move |d: &PatentDoc| -> Vec<String> {
                let set: std::collections::BTreeSet<String> =
                    subclasses(d).iter().map(|s| s[..cut].to_owned()).collect();
                set.into_iter().collect()
            }
        };
        assert_eq!(
            pairs(&facets.ipc_section),
            listed(count_by(&docs, distinct(1)), all),
            "{query} section"
        );
        assert_eq!(
            pairs(&facets.ipc_class),
            listed(count_by(&docs, distinct(3)), FACET_TOP_IPC),
            "{query} class"
        );
        assert_eq!(
            pairs(&facets.ipc_subclass),
            listed(count_by(&docs, distinct(4)), FACET_TOP_IPC),
            "{query} subclass"
        );
    }
}

#[test]
fn a_facet_value_filters_to_its_count() {
    let corpus = corpus();
    let facets = corpus
        .index
        .search(&SearchRequest::new("*"))
        .unwrap()
        .facets
        .unwrap();
    for (field, facet) in [
        ("ipc", &facets.ipc_subclass),
        ("ipc", &facets.ipc_class),
        ("region", &facets.province),
        ("status", &facets.legal_status),
        ("kind", &facets.kind),
        ("filed", &facets.filing_year),
    ] {
        for count in facet.iter().take(5) {
            let query = format!("{field}:{}", count.value);
            assert_eq!(corpus.index.count(&query).unwrap(), count.count, "{query}");
        }
    }
}

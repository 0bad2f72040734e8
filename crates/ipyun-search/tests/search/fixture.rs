//! One in-memory index of generated patents, built once for the whole test binary, and the
//! brute-force helpers the tests compare it with.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use ipyun_search::generator::generate;
use ipyun_search::{PatentDoc, SearchIndex, normalize};

pub const CORPUS_SIZE: usize = 2_000;
pub const SEED: u64 = 20_240_817;

pub struct Corpus {
    pub docs: Vec<PatentDoc>,
    /// `segments` of each record, computed once.
    pub parts: Vec<Vec<String>>,
    pub index: SearchIndex,
}

static CORPUS: OnceLock<Corpus> = OnceLock::new();

pub fn corpus() -> &'static Corpus {
    CORPUS.get_or_init(|| {
        let docs: Vec<PatentDoc> = generate(CORPUS_SIZE, SEED).collect();
        let mut index = SearchIndex::in_ram().unwrap();
        // Segments searched in parallel, so that merging per-segment results is exercised.
        index.set_search_threads(2).unwrap();
        let mut writer = index.writer(60_000_000).unwrap();
        for (position, doc) in docs.iter().enumerate() {
            writer.upsert(doc).unwrap();
            // Several commits make several segments, as a real index has.
            if position % 900 == 899 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        drop(writer);
        assert_eq!(index.num_docs(), CORPUS_SIZE as u64);
        let parts = docs.iter().map(segments).collect();
        Corpus { docs, parts, index }
    })
}

/// The normalised parts a quoted string may match in: title, abstract, each claim.
pub fn segments(doc: &PatentDoc) -> Vec<String> {
    let mut parts = vec![normalize(&doc.title), normalize(&doc.abstract_text)];
    parts.extend(doc.claims.iter().map(|claim| normalize(claim)));
    parts
}

/// Application numbers of the records that satisfy a predicate.
pub fn brute(docs: &[PatentDoc], keep: impl Fn(&PatentDoc) -> bool) -> BTreeSet<String> {
    docs.iter()
        .filter(|doc| keep(doc))
        .map(|doc| doc.application_no.clone())
        .collect()
}

/// Application numbers the index answers for a query.
pub fn found(query: &str) -> BTreeSet<String> {
    let index = &corpus().index;
    let numbers = index
        .matching_application_nos(query)
        .unwrap_or_else(|error| panic!("{query}: {error}"));
    let set: BTreeSet<String> = numbers.iter().cloned().collect();
    assert_eq!(set.len(), numbers.len(), "{query}: no duplicates");
    assert_eq!(
        index.count(query).unwrap(),
        set.len() as u64,
        "{query}: count"
    );
    set
}

/// Distinct IPC subclasses of a record.
pub fn subclasses(doc: &PatentDoc) -> BTreeSet<String> {
    doc.ipc
        .iter()
        .map(|symbol| symbol[..4].to_owned())
        .collect()
}

/// Distinct trimmed applicant names of a record.
pub fn applicants(doc: &PatentDoc) -> BTreeSet<String> {
    doc.applicants
        .iter()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect()
}

//! Facet counts over every document a search matches, read from the fast columns.

use ipyun_domain::right::LegalStatus;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::codes::{FacetKey, class_name, province_name, section_name, subclass_name};
use std::sync::Arc;

use crate::doc::{PatentKind, status_from_code};
use crate::facet_cache::{FacetCache, Record, SegmentFacets};

/// How many classes and subclasses a facet lists at most (the largest first).
pub const FACET_TOP_IPC: usize = 50;

/// One value of a facet and the number of matching patents that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value as a filter takes it: `invention`, `in_force`, `2021`, `32`, `H01M`.
    pub value: String,
    /// A readable name where the value is a code (the province's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub count: u64,
}

/// The facets of a search. A patent counts once per value it has: once in each IPC subclass (and
/// class, section) of any of its symbols, which is what an `ipc:` filter on that value matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub kind: Vec<FacetCount>,
    pub legal_status: Vec<FacetCount>,
    /// By year, oldest first.
    pub filing_year: Vec<FacetCount>,
    /// By the first two digits of the applicant's region.
    pub province: Vec<FacetCount>,
    pub ipc_section: Vec<FacetCount>,
    /// The [`FACET_TOP_IPC`] largest.
    pub ipc_class: Vec<FacetCount>,
    /// The [`FACET_TOP_IPC`] largest.
    pub ipc_subclass: Vec<FacetCount>,
}

const YEAR_BASE: u64 = 1900;
const YEARS: usize = 300;
const SUBCLASSES: usize = 20_800;

/// Raw counts: of one search, or of every document of a segment (32 bits: the subclass counts stay
/// small enough to be allocated from the heap, not mapped afresh, for every search).
pub(crate) struct FacetCounts {
    kind: [u32; 4],
    status: [u32; 32],
    year: Vec<u32>,
    province: [u32; 128],
    section: [u32; 8],
    class: Vec<u32>,
    subclass: Vec<u32>,
}

impl FacetCounts {
    /// Adds (`sign` true) or takes away the counts of `other`. Wrapping: a sum of totals less
    /// the counts of the documents left out is exact however it is ordered.
    fn combine(&mut self, other: &FacetCounts, sign: bool) {
        fn each(into: &mut [u32], from: &[u32], sign: bool) {
            for (into, from) in into.iter_mut().zip(from) {
                *into = if sign {
                    into.wrapping_add(*from)
                } else {
                    into.wrapping_sub(*from)
                };
            }
        }
        each(&mut self.kind, &other.kind, sign);
        each(&mut self.status, &other.status, sign);
        each(&mut self.year, &other.year, sign);
        each(&mut self.province, &other.province, sign);
        each(&mut self.section, &other.section, sign);
        each(&mut self.class, &other.class, sign);
        each(&mut self.subclass, &other.subclass, sign);
    }

    fn new() -> Self {
        FacetCounts {
            kind: [0; 4],
            status: [0; 32],
            year: vec![0; YEARS],
            province: [0; 128],
            section: [0; 8],
            class: vec![0; SUBCLASSES / 26],
            subclass: vec![0; SUBCLASSES],
        }
    }

    fn into_facets(self) -> Facets {
        let listed = |counts: &[u32], value: &dyn Fn(usize) -> Option<(String, Option<String>)>| {
            let mut out: Vec<FacetCount> = counts
                .iter()
                .enumerate()
                .filter(|(_, count)| **count > 0)
                .filter_map(|(index, count)| {
                    value(index).map(|(value, label)| FacetCount {
                        value,
                        label,
                        count: u64::from(*count),
                    })
                })
                .collect();
            out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            out
        };
        let mut filing_year = listed(&self.year, &|index| {
            Some(((YEAR_BASE + index as u64).to_string(), None))
        });
        filing_year.sort_by(|a, b| a.value.cmp(&b.value));
        let mut ipc_class = listed(&self.class, &|index| {
            Some((class_name(index as u64 * 26), None))
        });
        ipc_class.truncate(FACET_TOP_IPC);
        let mut ipc_subclass = listed(&self.subclass, &|index| {
            Some((subclass_name(index as u64), None))
        });
        ipc_subclass.truncate(FACET_TOP_IPC);
        Facets {
            kind: listed(&self.kind, &|index| {
                PatentKind::from_code(index as u64).map(|kind| (kind.as_str().to_owned(), None))
            }),
            legal_status: listed(&self.status, &|index| {
                status_from_code(index as u64)
                    .map(|status: LegalStatus| (status.as_str().to_owned(), None))
            }),
            filing_year,
            province: listed(&self.province, &|index| {
                Some((
                    format!("{index:02}"),
                    province_name(index as u64).map(str::to_owned),
                ))
            }),
            ipc_section: listed(&self.section, &|index| {
                Some((section_name(index as u64 * 2600), None))
            }),
            ipc_class,
            ipc_subclass,
        }
    }
}

/// Counts the facets of every matching patent, from the index's decoded facet columns.
pub(crate) struct FacetCollector<'a> {
    pub(crate) cache: &'a FacetCache,
}

/// A segment's matching documents, counted once every segment is searched: one set of counters a
/// search (not one a segment, to be zeroed and summed), and one tight loop of independent reads,
/// which the processor overlaps, instead of one cache miss between every two matches.
pub(crate) struct FacetSegmentCollector {
    facets: Arc<SegmentFacets>,
    docs: Vec<DocId>,
}

impl Collector for FacetCollector<'_> {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        Ok(FacetSegmentCollector {
            facets: self.cache.segment(reader, SegmentFacets::read)?,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(Arc<SegmentFacets>, Vec<DocId>)>,
    ) -> tantivy::Result<Facets> {
        let mut counter = Counter::new();
        let mut left_out: Option<Counter> = None;
        for (facets, docs) in &fruits {
            let max_doc = facets.max_doc();
            if docs.len() * 2 > max_doc as usize {
                // Most of the segment matches (a boilerplate string, a broad filter): its totals
                // less the documents that do not match, which are fewer to count.
                counter.counts.combine(segment_totals(facets), true);
                left_out
                    .get_or_insert_with(Counter::new)
                    .count_docs(facets, complement(docs, max_doc));
            } else {
                counter.count_docs(facets, docs.iter().copied());
            }
        }
        let mut counts = counter.counts;
        if let Some(left_out) = left_out {
            counts.combine(&left_out.counts, false);
        }
        Ok(counts.into_facets())
    }
}

/// The documents of `0..max_doc` not in `docs` (sorted, as a segment's matches are collected),
/// deleted ones included: the segment's totals count those too.
fn complement(docs: &[DocId], max_doc: DocId) -> impl Iterator<Item = DocId> + '_ {
    let mut next: DocId = 0;
    docs.iter()
        .map(|doc| Some(*doc))
        .chain(std::iter::once(None))
        .flat_map(move |end| {
            let stop = end.map_or(max_doc, |doc| doc.min(max_doc));
            let gap = next..stop.max(next);
            next = end.map_or(max_doc, |doc| doc.saturating_add(1));
            gap
        })
}

/// The facet counts of every document of a segment (deleted ones included), counted once.
fn segment_totals(facets: &SegmentFacets) -> &FacetCounts {
    facets.totals.get_or_init(|| {
        let mut counter = Counter::new();
        counter.count_docs(facets, 0..facets.max_doc());
        counter.counts
    })
}

fn bump(counts: &mut [u32], index: u64) {
    if let Some(count) = usize::try_from(index)
        .ok()
        .and_then(|index| counts.get_mut(index))
    {
        *count = count.wrapping_add(1);
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = (Arc<SegmentFacets>, Vec<DocId>);

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.docs.push(doc);
    }

    fn harvest(self) -> Self::Fruit {
        (self.facets, self.docs)
    }
}

/// The counters of one search.
struct Counter {
    counts: FacetCounts,
    /// For each class and section, the mark of the last document counted in it.
    class_seen: Vec<u32>,
    section_seen: [u32; 8],
    /// A number for the document being counted, new for each (across segments).
    mark: u32,
}

impl Counter {
    fn new() -> Self {
        Counter {
            counts: FacetCounts::new(),
            class_seen: vec![0; SUBCLASSES / 26],
            section_seen: [0; 8],
            mark: 0,
        }
    }

    /// Counts the documents of a segment. Their records are first copied in chunks, in a loop of
    /// nothing but independent reads, so the processor has many cache misses in flight at once
    /// (matches of a few words are scattered over the segment); counting then reads the copies.
    fn count_docs(&mut self, facets: &SegmentFacets, docs: impl Iterator<Item = DocId>) {
        const CHUNK: usize = 512;
        let records = facets.records();
        let mut docs = docs.peekable();
        let mut chunk: Vec<(DocId, Record)> = Vec::with_capacity(CHUNK);
        while docs.peek().is_some() {
            chunk.clear();
            chunk.extend(
                docs.by_ref()
                    .take(CHUNK)
                    .filter_map(|doc| records.get(doc as usize).map(|record| (doc, *record))),
            );
            for (doc, record) in &chunk {
                self.count_key(record.key());
                self.next_mark();
                for code in record.subclasses() {
                    self.count_subclass(code);
                }
                if record.has_more() {
                    for &code in facets.more(*doc) {
                        self.count_subclass(code);
                    }
                }
            }
        }
    }

    #[inline]
    fn count_key(&mut self, key: Option<u64>) {
        let Some(key) = key else {
            return;
        };
        let key = FacetKey::unpack(key);
        let counts = &mut self.counts;
        bump(&mut counts.kind, key.kind);
        bump(&mut counts.status, key.status);
        if key.year != 0 {
            bump(&mut counts.year, key.year.wrapping_sub(YEAR_BASE));
        }
        if key.province != 0 {
            bump(&mut counts.province, key.province);
        }
    }

    /// A new mark: the next document's.
    #[inline]
    fn next_mark(&mut self) {
        self.mark = self.mark.wrapping_add(1);
        if self.mark == 0 {
            // After 2^32 documents: start the marks afresh.
            self.class_seen.fill(0);
            self.section_seen = [0; 8];
            self.mark = 1;
        }
    }

    /// Counts a subclass of the document of the current mark, and its class and section once.
    #[inline]
    fn count_subclass(&mut self, code: u16) {
        let counts = &mut self.counts;
        let mark = self.mark;
        bump(&mut counts.subclass, u64::from(code));
        let class = usize::from(code / 26);
        if let Some(seen) = self.class_seen.get_mut(class)
            && *seen != mark
        {
            *seen = mark;
            bump(&mut counts.class, class as u64);
        }
        let section = usize::from(code / 2600);
        if let Some(seen) = self.section_seen.get_mut(section)
            && *seen != mark
        {
            *seen = mark;
            bump(&mut counts.section, section as u64);
        }
    }
}

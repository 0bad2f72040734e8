//! Facet counts over every document a search matches, read from the fast columns.

use ipyun_domain::right::LegalStatus;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::codes::{FacetKey, class_name, province_name, section_name, subclass_name};
use std::sync::Arc;

use crate::doc::{PatentKind, status_from_code};
use crate::facet_cache::{FacetCache, SegmentFacets};

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

/// Raw counts, merged across segments (32 bits: the subclass counts stay small enough to be
/// allocated from the heap, not mapped afresh, for every segment of every search).
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

    fn add(&mut self, other: &FacetCounts) {
        fn add_all(into: &mut [u32], from: &[u32]) {
            for (into, from) in into.iter_mut().zip(from) {
                *into = into.saturating_add(*from);
            }
        }
        add_all(&mut self.kind, &other.kind);
        add_all(&mut self.status, &other.status);
        add_all(&mut self.year, &other.year);
        add_all(&mut self.province, &other.province);
        add_all(&mut self.section, &other.section);
        add_all(&mut self.class, &other.class);
        add_all(&mut self.subclass, &other.subclass);
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

pub(crate) struct FacetSegmentCollector {
    facets: Arc<SegmentFacets>,
    /// The matching documents, counted at harvest: one tight loop of independent reads, which
    /// the processor overlaps, instead of one cache miss between every two matches.
    docs: Vec<DocId>,
    counts: FacetCounts,
    /// For each class and section, the last document (plus one) counted in it.
    class_seen: Vec<u32>,
    section_seen: [u32; 8],
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
            facets: self.cache.segment(reader)?,
            docs: Vec::new(),
            counts: FacetCounts::new(),
            class_seen: vec![0; SUBCLASSES / 26],
            section_seen: [0; 8],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<Facets> {
        let mut total = FacetCounts::new();
        for fruit in &fruits {
            total.add(fruit);
        }
        Ok(total.into_facets())
    }
}

fn bump(counts: &mut [u32], index: u64) {
    if let Some(count) = usize::try_from(index)
        .ok()
        .and_then(|index| counts.get_mut(index))
    {
        *count = count.saturating_add(1);
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.docs.push(doc);
    }

    fn harvest(mut self) -> FacetCounts {
        let docs = std::mem::take(&mut self.docs);
        let facets = Arc::clone(&self.facets);
        for chunk in docs.chunks(4096) {
            for (doc, record) in chunk.iter().zip(facets.gather(chunk)) {
                self.count(*doc, facets.parts(*doc, record));
            }
        }
        self.counts
    }
}

impl FacetSegmentCollector {
    fn count(&mut self, doc: DocId, (key, subclasses): (Option<u64>, impl Iterator<Item = u16>)) {
        let counts = &mut self.counts;
        if let Some(key) = key {
            let key = FacetKey::unpack(key);
            bump(&mut counts.kind, key.kind);
            bump(&mut counts.status, key.status);
            if key.year != 0 {
                bump(&mut counts.year, key.year.wrapping_sub(YEAR_BASE));
            }
            if key.province != 0 {
                bump(&mut counts.province, key.province);
            }
        }
        let mark = doc + 1;
        for code in subclasses {
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
}

//! The facet values of each segment, decoded once into one 16-byte record a patent. Counting
//! facets reads, for every matching patent, its packed kind/status/year/province key and its IPC
//! subclasses: from the columns that is three scattered reads and block decodes, from a record
//! one cache line. A segment is read on the first search that needs it and forgotten once no
//! loaded commit holds it.

use std::collections::HashMap;
use std::sync::OnceLock;

use tantivy::{DocId, SegmentReader};

use crate::columns::u64_column;
use crate::facets::FacetCounts;
use crate::schema::names;
use crate::segment_cache::SegmentCache;

/// Subclass codes kept with a document's key; a document with more keeps the rest apart.
const INLINE: usize = 6;
/// An empty inline slot.
const NONE: u16 = u16::MAX;
/// Flags in a record's key: no facet key (none in practice: every patent has one), and more
/// subclasses than fit inline.
const NO_KEY_FLAG: u32 = 1 << 30;
const MORE_FLAG: u32 = 1 << 31;

/// One document's facet values in 16 bytes: a lookup is one cache line.
#[derive(Clone, Copy)]
pub(crate) struct Record {
    key: u32,
    subclasses: [u16; INLINE],
}

/// One segment's facet values, by document.
pub(crate) struct SegmentFacets {
    records: Vec<Record>,
    /// The subclasses past the inline ones, of the few documents with more.
    more: HashMap<DocId, Vec<u16>>,
    /// The counts of every document, once a search has needed them.
    pub(crate) totals: OnceLock<FacetCounts>,
}

impl SegmentFacets {
    pub(crate) fn read(reader: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let key_column = u64_column(reader, names::FACET_KEY)?;
        let ipc = u64_column(reader, names::IPC_SUB)?;
        let max_doc = reader.max_doc();
        let mut records = Vec::with_capacity(max_doc as usize);
        let mut more = HashMap::new();
        for doc in 0..max_doc {
            let mut key = key_column
                .first(doc)
                .and_then(|key| u32::try_from(key).ok())
                .filter(|key| key & (NO_KEY_FLAG | MORE_FLAG) == 0)
                .unwrap_or(NO_KEY_FLAG);
            let mut subclasses = [NONE; INLINE];
            let mut rest = Vec::new();
            let codes = ipc
                .values_for_doc(doc)
                .filter_map(|code| u16::try_from(code).ok())
                .filter(|code| *code != NONE);
            for (at, code) in codes.enumerate() {
                match subclasses.get_mut(at) {
                    Some(slot) => *slot = code,
                    None => rest.push(code),
                }
            }
            if !rest.is_empty() {
                key |= MORE_FLAG;
                more.insert(doc, rest);
            }
            records.push(Record { key, subclasses });
        }
        Ok(SegmentFacets {
            records,
            more,
            totals: OnceLock::new(),
        })
    }

    /// The number of documents of the segment (deleted ones included).
    pub(crate) fn max_doc(&self) -> DocId {
        DocId::try_from(self.records.len()).unwrap_or(DocId::MAX)
    }

    /// The records, by document.
    pub(crate) fn records(&self) -> &[Record] {
        &self.records
    }

    /// The subclasses of `doc` past its record's inline ones.
    pub(crate) fn more(&self, doc: DocId) -> &[u16] {
        self.more.get(&doc).map_or(&[], Vec::as_slice)
    }
}

impl Record {
    /// The packed facet key (`FacetKey`), if the document has one.
    #[inline]
    pub(crate) fn key(&self) -> Option<u64> {
        (self.key & NO_KEY_FLAG == 0).then_some(u64::from(self.key & !MORE_FLAG))
    }

    /// The inline subclass codes (the rest, if [`Record::has_more`], in [`SegmentFacets::more`]).
    #[inline]
    pub(crate) fn subclasses(&self) -> impl Iterator<Item = u16> + '_ {
        self.subclasses
            .iter()
            .copied()
            .take_while(|code| *code != NONE)
    }

    #[inline]
    pub(crate) fn has_more(&self) -> bool {
        self.key & MORE_FLAG != 0
    }
}

/// Each segment's facet values, shared by every search of an index.
pub(crate) type FacetCache = SegmentCache<SegmentFacets>;

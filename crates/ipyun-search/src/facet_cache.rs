//! The facet columns of each segment, decoded once into plain arrays. Counting facets reads two
//! values for every matching patent (its packed kind/status/year/province key and its IPC
//! subclasses); from a column that is a block decode per read, from these arrays an index. A
//! segment is read on the first search that needs it (about 20 ms for 100,000 patents, 17 bytes
//! a patent) and forgotten once no loaded commit holds it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use crate::columns::u64_column;
use crate::schema::names;

/// A patent without a facet key (none in practice: every indexed patent has one).
pub(crate) const NO_KEY: u64 = u64::MAX;

/// One segment's facet values, by document.
pub(crate) struct SegmentFacets {
    keys: Vec<u64>,
    ipc_start: Vec<u32>,
    ipc_codes: Vec<u16>,
}

impl SegmentFacets {
    fn read(reader: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let key = u64_column(reader, names::FACET_KEY)?;
        let ipc = u64_column(reader, names::IPC_SUB)?;
        let max_doc = reader.max_doc();
        let mut keys = Vec::with_capacity(max_doc as usize);
        let mut ipc_start = Vec::with_capacity(max_doc as usize + 1);
        let mut ipc_codes = Vec::with_capacity(max_doc as usize * 2);
        for doc in 0..max_doc {
            keys.push(key.first(doc).unwrap_or(NO_KEY));
            ipc_start.push(u32::try_from(ipc_codes.len()).unwrap_or(u32::MAX));
            ipc_codes.extend(
                ipc.values_for_doc(doc)
                    .filter_map(|code| u16::try_from(code).ok()),
            );
        }
        ipc_start.push(u32::try_from(ipc_codes.len()).unwrap_or(u32::MAX));
        Ok(SegmentFacets {
            keys,
            ipc_start,
            ipc_codes,
        })
    }

    /// The packed facet key of a document ([`NO_KEY`] if none).
    pub(crate) fn key(&self, doc: DocId) -> u64 {
        self.keys.get(doc as usize).copied().unwrap_or(NO_KEY)
    }

    /// The IPC subclass codes of a document.
    pub(crate) fn subclasses(&self, doc: DocId) -> &[u16] {
        let doc = doc as usize;
        let (Some(&start), Some(&end)) = (self.ipc_start.get(doc), self.ipc_start.get(doc + 1))
        else {
            return &[];
        };
        self.ipc_codes
            .get(start as usize..end as usize)
            .unwrap_or(&[])
    }
}

/// The decoded segments, shared by every search of an index.
#[derive(Default)]
pub(crate) struct FacetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetCache {
    /// The segment's facet values, read now if no search has read them yet.
    pub(crate) fn segment(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = reader.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(Arc::clone(found));
        }
        // Read outside the lock: other segments' searches go on meanwhile. Two searches may
        // read the same new segment at once; both get the same values.
        let read = Arc::new(SegmentFacets::read(reader)?);
        Ok(Arc::clone(self.lock().entry(id).or_insert(read)))
    }

    /// Forgets the segments no longer in `live` (merged away).
    pub(crate) fn retain(&self, live: &[SegmentReader]) {
        self.lock()
            .retain(|id, _| live.iter().any(|reader| reader.segment_id() == *id));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentFacets>>> {
        self.segments.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

//! Values derived from a segment once and shared by every search of an index, until no loaded
//! commit holds the segment (segments never change; merges replace them).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tantivy::SegmentReader;
use tantivy::index::SegmentId;

/// One `T` a segment, read on the first search that needs it.
pub(crate) struct SegmentCache<T> {
    segments: Mutex<HashMap<SegmentId, Arc<T>>>,
}

impl<T> Default for SegmentCache<T> {
    fn default() -> Self {
        SegmentCache {
            segments: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> SegmentCache<T> {
    /// The segment's value, read now if no search has read it yet.
    pub(crate) fn segment(
        &self,
        reader: &SegmentReader,
        read: impl FnOnce(&SegmentReader) -> tantivy::Result<T>,
    ) -> tantivy::Result<Arc<T>> {
        let id = reader.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(Arc::clone(found));
        }
        // Read outside the lock: other segments' searches go on meanwhile. Two searches may
        // read the same new segment at once; both get the same value.
        let read = Arc::new(read(reader)?);
        Ok(Arc::clone(self.lock().entry(id).or_insert(read)))
    }

    /// Forgets the segments no longer in `live` (merged away).
    pub(crate) fn retain(&self, live: &[SegmentReader]) {
        self.lock()
            .retain(|id, _| live.iter().any(|reader| reader.segment_id() == *id));
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<SegmentId, Arc<T>>> {
        self.segments.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

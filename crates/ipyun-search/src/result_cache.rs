//! The results of expensive searches, kept while the index does not change.
//!
//! A quoted string of boilerplate ("其特征在于", "本实用新型公开了") is found in most patents: its
//! exact total, facets and phrase scores cost tens of milliseconds, and such strings are asked
//! again and again. A search that cost at least the cache's minimum (5 ms by default) keeps its answer here,
//! keyed by the request, for the commit it was computed on; the first search on a newer commit
//! empties the cache. Cheap searches are never kept (computing them is as fast as a lookup).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::search::{SearchRequest, SearchResults, Sort};

/// Entries kept by default.
pub const DEFAULT_CACHED_RESULTS: usize = 256;
/// The least a search must cost to be kept, by default.
pub const DEFAULT_MIN_COST: Duration = Duration::from_millis(5);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    query: String,
    limit: usize,
    offset: usize,
    sort: Sort,
    facets: bool,
}

impl Key {
    fn of(request: &SearchRequest) -> Key {
        Key {
            query: request.query.clone(),
            limit: request.limit,
            offset: request.offset,
            sort: request.sort,
            facets: request.facets,
        }
    }
}

struct Entry {
    results: SearchResults,
    /// When it was last used (a counter): the least recently used goes first.
    used: u64,
}

struct Inner {
    capacity: usize,
    min_cost: Duration,
    /// The searcher generation the entries were computed on.
    generation: u64,
    entries: HashMap<Key, Entry>,
    clock: u64,
    hits: u64,
    misses: u64,
}

/// How the cache has served (for a server's status and the benchmark).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub entries: usize,
    pub hits: u64,
    pub misses: u64,
}

pub(crate) struct ResultCache {
    inner: Mutex<Inner>,
}

impl Default for ResultCache {
    fn default() -> Self {
        ResultCache::new(DEFAULT_CACHED_RESULTS, DEFAULT_MIN_COST)
    }
}

impl ResultCache {
    /// Keeps up to `capacity` answers (0: none) of searches that cost at least `min_cost`.
    pub(crate) fn new(capacity: usize, min_cost: Duration) -> Self {
        ResultCache {
            inner: Mutex::new(Inner {
                capacity,
                min_cost,
                generation: 0,
                entries: HashMap::new(),
                clock: 0,
                hits: 0,
                misses: 0,
            }),
        }
    }

    /// Changes what is kept from now on (emptying the cache).
    pub(crate) fn configure(&self, capacity: usize, min_cost: Duration) {
        let mut inner = self.lock();
        inner.capacity = capacity;
        inner.min_cost = min_cost;
        inner.entries.clear();
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The kept answer to `request` on the searcher of `generation`, if any.
    pub(crate) fn get(&self, generation: u64, request: &SearchRequest) -> Option<SearchResults> {
        let mut inner = self.lock();
        if inner.capacity == 0 {
            return None;
        }
        if inner.generation != generation {
            inner.entries.clear();
            inner.generation = generation;
        }
        inner.clock += 1;
        let now = inner.clock;
        let found = inner.entries.get_mut(&Key::of(request)).map(|entry| {
            entry.used = now;
            entry.results.clone()
        });
        match found {
            Some(_) => inner.hits += 1,
            None => inner.misses += 1,
        }
        found
    }

    /// Keeps an answer computed on the searcher of `generation` at a cost of `cost`.
    pub(crate) fn put(
        &self,
        generation: u64,
        request: &SearchRequest,
        results: &SearchResults,
        cost: Duration,
    ) {
        let mut inner = self.lock();
        if inner.capacity == 0 || cost < inner.min_cost {
            return;
        }
        if inner.generation != generation {
            if generation < inner.generation {
                // Computed on a commit older than the entries: not worth keeping.
                return;
            }
            inner.entries.clear();
            inner.generation = generation;
        }
        if inner.entries.len() >= inner.capacity {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.used)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                inner.entries.remove(&oldest);
            }
        }
        inner.clock += 1;
        let used = inner.clock;
        inner.entries.insert(
            Key::of(request),
            Entry {
                results: results.clone(),
                used,
            },
        );
    }

    pub(crate) fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            entries: inner.entries.len(),
            hits: inner.hits,
            misses: inner.misses,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn results(total: u64) -> SearchResults {
        SearchResults {
            total,
            hits: Vec::new(),
            facets: None,
        }
    }

    #[test]
    fn keeps_costly_answers_per_generation_and_evicts_the_least_recently_used() {
        let cache = ResultCache::new(2, Duration::from_millis(5));
        let a = SearchRequest::new("\"其特征在于\"");
        let b = SearchRequest::new("\"所述\"");
        let c = SearchRequest::new("\"本发明\"");
        let costly = Duration::from_millis(9);

        cache.put(1, &a, &results(1), Duration::from_millis(1));
        assert_eq!(cache.get(1, &a), None, "a cheap answer is not kept");
        cache.put(1, &a, &results(1), costly);
        assert_eq!(cache.get(1, &a).map(|found| found.total), Some(1));
        let mut paged = a.clone();
        paged.offset = 20;
        assert_eq!(cache.get(1, &paged), None, "another page is another key");

        cache.put(1, &b, &results(2), costly);
        assert!(cache.get(1, &a).is_some(), "a used last, b is older");
        cache.put(1, &c, &results(3), costly);
        assert_eq!(cache.get(1, &b), None, "b was evicted");
        assert!(cache.get(1, &a).is_some() && cache.get(1, &c).is_some());

        assert_eq!(cache.get(2, &a), None, "a new commit empties the cache");
        assert_eq!(cache.stats().entries, 0);
        cache.put(1, &a, &results(1), costly);
        assert_eq!(
            cache.get(2, &a),
            None,
            "an answer of an older commit is not kept"
        );
        let stats = cache.stats();
        assert!(stats.hits >= 4 && stats.misses >= 4, "{stats:?}");

        cache.configure(0, Duration::ZERO);
        cache.put(1, &a, &results(1), costly);
        assert_eq!(
            cache.get(1, &a),
            None,
            "a cache of no entries keeps nothing"
        );
    }
}

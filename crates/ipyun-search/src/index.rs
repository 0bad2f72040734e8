//! The index in a directory (or in memory), its reader and its one writer.

use std::path::Path;
use std::sync::Arc;
use std::thread::available_parallelism;

use tantivy::collector::Collector;
use tantivy::directory::MmapDirectory;
use tantivy::indexer::{IndexWriterOptions, NoMergePolicy};
use tantivy::query::{EnableScoring, Query};
use tantivy::{
    Executor, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher,
    TantivyDocument, TantivyError,
};

use crate::doc::{PatentDoc, validate};
use crate::error::SearchError;
use crate::facet_cache::FacetCache;
use crate::result_cache::{CacheStats, ResultCache};
use crate::schema::{self, Fields};
use crate::search::HitColumns;
use crate::segment_cache::SegmentCache;
use crate::tokenizer::{JIEBA_TOKENIZER, JiebaTokenizer, NGRAM_TOKENIZER, NgramTokenizer, jieba};

/// The smallest writer heap tantivy accepts per indexing thread.
pub const MIN_WRITER_HEAP_PER_THREAD: usize = 15_000_000;

/// A patent index: open it once per process and share it (it is `Send + Sync`); searches see
/// every commit, of this process or another, within milliseconds.
#[derive(Clone)]
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    /// Searches the segments of one query (one after the other unless `set_search_threads`).
    executor: Arc<Executor>,
    /// Each segment's facet values, decoded once.
    pub(crate) facet_cache: Arc<FacetCache>,
    /// Each segment's columns read for hits, opened once.
    pub(crate) hit_columns: Arc<SegmentCache<HitColumns>>,
    /// The answers of costly searches, until the next commit.
    pub(crate) results: Arc<ResultCache>,
}

fn executor(threads: usize) -> Result<Executor, SearchError> {
    if threads <= 1 {
        Ok(Executor::single_thread())
    } else {
        Ok(Executor::multi_thread(threads, "ipyun-search-")?)
    }
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SearchIndex")
            .field("docs", &self.num_docs())
            .finish()
    }
}

/// Bytes of stored documents compressed together. A hit decompresses its whole block: 4 KB (about
/// eight patents) instead of tantivy's 16 KB makes fetching a page of 20 hits four times cheaper
/// for a few percent more disk.
const DOCSTORE_BLOCK: usize = 4_096;

/// The settings of a new index (an index keeps those it was created with).
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK,
        ..IndexSettings::default()
    }
}

fn register_tokenizers(index: &Index) {
    index.tokenizers().register(JIEBA_TOKENIZER, JiebaTokenizer);
    index.tokenizers().register(NGRAM_TOKENIZER, NgramTokenizer);
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index when there is none.
    /// Several processes may open the same directory; one of them at a time may write.
    pub fn create_or_open(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema::build();
        let directory =
            MmapDirectory::open(dir).map_err(|error| SearchError::Directory(error.to_string()))?;
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .open_or_create(directory)
            .map_err(|error| match error {
                TantivyError::SchemaError(_) => SearchError::SchemaMismatch {
                    path: dir.display().to_string(),
                },
                other => SearchError::Index(other),
            })?;
        Self::from_index(index, fields)
    }

    /// An index in memory, for tests and one-off work.
    pub fn in_ram() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema::build();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_ram()?;
        Self::from_index(index, fields)
    }

    fn from_index(index: Index, fields: Fields) -> Result<SearchIndex, SearchError> {
        register_tokenizers(&index);
        // Load jieba's dictionary now rather than in the first query.
        let _ = jieba();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            executor: Arc::new(Executor::single_thread()),
            facet_cache: Arc::new(FacetCache::default()),
            hit_columns: Arc::new(SegmentCache::default()),
            results: Arc::new(ResultCache::default()),
        })
    }

    /// How many threads search the segments of one query in parallel. The default, 1, searches
    /// them one after the other: best for a server whose cores are busy with many queries; more
    /// threads shorten heavy queries (quoted strings found in most patents, landscapes over
    /// everything) on a machine with idle cores.
    pub fn set_search_threads(&mut self, threads: usize) -> Result<(), SearchError> {
        self.executor = Arc::new(executor(threads)?);
        Ok(())
    }

    /// Keeps the answers of up to `capacity` searches (0: none) that cost at least `min_cost`,
    /// until the index changes (default: [`crate::DEFAULT_CACHED_RESULTS`] answers of searches of
    /// [`crate::DEFAULT_MIN_COST`] or more). Clones of this index share the cache.
    pub fn set_result_cache(&self, capacity: usize, min_cost: std::time::Duration) {
        self.results.configure(capacity, min_cost);
    }

    /// How the result cache has served so far.
    pub fn result_cache_stats(&self) -> CacheStats {
        self.results.stats()
    }

    /// Runs a collector over a query on the searcher's segments.
    pub(crate) fn collect<C: Collector>(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        collector: &C,
    ) -> Result<C::Fruit, SearchError> {
        let scoring = if collector.requires_scoring() {
            EnableScoring::enabled_from_searcher(searcher)
        } else {
            EnableScoring::disabled_from_searcher(searcher)
        };
        Ok(searcher.search_with_executor(query, collector, &self.executor, scoring)?)
    }

    /// Number of segments in the last loaded commit (each is searched on its own thread).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Number of (live) patents in the last loaded commit.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Loads the last commit now (commits are otherwise picked up within milliseconds).
    pub fn reload(&self) -> Result<(), SearchError> {
        Ok(self.reader.reload()?)
    }

    /// Takes the index's writer lock. `heap_bytes` is the indexing buffer shared by the indexing
    /// threads (one per core, at least 15 MB each; 256 MB–1 GB suits a bulk import).
    pub fn writer(&self, heap_bytes: usize) -> Result<PatentWriter, SearchError> {
        if heap_bytes < MIN_WRITER_HEAP_PER_THREAD {
            return Err(SearchError::bad_request(
                "writer_heap",
                format!(
                    "the writer heap should be at least {MIN_WRITER_HEAP_PER_THREAD} bytes, found {heap_bytes}"
                ),
            ));
        }
        let cores = available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(8);
        let threads = cores.min(heap_bytes / MIN_WRITER_HEAP_PER_THREAD).max(1);
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(heap_bytes / threads)
            .num_merge_threads(cores.clamp(1, 4))
            .build();
        let writer = self
            .index
            .writer_with_options(options)
            .map_err(|error| match error {
                TantivyError::LockFailure(..) => SearchError::WriterBusy,
                other => SearchError::Index(other),
            })?;
        Ok(PatentWriter {
            writer,
            reader: self.reader.clone(),
            fields: self.fields,
            bulk: false,
        })
    }

    /// Bytes the index takes in its directory (the files of the last commit).
    pub fn size_bytes(&self) -> Result<u64, SearchError> {
        let searcher = self.reader.searcher();
        let usage = searcher
            .space_usage()
            .map_err(|error| SearchError::Directory(error.to_string()))?;
        Ok(usage.total().get_bytes())
    }
}

/// The one writer of an index: `upsert` and `delete` are buffered, `commit` makes them visible
/// (to every reader, in every process) and durable.
pub struct PatentWriter {
    writer: IndexWriter<TantivyDocument>,
    reader: IndexReader,
    fields: Fields,
    /// In a bulk load (see [`PatentWriter::bulk`]).
    bulk: bool,
}

impl PatentWriter {
    /// Adds a patent, replacing the one with the same application number if there is one.
    pub fn upsert(&mut self, doc: &PatentDoc) -> Result<(), SearchError> {
        let valid = validate(doc)?;
        let document = self.fields.document(&valid);
        self.writer.delete_term(
            self.fields
                .application_no_term(valid.application_no.as_str()),
        );
        self.writer.add_document(document)?;
        Ok(())
    }

    /// Removes the patent with this application number (any accepted spelling), if indexed.
    pub fn delete(&mut self, application_no: &str) -> Result<(), SearchError> {
        let number = ipyun_domain::id::ApplicationNo::parse(application_no).map_err(|error| {
            SearchError::InvalidDoc {
                application_no: application_no.to_owned(),
                field: "application_no",
                code: error.code,
                message: error.message,
            }
        })?;
        self.writer
            .delete_term(self.fields.application_no_term(number.as_str()));
        Ok(())
    }

    /// Removes every patent (before a full rebuild); takes effect at the next commit.
    pub fn delete_all(&mut self) -> Result<(), SearchError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes the buffered changes durable and visible, and reloads this process's readers.
    pub fn commit(&mut self) -> Result<u64, SearchError> {
        let opstamp = self.writer.commit()?;
        self.reader.reload()?;
        Ok(opstamp)
    }

    /// Drops the changes since the last commit.
    pub fn rollback(&mut self) -> Result<(), SearchError> {
        self.writer.rollback()?;
        Ok(())
    }

    /// Starts a bulk load (many thousands of patents): no merges while it goes on, and
    /// [`PatentWriter::finish`] merges the whole index into one segment. A search then reads one
    /// term dictionary and one posting list a word instead of several, and no merge rewrites the
    /// same documents several times on the way. (A bulk load is rare: an import of tens of
    /// thousands of records, or a rebuild; the catch-ups in between merge as tantivy sees fit.)
    pub fn bulk(&mut self) -> Result<(), SearchError> {
        self.writer.set_merge_policy(Box::new(NoMergePolicy));
        self.bulk = true;
        Ok(())
    }

    /// Waits for background merges to finish (after a bulk load, merges the index into one
    /// segment) and releases the writer lock. Call after the last commit.
    pub fn finish(self) -> Result<(), SearchError> {
        let mut writer = self.writer;
        if self.bulk {
            let segments = writer.index().searchable_segment_ids()?;
            if segments.len() > 1 {
                writer.merge(&segments).wait()?;
            }
        }
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared<T: Send + Sync + Clone>() {}

    #[test]
    fn the_index_can_be_shared_between_threads() {
        shared::<SearchIndex>();
    }
}

//! Patent search and navigation (issue 8): the full-text index of the register's patents, kept
//! up to date from the database, searched and aggregated for anyone (the register is public);
//! topic collections and their notices.
//!
//! The index lives in a directory (`DATA/search-index`) and is derived from the database: every
//! patent record carries a change number, and [`App::sync_search_index`] brings the index up to
//! the last one (after each import, and every few seconds in a server, so that processes sharing
//! a database and a directory converge). [`App::rebuild_search_index`] starts it afresh.

mod sync;
mod topics;
mod xlsx;

/// What the HTTP surface shows of a search and a landscape, and the query parser (for the
/// position of a fault).
pub use ipyun_search::{FacetCount, Facets, Hit, KeyCount, Landscape, SearchResults, parse_query};
pub use sync::{IndexProgress, IndexReport};
pub use topics::{NewTopic, Topic, UserNotice};

use crate::{App, AppError, ErrorKind};
use ipyun_domain::account::Principal;
use ipyun_search::{LandscapeRequest, SearchError, SearchIndex, SearchRequest, Sort};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Hits per page by default and at most.
pub const DEFAULT_HITS: usize = 20;
pub const MAX_HITS: usize = 100;
/// The deepest result reachable by paging.
pub const MAX_OFFSET: usize = 10_000;
/// Top lists of a landscape report.
pub const LANDSCAPE_TOP: usize = 20;

/// The index and what is needed to keep it current.
pub struct SearchService {
    pub(crate) index: SearchIndex,
    pub(crate) dir: Option<PathBuf>,
    /// One catch-up at a time in this process (the index's own lock covers other processes).
    pub(crate) sync: tokio::sync::Mutex<()>,
    /// Searches and landscapes running at once: one a core. More would share the cores and
    /// their caches without finishing any sooner; the rest wait their turn, in order.
    searching: Arc<tokio::sync::Semaphore>,
}

impl SearchService {
    fn new(index: SearchIndex, dir: Option<PathBuf>) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        SearchService {
            index,
            dir,
            sync: tokio::sync::Mutex::new(()),
            searching: Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }

    /// Runs a search on a blocking thread once a core is free.
    async fn run<T: Send + 'static>(
        self: Arc<Self>,
        work: impl FnOnce(&SearchIndex) -> Result<T, SearchError> + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = Arc::clone(&self.searching)
            .acquire_owned()
            .await
            .map_err(|error| crate::transfer::internal("search queue", error))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(&self.index)
        })
        .await
        .map_err(|error| crate::transfer::internal("search task", error))?
        .map_err(search_error)
    }
}

impl std::fmt::Debug for SearchService {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SearchService")
            .field("dir", &self.dir)
            .field("docs", &self.index.num_docs())
            .finish()
    }
}

/// A search as a user asks it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatentQuery {
    pub q: String,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    /// `relevance` (default) or `date`.
    pub sort: Option<String>,
    pub facets: bool,
}

pub(crate) fn search_error(error: SearchError) -> AppError {
    match error {
        SearchError::Query(fault) => {
            let mut app_error = AppError::new(
                ErrorKind::BadRequest,
                "search.bad_query",
                format!(
                    "the query does not parse at character {}: {}",
                    fault.position + 1,
                    fault.message
                ),
            );
            app_error.details = vec![ipyun_domain::FieldError::new(
                "q",
                fault.code,
                format!("at character {}: {}", fault.position + 1, fault.message),
            )];
            app_error
        }
        SearchError::BadRequest { message, .. } => {
            AppError::new(ErrorKind::BadRequest, "search.bad_request", message)
        }
        SearchError::InvalidDoc { .. } => AppError::new(
            ErrorKind::BadRequest,
            "search.invalid_record",
            error.to_string(),
        ),
        SearchError::WriterBusy => AppError::new(
            ErrorKind::Conflict,
            "search.writer_busy",
            "another process is updating the search index; try again shortly",
        ),
        SearchError::SchemaMismatch { .. } => AppError::new(
            ErrorKind::Unavailable,
            "search.rebuild_needed",
            format!("{error}: remove the index directory; the next start rebuilds it"),
        ),
        other => {
            tracing::error!(error = %other, "search index failure");
            AppError::new(
                ErrorKind::Internal,
                "internal",
                "the search index failed; see the server log",
            )
        }
    }
}

fn bad(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::BadRequest, code, message)
}

/// Checks what every query must be before it reaches the index.
fn checked_query(q: &str) -> Result<String, AppError> {
    let length = q.chars().count();
    if length > MAX_QUERY_CHARS {
        let mut error = bad(
            "search.query_too_long",
            format!("a query has at most {MAX_QUERY_CHARS} characters; this one has {length}"),
        );
        error.details = vec![ipyun_domain::FieldError::new(
            "q",
            "too_long",
            format!("at most {MAX_QUERY_CHARS} characters"),
        )];
        return Err(error);
    }
    if q.trim().is_empty() {
        let mut error = bad("search.empty_query", "say what to search for");
        error.details = vec![ipyun_domain::FieldError::new(
            "q",
            "required",
            "a query is required",
        )];
        return Err(error);
    }
    Ok(q.to_string())
}

impl App {
    /// Opens (creating if needed) the search index in `dir` for this application.
    pub fn with_search_dir(mut self, dir: &Path) -> Result<Self, AppError> {
        let index = match SearchIndex::create_or_open(dir) {
            Err(SearchError::SchemaMismatch { .. }) => {
                // The index is derived from the database: an index of an older layout is set
                // aside and a new one starts empty, caught up from change 0 by the next sync.
                let aside = dir.with_extension("old");
                tracing::warn!(
                    dir = %dir.display(),
                    aside = %aside.display(),
                    "the search index has an older layout: set aside, rebuilding from the database"
                );
                let moved = std::fs::remove_dir_all(&aside)
                    .or_else(|error| match error.kind() {
                        std::io::ErrorKind::NotFound => Ok(()),
                        _ => Err(error),
                    })
                    .and_then(|()| std::fs::rename(dir, &aside));
                moved.map_err(|error| {
                    crate::transfer::internal("setting the old index aside", error)
                })?;
                SearchIndex::create_or_open(dir).map_err(search_error)?
            }
            opened => opened.map_err(search_error)?,
        };
        self.search = Some(Arc::new(SearchService::new(index, Some(dir.to_path_buf()))));
        Ok(self)
    }

    /// An index in memory (tests).
    pub fn with_search_in_memory(mut self) -> Result<Self, AppError> {
        let index = SearchIndex::in_ram().map_err(search_error)?;
        self.search = Some(Arc::new(SearchService::new(index, None)));
        Ok(self)
    }

    pub(crate) fn search_service(&self) -> Result<&Arc<SearchService>, AppError> {
        self.search.as_ref().ok_or_else(|| {
            AppError::new(
                ErrorKind::Unavailable,
                "search.unavailable",
                "this server runs without a search index",
            )
        })
    }

    /// Searches the patents (public: the register is; `_principal` for symmetry and auditing).
    pub async fn search_patents(
        &self,
        _principal: Option<&Principal>,
        query: &PatentQuery,
    ) -> Result<SearchResults, AppError> {
        let q = checked_query(&query.q)?;
        let limit = query.limit.unwrap_or(DEFAULT_HITS);
        if limit == 0 || limit > MAX_HITS {
            return Err(bad("search.bad_limit", format!("limit is 1 to {MAX_HITS}")));
        }
        let offset = query.offset.unwrap_or(0);
        if offset > MAX_OFFSET {
            return Err(bad(
                "search.bad_offset",
                format!("offset is at most {MAX_OFFSET}; narrow the query instead"),
            ));
        }
        let sort = match query.sort.as_deref().map(str::trim) {
            None | Some("") | Some("relevance") => Sort::Relevance,
            Some("date") | Some("filing_date") => Sort::FilingDate,
            Some(other) => {
                return Err(bad(
                    "search.bad_sort",
                    format!("sort is relevance or date; found {other:?}"),
                ));
            }
        };
        let service = Arc::clone(self.search_service()?);
        let request = SearchRequest {
            query: q,
            limit,
            offset,
            sort,
            facets: query.facets,
        };
        service.run(move |index| index.search(&request)).await
    }

    /// The landscape (patent navigation) report of a query, as of today.
    pub async fn patent_landscape(
        &self,
        _principal: Option<&Principal>,
        q: &str,
    ) -> Result<Landscape, AppError> {
        let q = checked_query(q)?;
        let service = Arc::clone(self.search_service()?);
        let request = LandscapeRequest {
            query: q,
            as_of: self.clock.today(),
            top: LANDSCAPE_TOP,
        };
        service.run(move |index| index.landscape(&request)).await
    }

    /// The landscape report as an XLSX workbook (one sheet per table).
    pub async fn patent_landscape_xlsx(
        &self,
        principal: Option<&Principal>,
        q: &str,
    ) -> Result<Vec<u8>, AppError> {
        let landscape = self.patent_landscape(principal, q).await?;
        let query = q.to_string();
        tokio::task::spawn_blocking(move || xlsx::landscape_workbook(&query, &landscape))
            .await
            .map_err(|error| crate::transfer::internal("landscape workbook", error))?
    }

    /// Keeps the answers of up to `capacity` costly searches (0: none) until the index changes.
    pub fn set_search_cache(&self, capacity: usize) {
        if let Some(service) = &self.search {
            service
                .index
                .set_result_cache(capacity, ipyun_search::DEFAULT_MIN_COST);
        }
    }

    /// Patents in the index.
    pub fn indexed_patents(&self) -> Option<u64> {
        self.search.as_ref().map(|service| service.index.num_docs())
    }
}

#[cfg(test)]
mod tests;

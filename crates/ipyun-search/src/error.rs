//! Errors of the search crate.

use crate::query::QueryError;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query text does not parse (position, code and reason inside).
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A record was refused by `PatentWriter::upsert`.
    #[error("patent record {application_no:?} has an invalid {field}: {message}")]
    InvalidDoc {
        application_no: String,
        field: &'static str,
        code: &'static str,
        message: String,
    },
    /// A request parameter is out of bounds (limit, offset, heap size).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// Another `PatentWriter` (in this process or another one) holds the index's writer lock.
    #[error("the search index already has a writer (one writer at a time)")]
    WriterBusy,
    /// The directory holds an index built with another schema: rebuild it.
    #[error("the search index at {path} was built with another schema; rebuild it")]
    SchemaMismatch { path: String },
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory error: {0}")]
    Directory(String),
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl SearchError {
    /// A stable code for the application layer: `search.query.<code>`, `search.invalid_doc`, …
    pub fn code(&self) -> String {
        match self {
            SearchError::Query(error) => format!("search.query.{}", error.code),
            SearchError::InvalidDoc { code, .. } => format!("search.invalid_doc.{code}"),
            SearchError::BadRequest { code, .. } => format!("search.{code}"),
            SearchError::WriterBusy => "search.writer_busy".to_owned(),
            SearchError::SchemaMismatch { .. } => "search.schema_mismatch".to_owned(),
            SearchError::Index(_) | SearchError::Directory(_) | SearchError::Io(_) => {
                "search.internal".to_owned()
            }
        }
    }

    pub(crate) fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        SearchError::BadRequest {
            code,
            message: message.into(),
        }
    }
}

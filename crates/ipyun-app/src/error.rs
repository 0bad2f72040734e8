use ipyun_db::DbError;
use ipyun_domain::{FieldError, FieldErrors};

/// What kind of failure: the web layer maps each to one status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    BadRequest,
    NotFound,
    Conflict,
    Forbidden,
    Unauthenticated,
    Unavailable,
    Internal,
}

/// A use-case failure: a kind, a stable code such as `right.number_taken`, an English message,
/// and for validation the findings per field.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AppError {
    pub kind: ErrorKind,
    pub code: &'static str,
    pub message: String,
    pub details: Vec<FieldError>,
}

impl AppError {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    pub fn validation(errors: FieldErrors) -> Self {
        Self {
            kind: ErrorKind::BadRequest,
            code: "validation_failed",
            message: format!("{} field(s) are invalid", errors.0.len()),
            details: errors.0,
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, "forbidden", message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, message)
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            ErrorKind::Unauthenticated,
            "unauthenticated",
            "sign in, or send a valid API token",
        )
    }
}

impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::NotFound => AppError::new(ErrorKind::NotFound, "not_found", "no such record"),
            DbError::Constraint(message) => AppError::new(ErrorKind::Conflict, "conflict", message),
            DbError::Stale(message) => AppError::new(ErrorKind::Conflict, "stale", message),
            DbError::Unavailable(message) => {
                tracing::error!(%message, "database unavailable");
                AppError::new(
                    ErrorKind::Unavailable,
                    "unavailable",
                    "the database is unavailable; try again shortly",
                )
            }
            other => {
                tracing::error!(error = %other, "database failure");
                AppError::new(
                    ErrorKind::Internal,
                    "internal",
                    "an internal error occurred",
                )
            }
        }
    }
}

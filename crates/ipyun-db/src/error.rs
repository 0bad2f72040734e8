#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("record not found")]
    NotFound,
    /// A uniqueness or foreign-key rule of the schema refused the change.
    #[error("constraint violated: {0}")]
    Constraint(String),
    /// The record is no longer in the state the change expected (someone else changed it first).
    #[error("changed meanwhile: {0}")]
    Stale(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Other(#[source] sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(database_error)
                if database_error.is_unique_violation()
                    || database_error.is_foreign_key_violation() =>
            {
                DbError::Constraint(database_error.message().to_string())
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                DbError::Unavailable(error.to_string())
            }
            _ => DbError::Other(error),
        }
    }
}

impl DbError {
    /// Whether this is the database refusing a second active pledge over one right.
    pub fn is_active_pledge_conflict(&self) -> bool {
        matches!(self, DbError::Constraint(message) if message.contains("pledge_rights"))
    }
}

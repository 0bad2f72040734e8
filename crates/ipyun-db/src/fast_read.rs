//! Point reads on SQLite without the pool's worker threads: a few read-only connections used
//! directly, each behind a mutex. A lookup by a unique index takes microseconds, less than the two
//! thread hand-offs a pooled query costs, so it runs in place on the calling task. WAL mode lets
//! these readers see every committed write of the pool's connections at once.
//! PostgreSQL has no such path: its pool is already a socket round trip.

use crate::DbError;
use crate::rights::{HolderRow, RightRow};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

const READERS: usize = 4;

pub(crate) struct FastReads {
    connections: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl std::fmt::Debug for FastReads {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("FastReads")
            .field("connections", &self.connections.len())
            .finish()
    }
}

pub(crate) fn sqlite_error(error: rusqlite::Error) -> DbError {
    match error {
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.code == rusqlite::ErrorCode::DatabaseBusy =>
        {
            DbError::Unavailable(failure.to_string())
        }
        other => DbError::Corrupt(format!("fast read: {other}")),
    }
}

pub(crate) fn date(text: Option<String>, column: &str) -> Result<Option<NaiveDate>, DbError> {
    text.map(|text| {
        text.parse::<NaiveDate>()
            .map_err(|error| crate::rights::corrupt(column, error))
    })
    .transpose()
}

impl FastReads {
    pub(crate) fn open(path: &Path) -> Result<FastReads, DbError> {
        let mut connections = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let connection = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )
            .map_err(|error| {
                DbError::Unavailable(format!(
                    "cannot open {} for reading: {error}",
                    path.display()
                ))
            })?;
            connection
                .busy_timeout(std::time::Duration::from_secs(5))
                .map_err(sqlite_error)?;
            connections.push(Mutex::new(connection));
        }
        Ok(FastReads {
            connections,
            next: AtomicUsize::new(0),
        })
    }

    /// Runs `read` on a free reader (or waits briefly for the next one in turn).
    pub(crate) fn with_reader<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for offset in 0..self.connections.len() {
            if let Some(slot) = self
                .connections
                .get((start + offset) % self.connections.len())
                && let Ok(connection) = slot.try_lock()
            {
                return read(&connection);
            }
        }
        let slot = self
            .connections
            .get(start % self.connections.len())
            .ok_or_else(|| DbError::Unavailable("no reader".into()))?;
        let connection = slot
            .lock()
            .map_err(|_| DbError::Unavailable("a reader panicked".into()))?;
        read(&connection)
    }

    /// The right numbered `number` and its holders, as `Db::get_right` reads them.
    pub(crate) fn right_with_holders(
        &self,
        number: &str,
    ) -> Result<Option<(RightRow, Vec<HolderRow>)>, DbError> {
        self.with_reader(|connection| {
            let mut statement = connection
                .prepare_cached(
                    "SELECT id, kind, number, title, filing_date, grant_date, legal_status, annual_fee_paid_until, \
                     nice_class, ipc_main, renewals, expiry_date, updated_at FROM rights WHERE number = ?1",
                )
                .map_err(sqlite_error)?;
            type Raw = (i64, String, String, String, String, Option<String>, String, Option<String>, Option<i32>, Option<String>, i32, Option<String>, String);
            let raw: Option<Raw> = statement
                .query_row([number], |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                        row.get(7)?,
                        row.get(8)?,
                        row.get(9)?,
                        row.get(10)?,
                        row.get(11)?,
                        row.get(12)?,
                    ))
                })
                .optional()
                .map_err(sqlite_error)?;
            let Some(raw) = raw else { return Ok(None) };
            let right = RightRow {
                id: raw.0,
                kind: raw.1,
                number: raw.2,
                title: raw.3,
                filing_date: date(Some(raw.4), "rights.filing_date")?.unwrap_or(NaiveDate::MIN),
                grant_date: date(raw.5, "rights.grant_date")?,
                legal_status: raw.6,
                annual_fee_paid_until: date(raw.7, "rights.annual_fee_paid_until")?,
                nice_class: raw.8,
                ipc_main: raw.9,
                renewals: raw.10,
                expiry_date: date(raw.11, "rights.expiry_date")?,
                updated_at: DateTime::parse_from_rfc3339(&raw.12)
                    .map(|instant| instant.with_timezone(&Utc))
                    .map_err(|error| crate::rights::corrupt("rights.updated_at", error))?,
            };
            let mut holders_statement = connection
                .prepare_cached(
                    "SELECT name, uscc, party_id, share_bp FROM right_holders WHERE right_id = ?1 ORDER BY position",
                )
                .map_err(sqlite_error)?;
            let holders = holders_statement
                .query_map([right.id], |row| {
                    Ok(HolderRow {
                        right_id: right.id,
                        name: row.get(0)?,
                        uscc: row.get(1)?,
                        party_id: row.get(2)?,
                        share_bp: row.get(3)?,
                    })
                })
                .map_err(sqlite_error)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(sqlite_error)?;
            Ok(Some((right, holders)))
        })
    }
}

//! ipyun's storage, and the only crate that holds SQL. One set of queries runs on both backends:
//! SQLite (embedded default) and PostgreSQL (`DATABASE_URL`). Each query is written once with
//! `$N` placeholders; `on_pool!` expands it for each backend's native driver, so both keep their
//! own types (DATE, TIMESTAMPTZ, BIGINT identity on PostgreSQL).
//!
//! This crate does not know about HTTP, roles or who may see what: callers pass explicit filters.

pub mod accounts;
pub mod appraisers;
pub mod audit;
pub mod calendar_days;
mod connect;
pub mod demands;
mod error;
pub mod exchange;
mod fast_read;
mod fast_read_pledges;
pub mod imports;
pub mod indicators;
pub mod loans;
pub mod match_events;
pub mod matching;
mod migrate;
pub mod parties;
pub mod patents;
pub mod pledges;
pub mod products;
pub mod rights;
pub mod royalty;
pub mod screening_credit;
pub mod screening_facts;
pub mod screening_seed;
pub mod screenings;
mod sqlite_writer;
pub mod topics;
mod transfer_support;
pub mod valuations;
pub mod webhooks;

pub use connect::{Backend, Db};
pub use error::DbError;

/// Runs `$body` with `$pool` bound to the backend's native pool.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match &$db.pool {
            $crate::connect::Pool::Sqlite($pool) => $body,
            $crate::connect::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

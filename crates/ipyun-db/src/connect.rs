use crate::DbError;
use crate::fast_read::FastReads;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool to one of the two backends.
#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database: a pool of one backend, plus (on SQLite) read-only connections for the hottest
/// point reads, which skip the pool's worker-thread hand-offs.
#[derive(Debug, Clone)]
pub struct Db {
    pub(crate) pool: Pool,
    pub(crate) fast_reads: Option<Arc<FastReads>>,
    /// SQLite only: the group-commit writer of the hottest transactions.
    pub(crate) writer: Option<Arc<crate::sqlite_writer::SqliteWriter>>,
}

pub const SQLITE_FILE_NAME: &str = "ipyun.db";

impl Db {
    /// Opens (creating if needed) `DIR/ipyun.db`: WAL, `synchronous=FULL` for legal records, foreign keys on.
    pub async fn open_sqlite_dir(data_dir: &Path) -> Result<Db, DbError> {
        std::fs::create_dir_all(data_dir).map_err(|error| {
            DbError::Unavailable(format!("cannot create {}: {error}", data_dir.display()))
        })?;
        Self::open_sqlite_file(&data_dir.join(SQLITE_FILE_NAME)).await
    }

    pub async fn open_sqlite_file(path: &Path) -> Result<Db, DbError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory");
        // Migrate on a connection of its own, closed before the pool opens: a connection that
        // has read the schema before a migration keeps it for statements it prepares (an upsert
        // against a new unique index is then refused as matching no constraint).
        let migrator = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let migrating = Db {
            pool: Pool::Sqlite(migrator.clone()),
            fast_reads: None,
            writer: None,
        };
        migrating.migrate().await?;
        migrator.close().await;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .connect_with(options)
            .await?;
        let mut db = Db {
            pool: Pool::Sqlite(pool),
            fast_reads: None,
            writer: None,
        };
        db.fast_reads = Some(Arc::new(FastReads::open(path)?));
        db.writer = Some(Arc::new(crate::sqlite_writer::SqliteWriter::open(path)?));
        Ok(db)
    }

    /// Connects to PostgreSQL. `search_path`, when given, selects a schema (tests use a fresh one each).
    pub async fn open_postgres(url: &str, search_path: Option<&str>) -> Result<Db, DbError> {
        let mut options = PgConnectOptions::from_str(url)
            .map_err(|error| DbError::Unavailable(format!("bad DATABASE_URL: {error}")))?;
        if let Some(schema) = search_path {
            options = options.options([("search_path", schema)]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        let db = Db {
            pool: Pool::Postgres(pool),
            fast_reads: None,
            writer: None,
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Creates the schema `schema` (if absent) and connects with it as the search path: each
    /// test gets a database of its own on one server.
    pub async fn open_postgres_schema(url: &str, schema: &str) -> Result<Db, DbError> {
        let valid = !schema.is_empty()
            && schema.len() <= 63
            && schema.chars().all(|character| {
                character.is_ascii_lowercase() || character.is_ascii_digit() || character == '_'
            });
        if !valid {
            return Err(DbError::Unavailable(format!(
                "invalid schema name {schema:?}"
            )));
        }
        let options = PgConnectOptions::from_str(url)
            .map_err(|error| DbError::Unavailable(format!("bad DATABASE_URL: {error}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}"
        )))
        .execute(&pool)
        .await?;
        pool.close().await;
        Self::open_postgres(url, Some(schema)).await
    }

    /// Opens PostgreSQL when `database_url` is set, else the SQLite file in `data_dir`.
    pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Db, DbError> {
        match database_url.filter(|url| !url.trim().is_empty()) {
            Some(url) => Self::open_postgres(url, None).await,
            None => Self::open_sqlite_dir(data_dir).await,
        }
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), DbError> {
        crate::on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn close(&self) {
        crate::on_pool!(self, pool => pool.close().await)
    }
}

/// How a write transaction begins on each backend. On SQLite, `BEGIN IMMEDIATE` takes the write
/// lock at once (waiting on the busy timeout), so a transaction that reads before it writes never
/// fails to upgrade its lock when another connection wrote meanwhile.
pub(crate) trait BeginWrite {
    fn begin_write_statement(&self) -> &'static str;
}

impl BeginWrite for SqlitePool {
    fn begin_write_statement(&self) -> &'static str {
        "BEGIN IMMEDIATE"
    }
}

impl BeginWrite for PgPool {
    fn begin_write_statement(&self) -> &'static str {
        "BEGIN"
    }
}

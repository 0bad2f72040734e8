//! Append-only migrations, one tree per backend, embedded in the binary.

use crate::{Db, DbError};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "pledges",
        sqlite: include_str!("../migrations/sqlite/0002_pledges.sql"),
        postgres: include_str!("../migrations/postgres/0002_pledges.sql"),
    },
    Migration {
        version: 3,
        name: "valuation",
        sqlite: include_str!("../migrations/sqlite/0003_valuation.sql"),
        postgres: include_str!("../migrations/postgres/0003_valuation.sql"),
    },
    Migration {
        version: 4,
        name: "realised_price_key",
        sqlite: include_str!("../migrations/sqlite/0004_realised_price_key.sql"),
        postgres: include_str!("../migrations/postgres/0004_realised_price_key.sql"),
    },
    Migration {
        version: 5,
        name: "patent_search",
        sqlite: include_str!("../migrations/sqlite/0005_patent_search.sql"),
        postgres: include_str!("../migrations/postgres/0005_patent_search.sql"),
    },
    Migration {
        version: 6,
        name: "loans",
        sqlite: include_str!("../migrations/sqlite/0006_loans.sql"),
        postgres: include_str!("../migrations/postgres/0006_loans.sql"),
    },
    Migration {
        version: 7,
        name: "disposal",
        sqlite: include_str!("../migrations/sqlite/0007_disposal.sql"),
        postgres: include_str!("../migrations/postgres/0007_disposal.sql"),
    },
    Migration {
        version: 8,
        name: "subsidies",
        sqlite: include_str!("../migrations/sqlite/0008_subsidies.sql"),
        postgres: include_str!("../migrations/postgres/0008_subsidies.sql"),
    },
    Migration {
        version: 9,
        name: "collateral_alerts",
        sqlite: include_str!("../migrations/sqlite/0009_collateral_alerts.sql"),
        postgres: include_str!("../migrations/postgres/0009_collateral_alerts.sql"),
    },
    Migration {
        version: 10,
        name: "implementation",
        sqlite: include_str!("../migrations/sqlite/0010_implementation.sql"),
        postgres: include_str!("../migrations/postgres/0010_implementation.sql"),
    },
    Migration {
        version: 11,
        name: "products",
        sqlite: include_str!("../migrations/sqlite/0011_products.sql"),
        postgres: include_str!("../migrations/postgres/0011_products.sql"),
    },
    Migration {
        version: 12,
        name: "demands",
        sqlite: include_str!("../migrations/sqlite/0012_demands.sql"),
        postgres: include_str!("../migrations/postgres/0012_demands.sql"),
    },
    Migration {
        version: 13,
        name: "match_events",
        sqlite: include_str!("../migrations/sqlite/0013_match_events.sql"),
        postgres: include_str!("../migrations/postgres/0013_match_events.sql"),
    },
    Migration {
        version: 14,
        name: "screenings",
        sqlite: include_str!("../migrations/sqlite/0014_screenings.sql"),
        postgres: include_str!("../migrations/postgres/0014_screenings.sql"),
    },
    Migration {
        version: 15,
        name: "exchange",
        sqlite: include_str!("../migrations/sqlite/0015_exchange.sql"),
        postgres: include_str!("../migrations/postgres/0015_exchange.sql"),
    },
    Migration {
        version: 16,
        name: "screening_runs",
        sqlite: include_str!("../migrations/sqlite/0016_screening_runs.sql"),
        postgres: include_str!("../migrations/postgres/0016_screening_runs.sql"),
    },
];

/// Serialises migrations of several `ipyun serve` processes starting on one PostgreSQL.
const POSTGRES_MIGRATION_LOCK: i64 = 0x6970_7975_6e00;

impl Db {
    /// Applies every migration not yet applied, each in its own transaction.
    pub async fn migrate(&self) -> Result<(), DbError> {
        crate::on_pool!(self, pool => {
            sqlx::raw_sql(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
            )
            .execute(pool)
            .await?;
            for migration in MIGRATIONS {
                let applied: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(migration.version)
                    .fetch_optional(pool)
                    .await?;
                if applied.is_some() {
                    continue;
                }
                let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
                if self.backend() == crate::Backend::Postgres {
                    // Another process may be migrating: wait for it, then look again.
                    sqlx::query("SELECT pg_advisory_xact_lock($1)")
                        .bind(POSTGRES_MIGRATION_LOCK)
                        .execute(&mut *transaction)
                        .await?;
                    let applied_meanwhile: Option<i64> =
                        sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                            .bind(migration.version)
                            .fetch_optional(&mut *transaction)
                            .await?;
                    if applied_meanwhile.is_some() {
                        continue;
                    }
                }
                let script = match self.backend() {
                    crate::Backend::Sqlite => migration.sqlite,
                    crate::Backend::Postgres => migration.postgres,
                };
                sqlx::raw_sql(script)
                    .execute(&mut *transaction)
                    .await
                    .map_err(|error| DbError::Migration(format!("{} ({}): {error}", migration.version, migration.name)))?;
                sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
                    .bind(migration.version)
                    .bind(migration.name)
                    .execute(&mut *transaction)
                    .await?;
                transaction.commit().await?;
            }
            Ok::<(), DbError>(())
        })
    }
}

impl Db {
    /// Every table with its column names, sorted: to compare the two backends' migrated schemas.
    pub async fn describe_schema(&self) -> Result<Vec<(String, Vec<String>)>, DbError> {
        let rows: Vec<(String, String)> =
            match &self.pool {
                crate::connect::Pool::Sqlite(pool) => sqlx::query_as(
                    "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.name",
                )
                .fetch_all(pool)
                .await?,
                crate::connect::Pool::Postgres(pool) => sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() ORDER BY table_name, column_name",
                )
                .fetch_all(pool)
                .await?,
            };
        let mut tables: Vec<(String, Vec<String>)> = Vec::new();
        for (table, column) in rows {
            match tables.last_mut() {
                Some((name, columns)) if *name == table => columns.push(column),
                _ => tables.push((table, vec![column])),
            }
        }
        Ok(tables)
    }
}

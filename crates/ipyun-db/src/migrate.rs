//! Append-only migrations, one tree per backend, embedded in the binary.

use crate::{Db, DbError};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "foundation",
    sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
    postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
}];

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
                let mut transaction = pool.begin().await?;
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

//! Import runs: what was imported, by whom, with which outcome and row-by-row report.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ImportRecord {
    pub id: i64,
    pub subject: String,
    pub file_name: String,
    pub status: String,
    pub total_rows: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
    /// JSON array of rejected rows: `[{"row":3,"field":"number","code":"check_digit","message":"…"}]`.
    pub report: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportTotals {
    pub total_rows: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
}

impl Db {
    pub async fn start_import(
        &self,
        subject: &str,
        file_name: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "INSERT INTO imports (subject, file_name, status, created_by, created_at) VALUES ($1, $2, 'running', $3, $4) RETURNING id",
        )
        .bind(subject).bind(file_name).bind(actor).bind(now)
        .fetch_one(pool).await)?)
    }

    pub async fn finish_import(
        &self,
        id: i64,
        status: &str,
        totals: ImportTotals,
        report_json: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let after = serde_json::json!({
            "status": status, "total_rows": totals.total_rows, "inserted": totals.inserted,
            "updated": totals.updated, "unchanged": totals.unchanged, "rejected": totals.rejected,
        })
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            sqlx::query(
                "UPDATE imports SET status = $1, total_rows = $2, inserted = $3, updated = $4, unchanged = $5, \
                 rejected = $6, report = $7, finished_at = $8 WHERE id = $9",
            )
            .bind(status).bind(totals.total_rows).bind(totals.inserted).bind(totals.updated)
            .bind(totals.unchanged).bind(totals.rejected).bind(report_json).bind(now).bind(id)
            .execute(&mut *transaction).await?;
            crate::audit::append_in!(&mut *transaction, actor, "import.finish", "import", &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    pub async fn get_import(&self, id: i64) -> Result<Option<ImportRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, subject, file_name, status, total_rows, inserted, updated, unchanged, rejected, report, \
             created_by, created_at, finished_at FROM imports WHERE id = $1",
        )
        .bind(id).fetch_optional(pool).await)?)
    }

    pub async fn list_imports(&self, limit: i64) -> Result<Vec<ImportRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, subject, file_name, status, total_rows, inserted, updated, unchanged, rejected, report, \
             created_by, created_at, finished_at FROM imports ORDER BY id DESC LIMIT $1",
        )
        .bind(limit).fetch_all(pool).await)?)
    }
}

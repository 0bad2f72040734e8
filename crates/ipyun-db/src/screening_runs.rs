//! A screening run's life (F4): started `running` with the number of enterprises in scope, its
//! results stored in batches (each batch one transaction: multi-row inserts of
//! [`RESULT_CHUNK`] rows, the run's progress and heartbeat, one audit entry), then `completed`
//! with its digests and totals, or `failed` with its reason (its partial results removed). Every
//! step after the start is guarded by `status = 'running'`: a run failed meanwhile (say, found
//! interrupted) is never completed or written to again.

use super::RunRecord;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};

/// Result rows per multi-row insert: 9 values each, 18,000 a statement, under SQLite's 32,766
/// and PostgreSQL's 65,535.
pub const RESULT_CHUNK: usize = 2_000;
/// Columns of a stored result.
const RESULT_COLUMNS: usize = 9;

/// A run to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunStart<'a> {
    pub owner_id: i64,
    pub rule_set_id: i64,
    pub rule_set_version: i64,
    pub model: &'a str,
    pub as_of: NaiveDate,
    /// The enterprises in scope when the run started.
    pub total: i64,
    pub actor: &'a str,
}

/// What a completed run records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutcome<'a> {
    pub inputs_digest: &'a str,
    pub results_digest: &'a str,
    pub screened: i64,
    pub passed: i64,
    pub pre_approved_fen: i64,
}

fn stopped(id: i64) -> DbError {
    DbError::Stale(format!("screening run {id} is no longer running"))
}

/// [`Db::store_screening_batch`] on the SQLite writer's connection: the same statements, values
/// written as sqlx writes them (RFC 3339 instants, booleans as 0/1).
fn store_batch_sqlite(
    connection: &rusqlite::Connection,
    id: i64,
    screened: i64,
    results: &[super::NewResult],
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    use crate::sqlite_writer::write_error;
    use rusqlite::{OptionalExtension, params};
    let rows = i64::try_from(results.len()).unwrap_or(i64::MAX);
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    let stored: Option<i64> = connection
        .prepare_cached(
            "UPDATE screening_runs SET screened = ?2, total = ?2, stored = stored + ?3, heartbeat_at = ?4 \
             WHERE id = ?1 AND status = 'running' RETURNING stored",
        )
        .and_then(|mut statement| {
            statement
                .query_row(params![id, screened, rows, at], |row| row.get(0))
                .optional()
        })
        .map_err(write_error)?;
    let Some(stored) = stored else {
        return Err(stopped(id));
    };
    let mut insert = connection
        .prepare_cached(
            "INSERT INTO screening_results (run_id, rank, enterprise_id, score_bp, passed, pre_approved_fen, \
             explanation, outcomes, facts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', ?7, ?8)",
        )
        .map_err(write_error)?;
    for result in results {
        insert
            .execute(params![
                id,
                result.rank,
                result.enterprise_id,
                result.score_bp,
                result.passed,
                result.pre_approved_fen,
                result.outcomes_json,
                result.facts_json
            ])
            .map_err(write_error)?;
    }
    let after =
        serde_json::json!({"rows": rows, "stored": stored, "screened": screened}).to_string();
    crate::pledges::sqlite_write::audit(
        connection,
        actor,
        "screening.store",
        "screening_run",
        &id.to_string(),
        None,
        Some(&after),
        now,
    )
}

impl Db {
    /// Starts a run: `running`, nothing screened or stored yet, its heartbeat now.
    pub async fn begin_screening_run(
        &self,
        run: &RunStart<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = serde_json::json!({"rule_set_id": run.rule_set_id, "rule_set_version": run.rule_set_version,
            "model": run.model, "as_of": run.as_of, "status": "running", "total": run.total})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO screening_runs (owner_id, rule_set_id, rule_set_version, model, as_of, inputs_digest, \
                 results_digest, screened, passed, pre_approved_fen, created_by, created_at, status, total, stored, \
                 heartbeat_at) VALUES ($1, $2, $3, $4, $5, '', '', 0, 0, 0, $6, $7, 'running', $8, 0, $7) RETURNING id",
            )
            .bind(run.owner_id)
            .bind(run.rule_set_id)
            .bind(run.rule_set_version)
            .bind(run.model)
            .bind(run.as_of)
            .bind(run.actor)
            .bind(now)
            .bind(run.total)
            .fetch_one(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, run.actor, "screening.start", "screening_run",
                &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    /// Stores one batch of a running run's results (`screened` of its enterprises screened),
    /// with its progress and heartbeat. [`DbError::Stale`] when the run is no longer running.
    pub async fn store_screening_batch(
        &self,
        id: i64,
        screened: i64,
        results: &[super::NewResult],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let rows = i64::try_from(results.len()).unwrap_or(i64::MAX);
        if let Some(writer) = &self.writer {
            // SQLite: the group-commit writer's own connection, one prepared statement per row
            // (about ten times faster than sqlx's multi-row binds), in the job's savepoint.
            let owned = results.to_vec();
            let actor = actor.to_string();
            return writer
                .write(move |connection| {
                    store_batch_sqlite(connection, id, screened, &owned, &actor, now)
                })
                .await;
        }
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let stored: Option<i64> = sqlx::query_scalar(
                "UPDATE screening_runs SET screened = $2, total = $2, stored = stored + $3, heartbeat_at = $4 \
                 WHERE id = $1 AND status = 'running' RETURNING stored",
            )
            .bind(id)
            .bind(screened)
            .bind(rows)
            .bind(now)
            .fetch_optional(&mut *transaction)
            .await?;
            let Some(stored) = stored else {
                return Err(stopped(id));
            };
            for chunk in results.chunks(RESULT_CHUNK) {
                let sql = format!(
                    "INSERT INTO screening_results (run_id, rank, enterprise_id, score_bp, passed, pre_approved_fen, \
                     explanation, outcomes, facts) VALUES {}",
                    crate::screening_facts::placeholders(chunk.len(), RESULT_COLUMNS)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for result in chunk {
                    query = query
                        .bind(id)
                        .bind(result.rank)
                        .bind(result.enterprise_id)
                        .bind(result.score_bp)
                        .bind(result.passed)
                        .bind(result.pre_approved_fen)
                        .bind("")
                        .bind(&result.outcomes_json)
                        .bind(&result.facts_json);
                }
                query.execute(&mut *transaction).await?;
            }
            let after = serde_json::json!({"rows": rows, "stored": stored, "screened": screened}).to_string();
            crate::audit::append_in!(&mut *transaction, actor, "screening.store", "screening_run",
                &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Completes a running run whose every result is stored. [`DbError::Stale`] otherwise.
    pub async fn complete_screening_run(
        &self,
        id: i64,
        outcome: &RunOutcome<'_>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let after = serde_json::json!({"status": "completed", "inputs_digest": outcome.inputs_digest,
            "results_digest": outcome.results_digest, "screened": outcome.screened, "passed": outcome.passed,
            "pre_approved_fen": outcome.pre_approved_fen})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let done = sqlx::query(
                "UPDATE screening_runs SET status = 'completed', inputs_digest = $2, results_digest = $3, \
                 screened = $4, total = $4, passed = $5, pre_approved_fen = $6, heartbeat_at = $7, finished_at = $7 \
                 WHERE id = $1 AND status = 'running' AND stored = $4",
            )
            .bind(id)
            .bind(outcome.inputs_digest)
            .bind(outcome.results_digest)
            .bind(outcome.screened)
            .bind(outcome.passed)
            .bind(outcome.pre_approved_fen)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if done.rows_affected() != 1 {
                return Err(stopped(id));
            }
            crate::audit::append_in!(&mut *transaction, actor, "screening.run", "screening_run",
                &id.to_string(), Some("{\"status\":\"running\"}"), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Fails a running run with `reason` and removes the results it had stored. False when it
    /// was no longer running (completed or failed meanwhile: nothing changes).
    pub async fn fail_screening_run(
        &self,
        id: i64,
        reason: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let after = serde_json::json!({"status": "failed", "failure": reason}).to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let failed = sqlx::query(
                "UPDATE screening_runs SET status = 'failed', failure = $2, stored = 0, finished_at = $3 \
                 WHERE id = $1 AND status = 'running'",
            )
            .bind(id)
            .bind(reason)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if failed.rows_affected() != 1 {
                return Ok(false);
            }
            sqlx::query("DELETE FROM screening_results WHERE run_id = $1")
                .bind(id)
                .execute(&mut *transaction)
                .await?;
            crate::audit::append_in!(&mut *transaction, actor, "screening.fail", "screening_run",
                &id.to_string(), Some("{\"status\":\"running\"}"), Some(&after), now)?;
            transaction.commit().await?;
            Ok(true)
        })
    }

    /// The running runs of `owner_id` (every owner's with `None`) whose heartbeat is before
    /// `before`: nobody is working on them any more.
    pub async fn stale_screening_runs(
        &self,
        owner_id: Option<i64>,
        before: DateTime<Utc>,
    ) -> Result<Vec<RunRecord>, DbError> {
        let sql = format!(
            "{} WHERE status = 'running' AND heartbeat_at < $2 AND ($1 IS NULL OR owner_id = $1) ORDER BY id",
            super::RUN_SELECT
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(owner_id)
            .bind(before)
            .fetch_all(pool)
            .await)?,
        )
    }
}

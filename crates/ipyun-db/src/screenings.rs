//! Credit white-lists (issue 6, F4): screening rule sets with every version kept, and screening
//! runs stored with their ranked results in one transaction, each result beside the inputs it
//! was screened on (the run's snapshot). Each change is audited in its own transaction.

use crate::rights::corrupt;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::market::{EnterpriseFacts, RuleSet, ScreeningExplanation};

/// A stored rule set at its latest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetRecord {
    pub id: i64,
    pub owner_id: i64,
    pub version: i64,
    pub rules: RuleSet,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One version of a rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetVersion {
    pub version: i64,
    pub rules: RuleSet,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct RuleSetRow {
    id: i64,
    owner_id: i64,
    version: i64,
    config: String,
    created_by: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn rules_of(config: &str) -> Result<RuleSet, DbError> {
    serde_json::from_str(config).map_err(|error| corrupt("screening_rule_sets.config", error))
}

impl RuleSetRow {
    fn into_record(self) -> Result<RuleSetRecord, DbError> {
        Ok(RuleSetRecord {
            rules: rules_of(&self.config)?,
            id: self.id,
            owner_id: self.owner_id,
            version: self.version,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// A screening run as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RunRecord {
    pub id: i64,
    pub owner_id: i64,
    pub rule_set_id: i64,
    pub rule_set_version: i64,
    pub model: String,
    pub as_of: NaiveDate,
    pub inputs_digest: String,
    pub results_digest: String,
    pub screened: i64,
    pub passed: i64,
    pub pre_approved_fen: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A run to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun<'a> {
    pub owner_id: i64,
    pub rule_set_id: i64,
    pub rule_set_version: i64,
    pub model: &'a str,
    pub as_of: NaiveDate,
    pub inputs_digest: &'a str,
    pub results_digest: &'a str,
    pub passed: i64,
    pub pre_approved_fen: i64,
    pub actor: &'a str,
}

/// One ranked result, with its explanation and the inputs it was screened on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRecord {
    pub rank: i64,
    pub enterprise_id: i64,
    pub score_bp: i64,
    pub passed: bool,
    pub pre_approved_fen: i64,
    pub explanation: ScreeningExplanation,
    pub facts: EnterpriseFacts,
}

/// A result to store: JSON already written by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResult {
    pub rank: i64,
    pub enterprise_id: i64,
    pub score_bp: i64,
    pub passed: bool,
    pub pre_approved_fen: i64,
    pub explanation_json: String,
    pub facts_json: String,
}

#[derive(sqlx::FromRow)]
struct ResultRow {
    rank: i64,
    enterprise_id: i64,
    score_bp: i64,
    passed: bool,
    pre_approved_fen: i64,
    explanation: String,
    facts: String,
}

impl ResultRow {
    fn into_record(self) -> Result<ResultRecord, DbError> {
        Ok(ResultRecord {
            explanation: serde_json::from_str(&self.explanation)
                .map_err(|error| corrupt("screening_results.explanation", error))?,
            facts: serde_json::from_str(&self.facts)
                .map_err(|error| corrupt("screening_results.facts", error))?,
            rank: self.rank,
            enterprise_id: self.enterprise_id,
            score_bp: self.score_bp,
            passed: self.passed,
            pre_approved_fen: self.pre_approved_fen,
        })
    }
}

const RULE_SET_SELECT: &str = "SELECT id, owner_id, version, config, created_by, created_at, updated_at \
    FROM screening_rule_sets";
const RUN_SELECT: &str = "SELECT id, owner_id, rule_set_id, rule_set_version, model, as_of, inputs_digest, \
    results_digest, screened, passed, pre_approved_fen, created_by, created_at FROM screening_runs";
const RESULT_SELECT: &str = "SELECT rank, enterprise_id, score_bp, passed, pre_approved_fen, explanation, facts \
    FROM screening_results";
/// Result rows per multi-row insert (7 values each; SQLite allows 32,766 a statement).
const RESULT_CHUNK: usize = 2_000;

fn config_json(rules: &RuleSet) -> Result<String, DbError> {
    serde_json::to_string(rules).map_err(|error| corrupt("screening rule set", error))
}

impl Db {
    /// Stores a rule set as version 1 for `owner_id`.
    pub async fn insert_rule_set(
        &self,
        owner_id: i64,
        rules: &RuleSet,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let config = config_json(rules)?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO screening_rule_sets (owner_id, name, version, config, created_by, created_at, updated_at) \
                 VALUES ($1, $2, 1, $3, $4, $5, $5) RETURNING id",
            )
            .bind(owner_id)
            .bind(&rules.name)
            .bind(&config)
            .bind(actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            sqlx::query(
                "INSERT INTO screening_rule_set_versions (rule_set_id, version, name, config, created_by, created_at) \
                 VALUES ($1, 1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(&rules.name)
            .bind(&config)
            .bind(actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, actor, "screening_rule_set.create", "screening_rule_set",
                &id.to_string(), None::<&str>, Some(&config), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    /// Stores `rules` as the next version of rule set `id`, from `version` (the one it was read
    /// at; [`DbError::Stale`] otherwise). Answers the new version.
    pub async fn update_rule_set(
        &self,
        id: i64,
        version: i64,
        rules: &RuleSet,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let config = config_json(rules)?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let before: Option<String> = sqlx::query_scalar("SELECT config FROM screening_rule_sets WHERE id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .fetch_optional(&mut *transaction)
                .await?;
            let Some(before) = before else {
                return Err(DbError::Stale(format!("rule set {id} changed meanwhile")));
            };
            let next = version + 1;
            sqlx::query(
                "UPDATE screening_rule_sets SET name = $3, version = $4, config = $5, updated_at = $6 \
                 WHERE id = $1 AND version = $2",
            )
            .bind(id)
            .bind(version)
            .bind(&rules.name)
            .bind(next)
            .bind(&config)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            sqlx::query(
                "INSERT INTO screening_rule_set_versions (rule_set_id, version, name, config, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(next)
            .bind(&rules.name)
            .bind(&config)
            .bind(actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, actor, "screening_rule_set.revise", "screening_rule_set",
                &id.to_string(), Some(&before), Some(&config), now)?;
            transaction.commit().await?;
            Ok(next)
        })
    }

    pub async fn get_rule_set(&self, id: i64) -> Result<Option<RuleSetRecord>, DbError> {
        let sql = format!("{RULE_SET_SELECT} WHERE id = $1");
        let row: Option<RuleSetRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(RuleSetRow::into_record).transpose()
    }

    /// The rule sets of `owner_id` (every owner's with `None`), newest first, at most 1,000.
    pub async fn list_rule_sets(
        &self,
        owner_id: Option<i64>,
    ) -> Result<Vec<RuleSetRecord>, DbError> {
        let sql = format!(
            "{RULE_SET_SELECT} WHERE ($1 IS NULL OR owner_id = $1) ORDER BY id DESC LIMIT 1000"
        );
        let rows: Vec<RuleSetRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(owner_id)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(RuleSetRow::into_record).collect()
    }

    /// Every version of rule set `id`, oldest first.
    pub async fn rule_set_versions(&self, id: i64) -> Result<Vec<RuleSetVersion>, DbError> {
        let rows: Vec<(i64, String, String, DateTime<Utc>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT version, config, created_by, created_at FROM screening_rule_set_versions \
             WHERE rule_set_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(version, config, created_by, created_at)| {
                Ok(RuleSetVersion {
                    version,
                    rules: rules_of(&config)?,
                    created_by,
                    created_at,
                })
            })
            .collect()
    }

    /// Version `version` of rule set `id`.
    pub async fn rule_set_version(
        &self,
        id: i64,
        version: i64,
    ) -> Result<Option<RuleSet>, DbError> {
        let config: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT config FROM screening_rule_set_versions WHERE rule_set_id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .fetch_optional(pool)
        .await)?;
        config.as_deref().map(rules_of).transpose()
    }

    /// Stores a run and all its results in one transaction, with one audit entry.
    pub async fn insert_screening_run(
        &self,
        run: &NewRun<'_>,
        results: &[NewResult],
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let screened = i64::try_from(results.len()).unwrap_or(i64::MAX);
        let after = serde_json::json!({"rule_set_id": run.rule_set_id, "rule_set_version": run.rule_set_version,
            "model": run.model, "as_of": run.as_of, "inputs_digest": run.inputs_digest,
            "results_digest": run.results_digest, "screened": screened, "passed": run.passed,
            "pre_approved_fen": run.pre_approved_fen})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO screening_runs (owner_id, rule_set_id, rule_set_version, model, as_of, inputs_digest, \
                 results_digest, screened, passed, pre_approved_fen, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(run.owner_id)
            .bind(run.rule_set_id)
            .bind(run.rule_set_version)
            .bind(run.model)
            .bind(run.as_of)
            .bind(run.inputs_digest)
            .bind(run.results_digest)
            .bind(screened)
            .bind(run.passed)
            .bind(run.pre_approved_fen)
            .bind(run.actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            for chunk in results.chunks(RESULT_CHUNK) {
                let sql = format!(
                    "INSERT INTO screening_results (run_id, rank, enterprise_id, score_bp, passed, pre_approved_fen, \
                     explanation, facts) VALUES {}",
                    crate::screening_facts::placeholders(chunk.len(), 8)
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
                        .bind(&result.explanation_json)
                        .bind(&result.facts_json);
                }
                query.execute(&mut *transaction).await?;
            }
            crate::audit::append_in!(&mut *transaction, run.actor, "screening.run", "screening_run",
                &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_screening_run(&self, id: i64) -> Result<Option<RunRecord>, DbError> {
        let sql = format!("{RUN_SELECT} WHERE id = $1");
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?,
        )
    }

    /// The runs of `owner_id` (every owner's with `None`), newest first, at most 1,000.
    pub async fn list_screening_runs(
        &self,
        owner_id: Option<i64>,
    ) -> Result<Vec<RunRecord>, DbError> {
        let sql =
            format!("{RUN_SELECT} WHERE ($1 IS NULL OR owner_id = $1) ORDER BY id DESC LIMIT 1000");
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(owner_id)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// Results of run `run_id` in rank order: `limit` from `offset` (every one with `None`),
    /// only those that passed with `passed_only`.
    pub async fn screening_results(
        &self,
        run_id: i64,
        passed_only: bool,
        window: Option<(i64, i64)>,
    ) -> Result<Vec<ResultRecord>, DbError> {
        let (offset, limit) = window.unwrap_or((0, i64::MAX));
        let sql = format!(
            "{RESULT_SELECT} WHERE run_id = $1 AND ($2 = FALSE OR passed = TRUE) ORDER BY rank LIMIT $3 OFFSET $4"
        );
        let rows: Vec<ResultRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(run_id)
            .bind(passed_only)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(ResultRow::into_record).collect()
    }
}

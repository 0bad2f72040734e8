//! Credit white-lists (issue 6, F4): screening rule sets with every version kept, and screening
//! runs with their ranked results, each result beside the inputs it was screened on (the run's
//! snapshot) and its compact outcomes (worded when read). A run's life — started, its results
//! stored in batches, completed or failed — is in [`runs`]. Each change is audited in its own
//! transaction.

#[path = "screening_runs.rs"]
pub mod runs;

use crate::rights::corrupt;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::market::{
    EnterpriseFacts, Factor, FactorContribution, FilterOutcome, RuleSet, ScreenFilter,
    ScreeningExplanation,
};
use serde::{Deserialize, Serialize};

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

/// A screening run as stored. `status` is `running`, `completed` or `failed`; while running,
/// `screened` and `stored` count up to `total`.
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
    pub status: String,
    pub total: i64,
    pub stored: i64,
    pub failure: Option<String>,
    pub heartbeat_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// What a result was screened to, compactly: each filter (filter, passed, found) and each
/// factor (factor, input, value, weight, contribution), in the rule set's order. Worded when
/// read, under the run's rule set version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcomes {
    #[serde(rename = "f")]
    pub filters: Vec<(ScreenFilter, bool, i64)>,
    #[serde(rename = "w")]
    pub factors: Vec<(Factor, i64, u32, u32, u32)>,
}

impl Outcomes {
    pub fn of(filters: &[FilterOutcome], factors: &[FactorContribution]) -> Outcomes {
        Outcomes {
            filters: filters
                .iter()
                .map(|outcome| (outcome.filter, outcome.passed, outcome.found))
                .collect(),
            factors: factors
                .iter()
                .map(|part| {
                    (
                        part.factor,
                        part.input,
                        part.value_bp,
                        part.weight_bp,
                        part.contribution_bp,
                    )
                })
                .collect(),
        }
    }

    pub fn filter_outcomes(&self) -> Vec<FilterOutcome> {
        self.filters
            .iter()
            .map(|(filter, passed, found)| FilterOutcome {
                filter: *filter,
                passed: *passed,
                found: *found,
            })
            .collect()
    }

    pub fn contributions(&self) -> Vec<FactorContribution> {
        self.factors
            .iter()
            .map(
                |(factor, input, value_bp, weight_bp, contribution_bp)| FactorContribution {
                    factor: *factor,
                    input: *input,
                    value_bp: *value_bp,
                    weight_bp: *weight_bp,
                    contribution_bp: *contribution_bp,
                },
            )
            .collect()
    }
}

/// How a stored result is explained: compact outcomes (since migration 16), or the words
/// stored by earlier runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredWords {
    Outcomes(Outcomes),
    Worded(ScreeningExplanation),
}

/// One ranked result, with its outcomes and the inputs it was screened on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRecord {
    pub rank: i64,
    pub enterprise_id: i64,
    pub score_bp: i64,
    pub passed: bool,
    pub pre_approved_fen: i64,
    pub words: StoredWords,
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
    pub outcomes_json: String,
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
    outcomes: Option<String>,
    facts: String,
}

impl ResultRow {
    fn into_record(self) -> Result<ResultRecord, DbError> {
        let words = match self.outcomes {
            Some(outcomes) => StoredWords::Outcomes(
                serde_json::from_str(&outcomes)
                    .map_err(|error| corrupt("screening_results.outcomes", error))?,
            ),
            None => StoredWords::Worded(
                serde_json::from_str(&self.explanation)
                    .map_err(|error| corrupt("screening_results.explanation", error))?,
            ),
        };
        Ok(ResultRecord {
            words,
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
pub(crate) const RUN_SELECT: &str = "SELECT id, owner_id, rule_set_id, rule_set_version, model, as_of, inputs_digest, \
    results_digest, screened, passed, pre_approved_fen, created_by, created_at, status, total, stored, failure, \
    heartbeat_at, finished_at FROM screening_runs";
const RESULT_SELECT: &str = "SELECT rank, enterprise_id, score_bp, passed, pre_approved_fen, explanation, outcomes, \
    facts FROM screening_results";

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

//! Credit white-lists (issue 6, F4: 授信白名单). Who may do what:
//! - a lender's users keep their lender's rule sets and run them over every enterprise;
//! - a park's users over the park's enterprises, a provincial office's over its province's, the
//!   national office's over all;
//! - each sees and changes only its own party's rule sets and runs (another's answer "not
//!   found"); platform administrators read all of them; nobody else screens.
//!
//! A run records the rule set's version, the model, the screening date, the digest of its
//! canonical inputs and of its ranked list, and keeps each enterprise's inputs beside its
//! result: [`App::reproduce_screening`] screens the stored inputs again and compares. Results
//! keep their compact outcomes, worded when read. How a run runs (in the request or in the
//! background, its progress, its failure): [`runs`].

#[path = "screening_runs.rs"]
pub mod runs;

use crate::{App, AppError, ErrorKind};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_db::screening_facts::FactsScope;
use ipyun_db::screenings::{Outcomes, ResultRecord, RuleSetRecord, RunRecord, StoredWords};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::market::{
    EnterpriseFacts, RuleSet, RuleSetDraft, Screened, ScreeningExplanation, screen,
};
use ipyun_domain::page::PageRequest;
pub use runs::{ASYNC_THRESHOLD, RunStarted, inputs_digest};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A rule set as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleSetView {
    pub id: i64,
    pub owner_id: i64,
    pub version: i64,
    pub rules: RuleSet,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleSetVersionView {
    pub version: i64,
    pub rules: RuleSet,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A rule set with every version.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleSetDetail {
    pub rule_set: RuleSetView,
    pub versions: Vec<RuleSetVersionView>,
}

/// What to run.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunInput {
    pub rule_set_id: i64,
    /// The screening date; today by default, never later.
    pub as_of: Option<NaiveDate>,
}

/// Where a run is: screening in the background, done, or failed (see `failure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    Completed,
    Failed,
}

/// How far a run has come: enterprises in scope, screened and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RunProgress {
    pub total: i64,
    pub screened: i64,
    pub stored: i64,
}

/// A run as shown. Its digests and totals are empty and zero until it is completed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScreeningRunView {
    pub id: i64,
    pub owner_id: i64,
    pub rule_set_id: i64,
    pub rule_set_version: i64,
    pub model: String,
    pub as_of: NaiveDate,
    /// SHA-256 of the canonical inputs (model, date, every enterprise's facts in id order).
    pub inputs_digest: String,
    /// SHA-256 of the ranked list (rank, enterprise, score, passed, amount).
    pub results_digest: String,
    pub screened: i64,
    pub passed: i64,
    /// The pre-approved amounts summed, in fen.
    pub pre_approved_fen: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub status: RunStatus,
    pub progress: RunProgress,
    /// Why a failed run failed (`interrupted`: the server stopped while it ran).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
}

/// One enterprise's place on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ScreeningResultView {
    pub rank: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uscc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub score_bp: i64,
    pub passed: bool,
    pub pre_approved_fen: i64,
    pub explanation: ScreeningExplanation,
}

/// Which results to show.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResultQuery {
    /// Only the enterprises that passed every filter (the white-list itself).
    #[serde(default)]
    pub passed_only: bool,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A run with its rule set's version and one page of its ranked results (none until the run
/// is completed).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScreeningRunDetail {
    pub run: ScreeningRunView,
    pub rules: RuleSet,
    pub results: Vec<ScreeningResultView>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

/// A run screened again from its stored inputs.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Reproduction {
    pub run_id: i64,
    pub inputs_digest: String,
    pub inputs_digest_again: String,
    pub results_digest: String,
    pub results_digest_again: String,
    /// Both digests match and every explanation is the same.
    pub reproduced: bool,
}

/// What the rule-set owner screens.
struct Screener {
    party_id: i64,
    scope: FactsScope,
}

fn internal(what: &str, error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, what, "screening");
    AppError::new(
        ErrorKind::Internal,
        "internal",
        "an internal error occurred",
    )
}

/// The digest of a ranked list.
pub fn results_digest(rows: impl Iterator<Item = (i64, i64, i64, bool, i64)>) -> String {
    let mut hasher = Sha256::new();
    for (rank, enterprise, score, passed, amount) in rows {
        hasher.update(format!(
            "{rank},{enterprise},{score},{},{amount}\n",
            u8::from(passed)
        ));
    }
    hex::encode(hasher.finalize())
}

fn rule_set_not_found(id: i64) -> AppError {
    AppError::not_found("screening_rule_set.not_found", format!("no rule set {id}"))
}

fn run_not_found(id: i64) -> AppError {
    AppError::not_found("screening.not_found", format!("no screening run {id}"))
}

fn rule_set_view(record: RuleSetRecord) -> RuleSetView {
    RuleSetView {
        id: record.id,
        owner_id: record.owner_id,
        version: record.version,
        rules: record.rules,
        created_by: record.created_by,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

fn run_view(run: RunRecord) -> ScreeningRunView {
    let status = match run.status.as_str() {
        "running" => RunStatus::Running,
        "completed" => RunStatus::Completed,
        _ => RunStatus::Failed,
    };
    ScreeningRunView {
        status,
        progress: RunProgress {
            total: run.total,
            screened: run.screened,
            stored: run.stored,
        },
        failure: run.failure,
        finished_at: run.finished_at,
        id: run.id,
        owner_id: run.owner_id,
        rule_set_id: run.rule_set_id,
        rule_set_version: run.rule_set_version,
        model: run.model,
        as_of: run.as_of,
        inputs_digest: run.inputs_digest,
        results_digest: run.results_digest,
        screened: run.screened,
        passed: run.passed,
        pre_approved_fen: run.pre_approved_fen,
        created_by: run.created_by,
        created_at: run.created_at,
    }
}

/// The result as screened, from its stored outcomes.
fn screened_of(record: &ResultRecord, outcomes: &Outcomes) -> Screened {
    Screened {
        rank: u32::try_from(record.rank).unwrap_or(u32::MAX),
        enterprise_id: record.enterprise_id,
        passed: record.passed,
        score_bp: u32::try_from(record.score_bp).unwrap_or(0),
        pre_approved_fen: record.pre_approved_fen,
        filters: outcomes.filter_outcomes(),
        factors: outcomes.contributions(),
    }
}

/// A stored result in words, under the run's rule set version.
pub(crate) fn explanation_of(rules: &RuleSet, record: &ResultRecord) -> ScreeningExplanation {
    match &record.words {
        StoredWords::Outcomes(outcomes) => screened_of(record, outcomes).explain(rules),
        StoredWords::Worded(explanation) => explanation.clone(),
    }
}

/// Whether `again` screened to what `stored` records.
fn same_outcome(rules: &RuleSet, again: &Screened, stored: &ResultRecord) -> bool {
    match &stored.words {
        StoredWords::Outcomes(outcomes) => {
            *outcomes == Outcomes::of(&again.filters, &again.factors)
        }
        StoredWords::Worded(explanation) => again.explain(rules) == *explanation,
    }
}

pub(crate) fn result_view(rules: &RuleSet, record: ResultRecord) -> ScreeningResultView {
    ScreeningResultView {
        explanation: explanation_of(rules, &record),
        rank: record.rank,
        enterprise_id: record.enterprise_id,
        enterprise_name: record.facts.name,
        uscc: record.facts.uscc,
        region: record.facts.region,
        score_bp: record.score_bp,
        passed: record.passed,
        pre_approved_fen: record.pre_approved_fen,
    }
}

impl App {
    /// The party the principal screens for, and over which enterprises.
    fn screener(&self, principal: &Principal) -> Result<Screener, AppError> {
        let refuse = || {
            AppError::forbidden(
                "lenders, parks and IP offices screen enterprises for credit white-lists",
            )
        };
        let party_id = principal.party_id.ok_or_else(refuse)?;
        let scope = match principal.role {
            Role::Lender | Role::NationalOffice => FactsScope::default(),
            Role::Park => FactsScope {
                park_id: Some(party_id),
                region_prefix: None,
            },
            Role::ProvincialOffice => FactsScope {
                park_id: None,
                region_prefix: Some(
                    crate::loans::province(principal)
                        .ok_or_else(|| AppError::forbidden("your office has no region"))?,
                ),
            },
            _ => return Err(refuse()),
        };
        Ok(Screener { party_id, scope })
    }

    /// Whose rule sets and runs the principal reads: its party's, or everyone's (`None`).
    fn screening_reader(&self, principal: &Principal) -> Result<Option<i64>, AppError> {
        if principal.role == Role::PlatformAdmin {
            return Ok(None);
        }
        Ok(Some(self.screener(principal)?.party_id))
    }

    async fn visible_rule_set(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<RuleSetRecord, AppError> {
        let reader = self
            .screening_reader(principal)
            .map_err(|_| rule_set_not_found(id))?;
        self.db
            .get_rule_set(id)
            .await?
            .filter(|record| reader.is_none_or(|party| record.owner_id == party))
            .ok_or_else(|| rule_set_not_found(id))
    }

    async fn visible_run(&self, principal: &Principal, id: i64) -> Result<RunRecord, AppError> {
        let reader = self
            .screening_reader(principal)
            .map_err(|_| run_not_found(id))?;
        let run = self
            .db
            .get_screening_run(id)
            .await?
            .filter(|run| reader.is_none_or(|party| run.owner_id == party))
            .ok_or_else(|| run_not_found(id))?;
        self.fresh_run(run).await
    }

    /// The screening date asked for (today by default), never later than today.
    fn screening_date(&self, as_of: Option<NaiveDate>) -> Result<NaiveDate, AppError> {
        let today = self.clock.today();
        let as_of = as_of.unwrap_or(today);
        if as_of > today {
            return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                "as_of",
                "in_future",
                format!("screening is on facts up to today ({today})"),
            )])));
        }
        Ok(as_of)
    }

    /// Creates a rule set for the principal's party.
    pub async fn create_rule_set(
        &self,
        principal: &Principal,
        draft: &RuleSetDraft,
    ) -> Result<RuleSetDetail, AppError> {
        let screener = self.screener(principal)?;
        let rules = draft.validate().map_err(AppError::validation)?;
        let id = self
            .db
            .insert_rule_set(
                screener.party_id,
                &rules,
                &principal.username,
                self.clock.now(),
            )
            .await?;
        self.rule_set_detail(principal, id).await
    }

    /// Revises the principal's party's rule set: the new rules become its next version.
    pub async fn revise_rule_set(
        &self,
        principal: &Principal,
        id: i64,
        draft: &RuleSetDraft,
    ) -> Result<RuleSetDetail, AppError> {
        self.screener(principal)
            .map_err(|_| rule_set_not_found(id))?;
        let record = self.visible_rule_set(principal, id).await?;
        let rules = draft.validate().map_err(AppError::validation)?;
        self.db
            .update_rule_set(
                id,
                record.version,
                &rules,
                &principal.username,
                self.clock.now(),
            )
            .await
            .map_err(|error| match error {
                ipyun_db::DbError::Stale(message) => {
                    AppError::new(ErrorKind::Conflict, "screening_rule_set.changed", message)
                }
                other => other.into(),
            })?;
        self.rule_set_detail(principal, id).await
    }

    pub async fn rule_set_detail(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<RuleSetDetail, AppError> {
        let record = self.visible_rule_set(principal, id).await?;
        let versions = self
            .db
            .rule_set_versions(id)
            .await?
            .into_iter()
            .map(|version| RuleSetVersionView {
                version: version.version,
                rules: version.rules,
                created_by: version.created_by,
                created_at: version.created_at,
            })
            .collect();
        Ok(RuleSetDetail {
            rule_set: rule_set_view(record),
            versions,
        })
    }

    /// The principal's party's rule sets, newest first.
    pub async fn list_rule_sets(
        &self,
        principal: &Principal,
    ) -> Result<Vec<RuleSetView>, AppError> {
        let reader = self.screening_reader(principal)?;
        Ok(self
            .db
            .list_rule_sets(reader)
            .await?
            .into_iter()
            .map(rule_set_view)
            .collect())
    }

    /// The principal's party's runs, newest first.
    pub async fn list_screenings(
        &self,
        principal: &Principal,
    ) -> Result<Vec<ScreeningRunView>, AppError> {
        let reader = self.screening_reader(principal)?;
        self.fail_interrupted(reader).await?;
        Ok(self
            .db
            .list_screening_runs(reader)
            .await?
            .into_iter()
            .map(run_view)
            .collect())
    }

    /// A run with one page of its ranked results.
    pub async fn screening_detail(
        &self,
        principal: &Principal,
        id: i64,
        query: &ResultQuery,
    ) -> Result<ScreeningRunDetail, AppError> {
        let run = self.visible_run(principal, id).await?;
        let rules = self.run_rules(&run).await?;
        let page = PageRequest::new(query.page, query.per_page);
        let results = if run.status == "completed" {
            self.db
                .screening_results(id, query.passed_only, Some((page.offset(), page.limit())))
                .await?
                .into_iter()
                .map(|record| result_view(&rules, record))
                .collect()
        } else {
            Vec::new()
        };
        let total = if run.status != "completed" {
            0
        } else if query.passed_only {
            run.passed
        } else {
            run.screened
        };
        Ok(ScreeningRunDetail {
            run: run_view(run),
            rules,
            results,
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn run_rules(&self, run: &RunRecord) -> Result<RuleSet, AppError> {
        self.db
            .rule_set_version(run.rule_set_id, run.rule_set_version)
            .await?
            .ok_or_else(|| internal("rule set version", "a run without its rule set version"))
    }

    /// A run and every result, for the export.
    pub(crate) async fn whole_screening(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<(ScreeningRunView, RuleSet, Vec<ResultRecord>), AppError> {
        let run = self.visible_run(principal, id).await?;
        Self::completed(&run)?;
        let rules = self.run_rules(&run).await?;
        let results = self.db.screening_results(id, false, None).await?;
        Ok((run_view(run), rules, results))
    }

    /// Screens a run's stored inputs again under its rule set's version and compares digests
    /// and explanations.
    pub async fn reproduce_screening(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<Reproduction, AppError> {
        let (run, rules, results) = self.whole_screening(principal, id).await?;
        let as_of = run.as_of;
        tokio::task::spawn_blocking(move || {
            let mut facts: Vec<EnterpriseFacts> =
                results.iter().map(|result| result.facts.clone()).collect();
            facts.sort_by_key(|facts| facts.enterprise_id);
            let inputs_digest_again = inputs_digest(as_of, &facts)?;
            let screened = screen(&rules, as_of, &facts);
            let results_digest_again = runs::list_digest(&screened);
            let same_words = screened.len() == results.len()
                && screened
                    .iter()
                    .zip(&results)
                    .all(|(again, stored)| same_outcome(&rules, again, stored));
            Ok(Reproduction {
                run_id: run.id,
                reproduced: same_words
                    && inputs_digest_again == run.inputs_digest
                    && results_digest_again == run.results_digest,
                inputs_digest: run.inputs_digest,
                inputs_digest_again,
                results_digest: run.results_digest,
                results_digest_again,
            })
        })
        .await
        .map_err(|error| internal("reproduction task", error))?
    }
}

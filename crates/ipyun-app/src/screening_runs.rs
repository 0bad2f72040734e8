//! Running a screening (F4): the run is started `running` with the enterprises in its scope,
//! then a tokio task reads the facts, screens them, digests the inputs and stores the ranked
//! results in batches of [`STORE_BATCH`] (each batch with the run's progress), and completes the
//! run; any failure — an error or a panic of the task — is recorded on the run with its reason.
//! A run of at most [`ASYNC_THRESHOLD`] enterprises is awaited in the request; a larger one is
//! answered at once, still running. A run whose heartbeat is older than [`RUN_LEASE`] was
//! interrupted (the process stopped): it is marked failed, reason `interrupted`, when read.
//!
//! Explanations are not worded here: each result keeps its compact outcomes, worded when read
//! (a page of results, the export) under the run's rule set version.

use super::{Screener, ScreeningRunDetail, internal, results_digest, run_not_found};
use crate::{App, AppError, ErrorKind};
use chrono::{NaiveDate, TimeDelta};
use ipyun_db::DbError;
use ipyun_db::screening_facts::FactsScope;
use ipyun_db::screenings::runs::RunOutcome;
use ipyun_db::screenings::{NewResult, Outcomes, RunRecord};
use ipyun_domain::account::Principal;
use ipyun_domain::market::{EnterpriseFacts, RuleSet, SCREENING_MODEL, Screened, screen};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What a run is started and a population seeded with, for the benchmark and the tests.
pub use ipyun_db::screening_seed::{ScreeningSeed, SeedEnterprise};
pub use ipyun_db::screenings::runs::RunStart;

/// Runs over more enterprises than this continue in the background (202); smaller ones are
/// completed in the request (201).
pub const ASYNC_THRESHOLD: i64 = 5_000;
/// Results stored per transaction (the run's progress moves on with each).
pub const STORE_BATCH: usize = 10_000;
/// A running run not heard of for this long was interrupted.
pub const RUN_LEASE: TimeDelta = TimeDelta::minutes(10);
/// The reason recorded on a run found interrupted.
pub const INTERRUPTED: &str = "interrupted";

/// A started run and whether it is already completed (else still running in the background).
#[derive(Debug, Clone)]
pub struct RunStarted {
    pub detail: ScreeningRunDetail,
    pub completed: bool,
}

/// A screened list ready to store: its digests and totals, and each result's row.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub inputs_digest: String,
    pub results_digest: String,
    pub passed: i64,
    pub pre_approved_fen: i64,
    pub rows: Vec<NewResult>,
}

#[derive(Serialize)]
struct CanonicalInputs<'a> {
    model: &'a str,
    as_of: NaiveDate,
    enterprises: &'a [EnterpriseFacts],
}

/// The canonical inputs' JSON around the enterprises: `{"model":…,"as_of":…,"enterprises":[`
/// and `]}`.
fn canonical_frame(as_of: NaiveDate) -> Result<(String, &'static str), AppError> {
    let empty = serde_json::to_string(&CanonicalInputs {
        model: SCREENING_MODEL,
        as_of,
        enterprises: &[],
    })
    .map_err(|error| internal("inputs", error))?;
    let prefix = empty
        .strip_suffix("]}")
        .ok_or_else(|| internal("inputs", "unexpected canonical form"))?;
    Ok((prefix.to_string(), "]}"))
}

/// SHA-256 of the canonical inputs, from each enterprise's JSON in id order.
fn digest_of(as_of: NaiveDate, facts_json: &[String]) -> Result<String, AppError> {
    let (prefix, suffix) = canonical_frame(as_of)?;
    let mut hasher = Sha256::new();
    hasher.update(prefix.as_bytes());
    for (index, json) in facts_json.iter().enumerate() {
        if index > 0 {
            hasher.update(b",");
        }
        hasher.update(json.as_bytes());
    }
    hasher.update(suffix.as_bytes());
    Ok(hex::encode(hasher.finalize()))
}

fn facts_jsons(facts: &[EnterpriseFacts]) -> Result<Vec<String>, AppError> {
    facts
        .iter()
        .map(|one| serde_json::to_string(one).map_err(|error| internal("facts", error)))
        .collect()
}

/// The digest of the canonical inputs (model, date, every enterprise's facts): `facts` must
/// be in enterprise id order.
pub fn inputs_digest(as_of: NaiveDate, facts: &[EnterpriseFacts]) -> Result<String, AppError> {
    digest_of(as_of, &facts_jsons(facts)?)
}

/// The digest of a screened list.
pub fn list_digest(screened: &[Screened]) -> String {
    results_digest(screened.iter().map(|result| {
        (
            i64::from(result.rank),
            result.enterprise_id,
            i64::from(result.score_bp),
            result.passed,
            result.pre_approved_fen,
        )
    }))
}

/// What to store for `screened`, the list of `facts` (in enterprise id order) on `as_of`: each
/// enterprise's facts serialised once, for its row and for the inputs digest.
pub fn prepare(
    as_of: NaiveDate,
    facts: &[EnterpriseFacts],
    screened: &[Screened],
) -> Result<Prepared, AppError> {
    let mut jsons = facts_jsons(facts)?;
    let inputs_digest = digest_of(as_of, &jsons)?;
    let mut passed = 0_i64;
    let mut pre_approved: i128 = 0;
    let mut rows = Vec::with_capacity(screened.len());
    for result in screened {
        let facts_json = facts
            .binary_search_by_key(&result.enterprise_id, |facts| facts.enterprise_id)
            .ok()
            .and_then(|index| jsons.get_mut(index))
            .map(std::mem::take)
            .ok_or_else(|| internal("facts", "a result without its facts"))?;
        passed += i64::from(result.passed);
        pre_approved += i128::from(result.pre_approved_fen);
        rows.push(NewResult {
            rank: i64::from(result.rank),
            enterprise_id: result.enterprise_id,
            score_bp: i64::from(result.score_bp),
            passed: result.passed,
            pre_approved_fen: result.pre_approved_fen,
            outcomes_json: serde_json::to_string(&Outcomes::of(&result.filters, &result.factors))
                .map_err(|error| internal("outcomes", error))?,
            facts_json,
        });
    }
    Ok(Prepared {
        inputs_digest,
        results_digest: list_digest(screened),
        passed,
        pre_approved_fen: i64::try_from(pre_approved).unwrap_or(i64::MAX),
        rows,
    })
}

/// Why a run failed, and the error its caller gets.
struct Failure {
    reason: String,
    error: AppError,
}

fn db_failure(stage: &str, error: DbError) -> Failure {
    Failure {
        reason: format!("{stage}: {error}"),
        error: error.into(),
    }
}

fn app_failure(stage: &str, error: AppError) -> Failure {
    Failure {
        reason: format!("{stage}: {}", error.message),
        error,
    }
}

/// A started run's work.
struct Job {
    id: i64,
    total: i64,
    scope: FactsScope,
    as_of: NaiveDate,
    rules: RuleSet,
    actor: String,
}

impl App {
    /// Starts a run of the principal's rule set on `as_of` (today by default): checked, the
    /// scope counted, the run stored `running`.
    async fn begin_run(
        &self,
        principal: &Principal,
        input: &super::RunInput,
    ) -> Result<Job, AppError> {
        let Screener { party_id, scope } = self.screener(principal)?;
        let record = self.visible_rule_set(principal, input.rule_set_id).await?;
        let as_of = self.screening_date(input.as_of)?;
        let total = self.db.count_screening_scope(&scope).await?;
        let id = self
            .db
            .begin_screening_run(
                &RunStart {
                    owner_id: party_id,
                    rule_set_id: record.id,
                    rule_set_version: record.version,
                    model: SCREENING_MODEL,
                    as_of,
                    total,
                    actor: &principal.username,
                },
                self.clock.now(),
            )
            .await?;
        Ok(Job {
            id,
            total,
            scope,
            as_of,
            rules: record.rules,
            actor: principal.username.clone(),
        })
    }

    /// Screens the enterprises the principal may screen with its rule set: completed in the
    /// request up to [`ASYNC_THRESHOLD`] enterprises, else answered at once, running.
    pub async fn run_screening(
        &self,
        principal: &Principal,
        input: &super::RunInput,
    ) -> Result<RunStarted, AppError> {
        let job = self.begin_run(principal, input).await?;
        let id = job.id;
        if job.total > ASYNC_THRESHOLD {
            // Shown as started (running, nothing stored yet), then left to run.
            let detail = self
                .screening_detail(principal, id, &super::ResultQuery::default())
                .await;
            drop(self.spawn_run(job));
            return Ok(RunStarted {
                detail: detail?,
                completed: false,
            });
        }
        self.spawn_run(job)
            .await
            .map_err(|error| internal("screening task", error))??;
        Ok(RunStarted {
            detail: self
                .screening_detail(principal, id, &super::ResultQuery::default())
                .await?,
            completed: true,
        })
    }

    /// Screens and waits for the run to complete, however large (the benchmark; tests).
    pub async fn run_screening_now(
        &self,
        principal: &Principal,
        input: &super::RunInput,
    ) -> Result<ScreeningRunDetail, AppError> {
        let job = self.begin_run(principal, input).await?;
        let id = job.id;
        self.spawn_run(job)
            .await
            .map_err(|error| internal("screening task", error))??;
        self.screening_detail(principal, id, &super::ResultQuery::default())
            .await
    }

    /// Runs the job in a task of its own (a dropped request does not stop it); records its
    /// failure, a panic included.
    fn spawn_run(&self, job: Job) -> tokio::task::JoinHandle<Result<(), AppError>> {
        let app = self.clone();
        tokio::spawn(async move {
            let (id, actor) = (job.id, job.actor.clone());
            let worker = app.clone();
            let outcome = match tokio::spawn(async move { worker.execute_run(&job).await }).await {
                Ok(outcome) => outcome,
                Err(error) => Err(Failure {
                    reason: format!("the screening task stopped: {error}"),
                    error: internal("screening task", error),
                }),
            };
            let Err(failure) = outcome else {
                return Ok(());
            };
            tracing::warn!(run = id, reason = %failure.reason, "screening run failed");
            if let Err(error) = app
                .db
                .fail_screening_run(id, &failure.reason, &actor, app.clock.now())
                .await
            {
                tracing::error!(run = id, %error, "the failed screening run could not be recorded");
            }
            Err(failure.error)
        })
    }

    async fn execute_run(&self, job: &Job) -> Result<(), Failure> {
        let facts = self
            .db
            .load_screening_facts(&job.scope, job.as_of)
            .await
            .map_err(|error| db_failure("reading the facts", error))?;
        let (rules, as_of) = (job.rules.clone(), job.as_of);
        let prepared = tokio::task::spawn_blocking(move || {
            let screened = screen(&rules, as_of, &facts);
            prepare(as_of, &facts, &screened)
        })
        .await
        .map_err(|error| Failure {
            reason: format!("the screening stopped: {error}"),
            error: internal("screening task", error),
        })?
        .map_err(|error| app_failure("screening", error))?;
        self.store_screening(job.id, &prepared, &job.actor)
            .await
            .map_err(|error| db_failure("storing the results", error))
    }

    /// Stores a running run's prepared results batch by batch, then completes it.
    pub async fn store_screening(
        &self,
        id: i64,
        prepared: &Prepared,
        actor: &str,
    ) -> Result<(), DbError> {
        let screened = i64::try_from(prepared.rows.len()).unwrap_or(i64::MAX);
        for batch in prepared.rows.chunks(STORE_BATCH) {
            self.db
                .store_screening_batch(id, screened, batch, actor, self.clock.now())
                .await?;
        }
        self.db
            .complete_screening_run(
                id,
                &RunOutcome {
                    inputs_digest: &prepared.inputs_digest,
                    results_digest: &prepared.results_digest,
                    screened,
                    passed: prepared.passed,
                    pre_approved_fen: prepared.pre_approved_fen,
                },
                actor,
                self.clock.now(),
            )
            .await
    }

    /// Marks failed, reason [`INTERRUPTED`], the running runs of `owner` (everyone's with
    /// `None`) not heard of within the lease.
    pub(crate) async fn fail_interrupted(&self, owner: Option<i64>) -> Result<(), AppError> {
        let now = self.clock.now();
        for run in self.db.stale_screening_runs(owner, now - RUN_LEASE).await? {
            self.db
                .fail_screening_run(run.id, INTERRUPTED, "system", now)
                .await?;
        }
        Ok(())
    }

    /// The run as read, marked interrupted first when its lease has run out.
    pub(crate) async fn fresh_run(&self, run: RunRecord) -> Result<RunRecord, AppError> {
        let now = self.clock.now();
        let stale = run.status == "running"
            && run
                .heartbeat_at
                .is_none_or(|heartbeat| heartbeat < now - RUN_LEASE);
        if !stale {
            return Ok(run);
        }
        self.db
            .fail_screening_run(run.id, INTERRUPTED, "system", now)
            .await?;
        self.db
            .get_screening_run(run.id)
            .await?
            .ok_or_else(|| run_not_found(run.id))
    }

    /// Refuses a run that is not completed: its results do not exist (yet).
    pub(crate) fn completed(run: &RunRecord) -> Result<(), AppError> {
        match run.status.as_str() {
            "completed" => Ok(()),
            "running" => Err(AppError::new(
                ErrorKind::Conflict,
                "screening.running",
                format!(
                    "screening run {} is still running ({} of {} stored)",
                    run.id, run.stored, run.total
                ),
            )),
            _ => Err(AppError::new(
                ErrorKind::Conflict,
                "screening.failed",
                format!(
                    "screening run {} failed: {}",
                    run.id,
                    run.failure.as_deref().unwrap_or("unknown")
                ),
            )),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn facts(id: i64) -> EnterpriseFacts {
        EnterpriseFacts {
            enterprise_id: id,
            name: format!("企业\"{id}\""),
            uscc: None,
            region: Some("320505".into()),
            park_id: None,
            size_class: None,
            specialised_sme: id % 2 == 0,
            little_giant: false,
            live_inventions: 2,
            live_rights: 3,
            clean_rights: 3,
            valuation_fen: 123_456,
            loans: 0,
            loans_ever_overdue: 0,
            days_overdue: 0,
            last_loss_on: None,
            last_npl_on: None,
            tax_grade: None,
            active_flags: Vec::new(),
            past_flags: 0,
        }
    }

    #[test]
    fn the_streamed_digest_is_the_digest_of_the_canonical_json() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for count in [0, 1, 3] {
            let all: Vec<EnterpriseFacts> = (1..=count).map(facts).collect();
            let whole = serde_json::to_vec(&CanonicalInputs {
                model: SCREENING_MODEL,
                as_of,
                enterprises: &all,
            })
            .unwrap();
            assert_eq!(
                inputs_digest(as_of, &all).unwrap(),
                hex::encode(Sha256::digest(&whole))
            );
        }
    }
}

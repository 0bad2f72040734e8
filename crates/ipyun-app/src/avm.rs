//! Automated valuation (feature V3): value one patent with its contributions in words, revalue
//! every patent of the register, record realised prices and back-test the model on them. The
//! model itself is `ipyun_domain::avm`; this module gathers its data and checks who may do what.
//!
//! Who: any signed-in user values a right it may see; the platform's administrators and the IP
//! offices revalue the register, record realised prices and run the back-test.

mod prices;

pub use prices::{
    BacktestReport, PriceRowError, PurposeSummary, RealisedPriceDraft, RealisedPriceImport,
};

use crate::{App, AppError, ErrorKind, Principal};
use ipyun_db::DbError;
use ipyun_db::indicators::{AutomatedValuationRecord, PatentForValuation};
use ipyun_domain::account::Role;
use ipyun_domain::avm::{
    AvmModel, Contribution, FieldKey, FieldStats, MODEL_VERSION, PatentIndicators, Purpose,
    RoyaltyTable,
};
use ipyun_domain::right::RightKind;
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a single valuation reuses the field statistics (a scan of the register: about a
/// second for a million patents on SQLite).
pub const MODEL_CACHE_TTL: Duration = Duration::from_secs(300);

/// The model data last computed, with when: kept in [`App`] and shared by its clones.
#[derive(Default)]
pub(crate) struct ModelCache(Mutex<Option<CachedModel>>);

impl std::fmt::Debug for ModelCache {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let computed = self
            .0
            .lock()
            .ok()
            .and_then(|cache| cache.as_ref().map(|entry| entry.computed.elapsed()));
        formatter
            .debug_struct("ModelCache")
            .field("age", &computed)
            .finish()
    }
}

struct CachedModel {
    computed: Instant,
    data: Arc<ModelData>,
}

/// Patents per keyset batch of a revaluation.
const REVALUE_BATCH: i64 = 10_000;
/// Batches in flight between the reader, the scorer and the writer.
const PIPELINE_DEPTH: usize = 4;

/// One patent's automated valuation, with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AutomatedValuation {
    pub number: String,
    pub title: String,
    pub kind: RightKind,
    pub purpose: Purpose,
    pub model_version: String,
    pub valued_on: chrono::NaiveDate,
    /// Composite score, basis points of the full score.
    pub score_bp: u32,
    /// Legal, technical, economic.
    pub dimension_scores_bp: [u32; 3],
    pub low_fen: i64,
    pub mid_fen: i64,
    pub high_fen: i64,
    pub confidence_bp: u32,
    /// In the indicator tree's order.
    pub contributions: Vec<Contribution>,
}

/// How far a revaluation has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevalueProgress {
    pub valued: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevalueOutcome {
    pub purpose: Purpose,
    pub model_version: &'static str,
    /// Patents read and scored.
    pub patents: u64,
    /// Valuations written.
    pub written: u64,
    /// Time spent on the register's field statistics and the royalty reference, before scoring.
    pub preparation_ms: u64,
}

/// The model's reference data: field statistics as of a date, and the royalty table.
#[derive(Debug, Clone)]
pub(crate) struct ModelData {
    pub(crate) model: AvmModel,
    pub(crate) royalty: RoyaltyTable,
}

impl ModelData {
    /// What the model reads of `patent`.
    pub(crate) fn indicators(&self, patent: &PatentForValuation) -> PatentIndicators {
        let ipc = patent.ipc_main.as_deref();
        PatentIndicators {
            kind: patent.kind,
            legal_status: patent.legal_status,
            filing_date: patent.filing_date,
            grant_date: patent.grant_date,
            expiry_date: patent.expiry_date,
            field: ipc.and_then(FieldKey::from_ipc),
            royalty_bp: self.royalty.rate_bp(ipc, patent.holder_industry.as_deref()),
            counts: patent.counts,
            implemented: patent.implemented,
            holder_revenue_fen: patent.holder_revenue_fen,
            holder: patent.holder,
            pledges: patent.pledges,
        }
    }
}

fn may_run_register_wide(principal: &Principal) -> bool {
    matches!(
        principal.role,
        Role::PlatformAdmin | Role::NationalOffice | Role::ProvincialOffice
    )
}

/// Parses a purpose given by a user.
pub fn parse_purpose(raw: &str) -> Result<Purpose, AppError> {
    Purpose::parse(raw).map_err(|error| {
        AppError::validation(ipyun_domain::FieldErrors(vec![
            ipyun_domain::FieldError::new("purpose", error.code, error.message),
        ]))
    })
}

impl App {
    /// The model as of today with the register's field statistics and the royalty table (the
    /// shipped reference rates while the office has loaded none).
    pub(crate) async fn avm_model_data(&self) -> Result<ModelData, AppError> {
        let valued_on = self.clock.today();
        let mut fields = FieldStats::new(valued_on);
        for row in self.db.ipc_field_counts().await? {
            let Some(year) = row
                .filing_year
                .as_deref()
                .and_then(|year| year.parse::<i32>().ok())
            else {
                continue;
            };
            fields.add(
                row.field.as_deref().and_then(FieldKey::from_ipc),
                year,
                u64::try_from(row.patents).unwrap_or(0),
                u64::try_from(row.forward_citations).unwrap_or(0),
            );
        }
        let (rates, concordance) = self.db.royalty_reference().await?;
        let royalty = if rates.is_empty() {
            RoyaltyTable::new(
                ipyun_domain::royalty::seed_table()
                    .iter()
                    .map(|range| (range.industry.clone(), range.mid_bp)),
                ipyun_domain::royalty::seed_concordance().iter().cloned(),
            )
        } else {
            RoyaltyTable::new(rates, concordance)
        };
        Ok(ModelData {
            model: AvmModel::new(valued_on, fields),
            royalty,
        })
    }

    fn cached_model_data(&self) -> Option<Arc<ModelData>> {
        let cache = self.avm_cache.0.lock().ok()?;
        let entry = cache.as_ref()?;
        (entry.computed.elapsed() < MODEL_CACHE_TTL
            && entry.data.model.valued_on() == self.clock.today())
        .then(|| Arc::clone(&entry.data))
    }

    /// Fresh model data, remembered for the next single valuations.
    pub(crate) async fn fresh_model_data(&self) -> Result<Arc<ModelData>, AppError> {
        let data = Arc::new(self.avm_model_data().await?);
        if let Ok(mut cache) = self.avm_cache.0.lock() {
            *cache = Some(CachedModel {
                computed: Instant::now(),
                data: Arc::clone(&data),
            });
        }
        Ok(data)
    }

    /// Values one patent the principal may see, for `purpose`, and explains each indicator.
    pub async fn value_right_automatically(
        &self,
        principal: &Principal,
        number: &str,
        purpose: Purpose,
    ) -> Result<AutomatedValuation, AppError> {
        let right = self.get_right(principal, number).await?;
        if !right.kind.is_patent() {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "avm.not_a_patent",
                format!(
                    "the automated model values patents; {} is a {}",
                    right.number,
                    right.kind.as_str()
                ),
            ));
        }
        let patent = self
            .db
            .patent_for_valuation(right.id)
            .await?
            .ok_or_else(|| {
                AppError::not_found(
                    "right.not_found",
                    format!("no right numbered {}", right.number),
                )
            })?;
        let data = match self.cached_model_data() {
            Some(data) => data,
            None => self.fresh_model_data().await?,
        };
        let indicators = data.indicators(&patent);
        let score = data.model.score(&indicators, purpose);
        Ok(AutomatedValuation {
            number: right.number,
            title: right.title,
            kind: right.kind,
            purpose,
            model_version: MODEL_VERSION.to_string(),
            valued_on: data.model.valued_on(),
            score_bp: score.score_bp,
            dimension_scores_bp: score.dimension_scores_bp,
            low_fen: score.low_fen,
            mid_fen: score.mid_fen,
            high_fen: score.high_fen,
            confidence_bp: score.confidence_bp,
            contributions: data.model.explain(&indicators, purpose),
        })
    }

    /// Values every patent of the register for `purpose` and stores the results in
    /// `automated_valuations` (replacing earlier ones). Reading, scoring and writing run as a
    /// pipeline: a reader task, the scoring on this task, a writer task.
    pub async fn revalue_all(
        &self,
        principal: &Principal,
        purpose: Purpose,
        progress: &(dyn Fn(RevalueProgress) + Send + Sync),
    ) -> Result<RevalueOutcome, AppError> {
        if !may_run_register_wide(principal) {
            return Err(AppError::forbidden(
                "only the platform's administrators and the IP offices revalue the register",
            ));
        }
        let started = Instant::now();
        let data = self.fresh_model_data().await?;
        let preparation_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let computed_at = self.clock.now();

        let (batches, mut batch_receiver) =
            tokio::sync::mpsc::channel::<Vec<PatentForValuation>>(PIPELINE_DEPTH);
        let reader_db = self.db.clone();
        let reader = tokio::spawn(async move {
            let mut after_id = 0;
            loop {
                let batch = reader_db
                    .patents_for_valuation_after(after_id, REVALUE_BATCH)
                    .await?;
                let Some(last) = batch.last() else { break };
                after_id = last.right_id;
                if batches.send(batch).await.is_err() {
                    break;
                }
            }
            Ok::<(), DbError>(())
        });
        let (scored, mut scored_receiver) =
            tokio::sync::mpsc::channel::<Vec<AutomatedValuationRecord>>(PIPELINE_DEPTH);
        let writer_db = self.db.clone();
        let writer = tokio::spawn(async move {
            let mut written = 0u64;
            while let Some(records) = scored_receiver.recv().await {
                written += writer_db
                    .upsert_automated_valuations(records, MODEL_VERSION, computed_at)
                    .await?;
            }
            Ok::<u64, DbError>(written)
        });

        let mut patents = 0u64;
        while let Some(batch) = batch_receiver.recv().await {
            let records: Vec<AutomatedValuationRecord> = batch
                .iter()
                .map(|patent| {
                    let score = data.model.score(&data.indicators(patent), purpose);
                    AutomatedValuationRecord {
                        right_id: patent.right_id,
                        purpose,
                        low_fen: score.low_fen,
                        mid_fen: score.mid_fen,
                        high_fen: score.high_fen,
                        confidence_bp: score.confidence_bp,
                    }
                })
                .collect();
            patents += records.len() as u64;
            if scored.send(records).await.is_err() {
                break;
            }
            progress(RevalueProgress { valued: patents });
        }
        drop(batch_receiver);
        drop(scored);
        let joined = |error: tokio::task::JoinError| {
            AppError::new(
                ErrorKind::Internal,
                "internal",
                format!("revaluation task failed: {error}"),
            )
        };
        reader.await.map_err(joined)??;
        let written = writer.await.map_err(joined)??;
        self.db
            .append_audit(
                &principal.username,
                "avm.revalue",
                "automated_valuations",
                purpose.as_str(),
                Some(
                    &serde_json::json!({
                        "model_version": MODEL_VERSION,
                        "patents": patents,
                        "written": written,
                    })
                    .to_string(),
                ),
                computed_at,
            )
            .await?;
        Ok(RevalueOutcome {
            purpose,
            model_version: MODEL_VERSION,
            patents,
            written,
            preparation_ms,
        })
    }
}

#[cfg(test)]
mod tests;

//! The automated valuation's data (feature V3): patent indicators, the field statistics and
//! royalty reference the model compares with, the valuations it writes, and realised prices.
//!
//! Bulk paths for a province's stock (a million patents): on SQLite the keyset-batched read runs
//! on a read-only rusqlite connection (`fast_read.rs`) off the async threads, decoding in place
//! without a string per column, and the bulk writes go through the group-commit writer
//! (`sqlite_writer.rs`) as one prepared statement per row inside its transaction. PostgreSQL runs
//! the same statements through the pool, writes as multi-row statements.

use crate::fast_read::sqlite_error;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::avm::backtest::PriceKind;
use ipyun_domain::avm::{HolderProfile, IndicatorCounts, Purpose};
use ipyun_domain::party::SizeClass;
use ipyun_domain::right::{LegalStatus, RightKind};

mod fast;
mod write;

/// One patent's indicators as imported, by right number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatentIndicatorsRecord {
    pub right_number: String,
    pub counts: IndicatorCounts,
    pub implemented: Option<bool>,
    pub holder_revenue_fen: Option<i64>,
}

/// A patent with what the model reads of it: the register, its indicators, its first holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatentForValuation {
    pub right_id: i64,
    pub kind: RightKind,
    pub legal_status: LegalStatus,
    pub filing_date: NaiveDate,
    pub grant_date: Option<NaiveDate>,
    pub expiry_date: Option<NaiveDate>,
    pub ipc_main: Option<String>,
    pub counts: Option<IndicatorCounts>,
    pub implemented: Option<bool>,
    pub holder_revenue_fen: Option<i64>,
    /// `None` when the first holder is not a registered party.
    pub holder: Option<HolderProfile>,
    pub holder_industry: Option<String>,
    /// Pledges registered over the right, past and present.
    pub pledges: u32,
}

/// Patents, and their forward citations, of one IPC subclass filed in one year.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FieldCountRow {
    /// The first four characters of the main IPC symbol (`H01L`), if any.
    pub field: Option<String>,
    /// `YYYY`.
    pub filing_year: Option<String>,
    pub patents: i64,
    pub forward_citations: i64,
}

/// One automated valuation to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutomatedValuationRecord {
    pub right_id: i64,
    pub purpose: Purpose,
    pub low_fen: i64,
    pub mid_fen: i64,
    pub high_fen: i64,
    pub confidence_bp: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AutomatedValuationRow {
    pub right_id: i64,
    pub purpose: String,
    pub low_fen: i64,
    pub mid_fen: i64,
    pub high_fen: i64,
    pub confidence_bp: i32,
    pub model_version: String,
    pub computed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRealisedPrice {
    pub right_number: String,
    pub kind: PriceKind,
    pub amount_fen: i64,
    pub on_date: NaiveDate,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RealisedPriceRow {
    pub id: i64,
    pub right_number: String,
    pub kind: String,
    pub amount_fen: i64,
    pub on_date: NaiveDate,
    pub source: String,
}

/// At most this many rows per keyset batch.
pub const MAX_BATCH: i64 = 50_000;

/// The read of [`PatentForValuation`], with a `WHERE` clause appended. The kind is tested as
/// `kind || ''` so that SQLite cannot pick the `(kind, legal_status)` index for it: with that
/// index a keyset batch would gather every patent and sort them by id, a million rows per batch;
/// without it, `id > $1 ORDER BY id LIMIT $2` is a range scan of the table. PostgreSQL is
/// indifferent.
macro_rules! valuation_select {
    ($where:literal) => {
        concat!(
            "SELECT r.id, r.kind, r.legal_status, r.filing_date, r.grant_date, r.expiry_date, r.ipc_main, \
             i.claims, i.independent_claims, i.family_size, i.family_countries, i.forward_citations, \
             i.backward_citations, i.inventors, i.licences, i.transfers, i.litigations, i.invalidation_requests, \
             i.implemented, i.holder_revenue_fen, h.party_id, p.industry, p.size_class, p.specialised_sme_year, \
             p.little_giant_year, (SELECT COUNT(*) FROM pledge_rights pr WHERE pr.right_number = r.number) AS pledges \
             FROM rights r LEFT JOIN patent_indicators i ON i.right_id = r.id \
             LEFT JOIN right_holders h ON h.right_id = r.id AND h.position = 0 \
             LEFT JOIN parties p ON p.id = h.party_id \
             WHERE (r.kind || '') IN ('invention', 'utility_model', 'design') AND ",
            $where
        )
    };
}

const AFTER_SQL: &str = valuation_select!("r.id > $1 ORDER BY r.id LIMIT $2");
const BY_ID_SQL: &str = valuation_select!("r.id = $1");
const BY_NUMBER_SQL: &str = valuation_select!("r.number = $1");

const FIELD_COUNTS_SQL: &str = "SELECT substr(r.ipc_main, 1, 4) AS field, \
     substr(CAST(r.filing_date AS TEXT), 1, 4) AS filing_year, COUNT(*) AS patents, \
     COALESCE(SUM(i.forward_citations), 0) AS forward_citations \
     FROM rights r LEFT JOIN patent_indicators i ON i.right_id = r.id \
     WHERE (r.kind || '') IN ('invention', 'utility_model', 'design') \
     GROUP BY substr(r.ipc_main, 1, 4), substr(CAST(r.filing_date AS TEXT), 1, 4)";

/// The raw columns of [`valuation_select!`] as sqlx decodes them.
#[derive(sqlx::FromRow)]
struct ValuationRow {
    id: i64,
    kind: String,
    legal_status: String,
    filing_date: NaiveDate,
    grant_date: Option<NaiveDate>,
    expiry_date: Option<NaiveDate>,
    ipc_main: Option<String>,
    claims: Option<i32>,
    independent_claims: Option<i32>,
    family_size: Option<i32>,
    family_countries: Option<i32>,
    forward_citations: Option<i32>,
    backward_citations: Option<i32>,
    inventors: Option<i32>,
    licences: Option<i32>,
    transfers: Option<i32>,
    litigations: Option<i32>,
    invalidation_requests: Option<i32>,
    implemented: Option<bool>,
    holder_revenue_fen: Option<i64>,
    party_id: Option<i64>,
    industry: Option<String>,
    size_class: Option<String>,
    specialised_sme_year: Option<i32>,
    little_giant_year: Option<i32>,
    pledges: i64,
}

/// The eleven count columns, `None` when the patent has no indicators row.
pub(super) fn counts(values: [Option<i32>; 11]) -> Option<IndicatorCounts> {
    let [
        claims,
        independent_claims,
        family_size,
        family_countries,
        forward_citations,
        backward_citations,
        inventors,
        licences,
        transfers,
        litigations,
        invalidation_requests,
    ] = values.map(|value| value.map(|value| u32::try_from(value).unwrap_or(0)));
    Some(IndicatorCounts {
        claims: claims?,
        independent_claims: independent_claims.unwrap_or(0),
        family_size: family_size.unwrap_or(0),
        family_countries: family_countries.unwrap_or(0),
        forward_citations: forward_citations.unwrap_or(0),
        backward_citations: backward_citations.unwrap_or(0),
        inventors: inventors.unwrap_or(0),
        licences: licences.unwrap_or(0),
        transfers: transfers.unwrap_or(0),
        litigations: litigations.unwrap_or(0),
        invalidation_requests: invalidation_requests.unwrap_or(0),
    })
}

/// The stored name's enum value, matched without allocating.
pub(super) fn stored<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    text: &str,
    column: &str,
) -> Result<T, DbError> {
    all.iter()
        .copied()
        .find(|value| name(*value) == text)
        .ok_or_else(|| DbError::Corrupt(format!("{column}: unknown value {text:?}")))
}

pub(super) fn holder(
    party_id: Option<i64>,
    size_class: Option<SizeClass>,
    specialised: Option<i32>,
    little_giant: Option<i32>,
) -> Option<HolderProfile> {
    party_id.map(|_| HolderProfile {
        size_class,
        specialised_sme: specialised.is_some(),
        little_giant: little_giant.is_some(),
    })
}

impl ValuationRow {
    fn into_patent(self) -> Result<PatentForValuation, DbError> {
        let size_class = self
            .size_class
            .as_deref()
            .map(|text| {
                stored(
                    SizeClass::ALL,
                    SizeClass::as_str,
                    text,
                    "parties.size_class",
                )
            })
            .transpose()?;
        Ok(PatentForValuation {
            right_id: self.id,
            kind: stored(
                &RightKind::ALL,
                RightKind::as_str,
                &self.kind,
                "rights.kind",
            )?,
            legal_status: stored(
                &LegalStatus::ALL,
                LegalStatus::as_str,
                &self.legal_status,
                "rights.legal_status",
            )?,
            filing_date: self.filing_date,
            grant_date: self.grant_date,
            expiry_date: self.expiry_date,
            ipc_main: self.ipc_main,
            counts: counts([
                self.claims,
                self.independent_claims,
                self.family_size,
                self.family_countries,
                self.forward_citations,
                self.backward_citations,
                self.inventors,
                self.licences,
                self.transfers,
                self.litigations,
                self.invalidation_requests,
            ]),
            implemented: self.implemented,
            holder_revenue_fen: self.holder_revenue_fen,
            holder: holder(
                self.party_id,
                size_class,
                self.specialised_sme_year,
                self.little_giant_year,
            ),
            holder_industry: self.industry,
            pledges: u32::try_from(self.pledges).unwrap_or(u32::MAX),
        })
    }
}

impl Db {
    /// Up to `limit` patents (at most [`MAX_BATCH`]) whose id is above `after_id`, in id order, with
    /// their indicators, first holder and pledge count: pass the last id of one batch to get the next.
    pub async fn patents_for_valuation_after(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<PatentForValuation>, DbError> {
        let limit = limit.clamp(1, MAX_BATCH);
        if let Some(fast_reads) = self.fast_reads.clone() {
            let read = move || {
                fast_reads.with_reader(|connection| {
                    let mut statement =
                        connection.prepare_cached(AFTER_SQL).map_err(sqlite_error)?;
                    let mut rows = statement
                        .query(rusqlite::params![after_id, limit])
                        .map_err(sqlite_error)?;
                    let mut patents = Vec::with_capacity(usize::try_from(limit).unwrap_or(0));
                    while let Some(row) = rows.next().map_err(sqlite_error)? {
                        patents.push(fast::patent(row)?);
                    }
                    Ok(patents)
                })
            };
            return tokio::task::spawn_blocking(read)
                .await
                .map_err(|error| DbError::Unavailable(format!("reader task: {error}")))?;
        }
        let rows: Vec<ValuationRow> = on_pool!(self, pool => sqlx::query_as(AFTER_SQL)
            .bind(after_id).bind(limit).fetch_all(pool).await)?;
        rows.into_iter().map(ValuationRow::into_patent).collect()
    }

    /// One patent as [`Db::patents_for_valuation_after`] reads it; `None` for other kinds.
    pub async fn patent_for_valuation(
        &self,
        right_id: i64,
    ) -> Result<Option<PatentForValuation>, DbError> {
        let row: Option<ValuationRow> = on_pool!(self, pool => sqlx::query_as(BY_ID_SQL)
            .bind(right_id).fetch_optional(pool).await)?;
        row.map(ValuationRow::into_patent).transpose()
    }

    /// One patent by its (normal-form) number; `None` when absent or not a patent.
    pub async fn patent_for_valuation_by_number(
        &self,
        number: &str,
    ) -> Result<Option<PatentForValuation>, DbError> {
        let row: Option<ValuationRow> = on_pool!(self, pool => sqlx::query_as(BY_NUMBER_SQL)
            .bind(number).fetch_optional(pool).await)?;
        row.map(ValuationRow::into_patent).transpose()
    }

    /// Patents and forward citations per IPC subclass and filing year: the model's field statistics.
    /// In no particular order.
    pub async fn ipc_field_counts(&self) -> Result<Vec<FieldCountRow>, DbError> {
        if let Some(fast_reads) = self.fast_reads.clone() {
            return tokio::task::spawn_blocking(move || fast::field_counts(&fast_reads))
                .await
                .map_err(|error| DbError::Unavailable(format!("reader task: {error}")))?;
        }
        Ok(on_pool!(self, pool => sqlx::query_as(FIELD_COUNTS_SQL).fetch_all(pool).await)?)
    }

    /// The royalty rates (industry, mid basis points) and the IPC-prefix-to-industry concordance.
    #[allow(clippy::type_complexity)]
    pub async fn royalty_reference(
        &self,
    ) -> Result<(Vec<(String, u32)>, Vec<(String, String)>), DbError> {
        let (rates, concordance): (Vec<(String, i32)>, Vec<(String, String)>) = on_pool!(self, pool => {
            let rates = sqlx::query_as("SELECT industry, mid_bp FROM royalty_rates ORDER BY industry")
                .fetch_all(pool).await?;
            let concordance = sqlx::query_as("SELECT ipc_prefix, industry FROM ipc_industry ORDER BY ipc_prefix")
                .fetch_all(pool).await?;
            Ok::<_, DbError>((rates, concordance))
        })?;
        let rates = rates
            .into_iter()
            .map(|(industry, mid_bp)| (industry, u32::try_from(mid_bp).unwrap_or(0)))
            .collect();
        Ok((rates, concordance))
    }

    /// The stored automated valuation of a right for a purpose.
    pub async fn automated_valuation(
        &self,
        right_id: i64,
        purpose: Purpose,
    ) -> Result<Option<AutomatedValuationRow>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT right_id, purpose, low_fen, mid_fen, high_fen, confidence_bp, model_version, computed_at \
             FROM automated_valuations WHERE right_id = $1 AND purpose = $2",
        )
        .bind(right_id).bind(purpose.as_str())
        .fetch_optional(pool).await)?)
    }

    pub async fn count_automated_valuations(&self, purpose: Purpose) -> Result<i64, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM automated_valuations WHERE purpose = $1",
        )
        .bind(purpose.as_str()).fetch_one(pool).await)?)
    }
}

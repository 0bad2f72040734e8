//! Subsidy programmes (interest and fee subsidies, L4): the programmes, their appropriations
//! through the ledger, and what a programme's report reads — its budget, its applications by
//! status, the days from application to payout, its journal. Applications and payouts:
//! `subsidy_applications.rs`.

use super::corrupt;
use super::ledger::{EntryMeta, JournalRecord, entries_audit, post_entry_in, posting_error};
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::loan::{JournalEntry, SubsidyKind, SubsidyStatus};

/// A programme to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgramme<'a> {
    pub name: &'a str,
    pub office_id: i64,
    pub kind: SubsidyKind,
    pub region: &'a str,
    pub rate_bp: i64,
    pub cap_per_application_fen: i64,
    pub annual_budget_fen: i64,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub actor: &'a str,
}

/// A programme as stored. `committed_fen`: approved applications not yet paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeRecord {
    pub id: i64,
    pub name: String,
    pub office_id: i64,
    pub kind: SubsidyKind,
    pub region: String,
    pub rate_bp: i64,
    pub cap_per_application_fen: i64,
    pub annual_budget_fen: i64,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub committed_fen: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ProgrammeRow {
    id: i64,
    name: String,
    office_id: i64,
    kind: String,
    region: String,
    rate_bp: i64,
    cap_per_application_fen: i64,
    annual_budget_fen: i64,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    committed_fen: i64,
    created_by: String,
    created_at: DateTime<Utc>,
}

impl ProgrammeRow {
    fn into_record(self) -> Result<ProgrammeRecord, DbError> {
        Ok(ProgrammeRecord {
            kind: SubsidyKind::parse(&self.kind)
                .map_err(|error| corrupt("subsidy_programmes.kind", error))?,
            id: self.id,
            name: self.name,
            office_id: self.office_id,
            region: self.region,
            rate_bp: self.rate_bp,
            cap_per_application_fen: self.cap_per_application_fen,
            annual_budget_fen: self.annual_budget_fen,
            opens_on: self.opens_on,
            closes_on: self.closes_on,
            committed_fen: self.committed_fen,
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }
}

const PROGRAMME_COLUMNS: &str = "id, name, office_id, kind, region, rate_bp, cap_per_application_fen, \
     annual_budget_fen, opens_on, closes_on, committed_fen, created_by, created_at";

/// What a programme received and paid, in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubsidyTotals {
    /// Appropriated in all.
    pub appropriated_fen: i64,
    /// Appropriated in the year asked about.
    pub appropriated_in_year_fen: i64,
    /// Paid by approved payouts.
    pub paid_fen: i64,
    /// Approved, not yet paid.
    pub committed_fen: i64,
}

/// The entries of a programme: its appropriations and its approved payouts.
const PROGRAMME_ENTRIES: &str = "e.id IN (SELECT entry_id FROM subsidy_appropriations WHERE programme_id = $1 \
     UNION SELECT entry_id FROM subsidy_payouts WHERE programme_id = $1 AND entry_id IS NOT NULL)";

impl Db {
    pub async fn insert_subsidy_programme(
        &self,
        programme: &NewProgramme<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = serde_json::json!({"name": programme.name, "office_id": programme.office_id,
            "kind": programme.kind.as_str(), "region": programme.region, "rate_bp": programme.rate_bp,
            "cap_per_application_fen": programme.cap_per_application_fen,
            "annual_budget_fen": programme.annual_budget_fen, "opens_on": programme.opens_on,
            "closes_on": programme.closes_on})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO subsidy_programmes (name, office_id, kind, region, rate_bp, cap_per_application_fen, \
                 annual_budget_fen, opens_on, closes_on, committed_fen, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11) RETURNING id",
            )
            .bind(programme.name)
            .bind(programme.office_id)
            .bind(programme.kind.as_str())
            .bind(programme.region)
            .bind(programme.rate_bp)
            .bind(programme.cap_per_application_fen)
            .bind(programme.annual_budget_fen)
            .bind(programme.opens_on)
            .bind(programme.closes_on)
            .bind(programme.actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, programme.actor, "subsidy_programme.create",
                "subsidy_programme", &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_subsidy_programme(&self, id: i64) -> Result<Option<ProgrammeRecord>, DbError> {
        let sql = format!("SELECT {PROGRAMME_COLUMNS} FROM subsidy_programmes WHERE id = $1");
        let row: Option<ProgrammeRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(ProgrammeRow::into_record).transpose()
    }

    /// Posts an appropriation's entry (from the programme's budget line into the programme) and
    /// records it, with the audit entry, in one transaction. Answers the entry's id.
    pub async fn appropriate_subsidy(
        &self,
        programme_id: i64,
        amount_fen: i64,
        entry: &JournalEntry,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = entries_audit(std::slice::from_ref(entry));
        let meta = EntryMeta {
            kind: "subsidy_appropriation",
            fund_id: None,
            claim_id: None,
            actor,
        };
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let entry_id = post_entry_in!(&mut *transaction, entry, &meta, now).map_err(posting_error)?;
            sqlx::query(
                "INSERT INTO subsidy_appropriations (programme_id, entry_id, amount_fen, appropriated_on, actor, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(programme_id)
            .bind(entry_id)
            .bind(amount_fen)
            .bind(entry.date())
            .bind(actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, actor, "subsidy_programme.appropriate", "subsidy_programme",
                &programme_id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(entry_id)
        })
    }

    /// What programme `id` received, paid and committed; `appropriated_in_year_fen` counts the
    /// appropriations dated `year_start` ≤ d < `year_end`.
    pub async fn subsidy_totals(
        &self,
        id: i64,
        year_start: NaiveDate,
        year_end: NaiveDate,
    ) -> Result<SubsidyTotals, DbError> {
        let (appropriated_fen, appropriated_in_year_fen): (i64, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN appropriated_on >= $2 AND appropriated_on < $3 THEN amount_fen ELSE 0 END), 0) AS BIGINT) \
             FROM subsidy_appropriations WHERE programme_id = $1",
        )
        .bind(id)
        .bind(year_start)
        .bind(year_end)
        .fetch_one(pool)
        .await)?;
        let paid_fen: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM subsidy_payouts \
             WHERE programme_id = $1 AND status = 'approved'",
        )
        .bind(id)
        .fetch_one(pool)
        .await)?;
        let committed_fen: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT committed_fen FROM subsidy_programmes WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(SubsidyTotals {
            appropriated_fen,
            appropriated_in_year_fen,
            paid_fen,
            committed_fen: committed_fen.unwrap_or(0),
        })
    }

    /// How many of the programme's applications stand in each status.
    pub async fn subsidy_status_counts(
        &self,
        id: i64,
    ) -> Result<Vec<(SubsidyStatus, i64)>, DbError> {
        let rows: Vec<(String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT status, CAST(COUNT(*) AS BIGINT) FROM subsidy_applications WHERE programme_id = $1 \
             GROUP BY status ORDER BY status",
        )
        .bind(id)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(status, count)| {
                SubsidyStatus::parse(&status)
                    .map(|status| (status, count))
                    .map_err(|error| corrupt("subsidy_applications.status", error))
            })
            .collect()
    }

    /// The application and payout dates of the programme's paid applications.
    pub async fn subsidy_payout_dates(
        &self,
        id: i64,
    ) -> Result<Vec<(NaiveDate, NaiveDate)>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT applied_on, paid_on FROM subsidy_applications \
             WHERE programme_id = $1 AND status = 'paid' AND paid_on IS NOT NULL ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await)?)
    }

    /// The programme's entries (appropriations, payouts), oldest first, with their lines.
    pub async fn subsidy_journal(&self, id: i64) -> Result<Vec<JournalRecord>, DbError> {
        self.journal_where(PROGRAMME_ENTRIES, id).await
    }

    /// The interest paid on a loan by repayments received `start` ≤ d ≤ `end`, in fen.
    pub async fn interest_paid_between(
        &self,
        loan_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<i64, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(interest_fen), 0) AS BIGINT) FROM loan_repayments \
             WHERE loan_id = $1 AND received_on >= $2 AND received_on <= $3",
        )
        .bind(loan_id)
        .bind(start)
        .bind(end)
        .fetch_one(pool)
        .await)?)
    }
}

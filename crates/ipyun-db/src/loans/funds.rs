//! Risk-compensation funds, lenders' claims, payouts by maker and checker, and the settlement
//! of recoveries: each change of a claim or payout moves from the status it was read in, with
//! its ledger entries and audit entry in the same transaction.

use super::corrupt;
use super::ledger::{EntryMeta, entries_audit, post_entry_in, posting_error};
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::loan::{ClaimStatus, JournalEntry, RiskClass};

/// A fund to create. `eligible_*` are JSON arrays of ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFund<'a> {
    pub name: &'a str,
    pub office_id: i64,
    /// `region` or `park`.
    pub scope_kind: &'a str,
    pub region: Option<&'a str>,
    pub park_id: Option<i64>,
    pub coverage_bp: i64,
    pub cap_per_loan_fen: i64,
    pub cap_per_year_fen: i64,
    pub eligible_lenders_json: &'a str,
    pub eligible_products_json: &'a str,
    pub actor: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FundRecord {
    pub id: i64,
    pub name: String,
    pub office_id: i64,
    pub scope_kind: String,
    pub region: Option<String>,
    pub park_id: Option<i64>,
    pub coverage_bp: i64,
    pub cap_per_loan_fen: i64,
    pub cap_per_year_fen: i64,
    pub eligible_lenders: String,
    pub eligible_products: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

const FUND_COLUMNS: &str = "id, name, office_id, scope_kind, region, park_id, coverage_bp, cap_per_loan_fen, \
     cap_per_year_fen, eligible_lenders, eligible_products, created_by, created_at";

/// A claim to file: `status` is `submitted`, or `refused` with the reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClaim<'a> {
    pub fund_id: i64,
    pub loan_id: i64,
    pub lender_id: i64,
    pub status: ClaimStatus,
    pub claimed_on: NaiveDate,
    pub principal_outstanding_fen: i64,
    pub days_overdue: i64,
    pub risk_class: RiskClass,
    pub share_fen: i64,
    pub due_fen: i64,
    pub amount_fen: i64,
    pub limited_by: Option<&'a str>,
    pub refusal: Option<&'a str>,
    pub actor: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRecord {
    pub id: i64,
    pub fund_id: i64,
    pub loan_id: i64,
    pub lender_id: i64,
    pub status: ClaimStatus,
    pub claimed_on: NaiveDate,
    pub principal_outstanding_fen: i64,
    pub days_overdue: i64,
    pub risk_class: RiskClass,
    pub share_fen: i64,
    pub due_fen: i64,
    pub amount_fen: i64,
    pub limited_by: Option<String>,
    pub paid_fen: i64,
    pub recovered_fen: Option<i64>,
    pub recovered_to_fund_fen: Option<i64>,
    pub refusal: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    fund_id: i64,
    loan_id: i64,
    lender_id: i64,
    status: String,
    claimed_on: NaiveDate,
    principal_outstanding_fen: i64,
    days_overdue: i64,
    risk_class: String,
    share_fen: i64,
    due_fen: i64,
    amount_fen: i64,
    limited_by: Option<String>,
    paid_fen: i64,
    recovered_fen: Option<i64>,
    recovered_to_fund_fen: Option<i64>,
    refusal: Option<String>,
    created_by: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ClaimRow {
    fn into_record(self) -> Result<ClaimRecord, DbError> {
        Ok(ClaimRecord {
            status: ClaimStatus::parse(&self.status)
                .map_err(|error| corrupt("fund_claims.status", error))?,
            risk_class: super::records::risk_class("fund_claims.risk_class", &self.risk_class)?,
            id: self.id,
            fund_id: self.fund_id,
            loan_id: self.loan_id,
            lender_id: self.lender_id,
            claimed_on: self.claimed_on,
            principal_outstanding_fen: self.principal_outstanding_fen,
            days_overdue: self.days_overdue,
            share_fen: self.share_fen,
            due_fen: self.due_fen,
            amount_fen: self.amount_fen,
            limited_by: self.limited_by,
            paid_fen: self.paid_fen,
            recovered_fen: self.recovered_fen,
            recovered_to_fund_fen: self.recovered_to_fund_fen,
            refusal: self.refusal,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const CLAIM_COLUMNS: &str = "id, fund_id, loan_id, lender_id, status, claimed_on, principal_outstanding_fen, \
     days_overdue, risk_class, share_fen, due_fen, amount_fen, limited_by, paid_fen, recovered_fen, \
     recovered_to_fund_fen, refusal, created_by, created_at, updated_at";

/// What a fund has paid out (approved payouts), in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaidTotals {
    pub for_loan_fen: i64,
    pub in_year_fen: i64,
}

/// A payout drafted by its maker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayout<'a> {
    pub claim_id: i64,
    pub fund_id: i64,
    pub lender_id: i64,
    pub amount_fen: i64,
    pub maker_user_id: i64,
    pub maker: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PayoutRecord {
    pub id: i64,
    pub claim_id: i64,
    pub fund_id: i64,
    pub lender_id: i64,
    pub amount_fen: i64,
    /// `pending` or `approved`.
    pub status: String,
    pub maker_user_id: i64,
    pub maker: String,
    pub checker_user_id: Option<i64>,
    pub checker: Option<String>,
    pub entry_id: Option<i64>,
    pub drafted_at: DateTime<Utc>,
    pub approved_on: Option<NaiveDate>,
    pub approved_at: Option<DateTime<Utc>>,
}

const PAYOUT_COLUMNS: &str = "id, claim_id, fund_id, lender_id, amount_fen, status, maker_user_id, maker, \
     checker_user_id, checker, entry_id, drafted_at, approved_on, approved_at";

/// Moves a claim from one status to another in the caller's transaction, or fails as stale.
macro_rules! move_claim_in {
    ($executor:expr, $claim_id:expr, $from:expr, $to:expr, $now:expr) => {{
        let changed = sqlx::query(
            "UPDATE fund_claims SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2",
        )
        .bind($claim_id)
        .bind($from.as_str())
        .bind($to.as_str())
        .bind($now)
        .execute($executor)
        .await?;
        if changed.rows_affected() != 1 {
            return Err(DbError::Stale(format!(
                "claim {} is no longer {}",
                $claim_id,
                $from.as_str()
            )));
        }
    }};
}

impl Db {
    pub async fn insert_fund(
        &self,
        fund: &NewFund<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = serde_json::json!({"name": fund.name, "office_id": fund.office_id, "scope_kind": fund.scope_kind,
            "region": fund.region, "park_id": fund.park_id, "coverage_bp": fund.coverage_bp,
            "cap_per_loan_fen": fund.cap_per_loan_fen, "cap_per_year_fen": fund.cap_per_year_fen,
            "eligible_lenders": fund.eligible_lenders_json, "eligible_products": fund.eligible_products_json}).to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO funds (name, office_id, scope_kind, region, park_id, coverage_bp, cap_per_loan_fen, \
                 cap_per_year_fen, eligible_lenders, eligible_products, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(fund.name)
            .bind(fund.office_id)
            .bind(fund.scope_kind)
            .bind(fund.region)
            .bind(fund.park_id)
            .bind(fund.coverage_bp)
            .bind(fund.cap_per_loan_fen)
            .bind(fund.cap_per_year_fen)
            .bind(fund.eligible_lenders_json)
            .bind(fund.eligible_products_json)
            .bind(fund.actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, fund.actor, "fund.create", "fund", &id.to_string(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_fund(&self, id: i64) -> Result<Option<FundRecord>, DbError> {
        let sql = format!("SELECT {FUND_COLUMNS} FROM funds WHERE id = $1");
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?,
        )
    }

    /// Every fund, oldest first.
    pub async fn list_funds(&self) -> Result<Vec<FundRecord>, DbError> {
        let sql = format!("SELECT {FUND_COLUMNS} FROM funds ORDER BY id");
        Ok(on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await)?)
    }

    /// Files a claim with its audit entry. A second open claim on the same fund and loan fails
    /// with [`DbError::Constraint`] naming `fund_claims`.
    pub async fn insert_claim(
        &self,
        claim: &NewClaim<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = serde_json::json!({"fund_id": claim.fund_id, "loan_id": claim.loan_id, "status": claim.status.as_str(),
            "principal_outstanding_fen": claim.principal_outstanding_fen, "amount_fen": claim.amount_fen,
            "limited_by": claim.limited_by, "refusal": claim.refusal}).to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO fund_claims (fund_id, loan_id, lender_id, status, claimed_on, principal_outstanding_fen, \
                 days_overdue, risk_class, share_fen, due_fen, amount_fen, limited_by, paid_fen, refusal, created_by, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14, $15, $15) \
                 RETURNING id",
            )
            .bind(claim.fund_id)
            .bind(claim.loan_id)
            .bind(claim.lender_id)
            .bind(claim.status.as_str())
            .bind(claim.claimed_on)
            .bind(claim.principal_outstanding_fen)
            .bind(claim.days_overdue)
            .bind(claim.risk_class.as_str())
            .bind(claim.share_fen)
            .bind(claim.due_fen)
            .bind(claim.amount_fen)
            .bind(claim.limited_by)
            .bind(claim.refusal)
            .bind(claim.actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await
            .map_err(|error| match DbError::from(error) {
                DbError::Constraint(message) => DbError::Constraint(format!("fund_claims_one_open: {message}")),
                other => other,
            })?;
            crate::audit::append_in!(&mut *transaction, claim.actor, "fund_claim.create", "fund_claim", &id.to_string(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    /// Claims, newest first (the last thousand): of one lender, or on these funds, or all.
    /// The newest thousand claims, of one lender and/or of some funds (filtered in SQL, so the
    /// limit counts only what is asked for).
    pub async fn list_claims(
        &self,
        lender_id: Option<i64>,
        fund_ids: Option<&[i64]>,
    ) -> Result<Vec<ClaimRecord>, DbError> {
        let funds = match fund_ids {
            Some([]) => return Ok(Vec::new()),
            // Integers only: formatted ids cannot inject anything.
            Some(ids) => format!(
                " AND fund_id IN ({})",
                ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            ),
            None => String::new(),
        };
        let rows: Vec<ClaimRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {CLAIM_COLUMNS} FROM fund_claims WHERE ($1 IS NULL OR lender_id = $1){funds} ORDER BY id DESC LIMIT 1000"
        )))
            .bind(lender_id)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(ClaimRow::into_record).collect()
    }

    pub async fn get_claim(&self, id: i64) -> Result<Option<ClaimRecord>, DbError> {
        let sql = format!("SELECT {CLAIM_COLUMNS} FROM fund_claims WHERE id = $1");
        let row: Option<ClaimRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(ClaimRow::into_record).transpose()
    }

    /// What fund `fund_id` has paid on loan `loan_id`, and in all in the year `year_start` ≤ d < `year_end`.
    pub async fn fund_paid_totals(
        &self,
        fund_id: i64,
        loan_id: i64,
        year_start: NaiveDate,
        year_end: NaiveDate,
    ) -> Result<PaidTotals, DbError> {
        let (for_loan_fen, in_year_fen): (i64, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN c.loan_id = $2 THEN p.amount_fen ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN p.approved_on >= $3 AND p.approved_on < $4 THEN p.amount_fen ELSE 0 END), 0) AS BIGINT) \
             FROM fund_payouts p JOIN fund_claims c ON c.id = p.claim_id WHERE p.fund_id = $1 AND p.status = 'approved'",
        )
        .bind(fund_id)
        .bind(loan_id)
        .bind(year_start)
        .bind(year_end)
        .fetch_one(pool)
        .await)?;
        Ok(PaidTotals {
            for_loan_fen,
            in_year_fen,
        })
    }

    /// Drafts a payout: the claim moves from `submitted` to `payout_drafted`.
    pub async fn insert_payout(
        &self,
        payout: &NewPayout<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = serde_json::json!({"claim_id": payout.claim_id, "fund_id": payout.fund_id,
            "lender_id": payout.lender_id, "amount_fen": payout.amount_fen, "maker": payout.maker})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            move_claim_in!(&mut *transaction, payout.claim_id, ClaimStatus::Submitted, ClaimStatus::PayoutDrafted, now);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO fund_payouts (claim_id, fund_id, lender_id, amount_fen, status, maker_user_id, maker, drafted_at) \
                 VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) RETURNING id",
            )
            .bind(payout.claim_id)
            .bind(payout.fund_id)
            .bind(payout.lender_id)
            .bind(payout.amount_fen)
            .bind(payout.maker_user_id)
            .bind(payout.maker)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, payout.maker, "fund_payout.draft", "fund_payout", &id.to_string(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_payout(&self, id: i64) -> Result<Option<PayoutRecord>, DbError> {
        let sql = format!("SELECT {PAYOUT_COLUMNS} FROM fund_payouts WHERE id = $1");
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?,
        )
    }

    /// The payouts of a claim, oldest first.
    pub async fn claim_payouts(&self, claim_id: i64) -> Result<Vec<PayoutRecord>, DbError> {
        let sql =
            format!("SELECT {PAYOUT_COLUMNS} FROM fund_payouts WHERE claim_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(claim_id).fetch_all(pool).await)?,
        )
    }

    /// Pays an approved payout: posts its entry (refused whole if the fund would go negative),
    /// marks the payout approved by `checker` and the claim paid, with the audit entry.
    pub async fn approve_payout(
        &self,
        payout: &PayoutRecord,
        checker_user_id: i64,
        checker: &str,
        entry: &JournalEntry,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = serde_json::json!({"checker": checker, "entry": entries_audit(std::slice::from_ref(entry))}).to_string();
        let meta = EntryMeta {
            kind: "payout",
            fund_id: Some(payout.fund_id),
            claim_id: Some(payout.claim_id),
            actor: checker,
        };
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let entry_id = post_entry_in!(&mut *transaction, entry, &meta, now).map_err(posting_error)?;
            let changed = sqlx::query(
                "UPDATE fund_payouts SET status = 'approved', checker_user_id = $2, checker = $3, entry_id = $4, \
                 approved_on = $5, approved_at = $6 WHERE id = $1 AND status = 'pending'",
            )
            .bind(payout.id)
            .bind(checker_user_id)
            .bind(checker)
            .bind(entry_id)
            .bind(entry.date())
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("payout {} is no longer pending", payout.id)));
            }
            move_claim_in!(&mut *transaction, payout.claim_id, ClaimStatus::PayoutDrafted, ClaimStatus::Paid, now);
            sqlx::query("UPDATE fund_claims SET paid_fen = paid_fen + $2 WHERE id = $1")
                .bind(payout.claim_id)
                .bind(payout.amount_fen)
                .execute(&mut *transaction)
                .await?;
            crate::audit::append_in!(&mut *transaction, checker, "fund_payout.approve", "fund_payout",
                &payout.id.to_string(), Some(r#"{"status":"pending"}"#), Some(&after), now)?;
            transaction.commit().await?;
            Ok(entry_id)
        })
    }

    /// Settles a paid claim: posts the recovery's entries and records what was recovered and
    /// what went back to the fund; the claim becomes `settled`.
    pub async fn settle_claim(
        &self,
        claim: &ClaimRecord,
        recovered_fen: i64,
        to_fund_fen: i64,
        entries: &[JournalEntry],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let after = serde_json::json!({"recovered_fen": recovered_fen, "to_fund_fen": to_fund_fen,
            "entries": entries_audit(entries)})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            move_claim_in!(&mut *transaction, claim.id, ClaimStatus::Paid, ClaimStatus::Settled, now);
            sqlx::query("UPDATE fund_claims SET recovered_fen = $2, recovered_to_fund_fen = $3 WHERE id = $1")
                .bind(claim.id)
                .bind(recovered_fen)
                .bind(to_fund_fen)
                .execute(&mut *transaction)
                .await?;
            for (index, entry) in entries.iter().enumerate() {
                let meta = EntryMeta {
                    kind: if index == 0 { "recovery_receipt" } else { "recovery_settlement" },
                    fund_id: Some(claim.fund_id),
                    claim_id: Some(claim.id),
                    actor,
                };
                post_entry_in!(&mut *transaction, entry, &meta, now).map_err(posting_error)?;
            }
            crate::audit::append_in!(&mut *transaction, actor, "fund_claim.settle", "fund_claim", &claim.id.to_string(),
                Some(r#"{"status":"paid"}"#), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }
}

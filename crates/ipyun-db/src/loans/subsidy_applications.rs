//! Subsidy applications and their payouts: each change moves an application from the status it
//! was read in, with its ledger entry, the programme's commitment and the audit entry in the
//! same transaction. An approval commits its amount only while the programme's commitments stay
//! within its balance (`subsidy_budget_left`); a payout posts its entry (refused whole by the
//! overdraft check) and releases the commitment.

use super::corrupt;
use super::ledger::{EntryMeta, entries_audit, post_entry_in, posting_error};
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::loan::{JournalEntry, SubsidyKind, SubsidyStatus};

/// The refusal of an approval that would commit more than the programme holds.
pub const SUBSIDY_BUDGET_LEFT: &str = "subsidy_budget_left";
/// The refusal of a second open application on the same cost.
pub const SUBSIDY_ONE_OPEN: &str = "subsidy_applications_one_open";

/// Whether the database refused an approval because the budget left is too small.
pub fn is_subsidy_budget_exhausted(error: &DbError) -> bool {
    matches!(error, DbError::Constraint(message) if message.starts_with(SUBSIDY_BUDGET_LEFT))
}

/// Whether the database refused an application already made (same fee, overlapping period).
pub fn is_subsidy_already_applied(error: &DbError) -> bool {
    matches!(error, DbError::Constraint(message) if message.starts_with(SUBSIDY_ONE_OPEN))
}

/// An application to file: `status` is `submitted`, or `refused` with the grounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubsidyApplication<'a> {
    pub programme_id: i64,
    pub enterprise_id: i64,
    pub loan_id: i64,
    pub kind: SubsidyKind,
    pub status: SubsidyStatus,
    pub applied_on: NaiveDate,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub cost_fen: i64,
    pub evidence: Option<&'a str>,
    pub share_fen: i64,
    pub amount_fen: i64,
    pub limited_by: Option<&'a str>,
    pub refusal: Option<&'a str>,
    pub actor: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyApplicationRecord {
    pub id: i64,
    pub programme_id: i64,
    pub enterprise_id: i64,
    pub loan_id: i64,
    pub kind: SubsidyKind,
    pub status: SubsidyStatus,
    pub applied_on: NaiveDate,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub cost_fen: i64,
    pub evidence: Option<String>,
    pub share_fen: i64,
    pub amount_fen: i64,
    pub limited_by: Option<String>,
    pub refusal: Option<String>,
    pub decided_by: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub paid_fen: i64,
    pub paid_on: Option<NaiveDate>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: i64,
    programme_id: i64,
    enterprise_id: i64,
    loan_id: i64,
    kind: String,
    status: String,
    applied_on: NaiveDate,
    period_start: Option<NaiveDate>,
    period_end: Option<NaiveDate>,
    cost_fen: i64,
    evidence: Option<String>,
    share_fen: i64,
    amount_fen: i64,
    limited_by: Option<String>,
    refusal: Option<String>,
    decided_by: Option<String>,
    decided_on: Option<NaiveDate>,
    paid_fen: i64,
    paid_on: Option<NaiveDate>,
    created_by: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ApplicationRow {
    fn into_record(self) -> Result<SubsidyApplicationRecord, DbError> {
        Ok(SubsidyApplicationRecord {
            kind: SubsidyKind::parse(&self.kind)
                .map_err(|error| corrupt("subsidy_applications.kind", error))?,
            status: SubsidyStatus::parse(&self.status)
                .map_err(|error| corrupt("subsidy_applications.status", error))?,
            id: self.id,
            programme_id: self.programme_id,
            enterprise_id: self.enterprise_id,
            loan_id: self.loan_id,
            applied_on: self.applied_on,
            period_start: self.period_start,
            period_end: self.period_end,
            cost_fen: self.cost_fen,
            evidence: self.evidence,
            share_fen: self.share_fen,
            amount_fen: self.amount_fen,
            limited_by: self.limited_by,
            refusal: self.refusal,
            decided_by: self.decided_by,
            decided_on: self.decided_on,
            paid_fen: self.paid_fen,
            paid_on: self.paid_on,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const APPLICATION_COLUMNS: &str = "id, programme_id, enterprise_id, loan_id, kind, status, applied_on, \
     period_start, period_end, cost_fen, evidence, share_fen, amount_fen, limited_by, refusal, decided_by, \
     decided_on, paid_fen, paid_on, created_by, created_at, updated_at";

/// The office's approval: the amount committed, within the cap and the budget left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyApproval<'a> {
    pub application_id: i64,
    pub programme_id: i64,
    pub amount_fen: i64,
    pub limited_by: Option<&'a str>,
    pub decided_on: NaiveDate,
    pub actor: &'a str,
}

/// A payout drafted by its maker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubsidyPayout<'a> {
    pub application_id: i64,
    pub programme_id: i64,
    pub enterprise_id: i64,
    pub amount_fen: i64,
    pub maker_user_id: i64,
    pub maker: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SubsidyPayoutRecord {
    pub id: i64,
    pub application_id: i64,
    pub programme_id: i64,
    pub enterprise_id: i64,
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

const PAYOUT_COLUMNS: &str = "id, application_id, programme_id, enterprise_id, amount_fen, status, maker_user_id, \
     maker, checker_user_id, checker, entry_id, drafted_at, approved_on, approved_at";

/// Moves an application from one status to another in the caller's transaction, or fails as
/// stale.
macro_rules! move_application_in {
    ($executor:expr, $id:expr, $from:expr, $to:expr, $now:expr) => {{
        let changed = sqlx::query(
            "UPDATE subsidy_applications SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2",
        )
        .bind($id)
        .bind($from.as_str())
        .bind($to.as_str())
        .bind($now)
        .execute($executor)
        .await?;
        if changed.rows_affected() != 1 {
            return Err(DbError::Stale(format!(
                "subsidy application {} is no longer {}",
                $id,
                $from.as_str()
            )));
        }
    }};
}

impl Db {
    /// Files an application with its audit entry. A second open application on the same fee, or
    /// on interest of an overlapping period, of the same programme and loan fails with
    /// [`DbError::Constraint`] starting with [`SUBSIDY_ONE_OPEN`].
    pub async fn insert_subsidy_application(
        &self,
        application: &NewSubsidyApplication<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let (period_start, period_end) = application.period.unzip();
        let after = serde_json::json!({"programme_id": application.programme_id, "loan_id": application.loan_id,
            "status": application.status.as_str(), "period_start": period_start, "period_end": period_end,
            "cost_fen": application.cost_fen, "amount_fen": application.amount_fen,
            "limited_by": application.limited_by, "refusal": application.refusal})
        .to_string();
        let open = application.status != SubsidyStatus::Refused;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            if let (true, Some((start, end))) = (open, application.period) {
                let overlapping: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM subsidy_applications WHERE programme_id = $1 AND loan_id = $2 \
                     AND period_start IS NOT NULL AND status <> 'refused' AND period_start <= $4 AND period_end >= $3 \
                     ORDER BY id LIMIT 1",
                )
                .bind(application.programme_id)
                .bind(application.loan_id)
                .bind(start)
                .bind(end)
                .fetch_optional(&mut *transaction)
                .await?;
                if let Some(other) = overlapping {
                    return Err(DbError::Constraint(format!(
                        "{SUBSIDY_ONE_OPEN}: application {other} already covers interest of this period"
                    )));
                }
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO subsidy_applications (programme_id, enterprise_id, loan_id, kind, status, applied_on, \
                 period_start, period_end, cost_fen, evidence, share_fen, amount_fen, limited_by, refusal, paid_fen, \
                 created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15, $16, $16) RETURNING id",
            )
            .bind(application.programme_id)
            .bind(application.enterprise_id)
            .bind(application.loan_id)
            .bind(application.kind.as_str())
            .bind(application.status.as_str())
            .bind(application.applied_on)
            .bind(period_start)
            .bind(period_end)
            .bind(application.cost_fen)
            .bind(application.evidence)
            .bind(application.share_fen)
            .bind(application.amount_fen)
            .bind(application.limited_by)
            .bind(application.refusal)
            .bind(application.actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await
            .map_err(|error| match DbError::from(error) {
                DbError::Constraint(message) => DbError::Constraint(format!("{SUBSIDY_ONE_OPEN}: {message}")),
                other => other,
            })?;
            crate::audit::append_in!(&mut *transaction, application.actor, "subsidy_application.create",
                "subsidy_application", &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_subsidy_application(
        &self,
        id: i64,
    ) -> Result<Option<SubsidyApplicationRecord>, DbError> {
        let sql = format!("SELECT {APPLICATION_COLUMNS} FROM subsidy_applications WHERE id = $1");
        let row: Option<ApplicationRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(ApplicationRow::into_record).transpose()
    }

    /// Approves a submitted application: its amount is committed against the programme, refused
    /// with [`DbError::Constraint`] starting with [`SUBSIDY_BUDGET_LEFT`] when the commitments
    /// would pass the programme's balance (nothing changes then).
    pub async fn approve_subsidy_application(
        &self,
        approval: &SubsidyApproval<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let after = serde_json::json!({"status": "approved", "amount_fen": approval.amount_fen,
            "limited_by": approval.limited_by})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            move_application_in!(&mut *transaction, approval.application_id, SubsidyStatus::Submitted,
                SubsidyStatus::Approved, now);
            sqlx::query(
                "UPDATE subsidy_applications SET amount_fen = $2, limited_by = $3, decided_by = $4, decided_on = $5 \
                 WHERE id = $1",
            )
            .bind(approval.application_id)
            .bind(approval.amount_fen)
            .bind(approval.limited_by)
            .bind(approval.actor)
            .bind(approval.decided_on)
            .execute(&mut *transaction)
            .await?;
            // The programme's row, locked first (on PostgreSQL): concurrent approvals and payouts
            // of the programme wait here, and the check below then reads their committed balance.
            sqlx::query("UPDATE subsidy_programmes SET committed_fen = committed_fen WHERE id = $1")
                .bind(approval.programme_id)
                .execute(&mut *transaction)
                .await?;
            let committed = sqlx::query(
                "UPDATE subsidy_programmes SET committed_fen = committed_fen + $2 WHERE id = $1 \
                 AND committed_fen + $2 <= COALESCE((SELECT balance_fen FROM ledger_balances \
                 WHERE account_kind = 'subsidy' AND account_id = $1), 0)",
            )
            .bind(approval.programme_id)
            .bind(approval.amount_fen)
            .execute(&mut *transaction)
            .await?;
            if committed.rows_affected() != 1 {
                return Err(DbError::Constraint(format!(
                    "{SUBSIDY_BUDGET_LEFT}: programme {} has less than {} fen left to commit",
                    approval.programme_id, approval.amount_fen
                )));
            }
            crate::audit::append_in!(&mut *transaction, approval.actor, "subsidy_application.approve",
                "subsidy_application", &approval.application_id.to_string(), Some(r#"{"status":"submitted"}"#),
                Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Refuses a submitted application with the office's reason.
    pub async fn refuse_subsidy_application(
        &self,
        id: i64,
        reason: &str,
        decided_on: NaiveDate,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let after = serde_json::json!({"status": "refused", "refusal": reason}).to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            move_application_in!(&mut *transaction, id, SubsidyStatus::Submitted, SubsidyStatus::Refused, now);
            sqlx::query("UPDATE subsidy_applications SET refusal = $2, decided_by = $3, decided_on = $4 WHERE id = $1")
                .bind(id)
                .bind(reason)
                .bind(actor)
                .bind(decided_on)
                .execute(&mut *transaction)
                .await?;
            crate::audit::append_in!(&mut *transaction, actor, "subsidy_application.refuse", "subsidy_application",
                &id.to_string(), Some(r#"{"status":"submitted"}"#), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Drafts a payout: the application moves from `approved` to `payout_drafted`.
    pub async fn insert_subsidy_payout(
        &self,
        payout: &NewSubsidyPayout<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = serde_json::json!({"application_id": payout.application_id, "programme_id": payout.programme_id,
            "enterprise_id": payout.enterprise_id, "amount_fen": payout.amount_fen, "maker": payout.maker})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            move_application_in!(&mut *transaction, payout.application_id, SubsidyStatus::Approved,
                SubsidyStatus::PayoutDrafted, now);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO subsidy_payouts (application_id, programme_id, enterprise_id, amount_fen, status, \
                 maker_user_id, maker, drafted_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) RETURNING id",
            )
            .bind(payout.application_id)
            .bind(payout.programme_id)
            .bind(payout.enterprise_id)
            .bind(payout.amount_fen)
            .bind(payout.maker_user_id)
            .bind(payout.maker)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, payout.maker, "subsidy_payout.draft", "subsidy_payout",
                &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_subsidy_payout(
        &self,
        id: i64,
    ) -> Result<Option<SubsidyPayoutRecord>, DbError> {
        let sql = format!("SELECT {PAYOUT_COLUMNS} FROM subsidy_payouts WHERE id = $1");
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)?,
        )
    }

    /// The payouts of an application, oldest first.
    pub async fn subsidy_application_payouts(
        &self,
        application_id: i64,
    ) -> Result<Vec<SubsidyPayoutRecord>, DbError> {
        let sql = format!(
            "SELECT {PAYOUT_COLUMNS} FROM subsidy_payouts WHERE application_id = $1 ORDER BY id"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(application_id).fetch_all(pool).await)?,
        )
    }

    /// Pays an approved payout: posts its entry (refused whole if the programme would go
    /// negative), marks the payout approved by `checker` and the application paid on the entry's
    /// date, and releases the programme's commitment, with the audit entry.
    pub async fn approve_subsidy_payout(
        &self,
        payout: &SubsidyPayoutRecord,
        checker_user_id: i64,
        checker: &str,
        entry: &JournalEntry,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = serde_json::json!({"checker": checker, "entry": entries_audit(std::slice::from_ref(entry))})
            .to_string();
        let meta = EntryMeta {
            kind: "subsidy_payout",
            fund_id: None,
            claim_id: None,
            actor: checker,
        };
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let entry_id = post_entry_in!(&mut *transaction, entry, &meta, now).map_err(posting_error)?;
            let changed = sqlx::query(
                "UPDATE subsidy_payouts SET status = 'approved', checker_user_id = $2, checker = $3, entry_id = $4, \
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
                return Err(DbError::Stale(format!("subsidy payout {} is no longer pending", payout.id)));
            }
            move_application_in!(&mut *transaction, payout.application_id, SubsidyStatus::PayoutDrafted,
                SubsidyStatus::Paid, now);
            sqlx::query("UPDATE subsidy_applications SET paid_fen = paid_fen + $2, paid_on = $3 WHERE id = $1")
                .bind(payout.application_id)
                .bind(payout.amount_fen)
                .bind(entry.date())
                .execute(&mut *transaction)
                .await?;
            sqlx::query("UPDATE subsidy_programmes SET committed_fen = committed_fen - $2 WHERE id = $1")
                .bind(payout.programme_id)
                .bind(payout.amount_fen)
                .execute(&mut *transaction)
                .await?;
            crate::audit::append_in!(&mut *transaction, checker, "subsidy_payout.approve", "subsidy_payout",
                &payout.id.to_string(), Some(r#"{"status":"pending"}"#), Some(&after), now)?;
            transaction.commit().await?;
            Ok(entry_id)
        })
    }
}

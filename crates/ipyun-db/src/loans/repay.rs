//! Repayments and prepayments: what each paid of which instalment, the loan's outstanding
//! principal and status, in one transaction with the audit entry. Each instalment changes only
//! from the amounts it was read with (`DbError::Stale` otherwise), so two repayments recorded at
//! once never both pay the same fen.

use super::LoanStatus;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};

/// One instalment of a schedule to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInstalment {
    pub disbursement: u32,
    pub period: u32,
    pub due_date: NaiveDate,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub balance_fen: i64,
}

/// Inserts a [`NewInstalment`] of loan `$loan_id` in the caller's transaction.
macro_rules! insert_instalment_in {
    ($executor:expr, $loan_id:expr, $row:expr) => {
        sqlx::query(
            "INSERT INTO loan_instalments (loan_id, disbursement, period, due_date, principal_due_fen, \
             interest_due_fen, fees_due_fen, balance_fen, settled) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)",
        )
        .bind($loan_id)
        .bind(i64::from($row.disbursement))
        .bind(i64::from($row.period))
        .bind($row.due_date)
        .bind($row.principal_fen)
        .bind($row.interest_fen)
        .bind($row.balance_fen)
        .bind($row.principal_fen == 0 && $row.interest_fen == 0)
        .execute($executor)
        .await
    };
}
pub(crate) use insert_instalment_in;

/// What a repayment pays on one instalment, and what had been paid of it when it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalmentPayment {
    pub disbursement: u32,
    pub period: u32,
    pub fees_fen: i64,
    pub interest_fen: i64,
    pub principal_fen: i64,
    /// Paid before: (fees, interest, principal).
    pub paid_before: (i64, i64, i64),
    /// Whether the instalment is settled once this is paid.
    pub settles: bool,
}

/// A repayment to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepaymentWrite<'a> {
    pub loan_id: i64,
    pub received_on: NaiveDate,
    pub amount_fen: i64,
    pub unapplied_fen: i64,
    pub payments: &'a [InstalmentPayment],
    /// The allocation's lines as JSON, kept with the repayment.
    pub detail_json: &'a str,
    pub actor: &'a str,
}

/// A prepayment to record: the disbursement's periods from `replace_from_period` on are replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepaymentWrite<'a> {
    pub loan_id: i64,
    pub disbursement: u32,
    /// Months after the start the prepayment is made.
    pub month: u32,
    /// The first period replaced (a bullet loan's 1, otherwise `month + 1`).
    pub replace_from_period: u32,
    pub date: NaiveDate,
    pub principal_fen: i64,
    pub interest_fen: i64,
    /// How many unpaid instalments are replaced (as read).
    pub replaced: usize,
    pub remaining: &'a [NewInstalment],
    pub detail_json: &'a str,
    pub actor: &'a str,
}

impl Db {
    /// Records a repayment; answers the loan's status after it.
    pub async fn record_repayment(
        &self,
        write: &RepaymentWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<LoanStatus, DbError> {
        let sum =
            |part: fn(&InstalmentPayment) -> i64| write.payments.iter().map(part).sum::<i64>();
        let (fees, interest, principal) = (
            sum(|line| line.fees_fen),
            sum(|line| line.interest_fen),
            sum(|line| line.principal_fen),
        );
        let after =
            serde_json::json!({"received_on": write.received_on, "amount_fen": write.amount_fen,
            "fees_fen": fees, "interest_fen": interest, "principal_fen": principal,
            "unapplied_fen": write.unapplied_fen})
            .to_string();
        let status: String = on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            for line in write.payments {
                let changed = sqlx::query(
                    "UPDATE loan_instalments SET fees_paid_fen = fees_paid_fen + $4, interest_paid_fen = interest_paid_fen + $5, \
                     principal_paid_fen = principal_paid_fen + $6, settled = $7 \
                     WHERE loan_id = $1 AND disbursement = $2 AND period = $3 AND fees_paid_fen = $8 \
                     AND interest_paid_fen = $9 AND principal_paid_fen = $10",
                )
                .bind(write.loan_id)
                .bind(i64::from(line.disbursement))
                .bind(i64::from(line.period))
                .bind(line.fees_fen)
                .bind(line.interest_fen)
                .bind(line.principal_fen)
                .bind(line.settles)
                .bind(line.paid_before.0)
                .bind(line.paid_before.1)
                .bind(line.paid_before.2)
                .execute(&mut *transaction)
                .await?;
                if changed.rows_affected() != 1 {
                    return Err(DbError::Stale(format!(
                        "instalment {} of disbursement {} was paid meanwhile",
                        line.period, line.disbursement
                    )));
                }
            }
            sqlx::query(
                "INSERT INTO loan_repayments (loan_id, kind, received_on, amount_fen, fees_fen, interest_fen, principal_fen, \
                 unapplied_fen, detail, recorded_by, recorded_at) VALUES ($1, 'repayment', $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(write.loan_id)
            .bind(write.received_on)
            .bind(write.amount_fen)
            .bind(fees)
            .bind(interest)
            .bind(principal)
            .bind(write.unapplied_fen)
            .bind(write.detail_json)
            .bind(write.actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            let status: String = sqlx::query_scalar(UPDATE_LOAN_AFTER_PAYMENT)
                .bind(write.loan_id)
                .bind(principal)
                .bind(now)
                .fetch_one(&mut *transaction)
                .await?;
            crate::audit::append_in!(&mut *transaction, write.actor, "loan.repayment", "loan",
                &write.loan_id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok::<_, DbError>(status)
        })?;
        LoanStatus::parse(&status).ok_or_else(|| super::corrupt("loans.status", status))
    }

    /// Records a prepayment and the schedule that replaces the rest; answers the loan's status.
    pub async fn record_prepayment(
        &self,
        write: &PrepaymentWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<LoanStatus, DbError> {
        let after = serde_json::json!({"date": write.date, "disbursement": write.disbursement,
            "month": write.month, "principal_fen": write.principal_fen, "interest_fen": write.interest_fen,
            "remaining_periods": write.remaining.len()}).to_string();
        let status: String = on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            // Only unpaid instalments are replaced: a bullet loan's one instalment, or the periods
            // after the prepayment.
            let replaced = sqlx::query(
                "DELETE FROM loan_instalments WHERE loan_id = $1 AND disbursement = $2 AND period >= $3 \
                 AND fees_paid_fen = 0 AND interest_paid_fen = 0 AND principal_paid_fen = 0",
            )
            .bind(write.loan_id)
            .bind(i64::from(write.disbursement))
            .bind(i64::from(write.replace_from_period))
            .execute(&mut *transaction)
            .await?;
            if replaced.rows_affected() != u64::try_from(write.replaced).unwrap_or(u64::MAX) {
                return Err(DbError::Stale("the loan's schedule changed meanwhile".into()));
            }
            for row in write.remaining {
                insert_instalment_in!(&mut *transaction, write.loan_id, row)?;
            }
            sqlx::query(
                "INSERT INTO loan_repayments (loan_id, kind, received_on, amount_fen, fees_fen, interest_fen, principal_fen, \
                 unapplied_fen, detail, recorded_by, recorded_at) VALUES ($1, 'prepayment', $2, $3, 0, $4, $5, 0, $6, $7, $8)",
            )
            .bind(write.loan_id)
            .bind(write.date)
            .bind(write.principal_fen + write.interest_fen)
            .bind(write.interest_fen)
            .bind(write.principal_fen)
            .bind(write.detail_json)
            .bind(write.actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            let status: String = sqlx::query_scalar(UPDATE_LOAN_AFTER_PAYMENT)
                .bind(write.loan_id)
                .bind(write.principal_fen)
                .bind(now)
                .fetch_one(&mut *transaction)
                .await?;
            crate::audit::append_in!(&mut *transaction, write.actor, "loan.prepayment", "loan",
                &write.loan_id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok::<_, DbError>(status)
        })?;
        LoanStatus::parse(&status).ok_or_else(|| super::corrupt("loans.status", status))
    }
}

/// Lowers the outstanding principal by `$2` and marks the loan repaid when nothing is unsettled.
const UPDATE_LOAN_AFTER_PAYMENT: &str = "UPDATE loans SET principal_outstanding_fen = principal_outstanding_fen - $2, \
     status = CASE WHEN EXISTS (SELECT 1 FROM loan_instalments i WHERE i.loan_id = $1 AND NOT i.settled) \
     THEN 'active' ELSE 'repaid' END, updated_at = $3 WHERE id = $1 RETURNING status";

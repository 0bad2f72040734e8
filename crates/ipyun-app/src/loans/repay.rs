//! Repayments (fees → interest → principal, oldest instalment first) and prepayments (the term
//! kept, the instalment lowered). A loan fully repaid releases its pledges: the lender, as
//! pledgee, cancels each one alone (P5), unless it still secures another active loan.

use super::views::{due_of, rate_pct};
use super::{LoanView, conflict, internal, stale};
use crate::{App, AppError};
use chrono::NaiveDate;
use ipyun_db::loans::{
    InstalmentPayment, LoanRecord, LoanStatus, NewInstalment, PrepaymentWrite, RepaymentWrite,
};
use ipyun_domain::account::Principal;
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::loan::{
    Applied, Instalment, Prepayment, PrepaymentInput, RepaymentMethod, ScheduleInput, allocate,
    prepay,
};
use ipyun_domain::pledge::{
    ApplicationStatus, CancellationInput, CancellationReason, PledgeStatus,
};
use serde::{Deserialize, Serialize};

fn release_by_default() -> bool {
    true
}

/// A repayment received.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepaymentInput {
    pub amount_fen: i64,
    /// The day it was received (default today; not in the future, not before the loan starts).
    pub received_on: Option<NaiveDate>,
    /// Cancel the pledges when this repays the loan in full (default true).
    #[serde(default = "release_by_default")]
    pub release_pledges: bool,
}

/// A prepayment of principal on a monthly anniversary of a disbursement.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrepaymentRequest {
    /// The disbursement prepaid (0, the first, by default).
    #[serde(default)]
    pub disbursement: u32,
    /// Whole months after the disbursement: for the instalment methods, the period whose
    /// instalment was paid that day.
    pub month: u32,
    /// The principal prepaid, in fen.
    pub amount_fen: i64,
    #[serde(default = "release_by_default")]
    pub release_pledges: bool,
}

/// What became of a pledge when its loan was repaid.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PledgeRelease {
    pub registration_no: String,
    /// `cancelled` (the cancellation is registered), `cancellation_pending`, `not_active`,
    /// `secures_other_loans`, `kept` (not asked to) or `failed`.
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_application_id: Option<i64>,
    /// The cancellation's registration number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_no: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RepaymentOutcome {
    pub loan: LoanView,
    /// What it paid of each instalment, oldest first.
    pub applied: Vec<Applied>,
    pub fees_fen: i64,
    pub interest_fen: i64,
    pub principal_fen: i64,
    /// Received beyond what was due: not applied (hold it, or prepay with it).
    pub unapplied_fen: i64,
    /// True when this repaid the loan in full.
    pub repaid: bool,
    /// The pledges of a repaid loan: each may now be cancelled, and is unless told not to.
    pub pledges: Vec<PledgeRelease>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PrepaymentOutcome {
    pub loan: LoanView,
    pub prepayment: Prepayment,
    pub repaid: bool,
    pub pledges: Vec<PledgeRelease>,
}

const DEBT_REPAID: (CancellationReason, &str) = (CancellationReason::DebtRepaid, "repaid in full");

fn invalid(field: &str, code: &str, message: impl Into<String>) -> AppError {
    AppError::validation(FieldErrors(vec![FieldError::new(field, code, message)]))
}

fn active(loan: LoanRecord) -> Result<LoanRecord, AppError> {
    if loan.status != LoanStatus::Active {
        return Err(conflict(
            "loan.repaid",
            format!("loan {} is repaid in full", loan.id),
        ));
    }
    Ok(loan)
}

impl App {
    /// The lender records a repayment: applied to the instalments due by the day it was
    /// received, oldest first, fees → interest → principal; what exceeds them is not applied.
    pub async fn record_loan_repayment(
        &self,
        principal: &Principal,
        id: i64,
        input: &RepaymentInput,
    ) -> Result<RepaymentOutcome, AppError> {
        let loan = active(self.lenders_loan(principal, id).await?)?;
        let today = self.clock.today();
        let on = input.received_on.unwrap_or(today);
        if on > today {
            return Err(invalid(
                "received_on",
                "in_future",
                format!("a repayment is recorded once received; {on} is after today, {today}"),
            ));
        }
        if on < loan.start_date {
            return Err(invalid(
                "received_on",
                "before_start",
                format!("the loan starts on {}", loan.start_date),
            ));
        }
        let instalments = self.db.loan_instalments(loan.id).await?;
        let open: Vec<_> = instalments.iter().filter(|row| !row.settled).collect();
        let dues: Vec<_> = open.iter().map(|row| due_of(row)).collect();
        let allocation = allocate(&dues, input.amount_fen, on).map_err(AppError::validation)?;
        if allocation.applied.is_empty() {
            return Err(conflict(
                "loan.nothing_due",
                format!("nothing of loan {id} is due by {on}: prepay principal instead"),
            ));
        }
        let mut payments = Vec::with_capacity(allocation.applied.len());
        for line in &allocation.applied {
            let position = dues
                .iter()
                .position(|due| due.disbursement == line.disbursement && due.period == line.period)
                .ok_or_else(|| internal("an applied line matches no instalment"))?;
            let (Some(record), Some(after)) = (open.get(position), allocation.dues.get(position))
            else {
                return Err(internal("an applied line matches no instalment"));
            };
            payments.push(InstalmentPayment {
                disbursement: u32::try_from(line.disbursement).unwrap_or(u32::MAX),
                period: line.period,
                fees_fen: line.fees_fen,
                interest_fen: line.interest_fen,
                principal_fen: line.principal_fen,
                paid_before: (
                    record.fees_paid_fen,
                    record.interest_paid_fen,
                    record.principal_paid_fen,
                ),
                settles: after.is_settled(),
            });
        }
        let detail = serde_json::to_string(&allocation.applied).map_err(internal)?;
        let write = RepaymentWrite {
            loan_id: loan.id,
            received_on: on,
            amount_fen: input.amount_fen,
            unapplied_fen: allocation.unapplied_fen,
            payments: &payments,
            detail_json: &detail,
            actor: &principal.username,
        };
        let status = self
            .db
            .record_repayment(&write, self.clock.now())
            .await
            .map_err(stale)?;
        let repaid = status == LoanStatus::Repaid;
        let pledges = self
            .pledges_after(
                principal,
                &loan,
                repaid && input.release_pledges,
                repaid,
                DEBT_REPAID,
            )
            .await?;
        let sum = |part: fn(&Applied) -> i64| allocation.applied.iter().map(part).sum::<i64>();
        Ok(RepaymentOutcome {
            loan: self.loan_view(loan.id).await?,
            fees_fen: sum(|line| line.fees_fen),
            interest_fen: sum(|line| line.interest_fen),
            principal_fen: sum(|line| line.principal_fen),
            applied: allocation.applied,
            unapplied_fen: allocation.unapplied_fen,
            repaid,
            pledges,
        })
    }

    /// The lender records a prepayment of principal made on a monthly anniversary of a
    /// disbursement (after that day's instalment was paid): the later instalments are
    /// recomputed on the lower balance over the same due dates.
    pub async fn record_loan_prepayment(
        &self,
        principal: &Principal,
        id: i64,
        request: &PrepaymentRequest,
    ) -> Result<PrepaymentOutcome, AppError> {
        let loan = active(self.lenders_loan(principal, id).await?)?;
        let disbursement = self
            .db
            .loan_disbursements(loan.id)
            .await?
            .into_iter()
            .find(|row| row.seq == i64::from(request.disbursement))
            .ok_or_else(|| {
                invalid(
                    "disbursement",
                    "not_found",
                    format!("loan {id} has no disbursement {}", request.disbursement),
                )
            })?;
        let terms = ScheduleInput {
            principal_fen: disbursement.principal_fen,
            annual_rate_pct: rate_pct(loan.annual_rate_ppm),
            months: u32::try_from(disbursement.months).unwrap_or_default(),
            method: loan.method,
            start_date: disbursement.disbursed_on,
            day_count: loan.day_count,
        };
        let rows: Vec<_> = self
            .db
            .loan_instalments(loan.id)
            .await?
            .into_iter()
            .filter(|row| row.disbursement == disbursement.seq)
            .collect();
        let month = i64::from(request.month);
        let bullet = loan.method == RepaymentMethod::Bullet;
        if let Some(unpaid) = rows
            .iter()
            .find(|row| !bullet && row.period <= month && !row.settled)
        {
            return Err(conflict(
                "loan.instalment_unpaid",
                format!(
                    "pay the instalment due on {} first: a prepayment follows the instalments due by its day",
                    unpaid.due_date
                ),
            ));
        }
        let replace_from = if bullet { 1 } else { month + 1 };
        let replaced: Vec<_> = rows
            .iter()
            .filter(|row| row.period >= replace_from)
            .collect();
        if replaced.iter().any(|row| row.is_touched()) {
            return Err(conflict(
                "loan.prepayment_too_late",
                "a later instalment was already paid: prepay on a later anniversary",
            ));
        }
        let current: Vec<Instalment> = replaced
            .iter()
            .map(|row| Instalment {
                period: u32::try_from(row.period).unwrap_or_default(),
                due_date: row.due_date,
                payment_fen: row.principal_due_fen + row.interest_due_fen,
                principal_fen: row.principal_due_fen,
                interest_fen: row.interest_due_fen,
                balance_fen: row.balance_fen,
            })
            .collect();
        let outcome = prepay(
            &terms,
            &current,
            &PrepaymentInput {
                month: request.month,
                amount_fen: request.amount_fen,
            },
        )
        .map_err(AppError::validation)?;
        let today = self.clock.today();
        if outcome.date > today {
            return Err(invalid(
                "month",
                "in_future",
                format!(
                    "month {} falls on {}, after today ({today}): record a prepayment once made",
                    request.month, outcome.date
                ),
            ));
        }
        let remaining: Vec<NewInstalment> = outcome
            .remaining
            .iter()
            .map(|row| NewInstalment {
                disbursement: request.disbursement,
                period: row.period,
                due_date: row.due_date,
                principal_fen: row.principal_fen,
                interest_fen: row.interest_fen,
                balance_fen: row.balance_fen,
            })
            .collect();
        let detail = serde_json::to_string(&serde_json::json!({"disbursement": request.disbursement,
            "month": outcome.month, "principal_fen": outcome.principal_fen, "interest_fen": outcome.interest_fen}))
        .map_err(internal)?;
        let write = PrepaymentWrite {
            loan_id: loan.id,
            disbursement: request.disbursement,
            month: request.month,
            replace_from_period: u32::try_from(replace_from).unwrap_or(u32::MAX),
            date: outcome.date,
            principal_fen: outcome.principal_fen,
            interest_fen: outcome.interest_fen,
            replaced: replaced.len(),
            remaining: &remaining,
            detail_json: &detail,
            actor: &principal.username,
        };
        let status = self
            .db
            .record_prepayment(&write, self.clock.now())
            .await
            .map_err(stale)?;
        let repaid = status == LoanStatus::Repaid;
        let pledges = self
            .pledges_after(
                principal,
                &loan,
                repaid && request.release_pledges,
                repaid,
                DEBT_REPAID,
            )
            .await?;
        Ok(PrepaymentOutcome {
            loan: self.loan_view(loan.id).await?,
            prepayment: outcome,
            repaid,
            pledges,
        })
    }

    async fn loan_view(&self, id: i64) -> Result<LoanView, AppError> {
        let loan = self
            .db
            .get_loan(id)
            .await?
            .ok_or_else(|| super::loan_not_found(id))?;
        Ok(LoanView::from(&loan))
    }

    /// The pledges of a loan just closed (`closed`): each the lender applies to cancel for
    /// `reason` when `release` and it secures no other active loan (a debt repaid, the lender
    /// alone; a pledge realised, once the pledgor confirms).
    pub(crate) async fn pledges_after(
        &self,
        principal: &Principal,
        loan: &LoanRecord,
        release: bool,
        closed: bool,
        reason: (CancellationReason, &str),
    ) -> Result<Vec<PledgeRelease>, AppError> {
        if !closed {
            return Ok(Vec::new());
        }
        let mut released = Vec::new();
        for pledge in self.db.loan_pledges(loan.id).await? {
            let mut outcome = PledgeRelease {
                registration_no: pledge.registration_no.clone(),
                outcome: String::new(),
                cancellation_application_id: None,
                cancellation_no: None,
                message: None,
            };
            if pledge.status != PledgeStatus::Active {
                outcome.outcome = "not_active".into();
            } else if self
                .db
                .other_active_loans_on_pledge(pledge.pledge_id, loan.id)
                .await?
                > 0
            {
                outcome.outcome = "secures_other_loans".into();
            } else if !release {
                outcome.outcome = "kept".into();
            } else {
                let cancellation = CancellationInput {
                    reason: reason.0,
                    note: Some(format!("loan {} {}", loan.contract_no, reason.1)),
                };
                match self
                    .apply_for_cancellation(principal, &pledge.registration_no, &cancellation, None)
                    .await
                {
                    Ok((view, _)) => {
                        outcome.outcome = if view.status == ApplicationStatus::Registered {
                            "cancelled".into()
                        } else {
                            "cancellation_pending".into()
                        };
                        outcome.cancellation_application_id = Some(view.id);
                        outcome.cancellation_no = view.registration_no;
                    }
                    Err(error) => {
                        outcome.outcome = "failed".into();
                        outcome.message = Some(error.message);
                    }
                }
            }
            released.push(outcome);
        }
        Ok(released)
    }
}

//! Repayments (还款) applied to what is owed, and days overdue (逾期天数) by instalment.
//!
//! A repayment received on a day pays the instalments due on or before that day, oldest first
//! (by due date, then disbursement, then period); within each instalment it pays fees first
//! (penalty interest and charges), then interest, then principal, and moves on to the next
//! instalment only when one is settled (逐期清偿). Money beyond what is due is not applied to
//! instalments not yet due: it comes back as `unapplied_fen`, to be held or, on the borrower's
//! instruction, used as a prepayment (`schedule::prepay`).
//!
//! An instalment is overdue from the day after its due date while anything of it is unpaid: on
//! the due date it is 0 days overdue, the next day 1. A loan's days overdue are those of its
//! oldest unsettled instalment (the longest), which drive its classification.

use super::daycount::days_between;
use super::money::{Sign, amount};
use super::schedule::Instalment;
use crate::field::{FieldError, FieldErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What is still owed on one instalment of one disbursement, in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Due {
    /// The disbursement's index in the contract (0 for a single disbursement).
    pub disbursement: usize,
    pub period: u32,
    pub due_date: NaiveDate,
    /// Penalty interest and charges added to this instalment.
    pub fees_fen: i64,
    pub interest_fen: i64,
    pub principal_fen: i64,
}

impl Due {
    /// An instalment of a schedule as owed in full, without fees.
    pub fn from_instalment(disbursement: usize, row: &Instalment) -> Due {
        Due {
            disbursement,
            period: row.period,
            due_date: row.due_date,
            fees_fen: 0,
            interest_fen: row.interest_fen,
            principal_fen: row.principal_fen,
        }
    }

    /// Fees + interest + principal still owed.
    pub fn outstanding_fen(&self) -> i64 {
        self.fees_fen + self.interest_fen + self.principal_fen
    }

    pub fn is_settled(&self) -> bool {
        self.outstanding_fen() == 0
    }

    /// Days overdue on `today`: 0 when settled or not past its due date.
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        if self.is_settled() {
            return 0;
        }
        days_between(self.due_date, today).max(0)
    }

    /// The order in which dues are paid: oldest first.
    pub(crate) fn order(&self) -> (NaiveDate, usize, u32) {
        (self.due_date, self.disbursement, self.period)
    }
}

/// What one repayment paid on one instalment, in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Applied {
    pub disbursement: usize,
    pub period: u32,
    pub fees_fen: i64,
    pub interest_fen: i64,
    pub principal_fen: i64,
}

impl Applied {
    pub fn total_fen(&self) -> i64 {
        self.fees_fen + self.interest_fen + self.principal_fen
    }
}

/// The result of applying a repayment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Allocation {
    /// One line per instalment paid, oldest first.
    pub applied: Vec<Applied>,
    /// What was left once everything due was paid.
    pub unapplied_fen: i64,
    /// The dues after the repayment, in the order given.
    pub dues: Vec<Due>,
}

/// Applies a repayment of `amount_fen` received on `on` to `dues` (see the module documentation).
/// Refuses a repayment that is not positive (`amount_fen`) and a due with a negative part
/// (`dues[i].fees_fen` …).
pub fn allocate(dues: &[Due], amount_fen: i64, on: NaiveDate) -> Result<Allocation, FieldErrors> {
    let mut errors = FieldErrors::default();
    if let Err(error) = amount("amount_fen", "a repayment", amount_fen, Sign::Positive) {
        errors.push(error);
    }
    for (index, due) in dues.iter().enumerate() {
        for (name, value) in [
            ("fees_fen", due.fees_fen),
            ("interest_fen", due.interest_fen),
            ("principal_fen", due.principal_fen),
        ] {
            if let Err(error) = amount(
                &format!("dues[{index}].{name}"),
                "an amount owed",
                value,
                Sign::NonNegative,
            ) {
                errors.push(error);
            }
        }
    }
    errors.into_result()?;

    let mut order: Vec<usize> = (0..dues.len()).collect();
    order.sort_by_key(|index| dues.get(*index).map(Due::order));
    let mut left = amount_fen;
    let mut after = dues.to_vec();
    let mut applied = Vec::new();
    for index in order {
        let Some(due) = after.get_mut(index) else {
            continue;
        };
        if left == 0 || due.due_date > on || due.is_settled() {
            continue;
        }
        let fees_fen = take(&mut left, &mut due.fees_fen);
        let interest_fen = take(&mut left, &mut due.interest_fen);
        let principal_fen = take(&mut left, &mut due.principal_fen);
        applied.push(Applied {
            disbursement: due.disbursement,
            period: due.period,
            fees_fen,
            interest_fen,
            principal_fen,
        });
    }
    Ok(Allocation {
        applied,
        unapplied_fen: left,
        dues: after,
    })
}

/// Pays as much of `owed` as `left` allows; returns the amount paid.
fn take(left: &mut i64, owed: &mut i64) -> i64 {
    let paid = (*left).min(*owed);
    *left -= paid;
    *owed -= paid;
    paid
}

/// One overdue instalment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Overdue {
    pub disbursement: usize,
    pub period: u32,
    pub due_date: NaiveDate,
    pub outstanding_fen: i64,
    pub days_overdue: i64,
}

/// The instalments overdue on `today`, oldest first, each with its days overdue.
pub fn overdue(dues: &[Due], today: NaiveDate) -> Vec<Overdue> {
    let mut lines: Vec<Overdue> = dues
        .iter()
        .filter(|due| due.days_overdue(today) > 0)
        .map(|due| Overdue {
            disbursement: due.disbursement,
            period: due.period,
            due_date: due.due_date,
            outstanding_fen: due.outstanding_fen(),
            days_overdue: due.days_overdue(today),
        })
        .collect();
    lines.sort_by_key(|line| (line.due_date, line.disbursement, line.period));
    lines
}

/// A loan's days overdue on `today`: its oldest unsettled instalment's (0 when none is overdue).
pub fn loan_days_overdue(dues: &[Due], today: NaiveDate) -> i64 {
    dues.iter()
        .map(|due| due.days_overdue(today))
        .max()
        .unwrap_or(0)
}

/// Adds a fee (penalty interest, a charge) to one instalment, naming `fee_fen` when negative.
pub fn add_fee(due: &mut Due, fee_fen: i64) -> Result<(), FieldError> {
    let fee = amount("fee_fen", "a fee", fee_fen, Sign::NonNegative)?;
    due.fees_fen = due.fees_fen.saturating_add(fee);
    Ok(())
}

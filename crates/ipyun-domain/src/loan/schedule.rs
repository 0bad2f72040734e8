//! Repayment schedules (还款计划) of a loan or of one disbursement, by the banks' usual convention:
//!
//! - Due dates: period k falls due k months after the start (the disbursement), on the same day
//!   of the month, clamped to the month's end (start 31 January → 28 or 29 February, 31 March,
//!   30 April …: always counted from the start, so a short month does not shift later ones).
//! - Interest of each period: the remaining principal × the period's rate (annual ÷ 12, or by
//!   actual days ÷ 360 / 365, see [`DayCount`]), rounded half up to the fen.
//! - Equal instalments (等额本息, `equal_instalment`): the level payment
//!   A = B × r × (1 + r)^n ÷ ((1 + r)^n − 1) with r = annual ÷ 12 (A = B ÷ n at 0 %), rounded half
//!   up to the fen; each period's principal = A − interest. On a day count a long month's
//!   interest may exceed A: that period then repays no principal (the balance never grows).
//! - Equal principal (等额本金, `equal_principal`): principal B ÷ n per period, rounded half up,
//!   plus that period's interest.
//! - Interest only (按月付息、到期还本, `interest_only`): interest each month, principal at maturity.
//! - Bullet (利随本清, `bullet`): one payment at maturity: the principal with simple interest
//!   over the whole term (annual × n ÷ 12, or by the term's actual days).
//!
//! In every method the last period takes the remaining principal, so the rounding residue lands
//! there: the principal repaid sums to the loan exactly and the balance ends at zero.
//!
//! Prepayment (提前还款, [`prepay`]) keeps the term and lowers the instalment: it is made on a
//! monthly anniversary of the start (for the instalment methods, a due date, after that day's
//! instalment is paid, as banks require), reduces the principal, and the remaining periods are
//! recomputed by the same method on the lower balance over the same remaining months and due
//! dates (equal instalments: a new, lower level payment). A bullet loan's prepaid principal
//! bears its interest from the start to the prepayment, paid with it; the rest keeps its
//! maturity.

use super::daycount::DayCount;
use super::money::{AnnualRate, Sign, amount, div_half_up, fen, format_fen, keep, round_fen};
use crate::field::{FieldError, FieldErrors};
use crate::party::string_enum;
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The longest term, in months (30 years, as for a mortgage).
pub const MAX_MONTHS: u32 = 360;

string_enum!(
    /// How the principal is repaid.
    RepaymentMethod, "repayment method" {
    EqualInstalment => "equal_instalment",
    EqualPrincipal => "equal_principal",
    InterestOnly => "interest_only",
    Bullet => "bullet",
});

/// What `ipyun loan schedule` and the API take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScheduleInput {
    /// The principal lent, in fen.
    pub principal_fen: i64,
    /// The nominal annual rate in percent, e.g. 4.9.
    pub annual_rate_pct: Decimal,
    /// The term in months, 1–360.
    pub months: u32,
    pub method: RepaymentMethod,
    /// The disbursement (start) date; the first due date is one month later.
    pub start_date: NaiveDate,
    #[serde(default)]
    pub day_count: DayCount,
}

/// One row of a schedule. Amounts in fen; `balance_fen` is the principal left after it is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Instalment {
    /// 1-based.
    pub period: u32,
    pub due_date: NaiveDate,
    /// Principal + interest.
    pub payment_fen: i64,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub balance_fen: i64,
}

/// Validated terms of a schedule, with every due date known to exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub principal_fen: i64,
    pub rate: AnnualRate,
    pub months: u32,
    pub method: RepaymentMethod,
    pub day_count: DayCount,
    /// The start, then the date of each month 1..=months after it.
    dates: Vec<NaiveDate>,
}

impl ScheduleInput {
    /// Checks every input at once, each error naming its field: a principal that is not positive
    /// or above 10^15 yuan, a rate below 0 or above 36 %, a term of 0 or more than 360 months.
    pub fn validate(&self) -> Result<Terms, FieldErrors> {
        let mut errors = FieldErrors::default();
        let principal = keep(
            &mut errors,
            amount(
                "principal_fen",
                "the principal",
                self.principal_fen,
                Sign::Positive,
            ),
        );
        let rate = keep(
            &mut errors,
            AnnualRate::from_pct("annual_rate_pct", self.annual_rate_pct),
        );
        let months = keep(&mut errors, term_months("months", self.months));
        let dates = months.and_then(|months| {
            keep(
                &mut errors,
                monthly_dates("start_date", self.start_date, months),
            )
        });
        match (principal, rate, months, dates) {
            (Some(principal_fen), Some(rate), Some(months), Some(dates)) => Ok(Terms {
                principal_fen,
                rate,
                months,
                method: self.method,
                day_count: self.day_count,
                dates,
            }),
            _ => Err(errors),
        }
    }
}

/// A term in months, 1..=[`MAX_MONTHS`].
pub(crate) fn term_months(field: &str, months: u32) -> Result<u32, FieldError> {
    if months == 0 {
        return Err(FieldError::new(
            field,
            "not_positive",
            "a loan runs for at least one month",
        ));
    }
    if months > MAX_MONTHS {
        return Err(FieldError::new(
            field,
            "above_maximum",
            format!("a loan runs for at most {MAX_MONTHS} months, got {months}"),
        ));
    }
    Ok(months)
}

/// `start` and the date 1, 2 … `months` months after it (clamped to the month's end).
fn monthly_dates(field: &str, start: NaiveDate, months: u32) -> Result<Vec<NaiveDate>, FieldError> {
    (0..=months)
        .map(|month| start.checked_add_months(Months::new(month)))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| {
            FieldError::new(
                field,
                "out_of_range",
                format!("the term of {months} months from {start} ends past the last date known"),
            )
        })
}

impl Terms {
    pub fn start_date(&self) -> NaiveDate {
        self.dates.first().copied().unwrap_or_default()
    }

    /// The last due date.
    pub fn maturity(&self) -> NaiveDate {
        self.dates.last().copied().unwrap_or_default()
    }

    /// The date `month` months after the start (`None` past the term).
    pub fn date_of_month(&self, month: u32) -> Option<NaiveDate> {
        self.dates.get(month as usize).copied()
    }

    /// The full schedule.
    pub fn schedule(&self) -> Vec<Instalment> {
        self.remaining(self.principal_fen, 0)
    }

    /// The periods after month `after`, starting from `balance_fen` on that month's date.
    fn remaining(&self, balance_fen: i64, after: u32) -> Vec<Instalment> {
        if balance_fen <= 0 {
            return Vec::new();
        }
        if self.method == RepaymentMethod::Bullet {
            let interest_fen = self.day_count.interest_fen(
                balance_fen,
                self.rate,
                self.start_date(),
                self.maturity(),
                self.months,
            );
            return vec![Instalment {
                period: 1,
                due_date: self.maturity(),
                payment_fen: balance_fen + interest_fen,
                principal_fen: balance_fen,
                interest_fen,
                balance_fen: 0,
            }];
        }
        let periods_left = self.months.saturating_sub(after);
        let level = match self.method {
            RepaymentMethod::EqualInstalment => {
                equal_instalment_fen(balance_fen, self.rate, periods_left)
            }
            RepaymentMethod::EqualPrincipal => fen(div_half_up(
                i128::from(balance_fen),
                i128::from(periods_left),
            )),
            RepaymentMethod::InterestOnly | RepaymentMethod::Bullet => 0,
        };
        let mut balance = balance_fen;
        let mut rows = Vec::with_capacity(periods_left as usize);
        for (index, pair) in self.dates.windows(2).enumerate().skip(after as usize) {
            let [from, to] = pair else { continue };
            let period = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let interest_fen = self
                .day_count
                .interest_fen(balance, self.rate, *from, *to, 1);
            let principal_fen = if period == self.months {
                balance
            } else {
                match self.method {
                    RepaymentMethod::EqualInstalment => (level - interest_fen).clamp(0, balance),
                    RepaymentMethod::EqualPrincipal => level.min(balance),
                    RepaymentMethod::InterestOnly | RepaymentMethod::Bullet => 0,
                }
            };
            balance -= principal_fen;
            rows.push(Instalment {
                period,
                due_date: *to,
                payment_fen: principal_fen + interest_fen,
                principal_fen,
                interest_fen,
                balance_fen: balance,
            });
        }
        rows
    }
}

/// The level payment of an equal-instalment loan of `balance_fen` over `months` at `rate`:
/// B × r × (1 + r)^n ÷ ((1 + r)^n − 1), r = annual ÷ 12, rounded half up to the fen (B ÷ n at 0 %).
pub fn equal_instalment_fen(balance_fen: i64, rate: AnnualRate, months: u32) -> i64 {
    if months == 0 {
        return balance_fen;
    }
    if rate.ppm() == 0 {
        return fen(div_half_up(i128::from(balance_fen), i128::from(months)));
    }
    let monthly = rate.monthly_fraction();
    let growth = (0..months).try_fold(Decimal::ONE, |product, _| {
        product.checked_mul(Decimal::ONE + monthly)
    });
    let factor = growth.and_then(|growth| {
        monthly
            .checked_mul(growth)?
            .checked_div(growth - Decimal::ONE)
    });
    factor
        .and_then(|factor| factor.checked_mul(Decimal::from(balance_fen)))
        .map_or(balance_fen, round_fen)
}

/// The schedule of a loan: validates the input, then computes every period.
pub fn schedule(input: &ScheduleInput) -> Result<Vec<Instalment>, FieldErrors> {
    Ok(input.validate()?.schedule())
}

/// The schedule as `ipyun loan schedule` prints it: the header
/// `period,due_date,payment,principal,interest,balance`, then one line per period, amounts in
/// yuan with two decimals (`6544.44`), dates `YYYY-MM-DD`, each line ending in `\n`.
pub fn to_csv(rows: &[Instalment]) -> String {
    let mut csv = String::from("period,due_date,payment,principal,interest,balance\n");
    for row in rows {
        csv.push_str(&format!(
            "{},{},{},{},{},{}\n",
            row.period,
            row.due_date.format("%Y-%m-%d"),
            format_fen(row.payment_fen),
            format_fen(row.principal_fen),
            format_fen(row.interest_fen),
            format_fen(row.balance_fen),
        ));
    }
    csv
}

/// A prepayment of principal on the `month`-th monthly anniversary of the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PrepaymentInput {
    /// Whole months since the start, 1..=term − 1: for the instalment methods, the period whose
    /// due date it is (that instalment is paid first).
    pub month: u32,
    /// The principal prepaid, in fen: at least 1 fen, at most the balance then.
    pub amount_fen: i64,
}

/// The outcome of a prepayment: what is paid on the day and the schedule that replaces the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Prepayment {
    pub month: u32,
    pub date: NaiveDate,
    pub principal_fen: i64,
    /// Interest paid with the prepayment: a bullet loan's interest on the prepaid principal from
    /// the start; 0 for the instalment methods (that day's instalment paid the interest to date).
    pub interest_fen: i64,
    /// The periods after the prepayment, same due dates, recomputed on the lower balance (empty
    /// when the loan is paid off).
    pub remaining: Vec<Instalment>,
}

/// Prepays principal under the schedule in force `current` (the original schedule, or the
/// `remaining` of an earlier prepayment): keeps the term and lowers the instalment (see the
/// module documentation). Errors name `month` or `amount_fen`.
pub fn prepay(
    input: &ScheduleInput,
    current: &[Instalment],
    prepayment: &PrepaymentInput,
) -> Result<Prepayment, FieldErrors> {
    let terms = input.validate()?;
    let month = prepayment.month;
    let (Some(date), true) = (
        terms.date_of_month(month),
        (1..terms.months).contains(&month),
    ) else {
        return Err(FieldErrors(vec![FieldError::new(
            "month",
            "out_of_range",
            format!(
                "a prepayment is made 1 to {} months after the start (before the last due date), \
                 got month {month}",
                terms.months.saturating_sub(1)
            ),
        )]));
    };
    let balance_fen = balance_after(&terms, current, month)?;
    let principal_fen = amount(
        "amount_fen",
        "a prepayment",
        prepayment.amount_fen,
        Sign::Positive,
    )
    .map_err(|error| FieldErrors(vec![error]))?;
    if principal_fen > balance_fen {
        return Err(FieldErrors(vec![FieldError::new(
            "amount_fen",
            "above_balance",
            format!(
                "a prepayment of {} yuan is more than the {} yuan of principal outstanding",
                format_fen(principal_fen),
                format_fen(balance_fen)
            ),
        )]));
    }
    let interest_fen = if terms.method == RepaymentMethod::Bullet {
        terms
            .day_count
            .interest_fen(principal_fen, terms.rate, terms.start_date(), date, month)
    } else {
        0
    };
    Ok(Prepayment {
        month,
        date,
        principal_fen,
        interest_fen,
        remaining: terms.remaining(balance_fen - principal_fen, month),
    })
}

/// The principal outstanding under `current` once month `month`'s instalment is paid.
fn balance_after(terms: &Terms, current: &[Instalment], month: u32) -> Result<i64, FieldErrors> {
    let not_in_schedule =
        |detail: String| FieldErrors(vec![FieldError::new("month", "not_in_schedule", detail)]);
    if terms.method == RepaymentMethod::Bullet {
        return match current {
            [only] if only.due_date == terms.maturity() => Ok(only.principal_fen),
            _ => Err(not_in_schedule(
                "a bullet loan's schedule in force is its one payment at maturity".to_string(),
            )),
        };
    }
    if let Some(row) = current.iter().find(|row| row.period == month) {
        return Ok(row.balance_fen);
    }
    match current.first() {
        Some(first) if first.period == month + 1 => Ok(first.balance_fen + first.principal_fen),
        _ => Err(not_in_schedule(format!(
            "month {month} is not in the schedule in force (periods {}–{})",
            current.first().map_or(0, |row| row.period),
            current.last().map_or(0, |row| row.period),
        ))),
    }
}

//! A loan contract (主合同) secured by one or more registered pledges, and its disbursements
//! (放款). A contract sets the amount, the rate, the repayment method, the day count and the term;
//! the lender may disburse it at once or in several drawdowns, each repaid on its own schedule
//! (one per IOU, 借据) with the contract's terms, from its own date for its own number of months,
//! maturing no later than the contract.

use super::daycount::DayCount;
use super::money::{AnnualRate, Sign, amount, format_fen, keep};
use super::repayment::Due;
use super::schedule::{Instalment, RepaymentMethod, ScheduleInput, Terms, term_months};
use crate::field::{FieldError, FieldErrors};
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The most pledges one loan may be tied to.
pub const MAX_PLEDGES: usize = 50;
/// The most disbursements under one contract.
pub const MAX_DISBURSEMENTS: usize = 120;
/// The longest contract number, in characters.
pub const MAX_CONTRACT_NO_CHARS: usize = 64;

/// A loan contract as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LoanInput {
    pub contract_no: String,
    /// The registered pledges securing the loan: at least one.
    pub pledge_ids: Vec<i64>,
    /// The amount of the contract, in fen: the disbursements may not exceed it.
    pub amount_fen: i64,
    pub annual_rate_pct: Decimal,
    pub method: RepaymentMethod,
    #[serde(default)]
    pub day_count: DayCount,
    /// The contract's start; it matures `months` months later.
    pub start_date: NaiveDate,
    pub months: u32,
    #[serde(default)]
    pub disbursements: Vec<DisbursementInput>,
}

/// One drawdown under a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DisbursementInput {
    pub date: NaiveDate,
    pub principal_fen: i64,
    /// Its term: its schedule's last due date is this many months after `date`.
    pub months: u32,
}

/// A validated loan contract with its disbursements' terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loan {
    pub contract_no: String,
    pub pledge_ids: Vec<i64>,
    pub amount_fen: i64,
    pub rate: AnnualRate,
    pub method: RepaymentMethod,
    pub day_count: DayCount,
    pub start_date: NaiveDate,
    pub maturity: NaiveDate,
    /// One set of terms per disbursement, in the order given.
    pub disbursements: Vec<Terms>,
}

impl LoanInput {
    /// Checks every input at once; errors name the field, e.g. `pledge_ids` / `empty`,
    /// `disbursements[2].principal_fen` / `above_contract_amount`.
    pub fn validate(&self) -> Result<Loan, FieldErrors> {
        let mut errors = FieldErrors::default();
        let contract_no = keep(&mut errors, contract_no(&self.contract_no));
        self.check_pledges(&mut errors);
        let amount_fen = keep(
            &mut errors,
            amount(
                "amount_fen",
                "the contract amount",
                self.amount_fen,
                Sign::Positive,
            ),
        );
        let rate = keep(
            &mut errors,
            AnnualRate::from_pct("annual_rate_pct", self.annual_rate_pct),
        );
        let months = keep(&mut errors, term_months("months", self.months));
        let maturity = months.and_then(|months| {
            let maturity = self.start_date.checked_add_months(Months::new(months));
            if maturity.is_none() {
                errors.push(FieldError::new(
                    "start_date",
                    "out_of_range",
                    "the contract's term ends past the last date known",
                ));
            }
            maturity
        });
        let disbursements = self.disbursements(maturity, amount_fen, &mut errors);
        match (contract_no, amount_fen, rate, maturity) {
            (Some(contract_no), Some(amount_fen), Some(rate), Some(maturity))
                if errors.is_empty() =>
            {
                Ok(Loan {
                    contract_no,
                    pledge_ids: self.pledge_ids.clone(),
                    amount_fen,
                    rate,
                    method: self.method,
                    day_count: self.day_count,
                    start_date: self.start_date,
                    maturity,
                    disbursements,
                })
            }
            _ => Err(errors),
        }
    }

    fn check_pledges(&self, errors: &mut FieldErrors) {
        if self.pledge_ids.is_empty() {
            errors.push(FieldError::new(
                "pledge_ids",
                "empty",
                "a loan is tied to at least one registered pledge",
            ));
        }
        if self.pledge_ids.len() > MAX_PLEDGES {
            errors.push(FieldError::new(
                "pledge_ids",
                "too_many",
                format!("a loan is tied to at most {MAX_PLEDGES} pledges"),
            ));
        }
        for (index, id) in self.pledge_ids.iter().enumerate() {
            let field = format!("pledge_ids[{index}]");
            if *id <= 0 {
                errors.push(FieldError::new(
                    field,
                    "not_positive",
                    format!("a pledge id is a positive number, got {id}"),
                ));
            } else if self.pledge_ids[..index].contains(id) {
                errors.push(FieldError::new(
                    field,
                    "duplicate",
                    format!("pledge {id} is listed twice"),
                ));
            }
        }
    }

    /// Validates each disbursement's own terms, its dates against the contract's, and the running
    /// total against the contract amount.
    fn disbursements(
        &self,
        maturity: Option<NaiveDate>,
        contract_fen: Option<i64>,
        errors: &mut FieldErrors,
    ) -> Vec<Terms> {
        if self.disbursements.len() > MAX_DISBURSEMENTS {
            errors.push(FieldError::new(
                "disbursements",
                "too_many",
                format!("a contract has at most {MAX_DISBURSEMENTS} disbursements"),
            ));
            return Vec::new();
        }
        let mut terms = Vec::with_capacity(self.disbursements.len());
        let mut total: i64 = 0;
        for (index, disbursement) in self.disbursements.iter().enumerate() {
            let prefix = format!("disbursements[{index}]");
            let input = ScheduleInput {
                principal_fen: disbursement.principal_fen,
                annual_rate_pct: self.annual_rate_pct,
                months: disbursement.months,
                method: self.method,
                start_date: disbursement.date,
                day_count: self.day_count,
            };
            if disbursement.date < self.start_date {
                errors.push(FieldError::new(
                    format!("{prefix}.date"),
                    "before_start",
                    format!(
                        "a disbursement on {} is before the contract starts on {}",
                        disbursement.date, self.start_date
                    ),
                ));
            }
            match input.validate() {
                Ok(disbursed) => {
                    if maturity.is_some_and(|maturity| disbursed.maturity() > maturity) {
                        errors.push(FieldError::new(
                            format!("{prefix}.months"),
                            "after_maturity",
                            format!(
                                "a disbursement maturing on {} outlives the contract, which \
                                 matures on {}",
                                disbursed.maturity(),
                                maturity.unwrap_or_default()
                            ),
                        ));
                    }
                    total = total.saturating_add(disbursed.principal_fen);
                    if contract_fen.is_some_and(|contract_fen| total > contract_fen) {
                        errors.push(FieldError::new(
                            format!("{prefix}.principal_fen"),
                            "above_contract_amount",
                            format!(
                                "the disbursements come to {} yuan, more than the contract's {} \
                                 yuan",
                                format_fen(total),
                                format_fen(contract_fen.unwrap_or_default())
                            ),
                        ));
                    }
                    terms.push(disbursed);
                }
                Err(found) => {
                    for mut error in found.0 {
                        // The rate is the contract's: reported once, under its own name.
                        if error.field == "annual_rate_pct" {
                            continue;
                        }
                        error.field = match error.field.as_str() {
                            "start_date" => format!("{prefix}.date"),
                            other => format!("{prefix}.{other}"),
                        };
                        errors.push(error);
                    }
                }
            }
        }
        terms
    }
}

fn contract_no(raw: &str) -> Result<String, FieldError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(FieldError::required("contract_no"));
    }
    if trimmed.chars().count() > MAX_CONTRACT_NO_CHARS {
        return Err(FieldError::new(
            "contract_no",
            "too_long",
            format!("a contract number has at most {MAX_CONTRACT_NO_CHARS} characters"),
        ));
    }
    Ok(trimmed.to_string())
}

impl Loan {
    /// The principal disbursed so far, in fen.
    pub fn disbursed_fen(&self) -> i64 {
        self.disbursements
            .iter()
            .map(|terms| terms.principal_fen)
            .sum()
    }

    /// Each disbursement's schedule, in the order of the disbursements.
    pub fn schedules(&self) -> Vec<Vec<Instalment>> {
        self.disbursements.iter().map(Terms::schedule).collect()
    }

    /// Every instalment of every disbursement as an amount owed, oldest first (by due date, then
    /// disbursement, then period): the order in which repayments are applied.
    pub fn dues(&self) -> Vec<Due> {
        let mut dues: Vec<Due> = self
            .schedules()
            .iter()
            .enumerate()
            .flat_map(|(index, rows)| rows.iter().map(move |row| Due::from_instalment(index, row)))
            .collect();
        dues.sort_by_key(Due::order);
        dues
    }
}

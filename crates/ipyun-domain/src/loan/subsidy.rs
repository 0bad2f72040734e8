//! Interest and fee subsidies (贴息 / 费用补贴, seed 000 一(二)): public money towards the interest
//! an enterprise paid on its ip-backed loan, or towards the valuation, insurance or guarantee fee
//! it paid for it, from a programme kept by an IP office.
//!
//! - Rules: the kind of cost covered, the share of it covered (basis points), a cap per
//!   application, the annual budget, the region covered and the application window.
//! - An application is eligible when the enterprise is the loan's borrower, lies in the
//!   programme's region, applies within the window, paid something of the cost, and the
//!   programme has budget left; a refusal names every ground ([`ineligibility`]).
//! - The subsidy is the cost × the share, rounded half up to the fen once, then cut by the cap
//!   and by the budget left ([`subsidy_amount`]); `limited_by` says which cut it (the cap when
//!   both cut it equally). On approval it is cut again by the budget left then
//!   ([`approval_amount`]): what is approved is committed until it is paid.
//! - Budget left = appropriated − paid − committed ([`BudgetPosition`]); what is appropriated in
//!   a calendar year stays within the annual budget ([`subsidy_appropriation`]).
//! - Money moves only through the [`Ledger`](super::ledger::Ledger): appropriations from the
//!   programme's budget line into the programme; payouts from the programme to the enterprise,
//!   drafted by a maker and approved by a different checker.
//! - The time from application to payout in whole days: its average (half up to a tenth of a
//!   day) and maximum ([`PayoutTimes`]), the measure of 拨付效率.

use super::ledger::{Account, AccountKind, JournalEntry, LedgerError, PayoutRequest, Posting};
use super::money::{Sign, WHOLE_BP, amount, basis_points, div_half_up, fen, keep};
use crate::field::{FieldError, FieldErrors};
use crate::id::RegionCode;
use crate::party::string_enum;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The longest evidence note, in characters.
pub const MAX_EVIDENCE_CHARS: usize = 500;

string_enum!(
    /// The cost a programme covers.
    SubsidyKind, "subsidy kind" {
    // Interest paid on the loan in a period (贴息).
    Interest => "interest",
    // The appraisal of the pledged rights (评估费).
    ValuationFee => "valuation_fee",
    // The loan's or the rights' insurance premium (保险费).
    InsuranceFee => "insurance_fee",
    // A guarantor's fee (担保费).
    GuaranteeFee => "guarantee_fee",
});

impl SubsidyKind {
    /// Whether the cost is a fee the enterprise states with evidence (not interest read from the
    /// loan's repayments).
    pub fn is_fee(self) -> bool {
        self != SubsidyKind::Interest
    }
}

string_enum!(
    /// Where an application stands.
    SubsidyStatus, "subsidy application status" {
    // Filed by the enterprise, eligible: waits for the office's decision.
    Submitted => "submitted",
    // Approved by the office: its amount is committed against the budget.
    Approved => "approved",
    // The payout is drafted by a maker and waits for a checker.
    PayoutDrafted => "payout_drafted",
    // Approved by a checker and paid to the enterprise.
    Paid => "paid",
    // Not eligible, or refused by the office, with the grounds.
    Refused => "refused",
});

impl SubsidyStatus {
    /// Whether `next` may follow `self`.
    pub fn may_become(self, next: SubsidyStatus) -> bool {
        use SubsidyStatus::*;
        matches!(
            (self, next),
            (Submitted, Approved | Refused) | (Approved, PayoutDrafted) | (PayoutDrafted, Paid)
        )
    }

    /// Whether its amount is committed against the budget: approved, not yet paid.
    pub fn is_committed(self) -> bool {
        matches!(self, SubsidyStatus::Approved | SubsidyStatus::PayoutDrafted)
    }
}

/// A programme's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyRules {
    pub programme_id: i64,
    pub kind: SubsidyKind,
    /// Enterprises in this region or any region within it are covered.
    pub region: RegionCode,
    /// The share of the cost covered, 1–10,000 basis points.
    pub rate_bp: i64,
    /// The most paid on one application, in fen.
    pub cap_per_application_fen: i64,
    /// The most appropriated into the programme in one calendar year, in fen.
    pub annual_budget_fen: i64,
    /// The first and last day applications are taken.
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

impl SubsidyRules {
    /// Checks the rules, each error naming its field.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        keep(
            &mut errors,
            basis_points("rate_bp", "the share covered", self.rate_bp, true),
        );
        keep(
            &mut errors,
            amount(
                "cap_per_application_fen",
                "the cap per application",
                self.cap_per_application_fen,
                Sign::Positive,
            ),
        );
        keep(
            &mut errors,
            amount(
                "annual_budget_fen",
                "the annual budget",
                self.annual_budget_fen,
                Sign::Positive,
            ),
        );
        if self.closes_on < self.opens_on {
            errors.push(FieldError::new(
                "closes_on",
                "before_opening",
                format!(
                    "the window closes on {} before it opens on {}",
                    self.closes_on, self.opens_on
                ),
            ));
        }
        errors.into_result()
    }
}

/// An enterprise's application, with the cost it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyRequest {
    pub enterprise_id: i64,
    /// The loan's borrower.
    pub borrower_id: i64,
    /// The enterprise's region.
    pub region: Option<RegionCode>,
    pub applied_on: NaiveDate,
    /// Interest: the first and last day (both included) of the period whose interest is
    /// covered (required); fees: none.
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// The cost: the interest paid on the loan in the period (read from its repayments), or the
    /// fee paid (stated by the enterprise).
    pub cost_fen: i64,
    /// What proves a fee was paid (an invoice number, the contract): required for fees.
    pub evidence: Option<String>,
}

/// Checks a request's own fields for a programme of `kind`, each error naming the API's field:
/// `period_start`, `period_end`, `fee_fen`, `evidence`.
pub fn validate_request(kind: SubsidyKind, request: &SubsidyRequest) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if kind.is_fee() {
        for (field, given) in [
            ("period_start", request.period_start.is_some()),
            ("period_end", request.period_end.is_some()),
        ] {
            if given {
                errors.push(FieldError::new(
                    field,
                    "not_applicable",
                    "a fee subsidy covers a fee, not a period of interest",
                ));
            }
        }
    } else {
        for (field, given) in [
            ("period_start", request.period_start.is_some()),
            ("period_end", request.period_end.is_some()),
        ] {
            if !given {
                errors.push(FieldError::new(
                    field,
                    "required",
                    "an interest subsidy names the period whose interest it covers",
                ));
            }
        }
    }
    if let (Some(start), Some(end)) = (request.period_start, request.period_end) {
        if end < start {
            errors.push(FieldError::new(
                "period_end",
                "before_start",
                format!("the period ends on {end} before it starts on {start}"),
            ));
        }
        if end > request.applied_on {
            errors.push(FieldError::new(
                "period_end",
                "in_future",
                format!(
                    "only interest already paid is covered: the period ends on {end}, after {}",
                    request.applied_on
                ),
            ));
        }
    }
    let (field, what, sign) = if kind.is_fee() {
        ("fee_fen", "the fee", Sign::Positive)
    } else {
        ("interest_paid_fen", "the interest paid", Sign::NonNegative)
    };
    keep(&mut errors, amount(field, what, request.cost_fen, sign));
    let evidence = request.evidence.as_deref().map(str::trim).unwrap_or("");
    if kind.is_fee() && evidence.is_empty() {
        errors.push(FieldError::new(
            "evidence",
            "required",
            "a fee subsidy states what proves the fee was paid (an invoice, the contract)",
        ));
    }
    if evidence.chars().count() > MAX_EVIDENCE_CHARS {
        errors.push(FieldError::new(
            "evidence",
            "too_long",
            format!("at most {MAX_EVIDENCE_CHARS} characters"),
        ));
    }
    errors.into_result()
}

/// A ground on which an application is not covered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    #[error("enterprise {enterprise_id} is not the loan's borrower")]
    NotBorrower { enterprise_id: i64 },
    #[error("the enterprise's region ({}) is outside the programme's region {programme_region}", .region.as_deref().unwrap_or("none"))]
    OutsideRegion {
        region: Option<String>,
        programme_region: String,
    },
    #[error("applied on {applied_on}, outside the application window {opens_on} to {closes_on}")]
    OutsideWindow {
        applied_on: NaiveDate,
        opens_on: NaiveDate,
        closes_on: NaiveDate,
    },
    #[error("nothing of the cost covered was paid")]
    NothingCovered,
    #[error("the share covered of {cost_fen} fen rounds to zero fen: nothing is due")]
    NothingDue { cost_fen: i64 },
    #[error("the programme's budget is used up: nothing is left to pay")]
    BudgetExhausted,
}

impl Ineligible {
    pub fn code(&self) -> &'static str {
        match self {
            Ineligible::NotBorrower { .. } => "not_borrower",
            Ineligible::OutsideRegion { .. } => "outside_region",
            Ineligible::OutsideWindow { .. } => "outside_window",
            Ineligible::NothingCovered => "nothing_covered",
            Ineligible::NothingDue { .. } => "nothing_due",
            Ineligible::BudgetExhausted => "budget_exhausted",
        }
    }
}

/// Every ground on which the application is not covered, given the budget left (empty:
/// eligible).
pub fn ineligibility(
    rules: &SubsidyRules,
    request: &SubsidyRequest,
    budget_left_fen: i64,
) -> Vec<Ineligible> {
    let mut reasons = Vec::new();
    if request.enterprise_id != request.borrower_id {
        reasons.push(Ineligible::NotBorrower {
            enterprise_id: request.enterprise_id,
        });
    }
    let inside = request
        .region
        .as_ref()
        .is_some_and(|region| region.is_within(&rules.region));
    if !inside {
        reasons.push(Ineligible::OutsideRegion {
            region: request.region.as_ref().map(|region| region.as_str().into()),
            programme_region: rules.region.as_str().into(),
        });
    }
    if request.applied_on < rules.opens_on || request.applied_on > rules.closes_on {
        reasons.push(Ineligible::OutsideWindow {
            applied_on: request.applied_on,
            opens_on: rules.opens_on,
            closes_on: rules.closes_on,
        });
    }
    if request.cost_fen <= 0 {
        reasons.push(Ineligible::NothingCovered);
    } else if share_of(rules, request.cost_fen) == 0 {
        reasons.push(Ineligible::NothingDue {
            cost_fen: request.cost_fen,
        });
    }
    if budget_left_fen <= 0 {
        reasons.push(Ineligible::BudgetExhausted);
    }
    reasons
}

/// The limit that cut a subsidy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubsidyLimit {
    /// The cap per application.
    Cap,
    /// The programme's budget left.
    Budget,
}

impl SubsidyLimit {
    pub fn as_str(self) -> &'static str {
        match self {
            SubsidyLimit::Cap => "cap",
            SubsidyLimit::Budget => "budget",
        }
    }
}

/// A subsidy computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyAmount {
    /// The cost covered.
    pub cost_fen: i64,
    /// Cost × share, rounded half up.
    pub share_fen: i64,
    /// What the programme pays: the share within the cap and the budget left.
    pub amount_fen: i64,
    /// The limit that cut it (the cap when both cut it equally).
    pub limited_by: Option<SubsidyLimit>,
}

/// A refused application.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubsidyError {
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error("the application is not covered: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Ineligible(Vec<Ineligible>),
}

impl SubsidyError {
    pub fn code(&self) -> &'static str {
        match self {
            SubsidyError::Invalid(_) => "invalid",
            SubsidyError::Ineligible(_) => "ineligible",
        }
    }
}

/// Cost × share, rounded half up to the fen.
fn share_of(rules: &SubsidyRules, cost_fen: i64) -> i64 {
    fen(div_half_up(
        i128::from(cost_fen) * i128::from(rules.rate_bp),
        i128::from(WHOLE_BP),
    ))
}

/// The share within the cap and the budget left.
fn limited(share_fen: i64, cap_fen: i64, budget_left_fen: i64) -> (i64, Option<SubsidyLimit>) {
    let budget_left_fen = budget_left_fen.max(0);
    let amount_fen = share_fen.min(cap_fen).min(budget_left_fen);
    let limited_by = if amount_fen == share_fen {
        None
    } else if cap_fen <= budget_left_fen {
        Some(SubsidyLimit::Cap)
    } else {
        Some(SubsidyLimit::Budget)
    };
    (amount_fen, limited_by)
}

/// The subsidy of an eligible application (see the module documentation).
pub fn subsidy_amount(
    rules: &SubsidyRules,
    request: &SubsidyRequest,
    budget_left_fen: i64,
) -> Result<SubsidyAmount, SubsidyError> {
    rules.validate().map_err(SubsidyError::Invalid)?;
    validate_request(rules.kind, request).map_err(SubsidyError::Invalid)?;
    let reasons = ineligibility(rules, request, budget_left_fen);
    if !reasons.is_empty() {
        return Err(SubsidyError::Ineligible(reasons));
    }
    let share_fen = share_of(rules, request.cost_fen);
    let (amount_fen, limited_by) =
        limited(share_fen, rules.cap_per_application_fen, budget_left_fen);
    Ok(SubsidyAmount {
        cost_fen: request.cost_fen,
        share_fen,
        amount_fen,
        limited_by,
    })
}

/// What the office approves of an application whose share is `share_fen`: within the cap and the
/// budget left now (which may have grown or shrunk since it was filed). Refused when nothing is
/// left.
pub fn approval_amount(
    rules: &SubsidyRules,
    cost_fen: i64,
    share_fen: i64,
    budget_left_fen: i64,
) -> Result<SubsidyAmount, Ineligible> {
    if budget_left_fen <= 0 {
        return Err(Ineligible::BudgetExhausted);
    }
    let (amount_fen, limited_by) =
        limited(share_fen, rules.cap_per_application_fen, budget_left_fen);
    Ok(SubsidyAmount {
        cost_fen,
        share_fen,
        amount_fen,
        limited_by,
    })
}

/// A programme's budget, in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BudgetPosition {
    /// Moved from the budget line into the programme, in all.
    pub appropriated_fen: i64,
    /// Paid to enterprises.
    pub paid_fen: i64,
    /// Approved and not yet paid.
    pub committed_fen: i64,
}

impl BudgetPosition {
    /// The money in the programme: appropriated less paid.
    pub fn balance_fen(&self) -> i64 {
        self.appropriated_fen.saturating_sub(self.paid_fen)
    }

    /// What new approvals may still use: the balance less what is committed, never below zero.
    pub fn left_fen(&self) -> i64 {
        self.balance_fen().saturating_sub(self.committed_fen).max(0)
    }
}

/// A refused appropriation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppropriationError {
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error(
        "{amount_fen} fen would pass the annual budget of {annual_budget_fen} fen: \
         {room_fen} fen may still be appropriated this year"
    )]
    AboveAnnualBudget {
        amount_fen: i64,
        annual_budget_fen: i64,
        room_fen: i64,
    },
    #[error("{0}")]
    Ledger(LedgerError),
}

impl AppropriationError {
    pub fn code(&self) -> &'static str {
        match self {
            AppropriationError::Invalid(_) => "invalid",
            AppropriationError::AboveAnnualBudget { .. } => "above_annual_budget",
            AppropriationError::Ledger(error) => error.code(),
        }
    }
}

/// A programme's budget line (money from outside: it goes negative by what it gave).
pub fn subsidy_budget_account(programme_id: i64) -> Account {
    Account::new(AccountKind::SubsidyBudget, programme_id)
}

/// A programme's money.
pub fn subsidy_account(programme_id: i64) -> Account {
    Account::new(AccountKind::Subsidy, programme_id)
}

/// What an enterprise has received.
pub fn enterprise_account(party_id: i64) -> Account {
    Account::new(AccountKind::Enterprise, party_id)
}

/// An appropriation of `amount_fen` from the programme's budget line into the programme (a
/// receipt: no approval needed), within what the annual budget leaves given
/// `appropriated_this_year_fen`.
pub fn subsidy_appropriation(
    rules: &SubsidyRules,
    appropriated_this_year_fen: i64,
    amount_fen: i64,
    date: NaiveDate,
) -> Result<JournalEntry, AppropriationError> {
    amount("amount_fen", "an appropriation", amount_fen, Sign::Positive)
        .map_err(|error| AppropriationError::Invalid(FieldErrors(vec![error])))?;
    let room_fen = rules
        .annual_budget_fen
        .saturating_sub(appropriated_this_year_fen.max(0))
        .max(0);
    if amount_fen > room_fen {
        return Err(AppropriationError::AboveAnnualBudget {
            amount_fen,
            annual_budget_fen: rules.annual_budget_fen,
            room_fen,
        });
    }
    JournalEntry::transfer(
        format!("subsidy-{}/appropriation", rules.programme_id),
        date,
        subsidy_budget_account(rules.programme_id),
        subsidy_account(rules.programme_id),
        amount_fen,
    )
    .map_err(AppropriationError::Ledger)
}

/// The payout of a subsidy, drafted by user `maker`: it reaches the ledger only once a different
/// user approves it.
pub fn subsidy_payout(
    maker: i64,
    programme_id: i64,
    enterprise_id: i64,
    amount_fen: i64,
    date: NaiveDate,
    reference: impl Into<String>,
) -> Result<PayoutRequest, LedgerError> {
    let entry = JournalEntry::new(
        reference,
        date,
        vec![
            Posting::new(subsidy_account(programme_id), amount_fen.saturating_neg()),
            Posting::new(enterprise_account(enterprise_id), amount_fen),
        ],
    )?;
    Ok(PayoutRequest::new(maker, entry))
}

/// Days from application to payout over the paid applications.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutTimes {
    /// Applications paid.
    pub paid: u64,
    /// The sum of their days from application to payout.
    pub total_days: i64,
    /// The longest, if any was paid.
    pub max_days: Option<i64>,
}

impl PayoutTimes {
    /// Over `(applied_on, paid_on)` pairs: whole calendar days between them (a payout dated
    /// before its application counts as 0).
    pub fn of(pairs: impl IntoIterator<Item = (NaiveDate, NaiveDate)>) -> PayoutTimes {
        let mut times = PayoutTimes::default();
        for (applied_on, paid_on) in pairs {
            let days = (paid_on - applied_on).num_days().max(0);
            times.paid += 1;
            times.total_days = times.total_days.saturating_add(days);
            times.max_days = Some(times.max_days.map_or(days, |max| max.max(days)));
        }
        times
    }

    /// The average in days, half up to a tenth of a day (`None` when nothing was paid).
    pub fn average_days(&self) -> Option<Decimal> {
        if self.paid == 0 {
            return None;
        }
        let tenths = div_half_up(i128::from(self.total_days) * 10, i128::from(self.paid));
        Some(Decimal::new(fen(tenths), 1))
    }
}

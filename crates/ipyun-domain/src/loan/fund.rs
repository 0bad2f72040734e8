//! Risk-compensation funds (风险补偿资金池): a region's or a park's public money that covers a
//! share of lenders' principal losses on ip-backed loans, and pays it first (先偿后处置,
//! pre-compensation).
//!
//! - Rules: the share of the principal loss covered (basis points), a cap per loan and a cap per
//!   year of payouts, the eligible lenders and products, and the region or park covered.
//! - A lender claims for a defaulted loan; an eligible claim is paid at once, before the pledge
//!   is sold: the fund's share of the principal outstanding, less what it already paid on that
//!   loan, within what is left under both caps ([`pre_compensation`]).
//! - After disposal the principal recovered flows back to the fund and the lender pro rata to the
//!   shares of the loss each bore ([`split_recovery`]): the fund bore what it paid, the lender
//!   the rest. Interest and fees recovered are the lender's (the fund covers principal only).
//! - Every amount is split in whole fen by largest remainder ([`split_pro_rata`]): each party
//!   gets the floor of its exact share, then the fen left over go one each to the largest
//!   fractional remainders, ties to the party listed first. In a recovery the lender is listed
//!   first, so the public fund never takes the odd fen on a tie.
//! - Money moves only through the [`Ledger`](super::ledger::Ledger); a payout from the fund
//!   needs a maker and a different checker.

use super::ledger::{Account, AccountKind, JournalEntry, LedgerError, PayoutRequest, Posting};
use super::money::{Sign, WHOLE_BP, amount, basis_points, div_half_up, fen, keep};
use crate::field::{FieldError, FieldErrors};
use crate::id::RegionCode;
use crate::party::string_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The area a fund covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FundScope {
    /// Borrowers in this region or any region within it (a city's fund covers its districts).
    Region { region: RegionCode },
    /// Borrowers in this park.
    Park { park_id: i64 },
}

/// A fund's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundRules {
    pub fund_id: i64,
    pub scope: FundScope,
    /// The share of a principal loss covered, 1–10,000 basis points.
    pub coverage_bp: i64,
    /// The most paid on one loan, in fen.
    pub cap_per_loan_fen: i64,
    /// The most paid in one calendar year, in fen.
    pub cap_per_year_fen: i64,
    /// Lender party ids whose loans are covered: at least one.
    pub eligible_lenders: Vec<i64>,
    /// Financial-product ids covered: at least one.
    pub eligible_products: Vec<i64>,
}

impl FundRules {
    /// Checks the rules, each error naming its field.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        keep(
            &mut errors,
            basis_points("coverage_bp", "the coverage", self.coverage_bp, true),
        );
        keep(
            &mut errors,
            amount(
                "cap_per_loan_fen",
                "the cap per loan",
                self.cap_per_loan_fen,
                Sign::Positive,
            ),
        );
        keep(
            &mut errors,
            amount(
                "cap_per_year_fen",
                "the cap per year",
                self.cap_per_year_fen,
                Sign::Positive,
            ),
        );
        for (field, list) in [
            ("eligible_lenders", &self.eligible_lenders),
            ("eligible_products", &self.eligible_products),
        ] {
            if list.is_empty() {
                errors.push(FieldError::new(
                    field,
                    "empty",
                    "a fund names at least one eligible lender and one eligible product",
                ));
            }
        }
        errors.into_result()
    }
}

/// A lender's claim on a defaulted loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub lender_id: i64,
    pub product_id: i64,
    /// The borrower's region.
    pub region: Option<RegionCode>,
    /// The borrower's park.
    pub park_id: Option<i64>,
    /// The principal outstanding on the loan: the loss before any recovery.
    pub principal_outstanding_fen: i64,
    pub claimed_on: NaiveDate,
}

/// Why a claim is not covered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    #[error("lender {lender_id} is not an eligible lender of this fund")]
    Lender { lender_id: i64 },
    #[error("product {product_id} is not an eligible product of this fund")]
    Product { product_id: i64 },
    #[error("the borrower is outside the region or park the fund covers")]
    OutsideScope,
    #[error("no principal is outstanding")]
    NothingOutstanding,
}

impl Ineligible {
    pub fn code(&self) -> &'static str {
        match self {
            Ineligible::Lender { .. } => "lender_not_eligible",
            Ineligible::Product { .. } => "product_not_eligible",
            Ineligible::OutsideScope => "outside_scope",
            Ineligible::NothingOutstanding => "nothing_outstanding",
        }
    }
}

/// Every reason a claim is not covered (empty: eligible).
pub fn ineligibility(rules: &FundRules, claim: &Claim) -> Vec<Ineligible> {
    let mut reasons = Vec::new();
    if !rules.eligible_lenders.contains(&claim.lender_id) {
        reasons.push(Ineligible::Lender {
            lender_id: claim.lender_id,
        });
    }
    if !rules.eligible_products.contains(&claim.product_id) {
        reasons.push(Ineligible::Product {
            product_id: claim.product_id,
        });
    }
    let in_scope = match &rules.scope {
        FundScope::Region { region } => claim
            .region
            .as_ref()
            .is_some_and(|borrower| borrower.is_within(region)),
        FundScope::Park { park_id } => claim.park_id == Some(*park_id),
    };
    if !in_scope {
        reasons.push(Ineligible::OutsideScope);
    }
    if claim.principal_outstanding_fen <= 0 {
        reasons.push(Ineligible::NothingOutstanding);
    }
    reasons
}

/// Whether the fund covers the claim.
pub fn is_eligible(rules: &FundRules, claim: &Claim) -> bool {
    ineligibility(rules, claim).is_empty()
}

/// What the fund has paid already, in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidSoFar {
    /// On this loan.
    pub for_loan_fen: i64,
    /// In the claim's calendar year, on all loans.
    pub this_year_fen: i64,
}

/// A cap that limited a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cap {
    PerLoan,
    PerYear,
}

/// The pre-compensation due on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreCompensation {
    /// Principal outstanding × coverage, rounded half up.
    pub share_fen: i64,
    /// The share less what was already paid on the loan.
    pub due_fen: i64,
    /// What the fund pays now: the due within what is left under both caps.
    pub amount_fen: i64,
    /// The cap that cut the payment (the per-loan cap when both cut it equally).
    pub limited_by: Option<Cap>,
}

/// A refused pre-compensation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FundError {
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error("the claim is not covered: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Ineligible(Vec<Ineligible>),
}

/// The pre-compensation of an eligible claim (see the module documentation).
pub fn pre_compensation(
    rules: &FundRules,
    claim: &Claim,
    paid: PaidSoFar,
) -> Result<PreCompensation, FundError> {
    rules.validate().map_err(FundError::Invalid)?;
    let mut errors = FieldErrors::default();
    keep(
        &mut errors,
        amount(
            "principal_outstanding_fen",
            "the principal outstanding",
            claim.principal_outstanding_fen,
            Sign::NonNegative,
        ),
    );
    for (field, value) in [
        ("paid.for_loan_fen", paid.for_loan_fen),
        ("paid.this_year_fen", paid.this_year_fen),
    ] {
        keep(
            &mut errors,
            amount(field, "an amount paid", value, Sign::NonNegative),
        );
    }
    errors.into_result().map_err(FundError::Invalid)?;
    let reasons = ineligibility(rules, claim);
    if !reasons.is_empty() {
        return Err(FundError::Ineligible(reasons));
    }
    let share_fen = fen(div_half_up(
        i128::from(claim.principal_outstanding_fen) * i128::from(rules.coverage_bp),
        i128::from(WHOLE_BP),
    ));
    let due_fen = (share_fen - paid.for_loan_fen).max(0);
    let loan_room = (rules.cap_per_loan_fen - paid.for_loan_fen).max(0);
    let year_room = (rules.cap_per_year_fen - paid.this_year_fen).max(0);
    let amount_fen = due_fen.min(loan_room).min(year_room);
    let limited_by = if amount_fen == due_fen {
        None
    } else if loan_room <= year_room {
        Some(Cap::PerLoan)
    } else {
        Some(Cap::PerYear)
    };
    Ok(PreCompensation {
        share_fen,
        due_fen,
        amount_fen,
        limited_by,
    })
}

/// Splits `amount_fen` (≥ 0) in proportion to `weights` (each ≥ 0, some > 0) in whole fen by
/// largest remainder, ties to the earlier weight; the parts sum to `amount_fen` exactly. `None`
/// when the amount is negative or the weights are not valid.
pub fn split_pro_rata(amount_fen: i64, weights: &[i64]) -> Option<Vec<i64>> {
    let total: i128 = weights.iter().map(|weight| i128::from(*weight)).sum();
    if amount_fen < 0 || total <= 0 || weights.iter().any(|weight| *weight < 0) {
        return None;
    }
    let amount = i128::from(amount_fen);
    let mut parts: Vec<i64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let exact = amount * i128::from(*weight);
        parts.push(fen(exact / total));
        remainders.push((exact % total, index));
    }
    let mut left = amount_fen - parts.iter().sum::<i64>();
    // Largest remainder first; on equal remainders, the earlier party.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders {
        if left == 0 {
            break;
        }
        if let Some(part) = parts.get_mut(index) {
            *part += 1;
            left -= 1;
        }
    }
    Some(parts)
}

/// How principal recovered after disposal is shared back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoverySplit {
    pub to_lender_fen: i64,
    pub to_fund_fen: i64,
}

/// Splits `recovered_fen` of principal between the lender and the fund pro rata to the loss each
/// bore: the fund `fund_paid_fen` of the `principal_loss_fen`, the lender the rest (lender listed
/// first for ties). Errors name the input.
pub fn split_recovery(
    principal_loss_fen: i64,
    fund_paid_fen: i64,
    recovered_fen: i64,
) -> Result<RecoverySplit, FieldErrors> {
    let mut errors = FieldErrors::default();
    let loss = keep(
        &mut errors,
        amount(
            "principal_loss_fen",
            "the principal loss",
            principal_loss_fen,
            Sign::Positive,
        ),
    );
    let paid = keep(
        &mut errors,
        amount(
            "fund_paid_fen",
            "the fund's payment",
            fund_paid_fen,
            Sign::NonNegative,
        ),
    );
    let recovered = keep(
        &mut errors,
        amount(
            "recovered_fen",
            "the recovery",
            recovered_fen,
            Sign::NonNegative,
        ),
    );
    if let (Some(loss), Some(paid)) = (loss, paid)
        && paid > loss
    {
        errors.push(FieldError::new(
            "fund_paid_fen",
            "above_loss",
            "the fund cannot have paid more than the principal loss",
        ));
    }
    if let (Some(loss), Some(recovered)) = (loss, recovered)
        && recovered > loss
    {
        errors.push(FieldError::new(
            "recovered_fen",
            "above_loss",
            "more principal cannot be recovered than was lost",
        ));
    }
    errors.into_result()?;
    let parts = split_pro_rata(
        recovered_fen,
        &[principal_loss_fen - fund_paid_fen, fund_paid_fen],
    )
    .unwrap_or_default();
    match parts.as_slice() {
        [to_lender_fen, to_fund_fen] => Ok(RecoverySplit {
            to_lender_fen: *to_lender_fen,
            to_fund_fen: *to_fund_fen,
        }),
        _ => Err(FieldErrors(vec![FieldError::new(
            "principal_loss_fen",
            "not_positive",
            "the principal loss must be above zero",
        )])),
    }
}

/// The fund's account.
pub fn fund_account(fund_id: i64) -> Account {
    Account::new(AccountKind::Fund, fund_id)
}

/// The budget line that funds fund `fund_id`.
pub fn budget_account(fund_id: i64) -> Account {
    Account::new(AccountKind::Budget, fund_id)
}

/// A lender's account.
pub fn lender_account(lender_id: i64) -> Account {
    Account::new(AccountKind::Lender, lender_id)
}

/// An appropriation: `amount_fen` from the budget into the fund (a receipt: no approval needed).
pub fn appropriation(
    fund_id: i64,
    amount_fen: i64,
    date: NaiveDate,
) -> Result<JournalEntry, LedgerError> {
    JournalEntry::transfer(
        format!("fund-{fund_id}/appropriation"),
        date,
        budget_account(fund_id),
        fund_account(fund_id),
        amount_fen,
    )
}

/// The payout of a pre-compensation, drafted by user `maker`: it reaches the ledger only once a
/// different user approves it.
pub fn pre_compensation_payout(
    maker: i64,
    fund_id: i64,
    lender_id: i64,
    amount_fen: i64,
    date: NaiveDate,
    reference: impl Into<String>,
) -> Result<PayoutRequest, LedgerError> {
    let entry = JournalEntry::new(
        reference,
        date,
        vec![
            Posting::new(fund_account(fund_id), amount_fen.saturating_neg()),
            Posting::new(lender_account(lender_id), amount_fen),
        ],
    )?;
    Ok(PayoutRequest::new(maker, entry))
}

string_enum!(
    /// Where a claim stands.
    ClaimStatus, "claim status" {
    // Filed by the lender.
    Submitted => "submitted",
    // Eligible; the payout is drafted by a maker and waits for a checker.
    PayoutDrafted => "payout_drafted",
    // Approved by a checker and paid: the fund waits for the disposal.
    Paid => "paid",
    // The disposal's recovery is shared back: nothing more happens.
    Settled => "settled",
    Refused => "refused",
});

impl ClaimStatus {
    /// Whether `next` may follow `self`.
    pub fn may_become(self, next: ClaimStatus) -> bool {
        use ClaimStatus::*;
        matches!(
            (self, next),
            (Submitted, PayoutDrafted | Refused)
                | (PayoutDrafted, Paid | Refused)
                | (Paid, Settled)
        )
    }
}

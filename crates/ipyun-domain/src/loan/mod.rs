//! Loans secured by ip pledges and what follows a default (issue 7): the pure rules, no IO.
//!
//! - `contract`: a loan contract tied to registered pledges, its disbursements.
//! - `schedule` + `daycount`: repayment schedules by equal instalments, equal principal,
//!   interest only or bullet, by the banks' monthly convention or actual/360, actual/365;
//!   prepayment (keeps the term, lowers the instalment); the CSV of `ipyun loan schedule`.
//! - `repayment`: repayments applied oldest instalment first, fees → interest → principal;
//!   days overdue by instalment.
//! - `classification`: the five categories and their overdue floors (2023 rules); NPL ratio.
//! - `ledger`: double-entry, all-or-nothing, no overdraft, payouts by maker and checker.
//! - `fund`: risk-compensation fund rules: eligibility, pre-compensation within caps, the
//!   recovery's pro-rata split.
//! - `subsidy`: interest and fee subsidies: eligibility with every ground named, the subsidy
//!   within the cap and the budget left, the budget's position, days from application to payout.
//! - `disposal` + `waterfall`: the disposal case, auction rules, the proceeds' waterfall.
//! - `surveillance`: what about a pledged right should alert its pledgee.
//!
//! Money is whole fen (`i64`) everywhere; rates are exact (whole parts per million of a year).
//! Every rounding is half up (四舍五入) to the fen, once, where the rule says. Input errors are
//! [`FieldErrors`](crate::field::FieldErrors) naming the field; refusals of a rule (a bid too
//! low, an overdraft, an override below the floor) are typed errors with a stable `code()`.
//!
//! This module does not know: storage, who may do what (the app checks the principal, e.g. that
//! a payout's checker holds the role), or the time (callers pass dates).

mod classification;
mod contract;
mod daycount;
mod disposal;
mod fund;
mod ledger;
mod money;
mod repayment;
mod schedule;
mod subsidy;
mod surveillance;
mod waterfall;

#[cfg(test)]
mod tests;

pub use classification::{
    BelowFloor, ClassBalances, Floor, FloorRule, RiskClass, classify, floor, npl_ratio,
    npl_ratio_bp,
};
pub use contract::{
    DisbursementInput, Loan, LoanInput, MAX_CONTRACT_NO_CHARS, MAX_DISBURSEMENTS, MAX_PLEDGES,
};
pub use daycount::{DayCount, days_between};
pub use disposal::{
    Auction, AuctionOutcome, Bid, BidError, DisposalCase, DisposalError, DisposalMethod,
    DisposalStatus, Listing,
};
pub use fund::{
    Cap, Claim, ClaimStatus, FundError, FundRules, FundScope, Ineligible, PaidSoFar,
    PreCompensation, RecoverySplit, appropriation, budget_account, fund_account, ineligibility,
    is_eligible, lender_account, pre_compensation, pre_compensation_payout, split_pro_rata,
    split_recovery,
};
pub use ledger::{
    Account, AccountKind, ApprovedPayout, JournalEntry, Ledger, LedgerError, MAX_LINES,
    PayoutRequest, Posting, SameUser,
};
pub use money::{
    AnnualRate, MAX_AMOUNT_FEN, MAX_ANNUAL_RATE_PCT, MAX_RATE_DECIMALS, WHOLE_BP, div_half_up,
    format_fen, parse_yuan,
};
pub use repayment::{
    Allocation, Applied, Due, Overdue, add_fee, allocate, loan_days_overdue, overdue,
};
pub use schedule::{
    Instalment, MAX_MONTHS, Prepayment, PrepaymentInput, RepaymentMethod, ScheduleInput, Terms,
    equal_instalment_fen, prepay, schedule, to_csv,
};
pub use subsidy::{
    AppropriationError, BudgetPosition, Ineligible as SubsidyIneligible, MAX_EVIDENCE_CHARS,
    PayoutTimes, SubsidyAmount, SubsidyError, SubsidyKind, SubsidyLimit, SubsidyRequest,
    SubsidyRules, SubsidyStatus, approval_amount, enterprise_account,
    ineligibility as subsidy_ineligibility, subsidy_account, subsidy_amount, subsidy_appropriation,
    subsidy_budget_account, subsidy_payout, validate_request,
};
pub use surveillance::{CollateralFacts, CollateralRisk, collateral_risks};
pub use waterfall::{
    LoanClaim, SettlementAccounts, Waterfall, WaterfallInput, settlement_entries, waterfall,
};

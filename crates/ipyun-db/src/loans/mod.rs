//! Loans secured by registered pledges (issue 7): contracts, disbursements, the schedule in
//! force with what was paid of each instalment, repayments, the five-category classification and
//! its history; risk-compensation funds, claims, payouts by maker and checker, and the
//! double-entry ledger whose balances the database itself keeps from going negative
//! (`ledger_balances_no_overdraft`); subsidy programmes, applications and their payouts. Every
//! change is audited in its own transaction.

mod book;
mod classify;
mod disposal;
mod funds;
mod implementation;
mod ledger;
mod records;
mod repay;
mod store;
mod subsidies;
mod subsidy_applications;
mod surveillance;

pub use book::BookLoan;
pub use classify::{ClassUpdate, LoanDayRow, LoanDayRun, NplRow, OverrideWrite};
pub use disposal::{
    DisposalEvent, DisposalEventRecord, DisposalRecord, NewDisposal, NewHolder, SettlementWrite,
};
pub use funds::{ClaimRecord, FundRecord, NewClaim, NewFund, NewPayout, PaidTotals, PayoutRecord};
pub use implementation::{ImplementationRow, ImplementationWrite};
pub use ledger::{EntryMeta, JournalLine, JournalRecord, LEDGER_OVERDRAFT, is_ledger_overdraft};
pub use records::{
    ClassChangeRecord, DisbursementRecord, InstalmentRecord, LoanFilter, LoanPledgeRecord,
    LoanRecord, LoanStatus, RepaymentRecord,
};
pub use repay::{InstalmentPayment, NewInstalment, PrepaymentWrite, RepaymentWrite};
pub use store::{NewDisbursement, NewLoan};
pub use subsidies::{NewProgramme, ProgrammeRecord, SubsidyTotals};
pub use subsidy_applications::{
    NewSubsidyApplication, NewSubsidyPayout, SUBSIDY_BUDGET_LEFT, SUBSIDY_ONE_OPEN,
    SubsidyApplicationRecord, SubsidyApproval, SubsidyPayoutRecord, is_subsidy_already_applied,
    is_subsidy_budget_exhausted,
};
pub use surveillance::{AlertKey, CollateralRow, DayAlerts, LenderNotice, NewAlert};

use crate::DbError;

pub(crate) fn corrupt(what: &str, error: impl std::fmt::Display) -> DbError {
    crate::rights::corrupt(what, error)
}

/// `i64` from a stored count or index, refusing negatives as corrupt.
pub(crate) fn non_negative(what: &str, value: i64) -> Result<u32, DbError> {
    u32::try_from(value).map_err(|_| corrupt(what, value))
}

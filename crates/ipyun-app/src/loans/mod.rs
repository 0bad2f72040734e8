//! Loans secured by registered pledges (issue 7: L1 loans, L2 classification, L3
//! risk-compensation funds). Who may do what:
//! - a lender's user records loans over its own registered active pledges, repays, prepays and
//!   overrides the class of its own loans, and claims on a fund for them; it sees only its loans;
//! - an enterprise sees the loans it borrowed, read-only; a park the loans of its enterprises;
//! - a provincial office sees loans to borrowers of its province; the national office and
//!   administrators see all;
//! - an office creates a fund for its region or a park in it, appropriates its budget, and two
//!   different users of that office pay a claim (maker, then checker);
//! - an office creates a subsidy programme (interest or fees) for its region and appropriates
//!   its budget; an enterprise applies on its own loan; a user of the office approves or refuses,
//!   and two different users of it pay (maker, then checker);
//! - an administrator (or the system) runs the daily job.
//!
//! Anyone else learns nothing: a loan, claim, fund, subsidy programme or application they may
//! not see answers "not found".

mod claims;
mod create;
mod day;
mod disposal;
mod disposal_views;
mod fund_lists;
mod funds;
mod implementation;
mod ledger;
mod payouts;
mod repay;
mod stats;
mod subsidies;
mod subsidy_applications;
mod subsidy_views;
mod views;

pub use claims::{ClaimInput, ClaimView, RecoveryInput};
pub use create::{LoanQuery, LoanRequest};
pub use day::{ClassificationInput, LoanDayReport};
pub use disposal::{
    AgreementInput, BidInput, DisposalOpenInput, ListingInput, SettlementInput, SettlementView,
};
pub use disposal_views::{BidView, DisposalEventView, DisposalView, ListingView};
pub use fund_lists::FundSummary;
pub use funds::{
    AccountBalance, AppropriationInput, FundInput, FundScopeView, FundView, JournalLineView,
    JournalView,
};
pub use implementation::{
    ImplementationDeclared, ImplementationInput, ImplementationQuery, ImplementationRateRow,
    ImplementationReport,
};
pub use ipyun_db::loans::LoanStatus;
pub use payouts::PayoutView;
pub use repay::{
    PledgeRelease, PrepaymentOutcome, PrepaymentRequest, RepaymentInput, RepaymentOutcome,
};
pub use stats::{NplGrouping, NplQuery, NplReport, NplRow};
pub use subsidies::{
    PayoutTimesView, SubsidyBudgetView, SubsidyCounts, SubsidyProgrammeInput, SubsidyProgrammeView,
};
pub use subsidy_applications::{SubsidyApplicationInput, SubsidyDecisionInput, SubsidyVerdict};
pub use subsidy_views::{SubsidyApplicationView, SubsidyPayoutView};
pub use views::{
    ClassChangeView, DisbursementView, InstalmentView, LoanDetail, LoanPledgeView, LoanView,
    RepaymentView,
};

use crate::{App, AppError, ErrorKind};
use ipyun_db::loans::{LoanFilter, LoanRecord};
use ipyun_domain::account::{Principal, Role};

/// Which loans a principal may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LoanScope {
    All,
    Lender(i64),
    Borrower(i64),
    Park(i64),
    /// Borrowers whose region code starts with these two digits.
    Province(String),
}

impl LoanScope {
    pub(crate) fn of(principal: &Principal) -> Option<LoanScope> {
        match (principal.role, principal.party_id) {
            (Role::PlatformAdmin | Role::NationalOffice, _) => Some(LoanScope::All),
            (Role::Lender, Some(party)) => Some(LoanScope::Lender(party)),
            (Role::Enterprise, Some(party)) => Some(LoanScope::Borrower(party)),
            (Role::Park, Some(party)) => Some(LoanScope::Park(party)),
            (Role::ProvincialOffice, _) => province(principal).map(LoanScope::Province),
            _ => None,
        }
    }

    pub(crate) fn filter(&self) -> LoanFilter {
        let mut filter = LoanFilter::default();
        match self {
            LoanScope::All => {}
            LoanScope::Lender(party) => filter.lender_id = Some(*party),
            LoanScope::Borrower(party) => filter.borrower_id = Some(*party),
            LoanScope::Park(party) => filter.park_id = Some(*party),
            LoanScope::Province(prefix) => filter.region_prefix = Some(prefix.clone()),
        }
        filter
    }

    pub(crate) fn covers(&self, loan: &LoanRecord) -> bool {
        match self {
            LoanScope::All => true,
            LoanScope::Lender(party) => loan.lender_id == *party,
            LoanScope::Borrower(party) => loan.borrower_id == *party,
            LoanScope::Park(party) => loan.borrower_park_id == Some(*party),
            LoanScope::Province(prefix) => loan
                .borrower_region
                .as_deref()
                .is_some_and(|region| region.starts_with(prefix.as_str())),
        }
    }
}

/// The two digits of an office's province.
pub(crate) fn province(principal: &Principal) -> Option<String> {
    principal
        .region
        .as_deref()
        .and_then(|region| region.get(..2))
        .map(str::to_string)
}

pub(crate) fn loan_not_found(id: i64) -> AppError {
    AppError::not_found("loan.not_found", format!("no loan {id}"))
}

pub(crate) fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::Conflict, code, message)
}

pub(crate) fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "loans: unexpected state");
    AppError::new(
        ErrorKind::Internal,
        "internal",
        "an internal error occurred",
    )
}

/// A failure of the database to apply a change read moments before.
pub(crate) fn stale(error: ipyun_db::DbError) -> AppError {
    match error {
        ipyun_db::DbError::Stale(message) => conflict(
            "loan.changed",
            format!("{message}; read it again and retry"),
        ),
        other => other.into(),
    }
}

impl App {
    /// A loan the principal may see, or "not found".
    pub(crate) async fn visible_loan(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<LoanRecord, AppError> {
        let scope = LoanScope::of(principal).ok_or_else(|| loan_not_found(id))?;
        let loan = self
            .db
            .get_loan(id)
            .await?
            .ok_or_else(|| loan_not_found(id))?;
        if !scope.covers(&loan) {
            return Err(loan_not_found(id));
        }
        Ok(loan)
    }

    /// A loan the principal acts on as its lender: others who may see it are refused, the rest
    /// learn nothing.
    pub(crate) async fn lenders_loan(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<LoanRecord, AppError> {
        let loan = self.visible_loan(principal, id).await?;
        if principal.role != Role::Lender || principal.party_id != Some(loan.lender_id) {
            return Err(AppError::forbidden("only the loan's lender acts on it"));
        }
        Ok(loan)
    }
}

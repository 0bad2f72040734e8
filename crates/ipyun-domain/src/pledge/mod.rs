//! Pledge registration (features P1–P7): applications, their automatic examination, the decision
//! clock, and the life of a registered pledge. Rules only; the app crate runs them in transactions.

mod change;
mod examine;
mod finding;
mod input;
mod status;

pub use change::{
    AmendmentInput, CancellationInput, CancellationReason, PledgeChange, PledgeFacts,
    examine_change,
};
pub use examine::{ExaminationFacts, Outcome, PledgorFacts, RightFacts, examine, outcome};
pub use finding::{Finding, FindingCode, Measures, Severity};
pub use input::{
    LoanContract, MAX_RIGHTS, PledgeApplication, PledgeApplicationInput, PledgeContract,
    PledgeType, PledgedRight, PledgedRightInput, ValuationStatement, ltv_bp,
};
pub use status::{Act, ApplicationStatus, PledgeStatus, decision_due, registration_no};

#[cfg(test)]
mod tests;

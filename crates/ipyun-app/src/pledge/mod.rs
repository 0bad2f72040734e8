//! Pledge registration use cases (features P1–P7): drafting, confirming, examining, deciding,
//! and the public record. Who may do what:
//! - a lender's user drafts as pledgee, an enterprise's user as pledgor; the other side confirms;
//! - the parties, examiners, offices and admins see an application; nobody else learns it exists;
//! - anyone may search registered pledges (the gazette's content); amounts and verification codes
//!   are shown only to the parties and offices.

mod apply;
mod attachments;
mod change;
mod confirm;
mod examiner;
mod notice;
mod sla;
mod view;

pub use apply::{BatchItem, MAX_BATCH};
pub use attachments::{AttachmentView, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS};
pub use change::change_notice_no;
pub use examiner::{ExaminerDecision, ExaminerVerdict};
pub use ipyun_db::pledges::PledgeFilter;
pub use notice::{ISSUING_OFFICE, refusal_notice_no};
pub use sla::{MAX_SLA_DAYS, PledgeSlaReport, SlaRow, SlaRowKind};
pub use view::{PledgeApplicationView, PledgeRightView, PledgeView};

use crate::{AppError, ErrorKind};
use ipyun_db::pledges::PledgeApplicationRecord;
use ipyun_domain::account::{Principal, Role};

/// The status-event notes of decisions made at confirmation, without an examiner (the SLA's
/// "automatic" office).
pub const NOTE_REGISTERED_ON_CONFIRMATION: &str = "registered on confirmation";
pub const NOTE_REFUSED_ON_CONFIRMATION: &str = "refused on confirmation";

/// Attempts at a decision when a concurrent one over the same right wins the race.
const DECISION_ATTEMPTS: usize = 3;

pub(crate) fn not_found(id: i64) -> AppError {
    AppError::not_found(
        "pledge.application_not_found",
        format!("no pledge application {id}"),
    )
}

/// Whether `principal` may see `application`.
pub(crate) fn may_see(principal: &Principal, application: &PledgeApplicationRecord) -> bool {
    match principal.role {
        Role::Examiner | Role::ProvincialOffice | Role::NationalOffice | Role::PlatformAdmin => {
            true
        }
        Role::Enterprise => principal.party_id == Some(application.pledgor_id),
        Role::Lender => principal.party_id == Some(application.pledgee_id),
        _ => false,
    }
}

/// Whether `principal` acts for the party that did not draft `application` (and so may confirm it).
pub(crate) fn is_other_party(principal: &Principal, application: &PledgeApplicationRecord) -> bool {
    let other_party = if application.drafted_by_party == application.pledgee_id {
        (Role::Enterprise, application.pledgor_id)
    } else {
        (Role::Lender, application.pledgee_id)
    };
    principal.role == other_party.0 && principal.party_id == Some(other_party.1)
}

pub(crate) fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::Conflict, code, message)
}

/// A verification code for a notice: ten characters of Crockford's base32 (no I, L, O, U).
pub(crate) fn verification_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

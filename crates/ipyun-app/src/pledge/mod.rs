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

/// The pledge a registration creates: its number from the application, its rights with their
/// register ids (from the examination's facts), and the appraised value the parties stated.
pub(crate) fn new_pledge(
    record: &ipyun_db::pledges::PledgeApplicationRecord,
    application: &ipyun_domain::pledge::PledgeApplication,
    facts: &ipyun_domain::pledge::ExaminationFacts,
    today: chrono::NaiveDate,
    verification_code: String,
) -> ipyun_db::pledges::NewPledge {
    use chrono::Datelike;
    ipyun_db::pledges::NewPledge {
        registration_no: ipyun_domain::pledge::registration_no(today.year(), record.id),
        pledge_type: record.pledge_type,
        pledgor_id: record.pledgor_id,
        pledgee_id: record.pledgee_id,
        secured_amount_fen: application.pledge_contract.secured_amount_fen,
        performance_end: application.loan_contract.performance_end,
        verification_code,
        registered_on: today,
        appraised_value_fen: application
            .valuation
            .as_ref()
            .map(|valuation| valuation.appraised_value_fen),
        rights: application
            .rights
            .iter()
            .zip(&facts.rights)
            .map(|(right, fact)| ipyun_db::pledges::PledgedRightRow {
                kind: right.kind,
                number: right.number.clone(),
                right_id: fact.registry.as_ref().map(|found| found.id),
            })
            .collect(),
    }
}

/// The answer to a stored application: new, or the first one made with this idempotency key.
pub(crate) fn inserted_id(inserted: ipyun_db::pledges::Inserted) -> Result<(i64, bool), AppError> {
    match inserted {
        ipyun_db::pledges::Inserted::New(id) => Ok((id, false)),
        ipyun_db::pledges::Inserted::Replayed(id) => Ok((id, true)),
        ipyun_db::pledges::Inserted::KeyReused => Err(conflict(
            "pledge.idempotency_key_reused",
            "this Idempotency-Key was used before with a different request",
        )),
    }
}

//! Pledge registration: applications, their decisions, registered pledges and the rights they
//! bind. The database enforces one active pledge per right (`pledge_rights_one_active`).

mod apply;
mod attachments;
mod decide;
mod facts;
mod keys;
mod query;
mod sla;
pub(crate) mod sqlite_write;

pub use apply::{ApplicationFilter, IdempotencyClaim, Inserted, NewPledgeApplication};
pub use attachments::{AttachmentRecord, NewAttachment};
pub use decide::{NewPledge, PledgeDecision, PledgeUpdate, PledgedRightRow};
pub use query::{PledgeFilter, PledgeRecord, PledgeRightRecord};
pub use sla::{SlaApplicationRow, SlaEvent, SlaWindow};

use crate::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::pledge::{Act, ApplicationStatus, PledgeType};

/// An application as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeApplicationRecord {
    pub id: i64,
    pub act: Act,
    pub status: ApplicationStatus,
    pub pledge_type: PledgeType,
    pub pledgor_id: i64,
    pub pledgee_id: i64,
    pub drafted_by_party: i64,
    pub created_by: String,
    pub confirmed_by: Option<String>,
    pub target_pledge_id: Option<i64>,
    pub green_channel: bool,
    /// The validated application, as JSON.
    pub body: String,
    /// The findings of the last examination, as JSON.
    pub findings: String,
    pub received_at: Option<DateTime<Utc>>,
    pub due_date: Option<NaiveDate>,
    pub due_provisional: bool,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub registration_no: Option<String>,
    pub verification_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ApplicationRow {
    pub(crate) id: i64,
    pub(crate) act: String,
    pub(crate) status: String,
    pub(crate) pledge_type: String,
    pub(crate) pledgor_id: i64,
    pub(crate) pledgee_id: i64,
    pub(crate) drafted_by_party: i64,
    pub(crate) created_by: String,
    pub(crate) confirmed_by: Option<String>,
    pub(crate) target_pledge_id: Option<i64>,
    pub(crate) green_channel: bool,
    pub(crate) body: String,
    pub(crate) findings: String,
    pub(crate) received_at: Option<DateTime<Utc>>,
    pub(crate) due_date: Option<NaiveDate>,
    pub(crate) due_provisional: bool,
    pub(crate) decided_at: Option<DateTime<Utc>>,
    pub(crate) decided_by: Option<String>,
    pub(crate) registration_no: Option<String>,
    pub(crate) verification_code: Option<String>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

pub(crate) const APPLICATION_COLUMNS: &str = "id, act, status, pledge_type, pledgor_id, pledgee_id, drafted_by_party, \
     created_by, confirmed_by, target_pledge_id, green_channel, body, findings, received_at, due_date, due_provisional, \
     decided_at, decided_by, registration_no, verification_code, created_at, updated_at";

pub(crate) fn pledge_type_parse(text: &str) -> Result<PledgeType, DbError> {
    match text {
        "rights" => Ok(PledgeType::Rights),
        "licence_revenue" => Ok(PledgeType::LicenceRevenue),
        other => Err(crate::rights::corrupt("pledge_type", other)),
    }
}

pub fn pledge_type_str(pledge_type: PledgeType) -> &'static str {
    match pledge_type {
        PledgeType::Rights => "rights",
        PledgeType::LicenceRevenue => "licence_revenue",
    }
}

impl ApplicationRow {
    pub(crate) fn into_record(self) -> Result<PledgeApplicationRecord, DbError> {
        let corrupt = crate::rights::corrupt;
        Ok(PledgeApplicationRecord {
            id: self.id,
            act: Act::parse(&self.act)
                .map_err(|error| corrupt("pledge_applications.act", error))?,
            status: ApplicationStatus::parse(&self.status)
                .map_err(|error| corrupt("pledge_applications.status", error))?,
            pledge_type: pledge_type_parse(&self.pledge_type)?,
            pledgor_id: self.pledgor_id,
            pledgee_id: self.pledgee_id,
            drafted_by_party: self.drafted_by_party,
            created_by: self.created_by,
            confirmed_by: self.confirmed_by,
            target_pledge_id: self.target_pledge_id,
            green_channel: self.green_channel,
            body: self.body,
            findings: self.findings,
            received_at: self.received_at,
            due_date: self.due_date,
            due_provisional: self.due_provisional,
            decided_at: self.decided_at,
            decided_by: self.decided_by,
            registration_no: self.registration_no,
            verification_code: self.verification_code,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

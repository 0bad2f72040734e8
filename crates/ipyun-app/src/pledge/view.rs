//! What the API and pages show of applications and pledges.

use super::apply::internal;
use super::{may_see, not_found};
use crate::{App, AppError};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_db::pledges::{PledgeApplicationRecord, PledgeFilter, PledgeRecord};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::page::{Page, PageRequest};
use ipyun_domain::pledge::{Act, ApplicationStatus, Finding, PledgeStatus, PledgeType};
use ipyun_domain::right::RightKind;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PledgeApplicationView {
    pub id: i64,
    pub act: Act,
    pub status: ApplicationStatus,
    pub pledge_type: PledgeType,
    pub pledgor_id: i64,
    pub pledgee_id: i64,
    /// The party (pledgor or pledgee) that drafted it; the other one confirms.
    pub drafted_by_party: i64,
    /// Handled first: a specialised SME, a little giant or an epidemic-supply producer.
    pub green_channel: bool,
    pub findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_no: Option<String>,
    /// The code that verifies the notice (shown to the parties and offices).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_code: Option<String>,
    pub created_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_at: Option<DateTime<Utc>>,
    /// The working day by which it must be decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    /// True when the due date was computed without an announced calendar for its year.
    pub due_provisional: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    #[schema(value_type = Object)]
    pub application: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PledgeRightView {
    pub number: String,
    pub kind: RightKind,
    /// Whether this pledge still binds the right.
    pub active: bool,
}

/// A registered pledge. `secured_amount_fen` and `verification_code` are shown only to its
/// parties and to offices; the rest is public (the gazette's content).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PledgeView {
    pub registration_no: String,
    pub status: PledgeStatus,
    pub pledge_type: PledgeType,
    pub pledgor: String,
    pub pledgee: String,
    pub registered_on: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_on: Option<NaiveDate>,
    pub rights: Vec<PledgeRightView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secured_amount_fen: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub performance_end: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_code: Option<String>,
    /// The appraised value stated at registration (parties and offices).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appraised_value_fen: Option<i64>,
    /// Loan-to-value (质押率): secured amount ÷ appraised value, in basis points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ltv_bp: Option<i64>,
}

pub(crate) fn application_view(
    record: PledgeApplicationRecord,
) -> Result<PledgeApplicationView, AppError> {
    let findings: Vec<Finding> = serde_json::from_str(&record.findings).map_err(internal)?;
    let application: serde_json::Value = serde_json::from_str(&record.body).map_err(internal)?;
    Ok(PledgeApplicationView {
        id: record.id,
        act: record.act,
        status: record.status,
        pledge_type: record.pledge_type,
        pledgor_id: record.pledgor_id,
        pledgee_id: record.pledgee_id,
        drafted_by_party: record.drafted_by_party,
        green_channel: record.green_channel,
        findings,
        registration_no: record.registration_no,
        verification_code: record.verification_code,
        created_by: record.created_by,
        confirmed_by: record.confirmed_by,
        received_at: record.received_at,
        due_date: record.due_date,
        due_provisional: record.due_provisional,
        decided_at: record.decided_at,
        created_at: record.created_at,
        application,
    })
}

/// Whether `principal` may see the private fields of `pledge`.
fn may_see_pledge_details(principal: Option<&Principal>, pledge: &PledgeRecord) -> bool {
    principal.is_some_and(|principal| match principal.role {
        Role::Examiner | Role::ProvincialOffice | Role::NationalOffice | Role::PlatformAdmin => {
            true
        }
        _ => principal
            .party_id
            .is_some_and(|party| party == pledge.pledgor_id || party == pledge.pledgee_id),
    })
}

pub(crate) fn pledge_view(principal: Option<&Principal>, pledge: PledgeRecord) -> PledgeView {
    let details = may_see_pledge_details(principal, &pledge);
    PledgeView {
        registration_no: pledge.registration_no,
        status: pledge.status,
        pledge_type: pledge.pledge_type,
        pledgor: pledge.pledgor_name,
        pledgee: pledge.pledgee_name,
        registered_on: pledge.registered_on,
        cancelled_on: pledge.cancelled_on,
        rights: pledge
            .rights
            .into_iter()
            .map(|right| PledgeRightView {
                number: right.number,
                kind: right.kind,
                active: right.active,
            })
            .collect(),
        secured_amount_fen: pledge.secured_amount_fen.filter(|_| details),
        performance_end: pledge.performance_end.filter(|_| details),
        verification_code: details.then_some(pledge.verification_code),
        appraised_value_fen: pledge.appraised_value_fen.filter(|_| details),
        ltv_bp: match (pledge.secured_amount_fen, pledge.appraised_value_fen) {
            (Some(secured), Some(appraised)) if details => {
                ipyun_domain::pledge::ltv_bp(secured, appraised)
            }
            _ => None,
        },
    }
}

impl App {
    pub async fn get_pledge_application(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<PledgeApplicationView, AppError> {
        let record = self
            .db
            .get_pledge_application(id)
            .await?
            .ok_or_else(|| not_found(id))?;
        if !may_see(principal, &record) {
            return Err(not_found(id));
        }
        application_view(record)
    }

    /// The public record of registered pledges; anyone may search it (`principal` may be absent).
    pub async fn list_pledges(
        &self,
        principal: Option<&Principal>,
        filter: &PledgeFilter,
        page: PageRequest,
    ) -> Result<Page<PledgeView>, AppError> {
        let found = self.db.list_pledges(filter, page).await?;
        Ok(found.map(|pledge| pledge_view(principal, pledge)))
    }
}

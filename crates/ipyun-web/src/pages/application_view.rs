//! The application page's view: an application as the app returns it, shaped for the template,
//! with what the viewer may do to it.

use super::pledge_views::{
    FindingRow, GroundOption, finding_key, finding_row, party_names, refusal_grounds, yuan,
};
use super::views::{local_time, path_segment};
use crate::state::AppState;
use chrono::{Datelike, NaiveDate};
use ipyun_app::Principal;
use ipyun_app::pledge::{PledgeApplicationView, refusal_notice_no};
use ipyun_domain::account::{Lang, Role};
use ipyun_domain::clock::china_date;
use ipyun_domain::pledge::{ApplicationStatus, PledgeApplication, PledgeChange, PledgeType};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub(super) struct PartyLink {
    pub id: i64,
    pub name: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct RightLine {
    pub kind: &'static str,
    pub number: String,
    pub title: Option<String>,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct ContractsView {
    pub loan_contract_no: Option<String>,
    pub debtor: Option<String>,
    pub principal: Option<String>,
    pub performance_start: Option<NaiveDate>,
    pub performance_end: Option<NaiveDate>,
    pub pledge_contract_no: Option<String>,
    pub secured_claim_kind: Option<String>,
    pub secured_amount: Option<String>,
    pub scope: Option<String>,
    pub transfer_on_default: bool,
    pub licence_contracts: Vec<String>,
    pub co_owner_consents: Vec<String>,
    pub informed_consent: Vec<GroundOption>,
    pub commitment_letter: bool,
    pub epidemic_supply: bool,
}

/// An amendment or a cancellation: the pledge it changes and what it asks.
#[derive(Debug, Clone, Serialize)]
pub(super) struct ChangeView {
    pub registration_no: String,
    pub href: String,
    /// `(Fluent key of the label, value)` of each amended particular.
    pub amended: Vec<(&'static str, String)>,
    pub cancellation_reason: Option<&'static str>,
    pub note: Option<String>,
}

fn change(body: PledgeChange) -> ChangeView {
    let (registration_no, amended, cancellation_reason, note) = match body {
        PledgeChange::Amendment {
            registration_no,
            amendment,
        } => {
            let particulars = [
                ("change-pledgor-name", amendment.pledgor_name),
                ("change-pledgor-address", amendment.pledgor_address),
                ("change-pledgee-name", amendment.pledgee_name),
                ("change-pledgee-address", amendment.pledgee_address),
                (
                    "pledge-secured-amount",
                    amendment.secured_amount_fen.map(yuan),
                ),
                (
                    "loan-performance-end",
                    amendment.performance_end.map(|d| d.to_string()),
                ),
                ("pledge-scope", amendment.scope),
            ];
            let amended = particulars
                .into_iter()
                .filter_map(|(key, value)| value.map(|value| (key, value)))
                .collect();
            (registration_no, amended, None, amendment.reason)
        }
        PledgeChange::Cancellation {
            registration_no,
            cancellation,
        } => (
            registration_no,
            Vec::new(),
            Some(cancellation.reason.as_str()),
            cancellation.note,
        ),
    };
    ChangeView {
        href: format!(
            "/pledges?registration_no={}",
            path_segment(&registration_no)
        ),
        registration_no,
        amended,
        cancellation_reason,
        note,
    }
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct ApplicationView {
    pub id: i64,
    pub status: &'static str,
    pub act: &'static str,
    pub pledge_type: &'static str,
    pub green_channel: bool,
    pub pledgor: PartyLink,
    pub pledgee: PartyLink,
    pub created_by: String,
    pub created_at: String,
    pub confirmed_by: Option<String>,
    pub received_at: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub due_provisional: bool,
    pub overdue: bool,
    pub decided_at: Option<String>,
    pub registration_no: Option<String>,
    pub verification_code: Option<String>,
    pub contracts: Option<ContractsView>,
    pub change: Option<ChangeView>,
    pub rights: Vec<RightLine>,
    pub findings: Vec<FindingRow>,
    pub may_confirm: bool,
    pub may_withdraw: bool,
    pub may_decide: bool,
    pub grounds: Vec<GroundOption>,
    /// Registered or refused: the notice exists.
    pub has_notice: bool,
    pub verify_href: Option<String>,
    /// The Fluent key of why the last action failed.
    pub action_error: Option<String>,
}

fn pledge_type_name(pledge_type: PledgeType) -> &'static str {
    match pledge_type {
        PledgeType::Rights => "rights",
        PledgeType::LicenceRevenue => "licence_revenue",
    }
}

fn contracts(body: &PledgeApplication) -> ContractsView {
    let loan = &body.loan_contract;
    let pledge = &body.pledge_contract;
    ContractsView {
        loan_contract_no: loan.contract_no.clone(),
        debtor: loan.debtor.clone(),
        principal: loan.principal_fen.map(yuan),
        performance_start: loan.performance_start,
        performance_end: loan.performance_end,
        pledge_contract_no: pledge.contract_no.clone(),
        secured_claim_kind: pledge.secured_claim_kind.clone(),
        secured_amount: pledge.secured_amount_fen.map(yuan),
        scope: pledge.scope.clone(),
        transfer_on_default: pledge.transfer_on_default,
        licence_contracts: body.licence_contracts.clone(),
        co_owner_consents: body.co_owner_consents.clone(),
        informed_consent: body
            .informed_consent
            .iter()
            .filter_map(|code| {
                ipyun_domain::pledge::FindingCode::parse(code).map(|code| GroundOption {
                    code: code.as_str(),
                    key: finding_key(code.as_str()),
                })
            })
            .collect(),
        commitment_letter: body.commitment_letter,
        epidemic_supply: body.epidemic_supply,
    }
}

impl ApplicationView {
    /// Shapes `view` for `principal`; party names come from the app (as the viewer may see them).
    pub async fn new(
        state: &AppState,
        principal: &Principal,
        lang: Lang,
        view: PledgeApplicationView,
        today: NaiveDate,
    ) -> Self {
        let names = party_names(state, principal, [view.pledgor_id, view.pledgee_id]).await;
        Self::shape(principal, lang, view, today, |id| {
            names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
        })
    }

    pub fn shape(
        principal: &Principal,
        lang: Lang,
        view: PledgeApplicationView,
        today: NaiveDate,
        name: impl Fn(i64) -> String,
    ) -> Self {
        let body: Option<PledgeApplication> = serde_json::from_value(view.application.clone()).ok();
        let party = |id: i64| PartyLink {
            id,
            name: name(id),
            href: format!("/parties/{id}"),
        };
        let status = view.status;
        let own_party = principal.party_id;
        let is_party = match principal.role {
            Role::Lender => own_party == Some(view.pledgee_id),
            Role::Enterprise => own_party == Some(view.pledgor_id),
            _ => false,
        };
        let is_drafter = own_party == Some(view.drafted_by_party);
        let notice_no = match (status, &view.registration_no, view.decided_at) {
            (ApplicationStatus::Registered, Some(number), _) => Some(number.clone()),
            (ApplicationStatus::Refused, _, Some(at)) => {
                Some(refusal_notice_no(china_date(at).year(), view.id))
            }
            _ => None,
        };
        ApplicationView {
            id: view.id,
            status: status.as_str(),
            act: view.act.as_str(),
            pledge_type: pledge_type_name(view.pledge_type),
            green_channel: view.green_channel,
            pledgor: party(view.pledgor_id),
            pledgee: party(view.pledgee_id),
            created_at: local_time(view.created_at),
            confirmed_by: view.confirmed_by,
            received_at: view.received_at.map(local_time),
            due_date: view.due_date,
            due_provisional: view.due_provisional,
            overdue: status == ApplicationStatus::InReview
                && view.due_date.is_some_and(|due| due < today),
            decided_at: view.decided_at.map(local_time),
            verify_href: match (&notice_no, &view.verification_code) {
                (Some(number), Some(code)) => Some(format!(
                    "/notices/verify?no={}&code={}",
                    path_segment(number),
                    path_segment(code)
                )),
                _ => None,
            },
            registration_no: view.registration_no,
            verification_code: view.verification_code,
            rights: body
                .as_ref()
                .map(|body| {
                    body.rights
                        .iter()
                        .map(|right| RightLine {
                            kind: right.kind.as_str(),
                            href: format!("/rights/{}", path_segment(&right.number)),
                            number: right.number.clone(),
                            title: right.title.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            contracts: body.as_ref().map(contracts),
            change: serde_json::from_value::<PledgeChange>(view.application.clone())
                .ok()
                .map(change),
            findings: view
                .findings
                .iter()
                .map(|finding| finding_row(finding, lang))
                .collect(),
            may_confirm: status == ApplicationStatus::AwaitingConfirmation
                && is_party
                && !is_drafter,
            may_withdraw: matches!(
                status,
                ApplicationStatus::AwaitingConfirmation | ApplicationStatus::AwaitingCure
            ) && is_party
                && is_drafter,
            may_decide: status == ApplicationStatus::InReview
                && matches!(
                    principal.role,
                    Role::Examiner | Role::ProvincialOffice | Role::NationalOffice
                ),
            grounds: refusal_grounds(),
            has_notice: notice_no.is_some(),
            created_by: view.created_by,
            action_error: None,
        }
    }
}

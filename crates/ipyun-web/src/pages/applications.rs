//! `/pledge-applications`: the examiner queue for examiners and offices (green channel first, then
//! by due date), a lender's or an enterprise's own applications for them.

use super::error::PageError;
use super::extract::{PageQuery, SignedIn};
use super::pledge_views::party_names;
use super::views::{Pager, given, lenient_number, local_time};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use ipyun_app::pledge::PledgeApplicationView;
use ipyun_domain::account::Role;
use ipyun_domain::page::PageRequest;
use ipyun_domain::pledge::ApplicationStatus;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplicationsFilter {
    status: Option<String>,
    page: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct RightCell {
    pub kind: String,
    pub number: String,
}

/// The rights of an application body (`application.rights`), as kind and number.
pub(super) fn rights_of(application: &serde_json::Value) -> Vec<RightCell> {
    application["rights"]
        .as_array()
        .map(|rights| {
            rights
                .iter()
                .map(|right| RightCell {
                    kind: right["kind"].as_str().unwrap_or_default().to_string(),
                    number: right["number"].as_str().unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Debug, Clone, Serialize)]
struct ApplicationRow {
    id: i64,
    href: String,
    status: &'static str,
    act: &'static str,
    /// The pledge an amendment or a cancellation changes.
    target: Option<String>,
    green_channel: bool,
    pledgor: String,
    pledgee: String,
    rights: Vec<RightCell>,
    findings: usize,
    received_at: Option<String>,
    due_date: Option<NaiveDate>,
    due_provisional: bool,
    overdue: bool,
    decided_at: Option<String>,
    registration_no: Option<String>,
    created_by: String,
}

fn row(
    view: PledgeApplicationView,
    names: &HashMap<i64, String>,
    today: NaiveDate,
) -> ApplicationRow {
    let name = |id: i64| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    ApplicationRow {
        id: view.id,
        href: format!("/pledge-applications/{}", view.id),
        status: view.status.as_str(),
        act: view.act.as_str(),
        target: view.application["registration_no"]
            .as_str()
            .map(str::to_string),
        green_channel: view.green_channel,
        pledgor: name(view.pledgor_id),
        pledgee: name(view.pledgee_id),
        rights: rights_of(&view.application),
        findings: view.findings.len(),
        received_at: view.received_at.map(local_time),
        due_date: view.due_date,
        due_provisional: view.due_provisional,
        overdue: view.status == ApplicationStatus::InReview
            && view.due_date.is_some_and(|due| due < today),
        decided_at: view.decided_at.map(local_time),
        registration_no: view.registration_no,
        created_by: view.created_by,
    }
}

#[derive(Serialize)]
struct ApplicationsView {
    queue: bool,
    may_apply: bool,
    rows: Vec<ApplicationRow>,
    pager: Pager,
    status: String,
    statuses: Vec<&'static str>,
}

/// `GET /pledge-applications`.
pub async fn list_applications(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageQuery(filter): PageQuery<ApplicationsFilter>,
) -> Result<Response, PageError> {
    let principal = &actor.principal;
    let queue = !matches!(principal.role, Role::Lender | Role::Enterprise);
    // The queue opens on what awaits a decision; `all` shows every status.
    let status = match given(&filter.status).as_deref() {
        None if queue => Some(ApplicationStatus::InReview),
        None | Some("all") => None,
        Some(text) => ApplicationStatus::parse(text).ok(),
    };
    let request = PageRequest::new(lenient_number(filter.page.as_deref()), None);
    let page = state
        .app
        .list_pledge_applications(principal, status, request)
        .await
        .map_err(|error| frame.fail(error))?;
    let ids = page
        .items
        .iter()
        .flat_map(|item| [item.pledgor_id, item.pledgee_id]);
    let names = party_names(&state, principal, ids.collect::<Vec<_>>()).await;
    let today = state.app.clock().today();
    let status_text = status
        .map(|status| status.as_str().to_string())
        .unwrap_or_default();
    let pager = Pager::new(
        "/pledge-applications",
        &[("status", status_text.clone())],
        &page,
    );
    let view = ApplicationsView {
        queue,
        may_apply: matches!(principal.role, Role::Lender | Role::Enterprise)
            && principal.party_id.is_some(),
        rows: page
            .items
            .into_iter()
            .map(|item| row(item, &names, today))
            .collect(),
        pager,
        status: status_text,
        statuses: ApplicationStatus::ALL.iter().map(|s| s.as_str()).collect(),
    };
    frame.render("applications.html", &view)
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use chrono::DateTime;
    use ipyun_domain::page::Page;
    use ipyun_domain::pledge::{Act, PledgeType};

    pub fn application(status: ApplicationStatus) -> PledgeApplicationView {
        PledgeApplicationView {
            id: 7,
            act: Act::Registration,
            status,
            pledge_type: PledgeType::Rights,
            pledgor_id: 1,
            pledgee_id: 2,
            drafted_by_party: 2,
            green_channel: true,
            findings: Vec::new(),
            registration_no: None,
            verification_code: None,
            created_by: "banker".into(),
            confirmed_by: None,
            received_at: Some(DateTime::UNIX_EPOCH),
            due_date: NaiveDate::from_ymd_opt(2027, 1, 4),
            due_provisional: true,
            decided_at: None,
            created_at: DateTime::UNIX_EPOCH,
            application: serde_json::json!({"rights": [{"kind": "invention", "number": "202110123456.7"}]}),
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let names = HashMap::from([(1, "苏州质押科技有限公司 <script>".to_string())]);
        let today = NaiveDate::from_ymd_opt(2027, 1, 5).unwrap_or_default();
        [true, false]
            .into_iter()
            .map(|queue| {
                let page: Page<PledgeApplicationView> = Page {
                    items: vec![application(ApplicationStatus::InReview)],
                    page: 1,
                    per_page: 20,
                    total: 1,
                };
                let view = ApplicationsView {
                    queue,
                    may_apply: !queue,
                    pager: Pager::new("/pledge-applications", &[], &page),
                    rows: page
                        .items
                        .into_iter()
                        .map(|item| row(item, &names, today))
                        .collect(),
                    status: "in_review".into(),
                    statuses: ApplicationStatus::ALL.iter().map(|s| s.as_str()).collect(),
                };
                ("applications.html", minijinja::Value::from_serialize(view))
            })
            .collect()
    }
}

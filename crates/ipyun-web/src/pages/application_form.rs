//! `/pledge-applications/new`: a lender's or an enterprise's user drafts an application. Amounts
//! are typed in yuan and converted exactly to fen; every fault is shown at its field; success
//! leads to the application's page. A hidden key makes a double submission draft only once.

use super::application_input::{ApplicationForm, Faults, RIGHT_ROWS, map_app_faults};
use super::error::PageError;
use super::extract::{PageForm, SignedIn, see_other};
use super::frame::PageFrame;
use super::pledge_views::{GroundOption, consentable_codes};
use crate::auth::Actor;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ipyun_app::parties::PartyQuery;
use ipyun_app::{ErrorKind, Principal};
use ipyun_domain::account::Role;
use ipyun_domain::right::RightKind;
use serde::Serialize;
use std::hash::{BuildHasher, Hasher};

/// Parties offered in the other-party list (any other is entered by id).
const LISTED_PARTIES: u32 = 100;
/// The kinds of secured claim offered.
const CLAIM_KINDS: [&str; 2] = ["loan", "guarantee_recourse"];

#[derive(Debug, Clone, Serialize)]
pub(super) struct PartyOption {
    pub id: i64,
    pub name: String,
}

#[derive(Serialize)]
pub(super) struct FormView {
    /// `lender` or `enterprise`: who drafts.
    pub role: &'static str,
    /// The kind of the other party: `enterprise` (the pledgor) or `lender` (the pledgee).
    pub other_kind: &'static str,
    pub parties: Vec<PartyOption>,
    pub form: ApplicationForm,
    pub faults: Faults,
    pub has_faults: bool,
    pub kinds: Vec<&'static str>,
    pub claim_kinds: [&'static str; 2],
    pub consents: Vec<GroundOption>,
}

/// Who may draft: a lender's or an enterprise's user with an organisation.
fn drafting_role(principal: &Principal) -> Result<Role, ApiError> {
    match (principal.role, principal.party_id) {
        (Role::Lender | Role::Enterprise, Some(_)) => Ok(principal.role),
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only a lender's or an enterprise's user drafts a pledge application",
        )),
    }
}

/// A fresh key for one form: a double submission then drafts only once.
fn form_key(actor: &Actor) -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_i64(actor.principal.user_id);
    hasher.write(actor.csrf_token().unwrap_or_default().as_bytes());
    let first = hasher.finish();
    hasher.write_u64(first);
    format!("page-{first:016x}{:016x}", hasher.finish())
}

async fn render_form(
    state: &AppState,
    frame: &PageFrame,
    principal: &Principal,
    status: StatusCode,
    form: ApplicationForm,
    mut faults: Faults,
) -> Result<Response, PageError> {
    let role = drafting_role(principal).map_err(|error| frame.fail(error))?;
    let other_kind = if role == Role::Lender {
        "enterprise"
    } else {
        "lender"
    };
    let query = PartyQuery {
        kind: Some(other_kind.into()),
        per_page: Some(LISTED_PARTIES),
        ..PartyQuery::default()
    };
    let parties = state
        .app
        .list_parties(principal, &query)
        .await
        .map_err(|error| frame.fail(error))?
        .items
        .into_iter()
        .map(|party| PartyOption {
            id: party.id,
            name: party.name,
        })
        .collect();
    faults.settle(|key| frame.has_text(key));
    let view = FormView {
        role: role.as_str(),
        other_kind,
        parties,
        has_faults: !faults.is_empty(),
        form,
        faults,
        kinds: RightKind::ALL.iter().map(|kind| kind.as_str()).collect(),
        claim_kinds: CLAIM_KINDS,
        consents: consentable_codes(),
    };
    frame.render_with_status(status, "application_form.html", &view)
}

/// `GET /pledge-applications/new`: the empty form.
pub async fn new_application(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
) -> Result<Response, PageError> {
    let form = ApplicationForm {
        form_key: form_key(&actor),
        right_rows: vec![Default::default(); RIGHT_ROWS],
        secured_claim_kind: "loan".into(),
        commitment_letter: false,
        ..ApplicationForm::default()
    };
    render_form(
        &state,
        &frame,
        &actor.principal,
        StatusCode::OK,
        form,
        Faults::default(),
    )
    .await
}

/// `POST /pledge-applications/new`: drafts the application and goes to its page; faults show
/// the form again with `400`.
pub async fn create_application(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = ApplicationForm::from_pairs(pairs);
    actor
        .check_csrf(Some(&form.csrf_token))
        .map_err(|error| frame.fail(error))?;
    let principal = &actor.principal;
    let role = drafting_role(principal).map_err(|error| frame.fail(error))?;
    let (input, sources, mut faults) = form.input(role);
    if !faults.is_empty() {
        return render_form(
            &state,
            &frame,
            principal,
            StatusCode::BAD_REQUEST,
            form,
            faults,
        )
        .await;
    }
    let key = Some(form.form_key.trim()).filter(|key| !key.is_empty());
    match state
        .app
        .create_pledge_application(principal, &input, key)
        .await
    {
        Ok((view, _)) => Ok(see_other(&format!("/pledge-applications/{}", view.id))),
        Err(error) if error.kind == ErrorKind::BadRequest && !error.details.is_empty() => {
            map_app_faults(&error.details, &sources, &mut faults);
            render_form(
                &state,
                &frame,
                principal,
                StatusCode::BAD_REQUEST,
                form,
                faults,
            )
            .await
        }
        Err(error) if matches!(error.kind, ErrorKind::BadRequest | ErrorKind::Conflict) => {
            faults.add("form", &error.code.replace('.', "-"), None);
            let status = if error.kind == ErrorKind::Conflict {
                StatusCode::CONFLICT
            } else {
                StatusCode::BAD_REQUEST
            };
            render_form(&state, &frame, principal, status, form, faults).await
        }
        Err(error) => Err(frame.fail(error)),
    }
}

#[cfg(test)]
pub(super) mod samples {
    use super::super::application_input::ApplicationForm;
    use super::*;

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let pairs = vec![
            ("other_party".to_string(), "12".to_string()),
            ("principal_yuan".into(), "1.234".into()),
            ("performance_start".into(), "2026-11-23".into()),
            ("right_kind_0".into(), "invention".into()),
            ("right_number_0".into(), "202110123456.7".into()),
            (
                "rights_more".into(),
                "发明专利 202110123457.1 一种方法 <script>\nbogus".into(),
            ),
            ("informed_consent".into(), "pledge.same_day_filing".into()),
            ("commitment_letter".into(), "on".into()),
        ];
        let form = ApplicationForm::from_pairs(pairs);
        let (_, _, mut faults) = form.input(Role::Lender);
        faults.add("form", "pledge-idempotency_key_reused", None);
        [("lender", "enterprise"), ("enterprise", "lender")]
            .into_iter()
            .map(|(role, other_kind)| {
                let view = FormView {
                    role,
                    other_kind,
                    parties: vec![PartyOption {
                        id: 12,
                        name: "苏州质押科技有限公司".into(),
                    }],
                    has_faults: !faults.is_empty(),
                    form: form.clone(),
                    faults: faults.clone(),
                    kinds: RightKind::ALL.iter().map(|kind| kind.as_str()).collect(),
                    claim_kinds: CLAIM_KINDS,
                    consents: consentable_codes(),
                };
                (
                    "application_form.html",
                    minijinja::Value::from_serialize(view),
                )
            })
            .collect()
    }
}

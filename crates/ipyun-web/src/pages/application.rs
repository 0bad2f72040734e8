//! `/pledge-applications/{id}`: one application with its parties, contracts, rights and every
//! finding (code, legal ground, message in the page's language), its decision clock, and the
//! actions the viewer may take, as forms: confirm (the other party), withdraw (the drafter), and
//! an examiner's decision (register, refuse naming grounds, or ask for a cure).

use super::application_view::ApplicationView;
use super::error::{PageError, error_key};
use super::extract::{PageForm, PagePath, SignedIn, see_other};
use super::frame::PageFrame;
use crate::auth::Actor;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use ipyun_app::pledge::{ExaminerDecision, ExaminerVerdict};
use ipyun_app::{AppError, ErrorKind};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/pledge-applications",
            get(super::applications::list_applications),
        )
        .route(
            "/pledge-applications/new",
            get(super::application_form::new_application)
                .post(super::application_form::create_application),
        )
        .route("/pledge-applications/{id}", get(get_application))
        .route(
            "/pledge-applications/{id}/notice",
            get(super::notice_page::printable_notice),
        )
        .route("/pledge-applications/{id}/confirm", post(confirm))
        .route("/pledge-applications/{id}/withdraw", post(withdraw))
        .route("/pledge-applications/{id}/decision", post(decide))
}

/// Renders the page, with the outcome of a failed action when there was one.
async fn render(
    state: &AppState,
    actor: &Actor,
    frame: &PageFrame,
    id: i64,
    failed: Option<AppError>,
) -> Result<Response, PageError> {
    let view = state
        .app
        .get_pledge_application(&actor.principal, id)
        .await
        .map_err(|error| frame.fail(error))?;
    let today = state.app.clock().today();
    let mut page = ApplicationView::new(state, &actor.principal, frame.lang, view, today).await;
    let status = match failed {
        Some(error) => {
            let key = error_key(error.code);
            page.action_error = Some(if frame.has_text(&key) {
                key
            } else {
                error_key(match error.kind {
                    ErrorKind::Conflict => "conflict",
                    _ => "bad_request",
                })
            });
            crate::error::status_of(error.kind)
        }
        None => axum::http::StatusCode::OK,
    };
    frame.render_with_status(status, "application.html", &page)
}

/// `GET /pledge-applications/{id}`: the parties, examiners and offices; to anyone else it does
/// not exist (404).
pub async fn get_application(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    render(&state, &actor, &frame, id, None).await
}

/// The value of a form field (the first, if it repeats).
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Runs an action after checking the form's CSRF token: success leads back to the page; a refusal
/// the viewer can act on (a conflict, a missing note) shows the page with the reason.
async fn act<F, Fut>(
    state: AppState,
    actor: Actor,
    frame: PageFrame,
    id: i64,
    pairs: &[(String, String)],
    action: F,
) -> Result<Response, PageError>
where
    F: FnOnce(AppState, Actor) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    actor
        .check_csrf(field(pairs, "csrf_token"))
        .map_err(|error| frame.fail(error))?;
    match action(state.clone(), actor.clone()).await {
        Ok(()) => Ok(see_other(&format!("/pledge-applications/{id}"))),
        Err(error) if matches!(error.kind, ErrorKind::Conflict | ErrorKind::BadRequest) => {
            render(&state, &actor, &frame, id, Some(error)).await
        }
        Err(error) => Err(frame.fail(error)),
    }
}

/// `POST /pledge-applications/{id}/confirm`: the other party confirms.
pub async fn confirm(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    act(state, actor, frame, id, &pairs, |state, actor| async move {
        state
            .app
            .confirm_pledge_application(&actor.principal, id)
            .await
            .map(drop)
    })
    .await
}

/// `POST /pledge-applications/{id}/withdraw`: the drafting party withdraws.
pub async fn withdraw(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    act(state, actor, frame, id, &pairs, |state, actor| async move {
        state
            .app
            .withdraw_pledge_application(&actor.principal, id)
            .await
            .map(drop)
    })
    .await
}

/// The decision a form sent: `decision`, the checked `grounds`, the `note`.
fn decision_of(pairs: &[(String, String)]) -> Result<ExaminerDecision, AppError> {
    let decision = match field(pairs, "decision").unwrap_or_default() {
        "register" => ExaminerVerdict::Register,
        "refuse" => ExaminerVerdict::Refuse,
        "request_cure" => ExaminerVerdict::RequestCure,
        _ => {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "pledge.unknown_decision",
                "choose register, refuse or request_cure",
            ));
        }
    };
    Ok(ExaminerDecision {
        decision,
        grounds: pairs
            .iter()
            .filter(|(key, _)| key == "grounds")
            .map(|(_, value)| value.clone())
            .collect(),
        note: field(pairs, "note").map(str::to_string),
    })
}

/// `POST /pledge-applications/{id}/decision`: an examiner decides.
pub async fn decide(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let decision = decision_of(&pairs);
    act(state, actor, frame, id, &pairs, |state, actor| async move {
        state
            .app
            .decide_pledge_application(&actor.principal, id, &decision?)
            .await
            .map(drop)
    })
    .await
}

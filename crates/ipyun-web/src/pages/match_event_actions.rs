//! The forms on a matchmaking event's page, each a `POST` with its CSRF token checked and the
//! change made by the app (which decides who may make it): a party signs itself up (an
//! enterprise may name one of its open demands) and withdraws; the organiser books a meeting,
//! closes sign-up, marks the event held or cancels it with a reason; the organiser or a party of
//! a meeting records its outcome (the amount intended typed in yuan, read exactly as fen). A
//! refusal shows the page again with its reason in the page's language and what was typed.

use super::error::{PageError, error_key};
use super::extract::{PageForm, PagePath, SignedIn, see_other};
use super::frame::PageFrame;
use super::match_event_views::parse_china_instant;
use super::pledge_views::parse_yuan;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ipyun_app::match_events::{CancelInput, MeetingInput, SignupInput};
use ipyun_app::{AppError, ErrorKind};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::market::event::{MeetingOutcome, OutcomeDraft};
use serde::{Deserialize, Serialize};

/// Every field any of the page's forms sends (each form sends its own few).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ActionForm {
    #[serde(skip_serializing)]
    pub csrf_token: String,
    pub demand_id: String,
    pub lender_id: String,
    pub enterprise_id: String,
    pub starts_date: String,
    pub starts_time: String,
    pub ends_date: String,
    pub ends_time: String,
    pub outcome: String,
    pub amount_yuan: String,
    pub note: String,
    pub reason: String,
    pub advance_demand: String,
}

/// A refused form: the Fluent key of its reason, the status to answer with, what was typed,
/// and the meeting whose outcome form it was (if any).
pub struct Refused {
    pub key: String,
    pub status: StatusCode,
    pub form: ActionForm,
    pub meeting_id: Option<i64>,
}

/// What a form did, shown after the redirect (`?done=`).
pub const DONE: &[&str] = &[
    "scheduled",
    "signed_up",
    "withdrawn",
    "booked",
    "recorded",
    "closed",
    "held",
    "cancelled",
];

/// A fault found reading a form, as the app would word it.
fn fault(field: &str, code: &str) -> AppError {
    AppError::validation(FieldErrors(vec![FieldError::new(field, code, code)]))
}

/// The Fluent key of a refusal: the field's rule when the app names one, else its code.
fn refusal_key(frame: &PageFrame, error: &AppError) -> String {
    let candidates = error
        .details
        .iter()
        .map(|detail| format!("event-refusal-{}-{}", detail.field, detail.code))
        .chain([
            format!("event-refusal-{}", error.code.replace('.', "-")),
            error_key(error.code),
        ]);
    candidates
        .into_iter()
        .find(|key| frame.has_text(key))
        .unwrap_or_else(|| "form-error-invalid".to_string())
}

/// Back to the event on success; the page again with the reason on a refusal.
async fn finish(
    state: &AppState,
    signed_in: &SignedIn,
    id: i64,
    result: Result<(), AppError>,
    form: ActionForm,
    meeting_id: Option<i64>,
    done: &str,
) -> Result<Response, PageError> {
    let SignedIn { actor, frame } = signed_in;
    match result {
        Ok(()) => Ok(see_other(&format!("/match-events/{id}?done={done}"))),
        Err(error)
            if matches!(
                error.kind,
                ErrorKind::Conflict | ErrorKind::BadRequest | ErrorKind::Forbidden
            ) =>
        {
            let refused = Refused {
                key: refusal_key(frame, &error),
                status: crate::error::status_of(error.kind),
                form,
                meeting_id,
            };
            super::match_events::render(state, actor, frame, id, Some(refused), None).await
        }
        Err(error) => Err(frame.fail(error)),
    }
}

fn check_csrf(signed_in: &SignedIn, form: &ActionForm) -> Result<(), PageError> {
    signed_in
        .actor
        .check_csrf(Some(&form.csrf_token))
        .map_err(|error| signed_in.frame.fail(error))
}

/// A party chosen in a select: a positive id, or the fault at `field`.
fn party_id(field: &str, raw: &str) -> Result<i64, AppError> {
    match raw.trim() {
        "" => Err(fault(field, "required")),
        text => text
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| fault(field, "invalid")),
    }
}

/// `POST /match-events/{id}/signup`: the viewer's own organisation, with an enterprise's demand.
pub async fn sign_up(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    check_csrf(&signed_in, &form)?;
    let result = async {
        let demand_id = match form.demand_id.trim() {
            "" => None,
            text => Some(
                text.parse::<i64>()
                    .map_err(|_| fault("demand_id", "not_yours"))?,
            ),
        };
        let input = SignupInput {
            party_id: None,
            demand_id,
        };
        state
            .app
            .sign_up_for_match_event(&signed_in.actor.principal, id, &input)
            .await
            .map(|_| ())
    }
    .await;
    finish(&state, &signed_in, id, result, form, None, "signed_up").await
}

/// `POST /match-events/{id}/signups/{signup_id}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath((id, signup_id)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    check_csrf(&signed_in, &form)?;
    let result = state
        .app
        .withdraw_match_event_signup(&signed_in.actor.principal, id, signup_id)
        .await
        .map(|_| ());
    finish(&state, &signed_in, id, result, form, None, "withdrawn").await
}

/// `POST /match-events/{id}/meetings`: the organiser books a lender side and an enterprise.
pub async fn book(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    check_csrf(&signed_in, &form)?;
    let result = async {
        let lender_id = party_id("lender_id", &form.lender_id)?;
        let enterprise_id = party_id("enterprise_id", &form.enterprise_id)?;
        let instant = |field: &str, date: &str, time: &str| match parse_china_instant(date, time) {
            Ok(Some(instant)) => Ok(instant),
            Ok(None) => Err(fault(field, "required")),
            Err(code) => Err(fault(field, code)),
        };
        let starts_at = instant("starts_at", &form.starts_date, &form.starts_time)?;
        let ends_at = instant("ends_at", &form.ends_date, &form.ends_time)?;
        let input = MeetingInput {
            lender_id,
            enterprise_id,
            demand_id: None,
            product_id: None,
            starts_at,
            ends_at,
        };
        state
            .app
            .book_match_meeting(&signed_in.actor.principal, id, &input)
            .await
            .map(|_| ())
    }
    .await;
    finish(&state, &signed_in, id, result, form, None, "booked").await
}

/// `POST /match-events/{id}/meetings/{meeting_id}/outcome`.
pub async fn record_outcome(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath((id, meeting_id)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    check_csrf(&signed_in, &form)?;
    let result = async {
        let outcome = match form.outcome.trim() {
            "" => None,
            text => Some(MeetingOutcome::parse(text).map_err(|_| fault("outcome", "invalid"))?),
        };
        let intended_amount_fen =
            parse_yuan(&form.amount_yuan).map_err(|code| fault("intended_amount_fen", code))?;
        let draft = OutcomeDraft {
            outcome,
            intended_amount_fen,
            note: Some(form.note.clone()),
            advance_demand: !form.advance_demand.trim().is_empty(),
        };
        state
            .app
            .record_match_meeting_outcome(&signed_in.actor.principal, id, meeting_id, &draft)
            .await
            .map(|_| ())
    }
    .await;
    finish(
        &state,
        &signed_in,
        id,
        result,
        form,
        Some(meeting_id),
        "recorded",
    )
    .await
}

/// `POST /match-events/{id}/close`: sign-up closed before the deadline.
pub async fn close(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    check_csrf(&signed_in, &form)?;
    let result = state
        .app
        .close_match_event_signups(&signed_in.actor.principal, id)
        .await
        .map(|_| ());
    finish(&state, &signed_in, id, result, form, None, "closed").await
}

/// `POST /match-events/{id}/held`.
pub async fn held(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    check_csrf(&signed_in, &form)?;
    let result = state
        .app
        .mark_match_event_held(&signed_in.actor.principal, id)
        .await
        .map(|_| ());
    finish(&state, &signed_in, id, result, form, None, "held").await
}

/// `POST /match-events/{id}/cancel`: with the reason typed.
pub async fn cancel(
    State(state): State<AppState>,
    signed_in: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ActionForm>,
) -> Result<Response, PageError> {
    check_csrf(&signed_in, &form)?;
    let input = CancelInput {
        reason: form.reason.clone(),
    };
    let result = state
        .app
        .cancel_match_event(&signed_in.actor.principal, id, &input)
        .await
        .map(|_| ());
    finish(&state, &signed_in, id, result, form, None, "cancelled").await
}

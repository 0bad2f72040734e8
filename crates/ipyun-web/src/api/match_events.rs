//! `/api/v1/match-events`: matchmaking events (银企对接, issue 6 F3) — scheduled by parks and IP
//! offices, signed up for by lenders, insurers, guarantors and enterprises, with meetings,
//! their outcomes and the event's report.

use super::{ApiJson, ApiPath, ApiQuery, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::match_events::{
    CancelInput, EventQuery, EventReport, EventView, MeetingInput, MeetingView, OutcomeAnswer,
    SignupInput, SignupView,
};
use ipyun_domain::market::event::{EventDraft, OutcomeDraft};

/// Schedule an event (a park for itself, a provincial office in its province, the national
/// office anywhere). Every fault is named with its field.
#[utoipa::path(post, path = "/api/v1/match-events", tag = "match_events", request_body = EventDraft,
    responses((status = 201, body = EventView), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn schedule(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<EventDraft>,
) -> Result<Created<EventView>, ApiError> {
    Ok(Created(
        state
            .app
            .schedule_match_event(&actor.principal, &draft)
            .await?,
    ))
}

/// The events, latest first (anyone signed in).
#[utoipa::path(get, path = "/api/v1/match-events", tag = "match_events", params(EventQuery),
    responses((status = 200, body = Vec<EventView>), (status = 400, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<EventQuery>,
) -> Result<Json<Vec<EventView>>, ApiError> {
    Ok(Json(
        state
            .app
            .list_match_events(&actor.principal, &query)
            .await?,
    ))
}

/// One event (anyone signed in).
#[utoipa::path(get, path = "/api/v1/match-events/{id}", tag = "match_events", params(("id" = i64, Path)),
    responses((status = 200, body = EventView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_event(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EventView>, ApiError> {
    Ok(Json(state.app.match_event(&actor.principal, id).await?))
}

/// Edit your event (neither held nor cancelled): validated whole; the capacity must still hold
/// the parties signed up.
#[utoipa::path(put, path = "/api/v1/match-events/{id}", tag = "match_events", params(("id" = i64, Path)),
    request_body = EventDraft,
    responses((status = 200, body = EventView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn revise(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<EventDraft>,
) -> Result<Json<EventView>, ApiError> {
    Ok(Json(
        state
            .app
            .revise_match_event(&actor.principal, id, &draft)
            .await?,
    ))
}

/// Cancel your event, with a reason.
#[utoipa::path(post, path = "/api/v1/match-events/{id}/cancel", tag = "match_events", params(("id" = i64, Path)),
    request_body = CancelInput,
    responses((status = 200, body = EventView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn cancel(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CancelInput>,
) -> Result<Json<EventView>, ApiError> {
    Ok(Json(
        state
            .app
            .cancel_match_event(&actor.principal, id, &input)
            .await?,
    ))
}

/// Close your event's sign-up before its deadline.
#[utoipa::path(post, path = "/api/v1/match-events/{id}/close-signups", tag = "match_events", params(("id" = i64, Path)),
    responses((status = 200, body = EventView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn close_signups(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EventView>, ApiError> {
    Ok(Json(
        state
            .app
            .close_match_event_signups(&actor.principal, id)
            .await?,
    ))
}

/// Mark your event held (once it has started).
#[utoipa::path(post, path = "/api/v1/match-events/{id}/held", tag = "match_events", params(("id" = i64, Path)),
    responses((status = 200, body = EventView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn held(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EventView>, ApiError> {
    Ok(Json(
        state
            .app
            .mark_match_event_held(&actor.principal, id)
            .await?,
    ))
}

/// The sign-ups: all to the organiser and the overseeing offices, your own to a party.
#[utoipa::path(get, path = "/api/v1/match-events/{id}/signups", tag = "match_events", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<SignupView>), (status = 404, body = ErrorEnvelope)))]
pub async fn list_signups(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<SignupView>>, ApiError> {
    Ok(Json(
        state.app.match_event_signups(&actor.principal, id).await?,
    ))
}

/// Sign your own organisation up (lenders, insurers, guarantors, enterprises); refusals name
/// their ground: `signup.not_open`, `signup.deadline_passed`, `signup.duplicate`, `signup.full`.
#[utoipa::path(post, path = "/api/v1/match-events/{id}/signups", tag = "match_events", params(("id" = i64, Path)),
    request_body = SignupInput,
    responses((status = 201, body = SignupView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn sign_up(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SignupInput>,
) -> Result<Created<SignupView>, ApiError> {
    Ok(Created(
        state
            .app
            .sign_up_for_match_event(&actor.principal, id, &input)
            .await?,
    ))
}

/// Withdraw your sign-up, before the deadline.
#[utoipa::path(post, path = "/api/v1/match-events/{id}/signups/{signup_id}/withdraw", tag = "match_events",
    params(("id" = i64, Path), ("signup_id" = i64, Path)),
    responses((status = 200, body = SignupView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn withdraw_signup(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, signup_id)): ApiPath<(i64, i64)>,
) -> Result<Json<SignupView>, ApiError> {
    Ok(Json(
        state
            .app
            .withdraw_match_event_signup(&actor.principal, id, signup_id)
            .await?,
    ))
}

/// The meetings: all to the organiser and the overseeing offices, your own to a party.
#[utoipa::path(get, path = "/api/v1/match-events/{id}/meetings", tag = "match_events", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MeetingView>), (status = 404, body = ErrorEnvelope)))]
pub async fn list_meetings(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<MeetingView>>, ApiError> {
    Ok(Json(
        state.app.match_event_meetings(&actor.principal, id).await?,
    ))
}

/// Book a meeting between a lender-side party and an enterprise, both signed up: the organiser
/// books, a party requests one with its counterpart; no party in two overlapping slots
/// (`meeting.double_booked`).
#[utoipa::path(post, path = "/api/v1/match-events/{id}/meetings", tag = "match_events", params(("id" = i64, Path)),
    request_body = MeetingInput,
    responses((status = 201, body = MeetingView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn book_meeting(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MeetingInput>,
) -> Result<Created<MeetingView>, ApiError> {
    Ok(Created(
        state
            .app
            .book_match_meeting(&actor.principal, id, &input)
            .await?,
    ))
}

/// Record a meeting's outcome (the organiser or either party, once it has begun); the lender
/// may move the demand discussed to `in_talks` with `advance_demand`.
#[utoipa::path(post, path = "/api/v1/match-events/{id}/meetings/{meeting_id}/outcome", tag = "match_events",
    params(("id" = i64, Path), ("meeting_id" = i64, Path)), request_body = OutcomeDraft,
    responses((status = 200, body = OutcomeAnswer), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn record_outcome(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, meeting_id)): ApiPath<(i64, i64)>,
    ApiJson(draft): ApiJson<OutcomeDraft>,
) -> Result<Json<OutcomeAnswer>, ApiError> {
    Ok(Json(
        state
            .app
            .record_match_meeting_outcome(&actor.principal, id, meeting_id, &draft)
            .await?,
    ))
}

/// The event's report: sign-ups by kind, meetings held, outcomes counted, amounts intended
/// (the organiser and the overseeing offices).
#[utoipa::path(get, path = "/api/v1/match-events/{id}/report", tag = "match_events", params(("id" = i64, Path)),
    responses((status = 200, body = EventReport), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn report(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<EventReport>, ApiError> {
    Ok(Json(
        state.app.match_event_report(&actor.principal, id).await?,
    ))
}

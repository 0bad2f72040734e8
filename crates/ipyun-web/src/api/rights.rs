//! `/api/v1/rights`: the registry of rights.

use super::{ApiJson, ApiPath, ApiQuery, Created, RightPage};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::rights::{RightQuery, StatusDraft};
use ipyun_domain::right::{Right, RightDraft, StatusEvent};

/// List the rights the caller may see.
#[utoipa::path(get, path = "/api/v1/rights", tag = "rights", params(RightQuery),
    responses((status = 200, body = RightPage), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn list_rights(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<RightQuery>,
) -> Result<Json<RightPage>, ApiError> {
    let page = state.app.list_rights(&actor.principal, &query).await?;
    Ok(Json(RightPage::from(page)))
}

/// One right by its number (a patent application number, a trademark registration number, …).
#[utoipa::path(get, path = "/api/v1/rights/{number}", tag = "rights",
    params(("number" = String, Path, description = "the right's number, e.g. 202110123456.7 (any accepted spelling)")),
    responses((status = 200, body = Right), (status = 404, body = ErrorEnvelope)))]
pub async fn get_right(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<Right>, ApiError> {
    Ok(Json(state.app.get_right(&actor.principal, &number).await?))
}

/// Record a new right.
#[utoipa::path(post, path = "/api/v1/rights", tag = "rights", request_body = RightDraft,
    responses((status = 201, body = Right), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope)))]
pub async fn create_right(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<RightDraft>,
) -> Result<Created<Right>, ApiError> {
    Ok(Created(
        state.app.create_right(&actor.principal, &draft).await?,
    ))
}

/// A right's legal-status history.
#[utoipa::path(get, path = "/api/v1/rights/{number}/status-events", tag = "rights",
    params(("number" = String, Path)), responses((status = 200, body = [StatusEvent]), (status = 404, body = ErrorEnvelope)))]
pub async fn list_status_events(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<Vec<StatusEvent>>, ApiError> {
    let (_, history) = state.app.right_history(&actor.principal, &number).await?;
    Ok(Json(history))
}

/// Record a legal-status event (offices, examiners, administrators).
#[utoipa::path(post, path = "/api/v1/rights/{number}/status-events", tag = "rights", params(("number" = String, Path)),
    request_body = StatusDraft,
    responses((status = 201, body = Right), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_status_event(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(number): ApiPath<String>,
    ApiJson(draft): ApiJson<StatusDraft>,
) -> Result<Created<Right>, ApiError> {
    Ok(Created(
        state
            .app
            .record_right_status(&actor.principal, &number, &draft)
            .await?,
    ))
}

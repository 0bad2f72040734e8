//! `/api/v1/pledges/{registration_no}`: one pledge, and its amendment and cancellation (P5).

use super::pledges::idempotency_key;
use super::{ApiJson, ApiPath};
use crate::auth::{Actor, MaybeActor};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ipyun_app::pledge::{PledgeApplicationView, PledgeFilter, PledgeView};
use ipyun_domain::page::PageRequest;
use ipyun_domain::pledge::{AmendmentInput, CancellationInput};

fn created(view: PledgeApplicationView, replayed: bool) -> Response {
    let mut response = (StatusCode::CREATED, Json(view)).into_response();
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// One registered pledge (public; amounts for its parties and offices only).
#[utoipa::path(get, path = "/api/v1/pledges/{registration_no}", tag = "pledges", params(("registration_no" = String, Path)),
    responses((status = 200, body = PledgeView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_pledge(
    State(state): State<AppState>,
    MaybeActor(actor, _): MaybeActor,
    ApiPath(registration_no): ApiPath<String>,
) -> Result<Json<PledgeView>, ApiError> {
    let filter = PledgeFilter {
        registration_no: Some(registration_no.trim().to_uppercase()),
        ..PledgeFilter::default()
    };
    let principal = actor.as_ref().map(|actor| &actor.principal);
    let page = state
        .app
        .list_pledges(principal, &filter, PageRequest::new(Some(1), Some(1)))
        .await?;
    page.items
        .into_iter()
        .next()
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "pledge.not_found", "no such pledge"))
}

/// Apply to amend a registered pledge (its pledgor or pledgee); the other party confirms.
#[utoipa::path(post, path = "/api/v1/pledges/{registration_no}/amendments", tag = "pledges",
    params(("registration_no" = String, Path)), request_body = AmendmentInput,
    responses((status = 201, body = PledgeApplicationView), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn create_amendment(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    ApiPath(registration_no): ApiPath<String>,
    ApiJson(input): ApiJson<AmendmentInput>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let (view, replayed) = state
        .app
        .apply_for_amendment(&actor.principal, &registration_no, &input, key)
        .await?;
    Ok(created(view, replayed))
}

/// Apply to cancel a registered pledge. A pledgee that was repaid or waives the pledge cancels it
/// at once; otherwise the other party confirms.
#[utoipa::path(post, path = "/api/v1/pledges/{registration_no}/cancellations", tag = "pledges",
    params(("registration_no" = String, Path)), request_body = CancellationInput,
    responses((status = 201, body = PledgeApplicationView), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn create_cancellation(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    ApiPath(registration_no): ApiPath<String>,
    ApiJson(input): ApiJson<CancellationInput>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let (view, replayed) = state
        .app
        .apply_for_cancellation(&actor.principal, &registration_no, &input, key)
        .await?;
    Ok(created(view, replayed))
}

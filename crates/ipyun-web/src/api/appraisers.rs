//! `/api/v1/appraisers` and `/api/v1/lenders/{id}/ltv-cap` (feature V4).

use super::{ApiJson, ApiPath};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ipyun_app::appraisers::AppraiserRecord;
use ipyun_app::appraisers::{AppraiserProfileInput, LenderCap};

/// The appraiser registry (signed-in users).
#[utoipa::path(get, path = "/api/v1/appraisers", tag = "valuation",
    responses((status = 200, body = [AppraiserRecord]), (status = 401, body = ErrorEnvelope)))]
pub async fn list_appraisers(
    State(state): State<AppState>,
    _actor: Actor,
) -> Result<Json<Vec<AppraiserRecord>>, ApiError> {
    Ok(Json(state.app.list_appraisers().await?))
}

/// Record an appraiser's qualification and fields (IP offices and administrators).
#[utoipa::path(put, path = "/api/v1/appraisers/{party_id}", tag = "valuation", params(("party_id" = i64, Path)),
    request_body = AppraiserProfileInput,
    responses((status = 204, description = "recorded"), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn set_appraiser_profile(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(party_id): ApiPath<i64>,
    ApiJson(input): ApiJson<AppraiserProfileInput>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .set_appraiser_profile(&actor.principal, party_id, &input)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A lender sets its loan-to-value cap; its pledge applications above it are refused at drafting.
#[utoipa::path(put, path = "/api/v1/lenders/{party_id}/ltv-cap", tag = "valuation", params(("party_id" = i64, Path)),
    request_body = LenderCap,
    responses((status = 200, body = LenderCap), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn set_lender_cap(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(party_id): ApiPath<i64>,
    ApiJson(cap): ApiJson<LenderCap>,
) -> Result<Json<LenderCap>, ApiError> {
    Ok(Json(
        state
            .app
            .set_lender_cap(&actor.principal, party_id, &cap)
            .await?,
    ))
}

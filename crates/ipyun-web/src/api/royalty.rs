//! `/api/v1/royalty-rates`: the royalty-rate reference table and licence-fee guidance (V2).
//! Offices update the table with `POST /api/v1/imports?subject=royalty_rates` (CSV or XLSX), and
//! the IPC-to-industry concordance with `?subject=ipc_industry`.

use super::ApiQuery;
use crate::auth::MaybeActor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::royalty::{ConcordanceTable, GuidanceQuery, RoyaltyGuidance, RoyaltyTable};

/// The royalty-rate table in force, by GB/T 4754 industry (public).
#[utoipa::path(get, path = "/api/v1/royalty-rates", tag = "valuation", security(()),
    responses((status = 200, body = RoyaltyTable)))]
pub async fn list_royalty_rates(
    State(state): State<AppState>,
) -> Result<Json<RoyaltyTable>, ApiError> {
    Ok(Json(state.app.royalty_table().await?))
}

/// The royalty range for an industry, an IPC symbol or a right, and the licence fee it implies.
#[utoipa::path(get, path = "/api/v1/royalty-rates/guidance", tag = "valuation", params(GuidanceQuery),
    responses((status = 200, body = RoyaltyGuidance), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn royalty_guidance(
    State(state): State<AppState>,
    MaybeActor(actor, _): MaybeActor,
    ApiQuery(query): ApiQuery<GuidanceQuery>,
) -> Result<Json<RoyaltyGuidance>, ApiError> {
    let principal = actor.as_ref().map(|actor| &actor.principal);
    Ok(Json(state.app.royalty_guidance(principal, &query).await?))
}

/// The IPC-to-industry concordance in force (public): how a patent's IPC finds its industry's
/// royalty range.
#[utoipa::path(get, path = "/api/v1/ipc-industry", tag = "valuation", security(()),
    responses((status = 200, body = ConcordanceTable)))]
pub async fn list_ipc_industry(
    State(state): State<AppState>,
) -> Result<Json<ConcordanceTable>, ApiError> {
    Ok(Json(state.app.ipc_industry_table().await?))
}

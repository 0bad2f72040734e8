//! `/api/v1/implementation-declarations` and `/api/v1/loan-stats/implementation`: whether
//! pledged patents are used in production (L6), declared yearly by the enterprises holding them
//! and aggregated by lender, park and province.

use super::{ApiJson, ApiQuery, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::loans::{
    ImplementationDeclared, ImplementationInput, ImplementationQuery, ImplementationReport,
};

/// Declare whether your pledged patent was used in production in a year (the enterprise
/// holding it); a new declaration for the same year replaces the last.
#[utoipa::path(post, path = "/api/v1/implementation-declarations", tag = "loans",
    request_body = ImplementationInput,
    responses((status = 201, body = ImplementationDeclared), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)))]
pub async fn declare(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<ImplementationInput>,
) -> Result<Created<ImplementationDeclared>, ApiError> {
    Ok(Created(
        state
            .app
            .declare_implementation(&actor.principal, &input)
            .await?,
    ))
}

/// The implementation rate of the pledged patents you may see for a year, by lender, park or
/// province: patents pledged, declared, implemented, rate and coverage in basis points.
#[utoipa::path(get, path = "/api/v1/loan-stats/implementation", tag = "loans", params(ImplementationQuery),
    responses((status = 200, body = ImplementationReport), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)))]
pub async fn report(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ImplementationQuery>,
) -> Result<Json<ImplementationReport>, ApiError> {
    Ok(Json(
        state
            .app
            .implementation_report(&actor.principal, &query)
            .await?,
    ))
}

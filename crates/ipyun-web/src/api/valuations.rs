//! `/api/v1/valuations`: the valuation approaches as a calculator and as records (V1).

use super::{ApiJson, ApiPath, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::valuations::{StoredValuation, ValuationRequest};
use ipyun_domain::valuation::{ValuationInputs, ValuationResult};

/// Value with one approach (`method`: relief_from_royalty, excess_earnings, market_comparables,
/// cost) and see the working; nothing is stored.
#[utoipa::path(post, path = "/api/v1/valuations/calculate", tag = "valuation", request_body = ValuationInputs,
    responses((status = 200, body = ValuationResult), (status = 400, body = ErrorEnvelope)))]
pub async fn calculate_valuation(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(inputs): ApiJson<ValuationInputs>,
) -> Result<Json<ValuationResult>, ApiError> {
    Ok(Json(
        state
            .app
            .calculate_valuation(&actor.principal, &inputs)
            .await?,
    ))
}

/// Value and record: method, every input and assumption, result, who, when, for what purpose.
#[utoipa::path(post, path = "/api/v1/valuations", tag = "valuation", request_body = ValuationRequest,
    responses((status = 201, body = StoredValuation), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn create_valuation(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<ValuationRequest>,
) -> Result<Created<StoredValuation>, ApiError> {
    Ok(Created(
        state
            .app
            .record_valuation(&actor.principal, &request)
            .await?,
    ))
}

/// A right's recorded valuations the caller may see.
#[utoipa::path(get, path = "/api/v1/rights/{number}/valuations", tag = "valuation", params(("number" = String, Path)),
    responses((status = 200, body = [StoredValuation]), (status = 404, body = ErrorEnvelope)))]
pub async fn list_valuations(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<Vec<StoredValuation>>, ApiError> {
    Ok(Json(
        state.app.list_valuations(&actor.principal, &number).await?,
    ))
}

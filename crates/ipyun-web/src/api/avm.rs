//! Automated valuation (V3) of one patent, a portfolio, a pledge's bundle, or a party's patents.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::avm::{AutomatedValuation, parse_purpose};
use ipyun_app::portfolio::PortfolioValuation;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurposeQuery {
    /// pledge (default), licence or transfer.
    pub purpose: Option<String>,
}

fn purpose(raw: Option<&str>) -> Result<ipyun_domain::avm::Purpose, ApiError> {
    Ok(parse_purpose(raw.unwrap_or("pledge"))?)
}

/// The automated valuation of one patent: a range, a confidence and each indicator's contribution.
#[utoipa::path(get, path = "/api/v1/rights/{number}/automated-valuation", tag = "valuation",
    params(("number" = String, Path), PurposeQuery),
    responses((status = 200, body = AutomatedValuation), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_automated_valuation(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(number): ApiPath<String>,
    ApiQuery(query): ApiQuery<PurposeQuery>,
) -> Result<Json<AutomatedValuation>, ApiError> {
    let purpose = purpose(query.purpose.as_deref())?;
    Ok(Json(
        state
            .app
            .value_right_automatically(&actor.principal, &number, purpose)
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PortfolioRequest {
    /// The rights' numbers (at most 200).
    pub numbers: Vec<String>,
    pub purpose: Option<String>,
}

/// Several patents valued at once, with the combined range.
#[utoipa::path(post, path = "/api/v1/portfolio-valuations", tag = "valuation", request_body = PortfolioRequest,
    responses((status = 200, body = PortfolioValuation), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn value_portfolio(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<PortfolioRequest>,
) -> Result<Json<PortfolioValuation>, ApiError> {
    let purpose = purpose(request.purpose.as_deref())?;
    Ok(Json(
        state
            .app
            .value_portfolio(&actor.principal, &request.numbers, purpose)
            .await?,
    ))
}

/// A registered pledge's bundle valued at once (its parties and offices).
#[utoipa::path(get, path = "/api/v1/pledges/{registration_no}/valuation", tag = "valuation",
    params(("registration_no" = String, Path), PurposeQuery),
    responses((status = 200, body = PortfolioValuation), (status = 404, body = ErrorEnvelope)))]
pub async fn value_pledge_bundle(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(registration_no): ApiPath<String>,
    ApiQuery(query): ApiQuery<PurposeQuery>,
) -> Result<Json<PortfolioValuation>, ApiError> {
    let purpose = purpose(query.purpose.as_deref())?;
    Ok(Json(
        state
            .app
            .value_pledge_bundle(&actor.principal, &registration_no, purpose)
            .await?,
    ))
}

/// The patents a party holds (not ended: in force, pending, in a late-fee period…) valued at once,
/// at most 200, newest first (`truncated` counts the rest). Only for those who may see that
/// party's rights: the enterprise itself, its park, lenders, offices, administrators.
#[utoipa::path(get, path = "/api/v1/parties/{id}/portfolio-valuation", tag = "valuation",
    params(("id" = i64, Path), PurposeQuery),
    responses((status = 200, body = PortfolioValuation), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)))]
pub async fn value_party_portfolio(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<PurposeQuery>,
) -> Result<Json<PortfolioValuation>, ApiError> {
    let purpose = purpose(query.purpose.as_deref())?;
    Ok(Json(
        state
            .app
            .value_party_portfolio(&actor.principal, id, purpose)
            .await?,
    ))
}

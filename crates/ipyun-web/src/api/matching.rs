//! Matchmaking (issue 6, F3): the products ranked for a demand, and the open demands and
//! prospects ranked for a product, each match explained part by part.

use super::{ApiPath, ApiQuery};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::matching::{
    DemandMatchQuery, DemandMatches, ProductDemandMatches, ProductProspects, RankQuery,
};

/// The products that can serve a demand, best first, each score explained part by part
/// (amount, term, cost, collateral cover, targeting, designations); with
/// `include_ineligible=true` also the others, each with the rules it fails. Anyone who may see
/// the demand; "not found" for anyone else.
#[utoipa::path(get, path = "/api/v1/demands/{id}/matches", tag = "matching",
    params(("id" = i64, Path), DemandMatchQuery),
    responses((status = 200, body = DemandMatches), (status = 400, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn demand_matches(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<DemandMatchQuery>,
) -> Result<Json<DemandMatches>, ApiError> {
    Ok(Json(
        state
            .app
            .demand_matches(&actor.principal, id, &query)
            .await?,
    ))
}

/// The open demands a product can serve, best first, explained: for the publisher's users
/// (only the demands shared with every lender or with theirs), the national office and
/// administrators; "not found" for anyone else.
#[utoipa::path(get, path = "/api/v1/products/{id}/matches", tag = "matching",
    params(("id" = i64, Path), RankQuery),
    responses((status = 200, body = ProductDemandMatches), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn product_matches(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<RankQuery>,
) -> Result<Json<ProductDemandMatches>, ApiError> {
    Ok(Json(
        state
            .app
            .product_demand_matches(&actor.principal, id, &query)
            .await?,
    ))
}

/// Enterprises without an open demand that hold live, unpledged rights the product accepts
/// inside its area, ranked at the product's mid-range amount and term, explained. Same
/// viewers as the product's matches.
#[utoipa::path(get, path = "/api/v1/products/{id}/prospects", tag = "matching",
    params(("id" = i64, Path), RankQuery),
    responses((status = 200, body = ProductProspects), (status = 400, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn product_prospects(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<RankQuery>,
) -> Result<Json<ProductProspects>, ApiError> {
    Ok(Json(
        state
            .app
            .product_prospects(&actor.principal, id, &query)
            .await?,
    ))
}

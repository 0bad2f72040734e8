//! `/api/v1/loans/{id}/disposals` and `/api/v1/disposals`: the disposal of a defaulted loan's
//! pledges (L5) — auction with bids, negotiated transfer, acquisition by an IP operation fund
//! or licensing — and the settlement of its proceeds through the ledger.

use super::{ApiJson, ApiPath, ApiQuery, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::loans::{
    AgreementInput, BidInput, DisposalOpenInput, DisposalView, ListingInput, SettlementInput,
};
use serde::Deserialize;

/// Open a disposal case on your loan in default (its lender): it covers all the loan's pledges.
#[utoipa::path(post, path = "/api/v1/loans/{id}/disposals", tag = "disposals", params(("id" = i64, Path)),
    request_body = DisposalOpenInput,
    responses((status = 201, body = DisposalView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn open_disposal(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DisposalOpenInput>,
) -> Result<Created<DisposalView>, ApiError> {
    Ok(Created(
        state
            .app
            .open_disposal(&actor.principal, id, &input)
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DisposalQuery {
    /// Only this loan's cases.
    pub loan_id: Option<i64>,
}

/// The disposal cases of the loans you may see, newest first.
#[utoipa::path(get, path = "/api/v1/disposals", tag = "disposals", params(DisposalQuery),
    responses((status = 200, body = Vec<DisposalView>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_disposals(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<DisposalQuery>,
) -> Result<Json<Vec<DisposalView>>, ApiError> {
    Ok(Json(
        state
            .app
            .list_disposals(&actor.principal, query.loan_id)
            .await?,
    ))
}

/// One case: everything to those who see the loan; an auction's listing and bids (unnamed) to
/// anyone acting for a party.
#[utoipa::path(get, path = "/api/v1/disposals/{id}", tag = "disposals", params(("id" = i64, Path)),
    responses((status = 200, body = DisposalView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_disposal(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DisposalView>, ApiError> {
    Ok(Json(state.app.get_disposal(&actor.principal, id).await?))
}

/// List the auction (the lender; again after it went unsold): reserve, increment, deadline.
#[utoipa::path(post, path = "/api/v1/disposals/{id}/listing", tag = "disposals", params(("id" = i64, Path)),
    request_body = ListingInput,
    responses((status = 200, body = DisposalView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn list_auction(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ListingInput>,
) -> Result<Json<DisposalView>, ApiError> {
    Ok(Json(
        state
            .app
            .list_disposal_auction(&actor.principal, id, &input)
            .await?,
    ))
}

/// Bid for your party: the first bid reaches the reserve, each later one tops the best by the
/// increment, before the deadline.
#[utoipa::path(post, path = "/api/v1/disposals/{id}/bids", tag = "disposals", params(("id" = i64, Path)),
    request_body = BidInput,
    responses((status = 201, body = DisposalView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_bid(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<BidInput>,
) -> Result<Created<DisposalView>, ApiError> {
    Ok(Created(
        state
            .app
            .bid_in_disposal(&actor.principal, id, &input)
            .await?,
    ))
}

/// Close the auction once past its deadline (the lender): sold to the best bid, or unsold.
#[utoipa::path(post, path = "/api/v1/disposals/{id}/close-auction", tag = "disposals", params(("id" = i64, Path)),
    responses((status = 200, body = DisposalView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn close_auction(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DisposalView>, ApiError> {
    Ok(Json(
        state
            .app
            .close_disposal_auction(&actor.principal, id)
            .await?,
    ))
}

/// Record the buyer, acquirer or licensee and the price (a case not sold by auction).
#[utoipa::path(post, path = "/api/v1/disposals/{id}/agreement", tag = "disposals", params(("id" = i64, Path)),
    request_body = AgreementInput,
    responses((status = 200, body = DisposalView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn agree(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AgreementInput>,
) -> Result<Json<DisposalView>, ApiError> {
    Ok(Json(
        state
            .app
            .agree_disposal(&actor.principal, id, &input)
            .await?,
    ))
}

/// Turn an unsold case to another method.
#[utoipa::path(post, path = "/api/v1/disposals/{id}/method", tag = "disposals", params(("id" = i64, Path)),
    request_body = DisposalOpenInput,
    responses((status = 200, body = DisposalView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn change_method(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DisposalOpenInput>,
) -> Result<Json<DisposalView>, ApiError> {
    Ok(Json(
        state
            .app
            .change_disposal_method(&actor.principal, id, &input)
            .await?,
    ))
}

/// Close an unsold case without proceeds.
#[utoipa::path(post, path = "/api/v1/disposals/{id}/close", tag = "disposals", params(("id" = i64, Path)),
    responses((status = 200, body = DisposalView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn close(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DisposalView>, ApiError> {
    Ok(Json(state.app.close_disposal(&actor.principal, id).await?))
}

/// Settle a sold or agreed case (the lender): the price through the waterfall and the ledger,
/// the fund's claim settled, the loan closed, the rights to the buyer, the pledges cancelled.
#[utoipa::path(post, path = "/api/v1/disposals/{id}/settlement", tag = "disposals", params(("id" = i64, Path)),
    request_body = SettlementInput,
    responses((status = 201, body = DisposalView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn settle(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SettlementInput>,
) -> Result<Created<DisposalView>, ApiError> {
    Ok(Created(
        state
            .app
            .settle_disposal(&actor.principal, id, &input)
            .await?,
    ))
}

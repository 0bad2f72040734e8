//! `/api/v1/funds`, `/api/v1/fund-claims` and `/api/v1/fund-payouts`: risk-compensation funds
//! (L3), lenders' claims, pre-compensation paid by a maker and a different checker, and the
//! settlement of recoveries — all money through the double-entry ledger.

use super::{ApiJson, ApiPath, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::loans::{
    AppropriationInput, ClaimInput, ClaimView, FundInput, FundSummary, FundView, PayoutView,
    RecoveryInput,
};

/// Create a fund for your region or a park in it (IP offices), with its rules.
#[utoipa::path(post, path = "/api/v1/funds", tag = "funds", request_body = FundInput,
    responses((status = 201, body = FundView), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_fund(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<FundInput>,
) -> Result<Created<FundView>, ApiError> {
    Ok(Created(
        state.app.create_fund(&actor.principal, &input).await?,
    ))
}

/// A fund: its rules, balance, the balances of every account it touched, its journal and the
/// whole ledger's total (always zero).
#[utoipa::path(get, path = "/api/v1/funds/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = FundView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_fund(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<FundView>, ApiError> {
    Ok(Json(state.app.get_fund(&actor.principal, id).await?))
}

/// Appropriate budget into the fund (its office): a ledger entry from the budget to the fund.
#[utoipa::path(post, path = "/api/v1/funds/{id}/appropriations", tag = "funds", params(("id" = i64, Path)),
    request_body = AppropriationInput,
    responses((status = 201, body = FundView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn create_appropriation(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AppropriationInput>,
) -> Result<Created<FundView>, ApiError> {
    Ok(Created(
        state
            .app
            .appropriate_to_fund(&actor.principal, id, &input)
            .await?,
    ))
}

/// Claim on a fund for your loan in default (a lender's users): the pre-compensation is computed
/// at once; a claim the rules do not cover is recorded as refused with its reasons.
#[utoipa::path(post, path = "/api/v1/fund-claims", tag = "funds", request_body = ClaimInput,
    responses((status = 201, body = ClaimView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_claim(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<ClaimInput>,
) -> Result<Created<ClaimView>, ApiError> {
    Ok(Created(
        state.app.file_fund_claim(&actor.principal, &input).await?,
    ))
}

/// One claim with its payouts.
#[utoipa::path(get, path = "/api/v1/fund-claims/{id}", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = ClaimView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_claim(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ClaimView>, ApiError> {
    Ok(Json(state.app.get_fund_claim(&actor.principal, id).await?))
}

/// Draft the pre-compensation payout of a submitted claim (a user of the fund's office: the maker).
#[utoipa::path(post, path = "/api/v1/fund-claims/{id}/payout", tag = "funds", params(("id" = i64, Path)),
    responses((status = 201, body = PayoutView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_payout(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Created<PayoutView>, ApiError> {
    Ok(Created(
        state.app.draft_fund_payout(&actor.principal, id).await?,
    ))
}

/// Approve a pending payout (another user of the fund's office: the checker). The fund pays the
/// lender through the ledger; refused if the maker approves, if a cap would be passed, or if the
/// fund would go below zero (nothing moves then).
#[utoipa::path(post, path = "/api/v1/fund-payouts/{id}/approve", tag = "funds", params(("id" = i64, Path)),
    responses((status = 200, body = PayoutView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn approve_payout(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PayoutView>, ApiError> {
    Ok(Json(
        state.app.approve_fund_payout(&actor.principal, id).await?,
    ))
}

/// Settle a paid claim with the principal recovered after disposal (its lender or the fund's
/// office): shared between the lender and the fund pro rata to the loss each bore.
#[utoipa::path(post, path = "/api/v1/fund-claims/{id}/recoveries", tag = "funds", params(("id" = i64, Path)),
    request_body = RecoveryInput,
    responses((status = 201, body = ClaimView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_recovery(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RecoveryInput>,
) -> Result<Created<ClaimView>, ApiError> {
    Ok(Created(
        state
            .app
            .settle_fund_recovery(&actor.principal, id, &input)
            .await?,
    ))
}

/// The funds you may see: your office's, your province's, those your lender is eligible for
/// (the national office and administrators all), with their rules and balances.
#[utoipa::path(get, path = "/api/v1/funds", tag = "funds",
    responses((status = 200, body = Vec<FundSummary>)))]
pub async fn list_funds(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<FundSummary>>, ApiError> {
    Ok(Json(state.app.list_funds(&actor.principal).await?))
}

/// The claims you may see, newest first: a lender its own, an office those on the funds it
/// keeps, the national office and administrators all.
#[utoipa::path(get, path = "/api/v1/fund-claims", tag = "funds",
    responses((status = 200, body = Vec<ClaimView>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_claims(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<ClaimView>>, ApiError> {
    Ok(Json(state.app.list_fund_claims(&actor.principal).await?))
}

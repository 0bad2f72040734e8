//! `/api/v1/subsidy-programmes`, `/api/v1/subsidy-applications` and `/api/v1/subsidy-payouts`:
//! interest and fee subsidies (L4, 贴息 / 费用补贴) — programmes and their budgets, enterprises'
//! applications, the office's decisions, payouts by a maker and a different checker, all money
//! through the double-entry ledger.

use super::{ApiJson, ApiPath, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::loans::{
    AppropriationInput, SubsidyApplicationInput, SubsidyApplicationView, SubsidyDecisionInput,
    SubsidyPayoutView, SubsidyProgrammeInput, SubsidyProgrammeView,
};

/// Create a subsidy programme for your province or a region within it (IP offices): the cost it
/// covers (interest, or a valuation, insurance or guarantee fee), the share, the cap per
/// application, the annual budget and the application window.
#[utoipa::path(post, path = "/api/v1/subsidy-programmes", tag = "subsidies", request_body = SubsidyProgrammeInput,
    responses((status = 201, body = SubsidyProgrammeView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)))]
pub async fn create_subsidy_programme(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<SubsidyProgrammeInput>,
) -> Result<Created<SubsidyProgrammeView>, ApiError> {
    Ok(Created(
        state
            .app
            .create_subsidy_programme(&actor.principal, &input)
            .await?,
    ))
}

/// A programme and its report: the budget appropriated, paid, committed and left, the
/// applications by status, the days from application to payout; for its office also the
/// balances of its accounts, its journal and the whole ledger's total (always zero).
#[utoipa::path(get, path = "/api/v1/subsidy-programmes/{id}", tag = "subsidies", params(("id" = i64, Path)),
    responses((status = 200, body = SubsidyProgrammeView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_subsidy_programme(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SubsidyProgrammeView>, ApiError> {
    Ok(Json(
        state
            .app
            .get_subsidy_programme(&actor.principal, id)
            .await?,
    ))
}

/// Appropriate budget into the programme (its office): a ledger entry from the programme's budget
/// line, within the annual budget.
#[utoipa::path(post, path = "/api/v1/subsidy-programmes/{id}/appropriations", tag = "subsidies",
    params(("id" = i64, Path)), request_body = AppropriationInput,
    responses((status = 201, body = SubsidyProgrammeView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_subsidy_appropriation(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AppropriationInput>,
) -> Result<Created<SubsidyProgrammeView>, ApiError> {
    Ok(Created(
        state
            .app
            .appropriate_to_subsidy_programme(&actor.principal, id, &input)
            .await?,
    ))
}

/// Apply for a subsidy on your own loan (an enterprise's users): for interest the period, whose
/// interest paid is read from the loan's repayments; for a fee the fee and its evidence. The
/// subsidy is computed at once; an application the programme does not cover is recorded as
/// refused with every ground.
#[utoipa::path(post, path = "/api/v1/subsidy-applications", tag = "subsidies", request_body = SubsidyApplicationInput,
    responses((status = 201, body = SubsidyApplicationView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_subsidy_application(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<SubsidyApplicationInput>,
) -> Result<Created<SubsidyApplicationView>, ApiError> {
    Ok(Created(
        state
            .app
            .apply_for_subsidy(&actor.principal, &input)
            .await?,
    ))
}

/// One application with its payouts.
#[utoipa::path(get, path = "/api/v1/subsidy-applications/{id}", tag = "subsidies", params(("id" = i64, Path)),
    responses((status = 200, body = SubsidyApplicationView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_subsidy_application(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SubsidyApplicationView>, ApiError> {
    Ok(Json(
        state
            .app
            .get_subsidy_application(&actor.principal, id)
            .await?,
    ))
}

/// Approve a submitted application (its amount, cut by the budget left now, is committed) or
/// refuse it with a reason (a user of the programme's office).
#[utoipa::path(post, path = "/api/v1/subsidy-applications/{id}/decision", tag = "subsidies",
    params(("id" = i64, Path)), request_body = SubsidyDecisionInput,
    responses((status = 200, body = SubsidyApplicationView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn decide_subsidy_application(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SubsidyDecisionInput>,
) -> Result<Json<SubsidyApplicationView>, ApiError> {
    Ok(Json(
        state
            .app
            .decide_subsidy_application(&actor.principal, id, &input)
            .await?,
    ))
}

/// Draft the payout of an approved application (a user of the programme's office: the maker).
#[utoipa::path(post, path = "/api/v1/subsidy-applications/{id}/payout", tag = "subsidies",
    params(("id" = i64, Path)),
    responses((status = 201, body = SubsidyPayoutView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_subsidy_payout(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Created<SubsidyPayoutView>, ApiError> {
    Ok(Created(
        state.app.draft_subsidy_payout(&actor.principal, id).await?,
    ))
}

/// Approve a pending payout (another user of the programme's office: the checker). The programme
/// pays the enterprise through the ledger; refused if the maker approves or if the programme would
/// go below zero (nothing moves then).
#[utoipa::path(post, path = "/api/v1/subsidy-payouts/{id}/approve", tag = "subsidies", params(("id" = i64, Path)),
    responses((status = 200, body = SubsidyPayoutView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn approve_subsidy_payout(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SubsidyPayoutView>, ApiError> {
    Ok(Json(
        state
            .app
            .approve_subsidy_payout(&actor.principal, id)
            .await?,
    ))
}

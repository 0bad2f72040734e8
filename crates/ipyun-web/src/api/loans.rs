//! `/api/v1/loans`, `/api/v1/loan-stats/npl` and `/api/v1/loan-day`: loans secured by registered
//! pledges (L1), their five-category classification (L2) and the daily job.

use super::{ApiJson, ApiPath, ApiQuery, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use ipyun_app::loans::{
    ClassificationInput, LoanDayReport, LoanDetail, LoanQuery, LoanRequest, LoanView, NplQuery,
    NplReport, PrepaymentOutcome, PrepaymentRequest, RepaymentInput, RepaymentOutcome,
};
use ipyun_domain::page::Page;
use serde::{Deserialize, Serialize};

super::page_dto!(LoanPage, LoanView);

/// Record a loan tied to your registered, active pledges (a lender's users), with its
/// disbursements; each disbursement's schedule is computed and the loan opens as normal.
#[utoipa::path(post, path = "/api/v1/loans", tag = "loans", request_body = LoanRequest,
    responses((status = 201, body = LoanDetail), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_loan(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<LoanRequest>,
) -> Result<Created<LoanDetail>, ApiError> {
    Ok(Created(
        state.app.create_loan(&actor.principal, &request).await?,
    ))
}

/// The loans you may see: a lender its own, an enterprise those it borrowed, a park its
/// enterprises', a provincial office its province's, the national office and administrators all.
#[utoipa::path(get, path = "/api/v1/loans", tag = "loans", params(LoanQuery),
    responses((status = 200, body = LoanPage), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_loans(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<LoanQuery>,
) -> Result<Json<LoanPage>, ApiError> {
    let page: Page<LoanView> = state.app.list_loans(&actor.principal, &query).await?;
    Ok(Json(page.into()))
}

/// One loan with its pledges, disbursements, schedule in force (each instalment with what was
/// paid and its days overdue), repayments, floor and class history.
#[utoipa::path(get, path = "/api/v1/loans/{id}", tag = "loans", params(("id" = i64, Path)),
    responses((status = 200, body = LoanDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn get_loan(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LoanDetail>, ApiError> {
    Ok(Json(state.app.loan_detail(&actor.principal, id).await?))
}

/// Record a repayment (the loan's lender): applied to the instalments due by the day received,
/// oldest first, fees → interest → principal. A loan repaid in full cancels its pledges.
#[utoipa::path(post, path = "/api/v1/loans/{id}/repayments", tag = "loans", params(("id" = i64, Path)),
    request_body = RepaymentInput,
    responses((status = 201, body = RepaymentOutcome), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_repayment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RepaymentInput>,
) -> Result<Created<RepaymentOutcome>, ApiError> {
    Ok(Created(
        state
            .app
            .record_loan_repayment(&actor.principal, id, &input)
            .await?,
    ))
}

/// Record a prepayment of principal on a monthly anniversary (the loan's lender): the term is
/// kept, the later instalments recomputed on the lower balance.
#[utoipa::path(post, path = "/api/v1/loans/{id}/prepayments", tag = "loans", params(("id" = i64, Path)),
    request_body = PrepaymentRequest,
    responses((status = 201, body = PrepaymentOutcome), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_prepayment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<PrepaymentRequest>,
) -> Result<Created<PrepaymentOutcome>, ApiError> {
    Ok(Created(
        state
            .app
            .record_loan_prepayment(&actor.principal, id, &request)
            .await?,
    ))
}

/// The lender's classification of its loan, with a reason: at or worse than the floor the
/// rules set (refused below it, naming the floor and its rule); `class: null` returns to the floor.
#[utoipa::path(put, path = "/api/v1/loans/{id}/classification", tag = "loans", params(("id" = i64, Path)),
    request_body = ClassificationInput,
    responses((status = 200, body = LoanDetail), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn set_classification(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ClassificationInput>,
) -> Result<Json<LoanDetail>, ApiError> {
    Ok(Json(
        state
            .app
            .set_loan_classification(&actor.principal, id, &input)
            .await?,
    ))
}

/// The NPL ratio (substandard + doubtful + loss over all) of the loans you may see, by lender,
/// park or province, at the end of a period.
#[utoipa::path(get, path = "/api/v1/loan-stats/npl", tag = "loans", params(NplQuery),
    responses((status = 200, body = NplReport), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_npl(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<NplQuery>,
) -> Result<Json<NplReport>, ApiError> {
    Ok(Json(state.app.npl_report(&actor.principal, &query).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoanDayInput {
    /// The day to run for (default today).
    pub date: Option<NaiveDate>,
}

/// Run the daily job for a date (administrators): days overdue, reclassification by the floors
/// (valid overrides kept), history and audit of each change, alerts counted.
#[utoipa::path(post, path = "/api/v1/loan-day", tag = "loans", request_body = LoanDayInput,
    responses((status = 200, body = LoanDayReport), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn run_loan_day(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<LoanDayInput>,
) -> Result<Json<LoanDayReport>, ApiError> {
    Ok(Json(
        state.app.run_loan_day(&actor.principal, input.date).await?,
    ))
}

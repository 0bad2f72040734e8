//! Credit white-lists (issue 6, F4): `/api/v1/screening-rule-sets` (a lender's, park's or
//! office's own rule sets, each edit a new version), `/api/v1/screenings` (runs over the
//! enterprises it may screen, ranked and explained, exportable as XLSX, reproducible from their
//! stored inputs), and the credit data screening reads: `/api/v1/credit-grades`,
//! `/api/v1/integrity-flags`.

use super::{ApiJson, ApiPath, ApiQuery, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ipyun_app::screening_credit::{CreditGradeInput, IntegrityFlagInput, RecordedView};
use ipyun_app::screenings::{
    Reproduction, ResultQuery, RuleSetDetail, RuleSetView, RunInput, ScreeningRunDetail,
    ScreeningRunView,
};
use ipyun_domain::market::RuleSetDraft;

/// Create a screening rule set for your organisation: hard filters, factor weights summing to
/// 10,000 bp, the pre-approved amount rule. Every fault is named with its field.
#[utoipa::path(post, path = "/api/v1/screening-rule-sets", tag = "screenings", request_body = RuleSetDraft,
    responses((status = 201, body = RuleSetDetail), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_rule_set(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<RuleSetDraft>,
) -> Result<Created<RuleSetDetail>, ApiError> {
    Ok(Created(
        state.app.create_rule_set(&actor.principal, &draft).await?,
    ))
}

/// Your organisation's rule sets, newest first.
#[utoipa::path(get, path = "/api/v1/screening-rule-sets", tag = "screenings",
    responses((status = 200, body = Vec<RuleSetView>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_rule_sets(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<RuleSetView>>, ApiError> {
    Ok(Json(state.app.list_rule_sets(&actor.principal).await?))
}

/// One of your rule sets with every version.
#[utoipa::path(get, path = "/api/v1/screening-rule-sets/{id}", tag = "screenings", params(("id" = i64, Path)),
    responses((status = 200, body = RuleSetDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn get_rule_set(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RuleSetDetail>, ApiError> {
    Ok(Json(state.app.rule_set_detail(&actor.principal, id).await?))
}

/// Revise one of your rule sets: the new rules become its next version; runs keep the version
/// they used.
#[utoipa::path(put, path = "/api/v1/screening-rule-sets/{id}", tag = "screenings", params(("id" = i64, Path)),
    request_body = RuleSetDraft,
    responses((status = 200, body = RuleSetDetail), (status = 400, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn revise_rule_set(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<RuleSetDraft>,
) -> Result<Json<RuleSetDetail>, ApiError> {
    Ok(Json(
        state
            .app
            .revise_rule_set(&actor.principal, id, &draft)
            .await?,
    ))
}

/// Screen the enterprises you may screen with one of your rule sets on a date (today by
/// default): the ranked, explained list with pre-approved amounts, its rule version and the
/// digest of its inputs.
///
/// A run over at most 5,000 enterprises (`ASYNC_THRESHOLD`) is done in the request: `201` with
/// the run `completed` and the first page of results (or the error, the run then recorded
/// `failed`). A larger run continues in the background: `202` with the run `running`, its
/// `progress` (enterprises in scope, screened, stored) and no results yet; poll
/// `GET /api/v1/screenings/{id}` until its `status` is `completed` (or `failed`, with its
/// `failure`; `interrupted` when the server stopped meanwhile). Until then its export and
/// reproduction answer `409 screening.running`.
#[utoipa::path(post, path = "/api/v1/screenings", tag = "screenings", request_body = RunInput,
    responses((status = 201, description = "Done in the request", body = ScreeningRunDetail),
        (status = 202, description = "Running in the background", body = ScreeningRunDetail),
        (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn run_screening(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<RunInput>,
) -> Result<Response, ApiError> {
    let started = state.app.run_screening(&actor.principal, &input).await?;
    if started.completed {
        Ok(Created(started.detail).into_response())
    } else {
        Ok((StatusCode::ACCEPTED, Json(started.detail)).into_response())
    }
}

/// Your organisation's screening runs, newest first.
#[utoipa::path(get, path = "/api/v1/screenings", tag = "screenings",
    responses((status = 200, body = Vec<ScreeningRunView>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_screenings(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<ScreeningRunView>>, ApiError> {
    Ok(Json(state.app.list_screenings(&actor.principal).await?))
}

/// One of your runs with a page of its ranked results (`passed_only=true`: the white-list); a
/// run still `running` (or `failed`) shows its status and progress and no results.
#[utoipa::path(get, path = "/api/v1/screenings/{id}", tag = "screenings", params(("id" = i64, Path), ResultQuery),
    responses((status = 200, body = ScreeningRunDetail), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_screening(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<ResultQuery>,
) -> Result<Json<ScreeningRunDetail>, ApiError> {
    Ok(Json(
        state
            .app
            .screening_detail(&actor.principal, id, &query)
            .await?,
    ))
}

/// One of your runs as an XLSX workbook: the ranked list with amounts in yuan and the
/// explanations in Chinese, then the rule set, versions and digests. `409 screening.running`
/// (or `screening.failed`) until the run is completed.
#[utoipa::path(get, path = "/api/v1/screenings/{id}/export.xlsx", tag = "screenings", params(("id" = i64, Path)),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn export_screening(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let bytes = state.app.screening_xlsx(&actor.principal, id).await?;
    let mut response = bytes.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    let disposition = format!("attachment; filename=\"screening-{id}.xlsx\"");
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Screen one of your runs again from its stored inputs under its rule set's version: both
/// digests and every explanation must match. `409 screening.running` (or `screening.failed`)
/// until the run is completed.
#[utoipa::path(get, path = "/api/v1/screenings/{id}/reproduction", tag = "screenings", params(("id" = i64, Path)),
    responses((status = 200, body = Reproduction), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn reproduce_screening(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Reproduction>, ApiError> {
    Ok(Json(
        state.app.reproduce_screening(&actor.principal, id).await?,
    ))
}

/// Record an enterprise's credit grade (tax or credit-loan platform; administrators and IP
/// offices). The same grade again changes nothing.
#[utoipa::path(post, path = "/api/v1/credit-grades", tag = "screenings", request_body = CreditGradeInput,
    responses((status = 200, body = RecordedView), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn record_credit_grade(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<CreditGradeInput>,
) -> Result<Json<RecordedView>, ApiError> {
    Ok(Json(
        state
            .app
            .record_credit_grade(&actor.principal, &input)
            .await?,
    ))
}

/// Record an integrity flag against an enterprise (administrators and IP offices); the same
/// flag with a new end date lifts it.
#[utoipa::path(post, path = "/api/v1/integrity-flags", tag = "screenings", request_body = IntegrityFlagInput,
    responses((status = 200, body = RecordedView), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn record_integrity_flag(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<IntegrityFlagInput>,
) -> Result<Json<RecordedView>, ApiError> {
    Ok(Json(
        state
            .app
            .record_integrity_flag(&actor.principal, &input)
            .await?,
    ))
}

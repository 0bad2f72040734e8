//! `/api/v1/pledge-applications` and `/api/v1/pledges`: pledge registration (P1–P7).

use super::{ApiJson, ApiPath, ApiQuery};
use crate::auth::{Actor, MaybeActor};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use ipyun_app::pledge::PledgeFilter;
use ipyun_app::pledge::{PledgeApplicationView, PledgeView};
use ipyun_domain::page::PageRequest;
use ipyun_domain::pledge::{PledgeApplicationInput, PledgeStatus};
use serde::{Deserialize, Serialize};

super::page_dto!(PledgePage, PledgeView);
super::page_dto!(PledgeApplicationPage, PledgeApplicationView);

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The `Idempotency-Key` header, if sent.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<Option<&str>, ApiError> {
    headers
        .get(IDEMPOTENCY_KEY)
        .map(|value| {
            value.to_str().map_err(|_| {
                ApiError::bad_request(
                    "pledge.bad_idempotency_key",
                    "the Idempotency-Key header must be visible ASCII",
                )
            })
        })
        .transpose()
}

/// Draft a pledge application (the pledgee's lender or the pledgor's enterprise). It is examined at
/// once; the other party confirms it. With an `Idempotency-Key`, a retry answers the same application.
#[utoipa::path(post, path = "/api/v1/pledge-applications", tag = "pledges", request_body = PledgeApplicationInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "a key of your choice: the same key and body never make a second application")),
    responses((status = 201, body = PledgeApplicationView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_pledge_application(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    ApiJson(input): ApiJson<PledgeApplicationInput>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let (view, replayed) = state
        .app
        .create_pledge_application(&actor.principal, &input, key)
        .await?;
    let mut response = (StatusCode::CREATED, Json(view)).into_response();
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// One application (its parties, examiners and offices).
#[utoipa::path(get, path = "/api/v1/pledge-applications/{id}", tag = "pledges", params(("id" = i64, Path)),
    responses((status = 200, body = PledgeApplicationView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_pledge_application(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PledgeApplicationView>, ApiError> {
    Ok(Json(
        state
            .app
            .get_pledge_application(&actor.principal, id)
            .await?,
    ))
}

/// The other party confirms: a clean application is registered at once, one with a refusal ground
/// is refused naming each ground, and one the rules cannot decide goes to an examiner (`in_review`).
#[utoipa::path(post, path = "/api/v1/pledge-applications/{id}/confirm", tag = "pledges", params(("id" = i64, Path)),
    responses((status = 200, body = PledgeApplicationView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn confirm_pledge_application(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PledgeApplicationView>, ApiError> {
    Ok(Json(
        state
            .app
            .confirm_pledge_application(&actor.principal, id)
            .await?,
    ))
}

/// Search registered pledges (the public record; no sign-in needed).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PledgeQuery {
    /// A right's number (patent application number, trademark registration number, …).
    pub application_no: Option<String>,
    pub registration_no: Option<String>,
    /// Words of the pledgor's name.
    pub pledgor: Option<String>,
    /// Words of the pledgee's name.
    pub pledgee: Option<String>,
    /// Registered on or after.
    pub from: Option<NaiveDate>,
    /// Registered on or before.
    pub to: Option<NaiveDate>,
    pub status: Option<PledgeStatus>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/pledges", tag = "pledges", params(PledgeQuery),
    responses((status = 200, body = PledgePage), (status = 400, body = ErrorEnvelope)))]
pub async fn list_pledges(
    State(state): State<AppState>,
    MaybeActor(actor, _): MaybeActor,
    ApiQuery(query): ApiQuery<PledgeQuery>,
) -> Result<Json<PledgePage>, ApiError> {
    let filter = PledgeFilter {
        registration_no: query.registration_no.map(|text| text.trim().to_uppercase()),
        right_number: query.application_no,
        party_id: None,
        pledgor_name: query.pledgor,
        pledgee_name: query.pledgee,
        registered_from: query.from,
        registered_to: query.to,
        status: query.status,
    };
    let principal = actor.as_ref().map(|actor| &actor.principal);
    let page = state
        .app
        .list_pledges(
            principal,
            &filter,
            PageRequest::new(query.page, query.per_page),
        )
        .await?;
    Ok(Json(PledgePage::from(page)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    pub status: Option<ipyun_domain::pledge::ApplicationStatus>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Applications: the examiner queue (green channel first, then by due date) for examiners and
/// offices; a lender's or an enterprise's own applications for them.
#[utoipa::path(get, path = "/api/v1/pledge-applications", tag = "pledges", params(ApplicationQuery),
    responses((status = 200, body = PledgeApplicationPage), (status = 403, body = ErrorEnvelope)))]
pub async fn list_pledge_applications(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<ApplicationQuery>,
) -> Result<Json<PledgeApplicationPage>, ApiError> {
    let page = state
        .app
        .list_pledge_applications(
            &actor.principal,
            query.status,
            PageRequest::new(query.page, query.per_page),
        )
        .await?;
    Ok(Json(PledgeApplicationPage::from(page)))
}

/// An examiner registers, refuses (naming grounds) or asks the parties to cure an application in review.
#[utoipa::path(post, path = "/api/v1/pledge-applications/{id}/decision", tag = "pledges", params(("id" = i64, Path)),
    request_body = ipyun_app::pledge::ExaminerDecision,
    responses((status = 200, body = PledgeApplicationView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn decide_pledge_application(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(decision): ApiJson<ipyun_app::pledge::ExaminerDecision>,
) -> Result<Json<PledgeApplicationView>, ApiError> {
    Ok(Json(
        state
            .app
            .decide_pledge_application(&actor.principal, id, &decision)
            .await?,
    ))
}

/// A party sends the corrected application the examiner asked for; the decision clock restarts.
#[utoipa::path(post, path = "/api/v1/pledge-applications/{id}/cure", tag = "pledges", params(("id" = i64, Path)),
    request_body = PledgeApplicationInput,
    responses((status = 200, body = PledgeApplicationView), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn cure_pledge_application(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PledgeApplicationInput>,
) -> Result<Json<PledgeApplicationView>, ApiError> {
    Ok(Json(
        state
            .app
            .cure_pledge_application(&actor.principal, id, &input)
            .await?,
    ))
}

/// The drafting party withdraws an application not yet confirmed (or awaiting a cure).
#[utoipa::path(post, path = "/api/v1/pledge-applications/{id}/withdraw", tag = "pledges", params(("id" = i64, Path)),
    responses((status = 200, body = PledgeApplicationView), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn withdraw_pledge_application(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PledgeApplicationView>, ApiError> {
    Ok(Json(
        state
            .app
            .withdraw_pledge_application(&actor.principal, id)
            .await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct BatchRequest {
    pub applications: Vec<ipyun_app::pledge::BatchItem>,
}

/// The outcome of one application of a batch: `status` is the HTTP status it would have had alone.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BatchResult {
    pub index: usize,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<PledgeApplicationView>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::error::ErrorBody>,
}

/// Submit up to 100 applications at once (lenders' systems), each with its own idempotency key.
#[utoipa::path(post, path = "/api/v1/pledge-applications/batch", tag = "pledges", request_body = BatchRequest,
    responses((status = 200, body = [BatchResult]), (status = 400, body = ErrorEnvelope)))]
pub async fn create_pledge_applications(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<BatchRequest>,
) -> Result<Json<Vec<BatchResult>>, ApiError> {
    let results = state
        .app
        .create_pledge_applications(&actor.principal, &request.applications)
        .await?;
    Ok(Json(
        results
            .into_iter()
            .enumerate()
            .map(|(index, result)| match result {
                Ok((view, replayed)) => BatchResult {
                    index,
                    status: 201,
                    application: Some(view),
                    replayed,
                    error: None,
                },
                Err(error) => {
                    let error = ApiError::from(error);
                    BatchResult {
                        index,
                        status: error.status.as_u16(),
                        application: None,
                        replayed: false,
                        error: Some(crate::error::ErrorBody {
                            code: error.code,
                            message: error.message,
                            details: error.details,
                        }),
                    }
                }
            })
            .collect(),
    ))
}

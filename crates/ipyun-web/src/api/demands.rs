//! `/api/v1/demands`: enterprises' financing demands and the project pipeline (issue 6, F2).

use super::{ApiJson, ApiPath, ApiQuery, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::demands::{DemandQuery, DemandView, PipelineReport, StageInput};
use ipyun_domain::market::DemandDraft;

/// Publish a financing demand (an enterprise's users), offering its own rights; shared with
/// the lenders named, or with every lender.
#[utoipa::path(post, path = "/api/v1/demands", tag = "demands", request_body = DemandDraft,
    responses((status = 201, body = DemandView), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn publish(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<DemandDraft>,
) -> Result<Created<DemandView>, ApiError> {
    Ok(Created(
        state.app.publish_demand(&actor.principal, &draft).await?,
    ))
}

/// The demands you may see, newest first.
#[utoipa::path(get, path = "/api/v1/demands", tag = "demands", params(DemandQuery),
    responses((status = 200, body = Vec<DemandView>), (status = 403, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<DemandQuery>,
) -> Result<Json<Vec<DemandView>>, ApiError> {
    Ok(Json(
        state.app.list_demands(&actor.principal, &query).await?,
    ))
}

/// One demand with its dated stages.
#[utoipa::path(get, path = "/api/v1/demands/{id}", tag = "demands", params(("id" = i64, Path)),
    responses((status = 200, body = DemandView), (status = 404, body = ErrorEnvelope)))]
pub async fn get_demand(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DemandView>, ApiError> {
    Ok(Json(state.app.demand_view(&actor.principal, id).await?))
}

/// Move a demand along the pipeline: forward only; `registered` names the pledge, `disbursed`
/// the loan; `dropped` from any stage before `closed`.
#[utoipa::path(post, path = "/api/v1/demands/{id}/stage", tag = "demands", params(("id" = i64, Path)),
    request_body = StageInput,
    responses((status = 200, body = DemandView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn move_stage(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StageInput>,
) -> Result<Json<DemandView>, ApiError> {
    Ok(Json(
        state.app.move_demand(&actor.principal, id, &input).await?,
    ))
}

/// Conversion and time to money over the demands you may see.
#[utoipa::path(get, path = "/api/v1/demand-pipeline", tag = "demands",
    responses((status = 200, body = PipelineReport), (status = 403, body = ErrorEnvelope)))]
pub async fn pipeline(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<PipelineReport>, ApiError> {
    Ok(Json(state.app.pipeline_report(&actor.principal).await?))
}

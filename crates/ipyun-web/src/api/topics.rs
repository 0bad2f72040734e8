//! Topic collections (S3) and the signed-in user's notices: `/api/v1/topics`,
//! `/api/v1/me/notices`.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ipyun_app::patents::{NewTopic, Topic, UserNotice};
use serde::Deserialize;

/// Every topic, with whether the viewer follows it (signed-in users).
#[utoipa::path(get, path = "/api/v1/topics", tag = "patents",
    responses((status = 200, body = [Topic]), (status = 401, body = ErrorEnvelope)))]
pub async fn list_topics(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<Topic>>, ApiError> {
    Ok(Json(state.app.list_topics(&actor.principal).await?))
}

/// Save a query as a topic; its owner follows it and is told of new filings after each import.
#[utoipa::path(post, path = "/api/v1/topics", tag = "patents", request_body = NewTopic,
    responses((status = 201, body = Topic), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope)))]
pub async fn create_topic(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(topic): ApiJson<NewTopic>,
) -> Result<(StatusCode, Json<Topic>), ApiError> {
    let created = state.app.create_topic(&actor.principal, &topic).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(get, path = "/api/v1/topics/{id}", tag = "patents", params(("id" = i64, Path)),
    responses((status = 200, body = Topic), (status = 404, body = ErrorEnvelope)))]
pub async fn get_topic(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Topic>, ApiError> {
    Ok(Json(state.app.get_topic(&actor.principal, id).await?))
}

/// The owner or an administrator deletes a topic.
#[utoipa::path(delete, path = "/api/v1/topics/{id}", tag = "patents", params(("id" = i64, Path)),
    responses((status = 204, description = "deleted"), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_topic(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.delete_topic(&actor.principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Follow a topic.
#[utoipa::path(put, path = "/api/v1/topics/{id}/follow", tag = "patents", params(("id" = i64, Path)),
    responses((status = 200, body = Topic), (status = 404, body = ErrorEnvelope)))]
pub async fn follow_topic(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Topic>, ApiError> {
    Ok(Json(
        state.app.follow_topic(&actor.principal, id, true).await?,
    ))
}

/// Stop following a topic.
#[utoipa::path(delete, path = "/api/v1/topics/{id}/follow", tag = "patents", params(("id" = i64, Path)),
    responses((status = 200, body = Topic), (status = 404, body = ErrorEnvelope)))]
pub async fn unfollow_topic(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Topic>, ApiError> {
    Ok(Json(
        state.app.follow_topic(&actor.principal, id, false).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeParams {
    /// Only the unread ones.
    pub unread: Option<bool>,
}

/// The signed-in user's notices, newest first (at most 100).
#[utoipa::path(get, path = "/api/v1/me/notices", tag = "patents", params(NoticeParams),
    responses((status = 200, body = [UserNotice]), (status = 401, body = ErrorEnvelope)))]
pub async fn my_notices(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<NoticeParams>,
) -> Result<Json<Vec<UserNotice>>, ApiError> {
    Ok(Json(
        state
            .app
            .my_notices(&actor.principal, params.unread.unwrap_or(false))
            .await?,
    ))
}

/// Mark one of the user's notices read.
#[utoipa::path(post, path = "/api/v1/me/notices/{id}/read", tag = "patents", params(("id" = i64, Path)),
    responses((status = 204, description = "marked"), (status = 404, body = ErrorEnvelope)))]
pub async fn mark_notice_read(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.app.mark_notice_read(&actor.principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

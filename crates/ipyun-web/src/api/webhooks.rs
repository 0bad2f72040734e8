//! `/api/v1/webhooks`: lenders' endpoints that receive new matching demands (issue 6, F5),
//! signed, retried with backoff, one delivery per endpoint and demand.

use super::{ApiJson, ApiPath, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::webhooks::{CreatedWebhook, DeliveryView, WebhookView};
use ipyun_domain::market::exchange::WebhookDraft;

/// Your lender's endpoints (an administrator: all), newest first; never their secrets.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "exchange",
    responses((status = 200, body = Vec<WebhookView>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<WebhookView>>, ApiError> {
    Ok(Json(state.app.list_webhooks(&actor.principal).await?))
}

/// Register an endpoint for your lender (its users): new matching demands are POSTed to it,
/// signed with the secret — yours, or generated and shown in this answer only.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "exchange", request_body = WebhookDraft,
    responses((status = 201, body = CreatedWebhook), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<WebhookDraft>,
) -> Result<Created<CreatedWebhook>, ApiError> {
    Ok(Created(
        state.app.create_webhook(&actor.principal, &draft).await?,
    ))
}

/// Disable an endpoint: nothing more is sent to it, its pending deliveries are cancelled; its
/// deliveries stay readable.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "exchange", params(("id" = i64, Path)),
    responses((status = 200, body = WebhookView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn disable_webhook(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<WebhookView>, ApiError> {
    Ok(Json(state.app.disable_webhook(&actor.principal, id).await?))
}

/// An endpoint's deliveries, newest first, each with its attempts (status code, error,
/// duration).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "exchange", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DeliveryView>), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<DeliveryView>>, ApiError> {
    Ok(Json(
        state.app.webhook_deliveries(&actor.principal, id).await?,
    ))
}

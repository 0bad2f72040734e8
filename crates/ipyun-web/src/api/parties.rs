//! `/api/v1/parties`: enterprises, lenders, parks, offices and the rest.

use super::{ApiJson, ApiPath, ApiQuery, Created, PartyPage};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::parties::PartyQuery;
use ipyun_domain::party::{Party, PartyDraft};

/// List parties; private fields are blank unless the caller may see them.
#[utoipa::path(get, path = "/api/v1/parties", tag = "parties", params(PartyQuery),
    responses((status = 200, body = PartyPage), (status = 400, body = ErrorEnvelope)))]
pub async fn list_parties(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<PartyQuery>,
) -> Result<Json<PartyPage>, ApiError> {
    Ok(Json(PartyPage::from(
        state.app.list_parties(&actor.principal, &query).await?,
    )))
}

#[utoipa::path(get, path = "/api/v1/parties/{id}", tag = "parties", params(("id" = i64, Path)),
    responses((status = 200, body = Party), (status = 404, body = ErrorEnvelope)))]
pub async fn get_party(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Party>, ApiError> {
    Ok(Json(state.app.get_party(&actor.principal, id).await?))
}

/// Record a party (offices and administrators).
#[utoipa::path(post, path = "/api/v1/parties", tag = "parties", request_body = PartyDraft,
    responses((status = 201, body = Party), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope)))]
pub async fn create_party(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<PartyDraft>,
) -> Result<Created<Party>, ApiError> {
    Ok(Created(
        state.app.create_party(&actor.principal, &draft).await?,
    ))
}

/// Replace a party's fields (its own users may change only the contact fields).
#[utoipa::path(put, path = "/api/v1/parties/{id}", tag = "parties", params(("id" = i64, Path)), request_body = PartyDraft,
    responses((status = 200, body = Party), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn update_party(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<PartyDraft>,
) -> Result<Json<Party>, ApiError> {
    Ok(Json(
        state.app.update_party(&actor.principal, id, &draft).await?,
    ))
}

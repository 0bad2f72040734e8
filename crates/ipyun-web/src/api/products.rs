//! `/api/v1/products`: the finance marketplace's product catalogue (issue 6, F1) — public to
//! read, published, revised and withdrawn by lenders, insurers and guarantors.

use super::{ApiJson, ApiPath, ApiQuery, Created};
use crate::auth::{Actor, MaybeActor};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use ipyun_app::products::{ProductDetail, ProductQuery, ProductView, WithdrawalInput};
use ipyun_domain::market::ProductDraft;
use serde::Serialize;

super::page_dto!(ProductPage, ProductView);

/// Publish a product for your organisation: loans by lenders, insurance by insurers, guarantees
/// by guarantors. Every fault is named with its field.
#[utoipa::path(post, path = "/api/v1/products", tag = "products", request_body = ProductDraft,
    responses((status = 201, body = ProductDetail), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn publish(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<ProductDraft>,
) -> Result<Created<ProductDetail>, ApiError> {
    Ok(Created(
        state.app.publish_product(&actor.principal, &draft).await?,
    ))
}

/// The products on offer today, newest first (no sign-in needed); a publisher lists all of its
/// own with `publisher_id` and `all=true`.
#[utoipa::path(get, path = "/api/v1/products", tag = "products", security(()), params(ProductQuery),
    responses((status = 200, body = ProductPage), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeActor(actor, _): MaybeActor,
    ApiQuery(query): ApiQuery<ProductQuery>,
) -> Result<Json<ProductPage>, ApiError> {
    let principal = actor.as_ref().map(|actor| &actor.principal);
    Ok(Json(
        state.app.list_products(principal, &query).await?.into(),
    ))
}

/// One product with every version of its terms (no sign-in needed).
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "products", security(()), params(("id" = i64, Path)),
    responses((status = 200, body = ProductDetail), (status = 404, body = ErrorEnvelope)))]
pub async fn get_product(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProductDetail>, ApiError> {
    Ok(Json(state.app.product_detail(id).await?))
}

/// Revise your product: the new terms become its next version.
#[utoipa::path(put, path = "/api/v1/products/{id}", tag = "products", params(("id" = i64, Path)),
    request_body = ProductDraft,
    responses((status = 200, body = ProductDetail), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn revise(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(draft): ApiJson<ProductDraft>,
) -> Result<Json<ProductDetail>, ApiError> {
    Ok(Json(
        state
            .app
            .revise_product(&actor.principal, id, &draft)
            .await?,
    ))
}

/// Withdraw your product, with a reason.
#[utoipa::path(post, path = "/api/v1/products/{id}/withdraw", tag = "products", params(("id" = i64, Path)),
    request_body = WithdrawalInput,
    responses((status = 200, body = ProductDetail), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn withdraw(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<WithdrawalInput>,
) -> Result<Json<ProductDetail>, ApiError> {
    Ok(Json(
        state
            .app
            .withdraw_product(&actor.principal, id, &input)
            .await?,
    ))
}

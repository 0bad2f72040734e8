//! `/api/v1/feeds/…` and `/api/v1/imports/platform-demands|credit-grades`: exchange with
//! credit-loan platforms (信易贷, issue 6, F5). The feeds' fields are documented in
//! `docs/exchange-feeds.md`.

use super::{ApiQuery, Created};
use crate::auth::{Actor, MaybeActor};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ipyun_app::exchange::{
    BodyFormat, DemandFeed, DemandFeedQuery, ImportReport, ProductFeed, ProductFeedQuery,
};

/// An import's body is at most 16 MiB.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;

fn csv_response(name: &str, bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The body's format: CSV when its content type says so, JSON when it says so; otherwise a
/// body opening with `[` is JSON, any other CSV.
fn body_format(headers: &HeaderMap, body: &[u8]) -> BodyFormat {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.contains("csv") {
        return BodyFormat::Csv;
    }
    if content_type.contains("json") {
        return BodyFormat::Json;
    }
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match body.iter().find(|byte| !byte.is_ascii_whitespace()) {
        Some(b'[') => BodyFormat::Json,
        _ => BodyFormat::Csv,
    }
}

fn body_bytes(
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        ApiError::new(
            rejection.status(),
            "payload_too_large",
            format!("an import is at most {MAX_IMPORT_BYTES} bytes"),
        )
    })
}

/// The products on offer today as JSON (no sign-in needed): amounts in fen and in yuan,
/// rates in percent; `since` pulls only what changed.
#[utoipa::path(get, path = "/api/v1/feeds/products.json", tag = "exchange", security(()), params(ProductFeedQuery),
    responses((status = 200, body = ProductFeed), (status = 400, body = ErrorEnvelope)))]
pub async fn products_json(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ProductFeedQuery>,
) -> Result<Json<ProductFeed>, ApiError> {
    Ok(Json(state.app.product_feed(&query).await?))
}

/// The product feed as CSV (UTF-8 with a byte-order mark, RFC 4180; lists joined with `;`).
#[utoipa::path(get, path = "/api/v1/feeds/products.csv", tag = "exchange", security(()), params(ProductFeedQuery),
    responses((status = 200, description = "the CSV file", content_type = "text/csv"), (status = 400, body = ErrorEnvelope)))]
pub async fn products_csv(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ProductFeedQuery>,
) -> Result<Response, ApiError> {
    let feed = state.app.product_feed(&query).await?;
    Ok(csv_response("products.csv", feed.to_csv()))
}

/// Open demands shared with every lender, as JSON: for signed-in lenders, offices and the
/// platform; the enterprise's public record only.
#[utoipa::path(get, path = "/api/v1/feeds/demands.json", tag = "exchange", params(DemandFeedQuery),
    responses((status = 200, body = DemandFeed), (status = 400, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn demands_json(
    State(state): State<AppState>,
    MaybeActor(actor, _): MaybeActor,
    ApiQuery(query): ApiQuery<DemandFeedQuery>,
) -> Result<Json<DemandFeed>, ApiError> {
    let principal = actor.as_ref().map(|actor| &actor.principal);
    Ok(Json(state.app.demand_feed(principal, &query).await?))
}

/// The demand feed as CSV.
#[utoipa::path(get, path = "/api/v1/feeds/demands.csv", tag = "exchange", params(DemandFeedQuery),
    responses((status = 200, description = "the CSV file", content_type = "text/csv"), (status = 400, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn demands_csv(
    State(state): State<AppState>,
    MaybeActor(actor, _): MaybeActor,
    ApiQuery(query): ApiQuery<DemandFeedQuery>,
) -> Result<Response, ApiError> {
    let principal = actor.as_ref().map(|actor| &actor.principal);
    let feed = state.app.demand_feed(principal, &query).await?;
    Ok(csv_response("demands.csv", feed.to_csv()))
}

/// Import a credit-loan platform's demands (platform administrators; provincial offices for
/// their province): a JSON array or CSV with a header row; each row is created, a duplicate
/// (its platform and external id were imported before) or rejected with its fields' faults.
#[utoipa::path(post, path = "/api/v1/imports/platform-demands", tag = "exchange",
    request_body(content = String, description = "a JSON array of rows, or CSV", content_type = "text/csv"),
    responses((status = 201, body = ImportReport), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope)))]
pub async fn import_platform_demands(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Created<ImportReport>, ApiError> {
    let body = body_bytes(body)?;
    let format = body_format(&headers, &body);
    Ok(Created(
        state
            .app
            .import_platform_demands(&actor.principal, format, &body)
            .await?,
    ))
}

/// Import credit grades (platform administrators; provincial offices for their province): rows
/// of `uscc`, `source` (`xinyidai` or `tax`), `grade` (A, B, M, C, D) and `as_of`, as a JSON
/// array or CSV; each is created, updated (another grade that day), a duplicate or rejected.
#[utoipa::path(post, path = "/api/v1/imports/credit-grades", tag = "exchange",
    request_body(content = String, description = "a JSON array of rows, or CSV", content_type = "text/csv"),
    responses((status = 201, body = ImportReport), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope)))]
pub async fn import_credit_grades(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Created<ImportReport>, ApiError> {
    let body = body_bytes(body)?;
    let format = body_format(&headers, &body);
    Ok(Created(
        state
            .app
            .import_credit_grades(&actor.principal, format, &body)
            .await?,
    ))
}

//! Notices (P4): a decided application's signed notice as JSON or PDF, the published public key,
//! and public verification by number and code.

use super::{ApiPath, ApiQuery};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ipyun_notice::{NoticePublicKey, SignedNotice, render_pdf};
use serde::{Deserialize, Serialize};

/// The address a notice's QR code points at: this server's public verification page.
pub fn verify_url(headers: &HeaderMap, notice: &SignedNotice) -> String {
    let host = headers
        .get(HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .filter(|proto| *proto == "https")
        .unwrap_or("http");
    format!(
        "{scheme}://{host}/notices/verify?no={}&code={}",
        notice.document.notice_no, notice.document.verification_code
    )
}

fn json_file(notice: &SignedNotice) -> Response {
    let mut response = (StatusCode::OK, notice.to_json()).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// The signed notice of a registered or refused application, as JSON (`ipyun notice verify` reads it).
#[utoipa::path(get, path = "/api/v1/pledge-applications/{id}/notice", tag = "pledges", params(("id" = i64, Path)),
    responses((status = 200, description = "the signed notice (document, public_key, signature)"),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn get_notice(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    Ok(json_file(
        &state.app.pledge_notice(&actor.principal, id).await?,
    ))
}

/// The same notice as a printable PDF with Chinese text, a QR code and the signed JSON attached.
#[utoipa::path(get, path = "/api/v1/pledge-applications/{id}/notice.pdf", tag = "pledges", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "the notice as PDF"),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn get_notice_pdf(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let notice = state.app.pledge_notice(&actor.principal, id).await?;
    let pdf = tokio::task::spawn_blocking({
        let url = verify_url(&headers, &notice);
        move || render_pdf(&notice, &url).map(|bytes| (bytes, notice.document.notice_no))
    })
    .await
    .map_err(|_| ApiError::internal())?
    .map_err(|error| {
        tracing::error!(%error, "notice pdf failed");
        ApiError::internal()
    })?;
    let (bytes, notice_no) = pdf;
    let mut response = (StatusCode::OK, bytes).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{notice_no}.pdf\"")) {
        response.headers_mut().insert(CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NoticeKey {
    /// The Ed25519 public key that signs every notice (`ipyun-notice-pub-v1:…`).
    pub public_key: String,
    pub fingerprint: String,
}

/// The published key notices are signed with (no sign-in).
#[utoipa::path(get, path = "/api/v1/notice-key", tag = "pledges", security(()),
    responses((status = 200, body = NoticeKey)))]
pub async fn get_notice_key(State(state): State<AppState>) -> Result<Json<NoticeKey>, ApiError> {
    let public_key = state.app.notice_public_key().await?;
    let fingerprint = NoticePublicKey::from_text(&public_key)
        .map(|key| key.fingerprint())
        .unwrap_or_default();
    Ok(Json(NoticeKey {
        public_key,
        fingerprint,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// The notice number (`Y…` for a registration, `R…` for a refusal).
    pub no: String,
    /// The verification code printed on the notice.
    pub code: String,
}

/// Verify a notice by its number and code (no sign-in): answers the signed notice it stands for.
#[utoipa::path(get, path = "/api/v1/notices/verify", tag = "pledges", params(VerifyQuery), security(()),
    responses((status = 200, description = "the signed notice"), (status = 404, body = ErrorEnvelope)))]
pub async fn verify_notice(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<VerifyQuery>,
) -> Result<Response, ApiError> {
    Ok(json_file(
        &state.app.verify_notice(&query.no, &query.code).await?,
    ))
}

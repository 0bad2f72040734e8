//! `/api/v1/pledge-applications/{id}/attachments`: PDF attachments kept with their SHA-256.

use super::{ApiPath, ApiQuery};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ipyun_app::pledge::{AttachmentView, MAX_ATTACHMENT_BYTES};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name, ending in `.pdf`.
    pub file_name: String,
}

/// Attach a PDF (the body, `Content-Type: application/pdf`, at most 10 MiB) to an undecided application.
#[utoipa::path(post, path = "/api/v1/pledge-applications/{id}/attachments", tag = "pledges",
    params(("id" = i64, Path), UploadQuery), request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 201, body = AttachmentView), (status = 400, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope), (status = 415, body = ErrorEnvelope)))]
pub async fn create_attachment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let is_pdf = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim()
                .to_ascii_lowercase()
                .starts_with("application/pdf")
        });
    if !is_pdf {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the file as the body with `Content-Type: application/pdf`",
        ));
    }
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("an attachment is at most {MAX_ATTACHMENT_BYTES} bytes"),
            )
        } else {
            ApiError::bad_request("bad_body", "the body could not be read")
        }
    })?;
    let view = state
        .app
        .add_attachment(&actor.principal, id, &query.file_name, &bytes)
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// The attachments of an application (without their content).
#[utoipa::path(get, path = "/api/v1/pledge-applications/{id}/attachments", tag = "pledges", params(("id" = i64, Path)),
    responses((status = 200, body = [AttachmentView]), (status = 404, body = ErrorEnvelope)))]
pub async fn list_attachments(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<AttachmentView>>, ApiError> {
    Ok(Json(
        state.app.list_attachments(&actor.principal, id).await?,
    ))
}

/// One attachment's content; its SHA-256 in the `x-content-sha256` header.
#[utoipa::path(get, path = "/api/v1/pledge-applications/{id}/attachments/{attachment_id}", tag = "pledges",
    params(("id" = i64, Path), ("attachment_id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "the file"), (status = 404, body = ErrorEnvelope)))]
pub async fn get_attachment(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((id, attachment_id)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (view, content) = state
        .app
        .get_attachment(&actor.principal, id, attachment_id)
        .await?;
    let mut response = (StatusCode::OK, content).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(value) = HeaderValue::from_str(&view.sha256) {
        headers.insert("x-content-sha256", value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"attachment-{}.pdf\"",
        view.id
    )) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

//! `ApiJson<T>`: a JSON body whose every failure (wrong content type, malformed JSON, wrong types,
//! unknown fields, oversized body) answers in the error envelope and names the field.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use ipyun_domain::FieldError;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| {
                value
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            });
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "payload_too_large",
                        format!("the body is larger than {} bytes", crate::MAX_BODY_BYTES),
                    )
                } else {
                    ApiError::bad_request("bad_body", rejection.body_text())
                }
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Deserialises JSON, reporting the path of the offending field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(value) => Ok(value),
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            let (code, rule) = match inner.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    ("malformed_json", "syntax")
                }
                serde_json::error::Category::Data => ("invalid_field", "type"),
                serde_json::error::Category::Io => ("bad_body", "io"),
            };
            let mut api_error =
                ApiError::bad_request(code, format!("the JSON body is not acceptable: {inner}"));
            let field = if path == "." { String::new() } else { path };
            let rule = if inner.to_string().starts_with("unknown field") {
                "unknown_field"
            } else if inner.to_string().starts_with("missing field") {
                "required"
            } else {
                rule
            };
            api_error
                .details
                .push(FieldError::new(field, rule, inner.to_string()));
            Err(api_error)
        }
    }
}

/// `ApiQuery<T>`: query parameters whose failures answer in the envelope, naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        parse_query_string(parts.uri.query().unwrap_or_default(), MAX_QUERY_STRING).map(ApiQuery)
    }
}

/// The longest query string `ApiQuery` reads, in bytes.
pub const MAX_QUERY_STRING: usize = 4096;

/// Reads a URL query string of at most `max_bytes` into `T`; failures answer in the envelope,
/// naming the parameter (for routes whose queries are longer than [`ApiQuery`] allows).
pub fn parse_query_string<T: DeserializeOwned>(
    query: &str,
    max_bytes: usize,
) -> Result<T, ApiError> {
    if query.len() > max_bytes {
        return Err(ApiError::bad_request(
            "query_too_long",
            format!("the query string is longer than {max_bytes} bytes"),
        ));
    }
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize::<_, T>(deserializer).map_err(|error| {
        let field = error.path().to_string();
        let inner = error.into_inner();
        let mut api_error = ApiError::bad_request(
            "invalid_query",
            format!("a query parameter is not acceptable: {inner}"),
        );
        api_error.details.push(FieldError::new(
            if field == "." { String::new() } else { field },
            "type",
            inner.to_string(),
        ));
        api_error
    })
}

/// `ApiPath<T>`: path parameters whose failures answer in the envelope.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> axum::extract::FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "invalid_path",
                rejection.body_text(),
            )),
        }
    }
}

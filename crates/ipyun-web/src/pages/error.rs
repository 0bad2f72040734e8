//! Error pages: a failure shown as HTML in the page's language, with its stable code and the
//! fields at fault; never the internal message.

use super::frame::PageFrame;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

/// A failure to show as a page.
pub struct PageError {
    frame: Box<PageFrame>,
    pub status: StatusCode,
    pub code: String,
    details: Vec<DetailRow>,
}

#[derive(Debug, Clone, Serialize)]
struct DetailRow {
    field: String,
    code: String,
}

#[derive(Serialize)]
struct ErrorView<'a> {
    status: u16,
    code: &'a str,
    message_key: String,
    details: &'a [DetailRow],
}

/// The Fluent key of an error code: `auth.bad_credentials` → `error-auth-bad_credentials`.
pub fn error_key(code: &str) -> String {
    format!("error-{}", code.replace('.', "-"))
}

impl PageError {
    pub fn new(frame: PageFrame, error: ApiError) -> Self {
        // Internal failures are logged where they happen; the page shows only the kind.
        let (code, details) = if error.status.is_server_error() {
            (
                if error.status == StatusCode::SERVICE_UNAVAILABLE {
                    "unavailable"
                } else {
                    "internal"
                }
                .to_string(),
                Vec::new(),
            )
        } else {
            let details = error
                .details
                .into_iter()
                .map(|detail| DetailRow {
                    field: detail.field,
                    code: detail.code,
                })
                .collect();
            (error.code, details)
        };
        Self {
            frame: Box::new(frame),
            status: error.status,
            code,
            details,
        }
    }

    pub fn with_status(frame: PageFrame, status: StatusCode, code: &str) -> Self {
        Self::new(frame, ApiError::new(status, code, ""))
    }

    fn message_key(&self) -> String {
        let specific = error_key(&self.code);
        if self.frame.has_text(&specific) {
            return specific;
        }
        let by_status = format!("error-status-{}", self.status.as_u16());
        if self.frame.has_text(&by_status) {
            by_status
        } else {
            "error-generic".to_string()
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let view = ErrorView {
            status: self.status.as_u16(),
            code: &self.code,
            message_key: self.message_key(),
            details: &self.details,
        };
        match self.frame.render_html("error.html", &view) {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(error) => {
                tracing::error!(%error, "error page rendering failed");
                (
                    self.status,
                    Html(format!(
                        "<!doctype html><title>{0}</title><h1>{0}</h1>",
                        self.status.as_u16()
                    )),
                )
                    .into_response()
            }
        }
    }
}

/// Any address no route answers.
pub async fn unknown_page(
    State(state): State<AppState>,
    actor: super::extract::PageVisitor,
    uri: Uri,
) -> PageError {
    let frame = actor.frame(&state, &uri);
    PageError::with_status(frame, StatusCode::NOT_FOUND, "not_found")
}

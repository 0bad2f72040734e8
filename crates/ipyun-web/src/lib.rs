//! ipyun's HTTP surface: the JSON API under `/api/v1`, the HTML pages, the OpenAPI document,
//! sessions and CSRF, health and metrics. The only crate that knows status codes, HTML and JSON
//! shapes. Handlers are thin: extract, call one `ipyun-app` use case, shape the answer.

pub mod api;
mod auth;
mod error;
pub mod i18n;
mod lang;
mod ops;
pub mod pages;
pub mod ratelimit;
mod state;

pub use auth::{Actor, MaybeActor, SESSION_COOKIE};
pub use error::ApiError;
pub use lang::{LANG_COOKIE, UiLang};
pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};

/// Bodies of ordinary requests are bounded; imports have their own, larger bound.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole application: API, pages, assets and operations endpoints.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(
            api::public_search_routes()
                .merge(pages::public_search_routes())
                .route_layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    ratelimit::limit_public,
                )),
        )
        .merge(api::routes())
        .merge(pages::routes())
        .merge(ops::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::observe,
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(ops::RequestIds::new()))
        .with_state(state)
}

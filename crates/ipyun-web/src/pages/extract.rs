//! Extractors for pages: the visitor (signed in or not), the signed-in user (anonymous visitors
//! are sent to the sign-in page), and query strings and forms whose faults answer as error pages.

use super::error::PageError;
use super::frame::PageFrame;
use crate::auth::{Actor, MaybeActor};
use crate::lang::{LANG_COOKIE, UiLang, cookie_value};
use crate::state::AppState;
use axum::extract::{Form, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::header::LOCATION;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use ipyun_domain::account::Lang;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// A frame for a request whose visitor is not (yet) known: its language from the request alone.
fn bare_frame(parts: &Parts, state: &AppState) -> PageFrame {
    PageFrame::new(
        Arc::clone(&state.templates),
        UiLang::resolve(parts, None).lang,
        &parts.uri,
    )
}

/// The frame for an error page about a faulty request: the visitor's, when they can be told.
async fn visitor_frame(parts: &mut Parts, state: &AppState) -> PageFrame {
    match PageVisitor::from_request_parts(parts, state).await {
        Ok(visitor) => visitor.frame(state, &parts.uri),
        Err(_) => bare_frame(parts, state),
    }
}

/// `303 See Other` to a local address (already percent-encoded, hence ASCII).
pub fn see_other(location: &str) -> Response {
    let value = HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(LOCATION, value)]).into_response()
}

/// Whoever visits: signed in or not, with the language to answer in.
pub struct PageVisitor {
    pub actor: Option<Actor>,
    pub lang: UiLang,
}

impl PageVisitor {
    pub fn frame(&self, state: &AppState, uri: &Uri) -> PageFrame {
        match &self.actor {
            Some(actor) => PageFrame::for_actor(Arc::clone(&state.templates), actor, uri),
            None => PageFrame::new(Arc::clone(&state.templates), self.lang.lang, uri),
        }
    }
}

impl FromRequestParts<AppState> for PageVisitor {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match MaybeActor::from_request_parts(parts, state).await {
            Ok(MaybeActor(actor, lang)) => Ok(PageVisitor { actor, lang }),
            Err(error) => Err(bare_frame(parts, state).fail(error)),
        }
    }
}

/// A signed-in user and the frame of the page they asked for. Anonymous visitors are sent to
/// `/login?next=<this address>`.
pub struct SignedIn {
    pub actor: Actor,
    pub frame: PageFrame,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let visitor = PageVisitor::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some(actor) = visitor.actor else {
            let here = parts
                .uri
                .path_and_query()
                .map(|value| value.as_str())
                .unwrap_or("/");
            let query = serde_urlencoded::to_string([("next", here)]).unwrap_or_default();
            return Err(see_other(&format!("/login?{query}")));
        };
        let frame = PageFrame::for_actor(Arc::clone(&state.templates), &actor, &parts.uri);
        Ok(SignedIn { actor, frame })
    }
}

/// A query string; a malformed one answers with the 400 page.
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(PageQuery(value)),
            Err(_) => Err(PageError::with_status(
                visitor_frame(parts, state).await,
                StatusCode::BAD_REQUEST,
                "bad_request",
            )),
        }
    }
}

/// A URL-encoded form; a malformed one answers with the 400 page.
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for PageForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (uri, headers) = (request.uri().clone(), request.headers().clone());
        match Form::<T>::from_request(request, state).await {
            Ok(Form(value)) => Ok(PageForm(value)),
            Err(rejection) => {
                let (status, code) = match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => {
                        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
                    }
                    _ => (StatusCode::BAD_REQUEST, "bad_request"),
                };
                let (mut parts, ()) = Request::builder()
                    .uri(uri)
                    .body(())
                    .unwrap_or_default()
                    .into_parts();
                parts.headers = headers;
                Err(PageError::with_status(
                    visitor_frame(&mut parts, state).await,
                    status,
                    code,
                ))
            }
        }
    }
}

/// The language a visitor chose on this request (`?lang=`) or before (the language cookie), if any.
pub struct ChosenLang(pub Option<Lang>);

impl<S: Send + Sync> FromRequestParts<S> for ChosenLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let choice = UiLang::resolve(parts, None);
        if choice.explicit {
            return Ok(ChosenLang(Some(choice.lang)));
        }
        Ok(ChosenLang(
            cookie_value(parts, LANG_COOKIE).and_then(Lang::from_tag),
        ))
    }
}

/// A path parameter; an unreadable one (bad percent-encoding) answers with the 404 page.
pub struct PagePath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for PagePath<T> {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(PagePath(value)),
            Err(_) => Err(PageError::with_status(
                visitor_frame(parts, state).await,
                StatusCode::NOT_FOUND,
                "not_found",
            )),
        }
    }
}

//! `/`, `/login` and `/logout`: signing in and out with a browser session.

use super::error::{PageError, error_key};
use super::extract::{ChosenLang, PageForm, PageQuery, PageVisitor, see_other};
use super::frame::PageFrame;
use crate::api::session::session_cookie;
use crate::auth::Credential;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use ipyun_app::ErrorKind;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Where a signed-in user lands when no (acceptable) `next` is given.
const LANDING_PAGE: &str = "/rights";
const MAX_NEXT_CHARS: usize = 2_000;

/// `next` when it is a local address: a path starting with `/` (never `//` or a backslash, which
/// browsers read as another host), printable ASCII only.
pub fn safe_next(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|next| {
        next.starts_with('/')
            && !next.starts_with("//")
            && next.len() <= MAX_NEXT_CHARS
            && next
                .bytes()
                .all(|byte| byte.is_ascii_graphic() && byte != b'\\')
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LogoutForm {
    csrf_token: String,
}

#[derive(Serialize)]
pub struct LoginView<'a> {
    pub next: &'a str,
    pub username: &'a str,
    pub error_key: Option<String>,
}

/// `GET /`: the registry for those signed in, the sign-in page for others.
pub async fn home(visitor: PageVisitor) -> Response {
    see_other(if visitor.actor.is_some() {
        LANDING_PAGE
    } else {
        "/login"
    })
}

/// `GET /login`: the sign-in form (those signed in go on to `next`).
pub async fn login_form(
    State(state): State<AppState>,
    visitor: PageVisitor,
    uri: Uri,
    PageQuery(query): PageQuery<LoginQuery>,
) -> Result<Response, PageError> {
    let next = safe_next(query.next.as_deref());
    if visitor.actor.is_some() {
        return Ok(see_other(next.unwrap_or(LANDING_PAGE)));
    }
    let frame = PageFrame::new(Arc::clone(&state.templates), visitor.lang.lang, &uri);
    let view = LoginView {
        next: next.unwrap_or(""),
        username: "",
        error_key: None,
    };
    frame.render("login.html", &view)
}

/// `POST /login`: signs in, sets the session cookie and goes on to `next`; wrong credentials
/// show the form again with `401`.
pub async fn sign_in(
    State(state): State<AppState>,
    visitor: PageVisitor,
    ChosenLang(chosen): ChosenLang,
    uri: Uri,
    PageForm(form): PageForm<LoginForm>,
) -> Result<Response, PageError> {
    let frame = PageFrame::new(Arc::clone(&state.templates), visitor.lang.lang, &uri);
    let next = safe_next(Some(&form.next));
    let started = match state.app.sign_in(&form.username, &form.password).await {
        Ok(started) => started,
        Err(error) if error.kind == ErrorKind::Unauthenticated => {
            let view = LoginView {
                next: next.unwrap_or(""),
                username: form.username.trim(),
                error_key: Some(error_key(error.code)),
            };
            return frame.render_with_status(StatusCode::UNAUTHORIZED, "login.html", &view);
        }
        Err(error) => return Err(frame.fail(error)),
    };
    // A language picked before signing in is kept for the user.
    if let Some(lang) = chosen.filter(|lang| *lang != started.principal.lang)
        && let Err(error) = state.app.set_lang(&started.principal, lang).await
    {
        tracing::warn!(error = %error, "could not remember the user's language");
    }
    let mut response = see_other(next.unwrap_or(LANDING_PAGE));
    let cookie = session_cookie(
        &state,
        &started.session_token,
        state.app.session_ttl_seconds(),
    );
    response.headers_mut().append(SET_COOKIE, cookie);
    Ok(response)
}

/// `POST /logout`: ends the session (the form echoes the CSRF token) and returns to `/login`.
pub async fn sign_out(
    State(state): State<AppState>,
    visitor: PageVisitor,
    uri: Uri,
    PageForm(form): PageForm<LogoutForm>,
) -> Result<Response, PageError> {
    let Some(actor) = visitor.actor else {
        return Ok(see_other("/login"));
    };
    let frame = PageFrame::for_actor(Arc::clone(&state.templates), &actor, &uri);
    actor
        .check_csrf(Some(&form.csrf_token))
        .map_err(|error| frame.fail(error))?;
    if let Credential::Session { token, .. } = &actor.credential {
        state
            .app
            .sign_out(token)
            .await
            .map_err(|error| frame.fail(error))?;
    }
    let mut response = see_other("/login");
    response
        .headers_mut()
        .append(SET_COOKIE, session_cookie(&state, "", 0));
    Ok(response)
}

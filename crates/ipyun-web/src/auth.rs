//! Who is calling: a Bearer API token, or a session cookie. Unsafe methods with a session cookie
//! must echo the session's CSRF token in `X-CSRF-Token` (API) or a `csrf_token` field (forms).

use crate::error::ApiError;
use crate::lang::{UiLang, cookie_value};
use crate::state::AppState;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header::AUTHORIZATION};
use ipyun_app::Principal;

pub const SESSION_COOKIE: &str = "ipyun_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone)]
pub enum Credential {
    Bearer,
    /// A browser session: its cookie value and CSRF token.
    Session {
        token: String,
        csrf_token: String,
    },
}

/// The authenticated caller. Extracting it fails with 401 when nobody is signed in, and with 403
/// when a cookie-authenticated unsafe API request lacks the CSRF header.
#[derive(Debug, Clone)]
pub struct Actor {
    pub principal: Principal,
    pub credential: Credential,
    pub lang: UiLang,
}

impl Actor {
    pub fn csrf_token(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { csrf_token, .. } => Some(csrf_token),
            Credential::Bearer => None,
        }
    }

    /// Checks a token a form echoed back; Bearer callers need none.
    pub fn check_csrf(&self, echoed: Option<&str>) -> Result<(), ApiError> {
        match &self.credential {
            Credential::Bearer => Ok(()),
            Credential::Session { csrf_token, .. }
                if echoed.is_some_and(|value| constant_time_eq(value, csrf_token)) =>
            {
                Ok(())
            }
            Credential::Session { .. } => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "csrf_failed",
                "the form's CSRF token is missing or stale: reload the page and try again",
            )),
        }
    }
}

fn constant_time_eq(left: &str, right: &str) -> bool {
    left.len() == right.len()
        && left
            .bytes()
            .zip(right.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Option<Actor>, ApiError> {
    if parts.headers.contains_key(AUTHORIZATION) {
        let Some(token) = bearer_token(&parts.headers) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Authorization must be `Bearer <token>`",
            ));
        };
        let principal = state.app.bearer_principal(token).await?.ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "the API token is unknown or revoked",
            )
        })?;
        let lang = UiLang::resolve(parts, Some(principal.lang));
        return Ok(Some(Actor {
            principal,
            credential: Credential::Bearer,
            lang,
        }));
    }
    let Some(token) =
        cookie_value(parts, SESSION_COOKIE).filter(|token| !token.is_empty() && token.len() <= 128)
    else {
        return Ok(None);
    };
    let Some((principal, csrf_token)) = state.app.session_principal(token).await? else {
        return Ok(None);
    };
    let lang = UiLang::resolve(parts, Some(principal.lang));
    Ok(Some(Actor {
        principal,
        credential: Credential::Session {
            token: token.to_string(),
            csrf_token,
        },
        lang,
    }))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let actor = authenticate(parts, state).await?.ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "sign in, or send a valid API token",
            )
        })?;
        // JSON API calls carry the CSRF token in a header; page forms are checked by their handlers.
        if parts.uri.path().starts_with("/api/") && !is_safe(&parts.method) {
            let echoed = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|value| value.to_str().ok());
            actor.check_csrf(echoed)?;
        }
        remember_language(state, &actor).await;
        Ok(actor)
    }
}

/// A `?lang=` choice by a signed-in user is remembered for the user.
async fn remember_language(state: &AppState, actor: &Actor) {
    if actor.lang.explicit
        && actor.lang.lang != actor.principal.lang
        && let Err(error) = state.app.set_lang(&actor.principal, actor.lang.lang).await
    {
        tracing::warn!(error = %error, "could not remember the user's language");
    }
}

/// The caller if signed in: for pages that also serve anonymous visitors.
#[derive(Debug, Clone)]
pub struct MaybeActor(pub Option<Actor>, pub UiLang);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let actor = match authenticate(parts, state).await {
            Ok(actor) => actor,
            Err(error) if error.status == StatusCode::UNAUTHORIZED => None,
            Err(error) => return Err(error),
        };
        if let Some(actor) = &actor {
            remember_language(state, actor).await;
        }
        let lang = actor
            .as_ref()
            .map(|actor| actor.lang)
            .unwrap_or_else(|| UiLang::resolve(parts, None));
        Ok(MaybeActor(actor, lang))
    }
}

impl OptionalFromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        let MaybeActor(actor, _) =
            <MaybeActor as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        Ok(actor)
    }
}

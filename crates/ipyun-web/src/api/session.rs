//! `/api/v1/session`, `/api/v1/me`, `/api/v1/users`, `/api/v1/tokens`: accounts.

use super::{ApiJson, Created};
use crate::auth::{Actor, Credential, SESSION_COOKIE};
use crate::error::{ApiError, ErrorEnvelope};
use crate::lang::LANG_COOKIE;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ipyun_app::auth::UserDraft;
use ipyun_domain::account::Lang;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub party_id: Option<i64>,
    pub lang: String,
    /// Echo this in `X-CSRF-Token` on unsafe requests made with the session cookie.
    pub csrf_token: Option<String>,
}

impl Me {
    fn of(actor: &Actor) -> Me {
        Me {
            username: actor.principal.username.clone(),
            display_name: actor.principal.display_name.clone(),
            role: actor.principal.role.as_str().to_string(),
            party_id: actor.principal.party_id,
            lang: actor.principal.lang.as_str().to_string(),
            csrf_token: actor.csrf_token().map(str::to_string),
        }
    }
}

/// `Set-Cookie` for the session: HttpOnly, SameSite=Lax, Secure over HTTPS.
pub fn session_cookie(state: &AppState, value: &str, max_age_seconds: i64) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static("ipyun_session=; Path=/; Max-Age=0"))
}

pub fn lang_cookie(lang: Lang) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.as_str()
    ))
    .unwrap_or(HeaderValue::from_static("ipyun_lang=zh-CN; Path=/"))
}

/// Sign in with a user name and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts", request_body = SignIn,
    responses((status = 200, body = Me), (status = 401, body = ErrorEnvelope)))]
pub async fn create_session(
    State(state): State<AppState>,
    ApiJson(sign_in): ApiJson<SignIn>,
) -> Result<Response, ApiError> {
    let started = state
        .app
        .sign_in(&sign_in.username, &sign_in.password)
        .await?;
    let me = Me {
        username: started.principal.username.clone(),
        display_name: started.principal.display_name.clone(),
        role: started.principal.role.as_str().to_string(),
        party_id: started.principal.party_id,
        lang: started.principal.lang.as_str().to_string(),
        csrf_token: Some(started.csrf_token.clone()),
    };
    let max_age = state.app.session_ttl_seconds();
    let mut response = Json(me).into_response();
    response.headers_mut().append(
        SET_COOKIE,
        session_cookie(&state, &started.session_token, max_age),
    );
    Ok(response)
}

/// Sign out: ends the session.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts", responses((status = 204)))]
pub async fn delete_session(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Response, ApiError> {
    if let Credential::Session { token, .. } = &actor.credential {
        state.app.sign_out(token).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, session_cookie(&state, "", 0));
    Ok(response)
}

/// Who am I.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = Me), (status = 401, body = ErrorEnvelope)))]
pub async fn get_me(actor: Actor) -> Json<Me> {
    Json(Me::of(&actor))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LangChoice {
    /// `zh-CN` or `en`
    pub lang: String,
}

/// Remember the UI language for the signed-in user.
#[utoipa::path(put, path = "/api/v1/me/lang", tag = "accounts", request_body = LangChoice,
    responses((status = 204), (status = 400, body = ErrorEnvelope)))]
pub async fn set_lang(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(choice): ApiJson<LangChoice>,
) -> Result<Response, ApiError> {
    let lang = Lang::parse(&choice.lang).map_err(|error| {
        let mut api_error = ApiError::bad_request("validation_failed", "unknown language");
        api_error.details.push(ipyun_domain::FieldError::new(
            "lang",
            error.code,
            error.message,
        ));
        api_error
    })?;
    state.app.set_lang(&actor.principal, lang).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().append(SET_COOKIE, lang_cookie(lang));
    Ok(response)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedUser {
    pub id: i64,
    pub username: String,
}

/// Create a user (platform administrators).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = UserDraft,
    responses((status = 201, body = CreatedUser), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope)))]
pub async fn create_user(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(draft): ApiJson<UserDraft>,
) -> Result<Created<CreatedUser>, ApiError> {
    let id = state.app.create_user(&actor.principal, &draft).await?;
    Ok(Created(CreatedUser {
        id,
        username: draft.username.trim().to_string(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// Whose token (administrators only; defaults to the caller).
    pub username: Option<String>,
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    /// Shown once: store it safely. Send it as `Authorization: Bearer <token>`.
    pub token: String,
}

/// Issue an API token for a lender's (or any) system.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = TokenRequest,
    responses((status = 201, body = IssuedToken), (status = 403, body = ErrorEnvelope)))]
pub async fn create_token(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<Created<IssuedToken>, ApiError> {
    let username = request
        .username
        .unwrap_or_else(|| actor.principal.username.clone());
    let token = state
        .app
        .create_api_token(&actor.principal, &username, &request.name)
        .await?;
    Ok(Created(IssuedToken { token }))
}

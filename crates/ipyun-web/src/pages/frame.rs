//! What every page shares: the language, the signed-in user, the header's links; and the layer
//! that finishes each page response (language cookie, security and cache headers).

use super::error::PageError;
use super::templates::Templates;
use crate::api::session::lang_cookie;
use crate::auth::Actor;
use crate::error::ApiError;
use crate::lang::UiLang;
use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, SET_COOKIE, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use ipyun_domain::account::Lang;
use minijinja::Value;
use serde::Serialize;
use std::sync::Arc;

/// Query parameters never carried into the language-switch links.
const DROPPED_PARAMS: [&str; 2] = ["lang", "csrf_token"];

#[derive(Debug, Clone, Serialize)]
pub struct UserChrome {
    pub display_name: String,
    pub role: &'static str,
    pub csrf_token: Option<String>,
}

/// The frame of one page: who looks at it, in which language, from which address.
#[derive(Clone)]
pub struct PageFrame {
    templates: Arc<Templates>,
    pub lang: Lang,
    pub user: Option<UserChrome>,
    path: String,
    query: Vec<(String, String)>,
}

#[derive(Serialize)]
struct Chrome<'a> {
    user: Option<&'a UserChrome>,
    section: &'static str,
    lang_zh_url: String,
    lang_en_url: String,
}

impl PageFrame {
    pub fn new(templates: Arc<Templates>, lang: Lang, uri: &Uri) -> Self {
        let query = uri
            .query()
            .and_then(|text| serde_urlencoded::from_str::<Vec<(String, String)>>(text).ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|(key, _)| !DROPPED_PARAMS.contains(&key.as_str()))
            .collect();
        Self {
            templates,
            lang,
            user: None,
            path: uri.path().to_string(),
            query,
        }
    }

    pub fn for_actor(templates: Arc<Templates>, actor: &Actor, uri: &Uri) -> Self {
        let mut frame = Self::new(templates, actor.lang.lang, uri);
        frame.user = Some(UserChrome {
            display_name: actor.principal.display_name.clone(),
            role: actor.principal.role.as_str(),
            csrf_token: actor.csrf_token().map(str::to_string),
        });
        frame
    }

    fn lang_url(&self, lang: Lang) -> String {
        let mut pairs: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        pairs.push(("lang", lang.as_str()));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{}?{query}", self.path)
    }

    fn section(&self) -> &'static str {
        [
            "rights",
            "parties",
            "imports",
            "pledge-applications",
            "pledge-sla",
            "pledges",
            "notices",
            "login",
            "valuation",
            "royalty-rates",
            "appraisers",
            "patents",
            "topics",
            "me/notices",
            "loans",
            "loan-stats",
            "disposals",
            "products",
            "demands",
            "match-events",
        ]
        .into_iter()
        .find(|section| {
            self.path
                .strip_prefix('/')
                .is_some_and(|rest| rest.starts_with(section))
        })
        .unwrap_or("")
    }

    /// The full template context: `lang`, `chrome` and the view's own fields.
    pub fn context(&self, view: &impl Serialize) -> Value {
        let chrome = Chrome {
            user: self.user.as_ref(),
            section: self.section(),
            lang_zh_url: self.lang_url(Lang::ZhCn),
            lang_en_url: self.lang_url(Lang::En),
        };
        minijinja::context! { lang => self.lang.as_str(), chrome => chrome, ..Value::from_serialize(view) }
    }

    pub fn has_text(&self, key: &str) -> bool {
        self.templates.has_text(self.lang, key)
    }

    /// A text in this frame's language.
    pub fn text(&self, key: &str) -> String {
        self.templates.text(self.lang, key)
    }

    pub fn render_html(
        &self,
        name: &str,
        view: &impl Serialize,
    ) -> Result<String, minijinja::Error> {
        self.templates.render(name, self.context(view))
    }

    /// Renders a page with `200 OK`.
    pub fn render(&self, name: &str, view: &impl Serialize) -> Result<Response, PageError> {
        self.render_with_status(StatusCode::OK, name, view)
    }

    pub fn render_with_status(
        &self,
        status: StatusCode,
        name: &str,
        view: &impl Serialize,
    ) -> Result<Response, PageError> {
        match self.render_html(name, view) {
            Ok(html) => Ok((status, Html(html)).into_response()),
            Err(error) => {
                tracing::error!(%error, template = name, "page rendering failed");
                Err(self.fail(ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "rendering failed",
                )))
            }
        }
    }

    /// The error page for a failure, in this frame's language.
    pub fn fail(&self, error: impl Into<ApiError>) -> PageError {
        PageError::new(self.clone(), error.into())
    }
}

fn set_default(response: &mut Response, name: axum::http::HeaderName, value: &'static str) {
    if !response.headers().contains_key(&name) {
        response
            .headers_mut()
            .insert(name, HeaderValue::from_static(value));
    }
}

/// Remembers a `?lang=` choice in the language cookie and adds the pages' security headers.
/// Pages carry private data and are never cached; assets set their own cache header.
pub async fn finish_page(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let choice = UiLang::resolve(&parts, None);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if choice.explicit {
        response
            .headers_mut()
            .append(SET_COOKIE, lang_cookie(choice.lang));
    }
    set_default(&mut response, CACHE_CONTROL, "no-store");
    set_default(&mut response, X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(&mut response, X_FRAME_OPTIONS, "DENY");
    set_default(&mut response, REFERRER_POLICY, "same-origin");
    set_default(
        &mut response,
        CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    response
}

//! The UI language: `?lang=` (remembered in a cookie and for the signed-in user), else the cookie,
//! else the user's choice, else `Accept-Language`; Chinese by default.

use axum::extract::FromRequestParts;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::request::Parts;
use ipyun_domain::account::Lang;
use std::convert::Infallible;

pub const LANG_COOKIE: &str = "ipyun_lang";

/// The language chosen for this request, and whether the request chose it explicitly (`?lang=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UiLang {
    pub lang: Lang,
    pub explicit: bool,
}

pub fn cookie_value<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn query_lang(parts: &Parts) -> Option<Lang> {
    parts
        .uri
        .query()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "lang")
        .and_then(|(_, value)| Lang::from_tag(value))
}

/// Picks the best language from an `Accept-Language` header, honouring q-values.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for item in header.split(',') {
        let mut pieces = item.trim().split(';');
        let tag = pieces.next().unwrap_or_default();
        let quality = pieces
            .find_map(|piece| piece.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Some(lang) = Lang::from_tag(tag)
            && best.is_none_or(|(_, best_quality)| quality > best_quality)
        {
            best = Some((lang, quality));
        }
    }
    best.map(|(lang, _)| lang)
}

impl UiLang {
    /// Resolves the language; `user_choice` is the signed-in user's remembered language.
    pub fn resolve(parts: &Parts, user_choice: Option<Lang>) -> UiLang {
        if let Some(lang) = query_lang(parts) {
            return UiLang {
                lang,
                explicit: true,
            };
        }
        let cookie = cookie_value(parts, LANG_COOKIE).and_then(Lang::from_tag);
        let header = parts
            .headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .and_then(from_accept_language);
        UiLang {
            lang: user_choice.or(cookie).or(header).unwrap_or(Lang::ZhCn),
            explicit: false,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for UiLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(UiLang::resolve(parts, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_respects_quality() {
        assert_eq!(
            from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            from_accept_language("fr;q=1, zh;q=0.5, en;q=0.4"),
            Some(Lang::ZhCn)
        );
        assert_eq!(from_accept_language("fr, de"), None);
    }
}

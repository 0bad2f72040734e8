//! `/pledge-applications/{id}/notice`: the notice as a printable A4 page (no header when
//! printed), with the QR code of its public verification address as inline SVG, the
//! verification code, the grounds of a refusal, and the fingerprint of the signing key.

use super::error::PageError;
use super::extract::{PagePath, SignedIn};
use super::notice_verify::{NoticeView, published_key};
use crate::api::notices::verify_url;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct PrintableView {
    pub id: i64,
    pub notice: NoticeView,
    /// The QR code as SVG markup (made by `ipyun-notice`, no text of the user's in it).
    pub qr_svg: minijinja::Value,
    pub verify_url: String,
}

/// `GET /pledge-applications/{id}/notice`: for the parties, examiners and offices.
pub async fn printable_notice(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    headers: HeaderMap,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let notice = state
        .app
        .pledge_notice(&actor.principal, id)
        .await
        .map_err(|error| frame.fail(error))?;
    let key = published_key(&state)
        .await
        .map_err(|error| frame.fail(error))?;
    let url = verify_url(&headers, &notice);
    let svg = ipyun_notice::qr_svg(&url).map_err(|error| {
        tracing::error!(%error, "notice QR code failed");
        frame.fail(ApiError::internal())
    })?;
    let view = PrintableView {
        id,
        notice: NoticeView::new(&notice, key.as_ref(), frame.lang),
        qr_svg: minijinja::Value::from_safe_string(svg),
        verify_url: url,
    };
    frame.render("notice.html", &view)
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use ipyun_domain::account::Lang;
    use ipyun_notice::NoticeKind;

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        [NoticeKind::Registration, NoticeKind::Refusal]
            .into_iter()
            .map(|kind| {
                let (notice, key) = super::super::notice_verify::samples::notice(kind);
                let url = "http://127.0.0.1/notices/verify?no=R2026000000009&code=ABCDEFGH12";
                let view = PrintableView {
                    id: 9,
                    notice: NoticeView::new(&notice, Some(&key), Lang::ZhCn),
                    qr_svg: minijinja::Value::from_safe_string(
                        ipyun_notice::qr_svg(url).unwrap_or_default(),
                    ),
                    verify_url: url.into(),
                };
                ("notice.html", minijinja::Value::from_serialize(view))
            })
            .collect()
    }
}

//! `/notices/verify?no=…&code=…`: anyone checks a notice by its number and verification code (no
//! sign-in). A match shows the notice and the result of checking its signature, on the server,
//! against the platform's published key; no match is a plain message, not an error page.

use super::error::PageError;
use super::extract::{PageQuery, PageVisitor};
use super::pledge_views::yuan;
use super::views::given;
use crate::state::AppState;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use chrono::NaiveDate;
use ipyun_app::ErrorKind;
use ipyun_domain::account::Lang;
use ipyun_notice::{NoticeKind, NoticePublicKey, SignedNotice};
use serde::{Deserialize, Serialize};

/// Longest number or code looked up (both are far shorter).
const MAX_INPUT_CHARS: usize = 40;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VerifyForm {
    no: Option<String>,
    code: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct NoticeRightRow {
    pub number: String,
    pub kind: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct GroundRow {
    pub code: String,
    pub ground: String,
    pub message: String,
}

/// A signed notice as the pages show it, in the page's language.
#[derive(Debug, Clone, Serialize)]
pub(super) struct NoticeView {
    pub kind: &'static str,
    pub title: String,
    pub notice_no: String,
    pub registration_no: Option<String>,
    pub application_id: i64,
    pub issued_on: NaiveDate,
    pub issued_at: String,
    pub verification_code: String,
    pub pledgors: Vec<String>,
    pub pledgee: String,
    pub rights: Vec<NoticeRightRow>,
    pub amount: String,
    pub performance_start: Option<NaiveDate>,
    pub performance_end: Option<NaiveDate>,
    pub grounds: Vec<GroundRow>,
    pub details: Vec<(String, String)>,
    pub office: String,
    /// The fingerprint of the key that signed it.
    pub signer_fingerprint: String,
    /// Whether the signature checks against the published key.
    pub signature_valid: bool,
    pub published_fingerprint: String,
}

fn kind_name(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Registration => "registration",
        NoticeKind::Refusal => "refusal",
        NoticeKind::Amendment => "amendment",
        NoticeKind::Cancellation => "cancellation",
    }
}

impl NoticeView {
    /// The notice, its signature checked against `published` (the platform's key).
    pub fn new(notice: &SignedNotice, published: Option<&NoticePublicKey>, lang: Lang) -> Self {
        let document = &notice.document;
        let signature_valid = published.is_some() && notice.verify(published).is_ok();
        NoticeView {
            kind: kind_name(document.kind),
            title: match lang {
                Lang::ZhCn => document.kind.title_zh(&document.rights),
                Lang::En => document.kind.title_en().to_string(),
            },
            notice_no: document.notice_no.clone(),
            registration_no: document.registration_no.clone(),
            application_id: document.application_id,
            issued_on: document.issued_on,
            issued_at: document.issued_at.clone(),
            verification_code: document.verification_code.clone(),
            pledgors: document.pledgors.clone(),
            pledgee: document.pledgee.clone(),
            rights: document
                .rights
                .iter()
                .map(|right| NoticeRightRow {
                    number: right.number.clone(),
                    kind: right.kind.clone(),
                    title: right.title.clone(),
                })
                .collect(),
            amount: yuan(document.secured_amount_fen),
            performance_start: document.performance_start,
            performance_end: document.performance_end,
            grounds: document
                .grounds
                .iter()
                .map(|ground| GroundRow {
                    code: ground.code.clone(),
                    ground: ground.ground.clone(),
                    message: match lang {
                        Lang::ZhCn => ground.message_zh.clone(),
                        Lang::En => ground.message_en.clone(),
                    },
                })
                .collect(),
            details: document.details.clone(),
            office: document.office.clone(),
            signer_fingerprint: notice
                .signer()
                .map(|key| key.fingerprint())
                .unwrap_or_default(),
            signature_valid,
            published_fingerprint: published.map(|key| key.fingerprint()).unwrap_or_default(),
        }
    }
}

#[derive(Serialize)]
struct VerifyView {
    no: String,
    code: String,
    /// `match`, `no_match` or `incomplete` (one of the two is missing); absent before a lookup.
    outcome: Option<&'static str>,
    notice: Option<NoticeView>,
}

/// The platform's published key, if it reads.
pub(super) async fn published_key(
    state: &AppState,
) -> Result<Option<NoticePublicKey>, ipyun_app::AppError> {
    let text = state.app.notice_public_key().await?;
    Ok(NoticePublicKey::from_text(&text).ok())
}

/// `GET /notices/verify`: the form, and the notice when number and code match.
pub async fn verify_notice(
    State(state): State<AppState>,
    visitor: PageVisitor,
    uri: Uri,
    PageQuery(form): PageQuery<VerifyForm>,
) -> Result<Response, PageError> {
    let frame = visitor.frame(&state, &uri);
    let clip = |value: &Option<String>| {
        given(value)
            .map(|text| text.chars().take(MAX_INPUT_CHARS).collect::<String>())
            .unwrap_or_default()
    };
    let (no, code) = (clip(&form.no), clip(&form.code));
    let mut view = VerifyView {
        outcome: None,
        notice: None,
        no,
        code,
    };
    if view.no.is_empty() != view.code.is_empty() {
        view.outcome = Some("incomplete");
    } else if !view.no.is_empty() {
        match state.app.verify_notice(&view.no, &view.code).await {
            Ok(notice) => {
                let key = published_key(&state)
                    .await
                    .map_err(|error| frame.fail(error))?;
                view.notice = Some(NoticeView::new(&notice, key.as_ref(), frame.lang));
                view.outcome = Some("match");
            }
            Err(error) if error.kind == ErrorKind::NotFound => {
                view.outcome = Some("no_match");
            }
            Err(error) => return Err(frame.fail(error)),
        }
    }
    frame.render("notice_verify.html", &view)
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use ipyun_notice::{NoticeDocument, NoticeGround, NoticeRight, NoticeSigningKey, sign};

    pub fn notice(kind: NoticeKind) -> (SignedNotice, NoticePublicKey) {
        let key = NoticeSigningKey::generate();
        let document = NoticeDocument {
            kind,
            notice_no: "R2026000000009".into(),
            registration_no: None,
            application_id: 9,
            issued_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
            issued_at: "2026-11-23T02:00:00Z".into(),
            verification_code: "ABCDEFGH12".into(),
            pledgors: vec!["苏州质押科技有限公司".into()],
            pledgee: "测试银行苏州分行 <script>".into(),
            rights: vec![NoticeRight {
                number: "202110123456.7".into(),
                kind: "invention".into(),
                title: "一种固态电池电解质".into(),
            }],
            secured_amount_fen: 500_000_000,
            performance_start: NaiveDate::from_ymd_opt(2026, 11, 23),
            performance_end: NaiveDate::from_ymd_opt(2027, 11, 22),
            grounds: vec![NoticeGround {
                code: "pledge.pledgor_not_holder".into(),
                ground: "《专利权质押登记办法》第十二条第（一）项".into(),
                message_zh: "出质人不是权利人。".into(),
                message_en: "The pledgor is not the holder.".into(),
            }],
            details: vec![(
                "当事人声明继续办理 / Parties' declaration to go on".into(),
                "同日申请".into(),
            )],
            office: ipyun_app::pledge::ISSUING_OFFICE.into(),
        };
        let public = key.public_key();
        (sign(&key, document), public)
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let (notice, key) = notice(NoticeKind::Refusal);
        let mut all = Vec::new();
        for outcome in [None, Some("incomplete"), Some("no_match"), Some("match")] {
            let view = VerifyView {
                no: "R2026000000009".into(),
                code: "ABCDEFGH12".into(),
                outcome,
                notice: (outcome == Some("match"))
                    .then(|| NoticeView::new(&notice, Some(&key), Lang::ZhCn)),
            };
            all.push(("notice_verify.html", minijinja::Value::from_serialize(view)));
        }
        all
    }
}

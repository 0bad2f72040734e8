use super::error::PageError;
use super::frame::{PageFrame, UserChrome};
use super::login::{LoginView, safe_next};
use super::templates::{TEMPLATE_SOURCES, Templates};
use super::{
    application_form, applications, appraisers, import_run, imports, notice_page, notice_verify,
    parties, pledge_sla, pledges, rights, royalty_rates, valuation,
};
use crate::i18n::I18n;
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use ipyun_domain::account::{Lang, Role};
use ipyun_domain::party::{OfficeLevel, ParkKind, PartyKind, SizeClass};
use ipyun_domain::right::{LegalStatus, RightKind};
use std::collections::BTreeSet;
use std::sync::Arc;

const LANGS: [Lang; 2] = [Lang::ZhCn, Lang::En];

fn frame(lang: Lang, signed_in: bool) -> PageFrame {
    let uri: Uri = "/rights?kind=invention&lang=en&csrf_token=x"
        .parse()
        .unwrap_or_default();
    let mut frame = PageFrame::new(Arc::new(Templates::load()), lang, &uri);
    if signed_in {
        frame.user = Some(UserChrome {
            display_name: "王五".into(),
            role: "provincial_office",
            csrf_token: Some("csrf+token/=".into()),
        });
    }
    frame
}

/// Every page template with sample views, and whether it needs a signed-in user.
fn samples() -> Vec<(&'static str, minijinja::Value, bool)> {
    let mut all: Vec<(&'static str, minijinja::Value, bool)> = Vec::new();
    let signed_in = rights::samples::views()
        .into_iter()
        .chain(parties::samples::views())
        .chain(imports::samples::views(true))
        .chain(imports::samples::views(false))
        .chain(import_run::samples::views())
        .chain(applications::samples::views())
        .chain(application_form::samples::views())
        .chain(super::tests_pledge_forms::application_views())
        .chain(notice_page::samples::views())
        .chain(pledge_sla::samples::views())
        .chain(valuation::samples::views())
        .chain(appraisers::samples::views())
        .chain(royalty_rates::samples::views())
        .chain(super::portfolio::samples::views())
        .chain(super::topics::samples::views())
        .chain(super::patent_search::samples::views())
        .chain(super::loans::samples::views())
        .chain(super::loan_detail::samples::views())
        .chain(super::disposal_page::samples::views())
        .chain(super::loan_stats::samples::views())
        .chain(super::market_products::samples::views())
        .chain(super::market_demands::samples::views())
        .chain(super::demand_form::samples::views())
        .chain(super::match_events::samples::views())
        .chain(super::match_event_form::samples::views());
    all.extend(signed_in.map(|(name, view)| (name, view, true)));
    let public = pledges::samples::views()
        .into_iter()
        .chain(notice_verify::samples::views())
        .chain(royalty_rates::samples::views())
        .chain(super::patent_search::samples::views())
        .chain(super::patent_landscape::samples::views())
        .chain(super::market_products::samples::views());
    all.extend(public.map(|(name, view)| (name, view, false)));
    for error_key in [None, Some("error-auth-bad_credentials".to_string())] {
        let login = LoginView {
            next: "/rights?kind=invention",
            username: "admin",
            error_key,
        };
        all.push(("login.html", minijinja::Value::from_serialize(login), false));
    }
    all
}

#[test]
fn locale_files_have_the_same_keys() {
    let chinese: BTreeSet<String> = I18n::keys(Lang::ZhCn).into_iter().collect();
    let english: BTreeSet<String> = I18n::keys(Lang::En).into_iter().collect();
    assert!(chinese.len() > 100, "keys were not read: {}", chinese.len());
    let only_chinese: Vec<_> = chinese.difference(&english).collect();
    let only_english: Vec<_> = english.difference(&chinese).collect();
    assert!(
        only_chinese.is_empty(),
        "missing in en.ftl: {only_chinese:?}"
    );
    assert!(
        only_english.is_empty(),
        "missing in zh-CN.ftl: {only_english:?}"
    );
    let i18n = I18n::load();
    for key in &chinese {
        for lang in LANGS {
            assert!(i18n.has(lang, key), "{key} does not parse in {lang:?}");
        }
    }
}

#[test]
fn every_template_renders_in_both_languages() {
    let names_rendered: BTreeSet<&str> = samples().iter().map(|(name, _, _)| *name).collect();
    for (name, _) in TEMPLATE_SOURCES {
        let included_only = matches!(
            *name,
            "base.html"
                | "pager.html"
                | "error.html"
                | "stats.html"
                | "rejections.html"
                | "notice_body.html"
                | "field_errors.html"
                | "sla_table.html"
                | "valuation_errors.html"
                | "valuation_income.html"
                | "valuation_other.html"
                | "valuation_result.html"
        );
        assert!(
            included_only || names_rendered.contains(name),
            "no sample renders {name}"
        );
    }
    for lang in LANGS {
        for (name, view, signed_in) in samples() {
            let html = frame(lang, signed_in).render_html(name, &view);
            let html = match html {
                Ok(html) => html,
                Err(error) => panic!("{name} in {lang:?}: {error:#}"),
            };
            assert!(
                html.contains(&format!("<html lang=\"{}\">", lang.as_str())),
                "{name}"
            );
            assert!(!html.contains("<script>"), "{name} did not escape");
            assert!(
                !html.contains("none</"),
                "{name} shows a missing value as none"
            );
        }
    }
}

#[test]
fn pages_speak_the_chosen_language() {
    let (_, view) = rights::samples::views().swap_remove(0);
    let chinese = frame(Lang::ZhCn, true)
        .render_html("rights.html", &view)
        .unwrap_or_default();
    let english = frame(Lang::En, true)
        .render_html("rights.html", &view)
        .unwrap_or_default();
    assert!(
        chinese.contains("权利登记簿")
            && chinese.contains("发明专利")
            && chinese.contains("第 2 / 4 页")
    );
    assert!(
        english.contains("Rights register")
            && english.contains("Invention patent")
            && english.contains("Page 2 of 4")
    );
    assert!(chinese.contains("&lt;script&gt;"), "titles are escaped");
    assert!(
        chinese.contains("href=\"/rights?kind=invention&amp;lang=en\""),
        "language links keep filters and drop the csrf token"
    );
    assert!(
        chinese.contains("name=\"csrf_token\" value=\"csrf+token/=\""),
        "sign-out form carries the token"
    );
    assert!(chinese.contains("省级知识产权局") && chinese.contains("王五"));
}

#[test]
fn detail_shows_shares_as_exact_percentages() {
    let (_, view) = rights::samples::views().swap_remove(2);
    let html = frame(Lang::ZhCn, true)
        .render_html("right.html", &view)
        .unwrap_or_default();
    assert!(html.contains("66.67%") && html.contains("33.33%"), "{html}");
    assert!(html.contains("href=\"/parties/7\""));
    assert!(
        html.contains("<td class=\"num ltv\">50.00%</td>"),
        "the pledge's loan-to-value"
    );
    assert!(html.contains("98,396.50") && html.contains("收益法（许可费节省法）"));
    assert!(html.contains("href=\"/valuation?right=202110123456.7\""));
    assert!(
        html.contains("<title>202110123456.7 "),
        "the title holds the number and title only"
    );
}

fn template_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (_, source) in TEMPLATE_SOURCES {
        for quote in ['"', '\''] {
            let opening = format!("t({quote}");
            for (start, _) in source.match_indices(&opening) {
                let preceded_by_name = source[..start]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_');
                let rest = &source[start + opening.len()..];
                if let (false, Some(end)) = (preceded_by_name, rest.find(quote)) {
                    keys.insert(rest[..end].to_string());
                }
            }
        }
    }
    keys
}

#[test]
fn keys_used_in_templates_exist() {
    let known: BTreeSet<String> = I18n::keys(Lang::ZhCn).into_iter().collect();
    let used = template_keys();
    assert!(used.len() > 50, "template keys were not found: {used:?}");
    for key in used {
        if key.ends_with('-') {
            assert!(
                known.iter().any(|known_key| known_key.starts_with(&key)),
                "no key starts with {key}"
            );
        } else {
            assert!(
                known.contains(&key),
                "{key} is used by a template but not translated"
            );
        }
    }
}

#[test]
fn every_enum_value_has_a_translation() {
    let mut keys: Vec<String> = Vec::new();
    keys.extend(
        RightKind::ALL
            .iter()
            .map(|value| format!("right-kind-{}", value.as_str())),
    );
    keys.extend(
        LegalStatus::ALL
            .iter()
            .map(|value| format!("legal-status-{}", value.as_str())),
    );
    keys.extend(
        PartyKind::ALL
            .iter()
            .map(|value| format!("party-kind-{}", value.as_str())),
    );
    keys.extend(
        SizeClass::ALL
            .iter()
            .map(|value| format!("size-class-{}", value.as_str())),
    );
    keys.extend(
        ParkKind::ALL
            .iter()
            .map(|value| format!("park-kind-{}", value.as_str())),
    );
    keys.extend(
        OfficeLevel::ALL
            .iter()
            .map(|value| format!("office-level-{}", value.as_str())),
    );
    keys.extend(
        Role::ALL
            .iter()
            .map(|value| format!("role-{}", value.as_str())),
    );
    let codes = [
        "validation_failed",
        "forbidden",
        "not_found",
        "unauthenticated",
        "auth.bad_credentials",
        "csrf_failed",
        "internal",
        "unavailable",
        "right.not_found",
        "party.not_found",
        "import.unsupported_format",
    ];
    keys.extend(codes.iter().map(|code| super::error::error_key(code)));
    let i18n = I18n::load();
    for key in keys {
        for lang in LANGS {
            assert!(i18n.has(lang, &key), "{key} is missing in {lang:?}");
        }
    }
}

#[test]
fn nothing_is_loaded_from_outside() {
    let mut sources: Vec<(&str, &str)> = TEMPLATE_SOURCES.to_vec();
    sources.push(("app.css", super::assets::APP_CSS));
    sources.push(("pledge.css", super::assets::PLEDGE_CSS));
    sources.push(("valuation.css", super::assets::VALUATION_CSS));
    sources.push(("loan.css", super::assets::LOAN_CSS));
    for (name, source) in sources {
        let lower = source.to_ascii_lowercase();
        assert!(
            !lower.contains("http://") && !lower.contains("https://"),
            "{name} names an outside URL"
        );
        assert!(
            !lower.contains("@import") && !lower.contains("url("),
            "{name} loads a resource"
        );
    }
}

#[tokio::test]
async fn error_pages_are_translated_and_keep_their_status() {
    for (lang, expect) in [(Lang::ZhCn, "找不到该权利"), (Lang::En, "No such right")] {
        let response =
            PageError::with_status(frame(lang, true), StatusCode::NOT_FOUND, "right.not_found")
                .into_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        let html = String::from_utf8_lossy(&body);
        assert!(
            html.contains(expect) && html.contains("right.not_found"),
            "{html}"
        );
    }
    let internal = crate::error::ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "sqlite: no such table: users_secret",
    );
    let response = frame(Lang::En, false).fail(internal).into_response();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let html = String::from_utf8_lossy(&body);
    assert!(
        !html.contains("users_secret") && html.contains("internal error"),
        "{html}"
    );
}

#[test]
fn only_local_addresses_are_followed_after_sign_in() {
    assert_eq!(
        safe_next(Some("/rights?kind=invention")),
        Some("/rights?kind=invention")
    );
    assert_eq!(safe_next(Some("/")), Some("/"));
    for bad in [
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "rights",
        "",
        "/a b",
        "/国",
    ] {
        assert_eq!(safe_next(Some(bad)), None, "{bad}");
    }
    assert_eq!(safe_next(None), None);
}

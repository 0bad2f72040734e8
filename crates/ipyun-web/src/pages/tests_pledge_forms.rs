//! The pledge pages without a server: the application form read from its pairs, faults put on
//! their fields, the application page's actions per viewer, and every pledge value translated.

use super::application_input::{ApplicationForm, Faults, map_app_faults, right_kind};
use super::application_view::ApplicationView;
use super::applications::samples::application;
use super::error::error_key;
use super::frame::PageFrame;
use super::pledge_views::finding_key;
use super::templates::Templates;
use crate::i18n::I18n;
use axum::http::Uri;
use ipyun_app::Principal;
use ipyun_domain::FieldError;
use ipyun_domain::account::{Lang, Role};
use ipyun_domain::pledge::{
    Act, ApplicationStatus, Finding, FindingCode, Measures, PledgeStatus, PledgeType,
};
use ipyun_domain::right::RightKind;
use std::sync::Arc;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn principal(role: Role, party_id: i64, username: &str) -> Principal {
    Principal {
        user_id: 1,
        username: username.into(),
        display_name: username.into(),
        role,
        party_id: Some(party_id),
        region: None,
        lang: Lang::ZhCn,
    }
}

fn keys_at(faults: &Faults, field: &str) -> Vec<String> {
    faults.0[field]
        .iter()
        .map(|fault| fault.key.clone())
        .collect()
}

#[test]
fn the_form_reads_yuan_exactly_and_names_every_fault_by_field() {
    let form = ApplicationForm::from_pairs(pairs(&[
        ("other_party", "12"),
        ("principal_yuan", "5,000,000.10"),
        ("secured_amount_yuan", "1.234"),
        ("performance_start", "2026-11-23"),
        ("performance_end", "2026/12/01"),
        ("right_kind_0", "invention"),
        ("right_number_0", "202110123456.7"),
        ("right_kind_1", "bogus"),
        ("right_number_1", "12345678"),
        (
            "rights_more",
            "trademark 12345678 一个商标\n发明专利 202110123457.1\noops",
        ),
        ("informed_consent", "pledge.same_day_filing"),
        ("informed_consent", "pledge.invalidation_pending"),
        ("commitment_letter", "1"),
        ("csrf_token", "t"),
    ]));
    let (input, sources, faults) = form.input(Role::Lender);
    assert_eq!(input.pledgor_id, Some(12), "a lender names the pledgor");
    assert_eq!(input.pledgee_id, None, "the lender's own organisation");
    assert_eq!(input.loan_contract.principal_fen, Some(500_000_010));
    assert_eq!(input.pledge_contract.secured_amount_fen, None);
    assert_eq!(
        keys_at(&faults, "secured_amount_yuan"),
        ["form-error-amount_format"]
    );
    assert_eq!(
        keys_at(&faults, "performance_end"),
        ["form-error-date_format"]
    );
    assert_eq!(keys_at(&faults, "right_row_1"), ["form-error-unknown_kind"]);
    assert_eq!(faults.0["rights_more"][0].line, Some(3));
    assert_eq!(input.rights.len(), 3);
    assert_eq!(input.rights[1].kind, RightKind::Trademark);
    assert_eq!(input.rights[1].title.as_deref(), Some("一个商标"));
    assert_eq!(input.rights[2].kind, RightKind::Invention);
    assert_eq!(input.informed_consent.len(), 2);
    assert!(input.commitment_letter && !input.epidemic_supply);
    assert_eq!(sources[2].field, "rights_more");
    assert_eq!(sources[2].line, Some(2));

    // The app's findings land on the fields that caused them.
    let mut faults = Faults::default();
    map_app_faults(
        &[
            FieldError::new("rights[2].number", "check_digit", "x"),
            FieldError::new("rights[0].number", "duplicate", "x"),
            FieldError::new("pledgor_id", "unknown_party", "x"),
            FieldError::new("loan_contract.performance_end", "before_start", "x"),
            FieldError::new("informed_consent[0]", "not_consentable", "x"),
            FieldError::new("something.else", "odd", "x"),
        ],
        &sources,
        &mut faults,
    );
    assert_eq!(faults.0["rights_more"][0].line, Some(2));
    assert_eq!(keys_at(&faults, "right_row_0"), ["form-error-duplicate"]);
    assert_eq!(
        keys_at(&faults, "other_party"),
        ["form-error-unknown_party"]
    );
    assert_eq!(
        keys_at(&faults, "performance_end"),
        ["form-error-before_start"]
    );
    assert_eq!(
        keys_at(&faults, "informed_consent"),
        ["form-error-not_consentable"]
    );
    assert_eq!(keys_at(&faults, "form"), ["form-error-odd"]);
    let i18n = I18n::load();
    faults.settle(|key| i18n.has(Lang::En, key));
    assert_eq!(keys_at(&faults, "form"), ["form-error-invalid"]);
}

#[test]
fn an_enterprise_names_the_pledgee_and_a_missing_party_is_required() {
    let form =
        ApplicationForm::from_pairs(pairs(&[("other_party_id", "#7"), ("other_party", "3")]));
    let (input, _, faults) = form.input(Role::Enterprise);
    assert_eq!(
        (input.pledgor_id, input.pledgee_id),
        (None, Some(7)),
        "the typed id wins"
    );
    assert!(faults.is_empty());
    let (_, _, faults) = ApplicationForm::from_pairs(Vec::new()).input(Role::Enterprise);
    assert_eq!(keys_at(&faults, "other_party"), ["form-error-required"]);
    let (_, _, faults) =
        ApplicationForm::from_pairs(pairs(&[("other_party_id", "x1")])).input(Role::Enterprise);
    assert_eq!(keys_at(&faults, "other_party"), ["form-error-invalid_id"]);
    assert_eq!(right_kind("Trademark"), Some(RightKind::Trademark));
    assert_eq!(right_kind("集成电路布图设计"), Some(RightKind::IcLayout));
    assert_eq!(right_kind("patent"), None);
}

#[test]
fn each_viewer_gets_the_actions_that_are_theirs() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let shape = |status, who: &Principal| {
        ApplicationView::shape(who, Lang::ZhCn, application(status), today, |id| {
            format!("P{id}")
        })
    };
    let banker = principal(Role::Lender, 2, "banker");
    let drafter_view = shape(ApplicationStatus::AwaitingConfirmation, &banker);
    assert!(
        drafter_view.may_withdraw && !drafter_view.may_confirm,
        "the drafter withdraws"
    );
    let owner = principal(Role::Enterprise, 1, "owner");
    let owner_view = shape(ApplicationStatus::AwaitingConfirmation, &owner);
    assert!(
        owner_view.may_confirm && !owner_view.may_withdraw,
        "the other party confirms"
    );
    let stranger = principal(Role::Enterprise, 99, "stranger");
    let stranger_view = shape(ApplicationStatus::AwaitingConfirmation, &stranger);
    assert!(!stranger_view.may_confirm && !stranger_view.may_withdraw);
    let examiner = principal(Role::Examiner, 5, "examiner");
    let review = shape(ApplicationStatus::InReview, &examiner);
    assert!(review.may_decide && !review.may_confirm);
    assert!(!review.overdue, "due 2027-01-04 is not past on 2026-11-23");
}

/// Sample views of `application.html`, for the rendering tests.
pub fn application_views() -> Vec<(&'static str, minijinja::Value)> {
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap_or_default();
    let examiner = principal(Role::Examiner, 5, "examiner");
    let owner = principal(Role::Enterprise, 1, "owner");
    let mut refused = application(ApplicationStatus::Refused);
    refused.decided_at = refused.received_at;
    refused.verification_code = Some("ABCDEFGH12".into());
    refused.findings = vec![Finding::new(
        FindingCode::PledgorNotHolder,
        Measures::Patent,
        Some("202110123456.7"),
        "出质人不是权利人 <script>".into(),
        "The pledgor is not the holder.".into(),
    )];
    refused.application = serde_json::json!({
        "pledge_type": "licence_revenue",
        "loan_contract": {"contract_no": "JK-1", "debtor": "某公司", "principal_fen": 123_456_789,
                          "performance_start": "2026-11-23", "performance_end": "2027-11-22"},
        "pledge_contract": {"contract_no": "ZY-1", "secured_claim_kind": "loan", "secured_amount_fen": 1,
                            "scope": "本金", "transfer_on_default": false},
        "rights": [{"kind": "invention", "number": "202110123456.7", "title": null,
                    "filing_date": null, "grant_date": null}],
        "licence_contracts": ["L-1"], "co_owner_consents": ["张三"],
        "informed_consent": ["pledge.same_day_filing"], "commitment_letter": true, "epidemic_supply": false
    });
    let mut shaped = vec![
        ApplicationView::shape(
            &examiner,
            Lang::ZhCn,
            application(ApplicationStatus::InReview),
            today,
            |id| format!("P{id}"),
        ),
        ApplicationView::shape(
            &owner,
            Lang::En,
            application(ApplicationStatus::AwaitingConfirmation),
            today,
            |id| format!("P{id}"),
        ),
        ApplicationView::shape(&owner, Lang::ZhCn, refused, today, |id| format!("P{id}")),
    ];
    let mut cancellation = application(ApplicationStatus::Registered);
    cancellation.act = Act::Cancellation;
    cancellation.registration_no = Some("C2026000000007".into());
    cancellation.application = serde_json::json!({"act": "cancellation", "registration_no": "Y2026000000003",
        "cancellation": {"reason": "debt_repaid", "note": "已还清"}});
    let mut amendment = application(ApplicationStatus::AwaitingConfirmation);
    amendment.act = Act::Amendment;
    amendment.application = serde_json::json!({"act": "amendment", "registration_no": "Y2026000000003",
        "amendment": {"secured_amount_fen": 150, "performance_end": "2028-01-31", "reason": "展期"}});
    for view in [cancellation, amendment] {
        shaped.push(ApplicationView::shape(
            &owner,
            Lang::ZhCn,
            view,
            today,
            |id| format!("P{id}"),
        ));
    }
    assert!(shaped[3].has_notice && shaped[3].change.is_some() && shaped[4].change.is_some());
    shaped[2].action_error = Some("error-pledge-note_required".into());
    assert!(shaped[2].has_notice && shaped[2].verify_href.is_some());
    shaped
        .into_iter()
        .map(|view| ("application.html", minijinja::Value::from_serialize(view)))
        .collect()
}

#[test]
fn amendments_and_cancellations_show_what_they_change() {
    let uri: Uri = "/pledge-applications/7".parse().unwrap_or_default();
    let frame = PageFrame::new(Arc::new(Templates::load()), Lang::ZhCn, &uri);
    let views = application_views();
    let cancellation = frame
        .render_html("application.html", &views[3].1)
        .unwrap_or_default();
    assert!(cancellation.contains("注销登记") && cancellation.contains("债务已清偿"));
    assert!(cancellation.contains("Y2026000000003") && cancellation.contains("已还清"));
    let amendment = frame
        .render_html("application.html", &views[4].1)
        .unwrap_or_default();
    assert!(
        amendment.contains("变更登记")
            && amendment.contains("1.50")
            && amendment.contains("2028-01-31")
    );
}

#[test]
fn the_application_page_shows_findings_in_the_page_language() {
    let uri: Uri = "/pledge-applications/7".parse().unwrap_or_default();
    for (lang, expect) in [(Lang::ZhCn, "不予登记"), (Lang::En, "Refused")] {
        let frame = PageFrame::new(Arc::new(Templates::load()), lang, &uri);
        let (_, view) = application_views().swap_remove(2);
        let html = frame
            .render_html("application.html", &view)
            .unwrap_or_default();
        assert!(html.contains(expect), "{html}");
        assert!(html.contains("pledge.pledgor_not_holder") && html.contains("第十二条第（一）项"));
        assert!(html.contains("1,234,567.89"), "amounts in yuan");
        assert!(html.contains("/pledge-applications/7/notice") && html.contains("notice.pdf"));
    }
}

#[test]
fn every_pledge_value_has_a_translation() {
    let mut keys: Vec<String> = Vec::new();
    keys.extend(
        ApplicationStatus::ALL
            .iter()
            .map(|s| format!("application-status-{}", s.as_str())),
    );
    keys.extend(
        PledgeStatus::ALL
            .iter()
            .map(|s| format!("pledge-status-{}", s.as_str())),
    );
    keys.extend(Act::ALL.iter().map(|act| format!("act-{}", act.as_str())));
    keys.extend(
        FindingCode::ALL
            .iter()
            .map(|code| finding_key(code.as_str())),
    );
    keys.extend(["rights", "licence_revenue"].map(|t| format!("pledge-type-{t}")));
    let _ = PledgeType::Rights;
    keys.extend(
        ["refuse", "needs_consent", "consented", "review"].map(|s| format!("severity-{s}")),
    );
    keys.extend(
        ["registration", "refusal", "amendment", "cancellation"]
            .map(|k| format!("notice-kind-{k}")),
    );
    keys.extend(
        [
            "debt_repaid",
            "pledge_realised",
            "pledgee_waives",
            "contract_void",
        ]
        .map(|r| format!("cancellation-reason-{r}")),
    );
    let codes = [
        "pledge.application_not_found",
        "pledge.not_awaiting_confirmation",
        "pledge.not_in_review",
        "pledge.grounds_required",
        "pledge.note_required",
        "pledge.not_withdrawable",
        "pledge.refusal_ground_found",
        "pledge.right_already_pledged",
        "notice.not_found",
    ];
    keys.extend(codes.iter().map(|code| error_key(code)));
    let i18n = I18n::load();
    for key in keys {
        for lang in [Lang::ZhCn, Lang::En] {
            assert!(i18n.has(lang, &key), "{key} is missing in {lang:?}");
        }
    }
}

//! The automated valuation on a patent's page and the portfolio page, over HTTP on the real
//! server and database: the amounts are the app's, to the fen, in both languages; scopes hold.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::pledge_views::yuan;
use super::tests_pledge_support::{Scene, Session};
use super::views::share_percent;
use ipyun_app::avm::AutomatedValuation;
use ipyun_app::portfolio::PortfolioValuation;
use ipyun_domain::account::{Lang, Principal, Role};
use ipyun_domain::avm::Purpose;
use ipyun_test_support::{StatusCode, TestUser, test_application_no};
use serde_json::json;

/// An administrator's view: the model values the same whoever may see the right.
fn administrator() -> Principal {
    Principal {
        user_id: 1,
        username: "admin".into(),
        display_name: "admin".into(),
        role: Role::PlatformAdmin,
        party_id: None,
        region: None,
        lang: Lang::ZhCn,
    }
}

/// Text as the pages print it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

async fn valued(scene: &Scene, number: &str, purpose: Purpose) -> AutomatedValuation {
    scene
        .app
        .app
        .value_right_automatically(&administrator(), number, purpose)
        .await
        .unwrap()
}

async fn trademark(scene: &Scene, number: &str) {
    let body = json!({"kind": "trademark", "number": number, "title": "估值商标", "filing_date": "2018-01-10",
        "grant_date": "2019-04-07", "nice_class": "9", "holders": [{"name": scene.enterprise_name, "uscc": scene.uscc}]});
    let created = scene
        .app
        .post("/api/v1/rights", Some(&scene.admin.token), &body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
}

fn assert_range(body: &str, low: i64, mid: i64, high: i64, confidence_bp: u32) {
    for shown in [
        yuan(low),
        yuan(mid),
        yuan(high),
        share_percent(confidence_bp),
    ] {
        assert!(body.contains(&shown), "{shown} is not shown");
    }
}

#[tokio::test]
async fn a_patent_page_shows_the_automated_valuation_for_the_purpose_chosen() {
    let scene = Scene::new().await;
    let number = scene.right(71).await;
    trademark(&scene, "34567890").await;
    let owner = Session::sign_in(&scene.app, &scene.owner).await;

    let page = owner.get(&format!("/rights/{number}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let expected = valued(&scene, &number, Purpose::Pledge).await;
    assert!(expected.low_fen > 0 && expected.mid_fen < expected.high_fen);
    assert!(page.body.contains("id=\"avm\"") && page.body.contains("自动估值"));
    assert_range(
        &page.body,
        expected.low_fen,
        expected.mid_fen,
        expected.high_fen,
        expected.confidence_bp,
    );
    assert_eq!(expected.contributions.len(), 14);
    for contribution in &expected.contributions {
        assert!(
            page.body.contains(&escaped(&contribution.text_zh)),
            "{}",
            contribution.text_zh
        );
    }
    assert!(page.body.contains("<option value=\"pledge\" selected>"));
    assert!(page.body.contains("action=\"/rights/") && page.body.contains("name=\"avm_purpose\""));

    let licence = owner
        .get(&format!("/rights/{number}?avm_purpose=licence"))
        .await;
    let expected = valued(&scene, &number, Purpose::Licence).await;
    assert!(licence.body.contains("<option value=\"licence\" selected>"));
    assert_range(
        &licence.body,
        expected.low_fen,
        expected.mid_fen,
        expected.high_fen,
        expected.confidence_bp,
    );

    let english = owner
        .get(&format!("/rights/{number}?avm_purpose=transfer&lang=en"))
        .await;
    let expected = valued(&scene, &number, Purpose::Transfer).await;
    assert!(english.body.contains("Automated valuation"));
    assert_range(
        &english.body,
        expected.low_fen,
        expected.mid_fen,
        expected.high_fen,
        expected.confidence_bp,
    );
    for contribution in &expected.contributions {
        assert!(english.body.contains(&escaped(&contribution.text_en)));
    }
    assert!(english.body.contains("Legal value") && english.body.contains("Effect on the value"));

    let bogus = owner
        .get(&format!(
            "/rights/{number}?avm_purpose=%3Cbogus%3E&lang=zh-CN"
        ))
        .await;
    assert_eq!(
        bogus.status,
        StatusCode::OK,
        "an unknown purpose means pledge"
    );
    assert!(bogus.body.contains("<option value=\"pledge\" selected>"));

    let mark = owner.get("/rights/34567890").await;
    assert_eq!(mark.status, StatusCode::OK);
    assert!(!mark.body.contains("id=\"avm\"") && !mark.body.contains("自动估值"));
    assert!(!mark.body.contains("avm_purpose"));
}

/// The page's total row and each item, against the app's portfolio.
fn assert_portfolio(body: &str, portfolio: &PortfolioValuation) {
    assert_range(
        body,
        portfolio.low_fen,
        portfolio.mid_fen,
        portfolio.high_fen,
        portfolio.confidence_bp,
    );
    for item in &portfolio.items {
        assert!(body.contains(&item.number));
        assert_range(
            body,
            item.low_fen,
            item.mid_fen,
            item.high_fen,
            item.confidence_bp,
        );
    }
}

#[tokio::test]
async fn the_portfolio_page_sums_the_items_and_keeps_the_form_on_faults() {
    let scene = Scene::new().await;
    let first = scene.right(72).await;
    let second = scene.right(73).await;
    trademark(&scene, "34567891").await;
    let owner = Session::sign_in(&scene.app, &scene.owner).await;

    let empty = owner.get("/portfolio-valuation").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("组合估值") && !empty.body.contains("alert-error"));
    assert!(
        empty
            .body
            .contains("href=\"/portfolio-valuation\" class=\"active\""),
        "the navigation shows where we are"
    );

    let numbers = format!("{first}\n{second}, 34567891");
    let query =
        serde_urlencoded::to_string([("numbers", numbers.as_str()), ("purpose", "licence")])
            .unwrap();
    let page = owner.get(&format!("/portfolio-valuation?{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let listed = vec![first.clone(), second.clone(), "34567891".to_string()];
    let expected = scene
        .app
        .app
        .value_portfolio(&administrator(), &listed, Purpose::Licence)
        .await
        .unwrap();
    assert_eq!(expected.items.len(), 2);
    assert_eq!(
        expected.mid_fen,
        expected.items[0].mid_fen + expected.items[1].mid_fen
    );
    assert_portfolio(&page.body, &expected);
    assert!(page.body.contains("未估值（非专利）") && page.body.contains(">34567891</a>"));
    assert!(page.body.contains("<option value=\"licence\" selected>"));
    assert!(
        page.body
            .contains(&format!("{first}\n{second}, 34567891</textarea>")),
        "the form keeps the numbers"
    );
    let english = owner
        .get(&format!("/portfolio-valuation?{query}&lang=en"))
        .await;
    assert!(
        english.body.contains("Portfolio valuation")
            && english.body.contains("Not valued (not patents)")
    );
    assert_portfolio(&english.body, &expected);

    let party = owner
        .get(&format!(
            "/portfolio-valuation?party={}&lang=zh-CN",
            scene.enterprise_id
        ))
        .await;
    assert_eq!(party.status, StatusCode::OK, "{}", party.body);
    let held = scene
        .app
        .app
        .value_party_portfolio(&administrator(), scene.enterprise_id, Purpose::Pledge)
        .await
        .unwrap();
    assert_eq!(held.items.len(), 2, "the trademark is no patent");
    assert_portfolio(&party.body, &held);
    assert!(
        party
            .body
            .contains(&format!("{} 持有的专利", scene.enterprise_name)),
        "{}",
        party.body
    );

    let many: Vec<String> = (0..201).map(|serial| format!("N{serial}")).collect();
    let too_many = serde_urlencoded::to_string([("numbers", many.join(","))]).unwrap();
    let refused = owner.get(&format!("/portfolio-valuation?{too_many}")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("共 201 项，超过单次 200 项的上限"));
    assert!(refused.body.contains("N200</textarea>"));

    let absent = test_application_no(99);
    let unknown = owner
        .get(&format!("/portfolio-valuation?numbers={first}%0A{absent}"))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(
        unknown
            .body
            .contains(&format!("找不到权利 {absent}，或您无权查看"))
    );
    let nothing = owner
        .get("/portfolio-valuation?purpose=pledge&numbers=+&lang=en")
        .await;
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);
    assert!(nothing.body.contains("Type right numbers"));
    let both = owner
        .get(&format!(
            "/portfolio-valuation?numbers={first}&party=7&lang=zh-CN"
        ))
        .await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    assert!(both.body.contains("请只填写一种") && both.body.contains("value=\"7\""));
}

#[tokio::test]
async fn an_enterprise_values_only_what_it_may_see_and_a_lender_its_pledged_bundle() {
    let scene = Scene::new().await;
    let first = scene.right(74).await;
    let second = scene.right(75).await;
    let (other_id, _) = scene.app.enterprise("无锡旁观科技有限公司", 9, None).await;
    let other: TestUser = scene.app.user("other", "enterprise", Some(other_id)).await;
    let stranger = Session::sign_in(&scene.app, &other).await;

    let refused = stranger
        .get(&format!(
            "/portfolio-valuation?party={}",
            scene.enterprise_id
        ))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("您无权查看该主体持有的权利"));
    assert!(!refused.body.contains(&first) && !refused.body.contains("portfolio-items"));
    let english = stranger
        .get(&format!(
            "/portfolio-valuation?party={}&lang=en",
            scene.enterprise_id
        ))
        .await;
    assert!(
        english
            .body
            .contains("You may not see the rights this party holds")
    );
    let hidden = stranger
        .get(&format!("/portfolio-valuation?numbers={first}&lang=zh-CN"))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(
        hidden.body.contains(&format!("找不到权利 {first}")),
        "{}",
        hidden.body
    );
    let page = stranger.get(&format!("/rights/{first}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("id=\"avm\""));

    let own = stranger.get(&format!("/parties/{other_id}")).await;
    assert!(
        own.body
            .contains(&format!("href=\"/portfolio-valuation?party={other_id}\""))
    );
    let none = stranger
        .get(&format!("/portfolio-valuation?party={other_id}"))
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body.contains("没有可估值的专利"));

    let confirmed = scene
        .confirmed(&scene.body(&[&first, &second]), &scene.banker, &scene.owner)
        .await;
    let registration_no = confirmed["registration_no"].as_str().unwrap().to_string();
    let banker = Session::sign_in(&scene.app, &scene.banker).await;
    let application = banker
        .get(&format!("/pledge-applications/{}", confirmed["id"]))
        .await;
    assert!(
        application.body.contains(&format!(
            "href=\"/portfolio-valuation?registration_no={registration_no}\""
        )),
        "the pledge's page links to its bundle's valuation"
    );
    let bundle = banker
        .get(&format!(
            "/portfolio-valuation?registration_no={registration_no}"
        ))
        .await;
    assert_eq!(bundle.status, StatusCode::OK, "{}", bundle.body);
    let expected = scene
        .app
        .app
        .value_pledge_bundle(&administrator(), &registration_no, Purpose::Pledge)
        .await
        .unwrap();
    assert_eq!(expected.items.len(), 2);
    assert_portfolio(&bundle.body, &expected);
    assert!(
        bundle
            .body
            .contains(&format!("质押 {registration_no} 的权利包"))
    );
    let lender_view = banker
        .get(&format!(
            "/portfolio-valuation?party={}",
            scene.enterprise_id
        ))
        .await;
    assert_eq!(
        lender_view.status,
        StatusCode::OK,
        "a lender sees every party's rights"
    );
    let unknown = banker
        .get("/portfolio-valuation?registration_no=Y2099000000001")
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("找不到该质押登记"));
}

#[tokio::test]
async fn a_demo_patent_with_indicators_shows_them_in_words() {
    let app = ipyun_test_support::TestApp::init().await;
    app.app.load_demo_if_empty().await.unwrap();
    let me = administrator();
    let query = ipyun_app::rights::RightQuery {
        kind: Some("invention".into()),
        legal_status: Some("in_force".into()),
        per_page: Some(100),
        ..Default::default()
    };
    let inventions = app.app.list_rights(&me, &query).await.unwrap();
    let mut found = None;
    for right in inventions.items {
        let valued = app
            .app
            .value_right_automatically(&me, &right.number, Purpose::Pledge)
            .await
            .unwrap();
        if valued.contributions.iter().all(|item| item.known) {
            found = Some(valued);
            break;
        }
    }
    let expected = found.expect("the demo holds inventions with every indicator");
    let admin = TestUser {
        username: "admin".into(),
        password: ipyun_app::DEMO_PASSWORD.into(),
        token: String::new(),
        party_id: None,
    };
    let session = Session::sign_in(&app, &admin).await;
    let page = session.get(&format!("/rights/{}", expected.number)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_range(
        &page.body,
        expected.low_fen,
        expected.mid_fen,
        expected.high_fen,
        expected.confidence_bp,
    );
    for contribution in &expected.contributions {
        assert!(page.body.contains(&escaped(&contribution.text_zh)));
    }
    assert!(!page.body.contains("无数据"), "every indicator is known");
}

//! The valuation calculator over HTTP, on the real server and database (SQLite, or PostgreSQL
//! with `IPYUN_TEST_PG_URL`): signed-in users only, CSRF, exact amounts, faults at their fields
//! in the page's language, the royalty-rate look-up, recording against a right and the right's
//! valuations. The royalty-rate and appraiser pages are in `tests_valuation_pages`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests_pledge_support::{Scene, Session, anonymous};
use ipyun_test_support::{StatusCode, invention};
use serde_json::json;

/// The example: 98,396.50 yuan.
const ROYALTY: [(&str, &str); 6] = [
    ("method", "relief_from_royalty"),
    ("revenues", "1000000, 1100000, 1200000"),
    ("royalty_rate_pct", "5"),
    ("discount_rate_pct", "12"),
    ("tax_rate_pct", "25"),
    ("action", "calculate"),
];

fn with<'a>(base: &[(&'a str, &'a str)], more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields: Vec<(&str, &str)> = base
        .iter()
        .filter(|(name, _)| !more.iter().any(|(other, _)| other == name))
        .copied()
        .collect();
    fields.extend_from_slice(more);
    fields
}

#[tokio::test]
async fn the_calculator_is_for_signed_in_users_and_checks_the_csrf_token() {
    let scene = Scene::new().await;
    let app = &scene.app;
    for path in ["/valuation", "/appraisers", "/valuation?method=cost"] {
        let page = anonymous(app, path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(page.location.starts_with("/login?next="), "{path}");
    }
    let posted = app
        .client
        .post(app.url("/valuation"))
        .form(&ROYALTY)
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);

    let banker = Session::sign_in(app, &scene.banker).await;
    let page = banker.get("/valuation").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("知识产权估值") && page.body.contains("name=\"revenues\""));
    assert!(page.body.contains("href=\"/valuation\" class=\"active\""));
    let english = banker.get("/valuation?method=cost&lang=en").await;
    assert!(
        english.body.contains("IP valuation") && english.body.contains("name=\"item_amount_0\"")
    );
    let forged = banker.post("/valuation", &ROYALTY, false).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "CSRF is enforced");
    assert!(!forged.body.contains("98,396.50"));
}

#[tokio::test]
async fn relief_from_royalty_shows_the_exact_value_its_working_and_assumptions_and_records_it() {
    let scene = Scene::new().await;
    let banker = Session::sign_in(&scene.app, &scene.banker).await;
    let page = banker.post("/valuation", &ROYALTY, true).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // 37,500 ÷ 1.12 + 41,250 ÷ 1.12² + 45,000 ÷ 1.12³.
    for shown in [
        "98,396.50",
        "33,482.14",
        "32,884.25",
        "32,030.11",
        "0.892857",
        "1,100,000.00",
    ] {
        assert!(page.body.contains(shown), "{shown}");
    }
    assert!(page.body.contains("折现率 12%/年（税后）") && page.body.contains("四舍五入"));
    assert!(page.body.contains("name=\"revenues\" rows=\"3\" placeholder=\"1000000, 1100000, 1200000\">1000000, 1100000, 1200000</textarea>"));
    let english = banker.post("/valuation?lang=en", &ROYALTY, true).await;
    assert!(english.body.contains("98,396.50"));
    assert!(
        english
            .body
            .contains("a discount rate of 12 % a year (after tax)")
    );
    assert!(!english.body.contains("折现率"));

    // A 10-year TAB: factor 1.1644908…, amount 16,185.32, value 114,581.82.
    let tab = banker
        .post("/valuation", &with(&ROYALTY, &[("tab_years", "10")]), true)
        .await;
    assert!(tab.body.contains("114,581.82") && tab.body.contains("16,185.32"));
    assert!(tab.body.contains("1.164491"), "the TAB factor");

    // Recorded against a right: the right's page lists it.
    let number = scene.right(61).await;
    let record = with(
        &ROYALTY,
        &[
            ("record", "1"),
            ("purpose", "pledge"),
            ("right_number", &number),
        ],
    );
    let recorded = banker.post("/valuation?lang=zh-CN", &record, true).await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
    assert!(recorded.body.contains("已保存估值记录"));
    assert!(
        recorded
            .body
            .contains(&format!("href=\"/rights/{number}#valuations\""))
    );
    let right = banker.get(&format!("/rights/{number}")).await;
    assert!(right.body.contains("id=\"valuations\"") && right.body.contains("98,396.50"));
    assert!(right.body.contains("收益法（许可费节省法）") && right.body.contains("质押融资"));
    assert!(
        right
            .body
            .contains(&format!("href=\"/valuation?right={number}\""))
    );
    let holder = Session::sign_in(&scene.app, &scene.owner).await;
    let seen = holder.get(&format!("/rights/{number}?lang=en")).await;
    assert!(seen.body.contains("98,396.50") && seen.body.contains("Pledge financing"));
    let stored = scene
        .app
        .get(
            &format!("/api/v1/rights/{number}/valuations"),
            Some(&scene.banker.token),
        )
        .await;
    assert_eq!(stored.body[0]["record"]["value_fen"], 9_839_650);

    let unknown = with(&record, &[("right_number", "209910000001.X")]);
    let refused = banker.post("/valuation", &unknown, true).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("找不到该权利") && refused.body.contains("98,396.50"));
}

#[tokio::test]
async fn faults_are_shown_at_their_fields_in_the_page_language() {
    let scene = Scene::new().await;
    let banker = Session::sign_in(&scene.app, &scene.banker).await;
    let negative = with(&ROYALTY, &[("revenues", "1000000, -5, 1200000")]);
    let page = banker.post("/valuation", &negative, true).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.body.contains("第 2 年： 不能为负数。"),
        "{}",
        page.body
    );
    assert!(page.body.contains("class=\"wide has-error\""));
    let english = banker.post("/valuation?lang=en", &negative, true).await;
    assert!(english.body.contains("Year 2: Must not be negative."));
    let typed = with(
        &ROYALTY,
        &[
            ("revenues", "1000000\nabc"),
            ("discount_rate_pct", ""),
            ("tab_years", "1.5"),
        ],
    );
    let page = banker.post("/valuation?lang=en", &typed, true).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    for message in [
        "Year 2: Enter a number",
        "Required.",
        "Enter a whole number of years.",
    ] {
        assert!(page.body.contains(message), "{message}");
    }
    let terminal = with(
        &ROYALTY,
        &[
            ("terminal", "1"),
            ("remaining_life_years", "5"),
            ("royalty_rate_pct", "150"),
        ],
    );
    let page = banker.post("/valuation?lang=en", &terminal, true).await;
    assert!(
        page.body
            .contains("give a remaining economic life or a terminal value, not both")
    );
    assert!(page.body.contains("At most 100%."));

    // Rows: a comparable's negative price and an unreadable adjustment line.
    let market = [
        ("method", "market_comparables"),
        ("comp_name_0", "许可甲"),
        ("comp_price_0", "100000"),
        ("comp_adjustments_0", "技术 +10%\n时间"),
        ("comp_name_2", "许可乙"),
        ("comp_price_2", "-1"),
    ];
    let page = banker.post("/valuation?lang=zh-CN", &market, true).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("第 2 行："), "the adjustment's line");
    let ambiguous = with(&ROYALTY, &[("revenues", "1,000,000")]);
    let page = banker.post("/valuation", &ambiguous, true).await;
    assert!(
        page.body.contains("千分位"),
        "one line of 1,000,000 is not guessed"
    );
    let page = banker
        .post(
            "/valuation",
            &[market[0], market[1], market[2], market[4], market[5]],
            true,
        )
        .await;
    assert!(
        page.body.contains("不能为负数。")
            && page
                .body
                .contains("<td class=\"has-error\"><input type=\"text\" name=\"comp_price_2\"")
    );
}

#[tokio::test]
async fn the_other_methods_show_their_working_to_the_fen() {
    let scene = Scene::new().await;
    let banker = Session::sign_in(&scene.app, &scene.banker).await;
    // 300,000 EBITDA − 75,000 tax − 20,000 charges = 205,000; ÷ 1.1 = 186,363.64.
    let excess = [
        ("method", "excess_earnings"),
        ("revenues", "1000000"),
        ("ebitda_margin_pct", "30"),
        ("charge_asset_0", "营运资金"),
        ("charge_rate_0", "2"),
        ("discount_rate_pct", "10"),
        ("tax_rate_pct", "25"),
    ];
    let page = banker.post("/valuation", &excess, true).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("186,363.64") && page.body.contains("205,000.00"));
    // (110,000 + 120,000) ÷ 2 = 115,000.
    let market = [
        ("method", "market_comparables"),
        ("comp_name_0", "许可甲"),
        ("comp_price_0", "100,000"),
        ("comp_adjustments_0", "技术 +10%"),
        ("comp_name_1", "许可乙"),
        ("comp_price_1", "120000"),
        ("comp_weight_1", "1"),
    ];
    let page = banker.post("/valuation?lang=en", &market, true).await;
    assert!(page.body.contains("115,000.00") && page.body.contains("110,000.00"));
    // 1,000,000 + 10 % = 1,100,000; less 20 % then 5 %: 836,000.
    let cost = [
        ("method", "cost"),
        ("item_name_0", "研发人工"),
        ("item_amount_0", "800000"),
        ("item_name_1", "材料"),
        ("item_amount_1", "200000"),
        ("profit_rate_pct", "10"),
        ("functional_obsolescence_pct", "20"),
        ("economic_obsolescence_pct", "5"),
    ];
    let page = banker.post("/valuation", &cost, true).await;
    assert!(page.body.contains("836,000.00") && page.body.contains("1,100,000.00"));
    assert!(page.body.contains("76.00%"), "the share remaining");
}

#[tokio::test]
async fn the_royalty_rate_look_up_prefills_the_mid_point_exactly() {
    let scene = Scene::new().await;
    let banker = Session::sign_in(&scene.app, &scene.banker).await;
    let base = [
        ("method", "relief_from_royalty"),
        ("revenues", "1000000"),
        ("action", "lookup"),
    ];
    // C3971 climbs to C39: 4%–5.5%, mid 4.75%.
    let page = banker
        .post(
            "/valuation",
            &with(&base, &[("lookup_industry", "C3971")]),
            true,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("name=\"royalty_rate_pct\" value=\"4.75\"")
    );
    assert!(
        page.body.contains("1000000</textarea>"),
        "the other fields are kept"
    );
    assert!(
        !page.body.contains("valuation-result"),
        "nothing is valued yet"
    );
    // A right classed H01L 21/56 is in C39 by the concordance; A61K 31/00 in C27.
    let mut right = invention(62, &scene.enterprise_name, &scene.uscc);
    right["ipc_main"] = json!("H01L 21/56");
    let created = scene
        .app
        .post("/api/v1/rights", Some(&scene.admin.token), &right)
        .await;
    let number = created.body["number"].as_str().unwrap().to_string();
    let page = banker
        .post(
            "/valuation",
            &with(&base, &[("lookup_number", &number)]),
            true,
        )
        .await;
    assert!(
        page.body
            .contains("name=\"royalty_rate_pct\" value=\"4.75\"")
    );
    let guidance = scene
        .app
        .get("/api/v1/royalty-rates/guidance?ipc=A61K%2031/00", None)
        .await;
    let mid_bp = guidance.body["range"]["mid_bp"].as_i64().unwrap();
    let expected = ipyun_domain::valuation::Decimal::new(mid_bp, 2).normalize();
    let page = banker
        .post(
            "/valuation",
            &with(&base, &[("lookup_ipc", "A61K 31/00")]),
            true,
        )
        .await;
    assert!(
        page.body
            .contains(&format!("name=\"royalty_rate_pct\" value=\"{expected}\""))
    );
    let page = banker
        .post(
            "/valuation?lang=en",
            &with(&base, &[("lookup_industry", "Z99")]),
            true,
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("Not an industry code of GB/T 4754"));
    let prefilled = banker.get(&format!("/valuation?right={number}")).await;
    assert!(
        prefilled
            .body
            .contains(&format!("name=\"lookup_number\" value=\"{number}\""))
    );
    assert!(
        prefilled
            .body
            .contains(&format!("name=\"right_number\" value=\"{number}\""))
    );
}

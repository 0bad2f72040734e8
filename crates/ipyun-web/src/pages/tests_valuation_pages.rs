//! The royalty-rate table (public, with licence-fee guidance exact to the fen) and the appraiser
//! registry (signed-in users) over HTTP, on the real server and database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests_pledge_support::{Scene, Session, anonymous};
use ipyun_test_support::StatusCode;
use serde_json::json;

#[tokio::test]
async fn royalty_rates_are_public_with_fees_exact_to_the_fen() {
    let scene = Scene::new().await;
    let app = &scene.app;
    let page = anonymous(app, "/royalty-rates").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("许可费率参考表") && page.body.contains("reference-banner"));
    assert!(
        page.body
            .contains("href=\"/royalty-rates\" class=\"active\"")
    );
    assert_eq!(
        page.body.matches("<td class=\"date\">").count(),
        18,
        "every range"
    );
    let asked = "/royalty-rates?industry=C3971&revenue_yuan=12%2C345%2C678.91";
    let page = anonymous(app, asked).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for shown in [
        "12,345,678.91",
        "493,827.16",
        "586,419.75",
        "679,012.34",
        "4.00%",
        "5.50%",
    ] {
        assert!(page.body.contains(shown), "{shown}");
    }
    let english = anonymous(app, &format!("{asked}&lang=en")).await;
    assert!(english.body.contains("Licence-fee guidance") && english.body.contains("586,419.75"));
    assert!(english.body.contains("reference ranges shipped with ipyun"));
    // Industries are named in English where the table has a name (C39), in Chinese below (C3971).
    assert!(
        english
            .body
            .contains("Manufacture of computers, communication and other electronic equipment")
            && english.body.contains("Manufacture of medicines")
            && english.body.contains("电子真空器件制造")
            && !english.body.contains("计算机、通信和其他电子设备制造业")
    );
    assert!(page.body.contains("计算机、通信和其他电子设备制造业"));
    let bad = anonymous(app, "/royalty-rates?industry=C39&revenue_yuan=1.234").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("最多两位小数"));
    let unknown = anonymous(app, "/royalty-rates?industry=Z99&lang=en").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(unknown.body.contains("Not an industry code"));
}

#[tokio::test]
async fn the_appraiser_registry_lists_qualifications_for_signed_in_users() {
    let scene = Scene::new().await;
    let app = &scene.app;
    let appraiser = app.organisation("appraiser", "中联资产评估有限公司").await;
    let profile = json!({"qualification_no": "11020001", "qualified_since": "2015-06-01", "fields": ["h", "C39"]});
    let recorded = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/appraisers/{appraiser}"),
            Some(&scene.admin.token),
            &profile,
        )
        .await;
    assert_eq!(recorded.status, StatusCode::NO_CONTENT);
    let owner = Session::sign_in(app, &scene.owner).await;
    let page = owner.get("/appraisers").await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "评估机构名录",
        "中联资产评估有限公司",
        "11020001",
        "2015-06-01",
        ">C39<",
        ">H<",
    ] {
        assert!(page.body.contains(shown), "{shown}");
    }
    assert!(
        page.body
            .contains(&format!("href=\"/parties/{appraiser}\""))
    );
    let english = owner.get("/appraisers?lang=en").await;
    assert!(
        english.body.contains("Appraiser registry")
            && english.body.contains("Qualification certificate")
    );
}

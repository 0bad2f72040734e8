//! The product catalogue over the API (issue 6, F1): a lender publishes a loan product, anyone
//! lists and reads it without signing in, the publisher revises it (a new version) and
//! withdraws it; other lenders, insurers publishing loans, and bad drafts are refused.

use super::loans::{created, ok};
use super::pledges::Scene;
use ipyun_test_support::StatusCode;
use serde_json::{Value, json};

fn loan_product(name: &str) -> Value {
    json!({"kind": "loan", "name": name, "description": "面向科技型中小企业的专利质押贷款",
           "amount_min_fen": 10_000_000, "amount_max_fen": 1_000_000_000,
           "rate_min_pct": "3.45", "rate_max_pct": "5.5", "months_min": 6, "months_max": 36,
           "right_kinds": ["invention", "utility_model"], "regions": ["320000"],
           "ltv_cap_bp": 5_000, "repayment_methods": ["equal_instalment", "interest_only"],
           "valid_from": "2026-01-01", "valid_until": "2027-12-31"})
}

#[tokio::test]
async fn a_lender_publishes_revises_and_withdraws_a_product_anyone_can_read() {
    let scene = Scene::new().await;
    let banker = &scene.banker;
    let published = scene
        .app
        .post(
            "/api/v1/products",
            Some(&banker.token),
            &loan_product("苏知贷"),
        )
        .await;
    created(&published);
    let product = &published.body["product"];
    let id = product["id"].as_i64().unwrap();
    assert_eq!(product["version"], 1);
    assert_eq!(product["offered"], true);
    assert_eq!(product["publisher_id"], scene.lender_id);
    assert_eq!(product["terms"]["rate_min_ppm"], 34_500);
    assert_eq!(product["terms"]["ltv_cap_bp"], 5_000);

    // Public: listed and read without signing in, filtered by kind and amount.
    let listed = scene.app.get("/api/v1/products?kind=loan", None).await;
    ok(&listed);
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["items"][0]["terms"]["name"], "苏知贷");
    let too_big = scene
        .app
        .get("/api/v1/products?amount_fen=2000000000", None)
        .await;
    assert_eq!(too_big.body["total"], 0);
    let insurance = scene
        .app
        .get("/api/v1/products?kind=infringement_insurance", None)
        .await;
    assert_eq!(insurance.body["total"], 0);
    let path = format!("/api/v1/products/{id}");
    ok(&scene.app.get(&path, None).await);

    // A revision is the next version; the first is kept.
    let mut revised = loan_product("苏知贷（2027版）");
    revised["rate_min_pct"] = json!("3.2");
    let answer = scene
        .app
        .send_json(reqwest::Method::PUT, &path, Some(&banker.token), &revised)
        .await;
    ok(&answer);
    assert_eq!(answer.body["product"]["version"], 2);
    let versions = answer.body["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["terms"]["rate_min_ppm"], 34_500);
    assert_eq!(versions[1]["terms"]["rate_min_ppm"], 32_000);
    let mut other_kind = loan_product("改成保险");
    other_kind["kind"] = json!("guarantee");
    other_kind.as_object_mut().unwrap().remove("ltv_cap_bp");
    other_kind
        .as_object_mut()
        .unwrap()
        .remove("repayment_methods");
    let refused = scene
        .app
        .send_json(
            reqwest::Method::PUT,
            &path,
            Some(&banker.token),
            &other_kind,
        )
        .await;
    assert_eq!(
        refused.error_fields(),
        vec![("kind".to_string(), "changed".to_string())]
    );

    // Another lender may not touch it; an enterprise may not publish; an insurer publishes no loan.
    let rival_party = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_party)).await;
    let by_rival = scene
        .app
        .send_json(reqwest::Method::PUT, &path, Some(&rival.token), &revised)
        .await;
    assert_eq!(by_rival.status, StatusCode::FORBIDDEN);
    let by_owner = scene
        .app
        .post(
            "/api/v1/products",
            Some(&scene.owner.token),
            &loan_product("x"),
        )
        .await;
    assert_eq!(by_owner.status, StatusCode::FORBIDDEN);
    let insurer_party = scene.app.organisation("insurer", "测试财产保险公司").await;
    let insurer = scene
        .app
        .user("insurer", "insurer", Some(insurer_party))
        .await;
    let wrong = scene
        .app
        .post("/api/v1/products", Some(&insurer.token), &loan_product("x"))
        .await;
    assert_eq!(
        wrong.error_fields(),
        vec![("kind".to_string(), "not_your_kind".to_string())]
    );
    let mut cover = loan_product("知识产权侵权责任险");
    cover["kind"] = json!("infringement_insurance");
    cover.as_object_mut().unwrap().remove("ltv_cap_bp");
    cover.as_object_mut().unwrap().remove("repayment_methods");
    created(
        &scene
            .app
            .post("/api/v1/products", Some(&insurer.token), &cover)
            .await,
    );

    // Bad drafts: every fault named; unknown fields refused.
    let mut bad = loan_product("");
    bad["amount_max_fen"] = json!(1);
    bad["regions"] = json!(["999999"]);
    let answer = scene
        .app
        .post("/api/v1/products", Some(&banker.token), &bad)
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let fields: Vec<String> = answer
        .error_fields()
        .into_iter()
        .map(|(field, _)| field)
        .collect();
    for field in ["name", "amount_max_fen", "regions[0]"] {
        assert!(fields.contains(&field.to_string()), "{field} in {fields:?}");
    }
    let mut unknown = loan_product("x");
    unknown["colour"] = json!("red");
    assert_eq!(
        scene
            .app
            .post("/api/v1/products", Some(&banker.token), &unknown)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // Withdrawn: off the public list, still readable, listed to its publisher with all=true.
    let withdraw = format!("{path}/withdraw");
    let blank = scene
        .app
        .post(&withdraw, Some(&banker.token), &json!({"reason": " "}))
        .await;
    assert_eq!(blank.status, StatusCode::BAD_REQUEST);
    let withdrawn = scene
        .app
        .post(
            &withdraw,
            Some(&banker.token),
            &json!({"reason": "额度用尽"}),
        )
        .await;
    ok(&withdrawn);
    assert_eq!(withdrawn.body["product"]["status"], "withdrawn");
    assert_eq!(withdrawn.body["product"]["offered"], false);
    let listed = scene.app.get("/api/v1/products?kind=loan", None).await;
    assert_eq!(listed.body["total"], 0);
    let mine = format!("/api/v1/products?publisher_id={}&all=true", scene.lender_id);
    assert_eq!(
        scene.app.get(&mine, Some(&banker.token)).await.body["total"],
        1
    );
    assert_eq!(
        scene.app.get(&mine, Some(&rival.token)).await.status,
        StatusCode::FORBIDDEN
    );
    let again = scene
        .app
        .post(&withdraw, Some(&banker.token), &json!({"reason": "again"}))
        .await;
    assert_eq!(again.error_code(), "product.withdrawn");
    assert_eq!(
        scene.app.get("/api/v1/products/999999", None).await.status,
        StatusCode::NOT_FOUND
    );
}

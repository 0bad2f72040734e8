//! Matchmaking over the API (issue 6, F3): a demand's products ranked — the better fit first,
//! the ineligible ones left out unless asked for and then each with its failed rule in words,
//! the loan-to-value cap checked against a real valuation of the offered right; a product's
//! demands and prospects ranked for its publisher only, a lender never seeing a demand not
//! shared with it.

use super::loans::{created, get, ok};
use super::pledges::Scene;
use ipyun_test_support::{StatusCode, TestUser, invention};
use serde_json::{Value, json};

/// A loan product of `min`–`max` fen, `months` months, at `rates` percent, in `regions`.
fn loan(
    name: &str,
    (min, max): (i64, i64),
    months: (u32, u32),
    rates: (&str, &str),
    regions: &[&str],
    cap: u32,
) -> Value {
    json!({"kind": "loan", "name": name, "amount_min_fen": min, "amount_max_fen": max,
           "rate_min_pct": rates.0, "rate_max_pct": rates.1, "months_min": months.0, "months_max": months.1,
           "right_kinds": ["invention"], "regions": regions, "ltv_cap_bp": cap,
           "repayment_methods": ["equal_instalment"], "valid_from": "2026-01-01"})
}

async fn publish(scene: &Scene, user: &TestUser, product: &Value) -> i64 {
    let answer = scene
        .app
        .post("/api/v1/products", Some(&user.token), product)
        .await;
    created(&answer);
    answer.body["product"]["id"].as_i64().unwrap()
}

async fn demand(
    scene: &Scene,
    user: &TestUser,
    amount: i64,
    rights: &[&str],
    shared: &[i64],
) -> i64 {
    let answer = scene
        .app
        .post(
            "/api/v1/demands",
            Some(&user.token),
            &json!({"amount_fen": amount, "months": 12, "purpose": "研发投入",
                    "rights": rights, "shared_with": shared}),
        )
        .await;
    created(&answer);
    answer.body["id"].as_i64().unwrap()
}

/// Another enterprise in 320505 with a user and an invention of its own.
async fn enterprise(scene: &Scene, name: &str, serial: u32, user: &str) -> (i64, TestUser, String) {
    let (id, uscc) = scene.app.enterprise(name, serial, None).await;
    let owner = scene.app.user(user, "enterprise", Some(id)).await;
    let right = scene
        .app
        .post(
            "/api/v1/rights",
            Some(&scene.admin.token),
            &invention(serial * 10, name, &uscc),
        )
        .await;
    created(&right);
    (
        id,
        owner,
        right.body["number"].as_str().unwrap().to_string(),
    )
}

fn ids(list: &Value, key: &str) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|entry| entry[key].as_i64().unwrap())
        .collect()
}

fn score(entry: &Value) -> i64 {
    entry["explanation"]["score_bp"].as_i64().unwrap()
}

#[tokio::test]
async fn a_demand_sees_the_better_fit_first_and_the_ineligible_with_their_reasons() {
    let scene = Scene::new().await;
    let (banker, owner) = (&scene.banker, &scene.owner);
    let number = scene.right(61, |_| {}).await;
    // Mid-range amount and term, low rate, its city: the best fit.
    let fit = publish(
        &scene,
        banker,
        &loan(
            "苏科贷",
            (1_000_000, 5_000_000),
            (6, 18),
            ("3.0", "4.0"),
            &["320500"],
            5_000,
        ),
    )
    .await;
    // The amount and term at the bottom of the ranges, dearer, nationwide: eligible, lower.
    let loose = publish(
        &scene,
        banker,
        &loan(
            "普惠贷",
            (2_900_000, 50_000_000),
            (12, 60),
            ("5.0", "7.0"),
            &[],
            5_000,
        ),
    )
    .await;
    // Capped at 20 % of the collateral's value: out once the right is valued.
    let tight = publish(
        &scene,
        banker,
        &loan(
            "稳健贷",
            (1_000_000, 5_000_000),
            (6, 18),
            ("3.0", "4.0"),
            &["320500"],
            2_000,
        ),
    )
    .await;
    // Another province.
    let away = publish(
        &scene,
        banker,
        &loan(
            "浙知贷",
            (1_000_000, 5_000_000),
            (6, 18),
            ("3.0", "4.0"),
            &["330100"],
            5_000,
        ),
    )
    .await;
    let id = demand(&scene, owner, 3_000_000, &[&number], &[scene.lender_id]).await;
    let path = format!("/api/v1/demands/{id}/matches");

    // No valuation yet: the cap cannot be checked, the collateral scores neutral.
    let before = get(&scene, &path, owner).await;
    ok(&before);
    assert_eq!(
        (
            before.body["evaluated"].as_i64(),
            before.body["eligible"].as_i64()
        ),
        (Some(4), Some(3))
    );
    assert_eq!(
        ids(&before.body["matches"], "product_id"),
        [fit, tight, loose]
    );
    assert!(before.body.get("ineligible").is_none());
    let collateral = &before.body["matches"][0]["explanation"]["parts"][3];
    assert_eq!(collateral["part"], "collateral");
    assert_eq!(collateral["reason_zh"], "质押物尚无评估价值，按中性计分");

    // A real valuation of the offered right: 9,839,650 fen.
    let inputs = json!({"method": "relief_from_royalty", "revenues": ["1000000", "1100000", "1200000"],
        "royalty_rate_pct": "5", "discount_rate_pct": "12", "tax_rate_pct": "25"});
    let valued = scene
        .app
        .post(
            "/api/v1/valuations",
            Some(&banker.token),
            &json!({"purpose": "pledge", "right_number": number, "inputs": inputs}),
        )
        .await;
    created(&valued);
    assert_eq!(valued.body["record"]["value_fen"], 9_839_650);

    let after = get(&scene, &format!("{path}?include_ineligible=true"), owner).await;
    ok(&after);
    let matches = &after.body["matches"];
    assert_eq!(ids(matches, "product_id"), [fit, loose]);
    assert!(score(&matches[0]) > score(&matches[1]), "{matches}");
    let best = &matches[0]["explanation"];
    assert_eq!(best["eligible"], true);
    let parts = best["parts"].as_array().unwrap();
    let names: Vec<&str> = parts
        .iter()
        .map(|part| part["part"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "amount",
            "term",
            "cost",
            "collateral",
            "area",
            "designation"
        ]
    );
    assert_eq!(
        parts
            .iter()
            .map(|part| part["points_bp"].as_i64().unwrap())
            .sum::<i64>(),
        score(&matches[0])
    );
    assert_eq!(
        parts[0]["reason_zh"],
        "融资金额3万元处于中段（产品额度1万元–5万元）"
    );
    // 3,000,000 / 9,839,650 = 30.49 %, under the 50 % cap.
    assert_eq!(
        parts[3]["reason_zh"],
        "质押率30.49%，在产品上限50.00%以内，余量适中"
    );
    assert_eq!(parts[4]["reason_zh"], "产品面向企业所在地区（320500）");
    let worse = &matches[1]["explanation"]["parts"];
    assert_eq!(
        worse[0]["reason_zh"],
        "融资金额3万元接近下限（产品额度2.9万元–50万元）"
    );
    assert!(worse[2]["points_bp"].as_i64() < parts[2]["points_bp"].as_i64());

    let ineligible = &after.body["ineligible"];
    assert_eq!(ids(ineligible, "product_id"), [tight, away]);
    let reasons: Vec<(&str, &str)> = ineligible
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let found = &entry["explanation"]["mismatches"][0];
            (
                found["code"].as_str().unwrap(),
                found["label_zh"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("above_ltv_cap", "融资金额超过质押率上限"),
            ("outside_area", "企业不在产品服务的地区或园区")
        ]
    );
    assert_eq!(ineligible[0]["explanation"]["eligible"], false);
    assert!(ineligible[0]["explanation"].get("score_bp").is_none());

    // The lender it is shared with sees the same; another lender learns nothing; bad limits are named.
    let shared = get(&scene, &format!("{path}?limit=1"), banker).await;
    assert_eq!(ids(&shared.body["matches"], "product_id"), [fit]);
    let rival_party = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_party)).await;
    assert_eq!(
        get(&scene, &path, &rival).await.status,
        StatusCode::NOT_FOUND
    );
    let bad = get(&scene, &format!("{path}?limit=0"), owner).await;
    assert_eq!(
        bad.error_fields(),
        vec![("limit".to_string(), "out_of_range".to_string())]
    );
    let unknown = get(&scene, &format!("{path}?sort=score"), owner).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    // A dropped demand is matched no more.
    ok(&scene
        .app
        .post(
            &format!("/api/v1/demands/{id}/stage"),
            Some(&owner.token),
            &json!({"stage": "dropped"}),
        )
        .await);
    let dropped = get(&scene, &path, owner).await;
    assert_eq!(
        (dropped.status, dropped.error_code()),
        (StatusCode::CONFLICT, "demand.not_open")
    );
}

#[tokio::test]
async fn a_product_ranks_only_the_demands_its_lender_may_see_and_the_prospects_in_its_area() {
    let scene = Scene::new().await;
    let banker = &scene.banker;
    let rival_party = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_party)).await;
    let terms = loan(
        "苏科贷",
        (1_000_000, 5_000_000),
        (6, 18),
        ("3.0", "4.0"),
        &["320500"],
        5_000,
    );
    let product = publish(&scene, banker, &terms).await;
    let rivals_product = publish(&scene, &rival, &terms).await;

    // Shared with the banker: mid-range. Shared with every lender: near the top of the range.
    let number = scene.right(62, |_| {}).await;
    let mine = demand(
        &scene,
        &scene.owner,
        3_000_000,
        &[&number],
        &[scene.lender_id],
    )
    .await;
    let (_, second_owner, second_right) =
        enterprise(&scene, "常州新材料有限公司", 2, "second").await;
    let open = demand(&scene, &second_owner, 4_900_000, &[&second_right], &[]).await;
    // Shared with the rival only.
    let (_, third_owner, third_right) = enterprise(&scene, "无锡微电子有限公司", 3, "third").await;
    let theirs = demand(
        &scene,
        &third_owner,
        3_000_000,
        &[&third_right],
        &[rival_party],
    )
    .await;
    // Too big for the product: visible, not eligible.
    let (_, fourth_owner, fourth_right) = enterprise(&scene, "南通装备有限公司", 4, "fourth").await;
    demand(&scene, &fourth_owner, 90_000_000, &[&fourth_right], &[]).await;

    let path = format!("/api/v1/products/{product}/matches");
    let ranked = get(&scene, &path, banker).await;
    ok(&ranked);
    assert_eq!(ranked.body["evaluated"], 3);
    assert_eq!(ranked.body["eligible"], 2);
    assert_eq!(ids(&ranked.body["matches"], "demand_id"), [mine, open]);
    let matches = &ranked.body["matches"];
    assert!(score(&matches[0]) > score(&matches[1]));
    assert_eq!(
        matches[0]["enterprise_name"],
        scene.enterprise_name.as_str()
    );
    assert_eq!(
        matches[1]["explanation"]["parts"][0]["reason_zh"],
        "融资金额4.9万元接近上限（产品额度1万元–5万元）"
    );

    // The rival never sees the banker's demand, nor the banker the rival's.
    let rivals = get(
        &scene,
        &format!("/api/v1/products/{rivals_product}/matches"),
        &rival,
    )
    .await;
    ok(&rivals);
    assert_eq!(ids(&rivals.body["matches"], "demand_id"), [theirs, open]);
    for (user, foreign) in [(&rival, product), (banker, rivals_product)] {
        for what in ["matches", "prospects"] {
            let refused = get(&scene, &format!("/api/v1/products/{foreign}/{what}"), user).await;
            assert_eq!(
                (refused.status, refused.error_code()),
                (StatusCode::NOT_FOUND, "product.not_found")
            );
        }
    }
    let by_owner = get(&scene, &path, &scene.owner).await;
    assert_eq!(by_owner.status, StatusCode::NOT_FOUND);
    // Administrators read every open demand.
    let all = get(&scene, &path, &scene.admin).await;
    ok(&all);
    assert_eq!(all.body["evaluated"], 4);
    assert_eq!(ids(&all.body["matches"], "demand_id"), [mine, theirs, open]);

    // Prospects: enterprises without an open demand, with a live invention, in Suzhou's
    // province… the product serves 320500 (Suzhou): all test enterprises are in 320505.
    let (_, _, prospect_right) = enterprise(&scene, "昆山光电有限公司", 5, "fifth").await;
    let (_, _, lapsed_right) = enterprise(&scene, "太仓精密有限公司", 6, "sixth").await;
    scene.set_status(&lapsed_right, "lapsed_unpaid_fee").await;
    let prospects = get(
        &scene,
        &format!("/api/v1/products/{product}/prospects"),
        banker,
    )
    .await;
    ok(&prospects);
    assert_eq!(prospects.body["amount_fen"], 3_000_000);
    assert_eq!(prospects.body["months"], 12);
    let names: Vec<&str> = prospects.body["prospects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["enterprise_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["昆山光电有限公司"], "{}", prospects.body);
    let prospect = &prospects.body["prospects"][0];
    assert_eq!(prospect["rights"], 1);
    assert_eq!(
        prospect["explanation"]["parts"][3]["reason_zh"],
        "质押物尚无评估价值，按中性计分"
    );
    assert!(!prospect_right.is_empty());

    // A withdrawn product is matched no more.
    ok(&scene
        .app
        .post(
            &format!("/api/v1/products/{product}/withdraw"),
            Some(&banker.token),
            &json!({"reason": "额度用完"}),
        )
        .await);
    let withdrawn = get(&scene, &path, banker).await;
    assert_eq!(
        (withdrawn.status, withdrawn.error_code()),
        (StatusCode::CONFLICT, "product.withdrawn")
    );
}

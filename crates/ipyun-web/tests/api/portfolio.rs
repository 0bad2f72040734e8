//! `GET /api/v1/parties/{id}/portfolio-valuation`: a party's patents valued at once, for those who
//! may see its rights; and the portfolio's faults naming the right at fault.

use super::pledges::Scene;
use ipyun_test_support::StatusCode;
use serde_json::json;

fn mid_sum(body: &serde_json::Value) -> i64 {
    body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["mid_fen"].as_i64())
                .sum()
        })
        .unwrap_or(-1)
}

#[tokio::test]
async fn a_partys_patents_in_force_are_valued_for_those_who_may_see_them() {
    let scene = Scene::new().await;
    let first = scene.right(81, |_| {}).await;
    let _second = scene.right(82, |_| {}).await;
    let ended = scene.right(83, |_| {}).await;
    scene.set_status(&ended, "invalidated").await;
    let path = format!(
        "/api/v1/parties/{}/portfolio-valuation?purpose=licence",
        scene.enterprise_id
    );

    let own = scene.app.get(&path, Some(&scene.owner.token)).await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
    assert_eq!(own.body["purpose"], "licence");
    assert_eq!(
        own.body["items"].as_array().map(Vec::len),
        Some(2),
        "the invalidated one is left out"
    );
    assert_eq!(own.body["mid_fen"].as_i64(), Some(mid_sum(&own.body)));
    assert_eq!(own.body["truncated"], 0);
    assert_eq!(own.body["skipped"], json!([]));
    let lender = scene.app.get(&path, Some(&scene.banker.token)).await;
    assert_eq!(lender.status, StatusCode::OK);
    assert_eq!(lender.body["mid_fen"], own.body["mid_fen"]);

    let (other_id, _) = scene.app.enterprise("无锡旁观科技有限公司", 9, None).await;
    let other = scene.app.user("other", "enterprise", Some(other_id)).await;
    let refused = scene.app.get(&path, Some(&other.token)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.error_code(), "portfolio.forbidden");
    assert!(!refused.body.to_string().contains(&first));
    let theirs = scene
        .app
        .get(
            &format!("/api/v1/parties/{other_id}/portfolio-valuation"),
            Some(&other.token),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert_eq!(theirs.body["purpose"], "pledge", "pledge by default");
    assert_eq!(theirs.body["items"], json!([]));
    assert_eq!(theirs.body["mid_fen"], 0);

    let missing = scene
        .app
        .get(
            "/api/v1/parties/999999/portfolio-valuation",
            Some(&scene.admin.token),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_code(), "party.not_found");
    let bogus = scene
        .app
        .get(
            &format!(
                "/api/v1/parties/{}/portfolio-valuation?purpose=bogus",
                scene.enterprise_id
            ),
            Some(&scene.admin.token),
        )
        .await;
    assert_eq!(bogus.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bogus.error_fields(),
        vec![("purpose".to_string(), "unknown_purpose".to_string())]
    );
    let bad_id = scene
        .app
        .get(
            "/api/v1/parties/abc/portfolio-valuation",
            Some(&scene.admin.token),
        )
        .await;
    assert_eq!(
        bad_id.status,
        StatusCode::NOT_FOUND,
        "as for any unreadable id"
    );
    assert!(!bad_id.error_code().is_empty());
    let anonymous = scene.app.get(&path, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_portfolio_names_the_right_it_cannot_find() {
    let scene = Scene::new().await;
    let first = scene.right(84, |_| {}).await;
    let absent = ipyun_test_support::test_application_no(85);
    let answer = scene
        .app
        .post(
            "/api/v1/portfolio-valuations",
            Some(&scene.owner.token),
            &json!({"numbers": [first, absent]}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.error_code(), "right.not_found");
    assert_eq!(
        answer.error_fields(),
        vec![("numbers[1]".to_string(), "not_found".to_string())]
    );
    let valued = scene
        .app
        .post(
            "/api/v1/portfolio-valuations",
            Some(&scene.owner.token),
            &json!({"numbers": [first]}),
        )
        .await;
    assert_eq!(valued.status, StatusCode::OK);
    assert_eq!(valued.body["truncated"], 0);
}

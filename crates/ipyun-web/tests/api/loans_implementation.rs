//! Implementation of pledged patents over the API (issue 7, L6): the holder declares yearly,
//! the rate and coverage by lender follow, a new declaration replaces the last; only the
//! holder declares, only for a year its patent was pledged in; lenders see only their own.

use super::loans::{created, get, ok};
use super::pledges::{Scene, application};
use ipyun_test_support::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_implementation_rate_follows_the_holders_declarations() {
    let scene = Scene::new().await;
    let first = scene.right(61, |_| {}).await;
    let second = scene.right(62, |_| {}).await;
    let unpledged = scene.right(63, |_| {}).await;
    let registered = scene
        .register(&application(&scene, &[&first, &second]))
        .await;
    assert_eq!(
        registered.body["status"], "registered",
        "{:?}",
        registered.body
    );
    let declare = |number: &str, implemented: bool| json!({"right_number": number, "year": 2026, "implemented": implemented, "note": "用于锂电池隔膜产线"});
    let path = "/api/v1/implementation-declarations";
    let owner = &scene.owner;
    created(
        &scene
            .app
            .post(path, Some(&owner.token), &declare(&first, true))
            .await,
    );
    created(
        &scene
            .app
            .post(path, Some(&owner.token), &declare(&second, false))
            .await,
    );

    let report = "/api/v1/loan-stats/implementation?year=2026&by=lender";
    let answer = get(&scene, report, &scene.banker).await;
    ok(&answer);
    let row = &answer.body["rows"][0];
    assert_eq!(row["key"], scene.lender_id.to_string());
    assert_eq!(
        (
            row["pledged"].as_u64(),
            row["declared"].as_u64(),
            row["implemented"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(row["rate_bp"], 5_000);
    assert_eq!(row["coverage_bp"], 10_000);

    // The second patent went into production after all: the new declaration replaces the old.
    created(
        &scene
            .app
            .post(path, Some(&owner.token), &declare(&second, true))
            .await,
    );
    let answer = get(&scene, report, &scene.banker).await;
    assert_eq!(answer.body["total"]["implemented"], 2);
    assert_eq!(answer.body["total"]["rate_bp"], 10_000);

    // Refusals name their ground.
    let fields = |answer: &ipyun_test_support::Answer| answer.error_fields();
    let future = json!({"right_number": first, "year": 2027, "implemented": true});
    assert_eq!(
        fields(&scene.app.post(path, Some(&owner.token), &future).await),
        vec![("year".to_string(), "out_of_range".to_string())]
    );
    let before = json!({"right_number": first, "year": 2025, "implemented": true});
    assert_eq!(
        fields(&scene.app.post(path, Some(&owner.token), &before).await),
        vec![("right_number".to_string(), "not_pledged".to_string())]
    );
    assert_eq!(
        fields(
            &scene
                .app
                .post(path, Some(&owner.token), &declare(&unpledged, true))
                .await
        ),
        vec![("right_number".to_string(), "not_pledged".to_string())]
    );
    let (other, _) = scene.app.enterprise("另一家科技有限公司", 7, None).await;
    let stranger = scene.app.user("stranger", "enterprise", Some(other)).await;
    assert_eq!(
        fields(
            &scene
                .app
                .post(path, Some(&stranger.token), &declare(&first, false))
                .await
        ),
        vec![("right_number".to_string(), "not_found".to_string())]
    );
    assert_eq!(
        scene
            .app
            .post(path, Some(&scene.banker.token), &declare(&first, false))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let unknown = json!({"right_number": first, "year": 2026, "implemented": true, "extra": 1});
    assert_eq!(
        scene
            .app
            .post(path, Some(&owner.token), &unknown)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // Another lender sees nothing of it; an enterprise sees no statistics; offices see theirs.
    let rival_party = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_party)).await;
    let answer = get(&scene, report, &rival).await;
    assert_eq!(answer.body["total"]["pledged"], 0);
    assert_eq!(answer.body["rows"], json!([]));
    assert_eq!(
        get(&scene, report, owner).await.status,
        StatusCode::FORBIDDEN
    );
    let by_region = get(
        &scene,
        "/api/v1/loan-stats/implementation?year=2026&by=region",
        &scene.admin,
    )
    .await;
    assert_eq!(by_region.body["rows"][0]["key"], "320000");
    assert_eq!(by_region.body["rows"][0]["implemented"], 2);
}

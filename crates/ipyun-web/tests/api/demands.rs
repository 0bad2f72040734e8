//! A financing demand through the whole pipeline over the API (issue 6, F2): published by the
//! enterprise and shared with one lender, matched, in talks, approved, registered (its pledge),
//! disbursed (its loan), closed — each stage dated, the time to money and the conversion
//! counted; other lenders learn nothing; stages never go back.

use super::loans::{created, get, interest_only, ok};
use super::pledges::{Scene, application};
use chrono::Duration;
use ipyun_test_support::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_demand_walks_the_pipeline_from_published_to_closed() {
    let scene = Scene::new().await;
    let (banker, owner) = (&scene.banker, &scene.owner);
    let number = scene.right(51, |_| {}).await;
    let rival_party = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_party)).await;

    let draft = json!({"amount_fen": 500_000_000, "months": 12, "purpose": "购置锂电池隔膜生产线",
                       "rights": [number], "urgency": "high", "shared_with": [scene.lender_id]});
    assert_eq!(
        scene
            .app
            .post("/api/v1/demands", Some(&banker.token), &draft)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let published = scene
        .app
        .post("/api/v1/demands", Some(&owner.token), &draft)
        .await;
    created(&published);
    assert_eq!(published.body["stage"], "published");
    assert_eq!(published.body["terms"]["rights"][0], number.as_str());
    let id = published.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/demands/{id}");
    let stage = format!("{path}/stage");

    // Shared with the banker only.
    assert_eq!(
        get(&scene, &path, &rival).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(&scene, "/api/v1/demands", &rival).await.body, json!([]));
    assert_eq!(
        get(&scene, "/api/v1/demands", banker).await.body[0]["id"],
        id
    );
    let by_rival = scene
        .app
        .post(&stage, Some(&rival.token), &json!({"stage": "matched"}))
        .await;
    assert_eq!(by_rival.status, StatusCode::NOT_FOUND);

    for next in ["matched", "in_talks", "approved"] {
        let moved = scene
            .app
            .post(
                &stage,
                Some(&banker.token),
                &json!({"stage": next, "note": "尽调完成"}),
            )
            .await;
        ok(&moved);
        assert_eq!(moved.body["stage"], next);
    }
    let back = scene
        .app
        .post(&stage, Some(&banker.token), &json!({"stage": "matched"}))
        .await;
    assert_eq!(
        (back.status, back.error_code()),
        (StatusCode::CONFLICT, "demand.stage")
    );

    // Registered names the pledge between the parties; disbursed names the loan.
    let missing = scene
        .app
        .post(&stage, Some(&banker.token), &json!({"stage": "registered"}))
        .await;
    assert_eq!(
        missing.error_fields(),
        vec![("registration_no".to_string(), "required".to_string())]
    );
    let registered = scene.register(&application(&scene, &[&number])).await;
    let registration_no = registered.body["registration_no"]
        .as_str()
        .unwrap()
        .to_string();
    let wrong = scene
        .app
        .post(
            &stage,
            Some(&banker.token),
            &json!({"stage": "registered", "registration_no": "Y2099000000001"}),
        )
        .await;
    assert_eq!(
        wrong.error_fields(),
        vec![("registration_no".to_string(), "not_found".to_string())]
    );
    ok(&scene
        .app
        .post(
            &stage,
            Some(&banker.token),
            &json!({"stage": "registered", "registration_no": registration_no}),
        )
        .await);
    let loan = scene
        .app
        .post(
            "/api/v1/loans",
            Some(&banker.token),
            &interest_only(&[&registration_no], "JK-M-001"),
        )
        .await;
    created(&loan);
    let loan_id = loan.body["loan"]["id"].as_i64().unwrap();
    scene.app.clock.advance(Duration::days(10));
    let disbursed = scene
        .app
        .post(
            &stage,
            Some(&banker.token),
            &json!({"stage": "disbursed", "loan_id": loan_id}),
        )
        .await;
    ok(&disbursed);
    assert_eq!(disbursed.body["loan_id"], loan_id);
    assert_eq!(disbursed.body["lender_id"], scene.lender_id);
    assert_eq!(disbursed.body["days_to_money"], 10);
    let closed = scene
        .app
        .post(&stage, Some(&owner.token), &json!({"stage": "closed"}))
        .await;
    ok(&closed);
    let stages: Vec<&str> = closed.body["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "published",
            "matched",
            "in_talks",
            "approved",
            "registered",
            "disbursed",
            "closed"
        ]
    );
    let after = scene
        .app
        .post(&stage, Some(&owner.token), &json!({"stage": "dropped"}))
        .await;
    assert_eq!(after.error_code(), "demand.stage");

    // A second demand is dropped: half the enterprise's demands reached money, in 10 days.
    let mut second = draft.clone();
    second["shared_with"] = json!([]);
    let again = scene
        .app
        .post("/api/v1/demands", Some(&owner.token), &second)
        .await;
    created(&again);
    ok(&scene
        .app
        .post(
            &format!("/api/v1/demands/{}/stage", again.body["id"]),
            Some(&owner.token),
            &json!({"stage": "dropped"}),
        )
        .await);
    let report = get(&scene, "/api/v1/demand-pipeline", owner).await;
    ok(&report);
    assert_eq!(report.body["demands"], 2);
    assert_eq!(report.body["funded"], 1);
    assert_eq!(report.body["conversion_bp"], 5_000);
    assert_eq!(report.body["median_days_to_money"], 10);
    // The unshared demand is open to every lender.
    assert_eq!(
        get(&scene, "/api/v1/demands", &rival)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Another enterprise's right cannot be offered; bad input names its field.
    let (other, _) = scene.app.enterprise("另一家科技有限公司", 9, None).await;
    let stranger = scene.app.user("stranger", "enterprise", Some(other)).await;
    let refused = scene
        .app
        .post("/api/v1/demands", Some(&stranger.token), &draft)
        .await;
    assert_eq!(
        refused.error_fields(),
        vec![("rights[0]".to_string(), "not_yours".to_string())]
    );
    let bad = scene
        .app
        .post(
            "/api/v1/demands",
            Some(&owner.token),
            &json!({"amount_fen": -1, "months": 12, "purpose": "x"}),
        )
        .await;
    assert_eq!(
        bad.error_fields(),
        vec![("amount_fen".to_string(), "out_of_range".to_string())]
    );
}

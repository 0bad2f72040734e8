//! The examiner queue (P2, P3): green channel first, decisions with grounds, cures that restart
//! the clock, withdrawal, and who may do each.

use super::pledges::{Scene, application};
use ipyun_domain::party::PartyDraft;
use ipyun_test_support::{StatusCode, test_application_no, test_uscc};
use serde_json::{Value, json};

async fn in_review(scene: &Scene, body: &Value, owner_token: &str) -> i64 {
    let drafted = scene.apply(body).await;
    assert_eq!(drafted.status, StatusCode::CREATED, "{:?}", drafted.body);
    let id = drafted.body["id"].as_i64().unwrap_or_default();
    let confirmed = scene
        .app
        .post(
            &format!("/api/v1/pledge-applications/{id}/confirm"),
            Some(owner_token),
            &json!({}),
        )
        .await;
    assert_eq!(
        confirmed.body["status"], "in_review",
        "{:?}",
        confirmed.body
    );
    id
}

#[tokio::test]
async fn the_queue_puts_the_green_channel_first_and_examiners_decide_with_grounds() {
    let scene = Scene::new().await;
    let office = scene
        .app
        .organisation("ip_office", "江苏省知识产权局")
        .await;
    let examiner = scene.app.user("examiner", "examiner", Some(office)).await;

    let ordinary = in_review(
        &scene,
        &application(&scene, &[&test_application_no(901)]),
        &scene.owner.token,
    )
    .await;
    let sme_id = scene
        .app
        .party(PartyDraft {
            kind: Some("enterprise".into()),
            name: Some("专精特新测试有限公司".into()),
            uscc: Some(test_uscc(77)),
            region: Some("320505".into()),
            size_class: Some("small".into()),
            specialised_sme_year: Some(2025),
            ..PartyDraft::default()
        })
        .await;
    let sme_owner = scene.app.user("sme", "enterprise", Some(sme_id)).await;
    let mut green_body = application(&scene, &[&test_application_no(902)]);
    green_body["pledgor_id"] = json!(sme_id);
    let green = in_review(&scene, &green_body, &sme_owner.token).await;

    let queue = scene
        .app
        .get(
            "/api/v1/pledge-applications?status=in_review",
            Some(&examiner.token),
        )
        .await;
    assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
    let order: Vec<i64> = queue.body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["id"].as_i64())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(order, vec![green, ordinary]);
    assert_eq!(queue.body["items"][0]["green_channel"], true);

    // A lender sees only its own applications; a park none.
    let mine = scene
        .app
        .get("/api/v1/pledge-applications", Some(&scene.banker.token))
        .await;
    assert_eq!(mine.body["total"], 2);
    let owner_view = scene
        .app
        .get("/api/v1/pledge-applications", Some(&scene.owner.token))
        .await;
    assert_eq!(owner_view.body["total"], 1);

    // Only examiners decide; a refusal names its grounds.
    let decide = |id: i64, body: Value, token: String| {
        let app = &scene.app;
        async move {
            app.post(
                &format!("/api/v1/pledge-applications/{id}/decision"),
                Some(&token),
                &body,
            )
            .await
        }
    };
    let by_banker = decide(
        ordinary,
        json!({"decision": "register"}),
        scene.banker.token.clone(),
    )
    .await;
    assert_eq!(by_banker.status, StatusCode::FORBIDDEN);
    let groundless = decide(
        ordinary,
        json!({"decision": "refuse"}),
        examiner.token.clone(),
    )
    .await;
    assert_eq!(groundless.status, StatusCode::BAD_REQUEST);
    assert_eq!(groundless.error_code(), "pledge.grounds_required");
    let refused = decide(
        ordinary,
        json!({"decision": "refuse", "grounds": ["pledge.pledgor_not_holder"], "note": "官方登记簿记载的专利权人为他人"}),
        examiner.token.clone(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::OK, "{:?}", refused.body);
    assert_eq!(refused.body["status"], "refused");
    let ground = refused.body["findings"]
        .as_array()
        .and_then(|findings| {
            findings
                .iter()
                .find(|finding| finding["code"] == "pledge.pledgor_not_holder")
                .cloned()
        })
        .unwrap_or_default();
    assert!(
        ground["ground"]
            .as_str()
            .unwrap_or_default()
            .contains("第十二条第（一）项"),
        "{ground:?}"
    );
    assert!(
        ground["message_zh"]
            .as_str()
            .unwrap_or_default()
            .contains("官方登记簿")
    );

    let registered = decide(
        green,
        json!({"decision": "register", "note": "已核对官方登记簿"}),
        examiner.token.clone(),
    )
    .await;
    assert_eq!(
        registered.body["status"], "registered",
        "{:?}",
        registered.body
    );
    assert!(
        registered.body["registration_no"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Y2026")
    );
    let again = decide(
        green,
        json!({"decision": "refuse", "grounds": ["pledge.examiner_ground"], "note": "x"}),
        examiner.token.clone(),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_cure_restarts_the_clock_and_withdrawal_is_for_the_drafter() {
    let scene = Scene::new().await;
    let office = scene
        .app
        .organisation("ip_office", "苏州市知识产权局")
        .await;
    let examiner = scene.app.user("examiner", "examiner", Some(office)).await;
    let unknown = test_application_no(903);
    let id = in_review(
        &scene,
        &application(&scene, &[&unknown]),
        &scene.owner.token,
    )
    .await;

    let asked = scene
        .app
        .post(
            &format!("/api/v1/pledge-applications/{id}/decision"),
            Some(&examiner.token),
            &json!({"decision": "request_cure", "note": "请补充专利登记簿副本"}),
        )
        .await;
    assert_eq!(asked.body["status"], "awaiting_cure", "{:?}", asked.body);
    assert_eq!(asked.body["due_date"], "2026-11-24");

    // Two days later the enterprise cures it: due one working day after the cure.
    scene.app.clock.advance(chrono::Duration::days(2));
    let number = scene.right(904, |_| {}).await;
    let cured = scene
        .app
        .post(
            &format!("/api/v1/pledge-applications/{id}/cure"),
            Some(&scene.owner.token),
            &application(&scene, &[&number]),
        )
        .await;
    assert_eq!(cured.status, StatusCode::OK, "{:?}", cured.body);
    assert_eq!(cured.body["status"], "in_review");
    assert_eq!(cured.body["due_date"], "2026-11-26");
    assert_eq!(cured.body["findings"], json!([]));

    let other = scene
        .apply(&application(&scene, &[&test_application_no(905)]))
        .await;
    let other_id = other.body["id"].as_i64().unwrap_or_default();
    let by_owner = scene
        .app
        .post(
            &format!("/api/v1/pledge-applications/{other_id}/withdraw"),
            Some(&scene.owner.token),
            &json!({}),
        )
        .await;
    assert_eq!(by_owner.status, StatusCode::NOT_FOUND);
    let withdrawn = scene
        .app
        .post(
            &format!("/api/v1/pledge-applications/{other_id}/withdraw"),
            Some(&scene.banker.token),
            &json!({}),
        )
        .await;
    assert_eq!(
        withdrawn.body["status"], "withdrawn",
        "{:?}",
        withdrawn.body
    );
    let late = scene.confirm(&json!(other_id), &scene.owner).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
}

//! Amendment and cancellation (P5): registrations of their own, with notices, and each right's
//! whole pledge history.

use super::pledges::{Scene, application};
use ipyun_test_support::StatusCode;
use serde_json::{Value, json};

async fn registered(scene: &Scene, serial: u32) -> (String, String) {
    let number = scene.right(serial, |_| {}).await;
    let answer = scene.register(&application(scene, &[&number])).await;
    assert_eq!(answer.body["status"], "registered", "{:?}", answer.body);
    (
        number,
        answer.body["registration_no"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

#[tokio::test]
async fn an_amendment_is_drafted_by_one_party_confirmed_by_the_other_and_noticed() {
    let scene = Scene::new().await;
    let (_, pledge_no) = registered(&scene, 21).await;
    let path = format!("/api/v1/pledges/{pledge_no}/amendments");
    let body = json!({"secured_amount_fen": 600_000_000, "performance_end": "2028-06-30", "reason": "展期并增加授信"});
    let drafted = scene.app.post(&path, Some(&scene.owner.token), &body).await;
    assert_eq!(drafted.status, StatusCode::CREATED, "{:?}", drafted.body);
    assert_eq!(drafted.body["act"], "amendment");
    assert_eq!(drafted.body["status"], "awaiting_confirmation");
    let confirmed = scene.confirm(&drafted.body["id"], &scene.banker).await;
    assert_eq!(
        confirmed.body["status"], "registered",
        "{:?}",
        confirmed.body
    );
    let amendment_no = confirmed.body["registration_no"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(amendment_no.starts_with("A2026"), "{amendment_no}");

    let pledge = scene
        .app
        .get(
            &format!("/api/v1/pledges/{pledge_no}"),
            Some(&scene.banker.token),
        )
        .await;
    assert_eq!(pledge.body["secured_amount_fen"], 600_000_000);
    assert_eq!(pledge.body["performance_end"], "2028-06-30");
    let notice = scene
        .app
        .get(
            &format!("/api/v1/pledge-applications/{}/notice", drafted.body["id"]),
            Some(&scene.owner.token),
        )
        .await;
    assert_eq!(notice.body["document"]["kind"], "amendment");
    assert_eq!(notice.body["document"]["notice_no"], amendment_no.as_str());
    assert_eq!(
        notice.body["document"]["registration_no"],
        pledge_no.as_str()
    );
    assert_eq!(notice.body["document"]["secured_amount_fen"], 600_000_000);
    let code = confirmed.body["verification_code"]
        .as_str()
        .unwrap_or_default();
    let verified = scene
        .app
        .get(
            &format!("/api/v1/notices/verify?no={amendment_no}&code={code}"),
            None,
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK);

    let nothing = scene
        .app
        .post(&path, Some(&scene.owner.token), &json!({"reason": "无"}))
        .await;
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        nothing.error_fields(),
        vec![("amendment".to_string(), "nothing_changed".to_string())]
    );
    let too_long = scene
        .app
        .post(
            &path,
            Some(&scene.owner.token),
            &json!({"performance_end": "2045-01-01"}),
        )
        .await;
    let refused = scene.confirm(&too_long.body["id"], &scene.banker).await;
    assert_eq!(refused.body["status"], "refused");
    assert_eq!(
        refused.body["findings"][0]["code"],
        "pledge.performance_past_expiry"
    );

    let rival_id = scene.app.organisation("lender", "旁观银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_id)).await;
    assert_eq!(
        scene
            .app
            .post(&path, Some(&rival.token), &body)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_cancelled_pledge_frees_the_right_and_stays_in_its_history() {
    let scene = Scene::new().await;
    let (number, pledge_no) = registered(&scene, 22).await;
    let cancel = |token: String, body: Value| {
        let app = &scene.app;
        let path = format!("/api/v1/pledges/{pledge_no}/cancellations");
        async move { app.post(&path, Some(&token), &body).await }
    };
    // The enterprise alone cannot cancel on repayment: the pledgee confirms.
    let by_owner = cancel(scene.owner.token.clone(), json!({"reason": "debt_repaid"})).await;
    assert_eq!(
        by_owner.body["status"], "awaiting_confirmation",
        "{:?}",
        by_owner.body
    );
    // The pledgee repaid cancels at once.
    let by_bank = cancel(
        scene.banker.token.clone(),
        json!({"reason": "debt_repaid", "note": "贷款已结清"}),
    )
    .await;
    assert_eq!(by_bank.status, StatusCode::CREATED, "{:?}", by_bank.body);
    assert_eq!(by_bank.body["status"], "registered", "{:?}", by_bank.body);
    assert!(
        by_bank.body["registration_no"]
            .as_str()
            .unwrap_or_default()
            .starts_with("C2026")
    );
    let late = scene.confirm(&by_owner.body["id"], &scene.banker).await;
    assert_eq!(late.body["status"], "refused");
    assert_eq!(late.body["findings"][0]["code"], "pledge.pledge_not_active");

    let again = scene.register(&application(&scene, &[&number])).await;
    assert_eq!(
        again.body["status"], "registered",
        "the right is free again: {:?}",
        again.body
    );
    let history = scene
        .app
        .get(&format!("/api/v1/pledges?application_no={number}"), None)
        .await;
    assert_eq!(history.body["total"], 2);
    let statuses: Vec<&str> = history.body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["status"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(statuses, vec!["active", "cancelled"]);
    assert_eq!(history.body["items"][1]["rights"][0]["active"], false);
    assert_eq!(history.body["items"][1]["cancelled_on"], "2026-11-23");
    let notice = scene
        .app
        .get(
            &format!("/api/v1/pledge-applications/{}/notice", by_bank.body["id"]),
            Some(&scene.banker.token),
        )
        .await;
    assert_eq!(notice.body["document"]["kind"], "cancellation");
    assert!(
        notice.body["document"]["details"]
            .to_string()
            .contains("债务已清偿")
    );
}

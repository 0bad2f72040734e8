//! Notices (P4): signed, verifiable offline and on the public page, as JSON and as PDF.

use super::pledges::{Scene, application};
use ipyun_notice::{NoticeKind, NoticePublicKey, SignedNotice, extract_signed_notice};
use ipyun_test_support::{StatusCode, test_application_no};
use serde_json::json;

async fn raw(scene: &Scene, path: &str, token: Option<&str>) -> (StatusCode, Vec<u8>) {
    let mut request = scene.app.client.get(scene.app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("send");
    let status = response.status();
    (status, response.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn a_registration_notice_is_signed_printable_and_verifiable_by_anyone() {
    let scene = Scene::new().await;
    let number = scene.right(11, |_| {}).await;
    let registered = scene.register(&application(&scene, &[&number])).await;
    let id = registered.body["id"].as_i64().unwrap_or_default();
    let registration_no = registered.body["registration_no"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let code = registered.body["verification_code"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(code.len(), 10);

    let key = scene.app.get("/api/v1/notice-key", None).await;
    assert_eq!(key.status, StatusCode::OK);
    let published = NoticePublicKey::from_text(key.body["public_key"].as_str().unwrap_or_default())
        .expect("key");

    let (status, json_bytes) = raw(
        &scene,
        &format!("/api/v1/pledge-applications/{id}/notice"),
        Some(&scene.owner.token),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let notice =
        SignedNotice::from_json(&String::from_utf8_lossy(&json_bytes)).expect("signed notice");
    notice
        .verify(Some(&published))
        .expect("signature verifies with the published key");
    assert_eq!(notice.document.kind, NoticeKind::Registration);
    assert_eq!(notice.document.notice_no, registration_no);
    assert_eq!(
        notice.document.pledgors,
        vec![scene.enterprise_name.clone()]
    );
    assert_eq!(notice.document.pledgee, "测试银行苏州分行");
    assert_eq!(notice.document.rights[0].number, number);
    assert_eq!(notice.document.rights[0].title, "一种测试方法11");
    assert_eq!(notice.document.secured_amount_fen, 500_000_000);

    let (status, pdf) = raw(
        &scene,
        &format!("/api/v1/pledge-applications/{id}/notice.pdf"),
        Some(&scene.banker.token),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(
        extract_signed_notice(&pdf).expect("notice inside the PDF"),
        notice
    );

    // Anyone verifies it with the number and the code; a wrong code learns nothing.
    let verified = scene
        .app
        .get(
            &format!("/api/v1/notices/verify?no={registration_no}&code={code}"),
            None,
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK);
    assert_eq!(
        verified.body["document"]["notice_no"],
        registration_no.as_str()
    );
    assert_eq!(verified.body["signature"], notice.signature.as_str());
    let wrong = scene
        .app
        .get(
            &format!("/api/v1/notices/verify?no={registration_no}&code=AAAAAAAAAA"),
            None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong.error_code(), "notice.not_found");

    // Another lender cannot fetch it.
    let rival_id = scene.app.organisation("lender", "别的银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_id)).await;
    let (status, _) = raw(
        &scene,
        &format!("/api/v1/pledge-applications/{id}/notice"),
        Some(&rival.token),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_refusal_notice_names_every_ground_and_an_undecided_one_has_none() {
    let scene = Scene::new().await;
    let number = scene.right(12, |_| {}).await;
    scene.set_status(&number, "preserved").await;
    let mut body = application(&scene, &[&number]);
    body["pledge_contract"]["transfer_on_default"] = json!(true);
    let refused = scene.register(&body).await;
    assert_eq!(refused.body["status"], "refused");
    let id = refused.body["id"].as_i64().unwrap_or_default();
    let notice = scene
        .app
        .get(
            &format!("/api/v1/pledge-applications/{id}/notice"),
            Some(&scene.owner.token),
        )
        .await;
    assert_eq!(notice.status, StatusCode::OK);
    assert_eq!(notice.body["document"]["kind"], "refusal");
    assert_eq!(
        notice.body["document"]["notice_no"],
        format!("R2026{id:09}")
    );
    let grounds: Vec<&str> = notice.body["document"]["grounds"]
        .as_array()
        .map(|grounds| {
            grounds
                .iter()
                .filter_map(|ground| ground["code"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        grounds,
        vec!["pledge.transfer_on_default", "pledge.right_preserved"]
    );
    let code = refused.body["verification_code"]
        .as_str()
        .unwrap_or_default();
    let verified = scene
        .app
        .get(
            &format!("/api/v1/notices/verify?no=R2026{id:09}&code={code}"),
            None,
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK);

    let pending = scene
        .register(&application(&scene, &[&test_application_no(998)]))
        .await;
    assert_eq!(pending.body["status"], "in_review");
    let none = scene
        .app
        .get(
            &format!("/api/v1/pledge-applications/{}/notice", pending.body["id"]),
            Some(&scene.owner.token),
        )
        .await;
    assert_eq!(none.status, StatusCode::CONFLICT);
    assert_eq!(none.error_code(), "pledge.no_notice_yet");
}

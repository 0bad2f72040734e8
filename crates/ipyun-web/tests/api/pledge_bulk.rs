//! Lenders' systems submit in bulk (P6); applications carry PDF attachments with their hash (P1).

use super::pledges::{Scene, application};
use ipyun_test_support::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};

#[tokio::test]
async fn a_batch_makes_each_good_application_once_and_reports_each_bad_one() {
    let scene = Scene::new().await;
    let first = scene.right(31, |_| {}).await;
    let second = scene.right(32, |_| {}).await;
    let mut bad = application(&scene, &[&second]);
    bad["pledge_contract"]["secured_amount_fen"] = json!(-1);
    let batch = json!({"applications": [
        {"idempotency_key": "b-1", "application": application(&scene, &[&first])},
        {"idempotency_key": "b-2", "application": bad},
        {"idempotency_key": "b-3", "application": application(&scene, &[&second])},
    ]});
    let answer = scene
        .app
        .post(
            "/api/v1/pledge-applications/batch",
            Some(&scene.banker.token),
            &batch,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let statuses: Vec<u64> = answer
        .body
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["status"].as_u64())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(statuses, vec![201, 400, 201]);
    assert_eq!(answer.body[1]["error"]["code"], "validation_failed");
    assert_eq!(
        answer.body[0]["application"]["status"],
        "awaiting_confirmation"
    );

    let again = scene
        .app
        .post(
            "/api/v1/pledge-applications/batch",
            Some(&scene.banker.token),
            &batch,
        )
        .await;
    assert_eq!(
        again.body[0]["application"]["id"],
        answer.body[0]["application"]["id"]
    );
    assert_eq!(again.body[0]["replayed"], true);
    let mine = scene
        .app
        .get("/api/v1/pledge-applications", Some(&scene.banker.token))
        .await;
    assert_eq!(mine.body["total"], 2, "a retried batch makes nothing twice");

    let empty = scene
        .app
        .post(
            "/api/v1/pledge-applications/batch",
            Some(&scene.banker.token),
            &json!({"applications": []}),
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.error_code(), "pledge.batch_size");
}

#[tokio::test]
async fn attachments_are_pdfs_kept_with_their_hash_and_shown_only_to_the_parties() {
    let scene = Scene::new().await;
    let number = scene.right(33, |_| {}).await;
    let drafted = scene.apply(&application(&scene, &[&number])).await;
    let id = drafted.body["id"].as_i64().unwrap_or_default();
    let path = format!("/api/v1/pledge-applications/{id}/attachments?file_name=质押合同.pdf");
    let pdf = b"%PDF-1.4\n% a pledge contract\n%%EOF\n".to_vec();
    let uploaded = scene
        .app
        .post_raw(
            &path,
            Some(&scene.banker.token),
            "application/pdf",
            pdf.clone(),
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{:?}", uploaded.body);
    let expected_hash = hex::encode(Sha256::digest(&pdf));
    assert_eq!(uploaded.body["sha256"], expected_hash.as_str());
    assert_eq!(uploaded.body["size_bytes"], pdf.len());
    assert_eq!(uploaded.body["file_name"], "质押合同.pdf");

    let not_pdf = scene
        .app
        .post_raw(
            &path,
            Some(&scene.banker.token),
            "application/pdf",
            b"hello".to_vec(),
        )
        .await;
    assert_eq!(not_pdf.error_code(), "attachment.not_pdf");
    let wrong_type = scene
        .app
        .post_raw(&path, Some(&scene.banker.token), "text/plain", pdf.clone())
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let mut huge = b"%PDF-".to_vec();
    huge.resize(10 * 1024 * 1024 + 10, b'x');
    let too_big = scene
        .app
        .post_raw(&path, Some(&scene.banker.token), "application/pdf", huge)
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);

    let listed = scene
        .app
        .get(
            &format!("/api/v1/pledge-applications/{id}/attachments"),
            Some(&scene.owner.token),
        )
        .await;
    assert_eq!(listed.body.as_array().map(Vec::len), Some(1));
    let attachment_id = listed.body[0]["id"].as_i64().unwrap_or_default();
    let response = scene
        .app
        .client
        .get(scene.app.url(&format!(
            "/api/v1/pledge-applications/{id}/attachments/{attachment_id}"
        )))
        .bearer_auth(&scene.owner.token)
        .send()
        .await
        .expect("download");
    assert_eq!(
        response
            .headers()
            .get("x-content-sha256")
            .map(|value| value.as_bytes()),
        Some(expected_hash.as_bytes())
    );
    assert_eq!(response.bytes().await.expect("body").to_vec(), pdf);

    let rival_id = scene.app.organisation("lender", "好奇银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_id)).await;
    let peek = scene
        .app
        .get(
            &format!("/api/v1/pledge-applications/{id}/attachments"),
            Some(&rival.token),
        )
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_bundled_pledge_over_a_patent_and_a_trademark_is_one_registration_and_each_kind_cites_its_measures()
 {
    let scene = Scene::new().await;
    let patent = scene.right(34, |_| {}).await;
    let mark = |number: &str| {
        json!({"kind": "trademark", "number": number, "title": "质押商标", "filing_date": "2018-01-10",
               "grant_date": "2019-04-07", "nice_class": "9", "holders": [{"name": scene.enterprise_name, "uscc": scene.uscc}]})
    };
    for number in ["23456789", "23456790"] {
        let created = scene
            .app
            .post("/api/v1/rights", Some(&scene.admin.token), &mark(number))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    }
    let mut bundle = application(&scene, &[&patent]);
    bundle["rights"] = json!([{"kind": "invention", "number": patent}, {"kind": "trademark", "number": "23456789"}]);
    let registered = scene.register(&bundle).await;
    assert_eq!(
        registered.body["status"], "registered",
        "{:?}",
        registered.body
    );
    let pledge = scene
        .app
        .get(
            &format!(
                "/api/v1/pledges/{}",
                registered.body["registration_no"]
                    .as_str()
                    .unwrap_or_default()
            ),
            None,
        )
        .await;
    let kinds: Vec<&str> = pledge.body["rights"]
        .as_array()
        .map(|rights| {
            rights
                .iter()
                .filter_map(|right| right["kind"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(kinds, vec!["invention", "trademark"]);

    scene.set_status("23456790", "preserved").await;
    let mut frozen = application(&scene, &[]);
    frozen["rights"] = json!([{"kind": "trademark", "number": "23456790"}]);
    let refused = scene.register(&frozen).await;
    assert_eq!(refused.body["status"], "refused");
    let ground = refused.body["findings"][0]["ground"]
        .as_str()
        .unwrap_or_default();
    assert!(
        ground.contains("《注册商标专用权质押登记程序规定》"),
        "{ground}"
    );
    assert_eq!(
        refused.body["findings"][0]["code"],
        "pledge.right_preserved"
    );
}

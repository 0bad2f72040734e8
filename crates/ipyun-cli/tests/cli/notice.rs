//! `ipyun notice verify FILE`: a notice served by the platform verifies offline, as JSON and as
//! PDF; a changed one, or one checked against another key, does not.

use super::BIN;
use ipyun_test_support::{StatusCode, TestApp, invention};
use serde_json::json;
use std::process::Command;

fn verify(file: &std::path::Path, key: Option<&str>) -> (bool, String) {
    let mut command = Command::new(BIN);
    command.args(["notice", "verify"]).arg(file);
    if let Some(key) = key {
        command.args(["--public-key", key]);
    }
    let output = command.output().expect("run ipyun notice verify");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test]
async fn a_served_notice_verifies_offline_and_a_changed_one_does_not() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let (enterprise, uscc) = app.enterprise("无锡核验科技有限公司", 3, None).await;
    let owner = app.user("owner", "enterprise", Some(enterprise)).await;
    let lender = app.organisation("lender", "核验银行").await;
    let banker = app.user("banker", "lender", Some(lender)).await;
    let right = app
        .post(
            "/api/v1/rights",
            Some(&admin.token),
            &invention(5, "无锡核验科技有限公司", &uscc),
        )
        .await;
    let number = right.body["number"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let body = json!({
        "pledgor_id": enterprise,
        "loan_contract": {"principal_fen": 100_000, "performance_start": "2026-11-23", "performance_end": "2027-11-22"},
        "pledge_contract": {"secured_claim_kind": "loan", "secured_amount_fen": 100_000, "scope": "本金"},
        "rights": [{"kind": "invention", "number": number}],
        "commitment_letter": true
    });
    let drafted = app
        .post("/api/v1/pledge-applications", Some(&banker.token), &body)
        .await;
    let id = drafted.body["id"].as_i64().unwrap_or_default();
    let confirmed = app
        .post(
            &format!("/api/v1/pledge-applications/{id}/confirm"),
            Some(&owner.token),
            &json!({}),
        )
        .await;
    assert_eq!(
        confirmed.body["status"], "registered",
        "{:?}",
        confirmed.body
    );
    let published = app.get("/api/v1/notice-key", None).await.body["public_key"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let dir = tempfile::tempdir().expect("temp dir");
    for (suffix, path) in [
        ("json", format!("/api/v1/pledge-applications/{id}/notice")),
        (
            "pdf",
            format!("/api/v1/pledge-applications/{id}/notice.pdf"),
        ),
    ] {
        let response = app
            .client
            .get(app.url(&path))
            .bearer_auth(&owner.token)
            .send()
            .await
            .expect("download");
        assert_eq!(response.status(), StatusCode::OK);
        let file = dir.path().join(format!("notice.{suffix}"));
        std::fs::write(&file, response.bytes().await.expect("body")).expect("write");
        let (ok, out) = verify(&file, Some(&published));
        assert!(ok, "{suffix}: {out}");
        assert!(
            out.contains("verified: signed by the expected key"),
            "{out}"
        );
        assert!(
            out.contains(&number) && out.contains("无锡核验科技有限公司"),
            "{out}"
        );
        let (ok, out) = verify(&file, None);
        assert!(ok && out.contains("compare the key fingerprint"), "{out}");
    }

    let json_file = dir.path().join("notice.json");
    let other_key = ipyun_notice::NoticeSigningKey::generate()
        .public_key()
        .to_text();
    let (ok, out) = verify(&json_file, Some(&other_key));
    assert!(!ok && out.contains("NOT verified"), "{out}");
    let text = std::fs::read_to_string(&json_file).expect("read");
    let altered = text.replacen(
        "\"secured_amount_fen\": 100000",
        "\"secured_amount_fen\": 900000",
        1,
    );
    assert_ne!(altered, text, "the amount is in the file");
    std::fs::write(&json_file, altered).expect("write");
    let (ok, out) = verify(&json_file, Some(&published));
    assert!(!ok && out.contains("NOT verified"), "{out}");
    let (ok, _) = verify(&dir.path().join("missing.json"), None);
    assert!(!ok);
}

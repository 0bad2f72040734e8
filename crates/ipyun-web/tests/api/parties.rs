use ipyun_test_support::{StatusCode, TestApp, test_uscc};
use serde_json::json;

#[tokio::test]
async fn parties_are_recorded_checked_and_listed() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let park = app
        .post(
            "/api/v1/parties",
            Some(&admin.token),
            &json!({"kind": "park", "name": "苏州工业园区", "region": "320576", "park_kind": "national_high_tech_zone"}),
        )
        .await;
    assert_eq!(park.status, StatusCode::CREATED, "{:?}", park.body);
    let park_id = park.body["id"].as_i64().unwrap();
    let enterprise = json!({
        "kind": "enterprise", "name": "苏州园区科技有限公司", "uscc": test_uscc(11), "region": "320576",
        "industry": "3979", "size_class": "small", "park_id": park_id, "specialised_sme_year": 2022,
    });
    let created = app
        .post("/api/v1/parties", Some(&admin.token), &enterprise)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["industry"], "C3979");
    let duplicate = app
        .post("/api/v1/parties", Some(&admin.token), &enterprise)
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.error_code(), "party.duplicate");

    let bad_park = app
        .post(
            "/api/v1/parties",
            Some(&admin.token),
            &json!({"kind": "enterprise", "name": "无园区公司", "uscc": test_uscc(12), "park_id": 999999}),
        )
        .await;
    assert_eq!(bad_park.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad_park.error_fields(),
        vec![("park_id".to_string(), "unknown".to_string())]
    );

    let in_park = app
        .get(
            &format!("/api/v1/parties?park_id={park_id}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(in_park.body["total"], 1);
    let in_province = app
        .get("/api/v1/parties?region=320000", Some(&admin.token))
        .await;
    assert_eq!(in_province.body["total"], 2);
    let by_kind = app
        .get("/api/v1/parties?kind=park", Some(&admin.token))
        .await;
    assert_eq!(by_kind.body["items"][0]["name"], "苏州工业园区");
}

#[tokio::test]
async fn an_enterprise_edits_only_its_contact_fields() {
    let app = TestApp::init().await;
    let (own_id, uscc) = app.enterprise("自家公司", 21, None).await;
    let (other_id, _) = app.enterprise("别家公司", 22, None).await;
    let staff = app.user("ent-staff", "enterprise", Some(own_id)).await;
    let update = json!({"name": "改名企图", "uscc": uscc, "contact_name": "李四", "contact_phone": "13900000000"});
    let updated = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/parties/{own_id}"),
            Some(&staff.token),
            &update,
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["name"], "自家公司");
    assert_eq!(updated.body["contact_name"], "李四");
    let other = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/parties/{other_id}"),
            Some(&staff.token),
            &update,
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
}

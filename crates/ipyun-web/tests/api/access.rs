//! Who sees what: per role, over the API.

use ipyun_test_support::{StatusCode, TestApp, invention, test_application_no};

struct World {
    app: TestApp,
    own_number: String,
    other_number: String,
    own_id: i64,
    other_id: i64,
    park_id: i64,
}

async fn world() -> World {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let park_id = app.organisation("park", "测试园区").await;
    let (own_id, own_uscc) = app.enterprise("甲公司", 31, Some(park_id)).await;
    let (other_id, other_uscc) = app.enterprise("乙公司", 32, None).await;
    for (serial, name, uscc) in [(1, "甲公司", &own_uscc), (2, "乙公司", &other_uscc)] {
        let created = app
            .post(
                "/api/v1/rights",
                Some(&admin.token),
                &invention(serial, name, uscc),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED);
    }
    World {
        app,
        own_number: test_application_no(1),
        other_number: test_application_no(2),
        own_id,
        other_id,
        park_id,
    }
}

#[tokio::test]
async fn an_enterprise_sees_its_own_rights_and_no_other_enterprises_private_data() {
    let world = world().await;
    let app = &world.app;
    let staff = app.user("jia", "enterprise", Some(world.own_id)).await;
    let listed = app.get("/api/v1/rights", Some(&staff.token)).await;
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["items"][0]["number"], world.own_number.as_str());
    let own = app
        .get(
            &format!("/api/v1/rights/{}", world.own_number),
            Some(&staff.token),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    let other = app
        .get(
            &format!("/api/v1/rights/{}", world.other_number),
            Some(&staff.token),
        )
        .await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "another enterprise's right must not be visible"
    );
    let history = app
        .get(
            &format!("/api/v1/rights/{}/status-events", world.other_number),
            Some(&staff.token),
        )
        .await;
    assert_eq!(history.status, StatusCode::NOT_FOUND);
    let filter_escape = app
        .get(
            &format!("/api/v1/rights?holder_party_id={}", world.other_id),
            Some(&staff.token),
        )
        .await;
    assert_eq!(
        filter_escape.body["total"], 1,
        "a filter cannot widen the scope"
    );
    assert_eq!(
        filter_escape.body["items"][0]["number"],
        world.own_number.as_str()
    );

    let own_party = app
        .get(
            &format!("/api/v1/parties/{}", world.own_id),
            Some(&staff.token),
        )
        .await;
    assert_eq!(own_party.body["contact_name"], "张三");
    let other_party = app
        .get(
            &format!("/api/v1/parties/{}", world.other_id),
            Some(&staff.token),
        )
        .await;
    assert_eq!(other_party.status, StatusCode::OK);
    assert!(
        other_party.body["contact_name"].is_null(),
        "private field leaked: {:?}",
        other_party.body
    );
    assert!(other_party.body["contact_phone"].is_null());
    let listed_parties = app
        .get("/api/v1/parties?kind=enterprise", Some(&staff.token))
        .await;
    for party in listed_parties.body["items"].as_array().unwrap() {
        if party["id"] != world.own_id {
            assert!(
                party["contact_name"].is_null(),
                "private field leaked in list: {party:?}"
            );
        }
    }
}

#[tokio::test]
async fn each_role_sees_its_scope() {
    let world = world().await;
    let app = &world.app;
    let park_id = world.park_id;
    let lender_id = app.organisation("lender", "测试银行").await;
    let office_id = app.organisation("ip_office", "江苏省知识产权局").await;
    // (role, organisation, rights visible, may see the own enterprise's contact)
    let cases = [
        ("lender", Some(lender_id), 2, false),
        ("park", Some(park_id), 1, true),
        ("provincial_office", Some(office_id), 2, true),
        ("examiner", Some(office_id), 2, false),
        ("national_office", Some(office_id), 2, true),
    ];
    for (index, (role, party_id, rights_visible, sees_private)) in cases.into_iter().enumerate() {
        let user = app.user(&format!("user{index}"), role, party_id).await;
        let listed = app.get("/api/v1/rights", Some(&user.token)).await;
        assert_eq!(listed.body["total"], rights_visible, "{role} rights");
        let party = app
            .get(
                &format!("/api/v1/parties/{}", world.own_id),
                Some(&user.token),
            )
            .await;
        assert_eq!(
            !party.body["contact_name"].is_null(),
            sees_private,
            "{role} private fields"
        );
    }
}

#[tokio::test]
async fn writes_are_refused_to_roles_that_may_not_make_them() {
    let world = world().await;
    let app = &world.app;
    let lender_id = app.organisation("lender", "测试银行").await;
    let lender = app.user("loan-officer", "lender", Some(lender_id)).await;
    let staff = app.user("jia", "enterprise", Some(world.own_id)).await;
    let body = invention(9, "乙公司", "91320505MA0000032X");
    let refused = app.post("/api/v1/rights", Some(&lender.token), &body).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.error_code(), "forbidden");
    let not_own = app
        .post(
            "/api/v1/rights",
            Some(&staff.token),
            &invention(9, "乙公司", &ipyun_test_support::test_uscc(32)),
        )
        .await;
    assert_eq!(not_own.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        not_own.error_fields(),
        vec![("holders".to_string(), "not_own_right".to_string())]
    );
    let own = app
        .post(
            "/api/v1/rights",
            Some(&staff.token),
            &invention(10, "甲公司", &ipyun_test_support::test_uscc(31)),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{:?}", own.body);
    let party = app
        .post(
            "/api/v1/parties",
            Some(&lender.token),
            &serde_json::json!({"kind": "park", "name": "x"}),
        )
        .await;
    assert_eq!(party.status, StatusCode::FORBIDDEN);
    let user = app
        .post(
            "/api/v1/users",
            Some(&lender.token),
            &serde_json::json!({"username": "x1", "display_name": "x", "password": "0123456789", "role": "platform_admin"}),
        )
        .await;
    assert_eq!(user.status, StatusCode::FORBIDDEN);
    let status = app
        .post(
            &format!("/api/v1/rights/{}/status-events", world.own_number),
            Some(&staff.token),
            &serde_json::json!({"legal_status": "expired", "effective_date": "2026-01-01"}),
        )
        .await;
    assert_eq!(status.status, StatusCode::FORBIDDEN);
    let anonymous = app.get("/api/v1/rights", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.error_code(), "unauthenticated");
    let forged = app.get("/api/v1/rights", Some("ipy_forged")).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

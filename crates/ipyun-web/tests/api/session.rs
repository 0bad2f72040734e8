//! Sign-in, cookie sessions with CSRF, API tokens, language choice.

use ipyun_test_support::{StatusCode, TestApp};
use serde_json::json;

fn session_cookie(headers: &reqwest::header::HeaderMap) -> String {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("ipyun_session="))
        .and_then(|value| value.split(';').next())
        .expect("a session cookie")
        .to_string()
}

#[tokio::test]
async fn a_session_needs_its_csrf_token_for_unsafe_requests() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let wrong = app
        .post(
            "/api/v1/session",
            None,
            &json!({"username": "admin", "password": "wrong-password"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.error_code(), "auth.bad_credentials");
    let signed_in = app
        .post(
            "/api/v1/session",
            None,
            &json!({"username": "admin", "password": admin.password}),
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{:?}", signed_in.body);
    let cookie = session_cookie(&signed_in.headers);
    assert!(
        signed_in
            .headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("HttpOnly"),
        "session cookies are HttpOnly"
    );
    let csrf = signed_in.body["csrf_token"].as_str().unwrap().to_string();

    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let party = json!({"kind": "park", "name": "会话园区"});
    let without = app
        .client
        .post(app.url("/api/v1/parties"))
        .header("cookie", &cookie)
        .json(&party)
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let forged = app
        .client
        .post(app.url("/api/v1/parties"))
        .header("cookie", &cookie)
        .header("x-csrf-token", "forged")
        .json(&party)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let with = app
        .client
        .post(app.url("/api/v1/parties"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .json(&party)
        .send()
        .await
        .unwrap();
    assert_eq!(with.status(), StatusCode::CREATED);

    let signed_out = app
        .client
        .delete(app.url("/api/v1/session"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    let after = app
        .client
        .get(app.url("/api/v1/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn tokens_are_issued_once_and_work_as_bearer() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let lender_id = app.organisation("lender", "令牌银行").await;
    let created = app
        .post(
            "/api/v1/users",
            Some(&admin.token),
            &json!({"username": "bank-system", "display_name": "银行系统", "password": "long-enough-pass", "role": "lender", "party_id": lender_id}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let duplicate = app
        .post(
            "/api/v1/users",
            Some(&admin.token),
            &json!({"username": "bank-system", "display_name": "银行系统", "password": "long-enough-pass", "role": "lender", "party_id": lender_id}),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    let wrong_org = app
        .post(
            "/api/v1/users",
            Some(&admin.token),
            &json!({"username": "ent-x", "display_name": "x", "password": "long-enough-pass", "role": "enterprise", "party_id": lender_id}),
        )
        .await;
    assert_eq!(
        wrong_org.error_fields(),
        vec![("party_id".to_string(), "kind_mismatch".to_string())]
    );
    let issued = app
        .post(
            "/api/v1/tokens",
            Some(&admin.token),
            &json!({"username": "bank-system", "name": "core banking"}),
        )
        .await;
    assert_eq!(issued.status, StatusCode::CREATED);
    let token = issued.body["token"].as_str().unwrap();
    assert!(token.starts_with("ipy_"));
    let me = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(me.body["username"], "bank-system");
    assert_eq!(me.body["role"], "lender");
    let not_for_others = app
        .post(
            "/api/v1/tokens",
            Some(token),
            &json!({"username": "admin", "name": "steal"}),
        )
        .await;
    assert_eq!(not_for_others.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_language_is_remembered_per_user() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let changed = app
        .send_json(
            reqwest::Method::PUT,
            "/api/v1/me/lang",
            Some(&admin.token),
            &json!({"lang": "en"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT);
    assert!(
        changed
            .headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("ipyun_lang=en")
    );
    let me = app.get("/api/v1/me", Some(&admin.token)).await;
    assert_eq!(me.body["lang"], "en");
    let bad = app
        .send_json(
            reqwest::Method::PUT,
            "/api/v1/me/lang",
            Some(&admin.token),
            &json!({"lang": "klingon"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_fields()[0].0, "lang");
    let by_query = app.get("/api/v1/me?lang=zh-CN", Some(&admin.token)).await;
    assert_eq!(by_query.status, StatusCode::OK);
    let me = app.get("/api/v1/me", Some(&admin.token)).await;
    assert_eq!(
        me.body["lang"], "zh-CN",
        "?lang= by a signed-in user is remembered"
    );
}

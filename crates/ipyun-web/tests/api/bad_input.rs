//! Bad input on every write route answers with a clear error naming the field and rule:
//! never a 500, never a panic.

use ipyun_test_support::{StatusCode, TestApp, invention, test_application_no};
use serde_json::{Value, json};

/// Every JSON write route with a body that would be accepted, and one with a wrongly typed field.
fn write_routes(number: &str, party_id: i64) -> Vec<(reqwest::Method, String, Value, Value)> {
    use reqwest::Method;
    vec![
        (
            Method::POST,
            "/api/v1/rights".into(),
            json!({"kind": "invention"}),
            json!({"kind": 5}),
        ),
        (
            Method::POST,
            format!("/api/v1/rights/{number}/status-events"),
            json!({"legal_status": "expired", "effective_date": "2026-01-01"}),
            json!({"legal_status": ["x"], "effective_date": "2026-01-01"}),
        ),
        (
            Method::POST,
            "/api/v1/parties".into(),
            json!({"kind": "park", "name": "p"}),
            json!({"park_id": "one"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/parties/{party_id}"),
            json!({"contact_name": "x"}),
            json!({"little_giant_year": "2020"}),
        ),
        (
            Method::POST,
            "/api/v1/session".into(),
            json!({"username": "a", "password": "b"}),
            json!({"username": 1, "password": "b"}),
        ),
        (
            Method::PUT,
            "/api/v1/me/lang".into(),
            json!({"lang": "en"}),
            json!({"lang": true}),
        ),
        (
            Method::POST,
            "/api/v1/users".into(),
            json!({"username": "u", "display_name": "u", "password": "p", "role": "lender"}),
            json!({"username": "u", "display_name": "u", "password": "p", "role": "lender", "party_id": "x"}),
        ),
        (
            Method::POST,
            "/api/v1/tokens".into(),
            json!({"name": "t"}),
            json!({"name": 3}),
        ),
        (
            Method::POST,
            "/api/v1/validate/uscc".into(),
            json!({"value": "x"}),
            json!({"value": null}),
        ),
    ]
}

#[tokio::test]
async fn malformed_wrongly_typed_oversized_and_mislabelled_bodies_are_refused_clearly() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let (party_id, uscc) = app.enterprise("输入测试有限公司", 41, None).await;
    let number = test_application_no(1);
    let created = app
        .post(
            "/api/v1/rights",
            Some(&admin.token),
            &invention(1, "输入测试有限公司", &uscc),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let token = admin.token.as_str();
    for (method, path, _good, wrong_type) in write_routes(&number, party_id) {
        let send = |content_type: &'static str, body: Vec<u8>| {
            let request = app
                .client
                .request(method.clone(), app.url(&path))
                .bearer_auth(token)
                .header("content-type", content_type)
                .body(body);
            async move {
                let response = request.send().await.unwrap();
                let status = response.status();
                let body: Value = response.json().await.unwrap_or(Value::Null);
                (status, body)
            }
        };
        let (status, body) = send("application/json", b"{\"unterminated".to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {path} malformed");
        assert_eq!(body["error"]["code"], "malformed_json", "{method} {path}");

        let (status, body) =
            send("application/json", serde_json::to_vec(&wrong_type).unwrap()).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{method} {path} wrong type: {body}"
        );
        assert_eq!(body["error"]["code"], "invalid_field", "{method} {path}");
        let field = body["error"]["details"][0]["field"].as_str().unwrap_or("");
        let named = wrong_type
            .as_object()
            .unwrap()
            .keys()
            .any(|key| field.starts_with(key.as_str()));
        assert!(
            named,
            "{method} {path}: the error should name the field, got {body}"
        );

        let (status, body) = send(
            "application/json",
            serde_json::to_vec(&json!({"unexpected_field": 1})).unwrap(),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{method} {path} unknown field"
        );
        assert!(
            body["error"]["details"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("unexpected_field"),
            "{body}"
        );

        let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
        let (status, body) = send("application/json", huge.into_bytes()).await;
        assert_eq!(
            status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{method} {path} oversized"
        );
        assert_eq!(body["error"]["code"], "payload_too_large");

        let (status, body) = send("text/plain", b"{}".to_vec()).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{method} {path} content type"
        );
        assert_eq!(body["error"]["code"], "unsupported_media_type");
    }
}

#[tokio::test]
async fn invalid_identifiers_name_the_field_and_the_rule() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let good_number = test_application_no(5);
    let bad_check = format!(
        "{}{}",
        &good_number[..13],
        if good_number.ends_with('1') { "2" } else { "1" }
    );
    let right = json!({
        "kind": "invention",
        "number": bad_check,
        "title": "",
        "filing_date": "2021-02-30",
        "ipc_main": "Z99Q 1/00",
        "holders": [{"name": "甲", "uscc": "91320505MA0000001A", "share_bp": 6000}, {"name": "乙", "share_bp": 3000}],
    });
    let answer = app.post("/api/v1/rights", Some(&admin.token), &right).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.error_code(), "validation_failed");
    let fields = answer.error_fields();
    for expected in [
        ("number", "check_digit"),
        ("title", "required"),
        ("filing_date", "date_format"),
        ("holders[0].uscc", "check_character"),
    ] {
        assert!(
            fields.contains(&(expected.0.to_string(), expected.1.to_string())),
            "missing {expected:?} in {fields:?}"
        );
    }
    assert!(
        fields.iter().any(|(field, _)| field == "ipc_main"),
        "{fields:?}"
    );

    let party = json!({"kind": "enterprise", "name": "坏代码公司", "uscc": "91320505MA00000", "region": "999999", "industry": "Z9999"});
    let answer = app
        .post("/api/v1/parties", Some(&admin.token), &party)
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let fields: Vec<String> = answer
        .error_fields()
        .into_iter()
        .map(|(field, _)| field)
        .collect();
    assert_eq!(fields, vec!["uscc", "region", "industry"]);

    let validate = app
        .post(
            "/api/v1/validate/application-no",
            Some(&admin.token),
            &json!({"value": bad_check}),
        )
        .await;
    assert_eq!(validate.status, StatusCode::OK);
    assert_eq!(validate.body["valid"], false);
    assert_eq!(validate.body["code"], "check_digit");
    let unknown_kind = app
        .post(
            "/api/v1/validate/passport",
            Some(&admin.token),
            &json!({"value": "x"}),
        )
        .await;
    assert_eq!(unknown_kind.status, StatusCode::NOT_FOUND);
    let bad_filter = app
        .get(
            "/api/v1/rights?kind=castle&legal_status=sleeping",
            Some(&admin.token),
        )
        .await;
    assert_eq!(bad_filter.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_filter.error_fields().len(), 2);
    let bad_page = app
        .get("/api/v1/rights?page=minus", Some(&admin.token))
        .await;
    assert_eq!(bad_page.status, StatusCode::BAD_REQUEST);
    let no_such = app
        .get(
            "/api/v1/rights/CN%E4%B8%8D%E5%AD%98%E5%9C%A8",
            Some(&admin.token),
        )
        .await;
    assert_eq!(no_such.status, StatusCode::NOT_FOUND);
    assert_eq!(no_such.error_code(), "right.not_found");
}

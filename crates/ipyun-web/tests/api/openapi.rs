use ipyun_test_support::{StatusCode, TestApp};

#[tokio::test]
async fn the_openapi_document_is_served_and_stable() {
    let app = TestApp::init().await;
    let answer = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    let paths = answer.body["paths"].as_object().unwrap();
    for path in [
        "/api/v1/rights",
        "/api/v1/rights/{number}",
        "/api/v1/parties",
        "/api/v1/session",
        "/api/v1/tokens",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    insta::assert_json_snapshot!("openapi", answer.body);
    let docs = app.client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.unwrap();
    assert!(html.contains("/api/v1/openapi.json"));
}

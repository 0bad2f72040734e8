use ipyun_test_support::{StatusCode, TestApp};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::init().await;
    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK);
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status, StatusCode::OK);
    let request_id = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert!(
        request_id.headers().contains_key("x-request-id"),
        "every answer carries a request id"
    );
    let unknown = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.error_code(), "route_not_found");
}

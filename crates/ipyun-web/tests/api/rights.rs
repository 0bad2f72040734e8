use ipyun_test_support::{StatusCode, TestApp, invention, test_application_no};
use serde_json::json;

#[tokio::test]
async fn a_right_is_recorded_read_in_any_spelling_and_never_twice() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let (enterprise_id, uscc) = app.enterprise("苏州测试科技有限公司", 1, None).await;
    let body = invention(42, "苏州测试科技有限公司", &uscc);
    let created = app.post("/api/v1/rights", Some(&admin.token), &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let number = test_application_no(42);
    assert_eq!(created.body["number"], number.as_str());
    assert_eq!(created.body["expiry_date"], "2041-03-14");
    assert_eq!(created.body["holders"][0]["party_id"], enterprise_id);
    assert_eq!(created.body["holders"][0]["share_bp"], 10000);

    let compact = format!("CN{}", number.replace('.', ""));
    let read = app
        .get(&format!("/api/v1/rights/{compact}"), Some(&admin.token))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["title"], "一种测试方法42");

    let again = app.post("/api/v1/rights", Some(&admin.token), &body).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_code(), "right.number_taken");
}

#[tokio::test]
async fn legal_status_events_build_the_history() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let (_, uscc) = app.enterprise("杭州历史有限公司", 2, None).await;
    let number = test_application_no(7);
    app.post(
        "/api/v1/rights",
        Some(&admin.token),
        &invention(7, "杭州历史有限公司", &uscc),
    )
    .await;
    let event = app
        .post(
            &format!("/api/v1/rights/{number}/status-events"),
            Some(&admin.token),
            &json!({"legal_status": "preserved", "effective_date": "2026-10-01", "note": "法院保全"}),
        )
        .await;
    assert_eq!(event.status, StatusCode::CREATED, "{:?}", event.body);
    assert_eq!(event.body["legal_status"], "preserved");
    let history = app
        .get(
            &format!("/api/v1/rights/{number}/status-events"),
            Some(&admin.token),
        )
        .await;
    let statuses: Vec<&str> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["in_force", "preserved"]);

    let future = app
        .post(
            &format!("/api/v1/rights/{number}/status-events"),
            Some(&admin.token),
            &json!({"legal_status": "expired", "effective_date": "2027-01-01"}),
        )
        .await;
    assert_eq!(future.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        future.error_fields(),
        vec![("effective_date".to_string(), "in_future".to_string())]
    );
}

#[tokio::test]
async fn the_list_filters_and_pages() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let (_, uscc) = app.enterprise("南京列表有限公司", 3, None).await;
    for serial in 1..=25 {
        let created = app
            .post(
                "/api/v1/rights",
                Some(&admin.token),
                &invention(serial, "南京列表有限公司", &uscc),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED);
    }
    let trademark = json!({
        "kind": "trademark", "number": "第12345678号", "title": "瑞芯", "filing_date": "2015-01-10",
        "grant_date": "2016-04-07", "nice_class": "第9类", "holders": [{"name": "南京列表有限公司", "uscc": uscc}],
    });
    let created = app
        .post("/api/v1/rights", Some(&admin.token), &trademark)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["number"], "12345678");
    assert_eq!(created.body["nice_class"], 9);

    let first = app
        .get("/api/v1/rights?kind=invention", Some(&admin.token))
        .await;
    assert_eq!(first.body["total"], 25);
    assert_eq!(first.body["items"].as_array().unwrap().len(), 20);
    let second = app
        .get("/api/v1/rights?kind=invention&page=2", Some(&admin.token))
        .await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 5);
    let capped = app
        .get("/api/v1/rights?per_page=1000", Some(&admin.token))
        .await;
    assert_eq!(capped.body["per_page"], 100);
    let by_title = app
        .get(
            "/api/v1/rights?q=%E6%B5%8B%E8%AF%95%E6%96%B9%E6%B3%9512",
            Some(&admin.token),
        )
        .await;
    assert_eq!(by_title.body["total"], 1, "{:?}", by_title.body);
    let by_holder = app
        .get(
            "/api/v1/rights?q=%E5%8D%97%E4%BA%AC%E5%88%97%E8%A1%A8",
            Some(&admin.token),
        )
        .await;
    assert_eq!(by_holder.body["total"], 26);
    let trademarks = app
        .get(
            "/api/v1/rights?kind=trademark&legal_status=in_force",
            Some(&admin.token),
        )
        .await;
    assert_eq!(trademarks.body["total"], 1);
    let literal_percent = app.get("/api/v1/rights?q=%25", Some(&admin.token)).await;
    assert_eq!(literal_percent.body["total"], 0);
}

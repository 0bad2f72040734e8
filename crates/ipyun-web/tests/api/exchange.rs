//! Exchange with credit-loan platforms over the API (issue 6, F5): the product and demand feeds
//! in JSON and CSV (and who may pull which), imports of a platform's demands and credit grades
//! row by row (webhooks: `exchange_webhooks.rs`).

use super::loans::{created, get, ok};
use super::pledges::Scene;
use ipyun_test_support::{Answer, StatusCode, TestUser, test_uscc};
use serde_json::{Value, json};

pub fn loan_product(name: &str, right_kinds: &[&str]) -> Value {
    json!({"kind": "loan", "name": name, "description": "专利质押贷款",
           "amount_min_fen": 10_000_000, "amount_max_fen": 1_000_000_000,
           "rate_min_pct": "3.45", "rate_max_pct": "5.5", "months_min": 6, "months_max": 36,
           "right_kinds": right_kinds, "regions": ["320000"], "ltv_cap_bp": 5_000,
           "repayment_methods": ["equal_instalment"], "valid_from": "2026-01-01"})
}

pub async fn publish_product(scene: &Scene, user: &TestUser, product: &Value) -> i64 {
    let answer = scene
        .app
        .post("/api/v1/products", Some(&user.token), product)
        .await;
    created(&answer);
    answer.body["product"]["id"].as_i64().unwrap()
}

pub async fn publish_demand(scene: &Scene, body: &Value) -> i64 {
    let answer = scene
        .app
        .post("/api/v1/demands", Some(&scene.owner.token), body)
        .await;
    created(&answer);
    answer.body["id"].as_i64().unwrap()
}

/// Sends raw text as the body with a content type.
async fn post_text(
    scene: &Scene,
    path: &str,
    user: &TestUser,
    content_type: &str,
    body: &str,
) -> Answer {
    scene
        .app
        .post_raw(
            path,
            Some(&user.token),
            content_type,
            body.as_bytes().to_vec(),
        )
        .await
}

/// GETs a CSV feed: its status, its raw bytes and its records (header first).
async fn csv_feed(
    scene: &Scene,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, Vec<u8>, Vec<Vec<String>>) {
    let mut request = scene.app.client.get(scene.app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    if status == StatusCode::OK {
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
    }
    let bytes = response.bytes().await.unwrap().to_vec();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let records = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect();
    (status, bytes, records)
}

fn column(records: &[Vec<String>], name: &str) -> Vec<String> {
    let index = records[0].iter().position(|header| header == name).unwrap();
    records[1..]
        .iter()
        .map(|record| record[index].clone())
        .collect()
}

#[tokio::test]
async fn feeds_give_products_to_anyone_and_shared_open_demands_to_lenders_and_offices() {
    let scene = Scene::new().await;
    let number = scene.right(61, |_| {}).await;
    let product_id = publish_product(
        &scene,
        &scene.banker,
        &loan_product("苏知贷, \"科创\"版", &["invention"]),
    )
    .await;
    let rival_party = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_party)).await;

    // Products: public, exact amounts and rates, filtered by kind and by change.
    let feed = scene.app.get("/api/v1/feeds/products.json", None).await;
    ok(&feed);
    assert_eq!(feed.body["count"], 1);
    let row = &feed.body["items"][0];
    assert_eq!(row["id"], product_id);
    assert_eq!(row["amount_min_fen"], 10_000_000);
    assert_eq!(row["amount_min_yuan"], "100000.00");
    assert_eq!(row["amount_max_yuan"], "10000000.00");
    assert_eq!(
        (row["rate_min_pct"].as_str(), row["rate_max_pct"].as_str()),
        (Some("3.45"), Some("5.5"))
    );
    assert_eq!(row["kind_label_zh"], "知识产权质押贷款");
    assert_eq!(feed.body["next_since"], row["updated_at"]);
    let none = scene
        .app
        .get("/api/v1/feeds/products.json?kind=guarantee", None)
        .await;
    assert_eq!(none.body["count"], 0);
    let later = scene
        .app
        .get("/api/v1/feeds/products.json?since=2026-11-24", None)
        .await;
    assert_eq!(later.body["count"], 0);
    let since = scene
        .app
        .get(
            "/api/v1/feeds/products.json?since=2026-11-23T10:00:00%2B08:00",
            None,
        )
        .await;
    assert_eq!(
        since.body["count"], 1,
        "changed at 10:00 China time, on the instant"
    );
    let bad = scene
        .app
        .get("/api/v1/feeds/products.json?since=yesterday", None)
        .await;
    assert_eq!(
        bad.error_fields(),
        vec![("since".to_string(), "invalid".to_string())]
    );

    let (status, bytes, records) = csv_feed(&scene, "/api/v1/feeds/products.csv", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a byte-order mark for Excel"
    );
    assert!(
        String::from_utf8(bytes.clone())
            .unwrap()
            .contains("\"苏知贷, \"\"科创\"\"版\""),
        "RFC 4180 quoting"
    );
    assert_eq!(records[0][..3], ["id", "version", "kind"]);
    assert_eq!(records.len(), 2);
    assert_eq!(column(&records, "name"), ["苏知贷, \"科创\"版"]);
    assert_eq!(column(&records, "rate_min_pct"), ["3.45"]);
    assert_eq!(column(&records, "right_kinds"), ["invention"]);

    // Demands: one shared with every lender, one with the rival only.
    let open = publish_demand(
        &scene,
        &json!({"amount_fen": 500_000_000, "months": 12,
        "purpose": "购置生产线，扩大产能", "rights": [number], "urgency": "high"}),
    )
    .await;
    let private = publish_demand(
        &scene,
        &json!({"amount_fen": 100_000_000, "months": 6,
        "purpose": "流动资金", "shared_with": [rival_party]}),
    )
    .await;
    assert_eq!(
        scene
            .app
            .get("/api/v1/feeds/demands.json", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        csv_feed(&scene, "/api/v1/feeds/demands.csv", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get(&scene, "/api/v1/feeds/demands.json", &scene.owner)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let office_party = scene
        .app
        .organisation("ip_office", "江苏省知识产权局")
        .await;
    let office = scene
        .app
        .user("office", "provincial_office", Some(office_party))
        .await;
    for user in [&scene.banker, &rival, &office, &scene.admin] {
        let feed = get(&scene, "/api/v1/feeds/demands.json", user).await;
        ok(&feed);
        let ids: Vec<i64> = feed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].as_i64().unwrap())
            .collect();
        assert_eq!(
            ids,
            [open],
            "{}: only the demand shared with every lender",
            user.username
        );
        let row = &feed.body["items"][0];
        assert_eq!(row["enterprise_uscc"], scene.uscc.as_str());
        assert_eq!(row["enterprise_name"], scene.enterprise_name.as_str());
        assert_eq!(
            (row["region"].as_str(), row["amount_yuan"].as_str()),
            (Some("320505"), Some("5000000.00"))
        );
        assert_eq!(row["right_kinds"], json!(["invention"]));
        assert_eq!(
            (row["urgency"].as_str(), row["stage"].as_str()),
            (Some("high"), Some("published"))
        );
        assert_eq!(row["published_on"], "2026-11-23");
        let text = feed.body.to_string();
        assert!(
            !text.contains("13800000000") && !text.contains("张三"),
            "no contact data"
        );
    }
    assert_ne!(open, private);
    let (status, _, records) = csv_feed(
        &scene,
        "/api/v1/feeds/demands.csv",
        Some(&scene.banker.token),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(column(&records, "id"), [open.to_string()]);
    assert_eq!(column(&records, "purpose"), ["购置生产线，扩大产能"]);
    assert_eq!(column(&records, "enterprise_uscc"), [scene.uscc.as_str()]);
    assert!(!records[0].iter().any(|header| header.contains("contact")));
}

#[tokio::test]
async fn a_platforms_demands_and_credit_grades_are_imported_row_by_row() {
    let scene = Scene::new().await;
    let number = scene.right(62, |_| {}).await;
    let path = "/api/v1/imports/platform-demands";
    let rows = json!([
        {"platform": "信易贷·苏州", "external_id": "XYD-001", "uscc": scene.uscc, "amount_yuan": "3000000",
         "months": 12, "purpose": "研发投入", "rights": [number]},
        {"platform": "信易贷·苏州", "external_id": "XYD-002", "uscc": test_uscc(77), "amount_fen": 100_000_000,
         "months": 12, "purpose": "扩产"},
        {"platform": "信易贷·苏州", "external_id": "XYD-003", "uscc": scene.uscc, "amount_fen": 100_000_000,
         "months": 0, "purpose": "扩产"},
    ]);
    assert_eq!(
        scene
            .app
            .post(path, Some(&scene.banker.token), &rows)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let report = scene.app.post(path, Some(&scene.admin.token), &rows).await;
    created(&report);
    assert_eq!(
        (
            report.body["created"].as_u64(),
            report.body["rejected"].as_u64()
        ),
        (Some(1), Some(2))
    );
    let items = &report.body["items"];
    assert_eq!(items[0]["outcome"], "created");
    let demand_id = items[0]["id"].as_i64().unwrap();
    assert_eq!(
        (items[1]["outcome"].as_str(), items[1]["row"].as_u64()),
        (Some("rejected"), Some(2))
    );
    assert_eq!(items[1]["errors"][0]["field"], "uscc");
    assert_eq!(items[1]["errors"][0]["code"], "not_registered");
    assert_eq!(items[2]["errors"][0]["field"], "months");
    assert_eq!(items[2]["errors"][0]["code"], "out_of_range");

    // The demand landed as if published, marked with its platform, and is in the feed.
    let demand = get(
        &scene,
        &format!("/api/v1/demands/{demand_id}"),
        &scene.owner,
    )
    .await;
    ok(&demand);
    assert_eq!(demand.body["terms"]["amount_fen"], 300_000_000);
    assert_eq!(demand.body["terms"]["rights"][0], number.as_str());
    let feed = get(&scene, "/api/v1/feeds/demands.json", &scene.banker).await;
    assert_eq!(feed.body["items"][0]["source"], "信易贷·苏州");
    assert_eq!(feed.body["items"][0]["external_id"], "XYD-001");

    // Again: a duplicate, nothing changed.
    let again = scene
        .app
        .post(path, Some(&scene.admin.token), &json!([rows[0]]))
        .await;
    created(&again);
    assert_eq!(
        (
            again.body["created"].as_u64(),
            again.body["duplicates"].as_u64()
        ),
        (Some(0), Some(1))
    );
    assert_eq!(again.body["items"][0]["id"], demand_id);
    let listed = get(&scene, "/api/v1/demands", &scene.owner).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);

    // CSV, quoted, with a right that is not the enterprise's.
    let csv_body = format!(
        "\u{feff}platform,external_id,uscc,amount_fen,months,purpose,rights\r\n\
         信易贷·苏州,XYD-004,{uscc},200000000,24,\"设备更新, 含\"\"进口\"\"设备\",\r\n\
         信易贷·苏州,XYD-005,{uscc},200000000,24,扩产,CN000000000000\r\n",
        uscc = scene.uscc
    );
    let report = post_text(&scene, path, &scene.admin, "text/csv", &csv_body).await;
    created(&report);
    assert_eq!(report.body["created"], 1);
    assert_eq!(report.body["items"][1]["errors"][0]["field"], "rights[0]");
    assert_eq!(report.body["items"][1]["errors"][0]["code"], "not_yours");
    let csv_demand = report.body["items"][0]["id"].as_i64().unwrap();
    let shown = get(
        &scene,
        &format!("/api/v1/demands/{csv_demand}"),
        &scene.banker,
    )
    .await;
    assert_eq!(shown.body["terms"]["purpose"], "设备更新, 含\"进口\"设备");
    let unknown = post_text(
        &scene,
        path,
        &scene.admin,
        "text/csv",
        "platform,colour\r\nx,y\r\n",
    )
    .await;
    assert_eq!(
        unknown.error_fields(),
        vec![("colour".to_string(), "unknown_column".to_string())]
    );

    // Credit grades: stored, a repeat is a duplicate, a changed grade an update; faults named.
    let grades = "/api/v1/imports/credit-grades";
    let body = json!([
        {"uscc": scene.uscc, "source": "xinyidai", "grade": "B", "as_of": "2026-10-31"},
        {"uscc": scene.uscc, "source": "tax", "grade": "A", "as_of": "2026-04-30"},
        {"uscc": scene.uscc, "source": "xinyidai", "grade": "AAA", "as_of": "2026-12-31"},
    ]);
    let report = scene
        .app
        .post(grades, Some(&scene.admin.token), &body)
        .await;
    created(&report);
    assert_eq!(
        (
            report.body["created"].as_u64(),
            report.body["rejected"].as_u64()
        ),
        (Some(2), Some(1))
    );
    let faults: Vec<&str> = report.body["items"][2]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(faults, ["grade", "as_of"]);
    let csv_grades = format!(
        "uscc,source,grade,as_of\r\n{},xinyidai,B,2026-10-31\r\n{},tax,M,2026-04-30\r\n",
        scene.uscc, scene.uscc
    );
    let report = post_text(&scene, grades, &scene.admin, "text/csv", &csv_grades).await;
    created(&report);
    assert_eq!(
        (
            report.body["duplicates"].as_u64(),
            report.body["updated"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(
        report.body["items"][0]["outcome"], "duplicate",
        "stored by the first import"
    );
    assert_eq!(
        report.body["items"][1]["outcome"], "updated",
        "the tax grade of that date changed"
    );
    assert_eq!(
        scene
            .app
            .post(grades, Some(&scene.owner.token), &body)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

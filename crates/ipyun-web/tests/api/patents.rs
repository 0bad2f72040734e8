//! Patent search over HTTP (issue 8's interface contract): imported patents are found by anyone,
//! a quoted string's total is exact, bad queries get a 400 that says where, a client over its
//! rate gets 429, landscapes come as JSON and XLSX, topics notify their followers.

use ipyun_search::PatentDoc;
use ipyun_search::generator::{generate, write_jsonl};
use ipyun_test_support::{StatusCode, TestApp};
use serde_json::json;

fn jsonl(docs: &[PatentDoc]) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_jsonl(docs.iter().cloned(), &mut bytes).unwrap();
    bytes
}

fn encoded(q: &str) -> String {
    form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

async fn import(app: &TestApp, token: &str, name: &str, docs: &[PatentDoc]) -> serde_json::Value {
    let answer = app
        .post_raw(
            &format!("/api/v1/imports?subject=patents&file_name={name}"),
            Some(token),
            "application/octet-stream",
            jsonl(docs),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    answer.body
}

fn contains(doc: &PatentDoc, needle: &str) -> bool {
    doc.title.contains(needle)
        || doc.abstract_text.contains(needle)
        || doc.claims.iter().any(|claim| claim.contains(needle))
}

#[tokio::test]
async fn anyone_finds_imported_patents_and_a_quoted_total_is_exact() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let docs: Vec<PatentDoc> = generate(400, 3).collect();
    let report = import(&app, &admin.token, "patents.jsonl", &docs).await;
    assert_eq!(
        (report["inserted"].clone(), report["rejected"].clone()),
        (json!(400), json!(0))
    );

    for pick in [7usize, 130, 251, 399] {
        let needle: String = docs[pick].abstract_text.chars().skip(9).take(5).collect();
        let expected = docs.iter().filter(|doc| contains(doc, &needle)).count();
        let answer = app
            .get(
                &format!(
                    "/api/v1/patents/search?q={}&limit=100",
                    encoded(&format!("\"{needle}\""))
                ),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        assert_eq!(answer.body["total"], json!(expected), "{needle}");
        let hits = answer.body["hits"].as_array().cloned().unwrap_or_default();
        assert!(
            hits.iter()
                .any(|hit| hit["application_no"] == json!(docs[pick].application_no))
        );
        for field in ["application_no", "title", "score", "highlight"] {
            assert!(hits[0].get(field).is_some(), "hits carry {field}");
        }
        assert!(answer.body["facets"]["kind"].is_array());
    }

    // Plain words are ranked, and the patent itself is among the best for its own title.
    let title = &docs[42].title;
    let answer = app
        .get(
            &format!("/api/v1/patents/search?q={}&limit=10", encoded(title)),
            None,
        )
        .await;
    let hits = answer.body["hits"].as_array().cloned().unwrap_or_default();
    assert!(
        hits.iter()
            .any(|hit| hit["application_no"] == json!(docs[42].application_no))
    );
    assert!(
        hits.windows(2)
            .all(|pair| pair[0]["score"].as_f64() >= pair[1]["score"].as_f64()),
        "best first"
    );
}

#[tokio::test]
async fn bad_queries_are_a_400_that_says_where_and_the_rate_is_limited() {
    let app = TestApp::init().await;
    for (q, code) in [
        ("\"锂电池隔膜", "search.bad_query"),
        ("colour:red", "search.bad_query"),
        ("filed:2021..2019", "search.bad_query"),
        ("", "search.empty_query"),
    ] {
        let answer = app
            .get(&format!("/api/v1/patents/search?q={}", encoded(q)), None)
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{q}: {:?}",
            answer.body
        );
        assert_eq!(answer.error_code(), code, "{q}");
    }
    let unbalanced = app
        .get(
            &format!("/api/v1/patents/search?q={}", encoded("电池 \"隔膜")),
            None,
        )
        .await;
    let fields = unbalanced.error_fields();
    assert_eq!(fields.first().map(|(field, _)| field.as_str()), Some("q"));
    assert!(
        unbalanced.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("character 4")
    );
    // 10,000 characters (ASCII: a URL of Chinese ones would pass the client's own URI bound).
    let long = "a".repeat(10_000);
    let answer = app
        .get(
            &format!("/api/v1/patents/search?q={}", encoded(&long)),
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.error_code(), "search.query_too_long");
    let answer = app.get("/api/v1/patents/search?q=x&limit=1000", None).await;
    assert_eq!(answer.error_code(), "search.bad_limit");

    // The default limit lets a burst through, then answers 429 with Retry-After.
    let mut limited = None;
    for _ in 0..150 {
        let answer = app
            .get("/api/v1/patents/search?q=%E7%94%B5%E6%B1%A0", None)
            .await;
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(answer);
            break;
        }
        assert_eq!(answer.status, StatusCode::OK);
    }
    let limited = limited.expect("a client over its rate is limited");
    assert_eq!(limited.error_code(), "rate_limited");
    assert!(limited.headers.get("retry-after").is_some());
}

#[tokio::test]
async fn landscapes_and_topics() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let docs: Vec<PatentDoc> = generate(300, 9).collect();
    let (first, later) = docs.split_at(200);
    import(&app, &admin.token, "first.jsonl", first).await;

    let landscape = app
        .get(
            &format!(
                "/api/v1/patents/landscape?q={}",
                encoded("filed:1990..2030")
            ),
            None,
        )
        .await;
    assert_eq!(landscape.status, StatusCode::OK, "{:?}", landscape.body);
    assert_eq!(landscape.body["total"], json!(200));
    let per_year: u64 = landscape.body["filings_per_year"]
        .as_array()
        .map(|years| years.iter().filter_map(|year| year["count"].as_u64()).sum())
        .unwrap_or(0);
    assert_eq!(per_year, 200);
    let xlsx = app
        .client
        .get(app.url("/api/v1/patents/landscape.xlsx?q=ipc%3AH"))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));

    let bank = app.organisation("lender", "招商银行股份有限公司").await;
    let analyst = app.user("analyst", "lender", Some(bank)).await;
    let follower = app.user("follower", "lender", Some(bank)).await;
    let anonymous = app
        .post(
            "/api/v1/topics",
            None,
            &json!({"name": "x", "query": "ipc:H"}),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let bad = app
        .post(
            "/api/v1/topics",
            Some(&analyst.token),
            &json!({"name": "坏", "query": "\"未闭合"}),
        )
        .await;
    assert_eq!(bad.error_code(), "search.bad_query");
    let field: String = later[0].ipc[0].chars().take(4).collect();
    let topic = app
        .post(
            "/api/v1/topics",
            Some(&analyst.token),
            &json!({"name": format!("{field} 导航"), "query": format!("ipc:{field}")}),
        )
        .await;
    assert_eq!(topic.status, StatusCode::CREATED, "{:?}", topic.body);
    let id = topic.body["id"].as_i64().unwrap_or(0);
    let followed = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/topics/{id}/follow"),
            Some(&follower.token),
            &json!({}),
        )
        .await;
    assert_eq!(followed.body["followers"], json!(2));
    let refused = app
        .send_json(
            reqwest::Method::DELETE,
            &format!("/api/v1/topics/{id}"),
            Some(&follower.token),
            &json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    import(&app, &admin.token, "later.jsonl", later).await;
    let new_filings = later
        .iter()
        .filter(|doc| {
            doc.ipc
                .iter()
                .any(|symbol| symbol.replace(' ', "").starts_with(&field))
        })
        .count();
    for user in [&analyst, &follower] {
        let notices = app
            .get("/api/v1/me/notices?unread=true", Some(&user.token))
            .await;
        assert_eq!(
            notices.body[0]["body"]["new_filings"],
            json!(new_filings),
            "{}",
            user.username
        );
    }
    let notice = app.get("/api/v1/me/notices", Some(&follower.token)).await;
    let notice_id = notice.body[0]["id"].as_i64().unwrap_or(0);
    let read = app
        .post(
            &format!("/api/v1/me/notices/{notice_id}/read"),
            Some(&follower.token),
            &json!({}),
        )
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
    let not_theirs = app
        .post(
            &format!("/api/v1/me/notices/{notice_id}/read"),
            Some(&analyst.token),
            &json!({}),
        )
        .await;
    assert_eq!(not_theirs.status, StatusCode::NOT_FOUND);
}

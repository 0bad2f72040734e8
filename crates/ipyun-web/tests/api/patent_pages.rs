//! The patent pages over HTTP (issue 8): anyone searches from `/patents` and sees the same exact
//! total as the API, a bad query is a 400 page that marks its fault, the landscape page draws
//! its charts and links the workbook; topics are saved, followed and deleted through forms with
//! the CSRF token, and their notices are read on `/me/notices`.

use ipyun_search::PatentDoc;
use ipyun_search::generator::{generate, write_jsonl};
use ipyun_test_support::{StatusCode, TestApp};
use serde_json::json;

fn encoded(q: &str) -> String {
    form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

async fn import(app: &TestApp, token: &str, name: &str, docs: &[PatentDoc]) {
    let mut bytes = Vec::new();
    write_jsonl(docs.iter().cloned(), &mut bytes).unwrap();
    let answer = app
        .post_raw(
            &format!("/api/v1/imports?subject=patents&file_name={name}"),
            Some(token),
            "application/octet-stream",
            bytes,
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
}

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// Signs in through the API: the session cookie and its CSRF token.
async fn session(app: &TestApp, username: &str, password: &str) -> (String, String) {
    let signed_in = app
        .post(
            "/api/v1/session",
            None,
            &json!({"username": username, "password": password}),
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{:?}", signed_in.body);
    let cookie = signed_in
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("ipyun_session="))
        .and_then(|value| value.split(';').next())
        .unwrap_or_default()
        .to_string();
    let csrf = signed_in.body["csrf_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (cookie, csrf)
}

async fn post_form(
    app: &TestApp,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let response = app
        .client
        .post(app.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location, response.text().await.unwrap())
}

#[tokio::test]
async fn anyone_searches_from_the_page_and_a_bad_query_points_at_its_fault() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let docs: Vec<PatentDoc> = generate(300, 21).collect();
    import(&app, &admin.token, "patents.jsonl", &docs).await;

    let (status, html) = page(&app, "/patents", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("检索式写法"),
        "an empty search shows the syntax"
    );

    let needle: String = docs[17].abstract_text.chars().skip(4).take(6).collect();
    let q = format!("\"{needle}\"");
    let api = app
        .get(&format!("/api/v1/patents/search?q={}", encoded(&q)), None)
        .await;
    let total = api.body["total"].as_u64().unwrap_or(0);
    assert!(total >= 1);
    let (status, html) = page(&app, &format!("/patents?q={}", encoded(&q)), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("共命中 {total} 件")),
        "the exact total"
    );
    if total <= 20 {
        assert!(html.contains(&format!("href=\"/rights/{}\"", docs[17].application_no)));
    }
    assert!(
        html.contains(&format!("<em>{needle}</em>")),
        "the match is marked"
    );
    assert!(html.contains("kind%3A"), "facets narrow the query");
    assert!(
        html.contains("/patents/landscape?q="),
        "a landscape of the same query"
    );
    assert!(
        !html.contains("name=\"csrf_token\""),
        "an anonymous visitor is offered no topic form"
    );

    let (status, html) = page(&app, "/patents?q=%E7%94%B5%E6%B1%A0+%22%E9%9A%94", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("引号没有成对") && html.contains("（第 4 个字符处）"));
    assert!(
        html.contains("<mark>&quot;</mark>") && !html.contains("never closed"),
        "the fault is marked, in the page's language: {html}"
    );
    let (status, html) = page(&app, "/patents?q=foo%3Abar&lang=en", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Unknown field"));
    let long = "电".repeat(1_200);
    let (status, html) = page(&app, &format!("/patents?q={}", encoded(&long)), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("检索式过长"));
    let (status, _) = page(&app, "/patents?q=x&page=abc&sort=%3Cscript%3E", None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a page number typed badly is the first page"
    );

    let (status, html) = page(&app, "/patents/landscape?q=ipc%3AH", None).await;
    assert_eq!(status, StatusCode::OK);
    let landscape = app.get("/api/v1/patents/landscape?q=ipc%3AH", None).await;
    let matched = landscape.body["total"].as_u64().unwrap_or(0);
    assert!(matched > 0);
    assert!(html.contains(&format!("<dd class=\"stat-value\">{matched}</dd>")));
    assert!(html.contains("<svg class=\"chart chart-columns\""));
    assert!(html.contains("href=\"/api/v1/patents/landscape.xlsx?q=ipc%3AH\""));
    assert!(!html.contains("style="), "nothing the CSP would block");
    let (status, _) = page(&app, "/patents/landscape?q=%28", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn topics_are_kept_through_the_pages_and_their_notices_read() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let docs: Vec<PatentDoc> = generate(240, 5).collect();
    let (first, later) = docs.split_at(160);
    import(&app, &admin.token, "first.jsonl", first).await;
    let bank = app.organisation("lender", "兴业银行股份有限公司").await;
    let analyst = app.user("analyst", "lender", Some(bank)).await;
    let follower = app.user("follower", "lender", Some(bank)).await;
    let (cookie, csrf) = session(&app, "analyst", &analyst.password).await;
    let (other_cookie, other_csrf) = session(&app, "follower", &follower.password).await;

    let (status, location, _) = page_redirect(&app, "/topics").await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/login?next=%2Ftopics")
    );

    let field: String = later[0].ipc[0].chars().take(4).collect();
    let query = format!("ipc:{field}");
    let form = [
        ("name", "导航专题"),
        ("query", query.as_str()),
        ("csrf_token", "forged"),
    ];
    let (status, _, _) = post_form(&app, "/topics", &cookie, &form).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a forged form saves nothing");
    let bad = [
        ("name", "坏"),
        ("query", "(ipc:H"),
        ("csrf_token", csrf.as_str()),
    ];
    let (status, _, html) = post_form(&app, "/topics", &cookie, &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("括号没有成对") && html.contains("value=\"(ipc:H\""));
    let form = [
        ("name", "导航专题"),
        ("query", query.as_str()),
        ("csrf_token", csrf.as_str()),
    ];
    let (status, location, _) = post_form(&app, "/topics", &cookie, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id: i64 = location
        .strip_prefix("/topics?created=")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"));
    let (status, html) = page(&app, "/topics", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("导航专题") && html.contains(&format!("/topics/{id}/unfollow")));
    assert!(
        html.contains(&format!("/topics/{id}/delete")),
        "the owner may delete"
    );

    let follow = [("csrf_token", other_csrf.as_str())];
    let (status, _, _) = post_form(
        &app,
        &format!("/topics/{id}/follow"),
        &other_cookie,
        &follow,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, "/topics", Some(&other_cookie)).await;
    assert!(html.contains(&format!("/topics/{id}/unfollow")));
    assert!(
        !html.contains(&format!("/topics/{id}/delete")),
        "others may not"
    );
    let (status, _, _) = post_form(
        &app,
        &format!("/topics/{id}/delete"),
        &other_cookie,
        &follow,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    import(&app, &admin.token, "later.jsonl", later).await;
    let new_filings = later
        .iter()
        .filter(|doc| {
            doc.ipc
                .iter()
                .any(|symbol| symbol.replace(' ', "").starts_with(&field))
        })
        .count();
    let (status, html) = page(&app, "/me/notices", Some(&other_cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("新增 {new_filings} 件专利")),
        "the follower is told of the new filings"
    );
    assert!(html.contains("未读 1 条"));
    let notices = app.get("/api/v1/me/notices", Some(&follower.token)).await;
    let notice = notices.body[0]["id"].as_i64().unwrap_or(0);
    let (status, _, _) = post_form(
        &app,
        &format!("/me/notices/{notice}/read"),
        &other_cookie,
        &follow,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, "/me/notices", Some(&other_cookie)).await;
    assert!(html.contains("未读 0 条"));

    let own = [("csrf_token", csrf.as_str())];
    let (status, _, _) = post_form(&app, &format!("/topics/{id}/delete"), &cookie, &own).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = page(&app, "/topics", Some(&cookie)).await;
    assert!(!html.contains("导航专题"), "deleted");
}

async fn page_redirect(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location, response.text().await.unwrap())
}

//! Pages over HTTP: the language choice, sign-in redirects, CSRF on forms.

use ipyun_test_support::{StatusCode, TestApp};

async fn page(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

#[tokio::test]
async fn chinese_by_default_english_by_choice_and_the_choice_is_remembered() {
    let app = TestApp::init().await;
    let (status, _, html) = page(&app, "/login", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<html lang=\"zh-CN\">"),
        "Chinese is the default"
    );
    let (_, _, html) = page(&app, "/login", &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert!(
        html.contains("<html lang=\"en\">"),
        "Accept-Language decides without a choice"
    );
    let (_, headers, html) = page(&app, "/login?lang=en", &[("accept-language", "zh-CN")]).await;
    assert!(html.contains("<html lang=\"en\">"));
    let cookie = headers
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    assert!(
        cookie.starts_with("ipyun_lang=en"),
        "?lang= is remembered in a cookie: {cookie}"
    );
    let (_, _, html) = page(
        &app,
        "/login",
        &[("cookie", "ipyun_lang=en"), ("accept-language", "zh-CN")],
    )
    .await;
    assert!(
        html.contains("<html lang=\"en\">"),
        "the cookie beats Accept-Language"
    );
    assert!(
        !html.contains("https://") && !html.contains("http://"),
        "no external resources"
    );
}

#[tokio::test]
async fn signing_in_and_out_through_the_forms() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let (status, headers, _) = page(&app, "/rights", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get("location").unwrap(), "/login?next=%2Frights");
    let wrong = app
        .client
        .post(app.url("/login"))
        .form(&[("username", "admin"), ("password", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let signed_in = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("username", "admin"),
            ("password", admin.password.as_str()),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        signed_in.headers().get("location").unwrap(),
        "/rights",
        "only local next addresses are followed"
    );
    let cookie = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("ipyun_session="))
        .and_then(|value| value.split(';').next())
        .unwrap()
        .to_string();
    let (status, _, html) = page(&app, "/rights", &[("cookie", &cookie)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("csrf_token"),
        "the sign-out form carries the CSRF token"
    );
    let forged = app
        .client
        .post(app.url("/logout"))
        .header("cookie", &cookie)
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let (status, _, _) = page(&app, "/rights", &[("cookie", &cookie)]).await;
    assert_eq!(status, StatusCode::OK, "a forged sign-out changes nothing");
    let (status, _, html) = page(&app, "/rights/CN000", &[("cookie", &cookie)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("<html"), "errors are pages for page routes");
}

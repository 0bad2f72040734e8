//! `TestApp`: the real router served on a loopback port over a fresh database — a SQLite file in
//! a temporary directory, or a fresh PostgreSQL schema when `IPYUN_TEST_PG_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use ipyun_app::App;
use ipyun_app::auth::{AuthSettings, UserDraft, system_principal};
use ipyun_db::Db;
use ipyun_domain::clock::FixedClock;
use ipyun_domain::id::{ApplicationNo, Uscc};
use ipyun_domain::party::PartyDraft;
use rand::Rng;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;

pub use reqwest::StatusCode;

/// The instant every test starts at.
pub fn test_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
        .single()
        .expect("valid instant")
}

/// A fresh database: SQLite in `dir`, or a new schema on `IPYUN_TEST_PG_URL`.
pub async fn fresh_db(dir: &std::path::Path) -> Db {
    match std::env::var("IPYUN_TEST_PG_URL")
        .ok()
        .filter(|url| !url.is_empty())
    {
        Some(url) => {
            let schema = format!("t_{:016x}", rand::rng().random::<u64>());
            Db::open_postgres_schema(&url, &schema)
                .await
                .expect("open PostgreSQL test schema")
        }
        None => Db::open_sqlite_dir(dir)
            .await
            .expect("open SQLite test database"),
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A user made for a test, with an API token.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub username: String,
    pub password: String,
    pub token: String,
    pub party_id: Option<i64>,
}

/// A JSON answer: status and body.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// The error code of an error envelope.
    pub fn error_code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// `(field, code)` of each validation finding.
    pub fn error_fields(&self) -> Vec<(String, String)> {
        self.body["error"]["details"]
            .as_array()
            .map(|details| {
                details
                    .iter()
                    .map(|detail| {
                        (
                            detail["field"].as_str().unwrap_or("").to_string(),
                            detail["code"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    pub async fn init() -> TestApp {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = fresh_db(dir.path()).await;
        let clock = Arc::new(FixedClock::new(test_now()));
        let app = App::new(db, clock.clone(), AuthSettings::cheap_for_tests())
            .with_search_dir(&dir.path().join("search-index"))
            .expect("search index");
        let router = ipyun_web::router(ipyun_web::AppState::new(app.clone(), None));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local address");
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .expect("serve");
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client");
        TestApp {
            addr,
            app,
            clock,
            client,
            _dir: dir,
            server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Records a party directly (as the platform) and returns its id.
    pub async fn party(&self, draft: PartyDraft) -> i64 {
        self.app
            .create_party(&system_principal(), &draft)
            .await
            .expect("create party")
            .id
    }

    /// An enterprise with a valid USCC built from `serial` (unique per test).
    pub async fn enterprise(&self, name: &str, serial: u32, park_id: Option<i64>) -> (i64, String) {
        let uscc = test_uscc(serial);
        let id = self
            .party(PartyDraft {
                kind: Some("enterprise".into()),
                name: Some(name.into()),
                uscc: Some(uscc.clone()),
                region: Some("320505".into()),
                size_class: Some("small".into()),
                park_id,
                contact_name: Some("张三".into()),
                contact_phone: Some("13800000000".into()),
                ..PartyDraft::default()
            })
            .await;
        (id, uscc)
    }

    /// A party of another kind (lender, park, ip_office, …).
    pub async fn organisation(&self, kind: &str, name: &str) -> i64 {
        self.party(PartyDraft {
            kind: Some(kind.into()),
            name: Some(name.into()),
            region: Some("320000".into()),
            office_level: (kind == "ip_office").then(|| "provincial".to_string()),
            ..PartyDraft::default()
        })
        .await
    }

    /// A user of `role` acting for `party_id`, with an API token.
    pub async fn user(&self, username: &str, role: &str, party_id: Option<i64>) -> TestUser {
        let password = format!("{username}-password");
        let operator = system_principal();
        self.app
            .create_user(
                &operator,
                &UserDraft {
                    username: username.into(),
                    display_name: username.into(),
                    password: password.clone(),
                    role: role.into(),
                    party_id,
                },
            )
            .await
            .expect("create user");
        let token = self
            .app
            .create_api_token(&operator, username, "test")
            .await
            .expect("create token");
        TestUser {
            username: username.into(),
            password,
            token,
            party_id,
        }
    }

    pub async fn admin(&self) -> TestUser {
        self.user("admin", "platform_admin", None).await
    }

    async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("response body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Answer {
            status,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::answer(request.send().await.expect("send")).await
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Answer {
        let mut request = self.client.request(method, self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::answer(request.send().await.expect("send")).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        self.send_json(reqwest::Method::POST, path, token, body)
            .await
    }

    /// A JSON POST with extra headers (e.g. `Idempotency-Key`).
    pub async fn post_with_headers(
        &self,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> Answer {
        let mut request = self.client.post(self.url(path)).json(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::answer(request.send().await.expect("send")).await
    }

    /// Sends raw bytes with a content type: for malformed-input tests.
    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Answer {
        let mut request = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::answer(request.send().await.expect("send")).await
    }
}

/// A valid USCC, distinct per `serial`.
pub fn test_uscc(serial: u32) -> String {
    let body = format!("91320505MA{serial:07}");
    Uscc::from_body(&body)
        .expect("valid USCC body")
        .as_str()
        .to_string()
}

/// A valid invention application number, distinct per `serial`.
pub fn test_application_no(serial: u32) -> String {
    let body = format!("20211{serial:07}");
    ApplicationNo::from_body(&body)
        .expect("valid application number body")
        .as_str()
        .to_string()
}

/// A valid utility-model application number, distinct per `serial`.
pub fn test_utility_model_no(serial: u32) -> String {
    let body = format!("20212{serial:07}");
    ApplicationNo::from_body(&body)
        .expect("valid application number body")
        .as_str()
        .to_string()
}

/// A valid invention right held by one holder.
pub fn invention(serial: u32, holder_name: &str, holder_uscc: &str) -> Value {
    json!({
        "kind": "invention",
        "number": test_application_no(serial),
        "title": format!("一种测试方法{serial}"),
        "filing_date": "2021-03-15",
        "grant_date": "2023-06-20",
        "legal_status": "in_force",
        "annual_fee_paid_until": "2027-03-14",
        "ipc_main": "G06N 3/08",
        "holders": [{"name": holder_name, "uscc": holder_uscc}],
    })
}

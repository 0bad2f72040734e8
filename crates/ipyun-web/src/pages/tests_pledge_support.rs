//! What the pledge page tests share: a browser session (cookie and CSRF token) on the real server,
//! and a scene of an enterprise, a lender, an IP office and their users.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ipyun_test_support::{StatusCode, TestApp, TestUser, invention};
use serde_json::{Value, json};

/// A browser session: its cookie and CSRF token.
pub struct Session<'a> {
    app: &'a TestApp,
    cookie: String,
    pub csrf: String,
}

/// An answer: status, `Location` and body.
pub struct Html {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
}

async fn read(response: reqwest::Response) -> Html {
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    Html {
        status,
        location,
        body: response.text().await.unwrap(),
    }
}

/// The value of the first `csrf_token` field of a page.
fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).map(|at| at + marker.len()).unwrap_or(0);
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

impl<'a> Session<'a> {
    pub async fn sign_in(app: &'a TestApp, user: &TestUser) -> Session<'a> {
        let answer = app
            .client
            .post(app.url("/login"))
            .form(&[
                ("username", user.username.as_str()),
                ("password", user.password.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        let cookie = answer
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("ipyun_session="))
            .and_then(|value| value.split(';').next())
            .unwrap()
            .to_string();
        let mut session = Session {
            app,
            cookie,
            csrf: String::new(),
        };
        session.csrf = csrf_of(&session.get("/pledges").await.body);
        assert!(!session.csrf.is_empty());
        session
    }

    pub async fn get(&self, path: &str) -> Html {
        let request = self
            .app
            .client
            .get(self.app.url(path))
            .header("cookie", &self.cookie);
        read(request.send().await.unwrap()).await
    }

    /// Posts a form; `with_csrf` adds the session's token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)], with_csrf: bool) -> Html {
        let mut fields = fields.to_vec();
        if with_csrf {
            fields.push(("csrf_token", self.csrf.as_str()));
        }
        let request = self
            .app
            .client
            .post(self.app.url(path))
            .header("cookie", &self.cookie)
            .form(&fields);
        read(request.send().await.unwrap()).await
    }
}

pub async fn anonymous(app: &TestApp, path: &str) -> Html {
    read(app.client.get(app.url(path)).send().await.unwrap()).await
}

pub struct Scene {
    pub app: TestApp,
    pub admin: TestUser,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub uscc: String,
    pub owner: TestUser,
    pub banker: TestUser,
    pub examiner: TestUser,
}

impl Scene {
    pub async fn new() -> Scene {
        let app = TestApp::init().await;
        let admin = app.admin().await;
        let enterprise_name = "苏州质押科技有限公司".to_string();
        let (enterprise_id, uscc) = app.enterprise(&enterprise_name, 1, None).await;
        let owner = app.user("owner", "enterprise", Some(enterprise_id)).await;
        let lender = app.organisation("lender", "测试银行苏州分行").await;
        let banker = app.user("banker", "lender", Some(lender)).await;
        let office = app.organisation("ip_office", "江苏省知识产权局").await;
        let examiner = app.user("examiner", "examiner", Some(office)).await;
        Scene {
            app,
            admin,
            enterprise_id,
            enterprise_name,
            uscc,
            owner,
            banker,
            examiner,
        }
    }

    /// Records invention `serial`, held by the scene's enterprise; its number.
    pub async fn right(&self, serial: u32) -> String {
        let body = invention(serial, &self.enterprise_name, &self.uscc);
        let created = self
            .app
            .post("/api/v1/rights", Some(&self.admin.token), &body)
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        created.body["number"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// A complete application by `pledgor` over the inventions `numbers`.
    pub fn body(&self, numbers: &[&str]) -> Value {
        json!({
            "pledgor_id": self.enterprise_id,
            "loan_contract": {"contract_no": "JK-1", "debtor": self.enterprise_name, "principal_fen": 500_000_000,
                              "performance_start": "2026-11-23", "performance_end": "2027-11-22"},
            "pledge_contract": {"contract_no": "ZY-1", "secured_claim_kind": "loan", "secured_amount_fen": 500_000_000,
                                "scope": "本金及利息"},
            "rights": numbers.iter().map(|n| json!({"kind": "invention", "number": n})).collect::<Vec<_>>(),
            "commitment_letter": true
        })
    }

    /// Drafts `body` as `drafter` and confirms as `confirmer`; the confirmed application.
    pub async fn confirmed(&self, body: &Value, drafter: &TestUser, confirmer: &TestUser) -> Value {
        let drafted = self
            .app
            .post("/api/v1/pledge-applications", Some(&drafter.token), body)
            .await;
        assert_eq!(drafted.status, StatusCode::CREATED, "{:?}", drafted.body);
        let path = format!("/api/v1/pledge-applications/{}/confirm", drafted.body["id"]);
        let confirmed = self
            .app
            .post(&path, Some(&confirmer.token), &json!({}))
            .await;
        assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
        confirmed.body
    }
}

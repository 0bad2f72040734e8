//! The `ipyun` binary run as an operator runs it: commands, and `ipyun serve` processes driven over
//! HTTP (killed mid-load, or two at once on one PostgreSQL database).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod basics;
mod calendar;
mod loan;
mod never_doubled;
mod never_lost;
mod notice;
mod value;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_ipyun");

/// Runs `ipyun ARGS --data DATA` on SQLite.
pub fn ipyun(data: &Path, args: &[&str]) -> Output {
    ipyun_with(data, args, &[])
}

/// Runs `ipyun ARGS --data DATA` with extra environment (`DATABASE_URL` for PostgreSQL).
pub fn ipyun_with(data: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data")
        .arg(data)
        .env_remove("DATABASE_URL")
        .env("IPYUN_LOG", "warn")
        .envs(envs.iter().copied())
        .output()
        .expect("run ipyun")
}

/// Stdout of a command that must succeed.
pub fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// An `ipyun serve` process on a port the system chose; SIGKILLed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(data: &Path, envs: &[(&str, &str)]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(data)
            .env_remove("DATABASE_URL")
            .env_remove("IPYUN_LOG_FORMAT")
            .env("IPYUN_LOG", "warn,ipyun::serve=info")
            .envs(envs.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ipyun serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (ready, address) = std::sync::mpsc::channel();
        let kept = log.clone();
        // Reads stderr to its end, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some((_, rest)) = line.split_once("open http://") {
                    let addr = rest.split('/').next().unwrap_or_default().to_string();
                    let _ = ready.send(addr);
                }
                kept.lock().unwrap().push(line);
            }
        });
        let addr = match address.recv_timeout(Duration::from_secs(60)) {
            Ok(addr) => addr,
            Err(_) => panic!("ipyun serve did not start: {:?}", log.lock().unwrap()),
        };
        Server {
            child,
            base: format!("http://{addr}"),
            log,
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix), and reap it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A JSON client of one server.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
}

impl Api {
    pub fn new(server: &Server) -> Api {
        Api {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            base: server.base.clone(),
        }
    }

    async fn answer(
        request: reqwest::RequestBuilder,
    ) -> reqwest::Result<(u16, Value, reqwest::header::HeaderMap)> {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await?;
        Ok((
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
            headers,
        ))
    }

    pub async fn post(
        &self,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> reqwest::Result<(u16, Value, reqwest::header::HeaderMap)> {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::answer(request).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let (status, body, _) = Self::answer(request).await.expect("GET");
        (status, body)
    }

    /// Records a party as the platform; its id.
    pub async fn party(&self, admin: &str, draft: Value) -> i64 {
        let (status, body, _) = self
            .post("/api/v1/parties", admin, &[], &draft)
            .await
            .unwrap();
        assert_eq!(status, 201, "{body}");
        body["id"].as_i64().unwrap()
    }
}

/// A user of `role` for `party_id` and an API token, made with `ipyun admin`.
pub fn user_token(
    data: &Path,
    envs: &[(&str, &str)],
    username: &str,
    role: &str,
    party_id: Option<i64>,
) -> String {
    let party = party_id.map(|id| id.to_string());
    let mut args = vec![
        "admin",
        "create-user",
        "--username",
        username,
        "--password",
        "a-long-test-password",
        "--role",
        role,
    ];
    if let Some(party) = &party {
        args.extend(["--party-id", party.as_str()]);
    }
    ok(ipyun_with(data, &args, envs));
    let token = ok(ipyun_with(
        data,
        &["admin", "create-token", "--username", username],
        envs,
    ));
    token.trim().to_string()
}

pub fn enterprise_draft(name: &str, uscc: &str) -> Value {
    json!({"kind": "enterprise", "name": name, "uscc": uscc, "region": "320505", "size_class": "small"})
}

pub fn lender_draft(name: &str) -> Value {
    json!({"kind": "lender", "name": name, "region": "320000"})
}

/// Imports `numbers` as in-force inventions held wholly by `holder` with `uscc`
/// (`ipyun import rights`).
pub fn import_patents(
    data: &Path,
    envs: &[(&str, &str)],
    numbers: &[String],
    holder: &str,
    uscc: &str,
) {
    let mut csv = String::from(
        "kind,number,title,filing_date,grant_date,legal_status,annual_fee_paid_until,nice_class,ipc_main,renewals,holders\n",
    );
    for (index, number) in numbers.iter().enumerate() {
        csv.push_str(&format!(
            "invention,{number},一种命令行测试方法{index},2021-03-15,2023-06-20,in_force,2040-03-14,,G06N 3/08,0,{holder}|{uscc}|10000\n"
        ));
    }
    let file = tempfile::NamedTempFile::with_suffix(".csv").unwrap();
    std::fs::write(file.path(), csv).unwrap();
    let out = ok(ipyun_with(
        data,
        &["import", "rights", file.path().to_str().unwrap()],
        envs,
    ));
    assert!(
        out.contains(&format!("{} inserted", numbers.len())),
        "{out}"
    );
}

/// An application by a lender over one invention of `pledgor_id`.
pub fn application(pledgor_id: i64, debtor: &str, number: &str, serial: usize) -> Value {
    json!({
        "pledgor_id": pledgor_id,
        "loan_contract": {"contract_no": format!("JK-{serial}"), "debtor": debtor, "principal_fen": 100_000_000,
                          "performance_start": "2026-11-23", "performance_end": "2027-11-22"},
        "pledge_contract": {"contract_no": format!("ZY-{serial}"), "secured_claim_kind": "loan",
                            "secured_amount_fen": 100_000_000, "scope": "本金、利息"},
        "rights": [{"kind": "invention", "number": number}],
        "commitment_letter": true
    })
}

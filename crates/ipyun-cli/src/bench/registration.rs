//! `ipyun bench registration`: pledge registrations end to end — `POST /api/v1/pledge-applications`
//! by a lender then `POST …/{id}/confirm` by the enterprise, over HTTP with C concurrent
//! keep-alive clients against the real router on a fresh SQLite database (WAL,
//! `synchronous=FULL`: every commit is durable). Beside it, measured in the same directory in the
//! same run: the disk's fsync rate, since each registration needs two durable commits.

use crate::context::SystemClock;
use anyhow::{Context, bail};
use ipyun_app::App;
use ipyun_app::auth::{AuthSettings, UserDraft, system_principal};
use ipyun_db::Db;
use ipyun_domain::id::{ApplicationNo, Uscc};
use ipyun_domain::party::PartyDraft;
use ipyun_domain::right::{HolderDraft, RightDraft};
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const SEED_BATCH: u64 = 5_000;
const ENTERPRISE: &str = "苏州基准质押科技有限公司";
const TARGET_PER_SECOND: f64 = 1_000.0;
const TARGET_CONFIRM_P99: Duration = Duration::from_millis(50);
const FSYNC_SECONDS: f64 = 2.0;

/// A distinct invention application number per serial (filed 2015–2024, so in force past 2027).
fn application_no(serial: u64) -> anyhow::Result<String> {
    let year = 2015 + serial % 10;
    Ok(
        ApplicationNo::from_body(&format!("{year}1{:07}", serial / 10))
            .map_err(|error| anyhow::anyhow!("application number for {serial}: {error}"))?
            .as_str()
            .to_string(),
    )
}

async fn seed_rights(app: &App, count: u64, uscc: &str) -> anyhow::Result<()> {
    let today = app.clock().today();
    let paid_until = (today + chrono::Days::new(365)).to_string();
    let mut serial = 0;
    while serial < count {
        let end = (serial + SEED_BATCH).min(count);
        let mut batch = Vec::with_capacity(usize::try_from(end - serial).unwrap_or(0));
        for index in serial..end {
            let year = 2015 + index % 10;
            let draft = RightDraft {
                kind: Some("invention".into()),
                number: Some(application_no(index)?),
                title: Some(format!("一种质押基准测试方法{index}")),
                filing_date: Some(format!("{year}-03-15")),
                grant_date: Some(format!("{}-06-20", year + 2)),
                legal_status: Some("in_force".into()),
                annual_fee_paid_until: Some(paid_until.clone()),
                ipc_main: Some("G06N 3/08".into()),
                holders: vec![HolderDraft {
                    name: Some(ENTERPRISE.into()),
                    uscc: Some(uscc.to_string()),
                    share_bp: None,
                }],
                ..RightDraft::default()
            };
            batch.push(
                draft
                    .validate(today)
                    .map_err(|errors| anyhow::anyhow!("bench right {index}: {errors:?}"))?,
            );
        }
        app.db()
            .upsert_rights(&batch, "bench", app.clock().now())
            .await?;
        serial = end;
    }
    Ok(())
}

async fn user_with_token(
    app: &App,
    username: &str,
    role: &str,
    party_id: i64,
) -> anyhow::Result<String> {
    let operator = system_principal();
    let draft = UserDraft {
        username: username.into(),
        display_name: username.into(),
        password: "bench-password-1".into(),
        role: role.into(),
        party_id: Some(party_id),
    };
    app.create_user(&operator, &draft)
        .await
        .map_err(crate::admin::describe)?;
    app.create_api_token(&operator, username, "bench")
        .await
        .map_err(crate::admin::describe)
}

/// fdatasync rate of the directory's disk: 8 KiB written then `sync_data`, for about two seconds.
fn fsync_rate(dir: &Path) -> anyhow::Result<(f64, Duration)> {
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path)?;
    let block = vec![0x5a_u8; 8192];
    let started = Instant::now();
    let mut syncs = 0_u32;
    while started.elapsed().as_secs_f64() < FSYNC_SECONDS {
        file.write_all(&block)?;
        file.sync_data()?;
        syncs += 1;
    }
    let elapsed = started.elapsed();
    drop(file);
    std::fs::remove_file(&path)?;
    Ok((
        f64::from(syncs) / elapsed.as_secs_f64(),
        elapsed / syncs.max(1),
    ))
}

fn body(pledgor_id: i64, serial: u64, number: &str) -> Value {
    json!({
        "pledgor_id": pledgor_id,
        "loan_contract": {"contract_no": format!("JK-B-{serial}"), "debtor": ENTERPRISE, "principal_fen": 100_000_000,
                          "performance_start": "2026-11-23", "performance_end": "2027-11-22"},
        "pledge_contract": {"contract_no": format!("ZY-B-{serial}"), "secured_claim_kind": "loan",
                            "secured_amount_fen": 100_000_000, "scope": "本金、利息"},
        "rights": [{"kind": "invention", "number": number}],
        "commitment_letter": true
    })
}

struct Client {
    http: reqwest::Client,
    base: String,
    lender_token: String,
    owner_token: String,
    pledgor_id: i64,
}

#[derive(Default)]
struct Timings {
    apply: Vec<Duration>,
    confirm: Vec<Duration>,
    registered: u64,
    other: Vec<String>,
}

async fn post(client: &Client, path: &str, token: &str, body: &Value) -> anyhow::Result<Value> {
    let response = client
        .http
        .post(format!("{}{path}", client.base))
        .bearer_auth(token)
        .json(body)
        .send()
        .await?;
    let status = response.status();
    let answer: Value = response.json().await?;
    if !status.is_success() {
        bail!("POST {path}: {status} {answer}");
    }
    Ok(answer)
}

async fn drive(client: Arc<Client>, next: Arc<AtomicU64>, count: u64) -> anyhow::Result<Timings> {
    let mut timings = Timings::default();
    loop {
        let serial = next.fetch_add(1, Ordering::Relaxed);
        if serial >= count {
            return Ok(timings);
        }
        let number = application_no(serial)?;
        let started = Instant::now();
        let drafted = post(
            &client,
            "/api/v1/pledge-applications",
            &client.lender_token,
            &body(client.pledgor_id, serial, &number),
        )
        .await?;
        let applied = Instant::now();
        timings.apply.push(applied - started);
        let id = drafted["id"].as_i64().context("an application id")?;
        let confirmed = post(
            &client,
            &format!("/api/v1/pledge-applications/{id}/confirm"),
            &client.owner_token,
            &json!({}),
        )
        .await?;
        timings.confirm.push(applied.elapsed());
        if confirmed["status"] == "registered" {
            timings.registered += 1;
        } else if timings.other.len() < 5 {
            timings.other.push(confirmed.to_string());
        }
    }
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (fraction * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}

/// Thousands separated by commas.
fn grouped(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// User and system CPU seconds this process has used (Linux; zero elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name's closing parenthesis; utime and stime are the 12th and 13th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |index: usize| {
        fields
            .get(index)
            .and_then(|field| field.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

pub async fn run(count: u64, concurrency: u32, work_dir: Option<&Path>) -> anyhow::Result<()> {
    if count == 0 || concurrency == 0 {
        bail!("--count and --concurrency must be at least 1");
    }
    if count > 9_999_999 {
        bail!("at most 9,999,999 registrations (distinct application numbers)");
    }
    let dir = match work_dir {
        Some(parent) => {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
            tempfile::Builder::new()
                .prefix("bench-registration-")
                .tempdir_in(parent)?
        }
        None => tempfile::Builder::new()
            .prefix("ipyun-bench-registration-")
            .tempdir()?,
    };
    let db = Db::open_sqlite_dir(dir.path()).await?;
    let app = App::new(db, Arc::new(SystemClock), AuthSettings::cheap_for_tests());
    let operator = system_principal();
    let uscc = Uscc::from_body("91320505MA0000001")
        .map_err(|error| anyhow::anyhow!("{error}"))?
        .as_str()
        .to_string();
    let pledgor_id = app
        .create_party(
            &operator,
            &PartyDraft {
                kind: Some("enterprise".into()),
                name: Some(ENTERPRISE.into()),
                uscc: Some(uscc.clone()),
                region: Some("320505".into()),
                size_class: Some("small".into()),
                ..PartyDraft::default()
            },
        )
        .await
        .map_err(crate::admin::describe)?
        .id;
    let lender_id = app
        .create_party(
            &operator,
            &PartyDraft {
                kind: Some("lender".into()),
                name: Some("基准银行苏州分行".into()),
                region: Some("320000".into()),
                ..PartyDraft::default()
            },
        )
        .await
        .map_err(crate::admin::describe)?
        .id;
    eprintln!("seeding {count} patents in {} …", dir.path().display());
    let seeding = Instant::now();
    seed_rights(&app, count, &uscc).await?;
    eprintln!("seeded in {:.1} s", seeding.elapsed().as_secs_f64());
    let lender_token = user_with_token(&app, "bench-lender", "lender", lender_id).await?;
    let owner_token = user_with_token(&app, "bench-owner", "enterprise", pledgor_id).await?;

    let (fsync_per_second, fsync_each) = fsync_rate(dir.path())?;

    let router = ipyun_web::router(ipyun_web::AppState::new(app.clone(), None));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(usize::try_from(concurrency).unwrap_or(64))
        .tcp_nodelay(true)
        .build()?;
    let client = Arc::new(Client {
        http,
        base: format!("http://{addr}"),
        lender_token,
        owner_token,
        pledgor_id,
    });
    let next = Arc::new(AtomicU64::new(0));
    eprintln!("registering {count} pledges with {concurrency} clients …");
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| tokio::spawn(drive(client.clone(), next.clone(), count)))
        .collect();
    let mut all = Timings::default();
    let mut failures = Vec::new();
    for task in tasks {
        match task.await? {
            Ok(timings) => {
                all.apply.extend(timings.apply);
                all.confirm.extend(timings.confirm);
                all.registered += timings.registered;
                all.other.extend(timings.other);
            }
            Err(error) => failures.push(format!("{error:#}")),
        }
    }
    let elapsed = started.elapsed();
    let cpu = cpu_seconds() - cpu_before;
    server.abort();
    all.apply.sort_unstable();
    all.confirm.sort_unstable();

    let per_second = all.registered as f64 / elapsed.as_secs_f64();
    println!();
    println!(
        "pledge registration over HTTP: POST application + POST confirm, {count} patents, {concurrency} keep-alive clients, in-process server"
    );
    println!("SQLite, WAL, synchronous=FULL, in {}", dir.path().display());
    println!(
        "registrations/s {:>10}   total {:.1} s   ({} registered answers of {count})",
        grouped(per_second),
        elapsed.as_secs_f64(),
        all.registered
    );
    println!("{:<8} {:>10} {:>10} {:>10}", "call", "p50", "p95", "p99");
    for (name, sorted) in [("apply", &all.apply), ("confirm", &all.confirm)] {
        println!(
            "{:<8} {:>10} {:>10} {:>10}",
            name,
            ms(percentile(sorted, 0.50)),
            ms(percentile(sorted, 0.95)),
            ms(percentile(sorted, 0.99))
        );
    }
    let ceiling = fsync_per_second / 2.0;
    println!(
        "baseline, same directory, same run: fsync {}/s ({:.0} µs) — 2 durable commits per registration, so {} registrations/s if every commit waits for its own fsync",
        grouped(fsync_per_second),
        fsync_each.as_secs_f64() * 1e6,
        grouped(ceiling)
    );
    println!(
        "CPU (server and clients, this process): {:.2} s, {:.0} µs per registration, {:.0}% of 1 core",
        cpu,
        cpu * 1e6 / all.registered.max(1) as f64,
        100.0 * cpu / elapsed.as_secs_f64()
    );
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    let confirm_p99 = percentile(&all.confirm, 0.99);
    println!(
        "target ≥ {} registrations/s: {}",
        grouped(TARGET_PER_SECOND),
        verdict(per_second >= TARGET_PER_SECOND)
    );
    println!(
        "target confirm p99 ≤ {}: {}",
        ms(TARGET_CONFIRM_P99),
        verdict(confirm_p99 <= TARGET_CONFIRM_P99)
    );
    if !failures.is_empty() {
        bail!(
            "{} client(s) stopped on an error; first: {}",
            failures.len(),
            failures[0]
        );
    }
    if all.registered != count {
        bail!(
            "only {} of {count} confirmations answered `registered`; for example: {}",
            all.registered,
            all.other.join(" | ")
        );
    }
    Ok(())
}

//! `ipyun bench rights-get`: the registry's hottest read under load, beside a trivial handler.

use super::wrk;
use crate::context::SystemClock;
use anyhow::Context;
use ipyun_app::App;
use ipyun_app::auth::{AuthSettings, UserDraft, system_principal};
use ipyun_db::Db;
use ipyun_domain::id::{ApplicationNo, Uscc};
use ipyun_domain::right::{HolderDraft, RightDraft};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

const SAMPLE_PATHS: u64 = 20_000;
const SEED_BATCH: u64 = 5_000;

fn application_no(serial: u64) -> Option<String> {
    // 2010–2025 filings, invention kind digit 1, a 7-digit serial.
    let year = 2010 + serial % 16;
    ApplicationNo::from_body(&format!("{year}1{:07}", serial / 16))
        .ok()
        .map(|number| number.as_str().to_string())
}

fn draft(serial: u64, holder_uscc: &str) -> RightDraft {
    let year = 2010 + serial % 16;
    RightDraft {
        kind: Some("invention".into()),
        number: application_no(serial),
        title: Some(format!("一种基准测试方法及装置{serial}")),
        filing_date: Some(format!("{year}-03-15")),
        grant_date: Some(format!("{}-06-20", year + 1)),
        legal_status: Some("in_force".into()),
        ipc_main: Some("G06N 3/08".into()),
        holders: vec![HolderDraft {
            name: Some(format!("基准企业{}有限公司", serial % 5_000)),
            uscc: Some(holder_uscc.to_string()),
            share_bp: None,
        }],
        ..RightDraft::default()
    }
}

async fn seed(app: &App, rows: u64) -> anyhow::Result<()> {
    let present = u64::try_from(app.db().count_rights().await?).unwrap_or(0);
    if present >= rows {
        println!("reusing {present} rights already in the bench database");
        return Ok(());
    }
    let holder_uscc = Uscc::from_body("91110108MA0000001")
        .map_err(|error| anyhow::anyhow!("{error}"))?
        .as_str()
        .to_string();
    let progress = indicatif::ProgressBar::new(rows);
    let today = app.clock().today();
    let mut serial = present;
    while serial < rows {
        let end = (serial + SEED_BATCH).min(rows);
        let uscc = holder_uscc.clone();
        let batch = tokio::task::spawn_blocking(move || {
            (serial..end)
                .filter_map(|index| draft(index, &uscc).validate(today).ok())
                .collect::<Vec<_>>()
        })
        .await?;
        app.db()
            .upsert_rights(&batch, "bench", app.clock().now())
            .await?;
        progress.set_position(end);
        serial = end;
    }
    progress.finish_and_clear();
    Ok(())
}

async fn serve(router: axum::Router) -> anyhow::Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            eprintln!("bench server stopped: {error}");
        }
    });
    Ok(addr)
}

pub async fn run(rows: u64, seconds: u32, connections: u32, work_dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(work_dir)
        .with_context(|| format!("cannot create {}", work_dir.display()))?;
    let db = Db::open_sqlite_dir(work_dir).await?;
    let app = App::new(db, Arc::new(SystemClock), AuthSettings::cheap_for_tests());
    seed(&app, rows).await?;
    let operator = system_principal();
    let username = "bench-reader";
    if app.db().principal_by_username(username).await?.is_none() {
        let user = UserDraft {
            username: username.into(),
            display_name: "bench".into(),
            password: "bench-password-1".into(),
            role: "platform_admin".into(),
            party_id: None,
        };
        app.create_user(&operator, &user)
            .await
            .map_err(crate::admin::describe)?;
    }
    let token = app
        .create_api_token(&operator, username, "bench")
        .await
        .map_err(crate::admin::describe)?;

    let script_path = work_dir.join("rights-get.lua");
    let mut script = std::io::BufWriter::new(std::fs::File::create(&script_path)?);
    writeln!(script, "local paths = {{")?;
    let stride = (rows / SAMPLE_PATHS).max(1);
    for index in 0..SAMPLE_PATHS.min(rows) {
        if let Some(number) = application_no((index * stride + index % stride) % rows) {
            writeln!(script, "  \"/api/v1/rights/{number}\",")?;
        }
    }
    writeln!(
        script,
        "}}\nlocal counter = 0\nwrk.headers[\"Authorization\"] = \"Bearer {token}\""
    )?;
    writeln!(
        script,
        "request = function()\n  counter = counter % #paths + 1\n  return wrk.format(\"GET\", paths[counter])\nend"
    )?;
    script.flush()?;
    drop(script);

    let ipyun_addr = serve(ipyun_web::router(ipyun_web::AppState::new(
        app.clone(),
        None,
    )))
    .await?;
    let trivial_addr =
        serve(axum::Router::new().route("/hello", axum::routing::get(|| async { "hello" })))
            .await?;
    println!("warming up…");
    wrk::run(
        &format!("http://{ipyun_addr}/"),
        Some(&script_path),
        2,
        connections,
    )
    .await?;
    let baseline = wrk::run(
        &format!("http://{trivial_addr}/hello"),
        None,
        seconds,
        connections,
    )
    .await?;
    let measured = wrk::run(
        &format!("http://{ipyun_addr}/"),
        Some(&script_path),
        seconds,
        connections,
    )
    .await?;

    let rows_present = app.db().count_rights().await?;
    println!();
    println!(
        "GET /api/v1/rights/{{application_no}} over {rows_present} rights (SQLite), wrk -t1 -c{connections} -d{seconds}s"
    );
    println!(
        "{:<34} {:>12} {:>10} {:>10}",
        "", "requests/s", "p50", "p99"
    );
    let line = |name: &str, figures: &wrk::LoadFigures| {
        println!(
            "{:<34} {:>12.0} {:>10} {:>10}",
            name,
            figures.requests_per_second,
            format!("{:.2}ms", figures.p50.as_secs_f64() * 1e3),
            format!("{:.2}ms", figures.p99.as_secs_f64() * 1e3)
        );
    };
    line("ipyun GET right (auth + SQLite)", &measured);
    line("baseline: trivial axum handler", &baseline);
    println!(
        "ratio to baseline: {:.1}%; non-2xx answers: {}",
        100.0 * measured.requests_per_second / baseline.requests_per_second.max(1.0),
        measured.failed_responses
    );
    let throughput_ok = measured.requests_per_second >= 15_000.0;
    let latency_ok = measured.p99.as_secs_f64() <= 0.010;
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    println!("target ≥ 15,000 requests/s: {}", verdict(throughput_ok));
    println!("target p99 ≤ 10 ms: {}", verdict(latency_ok));
    println!(
        "all answers 200: {}",
        verdict(measured.failed_responses == 0)
    );
    Ok(())
}

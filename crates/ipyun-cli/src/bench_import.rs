//! `ipyun bench import`: generates a CSV of synthetic valid rights, imports it with the `sqlite3`
//! shell's `.import` (the baseline) and with ipyun's importer, and prints both figures with the
//! verdict against the targets: at most 60 s, and at most 3× the baseline.

use anyhow::{Context, bail};
use chrono::{Datelike, NaiveDate};
use ipyun_app::App;
use ipyun_app::auth::{AuthSettings, system_principal};
use ipyun_app::transfer::{ImportProgress, Subject};
use ipyun_domain::id::{ApplicationNo, Uscc};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TARGET_SECONDS: f64 = 60.0;
const TARGET_RATIO: f64 = 3.0;
/// Numbers are built from the row index and stay unique up to this many rows.
const MAX_ROWS: u64 = 9_000_000;
const HOLDERS: u64 = 1_000;

const TOPICS: &[&str] = &[
    "芯片封装",
    "锂电池隔膜",
    "图像识别",
    "风力发电机叶片",
    "中药提取",
    "光伏组件",
    "工业机器人关节",
    "数据压缩",
    "医用导管",
    "无人机飞控",
    "纺织染色",
    "智能电表",
];
const FORMS: &[&str] = &["方法", "装置", "系统", "结构", "组合物", "工艺"];
const IPC: &[&str] = &[
    "H01L 21/56",
    "H01M 50/40",
    "G06V 10/82",
    "F03D 1/06",
    "A61K 36/00",
    "H02S 40/00",
];

fn csv_header() -> &'static str {
    "kind,number,title,filing_date,grant_date,legal_status,annual_fee_paid_until,nice_class,ipc_main,renewals,holders"
}

/// One valid right per index: kinds mixed, numbers unique with valid check digits, one holder.
fn write_row(out: &mut impl Write, index: u64, holders: &[String]) -> anyhow::Result<()> {
    let year = 2010 + i32::try_from(index % 14).unwrap_or(0);
    let month = u32::try_from(index % 12).unwrap_or(0) + 1;
    let day = u32::try_from(index % 28).unwrap_or(0) + 1;
    let filed = NaiveDate::from_ymd_opt(year, month, day).context("a generated date")?;
    let granted = filed.with_year(year + 1).unwrap_or(filed);
    let topic = TOPICS[usize::try_from(index % 12).unwrap_or(0)];
    let form = FORMS[usize::try_from(index / 12 % 6).unwrap_or(0)];
    let holder = &holders[usize::try_from(index % HOLDERS).unwrap_or(0)];
    let (kind, number, title, nice, ipc, fee) = match index % 10 {
        digit @ 0..=6 => {
            let (kind, kind_digit) = match digit {
                0..=3 => ("invention", 1),
                4 | 5 => ("utility_model", 2),
                _ => ("design", 3),
            };
            let number = ApplicationNo::from_body(&format!("{year}{kind_digit}{index:07}"))?;
            let ipc = if kind_digit == 3 {
                ""
            } else {
                IPC[usize::try_from(index % 6).unwrap_or(0)]
            };
            let fee = granted.with_year(2026).unwrap_or(granted).to_string();
            (
                kind,
                number.as_str().to_string(),
                format!("一种{topic}{form}（{index}）"),
                String::new(),
                ipc,
                fee,
            )
        }
        7 => (
            "trademark",
            format!("{}", 10_000_000 + index),
            format!("瑞芯{index}"),
            (index % 45 + 1).to_string(),
            "",
            String::new(),
        ),
        8 => (
            "software_copyright",
            format!("{year}SR{index:07}"),
            format!("{topic}管理软件V{}.0", index % 9 + 1),
            String::new(),
            "",
            String::new(),
        ),
        _ => (
            "ic_layout",
            format!("BS.215{:06}", index / 10),
            format!("{topic}芯片布图{index}"),
            String::new(),
            "",
            String::new(),
        ),
    };
    writeln!(
        out,
        "{kind},{number},{title},{filed},{granted},in_force,{fee},{nice},{ipc},0,{holder}"
    )?;
    Ok(())
}

fn write_csv(path: &Path, rows: u64) -> anyhow::Result<u64> {
    let holders: Vec<String> = (0..HOLDERS)
        .map(|index| {
            let uscc = Uscc::from_body(&format!("91320500MA{index:07}"))?;
            Ok(format!(
                "苏州第{index}号科技有限公司|{}|10000",
                uscc.as_str()
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(out, "{}", csv_header())?;
    for index in 0..rows {
        write_row(&mut out, index, &holders)?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// The plain baseline: a table with the file's columns and a unique index on the number, in the
/// shell's default settings (rollback journal, `synchronous=FULL`).
const PLAIN_SETUP: &str = "CREATE UNIQUE INDEX rights_number ON rights(number);";

/// The same-table baseline: also the secondary index ipyun's `rights` table keeps, and ipyun's
/// settings (WAL, `synchronous=FULL`).
const SAME_TABLE_SETUP: &str = "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n\
     CREATE UNIQUE INDEX rights_number ON rights(number);\n\
     CREATE INDEX rights_kind_status ON rights(kind, legal_status);";

/// `sqlite3`'s own `.import` into a table with the file's columns, prepared by `setup`;
/// `None` when the shell is not installed.
async fn sqlite3_import(
    csv: &Path,
    work_dir: &Path,
    rows: u64,
    setup: &str,
) -> anyhow::Result<Option<Duration>> {
    let database = work_dir.join("bench-sqlite3.db");
    remove_if_present(&database)?;
    let csv_text = csv
        .to_str()
        .context("the work directory's path should be UTF-8")?;
    if csv_text.contains(['"', '\n']) {
        bail!("the work directory's path should not contain quotes or line breaks");
    }
    let columns = csv_header()
        .split(',')
        .map(|column| format!("{column} TEXT"))
        .collect::<Vec<_>>()
        .join(", ");
    let script = format!(
        "CREATE TABLE rights ({columns});\n{setup}\n.import --csv --skip 1 \"{csv_text}\" rights\n\
         SELECT count(*) FROM rights;\n"
    );
    let started = Instant::now();
    let child = tokio::process::Command::new("sqlite3")
        .arg(&database)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            println!(
                "sqlite3 is not installed: the comparison is skipped (install it with `apt-get install sqlite3`)"
            );
            return Ok(None);
        }
        Err(error) => return Err(error).context("cannot start sqlite3"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        tokio::io::AsyncWriteExt::write_all(&mut stdin, script.as_bytes()).await?;
    }
    let output = child.wait_with_output().await?;
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let counted = stdout.lines().last().unwrap_or_default().trim().to_string();
    if !output.status.success() || counted != rows.to_string() {
        bail!(
            "sqlite3 .import failed (imported {counted:?} of {rows} rows): {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    remove_if_present(&database)?;
    Ok(Some(elapsed))
}

async fn ipyun_import(
    csv: &Path,
    work_dir: &Path,
    rows: u64,
    bytes: u64,
) -> anyhow::Result<Duration> {
    let data_dir = work_dir.join("bench-ipyun");
    if data_dir.exists() {
        std::fs::remove_dir_all(&data_dir)
            .with_context(|| format!("cannot clear {}", data_dir.display()))?;
    }
    let db = ipyun_db::Db::open_sqlite_dir(&data_dir).await?;
    let app = App::new(
        db,
        Arc::new(crate::context::SystemClock),
        AuthSettings::cheap_for_tests(),
    );
    let bar = indicatif::ProgressBar::new(bytes);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "ipyun import   [{bar:40}] {bytes}/{total_bytes} {elapsed}",
    ) {
        bar.set_style(style);
    }
    let progress = |step: ImportProgress| bar.set_position(step.bytes_done);
    let started = Instant::now();
    let report = app
        .import_file(&system_principal(), Subject::Rights, csv, &progress)
        .await
        .map_err(|error| anyhow::anyhow!("{}: {}", error.code, error.message))?;
    let elapsed = started.elapsed();
    bar.finish_and_clear();
    app.db().close().await;
    if report.inserted != rows || report.rejected != 0 {
        bail!(
            "ipyun imported {} of {rows} rows ({} rejected; first: {:?})",
            report.inserted,
            report.rejected,
            report.rejections.first()
        );
    }
    std::fs::remove_dir_all(&data_dir)
        .with_context(|| format!("cannot remove {}", data_dir.display()))?;
    Ok(elapsed)
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

fn rate(rows: u64, elapsed: Duration) -> String {
    let per_second = rows as f64 / elapsed.as_secs_f64().max(1e-9);
    format!(
        "{:>10.2} s {:>12.0} rows/s",
        elapsed.as_secs_f64(),
        per_second
    )
}

fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "FAIL" }
}

/// Generates `rows` rights into `work_dir`, imports them both ways and prints the comparison.
pub async fn run(rows: u64, work_dir: &Path) -> anyhow::Result<()> {
    if rows == 0 || rows > MAX_ROWS {
        bail!("the benchmark takes 1 to {MAX_ROWS} rows");
    }
    std::fs::create_dir_all(work_dir)
        .with_context(|| format!("cannot create {}", work_dir.display()))?;
    let csv = work_dir.join("bench-rights.csv");
    let started = Instant::now();
    let bytes = {
        let csv = csv.clone();
        tokio::task::spawn_blocking(move || write_csv(&csv, rows)).await??
    };
    println!(
        "generated {rows} rights ({:.1} MB) in {:.1} s: {}",
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        csv.display()
    );
    let plain = sqlite3_import(&csv, work_dir, rows, PLAIN_SETUP).await?;
    let baseline = sqlite3_import(&csv, work_dir, rows, SAME_TABLE_SETUP).await?;
    let ours = ipyun_import(&csv, work_dir, rows, bytes).await?;
    remove_if_present(&csv)?;

    println!();
    println!("{:<26}{rows:>12}", "rows");
    if let (Some(plain), Some(baseline)) = (plain, baseline) {
        println!("{:<26}{}", "sqlite3 .import, plain", rate(rows, plain));
        println!("{:<26}{}", "sqlite3 .import, same", rate(rows, baseline));
        println!(
            "{:<26}{:>11.2}×   (plain: unique number only, rollback journal)",
            "ratio ipyun / plain",
            ours.as_secs_f64() / plain.as_secs_f64().max(1e-9)
        );
    }
    println!("{:<26}{}", "ipyun import", rate(rows, ours));
    let seconds = ours.as_secs_f64();
    println!(
        "{:<26}{:>12}",
        format!("≤ {TARGET_SECONDS:.0} s"),
        verdict(seconds <= TARGET_SECONDS)
    );
    match baseline {
        Some(baseline) => {
            let ratio = seconds / baseline.as_secs_f64().max(1e-9);
            println!(
                "{:<26}{:>11.2}×   (same: the rights table's indexes, WAL, synchronous=FULL)",
                "ratio ipyun / same", ratio
            );
            println!(
                "{:<26}{:>12}",
                format!("≤ {TARGET_RATIO:.0}× sqlite3"),
                verdict(ratio <= TARGET_RATIO)
            );
        }
        None => println!(
            "{:<26}{:>12}",
            format!("≤ {TARGET_RATIO:.0}× sqlite3"),
            "skipped"
        ),
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_small_run_imports_every_generated_row() {
        let dir = std::env::temp_dir().join(format!("ipyun-bench-import-{}", std::process::id()));
        let outcome = super::run(5_000, &dir).await;
        std::fs::remove_dir_all(&dir).unwrap();
        outcome.unwrap();
    }
}

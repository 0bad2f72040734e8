//! `ipyun loan …`: the schedule printed exactly as the domain's CSV, bad input named with exit 2,
//! and the daily job on a database.

use crate::{ipyun, ok};
use ipyun_domain::loan::{DayCount, RepaymentMethod, ScheduleInput, schedule, to_csv};
use ipyun_domain::valuation::Decimal;
use std::str::FromStr;

/// Runs `ipyun loan schedule ARGS`, which must fail with exit 2; its stderr.
fn refused(args: &[&str]) -> String {
    let data = tempfile::tempdir().unwrap();
    let mut all = vec!["loan", "schedule"];
    all.extend_from_slice(args);
    let output = ipyun(data.path(), &all);
    assert_eq!(
        output.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn the_schedule_is_the_domains_csv() {
    let data = tempfile::tempdir().unwrap();
    let args = [
        "loan",
        "schedule",
        "--principal",
        "1000000",
        "--annual-rate-pct",
        "4.9",
        "--months",
        "240",
        "--method",
        "equal-instalment",
        "--start",
        "2026-01-15",
    ];
    let csv = ok(ipyun(data.path(), &args));
    let expected = to_csv(
        &schedule(&ScheduleInput {
            principal_fen: 100_000_000,
            annual_rate_pct: Decimal::from_str("4.9").unwrap(),
            months: 240,
            method: RepaymentMethod::EqualInstalment,
            start_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
            day_count: DayCount::Monthly,
        })
        .unwrap(),
    );
    assert_eq!(csv, expected);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "period,due_date,payment,principal,interest,balance"
    );
    assert_eq!(lines.len(), 241);
    assert!(
        lines[1].starts_with("1,2026-02-15,6544.44,"),
        "{}",
        lines[1]
    );
    assert!(lines[240].ends_with(",0.00"), "{}", lines[240]);

    let bullet = ok(ipyun(
        data.path(),
        &[
            "loan",
            "schedule",
            "--principal",
            "1200",
            "--annual-rate-pct",
            "6",
            "--months",
            "12",
            "--method",
            "bullet",
            "--start",
            "2026-01-31",
            "--day-count",
            "actual-365",
        ],
    ));
    assert_eq!(
        bullet,
        "period,due_date,payment,principal,interest,balance\n1,2027-01-31,1272.00,1200.00,72.00,0.00\n"
    );
}

#[test]
fn bad_input_names_the_option_and_exits_2() {
    let base = [
        "--principal",
        "1000000",
        "--annual-rate-pct",
        "4.9",
        "--months",
        "12",
    ];
    let mut weekly = base.to_vec();
    weekly.extend(["--method", "weekly"]);
    let stderr = refused(&weekly);
    assert!(stderr.contains("error: --method:"), "{stderr}");
    let stderr = refused(&[
        "--principal",
        "ten",
        "--annual-rate-pct",
        "40",
        "--months",
        "0",
        "--method",
        "bullet",
        "--start",
        "2026-02-30",
    ]);
    for option in ["--principal", "--start"] {
        assert!(
            stderr.contains(&format!("error: {option}:")),
            "{option}: {stderr}"
        );
    }
    let stderr = refused(&[
        "--principal",
        "100",
        "--annual-rate-pct",
        "40",
        "--months",
        "0",
        "--method",
        "bullet",
    ]);
    for option in ["--annual-rate-pct", "--months"] {
        assert!(
            stderr.contains(&format!("error: {option}:")),
            "{option}: {stderr}"
        );
    }
}

#[test]
fn the_daily_job_runs_on_a_database() {
    let data = tempfile::tempdir().unwrap();
    let out = ok(ipyun(data.path(), &["loan", "day", "--date", "2027-01-01"]));
    assert!(
        out.starts_with("loan day 2027-01-01: 0 loans, 0 overdue"),
        "{out}"
    );
    let output = ipyun(data.path(), &["loan", "day", "--date", "tomorrow"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error: --date:"));
}

#[test]
fn the_loans_benchmark_loads_a_book_and_times_the_daily_job_beside_its_baseline() {
    let work = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(crate::BIN)
        .args([
            "bench",
            "loans",
            "--loans",
            "60",
            "--months",
            "6",
            "--work-dir",
        ])
        .arg(work.path())
        .env("IPYUN_LOG", "warn")
        .output()
        .expect("run ipyun");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("over 60 loans, 360 instalments, 60 pledged rights"),
        "{stdout}"
    );
    assert!(stdout.contains("baseline: one SQL pass"), "{stdout}");
    assert_eq!(stdout.matches("PASS").count(), 2, "{stdout}");
    let bad = std::process::Command::new(crate::BIN)
        .args(["bench", "loans", "--months", "1"])
        .output()
        .expect("run ipyun");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--months"));
}

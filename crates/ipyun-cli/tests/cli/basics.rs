//! The command line's interface contract, run as a user would run it: validation, import and
//! export, accounts, the working-day calendar.

use crate::ipyun;
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn validate_prints_one_line_per_value_and_exits_by_outcome() {
    let data = tempfile::tempdir().unwrap();
    let output = ipyun(
        data.path(),
        &[
            "validate",
            "application-no",
            "CN 201710601862.3",
            "ZL95115608.X",
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        "CN 201710601862.3\tok\t201710601862.3\nZL95115608.X\tok\t95115608.X\n"
    );

    let output = ipyun(
        data.path(),
        &[
            "validate",
            "uscc",
            "91350100M000100Y43",
            "91350100M000100Y44",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<Vec<&str>> = stdout
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    assert_eq!(
        lines[0],
        vec!["91350100M000100Y43", "ok", "91350100M000100Y43"]
    );
    assert_eq!(&lines[1][..2], &["91350100M000100Y44", "error"]);
    assert!(lines[1][2].contains("check"), "{stdout}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_ipyun"))
        .args(["validate", "nice"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"09\n46\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("09\tok\t9\n46\terror\t"), "{stdout}");

    let unknown = ipyun(data.path(), &["validate", "passport", "x"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn import_export_and_accounts_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let csv = data.path().join("parties.csv");
    std::fs::write(
        &csv,
        "kind,name,uscc,region,park_kind\npark,命令行园区,,320576,national_high_tech_zone\nenterprise,命令行公司,91350100M000100Y43,320576,\nenterprise,坏公司,91350100M000100Y44,320576,\n",
    )
    .unwrap();
    let imported = ipyun(data.path(), &["import", "parties", csv.to_str().unwrap()]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let stdout = String::from_utf8(imported.stdout).unwrap();
    assert!(
        stdout.contains("2 inserted") && stdout.contains("1 rejected"),
        "{stdout}"
    );
    assert!(
        stdout.contains("row 4 · uscc · check_character"),
        "{stdout}"
    );
    let again = ipyun(data.path(), &["import", "parties", csv.to_str().unwrap()]);
    assert!(
        String::from_utf8(again.stdout)
            .unwrap()
            .contains("0 inserted, 0 updated, 2 unchanged")
    );

    let out = data.path().join("out.xlsx");
    let exported = ipyun(data.path(), &["export", "parties", out.to_str().unwrap()]);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));

    let created = ipyun(
        data.path(),
        &[
            "admin",
            "create-user",
            "--username",
            "root",
            "--password",
            "a-long-password",
            "--role",
            "platform_admin",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let token = ipyun(
        data.path(),
        &[
            "admin",
            "create-token",
            "--username",
            "root",
            "--name",
            "cli",
        ],
    );
    assert!(String::from_utf8(token.stdout).unwrap().starts_with("ipy_"));
    let weak = ipyun(
        data.path(),
        &[
            "admin",
            "create-user",
            "--username",
            "x",
            "--password",
            "short",
            "--role",
            "lender",
        ],
    );
    assert!(!weak.status.success());
    let stderr = String::from_utf8(weak.stderr).unwrap();
    assert!(
        stderr.contains("password") && stderr.contains("party_id"),
        "{stderr}"
    );
}

#[test]
fn the_working_day_calendar_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let listed = ipyun(
        data.path(),
        &[
            "calendar",
            "list",
            "--from",
            "2024-09-28",
            "--to",
            "2024-10-01",
        ],
    );
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert_eq!(
        String::from_utf8(listed.stdout).unwrap(),
        "2024-09-28 rest\n2024-09-29 working\n2024-09-30 working\n2024-10-01 rest\n"
    );
    let later = ipyun(
        data.path(),
        &["calendar", "add-working-days", "2024-09-30", "1"],
    );
    assert_eq!(String::from_utf8(later.stdout).unwrap(), "2024-10-08\n");
    let earlier = ipyun(
        data.path(),
        &["calendar", "add-working-days", "2024-10-08", "-1"],
    );
    assert_eq!(String::from_utf8(earlier.stdout).unwrap(), "2024-09-30\n");
    let unannounced = ipyun(
        data.path(),
        &["calendar", "add-working-days", "2027-01-01", "1"],
    );
    assert_eq!(
        String::from_utf8(unannounced.stdout).unwrap(),
        "2027-01-04 provisional\n"
    );
    let bad = ipyun(
        data.path(),
        &["calendar", "add-working-days", "2024-13-01", "1"],
    );
    assert!(!bad.status.success());
}

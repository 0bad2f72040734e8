//! `ipyun calendar load`: a newly announced year, stored in the database, then honoured by
//! `calendar list` and `calendar add-working-days`.

use crate::{ipyun, ok};

/// A 2027 calendar in the format of the embedded one (a test file, not the State Council's notice).
const CALENDAR_2027: &str = "date,kind,name
2027-01-01,rest,元旦
2027-02-08,rest,春节
2027-02-09,rest,春节
2027-02-10,rest,春节
2027-02-11,rest,春节（补假）
2027-02-12,rest,休息日（由 2027-02-20 调休）
2027-02-20,working,调休上班（换 2027-02-12 休息）
2027-10-01,rest,国庆节
";

#[test]
fn a_loaded_year_is_honoured_by_list_and_add_working_days() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("cn-calendar-2027.csv");
    std::fs::write(&file, CALENDAR_2027).unwrap();

    // Without a loaded 2027, weekdays work and results across 2027 are provisional.
    let before = ok(ipyun(
        data.path(),
        &[
            "calendar",
            "list",
            "--from",
            "2027-02-08",
            "--to",
            "2027-02-08",
        ],
    ));
    assert_eq!(before, "2027-02-08 working\n");
    assert!(
        !data.path().join("ipyun.db").exists(),
        "reading the calendar made a database"
    );
    let provisional = ok(ipyun(
        data.path(),
        &["calendar", "add-working-days", "2027-02-05", "1"],
    ));
    assert_eq!(provisional, "2027-02-08 provisional\n");

    let loaded = ok(ipyun(
        data.path(),
        &["calendar", "load", file.to_str().unwrap()],
    ));
    assert!(
        loaded.contains("2027: 8 added, 0 changed, 0 unchanged (7 rest, 1 working days)"),
        "{loaded}"
    );

    let listed = ok(ipyun(
        data.path(),
        &[
            "calendar",
            "list",
            "--from",
            "2027-02-05",
            "--to",
            "2027-02-08",
        ],
    ));
    assert_eq!(
        listed,
        "2027-02-05 working\n2027-02-06 rest\n2027-02-07 rest\n2027-02-08 rest\n"
    );
    let across = ok(ipyun(
        data.path(),
        &["calendar", "add-working-days", "2027-02-05", "1"],
    ));
    assert_eq!(across, "2027-02-15\n");
    let from_2026 = ok(ipyun(
        data.path(),
        &["calendar", "add-working-days", "2026-12-31", "1"],
    ));
    assert_eq!(from_2026, "2027-01-04\n");
    let adjusted_saturday = ok(ipyun(
        data.path(),
        &["calendar", "add-working-days", "2027-02-19", "1"],
    ));
    assert_eq!(adjusted_saturday, "2027-02-20\n");
    // 2028 is still not announced.
    let beyond = ok(ipyun(
        data.path(),
        &["calendar", "add-working-days", "2027-12-31", "1"],
    ));
    assert_eq!(beyond, "2028-01-03 provisional\n");

    let again = ok(ipyun(
        data.path(),
        &["calendar", "load", file.to_str().unwrap()],
    ));
    assert!(
        again.contains("2027: 0 added, 0 changed, 8 unchanged"),
        "{again}"
    );

    let bad = data.path().join("bad.csv");
    std::fs::write(
        &bad,
        "date,kind,name\n2027-05-03,rest,劳动节\n2027-02-13,rest,周六\n",
    )
    .unwrap();
    let refused = ipyun(data.path(), &["calendar", "load", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("line 3"), "{stderr}");
    // Nothing of the refused file was stored.
    let may_day = ok(ipyun(
        data.path(),
        &[
            "calendar",
            "list",
            "--from",
            "2027-05-03",
            "--to",
            "2027-05-03",
        ],
    ));
    assert_eq!(may_day, "2027-05-03 working\n");

    let verified = ok(ipyun(data.path(), &["audit", "verify"]));
    assert_eq!(verified, "audit chain intact: 2 entries\n");
}

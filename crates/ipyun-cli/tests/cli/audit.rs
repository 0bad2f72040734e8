//! `ipyun audit verify` over a chain made by audited commands, then altered and cut short.

use crate::{ipyun, ok};

fn verify(data: &std::path::Path) -> (Option<i32>, String) {
    let output = ipyun(data, &["audit", "verify"]);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn audit_verify_finds_an_altered_entry_and_a_removed_last_one() {
    let data = tempfile::tempdir().unwrap();
    let csv = data.path().join("parties.csv");
    std::fs::write(
        &csv,
        "kind,name,uscc,region,park_kind\npark,审计园区,,320576,national_high_tech_zone\nenterprise,审计公司,91350100M000100Y43,320576,\n",
    )
    .unwrap();
    ok(ipyun(
        data.path(),
        &["import", "parties", csv.to_str().unwrap()],
    ));
    let calendar = data.path().join("2027.csv");
    std::fs::write(&calendar, "date,kind,name\n2027-01-01,rest,元旦\n").unwrap();
    ok(ipyun(
        data.path(),
        &["calendar", "load", calendar.to_str().unwrap()],
    ));
    ok(ipyun(
        data.path(),
        &["import", "parties", csv.to_str().unwrap()],
    ));

    let (code, out) = verify(data.path());
    assert_eq!(code, Some(0), "{out}");
    let entries: i64 = out
        .trim()
        .strip_prefix("audit chain intact: ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    assert!(entries >= 3, "{out}");

    let db = rusqlite::Connection::open(data.path().join("ipyun.db")).unwrap();
    let (id, original): (i64, String) = db
        .query_row(
            "SELECT id, after_state FROM audit_log WHERE seq = 2",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    db.execute(
        "UPDATE audit_log SET after_state = after_state || ' ' WHERE seq = 2",
        [],
    )
    .unwrap();
    let (code, out) = verify(data.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with(&format!("audit chain broken at entry 2 (id {id}): ")),
        "{out}"
    );
    assert!(out.contains("altered"), "{out}");

    db.execute(
        "UPDATE audit_log SET after_state = ?1 WHERE seq = 2",
        [&original],
    )
    .unwrap();
    assert_eq!(verify(data.path()).0, Some(0));

    db.execute(
        "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
        [],
    )
    .unwrap();
    drop(db);
    let (code, out) = verify(data.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with(&format!("audit chain broken at entry {entries} ")),
        "{out}"
    );
    assert!(out.contains("removed"), "{out}");
}

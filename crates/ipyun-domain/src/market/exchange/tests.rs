//! The exchange's rules.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::loan::format_fen;
use crate::market::{CreditGrade, GradeSource};
use chrono::NaiveDate;
use hmac::{KeyInit, Mac};

#[test]
fn retries_back_off_then_give_up() {
    let waits: Vec<i64> = (1..=6)
        .map(|attempts| retry_delay(attempts).map_or(-1, |wait| wait.num_seconds()))
        .collect();
    assert_eq!(waits, [30, 120, 600, 3_600, 21_600, -1]);
    assert_eq!(retry_delay(0), None);
}

#[test]
fn the_signature_is_hmac_sha256_over_timestamp_and_body() {
    // RFC 4231, test case 2: the primitive the signature is built on.
    let mut mac = hmac::Hmac::<sha2_v011::Sha256>::new_from_slice(b"Jefe").unwrap();
    mac.update(b"what do ya want for nothing?");
    let tag: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(
        tag,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    let body = br#"{"event":"demand.new_match"}"#;
    let signed = signature("s3cret-s3cret-s3cret", 1_795_400_000, body);
    assert!(signed.starts_with("sha256=") && signed.len() == 71);
    assert!(verify_signature(
        "s3cret-s3cret-s3cret",
        1_795_400_000,
        body,
        &signed
    ));
    assert!(!verify_signature(
        "another-secret-value",
        1_795_400_000,
        body,
        &signed
    ));
    assert!(!verify_signature(
        "s3cret-s3cret-s3cret",
        1_795_400_001,
        body,
        &signed
    ));
    assert!(!verify_signature(
        "s3cret-s3cret-s3cret",
        1_795_400_000,
        b"{}",
        &signed
    ));
    assert!(!verify_signature(
        "s3cret-s3cret-s3cret",
        1_795_400_000,
        body,
        "sha256=zz"
    ));
}

#[test]
fn money_and_rates_are_exact_strings() {
    assert_eq!(pct_of_ppm(34_500), "3.45");
    assert_eq!(pct_of_ppm(55_000), "5.5");
    assert_eq!(pct_of_ppm(1), "0.0001");
    assert_eq!(format_fen(500_000_000), "5000000.00");
}

#[test]
fn an_imported_row_names_every_fault_and_goes_through_the_demand_rules() {
    let row = PlatformDemandRow {
        platform: Some("信易贷·苏州".into()),
        external_id: Some(" ".into()),
        uscc: Some("9132".into()),
        amount_yuan: Some("12.345".into()),
        months: Some(400),
        purpose: Some("扩产".into()),
        ..PlatformDemandRow::default()
    };
    let fields: Vec<(String, String)> = row
        .validate()
        .unwrap_err()
        .0
        .into_iter()
        .map(|error| (error.field, error.code))
        .collect();
    assert_eq!(
        fields[0],
        ("external_id".to_string(), "required".to_string())
    );
    assert_eq!(fields[1].0, "uscc");
    assert!(fields.contains(&("amount_yuan".to_string(), "too_precise".to_string())));
    assert!(fields.contains(&("months".to_string(), "out_of_range".to_string())));
    assert!(!fields.iter().any(|(field, _)| field == "amount_fen"));
    let uscc = crate::id::Uscc::from_body("91320505MA0000001").unwrap();
    let good = PlatformDemandRow {
        external_id: Some("XYD-1".into()),
        uscc: Some(uscc.as_str().to_string()),
        amount_yuan: Some("500000".into()),
        months: Some(12),
        ..row
    }
    .validate()
    .unwrap();
    assert_eq!(good.draft.amount_fen, Some(50_000_000));
    assert_eq!(
        (good.source.as_str(), good.external_id.as_str()),
        ("信易贷·苏州", "XYD-1")
    );
    assert!(good.draft.shared_with.is_empty());
}

#[test]
fn an_endpoint_is_an_http_url_with_a_host_and_a_fair_secret() {
    let fault = |url: &str, secret: Option<&str>| {
        WebhookDraft {
            url: Some(url.into()),
            secret: secret.map(str::to_string),
            description: None,
        }
        .validate()
        .err()
        .map(|errors| (errors.0[0].field.clone(), errors.0[0].code.clone()))
    };
    assert_eq!(fault("http://bank.example/hooks", None), None);
    assert_eq!(
        fault("https://bank.example/hooks", None),
        Some(("url".into(), "https_unsupported".into()))
    );
    assert_eq!(
        fault("http://127.0.0.1:9000/x", Some("0123456789abcdef")),
        None
    );
    assert_eq!(
        fault("ftp://bank.example", None),
        Some(("url".into(), "not_http".into()))
    );
    assert_eq!(
        fault("https:///x", None),
        Some(("url".into(), "not_http".into()))
    );
    assert_eq!(
        fault("http://user:pw@bank.example/", None),
        Some(("url".into(), "credentials".into()))
    );
    assert_eq!(
        fault("http://bank.example/", Some("short")),
        Some(("secret".into(), "invalid".into()))
    );
}

#[test]
fn a_credit_grade_is_dated_no_later_than_today() {
    let uscc = crate::id::Uscc::from_body("91320505MA0000001").unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let row = CreditGradeRow {
        uscc: Some(uscc.as_str().to_string()),
        source: Some("xinyidai".into()),
        grade: Some("b".into()),
        as_of: NaiveDate::from_ymd_opt(2026, 11, 24),
    };
    let errors = row.validate(today).unwrap_err();
    assert_eq!(errors.0[0].code, "in_future");
    let grade = CreditGradeRow {
        as_of: Some(today),
        ..row
    }
    .validate(today)
    .unwrap();
    assert_eq!(
        (grade.grade, grade.source),
        (CreditGrade::B, GradeSource::Xinyidai)
    );
    let unknown = CreditGradeRow {
        grade: Some("AA".into()),
        ..CreditGradeRow::default()
    };
    let fields: Vec<String> = unknown
        .validate(today)
        .unwrap_err()
        .0
        .into_iter()
        .map(|error| error.field)
        .collect();
    assert_eq!(fields, ["uscc", "source", "grade", "as_of"]);
}

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::auth::{AuthSettings, system_principal};
use crate::{App, Principal};
use chrono::TimeZone;
use ipyun_domain::account::{Lang, Role};
use ipyun_domain::clock::FixedClock;
use ipyun_domain::id::{ApplicationNo, Uscc};
use std::sync::Arc;

pub(super) async fn test_app(dir: &std::path::Path) -> App {
    let db = ipyun_db::Db::open_sqlite_dir(dir).await.unwrap();
    let clock = FixedClock::new(
        chrono::Utc
            .with_ymd_and_hms(2025, 6, 1, 9, 0, 0)
            .single()
            .unwrap(),
    );
    App::new(db, Arc::new(clock), AuthSettings::cheap_for_tests())
}

pub(super) fn quiet(_: ImportProgress) {}

pub(super) fn quiet_export(_: ExportProgress) {}

pub(super) fn uscc(body: &str) -> String {
    Uscc::from_body(body).unwrap().as_str().to_string()
}

fn patent(body: &str) -> String {
    ApplicationNo::from_body(body).unwrap().as_str().to_string()
}

const HEADER: &str = "kind,number,title,filing_date,grant_date,legal_status,annual_fee_paid_until,nice_class,ipc_main,renewals,holders";

/// Four good rows (2–5), then bad ones (6–13).
fn rights_csv(first_title: &str) -> String {
    let invention = patent("202110000001");
    let mut bad_check = patent("202110000009");
    let wrong = if bad_check.ends_with('1') { '2' } else { '1' };
    bad_check.pop();
    bad_check.push(wrong);
    let holder = uscc("91320594MA1W2X3Y4");
    let other = uscc("91330106MA2B3C4D5");
    let rows = [
        format!(
            "invention,{invention},{first_title},2021-03-05,2023-01-10,in_force,2025-03-05,,H01L 21/56,,苏州瑞芯微电子科技有限公司|{holder}|6000;浙江大学||4000"
        ),
        format!(
            "utility_model,{},一种散热结构,2021/4/1,2021-10-01,,,,,,杭州某科技有限公司|{other}",
            patent("202120000002")
        ),
        format!(
            "trademark,12345678,瑞芯,2019-01-01,2020-01-01,in_force,,9,,0,苏州瑞芯微电子科技有限公司|{holder}"
        ),
        "software_copyright,2021SR0123456,瑞芯设计软件V1.0,2021-05-05,2021-06-06,,,,,,浙江大学"
            .to_string(),
        format!("invention,{bad_check},校验位错误,2021-03-05,,,,,,,浙江大学"),
        format!(
            "patent,{},未知类型,2021-03-05,,,,,,,浙江大学",
            patent("202110000003")
        ),
        format!(
            "invention,{},,2021-03-05,,,,,,,浙江大学",
            patent("202110000004")
        ),
        format!(
            "invention,{},日期错误,2021-13-01,,,,,,,浙江大学",
            patent("202110000005")
        ),
        format!(
            "invention,{},份额不对,2021-03-05,,,,,,,甲公司||5000;乙公司||4000",
            patent("202110000006")
        ),
        format!("invention,{invention},重复号码,2021-03-05,,,,,,,浙江大学"),
        format!(
            "invention,{},,2021-02-30,,,,,,,浙江大学",
            patent("202110000007")
        ),
        "invention,too,few,cells".to_string(),
    ];
    format!("\u{feff}{HEADER}\n{}\n", rows.join("\n"))
}

fn summary(report: &ImportReport) -> (u64, u64, u64, u64, u64) {
    (
        report.total_rows,
        report.inserted,
        report.updated,
        report.unchanged,
        report.rejected,
    )
}

fn findings(report: &ImportReport) -> Vec<(u64, &str, &str)> {
    report
        .rejections
        .iter()
        .map(|rejection| {
            (
                rejection.row,
                rejection.field.as_str(),
                rejection.code.as_str(),
            )
        })
        .collect()
}

#[tokio::test]
async fn rights_import_reports_every_bad_field_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path()).await;
    let admin = system_principal();
    let steps = std::sync::Mutex::new(Vec::new());
    let record = |step: ImportProgress| steps.lock().unwrap().push(step);
    let csv = rights_csv("一种芯片封装方法").into_bytes();
    let report = app
        .import_bytes(&admin, Subject::Rights, "rights.csv", csv.clone(), &record)
        .await
        .unwrap();
    assert_eq!(summary(&report), (12, 4, 0, 0, 8));
    assert_eq!(
        findings(&report),
        vec![
            (6, "number", "check_digit"),
            (7, "kind", "unknown_kind"),
            (8, "title", "required"),
            (9, "filing_date", "date_format"),
            (10, "holders", "shares_total"),
            (11, "number", "duplicate_in_file"),
            (12, "title", "required"),
            (12, "filing_date", "date_format"),
            (13, "row", "column_count"),
        ]
    );
    let last = steps.lock().unwrap().last().copied().unwrap();
    assert_eq!(
        last,
        ImportProgress {
            rows_done: 12,
            bytes_done: csv.len() as u64,
            bytes_total: csv.len() as u64
        }
    );

    let stored = app.db.get_import(report.import_id).await.unwrap().unwrap();
    assert_eq!(
        (stored.status.as_str(), stored.inserted, stored.rejected),
        ("finished", 4, 8)
    );
    let stored_rejections: Vec<Rejection> =
        serde_json::from_str::<Vec<serde_json::Value>>(&stored.report)
            .unwrap()
            .into_iter()
            .map(|value| {
                Rejection::new(
                    value["row"].as_u64().unwrap(),
                    value["field"].as_str().unwrap(),
                    value["code"].as_str().unwrap(),
                    "",
                )
            })
            .collect();
    assert_eq!(stored_rejections.len(), 9);

    let right = app
        .db
        .get_right(&patent("202110000001"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        right
            .holders
            .iter()
            .map(|holder| holder.share_bp)
            .collect::<Vec<_>>(),
        vec![6000, 4000]
    );
    let utility = app
        .db
        .get_right(&patent("202120000002"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        utility.filing_date,
        chrono::NaiveDate::from_ymd_opt(2021, 4, 1).unwrap()
    );

    let again = app
        .import_bytes(&admin, Subject::Rights, "rights.csv", csv, &quiet)
        .await
        .unwrap();
    assert_eq!(summary(&again), (12, 0, 0, 4, 8));

    let changed = rights_csv("一种改进的芯片封装方法").into_bytes();
    let changed = app
        .import_bytes(&admin, Subject::Rights, "rights.csv", changed, &quiet)
        .await
        .unwrap();
    assert_eq!(summary(&changed), (12, 0, 1, 3, 8));
    let right = app
        .db
        .get_right(&patent("202110000001"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(right.title, "一种改进的芯片封装方法");
}

#[tokio::test]
async fn exports_re_import_unchanged_as_xlsx_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path()).await;
    let admin = system_principal();
    let csv = rights_csv("一种芯片封装方法").into_bytes();
    app.import_bytes(&admin, Subject::Rights, "rights.csv", csv, &quiet)
        .await
        .unwrap();
    for format in [FileFormat::Xlsx, FileFormat::Csv] {
        let out = dir.path().join(format!("export.{}", format.extension()));
        let written = app
            .export_rights(&admin, format, &out, &quiet_export)
            .await
            .unwrap();
        assert_eq!(written, 4);
        let report = app
            .import_file(&admin, Subject::Rights, &out, &quiet)
            .await
            .unwrap();
        assert_eq!(
            summary(&report),
            (4, 0, 0, 4, 0),
            "{format:?}: {:?}",
            report.rejections
        );
    }
    let text = std::fs::read_to_string(dir.path().join("export.csv")).unwrap();
    assert!(
        text.starts_with("kind,number,title,"),
        "no BOM, English header"
    );
    assert!(text.contains("苏州瑞芯微电子科技有限公司|91320594MA1W2X3Y4"));
}

#[tokio::test]
async fn a_principal_without_import_rights_is_forbidden() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path()).await;
    let lender = Principal {
        user_id: 7,
        username: "banker".into(),
        display_name: "banker".into(),
        role: Role::Lender,
        party_id: Some(1),
        region: None,
        lang: Lang::ZhCn,
    };
    let csv = rights_csv("x").into_bytes();
    let error = app
        .import_bytes(&lender, Subject::Rights, "rights.csv", csv, &quiet)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Forbidden);
    assert!(
        app.db.list_imports(10).await.unwrap().is_empty(),
        "nothing is recorded before authorisation"
    );
}

#[tokio::test]
async fn bad_files_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path()).await;
    let admin = system_principal();
    let unknown = format!("{HEADER},colour\n").into_bytes();
    let error = app
        .import_bytes(&admin, Subject::Rights, "rights.csv", unknown, &quiet)
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind, error.code),
        (ErrorKind::BadRequest, "import.unknown_column")
    );
    assert!(error.message.contains("colour"), "{}", error.message);
    let recorded = app.db.list_imports(1).await.unwrap();
    assert_eq!(
        recorded.first().map(|run| run.status.as_str()),
        Some("failed")
    );

    let missing = b"kind,number,title,holders\n".to_vec();
    let error = app
        .import_bytes(&admin, Subject::Rights, "rights.csv", missing, &quiet)
        .await
        .unwrap_err();
    assert_eq!(error.code, "import.missing_column");
    assert!(error.message.contains("filing_date"));

    let error = app
        .import_bytes(&admin, Subject::Rights, "rights.txt", Vec::new(), &quiet)
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind, error.code),
        (ErrorKind::BadRequest, "import.unsupported_format")
    );
    let error = app
        .import_bytes(&admin, Subject::Rights, "rights.csv", Vec::new(), &quiet)
        .await
        .unwrap_err();
    assert_eq!(error.code, "import.no_header");

    let long = format!(
        "{HEADER}\ninvention,{},{},2021-03-05,,,,,,,浙江大学\n",
        patent("202110000008"),
        "长".repeat(MAX_CELL_CHARS + 1)
    );
    let report = app
        .import_bytes(
            &admin,
            Subject::Rights,
            "rights.csv",
            long.into_bytes(),
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(findings(&report), vec![(2, "title", "cell_too_long")]);
}

#[tokio::test]
async fn chinese_headers_and_an_xlsx_upload() {
    let dir = tempfile::tempdir().unwrap();
    let app = test_app(dir.path()).await;
    let admin = system_principal();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in (0u16..).zip([
        "类型",
        "号码",
        "名称",
        "申请日",
        "授权日",
        "权利人",
        "尼斯分类",
    ]) {
        sheet.write_string(0, column, name).unwrap();
    }
    sheet.write_string(1, 0, "trademark").unwrap();
    sheet.write_number(1, 1, 23456789.0).unwrap();
    sheet.write_string(1, 2, "云知").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 2, 2).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_datetime_with_format(1, 3, &date, &format)
        .unwrap();
    sheet.write_string(1, 4, "2021-02-02").unwrap();
    sheet.write_string(1, 5, "浙江大学").unwrap();
    sheet.write_number(1, 6, 42.0).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let report = app
        .import_bytes(&admin, Subject::Rights, "商标.XLSX", bytes, &quiet)
        .await
        .unwrap();
    assert_eq!(summary(&report), (1, 1, 0, 0, 0), "{:?}", report.rejections);
    let right = app.db.get_right("23456789").await.unwrap().unwrap();
    assert_eq!(
        (right.nice_class, right.filing_date.to_string()),
        (Some(42), "2020-02-02".to_string())
    );
}

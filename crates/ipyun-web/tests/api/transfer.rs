//! Bulk import and export over the API (feature R4).

use ipyun_test_support::{Answer, StatusCode, TestApp, test_application_no};

async fn upload(
    app: &TestApp,
    token: &str,
    subject: &str,
    file_name: &str,
    body: Vec<u8>,
) -> Answer {
    app.post_raw(
        &format!("/api/v1/imports?subject={subject}&file_name={file_name}"),
        Some(token),
        "application/octet-stream",
        body,
    )
    .await
}

#[tokio::test]
async fn a_csv_import_reports_every_rejected_row_and_is_idempotent() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let (_, uscc) = app.enterprise("导入科技有限公司", 51, None).await;
    let good_one = test_application_no(101);
    let good_two = test_application_no(102);
    let bad = format!(
        "{}{}",
        &good_one[..13],
        if good_one.ends_with('0') { "1" } else { "0" }
    );
    let csv = format!(
        "kind,number,title,filing_date,grant_date,legal_status,annual_fee_paid_until,nice_class,ipc_main,renewals,holders\n\
         invention,{good_one},一种导入方法,2021-03-15,2023-06-20,in_force,,,G06N 3/08,,导入科技有限公司|{uscc}\n\
         invention,{good_two},另一种导入方法,2021-04-15,,not_yet_granted,,,,,导入科技有限公司|{uscc}\n\
         invention,{bad},坏校验位,2021-03-15,2023-06-20,in_force,,,,,导入科技有限公司|{uscc}\n"
    );
    let first = upload(
        &app,
        &admin.token,
        "rights",
        "rights.csv",
        csv.clone().into_bytes(),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert_eq!(first.body["inserted"], 2);
    assert_eq!(first.body["rejected"], 1);
    assert_eq!(first.body["rejections"][0]["row"], 4);
    assert_eq!(first.body["rejections"][0]["field"], "number");
    assert_eq!(first.body["rejections"][0]["code"], "check_digit");
    let again = upload(&app, &admin.token, "rights", "rights.csv", csv.into_bytes()).await;
    assert_eq!(
        (
            again.body["inserted"].as_u64(),
            again.body["unchanged"].as_u64()
        ),
        (Some(0), Some(2))
    );
    let read = app
        .get(&format!("/api/v1/rights/{good_one}"), Some(&admin.token))
        .await;
    assert_eq!(read.body["holders"][0]["uscc"], uscc.as_str());

    let runs = app.get("/api/v1/imports", Some(&admin.token)).await;
    assert_eq!(runs.body.as_array().unwrap().len(), 2);
    let run_id = runs.body[0]["id"].as_i64().unwrap();
    let run = app
        .get(&format!("/api/v1/imports/{run_id}"), Some(&admin.token))
        .await;
    assert_eq!(run.body["status"], "finished");

    let exported = app
        .client
        .get(app.url("/api/v1/exports/rights?format=xlsx"))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(exported.status(), StatusCode::OK);
    let bytes = exported.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"PK"), "an xlsx file is a zip archive");
    let round_trip = upload(&app, &admin.token, "rights", "export.xlsx", bytes).await;
    assert_eq!(
        round_trip.status,
        StatusCode::CREATED,
        "{:?}",
        round_trip.body
    );
    assert_eq!(
        (
            round_trip.body["unchanged"].as_u64(),
            round_trip.body["rejected"].as_u64()
        ),
        (Some(2), Some(0))
    );
}

#[tokio::test]
async fn imports_are_refused_clearly() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let lender_id = app.organisation("lender", "导入银行").await;
    let lender = app.user("importer", "lender", Some(lender_id)).await;
    let refused = upload(&app, &lender.token, "rights", "r.csv", b"kind\n".to_vec()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let listed = app.get("/api/v1/imports", Some(&lender.token)).await;
    assert_eq!(listed.status, StatusCode::FORBIDDEN);
    let format = upload(&app, &admin.token, "rights", "r.pdf", b"%PDF".to_vec()).await;
    assert_eq!(format.status, StatusCode::BAD_REQUEST);
    assert_eq!(format.error_code(), "import.unsupported_format");
    let subject = upload(&app, &admin.token, "castles", "r.csv", b"kind\n".to_vec()).await;
    assert_eq!(subject.status, StatusCode::BAD_REQUEST);
    let column = upload(
        &app,
        &admin.token,
        "rights",
        "r.csv",
        b"kind,number,colour\n".to_vec(),
    )
    .await;
    assert_eq!(column.status, StatusCode::BAD_REQUEST);
    assert!(
        column.error_code().starts_with("import."),
        "{:?}",
        column.body
    );
    assert!(
        column.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("colour")
    );
    let not_utf8 = upload(
        &app,
        &admin.token,
        "rights",
        "r.csv",
        vec![0xff, 0xfe, 0x00, 0x41],
    )
    .await;
    assert_eq!(
        not_utf8.status,
        StatusCode::BAD_REQUEST,
        "{:?}",
        not_utf8.body
    );
    let broken_xlsx = upload(
        &app,
        &admin.token,
        "rights",
        "r.xlsx",
        b"PK not really".to_vec(),
    )
    .await;
    assert_eq!(
        broken_xlsx.status,
        StatusCode::BAD_REQUEST,
        "{:?}",
        broken_xlsx.body
    );
}

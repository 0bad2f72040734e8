//! Valuation over the API: the royalty-rate reference table and licence-fee guidance (V2).

use ipyun_test_support::{StatusCode, TestApp, invention};
use serde_json::json;

#[tokio::test]
async fn the_reference_table_answers_by_industry_ipc_and_right_until_the_office_publishes_its_own()
{
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let table = app.get("/api/v1/royalty-rates", None).await;
    assert_eq!(table.status, StatusCode::OK);
    assert_eq!(table.body["reference_only"], true);
    assert_eq!(table.body["ranges"].as_array().map(Vec::len), Some(18));

    // 电子元件 C3971 climbs to C39 (4–5.5%); 12,345,678.91 yuan of sales → 493,827.16 / 586,419.75 / 679,012.34.
    let by_industry = app
        .get(
            "/api/v1/royalty-rates/guidance?industry=C3971&revenue_fen=1234567891",
            None,
        )
        .await;
    assert_eq!(by_industry.status, StatusCode::OK, "{:?}", by_industry.body);
    assert_eq!(by_industry.body["range"]["industry"], "C39");
    assert_eq!(by_industry.body["fee"]["low_fen"], 49_382_716);
    assert_eq!(by_industry.body["fee"]["mid_fen"], 58_641_975);
    assert_eq!(by_industry.body["fee"]["high_fen"], 67_901_234);
    let by_ipc = app
        .get("/api/v1/royalty-rates/guidance?ipc=A61K%2031/00", None)
        .await;
    assert_eq!(
        (
            by_ipc.body["basis"].clone(),
            by_ipc.body["range"]["industry"].clone()
        ),
        (json!("ipc"), json!("C27"))
    );

    let (_, uscc) = app.enterprise("电子元件有限公司", 61, None).await;
    let mut right = invention(61, "电子元件有限公司", &uscc);
    right["ipc_main"] = json!("H01L 21/56");
    let created = app.post("/api/v1/rights", Some(&admin.token), &right).await;
    let number = created.body["number"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let anonymous = app
        .get(
            &format!("/api/v1/royalty-rates/guidance?number={number}"),
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let by_right = app
        .get(
            &format!("/api/v1/royalty-rates/guidance?number={number}"),
            Some(&admin.token),
        )
        .await;
    assert_eq!(
        by_right.body["range"]["industry"], "C39",
        "{:?}",
        by_right.body
    );

    for (query, code) in [
        ("", "royalty.no_question"),
        ("industry=Z99", "royalty.bad_industry"),
        ("industry=C39&revenue_fen=-1", "royalty.negative_revenue"),
    ] {
        let answer = app
            .get(&format!("/api/v1/royalty-rates/guidance?{query}"), None)
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(answer.error_code(), code);
    }
    let unknown = app
        .get("/api/v1/royalty-rates/guidance?industry=A0111", None)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // The office publishes its own table (CSV here; XLSX works the same); bad rows are named.
    let csv = "行业代码,下限,中值,上限,样本数,来源,发布日期\n\
               C39,3,4,6,120,省知识产权局 2026 年许可备案统计,2026-10-01\n\
               C27,2.5,3.25,4.125,0,bad,2026-10-01\n\
               C39,1,2,3,0,duplicate,2026-10-01\n";
    let path = "/api/v1/imports?subject=royalty_rates&file_name=rates.csv";
    let lender_id = app.organisation("lender", "无权银行").await;
    let lender = app.user("banker", "lender", Some(lender_id)).await;
    let refused = app
        .post_raw(
            path,
            Some(&lender.token),
            "application/octet-stream",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let report = app
        .post_raw(
            path,
            Some(&admin.token),
            "application/octet-stream",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(report.status, StatusCode::CREATED, "{:?}", report.body);
    assert_eq!(
        (
            report.body["inserted"].clone(),
            report.body["rejected"].clone()
        ),
        (json!(1), json!(2))
    );
    let fields: Vec<String> = report.body["rejections"]
        .as_array()
        .map(|found| {
            found
                .iter()
                .map(|rejection| {
                    format!(
                        "{}:{}",
                        rejection["row"],
                        rejection["field"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(fields, vec!["3:high_pct", "4:industry"]);
    let again = app
        .post_raw(
            path,
            Some(&admin.token),
            "application/octet-stream",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(again.body["unchanged"], 1);
    let published = app.get("/api/v1/royalty-rates", None).await;
    assert_eq!(published.body["reference_only"], false);
    assert_eq!(published.body["ranges"][0]["mid_bp"], 400);
}

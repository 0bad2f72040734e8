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

#[tokio::test]
async fn the_office_loads_its_own_ipc_concordance_and_guidance_follows_it() {
    let app = TestApp::init().await;
    let admin = app.admin().await;
    let shipped = app.get("/api/v1/ipc-industry", None).await;
    assert_eq!(shipped.status, StatusCode::OK);
    assert_eq!(shipped.body["reference_only"], true);
    let before = app
        .get("/api/v1/royalty-rates/guidance?ipc=A61K%2031/00", None)
        .await;
    assert_eq!(before.body["industry"], "C27");

    // A61K now belongs to 医疗仪器设备 C35 (this office's choice); bad prefixes and industries are
    // named by row and column; a prefix given twice is refused on its second row.
    let csv = "IPC前缀,行业代码\n\
               a61k,C35\n\
               H01M 10,C384\n\
               I01,C35\n\
               A61P,Z99\n\
               A61K,C27\n";
    let path = "/api/v1/imports?subject=ipc_industry&file_name=concordance.csv";
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
        (json!(2), json!(3))
    );
    let named: Vec<String> = report.body["rejections"]
        .as_array()
        .map(|found| {
            found
                .iter()
                .map(|rejection| {
                    format!(
                        "{}:{}:{}",
                        rejection["row"],
                        rejection["field"].as_str().unwrap_or(""),
                        rejection["code"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        named,
        vec![
            "4:ipc_prefix:bad_ipc_prefix",
            "5:industry:unknown_code",
            "6:ipc_prefix:duplicate"
        ]
    );
    let again = app
        .post_raw(
            path,
            Some(&admin.token),
            "application/octet-stream",
            csv.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(
        (
            again.body["inserted"].clone(),
            again.body["unchanged"].clone()
        ),
        (json!(0), json!(2))
    );
    let loaded = app.get("/api/v1/ipc-industry", None).await;
    assert_eq!(loaded.body["reference_only"], false);
    let entries: Vec<(String, String)> = loaded.body["entries"]
        .as_array()
        .map(|found| {
            found
                .iter()
                .map(|entry| {
                    (
                        entry["ipc_prefix"].as_str().unwrap_or("").to_string(),
                        entry["industry"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        entries,
        vec![
            ("A61K".to_string(), "C35".to_string()),
            ("H01M10".to_string(), "C384".to_string())
        ]
    );
    let after = app
        .get("/api/v1/royalty-rates/guidance?ipc=A61K%2031/00", None)
        .await;
    assert_eq!(after.body["industry"], "C35");
    assert_eq!(after.body["range"]["industry"], "C35");
}

#[tokio::test]
async fn an_appraised_pledge_carries_its_report_and_its_loan_to_value_within_the_lenders_cap() {
    use super::pledges::{Scene, application};
    let scene = Scene::new().await;
    let appraiser = scene
        .app
        .organisation("appraiser", "中联资产评估有限公司")
        .await;
    let profile = json!({"qualification_no": "11020001", "qualified_since": "2015-06-01", "fields": ["h", "C39"]});
    let by_bank = scene
        .app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/appraisers/{appraiser}"),
            Some(&scene.banker.token),
            &profile,
        )
        .await;
    assert_eq!(by_bank.status, StatusCode::FORBIDDEN);
    let recorded = scene
        .app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/appraisers/{appraiser}"),
            Some(&scene.admin.token),
            &profile,
        )
        .await;
    assert_eq!(
        recorded.status,
        StatusCode::NO_CONTENT,
        "{:?}",
        recorded.body
    );
    let registry = scene
        .app
        .get("/api/v1/appraisers", Some(&scene.owner.token))
        .await;
    assert_eq!(registry.body[0]["qualification_no"], "11020001");
    assert_eq!(registry.body[0]["fields"], "[\"H\",\"C39\"]");

    // The lender accepts at most 60% of the appraised value.
    let cap_path = format!("/api/v1/lenders/{}/ltv-cap", scene.lender_id);
    let capped = scene
        .app
        .send_json(
            reqwest::Method::PUT,
            &cap_path,
            Some(&scene.banker.token),
            &json!({"max_ltv_bp": 6000}),
        )
        .await;
    assert_eq!(capped.status, StatusCode::OK, "{:?}", capped.body);
    let number = scene.right(41, |_| {}).await;
    let mut body = application(&scene, &[&number]);
    // 5,000,000 yuan secured against 7,500,000 appraised: 66.67% > 60%.
    body["valuation"] = json!({"appraised_value_fen": 750_000_000, "appraiser_id": appraiser, "report_file_name": "评估报告.pdf"});
    let above = scene.apply(&body).await;
    assert_eq!(above.status, StatusCode::CONFLICT, "{:?}", above.body);
    assert_eq!(above.error_code(), "pledge.ltv_above_cap");
    assert!(
        above.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("66.67%")
    );

    // 5,000,000 against 10,000,000: 50%. Without the report attached it is refused; with it, registered.
    body["valuation"]["appraised_value_fen"] = json!(1_000_000_000);
    let drafted = scene.apply(&body).await;
    assert_eq!(drafted.status, StatusCode::CREATED, "{:?}", drafted.body);
    assert_eq!(
        drafted.body["findings"][0]["code"],
        "pledge.valuation_report_missing"
    );
    let id = drafted.body["id"].as_i64().unwrap_or_default();
    let report = b"%PDF-1.4\n% appraisal report\n%%EOF\n".to_vec();
    let attached = scene
        .app
        .post_raw(
            &format!("/api/v1/pledge-applications/{id}/attachments?file_name=评估报告.pdf"),
            Some(&scene.banker.token),
            "application/pdf",
            report,
        )
        .await;
    assert_eq!(attached.status, StatusCode::CREATED);
    let confirmed = scene.confirm(&drafted.body["id"], &scene.owner).await;
    assert_eq!(
        confirmed.body["status"], "registered",
        "{:?}",
        confirmed.body
    );
    let pledge = scene
        .app
        .get(
            &format!("/api/v1/pledges?application_no={number}"),
            Some(&scene.banker.token),
        )
        .await;
    assert_eq!(
        pledge.body["items"][0]["appraised_value_fen"],
        1_000_000_000
    );
    assert_eq!(pledge.body["items"][0]["ltv_bp"], 5000);
    let public = scene
        .app
        .get(&format!("/api/v1/pledges?application_no={number}"), None)
        .await;
    assert!(public.body["items"][0].get("ltv_bp").is_none());

    let unattached = scene.right(42, |_| {}).await;
    let mut missing = application(&scene, &[&unattached]);
    missing["valuation"] = json!({"appraised_value_fen": 1_000_000_000, "appraiser_id": appraiser, "report_file_name": "无.pdf"});
    let refused = scene.register(&missing).await;
    assert_eq!(refused.body["status"], "refused");
    let ground = refused.body["findings"][0]["ground"]
        .as_str()
        .unwrap_or_default();
    assert!(ground.contains("第七条第二款"), "{ground}");
    let mut not_appraiser = application(&scene, &[&unattached]);
    not_appraiser["valuation"] = json!({"appraised_value_fen": 1, "appraiser_id": scene.lender_id, "report_file_name": "x.pdf"});
    let wrong = scene.apply(&not_appraiser).await;
    assert_eq!(
        wrong.error_fields(),
        vec![(
            "valuation.appraiser_id".to_string(),
            "unknown_party".to_string()
        )]
    );
}

#[tokio::test]
async fn a_valuation_is_calculated_with_its_working_and_recorded_with_every_input() {
    use super::pledges::Scene;
    let scene = Scene::new().await;
    let inputs = json!({"method": "relief_from_royalty", "revenues": ["1000000", "1100000", "1200000"],
        "royalty_rate_pct": "5", "discount_rate_pct": "12", "tax_rate_pct": "25"});
    let calculated = scene
        .app
        .post(
            "/api/v1/valuations/calculate",
            Some(&scene.banker.token),
            &inputs,
        )
        .await;
    assert_eq!(calculated.status, StatusCode::OK, "{:?}", calculated.body);
    assert_eq!(calculated.body["years"].as_array().map(Vec::len), Some(3));
    // 37,500 / 1.12 + 41,250 / 1.12² + 45,000 / 1.12³ = 98,396.50 to the fen.
    let value: ipyun_domain::valuation::Decimal = calculated.body["value_yuan"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap_or_default();
    assert_eq!(value.round_dp(2).to_string(), "98396.50", "{value}");

    let mut bad = inputs.clone();
    bad["revenues"] = json!(["1000000", "-5"]);
    let refused = scene
        .app
        .post(
            "/api/v1/valuations/calculate",
            Some(&scene.banker.token),
            &bad,
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.error_fields(),
        vec![("revenues[1]".to_string(), "negative".to_string())]
    );

    let number = scene.right(51, |_| {}).await;
    let request = json!({"purpose": "pledge", "right_number": number, "inputs": inputs});
    let recorded = scene
        .app
        .post("/api/v1/valuations", Some(&scene.banker.token), &request)
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{:?}", recorded.body);
    assert_eq!(recorded.body["record"]["value_fen"], 9_839_650);
    assert_eq!(recorded.body["record"]["purpose"], "pledge");
    assert!(
        recorded.body["record"]["assumptions"]
            .as_array()
            .is_some_and(|found| !found.is_empty())
    );
    let mine = scene
        .app
        .get(
            &format!("/api/v1/rights/{number}/valuations"),
            Some(&scene.banker.token),
        )
        .await;
    assert_eq!(mine.body.as_array().map(Vec::len), Some(1));
    let holder = scene
        .app
        .get(
            &format!("/api/v1/rights/{number}/valuations"),
            Some(&scene.owner.token),
        )
        .await;
    assert_eq!(holder.body.as_array().map(Vec::len), Some(1));
    let rival_id = scene.app.organisation("lender", "另一银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_id)).await;
    let hidden = scene
        .app
        .get(
            &format!("/api/v1/rights/{number}/valuations"),
            Some(&rival.token),
        )
        .await;
    assert_eq!(
        hidden.body.as_array().map(Vec::len),
        Some(0),
        "another lender's valuation stays with its maker"
    );
}

#[tokio::test]
async fn the_automated_valuation_explains_itself_and_a_pledge_bundle_is_valued_as_a_whole() {
    use super::pledges::{Scene, application};
    let scene = Scene::new().await;
    let first = scene.right(61, |_| {}).await;
    let second = scene.right(62, |_| {}).await;
    let one = scene
        .app
        .get(
            &format!("/api/v1/rights/{first}/automated-valuation"),
            Some(&scene.banker.token),
        )
        .await;
    assert_eq!(one.status, StatusCode::OK, "{:?}", one.body);
    let (low, mid, high) = (
        one.body["low_fen"].as_i64().unwrap_or(-1),
        one.body["mid_fen"].as_i64().unwrap_or(-1),
        one.body["high_fen"].as_i64().unwrap_or(-1),
    );
    assert!(0 < low && low <= mid && mid <= high, "{low} {mid} {high}");
    assert!(
        one.body["contributions"]
            .as_array()
            .is_some_and(|found| found.len() == 14),
        "{:?}",
        one.body["contributions"]
    );
    let bogus = scene
        .app
        .get(
            &format!("/api/v1/rights/{first}/automated-valuation?purpose=bogus"),
            Some(&scene.banker.token),
        )
        .await;
    assert_eq!(bogus.status, StatusCode::BAD_REQUEST);

    let registered = scene
        .register(&application(&scene, &[&first, &second]))
        .await;
    let number = registered.body["registration_no"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let bundle = scene
        .app
        .get(
            &format!("/api/v1/pledges/{number}/valuation"),
            Some(&scene.banker.token),
        )
        .await;
    assert_eq!(bundle.status, StatusCode::OK, "{:?}", bundle.body);
    assert_eq!(bundle.body["items"].as_array().map(Vec::len), Some(2));
    let sum: i64 = bundle.body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["mid_fen"].as_i64())
                .sum()
        })
        .unwrap_or_default();
    assert_eq!(bundle.body["mid_fen"].as_i64(), Some(sum));
    let rival_id = scene.app.organisation("lender", "旁观估值银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_id)).await;
    let hidden = scene
        .app
        .get(
            &format!("/api/v1/pledges/{number}/valuation"),
            Some(&rival.token),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let portfolio = scene
        .app
        .post(
            "/api/v1/portfolio-valuations",
            Some(&scene.owner.token),
            &json!({"numbers": [first, second], "purpose": "licence"}),
        )
        .await;
    assert_eq!(portfolio.status, StatusCode::OK, "{:?}", portfolio.body);
    assert_eq!(portfolio.body["purpose"], "licence");
    let empty = scene
        .app
        .post(
            "/api/v1/portfolio-valuations",
            Some(&scene.owner.token),
            &json!({"numbers": []}),
        )
        .await;
    assert_eq!(empty.error_code(), "portfolio.size");
}

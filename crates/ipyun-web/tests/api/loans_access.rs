//! Loans over the API: who may see and do what. Another lender cannot use a lender's pledge,
//! see, list, repay, classify or claim on its loans; the borrower reads its loans only; offices
//! see their province's loans and funds; only administrators run the daily job.

use super::loans::{created, get, interest_only, office, ok, pledge};
use super::pledges::Scene;
use ipyun_test_support::StatusCode;
use serde_json::json;

#[tokio::test]
async fn each_party_sees_and_does_only_what_is_its_own() {
    let scene = Scene::new().await;
    let registration_no = pledge(&scene, 73).await;
    let banker = &scene.banker;
    let other_bank = scene.app.organisation("lender", "另一家银行").await;
    let other_banker = scene
        .app
        .user("other-banker", "lender", Some(other_bank))
        .await;

    // Another lender cannot tie a loan to this lender's pledge.
    let stolen = scene
        .app
        .post(
            "/api/v1/loans",
            Some(&other_banker.token),
            &interest_only(&[&registration_no], "JK-X-001"),
        )
        .await;
    assert_eq!(
        stolen.error_fields(),
        vec![("pledges[0]".to_string(), "not_found".to_string())]
    );
    let by_owner = scene
        .app
        .post(
            "/api/v1/loans",
            Some(&scene.owner.token),
            &interest_only(&[&registration_no], "JK-X-002"),
        )
        .await;
    assert_eq!(by_owner.status, StatusCode::FORBIDDEN);

    let answer = scene
        .app
        .post(
            "/api/v1/loans",
            Some(&banker.token),
            &interest_only(&[&registration_no], "JK-A-001"),
        )
        .await;
    created(&answer);
    let loan_id = answer.body["loan"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/loans/{loan_id}");
    let same_contract = scene
        .app
        .post(
            "/api/v1/loans",
            Some(&banker.token),
            &interest_only(&[&registration_no], "JK-A-001"),
        )
        .await;
    assert_eq!(same_contract.error_code(), "loan.contract_taken");

    // The other lender: not found, not listed, no claim.
    let seen = get(&scene, &path, &other_banker).await;
    assert_eq!(
        (seen.status, seen.error_code()),
        (StatusCode::NOT_FOUND, "loan.not_found")
    );
    let listed = get(&scene, "/api/v1/loans", &other_banker).await;
    ok(&listed);
    assert_eq!(listed.body["total"], 0);
    let filtered = get(
        &scene,
        &format!("/api/v1/loans?lender_id={}", scene.lender_id),
        &other_banker,
    )
    .await;
    assert_eq!(filtered.body["total"], 0);
    let office = office(&scene).await;
    let fund = scene
        .app
        .post(
            "/api/v1/funds",
            Some(&office.maker.token),
            &json!({"name": "资金池", "region": "320000", "coverage_bp": 3_000, "cap_per_loan_fen": 1_000_000,
                    "cap_per_year_fen": 10_000_000, "eligible_lenders": [scene.lender_id, other_bank], "eligible_products": [1]}),
        )
        .await;
    created(&fund);
    let claim = json!({"fund_id": fund.body["id"], "loan_id": loan_id});
    let claimed = scene
        .app
        .post("/api/v1/fund-claims", Some(&other_banker.token), &claim)
        .await;
    assert_eq!(
        (claimed.status, claimed.error_code()),
        (StatusCode::NOT_FOUND, "loan.not_found")
    );
    for (method, suffix, body) in [
        (
            reqwest::Method::POST,
            "/repayments",
            json!({"amount_fen": 1}),
        ),
        (
            reqwest::Method::POST,
            "/prepayments",
            json!({"month": 1, "amount_fen": 1}),
        ),
        (
            reqwest::Method::PUT,
            "/classification",
            json!({"class": "loss", "reason": "x"}),
        ),
    ] {
        let answer = scene
            .app
            .send_json(
                method,
                &format!("{path}{suffix}"),
                Some(&other_banker.token),
                &body,
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{suffix}: {:?}",
            answer.body
        );
    }
    // A loan not in default is not claimed on, even by its lender.
    let early = scene
        .app
        .post("/api/v1/fund-claims", Some(&banker.token), &claim)
        .await;
    assert_eq!(early.error_code(), "fund.loan_not_defaulted");

    // The borrower reads its loan and does nothing to it; offices see their province's loans.
    let borrower = get(&scene, &path, &scene.owner).await;
    ok(&borrower);
    let listed = get(&scene, "/api/v1/loans", &scene.owner).await;
    assert_eq!(listed.body["total"], 1);
    let repay = scene
        .app
        .post(
            &format!("{path}/repayments"),
            Some(&scene.owner.token),
            &json!({"amount_fen": 1}),
        )
        .await;
    assert_eq!(repay.status, StatusCode::FORBIDDEN);
    ok(&get(&scene, &path, &office.maker).await);
    let zhejiang = scene
        .app
        .party(ipyun_domain::party::PartyDraft {
            kind: Some("ip_office".into()),
            name: Some("浙江省知识产权局".into()),
            region: Some("330000".into()),
            office_level: Some("provincial".into()),
            ..ipyun_domain::party::PartyDraft::default()
        })
        .await;
    let outsider = scene
        .app
        .user("zj-officer", "provincial_office", Some(zhejiang))
        .await;
    assert_eq!(
        get(&scene, &path, &outsider).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&scene, "/api/v1/loans", &outsider).await.body["total"],
        0
    );
    let fund_path = format!("/api/v1/funds/{}", fund.body["id"]);
    assert_eq!(
        get(&scene, &fund_path, &outsider).await.status,
        StatusCode::NOT_FOUND
    );
    let appropriation = scene
        .app
        .post(
            &format!("{fund_path}/appropriations"),
            Some(&outsider.token),
            &json!({"amount_fen": 1}),
        )
        .await;
    assert_eq!(appropriation.status, StatusCode::NOT_FOUND);
    // Only administrators run the daily job.
    let job = scene
        .app
        .post("/api/v1/loan-day", Some(&banker.token), &json!({}))
        .await;
    assert_eq!(job.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn funds_and_claims_are_listed_to_those_who_may_see_them() {
    let scene = Scene::new().await;
    let registration_no = pledge(&scene, 74).await;
    let answer = scene
        .app
        .post(
            "/api/v1/loans",
            Some(&scene.banker.token),
            &interest_only(&[&registration_no], "JK-L-010"),
        )
        .await;
    created(&answer);
    let loan_id = answer.body["loan"]["id"].as_i64().unwrap();
    let office = office(&scene).await;
    let fund = scene
        .app
        .post(
            "/api/v1/funds",
            Some(&office.maker.token),
            &json!({"name": "苏州市风险补偿资金池", "region": "320500", "coverage_bp": 5_000,
                    "cap_per_loan_fen": 40_000_000, "cap_per_year_fen": 500_000_000,
                    "eligible_lenders": [scene.lender_id], "eligible_products": [1]}),
        )
        .await;
    created(&fund);
    let fund_id = fund.body["id"].as_i64().unwrap();
    created(
        &scene
            .app
            .post(
                &format!("/api/v1/funds/{fund_id}/appropriations"),
                Some(&office.maker.token),
                &json!({"amount_fen": 1_000_000}),
            )
            .await,
    );
    let funds = get(&scene, "/api/v1/funds", &scene.banker).await;
    ok(&funds);
    assert_eq!(funds.body[0]["id"], fund_id);
    assert_eq!(funds.body[0]["balance_fen"], 1_000_000);
    assert_eq!(funds.body[0]["scope"]["region"], "320500");
    let other_bank = scene.app.organisation("lender", "另一家银行").await;
    let other_banker = scene
        .app
        .user("other-banker", "lender", Some(other_bank))
        .await;
    assert_eq!(
        get(&scene, "/api/v1/funds", &other_banker).await.body,
        json!([])
    );

    // Loans filtered by borrower, within what the viewer sees.
    let theirs = get(
        &scene,
        &format!("/api/v1/loans?borrower_id={}", scene.enterprise_id),
        &scene.banker,
    )
    .await;
    ok(&theirs);
    assert_eq!(theirs.body["items"][0]["id"], loan_id);
    let nobody = get(&scene, "/api/v1/loans?borrower_id=999999", &scene.banker).await;
    assert_eq!(nobody.body["items"], json!([]));
    let other = format!("/api/v1/loans?borrower_id={}", scene.enterprise_id + 1);
    assert_eq!(
        get(&scene, &other, &scene.owner).await.body["items"],
        json!([])
    );

    // Not in default: no claim. 91 days overdue: the claim is listed to its lender and the
    // fund's office, not to another lender; an enterprise lists no claims.
    let body = json!({"fund_id": fund_id, "loan_id": loan_id});
    let early = scene
        .app
        .post("/api/v1/fund-claims", Some(&scene.banker.token), &body)
        .await;
    assert_eq!(early.error_code(), "fund.loan_not_defaulted");
    assert_eq!(
        get(&scene, "/api/v1/fund-claims", &scene.banker).await.body,
        json!([])
    );
    super::loans::loan_day(
        &scene,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 23).unwrap() + chrono::Duration::days(91),
    )
    .await;
    let claim = scene
        .app
        .post("/api/v1/fund-claims", Some(&scene.banker.token), &body)
        .await;
    created(&claim);
    let mine = get(&scene, "/api/v1/fund-claims", &scene.banker).await;
    ok(&mine);
    let by_office = get(&scene, "/api/v1/fund-claims", &office.checker).await;
    ok(&by_office);
    assert_eq!(mine.body[0]["id"], claim.body["id"]);
    assert_eq!(mine.body.as_array().unwrap().len(), 1);
    assert_eq!(by_office.body, mine.body);
    assert_eq!(
        get(&scene, "/api/v1/fund-claims", &other_banker).await.body,
        json!([])
    );
    // An office of another province keeps no fund here: it lists no claim.
    let zhejiang = scene
        .app
        .party(ipyun_domain::party::PartyDraft {
            kind: Some("ip_office".into()),
            name: Some("浙江省知识产权局".into()),
            region: Some("330000".into()),
            office_level: Some("provincial".into()),
            ..Default::default()
        })
        .await;
    let zhejiang_officer = scene
        .app
        .user("zhejiang-officer", "provincial_office", Some(zhejiang))
        .await;
    let elsewhere = get(&scene, "/api/v1/fund-claims", &zhejiang_officer).await;
    ok(&elsewhere);
    assert_eq!(elsewhere.body, json!([]));
    assert_eq!(
        get(&scene, "/api/v1/fund-claims", &scene.owner)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

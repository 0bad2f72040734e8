//! Loans over the API (issue 7, L1–L3): one loan from disbursement through default, the daily
//! job's classes at 90/270/360 days overdue, an override refused below the floor, a claim on a
//! risk-compensation fund, pre-compensation paid by a maker and approved by a different checker,
//! a recovery shared back pro rata — every balance checked on the way; prepayment and the
//! pledges released when a loan is repaid. Who may see and do what: `loans_access.rs`.

use super::pledges::{Scene, application};
use chrono::{Duration, NaiveDate};
use ipyun_test_support::{Answer, StatusCode, TestUser};
use serde_json::{Value, json};

/// Registers a pledge of the scene's enterprise to its lender; its registration number.
pub async fn pledge(scene: &Scene, serial: u32) -> String {
    let number = scene.right(serial, |_| {}).await;
    let registered = scene.register(&application(scene, &[&number])).await;
    assert_eq!(
        registered.body["status"], "registered",
        "{:?}",
        registered.body
    );
    registered.body["registration_no"]
        .as_str()
        .unwrap()
        .to_string()
}

pub fn created(answer: &Answer) {
    assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
}

pub fn ok(answer: &Answer) {
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// A loan of 1,000,000 yuan at 4.35 % for 12 months, interest only: 362,500 fen of interest a
/// month, the principal at maturity.
pub fn interest_only(pledges: &[&str], contract_no: &str) -> Value {
    json!({"contract_no": contract_no, "pledges": pledges, "product_id": 1, "amount_fen": 100_000_000,
           "annual_rate_pct": "4.35", "method": "interest_only", "start_date": "2026-11-23", "months": 12})
}

pub async fn loan_day(scene: &Scene, on: NaiveDate) -> Answer {
    let answer = scene
        .app
        .post(
            "/api/v1/loan-day",
            Some(&scene.admin.token),
            &json!({"date": on.to_string()}),
        )
        .await;
    ok(&answer);
    answer
}

pub async fn get(scene: &Scene, path: &str, user: &TestUser) -> Answer {
    scene.app.get(path, Some(&user.token)).await
}

/// The fund's balance of `kind` account `id`, from its view.
pub fn balance(fund: &Value, kind: &str, id: i64) -> i64 {
    fund["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["account"]["kind"] == kind && row["account"]["id"] == id)
        .map_or(0, |row| row["balance_fen"].as_i64().unwrap())
}

/// Every entry of the fund's journal balances, the whole ledger sums to zero, no account that
/// must not is below zero.
pub fn ledger_holds(fund: &Value) {
    assert_eq!(fund["ledger_total_fen"], 0, "{fund:?}");
    for entry in fund["journal"].as_array().unwrap() {
        let sum: i64 = entry["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|line| line["amount_fen"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, 0, "{entry:?}");
    }
    for row in fund["accounts"].as_array().unwrap() {
        let kind = row["account"]["kind"].as_str().unwrap();
        if kind != "budget" && kind != "buyer" {
            assert!(row["balance_fen"].as_i64().unwrap() >= 0, "{row:?}");
        }
    }
    assert!(fund["balance_fen"].as_i64().unwrap() >= 0);
}

pub struct Office {
    pub id: i64,
    pub maker: TestUser,
    pub checker: TestUser,
}

pub async fn office(scene: &Scene) -> Office {
    let id = scene
        .app
        .organisation("ip_office", "江苏省知识产权局")
        .await;
    Office {
        id,
        maker: scene
            .app
            .user("officer-maker", "provincial_office", Some(id))
            .await,
        checker: scene
            .app
            .user("officer-checker", "provincial_office", Some(id))
            .await,
    }
}

#[tokio::test]
async fn a_loan_runs_from_disbursement_through_default_pre_compensation_and_recovery() {
    let scene = Scene::new().await;
    let registration_no = pledge(&scene, 71).await;
    let banker = &scene.banker;

    // Disbursement: the schedule of twelve interest-only instalments.
    let answer = scene
        .app
        .post(
            "/api/v1/loans",
            Some(&banker.token),
            &interest_only(&[&registration_no], "JK-L-001"),
        )
        .await;
    created(&answer);
    let loan_id = answer.body["loan"]["id"].as_i64().unwrap();
    assert_eq!(answer.body["loan"]["status"], "active");
    assert_eq!(answer.body["loan"]["risk_class"], "normal");
    assert_eq!(answer.body["loan"]["annual_rate_pct"], "4.35");
    assert_eq!(
        answer.body["loan"]["principal_outstanding_fen"],
        100_000_000
    );
    assert_eq!(
        answer.body["pledges"][0]["registration_no"],
        registration_no.as_str()
    );
    let instalments = answer.body["instalments"].as_array().unwrap();
    assert_eq!(instalments.len(), 12);
    assert_eq!(instalments[0]["due_date"], "2026-12-23");
    assert_eq!(instalments[0]["interest_fen"], 362_500);
    assert_eq!(instalments[0]["principal_fen"], 0);
    assert_eq!(instalments[11]["principal_fen"], 100_000_000);
    assert_eq!(instalments[11]["balance_fen"], 0);

    // The first instalment is paid on its due date.
    scene.app.clock.advance(Duration::days(30));
    let path = format!("/api/v1/loans/{loan_id}");
    let repaid = scene
        .app
        .post(
            &format!("{path}/repayments"),
            Some(&banker.token),
            &json!({"amount_fen": 362_500}),
        )
        .await;
    created(&repaid);
    assert_eq!(repaid.body["interest_fen"], 362_500);
    assert_eq!(repaid.body["applied"][0]["period"], 1);
    assert_eq!(repaid.body["repaid"], false);
    assert_eq!(repaid.body["pledges"], json!([]));

    // Then nothing: the second instalment falls due on 2027-01-23 and stays unpaid.
    let due = date("2027-01-23");
    let on_due = loan_day(&scene, due).await;
    assert_eq!(on_due.body["overdue"], 0);
    let next_day = loan_day(&scene, due + Duration::days(1)).await;
    assert_eq!(
        (
            next_day.body["overdue"].as_i64(),
            next_day.body["alerts"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(
        get(&scene, &path, banker).await.body["loan"]["risk_class"],
        "special_mention"
    );
    for (days, class) in [(90, "special_mention"), (91, "substandard")] {
        loan_day(&scene, due + Duration::days(days)).await;
        let detail = get(&scene, &path, banker).await;
        assert_eq!(detail.body["loan"]["risk_class"], class, "{days} days");
        assert_eq!(detail.body["loan"]["days_overdue"], days);
    }

    // An override below the floor is refused, naming the floor and its rule; one above is kept.
    let classification = format!("{path}/classification");
    let refused = scene
        .app
        .send_json(
            reqwest::Method::PUT,
            &classification,
            Some(&banker.token),
            &json!({"class": "special_mention", "reason": "借款人承诺下月还款"}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.error_code(), "loan.below_floor");
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("substandard") && message.contains("overdue more than 90 days"),
        "{message}"
    );
    assert_eq!(
        refused.error_fields(),
        vec![("class".to_string(), "below_floor".to_string())]
    );
    let overridden = scene
        .app
        .send_json(
            reqwest::Method::PUT,
            &classification,
            Some(&banker.token),
            &json!({"class": "doubtful", "reason": "经营停滞，质押专利评估值下降"}),
        )
        .await;
    ok(&overridden);
    assert_eq!(overridden.body["loan"]["risk_class"], "doubtful");
    assert_eq!(overridden.body["loan"]["override_class"], "doubtful");

    // 271 days: the floor is doubtful, the override still holds; 361 days: loss, it lapses.
    loan_day(&scene, due + Duration::days(271)).await;
    let detail = get(&scene, &path, banker).await;
    assert_eq!(detail.body["loan"]["risk_class"], "doubtful");
    assert_eq!(detail.body["loan"]["override_class"], "doubtful");
    assert_eq!(detail.body["floor"]["class"], "doubtful");
    let lapsed = loan_day(&scene, due + Duration::days(361)).await;
    assert_eq!(lapsed.body["overrides_lapsed"], 1);
    let detail = get(&scene, &path, banker).await;
    assert_eq!(detail.body["loan"]["risk_class"], "loss");
    assert!(detail.body["loan"].get("override_class").is_none());
    let history: Vec<(String, String)> = detail.body["classification_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| {
            (
                change["to_class"].as_str().unwrap().to_string(),
                change["source"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("normal", "opened"),
        ("special_mention", "daily_job"),
        ("substandard", "daily_job"),
        ("doubtful", "override"),
        ("loss", "daily_job"),
    ];
    assert_eq!(
        history,
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    );

    // The NPL ratio at the end of a period: special-mention in January, non-performing by June.
    let npl = get(
        &scene,
        "/api/v1/loan-stats/npl?by=lender&period=2027-01",
        banker,
    )
    .await;
    ok(&npl);
    assert_eq!(npl.body["as_of"], "2027-01-31");
    assert_eq!(npl.body["rows"][0]["special_mention_fen"], 100_000_000);
    assert_eq!(npl.body["rows"][0]["npl_ratio_bp"], 0);
    let npl = get(
        &scene,
        "/api/v1/loan-stats/npl?by=region&period=2027-Q2",
        &scene.admin,
    )
    .await;
    assert_eq!(npl.body["rows"][0]["key"], "320000");
    assert_eq!(npl.body["rows"][0]["doubtful_fen"], 100_000_000);
    assert_eq!(npl.body["total"]["npl_ratio_bp"], 10_000);

    // The fund: half the principal loss, at most 400,000 yuan a loan.
    let office = office(&scene).await;
    let fund = scene
        .app
        .post(
            "/api/v1/funds",
            Some(&office.maker.token),
            &json!({"name": "苏州市知识产权质押融资风险补偿资金池", "region": "320500", "coverage_bp": 5_000,
                    "cap_per_loan_fen": 40_000_000, "cap_per_year_fen": 500_000_000,
                    "eligible_lenders": [scene.lender_id], "eligible_products": [1]}),
        )
        .await;
    created(&fund);
    let fund_id = fund.body["id"].as_i64().unwrap();
    assert_eq!(fund.body["office_id"], office.id);
    assert_eq!(fund.body["balance_fen"], 0);
    let fund_path = format!("/api/v1/funds/{fund_id}");
    let appropriated = scene
        .app
        .post(
            &format!("{fund_path}/appropriations"),
            Some(&office.maker.token),
            &json!({"amount_fen": 10_000_000}),
        )
        .await;
    created(&appropriated);
    assert_eq!(appropriated.body["balance_fen"], 10_000_000);
    assert_eq!(balance(&appropriated.body, "budget", fund_id), -10_000_000);
    ledger_holds(&appropriated.body);

    // The claim: the fund's share is cut by the cap per loan.
    let claim = scene
        .app
        .post(
            "/api/v1/fund-claims",
            Some(&banker.token),
            &json!({"fund_id": fund_id, "loan_id": loan_id}),
        )
        .await;
    created(&claim);
    let claim_id = claim.body["id"].as_i64().unwrap();
    assert_eq!(claim.body["status"], "submitted");
    assert_eq!(claim.body["principal_outstanding_fen"], 100_000_000);
    assert_eq!(claim.body["share_fen"], 50_000_000);
    assert_eq!(claim.body["amount_fen"], 40_000_000);
    assert_eq!(claim.body["limited_by"], "per_loan");
    let twice = scene
        .app
        .post(
            "/api/v1/fund-claims",
            Some(&banker.token),
            &json!({"fund_id": fund_id, "loan_id": loan_id}),
        )
        .await;
    assert_eq!(
        (twice.status, twice.error_code()),
        (StatusCode::CONFLICT, "fund.claim_exists")
    );

    // Pre-compensation: drafted by the maker; the maker cannot approve it; the checker's approval
    // is refused while it would overdraw the fund, and nothing moves.
    let payout = scene
        .app
        .post(
            &format!("/api/v1/fund-claims/{claim_id}/payout"),
            Some(&office.maker.token),
            &json!({}),
        )
        .await;
    created(&payout);
    assert_eq!(
        (
            payout.body["status"].as_str(),
            payout.body["amount_fen"].as_i64()
        ),
        (Some("pending"), Some(40_000_000))
    );
    let approve = format!("/api/v1/fund-payouts/{}/approve", payout.body["id"]);
    let by_maker = scene
        .app
        .post(&approve, Some(&office.maker.token), &json!({}))
        .await;
    assert_eq!(
        (by_maker.status, by_maker.error_code()),
        (StatusCode::CONFLICT, "fund.maker_is_checker")
    );
    let by_banker = scene
        .app
        .post(&approve, Some(&banker.token), &json!({}))
        .await;
    assert_eq!(
        by_banker.status,
        StatusCode::FORBIDDEN,
        "{:?}",
        by_banker.body
    );
    let overdraw = scene
        .app
        .post(&approve, Some(&office.checker.token), &json!({}))
        .await;
    assert_eq!(
        (overdraw.status, overdraw.error_code()),
        (StatusCode::CONFLICT, "ledger.overdraft")
    );
    let unchanged = get(&scene, &fund_path, &office.maker).await;
    assert_eq!(unchanged.body["balance_fen"], 10_000_000);
    assert_eq!(unchanged.body["paid_out_fen"], 0);
    assert_eq!(unchanged.body["journal"].as_array().unwrap().len(), 1);
    assert_eq!(balance(&unchanged.body, "lender", scene.lender_id), 0);
    ledger_holds(&unchanged.body);

    let topped = scene
        .app
        .post(
            &format!("{fund_path}/appropriations"),
            Some(&office.maker.token),
            &json!({"amount_fen": 50_000_000}),
        )
        .await;
    assert_eq!(topped.body["balance_fen"], 60_000_000);
    let approved = scene
        .app
        .post(&approve, Some(&office.checker.token), &json!({}))
        .await;
    ok(&approved);
    assert_eq!(approved.body["status"], "approved");
    assert_eq!(approved.body["checker"], "officer-checker");
    let again = scene
        .app
        .post(&approve, Some(&office.checker.token), &json!({}))
        .await;
    assert_eq!(again.error_code(), "fund.payout_not_pending");
    let paid = get(&scene, &fund_path, &office.maker).await;
    assert_eq!(paid.body["balance_fen"], 20_000_000);
    assert_eq!(paid.body["appropriated_fen"], 60_000_000);
    assert_eq!(paid.body["paid_out_fen"], 40_000_000);
    assert_eq!(balance(&paid.body, "lender", scene.lender_id), 40_000_000);
    ledger_holds(&paid.body);
    let claim = get(&scene, &format!("/api/v1/fund-claims/{claim_id}"), banker).await;
    assert_eq!(
        (
            claim.body["status"].as_str(),
            claim.body["paid_fen"].as_i64()
        ),
        (Some("paid"), Some(40_000_000))
    );

    // After disposal 300,000 yuan of principal is recovered: the fund bore 40 % of the loss and
    // gets 40 % of the recovery back.
    let recovery = format!("/api/v1/fund-claims/{claim_id}/recoveries");
    let too_much = scene
        .app
        .post(
            &recovery,
            Some(&banker.token),
            &json!({"recovered_fen": 100_000_001}),
        )
        .await;
    assert_eq!(
        too_much.error_fields(),
        vec![("recovered_fen".to_string(), "above_loss".to_string())]
    );
    let settled = scene
        .app
        .post(
            &recovery,
            Some(&banker.token),
            &json!({"recovered_fen": 30_000_000}),
        )
        .await;
    created(&settled);
    assert_eq!(settled.body["status"], "settled");
    assert_eq!(settled.body["recovered_fen"], 30_000_000);
    assert_eq!(settled.body["recovered_to_fund_fen"], 12_000_000);
    let fund = get(&scene, &fund_path, &office.maker).await;
    assert_eq!(fund.body["balance_fen"], 32_000_000);
    assert_eq!(fund.body["recovered_fen"], 12_000_000);
    assert_eq!(balance(&fund.body, "lender", scene.lender_id), 58_000_000);
    assert_eq!(balance(&fund.body, "recoveries", claim_id), 0);
    assert_eq!(balance(&fund.body, "buyer", claim_id), -30_000_000);
    assert_eq!(balance(&fund.body, "budget", fund_id), -60_000_000);
    ledger_holds(&fund.body);
    let twice = scene
        .app
        .post(&recovery, Some(&banker.token), &json!({"recovered_fen": 1}))
        .await;
    assert_eq!(twice.error_code(), "fund.claim_not_paid");
}

#[tokio::test]
async fn a_prepaid_loan_lowers_its_instalments_and_once_repaid_releases_its_pledges() {
    let scene = Scene::new().await;
    let registration_no = pledge(&scene, 72).await;
    let banker = &scene.banker;
    let body = json!({"contract_no": "JK-P-001", "pledges": [registration_no], "amount_fen": 12_000_000,
                      "annual_rate_pct": 4.9, "method": "equal_instalment", "start_date": "2026-11-23", "months": 12});
    let answer = scene
        .app
        .post("/api/v1/loans", Some(&banker.token), &body)
        .await;
    created(&answer);
    let loan_id = answer.body["loan"]["id"].as_i64().unwrap();
    let first = answer.body["instalments"][0]["payment_fen"]
        .as_i64()
        .unwrap();
    let second = answer.body["instalments"][1]["payment_fen"]
        .as_i64()
        .unwrap();
    assert_eq!(first, second, "equal instalments");
    let path = format!("/api/v1/loans/{loan_id}");

    // Nothing is due yet; a prepayment before the instalment due that day is paid is refused.
    let early = scene
        .app
        .post(
            &format!("{path}/repayments"),
            Some(&banker.token),
            &json!({"amount_fen": 100}),
        )
        .await;
    assert_eq!(
        (early.status, early.error_code()),
        (StatusCode::CONFLICT, "loan.nothing_due")
    );
    scene.app.clock.advance(Duration::days(30));
    let prepay = format!("{path}/prepayments");
    let unpaid = scene
        .app
        .post(
            &prepay,
            Some(&banker.token),
            &json!({"month": 1, "amount_fen": 5_000_000}),
        )
        .await;
    assert_eq!(unpaid.error_code(), "loan.instalment_unpaid");
    let paid = scene
        .app
        .post(
            &format!("{path}/repayments"),
            Some(&banker.token),
            &json!({"amount_fen": first + 1}),
        )
        .await;
    created(&paid);
    assert_eq!(paid.body["unapplied_fen"], 1);

    let prepaid = scene
        .app
        .post(
            &prepay,
            Some(&banker.token),
            &json!({"month": 1, "amount_fen": 5_000_000}),
        )
        .await;
    created(&prepaid);
    assert_eq!(prepaid.body["repaid"], false);
    assert_eq!(prepaid.body["prepayment"]["date"], "2026-12-23");
    let remaining = prepaid.body["prepayment"]["remaining"].as_array().unwrap();
    assert_eq!(remaining.len(), 11);
    assert!(remaining[0]["payment_fen"].as_i64().unwrap() < second);
    let detail = scene.app.get(&path, Some(&banker.token)).await;
    assert_eq!(detail.body["instalments"].as_array().unwrap().len(), 12);
    let outstanding = detail.body["loan"]["principal_outstanding_fen"]
        .as_i64()
        .unwrap();
    assert_eq!(
        outstanding,
        remaining[0]["balance_fen"].as_i64().unwrap()
            + remaining[0]["principal_fen"].as_i64().unwrap()
    );

    // Paying off the rest repays the loan: the lender, as pledgee, cancels the pledge alone.
    let payoff = scene
        .app
        .post(
            &prepay,
            Some(&banker.token),
            &json!({"month": 1, "amount_fen": outstanding}),
        )
        .await;
    created(&payoff);
    assert_eq!(payoff.body["repaid"], true);
    assert_eq!(payoff.body["loan"]["status"], "repaid");
    assert_eq!(payoff.body["loan"]["principal_outstanding_fen"], 0);
    assert_eq!(
        payoff.body["pledges"][0]["registration_no"],
        registration_no.as_str()
    );
    assert_eq!(
        payoff.body["pledges"][0]["outcome"], "cancelled",
        "{:?}",
        payoff.body
    );
    let pledge = scene
        .app
        .get(
            &format!("/api/v1/pledges/{registration_no}"),
            Some(&banker.token),
        )
        .await;
    assert_eq!(pledge.body["status"], "cancelled");
    // A cancelled pledge secures no new loan.
    let mut again = body.clone();
    again["contract_no"] = json!("JK-P-002");
    let refused = scene
        .app
        .post("/api/v1/loans", Some(&banker.token), &again)
        .await;
    assert_eq!(
        refused.error_fields(),
        vec![("pledges[0]".to_string(), "not_active".to_string())]
    );
}

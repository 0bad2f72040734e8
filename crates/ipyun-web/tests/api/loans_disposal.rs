//! Disposal over the API (issue 7, L5): one loan from disbursement through default,
//! pre-compensation by the fund, an auction with refused and accepted bids, and the settlement
//! that pays costs, interest and principal shared with the fund — every balance checked on the
//! way; the loan closed with the rest written off, the right's holder changed, the pledge's
//! cancellation applied for. Then an unsold auction turned to an acquisition, and who may see
//! and do what.

use super::loans::{
    balance, created, get, interest_only, ledger_holds, loan_day, office, ok, pledge,
};
use super::pledges::Scene;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use ipyun_test_support::{Answer, StatusCode, TestUser};
use serde_json::{Value, json};

const PRINCIPAL: i64 = 100_000_000;
const MONTHLY_INTEREST: i64 = 362_500;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn time(value: &Value) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(value.as_str().unwrap(), "%Y-%m-%dT%H:%M:%S%.f").unwrap()
}

/// A loan in default: open, nothing repaid, the daily job run `days` after the first due date.
async fn defaulted_loan(scene: &Scene, serial: u32, contract_no: &str, days: i64) -> (i64, String) {
    let registration_no = pledge(scene, serial).await;
    let answer = scene
        .app
        .post(
            "/api/v1/loans",
            Some(&scene.banker.token),
            &interest_only(&[&registration_no], contract_no),
        )
        .await;
    created(&answer);
    let loan_id = answer.body["loan"]["id"].as_i64().unwrap();
    loan_day(scene, date("2026-12-23") + Duration::days(days)).await;
    (loan_id, registration_no)
}

async fn bidder(scene: &Scene, name: &str, serial: u32) -> (i64, TestUser) {
    let (party, _) = scene.app.enterprise(name, serial, None).await;
    let user = scene
        .app
        .user(&format!("bidder-{serial}"), "enterprise", Some(party))
        .await;
    (party, user)
}

async fn bid(scene: &Scene, case: &str, user: &TestUser, amount_fen: i64) -> Answer {
    scene
        .app
        .post(
            &format!("{case}/bids"),
            Some(&user.token),
            &json!({"amount_fen": amount_fen}),
        )
        .await
}

fn code(answer: &Answer) -> (StatusCode, String) {
    (answer.status, answer.error_code().to_string())
}

#[tokio::test]
async fn a_defaulted_loan_goes_through_pre_compensation_auction_and_settlement() {
    let scene = Scene::new().await;
    let banker = &scene.banker;
    let registration_no = pledge(&scene, 81).await;
    let answer = scene
        .app
        .post(
            "/api/v1/loans",
            Some(&banker.token),
            &interest_only(&[&registration_no], "JK-D-001"),
        )
        .await;
    created(&answer);
    let loan_id = answer.body["loan"]["id"].as_i64().unwrap();
    let right_no = scene
        .app
        .get(
            &format!("/api/v1/pledges/{registration_no}"),
            Some(&banker.token),
        )
        .await
        .body["rights"][0]["number"]
        .as_str()
        .unwrap()
        .to_string();

    // Nothing is overdue yet: no disposal.
    let open = format!("/api/v1/loans/{loan_id}/disposals");
    let early = scene
        .app
        .post(&open, Some(&banker.token), &json!({"method": "auction"}))
        .await;
    assert_eq!(
        code(&early),
        (StatusCode::CONFLICT, "disposal.not_in_default".into())
    );
    assert!(
        early.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("第四百三十六条"),
        "{:?}",
        early.body
    );

    // Four months on, nothing paid: 91 days overdue, substandard.
    scene.app.clock.advance(Duration::days(120));
    loan_day(&scene, date("2026-12-23") + Duration::days(91)).await;
    let detail = get(&scene, &format!("/api/v1/loans/{loan_id}"), banker).await;
    assert_eq!(detail.body["loan"]["risk_class"], "substandard");

    // The fund pre-compensates 40 % of the principal (half, capped at 400,000 yuan).
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
    let fund_path = format!("/api/v1/funds/{fund_id}");
    created(
        &scene
            .app
            .post(
                &format!("{fund_path}/appropriations"),
                Some(&office.maker.token),
                &json!({"amount_fen": 60_000_000}),
            )
            .await,
    );
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
    let payout = scene
        .app
        .post(
            &format!("/api/v1/fund-claims/{claim_id}/payout"),
            Some(&office.maker.token),
            &json!({}),
        )
        .await;
    created(&payout);
    ok(&scene
        .app
        .post(
            &format!("/api/v1/fund-payouts/{}/approve", payout.body["id"]),
            Some(&office.checker.token),
            &json!({}),
        )
        .await);
    let paid = get(&scene, &fund_path, &office.maker).await;
    assert_eq!(paid.body["balance_fen"], 20_000_000);
    assert_eq!(balance(&paid.body, "lender", scene.lender_id), 40_000_000);

    // The lender opens an auction case; the borrower sees it, a stranger does not.
    let opened = scene
        .app
        .post(&open, Some(&banker.token), &json!({"method": "auction"}))
        .await;
    created(&opened);
    assert_eq!(opened.body["status"], "opened");
    assert_eq!(opened.body["loan_id"], loan_id);
    let case_id = opened.body["id"].as_i64().unwrap();
    let case = format!("/api/v1/disposals/{case_id}");
    let again = scene
        .app
        .post(&open, Some(&banker.token), &json!({"method": "auction"}))
        .await;
    assert_eq!(
        code(&again),
        (StatusCode::CONFLICT, "disposal.case_open".into())
    );
    assert_eq!(
        get(&scene, &case, &scene.owner).await.body["status"],
        "opened"
    );
    let (winner_id, winner) = bidder(&scene, "无锡收购科技有限公司", 91).await;
    let (_, runner_up) = bidder(&scene, "常州技术转移有限公司", 92).await;
    assert_eq!(
        get(&scene, &case, &winner).await.status,
        StatusCode::NOT_FOUND
    );
    let by_owner = scene
        .app
        .post(
            &format!("{case}/listing"),
            Some(&scene.owner.token),
            &json!({"reserve_fen": 60_000_000, "increment_fen": 1_000_000, "deadline": "2027-03-30T15:00:00"}),
        )
        .await;
    assert_eq!(
        by_owner.status,
        StatusCode::FORBIDDEN,
        "{:?}",
        by_owner.body
    );

    // Listed for a week at a reserve of 600,000 yuan, in steps of 10,000.
    let listed = scene
        .app
        .post(
            &format!("{case}/listing"),
            Some(&banker.token),
            &json!({"reserve_fen": 60_000_000, "increment_fen": 1_000_000, "deadline": "2027-03-30T15:00:00"}),
        )
        .await;
    ok(&listed);
    assert_eq!(listed.body["status"], "listed");
    assert_eq!(listed.body["listing"]["minimum_bid_fen"], 60_000_000);
    let deadline = time(&listed.body["listing"]["deadline"]);

    // Bids: the pledgor may not; below the reserve, then below the increment, are refused.
    assert_eq!(
        bid(&scene, &case, &scene.owner, 70_000_000).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        code(&bid(&scene, &case, &winner, 59_999_999).await),
        (StatusCode::CONFLICT, "disposal.below_reserve".into())
    );
    created(&bid(&scene, &case, &runner_up, 60_000_000).await);
    assert_eq!(
        code(&bid(&scene, &case, &winner, 60_500_000).await),
        (StatusCode::CONFLICT, "disposal.below_increment".into())
    );
    let best = bid(&scene, &case, &winner, 61_000_000).await;
    created(&best);
    assert_eq!(best.body["status"], "bidding");
    assert_eq!(best.body["listing"]["minimum_bid_fen"], 62_000_000);
    // A bidder sees the bids without names, its own marked, and nothing of the loan.
    let seen = get(&scene, &case, &winner).await;
    ok(&seen);
    let bids = seen.body["bids"].as_array().unwrap();
    assert_eq!(bids.len(), 2);
    assert!(bids.iter().all(|bid| bid.get("bidder_id").is_none()));
    assert_eq!(
        bids.iter()
            .map(|bid| bid["yours"].as_bool().unwrap())
            .collect::<Vec<_>>(),
        vec![false, true]
    );
    assert!(seen.body.get("loan_id").is_none() && seen.body["events"] == json!([]));

    // Not before the deadline; then bids are refused and the best one wins.
    let close = format!("{case}/close-auction");
    assert_eq!(
        code(
            &scene
                .app
                .post(&close, Some(&banker.token), &json!({}))
                .await
        ),
        (StatusCode::CONFLICT, "disposal.still_open".into())
    );
    scene.app.clock.advance(Duration::days(8));
    assert_eq!(
        code(&bid(&scene, &case, &runner_up, 62_000_000).await),
        (StatusCode::CONFLICT, "disposal.after_deadline".into())
    );
    let sold = scene
        .app
        .post(&close, Some(&banker.token), &json!({}))
        .await;
    ok(&sold);
    assert_eq!(sold.body["status"], "sold");
    assert_eq!(sold.body["buyer_id"], winner_id);
    assert_eq!(sold.body["price_fen"], 61_000_000);
    let last = sold.body["events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["action"], "close_auction");
    assert_eq!(last["detail"]["price_fen"], 61_000_000);
    assert!(
        time(&last["at"].as_str().unwrap().replace('Z', "").into())
            >= deadline - Duration::hours(8)
    );

    // Settlement: 10,000 yuan of costs, then the interest due, then principal shared 60/40.
    let settled = scene
        .app
        .post(
            &format!("{case}/settlement"),
            Some(&banker.token),
            &json!({"costs_fen": 1_000_000}),
        )
        .await;
    created(&settled);
    let settled_on = date(settled.body["settled_on"].as_str().unwrap());
    let loan = get(&scene, &format!("/api/v1/loans/{loan_id}"), banker).await;
    let interest_due: i64 = loan.body["instalments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| date(row["due_date"].as_str().unwrap()) <= settled_on)
        .map(|row| row["interest_fen"].as_i64().unwrap())
        .sum();
    assert_eq!(
        interest_due,
        4 * MONTHLY_INTEREST,
        "four instalments fell due by {settled_on}"
    );
    let principal_recovered = 61_000_000 - 1_000_000 - interest_due;
    let to_fund = principal_recovered * 40 / 100;
    let settlement = &settled.body["settlement"];
    assert_eq!(settlement["claim"]["principal_fen"], PRINCIPAL);
    assert_eq!(settlement["claim"]["interest_fen"], interest_due);
    assert_eq!(settlement["fund_paid_fen"], 40_000_000);
    let waterfall = &settlement["waterfall"];
    assert_eq!(waterfall["costs_fen"], 1_000_000);
    assert_eq!(waterfall["interest_fen"], interest_due);
    assert_eq!(waterfall["principal_fen"], principal_recovered);
    assert_eq!(waterfall["fund_recovery_fen"], to_fund);
    assert_eq!(
        waterfall["lender_principal_fen"],
        principal_recovered - to_fund
    );
    assert_eq!(waterfall["surplus_fen"], 0);
    assert_eq!(
        settlement["written_off_fen"],
        PRINCIPAL - principal_recovered
    );
    assert_eq!(settlement["loan_status"], "disposed");
    assert_eq!(settlement["new_holder"], "无锡收购科技有限公司");
    assert_eq!(settled.body["status"], "settled");
    assert_eq!(
        settled.body["pledges"][0]["registration_no"],
        registration_no.as_str()
    );
    assert_eq!(
        settled.body["pledges"][0]["outcome"], "cancellation_pending",
        "realising a pledge needs the pledgor's confirmation: {:?}",
        settled.body["pledges"]
    );

    // The ledger: the fund got its share back, the lender the interest and the rest.
    let fund = get(&scene, &fund_path, &office.maker).await;
    assert_eq!(fund.body["balance_fen"], 20_000_000 + to_fund);
    assert_eq!(fund.body["recovered_fen"], to_fund);
    assert_eq!(
        balance(&fund.body, "lender", scene.lender_id),
        40_000_000 + interest_due + principal_recovered - to_fund
    );
    assert_eq!(balance(&fund.body, "recoveries", case_id), 0);
    assert_eq!(balance(&fund.body, "disposal_costs", case_id), 1_000_000);
    assert_eq!(balance(&fund.body, "buyer", winner_id), -61_000_000);
    ledger_holds(&fund.body);
    let claim = get(&scene, &format!("/api/v1/fund-claims/{claim_id}"), banker).await;
    assert_eq!(claim.body["status"], "settled");
    assert_eq!(claim.body["recovered_fen"], principal_recovered);
    assert_eq!(claim.body["recovered_to_fund_fen"], to_fund);

    // The loan is closed: recovered and written off, nothing outstanding, out of the NPL.
    assert_eq!(loan.body["loan"]["status"], "disposed");
    assert_eq!(loan.body["loan"]["principal_outstanding_fen"], 0);
    let kinds: Vec<(String, i64)> = loan.body["repayments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["kind"].as_str().unwrap().to_string(),
                row["principal_fen"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("disposal".to_string(), principal_recovered),
            ("write_off".to_string(), PRINCIPAL - principal_recovered)
        ]
    );
    let npl = get(&scene, "/api/v1/loan-stats/npl?by=lender", banker).await;
    ok(&npl);
    assert_eq!(npl.body["total"]["balance_fen"], 0, "{:?}", npl.body);

    // The right now belongs to the buyer; the case is final.
    let right = get(&scene, &format!("/api/v1/rights/{right_no}"), banker).await;
    assert_eq!(
        right.body["holders"][0]["name"], "无锡收购科技有限公司",
        "{:?}",
        right.body
    );
    assert_eq!(right.body["holders"].as_array().unwrap().len(), 1);
    let twice = scene
        .app
        .post(
            &format!("{case}/settlement"),
            Some(&banker.token),
            &json!({}),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{:?}", twice.body);
    let actions: Vec<&str> = settled.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["open", "list", "bid", "bid", "close_auction", "settle"]
    );
}

#[tokio::test]
async fn an_unsold_auction_turns_to_an_acquisition_that_recovers_everything() {
    let scene = Scene::new().await;
    let banker = &scene.banker;
    let (loan_id, _) = defaulted_loan(&scene, 82, "JK-D-002", 10).await;
    let opened = scene
        .app
        .post(
            &format!("/api/v1/loans/{loan_id}/disposals"),
            Some(&banker.token),
            &json!({"method": "auction"}),
        )
        .await;
    created(&opened);
    let case = format!("/api/v1/disposals/{}", opened.body["id"]);

    // Agreement is for other methods; a listing whose deadline is past is refused.
    let (fund_party, _) = bidder(&scene, "江苏省知识产权运营基金", 93).await;
    let agreement = json!({"buyer_id": fund_party, "price_fen": 120_000_000});
    assert_eq!(
        code(
            &scene
                .app
                .post(
                    &format!("{case}/agreement"),
                    Some(&banker.token),
                    &agreement
                )
                .await
        ),
        (StatusCode::CONFLICT, "disposal.method".into())
    );
    let past = scene
        .app
        .post(
            &format!("{case}/listing"),
            Some(&banker.token),
            &json!({"reserve_fen": 1, "increment_fen": 1, "deadline": "2020-01-01T00:00:00"}),
        )
        .await;
    assert_eq!(past.status, StatusCode::BAD_REQUEST, "{:?}", past.body);
    // No bid by the deadline: unsold; the lender turns to acquisition by an operation fund.
    ok(&scene
        .app
        .post(
            &format!("{case}/listing"),
            Some(&banker.token),
            &json!({"reserve_fen": 150_000_000, "increment_fen": 1_000_000, "deadline": "2027-12-01T10:00:00"}),
        )
        .await);
    scene.app.clock.advance(Duration::days(400));
    let unsold = scene
        .app
        .post(
            &format!("{case}/close-auction"),
            Some(&banker.token),
            &json!({}),
        )
        .await;
    ok(&unsold);
    assert_eq!(unsold.body["status"], "unsold");
    let turned = scene
        .app
        .post(
            &format!("{case}/method"),
            Some(&banker.token),
            &json!({"method": "acquisition"}),
        )
        .await;
    ok(&turned);
    assert_eq!(
        (
            turned.body["status"].as_str(),
            turned.body["method"].as_str()
        ),
        (Some("opened"), Some("acquisition"))
    );
    let no_party = json!({"buyer_id": 999_999, "price_fen": 1});
    let refused = scene
        .app
        .post(&format!("{case}/agreement"), Some(&banker.token), &no_party)
        .await;
    assert_eq!(
        refused.error_fields(),
        vec![("buyer_id".to_string(), "not_found".to_string())]
    );
    ok(&scene
        .app
        .post(
            &format!("{case}/agreement"),
            Some(&banker.token),
            &agreement,
        )
        .await);

    // 1,200,000 yuan covers the principal and every instalment of interest: the surplus goes
    // to the pledgor and the loan is repaid, without a fund.
    let settled = scene
        .app
        .post(
            &format!("{case}/settlement"),
            Some(&banker.token),
            &json!({}),
        )
        .await;
    created(&settled);
    let waterfall = &settled.body["settlement"]["waterfall"];
    let interest = 12 * MONTHLY_INTEREST;
    assert_eq!(waterfall["interest_fen"], interest);
    assert_eq!(waterfall["principal_fen"], PRINCIPAL);
    assert_eq!(waterfall["fund_recovery_fen"], 0);
    assert_eq!(waterfall["surplus_fen"], 120_000_000 - PRINCIPAL - interest);
    assert_eq!(settled.body["settlement"]["loan_status"], "repaid");
    assert_eq!(settled.body["settlement"]["written_off_fen"], 0);
    let loan = get(&scene, &format!("/api/v1/loans/{loan_id}"), banker).await;
    assert_eq!(loan.body["loan"]["status"], "repaid");
}

#[tokio::test]
async fn only_the_lender_conducts_a_disposal_and_other_lenders_learn_nothing() {
    let scene = Scene::new().await;
    let (loan_id, _) = defaulted_loan(&scene, 83, "JK-D-003", 5).await;
    let other_lender = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(other_lender)).await;
    let open = format!("/api/v1/loans/{loan_id}/disposals");
    let body = json!({"method": "negotiated_transfer"});
    assert_eq!(
        scene
            .app
            .post(&open, Some(&rival.token), &body)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        scene
            .app
            .post(&open, Some(&scene.owner.token), &body)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scene.app.post(&open, None, &body).await.status,
        StatusCode::UNAUTHORIZED
    );
    let opened = scene
        .app
        .post(&open, Some(&scene.banker.token), &body)
        .await;
    created(&opened);
    let case = format!("/api/v1/disposals/{}", opened.body["id"]);
    // Not an auction: nothing for strangers to see, nor to bid on.
    assert_eq!(
        get(&scene, &case, &rival).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bid(&scene, &case, &rival, 1).await.status,
        StatusCode::NOT_FOUND
    );
    let listed = get(&scene, "/api/v1/disposals", &rival).await;
    assert_eq!(listed.body, json!([]));
    let mine = get(&scene, "/api/v1/disposals", &scene.banker).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1);
    let borrower = get(
        &scene,
        &format!("/api/v1/disposals?loan_id={loan_id}"),
        &scene.owner,
    )
    .await;
    assert_eq!(borrower.body.as_array().unwrap().len(), 1);
    // Unknown fields and bad amounts are a clear 400.
    let bad = scene
        .app
        .post(
            &format!("{case}/agreement"),
            Some(&scene.banker.token),
            &json!({"buyer": 1}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{:?}", bad.body);
}

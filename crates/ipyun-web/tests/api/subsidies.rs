//! Subsidies over the API (issue 7, L4: 贴息 / 费用补贴): an interest programme from its budget
//! through two applications paid by a maker and a different checker — the cap and then the
//! budget left cutting the subsidy, every balance and the days to payout checked on the way;
//! fee subsidies whose approvals use up the budget; refusals that name their grounds; who may
//! see and do what; bad input answered with the field, never a 500.

use super::loans::{created, get, interest_only, office, ok, pledge};
use super::pledges::Scene;
use chrono::Duration;
use ipyun_test_support::{Answer, StatusCode, TestUser};
use serde_json::{Value, json};

/// A loan of the scene's enterprise: 1,000,000 yuan, 362,500 fen of interest a month.
async fn loan(scene: &Scene, serial: u32, contract_no: &str) -> i64 {
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
    answer.body["loan"]["id"].as_i64().unwrap()
}

async fn post(scene: &Scene, path: &str, user: &TestUser, body: Value) -> Answer {
    scene.app.post(path, Some(&user.token), &body).await
}

/// A programme for Suzhou created by `user`; its id.
async fn programme(scene: &Scene, user: &TestUser, body: Value) -> i64 {
    let answer = post(scene, "/api/v1/subsidy-programmes", user, body).await;
    created(&answer);
    answer.body["id"].as_i64().unwrap()
}

fn interest_programme() -> Value {
    json!({"name": "苏州市知识产权质押贷款贴息", "kind": "interest", "region": "320500", "rate_bp": 5_000,
           "cap_per_application_fen": 150_000, "annual_budget_fen": 1_000_000,
           "opens_on": "2026-11-01", "closes_on": "2027-06-30"})
}

fn fee_programme() -> Value {
    json!({"name": "苏州市知识产权质押评估费补贴", "kind": "valuation_fee", "region": "320500", "rate_bp": 3_000,
           "cap_per_application_fen": 50_000, "annual_budget_fen": 500_000,
           "opens_on": "2026-11-01", "closes_on": "2027-06-30"})
}

/// The balance of `kind` account `id` in a programme's view.
fn balance(view: &Value, kind: &str, id: i64) -> i64 {
    view["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["account"]["kind"] == kind && row["account"]["id"] == id)
        .map_or(0, |row| row["balance_fen"].as_i64().unwrap())
}

/// The whole ledger sums to zero, every entry balances, only budget lines are below zero, and
/// the programme's money is its balance.
fn ledger_holds(view: &Value) {
    assert_eq!(view["ledger_total_fen"], 0, "{view:?}");
    for entry in view["journal"].as_array().unwrap() {
        let lines = entry["lines"].as_array().unwrap();
        let sum: i64 = lines
            .iter()
            .map(|line| line["amount_fen"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, 0, "{entry:?}");
    }
    for row in view["accounts"].as_array().unwrap() {
        if row["account"]["kind"] != "subsidy_budget" {
            assert!(row["balance_fen"].as_i64().unwrap() >= 0, "{row:?}");
        }
    }
    let id = view["id"].as_i64().unwrap();
    assert_eq!(balance(view, "subsidy", id), view["budget"]["balance_fen"]);
    assert!(view["budget"]["left_fen"].as_i64().unwrap() >= 0);
}

/// `(appropriated, paid, committed, balance, left)` of a programme's budget.
fn budget(view: &Value) -> (i64, i64, i64, i64, i64) {
    let budget = &view["budget"];
    let field = |name: &str| budget[name].as_i64().unwrap();
    (
        field("appropriated_fen"),
        field("paid_fen"),
        field("committed_fen"),
        field("balance_fen"),
        field("left_fen"),
    )
}

async fn repay_interest(scene: &Scene, loan_id: i64) {
    let repaid = post(
        scene,
        &format!("/api/v1/loans/{loan_id}/repayments"),
        &scene.banker,
        json!({"amount_fen": 362_500}),
    )
    .await;
    created(&repaid);
    assert_eq!(repaid.body["interest_fen"], 362_500);
}

fn status(answer: &Answer) -> (StatusCode, &str) {
    (answer.status, answer.error_code())
}

#[tokio::test]
async fn interest_subsidies_run_from_budget_to_payout_cut_by_the_cap_then_the_budget() {
    let scene = Scene::new().await;
    let loan_id = loan(&scene, 91, "JK-S-001").await;
    let office = office(&scene).await;
    let (maker, checker, owner) = (&office.maker, &office.checker, &scene.owner);
    let id = programme(&scene, maker, interest_programme()).await;
    let path = format!("/api/v1/subsidy-programmes/{id}");

    // The budget: 2,000 yuan appropriated in 2026; the rest of the year's 10,000 is all that may
    // follow this year.
    let funded = post(
        &scene,
        &format!("{path}/appropriations"),
        maker,
        json!({"amount_fen": 200_000}),
    )
    .await;
    created(&funded);
    assert_eq!(budget(&funded.body), (200_000, 0, 0, 200_000, 200_000));
    assert_eq!(balance(&funded.body, "subsidy_budget", id), -200_000);
    ledger_holds(&funded.body);
    let over = post(
        &scene,
        &format!("{path}/appropriations"),
        maker,
        json!({"amount_fen": 800_001}),
    )
    .await;
    assert_eq!(
        status(&over),
        (StatusCode::CONFLICT, "subsidy.above_annual_budget")
    );

    // December's interest, paid on its due date, covered half: 181,250 fen, cut by the cap.
    scene.app.clock.advance(Duration::days(30));
    repay_interest(&scene, loan_id).await;
    scene.app.clock.advance(Duration::days(13));
    let application = post(&scene, "/api/v1/subsidy-applications", owner,
        json!({"programme_id": id, "loan_id": loan_id, "period_start": "2026-12-01", "period_end": "2026-12-31"})).await;
    created(&application);
    let first = format!("/api/v1/subsidy-applications/{}", application.body["id"]);
    let body = &application.body;
    assert_eq!(
        (body["status"].as_str(), body["applied_on"].as_str()),
        (Some("submitted"), Some("2027-01-05"))
    );
    assert_eq!(
        (body["cost_fen"].as_i64(), body["share_fen"].as_i64()),
        (Some(362_500), Some(181_250))
    );
    assert_eq!(
        (body["amount_fen"].as_i64(), body["limited_by"].as_str()),
        (Some(150_000), Some("cap"))
    );

    // Approved by the office: committed against the budget.
    let approved = post(
        &scene,
        &format!("{first}/decision"),
        checker,
        json!({"decision": "approve"}),
    )
    .await;
    ok(&approved);
    assert_eq!(approved.body["status"], "approved");
    let view = get(&scene, &path, maker).await;
    assert_eq!(budget(&view.body), (200_000, 0, 150_000, 200_000, 50_000));
    let again = post(
        &scene,
        &format!("{first}/decision"),
        checker,
        json!({"decision": "approve"}),
    )
    .await;
    assert_eq!(
        status(&again),
        (StatusCode::CONFLICT, "subsidy.not_submitted")
    );

    // The payout: drafted by the maker, who cannot approve it; the enterprise may not either.
    let payout = post(&scene, &format!("{first}/payout"), maker, json!({})).await;
    created(&payout);
    assert_eq!(
        (
            payout.body["status"].as_str(),
            payout.body["amount_fen"].as_i64()
        ),
        (Some("pending"), Some(150_000))
    );
    let approve = format!("/api/v1/subsidy-payouts/{}/approve", payout.body["id"]);
    let by_maker = post(&scene, &approve, maker, json!({})).await;
    assert_eq!(
        status(&by_maker),
        (StatusCode::CONFLICT, "subsidy.maker_is_checker")
    );
    assert_eq!(
        post(&scene, &approve, owner, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&scene, &approve, &scene.banker, json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let unchanged = get(&scene, &path, maker).await;
    assert_eq!(
        budget(&unchanged.body),
        (200_000, 0, 150_000, 200_000, 50_000)
    );
    assert_eq!(unchanged.body["journal"].as_array().unwrap().len(), 1);

    // Three days later the checker pays: the enterprise receives 150,000 fen.
    scene.app.clock.advance(Duration::days(3));
    let paid = post(&scene, &approve, checker, json!({})).await;
    ok(&paid);
    assert_eq!(
        (
            paid.body["status"].as_str(),
            paid.body["approved_on"].as_str()
        ),
        (Some("approved"), Some("2027-01-08"))
    );
    let twice = post(&scene, &approve, checker, json!({})).await;
    assert_eq!(
        status(&twice),
        (StatusCode::CONFLICT, "subsidy.payout_not_pending")
    );
    let seen = get(&scene, &first, owner).await;
    ok(&seen);
    assert_eq!(
        (seen.body["status"].as_str(), seen.body["paid_fen"].as_i64()),
        (Some("paid"), Some(150_000))
    );
    assert_eq!(
        (
            seen.body["paid_on"].as_str(),
            seen.body["days_to_payout"].as_i64()
        ),
        (Some("2027-01-08"), Some(3))
    );
    let view = get(&scene, &path, maker).await;
    assert_eq!(budget(&view.body), (200_000, 150_000, 0, 50_000, 50_000));
    assert_eq!(
        balance(&view.body, "enterprise", scene.enterprise_id),
        150_000
    );
    ledger_holds(&view.body);

    // January's interest: 181,250 due, 50,000 left — the budget cuts it. An overlapping period
    // is refused; a period without interest paid is recorded as refused with its ground.
    scene.app.clock.advance(Duration::days(15));
    repay_interest(&scene, loan_id).await;
    scene.app.clock.advance(Duration::days(10));
    let january = json!({"programme_id": id, "loan_id": loan_id, "period_start": "2027-01-01", "period_end": "2027-01-31"});
    let second = post(&scene, "/api/v1/subsidy-applications", owner, january).await;
    created(&second);
    assert_eq!(
        (
            second.body["amount_fen"].as_i64(),
            second.body["limited_by"].as_str()
        ),
        (Some(50_000), Some("budget"))
    );
    let overlap = post(&scene, "/api/v1/subsidy-applications", owner,
        json!({"programme_id": id, "loan_id": loan_id, "period_start": "2027-01-15", "period_end": "2027-02-01"})).await;
    assert_eq!(
        status(&overlap),
        (StatusCode::CONFLICT, "subsidy.already_applied")
    );
    let second_path = format!("/api/v1/subsidy-applications/{}", second.body["id"]);
    ok(&post(
        &scene,
        &format!("{second_path}/decision"),
        maker,
        json!({"decision": "approve"}),
    )
    .await);
    let nothing = post(&scene, "/api/v1/subsidy-applications", owner,
        json!({"programme_id": id, "loan_id": loan_id, "period_start": "2026-11-24", "period_end": "2026-11-30"})).await;
    created(&nothing);
    assert_eq!(
        (
            nothing.body["status"].as_str(),
            nothing.body["amount_fen"].as_i64()
        ),
        (Some("refused"), Some(0))
    );
    let refusal = nothing.body["refusal"].as_str().unwrap();
    assert!(
        refusal.starts_with("nothing_covered: ") && refusal.contains("; budget_exhausted: "),
        "{refusal}"
    );

    // Drafted by the other user this time; paid ten days after the application.
    scene.app.clock.advance(Duration::days(10));
    let payout = post(&scene, &format!("{second_path}/payout"), checker, json!({})).await;
    created(&payout);
    let approve = format!("/api/v1/subsidy-payouts/{}/approve", payout.body["id"]);
    ok(&post(&scene, &approve, maker, json!({})).await);

    // The report: everything appropriated is paid, nothing is left; 3 and 10 days to payout.
    let report = get(&scene, &path, maker).await;
    ok(&report);
    assert_eq!(budget(&report.body), (200_000, 200_000, 0, 0, 0));
    assert_eq!(balance(&report.body, "subsidy_budget", id), -200_000);
    assert_eq!(balance(&report.body, "subsidy", id), 0);
    assert_eq!(
        balance(&report.body, "enterprise", scene.enterprise_id),
        200_000
    );
    ledger_holds(&report.body);
    let kinds: Vec<&str> = report.body["journal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["subsidy_appropriation", "subsidy_payout", "subsidy_payout"]
    );
    let counts = &report.body["applications"];
    assert_eq!(
        (
            counts["paid"].as_i64(),
            counts["refused"].as_i64(),
            counts["total"].as_i64()
        ),
        (Some(2), Some(1), Some(3))
    );
    let times = &report.body["days_to_payout"];
    assert_eq!(
        (
            times["paid"].as_i64(),
            times["average_days"].as_str(),
            times["max_days"].as_i64()
        ),
        (Some(2), Some("6.5"), Some(10))
    );
    // The enterprise sees the report but not the books.
    let public = get(&scene, &path, owner).await;
    ok(&public);
    assert_eq!(budget(&public.body), (200_000, 200_000, 0, 0, 0));
    assert_eq!(
        (
            public.body["journal"].as_array().unwrap().len(),
            public.body["accounts"].as_array().unwrap().len()
        ),
        (0, 0)
    );
}

#[tokio::test]
async fn fee_subsidies_use_up_the_budget_and_refusals_name_their_grounds() {
    let scene = Scene::new().await;
    let loans = [
        loan(&scene, 92, "JK-F-001").await,
        loan(&scene, 93, "JK-F-002").await,
        loan(&scene, 94, "JK-F-003").await,
    ];
    let office = office(&scene).await;
    let (maker, checker, owner) = (&office.maker, &office.checker, &scene.owner);
    let id = programme(&scene, maker, fee_programme()).await;
    ok(&get(&scene, &format!("/api/v1/subsidy-programmes/{id}"), owner).await);
    created(
        &post(
            &scene,
            &format!("/api/v1/subsidy-programmes/{id}/appropriations"),
            maker,
            json!({"amount_fen": 20_000}),
        )
        .await,
    );

    // 45,005 × 30 % = 13,501.5 → 13,502; 30,000 → 9,000; 100,000 → 30,000: all within the
    // 20,000 left when filed.
    let mut paths = Vec::new();
    for (loan_id, fee, share) in [
        (loans[0], 45_005, 13_502),
        (loans[1], 30_000, 9_000),
        (loans[2], 100_000, 30_000),
    ] {
        let answer = post(&scene, "/api/v1/subsidy-applications", owner,
            json!({"programme_id": id, "loan_id": loan_id, "fee_fen": fee, "evidence": format!("评估费发票 {loan_id}")})).await;
        created(&answer);
        assert_eq!(
            (
                answer.body["status"].as_str(),
                answer.body["share_fen"].as_i64()
            ),
            (Some("submitted"), Some(share))
        );
        assert_eq!(answer.body["kind"], "valuation_fee");
        paths.push(format!(
            "/api/v1/subsidy-applications/{}",
            answer.body["id"]
        ));
    }
    assert_eq!(
        post(
            &scene,
            "/api/v1/subsidy-applications",
            owner,
            json!({"programme_id": id, "loan_id": loans[0], "fee_fen": 1_000, "evidence": "again"})
        )
        .await
        .error_code(),
        "subsidy.already_applied"
    );
    // The third application shows the budget cutting it (20,000 left when filed).
    let third = get(&scene, &paths[2], owner).await;
    assert_eq!(
        (
            third.body["amount_fen"].as_i64(),
            third.body["limited_by"].as_str()
        ),
        (Some(20_000), Some("budget"))
    );

    // Approvals commit: 13,502, then 9,000 cut to the 6,498 left, then nothing is left.
    let decide = |path: &String| format!("{path}/decision");
    ok(&post(
        &scene,
        &decide(&paths[0]),
        checker,
        json!({"decision": "approve"}),
    )
    .await);
    let cut = post(
        &scene,
        &decide(&paths[1]),
        checker,
        json!({"decision": "approve"}),
    )
    .await;
    ok(&cut);
    assert_eq!(
        (
            cut.body["amount_fen"].as_i64(),
            cut.body["limited_by"].as_str()
        ),
        (Some(6_498), Some("budget"))
    );
    let exhausted = post(
        &scene,
        &decide(&paths[2]),
        checker,
        json!({"decision": "approve"}),
    )
    .await;
    assert_eq!(
        status(&exhausted),
        (StatusCode::CONFLICT, "subsidy.budget_exhausted")
    );
    let unstated = post(
        &scene,
        &decide(&paths[2]),
        checker,
        json!({"decision": "refuse", "reason": "  "}),
    )
    .await;
    assert_eq!(
        unstated.error_fields(),
        vec![("reason".to_string(), "required".to_string())]
    );
    let refused = post(
        &scene,
        &decide(&paths[2]),
        checker,
        json!({"decision": "refuse", "reason": "年度预算已用完"}),
    )
    .await;
    ok(&refused);
    assert_eq!(
        (
            refused.body["status"].as_str(),
            refused.body["refusal"].as_str()
        ),
        (Some("refused"), Some("refused_by_office: 年度预算已用完"))
    );
    let view = get(&scene, &format!("/api/v1/subsidy-programmes/{id}"), maker).await;
    assert_eq!(budget(&view.body), (20_000, 0, 20_000, 20_000, 0));
    let counts = &view.body["applications"];
    assert_eq!(
        (counts["approved"].as_i64(), counts["refused"].as_i64()),
        (Some(2), Some(1))
    );

    // Both paid by maker and checker: the programme is empty, never below zero.
    for path in &paths[..2] {
        let payout = post(&scene, &format!("{path}/payout"), maker, json!({})).await;
        created(&payout);
        ok(&post(
            &scene,
            &format!("/api/v1/subsidy-payouts/{}/approve", payout.body["id"]),
            checker,
            json!({}),
        )
        .await);
    }
    let view = get(&scene, &format!("/api/v1/subsidy-programmes/{id}"), maker).await;
    assert_eq!(budget(&view.body), (20_000, 20_000, 0, 0, 0));
    assert_eq!(
        balance(&view.body, "enterprise", scene.enterprise_id),
        20_000
    );
    ledger_holds(&view.body);
    assert_eq!(
        (
            view.body["days_to_payout"]["average_days"].as_str(),
            view.body["days_to_payout"]["max_days"].as_i64()
        ),
        (Some("0.0"), Some(0))
    );

    // Nanjing's programme of the first half of 2026: outside its region and its window, and
    // nothing appropriated — every ground is named.
    let nanjing = programme(
        &scene,
        maker,
        json!({"name": "南京市保险费补贴", "kind": "insurance_fee", "region": "320100",
        "rate_bp": 5_000, "cap_per_application_fen": 10_000, "annual_budget_fen": 100_000,
        "opens_on": "2026-01-01", "closes_on": "2026-06-30"}),
    )
    .await;
    let outside = post(&scene, "/api/v1/subsidy-applications", owner,
        json!({"programme_id": nanjing, "loan_id": loans[0], "fee_fen": 8_000, "evidence": "保单 PICC-1"})).await;
    created(&outside);
    assert_eq!(outside.body["status"], "refused");
    let grounds: Vec<&str> = outside.body["refusal"]
        .as_str()
        .unwrap()
        .split("; ")
        .map(|ground| ground.split(':').next().unwrap())
        .collect();
    assert_eq!(
        grounds,
        ["outside_region", "outside_window", "budget_exhausted"]
    );
}

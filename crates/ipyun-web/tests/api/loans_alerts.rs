//! Collateral surveillance and the daily job's notices (issue 7): a pledged right's change of
//! legal status alerts the lender's users once, is cleared when the register recovers, and a
//! loan newly overdue or downgraded is notified; nobody else hears of it.

use super::loans::{created, get, interest_only, loan_day, ok, pledge};
use super::pledges::Scene;
use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

fn notices(answer: &Value, kind: &str) -> Vec<String> {
    answer
        .as_array()
        .unwrap_or_else(|| panic!("{answer:?}"))
        .iter()
        .filter(|notice| notice["kind"] == kind)
        .map(|notice| notice["body"]["message"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_pledged_rights_change_of_status_alerts_its_lender_once_until_it_clears() {
    let scene = Scene::new().await;
    let banker = &scene.banker;
    let colleague = scene
        .app
        .user("banker-2", "lender", Some(scene.lender_id))
        .await;
    let registration_no = pledge(&scene, 85).await;
    let answer = scene
        .app
        .post(
            "/api/v1/loans",
            Some(&banker.token),
            &interest_only(&[&registration_no], "JK-A-001"),
        )
        .await;
    created(&answer);
    let pledge_view = get(
        &scene,
        &format!("/api/v1/pledges/{registration_no}"),
        banker,
    )
    .await;
    let right_no = pledge_view.body["rights"][0]["number"]
        .as_str()
        .unwrap()
        .to_string();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();

    // A clean right and a loan paid up: nothing to say.
    let quiet = loan_day(&scene, today).await;
    assert_eq!(
        quiet.body["collateral_alerts_raised"], 0,
        "{:?}",
        quiet.body
    );
    assert_eq!(quiet.body["notices"], 0);

    // An invalidation request is recorded against the right: both users of the lender hear.
    let event = scene
        .app
        .post(
            &format!("/api/v1/rights/{right_no}/status-events"),
            Some(&scene.admin.token),
            &json!({"legal_status": "invalidation_pending", "effective_date": "2026-11-23", "note": "无效宣告请求"}),
        )
        .await;
    created(&event);
    let raised = loan_day(&scene, today).await;
    assert_eq!(
        raised.body["collateral_alerts_raised"], 1,
        "{:?}",
        raised.body
    );
    assert_eq!(raised.body["notices"], 2);
    for user in [banker, &colleague] {
        let mine = get(&scene, "/api/v1/me/notices", user).await;
        ok(&mine);
        let alerts = notices(&mine.body, "collateral.alert");
        assert_eq!(alerts.len(), 1, "{:?}", mine.body);
        assert!(
            alerts[0].contains(&right_no) && alerts[0].contains("无效宣告"),
            "{}",
            alerts[0]
        );
    }
    // The borrower is not the pledgee: no alert for it.
    let owner = get(&scene, "/api/v1/me/notices", &scene.owner).await;
    assert!(notices(&owner.body, "collateral.alert").is_empty());

    // The next day the same risk is not raised again; once the register recovers it clears.
    let again = loan_day(&scene, today + Duration::days(1)).await;
    assert_eq!(again.body["collateral_alerts_raised"], 0);
    scene.app.clock.advance(Duration::days(2));
    created(
        &scene
            .app
            .post(
                &format!("/api/v1/rights/{right_no}/status-events"),
                Some(&scene.admin.token),
                &json!({"legal_status": "in_force", "effective_date": "2026-11-25", "note": "无效宣告请求被驳回"}),
            )
            .await,
    );
    let cleared = loan_day(&scene, today + Duration::days(2)).await;
    assert_eq!(cleared.body["collateral_alerts_cleared"], 1);
    assert_eq!(cleared.body["collateral_alerts_raised"], 0);

    // An unpaid instalment: the loan is notified when it first falls overdue.
    let overdue = loan_day(&scene, NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()).await;
    assert_eq!(overdue.body["overdue"], 1);
    let mine = get(&scene, "/api/v1/me/notices", banker).await;
    let downgraded = notices(&mine.body, "loan.downgraded");
    assert_eq!(downgraded.len(), 1, "{:?}", mine.body);
    assert!(
        downgraded[0].contains("JK-A-001") && downgraded[0].contains("关注"),
        "{}",
        downgraded[0]
    );
}

//! The decision-time report (P3's service level) over HTTP with a fixed clock: automatic and
//! examiner decisions, a cure that stops the clock, a late decision, an application left overdue;
//! the JSON API and the page; who may see which rows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests_pledge_support::{Scene, Session};
use ipyun_test_support::{StatusCode, TestUser, test_application_no};
use serde_json::{Value, json};

const RANGE: &str = "from=2026-11-01&to=2026-11-30";

async fn decide(scene: &Scene, id: i64, body: Value) {
    let path = format!("/api/v1/pledge-applications/{id}/decision");
    let answer = scene
        .app
        .post(&path, Some(&scene.examiner.token), &body)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
}

fn row<'a>(rows: &'a Value, kind: &str, name: Option<&str>) -> &'a Value {
    rows.as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|row| row["kind"] == kind && name.is_none_or(|name| row["name"] == name))
        })
        .unwrap_or(&Value::Null)
}

struct Setting {
    scene: Scene,
    other_banker: TestUser,
}

/// Five applications received on Monday 2026-11-23 at 10:00 in China (the test clock's start):
/// two registered on confirmation (one per lender); one registered by the examiner two days
/// late; one refused after a cure that took two days (90 minutes of examination); one left in
/// review past its due date.
async fn setting() -> Setting {
    let scene = Scene::new().await;
    let other_bank = scene.app.organisation("lender", "第二测试银行").await;
    let other_banker = scene.app.user("banker2", "lender", Some(other_bank)).await;
    let (clean, clean_two) = (scene.right(21).await, scene.right(22).await);
    let auto = scene
        .confirmed(&scene.body(&[&clean]), &scene.banker, &scene.owner)
        .await;
    assert_eq!(auto["status"], "registered");
    let mut other_body = scene.body(&[&clean_two]);
    other_body["pledgor_id"] = json!(scene.enterprise_id);
    let other = scene
        .confirmed(&other_body, &other_banker, &scene.owner)
        .await;
    assert_eq!(other["status"], "registered");
    let mut review = Vec::new();
    for serial in [31, 32, 33] {
        let body = scene.body(&[&test_application_no(serial)]);
        let confirmed = scene.confirmed(&body, &scene.banker, &scene.owner).await;
        assert_eq!(confirmed["status"], "in_review");
        review.push(confirmed["id"].as_i64().unwrap());
    }
    let (late, cured, _overdue) = (review[0], review[1], review[2]);
    let minutes = |n| chrono::Duration::minutes(n);
    scene.app.clock.advance(minutes(30));
    decide(
        &scene,
        cured,
        json!({"decision": "request_cure", "note": "补充登记簿副本"}),
    )
    .await;
    scene
        .app
        .clock
        .advance(chrono::Duration::days(2) + minutes(60));
    let path = format!("/api/v1/pledge-applications/{cured}/cure");
    let body = scene.body(&[&test_application_no(32)]);
    let answer = scene.app.post(&path, Some(&scene.owner.token), &body).await;
    assert_eq!(answer.body["status"], "in_review", "{:?}", answer.body);
    decide(&scene, late, json!({"decision": "register"})).await;
    scene.app.clock.advance(minutes(60));
    let refusal = json!({"decision": "refuse", "grounds": ["pledge.examiner_ground"], "note": "登记簿无此专利"});
    decide(&scene, cured, refusal).await;
    Setting {
        scene,
        other_banker,
    }
}

#[tokio::test]
async fn decision_times_per_office_and_lender_exclude_the_cure_and_count_the_overdue() {
    let Setting {
        scene,
        other_banker,
    } = setting().await;
    let app = &scene.app;
    let report = app
        .get(
            &format!("/api/v1/pledge-sla?{RANGE}"),
            Some(&scene.examiner.token),
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
    let body = &report.body;
    assert_eq!(
        (body["from"].clone(), body["today"].clone()),
        (json!("2026-11-01"), json!("2026-11-25"))
    );
    let offices = &body["offices"];
    let automatic = row(offices, "automatic", None);
    assert_eq!(
        [
            &automatic["received"],
            &automatic["decided"],
            &automatic["on_time"],
            &automatic["median_minutes"],
            &automatic["p95_minutes"]
        ],
        [&json!(2), &json!(2), &json!(2), &json!(0.0), &json!(0)]
    );
    let office = row(offices, "office", Some("江苏省知识产权局"));
    assert_eq!(office["received"], 2);
    assert_eq!(office["decided"], 2);
    assert_eq!(
        office["on_time"], 1,
        "the one registered two days after receipt was late"
    );
    assert_eq!(office["on_time_share_bp"], 5_000);
    // Late: 2 days and 90 minutes = 2970; cured: 30 before the cure request + 60 after the cure.
    assert_eq!(office["median_minutes"], json!((2_970.0 + 90.0) / 2.0));
    assert_eq!(office["p95_minutes"], 2_970);
    let undecided = row(offices, "undecided", None);
    assert_eq!(
        (
            undecided["received"].clone(),
            undecided["open_overdue"].clone()
        ),
        (json!(1), json!(1))
    );
    let lenders = &body["lenders"];
    let first = row(lenders, "lender", Some("测试银行苏州分行"));
    assert_eq!(
        [&first["received"], &first["decided"], &first["on_time"]],
        [&json!(4), &json!(3), &json!(2)]
    );
    assert_eq!(
        (
            first["median_minutes"].clone(),
            first["p95_minutes"].clone()
        ),
        (json!(90.0), json!(2_970))
    );
    assert_eq!(first["open_overdue"], 1);
    let second = row(lenders, "lender", Some("第二测试银行"));
    assert_eq!(
        (
            second["received"].clone(),
            second["on_time_share_bp"].clone()
        ),
        (json!(1), json!(10_000))
    );

    // The range bounds the rows by China's date of receipt.
    let later = app
        .get(
            "/api/v1/pledge-sla?from=2026-11-24&to=2026-11-30",
            Some(&scene.admin.token),
        )
        .await;
    assert_eq!(later.body["offices"], json!([]));
    let reversed = app
        .get(
            "/api/v1/pledge-sla?from=2026-11-30&to=2026-11-01",
            Some(&scene.admin.token),
        )
        .await;
    assert_eq!(reversed.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reversed.error_fields(),
        [("from".to_string(), "after_to".to_string())]
    );
    let too_long = app
        .get(
            "/api/v1/pledge-sla?from=2025-01-01&to=2026-11-30",
            Some(&scene.admin.token),
        )
        .await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);

    // A lender sees its own row only; an enterprise, none.
    let own = app
        .get(
            &format!("/api/v1/pledge-sla?{RANGE}"),
            Some(&other_banker.token),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    let names: Vec<&str> = own.body["lenders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["第二测试银行"]);
    assert_eq!(own.body["offices"][0]["received"], 1);
    let denied = app
        .get(
            &format!("/api/v1/pledge-sla?{RANGE}"),
            Some(&scene.owner.token),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/pledge-sla", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_decision_times_page_shows_the_rows_each_viewer_may_see() {
    let Setting {
        scene,
        other_banker,
    } = setting().await;
    let examiner = Session::sign_in(&scene.app, &scene.examiner).await;
    let page = examiner.get(&format!("/pledge-sla?{RANGE}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "质押登记办理时效",
        "自动登记",
        "江苏省知识产权局",
        "测试银行苏州分行",
        "第二测试银行",
        "1530",
        "50.00%",
    ] {
        assert!(
            page.body.contains(text),
            "{text} missing from {}",
            page.body
        );
    }
    let english = examiner.get(&format!("/pledge-sla?{RANGE}&lang=en")).await;
    assert!(
        english.body.contains("Pledge registration decision times")
            && english.body.contains("Automatic")
    );
    let bank = Session::sign_in(&scene.app, &other_banker).await;
    let page = bank.get(&format!("/pledge-sla?{RANGE}")).await;
    assert!(page.body.contains("第二测试银行") && !page.body.contains("测试银行苏州分行"));
    assert_eq!(
        bank.get("/pledge-sla?from=bogus").await.status,
        StatusCode::BAD_REQUEST
    );
    let owner = Session::sign_in(&scene.app, &scene.owner).await;
    assert_eq!(owner.get("/pledge-sla").await.status, StatusCode::FORBIDDEN);
}

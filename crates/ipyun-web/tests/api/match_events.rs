//! Matchmaking events over the API (issue 6, F3): a park schedules an event, a lender and
//! enterprises sign up (duplicates, a full side and a passed deadline refused with their codes),
//! the organiser books a meeting, a double booking is refused, the lender records the outcome
//! (moving the demand discussed to `in_talks`), and the report counts it all. Access: only
//! parks and offices schedule, a party signs up only itself and sees only its own meetings,
//! only the organiser changes an event.

use super::loans::{created, get, ok};
use super::pledges::Scene;
use chrono::Duration;
use ipyun_test_support::{Answer, StatusCode, TestUser};
use serde_json::{Value, json};

const EVENTS: &str = "/api/v1/match-events";

/// An event on 10 December 2026 (09:00–17:00 in Beijing), sign-up until the 8th.
fn event(lenders: u32, enterprises: u32) -> Value {
    json!({"title": "苏州工业园区知识产权质押融资银企对接会", "description": "政策宣讲与一对一洽谈",
           "venue": "园区知识产权服务中心三楼", "starts_at": "2026-12-10T09:00:00+08:00",
           "ends_at": "2026-12-10T17:00:00+08:00", "signup_deadline": "2026-12-08T18:00:00+08:00",
           "lender_capacity": lenders, "enterprise_capacity": enterprises, "right_kinds": ["invention"]})
}

fn slot(lender: i64, enterprise: i64, from: &str, to: &str) -> Value {
    json!({"lender_id": lender, "enterprise_id": enterprise,
           "starts_at": format!("2026-12-10T{from}:00+08:00"), "ends_at": format!("2026-12-10T{to}:00+08:00")})
}

async fn post(scene: &Scene, path: &str, user: &TestUser, body: Value) -> Answer {
    scene.app.post(path, Some(&user.token), &body).await
}

fn refused(answer: &Answer, status: StatusCode, code: &str) {
    assert_eq!(
        (answer.status, answer.error_code()),
        (status, code),
        "{:?}",
        answer.body
    );
}

fn ids(answer: &Answer, key: &str) -> Vec<i64> {
    answer
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row[key].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_park_holds_an_event_from_sign_up_to_report() {
    let scene = Scene::new().await;
    let (banker, owner) = (&scene.banker, &scene.owner);
    let park = scene.app.organisation("park", "苏州工业园区管委会").await;
    let organiser = scene.app.user("park-officer", "park", Some(park)).await;
    let rival_party = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_party)).await;
    let (second, _) = scene.app.enterprise("苏州第二科技有限公司", 2, None).await;
    let second_user = scene.app.user("second", "enterprise", Some(second)).await;
    let (third, _) = scene.app.enterprise("苏州第三科技有限公司", 3, None).await;
    let third_user = scene.app.user("third", "enterprise", Some(third)).await;

    let scheduled = post(&scene, EVENTS, &organiser, event(1, 2)).await;
    created(&scheduled);
    assert_eq!(scheduled.body["status"], "scheduled");
    assert_eq!(scheduled.body["status_zh"], "报名中");
    assert_eq!(scheduled.body["terms"]["park_id"], park);
    assert_eq!(scheduled.body["terms"]["region"], "320000");
    let id = scheduled.body["id"].as_i64().unwrap();
    let path = format!("{EVENTS}/{id}");
    let signups = format!("{path}/signups");
    let meetings = format!("{path}/meetings");

    // The enterprise names a demand of its own to discuss.
    let demand = post(
        &scene,
        "/api/v1/demands",
        owner,
        json!({"amount_fen": 500_000_000, "months": 12, "purpose": "购置生产线"}),
    )
    .await;
    created(&demand);
    let demand_id = demand.body["id"].as_i64().unwrap();

    // Sign-ups: one per party, one lender place, two enterprise places.
    let lender_signup = post(&scene, &signups, banker, json!({})).await;
    created(&lender_signup);
    assert_eq!(lender_signup.body["side"], "lender");
    refused(
        &post(&scene, &signups, banker, json!({})).await,
        StatusCode::CONFLICT,
        "signup.duplicate",
    );
    refused(
        &post(&scene, &signups, &rival, json!({})).await,
        StatusCode::CONFLICT,
        "signup.full",
    );
    let enterprise_signup = post(&scene, &signups, owner, json!({"demand_id": demand_id})).await;
    created(&enterprise_signup);
    assert_eq!(enterprise_signup.body["demand_id"], demand_id);
    let not_theirs = post(
        &scene,
        &signups,
        &second_user,
        json!({"demand_id": demand_id}),
    )
    .await;
    assert_eq!(
        not_theirs.error_fields(),
        vec![("demand_id".to_string(), "not_yours".to_string())]
    );
    let second_signup = post(&scene, &signups, &second_user, json!({})).await;
    created(&second_signup);
    refused(
        &post(&scene, &signups, &third_user, json!({})).await,
        StatusCode::CONFLICT,
        "signup.full",
    );
    // A withdrawal before the deadline gives the place back.
    let withdraw = format!(
        "{signups}/{}/withdraw",
        second_signup.body["id"].as_i64().unwrap()
    );
    let withdrawn = post(&scene, &withdraw, &second_user, json!({})).await;
    ok(&withdrawn);
    assert_eq!(withdrawn.body["active"], false);
    refused(
        &post(&scene, &withdraw, &second_user, json!({})).await,
        StatusCode::CONFLICT,
        "signup.withdrawn",
    );
    let seen = get(&scene, &path, &third_user).await;
    assert_eq!(
        seen.body["signed_up"],
        json!({"lenders": 1, "enterprises": 1})
    );

    // The organiser edits: the capacity must still hold the parties signed up.
    let mut smaller = event(1, 2);
    smaller["capacity"] = json!(1);
    smaller["lender_capacity"] = json!(1);
    smaller["enterprise_capacity"] = json!(1);
    let below = scene
        .app
        .send_json(
            reqwest::Method::PUT,
            &path,
            Some(&organiser.token),
            &smaller,
        )
        .await;
    assert_eq!(
        below.error_fields(),
        vec![("capacity".to_string(), "below_signups".to_string())]
    );
    let mut retitled = event(1, 2);
    retitled["title"] = json!("2026年第四季度银企对接会");
    let revised = scene
        .app
        .send_json(
            reqwest::Method::PUT,
            &path,
            Some(&organiser.token),
            &retitled,
        )
        .await;
    ok(&revised);
    assert_eq!(revised.body["version"], 2);
    assert_eq!(revised.body["terms"]["title"], "2026年第四季度银企对接会");

    // Meetings: the organiser books one; a party cannot be in two places at once.
    let (lender, enterprise) = (scene.lender_id, scene.enterprise_id);
    let booked = post(
        &scene,
        &meetings,
        &organiser,
        slot(lender, enterprise, "10:00", "10:30"),
    )
    .await;
    created(&booked);
    assert_eq!(booked.body["status"], "scheduled");
    assert_eq!(booked.body["demand_id"], demand_id, "the sign-up's demand");
    let meeting_id = booked.body["id"].as_i64().unwrap();
    refused(
        &post(
            &scene,
            &meetings,
            owner,
            slot(lender, enterprise, "10:15", "10:45"),
        )
        .await,
        StatusCode::CONFLICT,
        "meeting.double_booked",
    );
    let outside = post(
        &scene,
        &meetings,
        owner,
        slot(lender, enterprise, "08:00", "08:30"),
    )
    .await;
    assert_eq!(
        outside.error_fields(),
        vec![("starts_at".to_string(), "outside_event".to_string())]
    );
    let withdrawn_party = post(
        &scene,
        &meetings,
        &organiser,
        slot(lender, second, "11:00", "11:30"),
    )
    .await;
    assert_eq!(
        withdrawn_party.error_fields(),
        vec![("enterprise_id".to_string(), "not_signed_up".to_string())]
    );
    let requested = post(
        &scene,
        &meetings,
        owner,
        slot(lender, enterprise, "10:30", "11:00"),
    )
    .await;
    created(&requested);
    assert_eq!(requested.body["status"], "requested");
    assert_eq!(requested.body["requested_by"], enterprise);

    // An outcome waits for the meeting to begin.
    let outcome = format!("{meetings}/{meeting_id}/outcome");
    let term_sheet = json!({"outcome": "term_sheet", "intended_amount_fen": 300_000_000,
                            "note": "拟授信三百万元", "advance_demand": true});
    refused(
        &post(&scene, &outcome, banker, term_sheet.clone()).await,
        StatusCode::CONFLICT,
        "meeting.not_started",
    );

    // Past the deadline: no sign-up, no withdrawal; the event reads as closed.
    scene
        .app
        .clock
        .advance(Duration::days(17) + Duration::minutes(30));
    refused(
        &post(&scene, &signups, &third_user, json!({})).await,
        StatusCode::CONFLICT,
        "signup.deadline_passed",
    );
    let late_withdrawal = format!(
        "{signups}/{}/withdraw",
        enterprise_signup.body["id"].as_i64().unwrap()
    );
    refused(
        &post(&scene, &late_withdrawal, owner, json!({})).await,
        StatusCode::CONFLICT,
        "signup.deadline_passed",
    );
    let closed = get(&scene, &path, owner).await;
    assert_eq!(
        (&closed.body["status"], &closed.body["signup_open"]),
        (&json!("closed"), &json!(false))
    );

    // The lender records the outcome; the demand discussed moves to in talks.
    refused(
        &post(&scene, &outcome, &rival, term_sheet.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let recorded = post(&scene, &outcome, banker, term_sheet).await;
    ok(&recorded);
    assert_eq!(recorded.body["meeting"]["status"], "held");
    assert_eq!(recorded.body["meeting"]["outcome_zh"], "达成融资意向");
    assert_eq!(recorded.body["demand_advanced"], true);
    let moved = get(&scene, &format!("/api/v1/demands/{demand_id}"), owner).await;
    assert_eq!(moved.body["stage"], "in_talks");
    assert_eq!(moved.body["lender_id"], lender);
    let no_amount = post(
        &scene,
        &outcome,
        owner,
        json!({"outcome": "no_interest", "intended_amount_fen": 1}),
    )
    .await;
    assert_eq!(
        no_amount.error_fields(),
        vec![(
            "intended_amount_fen".to_string(),
            "not_applicable".to_string()
        )]
    );

    let held = post(&scene, &format!("{path}/held"), &organiser, json!({})).await;
    ok(&held);
    assert_eq!(held.body["status"], "held");

    let report = get(&scene, &format!("{path}/report"), &organiser).await;
    ok(&report);
    let signups_of = |kind: &str| {
        report.body["signups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["party_kind"] == kind)
            .map(|row| {
                (
                    row["active"].as_i64().unwrap(),
                    row["withdrawn"].as_i64().unwrap(),
                )
            })
            .unwrap()
    };
    assert_eq!(signups_of("lender"), (1, 0));
    assert_eq!(signups_of("enterprise"), (1, 1));
    assert_eq!(report.body["meetings"], 2);
    assert_eq!(report.body["meetings_held"], 1);
    assert_eq!(report.body["intended_amount_fen"], 300_000_000);
    assert_eq!(report.body["demands_discussed"], 1);
    let term_sheets = report.body["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["outcome"] == "term_sheet")
        .unwrap();
    assert_eq!(
        (
            &term_sheets["meetings"],
            &term_sheets["intended_amount_fen"]
        ),
        (&json!(1), &json!(300_000_000))
    );
}

#[tokio::test]
async fn only_parks_and_offices_schedule_and_each_party_sees_its_own() {
    let scene = Scene::new().await;
    let (banker, owner) = (&scene.banker, &scene.owner);
    let office = scene
        .app
        .organisation("ip_office", "江苏省知识产权局")
        .await;
    let organiser = scene
        .app
        .user("js-office", "provincial_office", Some(office))
        .await;
    let park = scene.app.organisation("park", "苏州工业园区管委会").await;
    let park_user = scene.app.user("park-officer", "park", Some(park)).await;
    let rival_party = scene.app.organisation("insurer", "某财产保险公司").await;
    let rival = scene
        .app
        .user("insurer", "insurer", Some(rival_party))
        .await;
    let (other, _) = scene.app.enterprise("苏州另一科技有限公司", 2, None).await;
    let other_user = scene.app.user("other", "enterprise", Some(other)).await;

    refused(
        &post(&scene, EVENTS, owner, event(5, 5)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let mut elsewhere = event(5, 5);
    elsewhere["region"] = json!("110000");
    assert_eq!(
        post(&scene, EVENTS, &organiser, elsewhere)
            .await
            .error_fields(),
        vec![("region".to_string(), "outside_province".to_string())]
    );
    let mut provincial = event(5, 5);
    provincial["region"] = json!("320500");
    let scheduled = post(&scene, EVENTS, &organiser, provincial).await;
    created(&scheduled);
    let id = scheduled.body["id"].as_i64().unwrap();
    let path = format!("{EVENTS}/{id}");
    let signups = format!("{path}/signups");
    let meetings = format!("{path}/meetings");

    // A lender signs up itself only.
    refused(
        &post(&scene, &signups, banker, json!({"party_id": rival_party})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    refused(
        &post(&scene, &signups, &park_user, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    for user in [banker, &rival, owner, &other_user] {
        created(&post(&scene, &signups, user, json!({})).await);
    }
    let (lender, enterprise) = (scene.lender_id, scene.enterprise_id);
    created(
        &post(
            &scene,
            &meetings,
            &organiser,
            slot(lender, enterprise, "10:00", "10:30"),
        )
        .await,
    );
    created(
        &post(
            &scene,
            &meetings,
            &organiser,
            slot(rival_party, other, "10:00", "10:30"),
        )
        .await,
    );
    refused(
        &post(
            &scene,
            &meetings,
            &other_user,
            slot(lender, enterprise, "11:00", "11:30"),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );

    // The organiser sees every meeting and sign-up; each party its own; a park elsewhere none.
    assert_eq!(
        get(&scene, &meetings, &organiser)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        ids(&get(&scene, &meetings, owner).await, "enterprise_id"),
        [enterprise]
    );
    assert_eq!(
        ids(&get(&scene, &meetings, banker).await, "lender_id"),
        [lender]
    );
    assert_eq!(
        ids(&get(&scene, &meetings, &rival).await, "lender_id"),
        [rival_party]
    );
    assert_eq!(get(&scene, &meetings, &park_user).await.body, json!([]));
    assert_eq!(
        get(&scene, &signups, &organiser)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        ids(&get(&scene, &signups, owner).await, "party_id"),
        [enterprise]
    );
    assert_eq!(get(&scene, &signups, &park_user).await.body, json!([]));
    refused(
        &get(&scene, &format!("{path}/report"), owner).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    ok(&get(&scene, &format!("{path}/report"), &scene.admin).await);

    // Everyone signed in sees the events; no one else.
    assert_eq!(ids(&get(&scene, EVENTS, &other_user).await, "id"), [id]);
    assert_eq!(
        scene.app.get(EVENTS, None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Only the organiser closes sign-up or cancels; a cancellation needs its reason.
    refused(
        &post(
            &scene,
            &format!("{path}/cancel"),
            banker,
            json!({"reason": "x"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    refused(
        &post(
            &scene,
            &format!("{path}/cancel"),
            &park_user,
            json!({"reason": "x"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    refused(
        &post(&scene, &format!("{path}/close-signups"), owner, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let closed = post(
        &scene,
        &format!("{path}/close-signups"),
        &organiser,
        json!({}),
    )
    .await;
    ok(&closed);
    assert_eq!(closed.body["status"], "closed");
    let (late, _) = scene.app.enterprise("迟到科技有限公司", 3, None).await;
    let late_user = scene.app.user("late", "enterprise", Some(late)).await;
    refused(
        &post(&scene, &signups, &late_user, json!({})).await,
        StatusCode::CONFLICT,
        "signup.not_open",
    );
    refused(
        &post(&scene, &format!("{path}/held"), &organiser, json!({})).await,
        StatusCode::CONFLICT,
        "match_event.not_started",
    );
    let blank = post(
        &scene,
        &format!("{path}/cancel"),
        &organiser,
        json!({"reason": " "}),
    )
    .await;
    assert_eq!(
        blank.error_fields(),
        vec![("reason".to_string(), "required".to_string())]
    );
    let cancelled = post(
        &scene,
        &format!("{path}/cancel"),
        &organiser,
        json!({"reason": "场地临时无法使用"}),
    )
    .await;
    ok(&cancelled);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["cancelled_reason"], "场地临时无法使用");
    refused(
        &post(
            &scene,
            &meetings,
            &organiser,
            slot(lender, enterprise, "11:00", "11:30"),
        )
        .await,
        StatusCode::CONFLICT,
        "match_event.status",
    );
    refused(
        &post(&scene, &format!("{path}/held"), &organiser, json!({})).await,
        StatusCode::CONFLICT,
        "match_event.status",
    );
}

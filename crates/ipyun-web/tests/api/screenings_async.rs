//! Screening runs in the background (F4): a run over `ASYNC_THRESHOLD` enterprises answers 202
//! running, completes in the background with the same list as a run completed in one call; a
//! run left running by a stopped server is reported failed, `interrupted`, once its lease has
//! run out; until completed its export and reproduction answer 409; another lender never sees
//! it, in any state.

use super::loans::{created, get, ok};
use super::pledges::Scene;
use chrono::Duration;
use ipyun_app::screenings::runs::{RUN_LEASE, RunStart, ScreeningSeed, SeedEnterprise};
use ipyun_app::screenings::{ASYNC_THRESHOLD, RunInput};
use ipyun_domain::account::{Lang, Principal, Role};
use ipyun_domain::clock::Clock;
use ipyun_test_support::{StatusCode, TestUser};
use serde_json::{Value, json};

const AS_OF: &str = "2026-11-23";

fn rule_set() -> Value {
    json!({
        "name": "大批量白名单",
        "filters": {"excluded_size_classes": ["large"]},
        "weights": [{"factor": "size_class", "weight_bp": 6000},
                    {"factor": "designation", "weight_bp": 4000}],
        "amount": {"cap_fen": 100_000_000}
    })
}

async fn make_rule_set(scene: &Scene) -> i64 {
    let made = scene
        .app
        .post(
            "/api/v1/screening-rule-sets",
            Some(&scene.banker.token),
            &rule_set(),
        )
        .await;
    created(&made);
    made.body["rule_set"]["id"].as_i64().unwrap()
}

fn principal(user: &TestUser) -> Principal {
    Principal {
        user_id: 0,
        username: user.username.clone(),
        display_name: user.username.clone(),
        role: Role::Lender,
        party_id: user.party_id,
        region: None,
        lang: Lang::ZhCn,
    }
}

async fn rival(scene: &Scene) -> TestUser {
    let party = scene.app.organisation("lender", "另一家银行").await;
    scene.app.user("rival", "lender", Some(party)).await
}

/// Every path of run `id` answers 404 to `user`, and its list does not hold it.
async fn unseen(scene: &Scene, user: &TestUser, id: i64) {
    for path in [
        format!("/api/v1/screenings/{id}"),
        format!("/api/v1/screenings/{id}/export.xlsx"),
        format!("/api/v1/screenings/{id}/reproduction"),
    ] {
        let answer = get(scene, &path, user).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(get(scene, "/api/v1/screenings", user).await.body, json!([]));
}

/// Polls run `id` until it is no longer running (bounded: a minute at most).
async fn finished(scene: &Scene, id: i64) -> Value {
    for _ in 0..3_000 {
        let answer = get(scene, &format!("/api/v1/screenings/{id}"), &scene.banker).await;
        ok(&answer);
        if answer.body["run"]["status"] != "running" {
            return answer.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("screening run {id} still running");
}

async fn page(scene: &Scene, id: i64, page: u32) -> Value {
    let answer = get(
        scene,
        &format!("/api/v1/screenings/{id}?per_page=100&page={page}"),
        &scene.banker,
    )
    .await;
    ok(&answer);
    answer.body["results"].clone()
}

#[tokio::test]
async fn a_large_run_answers_202_and_completes_with_the_list_of_a_run_in_one_call() {
    let scene = Scene::new().await;
    let rule_set_id = make_rule_set(&scene).await;
    let count = usize::try_from(ASYNC_THRESHOLD).unwrap() + 1;
    let sizes = ["small", "micro", "medium", "large"];
    let seed = ScreeningSeed {
        enterprises: (0..count)
            .map(|index| SeedEnterprise {
                name: format!("批量企业{index:05}"),
                uscc: format!("91{:015}Y", 320_600_000_000_000_u64 + index as u64),
                region: "320505".into(),
                size_class: sizes[index % 4],
                specialised_sme_year: (index % 7 == 0).then_some(2022),
                little_giant_year: (index % 29 == 0).then_some(2023),
            })
            .collect(),
        ..ScreeningSeed::default()
    };
    scene
        .app
        .app
        .db()
        .insert_screening_seed(&seed, "test", scene.app.clock.now())
        .await
        .unwrap();

    let answer = scene
        .app
        .post(
            "/api/v1/screenings",
            Some(&scene.banker.token),
            &json!({"rule_set_id": rule_set_id, "as_of": AS_OF}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.body);
    let run = &answer.body["run"];
    assert_eq!(run["status"], "running");
    assert_eq!(answer.body["results"], json!([]));
    let total = run["progress"]["total"].as_i64().unwrap();
    assert!(total > ASYNC_THRESHOLD, "{total}");
    let id = run["id"].as_i64().unwrap();
    let rival = rival(&scene).await;
    unseen(&scene, &rival, id).await;

    let done = finished(&scene, id).await;
    assert_eq!(done["run"]["status"], "completed", "{}", done["run"]);
    assert_eq!(
        done["run"]["progress"],
        json!({"total": total, "screened": total, "stored": total})
    );
    assert_eq!(done["total"], total);

    // The same inputs run in one call give the same list, digests and words.
    let input = RunInput {
        rule_set_id,
        as_of: Some(AS_OF.parse().unwrap()),
    };
    let again = scene
        .app
        .app
        .run_screening_now(&principal(&scene.banker), &input)
        .await
        .unwrap();
    let again_id = again.run.id;
    assert_ne!(again_id, id);
    for field in [
        "inputs_digest",
        "results_digest",
        "screened",
        "passed",
        "pre_approved_fen",
    ] {
        assert_eq!(
            done["run"][field],
            serde_json::to_value(&again.run).unwrap()[field],
            "{field}"
        );
    }
    let last = u32::try_from(total.div_euclid(100) + 1).unwrap();
    for number in [1, 2, last] {
        let listed = page(&scene, id, number).await;
        assert!(!listed.as_array().unwrap().is_empty(), "page {number}");
        assert_eq!(
            listed,
            page(&scene, again_id, number).await,
            "page {number}"
        );
    }
    let reproduced = get(
        &scene,
        &format!("/api/v1/screenings/{id}/reproduction"),
        &scene.banker,
    )
    .await;
    ok(&reproduced);
    assert_eq!(reproduced.body["reproduced"], true);
    unseen(&scene, &rival, id).await;
}

#[tokio::test]
async fn a_run_left_running_by_a_stopped_server_is_reported_interrupted() {
    let scene = Scene::new().await;
    let rule_set_id = make_rule_set(&scene).await;
    // A run started by a server that stopped before screening anything: no task works on it.
    let id = scene
        .app
        .app
        .db()
        .begin_screening_run(
            &RunStart {
                owner_id: scene.lender_id,
                rule_set_id,
                rule_set_version: 1,
                model: ipyun_domain::market::SCREENING_MODEL,
                as_of: AS_OF.parse().unwrap(),
                total: 1,
                actor: &scene.banker.username,
            },
            scene.app.clock.now(),
        )
        .await
        .unwrap();
    let path = format!("/api/v1/screenings/{id}");
    let running = get(&scene, &path, &scene.banker).await;
    ok(&running);
    assert_eq!(running.body["run"]["status"], "running");
    assert_eq!(
        running.body["run"]["progress"],
        json!({"total": 1, "screened": 0, "stored": 0})
    );
    for refused in [
        format!("{path}/export.xlsx"),
        format!("{path}/reproduction"),
    ] {
        let answer = get(&scene, &refused, &scene.banker).await;
        assert_eq!(answer.status, StatusCode::CONFLICT, "{refused}");
        assert_eq!(answer.error_code(), "screening.running");
    }
    let rival = rival(&scene).await;
    unseen(&scene, &rival, id).await;

    // Within its lease it is still running; past it, failed as interrupted (in the list too).
    scene.app.clock.advance(RUN_LEASE - Duration::minutes(1));
    assert_eq!(
        get(&scene, &path, &scene.banker).await.body["run"]["status"],
        "running"
    );
    scene.app.clock.advance(Duration::minutes(2));
    let listed = get(&scene, "/api/v1/screenings", &scene.banker).await;
    assert_eq!(listed.body[0]["id"], id);
    assert_eq!(listed.body[0]["status"], "failed");
    assert_eq!(listed.body[0]["failure"], "interrupted");
    let failed = get(&scene, &path, &scene.banker).await;
    ok(&failed);
    assert_eq!(failed.body["run"]["status"], "failed");
    assert_eq!(failed.body["run"]["failure"], "interrupted");
    assert_eq!(failed.body["results"], json!([]));
    let export = get(&scene, &format!("{path}/export.xlsx"), &scene.banker).await;
    assert_eq!(export.status, StatusCode::CONFLICT);
    assert_eq!(export.error_code(), "screening.failed");
    unseen(&scene, &rival, id).await;

    // A small run still completes in the request.
    let small = scene
        .app
        .post(
            "/api/v1/screenings",
            Some(&scene.banker.token),
            &json!({"rule_set_id": rule_set_id, "as_of": AS_OF}),
        )
        .await;
    created(&small);
    assert_eq!(small.body["run"]["status"], "completed");
    unseen(&scene, &rival, small.body["run"]["id"].as_i64().unwrap()).await;
}

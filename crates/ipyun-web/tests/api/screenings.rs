//! Credit white-lists over the API (issue 6, F4): a lender's rule set screens every enterprise
//! from the register, loans, credit grades and integrity flags; the same run twice gives the
//! same list and digests, and the stored inputs reproduce it; an overdue loan, a flag or a lower
//! grade fails the filter the rule set names; the workbook lists the same ranking; another
//! lender learns nothing of the rule set or its runs.

use super::loans::{created, get, interest_only, ok};
use super::pledges::{Scene, application};
use chrono::Duration;
use ipyun_test_support::{Answer, StatusCode, TestUser, invention};
use serde_json::{Value, json};

const SMALL_CAP_FEN: i64 = 300_000_000;

fn rule_set() -> Value {
    json!({
        "name": "科创贷白名单",
        "filters": {"min_live_inventions": 1, "no_current_overdue": true,
                    "excluded_flags": ["dishonest_judgement_debtor"], "min_tax_grade": "B"},
        "weights": [{"factor": "invention_patents", "weight_bp": 5000},
                    {"factor": "tax_grade", "weight_bp": 3000},
                    {"factor": "integrity", "weight_bp": 2000}],
        "amount": {"cap_fen": 500_000_000, "size_caps": [{"size_class": "small", "cap_fen": SMALL_CAP_FEN}]}
    })
}

struct Bench {
    scene: Scene,
    second_id: i64,
    third_id: i64,
    rule_set_id: i64,
}

async fn record(scene: &Scene, path: &str, body: Value) -> Answer {
    let answer = scene.app.post(path, Some(&scene.admin.token), &body).await;
    ok(&answer);
    answer
}

async fn grade(scene: &Scene, enterprise: i64, grade: &str, as_of: &str) -> Answer {
    record(
        scene,
        "/api/v1/credit-grades",
        json!({"enterprise_id": enterprise, "source": "tax", "grade": grade, "as_of": as_of}),
    )
    .await
}

/// The scene's enterprise with two inventions and grade A; a second with one invention and
/// grade B; a third with none; the banker's rule set.
async fn bench() -> Bench {
    let scene = Scene::new().await;
    scene.right(61, |_| {}).await;
    scene.right(62, |_| {}).await;
    let (second_id, second_uscc) = scene.app.enterprise("无锡新材料有限公司", 2, None).await;
    let (third_id, _) = scene.app.enterprise("常州电子有限公司", 3, None).await;
    let right = invention(63, "无锡新材料有限公司", &second_uscc);
    created(
        &scene
            .app
            .post("/api/v1/rights", Some(&scene.admin.token), &right)
            .await,
    );
    grade(&scene, scene.enterprise_id, "A", "2026-06-30").await;
    grade(&scene, second_id, "B", "2026-06-30").await;
    let made = scene
        .app
        .post(
            "/api/v1/screening-rule-sets",
            Some(&scene.banker.token),
            &rule_set(),
        )
        .await;
    created(&made);
    assert_eq!(made.body["rule_set"]["version"], 1);
    let rule_set_id = made.body["rule_set"]["id"].as_i64().unwrap();
    Bench {
        scene,
        second_id,
        third_id,
        rule_set_id,
    }
}

async fn run(bench: &Bench, as_of: &str) -> Value {
    let answer = bench
        .scene
        .app
        .post(
            "/api/v1/screenings",
            Some(&bench.scene.banker.token),
            &json!({"rule_set_id": bench.rule_set_id, "as_of": as_of}),
        )
        .await;
    created(&answer);
    answer.body
}

/// The whole ranked list of a run, as served.
async fn list(scene: &Scene, user: &TestUser, run: &Value) -> Vec<Value> {
    let answer = get(
        scene,
        &format!("/api/v1/screenings/{}?per_page=100", run["run"]["id"]),
        user,
    )
    .await;
    ok(&answer);
    answer.body["results"].as_array().unwrap().clone()
}

fn result_of(results: &[Value], enterprise: i64) -> &Value {
    results
        .iter()
        .find(|result| result["enterprise_id"] == enterprise)
        .unwrap()
}

fn failed_filters(result: &Value) -> Vec<String> {
    result["explanation"]["filters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|filter| filter["passed"] == false)
        .map(|filter| filter["filter"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_same_run_twice_gives_the_same_list_and_digests() {
    let bench = bench().await;
    let scene = &bench.scene;
    let first = run(&bench, "2026-11-23").await;
    let second = run(&bench, "2026-11-23").await;
    assert_ne!(first["run"]["id"], second["run"]["id"]);
    for field in [
        "inputs_digest",
        "results_digest",
        "screened",
        "passed",
        "pre_approved_fen",
    ] {
        assert_eq!(first["run"][field], second["run"][field], "{field}");
    }
    assert_eq!(first["run"]["rule_set_version"], 1);
    assert_eq!(first["run"]["as_of"], "2026-11-23");
    assert_eq!(first["run"]["inputs_digest"].as_str().unwrap().len(), 64);
    let listed = list(scene, &scene.banker, &first).await;
    assert_eq!(listed, list(scene, &scene.banker, &second).await);
    assert_eq!(listed.len(), 3);

    // Two inventions and grade A rank above one invention and grade B; no invention fails.
    let ranked: Vec<i64> = listed
        .iter()
        .map(|result| result["enterprise_id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ranked,
        vec![scene.enterprise_id, bench.second_id, bench.third_id]
    );
    let top = &listed[0];
    // 5,000 × 5,000 (two inventions) + 3,000 × 10,000 (A) + 2,000 × 10,000 (no flag), ÷ 10,000.
    assert_eq!(top["score_bp"], 2_500 + 3_000 + 2_000);
    assert_eq!(top["passed"], true);
    assert_eq!(top["pre_approved_fen"], SMALL_CAP_FEN);
    let parts: i64 = top["explanation"]["factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|factor| factor["contribution_bp"].as_i64().unwrap())
        .sum();
    assert_eq!(parts, 7_500, "the explanation adds up to the score");
    assert_eq!(listed[1]["score_bp"], 1_500 + 2_400 + 2_000);
    let third = &listed[2];
    assert_eq!(third["passed"], false);
    assert_eq!(third["pre_approved_fen"], 0);
    assert_eq!(failed_filters(third), vec!["min_live_inventions"]);
    let words = third["explanation"]["filters"][0]["zh"].as_str().unwrap();
    assert!(
        words.contains("未通过") && words.contains("有效发明专利不少于1件：实有0件"),
        "{words}"
    );
    assert_eq!(first["run"]["passed"], 2);
    assert_eq!(first["run"]["pre_approved_fen"], 2 * SMALL_CAP_FEN);

    // The white-list alone, paged.
    let passed = get(
        scene,
        &format!(
            "/api/v1/screenings/{}?passed_only=true&per_page=1&page=2",
            first["run"]["id"]
        ),
        &scene.banker,
    )
    .await;
    ok(&passed);
    assert_eq!(passed.body["total"], 2);
    assert_eq!(passed.body["results"][0]["enterprise_id"], bench.second_id);

    // The stored inputs reproduce the run.
    let again = get(
        scene,
        &format!("/api/v1/screenings/{}/reproduction", first["run"]["id"]),
        &scene.banker,
    )
    .await;
    ok(&again);
    assert_eq!(again.body["reproduced"], true);
    assert_eq!(
        again.body["inputs_digest_again"],
        first["run"]["inputs_digest"]
    );
    assert_eq!(
        again.body["results_digest_again"],
        first["run"]["results_digest"]
    );
}

#[tokio::test]
async fn an_overdue_loan_a_flag_or_a_lower_grade_fails_its_filter() {
    let bench = bench().await;
    let scene = &bench.scene;
    let before = run(&bench, "2026-11-23").await;

    // A dishonest-debtor flag on the second enterprise.
    let flag = json!({"enterprise_id": bench.second_id, "kind": "dishonest_judgement_debtor",
                      "source": "court", "since": "2026-11-01"});
    assert_eq!(
        record(scene, "/api/v1/integrity-flags", flag.clone())
            .await
            .body["outcome"],
        "created"
    );
    assert_eq!(
        record(scene, "/api/v1/integrity-flags", flag).await.body["outcome"],
        "unchanged"
    );
    // A lower tax grade for the scene's enterprise, dated after its A.
    assert_eq!(
        grade(scene, scene.enterprise_id, "C", "2026-11-20")
            .await
            .body["outcome"],
        "created"
    );
    assert_eq!(
        grade(scene, scene.enterprise_id, "C", "2026-11-20")
            .await
            .body["outcome"],
        "unchanged"
    );
    let after = run(&bench, "2026-11-23").await;
    assert_ne!(
        after["run"]["inputs_digest"],
        before["run"]["inputs_digest"]
    );
    assert_eq!(after["run"]["passed"], 0);
    let listed = list(scene, &scene.banker, &after).await;
    let second = result_of(&listed, bench.second_id);
    assert_eq!(failed_filters(second), vec!["no_active_flags"]);
    assert!(
        second["explanation"]["filters"][2]["zh"]
            .as_str()
            .unwrap()
            .contains("失信被执行人")
    );
    assert_eq!(second["explanation"]["factors"][2]["value_bp"], 0);
    let first = result_of(&listed, scene.enterprise_id);
    assert_eq!(failed_filters(first), vec!["min_tax_grade"]);
    // Screened as of a date before the flag and the new grade, both pass again.
    let earlier = run(&bench, "2026-10-31").await;
    assert_eq!(earlier["run"]["passed"], 2);
    assert_ne!(
        earlier["run"]["inputs_digest"],
        before["run"]["inputs_digest"]
    );

    // Lift the flag, restore grade A; then an unpaid instalment makes a loan overdue.
    let lifted = json!({"enterprise_id": bench.second_id, "kind": "dishonest_judgement_debtor",
                        "source": "court", "since": "2026-11-01", "until": "2026-11-22"});
    assert_eq!(
        record(scene, "/api/v1/integrity-flags", lifted).await.body["outcome"],
        "updated"
    );
    grade(scene, scene.enterprise_id, "A", "2026-11-22").await;
    let number = scene.right(64, |_| {}).await;
    let registered = scene.register(&application(scene, &[&number])).await;
    let registration_no = registered.body["registration_no"].as_str().unwrap();
    created(
        &scene
            .app
            .post(
                "/api/v1/loans",
                Some(&scene.banker.token),
                &interest_only(&[registration_no], "JK-S-001"),
            )
            .await,
    );
    scene.app.clock.advance(Duration::days(37));
    let overdue = run(&bench, "2026-12-30").await;
    let listed = list(scene, &scene.banker, &overdue).await;
    let first = result_of(&listed, scene.enterprise_id);
    assert_eq!(failed_filters(first), vec!["no_current_overdue"]);
    assert!(
        first["explanation"]["filters"][1]["zh"]
            .as_str()
            .unwrap()
            .contains("已逾期7天")
    );
    let second = result_of(&listed, bench.second_id);
    assert_eq!(second["passed"], true);
    // The lifted flag is history: it weighs on the integrity factor, no longer on the filter.
    assert_eq!(second["explanation"]["factors"][2]["value_bp"], 6_000);
    assert_eq!(overdue["run"]["passed"], 1);
}

#[tokio::test]
async fn the_workbook_lists_the_same_ranking() {
    let bench = bench().await;
    let scene = &bench.scene;
    let done = run(&bench, "2026-11-23").await;
    let listed = list(scene, &scene.banker, &done).await;
    let response = scene
        .app
        .client
        .get(scene.app.url(&format!(
            "/api/v1/screenings/{}/export.xlsx",
            done["run"]["id"]
        )))
        .bearer_auth(&scene.banker.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap();
    let rows = ipyun_app::screening_export::read_screening_workbook(&bytes).unwrap();
    assert_eq!(
        rows.len(),
        listed.len() + 1,
        "a header and one row per enterprise"
    );
    assert!(rows[0][0].contains("排名"));
    for (row, result) in rows[1..].iter().zip(&listed) {
        assert_eq!(row[0], result["rank"].to_string());
        assert_eq!(row[1], result["enterprise_name"].as_str().unwrap());
        let fen = result["pre_approved_fen"].as_i64().unwrap();
        assert_eq!(row[6].parse::<f64>().unwrap() * 100.0, fen as f64);
        assert!(row[7].starts_with(result["explanation"]["summary_zh"].as_str().unwrap()));
    }
    assert_eq!(rows[1][2], scene.uscc);
}

#[tokio::test]
async fn a_lender_sees_and_edits_only_its_own_rule_sets_and_runs() {
    let bench = bench().await;
    let scene = &bench.scene;
    let done = run(&bench, "2026-11-23").await;
    let rival_party = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_party)).await;
    let rule_path = format!("/api/v1/screening-rule-sets/{}", bench.rule_set_id);
    let run_id = done["run"]["id"].as_i64().unwrap();
    for path in [
        rule_path.clone(),
        format!("/api/v1/screenings/{run_id}"),
        format!("/api/v1/screenings/{run_id}/export.xlsx"),
        format!("/api/v1/screenings/{run_id}/reproduction"),
    ] {
        assert_eq!(
            get(scene, &path, &rival).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let revise = scene
        .app
        .send_json(
            reqwest::Method::PUT,
            &rule_path,
            Some(&rival.token),
            &rule_set(),
        )
        .await;
    assert_eq!(revise.status, StatusCode::NOT_FOUND);
    let borrowed = scene
        .app
        .post(
            "/api/v1/screenings",
            Some(&rival.token),
            &json!({"rule_set_id": bench.rule_set_id}),
        )
        .await;
    assert_eq!(borrowed.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(scene, "/api/v1/screening-rule-sets", &rival).await.body,
        json!([])
    );
    assert_eq!(
        get(scene, "/api/v1/screenings", &rival).await.body,
        json!([])
    );
    assert_eq!(
        get(scene, "/api/v1/screenings", &scene.banker).await.body[0]["id"],
        run_id
    );

    // Enterprises do not screen; lenders do not record credit data.
    let by_owner = scene
        .app
        .post(
            "/api/v1/screening-rule-sets",
            Some(&scene.owner.token),
            &rule_set(),
        )
        .await;
    assert_eq!(by_owner.status, StatusCode::FORBIDDEN);
    let by_banker = scene
        .app
        .post(
            "/api/v1/credit-grades",
            Some(&scene.banker.token),
            &json!({"enterprise_id": scene.enterprise_id, "source": "tax", "grade": "A", "as_of": "2026-01-01"}),
        )
        .await;
    assert_eq!(by_banker.status, StatusCode::FORBIDDEN);

    // The owner's edit is a new version; the run keeps the version it used.
    let mut stricter = rule_set();
    stricter["filters"]["min_live_inventions"] = json!(2);
    let revised = scene
        .app
        .send_json(
            reqwest::Method::PUT,
            &rule_path,
            Some(&scene.banker.token),
            &stricter,
        )
        .await;
    ok(&revised);
    assert_eq!(revised.body["rule_set"]["version"], 2);
    assert_eq!(revised.body["versions"].as_array().unwrap().len(), 2);
    let old = get(
        scene,
        &format!("/api/v1/screenings/{run_id}"),
        &scene.banker,
    )
    .await;
    assert_eq!(old.body["run"]["rule_set_version"], 1);
    assert_eq!(old.body["rules"]["filters"]["min_live_inventions"], 1);
    let newer = run(&bench, "2026-11-23").await;
    assert_eq!(newer["run"]["rule_set_version"], 2);
    assert_eq!(newer["run"]["passed"], 1);

    // A bad rule set names every fault.
    let mut bad = rule_set();
    bad["weights"][0]["weight_bp"] = json!(4000);
    bad["filters"]["min_tax_grade"] = json!("E");
    let refused = scene
        .app
        .post(
            "/api/v1/screening-rule-sets",
            Some(&scene.banker.token),
            &bad,
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let future = scene
        .app
        .post(
            "/api/v1/screenings",
            Some(&scene.banker.token),
            &json!({"rule_set_id": bench.rule_set_id, "as_of": "2030-01-01"}),
        )
        .await;
    assert_eq!(
        future.error_fields(),
        vec![("as_of".to_string(), "in_future".to_string())]
    );
    let _ = bench.third_id;
}

//! Subsidies over the API: who may see and do what — another enterprise learns nothing of an
//! application and cannot apply on a loan not its own, a lender cannot act at all, an office
//! of another province sees nothing, the applicant cannot decide or pay — and bad input is a 400
//! naming the field, never a 500.

use super::loans::{created, get, interest_only, office, ok, pledge};
use super::pledges::Scene;
use ipyun_domain::party::PartyDraft;
use ipyun_test_support::{Answer, StatusCode, TestUser};
use serde_json::{Value, json};

async fn post(scene: &Scene, path: &str, user: &TestUser, body: Value) -> Answer {
    scene.app.post(path, Some(&user.token), &body).await
}

fn fields(answer: &Answer) -> Vec<(String, String)> {
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{:?}", answer.body);
    answer.error_fields()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(field, code)| (field.to_string(), code.to_string()))
        .collect()
}

/// A loan of the scene's enterprise, an interest programme with 100,000 fen appropriated, and
/// the scene's enterprise's submitted application for a fee programme: the programme's and the
/// application's paths.
async fn world(scene: &Scene, maker: &TestUser) -> (i64, String, String) {
    let registration_no = pledge(scene, 95).await;
    let answer = post(
        scene,
        "/api/v1/loans",
        &scene.banker,
        interest_only(&[&registration_no], "JK-P-001"),
    )
    .await;
    created(&answer);
    let loan_id = answer.body["loan"]["id"].as_i64().unwrap();
    let programme = post(scene, "/api/v1/subsidy-programmes", maker,
        json!({"name": "苏州市担保费补贴", "kind": "guarantee_fee", "region": "320500", "rate_bp": 5_000,
               "cap_per_application_fen": 100_000, "annual_budget_fen": 1_000_000,
               "opens_on": "2026-11-01", "closes_on": "2027-06-30"})).await;
    created(&programme);
    let programme_path = format!("/api/v1/subsidy-programmes/{}", programme.body["id"]);
    created(
        &post(
            scene,
            &format!("{programme_path}/appropriations"),
            maker,
            json!({"amount_fen": 100_000}),
        )
        .await,
    );
    let application = post(
        scene,
        "/api/v1/subsidy-applications",
        &scene.owner,
        json!({"programme_id": programme.body["id"], "loan_id": loan_id, "fee_fen": 60_000,
               "evidence": "担保合同 DB-2026-17"}),
    )
    .await;
    created(&application);
    assert_eq!(application.body["amount_fen"], 30_000);
    let application_path = format!("/api/v1/subsidy-applications/{}", application.body["id"]);
    (loan_id, programme_path, application_path)
}

#[tokio::test]
async fn each_party_sees_and_does_only_what_is_its_own() {
    let scene = Scene::new().await;
    let office = office(&scene).await;
    let (loan_id, programme_path, application_path) = world(&scene, &office.maker).await;
    let programme_id = programme_path
        .rsplit('/')
        .next()
        .unwrap()
        .parse::<i64>()
        .unwrap();
    let (other_party, _) = scene.app.enterprise("另一家科技有限公司", 2, None).await;
    let other = scene
        .app
        .user("other-owner", "enterprise", Some(other_party))
        .await;
    let zhejiang = scene
        .app
        .party(PartyDraft {
            kind: Some("ip_office".into()),
            name: Some("浙江省知识产权局".into()),
            region: Some("330000".into()),
            office_level: Some("provincial".into()),
            ..PartyDraft::default()
        })
        .await;
    let decision = format!("{application_path}/decision");
    let payout = format!("{application_path}/payout");

    // Another enterprise: no application of another's, no loan of another's.
    assert_eq!(
        get(&scene, &application_path, &other).await.error_code(),
        "subsidy.application_not_found"
    );
    let foreign = post(&scene, "/api/v1/subsidy-applications", &other,
        json!({"programme_id": programme_id, "loan_id": loan_id, "fee_fen": 1_000, "evidence": "x"})).await;
    assert_eq!(
        (foreign.status, foreign.error_code()),
        (StatusCode::NOT_FOUND, "loan.not_found")
    );
    for path in [&decision, &payout] {
        let answer = post(&scene, path, &other, json!({"decision": "approve"})).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "{path}: {:?}",
            answer.body
        );
    }

    // A lender cannot act: it may not apply, create or fund a programme, see or decide anything.
    let banker = &scene.banker;
    let applied = post(&scene, "/api/v1/subsidy-applications", banker,
        json!({"programme_id": programme_id, "loan_id": loan_id, "fee_fen": 1_000, "evidence": "x"})).await;
    assert_eq!(applied.status, StatusCode::FORBIDDEN);
    let created_by_bank = post(&scene, "/api/v1/subsidy-programmes", banker,
        json!({"name": "x", "kind": "interest", "region": "320500", "rate_bp": 1, "cap_per_application_fen": 1,
               "annual_budget_fen": 1, "opens_on": "2026-01-01", "closes_on": "2026-12-31"})).await;
    assert_eq!(created_by_bank.status, StatusCode::FORBIDDEN);
    for answer in [
        get(&scene, &programme_path, banker).await,
        get(&scene, &application_path, banker).await,
        post(
            &scene,
            &format!("{programme_path}/appropriations"),
            banker,
            json!({"amount_fen": 1}),
        )
        .await,
        post(&scene, &decision, banker, json!({"decision": "approve"})).await,
        post(&scene, &payout, banker, json!({})).await,
    ] {
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{:?}", answer.body);
    }

    // The applicant sees its application and the programme, but decides, funds and pays nothing.
    ok(&get(&scene, &application_path, &scene.owner).await);
    ok(&get(&scene, &programme_path, &other).await);
    for answer in [
        post(
            &scene,
            &decision,
            &scene.owner,
            json!({"decision": "approve"}),
        )
        .await,
        post(&scene, &payout, &scene.owner, json!({})).await,
        post(
            &scene,
            &format!("{programme_path}/appropriations"),
            &scene.owner,
            json!({"amount_fen": 1}),
        )
        .await,
    ] {
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{:?}", answer.body);
    }

    // Zhejiang's office sees nothing of Jiangsu's programme; it cannot create one for Suzhou.
    let zhejiang_officer = scene
        .app
        .user("zj-officer", "provincial_office", Some(zhejiang))
        .await;
    assert_eq!(
        get(&scene, &programme_path, &zhejiang_officer).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&scene, &application_path, &zhejiang_officer)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(
            &scene,
            &decision,
            &zhejiang_officer,
            json!({"decision": "approve"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // The national office and administrators see it all; the keeping office decides.
    let cnipa = scene
        .app
        .party(PartyDraft {
            kind: Some("ip_office".into()),
            name: Some("国家知识产权局".into()),
            region: Some("110000".into()),
            office_level: Some("national".into()),
            ..PartyDraft::default()
        })
        .await;
    let national = scene
        .app
        .user("national-officer", "national_office", Some(cnipa))
        .await;
    ok(&get(&scene, &application_path, &national).await);
    ok(&get(&scene, &programme_path, &scene.admin).await);
    let approved = post(
        &scene,
        &decision,
        &office.checker,
        json!({"decision": "approve"}),
    )
    .await;
    ok(&approved);
    assert_eq!(approved.body["status"], "approved");
    let unknown = get(&scene, "/api/v1/subsidy-applications/999999", &office.maker).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_input_names_the_field_and_never_fails_the_server() {
    let scene = Scene::new().await;
    let office = office(&scene).await;
    let maker = &office.maker;
    let (loan_id, programme_path, application_path) = world(&scene, maker).await;
    let programme_id = programme_path
        .rsplit('/')
        .next()
        .unwrap()
        .parse::<i64>()
        .unwrap();

    // A programme: wrong rules, each named; a kind that does not exist; a wrong type.
    let wrong = post(&scene, "/api/v1/subsidy-programmes", maker,
        json!({"name": " ", "kind": "interest", "region": "999999", "rate_bp": 0, "cap_per_application_fen": -1,
               "annual_budget_fen": 0, "opens_on": "2027-01-01", "closes_on": "2026-12-31"})).await;
    let found = fields(&wrong);
    for expected in [("name", "length"), ("region", "unknown_code")] {
        assert!(
            found.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{found:?}"
        );
    }
    let rules = post(&scene, "/api/v1/subsidy-programmes", maker,
        json!({"name": "x", "kind": "interest", "region": "320500", "rate_bp": 10_001, "cap_per_application_fen": -1,
               "annual_budget_fen": 0, "opens_on": "2027-01-01", "closes_on": "2026-12-31"})).await;
    assert_eq!(
        fields(&rules),
        pairs(&[
            ("rate_bp", "above_maximum"),
            ("cap_per_application_fen", "negative"),
            ("annual_budget_fen", "not_positive"),
            ("closes_on", "before_opening")
        ])
    );
    let kind = post(&scene, "/api/v1/subsidy-programmes", maker,
        json!({"name": "x", "kind": "rent", "region": "320500", "rate_bp": 1, "cap_per_application_fen": 1,
               "annual_budget_fen": 1, "opens_on": "2027-01-01", "closes_on": "2027-12-31"})).await;
    assert_eq!(fields(&kind)[0].0, "kind");
    let date = post(&scene, "/api/v1/subsidy-programmes", maker,
        json!({"name": "x", "kind": "interest", "region": "320500", "rate_bp": 1, "cap_per_application_fen": 1,
               "annual_budget_fen": 1, "opens_on": "2027-02-30", "closes_on": "2027-12-31"})).await;
    assert_eq!(fields(&date)[0].0, "opens_on");

    // Appropriations: zero, and a string.
    let appropriations = format!("{programme_path}/appropriations");
    assert_eq!(
        fields(&post(&scene, &appropriations, maker, json!({"amount_fen": 0})).await),
        pairs(&[("amount_fen", "not_positive")])
    );
    assert_eq!(
        fields(&post(&scene, &appropriations, maker, json!({"amount_fen": "1"})).await)[0].0,
        "amount_fen"
    );

    // Applications: a fee without evidence or with a period; interest fields on a fee programme;
    // wrong types and unknown fields.
    let table = [
        (
            json!({"programme_id": programme_id, "loan_id": loan_id, "fee_fen": 100}),
            vec![("evidence", "required")],
        ),
        (
            json!({"programme_id": programme_id, "loan_id": loan_id}),
            vec![("fee_fen", "required"), ("evidence", "required")],
        ),
        (
            json!({"programme_id": programme_id, "loan_id": loan_id, "fee_fen": 0, "evidence": "发票", "period_start": "2026-11-01"}),
            vec![
                ("period_start", "not_applicable"),
                ("fee_fen", "not_positive"),
            ],
        ),
        (
            json!({"programme_id": programme_id, "loan_id": loan_id, "fee_fen": 100, "evidence": "票".repeat(501)}),
            vec![("evidence", "too_long")],
        ),
        (
            json!({"programme_id": programme_id, "loan_id": "seven", "fee_fen": 100, "evidence": "x"}),
            vec![("loan_id", "type")],
        ),
    ];
    for (body, expected) in table {
        let answer = post(
            &scene,
            "/api/v1/subsidy-applications",
            &scene.owner,
            body.clone(),
        )
        .await;
        assert_eq!(fields(&answer), pairs(&expected), "{body}");
    }
    let unknown = post(&scene, "/api/v1/subsidy-applications", &scene.owner,
        json!({"programme_id": programme_id, "loan_id": loan_id, "fee_fen": 100, "evidence": "x", "bonus": 1})).await;
    assert!(
        fields(&unknown)
            .iter()
            .any(|(_, code)| code == "unknown_field"),
        "{:?}",
        unknown.body
    );
    // On an interest programme: the period is required, ordered, past; no fee.
    let interest = post(&scene, "/api/v1/subsidy-programmes", maker,
        json!({"name": "贴息", "kind": "interest", "region": "320500", "rate_bp": 5_000, "cap_per_application_fen": 1_000,
               "annual_budget_fen": 10_000, "opens_on": "2026-11-01", "closes_on": "2027-06-30"})).await;
    created(&interest);
    let interest_id = interest.body["id"].as_i64().unwrap();
    let table = [
        (
            json!({"programme_id": interest_id, "loan_id": loan_id}),
            vec![("period_start", "required"), ("period_end", "required")],
        ),
        (
            json!({"programme_id": interest_id, "loan_id": loan_id, "fee_fen": 5, "period_start": "2026-11-23", "period_end": "2026-11-01"}),
            vec![
                ("fee_fen", "not_applicable"),
                ("period_end", "before_start"),
            ],
        ),
        (
            json!({"programme_id": interest_id, "loan_id": loan_id, "period_start": "2026-11-23", "period_end": "2026-12-31"}),
            vec![("period_end", "in_future")],
        ),
    ];
    for (body, expected) in table {
        let answer = post(
            &scene,
            "/api/v1/subsidy-applications",
            &scene.owner,
            body.clone(),
        )
        .await;
        assert_eq!(fields(&answer), pairs(&expected), "{body}");
    }
    let missing = post(
        &scene,
        "/api/v1/subsidy-applications",
        &scene.owner,
        json!({"programme_id": 424_242, "loan_id": loan_id}),
    )
    .await;
    assert_eq!(
        (missing.status, missing.error_code()),
        (StatusCode::NOT_FOUND, "subsidy.programme_not_found")
    );

    // Decisions: an unknown verdict, a reason too long; paths that are not numbers.
    let decision = format!("{application_path}/decision");
    assert_eq!(
        fields(&post(&scene, &decision, maker, json!({"decision": "maybe"})).await)[0].0,
        "decision"
    );
    assert_eq!(
        fields(
            &post(
                &scene,
                &decision,
                maker,
                json!({"decision": "refuse", "reason": "理".repeat(501)})
            )
            .await
        ),
        pairs(&[("reason", "too_long")])
    );
    let not_a_number = post(
        &scene,
        "/api/v1/subsidy-applications/abc/decision",
        maker,
        json!({"decision": "approve"}),
    )
    .await;
    assert_eq!(not_a_number.status, StatusCode::NOT_FOUND);
    let huge = get(
        &scene,
        "/api/v1/subsidy-programmes/99999999999999999999",
        maker,
    )
    .await;
    assert_eq!(huge.status, StatusCode::NOT_FOUND);
    let wrong_type = scene
        .app
        .post_raw(
            &decision,
            Some(&maker.token),
            "text/plain",
            b"approve".to_vec(),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Nothing above was a server failure, and the application is still waiting.
    let still = get(&scene, &application_path, maker).await;
    assert_eq!(still.body["status"], "submitted");
}

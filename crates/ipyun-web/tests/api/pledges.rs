//! Pledge registration through the API (P1–P7): the contract routes, every refusal ground,
//! informed consent, the examiner queue, idempotency and who may do what.

use ipyun_test_support::{
    Answer, StatusCode, TestApp, TestUser, invention, test_application_no, test_utility_model_no,
};
use serde_json::{Value, json};

pub struct Scene {
    pub app: TestApp,
    pub admin: TestUser,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub uscc: String,
    pub owner: TestUser,
    pub lender_id: i64,
    pub banker: TestUser,
}

impl Scene {
    pub async fn new() -> Scene {
        let app = TestApp::init().await;
        let admin = app.admin().await;
        let enterprise_name = "苏州质押科技有限公司".to_string();
        let (enterprise_id, uscc) = app.enterprise(&enterprise_name, 1, None).await;
        let owner = app.user("owner", "enterprise", Some(enterprise_id)).await;
        let lender_id = app.organisation("lender", "测试银行苏州分行").await;
        let banker = app.user("banker", "lender", Some(lender_id)).await;
        Scene {
            app,
            admin,
            enterprise_id,
            enterprise_name,
            uscc,
            owner,
            lender_id,
            banker,
        }
    }

    /// Records invention `serial` held by the scene's enterprise, changed by `edit`.
    pub async fn right(&self, serial: u32, edit: impl FnOnce(&mut Value)) -> String {
        let mut body = invention(serial, &self.enterprise_name, &self.uscc);
        edit(&mut body);
        let created = self
            .app
            .post("/api/v1/rights", Some(&self.admin.token), &body)
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        created.body["number"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub async fn set_status(&self, number: &str, status: &str) {
        let answer = self
            .app
            .post(
                &format!("/api/v1/rights/{number}/status-events"),
                Some(&self.admin.token),
                &json!({"legal_status": status, "effective_date": "2026-11-01", "note": "test"}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{:?}", answer.body);
    }

    pub async fn apply(&self, body: &Value) -> Answer {
        self.app
            .post(
                "/api/v1/pledge-applications",
                Some(&self.banker.token),
                body,
            )
            .await
    }

    pub async fn confirm(&self, id: &Value, user: &TestUser) -> Answer {
        self.app
            .post(
                &format!("/api/v1/pledge-applications/{id}/confirm"),
                Some(&user.token),
                &json!({}),
            )
            .await
    }

    /// Drafts as the lender and confirms as the enterprise; the confirmation's answer.
    pub async fn register(&self, body: &Value) -> Answer {
        let drafted = self.apply(body).await;
        assert_eq!(drafted.status, StatusCode::CREATED, "{:?}", drafted.body);
        let confirmed = self.confirm(&drafted.body["id"], &self.owner).await;
        assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
        confirmed
    }
}

/// A complete application by the scene's lender over `numbers` (inventions).
pub fn application(scene: &Scene, numbers: &[&str]) -> Value {
    json!({
        "pledgor_id": scene.enterprise_id,
        "loan_contract": {"contract_no": "JK-2026-001", "debtor": scene.enterprise_name, "principal_fen": 500_000_000,
                          "performance_start": "2026-11-23", "performance_end": "2027-11-22"},
        "pledge_contract": {"contract_no": "ZY-2026-001", "secured_claim_kind": "loan", "secured_amount_fen": 500_000_000,
                            "scope": "本金、利息、罚息及实现质权的费用"},
        "rights": numbers.iter().map(|number| json!({"kind": "invention", "number": number})).collect::<Vec<_>>(),
        "commitment_letter": true
    })
}

fn codes(answer: &Answer) -> Vec<String> {
    answer.body["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .map(|finding| finding["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_clean_application_is_registered_the_moment_both_parties_confirm() {
    let scene = Scene::new().await;
    let number = scene.right(1, |_| {}).await;
    let drafted = scene
        .app
        .post_with_headers(
            "/api/v1/pledge-applications",
            Some(&scene.banker.token),
            &[("Idempotency-Key", "bank-system-0001")],
            &application(&scene, &[&number]),
        )
        .await;
    assert_eq!(drafted.status, StatusCode::CREATED, "{:?}", drafted.body);
    assert_eq!(drafted.body["status"], "awaiting_confirmation");
    assert_eq!(drafted.body["findings"], json!([]));
    let id = drafted.body["id"].clone();

    let confirmed = scene.confirm(&id, &scene.owner).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:?}", confirmed.body);
    assert_eq!(confirmed.body["status"], "registered");
    let registration_no = confirmed.body["registration_no"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        registration_no,
        format!("Y2026{:09}", id.as_i64().unwrap_or_default())
    );
    assert_eq!(confirmed.body["due_date"], "2026-11-24");
    assert_eq!(confirmed.body["findings"], json!([]));

    let listed = scene
        .app
        .get(
            &format!("/api/v1/pledges?application_no={number}"),
            Some(&scene.banker.token),
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body["total"], 1);
    let pledge = &listed.body["items"][0];
    assert_eq!(pledge["registration_no"], registration_no.as_str());
    assert_eq!(pledge["status"], "active");
    assert_eq!(pledge["pledgor"], scene.enterprise_name.as_str());
    assert_eq!(pledge["rights"][0]["number"], number.as_str());
    assert_eq!(pledge["secured_amount_fen"], 500_000_000);

    // The public record names the parties and rights but not the amount or the code.
    let public = scene
        .app
        .get(&format!("/api/v1/pledges?application_no={number}"), None)
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(
        public.body["items"][0]["registration_no"],
        registration_no.as_str()
    );
    assert!(public.body["items"][0].get("secured_amount_fen").is_none());
    assert!(public.body["items"][0].get("verification_code").is_none());

    // Confirming again answers the same state; it does not register twice.
    let again = scene.confirm(&id, &scene.owner).await;
    assert_eq!(again.body["registration_no"], registration_no.as_str());
    let listed = scene
        .app
        .get(&format!("/api/v1/pledges?application_no={number}"), None)
        .await;
    assert_eq!(listed.body["total"], 1);
}

#[tokio::test]
async fn a_retried_submission_answers_the_first_application() {
    let scene = Scene::new().await;
    let number = scene.right(2, |_| {}).await;
    let body = application(&scene, &[&number]);
    let headers = [("Idempotency-Key", "retry-me")];
    let first = scene
        .app
        .post_with_headers(
            "/api/v1/pledge-applications",
            Some(&scene.banker.token),
            &headers,
            &body,
        )
        .await;
    let second = scene
        .app
        .post_with_headers(
            "/api/v1/pledge-applications",
            Some(&scene.banker.token),
            &headers,
            &body,
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(first.body["id"], second.body["id"]);
    assert_eq!(
        second
            .headers
            .get("idempotent-replayed")
            .map(|value| value.as_bytes()),
        Some(&b"true"[..])
    );

    let mut changed = body.clone();
    changed["pledge_contract"]["secured_amount_fen"] = json!(1);
    let reused = scene
        .app
        .post_with_headers(
            "/api/v1/pledge-applications",
            Some(&scene.banker.token),
            &headers,
            &changed,
        )
        .await;
    assert_eq!(reused.status, StatusCode::CONFLICT);
    assert_eq!(reused.error_code(), "pledge.idempotency_key_reused");

    // Another user's identical key is another application.
    let other_banker = scene
        .app
        .user("banker2", "lender", Some(scene.lender_id))
        .await;
    let theirs = scene
        .app
        .post_with_headers(
            "/api/v1/pledge-applications",
            Some(&other_banker.token),
            &headers,
            &body,
        )
        .await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    assert_ne!(theirs.body["id"], first.body["id"]);
}

/// Each refusal ground, set up through the API, refuses on confirmation naming its code and ground.
#[tokio::test]
async fn every_refusal_ground_refuses_with_its_code_and_ground() {
    let scene = Scene::new().await;
    let mut serial = 100;
    let mut next = || {
        serial += 1;
        serial
    };
    let mut cases: Vec<(&str, Value)> = Vec::new();

    for (status, code) in [
        ("lapsed_unpaid_fee", "pledge.right_terminated"),
        ("expired", "pledge.right_expired"),
        ("invalidated", "pledge.right_invalidated"),
        ("late_fee_period", "pledge.late_fee_period"),
        ("ownership_dispute", "pledge.ownership_dispute"),
        ("preserved", "pledge.right_preserved"),
        ("not_yet_granted", "pledge.not_yet_granted"),
    ] {
        let number = scene.right(next(), |_| {}).await;
        scene.set_status(&number, status).await;
        cases.push((code, application(&scene, &[&number])));
    }
    let stranger = scene
        .right(next(), |body| {
            body["holders"] = json!([{"name": "别家公司"}])
        })
        .await;
    cases.push((
        "pledge.pledgor_not_holder",
        application(&scene, &[&stranger]),
    ));
    let co_owned = scene
        .right(next(), |body| {
            body["holders"] = json!([{"name": scene.enterprise_name, "uscc": scene.uscc, "share_bp": 6000},
                                     {"name": "某某大学", "share_bp": 4000}])
        })
        .await;
    cases.push((
        "pledge.co_owner_consent_missing",
        application(&scene, &[&co_owned]),
    ));
    let unpaid = scene
        .right(next(), |body| {
            body["annual_fee_paid_until"] = json!("2026-03-14")
        })
        .await;
    cases.push(("pledge.annual_fee_unpaid", application(&scene, &[&unpaid])));
    let short = scene.right(next(), |_| {}).await;
    let mut past_expiry = application(&scene, &[&short]);
    past_expiry["loan_contract"]["performance_end"] = json!("2041-06-01");
    cases.push(("pledge.performance_past_expiry", past_expiry));
    let plain = scene.right(next(), |_| {}).await;
    for (path, value) in [
        ("secured_claim_kind", Value::Null),
        ("secured_amount_fen", Value::Null),
        ("scope", Value::Null),
    ] {
        let mut missing = application(&scene, &[&plain]);
        missing["pledge_contract"][path] = value;
        cases.push(("pledge.contract_term_missing", missing));
    }
    let mut no_period = application(&scene, &[&plain]);
    no_period["loan_contract"]["performance_end"] = Value::Null;
    cases.push(("pledge.contract_term_missing", no_period));
    cases.push(("pledge.contract_term_missing", application(&scene, &[])));
    let mut forfeiture = application(&scene, &[&plain]);
    forfeiture["pledge_contract"]["transfer_on_default"] = json!(true);
    cases.push(("pledge.transfer_on_default", forfeiture));
    let mut no_letter = application(&scene, &[&plain]);
    no_letter["commitment_letter"] = json!(false);
    cases.push(("pledge.commitment_letter_missing", no_letter));
    let pending = scene.right(next(), |_| {}).await;
    scene.set_status(&pending, "invalidation_pending").await;
    cases.push((
        "pledge.invalidation_pending",
        application(&scene, &[&pending]),
    ));
    let twin_serial = next();
    let twin = scene.right(twin_serial, |_| {}).await;
    scene
        .right(twin_serial, |body| {
            body["kind"] = json!("utility_model");
            body["number"] = json!(test_utility_model_no(twin_serial));
            body["grant_date"] = json!("2021-09-01");
            body["annual_fee_paid_until"] = json!("2027-03-14");
        })
        .await;
    cases.push(("pledge.same_day_filing", application(&scene, &[&twin])));

    for (code, body) in &cases {
        let drafted = scene.apply(body).await;
        assert_eq!(
            drafted.status,
            StatusCode::CREATED,
            "{code}: {:?}",
            drafted.body
        );
        assert!(
            codes(&drafted).contains(&code.to_string()),
            "{code}: told at drafting {:?}",
            drafted.body["findings"]
        );
        let decided = scene.confirm(&drafted.body["id"], &scene.owner).await;
        assert_eq!(
            decided.body["status"], "refused",
            "{code}: {:?}",
            decided.body
        );
        let finding = decided.body["findings"]
            .as_array()
            .and_then(|findings| {
                findings
                    .iter()
                    .find(|finding| finding["code"] == *code)
                    .cloned()
            })
            .unwrap_or_else(|| panic!("{code} missing from {:?}", decided.body["findings"]));
        let ground = finding["ground"].as_str().unwrap_or_default();
        assert!(
            ground.contains("《专利权质押登记办法》") && ground.contains("第十二条"),
            "{code}: {ground}"
        );
        assert!(
            !finding["message_zh"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        );
        assert!(
            !finding["message_en"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        );
        assert!(decided.body.get("registration_no").is_none(), "{code}");
    }

    // Already pledged: the second registration over a right is refused, naming the first.
    let once = scene.right(next(), |_| {}).await;
    let first = scene.register(&application(&scene, &[&once])).await;
    assert_eq!(first.body["status"], "registered");
    let second = scene.register(&application(&scene, &[&once])).await;
    assert_eq!(second.body["status"], "refused");
    assert_eq!(codes(&second), vec!["pledge.right_already_pledged"]);
    let message = second.body["findings"][0]["message_zh"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains(first.body["registration_no"].as_str().unwrap_or("?")),
        "{message}"
    );
}

#[tokio::test]
async fn informed_consent_lets_the_parties_go_on_and_is_recorded() {
    let scene = Scene::new().await;
    let number = scene.right(3, |_| {}).await;
    scene.set_status(&number, "invalidation_pending").await;
    let mut body = application(&scene, &[&number]);
    body["informed_consent"] = json!(["pledge.invalidation_pending"]);
    let confirmed = scene.register(&body).await;
    assert_eq!(
        confirmed.body["status"], "registered",
        "{:?}",
        confirmed.body
    );
    assert_eq!(
        confirmed.body["findings"][0]["code"],
        "pledge.invalidation_pending"
    );
    assert_eq!(confirmed.body["findings"][0]["severity"], "consented");

    let mut wrong = application(&scene, &[&number]);
    wrong["informed_consent"] = json!(["pledge.right_already_pledged"]);
    let refused = scene.apply(&wrong).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.error_fields(),
        vec![(
            "informed_consent[0]".to_string(),
            "not_consentable".to_string()
        )]
    );
}

#[tokio::test]
async fn what_the_rules_cannot_decide_goes_to_an_examiner_due_the_next_working_day() {
    let scene = Scene::new().await;
    let unknown = test_application_no(999);
    let confirmed = scene.register(&application(&scene, &[&unknown])).await;
    assert_eq!(confirmed.body["status"], "in_review");
    assert_eq!(codes(&confirmed), vec!["pledge.right_not_in_registry"]);
    assert_eq!(confirmed.body["findings"][0]["severity"], "review");
    // Monday 2026-11-23 (10:00 in China) → due Tuesday 2026-11-24.
    assert_eq!(confirmed.body["due_date"], "2026-11-24");
    assert_eq!(confirmed.body["due_provisional"], false);
    assert!(confirmed.body.get("registration_no").is_none());
}

#[tokio::test]
async fn only_the_parties_see_an_application_and_only_the_other_party_confirms() {
    let scene = Scene::new().await;
    let number = scene.right(4, |_| {}).await;
    let drafted = scene.apply(&application(&scene, &[&number])).await;
    let id = drafted.body["id"].clone();

    let own = scene.confirm(&id, &scene.banker).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);

    let rival_id = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_id)).await;
    let peek = scene
        .app
        .get(
            &format!("/api/v1/pledge-applications/{id}"),
            Some(&rival.token),
        )
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    assert_eq!(
        scene.confirm(&id, &rival).await.status,
        StatusCode::NOT_FOUND
    );

    // A lender cannot apply in another lender's name, nor over another enterprise's rights as pledgor.
    let mut as_rival = application(&scene, &[&number]);
    as_rival["pledgee_id"] = json!(rival_id);
    assert_eq!(scene.apply(&as_rival).await.status, StatusCode::FORBIDDEN);
    let park = scene.app.organisation("park", "测试园区").await;
    let park_user = scene.app.user("parkuser", "park", Some(park)).await;
    let by_park = scene
        .app
        .post(
            "/api/v1/pledge-applications",
            Some(&park_user.token),
            &application(&scene, &[&number]),
        )
        .await;
    assert_eq!(by_park.status, StatusCode::FORBIDDEN);
    assert_eq!(
        scene
            .app
            .post(
                "/api/v1/pledge-applications",
                None,
                &application(&scene, &[&number])
            )
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // The enterprise may draft too; then the lender confirms.
    let mut by_owner = application(&scene, &[&number]);
    by_owner["pledgor_id"] = Value::Null;
    by_owner["pledgee_id"] = json!(scene.lender_id);
    let drafted = scene
        .app
        .post(
            "/api/v1/pledge-applications",
            Some(&scene.owner.token),
            &by_owner,
        )
        .await;
    assert_eq!(drafted.status, StatusCode::CREATED, "{:?}", drafted.body);
    let confirmed = scene.confirm(&drafted.body["id"], &scene.banker).await;
    assert_eq!(
        confirmed.body["status"], "registered",
        "{:?}",
        confirmed.body
    );
}

#[tokio::test]
async fn malformed_applications_are_answered_field_by_field() {
    let scene = Scene::new().await;
    let mut body = application(&scene, &["ABC-123"]);
    body["pledge_contract"]["secured_amount_fen"] = json!(-5);
    body["pledgor_id"] = json!(987654);
    let answer = scene.apply(&body).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let fields = answer.error_fields();
    assert!(
        fields.contains(&("pledgor_id".to_string(), "unknown_party".to_string())),
        "{fields:?}"
    );
    assert!(fields.contains(&(
        "pledge_contract.secured_amount_fen".to_string(),
        "out_of_range".to_string()
    )));
    assert!(
        fields.iter().any(|(field, _)| field == "rights[0].number"),
        "{fields:?}"
    );
    let bad_date = scene
        .apply(&json!({"pledgor_id": scene.enterprise_id, "loan_contract": {"performance_end": "2027-02-30"}}))
        .await;
    assert_eq!(bad_date.status, StatusCode::BAD_REQUEST);
    let missing = scene
        .app
        .post(
            "/api/v1/pledge-applications/77/confirm",
            Some(&scene.owner.token),
            &json!({}),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_code(), "pledge.application_not_found");
}

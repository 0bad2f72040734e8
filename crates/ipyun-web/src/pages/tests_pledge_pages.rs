//! The pledge pages over HTTP, on the real server and database (SQLite, or PostgreSQL with
//! `IPYUN_TEST_PG_URL`): who may open what, CSRF on every form, drafting through the form,
//! confirming, deciding, the printable notice and the public verification.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests_pledge_support::{Scene, Session, anonymous};
use ipyun_test_support::{StatusCode, test_application_no};

#[tokio::test]
async fn anonymous_visitors_may_search_pledges_and_verify_notices_only() {
    let scene = Scene::new().await;
    let app = &scene.app;
    let page = anonymous(app, "/pledges").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("质押登记公示") && page.body.contains("href=\"/notices/verify\""));
    let page = anonymous(app, "/pledges?lang=en&from=2026-13-01").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Register of pledges") && page.body.contains("Dates are YYYY-MM-DD")
    );
    let page = anonymous(app, "/notices/verify").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("登记通知书核验") && !page.body.contains("verify-no-match"));
    let page = anonymous(app, "/notices/verify?no=Y2026000000001&code=NOPE").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "no match is a message, not an error page"
    );
    assert!(page.body.contains("没有与该编号和核验码相符的通知书"));
    let page = anonymous(app, "/notices/verify?no=Y2026000000001&code=NOPE&lang=en").await;
    assert!(page.body.contains("No notice matches this number and code"));
    let login = anonymous(app, "/login").await;
    assert!(
        login.body.contains("href=\"/notices/verify\"") && login.body.contains("href=\"/pledges\"")
    );
    for path in [
        "/pledge-applications",
        "/pledge-applications/new",
        "/pledge-applications/1",
        "/pledge-applications/1/notice",
        "/pledge-sla",
    ] {
        let page = anonymous(app, path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            page.location.starts_with("/login?next="),
            "{path}: {}",
            page.location
        );
    }
    let posted = app
        .client
        .post(app.url("/pledge-applications/1/confirm"))
        .form(&[("csrf_token", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        posted.status(),
        StatusCode::SEE_OTHER,
        "anonymous posts are sent to sign in"
    );
}

#[tokio::test]
async fn a_lender_drafts_through_the_form_and_the_enterprise_confirms() {
    let scene = Scene::new().await;
    let number = scene.right(11).await;
    let enterprise = scene.enterprise_id.to_string();
    let banker = Session::sign_in(&scene.app, &scene.banker).await;
    let form = banker.get("/pledge-applications/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains(&scene.enterprise_name) && form.body.contains("name=\"principal_yuan\"")
    );
    let key = form
        .body
        .split("name=\"form_key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let mut fields = vec![
        ("form_key", key.as_str()),
        ("other_party", enterprise.as_str()),
        ("loan_contract_no", "JK-2026-7"),
        ("debtor", "苏州质押科技有限公司"),
        ("principal_yuan", "5,000,000.1"),
        ("performance_start", "2026-11-23"),
        ("performance_end", "2027-11-22"),
        ("pledge_contract_no", "ZY-2026-7"),
        ("secured_claim_kind", "loan"),
        ("secured_amount_yuan", "12.345"),
        ("scope", "本金、利息"),
        ("right_kind_0", "invention"),
        ("right_number_0", number.as_str()),
        ("commitment_letter", "1"),
    ];
    let forged = banker
        .post("/pledge-applications/new", &fields, false)
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "CSRF is enforced");
    let bad = banker.post("/pledge-applications/new", &fields, true).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("最多两位小数") && bad.body.contains("value=\"12.345\""),
        "the fault shows at its field"
    );
    fields[9] = ("secured_amount_yuan", "19.99");
    let created = banker.post("/pledge-applications/new", &fields, true).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id: i64 = created
        .location
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let again = banker.post("/pledge-applications/new", &fields, true).await;
    assert_eq!(
        again.location, created.location,
        "a double submission drafts once"
    );
    let stored = scene
        .app
        .get(
            &format!("/api/v1/pledge-applications/{id}"),
            Some(&scene.banker.token),
        )
        .await;
    assert_eq!(
        stored.body["application"]["pledge_contract"]["secured_amount_fen"],
        1_999
    );
    assert_eq!(
        stored.body["application"]["loan_contract"]["principal_fen"],
        500_000_010
    );

    let detail = banker.get(&created.location).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body.contains("待对方确认") && detail.body.contains("/withdraw\""));
    assert!(
        !detail.body.contains("/confirm\""),
        "the drafter does not confirm"
    );
    let other_bank = scene.app.organisation("lender", "另一家银行").await;
    let rival = scene.app.user("rival", "lender", Some(other_bank)).await;
    let rival = Session::sign_in(&scene.app, &rival).await;
    assert_eq!(
        rival.get(&created.location).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        rival
            .get(&format!("{}/notice", created.location))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let owner = Session::sign_in(&scene.app, &scene.owner).await;
    let page = owner.get(&created.location).await;
    assert!(page.body.contains("/confirm\"") && !page.body.contains("/withdraw\""));
    let confirm = format!("{}/confirm", created.location);
    assert_eq!(
        owner.post(&confirm, &[], false).await.status,
        StatusCode::FORBIDDEN
    );
    let confirmed = owner.post(&confirm, &[], true).await;
    assert_eq!(
        (confirmed.status, confirmed.location.as_str()),
        (StatusCode::SEE_OTHER, created.location.as_str())
    );
    let page = owner.get(&format!("{}?lang=en", created.location)).await;
    let registration_no = format!("Y2026{id:09}");
    assert!(
        page.body.contains("Registered") && page.body.contains(&registration_no),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("notice.pdf")
            && page
                .body
                .contains(&format!("/pledge-applications/{id}/notice\""))
    );

    let notice = owner
        .get(&format!("/pledge-applications/{id}/notice?lang=zh-CN"))
        .await;
    assert_eq!(notice.status, StatusCode::OK);
    assert!(notice.body.contains("<svg") && notice.body.contains("aria-label=\"QR code\""));
    let code = stored_code(&scene, id).await;
    assert!(
        notice.body.contains(&code) && notice.body.contains("电子签名有效"),
        "{}",
        notice.body
    );
    let verify = anonymous(
        &scene.app,
        &format!("/notices/verify?no={registration_no}&code={code}"),
    )
    .await;
    assert!(verify.body.contains("通知书真实有效") && verify.body.contains(&registration_no));
    let key = scene.app.get("/api/v1/notice-key", None).await;
    assert!(
        verify
            .body
            .contains(key.body["fingerprint"].as_str().unwrap())
    );

    let public = anonymous(&scene.app, &format!("/pledges?right={number}")).await;
    assert!(
        public.body.contains(&registration_no) && !public.body.contains("19.99"),
        "no amounts in public"
    );
    assert!(
        banker
            .get(&format!("/pledges?right={number}"))
            .await
            .body
            .contains("19.99")
    );
    let admin = Session::sign_in(&scene.app, &scene.admin).await;
    let right = admin.get(&format!("/rights/{number}")).await;
    assert!(right.body.contains("已质押") && right.body.contains(&registration_no));
}

async fn stored_code(scene: &Scene, id: i64) -> String {
    let view = scene
        .app
        .get(
            &format!("/api/v1/pledge-applications/{id}"),
            Some(&scene.owner.token),
        )
        .await;
    view.body["verification_code"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn examiners_decide_on_the_page_naming_their_grounds() {
    let scene = Scene::new().await;
    let unknown = test_application_no(951);
    let body = scene.body(&[&unknown]);
    let review = scene.confirmed(&body, &scene.banker, &scene.owner).await;
    assert_eq!(review["status"], "in_review");
    let id = review["id"].as_i64().unwrap();
    let examiner = Session::sign_in(&scene.app, &scene.examiner).await;
    let queue = examiner.get("/pledge-applications?status=in_review").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue.body.contains("审查队列")
            && queue.body.contains(&format!("/pledge-applications/{id}\""))
    );
    let path = format!("/pledge-applications/{id}");
    let page = examiner.get(&path).await;
    assert!(
        page.body.contains("pledge.right_not_in_registry")
            && page.body.contains("name=\"grounds\"")
    );
    let decision = format!("{path}/decision");
    let refuse = [("decision", "refuse"), ("note", "登记簿无此专利")];
    assert_eq!(
        examiner.post(&decision, &refuse, false).await.status,
        StatusCode::FORBIDDEN
    );
    let groundless = examiner.post(&decision, &refuse, true).await;
    assert_eq!(groundless.status, StatusCode::BAD_REQUEST);
    assert!(groundless.body.contains("不予登记须至少选择一项理由"));
    let fields = [
        ("decision", "refuse"),
        ("grounds", "pledge.examiner_ground"),
        ("grounds", "pledge.pledgor_not_holder"),
        ("note", "登记簿无此专利"),
    ];
    let refused = examiner.post(&decision, &fields, true).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let page = examiner.get(&path).await;
    assert!(page.body.contains("不予登记") && page.body.contains("审查员认定：登记簿无此专利"));
    let notice = examiner.get(&format!("{path}/notice")).await;
    assert!(
        notice.body.contains("不予登记的理由") && notice.body.contains("pledge.pledgor_not_holder")
    );
    let link = format!("/pledge-applications/{id}\"");
    let queue = examiner.get("/pledge-applications").await;
    assert!(
        !queue.body.contains(&link),
        "the queue opens on what awaits a decision"
    );
    assert!(
        examiner
            .get("/pledge-applications?status=all")
            .await
            .body
            .contains(&link)
    );
    let again = examiner.post(&decision, &fields, true).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "decided once");

    // The drafter withdraws another application from its page.
    let body = scene.body(&[&test_application_no(952)]);
    let drafted = scene
        .app
        .post(
            "/api/v1/pledge-applications",
            Some(&scene.banker.token),
            &body,
        )
        .await;
    let withdraw = format!("/pledge-applications/{}/withdraw", drafted.body["id"]);
    let banker = Session::sign_in(&scene.app, &scene.banker).await;
    assert_eq!(
        banker.post(&withdraw, &[], false).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        banker.post(&withdraw, &[], true).await.status,
        StatusCode::SEE_OTHER
    );
    let page = banker
        .get(&format!(
            "/pledge-applications/{}?lang=en",
            drafted.body["id"]
        ))
        .await;
    assert!(page.body.contains("Withdrawn") && !page.body.contains("/withdraw\""));

    let owner = Session::sign_in(&scene.app, &scene.owner).await;
    let own = owner.get("/pledge-applications").await;
    assert!(own.body.contains("我的质押登记申请") && own.body.contains("不予登记"));
    assert_eq!(
        owner.post(&decision, &fields, true).await.status,
        StatusCode::FORBIDDEN
    );
    let park = scene.app.organisation("park", "苏州工业园区").await;
    let visitor = scene.app.user("parkuser", "park", Some(park)).await;
    let visitor = Session::sign_in(&scene.app, &visitor).await;
    assert_eq!(
        visitor.get("/pledge-applications").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        visitor.get("/pledge-applications/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(visitor.get(&path).await.status, StatusCode::NOT_FOUND);
}

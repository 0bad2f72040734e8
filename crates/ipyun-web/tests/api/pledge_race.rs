//! Never doubled (P7): rounds of two lenders applying over the same patent at once, both confirmed
//! at once, register exactly one pledge per round, on whichever backend the suite runs on.

use super::pledges::{Scene, application};
use ipyun_app::auth::system_principal;
use ipyun_app::transfer::Subject;
use ipyun_test_support::{StatusCode, test_application_no};
use serde_json::json;

fn rounds() -> u32 {
    std::env::var("IPYUN_PLEDGE_RACE_ROUNDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(1_000)
}

#[tokio::test]
async fn two_lenders_racing_for_one_patent_register_exactly_one_pledge_per_round() {
    let scene = Scene::new().await;
    let rival_id = scene.app.organisation("lender", "竞争银行").await;
    let rival = scene.app.user("rival", "lender", Some(rival_id)).await;
    let rounds = rounds();
    let mut csv = String::from(
        "kind,number,title,filing_date,grant_date,legal_status,annual_fee_paid_until,holders\n",
    );
    for round in 0..rounds {
        csv.push_str(&format!(
            "invention,{},竞争专利{round},2021-03-15,2023-06-20,in_force,2027-03-14,{}|{}\n",
            test_application_no(10_000 + round),
            scene.enterprise_name,
            scene.uscc
        ));
    }
    let report = scene
        .app
        .app
        .import_bytes(
            &system_principal(),
            Subject::Rights,
            "race.csv",
            csv.into_bytes(),
            &|_| {},
        )
        .await
        .expect("import the patents");
    assert_eq!(report.inserted, u64::from(rounds), "{report:?}");

    for round in 0..rounds {
        let number = test_application_no(10_000 + round);
        let ours = application(&scene, &[&number]);
        let mut theirs = application(&scene, &[&number]);
        theirs["pledgee_id"] = json!(rival_id);
        let (ours, theirs) = tokio::join!(
            scene.app.post(
                "/api/v1/pledge-applications",
                Some(&scene.banker.token),
                &ours
            ),
            scene
                .app
                .post("/api/v1/pledge-applications", Some(&rival.token), &theirs),
        );
        assert_eq!(
            (ours.status, theirs.status),
            (StatusCode::CREATED, StatusCode::CREATED),
            "round {round}"
        );
        let (first, second) = tokio::join!(
            scene.confirm(&ours.body["id"], &scene.owner),
            scene.confirm(&theirs.body["id"], &scene.owner)
        );
        let mut statuses = [first.body["status"].clone(), second.body["status"].clone()];
        statuses.sort_by_key(|status| status.to_string());
        assert_eq!(
            statuses,
            [json!("refused"), json!("registered")],
            "round {round}: {first:?} {second:?}"
        );
        let loser = if first.body["status"] == "refused" {
            &first
        } else {
            &second
        };
        assert_eq!(
            loser.body["findings"][0]["code"], "pledge.right_already_pledged",
            "round {round}"
        );
    }

    let all = scene
        .app
        .get("/api/v1/pledges?status=active&per_page=1", None)
        .await;
    assert_eq!(all.body["total"], rounds);
}

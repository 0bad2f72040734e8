//! Pledges on every backend: the database refuses a second active pledge over a right and a
//! decision on an application that moved on; the audit chain verifies and catches tampering.

use super::{backends, enterprise, now, right, uscc};
use ipyun_db::DbError;
use ipyun_db::pledges::{
    Inserted, NewPledge, NewPledgeApplication, PledgeDecision, PledgedRightRow,
};
use ipyun_domain::party::PartyDraft;
use ipyun_domain::pledge::{Act, ApplicationStatus, PledgeType};
use ipyun_domain::right::RightKind;

fn registration(application_id: i64, number: &str, pledgor_id: i64, pledgee_id: i64) -> NewPledge {
    NewPledge {
        registration_no: format!("Y2026{application_id:09}"),
        pledge_type: PledgeType::Rights,
        pledgor_id,
        pledgee_id,
        secured_amount_fen: Some(100),
        performance_end: None,
        verification_code: "ABCDEFGHJK".into(),
        registered_on: now().date_naive(),
        appraised_value_fen: None,
        rights: vec![PledgedRightRow {
            kind: RightKind::Invention,
            number: number.into(),
            right_id: None,
        }],
    }
}

fn decision<'a>(id: i64, pledge: Option<&'a NewPledge>) -> PledgeDecision<'a> {
    PledgeDecision {
        application_id: id,
        from_status: ApplicationStatus::AwaitingConfirmation,
        to_status: ApplicationStatus::Registered,
        findings_json: "[]",
        actor: "test",
        confirmed_by: Some("test"),
        received_at: Some(now()),
        due: None,
        decided: true,
        registration_no: pledge.map(|pledge| pledge.registration_no.as_str()),
        verification_code: Some("ABCDEFGHJK"),
        note: "test",
        pledge,
        body_json: None,
        pledge_update: None,
    }
}

#[tokio::test]
async fn the_database_refuses_a_second_active_pledge_and_a_stale_decision() {
    for (db, _dir) in backends().await {
        let pledgor = db
            .insert_party(&enterprise(5, None), "test", now())
            .await
            .unwrap();
        let lender = PartyDraft {
            kind: Some("lender".into()),
            name: Some("银行".into()),
            ..PartyDraft::default()
        }
        .validate(2026)
        .unwrap();
        let pledgee = db.insert_party(&lender, "test", now()).await.unwrap();
        let new_right = right(5, &uscc(5), "in_force");
        db.insert_right(&new_right, "test", now()).await.unwrap();
        let number = new_right.number.as_str();
        let mut ids = Vec::new();
        for key in ["k1", "k2"] {
            let claim = ipyun_db::pledges::IdempotencyClaim {
                user_id: 1,
                key,
                request_hash: "h",
            };
            let application = NewPledgeApplication {
                act: Act::Registration,
                pledge_type: PledgeType::Rights,
                pledgor_id: pledgor,
                pledgee_id: pledgee,
                drafted_by_party: pledgee,
                created_by: "test",
                target_pledge_id: None,
                green_channel: false,
                body_json: "{}",
                findings_json: "[]",
            };
            let Inserted::New(id) = db
                .insert_pledge_application(&application, Some(&claim), now())
                .await
                .unwrap()
            else {
                panic!("a new application")
            };
            let replay = db
                .insert_pledge_application(&application, Some(&claim), now())
                .await
                .unwrap();
            assert_eq!(replay, Inserted::Replayed(id), "{:?}", db.backend());
            ids.push(id);
        }
        let first = registration(ids[0], number, pledgor, pledgee);
        db.record_pledge_decision(&decision(ids[0], Some(&first)), now())
            .await
            .unwrap();
        let second = registration(ids[1], number, pledgor, pledgee);
        let refused = db
            .record_pledge_decision(&decision(ids[1], Some(&second)), now())
            .await;
        assert!(
            refused
                .as_ref()
                .is_err_and(DbError::is_active_pledge_conflict),
            "{:?}: {refused:?}",
            db.backend()
        );
        let untouched = db.get_pledge_application(ids[1]).await.unwrap().unwrap();
        assert_eq!(
            untouched.status,
            ApplicationStatus::AwaitingConfirmation,
            "nothing of the failed decision stays"
        );
        assert_eq!(
            db.active_pledge_over(number).await.unwrap().as_deref(),
            Some(first.registration_no.as_str())
        );
        let stale = db
            .record_pledge_decision(&decision(ids[0], None), now())
            .await;
        assert!(
            matches!(stale, Err(DbError::Stale(_))),
            "{:?}: {stale:?}",
            db.backend()
        );

        let report = db.verify_audit_chain().await.unwrap();
        assert_eq!(report.broken, None, "{:?}", db.backend());
        assert!(report.entries >= 6, "{report:?}");
    }
}

#[tokio::test]
async fn an_altered_or_removed_audit_entry_breaks_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let db = ipyun_db::Db::open_sqlite_dir(dir.path()).await.unwrap();
    for serial in 1..=3 {
        db.insert_party(&enterprise(serial, None), "test", now())
            .await
            .unwrap();
    }
    assert_eq!(db.verify_audit_chain().await.unwrap().broken, None);
    let file = rusqlite::Connection::open(dir.path().join("ipyun.db")).unwrap();
    file.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2", [])
        .unwrap();
    let broken = db.verify_audit_chain().await.unwrap().broken.unwrap();
    assert_eq!(broken.seq, 2);
    assert!(broken.reason.contains("altered"), "{broken:?}");
    file.execute("UPDATE audit_log SET actor = 'test' WHERE seq = 2", [])
        .unwrap();
    assert_eq!(db.verify_audit_chain().await.unwrap().broken, None);
    file.execute("DELETE FROM audit_log WHERE seq = 3", [])
        .unwrap();
    let removed = db.verify_audit_chain().await.unwrap().broken.unwrap();
    assert!(removed.reason.contains("removed"), "{removed:?}");
}

//! One conformance suite for every backend: each scenario runs on SQLite, and on PostgreSQL when
//! `IPYUN_TEST_PG_URL` is set (a fresh schema per scenario).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ipyun_db::parties::{PartyFilter, PartyUpsert};
use ipyun_db::rights::RightFilter;
use ipyun_db::{Db, DbError};
use ipyun_domain::id::{ApplicationNo, Uscc};
use ipyun_domain::page::PageRequest;
use ipyun_domain::party::PartyDraft;
use ipyun_domain::right::{HolderDraft, LegalStatus, NewRight, RightDraft};
use rand::Rng;

mod indicators;
mod loans;
mod patents;
mod pledges;
mod subsidies;

pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
        .single()
        .unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

/// Every backend this run can reach, each a fresh database.
pub(crate) async fn backends() -> Vec<(Db, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let mut backends = vec![(Db::open_sqlite_dir(dir.path()).await.unwrap(), dir)];
    if let Some(url) = std::env::var("IPYUN_TEST_PG_URL")
        .ok()
        .filter(|url| !url.is_empty())
    {
        let schema = format!("c_{:016x}", rand::rng().random::<u64>());
        backends.push((
            Db::open_postgres_schema(&url, &schema).await.unwrap(),
            tempfile::tempdir().unwrap(),
        ));
    }
    backends
}

pub(crate) fn uscc(serial: u32) -> String {
    Uscc::from_body(&format!("91320505MA{serial:07}"))
        .unwrap()
        .as_str()
        .to_string()
}

pub(crate) fn right(serial: u32, holder_uscc: &str, status: &str) -> NewRight {
    RightDraft {
        kind: Some("invention".into()),
        number: Some(
            ApplicationNo::from_body(&format!("20201{serial:07}"))
                .unwrap()
                .as_str()
                .into(),
        ),
        title: Some(format!("一种方法{serial}")),
        filing_date: Some("2020-05-01".into()),
        grant_date: Some("2022-01-01".into()),
        legal_status: Some(status.into()),
        holders: vec![HolderDraft {
            name: Some("持有人".into()),
            uscc: Some(holder_uscc.into()),
            share_bp: None,
        }],
        ..RightDraft::default()
    }
    .validate(today())
    .unwrap()
}

pub(crate) fn enterprise(serial: u32, park_id: Option<i64>) -> ipyun_domain::party::NewParty {
    PartyDraft {
        kind: Some("enterprise".into()),
        name: Some(format!("企业{serial}")),
        uscc: Some(uscc(serial)),
        region: Some("320505".into()),
        park_id,
        ..PartyDraft::default()
    }
    .validate(2026)
    .unwrap()
}

#[tokio::test]
async fn rights_round_trip_with_holders_linked_to_parties() {
    for (db, _dir) in backends().await {
        let party_id = db
            .insert_party(&enterprise(1, None), "test", now())
            .await
            .unwrap();
        let new_right = right(1, &uscc(1), "in_force");
        let id = db.insert_right(&new_right, "test", now()).await.unwrap();
        let stored = db
            .get_right(new_right.number.as_str())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.id, id, "{:?}", db.backend());
        assert_eq!(stored.holders[0].party_id, Some(party_id));
        assert_eq!(
            stored.filing_date,
            NaiveDate::from_ymd_opt(2020, 5, 1).unwrap()
        );
        assert_eq!(stored.expiry_date, NaiveDate::from_ymd_opt(2040, 4, 30));
        assert_eq!(stored.updated_at, now());
        let twice = db.insert_right(&new_right, "test", now()).await;
        assert!(
            matches!(twice, Err(DbError::Constraint(_))),
            "{:?}: {twice:?}",
            db.backend()
        );
        db.record_right_status(id, LegalStatus::Preserved, today(), "冻结", "test", now())
            .await
            .unwrap();
        let history = db.right_status_history(id).await.unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[1].status, LegalStatus::Preserved);
        let audit = db
            .list_audit("right", new_right.number.as_str(), 10)
            .await
            .unwrap();
        assert_eq!(
            audit
                .iter()
                .map(|entry| entry.action.as_str())
                .collect::<Vec<_>>(),
            vec!["right.status", "right.create"]
        );
    }
}

#[tokio::test]
async fn upserting_the_same_rights_twice_changes_nothing() {
    for (db, _dir) in backends().await {
        let rights: Vec<NewRight> = (1..=1200)
            .map(|serial| right(serial, &uscc(serial), "in_force"))
            .collect();
        let first = db.upsert_rights(&rights, "import", now()).await.unwrap();
        assert_eq!(
            (first.inserted, first.updated, first.unchanged),
            (1200, 0, 0),
            "{:?}",
            db.backend()
        );
        let first_stored = db
            .get_right(rights[0].number.as_str())
            .await
            .unwrap()
            .unwrap();
        let implied = db.right_status_history(first_stored.id).await.unwrap();
        assert_eq!(
            implied.len(),
            1,
            "an imported right's history starts with the status it was recorded with"
        );
        assert_eq!(
            (implied[0].status, implied[0].note.as_str()),
            (LegalStatus::InForce, "imported")
        );
        let second = db.upsert_rights(&rights, "import", now()).await.unwrap();
        assert_eq!(
            (second.inserted, second.updated, second.unchanged),
            (0, 0, 1200)
        );
        let mut changed = rights[..3].to_vec();
        changed[0].legal_status = LegalStatus::Expired;
        changed[1].title = "改过的名称".into();
        let third = db.upsert_rights(&changed, "import", now()).await.unwrap();
        assert_eq!((third.inserted, third.updated, third.unchanged), (0, 2, 1));
        assert_eq!(db.count_rights().await.unwrap(), 1200);
        let expired = db
            .get_right(rights[0].number.as_str())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(expired.legal_status, LegalStatus::Expired);
        assert_eq!(db.right_status_history(expired.id).await.unwrap().len(), 2);
        assert_eq!(expired.holders.len(), 1, "holders are replaced, not added");
    }
}

#[tokio::test]
async fn lists_filter_by_scope_and_page() {
    for (db, _dir) in backends().await {
        let park = PartyDraft {
            kind: Some("park".into()),
            name: Some("园区".into()),
            ..PartyDraft::default()
        }
        .validate(2026)
        .unwrap();
        let park_id = db.insert_party(&park, "test", now()).await.unwrap();
        let in_park = db
            .insert_party(&enterprise(1, Some(park_id)), "test", now())
            .await
            .unwrap();
        db.insert_party(&enterprise(2, None), "test", now())
            .await
            .unwrap();
        let rights: Vec<NewRight> = (1..=30)
            .map(|serial| right(serial, &uscc(1 + serial % 2), "in_force"))
            .collect();
        db.upsert_rights(&rights, "test", now()).await.unwrap();
        let all = db
            .list_rights(&RightFilter::default(), PageRequest::new(Some(2), Some(20)))
            .await
            .unwrap();
        assert_eq!((all.total, all.items.len()), (30, 10), "{:?}", db.backend());
        let held = RightFilter {
            holder_party_id: Some(in_park),
            ..RightFilter::default()
        };
        assert_eq!(
            db.list_rights(&held, PageRequest::default())
                .await
                .unwrap()
                .total,
            15
        );
        let parked = RightFilter {
            park_id: Some(park_id),
            ..RightFilter::default()
        };
        assert_eq!(
            db.list_rights(&parked, PageRequest::default())
                .await
                .unwrap()
                .total,
            15
        );
        let text = RightFilter {
            text: Some("方法7".into()),
            ..RightFilter::default()
        };
        assert_eq!(
            db.list_rights(&text, PageRequest::default())
                .await
                .unwrap()
                .total,
            1
        );
        let underscore = RightFilter {
            text: Some("_".into()),
            ..RightFilter::default()
        };
        assert_eq!(
            db.list_rights(&underscore, PageRequest::default())
                .await
                .unwrap()
                .total,
            0,
            "LIKE wildcards are escaped"
        );
        let parties = db
            .list_parties(
                &PartyFilter {
                    region_prefix: Some("32".into()),
                    ..PartyFilter::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(parties.total, 2);
    }
}

#[tokio::test]
async fn parties_upsert_by_natural_key() {
    for (db, _dir) in backends().await {
        let party = enterprise(5, None);
        let first = db.upsert_party(&party, "import", now()).await.unwrap();
        let PartyUpsert::Inserted(id) = first else {
            panic!("expected an insert, got {first:?}")
        };
        assert_eq!(
            db.upsert_party(&party, "import", now()).await.unwrap(),
            PartyUpsert::Unchanged(id)
        );
        let mut renamed = party.clone();
        renamed.name = "新名称".into();
        assert_eq!(
            db.upsert_party(&renamed, "import", now()).await.unwrap(),
            PartyUpsert::Updated(id)
        );
        assert_eq!(db.get_party(id).await.unwrap().unwrap().name, "新名称");
        assert_eq!(db.count_parties(None).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn sessions_expire_and_tokens_revoke() {
    for (db, _dir) in backends().await {
        let user = ipyun_db::accounts::NewUser {
            username: "u1",
            display_name: "用户",
            password_hash: "not-a-real-hash",
            role: ipyun_domain::account::Role::PlatformAdmin,
            party_id: None,
        };
        let user_id = db.insert_user(&user, "test", now()).await.unwrap();
        db.insert_session(
            "hash-1",
            user_id,
            "csrf",
            now(),
            now() + chrono::Duration::hours(1),
        )
        .await
        .unwrap();
        assert!(
            db.session_principal("hash-1", now())
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            db.session_principal("hash-1", now() + chrono::Duration::hours(2))
                .await
                .unwrap()
                .is_none()
        );
        let token_id = db
            .insert_api_token("token-hash", user_id, "t", "test", now())
            .await
            .unwrap();
        assert_eq!(
            db.token_principal("token-hash")
                .await
                .unwrap()
                .unwrap()
                .username,
            "u1"
        );
        assert!(db.revoke_api_token(token_id, user_id, now()).await.unwrap());
        assert!(db.token_principal("token-hash").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn both_backends_migrate_to_the_same_tables_and_columns() {
    let backends = backends().await;
    let mut schemas = Vec::new();
    for (db, _dir) in &backends {
        schemas.push(db.describe_schema().await.unwrap());
    }
    assert!(schemas[0].len() >= 9, "{:?}", schemas[0]);
    if schemas.len() == 2 {
        assert_eq!(
            schemas[0], schemas[1],
            "SQLite and PostgreSQL schemas differ"
        );
    }
}

//! Patent records, their change numbers and the reads that feed a search index; topics,
//! followers and notices — on every backend.

use super::{backends, now, right, uscc};
use ipyun_db::Db;
use ipyun_db::accounts::NewUser;
use ipyun_db::patents::PatentRecordRow;
use ipyun_domain::account::Role;

fn record(number: &str, abstract_text: &str) -> PatentRecordRow {
    PatentRecordRow {
        number: number.to_string(),
        abstract_text: abstract_text.to_string(),
        claims: vec![
            "1. 一种锂电池隔膜，其特征在于……".into(),
            "2. 根据权利要求1所述……".into(),
        ],
        applicants: vec!["宁德时代新能源科技股份有限公司".into(), "清华大学".into()],
        inventors: vec!["张三".into()],
        region_code: Some("350902".into()),
        ipc: vec!["H01M 50/40".into(), "H01M 10/05".into()],
        publication_date: chrono::NaiveDate::from_ymd_opt(2021, 11, 1),
        cited_by: 12,
        family_size: 3,
    }
}

async fn seed(db: &Db) -> Vec<String> {
    let rights: Vec<_> = (1..=3)
        .map(|serial| right(serial, &uscc(7), "in_force"))
        .collect();
    db.upsert_rights(&rights, "test", now()).await.unwrap();
    rights
        .iter()
        .map(|right| right.number.as_str().to_string())
        .collect()
}

#[tokio::test]
async fn records_take_change_numbers_only_when_they_change() {
    for (db, _dir) in backends().await {
        let numbers = seed(&db).await;
        assert_eq!(db.last_patent_change().await.unwrap(), 0);
        let batch = vec![
            record(&numbers[0], "本发明公开了一种隔膜。"),
            record(&numbers[1], "本发明公开了一种电解液。"),
            record("ZZ-NOT-IN-REGISTER", "无"),
        ];
        let (counts, missing) = db.upsert_patent_records(&batch, now()).await.unwrap();
        assert_eq!(
            (counts.inserted, counts.updated, counts.unchanged),
            (2, 0, 0)
        );
        assert_eq!(missing, vec!["ZZ-NOT-IN-REGISTER".to_string()]);
        assert_eq!(db.last_patent_change().await.unwrap(), 2);

        // The same records again change nothing; one changed record takes number 3.
        let (again, _) = db.upsert_patent_records(&batch, now()).await.unwrap();
        assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));
        let changed = vec![record(&numbers[1], "本发明公开了一种固态电解质。")];
        let (counts, _) = db.upsert_patent_records(&changed, now()).await.unwrap();
        assert_eq!(counts.updated, 1);
        assert_eq!(db.last_patent_change().await.unwrap(), 3);

        let after_two = db.patents_changed_after(2, 100).await.unwrap();
        assert_eq!(after_two.len(), 1, "{:?}", db.backend());
        assert_eq!(after_two[0].number, numbers[1]);
        assert_eq!(after_two[0].change_seq, 3);
        let stored = after_two[0].record.clone().unwrap();
        assert_eq!(stored, changed[0]);
        assert_eq!(after_two[0].holders, vec!["持有人".to_string()]);

        // A full rebuild reads every patent of the register, with or without a record.
        let all = db.patents_for_index_after(0, 2).await.unwrap();
        assert_eq!(all.len(), 2);
        let rest = db
            .patents_for_index_after(all[1].right_id, 100)
            .await
            .unwrap();
        assert_eq!(rest.len(), 1);
        assert!(rest[0].record.is_none());
        assert_eq!(rest[0].number, numbers[2]);
    }
}

#[tokio::test]
async fn topics_notify_their_followers_once() {
    for (db, _dir) in backends().await {
        let mut users = Vec::new();
        for name in ["analyst", "examiner"] {
            let user = NewUser {
                username: name,
                display_name: name,
                password_hash: "x",
                role: Role::Examiner,
                party_id: None,
            };
            users.push(db.insert_user(&user, "test", now()).await.unwrap());
        }
        let topic = db
            .create_topic(
                "疫情药物",
                "ipc:A61K 冠状病毒",
                users[0],
                5,
                0,
                "analyst",
                now(),
            )
            .await
            .unwrap();
        assert!(
            db.set_following(topic, users[1], true, now())
                .await
                .unwrap()
        );
        assert!(
            !db.set_following(topic, users[1], true, now())
                .await
                .unwrap()
        );
        let stored = db.get_topic(topic).await.unwrap().unwrap();
        assert_eq!((stored.owner.as_str(), stored.followers), ("analyst", 2));

        let notified = db
            .record_topic_check(topic, 8, 10, 3, r#"{"new":3}"#, now())
            .await
            .unwrap();
        assert_eq!(notified, 2);
        assert_eq!(
            db.record_topic_check(topic, 8, 11, 0, "{}", now())
                .await
                .unwrap(),
            0
        );
        let notices = db.user_notices(users[1], true, 10).await.unwrap();
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].subject_id, Some(topic));
        assert!(
            db.mark_notice_read(users[1], notices[0].id, now())
                .await
                .unwrap()
        );
        assert!(
            !db.mark_notice_read(users[0], notices[0].id, now())
                .await
                .unwrap(),
            "not theirs"
        );
        assert_eq!(db.count_unread_notices(users[1]).await.unwrap(), 0);
        assert_eq!(db.count_unread_notices(users[0]).await.unwrap(), 1);
        assert_eq!(db.get_topic(topic).await.unwrap().unwrap().checked_seq, 11);

        assert!(
            db.set_following(topic, users[1], false, now())
                .await
                .unwrap()
        );
        assert_eq!(
            db.followed_topics(users[1]).await.unwrap(),
            Vec::<i64>::new()
        );
        assert!(db.delete_topic(topic, "analyst", now()).await.unwrap());
        assert!(db.list_topics().await.unwrap().is_empty());
    }
}

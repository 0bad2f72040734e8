//! Patents imported into the register and found through the index: JSON Lines and CSV, row
//! faults named, incremental updates, the same file twice changing nothing, topics notifying
//! their followers — on a real database with an index in memory.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::PatentQuery;
use crate::App;
use crate::auth::{AuthSettings, system_principal};
use crate::transfer::{ImportProgress, Subject};
use ipyun_domain::clock::FixedClock;
use ipyun_search::PatentDoc;
use ipyun_search::generator::{generate, write_jsonl};
use std::sync::Arc;

async fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = ipyun_db::Db::open_sqlite_dir(dir.path()).await.unwrap();
    let instant = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 23, 2, 0, 0)
        .single()
        .unwrap();
    let app = App::new(
        db,
        Arc::new(FixedClock::new(instant)),
        AuthSettings::cheap_for_tests(),
    )
    .with_search_in_memory()
    .unwrap();
    (app, dir)
}

fn jsonl(docs: &[PatentDoc]) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_jsonl(docs.iter().cloned(), &mut bytes).unwrap();
    bytes
}

fn quiet(_: ImportProgress) {}

fn query(q: &str) -> PatentQuery {
    PatentQuery {
        q: q.to_string(),
        limit: Some(100),
        ..PatentQuery::default()
    }
}

#[tokio::test]
async fn imported_patents_are_found_and_a_second_import_changes_nothing() {
    let (app, _dir) = app().await;
    let admin = system_principal();
    let docs: Vec<PatentDoc> = generate(300, 11).collect();
    let report = app
        .import_bytes(
            &admin,
            Subject::Patents,
            "patents.jsonl",
            jsonl(&docs),
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(report.rejected, 0, "{:?}", report.rejections);
    assert_eq!((report.total_rows, report.inserted), (300, 300));
    assert_eq!(app.indexed_patents(), Some(300));

    // A quoted substring of one abstract finds exactly the patents containing it.
    let needle: String = docs[17].abstract_text.chars().skip(5).take(6).collect();
    let expected: Vec<&str> = docs
        .iter()
        .filter(|doc| {
            doc.title.contains(&needle)
                || doc.abstract_text.contains(&needle)
                || doc.claims.iter().any(|claim| claim.contains(&needle))
        })
        .map(|doc| doc.application_no.as_str())
        .collect();
    let found = app
        .search_patents(None, &query(&format!("\"{needle}\"")))
        .await
        .unwrap();
    assert_eq!(found.total, expected.len() as u64, "{needle}");
    assert!(
        found
            .hits
            .iter()
            .any(|hit| hit.application_no == docs[17].application_no)
    );

    let again = app
        .import_bytes(
            &admin,
            Subject::Patents,
            "patents.jsonl",
            jsonl(&docs),
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(
        (again.inserted, again.updated, again.unchanged),
        (0, 0, 300)
    );

    // An incremental update: one record with a new title replaces the old one everywhere.
    let mut changed = docs[3].clone();
    changed.title = "一种用于钠离子电池的层状氧化物正极材料".to_string();
    let update = app
        .import_bytes(
            &admin,
            Subject::Patents,
            "update.jsonl",
            jsonl(&[changed.clone()]),
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(update.updated, 1);
    assert_eq!(app.indexed_patents(), Some(300));
    let hits = app
        .search_patents(None, &query("\"钠离子电池的层状氧化物\""))
        .await
        .unwrap();
    assert_eq!(hits.total, 1);
    assert_eq!(hits.hits[0].application_no, changed.application_no);
    let right = app
        .db
        .get_right(&changed.application_no)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(right.title, changed.title);
}

#[tokio::test]
async fn faulty_rows_are_named_and_bad_queries_say_where() {
    let (app, _dir) = app().await;
    let admin = system_principal();
    let good: Vec<PatentDoc> = generate(2, 5).collect();
    let mut text = String::from_utf8(jsonl(&good)).unwrap();
    text.push_str("{\"application_no\": \"202110000001.0\", \"kind\": \"发明\"}\n");
    text.push_str("not json\n");
    let mut wrong = serde_json::to_value(&good[0]).unwrap();
    wrong["application_no"] = serde_json::json!("202110123456.0");
    wrong["ipc"] = serde_json::json!(["H01M 10/05", "XYZ"]);
    wrong["cited_by"] = serde_json::json!("many");
    text.push_str(&format!("{wrong}\n"));
    let report = app
        .import_bytes(
            &admin,
            Subject::Patents,
            "p.jsonl",
            text.into_bytes(),
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!((report.inserted, report.rejected), (2, 3));
    let named: Vec<(u64, String)> = report
        .rejections
        .iter()
        .map(|rejection| (rejection.row, rejection.field.clone()))
        .collect();
    for expected in [
        (3, "application_no".to_string()),
        (3, "title".to_string()),
        (4, "row".to_string()),
        (5, "application_no".to_string()),
        (5, "ipc".to_string()),
        (5, "cited_by".to_string()),
    ] {
        assert!(named.contains(&expected), "{expected:?} in {named:?}");
    }

    for (q, code) in [
        ("\"锂电池", "search.bad_query"),
        ("colour:red", "search.bad_query"),
        ("", "search.empty_query"),
    ] {
        let error = app.search_patents(None, &query(q)).await.unwrap_err();
        assert_eq!(error.code, code, "{q}");
    }
    let long = "电".repeat(10_000);
    let error = app.search_patents(None, &query(&long)).await.unwrap_err();
    assert_eq!(error.code, "search.query_too_long");
}

#[tokio::test]
async fn a_csv_import_and_a_topic_that_notifies_its_followers() {
    let (app, _dir) = app().await;
    let admin = system_principal();
    let docs: Vec<PatentDoc> = generate(200, 23).collect();
    let (first, later) = docs.split_at(120);
    app.import_bytes(
        &admin,
        Subject::Patents,
        "first.jsonl",
        jsonl(first),
        &quiet,
    )
    .await
    .unwrap();
    let field = later[0].ipc[0].chars().take(4).collect::<String>();
    assert_eq!(
        app.create_topic(
            &admin,
            &super::NewTopic {
                name: "x".into(),
                query: "ipc:H".into(),
            },
        )
        .await
        .unwrap_err()
        .code,
        "forbidden",
        "the system is no user"
    );
    let user_id = app
        .db
        .insert_user(
            &ipyun_db::accounts::NewUser {
                username: "analyst",
                display_name: "分析师",
                password_hash: "x",
                role: ipyun_domain::account::Role::Examiner,
                party_id: None,
            },
            "test",
            app.clock.now(),
        )
        .await
        .unwrap();
    let analyst = crate::Principal {
        user_id,
        username: "analyst".into(),
        role: ipyun_domain::account::Role::Examiner,
        ..system_principal()
    };
    let topic = app
        .create_topic(
            &analyst,
            &super::NewTopic {
                name: format!("{field} 专题"),
                query: format!("ipc:{field}"),
            },
        )
        .await
        .unwrap();
    let before = topic.matched;

    // The later patents arrive as CSV, lists separated by semicolons.
    let mut csv = String::from(
        "application_no,kind,title,abstract,claims,applicants,inventors,region_code,ipc,filing_date,publication_date,grant_date,legal_status,cited_by,family_size\n",
    );
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    for doc in later {
        let date =
            |date: Option<chrono::NaiveDate>| date.map(|d| d.to_string()).unwrap_or_default();
        csv.push_str(
            &[
                doc.application_no.clone(),
                doc.kind.as_str().to_string(),
                quote(&doc.title),
                quote(&doc.abstract_text),
                quote(&doc.claims.join("\n")),
                quote(&doc.applicants.join(";")),
                quote(&doc.inventors.join(";")),
                doc.region_code.clone().unwrap_or_default(),
                quote(&doc.ipc.join(";")),
                doc.filing_date.to_string(),
                date(doc.publication_date),
                date(doc.grant_date),
                doc.legal_status.as_str().to_string(),
                doc.cited_by.to_string(),
                doc.family_size.to_string(),
            ]
            .join(","),
        );
        csv.push('\n');
    }
    let report = app
        .import_bytes(
            &admin,
            Subject::Patents,
            "later.csv",
            csv.into_bytes(),
            &quiet,
        )
        .await
        .unwrap();
    assert_eq!(
        (report.inserted, report.rejected),
        (80, 0),
        "{:?}",
        report.rejections
    );
    let expected_new = later
        .iter()
        .filter(|doc| {
            doc.ipc
                .iter()
                .any(|symbol| symbol.replace(' ', "").starts_with(&field))
        })
        .count() as i64;
    assert!(expected_new >= 1);
    let after = app.get_topic(&analyst, topic.id).await.unwrap();
    assert_eq!(after.matched, before + expected_new);
    assert!(after.following, "the owner follows its topic");
    let notices = app.my_notices(&analyst, true).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].body["new_filings"], expected_new);
    app.mark_notice_read(&analyst, notices[0].id).await.unwrap();
    assert_eq!(app.unread_notices(&analyst).await.unwrap(), 0);

    // The landscape of the whole set counts every patent once.
    let landscape = app
        .patent_landscape(None, "filed:1990..2030")
        .await
        .unwrap();
    assert_eq!(landscape.total, 200);
    let per_year: u64 = landscape
        .filings_per_year
        .iter()
        .map(|year| year.count)
        .sum();
    assert_eq!(per_year, 200);
    let workbook = app.patent_landscape_xlsx(None, "ipc:H").await.unwrap();
    assert!(workbook.starts_with(b"PK"), "an XLSX is a zip");
}

#[tokio::test]
async fn an_index_of_an_older_layout_is_set_aside_and_rebuilt_from_the_database() {
    let (app, dir) = app().await;
    let docs: Vec<PatentDoc> = generate(40, 3).collect();
    let file = dir.path().join("patents.jsonl");
    std::fs::write(&file, jsonl(&docs)).unwrap();
    app.import_file(&system_principal(), Subject::Patents, &file, &quiet)
        .await
        .unwrap();
    // An index directory written by an earlier release, whose schema differs.
    let index_dir = dir.path().join("search-index");
    std::fs::create_dir_all(&index_dir).unwrap();
    let old_meta = r#"{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[{"name":"title","type":"text","options":{"indexing":{"record":"freq","fieldnorms":true,"tokenizer":"ipyun_jieba"},"stored":true,"fast":false}}],"opstamp":0}"#;
    std::fs::write(index_dir.join("meta.json"), old_meta).unwrap();

    let reopened = app.clone().with_search_dir(&index_dir).unwrap();
    assert!(
        dir.path()
            .join("search-index.old")
            .join("meta.json")
            .exists(),
        "the old index is kept aside, not deleted"
    );
    assert_eq!(reopened.indexed_patents(), Some(0));
    let report = reopened.sync_search_index(&|_| {}).await.unwrap();
    assert_eq!(report.indexed, 40);
    let found = reopened
        .search_patents(None, &query(&format!("no:{}", docs[7].application_no)))
        .await
        .unwrap();
    assert_eq!(found.total, 1);
}

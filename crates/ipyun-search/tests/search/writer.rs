//! Upserts, deletes, validation, and an index shared through a directory.

use ipyun_search::generator::generate;
use ipyun_search::{PatentDoc, SearchError, SearchIndex, SearchRequest};

fn docs(count: usize) -> Vec<PatentDoc> {
    generate(count, 5).collect()
}

#[test]
fn upsert_replaces_the_record_with_the_same_number() {
    let index = SearchIndex::in_ram().unwrap();
    let mut writer = index.writer(30_000_000).unwrap();
    let records = docs(40);
    for doc in &records {
        writer.upsert(doc).unwrap();
    }
    writer.commit().unwrap();
    assert_eq!(index.num_docs(), 40);

    let mut changed = records[3].clone();
    changed.title = "一种全新标题的量子纠缠通信装置".to_owned();
    changed.abstract_text = "本发明公开了一种量子纠缠通信装置。".to_owned();
    changed.claims = vec!["1.一种量子纠缠通信装置，其特征在于，包括光源。".to_owned()];
    // Another spelling of the same number: CN prefix, no dot.
    changed.application_no = format!("CN{}", changed.application_no.replace('.', ""));
    writer.upsert(&changed).unwrap();
    writer.upsert(&changed).unwrap();
    writer.commit().unwrap();
    assert_eq!(index.num_docs(), 40);
    let number = &records[3].application_no;
    let results = index
        .search(&SearchRequest::new(format!("no:{number}")))
        .unwrap();
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].title, changed.title);
    assert_eq!(&results.hits[0].application_no, number);
    assert_eq!(index.count("\"量子纠缠通信\"").unwrap(), 1);
    let old_title = format!("\"{}\"", records[3].title);
    let still = index.matching_application_nos(&old_title).unwrap();
    assert!(!still.contains(number), "the old version is gone");

    writer.delete(number).unwrap();
    writer.commit().unwrap();
    assert_eq!(index.num_docs(), 39);
    assert_eq!(index.count(&format!("no:{number}")).unwrap(), 0);

    writer.upsert(&records[3]).unwrap();
    writer.rollback().unwrap();
    writer.commit().unwrap();
    assert_eq!(index.num_docs(), 39, "rolled back");
}

#[test]
fn invalid_records_are_refused_with_the_field_and_rule() {
    let index = SearchIndex::in_ram().unwrap();
    let mut writer = index.writer(30_000_000).unwrap();
    let good = docs(1).remove(0);
    let cases: Vec<(PatentDoc, &str, &str)> = vec![
        (
            PatentDoc {
                application_no: "202110123456.0".to_owned(),
                ..good.clone()
            },
            "application_no",
            "check_digit",
        ),
        (
            PatentDoc {
                ipc: vec!["XYZ".to_owned()],
                ..good.clone()
            },
            "ipc",
            "format",
        ),
        (
            PatentDoc {
                region_code: Some("999999".to_owned()),
                ..good.clone()
            },
            "region_code",
            "unknown_code",
        ),
    ];
    for (doc, field, code) in cases {
        match writer.upsert(&doc) {
            Err(SearchError::InvalidDoc {
                field: got_field,
                code: got_code,
                ..
            }) => {
                assert_eq!((got_field, got_code), (field, code));
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    assert!(matches!(
        index.writer(30_000_000),
        Err(SearchError::WriterBusy)
    ));
    assert!(matches!(
        index.writer(1_000),
        Err(SearchError::BadRequest { .. })
    ));
}

#[test]
fn an_index_directory_is_shared_and_has_one_writer() {
    let dir = tempfile::tempdir().unwrap();
    let first = SearchIndex::create_or_open(dir.path()).unwrap();
    let second = SearchIndex::create_or_open(dir.path()).unwrap();
    let records = docs(30);
    {
        let mut writer = first.writer(30_000_000).unwrap();
        assert!(matches!(
            second.writer(30_000_000),
            Err(SearchError::WriterBusy)
        ));
        for doc in &records {
            writer.upsert(doc).unwrap();
        }
        writer.commit().unwrap();
        writer.finish().unwrap();
    }
    second.reload().unwrap();
    assert_eq!(second.num_docs(), 30);
    assert!(first.size_bytes().unwrap() > 0);
    // The lock is free again, and a reopened index sees everything.
    drop(second);
    let reopened = SearchIndex::create_or_open(dir.path()).unwrap();
    assert_eq!(reopened.num_docs(), 30);
    let mut writer = reopened.writer(30_000_000).unwrap();
    writer.delete(&records[0].application_no).unwrap();
    writer.commit().unwrap();
    assert_eq!(reopened.num_docs(), 29);
    first.reload().unwrap();
    assert_eq!(first.num_docs(), 29);
}

/// Facet values are read once per segment and kept: after an update the counts are those of a
/// fresh index of the same records (the replaced version no longer counted, the new one counted).
#[test]
fn facets_after_an_update_equal_those_of_a_fresh_index() {
    let all = SearchRequest::new("*");
    let mut records = docs(60);
    let index = SearchIndex::in_ram().unwrap();
    let mut writer = index.writer(30_000_000).unwrap();
    for doc in &records {
        writer.upsert(doc).unwrap();
    }
    writer.commit().unwrap();
    let before = index.search(&all).unwrap().facets.unwrap();

    records[7].ipc = vec!["A01B1/00".to_owned(), "A01K61/00".to_owned()];
    records[7].region_code = Some("650102".to_owned());
    writer.upsert(&records[7]).unwrap();
    writer.commit().unwrap();
    let after = index.search(&all).unwrap().facets.unwrap();

    let fresh = SearchIndex::in_ram().unwrap();
    let mut fresh_writer = fresh.writer(30_000_000).unwrap();
    for doc in &records {
        fresh_writer.upsert(doc).unwrap();
    }
    fresh_writer.commit().unwrap();
    let expected = fresh.search(&all).unwrap().facets.unwrap();
    assert_eq!(after, expected);
    assert_ne!(before, after, "the update changed the counts");
    // Queries matching most of a segment are counted as its totals less the rest (the replaced
    // version, deleted, among the rest): the same counts as the fresh index's.
    for broad in ["-kind:design", "-region:65", "\"其特征在于\""] {
        let request = SearchRequest::new(broad);
        let mine = index.search(&request).unwrap();
        let theirs = fresh.search(&request).unwrap();
        assert!(
            mine.total * 2 > records.len() as u64,
            "{broad} matches most"
        );
        assert_eq!(
            (mine.total, mine.facets),
            (theirs.total, theirs.facets),
            "{broad}"
        );
    }
}

#[test]
fn a_bulk_load_leaves_the_index_in_one_segment_with_every_record() {
    let index = SearchIndex::in_ram().unwrap();
    let records = docs(300);
    let mut writer = index.writer(30_000_000).unwrap();
    for doc in &records[..100] {
        writer.upsert(doc).unwrap();
    }
    writer.commit().unwrap();
    writer.finish().unwrap();
    // Each indexing thread writes a segment of its own.
    let before = index.segment_count();
    assert!(before >= 1);

    let mut writer = index.writer(30_000_000).unwrap();
    writer.bulk().unwrap();
    for (position, doc) in records[100..].iter().enumerate() {
        writer.upsert(doc).unwrap();
        if position % 50 == 49 {
            writer.commit().unwrap();
        }
    }
    writer.commit().unwrap();
    assert!(
        index.segment_count() >= before + 4,
        "each commit wrote a segment"
    );
    writer.finish().unwrap();
    assert_eq!(
        index.segment_count(),
        1,
        "the load's segments and those before it merged into one"
    );
    assert_eq!(index.num_docs(), 300);
    for doc in [&records[0], &records[150], &records[299]] {
        let found = index
            .search(&SearchRequest::new(format!("no:{}", doc.application_no)))
            .unwrap();
        assert_eq!(found.total, 1, "{} after the merge", doc.application_no);
    }
}

#[test]
fn a_kept_answer_is_forgotten_when_the_index_changes() {
    let index = SearchIndex::in_ram().unwrap();
    // Keep every answer, however cheap, to see what the cache does.
    index.set_result_cache(16, std::time::Duration::ZERO);
    let records = docs(30);
    let mut writer = index.writer(30_000_000).unwrap();
    for doc in &records {
        writer.upsert(doc).unwrap();
    }
    writer.commit().unwrap();
    let request = SearchRequest::new("\"量子纠缠通信\"");
    assert_eq!(index.search(&request).unwrap().total, 0);
    assert_eq!(index.search(&request).unwrap().total, 0);
    let stats = index.result_cache_stats();
    assert_eq!((stats.entries, stats.hits), (1, 1), "{stats:?}");

    let mut changed = records[7].clone();
    changed.abstract_text = "本发明公开了一种量子纠缠通信装置。".to_owned();
    writer.upsert(&changed).unwrap();
    writer.commit().unwrap();
    let after = index.search(&request).unwrap();
    assert_eq!(
        after.total, 1,
        "the answer kept before the commit is not served"
    );
    assert_eq!(after.hits[0].application_no, records[7].application_no);
    assert_eq!(index.result_cache_stats().entries, 1);

    index.set_result_cache(0, std::time::Duration::ZERO);
    assert_eq!(index.search(&request).unwrap().total, 1);
    assert_eq!(
        index.result_cache_stats().entries,
        0,
        "a cache of none keeps none"
    );
}

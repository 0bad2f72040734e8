#![allow(clippy::unwrap_used)]

use std::collections::HashSet;

use ipyun_domain::id::{ApplicationNo, IpcSymbol, RegionCode};

use super::*;

#[test]
fn deterministic_per_seed() {
    let a: Vec<PatentDoc> = generate(200, 42).collect();
    let b: Vec<PatentDoc> = generate(200, 42).collect();
    let c: Vec<PatentDoc> = generate(200, 43).collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(generate(200, 42).len(), 200);
}

#[test]
fn records_are_valid_and_consistent() {
    let docs: Vec<PatentDoc> = generate(3000, 7).collect();
    let numbers: HashSet<&str> = docs.iter().map(|doc| doc.application_no.as_str()).collect();
    assert_eq!(numbers.len(), docs.len(), "application numbers are unique");
    let mut co_applied = 0;
    for doc in &docs {
        let number = ApplicationNo::parse(&doc.application_no).unwrap();
        assert_eq!(number.as_str(), doc.application_no);
        assert_eq!(number.filing_year(), doc.filing_date.year());
        assert!(!doc.title.is_empty() && !doc.abstract_text.is_empty());
        assert!(doc.filing_date <= GENERATOR_TODAY);
        let published = doc.publication_date.unwrap();
        assert!(doc.filing_date < published && published <= GENERATOR_TODAY);
        match doc.grant_date {
            Some(grant) => {
                assert!(grant >= published && grant <= GENERATOR_TODAY);
                assert_ne!(doc.legal_status, LegalStatus::NotYetGranted);
            }
            None => assert_eq!(doc.legal_status, LegalStatus::NotYetGranted),
        }
        if doc.kind == PatentKind::Design {
            assert!(doc.ipc.is_empty() && doc.claims.is_empty());
        } else {
            assert!(!doc.ipc.is_empty() && doc.claims[0].starts_with("1."));
            for symbol in &doc.ipc {
                IpcSymbol::parse(symbol).unwrap();
            }
        }
        RegionCode::parse(doc.region_code.as_deref().unwrap()).unwrap();
        assert!(!doc.inventors.is_empty() && !doc.applicants.is_empty());
        if doc.applicants.len() > 1 {
            co_applied += 1;
        }
    }
    assert!(co_applied > 100, "{co_applied} co-applied patents");
    let kinds: HashSet<PatentKind> = docs.iter().map(|doc| doc.kind).collect();
    assert_eq!(kinds.len(), 3);
}

#[test]
fn jsonl_round_trip() {
    let docs: Vec<PatentDoc> = generate(50, 1).collect();
    let mut buffer = Vec::new();
    assert_eq!(write_jsonl(docs.clone(), &mut buffer).unwrap(), 50);
    let text = String::from_utf8(buffer.clone()).unwrap();
    assert!(text.contains("\"abstract\":") && text.contains("\"application_no\":"));
    let back: Vec<PatentDoc> = read_jsonl(buffer.as_slice())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(back, docs);
    let error = read_jsonl("\n{\"oops\":1}\n".as_bytes())
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(error.line, 2);
}

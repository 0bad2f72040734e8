//! Boolean logic, field filters, ranking, sorting and paging against brute-force filters.

use chrono::{Datelike, NaiveDate};
use ipyun_domain::right::LegalStatus;
use ipyun_search::{PatentDoc, PatentKind, SearchRequest, Sort, normalize, parse_query};

use crate::fixture::{brute, corpus, found, segments, subclasses};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn has_ipc(doc: &PatentDoc, prefix: &str) -> bool {
    doc.ipc
        .iter()
        .any(|symbol| symbol.replace(' ', "").starts_with(prefix))
}

fn has_main_group(doc: &PatentDoc, subclass: &str, group: &str) -> bool {
    doc.ipc
        .iter()
        .any(|symbol| symbol.starts_with(subclass) && symbol[5..].split('/').next() == Some(group))
}

fn region(doc: &PatentDoc, prefix: &str) -> bool {
    doc.region_code
        .as_deref()
        .is_some_and(|code| code.starts_with(prefix))
}

fn contains(doc: &PatentDoc, text: &str) -> bool {
    segments(doc)
        .iter()
        .any(|part| part.contains(&normalize(text)))
}

fn applicant(doc: &PatentDoc, part: &str) -> bool {
    doc.applicants
        .iter()
        .any(|name| normalize(name).contains(&normalize(part)))
}

type Check = (String, Box<dyn Fn(&PatentDoc) -> bool>);

fn check(query: &str, keep: impl Fn(&PatentDoc) -> bool + 'static) -> Check {
    (query.to_owned(), Box::new(keep))
}

#[test]
fn filters_and_boolean_logic_select_the_right_records() {
    let corpus = corpus();
    let some = &corpus.docs[17];
    let number = some.application_no.clone();
    let county = corpus
        .docs
        .iter()
        .find_map(|doc| doc.region_code.clone())
        .unwrap();
    let county_query = format!("region:{county}");
    let number_query = format!("no:CN{}", number.replace('.', ""));
    let number_check = number.clone();
    let county_check = county.clone();
    let checks: Vec<Check> = vec![
        check("kind:invention", |d: &PatentDoc| {
            d.kind == PatentKind::Invention
        }),
        check("kind:实用新型", |d: &PatentDoc| {
            d.kind == PatentKind::UtilityModel
        }),
        check("NOT kind:design", |d: &PatentDoc| {
            d.kind != PatentKind::Design
        }),
        check("-kind:design", |d: &PatentDoc| d.kind != PatentKind::Design),
        check("ipc:H01M", |d: &PatentDoc| subclasses(d).contains("H01M")),
        check("ipc:H", |d: &PatentDoc| has_ipc(d, "H")),
        check("ipc:G06", |d: &PatentDoc| has_ipc(d, "G06")),
        check("ipc:H01M10", |d: &PatentDoc| {
            has_main_group(d, "H01M", "10")
        }),
        check("ipc:H01M10/0525", |d: &PatentDoc| {
            d.ipc.iter().any(|s| s == "H01M 10/0525")
        }),
        check("region:32", |d: &PatentDoc| region(d, "32")),
        check("region:440000", |d: &PatentDoc| region(d, "44")),
        check("region:3205", |d: &PatentDoc| region(d, "3205")),
        check(&county_query, move |d: &PatentDoc| {
            d.region_code.as_deref() == Some(county_check.as_str())
        }),
        check("status:in_force", |d: &PatentDoc| {
            d.legal_status == LegalStatus::InForce
        }),
        check(
            "status:expired OR status:lapsed_unpaid_fee",
            |d: &PatentDoc| {
                matches!(
                    d.legal_status,
                    LegalStatus::Expired | LegalStatus::LapsedUnpaidFee
                )
            },
        ),
        check("filed:2019..2020", |d: &PatentDoc| {
            (date(2019, 1, 1)..=date(2020, 12, 31)).contains(&d.filing_date)
        }),
        check("filed:2020-03-01..2020-06-30", |d: &PatentDoc| {
            (date(2020, 3, 1)..=date(2020, 6, 30)).contains(&d.filing_date)
        }),
        check("filed:2023..", |d: &PatentDoc| {
            d.filing_date >= date(2023, 1, 1)
        }),
        check("published:..2010", |d: &PatentDoc| {
            d.publication_date.is_some_and(|p| p <= date(2010, 12, 31))
        }),
        check("granted:2021", |d: &PatentDoc| {
            d.grant_date.is_some_and(|g| g.year() == 2021)
        }),
        check("applicant:大学", |d: &PatentDoc| applicant(d, "大学")),
        check(
            "applicant:\"股份有限公司\" kind:invention",
            |d: &PatentDoc| applicant(d, "股份有限公司") && d.kind == PatentKind::Invention,
        ),
        check("inventor:欧阳", |d: &PatentDoc| {
            d.inventors.iter().any(|name| name.contains("欧阳"))
        }),
        check(&number_query, move |d: &PatentDoc| {
            d.application_no == number_check
        }),
        check("\"电池\" AND region:44", |d: &PatentDoc| {
            contains(d, "电池") && region(d, "44")
        }),
        check("(ipc:H01M OR ipc:B60L) -status:expired", |d: &PatentDoc| {
            (has_ipc(d, "H01M") || has_ipc(d, "B60L")) && d.legal_status != LegalStatus::Expired
        }),
        check(
            "\"传感器\" OR \"检测\" NOT kind:utility_model",
            |d: &PatentDoc| {
                contains(d, "传感器") || (contains(d, "检测") && d.kind != PatentKind::UtilityModel)
            },
        ),
        check("NOT (\"方法\" OR region:11)", |d: &PatentDoc| {
            !(contains(d, "方法") || region(d, "11"))
        }),
        check("* -\"的\"", |d: &PatentDoc| !contains(d, "的")),
        check("*", |_: &PatentDoc| true),
    ];
    for (query, keep) in &checks {
        let expected = brute(&corpus.docs, keep);
        let got = found(query);
        assert_eq!(got, expected, "{query}");
    }
    // The filters select something, so the comparisons above mean something.
    assert!(!found("ipc:H01M10").is_empty() && !found("region:3205").is_empty());
    assert!(!found("granted:2021").is_empty() && !found("inventor:欧阳").is_empty());
}

#[test]
fn ranked_words_match_their_terms_and_rank_title_matches_first() {
    let corpus = corpus();
    for query in ["锂离子电池", "神经网络 训练", "污水处理", "焊接 机器人"] {
        let parsed = parse_query(query).unwrap();
        let mut request = SearchRequest::new(query);
        request.limit = 200;
        let results = corpus.index.search_parsed(&parsed, &request).unwrap();
        assert!(results.total > 0, "{query}");
        for hit in &results.hits {
            let doc = corpus
                .docs
                .iter()
                .find(|doc| doc.application_no == hit.application_no)
                .unwrap();
            for term in &parsed.highlights {
                assert!(
                    contains(doc, term),
                    "{query}: {} lacks {term}",
                    hit.application_no
                );
            }
        }
        let scores: Vec<f32> = results.hits.iter().map(|hit| hit.score).collect();
        assert!(
            scores.windows(2).all(|pair| pair[0] >= pair[1]),
            "{query}: sorted by score"
        );
    }
    // With the title boosted, the best hit for a product word has it in its title.
    let results = corpus
        .index
        .search(&SearchRequest::new("锂离子电池"))
        .unwrap();
    assert!(
        results.hits[0].title.contains("锂离子电池"),
        "{}",
        results.hits[0].title
    );
}

/// With facets, words are searched in two passes (an unscored one for the total and facets, then
/// the page by block-max WAND); without, in one scored pass. Both give the same page.
#[test]
fn the_page_is_the_same_with_facets_and_without() {
    let corpus = corpus();
    for query in [
        "锂离子电池",
        "神经网络 训练",
        "装置 -kind:design",
        "污水处理 OR 焊接",
    ] {
        for offset in [0, 7] {
            let mut with = SearchRequest::new(query);
            with.offset = offset;
            with.limit = 15;
            let mut without = with.clone();
            without.facets = false;
            let faceted = corpus.index.search(&with).unwrap();
            let plain = corpus.index.search(&without).unwrap();
            assert!(faceted.facets.is_some() && plain.facets.is_none());
            assert!(faceted.total > 7, "{query}: the second page is not empty");
            assert_eq!(faceted.total, plain.total, "{query}");
            let page = |results: &ipyun_search::SearchResults| -> Vec<(String, f32)> {
                results
                    .hits
                    .iter()
                    .map(|hit| (hit.application_no.clone(), hit.score))
                    .collect()
            };
            assert_eq!(page(&faceted), page(&plain), "{query} from {offset}");
        }
    }
}

#[test]
fn sorting_by_date_and_paging_are_consistent() {
    let corpus = corpus();
    let mut request = SearchRequest::new("\"电池\"");
    request.sort = Sort::FilingDate;
    request.limit = 40;
    request.facets = false;
    let all = corpus.index.search(&request).unwrap();
    let dates: Vec<NaiveDate> = all
        .hits
        .iter()
        .map(|hit| hit.filing_date.unwrap())
        .collect();
    assert!(
        dates.windows(2).all(|pair| pair[0] >= pair[1]),
        "newest first"
    );
    let newest = corpus
        .docs
        .iter()
        .filter(|doc| contains(doc, "电池"))
        .map(|doc| doc.filing_date)
        .max();
    assert_eq!(dates.first().copied(), newest);
    request.limit = 10;
    request.offset = 10;
    let page = corpus.index.search(&request).unwrap();
    assert_eq!(page.total, all.total);
    let page_dates: Vec<NaiveDate> = page
        .hits
        .iter()
        .map(|hit| hit.filing_date.unwrap())
        .collect();
    assert_eq!(page_dates, dates[10..20]);

    request.sort = Sort::Relevance;
    request.offset = 0;
    request.limit = 20;
    let first = corpus.index.search(&request).unwrap();
    request.offset = 5;
    request.limit = 5;
    let second = corpus.index.search(&request).unwrap();
    let numbers = |hits: &[ipyun_search::Hit]| {
        hits.iter()
            .map(|hit| hit.application_no.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers(&second.hits), numbers(&first.hits[5..10]));

    request.limit = 0;
    let counted = corpus.index.search(&request).unwrap();
    assert!(counted.hits.is_empty() && counted.total == all.total);
    request.limit = ipyun_search::MAX_LIMIT + 1;
    assert!(corpus.index.search(&request).is_err());
}

#[test]
fn hits_carry_the_record_fields() {
    let corpus = corpus();
    let doc = &corpus.docs[42];
    let mut request = SearchRequest::new(format!("no:{}", doc.application_no));
    request.facets = false;
    let results = corpus.index.search(&request).unwrap();
    assert_eq!(results.total, 1);
    let hit = &results.hits[0];
    assert_eq!(hit.application_no, doc.application_no);
    assert_eq!(hit.title, doc.title);
    assert_eq!(hit.kind, Some(doc.kind));
    assert_eq!(hit.legal_status, Some(doc.legal_status));
    assert_eq!(hit.filing_date, Some(doc.filing_date));
    assert_eq!(hit.publication_date, doc.publication_date);
    assert_eq!(hit.grant_date, doc.grant_date);
    assert_eq!(hit.applicants, doc.applicants);
    assert_eq!(hit.ipc_main.as_ref(), doc.ipc.first());
    assert_eq!(hit.region_code, doc.region_code);
}

#[test]
fn any_input_parses_or_fails_with_an_error_never_a_panic() {
    let corpus = corpus();
    let alphabet: Vec<char> = "电池\"“”()-: ANDORNT*applicantipcfiled2019..kindregion32H01M\\/：　"
        .chars()
        .collect();
    let mut state = 99u64;
    for _ in 0..400 {
        let mut query = String::new();
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        let length = (state >> 59) as usize + 1;
        for _ in 0..length * 2 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            query.push(alphabet[(state >> 33) as usize % alphabet.len()]);
        }
        match parse_query(&query) {
            Ok(_) => {
                corpus
                    .index
                    .search(&SearchRequest::new(query.clone()))
                    .unwrap();
            }
            Err(error) => assert!(
                error.position <= query.chars().count(),
                "{query:?}: {error}"
            ),
        }
    }
}

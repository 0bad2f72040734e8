#![allow(clippy::unwrap_used)]

use super::*;

fn error(query: &str) -> (usize, &'static str) {
    let error = parse_query(query).unwrap_err();
    (error.position, error.code)
}

fn root(query: &str) -> Node {
    parse_query(query).unwrap().root
}

#[test]
fn syntax_errors_name_position_and_reason() {
    assert_eq!(error(""), (0, "empty_query"));
    assert_eq!(error("   "), (0, "empty_query"));
    assert_eq!(error("，。"), (0, "empty_query"));
    assert_eq!(error("电池 \"锂电池"), (3, "unbalanced_quote"));
    assert_eq!(error("“锂电池"), (0, "unbalanced_quote"));
    assert_eq!(error("(电池 OR 隔膜"), (0, "unbalanced_paren"));
    assert_eq!(error("电池 OR 隔膜)"), (8, "unbalanced_paren"));
    assert_eq!(error("电池 ()"), (3, "empty_group"));
    assert_eq!(error("电池 foo:bar"), (3, "unknown_field"));
    assert_eq!(error("applicant:"), (10, "empty_value"));
    assert_eq!(error("电池 OR"), (3, "dangling_operator"));
    assert_eq!(error("AND 电池"), (0, "dangling_operator"));
    assert_eq!(error("电池 NOT"), (3, "dangling_operator"));
    assert_eq!(error("电池 - 隔膜"), (3, "dangling_operator"));
    assert_eq!(error("\"\""), (0, "empty_phrase"));
    assert_eq!(error("filed:2021..2019"), (6, "bad_date_range"));
    assert_eq!(error("filed:.."), (6, "bad_date_range"));
    assert_eq!(error("filed:2019-13-01"), (6, "bad_date"));
    assert_eq!(error("filed:2019..20x1"), (12, "bad_date"));
    assert_eq!(error("kind:patent"), (5, "bad_kind"));
    assert_eq!(error("status:alive"), (7, "bad_status"));
    assert_eq!(error("ipc:Z99"), (4, "bad_ipc"));
    assert_eq!(error("region:99"), (7, "bad_region"));
    assert_eq!(error("no:202110123456.0"), (3, "bad_application_no"));
    let long = "电".repeat(MAX_QUERY_CHARS + 1);
    assert_eq!(error(&long), (MAX_QUERY_CHARS, "too_long"));
    assert!(parse_query(&"电".repeat(MAX_QUERY_CHARS)).is_ok());
    let many = vec!["电池"; MAX_QUERY_TERMS + 1].join(" ");
    assert_eq!(error(&many), (3 * MAX_QUERY_TERMS, "too_many_terms"));
    let deep = format!("{}电池{}", "(".repeat(40), ")".repeat(40));
    assert_eq!(error(&deep).1, "too_deep");
}

#[test]
fn positions_count_characters_not_bytes() {
    // "锂电池隔膜 " is 6 characters but 16 bytes.
    let found = parse_query("锂电池隔膜 type:x").unwrap_err();
    assert_eq!((found.position, found.code), (6, "unknown_field"));
    assert!(found.to_string().contains("character 6"));
}

#[test]
fn precedence_not_and_or() {
    let node = root("a b OR c -d");
    let Node::Or(children) = node else {
        panic!("{node:?}")
    };
    assert_eq!(children.len(), 2);
    assert!(matches!(&children[0], Node::And(list) if list.len() == 2));
    let Node::And(right) = &children[1] else {
        panic!("{children:?}")
    };
    assert!(matches!(&right[1], Node::Not(_)));
    assert!(matches!(root("NOT (a OR b)"), Node::Not(_)));
    assert!(matches!(root("a AND b"), Node::And(list) if list.len() == 2));
    assert_eq!(root("*"), Node::All);
}

#[test]
fn words_phrases_and_filters() {
    assert!(matches!(root("锂电池"), Node::Word { terms, .. } if terms == ["锂电池"]));
    assert_eq!(root("\"Li电池\""), Node::Phrase("li电池".to_owned()));
    assert_eq!(root("“锂电池隔膜”"), Node::Phrase("锂电池隔膜".to_owned()));
    assert_eq!(
        root("applicant:\"华为 技术\""),
        Node::Filter(Filter::Applicant("华为 技术".to_owned()))
    );
    assert_eq!(
        root("申请人：华为"),
        Node::Filter(Filter::Applicant("华为".to_owned()))
    );
    assert_eq!(
        root("ipc:h01m10"),
        Node::Filter(Filter::Ipc("H01M10".to_owned()))
    );
    assert_eq!(
        root("region:江苏"),
        Node::Filter(Filter::Region("32".to_owned()))
    );
    assert_eq!(
        root("kind:utility_model"),
        Node::Filter(Filter::Kind(PatentKind::UtilityModel))
    );
    assert_eq!(
        root("status:有效"),
        Node::Filter(Filter::Status(LegalStatus::InForce))
    );
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    assert_eq!(
        root("filed:2019..2021"),
        Node::Filter(Filter::Filed(DateRange {
            from: date(2019, 1, 1),
            to: date(2021, 12, 31)
        }))
    );
    assert_eq!(
        root("filed:2020-02"),
        Node::Filter(Filter::Filed(DateRange {
            from: date(2020, 2, 1),
            to: date(2020, 2, 29)
        }))
    );
    assert_eq!(
        root("granted:..2020-06-30"),
        Node::Filter(Filter::Granted(DateRange {
            from: None,
            to: date(2020, 6, 30)
        }))
    );
    assert!(matches!(root("方法：电池"), Node::Word { .. }));
    let parsed = parse_query("锂电池 \"隔膜涂层\" -钠").unwrap();
    assert_eq!(parsed.highlights, ["隔膜涂层", "锂电池"]);
}

#![allow(clippy::unwrap_used)]

use super::*;
use crate::loan::RepaymentMethod;
use crate::right::RightKind;
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn loan() -> ProductDraft {
    ProductDraft {
        kind: Some(ProductKind::Loan),
        name: Some(" 知识产权质押贷 ".into()),
        description: Some("面向科技型中小企业".into()),
        amount_min_fen: Some(10_000_000),
        amount_max_fen: Some(1_000_000_000),
        rate_min_pct: Some(Decimal::new(345, 2)),
        rate_max_pct: Some(Decimal::new(55, 1)),
        months_min: Some(6),
        months_max: Some(36),
        right_kinds: vec![
            RightKind::UtilityModel,
            RightKind::Invention,
            RightKind::Invention,
        ],
        regions: vec!["320500".into()],
        park_ids: vec![],
        ltv_cap_bp: Some(5_000),
        required_designations: vec![],
        repayment_methods: vec![RepaymentMethod::EqualInstalment],
        valid_from: Some(day("2026-01-01")),
        valid_until: Some(day("2026-12-31")),
    }
}

fn fields(draft: &ProductDraft) -> Vec<(String, String)> {
    draft
        .validate()
        .unwrap_err()
        .0
        .into_iter()
        .map(|error| (error.field, error.code))
        .collect()
}

#[test]
fn a_loan_product_is_validated_into_exact_terms() {
    let terms = loan().validate().unwrap();
    assert_eq!(terms.name, "知识产权质押贷");
    assert_eq!((terms.rate_min_ppm, terms.rate_max_ppm), (34_500, 55_000));
    assert_eq!(
        terms.right_kinds,
        vec![RightKind::Invention, RightKind::UtilityModel],
        "sorted, once each"
    );
    assert_eq!(terms.kind.publisher(), crate::party::PartyKind::Lender);
    assert!(terms.valid_on(day("2026-12-31")) && !terms.valid_on(day("2027-01-01")));
}

#[test]
fn every_fault_is_named_at_once() {
    let mut draft = loan();
    draft.name = Some("  ".into());
    draft.amount_min_fen = Some(2_000_000_000);
    draft.rate_max_pct = Some(Decimal::new(-1, 0));
    draft.months_max = Some(361);
    draft.right_kinds.clear();
    draft.regions = vec!["999999".into()];
    draft.ltv_cap_bp = Some(0);
    draft.repayment_methods.clear();
    draft.valid_until = Some(day("2025-12-31"));
    let found = fields(&draft);
    for field in [
        "name",
        "amount_max_fen",
        "rate_max_pct",
        "months_max",
        "right_kinds",
        "regions[0]",
        "ltv_cap_bp",
        "repayment_methods",
        "valid_until",
    ] {
        assert!(
            found.iter().any(|(name, _)| name == field),
            "{field} in {found:?}"
        );
    }
}

#[test]
fn insurance_has_no_loan_only_terms_and_its_publisher_is_an_insurer() {
    let mut draft = loan();
    draft.kind = Some(ProductKind::InfringementInsurance);
    assert_eq!(
        fields(&draft),
        vec![
            ("ltv_cap_bp".to_string(), "not_a_loan".to_string()),
            ("repayment_methods".to_string(), "not_a_loan".to_string())
        ]
    );
    draft.ltv_cap_bp = None;
    draft.repayment_methods.clear();
    let terms = draft.validate().unwrap();
    assert_eq!(terms.kind.publisher(), crate::party::PartyKind::Insurer);
    assert_eq!(
        ProductKind::Guarantee.publisher(),
        crate::party::PartyKind::Guarantor
    );
}

#[test]
fn a_product_serves_the_places_inside_its_regions_and_its_parks() {
    let mut draft = loan();
    draft.regions = vec!["320000".into()];
    draft.park_ids = vec![42];
    let terms = draft.validate().unwrap();
    assert!(terms.serves(Some("320505"), None));
    assert!(!terms.serves(Some("330100"), None));
    assert!(terms.serves(Some("330100"), Some(42)));
    assert!(!terms.serves(None, None));
    let mut nationwide = loan();
    nationwide.regions.clear();
    assert!(nationwide.validate().unwrap().serves(None, None));
}

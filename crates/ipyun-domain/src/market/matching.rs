//! Matchmaking's rules (F3), first part: whether a product can serve a demand (hard rules, each
//! failure worded) and how well (a score in basis points, each part explained). Pure and
//! allocation-light, so ranking thousands of pairs stays cheap.

use super::demand::DemandTerms;
use super::product::{Designation, ProductTerms};
use crate::right::RightKind;
use chrono::NaiveDate;
use serde::Serialize;

/// What matching needs to know of the enterprise behind a demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub region: Option<String>,
    pub park_id: Option<i64>,
    pub designations: Vec<Designation>,
    /// Kinds of the rights the demand offers.
    pub right_kinds: Vec<RightKind>,
    /// The offered rights' value, in fen, when known (for the LTV cap).
    pub collateral_value_fen: Option<i64>,
}

/// Why a product cannot serve a demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mismatch {
    NotOffered,
    AmountOutOfRange,
    TermOutOfRange,
    RightKindNotAccepted,
    OutsideArea,
    DesignationMissing,
    AboveLtvCap,
}

impl Mismatch {
    pub fn label_zh(self) -> &'static str {
        match self {
            Mismatch::NotOffered => "产品不在有效期内",
            Mismatch::AmountOutOfRange => "融资金额不在产品额度范围内",
            Mismatch::TermOutOfRange => "融资期限不在产品期限范围内",
            Mismatch::RightKindNotAccepted => "产品不接受所提供的知识产权类型",
            Mismatch::OutsideArea => "企业不在产品服务的地区或园区",
            Mismatch::DesignationMissing => "企业不具备产品要求的资质",
            Mismatch::AboveLtvCap => "融资金额超过质押率上限",
        }
    }
}

/// The hard rules a product fails for a demand (empty: eligible), in a fixed order.
pub fn mismatches(
    product: &ProductTerms,
    demand: &DemandTerms,
    applicant: &Applicant,
    today: NaiveDate,
) -> Vec<Mismatch> {
    let mut found = Vec::new();
    if !product.valid_on(today) {
        found.push(Mismatch::NotOffered);
    }
    if demand.amount_fen < product.amount_min_fen || demand.amount_fen > product.amount_max_fen {
        found.push(Mismatch::AmountOutOfRange);
    }
    if demand.months < product.months_min || demand.months > product.months_max {
        found.push(Mismatch::TermOutOfRange);
    }
    if applicant.right_kinds.is_empty()
        || !applicant
            .right_kinds
            .iter()
            .any(|kind| product.right_kinds.contains(kind))
    {
        found.push(Mismatch::RightKindNotAccepted);
    }
    if !product.serves(applicant.region.as_deref(), applicant.park_id) {
        found.push(Mismatch::OutsideArea);
    }
    if !product
        .required_designations
        .iter()
        .all(|required| applicant.designations.contains(required))
    {
        found.push(Mismatch::DesignationMissing);
    }
    if let (Some(cap), Some(value)) = (product.ltv_cap_bp, applicant.collateral_value_fen) {
        let limit = i128::from(value) * i128::from(cap) / 10_000;
        if i128::from(demand.amount_fen) > limit {
            found.push(Mismatch::AboveLtvCap);
        }
    }
    found
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::loan::RepaymentMethod;
    use crate::market::{DemandDraft, ProductDraft, ProductKind};
    use rust_decimal::Decimal;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn product() -> ProductTerms {
        ProductDraft {
            kind: Some(ProductKind::Loan),
            name: Some("苏知贷".into()),
            amount_min_fen: Some(10_000_000),
            amount_max_fen: Some(1_000_000_000),
            rate_min_pct: Some(Decimal::new(345, 2)),
            rate_max_pct: Some(Decimal::new(55, 1)),
            months_min: Some(6),
            months_max: Some(36),
            right_kinds: vec![RightKind::Invention],
            regions: vec!["320500".into()],
            ltv_cap_bp: Some(5_000),
            required_designations: vec![Designation::SpecialisedSme],
            repayment_methods: vec![RepaymentMethod::EqualInstalment],
            valid_from: Some(day("2026-01-01")),
            valid_until: Some(day("2026-12-31")),
            ..ProductDraft::default()
        }
        .validate()
        .unwrap()
    }

    fn demand(amount_fen: i64, months: u32) -> DemandTerms {
        DemandDraft {
            amount_fen: Some(amount_fen),
            months: Some(months),
            purpose: Some("扩产".into()),
            ..DemandDraft::default()
        }
        .validate()
        .unwrap()
    }

    fn applicant() -> Applicant {
        Applicant {
            region: Some("320505".into()),
            park_id: None,
            designations: vec![Designation::SpecialisedSme],
            right_kinds: vec![RightKind::Invention],
            collateral_value_fen: Some(1_000_000_000),
        }
    }

    #[test]
    fn an_eligible_demand_fails_no_rule() {
        let found = mismatches(
            &product(),
            &demand(500_000_000, 12),
            &applicant(),
            day("2026-11-23"),
        );
        assert_eq!(found, vec![]);
    }

    #[test]
    fn each_hard_rule_is_named() {
        let mut outsider = applicant();
        outsider.region = Some("330100".into());
        outsider.designations.clear();
        outsider.right_kinds = vec![RightKind::Trademark];
        let found = mismatches(
            &product(),
            &demand(600_000_000, 48),
            &outsider,
            day("2027-01-01"),
        );
        assert_eq!(
            found,
            vec![
                Mismatch::NotOffered,
                Mismatch::TermOutOfRange,
                Mismatch::RightKindNotAccepted,
                Mismatch::OutsideArea,
                Mismatch::DesignationMissing,
                Mismatch::AboveLtvCap
            ]
        );
        let too_small = mismatches(&product(), &demand(1, 12), &applicant(), day("2026-11-23"));
        assert_eq!(too_small, vec![Mismatch::AmountOutOfRange]);
    }

    #[test]
    fn the_ltv_cap_is_exact_at_the_limit() {
        let at_cap = mismatches(
            &product(),
            &demand(500_000_000, 12),
            &applicant(),
            day("2026-11-23"),
        );
        assert!(at_cap.is_empty());
        let above = mismatches(
            &product(),
            &demand(500_000_001, 12),
            &applicant(),
            day("2026-11-23"),
        );
        assert_eq!(above, vec![Mismatch::AboveLtvCap]);
        let mut unknown = applicant();
        unknown.collateral_value_fen = None;
        assert!(
            mismatches(
                &product(),
                &demand(900_000_000, 12),
                &unknown,
                day("2026-11-23")
            )
            .is_empty()
        );
    }
}

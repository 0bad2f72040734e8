//! Matchmaking's rules (F3), first part: whether a product can serve a demand (hard rules, each
//! failure worded). How well it serves one is [`super::scoring`]. Pure and allocation-light, so
//! ranking millions of pairs stays cheap.

use super::demand::DemandTerms;
use super::product::{Designation, ProductKind, ProductTerms};
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

impl Applicant {
    /// The designations an enterprise holds from the years it earned them: a little giant is
    /// chosen among specialised SMEs, so it holds both.
    pub fn designations_from_years(
        specialised_sme_year: Option<i32>,
        little_giant_year: Option<i32>,
    ) -> Vec<Designation> {
        let mut held = Vec::with_capacity(2);
        if specialised_sme_year.is_some() || little_giant_year.is_some() {
            held.push(Designation::SpecialisedSme);
        }
        if little_giant_year.is_some() {
            held.push(Designation::LittleGiant);
        }
        held
    }
}

/// What is asked for: an amount and a term (a demand's, or a product's mid-range for an
/// enterprise that has not asked yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub amount_fen: i64,
    pub months: u32,
}

impl Need {
    pub fn of(demand: &DemandTerms) -> Need {
        Need {
            amount_fen: demand.amount_fen,
            months: demand.months,
        }
    }

    /// The middle of a product's amount and term ranges.
    pub fn mid_range(product: &ProductTerms) -> Need {
        Need {
            amount_fen: product.amount_min_fen
                + (product.amount_max_fen - product.amount_min_fen) / 2,
            months: product.months_min + (product.months_max - product.months_min) / 2,
        }
    }
}

/// Why a product cannot serve a demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mismatch {
    NotOffered,
    KindNotForFinancing,
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
            Mismatch::KindNotForFinancing => "该类产品不提供融资",
            Mismatch::AmountOutOfRange => "融资金额不在产品额度范围内",
            Mismatch::TermOutOfRange => "融资期限不在产品期限范围内",
            Mismatch::RightKindNotAccepted => "产品不接受所提供的知识产权类型",
            Mismatch::OutsideArea => "企业不在产品服务的地区或园区",
            Mismatch::DesignationMissing => "企业不具备产品要求的资质",
            Mismatch::AboveLtvCap => "融资金额超过质押率上限",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Mismatch::NotOffered => "the product is not offered today",
            Mismatch::KindNotForFinancing => "this kind of product does not finance",
            Mismatch::AmountOutOfRange => "the amount is outside the product's range",
            Mismatch::TermOutOfRange => "the term is outside the product's range",
            Mismatch::RightKindNotAccepted => {
                "the product accepts none of the kinds of right offered"
            }
            Mismatch::OutsideArea => "the enterprise is outside the product's regions and parks",
            Mismatch::DesignationMissing => {
                "the enterprise lacks a designation the product requires"
            }
            Mismatch::AboveLtvCap => "the amount exceeds the loan-to-value cap",
        }
    }
}

/// Whether a kind of product serves a financing demand: loans, and the guarantees and pledge
/// insurance that back one; infringement, enforcement and overseas-liability cover do not.
pub fn finances(kind: ProductKind) -> bool {
    matches!(
        kind,
        ProductKind::Loan | ProductKind::Guarantee | ProductKind::PledgeInsurance
    )
}

fn accepts_a_kind(product: &ProductTerms, applicant: &Applicant) -> bool {
    applicant
        .right_kinds
        .iter()
        .any(|kind| product.right_kinds.contains(kind))
}

fn holds_required(product: &ProductTerms, applicant: &Applicant) -> bool {
    product
        .required_designations
        .iter()
        .all(|required| applicant.designations.contains(required))
}

fn within_ltv_cap(product: &ProductTerms, need: Need, applicant: &Applicant) -> bool {
    match (product.ltv_cap_bp, applicant.collateral_value_fen) {
        (Some(cap), Some(value)) => {
            i128::from(need.amount_fen) * 10_000 <= i128::from(value) * i128::from(cap)
        }
        _ => true,
    }
}

/// The hard rules a product fails for a demand (empty: eligible), in a fixed order.
pub fn mismatches(
    product: &ProductTerms,
    demand: &DemandTerms,
    applicant: &Applicant,
    today: NaiveDate,
) -> Vec<Mismatch> {
    mismatches_for(product, Need::of(demand), applicant, today)
}

/// [`mismatches`] for any need.
pub fn mismatches_for(
    product: &ProductTerms,
    need: Need,
    applicant: &Applicant,
    today: NaiveDate,
) -> Vec<Mismatch> {
    let checks = [
        (Mismatch::NotOffered, product.valid_on(today)),
        (Mismatch::KindNotForFinancing, finances(product.kind)),
        (
            Mismatch::AmountOutOfRange,
            (product.amount_min_fen..=product.amount_max_fen).contains(&need.amount_fen),
        ),
        (
            Mismatch::TermOutOfRange,
            (product.months_min..=product.months_max).contains(&need.months),
        ),
        (
            Mismatch::RightKindNotAccepted,
            accepts_a_kind(product, applicant),
        ),
        (
            Mismatch::OutsideArea,
            product.serves(applicant.region.as_deref(), applicant.park_id),
        ),
        (
            Mismatch::DesignationMissing,
            holds_required(product, applicant),
        ),
        (
            Mismatch::AboveLtvCap,
            within_ltv_cap(product, need, applicant),
        ),
    ];
    checks
        .into_iter()
        .filter(|(_, passed)| !passed)
        .map(|(mismatch, _)| mismatch)
        .collect()
}

/// Whether a product can serve a need: [`mismatches_for`] is empty, decided without
/// allocating and stopping at the first failure (the ranker's fast path).
pub fn eligible(
    product: &ProductTerms,
    need: Need,
    applicant: &Applicant,
    today: NaiveDate,
) -> bool {
    finances(product.kind)
        && (product.amount_min_fen..=product.amount_max_fen).contains(&need.amount_fen)
        && (product.months_min..=product.months_max).contains(&need.months)
        && product.valid_on(today)
        && accepts_a_kind(product, applicant)
        && holds_required(product, applicant)
        && within_ltv_cap(product, need, applicant)
        && product.serves(applicant.region.as_deref(), applicant.park_id)
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

    #[test]
    fn the_fast_path_agrees_with_the_worded_rules() {
        let mut base = product();
        let today = day("2026-11-23");
        let mut insurance = base.clone();
        insurance.kind = ProductKind::InfringementInsurance;
        insurance.ltv_cap_bp = None;
        let found = mismatches(&insurance, &demand(500_000_000, 12), &applicant(), today);
        assert_eq!(found, vec![Mismatch::KindNotForFinancing]);
        assert!(!eligible(
            &insurance,
            Need::of(&demand(500_000_000, 12)),
            &applicant(),
            today
        ));
        for (amount, months) in [(500_000_000, 12), (1, 12), (500_000_001, 12), (1_000, 48)] {
            for region in ["320505", "330100"] {
                let mut someone = applicant();
                someone.region = Some(region.into());
                base.required_designations = vec![Designation::LittleGiant];
                for required in [vec![], vec![Designation::LittleGiant]] {
                    base.required_designations = required;
                    let need = Need::of(&demand(amount, months));
                    assert_eq!(
                        eligible(&base, need, &someone, today),
                        mismatches_for(&base, need, &someone, today).is_empty(),
                        "{amount} {months} {region}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_little_giant_is_also_a_specialised_sme_and_a_mid_range_is_the_middle() {
        assert_eq!(Applicant::designations_from_years(None, None), vec![]);
        assert_eq!(
            Applicant::designations_from_years(Some(2022), None),
            vec![Designation::SpecialisedSme]
        );
        assert_eq!(
            Applicant::designations_from_years(None, Some(2024)),
            vec![Designation::SpecialisedSme, Designation::LittleGiant]
        );
        let need = Need::mid_range(&product());
        assert_eq!(
            need,
            Need {
                amount_fen: 505_000_000,
                months: 21
            }
        );
    }
}

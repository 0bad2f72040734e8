#![allow(clippy::unwrap_used)]

use super::screening::{ScreenFilter, factor_value, screen, screen_one};
use super::screening_explain::{bp_points, yuan_text};
use super::screening_rules::{
    AmountRule, CreditGrade, Factor, FactorWeight, IntegrityFlagKind, RuleSetDraft,
    ScreeningFilters, SizeCap,
};
use super::{Designation, EnterpriseFacts, RuleSet};
use crate::party::SizeClass;
use chrono::NaiveDate;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn weights(pairs: &[(Factor, u32)]) -> Vec<FactorWeight> {
    pairs
        .iter()
        .map(|(factor, weight_bp)| FactorWeight {
            factor: *factor,
            weight_bp: *weight_bp,
        })
        .collect()
}

fn draft() -> RuleSetDraft {
    RuleSetDraft {
        name: Some(" 科技贷白名单 ".into()),
        filters: ScreeningFilters {
            min_live_inventions: Some(1),
            no_current_overdue: true,
            no_loss_within_years: Some(3),
            excluded_flags: vec![IntegrityFlagKind::DishonestJudgementDebtor],
            min_tax_grade: Some(CreditGrade::B),
            regions: vec!["320000".into()],
            ..ScreeningFilters::default()
        },
        weights: weights(&[
            (Factor::TaxGrade, 1_500),
            (Factor::InventionPatents, 3_000),
            (Factor::Valuation, 2_500),
            (Factor::RepaymentHistory, 2_000),
            (Factor::Integrity, 1_000),
        ]),
        amount: Some(AmountRule {
            cap_fen: 1_000_000_000,
            valuation_ratio_bp: Some(5_000),
            size_caps: vec![SizeCap {
                size_class: SizeClass::Micro,
                cap_fen: 300_000_000,
            }],
        }),
    }
}

fn rules() -> RuleSet {
    draft().validate().unwrap()
}

fn facts(id: i64) -> EnterpriseFacts {
    EnterpriseFacts {
        enterprise_id: id,
        name: format!("企业{id}"),
        uscc: None,
        region: Some("320505".into()),
        park_id: None,
        size_class: Some(SizeClass::Small),
        specialised_sme: false,
        little_giant: false,
        live_inventions: 3,
        live_rights: 5,
        clean_rights: 4,
        valuation_fen: 1_234_567_891,
        loans: 1,
        loans_ever_overdue: 0,
        days_overdue: 0,
        last_loss_on: None,
        last_npl_on: None,
        tax_grade: Some(CreditGrade::A),
        active_flags: vec![],
        past_flags: 0,
    }
}

#[test]
fn a_rule_set_is_validated_whole() {
    let rules = rules();
    assert_eq!(rules.name, "科技贷白名单");
    let order: Vec<Factor> = rules.weights.iter().map(|weight| weight.factor).collect();
    assert_eq!(
        order,
        vec![
            Factor::InventionPatents,
            Factor::Valuation,
            Factor::RepaymentHistory,
            Factor::TaxGrade,
            Factor::Integrity
        ]
    );
    let mut bad = draft();
    bad.name = None;
    bad.weights = weights(&[(Factor::TaxGrade, 6_000), (Factor::TaxGrade, 3_000)]);
    bad.filters.regions = vec!["999999".into()];
    bad.filters.require_tax_grade = true;
    bad.filters.min_tax_grade = None;
    bad.amount = Some(AmountRule {
        cap_fen: 0,
        valuation_ratio_bp: Some(20_000),
        size_caps: vec![],
    });
    let fields: Vec<(String, String)> = bad
        .validate()
        .unwrap_err()
        .0
        .into_iter()
        .map(|error| (error.field, error.code))
        .collect();
    for expected in [
        ("name", "required"),
        ("weights[1].factor", "duplicate"),
        ("weights", "sum"),
        ("filters.require_tax_grade", "without_min_grade"),
        ("amount.cap_fen", "out_of_range"),
        ("amount.valuation_ratio_bp", "out_of_range"),
    ] {
        assert!(
            fields.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {fields:?}"
        );
    }
    assert!(
        fields
            .iter()
            .any(|(field, _)| field == "filters.regions[0]")
    );
}

#[test]
fn the_score_is_the_exact_sum_of_its_contributions() {
    let rules = rules();
    let result = screen_one(&rules, &facts(1), day("2026-11-23"));
    assert!(result.passed);
    // inventions 3 → 7,000 × 30 % = 2,100; valuation ≥ 10 m yuan → 8,000 × 25 % = 2,000;
    // never overdue → 10,000 × 20 % = 2,000; tax A → 10,000 × 15 % = 1,500; no flag → 1,000.
    let parts: Vec<u32> = result
        .factors
        .iter()
        .map(|part| part.contribution_bp)
        .collect();
    assert_eq!(parts, vec![2_100, 2_000, 2_000, 1_500, 1_000]);
    assert_eq!(result.score_bp, 8_600);
    // min(10 m yuan cap, 12,345,678.91 × 50 % = 6,172,839.45) rounded down to 10,000 yuan.
    assert_eq!(result.pre_approved_fen, 617_000_000);
    let mut micro = facts(2);
    micro.size_class = Some(SizeClass::Micro);
    assert_eq!(
        screen_one(&rules, &micro, day("2026-11-23")).pre_approved_fen,
        300_000_000
    );
    // Weights whose products do not divide evenly round each part down; the sum still matches.
    let odd = RuleSetDraft {
        weights: weights(&[(Factor::RightHealth, 3_333), (Factor::SizeClass, 6_667)]),
        ..draft()
    }
    .validate()
    .unwrap();
    let result = screen_one(&odd, &facts(3), day("2026-11-23"));
    let health = factor_value(Factor::RightHealth, &facts(3), day("2026-11-23"));
    assert_eq!(health, (8_000, 8_000));
    assert_eq!(result.factors[0].contribution_bp, 3_333 * 8_000 / 10_000);
    assert_eq!(
        result.score_bp,
        result
            .factors
            .iter()
            .map(|part| part.contribution_bp)
            .sum::<u32>()
    );
}

#[test]
fn each_failed_filter_is_named_and_worded() {
    let rules = rules();
    let mut risky = facts(4);
    risky.live_inventions = 0;
    risky.days_overdue = 35;
    risky.last_loss_on = Some(day("2025-01-10"));
    risky.active_flags = vec![IntegrityFlagKind::DishonestJudgementDebtor];
    risky.tax_grade = Some(CreditGrade::C);
    risky.region = Some("330100".into());
    let result = screen_one(&rules, &risky, day("2026-11-23"));
    assert!(!result.passed);
    assert_eq!(result.pre_approved_fen, 0);
    let failed: Vec<ScreenFilter> = result
        .filters
        .iter()
        .filter(|outcome| !outcome.passed)
        .map(|outcome| outcome.filter)
        .collect();
    assert_eq!(
        failed,
        vec![
            ScreenFilter::MinLiveInventions,
            ScreenFilter::NoCurrentOverdue,
            ScreenFilter::NoLossWithin,
            ScreenFilter::NoActiveFlags,
            ScreenFilter::MinTaxGrade,
            ScreenFilter::Regions
        ]
    );
    let words = result.explain(&rules);
    assert!(
        words.summary_zh.contains("6项准入条件未通过"),
        "{}",
        words.summary_zh
    );
    assert!(words.filters[1].zh.contains("已逾期35天"));
    assert!(words.filters[3].zh.contains("失信被执行人"));
    assert!(words.filters[4].en.contains("at least B: C"));
    // Loss more than three years back passes; a missing tax grade passes unless required.
    risky.last_loss_on = Some(day("2023-11-23"));
    risky.tax_grade = None;
    let later = screen_one(&rules, &risky, day("2026-11-23"));
    let passed: Vec<ScreenFilter> = later
        .filters
        .iter()
        .filter(|outcome| outcome.passed)
        .map(|outcome| outcome.filter)
        .collect();
    assert_eq!(
        passed,
        vec![ScreenFilter::NoLossWithin, ScreenFilter::MinTaxGrade]
    );
}

#[test]
fn designations_count_a_little_giant_as_a_specialised_sme() {
    let mut draft = draft();
    draft.filters.required_designations = vec![Designation::SpecialisedSme];
    let rules = draft.validate().unwrap();
    let mut giant = facts(5);
    giant.little_giant = true;
    assert!(screen_one(&rules, &giant, day("2026-11-23")).passed);
    assert!(!screen_one(&rules, &facts(6), day("2026-11-23")).passed);
}

#[test]
fn screening_is_deterministic_and_ranks_passed_first() {
    let rules = rules();
    let population: Vec<EnterpriseFacts> = (1..=500)
        .map(|id| {
            let mut one = facts(id);
            one.live_inventions = u32::try_from(id % 12).unwrap();
            one.valuation_fen = id * 7_919_000;
            one.days_overdue = if id % 17 == 0 { 10 } else { 0 };
            one.tax_grade = CreditGrade::ALL
                .get(usize::try_from(id % 6).unwrap())
                .copied();
            one
        })
        .collect();
    let first = screen(&rules, day("2026-11-23"), &population);
    let mut reversed = population.clone();
    reversed.reverse();
    let second = screen(&rules, day("2026-11-23"), &reversed);
    assert_eq!(first, second, "the input order does not matter");
    assert_eq!(first, screen(&rules, day("2026-11-23"), &population));
    let ranks: Vec<u32> = first.iter().map(|result| result.rank).collect();
    assert_eq!(ranks, (1..=500).collect::<Vec<u32>>());
    for pair in first.windows(2) {
        let (above, below) = (&pair[0], &pair[1]);
        assert!(
            (above.passed && !below.passed)
                || (above.passed == below.passed
                    && (above.score_bp > below.score_bp
                        || (above.score_bp == below.score_bp
                            && above.enterprise_id < below.enterprise_id)))
        );
    }
}

#[test]
fn amounts_and_points_are_worded_exactly() {
    assert_eq!(yuan_text(617_000_000), "6170000.00");
    assert_eq!(yuan_text(-5), "-0.05");
    assert_eq!(bp_points(8_605), "86.05");
}

#[test]
fn a_rule_set_round_trips_through_json() {
    let rules = rules();
    let json = serde_json::to_string(&rules).unwrap();
    let back: RuleSet = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rules);
    let grade: CreditGrade = serde_json::from_str("\"M\"").unwrap();
    assert_eq!(grade, CreditGrade::M);
    assert_eq!(CreditGrade::parse("b").unwrap(), CreditGrade::B);
}

//! Screening enterprises for a credit white-list (F4, 授信白名单): each enterprise's facts from the
//! register, valuations, loans, credit grades and integrity flags go through the rule set's hard
//! filters, get a weighted score in basis points and a pre-approved amount; the list is ranked
//! (passed first, then score descending, then enterprise id) and every filter and factor can be
//! worded in Chinese and English. Pure, integer-only and deterministic: the same rule set, date
//! and facts give the same list.
//!
//! The factor curves (model [`SCREENING_MODEL`](super::SCREENING_MODEL)), each to 0..=10,000 bp:
//!
//! | factor | input | value |
//! |---|---|---|
//! | invention_patents | live inventions | 0 → 0; 1 → 3,000; 2 → 5,000; 3–4 → 7,000; 5–9 → 8,500; ≥ 10 → 10,000 |
//! | ip_portfolio | live rights of every kind | 0 → 0; 1–2 → 3,000; 3–5 → 5,000; 6–10 → 7,000; 11–20 → 8,500; ≥ 21 → 10,000 |
//! | valuation | valuation in fen | 0 → 0; < 1 m yuan → 2,000; < 5 m → 4,000; < 10 m → 6,000; < 30 m → 8,000; ≥ 30 m → 10,000 |
//! | right_health | live rights in force without encumbrance | their share of the live rights in bp (0 with none) |
//! | designation | designations | little giant 10,000; specialised SME 7,000; none 0 |
//! | size_class | size class | small 10,000; micro 9,000; medium 8,000; large 4,000; unknown 0 |
//! | repayment_history | loans | overdue now 0; non-performing within 5 years 1,000; ever overdue 5,000; no loan 6,000; never overdue 10,000 |
//! | tax_grade | tax-credit grade | A 10,000; B 8,000; M 6,000; C 2,000; D 0; none 4,000 |
//! | integrity | integrity flags | one in force 0; only ended ones 6,000; none 10,000 |
//!
//! A factor's contribution is weight × value ÷ 10,000, rounded down; the score is the sum of
//! the contributions, so an explanation always adds up to its score.

use super::product::Designation;
use super::screening_rules::{
    AMOUNT_STEP_FEN, CreditGrade, Factor, IntegrityFlagKind, RuleSet, TOTAL_WEIGHT_BP,
};
use crate::party::SizeClass;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One million yuan, in fen.
const MILLION_YUAN_FEN: i64 = 100_000_000;
/// Non-performing loans count against the repayment history for this many years.
const NPL_MEMORY_YEARS: i32 = 5;

/// What screening knows of one enterprise on the screening date: the run's inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EnterpriseFacts {
    pub enterprise_id: i64,
    pub name: String,
    pub uscc: Option<String>,
    pub region: Option<String>,
    pub park_id: Option<i64>,
    pub size_class: Option<SizeClass>,
    pub specialised_sme: bool,
    pub little_giant: bool,
    /// Granted inventions not ended (in force, late-fee period, invalidation pending, preserved,
    /// in dispute).
    pub live_inventions: u32,
    /// Granted or registered rights of every kind not ended.
    pub live_rights: u32,
    /// Live rights in force with no encumbrance.
    pub clean_rights: u32,
    /// Each live right's latest valuation times the enterprise's share, summed, in fen.
    pub valuation_fen: i64,
    /// Loans borrowed (any status).
    pub loans: u32,
    /// Loans that were ever overdue up to the screening date.
    pub loans_ever_overdue: u32,
    /// Days the worst running loan is overdue on the screening date (0: none).
    pub days_overdue: u32,
    /// The last date a loan of the enterprise was classed loss.
    pub last_loss_on: Option<NaiveDate>,
    /// The last date a loan of the enterprise was classed non-performing.
    pub last_npl_on: Option<NaiveDate>,
    /// The latest tax-credit grade up to the screening date.
    pub tax_grade: Option<CreditGrade>,
    /// Integrity flags in force on the screening date, once each, in kind order.
    pub active_flags: Vec<IntegrityFlagKind>,
    /// Flags that ended before the screening date.
    pub past_flags: u32,
}

impl EnterpriseFacts {
    pub fn has(&self, designation: Designation) -> bool {
        match designation {
            Designation::SpecialisedSme => self.specialised_sme || self.little_giant,
            Designation::LittleGiant => self.little_giant,
        }
    }

    fn flag_bits(&self) -> u16 {
        self.active_flags
            .iter()
            .fold(0, |bits, flag| bits | flag.bit())
    }
}

/// A hard filter, in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScreenFilter {
    MinLiveInventions,
    MinLiveRights,
    MinValuation,
    RequiredDesignations,
    ExcludedSizeClasses,
    NoCurrentOverdue,
    NoLossWithin,
    NoActiveFlags,
    MinTaxGrade,
    Regions,
}

/// How an enterprise fared on one filter; `found` is what it showed: a count, fen, days, a
/// grade's rank (A = 4 … D = 0, -1 none), a set of flag bits, or 1/0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FilterOutcome {
    pub filter: ScreenFilter,
    pub passed: bool,
    pub found: i64,
}

/// One factor's part of the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FactorContribution {
    pub factor: Factor,
    /// The input the factor read (see the module's table).
    pub input: i64,
    pub value_bp: u32,
    pub weight_bp: u32,
    /// weight × value ÷ 10,000, rounded down.
    pub contribution_bp: u32,
}

/// One enterprise's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Screened {
    /// 1 is first.
    pub rank: u32,
    pub enterprise_id: i64,
    pub passed: bool,
    /// 0..=10,000.
    pub score_bp: u32,
    /// 0 when a filter failed.
    pub pre_approved_fen: i64,
    pub filters: Vec<FilterOutcome>,
    pub factors: Vec<FactorContribution>,
}

fn step(value: i64, steps: &[(i64, u32)]) -> u32 {
    steps
        .iter()
        .rev()
        .find(|(from, _)| value >= *from)
        .map_or(0, |(_, bp)| *bp)
}

fn grade_rank(grade: Option<CreditGrade>) -> i64 {
    grade.map_or(-1, |grade| grade as i64)
}

/// History codes of the repayment factor's input.
pub(crate) mod history {
    pub const OVERDUE_NOW: i64 = 0;
    pub const RECENT_NPL: i64 = 1;
    pub const EVER_OVERDUE: i64 = 2;
    pub const NO_LOAN: i64 = 3;
    pub const CLEAN: i64 = 4;
}

fn years_before(date: NaiveDate, years: i32) -> NaiveDate {
    date.checked_sub_months(chrono::Months::new(years.unsigned_abs() * 12))
        .unwrap_or(NaiveDate::MIN)
}

/// The factor's input and value for `facts` on `as_of`.
pub fn factor_value(factor: Factor, facts: &EnterpriseFacts, as_of: NaiveDate) -> (i64, u32) {
    match factor {
        Factor::InventionPatents => {
            let count = i64::from(facts.live_inventions);
            let steps = [(1, 3_000), (2, 5_000), (3, 7_000), (5, 8_500), (10, 10_000)];
            (count, step(count, &steps))
        }
        Factor::IpPortfolio => {
            let count = i64::from(facts.live_rights);
            let steps = [
                (1, 3_000),
                (3, 5_000),
                (6, 7_000),
                (11, 8_500),
                (21, 10_000),
            ];
            (count, step(count, &steps))
        }
        Factor::Valuation => {
            let fen = facts.valuation_fen;
            let steps = [
                (1, 2_000),
                (MILLION_YUAN_FEN, 4_000),
                (5 * MILLION_YUAN_FEN, 6_000),
                (10 * MILLION_YUAN_FEN, 8_000),
                (30 * MILLION_YUAN_FEN, 10_000),
            ];
            (fen, step(fen, &steps))
        }
        Factor::RightHealth => {
            let clean = facts.clean_rights.min(facts.live_rights);
            let share = if facts.live_rights == 0 {
                0
            } else {
                u32::try_from(u64::from(clean) * 10_000 / u64::from(facts.live_rights)).unwrap_or(0)
            };
            (i64::from(share), share)
        }
        Factor::Designation => {
            if facts.little_giant {
                (2, 10_000)
            } else if facts.specialised_sme {
                (1, 7_000)
            } else {
                (0, 0)
            }
        }
        Factor::SizeClass => match facts.size_class {
            Some(SizeClass::Small) => (2, 10_000),
            Some(SizeClass::Micro) => (3, 9_000),
            Some(SizeClass::Medium) => (1, 8_000),
            Some(SizeClass::Large) => (0, 4_000),
            None => (-1, 0),
        },
        Factor::RepaymentHistory => {
            let since = years_before(as_of, NPL_MEMORY_YEARS);
            if facts.days_overdue > 0 {
                (history::OVERDUE_NOW, 0)
            } else if facts.last_npl_on.is_some_and(|on| on > since) {
                (history::RECENT_NPL, 1_000)
            } else if facts.loans_ever_overdue > 0 {
                (history::EVER_OVERDUE, 5_000)
            } else if facts.loans == 0 {
                (history::NO_LOAN, 6_000)
            } else {
                (history::CLEAN, 10_000)
            }
        }
        Factor::TaxGrade => {
            let value = match facts.tax_grade {
                Some(CreditGrade::A) => 10_000,
                Some(CreditGrade::B) => 8_000,
                Some(CreditGrade::M) => 6_000,
                Some(CreditGrade::C) => 2_000,
                Some(CreditGrade::D) => 0,
                None => 4_000,
            };
            (grade_rank(facts.tax_grade), value)
        }
        Factor::Integrity => {
            if !facts.active_flags.is_empty() {
                (i64::from(facts.flag_bits()), 0)
            } else if facts.past_flags > 0 {
                (-i64::from(facts.past_flags), 6_000)
            } else {
                (0, 10_000)
            }
        }
    }
}

fn outcome(filter: ScreenFilter, passed: bool, found: i64) -> FilterOutcome {
    FilterOutcome {
        filter,
        passed,
        found,
    }
}

/// The filters the rule set turns on, checked against `facts`.
pub fn check_filters(
    rules: &RuleSet,
    facts: &EnterpriseFacts,
    as_of: NaiveDate,
) -> Vec<FilterOutcome> {
    let filters = &rules.filters;
    let mut found = Vec::with_capacity(4);
    if let Some(min) = filters.min_live_inventions {
        found.push(outcome(
            ScreenFilter::MinLiveInventions,
            facts.live_inventions >= min,
            i64::from(facts.live_inventions),
        ));
    }
    if let Some(min) = filters.min_live_rights {
        found.push(outcome(
            ScreenFilter::MinLiveRights,
            facts.live_rights >= min,
            i64::from(facts.live_rights),
        ));
    }
    if let Some(min) = filters.min_valuation_fen {
        found.push(outcome(
            ScreenFilter::MinValuation,
            facts.valuation_fen >= min,
            facts.valuation_fen,
        ));
    }
    if !filters.required_designations.is_empty() {
        let held = i64::from(facts.specialised_sme || facts.little_giant)
            + 2 * i64::from(facts.little_giant);
        let passed = filters
            .required_designations
            .iter()
            .all(|designation| facts.has(*designation));
        found.push(outcome(ScreenFilter::RequiredDesignations, passed, held));
    }
    if !filters.excluded_size_classes.is_empty() {
        let passed = facts
            .size_class
            .is_none_or(|size| !filters.excluded_size_classes.contains(&size));
        let code = facts.size_class.map_or(-1, |size| size as i64);
        found.push(outcome(ScreenFilter::ExcludedSizeClasses, passed, code));
    }
    if filters.no_current_overdue {
        found.push(outcome(
            ScreenFilter::NoCurrentOverdue,
            facts.days_overdue == 0,
            i64::from(facts.days_overdue),
        ));
    }
    if let Some(years) = filters.no_loss_within_years {
        let since = years_before(as_of, i32::try_from(years).unwrap_or(i32::MAX));
        let days_ago = facts
            .last_loss_on
            .map_or(-1, |on| (as_of - on).num_days().max(0));
        let passed = facts.last_loss_on.is_none_or(|on| on <= since);
        found.push(outcome(ScreenFilter::NoLossWithin, passed, days_ago));
    }
    if !filters.excluded_flags.is_empty() {
        let excluded = filters
            .excluded_flags
            .iter()
            .fold(0_u16, |bits, flag| bits | flag.bit());
        let hit = facts.flag_bits() & excluded;
        found.push(outcome(
            ScreenFilter::NoActiveFlags,
            hit == 0,
            i64::from(hit),
        ));
    }
    if let Some(min) = filters.min_tax_grade {
        let passed = match facts.tax_grade {
            Some(grade) => grade >= min,
            None => !filters.require_tax_grade,
        };
        found.push(outcome(
            ScreenFilter::MinTaxGrade,
            passed,
            grade_rank(facts.tax_grade),
        ));
    }
    if !filters.regions.is_empty() {
        let passed = rules.in_regions(facts.region.as_deref());
        found.push(outcome(ScreenFilter::Regions, passed, i64::from(passed)));
    }
    found
}

/// The pre-approved amount for an enterprise that passed, in fen.
pub fn pre_approved_fen(rules: &RuleSet, facts: &EnterpriseFacts) -> i64 {
    let amount = &rules.amount;
    let mut limit = amount.cap_fen;
    if let Some(ratio) = amount.valuation_ratio_bp {
        let by_value = i128::from(facts.valuation_fen.max(0)) * i128::from(ratio)
            / i128::from(TOTAL_WEIGHT_BP);
        limit = limit.min(i64::try_from(by_value).unwrap_or(i64::MAX));
    }
    if let Some(size) = facts.size_class
        && let Some(cap) = amount.size_caps.iter().find(|cap| cap.size_class == size)
    {
        limit = limit.min(cap.cap_fen);
    }
    limit.max(0) / AMOUNT_STEP_FEN * AMOUNT_STEP_FEN
}

/// Screens one enterprise (its rank still 0).
pub fn screen_one(rules: &RuleSet, facts: &EnterpriseFacts, as_of: NaiveDate) -> Screened {
    let filters = check_filters(rules, facts, as_of);
    let passed = filters.iter().all(|filter| filter.passed);
    let mut score_bp = 0;
    let factors: Vec<FactorContribution> = rules
        .weights
        .iter()
        .map(|weight| {
            let (input, value_bp) = factor_value(weight.factor, facts, as_of);
            let contribution_bp = u32::try_from(
                u64::from(weight.weight_bp) * u64::from(value_bp) / u64::from(TOTAL_WEIGHT_BP),
            )
            .unwrap_or(0);
            score_bp += contribution_bp;
            FactorContribution {
                factor: weight.factor,
                input,
                value_bp,
                weight_bp: weight.weight_bp,
                contribution_bp,
            }
        })
        .collect();
    Screened {
        rank: 0,
        enterprise_id: facts.enterprise_id,
        passed,
        score_bp,
        pre_approved_fen: if passed {
            pre_approved_fen(rules, facts)
        } else {
            0
        },
        filters,
        factors,
    }
}

/// Screens every enterprise and ranks them: passed first, then score descending, then
/// enterprise id ascending (a total order: the same inputs give the same list).
pub fn screen(rules: &RuleSet, as_of: NaiveDate, facts: &[EnterpriseFacts]) -> Vec<Screened> {
    let mut results: Vec<Screened> = facts
        .iter()
        .map(|facts| screen_one(rules, facts, as_of))
        .collect();
    results.sort_by(|left, right| {
        right
            .passed
            .cmp(&left.passed)
            .then(right.score_bp.cmp(&left.score_bp))
            .then(left.enterprise_id.cmp(&right.enterprise_id))
    });
    for (index, result) in results.iter_mut().enumerate() {
        result.rank = u32::try_from(index + 1).unwrap_or(u32::MAX);
    }
    results
}

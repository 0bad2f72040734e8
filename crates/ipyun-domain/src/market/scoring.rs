//! Matchmaking's score (F3): how well an eligible product serves a need, in integer basis
//! points (0..=10,000) made of six named, weighted parts — the amount's and the term's place in
//! the product's ranges, the cost (its rate), the collateral's cover under the loan-to-value
//! cap, how closely the product targets the enterprise's park or region, and the designations
//! the enterprise holds — each worded in Chinese and English. An ineligible pair has no score,
//! only its [`Mismatch`]es. No floats: every figure is an integer, so the order is the same
//! everywhere; ties go to the lower id. [`super::matching::top_products`] ranks thousands of needs
//! against thousands of products with these, without allocating per pair.

use super::matching::{Applicant, Mismatch, Need, eligible, mismatches_for};
use super::product::{Designation, ProductKind, ProductTerms, region_prefix};
use super::scoring_words::{Band, Reason, words};
use chrono::NaiveDate;
use serde::Serialize;

/// A whole score, in basis points.
pub const FULL_BP: u32 = 10_000;

/// A named part of the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScorePart {
    Amount,
    Term,
    Cost,
    Collateral,
    Area,
    Designation,
}

impl ScorePart {
    pub const ALL: [ScorePart; 6] = [
        ScorePart::Amount,
        ScorePart::Term,
        ScorePart::Cost,
        ScorePart::Collateral,
        ScorePart::Area,
        ScorePart::Designation,
    ];

    /// Its weight, in basis points of the whole (the weights sum to 10,000).
    pub fn weight_bp(self) -> u32 {
        match self {
            ScorePart::Amount => 2_500,
            ScorePart::Term => 1_500,
            ScorePart::Cost => 2_500,
            ScorePart::Collateral => 2_000,
            ScorePart::Area => 1_000,
            ScorePart::Designation => 500,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ScorePart::Amount => "额度匹配",
            ScorePart::Term => "期限匹配",
            ScorePart::Cost => "融资成本",
            ScorePart::Collateral => "质押物覆盖",
            ScorePart::Area => "地区定向",
            ScorePart::Designation => "企业资质",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ScorePart::Amount => "amount fit",
            ScorePart::Term => "term fit",
            ScorePart::Cost => "cost",
            ScorePart::Collateral => "collateral cover",
            ScorePart::Area => "targeting",
            ScorePart::Designation => "designations",
        }
    }
}

/// One part's points and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PartScore {
    pub part: ScorePart,
    pub label_zh: String,
    pub label_en: String,
    pub weight_bp: u32,
    /// Points earned, of `weight_bp`.
    pub points_bp: u32,
    pub reason_zh: String,
    pub reason_en: String,
}

/// A hard rule a pair fails, worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MismatchReason {
    pub code: Mismatch,
    pub label_zh: String,
    pub label_en: String,
}

impl From<Mismatch> for MismatchReason {
    fn from(code: Mismatch) -> Self {
        MismatchReason {
            code,
            label_zh: code.label_zh().to_string(),
            label_en: code.label_en().to_string(),
        }
    }
}

/// Why a pair matches as it does: an eligible pair's score and parts, or an ineligible one's
/// failed rules (then no score and no parts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Explanation {
    pub eligible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score_bp: Option<u32>,
    pub parts: Vec<PartScore>,
    pub mismatches: Vec<MismatchReason>,
}

/// A figure's fit in `min..=max`: full in the middle, 40 % at either end.
fn range_fit(value: i64, min: i64, max: i64) -> (u32, Band) {
    if max <= min {
        return (FULL_BP, Band::Middle);
    }
    let position =
        (i128::from(value) - i128::from(min)) * 10_000 / (i128::from(max) - i128::from(min));
    let position = position.clamp(0, 10_000);
    let fit = 10_000 - (position - 5_000).abs() * 6 / 5;
    let band = match position {
        ..2_500 => Band::Low,
        7_501.. => Band::High,
        _ => Band::Middle,
    };
    (u32::try_from(fit).unwrap_or(0), band)
}

fn cost(product: &ProductTerms) -> (u32, Reason<'static>) {
    let loan = product.kind == ProductKind::Loan;
    // A loan's annual rate from 3 % (full) to 8 % (none); a fee or premium from 0.5 % to 3 %.
    let (full_at, zero_at) = if loan {
        (30_000_i64, 80_000_i64)
    } else {
        (5_000, 30_000)
    };
    let mid = product.rate_min_ppm + (product.rate_max_ppm - product.rate_min_ppm) / 2;
    let fit = ((zero_at - mid) * 10_000 / (zero_at - full_at)).clamp(0, 10_000);
    let level = match fit {
        6_000.. => 0,
        3_000.. => 1,
        _ => 2,
    };
    (
        u32::try_from(fit).unwrap_or(0),
        Reason::Cost(level, loan, product.rate_min_ppm, product.rate_max_ppm),
    )
}

fn collateral(product: &ProductTerms, need: Need, applicant: &Applicant) -> (u32, Reason<'static>) {
    let value = match applicant.collateral_value_fen {
        None => return (FULL_BP / 2, Reason::Unvalued),
        Some(value) if value <= 0 => return (0, Reason::Worthless),
        Some(value) => i128::from(value),
    };
    // The loan-to-value, rounded up to the basis point.
    let ltv = (i128::from(need.amount_fen) * 10_000 + value - 1) / value;
    let limit = i128::from(product.ltv_cap_bp.unwrap_or(FULL_BP));
    let fit = if ltv >= limit {
        0
    } else {
        (limit - ltv) * 10_000 / limit
    };
    let ltv = i64::try_from(ltv).unwrap_or(i64::MAX);
    (
        u32::try_from(fit).unwrap_or(0),
        Reason::Covered(
            ltv,
            product.ltv_cap_bp,
            match fit {
                5_000.. => 0,
                2_000.. => 1,
                _ => 2,
            },
        ),
    )
}

fn area<'a>(product: &'a ProductTerms, applicant: &Applicant) -> (u32, Reason<'a>) {
    if applicant
        .park_id
        .is_some_and(|park| product.park_ids.contains(&park))
    {
        return (FULL_BP, Reason::Park);
    }
    let best = applicant.region.as_deref().and_then(|region| {
        product
            .regions
            .iter()
            .filter(|served| region.starts_with(region_prefix(served)))
            .max_by_key(|served| region_prefix(served).len())
    });
    match best {
        Some(served) => {
            let fit = match region_prefix(served).len() {
                6.. => 9_000,
                4 | 5 => 8_000,
                _ => 6_000,
            };
            (fit, Reason::Region(served))
        }
        None if product.regions.is_empty() && product.park_ids.is_empty() => {
            (4_000, Reason::Nationwide)
        }
        None => (0, Reason::Outside),
    }
}

fn designation(product: &ProductTerms, applicant: &Applicant) -> (u32, Reason<'static>) {
    let giant = |list: &[Designation]| list.contains(&Designation::LittleGiant);
    if !product.required_designations.is_empty() {
        let held = product
            .required_designations
            .iter()
            .all(|required| applicant.designations.contains(required));
        if held {
            return (
                FULL_BP,
                Reason::Required(giant(&product.required_designations)),
            );
        }
        return (0, Reason::NoDesignation);
    }
    if applicant.designations.is_empty() {
        (0, Reason::NoDesignation)
    } else {
        (FULL_BP / 2, Reason::Held(giant(&applicant.designations)))
    }
}

/// Each part's points (weighted) and reason, in [`ScorePart::ALL`]'s order.
fn parts<'a>(
    product: &'a ProductTerms,
    need: Need,
    applicant: &Applicant,
) -> [(ScorePart, u32, Reason<'a>); 6] {
    let (amount_fit, amount_band) = range_fit(
        need.amount_fen,
        product.amount_min_fen,
        product.amount_max_fen,
    );
    let (term_fit, term_band) = range_fit(
        i64::from(need.months),
        i64::from(product.months_min),
        i64::from(product.months_max),
    );
    let fits = [
        (
            ScorePart::Amount,
            amount_fit,
            Reason::Amount(
                amount_band,
                need,
                product.amount_min_fen,
                product.amount_max_fen,
            ),
        ),
        (
            ScorePart::Term,
            term_fit,
            Reason::Term(term_band, need, product.months_min, product.months_max),
        ),
        {
            let (fit, reason) = cost(product);
            (ScorePart::Cost, fit, reason)
        },
        {
            let (fit, reason) = collateral(product, need, applicant);
            (ScorePart::Collateral, fit, reason)
        },
        {
            let (fit, reason) = area(product, applicant);
            (ScorePart::Area, fit, reason)
        },
        {
            let (fit, reason) = designation(product, applicant);
            (ScorePart::Designation, fit, reason)
        },
    ];
    fits.map(|(part, fit, reason)| (part, part.weight_bp() * fit.min(FULL_BP) / FULL_BP, reason))
}

/// The score of a pair taken as eligible (the ranker calls it after [`eligible`]).
pub fn score_unchecked(product: &ProductTerms, need: Need, applicant: &Applicant) -> u32 {
    parts(product, need, applicant)
        .iter()
        .map(|(_, points, _)| points)
        .sum()
}

/// A pair's score, or `None` when the product cannot serve the need.
pub fn score(
    product: &ProductTerms,
    need: Need,
    applicant: &Applicant,
    today: NaiveDate,
) -> Option<u32> {
    eligible(product, need, applicant, today).then(|| score_unchecked(product, need, applicant))
}

/// A pair's score with every part worded, or the rules it fails.
pub fn explain(
    product: &ProductTerms,
    need: Need,
    applicant: &Applicant,
    today: NaiveDate,
) -> Explanation {
    let failed = mismatches_for(product, need, applicant, today);
    if !failed.is_empty() {
        return Explanation {
            eligible: false,
            score_bp: None,
            parts: Vec::new(),
            mismatches: failed.into_iter().map(MismatchReason::from).collect(),
        };
    }
    let parts: Vec<PartScore> = parts(product, need, applicant)
        .into_iter()
        .map(|(part, points, reason)| {
            let (reason_zh, reason_en) = words(reason);
            PartScore {
                part,
                label_zh: part.label_zh().to_string(),
                label_en: part.label_en().to_string(),
                weight_bp: part.weight_bp(),
                points_bp: points,
                reason_zh,
                reason_en,
            }
        })
        .collect();
    Explanation {
        eligible: true,
        score_bp: Some(parts.iter().map(|part| part.points_bp).sum()),
        parts,
        mismatches: Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::loan::RepaymentMethod;
    use crate::market::ProductDraft;
    use crate::right::RightKind;
    use rust_decimal::Decimal;

    fn loan(regions: &[&str], parks: &[i64], rate_max: i64, cap: Option<u32>) -> ProductTerms {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1);
        ProductDraft {
            kind: Some(ProductKind::Loan),
            name: Some("知识产权质押贷".into()),
            amount_min_fen: Some(100_000_000),
            amount_max_fen: Some(900_000_000),
            rate_min_pct: Some(Decimal::new(300, 2)),
            rate_max_pct: Some(Decimal::new(rate_max, 2)),
            months_min: Some(6),
            months_max: Some(36),
            right_kinds: vec![RightKind::Invention],
            regions: regions.iter().map(|code| code.to_string()).collect(),
            park_ids: parks.to_vec(),
            ltv_cap_bp: cap,
            repayment_methods: vec![RepaymentMethod::EqualInstalment],
            valid_from: day,
            ..ProductDraft::default()
        }
        .validate()
        .unwrap()
    }

    fn firm(value: Option<i64>) -> Applicant {
        Applicant {
            region: Some("320505".into()),
            park_id: Some(7),
            designations: Applicant::designations_from_years(Some(2023), None),
            right_kinds: vec![RightKind::Invention],
            collateral_value_fen: value,
        }
    }

    #[test]
    fn each_part_is_weighed_worded_and_summed() {
        assert_eq!(
            ScorePart::ALL
                .iter()
                .map(|part| part.weight_bp())
                .sum::<u32>(),
            FULL_BP
        );
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let product = loan(&["320500"], &[], 500, Some(5_000));
        let need = Need {
            amount_fen: 500_000_000,
            months: 21,
        };
        let explained = explain(&product, need, &firm(Some(2_000_000_000)), today);
        let points: Vec<u32> = explained.parts.iter().map(|part| part.points_bp).collect();
        // Mid-range amount and term in full; 4 % on a 3–8 % scale; 25 % of a 50 % cap; city.
        assert_eq!(points, [2_500, 1_500, 2_000, 1_000, 800, 250]);
        assert_eq!(explained.score_bp, Some(8_050));
        assert_eq!(
            score(&product, need, &firm(Some(2_000_000_000)), today),
            Some(8_050)
        );
        assert_eq!(
            explained.parts[0].reason_zh,
            "融资金额500万元处于中段（产品额度100万元–900万元）"
        );
        assert_eq!(
            explained.parts[2].reason_zh,
            "产品年利率3.00%–5.00%，融资成本较低"
        );
        assert_eq!(
            explained.parts[3].reason_zh,
            "质押率25.00%，低于产品上限50.00%，余量充足"
        );
        assert!(
            explained.parts[0]
                .reason_en
                .contains("5,000,000 yuan sits in the middle")
        );
        assert!(explained.mismatches.is_empty());

        // A better-targeted, cheaper product, or better-covered collateral, scores higher.
        let applicant = firm(Some(2_000_000_000));
        let park = score_unchecked(&loan(&["320500"], &[7], 500, Some(5_000)), need, &applicant);
        let nationwide = score_unchecked(&loan(&[], &[], 500, Some(5_000)), need, &applicant);
        let dear = score_unchecked(&loan(&["320500"], &[], 750, Some(5_000)), need, &applicant);
        assert!(park > 8_050 && 8_050 > nationwide && 8_050 > dear);
        assert_eq!((park, nationwide, dear), (8_250, 7_650, 7_425));
        // 45.46 % of a 50 % cap leaves 9.08 % of the part; no valuation: half of it.
        let thin = explain(&product, need, &firm(Some(1_100_000_000)), today);
        assert_eq!((thin.score_bp, thin.parts[3].points_bp), (Some(7_231), 181));
        assert_eq!(thin.parts[3].reason_zh, "质押率45.46%，接近产品上限50.00%");
        let unvalued = explain(&product, need, &firm(None), today);
        assert_eq!(unvalued.parts[3].points_bp, 1_000);
        assert_eq!(
            unvalued.parts[3].reason_zh,
            "质押物尚无评估价值，按中性计分"
        );

        // Ineligible: no score, the rules it fails in words.
        let far = Need {
            amount_fen: 1_000_000_000,
            months: 48,
        };
        let refused = explain(&product, far, &applicant, today);
        assert_eq!(score(&product, far, &applicant, today), None);
        assert!(!refused.eligible && refused.parts.is_empty() && refused.score_bp.is_none());
        let labels: Vec<&str> = refused
            .mismatches
            .iter()
            .map(|found| found.label_zh.as_str())
            .collect();
        assert_eq!(
            labels,
            ["融资金额不在产品额度范围内", "融资期限不在产品期限范围内"]
        );
    }
}

//! Market approach, comparable transactions (市场法，交易案例比较): the right is worth what similar
//! rights fetched, each price adjusted for how the subject differs.
//!
//! Each comparable's adjusted price = price × Π multipliers, where an adjustment is given as a
//! multiplier m (0 < m ≤ 10) or a percentage p (−100 < p ≤ 100, i.e. m = 1 + p ÷ 100). The value
//! is the weighted mean Σ wᵢ × adjustedᵢ ÷ Σ wᵢ (weights 0.01–100, default 1). The spread: the
//! lowest and highest adjusted price, their range and its share of the value, and the weighted
//! coefficient of variation √(Σ sᵢ × (adjustedᵢ ÷ value − 1)²) with sᵢ = wᵢ ÷ Σ w.
//! All comparables must be of one kind: licence fees and sale prices do not mix.

use super::Assumption;
use super::number::{MAX_LIST, Pct, PctRange, amount_yuan, keep, list_len, name, sqrt};
use crate::field::{FieldError, FieldErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The most adjustments on one comparable.
pub const MAX_ADJUSTMENTS: usize = 10;
/// The most the adjustments together may multiply (or 1 ÷ this divide) one price by: a
/// comparable that needs more is not comparable.
pub const MAX_COMBINED_MULTIPLIER: i64 = 100;

/// What a comparable's price is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriceKind {
    /// A licence fee (许可使用费): the result is the value of a like licence.
    #[default]
    LicenceFee,
    /// A sale (transfer) price (转让价格): the result is the value of the right.
    SalePrice,
}

/// A comparable-transactions valuation as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MarketInput {
    /// 1–50 comparable transactions, all of one kind.
    pub comparables: Vec<ComparableInput>,
}

/// One comparable transaction.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComparableInput {
    /// What it was, e.g. a contract number or a short description.
    pub name: String,
    pub kind: PriceKind,
    /// The licence fee or sale price in yuan, above 0.
    pub price_yuan: Decimal,
    /// Its weight in the mean, 0.01–100; default 1.
    #[serde(default)]
    pub weight: Option<Decimal>,
    /// Adjustments for the subject's differences (time, technology, remaining life, scope…).
    #[serde(default)]
    pub adjustments: Vec<AdjustmentInput>,
}

/// One adjustment: a multiplier or a percentage, not both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AdjustmentInput {
    /// The factor, e.g. `time`, `technology`, `remaining_life`, `scope`.
    pub factor: String,
    /// 0 < m ≤ 10, e.g. 1.05.
    #[serde(default)]
    pub multiplier: Option<Decimal>,
    /// −100 < p ≤ 100, e.g. −10 for 10 % less.
    #[serde(default)]
    pub pct: Option<Decimal>,
}

/// One adjustment applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Adjustment {
    pub factor: String,
    /// The percentage when it was given as one.
    pub pct: Option<Decimal>,
    pub multiplier: Decimal,
}

/// One comparable's working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AdjustedComparable {
    pub name: String,
    pub price_yuan: Decimal,
    pub adjustments: Vec<Adjustment>,
    /// Π of the adjustments' multipliers.
    pub multiplier: Decimal,
    pub adjusted_price_yuan: Decimal,
    pub weight: Decimal,
    /// wᵢ ÷ Σ w.
    pub weight_share: Decimal,
}

/// The result with its working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MarketComparison {
    pub kind: PriceKind,
    pub comparables: Vec<AdjustedComparable>,
    pub weight_total: Decimal,
    pub lowest_yuan: Decimal,
    pub highest_yuan: Decimal,
    /// Highest − lowest.
    pub range_yuan: Decimal,
    /// Range ÷ value × 100.
    pub range_pct: Decimal,
    /// The weighted coefficient of variation in percent.
    pub coefficient_of_variation_pct: Decimal,
    /// The weighted mean of the adjusted prices, full precision.
    pub value_yuan: Decimal,
    pub assumptions: Vec<Assumption>,
}

impl MarketInput {
    /// Validates the comparables (every problem at once, each naming its input) and values the right.
    pub fn value(&self) -> Result<MarketComparison, FieldErrors> {
        let mut errors = FieldErrors::default();
        keep(
            &mut errors,
            list_len(
                "comparables",
                "comparable transactions",
                self.comparables.len(),
                MAX_LIST,
            ),
        );
        let first_kind = self.comparables.first().map(|first| first.kind);
        let mut adjusted = Vec::with_capacity(self.comparables.len());
        for (index, comparable) in self.comparables.iter().enumerate() {
            let field = format!("comparables[{index}]");
            if Some(comparable.kind) != first_kind {
                errors.push(FieldError::new(
                    format!("{field}.kind"),
                    "mixed_kinds",
                    "licence fees and sale prices do not mix: give comparables of one kind",
                ));
            }
            if let Some(one) = comparable.parse(&field, &mut errors) {
                adjusted.push(one);
            }
        }
        match (first_kind, errors.is_empty()) {
            (Some(kind), true) => Ok(compute(kind, adjusted)),
            _ => Err(errors),
        }
    }
}

impl ComparableInput {
    fn parse(&self, field: &str, errors: &mut FieldErrors) -> Option<AdjustedComparable> {
        let before = errors.0.len();
        let name = keep(errors, name(&format!("{field}.name"), &self.name));
        let price_field = format!("{field}.price_yuan");
        let price = keep(
            errors,
            amount_yuan(&price_field, "a price", self.price_yuan),
        );
        if price.is_some_and(|price| price.is_zero()) {
            errors.push(FieldError::new(
                &price_field,
                "not_positive",
                "a price must be above 0",
            ));
        }
        let weight = self.weight.unwrap_or(Decimal::ONE);
        if weight < Decimal::new(1, 2) || weight > Decimal::ONE_HUNDRED {
            errors.push(FieldError::new(
                format!("{field}.weight"),
                "out_of_range",
                format!("a weight must be from 0.01 to 100, got {weight}"),
            ));
        }
        let adjustments = self.adjustments(field, errors);
        if errors.0.len() != before {
            return None;
        }
        let (name, price_yuan, adjustments) = (name?, price?, adjustments?);
        let multiplier: Decimal = adjustments.iter().map(|one| one.multiplier).product();
        let most = Decimal::from(MAX_COMBINED_MULTIPLIER);
        if multiplier > most || multiplier * most < Decimal::ONE {
            errors.push(FieldError::new(
                format!("{field}.adjustments"),
                "out_of_range",
                format!(
                    "the adjustments together multiply the price by {multiplier}: a comparable \
                     needs at most ×{MAX_COMBINED_MULTIPLIER} or ÷{MAX_COMBINED_MULTIPLIER}"
                ),
            ));
            return None;
        }
        Some(AdjustedComparable {
            name,
            price_yuan,
            adjustments,
            multiplier,
            adjusted_price_yuan: price_yuan * multiplier,
            weight,
            weight_share: Decimal::ZERO,
        })
    }

    fn adjustments(&self, field: &str, errors: &mut FieldErrors) -> Option<Vec<Adjustment>> {
        if self.adjustments.len() > MAX_ADJUSTMENTS {
            errors.push(FieldError::new(
                format!("{field}.adjustments"),
                "too_many",
                format!(
                    "at most {MAX_ADJUSTMENTS} adjustments are allowed, got {}",
                    self.adjustments.len()
                ),
            ));
            return None;
        }
        let before = errors.0.len();
        let mut applied = Vec::with_capacity(self.adjustments.len());
        for (index, input) in self.adjustments.iter().enumerate() {
            let path = format!("{field}.adjustments[{index}]");
            let factor = keep(errors, name(&format!("{path}.factor"), &input.factor));
            let multiplier = match (input.multiplier, input.pct) {
                (Some(multiplier), None) => {
                    if multiplier <= Decimal::ZERO || multiplier > Decimal::TEN {
                        errors.push(FieldError::new(
                            format!("{path}.multiplier"),
                            "out_of_range",
                            format!(
                                "a multiplier must be above 0 and at most 10, got {multiplier}"
                            ),
                        ));
                    }
                    Some((None, multiplier))
                }
                (None, Some(pct)) => keep(
                    errors,
                    Pct::parse(
                        &format!("{path}.pct"),
                        "an adjustment",
                        pct,
                        PctRange::AboveMinus100,
                    ),
                )
                .map(|pct| (Some(pct.pct()), Decimal::ONE + pct.fraction())),
                _ => {
                    errors.push(FieldError::new(
                        &path,
                        "multiplier_or_pct",
                        "give an adjustment's multiplier or its pct, exactly one",
                    ));
                    None
                }
            };
            if let (Some(factor), Some((pct, multiplier))) = (factor, multiplier) {
                applied.push(Adjustment {
                    factor,
                    pct,
                    multiplier,
                });
            }
        }
        (errors.0.len() == before).then_some(applied)
    }
}

fn compute(kind: PriceKind, mut comparables: Vec<AdjustedComparable>) -> MarketComparison {
    let weight_total: Decimal = comparables.iter().map(|one| one.weight).sum();
    for one in &mut comparables {
        one.weight_share = one.weight / weight_total;
    }
    let weighted_sum: Decimal = comparables
        .iter()
        .map(|one| one.weight * one.adjusted_price_yuan)
        .sum();
    let value_yuan = weighted_sum / weight_total;
    let prices = comparables.iter().map(|one| one.adjusted_price_yuan);
    let lowest_yuan = prices.clone().min().unwrap_or_default();
    let highest_yuan = prices.max().unwrap_or_default();
    let range_yuan = highest_yuan - lowest_yuan;
    // Relative deviations keep the squares small: sᵢ × dᵢ is at most 1 in size.
    let relative_variance: Decimal = comparables
        .iter()
        .map(|one| {
            let deviation = one.adjusted_price_yuan / value_yuan - Decimal::ONE;
            one.weight_share * deviation * deviation
        })
        .sum();
    let kind_words = match kind {
        PriceKind::LicenceFee => (
            "许可使用费",
            "licence fees",
            "一项同类许可",
            "a like licence",
        ),
        PriceKind::SalePrice => ("转让价格", "sale prices", "本权利", "the right"),
    };
    let assumptions = vec![
        Assumption::new(
            format!(
                "可比交易为 {} 项{}，结果为{}的价值",
                comparables.len(),
                kind_words.0,
                kind_words.2
            ),
            format!(
                "{} comparable {}: the result is the value of {}",
                comparables.len(),
                kind_words.1,
                kind_words.3
            ),
        ),
        Assumption::new(
            "各修正系数连乘；百分比修正 p 折算为系数 1 + p ÷ 100",
            "the adjustments multiply; a percentage p is the multiplier 1 + p ÷ 100",
        ),
        Assumption::new(
            "评估值为修正后价格的加权平均数",
            "the value is the weighted mean of the adjusted prices",
        ),
    ];
    MarketComparison {
        kind,
        weight_total,
        lowest_yuan,
        highest_yuan,
        range_yuan,
        range_pct: range_yuan / value_yuan * Decimal::ONE_HUNDRED,
        coefficient_of_variation_pct: sqrt(relative_variance) * Decimal::ONE_HUNDRED,
        value_yuan,
        comparables,
        assumptions,
    }
}

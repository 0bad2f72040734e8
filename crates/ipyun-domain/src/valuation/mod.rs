//! Valuation of ip rights (feature V1): the three approaches, in exact decimals.
//!
//! - Income approach: relief from royalty (`ReliefFromRoyaltyInput`) and multi-period excess
//!   earnings (`ExcessEarningsInput`), with end-of-year or mid-year discounting, an optional
//!   remaining economic life or terminal value, and an optional tax-amortisation benefit
//!   (`discount`).
//! - Market approach: comparable transactions (`MarketInput`).
//! - Cost approach: reproduction or replacement cost less obsolescence (`CostInput`).
//!
//! Each `*Input` is what a user submits (serde, `utoipa::ToSchema`); its `value()` validates every
//! input at once (each error names the input, e.g. `revenues[2]` / `negative`) and returns the
//! result with its working (per-year lines, subtotals, factors) and its assumptions in words (zh,
//! en). `ValuationInputs` holds any of the four; `ValuationRecord` adds purpose, who and when.
//!
//! Numbers are `rust_decimal::Decimal` (never floats): inputs and working keep full precision;
//! only display rounds, to the fen, half away from zero (`round_yuan`, `format_yuan`, `to_fen`).
//!
//! This module does not know: storage, who may value what, or the time (the caller passes who and
//! when), nor industry royalty-rate tables.

mod cost;
mod discount;
mod excess;
mod market;
mod number;
mod record;
mod royalty;
mod terms;

#[cfg(test)]
mod tests;

pub use cost::{
    CostBasis, CostInput, CostItem, CostItemInput, CostValuation, ObsolescenceKind,
    ObsolescenceStep,
};
pub use discount::{
    DiscountConvention, IncomeTotals, TaxAmortisationBenefit, TerminalValue, annuity_factor,
    discount_factor, tab_factor,
};
pub use excess::{
    ContributoryAssetChargeInput, ContributoryCharge, ExcessEarnings, ExcessEarningsInput,
    ExcessEarningsYear,
};
pub use market::{
    AdjustedComparable, Adjustment, AdjustmentInput, ComparableInput, MAX_ADJUSTMENTS,
    MAX_COMBINED_MULTIPLIER, MarketComparison, MarketInput, PriceKind,
};
pub use number::{
    MAX_AMOUNT_YUAN, MAX_LIST, MAX_NAME_CHARS, MAX_PCT_DECIMALS, MAX_YEARS, format_yuan,
    parse_decimal, parse_decimal_list, round_yuan, to_fen,
};
pub use record::{
    ValuationApproach, ValuationInputs, ValuationMethod, ValuationPurpose, ValuationRecord,
    ValuationResult,
};
pub use royalty::{ReliefFromRoyalty, ReliefFromRoyaltyInput, RoyaltyYear};
pub use rust_decimal::{Decimal, RoundingStrategy};
pub use terms::DiscountingInput;

use serde::{Deserialize, Serialize};

/// One assumption of a valuation, in words, in Chinese and in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Assumption {
    pub zh: String,
    pub en: String,
}

impl Assumption {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The rounding rule every valuation states.
    pub fn rounding() -> Self {
        Self::new(
            "全程以精确小数计算，仅在列示时按四舍五入保留到分",
            "exact decimals throughout; rounded to the fen (0.01 yuan), half away from zero, \
             only for display",
        )
    }
}

//! A valuation as a record: method, every input, the assumptions in words, the result, who made
//! it, when and for what purpose. Storage is the db crate's; these types only serialise.

use super::Assumption;
use super::cost::{CostInput, CostValuation};
use super::excess::{ExcessEarnings, ExcessEarningsInput};
use super::market::{MarketComparison, MarketInput};
use super::number::{MAX_AMOUNT_YUAN, MAX_NAME_CHARS, to_fen};
use super::royalty::{ReliefFromRoyalty, ReliefFromRoyaltyInput};
use crate::field::{FieldError, FieldErrors};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The three approaches (收益法 / 市场法 / 成本法).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValuationApproach {
    Income,
    Market,
    Cost,
}

/// The methods, each of one approach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValuationMethod {
    /// 许可费节省法 (income).
    ReliefFromRoyalty,
    /// 多期超额收益法 (income).
    ExcessEarnings,
    /// 交易案例比较法 (market).
    MarketComparables,
    /// 重置成本法 (cost).
    Cost,
}

impl ValuationMethod {
    pub fn approach(self) -> ValuationApproach {
        match self {
            ValuationMethod::ReliefFromRoyalty | ValuationMethod::ExcessEarnings => {
                ValuationApproach::Income
            }
            ValuationMethod::MarketComparables => ValuationApproach::Market,
            ValuationMethod::Cost => ValuationApproach::Cost,
        }
    }

    /// The stable code, as serialised.
    pub fn code(self) -> &'static str {
        match self {
            ValuationMethod::ReliefFromRoyalty => "relief_from_royalty",
            ValuationMethod::ExcessEarnings => "excess_earnings",
            ValuationMethod::MarketComparables => "market_comparables",
            ValuationMethod::Cost => "cost",
        }
    }

    /// The name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            ValuationMethod::ReliefFromRoyalty => "收益法（许可费节省法）",
            ValuationMethod::ExcessEarnings => "收益法（多期超额收益法）",
            ValuationMethod::MarketComparables => "市场法（交易案例比较法）",
            ValuationMethod::Cost => "成本法",
        }
    }

    /// The name in English.
    pub fn name_en(self) -> &'static str {
        match self {
            ValuationMethod::ReliefFromRoyalty => "income approach: relief from royalty",
            ValuationMethod::ExcessEarnings => "income approach: multi-period excess earnings",
            ValuationMethod::MarketComparables => "market approach: comparable transactions",
            ValuationMethod::Cost => "cost approach",
        }
    }
}

/// What a valuation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValuationPurpose {
    /// 质押融资.
    Pledge,
    /// 许可.
    Licence,
    /// 转让.
    Transfer,
    /// 财务报告.
    Reporting,
}

/// The inputs of any method, tagged by `method`: `{"method":"relief_from_royalty","revenues":…}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum ValuationInputs {
    ReliefFromRoyalty(ReliefFromRoyaltyInput),
    ExcessEarnings(ExcessEarningsInput),
    MarketComparables(MarketInput),
    Cost(CostInput),
}

/// The result of any method with its working, tagged by `method`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum ValuationResult {
    ReliefFromRoyalty(ReliefFromRoyalty),
    ExcessEarnings(ExcessEarnings),
    MarketComparables(MarketComparison),
    Cost(CostValuation),
}

impl ValuationInputs {
    pub fn method(&self) -> ValuationMethod {
        match self {
            ValuationInputs::ReliefFromRoyalty(_) => ValuationMethod::ReliefFromRoyalty,
            ValuationInputs::ExcessEarnings(_) => ValuationMethod::ExcessEarnings,
            ValuationInputs::MarketComparables(_) => ValuationMethod::MarketComparables,
            ValuationInputs::Cost(_) => ValuationMethod::Cost,
        }
    }

    /// Validates the inputs and values the right by their method.
    pub fn value(&self) -> Result<ValuationResult, FieldErrors> {
        Ok(match self {
            ValuationInputs::ReliefFromRoyalty(input) => {
                ValuationResult::ReliefFromRoyalty(input.value()?)
            }
            ValuationInputs::ExcessEarnings(input) => {
                ValuationResult::ExcessEarnings(input.value()?)
            }
            ValuationInputs::MarketComparables(input) => {
                ValuationResult::MarketComparables(input.value()?)
            }
            ValuationInputs::Cost(input) => ValuationResult::Cost(input.value()?),
        })
    }
}

impl ValuationResult {
    pub fn method(&self) -> ValuationMethod {
        match self {
            ValuationResult::ReliefFromRoyalty(_) => ValuationMethod::ReliefFromRoyalty,
            ValuationResult::ExcessEarnings(_) => ValuationMethod::ExcessEarnings,
            ValuationResult::MarketComparables(_) => ValuationMethod::MarketComparables,
            ValuationResult::Cost(_) => ValuationMethod::Cost,
        }
    }

    /// The value in yuan, full precision.
    pub fn value_yuan(&self) -> Decimal {
        match self {
            ValuationResult::ReliefFromRoyalty(result) => result.totals.value_yuan,
            ValuationResult::ExcessEarnings(result) => result.totals.value_yuan,
            ValuationResult::MarketComparables(result) => result.value_yuan,
            ValuationResult::Cost(result) => result.value_yuan,
        }
    }

    /// The method's assumptions, in words.
    pub fn assumptions(&self) -> &[Assumption] {
        match self {
            ValuationResult::ReliefFromRoyalty(result) => &result.assumptions,
            ValuationResult::ExcessEarnings(result) => &result.assumptions,
            ValuationResult::MarketComparables(result) => &result.assumptions,
            ValuationResult::Cost(result) => &result.assumptions,
        }
    }
}

/// A valuation as a record, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ValuationRecord {
    pub method: ValuationMethod,
    pub purpose: ValuationPurpose,
    /// Every input, as submitted.
    pub inputs: ValuationInputs,
    /// Every assumption in words: the method's, then the rounding rule.
    pub assumptions: Vec<Assumption>,
    /// The result with its working.
    pub result: ValuationResult,
    /// The value, full precision.
    pub value_yuan: Decimal,
    /// The value rounded to the fen (half away from zero), as money is stored.
    pub value_fen: i64,
    /// Who made it: the user's name or the appraiser's (1–100 characters).
    pub valued_by: String,
    /// When, from the injected clock.
    pub valued_at: DateTime<Utc>,
}

impl ValuationRecord {
    /// Values the right and records it. Errors name the input (`revenues[2]`, `valued_by`).
    pub fn new(
        inputs: ValuationInputs,
        purpose: ValuationPurpose,
        valued_by: &str,
        valued_at: DateTime<Utc>,
    ) -> Result<ValuationRecord, FieldErrors> {
        let mut errors = FieldErrors::default();
        let valued_by = valued_by.trim();
        if valued_by.is_empty() {
            errors.push(FieldError::required("valued_by"));
        } else if valued_by.chars().count() > MAX_NAME_CHARS {
            errors.push(FieldError::new(
                "valued_by",
                "too_long",
                format!("at most {MAX_NAME_CHARS} characters"),
            ));
        }
        let result = match inputs.value() {
            Ok(result) => Some(result),
            Err(found) => {
                errors.0.extend(found.0);
                None
            }
        };
        let Some(result) = result else {
            return Err(errors);
        };
        let value_yuan = result.value_yuan();
        let value_fen = to_fen(value_yuan).filter(|fen| fen.abs() / 100 <= MAX_AMOUNT_YUAN);
        if value_fen.is_none() {
            errors.push(FieldError::new(
                "value_yuan",
                "above_maximum",
                format!(
                    "the value {value_yuan} yuan is beyond {MAX_AMOUNT_YUAN} yuan: check the inputs"
                ),
            ));
        }
        errors.into_result()?;
        let mut assumptions = result.assumptions().to_vec();
        assumptions.push(Assumption::rounding());
        Ok(ValuationRecord {
            method: inputs.method(),
            purpose,
            inputs,
            assumptions,
            value_fen: value_fen.unwrap_or_default(),
            value_yuan,
            result,
            valued_by: valued_by.to_string(),
            valued_at,
        })
    }
}

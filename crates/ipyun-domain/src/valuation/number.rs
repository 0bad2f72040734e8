//! Exact decimals for valuation: parsing, the bounds every input obeys, validated rates and the
//! one rounding rule for display.
//!
//! Arithmetic is `rust_decimal`'s: sums, differences and products of the inputs are exact; a
//! quotient (a discount factor, a mean) keeps 28 significant digits, far below a fen. Nothing is
//! rounded on the way: only [`round_yuan`] rounds, for display and storage, to the fen (two
//! decimals of yuan), half away from zero (四舍五入), never banker's rounding.

use crate::field::{FieldError, FieldErrors};
use rust_decimal::{Decimal, RoundingStrategy};

/// The longest forecast or economic life, in years.
pub const MAX_YEARS: u32 = 50;
/// The largest amount any input may state: one quadrillion yuan (10^15), far above any right's
/// value and far below the decimal's range, so no computation here can overflow.
pub const MAX_AMOUNT_YUAN: i64 = 1_000_000_000_000_000;
/// The most decimals a percentage may have (0.0001 %): keeps every quotient (a TAB factor, a
/// terminal value's 1 ÷ (r − g)) within bounds.
pub const MAX_PCT_DECIMALS: u32 = 4;
/// The most entries in a list (comparables, cost items, adjustments, asset classes).
pub const MAX_LIST: usize = 50;
/// The longest name of a cost item, comparable, factor or asset class, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Rounds an amount of yuan to the fen, half away from zero (四舍五入): 0.005 → 0.01.
pub fn round_yuan(amount_yuan: Decimal) -> Decimal {
    amount_yuan.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// An amount of yuan as shown: always two decimals, e.g. `1234567.89`, `-0.50`.
pub fn format_yuan(amount_yuan: Decimal) -> String {
    let rounded = round_yuan(amount_yuan);
    if rounded.is_zero() {
        return "0.00".to_string();
    }
    format!("{rounded:.2}")
}

/// The amount rounded to whole fen as storage keeps money (`None` past ±10^15 yuan).
pub fn to_fen(amount_yuan: Decimal) -> Option<i64> {
    let fen = round_yuan(amount_yuan) * Decimal::ONE_HUNDRED;
    i64::try_from(fen.trunc()).ok()
}

/// Parses one decimal as typed (`1000000`, `5.5`, `-3`), naming `field` when it is not one.
/// Exact: a value with more digits than the decimal holds is refused, not rounded.
pub fn parse_decimal(field: &str, text: &str) -> Result<Decimal, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(FieldError::required(field));
    }
    Decimal::from_str_exact(trimmed).map_err(|_| {
        FieldError::new(
            field,
            "not_a_number",
            format!("{trimmed:?} is not a decimal number"),
        )
    })
}

/// Parses a comma-separated list of decimals (`1000000,1100000`), naming every bad entry
/// `field[i]`. An empty text is an empty list.
pub fn parse_decimal_list(field: &str, text: &str) -> Result<Vec<Decimal>, FieldErrors> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut errors = FieldErrors::default();
    let values: Vec<Decimal> = text
        .split(',')
        .enumerate()
        .filter_map(|(index, part)| {
            keep(
                &mut errors,
                parse_decimal(&format!("{field}[{index}]"), part),
            )
        })
        .collect();
    errors.into_result().map(|()| values)
}

/// An amount of yuan, 0 ≤ amount ≤ [`MAX_AMOUNT_YUAN`].
pub(crate) fn amount_yuan(field: &str, what: &str, value: Decimal) -> Result<Decimal, FieldError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(FieldError::new(
            field,
            "negative",
            format!("{what} must not be negative, got {value}"),
        ));
    }
    if value > Decimal::from(MAX_AMOUNT_YUAN) {
        return Err(FieldError::new(
            field,
            "above_maximum",
            format!("{what} must be at most {MAX_AMOUNT_YUAN} yuan, got {value}"),
        ));
    }
    Ok(value)
}

/// An amount of yuan that may be negative (a loss year's cash flow), |amount| ≤ [`MAX_AMOUNT_YUAN`].
pub(crate) fn signed_amount_yuan(
    field: &str,
    what: &str,
    value: Decimal,
) -> Result<Decimal, FieldError> {
    if value.abs() > Decimal::from(MAX_AMOUNT_YUAN) {
        return Err(FieldError::new(
            field,
            "above_maximum",
            format!("{what} must be within ±{MAX_AMOUNT_YUAN} yuan, got {value}"),
        ));
    }
    Ok(value)
}

/// Which percentages an input accepts. Every rate is at most 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PctRange {
    /// 0 < p ≤ 100: a royalty rate, a discount rate.
    Positive,
    /// 0 ≤ p ≤ 100: a tax rate, an obsolescence, a charge.
    NonNegative,
    /// −100 < p ≤ 100: a growth rate, an adjustment.
    AboveMinus100,
}

/// A validated percentage: `Pct::fraction` is p ÷ 100, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pct(Decimal);

impl Pct {
    pub(crate) fn parse(
        field: &str,
        what: &str,
        value: Decimal,
        range: PctRange,
    ) -> Result<Pct, FieldError> {
        if value > Decimal::ONE_HUNDRED {
            return Err(FieldError::new(
                field,
                "above_maximum",
                format!("{what} must be at most 100 %, got {value} %"),
            ));
        }
        if value.normalize().scale() > MAX_PCT_DECIMALS {
            return Err(FieldError::new(
                field,
                "too_precise",
                format!("{what} may have at most {MAX_PCT_DECIMALS} decimals, got {value} %"),
            ));
        }
        let refusal = match range {
            PctRange::Positive if value <= Decimal::ZERO => {
                Some(("not_positive", "must be above 0 %"))
            }
            PctRange::NonNegative if value < Decimal::ZERO => {
                Some(("negative", "must not be negative"))
            }
            PctRange::AboveMinus100 if value <= -Decimal::ONE_HUNDRED => {
                Some(("below_minimum", "must be above -100 %"))
            }
            _ => None,
        };
        match refusal {
            Some((code, rule)) => Err(FieldError::new(
                field,
                code,
                format!("{what} {rule}, got {value} %"),
            )),
            None => Ok(Pct(value)),
        }
    }

    /// Zero percent.
    pub const ZERO: Pct = Pct(Decimal::ZERO);

    /// The percentage as given, e.g. 5 for 5 %.
    pub fn pct(self) -> Decimal {
        self.0
    }

    /// The rate as a fraction, e.g. 0.05 for 5 %.
    pub fn fraction(self) -> Decimal {
        self.0 / Decimal::ONE_HUNDRED
    }
}

/// The value when valid; otherwise records the error and gives `None`.
pub(crate) fn keep<T>(errors: &mut FieldErrors, result: Result<T, FieldError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// A name (of a cost item, comparable, factor or asset class): trimmed, 1–100 characters.
pub(crate) fn name(field: &str, value: &str) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::required(field));
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("a name must be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(trimmed.to_string())
}

/// A list's length: 1 ≤ len ≤ `max`.
pub(crate) fn list_len(field: &str, what: &str, len: usize, max: usize) -> Result<(), FieldError> {
    if len == 0 {
        return Err(FieldError::new(
            field,
            "empty",
            format!("give at least one of the {what}"),
        ));
    }
    if len > max {
        return Err(FieldError::new(
            field,
            "too_many",
            format!("at most {max} {what} are allowed, got {len}"),
        ));
    }
    Ok(())
}

/// (1 + rate)^years by repeated multiplication: exact while the digits fit, then 28 significant
/// digits. `years` is bounded by [`MAX_YEARS`] + 1, so the loop is short.
pub(crate) fn compound(rate_fraction: Decimal, years: u32) -> Decimal {
    let base = Decimal::ONE + rate_fraction;
    (0..years).fold(Decimal::ONE, |product, _| product * base)
}

/// √x for x ≥ 0 (1 + r for a half year's discount; a relative variance), by Newton's method
/// from (x + 1) ÷ 2, which is never below √x: 28 significant digits. Stops when an iteration no
/// longer lowers the value (at most 200 iterations); x ≤ 0 gives 0.
pub(crate) fn sqrt(value: Decimal) -> Decimal {
    if value <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let mut estimate = (value + Decimal::ONE) / Decimal::TWO;
    for _ in 0..200 {
        let next = (estimate + value / estimate) / Decimal::TWO;
        if next >= estimate {
            break;
        }
        estimate = next;
    }
    // A perfect square (1.5625 = 1.25²) comes out exact rather than one digit off.
    let rounded = estimate.round_dp(26);
    if rounded * rounded == value {
        return rounded;
    }
    estimate
}

/// A decimal from a literal known to be valid (tests).
#[cfg(test)]
pub(crate) fn dec(text: &str) -> Decimal {
    <Decimal as std::str::FromStr>::from_str(text).unwrap_or_default()
}

//! Money in whole fen, rates in exact parts per million, and the one rounding rule: half up
//! (四舍五入), i.e. half away from zero, never banker's rounding.
//!
//! Every amount is an `i64` of fen (0.01 yuan). Interest is computed in `i128` from the rate's
//! integer parts per million, so `balance × rate × time` is exact before its single rounding to
//! the fen. Only the equal-instalment payment needs a power, `(1 + r)^n`: it is computed with
//! `rust_decimal` (28 significant digits, far below a fen) and then rounded half up.

use crate::field::{FieldError, FieldErrors};
use rust_decimal::Decimal;

/// The largest amount any input may state, in fen: 10^15 yuan, as for valuations. Every product
/// computed here (balance × rate in ppm × days) then stays far inside `i128`.
pub const MAX_AMOUNT_FEN: i64 = 100_000_000_000_000_000;

/// The highest annual rate accepted, in percent. 36 % is the old judicial ceiling for private
/// lending (above it interest was void); no ip-backed bank loan comes near it, so a larger figure
/// is a typing error (a monthly rate in per mille, a pledge rate).
pub const MAX_ANNUAL_RATE_PCT: u32 = 36;

/// The most decimals a rate in percent may have (0.0001 % = 1 ppm), so every rate is a whole
/// number of parts per million.
pub const MAX_RATE_DECIMALS: u32 = 4;

/// A whole, 10,000 basis points.
pub const WHOLE_BP: i64 = 10_000;

/// n ÷ d rounded half away from zero (0.5 fen → 1 fen, −0.5 → −1); `d` must be positive
/// (a non-positive `d` gives 0).
pub fn div_half_up(numerator: i128, denominator: i128) -> i128 {
    if denominator <= 0 {
        return 0;
    }
    let magnitude = (numerator.unsigned_abs() * 2 + denominator.unsigned_abs())
        / (denominator.unsigned_abs() * 2);
    let magnitude = i128::try_from(magnitude).unwrap_or(i128::MAX);
    if numerator < 0 { -magnitude } else { magnitude }
}

/// An `i128` amount of fen as `i64`, saturating: the bounds on inputs keep every result inside.
pub(crate) fn fen(amount: i128) -> i64 {
    i64::try_from(amount).unwrap_or(if amount < 0 { i64::MIN } else { i64::MAX })
}

/// Rounds a decimal number of fen to whole fen, half up.
pub(crate) fn round_fen(amount: Decimal) -> i64 {
    let rounded =
        amount.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(rounded).unwrap_or(if amount.is_sign_negative() {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// An amount of fen shown in yuan with two decimals: `654444` → `6544.44`, `-50` → `-0.50`.
pub fn format_fen(amount_fen: i64) -> String {
    let magnitude = amount_fen.unsigned_abs();
    let sign = if amount_fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
}

/// Parses an amount typed in yuan (`1000000`, `6544.44`) into fen, naming `field`. Exact: more
/// than two decimals is refused, not rounded; negative amounts and amounts above
/// [`MAX_AMOUNT_FEN`] are refused.
pub fn parse_yuan(field: &str, text: &str) -> Result<i64, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(FieldError::required(field));
    }
    let yuan = Decimal::from_str_exact(trimmed).map_err(|_| {
        FieldError::new(
            field,
            "not_a_number",
            format!("{trimmed:?} is not an amount of yuan"),
        )
    })?;
    if yuan.normalize().scale() > 2 {
        return Err(FieldError::new(
            field,
            "too_precise",
            format!("an amount of yuan has at most two decimals (fen), got {trimmed}"),
        ));
    }
    let scaled = yuan.checked_mul(Decimal::ONE_HUNDRED);
    match scaled.and_then(|value| i64::try_from(value).ok()) {
        Some(value) => amount(field, "the amount", value, Sign::NonNegative),
        None if yuan.is_sign_negative() => Err(FieldError::new(
            field,
            "negative",
            format!("the amount must not be negative, got {trimmed} yuan"),
        )),
        None => Err(FieldError::new(
            field,
            "above_maximum",
            format!(
                "the amount must be at most {} yuan, got {trimmed}",
                format_fen(MAX_AMOUNT_FEN)
            ),
        )),
    }
}

/// Which amounts an input accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sign {
    /// 0 < amount: a principal, a disbursement, a payment.
    Positive,
    /// 0 ≤ amount: a cost, an amount already paid.
    NonNegative,
}

/// An amount of fen within `0..=MAX_AMOUNT_FEN` (or `1..=` for [`Sign::Positive`]), naming the
/// field: `negative`, `not_positive` or `above_maximum`.
pub(crate) fn amount(field: &str, what: &str, value: i64, sign: Sign) -> Result<i64, FieldError> {
    if value < 0 {
        return Err(FieldError::new(
            field,
            "negative",
            format!(
                "{what} must not be negative, got {} yuan",
                format_fen(value)
            ),
        ));
    }
    if value == 0 && sign == Sign::Positive {
        return Err(FieldError::new(
            field,
            "not_positive",
            format!("{what} must be above zero"),
        ));
    }
    if value > MAX_AMOUNT_FEN {
        return Err(FieldError::new(
            field,
            "above_maximum",
            format!(
                "{what} must be at most {} yuan, got {}",
                format_fen(MAX_AMOUNT_FEN),
                format_fen(value)
            ),
        ));
    }
    Ok(value)
}

/// A share in basis points within `0..=10,000` (or `1..=` when `positive`), naming the field.
pub(crate) fn basis_points(
    field: &str,
    what: &str,
    value: i64,
    positive: bool,
) -> Result<i64, FieldError> {
    if value > WHOLE_BP {
        return Err(FieldError::new(
            field,
            "above_maximum",
            format!("{what} must be at most 10000 basis points (the whole), got {value}"),
        ));
    }
    if value < 0 || (positive && value == 0) {
        let (code, rule) = if value < 0 {
            ("negative", "must not be negative")
        } else {
            ("not_positive", "must be above zero")
        };
        return Err(FieldError::new(
            field,
            code,
            format!("{what} {rule}, got {value} basis points"),
        ));
    }
    Ok(value)
}

/// A nominal annual interest rate, validated: 0 ≤ rate ≤ 36 %, at most four decimals of a percent.
/// Held as whole parts per million (4.9 % = 49,000 ppm), so interest is exact integer arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnnualRate {
    ppm: i64,
}

impl AnnualRate {
    /// Parts per million in one percent.
    const PPM_PER_PCT: i64 = 10_000;

    /// Validates a rate given in percent (4.9 for 4.9 %), naming `field`.
    pub fn from_pct(field: &str, pct: Decimal) -> Result<AnnualRate, FieldError> {
        if pct.is_sign_negative() && !pct.is_zero() {
            return Err(FieldError::new(
                field,
                "negative",
                format!("an annual rate must not be negative, got {pct} %"),
            ));
        }
        if pct > Decimal::from(MAX_ANNUAL_RATE_PCT) {
            return Err(FieldError::new(
                field,
                "above_maximum",
                format!(
                    "an annual rate must be at most {MAX_ANNUAL_RATE_PCT} %, got {pct} % \
                     (give the annual rate in percent, e.g. 4.9)"
                ),
            ));
        }
        if pct.normalize().scale() > MAX_RATE_DECIMALS {
            return Err(FieldError::new(
                field,
                "too_precise",
                format!("a rate may have at most {MAX_RATE_DECIMALS} decimals, got {pct} %"),
            ));
        }
        let ppm = i64::try_from(pct * Decimal::from(Self::PPM_PER_PCT)).unwrap_or_default();
        Ok(AnnualRate { ppm })
    }

    /// Zero interest.
    pub const ZERO: AnnualRate = AnnualRate { ppm: 0 };

    /// The rate in parts per million per year (4.9 % → 49,000).
    pub fn ppm(self) -> i64 {
        self.ppm
    }

    /// The rate in percent, exact (49,000 ppm → 4.9).
    pub fn pct(self) -> Decimal {
        Decimal::new(self.ppm, MAX_RATE_DECIMALS).normalize()
    }

    /// The monthly rate as a fraction: annual ÷ 12 (4.9 % → 0.0040833…, 28 significant digits).
    pub fn monthly_fraction(self) -> Decimal {
        Decimal::from(self.ppm) / Decimal::from(12_000_000_i64)
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

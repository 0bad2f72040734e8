//! Discount factors, annuity factors and the TAB factor, by convention.

use super::assert_dec;
use crate::valuation::number::{dec, sqrt};
use crate::valuation::{DiscountConvention, annuity_factor, discount_factor, tab_factor};

use DiscountConvention::{EndOfYear, MidYear};

#[test]
fn discount_factors() {
    // (rate %, year, convention, factor)
    let table = [
        // 1 ÷ 1.25 = 0.8; 1 ÷ 1.5625 = 0.64; 1 ÷ 1.953125 = 0.512: exact.
        ("25", 1, EndOfYear, "0.8"),
        ("25", 2, EndOfYear, "0.64"),
        ("25", 3, EndOfYear, "0.512"),
        // 1 ÷ 2^4 = 0.0625.
        ("100", 4, EndOfYear, "0.0625"),
        // 1 ÷ 1.12 = 0.892857142857…; 1 ÷ 1.12³ = 1 ÷ 1.404928 = 0.711780247813…
        ("12", 1, EndOfYear, "≈0.8928571429"),
        ("12", 3, EndOfYear, "≈0.7117802478"),
        // Mid-year at 56.25 %: √1.5625 = 1.25, so year t is 1 ÷ (1.5625^(t−1) × 1.25):
        // 1 ÷ 1.25 = 0.8; 1 ÷ (1.5625 × 1.25) = 1 ÷ 1.953125 = 0.512; 0.512 ÷ 1.5625 = 0.32768.
        ("56.25", 1, MidYear, "0.8"),
        ("56.25", 2, MidYear, "0.512"),
        ("56.25", 3, MidYear, "0.32768"),
        // Mid-year at 12 %: 1 ÷ √1.12 = 1 ÷ 1.058300524425836… = 0.944911182523068…;
        // year 2: 0.944911182523068 ÷ 1.12 = 0.843670698681311…
        ("12", 1, MidYear, "≈0.9449111825"),
        ("12", 2, MidYear, "≈0.8436706987"),
    ];
    for (rate, year, convention, expected) in table {
        let rate_fraction = dec(rate) / dec("100");
        assert_dec(
            &format!("{rate} % year {year} {convention:?}"),
            discount_factor(rate_fraction, year, convention),
            expected,
        );
    }
}

#[test]
fn annuity_factors() {
    let table = [
        // 0.8 + 0.64 + 0.512 = 1.952.
        ("25", 3, EndOfYear, "1.952"),
        // 0.8 + 0.512 = 1.312.
        ("56.25", 2, MidYear, "1.312"),
        // (1 − 1.12^−10) ÷ 0.12 = (1 − 0.321973237) ÷ 0.12 = 5.650223028…
        ("12", 10, EndOfYear, "≈5.6502230284"),
    ];
    for (rate, years, convention, expected) in table {
        let rate_fraction = dec(rate) / dec("100");
        assert_dec(
            &format!("AF({years}) at {rate} %"),
            annuity_factor(rate_fraction, years, convention),
            expected,
        );
    }
}

#[test]
fn tab_factors() {
    // (tax %, rate %, N, convention, factor) with factor = 1 ÷ (1 − t × AF(N) ÷ N).
    let table = [
        // AF(1) = 0.8; 1 − 0.25 × 0.8 ÷ 1 = 0.8; 1 ÷ 0.8 = 1.25.
        ("25", "25", 1, EndOfYear, "1.25"),
        // AF(2) = 1.44; 1 − 0.25 × 1.44 ÷ 2 = 0.82; 1 ÷ 0.82 = 50/41 = 1.219512195121…
        ("25", "25", 2, EndOfYear, "≈1.2195121951"),
        // Mid-year: AF(2) = 1.312; 1 − 0.5 × 1.312 ÷ 2 = 0.672; 1 ÷ 0.672 = 1.488095238095…
        ("50", "56.25", 2, MidYear, "≈1.4880952381"),
        // AF(10) at 12 % = 5.6502230284; 1 − 0.25 × 0.56502230284 = 0.85874442429;
        // 1 ÷ 0.85874442429 = 1.1644908214.
        ("25", "12", 10, EndOfYear, "≈1.1644908214"),
        // No tax, no benefit: 1 ÷ (1 − 0) = 1.
        ("0", "12", 10, EndOfYear, "1"),
    ];
    for (tax, rate, years, convention, expected) in table {
        assert_dec(
            &format!("TAB t={tax} % r={rate} % N={years} {convention:?}"),
            tab_factor(
                dec(tax) / dec("100"),
                dec(rate) / dec("100"),
                years,
                convention,
            ),
            expected,
        );
    }
}

#[test]
fn square_roots() {
    // Perfect squares come out exact; others to 28 significant digits.
    let table = [
        ("1.5625", "1.25"),
        ("1.44", "1.2"),
        ("4", "2"),
        ("0", "0"),
        ("1.12", "≈1.0583005244258362"),
        ("0.000062", "≈0.0078740078740118"),
    ];
    for (value, expected) in table {
        assert_dec(&format!("√{value}"), sqrt(dec(value)), expected);
    }
}

//! The rounding rule, amounts shown and typed in yuan, rates.

use super::dec;
use crate::loan::{AnnualRate, div_half_up, format_fen, parse_yuan};

#[test]
fn half_up_is_half_away_from_zero() {
    // (numerator, denominator, quotient): 1.5 → 2 and 2.5 → 3 (banker's would give 2 and 2);
    // 0.4 → 0; −0.5 → −1; −0.4 → 0.
    let table = [
        (15, 10, 2),
        (25, 10, 3),
        (4, 10, 0),
        (5, 10, 1),
        (-5, 10, -1),
        (-4, 10, 0),
        (7, 1, 7),
        (1, 0, 0),
    ];
    for (numerator, denominator, quotient) in table {
        assert_eq!(
            div_half_up(numerator, denominator),
            quotient,
            "{numerator}/{denominator}"
        );
    }
}

#[test]
fn amounts_in_yuan() {
    for (fen, shown) in [
        (654_444, "6544.44"),
        (-50, "-0.50"),
        (0, "0.00"),
        (7, "0.07"),
        (100_000_000, "1000000.00"),
    ] {
        assert_eq!(format_fen(fen), shown);
    }
    assert_eq!(format_fen(i64::MIN), "-92233720368547758.08");
    // (typed, fen or the refusal's code)
    let table = [
        ("1000000", Ok(100_000_000)),
        (" 6544.44 ", Ok(654_444)),
        ("0.5", Ok(50)),
        ("0", Ok(0)),
        ("1.005", Err("too_precise")),
        ("-1", Err("negative")),
        ("1e3", Err("not_a_number")),
        ("", Err("required")),
        ("1000000000000001", Err("above_maximum")),
        ("99999999999999999999999", Err("above_maximum")),
    ];
    for (typed, expected) in table {
        let found = parse_yuan("principal", typed).map_err(|error| error.code);
        assert_eq!(found, expected.map_err(str::to_string), "{typed:?}");
    }
}

#[test]
fn rates_are_whole_parts_per_million() {
    // 4.9 % = 49,000 ppm; monthly 49,000 ÷ 12,000,000 = 0.00408333…
    let rate = AnnualRate::from_pct("annual_rate_pct", dec("4.90")).unwrap();
    assert_eq!((rate.ppm(), rate.pct()), (49_000, dec("4.9")));
    assert_eq!(rate.monthly_fraction().round_dp(10), dec("0.0040833333"));
    assert_eq!(
        AnnualRate::from_pct("annual_rate_pct", dec("0")).unwrap(),
        AnnualRate::ZERO
    );
}

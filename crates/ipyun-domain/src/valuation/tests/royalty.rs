//! Relief from royalty: worked examples.

use super::{assert_dec, input};
use crate::valuation::ReliefFromRoyaltyInput;
use serde_json::{Value, json};

/// Values `input` and checks each year's present value, the TAB amount and the value.
fn check(name: &str, input_json: Value, present_values: &[&str], tab: Option<&str>, value: &str) {
    let result = input::<ReliefFromRoyaltyInput>(input_json)
        .value()
        .unwrap_or_else(|errors| panic!("{name}: {errors}"));
    assert_eq!(result.years.len(), present_values.len(), "{name}: years");
    for (line, expected) in result.years.iter().zip(present_values) {
        assert_dec(
            &format!("{name}: year {} PV", line.year),
            line.present_value_yuan,
            expected,
        );
    }
    match (tab, &result.totals.tab) {
        (Some(expected), Some(benefit)) => {
            assert_dec(&format!("{name}: TAB"), benefit.amount_yuan, expected)
        }
        (None, None) => {}
        (expected, found) => panic!("{name}: TAB {expected:?} vs {found:?}"),
    }
    assert_dec(&format!("{name}: value"), result.totals.value_yuan, value);
}

#[test]
fn worked_examples() {
    // Revenues 1 000 000, 1 100 000, 1 200 000; royalty 5 %; tax 25 %; discount 25 %, end of year.
    //   royalty 50 000, 55 000, 60 000; after tax (× 0.75) 37 500, 41 250, 45 000;
    //   factors 0.8, 0.64, 0.512; PV 30 000, 26 400, 23 040; value 79 440.
    check(
        "25 % end of year",
        json!({"revenues": ["1000000", "1100000", "1200000"], "royalty_rate_pct": "5",
               "discount_rate_pct": "25", "tax_rate_pct": "25"}),
        &["30000", "26400", "23040"],
        None,
        "79440",
    );
    // The same with a TAB over 1 year: factor 1 ÷ (1 − 0.25 × 0.8) = 1.25;
    //   TAB 79 440 × 0.25 = 19 860; value 99 300.
    check(
        "25 % with TAB",
        json!({"revenues": ["1000000", "1100000", "1200000"], "royalty_rate_pct": "5",
               "discount_rate_pct": "25", "tax_rate_pct": "25", "tab_years": 1}),
        &["30000", "26400", "23040"],
        Some("19860"),
        "99300",
    );
    // Mid-year at 56.25 % (factors 0.8, 0.512, 0.32768, see discount.rs):
    //   37 500 × 0.8 = 30 000; 41 250 × 0.512 = 21 120; 45 000 × 0.32768 = 14 745.6; value 65 865.6.
    check(
        "56.25 % mid-year",
        json!({"revenues": [1000000, 1100000, 1200000], "royalty_rate_pct": 5,
               "discount_rate_pct": "56.25", "tax_rate_pct": 25, "convention": "mid_year"}),
        &["30000", "21120", "14745.6"],
        None,
        "65865.6",
    );
    // The example at 12 %: 37 500 ÷ 1.12 = 33 482.142857; 41 250 ÷ 1.2544 = 32 884.247449;
    //   45 000 ÷ 1.404928 = 32 030.111152; value 98 396.501458 → 98 396.50 yuan.
    check(
        "12 % end of year",
        json!({"revenues": ["1000000", "1100000", "1200000"], "royalty_rate_pct": "5",
               "discount_rate_pct": "12", "tax_rate_pct": "25"}),
        &["≈33482.14", "≈32884.25", "≈32030.11"],
        None,
        "≈98396.50",
    );
    // With a 10-year TAB: AF(10) = 5.6502230284, factor 1.1644908214 (discount.rs);
    //   TAB 98 396.501458 × 0.1644908214 = 16 185.32; value 114 581.82.
    check(
        "12 % with 10-year TAB",
        json!({"revenues": ["1000000", "1100000", "1200000"], "royalty_rate_pct": "5",
               "discount_rate_pct": "12", "tax_rate_pct": "25", "tab_years": 10}),
        &["≈33482.14", "≈32884.25", "≈32030.11"],
        Some("≈16185.32"),
        "≈114581.82",
    );
    // Terminal value: revenue 1 000 000, royalty 10 %, tax 25 %: after tax 75 000; 25 %, growth 5 %.
    //   year 1: 75 000 × 0.8 = 60 000; terminal at year 1: 75 000 × 1.05 ÷ (0.25 − 0.05) = 393 750,
    //   × 0.8 = 315 000; value 375 000.
    check(
        "terminal value",
        json!({"revenues": ["1000000"], "royalty_rate_pct": "10", "discount_rate_pct": "25",
               "tax_rate_pct": "25", "terminal": true, "growth_rate_pct": "5"}),
        &["60000"],
        None,
        "375000",
    );
    // Remaining life 4 years past a 2-year forecast, growing 10 %: revenues 1 000 000,
    //   1 000 000, then 1 100 000, 1 210 000; royalty 10 %, after tax 75 000, 75 000, 82 500,
    //   90 750; × 0.8, 0.64, 0.512, 0.4096 = 60 000, 48 000, 42 240, 37 171.2; value 187 411.2.
    check(
        "remaining life beyond the forecast",
        json!({"revenues": ["1000000", "1000000"], "royalty_rate_pct": "10",
               "discount_rate_pct": "25", "tax_rate_pct": "25", "remaining_life_years": 4,
               "growth_rate_pct": "10"}),
        &["60000", "48000", "42240", "37171.2"],
        None,
        "187411.2",
    );
}

#[test]
fn the_working_shows_each_step() {
    let result = input::<ReliefFromRoyaltyInput>(json!({
        "revenues": ["1000000", "1100000"], "royalty_rate_pct": "5",
        "discount_rate_pct": "25", "tax_rate_pct": "25", "remaining_life_years": 3
    }))
    .value()
    .unwrap();
    let year_two = &result.years[1];
    // 1 100 000 × 5 % = 55 000; tax 13 750; after tax 41 250; × 0.64 = 26 400.
    assert_dec("revenue", year_two.revenue_yuan, "1100000");
    assert_dec("royalty", year_two.royalty_yuan, "55000");
    assert_dec("tax", year_two.tax_yuan, "13750");
    assert_dec("after tax", year_two.after_tax_royalty_yuan, "41250");
    assert_dec("factor", year_two.discount_factor, "0.64");
    assert!(!year_two.extrapolated);
    // Year 3 carries year 2 on (no growth): 41 250 × 0.512 = 21 120.
    assert!(result.years[2].extrapolated);
    assert_dec("year 3", result.years[2].present_value_yuan, "21120");
    assert_dec("sum", result.totals.present_value_sum_yuan, "77520");
    assert!(
        result
            .assumptions
            .iter()
            .any(|one| one.en.contains("remaining economic life of 3 years"))
    );
}

//! Market approach (comparable transactions): worked examples.

use super::{assert_dec, input};
use crate::valuation::{MarketInput, PriceKind};
use serde_json::json;

#[test]
fn weighted_mean_of_adjusted_prices_and_the_spread() {
    // A: 500 000 × 1.05 (time) × (1 − 10 %) (technology) = 500 000 × 0.945 = 472 500, weight 2;
    // B: 400 000 × (1 + 20 %) (scope) = 480 000, weight 1;
    // C: 600 000 × 0.8 (remaining life) = 480 000, weight 1.
    // Mean (2 × 472 500 + 480 000 + 480 000) ÷ 4 = 1 905 000 ÷ 4 = 476 250.
    // Range 480 000 − 472 500 = 7 500, ÷ 476 250 = 1.574803…%.
    // Every deviation is ±3 750 ÷ 476 250 = ±1/127, so the coefficient of variation is
    // 1/127 = 0.787401…%.
    let result = input::<MarketInput>(json!({"comparables": [
        {"name": "A", "kind": "licence_fee", "price_yuan": "500000", "weight": "2",
         "adjustments": [{"factor": "time", "multiplier": "1.05"},
                         {"factor": "technology", "pct": "-10"}]},
        {"name": "B", "kind": "licence_fee", "price_yuan": "400000",
         "adjustments": [{"factor": "scope", "pct": "20"}]},
        {"name": "C", "kind": "licence_fee", "price_yuan": "600000",
         "adjustments": [{"factor": "remaining_life", "multiplier": "0.8"}]}
    ]}))
    .value()
    .unwrap();
    let table = [
        ("A", "0.945", "472500", "0.5"),
        ("B", "1.2", "480000", "0.25"),
        ("C", "0.8", "480000", "0.25"),
    ];
    for ((name, multiplier, adjusted, share), comparable) in table.iter().zip(&result.comparables) {
        assert_eq!(&comparable.name, name);
        assert_dec(name, comparable.multiplier, multiplier);
        assert_dec(name, comparable.adjusted_price_yuan, adjusted);
        assert_dec(name, comparable.weight_share, share);
    }
    assert_eq!(result.kind, PriceKind::LicenceFee);
    assert_dec("weights", result.weight_total, "4");
    assert_dec("value", result.value_yuan, "476250");
    assert_dec("lowest", result.lowest_yuan, "472500");
    assert_dec("highest", result.highest_yuan, "480000");
    assert_dec("range", result.range_yuan, "7500");
    assert_dec("range %", result.range_pct, "≈1.574803");
    assert_dec("cv %", result.coefficient_of_variation_pct, "≈0.787402");
}

#[test]
fn worked_examples() {
    // (comparables, value)
    let table = [
        // One sale at 800 000, unadjusted: 800 000, no spread.
        (
            json!([{"name": "S", "kind": "sale_price", "price_yuan": "800000"}]),
            "800000",
        ),
        // Two equal weights: (300 000 × 1.1 + 500 000 × 0.5) ÷ 2 = (330 000 + 250 000) ÷ 2 = 290 000.
        (
            json!([{"name": "X", "kind": "sale_price", "price_yuan": "300000",
                    "adjustments": [{"factor": "time", "pct": "10"}]},
                   {"name": "Y", "kind": "sale_price", "price_yuan": "500000",
                    "adjustments": [{"factor": "scope", "pct": "-50"}]}]),
            "290000",
        ),
        // Weights 1 and 3: (100 000 × 1 + 200 000 × 3) ÷ 4 = 700 000 ÷ 4 = 175 000.
        (
            json!([{"name": "P", "kind": "licence_fee", "price_yuan": "100000", "weight": 1},
                   {"name": "Q", "kind": "licence_fee", "price_yuan": "200000", "weight": 3}]),
            "175000",
        ),
    ];
    for (comparables, value) in table {
        let result = input::<MarketInput>(json!({ "comparables": comparables }))
            .value()
            .unwrap();
        assert_dec(&comparables.to_string(), result.value_yuan, value);
    }
}

//! Invalid inputs: each refusal names the input and the rule.

use super::{input, refusals};
use crate::valuation::{CostInput, ExcessEarningsInput, MarketInput, ReliefFromRoyaltyInput};
use serde_json::{Value, json};

/// A valid relief-from-royalty input with `changes` merged in (`null` removes a field).
fn royalty(changes: Value) -> ReliefFromRoyaltyInput {
    let mut base = json!({"revenues": ["1000000", "1100000", "1200000"], "royalty_rate_pct": "5",
                          "discount_rate_pct": "12", "tax_rate_pct": "25"});
    merge(&mut base, changes);
    input(base)
}

fn excess(changes: Value) -> ExcessEarningsInput {
    let mut base = json!({"revenues": ["1000000", "1000000"], "ebitda_margin_pct": "30",
                          "contributory_asset_charges": [{"asset": "working_capital", "rate_pct": "2"}],
                          "discount_rate_pct": "15", "tax_rate_pct": "25"});
    merge(&mut base, changes);
    input(base)
}

fn merge(base: &mut Value, changes: Value) {
    if let (Some(base), Value::Object(changes)) = (base.as_object_mut(), changes) {
        for (key, value) in changes {
            if value.is_null() {
                base.remove(&key);
            } else {
                base.insert(key, value);
            }
        }
    }
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(field, code)| (field.to_string(), code.to_string()))
        .collect()
}

#[test]
fn relief_from_royalty_refusals() {
    let table: Vec<(Value, Vec<(&str, &str)>)> = vec![
        // Negative revenue, named by its position.
        (
            json!({"revenues": ["1000000", "5", "-1"]}),
            vec![("revenues[2]", "negative")],
        ),
        // An empty series.
        (json!({"revenues": []}), vec![("revenues", "empty")]),
        // Rates above 100 %.
        (
            json!({"royalty_rate_pct": "100.5"}),
            vec![("royalty_rate_pct", "above_maximum")],
        ),
        (
            json!({"discount_rate_pct": "101"}),
            vec![("discount_rate_pct", "above_maximum")],
        ),
        (
            json!({"tax_rate_pct": "250"}),
            vec![("tax_rate_pct", "above_maximum")],
        ),
        // A zero discount rate, a negative tax rate, a zero royalty.
        (
            json!({"discount_rate_pct": "0", "tax_rate_pct": "-1", "royalty_rate_pct": "0"}),
            vec![
                ("royalty_rate_pct", "not_positive"),
                ("discount_rate_pct", "not_positive"),
                ("tax_rate_pct", "negative"),
            ],
        ),
        // A terminal value with the discount rate at or below growth.
        (
            json!({"terminal": true, "growth_rate_pct": "12"}),
            vec![("discount_rate_pct", "not_above_growth")],
        ),
        (
            json!({"terminal": true, "growth_rate_pct": "15"}),
            vec![("discount_rate_pct", "not_above_growth")],
        ),
        // A terminal value and a finite life at once.
        (
            json!({"terminal": true, "remaining_life_years": 5}),
            vec![("terminal", "conflict")],
        ),
        // A life shorter than the forecast; a growth rate with nothing to grow.
        (
            json!({"remaining_life_years": 2}),
            vec![("remaining_life_years", "shorter_than_forecast")],
        ),
        (
            json!({"growth_rate_pct": "3"}),
            vec![("growth_rate_pct", "unused")],
        ),
        // Bounds: a TAB of 0 or 51 years, 51 revenue years, a rate to 5 decimals.
        (json!({"tab_years": 0}), vec![("tab_years", "not_positive")]),
        (
            json!({"tab_years": 51}),
            vec![("tab_years", "above_maximum")],
        ),
        (
            json!({"revenues": vec!["1"; 51]}),
            vec![("revenues", "too_many")],
        ),
        (
            json!({"discount_rate_pct": "12.00001"}),
            vec![("discount_rate_pct", "too_precise")],
        ),
        // Growth that would carry the revenue past 10^15 yuan.
        (
            json!({"revenues": ["900000000000000"], "remaining_life_years": 3,
                   "growth_rate_pct": "10"}),
            vec![("growth_rate_pct", "above_maximum")],
        ),
    ];
    for (changes, expected) in table {
        let errors = royalty(changes.clone()).value().err();
        let found = errors.as_ref().map(refusals).unwrap_or_default();
        assert_eq!(found, pairs(&expected), "{changes}");
    }
}

#[test]
fn a_message_names_the_year_and_the_value() {
    let errors = royalty(json!({"revenues": ["1000000", "-5"]}))
        .value()
        .unwrap_err();
    assert_eq!(
        errors.to_string(),
        "revenues[1]: the revenue of year 2 must not be negative, got -5 (negative)"
    );
    let errors = royalty(json!({"terminal": true, "growth_rate_pct": "12"}))
        .value()
        .unwrap_err();
    assert_eq!(
        errors.0[0].message,
        "the discount rate (12 %) must exceed the growth rate (12 %) for a terminal value"
    );
}

#[test]
fn excess_earnings_refusals() {
    let table: Vec<(Value, Vec<(&str, &str)>)> = vec![
        (json!({"revenues": []}), vec![("revenues", "empty")]),
        (
            json!({"revenues": ["-1", "1"]}),
            vec![("revenues[0]", "negative")],
        ),
        (
            json!({"ebitda_margin_pct": "120"}),
            vec![("ebitda_margin_pct", "above_maximum")],
        ),
        (
            json!({"cash_flows": ["1", "2"]}),
            vec![("ebitda_margin_pct", "conflict")],
        ),
        (
            json!({"ebitda_margin_pct": null}),
            vec![("ebitda_margin_pct", "required")],
        ),
        (
            json!({"ebitda_margin_pct": null, "cash_flows": ["1"]}),
            vec![("cash_flows", "length_mismatch")],
        ),
        (
            json!({"contributory_asset_charges": []}),
            vec![("contributory_asset_charges", "empty")],
        ),
        (
            json!({"contributory_asset_charges": [{"asset": "", "rate_pct": "101"}]}),
            vec![
                ("contributory_asset_charges[0].asset", "required"),
                ("contributory_asset_charges[0].rate_pct", "above_maximum"),
            ],
        ),
        (
            json!({"contributory_asset_charges": [{"asset": "a", "rate_pct": "60"},
                                                  {"asset": "b", "rate_pct": "50"}]}),
            vec![("contributory_asset_charges", "above_maximum")],
        ),
        (
            json!({"terminal": true, "growth_rate_pct": "20"}),
            vec![("discount_rate_pct", "not_above_growth")],
        ),
    ];
    for (changes, expected) in table {
        let errors = excess(changes.clone()).value().err();
        let found = errors.as_ref().map(refusals).unwrap_or_default();
        assert_eq!(found, pairs(&expected), "{changes}");
    }
}

#[test]
fn market_refusals() {
    let table: Vec<(Value, Vec<(&str, &str)>)> = vec![
        (json!([]), vec![("comparables", "empty")]),
        (
            json!([{"name": "A", "kind": "licence_fee", "price_yuan": "-1"}]),
            vec![("comparables[0].price_yuan", "negative")],
        ),
        (
            json!([{"name": "A", "kind": "licence_fee", "price_yuan": "0"}]),
            vec![("comparables[0].price_yuan", "not_positive")],
        ),
        (
            json!([{"name": "A", "kind": "licence_fee", "price_yuan": "1"},
                   {"name": "B", "kind": "sale_price", "price_yuan": "1"}]),
            vec![("comparables[1].kind", "mixed_kinds")],
        ),
        (
            json!([{"name": "A", "kind": "licence_fee", "price_yuan": "1", "weight": "0"}]),
            vec![("comparables[0].weight", "out_of_range")],
        ),
        (
            json!([{"name": "A", "kind": "licence_fee", "price_yuan": "1",
                    "adjustments": [{"factor": "time", "pct": "150"},
                                    {"factor": "scope", "multiplier": "0"},
                                    {"factor": "life"}]}]),
            vec![
                ("comparables[0].adjustments[0].pct", "above_maximum"),
                ("comparables[0].adjustments[1].multiplier", "out_of_range"),
                ("comparables[0].adjustments[2]", "multiplier_or_pct"),
            ],
        ),
        (
            json!([{"name": "A", "kind": "licence_fee", "price_yuan": "1",
                    "adjustments": [{"factor": "a", "multiplier": "10"},
                                    {"factor": "b", "multiplier": "10"},
                                    {"factor": "c", "multiplier": "1.5"}]}]),
            vec![("comparables[0].adjustments", "out_of_range")],
        ),
    ];
    for (comparables, expected) in table {
        let errors = input::<MarketInput>(json!({ "comparables": comparables.clone() }))
            .value()
            .err();
        let found = errors.as_ref().map(refusals).unwrap_or_default();
        assert_eq!(found, pairs(&expected), "{comparables}");
    }
}

#[test]
fn cost_refusals() {
    let table: Vec<(Value, Vec<(&str, &str)>)> = vec![
        (json!({"items": []}), vec![("items", "empty")]),
        (
            json!({"items": [{"name": "a", "amount_yuan": "-10"}]}),
            vec![("items[0].amount_yuan", "negative")],
        ),
        (
            json!({"items": [{"name": "a", "amount_yuan": "0"}]}),
            vec![("items", "not_positive")],
        ),
        (
            json!({"items": [{"name": "a", "amount_yuan": "10"}],
                   "physical_obsolescence_pct": "101", "functional_obsolescence_pct": "-1",
                   "profit_rate_pct": "200"}),
            vec![
                ("profit_rate_pct", "above_maximum"),
                ("physical_obsolescence_pct", "above_maximum"),
                ("functional_obsolescence_pct", "negative"),
            ],
        ),
    ];
    for (cost, expected) in table {
        let errors = input::<CostInput>(cost.clone()).value().err();
        let found = errors.as_ref().map(refusals).unwrap_or_default();
        assert_eq!(found, pairs(&expected), "{cost}");
    }
}

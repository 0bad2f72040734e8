//! Cost approach: worked examples.

use super::{assert_dec, input};
use crate::valuation::{CostInput, ObsolescenceKind};
use serde_json::{Value, json};

/// Values `input` and checks cost new, each obsolescence step's amount and the value.
fn check(name: &str, input_json: Value, cost_new: &str, steps: &[&str], value: &str) {
    let result = input::<CostInput>(input_json)
        .value()
        .unwrap_or_else(|errors| panic!("{name}: {errors}"));
    assert_dec(&format!("{name}: cost new"), result.cost_new_yuan, cost_new);
    for (step, expected) in result.obsolescence.iter().zip(steps) {
        assert_dec(
            &format!("{name}: {:?}", step.kind),
            step.amount_yuan,
            expected,
        );
    }
    assert_dec(&format!("{name}: value"), result.value_yuan, value);
}

#[test]
fn worked_examples() {
    // Items 600 000 (R&D labour) + 150 000 (materials) + 50 000 (fees) = 800 000; profit 10 %:
    //   80 000; cost new 880 000. Physical 0 %: 0; functional 20 %: 176 000, leaving 704 000;
    //   economic 10 % of 704 000: 70 400, leaving 633 600 = 880 000 × 1 × 0.8 × 0.9 = × 0.72.
    //   (Additive, 880 000 × (1 − 0.3) = 616 000, would count the overlap twice.)
    check(
        "replacement cost",
        json!({"items": [{"name": "研发人工", "amount_yuan": "600000"},
                         {"name": "材料", "amount_yuan": "150000"},
                         {"name": "规费", "amount_yuan": "50000"}],
               "profit_rate_pct": "10", "functional_obsolescence_pct": "20",
               "economic_obsolescence_pct": "10"}),
        "880000",
        &["0", "176000", "70400"],
        "633600",
    );
    // Reproduction cost 100 000, no profit, physical 12.5 %: 12 500; value 87 500.
    check(
        "reproduction cost",
        json!({"basis": "reproduction", "items": [{"name": "all", "amount_yuan": "100000"}],
               "physical_obsolescence_pct": "12.5"}),
        "100000",
        &["12500", "0", "0"],
        "87500",
    );
    // Everything obsolete: 50 000 × (1 − 1) = 0.
    check(
        "fully obsolete",
        json!({"items": [{"name": "all", "amount_yuan": "50000"}],
               "economic_obsolescence_pct": "100"}),
        "50000",
        &["0", "0", "50000"],
        "0",
    );
    // Fen survive: 333.33 + 0.01 = 333.34; profit 3 %: 10.0002; cost new 343.3402;
    //   physical 50 %: 171.6701; value 171.6701 → 171.67 yuan.
    check(
        "fen",
        json!({"items": [{"name": "a", "amount_yuan": "333.33"},
                         {"name": "b", "amount_yuan": "0.01"}],
               "profit_rate_pct": "3", "physical_obsolescence_pct": "50"}),
        "343.3402",
        &["171.6701"],
        "171.6701",
    );
}

#[test]
fn the_working_shows_the_order_and_the_share_left() {
    let result = input::<CostInput>(json!({
        "items": [{"name": "all", "amount_yuan": "1000"}],
        "physical_obsolescence_pct": "10", "functional_obsolescence_pct": "20",
        "economic_obsolescence_pct": "50"
    }))
    .value()
    .unwrap();
    let kinds: Vec<ObsolescenceKind> = result.obsolescence.iter().map(|step| step.kind).collect();
    assert_eq!(
        kinds,
        [
            ObsolescenceKind::Physical,
            ObsolescenceKind::Functional,
            ObsolescenceKind::Economic
        ]
    );
    // 0.9 × 0.8 × 0.5 = 0.36; 1000 → 900 → 720 → 360.
    assert_dec("share", result.remaining_share, "0.36");
    let left: Vec<String> = result
        .obsolescence
        .iter()
        .map(|step| step.remaining_yuan.normalize().to_string())
        .collect();
    assert_eq!(left, ["900", "720", "360"]);
    assert_dec("total", result.obsolescence_total_yuan, "640");
}

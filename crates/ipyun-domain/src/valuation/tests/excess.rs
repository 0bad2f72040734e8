//! Multi-period excess earnings: worked examples.

use super::{assert_dec, input};
use crate::valuation::ExcessEarningsInput;
use serde_json::{Value, json};

fn charges() -> Value {
    json!([{"asset": "working_capital", "rate_pct": "2"},
           {"asset": "fixed_assets", "rate_pct": "3"},
           {"asset": "workforce", "rate_pct": "5"}])
}

/// Values `input` and checks each year's excess earnings and present value, and the value.
fn check(name: &str, input_json: Value, years: &[(&str, &str)], value: &str) {
    let result = input::<ExcessEarningsInput>(input_json)
        .value()
        .unwrap_or_else(|errors| panic!("{name}: {errors}"));
    assert_eq!(result.years.len(), years.len(), "{name}: years");
    for (line, (excess, present_value)) in result.years.iter().zip(years) {
        let label = format!("{name}: year {}", line.year);
        assert_dec(&label, line.excess_earnings_yuan, excess);
        assert_dec(&label, line.present_value_yuan, present_value);
    }
    assert_dec(&format!("{name}: value"), result.totals.value_yuan, value);
}

#[test]
fn worked_examples() {
    // Revenues 1 000 000, 2 000 000; EBITDA 30 %: 300 000, 600 000; tax 25 %: 75 000, 150 000;
    //   after tax 225 000, 450 000; charges 2 + 3 + 5 = 10 % of revenue: 100 000, 200 000;
    //   excess 125 000, 250 000; × 0.8, 0.64 = 100 000, 160 000; value 260 000.
    check(
        "margin, 25 % end of year",
        json!({"revenues": ["1000000", "2000000"], "ebitda_margin_pct": "30",
               "contributory_asset_charges": charges(),
               "discount_rate_pct": "25", "tax_rate_pct": "25"}),
        &[("125000", "100000"), ("250000", "160000")],
        "260000",
    );
    // The same with a 1-year TAB: factor 1.25; value 260 000 × 1.25 = 325 000.
    check(
        "margin with TAB",
        json!({"revenues": ["1000000", "2000000"], "ebitda_margin_pct": "30",
               "contributory_asset_charges": charges(),
               "discount_rate_pct": "25", "tax_rate_pct": "25", "tab_years": 1}),
        &[("125000", "100000"), ("250000", "160000")],
        "325000",
    );
    // Mid-year at 56.25 %: 125 000 × 0.8 = 100 000; 250 000 × 0.512 = 128 000; value 228 000.
    check(
        "margin, 56.25 % mid-year",
        json!({"revenues": ["1000000", "2000000"], "ebitda_margin_pct": "30",
               "contributory_asset_charges": charges(), "convention": "mid_year",
               "discount_rate_pct": "56.25", "tax_rate_pct": "25"}),
        &[("125000", "100000"), ("250000", "128000")],
        "228000",
    );
    // Cash flows 400 000 and a loss of −100 000 on revenues of 1 000 000 each; tax 25 %:
    //   after tax 300 000 and −75 000 (the loss saves tax); charges 10 %: 100 000 each;
    //   excess 200 000 and −175 000; at 100 %: × 0.5, 0.25 = 100 000, −43 750; value 56 250.
    check(
        "cash flows with a loss year",
        json!({"revenues": ["1000000", "1000000"], "cash_flows": ["400000", "-100000"],
               "contributory_asset_charges": [{"asset": "all", "rate_pct": "10"}],
               "discount_rate_pct": "100", "tax_rate_pct": "25"}),
        &[("200000", "100000"), ("-175000", "-43750")],
        "56250",
    );
    // Five years at 15 %: revenues 2.0, 2.5, 3.0, 3.2, 3.3 million; EBITDA 35 %, tax 25 %,
    //   charges 2 + 4 + 6 = 12 %. Year 1: 700 000 − 175 000 tax − 240 000 = 285 000, ÷ 1.15 =
    //   247 826.086957; year 2: 656 250 − 300 000 = 356 250, ÷ 1.3225 = 269 376.181474;
    //   year 3: 427 500 ÷ 1.520875 = 281 088.189365; year 4: 456 000 ÷ 1.74900625 =
    //   260 719.479990; year 5: 470 250 ÷ 2.0113571875 = 233 797.359774; value 1 292 807.30.
    check(
        "five years at 15 %",
        json!({"revenues": ["2000000", "2500000", "3000000", "3200000", "3300000"],
               "ebitda_margin_pct": "35",
               "contributory_asset_charges": [{"asset": "working_capital", "rate_pct": "2"},
                                              {"asset": "fixed_assets", "rate_pct": "4"},
                                              {"asset": "workforce", "rate_pct": "6"}],
               "discount_rate_pct": "15", "tax_rate_pct": "25"}),
        &[
            ("285000", "≈247826.09"),
            ("356250", "≈269376.18"),
            ("427500", "≈281088.19"),
            ("456000", "≈260719.48"),
            ("470250", "≈233797.36"),
        ],
        "≈1292807.30",
    );
}

#[test]
fn the_working_shows_each_charge() {
    let result = input::<ExcessEarningsInput>(json!({
        "revenues": ["1000000"], "ebitda_margin_pct": "30",
        "contributory_asset_charges": charges(),
        "discount_rate_pct": "25", "tax_rate_pct": "25"
    }))
    .value()
    .unwrap();
    let year = &result.years[0];
    assert_dec("earnings", year.operating_earnings_yuan, "300000");
    assert_dec("tax", year.tax_yuan, "75000");
    assert_dec("after tax", year.after_tax_earnings_yuan, "225000");
    let amounts: Vec<String> = year
        .contributory_charges
        .iter()
        .map(|charge| format!("{} {}", charge.asset, charge.amount_yuan.normalize()))
        .collect();
    assert_eq!(
        amounts,
        [
            "working_capital 20000",
            "fixed_assets 30000",
            "workforce 50000"
        ]
    );
    assert_dec("charges", year.contributory_charges_yuan, "100000");
    assert_eq!(
        result.ebitda_margin_pct.map(|pct| pct.to_string()),
        Some("30".into())
    );
}

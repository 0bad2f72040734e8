//! The valuation record: method, inputs, assumptions, result, purpose, who and when; JSON both ways.

use super::{assert_dec, input, refusals};
use crate::valuation::{
    ValuationApproach, ValuationInputs, ValuationMethod, ValuationPurpose, ValuationRecord,
};
use chrono::{TimeZone, Utc};
use serde_json::json;

fn inputs() -> ValuationInputs {
    input(json!({"method": "relief_from_royalty",
                 "revenues": ["1000000", "1100000", "1200000"], "royalty_rate_pct": "5",
                 "discount_rate_pct": "12", "tax_rate_pct": "25", "tab_years": 10}))
}

#[test]
fn a_record_keeps_everything_and_round_trips() {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
    let record = ValuationRecord::new(inputs(), ValuationPurpose::Pledge, "张评估", at).unwrap();
    assert_eq!(record.method, ValuationMethod::ReliefFromRoyalty);
    assert_eq!(record.method.approach(), ValuationApproach::Income);
    // 114 581.822804 yuan (see royalty.rs) → 11 458 182 fen.
    assert_dec("value", record.value_yuan, "≈114581.82");
    assert_eq!(record.value_fen, 11_458_182);
    assert!(
        record
            .assumptions
            .iter()
            .any(|one| one.zh.contains("四舍五入"))
    );
    assert!(
        record
            .assumptions
            .iter()
            .any(|one| one.en.contains("10 years"))
    );
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(json["method"], "relief_from_royalty");
    assert_eq!(json["purpose"], "pledge");
    assert_eq!(json["inputs"]["method"], "relief_from_royalty");
    assert_eq!(json["inputs"]["revenues"][2], "1200000");
    // Decimals travel as strings, exact: 1 000 000 × 0.05 × 0.75 keeps its four decimals.
    assert_eq!(
        json["result"]["years"][0]["after_tax_royalty_yuan"],
        "37500.0000"
    );
    assert_eq!(json["result"]["tab"]["years"], 10);
    assert_eq!(json["valued_by"], "张评估");
    let back: ValuationRecord = serde_json::from_value(json).unwrap();
    assert_eq!(back, record);
}

#[test]
fn every_method_is_valued_through_the_inputs_enum() {
    let table = [
        (
            json!({"method": "excess_earnings", "revenues": ["1000000"], "ebitda_margin_pct": "30",
                   "contributory_asset_charges": [{"asset": "all", "rate_pct": "10"}],
                   "discount_rate_pct": "25", "tax_rate_pct": "25"}),
            ValuationMethod::ExcessEarnings,
            // 300 000 − 75 000 − 100 000 = 125 000, × 0.8 = 100 000.
            "100000",
        ),
        (
            json!({"method": "market_comparables",
                   "comparables": [{"name": "A", "kind": "sale_price", "price_yuan": "5"}]}),
            ValuationMethod::MarketComparables,
            "5",
        ),
        (
            json!({"method": "cost", "items": [{"name": "a", "amount_yuan": "10"}]}),
            ValuationMethod::Cost,
            "10",
        ),
    ];
    for (json, method, value) in table {
        let inputs: ValuationInputs = input(json);
        assert_eq!(inputs.method(), method);
        let result = inputs.value().unwrap();
        assert_eq!(result.method(), method);
        assert_dec(method.code(), result.value_yuan(), value);
    }
}

#[test]
fn a_record_names_its_maker_and_its_inputs() {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
    let bad: ValuationInputs = input(json!({"method": "cost", "items": []}));
    let errors = ValuationRecord::new(bad, ValuationPurpose::Reporting, " ", at).unwrap_err();
    assert_eq!(
        refusals(&errors),
        [
            ("valued_by".to_string(), "required".to_string()),
            ("items".to_string(), "empty".to_string())
        ]
    );
}

#[test]
fn the_inputs_have_an_openapi_schema() {
    use utoipa::PartialSchema;
    let schema = serde_json::to_string(&ValuationInputs::schema()).unwrap();
    for name in [
        "relief_from_royalty",
        "excess_earnings",
        "market_comparables",
        "cost",
    ] {
        assert!(schema.contains(name), "{name} missing from {schema}");
    }
    let record = serde_json::to_string(&ValuationRecord::schema()).unwrap();
    assert!(record.contains("valued_by"), "{record}");
}

//! `ipyun value …`: each calculator run as a user runs it, its `value` checked against the worked
//! example computed by hand (the same as the domain's tests), and a bad input's message.

use crate::{ipyun, ok};
use ipyun_domain::valuation::Decimal;
use serde_json::Value;
use std::str::FromStr;

/// A decimal in the working (a string, exact) equals `expected`, whatever its trailing zeros.
fn same(working: &Value, expected: &str) -> bool {
    let found = working
        .as_str()
        .and_then(|text| Decimal::from_str(text).ok());
    found == Decimal::from_str(expected).ok()
}

/// Runs `ipyun value ARGS --format json` and returns the object.
fn json(args: &[&str]) -> Value {
    let data = tempfile::tempdir().unwrap();
    let mut all = vec!["value"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let out = ok(ipyun(data.path(), &all));
    serde_json::from_str(&out).unwrap_or_else(|error| panic!("{error}: {out}"))
}

/// Runs `ipyun value ARGS`, which must fail with exit 2; its stderr.
fn refused(args: &[&str]) -> String {
    let data = tempfile::tempdir().unwrap();
    let mut all = vec!["value"];
    all.extend_from_slice(args);
    let output = ipyun(data.path(), &all);
    assert_eq!(
        output.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8(output.stderr).unwrap()
}

const ROYALTY: [&str; 9] = [
    "relief-from-royalty",
    "--revenues",
    "1000000,1100000,1200000",
    "--royalty-rate-pct",
    "5",
    "--discount-rate-pct",
    "12",
    "--tax-rate-pct",
    "25",
];

#[test]
fn relief_from_royalty_prints_the_value_and_the_working() {
    // After-tax royalties 37 500, 41 250, 45 000 ÷ 1.12, 1.2544, 1.404928 = 33 482.14 +
    // 32 884.25 + 32 030.11 = 98 396.50.
    let object = json(&ROYALTY);
    assert_eq!(object["method"], "relief_from_royalty");
    assert_eq!(object["value"], "98396.50");
    assert_eq!(object["working"]["years"].as_array().map(Vec::len), Some(3));
    assert_eq!(object["inputs"]["royalty_rate_pct"], "5");
    // A 10-year TAB: factor 1 ÷ (1 − 0.25 × 5.6502230284 ÷ 10) = 1.1644908214: 114 581.82.
    let mut with_tab = ROYALTY.to_vec();
    with_tab.extend(["--tab-years", "10"]);
    assert_eq!(json(&with_tab)["value"], "114581.82");
    // Mid-year at 56.25 % (factors 0.8, 0.512, 0.32768): 30 000 + 21 120 + 14 745.6 = 65 865.60.
    let mut mid_year = ROYALTY.to_vec();
    mid_year[6] = "56.25";
    mid_year.push("--mid-year");
    assert_eq!(json(&mid_year)["value"], "65865.60");

    let data = tempfile::tempdir().unwrap();
    let mut args = vec!["value"];
    args.extend_from_slice(&ROYALTY);
    let text = ok(ipyun(data.path(), &args));
    assert!(text.contains("0.8928571429"), "{text}");
    assert!(text.contains("33482.14"), "{text}");
    assert!(text.ends_with("value: 98396.50 yuan\n"), "{text}");
}

#[test]
fn relief_from_royalty_names_the_bad_input() {
    let stderr = refused(&[
        "relief-from-royalty",
        "--revenues",
        "1000000,-5",
        "--royalty-rate-pct",
        "150",
        "--discount-rate-pct",
        "12",
        "--tax-rate-pct",
        "25",
    ]);
    assert_eq!(
        stderr,
        "error: revenues[1]: the revenue of year 2 must not be negative, got -5\n\
         error: royalty_rate_pct: the royalty rate must be at most 100 %, got 150 %\n"
    );
    let mut terminal = ROYALTY.to_vec();
    terminal.extend(["--terminal", "--growth-rate-pct", "12"]);
    assert_eq!(
        refused(&terminal),
        "error: discount_rate_pct: the discount rate (12 %) must exceed the growth rate (12 %) \
         for a terminal value\n"
    );
    let mut unreadable = ROYALTY.to_vec();
    unreadable[2] = "1000000,,abc";
    assert_eq!(
        refused(&unreadable),
        "error: revenues[1]: a value is required\n\
         error: revenues[2]: \"abc\" is not a decimal number\n"
    );
}

#[test]
fn excess_earnings_prints_the_value() {
    // Revenues 1 000 000, 2 000 000; EBITDA 30 %, tax 25 %, charges 2 + 3 + 5 = 10 %:
    // excess 125 000, 250 000 × 0.8, 0.64 at 25 % = 100 000 + 160 000 = 260 000.
    let args = [
        "excess-earnings",
        "--revenues",
        "1000000,2000000",
        "--ebitda-margin-pct",
        "30",
        "--tax-rate-pct",
        "25",
        "--cac",
        "working_capital=2",
        "--cac",
        "fixed_assets=3",
        "--cac",
        "workforce=5",
        "--discount-rate-pct",
        "25",
    ];
    let object = json(&args);
    assert_eq!(object["value"], "260000.00");
    assert_eq!(
        object["working"]["years"][1]["contributory_charges"][2]["asset"],
        "workforce"
    );
    let mut wrong = args.to_vec();
    wrong[10] = "fixed_assets=103";
    assert_eq!(
        refused(&wrong),
        "error: contributory_asset_charges[1].rate_pct: a contributory asset charge must be at \
         most 100 %, got 103 %\n"
    );
}

#[test]
fn market_prints_the_weighted_mean() {
    // A 500 000 × 1.05 × 0.9 = 472 500 (weight 2); B 400 000 × 1.2 = 480 000; C 600 000 × 0.8 =
    // 480 000: (945 000 + 480 000 + 480 000) ÷ 4 = 476 250.
    let object = json(&[
        "market",
        "--comparable",
        "A=500000@2,time=1.05,technology=-10%",
        "--comparable",
        "B=400000,scope=20%",
        "--comparable",
        "C=600000,remaining_life=0.8",
    ]);
    assert_eq!(object["value"], "476250.00");
    assert_eq!(object["working"]["kind"], "licence_fee");
    assert!(same(&object["working"]["range_yuan"], "7500"), "{object}");
    let stderr = refused(&["market", "--comparable", "A=-1", "--comparable", "B"]);
    assert_eq!(
        stderr,
        "error: comparables[1]: expected NAME=VALUE, got \"B\"\n"
    );
    let stderr = refused(&["market", "--comparable", "A=-1"]);
    assert_eq!(
        stderr,
        "error: comparables[0].price_yuan: a price must not be negative, got -1\n"
    );
}

#[test]
fn cost_prints_cost_new_less_obsolescence() {
    // 600 000 + 150 000 + 50 000 = 800 000; profit 10 %: 880 000; × 0.8 × 0.9 = 633 600.
    let args = [
        "cost",
        "--item",
        "研发人工=600000",
        "--item",
        "materials=150000",
        "--item",
        "fees=50000",
        "--profit-rate-pct",
        "10",
        "--functional-obsolescence-pct",
        "20",
        "--economic-obsolescence-pct",
        "10",
    ];
    let object = json(&args);
    assert_eq!(object["value"], "633600.00");
    assert!(
        same(&object["working"]["cost_new_yuan"], "880000"),
        "{object}"
    );
    let mut wrong = args.to_vec();
    wrong[12] = "110";
    assert_eq!(
        refused(&wrong),
        "error: economic_obsolescence_pct: economic obsolescence must be at most 100 %, got 110 %\n"
    );
}

/// `ipyun value backtest FILE`: realised prices are imported once and compared with the model.
#[test]
fn backtest_imports_prices_once_and_reports_error_and_coverage() {
    let data = tempfile::tempdir().unwrap();
    let first = ipyun_test_support::test_application_no(71);
    let second = ipyun_test_support::test_application_no(72);
    let rights = format!(
        "kind,number,title,filing_date,grant_date,legal_status,annual_fee_paid_until,ipc_main,holders\n\
         invention,{first},一种回测方法,2020-03-15,2022-06-20,in_force,2027-03-14,H01L 21/56,回测公司\n\
         invention,{second},一种回测装置,2019-03-15,2021-06-20,in_force,2027-03-14,A61K 31/00,回测公司\n"
    );
    let rights_file = data.path().join("rights.csv");
    std::fs::write(&rights_file, rights).unwrap();
    ok(ipyun(
        data.path(),
        &["import", "rights", rights_file.to_str().unwrap()],
    ));
    let prices = format!(
        "number,kind,amount_yuan,date\n{first},licence_fee,120000,2026-01-10\n{second},sale,850000.50,2026-02-01\nbad,sale,-1,2026-13-01\n"
    );
    let prices_file = data.path().join("prices.csv");
    std::fs::write(&prices_file, prices).unwrap();
    let args = [
        "value",
        "backtest",
        prices_file.to_str().unwrap(),
        "--format",
        "json",
    ];
    let first_run = ipyun(data.path(), &args);
    assert_eq!(
        first_run.status.code(),
        Some(2),
        "a refused row exits 2: {}",
        String::from_utf8_lossy(&first_run.stderr)
    );
    let report: Value = serde_json::from_slice(&first_run.stdout).unwrap();
    assert_eq!(report["import"]["inserted"], 2);
    assert_eq!(report["count"], 2);
    let coverage = report["coverage_bp"].as_i64().unwrap();
    assert!((0..=10_000).contains(&coverage));
    assert!(report["mdape_bp"].as_i64().unwrap() >= 0);
    let again: Value = serde_json::from_slice(&ipyun(data.path(), &args).stdout).unwrap();
    assert_eq!(
        again["import"]["inserted"], 0,
        "the same prices are recorded once"
    );
    assert_eq!(again["count"], 2);
}

//! Interest by actual days over 360 or 365, worked by hand.
//!
//! 12,000.00 yuan (1,200,000 fen) at 12 % from 31 January 2026: due 28 February (28 days),
//! 31 March (31 days), 30 April (30 days).

use super::{Row, date, dec, expected, input, rows};
use crate::loan::{AnnualRate, DayCount, RepaymentMethod, days_between, schedule};

#[test]
fn interest_only_by_day_count() {
    let cases: Vec<(DayCount, Vec<Row>)> = vec![
        (
            // 1,200,000 × 12 % × d ÷ 360 = 400 × d: 11,200; 12,400; 12,000.
            DayCount::Actual360,
            vec![
                (1, "2026-02-28", 11_200, 0, 11_200, 1_200_000),
                (2, "2026-03-31", 12_400, 0, 12_400, 1_200_000),
                (3, "2026-04-30", 1_212_000, 1_200_000, 12_000, 0),
            ],
        ),
        (
            // 1,200,000 × 12 % × d ÷ 365 = 144,000 × d ÷ 365:
            // 28 → 4,032,000 ÷ 365 = 11,046.58 → 11,047; 31 → 12,230.14 → 12,230;
            // 30 → 11,835.62 → 11,836.
            DayCount::Actual365,
            vec![
                (1, "2026-02-28", 11_047, 0, 11_047, 1_200_000),
                (2, "2026-03-31", 12_230, 0, 12_230, 1_200_000),
                (3, "2026-04-30", 1_211_836, 1_200_000, 11_836, 0),
            ],
        ),
        (
            // By months: 1 % a month whatever its length.
            DayCount::Monthly,
            vec![
                (1, "2026-02-28", 12_000, 0, 12_000, 1_200_000),
                (2, "2026-03-31", 12_000, 0, 12_000, 1_200_000),
                (3, "2026-04-30", 1_212_000, 1_200_000, 12_000, 0),
            ],
        ),
    ];
    for (day_count, table) in cases {
        let mut terms = input(
            1_200_000,
            "12",
            3,
            RepaymentMethod::InterestOnly,
            "2026-01-31",
        );
        terms.day_count = day_count;
        assert_eq!(
            rows(&schedule(&terms).unwrap()),
            expected(&table),
            "{day_count:?}"
        );
    }
}

#[test]
fn equal_instalments_on_actual_360() {
    // The level payment stays the monthly one, A = 408,027 (see `schedule::worked_schedules`);
    // each period's interest is by days, principal = A − interest, the last takes the rest.
    // 1: 400 × 28 = 11,200; principal 396,827; balance 803,173.
    // 2: 803,173 × 12 % × 31 ÷ 360 = 8,299.45 → 8,299; principal 399,728; balance 403,445.
    // 3: 403,445 × 12 % × 30 ÷ 360 = 4,034.45 → 4,034; principal 403,445; payment 407,479.
    let mut terms = input(
        1_200_000,
        "12",
        3,
        RepaymentMethod::EqualInstalment,
        "2026-01-31",
    );
    terms.day_count = DayCount::Actual360;
    let table: Vec<Row> = vec![
        (1, "2026-02-28", 408_027, 396_827, 11_200, 803_173),
        (2, "2026-03-31", 408_027, 399_728, 8_299, 403_445),
        (3, "2026-04-30", 407_479, 403_445, 4_034, 0),
    ];
    assert_eq!(rows(&schedule(&terms).unwrap()), expected(&table));
}

#[test]
fn bullet_on_actual_365() {
    // 15 January → 15 July 2026: 16 + 28 + 31 + 30 + 31 + 30 + 15 = 181 days;
    // 1,200,000 × 12 % × 181 ÷ 365 = 26,064,000 ÷ 365 = 71,408.22 → 71,408.
    let mut terms = input(1_200_000, "12", 6, RepaymentMethod::Bullet, "2026-01-15");
    terms.day_count = DayCount::Actual365;
    let table: Vec<Row> = vec![(1, "2026-07-15", 1_271_408, 1_200_000, 71_408, 0)];
    assert_eq!(rows(&schedule(&terms).unwrap()), expected(&table));
}

#[test]
fn a_leap_day_counts_as_a_day_on_actual_365() {
    // 29 January → 29 February 2028: 31 days (29 February included), basis still 365:
    // 365,000 fen × 10 % × 31 ÷ 365 = 3,100 exactly. In 2027, 29 January → 28 February spans
    // 30 days: 365,000 × 10 % × 30 ÷ 365 = 3,000.
    let rate = AnnualRate::from_pct("rate", dec("10")).unwrap();
    let leap =
        DayCount::Actual365.interest_fen(365_000, rate, date("2028-01-29"), date("2028-02-29"), 1);
    let common =
        DayCount::Actual365.interest_fen(365_000, rate, date("2027-01-29"), date("2027-02-28"), 1);
    assert_eq!((leap, common), (3_100, 3_000));
    assert_eq!(days_between(date("2028-01-29"), date("2028-02-29")), 31);
}

#[test]
fn day_counts_parse_in_their_usual_spellings() {
    for (text, day_count) in [
        ("monthly", DayCount::Monthly),
        ("actual/360", DayCount::Actual360),
        ("ACT/365", DayCount::Actual365),
        ("actual-360", DayCount::Actual360),
        ("actual_365", DayCount::Actual365),
    ] {
        assert_eq!(DayCount::parse(text).unwrap(), day_count, "{text}");
    }
    assert!(DayCount::parse("30/360").is_err());
    assert_eq!(
        serde_json::to_string(&DayCount::Actual360).unwrap(),
        "\"actual_360\""
    );
}

//! Schedules by each method, period by period to the fen, and the refusals of bad terms.
//!
//! The small loan throughout: 12,000.00 yuan (1,200,000 fen) at 12 % a year, so the monthly rate
//! is exactly 1 %, from 15 January 2026: due dates on the 15th of each following month.

use super::{Codes, Row, expected, input, pairs, refusals, rows};
use crate::loan::{RepaymentMethod, equal_instalment_fen, schedule, to_csv};

use RepaymentMethod::{Bullet, EqualInstalment, EqualPrincipal, InterestOnly};

#[test]
fn worked_schedules() {
    let cases: Vec<(&str, i64, u32, RepaymentMethod, Vec<Row>)> = vec![
        (
            // Equal instalments over 3 months: 1.01³ = 1.030301;
            // A = 1,200,000 × 0.01 × 1.030301 ÷ 0.030301 = 12,363.612 ÷ 0.030301 = 408,026.53…
            // → 408,027 fen.
            // 1: interest 1,200,000 × 1 % = 12,000; principal 408,027 − 12,000 = 396,027;
            //    balance 803,973.
            // 2: interest 8,039.73 → 8,040; principal 399,987; balance 403,986.
            // 3: interest 4,039.86 → 4,040; the last takes the remaining 403,986: payment
            //    408,026, one fen below A (the residue lands here).
            "12",
            1_200_000,
            3,
            EqualInstalment,
            vec![
                (1, "2026-02-15", 408_027, 396_027, 12_000, 803_973),
                (2, "2026-03-15", 408_027, 399_987, 8_040, 403_986),
                (3, "2026-04-15", 408_026, 403_986, 4_040, 0),
            ],
        ),
        (
            // Equal instalments over 6 months: 1.01⁶ = 1.061520150601;
            // A = 12,000 × 1.061520150601 ÷ 0.061520150601 = 207,058.04… → 207,058.
            // 1: 12,000 interest, 195,058 principal, balance 1,004,942.
            // 2: 10,049.42 → 10,049; 197,009; 807,933.
            // 3: 8,079.33 → 8,079; 198,979; 608,954.
            // 4: 6,089.54 → 6,090 (half up of .54); 200,968; 407,986.
            // 5: 4,079.86 → 4,080; 202,978; 205,008.
            // 6: 2,050.08 → 2,050; the last takes 205,008: payment 207,058.
            "12",
            1_200_000,
            6,
            EqualInstalment,
            vec![
                (1, "2026-02-15", 207_058, 195_058, 12_000, 1_004_942),
                (2, "2026-03-15", 207_058, 197_009, 10_049, 807_933),
                (3, "2026-04-15", 207_058, 198_979, 8_079, 608_954),
                (4, "2026-05-15", 207_058, 200_968, 6_090, 407_986),
                (5, "2026-06-15", 207_058, 202_978, 4_080, 205_008),
                (6, "2026-07-15", 207_058, 205_008, 2_050, 0),
            ],
        ),
        (
            // Equal principal, 10,000.00 yuan over 3 months: 1,000,000 ÷ 3 = 333,333.33 →
            // 333,333 a month; the last takes 333,334.
            // Interest: 1,000,000 × 1 % = 10,000; 666,667 × 1 % = 6,666.67 → 6,667;
            // 333,334 × 1 % = 3,333.34 → 3,333.
            "12",
            1_000_000,
            3,
            EqualPrincipal,
            vec![
                (1, "2026-02-15", 343_333, 333_333, 10_000, 666_667),
                (2, "2026-03-15", 340_000, 333_333, 6_667, 333_334),
                (3, "2026-04-15", 336_667, 333_334, 3_333, 0),
            ],
        ),
        (
            // Equal principal, 12,000.00 over 6: 200,000 a month; interest 1 % of 1,200,000,
            // 1,000,000, 800,000 … = 12,000, 10,000, 8,000, 6,000, 4,000, 2,000.
            "12",
            1_200_000,
            6,
            EqualPrincipal,
            vec![
                (1, "2026-02-15", 212_000, 200_000, 12_000, 1_000_000),
                (2, "2026-03-15", 210_000, 200_000, 10_000, 800_000),
                (3, "2026-04-15", 208_000, 200_000, 8_000, 600_000),
                (4, "2026-05-15", 206_000, 200_000, 6_000, 400_000),
                (5, "2026-06-15", 204_000, 200_000, 4_000, 200_000),
                (6, "2026-07-15", 202_000, 200_000, 2_000, 0),
            ],
        ),
        (
            // Interest only: 12,000 each month, the principal with the last.
            "12",
            1_200_000,
            3,
            InterestOnly,
            vec![
                (1, "2026-02-15", 12_000, 0, 12_000, 1_200_000),
                (2, "2026-03-15", 12_000, 0, 12_000, 1_200_000),
                (3, "2026-04-15", 1_212_000, 1_200_000, 12_000, 0),
            ],
        ),
        (
            // Half up, not banker's: 12.50 yuan (1,250 fen) at 1 % a month bears 12.5 fen → 13
            // (banker's rounding would give 12).
            "12",
            1_250,
            2,
            InterestOnly,
            vec![
                (1, "2026-02-15", 13, 0, 13, 1_250),
                (2, "2026-03-15", 1_263, 1_250, 13, 0),
            ],
        ),
        (
            // Bullet over 6 months: simple interest 1,200,000 × 12 % × 6 ÷ 12 = 72,000, all at
            // maturity, 15 July.
            "12",
            1_200_000,
            6,
            Bullet,
            vec![(1, "2026-07-15", 1_272_000, 1_200_000, 72_000, 0)],
        ),
        (
            // At 0 %: equal instalments are B ÷ n = 100,000 ÷ 3 = 33,333.33 → 33,333, the last
            // 33,334; no interest.
            "0",
            100_000,
            3,
            EqualInstalment,
            vec![
                (1, "2026-02-15", 33_333, 33_333, 0, 66_667),
                (2, "2026-03-15", 33_333, 33_333, 0, 33_334),
                (3, "2026-04-15", 33_334, 33_334, 0, 0),
            ],
        ),
    ];
    for (rate, principal, months, method, table) in cases {
        let found = schedule(&input(principal, rate, months, method, "2026-01-15"))
            .unwrap_or_else(|errors| panic!("{errors}"));
        assert_eq!(
            rows(&found),
            expected(&table),
            "{principal} fen at {rate} % over {months} months, {method:?}"
        );
    }
}

#[test]
fn the_issues_example_pays_6544_44_a_month() {
    // 1,000,000 yuan at 4.9 % over 240 months: r = 0.049 ÷ 12 = 0.00408333…;
    // (1 + r)^240 = 2.659145…; A = 100,000,000 × r × 2.659145 ÷ 1.659145 = 654,444.05 fen
    // → 6,544.44 yuan.
    // First period: interest 100,000,000 × 0.049 ÷ 12 = 408,333.33 → 408,333 fen (4,083.33);
    // principal 654,444 − 408,333 = 246,111.
    let terms = input(100_000_000, "4.9", 240, EqualInstalment, "2026-01-15");
    let found = schedule(&terms).unwrap();
    assert_eq!(found.len(), 240);
    let first = &found[0];
    assert_eq!(
        (first.payment_fen, first.interest_fen, first.principal_fen),
        (654_444, 408_333, 246_111)
    );
    assert!(to_csv(&found[..1]).contains(",6544.44,2461.11,4083.33,"));
    // Every period but the last pays the level instalment; the last takes the residue.
    assert!(found[..239].iter().all(|row| row.payment_fen == 654_444));
    // The invariants: principal sums to the loan, the balance ends at zero, each interest is
    // the previous balance × 0.049 ÷ 12 rounded half up.
    assert_eq!(
        found.iter().map(|row| row.principal_fen).sum::<i64>(),
        100_000_000
    );
    assert_eq!(found.last().unwrap().balance_fen, 0);
    let mut balance: i64 = 100_000_000;
    for row in &found {
        // balance × 49,000 ppm ÷ 12,000,000, half up: (2n + d) ÷ 2d.
        let numerator = i128::from(balance) * 49_000;
        let interest = (2 * numerator + 12_000_000) / 24_000_000;
        assert_eq!(
            i128::from(row.interest_fen),
            interest,
            "period {}",
            row.period
        );
        balance -= row.principal_fen;
        assert_eq!(row.balance_fen, balance);
    }
    assert_eq!(found.last().unwrap().due_date.to_string(), "2046-01-15");
}

#[test]
fn level_payments() {
    // (principal fen, rate %, months, A) — A worked out in `worked_schedules` and above;
    // 1 month: A = B × (1 + r) = 1,200,000 × 1.01 = 1,212,000.
    let table = [
        (1_200_000, "12", 3, 408_027),
        (1_200_000, "12", 6, 207_058),
        (100_000_000, "4.9", 240, 654_444),
        (1_200_000, "12", 1, 1_212_000),
        (100_000, "0", 3, 33_333),
    ];
    for (principal, rate, months, payment) in table {
        let rate = crate::loan::AnnualRate::from_pct("rate", super::dec(rate)).unwrap();
        assert_eq!(equal_instalment_fen(principal, rate, months), payment);
    }
}

#[test]
fn due_dates_keep_the_day_clamped_to_the_month_end() {
    // From 31 January 2028 (a leap year): 29 Feb, 31 Mar, 30 Apr, 31 May; counted from the start
    // each time, so February's short month does not pull later dates back to the 29th.
    let found = schedule(&input(500_000, "6", 4, InterestOnly, "2028-01-31")).unwrap();
    let dates: Vec<String> = found.iter().map(|row| row.due_date.to_string()).collect();
    assert_eq!(
        dates,
        ["2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31"]
    );
}

#[test]
fn csv_has_the_header_and_yuan_with_two_decimals() {
    let found = schedule(&input(1_200_000, "12", 3, EqualInstalment, "2026-01-15")).unwrap();
    assert_eq!(
        to_csv(&found),
        "period,due_date,payment,principal,interest,balance\n\
         1,2026-02-15,4080.27,3960.27,120.00,8039.73\n\
         2,2026-03-15,4080.27,3999.87,80.40,4039.86\n\
         3,2026-04-15,4080.26,4039.86,40.40,0.00\n"
    );
    assert_eq!(
        to_csv(&[]),
        "period,due_date,payment,principal,interest,balance\n"
    );
}

#[test]
fn method_names_parse_as_the_cli_writes_them() {
    for (text, method) in [
        ("equal-instalment", EqualInstalment),
        ("equal-principal", EqualPrincipal),
        ("interest-only", InterestOnly),
        ("bullet", Bullet),
    ] {
        assert_eq!(RepaymentMethod::parse(text).unwrap(), method);
    }
    assert_eq!(
        RepaymentMethod::parse("balloon").unwrap_err().code,
        "unknown_value"
    );
}

#[test]
fn bad_terms_are_refused_naming_the_input() {
    // (principal, rate, months, refusals)
    let table: Vec<(i64, &str, u32, Codes)> = vec![
        (-1, "5", 12, vec![("principal_fen", "negative")]),
        (0, "5", 12, vec![("principal_fen", "not_positive")]),
        (
            100_000_000_000_000_001,
            "5",
            12,
            vec![("principal_fen", "above_maximum")],
        ),
        (100, "-0.5", 12, vec![("annual_rate_pct", "negative")]),
        (
            100,
            "36.0001",
            12,
            vec![("annual_rate_pct", "above_maximum")],
        ),
        (100, "120", 12, vec![("annual_rate_pct", "above_maximum")]),
        (100, "4.90001", 12, vec![("annual_rate_pct", "too_precise")]),
        (100, "5", 0, vec![("months", "not_positive")]),
        (100, "5", 361, vec![("months", "above_maximum")]),
        // All at once: a user sees every problem.
        (
            -5,
            "40",
            0,
            vec![
                ("principal_fen", "negative"),
                ("annual_rate_pct", "above_maximum"),
                ("months", "not_positive"),
            ],
        ),
    ];
    for (principal, rate, months, expected) in table {
        let errors = schedule(&input(principal, rate, months, Bullet, "2026-01-15")).unwrap_err();
        assert_eq!(
            refusals(&errors),
            pairs(&expected),
            "{principal} {rate} {months}"
        );
    }
    // The boundaries themselves are accepted: 36 %, 360 months, 1 fen.
    assert!(schedule(&input(1, "36", 360, EqualInstalment, "2026-01-15")).is_ok());
}

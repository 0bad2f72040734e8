//! Prepayment keeps the term and lowers the instalment; worked on the small loan (12,000.00 yuan
//! at 12 %, monthly rate 1 %, from 15 January 2026, 6 months).

use super::{Codes, Row, expected, input, pairs, refusals, rows};
use crate::loan::{PrepaymentInput, RepaymentMethod, prepay, schedule};

use RepaymentMethod::{Bullet, EqualInstalment, EqualPrincipal, InterestOnly};

fn prepayment(month: u32, amount_fen: i64) -> PrepaymentInput {
    PrepaymentInput { month, amount_fen }
}

#[test]
fn worked_prepayments() {
    // (method, month, amount, interest paid with it, the remaining schedule)
    let cases: Vec<(RepaymentMethod, u32, i64, i64, Vec<Row>)> = vec![
        (
            // After period 2 the balance is 807,933 (see `schedule::worked_schedules`);
            // prepaying 600,000 leaves 207,933 over the 4 remaining months:
            // 1.01⁴ = 1.04060401; A = 2,079.33 × 1.04060401 ÷ 0.04060401 = 53,289.30 → 53,289
            // (down from 207,058).
            // 3: 2,079.33 → 2,079; principal 51,210; balance 156,723.
            // 4: 1,567.23 → 1,567; 51,722; 105,001.
            // 5: 1,050.01 → 1,050; 52,239; 52,762.
            // 6: 527.62 → 528; the last takes 52,762: payment 53,290.
            EqualInstalment,
            2,
            600_000,
            0,
            vec![
                (3, "2026-04-15", 53_289, 51_210, 2_079, 156_723),
                (4, "2026-05-15", 53_289, 51_722, 1_567, 105_001),
                (5, "2026-06-15", 53_289, 52_239, 1_050, 52_762),
                (6, "2026-07-15", 53_290, 52_762, 528, 0),
            ],
        ),
        (
            // After period 2 the balance is 800,000; prepaying 200,000 leaves 600,000 ÷ 4 =
            // 150,000 a month; interest 6,000, 4,500, 3,000, 1,500.
            EqualPrincipal,
            2,
            200_000,
            0,
            vec![
                (3, "2026-04-15", 156_000, 150_000, 6_000, 450_000),
                (4, "2026-05-15", 154_500, 150_000, 4_500, 300_000),
                (5, "2026-06-15", 153_000, 150_000, 3_000, 150_000),
                (6, "2026-07-15", 151_500, 150_000, 1_500, 0),
            ],
        ),
        (
            // 1,000,000 left: 10,000 interest a month, the principal at maturity.
            InterestOnly,
            2,
            200_000,
            0,
            vec![
                (3, "2026-04-15", 10_000, 0, 10_000, 1_000_000),
                (4, "2026-05-15", 10_000, 0, 10_000, 1_000_000),
                (5, "2026-06-15", 10_000, 0, 10_000, 1_000_000),
                (6, "2026-07-15", 1_010_000, 1_000_000, 10_000, 0),
            ],
        ),
        (
            // Bullet: the 200,000 prepaid at month 2 bears 200,000 × 12 % × 2 ÷ 12 = 4,000, paid
            // with it; the 1,000,000 left bears 60,000 over the whole 6 months, at maturity.
            // Total interest 64,000 instead of 72,000.
            Bullet,
            2,
            200_000,
            4_000,
            vec![(1, "2026-07-15", 1_060_000, 1_000_000, 60_000, 0)],
        ),
    ];
    for (method, month, amount, interest, table) in cases {
        let terms = input(1_200_000, "12", 6, method, "2026-01-15");
        let current = schedule(&terms).unwrap();
        let result = prepay(&terms, &current, &prepayment(month, amount))
            .unwrap_or_else(|errors| panic!("{method:?}: {errors}"));
        assert_eq!(result.date.to_string(), "2026-03-15", "{method:?}");
        assert_eq!(
            (result.principal_fen, result.interest_fen),
            (amount, interest),
            "{method:?}"
        );
        assert_eq!(rows(&result.remaining), expected(&table), "{method:?}");
    }
}

#[test]
fn prepayments_chain_and_can_pay_off() {
    // Equal principal: after the prepayment above (600,000 over months 3–6, 150,000 each), the
    // balance after period 4 is 300,000; prepaying it all closes the loan.
    let terms = input(1_200_000, "12", 6, EqualPrincipal, "2026-01-15");
    let first = prepay(&terms, &schedule(&terms).unwrap(), &prepayment(2, 200_000)).unwrap();
    let second = prepay(&terms, &first.remaining, &prepayment(4, 300_000)).unwrap();
    assert!(second.remaining.is_empty());
    // Prepaying again at month 2 from the replaced schedule's first period (3) is also allowed:
    // the balance before period 3 is 600,000.
    let again = prepay(&terms, &first.remaining, &prepayment(2, 100_000)).unwrap();
    assert_eq!(again.remaining[0].principal_fen, 125_000);
}

#[test]
fn bad_prepayments_are_refused() {
    let terms = input(1_200_000, "12", 6, EqualPrincipal, "2026-01-15");
    let full = schedule(&terms).unwrap();
    let replaced = prepay(&terms, &full, &prepayment(3, 100_000))
        .unwrap()
        .remaining;
    let table: Vec<(&[crate::loan::Instalment], u32, i64, Codes)> = vec![
        // On the start date, or on or after the last due date: not a prepayment.
        (&full, 0, 100, vec![("month", "out_of_range")]),
        (&full, 6, 100, vec![("month", "out_of_range")]),
        // More than the balance after period 2 (800,000).
        (&full, 2, 800_001, vec![("amount_fen", "above_balance")]),
        (&full, 2, 0, vec![("amount_fen", "not_positive")]),
        // Month 1 is before the schedule in force (periods 4–6).
        (&replaced, 1, 100, vec![("month", "not_in_schedule")]),
    ];
    for (current, month, amount, expected) in table {
        let errors = prepay(&terms, current, &prepayment(month, amount)).unwrap_err();
        assert_eq!(
            refusals(&errors),
            pairs(&expected),
            "month {month} {amount}"
        );
    }
}

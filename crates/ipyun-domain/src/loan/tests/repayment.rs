//! Repayments applied oldest instalment first, fees → interest → principal; days overdue.
//!
//! The dues are the 3-month equal-instalment schedule of 12,000.00 yuan at 12 % (see
//! `schedule::worked_schedules`): due 15 Feb, 15 Mar, 15 Apr 2026, interest 12,000 / 8,040 /
//! 4,040 and principal 396,027 / 399,987 / 403,986 fen.

use super::{date, input, pairs, refusals};
use crate::loan::{
    Applied, Due, RepaymentMethod, add_fee, allocate, loan_days_overdue, overdue, schedule,
};

fn dues() -> Vec<Due> {
    let terms = input(
        1_200_000,
        "12",
        3,
        RepaymentMethod::EqualInstalment,
        "2026-01-15",
    );
    schedule(&terms)
        .unwrap()
        .iter()
        .map(|row| Due::from_instalment(0, row))
        .collect()
}

fn applied(period: u32, fees: i64, interest: i64, principal: i64) -> Applied {
    Applied {
        disbursement: 0,
        period,
        fees_fen: fees,
        interest_fen: interest,
        principal_fen: principal,
    }
}

#[test]
fn worked_allocations() {
    // Period 1 carries a 500-fen penalty fee. (amount, date, applied, unapplied)
    let table: Vec<(i64, &str, Vec<Applied>, i64)> = vec![
        // 500,000 on 20 March: period 1 in full, 500 + 12,000 + 396,027 = 408,527, leaving
        // 91,473; period 2: interest 8,040, then principal 91,473 − 8,040 = 83,433.
        (
            500_000,
            "2026-03-20",
            vec![
                applied(1, 500, 12_000, 396_027),
                applied(2, 0, 8_040, 83_433),
            ],
            0,
        ),
        // 1,000,000 on 20 March: periods 1 (408,527) and 2 (408,027) in full; period 3 is not
        // due until 15 April, so 1,000,000 − 816,554 = 183,446 is left unapplied.
        (
            1_000_000,
            "2026-03-20",
            vec![
                applied(1, 500, 12_000, 396_027),
                applied(2, 0, 8_040, 399_987),
            ],
            183_446,
        ),
        // 300 pays 300 of the fee only; 12,100 pays the 500 fee, then 11,600 of the 12,000
        // interest, and no principal.
        (300, "2026-02-20", vec![applied(1, 300, 0, 0)], 0),
        (12_100, "2026-02-20", vec![applied(1, 500, 11_600, 0)], 0),
        // On the due date itself the instalment is due; the day before nothing is.
        (10, "2026-02-15", vec![applied(1, 10, 0, 0)], 0),
        (10, "2026-02-14", vec![], 10),
    ];
    for (amount, on, expected_applied, unapplied) in table {
        let mut owed = dues();
        add_fee(&mut owed[0], 500).unwrap();
        let allocation = allocate(&owed, amount, date(on)).unwrap();
        assert_eq!(allocation.applied, expected_applied, "{amount} on {on}");
        assert_eq!(allocation.unapplied_fen, unapplied, "{amount} on {on}");
        let paid: i64 = allocation.applied.iter().map(Applied::total_fen).sum();
        assert_eq!(paid + allocation.unapplied_fen, amount);
        let before: i64 = owed.iter().map(Due::outstanding_fen).sum();
        let after: i64 = allocation.dues.iter().map(Due::outstanding_fen).sum();
        assert_eq!(before - after, paid);
    }
}

#[test]
fn the_oldest_instalment_is_paid_first_whatever_the_order_given() {
    // Dues listed newest first, and two disbursements due the same day: the earlier due date
    // first, then disbursement 0 before 1.
    let mut owed = dues();
    owed.reverse();
    let mut other = owed[2].clone(); // period 1 of disbursement 0, due 15 Feb
    other.disbursement = 1;
    other.interest_fen = 100;
    other.principal_fen = 1_000;
    owed.insert(0, other);
    // 408,027 (period 1 of disbursement 0) + 1,100 (disbursement 1) + 1 fen of period 2.
    let allocation = allocate(&owed, 409_128, date("2026-04-30")).unwrap();
    let order: Vec<(usize, u32)> = allocation
        .applied
        .iter()
        .map(|line| (line.disbursement, line.period))
        .collect();
    assert_eq!(order, [(0, 1), (1, 1), (0, 2)]);
    assert_eq!(allocation.applied[2].interest_fen, 1);
}

#[test]
fn days_overdue_by_instalment() {
    // Period 1 is due 15 Feb: 0 days that day, 1 the next; 15 Feb → 16 May 2026 is
    // 13 + 31 + 30 + 16 = 90 days. Period 2 (15 Mar) is then 31 + 30 + 16 = 62 days overdue;
    // period 3 (15 Apr) 31. The loan's days overdue are the oldest's.
    let owed = dues();
    assert_eq!(owed[0].days_overdue(date("2026-02-15")), 0);
    assert_eq!(owed[0].days_overdue(date("2026-02-16")), 1);
    let lines = overdue(&owed, date("2026-05-16"));
    let days: Vec<(u32, i64)> = lines
        .iter()
        .map(|line| (line.period, line.days_overdue))
        .collect();
    assert_eq!(days, [(1, 90), (2, 62), (3, 31)]);
    assert_eq!(loan_days_overdue(&owed, date("2026-05-16")), 90);
    // Once period 1 is paid, the loan is as overdue as period 2.
    let paid = allocate(&owed, 408_027, date("2026-05-16")).unwrap().dues;
    assert_eq!(paid[0].days_overdue(date("2026-05-16")), 0);
    assert_eq!(loan_days_overdue(&paid, date("2026-05-16")), 62);
    // Nothing overdue before the first due date.
    assert_eq!(loan_days_overdue(&owed, date("2026-01-20")), 0);
    assert!(overdue(&owed, date("2026-02-15")).is_empty());
}

#[test]
fn bad_repayments_are_refused() {
    let mut owed = dues();
    owed[1].fees_fen = -5;
    let errors = allocate(&owed, 0, date("2026-03-01")).unwrap_err();
    assert_eq!(
        refusals(&errors),
        pairs(&[
            ("amount_fen", "not_positive"),
            ("dues[1].fees_fen", "negative")
        ])
    );
    assert_eq!(add_fee(&mut owed[0], -1).unwrap_err().code, "negative");
}

//! A contract tied to pledges, with several disbursements, each on its own schedule.

use super::{date, dec, pairs, refusals};
use crate::loan::{DayCount, DisbursementInput, LoanInput, RepaymentMethod};

fn contract() -> LoanInput {
    LoanInput {
        contract_no: " L-2026-001 ".into(),
        pledge_ids: vec![11, 12],
        amount_fen: 2_000_000,
        annual_rate_pct: dec("12"),
        method: RepaymentMethod::EqualPrincipal,
        day_count: DayCount::Monthly,
        start_date: date("2026-01-15"),
        months: 12,
        disbursements: vec![
            DisbursementInput {
                date: date("2026-01-15"),
                principal_fen: 1_200_000,
                months: 6,
            },
            DisbursementInput {
                date: date("2026-03-15"),
                principal_fen: 600_000,
                months: 3,
            },
        ],
    }
}

#[test]
fn two_disbursements_each_on_its_schedule_and_dues_oldest_first() {
    let loan = contract()
        .validate()
        .unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(loan.contract_no, "L-2026-001");
    assert_eq!(loan.maturity.to_string(), "2027-01-15");
    assert_eq!(loan.disbursed_fen(), 1_800_000);
    let schedules = loan.schedules();
    // 1,200,000 ÷ 6 = 200,000 a month from 15 Feb; 600,000 ÷ 3 = 200,000 a month from 15 Apr
    // with interest 6,000, 4,000, 2,000.
    assert_eq!(schedules[0].len(), 6);
    let second: Vec<(String, i64)> = schedules[1]
        .iter()
        .map(|row| (row.due_date.to_string(), row.interest_fen))
        .collect();
    assert_eq!(
        second,
        [
            ("2026-04-15".to_string(), 6_000),
            ("2026-05-15".to_string(), 4_000),
            ("2026-06-15".to_string(), 2_000)
        ]
    );
    // On 15 April both fall due: disbursement 0's period 3 before disbursement 1's period 1.
    let order: Vec<(String, usize, u32)> = loan
        .dues()
        .iter()
        .map(|due| (due.due_date.to_string(), due.disbursement, due.period))
        .take(5)
        .collect();
    assert_eq!(
        order,
        [
            ("2026-02-15".to_string(), 0, 1),
            ("2026-03-15".to_string(), 0, 2),
            ("2026-04-15".to_string(), 0, 3),
            ("2026-04-15".to_string(), 1, 1),
            ("2026-05-15".to_string(), 0, 4),
        ]
    );
}

#[test]
fn bad_contracts_are_refused_naming_the_input() {
    let mut unpledged = contract();
    unpledged.pledge_ids = vec![];
    let mut duplicate = contract();
    duplicate.pledge_ids = vec![11, 0, 11];
    let mut too_much = contract();
    too_much.disbursements[1].principal_fen = 900_000; // 1,200,000 + 900,000 > 2,000,000
    let mut early = contract();
    early.disbursements[1].date = date("2026-01-14");
    let mut late = contract();
    late.disbursements[1].months = 11; // 15 March 2026 + 11 months is after 15 January 2027
    let mut bad_terms = contract();
    bad_terms.annual_rate_pct = dec("37");
    bad_terms.disbursements[0].months = 0;
    bad_terms.contract_no = "  ".into();
    let table = [
        (unpledged, vec![("pledge_ids", "empty")]),
        (
            duplicate,
            vec![
                ("pledge_ids[1]", "not_positive"),
                ("pledge_ids[2]", "duplicate"),
            ],
        ),
        (
            too_much,
            vec![("disbursements[1].principal_fen", "above_contract_amount")],
        ),
        (early, vec![("disbursements[1].date", "before_start")]),
        (late, vec![("disbursements[1].months", "after_maturity")]),
        (
            bad_terms,
            vec![
                ("contract_no", "required"),
                ("annual_rate_pct", "above_maximum"),
                ("disbursements[0].months", "not_positive"),
            ],
        ),
    ];
    for (input, expected) in table {
        let errors = input.validate().unwrap_err();
        assert_eq!(refusals(&errors), pairs(&expected));
    }
}

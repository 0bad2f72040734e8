//! Properties over thousands of random loans, repayments and fund events, drawn from a fixed
//! SplitMix64 stream: the same cases on every run, and a failure names its case.

use super::Rng;
use crate::loan::{
    Account, AccountKind, AnnualRate, DayCount, Due, Instalment, JournalEntry, Ledger, LedgerError,
    LoanClaim, PaidSoFar, PayoutRequest, Posting, PrepaymentInput, RepaymentMethod, RiskClass,
    ScheduleInput, SettlementAccounts, WaterfallInput, allocate, classify, floor,
    loan_days_overdue, pre_compensation, prepay, settlement_entries, split_pro_rata, waterfall,
};
use crate::loan::{Claim, FundRules, FundScope};
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

const METHODS: [RepaymentMethod; 4] = [
    RepaymentMethod::EqualInstalment,
    RepaymentMethod::EqualPrincipal,
    RepaymentMethod::InterestOnly,
    RepaymentMethod::Bullet,
];
const DAY_COUNTS: [DayCount; 3] = [DayCount::Monthly, DayCount::Actual360, DayCount::Actual365];

fn random_loan(rng: &mut Rng, max_months: i64) -> ScheduleInput {
    let rate_ppm = if rng.chance(50) {
        0
    } else {
        rng.range(1, 360_000)
    };
    let start = NaiveDate::from_ymd_opt(
        rng.range(2000, 2040) as i32,
        rng.range(1, 12) as u32,
        rng.range(1, 28) as u32,
    )
    .unwrap();
    // Month ends now and then, to exercise the clamping.
    let start = if rng.chance(200) {
        start.checked_add_months(Months::new(1)).unwrap()
            - chrono::Days::new(u64::from(start.day0()) + 1)
    } else {
        start
    };
    ScheduleInput {
        principal_fen: rng.amount(12),
        annual_rate_pct: Decimal::new(rate_ppm, 4),
        months: rng.range(1, max_months) as u32,
        method: rng.pick(&METHODS),
        start_date: start,
        day_count: rng.pick(&DAY_COUNTS),
    }
}

use chrono::Datelike;

/// balance × rate × time, half up: computed here independently of the module's helpers.
fn expected_interest(
    input: &ScheduleInput,
    balance: i64,
    from: NaiveDate,
    to: NaiveDate,
    months: u32,
) -> i64 {
    let scaled = input.annual_rate_pct * Decimal::from(10_000);
    let ppm = scaled.mantissa() / 10_i128.pow(scaled.scale());
    let (time, basis) = match input.day_count {
        DayCount::Monthly => (i128::from(months), 12),
        DayCount::Actual360 => (i128::from((to - from).num_days()), 360),
        DayCount::Actual365 => (i128::from((to - from).num_days()), 365),
    };
    let numerator = i128::from(balance) * ppm * time;
    let denominator = 1_000_000 * basis;
    i64::try_from((2 * numerator + denominator) / (2 * denominator)).unwrap()
}

fn check_schedule(case: usize, input: &ScheduleInput, rows: &[Instalment]) {
    let label = format!("case {case}: {input:?}");
    let bullet = input.method == RepaymentMethod::Bullet;
    assert_eq!(
        rows.len(),
        if bullet { 1 } else { input.months as usize },
        "{label}"
    );
    assert_eq!(
        rows.iter().map(|row| row.principal_fen).sum::<i64>(),
        input.principal_fen,
        "{label}: principal does not sum to the loan"
    );
    assert_eq!(rows.last().unwrap().balance_fen, 0, "{label}");
    let level = rows.first().unwrap().payment_fen;
    let mut balance = input.principal_fen;
    for (index, row) in rows.iter().enumerate() {
        let last = index + 1 == rows.len();
        let (from, to, months) = if bullet {
            (
                input.start_date,
                input.start_date + Months::new(input.months),
                input.months,
            )
        } else {
            (
                input.start_date + Months::new(index as u32),
                input.start_date + Months::new(index as u32 + 1),
                1,
            )
        };
        assert_eq!(row.due_date, to, "{label}: period {}", row.period);
        assert_eq!(
            row.interest_fen,
            expected_interest(input, balance, from, to, months),
            "{label}: interest of period {}",
            row.period
        );
        assert_eq!(
            row.payment_fen,
            row.principal_fen + row.interest_fen,
            "{label}"
        );
        assert!(
            row.principal_fen >= 0 && row.principal_fen <= balance,
            "{label}"
        );
        balance -= row.principal_fen;
        assert_eq!(row.balance_fen, balance, "{label}");
        if !last && input.day_count == DayCount::Monthly && row.balance_fen > 0 {
            match input.method {
                // The level payment, until the balance runs out early (tiny loans).
                RepaymentMethod::EqualInstalment => assert_eq!(row.payment_fen, level, "{label}"),
                RepaymentMethod::InterestOnly => assert_eq!(row.principal_fen, 0, "{label}"),
                _ => {}
            }
        }
    }
}

#[test]
fn schedules_sum_to_the_loan_and_bear_exact_interest() {
    let mut rng = Rng::new(1);
    for case in 0..3_000 {
        let input = random_loan(&mut rng, 360);
        let rows =
            crate::loan::schedule(&input).unwrap_or_else(|errors| panic!("{input:?}: {errors}"));
        check_schedule(case, &input, &rows);
    }
}

#[test]
fn prepayments_keep_the_principal_whole_and_the_term() {
    let mut rng = Rng::new(2);
    let mut checked = 0;
    for case in 0..3_000 {
        let input = random_loan(&mut rng, 120);
        if input.months < 2 {
            continue;
        }
        let rows = crate::loan::schedule(&input).unwrap();
        let month = rng.range(1, i64::from(input.months) - 1) as u32;
        let bullet = input.method == RepaymentMethod::Bullet;
        let (repaid, balance) = if bullet {
            (0, input.principal_fen)
        } else {
            let done = &rows[..month as usize];
            (
                done.iter().map(|row| row.principal_fen).sum::<i64>(),
                done.last().unwrap().balance_fen,
            )
        };
        if balance == 0 {
            continue;
        }
        let amount = rng.range(1, balance);
        let result = prepay(
            &input,
            &rows,
            &PrepaymentInput {
                month,
                amount_fen: amount,
            },
        )
        .unwrap_or_else(|errors| panic!("case {case}: {input:?}: {errors}"));
        let rest: i64 = result.remaining.iter().map(|row| row.principal_fen).sum();
        assert_eq!(
            repaid + amount + rest,
            input.principal_fen,
            "case {case}: {input:?}"
        );
        if let Some(last) = result.remaining.last() {
            assert_eq!(last.balance_fen, 0, "case {case}");
            assert_eq!(
                last.due_date,
                rows.last().unwrap().due_date,
                "case {case}: the term moved"
            );
        }
        if !bullet && amount < balance {
            // Keep the term: the periods after `month`, on the original due dates.
            let periods: Vec<u32> = result.remaining.iter().map(|row| row.period).collect();
            let expected: Vec<u32> = (month + 1..=input.months).collect();
            assert_eq!(periods, expected, "case {case}");
            for row in &result.remaining {
                assert_eq!(
                    row.due_date,
                    rows[row.period as usize - 1].due_date,
                    "case {case}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 2_000, "only {checked} cases checked");
}

#[test]
fn repayments_are_conserved_and_paid_oldest_first_and_classes_respect_the_floor() {
    let mut rng = Rng::new(3);
    for case in 0..2_000 {
        let input = random_loan(&mut rng, 24);
        let mut dues: Vec<Due> = crate::loan::schedule(&input)
            .unwrap()
            .iter()
            .map(|row| Due::from_instalment(0, row))
            .collect();
        let mut today = input.start_date;
        for _ in 0..rng.range(1, 8) {
            today = today + chrono::Days::new(rng.range(0, 200) as u64);
            if rng.chance(300) {
                let index = rng.range(0, dues.len() as i64 - 1) as usize;
                dues[index].fees_fen += rng.range(0, 10_000);
            }
            let owed: i64 = dues.iter().map(Due::outstanding_fen).sum();
            let amount = rng.range(1, (owed / 2).max(1) + 10_000);
            let allocation = allocate(&dues, amount, today).unwrap();
            let label = format!("case {case}: {amount} on {today}");
            let paid: i64 = allocation.applied.iter().map(|line| line.total_fen()).sum();
            assert_eq!(paid + allocation.unapplied_fen, amount, "{label}");
            let after: i64 = allocation.dues.iter().map(Due::outstanding_fen).sum();
            assert_eq!(owed - after, paid, "{label}");
            for (before, now) in dues.iter().zip(&allocation.dues) {
                assert!(now.fees_fen >= 0 && now.interest_fen >= 0 && now.principal_fen >= 0);
                // Fees, then interest, then principal.
                if now.principal_fen < before.principal_fen {
                    assert_eq!((now.fees_fen, now.interest_fen), (0, 0), "{label}");
                }
                if now.interest_fen < before.interest_fen {
                    assert_eq!(now.fees_fen, 0, "{label}");
                }
                // Nothing not yet due is paid.
                if now.due_date > today {
                    assert_eq!(now, before, "{label}");
                }
            }
            // Oldest first: at most one instalment due by today is left partly paid, and it is
            // the newest one touched; money is left over only when everything due is settled.
            let touched: Vec<usize> = dues
                .iter()
                .zip(&allocation.dues)
                .enumerate()
                .filter(|(_, (before, now))| before != now)
                .map(|(index, _)| index)
                .collect();
            if let Some(newest) = touched.last() {
                for older in &allocation.dues[..*newest] {
                    assert!(older.is_settled() || older.due_date > today, "{label}");
                }
            }
            if allocation.unapplied_fen > 0 {
                assert!(
                    allocation
                        .dues
                        .iter()
                        .all(|due| due.is_settled() || due.due_date > today),
                    "{label}"
                );
            }
            dues = allocation.dues;
            // Classification never falls below the overdue floor.
            let days = loan_days_overdue(&dues, today);
            let restructured = rng.chance(100);
            let found_floor = floor(days, restructured);
            let wish = if rng.chance(300) {
                None
            } else {
                Some(rng.pick(RiskClass::ALL))
            };
            match classify(found_floor, wish) {
                Ok(class) => {
                    assert!(class >= found_floor.class, "{label}");
                    assert_eq!(class, wish.unwrap_or(found_floor.class));
                }
                Err(refused) => assert!(refused.requested < found_floor.class, "{label}"),
            }
        }
    }
}

#[test]
fn floors_never_fall_as_days_overdue_grow() {
    let mut rng = Rng::new(4);
    for _ in 0..10_000 {
        let days = rng.range(-100, 3_000);
        let restructured = rng.chance(500);
        let here = floor(days, restructured).class;
        assert!(floor(days + 1, restructured).class >= here);
        assert!(floor(days, true).class >= here);
        if days > 0 {
            assert!(here >= RiskClass::SpecialMention);
        }
        if days > 360 {
            assert_eq!(here, RiskClass::Loss);
        }
    }
}

#[test]
fn pro_rata_parts_sum_exactly_and_stay_within_a_fen_of_the_exact_share() {
    let mut rng = Rng::new(5);
    for _ in 0..10_000 {
        let amount = rng.amount(12);
        let weights: Vec<i64> = (0..rng.range(1, 5))
            .map(|_| rng.range(0, 1_000_000))
            .collect();
        let total: i128 = weights.iter().map(|weight| i128::from(*weight)).sum();
        let Some(parts) = split_pro_rata(amount, &weights) else {
            assert_eq!(total, 0);
            continue;
        };
        assert_eq!(parts.iter().sum::<i64>(), amount);
        for (part, weight) in parts.iter().zip(&weights) {
            let floor = i128::from(amount) * i128::from(*weight) / total;
            assert!(i128::from(*part) == floor || i128::from(*part) == floor + 1);
        }
    }
}

/// The ledger's invariants after any operation.
fn check_ledger(ledger: &Ledger, label: &str) {
    assert_eq!(ledger.total_fen(), 0, "{label}");
    for (account, balance) in ledger.balances() {
        assert!(
            balance >= 0 || account.allows_overdraft(),
            "{label}: {account} at {balance}"
        );
    }
    assert!(
        ledger.journal().iter().all(|entry| entry.sum_fen() == 0),
        "{label}"
    );
}

/// Applies an entry (as a payout, approved by another user, when it takes money from a fund) and
/// checks that a refusal leaves the ledger unchanged and a success moves exactly the lines.
fn apply_checked(ledger: &mut Ledger, entry: JournalEntry, label: &str) -> Result<(), LedgerError> {
    let before = ledger.clone();
    let result = if entry.payout_from().is_some() {
        let approved = PayoutRequest::new(1, entry.clone()).approve(2).unwrap();
        ledger.apply_payout(approved)
    } else {
        ledger.apply(entry.clone())
    };
    match &result {
        Err(_) => assert_eq!(
            *ledger, before,
            "{label}: a refused entry changed the ledger"
        ),
        Ok(()) => {
            for line in entry.lines() {
                let net: i64 = entry
                    .lines()
                    .iter()
                    .filter(|other| other.account == line.account)
                    .map(|other| other.amount_fen)
                    .sum();
                assert_eq!(
                    ledger.balance(line.account) - before.balance(line.account),
                    net,
                    "{label}"
                );
            }
        }
    }
    check_ledger(ledger, label);
    result
}

#[test]
fn fund_events_keep_the_ledger_balanced_and_never_overdrawn() {
    let mut rng = Rng::new(6);
    let rules = FundRules {
        fund_id: 1,
        scope: FundScope::Park { park_id: 5 },
        coverage_bp: 4_000,
        cap_per_loan_fen: 5_000_000,
        cap_per_year_fen: 30_000_000,
        eligible_lenders: vec![7, 8],
        eligible_products: vec![70],
    };
    let accounts = [
        Account::new(AccountKind::Budget, 1),
        Account::new(AccountKind::Fund, 1),
        Account::new(AccountKind::Fund, 2),
        Account::new(AccountKind::Lender, 7),
        Account::new(AccountKind::Lender, 8),
        Account::new(AccountKind::Recoveries, 42),
        Account::new(AccountKind::Buyer, 2),
        Account::new(AccountKind::Pledgor, 3),
    ];
    let day = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let mut refusals = 0;
    for run in 0..200 {
        let mut ledger = Ledger::new();
        let mut paid_this_year = 0;
        for step in 0..50 {
            let label = format!("run {run} step {step}");
            match rng.range(0, 4) {
                // The budget funds the fund.
                0 => {
                    let entry = crate::loan::appropriation(1, rng.amount(8), day).unwrap();
                    apply_checked(&mut ledger, entry, &label).unwrap();
                }
                // A claim is pre-compensated within the caps, by maker and checker.
                1 => {
                    let lender_id = rng.pick(&[7, 8]);
                    let claim = Claim {
                        lender_id,
                        product_id: 70,
                        region: None,
                        park_id: Some(5),
                        principal_outstanding_fen: rng.amount(8),
                        claimed_on: day,
                    };
                    let so_far = PaidSoFar {
                        for_loan_fen: 0,
                        this_year_fen: paid_this_year,
                    };
                    let due = pre_compensation(&rules, &claim, so_far).unwrap();
                    assert!(
                        due.amount_fen <= due.due_fen && due.amount_fen <= rules.cap_per_loan_fen
                    );
                    if due.amount_fen == 0 {
                        assert!(paid_this_year == rules.cap_per_year_fen || due.due_fen == 0);
                        continue;
                    }
                    let request = crate::loan::pre_compensation_payout(
                        10,
                        1,
                        lender_id,
                        due.amount_fen,
                        day,
                        "claim",
                    )
                    .unwrap();
                    // Straight to the ledger, or approved by its maker: refused, unchanged.
                    let before = ledger.clone();
                    assert!(ledger.apply(request.entry().clone()).is_err());
                    assert!(request.clone().approve(10).is_err());
                    assert_eq!(ledger, before);
                    let approved = request.approve(11).unwrap();
                    match ledger.apply_payout(approved) {
                        Ok(()) => paid_this_year += due.amount_fen,
                        Err(LedgerError::Overdraft { .. }) => {
                            assert_eq!(ledger, before, "{label}");
                            refusals += 1;
                        }
                        Err(other) => panic!("{label}: {other}"),
                    }
                    assert!(paid_this_year <= rules.cap_per_year_fen, "{label}");
                    check_ledger(&ledger, &label);
                }
                // A disposal settles through the waterfall.
                2 => {
                    let principal = rng.amount(8);
                    let result = waterfall(&WaterfallInput {
                        proceeds_fen: rng.amount(8),
                        disposal_costs_fen: rng.amount(5),
                        claim: LoanClaim {
                            fees_fen: rng.range(0, 10_000),
                            interest_fen: rng.range(0, 100_000),
                            principal_fen: principal,
                        },
                        fund_paid_fen: rng.range(0, principal),
                    })
                    .unwrap();
                    let parties = SettlementAccounts {
                        case_id: 42,
                        lender_id: 7,
                        fund_id: 1,
                        pledgor_id: 3,
                        buyer_id: 2,
                    };
                    let held = ledger.balance(parties.recoveries());
                    for entry in settlement_entries(&result, &parties, day).unwrap() {
                        apply_checked(&mut ledger, entry, &label).unwrap();
                    }
                    // The case's recoveries pass straight through: what came in went out.
                    assert_eq!(ledger.balance(parties.recoveries()), held, "{label}");
                }
                // Random entries among all accounts, some unbalanced, many overdrawing.
                _ => {
                    let count = rng.range(2, 4) as usize;
                    let mut lines: Vec<Posting> = (0..count - 1)
                        .map(|_| {
                            Posting::new(rng.pick(&accounts), rng.range(-5_000_000, 5_000_000))
                        })
                        .collect();
                    let sum: i64 = lines.iter().map(|line| line.amount_fen).sum();
                    let off = if rng.chance(100) { 1 } else { 0 };
                    lines.push(Posting::new(rng.pick(&accounts), off - sum));
                    match JournalEntry::new("random", day, lines.clone()) {
                        Ok(entry) => {
                            if apply_checked(&mut ledger, entry, &label).is_err() {
                                refusals += 1;
                            }
                        }
                        Err(error) => {
                            let sum: i64 = lines.iter().map(|line| line.amount_fen).sum();
                            assert!(
                                sum != 0 || lines.iter().any(|line| line.amount_fen == 0),
                                "{label}: {error}"
                            );
                        }
                    }
                }
            }
        }
        check_ledger(&ledger, &format!("run {run}"));
    }
    // The runs did exercise refusals.
    assert!(refusals > 100, "only {refusals} refusals");
}

#[test]
fn rates_round_trip_through_ppm() {
    let mut rng = Rng::new(7);
    for _ in 0..1_000 {
        let ppm = rng.range(0, 360_000);
        let rate = AnnualRate::from_pct("rate", Decimal::new(ppm, 4)).unwrap();
        assert_eq!(rate.ppm(), ppm);
        assert_eq!(rate.pct(), Decimal::new(ppm, 4).normalize());
    }
}

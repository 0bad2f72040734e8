//! The ledger: balanced entries only, all or nothing, no overdraft, payouts by maker and checker.

use super::date;
use crate::loan::{
    Account, AccountKind, JournalEntry, Ledger, LedgerError, PayoutRequest, Posting,
};

fn fund() -> Account {
    Account::new(AccountKind::Fund, 1)
}
fn budget() -> Account {
    Account::new(AccountKind::Budget, 1)
}
fn lender() -> Account {
    Account::new(AccountKind::Lender, 7)
}

fn funded(amount: i64) -> Ledger {
    let mut ledger = Ledger::new();
    let entry = JournalEntry::transfer(
        "appropriation",
        date("2026-01-05"),
        budget(),
        fund(),
        amount,
    )
    .unwrap();
    ledger.apply(entry).unwrap();
    ledger
}

#[test]
fn an_appropriation_moves_money_and_the_total_stays_zero() {
    let ledger = funded(1_000_000);
    assert_eq!(ledger.balance(fund()), 1_000_000);
    // The budget is money from outside: it may go negative.
    assert_eq!(ledger.balance(budget()), -1_000_000);
    assert_eq!(ledger.total_fen(), 0);
    assert_eq!(ledger.journal().len(), 1);
    assert_eq!(ledger.journal()[0].sum_fen(), 0);
}

#[test]
fn entries_that_do_not_balance_are_not_made() {
    let day = date("2026-01-05");
    let table = [
        (
            vec![Posting::new(budget(), -100), Posting::new(fund(), 99)],
            LedgerError::Unbalanced { sum: -1 },
        ),
        (
            vec![Posting::new(fund(), 100)],
            LedgerError::LineCount { lines: 1 },
        ),
        (
            vec![
                Posting::new(budget(), -100),
                Posting::new(lender(), 0),
                Posting::new(fund(), 100),
            ],
            LedgerError::ZeroLine { index: 1 },
        ),
    ];
    for (lines, error) in table {
        assert_eq!(JournalEntry::new("bad", day, lines), Err(error));
    }
}

#[test]
fn an_overdraft_is_refused_and_the_ledger_unchanged() {
    // The fund holds 1,000,000; a payout of 1,000,001 would leave it at −1.
    let mut ledger = funded(1_000_000);
    let before = ledger.clone();
    let payout = PayoutRequest::new(
        10,
        JournalEntry::transfer("payout", date("2026-02-01"), fund(), lender(), 1_000_001).unwrap(),
    )
    .approve(11)
    .unwrap();
    let refused = ledger.apply_payout(payout).unwrap_err();
    assert_eq!(
        refused,
        LedgerError::Overdraft {
            account: fund(),
            would_be: -1
        }
    );
    assert_eq!(refused.code(), "overdraft");
    assert_eq!(ledger, before);
    // A lender's account cannot go negative either (a receipt account).
    let back =
        JournalEntry::transfer("clawback", date("2026-02-01"), lender(), budget(), 1).unwrap();
    assert!(matches!(
        ledger.apply(back),
        Err(LedgerError::Overdraft { .. })
    ));
    assert_eq!(ledger, before);
}

#[test]
fn an_entry_is_applied_whole_or_not_at_all() {
    // Three lines: the fund's line is fine on its own, but the lender's would go negative, so
    // nothing moves, the fund's line included.
    let mut ledger = funded(1_000_000);
    let before = ledger.clone();
    let entry = JournalEntry::new(
        "mixed",
        date("2026-02-01"),
        vec![
            Posting::new(budget(), -500),
            Posting::new(lender(), -500),
            Posting::new(Account::new(AccountKind::Pledgor, 3), 1_000),
        ],
    )
    .unwrap();
    assert!(ledger.apply(entry).is_err());
    assert_eq!(ledger, before);
}

#[test]
fn a_payout_needs_a_checker_other_than_its_maker() {
    let mut ledger = funded(1_000_000);
    let entry =
        JournalEntry::transfer("payout", date("2026-02-01"), fund(), lender(), 400_000).unwrap();
    // Straight to the ledger: refused.
    assert_eq!(
        ledger.apply(entry.clone()),
        Err(LedgerError::NeedsApproval { account: fund() })
    );
    // The maker approving their own payout: refused.
    let refused = PayoutRequest::new(10, entry.clone())
        .approve(10)
        .unwrap_err();
    assert_eq!(refused.user, 10);
    assert_eq!(refused.code(), "maker_is_checker");
    // Another user: approved and applied.
    let approved = PayoutRequest::new(10, entry).approve(11).unwrap();
    assert_eq!((approved.maker(), approved.checker()), (10, 11));
    ledger.apply_payout(approved).unwrap();
    assert_eq!(ledger.balance(fund()), 600_000);
    assert_eq!(ledger.balance(lender()), 400_000);
    assert_eq!(ledger.total_fen(), 0);
}

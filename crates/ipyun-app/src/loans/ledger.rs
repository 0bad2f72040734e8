//! The domain's ledger over the stored balances: every entry is checked by
//! [`Ledger`](ipyun_domain::loan::Ledger) (balanced, no overdraft, payouts only when approved)
//! before it is written, and the database checks the balances again when it writes them.

use super::conflict;
use crate::{App, AppError};
use ipyun_domain::loan::{Account, AccountKind, ApprovedPayout, JournalEntry, Ledger, LedgerError};
use std::collections::BTreeSet;

/// The account the opening balances come from: money from outside, never stored.
const OPENING: Account = Account {
    kind: AccountKind::Buyer,
    id: i64::MIN,
};

pub(crate) fn ledger_error(error: &LedgerError) -> AppError {
    let code = match error {
        LedgerError::Overdraft { .. } => "ledger.overdraft",
        LedgerError::Unbalanced { .. } => "ledger.unbalanced",
        LedgerError::LineCount { .. } => "ledger.line_count",
        LedgerError::ZeroLine { .. } => "ledger.zero_line",
        LedgerError::Overflow { .. } => "ledger.overflow",
        LedgerError::NeedsApproval { .. } => "ledger.needs_approval",
    };
    conflict(code, error.to_string())
}

/// The database's refusal of an overdraft, in the same words as the domain's.
pub(crate) fn posting_error(error: ipyun_db::DbError) -> AppError {
    if ipyun_db::loans::is_ledger_overdraft(&error) {
        return conflict(
            "ledger.overdraft",
            "an account of the ledger would go below zero; nothing was posted",
        );
    }
    super::stale(error)
}

impl App {
    /// A ledger holding the stored balances of every account these entries touch (and of
    /// `also`): what the entries are checked against.
    async fn ledger_over(
        &self,
        entries: &[&JournalEntry],
        also: &[Account],
    ) -> Result<Ledger, AppError> {
        let accounts: BTreeSet<Account> = entries
            .iter()
            .flat_map(|entry| entry.lines().iter().map(|line| line.account))
            .chain(also.iter().copied())
            .collect();
        let accounts: Vec<Account> = accounts.into_iter().collect();
        let today = self.clock.today();
        let mut ledger = Ledger::new();
        for (account, balance) in self.db.ledger_balances(&accounts).await? {
            // Only accounts that can never go negative need their balance to be checked.
            if balance > 0 && !account.allows_overdraft() {
                let opening = JournalEntry::transfer("opening", today, OPENING, account, balance)
                    .map_err(|error| ledger_error(&error))?;
                ledger
                    .apply(opening)
                    .map_err(|error| ledger_error(&error))?;
            }
        }
        Ok(ledger)
    }

    /// Checks entries that need no approval (receipts, settlements) against the stored balances.
    pub(crate) async fn check_entries(&self, entries: &[JournalEntry]) -> Result<(), AppError> {
        let references: Vec<&JournalEntry> = entries.iter().collect();
        let mut ledger = self.ledger_over(&references, &[]).await?;
        for entry in entries {
            ledger
                .apply(entry.clone())
                .map_err(|error| ledger_error(&error))?;
        }
        Ok(())
    }

    /// Checks an approved payout against the stored balances; answers its entry.
    pub(crate) async fn check_payout(
        &self,
        payout: ApprovedPayout,
    ) -> Result<JournalEntry, AppError> {
        let entry = payout.entry().clone();
        let mut ledger = self.ledger_over(&[&entry], &[]).await?;
        ledger
            .apply_payout(payout)
            .map_err(|error| ledger_error(&error))?;
        Ok(entry)
    }
}

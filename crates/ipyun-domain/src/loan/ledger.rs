//! The double-entry ledger through which all money of the risk-compensation funds, of
//! disposals and of subsidy programmes moves.
//!
//! Every account holds a balance in fen: positive is money the account holds. An entry moves
//! money between accounts: its lines (postings) sum to zero, so the total of all balances is
//! always zero. Accounts that stand for money entering from outside (the public budget of a fund
//! or of a subsidy programme, a disposal's buyer) may go negative: their balance is minus what came in from them. Every other
//! account (a fund, a lender, a case's recoveries, a pledgor, the disposal costs) can never go
//! negative: an entry that would make one negative is refused whole, and the ledger is unchanged.
//!
//! Money leaving a fund or a subsidy programme is a payout: it needs a maker and a different
//! checker (四眼原则). The ledger applies it only as an [`ApprovedPayout`], which only
//! [`PayoutRequest::approve`] makes.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The most lines in one entry.
pub const MAX_LINES: usize = 64;

/// What an account stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A region's or park's budget that funds a risk-compensation fund (money from outside).
    Budget,
    /// A risk-compensation fund's money.
    Fund,
    /// What a lender has received.
    Lender,
    /// A disposal case's proceeds, held until they are settled.
    Recoveries,
    /// A disposal's buyer, acquirer or licensee (money from outside).
    Buyer,
    /// The costs of a disposal paid out (auctioneer, appraisal, fees).
    DisposalCosts,
    /// What a pledgor has received from a surplus.
    Pledgor,
    /// A region's budget line that funds a subsidy programme (money from outside), keyed by the
    /// programme.
    SubsidyBudget,
    /// A subsidy programme's money (贴息 / 费用补贴), keyed by the programme.
    Subsidy,
    /// What an enterprise has received (subsidies), keyed by its party id.
    Enterprise,
}

impl AccountKind {
    /// Whether the balance may go below zero: only accounts of money from outside.
    pub fn allows_overdraft(self) -> bool {
        matches!(
            self,
            AccountKind::Budget | AccountKind::Buyer | AccountKind::SubsidyBudget
        )
    }

    /// Whether money leaving the account is a payout of public money, needing a maker and a
    /// checker: a fund's or a subsidy programme's.
    pub fn pays_out(self) -> bool {
        matches!(self, AccountKind::Fund | AccountKind::Subsidy)
    }
}

/// An account: its kind and the id of its owner (a fund, a lender, a case, a party).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
pub struct Account {
    pub kind: AccountKind,
    pub id: i64,
}

impl Account {
    pub fn new(kind: AccountKind, id: i64) -> Account {
        Account { kind, id }
    }

    pub fn allows_overdraft(self) -> bool {
        self.kind.allows_overdraft()
    }
}

impl std::fmt::Display for Account {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{:?}#{}", self.kind, self.id)
    }
}

/// One line of an entry: money into (positive) or out of (negative) an account, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Posting {
    pub account: Account,
    pub amount_fen: i64,
}

impl Posting {
    pub fn new(account: Account, amount_fen: i64) -> Posting {
        Posting {
            account,
            amount_fen,
        }
    }
}

/// Why an entry is refused. The ledger is unchanged after any refusal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("an entry needs at least two lines and at most {MAX_LINES}, got {lines}")]
    LineCount { lines: usize },
    #[error("line {index} of the entry moves nothing")]
    ZeroLine { index: usize },
    #[error("the entry's lines sum to {sum} fen, not zero")]
    Unbalanced { sum: i128 },
    #[error("account {account} would go to {would_be} fen; it can never be negative")]
    Overdraft { account: Account, would_be: i128 },
    #[error("the entry would take account {account} past the largest balance")]
    Overflow { account: Account },
    #[error("money leaves account {account}: a payout needs a maker and a checker")]
    NeedsApproval { account: Account },
}

impl LedgerError {
    /// A stable code for the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            LedgerError::LineCount { .. } => "line_count",
            LedgerError::ZeroLine { .. } => "zero_line",
            LedgerError::Unbalanced { .. } => "unbalanced",
            LedgerError::Overdraft { .. } => "overdraft",
            LedgerError::Overflow { .. } => "overflow",
            LedgerError::NeedsApproval { .. } => "needs_approval",
        }
    }
}

/// A balanced entry: made only by [`JournalEntry::new`], which checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct JournalEntry {
    reference: String,
    date: NaiveDate,
    lines: Vec<Posting>,
}

impl JournalEntry {
    /// An entry of 2–64 lines, none zero, summing to zero.
    pub fn new(
        reference: impl Into<String>,
        date: NaiveDate,
        lines: Vec<Posting>,
    ) -> Result<JournalEntry, LedgerError> {
        check_lines(&lines)?;
        Ok(JournalEntry {
            reference: reference.into(),
            date,
            lines,
        })
    }

    /// `amount_fen` from one account to another.
    pub fn transfer(
        reference: impl Into<String>,
        date: NaiveDate,
        from: Account,
        to: Account,
        amount_fen: i64,
    ) -> Result<JournalEntry, LedgerError> {
        JournalEntry::new(
            reference,
            date,
            vec![
                Posting::new(from, amount_fen.saturating_neg()),
                Posting::new(to, amount_fen),
            ],
        )
    }

    pub fn reference(&self) -> &str {
        &self.reference
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }

    pub fn lines(&self) -> &[Posting] {
        &self.lines
    }

    /// The lines' sum: always zero for an entry that exists.
    pub fn sum_fen(&self) -> i128 {
        self.lines
            .iter()
            .map(|line| i128::from(line.amount_fen))
            .sum()
    }

    /// The first fund or subsidy programme account money leaves, if any: such an entry is a
    /// payout.
    pub fn payout_from(&self) -> Option<Account> {
        self.lines
            .iter()
            .find(|line| line.account.kind.pays_out() && line.amount_fen < 0)
            .map(|line| line.account)
    }
}

fn check_lines(lines: &[Posting]) -> Result<(), LedgerError> {
    if lines.len() < 2 || lines.len() > MAX_LINES {
        return Err(LedgerError::LineCount { lines: lines.len() });
    }
    if let Some(index) = lines.iter().position(|line| line.amount_fen == 0) {
        return Err(LedgerError::ZeroLine { index });
    }
    let sum: i128 = lines.iter().map(|line| i128::from(line.amount_fen)).sum();
    if sum != 0 {
        return Err(LedgerError::Unbalanced { sum });
    }
    Ok(())
}

/// A payout drafted by its maker, waiting for a checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutRequest {
    maker: i64,
    entry: JournalEntry,
}

/// A payout approved by a checker other than its maker: the only way money leaves a fund or a
/// subsidy programme. Not
/// `Clone`: one approval pays once.
#[derive(Debug, PartialEq, Eq)]
pub struct ApprovedPayout {
    maker: i64,
    checker: i64,
    entry: JournalEntry,
}

/// The maker may not check their own payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("user {user} made this payout and cannot also approve it: another user must check it")]
pub struct SameUser {
    pub user: i64,
}

impl SameUser {
    pub fn code(&self) -> &'static str {
        "maker_is_checker"
    }
}

impl PayoutRequest {
    /// A payout entry drafted by user `maker`.
    pub fn new(maker: i64, entry: JournalEntry) -> PayoutRequest {
        PayoutRequest { maker, entry }
    }

    pub fn maker(&self) -> i64 {
        self.maker
    }

    pub fn entry(&self) -> &JournalEntry {
        &self.entry
    }

    /// Approval by user `checker`: refused when the checker is the maker.
    pub fn approve(self, checker: i64) -> Result<ApprovedPayout, SameUser> {
        if checker == self.maker {
            return Err(SameUser { user: checker });
        }
        Ok(ApprovedPayout {
            maker: self.maker,
            checker,
            entry: self.entry,
        })
    }
}

impl ApprovedPayout {
    pub fn maker(&self) -> i64 {
        self.maker
    }

    pub fn checker(&self) -> i64 {
        self.checker
    }

    pub fn entry(&self) -> &JournalEntry {
        &self.entry
    }
}

/// The balances and the journal of applied entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    balances: BTreeMap<Account, i64>,
    journal: Vec<JournalEntry>,
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// An account's balance (0 for an account never used).
    pub fn balance(&self, account: Account) -> i64 {
        self.balances.get(&account).copied().unwrap_or(0)
    }

    /// Every account used, in order, with its balance.
    pub fn balances(&self) -> impl Iterator<Item = (Account, i64)> + '_ {
        self.balances
            .iter()
            .map(|(account, balance)| (*account, *balance))
    }

    /// The sum of all balances: zero, since every entry balances.
    pub fn total_fen(&self) -> i128 {
        self.balances.values().map(|value| i128::from(*value)).sum()
    }

    /// The entries applied, in order.
    pub fn journal(&self) -> &[JournalEntry] {
        &self.journal
    }

    /// Applies an entry that takes no money out of a fund or a programme, all or nothing.
    pub fn apply(&mut self, entry: JournalEntry) -> Result<(), LedgerError> {
        if let Some(account) = entry.payout_from() {
            return Err(LedgerError::NeedsApproval { account });
        }
        self.post(entry)
    }

    /// Applies an approved payout, all or nothing.
    pub fn apply_payout(&mut self, payout: ApprovedPayout) -> Result<(), LedgerError> {
        self.post(payout.entry)
    }

    /// Computes every touched account's new balance first; writes them only when all are valid.
    fn post(&mut self, entry: JournalEntry) -> Result<(), LedgerError> {
        check_lines(&entry.lines)?;
        let mut changes: BTreeMap<Account, i128> = BTreeMap::new();
        for line in &entry.lines {
            *changes.entry(line.account).or_insert(0) += i128::from(line.amount_fen);
        }
        let mut updates = Vec::with_capacity(changes.len());
        for (account, change) in changes {
            let would_be = i128::from(self.balance(account)) + change;
            if would_be < 0 && !account.allows_overdraft() {
                return Err(LedgerError::Overdraft { account, would_be });
            }
            let balance = i64::try_from(would_be).map_err(|_| LedgerError::Overflow { account })?;
            updates.push((account, balance));
        }
        self.balances.extend(updates);
        self.journal.push(entry);
        Ok(())
    }
}

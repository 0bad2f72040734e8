//! The double-entry ledger as stored: entries, their lines, and each account's balance, updated
//! in the same transaction as the lines. The `ledger_balances_no_overdraft` check refuses any
//! balance below zero except a budget's, a subsidy programme's budget line's or a buyer's (money
//! from outside), so even a write that skipped the domain's checks cannot overdraw a fund, a
//! subsidy programme, a lender or a case's recoveries.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::loan::{Account, AccountKind, JournalEntry};
use std::collections::BTreeMap;

/// The name of the check that keeps balances from going negative.
pub const LEDGER_OVERDRAFT: &str = "ledger_balances_no_overdraft";

/// Whether the database refused a posting because a balance would go negative.
pub fn is_ledger_overdraft(error: &DbError) -> bool {
    matches!(error, DbError::Constraint(message) if message.starts_with(LEDGER_OVERDRAFT))
}

/// A posting's failure: the overdraft check as [`DbError::Constraint`] starting with
/// [`LEDGER_OVERDRAFT`], anything else as usual.
pub(crate) fn posting_error(error: sqlx::Error) -> DbError {
    let overdraft = error.as_database_error().is_some_and(|database| {
        database.kind() == sqlx::error::ErrorKind::CheckViolation
            && database.message().contains(LEDGER_OVERDRAFT)
    });
    if overdraft {
        DbError::Constraint(format!(
            "{LEDGER_OVERDRAFT}: an account of the ledger would go below zero"
        ))
    } else {
        DbError::from(error)
    }
}

pub(crate) fn account_kind_str(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Budget => "budget",
        AccountKind::Fund => "fund",
        AccountKind::Lender => "lender",
        AccountKind::Recoveries => "recoveries",
        AccountKind::Buyer => "buyer",
        AccountKind::DisposalCosts => "disposal_costs",
        AccountKind::Pledgor => "pledgor",
        AccountKind::SubsidyBudget => "subsidy_budget",
        AccountKind::Subsidy => "subsidy",
        AccountKind::Enterprise => "enterprise",
    }
}

pub(crate) fn account_kind_parse(text: &str) -> Result<AccountKind, DbError> {
    const KINDS: [AccountKind; 10] = [
        AccountKind::Budget,
        AccountKind::Fund,
        AccountKind::Lender,
        AccountKind::Recoveries,
        AccountKind::Buyer,
        AccountKind::DisposalCosts,
        AccountKind::Pledgor,
        AccountKind::SubsidyBudget,
        AccountKind::Subsidy,
        AccountKind::Enterprise,
    ];
    KINDS
        .into_iter()
        .find(|kind| account_kind_str(*kind) == text)
        .ok_or_else(|| super::corrupt("ledger account kind", text))
}

/// The net change of each account an entry touches, so that one account's lines never pass
/// through a negative balance on the way to a valid one.
pub(crate) fn net_changes(entry: &JournalEntry) -> Vec<(&'static str, i64, i64)> {
    let mut changes: BTreeMap<Account, i64> = BTreeMap::new();
    for line in entry.lines() {
        let change = changes.entry(line.account).or_insert(0);
        *change = change.saturating_add(line.amount_fen);
    }
    changes
        .into_iter()
        .filter(|(_, change)| *change != 0)
        .map(|(account, change)| (account_kind_str(account.kind), account.id, change))
        .collect()
}

/// What an entry is for, stored with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryMeta<'a> {
    /// `appropriation`, `payout`, `recovery_receipt`, `recovery_settlement`.
    pub kind: &'a str,
    pub fund_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub actor: &'a str,
}

/// Posts a balanced [`JournalEntry`] in the caller's transaction: the entry, its lines, and the
/// balances (refused by the overdraft check when one would go negative). Answers the entry's id;
/// map the error with `posting_error`.
macro_rules! post_entry_in {
    ($executor:expr, $entry:expr, $meta:expr, $now:expr) => {
        async {
            let entry: &ipyun_domain::loan::JournalEntry = $entry;
            let meta: &$crate::loans::EntryMeta<'_> = $meta;
            let entry_id: i64 = sqlx::query_scalar(
                "INSERT INTO ledger_entries (reference, entry_date, kind, fund_id, claim_id, actor, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(entry.reference())
            .bind(entry.date())
            .bind(meta.kind)
            .bind(meta.fund_id)
            .bind(meta.claim_id)
            .bind(meta.actor)
            .bind($now)
            .fetch_one($executor)
            .await?;
            for (line_no, line) in entry.lines().iter().enumerate() {
                sqlx::query(
                    "INSERT INTO ledger_lines (entry_id, line_no, account_kind, account_id, amount_fen) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(entry_id)
                .bind(i64::try_from(line_no).unwrap_or(i64::MAX))
                .bind($crate::loans::ledger::account_kind_str(line.account.kind))
                .bind(line.account.id)
                .bind(line.amount_fen)
                .execute($executor)
                .await?;
            }
            for (kind, id, change) in $crate::loans::ledger::net_changes(entry) {
                // The row first (at zero), then the change: the check sees the new balance only.
                sqlx::query(
                    "INSERT INTO ledger_balances (account_kind, account_id, balance_fen) VALUES ($1, $2, 0) \
                     ON CONFLICT (account_kind, account_id) DO NOTHING",
                )
                .bind(kind)
                .bind(id)
                .execute($executor)
                .await?;
                sqlx::query(
                    "UPDATE ledger_balances SET balance_fen = balance_fen + $3 WHERE account_kind = $1 AND account_id = $2",
                )
                .bind(kind)
                .bind(id)
                .bind(change)
                .execute($executor)
                .await?;
            }
            Ok::<i64, sqlx::Error>(entry_id)
        }
        .await
    };
}
pub(crate) use post_entry_in;

/// One line of a stored entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalLine {
    pub account: Account,
    pub amount_fen: i64,
}

/// A stored entry with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRecord {
    pub id: i64,
    pub reference: String,
    pub entry_date: NaiveDate,
    pub kind: String,
    pub fund_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub actor: String,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<JournalLine>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    reference: String,
    entry_date: NaiveDate,
    kind: String,
    fund_id: Option<i64>,
    claim_id: Option<i64>,
    actor: String,
    created_at: DateTime<Utc>,
}

impl Db {
    /// Posts entries that need no approval (a budget's appropriation) in one transaction with
    /// one audit entry. An entry that would overdraw an account fails whole with
    /// [`DbError::Constraint`] (see [`is_ledger_overdraft`]).
    pub async fn post_ledger_entries(
        &self,
        entries: &[JournalEntry],
        meta: &EntryMeta<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, DbError> {
        let after = entries_audit(entries);
        let entity_id = meta.fund_id.unwrap_or_default().to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let mut ids = Vec::with_capacity(entries.len());
            for entry in entries {
                ids.push(post_entry_in!(&mut *transaction, entry, meta, now).map_err(posting_error)?);
            }
            let action = format!("ledger.{}", meta.kind);
            crate::audit::append_in!(&mut *transaction, meta.actor, action.as_str(), "fund", entity_id.as_str(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(ids)
        })
    }

    /// The balances of these accounts (0 for an account never used).
    pub async fn ledger_balances(
        &self,
        accounts: &[Account],
    ) -> Result<Vec<(Account, i64)>, DbError> {
        let mut balances = Vec::with_capacity(accounts.len());
        for account in accounts {
            let balance: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT balance_fen FROM ledger_balances WHERE account_kind = $1 AND account_id = $2",
            )
            .bind(account_kind_str(account.kind))
            .bind(account.id)
            .fetch_optional(pool)
            .await)?;
            balances.push((*account, balance.unwrap_or(0)));
        }
        Ok(balances)
    }

    /// The sum of every balance of the ledger: zero while every entry balances.
    pub async fn ledger_total_fen(&self) -> Result<i64, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(balance_fen), 0) AS BIGINT) FROM ledger_balances",
        )
        .fetch_one(pool)
        .await)?)
    }

    /// The entries of a fund (appropriations, payouts, recoveries), oldest first, with their lines.
    pub async fn fund_journal(&self, fund_id: i64) -> Result<Vec<JournalRecord>, DbError> {
        self.journal_where("e.fund_id = $1", fund_id).await
    }

    /// The entries matching `condition` over `ledger_entries e` (binding `$1` to `id`), oldest
    /// first, with their lines.
    pub(crate) async fn journal_where(
        &self,
        condition: &'static str,
        id: i64,
    ) -> Result<Vec<JournalRecord>, DbError> {
        let sql = format!(
            "SELECT e.id, e.reference, e.entry_date, e.kind, e.fund_id, e.claim_id, e.actor, e.created_at \
             FROM ledger_entries e WHERE {condition} ORDER BY e.id"
        );
        let entries: Vec<EntryRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(pool)
            .await)?;
        let sql = format!(
            "SELECT ll.entry_id, ll.account_kind, ll.account_id, ll.amount_fen FROM ledger_lines ll \
             JOIN ledger_entries e ON e.id = ll.entry_id WHERE {condition} ORDER BY ll.entry_id, ll.line_no"
        );
        let lines: Vec<(i64, String, i64, i64)> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(pool)
            .await)?;
        let mut by_entry: BTreeMap<i64, Vec<JournalLine>> = BTreeMap::new();
        for (entry_id, kind, account_id, amount_fen) in lines {
            by_entry.entry(entry_id).or_default().push(JournalLine {
                account: Account::new(account_kind_parse(&kind)?, account_id),
                amount_fen,
            });
        }
        Ok(entries
            .into_iter()
            .map(|row| JournalRecord {
                lines: by_entry.remove(&row.id).unwrap_or_default(),
                id: row.id,
                reference: row.reference,
                entry_date: row.entry_date,
                kind: row.kind,
                fund_id: row.fund_id,
                claim_id: row.claim_id,
                actor: row.actor,
                created_at: row.created_at,
            })
            .collect())
    }
}

/// The audit state of posted entries: each one's reference, date and lines.
pub(crate) fn entries_audit(entries: &[JournalEntry]) -> String {
    serde_json::Value::Array(
        entries
            .iter()
            .map(|entry| {
                serde_json::json!({"reference": entry.reference(), "date": entry.date(),
                    "lines": entry.lines().iter().map(|line| serde_json::json!([
                        account_kind_str(line.account.kind), line.account.id, line.amount_fen
                    ])).collect::<Vec<_>>()})
            })
            .collect(),
    )
    .to_string()
}

//! Disposal cases (issue 7, L5): a defaulted loan's pledges turned into money. The case's whole
//! state is the domain's JSON (`state`); each step writes it from the version it was read at
//! ([`DbError::Stale`] when another step came first), with an event row and an audit entry.
//! The settlement is one transaction: the ledger's entries, the fund's claim settled, the loan
//! closed with what was recovered and what is written off, and the pledged rights' holders
//! replaced by the buyer when the method transfers them.

use super::ledger::{EntryMeta, post_entry_in, posting_error};
use super::{LoanStatus, corrupt};
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::loan::{DisposalCase, JournalEntry};

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisposalRecord {
    pub id: i64,
    pub loan_id: i64,
    pub lender_id: i64,
    pub pledgor_id: i64,
    pub case: DisposalCase,
    pub costs_fen: Option<i64>,
    pub claim_id: Option<i64>,
    /// The settlement's waterfall and outcome as JSON, once settled.
    pub settlement: Option<String>,
    pub opened_on: NaiveDate,
    pub settled_on: Option<NaiveDate>,
    pub version: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct DisposalRow {
    id: i64,
    loan_id: i64,
    lender_id: i64,
    pledgor_id: i64,
    state: String,
    costs_fen: Option<i64>,
    claim_id: Option<i64>,
    settlement: Option<String>,
    opened_on: NaiveDate,
    settled_on: Option<NaiveDate>,
    version: i64,
    created_by: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl DisposalRow {
    fn into_record(self) -> Result<DisposalRecord, DbError> {
        let case = serde_json::from_str(&self.state)
            .map_err(|error| corrupt("disposal_cases.state", error))?;
        Ok(DisposalRecord {
            id: self.id,
            loan_id: self.loan_id,
            lender_id: self.lender_id,
            pledgor_id: self.pledgor_id,
            case,
            costs_fen: self.costs_fen,
            claim_id: self.claim_id,
            settlement: self.settlement,
            opened_on: self.opened_on,
            settled_on: self.settled_on,
            version: self.version,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const CASE_COLUMNS: &str = "id, loan_id, lender_id, pledgor_id, state, costs_fen, claim_id, settlement, \
    opened_on, settled_on, version, created_by, created_at, updated_at";

/// One step of a case: what happened, for the event log and the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisposalEvent<'a> {
    /// `open`, `list`, `bid`, `close_auction`, `agree`, `change_method`, `close`, `settle`.
    pub action: &'a str,
    /// The step's detail as JSON.
    pub detail: String,
    pub actor: &'a str,
}

/// A stored step of a case.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DisposalEventRecord {
    pub seq: i64,
    pub action: String,
    pub detail: String,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A case to open.
#[derive(Debug, Clone, Copy)]
pub struct NewDisposal<'a> {
    pub loan_id: i64,
    pub lender_id: i64,
    pub pledgor_id: i64,
    pub case: &'a DisposalCase,
    pub opened_on: NaiveDate,
}

/// The new holder of the rights sold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHolder {
    pub party_id: i64,
    pub name: String,
    pub uscc: Option<String>,
}

/// Everything a settlement writes, in one transaction.
#[derive(Debug, Clone)]
pub struct SettlementWrite<'a> {
    pub case_id: i64,
    /// The version the case was read at.
    pub version: i64,
    pub case: &'a DisposalCase,
    pub costs_fen: i64,
    /// The waterfall and what became of the loan, as JSON.
    pub settlement: String,
    pub date: NaiveDate,
    pub entries: &'a [JournalEntry],
    /// The fund's paid claim it settles: (claim, fund, principal recovered, the fund's part).
    pub claim: Option<(i64, i64, i64, i64)>,
    pub loan_id: i64,
    /// What the proceeds paid of the loan.
    pub fees_fen: i64,
    pub interest_fen: i64,
    pub principal_fen: i64,
    /// Principal the proceeds did not cover, written off.
    pub written_off_fen: i64,
    pub loan_status: LoanStatus,
    /// The buyer when the method transfers the rights (not a licence).
    pub new_holder: Option<NewHolder>,
    pub actor: &'a str,
}

macro_rules! event_in {
    ($executor:expr, $case_id:expr, $event:expr, $now:expr) => {
        async {
            let event: &DisposalEvent<'_> = $event;
            sqlx::query(
                "INSERT INTO disposal_events (case_id, seq, action, detail, actor, at) VALUES ($1, \
                 (SELECT COALESCE(MAX(seq), 0) + 1 FROM disposal_events WHERE case_id = $1), $2, $3, $4, $5)",
            )
            .bind($case_id)
            .bind(event.action)
            .bind(&event.detail)
            .bind(event.actor)
            .bind($now)
            .execute($executor)
            .await?;
            let action = format!("disposal.{}", event.action);
            crate::audit::append_in!($executor, event.actor, action.as_str(), "disposal_case",
                &$case_id.to_string(), None::<&str>, Some(&event.detail), $now)?;
            Ok::<(), DbError>(())
        }
        .await
    };
}

fn state_json(case: &DisposalCase) -> Result<String, DbError> {
    serde_json::to_string(case).map_err(|error| corrupt("disposal case", error))
}

impl Db {
    /// Opens a case; refused ([`DbError::Constraint`] starting `disposal_cases_one_open`) while
    /// the loan has another case open.
    pub async fn insert_disposal_case(
        &self,
        new: &NewDisposal<'_>,
        event: &DisposalEvent<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let NewDisposal {
            loan_id,
            lender_id,
            pledgor_id,
            case,
            opened_on,
        } = *new;
        let state = state_json(case)?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO disposal_cases (loan_id, pledge_id, lender_id, pledgor_id, method, status, state, \
                 opened_on, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
                 RETURNING id",
            )
            .bind(loan_id)
            .bind(case.pledge_id())
            .bind(lender_id)
            .bind(pledgor_id)
            .bind(case.method().as_str())
            .bind(case.status().as_str())
            .bind(&state)
            .bind(opened_on)
            .bind(event.actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await
            .map_err(|error| match DbError::from(error) {
                DbError::Constraint(message) => DbError::Constraint(format!("disposal_cases_one_open: {message}")),
                other => other,
            })?;
            event_in!(&mut *transaction, id, event, now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_disposal_case(&self, id: i64) -> Result<Option<DisposalRecord>, DbError> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM disposal_cases WHERE id = $1");
        let row: Option<DisposalRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(DisposalRow::into_record).transpose()
    }

    /// Cases, newest first: of one lender, or all (`None`).
    pub async fn list_disposal_cases(
        &self,
        lender_id: Option<i64>,
        loan_id: Option<i64>,
    ) -> Result<Vec<DisposalRecord>, DbError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM disposal_cases WHERE ($1 IS NULL OR lender_id = $1) \
             AND ($2 IS NULL OR loan_id = $2) ORDER BY id DESC LIMIT 500"
        );
        let rows: Vec<DisposalRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(lender_id)
            .bind(loan_id)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(DisposalRow::into_record).collect()
    }

    pub async fn disposal_events(&self, case_id: i64) -> Result<Vec<DisposalEventRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT seq, action, detail, actor, at FROM disposal_events WHERE case_id = $1 ORDER BY seq",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await)?)
    }

    /// Writes a step's new state from the version it was read at.
    pub async fn update_disposal_case(
        &self,
        id: i64,
        version: i64,
        case: &DisposalCase,
        event: &DisposalEvent<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let state = state_json(case)?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE disposal_cases SET method = $3, status = $4, state = $5, buyer_id = $6, price_fen = $7, \
                 version = version + 1, updated_at = $8 WHERE id = $1 AND version = $2",
            )
            .bind(id)
            .bind(version)
            .bind(case.method().as_str())
            .bind(case.status().as_str())
            .bind(&state)
            .bind(case.buyer_id())
            .bind(case.price_fen())
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("disposal case {id} changed meanwhile")));
            }
            event_in!(&mut *transaction, id, event, now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// The settlement, all or nothing: the ledger's entries (an overdraft refuses it whole), the
    /// claim settled, the loan closed with a `disposal` repayment and a `write_off` of what was not
    /// recovered, its open instalments closed, the rights' holders replaced, the case settled.
    pub async fn settle_disposal_case(
        &self,
        write: &SettlementWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let state = state_json(write.case)?;
        let event = DisposalEvent {
            action: "settle",
            detail: write.settlement.clone(),
            actor: write.actor,
        };
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE disposal_cases SET status = $3, state = $4, costs_fen = $5, claim_id = $6, settlement = $7, \
                 settled_on = $8, version = version + 1, updated_at = $9 WHERE id = $1 AND version = $2",
            )
            .bind(write.case_id)
            .bind(write.version)
            .bind(write.case.status().as_str())
            .bind(&state)
            .bind(write.costs_fen)
            .bind(write.claim.map(|claim| claim.0))
            .bind(&write.settlement)
            .bind(write.date)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("disposal case {} changed meanwhile", write.case_id)));
            }
            let closed = sqlx::query(
                "UPDATE loans SET status = $2, principal_outstanding_fen = 0, updated_at = $3 \
                 WHERE id = $1 AND status = 'active'",
            )
            .bind(write.loan_id)
            .bind(write.loan_status.as_str())
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if closed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("loan {} is no longer active", write.loan_id)));
            }
            sqlx::query("UPDATE loan_instalments SET settled = TRUE WHERE loan_id = $1 AND NOT settled")
                .bind(write.loan_id)
                .execute(&mut *transaction)
                .await?;
            let recovered = write.fees_fen + write.interest_fen + write.principal_fen;
            let detail = serde_json::json!({"disposal_case": write.case_id}).to_string();
            for (kind, amount, fees, interest, principal) in [
                ("disposal", recovered, write.fees_fen, write.interest_fen, write.principal_fen),
                ("write_off", write.written_off_fen, 0, 0, write.written_off_fen),
            ] {
                if amount == 0 {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO loan_repayments (loan_id, kind, received_on, amount_fen, fees_fen, interest_fen, \
                     principal_fen, unapplied_fen, detail, recorded_by, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10)",
                )
                .bind(write.loan_id)
                .bind(kind)
                .bind(write.date)
                .bind(amount)
                .bind(fees)
                .bind(interest)
                .bind(principal)
                .bind(&detail)
                .bind(write.actor)
                .bind(now)
                .execute(&mut *transaction)
                .await?;
            }
            if let Some((claim_id, _, recovered_fen, to_fund_fen)) = write.claim {
                let settled = sqlx::query(
                    "UPDATE fund_claims SET status = 'settled', recovered_fen = $2, recovered_to_fund_fen = $3, \
                     updated_at = $4 WHERE id = $1 AND status = 'paid'",
                )
                .bind(claim_id)
                .bind(recovered_fen)
                .bind(to_fund_fen)
                .bind(now)
                .execute(&mut *transaction)
                .await?;
                if settled.rows_affected() != 1 {
                    return Err(DbError::Stale(format!("claim {claim_id} is no longer paid")));
                }
            }
            for (index, entry) in write.entries.iter().enumerate() {
                let meta = EntryMeta {
                    kind: if index == 0 { "disposal_receipt" } else { "disposal_settlement" },
                    fund_id: write.claim.map(|claim| claim.1),
                    claim_id: write.claim.map(|claim| claim.0),
                    actor: write.actor,
                };
                post_entry_in!(&mut *transaction, entry, &meta, now).map_err(posting_error)?;
            }
            if let Some(holder) = &write.new_holder {
                let rights: Vec<i64> = sqlx::query_scalar(
                    "SELECT pr.right_id FROM loan_pledges lp JOIN pledge_rights pr ON pr.pledge_id = lp.pledge_id \
                     WHERE lp.loan_id = $1 AND pr.active AND pr.right_id IS NOT NULL ORDER BY pr.right_id",
                )
                .bind(write.loan_id)
                .fetch_all(&mut *transaction)
                .await?;
                for right_id in rights {
                    sqlx::query("DELETE FROM right_holders WHERE right_id = $1")
                        .bind(right_id)
                        .execute(&mut *transaction)
                        .await?;
                    sqlx::query(
                        "INSERT INTO right_holders (right_id, position, name, uscc, party_id, share_bp) \
                         VALUES ($1, 0, $2, $3, $4, 10000)",
                    )
                    .bind(right_id)
                    .bind(&holder.name)
                    .bind(holder.uscc.as_deref())
                    .bind(holder.party_id)
                    .execute(&mut *transaction)
                    .await?;
                    // The stored hash no longer describes the record: the next import compares anew.
                    sqlx::query("UPDATE rights SET content_hash = $2, updated_at = $3 WHERE id = $1")
                        .bind(right_id)
                        .bind(format!("transferred:{}", write.case_id))
                        .bind(now)
                        .execute(&mut *transaction)
                        .await?;
                    let after = serde_json::json!({"holder": holder.name, "party_id": holder.party_id,
                        "disposal_case": write.case_id}).to_string();
                    crate::audit::append_in!(&mut *transaction, write.actor, "right.transfer", "right",
                        &right_id.to_string(), None::<&str>, Some(&after), now)?;
                }
            }
            event_in!(&mut *transaction, write.case_id, &event, now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// The fund claims paid on a loan and not yet settled.
    pub async fn paid_claims_on_loan(&self, loan_id: i64) -> Result<Vec<i64>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT id FROM fund_claims WHERE loan_id = $1 AND status = 'paid' ORDER BY id",
        )
        .bind(loan_id)
        .fetch_all(pool)
        .await)?)
    }

    /// A party's name and USCC, to become a right's holder.
    pub async fn party_as_holder(&self, party_id: i64) -> Result<Option<NewHolder>, DbError> {
        let row: Option<(String, Option<String>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT name, uscc FROM parties WHERE id = $1",
        )
        .bind(party_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(name, uscc)| NewHolder {
            party_id,
            name,
            uscc,
        }))
    }
}

//! The registry of rights: single-right writes, each in one transaction with its audit entry.

use super::content_hash;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::right::{LegalStatus, NewRight};

pub(crate) const INSERT_HOLDER_SQL: &str = "INSERT INTO right_holders (right_id, position, name, uscc, party_id, share_bp) \
     VALUES ($1, $2, $3, $4, (SELECT id FROM parties WHERE uscc = $4), $5)";

pub(crate) const INSERT_STATUS_EVENT_SQL: &str = "INSERT INTO right_status_events \
     (right_id, status, effective_date, note, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)";

/// Stores the status a right was recorded with as its first event, when it has none yet (imported
/// rights start without one): run before a status change, so the history keeps where it began.
pub(crate) const MATERIALISE_INITIAL_EVENT_SQL: &str = "INSERT INTO right_status_events \
     (right_id, status, effective_date, note, recorded_at, recorded_by) \
     SELECT r.id, r.legal_status, COALESCE(r.grant_date, r.filing_date), 'imported', r.created_at, NULL FROM rights r \
     WHERE r.id = $1 AND NOT EXISTS (SELECT 1 FROM right_status_events e WHERE e.right_id = r.id)";

/// Binds a new right's 14 insert values in column order: kind … expiry_date, content_hash, and
/// `now` twice (created_at, updated_at; each parameter is used once, as SQLite's `?` needs).
macro_rules! bind_new_right {
    ($query:expr, $right:expr, $hash:expr, $now:expr) => {
        $query
            .bind($right.kind.as_str())
            .bind($right.number.as_str())
            .bind(&$right.title)
            .bind($right.filing_date)
            .bind($right.grant_date)
            .bind($right.legal_status.as_str())
            .bind($right.annual_fee_paid_until)
            .bind(
                $right
                    .nice_class
                    .as_ref()
                    .map(|class| i32::from(class.number())),
            )
            .bind($right.ipc_main.as_ref().map(|symbol| symbol.as_str()))
            .bind(i32::from($right.renewals))
            .bind($right.expiry_date())
            .bind($hash)
            .bind($now)
            .bind($now)
    };
}
pub(crate) use bind_new_right;

/// The JSON kept in the audit log for a right.
pub(crate) fn right_audit_state(right: &NewRight) -> String {
    serde_json::json!({
        "kind": right.kind.as_str(),
        "number": right.number.as_str(),
        "title": right.title,
        "filing_date": right.filing_date,
        "grant_date": right.grant_date,
        "legal_status": right.legal_status.as_str(),
        "annual_fee_paid_until": right.annual_fee_paid_until,
        "nice_class": right.nice_class.as_ref().map(|class| class.number()),
        "ipc_main": right.ipc_main.as_ref().map(|symbol| symbol.as_str()),
        "renewals": right.renewals,
        "holders": right.holders,
    })
    .to_string()
}

impl Db {
    /// Records a new right with its holders and first status event. A number already recorded
    /// fails with [`DbError::Constraint`].
    pub async fn insert_right(
        &self,
        right: &NewRight,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let hash = content_hash(right);
        let audit_state = right_audit_state(right);
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let right_id: i64 = crate::rights::bind_new_right!(sqlx::query_scalar(
                "INSERT INTO rights (kind, number, title, filing_date, grant_date, legal_status, annual_fee_paid_until, \
                 nice_class, ipc_main, renewals, expiry_date, content_hash, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            ), right, &hash, now)
            .fetch_one(&mut *transaction)
            .await?;
            for (position, holder) in right.holders.iter().enumerate() {
                sqlx::query(INSERT_HOLDER_SQL)
                    .bind(right_id)
                    .bind(i32::try_from(position).unwrap_or(i32::MAX))
                    .bind(&holder.name)
                    .bind(holder.uscc.as_ref().map(|uscc| uscc.as_str()))
                    .bind(i32::try_from(holder.share_bp).unwrap_or(0))
                    .execute(&mut *transaction)
                    .await?;
            }
            sqlx::query(INSERT_STATUS_EVENT_SQL)
                .bind(right_id)
                .bind(right.legal_status.as_str())
                .bind(right.grant_date.unwrap_or(right.filing_date))
                .bind("recorded")
                .bind(now)
                .bind(actor)
                .execute(&mut *transaction)
                .await?;
            crate::audit::append_in!(&mut *transaction, actor, "right.create", "right", right.number.as_str(), None::<String>, Some(&audit_state), now)?;
            transaction.commit().await?;
            Ok(right_id)
        })
    }

    /// Appends a legal-status event and makes it the right's current status.
    pub async fn record_right_status(
        &self,
        right_id: i64,
        status: LegalStatus,
        effective_date: NaiveDate,
        note: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let before: Option<(String, String)> =
                sqlx::query_as("SELECT number, legal_status FROM rights WHERE id = $1")
                    .bind(right_id)
                    .fetch_optional(&mut *transaction)
                    .await?;
            let Some((number, before_status)) = before else {
                return Err(DbError::NotFound);
            };
            sqlx::query(MATERIALISE_INITIAL_EVENT_SQL).bind(right_id).execute(&mut *transaction).await?;
            sqlx::query("UPDATE rights SET legal_status = $1, updated_at = $2 WHERE id = $3")
                .bind(status.as_str())
                .bind(now)
                .bind(right_id)
                .execute(&mut *transaction)
                .await?;
            sqlx::query(INSERT_STATUS_EVENT_SQL)
                .bind(right_id)
                .bind(status.as_str())
                .bind(effective_date)
                .bind(note)
                .bind(now)
                .bind(actor)
                .execute(&mut *transaction)
                .await?;
            crate::audit::append_in!(&mut *transaction, actor, "right.status", "right", &number, Some(serde_json::json!({ "legal_status": before_status }).to_string()), Some(serde_json::json!({ "legal_status": status.as_str(), "effective_date": effective_date, "note": note }).to_string()), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }
}

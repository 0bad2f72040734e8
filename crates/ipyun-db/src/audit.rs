//! The audit log (feature A3): who changed what, when, from what to what, each entry chained to
//! the one before by its hash, so that a changed, removed or inserted entry breaks the chain.
//!
//! The head of the chain (last sequence number and hash) is one row, `audit_head`, updated in the
//! same transaction as the change it records: on PostgreSQL the update's row lock orders
//! concurrent writers, on SQLite the write lock does. Append entries last in a transaction, so
//! that lock is held briefly.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, SecondsFormat, Timelike, Utc};
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub(crate) const INSERT_AUDIT_SQL: &str = "INSERT INTO audit_log \
     (actor, action, entity, entity_id, before_state, after_state, at, seq, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
pub(crate) const ADVANCE_HEAD_SQL: &str =
    "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";
pub(crate) const SET_HEAD_HASH_SQL: &str = "UPDATE audit_head SET hash = $1 WHERE id = 1";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub at: DateTime<Utc>,
    pub seq: Option<i64>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// Instants are kept to the microsecond, which both backends store exactly.
pub fn chain_instant(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_nanosecond(at.nanosecond() / 1_000 * 1_000)
        .unwrap_or(at)
}

/// The hash of an entry: SHA-256 over a JSON array of the previous hash and the entry's fields.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
    at: DateTime<Utc>,
) -> String {
    let at_text = chain_instant(at).to_rfc3339_opts(SecondsFormat::Micros, true);
    let canonical = serde_json::json!([
        prev_hash, seq, actor, action, entity, entity_id, before, after, at_text
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

pub(crate) fn text<T: AsRef<str> + ?Sized>(value: &T) -> &str {
    value.as_ref()
}

/// Appends an entry inside the caller's transaction, so the change and its record commit together.
/// `$executor` is evaluated once per statement (pass `&mut *transaction`). A macro rather than a
/// generic function: each backend's executor keeps its concrete type, which keeps futures `Send`.
macro_rules! append_in {
    ($executor:expr, $actor:expr, $action:expr, $entity:expr, $entity_id:expr, $before:expr, $after:expr, $at:expr) => {
        async {
            let (actor_value, action_value, entity_value, entity_id_value) =
                ($actor, $action, $entity, $entity_id);
            let actor = $crate::audit::text(&actor_value);
            let action = $crate::audit::text(&action_value);
            let entity = $crate::audit::text(&entity_value);
            let entity_id = $crate::audit::text(&entity_id_value);
            let before_value = $before;
            let after_value = $after;
            let before: Option<&str> = before_value
                .as_ref()
                .map(|value| $crate::audit::text(value));
            let after: Option<&str> = after_value.as_ref().map(|value| $crate::audit::text(value));
            let at = $crate::audit::chain_instant($at);
            let (seq, prev_hash): (i64, String) = sqlx::query_as($crate::audit::ADVANCE_HEAD_SQL)
                .fetch_one($executor)
                .await?;
            let hash = $crate::audit::entry_hash(
                &prev_hash, seq, actor, action, entity, entity_id, before, after, at,
            );
            sqlx::query($crate::audit::INSERT_AUDIT_SQL)
                .bind(actor)
                .bind(action)
                .bind(entity)
                .bind(entity_id)
                .bind(before)
                .bind(after)
                .bind(at)
                .bind(seq)
                .bind(&prev_hash)
                .bind(&hash)
                .execute($executor)
                .await?;
            sqlx::query($crate::audit::SET_HEAD_HASH_SQL)
                .bind(&hash)
                .execute($executor)
                .await?;
            Ok::<(), sqlx::Error>(())
        }
        .await
    };
}
pub(crate) use append_in;

/// What `verify_audit_chain` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainReport {
    /// Entries checked in the chain.
    pub entries: i64,
    /// Entries written before the chain began (migration 2), outside it.
    pub unchained: i64,
    /// The first broken link, if any.
    pub broken: Option<BrokenLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BrokenLink {
    pub seq: i64,
    pub id: Option<i64>,
    pub reason: String,
}

const VERIFY_BATCH: i64 = 5_000;

impl Db {
    /// Appends an entry on its own (for changes made outside a store transaction, such as imports).
    pub async fn append_audit(
        &self,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: &str,
        after: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            append_in!(&mut *transaction, actor, action, entity, entity_id, None::<&str>, after, at)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    pub async fn list_audit(
        &self,
        entity: &str,
        entity_id: &str,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, actor, action, entity, entity_id, before_state, after_state, at, seq, prev_hash, hash \
             FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(entity).bind(entity_id).bind(limit)
        .fetch_all(pool).await)?)
    }

    /// Walks the whole chain in order and reports the first link that does not hold: a sequence
    /// gap, a previous-hash mismatch, an entry whose fields no longer give its hash, or a head that
    /// disagrees with the last entry.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport, DbError> {
        let unchained: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE seq IS NULL").fetch_one(pool).await)?;
        let mut expected_prev = GENESIS_HASH.to_string();
        let mut expected_seq = 1_i64;
        let mut entries = 0_i64;
        loop {
            let batch: Vec<AuditEntry> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, actor, action, entity, entity_id, before_state, after_state, at, seq, prev_hash, hash \
                 FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
            )
            .bind(expected_seq).bind(VERIFY_BATCH)
            .fetch_all(pool).await)?;
            let done = batch.len() < usize::try_from(VERIFY_BATCH).unwrap_or(usize::MAX);
            for entry in batch {
                let seq = entry.seq.unwrap_or_default();
                let broken = |reason: String| ChainReport {
                    entries,
                    unchained,
                    broken: Some(BrokenLink {
                        seq,
                        id: Some(entry.id),
                        reason,
                    }),
                };
                if seq != expected_seq {
                    return Ok(broken(format!(
                        "expected entry {expected_seq}, found {seq}: entries are missing"
                    )));
                }
                if entry.prev_hash.as_deref() != Some(expected_prev.as_str()) {
                    return Ok(broken(
                        "its previous hash is not the hash of the entry before".into(),
                    ));
                }
                let recomputed = entry_hash(
                    &expected_prev,
                    seq,
                    &entry.actor,
                    &entry.action,
                    &entry.entity,
                    &entry.entity_id,
                    entry.before_state.as_deref(),
                    entry.after_state.as_deref(),
                    entry.at,
                );
                if entry.hash.as_deref() != Some(recomputed.as_str()) {
                    return Ok(broken(
                        "its content does not match its hash: it was altered".into(),
                    ));
                }
                expected_prev = recomputed;
                expected_seq += 1;
                entries += 1;
            }
            if done {
                break;
            }
        }
        let (head_seq, head_hash): (i64, String) = on_pool!(self, pool => sqlx::query_as(
            "SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await)?;
        if head_seq != entries || head_hash != expected_prev {
            return Ok(ChainReport {
                entries,
                unchained,
                broken: Some(BrokenLink {
                    seq: head_seq,
                    id: None,
                    reason: format!(
                        "the chain's head says {head_seq} entries but {entries} were found: the last entries were removed"
                    ),
                }),
            });
        }
        Ok(ChainReport {
            entries,
            unchained,
            broken: None,
        })
    }
}

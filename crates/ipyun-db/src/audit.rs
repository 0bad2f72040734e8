//! The audit log: who changed what, when, from what to what.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};

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
}

/// Appends an entry inside the caller's transaction, so the change and its record commit together.
/// A macro rather than a generic function: each backend's executor keeps its concrete type, which
/// keeps the futures `Send`.
macro_rules! append_in {
    ($executor:expr, $actor:expr, $action:expr, $entity:expr, $entity_id:expr, $before:expr, $after:expr, $at:expr) => {
        sqlx::query($crate::rights::INSERT_AUDIT_SQL)
            .bind($actor)
            .bind($action)
            .bind($entity)
            .bind($entity_id)
            .bind($before)
            .bind($after)
            .bind($at)
            .execute($executor)
            .await
            .map(|_| ())
    };
}
pub(crate) use append_in;

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
        on_pool!(self, pool => append_in!(pool, actor, action, entity, entity_id, None::<&str>, after, at))?;
        Ok(())
    }

    pub async fn list_audit(
        &self,
        entity: &str,
        entity_id: &str,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, actor, action, entity, entity_id, before_state, after_state, at FROM audit_log \
             WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(entity).bind(entity_id).bind(limit)
        .fetch_all(pool).await)?)
    }
}

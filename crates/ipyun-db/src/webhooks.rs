//! Lenders' webhook endpoints (issue 6, F5): the endpoints, one delivery per endpoint and demand
//! (the unique key makes a second enqueue a no-op), and each attempt. A worker claims a due
//! delivery by moving its attempt counter from the value it read (`UPDATE … WHERE attempts =
//! $read`), under a lease, so two workers never send the same attempt; the attempt's outcome is
//! written only by the claimant of that attempt.

use crate::rights::corrupt;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};
use ipyun_domain::market::exchange::{DeliveryStatus, WebhookStatus};

/// A stored endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRecord {
    pub id: i64,
    pub lender_id: i64,
    pub url: String,
    pub secret: String,
    pub description: String,
    pub status: WebhookStatus,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct WebhookRow {
    id: i64,
    lender_id: i64,
    url: String,
    secret: String,
    description: String,
    status: String,
    created_by: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl WebhookRow {
    fn into_record(self) -> Result<WebhookRecord, DbError> {
        Ok(WebhookRecord {
            status: WebhookStatus::parse(&self.status)
                .map_err(|error| corrupt("webhook_subscriptions.status", error))?,
            id: self.id,
            lender_id: self.lender_id,
            url: self.url,
            secret: self.secret,
            description: self.description,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const WEBHOOK_SELECT: &str = "SELECT id, lender_id, url, secret, description, status, created_by, created_at, \
    updated_at FROM webhook_subscriptions";

/// A new endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookWrite<'a> {
    pub lender_id: i64,
    pub url: &'a str,
    pub secret: &'a str,
    pub description: &'a str,
    pub actor: &'a str,
}

/// A stored delivery.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryRecord {
    pub id: i64,
    pub subscription_id: i64,
    pub demand_id: i64,
    pub event: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AttemptRecord {
    pub delivery_id: i64,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// A delivery that is due, with what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueDelivery {
    pub id: i64,
    pub attempts: i64,
    pub url: String,
    pub secret: String,
    pub event: String,
    pub payload: String,
}

/// What became of a claimed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    Delivered,
    /// Failed; tried again at this instant.
    Retry(DateTime<Utc>),
    /// Failed for the last time.
    GivenUp,
}

/// The record of an attempt `seq` (the claimed attempt number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptWrite<'a> {
    pub delivery_id: i64,
    pub seq: i64,
    pub status_code: Option<i64>,
    pub error: Option<&'a str>,
    pub duration_ms: i64,
    pub outcome: AttemptOutcome,
    pub actor: &'a str,
}

const DELIVERY_COLUMNS: &str = "d.id, d.subscription_id, d.demand_id, d.event, d.payload, d.status, d.attempts, \
    d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.delivered_at";

impl Db {
    /// Registers an endpoint (active).
    pub async fn insert_webhook(
        &self,
        write: &WebhookWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let after = serde_json::json!({"lender_id": write.lender_id, "url": write.url,
            "description": write.description, "status": "active"})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO webhook_subscriptions (lender_id, url, secret, description, status, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 'active', $5, $6, $6) RETURNING id",
            )
            .bind(write.lender_id)
            .bind(write.url)
            .bind(write.secret)
            .bind(write.description)
            .bind(write.actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, write.actor, "webhook.create", "webhook", &id.to_string(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_webhook(&self, id: i64) -> Result<Option<WebhookRecord>, DbError> {
        let sql = format!("{WEBHOOK_SELECT} WHERE id = $1");
        let row: Option<WebhookRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(WebhookRow::into_record).transpose()
    }

    /// Endpoints, newest first: one lender's, or all; only active ones with `active_only`.
    pub async fn list_webhooks(
        &self,
        lender_id: Option<i64>,
        active_only: bool,
    ) -> Result<Vec<WebhookRecord>, DbError> {
        let sql = format!(
            "{WEBHOOK_SELECT} WHERE ($1 IS NULL OR lender_id = $1) AND ($2 = 0 OR status = 'active') ORDER BY id DESC"
        );
        let rows: Vec<WebhookRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(lender_id)
            .bind(i64::from(active_only))
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(WebhookRow::into_record).collect()
    }

    /// Disables an active endpoint; its pending deliveries are cancelled.
    pub async fn disable_webhook(
        &self,
        id: i64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE webhook_subscriptions SET status = 'disabled', updated_at = $2 WHERE id = $1 AND status = 'active'",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("webhook {id} is already disabled")));
            }
            let cancelled = sqlx::query(
                "UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = $2 \
                 WHERE subscription_id = $1 AND status = 'pending'",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
            let after = serde_json::json!({"status": "disabled", "cancelled_deliveries": cancelled}).to_string();
            crate::audit::append_in!(&mut *transaction, actor, "webhook.disable", "webhook", &id.to_string(),
                Some(r#"{"status":"active"}"#), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Enqueues the delivery of `event` about a demand to an endpoint, unless one exists for the
    /// pair: its id, or `None` when it was already there.
    pub async fn enqueue_delivery(
        &self,
        subscription_id: i64,
        demand_id: i64,
        (event, payload): (&str, &str),
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO webhook_deliveries (subscription_id, demand_id, event, payload, status, attempts, \
                 next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5) \
                 ON CONFLICT (subscription_id, demand_id) DO NOTHING RETURNING id",
            )
            .bind(subscription_id)
            .bind(demand_id)
            .bind(event)
            .bind(payload)
            .bind(now)
            .fetch_optional(&mut *transaction)
            .await?;
            if let Some(id) = id {
                let after = serde_json::json!({"subscription_id": subscription_id, "demand_id": demand_id,
                    "event": event, "status": "pending"})
                .to_string();
                crate::audit::append_in!(&mut *transaction, actor, "webhook.enqueue", "webhook_delivery",
                    &id.to_string(), None::<&str>, Some(&after), now)?;
            }
            transaction.commit().await?;
            Ok(id)
        })
    }

    /// An endpoint's deliveries, newest first (at most 500).
    pub async fn list_deliveries(
        &self,
        subscription_id: i64,
    ) -> Result<Vec<DeliveryRecord>, DbError> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.subscription_id = $1 ORDER BY d.id DESC LIMIT 500"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(subscription_id)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// Every attempt of an endpoint's deliveries, by delivery and attempt.
    pub async fn list_attempts(&self, subscription_id: i64) -> Result<Vec<AttemptRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT a.delivery_id, a.seq, a.at, a.status_code, a.error, a.duration_ms FROM webhook_attempts a \
             JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = $1 ORDER BY a.delivery_id, a.seq",
        )
        .bind(subscription_id)
        .fetch_all(pool)
        .await)?)
    }

    /// Pending deliveries of active endpoints due at `now` and not leased, oldest first.
    pub async fn due_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<DueDelivery>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT d.id, d.attempts, s.url, s.secret, d.event, d.payload FROM webhook_deliveries d \
             JOIN webhook_subscriptions s ON s.id = d.subscription_id \
             WHERE d.status = 'pending' AND s.status = 'active' AND d.next_attempt_at <= $1 \
             AND (d.lease_until IS NULL OR d.lease_until <= $1) ORDER BY d.next_attempt_at, d.id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
    }

    /// Claims the next attempt of a delivery read with `attempts` made, leased until
    /// `lease_until`: whether this caller won it (then it owns attempt `attempts + 1`).
    pub async fn claim_delivery(
        &self,
        id: i64,
        attempts: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, lease_until = $4, updated_at = $3 \
             WHERE id = $1 AND attempts = $2 AND status = 'pending' AND next_attempt_at <= $3 \
             AND (lease_until IS NULL OR lease_until <= $3)",
        )
        .bind(id)
        .bind(attempts)
        .bind(now)
        .bind(lease_until)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(changed == 1)
    }

    /// Records a claimed attempt and its outcome, with an audit entry.
    pub async fn record_attempt(
        &self,
        write: &AttemptWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let (status, next_attempt_at, delivered_at) = match write.outcome {
            AttemptOutcome::Delivered => (DeliveryStatus::Delivered, None, Some(now)),
            AttemptOutcome::Retry(at) => (DeliveryStatus::Pending, Some(at), None),
            AttemptOutcome::GivenUp => (DeliveryStatus::Failed, None, None),
        };
        let after = serde_json::json!({"attempt": write.seq, "status": status.as_str(),
            "status_code": write.status_code, "error": write.error, "next_attempt_at": next_attempt_at})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE webhook_deliveries SET status = $3, next_attempt_at = $4, delivered_at = $5, lease_until = NULL, \
                 last_status_code = $6, last_error = $7, updated_at = $8 WHERE id = $1 AND attempts = $2 AND status = 'pending'",
            )
            .bind(write.delivery_id)
            .bind(write.seq)
            .bind(status.as_str())
            .bind(next_attempt_at)
            .bind(delivered_at)
            .bind(write.status_code)
            .bind(write.error)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!(
                    "delivery {} is no longer at attempt {}", write.delivery_id, write.seq
                )));
            }
            sqlx::query(
                "INSERT INTO webhook_attempts (delivery_id, seq, at, status_code, error, duration_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(write.delivery_id)
            .bind(write.seq)
            .bind(now)
            .bind(write.status_code)
            .bind(write.error)
            .bind(write.duration_ms)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, write.actor, "webhook.attempt", "webhook_delivery",
                &write.delivery_id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }
}

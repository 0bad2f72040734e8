//! Webhooks to lenders' systems (issue 6, F5). Who may do what: a lender's users register,
//! list and disable their lender's endpoints and read their deliveries; platform
//! administrators list and disable any; nobody else sees one (another lender's answers "not
//! found"). The secret is shown once, at registration.
//!
//! When a demand is published or imported, every active endpoint of a lender that may see it
//! (shared with every lender, or with it) and has an active product passing the hard rules
//! (`market::mismatches`) gets one delivery — one per endpoint and demand, whatever happens
//! again. [`App::deliver_due`] sends what is due: POST of the stored JSON with `X-Ipyun-Event`,
//! `X-Ipyun-Delivery`, `X-Ipyun-Timestamp` and `X-Ipyun-Signature` (see
//! `market::exchange::signature`); a failure or a non-2xx answer is tried again after
//! 30 s, 2 min, 10 min, 1 h and 6 h, then given up; each attempt is recorded.

use crate::{App, AppError, ErrorKind};
use chrono::{DateTime, Utc};
use ipyun_db::products::ProductFilter;
use ipyun_db::webhooks::{
    AttemptOutcome, AttemptWrite, DeliveryRecord, DueDelivery, WebhookRecord, WebhookWrite,
};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::market::exchange::{
    DemandFeedRow, EVENT_DEMAND_MATCH, WebhookDraft, WebhookStatus, retry_delay, signature,
};
use ipyun_domain::market::{Applicant, Designation, mismatches};
use rand::Rng;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// Who enqueues and sends deliveries, in the audit.
const WORKER: &str = "webhook-worker";
/// How long one attempt may take.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claim holds a delivery against other workers.
const LEASE: chrono::Duration = chrono::Duration::minutes(2);
/// The most deliveries one pass of [`App::deliver_due`] sends.
pub const DELIVERY_BATCH: usize = 50;

/// An endpoint as shown (never its secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: i64,
    pub lender_id: i64,
    pub url: String,
    pub description: String,
    pub status: WebhookStatus,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new endpoint with its secret: shown this once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedWebhook {
    pub webhook: WebhookView,
    pub secret: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttemptView {
    pub attempt: i64,
    pub at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// A delivery with its attempts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: i64,
    pub demand_id: i64,
    pub event: String,
    pub status: String,
    pub attempts: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status_code: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<DateTime<Utc>>,
    pub attempt_log: Vec<AttemptView>,
}

/// What one pass of [`App::deliver_due`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryRun {
    pub claimed: usize,
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// A product of the lender that can serve the demand, in the payload.
#[derive(Debug, Clone, Serialize)]
struct MatchedProduct {
    id: i64,
    version: i64,
    name: String,
}

fn webhook_not_found(id: i64) -> AppError {
    AppError::not_found("webhook.not_found", format!("no webhook {id}"))
}

fn view(record: WebhookRecord) -> WebhookView {
    WebhookView {
        id: record.id,
        lender_id: record.lender_id,
        url: record.url,
        description: record.description,
        status: record.status,
        created_by: record.created_by,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

fn delivery_view(record: DeliveryRecord, attempt_log: Vec<AttemptView>) -> DeliveryView {
    DeliveryView {
        id: record.id,
        demand_id: record.demand_id,
        event: record.event,
        status: record.status,
        attempts: record.attempts,
        next_attempt_at: record.next_attempt_at,
        last_status_code: record.last_status_code,
        last_error: record.last_error,
        created_at: record.created_at,
        delivered_at: record.delivered_at,
        attempt_log,
    }
}

/// The outcome of sending one attempt.
struct Sent {
    delivery: DueDelivery,
    status_code: Option<i64>,
    error: Option<String>,
    duration_ms: i64,
}

async fn send(client: reqwest::Client, delivery: DueDelivery, now: DateTime<Utc>) -> Sent {
    let timestamp = now.timestamp();
    let attempt_started = std::time::Instant::now();
    let answer = client
        .post(&delivery.url)
        .header("content-type", "application/json")
        .header("user-agent", "ipyun-webhooks/1")
        .header("x-ipyun-event", &delivery.event)
        .header("x-ipyun-delivery", delivery.id.to_string())
        .header("x-ipyun-timestamp", timestamp.to_string())
        .header(
            "x-ipyun-signature",
            signature(&delivery.secret, timestamp, delivery.payload.as_bytes()),
        )
        .body(delivery.payload.clone())
        .send()
        .await;
    let duration_ms = i64::try_from(attempt_started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (status_code, error) = match answer {
        Ok(response) => {
            let status = response.status();
            let error = (!status.is_success()).then(|| format!("answered {status}"));
            (Some(i64::from(status.as_u16())), error)
        }
        Err(error) => (None, Some(error_chain(&error))),
    };
    Sent {
        delivery,
        status_code,
        error,
        duration_ms,
    }
}

/// An error with its causes, cut to 500 characters.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.chars().take(500).collect()
}

impl App {
    /// The lender whose endpoints the principal manages (`None`: an administrator, all).
    fn webhook_scope(&self, principal: &Principal) -> Result<Option<i64>, AppError> {
        match (principal.role, principal.party_id) {
            (Role::Lender, Some(lender)) => Ok(Some(lender)),
            (Role::PlatformAdmin, _) => Ok(None),
            _ => Err(AppError::forbidden(
                "lenders' users manage their lender's webhooks",
            )),
        }
    }

    async fn visible_webhook(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<WebhookRecord, AppError> {
        let scope = self.webhook_scope(principal)?;
        self.db
            .get_webhook(id)
            .await?
            .filter(|record| scope.is_none_or(|lender| record.lender_id == lender))
            .ok_or_else(|| webhook_not_found(id))
    }

    /// The endpoints the principal may see, newest first.
    pub async fn list_webhooks(&self, principal: &Principal) -> Result<Vec<WebhookView>, AppError> {
        let scope = self.webhook_scope(principal)?;
        Ok(self
            .db
            .list_webhooks(scope, false)
            .await?
            .into_iter()
            .map(view)
            .collect())
    }

    /// Registers an endpoint for the principal's lender; the secret (generated unless given)
    /// is in the answer and never again.
    pub async fn create_webhook(
        &self,
        principal: &Principal,
        draft: &WebhookDraft,
    ) -> Result<CreatedWebhook, AppError> {
        let (Role::Lender, Some(lender)) = (principal.role, principal.party_id) else {
            return Err(AppError::forbidden(
                "lenders' users register their lender's webhooks",
            ));
        };
        let terms = draft.validate().map_err(AppError::validation)?;
        let secret = terms.secret.clone().unwrap_or_else(|| {
            let bytes: [u8; 32] = rand::rng().random();
            format!("whsec_{}", hex::encode(bytes))
        });
        let id = self
            .db
            .insert_webhook(
                &WebhookWrite {
                    lender_id: lender,
                    url: &terms.url,
                    secret: &secret,
                    description: &terms.description,
                    actor: &principal.username,
                },
                self.clock.now(),
            )
            .await?;
        let webhook = self.visible_webhook(principal, id).await?;
        Ok(CreatedWebhook {
            webhook: view(webhook),
            secret,
        })
    }

    /// Disables an endpoint; its pending deliveries are cancelled.
    pub async fn disable_webhook(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<WebhookView, AppError> {
        self.visible_webhook(principal, id).await?;
        self.db
            .disable_webhook(id, &principal.username, self.clock.now())
            .await
            .map_err(|error| match error {
                ipyun_db::DbError::Stale(message) => {
                    AppError::new(ErrorKind::Conflict, "webhook.disabled", message)
                }
                other => other.into(),
            })?;
        Ok(view(self.visible_webhook(principal, id).await?))
    }

    /// An endpoint's deliveries, newest first, each with its attempts.
    pub async fn webhook_deliveries(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<Vec<DeliveryView>, AppError> {
        self.visible_webhook(principal, id).await?;
        let mut attempts: BTreeMap<i64, Vec<AttemptView>> = BTreeMap::new();
        for attempt in self.db.list_attempts(id).await? {
            attempts
                .entry(attempt.delivery_id)
                .or_default()
                .push(AttemptView {
                    attempt: attempt.seq,
                    at: attempt.at,
                    status_code: attempt.status_code,
                    error: attempt.error,
                    duration_ms: attempt.duration_ms,
                });
        }
        Ok(self
            .db
            .list_deliveries(id)
            .await?
            .into_iter()
            .map(|record| {
                let log = attempts.remove(&record.id).unwrap_or_default();
                delivery_view(record, log)
            })
            .collect())
    }

    /// After a demand is published or imported: enqueues its deliveries, never failing the
    /// caller (a fault is logged; the demand stands).
    pub(crate) async fn after_demand_published(&self, demand_id: i64) {
        if let Err(error) = self.enqueue_demand_webhooks(demand_id).await {
            tracing::warn!(%error, demand_id, "webhook deliveries not enqueued");
        }
    }

    /// Enqueues one delivery of the demand to each active endpoint of each lender that may see
    /// it and has a product passing the hard rules; an endpoint that has one already gets no
    /// other. How many were enqueued.
    pub async fn enqueue_demand_webhooks(&self, demand_id: i64) -> Result<usize, AppError> {
        let endpoints = self.db.list_webhooks(None, true).await?;
        let Some(demand) = self.db.get_demand(demand_id).await? else {
            return Ok(0);
        };
        if endpoints.is_empty() || demand.stage.is_final() || demand.stage.is_funded() {
            return Ok(0);
        }
        let Some(enterprise) = self.db.get_party(demand.enterprise_id).await? else {
            return Ok(0);
        };
        let kinds = self.db.right_kinds(&demand.terms.rights).await?;
        let mut right_kinds: Vec<_> = kinds.values().copied().collect();
        right_kinds.sort_by_key(|kind| kind.as_str());
        right_kinds.dedup();
        let mut designations = Vec::new();
        if enterprise.specialised_sme_year.is_some() {
            designations.push(Designation::SpecialisedSme);
        }
        if enterprise.little_giant_year.is_some() {
            designations.push(Designation::LittleGiant);
        }
        let applicant = Applicant {
            region: enterprise.region.clone(),
            park_id: enterprise.park_id,
            designations,
            right_kinds: right_kinds.clone(),
            collateral_value_fen: None,
        };
        let key = self.db.demand_import_key(demand_id).await?;
        let row = DemandFeedRow {
            id: demand.id,
            enterprise_id: demand.enterprise_id,
            enterprise_name: demand.enterprise_name.clone(),
            enterprise_uscc: enterprise.uscc.clone(),
            region: enterprise.region.clone(),
            amount_fen: demand.terms.amount_fen,
            amount_yuan: ipyun_domain::loan::format_fen(demand.terms.amount_fen),
            months: demand.terms.months,
            purpose: demand.terms.purpose.clone(),
            right_kinds,
            urgency: demand.terms.urgency,
            stage: demand.stage,
            published_on: demand.published_on,
            source: key.as_ref().map(|(source, _)| source.clone()),
            external_id: key.map(|(_, external_id)| external_id),
            updated_at: demand.updated_at,
        };
        let today = self.clock.today();
        let mut by_lender: BTreeMap<i64, Vec<&WebhookRecord>> = BTreeMap::new();
        for endpoint in &endpoints {
            by_lender
                .entry(endpoint.lender_id)
                .or_default()
                .push(endpoint);
        }
        let shared_with = &demand.terms.shared_with;
        let mut enqueued = 0;
        for (lender, endpoints) in by_lender {
            if !shared_with.is_empty() && !shared_with.contains(&lender) {
                continue;
            }
            let filter = ProductFilter {
                publisher_id: Some(lender),
                offered_on: Some(today),
                ..ProductFilter::default()
            };
            let (products, _) = self.db.list_products(&filter, 1_000, 0).await?;
            let matched: Vec<MatchedProduct> = products
                .into_iter()
                .filter(|product| {
                    mismatches(&product.terms, &demand.terms, &applicant, today).is_empty()
                })
                .map(|product| MatchedProduct {
                    id: product.id,
                    version: product.version,
                    name: product.terms.name,
                })
                .collect();
            if matched.is_empty() {
                continue;
            }
            let payload = serde_json::json!({"event": EVENT_DEMAND_MATCH, "lender_id": lender,
                "demand": row, "products": matched})
            .to_string();
            for endpoint in endpoints {
                let created = self
                    .db
                    .enqueue_delivery(
                        endpoint.id,
                        demand.id,
                        (EVENT_DEMAND_MATCH, &payload),
                        WORKER,
                        self.clock.now(),
                    )
                    .await?;
                enqueued += usize::from(created.is_some());
            }
        }
        Ok(enqueued)
    }

    /// Sends the deliveries due at `now` (at most 50 a pass), each claimed first so that no
    /// other worker sends the same attempt, and records each attempt.
    pub async fn deliver_due(&self, now: DateTime<Utc>) -> Result<DeliveryRun, AppError> {
        let due = self.db.due_deliveries(now, DELIVERY_BATCH as i64).await?;
        let mut run = DeliveryRun::default();
        if due.is_empty() {
            return Ok(run);
        }
        let client = reqwest::Client::builder()
            .timeout(SEND_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| {
                AppError::new(ErrorKind::Internal, "webhook.client", error.to_string())
            })?;
        let mut sending = tokio::task::JoinSet::new();
        for delivery in due {
            if self
                .db
                .claim_delivery(delivery.id, delivery.attempts, now, now + LEASE)
                .await?
            {
                run.claimed += 1;
                sending.spawn(send(client.clone(), delivery, now));
            }
        }
        while let Some(sent) = sending.join_next().await {
            let Ok(sent) = sent else {
                continue;
            };
            let seq = sent.delivery.attempts + 1;
            let outcome = if sent.error.is_none() {
                run.delivered += 1;
                AttemptOutcome::Delivered
            } else {
                match u32::try_from(seq).ok().and_then(retry_delay) {
                    Some(wait) => {
                        run.retrying += 1;
                        AttemptOutcome::Retry(now + wait)
                    }
                    None => {
                        run.failed += 1;
                        AttemptOutcome::GivenUp
                    }
                }
            };
            let write = AttemptWrite {
                delivery_id: sent.delivery.id,
                seq,
                status_code: sent.status_code,
                error: sent.error.as_deref(),
                duration_ms: sent.duration_ms,
                outcome,
                actor: WORKER,
            };
            if let Err(error) = self.db.record_attempt(&write, now).await {
                tracing::warn!(%error, delivery = sent.delivery.id, "webhook attempt not recorded");
            }
        }
        Ok(run)
    }
}

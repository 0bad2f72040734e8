//! Storing a new application, at most once per idempotency key.

use super::{APPLICATION_COLUMNS, ApplicationRow, PledgeApplicationRecord, pledge_type_str};
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};
use ipyun_domain::pledge::{Act, ApplicationStatus, PledgeType};

pub struct NewPledgeApplication<'a> {
    pub act: Act,
    pub pledge_type: PledgeType,
    pub pledgor_id: i64,
    pub pledgee_id: i64,
    pub drafted_by_party: i64,
    pub created_by: &'a str,
    pub target_pledge_id: Option<i64>,
    pub green_channel: bool,
    pub body_json: &'a str,
    pub findings_json: &'a str,
}

/// The caller's idempotency key and a hash of its request body.
pub struct IdempotencyClaim<'a> {
    pub user_id: i64,
    pub key: &'a str,
    pub request_hash: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    New(i64),
    /// The key was used before with the same request: this is the application it made.
    Replayed(i64),
    /// The key was used before with a different request.
    KeyReused,
}

impl Db {
    /// Stores `application` (status `awaiting_confirmation`) with its audit entry, claiming `claim`
    /// in the same transaction. A key already claimed answers with the first application.
    pub async fn insert_pledge_application(
        &self,
        application: &NewPledgeApplication<'_>,
        claim: Option<&IdempotencyClaim<'_>>,
        now: DateTime<Utc>,
    ) -> Result<Inserted, DbError> {
        if let Some(claim) = claim
            && let Some(found) = self.idempotency_lookup(claim).await?
        {
            return Ok(found);
        }
        let status = ApplicationStatus::AwaitingConfirmation.as_str();
        let after = serde_json::json!({"act": application.act.as_str(), "status": status,
            "pledgor_id": application.pledgor_id, "pledgee_id": application.pledgee_id})
        .to_string();
        if let Some(writer) = &self.writer {
            let write = super::sqlite_write::ApplicationWrite {
                act: application.act.as_str(),
                pledge_type: pledge_type_str(application.pledge_type),
                pledgor_id: application.pledgor_id,
                pledgee_id: application.pledgee_id,
                drafted_by_party: application.drafted_by_party,
                created_by: application.created_by.to_string(),
                target_pledge_id: application.target_pledge_id,
                green_channel: application.green_channel,
                body_json: application.body_json.to_string(),
                findings_json: application.findings_json.to_string(),
                claim: claim.map(|claim| {
                    (
                        claim.user_id,
                        claim.key.to_string(),
                        claim.request_hash.to_string(),
                    )
                }),
                audit_after: after,
            };
            // One writer: the key's lookup and claim cannot interleave with another's.
            return writer
                .write(move |connection| {
                    if let Some((user_id, key, hash)) = &write.claim
                        && let Some((stored_hash, id)) =
                            super::sqlite_write::idempotency_lookup(connection, *user_id, key)?
                    {
                        return Ok(if &stored_hash == hash {
                            Inserted::Replayed(id)
                        } else {
                            Inserted::KeyReused
                        });
                    }
                    super::sqlite_write::insert_application(connection, &write, now)
                        .map(Inserted::New)
                })
                .await;
        }
        let inserted: Result<i64, DbError> = on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO pledge_applications (act, status, pledge_type, pledgor_id, pledgee_id, drafted_by_party, \
                 created_by, target_pledge_id, green_channel, body, findings, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(application.act.as_str())
            .bind(status)
            .bind(pledge_type_str(application.pledge_type))
            .bind(application.pledgor_id)
            .bind(application.pledgee_id)
            .bind(application.drafted_by_party)
            .bind(application.created_by)
            .bind(application.target_pledge_id)
            .bind(application.green_channel)
            .bind(application.body_json)
            .bind(application.findings_json)
            .bind(now)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            if let Some(claim) = claim {
                sqlx::query(
                    "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, application_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(claim.user_id)
                .bind(claim.key)
                .bind(claim.request_hash)
                .bind(id)
                .bind(now)
                .execute(&mut *transaction)
                .await?;
            }
            sqlx::query(
                "INSERT INTO pledge_application_events (application_id, from_status, to_status, actor, note, at) \
                 VALUES ($1, NULL, $2, $3, 'drafted', $4)",
            )
            .bind(id)
            .bind(status)
            .bind(application.created_by)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, application.created_by, "pledge_application.create",
                "pledge_application", id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        });
        match (inserted, claim) {
            (Ok(id), _) => Ok(Inserted::New(id)),
            // A concurrent request with the same key won the race: answer with its application.
            (Err(DbError::Constraint(message)), Some(claim)) if message.contains("idempotency") => {
                self.idempotency_lookup(claim)
                    .await?
                    .ok_or(DbError::Constraint(message))
            }
            (Err(error), _) => Err(error),
        }
    }

    async fn idempotency_lookup(
        &self,
        claim: &IdempotencyClaim<'_>,
    ) -> Result<Option<Inserted>, DbError> {
        let found: Option<(String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT request_hash, application_id FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2",
        )
        .bind(claim.user_id)
        .bind(claim.key)
        .fetch_optional(pool)
        .await)?;
        Ok(found.map(|(hash, id)| {
            if hash == claim.request_hash {
                Inserted::Replayed(id)
            } else {
                Inserted::KeyReused
            }
        }))
    }

    pub async fn get_pledge_application(
        &self,
        id: i64,
    ) -> Result<Option<PledgeApplicationRecord>, DbError> {
        if let Some(fast_reads) = &self.fast_reads {
            return fast_reads
                .application_row(id)?
                .map(ApplicationRow::into_record)
                .transpose();
        }
        let row: Option<ApplicationRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {APPLICATION_COLUMNS} FROM pledge_applications WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        row.map(ApplicationRow::into_record).transpose()
    }
}

/// Which applications to list.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub status: Option<ApplicationStatus>,
    pub pledgor_id: Option<i64>,
    pub pledgee_id: Option<i64>,
}

impl Db {
    /// Applications in queue order: green channel first, then the earliest due, then the oldest.
    pub async fn list_pledge_applications(
        &self,
        filter: &ApplicationFilter,
        page: ipyun_domain::page::PageRequest,
    ) -> Result<ipyun_domain::page::Page<PledgeApplicationRecord>, DbError> {
        const WHERE: &str = " WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR pledgor_id = $2) \
             AND ($3 IS NULL OR pledgee_id = $3)";
        let status = filter.status.map(ApplicationStatus::as_str);
        let list_sql = format!(
            "SELECT {APPLICATION_COLUMNS} FROM pledge_applications{WHERE} \
             ORDER BY green_channel DESC, due_date IS NULL, due_date, received_at, id LIMIT $4 OFFSET $5"
        );
        let count_sql = format!("SELECT COUNT(*) FROM pledge_applications{WHERE}");
        let (rows, total): (Vec<ApplicationRow>, i64) = on_pool!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(status).bind(filter.pledgor_id).bind(filter.pledgee_id)
                .bind(page.limit()).bind(page.offset())
                .fetch_all(pool).await?;
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(status).bind(filter.pledgor_id).bind(filter.pledgee_id)
                .fetch_one(pool).await?;
            Ok::<_, DbError>((rows, total))
        })?;
        Ok(ipyun_domain::page::Page {
            items: rows
                .into_iter()
                .map(ApplicationRow::into_record)
                .collect::<Result<_, _>>()?,
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }
}

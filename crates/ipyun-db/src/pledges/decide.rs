//! Recording a decision on an application: its new status and findings, and for a registration
//! the pledge and the rights it binds, all with their audit entries in one transaction.

use super::pledge_type_str;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::pledge::{ApplicationStatus, PledgeStatus, PledgeType};
use ipyun_domain::right::RightKind;

/// One right a new pledge binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgedRightRow {
    pub kind: RightKind,
    pub number: String,
    /// The registry's id, when the right is in the platform's register.
    pub right_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPledge {
    pub registration_no: String,
    pub pledge_type: PledgeType,
    pub pledgor_id: i64,
    pub pledgee_id: i64,
    pub secured_amount_fen: Option<i64>,
    pub performance_end: Option<NaiveDate>,
    pub verification_code: String,
    pub registered_on: NaiveDate,
    pub rights: Vec<PledgedRightRow>,
    /// The appraised value the parties stated, for loan-to-value.
    pub appraised_value_fen: Option<i64>,
}

/// What a registered amendment or cancellation does to its pledge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PledgeUpdate {
    Amend {
        pledge_id: i64,
        secured_amount_fen: Option<i64>,
        performance_end: Option<NaiveDate>,
    },
    Cancel {
        pledge_id: i64,
        on: NaiveDate,
        reason: String,
    },
}

/// A change of an application's status. It applies only if the application is still in
/// `from_status`; otherwise [`DbError::Stale`].
#[derive(Debug, Clone)]
pub struct PledgeDecision<'a> {
    pub application_id: i64,
    pub from_status: ApplicationStatus,
    pub to_status: ApplicationStatus,
    pub findings_json: &'a str,
    pub actor: &'a str,
    /// Set when the other party confirms.
    pub confirmed_by: Option<&'a str>,
    /// Set when the application is received (both parties confirmed): the clock starts.
    pub received_at: Option<DateTime<Utc>>,
    pub due: Option<(NaiveDate, bool)>,
    /// Set for a final decision.
    pub decided: bool,
    pub registration_no: Option<&'a str>,
    pub verification_code: Option<&'a str>,
    pub note: &'a str,
    pub pledge: Option<&'a NewPledge>,
    /// A corrected application (a cure), replacing the stored one.
    pub body_json: Option<&'a str>,
    /// For a registered amendment or cancellation: the change to its pledge (which must be active).
    pub pledge_update: Option<&'a PledgeUpdate>,
}

impl Db {
    /// Applies `decision` atomically. A second active pledge over a right fails with
    /// [`DbError::Constraint`] (see [`DbError::is_active_pledge_conflict`]); nothing is written then.
    pub async fn record_pledge_decision(
        &self,
        decision: &PledgeDecision<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, DbError> {
        let decided_at = decision.decided.then_some(now);
        let decided_by = decision.decided.then_some(decision.actor);
        let pledge_audit_after = decision.pledge.map(|pledge| {
            serde_json::json!({"registration_no": pledge.registration_no, "status": "active",
                "rights": pledge.rights.iter().map(|right| right.number.as_str()).collect::<Vec<_>>(),
                "pledgor_id": pledge.pledgor_id, "pledgee_id": pledge.pledgee_id,
                "secured_amount_fen": pledge.secured_amount_fen}).to_string()
        });
        let update_audit_after = decision.pledge_update.map(|update| {
            serde_json::json!({"application_id": decision.application_id, "update": format!("{update:?}")}).to_string()
        });
        let audit_before = serde_json::json!({"status": decision.from_status.as_str()}).to_string();
        let audit_after = serde_json::json!({"status": decision.to_status.as_str(), "note": decision.note,
            "findings": serde_json::from_str::<serde_json::Value>(decision.findings_json).unwrap_or_default()}).to_string();
        if let Some(writer) = &self.writer {
            let write = super::sqlite_write::DecisionWrite {
                application_id: decision.application_id,
                from_status: decision.from_status.as_str(),
                to_status: decision.to_status.as_str(),
                findings_json: decision.findings_json.to_string(),
                actor: decision.actor.to_string(),
                confirmed_by: decision.confirmed_by.map(str::to_string),
                received_at: decision.received_at,
                due: decision.due,
                decided: decision.decided,
                registration_no: decision.registration_no.map(str::to_string),
                verification_code: decision.verification_code.map(str::to_string),
                note: decision.note.to_string(),
                pledge: decision.pledge.cloned(),
                body_json: decision.body_json.map(str::to_string),
                pledge_update: decision.pledge_update.cloned(),
                audit_before,
                audit_after,
                pledge_audit_after,
                update_audit_after,
            };
            return writer
                .write(move |connection| {
                    super::sqlite_write::record_decision(connection, &write, now)
                })
                .await;
        }
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let updated = sqlx::query(
                "UPDATE pledge_applications SET status = $1, findings = $2, confirmed_by = COALESCE($3, confirmed_by), \
                 received_at = COALESCE($4, received_at), due_date = COALESCE($5, due_date), \
                 due_provisional = COALESCE($6, due_provisional), decided_at = $7, decided_by = $8, \
                 registration_no = COALESCE($9, registration_no), verification_code = COALESCE($10, verification_code), \
                 updated_at = $11, body = COALESCE($14, body) WHERE id = $12 AND status = $13",
            )
            .bind(decision.to_status.as_str())
            .bind(decision.findings_json)
            .bind(decision.confirmed_by)
            .bind(decision.received_at)
            .bind(decision.due.map(|(date, _)| date))
            .bind(decision.due.map(|(_, provisional)| provisional))
            .bind(decided_at)
            .bind(decided_by)
            .bind(decision.registration_no)
            .bind(decision.verification_code)
            .bind(now)
            .bind(decision.application_id)
            .bind(decision.from_status.as_str())
            .bind(decision.body_json)
            .execute(&mut *transaction)
            .await?;
            if updated.rows_affected() != 1 {
                return Err(DbError::Stale(format!(
                    "application {} is no longer {}", decision.application_id, decision.from_status.as_str()
                )));
            }
            sqlx::query(
                "INSERT INTO pledge_application_events (application_id, from_status, to_status, actor, note, at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(decision.application_id)
            .bind(decision.from_status.as_str())
            .bind(decision.to_status.as_str())
            .bind(decision.actor)
            .bind(decision.note)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            let mut pledge_id = None;
            if let Some(pledge) = decision.pledge {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO pledges (registration_no, application_id, status, pledge_type, pledgor_id, pledgee_id, \
                     secured_amount_fen, performance_end, verification_code, registered_on, registered_at, updated_at, appraised_value_fen) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                )
                .bind(&pledge.registration_no)
                .bind(decision.application_id)
                .bind(PledgeStatus::Active.as_str())
                .bind(pledge_type_str(pledge.pledge_type))
                .bind(pledge.pledgor_id)
                .bind(pledge.pledgee_id)
                .bind(pledge.secured_amount_fen)
                .bind(pledge.performance_end)
                .bind(&pledge.verification_code)
                .bind(pledge.registered_on)
                .bind(now)
                .bind(now)
                .bind(pledge.appraised_value_fen)
                .fetch_one(&mut *transaction)
                .await?;
                for (position, right) in pledge.rights.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO pledge_rights (pledge_id, position, right_number, right_kind, right_id, active) \
                         VALUES ($1, $2, $3, $4, $5, TRUE)",
                    )
                    .bind(id)
                    .bind(i32::try_from(position).unwrap_or(i32::MAX))
                    .bind(&right.number)
                    .bind(right.kind.as_str())
                    .bind(right.right_id)
                    .execute(&mut *transaction)
                    .await?;
                }
                crate::audit::append_in!(&mut *transaction, decision.actor, "pledge.register", "pledge",
                    pledge.registration_no.as_str(), None::<&str>, pledge_audit_after.as_ref(), now)?;
                pledge_id = Some(id);
            }
            if let Some(update) = decision.pledge_update {
                let (pledge_id, action, result) = match update {
                    PledgeUpdate::Amend { pledge_id, secured_amount_fen, performance_end } => (*pledge_id, "pledge.amend",
                        sqlx::query(
                            "UPDATE pledges SET secured_amount_fen = COALESCE($1, secured_amount_fen), \
                             performance_end = COALESCE($2, performance_end), updated_at = $3 WHERE id = $4 AND status = 'active'",
                        )
                        .bind(secured_amount_fen).bind(performance_end).bind(now).bind(pledge_id)
                        .execute(&mut *transaction).await?),
                    PledgeUpdate::Cancel { pledge_id, on, reason } => {
                        let result = sqlx::query(
                            "UPDATE pledges SET status = 'cancelled', cancelled_on = $1, cancellation_reason = $2, \
                             updated_at = $3 WHERE id = $4 AND status = 'active'",
                        )
                        .bind(on).bind(reason).bind(now).bind(pledge_id)
                        .execute(&mut *transaction).await?;
                        sqlx::query("UPDATE pledge_rights SET active = FALSE WHERE pledge_id = $1")
                            .bind(pledge_id)
                            .execute(&mut *transaction).await?;
                        (*pledge_id, "pledge.cancel", result)
                    }
                };
                if result.rows_affected() != 1 {
                    return Err(DbError::Stale(format!("pledge {pledge_id} is no longer active")));
                }
                crate::audit::append_in!(&mut *transaction, decision.actor, action, "pledge", pledge_id.to_string(),
                    None::<&str>, update_audit_after.as_ref(), now)?;
            }
            crate::audit::append_in!(&mut *transaction, decision.actor, "pledge_application.decide", "pledge_application",
                decision.application_id.to_string(), Some(&audit_before), Some(&audit_after), now)?;
            transaction.commit().await?;
            Ok(pledge_id)
        })
    }
}

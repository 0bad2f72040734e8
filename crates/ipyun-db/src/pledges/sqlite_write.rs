//! The SQLite forms of the two hottest writes (an application, a decision), run by the group-commit
//! writer (`sqlite_writer.rs`) on its own connection. Same statements as the pooled forms; values
//! are written as sqlx writes them (RFC 3339 instants, `YYYY-MM-DD` dates) so either reads them.

use super::decide::{NewPledge, PledgeUpdate};
use crate::DbError;
use crate::audit::{chain_instant, entry_hash};
use crate::sqlite_writer::write_error;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use ipyun_domain::pledge::{ApplicationStatus, PledgeStatus};
use rusqlite::{Connection, OptionalExtension, params};

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn day(date: NaiveDate) -> String {
    date.format("%F").to_string()
}

/// Appends a chained audit entry inside the writer's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn audit(
    connection: &Connection,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let at = chain_instant(at);
    let (seq, prev_hash): (i64, String) = connection
        .prepare_cached(crate::audit::ADVANCE_HEAD_SQL)
        .and_then(|mut statement| statement.query_row([], |row| Ok((row.get(0)?, row.get(1)?))))
        .map_err(write_error)?;
    let hash = entry_hash(
        &prev_hash, seq, actor, action, entity, entity_id, before, after, at,
    );
    connection
        .prepare_cached(
            "INSERT INTO audit_log (actor, action, entity, entity_id, before_state, after_state, at, seq, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .and_then(|mut statement| {
            statement.execute(params![actor, action, entity, entity_id, before, after, instant(at), seq, prev_hash, hash])
        })
        .map_err(write_error)?;
    connection
        .prepare_cached("UPDATE audit_head SET hash = ?1 WHERE id = 1")
        .and_then(|mut statement| statement.execute([&hash]))
        .map_err(write_error)?;
    Ok(())
}

/// An application to store, owned (it crosses to the writer thread).
pub(crate) struct ApplicationWrite {
    pub act: &'static str,
    pub pledge_type: &'static str,
    pub pledgor_id: i64,
    pub pledgee_id: i64,
    pub drafted_by_party: i64,
    pub created_by: String,
    pub target_pledge_id: Option<i64>,
    pub green_channel: bool,
    pub body_json: String,
    pub findings_json: String,
    pub claim: Option<(i64, String, String)>,
    pub audit_after: String,
}

pub(crate) fn insert_application(
    connection: &Connection,
    write: &ApplicationWrite,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let status = ApplicationStatus::AwaitingConfirmation.as_str();
    let at = instant(now);
    let id: i64 = connection
        .prepare_cached(
            "INSERT INTO pledge_applications (act, status, pledge_type, pledgor_id, pledgee_id, drafted_by_party, \
             created_by, target_pledge_id, green_channel, body, findings, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) RETURNING id",
        )
        .and_then(|mut statement| {
            statement.query_row(
                params![
                    write.act, status, write.pledge_type, write.pledgor_id, write.pledgee_id, write.drafted_by_party,
                    write.created_by, write.target_pledge_id, write.green_channel, write.body_json, write.findings_json, at
                ],
                |row| row.get(0),
            )
        })
        .map_err(write_error)?;
    if let Some((user_id, key, hash)) = &write.claim {
        connection
            .prepare_cached(
                "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, application_id, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut statement| statement.execute(params![user_id, key, hash, id, at]))
            .map_err(write_error)?;
    }
    connection
        .prepare_cached(
            "INSERT INTO pledge_application_events (application_id, from_status, to_status, actor, note, at) \
             VALUES (?1, NULL, ?2, ?3, 'drafted', ?4)",
        )
        .and_then(|mut statement| statement.execute(params![id, status, write.created_by, at]))
        .map_err(write_error)?;
    audit(
        connection,
        &write.created_by,
        "pledge_application.create",
        "pledge_application",
        &id.to_string(),
        None,
        Some(&write.audit_after),
        now,
    )?;
    Ok(id)
}

/// A decision to record, owned (it crosses to the writer thread).
pub(crate) struct DecisionWrite {
    pub application_id: i64,
    pub from_status: &'static str,
    pub to_status: &'static str,
    pub findings_json: String,
    pub actor: String,
    pub confirmed_by: Option<String>,
    pub received_at: Option<DateTime<Utc>>,
    pub due: Option<(NaiveDate, bool)>,
    pub decided: bool,
    pub registration_no: Option<String>,
    pub verification_code: Option<String>,
    pub note: String,
    pub pledge: Option<NewPledge>,
    pub body_json: Option<String>,
    pub pledge_update: Option<PledgeUpdate>,
    pub audit_before: String,
    pub audit_after: String,
    pub pledge_audit_after: Option<String>,
    pub update_audit_after: Option<String>,
}

pub(crate) fn record_decision(
    connection: &Connection,
    write: &DecisionWrite,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbError> {
    let at = instant(now);
    let updated = connection
        .prepare_cached(
            "UPDATE pledge_applications SET status = ?1, findings = ?2, confirmed_by = COALESCE(?3, confirmed_by), \
             received_at = COALESCE(?4, received_at), due_date = COALESCE(?5, due_date), \
             due_provisional = COALESCE(?6, due_provisional), decided_at = ?7, decided_by = ?8, \
             registration_no = COALESCE(?9, registration_no), verification_code = COALESCE(?10, verification_code), \
             updated_at = ?11, body = COALESCE(?14, body) WHERE id = ?12 AND status = ?13",
        )
        .and_then(|mut statement| {
            statement.execute(params![
                write.to_status,
                write.findings_json,
                write.confirmed_by,
                write.received_at.map(instant),
                write.due.map(|(date, _)| day(date)),
                write.due.map(|(_, provisional)| provisional),
                write.decided.then(|| at.clone()),
                write.decided.then_some(write.actor.as_str()),
                write.registration_no,
                write.verification_code,
                at,
                write.application_id,
                write.from_status,
                write.body_json,
            ])
        })
        .map_err(write_error)?;
    if updated != 1 {
        return Err(DbError::Stale(format!(
            "application {} is no longer {}",
            write.application_id, write.from_status
        )));
    }
    connection
        .prepare_cached(
            "INSERT INTO pledge_application_events (application_id, from_status, to_status, actor, note, at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut statement| {
            statement.execute(params![write.application_id, write.from_status, write.to_status, write.actor, write.note, at])
        })
        .map_err(write_error)?;
    let mut pledge_id = None;
    if let Some(pledge) = &write.pledge {
        let id: i64 = connection
            .prepare_cached(
                "INSERT INTO pledges (registration_no, application_id, status, pledge_type, pledgor_id, pledgee_id, \
                 secured_amount_fen, performance_end, verification_code, registered_on, registered_at, updated_at, appraised_value_fen) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12) RETURNING id",
            )
            .and_then(|mut statement| {
                statement.query_row(
                    params![
                        pledge.registration_no,
                        write.application_id,
                        PledgeStatus::Active.as_str(),
                        super::pledge_type_str(pledge.pledge_type),
                        pledge.pledgor_id,
                        pledge.pledgee_id,
                        pledge.secured_amount_fen,
                        pledge.performance_end.map(day),
                        pledge.verification_code,
                        day(pledge.registered_on),
                        at,
                        pledge.appraised_value_fen,
                    ],
                    |row| row.get(0),
                )
            })
            .map_err(write_error)?;
        let mut insert_right = connection
            .prepare_cached(
                "INSERT INTO pledge_rights (pledge_id, position, right_number, right_kind, right_id, active) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 1)",
            )
            .map_err(write_error)?;
        for (position, right) in pledge.rights.iter().enumerate() {
            insert_right
                .execute(params![
                    id,
                    i64::try_from(position).unwrap_or(i64::MAX),
                    right.number,
                    right.kind.as_str(),
                    right.right_id
                ])
                .map_err(write_error)?;
        }
        audit(
            connection,
            &write.actor,
            "pledge.register",
            "pledge",
            &pledge.registration_no,
            None,
            write.pledge_audit_after.as_deref(),
            now,
        )?;
        pledge_id = Some(id);
    }
    if let Some(update) = &write.pledge_update {
        let (pledge_id, action, rows) = match update {
            PledgeUpdate::Amend { pledge_id, secured_amount_fen, performance_end } => (
                *pledge_id,
                "pledge.amend",
                connection
                    .execute(
                        "UPDATE pledges SET secured_amount_fen = COALESCE(?1, secured_amount_fen), \
                         performance_end = COALESCE(?2, performance_end), updated_at = ?3 WHERE id = ?4 AND status = 'active'",
                        params![secured_amount_fen, performance_end.map(day), at, pledge_id],
                    )
                    .map_err(write_error)?,
            ),
            PledgeUpdate::Cancel { pledge_id, on, reason } => {
                let rows = connection
                    .execute(
                        "UPDATE pledges SET status = 'cancelled', cancelled_on = ?1, cancellation_reason = ?2, \
                         updated_at = ?3 WHERE id = ?4 AND status = 'active'",
                        params![day(*on), reason, at, pledge_id],
                    )
                    .map_err(write_error)?;
                connection
                    .execute("UPDATE pledge_rights SET active = 0 WHERE pledge_id = ?1", [pledge_id])
                    .map_err(write_error)?;
                (*pledge_id, "pledge.cancel", rows)
            }
        };
        if rows != 1 {
            return Err(DbError::Stale(format!(
                "pledge {pledge_id} is no longer active"
            )));
        }
        audit(
            connection,
            &write.actor,
            action,
            "pledge",
            &pledge_id.to_string(),
            None,
            write.update_audit_after.as_deref(),
            now,
        )?;
    }
    audit(
        connection,
        &write.actor,
        "pledge_application.decide",
        "pledge_application",
        &write.application_id.to_string(),
        Some(&write.audit_before),
        Some(&write.audit_after),
        now,
    )?;
    Ok(pledge_id)
}

/// The application an idempotency key made, read in the writer's own transaction.
pub(crate) fn idempotency_lookup(
    connection: &Connection,
    user_id: i64,
    key: &str,
) -> Result<Option<(String, i64)>, DbError> {
    connection
        .prepare_cached("SELECT request_hash, application_id FROM idempotency_keys WHERE user_id = ?1 AND idempotency_key = ?2")
        .and_then(|mut statement| statement.query_row(params![user_id, key], |row| Ok((row.get(0)?, row.get(1)?))).optional())
        .map_err(write_error)
}

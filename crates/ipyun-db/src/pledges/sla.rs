//! The facts of the decision-time report (P3's service level): the applications received in a
//! window, the organisation of the user who decided each, and their status events. The report
//! itself (grouping, on-time shares, percentiles) is computed by the caller.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::pledge::ApplicationStatus;

/// Which applications: received at or after `received_from` and before `received_before`,
/// optionally only those of one pledgee.
#[derive(Debug, Clone)]
pub struct SlaWindow {
    pub received_from: DateTime<Utc>,
    pub received_before: DateTime<Utc>,
    pub pledgee_id: Option<i64>,
}

/// One received application.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaApplicationRow {
    pub id: i64,
    pub status: ApplicationStatus,
    pub pledgee_id: i64,
    pub pledgee_name: String,
    pub received_at: DateTime<Utc>,
    pub due_date: Option<NaiveDate>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub confirmed_by: Option<String>,
    /// The organisation (party) of the user named in `decided_by`, when that user is known.
    pub decider_party_id: Option<i64>,
    pub decider_party_name: Option<String>,
}

/// One change of status of a received application.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaEvent {
    pub application_id: i64,
    pub from_status: Option<ApplicationStatus>,
    pub to_status: ApplicationStatus,
    pub note: String,
    pub at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ApplicationFactRow {
    id: i64,
    status: String,
    pledgee_id: i64,
    pledgee_name: String,
    received_at: DateTime<Utc>,
    due_date: Option<NaiveDate>,
    decided_at: Option<DateTime<Utc>>,
    decided_by: Option<String>,
    confirmed_by: Option<String>,
    decider_party_id: Option<i64>,
    decider_party_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    application_id: i64,
    from_status: Option<String>,
    to_status: String,
    note: String,
    at: DateTime<Utc>,
}

const WINDOW: &str = "a.received_at IS NOT NULL AND a.received_at >= $1 AND a.received_at < $2 \
     AND ($3 IS NULL OR a.pledgee_id = $3)";

fn status(field: &str, text: &str) -> Result<ApplicationStatus, DbError> {
    ApplicationStatus::parse(text).map_err(|error| crate::rights::corrupt(field, error))
}

impl Db {
    /// Every application received in `window` (in id order) and all their status events (per
    /// application, in order of time).
    pub async fn pledge_sla_facts(
        &self,
        window: &SlaWindow,
    ) -> Result<(Vec<SlaApplicationRow>, Vec<SlaEvent>), DbError> {
        let applications_sql = format!(
            "SELECT a.id, a.status, a.pledgee_id, b.name AS pledgee_name, a.received_at, a.due_date, \
             a.decided_at, a.decided_by, a.confirmed_by, u.party_id AS decider_party_id, \
             o.name AS decider_party_name \
             FROM pledge_applications a JOIN parties b ON b.id = a.pledgee_id \
             LEFT JOIN users u ON u.username = a.decided_by LEFT JOIN parties o ON o.id = u.party_id \
             WHERE {WINDOW} ORDER BY a.id"
        );
        let events_sql = format!(
            "SELECT e.application_id, e.from_status, e.to_status, e.note, e.at \
             FROM pledge_application_events e JOIN pledge_applications a ON a.id = e.application_id \
             WHERE {WINDOW} ORDER BY e.application_id, e.at, e.id"
        );
        let (rows, events): (Vec<ApplicationFactRow>, Vec<EventRow>) = on_pool!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(applications_sql))
                .bind(window.received_from).bind(window.received_before).bind(window.pledgee_id)
                .fetch_all(pool).await?;
            let events = sqlx::query_as(sqlx::AssertSqlSafe(events_sql))
                .bind(window.received_from).bind(window.received_before).bind(window.pledgee_id)
                .fetch_all(pool).await?;
            Ok::<_, DbError>((rows, events))
        })?;
        let applications = rows
            .into_iter()
            .map(|row| {
                Ok(SlaApplicationRow {
                    status: status("pledge_applications.status", &row.status)?,
                    id: row.id,
                    pledgee_id: row.pledgee_id,
                    pledgee_name: row.pledgee_name,
                    received_at: row.received_at,
                    due_date: row.due_date,
                    decided_at: row.decided_at,
                    decided_by: row.decided_by,
                    confirmed_by: row.confirmed_by,
                    decider_party_id: row.decider_party_id,
                    decider_party_name: row.decider_party_name,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        let events = events
            .into_iter()
            .map(|row| {
                Ok(SlaEvent {
                    from_status: row
                        .from_status
                        .as_deref()
                        .map(|text| status("pledge_application_events.from_status", text))
                        .transpose()?,
                    to_status: status("pledge_application_events.to_status", &row.to_status)?,
                    application_id: row.application_id,
                    note: row.note,
                    at: row.at,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        Ok((applications, events))
    }
}

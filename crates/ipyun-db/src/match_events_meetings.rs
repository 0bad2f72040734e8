//! Meetings at matchmaking events and their outcomes (see `match_events`).

use crate::rights::corrupt;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};
use ipyun_domain::market::event::{MeetingOutcome, MeetingStatus, OutcomeTerms, Slot};

/// A meeting at an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    pub id: i64,
    pub event_id: i64,
    pub lender_id: i64,
    pub lender_name: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub demand_id: Option<i64>,
    pub product_id: Option<i64>,
    pub slot: Slot,
    pub status: MeetingStatus,
    /// The party that asked for it; none: the organiser booked it.
    pub requested_by: Option<i64>,
    pub outcome: Option<MeetingOutcome>,
    pub intended_amount_fen: Option<i64>,
    pub version: i64,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: i64,
    event_id: i64,
    lender_id: i64,
    lender_name: String,
    enterprise_id: i64,
    enterprise_name: String,
    demand_id: Option<i64>,
    product_id: Option<i64>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: String,
    requested_by: Option<i64>,
    outcome: Option<String>,
    intended_amount_fen: Option<i64>,
    version: i64,
    created_by: String,
    updated_at: DateTime<Utc>,
}

impl MeetingRow {
    fn into_record(self) -> Result<MeetingRecord, DbError> {
        Ok(MeetingRecord {
            status: MeetingStatus::parse(&self.status)
                .map_err(|error| corrupt("match_meetings.status", error))?,
            outcome: self
                .outcome
                .as_deref()
                .map(MeetingOutcome::parse)
                .transpose()
                .map_err(|error| corrupt("match_meetings.outcome", error))?,
            slot: Slot {
                starts_at: self.starts_at,
                ends_at: self.ends_at,
            },
            id: self.id,
            event_id: self.event_id,
            lender_id: self.lender_id,
            lender_name: self.lender_name,
            enterprise_id: self.enterprise_id,
            enterprise_name: self.enterprise_name,
            demand_id: self.demand_id,
            product_id: self.product_id,
            requested_by: self.requested_by,
            intended_amount_fen: self.intended_amount_fen,
            version: self.version,
            created_by: self.created_by,
            updated_at: self.updated_at,
        })
    }
}

const MEETING_SELECT: &str = "SELECT g.id, g.event_id, g.lender_id, l.name AS lender_name, g.enterprise_id, \
    e.name AS enterprise_name, g.demand_id, g.product_id, g.starts_at, g.ends_at, g.status, g.requested_by, \
    g.outcome, g.intended_amount_fen, g.version, g.created_by, g.updated_at \
    FROM match_meetings g JOIN parties l ON l.id = g.lender_id JOIN parties e ON e.id = g.enterprise_id";

/// A recorded outcome of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutcomeRecord {
    pub seq: i64,
    pub outcome: String,
    pub intended_amount_fen: Option<i64>,
    pub note: Option<String>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A meeting to book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingWrite<'a> {
    pub event_id: i64,
    /// The event's meeting sequence the booking was checked against.
    pub meeting_seq: i64,
    pub lender_id: i64,
    pub enterprise_id: i64,
    pub demand_id: Option<i64>,
    pub product_id: Option<i64>,
    pub slot: Slot,
    pub requested_by: Option<i64>,
    pub actor: &'a str,
}

impl Db {
    /// Books a meeting between two parties signed up, from the meeting sequence the booking was
    /// checked against and while the event is not cancelled ([`DbError::Stale`] otherwise).
    pub async fn insert_meeting(
        &self,
        write: &MeetingWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let status = if write.requested_by.is_some() {
            MeetingStatus::Requested
        } else {
            MeetingStatus::Scheduled
        };
        let after = serde_json::json!({"event_id": write.event_id, "lender_id": write.lender_id,
            "enterprise_id": write.enterprise_id, "demand_id": write.demand_id, "product_id": write.product_id,
            "starts_at": write.slot.starts_at, "ends_at": write.slot.ends_at, "status": status.as_str()})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let claimed = sqlx::query(
                "UPDATE match_events SET meeting_seq = meeting_seq + 1 \
                 WHERE id = $1 AND meeting_seq = $2 AND status <> 'cancelled'",
            )
            .bind(write.event_id)
            .bind(write.meeting_seq)
            .execute(&mut *transaction)
            .await?;
            if claimed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("event {} changed meanwhile", write.event_id)));
            }
            let signed_up: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM match_event_signups \
                 WHERE event_id = $1 AND status = 'active' AND party_id IN ($2, $3)",
            )
            .bind(write.event_id)
            .bind(write.lender_id)
            .bind(write.enterprise_id)
            .fetch_one(&mut *transaction)
            .await?;
            if signed_up != 2 {
                return Err(DbError::Stale("a party withdrew meanwhile".into()));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO match_meetings (event_id, lender_id, enterprise_id, demand_id, product_id, starts_at, \
                 ends_at, status, requested_by, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
            )
            .bind(write.event_id)
            .bind(write.lender_id)
            .bind(write.enterprise_id)
            .bind(write.demand_id)
            .bind(write.product_id)
            .bind(write.slot.starts_at)
            .bind(write.slot.ends_at)
            .bind(status.as_str())
            .bind(write.requested_by)
            .bind(write.actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, write.actor, "match_event.meeting", "match_meeting",
                &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    /// An event's meetings (those of one party if asked), by time.
    pub async fn list_meetings(
        &self,
        event_id: i64,
        party_id: Option<i64>,
    ) -> Result<Vec<MeetingRecord>, DbError> {
        let sql = format!(
            "{MEETING_SELECT} WHERE g.event_id = $1 AND ($2 IS NULL OR g.lender_id = $2 OR g.enterprise_id = $2) \
             ORDER BY g.starts_at, g.id"
        );
        let rows: Vec<MeetingRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(event_id)
            .bind(party_id)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(MeetingRow::into_record).collect()
    }

    pub async fn get_meeting(&self, id: i64) -> Result<Option<MeetingRecord>, DbError> {
        let sql = format!("{MEETING_SELECT} WHERE g.id = $1");
        let row: Option<MeetingRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(MeetingRow::into_record).transpose()
    }

    /// Records a meeting's outcome (the meeting is then held), from version `version`.
    pub async fn record_meeting_outcome(
        &self,
        meeting_id: i64,
        version: i64,
        outcome: &OutcomeTerms,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let after =
            serde_json::to_string(outcome).map_err(|error| corrupt("meeting outcome", error))?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE match_meetings SET status = 'held', outcome = $3, intended_amount_fen = $4, \
                 version = version + 1, updated_at = $5 WHERE id = $1 AND version = $2",
            )
            .bind(meeting_id)
            .bind(version)
            .bind(outcome.outcome.as_str())
            .bind(outcome.intended_amount_fen)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("meeting {meeting_id} changed meanwhile")));
            }
            sqlx::query(
                "INSERT INTO match_meeting_outcomes (meeting_id, seq, outcome, intended_amount_fen, note, actor, at) \
                 VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM match_meeting_outcomes WHERE meeting_id = $1), \
                 $2, $3, $4, $5, $6)",
            )
            .bind(meeting_id)
            .bind(outcome.outcome.as_str())
            .bind(outcome.intended_amount_fen)
            .bind(outcome.note.as_deref())
            .bind(actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            let before = serde_json::json!({"version": version}).to_string();
            crate::audit::append_in!(&mut *transaction, actor, "match_event.outcome", "match_meeting",
                &meeting_id.to_string(), Some(&before), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Every outcome recorded for a meeting, oldest first.
    pub async fn meeting_outcomes(&self, meeting_id: i64) -> Result<Vec<OutcomeRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT seq, outcome, intended_amount_fen, note, actor, at FROM match_meeting_outcomes \
             WHERE meeting_id = $1 ORDER BY seq",
        )
        .bind(meeting_id)
        .fetch_all(pool)
        .await)?)
    }
}

//! Matchmaking events (issue 6, F3): events, sign-ups, meetings and their outcomes. Every change
//! is one transaction with its audit entry. The organiser's changes apply only from the version
//! and status they were read in; a sign-up is admitted by one guarded `UPDATE` of the event's
//! counters (status and capacity checked in the same statement), and a meeting is booked only
//! from the event's meeting sequence it was checked against — [`DbError::Stale`] otherwise.

use crate::loans::non_negative;
use crate::rights::corrupt;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};
use ipyun_domain::market::event::{EventStatus, EventTerms, SideCounts, SignupSide};
use ipyun_domain::party::PartyKind;

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchEventRecord {
    pub id: i64,
    pub organiser_id: i64,
    pub organiser_name: String,
    pub organiser_region: Option<String>,
    pub status: EventStatus,
    pub terms: EventTerms,
    /// Active sign-ups per side.
    pub counts: SideCounts,
    /// Bumped by every meeting booked: a booking applies only from the sequence it checked.
    pub meeting_seq: i64,
    pub cancelled_reason: Option<String>,
    pub version: i64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    organiser_id: i64,
    organiser_name: String,
    organiser_region: Option<String>,
    status: String,
    terms: String,
    lender_signups: i64,
    enterprise_signups: i64,
    meeting_seq: i64,
    cancelled_reason: Option<String>,
    version: i64,
    created_by: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl EventRow {
    fn into_record(self) -> Result<MatchEventRecord, DbError> {
        Ok(MatchEventRecord {
            status: EventStatus::parse(&self.status)
                .map_err(|error| corrupt("match_events.status", error))?,
            terms: serde_json::from_str(&self.terms)
                .map_err(|error| corrupt("match_events.terms", error))?,
            counts: SideCounts {
                lenders: non_negative("match_events.lender_signups", self.lender_signups)?,
                enterprises: non_negative(
                    "match_events.enterprise_signups",
                    self.enterprise_signups,
                )?,
            },
            id: self.id,
            organiser_id: self.organiser_id,
            organiser_name: self.organiser_name,
            organiser_region: self.organiser_region,
            meeting_seq: self.meeting_seq,
            cancelled_reason: self.cancelled_reason,
            version: self.version,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const EVENT_SELECT: &str = "SELECT m.id, m.organiser_id, o.name AS organiser_name, o.region AS organiser_region, \
    m.status, m.terms, m.lender_signups, m.enterprise_signups, m.meeting_seq, m.cancelled_reason, m.version, \
    m.created_by, m.created_at, m.updated_at FROM match_events m JOIN parties o ON o.id = m.organiser_id";

/// A party's sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupRecord {
    pub id: i64,
    pub event_id: i64,
    pub party_id: i64,
    pub party_name: String,
    pub party_kind: PartyKind,
    pub side: SignupSide,
    pub active: bool,
    pub demand_id: Option<i64>,
    pub signed_up_by: String,
    pub signed_up_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct SignupRow {
    id: i64,
    event_id: i64,
    party_id: i64,
    party_name: String,
    party_kind: String,
    side: String,
    status: String,
    demand_id: Option<i64>,
    signed_up_by: String,
    signed_up_at: DateTime<Utc>,
    withdrawn_at: Option<DateTime<Utc>>,
}

impl SignupRow {
    fn into_record(self) -> Result<SignupRecord, DbError> {
        Ok(SignupRecord {
            party_kind: PartyKind::parse(&self.party_kind)
                .map_err(|error| corrupt("parties.kind", error))?,
            side: SignupSide::parse(&self.side)
                .map_err(|error| corrupt("match_event_signups.side", error))?,
            active: self.status == "active",
            id: self.id,
            event_id: self.event_id,
            party_id: self.party_id,
            party_name: self.party_name,
            demand_id: self.demand_id,
            signed_up_by: self.signed_up_by,
            signed_up_at: self.signed_up_at,
            withdrawn_at: self.withdrawn_at,
        })
    }
}

const SIGNUP_SELECT: &str = "SELECT s.id, s.event_id, s.party_id, p.name AS party_name, p.kind AS party_kind, \
    s.side, s.status, s.demand_id, s.signed_up_by, s.signed_up_at, s.withdrawn_at \
    FROM match_event_signups s JOIN parties p ON p.id = s.party_id";

/// A change of an event's status by its organiser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventStatusWrite<'a> {
    pub event_id: i64,
    pub version: i64,
    pub from: EventStatus,
    pub to: EventStatus,
    pub reason: Option<&'a str>,
    pub actor: &'a str,
}

fn cap(places: Option<u32>) -> Option<i64> {
    places.map(i64::from)
}

fn terms_json(terms: &EventTerms) -> Result<String, DbError> {
    serde_json::to_string(terms).map_err(|error| corrupt("event terms", error))
}

impl Db {
    /// Schedules an event (status `scheduled`, version 1).
    pub async fn insert_match_event(
        &self,
        organiser_id: i64,
        terms: &EventTerms,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let json = terms_json(terms)?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO match_events (organiser_id, status, title, region, park_id, starts_at, ends_at, \
                 signup_deadline, capacity_total, capacity_lenders, capacity_enterprises, terms, created_by, \
                 created_at, updated_at) VALUES ($1, 'scheduled', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
                 RETURNING id",
            )
            .bind(organiser_id)
            .bind(&terms.title)
            .bind(terms.region.as_deref())
            .bind(terms.park_id)
            .bind(terms.starts_at)
            .bind(terms.ends_at)
            .bind(terms.signup_deadline)
            .bind(cap(terms.capacity.total))
            .bind(cap(terms.capacity.lenders))
            .bind(cap(terms.capacity.enterprises))
            .bind(&json)
            .bind(actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, actor, "match_event.schedule", "match_event",
                &id.to_string(), None::<&str>, Some(&json), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_match_event(&self, id: i64) -> Result<Option<MatchEventRecord>, DbError> {
        let sql = format!("{EVENT_SELECT} WHERE m.id = $1");
        let row: Option<EventRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(EventRow::into_record).transpose()
    }

    /// Events, latest start first (at most 1,000), of one organiser or status if asked.
    pub async fn list_match_events(
        &self,
        organiser_id: Option<i64>,
        status: Option<EventStatus>,
    ) -> Result<Vec<MatchEventRecord>, DbError> {
        let sql = format!(
            "{EVENT_SELECT} WHERE ($1 IS NULL OR m.organiser_id = $1) AND ($2 IS NULL OR m.status = $2) \
             ORDER BY m.starts_at DESC, m.id DESC LIMIT 1000"
        );
        let rows: Vec<EventRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(organiser_id)
            .bind(status.map(EventStatus::as_str))
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(EventRow::into_record).collect()
    }

    /// Replaces an event's terms, from version `version`, while it is neither held nor
    /// cancelled and its capacity still holds the parties signed up.
    pub async fn update_match_event(
        &self,
        id: i64,
        version: i64,
        terms: &EventTerms,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let json = terms_json(terms)?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE match_events SET title = $3, region = $4, park_id = $5, starts_at = $6, ends_at = $7, \
                 signup_deadline = $8, capacity_total = $9, capacity_lenders = $10, capacity_enterprises = $11, \
                 terms = $12, version = version + 1, updated_at = $13 \
                 WHERE id = $1 AND version = $2 AND status IN ('scheduled', 'closed') \
                 AND ($9 IS NULL OR lender_signups + enterprise_signups <= $9) \
                 AND ($10 IS NULL OR lender_signups <= $10) AND ($11 IS NULL OR enterprise_signups <= $11)",
            )
            .bind(id)
            .bind(version)
            .bind(&terms.title)
            .bind(terms.region.as_deref())
            .bind(terms.park_id)
            .bind(terms.starts_at)
            .bind(terms.ends_at)
            .bind(terms.signup_deadline)
            .bind(cap(terms.capacity.total))
            .bind(cap(terms.capacity.lenders))
            .bind(cap(terms.capacity.enterprises))
            .bind(&json)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("event {id} changed meanwhile")));
            }
            let before = serde_json::json!({"version": version}).to_string();
            crate::audit::append_in!(&mut *transaction, actor, "match_event.revise", "match_event",
                &id.to_string(), Some(&before), Some(&json), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Moves an event to another status, from the version and status it was read in.
    pub async fn set_match_event_status(
        &self,
        write: &EventStatusWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let before = serde_json::json!({"status": write.from.as_str()}).to_string();
        let after =
            serde_json::json!({"status": write.to.as_str(), "reason": write.reason}).to_string();
        let action = format!("match_event.{}", write.to.as_str());
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE match_events SET status = $4, cancelled_reason = COALESCE($5, cancelled_reason), \
                 version = version + 1, updated_at = $6 WHERE id = $1 AND version = $2 AND status = $3",
            )
            .bind(write.event_id)
            .bind(write.version)
            .bind(write.from.as_str())
            .bind(write.to.as_str())
            .bind(write.reason)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("event {} changed meanwhile", write.event_id)));
            }
            crate::audit::append_in!(&mut *transaction, write.actor, action.as_str(), "match_event",
                &write.event_id.to_string(), Some(&before), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Signs a party up: admitted only while the event is scheduled and has a place on the
    /// party's side ([`DbError::Stale`] otherwise); a second active sign-up of the party is
    /// refused by the database ([`DbError::Constraint`]).
    pub async fn insert_signup(
        &self,
        event_id: i64,
        party_id: i64,
        side: SignupSide,
        demand_id: Option<i64>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let (lender, enterprise) = match side {
            SignupSide::Lender => (1_i64, 0_i64),
            SignupSide::Enterprise => (0, 1),
        };
        let after = serde_json::json!({"event_id": event_id, "party_id": party_id,
            "side": side.as_str(), "demand_id": demand_id})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let admitted = sqlx::query(
                "UPDATE match_events SET lender_signups = lender_signups + $2, \
                 enterprise_signups = enterprise_signups + $3 WHERE id = $1 AND status = 'scheduled' \
                 AND (capacity_total IS NULL OR lender_signups + enterprise_signups + 1 <= capacity_total) \
                 AND (capacity_lenders IS NULL OR lender_signups + $2 <= capacity_lenders) \
                 AND (capacity_enterprises IS NULL OR enterprise_signups + $3 <= capacity_enterprises)",
            )
            .bind(event_id)
            .bind(lender)
            .bind(enterprise)
            .execute(&mut *transaction)
            .await?;
            if admitted.rows_affected() != 1 {
                return Err(DbError::Stale(format!("event {event_id} is full or closed")));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO match_event_signups (event_id, party_id, side, status, demand_id, signed_up_by, \
                 signed_up_at) VALUES ($1, $2, $3, 'active', $4, $5, $6) RETURNING id",
            )
            .bind(event_id)
            .bind(party_id)
            .bind(side.as_str())
            .bind(demand_id)
            .bind(actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, actor, "match_event.signup", "match_event_signup",
                &id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    /// Withdraws an active sign-up, giving its place back.
    pub async fn withdraw_signup(
        &self,
        signup: &SignupRecord,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let (lender, enterprise) = match signup.side {
            SignupSide::Lender => (1_i64, 0_i64),
            SignupSide::Enterprise => (0, 1),
        };
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE match_event_signups SET status = 'withdrawn', withdrawn_at = $2 \
                 WHERE id = $1 AND status = 'active'",
            )
            .bind(signup.id)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("sign-up {} is withdrawn already", signup.id)));
            }
            sqlx::query(
                "UPDATE match_events SET lender_signups = lender_signups - $2, \
                 enterprise_signups = enterprise_signups - $3 WHERE id = $1",
            )
            .bind(signup.event_id)
            .bind(lender)
            .bind(enterprise)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, actor, "match_event.withdraw_signup",
                "match_event_signup", &signup.id.to_string(), Some(r#"{"status":"active"}"#),
                Some(r#"{"status":"withdrawn"}"#), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// An event's sign-ups (of one party if asked), withdrawn ones included, oldest first.
    pub async fn list_signups(
        &self,
        event_id: i64,
        party_id: Option<i64>,
    ) -> Result<Vec<SignupRecord>, DbError> {
        let sql = format!(
            "{SIGNUP_SELECT} WHERE s.event_id = $1 AND ($2 IS NULL OR s.party_id = $2) ORDER BY s.id"
        );
        let rows: Vec<SignupRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(event_id)
            .bind(party_id)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(SignupRow::into_record).collect()
    }

    pub async fn get_signup(&self, id: i64) -> Result<Option<SignupRecord>, DbError> {
        let sql = format!("{SIGNUP_SELECT} WHERE s.id = $1");
        let row: Option<SignupRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(SignupRow::into_record).transpose()
    }
}

#[path = "match_events_meetings.rs"]
mod meetings;
pub use meetings::{MeetingRecord, MeetingWrite, OutcomeRecord};

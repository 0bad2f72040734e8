//! Matchmaking events (银企对接, issue 6 F3). Who may see and do what:
//! - a park's users schedule events for their park; a provincial office's users for places in
//!   their province; the national office's users for any place or nationwide. The organiser's
//!   users edit an event, close its sign-up, cancel it (with a reason) and mark it held;
//! - a lender's, insurer's, guarantor's or enterprise's users sign their own party up (an
//!   enterprise may name a demand of its own to discuss) and withdraw it before the deadline;
//! - the organiser books meetings between parties signed up on either side; a party signed up
//!   asks for one with a counterpart signed up; no party is booked in two overlapping slots;
//! - the organiser or either party of a meeting records its outcome, once the meeting has begun;
//!   the lender's users may at the same time move the demand discussed to `in_talks` through
//!   the demands' own rules (a second step after the outcome is stored);
//! - everyone signed in sees the events; the sign-ups, the meetings and the report are the
//!   organiser's and the overseeing offices' (a provincial office: events in its province; the
//!   national office and administrators: all); a party sees its own sign-up and meetings.

use crate::demands::StageInput;
use crate::{App, AppError, ErrorKind};
use chrono::{DateTime, Utc};
use ipyun_db::DbError;
use ipyun_db::match_events::{
    EventStatusWrite, MatchEventRecord, MeetingRecord, MeetingWrite, SignupRecord,
};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::market::Stage;
use ipyun_domain::market::event::{
    Booking, EventDraft, EventStatus, EventTerms, MeetingOutcome, MeetingStatus, OutcomeDraft,
    SideCounts, SignupRefusal, SignupSide, Slot, double_booking, note, signup_refusal,
    withdrawal_refusal,
};
use ipyun_domain::party::PartyKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    pub status: Option<EventStatus>,
    pub organiser_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    pub reason: String,
}

/// A sign-up of your own organisation.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupInput {
    /// Your organisation (the default); any other is refused.
    pub party_id: Option<i64>,
    /// An enterprise's own financing demand to discuss.
    pub demand_id: Option<i64>,
}

/// A meeting to book between a lender-side party and an enterprise, both signed up.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    pub lender_id: i64,
    pub enterprise_id: i64,
    /// The enterprise's demand (default: the one its sign-up names).
    pub demand_id: Option<i64>,
    /// The lender's product to discuss.
    pub product_id: Option<i64>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub id: i64,
    pub organiser_id: i64,
    pub organiser_name: String,
    /// As of now: a scheduled event past its deadline is `closed`.
    pub status: EventStatus,
    pub status_zh: &'static str,
    pub signup_open: bool,
    pub terms: EventTerms,
    pub signed_up: SideCounts,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_reason: Option<String>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SignupView {
    pub id: i64,
    pub party_id: i64,
    pub party_name: String,
    pub party_kind: PartyKind,
    pub side: SignupSide,
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand_id: Option<i64>,
    pub signed_up_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    pub id: i64,
    pub lender_id: i64,
    pub lender_name: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<i64>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: MeetingStatus,
    pub status_zh: &'static str,
    /// The party that asked for it; absent: booked by the organiser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_by: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<MeetingOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome_zh: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intended_amount_fen: Option<i64>,
    pub version: i64,
}

/// A meeting with its outcome recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutcomeAnswer {
    pub meeting: MeetingView,
    /// Whether the demand discussed moved to `in_talks`.
    pub demand_advanced: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindCount {
    pub party_kind: PartyKind,
    pub active: u64,
    pub withdrawn: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutcomeCount {
    pub outcome: MeetingOutcome,
    pub label_zh: &'static str,
    pub meetings: u64,
    /// The amounts intended at these meetings, in fen.
    pub intended_amount_fen: i64,
}

/// What an event achieved: sign-ups, meetings held, outcomes and the money intended.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventReport {
    pub event: EventView,
    /// Sign-ups by the kind of party (lenders, insurers, guarantors, enterprises).
    pub signups: Vec<KindCount>,
    pub meetings: u64,
    pub meetings_held: u64,
    /// The latest outcome of each meeting held, counted, in the outcomes' order.
    pub outcomes: Vec<OutcomeCount>,
    pub intended_amount_fen: i64,
    /// Demands discussed at a meeting.
    pub demands_discussed: u64,
}

fn event_not_found(id: i64) -> AppError {
    AppError::not_found("match_event.not_found", format!("no event {id}"))
}

fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::Conflict, code, message)
}

fn invalid(field: &str, code: &str, message: impl Into<String>) -> AppError {
    AppError::validation(FieldErrors(vec![FieldError::new(field, code, message)]))
}

fn refused(refusal: SignupRefusal) -> AppError {
    let kind = match refusal {
        SignupRefusal::PartyKind => ErrorKind::Forbidden,
        _ => ErrorKind::Conflict,
    };
    AppError::new(kind, refusal.code(), refusal.message())
}

fn stale(code: &'static str) -> impl Fn(DbError) -> AppError {
    move |error| match error {
        DbError::Stale(message) => conflict(code, message),
        other => other.into(),
    }
}

/// The party a principal acts for when it may sign up or meet: lenders, insurers and
/// guarantors, enterprises.
fn party_user(principal: &Principal) -> Option<i64> {
    match principal.role {
        Role::Lender | Role::Insurer | Role::Enterprise => principal.party_id,
        _ => None,
    }
}

fn organises(principal: &Principal, event: &MatchEventRecord) -> bool {
    matches!(
        principal.role,
        Role::Park | Role::ProvincialOffice | Role::NationalOffice
    ) && principal.party_id == Some(event.organiser_id)
}

/// The organiser, administrators, the national office, and a provincial office over events in
/// its province.
fn oversees(principal: &Principal, event: &MatchEventRecord) -> bool {
    match principal.role {
        Role::PlatformAdmin | Role::NationalOffice => true,
        Role::ProvincialOffice => {
            organises(principal, event)
                || crate::loans::province(principal).is_some_and(|province| {
                    event
                        .terms
                        .region
                        .as_deref()
                        .or(event.organiser_region.as_deref())
                        .is_some_and(|region| region.starts_with(province.as_str()))
                })
        }
        _ => organises(principal, event),
    }
}

fn event_view(event: MatchEventRecord, now: DateTime<Utc>) -> EventView {
    let status = event.status.at(event.terms.signup_deadline, now);
    EventView {
        status_zh: status.label_zh(),
        signup_open: status == EventStatus::Scheduled,
        status,
        id: event.id,
        organiser_id: event.organiser_id,
        organiser_name: event.organiser_name,
        terms: event.terms,
        signed_up: event.counts,
        cancelled_reason: event.cancelled_reason,
        version: event.version,
        updated_at: event.updated_at,
    }
}

fn signup_view(signup: SignupRecord) -> SignupView {
    SignupView {
        id: signup.id,
        party_id: signup.party_id,
        party_name: signup.party_name,
        party_kind: signup.party_kind,
        side: signup.side,
        active: signup.active,
        demand_id: signup.demand_id,
        signed_up_at: signup.signed_up_at,
        withdrawn_at: signup.withdrawn_at,
    }
}

fn meeting_view(meeting: MeetingRecord) -> MeetingView {
    MeetingView {
        status_zh: meeting.status.label_zh(),
        outcome_zh: meeting.outcome.map(MeetingOutcome::label_zh),
        id: meeting.id,
        lender_id: meeting.lender_id,
        lender_name: meeting.lender_name,
        enterprise_id: meeting.enterprise_id,
        enterprise_name: meeting.enterprise_name,
        demand_id: meeting.demand_id,
        product_id: meeting.product_id,
        starts_at: meeting.slot.starts_at,
        ends_at: meeting.slot.ends_at,
        status: meeting.status,
        requested_by: meeting.requested_by,
        outcome: meeting.outcome,
        intended_amount_fen: meeting.intended_amount_fen,
        version: meeting.version,
    }
}

impl App {
    async fn load_event(&self, id: i64) -> Result<MatchEventRecord, AppError> {
        self.db
            .get_match_event(id)
            .await?
            .ok_or_else(|| event_not_found(id))
    }

    /// An event its organiser's user may change, or a refusal.
    async fn organised_event(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<MatchEventRecord, AppError> {
        let event = self.load_event(id).await?;
        if !organises(principal, &event) {
            return Err(AppError::forbidden(
                "only the organiser's users change an event",
            ));
        }
        Ok(event)
    }

    /// Checks the organiser may serve the event's place, filling in a park's own park and region.
    async fn place_for(
        &self,
        principal: &Principal,
        terms: &mut EventTerms,
    ) -> Result<i64, AppError> {
        let Some(organiser) = principal.party_id else {
            return Err(AppError::forbidden("your account acts for no organisation"));
        };
        let park_outside = |park_region: Option<&str>, province: &str| {
            !park_region.is_some_and(|region| region.starts_with(province))
        };
        match principal.role {
            Role::Park => {
                if terms.park_id.is_some_and(|park| park != organiser) {
                    return Err(invalid(
                        "park_id",
                        "not_yours",
                        "a park holds events for itself",
                    ));
                }
                let park = self.db.get_party(organiser).await?;
                let region = park.and_then(|park| park.region);
                if terms.region.is_some() && terms.region != region {
                    return Err(invalid(
                        "region",
                        "not_yours",
                        "a park's event serves its own region",
                    ));
                }
                terms.park_id = Some(organiser);
                terms.region = region;
            }
            Role::ProvincialOffice | Role::NationalOffice => {
                let province = if principal.role == Role::ProvincialOffice {
                    let province = crate::loans::province(principal)
                        .ok_or_else(|| AppError::forbidden("your office has no region"))?;
                    if !terms
                        .region
                        .as_deref()
                        .is_some_and(|region| region.starts_with(province.as_str()))
                    {
                        return Err(invalid(
                            "region",
                            "outside_province",
                            "a provincial office's event serves a place in its province",
                        ));
                    }
                    Some(province)
                } else {
                    None
                };
                if let Some(park_id) = terms.park_id {
                    let park = self
                        .db
                        .get_party(park_id)
                        .await?
                        .filter(|party| party.kind == PartyKind::Park);
                    let Some(park) = park else {
                        return Err(invalid(
                            "park_id",
                            "not_a_park",
                            format!("no park {park_id}"),
                        ));
                    };
                    if province
                        .as_deref()
                        .is_some_and(|province| park_outside(park.region.as_deref(), province))
                    {
                        return Err(invalid(
                            "park_id",
                            "outside_province",
                            "the park lies outside your province",
                        ));
                    }
                }
            }
            _ => {
                return Err(AppError::forbidden(
                    "parks and IP offices schedule matchmaking events",
                ));
            }
        }
        Ok(organiser)
    }

    /// Schedules an event for the principal's park or office.
    pub async fn schedule_match_event(
        &self,
        principal: &Principal,
        draft: &EventDraft,
    ) -> Result<EventView, AppError> {
        if !matches!(
            principal.role,
            Role::Park | Role::ProvincialOffice | Role::NationalOffice
        ) {
            return Err(AppError::forbidden(
                "parks and IP offices schedule matchmaking events",
            ));
        }
        let mut terms = draft.validate().map_err(AppError::validation)?;
        let now = self.clock.now();
        let mut errors = FieldErrors::default();
        for (field, instant) in [
            ("starts_at", terms.starts_at),
            ("signup_deadline", terms.signup_deadline),
        ] {
            if instant <= now {
                errors.push(FieldError::new(field, "in_past", "this instant has passed"));
            }
        }
        errors.into_result().map_err(AppError::validation)?;
        let organiser = self.place_for(principal, &mut terms).await?;
        let id = self
            .db
            .insert_match_event(organiser, &terms, &principal.username, now)
            .await?;
        self.match_event(principal, id).await
    }

    /// Edits an event (neither held nor cancelled): the terms are validated whole; a time moved
    /// must lie ahead, and the capacity must hold the parties signed up.
    pub async fn revise_match_event(
        &self,
        principal: &Principal,
        id: i64,
        draft: &EventDraft,
    ) -> Result<EventView, AppError> {
        let event = self.organised_event(principal, id).await?;
        if event.status.is_final() {
            return Err(conflict(
                "match_event.status",
                format!("the event is {}", event.status.as_str()),
            ));
        }
        let mut terms = draft.validate().map_err(AppError::validation)?;
        let now = self.clock.now();
        let mut errors = FieldErrors::default();
        for (field, instant, before) in [
            ("starts_at", terms.starts_at, event.terms.starts_at),
            (
                "signup_deadline",
                terms.signup_deadline,
                event.terms.signup_deadline,
            ),
        ] {
            if instant != before && instant <= now {
                errors.push(FieldError::new(field, "in_past", "this instant has passed"));
            }
        }
        if !terms.capacity.fits(event.counts) {
            errors.push(FieldError::new(
                "capacity",
                "below_signups",
                format!(
                    "{} lender-side and {} enterprise sign-ups must still fit",
                    event.counts.lenders, event.counts.enterprises
                ),
            ));
        }
        errors.into_result().map_err(AppError::validation)?;
        self.place_for(principal, &mut terms).await?;
        self.db
            .update_match_event(id, event.version, &terms, &principal.username, now)
            .await
            .map_err(stale("match_event.changed"))?;
        self.match_event(principal, id).await
    }

    async fn move_event(
        &self,
        principal: &Principal,
        id: i64,
        to: EventStatus,
        reason: Option<&str>,
    ) -> Result<EventView, AppError> {
        let event = self.organised_event(principal, id).await?;
        if !event.status.may_become(to) {
            return Err(conflict(
                "match_event.status",
                format!(
                    "an event that is {} cannot become {}",
                    event.status.as_str(),
                    to.as_str()
                ),
            ));
        }
        let now = self.clock.now();
        if to == EventStatus::Held && now < event.terms.starts_at {
            return Err(conflict(
                "match_event.not_started",
                "an event is held once it has started",
            ));
        }
        let write = EventStatusWrite {
            event_id: id,
            version: event.version,
            from: event.status,
            to,
            reason,
            actor: &principal.username,
        };
        self.db
            .set_match_event_status(&write, now)
            .await
            .map_err(stale("match_event.changed"))?;
        self.match_event(principal, id).await
    }

    /// Closes sign-up before the deadline.
    pub async fn close_match_event_signups(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<EventView, AppError> {
        self.move_event(principal, id, EventStatus::Closed, None)
            .await
    }

    /// Marks an event held (once it has started).
    pub async fn mark_match_event_held(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<EventView, AppError> {
        self.move_event(principal, id, EventStatus::Held, None)
            .await
    }

    /// Cancels an event with a reason.
    pub async fn cancel_match_event(
        &self,
        principal: &Principal,
        id: i64,
        input: &CancelInput,
    ) -> Result<EventView, AppError> {
        let reason = note("reason", Some(&input.reason))
            .map_err(|error| AppError::validation(FieldErrors(vec![error])))?
            .ok_or_else(|| invalid("reason", "required", "give the reason for cancelling"))?;
        self.move_event(principal, id, EventStatus::Cancelled, Some(&reason))
            .await
    }

    /// One event (anyone signed in).
    pub async fn match_event(
        &self,
        _principal: &Principal,
        id: i64,
    ) -> Result<EventView, AppError> {
        Ok(event_view(self.load_event(id).await?, self.clock.now()))
    }

    /// The events, latest first (anyone signed in).
    pub async fn list_match_events(
        &self,
        _principal: &Principal,
        query: &EventQuery,
    ) -> Result<Vec<EventView>, AppError> {
        let now = self.clock.now();
        Ok(self
            .db
            .list_match_events(query.organiser_id, query.status)
            .await?
            .into_iter()
            .map(|event| event_view(event, now))
            .collect())
    }

    /// The meetings: all to the organiser and overseeing offices, its own to a party.
    pub async fn match_event_meetings(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<Vec<MeetingView>, AppError> {
        let event = self.load_event(id).await?;
        let party = if oversees(principal, &event) {
            None
        } else {
            match party_user(principal) {
                Some(party) => Some(party),
                None => return Ok(Vec::new()),
            }
        };
        Ok(self
            .db
            .list_meetings(id, party)
            .await?
            .into_iter()
            .map(meeting_view)
            .collect())
    }
}

#[path = "match_events_meetings.rs"]
mod meetings;
#[path = "match_events_signups.rs"]
mod signups;

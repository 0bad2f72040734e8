//! Matchmaking events (银企对接, issue 6 F3): a park or an IP office schedules an event, lenders
//! (and insurers and guarantors) and enterprises sign up, meetings between the two sides are
//! booked in time slots, and each meeting's outcome is recorded.
//!
//! ```text
//! scheduled ──close sign-up / deadline──→ closed ──→ held
//!     └──────────────────────────────────────┴──→ cancelled (with a reason)
//! ```
//! A draft is validated whole (every fault names its field); sign-up, withdrawal and booking
//! refusals carry stable codes.

use crate::field::{FieldError, FieldErrors};
use crate::id::RegionCode;
use crate::party::{PartyKind, string_enum};
use crate::right::RightKind;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The longest title, in characters.
pub const MAX_EVENT_TITLE_CHARS: usize = 100;
/// The longest description, in characters.
pub const MAX_EVENT_DESCRIPTION_CHARS: usize = 2_000;
/// The longest venue or online link, in characters.
pub const MAX_VENUE_CHARS: usize = 300;
/// The most places an event may offer on one side (or in all).
pub const MAX_CAPACITY: u32 = 10_000;
/// The longest an event may last.
pub const MAX_EVENT_DAYS: i64 = 7;
/// The longest note or reason, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

string_enum!(
    /// Where an event stands.
    EventStatus, "event status" {
    Scheduled => "scheduled",
    Closed => "closed",
    Held => "held",
    Cancelled => "cancelled",
});

impl EventStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            EventStatus::Scheduled => "报名中",
            EventStatus::Closed => "报名已截止",
            EventStatus::Held => "已举办",
            EventStatus::Cancelled => "已取消",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            EventStatus::Scheduled => "open for sign-up",
            EventStatus::Closed => "sign-up closed",
            EventStatus::Held => "held",
            EventStatus::Cancelled => "cancelled",
        }
    }

    /// Nothing follows.
    pub fn is_final(self) -> bool {
        matches!(self, EventStatus::Held | EventStatus::Cancelled)
    }

    /// The status as seen at `now`: a scheduled event whose deadline has passed is closed.
    pub fn at(self, deadline: DateTime<Utc>, now: DateTime<Utc>) -> EventStatus {
        if self == EventStatus::Scheduled && now > deadline {
            EventStatus::Closed
        } else {
            self
        }
    }

    /// Whether the organiser may move the event to `next`.
    pub fn may_become(self, next: EventStatus) -> bool {
        match next {
            EventStatus::Closed => self == EventStatus::Scheduled,
            EventStatus::Held | EventStatus::Cancelled => !self.is_final(),
            EventStatus::Scheduled => false,
        }
    }
}

string_enum!(
    /// The side of the table a party sits on.
    SignupSide, "sign-up side" {
    Lender => "lender",
    Enterprise => "enterprise",
});

impl SignupSide {
    /// The side of a party of `kind`: lenders, insurers and guarantors offer money or cover,
    /// enterprises seek it; no one else signs up.
    pub fn of(kind: PartyKind) -> Option<SignupSide> {
        match kind {
            PartyKind::Lender | PartyKind::Insurer | PartyKind::Guarantor => {
                Some(SignupSide::Lender)
            }
            PartyKind::Enterprise => Some(SignupSide::Enterprise),
            _ => None,
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            SignupSide::Lender => "金融机构",
            SignupSide::Enterprise => "企业",
        }
    }
}

/// Places at an event: in all, per side, or both (at least one of the three).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Capacity {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lenders: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enterprises: Option<u32>,
}

/// Active sign-ups on each side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SideCounts {
    pub lenders: u32,
    pub enterprises: u32,
}

impl SideCounts {
    pub fn on(self, side: SignupSide) -> u32 {
        match side {
            SignupSide::Lender => self.lenders,
            SignupSide::Enterprise => self.enterprises,
        }
    }
}

impl Capacity {
    /// Whether these counts fit (e.g. after lowering the capacity).
    pub fn fits(self, counts: SideCounts) -> bool {
        let within = |cap: Option<u32>, count: u32| cap.is_none_or(|cap| count <= cap);
        within(self.total, counts.lenders + counts.enterprises)
            && within(self.lenders, counts.lenders)
            && within(self.enterprises, counts.enterprises)
    }

    /// Whether one more party on `side` fits.
    pub fn admits(self, side: SignupSide, counts: SideCounts) -> bool {
        let mut after = counts;
        match side {
            SignupSide::Lender => after.lenders += 1,
            SignupSide::Enterprise => after.enterprises += 1,
        }
        self.fits(after)
    }
}

/// An event as submitted: every field optional, checked by [`EventDraft::validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDraft {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Where it takes place (a venue, an online link, or both).
    pub venue: Option<String>,
    pub online_url: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// The last instant a party may sign up (or withdraw).
    pub signup_deadline: Option<DateTime<Utc>>,
    /// Places in all.
    pub capacity: Option<u32>,
    /// Places for lenders, insurers and guarantors.
    pub lender_capacity: Option<u32>,
    /// Places for enterprises.
    pub enterprise_capacity: Option<u32>,
    /// The GB/T 2260 region it serves; none: nationwide (or the park's).
    pub region: Option<String>,
    /// The park it serves (a park's events always serve the park).
    pub park_id: Option<i64>,
    /// Kinds of right it focuses on, if any.
    #[serde(default)]
    pub right_kinds: Vec<RightKind>,
}

/// A validated event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventTerms {
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub signup_deadline: DateTime<Utc>,
    pub capacity: Capacity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub park_id: Option<i64>,
    pub right_kinds: Vec<RightKind>,
}

fn text(errors: &mut FieldErrors, field: &str, value: &Option<String>, max: usize) -> String {
    let value = value.as_deref().map(str::trim).unwrap_or_default();
    if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    value.to_string()
}

/// A trimmed note or reason: `Ok(None)` when blank, an error when too long.
pub fn note(field: &str, value: Option<&str>) -> Result<Option<String>, FieldError> {
    let value = value.map(str::trim).filter(|value| !value.is_empty());
    match value {
        Some(value) if value.chars().count() > MAX_NOTE_CHARS => Err(FieldError::new(
            field,
            "too_long",
            format!("at most {MAX_NOTE_CHARS} characters"),
        )),
        other => Ok(other.map(str::to_string)),
    }
}

impl EventDraft {
    /// Checks every field at once (the organiser's scope and the clock are the caller's).
    pub fn validate(&self) -> Result<EventTerms, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = text(&mut errors, "title", &self.title, MAX_EVENT_TITLE_CHARS);
        if title.is_empty() {
            errors.push(FieldError::required("title"));
        }
        let description = text(
            &mut errors,
            "description",
            &self.description,
            MAX_EVENT_DESCRIPTION_CHARS,
        );
        let venue = text(&mut errors, "venue", &self.venue, MAX_VENUE_CHARS);
        let online_url = text(&mut errors, "online_url", &self.online_url, MAX_VENUE_CHARS);
        if venue.is_empty() && online_url.is_empty() {
            errors.push(FieldError::new(
                "venue",
                "required",
                "name a venue or an online link",
            ));
        }
        let lower = online_url.to_ascii_lowercase();
        let is_link = lower.starts_with("https://") || lower.starts_with("http://");
        if !online_url.is_empty() && !is_link {
            errors.push(FieldError::new(
                "online_url",
                "not_a_link",
                "an online link starts with https:// or http://",
            ));
        }
        for (field, value) in [
            ("starts_at", self.starts_at),
            ("ends_at", self.ends_at),
            ("signup_deadline", self.signup_deadline),
        ] {
            if value.is_none() {
                errors.push(FieldError::required(field));
            }
        }
        if let (Some(starts), Some(ends)) = (self.starts_at, self.ends_at) {
            if ends <= starts {
                errors.push(FieldError::new(
                    "ends_at",
                    "before_start",
                    "an event ends after it starts",
                ));
            } else if ends - starts > Duration::days(MAX_EVENT_DAYS) {
                errors.push(FieldError::new(
                    "ends_at",
                    "too_long",
                    format!("an event lasts at most {MAX_EVENT_DAYS} days"),
                ));
            }
        }
        if let (Some(starts), Some(deadline)) = (self.starts_at, self.signup_deadline)
            && deadline > starts
        {
            errors.push(FieldError::new(
                "signup_deadline",
                "after_start",
                "sign-up closes no later than the event starts",
            ));
        }
        let capacity = Capacity {
            total: self.capacity,
            lenders: self.lender_capacity,
            enterprises: self.enterprise_capacity,
        };
        if capacity == Capacity::default() {
            errors.push(FieldError::new(
                "capacity",
                "required",
                "give the places in all, per side, or both",
            ));
        }
        for (field, places) in [
            ("capacity", self.capacity),
            ("lender_capacity", self.lender_capacity),
            ("enterprise_capacity", self.enterprise_capacity),
        ] {
            if places.is_some_and(|places| places == 0 || places > MAX_CAPACITY) {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    format!("places are 1 to {MAX_CAPACITY}"),
                ));
            } else if let (Some(total), Some(places)) = (self.capacity, places)
                && field != "capacity"
                && places > total
            {
                errors.push(FieldError::new(
                    field,
                    "above_total",
                    "a side has no more places than the event in all",
                ));
            }
        }
        let region = self
            .region
            .as_deref()
            .map(str::trim)
            .filter(|raw| !raw.is_empty());
        let region = region.and_then(|raw| {
            errors
                .parse("region", RegionCode::parse(raw))
                .map(|code| code.as_str().to_string())
        });
        if self.park_id.is_some_and(|park| park <= 0) {
            errors.push(FieldError::new(
                "park_id",
                "out_of_range",
                "a park is a party id",
            ));
        }
        errors.into_result()?;
        let (Some(starts_at), Some(ends_at), Some(signup_deadline)) =
            (self.starts_at, self.ends_at, self.signup_deadline)
        else {
            return Err(FieldErrors(vec![FieldError::required("starts_at")]));
        };
        let mut right_kinds = self.right_kinds.clone();
        right_kinds.sort_by_key(|kind| kind.as_str());
        right_kinds.dedup();
        Ok(EventTerms {
            title,
            description,
            venue: (!venue.is_empty()).then_some(venue),
            online_url: (!online_url.is_empty()).then_some(online_url),
            starts_at,
            ends_at,
            signup_deadline,
            capacity,
            region,
            park_id: self.park_id,
            right_kinds,
        })
    }
}

/// Why a party may not sign up (or withdraw).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupRefusal {
    /// The event is not taking sign-ups (closed, held or cancelled).
    NotOpen(EventStatus),
    DeadlinePassed,
    /// Only lenders, insurers, guarantors and enterprises sign up.
    PartyKind,
    /// The party is signed up already.
    Duplicate,
    /// No place is left on the party's side (or in all).
    Full(SignupSide),
}

impl SignupRefusal {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            SignupRefusal::NotOpen(_) => "signup.not_open",
            SignupRefusal::DeadlinePassed => "signup.deadline_passed",
            SignupRefusal::PartyKind => "signup.party_kind",
            SignupRefusal::Duplicate => "signup.duplicate",
            SignupRefusal::Full(_) => "signup.full",
        }
    }

    pub fn message(self) -> String {
        match self {
            SignupRefusal::NotOpen(status) => {
                format!("the event takes no sign-ups: it is {}", status.label_en())
            }
            SignupRefusal::DeadlinePassed => "the sign-up deadline has passed".into(),
            SignupRefusal::PartyKind => {
                "only lenders, insurers, guarantors and enterprises sign up".into()
            }
            SignupRefusal::Duplicate => "your organisation is signed up already".into(),
            SignupRefusal::Full(side) => {
                format!("no place is left for a {}", side.as_str())
            }
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            SignupRefusal::NotOpen(_) => "活动未在报名中",
            SignupRefusal::DeadlinePassed => "报名已截止",
            SignupRefusal::PartyKind => "仅金融机构与企业可报名",
            SignupRefusal::Duplicate => "已报名，不可重复报名",
            SignupRefusal::Full(_) => "名额已满",
        }
    }
}

/// Whether a party of `kind` may sign up now: the first ground that refuses it, in order —
/// its kind, the event's status, the deadline, a sign-up already made, the places left.
pub fn signup_refusal(
    terms: &EventTerms,
    status: EventStatus,
    now: DateTime<Utc>,
    kind: PartyKind,
    counts: SideCounts,
    already_signed_up: bool,
) -> Option<SignupRefusal> {
    let Some(side) = SignupSide::of(kind) else {
        return Some(SignupRefusal::PartyKind);
    };
    if status != EventStatus::Scheduled {
        return Some(SignupRefusal::NotOpen(status));
    }
    if now > terms.signup_deadline {
        return Some(SignupRefusal::DeadlinePassed);
    }
    if already_signed_up {
        return Some(SignupRefusal::Duplicate);
    }
    (!terms.capacity.admits(side, counts)).then_some(SignupRefusal::Full(side))
}

/// Whether a sign-up may be withdrawn now: until the deadline, unless the event is over.
pub fn withdrawal_refusal(
    terms: &EventTerms,
    status: EventStatus,
    now: DateTime<Utc>,
) -> Option<SignupRefusal> {
    if status.is_final() {
        return Some(SignupRefusal::NotOpen(status));
    }
    (now > terms.signup_deadline).then_some(SignupRefusal::DeadlinePassed)
}

#[path = "event_meetings.rs"]
mod meetings;
pub use meetings::{
    Booking, MeetingOutcome, MeetingStatus, OutcomeDraft, OutcomeTerms, Slot, double_booking,
};

#[cfg(test)]
#[path = "event_tests.rs"]
mod tests;

//! Meetings at a matchmaking event: their time slots (no party in two at once), statuses and
//! outcomes (see `event`).

use super::{EventTerms, note};
use crate::field::{FieldError, FieldErrors};
use crate::loan::MAX_AMOUNT_FEN;
use crate::party::string_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

string_enum!(
    /// A meeting booked at an event: `requested` by one of the parties with a signed-up
    /// counterpart, `scheduled` by the organiser, `held` once an outcome is recorded.
    MeetingStatus, "meeting status" {
    Requested => "requested",
    Scheduled => "scheduled",
    Held => "held",
});

impl MeetingStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            MeetingStatus::Requested => "一方申请",
            MeetingStatus::Scheduled => "组织方安排",
            MeetingStatus::Held => "已洽谈",
        }
    }
}

string_enum!(
    /// What came of a meeting (ordered from nothing to money approved).
    #[derive(PartialOrd, Ord)]
    MeetingOutcome, "meeting outcome" {
    NoInterest => "no_interest",
    FollowUp => "follow_up",
    InTalks => "in_talks",
    TermSheet => "term_sheet",
    LoanApproved => "loan_approved",
});

impl MeetingOutcome {
    pub fn label_zh(self) -> &'static str {
        match self {
            MeetingOutcome::NoInterest => "暂无意向",
            MeetingOutcome::FollowUp => "后续跟进",
            MeetingOutcome::InTalks => "深入洽谈",
            MeetingOutcome::TermSheet => "达成融资意向",
            MeetingOutcome::LoanApproved => "授信获批",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            MeetingOutcome::NoInterest => "no interest",
            MeetingOutcome::FollowUp => "follow up",
            MeetingOutcome::InTalks => "in talks",
            MeetingOutcome::TermSheet => "term sheet",
            MeetingOutcome::LoanApproved => "loan approved",
        }
    }

    /// Whether an intended amount belongs to it (not to `no_interest`).
    pub fn allows_amount(self) -> bool {
        self != MeetingOutcome::NoInterest
    }

    /// Whether it puts a demand discussed at the meeting in talks (or further).
    pub fn means_talks(self) -> bool {
        self >= MeetingOutcome::InTalks
    }
}

/// A time slot, half open: `[starts_at, ends_at)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Slot {
    pub fn overlaps(self, other: Slot) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }

    /// Checks the slot lies within the event.
    pub fn validate(self, terms: &EventTerms) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.ends_at <= self.starts_at {
            errors.push(FieldError::new(
                "ends_at",
                "before_start",
                "a meeting ends after it starts",
            ));
        }
        if self.starts_at < terms.starts_at || self.starts_at >= terms.ends_at {
            errors.push(FieldError::new(
                "starts_at",
                "outside_event",
                "a meeting starts during the event",
            ));
        }
        if self.ends_at > terms.ends_at {
            errors.push(FieldError::new(
                "ends_at",
                "outside_event",
                "a meeting ends by the event's end",
            ));
        }
        errors.into_result()
    }
}

/// A meeting already booked, as far as double booking is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    pub meeting_id: i64,
    pub lender_id: i64,
    pub enterprise_id: i64,
    pub slot: Slot,
}

/// The first booking that puts either party in two places at once: `(meeting, party)`.
pub fn double_booking(
    bookings: &[Booking],
    lender_id: i64,
    enterprise_id: i64,
    slot: Slot,
) -> Option<(i64, i64)> {
    bookings.iter().find_map(|booking| {
        if !booking.slot.overlaps(slot) {
            return None;
        }
        [lender_id, enterprise_id]
            .into_iter()
            .find(|party| *party == booking.lender_id || *party == booking.enterprise_id)
            .map(|party| (booking.meeting_id, party))
    })
}

/// A meeting's outcome as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDraft {
    pub outcome: Option<MeetingOutcome>,
    /// The amount the lender intends to lend (or cover), in fen.
    pub intended_amount_fen: Option<i64>,
    pub note: Option<String>,
    /// Move the demand discussed to `in_talks` (when the outcome means talks, the lender's
    /// users record it and the demand may still move there).
    #[serde(default)]
    pub advance_demand: bool,
}

/// A validated outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutcomeTerms {
    pub outcome: MeetingOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intended_amount_fen: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl OutcomeDraft {
    pub fn validate(&self) -> Result<OutcomeTerms, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.outcome.is_none() {
            errors.push(FieldError::required("outcome"));
        }
        match (self.outcome, self.intended_amount_fen) {
            (Some(outcome), Some(_)) if !outcome.allows_amount() => errors.push(FieldError::new(
                "intended_amount_fen",
                "not_applicable",
                "no amount is intended without interest",
            )),
            (_, Some(amount)) if amount <= 0 || amount > MAX_AMOUNT_FEN => {
                errors.push(FieldError::new(
                    "intended_amount_fen",
                    "out_of_range",
                    "an amount is positive and at most 10^15 yuan",
                ))
            }
            _ => {}
        }
        let note = note("note", self.note.as_deref()).unwrap_or_else(|error| {
            errors.push(error);
            None
        });
        errors.into_result()?;
        let Some(outcome) = self.outcome else {
            return Err(FieldErrors(vec![FieldError::required("outcome")]));
        };
        Ok(OutcomeTerms {
            outcome,
            intended_amount_fen: self.intended_amount_fen,
            note,
        })
    }
}

//! The states of an application and of a pledge, and the decision clock (feature P3).

use crate::calendar::{CalendarError, WorkCalendar, WorkingDay};
use crate::party::string_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

string_enum!(
    /// The registration act an application asks for.
    Act, "registration act" {
    Registration => "registration",
    Amendment => "amendment",
    Cancellation => "cancellation",
});

string_enum!(
    /// Where an application stands.
    ApplicationStatus, "application status" {
    // Drafted by one party, waiting for the other to confirm.
    AwaitingConfirmation => "awaiting_confirmation",
    // Confirmed by both; an examiner decides within one working day.
    InReview => "in_review",
    // The examiner found a defect the parties may cure; the clock stops until they do.
    AwaitingCure => "awaiting_cure",
    Registered => "registered",
    Refused => "refused",
    // Withdrawn by the party that drafted it before the other confirmed.
    Withdrawn => "withdrawn",
});

string_enum!(
    /// Whether a registered pledge still binds its rights.
    PledgeStatus, "pledge status" {
    Active => "active",
    Cancelled => "cancelled",
});

impl ApplicationStatus {
    /// Whether the application has been decided (nothing more can happen to it).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Registered
                | ApplicationStatus::Refused
                | ApplicationStatus::Withdrawn
        )
    }

    /// Whether `next` may follow `self`.
    pub fn may_become(self, next: ApplicationStatus) -> bool {
        use ApplicationStatus::*;
        matches!(
            (self, next),
            (
                AwaitingConfirmation,
                Registered | Refused | InReview | Withdrawn
            ) | (InReview, Registered | Refused | AwaitingCure)
                | (AwaitingCure, InReview | Refused | Withdrawn)
        )
    }
}

/// The day by which an application received on `received_on` must be decided: the next working
/// day (the policy's "within one working day"). Provisional when that year's calendar is unknown.
pub fn decision_due(
    calendar: &WorkCalendar,
    received_on: NaiveDate,
) -> Result<WorkingDay, CalendarError> {
    calendar.add_working_days(received_on, 1)
}

/// The registration number of pledge `id` registered in `year`: `Y` + year + nine digits.
pub fn registration_no(year: i32, id: i64) -> String {
    format!("Y{year}{id:09}")
}

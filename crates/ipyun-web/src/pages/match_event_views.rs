//! Shapers for the matchmaking-event pages (银企对接, issue 6 F3): instants shown and typed in
//! China's time (UTC+8, no daylight saving) and converted exactly, events, sign-ups, meetings and
//! the report as rows, amounts in fen shown as yuan. No rules of the domain.

use super::pledge_views::{half_width, parse_date, yuan};
use chrono::{DateTime, Duration, NaiveDateTime, NaiveTime, Timelike, Utc};
use ipyun_app::match_events::{EventReport, EventView, MeetingView, SignupView};
use ipyun_domain::clock::china_time;
use ipyun_domain::market::event::Capacity;
use serde::Serialize;

/// China's offset from UTC.
const CHINA_HOURS: i64 = 8;

/// An instant in China's time, to the minute (seconds shown only when there are some).
pub fn china_instant(instant: DateTime<Utc>) -> String {
    let local = china_time(instant);
    if local.second() == 0 {
        local.format("%Y-%m-%d %H:%M").to_string()
    } else {
        local.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// An instant as the date and time inputs of a form hold it, in China's time.
pub fn china_fields(instant: DateTime<Utc>) -> (String, String) {
    let local = china_time(instant);
    let time = if local.second() == 0 {
        local.format("%H:%M")
    } else {
        local.format("%H:%M:%S")
    };
    (local.format("%Y-%m-%d").to_string(), time.to_string())
}

/// A date (`YYYY-MM-DD`) and a time (`HH:MM` or `HH:MM:SS`) typed in China's time as the exact
/// instant in UTC. Both empty: none. Errors are rule codes: `required` (one of the two missing),
/// `date_format`, `time_format`.
pub fn parse_china_instant(date: &str, time: &str) -> Result<Option<DateTime<Utc>>, &'static str> {
    let time_text = half_width(time.trim()).replace('：', ":");
    let day = parse_date(date)?;
    let (day, time_text) = match (day, time_text.is_empty()) {
        (None, true) => return Ok(None),
        (Some(day), false) => (day, time_text),
        _ => return Err("required"),
    };
    let clock = NaiveTime::parse_from_str(&time_text, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(&time_text, "%H:%M"))
        .map_err(|_| "time_format")?;
    let local = NaiveDateTime::new(day, clock);
    Ok(Some((local - Duration::hours(CHINA_HOURS)).and_utc()))
}

/// `/match-events/{id}`.
pub fn event_href(id: i64) -> String {
    format!("/match-events/{id}")
}

/// Places taken of places offered on one side: `2 / 10`, or `2` without a cap.
fn taken(count: u32, cap: Option<u32>) -> String {
    match cap {
        Some(cap) => format!("{count} / {cap}"),
        None => count.to_string(),
    }
}

/// One event as a row of the list and the head of its page.
#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub id: i64,
    pub href: String,
    pub title: String,
    pub description: String,
    pub status: &'static str,
    pub signup_open: bool,
    pub organiser: String,
    pub organiser_href: String,
    pub starts: String,
    pub ends: String,
    pub deadline: String,
    pub venue: Option<String>,
    pub online_url: Option<String>,
    pub lenders: String,
    pub enterprises: String,
    /// Places in all, when capped.
    pub total: Option<String>,
    pub right_kinds: Vec<&'static str>,
    pub cancelled_reason: Option<String>,
}

impl From<&EventView> for EventRow {
    fn from(event: &EventView) -> Self {
        let terms = &event.terms;
        let Capacity {
            total,
            lenders,
            enterprises,
        } = terms.capacity;
        let counts = event.signed_up;
        EventRow {
            id: event.id,
            href: event_href(event.id),
            title: terms.title.clone(),
            description: terms.description.clone(),
            status: event.status.as_str(),
            signup_open: event.signup_open,
            organiser: event.organiser_name.clone(),
            organiser_href: format!("/parties/{}", event.organiser_id),
            starts: china_instant(terms.starts_at),
            ends: china_instant(terms.ends_at),
            deadline: china_instant(terms.signup_deadline),
            venue: terms.venue.clone(),
            online_url: terms.online_url.clone(),
            lenders: taken(counts.lenders, lenders),
            enterprises: taken(counts.enterprises, enterprises),
            total: total.map(|cap| taken(counts.lenders + counts.enterprises, Some(cap))),
            right_kinds: terms.right_kinds.iter().map(|kind| kind.as_str()).collect(),
            cancelled_reason: event.cancelled_reason.clone(),
        }
    }
}

/// One sign-up, for the organiser's list and the party's own.
#[derive(Debug, Clone, Serialize)]
pub struct SignupRow {
    pub id: i64,
    pub party_id: i64,
    pub party: String,
    pub party_href: String,
    pub kind: &'static str,
    pub side: &'static str,
    pub active: bool,
    pub demand_id: Option<i64>,
    pub signed_up_at: String,
    pub withdrawn_at: Option<String>,
}

impl From<&SignupView> for SignupRow {
    fn from(signup: &SignupView) -> Self {
        SignupRow {
            id: signup.id,
            party_id: signup.party_id,
            party: signup.party_name.clone(),
            party_href: format!("/parties/{}", signup.party_id),
            kind: signup.party_kind.as_str(),
            side: signup.side.as_str(),
            active: signup.active,
            demand_id: signup.demand_id,
            signed_up_at: china_instant(signup.signed_up_at),
            withdrawn_at: signup.withdrawn_at.map(china_instant),
        }
    }
}

/// One meeting; `may_record` says whether the viewer gets its outcome form.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingRow {
    pub id: i64,
    pub lender: String,
    pub lender_href: String,
    pub enterprise: String,
    pub enterprise_href: String,
    pub demand_id: Option<i64>,
    pub product_id: Option<i64>,
    pub starts: String,
    pub ends: String,
    pub status: &'static str,
    pub requested: bool,
    pub outcome: Option<&'static str>,
    pub intended_amount: Option<String>,
    pub may_record: bool,
}

impl MeetingRow {
    pub fn new(meeting: &MeetingView, may_record: bool) -> Self {
        MeetingRow {
            id: meeting.id,
            lender: meeting.lender_name.clone(),
            lender_href: format!("/parties/{}", meeting.lender_id),
            enterprise: meeting.enterprise_name.clone(),
            enterprise_href: format!("/parties/{}", meeting.enterprise_id),
            demand_id: meeting.demand_id,
            product_id: meeting.product_id,
            starts: china_instant(meeting.starts_at),
            ends: china_instant(meeting.ends_at),
            status: meeting.status.as_str(),
            requested: meeting.requested_by.is_some(),
            outcome: meeting.outcome.map(|outcome| outcome.as_str()),
            intended_amount: meeting.intended_amount_fen.map(yuan),
            may_record,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct KindRow {
    pub kind: &'static str,
    pub active: u64,
    pub withdrawn: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRow {
    pub outcome: &'static str,
    pub meetings: u64,
    pub intended_amount: String,
}

/// The event's report as its organiser and the offices read it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub signups: Vec<KindRow>,
    pub meetings: u64,
    pub meetings_held: u64,
    pub outcomes: Vec<OutcomeRow>,
    pub intended_amount: String,
    pub demands_discussed: u64,
}

impl From<&EventReport> for ReportView {
    fn from(report: &EventReport) -> Self {
        ReportView {
            signups: report
                .signups
                .iter()
                .map(|count| KindRow {
                    kind: count.party_kind.as_str(),
                    active: count.active,
                    withdrawn: count.withdrawn,
                })
                .collect(),
            meetings: report.meetings,
            meetings_held: report.meetings_held,
            outcomes: report
                .outcomes
                .iter()
                .map(|count| OutcomeRow {
                    outcome: count.outcome.as_str(),
                    meetings: count.meetings,
                    intended_amount: yuan(count.intended_amount_fen),
                })
                .collect(),
            intended_amount: yuan(report.intended_amount_fen),
            demands_discussed: report.demands_discussed,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn china_time_is_typed_and_shown_exactly() {
        let instant = parse_china_instant("2026-12-10", "09:00").unwrap().unwrap();
        assert_eq!(instant.to_rfc3339(), "2026-12-10T01:00:00+00:00");
        assert_eq!(china_instant(instant), "2026-12-10 09:00");
        assert_eq!(china_fields(instant), ("2026-12-10".into(), "09:00".into()));
        let early = parse_china_instant("２０２６-12-10", "07:30:15")
            .unwrap()
            .unwrap();
        assert_eq!(early.to_rfc3339(), "2026-12-09T23:30:15+00:00");
        assert_eq!(china_instant(early), "2026-12-10 07:30:15");
        assert_eq!(
            china_fields(early),
            ("2026-12-10".into(), "07:30:15".into())
        );
        assert_eq!(parse_china_instant("", " "), Ok(None));
        assert_eq!(parse_china_instant("2026-12-10", ""), Err("required"));
        assert_eq!(parse_china_instant("", "09:00"), Err("required"));
        assert_eq!(parse_china_instant("2026-12-10", "9点"), Err("time_format"));
        assert_eq!(
            parse_china_instant("12/10/2026", "09:00"),
            Err("date_format")
        );
        assert_eq!(taken(2, Some(10)), "2 / 10");
        assert_eq!(taken(2, None), "2");
    }
}

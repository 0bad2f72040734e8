//! The decision-time report (P3's service level): for the applications received in a date range,
//! per office and per lender, how many were received and decided, the share decided on time (on
//! or before the due date, by China's date), the median and 95th-percentile time to decision in
//! minutes (the time spent awaiting a cure excluded), and how many are still open past their due.
//!
//! - "Decided" means registered or refused; a withdrawal closes an application without a decision.
//! - The office of a decision is the organisation of the examiner who made it, or "automatic"
//!   when the rules decided it the moment the other party confirmed.
//! - Times are whole minutes (seconds dropped). The median of an even count is the mean of the
//!   two middle values (so it may end in .5); the 95th percentile is the nearest rank: the value
//!   at rank ⌈0.95·n⌉. Both are exact, computed from every row of the range.
//! - An application awaiting a cure is never overdue: its clock stands still.

use crate::{App, AppError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ipyun_db::pledges::{SlaApplicationRow, SlaEvent, SlaWindow};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::clock::china_date;
use ipyun_domain::pledge::ApplicationStatus;
use ipyun_domain::{FieldError, FieldErrors};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The longest range one report covers.
pub const MAX_SLA_DAYS: i64 = 366;
/// The range when none is given: the 30 days up to today.
const DEFAULT_SLA_DAYS: i64 = 30;
/// The notes `confirm_pledge_application` records when the rules decide at confirmation.
const AUTOMATIC_NOTES: [&str; 2] = [
    super::NOTE_REGISTERED_ON_CONFIRMATION,
    super::NOTE_REFUSED_ON_CONFIRMATION,
];
/// The names of the rows that are no office.
const AUTOMATIC: &str = "自动登记 / automatic";
const UNDECIDED: &str = "未决定 / undecided";

/// What a row of the report groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaRowKind {
    /// Decided by the rules at confirmation (自动登记).
    Automatic,
    /// Decided by an examiner of this office.
    Office,
    /// Not decided (yet): in review, awaiting a cure, or withdrawn.
    Undecided,
    /// One pledgee's applications.
    Lender,
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SlaRow {
    pub kind: SlaRowKind,
    /// The office or the lender (absent for the automatic and undecided rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party_id: Option<i64>,
    /// The office's or lender's name; `自动登记 / automatic` or `未决定 / undecided` otherwise.
    pub name: String,
    pub received: u64,
    /// Registered or refused.
    pub decided: u64,
    /// Decided on or before the due date (China's date).
    pub on_time: u64,
    /// `on_time / decided` in basis points (10,000 = all), rounded half up; absent when none decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_time_share_bp: Option<u32>,
    /// Median time to decision in minutes, awaiting-cure time excluded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_minutes: Option<f64>,
    /// 95th percentile (nearest rank) of the time to decision in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p95_minutes: Option<i64>,
    /// In review and past the due date today.
    pub open_overdue: u64,
}

/// The report over applications received from `from` to `to` (China's dates, both included).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PledgeSlaReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day overdue applications are counted on.
    pub today: NaiveDate,
    /// Automatic first, then offices by name, then what is undecided.
    pub offices: Vec<SlaRow>,
    /// Per pledgee, by name. A lender's user sees only its own.
    pub lenders: Vec<SlaRow>,
}

/// Whole minutes spent deciding `row`: receipt to decision, less the time awaiting a cure.
pub fn minutes_to_decision(row: &SlaApplicationRow, events: &[&SlaEvent]) -> Option<i64> {
    let decided_at = row.decided_at?;
    let mut paused = Duration::zero();
    let mut cure_started: Option<DateTime<Utc>> = None;
    let clip = |at: DateTime<Utc>| at.clamp(row.received_at, decided_at.max(row.received_at));
    for event in events {
        if event.from_status == Some(ApplicationStatus::AwaitingCure)
            && let Some(start) = cure_started.take()
        {
            paused += clip(event.at) - clip(start);
        }
        if event.to_status == ApplicationStatus::AwaitingCure {
            cure_started = Some(event.at);
        }
    }
    if let Some(start) = cure_started {
        paused += clip(decided_at) - clip(start);
    }
    let spent = (decided_at - row.received_at - paused).max(Duration::zero());
    Some(spent.num_seconds() / 60)
}

/// The median of `sorted` (ascending): the middle value, or the mean of the two middle ones.
pub fn median(sorted: &[i64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
        _ => Some((sorted[n / 2 - 1] as f64 + sorted[n / 2] as f64) / 2.0),
    }
}

/// The `p`th percentile of `sorted` (ascending) by nearest rank: the value at rank ⌈p·n/100⌉.
pub fn nearest_rank(sorted: &[i64], p: usize) -> Option<i64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = (p * n).div_ceil(100).clamp(1, n);
    Some(sorted[rank - 1])
}

/// Whether the rules decided `row` when the other party confirmed it.
fn decided_automatically(row: &SlaApplicationRow, events: &[&SlaEvent]) -> bool {
    row.decided_by.is_some()
        && row.decided_by == row.confirmed_by
        && events
            .iter()
            .any(|event| AUTOMATIC_NOTES.contains(&event.note.as_str()))
}

#[derive(Default)]
struct Tally {
    name: String,
    received: u64,
    decided: u64,
    on_time: u64,
    minutes: Vec<i64>,
    open_overdue: u64,
}

impl Tally {
    fn add(&mut self, name: &str, outcome: &Outcome) {
        name.clone_into(&mut self.name);
        self.received += 1;
        if outcome.decided {
            self.decided += 1;
            self.on_time += u64::from(outcome.on_time);
            self.minutes.extend(outcome.minutes);
        }
        self.open_overdue += u64::from(outcome.overdue);
    }

    fn row(mut self, kind: SlaRowKind, party_id: Option<i64>) -> SlaRow {
        self.minutes.sort_unstable();
        let on_time_share_bp = (self.decided > 0).then(|| {
            let share = (self.on_time * 20_000 + self.decided) / (2 * self.decided);
            u32::try_from(share).unwrap_or(10_000)
        });
        SlaRow {
            kind,
            party_id,
            name: self.name,
            received: self.received,
            decided: self.decided,
            on_time: self.on_time,
            on_time_share_bp,
            median_minutes: median(&self.minutes),
            p95_minutes: nearest_rank(&self.minutes, 95),
            open_overdue: self.open_overdue,
        }
    }
}

/// One application's contribution to a row.
struct Outcome {
    decided: bool,
    on_time: bool,
    minutes: Option<i64>,
    overdue: bool,
}

/// The report over `rows` and their `events`, as of `today`.
pub fn sla_report(
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    rows: &[SlaApplicationRow],
    events: &[SlaEvent],
) -> PledgeSlaReport {
    let mut by_application: HashMap<i64, Vec<&SlaEvent>> = HashMap::new();
    for event in events {
        by_application
            .entry(event.application_id)
            .or_default()
            .push(event);
    }
    let mut offices: BTreeMap<(SlaRowKind, String, Option<i64>), Tally> = BTreeMap::new();
    let mut lenders: BTreeMap<(String, i64), Tally> = BTreeMap::new();
    for row in rows {
        let received_on = china_date(row.received_at);
        if received_on < from || received_on > to {
            continue;
        }
        // In order of time, as the database lists them.
        let own_events = by_application.get(&row.id).cloned().unwrap_or_default();
        let decided = matches!(
            row.status,
            ApplicationStatus::Registered | ApplicationStatus::Refused
        ) && row.decided_at.is_some();
        let outcome = Outcome {
            decided,
            on_time: decided
                && match (row.decided_at, row.due_date) {
                    (Some(at), Some(due)) => china_date(at) <= due,
                    _ => false,
                },
            minutes: minutes_to_decision(row, &own_events),
            overdue: row.status == ApplicationStatus::InReview
                && row.due_date.is_some_and(|due| due < today),
        };
        let office = if !decided {
            (SlaRowKind::Undecided, UNDECIDED.to_string(), None)
        } else if decided_automatically(row, &own_events) {
            (SlaRowKind::Automatic, AUTOMATIC.to_string(), None)
        } else {
            let name = row.decider_party_name.as_ref().or(row.decided_by.as_ref());
            let name = name.cloned().unwrap_or_default();
            (SlaRowKind::Office, name, row.decider_party_id)
        };
        let name = office.1.clone();
        offices.entry(office).or_default().add(&name, &outcome);
        let lender = (row.pledgee_name.clone(), row.pledgee_id);
        lenders
            .entry(lender)
            .or_default()
            .add(&row.pledgee_name, &outcome);
    }
    PledgeSlaReport {
        from,
        to,
        today,
        offices: offices
            .into_iter()
            .map(|((kind, _, party_id), tally)| tally.row(kind, party_id))
            .collect(),
        lenders: lenders
            .into_iter()
            .map(|((_, party_id), tally)| tally.row(SlaRowKind::Lender, Some(party_id)))
            .collect(),
    }
}

/// Midnight of `date` in China (UTC+8), as an instant.
fn china_midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0)
        .map(|midnight| midnight.and_utc() - Duration::hours(8))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

impl App {
    /// The decision-time report for offices, examiners and administrators; a lender's user gets
    /// it over its own applications only (so only its own lender row). `from`/`to` default to the
    /// 30 days up to today; the range is at most [`MAX_SLA_DAYS`] days.
    pub async fn pledge_sla(
        &self,
        principal: &Principal,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<PledgeSlaReport, AppError> {
        let pledgee_id = match principal.role {
            Role::Examiner
            | Role::ProvincialOffice
            | Role::NationalOffice
            | Role::PlatformAdmin => None,
            Role::Lender => Some(principal.party_id.ok_or_else(|| {
                AppError::forbidden("a lender's user without an organisation has no applications")
            })?),
            _ => {
                return Err(AppError::forbidden(
                    "the decision-time report is for offices, examiners, administrators and lenders",
                ));
            }
        };
        let today = self.clock.today();
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - Duration::days(DEFAULT_SLA_DAYS - 1));
        let fault = if from > to {
            Some(("from", "after_to", "the range starts after it ends"))
        } else if (to - from).num_days() >= MAX_SLA_DAYS {
            Some(("to", "range_too_long", "a report covers at most 366 days"))
        } else {
            None
        };
        if let Some((field, code, message)) = fault {
            let fault = FieldError::new(field, code, message);
            return Err(AppError::validation(FieldErrors(vec![fault])));
        }
        // A day of slack on each side; the exact bounds are applied to the rows.
        let window = SlaWindow {
            received_from: china_midnight(from) - Duration::days(1),
            received_before: china_midnight(to) + Duration::days(2),
            pledgee_id,
        };
        let (rows, events) = self.db.pledge_sla_facts(&window).await?;
        Ok(sla_report(from, to, today, &rows, &events))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|time| time.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn row(id: i64, status: ApplicationStatus, decided_at: Option<&str>) -> SlaApplicationRow {
        SlaApplicationRow {
            id,
            status,
            pledgee_id: 9,
            pledgee_name: "测试银行".into(),
            received_at: at("2026-11-23T02:00:00Z"),
            due_date: NaiveDate::from_ymd_opt(2026, 11, 24),
            decided_at: decided_at.map(at),
            decided_by: decided_at.map(|_| "examiner".to_string()),
            confirmed_by: Some("owner".into()),
            decider_party_id: Some(3),
            decider_party_name: Some("江苏省知识产权局".into()),
        }
    }

    fn event(id: i64, from: ApplicationStatus, to: ApplicationStatus, when: &str) -> SlaEvent {
        SlaEvent {
            application_id: id,
            from_status: Some(from),
            to_status: to,
            note: String::new(),
            at: at(when),
        }
    }

    #[test]
    fn percentiles_are_exact() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7.0));
        assert_eq!(median(&[10, 21]), Some(15.5));
        assert_eq!(median(&[1, 2, 3, 100]), Some(2.5));
        assert_eq!(nearest_rank(&[], 95), None);
        for (n, expected) in [(1, 1), (20, 19), (21, 20), (100, 95)] {
            let values: Vec<i64> = (1..=n).collect();
            assert_eq!(nearest_rank(&values, 95), Some(expected), "{n}");
        }
    }

    #[test]
    fn time_awaiting_a_cure_does_not_count() {
        use ApplicationStatus::*;
        let decided = row(1, Registered, Some("2026-11-25T02:30:00Z"));
        let events = [
            event(1, InReview, AwaitingCure, "2026-11-23T03:00:00Z"),
            event(1, AwaitingCure, InReview, "2026-11-25T02:00:00Z"),
            event(1, InReview, Registered, "2026-11-25T02:30:00Z"),
        ];
        let refs: Vec<&SlaEvent> = events.iter().collect();
        // 60 minutes before the cure request, 30 after the cure.
        assert_eq!(minutes_to_decision(&decided, &refs), Some(90));
        assert_eq!(minutes_to_decision(&row(2, InReview, None), &[]), None);
    }

    #[test]
    fn rows_group_by_office_and_lender() {
        use ApplicationStatus::*;
        let rows = [
            row(1, Registered, Some("2026-11-23T02:10:00Z")),
            row(2, Refused, Some("2026-11-24T16:30:00Z")),
            row(3, InReview, None),
            SlaApplicationRow {
                received_at: at("2026-10-31T15:59:59Z"),
                ..row(4, InReview, None)
            },
        ];
        let report = sla_report(
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default(),
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
            &rows,
            &[],
        );
        let office = &report.offices[0];
        assert_eq!(
            (office.kind, office.received, office.decided),
            (SlaRowKind::Office, 2, 2)
        );
        // Decided 2026-11-25 00:30 in China: a day late.
        assert_eq!((office.on_time, office.on_time_share_bp), (1, Some(5_000)));
        assert_eq!(office.median_minutes, Some((10.0 + 2_310.0) / 2.0));
        assert_eq!(office.p95_minutes, Some(2_310));
        // Received 2026-10-31 23:59:59 in China: before the range.
        let undecided = &report.offices[1];
        assert_eq!(
            (undecided.kind, undecided.open_overdue),
            (SlaRowKind::Undecided, 1)
        );
        let lender = &report.lenders[0];
        assert_eq!(
            (lender.received, lender.decided, lender.open_overdue),
            (3, 2, 1)
        );
    }
}

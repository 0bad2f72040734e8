//! Sample views of the matchmaking-event pages for the template tests, and which forms each
//! viewer gets.
#![allow(clippy::unwrap_used)]

use super::*;
use chrono::{DateTime, Duration, Utc};
use ipyun_app::match_events::{EventReport, KindCount, OutcomeCount};
use ipyun_domain::market::event::{Capacity, EventTerms, MeetingStatus, SideCounts};
use ipyun_domain::party::PartyKind;
use ipyun_domain::right::RightKind;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

pub fn event(status: EventStatus) -> EventView {
    EventView {
        id: 7,
        organiser_id: 3,
        organiser_name: "苏州工业园区管委会 <b>".into(),
        status,
        status_zh: status.label_zh(),
        signup_open: status == EventStatus::Scheduled,
        terms: EventTerms {
            title: "知识产权质押融资银企对接会 <script>".into(),
            description: "政策宣讲与一对一洽谈".into(),
            venue: Some("园区知识产权服务中心三楼".into()),
            online_url: Some("https://meeting.example.cn/123".into()),
            starts_at: at("2026-12-10T01:00:00Z"),
            ends_at: at("2026-12-10T09:00:00Z"),
            signup_deadline: at("2026-12-08T10:00:00Z"),
            capacity: Capacity {
                total: Some(30),
                lenders: Some(10),
                enterprises: None,
            },
            region: Some("320500".into()),
            park_id: Some(3),
            right_kinds: vec![RightKind::Invention],
        },
        signed_up: SideCounts {
            lenders: 1,
            enterprises: 2,
        },
        cancelled_reason: (status == EventStatus::Cancelled).then(|| "场地调整 <i>".into()),
        version: 1,
        updated_at: at("2026-11-01T00:00:00Z"),
    }
}

fn signup(id: i64, party_id: i64, kind: PartyKind, active: bool) -> SignupView {
    SignupView {
        id,
        party_id,
        party_name: format!("主体 {party_id} <b>"),
        party_kind: kind,
        side: SignupSide::of(kind).unwrap_or(SignupSide::Enterprise),
        active,
        demand_id: (kind == PartyKind::Enterprise).then_some(12),
        signed_up_at: at("2026-11-02T02:00:00Z"),
        withdrawn_at: (!active).then(|| at("2026-11-03T02:00:00Z")),
    }
}

fn meeting(id: i64, outcome: Option<MeetingOutcome>) -> MeetingView {
    let status = if outcome.is_some() {
        MeetingStatus::Held
    } else {
        MeetingStatus::Scheduled
    };
    MeetingView {
        id,
        lender_id: 2,
        lender_name: "测试银行 <b>".into(),
        enterprise_id: 5,
        enterprise_name: "苏州纳米科技有限公司".into(),
        demand_id: Some(12),
        product_id: None,
        starts_at: at("2026-12-10T02:00:00Z") + Duration::minutes(30 * id),
        ends_at: at("2026-12-10T02:30:00Z") + Duration::minutes(30 * id),
        status,
        status_zh: status.label_zh(),
        requested_by: None,
        outcome,
        outcome_zh: outcome.map(MeetingOutcome::label_zh),
        intended_amount_fen: outcome.map(|_| 123_456_789),
        version: 1,
    }
}

fn report(status: EventStatus) -> EventReport {
    EventReport {
        event: event(status),
        signups: [PartyKind::Lender, PartyKind::Enterprise]
            .iter()
            .map(|kind| KindCount {
                party_kind: *kind,
                active: 1,
                withdrawn: 1,
            })
            .collect(),
        meetings: 2,
        meetings_held: 1,
        outcomes: MeetingOutcome::ALL
            .iter()
            .map(|outcome| OutcomeCount {
                outcome: *outcome,
                label_zh: outcome.label_zh(),
                meetings: u64::from(*outcome == MeetingOutcome::TermSheet),
                intended_amount_fen: if *outcome == MeetingOutcome::TermSheet {
                    123_456_789
                } else {
                    0
                },
            })
            .collect(),
        intended_amount_fen: 123_456_789,
        demands_discussed: 1,
    }
}

fn principal(role: Role, party: i64) -> Principal {
    Principal {
        user_id: 1,
        username: "u".into(),
        display_name: "U".into(),
        role,
        party_id: Some(party),
        region: None,
        lang: ipyun_domain::account::Lang::ZhCn,
    }
}

fn loaded(status: EventStatus, organiser: bool) -> Loaded {
    Loaded {
        event: event(status),
        signups: vec![
            signup(1, 2, PartyKind::Lender, true),
            signup(2, 5, PartyKind::Enterprise, true),
            signup(3, 6, PartyKind::Enterprise, false),
        ],
        meetings: vec![
            meeting(1, Some(MeetingOutcome::TermSheet)),
            meeting(2, None),
        ],
        report: organiser.then(|| ReportView::from(&report(status))),
        demands: vec![Choice {
            value: 12,
            label: "#12 · 5,000,000.00 · 购置生产线 <i>".into(),
        }],
        now: at("2026-12-10T03:05:00Z"),
    }
}

pub fn views() -> Vec<(&'static str, minijinja::Value)> {
    let rows = |statuses: &[EventStatus]| -> Vec<EventRow> {
        statuses
            .iter()
            .map(|status| EventRow::from(&event(*status)))
            .collect()
    };
    let list = |rows: Vec<EventRow>, may_schedule: bool| EventsView {
        rows,
        status: "scheduled".into(),
        statuses: EventStatus::ALL
            .iter()
            .map(|status| status.as_str())
            .collect(),
        may_schedule,
    };
    let refused = Refused {
        key: "event-refusal-meeting-double_booked".into(),
        status: StatusCode::CONFLICT,
        form: ActionForm {
            amount_yuan: "1,234,567.89".into(),
            note: "<b>note</b>".into(),
            ..ActionForm::default()
        },
        meeting_id: Some(2),
    };
    let mut organiser_page = page(
        &principal(Role::Park, 3),
        loaded(EventStatus::Scheduled, true),
        Some(refused),
    );
    organiser_page.done = Some("event-done-booked".into());
    let enterprise_page = page(
        &principal(Role::Enterprise, 9),
        loaded(EventStatus::Scheduled, false),
        None,
    );
    let lender_page = page(
        &principal(Role::Lender, 2),
        loaded(EventStatus::Held, false),
        None,
    );
    let cancelled = page(
        &principal(Role::Park, 3),
        loaded(EventStatus::Cancelled, true),
        None,
    );
    vec![
        (
            "match_events.html",
            minijinja::Value::from_serialize(list(rows(EventStatus::ALL), true)),
        ),
        (
            "match_events.html",
            minijinja::Value::from_serialize(list(Vec::new(), false)),
        ),
        (
            "match_event.html",
            minijinja::Value::from_serialize(organiser_page),
        ),
        (
            "match_event.html",
            minijinja::Value::from_serialize(enterprise_page),
        ),
        (
            "match_event.html",
            minijinja::Value::from_serialize(lender_page),
        ),
        (
            "match_event.html",
            minijinja::Value::from_serialize(cancelled),
        ),
    ]
}

#[test]
fn each_viewer_gets_its_own_forms() {
    let organiser = page(
        &principal(Role::Park, 3),
        loaded(EventStatus::Scheduled, true),
        None,
    );
    assert!(organiser.organiser && organiser.may_book && organiser.may_close);
    assert!(!organiser.party_viewer && !organiser.may_sign_up);
    assert_eq!(organiser.signups.len(), 3);
    assert_eq!(
        organiser
            .lender_options
            .iter()
            .map(|choice| choice.value)
            .collect::<Vec<_>>(),
        [2]
    );
    assert_eq!(
        organiser
            .enterprise_options
            .iter()
            .map(|choice| choice.value)
            .collect::<Vec<_>>(),
        [5],
        "a withdrawn sign-up is not booked"
    );
    // Both meetings have begun at 11:05: the organiser records either.
    assert!(organiser.meetings.iter().all(|meeting| meeting.may_record));
    assert_eq!(
        (
            organiser.typed.starts_date.as_str(),
            organiser.typed.starts_time.as_str()
        ),
        ("2026-12-10", "09:00"),
        "the booking form starts at the event's start, in China's time"
    );
    let stranger = page(
        &principal(Role::Enterprise, 9),
        loaded(EventStatus::Scheduled, false),
        None,
    );
    assert!(stranger.may_sign_up && stranger.own_signup.is_none());
    assert!(!stranger.may_book && stranger.signups.is_empty());
    assert!(
        stranger.meetings.iter().all(|meeting| !meeting.may_record),
        "not a party of these meetings"
    );
    let lender = page(
        &principal(Role::Lender, 2),
        loaded(EventStatus::Scheduled, false),
        None,
    );
    assert!(!lender.may_sign_up && lender.own_signup.is_some());
    assert!(!lender.may_withdraw, "the deadline has passed");
    assert!(lender.meetings.iter().all(|meeting| meeting.may_record));
    let mut early = loaded(EventStatus::Scheduled, false);
    early.now = at("2026-12-10T02:15:00Z");
    let early = page(&principal(Role::Lender, 2), early, None);
    assert_eq!(
        early
            .meetings
            .iter()
            .map(|meeting| meeting.may_record)
            .collect::<Vec<_>>(),
        [false, false],
        "before a meeting begins no outcome is recorded"
    );
    let held = page(
        &principal(Role::Park, 3),
        loaded(EventStatus::Held, true),
        None,
    );
    assert!(!held.may_hold && !held.may_cancel && !held.may_close);
}

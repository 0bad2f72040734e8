#![allow(clippy::unwrap_used)]

use super::*;
use chrono::TimeZone;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
}

fn draft() -> EventDraft {
    EventDraft {
        title: Some(" 苏州工业园区知识产权银企对接会 ".into()),
        description: Some("专利质押融资政策宣讲与一对一洽谈".into()),
        venue: Some("园区知识产权服务中心三楼".into()),
        online_url: None,
        starts_at: Some(at(10, 1)),
        ends_at: Some(at(10, 9)),
        signup_deadline: Some(at(8, 10)),
        capacity: None,
        lender_capacity: Some(2),
        enterprise_capacity: Some(3),
        region: Some("320500".into()),
        park_id: None,
        right_kinds: vec![
            RightKind::UtilityModel,
            RightKind::Invention,
            RightKind::Invention,
        ],
    }
}

fn faults(draft: &EventDraft) -> Vec<(String, String)> {
    draft
        .validate()
        .unwrap_err()
        .0
        .into_iter()
        .map(|error| (error.field, error.code))
        .collect()
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_string(), code.to_string())
}

#[test]
fn an_event_is_validated_into_its_terms() {
    let terms = draft().validate().unwrap();
    assert_eq!(terms.title, "苏州工业园区知识产权银企对接会");
    assert_eq!(terms.online_url, None);
    assert_eq!(
        terms.right_kinds,
        [RightKind::Invention, RightKind::UtilityModel]
    );
    assert_eq!(
        terms.capacity,
        Capacity {
            total: None,
            lenders: Some(2),
            enterprises: Some(3)
        }
    );
}

#[test]
fn every_fault_of_an_event_is_named_at_once() {
    let bad = EventDraft {
        title: Some("  ".into()),
        venue: None,
        online_url: Some("ftp://x".into()),
        ends_at: Some(at(10, 1)),
        signup_deadline: Some(at(11, 1)),
        capacity: Some(1),
        lender_capacity: Some(0),
        enterprise_capacity: Some(5),
        region: Some("999999".into()),
        ..draft()
    };
    let found = faults(&bad);
    for expected in [
        pair("title", "required"),
        pair("online_url", "not_a_link"),
        pair("ends_at", "before_start"),
        pair("signup_deadline", "after_start"),
        pair("lender_capacity", "out_of_range"),
        pair("enterprise_capacity", "above_total"),
    ] {
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
    assert!(found.iter().any(|(field, _)| field == "region"));
    let nowhere = EventDraft {
        venue: None,
        starts_at: None,
        lender_capacity: None,
        enterprise_capacity: None,
        ends_at: Some(at(20, 1)),
        ..draft()
    };
    assert_eq!(
        faults(&nowhere),
        [
            pair("venue", "required"),
            pair("starts_at", "required"),
            pair("capacity", "required")
        ]
    );
    let week = EventDraft {
        ends_at: Some(at(18, 1)),
        ..draft()
    };
    assert_eq!(faults(&week), [pair("ends_at", "too_long")]);
}

#[test]
fn statuses_move_forward_and_the_deadline_closes_sign_up() {
    use EventStatus::*;
    assert!(Scheduled.may_become(Closed) && !Closed.may_become(Closed));
    assert!(Closed.may_become(Held) && Scheduled.may_become(Cancelled));
    assert!(!Held.may_become(Cancelled) && !Cancelled.may_become(Held));
    assert!(!Closed.may_become(Scheduled));
    assert_eq!(Scheduled.at(at(8, 10), at(8, 10)), Scheduled);
    assert_eq!(Scheduled.at(at(8, 10), at(8, 11)), Closed);
    assert_eq!(Cancelled.at(at(8, 10), at(9, 1)), Cancelled);
    assert_eq!(Closed.label_zh(), "报名已截止");
}

#[test]
fn sign_up_is_refused_on_each_ground_in_order() {
    let terms = draft().validate().unwrap();
    let open = EventStatus::Scheduled;
    let none = SideCounts::default();
    let before = at(8, 9);
    assert_eq!(
        signup_refusal(&terms, open, before, PartyKind::Insurer, none, false),
        None,
        "an insurer sits on the lenders' side"
    );
    assert_eq!(
        signup_refusal(&terms, open, before, PartyKind::Park, none, false),
        Some(SignupRefusal::PartyKind)
    );
    assert_eq!(
        signup_refusal(
            &terms,
            EventStatus::Closed,
            before,
            PartyKind::Lender,
            none,
            false
        )
        .map(SignupRefusal::code),
        Some("signup.not_open")
    );
    assert_eq!(
        signup_refusal(&terms, open, at(8, 11), PartyKind::Lender, none, false),
        Some(SignupRefusal::DeadlinePassed)
    );
    assert_eq!(
        signup_refusal(&terms, open, before, PartyKind::Lender, none, true),
        Some(SignupRefusal::Duplicate)
    );
    let lenders_full = SideCounts {
        lenders: 2,
        enterprises: 0,
    };
    assert_eq!(
        signup_refusal(
            &terms,
            open,
            before,
            PartyKind::Guarantor,
            lenders_full,
            false
        ),
        Some(SignupRefusal::Full(SignupSide::Lender))
    );
    assert_eq!(
        signup_refusal(
            &terms,
            open,
            before,
            PartyKind::Enterprise,
            lenders_full,
            false
        ),
        None,
        "the enterprises' side still has places"
    );
    assert_eq!(
        withdrawal_refusal(&terms, EventStatus::Closed, before),
        None
    );
    assert_eq!(
        withdrawal_refusal(&terms, open, at(9, 1)),
        Some(SignupRefusal::DeadlinePassed)
    );
}

#[test]
fn a_total_capacity_counts_both_sides() {
    let capacity = Capacity {
        total: Some(3),
        lenders: None,
        enterprises: Some(2),
    };
    let counts = SideCounts {
        lenders: 1,
        enterprises: 1,
    };
    assert!(capacity.admits(SignupSide::Enterprise, counts));
    assert!(capacity.admits(SignupSide::Lender, counts));
    let full = SideCounts {
        lenders: 2,
        enterprises: 1,
    };
    assert!(!capacity.admits(SignupSide::Lender, full) && capacity.fits(full));
    assert!(!capacity.fits(SideCounts {
        lenders: 0,
        enterprises: 3
    }));
}

#[test]
fn meetings_stay_within_the_event_and_no_party_is_booked_twice() {
    let terms = draft().validate().unwrap();
    let slot = |from: u32, to: u32| Slot {
        starts_at: at(10, from),
        ends_at: at(10, to),
    };
    assert!(slot(2, 3).validate(&terms).is_ok());
    let outside: Vec<String> = slot(0, 10)
        .validate(&terms)
        .unwrap_err()
        .0
        .into_iter()
        .map(|error| format!("{}:{}", error.field, error.code))
        .collect();
    assert_eq!(
        outside,
        ["starts_at:outside_event", "ends_at:outside_event"]
    );
    let booked = [Booking {
        meeting_id: 7,
        lender_id: 1,
        enterprise_id: 2,
        slot: slot(2, 3),
    }];
    assert_eq!(double_booking(&booked, 1, 5, slot(2, 4)), Some((7, 1)));
    assert_eq!(double_booking(&booked, 9, 2, slot(1, 3)), Some((7, 2)));
    assert_eq!(
        double_booking(&booked, 1, 2, slot(3, 4)),
        None,
        "back to back"
    );
    assert_eq!(double_booking(&booked, 8, 9, slot(2, 3)), None);
}

#[test]
fn an_outcome_keeps_its_amount_to_interest() {
    let outcome = OutcomeDraft {
        outcome: Some(MeetingOutcome::TermSheet),
        intended_amount_fen: Some(300_000_000),
        note: Some("  拟授信三百万元 ".into()),
        advance_demand: false,
    }
    .validate()
    .unwrap();
    assert_eq!(outcome.note.as_deref(), Some("拟授信三百万元"));
    assert!(outcome.outcome.means_talks() && !MeetingOutcome::FollowUp.means_talks());
    let refused = OutcomeDraft {
        outcome: Some(MeetingOutcome::NoInterest),
        intended_amount_fen: Some(1),
        ..OutcomeDraft::default()
    }
    .validate()
    .unwrap_err();
    assert_eq!(refused.0[0].code, "not_applicable");
    let empty = OutcomeDraft {
        intended_amount_fen: Some(0),
        ..OutcomeDraft::default()
    }
    .validate()
    .unwrap_err();
    let fields: Vec<&str> = empty.0.iter().map(|error| error.field.as_str()).collect();
    assert_eq!(fields, ["outcome", "intended_amount_fen"]);
    assert_eq!(MeetingOutcome::LoanApproved.label_zh(), "授信获批");
}

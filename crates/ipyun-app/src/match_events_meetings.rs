//! Matchmaking events' meetings, their outcomes and the event's report (see `match_events`).

use super::*;

/// Attempts at booking a meeting when another booking at the same event commits first.
const BOOKING_ATTEMPTS: usize = 3;

impl App {
    /// Books a meeting: the organiser between any two parties signed up on the two sides, or a
    /// party signed up with a counterpart signed up (a request). Neither party may be in two
    /// overlapping slots.
    pub async fn book_match_meeting(
        &self,
        principal: &Principal,
        id: i64,
        input: &MeetingInput,
    ) -> Result<MeetingView, AppError> {
        let event = self.load_event(id).await?;
        let requested_by = if organises(principal, &event) {
            None
        } else {
            match party_user(principal) {
                Some(party) if party == input.lender_id || party == input.enterprise_id => {
                    Some(party)
                }
                _ => {
                    return Err(AppError::forbidden(
                        "the organiser, or a party to the meeting, books a meeting",
                    ));
                }
            }
        };
        if event.status == EventStatus::Cancelled {
            return Err(conflict("match_event.status", "the event is cancelled"));
        }
        let slot = Slot {
            starts_at: input.starts_at,
            ends_at: input.ends_at,
        };
        slot.validate(&event.terms).map_err(AppError::validation)?;
        let signups = self.db.list_signups(id, None).await?;
        let signed_up = |party: i64, side: SignupSide| {
            signups
                .iter()
                .find(|signup| signup.active && signup.party_id == party && signup.side == side)
        };
        let mut errors = FieldErrors::default();
        if signed_up(input.lender_id, SignupSide::Lender).is_none() {
            errors.push(FieldError::new(
                "lender_id",
                "not_signed_up",
                "no lender, insurer or guarantor signed up as this party",
            ));
        }
        let enterprise = signed_up(input.enterprise_id, SignupSide::Enterprise);
        if enterprise.is_none() {
            errors.push(FieldError::new(
                "enterprise_id",
                "not_signed_up",
                "no enterprise signed up as this party",
            ));
        }
        let demand_id = input
            .demand_id
            .or_else(|| enterprise.and_then(|signup| signup.demand_id));
        if let Some(demand_id) = demand_id {
            let theirs = self
                .db
                .get_demand(demand_id)
                .await?
                .is_some_and(|demand| demand.enterprise_id == input.enterprise_id);
            if !theirs {
                errors.push(FieldError::new(
                    "demand_id",
                    "not_found",
                    format!("no demand {demand_id} of the enterprise"),
                ));
            }
        }
        if let Some(product_id) = input.product_id {
            let theirs = self
                .db
                .get_product(product_id)
                .await?
                .is_some_and(|product| product.publisher_id == input.lender_id);
            if !theirs {
                errors.push(FieldError::new(
                    "product_id",
                    "not_found",
                    format!("no product {product_id} of the lender"),
                ));
            }
        }
        errors.into_result().map_err(AppError::validation)?;
        let mut event = event;
        for _ in 0..BOOKING_ATTEMPTS {
            let bookings: Vec<Booking> = self
                .db
                .list_meetings(id, None)
                .await?
                .into_iter()
                .map(|meeting| Booking {
                    meeting_id: meeting.id,
                    lender_id: meeting.lender_id,
                    enterprise_id: meeting.enterprise_id,
                    slot: meeting.slot,
                })
                .collect();
            if let Some((meeting, party)) =
                double_booking(&bookings, input.lender_id, input.enterprise_id, slot)
            {
                return Err(conflict(
                    "meeting.double_booked",
                    format!("party {party} is booked in meeting {meeting} at an overlapping time"),
                ));
            }
            let write = MeetingWrite {
                event_id: id,
                meeting_seq: event.meeting_seq,
                lender_id: input.lender_id,
                enterprise_id: input.enterprise_id,
                demand_id,
                product_id: input.product_id,
                slot,
                requested_by,
                actor: &principal.username,
            };
            match self.db.insert_meeting(&write, self.clock.now()).await {
                Ok(meeting_id) => {
                    let meeting = self.db.get_meeting(meeting_id).await?.ok_or_else(|| {
                        AppError::not_found("meeting.not_found", "the meeting vanished")
                    })?;
                    return Ok(meeting_view(meeting));
                }
                Err(DbError::Stale(_)) => event = self.load_event(id).await?,
                Err(other) => return Err(other.into()),
            }
            if event.status == EventStatus::Cancelled {
                return Err(conflict("match_event.status", "the event is cancelled"));
            }
        }
        Err(conflict(
            "match_event.changed",
            "other bookings kept changing the event; try again",
        ))
    }

    /// Records a meeting's outcome (the organiser or either party, once the meeting has begun);
    /// the lender's users may move the demand discussed to `in_talks` at once.
    pub async fn record_match_meeting_outcome(
        &self,
        principal: &Principal,
        id: i64,
        meeting_id: i64,
        draft: &OutcomeDraft,
    ) -> Result<OutcomeAnswer, AppError> {
        let event = self.load_event(id).await?;
        let not_found =
            || AppError::not_found("meeting.not_found", format!("no meeting {meeting_id}"));
        let meeting = self
            .db
            .get_meeting(meeting_id)
            .await?
            .filter(|meeting| meeting.event_id == id)
            .ok_or_else(not_found)?;
        let party = party_user(principal);
        let in_meeting =
            party.is_some_and(|party| party == meeting.lender_id || party == meeting.enterprise_id);
        if !(in_meeting || organises(principal, &event)) {
            return Err(AppError::forbidden(
                "the organiser or a party to the meeting records its outcome",
            ));
        }
        if event.status == EventStatus::Cancelled {
            return Err(conflict("match_event.status", "the event is cancelled"));
        }
        let now = self.clock.now();
        if now < meeting.slot.starts_at {
            return Err(conflict(
                "meeting.not_started",
                "an outcome is recorded once the meeting has begun",
            ));
        }
        let outcome = draft.validate().map_err(AppError::validation)?;
        self.db
            .record_meeting_outcome(
                meeting_id,
                meeting.version,
                &outcome,
                &principal.username,
                now,
            )
            .await
            .map_err(stale("meeting.changed"))?;
        let as_lender = principal.role == Role::Lender && party == Some(meeting.lender_id);
        let mut demand_advanced = false;
        if let (true, true, true, Some(demand_id)) = (
            draft.advance_demand,
            outcome.outcome.means_talks(),
            as_lender,
            meeting.demand_id,
        ) {
            let movable = self
                .db
                .get_demand(demand_id)
                .await?
                .is_some_and(|demand| demand.stage.may_become(Stage::InTalks));
            if movable {
                let input = StageInput {
                    stage: Stage::InTalks,
                    registration_no: None,
                    loan_id: None,
                    note: Some(format!("银企对接会：{}", event.terms.title)),
                };
                // The demands' own rules decide (visibility, another lender in talks); a refusal
                // leaves the outcome recorded and the demand where it was.
                demand_advanced = self.move_demand(principal, demand_id, &input).await.is_ok();
            }
        }
        let meeting = self
            .db
            .get_meeting(meeting_id)
            .await?
            .ok_or_else(not_found)?;
        Ok(OutcomeAnswer {
            meeting: meeting_view(meeting),
            demand_advanced,
        })
    }

    /// Sign-ups by kind, meetings held, outcomes counted and the amounts intended: for the
    /// organiser and the overseeing offices.
    pub async fn match_event_report(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<EventReport, AppError> {
        let event = self.load_event(id).await?;
        if !oversees(principal, &event) {
            return Err(AppError::forbidden(
                "an event's report is for its organiser and the offices",
            ));
        }
        let signups = self.db.list_signups(id, None).await?;
        let kinds = [
            PartyKind::Lender,
            PartyKind::Insurer,
            PartyKind::Guarantor,
            PartyKind::Enterprise,
        ];
        let count = |kind: PartyKind, active: bool| {
            signups
                .iter()
                .filter(|signup| signup.party_kind == kind && signup.active == active)
                .count() as u64
        };
        let signups_by_kind = kinds
            .iter()
            .map(|kind| KindCount {
                party_kind: *kind,
                active: count(*kind, true),
                withdrawn: count(*kind, false),
            })
            .collect();
        let meetings = self.db.list_meetings(id, None).await?;
        let held: Vec<&MeetingRecord> = meetings
            .iter()
            .filter(|meeting| meeting.status == MeetingStatus::Held)
            .collect();
        let outcomes = MeetingOutcome::ALL
            .iter()
            .map(|outcome| {
                let these = held
                    .iter()
                    .filter(|meeting| meeting.outcome == Some(*outcome));
                OutcomeCount {
                    outcome: *outcome,
                    label_zh: outcome.label_zh(),
                    meetings: these.clone().count() as u64,
                    intended_amount_fen: these
                        .filter_map(|meeting| meeting.intended_amount_fen)
                        .sum(),
                }
            })
            .collect();
        let mut demands: Vec<i64> = meetings
            .iter()
            .filter_map(|meeting| meeting.demand_id)
            .collect();
        demands.sort_unstable();
        demands.dedup();
        Ok(EventReport {
            meetings: meetings.len() as u64,
            meetings_held: held.len() as u64,
            intended_amount_fen: held
                .iter()
                .filter_map(|meeting| meeting.intended_amount_fen)
                .sum(),
            demands_discussed: demands.len() as u64,
            signups: signups_by_kind,
            outcomes,
            event: event_view(event, self.clock.now()),
        })
    }
}

//! `/match-events` (signed in): the matchmaking events (银企对接活动) with their sign-ups against
//! the places, filtered by status; parks and offices get the link to schedule one
//! (`/match-events/new`, `match_event_form.rs`). `/match-events/{id}`: one event; to a lender's,
//! insurer's or enterprise's user the sign-up form or its own sign-up with a withdraw button; the
//! meetings the app lets the viewer see, each with the outcome form once it has begun; to the
//! organiser the sign-ups, the booking form, the status buttons and the report. The forms post
//! to `match_event_actions.rs`.

use super::error::PageError;
use super::extract::{PageQuery, SignedIn};
use super::frame::PageFrame;
use super::match_event_actions::{self as actions, ActionForm, DONE, Refused};
use super::match_event_views::{EventRow, MeetingRow, ReportView, SignupRow, china_fields};
use super::views::given;
use crate::auth::Actor;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use ipyun_app::demands::{DemandQuery, DemandView};
use ipyun_app::match_events::{EventQuery, EventView, MeetingView, SignupView};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::market::event::{EventStatus, MeetingOutcome, SignupSide, withdrawal_refusal};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/match-events", get(list_events))
        .route(
            "/match-events/new",
            get(super::match_event_form::new_event).post(super::match_event_form::schedule_event),
        )
        .route("/match-events/{id}", get(get_event))
        .route("/match-events/{id}/signup", post(actions::sign_up))
        .route(
            "/match-events/{id}/signups/{signup_id}/withdraw",
            post(actions::withdraw),
        )
        .route("/match-events/{id}/meetings", post(actions::book))
        .route(
            "/match-events/{id}/meetings/{meeting_id}/outcome",
            post(actions::record_outcome),
        )
        .route("/match-events/{id}/close", post(actions::close))
        .route("/match-events/{id}/held", post(actions::held))
        .route("/match-events/{id}/cancel", post(actions::cancel))
}

/// Whether the role schedules events (parks and IP offices).
pub fn schedules(role: Role) -> bool {
    matches!(
        role,
        Role::Park | Role::ProvincialOffice | Role::NationalOffice
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EventSearch {
    status: Option<String>,
}

#[derive(Serialize)]
struct EventsView {
    rows: Vec<EventRow>,
    status: String,
    statuses: Vec<&'static str>,
    may_schedule: bool,
}

/// `GET /match-events?status=`.
pub async fn list_events(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageQuery(search): PageQuery<EventSearch>,
) -> Result<Response, PageError> {
    let principal = &actor.principal;
    let status = given(&search.status).and_then(|text| EventStatus::parse(&text).ok());
    let query = EventQuery {
        status,
        organiser_id: None,
    };
    let events = state
        .app
        .list_match_events(principal, &query)
        .await
        .map_err(|error| frame.fail(error))?;
    let view = EventsView {
        rows: events.iter().map(EventRow::from).collect(),
        status: status
            .map(|status| status.as_str().to_string())
            .unwrap_or_default(),
        statuses: EventStatus::ALL
            .iter()
            .map(|status| status.as_str())
            .collect(),
        may_schedule: schedules(principal.role),
    };
    frame.render("match_events.html", &view)
}

#[derive(Debug, Clone, Serialize)]
struct Choice {
    value: i64,
    label: String,
}

#[derive(Serialize)]
struct EventPage {
    event: EventRow,
    /// The viewer's organisation organises it.
    organiser: bool,
    /// The viewer may sign its organisation up (a lender's, insurer's or enterprise's user).
    party_viewer: bool,
    enterprise_viewer: bool,
    /// The viewer's active sign-up, and whether it may still be withdrawn.
    own_signup: Option<SignupRow>,
    may_withdraw: bool,
    may_sign_up: bool,
    /// An enterprise's open demands, one of which it may name.
    demands: Vec<Choice>,
    /// Every sign-up (the organiser and the offices).
    signups: Vec<SignupRow>,
    meetings: Vec<MeetingRow>,
    outcomes: Vec<&'static str>,
    lender_options: Vec<Choice>,
    enterprise_options: Vec<Choice>,
    may_book: bool,
    may_close: bool,
    may_hold: bool,
    may_cancel: bool,
    report: Option<ReportView>,
    /// What the viewer typed (the booking form's times start at the event's start).
    typed: ActionForm,
    /// The meeting whose outcome form was refused.
    typed_meeting: Option<i64>,
    /// The Fluent key of a refusal.
    refusal: Option<String>,
    /// The Fluent key of what was just done.
    done: Option<String>,
}

/// The party a viewer signs up and meets as (the app checks again).
fn party_of(principal: &Principal) -> Option<i64> {
    match principal.role {
        Role::Lender | Role::Insurer | Role::Enterprise => principal.party_id,
        _ => None,
    }
}

fn organises(principal: &Principal, event: &EventView) -> bool {
    schedules(principal.role) && principal.party_id == Some(event.organiser_id)
}

/// The enterprise's own open demands, for the sign-up's choice.
async fn open_demands(state: &AppState, principal: &Principal, party: i64) -> Vec<Choice> {
    let demands: Vec<DemandView> = state
        .app
        .list_demands(principal, &DemandQuery::default())
        .await
        .unwrap_or_default();
    demands
        .into_iter()
        .filter(|demand| demand.enterprise_id == party && !demand.stage.is_final())
        .map(|demand| Choice {
            value: demand.id,
            label: format!(
                "#{} · {} · {}",
                demand.id,
                super::pledge_views::yuan(demand.terms.amount_fen),
                demand.terms.purpose
            ),
        })
        .collect()
}

fn options(signups: &[SignupView], side: SignupSide) -> Vec<Choice> {
    signups
        .iter()
        .filter(|signup| signup.active && signup.side == side)
        .map(|signup| Choice {
            value: signup.party_id,
            label: signup.party_name.clone(),
        })
        .collect()
}

/// The page shaped from what the app returned; `now` decides which meetings have begun.
struct Loaded {
    event: EventView,
    signups: Vec<SignupView>,
    meetings: Vec<MeetingView>,
    report: Option<ReportView>,
    demands: Vec<Choice>,
    now: chrono::DateTime<chrono::Utc>,
}

fn page(principal: &Principal, loaded: Loaded, refused: Option<Refused>) -> EventPage {
    let Loaded {
        event,
        signups,
        meetings,
        report,
        demands,
        now,
    } = loaded;
    let organiser = organises(principal, &event);
    let party = party_of(principal);
    let own = signups
        .iter()
        .find(|signup| signup.active && Some(signup.party_id) == party);
    let open = !event.status.is_final();
    let may_withdraw =
        withdrawal_refusal(&event.terms, event.status, now).is_none() && own.is_some();
    let may_record = |meeting: &MeetingView| {
        let in_meeting =
            party.is_some_and(|party| party == meeting.lender_id || party == meeting.enterprise_id);
        (organiser || in_meeting)
            && event.status != EventStatus::Cancelled
            && now >= meeting.starts_at
    };
    let (typed_meeting, refusal, mut typed) = match refused {
        Some(refused) => (refused.meeting_id, Some(refused.key), refused.form),
        None => (None, None, ActionForm::default()),
    };
    if typed.starts_date.is_empty() && typed.starts_time.is_empty() {
        (typed.starts_date, typed.starts_time) = china_fields(event.terms.starts_at);
    }
    if typed.ends_date.is_empty() && typed.ends_time.is_empty() {
        (typed.ends_date, typed.ends_time) = china_fields(event.terms.ends_at);
    }
    EventPage {
        organiser,
        party_viewer: party.is_some(),
        enterprise_viewer: principal.role == Role::Enterprise && party.is_some(),
        own_signup: own.map(SignupRow::from),
        may_withdraw,
        may_sign_up: party.is_some() && own.is_none() && event.signup_open,
        demands,
        signups: if report.is_some() {
            signups.iter().map(SignupRow::from).collect()
        } else {
            Vec::new()
        },
        meetings: meetings
            .iter()
            .map(|meeting| MeetingRow::new(meeting, may_record(meeting)))
            .collect(),
        outcomes: MeetingOutcome::ALL
            .iter()
            .map(|outcome| outcome.as_str())
            .collect(),
        lender_options: options(&signups, SignupSide::Lender),
        enterprise_options: options(&signups, SignupSide::Enterprise),
        may_book: organiser && event.status != EventStatus::Cancelled,
        may_close: organiser && event.status.may_become(EventStatus::Closed),
        may_hold: organiser && open,
        may_cancel: organiser && open,
        report,
        typed,
        typed_meeting,
        refusal,
        done: None,
        event: EventRow::from(&event),
    }
}

/// Renders the event's page, with a refused form's reason or what was just done.
pub async fn render(
    state: &AppState,
    actor: &Actor,
    frame: &PageFrame,
    id: i64,
    refused: Option<Refused>,
    done: Option<String>,
) -> Result<Response, PageError> {
    let principal = &actor.principal;
    let event = state
        .app
        .match_event(principal, id)
        .await
        .map_err(|error| frame.fail(error))?;
    let signups = state
        .app
        .match_event_signups(principal, id)
        .await
        .map_err(|error| frame.fail(error))?;
    let meetings = state
        .app
        .match_event_meetings(principal, id)
        .await
        .map_err(|error| frame.fail(error))?;
    // The report is the organiser's and the offices': a refusal means the viewer is neither.
    let report = state
        .app
        .match_event_report(principal, id)
        .await
        .ok()
        .map(|report| ReportView::from(&report));
    let demands = match (principal.role, party_of(principal)) {
        (Role::Enterprise, Some(party)) => open_demands(state, principal, party).await,
        _ => Vec::new(),
    };
    let status = refused
        .as_ref()
        .map_or(StatusCode::OK, |refused| refused.status);
    let loaded = Loaded {
        event,
        signups,
        meetings,
        report,
        demands,
        now: state.app.clock().now(),
    };
    let mut view = page(principal, loaded, refused);
    view.done = done;
    frame.render_with_status(status, "match_event.html", &view)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EventPageQuery {
    done: Option<String>,
}

/// `GET /match-events/{id}`: an unknown event is the 404 page.
pub async fn get_event(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    super::extract::PagePath(id): super::extract::PagePath<i64>,
    PageQuery(query): PageQuery<EventPageQuery>,
) -> Result<Response, PageError> {
    let done = given(&query.done)
        .filter(|done| DONE.contains(&done.as_str()))
        .map(|done| format!("event-done-{done}"));
    render(&state, &actor, &frame, id, None, done).await
}

#[cfg(test)]
#[path = "match_events_samples.rs"]
pub(super) mod samples;

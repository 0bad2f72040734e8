//! `/match-events/new` (parks' and IP offices' users): the form that schedules a matchmaking
//! event — title, description, venue or online link, start, end and sign-up deadline each typed
//! as a date and a time in China's time (UTC+8, converted exactly), the places per side or in
//! all, and for an office the region it serves. Every fault is shown at its field; success
//! leads to the event.

use super::application_input::Fault;
use super::error::PageError;
use super::extract::{PageForm, SignedIn, see_other};
use super::frame::PageFrame;
use super::match_event_views::parse_china_instant;
use super::pledge_views::half_width;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ipyun_app::{AppError, ErrorKind};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::market::event::EventDraft;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The form's fields, each with its faults (`form`: the whole form).
const FIELDS: &[&str] = &[
    "form",
    "title",
    "description",
    "venue",
    "online_url",
    "starts",
    "ends",
    "deadline",
    "capacity",
    "lender_capacity",
    "enterprise_capacity",
    "region",
];

/// The form as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct EventForm {
    #[serde(skip_serializing)]
    csrf_token: String,
    title: String,
    description: String,
    venue: String,
    online_url: String,
    starts_date: String,
    starts_time: String,
    ends_date: String,
    ends_time: String,
    deadline_date: String,
    deadline_time: String,
    capacity: String,
    lender_capacity: String,
    enterprise_capacity: String,
    region: String,
}

/// Faults per field (every field present, most empty); each keeps its rule until settled into
/// the most specific message there is.
#[derive(Debug, Clone, Serialize)]
pub struct Faults(BTreeMap<&'static str, Vec<Fault>>);

impl Default for Faults {
    fn default() -> Self {
        Faults(FIELDS.iter().map(|field| (*field, Vec::new())).collect())
    }
}

impl Faults {
    /// Records rule `code` at a field of the app's (`starts_at`) or the form's (`starts`).
    fn add(&mut self, field: &str, code: &str) {
        let field = match field {
            "starts_at" => "starts",
            "ends_at" => "ends",
            "signup_deadline" => "deadline",
            other => other,
        };
        let field = FIELDS
            .iter()
            .find(|known| **known == field)
            .copied()
            .unwrap_or("form");
        self.0.entry(field).or_default().push(Fault {
            key: format!("{field}:{code}"),
            line: None,
        });
    }

    fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }

    /// Each `field:code` as the first key with a text: the field's own rule, the event form's
    /// rule, the forms' rule, or the generic fault.
    fn settle(&mut self, has_text: impl Fn(&str) -> bool) {
        for fault in self.0.values_mut().flatten() {
            let (field, code) = fault.key.split_once(':').unwrap_or(("form", "invalid"));
            let candidates = [
                format!("event-error-{field}-{code}"),
                format!("event-error-{code}"),
                format!("form-error-{code}"),
            ];
            fault.key = candidates
                .into_iter()
                .find(|key| has_text(key))
                .unwrap_or_else(|| "form-error-invalid".into());
        }
    }
}

impl EventForm {
    /// The draft, with the faults found reading it (instants exactly, places leniently).
    fn draft(&self, faults: &mut Faults) -> EventDraft {
        let mut instant =
            |field: &str, date: &str, time: &str| match parse_china_instant(date, time) {
                Ok(found) => found,
                Err(code) => {
                    faults.add(field, code);
                    None
                }
            };
        let starts_at = instant("starts", &self.starts_date, &self.starts_time);
        let ends_at = instant("ends", &self.ends_date, &self.ends_time);
        let signup_deadline = instant("deadline", &self.deadline_date, &self.deadline_time);
        let mut places = |field: &str, raw: &str| match half_width(raw.trim()).as_str() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(places) => Some(places),
                Err(_) => {
                    faults.add(field, "places");
                    None
                }
            },
        };
        let capacity = places("capacity", &self.capacity);
        let lender_capacity = places("lender_capacity", &self.lender_capacity);
        let enterprise_capacity = places("enterprise_capacity", &self.enterprise_capacity);
        let optional = |text: &str| Some(text.to_string()).filter(|text| !text.trim().is_empty());
        EventDraft {
            title: Some(self.title.clone()),
            description: Some(self.description.clone()),
            venue: optional(&self.venue),
            online_url: optional(&self.online_url),
            starts_at,
            ends_at,
            signup_deadline,
            capacity,
            lender_capacity,
            enterprise_capacity,
            region: optional(&self.region),
            park_id: None,
            right_kinds: Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct EventFormPage {
    form: EventForm,
    faults: Faults,
    has_faults: bool,
    /// An office names the region its event serves (a park's is its own).
    asks_region: bool,
}

fn organiser_of(principal: &Principal) -> Result<(), AppError> {
    match (principal.role, principal.party_id) {
        (Role::Park | Role::ProvincialOffice | Role::NationalOffice, Some(_)) => Ok(()),
        _ => Err(AppError::forbidden(
            "parks and IP offices schedule matchmaking events",
        )),
    }
}

fn render_form(
    frame: &PageFrame,
    principal: &Principal,
    status: StatusCode,
    form: EventForm,
    mut faults: Faults,
) -> Result<Response, PageError> {
    organiser_of(principal).map_err(|error| frame.fail(error))?;
    faults.settle(|key| frame.has_text(key));
    let page = EventFormPage {
        has_faults: !faults.is_empty(),
        faults,
        form,
        asks_region: principal.role != Role::Park,
    };
    frame.render_with_status(status, "match_event_form.html", &page)
}

/// `GET /match-events/new`.
pub async fn new_event(SignedIn { actor, frame }: SignedIn) -> Result<Response, PageError> {
    render_form(
        &frame,
        &actor.principal,
        StatusCode::OK,
        EventForm::default(),
        Faults::default(),
    )
}

/// `POST /match-events/new`: schedules and goes to the event; faults show the form again (400).
pub async fn schedule_event(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageForm(form): PageForm<EventForm>,
) -> Result<Response, PageError> {
    actor
        .check_csrf(Some(&form.csrf_token))
        .map_err(|error| frame.fail(error))?;
    let principal = &actor.principal;
    organiser_of(principal).map_err(|error| frame.fail(error))?;
    let mut faults = Faults::default();
    let draft = form.draft(&mut faults);
    if !faults.is_empty() {
        return render_form(&frame, principal, StatusCode::BAD_REQUEST, form, faults);
    }
    match state.app.schedule_match_event(principal, &draft).await {
        Ok(view) => Ok(see_other(&format!(
            "/match-events/{}?done=scheduled",
            view.id
        ))),
        Err(error) if error.kind == ErrorKind::BadRequest => {
            for detail in &error.details {
                faults.add(&detail.field, &detail.code);
            }
            if error.details.is_empty() {
                faults.add("form", &error.code.replace('.', "-"));
            }
            render_form(&frame, principal, StatusCode::BAD_REQUEST, form, faults)
        }
        Err(error) => Err(frame.fail(error)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(super) mod samples {
    use super::*;

    fn typed() -> EventForm {
        EventForm {
            title: "银企对接会 <script>".into(),
            description: "政策宣讲".into(),
            venue: "园区服务中心".into(),
            starts_date: "2026-12-10".into(),
            starts_time: "09:00".into(),
            ends_date: "2026-12-10".into(),
            ends_time: "17:00:30".into(),
            deadline_date: "2026-12-08".into(),
            deadline_time: "18:00".into(),
            lender_capacity: "１０".into(),
            enterprise_capacity: "20".into(),
            ..EventForm::default()
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let mut faults = Faults::default();
        faults.add("starts_at", "in_past");
        faults.add("ends", "time_format");
        faults.add("capacity", "required");
        faults.add("region", "outside_province");
        faults.add("park_id", "not_a_park");
        let i18n = crate::i18n::I18n::load();
        faults.settle(|key| i18n.has(ipyun_domain::account::Lang::ZhCn, key));
        let page = |faults: Faults, asks_region| EventFormPage {
            has_faults: !faults.is_empty(),
            faults,
            form: typed(),
            asks_region,
        };
        vec![
            (
                "match_event_form.html",
                minijinja::Value::from_serialize(page(faults, true)),
            ),
            (
                "match_event_form.html",
                minijinja::Value::from_serialize(page(Faults::default(), false)),
            ),
        ]
    }

    #[test]
    fn the_form_reads_china_time_exactly_and_names_each_fault() {
        let mut faults = Faults::default();
        let draft = typed().draft(&mut faults);
        assert!(faults.is_empty());
        let utc = |instant: Option<chrono::DateTime<chrono::Utc>>| instant.unwrap().to_rfc3339();
        assert_eq!(utc(draft.starts_at), "2026-12-10T01:00:00+00:00");
        assert_eq!(utc(draft.ends_at), "2026-12-10T09:00:30+00:00");
        assert_eq!(utc(draft.signup_deadline), "2026-12-08T10:00:00+00:00");
        assert_eq!(
            (
                draft.capacity,
                draft.lender_capacity,
                draft.enterprise_capacity
            ),
            (None, Some(10), Some(20))
        );
        assert_eq!(draft.online_url, None);
        let bad = EventForm {
            starts_date: "2026-12-10".into(),
            ends_time: "25:00".into(),
            ends_date: "2026-12-10".into(),
            capacity: "many".into(),
            ..typed()
        };
        let bad = EventForm {
            starts_time: String::new(),
            ..bad
        };
        let mut faults = Faults::default();
        bad.draft(&mut faults);
        faults.add("signup_deadline", "after_start");
        let faulty: Vec<&str> = faults
            .0
            .iter()
            .filter(|(_, found)| !found.is_empty())
            .map(|(field, _)| *field)
            .collect();
        assert_eq!(faulty, ["capacity", "deadline", "ends", "starts"]);
        faults.settle(|key| {
            key == "event-error-deadline-after_start" || key == "form-error-required"
        });
        let keys: Vec<&str> = faults
            .0
            .values()
            .flatten()
            .map(|fault| fault.key.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "form-error-invalid",
                "event-error-deadline-after_start",
                "form-error-invalid",
                "form-error-required"
            ]
        );
    }
}

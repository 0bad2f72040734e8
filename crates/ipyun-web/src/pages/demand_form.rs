//! `/demands/new` (an enterprise's users): the form that publishes a financing demand — the
//! amount typed in yuan and read exactly as fen, the term, the purpose, the urgency, the rights
//! offered chosen among the enterprise's own rights in force, and the lenders it is shared with
//! (none ticked: every lender). Every fault is shown at its field; success leads to the demand.

use super::application_input::Fault;
use super::error::PageError;
use super::extract::{PageForm, SignedIn, see_other};
use super::frame::PageFrame;
use super::pledge_views::parse_yuan;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ipyun_app::ErrorKind;
use ipyun_app::parties::PartyQuery;
use ipyun_app::rights::RightQuery;
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::market::{DemandDraft, Urgency};
use serde::Serialize;
use std::collections::BTreeMap;

/// The form's fields, each with its faults.
const FIELDS: &[&str] = &[
    "form",
    "amount_yuan",
    "months",
    "purpose",
    "urgency",
    "rights",
    "shared_with",
];

/// The form as typed (repeated fields: every value).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DemandForm {
    csrf_token: String,
    amount_yuan: String,
    months: String,
    purpose: String,
    urgency: String,
    rights: Vec<String>,
    shared_with: Vec<String>,
}

impl DemandForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = DemandForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf_token" => form.csrf_token = value,
                "amount_yuan" => form.amount_yuan = value,
                "months" => form.months = value,
                "purpose" => form.purpose = value,
                "urgency" => form.urgency = value,
                "rights" => form.rights.push(value),
                "shared_with" => form.shared_with.push(value),
                _ => {}
            }
        }
        form
    }

    /// The draft, with the faults found reading it (amounts exactly, numbers leniently).
    fn draft(&self, faults: &mut Faults) -> DemandDraft {
        let amount_fen = match parse_yuan(&self.amount_yuan) {
            Ok(Some(fen)) => Some(fen),
            Ok(None) => {
                faults.add("amount_yuan", "required");
                None
            }
            Err(code) => {
                faults.add("amount_yuan", code);
                None
            }
        };
        let months = match self.months.trim() {
            "" => {
                faults.add("months", "required");
                None
            }
            text => match super::pledge_views::half_width(text).parse::<u32>() {
                Ok(months) => Some(months),
                Err(_) => {
                    faults.add("months", "months");
                    None
                }
            },
        };
        let urgency = match self.urgency.trim() {
            "" => None,
            text => match Urgency::parse(text) {
                Ok(urgency) => Some(urgency),
                Err(_) => {
                    faults.add("urgency", "invalid");
                    None
                }
            },
        };
        let mut shared_with = Vec::new();
        for raw in &self.shared_with {
            match raw.trim().parse::<i64>() {
                Ok(id) if id > 0 => shared_with.push(id),
                _ => faults.add("shared_with", "invalid_id"),
            }
        }
        DemandDraft {
            amount_fen,
            months,
            purpose: Some(self.purpose.clone()),
            rights: self.rights.clone(),
            urgency,
            shared_with,
        }
    }
}

/// Faults per field (every field present, most empty).
#[derive(Debug, Clone, Serialize)]
pub struct Faults(BTreeMap<&'static str, Vec<Fault>>);

impl Default for Faults {
    fn default() -> Self {
        Faults(FIELDS.iter().map(|field| (*field, Vec::new())).collect())
    }
}

impl Faults {
    fn add(&mut self, field: &str, code: &str) {
        let code = match (field, code) {
            ("months", "out_of_range") => "months",
            _ => code,
        };
        let field = match field {
            "amount_fen" => "amount_yuan",
            other => other.split(['[', '.']).next().unwrap_or(other),
        };
        let field = FIELDS
            .iter()
            .find(|known| **known == field)
            .copied()
            .unwrap_or("form");
        self.0.entry(field).or_default().push(Fault {
            key: format!("form-error-{code}"),
            line: None,
        });
    }

    fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }

    fn settle(&mut self, has_text: impl Fn(&str) -> bool) {
        for fault in self.0.values_mut().flatten() {
            if !has_text(&fault.key) {
                fault.key = "form-error-invalid".into();
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct Choice {
    value: String,
    label: String,
    detail: String,
    checked: bool,
}

#[derive(Serialize)]
struct DemandFormPage {
    form: DemandForm,
    faults: Faults,
    has_faults: bool,
    urgencies: Vec<&'static str>,
    rights: Vec<Choice>,
    lenders: Vec<Choice>,
}

fn enterprise_of(principal: &Principal) -> Result<i64, ipyun_app::AppError> {
    match (principal.role, principal.party_id) {
        (Role::Enterprise, Some(party)) => Ok(party),
        _ => Err(ipyun_app::AppError::forbidden(
            "enterprises publish financing demands",
        )),
    }
}

async fn render_form(
    state: &AppState,
    frame: &PageFrame,
    principal: &Principal,
    status: StatusCode,
    form: DemandForm,
    mut faults: Faults,
) -> Result<Response, PageError> {
    let party = enterprise_of(principal).map_err(|error| frame.fail(error))?;
    let rights_query = RightQuery {
        holder_party_id: Some(party),
        legal_status: Some("in_force".into()),
        per_page: Some(100),
        ..RightQuery::default()
    };
    let rights = state
        .app
        .list_rights(principal, &rights_query)
        .await
        .map_err(|error| frame.fail(error))?
        .items
        .into_iter()
        .map(|right| Choice {
            checked: form.rights.contains(&right.number),
            value: right.number,
            label: right.title,
            detail: right.kind.as_str().to_string(),
        })
        .collect();
    let lenders_query = PartyQuery {
        kind: Some("lender".into()),
        per_page: Some(100),
        ..PartyQuery::default()
    };
    let lenders = match state.app.list_parties(principal, &lenders_query).await {
        Ok(page) => page
            .items
            .into_iter()
            .map(|party| Choice {
                checked: form.shared_with.contains(&party.id.to_string()),
                value: party.id.to_string(),
                label: party.name,
                detail: party
                    .region
                    .as_deref()
                    .map(super::views::region_name)
                    .unwrap_or_default(),
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    faults.settle(|key| frame.has_text(key));
    let page = DemandFormPage {
        has_faults: !faults.is_empty(),
        faults,
        form: DemandForm {
            csrf_token: String::new(),
            ..form
        },
        urgencies: Urgency::ALL
            .iter()
            .map(|urgency| urgency.as_str())
            .collect(),
        rights,
        lenders,
    };
    frame.render_with_status(status, "demand_form.html", &page)
}

/// `GET /demands/new`.
pub async fn new_demand(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
) -> Result<Response, PageError> {
    let form = DemandForm {
        urgency: Urgency::Normal.as_str().to_string(),
        ..DemandForm::default()
    };
    render_form(
        &state,
        &frame,
        &actor.principal,
        StatusCode::OK,
        form,
        Faults::default(),
    )
    .await
}

/// `POST /demands/new`: publishes and goes to the demand; faults show the form again (400).
pub async fn publish_demand(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = DemandForm::from_pairs(pairs);
    actor
        .check_csrf(Some(&form.csrf_token))
        .map_err(|error| frame.fail(error))?;
    let principal = &actor.principal;
    enterprise_of(principal).map_err(|error| frame.fail(error))?;
    let mut faults = Faults::default();
    let draft = form.draft(&mut faults);
    if !faults.is_empty() {
        return render_form(
            &state,
            &frame,
            principal,
            StatusCode::BAD_REQUEST,
            form,
            faults,
        )
        .await;
    }
    match state.app.publish_demand(principal, &draft).await {
        Ok(view) => Ok(see_other(&format!("/demands/{}", view.id))),
        Err(error) if error.kind == ErrorKind::BadRequest => {
            for detail in &error.details {
                faults.add(&detail.field, &detail.code);
            }
            if error.details.is_empty() {
                faults.add("form", &error.code.replace('.', "-"));
            }
            render_form(
                &state,
                &frame,
                principal,
                StatusCode::BAD_REQUEST,
                form,
                faults,
            )
            .await
        }
        Err(error) => Err(frame.fail(error)),
    }
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let form = DemandForm::from_pairs(vec![
            ("amount_yuan".into(), "3,000,000".into()),
            ("months".into(), "12".into()),
            ("purpose".into(), "扩产 <script>".into()),
            ("urgency".into(), "high".into()),
            ("rights".into(), "ZL202310001234.5".into()),
        ]);
        let mut faults = Faults::default();
        faults.add("amount_fen", "out_of_range");
        faults.add("rights[0]", "not_yours");
        let choice = |value: &str, checked| Choice {
            value: value.into(),
            label: "一种纳米材料的制备方法".into(),
            detail: "invention".into(),
            checked,
        };
        let page = |faults: Faults| DemandFormPage {
            has_faults: !faults.is_empty(),
            faults,
            form: form.clone(),
            urgencies: Urgency::ALL
                .iter()
                .map(|urgency| urgency.as_str())
                .collect(),
            rights: vec![
                choice("ZL202310001234.5", true),
                choice("ZL2023100012", false),
            ],
            lenders: vec![choice("2", false)],
        };
        vec![
            (
                "demand_form.html",
                minijinja::Value::from_serialize(page(faults)),
            ),
            (
                "demand_form.html",
                minijinja::Value::from_serialize(page(Faults::default())),
            ),
        ]
    }

    #[test]
    fn the_form_reads_yuan_exactly_and_names_each_fault() {
        let form = DemandForm::from_pairs(vec![
            ("amount_yuan".into(), "1,234,567.89".into()),
            ("months".into(), "１２".into()),
            ("purpose".into(), "扩产".into()),
            ("rights".into(), "A".into()),
            ("rights".into(), "B".into()),
            ("shared_with".into(), "7".into()),
        ]);
        let mut faults = Faults::default();
        let draft = form.draft(&mut faults);
        assert!(faults.is_empty());
        assert_eq!(draft.amount_fen, Some(123_456_789));
        assert_eq!(draft.months, Some(12));
        assert_eq!(draft.rights, ["A", "B"]);
        assert_eq!(draft.shared_with, [7]);
        let bad = DemandForm::from_pairs(vec![
            ("amount_yuan".into(), "12.345".into()),
            ("months".into(), "a year".into()),
            ("shared_with".into(), "x".into()),
        ]);
        let mut faults = Faults::default();
        bad.draft(&mut faults);
        let faulty: Vec<&str> = faults
            .0
            .iter()
            .filter(|(_, found)| !found.is_empty())
            .map(|(field, _)| *field)
            .collect();
        assert_eq!(faulty, ["amount_yuan", "months", "shared_with"]);
    }
}

//! `/pledges`: the public record of registered pledges (no sign-in), searched by right number,
//! registration number, pledgor, pledgee, date range and status. Amounts and performance ends
//! appear only when the app returns them (to the parties and offices).

use super::error::PageError;
use super::extract::{PageQuery, PageVisitor};
use super::pledge_views::{parse_date, yuan};
use super::views::{Pager, given, lenient_number, path_segment};
use crate::state::AppState;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use chrono::NaiveDate;
use ipyun_app::pledge::{PledgeFilter, PledgeView};
use ipyun_domain::page::{Page, PageRequest};
use ipyun_domain::pledge::PledgeStatus;
use serde::{Deserialize, Serialize};

/// The search form as sent: every field text, read leniently.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PledgeSearch {
    right: Option<String>,
    registration_no: Option<String>,
    pledgor: Option<String>,
    pledgee: Option<String>,
    from: Option<String>,
    to: Option<String>,
    status: Option<String>,
    page: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct FieldFault {
    field: &'static str,
    key: String,
}

impl PledgeSearch {
    fn date(&self, field: &'static str, faults: &mut Vec<FieldFault>) -> Option<NaiveDate> {
        let raw = match field {
            "from" => &self.from,
            _ => &self.to,
        };
        match parse_date(raw.as_deref().unwrap_or_default()) {
            Ok(date) => date,
            Err(code) => {
                faults.push(FieldFault {
                    field,
                    key: format!("form-error-{code}"),
                });
                None
            }
        }
    }

    fn filter(&self, faults: &mut Vec<FieldFault>) -> PledgeFilter {
        PledgeFilter {
            registration_no: given(&self.registration_no).map(|text| text.to_uppercase()),
            right_number: given(&self.right).map(|text| normal_number(&text)),
            party_id: None,
            pledgor_name: given(&self.pledgor),
            pledgee_name: given(&self.pledgee),
            registered_from: self.date("from", faults),
            registered_to: self.date("to", faults),
            status: given(&self.status).and_then(|text| PledgeStatus::parse(&text).ok()),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("right", &self.right),
            ("registration_no", &self.registration_no),
            ("pledgor", &self.pledgor),
            ("pledgee", &self.pledgee),
            ("from", &self.from),
            ("to", &self.to),
            ("status", &self.status),
        ]
        .into_iter()
        .map(|(name, value)| (name, given(value).unwrap_or_default()))
        .collect()
    }
}

/// A right's number as the register keeps it: a patent number in normal form (`ZL` prefix and
/// missing dot tolerated), any other number as typed, in capitals.
pub(super) fn normal_number(raw: &str) -> String {
    ipyun_domain::id::ApplicationNo::parse(raw)
        .map(|number| number.as_str().to_string())
        .unwrap_or_else(|_| raw.trim().to_uppercase())
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct PledgedRightCell {
    pub number: String,
    pub kind: &'static str,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct PledgeRow {
    pub registration_no: String,
    pub status: &'static str,
    pub pledge_type: &'static str,
    pub pledgor: String,
    pub pledgee: String,
    pub registered_on: NaiveDate,
    pub cancelled_on: Option<NaiveDate>,
    pub rights: Vec<PledgedRightCell>,
    pub amount: Option<String>,
    pub performance_end: Option<NaiveDate>,
    pub verify_href: Option<String>,
}

impl From<PledgeView> for PledgeRow {
    fn from(pledge: PledgeView) -> Self {
        PledgeRow {
            verify_href: pledge.verification_code.as_ref().map(|code| {
                format!(
                    "/notices/verify?no={}&code={}",
                    path_segment(&pledge.registration_no),
                    path_segment(code)
                )
            }),
            registration_no: pledge.registration_no,
            status: pledge.status.as_str(),
            pledge_type: match pledge.pledge_type {
                ipyun_domain::pledge::PledgeType::Rights => "rights",
                ipyun_domain::pledge::PledgeType::LicenceRevenue => "licence_revenue",
            },
            pledgor: pledge.pledgor,
            pledgee: pledge.pledgee,
            registered_on: pledge.registered_on,
            cancelled_on: pledge.cancelled_on,
            rights: pledge
                .rights
                .into_iter()
                .map(|right| PledgedRightCell {
                    number: right.number,
                    kind: right.kind.as_str(),
                    active: right.active,
                })
                .collect(),
            amount: pledge.secured_amount_fen.map(yuan),
            performance_end: pledge.performance_end,
        }
    }
}

#[derive(Serialize)]
struct PledgesView {
    rows: Vec<PledgeRow>,
    pager: Pager,
    right: String,
    registration_no: String,
    pledgor: String,
    pledgee: String,
    from: String,
    to: String,
    status: String,
    statuses: Vec<&'static str>,
    faults: Vec<FieldFault>,
    show_amounts: bool,
}

impl PledgesView {
    fn new(search: &PledgeSearch, faults: Vec<FieldFault>, page: Page<PledgeView>) -> Self {
        let pager = Pager::new("/pledges", &search.pairs(), &page);
        let rows: Vec<PledgeRow> = page.items.into_iter().map(PledgeRow::from).collect();
        let text = |value: &Option<String>| given(value).unwrap_or_default();
        PledgesView {
            show_amounts: rows.iter().any(|row| row.amount.is_some()),
            rows,
            pager,
            right: text(&search.right),
            registration_no: text(&search.registration_no),
            pledgor: text(&search.pledgor),
            pledgee: text(&search.pledgee),
            from: text(&search.from),
            to: text(&search.to),
            status: text(&search.status),
            statuses: PledgeStatus::ALL
                .iter()
                .map(|status| status.as_str())
                .collect(),
            faults,
        }
    }
}

/// `GET /pledges`: anyone may search; those signed in as a party or an office also see amounts.
pub async fn list_pledges(
    State(state): State<AppState>,
    visitor: PageVisitor,
    uri: Uri,
    PageQuery(search): PageQuery<PledgeSearch>,
) -> Result<Response, PageError> {
    let frame = visitor.frame(&state, &uri);
    let mut faults = Vec::new();
    let filter = search.filter(&mut faults);
    let principal = visitor.actor.as_ref().map(|actor| &actor.principal);
    let request = PageRequest::new(lenient_number(search.page.as_deref()), None);
    let page = state
        .app
        .list_pledges(principal, &filter, request)
        .await
        .map_err(|error| frame.fail(error))?;
    frame.render("pledges.html", &PledgesView::new(&search, faults, page))
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use ipyun_app::pledge::PledgeRightView;
    use ipyun_domain::pledge::PledgeType;
    use ipyun_domain::right::RightKind;

    pub fn pledge(amounts: bool) -> PledgeView {
        PledgeView {
            registration_no: "Y2026000000007".into(),
            status: PledgeStatus::Active,
            pledge_type: PledgeType::Rights,
            pledgor: "苏州质押科技有限公司 <script>".into(),
            pledgee: "测试银行苏州分行".into(),
            registered_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
            cancelled_on: None,
            rights: vec![PledgeRightView {
                number: "202110123456.7".into(),
                kind: RightKind::Invention,
                active: true,
            }],
            secured_amount_fen: amounts.then_some(500_000_000),
            performance_end: amounts
                .then(|| NaiveDate::from_ymd_opt(2027, 11, 22).unwrap_or_default()),
            verification_code: amounts.then(|| "ABCDEFGH12".into()),
            appraised_value_fen: amounts.then_some(1_000_000_000),
            ltv_bp: amounts.then_some(5_000),
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let search = PledgeSearch {
            from: Some("2026-13-01".into()),
            status: Some("active".into()),
            ..PledgeSearch::default()
        };
        let mut faults = Vec::new();
        let _ = search.filter(&mut faults);
        [true, false]
            .into_iter()
            .map(|amounts| {
                let page = Page {
                    items: vec![pledge(amounts)],
                    page: 1,
                    per_page: 20,
                    total: 1,
                };
                (
                    "pledges.html",
                    minijinja::Value::from_serialize(PledgesView::new(
                        &search,
                        faults.clone(),
                        page,
                    )),
                )
            })
            .collect()
    }
}

//! `/rights` and `/rights/{number}`: the registry of rights.

use super::avm::{self, AvmQuery, AvmSection};
use super::error::PageError;
use super::extract::{PagePath, PageQuery, SignedIn};
use super::right_pledges::{self, RightPledgeRow};
use super::right_valuations::{self, RightValuationRow};
use super::views::{Pager, given, lenient_number, local_time, path_segment, share_percent};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use ipyun_app::pledge::PledgeView;
use ipyun_app::rights::RightQuery;
use ipyun_app::valuations::StoredValuation;
use ipyun_domain::page::Page;
use ipyun_domain::right::{LegalStatus, Right, RightKind, StatusEvent};
use serde::{Deserialize, Serialize};

/// The rights list's filters as the form sends them: every field text, read leniently.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RightsFilter {
    kind: Option<String>,
    legal_status: Option<String>,
    q: Option<String>,
    /// A holder's party id.
    holder: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

impl RightsFilter {
    fn query(&self) -> RightQuery {
        RightQuery {
            kind: given(&self.kind),
            legal_status: given(&self.legal_status),
            q: given(&self.q),
            holder_party_id: self.holder_party_id(),
            page: lenient_number(self.page.as_deref()),
            per_page: lenient_number(self.per_page.as_deref()),
            ..RightQuery::default()
        }
    }

    fn holder_party_id(&self) -> Option<i64> {
        self.holder
            .as_deref()
            .and_then(|text| text.trim().parse::<i64>().ok())
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("kind", given(&self.kind).unwrap_or_default()),
            (
                "legal_status",
                given(&self.legal_status).unwrap_or_default(),
            ),
            ("q", given(&self.q).unwrap_or_default()),
            (
                "holder",
                self.holder_party_id()
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
            (
                "per_page",
                lenient_number(self.per_page.as_deref())
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            ),
        ]
    }
}

#[derive(Serialize)]
struct RightRow {
    number: String,
    href: String,
    kind: &'static str,
    title: String,
    holders: Vec<String>,
    filing_date: NaiveDate,
    legal_status: &'static str,
    expiry_date: Option<NaiveDate>,
}

impl From<Right> for RightRow {
    fn from(right: Right) -> Self {
        RightRow {
            href: format!("/rights/{}", path_segment(&right.number)),
            number: right.number,
            kind: right.kind.as_str(),
            title: right.title,
            holders: right
                .holders
                .into_iter()
                .map(|holder| holder.name)
                .collect(),
            filing_date: right.filing_date,
            legal_status: right.legal_status.as_str(),
            expiry_date: right.expiry_date,
        }
    }
}

#[derive(Serialize)]
struct RightsView {
    rows: Vec<RightRow>,
    pager: Pager,
    kind: String,
    legal_status: String,
    q: String,
    holder: Option<i64>,
    kinds: Vec<&'static str>,
    legal_statuses: Vec<&'static str>,
}

impl RightsView {
    fn new(filter: &RightsFilter, page: Page<Right>) -> Self {
        let pager = Pager::new("/rights", &filter.pairs(), &page);
        RightsView {
            rows: page.items.into_iter().map(RightRow::from).collect(),
            pager,
            kind: given(&filter.kind).unwrap_or_default(),
            legal_status: given(&filter.legal_status).unwrap_or_default(),
            q: given(&filter.q).unwrap_or_default(),
            holder: filter.holder_party_id(),
            kinds: RightKind::ALL.iter().map(|kind| kind.as_str()).collect(),
            legal_statuses: LegalStatus::ALL
                .iter()
                .map(|status| status.as_str())
                .collect(),
        }
    }
}

/// `GET /rights`: the rights the user may see, filtered and paginated.
pub async fn list_rights(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageQuery(filter): PageQuery<RightsFilter>,
) -> Result<Response, PageError> {
    let page = state
        .app
        .list_rights(&actor.principal, &filter.query())
        .await
        .map_err(|error| frame.fail(error))?;
    frame.render("rights.html", &RightsView::new(&filter, page))
}

#[derive(Serialize)]
struct HolderRow {
    name: String,
    uscc: Option<String>,
    href: Option<String>,
    share: String,
}

#[derive(Serialize)]
struct EventRow {
    status: &'static str,
    effective_date: NaiveDate,
    note: String,
    recorded_at: String,
    recorded_by: Option<String>,
}

impl From<StatusEvent> for EventRow {
    fn from(event: StatusEvent) -> Self {
        EventRow {
            status: event.status.as_str(),
            effective_date: event.effective_date,
            note: event.note,
            recorded_at: local_time(event.recorded_at),
            recorded_by: event.recorded_by,
        }
    }
}

#[derive(Serialize)]
struct RightView {
    number: String,
    kind: &'static str,
    is_patent: bool,
    title: String,
    filing_date: NaiveDate,
    grant_date: Option<NaiveDate>,
    legal_status: &'static str,
    annual_fee_paid_until: Option<NaiveDate>,
    nice_class: Option<u8>,
    ipc_main: Option<String>,
    renewals: u8,
    expiry_date: Option<NaiveDate>,
    updated_at: String,
    holders: Vec<HolderRow>,
    history: Vec<EventRow>,
    pledges: Vec<RightPledgeRow>,
    pledged: bool,
    valuations: Vec<RightValuationRow>,
    /// The calculator, with this right to record against.
    value_href: String,
    /// The automated valuation: patents only.
    avm: Option<AvmSection>,
}

impl RightView {
    fn new(
        right: Right,
        history: Vec<StatusEvent>,
        pledges: Vec<PledgeView>,
        valuations: Vec<StoredValuation>,
        avm: Option<AvmSection>,
    ) -> Self {
        let (pledges, pledged) = right_pledges::history(&right.number, pledges);
        RightView {
            pledges,
            pledged,
            avm,
            valuations: right_valuations::rows(valuations),
            value_href: format!(
                "/valuation?{}",
                serde_urlencoded::to_string([("right", right.number.as_str())]).unwrap_or_default()
            ),
            number: right.number,
            kind: right.kind.as_str(),
            is_patent: right.kind.is_patent(),
            title: right.title,
            filing_date: right.filing_date,
            grant_date: right.grant_date,
            legal_status: right.legal_status.as_str(),
            annual_fee_paid_until: right.annual_fee_paid_until,
            nice_class: right.nice_class,
            ipc_main: right.ipc_main,
            renewals: right.renewals,
            expiry_date: right.expiry_date,
            updated_at: local_time(right.updated_at),
            holders: right
                .holders
                .into_iter()
                .map(|holder| HolderRow {
                    href: holder.party_id.map(|id| format!("/parties/{id}")),
                    name: holder.name,
                    uscc: holder.uscc.map(|uscc| uscc.as_str().to_string()),
                    share: share_percent(holder.share_bp),
                })
                .collect(),
            history: history.into_iter().map(EventRow::from).collect(),
        }
    }
}

/// `GET /rights/{number}`: one right with its holders, legal-status and pledge history, the
/// valuations the user may see, and a patent's automated valuation (`?avm_purpose=`).
pub async fn get_right(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(number): PagePath<String>,
    PageQuery(query): PageQuery<AvmQuery>,
) -> Result<Response, PageError> {
    let (right, history) = state
        .app
        .right_history(&actor.principal, &number)
        .await
        .map_err(|error| frame.fail(error))?;
    let pledges = right_pledges::pledges_over(&state, &actor.principal, &right.number)
        .await
        .map_err(|error| frame.fail(error))?;
    let valuations = state
        .app
        .list_valuations(&actor.principal, &right.number)
        .await
        .map_err(|error| frame.fail(error))?;
    let avm = if right.kind.is_patent() {
        Some(avm::section(&state, &actor.principal, &right.number, &query, frame.lang).await)
    } else {
        None
    };
    let view = RightView::new(right, history, pledges, valuations, avm);
    frame.render("right.html", &view)
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use chrono::DateTime;
    use ipyun_domain::avm::Purpose;
    use ipyun_domain::id::Uscc;
    use ipyun_domain::right::Holder;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    pub fn right() -> Right {
        Right {
            id: 1,
            kind: RightKind::Invention,
            number: "202110123456.7".into(),
            title: "一种固态电池电解质及其制备方法 <script>".into(),
            filing_date: date("2021-03-15"),
            grant_date: Some(date("2023-01-10")),
            legal_status: LegalStatus::InForce,
            annual_fee_paid_until: Some(date("2025-03-14")),
            nice_class: None,
            ipc_main: Some("H01M 10/0562".into()),
            renewals: 0,
            expiry_date: Some(date("2041-03-14")),
            holders: vec![
                Holder {
                    name: "福州新能源科技有限公司".into(),
                    uscc: Uscc::parse("91350100M000100Y43").ok(),
                    party_id: Some(7),
                    share_bp: 6_667,
                },
                Holder {
                    name: "张三".into(),
                    uscc: None,
                    party_id: None,
                    share_bp: 3_333,
                },
            ],
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let filter = RightsFilter {
            kind: Some("invention".into()),
            legal_status: Some("in_force".into()),
            q: Some("电池".into()),
            holder: Some("7".into()),
            page: Some("2".into()),
            per_page: None,
        };
        let page = Page {
            items: vec![
                right(),
                Right {
                    holders: Vec::new(),
                    ..right()
                },
            ],
            page: 2,
            per_page: 20,
            total: 61,
        };
        let event = StatusEvent {
            status: LegalStatus::InForce,
            effective_date: date("2023-01-10"),
            note: "授权公告".into(),
            recorded_at: DateTime::UNIX_EPOCH,
            recorded_by: Some("examiner1".into()),
        };
        let trademark = Right {
            kind: RightKind::Trademark,
            number: "12345678".into(),
            nice_class: Some(9),
            renewals: 1,
            legal_status: LegalStatus::Preserved,
            ..right()
        };
        vec![
            (
                "rights.html",
                minijinja::Value::from_serialize(RightsView::new(&filter, page)),
            ),
            (
                "rights.html",
                minijinja::Value::from_serialize(RightsView::new(
                    &RightsFilter::default(),
                    Page {
                        items: Vec::new(),
                        page: 1,
                        per_page: 0,
                        total: 0,
                    },
                )),
            ),
            (
                "right.html",
                minijinja::Value::from_serialize(RightView::new(
                    right(),
                    vec![event],
                    vec![super::super::pledges::samples::pledge(true)],
                    super::super::right_valuations::samples::valuations(),
                    Some(AvmSection::new(
                        "202110123456.7",
                        Purpose::Licence,
                        Some(avm::AvmShown::new(
                            &avm::samples::valuation(Purpose::Licence),
                            ipyun_domain::account::Lang::ZhCn,
                        )),
                    )),
                )),
            ),
            (
                "right.html",
                minijinja::Value::from_serialize(RightView::new(
                    right(),
                    Vec::new(),
                    Vec::new(),
                    Vec::new(),
                    Some(AvmSection::new("202110123456.7", Purpose::Pledge, None)),
                )),
            ),
            (
                "right.html",
                minijinja::Value::from_serialize(RightView::new(
                    trademark,
                    Vec::new(),
                    Vec::new(),
                    Vec::new(),
                    None,
                )),
            ),
        ]
    }
}

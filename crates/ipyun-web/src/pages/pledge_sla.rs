//! `/pledge-sla`: how fast applications were decided (P3's service level), per office and per
//! lender, for a range of receipt dates. Offices, examiners and administrators see every row; a
//! lender sees its own.

use super::error::PageError;
use super::extract::{PageQuery, SignedIn};
use super::pledge_views::parse_date;
use super::views::share_percent;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ipyun_app::pledge::{PledgeSlaReport, SlaRow};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SlaForm {
    from: Option<String>,
    to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct RowView {
    kind: &'static str,
    name: String,
    href: Option<String>,
    received: u64,
    decided: u64,
    on_time: u64,
    on_time_share: Option<String>,
    median_minutes: Option<String>,
    p95_minutes: Option<i64>,
    open_overdue: u64,
}

impl From<SlaRow> for RowView {
    fn from(row: SlaRow) -> Self {
        RowView {
            kind: match row.kind {
                ipyun_app::pledge::SlaRowKind::Automatic => "automatic",
                ipyun_app::pledge::SlaRowKind::Office => "office",
                ipyun_app::pledge::SlaRowKind::Undecided => "undecided",
                ipyun_app::pledge::SlaRowKind::Lender => "lender",
            },
            name: row.name,
            href: row.party_id.map(|id| format!("/parties/{id}")),
            received: row.received,
            decided: row.decided,
            on_time: row.on_time,
            on_time_share: row.on_time_share_bp.map(share_percent),
            // Exact: a whole number of minutes, or one ending in .5.
            median_minutes: row.median_minutes.map(|minutes| format!("{minutes}")),
            p95_minutes: row.p95_minutes,
            open_overdue: row.open_overdue,
        }
    }
}

#[derive(Serialize)]
struct SlaView {
    from: String,
    to: String,
    today: String,
    offices: Vec<RowView>,
    lenders: Vec<RowView>,
    api_href: String,
}

impl SlaView {
    fn new(report: PledgeSlaReport) -> Self {
        SlaView {
            api_href: format!("/api/v1/pledge-sla?from={}&to={}", report.from, report.to),
            from: report.from.to_string(),
            to: report.to.to_string(),
            today: report.today.to_string(),
            offices: report.offices.into_iter().map(RowView::from).collect(),
            lenders: report.lenders.into_iter().map(RowView::from).collect(),
        }
    }
}

/// `GET /pledge-sla?from=&to=`: the report; a date that does not read answers `400`.
pub async fn sla_page(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageQuery(form): PageQuery<SlaForm>,
) -> Result<Response, PageError> {
    let date = |raw: &Option<String>| parse_date(raw.as_deref().unwrap_or_default());
    let (Ok(from), Ok(to)) = (date(&form.from), date(&form.to)) else {
        return Err(frame.fail(ApiError::new(
            StatusCode::BAD_REQUEST,
            "validation_failed",
            "dates are YYYY-MM-DD",
        )));
    };
    let report = state
        .app
        .pledge_sla(&actor.principal, from, to)
        .await
        .map_err(|error| frame.fail(error))?;
    frame.render("pledge_sla.html", &SlaView::new(report))
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use chrono::NaiveDate;
    use ipyun_app::pledge::SlaRowKind;

    fn row(kind: SlaRowKind, name: &str) -> SlaRow {
        SlaRow {
            kind,
            party_id: (kind != SlaRowKind::Automatic).then_some(3),
            name: name.into(),
            received: 4,
            decided: 3,
            on_time: 2,
            on_time_share_bp: Some(6_667),
            median_minutes: Some(90.5),
            p95_minutes: Some(1_830),
            open_overdue: 1,
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        let report = PledgeSlaReport {
            from: day(1),
            to: day(30),
            today: day(26),
            offices: vec![
                row(SlaRowKind::Automatic, "自动登记 / automatic"),
                row(SlaRowKind::Office, "江苏省知识产权局 <script>"),
                row(SlaRowKind::Undecided, "未决定 / undecided"),
            ],
            lenders: vec![row(SlaRowKind::Lender, "测试银行苏州分行")],
        };
        let empty = PledgeSlaReport {
            offices: Vec::new(),
            lenders: Vec::new(),
            ..report.clone()
        };
        vec![
            (
                "pledge_sla.html",
                minijinja::Value::from_serialize(SlaView::new(report)),
            ),
            (
                "pledge_sla.html",
                minijinja::Value::from_serialize(SlaView::new(empty)),
            ),
        ]
    }
}

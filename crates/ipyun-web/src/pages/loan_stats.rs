//! `/loan-stats?by=&period=&year=` (signed in): the NPL ratio (不良贷款率) of the loans the viewer
//! may see at the end of a period, grouped by lender, park or province, and the implementation
//! rate of pledged patents for a year, grouped the same way. Roles the app refuses (enterprises
//! among them) get its 403 as the error page; a period or year that does not read, the 400 page.

use super::error::PageError;
use super::extract::{PageQuery, SignedIn};
use super::loan_views::{bp_percent, party_href, wire_name};
use super::pledge_views::yuan;
use super::views::given;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ipyun_app::loans::{
    ImplementationQuery, ImplementationRateRow, ImplementationReport, NplGrouping, NplQuery,
    NplReport, NplRow,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatsForm {
    by: Option<String>,
    period: Option<String>,
    year: Option<String>,
}

/// `lender`, `park` or `region`; anything else means the default, by lender.
fn grouping(raw: &Option<String>) -> NplGrouping {
    match given(raw).as_deref() {
        Some("park") => NplGrouping::Park,
        Some("region") => NplGrouping::Region,
        _ => NplGrouping::Lender,
    }
}

/// A group's label: its name, a link to the lender or park, or the key of "no park" / "unknown
/// region" / "total".
#[derive(Debug, Clone, Serialize)]
struct GroupCell {
    name: String,
    href: Option<String>,
    label_key: Option<&'static str>,
}

fn group_cell(by: NplGrouping, key: &str, name: &str) -> GroupCell {
    let label_key = match (key, by) {
        ("total", _) => Some("loan-stats-total"),
        ("none", NplGrouping::Park) => Some("loan-stats-no-park"),
        ("none", _) => Some("loan-stats-unknown-region"),
        _ => None,
    };
    let href = match by {
        NplGrouping::Lender | NplGrouping::Park if label_key.is_none() => {
            key.parse::<i64>().ok().map(party_href)
        }
        _ => None,
    };
    GroupCell {
        name: name.to_string(),
        href,
        label_key,
    }
}

#[derive(Debug, Clone, Serialize)]
struct NplRowView {
    group: GroupCell,
    loans: u64,
    balance: String,
    normal: String,
    special_mention: String,
    substandard: String,
    doubtful: String,
    loss: String,
    npl: String,
    ratio: Option<String>,
}

impl NplRowView {
    fn new(by: NplGrouping, row: &NplRow) -> Self {
        NplRowView {
            group: group_cell(by, &row.key, &row.name),
            loans: row.loans,
            balance: yuan(row.balance_fen),
            normal: yuan(row.normal_fen),
            special_mention: yuan(row.special_mention_fen),
            substandard: yuan(row.substandard_fen),
            doubtful: yuan(row.doubtful_fen),
            loss: yuan(row.loss_fen),
            npl: yuan(row.npl_fen),
            ratio: row.npl_ratio_bp.map(bp_percent),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct ImplementationRowView {
    group: GroupCell,
    pledged: u64,
    declared: u64,
    implemented: u64,
    rate: Option<String>,
    coverage: Option<String>,
}

fn bp_u64(bp: u64) -> String {
    bp_percent(i64::try_from(bp).unwrap_or(i64::MAX))
}

impl ImplementationRowView {
    fn new(by: NplGrouping, row: &ImplementationRateRow) -> Self {
        ImplementationRowView {
            group: group_cell(by, &row.key, &row.name),
            pledged: row.pledged,
            declared: row.declared,
            implemented: row.implemented,
            rate: row.rate_bp.map(bp_u64),
            coverage: row.coverage_bp.map(bp_u64),
        }
    }
}

#[derive(Serialize)]
struct StatsView {
    by: String,
    groupings: Vec<String>,
    period: String,
    as_of: String,
    year: i32,
    npl_rows: Vec<NplRowView>,
    npl_total: NplRowView,
    implementation_rows: Vec<ImplementationRowView>,
    implementation_total: ImplementationRowView,
}

impl StatsView {
    fn new(npl: &NplReport, implementation: &ImplementationReport) -> Self {
        let by = npl.by;
        StatsView {
            by: wire_name(&by),
            groupings: [NplGrouping::Lender, NplGrouping::Park, NplGrouping::Region]
                .iter()
                .map(wire_name)
                .collect(),
            period: npl.period.clone(),
            as_of: npl.as_of.to_string(),
            year: implementation.year,
            npl_rows: npl
                .rows
                .iter()
                .map(|row| NplRowView::new(by, row))
                .collect(),
            npl_total: NplRowView::new(by, &npl.total),
            implementation_rows: implementation
                .rows
                .iter()
                .map(|row| ImplementationRowView::new(by, row))
                .collect(),
            implementation_total: ImplementationRowView::new(by, &implementation.total),
        }
    }
}

/// `GET /loan-stats`.
pub async fn stats_page(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageQuery(form): PageQuery<StatsForm>,
) -> Result<Response, PageError> {
    let by = grouping(&form.by);
    let year = match given(&form.year) {
        None => None,
        Some(text) => match text.parse::<i32>() {
            Ok(year) => Some(year),
            Err(_) => {
                return Err(frame.fail(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "validation_failed",
                    "a year is four digits",
                )));
            }
        },
    };
    let principal = &actor.principal;
    let npl = state
        .app
        .npl_report(
            principal,
            &NplQuery {
                by: Some(by),
                period: given(&form.period),
            },
        )
        .await
        .map_err(|error| frame.fail(error))?;
    let implementation = state
        .app
        .implementation_report(principal, &ImplementationQuery { year, by: Some(by) })
        .await
        .map_err(|error| frame.fail(error))?;
    frame.render("loan_stats.html", &StatsView::new(&npl, &implementation))
}

#[cfg(test)]
pub(super) mod samples {
    use super::super::loan_views::samples::day;
    use super::*;

    fn npl_row(key: &str, name: &str) -> NplRow {
        NplRow {
            key: key.into(),
            name: name.into(),
            loans: 3,
            balance_fen: 300_000_000,
            normal_fen: 100_000_000,
            special_mention_fen: 50_000_000,
            substandard_fen: 50_000_000,
            doubtful_fen: 50_000_000,
            loss_fen: 50_000_000,
            npl_fen: 150_000_000,
            npl_ratio_bp: Some(5_000),
        }
    }

    fn rate_row(key: &str, name: &str) -> ImplementationRateRow {
        ImplementationRateRow {
            key: key.into(),
            name: name.into(),
            pledged: 3,
            declared: 2,
            implemented: 1,
            rate_bp: Some(5_000),
            coverage_bp: Some(6_667),
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let npl = NplReport {
            by: NplGrouping::Park,
            period: "2027-Q1".into(),
            as_of: day("2027-03-31"),
            rows: vec![
                npl_row("5", "苏州工业园区 <script>"),
                npl_row("none", "outside any park"),
            ],
            total: npl_row("total", "total"),
        };
        let implementation = ImplementationReport {
            year: 2026,
            by: NplGrouping::Park,
            rows: vec![rate_row("5", "苏州工业园区")],
            total: ImplementationRateRow {
                rate_bp: None,
                coverage_bp: None,
                ..rate_row("total", "total")
            },
        };
        let empty = NplReport {
            rows: Vec::new(),
            ..npl.clone()
        };
        vec![
            (
                "loan_stats.html",
                minijinja::Value::from_serialize(StatsView::new(&npl, &implementation)),
            ),
            (
                "loan_stats.html",
                minijinja::Value::from_serialize(StatsView::new(&empty, &implementation)),
            ),
        ]
    }

    #[test]
    fn groups_link_to_their_party_and_name_the_rest() {
        let lender = group_cell(NplGrouping::Lender, "2", "测试银行");
        assert_eq!(lender.href.as_deref(), Some("/parties/2"));
        let no_park = group_cell(NplGrouping::Park, "none", "outside any park");
        assert_eq!(
            (no_park.href, no_park.label_key),
            (None, Some("loan-stats-no-park"))
        );
        let province = group_cell(NplGrouping::Region, "320000", "江苏省");
        assert_eq!((province.href, province.label_key), (None, None));
        assert_eq!(grouping(&Some("region".into())), NplGrouping::Region);
        assert_eq!(grouping(&Some("nonsense".into())), NplGrouping::Lender);
    }
}

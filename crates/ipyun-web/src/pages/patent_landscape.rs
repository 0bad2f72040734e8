//! `/patents/landscape` (public): the patent-navigation report of a query — filings per year,
//! IPC subclasses, top applicants with their growth, new entrants, provinces, the legal-status
//! mix, co-applicant pairs and the share of grants — as charts with their tables beside them,
//! and the same report as an XLSX workbook.

use super::charts::{self, Bar};
use super::error::PageError;
use super::extract::{PageQuery, PageVisitor};
use super::patent_search::{QueryFault, narrowed, search_href};
use super::views::share_percent;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use chrono::NaiveDate;
use ipyun_app::ErrorKind;
use ipyun_app::patents::{KeyCount, Landscape};
use minijinja::Value;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LandscapeForm {
    q: Option<String>,
}

/// A share in basis points of `whole`, rounded half up (integers), for `share_percent`.
fn share_bp(part: u64, whole: u64) -> u32 {
    if whole == 0 {
        return 0;
    }
    let (part, whole) = (u128::from(part), u128::from(whole));
    u32::try_from((part * 20_000 + whole) / (2 * whole)).unwrap_or(10_000)
}

/// Year-on-year growth as a signed percentage with one decimal, from the two counts (exact);
/// `None` when the year before had no filing.
pub fn growth_percent(last_year: u64, year_before: u64) -> Option<String> {
    if year_before == 0 {
        return None;
    }
    let change = i128::from(last_year) - i128::from(year_before);
    // Tenths of a percent, rounded half away from zero.
    let scaled = change * 1000;
    let divisor = i128::from(year_before);
    let tenths = (scaled.abs() * 2 + divisor) / (2 * divisor) * scaled.signum();
    let sign = if tenths > 0 {
        "+"
    } else if tenths < 0 {
        "−"
    } else {
        ""
    };
    Some(format!(
        "{sign}{}.{}%",
        tenths.abs() / 10,
        tenths.abs() % 10
    ))
}

#[derive(Debug, Clone, Serialize)]
struct KeyRow {
    key: String,
    label: String,
    count: u64,
    share: String,
    href: String,
}

#[derive(Debug, Clone, Serialize)]
struct ApplicantRow {
    name: String,
    total: u64,
    last_year: u64,
    year_before: u64,
    growth: Option<String>,
    rising: bool,
    href: String,
}

#[derive(Debug, Clone, Serialize)]
struct EntrantRow {
    name: String,
    first_filing: NaiveDate,
    total: u64,
    href: String,
}

#[derive(Debug, Clone, Serialize)]
struct PairRow {
    first: String,
    second: String,
    count: u64,
    href: String,
}

#[derive(Debug, Clone, Serialize)]
struct YearRow {
    year: i32,
    count: u64,
    href: String,
}

#[derive(Debug, Clone, Serialize)]
struct ReportView {
    total: u64,
    granted: u64,
    grant_share: String,
    applicant_count: u64,
    new_entrant_count: u64,
    as_of: NaiveDate,
    last_full_year: i32,
    years: Vec<YearRow>,
    years_chart: Value,
    subclasses: Vec<KeyRow>,
    subclasses_chart: Value,
    applicants: Vec<ApplicantRow>,
    applicants_chart: Value,
    new_entrants: Vec<EntrantRow>,
    provinces: Vec<KeyRow>,
    provinces_chart: Value,
    legal_status: Vec<KeyRow>,
    pairs: Vec<PairRow>,
}

/// The search for the query narrowed by `filter` (the query itself if it has the filter already).
fn and(q: &str, filter: &str) -> String {
    search_href(
        &narrowed(q, filter).unwrap_or_else(|| q.trim().to_owned()),
        None,
    )
}

fn applicant_filter(name: &str) -> String {
    format!("applicant:\"{}\"", name.replace('"', ""))
}

fn key_rows(q: &str, counts: &[KeyCount], total: u64, filter: &str, labelled: bool) -> Vec<KeyRow> {
    counts
        .iter()
        .map(|count| KeyRow {
            label: match (&count.label, labelled) {
                (Some(label), true) => label.clone(),
                _ => count.key.clone(),
            },
            key: count.key.clone(),
            count: count.count,
            share: share_percent(share_bp(count.count, total)),
            href: and(q, &format!("{filter}:{}", count.key)),
        })
        .collect()
}

/// Chart titles, translated by the caller.
pub struct ChartTitles {
    pub years: String,
    pub subclasses: String,
    pub applicants: String,
    pub provinces: String,
}

fn report(q: &str, landscape: Landscape, titles: &ChartTitles) -> ReportView {
    let total = landscape.total;
    let years: Vec<YearRow> = landscape
        .filings_per_year
        .iter()
        .map(|year| YearRow {
            year: year.year,
            count: year.count,
            href: and(q, &format!("filed:{}", year.year)),
        })
        .collect();
    let year_bars: Vec<Bar> = years
        .iter()
        .map(|year| Bar::new(year.year.to_string(), year.count))
        .collect();
    let subclasses = key_rows(q, &landscape.ipc_subclasses, total, "ipc", false);
    let provinces = key_rows(q, &landscape.provinces, total, "region", true);
    let bars_of = |rows: &[KeyRow]| -> Vec<Bar> {
        rows.iter()
            .take(15)
            .map(|row| Bar::new(row.label.clone(), row.count))
            .collect()
    };
    let applicants: Vec<ApplicantRow> = landscape
        .top_applicants
        .iter()
        .map(|applicant| ApplicantRow {
            name: applicant.name.clone(),
            total: applicant.total,
            last_year: applicant.last_year,
            year_before: applicant.year_before,
            growth: growth_percent(applicant.last_year, applicant.year_before),
            rising: applicant.last_year > applicant.year_before,
            href: and(q, &applicant_filter(&applicant.name)),
        })
        .collect();
    let applicant_bars: Vec<Bar> = applicants
        .iter()
        .take(15)
        .map(|row| Bar::new(row.name.clone(), row.total))
        .collect();
    ReportView {
        total,
        granted: landscape.granted,
        grant_share: share_percent(share_bp(landscape.granted, total)),
        applicant_count: landscape.applicant_count,
        new_entrant_count: landscape.new_entrant_count,
        as_of: landscape.as_of,
        last_full_year: landscape.last_full_year,
        years_chart: Value::from_safe_string(charts::columns(&titles.years, &year_bars)),
        years,
        subclasses_chart: Value::from_safe_string(charts::rows(
            &titles.subclasses,
            &bars_of(&subclasses),
        )),
        subclasses,
        applicants_chart: Value::from_safe_string(charts::rows(
            &titles.applicants,
            &applicant_bars,
        )),
        applicants,
        new_entrants: landscape
            .new_entrants
            .iter()
            .map(|entrant| EntrantRow {
                name: entrant.name.clone(),
                first_filing: entrant.first_filing,
                total: entrant.total,
                href: and(q, &applicant_filter(&entrant.name)),
            })
            .collect(),
        provinces_chart: Value::from_safe_string(charts::rows(
            &titles.provinces,
            &bars_of(&provinces),
        )),
        provinces,
        legal_status: key_rows(q, &landscape.legal_status, total, "status", false),
        pairs: landscape
            .co_applicants
            .iter()
            .map(|pair| PairRow {
                first: pair.first.clone(),
                second: pair.second.clone(),
                count: pair.count,
                href: and(
                    q,
                    &format!(
                        "{} {}",
                        applicant_filter(&pair.first),
                        applicant_filter(&pair.second)
                    ),
                ),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize)]
struct LandscapeView {
    q: String,
    asked: bool,
    fault: Option<QueryFault>,
    report: Option<ReportView>,
    search_href: String,
    xlsx_href: String,
}

/// `GET /patents/landscape`: the form, and the report when asked.
pub async fn landscape_page(
    State(state): State<AppState>,
    visitor: PageVisitor,
    uri: Uri,
    PageQuery(form): PageQuery<LandscapeForm>,
) -> Result<Response, PageError> {
    let frame = visitor.frame(&state, &uri);
    let q = form.q.unwrap_or_default();
    let encoded = serde_urlencoded::to_string([("q", q.as_str())]).unwrap_or_default();
    let mut view = LandscapeView {
        asked: !q.trim().is_empty(),
        fault: None,
        report: None,
        search_href: search_href(&q, None),
        xlsx_href: format!("/api/v1/patents/landscape.xlsx?{encoded}"),
        q,
    };
    if !view.asked {
        return frame.render("patent_landscape.html", &view);
    }
    let principal = visitor.actor.as_ref().map(|actor| &actor.principal);
    match state.app.patent_landscape(principal, &view.q).await {
        Ok(landscape) => {
            let titles = ChartTitles {
                years: frame.text("landscape-years"),
                subclasses: frame.text("landscape-subclasses"),
                applicants: frame.text("landscape-applicants"),
                provinces: frame.text("landscape-provinces"),
            };
            view.report = Some(report(&view.q, landscape, &titles));
            frame.render("patent_landscape.html", &view)
        }
        Err(error) if error.kind == ErrorKind::BadRequest => {
            view.fault = Some(QueryFault::of(&view.q, &error));
            frame.render_with_status(StatusCode::BAD_REQUEST, "patent_landscape.html", &view)
        }
        Err(error) => Err(frame.fail(error)),
    }
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use ipyun_search::{ApplicantPair, ApplicantTrend, NewEntrant, YearCount};

    pub fn landscape() -> Landscape {
        let year = |year: i32, count: u64| YearCount { year, count };
        let key = |key: &str, label: Option<&str>, count: u64| KeyCount {
            key: key.into(),
            label: label.map(str::to_string),
            count,
        };
        Landscape {
            total: 3,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
            last_full_year: 2025,
            filings_per_year: vec![year(2024, 1), year(2025, 2)],
            ipc_subclasses: vec![key("H01M", None, 3)],
            applicant_count: 2,
            top_applicants: vec![ApplicantTrend {
                name: "甲公司<script>".into(),
                total: 3,
                per_year: vec![year(2024, 1), year(2025, 2)],
                last_year: 2,
                year_before: 1,
                growth: Some(1.0),
            }],
            new_entrant_count: 1,
            new_entrants: vec![NewEntrant {
                name: "乙大学".into(),
                first_filing: NaiveDate::from_ymd_opt(2025, 4, 1).unwrap_or_default(),
                total: 1,
            }],
            provinces: vec![key("32", Some("江苏省"), 3)],
            legal_status: vec![key("in_force", None, 2), key("not_yet_granted", None, 1)],
            co_applicants: vec![ApplicantPair {
                first: "甲公司<script>".into(),
                second: "乙大学".into(),
                count: 1,
            }],
            granted: 2,
            grant_share: 2.0 / 3.0,
        }
    }

    pub fn views() -> Vec<(&'static str, Value)> {
        let titles = ChartTitles {
            years: "years".into(),
            subclasses: "subclasses".into(),
            applicants: "applicants".into(),
            provinces: "provinces".into(),
        };
        let found = LandscapeView {
            q: "锂电池".into(),
            asked: true,
            fault: None,
            report: Some(report("锂电池", landscape(), &titles)),
            search_href: search_href("锂电池", None),
            xlsx_href: "/api/v1/patents/landscape.xlsx?q=x".into(),
        };
        let blank = LandscapeView {
            q: String::new(),
            asked: false,
            fault: None,
            report: None,
            search_href: "/patents?q=".into(),
            xlsx_href: "/api/v1/patents/landscape.xlsx?q=".into(),
        };
        vec![
            ("patent_landscape.html", Value::from_serialize(&found)),
            ("patent_landscape.html", Value::from_serialize(&blank)),
        ]
    }

    #[test]
    fn growth_and_shares_are_exact() {
        assert_eq!(growth_percent(2, 1).as_deref(), Some("+100.0%"));
        assert_eq!(growth_percent(1, 3).as_deref(), Some("−66.7%"));
        assert_eq!(growth_percent(5, 5).as_deref(), Some("0.0%"));
        assert_eq!(growth_percent(3, 0), None);
        assert_eq!(share_percent(share_bp(2, 3)), "66.67%");
        assert_eq!(share_bp(1, 0), 0);
    }

    #[test]
    fn rows_link_back_to_the_narrowed_search() {
        let view = report(
            "锂电池",
            landscape(),
            &ChartTitles {
                years: "y".into(),
                subclasses: "s".into(),
                applicants: "a".into(),
                provinces: "p".into(),
            },
        );
        assert_eq!(view.years[1].href, search_href("锂电池 filed:2025", None));
        assert_eq!(view.provinces[0].label, "江苏省");
        assert_eq!(
            view.applicants[0].href,
            search_href("锂电池 applicant:\"甲公司<script>\"", None)
        );
        assert_eq!(view.applicants[0].growth.as_deref(), Some("+100.0%"));
        assert_eq!(view.grant_share, "66.67%");
    }
}

//! `/royalty-rates` (public): the royalty-rate table in force by GB/T 4754 industry, a banner
//! while it is the reference table shipped with ipyun, and licence-fee guidance: an industry or
//! an IPC symbol and annual sales in yuan (read exactly as fen) give the fee range in yuan.

use super::error::PageError;
use super::extract::{PageQuery, PageVisitor};
use super::pledge_views::{parse_yuan, yuan};
use super::valuation_actions::GuidanceView;
use super::views::{given, share_percent};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use chrono::NaiveDate;
use ipyun_app::ErrorKind;
use ipyun_app::royalty::{GuidanceQuery, RoyaltyGuidance};
use ipyun_domain::account::Lang;
use ipyun_domain::id::IndustryCode;
use ipyun_domain::royalty::RoyaltyRange;
use serde::{Deserialize, Serialize};

/// The guidance form as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct GuidanceForm {
    industry: Option<String>,
    ipc: Option<String>,
    revenue_yuan: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct RateRow {
    industry: String,
    industry_name: String,
    low: String,
    mid: String,
    high: String,
    samples: Option<u32>,
    source: String,
    published_on: NaiveDate,
    /// The calculator with the look-up prefilled for this industry.
    calculator_href: String,
}

/// An industry's name in English when `english` and known, else in Chinese; empty when unknown.
fn industry_name_in(code: &str, english: bool) -> String {
    IndustryCode::parse(code)
        .map(|industry| industry.name_in(english).to_string())
        .unwrap_or_default()
}

impl RateRow {
    fn new(range: RoyaltyRange, english: bool) -> Self {
        RateRow {
            industry_name: industry_name_in(&range.industry, english),
            calculator_href: format!(
                "/valuation?{}",
                serde_urlencoded::to_string([("industry", range.industry.as_str())])
                    .unwrap_or_default()
            ),
            industry: range.industry,
            low: share_percent(range.low_bp),
            mid: share_percent(range.mid_bp),
            high: share_percent(range.high_bp),
            samples: Some(range.samples).filter(|samples| *samples > 0),
            source: range.source,
            published_on: range.published_on,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct FeeView {
    revenue: String,
    low: String,
    mid: String,
    high: String,
}

#[derive(Serialize)]
struct RatesView {
    reference_only: bool,
    rows: Vec<RateRow>,
    industry: String,
    ipc: String,
    revenue_yuan: String,
    guidance: Option<GuidanceView>,
    fee: Option<FeeView>,
    /// Fluent key of the guidance's failure, if any.
    error_key: Option<String>,
    signed_in: bool,
}

/// A guidance failure's Fluent key and the status it answers with.
fn failure(code: &str, status: StatusCode) -> (Option<String>, StatusCode) {
    (
        Some(format!("valuation-error-{}", code.replace('.', "-"))),
        status,
    )
}

fn fee_of(guidance: &RoyaltyGuidance) -> Option<FeeView> {
    guidance.fee.as_ref().map(|fee| FeeView {
        revenue: yuan(fee.revenue_fen),
        low: yuan(fee.low_fen),
        mid: yuan(fee.mid_fen),
        high: yuan(fee.high_fen),
    })
}

/// `GET /royalty-rates`: the table and, when asked, the guidance.
pub async fn royalty_rates(
    State(state): State<AppState>,
    visitor: PageVisitor,
    uri: Uri,
    PageQuery(form): PageQuery<GuidanceForm>,
) -> Result<Response, PageError> {
    let frame = visitor.frame(&state, &uri);
    let english = frame.lang == Lang::En;
    let table = state
        .app
        .royalty_table()
        .await
        .map_err(|error| frame.fail(error))?;
    let (industry, ipc) = (given(&form.industry), given(&form.ipc));
    let revenue = given(&form.revenue_yuan);
    let (mut guidance, mut fee) = (None, None);
    let (mut error_key, mut status) = (None, StatusCode::OK);
    let asked = industry.is_some() || ipc.is_some() || revenue.is_some();
    match parse_yuan(revenue.as_deref().unwrap_or_default()) {
        Err(code) => (error_key, status) = failure(code, StatusCode::BAD_REQUEST),
        Ok(_) if industry.is_none() && ipc.is_none() && asked => {
            (error_key, status) = failure("royalty.no_question", StatusCode::BAD_REQUEST);
        }
        Ok(revenue_fen) if asked => {
            let query = GuidanceQuery {
                industry: industry.clone(),
                ipc: ipc.clone(),
                number: None,
                revenue_fen,
            };
            let principal = visitor.actor.as_ref().map(|actor| &actor.principal);
            match state.app.royalty_guidance(principal, &query).await {
                Ok(found) => {
                    fee = fee_of(&found);
                    let mut view = GuidanceView::from(&found);
                    view.industry_name = industry_name_in(&view.industry, english);
                    view.range_industry_name = industry_name_in(&view.range_industry, english);
                    guidance = Some(view);
                }
                Err(error) if error.kind == ErrorKind::BadRequest => {
                    (error_key, status) = failure(error.code, StatusCode::BAD_REQUEST);
                }
                Err(error) if error.kind == ErrorKind::NotFound => {
                    (error_key, status) = failure(error.code, StatusCode::OK);
                }
                Err(error) => return Err(frame.fail(error)),
            }
        }
        Ok(_) => {}
    }
    let view = RatesView {
        reference_only: table.reference_only,
        rows: table
            .ranges
            .into_iter()
            .map(|range| RateRow::new(range, english))
            .collect(),
        industry: industry.unwrap_or_default(),
        ipc: ipc.unwrap_or_default(),
        revenue_yuan: revenue.unwrap_or_default(),
        guidance,
        fee,
        error_key: error_key
            .filter(|key| frame.has_text(key))
            .or_else(|| (status != StatusCode::OK).then(|| "form-error-invalid".to_string())),
        signed_in: visitor.actor.is_some(),
    };
    frame.render_with_status(status, "royalty_rates.html", &view)
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use ipyun_domain::royalty::seed_table;

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let rows: Vec<RateRow> = seed_table()
            .iter()
            .cloned()
            .map(|range| RateRow::new(range, false))
            .collect();
        let guidance = GuidanceView {
            industry: "C3971".into(),
            industry_name: industry_name_in("C3971", false),
            basis: "ipc".into(),
            range_industry: "C39".into(),
            range_industry_name: industry_name_in("C39", false),
            low: share_percent(400),
            mid: share_percent(475),
            high: share_percent(550),
            reference_only: true,
        };
        let found = RatesView {
            reference_only: true,
            rows: rows.clone(),
            industry: String::new(),
            ipc: "H01L 21/56".into(),
            revenue_yuan: "12,345,678.91".into(),
            guidance: Some(guidance),
            fee: Some(FeeView {
                revenue: yuan(1_234_567_891),
                low: yuan(49_382_716),
                mid: yuan(58_641_975),
                high: yuan(67_901_234),
            }),
            error_key: None,
            signed_in: false,
        };
        let failed = RatesView {
            reference_only: false,
            rows,
            industry: "Z99 <script>".into(),
            ipc: String::new(),
            revenue_yuan: String::new(),
            guidance: None,
            fee: None,
            error_key: Some("valuation-error-royalty-bad_industry".into()),
            signed_in: true,
        };
        [found, failed]
            .into_iter()
            .map(|view| ("royalty_rates.html", minijinja::Value::from_serialize(view)))
            .collect()
    }
}

//! What the calculator's submissions do besides valuing: look up the royalty rate (the guidance's
//! mid-point, basis points to percent exactly) and record the valuation, each fault put on the
//! form field it concerns.

use super::valuation_faults::{At, Faults, Sources, map_domain_faults};
use super::valuation_form::ValuationForm;
use super::valuation_result::{money, percent};
use super::views::{industry_name, path_segment, share_percent};
use crate::state::AppState;
use ipyun_app::royalty::{GuidanceQuery, RoyaltyGuidance};
use ipyun_app::valuations::{StoredValuation, ValuationRequest};
use ipyun_app::{AppError, ErrorKind, Principal};
use ipyun_domain::valuation::{Decimal, ValuationInputs, ValuationPurpose};
use serde::Serialize;

/// The royalty guidance a look-up found.
#[derive(Debug, Clone, Serialize)]
pub(super) struct GuidanceView {
    pub industry: String,
    pub industry_name: String,
    pub basis: String,
    pub range_industry: String,
    pub range_industry_name: String,
    pub low: String,
    pub mid: String,
    pub high: String,
    pub reference_only: bool,
}

impl From<&RoyaltyGuidance> for GuidanceView {
    fn from(guidance: &RoyaltyGuidance) -> Self {
        GuidanceView {
            industry: guidance.industry.clone(),
            industry_name: guidance.industry_name.clone(),
            basis: guidance.basis.clone(),
            range_industry_name: industry_name(&guidance.range.industry),
            range_industry: guidance.range.industry.clone(),
            low: share_percent(guidance.range.low_bp),
            mid: share_percent(guidance.range.mid_bp),
            high: share_percent(guidance.range.high_bp),
            reference_only: guidance.reference_only,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct RecordedView {
    pub id: i64,
    pub value: String,
    pub right_number: Option<String>,
    pub right_href: Option<String>,
}

impl From<StoredValuation> for RecordedView {
    fn from(stored: StoredValuation) -> Self {
        RecordedView {
            id: stored.id,
            value: money(stored.record.value_yuan),
            right_href: stored
                .right_number
                .as_deref()
                .map(|number| format!("/rights/{}#valuations", path_segment(number))),
            right_number: stored.right_number,
        }
    }
}

/// A royalty range's mid-point (basis points) as the percentage typed in the form: 475 → `4.75`.
pub(super) fn mid_percent(mid_bp: u32) -> String {
    percent(Decimal::new(i64::from(mid_bp), 2))
}

fn purpose_of(code: &str) -> ValuationPurpose {
    match code {
        "licence" => ValuationPurpose::Licence,
        "transfer" => ValuationPurpose::Transfer,
        "reporting" => ValuationPurpose::Reporting,
        _ => ValuationPurpose::Pledge,
    }
}

pub(super) fn fault_code(error: &AppError) -> String {
    error.code.replace('.', "-")
}

/// The look-up: prefills the royalty rate with the guidance's mid-point.
pub(super) async fn lookup(
    state: &AppState,
    principal: &Principal,
    form: &mut ValuationForm,
    faults: &mut Faults,
) -> Result<Option<GuidanceView>, AppError> {
    let given = |text: &str| Some(text.trim().to_string()).filter(|text| !text.is_empty());
    let query = GuidanceQuery {
        industry: given(&form.lookup_industry),
        ipc: given(&form.lookup_ipc),
        number: given(&form.lookup_number),
        revenue_fen: None,
    };
    match state.app.royalty_guidance(Some(principal), &query).await {
        Ok(guidance) => {
            form.royalty_rate_pct = mid_percent(guidance.range.mid_bp);
            Ok(Some(GuidanceView::from(&guidance)))
        }
        Err(error) if matches!(error.kind, ErrorKind::BadRequest | ErrorKind::NotFound) => {
            faults.add("lookup", &fault_code(&error), "lookup", At::default());
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// Records the valuation; its faults land on the form. `None` when it was not recorded.
pub(super) async fn record(
    state: &AppState,
    principal: &Principal,
    form: &ValuationForm,
    inputs: ValuationInputs,
    sources: &Sources,
    faults: &mut Faults,
) -> Result<Option<RecordedView>, AppError> {
    let number = form.right_number.trim();
    let request = ValuationRequest {
        purpose: purpose_of(&form.purpose),
        right_number: Some(number.to_string()).filter(|number| !number.is_empty()),
        appraiser_id: None,
        inputs,
    };
    match state.app.record_valuation(principal, &request).await {
        Ok(stored) => Ok(Some(RecordedView::from(stored))),
        Err(error) if error.kind == ErrorKind::BadRequest && !error.details.is_empty() => {
            map_domain_faults(&error.details, sources, faults);
            Ok(None)
        }
        Err(error) if error.code == "right.not_found" => {
            faults.add("right_number", "right-not_found", "right", At::default());
            Ok(None)
        }
        Err(error) if matches!(error.kind, ErrorKind::BadRequest | ErrorKind::Conflict) => {
            faults.add("form", &fault_code(&error), "form", At::default());
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::mid_percent;

    #[test]
    fn the_mid_point_is_the_exact_percentage() {
        assert_eq!(mid_percent(475), "4.75");
        assert_eq!(mid_percent(500), "5");
        assert_eq!(mid_percent(1), "0.01");
        assert_eq!(mid_percent(1250), "12.5");
    }
}

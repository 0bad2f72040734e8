//! `/valuation`: the valuation calculator for signed-in users. One form per method (tabs as
//! links); a POST values with the method and shows the working, or — with "record this
//! valuation" — records it (purpose, optionally a right of the register) and links to the right.
//! The relief-from-royalty form can look up the royalty rate (by industry, IPC or right) and
//! prefill it with the guidance's mid-point.

use super::error::PageError;
use super::extract::{PageForm, PageQuery, SignedIn};
use super::frame::PageFrame;
use super::valuation_actions::{GuidanceView, RecordedView, fault_code, lookup, record};
use super::valuation_faults::{At, Faults, map_domain_faults};
use super::valuation_form::{COST_BASES, METHODS, PRICE_KINDS, PURPOSES, ValuationForm, method_of};
use super::valuation_result::ResultView;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ipyun_app::ErrorKind;
use serde::{Deserialize, Serialize};

/// `GET /valuation`'s query: the tab, and a right to value (prefills the record and the look-up).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CalculatorQuery {
    method: Option<String>,
    right: Option<String>,
    industry: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct MethodTab {
    code: &'static str,
    href: String,
    active: bool,
}

#[derive(Serialize)]
struct CalculatorView {
    tabs: Vec<MethodTab>,
    method: &'static str,
    form: ValuationForm,
    faults: Faults,
    has_faults: bool,
    purposes: [&'static str; 4],
    price_kinds: [&'static str; 2],
    cost_bases: [&'static str; 2],
    guidance: Option<GuidanceView>,
    result: Option<ResultView>,
    recorded: Option<RecordedView>,
}

/// What a submission led to, besides the form itself.
#[derive(Default)]
struct Outcome {
    guidance: Option<GuidanceView>,
    result: Option<ResultView>,
    recorded: Option<RecordedView>,
}

fn tabs(form: &ValuationForm) -> Vec<MethodTab> {
    METHODS
        .iter()
        .map(|method| {
            let mut pairs = vec![("method", method.code())];
            if !form.right_number.trim().is_empty() {
                pairs.push(("right", form.right_number.trim()));
            }
            MethodTab {
                code: method.code(),
                href: format!(
                    "/valuation?{}",
                    serde_urlencoded::to_string(&pairs).unwrap_or_default()
                ),
                active: *method == form.method,
            }
        })
        .collect()
}

fn render(
    frame: &PageFrame,
    status: StatusCode,
    form: ValuationForm,
    mut faults: Faults,
    outcome: Outcome,
) -> Result<Response, PageError> {
    faults.settle(|key| frame.has_text(key));
    let view = CalculatorView {
        tabs: tabs(&form),
        method: form.method.code(),
        has_faults: !faults.is_empty(),
        form,
        faults,
        purposes: PURPOSES,
        price_kinds: PRICE_KINDS,
        cost_bases: COST_BASES,
        guidance: outcome.guidance,
        result: outcome.result,
        recorded: outcome.recorded,
    };
    frame.render_with_status(status, "valuation.html", &view)
}

/// `GET /valuation`: the calculator, on the tab asked for.
pub async fn calculator(
    SignedIn { frame, .. }: SignedIn,
    PageQuery(query): PageQuery<CalculatorQuery>,
) -> Result<Response, PageError> {
    let mut form = ValuationForm::new(method_of(query.method.as_deref().unwrap_or_default()));
    if let Some(number) = query.right.as_deref().map(str::trim) {
        form.right_number = number.to_string();
        form.lookup_number = number.to_string();
    }
    if let Some(industry) = query.industry.as_deref().map(str::trim) {
        form.lookup_industry = industry.to_string();
    }
    render(
        &frame,
        StatusCode::OK,
        form,
        Faults::default(),
        Outcome::default(),
    )
}

/// `200 OK`, or `400` when something is at fault.
fn status_of(faults: &Faults) -> StatusCode {
    if faults.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    }
}

/// `POST /valuation`: looks up the royalty rate, or values (and records when asked).
pub async fn calculate(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut form = ValuationForm::from_pairs(pairs);
    actor
        .check_csrf(Some(&form.csrf_token))
        .map_err(|error| frame.fail(error))?;
    let principal = &actor.principal;
    let mut outcome = Outcome::default();
    if form.action == "lookup" {
        let mut faults = Faults::default();
        outcome.guidance = lookup(&state, principal, &mut form, &mut faults)
            .await
            .map_err(|error| frame.fail(error))?;
        return render(&frame, status_of(&faults), form, faults, outcome);
    }
    let (inputs, sources, mut faults) = form.inputs();
    if !faults.is_empty() {
        return render(&frame, StatusCode::BAD_REQUEST, form, faults, outcome);
    }
    let result = match state.app.calculate_valuation(principal, &inputs).await {
        Ok(result) => result,
        Err(error) if error.kind == ErrorKind::BadRequest => {
            map_domain_faults(&error.details, &sources, &mut faults);
            if faults.is_empty() {
                faults.add("form", &fault_code(&error), "form", At::default());
            }
            return render(&frame, StatusCode::BAD_REQUEST, form, faults, outcome);
        }
        Err(error) => return Err(frame.fail(error)),
    };
    outcome.result = Some(ResultView::new(&result, frame.lang));
    if form.record {
        outcome.recorded = record(&state, principal, &form, inputs, &sources, &mut faults)
            .await
            .map_err(|error| frame.fail(error))?;
        if outcome.recorded.is_some() {
            form.record = false;
        }
    }
    render(&frame, status_of(&faults), form, faults, outcome)
}

#[cfg(test)]
pub(super) mod samples {
    use super::super::valuation_form::{COMPARABLE_ROWS, ITEM_ROWS};
    use super::super::views::{industry_name, share_percent};
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    /// The calculator on every tab: valued, recorded, looked up, and with faults.
    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let submissions = [
            vec![
                ("method", "relief_from_royalty"),
                ("revenues", "1000000, 1100000, 1200000"),
                ("royalty_rate_pct", "5"),
                ("discount_rate_pct", "12"),
                ("tax_rate_pct", "25"),
                ("tab_years", "10"),
                ("right_number", "202110123456.7"),
            ],
            vec![
                ("method", "relief_from_royalty"),
                ("revenues", "1000000"),
                ("royalty_rate_pct", "10"),
                ("discount_rate_pct", "25"),
                ("tax_rate_pct", "25"),
                ("terminal", "on"),
                ("growth_rate_pct", "5"),
                ("mid_year", "on"),
            ],
            vec![
                ("method", "excess_earnings"),
                ("revenues", "1000000\n1,100,000"),
                ("ebitda_margin_pct", "30"),
                ("charge_asset_0", "营运资金 <script>"),
                ("charge_rate_0", "2"),
                ("discount_rate_pct", "15"),
                ("tax_rate_pct", "25"),
                ("remaining_life_years", "4"),
                ("growth_rate_pct", "-10"),
            ],
            vec![
                ("method", "market_comparables"),
                ("comp_name_0", "许可甲"),
                ("comp_price_0", "100,000"),
                ("comp_adjustments_0", "技术 +10%\n时间 ×1.05\n地域 -5%"),
                ("comp_name_2", "许可乙"),
                ("comp_price_2", "120000"),
                ("comp_weight_2", "2"),
            ],
            vec![
                ("method", "cost"),
                ("item_name_0", "研发人工"),
                ("item_amount_0", "800000"),
                ("item_name_1", "材料"),
                ("item_amount_1", "200000"),
                ("profit_rate_pct", "10"),
                ("physical_obsolescence_pct", "0"),
                ("functional_obsolescence_pct", "20"),
                ("economic_obsolescence_pct", "5"),
                ("basis", "reproduction"),
            ],
        ];
        let frame_lang = ipyun_domain::account::Lang::En;
        let mut views = Vec::new();
        for (index, submission) in submissions.iter().enumerate() {
            let form = ValuationForm::from_pairs(pairs(submission));
            let (inputs, _, _) = form.inputs();
            let result = inputs
                .value()
                .ok()
                .map(|found| ResultView::new(&found, frame_lang));
            assert!(result.is_some(), "sample {index} values");
            let recorded = (index == 0).then(|| RecordedView {
                id: 7,
                value: "98,396.50".into(),
                right_number: Some("202110123456.7".into()),
                right_href: Some("/rights/202110123456.7#valuations".into()),
            });
            views.push(view(form, Faults::default(), result, recorded));
        }
        let faulty = ValuationForm::from_pairs(pairs(&[
            ("method", "relief_from_royalty"),
            ("revenues", "1000000, -5, abc"),
            ("tab_years", "1.5"),
        ]));
        let (inputs, sources, mut faults) = faulty.inputs();
        if let Err(errors) = inputs.value() {
            map_domain_faults(&errors.0, &sources, &mut faults);
        }
        faults.add("lookup", "royalty-no_industry", "lookup", At::default());
        faults.add("right_number", "right-not_found", "right", At::default());
        views.push(view(faulty, faults, None, None));
        for (method, rows) in [("market_comparables", COMPARABLE_ROWS), ("cost", ITEM_ROWS)] {
            let mut form = ValuationForm::from_pairs(pairs(&[("method", method)]));
            let mut faults = Faults::default();
            faults.add(
                &format!("comp_price_{}", rows - 1),
                "negative",
                "price_yuan",
                At::default(),
            );
            faults.add(
                "comp_adjustments_0",
                "line_format",
                "adjustments",
                At {
                    year: None,
                    line: Some(2),
                },
            );
            faults.add("item_amount_0", "required", "amount_yuan", At::default());
            form.record = true;
            views.push(view(form, faults, None, None));
        }
        views
    }

    fn view(
        form: ValuationForm,
        mut faults: Faults,
        result: Option<ResultView>,
        recorded: Option<RecordedView>,
    ) -> (&'static str, minijinja::Value) {
        let i18n = crate::i18n::I18n::load();
        faults.settle(|key| i18n.has(ipyun_domain::account::Lang::ZhCn, key));
        let guidance = (form.method.code() == "relief_from_royalty").then(|| GuidanceView {
            industry: "C3971".into(),
            industry_name: industry_name("C3971"),
            basis: "industry".into(),
            range_industry: "C39".into(),
            range_industry_name: industry_name("C39"),
            low: share_percent(400),
            mid: share_percent(475),
            high: share_percent(550),
            reference_only: true,
        });
        let view = CalculatorView {
            tabs: tabs(&form),
            method: form.method.code(),
            has_faults: !faults.is_empty(),
            form,
            faults,
            purposes: PURPOSES,
            price_kinds: PRICE_KINDS,
            cost_bases: COST_BASES,
            guidance,
            result,
            recorded,
        };
        ("valuation.html", minijinja::Value::from_serialize(view))
    }
}

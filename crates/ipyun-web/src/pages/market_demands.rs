//! `/demands` (signed in): the financing demands the viewer may see — the app decides: an
//! enterprise its own, a lender those shared with all or with it, a park its enterprises', an
//! office its region's — with the pipeline's conversion and time to money; `/demands/{id}`: one
//! demand, its stages, and for the enterprise or the lender in talks the form that moves it on
//! (`POST /demands/{id}/stage`). A refused move shows the page again with the reason.

use super::error::{PageError, error_key};
use super::extract::{PageForm, PagePath, PageQuery, SignedIn, see_other};
use super::frame::PageFrame;
use super::loan_views::bp_percent;
use super::market_views::DemandRow;
use super::views::given;
use crate::auth::Actor;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use ipyun_app::ErrorKind;
use ipyun_app::demands::{DemandQuery, DemandView, PipelineReport, StageInput};
use ipyun_app::loans::LoanQuery;
use ipyun_app::matching::{DemandMatchQuery, ProductMatch};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::market::Stage;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/products", get(super::market_products::list_products))
        .route("/products/{id}", get(super::market_products::get_product))
        .route("/demands", get(list_demands))
        .route(
            "/demands/new",
            get(super::demand_form::new_demand).post(super::demand_form::publish_demand),
        )
        .route("/demands/{id}", get(get_demand))
        .route("/demands/{id}/stage", post(move_demand))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DemandSearch {
    stage: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct StageCountRow {
    stage: &'static str,
    demands: u64,
}

#[derive(Serialize)]
struct DemandsView {
    rows: Vec<DemandRow>,
    stage: String,
    stages: Vec<&'static str>,
    /// The viewer's role publishes demands.
    may_publish: bool,
    demands: u64,
    funded: u64,
    conversion: Option<String>,
    median_days: Option<i64>,
    by_stage: Vec<StageCountRow>,
}

impl DemandsView {
    fn new(stage: String, demands: &[DemandView], report: &PipelineReport, role: Role) -> Self {
        DemandsView {
            rows: demands.iter().map(DemandRow::from).collect(),
            stage,
            stages: Stage::ALL.iter().map(|stage| stage.as_str()).collect(),
            may_publish: role == Role::Enterprise,
            demands: report.demands,
            funded: report.funded,
            conversion: report
                .conversion_bp
                .map(|bp| bp_percent(i64::try_from(bp).unwrap_or(i64::MAX))),
            median_days: report.median_days_to_money,
            by_stage: report
                .by_stage
                .iter()
                .map(|count| StageCountRow {
                    stage: count.stage.as_str(),
                    demands: count.demands,
                })
                .collect(),
        }
    }
}

/// `GET /demands?stage=`: roles that see no demands get the app's refusal as the 403 page.
pub async fn list_demands(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageQuery(search): PageQuery<DemandSearch>,
) -> Result<Response, PageError> {
    let principal = &actor.principal;
    let stage = given(&search.stage).and_then(|text| Stage::parse(&text).ok());
    let query = DemandQuery { stage };
    let demands = state
        .app
        .list_demands(principal, &query)
        .await
        .map_err(|error| frame.fail(error))?;
    let report = state
        .app
        .pipeline_report(principal)
        .await
        .map_err(|error| frame.fail(error))?;
    let stage = stage.map(|stage| stage.as_str().to_string());
    frame.render(
        "demands.html",
        &DemandsView::new(stage.unwrap_or_default(), &demands, &report, principal.role),
    )
}

/// The stage form as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StageForm {
    csrf_token: String,
    stage: String,
    registration_no: String,
    loan_id: String,
    note: String,
}

#[derive(Debug, Clone, Serialize)]
struct StageRow {
    stage: String,
    on_date: String,
    note: Option<String>,
    actor: String,
}

#[derive(Debug, Clone, Serialize)]
struct LoanOption {
    id: i64,
    label: String,
}

/// A product ranked for the demand, with why in both languages (the page picks its own).
#[derive(Debug, Clone, Serialize)]
struct MatchRow {
    href: String,
    name: String,
    kind: &'static str,
    publisher: String,
    score: String,
    reasons_zh: Vec<String>,
    reasons_en: Vec<String>,
}

impl From<&ProductMatch> for MatchRow {
    fn from(found: &ProductMatch) -> Self {
        let parts = &found.explanation.parts;
        MatchRow {
            href: super::market_views::product_href(found.product_id),
            name: found.product_name.clone(),
            kind: found.kind.as_str(),
            publisher: found.publisher_name.clone(),
            score: bp_percent(i64::from(found.explanation.score_bp.unwrap_or(0))),
            reasons_zh: parts.iter().map(|part| part.reason_zh.clone()).collect(),
            reasons_en: parts.iter().map(|part| part.reason_en.clone()).collect(),
        }
    }
}

/// How many ranked products the demand's page shows.
const MATCHES_SHOWN: u32 = 5;

#[derive(Debug, Clone, Serialize)]
struct NamedParty {
    href: String,
    name: String,
}

#[derive(Serialize)]
struct DemandPage {
    demand: DemandRow,
    /// The lenders it is shared with, by name (empty: every lender).
    shared_with: Vec<NamedParty>,
    /// The lender in talks, by name.
    lender: Option<NamedParty>,
    /// While it is open: the products that can serve it, best first.
    matches: Vec<MatchRow>,
    /// Products considered, and of which eligible.
    evaluated: u32,
    eligible: u32,
    stages: Vec<StageRow>,
    /// The stages the viewer may move it to; empty: no form.
    next_stages: Vec<&'static str>,
    loans: Vec<LoanOption>,
    csrf_token: String,
    /// What the viewer typed, shown back after a refusal.
    typed_stage: String,
    typed_registration_no: String,
    typed_note: String,
    /// The Fluent key of a refusal, shown above the form.
    refusal: Option<String>,
    moved: bool,
}

/// Whether the viewer may move the demand: its enterprise, or a lender no other lender precedes.
fn may_move(principal: &Principal, demand: &DemandView) -> bool {
    match (principal.role, principal.party_id) {
        (Role::Enterprise, Some(party)) => party == demand.enterprise_id,
        (Role::Lender, Some(party)) => demand.lender_id.is_none_or(|lender| lender == party),
        _ => false,
    }
}

/// The newest hundred loans to this enterprise the viewer sees (filtered in the database, so a
/// lender with thousands of loans still finds this borrower's), for the `disbursed` move.
async fn loan_options(state: &AppState, principal: &Principal, borrower: i64) -> Vec<LoanOption> {
    let query = LoanQuery {
        borrower_id: Some(borrower),
        per_page: Some(100),
        ..LoanQuery::default()
    };
    match state.app.list_loans(principal, &query).await {
        Ok(page) => page
            .items
            .into_iter()
            .map(|loan| LoanOption {
                id: loan.id,
                label: format!(
                    "{} · {} · {}",
                    loan.contract_no,
                    loan.lender,
                    super::pledge_views::yuan(loan.amount_fen)
                ),
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

async fn render(
    state: &AppState,
    actor: &Actor,
    frame: &PageFrame,
    id: i64,
    refused: Option<(String, StageForm, StatusCode)>,
    moved: bool,
) -> Result<Response, PageError> {
    let principal = &actor.principal;
    let demand = state
        .app
        .demand_view(principal, id)
        .await
        .map_err(|error| frame.fail(error))?;
    let movable = may_move(principal, &demand);
    let next_stages: Vec<&'static str> = if movable {
        Stage::ALL
            .iter()
            .filter(|next| demand.stage.may_become(**next))
            .map(|next| next.as_str())
            .collect()
    } else {
        Vec::new()
    };
    let loans = if next_stages.contains(&Stage::Disbursed.as_str()) {
        loan_options(state, principal, demand.enterprise_id).await
    } else {
        Vec::new()
    };
    let (status, refusal, typed) = match refused {
        Some((key, form, status)) => (status, Some(key), form),
        None => (StatusCode::OK, None, StageForm::default()),
    };
    let ids = demand
        .terms
        .shared_with
        .iter()
        .copied()
        .chain(demand.lender_id);
    let names = super::pledge_views::party_names(state, principal, ids).await;
    let named = |id: i64| NamedParty {
        href: format!("/parties/{id}"),
        name: names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
    };
    let query = DemandMatchQuery {
        include_ineligible: false,
        limit: Some(MATCHES_SHOWN),
    };
    let ranked = if demand.stage < Stage::Registered {
        state.app.demand_matches(principal, id, &query).await.ok()
    } else {
        None
    };
    let page = DemandPage {
        matches: ranked
            .as_ref()
            .map(|ranked| ranked.matches.iter().map(MatchRow::from).collect())
            .unwrap_or_default(),
        evaluated: ranked.as_ref().map_or(0, |ranked| ranked.evaluated),
        eligible: ranked.as_ref().map_or(0, |ranked| ranked.eligible),
        shared_with: demand
            .terms
            .shared_with
            .iter()
            .copied()
            .map(named)
            .collect(),
        lender: demand.lender_id.map(named),
        demand: DemandRow::from(&demand),
        stages: demand
            .stages
            .iter()
            .map(|stage| StageRow {
                stage: stage.stage.clone(),
                on_date: stage.on_date.to_string(),
                note: stage.note.clone(),
                actor: stage.actor.clone(),
            })
            .collect(),
        next_stages,
        loans,
        csrf_token: actor.csrf_token().unwrap_or_default().to_string(),
        typed_stage: typed.stage,
        typed_registration_no: typed.registration_no,
        typed_note: typed.note,
        refusal,
        moved,
    };
    frame.render_with_status(status, "demand.html", &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DemandPageQuery {
    moved: Option<String>,
}

/// `GET /demands/{id}`: a demand the viewer may not see is the 404 page.
pub async fn get_demand(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<DemandPageQuery>,
) -> Result<Response, PageError> {
    let moved = query.moved.is_some();
    render(&state, &actor, &frame, id, None, moved).await
}

/// The Fluent key of a refused move: the field's rule when the app names one, else its code.
fn refusal_key(frame: &PageFrame, error: &ipyun_app::AppError) -> String {
    let candidates = error
        .details
        .iter()
        .map(|detail| format!("demand-refusal-{}-{}", detail.field, detail.code))
        .chain([
            format!("demand-refusal-{}", error.code.replace('.', "-")),
            error_key(error.code),
        ]);
    candidates
        .into_iter()
        .find(|key| frame.has_text(key))
        .unwrap_or_else(|| "form-error-invalid".to_string())
}

/// `POST /demands/{id}/stage`: the CSRF token checked, the move made by the app (which checks who
/// may make it), back to the demand.
pub async fn move_demand(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<StageForm>,
) -> Result<Response, PageError> {
    actor
        .check_csrf(Some(&form.csrf_token))
        .map_err(|error| frame.fail(error))?;
    let Ok(stage) = Stage::parse(form.stage.trim()) else {
        let refused = (
            "demand-refusal-stage".to_string(),
            form,
            StatusCode::BAD_REQUEST,
        );
        return render(&state, &actor, &frame, id, Some(refused), false).await;
    };
    let input = StageInput {
        stage,
        registration_no: Some(form.registration_no.trim().to_string()).filter(|no| !no.is_empty()),
        loan_id: form.loan_id.trim().parse::<i64>().ok(),
        note: Some(form.note.trim().to_string()).filter(|note| !note.is_empty()),
    };
    match state.app.move_demand(&actor.principal, id, &input).await {
        Ok(_) => Ok(see_other(&format!("/demands/{id}?moved=1"))),
        Err(error)
            if matches!(
                error.kind,
                ErrorKind::Conflict | ErrorKind::BadRequest | ErrorKind::Forbidden
            ) =>
        {
            let key = refusal_key(&frame, &error);
            let status = crate::error::status_of(error.kind);
            render(&state, &actor, &frame, id, Some((key, form, status)), false).await
        }
        Err(error) => Err(frame.fail(error)),
    }
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use chrono::NaiveDate;
    use ipyun_app::demands::{DemandStageView, StageCount};
    use ipyun_domain::market::{DemandTerms, Urgency};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    pub fn demand(id: i64, stage: Stage) -> DemandView {
        let funded = stage.is_funded();
        DemandView {
            id,
            enterprise_id: 5,
            enterprise_name: "苏州纳米科技有限公司 <i>".into(),
            stage,
            terms: DemandTerms {
                amount_fen: 300_000_000,
                months: 12,
                purpose: "扩大生产线，采购设备".into(),
                rights: vec!["ZL202310001234.5".into()],
                urgency: Urgency::High,
                shared_with: vec![2],
            },
            lender_id: Some(2),
            registration_no: funded.then(|| "Y2026320000001".into()),
            loan_id: funded.then_some(3),
            published_on: day("2026-11-01"),
            funded_on: funded.then(|| day("2026-11-20")),
            days_to_money: funded.then_some(19),
            stages: vec![DemandStageView {
                stage: "published".into(),
                on_date: day("2026-11-01"),
                note: Some("急需".into()),
                actor: "ent".into(),
            }],
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let demands: Vec<DemandView> = Stage::ALL
            .iter()
            .enumerate()
            .map(|(index, stage)| demand(i64::try_from(index).unwrap_or(0) + 1, *stage))
            .collect();
        let report = PipelineReport {
            demands: 8,
            by_stage: Stage::ALL
                .iter()
                .map(|stage| StageCount {
                    stage: *stage,
                    demands: 1,
                })
                .collect(),
            funded: 2,
            conversion_bp: Some(2_500),
            median_days_to_money: Some(19),
        };
        let empty = PipelineReport {
            demands: 0,
            by_stage: Vec::new(),
            funded: 0,
            conversion_bp: None,
            median_days_to_money: None,
        };
        let page = |stage: Stage, next: Vec<&'static str>, refusal: Option<&str>| DemandPage {
            shared_with: vec![NamedParty {
                href: "/parties/2".into(),
                name: "测试银行 <b>".into(),
            }],
            lender: Some(NamedParty {
                href: "/parties/2".into(),
                name: "测试银行 <b>".into(),
            }),
            matches: vec![MatchRow {
                href: "/products/1".into(),
                name: "苏知贷 <b>".into(),
                kind: "loan",
                publisher: "测试银行".into(),
                score: "87.50%".into(),
                reasons_zh: vec!["融资金额处于产品额度中段".into()],
                reasons_en: vec!["the amount sits mid-range".into()],
            }],
            evaluated: 3,
            eligible: 1,
            demand: DemandRow::from(&demand(1, stage)),
            stages: vec![StageRow {
                stage: "published".into(),
                on_date: "2026-11-01".into(),
                note: Some("<b>note</b>".into()),
                actor: "ent".into(),
            }],
            next_stages: next,
            loans: vec![LoanOption {
                id: 3,
                label: "JK-1 · 测试银行 · 3,000,000.00".into(),
            }],
            csrf_token: "token".into(),
            typed_stage: "registered".into(),
            typed_registration_no: "Y1".into(),
            typed_note: String::new(),
            refusal: refusal.map(str::to_string),
            moved: refusal.is_none(),
        };
        vec![
            (
                "demands.html",
                minijinja::Value::from_serialize(DemandsView::new(
                    "in_talks".into(),
                    &demands,
                    &report,
                    Role::Enterprise,
                )),
            ),
            (
                "demands.html",
                minijinja::Value::from_serialize(DemandsView::new(
                    String::new(),
                    &[],
                    &empty,
                    Role::Lender,
                )),
            ),
            (
                "demand.html",
                minijinja::Value::from_serialize(page(
                    Stage::Approved,
                    vec!["registered", "disbursed", "dropped"],
                    Some("demand-refusal-registration_no-not_found"),
                )),
            ),
            (
                "demand.html",
                minijinja::Value::from_serialize(page(Stage::Closed, Vec::new(), None)),
            ),
        ]
    }

    #[test]
    fn only_the_enterprise_or_the_lender_in_talks_gets_the_form() {
        let principal = |role, party| Principal {
            user_id: 1,
            username: "u".into(),
            display_name: "U".into(),
            role,
            party_id: Some(party),
            region: None,
            lang: ipyun_domain::account::Lang::ZhCn,
        };
        let view = demand(1, Stage::InTalks);
        assert!(may_move(&principal(Role::Enterprise, 5), &view));
        assert!(!may_move(&principal(Role::Enterprise, 6), &view));
        assert!(may_move(&principal(Role::Lender, 2), &view));
        assert!(!may_move(&principal(Role::Lender, 9), &view));
        assert!(!may_move(&principal(Role::Park, 5), &view));
    }
}

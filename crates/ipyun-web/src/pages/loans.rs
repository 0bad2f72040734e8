//! `/loans` (signed in): the loans the viewer may see — the app decides: a lender its own, an
//! enterprise its borrowings, a park its enterprises', a provincial office its province's, the
//! national office and administrators all — filtered by status, class and lender, a page at a
//! time. Other roles get the app's refusal as the 403 page.

use super::error::PageError;
use super::extract::{PageQuery, SignedIn};
use super::loan_views::LoanRow;
use super::views::{Pager, given, lenient_number};
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use ipyun_app::loans::{LoanQuery, LoanStatus, LoanView};
use ipyun_app::parties::PartyQuery;
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::loan::RiskClass;
use ipyun_domain::page::Page;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/loans", get(list_loans))
        .route("/loans/{id}", get(super::loan_detail::get_loan))
        .route("/disposals/{id}", get(super::disposal_page::get_disposal))
        .route(
            "/disposals/{id}/bids",
            axum::routing::post(super::disposal_page::place_bid),
        )
        .route("/loan-stats", get(super::loan_stats::stats_page))
}

/// The filter form as sent: every field text, read leniently (an unknown value filters nothing).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoanSearch {
    status: Option<String>,
    class: Option<String>,
    lender: Option<String>,
    page: Option<String>,
}

impl LoanSearch {
    fn query(&self) -> LoanQuery {
        LoanQuery {
            status: given(&self.status).and_then(|text| LoanStatus::parse(&text)),
            risk_class: given(&self.class).and_then(|text| RiskClass::parse(&text).ok()),
            lender_id: given(&self.lender).and_then(|text| text.parse::<i64>().ok()),
            borrower_id: None,
            page: lenient_number(self.page.as_deref()),
            per_page: None,
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("status", &self.status),
            ("class", &self.class),
            ("lender", &self.lender),
        ]
        .into_iter()
        .map(|(name, value)| (name, given(value).unwrap_or_default()))
        .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
struct LenderOption {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct LoansView {
    rows: Vec<LoanRow>,
    pager: Pager,
    status: String,
    class: String,
    lender: String,
    statuses: Vec<&'static str>,
    classes: Vec<&'static str>,
    /// The lenders to filter by; empty for a lender's users, who see only their own loans.
    lenders: Vec<LenderOption>,
    /// The NPL and implementation statistics are open to the viewer's role.
    show_stats: bool,
}

impl LoansView {
    fn new(
        search: &LoanSearch,
        page: Page<LoanView>,
        lenders: Vec<LenderOption>,
        role: Role,
    ) -> Self {
        let pager = Pager::new("/loans", &search.pairs(), &page);
        let text = |value: &Option<String>| given(value).unwrap_or_default();
        LoansView {
            rows: page.items.iter().map(LoanRow::from).collect(),
            pager,
            status: text(&search.status),
            class: text(&search.class),
            lender: text(&search.lender),
            statuses: LoanStatus::ALL
                .iter()
                .map(|status| status.as_str())
                .collect(),
            classes: RiskClass::ALL.iter().map(|class| class.as_str()).collect(),
            lenders,
            show_stats: role != Role::Enterprise,
        }
    }
}

/// The lenders a viewer who sees more than one lender's loans may filter by (the first hundred).
async fn lender_options(state: &AppState, principal: &Principal) -> Vec<LenderOption> {
    if principal.role == Role::Lender {
        return Vec::new();
    }
    let query = PartyQuery {
        kind: Some("lender".into()),
        per_page: Some(100),
        ..PartyQuery::default()
    };
    match state.app.list_parties(principal, &query).await {
        Ok(page) => page
            .items
            .into_iter()
            .map(|party| LenderOption {
                id: party.id.to_string(),
                name: party.name,
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// `GET /loans?status=&class=&lender=&page=`.
pub async fn list_loans(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageQuery(search): PageQuery<LoanSearch>,
) -> Result<Response, PageError> {
    let principal = &actor.principal;
    let page = state
        .app
        .list_loans(principal, &search.query())
        .await
        .map_err(|error| frame.fail(error))?;
    let lenders = lender_options(&state, principal).await;
    frame.render(
        "loans.html",
        &LoansView::new(&search, page, lenders, principal.role),
    )
}

#[cfg(test)]
pub(super) mod samples {
    use super::super::loan_views::samples::loan;
    use super::*;

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let search = LoanSearch {
            status: Some("active".into()),
            class: Some("substandard".into()),
            lender: Some("2".into()),
            page: Some("2".into()),
        };
        let page = |items: Vec<LoanView>| Page {
            total: u64::try_from(items.len()).unwrap_or_default() + 20,
            items,
            page: 2,
            per_page: 20,
        };
        let lenders = vec![LenderOption {
            id: "2".into(),
            name: "测试银行苏州分行 <script>".into(),
        }];
        let full = LoansView::new(
            &search,
            page(RiskClass::ALL.iter().map(|class| loan(1, *class)).collect()),
            lenders,
            Role::ProvincialOffice,
        );
        let empty = LoansView::new(
            &LoanSearch::default(),
            page(Vec::new()),
            Vec::new(),
            Role::Enterprise,
        );
        vec![
            ("loans.html", minijinja::Value::from_serialize(full)),
            ("loans.html", minijinja::Value::from_serialize(empty)),
        ]
    }

    #[test]
    fn filters_read_leniently_and_survive_paging() {
        let search = LoanSearch {
            status: Some(" repaid ".into()),
            class: Some("special-mention".into()),
            lender: Some("x".into()),
            page: Some("3".into()),
        };
        let query = search.query();
        assert_eq!(query.status, Some(LoanStatus::Repaid));
        assert_eq!(query.risk_class, Some(RiskClass::SpecialMention));
        assert_eq!((query.lender_id, query.page), (None, Some(3)));
        let pairs = search.pairs();
        assert!(pairs.contains(&("status", "repaid".to_string())));
        assert!(!pairs.iter().any(|(name, _)| *name == "page"));
    }
}

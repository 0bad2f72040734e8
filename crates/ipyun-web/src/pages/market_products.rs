//! `/products` (public): the product display of the marketplace — loans, insurance and
//! guarantees on offer today, filtered by kind, by an amount typed in yuan (read exactly as fen)
//! and by publisher; `/products/{id}` (public): one product, its terms and its versions.

use super::error::PageError;
use super::extract::{PagePath, PageQuery, PageVisitor};
use super::market_views::{ProductRow, ppm_percent, span};
use super::pledge_views::{parse_yuan, yuan};
use super::views::{Pager, given, lenient_number, local_time};
use crate::state::AppState;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use ipyun_app::matching::{DemandMatch, ProspectMatch, RankQuery};
use ipyun_app::products::{ProductDetail, ProductQuery, ProductView};
use ipyun_domain::market::{Explanation, ProductKind};
use ipyun_domain::page::Page;
use serde::{Deserialize, Serialize};

/// The filter form as sent, read leniently: an unknown kind filters nothing, an amount that does
/// not read is shown back with a hint.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProductSearch {
    kind: Option<String>,
    amount: Option<String>,
    publisher: Option<String>,
    page: Option<String>,
}

impl ProductSearch {
    /// The query, and whether the typed amount failed to read.
    fn query(&self) -> (ProductQuery, bool) {
        let amount = given(&self.amount).map(|text| parse_yuan(&text));
        let bad_amount = matches!(amount, Some(Err(_)));
        let query = ProductQuery {
            kind: given(&self.kind).and_then(|text| ProductKind::parse(&text).ok()),
            publisher_id: given(&self.publisher).and_then(|text| text.parse::<i64>().ok()),
            amount_fen: amount.and_then(Result::ok).flatten(),
            all: false,
            page: lenient_number(self.page.as_deref()),
            per_page: None,
        };
        (query, bad_amount)
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("kind", &self.kind),
            ("amount", &self.amount),
            ("publisher", &self.publisher),
        ]
        .into_iter()
        .map(|(name, value)| (name, given(value).unwrap_or_default()))
        .collect()
    }
}

#[derive(Serialize)]
struct ProductsView {
    rows: Vec<ProductRow>,
    pager: Pager,
    kind: String,
    amount: String,
    publisher: String,
    bad_amount: bool,
    kinds: Vec<&'static str>,
    total: u64,
}

impl ProductsView {
    fn new(search: &ProductSearch, page: &Page<ProductView>, bad_amount: bool) -> Self {
        let text = |value: &Option<String>| given(value).unwrap_or_default();
        ProductsView {
            rows: page.items.iter().map(ProductRow::from).collect(),
            pager: Pager::new("/products", &search.pairs(), page),
            kind: text(&search.kind),
            amount: text(&search.amount),
            publisher: text(&search.publisher),
            bad_amount,
            kinds: ProductKind::ALL.iter().map(|kind| kind.as_str()).collect(),
            total: page.total,
        }
    }
}

/// `GET /products?kind=&amount=&publisher=&page=`.
pub async fn list_products(
    State(state): State<AppState>,
    visitor: PageVisitor,
    uri: Uri,
    PageQuery(search): PageQuery<ProductSearch>,
) -> Result<Response, PageError> {
    let frame = visitor.frame(&state, &uri);
    let (query, bad_amount) = search.query();
    let principal = visitor.actor.as_ref().map(|actor| &actor.principal);
    let page = state
        .app
        .list_products(principal, &query)
        .await
        .map_err(|error| frame.fail(error))?;
    frame.render(
        "products.html",
        &ProductsView::new(&search, &page, bad_amount),
    )
}

#[derive(Debug, Clone, Serialize)]
struct VersionRow {
    version: i64,
    amount: String,
    rate: String,
    months: String,
    valid_until: Option<String>,
    changed_by: String,
    changed_at: String,
}

/// A demand or a prospect ranked for the product, with why in both languages.
#[derive(Debug, Clone, Serialize)]
struct RankedRow {
    href: Option<String>,
    enterprise: String,
    enterprise_href: String,
    /// A demand's amount and term; empty for a prospect.
    amount: String,
    months: Option<u32>,
    stage: Option<&'static str>,
    /// A prospect's live rights of the accepted kinds.
    rights: Option<u32>,
    score: String,
    reasons_zh: Vec<String>,
    reasons_en: Vec<String>,
}

impl RankedRow {
    fn reasons(explanation: &Explanation) -> (String, Vec<String>, Vec<String>) {
        (
            super::loan_views::bp_percent(i64::from(explanation.score_bp.unwrap_or(0))),
            explanation
                .parts
                .iter()
                .map(|part| part.reason_zh.clone())
                .collect(),
            explanation
                .parts
                .iter()
                .map(|part| part.reason_en.clone())
                .collect(),
        )
    }

    fn demand(found: &DemandMatch) -> Self {
        let (score, reasons_zh, reasons_en) = Self::reasons(&found.explanation);
        RankedRow {
            href: Some(super::market_views::demand_href(found.demand_id)),
            enterprise: found.enterprise_name.clone(),
            enterprise_href: format!("/parties/{}", found.enterprise_id),
            amount: yuan(found.amount_fen),
            months: Some(found.months),
            stage: Some(found.stage.as_str()),
            rights: None,
            score,
            reasons_zh,
            reasons_en,
        }
    }

    fn prospect(found: &ProspectMatch) -> Self {
        let (score, reasons_zh, reasons_en) = Self::reasons(&found.explanation);
        RankedRow {
            href: None,
            enterprise: found.enterprise_name.clone(),
            enterprise_href: format!("/parties/{}", found.enterprise_id),
            amount: String::new(),
            months: None,
            stage: None,
            rights: Some(found.rights),
            score,
            reasons_zh,
            reasons_en,
        }
    }
}

/// How many ranked demands and prospects the publisher's page shows.
const RANKED_SHOWN: u32 = 10;

#[derive(Serialize)]
struct ProductPage {
    product: ProductRow,
    versions: Vec<VersionRow>,
    /// The viewer publishes it.
    own: bool,
    /// To its publisher, while offered: the open demands it can serve and the enterprises that
    /// have not asked but could, best first.
    demands: Vec<RankedRow>,
    prospects: Vec<RankedRow>,
}

impl ProductPage {
    fn new(detail: &ProductDetail, viewer_party: Option<i64>) -> Self {
        ProductPage {
            product: ProductRow::from(&detail.product),
            versions: detail
                .versions
                .iter()
                .rev()
                .map(|version| VersionRow {
                    version: version.version,
                    amount: span(
                        &yuan(version.terms.amount_min_fen),
                        &yuan(version.terms.amount_max_fen),
                    ),
                    rate: span(
                        &ppm_percent(version.terms.rate_min_ppm),
                        &ppm_percent(version.terms.rate_max_ppm),
                    ),
                    months: span(
                        &version.terms.months_min.to_string(),
                        &version.terms.months_max.to_string(),
                    ),
                    valid_until: version.terms.valid_until.map(|day| day.to_string()),
                    changed_by: version.changed_by.clone(),
                    changed_at: local_time(version.changed_at),
                })
                .collect(),
            own: viewer_party == Some(detail.product.publisher_id),
            demands: Vec::new(),
            prospects: Vec::new(),
        }
    }
}

/// `GET /products/{id}`: an unknown product is the 404 page.
pub async fn get_product(
    State(state): State<AppState>,
    visitor: PageVisitor,
    uri: Uri,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let frame = visitor.frame(&state, &uri);
    let detail = state
        .app
        .product_detail(id)
        .await
        .map_err(|error| frame.fail(error))?;
    let principal = visitor.actor.as_ref().map(|actor| &actor.principal);
    let mut page = ProductPage::new(&detail, principal.and_then(|principal| principal.party_id));
    if let (Some(principal), true, true) = (principal, page.own, detail.product.offered) {
        let query = RankQuery {
            limit: Some(RANKED_SHOWN),
        };
        if let Ok(ranked) = state
            .app
            .product_demand_matches(principal, id, &query)
            .await
        {
            page.demands = ranked.matches.iter().map(RankedRow::demand).collect();
        }
        if let Ok(ranked) = state.app.product_prospects(principal, id, &query).await {
            page.prospects = ranked.prospects.iter().map(RankedRow::prospect).collect();
        }
    }
    frame.render("product.html", &page)
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use ipyun_app::products::ProductVersionView;
    use ipyun_domain::loan::RepaymentMethod;
    use ipyun_domain::market::{Designation, ProductStatus, ProductTerms};
    use ipyun_domain::right::RightKind;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    pub fn product(id: i64, kind: ProductKind, withdrawn: bool) -> ProductView {
        ProductView {
            id,
            publisher_id: 2,
            publisher_name: "测试银行苏州分行 <b>".into(),
            status: if withdrawn {
                ProductStatus::Withdrawn
            } else {
                ProductStatus::Active
            },
            version: 2,
            offered: !withdrawn,
            terms: ProductTerms {
                kind,
                name: format!("苏知贷 {id}"),
                description: "面向专精特新企业的知识产权质押贷款。".into(),
                amount_min_fen: 10_000_000,
                amount_max_fen: 1_000_000_000,
                rate_min_ppm: 34_500,
                rate_max_ppm: 55_000,
                months_min: 6,
                months_max: 36,
                right_kinds: vec![RightKind::Invention, RightKind::Trademark],
                regions: vec!["320500".into()],
                park_ids: vec![7],
                ltv_cap_bp: Some(5_000),
                required_designations: vec![Designation::SpecialisedSme],
                repayment_methods: vec![RepaymentMethod::EqualInstalment],
                valid_from: day("2026-01-01"),
                valid_until: Some(day("2026-12-31")),
            },
            withdrawn_reason: withdrawn.then(|| "产品调整".into()),
            updated_at: Utc
                .with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
                .single()
                .unwrap_or_default(),
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let search = ProductSearch {
            kind: Some("loan".into()),
            amount: Some("12,3x".into()),
            publisher: None,
            page: Some("2".into()),
        };
        let items: Vec<ProductView> = ProductKind::ALL
            .iter()
            .enumerate()
            .map(|(index, kind)| product(i64::try_from(index).unwrap_or(0) + 1, *kind, false))
            .collect();
        let page = Page {
            total: 26,
            items,
            page: 2,
            per_page: 20,
        };
        let empty = Page {
            total: 0,
            items: Vec::new(),
            page: 1,
            per_page: 20,
        };
        let full = ProductsView::new(&search, &page, true);
        let none = ProductsView::new(&ProductSearch::default(), &empty, false);
        let withdrawn = product(9, ProductKind::Loan, true);
        let detail = ProductDetail {
            versions: vec![
                ProductVersionView {
                    version: 1,
                    terms: withdrawn.terms.clone(),
                    changed_by: "banker".into(),
                    changed_at: withdrawn.updated_at,
                },
                ProductVersionView {
                    version: 2,
                    terms: withdrawn.terms.clone(),
                    changed_by: "banker".into(),
                    changed_at: withdrawn.updated_at,
                },
            ],
            product: withdrawn,
        };
        let mut own = ProductPage::new(&detail, Some(2));
        let row = |href: Option<String>| RankedRow {
            href,
            enterprise: "苏州纳米科技有限公司 <i>".into(),
            enterprise_href: "/parties/5".into(),
            amount: "3,000,000.00".into(),
            months: Some(12),
            stage: Some("published"),
            rights: Some(3),
            score: "87.50%".into(),
            reasons_zh: vec!["融资金额处于产品额度中段".into()],
            reasons_en: vec!["the amount sits mid-range".into()],
        };
        own.demands = vec![row(Some("/demands/1".into()))];
        own.prospects = vec![row(None)];
        vec![
            ("product.html", minijinja::Value::from_serialize(own)),
            ("products.html", minijinja::Value::from_serialize(full)),
            ("products.html", minijinja::Value::from_serialize(none)),
            (
                "product.html",
                minijinja::Value::from_serialize(ProductPage::new(&detail, Some(2))),
            ),
            (
                "product.html",
                minijinja::Value::from_serialize(ProductPage::new(&detail, None)),
            ),
        ]
    }

    #[test]
    fn an_amount_in_yuan_filters_exactly_and_a_bad_one_is_flagged() {
        let search = ProductSearch {
            amount: Some("1,234,567.89".into()),
            kind: Some("pledge_insurance".into()),
            ..ProductSearch::default()
        };
        let (query, bad) = search.query();
        assert_eq!(query.amount_fen, Some(123_456_789));
        assert_eq!(query.kind, Some(ProductKind::PledgeInsurance));
        assert!(!bad);
        let search = ProductSearch {
            amount: Some("12.345".into()),
            kind: Some("nonsense".into()),
            ..ProductSearch::default()
        };
        let (query, bad) = search.query();
        assert!(bad && query.amount_fen.is_none() && query.kind.is_none());
    }
}

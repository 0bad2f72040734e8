//! Shapers shared by the marketplace pages (issue 6): products and demands as rows and detail
//! heads — amounts in fen shown as yuan, rates in parts per million as exact percentages, regions
//! by name. Integer arithmetic only; no rules of the domain.

use super::pledge_views::yuan;
use super::views::region_name;
use ipyun_app::demands::DemandView;
use ipyun_app::products::ProductView;
use serde::Serialize;

/// Parts per million as an exact percentage, trailing zeros dropped: 34_500 → `3.45%`.
pub fn ppm_percent(ppm: i64) -> String {
    let sign = if ppm < 0 { "-" } else { "" };
    let magnitude = ppm.unsigned_abs();
    let whole = magnitude / 10_000;
    let fraction = format!("{:04}", magnitude % 10_000);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{sign}{whole}%")
    } else {
        format!("{sign}{whole}.{fraction}%")
    }
}

/// A range `low – high`, or one value when both ends are the same.
pub fn span(low: &str, high: &str) -> String {
    if low == high {
        low.to_string()
    } else {
        format!("{low} – {high}")
    }
}

/// `/products/{id}`.
pub fn product_href(id: i64) -> String {
    format!("/products/{id}")
}

/// `/demands/{id}`.
pub fn demand_href(id: i64) -> String {
    format!("/demands/{id}")
}

/// One product as a row of the catalogue and the head of its page.
#[derive(Debug, Clone, Serialize)]
pub struct ProductRow {
    pub id: i64,
    pub href: String,
    pub name: String,
    pub kind: &'static str,
    pub publisher: String,
    pub publisher_href: String,
    pub status: &'static str,
    pub offered: bool,
    pub version: i64,
    pub amount: String,
    pub rate: String,
    pub months: String,
    pub right_kinds: Vec<&'static str>,
    /// The regions served, by name; empty: nationwide (unless parks are listed).
    pub regions: Vec<String>,
    pub park_ids: Vec<i64>,
    pub ltv_cap: Option<String>,
    pub designations: Vec<&'static str>,
    pub repayment_methods: Vec<String>,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub description: String,
    pub withdrawn_reason: Option<String>,
}

impl From<&ProductView> for ProductRow {
    fn from(product: &ProductView) -> Self {
        let terms = &product.terms;
        ProductRow {
            id: product.id,
            href: product_href(product.id),
            name: terms.name.clone(),
            kind: terms.kind.as_str(),
            publisher: product.publisher_name.clone(),
            publisher_href: format!("/parties/{}", product.publisher_id),
            status: product.status.as_str(),
            offered: product.offered,
            version: product.version,
            amount: span(&yuan(terms.amount_min_fen), &yuan(terms.amount_max_fen)),
            rate: span(
                &ppm_percent(terms.rate_min_ppm),
                &ppm_percent(terms.rate_max_ppm),
            ),
            months: span(&terms.months_min.to_string(), &terms.months_max.to_string()),
            right_kinds: terms.right_kinds.iter().map(|kind| kind.as_str()).collect(),
            regions: terms
                .regions
                .iter()
                .map(|code| {
                    let name = region_name(code);
                    if name.is_empty() { code.clone() } else { name }
                })
                .collect(),
            park_ids: terms.park_ids.clone(),
            ltv_cap: terms
                .ltv_cap_bp
                .map(|bp| super::loan_views::bp_percent(i64::from(bp))),
            designations: terms
                .required_designations
                .iter()
                .map(|designation| designation.as_str())
                .collect(),
            repayment_methods: terms
                .repayment_methods
                .iter()
                .map(super::loan_views::wire_name)
                .collect(),
            valid_from: terms.valid_from.to_string(),
            valid_until: terms.valid_until.map(|day| day.to_string()),
            description: terms.description.clone(),
            withdrawn_reason: product.withdrawn_reason.clone(),
        }
    }
}

/// One demand as a row of the list and the head of its page.
#[derive(Debug, Clone, Serialize)]
pub struct DemandRow {
    pub id: i64,
    pub href: String,
    pub enterprise: String,
    pub enterprise_href: String,
    pub amount: String,
    pub months: u32,
    pub purpose: String,
    pub urgency: &'static str,
    pub stage: &'static str,
    pub rights: Vec<String>,
    /// Shared with named lenders only (their ids); empty: every lender sees it.
    pub shared_with: Vec<i64>,
    pub lender_id: Option<i64>,
    pub registration_no: Option<String>,
    pub loan_id: Option<i64>,
    pub published_on: String,
    pub funded_on: Option<String>,
    pub days_to_money: Option<i64>,
}

impl From<&DemandView> for DemandRow {
    fn from(demand: &DemandView) -> Self {
        let terms = &demand.terms;
        DemandRow {
            id: demand.id,
            href: demand_href(demand.id),
            enterprise: demand.enterprise_name.clone(),
            enterprise_href: format!("/parties/{}", demand.enterprise_id),
            amount: yuan(terms.amount_fen),
            months: terms.months,
            purpose: terms.purpose.clone(),
            urgency: terms.urgency.as_str(),
            stage: demand.stage.as_str(),
            rights: terms.rights.clone(),
            shared_with: terms.shared_with.clone(),
            lender_id: demand.lender_id,
            registration_no: demand.registration_no.clone(),
            loan_id: demand.loan_id,
            published_on: demand.published_on.to_string(),
            funded_on: demand.funded_on.map(|day| day.to_string()),
            days_to_money: demand.days_to_money,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_in_ppm_read_as_exact_percentages() {
        assert_eq!(ppm_percent(34_500), "3.45%");
        assert_eq!(ppm_percent(50_000), "5%");
        assert_eq!(ppm_percent(1), "0.0001%");
        assert_eq!(ppm_percent(-12_340), "-1.234%");
        assert_eq!(span("1", "1"), "1");
        assert_eq!(span("1", "2"), "1 – 2");
    }
}

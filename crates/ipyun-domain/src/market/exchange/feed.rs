//! The feeds' rows and their CSV columns (documented in `docs/exchange-feeds.md`).

use crate::loan::format_fen;
use crate::market::demand::{Stage, Urgency};
use crate::market::product::{ProductKind, ProductTerms};
use crate::right::RightKind;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// A rate in ppm as a percent decimal string: 34,500 → `3.45`.
pub fn pct_of_ppm(ppm: i64) -> String {
    Decimal::new(ppm, 4).normalize().to_string()
}

fn joined<T>(items: &[T], text: impl Fn(&T) -> String) -> String {
    items.iter().map(text).collect::<Vec<_>>().join(";")
}

/// One product in the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProductFeedRow {
    pub id: i64,
    pub version: i64,
    pub kind: ProductKind,
    pub kind_label_zh: String,
    pub name: String,
    pub publisher_id: i64,
    pub publisher_name: String,
    pub amount_min_fen: i64,
    pub amount_max_fen: i64,
    /// Yuan with two decimals.
    pub amount_min_yuan: String,
    pub amount_max_yuan: String,
    /// Percent a year, exact.
    pub rate_min_pct: String,
    pub rate_max_pct: String,
    pub months_min: u32,
    pub months_max: u32,
    pub right_kinds: Vec<RightKind>,
    pub regions: Vec<String>,
    pub park_ids: Vec<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ltv_cap_bp: Option<u32>,
    pub required_designations: Vec<crate::market::Designation>,
    pub repayment_methods: Vec<crate::loan::RepaymentMethod>,
    pub valid_from: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

/// The product feed's CSV columns, in order.
pub const PRODUCT_COLUMNS: [&str; 22] = [
    "id",
    "version",
    "kind",
    "kind_label_zh",
    "name",
    "publisher_id",
    "publisher_name",
    "amount_min_fen",
    "amount_max_fen",
    "amount_min_yuan",
    "amount_max_yuan",
    "rate_min_pct",
    "rate_max_pct",
    "months_min",
    "months_max",
    "right_kinds",
    "regions",
    "park_ids",
    "ltv_cap_bp",
    "required_designations",
    "valid_from",
    "valid_until",
];

impl ProductFeedRow {
    pub fn new(
        (id, version, publisher_id): (i64, i64, i64),
        publisher_name: String,
        terms: ProductTerms,
        updated_at: DateTime<Utc>,
    ) -> ProductFeedRow {
        ProductFeedRow {
            id,
            version,
            kind: terms.kind,
            kind_label_zh: terms.kind.label_zh().to_string(),
            publisher_id,
            publisher_name,
            amount_min_yuan: format_fen(terms.amount_min_fen),
            amount_max_yuan: format_fen(terms.amount_max_fen),
            rate_min_pct: pct_of_ppm(terms.rate_min_ppm),
            rate_max_pct: pct_of_ppm(terms.rate_max_ppm),
            name: terms.name,
            amount_min_fen: terms.amount_min_fen,
            amount_max_fen: terms.amount_max_fen,
            months_min: terms.months_min,
            months_max: terms.months_max,
            right_kinds: terms.right_kinds,
            regions: terms.regions,
            park_ids: terms.park_ids,
            ltv_cap_bp: terms.ltv_cap_bp,
            required_designations: terms.required_designations,
            repayment_methods: terms.repayment_methods,
            valid_from: terms.valid_from,
            valid_until: terms.valid_until,
            updated_at,
        }
    }

    /// The CSV record, in [`PRODUCT_COLUMNS`]' order; lists joined with `;`.
    pub fn csv_record(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.version.to_string(),
            self.kind.as_str().to_string(),
            self.kind_label_zh.clone(),
            self.name.clone(),
            self.publisher_id.to_string(),
            self.publisher_name.clone(),
            self.amount_min_fen.to_string(),
            self.amount_max_fen.to_string(),
            self.amount_min_yuan.clone(),
            self.amount_max_yuan.clone(),
            self.rate_min_pct.clone(),
            self.rate_max_pct.clone(),
            self.months_min.to_string(),
            self.months_max.to_string(),
            joined(&self.right_kinds, |kind| kind.as_str().to_string()),
            self.regions.join(";"),
            joined(&self.park_ids, i64::to_string),
            self.ltv_cap_bp
                .map(|cap| cap.to_string())
                .unwrap_or_default(),
            joined(&self.required_designations, |designation| {
                designation.as_str().to_string()
            }),
            self.valid_from.to_string(),
            self.valid_until
                .map(|until| until.to_string())
                .unwrap_or_default(),
        ]
    }
}

/// One open demand in the feed: the enterprise's public record only, never its contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DemandFeedRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enterprise_uscc: Option<String>,
    /// GB/T 2260 code of the enterprise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub amount_fen: i64,
    pub amount_yuan: String,
    pub months: u32,
    pub purpose: String,
    /// Kinds of the rights offered (each once).
    pub right_kinds: Vec<RightKind>,
    pub urgency: Urgency,
    pub stage: Stage,
    pub published_on: NaiveDate,
    /// The platform it was imported from, with that platform's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// The demand feed's CSV columns, in order.
pub const DEMAND_COLUMNS: [&str; 16] = [
    "id",
    "enterprise_id",
    "enterprise_name",
    "enterprise_uscc",
    "region",
    "amount_fen",
    "amount_yuan",
    "months",
    "purpose",
    "right_kinds",
    "urgency",
    "stage",
    "published_on",
    "source",
    "external_id",
    "updated_at",
];

impl DemandFeedRow {
    /// The CSV record, in [`DEMAND_COLUMNS`]' order.
    pub fn csv_record(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.enterprise_id.to_string(),
            self.enterprise_name.clone(),
            self.enterprise_uscc.clone().unwrap_or_default(),
            self.region.clone().unwrap_or_default(),
            self.amount_fen.to_string(),
            self.amount_yuan.clone(),
            self.months.to_string(),
            self.purpose.clone(),
            joined(&self.right_kinds, |kind| kind.as_str().to_string()),
            self.urgency.as_str().to_string(),
            self.stage.as_str().to_string(),
            self.published_on.to_string(),
            self.source.clone().unwrap_or_default(),
            self.external_id.clone().unwrap_or_default(),
            self.updated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ]
    }
}

//! Exchange with credit-loan platforms (信易贷, issue 6, F5). Who may do what:
//! - anyone, signed in or not, pulls the product feed (products on offer are public);
//! - the demand feed (open demands shared with every lender; the enterprise's public record
//!   only, never its contacts) goes to signed-in lenders, the national office and platform
//!   administrators (all of it) and provincial offices (their province's);
//! - platform administrators and provincial offices (for enterprises of their province) import
//!   a platform's demands and credit grades, row by row: each row is created, a duplicate (its
//!   platform key was imported before: nothing changes) or rejected with its fields' faults.
//!
//! Feeds are JSON or CSV (UTF-8 with a byte-order mark, RFC 4180), documented in
//! `docs/exchange-feeds.md`.

use crate::{App, AppError, ErrorKind};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use ipyun_db::exchange::{DemandFeedFilter, MAX_FEED_ROWS, ProductFeedFilter};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::market::ProductKind;
use ipyun_domain::market::exchange::{
    DEMAND_COLUMNS, DemandFeedRow, PRODUCT_COLUMNS, ProductFeedRow,
};
use serde::{Deserialize, Serialize};

mod imports;

pub use imports::{BodyFormat, ImportReport, ImportRowReport, MAX_IMPORT_ROWS, RowOutcome};

/// The product feed's filters.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProductFeedQuery {
    /// Only rows changed at or after this: RFC 3339 (`2026-11-23T10:00:00+08:00`) or a date
    /// (`2026-11-23`, from midnight in China).
    pub since: Option<String>,
    pub kind: Option<ProductKind>,
    /// At most this many rows (default and maximum 5,000), oldest change first.
    pub limit: Option<i64>,
}

/// The demand feed's filters.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DemandFeedQuery {
    /// As for products.
    pub since: Option<String>,
    pub limit: Option<i64>,
}

macro_rules! feed {
    ($name:ident, $row:ty) => {
        /// A feed: its rows, oldest change first.
        #[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub generated_at: DateTime<Utc>,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub since: Option<DateTime<Utc>>,
            pub count: usize,
            /// The last row's change: pass it as `since` to pull what changed after (rows
            /// changed at that instant come again: keep the later copy).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub next_since: Option<DateTime<Utc>>,
            pub items: Vec<$row>,
        }

        impl $name {
            fn new(
                generated_at: DateTime<Utc>,
                since: Option<DateTime<Utc>>,
                items: Vec<$row>,
            ) -> Self {
                Self {
                    generated_at,
                    since,
                    count: items.len(),
                    next_since: items.last().map(|row| row.updated_at),
                    items,
                }
            }
        }
    };
}
feed!(ProductFeed, ProductFeedRow);
feed!(DemandFeed, DemandFeedRow);

fn bad_input(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::BadRequest, code, message)
}

/// `since` as an instant: RFC 3339, or a date meaning its midnight in China (UTC+8).
pub fn parse_since(raw: &str) -> Result<DateTime<Utc>, AppError> {
    let raw = raw.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(raw) {
        return Ok(instant.with_timezone(&Utc));
    }
    let fault = || {
        AppError::validation(FieldErrors(vec![FieldError::new(
            "since",
            "invalid",
            format!("{raw:?} is neither an RFC 3339 instant nor a date (YYYY-MM-DD)"),
        )]))
    };
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| fault())?;
    let midnight = Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN));
    Ok(midnight - chrono::Duration::hours(8))
}

fn limit_of(limit: Option<i64>) -> Result<i64, AppError> {
    match limit {
        None => Ok(MAX_FEED_ROWS),
        Some(limit) if (1..=MAX_FEED_ROWS).contains(&limit) => Ok(limit),
        Some(_) => Err(AppError::validation(FieldErrors(vec![FieldError::new(
            "limit",
            "out_of_range",
            format!("a feed returns 1 to {MAX_FEED_ROWS} rows"),
        )]))),
    }
}

/// CSV in UTF-8 with a byte-order mark (so Excel reads the Chinese), CRLF line ends and
/// quoting as RFC 4180 needs.
pub fn csv_bytes(columns: &[&str], records: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    // Writing into memory cannot fail; a failed record would only be left out.
    let _ = writer.write_record(columns);
    for record in records {
        let _ = writer.write_record(&record);
    }
    writer.into_inner().unwrap_or_default()
}

impl ProductFeed {
    pub fn to_csv(&self) -> Vec<u8> {
        csv_bytes(
            &PRODUCT_COLUMNS,
            self.items.iter().map(ProductFeedRow::csv_record),
        )
    }
}

impl DemandFeed {
    pub fn to_csv(&self) -> Vec<u8> {
        csv_bytes(
            &DEMAND_COLUMNS,
            self.items.iter().map(DemandFeedRow::csv_record),
        )
    }
}

impl App {
    /// The products on offer today (public).
    pub async fn product_feed(&self, query: &ProductFeedQuery) -> Result<ProductFeed, AppError> {
        let since = query.since.as_deref().map(parse_since).transpose()?;
        let items = self
            .db
            .feed_products(&ProductFeedFilter {
                offered_on: self.clock.today(),
                since,
                kind: query.kind,
                limit: limit_of(query.limit)?,
            })
            .await?;
        Ok(ProductFeed::new(self.clock.now(), since, items))
    }

    /// Open demands shared with every lender, for the principals the module names.
    pub async fn demand_feed(
        &self,
        principal: Option<&Principal>,
        query: &DemandFeedQuery,
    ) -> Result<DemandFeed, AppError> {
        let principal = principal.ok_or_else(AppError::unauthenticated)?;
        let region_prefix = match (principal.role, principal.party_id) {
            (Role::PlatformAdmin | Role::NationalOffice, _) | (Role::Lender, Some(_)) => None,
            (Role::ProvincialOffice, _) => Some(
                crate::loans::province(principal)
                    .ok_or_else(|| AppError::forbidden("your office has no region"))?,
            ),
            _ => {
                return Err(AppError::forbidden(
                    "the demand feed is for lenders, offices and the platform",
                ));
            }
        };
        let since = query.since.as_deref().map(parse_since).transpose()?;
        let items = self
            .db
            .feed_demands(&DemandFeedFilter {
                since,
                region_prefix,
                limit: limit_of(query.limit)?,
            })
            .await?;
        Ok(DemandFeed::new(self.clock.now(), since, items))
    }
}

//! Exchange with credit-loan platforms (信易贷, issue 6, F5): the rows of the product and demand
//! feeds and their CSV columns (stable: documented in `docs/exchange-feeds.md`), the rows a
//! platform imports (its demands, credit grades), and the webhooks to lenders' systems — the
//! endpoint's terms, the signature over each delivery and the retry schedule. Pure.

mod feed;
mod import;
mod webhook;

pub use feed::{DEMAND_COLUMNS, DemandFeedRow, PRODUCT_COLUMNS, ProductFeedRow, pct_of_ppm};
pub use import::{CreditGradeRow, ImportedGrade, MAX_KEY_CHARS, PlatformDemand, PlatformDemandRow};
pub use webhook::{
    DeliveryStatus, EVENT_DEMAND_MATCH, MAX_URL_CHARS, RETRY_DELAYS_SECS, SECRET_CHARS,
    WebhookDraft, WebhookStatus, WebhookTerms, retry_delay, signature, verify_signature,
};

#[cfg(test)]
mod tests;

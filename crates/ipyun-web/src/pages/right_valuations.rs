//! The valuations of a right, for its page: those the viewer may see (the app decides: their
//! maker's organisation, the right's holders, the appraiser, offices), newest first.

use super::valuation_result::money;
use super::views::local_time;
use ipyun_app::valuations::StoredValuation;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub(super) struct RightValuationRow {
    pub method: &'static str,
    pub purpose: String,
    /// The value in yuan to the fen, with thousands separators.
    pub value: String,
    pub valued_by: String,
    pub made_by: String,
    pub made_at: String,
}

impl From<StoredValuation> for RightValuationRow {
    fn from(stored: StoredValuation) -> Self {
        let purpose = serde_json::to_value(stored.record.purpose)
            .ok()
            .and_then(|value| value.as_str().map(str::to_string))
            .unwrap_or_default();
        RightValuationRow {
            method: stored.record.method.code(),
            purpose,
            value: money(stored.record.value_yuan),
            valued_by: stored.record.valued_by,
            made_by: stored.made_by,
            made_at: local_time(stored.made_at),
        }
    }
}

/// The rows, newest first.
pub(super) fn rows(valuations: Vec<StoredValuation>) -> Vec<RightValuationRow> {
    let mut sorted = valuations;
    sorted.sort_by(|left, right| {
        right
            .made_at
            .cmp(&left.made_at)
            .then(right.id.cmp(&left.id))
    });
    sorted.into_iter().map(RightValuationRow::from).collect()
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;
    use chrono::DateTime;
    use ipyun_domain::valuation::{
        ReliefFromRoyaltyInput, ValuationInputs, ValuationPurpose, ValuationRecord,
    };
    use std::str::FromStr;

    /// A recorded relief-from-royalty valuation of 98,396.50 yuan.
    pub fn valuations() -> Vec<StoredValuation> {
        let dec = |text: &str| ipyun_domain::valuation::Decimal::from_str(text).unwrap_or_default();
        let inputs = ValuationInputs::ReliefFromRoyalty(ReliefFromRoyaltyInput {
            revenues: vec![dec("1000000"), dec("1100000"), dec("1200000")],
            royalty_rate_pct: dec("5"),
            discounting: ipyun_domain::valuation::DiscountingInput {
                discount_rate_pct: dec("12"),
                tax_rate_pct: dec("25"),
                ..Default::default()
            },
        });
        let record = ValuationRecord::new(
            inputs,
            ValuationPurpose::Pledge,
            "工商银行 <script>",
            DateTime::UNIX_EPOCH,
        );
        record
            .into_iter()
            .map(|record| StoredValuation {
                id: 1,
                right_number: Some("202110123456.7".into()),
                appraiser_id: None,
                made_by: "icbc-loan".into(),
                made_at: DateTime::UNIX_EPOCH,
                record,
            })
            .collect()
    }

    #[test]
    fn a_row_shows_the_value_to_the_fen() {
        let found = rows(valuations());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, "98,396.50");
        assert_eq!(
            (found[0].method, found[0].purpose.as_str()),
            ("relief_from_royalty", "pledge")
        );
    }
}

//! How interest accrues over a period.
//!
//! - `monthly` (the banks' usual convention, the default): the monthly rate is the annual rate
//!   ÷ 12, whatever the month's length; a period of m months bears balance × annual × m ÷ 12.
//! - `actual_360`: balance × annual × days ÷ 360, counting the actual days from one due date
//!   (or the disbursement) to the next: the first day counts, the last does not.
//! - `actual_365`: the same over 365, also in a leap year ("actual/365 fixed"): a period holding
//!   29 February has one day more, not a larger basis.
//!
//! Each period's interest is rounded half up to the fen once, from exact integer arithmetic.

use super::money::{AnnualRate, div_half_up, fen};
use crate::id::IdError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The interest convention of a product.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
pub enum DayCount {
    /// Annual rate ÷ 12 per month (按月计息).
    #[default]
    #[serde(rename = "monthly")]
    Monthly,
    /// Actual days ÷ 360 (按日计息，年基础天数 360).
    #[serde(rename = "actual_360")]
    Actual360,
    /// Actual days ÷ 365 (按日计息，年基础天数 365).
    #[serde(rename = "actual_365")]
    Actual365,
}

impl DayCount {
    pub const ALL: &'static [DayCount] =
        &[DayCount::Monthly, DayCount::Actual360, DayCount::Actual365];

    pub fn as_str(self) -> &'static str {
        match self {
            DayCount::Monthly => "monthly",
            DayCount::Actual360 => "actual_360",
            DayCount::Actual365 => "actual_365",
        }
    }

    /// Parses `monthly`, `actual_360`, `actual/360`, `act-365` and the like.
    pub fn parse(raw: &str) -> Result<DayCount, IdError> {
        let normal = raw
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '/', ' '], "_")
            .replace("act_", "actual_");
        DayCount::ALL
            .iter()
            .copied()
            .find(|value| value.as_str() == normal)
            .ok_or_else(|| {
                IdError::new(
                    "unknown_value",
                    format!(
                        "day count should be one of monthly, actual_360, actual_365; found {raw:?}"
                    ),
                )
            })
    }

    /// The interest in fen on `balance_fen` at `rate` for the period from `from` to `to`, which
    /// spans `months` whole months (used by `monthly` only): exact, then rounded half up once.
    pub fn interest_fen(
        self,
        balance_fen: i64,
        rate: AnnualRate,
        from: NaiveDate,
        to: NaiveDate,
        months: u32,
    ) -> i64 {
        let (time, basis) = match self {
            DayCount::Monthly => (i128::from(months), 12),
            DayCount::Actual360 => (i128::from(days_between(from, to)), 360),
            DayCount::Actual365 => (i128::from(days_between(from, to)), 365),
        };
        let numerator = i128::from(balance_fen) * i128::from(rate.ppm()) * time;
        fen(div_half_up(numerator, 1_000_000 * basis))
    }
}

/// The days from `from` to `to`: the first day counts, the last does not (negative when `to` is
/// earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

//! Worked examples, each computed by hand in its comment, the refusals of invalid inputs, and
//! property tests over thousands of random loans, repayments and fund events drawn from a fixed
//! SplitMix64 stream (no dependency; the same cases on every run).
#![allow(clippy::unwrap_used, clippy::panic)]

mod classification;
mod contract;
mod daycount;
mod disposal;
mod fund;
mod ledger;
mod money;
mod prepayment;
mod properties;
mod repayment;
mod schedule;
mod subsidy;

use super::DayCount;
use super::{Instalment, RepaymentMethod, ScheduleInput};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use std::str::FromStr;

pub(super) fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub(super) fn instant(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

pub(super) fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// A schedule input with the monthly convention.
pub(super) fn input(
    principal_fen: i64,
    rate_pct: &str,
    months: u32,
    method: RepaymentMethod,
    start: &str,
) -> ScheduleInput {
    ScheduleInput {
        principal_fen,
        annual_rate_pct: dec(rate_pct),
        months,
        method,
        start_date: date(start),
        day_count: DayCount::Monthly,
    }
}

/// A row as (period, due date, payment, principal, interest, balance), amounts in fen.
pub(super) type Row = (u32, &'static str, i64, i64, i64, i64);

pub(super) fn rows(schedule: &[Instalment]) -> Vec<(u32, String, i64, i64, i64, i64)> {
    schedule
        .iter()
        .map(|row| {
            (
                row.period,
                row.due_date.to_string(),
                row.payment_fen,
                row.principal_fen,
                row.interest_fen,
                row.balance_fen,
            )
        })
        .collect()
}

pub(super) fn expected(table: &[Row]) -> Vec<(u32, String, i64, i64, i64, i64)> {
    table
        .iter()
        .map(|(period, due, payment, principal, interest, balance)| {
            (
                *period,
                due.to_string(),
                *payment,
                *principal,
                *interest,
                *balance,
            )
        })
        .collect()
}

/// Expected refusals as `(field, code)`.
pub(super) type Codes = Vec<(&'static str, &'static str)>;

/// The `(field, code)` pairs of a refusal.
pub(super) fn refusals(errors: &crate::field::FieldErrors) -> Vec<(String, String)> {
    errors
        .0
        .iter()
        .map(|error| (error.field.clone(), error.code.clone()))
        .collect()
}

pub(super) fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(field, code)| (field.to_string(), code.to_string()))
        .collect()
}

/// SplitMix64 (as `ipyun-app`'s demo generator): fast, well mixed and fixed forever, so the
/// property tests draw the same cases on every run.
pub(super) struct Rng {
    state: u64,
}

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng {
            state: seed ^ 0x5DEE_CE66_D1CE_4E5B,
        }
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub(super) fn range(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = (high - low) as u64 + 1;
        low + (self.next_u64() % span) as i64
    }

    /// True with probability `per_mille` / 1000.
    pub(super) fn chance(&mut self, per_mille: u64) -> bool {
        self.next_u64() % 1000 < per_mille
    }

    pub(super) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() as i64 - 1) as usize]
    }

    /// An amount spread over orders of magnitude: 1 fen to 10^`max_digits` fen.
    pub(super) fn amount(&mut self, max_digits: u32) -> i64 {
        let digits = self.range(0, i64::from(max_digits)) as u32;
        self.range(1, 10_i64.pow(digits))
    }
}

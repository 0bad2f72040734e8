//! Worked examples, each computed by hand in its comment, and the refusals of invalid inputs.
//!
//! An expected decimal is exact unless it starts with `≈`: then the computed value, rounded half
//! away from zero to as many decimals as the expectation shows, must equal it.
#![allow(clippy::unwrap_used, clippy::panic)]

mod cost;
mod discount;
mod errors;
mod excess;
mod market;
mod record;
mod royalty;

use super::number::dec;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::de::DeserializeOwned;

/// Asserts `actual` against an expectation: exact, or `≈` rounded (see the module comment).
pub(super) fn assert_dec(label: &str, actual: Decimal, expected: &str) {
    match expected.strip_prefix('≈') {
        Some(rounded) => {
            let decimals = rounded
                .split_once('.')
                .map_or(0, |(_, fraction)| fraction.len());
            let shown = actual
                .round_dp_with_strategy(decimals as u32, RoundingStrategy::MidpointAwayFromZero);
            assert_eq!(
                format!("{shown:.decimals$}"),
                rounded,
                "{label}: {actual} is not ≈ {rounded}"
            );
        }
        None => assert_eq!(
            actual.normalize(),
            dec(expected).normalize(),
            "{label}: {actual} is not exactly {expected}"
        ),
    }
}

/// An input from its JSON form, as the API receives it.
pub(super) fn input<T: DeserializeOwned>(json: serde_json::Value) -> T {
    serde_json::from_value(json.clone()).unwrap_or_else(|error| panic!("{json}: {error}"))
}

/// The `(field, code)` pairs of a refusal.
pub(super) fn refusals(errors: &crate::field::FieldErrors) -> Vec<(String, String)> {
    errors
        .0
        .iter()
        .map(|error| (error.field.clone(), error.code.clone()))
        .collect()
}

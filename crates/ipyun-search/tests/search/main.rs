//! The search crate's behaviour, checked against brute-force computations over the same
//! generated records.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod facets;
mod fixture;
mod landscape;
mod queries;
mod recall;
mod writer;

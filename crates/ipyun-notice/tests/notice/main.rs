//! The notice crate's integration tests (one test binary).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod pdf;
mod signing;

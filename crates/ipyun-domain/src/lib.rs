//! ipyun's domain: identifiers, rules and models. This crate does no IO and knows nothing of
//! HTTP, SQL or search; nothing in it can fail for an outside reason.

pub mod account;
pub mod avm;
pub mod calendar;
pub mod clock;
pub mod field;
pub mod id;
pub mod loan;
pub mod market;
pub mod page;
pub mod party;
pub mod pledge;
pub mod right;
pub mod royalty;
pub mod valuation;

pub use field::{FieldError, FieldErrors};

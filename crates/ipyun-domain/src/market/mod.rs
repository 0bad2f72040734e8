//! The finance marketplace (issue 6): the product catalogue (F1), financing demands and their
//! pipeline (F2); matchmaking and white-lists follow. Pure rules, no IO.

mod demand;
mod matching;
mod product;

#[cfg(test)]
mod tests;

pub use demand::{
    DemandDraft, DemandTerms, MAX_OFFERED_RIGHTS, MAX_PURPOSE_CHARS, MAX_SHARED_WITH, Stage,
    Urgency,
};
pub use matching::{Applicant, Mismatch, mismatches};
pub use product::{
    Designation, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_PLACES, ProductDraft, ProductKind,
    ProductStatus, ProductTerms, region_prefix,
};

//! The finance marketplace (issue 6): the product catalogue (F1); demands, matchmaking and
//! white-lists follow. Pure rules, no IO.

mod product;

#[cfg(test)]
mod tests;

pub use product::{
    Designation, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_PLACES, ProductDraft, ProductKind,
    ProductStatus, ProductTerms, region_prefix,
};

//! The finance marketplace (issue 6): the product catalogue (F1), financing demands and their
//! pipeline (F2); matchmaking and white-lists follow. Pure rules, no IO.

mod demand;
pub mod event;
pub mod exchange;
mod matching;
mod product;
mod ranking;
mod scoring;
mod scoring_words;
mod screening;
mod screening_explain;
mod screening_rules;

#[cfg(test)]
mod screening_tests;
#[cfg(test)]
mod tests;

pub use demand::{
    DemandDraft, DemandTerms, MAX_OFFERED_RIGHTS, MAX_PURPOSE_CHARS, MAX_SHARED_WITH, Stage,
    Urgency,
};
pub use matching::{Applicant, Mismatch, Need, eligible, finances, mismatches, mismatches_for};
pub use product::{
    Designation, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_PLACES, ProductDraft, ProductKind,
    ProductStatus, ProductTerms, region_prefix,
};
pub use ranking::{Batch, Ranked, Seeker, best_first, top_products, top_seekers};
pub use scoring::{
    Explanation, FULL_BP, MismatchReason, PartScore, ScorePart, explain, score, score_unchecked,
};
pub use screening::{
    EnterpriseFacts, FactorContribution, FilterOutcome, ScreenFilter, Screened, check_filters,
    factor_value, pre_approved_fen, screen, screen_one,
};
pub use screening_explain::{
    ScreeningExplanation, WordedFactor, WordedFilter, bp_points, yuan_text,
};
pub use screening_rules::{
    AMOUNT_STEP_FEN, AmountRule, CreditGrade, Factor, FactorWeight, GradeSource, IntegrityFlagKind,
    RuleSet, RuleSetDraft, SCREENING_MODEL, ScreeningFilters, SizeCap, TOTAL_WEIGHT_BP,
};

//! Automated valuation of patents (feature V3): an explainable score on the indicator tree of
//! GB/T 42748-2023《专利评估指引》, a value range, a confidence, and each indicator's contribution in
//! words. Pure and deterministic: integers only (fen, basis points), no clock, no IO.
//!
//! # The indicator tree
//!
//! GB/T 42748-2023 assesses a patent's value along three first-level indicators — 法律价值 (legal),
//! 技术价值 (technical) and 经济价值 (economic) — each refined by second-level indicators. The model
//! keeps the three, and takes the 14 second-level indicators that ipyun's data can measure
//! (see [`Indicator`]):
//!
//! - 法律价值: 法律状态 (in force; late fee; pending invalidation; frozen; in dispute; pending grant),
//!   剩余保护期 (years left as a share of the statutory term), 权利稳定性 (substantive examination,
//!   invalidation requests survived, litigation), 保护范围 (claims, independent claims), 同族保护
//!   (family members and countries: protection abroad). The standard's 侵权可判定性 and 依赖性 need
//!   a reading of the claims against products and other patents; no register holds them.
//! - 技术价值: 技术先进性 (forward citations per year of age against the IPC field's average: a
//!   young patent is not penalised, a field that cites little is not either), 技术成熟度
//!   (implemented in production), 技术领域活跃度 (the IPC subclass's share of the last three years'
//!   filings against the register's: a field in motion), 引用基础 (backward citations: the prior art
//!   weighed at grant) and 研发投入 (inventors). The standard's 技术替代性 and 技术独立性 again need
//!   an expert's reading.
//! - 经济价值: 市场应用 (licences granted: others pay to use it), 权利人经营 (the holder's size class
//!   and 专精特新 / “小巨人” designations: its capacity to exploit the patent), 许可收益 (the holder's
//!   revenue × the industry's royalty rate: the licence income the patent's field supports at the
//!   holder's scale) and 交易活跃 (transfers and pledges: a market has priced it before). The
//!   standard's 市场规模 and 市场占有率 are approximated by the royalty rate in the base value.
//!
//! Each indicator's raw measure maps to a score of 0–10,000 (basis points of the full score) by
//! piecewise-linear breakpoints stated in [`measure`]. An indicator without data scores the neutral
//! 5,000 and lowers the confidence. Weights per purpose are in [`Purpose::weights_bp`].
//!
//! # The value
//!
//! mid = base value by kind and purpose × the field's royalty rate against the 3% reference ×
//! a multiplier from the composite score (1× at the neutral 50 points, 4× at 100, 0.1× at 0), see
//! [`value`]. The range widens as the confidence falls: low = mid ÷ (1 + s), high = mid × (1 + s)
//! with s = 2 × (1 − confidence). A right that has lapsed, expired or been invalidated is worth
//! nothing as a right.
//!
//! Each contribution says what would change if that indicator stood at the neutral level: the
//! value with the patent's score against the value with this indicator at 5,000.
//!
//! [`AvmModel::score`] is the fast path: no allocation. [`AvmModel::explain`] writes the words.

pub mod backtest;
mod explain;
mod field;
pub mod measure;
mod text;
mod tree;
pub mod value;

#[cfg(test)]
mod tests;

pub use explain::Contribution;
pub use field::{
    FieldEntry, FieldKey, FieldStats, MIN_FIELD_PATENTS, REFERENCE_CITATIONS_PER_YEAR_MILLI,
    RoyaltyTable, age_years,
};
pub use tree::{Dimension, INDICATORS, Indicator, Purpose};

use crate::party::SizeClass;
use crate::right::{LegalStatus, RightKind};
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

/// The model's name and version, stored with every automated valuation.
pub const MODEL_VERSION: &str = "gbt42748-avm-1";

/// What `patent_indicators` records of a patent besides the register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IndicatorCounts {
    pub claims: u32,
    pub independent_claims: u32,
    pub family_size: u32,
    pub family_countries: u32,
    pub forward_citations: u32,
    pub backward_citations: u32,
    pub inventors: u32,
    pub licences: u32,
    pub transfers: u32,
    pub litigations: u32,
    pub invalidation_requests: u32,
}

/// The first holder's business, as the parties register knows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HolderProfile {
    pub size_class: Option<SizeClass>,
    pub specialised_sme: bool,
    pub little_giant: bool,
}

/// Everything the model reads of one patent. `Copy`: scoring never allocates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatentIndicators {
    pub kind: RightKind,
    pub legal_status: LegalStatus,
    pub filing_date: NaiveDate,
    pub grant_date: Option<NaiveDate>,
    /// As recorded; computed from the kind and filing date when absent.
    pub expiry_date: Option<NaiveDate>,
    /// The IPC subclass of the main classification.
    pub field: Option<FieldKey>,
    /// The mid royalty rate of the patent's industry, basis points of revenue.
    pub royalty_bp: Option<u32>,
    /// `None` when the patent has no `patent_indicators` row.
    pub counts: Option<IndicatorCounts>,
    pub implemented: Option<bool>,
    pub holder_revenue_fen: Option<i64>,
    /// `None` when the first holder is not a registered party.
    pub holder: Option<HolderProfile>,
    /// Pledges registered over the patent, past and present.
    pub pledges: u32,
}

/// The fast path's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AvmScore {
    /// Composite score, basis points of the full score (10,000 = 100 points).
    pub score_bp: u32,
    /// Legal, technical and economic scores, each the weighted mean of its indicators.
    pub dimension_scores_bp: [u32; 3],
    pub low_fen: i64,
    pub mid_fen: i64,
    pub high_fen: i64,
    pub confidence_bp: u32,
}

impl AvmScore {
    /// Not a patent: the model does not value it.
    pub const NOT_ASSESSED: AvmScore = AvmScore {
        score_bp: 0,
        dimension_scores_bp: [0; 3],
        low_fen: 0,
        mid_fen: 0,
        high_fen: 0,
        confidence_bp: 0,
    };
}

/// The model as of a valuation date, with the register's field statistics.
#[derive(Debug, Clone)]
pub struct AvmModel {
    valued_on: NaiveDate,
    fields: Arc<FieldStats>,
}

/// Σ weight × score and Σ weight × known over the 14 indicators (before dividing by 10,000).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Totals {
    pub(crate) weighted_score: u64,
    pub(crate) weighted_known: u64,
    pub(crate) scores_bp: [u32; INDICATORS],
    pub(crate) dimension_scores_bp: [u32; 3],
}

impl AvmModel {
    pub fn new(valued_on: NaiveDate, fields: FieldStats) -> AvmModel {
        AvmModel {
            valued_on,
            fields: Arc::new(fields),
        }
    }

    /// The same statistics, valuing as of another date (a back-test values each price on its day).
    pub fn on(&self, valued_on: NaiveDate) -> AvmModel {
        AvmModel {
            valued_on,
            fields: Arc::clone(&self.fields),
        }
    }

    pub fn valued_on(&self) -> NaiveDate {
        self.valued_on
    }

    pub fn fields(&self) -> &FieldStats {
        &self.fields
    }

    pub(crate) fn totals(&self, patent: &PatentIndicators, purpose: Purpose) -> Totals {
        let weights = purpose.weights_bp();
        let mut totals = Totals {
            weighted_score: 0,
            weighted_known: 0,
            scores_bp: [0; INDICATORS],
            dimension_scores_bp: [0; 3],
        };
        let mut dimension_sums = [0u64; 3];
        let mut dimension_weights = [0u64; 3];
        for indicator in Indicator::ALL {
            let measured = measure::measure(self, patent, indicator);
            let weight = u64::from(weights[indicator.index()]);
            totals.weighted_score += weight * u64::from(measured.score_bp);
            totals.weighted_known += weight * u64::from(measured.known_bp);
            totals.scores_bp[indicator.index()] = measured.score_bp;
            let dimension = indicator.dimension().index();
            dimension_sums[dimension] += weight * u64::from(measured.score_bp);
            dimension_weights[dimension] += weight;
        }
        for dimension in 0..3 {
            totals.dimension_scores_bp[dimension] =
                u32::try_from(dimension_sums[dimension] / dimension_weights[dimension].max(1))
                    .unwrap_or(0);
        }
        totals
    }

    /// Scores and values one patent for `purpose`. Allocation-free.
    pub fn score(&self, patent: &PatentIndicators, purpose: Purpose) -> AvmScore {
        if !patent.kind.is_patent() {
            return AvmScore::NOT_ASSESSED;
        }
        if patent.legal_status.is_terminal() {
            return AvmScore {
                confidence_bp: value::ENDED_CONFIDENCE_BP,
                ..AvmScore::NOT_ASSESSED
            };
        }
        let totals = self.totals(patent, purpose);
        let score_bp = u32::try_from(totals.weighted_score / 10_000).unwrap_or(10_000);
        let known_bp = u32::try_from(totals.weighted_known / 10_000).unwrap_or(10_000);
        let confidence_bp = value::confidence_bp(known_bp, patent.legal_status);
        let (low_fen, mid_fen, high_fen) = value::range_fen(
            patent.kind,
            purpose,
            patent.royalty_bp,
            score_bp,
            confidence_bp,
        );
        AvmScore {
            score_bp,
            dimension_scores_bp: totals.dimension_scores_bp,
            low_fen,
            mid_fen,
            high_fen,
            confidence_bp,
        }
    }

    /// Each indicator's contribution, in the tree's order, with its words in Chinese and English.
    pub fn explain(&self, patent: &PatentIndicators, purpose: Purpose) -> Vec<Contribution> {
        explain::explain(self, patent, purpose)
    }
}

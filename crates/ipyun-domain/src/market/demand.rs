//! Financing demands and the project pipeline (F2): an enterprise publishes what it needs; the
//! pipeline follows it from published to money (or to dropped), each stage dated, so conversion
//! and the time to money can be measured.
//!
//! ```text
//! published → matched → in_talks → approved → registered → disbursed → closed
//!     (stages may be skipped forward, never gone back; any stage before closed → dropped)
//! ```
//! `registered` names the pledge's registration number, `disbursed` the loan.

use crate::field::{FieldError, FieldErrors};
use crate::loan::MAX_AMOUNT_FEN;
use crate::party::string_enum;
use serde::{Deserialize, Serialize};

/// The longest purpose, in characters.
pub const MAX_PURPOSE_CHARS: usize = 500;
/// The most rights a demand may offer.
pub const MAX_OFFERED_RIGHTS: usize = 50;
/// The most lenders a demand may be shared with.
pub const MAX_SHARED_WITH: usize = 50;

string_enum!(
    /// How soon the money is needed.
    Urgency, "urgency" {
    Low => "low",
    Normal => "normal",
    High => "high",
});

string_enum!(
    /// Where a demand stands in the pipeline (ordered).
    #[derive(PartialOrd, Ord)]
    Stage, "stage" {
    Published => "published",
    Matched => "matched",
    InTalks => "in_talks",
    Approved => "approved",
    Registered => "registered",
    Disbursed => "disbursed",
    Closed => "closed",
    Dropped => "dropped",
});

impl Stage {
    /// Nothing follows.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Closed | Stage::Dropped)
    }

    /// Whether `next` may follow: forward along the pipeline (skipping allowed), `closed` only
    /// after `disbursed`, `dropped` from any stage not final.
    pub fn may_become(self, next: Stage) -> bool {
        match next {
            Stage::Dropped => !self.is_final(),
            Stage::Closed => self == Stage::Disbursed,
            _ => !self.is_final() && next > self,
        }
    }

    /// The first stage (within a pipeline's order) that is money: disbursed or closed.
    pub fn is_funded(self) -> bool {
        matches!(self, Stage::Disbursed | Stage::Closed)
    }
}

/// A demand as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandDraft {
    pub amount_fen: Option<i64>,
    pub months: Option<u32>,
    pub purpose: Option<String>,
    /// Numbers of the rights offered as collateral (the enterprise's own).
    #[serde(default)]
    pub rights: Vec<String>,
    pub urgency: Option<Urgency>,
    /// Lenders (party ids) it is shared with; none: every lender sees it.
    #[serde(default)]
    pub shared_with: Vec<i64>,
}

/// A validated demand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DemandTerms {
    pub amount_fen: i64,
    pub months: u32,
    pub purpose: String,
    pub rights: Vec<String>,
    pub urgency: Urgency,
    pub shared_with: Vec<i64>,
}

impl DemandDraft {
    /// Checks every field at once (the rights' numbers are checked against the register by the
    /// caller).
    pub fn validate(&self) -> Result<DemandTerms, FieldErrors> {
        let mut errors = FieldErrors::default();
        match self.amount_fen {
            None => errors.push(FieldError::required("amount_fen")),
            Some(amount) if amount <= 0 || amount > MAX_AMOUNT_FEN => errors.push(FieldError::new(
                "amount_fen",
                "out_of_range",
                "an amount is positive and at most 10^15 yuan",
            )),
            _ => {}
        }
        match self.months {
            None => errors.push(FieldError::required("months")),
            Some(months) if months == 0 || months > 360 => errors.push(FieldError::new(
                "months",
                "out_of_range",
                "a term is 1 to 360 months",
            )),
            _ => {}
        }
        let purpose = self.purpose.as_deref().map(str::trim).unwrap_or_default();
        if purpose.is_empty() {
            errors.push(FieldError::required("purpose"));
        } else if purpose.chars().count() > MAX_PURPOSE_CHARS {
            errors.push(FieldError::new(
                "purpose",
                "too_long",
                format!("at most {MAX_PURPOSE_CHARS} characters"),
            ));
        }
        if self.rights.len() > MAX_OFFERED_RIGHTS {
            errors.push(FieldError::new(
                "rights",
                "too_many",
                format!("at most {MAX_OFFERED_RIGHTS} rights"),
            ));
        }
        if self.shared_with.len() > MAX_SHARED_WITH {
            errors.push(FieldError::new(
                "shared_with",
                "too_many",
                format!("at most {MAX_SHARED_WITH} lenders"),
            ));
        }
        errors.into_result()?;
        let mut rights: Vec<String> = self
            .rights
            .iter()
            .map(|number| number.trim().to_string())
            .filter(|number| !number.is_empty())
            .collect();
        rights.sort();
        rights.dedup();
        let mut shared_with = self.shared_with.clone();
        shared_with.sort_unstable();
        shared_with.dedup();
        Ok(DemandTerms {
            amount_fen: self.amount_fen.unwrap_or_default(),
            months: self.months.unwrap_or_default(),
            purpose: purpose.to_string(),
            rights,
            urgency: self.urgency.unwrap_or(Urgency::Normal),
            shared_with,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stages_move_forward_only_and_close_after_money() {
        use Stage::*;
        assert!(Published.may_become(InTalks), "skipping forward");
        assert!(!InTalks.may_become(Matched), "never back");
        assert!(!Approved.may_become(Closed));
        assert!(Disbursed.may_become(Closed));
        assert!(InTalks.may_become(Dropped) && !Closed.may_become(Dropped));
        assert!(!Dropped.may_become(Published));
        assert!(Disbursed.is_funded() && !Registered.is_funded());
    }

    #[test]
    fn a_demand_names_every_fault_and_keeps_its_rights_once() {
        let draft = DemandDraft {
            amount_fen: Some(0),
            months: Some(361),
            purpose: Some(" ".into()),
            ..DemandDraft::default()
        };
        let fields: Vec<String> = draft
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(fields, ["amount_fen", "months", "purpose"]);
        let draft = DemandDraft {
            amount_fen: Some(300_000_000),
            months: Some(12),
            purpose: Some("购置生产线".into()),
            rights: vec!["CN2".into(), " CN1 ".into(), "CN2".into()],
            urgency: None,
            shared_with: vec![3, 1, 3],
        };
        let terms = draft.validate().unwrap();
        assert_eq!(terms.rights, ["CN1", "CN2"]);
        assert_eq!(terms.shared_with, [1, 3]);
        assert_eq!(terms.urgency, Urgency::Normal);
    }
}

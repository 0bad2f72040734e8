//! The rows a credit-loan platform hands over: its demands and credit grades.

use crate::field::{FieldError, FieldErrors};
use crate::id::Uscc;
use crate::loan::parse_yuan;
use crate::market::demand::{DemandDraft, Urgency};
use crate::market::{CreditGrade, GradeSource};
use chrono::NaiveDate;
use serde::Deserialize;

/// The longest platform name or external id, in characters.
pub const MAX_KEY_CHARS: usize = 100;

/// A demand a credit-loan platform hands over (a JSON object or a CSV row).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlatformDemandRow {
    /// The platform's name, e.g. `信易贷·苏州`.
    pub platform: Option<String>,
    /// The platform's own id of the demand.
    pub external_id: Option<String>,
    /// The enterprise, which must be registered here.
    pub uscc: Option<String>,
    /// The amount in fen, or
    pub amount_fen: Option<i64>,
    /// in yuan (at most two decimals), not both.
    pub amount_yuan: Option<String>,
    pub months: Option<u32>,
    pub purpose: Option<String>,
    /// Numbers of the enterprise's rights offered (optional).
    #[serde(default)]
    pub rights: Vec<String>,
    pub urgency: Option<Urgency>,
}

/// An imported demand, checked: its key, the enterprise's USCC and the draft to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformDemand {
    pub source: String,
    pub external_id: String,
    pub uscc: Uscc,
    pub draft: DemandDraft,
}

fn key_text(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> String {
    let value = value.map(str::trim).unwrap_or_default();
    if value.is_empty() {
        errors.push(FieldError::required(field));
    } else if value.chars().count() > MAX_KEY_CHARS {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {MAX_KEY_CHARS} characters"),
        ));
    }
    value.to_string()
}

fn uscc_of(errors: &mut FieldErrors, raw: Option<&str>) -> Option<Uscc> {
    match raw.map(str::trim).filter(|raw| !raw.is_empty()) {
        None => {
            errors.push(FieldError::required("uscc"));
            None
        }
        Some(raw) => errors.parse("uscc", Uscc::parse(raw)),
    }
}

impl PlatformDemandRow {
    /// Checks the row's own fields and the demand's (through [`DemandDraft::validate`]); every
    /// fault at once. Imported demands are shared with every lender.
    pub fn validate(&self) -> Result<PlatformDemand, FieldErrors> {
        let mut errors = FieldErrors::default();
        let source = key_text(&mut errors, "platform", self.platform.as_deref());
        let external_id = key_text(&mut errors, "external_id", self.external_id.as_deref());
        let uscc = uscc_of(&mut errors, self.uscc.as_deref());
        let yuan = self
            .amount_yuan
            .as_deref()
            .filter(|text| !text.trim().is_empty());
        let amount_fen = match (self.amount_fen, yuan) {
            (Some(_), Some(_)) => {
                errors.push(FieldError::new(
                    "amount_yuan",
                    "both_amounts",
                    "give the amount in fen or in yuan, not both",
                ));
                None
            }
            (Some(fen), None) => Some(fen),
            (None, Some(text)) => match parse_yuan("amount_yuan", text) {
                Ok(fen) => Some(fen),
                Err(error) => {
                    errors.push(error);
                    None
                }
            },
            (None, None) => None,
        };
        let draft = DemandDraft {
            amount_fen,
            months: self.months,
            purpose: self.purpose.clone(),
            rights: self.rights.clone(),
            urgency: self.urgency,
            shared_with: Vec::new(),
        };
        let yuan_faulted = errors.0.iter().any(|error| error.field == "amount_yuan");
        if let Err(found) = draft.validate() {
            errors.0.extend(
                found
                    .0
                    .into_iter()
                    .filter(|error| !(yuan_faulted && error.field == "amount_fen")),
            );
        }
        errors.into_result()?;
        let uscc = uscc.ok_or_else(|| FieldErrors(vec![FieldError::required("uscc")]))?;
        Ok(PlatformDemand {
            source,
            external_id,
            uscc,
            draft,
        })
    }
}

/// A credit grade a platform reports for an enterprise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditGradeRow {
    pub uscc: Option<String>,
    /// `xinyidai` (a credit-loan platform's grade) or `tax` (纳税信用).
    pub source: Option<String>,
    /// A, B, M, C or D.
    pub grade: Option<String>,
    /// The date the grade was given (or assessed for).
    pub as_of: Option<NaiveDate>,
}

/// A checked credit grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedGrade {
    pub uscc: Uscc,
    pub source: GradeSource,
    pub grade: CreditGrade,
    pub as_of: NaiveDate,
}

fn required<'a>(errors: &mut FieldErrors, field: &str, raw: Option<&'a str>) -> Option<&'a str> {
    let raw = raw.map(str::trim).filter(|raw| !raw.is_empty());
    if raw.is_none() {
        errors.push(FieldError::required(field));
    }
    raw
}

impl CreditGradeRow {
    /// Checks every field at once; a grade dated after `today` is refused.
    pub fn validate(&self, today: NaiveDate) -> Result<ImportedGrade, FieldErrors> {
        let mut errors = FieldErrors::default();
        let uscc = uscc_of(&mut errors, self.uscc.as_deref());
        let source = required(&mut errors, "source", self.source.as_deref())
            .and_then(|raw| errors.parse("source", GradeSource::parse(raw)));
        let grade = required(&mut errors, "grade", self.grade.as_deref())
            .and_then(|raw| errors.parse("grade", CreditGrade::parse(raw)));
        match self.as_of {
            None => errors.push(FieldError::required("as_of")),
            Some(date) if date > today => errors.push(FieldError::new(
                "as_of",
                "in_future",
                format!("{date} is after today ({today})"),
            )),
            _ => {}
        }
        match (uscc, source, grade, self.as_of, errors.is_empty()) {
            (Some(uscc), Some(source), Some(grade), Some(as_of), true) => Ok(ImportedGrade {
                uscc,
                source,
                grade,
                as_of,
            }),
            _ => Err(errors),
        }
    }
}

//! Unvalidated input for a right (from the API, an import row or demo data) and its validation.

use super::{Holder, LegalStatus, NewRight, RightKind, RightNumber, WHOLE_SHARE_BP};
use crate::field::{FieldError, FieldErrors};
use crate::id::{IpcSymbol, NiceClass, Uscc};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const MAX_TITLE_CHARS: usize = 500;
pub const MAX_HOLDERS: usize = 50;
pub const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolderDraft {
    pub name: Option<String>,
    pub uscc: Option<String>,
    /// Share in basis points; when every holder omits it, shares are split equally.
    pub share_bp: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RightDraft {
    pub kind: Option<String>,
    pub number: Option<String>,
    pub title: Option<String>,
    /// `YYYY-MM-DD`
    pub filing_date: Option<String>,
    /// `YYYY-MM-DD`: grant date of a patent, registration date of the other kinds.
    pub grant_date: Option<String>,
    pub legal_status: Option<String>,
    pub annual_fee_paid_until: Option<String>,
    pub nice_class: Option<String>,
    pub ipc_main: Option<String>,
    pub renewals: Option<u8>,
    #[serde(default)]
    pub holders: Vec<HolderDraft>,
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

fn parse_date(errors: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<NaiveDate> {
    let text = non_empty(value)?;
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                "date_format",
                format!("a date should be written YYYY-MM-DD; found {text:?}"),
            ));
            None
        }
    }
}

fn check_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    max_chars: usize,
) -> Option<String> {
    let Some(text) = non_empty(value) else {
        errors.push(FieldError::required(field));
        return None;
    };
    if text.chars().count() > max_chars {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {max_chars} characters are allowed"),
        ));
        return None;
    }
    Some(text.to_string())
}

impl RightDraft {
    /// Validates every field, reporting all findings at once. `today` bounds dates from the future.
    pub fn validate(&self, today: NaiveDate) -> Result<NewRight, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = match non_empty(&self.kind) {
            Some(text) => errors.parse("kind", RightKind::parse(text)),
            None => {
                errors.push(FieldError::required("kind"));
                None
            }
        };
        let number = match (kind, non_empty(&self.number)) {
            (Some(kind), Some(text)) => errors.parse("number", RightNumber::parse(kind, text)),
            (_, None) => {
                errors.push(FieldError::required("number"));
                None
            }
            (None, Some(_)) => None,
        };
        let title = check_text(&mut errors, "title", &self.title, MAX_TITLE_CHARS);
        let filing_date = parse_date(&mut errors, "filing_date", &self.filing_date);
        if self.filing_date.is_some() || filing_date.is_some() {
            if filing_date.is_some_and(|date| date > today) {
                errors.push(FieldError::new(
                    "filing_date",
                    "in_future",
                    "the filing date is after today",
                ));
            }
        } else {
            errors.push(FieldError::required("filing_date"));
        }
        let grant_date = parse_date(&mut errors, "grant_date", &self.grant_date);
        if let (Some(filed), Some(granted)) = (filing_date, grant_date) {
            if granted < filed {
                errors.push(FieldError::new(
                    "grant_date",
                    "before_filing",
                    "the grant date is before the filing date",
                ));
            }
            if granted > today {
                errors.push(FieldError::new(
                    "grant_date",
                    "in_future",
                    "the grant date is after today",
                ));
            }
        }
        let legal_status = match non_empty(&self.legal_status) {
            Some(text) => errors.parse("legal_status", LegalStatus::parse(text)),
            None => Some(if grant_date.is_some() {
                LegalStatus::InForce
            } else {
                LegalStatus::NotYetGranted
            }),
        };
        if let Some(status) = legal_status
            && status != LegalStatus::NotYetGranted
            && grant_date.is_none()
            && self.grant_date.is_none()
        {
            errors.push(FieldError::new(
                "grant_date",
                "required_when_granted",
                format!(
                    "a right whose status is {} needs its grant or registration date",
                    status.as_str()
                ),
            ));
        }
        let annual_fee_paid_until = parse_date(
            &mut errors,
            "annual_fee_paid_until",
            &self.annual_fee_paid_until,
        );
        if annual_fee_paid_until.is_some() && kind.is_some_and(|kind| !kind.is_patent()) {
            errors.push(FieldError::new(
                "annual_fee_paid_until",
                "not_applicable",
                "only patents pay annual fees",
            ));
        }
        let nice_class = match (kind, non_empty(&self.nice_class)) {
            (Some(RightKind::Trademark), Some(text)) => {
                errors.parse("nice_class", NiceClass::parse(text))
            }
            (Some(RightKind::Trademark), None) => {
                errors.push(FieldError::new(
                    "nice_class",
                    "required",
                    "a trademark registration has one Nice class",
                ));
                None
            }
            (Some(_), Some(_)) => {
                errors.push(FieldError::new(
                    "nice_class",
                    "not_applicable",
                    "only trademarks have a Nice class",
                ));
                None
            }
            (_, None) | (None, Some(_)) => None,
        };
        let ipc_main = match non_empty(&self.ipc_main) {
            Some(text) => errors.parse("ipc_main", IpcSymbol::parse(text)),
            None => None,
        };
        let holders = validate_holders(&mut errors, &self.holders);
        let renewals = self.renewals.unwrap_or(0);
        if renewals > 0 && kind.is_some_and(|kind| kind != RightKind::Trademark) {
            errors.push(FieldError::new(
                "renewals",
                "not_applicable",
                "only trademarks are renewed",
            ));
        }
        match (
            kind,
            number,
            title,
            filing_date,
            legal_status,
            errors.is_empty(),
        ) {
            (
                Some(kind),
                Some(number),
                Some(title),
                Some(filing_date),
                Some(legal_status),
                true,
            ) => Ok(NewRight {
                kind,
                number,
                title,
                filing_date,
                grant_date,
                legal_status,
                annual_fee_paid_until,
                nice_class,
                ipc_main,
                renewals,
                holders,
            }),
            _ => Err(errors),
        }
    }
}

fn validate_holders(errors: &mut FieldErrors, drafts: &[HolderDraft]) -> Vec<Holder> {
    if drafts.is_empty() {
        errors.push(FieldError::new(
            "holders",
            "required",
            "a right has at least one holder",
        ));
        return Vec::new();
    }
    if drafts.len() > MAX_HOLDERS {
        errors.push(FieldError::new(
            "holders",
            "too_many",
            format!("at most {MAX_HOLDERS} holders"),
        ));
        return Vec::new();
    }
    let all_shares_omitted = drafts.iter().all(|draft| draft.share_bp.is_none());
    let holder_count = u32::try_from(drafts.len()).unwrap_or(1);
    let mut holders = Vec::with_capacity(drafts.len());
    for (index, draft) in drafts.iter().enumerate() {
        let name = check_text(
            errors,
            &format!("holders[{index}].name"),
            &draft.name,
            MAX_NAME_CHARS,
        );
        let uscc = match non_empty(&draft.uscc) {
            Some(text) => errors.parse(&format!("holders[{index}].uscc"), Uscc::parse(text)),
            None => None,
        };
        let share_bp = if all_shares_omitted {
            // Equal split; the first holder takes the remainder so the shares add up exactly.
            let base = WHOLE_SHARE_BP / holder_count;
            if index == 0 {
                base + WHOLE_SHARE_BP % holder_count
            } else {
                base
            }
        } else {
            match draft.share_bp {
                Some(share) if (1..=WHOLE_SHARE_BP).contains(&share) => share,
                Some(_) => {
                    errors.push(FieldError::new(
                        format!("holders[{index}].share_bp"),
                        "range",
                        "a share is between 1 and 10000 basis points",
                    ));
                    0
                }
                None => {
                    errors.push(FieldError::new(
                        format!("holders[{index}].share_bp"),
                        "required",
                        "give every holder's share, or none",
                    ));
                    0
                }
            }
        };
        if let Some(name) = name {
            holders.push(Holder {
                name,
                uscc,
                party_id: None,
                share_bp,
            });
        }
    }
    let total: u32 = holders.iter().map(|holder| holder.share_bp).sum();
    if holders.len() == drafts.len() && total != WHOLE_SHARE_BP && errors.is_empty() {
        errors.push(FieldError::new(
            "holders",
            "shares_total",
            format!("holders' shares should add up to 10000 basis points; they add up to {total}"),
        ));
    }
    holders
}

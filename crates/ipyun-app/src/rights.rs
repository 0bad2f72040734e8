//! The registry of rights: list, read, record, and legal-status events (feature R1).

use crate::{App, AppError, ErrorKind, Principal};
use chrono::NaiveDate;
use ipyun_db::rights::RightFilter;
use ipyun_domain::account::RightScope;
use ipyun_domain::id::{ApplicationNo, IcLayoutNo, SoftwareCopyrightNo, TrademarkRegNo};
use ipyun_domain::page::{Page, PageRequest};
use ipyun_domain::right::{LegalStatus, Right, RightDraft, RightKind, StatusEvent};
use ipyun_domain::{FieldError, FieldErrors};
use serde::Deserialize;

/// Filters of the rights list, as a user gives them (validated here).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct RightQuery {
    /// invention, utility_model, design, trademark, software_copyright, ic_layout
    pub kind: Option<String>,
    pub legal_status: Option<String>,
    /// A number prefix, or words of the title or a holder's name.
    pub q: Option<String>,
    pub holder_party_id: Option<i64>,
    pub park_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusDraft {
    pub legal_status: String,
    /// `YYYY-MM-DD`
    pub effective_date: String,
    #[serde(default)]
    pub note: String,
}

/// Any right number, in the normal form of whichever kind it parses as.
pub fn normalise_right_number(raw: &str) -> String {
    if let Ok(number) = ApplicationNo::parse(raw) {
        return number.as_str().to_string();
    }
    if let Ok(number) = SoftwareCopyrightNo::parse(raw) {
        return number.as_str().to_string();
    }
    if let Ok(number) = IcLayoutNo::parse(raw) {
        return number.as_str().to_string();
    }
    if let Ok(number) = TrademarkRegNo::parse(raw) {
        return number.as_str().to_string();
    }
    raw.trim().to_uppercase()
}

const MAX_QUERY_CHARS: usize = 100;

impl App {
    pub async fn list_rights(
        &self,
        principal: &Principal,
        query: &RightQuery,
    ) -> Result<Page<Right>, AppError> {
        let mut errors = FieldErrors::default();
        let kind = query
            .kind
            .as_deref()
            .filter(|text| !text.is_empty())
            .and_then(|text| errors.parse("kind", RightKind::parse(text)));
        let legal_status = query
            .legal_status
            .as_deref()
            .filter(|text| !text.is_empty())
            .and_then(|text| errors.parse("legal_status", LegalStatus::parse(text)));
        let text = query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_string);
        if text
            .as_ref()
            .is_some_and(|text| text.chars().count() > MAX_QUERY_CHARS)
        {
            errors.push(FieldError::new(
                "q",
                "too_long",
                format!("at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        errors.into_result().map_err(AppError::validation)?;
        let mut filter = RightFilter {
            kind,
            legal_status,
            text,
            holder_party_id: query.holder_party_id,
            park_id: query.park_id,
        };
        match principal.right_scope() {
            RightScope::All => {}
            RightScope::HeldBy(party_id) => filter.holder_party_id = Some(party_id),
            RightScope::InPark(park_id) => filter.park_id = Some(park_id),
            RightScope::Nothing => {
                return Ok(Page {
                    items: Vec::new(),
                    page: 1,
                    per_page: 0,
                    total: 0,
                });
            }
        }
        Ok(self
            .db
            .list_rights(&filter, PageRequest::new(query.page, query.per_page))
            .await?)
    }

    /// Whether the principal may see this right; a right it may not see is reported as absent.
    async fn may_see_right(&self, principal: &Principal, right: &Right) -> Result<bool, AppError> {
        Ok(match principal.right_scope() {
            RightScope::All => true,
            RightScope::HeldBy(party_id) => right.is_held_by(party_id),
            RightScope::InPark(park_id) => {
                let mut in_park = false;
                for holder_id in right.holders.iter().filter_map(|holder| holder.party_id) {
                    if self
                        .db
                        .get_party(holder_id)
                        .await?
                        .is_some_and(|party| party.park_id == Some(park_id))
                    {
                        in_park = true;
                        break;
                    }
                }
                in_park
            }
            RightScope::Nothing => false,
        })
    }

    pub async fn get_right(&self, principal: &Principal, number: &str) -> Result<Right, AppError> {
        let not_found = || {
            AppError::not_found(
                "right.not_found",
                format!("no right numbered {}", number.trim()),
            )
        };
        if number.len() > 64 {
            return Err(not_found());
        }
        let right = self
            .db
            .get_right(&normalise_right_number(number))
            .await?
            .ok_or_else(not_found)?;
        if !self.may_see_right(principal, &right).await? {
            return Err(not_found());
        }
        Ok(right)
    }

    pub async fn right_history(
        &self,
        principal: &Principal,
        number: &str,
    ) -> Result<(Right, Vec<StatusEvent>), AppError> {
        let right = self.get_right(principal, number).await?;
        let history = self.db.right_status_history(right.id).await?;
        Ok((right, history))
    }

    /// Records a new right. Maintainers record any; an enterprise records its own (it must hold it).
    pub async fn create_right(
        &self,
        principal: &Principal,
        draft: &RightDraft,
    ) -> Result<Right, AppError> {
        if !principal.may_maintain_registry() && !principal.may_record_own_rights() {
            return Err(AppError::forbidden("your role may not record rights"));
        }
        let new_right = draft
            .validate(self.clock.today())
            .map_err(AppError::validation)?;
        if principal.may_record_own_rights() && !principal.may_maintain_registry() {
            let own = match principal.party_id {
                Some(party_id) => self.db.get_party(party_id).await?,
                None => None,
            };
            let own_uscc = own.and_then(|party| party.uscc);
            let holds = new_right.holders.iter().any(|holder| {
                holder.uscc.as_ref().map(|uscc| uscc.as_str()) == own_uscc.as_deref()
                    && own_uscc.is_some()
            });
            if !holds {
                return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                    "holders",
                    "not_own_right",
                    "an enterprise records only rights it holds: list it (by USCC) among the holders",
                )])));
            }
        }
        let number = new_right.number.as_str().to_string();
        self.db
            .insert_right(&new_right, &principal.username, self.clock.now())
            .await
            .map_err(|error| match error {
                ipyun_db::DbError::Constraint(_) => AppError::new(
                    ErrorKind::Conflict,
                    "right.number_taken",
                    format!("a right numbered {number} is already recorded"),
                ),
                other => other.into(),
            })?;
        self.get_right(principal, &number).await
    }

    pub async fn record_right_status(
        &self,
        principal: &Principal,
        number: &str,
        draft: &StatusDraft,
    ) -> Result<Right, AppError> {
        if !principal.may_maintain_registry() {
            return Err(AppError::forbidden(
                "only IP offices, examiners and administrators record legal status",
            ));
        }
        let right = self.get_right(principal, number).await?;
        let mut errors = FieldErrors::default();
        let status = errors.parse("legal_status", LegalStatus::parse(&draft.legal_status));
        let effective_date =
            match NaiveDate::parse_from_str(draft.effective_date.trim(), "%Y-%m-%d") {
                Ok(date) if date > self.clock.today() => {
                    errors.push(FieldError::new(
                        "effective_date",
                        "in_future",
                        "the effective date is after today",
                    ));
                    None
                }
                Ok(date) => Some(date),
                Err(_) => {
                    errors.push(FieldError::new(
                        "effective_date",
                        "date_format",
                        "a date should be written YYYY-MM-DD",
                    ));
                    None
                }
            };
        if draft.note.chars().count() > 500 {
            errors.push(FieldError::new(
                "note",
                "too_long",
                "at most 500 characters",
            ));
        }
        let (Some(status), Some(effective_date), true) =
            (status, effective_date, errors.is_empty())
        else {
            return Err(AppError::validation(errors));
        };
        if effective_date < right.filing_date {
            return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                "effective_date",
                "before_filing",
                "the effective date is before the filing date",
            )])));
        }
        self.db
            .record_right_status(
                right.id,
                status,
                effective_date,
                draft.note.trim(),
                &principal.username,
                self.clock.now(),
            )
            .await?;
        self.get_right(principal, number).await
    }
}

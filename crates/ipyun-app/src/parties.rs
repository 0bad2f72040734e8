//! Parties: list, read, record and edit (feature R3). Private fields are blanked for those who
//! may not see them.

use crate::{App, AppError, ErrorKind, Principal};
use chrono::Datelike;
use ipyun_db::parties::PartyFilter;
use ipyun_domain::page::{Page, PageRequest};
use ipyun_domain::party::{NewParty, Party, PartyDraft, PartyKind};
use ipyun_domain::{FieldError, FieldErrors};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct PartyQuery {
    pub kind: Option<String>,
    /// Words of the name, or a USCC prefix.
    pub q: Option<String>,
    /// Region code prefix (2 digits: province; 4: prefecture; 6: county).
    pub region: Option<String>,
    pub park_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl App {
    fn redact(&self, principal: &Principal, party: Party) -> Party {
        if principal.may_see_private(&party) {
            party
        } else {
            party.without_private_fields()
        }
    }

    pub async fn list_parties(
        &self,
        principal: &Principal,
        query: &PartyQuery,
    ) -> Result<Page<Party>, AppError> {
        let mut errors = FieldErrors::default();
        let kind = query
            .kind
            .as_deref()
            .filter(|text| !text.is_empty())
            .and_then(|text| errors.parse("kind", PartyKind::parse(text)));
        let region_prefix = query
            .region
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(|text| {
                let digits_ok =
                    text.len() <= 6 && text.chars().all(|character| character.is_ascii_digit());
                if !digits_ok {
                    errors.push(FieldError::new(
                        "region",
                        "format",
                        "a region prefix is 1–6 digits",
                    ));
                }
                text.trim_end_matches("00").to_string()
            });
        if query
            .q
            .as_ref()
            .is_some_and(|text| text.chars().count() > 100)
        {
            errors.push(FieldError::new("q", "too_long", "at most 100 characters"));
        }
        errors.into_result().map_err(AppError::validation)?;
        let filter = PartyFilter {
            kind,
            text: query
                .q
                .as_deref()
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_string),
            region_prefix,
            park_id: query.park_id,
        };
        let page = self
            .db
            .list_parties(&filter, PageRequest::new(query.page, query.per_page))
            .await?;
        Ok(page.map(|party| self.redact(principal, party)))
    }

    pub async fn get_party(&self, principal: &Principal, id: i64) -> Result<Party, AppError> {
        let party = self
            .db
            .get_party(id)
            .await?
            .ok_or_else(|| AppError::not_found("party.not_found", format!("no party {id}")))?;
        Ok(self.redact(principal, party))
    }

    /// Checks the references a party makes (its park, its head institution).
    async fn check_references(&self, party: &NewParty) -> Result<(), AppError> {
        let mut errors = FieldErrors::default();
        if let Some(park_id) = party.park_id
            && self
                .db
                .get_party(park_id)
                .await?
                .is_none_or(|park| park.kind != PartyKind::Park)
        {
            errors.push(FieldError::new(
                "park_id",
                "unknown",
                "park_id names no park",
            ));
        }
        if let Some(parent_id) = party.parent_id
            && self
                .db
                .get_party(parent_id)
                .await?
                .is_none_or(|parent| parent.kind != PartyKind::Lender)
        {
            errors.push(FieldError::new(
                "parent_id",
                "unknown",
                "parent_id names no lender",
            ));
        }
        errors.into_result().map_err(AppError::validation)
    }

    fn conflict(error: ipyun_db::DbError, party: &NewParty) -> AppError {
        match error {
            ipyun_db::DbError::Constraint(_) => AppError::new(
                ErrorKind::Conflict,
                "party.duplicate",
                format!(
                    "a party with this USCC, or a {} named {}, is already recorded",
                    party.kind.as_str(),
                    party.name
                ),
            ),
            other => other.into(),
        }
    }

    pub async fn create_party(
        &self,
        principal: &Principal,
        draft: &PartyDraft,
    ) -> Result<Party, AppError> {
        if !principal.may_maintain_parties() {
            return Err(AppError::forbidden(
                "only IP offices and administrators record parties",
            ));
        }
        let party = draft
            .validate(self.clock.today().year())
            .map_err(AppError::validation)?;
        self.check_references(&party).await?;
        let id = self
            .db
            .insert_party(&party, &principal.username, self.clock.now())
            .await
            .map_err(|error| Self::conflict(error, &party))?;
        self.get_party(principal, id).await
    }

    /// Maintainers edit any field; a party's own users edit only its contact fields.
    pub async fn update_party(
        &self,
        principal: &Principal,
        id: i64,
        draft: &PartyDraft,
    ) -> Result<Party, AppError> {
        let current = self
            .db
            .get_party(id)
            .await?
            .ok_or_else(|| AppError::not_found("party.not_found", format!("no party {id}")))?;
        if !principal.may_edit_party(&current) {
            return Err(AppError::forbidden("you may not edit this party"));
        }
        let mut effective = draft.clone();
        if draft
            .kind
            .as_deref()
            .is_some_and(|kind| kind != current.kind.as_str())
        {
            return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                "kind",
                "immutable",
                "a party's kind cannot change",
            )])));
        }
        effective.kind = Some(current.kind.as_str().to_string());
        if !principal.may_maintain_parties() {
            effective = PartyDraft {
                kind: Some(current.kind.as_str().to_string()),
                name: Some(current.name.clone()),
                uscc: current.uscc.clone(),
                region: current.region.clone(),
                industry: current.industry.clone(),
                size_class: current.size_class.map(|size| size.as_str().to_string()),
                park_id: current.park_id,
                parent_id: current.parent_id,
                specialised_sme_year: current.specialised_sme_year,
                little_giant_year: current.little_giant_year,
                park_kind: current.park_kind.map(|kind| kind.as_str().to_string()),
                office_level: current.office_level.map(|level| level.as_str().to_string()),
                credit_rating: current.credit_rating.clone(),
                contact_name: draft.contact_name.clone(),
                contact_phone: draft.contact_phone.clone(),
                address: draft.address.clone(),
            };
        }
        let party = effective
            .validate(self.clock.today().year())
            .map_err(AppError::validation)?;
        self.check_references(&party).await?;
        self.db
            .update_party(id, &party, &principal.username, self.clock.now())
            .await
            .map_err(|error| Self::conflict(error, &party))?;
        self.get_party(principal, id).await
    }
}

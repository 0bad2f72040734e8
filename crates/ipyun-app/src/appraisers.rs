//! The appraiser registry and lenders' loan-to-value caps (feature V4). Offices keep appraisers'
//! qualifications; a lender sets its own cap, which its pledge applications are checked against.

use crate::{App, AppError, ErrorKind};
use chrono::NaiveDate;
pub use ipyun_db::appraisers::AppraiserRecord;
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::party::PartyKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AppraiserProfileInput {
    /// The qualification certificate number (资产评估资格证书编号).
    pub qualification_no: String,
    pub qualified_since: Option<NaiveDate>,
    /// Fields of competence: IPC sections (`H`) or GB/T 4754 industry codes (`C39`).
    #[serde(default)]
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct LenderCap {
    /// The highest loan-to-value the lender accepts, in basis points (5000 = 50%).
    pub max_ltv_bp: i32,
}

fn bad(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::BadRequest, code, message)
}

impl App {
    /// Offices and administrators record an appraiser's qualification.
    pub async fn set_appraiser_profile(
        &self,
        principal: &Principal,
        party_id: i64,
        input: &AppraiserProfileInput,
    ) -> Result<(), AppError> {
        if !principal.may_maintain_parties() {
            return Err(AppError::forbidden(
                "only IP offices and administrators keep the appraiser registry",
            ));
        }
        let party = self
            .db
            .get_party(party_id)
            .await?
            .filter(|party| party.kind == PartyKind::Appraiser);
        if party.is_none() {
            return Err(AppError::not_found(
                "appraiser.not_found",
                format!("no appraiser with id {party_id}"),
            ));
        }
        let number = input.qualification_no.trim();
        if number.is_empty() || number.chars().count() > 64 {
            return Err(bad(
                "appraiser.qualification_no",
                "a qualification number of 1 to 64 characters",
            ));
        }
        if input.fields.len() > 50
            || input
                .fields
                .iter()
                .any(|field| field.trim().is_empty() || field.chars().count() > 16)
        {
            return Err(bad(
                "appraiser.fields",
                "at most 50 fields, each an IPC section or an industry code",
            ));
        }
        let fields: Vec<String> = input
            .fields
            .iter()
            .map(|field| field.trim().to_uppercase())
            .collect();
        let fields_json = serde_json::to_string(&fields).unwrap_or_else(|_| "[]".into());
        self.db
            .upsert_appraiser_profile(
                party_id,
                number,
                input.qualified_since,
                &fields_json,
                &principal.username,
                self.clock.now(),
            )
            .await
            .map_err(|error| match error {
                ipyun_db::DbError::Constraint(_) => AppError::new(
                    ErrorKind::Conflict,
                    "appraiser.qualification_taken",
                    "another appraiser holds this qualification number",
                ),
                other => other.into(),
            })
    }

    /// The registry: every qualified appraiser with its fields and the reports recorded under it.
    pub async fn list_appraisers(&self) -> Result<Vec<AppraiserRecord>, AppError> {
        Ok(self.db.list_appraisers().await?)
    }

    /// A lender's user (or an administrator) sets the lender's loan-to-value cap.
    pub async fn set_lender_cap(
        &self,
        principal: &Principal,
        lender_id: i64,
        cap: &LenderCap,
    ) -> Result<LenderCap, AppError> {
        let own = principal.role == Role::Lender && principal.party_id == Some(lender_id);
        if !own && principal.role != Role::PlatformAdmin {
            return Err(AppError::forbidden("a lender sets only its own cap"));
        }
        if !(1..=10_000).contains(&cap.max_ltv_bp) {
            return Err(bad(
                "lender.max_ltv_bp",
                "a cap from 1 to 10000 basis points (0.01% to 100%)",
            ));
        }
        let lender = self
            .db
            .get_party(lender_id)
            .await?
            .filter(|party| party.kind == PartyKind::Lender);
        if lender.is_none() {
            return Err(AppError::not_found(
                "lender.not_found",
                format!("no lender with id {lender_id}"),
            ));
        }
        self.db
            .set_lender_cap(
                lender_id,
                cap.max_ltv_bp,
                &principal.username,
                self.clock.now(),
            )
            .await?;
        Ok(cap.clone())
    }
}

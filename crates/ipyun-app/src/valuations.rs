//! Valuations (feature V1): calculate with any approach, or record a valuation of a right with
//! every input and assumption. A right's valuations are seen by the organisation that made them,
//! the right's holders, the appraiser, and offices.

use crate::{App, AppError, ErrorKind};
use chrono::{DateTime, Utc};
use ipyun_db::valuations::NewValuation;
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::party::PartyKind;
use ipyun_domain::valuation::{
    ValuationInputs, ValuationPurpose, ValuationRecord, ValuationResult,
};
use serde::{Deserialize, Serialize};

/// Most valuations listed for one right.
const MAX_LISTED: i64 = 100;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ValuationRequest {
    pub purpose: ValuationPurpose,
    /// The right valued, when the valuation is of a right of the register.
    pub right_number: Option<String>,
    /// The appraiser who signs it (an appraiser's own users sign as their firm by default).
    pub appraiser_id: Option<i64>,
    pub inputs: ValuationInputs,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoredValuation {
    pub id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appraiser_id: Option<i64>,
    pub made_by: String,
    pub made_at: DateTime<Utc>,
    pub record: ValuationRecord,
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "valuation record");
    AppError::new(
        ErrorKind::Internal,
        "internal",
        "an internal error occurred",
    )
}

fn text_of<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl App {
    /// Values with one approach and shows the working; nothing is stored.
    pub async fn calculate_valuation(
        &self,
        _principal: &Principal,
        inputs: &ValuationInputs,
    ) -> Result<ValuationResult, AppError> {
        inputs.value().map_err(AppError::validation)
    }

    /// Values and records: the method, every input and assumption, the result, who, when, why.
    pub async fn record_valuation(
        &self,
        principal: &Principal,
        request: &ValuationRequest,
    ) -> Result<StoredValuation, AppError> {
        let right_number = match &request.right_number {
            Some(number) => Some(self.get_right(principal, number).await?.number),
            None => None,
        };
        let appraiser_id = match (request.appraiser_id, principal.role) {
            (Some(id), _) => Some(id),
            (None, Role::Appraiser) => principal.party_id,
            (None, _) => None,
        };
        if let Some(id) = appraiser_id {
            let is_appraiser = self
                .db
                .get_party(id)
                .await?
                .is_some_and(|party| party.kind == PartyKind::Appraiser);
            if !is_appraiser {
                return Err(AppError::new(
                    ErrorKind::BadRequest,
                    "valuation.unknown_appraiser",
                    format!("no appraiser with id {id}"),
                ));
            }
        }
        let now = self.clock.now();
        let record = ValuationRecord::new(
            request.inputs.clone(),
            request.purpose,
            &principal.display_name,
            now,
        )
        .map_err(AppError::validation)?;
        let inputs_json = serde_json::to_string(&record.inputs).map_err(internal)?;
        let record_json = serde_json::to_string(&record).map_err(internal)?;
        let id = self
            .db
            .insert_valuation(
                &NewValuation {
                    right_number: right_number.as_deref(),
                    party_id: principal.party_id,
                    method: &text_of(&record.method),
                    purpose: &text_of(&record.purpose),
                    inputs_json: &inputs_json,
                    record_json: &record_json,
                    value_fen: record.value_fen,
                    appraiser_id,
                    made_by: &principal.username,
                },
                now,
            )
            .await?;
        Ok(StoredValuation {
            id,
            right_number,
            appraiser_id,
            made_by: principal.username.clone(),
            made_at: now,
            record,
        })
    }

    /// A right's valuations the principal may see.
    pub async fn list_valuations(
        &self,
        principal: &Principal,
        number: &str,
    ) -> Result<Vec<StoredValuation>, AppError> {
        let right = self.get_right(principal, number).await?;
        let office = matches!(
            principal.role,
            Role::PlatformAdmin | Role::NationalOffice | Role::ProvincialOffice | Role::Examiner
        );
        let holder = principal
            .party_id
            .is_some_and(|party| right.is_held_by(party));
        let rows = self.db.list_valuations(&right.number, MAX_LISTED).await?;
        let mut visible = Vec::new();
        for row in rows {
            let own = principal.party_id.is_some()
                && (row.party_id == principal.party_id || row.appraiser_id == principal.party_id);
            if !(office || holder || own) {
                continue;
            }
            let record: ValuationRecord = serde_json::from_str(&row.result).map_err(internal)?;
            visible.push(StoredValuation {
                id: row.id,
                right_number: row.right_number,
                appraiser_id: row.appraiser_id,
                made_by: row.made_by,
                made_at: row.made_at,
                record,
            });
        }
        Ok(visible)
    }
}

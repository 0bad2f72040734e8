//! Drafting an application (P1, P6): by the pledgee's lender or the pledgor's enterprise, once per
//! idempotency key.

use super::{PledgeApplicationView, conflict};
use crate::{App, AppError, ErrorKind};
use ipyun_db::pledges::{IdempotencyClaim, NewPledgeApplication};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::party::PartyKind;
use ipyun_domain::pledge::{Act, ExaminationFacts, PledgeApplicationInput, examine};
use ipyun_domain::{FieldError, FieldErrors};
use sha2::Digest;

/// Longest accepted `Idempotency-Key`.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 200;

impl App {
    /// Drafts an application and examines it at once, so the parties see every finding before the
    /// other side confirms. With `idempotency_key`, the same key and body answer with the first
    /// application (`replayed` = true); the same key with another body is a conflict.
    pub async fn create_pledge_application(
        &self,
        principal: &Principal,
        input: &PledgeApplicationInput,
        idempotency_key: Option<&str>,
    ) -> Result<(PledgeApplicationView, bool), AppError> {
        let own_party = principal.party_id.ok_or_else(|| {
            AppError::forbidden(
                "only a lender's or an enterprise's user may apply for a pledge registration",
            )
        })?;
        let (pledgor_id, pledgee_id) = match principal.role {
            Role::Lender => (
                input.pledgor_id,
                Some(input.pledgee_id.unwrap_or(own_party)),
            ),
            Role::Enterprise => (
                Some(input.pledgor_id.unwrap_or(own_party)),
                input.pledgee_id,
            ),
            _ => {
                return Err(AppError::forbidden(
                    "only a lender's or an enterprise's user may apply for a pledge registration",
                ));
            }
        };
        if (principal.role == Role::Lender && pledgee_id != Some(own_party))
            || (principal.role == Role::Enterprise && pledgor_id != Some(own_party))
        {
            return Err(AppError::forbidden(
                "a user applies only for its own organisation",
            ));
        }
        if let Some(key) = idempotency_key
            && (key.trim().is_empty() || key.chars().count() > MAX_IDEMPOTENCY_KEY_CHARS)
        {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "pledge.bad_idempotency_key",
                format!(
                    "the Idempotency-Key header must be 1 to {MAX_IDEMPOTENCY_KEY_CHARS} characters"
                ),
            ));
        }
        let mut errors = FieldErrors::default();
        let pledgor = self
            .party_of_kind(&mut errors, "pledgor_id", pledgor_id, PartyKind::Enterprise)
            .await?;
        let pledgee = self
            .party_of_kind(&mut errors, "pledgee_id", pledgee_id, PartyKind::Lender)
            .await?;
        if let Some(valuation) = &input.valuation {
            self.party_of_kind(
                &mut errors,
                "valuation.appraiser_id",
                Some(valuation.appraiser_id),
                PartyKind::Appraiser,
            )
            .await?;
        }
        let application = match input.validate() {
            Ok(application) => Some(application),
            Err(found) => {
                errors.0.extend(found.0);
                None
            }
        };
        let (Some(pledgor), Some(pledgee), Some(application)) = (pledgor, pledgee, application)
        else {
            return Err(AppError::validation(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::validation(errors));
        }
        if let (Some(valuation), Some(secured)) = (
            &application.valuation,
            application.pledge_contract.secured_amount_fen,
        ) && let (Some(cap), Some(ltv)) = (
            self.db.lender_cap(pledgee.id).await?,
            valuation.ltv_bp(secured),
        ) && ltv > i64::from(cap)
        {
            return Err(conflict(
                "pledge.ltv_above_cap",
                format!(
                    "loan-to-value {}.{:02}% is above the lender's cap {}.{:02}%",
                    ltv / 100,
                    ltv % 100,
                    cap / 100,
                    cap % 100
                ),
            ));
        }
        let facts = ExaminationFacts {
            pledgor: self
                .db
                .pledgor_facts(pledgor.id)
                .await?
                .ok_or_else(|| super::not_found(pledgor.id))?,
            rights: self.db.pledge_right_facts(&application.rights).await?,
            attachments: Vec::new(),
        };
        let findings = examine(&application, &facts, self.clock.today());
        let green_channel = application.epidemic_supply
            || pledgor.specialised_sme_year.is_some()
            || pledgor.little_giant_year.is_some();
        let body_json = serde_json::to_string(&application).map_err(internal)?;
        let findings_json = serde_json::to_string(&findings).map_err(internal)?;
        // The same request, whatever its spacing or key order: a hash of the parsed body.
        let request_hash = hex::encode(sha2::Sha256::digest(
            serde_json::to_vec(input).map_err(internal)?,
        ));
        let claim = idempotency_key.map(|key| IdempotencyClaim {
            user_id: principal.user_id,
            key,
            request_hash: &request_hash,
        });
        let inserted = self
            .db
            .insert_pledge_application(
                &NewPledgeApplication {
                    act: Act::Registration,
                    pledge_type: application.pledge_type,
                    pledgor_id: pledgor.id,
                    pledgee_id: pledgee.id,
                    drafted_by_party: own_party,
                    created_by: &principal.username,
                    target_pledge_id: None,
                    green_channel,
                    body_json: &body_json,
                    findings_json: &findings_json,
                },
                claim.as_ref(),
                self.clock.now(),
            )
            .await?;
        let (id, replayed) = super::inserted_id(inserted)?;
        let view = self.get_pledge_application(principal, id).await?;
        Ok((view, replayed))
    }

    async fn party_of_kind(
        &self,
        errors: &mut FieldErrors,
        field: &str,
        id: Option<i64>,
        kind: PartyKind,
    ) -> Result<Option<ipyun_domain::party::Party>, AppError> {
        let Some(id) = id else {
            errors.push(FieldError::required(field));
            return Ok(None);
        };
        match self.db.get_party(id).await? {
            Some(party) if party.kind == kind => Ok(Some(party)),
            _ => {
                errors.push(FieldError::new(
                    field,
                    "unknown_party",
                    format!("no {} with id {id}", kind.as_str()),
                ));
                Ok(None)
            }
        }
    }
}

pub(crate) fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "pledge serialisation failed");
    AppError::new(
        ErrorKind::Internal,
        "internal",
        "an internal error occurred",
    )
}

/// Most applications in one bulk submission.
pub const MAX_BATCH: usize = 100;

/// One application of a bulk submission, with its own idempotency key.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct BatchItem {
    pub idempotency_key: Option<String>,
    pub application: PledgeApplicationInput,
}

impl App {
    /// A lender's system submits many applications at once (P6); each is handled as if sent
    /// alone, so one bad application never stops the others, and a retried batch makes nothing twice.
    pub async fn create_pledge_applications(
        &self,
        principal: &Principal,
        items: &[BatchItem],
    ) -> Result<Vec<Result<(PledgeApplicationView, bool), AppError>>, AppError> {
        if items.is_empty() || items.len() > MAX_BATCH {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "pledge.batch_size",
                format!("a batch holds 1 to {MAX_BATCH} applications"),
            ));
        }
        let mut results = Vec::with_capacity(items.len());
        for item in items {
            results.push(
                self.create_pledge_application(
                    principal,
                    &item.application,
                    item.idempotency_key.as_deref(),
                )
                .await,
            );
        }
        Ok(results)
    }
}

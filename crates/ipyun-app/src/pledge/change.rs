//! Amendment and cancellation (P5): registrations of their own over a registered pledge. A party
//! drafts, the other confirms, and the change is examined and registered at once (or refused). A
//! pledgee that was repaid or gives up its pledge cancels it alone.

use super::apply::internal;
use super::{PledgeApplicationView, conflict, is_other_party, verification_code};
use crate::{App, AppError};
use chrono::Datelike;
use ipyun_db::DbError;
use ipyun_db::pledges::{
    IdempotencyClaim, NewPledgeApplication, PledgeApplicationRecord, PledgeDecision, PledgeRecord,
    PledgeUpdate,
};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::pledge::{
    Act, AmendmentInput, ApplicationStatus, CancellationInput, Outcome, PledgeChange, PledgeFacts,
    PledgeStatus, decision_due, examine_change, outcome,
};
use sha2::Digest;

/// The number of a registered amendment (`A…`) or cancellation (`C…`) of application `id`.
pub fn change_notice_no(act: Act, year: i32, id: i64) -> String {
    let prefix = if act == Act::Cancellation { 'C' } else { 'A' };
    format!("{prefix}{year}{id:09}")
}

fn pledge_not_found(registration_no: &str) -> AppError {
    AppError::not_found(
        "pledge.not_found",
        format!("no pledge {registration_no} of yours"),
    )
}

impl App {
    /// The pledgor or the pledgee applies to amend its registered pledge.
    pub async fn apply_for_amendment(
        &self,
        principal: &Principal,
        registration_no: &str,
        amendment: &AmendmentInput,
        idempotency_key: Option<&str>,
    ) -> Result<(PledgeApplicationView, bool), AppError> {
        amendment.validate().map_err(AppError::validation)?;
        let pledge = self.own_pledge(principal, registration_no).await?;
        let change = PledgeChange::Amendment {
            registration_no: pledge.registration_no.clone(),
            amendment: amendment.clone(),
        };
        self.draft_change(principal, &pledge, Act::Amendment, &change, idempotency_key)
            .await
    }

    /// The pledgor or the pledgee applies to cancel its registered pledge; a pledgee repaid or
    /// giving up the pledge cancels it at once.
    pub async fn apply_for_cancellation(
        &self,
        principal: &Principal,
        registration_no: &str,
        cancellation: &CancellationInput,
        idempotency_key: Option<&str>,
    ) -> Result<(PledgeApplicationView, bool), AppError> {
        cancellation.validate().map_err(AppError::validation)?;
        let pledge = self.own_pledge(principal, registration_no).await?;
        let change = PledgeChange::Cancellation {
            registration_no: pledge.registration_no.clone(),
            cancellation: cancellation.clone(),
        };
        let (view, replayed) = self
            .draft_change(
                principal,
                &pledge,
                Act::Cancellation,
                &change,
                idempotency_key,
            )
            .await?;
        let alone = cancellation.reason.pledgee_alone() && principal.role == Role::Lender;
        if replayed || !alone || view.status != ApplicationStatus::AwaitingConfirmation {
            return Ok((view, replayed));
        }
        Ok((
            self.confirm_pledge_application(principal, view.id).await?,
            false,
        ))
    }

    async fn own_pledge(
        &self,
        principal: &Principal,
        registration_no: &str,
    ) -> Result<PledgeRecord, AppError> {
        let number = registration_no.trim().to_ascii_uppercase();
        let pledge = self
            .db
            .get_pledge(&number)
            .await?
            .ok_or_else(|| pledge_not_found(&number))?;
        let is_party = match principal.role {
            Role::Enterprise => principal.party_id == Some(pledge.pledgor_id),
            Role::Lender => principal.party_id == Some(pledge.pledgee_id),
            _ => false,
        };
        if !is_party {
            return Err(pledge_not_found(&number));
        }
        Ok(pledge)
    }

    async fn pledge_facts(&self, pledge: &PledgeRecord) -> Result<PledgeFacts, AppError> {
        let mut earliest: Option<(String, chrono::NaiveDate)> = None;
        for right in &pledge.rights {
            if let Some(expiry) = self
                .db
                .get_right(&right.number)
                .await?
                .and_then(|found| found.expiry_date)
                && earliest.as_ref().is_none_or(|(_, date)| expiry < *date)
            {
                earliest = Some((right.number.clone(), expiry));
            }
        }
        Ok(PledgeFacts {
            registration_no: pledge.registration_no.clone(),
            active: pledge.status == PledgeStatus::Active,
            earliest_expiry: earliest,
        })
    }

    async fn draft_change(
        &self,
        principal: &Principal,
        pledge: &PledgeRecord,
        act: Act,
        change: &PledgeChange,
        idempotency_key: Option<&str>,
    ) -> Result<(PledgeApplicationView, bool), AppError> {
        let own_party = principal
            .party_id
            .ok_or_else(|| pledge_not_found(&pledge.registration_no))?;
        let findings = examine_change(change, &self.pledge_facts(pledge).await?);
        let body_json = serde_json::to_string(change).map_err(internal)?;
        let findings_json = serde_json::to_string(&findings).map_err(internal)?;
        let request_hash = hex::encode(sha2::Sha256::digest(body_json.as_bytes()));
        let claim = idempotency_key.map(|key| IdempotencyClaim {
            user_id: principal.user_id,
            key,
            request_hash: &request_hash,
        });
        let inserted = self
            .db
            .insert_pledge_application(
                &NewPledgeApplication {
                    act,
                    pledge_type: pledge.pledge_type,
                    pledgor_id: pledge.pledgor_id,
                    pledgee_id: pledge.pledgee_id,
                    drafted_by_party: own_party,
                    created_by: &principal.username,
                    target_pledge_id: Some(pledge.id),
                    green_channel: false,
                    body_json: &body_json,
                    findings_json: &findings_json,
                },
                claim.as_ref(),
                self.clock.now(),
            )
            .await?;
        let (id, replayed) = super::inserted_id(inserted)?;
        Ok((self.get_pledge_application(principal, id).await?, replayed))
    }

    /// Decides a confirmed amendment or cancellation: registered at once unless a ground refuses it.
    pub(crate) async fn decide_change(
        &self,
        principal: &Principal,
        record: PledgeApplicationRecord,
    ) -> Result<PledgeApplicationView, AppError> {
        let change: PledgeChange = serde_json::from_str(&record.body).map_err(internal)?;
        let registration_no = match &change {
            PledgeChange::Amendment {
                registration_no, ..
            }
            | PledgeChange::Cancellation {
                registration_no, ..
            } => registration_no,
        };
        for _ in 0..super::DECISION_ATTEMPTS {
            let pledge = self
                .db
                .get_pledge(registration_no)
                .await?
                .ok_or_else(|| pledge_not_found(registration_no))?;
            let findings = examine_change(&change, &self.pledge_facts(&pledge).await?);
            let findings_json = serde_json::to_string(&findings).map_err(internal)?;
            let now = self.clock.now();
            let today = self.clock.today();
            let due = decision_due(&*self.work_calendar().await?, today).map_err(internal)?;
            let register = outcome(&findings) == Outcome::Register;
            let update = match &change {
                PledgeChange::Amendment { amendment, .. } => PledgeUpdate::Amend {
                    pledge_id: pledge.id,
                    secured_amount_fen: amendment.secured_amount_fen,
                    performance_end: amendment.performance_end,
                },
                PledgeChange::Cancellation { cancellation, .. } => PledgeUpdate::Cancel {
                    pledge_id: pledge.id,
                    on: today,
                    reason: cancellation.reason.as_str().to_string(),
                },
            };
            let number = change_notice_no(record.act, today.year(), record.id);
            let code = verification_code();
            let decision = PledgeDecision {
                application_id: record.id,
                from_status: ApplicationStatus::AwaitingConfirmation,
                to_status: if register {
                    ApplicationStatus::Registered
                } else {
                    ApplicationStatus::Refused
                },
                findings_json: &findings_json,
                actor: &principal.username,
                confirmed_by: Some(&principal.username),
                received_at: Some(now),
                due: Some((due.date, due.provisional)),
                decided: true,
                registration_no: register.then_some(number.as_str()),
                verification_code: Some(&code),
                note: if register {
                    super::NOTE_REGISTERED_ON_CONFIRMATION
                } else {
                    super::NOTE_REFUSED_ON_CONFIRMATION
                },
                pledge: None,
                body_json: None,
                pledge_update: register.then_some(&update),
            };
            match self.db.record_pledge_decision(&decision, now).await {
                Ok(_) => return self.get_pledge_application(principal, record.id).await,
                // The pledge changed meanwhile (or the application was decided): look again.
                Err(DbError::Stale(_)) => {
                    let current = self.db.get_pledge_application(record.id).await?;
                    if current.is_some_and(|current| {
                        current.status != ApplicationStatus::AwaitingConfirmation
                    }) {
                        return self.get_pledge_application(principal, record.id).await;
                    }
                }
                Err(error) => return Err(error.into()),
            }
        }
        Err(conflict(
            "pledge.busy",
            "the pledge is being changed by others; try again",
        ))
    }

    /// Whether `principal` may confirm the change `record` drafted by the other side, or decides
    /// it alone (a pledgee cancelling on repayment or waiver).
    pub(crate) fn may_decide_change(
        principal: &Principal,
        record: &PledgeApplicationRecord,
    ) -> bool {
        if is_other_party(principal, record) {
            return true;
        }
        let alone = serde_json::from_str::<PledgeChange>(&record.body).is_ok_and(|change| {
            matches!(change, PledgeChange::Cancellation { cancellation, .. } if cancellation.reason.pledgee_alone())
        });
        alone && principal.role == Role::Lender && principal.party_id == Some(record.pledgee_id)
    }
}

//! Confirmation by the other party, and the decision it triggers (P2, P3, P7): a clean
//! application is registered at once; one with a refusal ground is refused with every ground; one
//! the rules cannot decide goes to the examiner queue, due the next working day.

use super::apply::internal;
use super::{
    DECISION_ATTEMPTS, PledgeApplicationView, conflict, is_other_party, may_see, not_found,
    verification_code,
};
use crate::{App, AppError};
use ipyun_db::DbError;
use ipyun_db::pledges::PledgeDecision;
use ipyun_domain::account::Principal;
use ipyun_domain::pledge::{
    Act, ApplicationStatus, ExaminationFacts, Outcome, PledgeApplication, decision_due, examine,
    outcome,
};

impl App {
    /// The other party confirms: the application is received, examined against the register as
    /// it stands, and decided. Confirming an application already decided answers its state.
    pub async fn confirm_pledge_application(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<PledgeApplicationView, AppError> {
        for _ in 0..DECISION_ATTEMPTS {
            let record = self
                .db
                .get_pledge_application(id)
                .await?
                .ok_or_else(|| not_found(id))?;
            if !may_see(principal, &record) {
                return Err(not_found(id));
            }
            if record.act != Act::Registration {
                if !Self::may_decide_change(principal, &record) {
                    return Err(AppError::forbidden(
                        "the change is confirmed by the other party",
                    ));
                }
                if record.status != ApplicationStatus::AwaitingConfirmation {
                    return self.get_pledge_application(principal, id).await;
                }
                return self.decide_change(principal, record).await;
            }
            if !is_other_party(principal, &record) {
                return Err(AppError::forbidden(
                    "the application is confirmed by the other party, not the one that drafted it",
                ));
            }
            if record.status != ApplicationStatus::AwaitingConfirmation {
                if record.confirmed_by.is_some() {
                    return self.get_pledge_application(principal, id).await;
                }
                return Err(conflict(
                    "pledge.not_awaiting_confirmation",
                    format!("the application is {}", record.status.as_str()),
                ));
            }
            let application: PledgeApplication =
                serde_json::from_str(&record.body).map_err(internal)?;
            let facts = ExaminationFacts {
                pledgor: self
                    .db
                    .pledgor_facts(record.pledgor_id)
                    .await?
                    .ok_or_else(|| not_found(id))?,
                rights: self.db.pledge_right_facts(&application.rights).await?,
                attachments: self.attachment_names(Some(id), &application).await?,
            };
            let now = self.clock.now();
            let today = self.clock.today();
            let findings = examine(&application, &facts, today);
            let findings_json = serde_json::to_string(&findings).map_err(internal)?;
            let due = decision_due(&*self.work_calendar().await?, today).map_err(internal)?;
            let decided = outcome(&findings);
            let code = verification_code();
            let registration = (decided == Outcome::Register)
                .then(|| super::new_pledge(&record, &application, &facts, today, code.clone()));
            let (to_status, note) = match decided {
                Outcome::Register => (
                    ApplicationStatus::Registered,
                    super::NOTE_REGISTERED_ON_CONFIRMATION,
                ),
                Outcome::Refuse => (
                    ApplicationStatus::Refused,
                    super::NOTE_REFUSED_ON_CONFIRMATION,
                ),
                Outcome::Review => (ApplicationStatus::InReview, "sent to the examiner queue"),
            };
            let decision = PledgeDecision {
                application_id: record.id,
                from_status: ApplicationStatus::AwaitingConfirmation,
                to_status,
                findings_json: &findings_json,
                actor: &principal.username,
                confirmed_by: Some(&principal.username),
                received_at: Some(now),
                due: Some((due.date, due.provisional)),
                decided: decided != Outcome::Review,
                registration_no: registration
                    .as_ref()
                    .map(|pledge| pledge.registration_no.as_str()),
                verification_code: (decided != Outcome::Review).then_some(code.as_str()),
                note,
                pledge: registration.as_ref(),
                body_json: None,
                pledge_update: None,
            };
            match self.db.record_pledge_decision(&decision, now).await {
                Ok(_) => return self.get_pledge_application(principal, id).await,
                // Another registration over one of the rights committed first: examine again,
                // which now finds it and refuses with its ground.
                Err(error) if error.is_active_pledge_conflict() => continue,
                // Someone confirmed it meanwhile: answer its state.
                Err(DbError::Stale(_)) => return self.get_pledge_application(principal, id).await,
                Err(error) => return Err(error.into()),
            }
        }
        Err(conflict(
            "pledge.busy",
            "the rights of this application are being registered by others; try again",
        ))
    }
}

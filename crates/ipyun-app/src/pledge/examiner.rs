//! The examiner queue (P2, P3): what the rules could not decide, green channel first, each due
//! within one working day of receipt. An examiner registers, refuses naming grounds, or asks the
//! parties to cure a defect (the clock stops until they do); the parties may cure or withdraw.

use super::apply::internal;
use super::{PledgeApplicationView, conflict, may_see, not_found, verification_code};
use crate::{App, AppError, ErrorKind};
use ipyun_db::DbError;
use ipyun_db::pledges::{ApplicationFilter, PledgeDecision};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::page::{Page, PageRequest};
use ipyun_domain::pledge::{
    ApplicationStatus, ExaminationFacts, Finding, FindingCode, Measures, Outcome,
    PledgeApplication, PledgeApplicationInput, Severity, decision_due, examine, outcome,
};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExaminerVerdict {
    Register,
    Refuse,
    RequestCure,
}

/// An examiner's decision on an application in review.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ExaminerDecision {
    pub decision: ExaminerVerdict,
    /// For a refusal: the finding codes of the grounds (e.g. `pledge.pledgor_not_holder`).
    #[serde(default)]
    pub grounds: Vec<String>,
    /// The examiner's reasons; required to refuse on `pledge.examiner_ground` or to ask for a cure.
    pub note: Option<String>,
}

fn is_examiner(principal: &Principal) -> bool {
    matches!(
        principal.role,
        Role::Examiner | Role::ProvincialOffice | Role::NationalOffice
    )
}

fn bad(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::BadRequest, code, message)
}

impl App {
    /// Applications the principal may see: examiners and offices the whole queue, a lender its
    /// own as pledgee, an enterprise its own as pledgor. Queue order: green channel, then due date.
    pub async fn list_pledge_applications(
        &self,
        principal: &Principal,
        status: Option<ApplicationStatus>,
        page: PageRequest,
    ) -> Result<Page<PledgeApplicationView>, AppError> {
        let mut filter = ApplicationFilter {
            status,
            ..ApplicationFilter::default()
        };
        match principal.role {
            Role::Examiner
            | Role::ProvincialOffice
            | Role::NationalOffice
            | Role::PlatformAdmin => {}
            Role::Lender => filter.pledgee_id = Some(principal.party_id.unwrap_or(-1)),
            Role::Enterprise => filter.pledgor_id = Some(principal.party_id.unwrap_or(-1)),
            _ => {
                return Err(AppError::forbidden(
                    "only parties, examiners and offices see pledge applications",
                ));
            }
        }
        let found = self.db.list_pledge_applications(&filter, page).await?;
        let mut items = Vec::with_capacity(found.items.len());
        for record in found.items {
            items.push(super::view::application_view(record)?);
        }
        Ok(Page {
            items,
            page: found.page,
            per_page: found.per_page,
            total: found.total,
        })
    }

    /// An examiner decides an application in review.
    pub async fn decide_pledge_application(
        &self,
        principal: &Principal,
        id: i64,
        decision: &ExaminerDecision,
    ) -> Result<PledgeApplicationView, AppError> {
        if !is_examiner(principal) {
            return Err(AppError::forbidden(
                "only examiners and IP offices decide applications in review",
            ));
        }
        let record = self
            .db
            .get_pledge_application(id)
            .await?
            .ok_or_else(|| not_found(id))?;
        if record.status != ApplicationStatus::InReview {
            return Err(conflict(
                "pledge.not_in_review",
                format!("the application is {}", record.status.as_str()),
            ));
        }
        let note = decision
            .note
            .as_deref()
            .map(str::trim)
            .filter(|note| !note.is_empty());
        if note.is_some_and(|note| note.chars().count() > 2_000) {
            return Err(bad(
                "pledge.note_too_long",
                "the note is at most 2,000 characters",
            ));
        }
        let application: PledgeApplication =
            serde_json::from_str(&record.body).map_err(internal)?;
        let measures = application
            .rights
            .first()
            .map_or(Measures::Patent, |right| Measures::of(right.kind));
        let now = self.clock.now();
        let today = self.clock.today();
        let mut findings: Vec<Finding> =
            serde_json::from_str(&record.findings).map_err(internal)?;
        let (to_status, pledge, note_text) = match decision.decision {
            ExaminerVerdict::RequestCure => {
                let note = note
                    .ok_or_else(|| bad("pledge.note_required", "say what the parties must cure"))?;
                (ApplicationStatus::AwaitingCure, None, note.to_string())
            }
            ExaminerVerdict::Refuse => {
                if decision.grounds.is_empty() {
                    return Err(bad(
                        "pledge.grounds_required",
                        "a refusal names at least one ground",
                    ));
                }
                let mut refusal = Vec::new();
                for raw in &decision.grounds {
                    let code = FindingCode::parse(raw).ok_or_else(|| {
                        bad(
                            "pledge.unknown_ground",
                            format!("no refusal ground {raw:?}"),
                        )
                    })?;
                    if code.severity() == Severity::Review {
                        return Err(bad(
                            "pledge.not_a_refusal_ground",
                            format!("{raw} is not a refusal ground"),
                        ));
                    }
                    let (zh, en) = match (code, note) {
                        (FindingCode::ExaminerGround, None) => {
                            return Err(bad(
                                "pledge.note_required",
                                "give the reasons for refusing on other grounds",
                            ));
                        }
                        (_, Some(note)) => (
                            format!("审查员认定：{note}"),
                            format!("The examiner found: {note}"),
                        ),
                        (_, None) => (
                            "审查员认定不予登记。".to_string(),
                            "The examiner refused registration.".to_string(),
                        ),
                    };
                    let mut finding = Finding::new(code, measures, None, zh, en);
                    finding.severity = Severity::Refuse;
                    refusal.push(finding);
                }
                findings.extend(refusal);
                (
                    ApplicationStatus::Refused,
                    None,
                    note.unwrap_or("refused by the examiner").to_string(),
                )
            }
            ExaminerVerdict::Register => {
                // The register as it stands now: a ground that appeared meanwhile still refuses.
                let facts = ExaminationFacts {
                    pledgor: self
                        .db
                        .pledgor_facts(record.pledgor_id)
                        .await?
                        .ok_or_else(|| not_found(id))?,
                    rights: self.db.pledge_right_facts(&application.rights).await?,
                    attachments: self.attachment_names(Some(id), &application).await?,
                };
                let fresh = examine(&application, &facts, today);
                if outcome(&fresh) == Outcome::Refuse {
                    return Err(conflict(
                        "pledge.refusal_ground_found",
                        "the register now shows a refusal ground: refuse the application instead",
                    ));
                }
                findings = fresh;
                let pledge =
                    super::new_pledge(&record, &application, &facts, today, verification_code());
                (
                    ApplicationStatus::Registered,
                    Some(pledge),
                    note.unwrap_or("registered by the examiner").to_string(),
                )
            }
        };
        let findings_json = serde_json::to_string(&findings).map_err(internal)?;
        let decided = to_status.is_final();
        let code = pledge
            .as_ref()
            .map_or_else(verification_code, |pledge| pledge.verification_code.clone());
        let result = self
            .db
            .record_pledge_decision(
                &PledgeDecision {
                    application_id: id,
                    from_status: ApplicationStatus::InReview,
                    to_status,
                    findings_json: &findings_json,
                    actor: &principal.username,
                    confirmed_by: None,
                    received_at: None,
                    due: None,
                    decided,
                    registration_no: pledge
                        .as_ref()
                        .map(|pledge| pledge.registration_no.as_str()),
                    verification_code: decided.then_some(code.as_str()),
                    note: &note_text,
                    pledge: pledge.as_ref(),
                    body_json: None,
                    pledge_update: None,
                },
                now,
            )
            .await;
        match result {
            Ok(_) => self.get_pledge_application(principal, id).await,
            Err(error) if error.is_active_pledge_conflict() => Err(conflict(
                FindingCode::RightAlreadyPledged.as_str(),
                "a right of this application was registered under another pledge meanwhile: refuse it",
            )),
            Err(DbError::Stale(message)) => Err(conflict("pledge.not_in_review", message)),
            Err(error) => Err(error.into()),
        }
    }

    /// A party cures the defect the examiner named, with a corrected application: it goes back to
    /// the examiner, due one working day after the cure (the clock restarts).
    pub async fn cure_pledge_application(
        &self,
        principal: &Principal,
        id: i64,
        input: &PledgeApplicationInput,
    ) -> Result<PledgeApplicationView, AppError> {
        let record = self
            .db
            .get_pledge_application(id)
            .await?
            .ok_or_else(|| not_found(id))?;
        if !may_see(principal, &record)
            || !matches!(principal.role, Role::Lender | Role::Enterprise)
        {
            return Err(not_found(id));
        }
        if record.status != ApplicationStatus::AwaitingCure {
            return Err(conflict(
                "pledge.not_awaiting_cure",
                format!("the application is {}", record.status.as_str()),
            ));
        }
        let application = input.validate().map_err(AppError::validation)?;
        let facts = ExaminationFacts {
            pledgor: self
                .db
                .pledgor_facts(record.pledgor_id)
                .await?
                .ok_or_else(|| not_found(id))?,
            rights: self.db.pledge_right_facts(&application.rights).await?,
            attachments: self.attachment_names(Some(id), &application).await?,
        };
        let today = self.clock.today();
        let findings = examine(&application, &facts, today);
        let due = decision_due(&*self.work_calendar().await?, today).map_err(internal)?;
        let body_json = serde_json::to_string(&application).map_err(internal)?;
        let findings_json = serde_json::to_string(&findings).map_err(internal)?;
        self.db
            .record_pledge_decision(
                &PledgeDecision {
                    application_id: id,
                    from_status: ApplicationStatus::AwaitingCure,
                    to_status: ApplicationStatus::InReview,
                    findings_json: &findings_json,
                    actor: &principal.username,
                    confirmed_by: None,
                    received_at: None,
                    due: Some((due.date, due.provisional)),
                    decided: false,
                    registration_no: None,
                    verification_code: None,
                    note: "cured by the parties",
                    pledge: None,
                    body_json: Some(&body_json),
                    pledge_update: None,
                },
                self.clock.now(),
            )
            .await?;
        self.get_pledge_application(principal, id).await
    }

    /// The drafting party withdraws an application not yet confirmed, or one awaiting a cure.
    pub async fn withdraw_pledge_application(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<PledgeApplicationView, AppError> {
        let record = self
            .db
            .get_pledge_application(id)
            .await?
            .ok_or_else(|| not_found(id))?;
        if !may_see(principal, &record) || principal.party_id != Some(record.drafted_by_party) {
            return Err(not_found(id));
        }
        if !matches!(
            record.status,
            ApplicationStatus::AwaitingConfirmation | ApplicationStatus::AwaitingCure
        ) {
            return Err(conflict(
                "pledge.not_withdrawable",
                format!("the application is {}", record.status.as_str()),
            ));
        }
        self.db
            .record_pledge_decision(
                &PledgeDecision {
                    application_id: id,
                    from_status: record.status,
                    to_status: ApplicationStatus::Withdrawn,
                    findings_json: &record.findings,
                    actor: &principal.username,
                    confirmed_by: None,
                    received_at: None,
                    due: None,
                    decided: true,
                    registration_no: None,
                    verification_code: None,
                    note: "withdrawn by the drafting party",
                    pledge: None,
                    body_json: None,
                    pledge_update: None,
                },
                self.clock.now(),
            )
            .await?;
        self.get_pledge_application(principal, id).await
    }
}

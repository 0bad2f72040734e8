//! Subsidy applications: an enterprise applies on its own loan — for interest, the interest it
//! paid in a period, read from the loan's repayments; for a fee, the fee with its evidence. The
//! subsidy is computed by the domain (the share, cut by the cap and the budget left); an
//! application the rules do not cover is recorded as refused with every ground. A user of the
//! programme's office approves (committing the amount against the budget) or refuses with a
//! reason; one office user drafts the payout and another approves it, paying the enterprise
//! through the ledger.

use super::ledger::{ledger_error, posting_error};
use super::subsidies::{keeps_programme, subsidy_rules};
use super::subsidy_views::{SubsidyApplicationView, SubsidyPayoutView};
use super::{conflict, internal, loan_not_found, stale};
use crate::{App, AppError, ErrorKind};
use chrono::NaiveDate;
use ipyun_db::loans::{
    NewSubsidyApplication, NewSubsidyPayout, ProgrammeRecord, SubsidyApplicationRecord,
    SubsidyApproval, is_subsidy_already_applied, is_subsidy_budget_exhausted,
};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::id::RegionCode;
use ipyun_domain::loan::{
    SubsidyAmount, SubsidyError, SubsidyRequest, SubsidyStatus, approval_amount, subsidy_amount,
    subsidy_payout, validate_request,
};
use serde::Deserialize;

/// The longest reason for a refusal, in characters.
const MAX_REASON_CHARS: usize = 500;

/// An enterprise's application for a subsidy on its loan.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubsidyApplicationInput {
    pub programme_id: i64,
    /// Your own loan.
    pub loan_id: i64,
    /// Interest: the first and last day (both included) of the period whose interest paid is
    /// covered. Not for fees.
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// Fees: the fee paid, in fen. Not for interest (read from the loan's repayments).
    pub fee_fen: Option<i64>,
    /// Fees: what proves the fee was paid (an invoice number, the contract).
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubsidyVerdict {
    Approve,
    Refuse,
}

/// The office's decision on a submitted application.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubsidyDecisionInput {
    pub decision: SubsidyVerdict,
    /// Required to refuse: the grounds, told to the enterprise.
    pub reason: Option<String>,
}

pub(crate) fn application_not_found(id: i64) -> AppError {
    AppError::not_found(
        "subsidy.application_not_found",
        format!("no subsidy application {id}"),
    )
}

/// The enterprise that applied, the programme's office and those above it see an application.
fn may_see_application(
    principal: &Principal,
    application: &SubsidyApplicationRecord,
    programme: &ProgrammeRecord,
) -> bool {
    match principal.role {
        Role::PlatformAdmin | Role::NationalOffice => true,
        Role::Enterprise => principal.party_id == Some(application.enterprise_id),
        _ => keeps_programme(principal, programme),
    }
}

/// Refuses anyone but a user of the programme's office (others who may see the application:
/// forbidden; the rest learn nothing).
fn keeper(
    principal: &Principal,
    application: &SubsidyApplicationRecord,
    programme: &ProgrammeRecord,
    what: &str,
) -> Result<(), AppError> {
    if keeps_programme(principal, programme) {
        return Ok(());
    }
    Err(if may_see_application(principal, application, programme) {
        AppError::forbidden(format!("only users of the programme's office {what}"))
    } else {
        application_not_found(application.id)
    })
}

fn not_in(id: i64, status: SubsidyStatus, code: &'static str, needed: &str) -> AppError {
    conflict(
        code,
        format!("subsidy application {id} is {}: {needed}", status.as_str()),
    )
}

impl App {
    /// An enterprise applies for a subsidy on its own loan. An application the programme does
    /// not cover is recorded as refused, naming every ground.
    pub async fn apply_for_subsidy(
        &self,
        principal: &Principal,
        input: &SubsidyApplicationInput,
    ) -> Result<SubsidyApplicationView, AppError> {
        let enterprise_id = match (principal.role, principal.party_id) {
            (Role::Enterprise, Some(party)) => party,
            _ => {
                return Err(AppError::forbidden(
                    "only an enterprise's users apply for a subsidy",
                ));
            }
        };
        let programme = self
            .visible_programme(principal, input.programme_id)
            .await?;
        let loan = self
            .db
            .get_loan(input.loan_id)
            .await?
            .filter(|loan| loan.borrower_id == enterprise_id)
            .ok_or_else(|| loan_not_found(input.loan_id))?;
        let rules = subsidy_rules(&programme)?;
        let kind = programme.kind;
        let mut errors = FieldErrors::default();
        let fee_missing = kind.is_fee() && input.fee_fen.is_none();
        if fee_missing {
            errors.push(FieldError::required("fee_fen"));
        }
        if !kind.is_fee() && input.fee_fen.is_some() {
            errors.push(FieldError::new(
                "fee_fen",
                "not_applicable",
                "an interest subsidy covers the interest paid, read from the loan's repayments",
            ));
        }
        let evidence = input
            .evidence
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty());
        let region = self
            .db
            .get_party(enterprise_id)
            .await?
            .and_then(|party| party.region)
            .and_then(|region| RegionCode::parse(&region).ok());
        let mut request = SubsidyRequest {
            enterprise_id,
            borrower_id: loan.borrower_id,
            region,
            applied_on: self.clock.today(),
            period_start: input.period_start,
            period_end: input.period_end,
            cost_fen: input.fee_fen.unwrap_or(0),
            evidence: evidence.map(str::to_string),
        };
        if let Err(found) = validate_request(kind, &request) {
            // A missing fee is reported once, as required.
            errors.0.extend(
                found
                    .0
                    .into_iter()
                    .filter(|error| !(fee_missing && error.field == "fee_fen")),
            );
        }
        errors.into_result().map_err(AppError::validation)?;
        if let (false, Some(start), Some(end)) =
            (kind.is_fee(), input.period_start, input.period_end)
        {
            request.cost_fen = self.db.interest_paid_between(loan.id, start, end).await?;
        }
        let (position, _) = self.subsidy_position(programme.id).await?;
        let (status, refusal, amounts) = match subsidy_amount(&rules, &request, position.left_fen())
        {
            Ok(amounts) => (SubsidyStatus::Submitted, None, amounts),
            Err(SubsidyError::Ineligible(reasons)) => (
                SubsidyStatus::Refused,
                Some(
                    reasons
                        .iter()
                        .map(|reason| format!("{}: {reason}", reason.code()))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                SubsidyAmount {
                    cost_fen: request.cost_fen,
                    share_fen: 0,
                    amount_fen: 0,
                    limited_by: None,
                },
            ),
            Err(SubsidyError::Invalid(errors)) => return Err(AppError::validation(errors)),
        };
        let application = NewSubsidyApplication {
            programme_id: programme.id,
            enterprise_id,
            loan_id: loan.id,
            kind,
            status,
            applied_on: request.applied_on,
            period: request.period_start.zip(request.period_end),
            cost_fen: request.cost_fen,
            evidence,
            share_fen: amounts.share_fen,
            amount_fen: amounts.amount_fen,
            limited_by: amounts.limited_by.map(|limit| limit.as_str()),
            refusal: refusal.as_deref(),
            actor: &principal.username,
        };
        let id = match self
            .db
            .insert_subsidy_application(&application, self.clock.now())
            .await
        {
            Ok(id) => id,
            Err(error) if is_subsidy_already_applied(&error) => {
                return Err(conflict(
                    "subsidy.already_applied",
                    format!(
                        "loan {} already has an open application on programme {} for this {}",
                        loan.id,
                        programme.id,
                        if kind.is_fee() { "fee" } else { "period" }
                    ),
                ));
            }
            Err(error) => return Err(error.into()),
        };
        self.subsidy_application_view(id).await
    }

    /// An application: the enterprise that made it, the programme's office, the national office
    /// and administrators.
    pub async fn get_subsidy_application(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<SubsidyApplicationView, AppError> {
        let (application, programme) = self.application_and_programme(id).await?;
        if !may_see_application(principal, &application, &programme) {
            return Err(application_not_found(id));
        }
        self.subsidy_application_view(id).await
    }

    async fn application_and_programme(
        &self,
        id: i64,
    ) -> Result<(SubsidyApplicationRecord, ProgrammeRecord), AppError> {
        let application = self
            .db
            .get_subsidy_application(id)
            .await?
            .ok_or_else(|| application_not_found(id))?;
        let programme = self
            .db
            .get_subsidy_programme(application.programme_id)
            .await?
            .ok_or_else(|| internal(format!("subsidy application {id} names no programme")))?;
        Ok((application, programme))
    }

    /// A user of the programme's office approves a submitted application (its amount, cut by the
    /// budget left now, is committed) or refuses it with a reason.
    pub async fn decide_subsidy_application(
        &self,
        principal: &Principal,
        id: i64,
        input: &SubsidyDecisionInput,
    ) -> Result<SubsidyApplicationView, AppError> {
        let (application, programme) = self.application_and_programme(id).await?;
        keeper(
            principal,
            &application,
            &programme,
            "decide its applications",
        )?;
        let reason = input
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty());
        if reason.is_some_and(|text| text.chars().count() > MAX_REASON_CHARS) {
            return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                "reason",
                "too_long",
                format!("at most {MAX_REASON_CHARS} characters"),
            )])));
        }
        if input.decision == SubsidyVerdict::Refuse && reason.is_none() {
            return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                "reason",
                "required",
                "a refusal states its grounds for the enterprise",
            )])));
        }
        if application.status != SubsidyStatus::Submitted {
            return Err(not_in(
                id,
                application.status,
                "subsidy.not_submitted",
                "only a submitted application is decided",
            ));
        }
        let today = self.clock.today();
        match (input.decision, reason) {
            (SubsidyVerdict::Refuse, Some(reason)) => {
                let refusal = format!("refused_by_office: {reason}");
                self.db
                    .refuse_subsidy_application(
                        id,
                        &refusal,
                        today,
                        &principal.username,
                        self.clock.now(),
                    )
                    .await
                    .map_err(stale)?;
            }
            _ => {
                let rules = subsidy_rules(&programme)?;
                let (position, _) = self.subsidy_position(programme.id).await?;
                let exhausted = |detail: String| conflict("subsidy.budget_exhausted", detail);
                let amounts = approval_amount(
                    &rules,
                    application.cost_fen,
                    application.share_fen,
                    position.left_fen(),
                )
                .map_err(|reason| exhausted(reason.to_string()))?;
                let approval = SubsidyApproval {
                    application_id: id,
                    programme_id: programme.id,
                    amount_fen: amounts.amount_fen,
                    limited_by: amounts.limited_by.map(|limit| limit.as_str()),
                    decided_on: today,
                    actor: &principal.username,
                };
                self.db
                    .approve_subsidy_application(&approval, self.clock.now())
                    .await
                    .map_err(|error| {
                        if is_subsidy_budget_exhausted(&error) {
                            exhausted(format!(
                                "the programme's budget left no longer covers {} fen; read it again",
                                amounts.amount_fen
                            ))
                        } else {
                            stale(error)
                        }
                    })?;
            }
        }
        self.subsidy_application_view(id).await
    }

    /// A user of the programme's office drafts the payout of an approved application (the maker).
    pub async fn draft_subsidy_payout(
        &self,
        principal: &Principal,
        application_id: i64,
    ) -> Result<SubsidyPayoutView, AppError> {
        let (application, programme) = self.application_and_programme(application_id).await?;
        keeper(principal, &application, &programme, "pay its subsidies")?;
        if application.status != SubsidyStatus::Approved {
            return Err(not_in(
                application_id,
                application.status,
                "subsidy.not_approved",
                "only an approved application is paid",
            ));
        }
        // The entry the checker will approve; made now so that an invalid one is refused at once.
        subsidy_payout(
            principal.user_id,
            programme.id,
            application.enterprise_id,
            application.amount_fen,
            self.clock.today(),
            "draft",
        )
        .map_err(|error| ledger_error(&error))?;
        let payout = NewSubsidyPayout {
            application_id,
            programme_id: programme.id,
            enterprise_id: application.enterprise_id,
            amount_fen: application.amount_fen,
            maker_user_id: principal.user_id,
            maker: &principal.username,
        };
        let id = self
            .db
            .insert_subsidy_payout(&payout, self.clock.now())
            .await
            .map_err(stale)?;
        let record = self
            .db
            .get_subsidy_payout(id)
            .await?
            .ok_or_else(|| internal("subsidy payout vanished"))?;
        Ok(SubsidyPayoutView::from(&record))
    }

    /// Another user of the programme's office approves a pending payout (the checker): the
    /// programme pays the enterprise through the ledger, never below zero.
    pub async fn approve_subsidy_payout(
        &self,
        principal: &Principal,
        payout_id: i64,
    ) -> Result<SubsidyPayoutView, AppError> {
        let not_found = || {
            AppError::not_found(
                "subsidy.payout_not_found",
                format!("no subsidy payout {payout_id}"),
            )
        };
        let payout = self
            .db
            .get_subsidy_payout(payout_id)
            .await?
            .ok_or_else(not_found)?;
        let (application, programme) = self
            .application_and_programme(payout.application_id)
            .await?;
        if !keeps_programme(principal, &programme) {
            return Err(
                if may_see_application(principal, &application, &programme) {
                    AppError::forbidden("only users of the programme's office approve its payouts")
                } else {
                    not_found()
                },
            );
        }
        if payout.status != "pending" {
            return Err(conflict(
                "subsidy.payout_not_pending",
                format!("subsidy payout {payout_id} is {}", payout.status),
            ));
        }
        let reference = format!(
            "subsidy-{}/application-{}/payout-{}",
            programme.id, application.id, payout.id
        );
        let request = subsidy_payout(
            payout.maker_user_id,
            programme.id,
            payout.enterprise_id,
            payout.amount_fen,
            self.clock.today(),
            reference,
        )
        .map_err(|error| ledger_error(&error))?;
        let approved = request
            .approve(principal.user_id)
            .map_err(|same| AppError {
                kind: ErrorKind::Conflict,
                code: "subsidy.maker_is_checker",
                message: same.to_string(),
                details: Vec::new(),
            })?;
        let entry = self.check_payout(approved).await?;
        self.db
            .approve_subsidy_payout(
                &payout,
                principal.user_id,
                &principal.username,
                &entry,
                self.clock.now(),
            )
            .await
            .map_err(posting_error)?;
        let record = self
            .db
            .get_subsidy_payout(payout_id)
            .await?
            .ok_or_else(not_found)?;
        Ok(SubsidyPayoutView::from(&record))
    }
}

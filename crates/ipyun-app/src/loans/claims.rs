//! Claims on a risk-compensation fund: a lender claims on its defaulted loan; the fund's share
//! is computed by the domain (coverage within the caps) and paid before disposal through a
//! payout drafted by one user of the fund's office and approved by another; the recovery after
//! disposal is shared back pro rata through the ledger.

use super::funds::{fund_not_found, keeps, rules_of};
use super::ledger::posting_error;
use super::payouts::PayoutView;
use super::{conflict, internal, loan_not_found};
use crate::{App, AppError};
use chrono::{Datelike, NaiveDate};
use ipyun_db::loans::{ClaimRecord, FundRecord, NewClaim};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::id::RegionCode;
use ipyun_domain::loan::{
    Account, AccountKind, Cap, Claim, ClaimStatus, FundError, JournalEntry, PaidSoFar, Posting,
    PreCompensation, RiskClass, fund_account, lender_account, pre_compensation, split_recovery,
};
use serde::{Deserialize, Serialize};

/// Days overdue past which a loan is in default.
const DEFAULT_DAYS: i64 = 90;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    pub fund_id: i64,
    pub loan_id: i64,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecoveryInput {
    /// The principal recovered after disposal, in fen.
    pub recovered_fen: i64,
}

/// A claim and what the fund paid and recovered on it. Amounts in fen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClaimView {
    pub id: i64,
    pub fund_id: i64,
    pub loan_id: i64,
    pub lender_id: i64,
    pub status: ClaimStatus,
    pub claimed_on: NaiveDate,
    /// The loss before any recovery.
    pub principal_outstanding_fen: i64,
    pub days_overdue: i64,
    pub risk_class: RiskClass,
    /// Principal outstanding × coverage.
    pub share_fen: i64,
    /// The share less what the fund paid on the loan before.
    pub due_fen: i64,
    /// The pre-compensation: the due within the caps.
    pub amount_fen: i64,
    /// `per_loan` or `per_year` when a cap cut it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limited_by: Option<String>,
    pub paid_fen: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovered_fen: Option<i64>,
    /// Of the recovery, what went back to the fund.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovered_to_fund_fen: Option<i64>,
    /// Why the fund does not cover it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    pub payouts: Vec<PayoutView>,
}

fn cap_name(cap: Cap) -> &'static str {
    match cap {
        Cap::PerLoan => "per_loan",
        Cap::PerYear => "per_year",
    }
}

pub(crate) fn claim_not_found(id: i64) -> AppError {
    AppError::not_found("fund.claim_not_found", format!("no claim {id}"))
}

/// The first day of `date`'s year and of the next.
fn year_of(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date);
    let end = NaiveDate::from_ymd_opt(date.year() + 1, 1, 1).unwrap_or(date);
    (start, end)
}

impl App {
    /// The lender claims on a fund for its loan in default (more than 90 days overdue, or
    /// classified substandard or worse). A claim the rules do not cover is recorded as refused,
    /// with every reason.
    pub async fn file_fund_claim(
        &self,
        principal: &Principal,
        input: &ClaimInput,
    ) -> Result<ClaimView, AppError> {
        let lender_id = match (principal.role, principal.party_id) {
            (Role::Lender, Some(party)) => party,
            _ => return Err(AppError::forbidden("only a lender's users claim on a fund")),
        };
        let loan = self
            .db
            .get_loan(input.loan_id)
            .await?
            .filter(|loan| loan.lender_id == lender_id)
            .ok_or_else(|| loan_not_found(input.loan_id))?;
        let fund = self
            .db
            .get_fund(input.fund_id)
            .await?
            .ok_or_else(|| fund_not_found(input.fund_id))?;
        if loan.days_overdue <= DEFAULT_DAYS && loan.risk_class < RiskClass::Substandard {
            return Err(conflict(
                "fund.loan_not_defaulted",
                format!(
                    "loan {} is {} days overdue and {}: a claim needs more than {DEFAULT_DAYS} days \
                     overdue or substandard or worse",
                    loan.id,
                    loan.days_overdue,
                    loan.risk_class.as_str()
                ),
            ));
        }
        let today = self.clock.today();
        let claim = Claim {
            lender_id,
            product_id: loan.product_id.unwrap_or_default(),
            region: loan
                .borrower_region
                .as_deref()
                .and_then(|region| RegionCode::parse(region).ok()),
            park_id: loan.borrower_park_id,
            principal_outstanding_fen: loan.principal_outstanding_fen,
            claimed_on: today,
        };
        let computed = self
            .pre_compensation_now(&fund, loan.id, &claim, today)
            .await?;
        let (status, refusal, amounts) = match computed {
            Ok(amounts) if amounts.amount_fen > 0 => (ClaimStatus::Submitted, None, amounts),
            Ok(amounts) => (
                ClaimStatus::Refused,
                Some(format!(
                    "nothing_due: the fund's caps are used up (share {} fen, due {} fen)",
                    amounts.share_fen, amounts.due_fen
                )),
                amounts,
            ),
            Err(FundError::Ineligible(reasons)) => (
                ClaimStatus::Refused,
                Some(
                    reasons
                        .iter()
                        .map(|reason| format!("{}: {reason}", reason.code()))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                PreCompensation {
                    share_fen: 0,
                    due_fen: 0,
                    amount_fen: 0,
                    limited_by: None,
                },
            ),
            Err(FundError::Invalid(errors)) => return Err(AppError::validation(errors)),
        };
        let new_claim = NewClaim {
            fund_id: fund.id,
            loan_id: loan.id,
            lender_id,
            status,
            claimed_on: today,
            principal_outstanding_fen: loan.principal_outstanding_fen,
            days_overdue: loan.days_overdue,
            risk_class: loan.risk_class,
            share_fen: amounts.share_fen,
            due_fen: amounts.due_fen,
            amount_fen: amounts.amount_fen,
            limited_by: amounts.limited_by.map(cap_name),
            refusal: refusal.as_deref(),
            actor: &principal.username,
        };
        let id = match self.db.insert_claim(&new_claim, self.clock.now()).await {
            Ok(id) => id,
            Err(ipyun_db::DbError::Constraint(_)) => {
                return Err(conflict(
                    "fund.claim_exists",
                    format!(
                        "loan {} already has an open claim on fund {}",
                        loan.id, fund.id
                    ),
                ));
            }
            Err(error) => return Err(error.into()),
        };
        self.claim_view(id).await
    }

    /// The pre-compensation of `claim` on `fund` given what the fund has paid so far.
    pub(crate) async fn pre_compensation_now(
        &self,
        fund: &FundRecord,
        loan_id: i64,
        claim: &Claim,
        on: NaiveDate,
    ) -> Result<Result<PreCompensation, FundError>, AppError> {
        let rules = rules_of(fund)?;
        let (start, end) = year_of(on);
        let paid = self
            .db
            .fund_paid_totals(fund.id, loan_id, start, end)
            .await?;
        Ok(pre_compensation(
            &rules,
            claim,
            PaidSoFar {
                for_loan_fen: paid.for_loan_fen,
                this_year_fen: paid.in_year_fen,
            },
        ))
    }

    /// A claim: its lender, the fund's office, the national office and administrators.
    pub async fn get_fund_claim(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<ClaimView, AppError> {
        let (claim, fund) = self.claim_and_fund(id).await?;
        if !may_see_claim(principal, &claim, &fund) {
            return Err(claim_not_found(id));
        }
        self.claim_view(id).await
    }

    pub(crate) async fn claim_and_fund(
        &self,
        id: i64,
    ) -> Result<(ClaimRecord, FundRecord), AppError> {
        let claim = self
            .db
            .get_claim(id)
            .await?
            .ok_or_else(|| claim_not_found(id))?;
        let fund = self
            .db
            .get_fund(claim.fund_id)
            .await?
            .ok_or_else(|| internal(format!("claim {id} names no fund")))?;
        Ok((claim, fund))
    }

    /// The recovery after disposal: the principal recovered is shared between the lender and the
    /// fund pro rata to the loss each bore, through the ledger; the claim is settled.
    pub async fn settle_fund_recovery(
        &self,
        principal: &Principal,
        claim_id: i64,
        input: &RecoveryInput,
    ) -> Result<ClaimView, AppError> {
        let (claim, fund) = self.claim_and_fund(claim_id).await?;
        let lender = principal.role == Role::Lender && principal.party_id == Some(claim.lender_id);
        if !(lender || keeps(principal, &fund)) {
            return Err(if may_see_claim(principal, &claim, &fund) {
                AppError::forbidden("the claim's lender or the fund's office records its recovery")
            } else {
                claim_not_found(claim_id)
            });
        }
        if claim.status != ClaimStatus::Paid {
            return Err(conflict(
                "fund.claim_not_paid",
                format!(
                    "claim {claim_id} is {}: a recovery settles a paid claim",
                    claim.status.as_str()
                ),
            ));
        }
        let split = split_recovery(
            claim.principal_outstanding_fen,
            claim.paid_fen,
            input.recovered_fen,
        )
        .map_err(|errors| {
            AppError::validation(FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|error| match error.field.as_str() {
                        "recovered_fen" => error,
                        _ => FieldError::new("recovered_fen", error.code, error.message),
                    })
                    .collect(),
            ))
        })?;
        let today = self.clock.today();
        let entries = recovery_entries(
            &claim,
            input.recovered_fen,
            split.to_lender_fen,
            split.to_fund_fen,
            today,
        )?;
        self.check_entries(&entries).await?;
        self.db
            .settle_claim(
                &claim,
                input.recovered_fen,
                split.to_fund_fen,
                &entries,
                &principal.username,
                self.clock.now(),
            )
            .await
            .map_err(posting_error)?;
        self.claim_view(claim_id).await
    }

    pub(crate) async fn claim_view(&self, id: i64) -> Result<ClaimView, AppError> {
        let claim = self
            .db
            .get_claim(id)
            .await?
            .ok_or_else(|| claim_not_found(id))?;
        let payouts = self.db.claim_payouts(id).await?;
        Ok(ClaimView {
            id: claim.id,
            fund_id: claim.fund_id,
            loan_id: claim.loan_id,
            lender_id: claim.lender_id,
            status: claim.status,
            claimed_on: claim.claimed_on,
            principal_outstanding_fen: claim.principal_outstanding_fen,
            days_overdue: claim.days_overdue,
            risk_class: claim.risk_class,
            share_fen: claim.share_fen,
            due_fen: claim.due_fen,
            amount_fen: claim.amount_fen,
            limited_by: claim.limited_by,
            paid_fen: claim.paid_fen,
            recovered_fen: claim.recovered_fen,
            recovered_to_fund_fen: claim.recovered_to_fund_fen,
            refusal: claim.refusal,
            payouts: payouts.iter().map(PayoutView::from).collect(),
        })
    }
}

/// The claim's lender, the fund's office and those above it see a claim.
pub(crate) fn may_see_claim(principal: &Principal, claim: &ClaimRecord, fund: &FundRecord) -> bool {
    match principal.role {
        Role::PlatformAdmin | Role::NationalOffice => true,
        Role::Lender => principal.party_id == Some(claim.lender_id),
        _ => keeps(principal, fund),
    }
}

/// The recovery's two entries: the proceeds into the claim's recoveries account, then shared
/// out to the lender and the fund (nothing when nothing was recovered).
fn recovery_entries(
    claim: &ClaimRecord,
    recovered_fen: i64,
    to_lender_fen: i64,
    to_fund_fen: i64,
    date: NaiveDate,
) -> Result<Vec<JournalEntry>, AppError> {
    if recovered_fen == 0 {
        return Ok(Vec::new());
    }
    let recoveries = Account::new(AccountKind::Recoveries, claim.id);
    let fail = |error: ipyun_domain::loan::LedgerError| super::ledger::ledger_error(&error);
    let receipt = JournalEntry::transfer(
        format!("claim-{}/recovery", claim.id),
        date,
        Account::new(AccountKind::Buyer, claim.id),
        recoveries,
        recovered_fen,
    )
    .map_err(fail)?;
    let mut lines = vec![Posting::new(recoveries, -recovered_fen)];
    for (account, amount) in [
        (lender_account(claim.lender_id), to_lender_fen),
        (fund_account(claim.fund_id), to_fund_fen),
    ] {
        if amount != 0 {
            lines.push(Posting::new(account, amount));
        }
    }
    let settlement =
        JournalEntry::new(format!("claim-{}/settlement", claim.id), date, lines).map_err(fail)?;
    Ok(vec![receipt, settlement])
}

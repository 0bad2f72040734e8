//! Payouts of pre-compensation: drafted by one user of the fund's office (the maker), paid
//! once another user of that office approves (the checker), within the caps and never below zero.

use super::claims::{claim_not_found, may_see_claim};
use super::funds::keeps;
use super::ledger::posting_error;
use super::{conflict, internal, stale};
use crate::{App, AppError, ErrorKind};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_db::loans::{ClaimRecord, FundRecord, NewPayout, PayoutRecord};
use ipyun_domain::account::Principal;
use ipyun_domain::id::RegionCode;
use ipyun_domain::loan::{Claim, ClaimStatus, FundError, PreCompensation, pre_compensation_payout};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PayoutView {
    pub id: i64,
    pub claim_id: i64,
    pub fund_id: i64,
    pub lender_id: i64,
    pub amount_fen: i64,
    /// `pending` (waiting for a checker) or `approved` (paid).
    pub status: String,
    pub maker: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checker: Option<String>,
    pub drafted_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_on: Option<NaiveDate>,
}

impl From<&PayoutRecord> for PayoutView {
    fn from(record: &PayoutRecord) -> Self {
        PayoutView {
            id: record.id,
            claim_id: record.claim_id,
            fund_id: record.fund_id,
            lender_id: record.lender_id,
            amount_fen: record.amount_fen,
            status: record.status.clone(),
            maker: record.maker.clone(),
            checker: record.checker.clone(),
            drafted_at: record.drafted_at,
            approved_on: record.approved_on,
        }
    }
}

/// Refuses anyone but a user of the fund's office (others who may see the claim: forbidden).
fn keeper(principal: &Principal, claim: &ClaimRecord, fund: &FundRecord) -> Result<(), AppError> {
    if keeps(principal, fund) {
        return Ok(());
    }
    Err(if may_see_claim(principal, claim, fund) {
        AppError::forbidden("only users of the fund's office pay its claims")
    } else {
        claim_not_found(claim.id)
    })
}

impl App {
    /// A user of the fund's office drafts the payout of a submitted claim (the maker).
    pub async fn draft_fund_payout(
        &self,
        principal: &Principal,
        claim_id: i64,
    ) -> Result<PayoutView, AppError> {
        let (claim, fund) = self.claim_and_fund(claim_id).await?;
        keeper(principal, &claim, &fund)?;
        if claim.status != ClaimStatus::Submitted {
            return Err(conflict(
                "fund.claim_not_submitted",
                format!(
                    "claim {claim_id} is {}: only a submitted claim is paid",
                    claim.status.as_str()
                ),
            ));
        }
        let today = self.clock.today();
        let amounts = self.claim_amount_now(&claim, &fund, today).await?;
        if amounts.amount_fen <= 0 {
            return Err(conflict(
                "fund.nothing_due",
                "the fund's caps are used up: nothing is due",
            ));
        }
        // The entry the checker will approve; made now so that an invalid one is refused at once.
        pre_compensation_payout(
            principal.user_id,
            fund.id,
            claim.lender_id,
            amounts.amount_fen,
            today,
            "draft",
        )
        .map_err(|error| super::ledger::ledger_error(&error))?;
        let payout = NewPayout {
            claim_id,
            fund_id: fund.id,
            lender_id: claim.lender_id,
            amount_fen: amounts.amount_fen,
            maker_user_id: principal.user_id,
            maker: &principal.username,
        };
        let id = self
            .db
            .insert_payout(&payout, self.clock.now())
            .await
            .map_err(stale)?;
        let record = self
            .db
            .get_payout(id)
            .await?
            .ok_or_else(|| internal("payout vanished"))?;
        Ok(PayoutView::from(&record))
    }

    /// The claim's pre-compensation recomputed now, within what the caps leave.
    async fn claim_amount_now(
        &self,
        claim: &ClaimRecord,
        fund: &FundRecord,
        on: NaiveDate,
    ) -> Result<PreCompensation, AppError> {
        let loan = self
            .db
            .get_loan(claim.loan_id)
            .await?
            .ok_or_else(|| internal("claim names no loan"))?;
        let domain_claim = Claim {
            lender_id: claim.lender_id,
            product_id: loan.product_id.unwrap_or_default(),
            region: loan
                .borrower_region
                .as_deref()
                .and_then(|region| RegionCode::parse(region).ok()),
            park_id: loan.borrower_park_id,
            principal_outstanding_fen: claim.principal_outstanding_fen,
            claimed_on: on,
        };
        match self
            .pre_compensation_now(fund, loan.id, &domain_claim, on)
            .await?
        {
            Ok(amounts) => Ok(amounts),
            Err(FundError::Ineligible(reasons)) => Err(conflict(
                "fund.claim_ineligible",
                reasons
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )),
            Err(FundError::Invalid(errors)) => Err(AppError::validation(errors)),
        }
    }

    /// Another user of the fund's office approves a pending payout (the checker): the fund pays
    /// the lender through the ledger, never below zero and within the caps.
    pub async fn approve_fund_payout(
        &self,
        principal: &Principal,
        payout_id: i64,
    ) -> Result<PayoutView, AppError> {
        let not_found =
            || AppError::not_found("fund.payout_not_found", format!("no payout {payout_id}"));
        let payout = self.db.get_payout(payout_id).await?.ok_or_else(not_found)?;
        let (claim, fund) = self.claim_and_fund(payout.claim_id).await?;
        if !keeps(principal, &fund) {
            return Err(if may_see_claim(principal, &claim, &fund) {
                AppError::forbidden("only users of the fund's office approve its payouts")
            } else {
                not_found()
            });
        }
        if payout.status != "pending" {
            return Err(conflict(
                "fund.payout_not_pending",
                format!("payout {payout_id} is {}", payout.status),
            ));
        }
        let today = self.clock.today();
        let reference = format!("fund-{}/claim-{}/payout-{}", fund.id, claim.id, payout.id);
        let request = pre_compensation_payout(
            payout.maker_user_id,
            fund.id,
            payout.lender_id,
            payout.amount_fen,
            today,
            reference,
        )
        .map_err(|error| super::ledger::ledger_error(&error))?;
        let approved = request
            .approve(principal.user_id)
            .map_err(|same| AppError {
                kind: ErrorKind::Conflict,
                code: "fund.maker_is_checker",
                message: same.to_string(),
                details: Vec::new(),
            })?;
        let amounts = self.claim_amount_now(&claim, &fund, today).await?;
        if payout.amount_fen > amounts.amount_fen {
            return Err(conflict(
                "fund.cap_exceeded",
                format!(
                    "the fund may pay {} fen on this claim now (caps per loan and per year), not {}",
                    amounts.amount_fen, payout.amount_fen
                ),
            ));
        }
        let entry = self.check_payout(approved).await?;
        self.db
            .approve_payout(
                &payout,
                principal.user_id,
                &principal.username,
                &entry,
                self.clock.now(),
            )
            .await
            .map_err(posting_error)?;
        let record = self.db.get_payout(payout_id).await?.ok_or_else(not_found)?;
        Ok(PayoutView::from(&record))
    }
}

//! Disposal of a defaulted loan's pledges (L5). The lender opens one case for a loan whose
//! debt is overdue (民法典 第四百三十六条: the pledgee may realise the pledge when the debtor
//! fails to pay a debt due), covering all its pledges; then either lists an auction (anyone
//! acting for a party, except the lender and the pledgor, bids until the deadline; the lender
//! closes it once past) or records the buyer and price of a negotiated transfer, an acquisition
//! by an IP operation fund (收储) or a long-term licence. Settling runs the price through the
//! domain's waterfall — costs, fees, interest, principal shared with the fund that
//! pre-compensated, the surplus to the pledgor — posts it to the ledger, settles the fund's
//! claim, closes the loan (repaid, or disposed with the rest written off), hands the rights to
//! the buyer unless licensed, and applies to cancel the pledges as realised.
//!
//! Who sees a case: those who see its loan; an auction's listing and bids (without bidders'
//! names) are open to anyone acting for a party, who may bid.

use super::ledger::posting_error;
use super::{LoanScope, conflict, internal, loan_not_found, stale};
use crate::{App, AppError, ErrorKind};
use chrono::{NaiveDate, NaiveDateTime};
use ipyun_db::loans::{
    DisposalEvent, DisposalRecord, LoanRecord, LoanStatus, NewDisposal, NewHolder, SettlementWrite,
};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::clock::china_time;
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::loan::{
    Bid, BidError, DisposalCase, DisposalError, DisposalMethod, Listing, LoanClaim,
    SettlementAccounts, Waterfall, settlement_entries,
};
use ipyun_domain::pledge::{CancellationReason, PledgeStatus};
use serde::{Deserialize, Serialize};

use super::disposal_views::DisposalView;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisposalOpenInput {
    pub method: DisposalMethod,
}

/// An auction's listing; times are China's wall-clock time (UTC+8).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingInput {
    pub reserve_fen: i64,
    pub increment_fen: i64,
    /// Default: now.
    pub opens_at: Option<NaiveDateTime>,
    pub deadline: NaiveDateTime,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidInput {
    pub amount_fen: i64,
}

/// The buyer (acquirer, licensee) and price of a case not sold by auction.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementInput {
    pub buyer_id: i64,
    pub price_fen: i64,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettlementInput {
    /// The disposal's costs (auctioneer, appraisal, taxes and fees), paid first. Default 0.
    #[serde(default)]
    pub costs_fen: i64,
}

/// What a settlement did, kept with the case.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SettlementView {
    /// What the loan owed: unpaid fees and interest due by the date, the principal outstanding.
    pub claim: LoanClaim,
    /// The fund's pre-compensation it shares the principal recovered with.
    pub fund_paid_fen: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fund_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_id: Option<i64>,
    pub waterfall: Waterfall,
    /// Principal not recovered, written off.
    pub written_off_fen: i64,
    /// `repaid` (everything recovered) or `disposed`.
    pub loan_status: String,
    /// The rights' new holder, unless licensed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_holder: Option<String>,
}

/// Where the principal sits with respect to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seat {
    /// The loan's lender.
    Lender,
    /// Sees the loan (its borrower, park, offices).
    Insider,
    /// Sees only the auction.
    Public,
}

fn disposal_error(error: DisposalError) -> AppError {
    match error {
        DisposalError::Transition { .. } => conflict("disposal.transition", error.to_string()),
        DisposalError::Method { .. } => conflict("disposal.method", error.to_string()),
        DisposalError::Bid(bid) => {
            let code = match bid {
                BidError::NotOpen { .. } => "disposal.not_open",
                BidError::AfterDeadline { .. } => "disposal.after_deadline",
                BidError::BelowReserve { .. } => "disposal.below_reserve",
                BidError::BelowIncrement { .. } => "disposal.below_increment",
                BidError::StillOpen { .. } => "disposal.still_open",
            };
            conflict(code, bid.to_string())
        }
        DisposalError::Invalid(errors) => AppError::validation(errors),
    }
}

fn case_not_found(id: i64) -> AppError {
    AppError::not_found("disposal.not_found", format!("no disposal case {id}"))
}

fn invalid(field: &str, code: &str, message: impl Into<String>) -> AppError {
    AppError::validation(FieldErrors(vec![FieldError::new(field, code, message)]))
}

impl App {
    /// The lender opens a disposal case on its loan in default: every pledge of the loan active
    /// and securing no other loan still running.
    pub async fn open_disposal(
        &self,
        principal: &Principal,
        loan_id: i64,
        input: &DisposalOpenInput,
    ) -> Result<DisposalView, AppError> {
        let loan = self.lenders_loan(principal, loan_id).await?;
        if loan.status != LoanStatus::Active {
            return Err(conflict(
                "loan.not_active",
                format!("loan {loan_id} is {}", loan.status.as_str()),
            ));
        }
        if loan.days_overdue <= 0 {
            return Err(conflict(
                "disposal.not_in_default",
                format!(
                    "loan {loan_id} has nothing overdue (as of the last daily run): a pledge is realised \
                     only when the debtor fails to pay a debt due (民法典 第四百三十六条)"
                ),
            ));
        }
        let pledges = self.db.loan_pledges(loan_id).await?;
        let Some(first) = pledges.first() else {
            return Err(internal(format!("loan {loan_id} has no pledge")));
        };
        for pledge in &pledges {
            if pledge.status != PledgeStatus::Active {
                return Err(conflict(
                    "disposal.pledge_not_active",
                    format!(
                        "pledge {} is {}: only a registered pledge in force is realised",
                        pledge.registration_no,
                        pledge.status.as_str()
                    ),
                ));
            }
            if self
                .db
                .other_active_loans_on_pledge(pledge.pledge_id, loan_id)
                .await?
                > 0
            {
                return Err(conflict(
                    "disposal.pledge_shared",
                    format!(
                        "pledge {} also secures another running loan: dispose of it with that loan's lender",
                        pledge.registration_no
                    ),
                ));
            }
        }
        let case = DisposalCase::open(first.pledge_id, input.method);
        let event = DisposalEvent {
            action: "open",
            detail: serde_json::json!({"method": input.method.as_str(),
                "pledges": pledges.iter().map(|p| p.registration_no.as_str()).collect::<Vec<_>>()})
            .to_string(),
            actor: &principal.username,
        };
        let id = self
            .db
            .insert_disposal_case(
                &NewDisposal {
                    loan_id,
                    lender_id: loan.lender_id,
                    pledgor_id: first.pledgor_id,
                    case: &case,
                    opened_on: self.clock.today(),
                },
                &event,
                self.clock.now(),
            )
            .await
            .map_err(|error| match error {
                ipyun_db::DbError::Constraint(_) => conflict(
                    "disposal.case_open",
                    format!("loan {loan_id} already has a disposal case open"),
                ),
                other => other.into(),
            })?;
        self.disposal_view(principal, id).await
    }

    /// A case and where the principal sits, or "not found".
    pub(crate) async fn seat_at_case(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<(DisposalRecord, LoanRecord, Seat), AppError> {
        let record = self
            .db
            .get_disposal_case(id)
            .await?
            .ok_or_else(|| case_not_found(id))?;
        let loan = self
            .db
            .get_loan(record.loan_id)
            .await?
            .ok_or_else(|| loan_not_found(record.loan_id))?;
        let seat = if principal.role == Role::Lender && principal.party_id == Some(record.lender_id)
        {
            Seat::Lender
        } else if LoanScope::of(principal).is_some_and(|scope| scope.covers(&loan)) {
            Seat::Insider
        } else if record.case.auction().is_some() && principal.party_id.is_some() {
            Seat::Public
        } else {
            return Err(case_not_found(id));
        };
        Ok((record, loan, seat))
    }

    /// A case the principal acts on as the loan's lender.
    async fn lenders_case(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<(DisposalRecord, LoanRecord), AppError> {
        let (record, loan, seat) = self.seat_at_case(principal, id).await?;
        if seat != Seat::Lender {
            return Err(AppError::forbidden(
                "only the loan's lender conducts its disposal",
            ));
        }
        Ok((record, loan))
    }

    async fn save_step(
        &self,
        principal: &Principal,
        record: &DisposalRecord,
        case: &DisposalCase,
        action: &str,
        detail: serde_json::Value,
    ) -> Result<DisposalView, AppError> {
        let event = DisposalEvent {
            action,
            detail: detail.to_string(),
            actor: &principal.username,
        };
        self.db
            .update_disposal_case(record.id, record.version, case, &event, self.clock.now())
            .await
            .map_err(stale)?;
        self.disposal_view(principal, record.id).await
    }

    /// Lists an auction (or relists one unsold).
    pub async fn list_disposal_auction(
        &self,
        principal: &Principal,
        id: i64,
        input: &ListingInput,
    ) -> Result<DisposalView, AppError> {
        let (record, _) = self.lenders_case(principal, id).await?;
        let now = china_time(self.clock.now());
        let opens_at = input.opens_at.unwrap_or(now);
        if input.deadline <= now {
            return Err(invalid(
                "deadline",
                "in_past",
                format!("the deadline must be after now ({now})"),
            ));
        }
        let mut case = record.case.clone();
        case.list(Listing {
            reserve_fen: input.reserve_fen,
            increment_fen: input.increment_fen,
            opens_at,
            deadline: input.deadline,
        })
        .map_err(disposal_error)?;
        let detail = serde_json::json!({"reserve_fen": input.reserve_fen,
            "increment_fen": input.increment_fen, "opens_at": opens_at, "deadline": input.deadline});
        self.save_step(principal, &record, &case, "list", detail)
            .await
    }

    /// A bid, for the principal's party, at the server's time.
    pub async fn bid_in_disposal(
        &self,
        principal: &Principal,
        id: i64,
        input: &BidInput,
    ) -> Result<DisposalView, AppError> {
        let (record, _, _) = self.seat_at_case(principal, id).await?;
        let Some(bidder_id) = principal.party_id else {
            return Err(AppError::forbidden("a bid is made for a party"));
        };
        if bidder_id == record.lender_id || bidder_id == record.pledgor_id {
            return Err(AppError::forbidden(
                "the lender and the pledgor do not bid in their own disposal",
            ));
        }
        let mut case = record.case.clone();
        case.bid(Bid {
            bidder_id,
            amount_fen: input.amount_fen,
            at: china_time(self.clock.now()),
        })
        .map_err(disposal_error)?;
        let detail = serde_json::json!({"amount_fen": input.amount_fen, "bidder_id": bidder_id});
        self.save_step(principal, &record, &case, "bid", detail)
            .await
    }

    /// Closes an auction past its deadline: sold to the best bid, or unsold.
    pub async fn close_disposal_auction(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<DisposalView, AppError> {
        let (record, _) = self.lenders_case(principal, id).await?;
        let mut case = record.case.clone();
        case.close_auction(china_time(self.clock.now()))
            .map_err(disposal_error)?;
        let detail = serde_json::json!({"status": case.status().as_str(),
            "buyer_id": case.buyer_id(), "price_fen": case.price_fen()});
        self.save_step(principal, &record, &case, "close_auction", detail)
            .await
    }

    /// Records the buyer, acquirer or licensee and the price (not an auction).
    pub async fn agree_disposal(
        &self,
        principal: &Principal,
        id: i64,
        input: &AgreementInput,
    ) -> Result<DisposalView, AppError> {
        let (record, _) = self.lenders_case(principal, id).await?;
        if self.db.party_as_holder(input.buyer_id).await?.is_none() {
            return Err(invalid(
                "buyer_id",
                "not_found",
                format!("no party {}", input.buyer_id),
            ));
        }
        if input.buyer_id == record.lender_id || input.buyer_id == record.pledgor_id {
            return Err(invalid(
                "buyer_id",
                "party_to_loan",
                "the buyer is neither the lender nor the pledgor",
            ));
        }
        let mut case = record.case.clone();
        case.agree(input.buyer_id, input.price_fen)
            .map_err(disposal_error)?;
        let detail = serde_json::json!({"buyer_id": input.buyer_id, "price_fen": input.price_fen});
        self.save_step(principal, &record, &case, "agree", detail)
            .await
    }

    /// After an unsold auction: another method.
    pub async fn change_disposal_method(
        &self,
        principal: &Principal,
        id: i64,
        input: &DisposalOpenInput,
    ) -> Result<DisposalView, AppError> {
        let (record, _) = self.lenders_case(principal, id).await?;
        let mut case = record.case.clone();
        case.change_method(input.method).map_err(disposal_error)?;
        let detail = serde_json::json!({"method": input.method.as_str()});
        self.save_step(principal, &record, &case, "change_method", detail)
            .await
    }

    /// Closes an unsold case without proceeds.
    pub async fn close_disposal(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<DisposalView, AppError> {
        let (record, _) = self.lenders_case(principal, id).await?;
        let mut case = record.case.clone();
        case.close_unsold().map_err(disposal_error)?;
        self.save_step(principal, &record, &case, "close", serde_json::json!({}))
            .await
    }

    /// Settles a sold or agreed case (see the module's documentation); answers the case with
    /// its settlement and what became of the pledges.
    pub async fn settle_disposal(
        &self,
        principal: &Principal,
        id: i64,
        input: &SettlementInput,
    ) -> Result<DisposalView, AppError> {
        let (record, loan) = self.lenders_case(principal, id).await?;
        if input.costs_fen < 0 {
            return Err(invalid("costs_fen", "negative", "costs are zero or more"));
        }
        if loan.status != LoanStatus::Active {
            return Err(conflict(
                "loan.not_active",
                format!("loan {} is {}", loan.id, loan.status.as_str()),
            ));
        }
        let today = self.clock.today();
        let claim = self.loan_claim(&loan, today).await?;
        let fund_claim = match self.db.paid_claims_on_loan(loan.id).await?.as_slice() {
            [] => None,
            [claim_id] => self.db.get_claim(*claim_id).await?,
            _ => {
                return Err(conflict(
                    "disposal.several_funds",
                    "more than one fund pre-compensated this loan: settle their recoveries one by one",
                ));
            }
        };
        let fund_paid_fen = fund_claim.as_ref().map_or(0, |claim| claim.paid_fen);
        let mut case = record.case.clone();
        let waterfall = case
            .settle(input.costs_fen, claim, fund_paid_fen)
            .map_err(disposal_error)?;
        let buyer_id = case
            .buyer_id()
            .ok_or_else(|| internal(format!("case {id} is sold without a buyer")))?;
        let accounts = SettlementAccounts {
            case_id: record.id,
            lender_id: loan.lender_id,
            fund_id: fund_claim.as_ref().map_or(0, |claim| claim.fund_id),
            pledgor_id: record.pledgor_id,
            buyer_id,
        };
        let entries = settlement_entries(&waterfall, &accounts, today)
            .map_err(|error| super::ledger::ledger_error(&error))?;
        self.check_entries(&entries).await?;
        let new_holder: Option<NewHolder> = if case.method() == DisposalMethod::Licensing {
            None
        } else {
            self.db.party_as_holder(buyer_id).await?
        };
        let written_off_fen = claim.principal_fen - waterfall.principal_fen;
        let loan_status = if waterfall.unrecovered_fen == 0 {
            LoanStatus::Repaid
        } else {
            LoanStatus::Disposed
        };
        let settlement = SettlementView {
            claim,
            fund_paid_fen,
            fund_id: fund_claim.as_ref().map(|claim| claim.fund_id),
            claim_id: fund_claim.as_ref().map(|claim| claim.id),
            waterfall,
            written_off_fen,
            loan_status: loan_status.as_str().to_string(),
            new_holder: new_holder.as_ref().map(|holder| holder.name.clone()),
        };
        let settlement_json = serde_json::to_string(&settlement).map_err(internal)?;
        let write = SettlementWrite {
            case_id: record.id,
            version: record.version,
            case: &case,
            costs_fen: input.costs_fen,
            settlement: settlement_json,
            date: today,
            entries: &entries,
            claim: fund_claim.as_ref().map(|claim| {
                (
                    claim.id,
                    claim.fund_id,
                    waterfall.principal_fen,
                    waterfall.fund_recovery_fen,
                )
            }),
            loan_id: loan.id,
            fees_fen: waterfall.fees_fen,
            interest_fen: waterfall.interest_fen,
            principal_fen: waterfall.principal_fen,
            written_off_fen,
            loan_status,
            new_holder,
            actor: &principal.username,
        };
        self.db
            .settle_disposal_case(&write, self.clock.now())
            .await
            .map_err(posting_error)?;
        let released = self
            .pledges_after(
                principal,
                &loan,
                true,
                true,
                (CancellationReason::PledgeRealised, "realised by disposal"),
            )
            .await?;
        let mut view = self.disposal_view(principal, record.id).await?;
        view.pledges = Some(released);
        Ok(view)
    }

    /// What the loan owes at `date`: unpaid fees and interest of instalments due by then, and
    /// the whole principal outstanding (due at once on default).
    async fn loan_claim(&self, loan: &LoanRecord, date: NaiveDate) -> Result<LoanClaim, AppError> {
        let mut claim = LoanClaim {
            principal_fen: loan.principal_outstanding_fen,
            ..LoanClaim::default()
        };
        for instalment in self.db.loan_instalments(loan.id).await? {
            if instalment.settled || instalment.due_date > date {
                continue;
            }
            claim.fees_fen += instalment.fees_due_fen - instalment.fees_paid_fen;
            claim.interest_fen += instalment.interest_due_fen - instalment.interest_paid_fen;
        }
        Ok(claim)
    }

    /// Cases the principal may see (of one loan when given), newest first.
    pub async fn list_disposals(
        &self,
        principal: &Principal,
        loan_id: Option<i64>,
    ) -> Result<Vec<DisposalView>, AppError> {
        let Some(scope) = LoanScope::of(principal) else {
            return Err(AppError::new(
                ErrorKind::Forbidden,
                "forbidden",
                "disposal cases are for lenders, borrowers, parks and offices",
            ));
        };
        let lender = match scope {
            LoanScope::Lender(party) => Some(party),
            _ => None,
        };
        let mut views = Vec::new();
        for record in self.db.list_disposal_cases(lender, loan_id).await? {
            if !matches!(scope, LoanScope::All | LoanScope::Lender(_)) {
                let loan = self.db.get_loan(record.loan_id).await?;
                if !loan.is_some_and(|loan| scope.covers(&loan)) {
                    continue;
                }
            }
            views.push(self.disposal_view(principal, record.id).await?);
        }
        Ok(views)
    }
}

//! The waterfall of a disposal's proceeds (清偿顺序) and the entries that pay it out.
//!
//! The proceeds pay, in order: the costs of the disposal (auctioneer, appraisal, taxes and
//! fees); then the loan: fees, interest, principal; the principal recovered is shared between
//! the lender and the fund pro rata to the loss each bore (the fund's recovery share, see
//! [`split_recovery`]); any surplus goes to the pledgor. Interest and fees are the lender's: the
//! fund covers principal only.

use super::fund::split_recovery;
use super::ledger::{Account, AccountKind, JournalEntry, LedgerError, Posting};
use super::money::{Sign, amount, keep};
use crate::field::{FieldError, FieldErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the loan owes at disposal, in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LoanClaim {
    pub fees_fen: i64,
    pub interest_fen: i64,
    /// The principal outstanding (before the fund's pre-compensation, which does not reduce the
    /// debt: the fund shares in its recovery instead).
    pub principal_fen: i64,
}

/// The inputs of the waterfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaterfallInput {
    pub proceeds_fen: i64,
    pub disposal_costs_fen: i64,
    pub claim: LoanClaim,
    /// The fund's pre-compensation on this loan (0 without one).
    pub fund_paid_fen: i64,
}

/// Where the proceeds went, in fen. `costs + fees + interest + principal + surplus = proceeds`,
/// and `lender_principal + fund_recovery = principal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Waterfall {
    pub costs_fen: i64,
    pub fees_fen: i64,
    pub interest_fen: i64,
    /// Principal recovered, shared as the next two.
    pub principal_fen: i64,
    pub lender_principal_fen: i64,
    pub fund_recovery_fen: i64,
    /// To the pledgor.
    pub surplus_fen: i64,
    /// Costs the proceeds did not cover.
    pub unpaid_costs_fen: i64,
    /// Fees, interest and principal the proceeds did not cover.
    pub unrecovered_fen: i64,
}

impl Waterfall {
    /// Fees + interest + the lender's share of the principal.
    pub fn lender_total_fen(&self) -> i64 {
        self.fees_fen + self.interest_fen + self.lender_principal_fen
    }
}

/// Pays the proceeds out in order: costs, fees, interest, principal (shared lender / fund), then
/// the surplus to the pledgor. Errors name the input.
pub fn waterfall(input: &WaterfallInput) -> Result<Waterfall, FieldErrors> {
    let mut errors = FieldErrors::default();
    for (field, value) in [
        ("proceeds_fen", input.proceeds_fen),
        ("disposal_costs_fen", input.disposal_costs_fen),
        ("claim.fees_fen", input.claim.fees_fen),
        ("claim.interest_fen", input.claim.interest_fen),
        ("claim.principal_fen", input.claim.principal_fen),
        ("fund_paid_fen", input.fund_paid_fen),
    ] {
        keep(
            &mut errors,
            amount(field, "an amount", value, Sign::NonNegative),
        );
    }
    if input.fund_paid_fen > input.claim.principal_fen {
        errors.push(FieldError::new(
            "fund_paid_fen",
            "above_loss",
            "the fund cannot have paid more than the principal outstanding",
        ));
    }
    errors.into_result()?;
    let mut left = input.proceeds_fen;
    let mut pay = |owed: i64| {
        let paid = left.min(owed);
        left -= paid;
        paid
    };
    let costs_fen = pay(input.disposal_costs_fen);
    let fees_fen = pay(input.claim.fees_fen);
    let interest_fen = pay(input.claim.interest_fen);
    let principal_fen = pay(input.claim.principal_fen);
    let surplus_fen = left;
    let (lender_principal_fen, fund_recovery_fen) = if input.claim.principal_fen == 0 {
        (0, 0)
    } else {
        let split = split_recovery(
            input.claim.principal_fen,
            input.fund_paid_fen,
            principal_fen,
        )?;
        (split.to_lender_fen, split.to_fund_fen)
    };
    let claim_total = input.claim.fees_fen + input.claim.interest_fen + input.claim.principal_fen;
    Ok(Waterfall {
        costs_fen,
        fees_fen,
        interest_fen,
        principal_fen,
        lender_principal_fen,
        fund_recovery_fen,
        surplus_fen,
        unpaid_costs_fen: input.disposal_costs_fen - costs_fen,
        unrecovered_fen: claim_total - fees_fen - interest_fen - principal_fen,
    })
}

/// The accounts a settlement pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettlementAccounts {
    pub case_id: i64,
    pub lender_id: i64,
    pub fund_id: i64,
    pub pledgor_id: i64,
    pub buyer_id: i64,
}

impl SettlementAccounts {
    pub fn recoveries(&self) -> Account {
        Account::new(AccountKind::Recoveries, self.case_id)
    }
}

/// The two entries of a settlement: the buyer pays the proceeds into the case's recoveries, then
/// the recoveries are paid out along the waterfall (zero lines left out).
pub fn settlement_entries(
    waterfall: &Waterfall,
    accounts: &SettlementAccounts,
    date: NaiveDate,
) -> Result<Vec<JournalEntry>, LedgerError> {
    let proceeds = waterfall.costs_fen
        + waterfall.fees_fen
        + waterfall.interest_fen
        + waterfall.principal_fen
        + waterfall.surplus_fen;
    if proceeds == 0 {
        return Ok(Vec::new());
    }
    let recoveries = accounts.recoveries();
    let receipt = JournalEntry::transfer(
        format!("case-{}/proceeds", accounts.case_id),
        date,
        Account::new(AccountKind::Buyer, accounts.buyer_id),
        recoveries,
        proceeds,
    )?;
    let payees = [
        (
            Account::new(AccountKind::DisposalCosts, accounts.case_id),
            waterfall.costs_fen,
        ),
        (
            Account::new(AccountKind::Lender, accounts.lender_id),
            waterfall.lender_total_fen(),
        ),
        (
            Account::new(AccountKind::Fund, accounts.fund_id),
            waterfall.fund_recovery_fen,
        ),
        (
            Account::new(AccountKind::Pledgor, accounts.pledgor_id),
            waterfall.surplus_fen,
        ),
    ];
    let mut lines = vec![Posting::new(recoveries, -proceeds)];
    lines.extend(
        payees
            .into_iter()
            .filter(|(_, paid)| *paid != 0)
            .map(|(account, paid)| Posting::new(account, paid)),
    );
    let payout = JournalEntry::new(format!("case-{}/settlement", accounts.case_id), date, lines)?;
    Ok(vec![receipt, payout])
}

//! Risk-compensation funds: an office creates one for its region or a park in it, with its
//! rules, and appropriates its budget into it through the ledger.

use super::ledger::posting_error;
use super::{internal, province};
use crate::{App, AppError};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_db::loans::{EntryMeta, FundRecord, JournalRecord, NewFund};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::id::RegionCode;
use ipyun_domain::loan::{
    Account, AccountKind, FundRules, FundScope, MAX_AMOUNT_FEN, appropriation, budget_account,
    fund_account,
};
use ipyun_domain::party::PartyKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The longest fund name, in characters.
const MAX_NAME_CHARS: usize = 100;
/// The most eligible lenders or products a fund lists.
const MAX_ELIGIBLE: usize = 500;

/// A fund as an office creates it: for a region (`region`) or a park (`park_id`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FundInput {
    pub name: String,
    /// A GB/T 2260 code: borrowers in it or any region within it are covered.
    pub region: Option<String>,
    /// Or a park: its enterprises are covered.
    pub park_id: Option<i64>,
    /// The share of a principal loss covered, 1–10,000 basis points.
    pub coverage_bp: i64,
    pub cap_per_loan_fen: i64,
    pub cap_per_year_fen: i64,
    /// Lender party ids whose loans are covered.
    pub eligible_lenders: Vec<i64>,
    /// Financial-product ids covered.
    pub eligible_products: Vec<i64>,
    /// The office keeping the fund: an administrator names it; an office keeps its own.
    pub office_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppropriationInput {
    /// Moved from the budget into the fund, in fen.
    pub amount_fen: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FundScopeView {
    /// `region` or `park`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub park_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountBalance {
    pub account: Account,
    pub balance_fen: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JournalLineView {
    pub account: Account,
    pub amount_fen: i64,
}

/// One entry of the ledger: its lines sum to zero.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JournalView {
    pub id: i64,
    pub reference: String,
    pub date: NaiveDate,
    /// `appropriation`, `payout`, `recovery_receipt`, `recovery_settlement`, `disposal_receipt`,
    /// `disposal_settlement`, `subsidy_appropriation` or `subsidy_payout`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_id: Option<i64>,
    pub actor: String,
    pub lines: Vec<JournalLineView>,
}

/// A fund: its rules, its balance and what moved through it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FundView {
    pub id: i64,
    pub name: String,
    pub office_id: i64,
    pub scope: FundScopeView,
    pub coverage_bp: i64,
    pub cap_per_loan_fen: i64,
    pub cap_per_year_fen: i64,
    pub eligible_lenders: Vec<i64>,
    pub eligible_products: Vec<i64>,
    /// The money in the fund now, in fen: never below zero.
    pub balance_fen: i64,
    pub appropriated_fen: i64,
    pub paid_out_fen: i64,
    /// Recoveries shared back to the fund.
    pub recovered_fen: i64,
    /// Every account this fund's entries touched, with its balance now.
    pub accounts: Vec<AccountBalance>,
    /// The sum of every balance of the whole ledger: always zero.
    pub ledger_total_fen: i64,
    pub journal: Vec<JournalView>,
    pub created_at: DateTime<Utc>,
}

fn ids(json: &str) -> Result<Vec<i64>, AppError> {
    serde_json::from_str(json).map_err(internal)
}

/// The domain's rules of a stored fund.
pub(crate) fn rules_of(fund: &FundRecord) -> Result<FundRules, AppError> {
    let scope = match (fund.scope_kind.as_str(), &fund.region, fund.park_id) {
        ("region", Some(region), _) => FundScope::Region {
            region: RegionCode::parse(region).map_err(|error| internal(error.message))?,
        },
        ("park", _, Some(park_id)) => FundScope::Park { park_id },
        _ => return Err(internal(format!("fund {} has no scope", fund.id))),
    };
    Ok(FundRules {
        fund_id: fund.id,
        scope,
        coverage_bp: fund.coverage_bp,
        cap_per_loan_fen: fund.cap_per_loan_fen,
        cap_per_year_fen: fund.cap_per_year_fen,
        eligible_lenders: ids(&fund.eligible_lenders)?,
        eligible_products: ids(&fund.eligible_products)?,
    })
}

pub(crate) fn fund_not_found(id: i64) -> AppError {
    AppError::not_found("fund.not_found", format!("no fund {id}"))
}

/// Whether the principal is a user of the office keeping the fund.
pub(crate) fn keeps(principal: &Principal, fund: &FundRecord) -> bool {
    matches!(
        principal.role,
        Role::ProvincialOffice | Role::NationalOffice
    ) && principal.party_id == Some(fund.office_id)
}

/// Whether the principal may see the fund: its office, offices above it, eligible lenders.
pub(crate) fn may_see_fund(principal: &Principal, fund: &FundRecord) -> bool {
    match principal.role {
        Role::PlatformAdmin | Role::NationalOffice => true,
        Role::ProvincialOffice => {
            keeps(principal, fund)
                || province(principal).is_some_and(|prefix| {
                    fund.region
                        .as_deref()
                        .is_some_and(|region| region.starts_with(prefix.as_str()))
                })
        }
        Role::Lender => principal.party_id.is_some_and(|party| {
            ids(&fund.eligible_lenders).is_ok_and(|lenders| lenders.contains(&party))
        }),
        _ => false,
    }
}

pub(crate) fn journal_view(record: JournalRecord) -> JournalView {
    JournalView {
        id: record.id,
        reference: record.reference,
        date: record.entry_date,
        kind: record.kind,
        claim_id: record.claim_id,
        actor: record.actor,
        lines: record
            .lines
            .into_iter()
            .map(|line| JournalLineView {
                account: line.account,
                amount_fen: line.amount_fen,
            })
            .collect(),
    }
}

impl App {
    /// An office creates a fund for its region, or for a park within it; the national office for
    /// any; an administrator for the office it names.
    pub async fn create_fund(
        &self,
        principal: &Principal,
        input: &FundInput,
    ) -> Result<FundView, AppError> {
        let office_id = match (principal.role, principal.party_id) {
            (Role::ProvincialOffice | Role::NationalOffice, Some(own)) => {
                if input.office_id.is_some_and(|office| office != own) {
                    return Err(AppError::forbidden(
                        "an office creates funds it keeps itself",
                    ));
                }
                own
            }
            (Role::PlatformAdmin, _) => input.office_id.ok_or_else(|| {
                AppError::validation(FieldErrors(vec![FieldError::required("office_id")]))
            })?,
            _ => {
                return Err(AppError::forbidden(
                    "only IP offices create risk-compensation funds",
                ));
            }
        };
        let mut errors = FieldErrors::default();
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            errors.push(FieldError::new(
                "name",
                "length",
                format!("a fund's name has 1 to {MAX_NAME_CHARS} characters"),
            ));
        }
        let office = self.db.get_party(office_id).await?;
        if !office.is_some_and(|party| party.kind == PartyKind::IpOffice) {
            errors.push(FieldError::new(
                "office_id",
                "not_an_office",
                "the fund's keeper is an IP office",
            ));
        }
        let (scope, covered_region) = self.fund_scope(input, &mut errors).await?;
        for (field, list) in [
            ("eligible_lenders", &input.eligible_lenders),
            ("eligible_products", &input.eligible_products),
        ] {
            if list.len() > MAX_ELIGIBLE {
                errors.push(FieldError::new(
                    field,
                    "too_many",
                    format!("at most {MAX_ELIGIBLE}"),
                ));
            }
            let unique: BTreeSet<_> = list.iter().collect();
            if unique.len() != list.len() {
                errors.push(FieldError::new(field, "duplicate", "an id is listed twice"));
            }
        }
        for (index, lender) in input.eligible_lenders.iter().enumerate() {
            let party = self.db.get_party(*lender).await?;
            if !party.is_some_and(|party| party.kind == PartyKind::Lender) {
                errors.push(FieldError::new(
                    format!("eligible_lenders[{index}]"),
                    "not_a_lender",
                    format!("party {lender} is not a lender"),
                ));
            }
        }
        if let Some(scope) = scope.clone() {
            let rules = FundRules {
                fund_id: 0,
                scope,
                coverage_bp: input.coverage_bp,
                cap_per_loan_fen: input.cap_per_loan_fen,
                cap_per_year_fen: input.cap_per_year_fen,
                eligible_lenders: input.eligible_lenders.clone(),
                eligible_products: input.eligible_products.clone(),
            };
            if let Err(found) = rules.validate() {
                errors.0.extend(found.0);
            }
        }
        errors.into_result().map_err(AppError::validation)?;
        if principal.role == Role::ProvincialOffice {
            let own = province(principal);
            let inside = covered_region.as_deref().is_some_and(|region| {
                own.as_deref()
                    .is_some_and(|prefix| region.starts_with(prefix))
            });
            if !inside {
                return Err(AppError::forbidden(
                    "a provincial office creates funds for its own province",
                ));
            }
        }
        let lenders = serde_json::to_string(&input.eligible_lenders).map_err(internal)?;
        let products = serde_json::to_string(&input.eligible_products).map_err(internal)?;
        let region = match &scope {
            Some(FundScope::Region { region }) => Some(region.as_str().to_string()),
            _ => None,
        };
        let fund = NewFund {
            name,
            office_id,
            scope_kind: if input.park_id.is_some() {
                "park"
            } else {
                "region"
            },
            region: region.as_deref(),
            park_id: input.park_id,
            coverage_bp: input.coverage_bp,
            cap_per_loan_fen: input.cap_per_loan_fen,
            cap_per_year_fen: input.cap_per_year_fen,
            eligible_lenders_json: &lenders,
            eligible_products_json: &products,
            actor: &principal.username,
        };
        let id = self.db.insert_fund(&fund, self.clock.now()).await?;
        self.fund_view(id).await
    }

    /// The fund's scope, and the region it covers (a park's own region).
    async fn fund_scope(
        &self,
        input: &FundInput,
        errors: &mut FieldErrors,
    ) -> Result<(Option<FundScope>, Option<String>), AppError> {
        match (&input.region, input.park_id) {
            (Some(region), None) => match RegionCode::parse(region) {
                Ok(region) => {
                    let text = region.as_str().to_string();
                    Ok((Some(FundScope::Region { region }), Some(text)))
                }
                Err(error) => {
                    errors.push(FieldError::new("region", error.code, error.message));
                    Ok((None, None))
                }
            },
            (None, Some(park_id)) => {
                let park = self
                    .db
                    .get_party(park_id)
                    .await?
                    .filter(|party| party.kind == PartyKind::Park);
                match park {
                    Some(park) => Ok((Some(FundScope::Park { park_id }), park.region)),
                    None => {
                        errors.push(FieldError::new(
                            "park_id",
                            "not_a_park",
                            format!("party {park_id} is not a park"),
                        ));
                        Ok((None, None))
                    }
                }
            }
            _ => {
                errors.push(FieldError::new(
                    "region",
                    "one_scope",
                    "a fund covers either a region or a park: give exactly one",
                ));
                Ok((None, None))
            }
        }
    }

    /// A fund with its balances and journal.
    pub async fn get_fund(&self, principal: &Principal, id: i64) -> Result<FundView, AppError> {
        let fund = self
            .db
            .get_fund(id)
            .await?
            .ok_or_else(|| fund_not_found(id))?;
        if !may_see_fund(principal, &fund) {
            return Err(fund_not_found(id));
        }
        self.fund_view(id).await
    }

    /// The fund's office (or an administrator) moves budget into the fund: a receipt, no approval.
    pub async fn appropriate_to_fund(
        &self,
        principal: &Principal,
        id: i64,
        input: &AppropriationInput,
    ) -> Result<FundView, AppError> {
        let fund = self
            .db
            .get_fund(id)
            .await?
            .ok_or_else(|| fund_not_found(id))?;
        if !(keeps(principal, &fund) || principal.role == Role::PlatformAdmin) {
            return Err(if may_see_fund(principal, &fund) {
                AppError::forbidden("only the fund's office appropriates to it")
            } else {
                fund_not_found(id)
            });
        }
        if input.amount_fen <= 0 || input.amount_fen > MAX_AMOUNT_FEN {
            return Err(AppError::validation(FieldErrors(vec![FieldError::new(
                "amount_fen",
                "out_of_range",
                "an appropriation is above zero and at most 10^15 yuan",
            )])));
        }
        let entry = appropriation(fund.id, input.amount_fen, self.clock.today())
            .map_err(|error| super::ledger::ledger_error(&error))?;
        self.check_entries(std::slice::from_ref(&entry)).await?;
        let meta = EntryMeta {
            kind: "appropriation",
            fund_id: Some(fund.id),
            claim_id: None,
            actor: &principal.username,
        };
        self.db
            .post_ledger_entries(&[entry], &meta, self.clock.now())
            .await
            .map_err(posting_error)?;
        self.fund_view(id).await
    }

    pub(crate) async fn fund_view(&self, id: i64) -> Result<FundView, AppError> {
        let fund = self
            .db
            .get_fund(id)
            .await?
            .ok_or_else(|| fund_not_found(id))?;
        let rules = rules_of(&fund)?;
        let journal = self.db.fund_journal(id).await?;
        let mut accounts: BTreeSet<Account> =
            [budget_account(id), fund_account(id)].into_iter().collect();
        let (mut appropriated_fen, mut paid_out_fen, mut recovered_fen) = (0_i64, 0_i64, 0_i64);
        for entry in &journal {
            for line in &entry.lines {
                accounts.insert(line.account);
                if line.account != fund_account(id) {
                    continue;
                }
                match entry.kind.as_str() {
                    "appropriation" => appropriated_fen += line.amount_fen,
                    "payout" => paid_out_fen -= line.amount_fen,
                    "recovery_settlement" | "disposal_settlement" => {
                        recovered_fen += line.amount_fen
                    }
                    _ => {}
                }
            }
        }
        let accounts: Vec<Account> = accounts.into_iter().collect();
        let balances = self.db.ledger_balances(&accounts).await?;
        let balance_fen = balances
            .iter()
            .find(|(account, _)| account.kind == AccountKind::Fund && account.id == id)
            .map_or(0, |(_, balance)| *balance);
        let (kind, region, park_id) = match &rules.scope {
            FundScope::Region { region } => ("region", Some(region.as_str().to_string()), None),
            FundScope::Park { park_id } => ("park", None, Some(*park_id)),
        };
        Ok(FundView {
            id: fund.id,
            name: fund.name,
            office_id: fund.office_id,
            scope: FundScopeView {
                kind: kind.into(),
                region,
                park_id,
            },
            coverage_bp: rules.coverage_bp,
            cap_per_loan_fen: rules.cap_per_loan_fen,
            cap_per_year_fen: rules.cap_per_year_fen,
            eligible_lenders: rules.eligible_lenders,
            eligible_products: rules.eligible_products,
            balance_fen,
            appropriated_fen,
            paid_out_fen,
            recovered_fen,
            accounts: balances
                .into_iter()
                .map(|(account, balance_fen)| AccountBalance {
                    account,
                    balance_fen,
                })
                .collect(),
            ledger_total_fen: self.db.ledger_total_fen().await?,
            journal: journal.into_iter().map(journal_view).collect(),
            created_at: fund.created_at,
        })
    }
}

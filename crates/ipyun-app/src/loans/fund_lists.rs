//! Lists of funds and claims: each principal sees the funds it may (its office's, its
//! province's, those it is eligible for) and the claims it may (a lender its own, an office
//! those on the funds it keeps, the national office and administrators all).

use super::claims::ClaimView;
use super::funds::{FundScopeView, keeps, may_see_fund, rules_of};
use crate::{App, AppError};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::loan::{FundScope, fund_account};
use serde::Serialize;

/// A fund in a list: its rules and balance.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FundSummary {
    pub id: i64,
    pub name: String,
    pub office_id: i64,
    pub scope: FundScopeView,
    pub coverage_bp: i64,
    pub cap_per_loan_fen: i64,
    pub cap_per_year_fen: i64,
    pub balance_fen: i64,
}

impl App {
    /// The funds the principal may see, oldest first.
    pub async fn list_funds(&self, principal: &Principal) -> Result<Vec<FundSummary>, AppError> {
        let mut summaries = Vec::new();
        for fund in self.db.list_funds().await? {
            if !may_see_fund(principal, &fund) {
                continue;
            }
            let rules = rules_of(&fund)?;
            let balance_fen = self
                .db
                .ledger_balances(&[fund_account(fund.id)])
                .await?
                .first()
                .map_or(0, |(_, balance)| *balance);
            let (kind, region, park_id) = match &rules.scope {
                FundScope::Region { region } => ("region", Some(region.as_str().to_string()), None),
                FundScope::Park { park_id } => ("park", None, Some(*park_id)),
            };
            summaries.push(FundSummary {
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
                balance_fen,
            });
        }
        Ok(summaries)
    }

    /// The claims the principal may see, newest first.
    pub async fn list_fund_claims(
        &self,
        principal: &Principal,
    ) -> Result<Vec<ClaimView>, AppError> {
        let records = match (principal.role, principal.party_id) {
            (Role::PlatformAdmin | Role::NationalOffice, _) => {
                self.db.list_claims(None, None).await?
            }
            (Role::Lender, Some(party)) => self.db.list_claims(Some(party), None).await?,
            (Role::ProvincialOffice, Some(_)) => {
                let kept: Vec<i64> = self
                    .db
                    .list_funds()
                    .await?
                    .iter()
                    .filter(|fund| keeps(principal, fund))
                    .map(|fund| fund.id)
                    .collect();
                self.db.list_claims(None, Some(&kept)).await?
            }
            _ => {
                return Err(AppError::forbidden(
                    "claims are for lenders and the offices keeping funds",
                ));
            }
        };
        let mut views = Vec::with_capacity(records.len());
        for record in records {
            views.push(self.claim_view(record.id).await?);
        }
        Ok(views)
    }
}

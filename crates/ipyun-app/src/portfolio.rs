//! Portfolio valuation (issue 5, item 5): a pledge bundle's or an enterprise's patents valued at
//! once by the automated model, with the bundle's combined range.

use crate::avm::AutomatedValuation;
use crate::{App, AppError, ErrorKind};
use ipyun_domain::account::Principal;
use ipyun_domain::avm::Purpose;
use ipyun_domain::page::PageRequest;
use serde::Serialize;

/// Most rights valued in one portfolio.
pub const MAX_PORTFOLIO: usize = 200;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PortfolioValuation {
    pub purpose: Purpose,
    /// The rights valued (patents only; others are listed in `skipped`).
    pub items: Vec<AutomatedValuation>,
    pub skipped: Vec<String>,
    /// Sums of the items' ranges.
    pub low_fen: i64,
    pub mid_fen: i64,
    pub high_fen: i64,
    /// The mid-value-weighted mean confidence, basis points.
    pub confidence_bp: u32,
}

impl App {
    /// Values each patent of `numbers` and combines the ranges.
    pub async fn value_portfolio(
        &self,
        principal: &Principal,
        numbers: &[String],
        purpose: Purpose,
    ) -> Result<PortfolioValuation, AppError> {
        if numbers.is_empty() || numbers.len() > MAX_PORTFOLIO {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "portfolio.size",
                format!("a portfolio holds 1 to {MAX_PORTFOLIO} rights"),
            ));
        }
        let mut items = Vec::with_capacity(numbers.len());
        let mut skipped = Vec::new();
        for number in numbers {
            match self
                .value_right_automatically(principal, number, purpose)
                .await
            {
                Ok(valuation) => items.push(valuation),
                Err(error) if error.code == "avm.not_a_patent" => skipped.push(number.clone()),
                Err(error) => return Err(error),
            }
        }
        let sum = |pick: fn(&AutomatedValuation) -> i64| {
            items.iter().map(pick).fold(0_i64, i64::saturating_add)
        };
        let (low_fen, mid_fen, high_fen) = (
            sum(|item| item.low_fen),
            sum(|item| item.mid_fen),
            sum(|item| item.high_fen),
        );
        let weighted: i128 = items
            .iter()
            .map(|item| i128::from(item.mid_fen) * i128::from(item.confidence_bp))
            .sum();
        let confidence_bp = if mid_fen > 0 {
            u32::try_from(weighted / i128::from(mid_fen)).unwrap_or(0)
        } else {
            items
                .iter()
                .map(|item| item.confidence_bp)
                .min()
                .unwrap_or(0)
        };
        Ok(PortfolioValuation {
            purpose,
            items,
            skipped,
            low_fen,
            mid_fen,
            high_fen,
            confidence_bp,
        })
    }

    /// A registered pledge's bundle, valued (its parties and offices).
    pub async fn value_pledge_bundle(
        &self,
        principal: &Principal,
        registration_no: &str,
        purpose: Purpose,
    ) -> Result<PortfolioValuation, AppError> {
        let filter = crate::pledge::PledgeFilter {
            registration_no: Some(registration_no.trim().to_uppercase()),
            ..Default::default()
        };
        let page = self
            .list_pledges(Some(principal), &filter, PageRequest::new(Some(1), Some(1)))
            .await?;
        let pledge = page
            .items
            .into_iter()
            .next()
            .filter(|pledge| pledge.secured_amount_fen.is_some())
            .ok_or_else(|| {
                AppError::not_found(
                    "pledge.not_found",
                    format!("no pledge {registration_no} of yours"),
                )
            })?;
        let numbers: Vec<String> = pledge
            .rights
            .into_iter()
            .map(|right| right.number)
            .collect();
        self.value_portfolio(principal, &numbers, purpose).await
    }
}

//! Income approach, relief from royalty (许可费节省法): the right is worth the royalties its owner
//! is spared by not licensing it, after tax, discounted.
//!
//! For each year t: royalty = revenue × royalty rate; tax = royalty × tax rate; after-tax royalty =
//! royalty − tax; present value = after-tax royalty × discount factor (see `discount`). The value
//! is the sum of the present values, plus any terminal value, times the TAB factor when asked.

use super::Assumption;
use super::discount::IncomeTotals;
use super::number::{MAX_YEARS, Pct, PctRange, amount_yuan, keep, list_len};
use super::terms::{Discounting, DiscountingInput};
use crate::field::FieldErrors;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A relief-from-royalty valuation as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReliefFromRoyaltyInput {
    /// Revenue forecast of the products using the right, in yuan, year 1 first (1–50 years).
    pub revenues: Vec<Decimal>,
    /// Royalty rate in percent of revenue, 0 < p ≤ 100.
    pub royalty_rate_pct: Decimal,
    #[serde(flatten)]
    pub discounting: DiscountingInput,
}

/// One year's working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoyaltyYear {
    /// 1 for the first year after the valuation date.
    pub year: u32,
    /// True for a year past the forecast, carried on from the last forecast year.
    pub extrapolated: bool,
    pub revenue_yuan: Decimal,
    pub royalty_yuan: Decimal,
    pub tax_yuan: Decimal,
    pub after_tax_royalty_yuan: Decimal,
    pub discount_factor: Decimal,
    pub present_value_yuan: Decimal,
}

/// The result with its working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReliefFromRoyalty {
    pub royalty_rate_pct: Decimal,
    pub years: Vec<RoyaltyYear>,
    #[serde(flatten)]
    pub totals: IncomeTotals,
    pub assumptions: Vec<Assumption>,
}

impl ReliefFromRoyaltyInput {
    /// Validates the inputs (every problem at once, each naming its input) and values the right.
    pub fn value(&self) -> Result<ReliefFromRoyalty, FieldErrors> {
        let mut errors = FieldErrors::default();
        let revenues = revenues(&self.revenues, &mut errors);
        let royalty = keep(
            &mut errors,
            Pct::parse(
                "royalty_rate_pct",
                "the royalty rate",
                self.royalty_rate_pct,
                PctRange::Positive,
            ),
        );
        let discounting = self.discounting.parse(self.revenues.len(), &mut errors);
        if let (Some(revenues), Some(discounting)) = (&revenues, &discounting) {
            discounting.check_carried_on(revenues, "the revenue", &mut errors);
        }
        match (revenues, royalty, discounting, errors.is_empty()) {
            (Some(revenues), Some(royalty), Some(discounting), true) => {
                Ok(compute(&revenues, royalty, &discounting))
            }
            _ => Err(errors),
        }
    }
}

/// A revenue forecast: 1–50 years, each 0 ≤ revenue ≤ the bound.
pub(crate) fn revenues(values: &[Decimal], errors: &mut FieldErrors) -> Option<Vec<Decimal>> {
    keep(
        errors,
        list_len(
            "revenues",
            "revenue years",
            values.len(),
            MAX_YEARS as usize,
        ),
    )?;
    let before = errors.0.len();
    for (index, value) in values.iter().enumerate() {
        let field = format!("revenues[{index}]");
        let what = format!("the revenue of year {}", index + 1);
        keep(errors, amount_yuan(&field, &what, *value));
    }
    (errors.0.len() == before).then(|| values.to_vec())
}

/// The forecast carried on to the valued years: year k past the forecast is the last forecast
/// year's figure × (1 + g)^k.
pub(crate) fn carried_on(forecast: &[Decimal], discounting: &Discounting) -> Vec<(Decimal, bool)> {
    let last = forecast.last().copied().unwrap_or_default();
    let years = discounting.years(forecast.len());
    (0..years)
        .map(|index| match forecast.get(index) {
            Some(value) => (*value, false),
            None => {
                let after = u32::try_from(index + 1 - forecast.len()).unwrap_or(MAX_YEARS);
                (last * discounting.growth_since_forecast(after), true)
            }
        })
        .collect()
}

fn compute(revenues: &[Decimal], royalty: Pct, discounting: &Discounting) -> ReliefFromRoyalty {
    let tax = discounting.tax.fraction();
    let years: Vec<RoyaltyYear> = carried_on(revenues, discounting)
        .into_iter()
        .zip(1u32..)
        .map(|((revenue_yuan, extrapolated), year)| {
            let royalty_yuan = revenue_yuan * royalty.fraction();
            let tax_yuan = royalty_yuan * tax;
            let after_tax_royalty_yuan = royalty_yuan - tax_yuan;
            let discount_factor = discounting.factor(year);
            RoyaltyYear {
                year,
                extrapolated,
                revenue_yuan,
                royalty_yuan,
                tax_yuan,
                after_tax_royalty_yuan,
                discount_factor,
                present_value_yuan: after_tax_royalty_yuan * discount_factor,
            }
        })
        .collect();
    let cash_flows: Vec<Decimal> = years
        .iter()
        .map(|line| line.after_tax_royalty_yuan)
        .collect();
    let present_values: Vec<Decimal> = years.iter().map(|line| line.present_value_yuan).collect();
    let mut assumptions = vec![Assumption::new(
        format!(
            "许可费率为收入的 {}%，即若许可他人使用本权利所能收取的费率",
            royalty.pct()
        ),
        format!(
            "royalty rate {} % of revenue: what a licensee would pay for the right",
            royalty.pct()
        ),
    )];
    assumptions.extend(discounting.assumptions(revenues.len()));
    ReliefFromRoyalty {
        royalty_rate_pct: royalty.pct(),
        totals: discounting.totals(&cash_flows, &present_values),
        years,
        assumptions,
    }
}

//! Income approach, multi-period excess earnings (多期超额收益法): the right is worth what the
//! business earns after tax beyond a fair return on every other asset it uses.
//!
//! For each year t: operating earnings (pre-tax) = revenue × EBITDA margin, or the cash flow given;
//! tax = earnings × tax rate (a loss year's tax is negative: a saving); contributory asset charges
//! = revenue × each asset's after-tax charge rate (working capital, fixed assets, workforce…);
//! excess earnings = earnings − tax − charges; present value = excess earnings × discount factor.
//! The value is their sum, plus any terminal value, times the TAB factor when asked.

use super::Assumption;
use super::discount::IncomeTotals;
use super::number::{MAX_LIST, Pct, PctRange, keep, list_len, name, signed_amount_yuan};
use super::royalty::{carried_on, revenues};
use super::terms::{Discounting, DiscountingInput};
use crate::field::{FieldError, FieldErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A multi-period excess earnings valuation as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExcessEarningsInput {
    /// Revenue forecast of the business using the right, in yuan, year 1 first (1–50 years).
    pub revenues: Vec<Decimal>,
    /// Pre-tax operating margin (EBITDA) in percent of revenue, the same each year
    /// (−100 < m ≤ 100). Give this or `cash_flows`.
    #[serde(default)]
    pub ebitda_margin_pct: Option<Decimal>,
    /// Pre-tax operating cash flows of the business, in yuan, one per revenue year (may be
    /// negative). Give this or `ebitda_margin_pct`.
    #[serde(default)]
    pub cash_flows: Option<Vec<Decimal>>,
    /// After-tax charges for the contributory assets, each in percent of revenue (1–50 assets,
    /// together at most 100 %).
    pub contributory_asset_charges: Vec<ContributoryAssetChargeInput>,
    #[serde(flatten)]
    pub discounting: DiscountingInput,
}

/// One contributory asset's charge (贡献资产回报).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContributoryAssetChargeInput {
    /// The asset class, e.g. `working_capital`, `fixed_assets`, `workforce`.
    pub asset: String,
    /// Its after-tax charge in percent of revenue, 0 ≤ c ≤ 100.
    pub rate_pct: Decimal,
}

/// One asset's charge in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContributoryCharge {
    pub asset: String,
    pub rate_pct: Decimal,
    pub amount_yuan: Decimal,
}

/// One year's working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExcessEarningsYear {
    pub year: u32,
    /// True for a year past the forecast, carried on from the last forecast year.
    pub extrapolated: bool,
    pub revenue_yuan: Decimal,
    /// Pre-tax: revenue × margin, or the cash flow given.
    pub operating_earnings_yuan: Decimal,
    pub tax_yuan: Decimal,
    pub after_tax_earnings_yuan: Decimal,
    pub contributory_charges: Vec<ContributoryCharge>,
    pub contributory_charges_yuan: Decimal,
    pub excess_earnings_yuan: Decimal,
    pub discount_factor: Decimal,
    pub present_value_yuan: Decimal,
}

/// The result with its working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExcessEarnings {
    /// The margin applied, when earnings came from a margin.
    pub ebitda_margin_pct: Option<Decimal>,
    pub years: Vec<ExcessEarningsYear>,
    #[serde(flatten)]
    pub totals: IncomeTotals,
    pub assumptions: Vec<Assumption>,
}

/// Where the pre-tax earnings come from.
enum Earnings {
    Margin(Pct),
    CashFlows(Vec<Decimal>),
}

impl ExcessEarningsInput {
    /// Validates the inputs (every problem at once, each naming its input) and values the right.
    pub fn value(&self) -> Result<ExcessEarnings, FieldErrors> {
        let mut errors = FieldErrors::default();
        let revenues = revenues(&self.revenues, &mut errors);
        let earnings = self.earnings(&mut errors);
        let charges = charges(&self.contributory_asset_charges, &mut errors);
        let discounting = self.discounting.parse(self.revenues.len(), &mut errors);
        if let (Some(revenues), Some(discounting)) = (&revenues, &discounting) {
            discounting.check_carried_on(revenues, "the revenue", &mut errors);
            if let Some(Earnings::CashFlows(cash_flows)) = &earnings {
                discounting.check_carried_on(cash_flows, "the cash flow", &mut errors);
            }
        }
        match (revenues, earnings, charges, discounting, errors.is_empty()) {
            (Some(revenues), Some(earnings), Some(charges), Some(discounting), true) => {
                Ok(compute(&revenues, &earnings, &charges, &discounting))
            }
            _ => Err(errors),
        }
    }

    fn earnings(&self, errors: &mut FieldErrors) -> Option<Earnings> {
        match (self.ebitda_margin_pct, &self.cash_flows) {
            (Some(_), Some(_)) => {
                errors.push(FieldError::new(
                    "ebitda_margin_pct",
                    "conflict",
                    "give ebitda_margin_pct or cash_flows, not both",
                ));
                None
            }
            (None, None) => {
                errors.push(FieldError::new(
                    "ebitda_margin_pct",
                    "required",
                    "give the EBITDA margin (ebitda_margin_pct) or the cash flows (cash_flows)",
                ));
                None
            }
            (Some(margin), None) => keep(
                errors,
                Pct::parse(
                    "ebitda_margin_pct",
                    "the EBITDA margin",
                    margin,
                    PctRange::AboveMinus100,
                ),
            )
            .map(Earnings::Margin),
            (None, Some(cash_flows)) => {
                if cash_flows.len() != self.revenues.len() {
                    errors.push(FieldError::new(
                        "cash_flows",
                        "length_mismatch",
                        format!(
                            "give one cash flow per revenue year: {} revenues, {} cash flows",
                            self.revenues.len(),
                            cash_flows.len()
                        ),
                    ));
                    return None;
                }
                let before = errors.0.len();
                for (index, value) in cash_flows.iter().enumerate() {
                    let field = format!("cash_flows[{index}]");
                    let what = format!("the cash flow of year {}", index + 1);
                    keep(errors, signed_amount_yuan(&field, &what, *value));
                }
                (errors.0.len() == before).then(|| Earnings::CashFlows(cash_flows.clone()))
            }
        }
    }
}

fn charges(
    inputs: &[ContributoryAssetChargeInput],
    errors: &mut FieldErrors,
) -> Option<Vec<(String, Pct)>> {
    keep(
        errors,
        list_len(
            "contributory_asset_charges",
            "contributory asset charges (working capital, fixed assets, workforce…)",
            inputs.len(),
            MAX_LIST,
        ),
    )?;
    let before = errors.0.len();
    let mut charges = Vec::with_capacity(inputs.len());
    for (index, input) in inputs.iter().enumerate() {
        let field = format!("contributory_asset_charges[{index}]");
        let asset = keep(errors, name(&format!("{field}.asset"), &input.asset));
        let rate = keep(
            errors,
            Pct::parse(
                &format!("{field}.rate_pct"),
                "a contributory asset charge",
                input.rate_pct,
                PctRange::NonNegative,
            ),
        );
        if let (Some(asset), Some(rate)) = (asset, rate) {
            charges.push((asset, rate));
        }
    }
    if errors.0.len() != before {
        return None;
    }
    let total: Decimal = charges.iter().map(|(_, rate)| rate.pct()).sum();
    if total > Decimal::ONE_HUNDRED {
        errors.push(FieldError::new(
            "contributory_asset_charges",
            "above_maximum",
            format!("the charges together must be at most 100 % of revenue, got {total} %"),
        ));
        return None;
    }
    Some(charges)
}

fn compute(
    revenues: &[Decimal],
    earnings: &Earnings,
    charges: &[(String, Pct)],
    discounting: &Discounting,
) -> ExcessEarnings {
    let tax = discounting.tax.fraction();
    let revenue_years = carried_on(revenues, discounting);
    let earnings_years: Vec<Decimal> = match earnings {
        Earnings::Margin(margin) => revenue_years
            .iter()
            .map(|(revenue, _)| *revenue * margin.fraction())
            .collect(),
        Earnings::CashFlows(cash_flows) => carried_on(cash_flows, discounting)
            .into_iter()
            .map(|(cash_flow, _)| cash_flow)
            .collect(),
    };
    let years: Vec<ExcessEarningsYear> = revenue_years
        .into_iter()
        .zip(earnings_years)
        .zip(1u32..)
        .map(
            |(((revenue_yuan, extrapolated), operating_earnings_yuan), year)| {
                let tax_yuan = operating_earnings_yuan * tax;
                let after_tax_earnings_yuan = operating_earnings_yuan - tax_yuan;
                let contributory_charges: Vec<ContributoryCharge> = charges
                    .iter()
                    .map(|(asset, rate)| ContributoryCharge {
                        asset: asset.clone(),
                        rate_pct: rate.pct(),
                        amount_yuan: revenue_yuan * rate.fraction(),
                    })
                    .collect();
                let contributory_charges_yuan = contributory_charges
                    .iter()
                    .map(|charge| charge.amount_yuan)
                    .sum();
                let excess_earnings_yuan = after_tax_earnings_yuan - contributory_charges_yuan;
                let discount_factor = discounting.factor(year);
                ExcessEarningsYear {
                    year,
                    extrapolated,
                    revenue_yuan,
                    operating_earnings_yuan,
                    tax_yuan,
                    after_tax_earnings_yuan,
                    contributory_charges,
                    contributory_charges_yuan,
                    excess_earnings_yuan,
                    discount_factor,
                    present_value_yuan: excess_earnings_yuan * discount_factor,
                }
            },
        )
        .collect();
    let cash_flows: Vec<Decimal> = years.iter().map(|line| line.excess_earnings_yuan).collect();
    let present_values: Vec<Decimal> = years.iter().map(|line| line.present_value_yuan).collect();
    let mut assumptions = vec![match earnings {
        Earnings::Margin(margin) => Assumption::new(
            format!("税前经营收益（EBITDA）为收入的 {}%", margin.pct()),
            format!(
                "pre-tax operating earnings (EBITDA) of {} % of revenue",
                margin.pct()
            ),
        ),
        Earnings::CashFlows(_) => Assumption::new(
            "税前经营现金流按逐年预测",
            "pre-tax operating cash flows as forecast year by year",
        ),
    }];
    let listed: Vec<String> = charges
        .iter()
        .map(|(asset, rate)| format!("{asset} {}%", rate.pct()))
        .collect();
    assumptions.push(Assumption::new(
        format!("贡献资产回报（税后，占收入比例）：{}", listed.join("、")),
        format!(
            "contributory asset charges (after tax, of revenue): {}",
            listed.join(", ")
        ),
    ));
    assumptions.extend(discounting.assumptions(revenues.len()));
    ExcessEarnings {
        ebitda_margin_pct: match earnings {
            Earnings::Margin(margin) => Some(margin.pct()),
            Earnings::CashFlows(_) => None,
        },
        totals: discounting.totals(&cash_flows, &present_values),
        years,
        assumptions,
    }
}

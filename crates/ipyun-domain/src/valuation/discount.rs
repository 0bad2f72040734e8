//! Discounting for the income approach, shared by relief-from-royalty and excess earnings: the
//! discount convention, the horizon (the forecast, a longer remaining economic life, or a
//! terminal value), and the tax-amortisation benefit.
//!
//! - End of year (default): year t's cash flow is discounted by 1 ÷ (1 + r)^t.
//! - Mid-year: by 1 ÷ (1 + r)^(t − ½) = 1 ÷ ((1 + r)^(t − 1) × √(1 + r)).
//! - Terminal value (Gordon growth) after the last year n: CF(n) × (1 + g) ÷ (r − g), discounted
//!   with year n's factor under either convention (mid-year flows from n + ½ on are worth
//!   CF(n+1) ÷ (r − g) at n − ½). Requires r > g.
//! - Tax-amortisation benefit (TAB) over N years: factor 1 ÷ (1 − t × AF(N) ÷ N), where AF(N) is
//!   the sum of the first N discount factors under the chosen convention; the TAB amount is the
//!   value before TAB × (factor − 1).

use super::number::{MAX_AMOUNT_YUAN, MAX_YEARS, compound, sqrt};
use super::terms::{Discounting, Horizon};
use crate::field::{FieldError, FieldErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// When in each year the cash flow arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiscountConvention {
    /// At the end of each year (年末折现).
    #[default]
    EndOfYear,
    /// Spread evenly over each year: discounted from its middle (年中折现).
    MidYear,
}

/// The discount factor of year `year` (1-based) at `rate_fraction` (0.12 for 12 %).
pub fn discount_factor(
    rate_fraction: Decimal,
    year: u32,
    convention: DiscountConvention,
) -> Decimal {
    match convention {
        DiscountConvention::EndOfYear => Decimal::ONE / compound(rate_fraction, year),
        DiscountConvention::MidYear => {
            let half_year = sqrt(Decimal::ONE + rate_fraction);
            Decimal::ONE / (compound(rate_fraction, year.saturating_sub(1)) * half_year)
        }
    }
}

/// AF(N): the sum of the discount factors of years 1..=N.
pub fn annuity_factor(
    rate_fraction: Decimal,
    years: u32,
    convention: DiscountConvention,
) -> Decimal {
    (1..=years)
        .map(|year| discount_factor(rate_fraction, year, convention))
        .sum()
}

/// The tax-amortisation benefit factor: 1 ÷ (1 − tax × AF(N) ÷ N).
pub fn tab_factor(
    tax_fraction: Decimal,
    rate_fraction: Decimal,
    years: u32,
    convention: DiscountConvention,
) -> Decimal {
    let annuity = annuity_factor(rate_fraction, years, convention);
    Decimal::ONE / (Decimal::ONE - tax_fraction * annuity / Decimal::from(years))
}

/// The value of the years after the forecast as a growing perpetuity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TerminalValue {
    pub growth_rate_pct: Decimal,
    /// The last forecast year n, whose cash flow grows on.
    pub last_year: u32,
    /// CF(n) × (1 + g).
    pub next_cash_flow_yuan: Decimal,
    /// CF(n+1) ÷ (r − g): the value at year n.
    pub value_at_last_year_yuan: Decimal,
    /// Year n's discount factor.
    pub discount_factor: Decimal,
    pub present_value_yuan: Decimal,
}

/// The tax-amortisation benefit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TaxAmortisationBenefit {
    /// The amortisation period N.
    pub years: u32,
    /// AF(N).
    pub annuity_factor: Decimal,
    /// 1 ÷ (1 − t × AF(N) ÷ N).
    pub factor: Decimal,
    /// Value before TAB × (factor − 1).
    pub amount_yuan: Decimal,
}

/// The totals of an income-approach valuation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IncomeTotals {
    pub discount_rate_pct: Decimal,
    pub tax_rate_pct: Decimal,
    pub convention: DiscountConvention,
    /// Σ of the years' present values.
    pub present_value_sum_yuan: Decimal,
    pub terminal: Option<TerminalValue>,
    /// Present values plus the terminal value's.
    pub value_before_tab_yuan: Decimal,
    pub tab: Option<TaxAmortisationBenefit>,
    /// The result, full precision; round with `round_yuan` to show it.
    pub value_yuan: Decimal,
}

impl Discounting {
    /// The number of years to value: the forecast, or the remaining life beyond it.
    pub(crate) fn years(&self, forecast_years: usize) -> usize {
        match self.horizon {
            Horizon::Life { years, .. } => years as usize,
            Horizon::Forecast | Horizon::Terminal { .. } => forecast_years,
        }
    }

    /// (1 + g)^k for the k-th year after the forecast (1 when there is no growth).
    pub(crate) fn growth_since_forecast(&self, years_after: u32) -> Decimal {
        match self.horizon {
            Horizon::Life { growth, .. } | Horizon::Terminal { growth } => {
                compound(growth.fraction(), years_after)
            }
            Horizon::Forecast => Decimal::ONE,
        }
    }

    /// Checks that a series carried on past the forecast stays within the amount bound: records
    /// an error on `growth_rate_pct` naming `what` when it would not.
    pub(crate) fn check_carried_on(
        &self,
        forecast: &[Decimal],
        what: &str,
        errors: &mut FieldErrors,
    ) -> bool {
        let Horizon::Life { years, growth } = self.horizon else {
            return true;
        };
        let forecast_years = u32::try_from(forecast.len()).unwrap_or(MAX_YEARS);
        let last = forecast.last().copied().unwrap_or_default().abs();
        let growth_power = compound(growth.fraction(), years.saturating_sub(forecast_years));
        let bound = Decimal::from(MAX_AMOUNT_YUAN);
        if last
            .checked_mul(growth_power)
            .is_some_and(|grown| grown <= bound)
        {
            return true;
        }
        errors.push(FieldError::new(
            "growth_rate_pct",
            "above_maximum",
            format!(
                "at {} % a year {what} would pass {MAX_AMOUNT_YUAN} yuan by year {years}",
                growth.pct()
            ),
        ));
        false
    }

    pub(crate) fn factor(&self, year: u32) -> Decimal {
        discount_factor(self.discount.fraction(), year, self.convention)
    }

    /// Totals over the years' cash flows and their present values (in year order).
    pub(crate) fn totals(
        &self,
        cash_flows: &[Decimal],
        present_values: &[Decimal],
    ) -> IncomeTotals {
        let present_value_sum_yuan: Decimal = present_values.iter().copied().sum();
        let terminal = match (self.horizon, cash_flows.last()) {
            (Horizon::Terminal { growth }, Some(&last_cash_flow)) => {
                let last_year = u32::try_from(cash_flows.len()).unwrap_or(MAX_YEARS);
                let next_cash_flow_yuan = last_cash_flow * (Decimal::ONE + growth.fraction());
                let value_at_last_year_yuan =
                    next_cash_flow_yuan / (self.discount.fraction() - growth.fraction());
                let discount_factor = self.factor(last_year);
                Some(TerminalValue {
                    growth_rate_pct: growth.pct(),
                    last_year,
                    next_cash_flow_yuan,
                    value_at_last_year_yuan,
                    discount_factor,
                    present_value_yuan: value_at_last_year_yuan * discount_factor,
                })
            }
            _ => None,
        };
        let value_before_tab_yuan = present_value_sum_yuan
            + terminal
                .as_ref()
                .map_or(Decimal::ZERO, |terminal| terminal.present_value_yuan);
        let tab = self.tab_years.map(|years| {
            let rate = self.discount.fraction();
            let annuity_factor = annuity_factor(rate, years, self.convention);
            let factor = tab_factor(self.tax.fraction(), rate, years, self.convention);
            TaxAmortisationBenefit {
                years,
                annuity_factor,
                factor,
                amount_yuan: value_before_tab_yuan * (factor - Decimal::ONE),
            }
        });
        let value_yuan =
            value_before_tab_yuan + tab.as_ref().map_or(Decimal::ZERO, |tab| tab.amount_yuan);
        IncomeTotals {
            discount_rate_pct: self.discount.pct(),
            tax_rate_pct: self.tax.pct(),
            convention: self.convention,
            present_value_sum_yuan,
            terminal,
            value_before_tab_yuan,
            tab,
            value_yuan,
        }
    }
}

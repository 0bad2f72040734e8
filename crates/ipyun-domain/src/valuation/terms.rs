//! The discounting terms of an income-approach valuation as submitted (`DiscountingInput`) and
//! validated (`Discounting`): rates, convention, TAB period and horizon, with the assumptions
//! they amount to in words.

use super::Assumption;
use super::discount::DiscountConvention;
use super::number::{MAX_YEARS, Pct, PctRange, keep};
use crate::field::{FieldError, FieldErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The discounting terms of an income-approach valuation, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DiscountingInput {
    /// Discount rate in percent a year, 0 < r ≤ 100.
    pub discount_rate_pct: Decimal,
    /// Income tax rate in percent, 0 ≤ t ≤ 100 (China's enterprise income tax: 25; high-tech 15).
    pub tax_rate_pct: Decimal,
    #[serde(default)]
    pub convention: DiscountConvention,
    /// Amortisation period N for the tax-amortisation benefit; none: no TAB.
    #[serde(default)]
    pub tab_years: Option<u32>,
    /// Remaining economic life in years when it runs past the forecast: the last forecast year
    /// is carried on, grown at `growth_rate_pct`, until it ends. At least the forecast's length.
    #[serde(default)]
    pub remaining_life_years: Option<u32>,
    /// Growth a year in percent after the forecast (−100 < g ≤ 100; default 0).
    #[serde(default)]
    pub growth_rate_pct: Option<Decimal>,
    /// Add a terminal value (perpetual growth) after the last forecast year.
    #[serde(default)]
    pub terminal: bool,
}

/// How far the income runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Horizon {
    /// The forecast years only.
    Forecast,
    /// Beyond the forecast to the end of the remaining economic life, growing.
    Life { years: u32, growth: Pct },
    /// The forecast, then a perpetuity growing at `growth`.
    Terminal { growth: Pct },
}

/// Validated discounting terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Discounting {
    pub discount: Pct,
    pub tax: Pct,
    pub convention: DiscountConvention,
    pub tab_years: Option<u32>,
    pub horizon: Horizon,
}

impl DiscountingInput {
    /// Validates the terms for a forecast of `forecast_years`, recording every problem in `errors`.
    pub(crate) fn parse(
        &self,
        forecast_years: usize,
        errors: &mut FieldErrors,
    ) -> Option<Discounting> {
        let discount = keep(
            errors,
            Pct::parse(
                "discount_rate_pct",
                "the discount rate",
                self.discount_rate_pct,
                PctRange::Positive,
            ),
        );
        let tax = keep(
            errors,
            Pct::parse(
                "tax_rate_pct",
                "the tax rate",
                self.tax_rate_pct,
                PctRange::NonNegative,
            ),
        );
        let growth = match self.growth_rate_pct {
            None => Some(Pct::ZERO),
            Some(value) => keep(
                errors,
                Pct::parse(
                    "growth_rate_pct",
                    "the growth rate",
                    value,
                    PctRange::AboveMinus100,
                ),
            ),
        };
        let tab_years = self.tab_years.and_then(|years| {
            years_in_range(errors, "tab_years", "the amortisation period", years).map(Some)
        });
        let tab_ok = self.tab_years.is_none() || tab_years.is_some();
        let horizon = self.horizon(forecast_years, discount, growth, errors);
        match (discount, tax, horizon, tab_ok) {
            (Some(discount), Some(tax), Some(horizon), true) => Some(Discounting {
                discount,
                tax,
                convention: self.convention,
                tab_years: tab_years.flatten(),
                horizon,
            }),
            _ => None,
        }
    }

    fn horizon(
        &self,
        forecast_years: usize,
        discount: Option<Pct>,
        growth: Option<Pct>,
        errors: &mut FieldErrors,
    ) -> Option<Horizon> {
        let growth = growth?;
        if self.terminal {
            if self.remaining_life_years.is_some() {
                errors.push(FieldError::new(
                    "terminal",
                    "conflict",
                    "a terminal value assumes an indefinite life: give remaining_life_years or \
                     terminal, not both",
                ));
                return None;
            }
            let discount = discount?;
            if discount <= growth {
                errors.push(FieldError::new(
                    "discount_rate_pct",
                    "not_above_growth",
                    format!(
                        "the discount rate ({} %) must exceed the growth rate ({} %) for a \
                         terminal value",
                        discount.pct(),
                        growth.pct()
                    ),
                ));
                return None;
            }
            return Some(Horizon::Terminal { growth });
        }
        let forecast = u32::try_from(forecast_years).unwrap_or(u32::MAX);
        let Some(life) = self.remaining_life_years else {
            if self.growth_rate_pct.is_some() {
                errors.push(unused_growth());
                return None;
            }
            return Some(Horizon::Forecast);
        };
        let life = years_in_range(errors, "remaining_life_years", "the remaining life", life)?;
        if life < forecast {
            errors.push(FieldError::new(
                "remaining_life_years",
                "shorter_than_forecast",
                format!(
                    "the remaining economic life ({life} years) is shorter than the forecast \
                     ({forecast_years} years): shorten the forecast"
                ),
            ));
            return None;
        }
        if life == forecast {
            if self.growth_rate_pct.is_some() {
                errors.push(unused_growth());
                return None;
            }
            return Some(Horizon::Forecast);
        }
        Some(Horizon::Life {
            years: life,
            growth,
        })
    }
}

fn unused_growth() -> FieldError {
    FieldError::new(
        "growth_rate_pct",
        "unused",
        "a growth rate applies only to a terminal value or a remaining life beyond the forecast",
    )
}

fn years_in_range(errors: &mut FieldErrors, field: &str, what: &str, years: u32) -> Option<u32> {
    if years == 0 {
        errors.push(FieldError::new(
            field,
            "not_positive",
            format!("{what} must be at least 1 year"),
        ));
        return None;
    }
    if years > MAX_YEARS {
        errors.push(FieldError::new(
            field,
            "above_maximum",
            format!("{what} must be at most {MAX_YEARS} years, got {years}"),
        ));
        return None;
    }
    Some(years)
}

impl Discounting {
    /// The discounting assumptions in words, zh and en.
    pub(crate) fn assumptions(&self, forecast_years: usize) -> Vec<Assumption> {
        let rate = self.discount.pct();
        let mut list = vec![Assumption::new(
            format!("收益预测期 {forecast_years} 年，第 1 年为评估基准日后的第一个完整年度"),
            format!(
                "a forecast of {forecast_years} years, year 1 the first full year after the \
                 valuation date"
            ),
        )];
        list.push(match self.horizon {
            Horizon::Forecast => Assumption::new(
                format!("收益期限与预测期相同：第 {forecast_years} 年后不再产生收益"),
                format!("the income ends with the forecast: nothing after year {forecast_years}"),
            ),
            Horizon::Life { years, growth } => Assumption::new(
                format!(
                    "剩余经济寿命 {years} 年：第 {} 至 {years} 年按最后预测年度每年增长 {}% 延续",
                    forecast_years + 1,
                    growth.pct()
                ),
                format!(
                    "a remaining economic life of {years} years: years {} to {years} carry on \
                     the last forecast year, growing {} % a year",
                    forecast_years + 1,
                    growth.pct()
                ),
            ),
            Horizon::Terminal { growth } => Assumption::new(
                format!(
                    "第 {forecast_years} 年后收益每年永续增长 {}%（戈登增长模型），终值按第 \
                     {forecast_years} 年的折现系数折现",
                    growth.pct()
                ),
                format!(
                    "after year {forecast_years} the income grows {} % a year forever (Gordon \
                     growth); the terminal value is discounted with year {forecast_years}'s factor",
                    growth.pct()
                ),
            ),
        });
        list.push(Assumption::new(
            format!("折现率 {rate}%/年（税后）"),
            format!("a discount rate of {rate} % a year (after tax)"),
        ));
        list.push(match self.convention {
            DiscountConvention::EndOfYear => Assumption::new(
                "收益于每年年末取得（年末折现）",
                "income arrives at the end of each year (end-of-year discounting)",
            ),
            DiscountConvention::MidYear => Assumption::new(
                "收益于年内均匀取得，按年中折现：1 ÷ (1 + r)^(t − 0.5)",
                "income arrives evenly through each year: mid-year discounting, 1 ÷ (1 + r)^(t − 0.5)",
            ),
        });
        list.push(Assumption::new(
            format!("所得税税率 {}%", self.tax.pct()),
            format!("an income tax rate of {} %", self.tax.pct()),
        ));
        if let Some(years) = self.tab_years {
            list.push(Assumption::new(
                format!(
                    "计入税收摊销收益：按 {years} 年直线摊销，系数 = 1 ÷ (1 − 税率 × 年金系数({years}) ÷ {years})"
                ),
                format!(
                    "a tax-amortisation benefit over {years} years straight-line: factor \
                     1 ÷ (1 − tax rate × AF({years}) ÷ {years})"
                ),
            ));
        }
        list
    }
}

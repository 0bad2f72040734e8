//! A valuation's result as the calculator shows it: the value in yuan to the fen with thousands
//! separators, the working of its method (per-year lines, comparables, cost steps), the TAB and
//! terminal value, and the assumptions in the page's language. Only display rounds: amounts half
//! away from zero to the fen (the domain's `format_yuan`), factors to six decimals.

use ipyun_domain::account::Lang;
use ipyun_domain::valuation::{
    Assumption, CostValuation, Decimal, ExcessEarnings, IncomeTotals, MarketComparison,
    ReliefFromRoyalty, RoundingStrategy, ValuationResult, format_yuan,
};
use serde::Serialize;

/// Decimals shown of a discount or TAB factor.
const FACTOR_DECIMALS: u32 = 6;

/// `1234567.891` → `1,234,567.89` (rounded half away from zero to the fen); `-0.5` → `-0.50`.
pub fn money(amount_yuan: Decimal) -> String {
    let plain = format_yuan(amount_yuan);
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}.{fraction}")
}

/// A factor to six decimals: `0.892857`.
pub fn factor(value: Decimal) -> String {
    let rounded =
        value.round_dp_with_strategy(FACTOR_DECIMALS, RoundingStrategy::MidpointAwayFromZero);
    format!("{rounded:.6}")
}

/// A percentage as entered, without trailing zeros: `5`, `4.75`.
pub fn percent(value: Decimal) -> String {
    value.normalize().to_string()
}

/// A computed percentage to two decimals: `12.35`.
fn percent_2(value: Decimal) -> String {
    let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    format!("{rounded:.2}")
}

/// An assumption in the page's language.
pub fn in_lang(assumption: &Assumption, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => assumption.zh.clone(),
        Lang::En => assumption.en.clone(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct YearRow {
    pub year: u32,
    pub extrapolated: bool,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TerminalView {
    pub growth_rate_pct: String,
    pub last_year: u32,
    pub next_cash_flow: String,
    pub value_at_last_year: String,
    pub discount_factor: String,
    pub present_value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TabView {
    pub years: u32,
    pub annuity_factor: String,
    pub factor: String,
    pub amount: String,
}

/// The working of an income-approach method.
#[derive(Debug, Clone, Serialize)]
pub struct IncomeView {
    /// Fluent keys of the table's columns after the year.
    pub columns: Vec<&'static str>,
    pub rows: Vec<YearRow>,
    pub discount_rate_pct: String,
    pub tax_rate_pct: String,
    pub mid_year: bool,
    pub present_value_sum: String,
    pub terminal: Option<TerminalView>,
    pub value_before_tab: String,
    pub tab: Option<TabView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComparableView {
    pub name: String,
    pub price: String,
    pub adjustments: Vec<String>,
    pub multiplier: String,
    pub adjusted_price: String,
    pub weight: String,
    pub weight_share_pct: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MarketView {
    pub kind: &'static str,
    pub comparables: Vec<ComparableView>,
    pub lowest: String,
    pub highest: String,
    pub range: String,
    pub range_pct: String,
    pub coefficient_of_variation_pct: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub kind: &'static str,
    pub pct: String,
    pub amount: String,
    pub remaining: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostView {
    pub basis: &'static str,
    pub items: Vec<(String, String)>,
    pub items_total: String,
    pub profit_rate_pct: String,
    pub profit: String,
    pub cost_new: String,
    pub steps: Vec<StepView>,
    pub remaining_share_pct: String,
    pub obsolescence_total: String,
}

/// A result as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ResultView {
    pub method: &'static str,
    /// The value in yuan, to the fen, with thousands separators.
    pub value: String,
    pub income: Option<IncomeView>,
    pub market: Option<MarketView>,
    pub cost: Option<CostView>,
    pub assumptions: Vec<String>,
}

fn income(totals: &IncomeTotals, columns: Vec<&'static str>, rows: Vec<YearRow>) -> IncomeView {
    IncomeView {
        columns,
        rows,
        discount_rate_pct: percent(totals.discount_rate_pct),
        tax_rate_pct: percent(totals.tax_rate_pct),
        mid_year: totals.convention == ipyun_domain::valuation::DiscountConvention::MidYear,
        present_value_sum: money(totals.present_value_sum_yuan),
        terminal: totals.terminal.as_ref().map(|terminal| TerminalView {
            growth_rate_pct: percent(terminal.growth_rate_pct),
            last_year: terminal.last_year,
            next_cash_flow: money(terminal.next_cash_flow_yuan),
            value_at_last_year: money(terminal.value_at_last_year_yuan),
            discount_factor: factor(terminal.discount_factor),
            present_value: money(terminal.present_value_yuan),
        }),
        value_before_tab: money(totals.value_before_tab_yuan),
        tab: totals.tab.as_ref().map(|tab| TabView {
            years: tab.years,
            annuity_factor: factor(tab.annuity_factor),
            factor: factor(tab.factor),
            amount: money(tab.amount_yuan),
        }),
    }
}

fn royalty(result: &ReliefFromRoyalty) -> IncomeView {
    let rows = result
        .years
        .iter()
        .map(|line| YearRow {
            year: line.year,
            extrapolated: line.extrapolated,
            cells: vec![
                money(line.revenue_yuan),
                money(line.royalty_yuan),
                money(line.tax_yuan),
                money(line.after_tax_royalty_yuan),
                factor(line.discount_factor),
                money(line.present_value_yuan),
            ],
        })
        .collect();
    let columns = vec![
        "valuation-col-revenue",
        "valuation-col-royalty",
        "valuation-col-tax",
        "valuation-col-after-tax-royalty",
        "valuation-col-discount-factor",
        "valuation-col-present-value",
    ];
    income(&result.totals, columns, rows)
}

fn excess(result: &ExcessEarnings) -> IncomeView {
    let rows = result
        .years
        .iter()
        .map(|line| YearRow {
            year: line.year,
            extrapolated: line.extrapolated,
            cells: vec![
                money(line.revenue_yuan),
                money(line.operating_earnings_yuan),
                money(line.tax_yuan),
                money(line.after_tax_earnings_yuan),
                money(line.contributory_charges_yuan),
                money(line.excess_earnings_yuan),
                factor(line.discount_factor),
                money(line.present_value_yuan),
            ],
        })
        .collect();
    let columns = vec![
        "valuation-col-revenue",
        "valuation-col-operating-earnings",
        "valuation-col-tax",
        "valuation-col-after-tax-earnings",
        "valuation-col-contributory-charges",
        "valuation-col-excess-earnings",
        "valuation-col-discount-factor",
        "valuation-col-present-value",
    ];
    income(&result.totals, columns, rows)
}

fn market(result: &MarketComparison) -> MarketView {
    let hundred = Decimal::ONE_HUNDRED;
    MarketView {
        kind: match result.kind {
            ipyun_domain::valuation::PriceKind::LicenceFee => "licence_fee",
            ipyun_domain::valuation::PriceKind::SalePrice => "sale_price",
        },
        comparables: result
            .comparables
            .iter()
            .map(|one| ComparableView {
                name: one.name.clone(),
                price: money(one.price_yuan),
                adjustments: one
                    .adjustments
                    .iter()
                    .map(|adjustment| match adjustment.pct {
                        Some(pct) if pct.is_sign_negative() => {
                            format!("{} {}%", adjustment.factor, percent(pct))
                        }
                        Some(pct) => format!("{} +{}%", adjustment.factor, percent(pct)),
                        None => {
                            format!("{} ×{}", adjustment.factor, percent(adjustment.multiplier))
                        }
                    })
                    .collect(),
                multiplier: factor(one.multiplier),
                adjusted_price: money(one.adjusted_price_yuan),
                weight: percent(one.weight),
                weight_share_pct: percent_2(one.weight_share * hundred),
            })
            .collect(),
        lowest: money(result.lowest_yuan),
        highest: money(result.highest_yuan),
        range: money(result.range_yuan),
        range_pct: percent_2(result.range_pct),
        coefficient_of_variation_pct: percent_2(result.coefficient_of_variation_pct),
    }
}

fn cost(result: &CostValuation) -> CostView {
    use ipyun_domain::valuation::{CostBasis, ObsolescenceKind};
    CostView {
        basis: match result.basis {
            CostBasis::Replacement => "replacement",
            CostBasis::Reproduction => "reproduction",
        },
        items: result
            .items
            .iter()
            .map(|item| (item.name.clone(), money(item.amount_yuan)))
            .collect(),
        items_total: money(result.items_total_yuan),
        profit_rate_pct: percent(result.profit_rate_pct),
        profit: money(result.profit_yuan),
        cost_new: money(result.cost_new_yuan),
        steps: result
            .obsolescence
            .iter()
            .map(|step| StepView {
                kind: match step.kind {
                    ObsolescenceKind::Physical => "physical",
                    ObsolescenceKind::Functional => "functional",
                    ObsolescenceKind::Economic => "economic",
                },
                pct: percent(step.pct),
                amount: money(step.amount_yuan),
                remaining: money(step.remaining_yuan),
            })
            .collect(),
        remaining_share_pct: percent_2(result.remaining_share * Decimal::ONE_HUNDRED),
        obsolescence_total: money(result.obsolescence_total_yuan),
    }
}

impl ResultView {
    /// The result with its working, its assumptions (and the rounding rule) in `lang`.
    pub fn new(result: &ValuationResult, lang: Lang) -> Self {
        let mut assumptions: Vec<String> = result
            .assumptions()
            .iter()
            .map(|assumption| in_lang(assumption, lang))
            .collect();
        assumptions.push(in_lang(&Assumption::rounding(), lang));
        let (mut income_view, mut market_view, mut cost_view) = (None, None, None);
        match result {
            ValuationResult::ReliefFromRoyalty(found) => income_view = Some(royalty(found)),
            ValuationResult::ExcessEarnings(found) => income_view = Some(excess(found)),
            ValuationResult::MarketComparables(found) => market_view = Some(market(found)),
            ValuationResult::Cost(found) => cost_view = Some(cost(found)),
        }
        ResultView {
            method: result.method().code(),
            value: money(result.value_yuan()),
            income: income_view,
            market: market_view,
            cost: cost_view,
            assumptions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_default()
    }

    #[test]
    fn amounts_show_to_the_fen_with_thousands_separators() {
        assert_eq!(money(dec("98396.501458")), "98,396.50");
        assert_eq!(
            money(dec("1234567.895")),
            "1,234,567.90",
            "half away from zero"
        );
        assert_eq!(money(dec("999.994")), "999.99");
        assert_eq!(money(dec("100")), "100.00");
        assert_eq!(money(dec("-1234.5")), "-1,234.50");
        assert_eq!(money(dec("-0.001")), "0.00");
        assert_eq!(money(dec("1000000000000000")), "1,000,000,000,000,000.00");
        assert_eq!(factor(dec("0.89285714285714")), "0.892857");
        assert_eq!(factor(dec("1.25")), "1.250000");
        assert_eq!(percent(dec("5.00")), "5");
        assert_eq!(percent(dec("4.750")), "4.75");
    }
}

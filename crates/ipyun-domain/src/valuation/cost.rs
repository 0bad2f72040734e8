//! Cost approach (成本法): the right is worth what it would cost to make again, less what it has
//! lost.
//!
//! Cost new (重置成本) = Σ cost items (R&D labour, materials, fees…) × (1 + reasonable profit
//! rate). The obsolescences are applied multiplicatively, in this order: physical, functional,
//! economic, each to what the previous left: value = cost new × (1 − p)(1 − f)(1 − e). The order
//! changes each step's amount, never the value. (Additive deduction, cost new × (1 − p − f − e),
//! would count the overlap twice and can go below zero; it is not offered.)

use super::Assumption;
use super::number::{MAX_LIST, Pct, PctRange, amount_yuan, keep, list_len, name};
use crate::field::{FieldError, FieldErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Which cost new is estimated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    /// Replacement cost (更新重置成本): a right of equal utility with today's means.
    #[default]
    Replacement,
    /// Reproduction cost (复原重置成本): an exact replica with the original means.
    Reproduction,
}

/// A cost-approach valuation as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CostInput {
    #[serde(default)]
    pub basis: CostBasis,
    /// 1–50 cost items, together above 0.
    pub items: Vec<CostItemInput>,
    /// Reasonable profit in percent of the items' total, 0–100; default 0.
    #[serde(default)]
    pub profit_rate_pct: Decimal,
    /// Physical obsolescence (实体性贬值) in percent, 0–100; default 0.
    #[serde(default)]
    pub physical_obsolescence_pct: Decimal,
    /// Functional (technological) obsolescence (功能性贬值) in percent, 0–100; default 0.
    #[serde(default)]
    pub functional_obsolescence_pct: Decimal,
    /// Economic obsolescence (经济性贬值) in percent, 0–100; default 0.
    #[serde(default)]
    pub economic_obsolescence_pct: Decimal,
}

/// One cost item, e.g. R&D labour (研发人工), materials (材料), fees (规费、代理费).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CostItemInput {
    pub name: String,
    /// In yuan, 0 or more.
    pub amount_yuan: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObsolescenceKind {
    Physical,
    Functional,
    Economic,
}

/// One obsolescence applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ObsolescenceStep {
    pub kind: ObsolescenceKind,
    pub pct: Decimal,
    /// What this step takes off what the previous steps left.
    pub amount_yuan: Decimal,
    /// What is left after it.
    pub remaining_yuan: Decimal,
}

/// One cost item as counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CostItem {
    pub name: String,
    pub amount_yuan: Decimal,
}

/// The result with its working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CostValuation {
    pub basis: CostBasis,
    pub items: Vec<CostItem>,
    pub items_total_yuan: Decimal,
    pub profit_rate_pct: Decimal,
    pub profit_yuan: Decimal,
    /// Items plus profit: the cost new (重置成本).
    pub cost_new_yuan: Decimal,
    pub obsolescence: Vec<ObsolescenceStep>,
    /// (1 − p)(1 − f)(1 − e): the share left (成新率).
    pub remaining_share: Decimal,
    pub obsolescence_total_yuan: Decimal,
    /// Cost new less obsolescence, full precision.
    pub value_yuan: Decimal,
    pub assumptions: Vec<Assumption>,
}

impl CostInput {
    /// Validates the inputs (every problem at once, each naming its input) and values the right.
    pub fn value(&self) -> Result<CostValuation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let items = self.items(&mut errors);
        let profit = keep(
            &mut errors,
            Pct::parse(
                "profit_rate_pct",
                "the profit rate",
                self.profit_rate_pct,
                PctRange::NonNegative,
            ),
        );
        let rates = [
            (
                ObsolescenceKind::Physical,
                "physical_obsolescence_pct",
                "physical obsolescence",
                self.physical_obsolescence_pct,
            ),
            (
                ObsolescenceKind::Functional,
                "functional_obsolescence_pct",
                "functional obsolescence",
                self.functional_obsolescence_pct,
            ),
            (
                ObsolescenceKind::Economic,
                "economic_obsolescence_pct",
                "economic obsolescence",
                self.economic_obsolescence_pct,
            ),
        ];
        let mut obsolescences = Vec::with_capacity(rates.len());
        for (kind, field, what, value) in rates {
            if let Some(pct) = keep(
                &mut errors,
                Pct::parse(field, what, value, PctRange::NonNegative),
            ) {
                obsolescences.push((kind, pct));
            }
        }
        match (items, profit, errors.is_empty()) {
            (Some(items), Some(profit), true) => {
                Ok(compute(self.basis, items, profit, &obsolescences))
            }
            _ => Err(errors),
        }
    }

    fn items(&self, errors: &mut FieldErrors) -> Option<Vec<CostItem>> {
        keep(
            errors,
            list_len("items", "cost items", self.items.len(), MAX_LIST),
        )?;
        let before = errors.0.len();
        let mut items = Vec::with_capacity(self.items.len());
        for (index, input) in self.items.iter().enumerate() {
            let field = format!("items[{index}]");
            let name = keep(errors, name(&format!("{field}.name"), &input.name));
            let amount = keep(
                errors,
                amount_yuan(
                    &format!("{field}.amount_yuan"),
                    "a cost item",
                    input.amount_yuan,
                ),
            );
            if let (Some(name), Some(amount_yuan)) = (name, amount) {
                items.push(CostItem { name, amount_yuan });
            }
        }
        if errors.0.len() != before {
            return None;
        }
        if items.iter().all(|item| item.amount_yuan.is_zero()) {
            errors.push(FieldError::new(
                "items",
                "not_positive",
                "the cost items must add up to more than 0",
            ));
            return None;
        }
        Some(items)
    }
}

fn compute(
    basis: CostBasis,
    items: Vec<CostItem>,
    profit: Pct,
    obsolescences: &[(ObsolescenceKind, Pct)],
) -> CostValuation {
    let items_total_yuan: Decimal = items.iter().map(|item| item.amount_yuan).sum();
    let profit_yuan = items_total_yuan * profit.fraction();
    let cost_new_yuan = items_total_yuan + profit_yuan;
    let mut remaining_yuan = cost_new_yuan;
    let mut remaining_share = Decimal::ONE;
    let mut steps = Vec::with_capacity(obsolescences.len());
    for (kind, pct) in obsolescences {
        let amount_yuan = remaining_yuan * pct.fraction();
        remaining_yuan -= amount_yuan;
        remaining_share *= Decimal::ONE - pct.fraction();
        steps.push(ObsolescenceStep {
            kind: *kind,
            pct: pct.pct(),
            amount_yuan,
            remaining_yuan,
        });
    }
    let (basis_zh, basis_en) = match basis {
        CostBasis::Replacement => ("更新重置成本", "replacement cost"),
        CostBasis::Reproduction => ("复原重置成本", "reproduction cost"),
    };
    let percents: Vec<String> = obsolescences
        .iter()
        .map(|(_, pct)| pct.pct().to_string())
        .collect();
    let assumptions = vec![
        Assumption::new(
            format!(
                "按{basis_zh}估算，合理利润率 {}%（以成本项目合计为基数）",
                profit.pct()
            ),
            format!(
                "cost new as the {basis_en}, with a reasonable profit of {} % on the items' total",
                profit.pct()
            ),
        ),
        Assumption::new(
            format!(
                "实体性、功能性、经济性贬值率依次为 {}%，按连乘扣除：(1 − 实体)(1 − 功能)(1 − 经济)",
                percents.join("%、")
            ),
            format!(
                "physical, functional and economic obsolescence of {} %, applied \
                 multiplicatively in that order: (1 − p)(1 − f)(1 − e)",
                percents.join(" %, ")
            ),
        ),
    ];
    CostValuation {
        basis,
        items,
        items_total_yuan,
        profit_rate_pct: profit.pct(),
        profit_yuan,
        cost_new_yuan,
        obsolescence: steps,
        remaining_share,
        obsolescence_total_yuan: cost_new_yuan - remaining_yuan,
        value_yuan: remaining_yuan,
        assumptions,
    }
}

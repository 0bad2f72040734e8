//! The valuation calculator's form as typed: the fields of the four methods' forms (one shown at a
//! a time), the royalty-rate look-up and the "record this valuation" option, read from the form's
//! name–value pairs and kept as text to show again. Checkboxes count when present.

use ipyun_domain::valuation::ValuationMethod;
use serde::Serialize;

/// The methods in the order of the calculator's tabs.
pub const METHODS: [ValuationMethod; 4] = [
    ValuationMethod::ReliefFromRoyalty,
    ValuationMethod::ExcessEarnings,
    ValuationMethod::MarketComparables,
    ValuationMethod::Cost,
];
/// What a recorded valuation may be for (`ValuationPurpose`, as serialised).
pub const PURPOSES: [&str; 4] = ["pledge", "licence", "transfer", "reporting"];
/// The kinds of comparable price (`PriceKind`, as serialised).
pub const PRICE_KINDS: [&str; 2] = ["licence_fee", "sale_price"];
/// The bases of the cost approach (`CostBasis`, as serialised).
pub const COST_BASES: [&str; 2] = ["replacement", "reproduction"];
/// Fixed rows of contributory asset charges, comparables and cost items; blank rows are skipped.
pub const CHARGE_ROWS: usize = 4;
pub const COMPARABLE_ROWS: usize = 4;
pub const ITEM_ROWS: usize = 6;
/// The longest text kept from any one field (a revenue list of 50 years fits easily).
const MAX_FIELD_CHARS: usize = 4_000;

/// The method of a tab by its code; anything else is relief from royalty.
pub fn method_of(code: &str) -> ValuationMethod {
    METHODS
        .iter()
        .copied()
        .find(|method| method.code() == code.trim())
        .unwrap_or(ValuationMethod::ReliefFromRoyalty)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ChargeRow {
    pub asset: String,
    pub rate_pct: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ComparableRow {
    pub name: String,
    pub price_yuan: String,
    pub weight: String,
    /// One adjustment a line: `factor +10%` or `factor ×1.1`.
    pub adjustments: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ItemRow {
    pub name: String,
    pub amount_yuan: String,
}

/// Every field of the calculator, as typed.
#[derive(Debug, Clone, Serialize)]
pub struct ValuationForm {
    pub method: ValuationMethod,
    pub csrf_token: String,
    /// `calculate` (the default) or `lookup` (the royalty-rate look-up).
    pub action: String,
    pub revenues: String,
    pub royalty_rate_pct: String,
    pub lookup_industry: String,
    pub lookup_ipc: String,
    pub lookup_number: String,
    pub discount_rate_pct: String,
    pub tax_rate_pct: String,
    pub mid_year: bool,
    pub tab_years: String,
    pub remaining_life_years: String,
    pub growth_rate_pct: String,
    pub terminal: bool,
    pub ebitda_margin_pct: String,
    pub cash_flows: String,
    pub charges: Vec<ChargeRow>,
    pub price_kind: String,
    pub comparables: Vec<ComparableRow>,
    pub basis: String,
    pub items: Vec<ItemRow>,
    pub profit_rate_pct: String,
    pub physical_obsolescence_pct: String,
    pub functional_obsolescence_pct: String,
    pub economic_obsolescence_pct: String,
    pub record: bool,
    pub purpose: String,
    pub right_number: String,
}

/// `name_3` → 3 when `name_` is the prefix and 3 < `rows`.
fn row_index(name: &str, prefix: &str, rows: usize) -> Option<usize> {
    name.strip_prefix(prefix)
        .and_then(|index| index.parse::<usize>().ok())
        .filter(|index| *index < rows)
}

impl ValuationForm {
    /// An empty form for `method`: China's enterprise income tax (25 %) and the usual choices.
    pub fn new(method: ValuationMethod) -> Self {
        ValuationForm {
            method,
            csrf_token: String::new(),
            action: String::new(),
            revenues: String::new(),
            royalty_rate_pct: String::new(),
            lookup_industry: String::new(),
            lookup_ipc: String::new(),
            lookup_number: String::new(),
            discount_rate_pct: String::new(),
            tax_rate_pct: "25".into(),
            mid_year: false,
            tab_years: String::new(),
            remaining_life_years: String::new(),
            growth_rate_pct: String::new(),
            terminal: false,
            ebitda_margin_pct: String::new(),
            cash_flows: String::new(),
            charges: vec![ChargeRow::default(); CHARGE_ROWS],
            price_kind: PRICE_KINDS[0].into(),
            comparables: vec![ComparableRow::default(); COMPARABLE_ROWS],
            basis: COST_BASES[0].into(),
            items: vec![ItemRow::default(); ITEM_ROWS],
            profit_rate_pct: String::new(),
            physical_obsolescence_pct: String::new(),
            functional_obsolescence_pct: String::new(),
            economic_obsolescence_pct: String::new(),
            record: false,
            purpose: PURPOSES[0].into(),
            right_number: String::new(),
        }
    }

    /// The form from its name–value pairs; unknown names are ignored, long values cut.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let method = pairs
            .iter()
            .find(|(name, _)| name == "method")
            .map(|(_, value)| method_of(value))
            .unwrap_or(ValuationMethod::ReliefFromRoyalty);
        let mut form = ValuationForm::new(method);
        form.tax_rate_pct.clear();
        for (name, raw) in pairs {
            let value: String = raw.chars().take(MAX_FIELD_CHARS).collect();
            if form.take_row(&name, &value) {
                continue;
            }
            let slot = match name.as_str() {
                "csrf_token" => &mut form.csrf_token,
                "action" => &mut form.action,
                "revenues" => &mut form.revenues,
                "royalty_rate_pct" => &mut form.royalty_rate_pct,
                "lookup_industry" => &mut form.lookup_industry,
                "lookup_ipc" => &mut form.lookup_ipc,
                "lookup_number" => &mut form.lookup_number,
                "discount_rate_pct" => &mut form.discount_rate_pct,
                "tax_rate_pct" => &mut form.tax_rate_pct,
                "tab_years" => &mut form.tab_years,
                "remaining_life_years" => &mut form.remaining_life_years,
                "growth_rate_pct" => &mut form.growth_rate_pct,
                "ebitda_margin_pct" => &mut form.ebitda_margin_pct,
                "cash_flows" => &mut form.cash_flows,
                "profit_rate_pct" => &mut form.profit_rate_pct,
                "physical_obsolescence_pct" => &mut form.physical_obsolescence_pct,
                "functional_obsolescence_pct" => &mut form.functional_obsolescence_pct,
                "economic_obsolescence_pct" => &mut form.economic_obsolescence_pct,
                "right_number" => &mut form.right_number,
                "price_kind" if PRICE_KINDS.contains(&value.as_str()) => &mut form.price_kind,
                "basis" if COST_BASES.contains(&value.as_str()) => &mut form.basis,
                "purpose" if PURPOSES.contains(&value.as_str()) => &mut form.purpose,
                "mid_year" => {
                    form.mid_year = true;
                    continue;
                }
                "terminal" => {
                    form.terminal = true;
                    continue;
                }
                "record" => {
                    form.record = true;
                    continue;
                }
                _ => continue,
            };
            *slot = value;
        }
        form
    }

    /// Puts a row field (`charge_asset_0`, `comp_price_2`, `item_name_5`…) in its row.
    fn take_row(&mut self, name: &str, value: &str) -> bool {
        let charge = |prefix| row_index(name, prefix, CHARGE_ROWS);
        let comparable = |prefix| row_index(name, prefix, COMPARABLE_ROWS);
        let item = |prefix| row_index(name, prefix, ITEM_ROWS);
        let slot = if let Some(index) = charge("charge_asset_") {
            &mut self.charges[index].asset
        } else if let Some(index) = charge("charge_rate_") {
            &mut self.charges[index].rate_pct
        } else if let Some(index) = comparable("comp_name_") {
            &mut self.comparables[index].name
        } else if let Some(index) = comparable("comp_price_") {
            &mut self.comparables[index].price_yuan
        } else if let Some(index) = comparable("comp_weight_") {
            &mut self.comparables[index].weight
        } else if let Some(index) = comparable("comp_adjustments_") {
            &mut self.comparables[index].adjustments
        } else if let Some(index) = item("item_name_") {
            &mut self.items[index].name
        } else if let Some(index) = item("item_amount_") {
            &mut self.items[index].amount_yuan
        } else {
            return false;
        };
        *slot = value.to_string();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn fields_and_rows_are_read_as_typed() {
        let form = ValuationForm::from_pairs(pairs(&[
            ("method", "market_comparables"),
            ("comp_name_1", "许可甲"),
            ("comp_price_1", "100,000"),
            ("comp_adjustments_1", "技术 +10%\n时间 ×1.05"),
            ("comp_name_9", "ignored: no such row"),
            ("price_kind", "sale_price"),
            ("purpose", "bogus"),
            ("mid_year", "1"),
            ("record", "on"),
        ]));
        assert_eq!(form.method, ValuationMethod::MarketComparables);
        assert_eq!(form.comparables.len(), COMPARABLE_ROWS);
        assert_eq!(form.comparables[1].name, "许可甲");
        assert_eq!(form.comparables[1].price_yuan, "100,000");
        assert_eq!(form.price_kind, "sale_price");
        assert_eq!(
            form.purpose, "pledge",
            "an unknown purpose keeps the default"
        );
        assert!(form.mid_year && form.record && !form.terminal);
        assert_eq!(method_of("nonsense"), ValuationMethod::ReliefFromRoyalty);
    }
}

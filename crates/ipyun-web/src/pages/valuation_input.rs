//! The calculator's form turned into `ValuationInputs`: numbers read exactly (full-width digits,
//! thousands separators and `%` / `¥` accepted, never a float), lists by line or separator, rows
//! and adjustment lines remembered (`Sources`) so the domain's findings can be shown where they
//! arose. Every fault found here is named by its form field.

use super::pledge_views::half_width;
use super::valuation_faults::{At, Faults, Sources};
use super::valuation_form::ValuationForm;
use ipyun_domain::valuation::{
    AdjustmentInput, ComparableInput, ContributoryAssetChargeInput, CostBasis, CostInput,
    CostItemInput, Decimal, DiscountConvention, DiscountingInput, ExcessEarningsInput, MarketInput,
    PriceKind, ReliefFromRoyaltyInput, ValuationInputs, ValuationMethod,
};

/// A number as typed: full-width digits, `,` thousands separators, a leading `¥` and a trailing
/// `%` are accepted; the value is exact (never a float). Empty is `None`.
pub fn parse_number(raw: &str) -> Result<Option<Decimal>, &'static str> {
    let text: String = half_width(raw.trim())
        .trim_start_matches(['¥', '￥'])
        .trim_end_matches(['%', '％'])
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if text.is_empty() {
        return Ok(None);
    }
    let well_formed = text
        .strip_prefix(['-', '+'])
        .unwrap_or(&text)
        .bytes()
        .all(|byte| byte.is_ascii_digit() || byte == b'.');
    if !well_formed {
        return Err("not_a_number");
    }
    Decimal::from_str_exact(&text)
        .map(Some)
        .map_err(|_| "not_a_number")
}

/// `1,000,000`: one line that reads as one amount with thousands separators, or as a list.
fn thousands_grouped(line: &str) -> bool {
    let whole = line.split('.').next().unwrap_or_default();
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    let digits = |group: &str| group.bytes().all(|byte| byte.is_ascii_digit());
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && digits(first)
        && rest.iter().all(|group| group.len() == 3 && digits(group))
}

/// A list of amounts: one a line (`,` then separates thousands), or on one line separated by
/// commas, `、`, `;` or spaces. One line like `1,000,000` is ambiguous and refused
/// (`ambiguous_list`) rather than guessed. Bad entries are given by position (1-based).
pub fn parse_list(raw: &str) -> (Vec<Decimal>, Vec<(usize, &'static str)>) {
    let text = half_width(raw.trim());
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if lines.len() == 1 && thousands_grouped(&text) {
        return (Vec::new(), vec![(0, "ambiguous_list")]);
    }
    let entries: Vec<&str> = if lines.len() > 1 {
        lines
    } else {
        text.split(|c: char| [',', '、', ';', '；'].contains(&c) || c.is_whitespace())
            .filter(|entry| !entry.is_empty())
            .collect()
    };
    let (mut values, mut faults) = (Vec::new(), Vec::new());
    for (index, entry) in entries.into_iter().enumerate() {
        match parse_number(entry) {
            Ok(Some(value)) => values.push(value),
            Ok(None) => faults.push((index + 1, "not_a_number")),
            Err(code) => faults.push((index + 1, code)),
        }
    }
    (values, faults)
}
/// Reads the form's fields into inputs, recording faults as it goes.
struct Reader {
    faults: Faults,
}

impl Reader {
    fn number(&mut self, field: &str, raw: &str) -> Option<Decimal> {
        parse_number(raw).unwrap_or_else(|code| {
            self.faults.add(field, code, field, At::default());
            None
        })
    }

    fn required(&mut self, field: &str, raw: &str) -> Decimal {
        match parse_number(raw) {
            Ok(Some(value)) => value,
            Ok(None) => {
                self.faults.add(field, "required", field, At::default());
                Decimal::ZERO
            }
            Err(code) => {
                self.faults.add(field, code, field, At::default());
                Decimal::ZERO
            }
        }
    }

    fn years(&mut self, field: &str, raw: &str) -> Option<u32> {
        let text = half_width(raw.trim());
        if text.is_empty() {
            return None;
        }
        text.parse::<u32>().ok().or_else(|| {
            self.faults
                .add(field, "not_a_whole_number", field, At::default());
            None
        })
    }

    fn list(&mut self, field: &str, raw: &str) -> Vec<Decimal> {
        let (values, faults) = parse_list(raw);
        for (year, code) in faults {
            let at = At {
                year: Some(year).filter(|year| *year > 0),
                line: None,
            };
            self.faults.add(field, code, field, at);
        }
        values
    }

    fn discounting(&mut self, form: &ValuationForm) -> DiscountingInput {
        DiscountingInput {
            discount_rate_pct: self.required("discount_rate_pct", &form.discount_rate_pct),
            tax_rate_pct: self.required("tax_rate_pct", &form.tax_rate_pct),
            convention: if form.mid_year {
                DiscountConvention::MidYear
            } else {
                DiscountConvention::EndOfYear
            },
            tab_years: self.years("tab_years", &form.tab_years),
            remaining_life_years: self.years("remaining_life_years", &form.remaining_life_years),
            growth_rate_pct: self.number("growth_rate_pct", &form.growth_rate_pct),
            terminal: form.terminal,
        }
    }

    fn adjustments(&mut self, row: usize, raw: &str) -> (Vec<AdjustmentInput>, Vec<usize>) {
        let field = format!("comp_adjustments_{row}");
        let (mut adjustments, mut lines) = (Vec::new(), Vec::new());
        for (index, line) in half_width(raw).lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let at = At {
                year: None,
                line: Some(index + 1),
            };
            let split = line.rfind(char::is_whitespace);
            let (factor, value) = match split {
                Some(at_space) => (line[..at_space].trim(), line[at_space..].trim()),
                None => ("", line),
            };
            let multiplier = value.strip_prefix(['×', 'x', 'X', '*']);
            let parsed = parse_number(multiplier.unwrap_or(value));
            let Ok(Some(number)) = parsed else {
                self.faults.add(&field, "line_format", "adjustments", at);
                continue;
            };
            adjustments.push(AdjustmentInput {
                factor: factor.to_string(),
                multiplier: multiplier.map(|_| number),
                pct: multiplier.is_none().then_some(number),
            });
            lines.push(index + 1);
        }
        (adjustments, lines)
    }

    fn market(&mut self, form: &ValuationForm, sources: &mut Sources) -> MarketInput {
        let kind = if form.price_kind == "sale_price" {
            PriceKind::SalePrice
        } else {
            PriceKind::LicenceFee
        };
        let mut comparables = Vec::new();
        for (row, typed) in form.comparables.iter().enumerate() {
            let blank = [
                &typed.name,
                &typed.price_yuan,
                &typed.weight,
                &typed.adjustments,
            ]
            .iter()
            .all(|text| text.trim().is_empty());
            if blank {
                continue;
            }
            let (adjustments, lines) = self.adjustments(row, &typed.adjustments);
            comparables.push(ComparableInput {
                name: typed.name.clone(),
                kind,
                price_yuan: self.required(&format!("comp_price_{row}"), &typed.price_yuan),
                weight: self.number(&format!("comp_weight_{row}"), &typed.weight),
                adjustments,
            });
            sources.comparables.push((row, lines));
        }
        MarketInput { comparables }
    }

    fn excess(&mut self, form: &ValuationForm, sources: &mut Sources) -> ExcessEarningsInput {
        let cash_flows =
            (!form.cash_flows.trim().is_empty()).then(|| self.list("cash_flows", &form.cash_flows));
        let mut charges = Vec::new();
        for (row, typed) in form.charges.iter().enumerate() {
            if typed.asset.trim().is_empty() && typed.rate_pct.trim().is_empty() {
                continue;
            }
            charges.push(ContributoryAssetChargeInput {
                asset: typed.asset.clone(),
                rate_pct: self.required(&format!("charge_rate_{row}"), &typed.rate_pct),
            });
            sources.charges.push(row);
        }
        ExcessEarningsInput {
            revenues: self.list("revenues", &form.revenues),
            ebitda_margin_pct: self.number("ebitda_margin_pct", &form.ebitda_margin_pct),
            cash_flows,
            contributory_asset_charges: charges,
            discounting: self.discounting(form),
        }
    }

    fn cost(&mut self, form: &ValuationForm, sources: &mut Sources) -> CostInput {
        let mut items = Vec::new();
        for (row, typed) in form.items.iter().enumerate() {
            if typed.name.trim().is_empty() && typed.amount_yuan.trim().is_empty() {
                continue;
            }
            items.push(CostItemInput {
                name: typed.name.clone(),
                amount_yuan: self.required(&format!("item_amount_{row}"), &typed.amount_yuan),
            });
            sources.items.push(row);
        }
        let mut pct = |field: &str, raw: &str| self.number(field, raw).unwrap_or(Decimal::ZERO);
        CostInput {
            basis: if form.basis == "reproduction" {
                CostBasis::Reproduction
            } else {
                CostBasis::Replacement
            },
            items,
            profit_rate_pct: pct("profit_rate_pct", &form.profit_rate_pct),
            physical_obsolescence_pct: pct(
                "physical_obsolescence_pct",
                &form.physical_obsolescence_pct,
            ),
            functional_obsolescence_pct: pct(
                "functional_obsolescence_pct",
                &form.functional_obsolescence_pct,
            ),
            economic_obsolescence_pct: pct(
                "economic_obsolescence_pct",
                &form.economic_obsolescence_pct,
            ),
        }
    }
}

impl ValuationForm {
    /// The inputs of the form's method, where its list entries came from, and the faults found
    /// before the domain looks (the inputs are only worth valuing when there are none).
    pub fn inputs(&self) -> (ValuationInputs, Sources, Faults) {
        let mut reader = Reader {
            faults: Faults::default(),
        };
        let mut sources = Sources::default();
        let inputs = match self.method {
            ValuationMethod::ReliefFromRoyalty => {
                ValuationInputs::ReliefFromRoyalty(ReliefFromRoyaltyInput {
                    revenues: reader.list("revenues", &self.revenues),
                    royalty_rate_pct: reader.required("royalty_rate_pct", &self.royalty_rate_pct),
                    discounting: reader.discounting(self),
                })
            }
            ValuationMethod::ExcessEarnings => {
                ValuationInputs::ExcessEarnings(reader.excess(self, &mut sources))
            }
            ValuationMethod::MarketComparables => {
                ValuationInputs::MarketComparables(reader.market(self, &mut sources))
            }
            ValuationMethod::Cost => ValuationInputs::Cost(reader.cost(self, &mut sources)),
        };
        (inputs, sources, reader.faults)
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
    fn numbers_are_read_exactly() {
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("12.5%"), Ok(Some(dec("12.5"))));
        assert_eq!(
            parse_number("￥1,234,567.891"),
            Ok(Some(dec("1234567.891")))
        );
        assert_eq!(parse_number("１２．５"), Ok(Some(dec("12.5"))));
        assert_eq!(parse_number("-5"), Ok(Some(dec("-5"))));
        for bad in ["abc", "1e6", "1.2.3", "--1", "5 %x"] {
            assert_eq!(parse_number(bad), Err("not_a_number"), "{bad}");
        }
    }

    #[test]
    fn lists_are_split_by_lines_or_separators() {
        let three = vec![dec("1000000"), dec("1100000"), dec("1200000")];
        assert_eq!(parse_list("1000000, 1100000, 1200000").0, three);
        assert_eq!(parse_list("1000000，1100000、1200000").0, three);
        assert_eq!(parse_list("1000000 1100000\t1200000").0, three);
        assert_eq!(parse_list("1,000,000\n1,100,000\n\n1,200,000\n").0, three);
        assert_eq!(parse_list("1000000, -5, x").1, vec![(3, "not_a_number")]);
        assert_eq!(parse_list("1,000,000").1, vec![(0, "ambiguous_list")]);
        assert_eq!(parse_list("100,200,300.5").1, vec![(0, "ambiguous_list")]);
        assert_eq!(parse_list("1000,2000").0, vec![dec("1000"), dec("2000")]);
        assert_eq!(parse_list("").0, Vec::<Decimal>::new());
    }
}

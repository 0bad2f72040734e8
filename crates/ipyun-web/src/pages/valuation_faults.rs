//! The calculator's faults: each a Fluent key (most specific first: the input's own name, its
//! class, the rule), shown at its form field with the year of a list or the line of a text area;
//! and the domain's findings (`revenues[2]`, `comparables[1].adjustments[0].pct`) put back on the
//! fields and rows that caused them.

use ipyun_domain::FieldError;
use serde::Serialize;
use std::collections::BTreeMap;

/// One fault: its message key, and the year of a list or the line of a text area it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fault {
    pub key: String,
    pub year: Option<usize>,
    pub line: Option<usize>,
    #[serde(skip)]
    candidates: Vec<String>,
}

/// Faults per form field (`form` for the whole form, `lookup` for the royalty-rate look-up).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Faults(pub BTreeMap<String, Vec<Fault>>);

/// Where a fault points inside a field: a year of a list, or a line of a text area.
#[derive(Debug, Clone, Copy, Default)]
pub struct At {
    pub year: Option<usize>,
    pub line: Option<usize>,
}

impl Faults {
    /// Records rule `code` at form field `field`; `about` is the input's own name (`rate_pct`),
    /// which picks a more specific message when there is one.
    pub fn add(&mut self, field: &str, code: &str, about: &str, at: At) {
        let code = code.replace('.', "-");
        let candidates = vec![
            format!("valuation-error-{code}-{about}"),
            format!("valuation-error-{code}-{}", class_of(about)),
            format!("valuation-error-{code}"),
            "form-error-invalid".to_string(),
        ];
        self.0.entry(field.to_string()).or_default().push(Fault {
            key: String::new(),
            year: at.year,
            line: at.line,
            candidates,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(Vec::is_empty)
    }

    /// Picks each fault's most specific message that has a translation.
    pub fn settle(&mut self, has_text: impl Fn(&str) -> bool) {
        for fault in self.0.values_mut().flatten() {
            fault.key = fault
                .candidates
                .iter()
                .find(|key| has_text(key))
                .cloned()
                .unwrap_or_else(|| "form-error-invalid".into());
        }
    }
}

/// The kind of input a name is, for the messages that depend on it (`above_maximum`).
fn class_of(about: &str) -> &'static str {
    match about {
        _ if about.ends_with("_pct") || about == "pct" => "pct",
        "tab_years" | "remaining_life_years" => "years",
        "name" | "asset" | "factor" => "name",
        "items" | "comparables" | "contributory_asset_charges" => "list",
        _ => "amount",
    }
}

/// Where the domain's list entries came from: comparables' rows and adjustment lines, charges'
/// and cost items' rows.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub comparables: Vec<(usize, Vec<usize>)>,
    pub charges: Vec<usize>,
    pub items: Vec<usize>,
}

/// `name[3].rest` → (`name`, Some(3), `rest`).
fn split_path(path: &str) -> (&str, Option<usize>, &str) {
    let Some((head, tail)) = path.split_once('[') else {
        return (path, None, "");
    };
    let Some((index, rest)) = tail.split_once(']') else {
        return (path, None, "");
    };
    (
        head,
        index.parse().ok(),
        rest.strip_prefix('.').unwrap_or(rest),
    )
}

/// Puts the domain's findings on the form fields (and rows, years, lines) that caused them.
pub fn map_domain_faults(details: &[FieldError], sources: &Sources, faults: &mut Faults) {
    for detail in details {
        let (head, index, rest) = split_path(&detail.field);
        let (last, _, _) = split_path(rest.rsplit('.').next().unwrap_or(rest));
        let about = if last.is_empty() { head } else { last };
        let year = At {
            year: index.map(|index| index + 1),
            line: None,
        };
        let row_of = |rows: &[usize]| index.and_then(|index| rows.get(index).copied());
        let (field, at) = match (head, index) {
            ("revenues" | "cash_flows", _) => (head.to_string(), year),
            ("comparables", Some(index)) => match sources.comparables.get(index) {
                Some((row, lines)) => {
                    let (_, adjustment, _) = split_path(rest);
                    let column = match rest.split(['.', '[']).next().unwrap_or_default() {
                        "name" => "comp_name",
                        "price_yuan" => "comp_price",
                        "weight" => "comp_weight",
                        "kind" => "price_kind",
                        _ => "comp_adjustments",
                    };
                    let line = adjustment.and_then(|at| lines.get(at).copied());
                    let field = if column == "price_kind" {
                        column.to_string()
                    } else {
                        format!("{column}_{row}")
                    };
                    (field, At { year: None, line })
                }
                None => ("comparables".to_string(), At::default()),
            },
            ("contributory_asset_charges", Some(_)) => match row_of(&sources.charges) {
                Some(row) if rest == "asset" => (format!("charge_asset_{row}"), At::default()),
                Some(row) => (format!("charge_rate_{row}"), At::default()),
                None => ("charges".to_string(), At::default()),
            },
            ("contributory_asset_charges", None) => ("charges".to_string(), At::default()),
            ("items", Some(_)) => match row_of(&sources.items) {
                Some(row) if rest == "name" => (format!("item_name_{row}"), At::default()),
                Some(row) => (format!("item_amount_{row}"), At::default()),
                None => ("items".to_string(), At::default()),
            },
            (
                "royalty_rate_pct"
                | "discount_rate_pct"
                | "tax_rate_pct"
                | "tab_years"
                | "remaining_life_years"
                | "growth_rate_pct"
                | "terminal"
                | "ebitda_margin_pct"
                | "items"
                | "comparables"
                | "profit_rate_pct"
                | "physical_obsolescence_pct"
                | "functional_obsolescence_pct"
                | "economic_obsolescence_pct",
                None,
            ) => (head.to_string(), At::default()),
            _ => ("form".to_string(), At::default()),
        };
        faults.add(&field, &detail.code, about, at);
    }
}

//! `ipyun value …` — the valuation calculators (feature V1), no database needed:
//! `relief-from-royalty`, `excess-earnings`, `market` and `cost`. Each prints the working as an
//! aligned table, the assumptions and `value: YUAN yuan`; with `--format json`, one object
//! `{"method", "value", "inputs", "working"}` whose `value` is the result in yuan to the fen
//! (rounded half away from zero), e.g. `"98396.50"`. Invalid input: `error: INPUT: message` per
//! problem on stderr, exit 2.

use ipyun_domain::FieldErrors;
use ipyun_domain::field::FieldError;
use ipyun_domain::valuation::{
    AdjustmentInput, ComparableInput, ContributoryAssetChargeInput, CostBasis, CostInput,
    CostItemInput, Decimal, DiscountConvention, DiscountingInput, ExcessEarningsInput,
    IncomeTotals, MarketInput, PriceKind, ReliefFromRoyaltyInput, RoundingStrategy,
    ValuationInputs, ValuationResult, format_yuan, parse_decimal, parse_decimal_list,
};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum ValueCommand {
    /// Income approach, relief from royalty: after-tax royalties spared, discounted.
    ReliefFromRoyalty(RoyaltyArgs),
    /// Income approach, multi-period excess earnings: after-tax earnings less contributory asset
    /// charges, discounted.
    ExcessEarnings(ExcessArgs),
    /// Market approach: the weighted mean of comparable transactions' adjusted prices.
    Market(MarketArgs),
    /// Cost approach: reproduction or replacement cost less obsolescence.
    Cost(CostArgs),
    /// Back-test the automated valuation against realised prices: FILE is a CSV of
    /// `number,kind,amount_yuan,date[,source]` (licence_fee, sale, auction, acquisition), imported
    /// once; prints the median absolute percentage error and the share of prices inside the range.
    Backtest {
        file: std::path::PathBuf,
        #[arg(long, value_enum, default_value_t)]
        format: crate::backtest::BacktestFormat,
    },
}

#[derive(Clone, Copy, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(clap::Args)]
pub struct Discounting {
    /// Discount rate in percent a year, 0 < r ≤ 100.
    #[arg(long, allow_hyphen_values = true)]
    discount_rate_pct: String,
    /// Income tax rate in percent, 0–100.
    #[arg(long, allow_hyphen_values = true)]
    tax_rate_pct: String,
    /// Add a tax-amortisation benefit over N years.
    #[arg(long, value_name = "N")]
    tab_years: Option<u32>,
    /// Discount from the middle of each year instead of its end.
    #[arg(long)]
    mid_year: bool,
    /// Remaining economic life in years, when longer than the forecast: the last year carries on.
    #[arg(long)]
    remaining_life_years: Option<u32>,
    /// Growth in percent a year after the forecast (with --terminal or --remaining-life-years).
    #[arg(long, allow_hyphen_values = true)]
    growth_rate_pct: Option<String>,
    /// Add a terminal value (perpetual growth after the forecast); the discount rate must exceed
    /// the growth rate.
    #[arg(long)]
    terminal: bool,
    /// text: the working as a table; json: one object whose `value` is the result.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(clap::Args)]
pub struct RoyaltyArgs {
    /// Revenue forecast in yuan, year 1 first, comma-separated: 1000000,1100000,1200000.
    #[arg(long, allow_hyphen_values = true)]
    revenues: String,
    /// Royalty rate in percent of revenue, 0 < p ≤ 100.
    #[arg(long, allow_hyphen_values = true)]
    royalty_rate_pct: String,
    #[command(flatten)]
    discounting: Discounting,
}

#[derive(clap::Args)]
pub struct ExcessArgs {
    /// Revenue forecast in yuan, year 1 first, comma-separated.
    #[arg(long, allow_hyphen_values = true)]
    revenues: String,
    /// Pre-tax operating (EBITDA) margin in percent of revenue, every year (or --cash-flows).
    #[arg(long, allow_hyphen_values = true)]
    ebitda_margin_pct: Option<String>,
    /// Pre-tax operating cash flows in yuan, one per revenue year, comma-separated.
    #[arg(long, allow_hyphen_values = true)]
    cash_flows: Option<String>,
    /// A contributory asset charge, ASSET=PCT of revenue after tax (repeat): working_capital=2.
    #[arg(long = "cac", value_name = "ASSET=PCT", required = true)]
    contributory_asset_charges: Vec<String>,
    #[command(flatten)]
    discounting: Discounting,
}

#[derive(clap::Args)]
pub struct MarketArgs {
    /// A comparable (repeat): NAME=PRICE[@WEIGHT][,FACTOR=ADJUSTMENT…], an adjustment being a
    /// multiplier (1.05) or a percentage (-10%): 'A=500000@2,time=1.05,technology=-10%'.
    #[arg(long = "comparable", value_name = "SPEC", required = true)]
    comparables: Vec<String>,
    /// What the prices are.
    #[arg(long, value_enum, default_value = "licence-fee")]
    kind: Kind,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    LicenceFee,
    SalePrice,
}

#[derive(clap::Args)]
pub struct CostArgs {
    /// A cost item (repeat): NAME=YUAN, e.g. 'R&D labour=600000'.
    #[arg(long = "item", value_name = "NAME=YUAN", required = true)]
    items: Vec<String>,
    /// Replacement (today's means) or reproduction (an exact replica).
    #[arg(long, value_enum, default_value = "replacement")]
    basis: Basis,
    /// Reasonable profit in percent of the items' total.
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    profit_rate_pct: String,
    /// Physical obsolescence in percent.
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    physical_obsolescence_pct: String,
    /// Functional obsolescence in percent.
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    functional_obsolescence_pct: String,
    /// Economic obsolescence in percent.
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    economic_obsolescence_pct: String,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Basis {
    Replacement,
    Reproduction,
}

pub fn run(command: ValueCommand) -> ExitCode {
    let (inputs, format) = match inputs(command) {
        Ok(parsed) => parsed,
        Err(errors) => return refuse(&errors),
    };
    let result = match inputs.value() {
        Ok(result) => result,
        Err(errors) => return refuse(&errors),
    };
    match format {
        Format::Json => {
            let object = serde_json::json!({
                "method": inputs.method(),
                "value": format_yuan(result.value_yuan()),
                "inputs": inputs,
                "working": result,
            });
            println!("{object}");
        }
        Format::Text => print!("{}", text(&result)),
    }
    ExitCode::SUCCESS
}

fn refuse(errors: &FieldErrors) -> ExitCode {
    for error in &errors.0 {
        eprintln!("error: {}: {}", error.field, error.message);
    }
    ExitCode::from(2)
}

fn inputs(command: ValueCommand) -> Result<(ValuationInputs, Format), FieldErrors> {
    let mut errors = FieldErrors::default();
    let parsed = match command {
        ValueCommand::Backtest { .. } => {
            errors.push(ipyun_domain::FieldError::new(
                "command",
                "not_a_calculator",
                "backtest needs the database",
            ));
            return Err(errors);
        }
        ValueCommand::ReliefFromRoyalty(args) => {
            let input = ReliefFromRoyaltyInput {
                revenues: list(&mut errors, "revenues", &args.revenues),
                royalty_rate_pct: one(&mut errors, "royalty_rate_pct", &args.royalty_rate_pct),
                discounting: discounting(&mut errors, &args.discounting),
            };
            (
                ValuationInputs::ReliefFromRoyalty(input),
                args.discounting.format,
            )
        }
        ValueCommand::ExcessEarnings(args) => {
            let mut charges = Vec::new();
            for (index, spec) in args.contributory_asset_charges.iter().enumerate() {
                let field = format!("contributory_asset_charges[{index}]");
                if let Some((asset, rate)) = pair(&mut errors, &field, spec) {
                    charges.push(ContributoryAssetChargeInput {
                        asset: asset.to_string(),
                        rate_pct: one(&mut errors, &format!("{field}.rate_pct"), rate),
                    });
                }
            }
            let input = ExcessEarningsInput {
                revenues: list(&mut errors, "revenues", &args.revenues),
                ebitda_margin_pct: args
                    .ebitda_margin_pct
                    .as_deref()
                    .map(|text| one(&mut errors, "ebitda_margin_pct", text)),
                cash_flows: args
                    .cash_flows
                    .as_deref()
                    .map(|text| list(&mut errors, "cash_flows", text)),
                contributory_asset_charges: charges,
                discounting: discounting(&mut errors, &args.discounting),
            };
            (
                ValuationInputs::ExcessEarnings(input),
                args.discounting.format,
            )
        }
        ValueCommand::Market(args) => {
            let kind = match args.kind {
                Kind::LicenceFee => PriceKind::LicenceFee,
                Kind::SalePrice => PriceKind::SalePrice,
            };
            let comparables = args
                .comparables
                .iter()
                .enumerate()
                .filter_map(|(index, spec)| comparable(&mut errors, index, spec, kind))
                .collect();
            (
                ValuationInputs::MarketComparables(MarketInput { comparables }),
                args.format,
            )
        }
        ValueCommand::Cost(args) => {
            let mut items = Vec::new();
            for (index, spec) in args.items.iter().enumerate() {
                let field = format!("items[{index}]");
                if let Some((name, amount)) = pair(&mut errors, &field, spec) {
                    items.push(CostItemInput {
                        name: name.to_string(),
                        amount_yuan: one(&mut errors, &format!("{field}.amount_yuan"), amount),
                    });
                }
            }
            let input = CostInput {
                basis: match args.basis {
                    Basis::Replacement => CostBasis::Replacement,
                    Basis::Reproduction => CostBasis::Reproduction,
                },
                items,
                profit_rate_pct: one(&mut errors, "profit_rate_pct", &args.profit_rate_pct),
                physical_obsolescence_pct: one(
                    &mut errors,
                    "physical_obsolescence_pct",
                    &args.physical_obsolescence_pct,
                ),
                functional_obsolescence_pct: one(
                    &mut errors,
                    "functional_obsolescence_pct",
                    &args.functional_obsolescence_pct,
                ),
                economic_obsolescence_pct: one(
                    &mut errors,
                    "economic_obsolescence_pct",
                    &args.economic_obsolescence_pct,
                ),
            };
            (ValuationInputs::Cost(input), args.format)
        }
    };
    errors.into_result().map(|()| parsed)
}

fn discounting(errors: &mut FieldErrors, args: &Discounting) -> DiscountingInput {
    DiscountingInput {
        discount_rate_pct: one(errors, "discount_rate_pct", &args.discount_rate_pct),
        tax_rate_pct: one(errors, "tax_rate_pct", &args.tax_rate_pct),
        convention: if args.mid_year {
            DiscountConvention::MidYear
        } else {
            DiscountConvention::EndOfYear
        },
        tab_years: args.tab_years,
        remaining_life_years: args.remaining_life_years,
        growth_rate_pct: args
            .growth_rate_pct
            .as_deref()
            .map(|text| one(errors, "growth_rate_pct", text)),
        terminal: args.terminal,
    }
}

/// One decimal; an unreadable one is recorded and stands in as 0 (nothing is valued then).
fn one(errors: &mut FieldErrors, field: &str, text: &str) -> Decimal {
    parse_decimal(field, text).unwrap_or_else(|error| {
        errors.push(error);
        Decimal::ZERO
    })
}

fn list(errors: &mut FieldErrors, field: &str, text: &str) -> Vec<Decimal> {
    parse_decimal_list(field, text).unwrap_or_else(|found| {
        errors.0.extend(found.0);
        Vec::new()
    })
}

/// `NAME=VALUE` split at the last `=`.
fn pair<'a>(errors: &mut FieldErrors, field: &str, spec: &'a str) -> Option<(&'a str, &'a str)> {
    let split = spec.rsplit_once('=');
    if split.is_none() {
        errors.push(FieldError::new(
            field,
            "format",
            format!("expected NAME=VALUE, got {spec:?}"),
        ));
    }
    split
}

/// `NAME=PRICE[@WEIGHT][,FACTOR=ADJUSTMENT…]`.
fn comparable(
    errors: &mut FieldErrors,
    index: usize,
    spec: &str,
    kind: PriceKind,
) -> Option<ComparableInput> {
    let field = format!("comparables[{index}]");
    let mut parts = spec.split(',');
    let (name, priced) = pair(errors, &field, parts.next().unwrap_or_default())?;
    let (price, weight) = match priced.split_once('@') {
        Some((price, weight)) => (price, Some(weight)),
        None => (priced, None),
    };
    let mut adjustments = Vec::new();
    for (position, part) in parts.enumerate() {
        let path = format!("{field}.adjustments[{position}]");
        let Some((factor, adjustment)) = pair(errors, &path, part) else {
            continue;
        };
        let (multiplier, pct) = match adjustment.trim().strip_suffix('%') {
            Some(pct) => (None, Some(one(errors, &format!("{path}.pct"), pct))),
            None => (
                Some(one(errors, &format!("{path}.multiplier"), adjustment)),
                None,
            ),
        };
        adjustments.push(AdjustmentInput {
            factor: factor.to_string(),
            multiplier,
            pct,
        });
    }
    Some(ComparableInput {
        name: name.to_string(),
        kind,
        price_yuan: one(errors, &format!("{field}.price_yuan"), price),
        weight: weight.map(|weight| one(errors, &format!("{field}.weight"), weight)),
        adjustments,
    })
}

/// A factor to show: ten decimals, half away from zero.
fn factor(value: Decimal) -> String {
    format!(
        "{:.10}",
        value.round_dp_with_strategy(10, RoundingStrategy::MidpointAwayFromZero)
    )
}

/// Columns a cell takes in a terminal: Chinese characters and full-width forms take two.
fn display_width(cell: &str) -> usize {
    cell.chars()
        .map(|character| match u32::from(character) {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// Rows as columns: the first left-aligned, the others right-aligned, two spaces apart.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .map(|cell| display_width(cell))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, width))| {
                let padding = " ".repeat(width.saturating_sub(display_width(cell)));
                if column == 0 {
                    format!("{cell}{padding}")
                } else {
                    format!("{padding}{cell}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|cell| cell.to_string()).collect()
}

fn totals_rows(totals: &IncomeTotals, rows: &mut Vec<Vec<String>>) {
    rows.push(row(&[
        "present values",
        &format_yuan(totals.present_value_sum_yuan),
    ]));
    if let Some(terminal) = &totals.terminal {
        rows.push(row(&[
            &format!(
                "terminal value (growth {} %, {} at year {}, factor {})",
                terminal.growth_rate_pct,
                format_yuan(terminal.value_at_last_year_yuan),
                terminal.last_year,
                factor(terminal.discount_factor)
            ),
            &format_yuan(terminal.present_value_yuan),
        ]));
    }
    if let Some(tab) = &totals.tab {
        rows.push(row(&[
            &format!(
                "TAB ({} years, AF {}, factor {})",
                tab.years,
                factor(tab.annuity_factor),
                factor(tab.factor)
            ),
            &format_yuan(tab.amount_yuan),
        ]));
    }
}

fn text(result: &ValuationResult) -> String {
    let method = result.method();
    let mut out = format!("{} — {}\n\n", method.name_zh(), method.name_en());
    let mut summary: Vec<Vec<String>> = Vec::new();
    let carried_on = match result {
        ValuationResult::ReliefFromRoyalty(result) => {
            result.years.iter().any(|line| line.extrapolated)
        }
        ValuationResult::ExcessEarnings(result) => {
            result.years.iter().any(|line| line.extrapolated)
        }
        ValuationResult::MarketComparables(_) | ValuationResult::Cost(_) => false,
    };
    let working = match result {
        ValuationResult::ReliefFromRoyalty(result) => {
            let mut rows = vec![row(&[
                "year",
                "revenue",
                "royalty",
                "tax",
                "after tax",
                "factor",
                "present value",
            ])];
            for line in &result.years {
                let mark = if line.extrapolated { "*" } else { "" };
                rows.push(vec![
                    format!("{}{mark}", line.year),
                    format_yuan(line.revenue_yuan),
                    format_yuan(line.royalty_yuan),
                    format_yuan(line.tax_yuan),
                    format_yuan(line.after_tax_royalty_yuan),
                    factor(line.discount_factor),
                    format_yuan(line.present_value_yuan),
                ]);
            }
            totals_rows(&result.totals, &mut summary);
            table(&rows)
        }
        ValuationResult::ExcessEarnings(result) => {
            let mut rows = vec![row(&[
                "year",
                "revenue",
                "earnings",
                "tax",
                "charges",
                "excess",
                "factor",
                "present value",
            ])];
            for line in &result.years {
                let mark = if line.extrapolated { "*" } else { "" };
                rows.push(vec![
                    format!("{}{mark}", line.year),
                    format_yuan(line.revenue_yuan),
                    format_yuan(line.operating_earnings_yuan),
                    format_yuan(line.tax_yuan),
                    format_yuan(line.contributory_charges_yuan),
                    format_yuan(line.excess_earnings_yuan),
                    factor(line.discount_factor),
                    format_yuan(line.present_value_yuan),
                ]);
            }
            totals_rows(&result.totals, &mut summary);
            table(&rows)
        }
        ValuationResult::MarketComparables(result) => {
            let mut rows = vec![row(&[
                "comparable",
                "price",
                "multiplier",
                "adjusted",
                "weight",
            ])];
            for one in &result.comparables {
                rows.push(vec![
                    one.name.clone(),
                    format_yuan(one.price_yuan),
                    factor(one.multiplier),
                    format_yuan(one.adjusted_price_yuan),
                    one.weight.normalize().to_string(),
                ]);
            }
            summary.push(row(&[
                "lowest – highest",
                &format!(
                    "{} – {}",
                    format_yuan(result.lowest_yuan),
                    format_yuan(result.highest_yuan)
                ),
            ]));
            summary.push(row(&[
                "range ÷ value, coefficient of variation",
                &format!(
                    "{} %, {} %",
                    format_yuan(result.range_pct),
                    format_yuan(result.coefficient_of_variation_pct)
                ),
            ]));
            table(&rows)
        }
        ValuationResult::Cost(result) => {
            let mut rows = vec![row(&["item", "yuan"])];
            for item in &result.items {
                rows.push(vec![item.name.clone(), format_yuan(item.amount_yuan)]);
            }
            rows.push(row(&["items", &format_yuan(result.items_total_yuan)]));
            rows.push(vec![
                format!("profit {} %", result.profit_rate_pct),
                format_yuan(result.profit_yuan),
            ]);
            rows.push(row(&["cost new", &format_yuan(result.cost_new_yuan)]));
            for step in &result.obsolescence {
                rows.push(vec![
                    format!("less {:?} obsolescence {} %", step.kind, step.pct).to_lowercase(),
                    format_yuan(-step.amount_yuan),
                ]);
            }
            table(&rows)
        }
    };
    out.push_str(&working);
    if carried_on {
        out.push_str("* past the forecast: the last forecast year carried on\n");
    }
    summary.push(row(&["value", &format_yuan(result.value_yuan())]));
    out.push('\n');
    out.push_str(&table(&summary));
    out.push_str("\nassumptions:\n");
    for assumption in result.assumptions() {
        out.push_str(&format!("  - {}\n    {}\n", assumption.en, assumption.zh));
    }
    out.push_str(&format!(
        "\nvalue: {} yuan\n",
        format_yuan(result.value_yuan())
    ));
    out
}

//! `ipyun value backtest FILE`: imports realised prices and back-tests the automated valuation
//! model (feature V3) on every realised price recorded.
//!
//! FILE is a CSV with a header row naming the columns `number,kind,amount_yuan,date[,source]`
//! (Chinese headers too: 专利号/申请号, 类型/交易类型, 金额/金额（元）, 日期/成交日期, 来源). `kind` is
//! licence_fee, sale, auction or acquisition (许可使用费, 转让, 拍卖, 收储); `amount_yuan` has at most
//! two decimals; `date` is `YYYY-MM-DD`; `source` defaults to the file's name. The rows are
//! recorded in `realised_prices` idempotently: a price already recorded (same number, kind, amount
//! and date) is counted as a duplicate, not added again.
//!
//! Then every recorded price of a patent in the register is compared with the model's range on
//! the price's date, for the purpose its kind matches (licence fee → licensing; sale, auction,
//! acquisition → transfer). A patent that has ended since is valued as in force.
//!
//! Output, `--format text` (default): the import's counts and its refused rows, the number of
//! prices compared and of those without a patent in the register, the median absolute
//! percentage error of the mid value (MdAPE, computed exactly and rounded once to 0.01%), the
//! coverage (share of prices inside [low, high]), both per purpose, and the 5 worst cases.
//! `--format json`: one object
//! `{"model_version", "import": {"rows", "inserted", "duplicates", "rejected": [{"line", "errors": [{"field", "code", "message"}]}]},
//! "prices", "unmatched", "count", "inside", "mdape_bp", "coverage_bp",
//! "by_purpose": [{"purpose", "count", "mdape_bp", "coverage_bp"}],
//! "worst": [{"number", "kind", "on_date", "price_fen", "low_fen", "mid_fen", "high_fen", "error_bp", "inside"}]}`
//! where `*_bp` are basis points (5000 = 50%; `null` without cases) and amounts are fen.
//!
//! Exit status: 0 when the back-test ran, 2 when it ran but rows of FILE were refused, 1 (an
//! error) when FILE cannot be read or is not a realised-price CSV, or the database fails.

use anyhow::Context;
use ipyun_app::auth::system_principal;
use ipyun_app::avm::{BacktestReport, RealisedPriceImport};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Files larger than this are refused (a realised-price file has at most 100,000 rows).
const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum BacktestFormat {
    #[default]
    Text,
    Json,
}

pub async fn run(data_dir: &Path, file: &Path, format: BacktestFormat) -> anyhow::Result<ExitCode> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    if size > MAX_FILE_BYTES {
        anyhow::bail!(
            "{} is larger than {} MiB",
            file.display(),
            MAX_FILE_BYTES >> 20
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let source = file.file_name().map_or_else(
        || "import".to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let app = crate::context::open_app(data_dir).await?;
    let operator = system_principal();
    let import = app
        .import_realised_prices_csv(&operator, &bytes, &source)
        .await
        .map_err(crate::admin::describe)?;
    let report = app
        .backtest_avm(&operator)
        .await
        .map_err(crate::admin::describe)?;
    match format {
        BacktestFormat::Text => print!("{}", render_text(&import, &report)),
        BacktestFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&render_json(&import, &report))?
        ),
    }
    Ok(if import.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// `50.00%` from basis points; `–` when there is no figure.
fn percent(bp: Option<u64>) -> String {
    bp.map_or_else(
        || "–".to_string(),
        |bp| format!("{}.{:02}%", bp / 100, bp % 100),
    )
}

/// `¥1,234.56`
fn yuan(fen: i64) -> String {
    let whole = (fen.unsigned_abs() / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}¥{grouped}.{:02}", fen.unsigned_abs() % 100)
}

pub fn render_text(import: &RealisedPriceImport, report: &BacktestReport) -> String {
    let mut out = String::new();
    let summary = &report.summary;
    let _ = writeln!(
        out,
        "imported {} of {} rows ({} already recorded, {} refused)",
        import.inserted,
        import.rows,
        import.duplicates,
        import.rejected.len()
    );
    for row in &import.rejected {
        for error in &row.errors {
            let _ = writeln!(
                out,
                "  line {}: {}: {}",
                row.line, error.field, error.message
            );
        }
    }
    let _ = writeln!(
        out,
        "back-test of model {} on {} realised prices ({} recorded, {} without a patent in the register)",
        report.model_version, summary.count, report.prices, report.unmatched
    );
    let _ = writeln!(
        out,
        "  median absolute percentage error  {}",
        percent(summary.mdape_bp)
    );
    let _ = writeln!(
        out,
        "  range coverage                    {} ({} of {} inside [low, high])",
        percent(summary.coverage_bp),
        summary.inside,
        summary.count
    );
    for purpose in &report.by_purpose {
        let _ = writeln!(
            out,
            "  {:<32}  n={}  MdAPE {}  coverage {}",
            purpose.purpose.as_str(),
            purpose.count,
            percent(purpose.mdape_bp),
            percent(purpose.coverage_bp)
        );
    }
    if !summary.worst.is_empty() {
        let _ = writeln!(out, "worst {}:", summary.worst.len());
        let _ = writeln!(
            out,
            "  {:<16} {:<12} {:<10} {:>18} {:>18} {:>18} {:>18} {:>10}",
            "number", "kind", "date", "price", "mid", "low", "high", "error"
        );
        for case in &summary.worst {
            let _ = writeln!(
                out,
                "  {:<16} {:<12} {:<10} {:>18} {:>18} {:>18} {:>18} {:>10}",
                case.number,
                case.kind.as_str(),
                case.on_date,
                yuan(case.price_fen),
                yuan(case.mid_fen),
                yuan(case.low_fen),
                yuan(case.high_fen),
                percent(Some(case.error_bp()))
            );
        }
    }
    out
}

pub fn render_json(import: &RealisedPriceImport, report: &BacktestReport) -> serde_json::Value {
    let summary = &report.summary;
    let worst: Vec<serde_json::Value> = summary
        .worst
        .iter()
        .map(|case| {
            serde_json::json!({
                "number": case.number, "kind": case.kind.as_str(), "on_date": case.on_date,
                "price_fen": case.price_fen, "low_fen": case.low_fen, "mid_fen": case.mid_fen,
                "high_fen": case.high_fen, "error_bp": case.error_bp(), "inside": case.inside(),
            })
        })
        .collect();
    serde_json::json!({
        "model_version": report.model_version,
        "import": import,
        "prices": report.prices,
        "unmatched": report.unmatched,
        "count": summary.count,
        "inside": summary.inside,
        "mdape_bp": summary.mdape_bp,
        "coverage_bp": summary.coverage_bp,
        "by_purpose": report.by_purpose,
        "worst": worst,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use ipyun_app::avm::{PriceRowError, PurposeSummary};
    use ipyun_domain::FieldError;
    use ipyun_domain::avm::Purpose;
    use ipyun_domain::avm::backtest::{BacktestCase, PriceKind, summarise};

    fn case(number: &str, kind: PriceKind, price: i64, mid: i64) -> BacktestCase {
        BacktestCase {
            number: number.into(),
            kind,
            on_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            price_fen: price,
            low_fen: mid / 2,
            mid_fen: mid,
            high_fen: mid * 2,
        }
    }

    fn fixture() -> (RealisedPriceImport, BacktestReport) {
        // Errors: 0, 1/3 (outside nothing), 1/2, 3 (outside): median (1/3 + 1/2) / 2 = 41.67%.
        let cases = [
            case("2021100000011", PriceKind::Sale, 10_000_000, 10_000_000),
            case(
                "2021100000022",
                PriceKind::LicenceFee,
                30_000_000,
                40_000_000,
            ),
            case("2021100000033", PriceKind::Auction, 20_000_000, 30_000_000),
            case(
                "2021100000044",
                PriceKind::Acquisition,
                5_000_000,
                20_000_000,
            ),
        ];
        let import = RealisedPriceImport {
            rows: 6,
            inserted: 4,
            duplicates: 1,
            rejected: vec![PriceRowError {
                line: 7,
                errors: vec![FieldError::new(
                    "kind",
                    "unknown_price_kind",
                    "price kind should be licence_fee, sale, auction or acquisition",
                )],
            }],
        };
        let report = BacktestReport {
            model_version: "gbt42748-avm-1",
            prices: 5,
            unmatched: 1,
            summary: summarise(&cases, 5),
            by_purpose: vec![PurposeSummary {
                purpose: Purpose::Licence,
                count: 1,
                mdape_bp: Some(2_500),
                coverage_bp: Some(10_000),
            }],
        };
        (import, report)
    }

    #[test]
    fn text_reports_the_figures_and_the_worst_cases() {
        let (import, report) = fixture();
        let text = render_text(&import, &report);
        assert!(
            text.starts_with(
                "imported 4 of 6 rows (1 already recorded, 1 refused)\n  line 7: kind: price kind"
            ),
            "{text}"
        );
        assert!(text.contains("back-test of model gbt42748-avm-1 on 4 realised prices (5 recorded, 1 without a patent in the register)"), "{text}");
        assert!(
            text.contains("median absolute percentage error  41.67%"),
            "{text}"
        );
        assert!(
            text.contains("range coverage                    75.00% (3 of 4 inside [low, high])"),
            "{text}"
        );
        assert!(
            text.contains("licence                           n=1  MdAPE 25.00%  coverage 100.00%"),
            "{text}"
        );
        let worst_line = text
            .lines()
            .find(|line| line.contains("2021100000044"))
            .unwrap();
        assert!(
            worst_line.contains("acquisition")
                && worst_line.contains("¥50,000.00")
                && worst_line.contains("300.00%"),
            "{worst_line}"
        );
        assert!(text.find("2021100000044").unwrap() < text.find("2021100000033").unwrap());
    }

    #[test]
    fn json_carries_count_mdape_and_coverage_in_basis_points() {
        let (import, report) = fixture();
        let json = render_json(&import, &report);
        assert_eq!(json["count"], 4);
        assert_eq!(json["mdape_bp"], 4_167);
        assert_eq!(json["coverage_bp"], 7_500);
        assert_eq!(json["import"]["duplicates"], 1);
        assert_eq!(json["import"]["rejected"][0]["line"], 7);
        assert_eq!(json["worst"][0]["error_bp"], 30_000);
        assert_eq!(json["worst"][0]["inside"], false);
        assert_eq!(json["by_purpose"][0]["purpose"], "licence");
        let empty = BacktestReport {
            summary: summarise(&[], 5),
            ..report
        };
        assert_eq!(
            render_json(&import, &empty)["mdape_bp"],
            serde_json::Value::Null
        );
        assert!(render_text(&import, &empty).contains("median absolute percentage error  –"));
    }
}

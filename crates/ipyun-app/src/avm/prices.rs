//! Realised prices (licence fees, sales, auctions, acquisitions) and the back-test of the
//! automated model against them.

use super::{ModelData, may_run_register_wide};
use crate::rights::normalise_right_number;
use crate::{App, AppError, Principal};
use chrono::NaiveDate;
use ipyun_db::indicators::{NewRealisedPrice, PatentForValuation};
use ipyun_domain::avm::backtest::{
    BacktestCase, BacktestSummary, PriceKind, parse_amount_yuan, summarise,
};
use ipyun_domain::avm::{MODEL_VERSION, Purpose};
use ipyun_domain::right::LegalStatus;
use ipyun_domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Rows of one realised-price file at most.
pub const MAX_PRICE_ROWS: usize = 100_000;
/// The worst cases a back-test lists.
pub const WORST_CASES: usize = 5;
const MAX_SOURCE_CHARS: usize = 200;

/// A realised price as a user or a file gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
pub struct RealisedPriceDraft {
    pub number: String,
    /// licence_fee, sale, auction or acquisition (or 许可使用费, 转让, 拍卖, 收储).
    pub kind: String,
    /// Yuan, at most two decimals: `125000.50`.
    pub amount_yuan: String,
    /// `YYYY-MM-DD`
    pub date: String,
    #[serde(default)]
    pub source: Option<String>,
}

impl RealisedPriceDraft {
    pub fn validate(&self, default_source: &str) -> Result<NewRealisedPrice, FieldErrors> {
        let mut errors = FieldErrors::default();
        let number = normalise_right_number(&self.number);
        if number.is_empty() || number.chars().count() > 64 {
            errors.push(FieldError::new(
                "number",
                "required",
                "a right number is required",
            ));
        }
        let kind = errors.parse("kind", PriceKind::parse(&self.kind));
        let amount_fen = errors.parse("amount_yuan", parse_amount_yuan(&self.amount_yuan));
        let on_date = self.date.trim().parse::<NaiveDate>().ok();
        if on_date.is_none() {
            errors.push(FieldError::new(
                "date",
                "date",
                "a date is written YYYY-MM-DD",
            ));
        }
        let source = self
            .source
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .unwrap_or(default_source);
        if source.chars().count() > MAX_SOURCE_CHARS {
            errors.push(FieldError::new(
                "source",
                "too_long",
                format!("at most {MAX_SOURCE_CHARS} characters"),
            ));
        }
        errors.into_result()?;
        match (kind, amount_fen, on_date) {
            (Some(kind), Some(amount_fen), Some(on_date)) => Ok(NewRealisedPrice {
                right_number: number,
                kind,
                amount_fen,
                on_date,
                source: source.to_string(),
            }),
            _ => Err(FieldErrors(vec![FieldError::new(
                "row",
                "invalid",
                "the row is invalid",
            )])),
        }
    }
}

/// A row of a realised-price file that was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceRowError {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RealisedPriceImport {
    pub rows: u64,
    pub inserted: u64,
    /// Valid rows already recorded (same number, kind, amount and date).
    pub duplicates: u64,
    pub rejected: Vec<PriceRowError>,
}

/// A back-test's figures for one purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurposeSummary {
    pub purpose: Purpose,
    pub count: u64,
    pub mdape_bp: Option<u64>,
    pub coverage_bp: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BacktestReport {
    pub model_version: &'static str,
    /// Realised prices recorded.
    pub prices: u64,
    /// Prices whose number is not a patent of the register (not compared).
    pub unmatched: u64,
    pub summary: BacktestSummary,
    pub by_purpose: Vec<PurposeSummary>,
}

/// The column a header names, in the order `number, kind, amount_yuan, date, source`.
fn column_of(header: &str) -> Option<usize> {
    let name = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase();
    let column = match name.as_str() {
        "number" | "right_number" | "号码" | "专利号" | "申请号" | "权利号" => 0,
        "kind" | "price_kind" | "类型" | "价格类型" | "交易类型" => 1,
        "amount_yuan" | "amount" | "金额" | "金额（元）" | "金额(元)" | "价格" | "成交价" => {
            2
        }
        "date" | "on_date" | "日期" | "成交日期" => 3,
        "source" | "来源" | "数据来源" => 4,
        _ => return None,
    };
    Some(column)
}

/// Parses a realised-price CSV: a header row, then `number,kind,amount_yuan,date[,source]`.
pub(crate) fn parse_prices_csv(
    bytes: &[u8],
    default_source: &str,
) -> Result<(Vec<NewRealisedPrice>, Vec<PriceRowError>), AppError> {
    let bad_file = |message: String| {
        AppError::validation(FieldErrors(vec![FieldError::new("file", "csv", message)]))
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|error| bad_file(format!("unreadable header: {error}")))?
        .clone();
    let positions: Vec<Option<usize>> = headers.iter().map(column_of).collect();
    for (required, name) in [(0, "number"), (1, "kind"), (2, "amount_yuan"), (3, "date")] {
        if !positions.contains(&Some(required)) {
            return Err(bad_file(format!("the header names no {name} column")));
        }
    }
    let mut prices = Vec::new();
    let mut rejected = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        if index >= MAX_PRICE_ROWS {
            return Err(bad_file(format!("at most {MAX_PRICE_ROWS} rows per file")));
        }
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                rejected.push(PriceRowError {
                    line,
                    errors: vec![FieldError::new("row", "csv", error.to_string())],
                });
                continue;
            }
        };
        let mut values: [String; 5] = Default::default();
        for (value, position) in record.iter().zip(&positions) {
            if let Some(column) = position {
                values[*column] = value.to_string();
            }
        }
        let [number, kind, amount_yuan, date, source] = values;
        let draft = RealisedPriceDraft {
            number,
            kind,
            amount_yuan,
            date,
            source: Some(source),
        };
        match draft.validate(default_source) {
            Ok(price) => prices.push(price),
            Err(errors) => rejected.push(PriceRowError {
                line,
                errors: errors.0,
            }),
        }
    }
    Ok((prices, rejected))
}

/// The back-test's cases: each price beside the model's range on the price's date. A right that
/// has ended since is valued as in force: it was when it was sold or licensed.
pub(crate) fn backtest_case(
    data: &ModelData,
    patent: &PatentForValuation,
    price: &NewRealisedPrice,
) -> BacktestCase {
    let mut indicators = data.indicators(patent);
    if indicators.legal_status.is_terminal() {
        indicators.legal_status = LegalStatus::InForce;
    }
    let score = data
        .model
        .on(price.on_date)
        .score(&indicators, price.kind.purpose());
    BacktestCase {
        number: price.right_number.clone(),
        kind: price.kind,
        on_date: price.on_date,
        price_fen: price.amount_fen,
        low_fen: score.low_fen,
        mid_fen: score.mid_fen,
        high_fen: score.high_fen,
    }
}

impl App {
    /// Records one realised price; `false` when the same price was already recorded.
    pub async fn record_realised_price(
        &self,
        principal: &Principal,
        draft: &RealisedPriceDraft,
    ) -> Result<bool, AppError> {
        if !may_run_register_wide(principal) {
            return Err(AppError::forbidden(
                "only the platform's administrators and the IP offices record realised prices",
            ));
        }
        let price = draft.validate("manual").map_err(AppError::validation)?;
        let now = self.clock.now();
        let inserted = self
            .db
            .insert_realised_prices(std::slice::from_ref(&price), now)
            .await?;
        if inserted > 0 {
            let after = serde_json::json!({
                "kind": price.kind.as_str(), "amount_fen": price.amount_fen,
                "on_date": price.on_date, "source": price.source,
            });
            self.db
                .append_audit(
                    &principal.username,
                    "realised_price.record",
                    "right",
                    &price.right_number,
                    Some(&after.to_string()),
                    now,
                )
                .await?;
        }
        Ok(inserted > 0)
    }

    /// Imports a realised-price CSV idempotently: a row already recorded is counted, not added.
    pub async fn import_realised_prices_csv(
        &self,
        principal: &Principal,
        bytes: &[u8],
        default_source: &str,
    ) -> Result<RealisedPriceImport, AppError> {
        if !may_run_register_wide(principal) {
            return Err(AppError::forbidden(
                "only the platform's administrators and the IP offices import realised prices",
            ));
        }
        let (rows, rejected) = parse_prices_csv(bytes, default_source)?;
        let now = self.clock.now();
        let inserted = self.db.insert_realised_prices(&rows, now).await?;
        let report = RealisedPriceImport {
            rows: (rows.len() + rejected.len()) as u64,
            inserted,
            duplicates: rows.len() as u64 - inserted,
            rejected,
        };
        let after = serde_json::json!({
            "rows": report.rows, "inserted": report.inserted,
            "duplicates": report.duplicates, "rejected": report.rejected.len(),
        });
        self.db
            .append_audit(
                &principal.username,
                "realised_price.import",
                "realised_prices",
                default_source,
                Some(&after.to_string()),
                now,
            )
            .await?;
        Ok(report)
    }

    /// Compares every recorded realised price of a patent in the register with the model's range
    /// for the purpose its kind matches (licence fee → licence; sale, auction, acquisition →
    /// transfer), valued on the price's date.
    pub async fn backtest_avm(&self, principal: &Principal) -> Result<BacktestReport, AppError> {
        if !may_run_register_wide(principal) {
            return Err(AppError::forbidden(
                "only the platform's administrators and the IP offices run the back-test",
            ));
        }
        let data = self.fresh_model_data().await?;
        let mut patents: HashMap<String, Option<PatentForValuation>> = HashMap::new();
        let mut cases = Vec::new();
        let (mut prices, mut unmatched, mut after_id) = (0u64, 0u64, 0i64);
        loop {
            let batch = self.db.realised_prices_after(after_id, 5_000).await?;
            let Some(last) = batch.last() else { break };
            after_id = last.id;
            for row in batch {
                prices += 1;
                let Ok(kind) = PriceKind::parse(&row.kind) else {
                    unmatched += 1;
                    continue;
                };
                if !patents.contains_key(&row.right_number) {
                    let patent = self
                        .db
                        .patent_for_valuation_by_number(&row.right_number)
                        .await?;
                    patents.insert(row.right_number.clone(), patent);
                }
                let Some(Some(patent)) = patents.get(&row.right_number) else {
                    unmatched += 1;
                    continue;
                };
                let price = NewRealisedPrice {
                    right_number: row.right_number,
                    kind,
                    amount_fen: row.amount_fen,
                    on_date: row.on_date,
                    source: row.source,
                };
                cases.push(backtest_case(&data, patent, &price));
            }
        }
        let by_purpose = [Purpose::Licence, Purpose::Transfer]
            .into_iter()
            .map(|purpose| {
                let own: Vec<BacktestCase> = cases
                    .iter()
                    .filter(|case| case.kind.purpose() == purpose)
                    .cloned()
                    .collect();
                let summary = summarise(&own, 0);
                PurposeSummary {
                    purpose,
                    count: summary.count,
                    mdape_bp: summary.mdape_bp,
                    coverage_bp: summary.coverage_bp,
                }
            })
            .collect();
        Ok(BacktestReport {
            model_version: MODEL_VERSION,
            prices,
            unmatched,
            summary: summarise(&cases, WORST_CASES),
            by_purpose,
        })
    }
}

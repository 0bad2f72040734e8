//! A screening run as an XLSX workbook: the ranked list (rank, enterprise, USCC, region, score,
//! pre-approved amount in yuan, the explanation in Chinese), then the rule set with the run's
//! versions and digests, so the sheet can be traced back to what produced it.

use crate::screenings::ScreeningRunView;
use crate::{App, AppError, ErrorKind};
use calamine::{Reader, Xlsx};
use ipyun_db::screenings::ResultRecord;
use ipyun_domain::account::Principal;
use ipyun_domain::market::RuleSet;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

fn failed(error: XlsxError) -> AppError {
    tracing::error!(%error, "screening workbook");
    AppError::new(
        ErrorKind::Internal,
        "internal",
        "the workbook could not be written",
    )
}

fn unreadable(error: impl std::fmt::Display) -> AppError {
    AppError::new(
        ErrorKind::BadRequest,
        "screening.workbook_unreadable",
        format!("not a readable workbook: {error}"),
    )
}

fn yuan(fen: i64) -> f64 {
    // Fen up to 2^53 (about 9 × 10^15 fen, 90 trillion yuan) are exact as an f64; dividing by
    // 100 gives the double nearest the exact yuan, which the two-decimal format shows exactly.
    // Pre-approved amounts are capped far below that. The exact fen are in the JSON API.
    fen as f64 / 100.0
}

fn row(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

const LIST_HEADERS: [&str; 8] = [
    "排名 Rank",
    "企业 Enterprise",
    "统一社会信用代码 USCC",
    "地区 Region",
    "得分 Score",
    "准入 Passed",
    "预授信额度（元） Pre-approved (yuan)",
    "说明 Explanation",
];

fn build(
    run: &ScreeningRunView,
    rules: &RuleSet,
    results: &[ResultRecord],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let money = Format::new().set_num_format("#,##0.00");
    let score = Format::new().set_num_format("0.00");
    let list = workbook.add_worksheet().set_name("白名单 White-list")?;
    for (column, header) in LIST_HEADERS.iter().enumerate() {
        list.write_string(0, u16::try_from(column).unwrap_or(u16::MAX), *header)?;
    }
    for (index, result) in results.iter().enumerate() {
        let at = row(index);
        let explanation = crate::screenings::explanation_of(rules, result);
        let mut words = explanation.summary_zh.clone();
        for line in explanation
            .filters
            .iter()
            .map(|filter| &filter.zh)
            .chain(explanation.factors.iter().map(|factor| &factor.zh))
        {
            words.push('；');
            words.push_str(line);
        }
        // Ranks and scores (≤ 10,000 bp) are small integers: exact as numbers.
        list.write_number(at, 0, result.rank as f64)?;
        list.write_string(at, 1, &result.facts.name)?;
        list.write_string(at, 2, result.facts.uscc.as_deref().unwrap_or(""))?;
        list.write_string(at, 3, result.facts.region.as_deref().unwrap_or(""))?;
        list.write_number_with_format(at, 4, result.score_bp as f64 / 100.0, &score)?;
        list.write_string(at, 5, if result.passed { "是" } else { "否" })?;
        list.write_number_with_format(at, 6, yuan(result.pre_approved_fen), &money)?;
        list.write_string(at, 7, &words)?;
    }
    list.set_column_width(1, 32)?;
    list.set_column_width(2, 22)?;
    list.set_column_width(6, 20)?;
    list.set_column_width(7, 80)?;

    let about = workbook.add_worksheet().set_name("规则 Rules")?;
    let rules_json = serde_json::to_string_pretty(rules).unwrap_or_default();
    let lines: [(&str, String); 12] = [
        ("筛选批次 Run", run.id.to_string()),
        (
            "规则集 Rule set",
            format!("{} ({})", rules.name, run.rule_set_id),
        ),
        ("规则版本 Rule version", run.rule_set_version.to_string()),
        ("模型 Model", run.model.clone()),
        ("筛选日期 As of", run.as_of.to_string()),
        (
            "输入摘要 Inputs digest (SHA-256)",
            run.inputs_digest.clone(),
        ),
        (
            "结果摘要 Results digest (SHA-256)",
            run.results_digest.clone(),
        ),
        ("筛选企业数 Screened", run.screened.to_string()),
        ("通过数 Passed", run.passed.to_string()),
        (
            "预授信合计（元） Pre-approved total (yuan)",
            ipyun_domain::market::yuan_text(run.pre_approved_fen),
        ),
        (
            "操作人 By",
            format!("{} {}", run.created_by, run.created_at),
        ),
        ("规则 Rules (JSON)", rules_json),
    ];
    about.write_string(0, 0, "项目 Item")?;
    about.write_string(0, 1, "值 Value")?;
    for (index, (label, value)) in lines.iter().enumerate() {
        about.write_string(row(index), 0, *label)?;
        about.write_string(row(index), 1, value)?;
    }
    about.set_column_width(0, 36)?;
    about.set_column_width(1, 80)?;
    workbook.save_to_buffer()
}

/// The first sheet of a workbook as text cells, row by row (to check an export, or read a
/// white-list back).
pub fn read_screening_workbook(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("no sheet"))?
        .map_err(unreadable)?;
    Ok(range
        .rows()
        .map(|cells| cells.iter().map(ToString::to_string).collect())
        .collect())
}

impl App {
    /// The run as an XLSX workbook, for its owner.
    pub async fn screening_xlsx(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<Vec<u8>, AppError> {
        let (run, rules, results) = self.whole_screening(principal, id).await?;
        tokio::task::spawn_blocking(move || build(&run, &rules, &results).map_err(failed))
            .await
            .map_err(|error| {
                tracing::error!(%error, "screening workbook task");
                AppError::new(
                    ErrorKind::Internal,
                    "internal",
                    "an internal error occurred",
                )
            })?
    }
}

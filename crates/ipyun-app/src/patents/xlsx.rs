//! The landscape report as an XLSX workbook: a summary sheet, then one sheet per table, headers
//! in Chinese and English.

use crate::{AppError, ErrorKind};
use ipyun_search::Landscape;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

fn failed(error: XlsxError) -> AppError {
    tracing::error!(%error, "landscape workbook");
    AppError::new(
        ErrorKind::Internal,
        "internal",
        "the workbook could not be written",
    )
}

fn sheet<'a>(
    workbook: &'a mut Workbook,
    name: &str,
    headers: &[&str],
) -> Result<&'a mut Worksheet, XlsxError> {
    let worksheet = workbook.add_worksheet().set_name(name)?;
    for (column, header) in headers.iter().enumerate() {
        worksheet.write_string(0, u16::try_from(column).unwrap_or(u16::MAX), *header)?;
    }
    Ok(worksheet)
}

fn row(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

fn count(value: u64) -> f64 {
    // Counts of patents are far below 2^53: exact as a spreadsheet number.
    value as f64
}

fn build(query: &str, report: &Landscape) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let summary = sheet(&mut workbook, "概览 Summary", &["项目 Item", "值 Value"])?;
    let lines: [(&str, String); 7] = [
        ("检索式 Query", query.to_string()),
        ("截至 As of", report.as_of.to_string()),
        ("专利数 Patents", report.total.to_string()),
        ("申请人数 Applicants", report.applicant_count.to_string()),
        (
            "新进入者 New entrants",
            report.new_entrant_count.to_string(),
        ),
        ("授权数 Granted", report.granted.to_string()),
        (
            "授权占比 Grant share",
            format!("{:.1}%", report.grant_share * 100.0),
        ),
    ];
    for (index, (label, value)) in lines.iter().enumerate() {
        summary.write_string(row(index), 0, *label)?;
        summary.write_string(row(index), 1, value)?;
    }

    let years = sheet(
        &mut workbook,
        "年度 Years",
        &["年份 Year", "申请量 Filings"],
    )?;
    for (index, year) in report.filings_per_year.iter().enumerate() {
        years.write_number(row(index), 0, f64::from(year.year))?;
        years.write_number(row(index), 1, count(year.count))?;
    }
    for (name, rows) in [
        ("IPC小类 Subclasses", &report.ipc_subclasses),
        ("省份 Provinces", &report.provinces),
        ("法律状态 Status", &report.legal_status),
    ] {
        let worksheet = sheet(
            &mut workbook,
            name,
            &["代码 Key", "名称 Label", "数量 Count"],
        )?;
        for (index, item) in rows.iter().enumerate() {
            worksheet.write_string(row(index), 0, &item.key)?;
            worksheet.write_string(row(index), 1, item.label.as_deref().unwrap_or(""))?;
            worksheet.write_number(row(index), 2, count(item.count))?;
        }
    }
    let applicants = sheet(
        &mut workbook,
        "申请人 Applicants",
        &[
            "申请人 Applicant",
            "合计 Total",
            "上一完整年 Last full year",
            "前一年 Year before",
            "增长 Growth",
        ],
    )?;
    for (index, trend) in report.top_applicants.iter().enumerate() {
        applicants.write_string(row(index), 0, &trend.name)?;
        applicants.write_number(row(index), 1, count(trend.total))?;
        applicants.write_number(row(index), 2, count(trend.last_year))?;
        applicants.write_number(row(index), 3, count(trend.year_before))?;
        match trend.growth {
            Some(growth) => {
                applicants.write_string(row(index), 4, format!("{:.1}%", growth * 100.0))?
            }
            None => applicants.write_string(row(index), 4, "—")?,
        };
    }
    let entrants = sheet(
        &mut workbook,
        "新进入者 New entrants",
        &["申请人 Applicant", "首次申请 First filing", "合计 Total"],
    )?;
    for (index, entrant) in report.new_entrants.iter().enumerate() {
        entrants.write_string(row(index), 0, &entrant.name)?;
        entrants.write_string(row(index), 1, entrant.first_filing.to_string())?;
        entrants.write_number(row(index), 2, count(entrant.total))?;
    }
    let pairs = sheet(
        &mut workbook,
        "合作 Co-applicants",
        &["申请人 Applicant", "申请人 Applicant", "共同申请 Together"],
    )?;
    for (index, pair) in report.co_applicants.iter().enumerate() {
        pairs.write_string(row(index), 0, &pair.first)?;
        pairs.write_string(row(index), 1, &pair.second)?;
        pairs.write_number(row(index), 2, count(pair.count))?;
    }
    workbook.save_to_buffer()
}

pub(super) fn landscape_workbook(query: &str, report: &Landscape) -> Result<Vec<u8>, AppError> {
    build(query, report).map_err(failed)
}

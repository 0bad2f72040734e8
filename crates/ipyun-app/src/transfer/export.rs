//! Exports: the same columns as imports, so an export re-imports unchanged. Rows are read from the
//! database in batches (keyset by id) and written on a blocking thread.

use super::columns::{Column, PARTY_COLUMNS, RIGHT_COLUMNS};
use super::{ExportProgress, FileFormat, internal};
use crate::{App, AppError, ErrorKind, Principal};
use ipyun_db::rights::RightFilter;
use ipyun_domain::account::RightScope;
use ipyun_domain::page::PageRequest;
use ipyun_domain::party::{Party, PartyKind};
use ipyun_domain::right::Right;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;

const EXPORT_BATCH: i64 = 5_000;
/// Excel's last row is 1,048,576; one is the header.
const XLSX_MAX_DATA_ROWS: u64 = 1_048_575;

type Rows = Vec<Vec<String>>;

fn write_failed(out: &Path, error: impl std::fmt::Display) -> AppError {
    AppError::new(
        ErrorKind::BadRequest,
        "export.write_failed",
        format!("cannot write {}: {error}", out.display()),
    )
}

fn write_csv(
    out: &Path,
    layout: &[Column],
    receiver: &mut mpsc::Receiver<Rows>,
) -> Result<(), AppError> {
    let file = std::fs::File::create(out).map_err(|error| write_failed(out, error))?;
    let mut writer =
        csv::WriterBuilder::new().from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    writer
        .write_record(layout.iter().map(|column| column.name))
        .map_err(|error| write_failed(out, error))?;
    while let Some(rows) = receiver.blocking_recv() {
        for row in rows {
            writer
                .write_record(&row)
                .map_err(|error| write_failed(out, error))?;
        }
    }
    let mut inner = writer
        .into_inner()
        .map_err(|error| write_failed(out, error.error()))?;
    inner.flush().map_err(|error| write_failed(out, error))?;
    inner
        .get_ref()
        .sync_all()
        .map_err(|error| write_failed(out, error))
}

fn write_xlsx(
    out: &Path,
    sheet_name: &str,
    layout: &[Column],
    receiver: &mut mpsc::Receiver<Rows>,
) -> Result<(), AppError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(sheet_name)
        .map_err(|error| write_failed(out, error))?;
    for (column, header) in (0u16..).zip(layout) {
        sheet
            .write_string(0, column, header.name)
            .map_err(|error| write_failed(out, error))?;
    }
    let mut row_number: u32 = 0;
    while let Some(rows) = receiver.blocking_recv() {
        for row in rows {
            row_number += 1;
            for (column, cell) in (0u16..).zip(row) {
                if !cell.is_empty() {
                    sheet
                        .write_string(row_number, column, cell)
                        .map_err(|error| write_failed(out, error))?;
                }
            }
        }
    }
    workbook.save(out).map_err(|error| write_failed(out, error))
}

/// Starts the file writer: batches of rows go in through the returned sender.
fn start_writer(
    format: FileFormat,
    out: &Path,
    sheet_name: &'static str,
    layout: &'static [Column],
) -> (
    mpsc::Sender<Rows>,
    tokio::task::JoinHandle<Result<(), AppError>>,
) {
    let (sender, mut receiver) = mpsc::channel::<Rows>(4);
    let out: PathBuf = out.to_path_buf();
    let writer = tokio::task::spawn_blocking(move || match format {
        FileFormat::Csv => write_csv(&out, layout, &mut receiver),
        FileFormat::Xlsx => write_xlsx(&out, sheet_name, layout, &mut receiver),
        FileFormat::Jsonl => Err(AppError::new(
            crate::ErrorKind::BadRequest,
            "export.unsupported_format",
            "exports are written as .csv or .xlsx",
        )),
    });
    (sender, writer)
}

async fn finish_writer(
    writer: tokio::task::JoinHandle<Result<(), AppError>>,
) -> Result<(), AppError> {
    writer
        .await
        .map_err(|error| internal("the export writer failed", error))?
}

fn date(date: Option<chrono::NaiveDate>) -> String {
    date.map(|date| date.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A right as a row of [`RIGHT_COLUMNS`].
fn right_cells(right: &Right) -> Vec<String> {
    let holders: Vec<String> = right
        .holders
        .iter()
        .map(|holder| {
            let uscc = holder.uscc.as_ref().map(|uscc| uscc.as_str()).unwrap_or("");
            format!("{}|{}|{}", holder.name, uscc, holder.share_bp)
        })
        .collect();
    vec![
        right.kind.as_str().to_string(),
        right.number.clone(),
        right.title.clone(),
        date(Some(right.filing_date)),
        date(right.grant_date),
        right.legal_status.as_str().to_string(),
        date(right.annual_fee_paid_until),
        right
            .nice_class
            .map(|class| class.to_string())
            .unwrap_or_default(),
        right.ipc_main.clone().unwrap_or_default(),
        right.renewals.to_string(),
        holders.join(";"),
    ]
}

/// A party as a row of [`PARTY_COLUMNS`]; the park by name, the head lender by USCC (else name).
fn party_cells(party: &Party, by_id: &HashMap<i64, (Option<String>, String)>) -> Vec<String> {
    let optional = |value: &Option<String>| value.clone().unwrap_or_default();
    let year = |value: Option<i32>| value.map(|year| year.to_string()).unwrap_or_default();
    let park = party
        .park_id
        .and_then(|id| by_id.get(&id))
        .map(|(_, name)| name.clone())
        .unwrap_or_default();
    let parent = party
        .parent_id
        .and_then(|id| by_id.get(&id))
        .map(|(uscc, name)| uscc.clone().unwrap_or_else(|| name.clone()))
        .unwrap_or_default();
    vec![
        party.kind.as_str().to_string(),
        party.name.clone(),
        optional(&party.uscc),
        optional(&party.region),
        optional(&party.industry),
        party
            .size_class
            .map(|size| size.as_str().to_string())
            .unwrap_or_default(),
        park,
        parent,
        year(party.specialised_sme_year),
        year(party.little_giant_year),
        party
            .park_kind
            .map(|kind| kind.as_str().to_string())
            .unwrap_or_default(),
        party
            .office_level
            .map(|level| level.as_str().to_string())
            .unwrap_or_default(),
        optional(&party.credit_rating),
        optional(&party.contact_name),
        optional(&party.contact_phone),
        optional(&party.address),
    ]
}

/// Parties in an order an import can follow: parks, then lenders (each after its head), then the rest.
fn import_order(parties: Vec<Party>) -> Vec<Party> {
    let parent_of: HashMap<i64, Option<i64>> = parties
        .iter()
        .map(|party| (party.id, party.parent_id))
        .collect();
    let depth = |mut id: i64| {
        let mut depth = 0u32;
        while let Some(Some(parent)) = parent_of.get(&id) {
            depth += 1;
            id = *parent;
            if depth > 64 {
                break;
            }
        }
        depth
    };
    let mut ranked: Vec<(u32, u32, Party)> = parties
        .into_iter()
        .map(|party| {
            let rank = match party.kind {
                PartyKind::Park => 0,
                PartyKind::Lender => 1,
                _ => 2,
            };
            (rank, depth(party.id), party)
        })
        .collect();
    ranked.sort_by_key(|(rank, depth, party)| (*rank, *depth, party.id));
    ranked.into_iter().map(|(_, _, party)| party).collect()
}

impl App {
    /// Writes the rights the principal may see to `out`; returns the number of rows written.
    pub async fn export_rights(
        &self,
        principal: &Principal,
        format: FileFormat,
        out: &Path,
        progress: &(dyn Fn(ExportProgress) + Send + Sync),
    ) -> Result<u64, AppError> {
        let mut filter = RightFilter::default();
        let visible = match principal.right_scope() {
            RightScope::All => true,
            RightScope::HeldBy(party_id) => {
                filter.holder_party_id = Some(party_id);
                true
            }
            RightScope::InPark(park_id) => {
                filter.park_id = Some(park_id);
                true
            }
            RightScope::Nothing => false,
        };
        let rows_total = if visible {
            self.db
                .list_rights(&filter, PageRequest::new(Some(1), Some(1)))
                .await?
                .total
        } else {
            0
        };
        if format == FileFormat::Xlsx && rows_total > XLSX_MAX_DATA_ROWS {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "export.too_many_rows",
                format!(
                    "a spreadsheet holds at most {XLSX_MAX_DATA_ROWS} rows; export these {rows_total} rights as CSV"
                ),
            ));
        }
        let (sender, writer) = start_writer(format, out, "rights", RIGHT_COLUMNS);
        let mut rows_done: u64 = 0;
        let mut after_id = 0;
        let mut more = visible;
        while more {
            let batch = self
                .db
                .rights_after(&filter, after_id, EXPORT_BATCH)
                .await?;
            let Some(last) = batch.last() else { break };
            after_id = last.id;
            rows_done += u64::try_from(batch.len()).unwrap_or(0);
            more = i64::try_from(batch.len()).unwrap_or(0) >= EXPORT_BATCH;
            let rows: Rows = batch.iter().map(right_cells).collect();
            if sender.send(rows).await.is_err() {
                break;
            }
            if more {
                progress(ExportProgress {
                    rows_done,
                    rows_total: rows_total.max(rows_done),
                });
            }
        }
        progress(ExportProgress {
            rows_done,
            rows_total: rows_total.max(rows_done),
        });
        drop(sender);
        finish_writer(writer).await?;
        tracing::info!(rows_done, file = %out.display(), "rights exported");
        Ok(rows_done)
    }

    /// Writes every party to `out`, private fields blanked where the principal may not see them.
    pub async fn export_parties(
        &self,
        principal: &Principal,
        format: FileFormat,
        out: &Path,
        progress: &(dyn Fn(ExportProgress) + Send + Sync),
    ) -> Result<u64, AppError> {
        let mut parties = Vec::new();
        let mut after_id = 0;
        loop {
            let batch = self.db.parties_after(after_id, EXPORT_BATCH).await?;
            let Some(last) = batch.last() else { break };
            after_id = last.id;
            let full = i64::try_from(batch.len()).unwrap_or(0) >= EXPORT_BATCH;
            parties.extend(batch);
            if !full {
                break;
            }
        }
        let rows_total = u64::try_from(parties.len()).unwrap_or(0);
        if format == FileFormat::Xlsx && rows_total > XLSX_MAX_DATA_ROWS {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "export.too_many_rows",
                format!(
                    "a spreadsheet holds at most {XLSX_MAX_DATA_ROWS} rows; export these {rows_total} parties as CSV"
                ),
            ));
        }
        let by_id: HashMap<i64, (Option<String>, String)> = parties
            .iter()
            .map(|party| (party.id, (party.uscc.clone(), party.name.clone())))
            .collect();
        let (sender, writer) = start_writer(format, out, "parties", PARTY_COLUMNS);
        let mut rows_done: u64 = 0;
        let ordered = import_order(parties);
        for chunk in ordered.chunks(usize::try_from(EXPORT_BATCH).unwrap_or(5_000)) {
            let rows: Rows = chunk
                .iter()
                .map(|party| {
                    if principal.may_see_private(party) {
                        party_cells(party, &by_id)
                    } else {
                        party_cells(&party.clone().without_private_fields(), &by_id)
                    }
                })
                .collect();
            rows_done += u64::try_from(rows.len()).unwrap_or(0);
            if sender.send(rows).await.is_err() {
                break;
            }
            progress(ExportProgress {
                rows_done,
                rows_total,
            });
        }
        drop(sender);
        finish_writer(writer).await?;
        tracing::info!(rows_done, file = %out.display(), "parties exported");
        Ok(rows_done)
    }
}

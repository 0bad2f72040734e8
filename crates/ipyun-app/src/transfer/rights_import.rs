//! Importing rights: a blocking thread parses and validates rows into batches of [`NewRight`],
//! an async writer upserts each batch in one transaction while the next is being parsed.

use super::columns::{RIGHT_COLUMNS, column_of};
use super::source::{RowSink, read_rows};
use super::{BATCH_ROWS, FileFormat, ImportProgress, Input, Rejection, Tally, internal};
use crate::{App, AppError, ErrorKind};
use chrono::NaiveDate;
use ipyun_domain::FieldError;
use ipyun_domain::right::{HolderDraft, NewRight, RightDraft};
use std::collections::HashMap;
use tokio::sync::mpsc;

const KIND: usize = 0;
const NUMBER: usize = 1;
const TITLE: usize = 2;
const FILING_DATE: usize = 3;
const GRANT_DATE: usize = 4;
const LEGAL_STATUS: usize = 5;
const ANNUAL_FEE_PAID_UNTIL: usize = 6;
const NICE_CLASS: usize = 7;
const IPC_MAIN: usize = 8;
const RENEWALS: usize = 9;
const HOLDERS: usize = 10;

/// Batches parsed ahead of the writer: enough to keep it busy, few enough to bound memory.
const CHANNEL_BATCHES: usize = 2;

pub(super) fn text(cell: &str) -> Option<String> {
    let trimmed = cell.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// A date cell; `2021/3/5` (as spreadsheets often write dates) is read as `2021-03-05`.
pub(super) fn date(cell: &str) -> Option<String> {
    let trimmed = cell.trim();
    if trimmed.contains('/')
        && let Ok(date) = NaiveDate::parse_from_str(trimmed, "%Y/%m/%d")
    {
        return Some(date.format("%Y-%m-%d").to_string());
    }
    text(trimmed)
}

/// `name|uscc|share_bp;name|uscc|share_bp…`, the USCC and the share optional.
fn holder_drafts(cell: &str, findings: &mut Vec<FieldError>) -> Vec<HolderDraft> {
    let mut holders = Vec::new();
    for (index, entry) in cell
        .split(';')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .enumerate()
    {
        let mut parts = entry.split('|');
        let (name, uscc, share) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        if parts.next().is_some() {
            findings.push(FieldError::new(
                format!("holders[{index}]"),
                "format",
                format!("a holder is written name|uscc|share_bp; found {entry:?}"),
            ));
            continue;
        }
        let share_bp = match share.trim() {
            "" => None,
            digits => match digits.parse::<u32>() {
                Ok(share) => Some(share),
                Err(_) => {
                    findings.push(FieldError::new(
                        format!("holders[{index}].share_bp"),
                        "number_format",
                        format!("a share is a whole number of basis points (10000 = all); found {digits:?}"),
                    ));
                    None
                }
            },
        };
        holders.push(HolderDraft {
            name: text(name),
            uscc: text(uscc),
            share_bp,
        });
    }
    holders
}

/// The draft a row describes; findings about the cells themselves go to `findings`.
pub(crate) fn right_draft(cells: &[&str], findings: &mut Vec<FieldError>) -> RightDraft {
    let renewals = match cells[RENEWALS].trim() {
        "" => None,
        digits => match digits.parse::<u8>() {
            Ok(count) => Some(count),
            Err(_) => {
                findings.push(FieldError::new(
                    "renewals",
                    "number_format",
                    format!("renewals is a whole number; found {digits:?}"),
                ));
                None
            }
        },
    };
    RightDraft {
        kind: text(cells[KIND]),
        number: text(cells[NUMBER]),
        title: text(cells[TITLE]),
        filing_date: date(cells[FILING_DATE]),
        grant_date: date(cells[GRANT_DATE]),
        legal_status: text(cells[LEGAL_STATUS]),
        annual_fee_paid_until: date(cells[ANNUAL_FEE_PAID_UNTIL]),
        nice_class: text(cells[NICE_CLASS]),
        ipc_main: text(cells[IPC_MAIN]),
        renewals,
        holders: holder_drafts(cells[HOLDERS], findings),
    }
}

/// Findings as rejections of `row`, one per finding, named by column. Validation findings on a
/// column that already has a finding about its cell are left out (they follow from it).
pub(crate) fn rejections(
    layout: &[super::columns::Column],
    row: u64,
    cell_findings: Vec<FieldError>,
    validation: Vec<FieldError>,
) -> Vec<Rejection> {
    let cell_columns: Vec<String> = cell_findings
        .iter()
        .map(|finding| column_of(layout, &finding.field))
        .collect();
    let validation = validation
        .into_iter()
        .filter(|finding| !cell_columns.contains(&column_of(layout, &finding.field)));
    cell_findings
        .into_iter()
        .chain(validation)
        .map(|finding| {
            let column = column_of(layout, &finding.field);
            let message = if column == finding.field {
                finding.message
            } else {
                format!("{}: {}", finding.field, finding.message)
            };
            Rejection::new(row, column, finding.code, message)
        })
        .collect()
}

/// Numbers seen so far in a file, with the row of their first appearance. A number of at most
/// 16 bytes (all of today's kinds) is kept packed in a `u128`.
#[derive(Default)]
struct SeenNumbers {
    packed: HashMap<u128, u64>,
    long: HashMap<String, u64>,
}

impl SeenNumbers {
    /// Records `number` at `row`; returns the earlier row when it was seen before.
    fn first_seen(&mut self, number: &str, row: u64) -> Option<u64> {
        let bytes = number.as_bytes();
        if bytes.len() <= 16 {
            let mut packed = [0u8; 16];
            packed[..bytes.len()].copy_from_slice(bytes);
            let earlier = self
                .packed
                .entry(u128::from_le_bytes(packed))
                .or_insert(row);
            (*earlier != row).then_some(*earlier)
        } else {
            let earlier = self.long.entry(number.to_string()).or_insert(row);
            (*earlier != row).then_some(*earlier)
        }
    }
}

pub(crate) struct RightsBatch {
    rights: Vec<NewRight>,
    /// Each right's content hash, computed here rather than on the writer's path.
    hashes: Vec<String>,
    rows_done: u64,
    bytes_done: u64,
}

struct RightsParser {
    today: NaiveDate,
    seen: SeenNumbers,
    batch: Vec<NewRight>,
    rows_in_batch: usize,
    sender: mpsc::Sender<RightsBatch>,
    tally: Tally,
}

fn writer_stopped() -> AppError {
    AppError::new(
        ErrorKind::Internal,
        "import.cancelled",
        "the import stopped",
    )
}

impl RightsParser {
    fn counted(&mut self, bytes_done: u64) -> Result<(), AppError> {
        self.tally.total_rows += 1;
        self.rows_in_batch += 1;
        if self.rows_in_batch >= BATCH_ROWS {
            self.flush(bytes_done)
        } else {
            Ok(())
        }
    }

    fn flush(&mut self, bytes_done: u64) -> Result<(), AppError> {
        let rights = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_ROWS));
        self.rows_in_batch = 0;
        let hashes = rights.iter().map(ipyun_db::rights::content_hash).collect();
        self.sender
            .blocking_send(RightsBatch {
                rights,
                hashes,
                rows_done: self.tally.total_rows,
                bytes_done,
            })
            .map_err(|_| writer_stopped())
    }
}

impl RowSink for RightsParser {
    fn row(&mut self, row: u64, cells: &[&str], bytes_done: u64) -> Result<(), AppError> {
        let mut findings = Vec::new();
        let draft = right_draft(cells, &mut findings);
        match draft.validate(self.today) {
            Ok(right) if findings.is_empty() => {
                match self.seen.first_seen(right.number.as_str(), row) {
                    None => self.batch.push(right),
                    Some(earlier) => self.tally.reject([Rejection::new(
                        row,
                        "number",
                        "duplicate_in_file",
                        format!(
                            "number {} is already on row {earlier}",
                            right.number.as_str()
                        ),
                    )]),
                }
            }
            Ok(_) => self
                .tally
                .reject(rejections(RIGHT_COLUMNS, row, findings, Vec::new())),
            Err(errors) => self
                .tally
                .reject(rejections(RIGHT_COLUMNS, row, findings, errors.0)),
        }
        self.counted(bytes_done)
    }

    fn unreadable(&mut self, rejection: Rejection, bytes_done: u64) -> Result<(), AppError> {
        self.tally.reject([rejection]);
        self.counted(bytes_done)
    }
}

impl App {
    /// Parses on a blocking thread and writes here; returns what was done even when it failed.
    pub(crate) async fn import_rights(
        &self,
        actor: &str,
        input: Input,
        format: FileFormat,
        bytes_total: u64,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> (Tally, Result<(), AppError>) {
        let (sender, mut receiver) = mpsc::channel(CHANNEL_BATCHES);
        let today = self.clock.today();
        let now = self.clock.now();
        let parser = tokio::task::spawn_blocking(move || {
            let mut parser = RightsParser {
                today,
                seen: SeenNumbers::default(),
                batch: Vec::with_capacity(BATCH_ROWS),
                rows_in_batch: 0,
                sender,
                tally: Tally::default(),
            };
            let result = read_rows(input, format, RIGHT_COLUMNS, bytes_total, &mut parser)
                .and_then(|()| parser.flush(bytes_total));
            (parser.tally, result)
        });
        let mut written = Tally::default();
        let mut failure = None;
        while let Some(batch) = receiver.recv().await {
            match self
                .db
                .upsert_rights_hashed(&batch.rights, &batch.hashes, actor, now)
                .await
            {
                Ok(counts) => {
                    written.inserted += counts.inserted;
                    written.updated += counts.updated;
                    written.unchanged += counts.unchanged;
                }
                Err(error) => {
                    failure = Some(AppError::from(error));
                    break;
                }
            }
            progress(ImportProgress {
                rows_done: batch.rows_done,
                bytes_done: batch.bytes_done,
                bytes_total,
            });
        }
        drop(receiver);
        let (mut tally, parsed) = match parser.await {
            Ok(outcome) => outcome,
            Err(error) => (
                Tally::default(),
                Err(internal("the import parser failed", error)),
            ),
        };
        tally.absorb(written);
        (tally, failure.map_or(parsed, Err))
    }
}

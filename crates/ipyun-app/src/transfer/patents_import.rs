//! Importing patents (issue 8, S4): JSON Lines, CSV or XLSX. A blocking thread parses and
//! validates rows into batches; the writer upserts each batch's rights (the register) and then
//! their records; a number already known is replaced (incremental updates), the same file twice
//! changes nothing. After the import the search index catches up and topics are checked.

use super::columns::PATENT_COLUMNS;
use super::patent_rows::{RawPatent, ValidPatent, rejections, validate};
use super::source::{RowSink, read_rows};
use super::{FileFormat, ImportProgress, Input, Rejection, Tally, internal};
use crate::{App, AppError, ErrorKind};
use chrono::NaiveDate;
use ipyun_db::patents::PatentRecordRow;
use ipyun_domain::right::NewRight;
use std::collections::HashMap;
use std::io::{BufRead, Read};
use tokio::sync::mpsc;

/// Patents per batch: one transaction for their rights, one for their records.
const PATENT_BATCH: usize = 5_000;
/// Longest JSON line read, in bytes.
const MAX_LINE_BYTES: usize = 1 << 20;

struct PatentBatch {
    rights: Vec<NewRight>,
    hashes: Vec<String>,
    records: Vec<PatentRecordRow>,
    record_hashes: Vec<String>,
    rows_done: u64,
    bytes_done: u64,
}

struct PatentParser {
    today: NaiveDate,
    /// Index in `batch` of each number, so that a later row replaces an earlier one.
    positions: HashMap<String, usize>,
    batch: Vec<ValidPatent>,
    sender: mpsc::Sender<PatentBatch>,
    tally: Tally,
}

impl PatentParser {
    fn take(&mut self, row: u64, raw: &RawPatent, bytes_done: u64) -> Result<(), AppError> {
        self.tally.total_rows += 1;
        match validate(raw, self.today) {
            Ok(valid) => {
                let number = valid.right.number.as_str().to_string();
                match self.positions.get(&number) {
                    Some(&index) => self.batch[index] = valid,
                    None => {
                        self.positions.insert(number, self.batch.len());
                        self.batch.push(valid);
                    }
                }
            }
            Err(errors) => self.tally.reject(rejections(row, errors)),
        }
        if self.batch.len() >= PATENT_BATCH {
            self.flush(bytes_done)?;
        }
        Ok(())
    }

    fn flush(&mut self, bytes_done: u64) -> Result<(), AppError> {
        let valid = std::mem::take(&mut self.batch);
        self.positions.clear();
        let mut rights = Vec::with_capacity(valid.len());
        let mut records = Vec::with_capacity(valid.len());
        for ValidPatent { right, record } in valid {
            rights.push(right);
            records.push(record);
        }
        let hashes = rights.iter().map(ipyun_db::rights::content_hash).collect();
        let record_hashes = records.iter().map(PatentRecordRow::content_hash).collect();
        self.sender
            .blocking_send(PatentBatch {
                rights,
                hashes,
                records,
                record_hashes,
                rows_done: self.tally.total_rows,
                bytes_done,
            })
            .map_err(|_| {
                AppError::new(
                    ErrorKind::Internal,
                    "import.cancelled",
                    "the import stopped",
                )
            })
    }
}

impl RowSink for PatentParser {
    fn row(&mut self, row: u64, cells: &[&str], bytes_done: u64) -> Result<(), AppError> {
        self.take(row, &RawPatent::from_cells(cells), bytes_done)
    }

    fn unreadable(&mut self, rejection: Rejection, bytes_done: u64) -> Result<(), AppError> {
        self.tally.total_rows += 1;
        self.tally.reject([rejection]);
        if self.batch.len() >= PATENT_BATCH {
            self.flush(bytes_done)?;
        }
        Ok(())
    }
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.bytes += read as u64;
        Ok(read)
    }
}

fn unreadable(error: impl std::fmt::Display) -> AppError {
    AppError::new(
        ErrorKind::BadRequest,
        "import.unreadable",
        format!("the file cannot be read: {error}"),
    )
}

/// Reads JSON Lines: line N is row N; blank lines are skipped.
fn read_jsonl(input: Input, parser: &mut PatentParser) -> Result<(), AppError> {
    let source: Box<dyn Read> = match input {
        Input::File(path) => Box::new(std::fs::File::open(path).map_err(unreadable)?),
        Input::Bytes(bytes) => Box::new(std::io::Cursor::new(bytes)),
    };
    let mut reader = std::io::BufReader::with_capacity(
        1 << 20,
        Counting {
            inner: source,
            bytes: 0,
        },
    );
    let mut line = Vec::new();
    let mut row = 0u64;
    loop {
        line.clear();
        let read = reader
            .by_ref()
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(unreadable)?;
        if read == 0 {
            break;
        }
        row += 1;
        let bytes_done = reader.get_ref().bytes;
        if line.len() > MAX_LINE_BYTES && !line.ends_with(b"\n") {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "import.line_too_long",
                format!("line {row} is longer than {MAX_LINE_BYTES} bytes"),
            ));
        }
        let text = match std::str::from_utf8(&line) {
            Ok(text) => text.trim(),
            Err(_) => {
                parser.unreadable(
                    Rejection::new(row, "row", "encoding", "the line is not UTF-8 text"),
                    bytes_done,
                )?;
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        let mut deserializer = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, RawPatent>(&mut deserializer) {
            Ok(raw) => parser.take(row, &raw, bytes_done)?,
            Err(error) => {
                let path = error.path().to_string();
                let field = if path == "." { "row".to_string() } else { path };
                parser.unreadable(
                    Rejection::new(row, field, "json", error.inner().to_string()),
                    bytes_done,
                )?;
            }
        }
    }
    Ok(())
}

impl App {
    /// Parses on a blocking thread and writes here; returns what was done even when it failed.
    pub(crate) async fn import_patents(
        &self,
        actor: &str,
        input: Input,
        format: FileFormat,
        bytes_total: u64,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> (Tally, Result<(), AppError>) {
        let (sender, mut receiver) = mpsc::channel(2);
        let today = self.clock.today();
        let now = self.clock.now();
        let parser = tokio::task::spawn_blocking(move || {
            let mut parser = PatentParser {
                today,
                positions: HashMap::new(),
                batch: Vec::with_capacity(PATENT_BATCH),
                sender,
                tally: Tally::default(),
            };
            let read = match format {
                FileFormat::Jsonl => read_jsonl(input, &mut parser),
                FileFormat::Csv | FileFormat::Xlsx => {
                    read_rows(input, format, PATENT_COLUMNS, bytes_total, &mut parser)
                }
            };
            let result = read.and_then(|()| parser.flush(bytes_total));
            (parser.tally, result)
        });
        let mut written = Tally::default();
        let mut failure = None;
        while let Some(batch) = receiver.recv().await {
            if let Err(error) = self
                .write_patent_batch(&batch, actor, now, &mut written)
                .await
            {
                failure = Some(error);
                break;
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
        let outcome = failure.map_or(parsed, Err);
        if outcome.is_ok() && self.search.is_some() {
            self.after_patent_import().await;
        }
        (tally, outcome)
    }

    /// Says per patent whether it is new, changed or the same, then writes the rights and the
    /// records.
    async fn write_patent_batch(
        &self,
        batch: &PatentBatch,
        actor: &str,
        now: chrono::DateTime<chrono::Utc>,
        written: &mut Tally,
    ) -> Result<(), AppError> {
        let numbers: Vec<&str> = batch
            .records
            .iter()
            .map(|record| record.number.as_str())
            .collect();
        let stored = self.db.patent_hashes(&numbers).await?;
        for (index, record) in batch.records.iter().enumerate() {
            match stored.get(&record.number) {
                None => written.inserted += 1,
                Some((right_hash, Some(record_hash)))
                    if *right_hash == batch.hashes[index]
                        && *record_hash == batch.record_hashes[index] =>
                {
                    written.unchanged += 1
                }
                Some(_) => written.updated += 1,
            }
        }
        self.db
            .upsert_rights_hashed(&batch.rights, &batch.hashes, actor, now)
            .await?;
        self.db
            .upsert_patent_records_hashed(&batch.records, &batch.record_hashes, now)
            .await?;
        Ok(())
    }

    /// The index catches up and topics are checked; a failure here is logged, not the
    /// import's (the records are stored; the next sync indexes them).
    async fn after_patent_import(&self) {
        match self.sync_search_index(&|_| {}).await {
            Ok(report) => {
                tracing::info!(
                    indexed = report.indexed,
                    change = report.change,
                    "search index caught up"
                );
                if let Err(error) = self.check_topics().await {
                    tracing::warn!(%error, "topics not checked after the import");
                }
            }
            Err(error) => tracing::warn!(%error, "search index not updated after the import"),
        }
    }
}

//! Import and export of rights and parties as CSV or XLSX (feature R4).
//!
//! An import reads a header row and then one record per row; every row is validated like a form
//! would be, and a rejected row is reported with its row number (the header is row 1) and one
//! rejection per bad field. Valid rows are upserted: importing the same file twice changes nothing.
//! Rights are parsed and validated on a blocking thread while an async writer stores the previous
//! batch, so the two overlap. Exports write the same columns, so an export re-imports unchanged.

mod columns;
mod export;
mod import;
mod parties_import;
mod parties_rows;
mod patent_rows;
mod patents_import;
mod rights_import;
mod royalty_import;
mod source;

#[cfg(test)]
mod tests_parties;
#[cfg(test)]
mod tests_rights;

pub use columns::{Column, PARTY_COLUMNS, RIGHT_COLUMNS};

use crate::{AppError, ErrorKind};
use serde::Serialize;
use std::path::Path;

/// Largest file an import accepts.
pub const MAX_IMPORT_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Longest cell an import accepts, in characters.
pub const MAX_CELL_CHARS: usize = 10_000;
/// Rejections kept in a report (stored and returned); the counts stay exact beyond it.
pub const MAX_REPORTED_REJECTIONS: usize = 1_000;
/// Rows per batch between the parser and the writer; a batch of rights is one transaction.
/// Measured on SQLite: with 2,000 rows a million-row import spent a third of its time committing
/// (each commit writes its pages to the WAL and checkpoints them); with 20,000, a tenth.
pub(crate) const BATCH_ROWS: usize = 20_000;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Rights,
    Parties,
    /// The royalty-rate reference table (offices and administrators).
    RoyaltyRates,
    /// The IPC-to-industry concordance that finds a patent's royalty range (offices and
    /// administrators).
    IpcIndustry,
    /// Patent records with their text (JSON Lines, CSV or XLSX): rights of the register plus
    /// abstract, claims, applicants, inventors, IPC symbols, citations and family.
    Patents,
}

impl Subject {
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "rights" => Ok(Subject::Rights),
            "parties" => Ok(Subject::Parties),
            "royalty_rates" | "royalty-rates" => Ok(Subject::RoyaltyRates),
            "ipc_industry" | "ipc-industry" => Ok(Subject::IpcIndustry),
            "patents" => Ok(Subject::Patents),
            _ => Err(AppError::new(
                ErrorKind::BadRequest,
                "import.unknown_subject",
                format!(
                    "an import holds rights, parties, patents, royalty_rates or ipc_industry; found {:?}",
                    raw.trim()
                ),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Rights => "rights",
            Subject::Parties => "parties",
            Subject::RoyaltyRates => "royalty_rates",
            Subject::IpcIndustry => "ipc_industry",
            Subject::Patents => "patents",
        }
    }
}

impl std::str::FromStr for Subject {
    type Err = AppError;

    fn from_str(raw: &str) -> Result<Self, AppError> {
        Subject::parse(raw)
    }
}

/// A file format, told by the file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    Csv,
    Xlsx,
    /// JSON Lines: one record per line (patents only).
    Jsonl,
}

impl FileFormat {
    /// `.csv` or `.xlsx`, in any case; anything else is refused with `import.unsupported_format`.
    pub fn from_file_name(name: &str) -> Result<Self, AppError> {
        let extension = Path::new(name.trim())
            .extension()
            .map(|extension| extension.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("csv") => Ok(FileFormat::Csv),
            Some("xlsx") => Ok(FileFormat::Xlsx),
            Some("jsonl") | Some("ndjson") => Ok(FileFormat::Jsonl),
            _ => Err(AppError::new(
                ErrorKind::BadRequest,
                "import.unsupported_format",
                format!(
                    "a file should be .csv (UTF-8), .xlsx or (patents) .jsonl; found {:?}",
                    name.trim()
                ),
            )),
        }
    }

    pub fn from_path(path: &Path) -> Result<Self, AppError> {
        Self::from_file_name(
            &path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
            FileFormat::Jsonl => "jsonl",
        }
    }
}

/// How far an import has got; reported after every batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportProgress {
    /// Data rows read so far (valid or not).
    pub rows_done: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// How far an export has got; reported after every batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExportProgress {
    pub rows_done: u64,
    pub rows_total: u64,
}

/// One finding on one field of one rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rejection {
    /// Row number in the file: the header is row 1, so the first data row is 2.
    pub row: u64,
    /// The column (its English name), or `row` for a finding about the whole row.
    pub field: String,
    /// Stable rule code, e.g. `check_digit`, `required`, `duplicate_in_file`, `column_count`.
    pub code: String,
    pub message: String,
}

impl Rejection {
    pub(crate) fn new(
        row: u64,
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            row,
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The outcome of an import. Counts are exact; `rejections` keeps the first
/// [`MAX_REPORTED_REJECTIONS`] findings in row order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub import_id: i64,
    /// Data rows in the file (the header excluded).
    pub total_rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows rejected (a row with several findings counts once).
    pub rejected: u64,
    pub rejections: Vec<Rejection>,
}

/// Counts and findings gathered while importing, merged from the parser and the writer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    pub total_rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub rejections: Vec<Rejection>,
}

impl Tally {
    /// Counts one rejected row and keeps its findings while there is room.
    pub fn reject(&mut self, findings: impl IntoIterator<Item = Rejection>) {
        self.rejected += 1;
        for finding in findings {
            if self.rejections.len() < MAX_REPORTED_REJECTIONS {
                self.rejections.push(finding);
            }
        }
    }

    /// Adds another part's counts; findings are merged in row order and cut to the bound.
    pub fn absorb(&mut self, other: Tally) {
        self.total_rows += other.total_rows;
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.rejected += other.rejected;
        self.rejections.extend(other.rejections);
        self.rejections.sort_by_key(|rejection| rejection.row);
        self.rejections.truncate(MAX_REPORTED_REJECTIONS);
    }
}

/// Where an import reads from.
#[derive(Debug)]
pub(crate) enum Input {
    File(std::path::PathBuf),
    Bytes(Vec<u8>),
}

/// An unexpected failure of a helper thread or the file system, logged and reported without detail.
pub(crate) fn internal(what: &str, error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "{what}");
    AppError::new(
        ErrorKind::Internal,
        "internal",
        "an internal error occurred",
    )
}

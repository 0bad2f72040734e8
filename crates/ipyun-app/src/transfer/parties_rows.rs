//! Parties files, row by row: the reader that batches rows for the async side, and the small
//! conversions the import applies to each row.

use super::source::RowSink;
use super::{BATCH_ROWS, Rejection, Tally};
use crate::{AppError, ErrorKind};
use ipyun_domain::FieldError;
use ipyun_domain::id::Uscc;
use ipyun_domain::party::{NewParty, Party};
use tokio::sync::mpsc;

pub(super) struct PartyRow {
    pub row: u64,
    pub cells: Vec<String>,
}

pub(super) struct PartiesBatch {
    pub rows: Vec<PartyRow>,
    pub rows_done: u64,
    pub bytes_done: u64,
}

pub(super) struct PartiesReader {
    pub batch: Vec<PartyRow>,
    pub rows_in_batch: usize,
    pub sender: mpsc::Sender<PartiesBatch>,
    pub tally: Tally,
}

impl PartiesReader {
    fn counted(&mut self, bytes_done: u64) -> Result<(), AppError> {
        self.tally.total_rows += 1;
        self.rows_in_batch += 1;
        if self.rows_in_batch >= BATCH_ROWS {
            self.flush(bytes_done)
        } else {
            Ok(())
        }
    }

    pub(super) fn flush(&mut self, bytes_done: u64) -> Result<(), AppError> {
        self.rows_in_batch = 0;
        let batch = PartiesBatch {
            rows: std::mem::take(&mut self.batch),
            rows_done: self.tally.total_rows,
            bytes_done,
        };
        self.sender.blocking_send(batch).map_err(|_| {
            AppError::new(
                ErrorKind::Internal,
                "import.cancelled",
                "the import stopped",
            )
        })
    }
}

impl RowSink for PartiesReader {
    fn row(&mut self, row: u64, cells: &[&str], bytes_done: u64) -> Result<(), AppError> {
        let cells = cells.iter().map(|cell| cell.trim().to_string()).collect();
        self.batch.push(PartyRow { row, cells });
        self.counted(bytes_done)
    }

    fn unreadable(&mut self, rejection: Rejection, bytes_done: u64) -> Result<(), AppError> {
        self.tally.reject([rejection]);
        self.counted(bytes_done)
    }
}

pub(super) fn text(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_string())
}

pub(super) fn year(cell: &str, field: &str, findings: &mut Vec<FieldError>) -> Option<i32> {
    if cell.is_empty() {
        return None;
    }
    match cell.parse::<i32>() {
        Ok(year) => Some(year),
        Err(_) => {
            findings.push(FieldError::new(
                field,
                "number_format",
                format!("a year is written with four digits; found {cell:?}"),
            ));
            None
        }
    }
}

/// Whether storing `party` over `current` would change nothing.
pub(super) fn same_content(current: &Party, party: &NewParty) -> bool {
    current.kind == party.kind
        && current.name == party.name
        && current.uscc.as_deref() == party.uscc.as_ref().map(Uscc::as_str)
        && current.region.as_deref() == party.region.as_ref().map(|region| region.as_str())
        && current.industry.as_deref() == party.industry.as_ref().map(|industry| industry.as_str())
        && current.size_class == party.size_class
        && current.park_id == party.park_id
        && current.parent_id == party.parent_id
        && current.specialised_sme_year == party.specialised_sme_year
        && current.little_giant_year == party.little_giant_year
        && current.park_kind == party.park_kind
        && current.office_level == party.office_level
        && current.credit_rating == party.credit_rating
        && current.contact_name == party.contact_name
        && current.contact_phone == party.contact_phone
        && current.address == party.address
}

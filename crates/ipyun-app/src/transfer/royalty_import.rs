//! Importing the valuation reference tables (feature V2), as CSV or XLSX: the office's royalty
//! ranges by industry, and the IPC-to-industry concordance. Each row is validated alone; a key
//! given twice is rejected on its second row; valid rows replace their key's entry; the same
//! file twice changes nothing.

use super::columns::{IPC_INDUSTRY_COLUMNS, ROYALTY_COLUMNS};
use super::source::{RowSink, read_rows};
use super::{FileFormat, Input, Rejection, Tally, internal};
use crate::{App, AppError};
use ipyun_domain::FieldErrors;
use ipyun_domain::royalty::{ConcordanceDraft, RoyaltyDraft, RoyaltyRange};
use std::collections::HashMap;

/// A reference table is small: more rows than this is not one.
const MAX_ROWS: u64 = 20_000;

/// One reference table's rows: how a row is read, and the key that must be unique in a file.
trait ReferenceRow: Sized + Send + 'static {
    const KEY_FIELD: &'static str;
    fn parse(cells: &[&str]) -> Result<Self, FieldErrors>;
    fn key(&self) -> &str;
}

impl ReferenceRow for RoyaltyRange {
    const KEY_FIELD: &'static str = "industry";

    fn parse(cells: &[&str]) -> Result<Self, FieldErrors> {
        let cell = |index: usize| cells.get(index).copied().unwrap_or("").to_string();
        RoyaltyDraft {
            industry: cell(0),
            low_pct: cell(1),
            mid_pct: cell(2),
            high_pct: cell(3),
            samples: cell(4),
            source: cell(5),
            published_on: cell(6),
        }
        .validate()
    }

    fn key(&self) -> &str {
        &self.industry
    }
}

/// An IPC prefix and its industry.
struct ConcordancePair(String, String);

impl ReferenceRow for ConcordancePair {
    const KEY_FIELD: &'static str = "ipc_prefix";

    fn parse(cells: &[&str]) -> Result<Self, FieldErrors> {
        let cell = |index: usize| cells.get(index).copied().unwrap_or("").to_string();
        let (prefix, industry) = ConcordanceDraft {
            ipc_prefix: cell(0),
            industry: cell(1),
        }
        .validate()?;
        Ok(ConcordancePair(prefix, industry))
    }

    fn key(&self) -> &str {
        &self.0
    }
}

struct Collected<T> {
    rows: Vec<T>,
    first_row_of: HashMap<String, u64>,
    tally: Tally,
}

impl<T> Default for Collected<T> {
    fn default() -> Self {
        Collected {
            rows: Vec::new(),
            first_row_of: HashMap::new(),
            tally: Tally::default(),
        }
    }
}

impl<T: ReferenceRow> RowSink for Collected<T> {
    fn row(&mut self, row: u64, cells: &[&str], _bytes_done: u64) -> Result<(), AppError> {
        self.tally.total_rows += 1;
        if self.tally.total_rows > MAX_ROWS {
            return Err(AppError::new(
                crate::ErrorKind::BadRequest,
                "import.too_many_rows",
                format!("a reference table has at most {MAX_ROWS} rows"),
            ));
        }
        match T::parse(cells) {
            Ok(parsed) => {
                if let Some(earlier) = self.first_row_of.get(parsed.key()) {
                    let message = format!("{} already given on row {earlier}", parsed.key());
                    self.tally
                        .reject([Rejection::new(row, T::KEY_FIELD, "duplicate", message)]);
                } else {
                    self.first_row_of.insert(parsed.key().to_string(), row);
                    self.rows.push(parsed);
                }
            }
            Err(errors) => self.tally.reject(
                errors
                    .0
                    .into_iter()
                    .map(|error| Rejection::new(row, &error.field, &error.code, error.message)),
            ),
        }
        Ok(())
    }

    fn unreadable(&mut self, rejection: Rejection, _bytes_done: u64) -> Result<(), AppError> {
        self.tally.total_rows += 1;
        self.tally.reject([rejection]);
        Ok(())
    }
}

/// Reads a whole reference file off the async runtime.
async fn collect<T: ReferenceRow>(
    input: Input,
    format: FileFormat,
    columns: &'static [super::columns::Column],
    bytes_total: u64,
) -> (Tally, Result<Vec<T>, AppError>) {
    let read = tokio::task::spawn_blocking(move || {
        let mut collected = Collected::<T>::default();
        let outcome = read_rows(input, format, columns, bytes_total, &mut collected);
        (collected, outcome)
    })
    .await;
    match read {
        Ok((collected, Ok(()))) => (collected.tally, Ok(collected.rows)),
        Ok((collected, Err(error))) => (collected.tally, Err(error)),
        Err(error) => (Tally::default(), Err(internal("reference reader", error))),
    }
}

fn count_into(tally: &mut Tally, counts: ipyun_db::royalty::RoyaltyCounts) {
    tally.inserted += counts.inserted;
    tally.updated += counts.updated;
    tally.unchanged += counts.unchanged;
}

impl App {
    pub(super) async fn import_royalty_rates(
        &self,
        actor: &str,
        input: Input,
        format: FileFormat,
        bytes_total: u64,
    ) -> (Tally, Result<(), AppError>) {
        let (mut tally, rows) =
            collect::<RoyaltyRange>(input, format, ROYALTY_COLUMNS, bytes_total).await;
        let ranges = match rows {
            Ok(ranges) => ranges,
            Err(error) => return (tally, Err(error)),
        };
        match self
            .db
            .upsert_royalty_rates(&ranges, actor, self.clock.now())
            .await
        {
            Ok(counts) => {
                count_into(&mut tally, counts);
                (tally, Ok(()))
            }
            Err(error) => (tally, Err(error.into())),
        }
    }

    pub(super) async fn import_ipc_industry(
        &self,
        actor: &str,
        input: Input,
        format: FileFormat,
        bytes_total: u64,
    ) -> (Tally, Result<(), AppError>) {
        let (mut tally, rows) =
            collect::<ConcordancePair>(input, format, IPC_INDUSTRY_COLUMNS, bytes_total).await;
        let pairs: Vec<(String, String)> = match rows {
            Ok(rows) => rows
                .into_iter()
                .map(|ConcordancePair(prefix, industry)| (prefix, industry))
                .collect(),
            Err(error) => return (tally, Err(error)),
        };
        match self
            .db
            .upsert_ipc_industry(&pairs, actor, self.clock.now())
            .await
        {
            Ok(counts) => {
                count_into(&mut tally, counts);
                (tally, Ok(()))
            }
            Err(error) => (tally, Err(error.into())),
        }
    }
}

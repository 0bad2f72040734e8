//! Importing the royalty-rate table (feature V2): the office's published ranges by industry, as
//! CSV or XLSX. Each row is validated alone; valid rows replace their industry's range; the same
//! file twice changes nothing.

use super::columns::ROYALTY_COLUMNS;
use super::source::{RowSink, read_rows};
use super::{FileFormat, Input, Rejection, Tally, internal};
use crate::{App, AppError};
use ipyun_domain::royalty::{RoyaltyDraft, RoyaltyRange};

/// A royalty table is small: more rows than this is not one.
const MAX_ROWS: u64 = 20_000;

#[derive(Default)]
struct Collected {
    rows: Vec<(u64, RoyaltyRange)>,
    tally: Tally,
}

impl RowSink for Collected {
    fn row(&mut self, row: u64, cells: &[&str], _bytes_done: u64) -> Result<(), AppError> {
        self.tally.total_rows += 1;
        if self.tally.total_rows > MAX_ROWS {
            return Err(AppError::new(
                crate::ErrorKind::BadRequest,
                "import.too_many_rows",
                format!("a royalty table has at most {MAX_ROWS} rows"),
            ));
        }
        let cell = |index: usize| cells.get(index).copied().unwrap_or("").to_string();
        let draft = RoyaltyDraft {
            industry: cell(0),
            low_pct: cell(1),
            mid_pct: cell(2),
            high_pct: cell(3),
            samples: cell(4),
            source: cell(5),
            published_on: cell(6),
        };
        match draft.validate() {
            Ok(range) => {
                if let Some(earlier) = self
                    .rows
                    .iter()
                    .find(|(_, seen)| seen.industry == range.industry)
                {
                    let message = format!(
                        "industry {} already given on row {}",
                        range.industry, earlier.0
                    );
                    self.tally
                        .reject([Rejection::new(row, "industry", "duplicate", message)]);
                } else {
                    self.rows.push((row, range));
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

impl App {
    pub(super) async fn import_royalty_rates(
        &self,
        actor: &str,
        input: Input,
        format: FileFormat,
        bytes_total: u64,
    ) -> (Tally, Result<(), AppError>) {
        let read = tokio::task::spawn_blocking(move || {
            let mut collected = Collected::default();
            let outcome = read_rows(input, format, ROYALTY_COLUMNS, bytes_total, &mut collected);
            (collected, outcome)
        })
        .await;
        let (collected, outcome) = match read {
            Ok(done) => done,
            Err(error) => return (Tally::default(), Err(internal("royalty reader", error))),
        };
        let Collected { rows, mut tally } = collected;
        if let Err(error) = outcome {
            return (tally, Err(error));
        }
        let ranges: Vec<RoyaltyRange> = rows.into_iter().map(|(_, range)| range).collect();
        match self
            .db
            .upsert_royalty_rates(&ranges, actor, self.clock.now())
            .await
        {
            Ok(counts) => {
                tally.inserted += counts.inserted;
                tally.updated += counts.updated;
                tally.unchanged += counts.unchanged;
                (tally, Ok(()))
            }
            Err(error) => (tally, Err(error.into())),
        }
    }
}

//! The SQLite fast reads of the valuation data, on read-only rusqlite connections: the decoding
//! of a patent row in place, and the field statistics' counts — one scan of the patents grouped
//! in memory (SQLite's own `GROUP BY` over two computed keys sorts a million rows in a temporary
//! b-tree, about twice the time of the scan itself).

use super::{FieldCountRow, PatentForValuation, counts, holder, stored};
use crate::DbError;
use crate::fast_read::{FastReads, sqlite_error};
use chrono::NaiveDate;
use ipyun_domain::party::SizeClass;
use ipyun_domain::right::{LegalStatus, RightKind};
use std::collections::HashMap;

/// The scan behind [`super::FIELD_COUNTS_SQL`]: the same rows before grouping.
const FIELD_SCAN_SQL: &str = "SELECT r.ipc_main, r.filing_date, i.forward_citations \
     FROM rights r LEFT JOIN patent_indicators i ON i.right_id = r.id \
     WHERE (r.kind || '') IN ('invention', 'utility_model', 'design')";

/// The first `chars` characters of a text, as `substr(text, 1, chars)` gives them, held inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Prefix {
    bytes: [u8; 16],
    length: u8,
}

impl Prefix {
    fn of(text: &str, chars: usize) -> Prefix {
        let end = text
            .char_indices()
            .nth(chars)
            .map_or(text.len(), |(index, _)| index);
        let mut bytes = [0u8; 16];
        let length = end.min(bytes.len());
        bytes[..length].copy_from_slice(&text.as_bytes()[..length]);
        Prefix {
            bytes,
            length: u8::try_from(length).unwrap_or(0),
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes[..usize::from(self.length)]).into_owned()
    }
}

pub(super) fn field_counts(fast_reads: &FastReads) -> Result<Vec<FieldCountRow>, DbError> {
    fast_reads.with_reader(|connection| {
        let mut statement = connection
            .prepare_cached(FIELD_SCAN_SQL)
            .map_err(sqlite_error)?;
        let mut rows = statement.query([]).map_err(sqlite_error)?;
        let mut groups: HashMap<(Option<Prefix>, Option<Prefix>), (i64, i64)> = HashMap::new();
        let text = |row: &rusqlite::Row<'_>, index: usize| -> Result<Option<Prefix>, DbError> {
            match row.get_ref(index).map_err(sqlite_error)? {
                rusqlite::types::ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                    .map(|text| Some(Prefix::of(text, 4)))
                    .map_err(|error| DbError::Corrupt(format!("column {index}: {error}"))),
                _ => Ok(None),
            }
        };
        while let Some(row) = rows.next().map_err(sqlite_error)? {
            let key = (text(row, 0)?, text(row, 1)?);
            let citations: Option<i64> = row.get(2).map_err(sqlite_error)?;
            let group = groups.entry(key).or_insert((0, 0));
            group.0 += 1;
            group.1 += citations.unwrap_or(0);
        }
        Ok(groups
            .into_iter()
            .map(
                |((field, year), (patents, forward_citations))| FieldCountRow {
                    field: field.map(|prefix| prefix.text()),
                    filing_year: year.map(|prefix| prefix.text()),
                    patents,
                    forward_citations,
                },
            )
            .collect())
    })
}

/// `YYYY-MM-DD` without chrono's general parser (a million of them per revaluation).
fn iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return text.parse().ok();
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |total, byte| {
            byte.is_ascii_digit()
                .then(|| total * 10 + u32::from(byte - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(
        i32::try_from(number(0..4)?).ok()?,
        number(5..7)?,
        number(8..10)?,
    )
}

/// Decodes one row of [`valuation_select!`] read by rusqlite: texts are matched or parsed in
/// place; only the IPC symbol and the industry are copied.
pub(super) fn patent(row: &rusqlite::Row<'_>) -> Result<PatentForValuation, DbError> {
    let text = |index: usize| -> Result<Option<&str>, DbError> {
        match row.get_ref(index).map_err(sqlite_error)? {
            rusqlite::types::ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                .map(Some)
                .map_err(|error| DbError::Corrupt(format!("column {index}: {error}"))),
            _ => Ok(None),
        }
    };
    let day = |index: usize, column: &str| -> Result<Option<NaiveDate>, DbError> {
        text(index)?
            .map(|value| {
                iso_date(value)
                    .ok_or_else(|| DbError::Corrupt(format!("{column}: not a date: {value:?}")))
            })
            .transpose()
    };
    let get_i32 =
        |index: usize| -> Result<Option<i32>, DbError> { row.get(index).map_err(sqlite_error) };
    let mut values = [None; 11];
    for (offset, value) in values.iter_mut().enumerate() {
        *value = get_i32(7 + offset)?;
    }
    let size_class = text(22)?
        .map(|value| {
            stored(
                SizeClass::ALL,
                SizeClass::as_str,
                value,
                "parties.size_class",
            )
        })
        .transpose()?;
    Ok(PatentForValuation {
        right_id: row.get(0).map_err(sqlite_error)?,
        kind: stored(
            &RightKind::ALL,
            RightKind::as_str,
            text(1)?.unwrap_or(""),
            "rights.kind",
        )?,
        legal_status: stored(
            &LegalStatus::ALL,
            LegalStatus::as_str,
            text(2)?.unwrap_or(""),
            "rights.legal_status",
        )?,
        filing_date: day(3, "rights.filing_date")?
            .ok_or_else(|| DbError::Corrupt("rights.filing_date: missing".into()))?,
        grant_date: day(4, "rights.grant_date")?,
        expiry_date: day(5, "rights.expiry_date")?,
        ipc_main: text(6)?.map(str::to_string),
        counts: counts(values),
        implemented: row.get(18).map_err(sqlite_error)?,
        holder_revenue_fen: row.get(19).map_err(sqlite_error)?,
        holder: holder(
            row.get(20).map_err(sqlite_error)?,
            size_class,
            get_i32(23)?,
            get_i32(24)?,
        ),
        holder_industry: text(21)?.map(str::to_string),
        pledges: u32::try_from(row.get::<_, i64>(25).map_err(sqlite_error)?).unwrap_or(u32::MAX),
    })
}

//! Patents as JSON Lines: one `PatentDoc` per line.

use std::io::{BufRead, Write};

use crate::doc::PatentDoc;

/// A line that is not a patent record.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct JsonlError {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

/// Writes the records, one JSON object per line; returns how many were written.
pub fn write_jsonl<W: Write>(
    docs: impl IntoIterator<Item = PatentDoc>,
    mut out: W,
) -> std::io::Result<u64> {
    let mut written = 0;
    for doc in docs {
        serde_json::to_writer(&mut out, &doc)?;
        out.write_all(b"\n")?;
        written += 1;
    }
    out.flush()?;
    Ok(written)
}

/// Reads records line by line; blank lines are skipped.
pub fn read_jsonl<R: BufRead>(input: R) -> impl Iterator<Item = Result<PatentDoc, JsonlError>> {
    input.lines().enumerate().filter_map(|(index, line)| {
        let line_number = index + 1;
        match line {
            Err(error) => Some(Err(JsonlError {
                line: line_number,
                message: error.to_string(),
            })),
            Ok(text) if text.trim().is_empty() => None,
            Ok(text) => Some(serde_json::from_str(&text).map_err(|error| JsonlError {
                line: line_number,
                message: error.to_string(),
            })),
        }
    })
}

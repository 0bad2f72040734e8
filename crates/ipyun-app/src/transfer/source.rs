//! Reading a CSV or XLSX file row by row (on a blocking thread): the header is matched against a
//! layout, then each data row is handed over with its cells in layout order. Rows that cannot be
//! read as cells (wrong column count, a cell too long, bad UTF-8, a spreadsheet error value) are
//! rejected here, before anyone looks at their content.

use super::columns::{Column, MAX_LAYOUT_COLUMNS, map_header};
use super::{FileFormat, Input, MAX_CELL_CHARS, Rejection};
use crate::{AppError, ErrorKind};
use calamine::{DataRef, Reader, Xlsx};
use std::io::{Read, Seek};

/// Receives the rows of a file.
pub(crate) trait RowSink {
    /// A readable data row: `cells[i]` holds layout column `i` (`""` when the file lacks it).
    fn row(&mut self, row: u64, cells: &[&str], bytes_done: u64) -> Result<(), AppError>;

    /// A row rejected while reading it.
    fn unreadable(&mut self, rejection: Rejection, bytes_done: u64) -> Result<(), AppError>;
}

fn unreadable_file(error: impl std::fmt::Display) -> AppError {
    AppError::new(
        ErrorKind::BadRequest,
        "import.unreadable",
        format!("the file cannot be read: {error}"),
    )
}

fn no_header() -> AppError {
    AppError::new(
        ErrorKind::BadRequest,
        "import.no_header",
        "the file is empty: it needs a header row naming its columns",
    )
}

fn too_long(cell: &str) -> bool {
    cell.len() > MAX_CELL_CHARS && cell.chars().count() > MAX_CELL_CHARS
}

fn too_long_rejection(row: u64, column: &Column) -> Rejection {
    Rejection::new(
        row,
        column.name,
        "cell_too_long",
        format!("a cell holds at most {MAX_CELL_CHARS} characters"),
    )
}

fn column_count_rejection(row: u64, found: usize, expected: usize) -> Rejection {
    Rejection::new(
        row,
        "row",
        "column_count",
        format!("the row has {found} cells; the header has {expected}"),
    )
}

/// Reads every row of `input` into `sink`.
pub(crate) fn read_rows(
    input: Input,
    format: FileFormat,
    layout: &[Column],
    bytes_total: u64,
    sink: &mut dyn RowSink,
) -> Result<(), AppError> {
    match (format, input) {
        (FileFormat::Csv, Input::File(path)) => {
            let file = std::fs::File::open(&path).map_err(unreadable_file)?;
            read_csv(file, layout, sink)
        }
        (FileFormat::Csv, Input::Bytes(bytes)) => read_csv(bytes.as_slice(), layout, sink),
        (FileFormat::Xlsx, Input::File(path)) => {
            let file = std::fs::File::open(&path).map_err(unreadable_file)?;
            read_xlsx(
                std::io::BufReader::with_capacity(1 << 20, file),
                layout,
                bytes_total,
                sink,
            )
        }
        (FileFormat::Xlsx, Input::Bytes(bytes)) => {
            read_xlsx(std::io::Cursor::new(bytes), layout, bytes_total, sink)
        }
        (FileFormat::Jsonl, _) => Err(AppError::new(
            ErrorKind::BadRequest,
            "import.unsupported_format",
            "JSON Lines files hold patents; this import takes .csv or .xlsx",
        )),
    }
}

fn read_csv(input: impl Read, layout: &[Column], sink: &mut dyn RowSink) -> Result<(), AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    if !reader
        .read_byte_record(&mut record)
        .map_err(unreadable_file)?
    {
        return Err(no_header());
    }
    let header: Vec<String> = record
        .iter()
        .map(|cell| String::from_utf8_lossy(cell).into_owned())
        .collect();
    let positions = map_header(layout, &header)?;
    let mut row: u64 = 1;
    while reader
        .read_byte_record(&mut record)
        .map_err(unreadable_file)?
    {
        row += 1;
        let bytes_done = reader.position().byte();
        if record.iter().all(|cell| cell.trim_ascii().is_empty()) {
            // Spreadsheet programs save trailing rows of empty cells (`,,,,`): not data.
            continue;
        }
        if record.len() != positions.len() {
            sink.unreadable(
                column_count_rejection(row, record.len(), positions.len()),
                bytes_done,
            )?;
            continue;
        }
        let mut cells = [""; MAX_LAYOUT_COLUMNS];
        let mut problem = None;
        for (raw, &target) in record.iter().zip(&positions) {
            match std::str::from_utf8(raw) {
                Ok(cell) if too_long(cell) => {
                    problem = Some(too_long_rejection(row, &layout[target]))
                }
                Ok(cell) => cells[target] = cell,
                Err(_) => {
                    problem = Some(Rejection::new(
                        row,
                        layout[target].name,
                        "encoding",
                        "the cell is not UTF-8 text; save the file as CSV UTF-8",
                    ))
                }
            }
            if problem.is_some() {
                break;
            }
        }
        match problem {
            Some(rejection) => sink.unreadable(rejection, bytes_done)?,
            None => sink.row(row, &cells[..layout.len()], bytes_done)?,
        }
    }
    Ok(())
}

/// A spreadsheet cell as text: dates as `YYYY-MM-DD`, whole numbers without a fraction.
fn cell_text(value: &DataRef<'_>) -> Result<String, String> {
    Ok(match value {
        DataRef::Empty => String::new(),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            text.clone()
        }
        DataRef::SharedString(text) => (*text).to_string(),
        DataRef::Int(number) => number.to_string(),
        DataRef::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{number:.0}")
        }
        DataRef::Float(number) => number.to_string(),
        DataRef::Bool(flag) => flag.to_string(),
        DataRef::DateTime(moment) if moment.is_datetime() => {
            let (year, month, day, ..) = moment.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        DataRef::DateTime(moment) => moment.as_f64().to_string(),
        DataRef::Error(error) => {
            return Err(format!("the cell holds the spreadsheet error {error}"));
        }
    })
}

/// Spreadsheet columns read at most (a layout has far fewer).
const MAX_SHEET_COLUMNS: usize = 1_000;

struct XlsxRow {
    number: u64,
    cells: Vec<String>,
    problem: Option<Rejection>,
}

fn read_xlsx<R: Read + Seek>(
    input: R,
    layout: &[Column],
    bytes_total: u64,
    sink: &mut dyn RowSink,
) -> Result<(), AppError> {
    let mut workbook: Xlsx<R> = calamine::open_workbook_from_rs(input).map_err(unreadable_file)?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(no_header)?;
    let mut reader = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(unreadable_file)?;
    let dimensions = reader.dimensions();
    let first_row = u64::from(dimensions.start.0);
    let row_span = u64::from(dimensions.end.0.saturating_sub(dimensions.start.0)) + 1;
    let mut positions: Option<Vec<usize>> = None;
    let mut current: Option<XlsxRow> = None;
    let mut finish = |row: XlsxRow, positions: &mut Option<Vec<usize>>| -> Result<(), AppError> {
        if row.cells.iter().all(|cell| cell.trim().is_empty()) && row.problem.is_none() {
            return Ok(());
        }
        let Some(positions) = positions else {
            *positions = Some(map_header(layout, &row.cells)?);
            return Ok(());
        };
        let bytes_done =
            bytes_total.saturating_mul(row.number.saturating_sub(first_row)) / row_span;
        if let Some(rejection) = row.problem {
            return sink.unreadable(rejection, bytes_done);
        }
        if row
            .cells
            .iter()
            .skip(positions.len())
            .any(|cell| !cell.trim().is_empty())
        {
            let used = row
                .cells
                .iter()
                .rposition(|cell| !cell.trim().is_empty())
                .map_or(0, |last| last + 1);
            return sink.unreadable(
                column_count_rejection(row.number, used, positions.len()),
                bytes_done,
            );
        }
        let mut cells = [""; MAX_LAYOUT_COLUMNS];
        for (cell, &target) in row.cells.iter().zip(positions.iter()) {
            if too_long(cell) {
                return sink
                    .unreadable(too_long_rejection(row.number, &layout[target]), bytes_done);
            }
            cells[target] = cell;
        }
        sink.row(row.number, &cells[..layout.len()], bytes_done)
    };
    while let Some(cell) = reader.next_cell().map_err(unreadable_file)? {
        let (row_index, column_index) = cell.get_position();
        let number = u64::from(row_index) + 1;
        if current.as_ref().is_some_and(|row| row.number != number)
            && let Some(done) = current.take()
        {
            finish(done, &mut positions)?;
        }
        let row = current.get_or_insert_with(|| XlsxRow {
            number,
            cells: Vec::new(),
            problem: None,
        });
        let column = usize::try_from(column_index).unwrap_or(usize::MAX);
        if column >= MAX_SHEET_COLUMNS {
            if row.problem.is_none() {
                let expected = positions.as_ref().map_or(0, Vec::len);
                row.problem = Some(column_count_rejection(number, column + 1, expected));
            }
            continue;
        }
        if row.cells.len() <= column {
            row.cells.resize(column + 1, String::new());
        }
        match cell_text(cell.get_value()) {
            Ok(text) => row.cells[column] = text,
            Err(message) if row.problem.is_none() => {
                let field = positions
                    .as_ref()
                    .and_then(|positions| positions.get(column))
                    .map_or("row", |&target| layout[target].name);
                row.problem = Some(Rejection::new(number, field, "cell_error", message));
            }
            Err(_) => {}
        }
    }
    if let Some(done) = current.take() {
        finish(done, &mut positions)?;
    }
    if positions.is_none() {
        return Err(no_header());
    }
    Ok(())
}

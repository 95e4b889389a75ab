//! Cells from a CSV file or from the sheets of an `.xlsx` workbook (read with calamine).

use std::io::Cursor;
use std::sync::Arc;

use calamine::{DataRef, Reader as _, Xlsx};

use super::convert::detect;
use super::{Cell, Row, Source, Table};
use crate::diag::{did_you_mean, snippet, Diagnostics, Loc};
use crate::fmt::group;
use crate::load::limits::{MAX_ENTRIES, MAX_UNPACKED_BYTES, MAX_YAML_VALUES};

/// Cells kept per model, counted with the YAML values (one cell, one value).
struct Count<'a> {
    values: &'a mut usize,
    rows: usize,
}

impl Count<'_> {
    /// Counts one row of `cells` non-empty cells; the problem when a limit is passed.
    fn add(&mut self, cells: usize) -> Option<String> {
        self.rows += 1;
        *self.values = self.values.saturating_add(cells);
        if *self.values > MAX_YAML_VALUES {
            return Some(format!(
                "too much data: the model's files together may hold at most {} values (YAML values and table cells), and this row passes the limit",
                group(MAX_YAML_VALUES as u64)
            ));
        }
        if self.rows > MAX_ENTRIES {
            return Some(format!(
                "a table may have at most {} rows",
                group(MAX_ENTRIES as u64)
            ));
        }
        None
    }
}

fn at(shown: &Arc<str>, line: usize, column: usize) -> Loc {
    Loc {
        file: shown.clone(),
        line,
        column,
        key: String::new(),
    }
}

/// The rows of a CSV file: fields separated by commas, `"` quotes, surrounding spaces
/// trimmed, a byte-order mark ignored. `None` when the file cannot be read as a table
/// (reported).
pub fn read_csv(
    bytes: &[u8],
    shown: &Arc<str>,
    diags: &mut Diagnostics,
    values: &mut usize,
) -> Option<Table> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut count = Count { values, rows: 0 };
    let mut rows = Vec::new();
    for record in reader.byte_records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                diags.error(at(shown, line, 0), format!("invalid CSV: {e}"));
                return None;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() > MAX_COLUMNS {
            diags.error(
                at(shown, line, 0),
                format!(
                    "a row of {} cells; a table may have at most {} columns",
                    group(record.len() as u64),
                    group(MAX_COLUMNS as u64)
                ),
            );
            return None;
        }
        let mut cells = Vec::with_capacity(record.len());
        for (i, field) in record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok("") => cells.push(Cell::Empty),
                Ok(text) => cells.push(Cell::Text(text.to_string())),
                Err(_) => {
                    diags.error(at(shown, line, i + 1), "file is not valid UTF-8 text");
                    return None;
                }
            }
        }
        let filled = cells.iter().filter(|c| !matches!(c, Cell::Empty)).count();
        if let Some(problem) = count.add(filled) {
            diags.error(at(shown, line, 0), problem);
            return None;
        }
        rows.push(Row { line, cells });
    }
    table(shown.clone(), rows, diags, true)
}

/// Refuses a workbook whose parts would unpack to more than [`MAX_UNPACKED_BYTES`] (a
/// zip bomb), by the sizes its directory declares; what is no zip archive is left for
/// the workbook reader to describe.
fn unpacked_size(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let size = zip.by_index_raw(i).map(|f| f.size()).unwrap_or(0);
        total = total.saturating_add(size);
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(format!(
            "the workbook would unpack to {} bytes, by the sizes its parts declare; the limit \
             is {}",
            group(total),
            group(MAX_UNPACKED_BYTES)
        ));
    }
    Ok(())
}

/// The sheets of a workbook: the one named, or every sheet whose header is a known
/// table. `None` when nothing could be read (reported).
pub fn read_xlsx(
    bytes: &[u8],
    source: &Source,
    shown: &Arc<str>,
    entry: &Loc,
    diags: &mut Diagnostics,
    values: &mut usize,
) -> Option<Vec<Table>> {
    if let Err(problem) = unpacked_size(bytes) {
        diags.error(Loc::file(shown.clone()), problem);
        return None;
    }
    let mut book: Xlsx<_> = match Xlsx::new(Cursor::new(bytes)) {
        Ok(book) => book,
        Err(e) => {
            diags.error(
                Loc::file(shown.clone()),
                format!("cannot be read as an Excel workbook (.xlsx): {e}"),
            );
            return None;
        }
    };
    let names = book.sheet_names();
    let wanted: Vec<String> = match source.sheet {
        Some("") => {
            diags.error_help(
                entry.clone(),
                format!("`{}` names no sheet after `#`", snippet(source.path)),
                "write `file.xlsx#sheet` for one sheet, or `file.xlsx` for every sheet that holds a table",
            );
            return None;
        }
        Some(sheet) if names.iter().any(|n| n == sheet) => vec![sheet.to_string()],
        Some(sheet) => {
            let help = match did_you_mean(sheet, names.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("its sheets are: {}", names.join(", ")),
            };
            diags.error_help(
                entry.clone(),
                format!(
                    "the workbook `{}` has no sheet `{}`",
                    snippet(source.path),
                    snippet(sheet)
                ),
                help,
            );
            return None;
        }
        None => names.clone(),
    };
    let mut count = Count { values, rows: 0 };
    let mut tables = Vec::new();
    for name in &wanted {
        let sheet_shown: Arc<str> = format!("{shown}#{name}").into();
        let mut cells_reader = match book.worksheet_cells_reader(name) {
            Ok(r) => r,
            Err(e) => {
                diags.error(
                    Loc::file(sheet_shown),
                    format!("cannot read the sheet: {e}"),
                );
                return None;
            }
        };
        count.rows = 0;
        let mut rows: Vec<Row> = Vec::new();
        let mut filled = 0usize;
        loop {
            let cell = match cells_reader.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => break,
                Err(e) => {
                    diags.error(
                        Loc::file(sheet_shown),
                        format!("cannot read the sheet: {e}"),
                    );
                    return None;
                }
            };
            let (r, c) = cell.get_position();
            let (line, column) = (r as usize + 1, c as usize);
            let value = match cell.get_value() {
                DataRef::Empty => Cell::Empty,
                DataRef::Int(i) => Cell::Int(*i),
                DataRef::Float(x) => Cell::Float(*x),
                DataRef::Bool(b) => Cell::Bool(*b),
                DataRef::String(s) => text_cell(s),
                DataRef::SharedString(s) => text_cell(s),
                DataRef::DateTime(_) | DataRef::DateTimeIso(_) => {
                    Cell::Other("a date or time".to_string())
                }
                DataRef::DurationIso(_) => Cell::Other("a duration".to_string()),
                DataRef::Error(e) => Cell::Other(format!("the error {e}")),
            };
            if matches!(value, Cell::Empty) {
                continue;
            }
            if rows.last().is_none_or(|row| row.line != line) {
                if let Some(problem) = count.add(std::mem::take(&mut filled)) {
                    diags.error(at(&sheet_shown, line, 0), problem);
                    return None;
                }
                rows.push(Row {
                    line,
                    cells: Vec::new(),
                });
            }
            filled += 1;
            if let Some(row) = rows.last_mut() {
                // Columns past the header are refused when the table is read; one past
                // the limit is enough to say so.
                let index = column.min(MAX_COLUMNS);
                if index >= row.cells.len() {
                    row.cells.resize(index + 1, Cell::Empty);
                }
                if let Some(slot) = row.cells.get_mut(index) {
                    *slot = value;
                }
            }
        }
        if let Some(problem) = count.add(filled) {
            diags.error(Loc::file(sheet_shown), problem);
            return None;
        }
        let named = source.sheet.is_some();
        // Without a sheet name, a sheet whose header is no known table is passed over.
        if !named {
            let header: Option<Vec<String>> = rows
                .first()
                .and_then(|r| header_labels(&r.cells).into_iter().collect());
            if header.is_none_or(|h| detect(&h).is_err()) {
                continue;
            }
        }
        if let Some(t) = table(sheet_shown, rows, diags, named) {
            tables.push(t);
        }
    }
    if source.sheet.is_none() && tables.is_empty() {
        diags.error_help(
            entry.clone(),
            format!("no sheet of `{}` holds a known table", snippet(source.path)),
            format!(
                "{} (sheets: {})",
                super::convert::KNOWN_HEADERS,
                names.join(", ")
            ),
        );
        return None;
    }
    Some(tables)
}

/// Columns a table may have (a wide table of 10,000 periods has 10,003).
const MAX_COLUMNS: usize = 16_384;

fn text_cell(s: &str) -> Cell {
    match s.trim() {
        "" => Cell::Empty,
        t => Cell::Text(t.to_string()),
    }
}

/// Header cells as labels (numbers as written); `None` for a cell that is no label.
fn header_labels(cells: &[Cell]) -> Vec<Option<String>> {
    let mut labels: Vec<Option<String>> = cells.iter().map(Cell::label).collect();
    while labels.last().is_some_and(|l| l.as_deref() == Some("")) {
        labels.pop();
    }
    labels
}

/// The first row that is not blank is the header; blank rows are skipped.
fn table(
    shown: Arc<str>,
    rows: Vec<Row>,
    diags: &mut Diagnostics,
    report_unknown: bool,
) -> Option<Table> {
    let mut rows = rows
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !matches!(c, Cell::Empty)));
    let Some(first) = rows.next() else {
        diags.error(
            Loc::file(shown),
            format!(
                "the table is empty: its first row names what it holds; {}",
                super::convert::KNOWN_HEADERS
            ),
        );
        return None;
    };
    let mut header = Vec::new();
    let mut ok = true;
    for (i, label) in header_labels(&first.cells).into_iter().enumerate() {
        match label {
            Some(l) if !l.is_empty() => header.push(l),
            Some(_) => {
                diags.error(
                    at(&shown, first.line, i + 1),
                    "a column without a header: every column of the first row needs a name",
                );
                ok = false;
            }
            None => {
                diags.error_help(
                    at(&shown, first.line, i + 1),
                    format!("header cell {} is not text", i + 1),
                    "format the header row as text (a period such as 2027-01 may have been turned into a date)",
                );
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    let shape = match detect(&header) {
        Ok(shape) => shape,
        Err(problem) => {
            if report_unknown {
                let loc = at(&shown, first.line, problem.column.map_or(0, |c| c + 1));
                match problem.help {
                    Some(help) => diags.error_help(loc, problem.message, help),
                    None => diags.error(loc, problem.message),
                }
            }
            return None;
        }
    };
    let width = header.len();
    let mut body = Vec::new();
    for row in rows {
        if let Some(extra) = row
            .cells
            .iter()
            .enumerate()
            .skip(width)
            .find(|(_, c)| !matches!(c, Cell::Empty))
        {
            diags.error(
                at(&shown, row.line, extra.0 + 1),
                format!(
                    "a value in column {}, past the {width} columns the header names",
                    extra.0 + 1
                ),
            );
            ok = false;
            continue;
        }
        body.push(row);
    }
    if body.is_empty() {
        diags.warning(
            at(&shown, first.line, 0),
            "the table has a header and no rows",
        );
    }
    ok.then_some(Table {
        shown,
        header_line: first.line,
        header,
        shape,
        rows: body,
    })
}

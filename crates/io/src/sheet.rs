//! Reading the first worksheet of an XLSX file into rows of text, and finding the header.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// The file could not be read as a spreadsheet at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SheetError {
    #[error("not an XLSX file")]
    NotXlsx,
    #[error("the workbook has no worksheet")]
    NoSheet,
    #[error("no header row with the column {0}")]
    NoHeader(&'static str),
    #[error("the file has no data rows")]
    Empty,
    #[error("too many rows ({0}); split the file")]
    TooLarge(usize),
}

/// One problem in one cell (or row) of an import. `row` is the row number Excel shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    /// The column's header as written in the file, or "" for the whole row.
    pub column: String,
    /// A translation key's suffix: "required", "invalid-number", ...
    pub reason: &'static str,
}

/// Imports stop here: a bigger file is almost always the wrong file.
pub const MAX_ROWS: usize = 20_000;

/// One cell: its text as shown, and its value when the cell holds a number (so that 1.125
/// typed as a number is never mistaken for "1.125" with an Indonesian thousands dot).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub number: Option<f64>,
}

/// The first worksheet as cells, keeping Excel's row numbering (title rows included).
pub fn read_first_sheet(bytes: &[u8]) -> Result<Vec<Vec<Cell>>, SheetError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| SheetError::NotXlsx)?;
    let name = book.sheet_names().first().cloned().ok_or(SheetError::NoSheet)?;
    let range = book.worksheet_range(&name).map_err(|_| SheetError::NotXlsx)?;
    if range.height() > MAX_ROWS {
        return Err(SheetError::TooLarge(range.height()));
    }
    // calamine's range starts at the first used cell; keep Excel's row numbers right.
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let first_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut rows = vec![Vec::new(); first_row];
    for row in range.rows() {
        let mut cells = vec![Cell::default(); first_col];
        cells.extend(row.iter().map(|d| Cell {
            text: cell_text(d),
            number: match d {
                Data::Float(f) => Some(*f),
                Data::Int(i) => Some(*i as f64),
                _ => None,
            },
        }));
        rows.push(cells);
    }
    Ok(rows)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        // Dates are not used by these imports yet; keep the serial value readable.
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// Lower-case, single spaces, no punctuation: "Indikator  Kinerja:" → "indikator kinerja".
pub fn normalise_header(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where each wanted column is. Every wanted column has names it may go by; a header matches
/// when its normalised text equals a name or starts with it ("target 2026" is a target).
pub fn find_header(
    rows: &[Vec<Cell>],
    wanted: &[(&'static str, &[&str])],
    required: &'static str,
) -> Result<(usize, Vec<Option<usize>>), SheetError> {
    for (index, row) in rows.iter().enumerate().take(15) {
        let headers: Vec<String> = row.iter().map(|c| normalise_header(&c.text)).collect();
        let positions: Vec<Option<usize>> = wanted
            .iter()
            .map(|(_, names)| {
                headers.iter().position(|h| names.iter().any(|n| h == n || h.starts_with(&format!("{n} "))))
            })
            .collect();
        let required_at = wanted.iter().position(|(key, _)| *key == required);
        if required_at.is_some_and(|i| positions[i].is_some()) {
            return Ok((index, positions));
        }
    }
    Err(SheetError::NoHeader(required))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_normalised() {
        assert_eq!(normalise_header("  Indikator   Kinerja: "), "indikator kinerja");
        assert_eq!(normalise_header("Target (2026)"), "target 2026");
    }

    #[test]
    fn garbage_is_not_a_spreadsheet() {
        assert_eq!(read_first_sheet(b"not a zip").unwrap_err(), SheetError::NotXlsx);
    }
}

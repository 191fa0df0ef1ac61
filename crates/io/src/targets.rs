//! Performance targets (indikator kinerja) as agencies keep them in XLSX:
//!
//! | No | Indikator Kinerja | Satuan | Target | Realisasi | (Tahun) |
//!
//! with any title rows above, and columns in any order.

use sinergi_domain::auth::FieldError;

use crate::sheet::{Cell, RowError, SheetError, find_header, read_first_sheet};

/// One target row, parsed. The year comes from the file's "Tahun" column or from the form.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRow {
    pub row: usize,
    pub year: i32,
    pub indicator: String,
    pub unit: String,
    pub target: f64,
    pub realised: Option<f64>,
}

const COLUMNS: &[(&str, &[&str])] = &[
    (
        "indicator",
        &["indikator kinerja", "indikator", "iku", "indikator kinerja utama", "indicator", "performance indicator"],
    ),
    ("unit", &["satuan", "unit"]),
    ("target", &["target", "target kinerja"]),
    ("realised", &["realisasi", "capaian", "realised", "realized", "actual"]),
    ("year", &["tahun", "year"]),
];

/// A number as officials type it: "85,5", "1.250", "85%", or a numeric cell.
pub fn parse_number(input: &str) -> Result<f64, &'static str> {
    let s: String = input.trim().trim_end_matches('%').chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Err("required");
    }
    // Indonesian writing uses "." for thousands and "," for decimals; a cell that reached us as
    // a number has a single "." as its decimal point.
    let normalised = if s.contains(',') {
        s.replace('.', "").replace(',', ".")
    } else if s.matches('.').count() > 1
        || (s.split('.').nth(1).is_some_and(|d| d.len() == 3) && !s.starts_with("0.") && !s.starts_with("-0."))
    {
        // Typed as text, "1.250" or "1.250.000" uses thousands dots (numeric cells never get here).
        s.replace('.', "")
    } else {
        s
    };
    normalised.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or("invalid-number")
}

/// Read every target row; either all rows or the list of every problem.
pub fn read_targets(
    bytes: &[u8],
    default_year: Option<i32>,
) -> Result<Result<Vec<TargetRow>, Vec<RowError>>, SheetError> {
    let rows = read_first_sheet(bytes)?;
    let (header_at, positions) = find_header(&rows, COLUMNS, "indicator")?;
    let header = &rows[header_at];
    let col = |key: &str| COLUMNS.iter().position(|(k, _)| *k == key).and_then(|i| positions[i]);
    let name = |i: usize| header.get(i).map(|c| c.text.clone()).unwrap_or_default();
    let (Some(ind), Some(target)) = (col("indicator"), col("target")) else {
        return Err(SheetError::NoHeader("target"));
    };
    let unit = col("unit");
    let realised = col("realised");
    let year = col("year");
    if year.is_none() && default_year.is_none() {
        return Err(SheetError::NoHeader("year"));
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (index, row) in rows.iter().enumerate().skip(header_at + 1) {
        let excel_row = index + 1;
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(|c| c.text.as_str()).unwrap_or("");
        let number = |i: Option<usize>| -> Result<f64, &'static str> {
            match i.and_then(|i| row.get(i)) {
                Some(Cell { number: Some(v), .. }) => Ok(*v),
                Some(c) => parse_number(&c.text),
                None => Err("required"),
            }
        };
        if row.iter().all(|c| c.text.trim().is_empty()) {
            continue;
        }
        let mut fail = |column: Option<usize>, reason: &'static str| {
            errors.push(RowError { row: excel_row, column: column.map(name).unwrap_or_default(), reason })
        };
        let indicator = cell(Some(ind)).to_owned();
        if indicator.is_empty() {
            fail(Some(ind), "required");
        } else if indicator.chars().count() > 300 {
            fail(Some(ind), "too-long");
        }
        let unit_text = cell(unit).to_owned();
        if unit_text.is_empty() {
            fail(unit, "required");
        }
        let target_value = number(Some(target)).map_err(|r| fail(Some(target), r)).ok();
        let realised_value = match cell(realised) {
            "" | "-" => Some(None),
            _ => number(realised).map(Some).map_err(|r| fail(realised, r)).ok(),
        };
        let year_value = match (year, default_year) {
            (Some(y), _) if !cell(Some(y)).is_empty() => {
                let parsed = cell(Some(y)).parse::<i32>().ok().filter(|v| (2000..=2100).contains(v));
                if parsed.is_none() {
                    fail(Some(y), "invalid-year");
                }
                parsed
            }
            (_, Some(d)) => Some(d),
            (Some(y), None) => {
                fail(Some(y), "required");
                None
            }
            (None, None) => None,
        };
        if let (Some(target), Some(realised), Some(year)) = (target_value, realised_value, year_value)
            && !indicator.is_empty()
            && !unit_text.is_empty()
        {
            out.push(TargetRow { row: excel_row, year, indicator, unit: unit_text, target, realised });
        }
    }
    if out.is_empty() && errors.is_empty() {
        return Err(SheetError::Empty);
    }
    Ok(if errors.is_empty() { Ok(out) } else { Err(errors) })
}

/// The field of a row error, for code that reports in terms of form fields.
pub fn field_error(e: &RowError) -> FieldError {
    FieldError::new("file", e.reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_typed() {
        assert_eq!(parse_number("85,5"), Ok(85.5));
        assert_eq!(parse_number("1.250"), Ok(1250.0));
        assert_eq!(parse_number("1.250.000"), Ok(1_250_000.0));
        assert_eq!(parse_number("12.5"), Ok(12.5));
        assert_eq!(parse_number("0.125"), Ok(0.125));
        assert_eq!(parse_number("90%"), Ok(90.0));
        assert_eq!(parse_number(""), Err("required"));
        assert_eq!(parse_number("banyak"), Err("invalid-number"));
    }
}

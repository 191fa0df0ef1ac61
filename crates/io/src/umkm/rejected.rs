//! The rejected rows back as a spreadsheet, for the officer to fix and import again.
//!
//! The sheet has the file's own header and columns, so the fixed file imports with the same
//! mapping, and one more column with the reasons. Each cell with a problem is filled (red for an
//! error, yellow for a warning) and carries a note saying what is wrong with it. Values go back
//! as they came: text as text (a NIK typed as text stays whole, "1.125" stays the Indonesian
//! 1.125), numbers as numbers (a number cell 1.125 stays one and a bit).

use rust_xlsxwriter::{Format, FormatBorder, Note, Workbook, XlsxError};

use super::parse::{ParsedRow, Problem, Severity};

/// Excel's limit for the text of one cell.
const MAX_CELL: usize = 32_767;

/// An XLSX of `rows` under `headers`, with a last column headed `reason_header` holding each
/// row's problems as `label` words them (in the officer's language), joined by "; ".
pub fn rejected_workbook(
    headers: &[String],
    rows: &[&ParsedRow],
    reason_header: &str,
    label: &dyn Fn(&Problem) -> String,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header_format = Format::new().set_bold().set_background_color("#E7F2EF").set_border_bottom(FormatBorder::Thin);
    let plain_format = Format::new();
    let error_format = Format::new().set_background_color("#F4CCCC");
    let warning_format = Format::new().set_background_color("#FFF2CC");
    let reason_format = Format::new().set_font_color("#9C0006").set_text_wrap();

    let width = rows.iter().map(|r| r.raw.len()).chain([headers.len()]).max().unwrap_or(0);
    let reason_column = column(width)?;
    let mut widths: Vec<usize> = vec![8; width + 1];
    for (c, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column(c)?, cell_text(header), &header_format)?;
        widths[c] = widths[c].max(header.chars().count());
    }
    sheet.write_string_with_format(0, reason_column, cell_text(reason_header), &header_format)?;
    sheet.set_freeze_panes(1, 0)?;

    for (i, row) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, cell) in row.raw.iter().enumerate() {
            let problems: Vec<&Problem> = row.problems.iter().filter(|p| p.column_index == Some(c)).collect();
            let format = match problems.iter().map(|p| p.severity).max() {
                None => &plain_format,
                Some(Severity::Error) => &error_format,
                Some(Severity::Warning) => &warning_format,
            };
            match cell.number {
                Some(n) => sheet.write_number_with_format(r, column(c)?, n, format)?,
                None => sheet.write_string_with_format(r, column(c)?, cell_text(&cell.text), format)?,
            };
            if !problems.is_empty() {
                let note = problems.iter().map(|p| label(p)).collect::<Vec<_>>().join("\n");
                sheet.insert_note(r, column(c)?, &Note::new(cell_text(&note)).add_author_prefix(false))?;
            }
            widths[c] = widths[c].max(cell.text.chars().count().min(40));
        }
        let reasons = row.problems.iter().map(label).collect::<Vec<_>>().join("; ");
        sheet.write_string_with_format(r, reason_column, cell_text(&reasons), &reason_format)?;
    }
    for (c, w) in widths.iter().enumerate().take(width) {
        sheet.set_column_width(column(c)?, (*w + 2) as f64)?;
    }
    sheet.set_column_width(reason_column, 60)?;
    book.save_to_buffer()
}

fn column(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

/// Text cut to what one cell (or note) holds.
fn cell_text(text: &str) -> &str {
    // Notes need room for their own prefix; 32,000 UTF-16 units is safe for both.
    let limit = MAX_CELL - 767;
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > limit {
            return &text[..i];
        }
    }
    text
}

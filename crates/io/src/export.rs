//! Spreadsheets out: a titled sheet (the Pemda's name as letterhead) with a bold header row,
//! columns sized to their content, and numbers written as numbers so officials can sum them.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell of an export.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    /// Rupiah, formatted `Rp #.##0` in the sheet, kept numeric.
    Rupiah(i64),
    Empty,
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

/// A table with a letterhead: `title` (e.g. "PETA KEBUTUHAN KERJA SAMA TAHUN 2026"), `subtitle`
/// (e.g. "Pemerintah Kota Serang"), the header row and the rows.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub subtitle: &'a str,
    pub headers: &'a [String],
    pub rows: &'a [Vec<Value>],
}

pub fn xlsx(sheet: &Sheet<'_>) -> Result<Vec<u8>, XlsxError> {
    xlsx_book(std::slice::from_ref(sheet))
}

/// A workbook of several sheets, each laid out as [`xlsx`] lays out one.
pub fn xlsx_book(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    for sheet in sheets {
        write_sheet(&mut book, sheet)?;
    }
    book.save_to_buffer()
}

fn write_sheet(book: &mut Workbook, sheet: &Sheet<'_>) -> Result<(), XlsxError> {
    let ws = book.add_worksheet();
    // Sheet names are at most 31 characters in Excel.
    ws.set_name(sheet.name.chars().take(31).collect::<String>())?;
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let header =
        Format::new().set_bold().set_background_color("#E7F2EF").set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let rupiah = Format::new().set_num_format("\"Rp\" #,##0");
    ws.write_string_with_format(0, 0, sheet.title, &title)?;
    ws.write_string_with_format(1, 0, sheet.subtitle, &bold)?;
    let first = 3u32;
    let mut widths: Vec<usize> = sheet.headers.iter().map(|h| h.chars().count()).collect();
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(first, c as u16, h, &header)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = first + 1 + r as u32;
        for (c, v) in row.iter().enumerate() {
            let c16 = c as u16;
            let len = match v {
                Value::Text(t) => {
                    ws.write_string(r, c16, t)?;
                    t.chars().count()
                }
                Value::Number(n) => {
                    ws.write_number(r, c16, *n)?;
                    12
                }
                Value::Rupiah(n) => {
                    ws.write_number_with_format(r, c16, *n as f64, &rupiah)?;
                    18
                }
                Value::Empty => 0,
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(len);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(6, 60) as f64 + 2.0)?;
    }
    ws.set_freeze_panes(first + 1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::read_first_sheet;

    #[test]
    fn an_export_reads_back() {
        let headers = vec!["Judul".to_owned(), "Nilai".to_owned()];
        let rows = vec![
            vec![Value::from("Penataan kabel"), Value::Rupiah(2_400_000_000)],
            vec![Value::from("Wi-Fi"), Value::Empty],
        ];
        let bytes = xlsx(&Sheet {
            name: "Register",
            title: "REGISTER",
            subtitle: "Kota Tangerang Selatan",
            headers: &headers,
            rows: &rows,
        })
        .expect("xlsx");
        let read = read_first_sheet(&bytes).expect("read");
        assert_eq!(read[0][0].text, "REGISTER");
        assert_eq!(read[3][0].text, "Judul");
        assert_eq!(read[4][1].number, Some(2_400_000_000.0));
    }
}

//! Reading a spreadsheet file of any kind agencies send (XLSX, XLS, ODS, CSV) into rows of cells.
//!
//! The format is told by the bytes, not the name: a register saved as `.xls` is often an XLSX
//! or a CSV, and a CSV may come as UTF-8 (with or without a byte-order mark), as UTF-16 (Excel's
//! "Unicode text") or as Windows-1252 (Excel's "CSV" on an Indonesian Windows), with commas,
//! semicolons (Excel where the decimal mark is a comma) or tabs between fields.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, Ods, Reader, SheetType, SheetVisible, Xls, Xlsx};
use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::ImportError;

/// More rows than a kabupaten's whole register (48,000 UMKM in Kabupaten Serang) is the wrong
/// file, or a sheet with stray content a million rows down.
pub const MAX_ROWS: usize = 50_000;

/// Registers have a few dozen columns; a value further right is stray content.
pub const MAX_COLUMNS: usize = 256;

/// One cell: its text as shown, and its value when the cell holds a number (so that 1.125 typed
/// as a number is never mistaken for "1.125" with an Indonesian thousands dot, and a NIK stored
/// as a number can be told from one stored as text).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub number: Option<f64>,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), number: None }
    }

    pub fn number(value: f64) -> Self {
        Self { text: number_text(value), number: Some(value) }
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// What kind of file it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Xlsx,
    Xls,
    Ods,
    Csv { delimiter: u8, encoding: TextEncoding },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16,
    Windows1252,
}

/// One worksheet, its rows indexed from 0 for Excel's row 1: title rows and blank rows above the
/// header are kept, so that a row's index always gives the row number the officer sees.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawSheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// Hidden sheets are read too, but a visible one is preferred for the header.
    pub hidden: bool,
}

impl RawSheet {
    /// The cell at a row index and column, if the row reaches that far.
    pub fn cell(&self, row: usize, column: usize) -> Option<&Cell> {
        self.rows.get(row).and_then(|r| r.get(column))
    }
}

/// The row number Excel shows for a row index.
pub fn row_number(index: usize) -> usize {
    index + 1
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub format: FileFormat,
    pub sheets: Vec<RawSheet>,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Reads every worksheet of a file. `file_name` only breaks a tie the bytes leave open (a text
/// file is read as CSV whatever its name); the caller limits the file's size.
pub fn read_workbook(bytes: &[u8], file_name: &str) -> Result<Workbook, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let workbook = if bytes.starts_with(ZIP_MAGIC) {
        if is_ods(bytes) || file_name.to_ascii_lowercase().ends_with(".ods") {
            Workbook { format: FileFormat::Ods, sheets: read_ods(bytes)? }
        } else {
            Workbook { format: FileFormat::Xlsx, sheets: read_xlsx(bytes)? }
        }
    } else if bytes.starts_with(OLE_MAGIC) {
        // An XLSX with a password is an OLE file holding the encrypted package.
        if contains(bytes, &utf16le("EncryptedPackage")) {
            return Err(ImportError::Encrypted);
        }
        Workbook { format: FileFormat::Xls, sheets: read_xls(bytes)? }
    } else if looks_like_html(bytes) {
        // Web applications' "export to Excel" often writes an HTML table named .xls.
        return Err(ImportError::HtmlTable);
    } else {
        read_csv(bytes)?
    };
    if workbook.sheets.iter().all(|s| s.rows.iter().all(|r| r.iter().all(Cell::is_blank))) {
        return Err(ImportError::Empty);
    }
    Ok(workbook)
}

fn is_ods(bytes: &[u8]) -> bool {
    // An ODS file's first zip entry is the uncompressed `mimetype` file.
    bytes.get(30..30 + 8 + ODS_MIMETYPE.len()).is_some_and(|s| s.ends_with(ODS_MIMETYPE))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    trimmed.starts_with('<') && (head.contains("<html") || head.contains("<table"))
}

/// Collects cells given by position into rows, enforcing the row and column limits.
#[derive(Default)]
struct Grid {
    rows: Vec<Vec<Cell>>,
}

impl Grid {
    fn put(&mut self, row: usize, column: usize, cell: Cell) -> Result<(), ImportError> {
        if cell.is_blank() {
            return Ok(());
        }
        if row >= MAX_ROWS {
            return Err(ImportError::TooManyRows { max: MAX_ROWS });
        }
        if column >= MAX_COLUMNS {
            return Err(ImportError::TooManyColumns { max: MAX_COLUMNS });
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if cells.len() <= column {
            cells.resize_with(column + 1, Cell::default);
        }
        cells[column] = cell;
        Ok(())
    }
}

fn unreadable<E>(format: &'static str) -> impl Fn(E) -> ImportError {
    move |_| ImportError::Unreadable { format }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<RawSheet>, ImportError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable("xlsx"))?;
    let sheets = worksheets(book.sheets_metadata());
    let mut out = Vec::with_capacity(sheets.len());
    for (name, hidden) in sheets {
        // The cell reader goes through the used cells one by one: a stray value far down or to
        // the right fails the limits before anything the size of the sheet is allocated.
        let mut grid = Grid::default();
        {
            let mut reader = book.worksheet_cells_reader(&name).map_err(unreadable("xlsx"))?;
            while let Some(cell) = reader.next_cell().map_err(unreadable("xlsx"))? {
                let (row, column) = cell.get_position();
                let data: Data = cell.get_value().clone().into();
                grid.put(row as usize, column as usize, cell_of(&data))?;
            }
        }
        // A sheet whose merged cells cannot be read is still read, without them.
        let merged = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        fill_merged_down(&mut grid.rows, &merged);
        out.push(RawSheet { name, rows: grid.rows, hidden });
    }
    Ok(out)
}

fn read_xls(bytes: &[u8]) -> Result<Vec<RawSheet>, ImportError> {
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(unreadable("xls"))?;
    let sheets = worksheets(book.sheets_metadata());
    let mut out = Vec::with_capacity(sheets.len());
    for (name, hidden) in sheets {
        let range = book.worksheet_range(&name).map_err(unreadable("xls"))?;
        let mut rows = range_rows(&range)?;
        fill_merged_down(&mut rows, &book.merge_cells_by_sheet_name(&name).unwrap_or_default());
        out.push(RawSheet { name, rows, hidden });
    }
    Ok(out)
}

fn read_ods(bytes: &[u8]) -> Result<Vec<RawSheet>, ImportError> {
    let mut book: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(unreadable("ods"))?;
    let sheets = worksheets(book.sheets_metadata());
    let mut out = Vec::with_capacity(sheets.len());
    for (name, hidden) in sheets {
        let range = book.worksheet_range(&name).map_err(unreadable("ods"))?;
        out.push(RawSheet { name, rows: range_rows(&range)?, hidden });
    }
    Ok(out)
}

/// The worksheets (not charts or macros), with whether each is hidden.
fn worksheets(sheets: &[calamine::Sheet]) -> Vec<(String, bool)> {
    sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect()
}

/// Gives every row of a cell merged down over several rows its value: registers merge the
/// kecamatan cell over all the businesses of that kecamatan, and only the top row holds it.
/// Merges across columns (titles, grouped headers) are left alone: their value belongs to the
/// first column only.
fn fill_merged_down(rows: &mut [Vec<Cell>], merged: &[calamine::Dimensions]) {
    for region in merged {
        let ((top, column), (bottom, last_column)) = (region.start, region.end);
        if column != last_column || bottom <= top {
            continue;
        }
        let (top, column) = (top as usize, column as usize);
        let Some(value) = rows.get(top).and_then(|r| r.get(column)).filter(|c| !c.is_blank()).cloned() else {
            continue;
        };
        // The region may reach far below the data; only rows that exist are filled.
        let bottom = (bottom as usize).min(rows.len().saturating_sub(1));
        for row in rows.iter_mut().take(bottom + 1).skip(top + 1) {
            if row.len() <= column {
                row.resize_with(column + 1, Cell::default);
            }
            if row[column].is_blank() {
                row[column] = value.clone();
            }
        }
    }
}

fn range_rows(range: &calamine::Range<Data>) -> Result<Vec<Vec<Cell>>, ImportError> {
    let mut grid = Grid::default();
    // A range starts at its first used cell; positions are made absolute again.
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    for (r, row) in range.rows().enumerate() {
        for (c, data) in row.iter().enumerate() {
            grid.put(first_row as usize + r, first_column as usize + c, cell_of(data))?;
        }
    }
    Ok(grid.rows)
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::default(),
        Data::String(s) => Cell::text(clean_text(s)),
        Data::Float(f) if f.is_finite() => Cell::number(*f),
        Data::Float(_) => Cell::default(),
        Data::Int(i) => Cell::number(*i as f64),
        Data::Bool(b) => Cell::text(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) => Cell::text(excel_date(d.as_f64()).unwrap_or_else(|| number_text(d.as_f64()))),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::text(s.trim()),
    }
}

/// Trims, and turns the no-break spaces that pasted web text brings into plain spaces.
fn clean_text(s: &str) -> String {
    s.replace('\u{a0}', " ").trim().to_owned()
}

/// A number as plain digits: whole numbers without a decimal point or exponent (a 16-digit
/// NIK stored as a number reads as its digits), others as Rust writes them ("1.125").
pub(crate) fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e17 { format!("{value:.0}") } else { format!("{value}") }
}

/// An Excel date serial as `YYYY-MM-DD` (the 1900 date system; serials below 61 sit before
/// Excel's phantom 29 February 1900).
fn excel_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = if serial < 61.0 {
        time::Date::from_calendar_date(1899, time::Month::December, 31).ok()?
    } else {
        time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?
    };
    let date = epoch.checked_add(time::Duration::days(serial.floor() as i64))?;
    Some(format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()))
}

fn read_csv(bytes: &[u8]) -> Result<Workbook, ImportError> {
    let (text, encoding) = decode(bytes);
    let (text, hinted) = strip_separator_hint(&text);
    let delimiter = hinted.unwrap_or_else(|| sniff_delimiter(text));
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut grid = Grid::default();
    let mut record = csv::StringRecord::new();
    let mut index = 0;
    while reader.read_record(&mut record).map_err(unreadable("csv"))? {
        for (column, field) in record.iter().enumerate() {
            grid.put(index, column, Cell::text(clean_text(field)))?;
        }
        index += 1;
    }
    let sheet = RawSheet { name: String::new(), rows: grid.rows, hidden: false };
    Ok(Workbook { format: FileFormat::Csv { delimiter, encoding }, sheets: vec![sheet] })
}

/// The text of a CSV file: UTF-8 (its BOM dropped), UTF-16 with a BOM, or else Windows-1252,
/// the code page Excel writes CSV in on Indonesian Windows (every byte is a character there, so
/// decoding never fails).
fn decode(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest), TextEncoding::Utf8);
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return (UTF_16LE.decode_with_bom_removal(bytes).0, TextEncoding::Utf16);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return (UTF_16BE.decode_with_bom_removal(bytes).0, TextEncoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), TextEncoding::Utf8),
        Err(_) => (WINDOWS_1252.decode_without_bom_handling(bytes).0, TextEncoding::Windows1252),
    }
}

/// Excel's `sep=;` first line names the delimiter.
fn strip_separator_hint(text: &str) -> (&str, Option<u8>) {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_line_end].trim_end_matches('\r');
    match first.strip_prefix("sep=").map(str::as_bytes) {
        Some([d]) if d.is_ascii_punctuation() || *d == b'\t' => {
            (text.get(first_line_end + 1..).unwrap_or_default(), Some(*d))
        }
        _ => (text, None),
    }
}

const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// The delimiter that splits the first lines most consistently: the one for which most lines
/// have the same number (more than one) of fields. Amounts like "1,5 M" and addresses with commas
/// in a semicolon file give the comma uneven counts, so the semicolon wins there.
fn sniff_delimiter(text: &str) -> u8 {
    let sample_end = text.char_indices().nth(64 * 1024).map_or(text.len(), |(i, _)| i);
    let sample = &text[..sample_end];
    let mut best = (0usize, 0usize, b',');
    for delimiter in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(sample.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .take(50)
            .filter_map(Result::ok)
            .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
            .map(|r| r.len())
            .collect();
        let (mode, frequency) = mode(&counts);
        if mode > 1 && (frequency, mode) > (best.0, best.1) {
            best = (frequency, mode, delimiter);
        }
    }
    best.2
}

/// The most frequent value (the largest among equally frequent ones) and its frequency.
fn mode(values: &[usize]) -> (usize, usize) {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mut best = (0, 0);
    for run in sorted.chunk_by(|a, b| a == b) {
        if run.len() >= best.1 {
            best = (run[0], run.len());
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(book: &Workbook) -> Vec<Vec<String>> {
        book.sheets[0].rows.iter().map(|r| r.iter().map(|c| c.text.clone()).collect()).collect()
    }

    #[test]
    fn semicolon_csv_in_windows_1252() {
        let bytes = b"DAFTAR PESERTA;;\r\nNama;Kecamatan;Omzet\r\nKeripik Caf\xe9;Cikande;1,5 M\r\n";
        let book = read_workbook(bytes, "peserta.csv").unwrap();
        assert_eq!(book.format, FileFormat::Csv { delimiter: b';', encoding: TextEncoding::Windows1252 });
        assert_eq!(grid(&book)[2], ["Keripik Café", "Cikande", "1,5 M"]);
        assert_eq!(grid(&book)[0], ["DAFTAR PESERTA"], "blank cells are not kept at the end of a row");
    }

    #[test]
    fn comma_csv_with_bom_and_quotes() {
        let bytes = "\u{feff}Nama,Alamat,Omzet\n\"Kue Bu Siti\",\"Jl. Raya, No. 5\",\"25.000.000\"\n";
        let book = read_workbook(bytes.as_bytes(), "x.csv").unwrap();
        assert_eq!(book.format, FileFormat::Csv { delimiter: b',', encoding: TextEncoding::Utf8 });
        assert_eq!(grid(&book)[1], ["Kue Bu Siti", "Jl. Raya, No. 5", "25.000.000"]);
    }

    #[test]
    fn tab_separated_utf16_as_excel_saves_unicode_text() {
        let text = "Nama\tKec.\nWarung Bu Ani\tKibin\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(utf16le(text));
        let book = read_workbook(&bytes, "data.txt").unwrap();
        assert_eq!(book.format, FileFormat::Csv { delimiter: b'\t', encoding: TextEncoding::Utf16 });
        assert_eq!(grid(&book)[1], ["Warung Bu Ani", "Kibin"]);
    }

    #[test]
    fn separator_hint_line() {
        let book = read_workbook(b"sep=;\nA;B,C\n1;2,5\n", "x.csv").unwrap();
        assert_eq!(grid(&book), [vec!["A", "B,C"], vec!["1", "2,5"]]);
    }

    #[test]
    fn commas_inside_semicolon_fields_do_not_fool_the_sniffer() {
        let text = "Nama;Alamat;Omzet\nA;Jl. X, RT 1, RW 2;1,5 M\nB;Jl. Y;25 jt\nC;Kp. Z, Desa Q;2,5 jt\n";
        assert_eq!(sniff_delimiter(text), b';');
    }

    #[test]
    fn not_spreadsheets() {
        assert_eq!(read_workbook(b"", "a.xlsx").unwrap_err(), ImportError::Empty);
        assert_eq!(read_workbook(b" \n\r\n", "a.csv").unwrap_err(), ImportError::Empty);
        assert_eq!(read_workbook(b";;;\n;;\n", "a.csv").unwrap_err(), ImportError::Empty);
        assert_eq!(
            read_workbook(b"PK\x03\x04garbage", "a.xlsx").unwrap_err(),
            ImportError::Unreadable { format: "xlsx" }
        );
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend([0; 64]);
        assert_eq!(read_workbook(&ole, "a.xls").unwrap_err(), ImportError::Unreadable { format: "xls" });
        ole.extend(utf16le("EncryptedPackage"));
        assert_eq!(read_workbook(&ole, "a.xlsx").unwrap_err(), ImportError::Encrypted);
        let html = b"<html><body><table><tr><td>Nama</td></tr></table></body></html>";
        assert_eq!(read_workbook(html, "export.xls").unwrap_err(), ImportError::HtmlTable);
    }

    #[test]
    fn too_many_rows() {
        let text = "a\n".repeat(MAX_ROWS + 1);
        assert_eq!(read_workbook(text.as_bytes(), "x.csv").unwrap_err(), ImportError::TooManyRows { max: MAX_ROWS });
    }

    #[test]
    fn numbers_keep_their_digits() {
        assert_eq!(number_text(3_604_155_708_850_001.0), "3604155708850001");
        assert_eq!(number_text(25_000_000.0), "25000000");
        assert_eq!(number_text(1.125), "1.125");
        assert_eq!(number_text(-3.0), "-3");
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date(45_658.0).as_deref(), Some("2025-01-01"));
        assert_eq!(excel_date(29_221.5).as_deref(), Some("1980-01-01"));
        assert_eq!(excel_date(1.0).as_deref(), Some("1900-01-01"));
        assert_eq!(excel_date(-1.0), None);
    }
}

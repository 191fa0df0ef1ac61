//! Reading the data rows into source records, with every problem per row and field.
//!
//! A row with an error is rejected whole (its record is `None`); warnings (a kecamatan read as
//! its official spelling, a NIK whose last digits Excel dropped) keep the row. Blank rows, a row
//! of column numbers under the header and a "Jumlah" footer are skipped silently.

use std::collections::HashMap;

use sinergi_domain::umkm::{
    IdError, LegalForm, Nib, Nik, Npwp, Permit, PermitKind, Phone, PirtNumber, Sex, SourceRecord,
};
use sinergi_domain::umkm::{MAX_AMOUNT, parse_rupiah};
use sinergi_domain::{KbliCode, RegionCode};
use sinergi_reference::{NameMatch, RegencyMatcher, Region};

use super::ImportError;
use super::detect::Detected;
use super::fields::UmkmField;
use super::read::{Cell, Workbook, number_text, row_number};
use crate::sheet::normalise_header;

/// What the file itself does not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseContext {
    /// The kabupaten or kota importing (e.g. 36.04, Kabupaten Serang): kecamatan and desa are
    /// read within it.
    pub tenant: RegionCode,
    /// The year the figures are for when the file has no "Tahun" column.
    pub default_year: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem with one field of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field concerned; `None` for the row as a whole.
    pub field: Option<UmkmField>,
    /// The column's header as written; "" when no column was mapped to the field.
    pub column: String,
    /// The column's index in the row, to highlight the cell.
    pub column_index: Option<usize>,
    pub severity: Severity,
    /// Translation key suffix: "required", "invalid-nik", "kecamatan-corrected", ...
    pub code: &'static str,
    /// A finer reason from the domain, also a key suffix: "length", "scientific", "negative".
    pub detail: Option<&'static str>,
    /// The value as written.
    pub value: String,
    /// The official name a value was read as, or the names it might have meant ("Cikande,
    /// Cikeusal"); data, not text to translate.
    pub suggestion: Option<String>,
}

/// One data row: where it is, what it said, and what was made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    /// The row number Excel shows.
    pub row: usize,
    pub sheet: String,
    /// The row's cells as read (text, and the value of number cells), one per header column.
    pub raw: Vec<Cell>,
    /// The record, unless an error rejected the row.
    pub record: Option<SourceRecord>,
    /// Errors first, then warnings, each in column order.
    pub problems: Vec<Problem>,
}

impl ParsedRow {
    pub fn is_rejected(&self) -> bool {
        self.record.is_none()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Warning)
    }

    /// The row's non-blank cells as header → text, for the record's provenance. A column without
    /// a header is named by its letter ("F"), as the spreadsheet names it.
    pub fn cells_by_header(&self, headers: &[String]) -> Vec<(String, String)> {
        self.raw
            .iter()
            .enumerate()
            .filter(|(_, cell)| !cell.is_blank())
            .map(|(i, cell)| {
                let header = headers.get(i).map(|h| h.trim()).filter(|h| !h.is_empty());
                (header.map_or_else(|| column_letter(i), str::to_owned), cell.text.clone())
            })
            .collect()
    }
}

/// Excel's name for a column index: 0 → "A", 26 → "AA".
fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Counts for the preview's heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub rows: usize,
    pub accepted: usize,
    pub rejected: usize,
    /// Accepted rows that have warnings.
    pub with_warnings: usize,
}

impl Summary {
    pub fn of(rows: &[ParsedRow]) -> Self {
        let mut s = Summary { rows: rows.len(), ..Summary::default() };
        for row in rows {
            if row.is_rejected() {
                s.rejected += 1;
            } else {
                s.accepted += 1;
                if row.warnings().next().is_some() {
                    s.with_warnings += 1;
                }
            }
        }
        s
    }
}

/// Reads every data row below the header of `detected`.
pub fn parse_rows(
    workbook: &Workbook,
    detected: &Detected,
    context: &ParseContext,
) -> Result<Vec<ParsedRow>, ImportError> {
    let sheet = workbook.sheets.get(detected.sheet).ok_or(ImportError::NoSheet)?;
    let matcher = RegencyMatcher::new(&context.tenant).ok_or(ImportError::UnknownRegion)?;
    let mut parser = Parser { context, detected, matcher, kecamatan_seen: HashMap::new(), desa_seen: HashMap::new() };
    let width = detected.headers.len();
    let mut out = Vec::new();
    for (index, cells) in sheet.rows.iter().enumerate().skip(detected.header_row + 1) {
        if parser.is_skipped(cells) {
            continue;
        }
        let (record, mut problems) = parser.row(cells);
        problems.sort_by_key(|p| (std::cmp::Reverse(p.severity), p.column_index));
        let rejected = problems.iter().any(|p| p.severity == Severity::Error);
        let mut raw = cells.to_vec();
        raw.resize(width.max(raw.len()), Cell::default());
        out.push(ParsedRow {
            row: row_number(index),
            sheet: sheet.name.clone(),
            raw,
            record: if rejected { None } else { Some(record) },
            problems,
        });
    }
    Ok(out)
}

struct Parser<'a> {
    context: &'a ParseContext,
    detected: &'a Detected,
    matcher: RegencyMatcher,
    /// Answers per distinct written name: a file of 48,000 rows names a few hundred places.
    kecamatan_seen: HashMap<String, NameMatch>,
    desa_seen: HashMap<(String, Option<RegionCode>), NameMatch>,
}

/// What an empty cell is written as.
fn says_nothing(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    let t = t.trim_matches(|c: char| c == '.' || c.is_whitespace());
    matches!(
        t,
        "" | "-"
            | "--"
            | "---"
            | "–"
            | "—"
            | "n/a"
            | "na"
            | "#n/a"
            | "tidak ada"
            | "tdk ada"
            | "belum ada"
            | "blm ada"
            | "belum"
            | "blm"
            | "tidak"
            | "tdk"
            | "nihil"
            | "kosong"
            | "null"
            | "none"
    )
}

/// What "has one, number unknown" is written as in a permit column.
fn says_yes(text: &str) -> bool {
    matches!(
        text.trim().to_lowercase().as_str(),
        "ya" | "y" | "ada" | "sudah" | "sudah ada" | "punya" | "memiliki" | "yes" | "v" | "✓" | "√" | "true"
    )
}

const FOOTERS: &[&str] =
    &["jumlah", "total", "jumlah total", "grand total", "sub total", "subtotal", "total keseluruhan"];

const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 1000;

/// The cells of one row with their problems as they are found.
struct Row<'a> {
    cells: &'a [Cell],
    detected: &'a Detected,
    problems: Vec<Problem>,
}

impl<'a> Row<'a> {
    /// The columns mapped to `field` whose cells say something, left to right.
    fn cells_of(&self, field: UmkmField) -> Vec<(usize, &'a Cell)> {
        let cells = self.cells;
        self.detected
            .mapping
            .columns_of(field)
            .filter_map(|c| cells.get(c).map(|cell| (c, cell)))
            .filter(|(_, cell)| !says_nothing(&cell.text))
            .collect()
    }

    fn first(&self, field: UmkmField) -> Option<(usize, &'a Cell)> {
        self.cells_of(field).into_iter().next()
    }

    fn report(
        &mut self,
        field: UmkmField,
        column: Option<usize>,
        severity: Severity,
        code: &'static str,
    ) -> &mut Problem {
        let column_name = column.and_then(|c| self.detected.headers.get(c)).cloned().unwrap_or_default();
        let value = column.and_then(|c| self.cells.get(c)).map(|c| c.text.clone()).unwrap_or_default();
        self.problems.push(Problem {
            field: Some(field),
            column: column_name,
            column_index: column,
            severity,
            code,
            detail: None,
            value,
            suggestion: None,
        });
        let last = self.problems.len() - 1;
        &mut self.problems[last]
    }

    fn error(&mut self, field: UmkmField, column: usize, code: &'static str) -> &mut Problem {
        self.report(field, Some(column), Severity::Error, code)
    }

    fn warn(&mut self, field: UmkmField, column: usize, code: &'static str) -> &mut Problem {
        self.report(field, Some(column), Severity::Warning, code)
    }

    /// Free text from the field's columns, spaces tidied, joined with `separator`.
    fn text(&mut self, field: UmkmField, separator: &str, max: usize) -> Option<String> {
        let parts: Vec<(usize, String)> =
            self.cells_of(field).into_iter().map(|(c, cell)| (c, tidy(&cell.text))).collect();
        if let Some((column, _)) = parts.iter().find(|(_, t)| t.chars().count() > max) {
            self.error(field, *column, "too-long");
            return None;
        }
        let joined = parts.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(separator);
        (!joined.is_empty()).then_some(joined)
    }
}

/// Single spaces, no line breaks.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cell's identifier digits: a number cell as its digits, text as written.
fn identifier_text(cell: &Cell) -> String {
    match cell.number {
        Some(v) => number_text(v),
        None => cell.text.clone(),
    }
}

impl Parser<'_> {
    fn is_skipped(&self, cells: &[Cell]) -> bool {
        let mapped = |c: usize| self.detected.mapping.field(c).is_some_and(|f| f != UmkmField::Skip);
        let says_something = cells.iter().enumerate().any(|(c, cell)| mapped(c) && !says_nothing(&cell.text));
        if !says_something {
            return true;
        }
        let first = cells.iter().find(|c| !c.is_blank()).map(|c| normalise_header(&c.text));
        let name = self
            .detected
            .mapping
            .column_of(UmkmField::BusinessName)
            .and_then(|c| cells.get(c))
            .map(|c| normalise_header(&c.text));
        let is_footer = |t: &Option<String>| t.as_deref().is_some_and(|t| FOOTERS.contains(&t));
        is_footer(&first) || is_footer(&name) || is_column_numbers(cells)
    }

    fn row(&mut self, cells: &[Cell]) -> (SourceRecord, Vec<Problem>) {
        let mut row = Row { cells, detected: self.detected, problems: Vec::new() };
        let mut record = SourceRecord { year: self.context.default_year, ..SourceRecord::default() };

        record.business_name = business_name(&mut row);
        record.legal_form = legal_form(&row, &record.business_name);
        record.owner_name = row.text(UmkmField::OwnerName, " ", MAX_NAME);
        record.nik = nik(&mut row);
        record.sex = sex(&mut row, record.nik.as_ref());
        record.birth_year = birth_year(&mut row, self.context.default_year);
        record.nib = identifier(&mut row, UmkmField::Nib, "invalid-nib", Nib::parse);
        record.npwp = identifier(&mut row, UmkmField::Npwp, "invalid-npwp", Npwp::parse);
        record.kbli = kbli(&mut row);
        record.address = row.text(UmkmField::Address, ", ", MAX_TEXT);
        self.places(&mut row, &mut record);
        record.phone = phone(&mut row);
        record.email = email(&mut row);
        record.products = row.text(UmkmField::Products, "; ", MAX_TEXT);
        record.employees = employees(&mut row);
        if let Some(year) = year(&mut row) {
            record.year = year;
        }
        record.capital = amount(&mut row, UmkmField::Capital);
        record.sales = amount(&mut row, UmkmField::Sales)
            .or_else(|| amount(&mut row, UmkmField::SalesMonthly).map(|m| m.saturating_mul(12).min(MAX_AMOUNT)));
        record.permits = permits(&mut row);
        record.tags = tags(&row);
        (record, row.problems)
    }

    /// The kab/kota, kecamatan and desa, read against the tenant's official list.
    fn places(&mut self, row: &mut Row<'_>, record: &mut SourceRecord) {
        record.kab_kota = Some(self.context.tenant.clone());
        if let Some((column, cell)) = row.first(UmkmField::KabKota) {
            match self.matcher.regency_name(&cell.text) {
                NameMatch::Exact(_) => {}
                NameMatch::Corrected(r) => {
                    row.warn(UmkmField::KabKota, column, "kab-kota-corrected").suggestion = Some(r.name.clone())
                }
                _ => {
                    row.error(UmkmField::KabKota, column, "outside-region").suggestion =
                        Some(self.matcher.regency().name.clone())
                }
            }
        }
        if let Some((column, cell)) = row.first(UmkmField::Kecamatan) {
            let key = cell.text.trim().to_lowercase();
            let found = self.kecamatan_seen.entry(key).or_insert_with(|| self.matcher.kecamatan(&cell.text));
            match found {
                NameMatch::Exact(r) => record.kecamatan = Some(r.code.clone()),
                NameMatch::Corrected(r) => {
                    record.kecamatan = Some(r.code.clone());
                    row.warn(UmkmField::Kecamatan, column, "kecamatan-corrected").suggestion = Some(r.name.clone());
                }
                other => {
                    row.error(UmkmField::Kecamatan, column, "unknown-kecamatan").suggestion =
                        names(other.suggestions(), false)
                }
            }
        }
        if let Some((column, cell)) = row.first(UmkmField::Desa) {
            let key = (cell.text.trim().to_lowercase(), record.kecamatan.clone());
            let kecamatan = record.kecamatan.as_ref();
            let found = self.desa_seen.entry(key).or_insert_with(|| self.matcher.desa(&cell.text, kecamatan));
            let code = match found {
                NameMatch::Exact(r) => Some(*r),
                NameMatch::Corrected(r) => {
                    row.warn(UmkmField::Desa, column, "desa-corrected").suggestion = Some(r.name.clone());
                    Some(*r)
                }
                NameMatch::Ambiguous(r) => {
                    row.error(UmkmField::Desa, column, "ambiguous-desa").suggestion = names(r, true);
                    None
                }
                NameMatch::OtherKecamatan(r) => {
                    row.error(UmkmField::Desa, column, "desa-other-kecamatan").suggestion = names(r, true);
                    None
                }
                NameMatch::Unknown(r) => {
                    row.error(UmkmField::Desa, column, "unknown-desa").suggestion =
                        names(r, record.kecamatan.is_none());
                    None
                }
            };
            if let Some(desa) = code {
                record.desa = Some(desa.code.clone());
                // A desa found without a kecamatan gives it.
                if record.kecamatan.is_none() {
                    record.kecamatan = desa.code.parent();
                }
            }
        }
    }
}

/// Region names for a suggestion: "Cikande, Cikeusal"; with their kecamatan for desa that need
/// telling apart: "Sukamaju (Kibin), Sukamaju (Cikeusal)".
fn names(regions: &[&Region], with_kecamatan: bool) -> Option<String> {
    if regions.is_empty() {
        return None;
    }
    let name = |r: &&Region| {
        let parent = r.code.parent().and_then(|p| sinergi_reference::region(&p));
        match parent {
            Some(p) if with_kecamatan => format!("{} ({})", r.name, p.name),
            _ => r.name.clone(),
        }
    };
    Some(regions.iter().map(name).collect::<Vec<_>>().join(", "))
}

/// A row of "1, 2, 3, ..." (or "(1), (2), ...") under the header, as government tables number
/// their columns.
fn is_column_numbers(cells: &[Cell]) -> bool {
    let numbers: Vec<Option<u32>> = cells
        .iter()
        .filter(|c| !c.is_blank())
        .map(|c| c.text.trim().trim_start_matches('(').trim_end_matches(')').parse::<u32>().ok())
        .collect();
    numbers.len() >= 3 && numbers.iter().all(Option::is_some) && numbers.windows(2).all(|w| w[1] == w[0].map(|n| n + 1))
}

fn business_name(row: &mut Row<'_>) -> String {
    let column = row.detected.mapping.column_of(UmkmField::BusinessName);
    let Some((column, cell)) = row.first(UmkmField::BusinessName) else {
        row.report(UmkmField::BusinessName, column, Severity::Error, "required");
        return String::new();
    };
    let name = tidy(&cell.text);
    if name.chars().count() > MAX_NAME {
        row.error(UmkmField::BusinessName, column, "too-long");
    }
    name
}

/// The legal form from its column, or from the name's first word ("CV. Maju Jaya", "UD Sumber
/// Rezeki") when the column is missing or empty.
fn legal_form(row: &Row<'_>, business_name: &str) -> Option<LegalForm> {
    if let Some((_, cell)) = row.first(UmkmField::LegalForm) {
        return LegalForm::parse_loose(&cell.text);
    }
    let first_word = normalise_header(business_name).split(' ').next().map(str::to_owned)?;
    match first_word.as_str() {
        "ud" | "cv" | "pt" | "koperasi" | "kop" | "ksu" | "ksp" | "kud" | "bumdes" | "fa" => {
            LegalForm::parse_loose(&first_word)
        }
        _ => None,
    }
}

/// Excel keeps 15 significant digits, so a 16-digit NIK typed as a number loses its last digit
/// (it becomes 0), and a double cannot hold every 16-digit number exactly.
fn nik(row: &mut Row<'_>) -> Option<Nik> {
    let (column, cell) = row.first(UmkmField::Nik)?;
    if let Some(v) = cell.number {
        let digits = number_text(v);
        if v >= 1e15 && (digits.ends_with('0') || v > 9_007_199_254_740_992.0) {
            row.warn(UmkmField::Nik, column, "nik-digits-lost");
            return None;
        }
    }
    match Nik::parse(&identifier_text(cell)) {
        Ok(nik) => Some(nik),
        Err(e) => {
            row.error(UmkmField::Nik, column, "invalid-nik").detail = Some(e.code());
            None
        }
    }
}

fn sex(row: &mut Row<'_>, nik: Option<&Nik>) -> Option<Sex> {
    let (column, cell) = row.first(UmkmField::Sex)?;
    let Some(sex) = Sex::parse_loose(&cell.text) else {
        row.warn(UmkmField::Sex, column, "invalid-sex");
        return None;
    };
    if nik.is_some_and(|n| n.sex() != sex) {
        row.warn(UmkmField::Sex, column, "sex-nik-mismatch");
    }
    Some(sex)
}

/// A birth year from a year, a date ("1980-05-12", "12-05-1980", "Serang, 12 Mei 1980") or an
/// age ("45" in a "Umur" column).
fn birth_year(row: &mut Row<'_>, this_year: i32) -> Option<i32> {
    let (column, cell) = row.first(UmkmField::BirthYear)?;
    let text = match cell.number {
        Some(v) if v.fract() == 0.0 => number_text(v),
        _ => cell.text.clone(),
    };
    let runs: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).collect();
    let year = runs
        .iter()
        .filter(|r| r.len() == 4)
        .filter_map(|r| r.parse::<i32>().ok())
        .find(|y| (1900..=this_year).contains(y))
        .or_else(|| match runs.as_slice() {
            [age] if age.len() <= 2 => {
                age.parse::<i32>().ok().filter(|a| (10..=100).contains(a)).map(|a| this_year - a)
            }
            _ => None,
        });
    if year.is_none() {
        row.warn(UmkmField::BirthYear, column, "invalid-birth-year");
    }
    year
}

fn identifier<T>(
    row: &mut Row<'_>,
    field: UmkmField,
    code: &'static str,
    parse: impl Fn(&str) -> Result<T, IdError>,
) -> Option<T> {
    let (column, cell) = row.first(field)?;
    if identifier_text(cell).trim() == "0" {
        return None;
    }
    match parse(&identifier_text(cell)) {
        Ok(v) => Some(v),
        Err(e) => {
            row.error(field, column, code).detail = Some(e.code());
            None
        }
    }
}

/// KBLI codes from "10792", "10792, 47111", "10792 - Industri Kue" or a number cell. A number
/// cell drops the leading zero of codes like 01111 (agriculture), which is put back.
fn kbli(row: &mut Row<'_>) -> Vec<KbliCode> {
    let mut codes: Vec<KbliCode> = Vec::new();
    for (column, cell) in row.cells_of(UmkmField::Kbli) {
        let text = identifier_text(cell);
        let tokens: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        if tokens.is_empty() {
            row.error(UmkmField::Kbli, column, "invalid-kbli");
            continue;
        }
        for token in tokens {
            let Ok(mut code) = KbliCode::parse(token) else {
                row.error(UmkmField::Kbli, column, "invalid-kbli");
                continue;
            };
            if token.len() == 4 {
                let padded =
                    KbliCode::parse(&format!("0{token}")).ok().filter(|p| sinergi_reference::kbli(p).is_some());
                if let Some(padded) = padded
                    && (cell.number.is_some() || sinergi_reference::kbli(&code).is_none())
                {
                    row.warn(UmkmField::Kbli, column, "kbli-leading-zero").suggestion = Some(padded.to_string());
                    code = padded;
                }
            }
            if sinergi_reference::kbli(&code).is_none() {
                row.error(UmkmField::Kbli, column, "unknown-kbli");
                continue;
            }
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    codes
}

/// The first phone number that reads, from the phone columns in order ("No. HP" then "No. WA");
/// a cell with several numbers gives its first.
fn phone(row: &mut Row<'_>) -> Option<Phone> {
    let cells = row.cells_of(UmkmField::Phone);
    let mut first_error = None;
    for (column, cell) in &cells {
        match Phone::parse_first(&identifier_text(cell)) {
            Ok(phone) => return Some(phone),
            Err(e) => {
                first_error.get_or_insert((*column, e.code()));
            }
        }
    }
    if let Some((column, detail)) = first_error {
        row.error(UmkmField::Phone, column, "invalid-phone").detail = Some(detail);
    }
    None
}

fn email(row: &mut Row<'_>) -> Option<String> {
    let (column, cell) = row.first(UmkmField::Email)?;
    let email = cell.text.trim().to_lowercase();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.contains(|c: char| c.is_whitespace() || c == ',' || c == ';')
                && email.len() <= 254
        }
        None => false,
    };
    if !valid {
        row.error(UmkmField::Email, column, "invalid-email");
        return None;
    }
    Some(email)
}

fn employees(row: &mut Row<'_>) -> Option<u32> {
    let (column, cell) = row.first(UmkmField::Employees)?;
    let count = match cell.number {
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= 1_000_000.0 => Some(v as u32),
        Some(_) => None,
        None => {
            let text = cell.text.to_lowercase();
            let digits = ["orang", "org", "jiwa", "pekerja"]
                .iter()
                .fold(text.trim(), |t, unit| t.strip_suffix(unit).unwrap_or(t))
                .trim()
                .trim_end_matches('.');
            digits.parse::<u32>().ok().filter(|n| *n <= 1_000_000)
        }
    };
    if count.is_none() {
        row.error(UmkmField::Employees, column, "invalid-number");
    }
    count
}

fn year(row: &mut Row<'_>) -> Option<i32> {
    let (column, cell) = row.first(UmkmField::Year)?;
    let year = match cell.number {
        Some(v) if v.fract() == 0.0 => Some(v as i32),
        Some(_) => None,
        None => cell.text.trim().parse::<i32>().ok(),
    }
    .filter(|y| (1990..=2100).contains(y));
    if year.is_none() {
        row.error(UmkmField::Year, column, "invalid-year");
    }
    year
}

/// Whole rupiah from a number cell or from text as [`parse_rupiah`] reads it ("Rp 25.000.000",
/// "25 jt", "1,5 M"). An amount under Rp 1.000 is kept but flagged: it was most likely meant in
/// thousands or millions.
fn amount(row: &mut Row<'_>, field: UmkmField) -> Option<i64> {
    let (column, cell) = row.first(field)?;
    let parsed = match cell.number {
        Some(v) if v < 0.0 => Err("negative"),
        Some(v) if v > MAX_AMOUNT as f64 => Err("too-large"),
        Some(v) => Ok(v.round() as i64),
        None => parse_rupiah(&cell.text).map_err(|e| e.code()),
    };
    match parsed {
        Ok(value) => {
            if (1..1000).contains(&value) {
                row.warn(field, column, "amount-too-small");
            }
            Some(value)
        }
        Err(detail) => {
            row.error(field, column, "invalid-amount").detail = Some(detail);
            None
        }
    }
}

fn permits(row: &mut Row<'_>) -> Vec<Permit> {
    let mut permits = Vec::new();
    if let Some((column, cell)) = row.first(UmkmField::Pirt) {
        if says_yes(&cell.text) {
            permits.push(unnumbered(PermitKind::Pirt));
        } else {
            match PirtNumber::parse(&identifier_text(cell)) {
                Ok(number) => permits.push(Permit::pirt(&number)),
                Err(e) => row.error(UmkmField::Pirt, column, "invalid-pirt").detail = Some(e.code()),
            }
        }
    }
    for (field, kind) in [
        (UmkmField::Halal, PermitKind::Halal),
        (UmkmField::Bpom, PermitKind::BpomMd),
        (UmkmField::Sni, PermitKind::Sni),
    ] {
        let Some((column, cell)) = row.first(field) else { continue };
        if says_yes(&cell.text) {
            permits.push(unnumbered(kind));
        } else if cell.text.chars().count() > MAX_NAME {
            row.error(field, column, "too-long");
        } else {
            permits.push(Permit { kind, number: tidy(&identifier_text(cell)), issued: None, expires: None });
        }
    }
    permits
}

/// A permit the row says the business holds, without its number.
fn unnumbered(kind: PermitKind) -> Permit {
    Permit { kind, number: String::new(), issued: None, expires: None }
}

fn tags(row: &Row<'_>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for (_, cell) in row.cells_of(UmkmField::Tags) {
        for tag in cell.text.split([',', ';', '/', '\n']).map(tidy) {
            if !tag.is_empty() && tag.chars().count() <= 100 && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::umkm::detect::detect;
    use crate::umkm::read::{FileFormat, RawSheet};

    fn context() -> ParseContext {
        ParseContext { tenant: RegionCode::parse("36.04").unwrap(), default_year: 2025 }
    }

    fn parse(rows: &[&[&str]]) -> Vec<ParsedRow> {
        let sheet = RawSheet {
            name: "Data".into(),
            rows: rows.iter().map(|r| r.iter().map(|t| Cell::text(*t)).collect()).collect(),
            hidden: false,
        };
        let book = Workbook { format: FileFormat::Xlsx, sheets: vec![sheet] };
        let detected = detect(&book).unwrap();
        parse_rows(&book, &detected, &context()).unwrap()
    }

    fn codes(row: &ParsedRow) -> Vec<&'static str> {
        row.problems.iter().map(|p| p.code).collect()
    }

    const HEADER: &[&str] =
        &["No", "Nama Usaha", "Nama Pemilik", "NIK", "No. HP/WA", "Kec.", "Desa/Kel", "Modal Usaha", "Omzet per Tahun"];

    #[test]
    fn a_good_row() {
        let rows = parse(&[
            &["DATA UMKM"],
            HEADER,
            &["1", "2", "3", "4", "5", "6", "7", "8", "9"],
            &[
                "1",
                "  Keripik  Bu Siti ",
                "Siti Aminah",
                "3604154506850003",
                "0812-8765-4321",
                "Kec. Cikande",
                "Parigi",
                "Rp 25.000.000",
                "1,5 M",
            ],
            &[],
            &["", "Jumlah", "", "", "", "", "", "25000000", ""],
        ]);
        assert_eq!(rows.len(), 1, "{rows:#?}");
        let row = &rows[0];
        assert_eq!(row.row, 4);
        assert_eq!(row.sheet, "Data");
        assert!(row.problems.is_empty(), "{:?}", row.problems);
        let r = row.record.as_ref().unwrap();
        assert_eq!(r.business_name, "Keripik Bu Siti");
        assert_eq!(r.owner_name.as_deref(), Some("Siti Aminah"));
        assert_eq!(r.nik.as_ref().unwrap().expose(), "3604154506850003");
        assert_eq!(r.phone.as_ref().unwrap().e164(), "+6281287654321");
        assert_eq!(r.kecamatan.as_ref().unwrap().as_str(), "36.04.15");
        assert!(r.desa.as_ref().unwrap().as_str().starts_with("36.04.15."));
        assert_eq!(r.kab_kota.as_ref().unwrap().as_str(), "36.04");
        assert_eq!(r.capital, Some(25_000_000));
        assert_eq!(r.sales, Some(1_500_000_000));
        assert_eq!(r.year, 2025);
    }

    #[test]
    fn problems_per_field() {
        let rows = parse(&[
            HEADER,
            &["1", "", "Ahmad", "", "", "Kibin", "", "", ""],
            &["2", "Kopi Kibin", "Ahmad", "36041512", "12345", "Cikandee", "Parigi", "banyak", "-"],
            &["3", "Dodol Tanara", "", "", "", "Cilegon", "Tanara", "25 jt", ""],
            &["4", "Emping Kibin", "", "", "", "Kibin", "Parigi", "", ""],
        ]);
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(ParsedRow::is_rejected));
        assert_eq!(codes(&rows[0]), ["required"]);
        assert_eq!(rows[0].problems[0].column, "Nama Usaha");
        assert_eq!(codes(&rows[1]), ["invalid-nik", "invalid-phone", "invalid-amount", "kecamatan-corrected"]);
        let nik = &rows[1].problems[0];
        assert_eq!((nik.detail, nik.column.as_str(), nik.column_index), (Some("length"), "NIK", Some(3)));
        assert_eq!(rows[1].problems[3].suggestion.as_deref(), Some("Cikande"));
        assert_eq!(rows[1].problems[3].severity, Severity::Warning);
        assert_eq!(codes(&rows[2]), ["unknown-kecamatan"]);
        assert_eq!(codes(&rows[3]), ["desa-other-kecamatan"]);
        assert_eq!(rows[3].problems[0].suggestion.as_deref(), Some("Parigi (Cikande)"));
    }

    #[test]
    fn warnings_keep_the_row() {
        let rows = parse(&[
            &["Nama Usaha", "Kecamatan", "Desa", "Jenis Kelamin", "Omzet", "NIK"],
            &["CV. Maju Jaya", "Kragilan", "Silebuu", "Laki", "500", "3604154506850003"],
        ]);
        let row = &rows[0];
        assert_eq!(codes(row), ["desa-corrected", "invalid-sex", "amount-too-small"]);
        let r = row.record.as_ref().unwrap();
        assert_eq!(r.legal_form, Some(LegalForm::Cv));
        assert_eq!(r.sales, Some(500));
        assert!(r.desa.is_some());
    }

    #[test]
    fn desa_alone_gives_the_kecamatan() {
        let rows = parse(&[&["Nama Usaha", "Desa"], &["Warung Parigi", "Parigi"], &["Warung Sukamaju", "Sukamaju"]]);
        assert_eq!(rows[0].record.as_ref().unwrap().kecamatan.as_ref().unwrap().as_str(), "36.04.15");
        assert_eq!(codes(&rows[1]), ["ambiguous-desa"]);
        assert!(rows[1].problems[0].suggestion.as_deref().unwrap().contains("Sukamaju (Kibin)"));
    }

    #[test]
    fn numbers_cells_and_identifiers() {
        let sheet = RawSheet {
            name: "S".into(),
            rows: vec![
                ["Nama Usaha", "NIK", "No HP", "Omzet", "KBLI", "Tahun", "Tenaga Kerja"]
                    .iter()
                    .map(|t| Cell::text(*t))
                    .collect(),
                vec![
                    Cell::text("Tani Makmur"),
                    Cell::number(3_604_154_506_850_000.0),
                    Cell::number(81_287_654_321.0),
                    Cell::number(1.125),
                    Cell::number(1111.0),
                    Cell::number(2024.0),
                    Cell::text("5 orang"),
                ],
            ],
            hidden: false,
        };
        let book = Workbook { format: FileFormat::Xlsx, sheets: vec![sheet] };
        let rows = parse_rows(&book, &detect(&book).unwrap(), &context()).unwrap();
        let row = &rows[0];
        assert_eq!(codes(row), ["nik-digits-lost", "amount-too-small", "kbli-leading-zero"]);
        let r = row.record.as_ref().unwrap();
        assert_eq!(r.nik, None);
        assert_eq!(r.phone.as_ref().unwrap().national(), "081287654321");
        assert_eq!(r.sales, Some(1), "1.125 as a number is one rupiah and change, not 1125");
        assert_eq!(r.kbli.iter().map(KbliCode::as_str).collect::<Vec<_>>(), ["01111"]);
        assert_eq!(r.year, 2024);
        assert_eq!(r.employees, Some(5));
    }

    #[test]
    fn permits_tags_and_monthly_sales() {
        let rows = parse(&[
            &["Nama Usaha", "P-IRT", "Halal", "Kategori", "Omzet per Bulan", "Email"],
            &["Kue Ibu Ani", "2063604010213-26", "Ada", "Kuliner, MBG", "2 jt", "Ani@Mail.co.id"],
            &["Kue Pak Udin", "123", "", "", "", "udin@"],
        ]);
        let r = rows[0].record.as_ref().unwrap();
        assert_eq!(r.permits.len(), 2);
        assert_eq!(r.permits[0].kind, PermitKind::Pirt);
        assert!(r.permits[0].expires.is_some());
        assert_eq!(r.permits[1].kind, PermitKind::Halal);
        assert_eq!(r.tags, ["Kuliner", "MBG"]);
        assert_eq!(r.sales, Some(24_000_000));
        assert_eq!(r.email.as_deref(), Some("ani@mail.co.id"));
        assert_eq!(codes(&rows[1]), ["invalid-pirt", "invalid-email"]);
    }

    #[test]
    fn cells_by_header_for_provenance() {
        let rows = parse(&[&["Nama Usaha", "", "Kec."], &["Kopi Kibin", "catatan", ""]]);
        let headers = vec!["Nama Usaha".to_owned(), String::new(), "Kec.".to_owned()];
        assert_eq!(
            rows[0].cells_by_header(&headers),
            [("Nama Usaha".to_owned(), "Kopi Kibin".to_owned()), ("B".to_owned(), "catatan".to_owned())]
        );
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
    }

    #[test]
    fn summary_counts() {
        let rows = parse(&[HEADER, &["1", "A", "", "", "", "Cikandee"], &["2", "", "B"], &["3", "C"]]);
        assert_eq!(Summary::of(&rows), Summary { rows: 3, accepted: 2, rejected: 1, with_warnings: 1 });
    }
}

//! Finding the header row and reading what each column holds.
//!
//! Registers put a title, the agency's name and a date above the header, sometimes a second
//! header row ("Legalitas" over "NIB | P-IRT | Halal"), and a row of column numbers under it.
//! The header is the row, among the first [`SCAN_ROWS`] of any sheet, that names the most known
//! fields.

use serde::{Deserialize, Serialize};

use super::ImportError;
use super::fields::{HeaderMeaning, UmkmField, header_meaning};
use super::read::{Cell, RawSheet, Workbook};
use crate::sheet::normalise_header;

/// How far down the header is looked for.
pub const SCAN_ROWS: usize = 30;

/// What each column holds: one entry per column, `None` for a column not recognised (and so
/// not read). Serialises as a JSON array of field slugs and nulls, small enough for a form field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mapping(pub Vec<Option<UmkmField>>);

/// A problem with a mapping as a whole, shown on the column-mapping step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingProblem {
    pub field: UmkmField,
    /// Translation key suffix: "missing-business-name", "duplicate-field".
    pub code: &'static str,
    /// The columns concerned.
    pub columns: Vec<usize>,
}

impl Mapping {
    pub fn field(&self, column: usize) -> Option<UmkmField> {
        self.0.get(column).copied().flatten()
    }

    /// The columns read into `field`, left to right.
    pub fn columns_of(&self, field: UmkmField) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().filter(move |(_, f)| **f == Some(field)).map(|(i, _)| i)
    }

    pub fn column_of(&self, field: UmkmField) -> Option<usize> {
        self.columns_of(field).next()
    }

    /// Sets what a column holds, growing the mapping when the column lies beyond it.
    pub fn set(&mut self, column: usize, field: Option<UmkmField>) {
        if self.0.len() <= column {
            self.0.resize(column + 1, None);
        }
        self.0[column] = field;
    }

    /// What keeps this mapping from being imported: no business-name column, or a field that
    /// takes one column mapped to several.
    pub fn problems(&self) -> Vec<MappingProblem> {
        let mut problems = Vec::new();
        if self.column_of(UmkmField::BusinessName).is_none() {
            problems.push(MappingProblem {
                field: UmkmField::BusinessName,
                code: "missing-business-name",
                columns: Vec::new(),
            });
        }
        for field in UmkmField::ALL.iter().copied().filter(|f| !f.takes_many_columns()) {
            let columns: Vec<usize> = self.columns_of(field).collect();
            if columns.len() > 1 {
                problems.push(MappingProblem { field, code: "duplicate-field", columns });
            }
        }
        problems
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "[]".to_owned())
    }

    /// A mapping as [`Mapping::to_json`] wrote it; `None` for anything else.
    pub fn from_json(json: &str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }
}

/// A mapping saved for a source (say, the Dinas Koperasi register), keyed by header text so that
/// next year's file with the same headers, even in another order, is read the same way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedMapping {
    pub columns: Vec<SavedColumn>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedColumn {
    /// The header, normalised ("no hp wa").
    pub header: String,
    pub field: Option<UmkmField>,
}

impl SavedMapping {
    pub fn new(headers: &[String], mapping: &Mapping) -> Self {
        let columns = headers
            .iter()
            .enumerate()
            .map(|(i, h)| SavedColumn { header: normalise_header(h), field: mapping.field(i) })
            .filter(|c| !c.header.is_empty())
            .collect();
        Self { columns }
    }

    /// Whether a file's headers are the saved ones (in any order).
    pub fn matches(&self, headers: &[String]) -> bool {
        let mut saved: Vec<&str> = self.columns.iter().map(|c| c.header.as_str()).collect();
        let mut found: Vec<String> = headers.iter().map(|h| normalise_header(h)).filter(|h| !h.is_empty()).collect();
        saved.sort_unstable();
        found.sort_unstable();
        saved.len() == found.len() && saved.iter().zip(&found).all(|(a, b)| *a == b.as_str())
    }

    /// The mapping for a file's headers: a saved header keeps its saved field, a new one gets
    /// what detection would give it.
    pub fn apply(&self, headers: &[String]) -> Mapping {
        let auto = map_headers(headers);
        let mut mapping = Mapping(vec![None; headers.len()]);
        for (i, header) in headers.iter().enumerate() {
            let key = normalise_header(header);
            let field = match self.columns.iter().find(|c| c.header == key && !key.is_empty()) {
                Some(saved) => saved.field,
                None => auto.field(i),
            };
            mapping.set(i, field);
        }
        mapping
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"columns\":[]}".to_owned())
    }

    pub fn from_json(json: &str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }
}

/// Where the data is and what its columns hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// Index into [`Workbook::sheets`].
    pub sheet: usize,
    /// Index into the sheet's rows of the (last) header row; data starts below it.
    pub header_row: usize,
    /// The header of every column as written (a two-row header gives the lower name where it
    /// has one), as wide as the widest data row.
    pub headers: Vec<String>,
    pub mapping: Mapping,
}

impl Detected {
    /// The header a field was read from, for provenance ("No. HP/WA").
    pub fn column_name(&self, field: UmkmField) -> Option<&str> {
        self.mapping.column_of(field).and_then(|c| self.headers.get(c)).map(String::as_str)
    }
}

/// Finds the sheet and header row naming the most known fields (visible sheets first, then the
/// earliest), and maps its columns.
pub fn detect(workbook: &Workbook) -> Result<Detected, ImportError> {
    let mut best: Option<(Candidate, usize)> = None;
    for (index, sheet) in workbook.sheets.iter().enumerate() {
        let Some(candidate) = best_in_sheet(sheet) else { continue };
        let better = match &best {
            None => true,
            Some((current, current_sheet)) => {
                let current_hidden = workbook.sheets[*current_sheet].hidden;
                (!sheet.hidden, candidate.score) > (!current_hidden, current.score)
            }
        };
        if better {
            best = Some((candidate, index));
        }
    }
    let (candidate, sheet) = best.ok_or(ImportError::NoHeader)?;
    let rows = &workbook.sheets[sheet].rows;
    let width = rows.iter().skip(candidate.row).map(Vec::len).max().unwrap_or(0);
    let mut headers = candidate.headers;
    headers.resize(width.max(headers.len()), String::new());
    let mapping = map_headers(&headers);
    Ok(Detected { sheet, header_row: candidate.row, headers, mapping })
}

/// Maps header texts to fields, settling the person-or-business names by the other columns and
/// keeping only the first column for a field that takes one.
pub fn map_headers(headers: &[String]) -> Mapping {
    let meanings: Vec<Option<HeaderMeaning>> = headers.iter().map(|h| header_meaning(h)).collect();
    let has_business = meanings.contains(&Some(HeaderMeaning::Field(UmkmField::BusinessName)));
    let has_owner = meanings.contains(&Some(HeaderMeaning::Field(UmkmField::OwnerName)));
    let mut mapping = Mapping(Vec::with_capacity(headers.len()));
    let mut business_taken = has_business;
    for meaning in meanings {
        let field = match meaning {
            None => None,
            Some(HeaderMeaning::Field(f)) => Some(f),
            // "Nama Pelaku Usaha" next to "Nama Usaha" is the owner; alone (as in an OSS export)
            // or next to "Nama Pemilik" it is the business.
            Some(HeaderMeaning::PersonOrBusiness) if !business_taken => {
                business_taken = true;
                Some(UmkmField::BusinessName)
            }
            Some(HeaderMeaning::PersonOrBusiness) if !has_owner => Some(UmkmField::OwnerName),
            Some(HeaderMeaning::PersonOrBusiness) => None,
        };
        let field = field.filter(|f| f.takes_many_columns() || mapping.column_of(*f).is_none());
        mapping.0.push(field);
    }
    mapping
}

struct Candidate {
    row: usize,
    headers: Vec<String>,
    score: usize,
}

/// The number of distinct fields a header row names, the person-or-business names counted as
/// the business name. `Skip` ("No.") does not count.
fn score(headers: &[String]) -> usize {
    let mapping = map_headers(headers);
    let mut fields: Vec<UmkmField> = mapping.0.iter().flatten().copied().filter(|f| *f != UmkmField::Skip).collect();
    fields.sort_unstable();
    fields.dedup();
    fields.len()
}

fn texts(row: &[Cell]) -> Vec<String> {
    row.iter().map(|c| c.text.clone()).collect()
}

/// A header spread over two rows: the lower row's names, and the upper row's where the lower
/// cell is empty (a name merged down over both rows sits in the upper one).
fn combined(upper: &[Cell], lower: &[Cell]) -> Vec<String> {
    let width = upper.len().max(lower.len());
    (0..width)
        .map(|c| {
            let up = upper.get(c).map(|x| x.text.as_str()).unwrap_or("");
            let low = lower.get(c).map(|x| x.text.as_str()).unwrap_or("");
            if low.is_empty() { up.to_owned() } else { low.to_owned() }
        })
        .collect()
}

fn names_someone(headers: &[String]) -> bool {
    headers.iter().any(|h| {
        matches!(
            header_meaning(h),
            Some(
                HeaderMeaning::PersonOrBusiness | HeaderMeaning::Field(UmkmField::BusinessName | UmkmField::OwnerName)
            )
        )
    })
}

/// The best header in a sheet: at least two known fields, one a name. Ties go to the upper row.
fn best_in_sheet(sheet: &RawSheet) -> Option<Candidate> {
    let mut best: Option<Candidate> = None;
    let rows = &sheet.rows;
    for (i, row) in rows.iter().enumerate().take(SCAN_ROWS) {
        let plain = texts(row);
        let plain_score = score(&plain);
        let mut candidate = Candidate { row: i, headers: plain, score: plain_score };
        // The row with the one above it, when together they name more than this row alone.
        if let Some(above) = i.checked_sub(1).and_then(|a| rows.get(a)) {
            let headers = combined(above, row);
            let together = score(&headers);
            if together > plain_score && names_someone(&headers) {
                candidate = Candidate { row: i, headers, score: together };
            }
        }
        if candidate.score < 2 || !names_someone(&candidate.headers) {
            continue;
        }
        if best.as_ref().is_none_or(|b| candidate.score > b.score) {
            best = Some(candidate);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::umkm::read::FileFormat;

    fn sheet(rows: &[&[&str]]) -> RawSheet {
        RawSheet {
            name: "Sheet1".into(),
            rows: rows.iter().map(|r| r.iter().map(|t| Cell::text(*t)).collect()).collect(),
            hidden: false,
        }
    }

    fn book(sheets: Vec<RawSheet>) -> Workbook {
        Workbook { format: FileFormat::Xlsx, sheets }
    }

    fn strings(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn header_below_titles() {
        let b = book(vec![sheet(&[
            &["DATA UMKM KABUPATEN SERANG"],
            &["Dinas Koperasi, UMKM, Perindustrian dan Perdagangan"],
            &[],
            &[
                "No",
                "Nama Usaha",
                "Nama Pemilik",
                "NIK",
                "No. HP/WA",
                "Kec.",
                "Desa/Kel",
                "Modal Usaha",
                "Omzet per Tahun",
            ],
            &["1", "2", "3", "4", "5", "6", "7", "8", "9"],
            &["1", "Keripik Bu Siti", "Siti", "", "", "Cikande", "Parigi", "25 jt", "1,5 M"],
        ])]);
        let d = detect(&b).unwrap();
        assert_eq!(d.header_row, 3);
        use UmkmField::*;
        assert_eq!(
            d.mapping.0,
            [
                Some(Skip),
                Some(BusinessName),
                Some(OwnerName),
                Some(Nik),
                Some(Phone),
                Some(Kecamatan),
                Some(Desa),
                Some(Capital),
                Some(Sales)
            ]
        );
        assert_eq!(d.column_name(Phone), Some("No. HP/WA"));
    }

    #[test]
    fn pelaku_usaha_is_the_owner_next_to_a_business_name() {
        let m = map_headers(&strings(&["Nama Usaha", "Nama Pelaku Usaha", "NIK"]));
        assert_eq!(m.0, [Some(UmkmField::BusinessName), Some(UmkmField::OwnerName), Some(UmkmField::Nik)]);
        let m = map_headers(&strings(&["NIB", "Nama Pelaku Usaha", "Alamat"]));
        assert_eq!(m.0, [Some(UmkmField::Nib), Some(UmkmField::BusinessName), Some(UmkmField::Address)]);
        let m = map_headers(&strings(&["Nama Pemilik", "Nama Pelaku Usaha"]));
        assert_eq!(m.0, [Some(UmkmField::OwnerName), Some(UmkmField::BusinessName)]);
        let m = map_headers(&strings(&["Nama Peserta", "Nama UMKM", "No HP"]));
        assert_eq!(m.0, [Some(UmkmField::OwnerName), Some(UmkmField::BusinessName), Some(UmkmField::Phone)]);
    }

    #[test]
    fn a_field_that_takes_one_column_keeps_the_first() {
        let m = map_headers(&strings(&["Nama Usaha", "Modal", "Aset", "No HP", "No WA"]));
        use UmkmField::*;
        assert_eq!(m.0, [Some(BusinessName), Some(Capital), None, Some(Phone), Some(Phone)]);
        assert!(m.problems().is_empty());
    }

    #[test]
    fn two_row_header() {
        let b = book(vec![sheet(&[
            &["Nama Usaha", "Pemilik", "Legalitas", "", "Alamat"],
            &["", "", "NIB", "P-IRT", ""],
            &["Kopi Kibin", "Ahmad", "1234567890123", "", "Kibin"],
        ])]);
        let d = detect(&b).unwrap();
        assert_eq!(d.header_row, 1);
        assert_eq!(d.headers, strings(&["Nama Usaha", "Pemilik", "NIB", "P-IRT", "Alamat"]));
        use UmkmField::*;
        assert_eq!(d.mapping.0, [Some(BusinessName), Some(OwnerName), Some(Nib), Some(Pirt), Some(Address)]);
    }

    #[test]
    fn best_sheet_wins_and_visible_first() {
        let notes = sheet(&[&["Catatan"], &["Nama", "Isi"]]);
        let mut hidden = sheet(&[&["Nama Usaha", "NIK", "No HP", "Kecamatan", "Desa"]]);
        hidden.hidden = true;
        let data = sheet(&[&["Nama Usaha", "Kecamatan"]]);
        let d = detect(&book(vec![notes, hidden, data])).unwrap();
        assert_eq!(d.sheet, 2);
    }

    #[test]
    fn no_header() {
        let b = book(vec![sheet(&[&["Laporan"], &["Isi", "Tanggal"]])]);
        assert_eq!(detect(&b).unwrap_err(), ImportError::NoHeader);
        assert_eq!(detect(&book(vec![])).unwrap_err(), ImportError::NoHeader);
    }

    #[test]
    fn mapping_problems() {
        use UmkmField::*;
        let m = Mapping(vec![Some(OwnerName), Some(Nik), Some(Nik), None]);
        let problems = m.problems();
        assert_eq!(problems[0].code, "missing-business-name");
        assert_eq!(problems[1], MappingProblem { field: Nik, code: "duplicate-field", columns: vec![1, 2] });
    }

    #[test]
    fn mapping_as_json() {
        let m = Mapping(vec![Some(UmkmField::BusinessName), None, Some(UmkmField::Phone)]);
        assert_eq!(m.to_json(), r#"["business_name",null,"phone"]"#);
        assert_eq!(Mapping::from_json(&m.to_json()), Some(m));
        assert_eq!(Mapping::from_json(r#"["nonsense"]"#), None);
    }

    #[test]
    fn saved_mapping_reapplies_by_header() {
        let headers = strings(&["Nama Usaha", "Kolom X", "No. HP/WA"]);
        let mut mapping = map_headers(&headers);
        mapping.set(1, Some(UmkmField::Products));
        let saved = SavedMapping::new(&headers, &mapping);
        let saved = SavedMapping::from_json(&saved.to_json()).unwrap();
        let reordered = strings(&["no hp / wa", "NAMA USAHA", "Kolom X"]);
        assert!(saved.matches(&reordered));
        assert_eq!(
            saved.apply(&reordered).0,
            [Some(UmkmField::Phone), Some(UmkmField::BusinessName), Some(UmkmField::Products)]
        );
        let other = strings(&["Nama Usaha", "Kolom Y", "Kecamatan"]);
        assert!(!saved.matches(&other));
        assert_eq!(saved.apply(&other).0, [Some(UmkmField::BusinessName), None, Some(UmkmField::Kecamatan)]);
    }
}

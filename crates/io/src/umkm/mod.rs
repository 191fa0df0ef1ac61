//! Importing UMKM registers from the spreadsheets agencies hold.
//!
//! The steps, each a function the web wizard calls:
//! 1. [`read_workbook`]: any XLSX, XLS, ODS or CSV file into sheets of cells, keeping Excel's row
//!    numbers;
//! 2. [`detect`]: the sheet, the header row and what each column holds ([`Mapping`]), which the
//!    officer may correct and save per source ([`SavedMapping`]);
//! 3. [`parse_rows`]: every data row into a [`SourceRecord`](sinergi_domain::umkm::SourceRecord)
//!    or a list of [`Problem`]s, per field, with the official kecamatan and desa names suggested
//!    for misspelt ones;
//! 4. [`rejected_workbook`]: the rejected rows back as an XLSX with the reason for each, for the
//!    officer to fix and import again.
//!
//! Nothing here writes anywhere: the store commits the accepted rows in one transaction. No text
//! for people is made here either: problems carry codes the web layer translates.

mod detect;
mod fields;
mod parse;
mod read;
mod rejected;

pub use detect::{Detected, Mapping, MappingProblem, SCAN_ROWS, SavedColumn, SavedMapping, detect, map_headers};
pub use fields::UmkmField;
pub use parse::{ParseContext, ParsedRow, Problem, Severity, Summary, parse_rows};
pub use read::{Cell, FileFormat, MAX_COLUMNS, MAX_ROWS, RawSheet, TextEncoding, Workbook, read_workbook, row_number};
pub use rejected::rejected_workbook;

/// Why a file could not be imported at all. [`ImportError::code`] is the translation key suffix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the {format} file could not be read")]
    Unreadable { format: &'static str },
    #[error("the workbook is protected with a password")]
    Encrypted,
    #[error("a web page saved as a spreadsheet")]
    HtmlTable,
    #[error("more than {max} rows")]
    TooManyRows { max: usize },
    #[error("more than {max} columns")]
    TooManyColumns { max: usize },
    #[error("no header row naming the business")]
    NoHeader,
    #[error("the sheet chosen is not in the workbook")]
    NoSheet,
    #[error("the region is not a kabupaten or kota")]
    UnknownRegion,
}

impl ImportError {
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Empty => "empty-file",
            ImportError::Unreadable { .. } => "unreadable",
            ImportError::Encrypted => "encrypted",
            ImportError::HtmlTable => "html-table",
            ImportError::TooManyRows { .. } => "too-many-rows",
            ImportError::TooManyColumns { .. } => "too-many-columns",
            ImportError::NoHeader => "no-header",
            ImportError::NoSheet => "no-sheet",
            ImportError::UnknownRegion => "unknown-region",
        }
    }
}

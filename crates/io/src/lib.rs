//! Spreadsheets in and out. Agencies keep their data in XLSX files with their own layouts:
//! title rows above the header, differently worded column names, "85,5" typed as text. This
//! crate reads them leniently and reports every problem by row and column, so that an import
//! either goes in whole or not at all. Out go XLSX sheets and PDF reports ([`pdf`]), and small
//! JPEG thumbnails of uploaded photos ([`thumbnail`]).

pub mod certificate;
pub mod export;
pub mod pdf;
pub mod sheet;
pub mod targets;
pub mod thumbnail;
pub mod umkm;

pub use sheet::{RowError, SheetError};

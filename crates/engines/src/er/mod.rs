//! Entity resolution for UMKM records: which spreadsheet rows describe the same business.
//!
//! A Fellegi–Sunter model ([`Model`], trained by [`train`]) scores candidate pairs found by
//! blocking on NIK, NIB, phone, and the rarer words of the business and owner names within a
//! kecamatan. The [`Index`] holds the registry and its clusters; [`Index::add_batch`] compares a
//! new file with itself and with everything already indexed and decides per record: linked
//! automatically, sent for review, or a new business, each with its [`Explanation`].
//! [`dedup`] is the batch form.

mod compare;
mod index;
mod model;
pub mod normalize;
mod store;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use compare::{FIELDS, Field, jaro_winkler};
pub use index::{
    Candidate, Decision, Explanation, FieldWeight, Index, MAX_CANDIDATES, Outcome, ReviewPair, Thresholds, dedup,
};
pub use model::{FieldParams, Model, TrainOptions, TrainingReport, train, train_with};
pub use store::MAX_BLOCK;

/// One row of an import, as read: every field optional except the id.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErRecord {
    pub record_id: String,
    pub source: Option<String>,
    pub business_name: Option<String>,
    pub owner_name: Option<String>,
    pub nik: Option<String>,
    pub nib: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub desa: Option<String>,
    pub kecamatan: Option<String>,
    pub kabupaten_kota: Option<String>,
    pub kbli: Option<String>,
    pub omzet_raw: Option<String>,
}

/// The column names of an import, in the order of [`ErRecord`]'s fields.
pub const COLUMNS: [&str; 13] = [
    "record_id",
    "source",
    "business_name",
    "owner_name",
    "nik",
    "nib",
    "phone",
    "address",
    "desa",
    "kecamatan",
    "kabupaten_kota",
    "kbli",
    "omzet_raw",
];

impl ErRecord {
    /// Builds a record from a column name and value lookup (the CSV reader's header map).
    /// Blank values become `None`.
    pub fn from_lookup<'a>(get: impl Fn(&str) -> Option<&'a str>) -> ErRecord {
        let f = |c: &str| get(c).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        ErRecord {
            record_id: f("record_id").unwrap_or_default(),
            source: f("source"),
            business_name: f("business_name"),
            owner_name: f("owner_name"),
            nik: f("nik"),
            nib: f("nib"),
            phone: f("phone"),
            address: f("address"),
            desa: f("desa"),
            kecamatan: f("kecamatan"),
            kabupaten_kota: f("kabupaten_kota"),
            kbli: f("kbli"),
            omzet_raw: f("omzet_raw"),
        }
    }
}

/// A NIK is personal data: logs and panics show only its last four digits.
impl fmt::Debug for ErRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nik = self.nik.as_deref().map(|n| {
            let tail: String = n.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
            format!("************{tail}")
        });
        f.debug_struct("ErRecord")
            .field("record_id", &self.record_id)
            .field("source", &self.source)
            .field("business_name", &self.business_name)
            .field("owner_name", &self.owner_name)
            .field("nik", &nik)
            .field("nib", &self.nib)
            .field("phone", &self.phone)
            .field("desa", &self.desa)
            .field("kecamatan", &self.kecamatan)
            .field("kbli", &self.kbli)
            .finish_non_exhaustive()
    }
}

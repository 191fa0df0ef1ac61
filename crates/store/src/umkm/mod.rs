//! The UMKM registry: one business per real business, the source records that describe it
//! (each with its provenance), yearly figures, permits, duplicates to review, and reversible
//! merges.
//!
//! Entity resolution happens outside the store (in `sinergi_engines::er`, fed by
//! [`Store::umkm_er_records`]); the store receives its decisions ([`Resolution`]) and writes a
//! whole batch in one transaction, so an import lands completely or not at all.

mod facts;
mod import;
mod list;
mod merge;
mod owner;
mod seed;
mod write;

use serde::{Deserialize, Serialize};
use sinergi_domain::umkm::{Classification, LegalForm, PermitKind, Sex, SizeClass};
use sinergi_domain::{Actor, BusinessId, ImportId, KbliCode, Permission, RegionCode, SourceRecordId};
use uuid::Uuid;

pub use import::{ImportRow, ImportStatus, NewImport};
pub use list::{BusinessFilter, BusinessListRow, BusinessPage, ClassMove, ErSource, NaikKelasRow};
pub use merge::{FieldChoice, MergeRow, ReviewDetail, ReviewRow, ReviewStatus};
pub use owner::{ClaimRow, ClaimStatus, Claimable, NewClaim, OWNER_FIELDS, OwnerData, RevealRow, TagKind};
pub use seed::SeedBusiness;
pub use write::{Candidate, CommitSummary, Incoming, Origin, Provenance, Resolution};

use crate::agencies::target_tenant;
use crate::{Result, StoreError};

/// The fields of a business record whose value comes from one source record (and can be chosen
/// from either side when two businesses are merged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    LegalForm,
    OwnerName,
    Nik,
    Sex,
    BirthYear,
    Nib,
    Npwp,
    Kbli,
    Address,
    Desa,
    Kecamatan,
    Phone,
    Email,
    Products,
    Employees,
}

impl Field {
    pub const ALL: [Field; 16] = [
        Field::Name,
        Field::LegalForm,
        Field::OwnerName,
        Field::Nik,
        Field::Sex,
        Field::BirthYear,
        Field::Nib,
        Field::Npwp,
        Field::Kbli,
        Field::Address,
        Field::Desa,
        Field::Kecamatan,
        Field::Phone,
        Field::Email,
        Field::Products,
        Field::Employees,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::LegalForm => "legal_form",
            Field::OwnerName => "owner_name",
            Field::Nik => "nik",
            Field::Sex => "sex",
            Field::BirthYear => "birth_year",
            Field::Nib => "nib",
            Field::Npwp => "npwp",
            Field::Kbli => "kbli",
            Field::Address => "address",
            Field::Desa => "desa",
            Field::Kecamatan => "kecamatan",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Products => "products",
            Field::Employees => "employees",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Field::ALL.into_iter().find(|f| f.slug() == s)
    }
}

/// A business as the registry holds it. Personal data is masked here; the whole NIK is only
/// reached through [`Store::reveal_umkm_nik`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Business {
    pub id: BusinessId,
    pub tenant: RegionCode,
    pub name: String,
    pub legal_form: Option<LegalForm>,
    pub owner_name: Option<String>,
    pub nik_masked: Option<String>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub nib: Option<String>,
    pub npwp_masked: Option<String>,
    pub kbli: Vec<KbliCode>,
    pub address: Option<String>,
    pub desa: Option<RegionCode>,
    pub kecamatan: Option<RegionCode>,
    /// The national number, digits only (`081234567890`).
    pub phone: Option<String>,
    pub email: Option<String>,
    pub products: Option<String>,
    pub employees: Option<i32>,
    pub latest_year: Option<i32>,
    pub capital: Option<i64>,
    pub sales: Option<i64>,
    pub classification: Classification,
    pub merged_into: Option<BusinessId>,
    pub claimed_by: Option<sinergi_domain::UserId>,
    /// The last change its owner made through self-service, if any.
    pub owner_edited_at_ms: Option<i64>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// One year's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearFigures {
    pub year: i32,
    pub capital: Option<i64>,
    pub sales: Option<i64>,
    pub employees: Option<i32>,
    pub classification: Classification,
    pub record: Option<SourceRecordId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PermitRow {
    pub id: Uuid,
    pub kind: PermitKind,
    pub number: String,
    pub issued: Option<String>,
    pub expires: Option<String>,
    pub record: Option<SourceRecordId>,
}

/// A source record as stored: where it came from and what it said.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordRow {
    pub id: SourceRecordId,
    pub business: BusinessId,
    pub import: Option<ImportId>,
    pub provenance: Provenance,
    pub business_name: String,
    pub owner_name: Option<String>,
    pub nik_masked: Option<String>,
    pub nib: Option<String>,
    pub phone: Option<String>,
    pub kecamatan: Option<RegionCode>,
    pub desa: Option<RegionCode>,
    pub address: Option<String>,
    pub year: i32,
    /// The row's cells as written (identity numbers masked), header → value.
    pub raw: Vec<(String, String)>,
    /// auto, review, officer, new, owner.
    pub link: String,
    pub weight: Option<f64>,
    pub explanation: Option<serde_json::Value>,
    pub created_by: String,
    pub created_at_ms: i64,
}

/// Everything the business page shows.
#[derive(Debug, Clone, Serialize)]
pub struct BusinessDetail {
    pub business: Business,
    pub years: Vec<YearFigures>,
    pub permits: Vec<PermitRow>,
    pub tags: Vec<String>,
    pub memberships: Vec<String>,
    pub records: Vec<RecordRow>,
    /// Which record each field's value came from.
    pub field_sources: Vec<(Field, SourceRecordId)>,
    pub open_reviews: Vec<ReviewRow>,
    pub merges: Vec<MergeRow>,
}

/// The tenant a registry call works in: the actor's own (the registry is internal to a Pemda),
/// or the one named by the platform operator and the command line.
fn registry_tenant(actor: &Actor, permission: Permission, tenant: &RegionCode) -> Result<RegionCode> {
    if !actor.can(permission) {
        return Err(StoreError::Forbidden);
    }
    target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)
}

pub(crate) fn class_slug(c: Option<SizeClass>) -> Option<String> {
    c.map(|c| c.slug().to_owned())
}

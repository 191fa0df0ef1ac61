//! Tenants (Pemda) and their agencies (perangkat daerah).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::auth::FieldError;
use crate::{AgencyId, RegionCode, RegionLevel};

/// A URL- and email-safe name for a tenant: `kota-serang`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        let ok = (2..=63).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok { Ok(Self(s.to_owned())) } else { Err(FieldError::new("slug", "invalid-slug")) }
    }

    /// "Kabupaten Serang" → "kabupaten-serang".
    pub fn from_name(name: &str) -> Result<Self, FieldError> {
        let mut out = String::new();
        for word in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(&word.to_ascii_lowercase());
        }
        Self::parse(&out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TenantSlug {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TenantSlug> for String {
    fn from(value: TenantSlug) -> Self {
        value.0
    }
}

/// A tenant is a Pemda: a province, kabupaten or kota, named by its region code.
pub fn tenant_code(code: &RegionCode) -> Result<RegionCode, FieldError> {
    match code.level() {
        RegionLevel::Province | RegionLevel::Regency => Ok(code.clone()),
        _ => Err(FieldError::new("code", "tenant-must-be-region")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// Sekretariat Daerah, Sekretariat DPRD.
    Sekretariat,
    Dinas,
    Badan,
    /// A part of the Sekretariat (Bagian Kerja Sama).
    Bagian,
    Inspektorat,
    Kecamatan,
    /// Unit Pelaksana Teknis Daerah, under a dinas or badan (UPTD Labkesda).
    Uptd,
    Lainnya,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 8] = [
        AgencyKind::Sekretariat,
        AgencyKind::Dinas,
        AgencyKind::Badan,
        AgencyKind::Bagian,
        AgencyKind::Inspektorat,
        AgencyKind::Kecamatan,
        AgencyKind::Uptd,
        AgencyKind::Lainnya,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            AgencyKind::Sekretariat => "sekretariat",
            AgencyKind::Dinas => "dinas",
            AgencyKind::Badan => "badan",
            AgencyKind::Bagian => "bagian",
            AgencyKind::Inspektorat => "inspektorat",
            AgencyKind::Kecamatan => "kecamatan",
            AgencyKind::Uptd => "uptd",
            AgencyKind::Lainnya => "lainnya",
        }
    }

    /// A bagian sits under the Sekretariat and a UPTD under a dinas or badan: both need a parent.
    pub fn needs_parent(self) -> bool {
        matches!(self, AgencyKind::Bagian | AgencyKind::Uptd)
    }
}

impl FromStr for AgencyKind {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AgencyKind::ALL.into_iter().find(|k| k.slug() == s).ok_or(FieldError::new("kind", "invalid-choice"))
    }
}

/// The parent an agency may have: one of the same tenant, and never itself or its own
/// descendant (that would make a loop in the organisation chart).
pub fn check_parent(
    id: Option<AgencyId>,
    kind: AgencyKind,
    parent: Option<AgencyId>,
    ancestors_of_parent: &[AgencyId],
) -> Result<(), FieldError> {
    match (parent, id) {
        (None, _) if kind.needs_parent() => Err(FieldError::new("parent_id", "parent-required")),
        (Some(p), Some(me)) if p == me || ancestors_of_parent.contains(&me) => {
            Err(FieldError::new("parent_id", "parent-cycle"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(TenantSlug::from_name("Kota Tangerang Selatan").unwrap().as_str(), "kota-tangerang-selatan");
        assert!(TenantSlug::parse("Kota Serang").is_err());
        assert!(TenantSlug::parse("-a").is_err());
    }

    #[test]
    fn tenants_are_provinces_or_regencies() {
        assert!(tenant_code(&RegionCode::parse("36.73").unwrap()).is_ok());
        assert!(tenant_code(&RegionCode::parse("36").unwrap()).is_ok());
        assert!(tenant_code(&RegionCode::parse("36.04.15").unwrap()).is_err());
    }

    #[test]
    fn parents() {
        let a = AgencyId::new();
        let b = AgencyId::new();
        assert_eq!(check_parent(None, AgencyKind::Uptd, None, &[]).unwrap_err().reason, "parent-required");
        assert!(check_parent(Some(a), AgencyKind::Dinas, None, &[]).is_ok());
        assert_eq!(check_parent(Some(a), AgencyKind::Uptd, Some(a), &[]).unwrap_err().reason, "parent-cycle");
        assert_eq!(check_parent(Some(a), AgencyKind::Uptd, Some(b), &[a]).unwrap_err().reason, "parent-cycle");
        assert!(check_parent(Some(a), AgencyKind::Uptd, Some(b), &[]).is_ok());
    }
}

//! Kemendagri region codes: `PP`, `PP.KK`, `PP.KK.CC`, `PP.KK.CC.DDDD`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::CodeError;

/// The administrative level a region code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    /// Kabupaten (codes 01–69) or kota (71+).
    Regency,
    /// Kecamatan.
    District,
    /// Desa (DDDD starting with 2) or kelurahan (starting with 1).
    Village,
}

/// A Kemendagri region code that has been checked for shape. Whether the code exists is a
/// question for the reference data, not for this type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(CodeError::Empty);
        }
        let parts: Vec<&str> = s.split('.').collect();
        let widths: &[usize] = match parts.len() {
            1 => &[2],
            2 => &[2, 2],
            3 => &[2, 2, 2],
            4 => &[2, 2, 2, 4],
            _ => return Err(CodeError::Shape(s.to_owned())),
        };
        for (part, width) in parts.iter().zip(widths) {
            if part.len() != *width || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(CodeError::Shape(s.to_owned()));
            }
        }
        // Province codes start at 11; a leading "0" province is never valid.
        if parts[0].starts_with('0') {
            return Err(CodeError::Shape(s.to_owned()));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        match self.0.matches('.').count() {
            0 => RegionLevel::Province,
            1 => RegionLevel::Regency,
            2 => RegionLevel::District,
            _ => RegionLevel::Village,
        }
    }

    pub fn parent(&self) -> Option<RegionCode> {
        self.0.rfind('.').map(|i| RegionCode(self.0[..i].to_owned()))
    }

    /// True when `self` is `other` or lies inside it (a desa inside its kabupaten).
    pub fn is_within(&self, other: &RegionCode) -> bool {
        self.0 == other.0 || (self.0.starts_with(&other.0) && self.0.as_bytes().get(other.0.len()) == Some(&b'.'))
    }

    /// Regencies coded 71 and above are kota; below are kabupaten.
    pub fn is_kota(&self) -> bool {
        self.level() == RegionLevel::Regency && self.0[3..5] >= *"71"
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = CodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<RegionCode> for String {
    fn from(value: RegionCode) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_level() {
        assert_eq!(RegionCode::parse("36").unwrap().level(), RegionLevel::Province);
        assert_eq!(RegionCode::parse("36.04").unwrap().level(), RegionLevel::Regency);
        assert_eq!(RegionCode::parse(" 36.04.15 ").unwrap().as_str(), "36.04.15");
        assert_eq!(RegionCode::parse("36.04.15.2001").unwrap().level(), RegionLevel::Village);
    }

    #[test]
    fn rejects_bad_shapes() {
        for bad in ["", "3", "36.4", "36.04.1", "36.04.15.201", "3a.04", "36-04", "06", "36.04.15.2001.1"] {
            assert!(RegionCode::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn parents_and_containment() {
        let desa = RegionCode::parse("36.04.15.2001").unwrap();
        let kab = RegionCode::parse("36.04").unwrap();
        assert_eq!(desa.parent().unwrap().as_str(), "36.04.15");
        assert!(desa.is_within(&kab));
        assert!(!RegionCode::parse("36.041").is_ok_and(|c| c.is_within(&kab)));
        assert!(!RegionCode::parse("36.40").unwrap().is_within(&RegionCode::parse("36.4").unwrap_or(kab)));
        assert!(RegionCode::parse("36.73").unwrap().is_kota());
        assert!(!RegionCode::parse("36.04").unwrap().is_kota());
    }
}

//! KBLI 2020 codes: a kategori letter, or 2 to 5 digits.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::CodeError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KbliLevel {
    Kategori,
    GolonganPokok,
    Golongan,
    Subgolongan,
    /// The 5-digit level OSS uses on an NIB.
    Kelompok,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KbliCode(String);

impl KbliCode {
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(CodeError::Empty);
        }
        let ok = match s.len() {
            1 => matches!(s.as_bytes()[0], b'A'..=b'U' | b'a'..=b'u'),
            2..=5 => s.bytes().all(|b| b.is_ascii_digit()),
            _ => false,
        };
        if !ok {
            return Err(CodeError::Shape(s.to_owned()));
        }
        Ok(Self(s.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> KbliLevel {
        match self.0.len() {
            1 => KbliLevel::Kategori,
            2 => KbliLevel::GolonganPokok,
            3 => KbliLevel::Golongan,
            4 => KbliLevel::Subgolongan,
            _ => KbliLevel::Kelompok,
        }
    }
}

impl fmt::Display for KbliCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for KbliCode {
    type Error = CodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<KbliCode> for String {
    fn from(value: KbliCode) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(KbliCode::parse("c").unwrap().as_str(), "C");
        assert_eq!(KbliCode::parse("C").unwrap().level(), KbliLevel::Kategori);
        assert_eq!(KbliCode::parse("10").unwrap().level(), KbliLevel::GolonganPokok);
        assert_eq!(KbliCode::parse("10794").unwrap().level(), KbliLevel::Kelompok);
    }

    #[test]
    fn rejects() {
        for bad in ["", "V", "1", "107945", "10a94", "AB"] {
            assert!(KbliCode::parse(bad).is_err(), "{bad}");
        }
    }
}

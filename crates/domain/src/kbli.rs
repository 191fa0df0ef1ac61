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

impl KbliCode {
    /// The kategori letter a code belongs to (KBLI 2020 groups golongan pokok into kategori).
    pub fn section(&self) -> Option<char> {
        if self.level() == KbliLevel::Kategori {
            return self.0.chars().next();
        }
        let two: u8 = self.0.get(..2)?.parse().ok()?;
        let letter = match two {
            1..=3 => 'A',
            5..=9 => 'B',
            10..=33 => 'C',
            35 => 'D',
            36..=39 => 'E',
            41..=43 => 'F',
            45..=47 => 'G',
            49..=53 => 'H',
            55..=56 => 'I',
            58..=63 => 'J',
            64..=66 => 'K',
            68 => 'L',
            69..=75 => 'M',
            77..=82 => 'N',
            84 => 'O',
            85 => 'P',
            86..=88 => 'Q',
            90..=93 => 'R',
            94..=96 => 'S',
            97..=98 => 'T',
            99 => 'U',
            _ => return None,
        };
        Some(letter)
    }

    /// The code cut to `digits` digits (the ancestor at that level), if it is that long.
    pub fn prefix(&self, digits: usize) -> Option<&str> {
        if self.level() == KbliLevel::Kategori { None } else { self.0.get(..digits) }
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
    fn sections_and_prefixes() {
        assert_eq!(KbliCode::parse("10794").unwrap().section(), Some('C'));
        assert_eq!(KbliCode::parse("47111").unwrap().section(), Some('G'));
        assert_eq!(KbliCode::parse("56101").unwrap().section(), Some('I'));
        assert_eq!(KbliCode::parse("04").unwrap().section(), None);
        assert_eq!(KbliCode::parse("g").unwrap().section(), Some('G'));
        assert_eq!(KbliCode::parse("10794").unwrap().prefix(3), Some("107"));
    }

    #[test]
    fn rejects() {
        for bad in ["", "V", "1", "107945", "10a94", "AB"] {
            assert!(KbliCode::parse(bad).is_err(), "{bad}");
        }
    }
}

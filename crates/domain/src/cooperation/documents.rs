//! The files kept with an agreement, and the signing checklist of a signed document.
//!
//! A KB or PKS is valid as an official document only when it is initialled on every page
//! (paraf), bears the duty stamp (materai) where the law asks for it, and carries each
//! party's official stamp (stempel). Bagian Kerja Sama checks the scanned copy for all three.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::auth::FieldError;

/// What a file kept with an agreement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentPurpose {
    /// The signed Kesepakatan Bersama.
    SignedKb,
    /// The signed Perjanjian Kerja Sama.
    SignedPks,
    /// A signed addendum.
    SignedAddendum,
    /// The authority to sign for the regional head.
    SuratKuasa,
    /// The feasibility study of a KSDPK.
    StudiKelayakan,
    /// The DPRD's letter of approval.
    PersetujuanDprd,
    /// Evidence of an activity or an outcome: minutes, photos, a handover record (BAST).
    Evidence,
    Other,
}

impl DocumentPurpose {
    pub const ALL: [DocumentPurpose; 8] = [
        DocumentPurpose::SignedKb,
        DocumentPurpose::SignedPks,
        DocumentPurpose::SignedAddendum,
        DocumentPurpose::SuratKuasa,
        DocumentPurpose::StudiKelayakan,
        DocumentPurpose::PersetujuanDprd,
        DocumentPurpose::Evidence,
        DocumentPurpose::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            DocumentPurpose::SignedKb => "signed-kb",
            DocumentPurpose::SignedPks => "signed-pks",
            DocumentPurpose::SignedAddendum => "signed-addendum",
            DocumentPurpose::SuratKuasa => "surat-kuasa",
            DocumentPurpose::StudiKelayakan => "studi-kelayakan",
            DocumentPurpose::PersetujuanDprd => "persetujuan-dprd",
            DocumentPurpose::Evidence => "evidence",
            DocumentPurpose::Other => "other",
        }
    }

    /// Only a signed agreement is checked for paraf, materai and stempel.
    pub fn is_signed_agreement(self) -> bool {
        matches!(self, DocumentPurpose::SignedKb | DocumentPurpose::SignedPks | DocumentPurpose::SignedAddendum)
    }
}

impl fmt::Display for DocumentPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for DocumentPurpose {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocumentPurpose::ALL
            .into_iter()
            .find(|p| p.slug() == s.trim())
            .ok_or(FieldError::new("purpose", "invalid-choice"))
    }
}

/// What Bagian Kerja Sama confirmed on a signed document's scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SigningChecklist {
    /// Every page initialled by the parties.
    pub paraf: bool,
    /// The duty stamp (materai) affixed and signed across.
    pub materai: bool,
    /// Each party's official stamp (stempel/cap dinas).
    pub stempel: bool,
}

impl SigningChecklist {
    /// The items not yet confirmed, as translation keys, in the order they are checked.
    pub fn missing(&self) -> Vec<&'static str> {
        [(self.paraf, "paraf"), (self.materai, "materai"), (self.stempel, "stempel")]
            .into_iter()
            .filter(|(done, _)| !done)
            .map(|(_, key)| key)
            .collect()
    }

    pub fn is_complete(&self) -> bool {
        self.paraf && self.materai && self.stempel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_round_trip() {
        for p in DocumentPurpose::ALL {
            assert_eq!(p.slug().parse::<DocumentPurpose>().unwrap(), p);
        }
        assert_eq!("kwitansi".parse::<DocumentPurpose>().unwrap_err(), FieldError::new("purpose", "invalid-choice"));
        assert!(DocumentPurpose::SignedPks.is_signed_agreement());
        assert!(!DocumentPurpose::Evidence.is_signed_agreement());
    }

    #[test]
    fn checklist_lists_what_is_missing() {
        assert_eq!(SigningChecklist::default().missing(), vec!["paraf", "materai", "stempel"]);
        let partly = SigningChecklist { paraf: true, materai: false, stempel: true };
        assert_eq!(partly.missing(), vec!["materai"]);
        assert!(!partly.is_complete());
        let all = SigningChecklist { paraf: true, materai: true, stempel: true };
        assert!(all.missing().is_empty());
        assert!(all.is_complete());
    }
}

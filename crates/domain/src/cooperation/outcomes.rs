//! Outcomes: the benefit people feel, measured. "Success is the benefit people feel, not the
//! number of documents" — so the standard kinds are the ones leaders ask about.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::auth::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeKind {
    /// People who benefit.
    Beneficiaries,
    /// APBD spending avoided because the partner paid (rupiah).
    ApbdSaved,
    /// Value the partner funded (rupiah).
    PartnerFunded,
    /// Own-source revenue earned, e.g. retribusi (rupiah).
    PadEarned,
    /// Micro and small businesses reached.
    UmkmReached,
    /// Anything else, with its own unit.
    Other,
}

impl OutcomeKind {
    pub const ALL: [OutcomeKind; 6] = [
        OutcomeKind::Beneficiaries,
        OutcomeKind::ApbdSaved,
        OutcomeKind::PartnerFunded,
        OutcomeKind::PadEarned,
        OutcomeKind::UmkmReached,
        OutcomeKind::Other,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            OutcomeKind::Beneficiaries => "beneficiaries",
            OutcomeKind::ApbdSaved => "apbd-saved",
            OutcomeKind::PartnerFunded => "partner-funded",
            OutcomeKind::PadEarned => "pad-earned",
            OutcomeKind::UmkmReached => "umkm-reached",
            OutcomeKind::Other => "other",
        }
    }

    /// Money kinds are summed and shown as rupiah.
    pub fn is_rupiah(self) -> bool {
        matches!(self, OutcomeKind::ApbdSaved | OutcomeKind::PartnerFunded | OutcomeKind::PadEarned)
    }

    /// The unit a standard kind is counted in; `None` for free outcomes, which bring their own.
    pub fn unit(self) -> Option<&'static str> {
        match self {
            OutcomeKind::Beneficiaries => Some("orang"),
            OutcomeKind::UmkmReached => Some("UMKM"),
            k if k.is_rupiah() => Some("Rp"),
            _ => None,
        }
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for OutcomeKind {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.slug() == s).ok_or(FieldError::new("kind", "invalid-choice"))
    }
}

/// A whole, non-negative amount as people type it: "1.500.000", "Rp 1.500.000", "250".
pub fn parse_amount(field: &'static str, input: &str) -> Result<i64, FieldError> {
    let digits: String =
        input.trim().trim_start_matches("Rp").chars().filter(|c| !matches!(c, '.' | ' ' | '\u{a0}')).collect();
    if digits.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    match digits.parse::<i64>() {
        Ok(v) if v >= 0 => Ok(v),
        _ => Err(FieldError::new(field, "invalid-amount")),
    }
}

crate::slug_enum! {
    /// Where an activity stands. A date done alone does not say that a planned activity was
    /// cancelled, so the officer records it.
    pub enum ActivityStatus: "status" {
        Planned = "planned",
        InProgress = "in-progress",
        Done = "done",
        Cancelled = "cancelled",
    }
}

impl ActivityStatus {
    /// What an activity without a recorded status is: done once it has a date done.
    pub fn from_dates(done: bool) -> ActivityStatus {
        if done { ActivityStatus::Done } else { ActivityStatus::Planned }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_amounts() {
        for k in OutcomeKind::ALL {
            assert_eq!(k.slug().parse::<OutcomeKind>().expect("round trip"), k);
        }
        assert_eq!(OutcomeKind::ApbdSaved.unit(), Some("Rp"));
        assert_eq!(OutcomeKind::Other.unit(), None);
        assert_eq!(parse_amount("v", "Rp 1.500.000"), Ok(1_500_000));
        assert_eq!(parse_amount("v", "250"), Ok(250));
        assert_eq!(parse_amount("v", "-5").unwrap_err().reason, "invalid-amount");
        assert_eq!(parse_amount("v", "12,5").unwrap_err().reason, "invalid-amount");
        assert_eq!(parse_amount("v", " ").unwrap_err().reason, "required");
    }
}

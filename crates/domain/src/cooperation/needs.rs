//! Cooperation needs: what an agency cannot reach alone, tied to its performance targets.
//!
//! The rule from the Kota Tangerang Selatan mapping meeting (17 December 2025): each agency
//! sets at most three priority needs per year, so that planning stays focused and realistic.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::auth::FieldError;

/// At most this many priority needs per agency per year.
pub const MAX_PRIORITY_NEEDS: u8 = 3;

/// The kind of counterpart a need asks for (also the kind of a partner in the registry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum PartnerKind {
    /// Another Pemda (KSDD).
    Region,
    Company,
    /// BUMN or BUMD.
    StateEnterprise,
    Bank,
    University,
    Association,
    Retailer,
    Cooperative,
    Foreign,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 9] = [
        PartnerKind::Region,
        PartnerKind::Company,
        PartnerKind::StateEnterprise,
        PartnerKind::Bank,
        PartnerKind::University,
        PartnerKind::Association,
        PartnerKind::Retailer,
        PartnerKind::Cooperative,
        PartnerKind::Foreign,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            PartnerKind::Region => "region",
            PartnerKind::Company => "company",
            PartnerKind::StateEnterprise => "state-enterprise",
            PartnerKind::Bank => "bank",
            PartnerKind::University => "university",
            PartnerKind::Association => "association",
            PartnerKind::Retailer => "retailer",
            PartnerKind::Cooperative => "cooperative",
            PartnerKind::Foreign => "foreign",
        }
    }
}

impl fmt::Display for PartnerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for PartnerKind {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.slug() == s).ok_or(FieldError::new("partner_kind", "invalid-choice"))
    }
}

/// Where a need stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NeedStatus {
    Draft,
    Submitted,
    Matched,
    InAgreement,
    Fulfilled,
    Dropped,
}

impl NeedStatus {
    pub const ALL: [NeedStatus; 6] = [
        NeedStatus::Draft,
        NeedStatus::Submitted,
        NeedStatus::Matched,
        NeedStatus::InAgreement,
        NeedStatus::Fulfilled,
        NeedStatus::Dropped,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            NeedStatus::Draft => "draft",
            NeedStatus::Submitted => "submitted",
            NeedStatus::Matched => "matched",
            NeedStatus::InAgreement => "in-agreement",
            NeedStatus::Fulfilled => "fulfilled",
            NeedStatus::Dropped => "dropped",
        }
    }

    pub fn is_closed(self) -> bool {
        matches!(self, NeedStatus::Fulfilled | NeedStatus::Dropped)
    }

    /// The statuses a need may move to next. A need moves forward one step, may be dropped
    /// while open, and a submitted need may go back to draft for rework.
    pub fn next(self) -> &'static [NeedStatus] {
        use NeedStatus::*;
        match self {
            Draft => &[Submitted, Dropped],
            Submitted => &[Draft, Matched, Dropped],
            Matched => &[InAgreement, Dropped],
            InAgreement => &[Fulfilled, Dropped],
            Fulfilled | Dropped => &[],
        }
    }

    pub fn check_move(self, to: NeedStatus) -> Result<(), FieldError> {
        if self.next().contains(&to) { Ok(()) } else { Err(FieldError::new("status", "status-not-allowed")) }
    }
}

impl fmt::Display for NeedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for NeedStatus {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.slug() == s).ok_or(FieldError::new("status", "invalid-choice"))
    }
}

/// A priority rank, 1 (first) to 3. A need without a rank is kept but is not a priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct PriorityRank(u8);

impl PriorityRank {
    pub fn new(rank: u8) -> Result<Self, FieldError> {
        if (1..=MAX_PRIORITY_NEEDS).contains(&rank) {
            Ok(Self(rank))
        } else {
            Err(FieldError::new("priority_rank", "priority-rank-range"))
        }
    }

    /// "" means no priority; anything else must be 1, 2 or 3.
    pub fn parse_optional(input: &str) -> Result<Option<Self>, FieldError> {
        match input.trim() {
            "" => Ok(None),
            s => s
                .parse::<u8>()
                .map_err(|_| FieldError::new("priority_rank", "priority-rank-range"))
                .and_then(Self::new)
                .map(Some),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for PriorityRank {
    type Error = FieldError;
    fn try_from(v: u8) -> Result<Self, Self::Error> {
        Self::new(v)
    }
}

impl From<PriorityRank> for u8 {
    fn from(r: PriorityRank) -> Self {
        r.0
    }
}

/// The three-priorities rule. `others` are the ranks held by the agency's *other* open needs
/// of the same year (dropped needs free their rank). A new rank is refused when three
/// priorities exist already, or when the same rank is taken.
pub fn check_priority(wanted: Option<PriorityRank>, others: &[PriorityRank]) -> Result<(), FieldError> {
    let Some(rank) = wanted else { return Ok(()) };
    if others.len() >= usize::from(MAX_PRIORITY_NEEDS) {
        return Err(FieldError::new("priority_rank", "priority-limit"));
    }
    if others.contains(&rank) {
        return Err(FieldError::new("priority_rank", "priority-rank-taken"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: u8) -> PriorityRank {
        PriorityRank::new(n).expect("rank")
    }

    #[test]
    fn a_fourth_priority_is_refused() {
        assert!(check_priority(Some(r(3)), &[r(1), r(2)]).is_ok(), "the third is fine");
        let err = check_priority(Some(r(1)), &[r(1), r(2), r(3)]).expect_err("fourth");
        assert_eq!((err.field, err.reason), ("priority_rank", "priority-limit"));
        assert!(check_priority(None, &[r(1), r(2), r(3)]).is_ok(), "non-priority needs are always kept");
    }

    #[test]
    fn ranks_are_one_to_three_and_unique() {
        assert_eq!(check_priority(Some(r(2)), &[r(2)]).expect_err("taken").reason, "priority-rank-taken");
        assert!(PriorityRank::new(0).is_err() && PriorityRank::new(4).is_err());
        assert_eq!(PriorityRank::parse_optional(" ").expect("empty"), None);
        assert_eq!(PriorityRank::parse_optional("2").expect("two"), Some(r(2)));
        assert!(PriorityRank::parse_optional("x").is_err());
    }

    #[test]
    fn need_statuses_move_forward_or_drop() {
        use NeedStatus::*;
        assert!(Draft.check_move(Submitted).is_ok());
        assert!(Submitted.check_move(Draft).is_ok(), "back to rework");
        assert!(Draft.check_move(Fulfilled).is_err());
        assert!(Fulfilled.check_move(Dropped).is_err(), "closed is closed");
        for s in NeedStatus::ALL {
            assert_eq!(s.slug().parse::<NeedStatus>().expect("round trip"), s);
            assert_eq!(s.is_closed(), s.next().is_empty());
        }
        for k in PartnerKind::ALL {
            assert_eq!(k.slug().parse::<PartnerKind>().expect("round trip"), k);
        }
    }
}

//! A business's way into a channel: the channel's checklist, and the stages from submission to
//! supplying, each with its date.

use time::Date;

use crate::umkm::PermitKind;

crate::slug_enum! {
    pub enum ChannelKind: "channel_kind" {
        ModernRetail = "ritel-modern",
        Mbg = "mbg-sppg",
        Cooperative = "koperasi",
        ECatalogue = "e-katalog",
        Other = "lainnya",
    }
}

crate::slug_enum! {
    /// What a channel may ask of a supplier.
    pub enum Requirement: "requirement" {
        Nib = "nib",
        Npwp = "npwp",
        Pirt = "pirt",
        Halal = "halal",
        BpomMd = "bpom-md",
        Label = "label",
        Barcode = "barcode",
        Capacity = "kapasitas",
    }
}

crate::slug_enum! {
    /// A business's stage in a channel's pipeline.
    pub enum Stage: "stage" {
        Submitted = "diajukan",
        RequirementsMet = "syarat-lengkap",
        Accepted = "diterima",
        Supplying = "memasok",
        Declined = "ditolak",
        Withdrawn = "mundur",
    }
}

/// Why a stage cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    #[error("cannot go from {from} to {to}")]
    NotNext { from: &'static str, to: &'static str },
    /// The checklist is not complete: the requirements still missing.
    #[error("requirements missing")]
    Missing(Vec<Requirement>),
}

impl Stage {
    pub fn next(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Submitted => &[RequirementsMet, Declined, Withdrawn],
            RequirementsMet => &[Accepted, Declined, Withdrawn],
            Accepted => &[Supplying, Withdrawn],
            Supplying => &[Withdrawn],
            Declined | Withdrawn => &[],
        }
    }

    /// Take a step. "Requirements met" needs every requirement of the channel in `met`.
    pub fn step(self, to: Stage, required: &[Requirement], met: &[Requirement]) -> Result<Stage, StageError> {
        if !self.next().contains(&to) {
            return Err(StageError::NotNext { from: self.slug(), to: to.slug() });
        }
        if to == Stage::RequirementsMet {
            let missing: Vec<Requirement> = required.iter().filter(|r| !met.contains(r)).copied().collect();
            if !missing.is_empty() {
                return Err(StageError::Missing(missing));
            }
        }
        Ok(to)
    }

    /// Counted as converted in the channel's funnel.
    pub fn reached(self, stage: Stage) -> bool {
        let order = |s: Stage| match s {
            Stage::Submitted => 0,
            Stage::RequirementsMet => 1,
            Stage::Accepted => 2,
            Stage::Supplying => 3,
            Stage::Declined | Stage::Withdrawn => 0,
        };
        order(self) >= order(stage)
    }
}

impl ChannelKind {
    /// The checklist a new channel of this kind starts with. Officers edit it per channel: a
    /// retailer's buyers ask for more than a kitchen buying eggs does.
    pub fn default_requirements(self) -> &'static [Requirement] {
        use Requirement::*;
        match self {
            ChannelKind::ModernRetail => &[Nib, Npwp, Pirt, Halal, Label, Barcode, Capacity],
            ChannelKind::Mbg => &[Nib, Capacity],
            ChannelKind::Cooperative => &[Nib],
            ChannelKind::ECatalogue => &[Nib, Npwp, Label],
            ChannelKind::Other => &[Nib],
        }
    }
}

impl Requirement {
    /// The permit that proves this requirement, when a permit does.
    pub fn permit(self) -> Option<PermitKind> {
        match self {
            Requirement::Pirt => Some(PermitKind::Pirt),
            Requirement::Halal => Some(PermitKind::Halal),
            Requirement::BpomMd => Some(PermitKind::BpomMd),
            _ => None,
        }
    }

    /// Whether the registry answers this requirement (identity numbers and permits); the
    /// others (label, barcode, capacity) are ticked by an officer who has seen them.
    pub fn from_registry(self) -> bool {
        matches!(self, Requirement::Nib | Requirement::Npwp) || self.permit().is_some()
    }
}

/// What the registry knows about a business that a checklist asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryFacts {
    pub has_nib: bool,
    pub has_npwp: bool,
    /// Permits valid on the day asked about (no expiry, or expiring on or after it).
    pub valid_permits: Vec<PermitKind>,
}

impl RegistryFacts {
    /// Whether a permit counts today: one without an expiry date counts (P-IRT numbers without
    /// a year, halal certificates issued before expiry dates were printed).
    pub fn permit_valid(expires: Option<Date>, today: Date) -> bool {
        expires.is_none_or(|e| e >= today)
    }
}

/// The requirements a business meets: from the registry where it knows, else ticked by an
/// officer. A tick cannot stand in for the registry (a ticked NPWP without one on file is not
/// met), so that the checklist cannot be talked around.
pub fn requirements_met(facts: &RegistryFacts, ticked: &[Requirement]) -> Vec<Requirement> {
    Requirement::ALL
        .iter()
        .copied()
        .filter(|r| match r {
            Requirement::Nib => facts.has_nib,
            Requirement::Npwp => facts.has_npwp,
            r => match r.permit() {
                Some(kind) => facts.valid_permits.contains(&kind),
                None => ticked.contains(r),
            },
        })
        .collect()
}

impl Stage {
    /// Still moving through the pipeline (not declined or withdrawn).
    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Declined | Stage::Withdrawn)
    }

    /// The funnel's stages, in order.
    pub const FUNNEL: [Stage; 4] = [Stage::Submitted, Stage::RequirementsMet, Stage::Accepted, Stage::Supplying];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checklist_gates_the_pipeline() {
        let required = [Requirement::Npwp, Requirement::Pirt, Requirement::Halal];
        assert_eq!(
            Stage::Submitted.step(Stage::RequirementsMet, &required, &[Requirement::Pirt]),
            Err(StageError::Missing(vec![Requirement::Npwp, Requirement::Halal]))
        );
        assert_eq!(Stage::Submitted.step(Stage::RequirementsMet, &required, &required), Ok(Stage::RequirementsMet));
        assert!(matches!(Stage::Submitted.step(Stage::Supplying, &[], &[]), Err(StageError::NotNext { .. })));
        assert!(Stage::Supplying.reached(Stage::Accepted) && !Stage::Declined.reached(Stage::Accepted));
    }

    #[test]
    fn the_registry_answers_what_it_knows_and_officers_tick_the_rest() {
        let facts = RegistryFacts { has_nib: true, has_npwp: false, valid_permits: vec![PermitKind::Pirt] };
        // A ticked NPWP does not stand in for one the registry lacks; a ticked label counts.
        let met = requirements_met(&facts, &[Requirement::Npwp, Requirement::Label]);
        assert_eq!(met, vec![Requirement::Nib, Requirement::Pirt, Requirement::Label]);
        assert!(Requirement::Halal.from_registry() && !Requirement::Capacity.from_registry());
        let today = time::macros::date!(2026 - 01 - 30);
        assert!(RegistryFacts::permit_valid(None, today));
        assert!(RegistryFacts::permit_valid(Some(today), today));
        assert!(!RegistryFacts::permit_valid(Some(time::macros::date!(2025 - 12 - 31)), today));
        assert_eq!(ChannelKind::Mbg.default_requirements(), &[Requirement::Nib, Requirement::Capacity]);
    }
}

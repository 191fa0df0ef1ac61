//! A business's way into a channel: the channel's checklist, and the stages from submission to
//! supplying, each with its date.

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
}

//! Agreements between a Pemda and its partners (Permendagri 22/2020): the kind of cooperation,
//! the documents it rests on, and the stages it moves through.
//!
//! The stage machine is strict on purpose. It moves one stage forward at a time, and a stage is
//! entered only when every fact the stages before it rest on (a feasibility study, the KB's
//! signing date, the DPRD's approval, the PKS's signing date) is recorded. There are no backward
//! moves: a stage set by mistake is corrected by an administrator, with a note in the audit trail,
//! so that an agreement's history never rewinds silently.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::auth::FieldError;

/// Who the Pemda cooperates with, which decides the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgreementKind {
    /// KSDD wajib: with a bordering region, for services that cross the border.
    KsddWajib,
    /// KSDD sukarela: with any region, where working together is more efficient.
    KsddSukarela,
    /// KSDPK: with a third party (a company, an institution, a university).
    Ksdpk,
    /// KSDPL: with a regional government abroad.
    Ksdpl,
    /// KSDLL: with an institution abroad.
    Ksdll,
    /// Nota Kesepakatan with a ministry or agency of the central government.
    NotaKesepakatanPusat,
}

impl AgreementKind {
    pub const ALL: [AgreementKind; 6] = [
        AgreementKind::KsddWajib,
        AgreementKind::KsddSukarela,
        AgreementKind::Ksdpk,
        AgreementKind::Ksdpl,
        AgreementKind::Ksdll,
        AgreementKind::NotaKesepakatanPusat,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            AgreementKind::KsddWajib => "ksdd-wajib",
            AgreementKind::KsddSukarela => "ksdd-sukarela",
            AgreementKind::Ksdpk => "ksdpk",
            AgreementKind::Ksdpl => "ksdpl",
            AgreementKind::Ksdll => "ksdll",
            AgreementKind::NotaKesepakatanPusat => "nota-kesepakatan-pusat",
        }
    }

    /// The kind of cooperation a partner of this kind calls for: another Pemda makes a KSDD
    /// (voluntary unless the officer says otherwise), a body abroad a KSDLL, anyone else a KSDPK.
    pub fn for_partner(partner: crate::cooperation::needs::PartnerKind) -> Self {
        use crate::cooperation::needs::PartnerKind;
        match partner {
            PartnerKind::Region => AgreementKind::KsddSukarela,
            PartnerKind::Foreign => AgreementKind::Ksdll,
            _ => AgreementKind::Ksdpk,
        }
    }

    /// KSDD, wajib or sukarela: the only kinds the DPRD approval rule looks at.
    pub fn is_between_regions(self) -> bool {
        matches!(self, AgreementKind::KsddWajib | AgreementKind::KsddSukarela)
    }
}

impl fmt::Display for AgreementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for AgreementKind {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AgreementKind::ALL.into_iter().find(|k| k.slug() == s).ok_or(FieldError::new("kind", "invalid-choice"))
    }
}

/// The documents of an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// Kesepakatan Bersama: the parties' shared intent, close to an MoU.
    Kb,
    /// Perjanjian Kerja Sama: rights, duties, money and term, usually implementing a KB.
    Pks,
    /// Changes a KB or a PKS.
    Addendum,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [DocumentKind::Kb, DocumentKind::Pks, DocumentKind::Addendum];

    pub fn slug(self) -> &'static str {
        match self {
            DocumentKind::Kb => "kb",
            DocumentKind::Pks => "pks",
            DocumentKind::Addendum => "addendum",
        }
    }

    /// The kinds of document this one may hang under.
    ///
    /// A PKS normally implements a KB, but it may also stand alone: a KSDPK may go from the
    /// offer straight to a PKS, and PKS signed before the Pemda used Sinergi often arrive
    /// without their KB. The archive must hold what exists, so only an addendum needs a parent.
    /// An addendum amends the KB or PKS itself, never another addendum, so that every change
    /// can be read against the document it changes.
    pub fn allowed_parent(self) -> &'static [DocumentKind] {
        match self {
            DocumentKind::Kb => &[],
            DocumentKind::Pks => &[DocumentKind::Kb],
            DocumentKind::Addendum => &[DocumentKind::Kb, DocumentKind::Pks],
        }
    }

    /// Only an addendum is meaningless without the document it amends.
    pub fn needs_parent(self) -> bool {
        matches!(self, DocumentKind::Addendum)
    }

    pub fn check_parent(self, parent: Option<DocumentKind>) -> Result<(), FieldError> {
        match parent {
            None if self.needs_parent() => Err(FieldError::new("parent_id", "parent-required")),
            Some(p) if !self.allowed_parent().contains(&p) => Err(FieldError::new("parent_id", "invalid-parent")),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for DocumentKind {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocumentKind::ALL.into_iter().find(|k| k.slug() == s).ok_or(FieldError::new("kind", "invalid-choice"))
    }
}

/// The stages of an agreement. The declaration order is the order of the procedure, and the
/// derived `Ord` follows it; `Diakhiri` comes last because it can follow any other stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Persiapan,
    Penawaran,
    PenyusunanKb,
    PenandatangananKb,
    PersetujuanDprd,
    PenyusunanPks,
    PenandatangananPks,
    Pelaksanaan,
    MonitoringEvaluasi,
    /// Ran its course.
    Selesai,
    /// Ended early, with a [`TerminationReason`].
    Diakhiri,
}

impl Stage {
    pub const ALL: [Stage; 11] = [
        Stage::Persiapan,
        Stage::Penawaran,
        Stage::PenyusunanKb,
        Stage::PenandatangananKb,
        Stage::PersetujuanDprd,
        Stage::PenyusunanPks,
        Stage::PenandatangananPks,
        Stage::Pelaksanaan,
        Stage::MonitoringEvaluasi,
        Stage::Selesai,
        Stage::Diakhiri,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Stage::Persiapan => "persiapan",
            Stage::Penawaran => "penawaran",
            Stage::PenyusunanKb => "penyusunan-kb",
            Stage::PenandatangananKb => "penandatanganan-kb",
            Stage::PersetujuanDprd => "persetujuan-dprd",
            Stage::PenyusunanPks => "penyusunan-pks",
            Stage::PenandatangananPks => "penandatanganan-pks",
            Stage::Pelaksanaan => "pelaksanaan",
            Stage::MonitoringEvaluasi => "monitoring-evaluasi",
            Stage::Selesai => "selesai",
            Stage::Diakhiri => "diakhiri",
        }
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, Stage::Selesai | Stage::Diakhiri)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for Stage {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL.into_iter().find(|k| k.slug() == s).ok_or(FieldError::new("stage", "invalid-choice"))
    }
}

/// Why an agreement was ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TerminationReason {
    /// The agreed term ran out.
    TermEnded,
    /// The aim was met before the term ran out.
    AimMet,
    /// Keadaan kahar.
    ForceMajeure,
    /// Wanprestasi: a party did not carry out its obligations.
    Default,
    /// The parties agreed to end it.
    MutualAgreement,
}

impl TerminationReason {
    pub const ALL: [TerminationReason; 5] = [
        TerminationReason::TermEnded,
        TerminationReason::AimMet,
        TerminationReason::ForceMajeure,
        TerminationReason::Default,
        TerminationReason::MutualAgreement,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            TerminationReason::TermEnded => "term-ended",
            TerminationReason::AimMet => "aim-met",
            TerminationReason::ForceMajeure => "force-majeure",
            TerminationReason::Default => "default",
            TerminationReason::MutualAgreement => "mutual-agreement",
        }
    }
}

impl fmt::Display for TerminationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

impl FromStr for TerminationReason {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TerminationReason::ALL
            .into_iter()
            .find(|k| k.slug() == s)
            .ok_or(FieldError::new("termination_reason", "invalid-choice"))
    }
}

/// What the stage machine needs to know about an agreement, read from its records at the
/// moment of the move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageFacts {
    pub kind: AgreementKind,
    /// A KB or PKS walks the procedure; an addendum only its drafting and signing.
    pub document: DocumentKind,
    /// From [`dprd_approval`], or as the Bagian Kerja Sama recorded it.
    pub dprd_required: bool,
    /// Studi kelayakan: KSDPK cannot leave persiapan without it.
    pub feasibility_study_done: bool,
    /// The KB's signing date is recorded.
    pub kb_signed: bool,
    /// The PKS's signing date is recorded.
    pub pks_signed: bool,
    pub dprd_approved: bool,
}

/// Why a stage move was refused. `reason()` names the translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// Not the next stage: a skip, a backward move or a move to the same stage.
    #[error("{to} does not follow {from}")]
    NotNext { from: Stage, to: Stage },
    #[error("{from} is final")]
    Terminal { from: Stage },
    #[error("a KSDPK needs its feasibility study before the offer")]
    FeasibilityStudyMissing,
    #[error("the KB's signing date is not recorded")]
    KbNotSigned,
    #[error("the agreement needs DPRD approval and must go through persetujuan-dprd")]
    DprdRequired,
    #[error("the agreement does not need DPRD approval")]
    DprdNotRequired,
    #[error("the DPRD's approval is not recorded")]
    DprdNotApproved,
    #[error("the PKS's signing date is not recorded")]
    PksNotSigned,
    #[error("ending an agreement needs a reason")]
    ReasonRequired,
    #[error("a termination reason only goes with diakhiri")]
    ReasonNotAllowed,
}

impl TransitionError {
    pub fn reason(&self) -> &'static str {
        match self {
            TransitionError::NotNext { .. } => "not-next",
            TransitionError::Terminal { .. } => "terminal",
            TransitionError::FeasibilityStudyMissing => "feasibility-study-missing",
            TransitionError::KbNotSigned => "kb-not-signed",
            TransitionError::DprdRequired => "dprd-required",
            TransitionError::DprdNotRequired => "dprd-not-required",
            TransitionError::DprdNotApproved => "dprd-not-approved",
            TransitionError::PksNotSigned => "pks-not-signed",
            TransitionError::ReasonRequired => "reason-required",
            TransitionError::ReasonNotAllowed => "reason-not-allowed",
        }
    }

    /// The form field the error belongs to, so the stage form can show it in place.
    pub fn field(&self) -> &'static str {
        match self {
            TransitionError::ReasonRequired | TransitionError::ReasonNotAllowed => "termination_reason",
            _ => "stage",
        }
    }
}

impl From<TransitionError> for FieldError {
    fn from(value: TransitionError) -> Self {
        FieldError::new(value.field(), value.reason())
    }
}

/// The stages that may follow `from` in the procedure, before looking at the facts.
///
/// Only a Nota Kesepakatan with the central government may go from its signing straight to
/// pelaksanaan: a ministry carries it out through its own programmes, so the nota is the
/// working instrument. For every other kind the KB records intent only; what can be carried
/// out (duties, money, term) lives in the PKS, so the PKS stages cannot be skipped.
fn forward_candidates(from: Stage, facts: &StageFacts) -> &'static [Stage] {
    use Stage::*;
    let nota = facts.kind == AgreementKind::NotaKesepakatanPusat;
    // An addendum amends a KB or PKS that is already in force: it is drafted and signed, and
    // then runs with its parent. An addendum to a KB therefore goes from its signing straight
    // to pelaksanaan; no PKS follows it and the DPRD stage belongs to the parent.
    if facts.document == DocumentKind::Addendum && from == PenandatangananKb {
        return &[Pelaksanaan];
    }
    match from {
        Persiapan => &[Penawaran],
        Penawaran => &[PenyusunanKb],
        PenyusunanKb => &[PenandatangananKb],
        PenandatangananKb if nota => &[PersetujuanDprd, PenyusunanPks, Pelaksanaan],
        PenandatangananKb => &[PersetujuanDprd, PenyusunanPks],
        PersetujuanDprd if nota => &[PenyusunanPks, Pelaksanaan],
        PersetujuanDprd => &[PenyusunanPks],
        PenyusunanPks => &[PenandatangananPks],
        PenandatangananPks => &[Pelaksanaan],
        Pelaksanaan => &[MonitoringEvaluasi],
        MonitoringEvaluasi => &[Selesai],
        Selesai | Diakhiri => &[],
    }
}

/// May an agreement move from `from` to `to`?
///
/// Forward one stage at a time; persetujuan-dprd is visited exactly when DPRD approval is
/// required; diakhiri is reachable from any stage that is not final, and only with a reason.
pub fn check_transition(
    from: Stage,
    to: Stage,
    facts: &StageFacts,
    termination: Option<TerminationReason>,
) -> Result<(), TransitionError> {
    if from.is_terminal() {
        return Err(TransitionError::Terminal { from });
    }
    if to == Stage::Diakhiri {
        // Ending needs no other fact: a stalled agreement must always be closable.
        return termination.map(|_| ()).ok_or(TransitionError::ReasonRequired);
    }
    if termination.is_some() {
        return Err(TransitionError::ReasonNotAllowed);
    }
    if !forward_candidates(from, facts).contains(&to) {
        return Err(TransitionError::NotNext { from, to });
    }
    check_dprd_route(from, to, facts)?;
    check_prerequisites(from, to, facts)
}

fn check_dprd_route(from: Stage, to: Stage, facts: &StageFacts) -> Result<(), TransitionError> {
    if to == Stage::PersetujuanDprd && !facts.dprd_required {
        return Err(TransitionError::DprdNotRequired);
    }
    // The approval is recorded in its own stage, so that the audit trail shows when it came.
    // An addendum carries its parent's approval (copied when it is drafted).
    if from == Stage::PenandatangananKb
        && to != Stage::PersetujuanDprd
        && facts.dprd_required
        && facts.document != DocumentKind::Addendum
    {
        return Err(TransitionError::DprdRequired);
    }
    Ok(())
}

/// Every fact the stages before `to` rest on, checked on entry rather than on leaving one
/// stage: if a record is changed later (a signing date removed), the agreement cannot move on
/// until it is put right.
fn check_prerequisites(from: Stage, to: Stage, facts: &StageFacts) -> Result<(), TransitionError> {
    if to > Stage::Persiapan && facts.kind == AgreementKind::Ksdpk && !facts.feasibility_study_done {
        return Err(TransitionError::FeasibilityStudyMissing);
    }
    if to > Stage::PenandatangananKb && !facts.kb_signed {
        return Err(TransitionError::KbNotSigned);
    }
    if to > Stage::PersetujuanDprd && facts.dprd_required && !facts.dprd_approved {
        return Err(TransitionError::DprdNotApproved);
    }
    // A nota may have reached pelaksanaan without a PKS; it needs a signed one only when it
    // went through the PKS stages.
    // So may an addendum to a KB, which has no PKS of its own.
    let kb_addendum = facts.document == DocumentKind::Addendum && from == Stage::PenandatangananKb;
    let through_pks =
        (facts.kind != AgreementKind::NotaKesepakatanPusat || from == Stage::PenandatangananPks) && !kb_addendum;
    if to > Stage::PenandatangananPks && through_pks && !facts.pks_signed {
        return Err(TransitionError::PksNotSigned);
    }
    Ok(())
}

/// The stages an agreement in `from` may move to now, in procedure order, `Diakhiri` last
/// (given a reason). Empty for a final stage. The UI shows one button per stage.
pub fn next_stages(from: Stage, facts: &StageFacts) -> Vec<Stage> {
    if from.is_terminal() {
        return Vec::new();
    }
    let mut stages: Vec<Stage> = forward_candidates(from, facts)
        .iter()
        .copied()
        .filter(|to| check_transition(from, *to, facts, None).is_ok())
        .collect();
    stages.push(Stage::Diakhiri);
    stages
}

/// Whether an agreement needs the DPRD's approval, and why, for the form to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DprdApproval {
    pub required: bool,
    /// Translation key: `ksdd-burdens-public`, `ksdd-not-budgeted`,
    /// `ksdd-burdens-public-and-not-budgeted`, `ksdd-budgeted-no-burden` or `not-ksdd`.
    pub reason: &'static str,
}

/// UU 23/2014 and PP 28/2018: a KSDD that burdens the public (membebani masyarakat) or is not
/// budgeted in the current APBD needs the DPRD's approval. Other kinds follow their own
/// approval paths, which this rule does not model.
pub fn dprd_approval(kind: AgreementKind, burdens_public: bool, budgeted_in_current_apbd: bool) -> DprdApproval {
    let reason = match (kind.is_between_regions(), burdens_public, budgeted_in_current_apbd) {
        (false, _, _) => "not-ksdd",
        (true, true, false) => "ksdd-burdens-public-and-not-budgeted",
        (true, true, true) => "ksdd-burdens-public",
        (true, false, false) => "ksdd-not-budgeted",
        (true, false, true) => "ksdd-budgeted-no-burden",
    };
    let required = kind.is_between_regions() && (burdens_public || !budgeted_in_current_apbd);
    DprdApproval { required, reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    fn from_serde<'de, T: Deserialize<'de>>(slug: &'de str) -> T {
        let de: StrDeserializer<'de, DeError> = slug.into_deserializer();
        T::deserialize(de).expect("slug deserializes")
    }

    /// Everything recorded: only the route rules can refuse a move.
    fn all_done(kind: AgreementKind) -> StageFacts {
        StageFacts {
            kind,
            document: DocumentKind::Kb,
            dprd_required: false,
            feasibility_study_done: true,
            kb_signed: true,
            pks_signed: true,
            dprd_approved: true,
        }
    }

    fn err(from: Stage, to: Stage, facts: &StageFacts) -> &'static str {
        check_transition(from, to, facts, None).expect_err("refused").reason()
    }

    #[test]
    fn slugs_round_trip_and_match_serde() {
        for k in AgreementKind::ALL {
            assert_eq!(k.slug().parse::<AgreementKind>(), Ok(k));
            assert_eq!(from_serde::<AgreementKind>(k.slug()), k);
            assert_eq!(k.to_string(), k.slug());
        }
        for k in DocumentKind::ALL {
            assert_eq!(k.slug().parse::<DocumentKind>(), Ok(k));
            assert_eq!(from_serde::<DocumentKind>(k.slug()), k);
        }
        for s in Stage::ALL {
            assert_eq!(s.slug().parse::<Stage>(), Ok(s));
            assert_eq!(from_serde::<Stage>(s.slug()), s);
        }
        for r in TerminationReason::ALL {
            assert_eq!(r.slug().parse::<TerminationReason>(), Ok(r));
            assert_eq!(from_serde::<TerminationReason>(r.slug()), r);
        }
    }

    #[test]
    fn unknown_slugs_are_refused_with_their_field() {
        assert_eq!("ksdd".parse::<AgreementKind>(), Err(FieldError::new("kind", "invalid-choice")));
        assert_eq!("KSDPK".parse::<AgreementKind>(), Err(FieldError::new("kind", "invalid-choice")));
        assert_eq!("mou".parse::<DocumentKind>(), Err(FieldError::new("kind", "invalid-choice")));
        assert_eq!("penyusunan_kb".parse::<Stage>(), Err(FieldError::new("stage", "invalid-choice")));
        assert_eq!(
            "wanprestasi".parse::<TerminationReason>(),
            Err(FieldError::new("termination_reason", "invalid-choice"))
        );
    }

    #[test]
    fn only_ksdd_is_between_regions() {
        let between: Vec<_> = AgreementKind::ALL.into_iter().filter(|k| k.is_between_regions()).collect();
        assert_eq!(between, vec![AgreementKind::KsddWajib, AgreementKind::KsddSukarela]);
    }

    #[test]
    fn document_parents() {
        use DocumentKind::*;
        assert!(Kb.check_parent(None).is_ok());
        assert_eq!(Kb.check_parent(Some(Kb)).unwrap_err().reason, "invalid-parent");
        assert_eq!(Kb.check_parent(Some(Pks)).unwrap_err().reason, "invalid-parent");
        assert!(Pks.check_parent(None).is_ok());
        assert!(Pks.check_parent(Some(Kb)).is_ok());
        assert_eq!(Pks.check_parent(Some(Pks)).unwrap_err().reason, "invalid-parent");
        assert_eq!(Pks.check_parent(Some(Addendum)).unwrap_err().reason, "invalid-parent");
        assert_eq!(Addendum.check_parent(None).unwrap_err(), FieldError::new("parent_id", "parent-required"));
        assert!(Addendum.check_parent(Some(Kb)).is_ok());
        assert!(Addendum.check_parent(Some(Pks)).is_ok());
        assert_eq!(Addendum.check_parent(Some(Addendum)).unwrap_err().reason, "invalid-parent");
    }

    #[test]
    fn stage_order_is_the_procedure() {
        assert!(Stage::ALL.windows(2).all(|w| w[0] < w[1]));
        let terminal: Vec<_> = Stage::ALL.into_iter().filter(|s| s.is_terminal()).collect();
        assert_eq!(terminal, vec![Stage::Selesai, Stage::Diakhiri]);
    }

    #[test]
    fn ksdd_with_dprd_walks_every_stage() {
        let facts = StageFacts { dprd_required: true, ..all_done(AgreementKind::KsddWajib) };
        for pair in Stage::ALL[..10].windows(2) {
            assert_eq!(check_transition(pair[0], pair[1], &facts, None), Ok(()), "{} -> {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn dprd_stage_is_visited_exactly_when_required() {
        use Stage::*;
        let not_required = all_done(AgreementKind::KsddSukarela);
        assert_eq!(err(PenandatangananKb, PersetujuanDprd, &not_required), "dprd-not-required");
        assert!(check_transition(PenandatangananKb, PenyusunanPks, &not_required, None).is_ok());

        let required = StageFacts { dprd_required: true, ..not_required };
        assert_eq!(err(PenandatangananKb, PenyusunanPks, &required), "dprd-required");
        assert!(check_transition(PenandatangananKb, PersetujuanDprd, &required, None).is_ok());

        let pending = StageFacts { dprd_approved: false, ..required };
        assert!(check_transition(PenandatangananKb, PersetujuanDprd, &pending, None).is_ok());
        assert_eq!(err(PersetujuanDprd, PenyusunanPks, &pending), "dprd-not-approved");
        // An approval that is later withdrawn stops the agreement further on, too.
        assert_eq!(err(PenandatangananPks, Pelaksanaan, &pending), "dprd-not-approved");
        // When approval is not required, its absence does not matter.
        let unapproved = StageFacts { dprd_approved: false, ..not_required };
        assert!(check_transition(PenandatangananKb, PenyusunanPks, &unapproved, None).is_ok());
    }

    #[test]
    fn ksdpk_needs_its_feasibility_study_to_leave_persiapan() {
        let facts = StageFacts { feasibility_study_done: false, ..all_done(AgreementKind::Ksdpk) };
        assert_eq!(err(Stage::Persiapan, Stage::Penawaran, &facts), "feasibility-study-missing");
        assert!(check_transition(Stage::Persiapan, Stage::Diakhiri, &facts, Some(TerminationReason::AimMet)).is_ok());
        let done = all_done(AgreementKind::Ksdpk);
        assert!(check_transition(Stage::Persiapan, Stage::Penawaran, &done, None).is_ok());
        // Other kinds do not need one.
        let ksdd = StageFacts { feasibility_study_done: false, ..all_done(AgreementKind::KsddWajib) };
        assert!(check_transition(Stage::Persiapan, Stage::Penawaran, &ksdd, None).is_ok());
    }

    #[test]
    fn an_addendum_to_a_kb_runs_with_its_parent_once_signed() {
        use Stage::*;
        let addendum =
            StageFacts { document: DocumentKind::Addendum, pks_signed: false, ..all_done(AgreementKind::KsddWajib) };
        assert!(check_transition(PenyusunanKb, PenandatangananKb, &addendum, None).is_ok());
        assert!(check_transition(PenandatangananKb, Pelaksanaan, &addendum, None).is_ok());
        assert_eq!(err(PenandatangananKb, PenyusunanPks, &addendum), "not-next");
        assert_eq!(err(PenandatangananKb, PersetujuanDprd, &addendum), "not-next");
        // The parent's DPRD approval, copied, is what it rests on.
        let carried = StageFacts { dprd_required: true, ..addendum };
        assert!(check_transition(PenandatangananKb, Pelaksanaan, &carried, None).is_ok());
        let withdrawn = StageFacts { dprd_approved: false, ..carried };
        assert_eq!(err(PenandatangananKb, Pelaksanaan, &withdrawn), "dprd-not-approved");
        // Still signed first.
        let unsigned = StageFacts { kb_signed: false, ..addendum };
        assert_eq!(err(PenandatangananKb, Pelaksanaan, &unsigned), "kb-not-signed");
        // An addendum to a PKS walks the PKS stages and needs its signing date.
        let pks_addendum = StageFacts { pks_signed: false, ..addendum };
        assert!(check_transition(PenyusunanPks, PenandatangananPks, &pks_addendum, None).is_ok());
        assert_eq!(err(PenandatangananPks, Pelaksanaan, &pks_addendum), "pks-not-signed");
        // A KB still may not skip its PKS.
        let kb = StageFacts { document: DocumentKind::Kb, ..addendum };
        assert_eq!(err(PenandatangananKb, Pelaksanaan, &kb), "not-next");
    }

    #[test]
    fn the_kb_must_be_signed_to_move_past_its_signing() {
        use Stage::*;
        let facts = StageFacts { kb_signed: false, ..all_done(AgreementKind::KsddWajib) };
        assert!(check_transition(PenyusunanKb, PenandatangananKb, &facts, None).is_ok());
        assert_eq!(err(PenandatangananKb, PenyusunanPks, &facts), "kb-not-signed");
        let with_dprd = StageFacts { dprd_required: true, ..facts };
        assert_eq!(err(PenandatangananKb, PersetujuanDprd, &with_dprd), "kb-not-signed");
        assert_eq!(err(PersetujuanDprd, PenyusunanPks, &with_dprd), "kb-not-signed");
    }

    #[test]
    fn the_pks_must_be_signed_to_start_work() {
        use Stage::*;
        let facts = StageFacts { pks_signed: false, ..all_done(AgreementKind::Ksdpk) };
        assert!(check_transition(PenyusunanPks, PenandatangananPks, &facts, None).is_ok());
        assert_eq!(err(PenandatangananPks, Pelaksanaan, &facts), "pks-not-signed");
        assert_eq!(err(Pelaksanaan, MonitoringEvaluasi, &facts), "pks-not-signed");
        let signed = all_done(AgreementKind::Ksdpk);
        assert!(check_transition(PenandatangananPks, Pelaksanaan, &signed, None).is_ok());
    }

    #[test]
    fn only_a_nota_goes_from_its_signing_to_work() {
        use Stage::*;
        let nota = StageFacts { pks_signed: false, ..all_done(AgreementKind::NotaKesepakatanPusat) };
        assert_eq!(next_stages(PenandatangananKb, &nota), vec![PenyusunanPks, Pelaksanaan, Diakhiri]);
        assert!(check_transition(Pelaksanaan, MonitoringEvaluasi, &nota, None).is_ok());
        // A nota that went through the PKS stages needs its PKS signed like any other.
        assert_eq!(err(PenandatangananPks, Pelaksanaan, &nota), "pks-not-signed");
        // With DPRD approval, the shortcut starts from persetujuan-dprd.
        let nota_dprd = StageFacts { dprd_required: true, ..nota };
        assert_eq!(err(PenandatangananKb, Pelaksanaan, &nota_dprd), "dprd-required");
        assert!(check_transition(PersetujuanDprd, Pelaksanaan, &nota_dprd, None).is_ok());
        for kind in AgreementKind::ALL.into_iter().filter(|k| *k != AgreementKind::NotaKesepakatanPusat) {
            assert_eq!(err(PenandatangananKb, Pelaksanaan, &all_done(kind)), "not-next", "{kind}");
        }
    }

    #[test]
    fn no_skips_no_backward_moves_no_standing_still() {
        use Stage::*;
        let facts = all_done(AgreementKind::KsddSukarela);
        assert_eq!(
            check_transition(Persiapan, PenyusunanKb, &facts, None),
            Err(TransitionError::NotNext { from: Persiapan, to: PenyusunanKb })
        );
        assert_eq!(err(Pelaksanaan, Selesai, &facts), "not-next");
        assert_eq!(err(Pelaksanaan, PenandatangananPks, &facts), "not-next");
        assert_eq!(err(Penawaran, Persiapan, &facts), "not-next");
        assert_eq!(err(Pelaksanaan, Pelaksanaan, &facts), "not-next");
    }

    #[test]
    fn final_stages_are_final() {
        let facts = all_done(AgreementKind::Ksdpk);
        for from in [Stage::Selesai, Stage::Diakhiri] {
            assert!(next_stages(from, &facts).is_empty());
            for to in Stage::ALL {
                assert_eq!(check_transition(from, to, &facts, None), Err(TransitionError::Terminal { from }));
                assert_eq!(
                    check_transition(from, to, &facts, Some(TerminationReason::MutualAgreement)),
                    Err(TransitionError::Terminal { from })
                );
            }
        }
    }

    #[test]
    fn ending_needs_a_reason_and_only_ending_takes_one() {
        // Nothing recorded at all: ending must still be possible.
        let facts = StageFacts {
            document: DocumentKind::Kb,
            kind: AgreementKind::Ksdpk,
            dprd_required: true,
            feasibility_study_done: false,
            kb_signed: false,
            pks_signed: false,
            dprd_approved: false,
        };
        for from in Stage::ALL.into_iter().filter(|s| !s.is_terminal()) {
            assert_eq!(err(from, Stage::Diakhiri, &facts), "reason-required");
            for reason in TerminationReason::ALL {
                assert_eq!(check_transition(from, Stage::Diakhiri, &facts, Some(reason)), Ok(()));
            }
        }
        let facts = all_done(AgreementKind::KsddWajib);
        let refused =
            check_transition(Stage::Pelaksanaan, Stage::MonitoringEvaluasi, &facts, Some(TerminationReason::AimMet));
        assert_eq!(refused, Err(TransitionError::ReasonNotAllowed));
        assert_eq!(FieldError::from(TransitionError::ReasonNotAllowed).field, "termination_reason");
        assert_eq!(FieldError::from(TransitionError::KbNotSigned), FieldError::new("stage", "kb-not-signed"));
    }

    #[test]
    fn next_stages_for_the_buttons() {
        use Stage::*;
        let facts = all_done(AgreementKind::KsddWajib);
        assert_eq!(next_stages(Persiapan, &facts), vec![Penawaran, Diakhiri]);
        assert_eq!(next_stages(PenandatangananKb, &facts), vec![PenyusunanPks, Diakhiri]);
        let dprd = StageFacts { dprd_required: true, ..facts };
        assert_eq!(next_stages(PenandatangananKb, &dprd), vec![PersetujuanDprd, Diakhiri]);
        let unsigned = StageFacts { kb_signed: false, ..facts };
        assert_eq!(next_stages(PenandatangananKb, &unsigned), vec![Diakhiri]);
        assert_eq!(next_stages(MonitoringEvaluasi, &facts), vec![Selesai, Diakhiri]);
    }

    #[test]
    fn dprd_approval_is_for_ksdd_that_burdens_or_is_unbudgeted() {
        use AgreementKind::*;
        for kind in [KsddWajib, KsddSukarela] {
            assert_eq!(
                dprd_approval(kind, true, false),
                DprdApproval { required: true, reason: "ksdd-burdens-public-and-not-budgeted" }
            );
            assert_eq!(dprd_approval(kind, true, true), DprdApproval { required: true, reason: "ksdd-burdens-public" });
            assert_eq!(dprd_approval(kind, false, false), DprdApproval { required: true, reason: "ksdd-not-budgeted" });
            assert_eq!(
                dprd_approval(kind, false, true),
                DprdApproval { required: false, reason: "ksdd-budgeted-no-burden" }
            );
        }
        for kind in [Ksdpk, Ksdpl, Ksdll, NotaKesepakatanPusat] {
            for (burdens, budgeted) in [(true, false), (true, true), (false, false), (false, true)] {
                assert_eq!(
                    dprd_approval(kind, burdens, budgeted),
                    DprdApproval { required: false, reason: "not-ksdd" }
                );
            }
        }
    }

    fn any_stage() -> impl Strategy<Value = Stage> {
        prop::sample::select(Stage::ALL.to_vec())
    }

    /// Facts mostly recorded, so that random walks get deep into the procedure.
    fn any_facts() -> impl Strategy<Value = StageFacts> {
        let flag = || prop::bool::weighted(0.8);
        (
            prop::sample::select(AgreementKind::ALL.to_vec()),
            prop::sample::select(DocumentKind::ALL.to_vec()),
            any::<bool>(),
            flag(),
            flag(),
            flag(),
            flag(),
        )
            .prop_map(
                |(kind, document, dprd_required, feasibility_study_done, kb_signed, pks_signed, dprd_approved)| {
                    StageFacts {
                        kind,
                        document,
                        dprd_required,
                        feasibility_study_done,
                        kb_signed,
                        pks_signed,
                        dprd_approved,
                    }
                },
            )
    }

    /// Mostly no reason, so that walks are not ended at once.
    fn any_reason() -> impl Strategy<Value = Option<TerminationReason>> {
        prop_oneof![9 => Just(None), 1 => prop::sample::select(TerminationReason::ALL.to_vec()).prop_map(Some)]
    }

    proptest! {
        #[test]
        fn accepted_walks_keep_the_rules(steps in prop::collection::vec((any_stage(), any_facts(), any_reason()), 0..200)) {
            let mut at = Stage::Persiapan;
            for (to, facts, reason) in steps {
                if check_transition(at, to, &facts, reason).is_err() {
                    continue;
                }
                prop_assert!(!at.is_terminal(), "left final stage {}", at);
                prop_assert!(to > at, "{} -> {} goes backwards", at, to);
                prop_assert!(to != Stage::PersetujuanDprd || facts.dprd_required);
                prop_assert!(to != Stage::PenyusunanPks || facts.kb_signed);
                // Only a nota or an addendum to a KB reaches pelaksanaan without a signed PKS.
                prop_assert!(
                    to != Stage::Pelaksanaan
                        || facts.pks_signed
                        || facts.kind == AgreementKind::NotaKesepakatanPusat
                        || facts.document == DocumentKind::Addendum
                );
                prop_assert_eq!(reason.is_some(), to == Stage::Diakhiri);
                at = to;
            }
        }

        #[test]
        fn next_stages_are_exactly_the_accepted_moves(from in any_stage(), facts in any_facts()) {
            let accepted: Vec<Stage> = Stage::ALL
                .into_iter()
                .filter(|to| {
                    let reason = (*to == Stage::Diakhiri).then_some(TerminationReason::MutualAgreement);
                    check_transition(from, *to, &facts, reason).is_ok()
                })
                .collect();
            prop_assert_eq!(next_stages(from, &facts), accepted);
        }

        #[test]
        fn every_refusal_names_a_slug(from in any_stage(), to in any_stage(), facts in any_facts(), reason in any_reason()) {
            if let Err(e) = check_transition(from, to, &facts, reason) {
                let slug = e.reason();
                prop_assert!(!slug.is_empty());
                prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", slug);
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}

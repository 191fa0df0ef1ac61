//! Sinergi's domain: the types every other crate speaks, and the rules that need no I/O.
//!
//! Values here are parsed once at the edge (`RegionCode::parse`, `Email::parse`, ...) and are
//! valid from then on; nothing past the edge re-checks them.

pub mod access;
pub mod auth;
pub mod cooperation;
pub mod csr;
pub mod files;
pub mod format;
pub mod ids;
pub mod kbli;
pub mod market;
pub mod org;
pub mod partners;
pub mod programme;
pub mod region;
pub mod slug;
pub mod umkm;

pub use access::{Actor, Permission, Role, Scope};
pub use ids::{ActionItemId, CsrNeedId, CsrReportId, FileId, MeetingId, PledgeId};
pub use ids::{
    ActivityId, AgencyId, AgreementId, AuditEventId, ContactId, DocumentId, NeedId, OfferId, OutcomeId, PartnerId,
    TargetId, TokenId, UserId,
};
pub use ids::{ApplicationId, ProgrammeId, SessionId, WaveId};
pub use ids::{BusinessId, ClaimId, ImportId, MergeId, PermitId, ReviewId, SourceRecordId};
// Markets: channels and financing referrals.
pub use ids::{ChannelEntryId, ChannelId, ReferralId};
pub use kbli::{KbliCode, KbliLevel};
pub use region::{RegionCode, RegionLevel};

/// Why a code (region, KBLI) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("empty")]
    Empty,
    #[error("not a valid code: {0}")]
    Shape(String),
}
// Catalogue (issue 6, part 5)
pub use ids::{GalleryId, ProductId};
// Issue 7: the Labkesda (regional laboratory).
pub mod lab;
pub use ids::{LabOrderId, LabPackageId, LabParameterId, LabSampleId};
// Issue 7: demand matching
pub use ids::{DemandId, DemandOfferId};

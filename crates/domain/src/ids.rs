//! Typed identifiers: an `AgencyId` cannot be passed where a `UserId` is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new id. UUID v7 keeps ids roughly time-ordered, which keeps B-tree inserts local.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

typed_id!(
    /// A perangkat daerah (dinas, badan, bagian, UPTD) of one tenant.
    AgencyId
);
typed_id!(
    /// A person who logs in.
    UserId
);
typed_id!(
    /// A web session or an API token (both are rows of the same table).
    TokenId
);
typed_id!(
    /// One entry of the audit trail.
    AuditEventId
);
typed_id!(
    /// An agency's performance target (indikator kinerja) for one year.
    TargetId
);
typed_id!(
    /// A cooperation need of an agency.
    NeedId
);
typed_id!(
    /// A counterpart in the partner registry.
    PartnerId
);
typed_id!(
    /// A KB, PKS or addendum.
    AgreementId
);
typed_id!(
    /// A contact person of a partner.
    ContactId
);
typed_id!(
    /// What a partner offers to provide.
    OfferId
);
typed_id!(
    /// A file kept with an agreement: a signed scan, a surat kuasa, evidence of an activity or
    /// an outcome.
    DocumentId
);
typed_id!(
    /// An activity carried out under an agreement.
    ActivityId
);
typed_id!(
    /// A measured outcome of an agreement.
    OutcomeId
);
typed_id!(
    /// A meeting: a rapat, an FGD, a mapping meeting or a CSR forum.
    MeetingId
);
typed_id!(
    /// A follow-up agreed in a meeting, with an owner and a due date.
    ActionItemId
);
typed_id!(
    /// A CSR need (usulan program CSR) in a Pemda's portfolio.
    CsrNeedId
);
typed_id!(
    /// A company's pledge to a CSR need.
    PledgeId
);
typed_id!(
    /// A company's realisation report for one reporting window of a pledge.
    CsrReportId
);
typed_id!(
    /// A stored file (photo, BAST, attendance list) by itself, as the public page links to it.
    FileId
);
typed_id!(
    /// One real business in the UMKM registry (the cluster its source records resolve to).
    BusinessId
);
typed_id!(
    /// One row about a business from one source (an import row, a form, an owner's edit).
    SourceRecordId
);
typed_id!(
    /// One uploaded spreadsheet on its way through mapping, preview and commit.
    ImportId
);
typed_id!(
    /// A pair the entity resolution was unsure about, waiting for an officer.
    ReviewId
);
typed_id!(
    /// A merge or split of businesses, kept so that it can be undone.
    MergeId
);
typed_id!(
    /// One permit or certificate of a business.
    PermitId
);
typed_id!(
    /// An owner's request to be recognised as a business's owner, until an officer decides.
    ClaimId
);
typed_id!(
    /// A programme: a training, mentoring, exhibition or curation scheme, run in waves.
    ProgrammeId
);
typed_id!(
    /// One wave (gelombang) of a programme, with its quotas and sessions.
    WaveId
);
typed_id!(
    /// One session (day) of a wave, with its venue.
    SessionId
);
typed_id!(
    /// A business's application to a wave, and what selection made of it.
    ApplicationId
);

// --- Markets: channels and financing referrals.
typed_id!(
    /// A market channel: a retailer's, a cooperative's or the e-catalogue's pipeline, or an SPPG
    /// kitchen's.
    ChannelId
);
typed_id!(
    /// A business in a channel's pipeline.
    ChannelEntryId
);
typed_id!(
    /// A business referred to a bank for financing (KUR or another product).
    ReferralId
);
// Catalogue (issue 6, part 5): curated products and galleries.
typed_id!(
    /// A product a business offers in the curated catalogue.
    ProductId
);
typed_id!(
    /// A physical gallery (pusat galeri UMKM) that displays curated products.
    GalleryId
);
// Issue 7: the Labkesda (regional laboratory).
typed_id!(
    /// A test parameter of a Pemda's laboratory catalogue (BOD in wastewater, pH in clean water).
    LabParameterId
);
typed_id!(
    /// A package of parameters sold together (the wastewater package).
    LabPackageId
);
typed_id!(
    /// A laboratory order: what a customer asked to be tested, through to its certificate.
    LabOrderId
);
typed_id!(
    /// A sample taken or received for an order.
    LabSampleId
);
// Issue 7: demand matching.
typed_id!(
    /// A buyer's demand (permintaan) for goods or services that local suppliers may offer.
    DemandId
);
typed_id!(
    /// A supplier's offer (penawaran) answering a demand.
    DemandOfferId
);

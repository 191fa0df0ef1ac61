//! Table and column names, defined once for queries and migrations.
//!
//! Tables that belong to a tenant lead with `tenant_code` (the tenant's Kemendagri region code)
//! in their primary key and indexes, so that they can be distributed by tenant later (Citus
//! distribution column) without a rewrite. `tenants`, `users` and `sessions` are global: a
//! login is looked up before its tenant is known.

use sea_query::Iden;

#[derive(Iden, Clone, Copy)]
pub(crate) enum SchemaMigrations {
    Table,
    Version,
    Name,
    AppliedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Tenants {
    Table,
    Code,
    Slug,
    Name,
    Active,
    CreatedAt,
    UpdatedAt,
    DormancyMonths,
    CsrWindowMonths,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Agencies {
    Table,
    TenantCode,
    Id,
    ParentId,
    Name,
    ShortName,
    Kind,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Users {
    Table,
    Id,
    TenantCode,
    AgencyId,
    Email,
    Name,
    Role,
    PasswordHash,
    Locale,
    Active,
    CreatedAt,
    UpdatedAt,
    PasswordChangedAt,
    PartnerId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    Kind,
    Label,
    CsrfToken,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AuditEvents {
    Table,
    TenantCode,
    Id,
    At,
    ActorId,
    ActorLabel,
    Action,
    RecordType,
    RecordId,
    Before,
    After,
    RequestId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum PerformanceTargets {
    Table,
    TenantCode,
    Id,
    AgencyId,
    Year,
    Indicator,
    Unit,
    TargetValue,
    RealisedValue,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Needs {
    Table,
    TenantCode,
    Id,
    AgencyId,
    Year,
    Title,
    Problem,
    UrusanCode,
    PartnerKind,
    ExpectedBenefit,
    PriorityRank,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum NeedTargets {
    Table,
    TenantCode,
    NeedId,
    TargetId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Partners {
    Table,
    TenantCode,
    Id,
    Kind,
    Name,
    NameKey,
    RegionCode,
    Nib,
    Npwp,
    KbliCode,
    Sector,
    Address,
    Website,
    Description,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum PartnerContacts {
    Table,
    TenantCode,
    Id,
    PartnerId,
    Name,
    Position,
    Email,
    Phone,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Offers {
    Table,
    TenantCode,
    Id,
    PartnerId,
    UrusanCode,
    Title,
    Description,
    AreaCode,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Agreements {
    Table,
    TenantCode,
    Id,
    Kind,
    Document,
    ParentId,
    Title,
    Scope,
    UrusanCode,
    Stage,
    StartsOn,
    EndsOn,
    KbSignedOn,
    PksSignedOn,
    ValueRupiah,
    Funding,
    BurdensPublic,
    BudgetedInApbd,
    FeasibilityDone,
    DprdApproved,
    TerminationReason,
    CreatedAt,
    UpdatedAt,
    FundingForm,
    LocationCodes,
    AgencyId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AgreementParties {
    Table,
    TenantCode,
    AgreementId,
    Seq,
    PartnerId,
    PartyTenantCode,
    Name,
    SignatoryName,
    SignatoryPosition,
    DocumentNumber,
    SignsByAuthority,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AgreementTransitions {
    Table,
    TenantCode,
    Id,
    AgreementId,
    FromStage,
    ToStage,
    At,
    ActorLabel,
    Note,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AgreementNotes {
    Table,
    /// The tenant that wrote the note: only it reads it back.
    TenantCode,
    Id,
    AgreementId,
    At,
    ActorLabel,
    Body,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AgreementNeeds {
    Table,
    TenantCode,
    AgreementId,
    NeedId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Activities {
    Table,
    TenantCode,
    Id,
    AgreementId,
    Title,
    PlannedOn,
    DoneOn,
    Budget,
    CreatedAt,
    AgencyId,
    Status,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Outcomes {
    Table,
    TenantCode,
    Id,
    AgreementId,
    Kind,
    Label,
    Unit,
    Value,
    Period,
    Evidence,
    RecordedOn,
    CreatedAt,
    Baseline,
    Target,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Outbox {
    Table,
    TenantCode,
    Id,
    DedupeKey,
    ToEmail,
    Subject,
    Body,
    CreatedAt,
    NextAttemptAt,
    Attempts,
    SentAt,
    LastError,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Notifications {
    Table,
    TenantCode,
    Id,
    DedupeKey,
    Kind,
    Message,
    Link,
    CreatedAt,
}

/// Uploaded files, kept in the database: a backup or a transaction then covers them with the
/// records that point at them, and a modest server has no second store to keep in step.
#[derive(Iden, Clone, Copy)]
pub(crate) enum Files {
    Table,
    TenantCode,
    Id,
    Name,
    ContentType,
    SizeBytes,
    Sha256,
    Content,
    CreatedAt,
    CreatedBy,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AgreementDocuments {
    Table,
    TenantCode,
    Id,
    AgreementId,
    FileId,
    Purpose,
    Title,
    ActivityId,
    OutcomeId,
    Paraf,
    Materai,
    Stempel,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Evaluations {
    Table,
    TenantCode,
    Id,
    AgreementId,
    Period,
    EvaluatedOn,
    Aim,
    Timeliness,
    Contribution,
    Indicator,
    Impact,
    Relevance,
    Recommendation,
    Notes,
    CreatedAt,
    CreatedBy,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Meetings {
    Table,
    TenantCode,
    Id,
    Kind,
    Title,
    HeldOn,
    Place,
    Agenda,
    Minutes,
    Decisions,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MeetingAttendees {
    Table,
    TenantCode,
    Id,
    MeetingId,
    UserId,
    ContactId,
    Name,
    Organisation,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ActionItems {
    Table,
    TenantCode,
    Id,
    MeetingId,
    Title,
    OwnerUserId,
    OwnerLabel,
    DueOn,
    Status,
    DoneOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MeetingLinks {
    Table,
    TenantCode,
    MeetingId,
    LinkKind,
    LinkId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CsrNeeds {
    Table,
    TenantCode,
    Id,
    Category,
    Title,
    Description,
    /// Desa/kelurahan code.
    LocationCode,
    Latitude,
    Longitude,
    EstimatedCost,
    AgencyId,
    /// A company's own programme proposal names the company.
    ProposedByPartner,
    PriorityProgramme,
    Status,
    PublishedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CsrNeedPhotos {
    Table,
    TenantCode,
    Id,
    NeedId,
    FileId,
    ThumbFileId,
    Caption,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CsrPledges {
    Table,
    TenantCode,
    Id,
    NeedId,
    PartnerId,
    Value,
    Form,
    PeriodStart,
    PeriodEnd,
    AgreementId,
    Note,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CsrReports {
    Table,
    TenantCode,
    Id,
    PledgeId,
    WindowYear,
    WindowIndex,
    Value,
    Description,
    LocationCode,
    Status,
    PublishedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CsrReportFiles {
    Table,
    TenantCode,
    Id,
    ReportId,
    FileId,
    ThumbFileId,
    Kind,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CsrReportEvents {
    Table,
    TenantCode,
    Id,
    ReportId,
    FromStatus,
    ToStatus,
    Comment,
    ActorLabel,
    At,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmSources {
    Table,
    TenantCode,
    Name,
    Mapping,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmImports {
    Table,
    TenantCode,
    Id,
    Source,
    FileId,
    FileName,
    Sheet,
    HeaderRow,
    Mapping,
    Status,
    Summary,
    CreatedBy,
    CreatedAt,
    CommittedAt,
    WaveId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmBusinesses {
    Table,
    TenantCode,
    Id,
    Name,
    NameKey,
    LegalForm,
    OwnerName,
    NikSealed,
    NikIndex,
    NikMasked,
    Sex,
    BirthYear,
    Nib,
    NpwpSealed,
    NpwpMasked,
    Kbli,
    Address,
    DesaCode,
    KecamatanCode,
    Phone,
    Email,
    Products,
    Employees,
    LatestYear,
    Capital,
    Sales,
    ClassCapital,
    ClassSales,
    Status,
    MergedInto,
    ClaimedBy,
    OwnerEditedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmBusinessKbli {
    Table,
    TenantCode,
    BusinessId,
    Code,
    Section,
    K2,
    K3,
    K4,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmYears {
    Table,
    TenantCode,
    BusinessId,
    Year,
    Capital,
    Sales,
    Employees,
    ClassCapital,
    ClassSales,
    RecordId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmPermits {
    Table,
    TenantCode,
    Id,
    BusinessId,
    Kind,
    Number,
    Issued,
    Expires,
    RecordId,
    RemindedAt,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmTags {
    Table,
    TenantCode,
    BusinessId,
    Kind,
    Value,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmRecords {
    Table,
    TenantCode,
    Id,
    BusinessId,
    ImportId,
    Source,
    FileName,
    Sheet,
    RowNumber,
    Origin,
    Raw,
    Fields,
    BusinessName,
    OwnerName,
    NikSealed,
    NikIndex,
    Nib,
    Phone,
    DesaCode,
    KecamatanCode,
    Kbli,
    Address,
    Year,
    Link,
    Weight,
    Explanation,
    CreatedBy,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmFieldSources {
    Table,
    TenantCode,
    BusinessId,
    Field,
    RecordId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmReviews {
    Table,
    TenantCode,
    Id,
    RecordId,
    BusinessId,
    CandidateId,
    Weight,
    Probability,
    Explanation,
    Status,
    ImportId,
    DecidedBy,
    DecidedAt,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmMerges {
    Table,
    TenantCode,
    Id,
    Kind,
    IntoBusiness,
    FromBusiness,
    Snapshot,
    CreatedBy,
    CreatedAt,
    UndoneAt,
    UndoneBy,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmModels {
    Table,
    TenantCode,
    Model,
    TrainedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum UmkmClaims {
    Table,
    TenantCode,
    Id,
    BusinessId,
    UserId,
    Status,
    Note,
    NikMatches,
    PhoneMatches,
    CreatedAt,
    DecidedBy,
    DecidedAt,
    DecisionNote,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Programmes {
    Table,
    TenantCode,
    Id,
    Kind,
    Title,
    Description,
    AgencyId,
    Funding,
    PledgeId,
    AgreementId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ProgrammeWaves {
    Table,
    TenantCode,
    Id,
    ProgrammeId,
    Number,
    Status,
    TotalQuota,
    Redistribute,
    MinAttendancePercent,
    Eligibility,
    ClosesOn,
    SelectedAt,
    SelectedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum WaveQuotas {
    Table,
    TenantCode,
    WaveId,
    KecamatanCode,
    Seats,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum WaveSessions {
    Table,
    TenantCode,
    Id,
    WaveId,
    Day,
    Starts,
    Ends,
    Venue,
    Topic,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum WaveApplications {
    Table,
    TenantCode,
    Id,
    WaveId,
    BusinessId,
    Number,
    Channel,
    AppliedAt,
    CriteriaMet,
    Outcome,
    Rank,
    Position,
    Reasons,
    OverrideOutcome,
    OverrideReason,
    OverrideBy,
    InvitationCode,
    NotifiedAt,
    Withdrawn,
    CreatedBy,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum SessionAttendance {
    Table,
    TenantCode,
    SessionId,
    ApplicationId,
    CheckedInAt,
    CheckedInBy,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ProgrammeCertificates {
    Table,
    TenantCode,
    Id,
    ApplicationId,
    Code,
    IssuedAt,
    IssuedBy,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum FollowUps {
    Table,
    TenantCode,
    Id,
    ApplicationId,
    Months,
    Sales,
    Employees,
    PermitsObtained,
    NewChannels,
    Note,
    ByOwner,
    FilledBy,
    FilledAt,
}

// --- Markets: channels (retail, MBG kitchens, Koperasi Merah Putih, e-catalogue) and
// financing referrals (migration 17 "channels").

#[derive(Iden, Clone, Copy)]
pub(crate) enum MarketChannels {
    Table,
    TenantCode,
    Id,
    Kind,
    Name,
    PartnerId,
    DesaCode,
    KecamatanCode,
    DailyPortions,
    Contact,
    Requirements,
    Active,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ChannelEntries {
    Table,
    TenantCode,
    Id,
    ChannelId,
    BusinessId,
    Stage,
    Ticked,
    SubmittedOn,
    RequirementsMetOn,
    AcceptedOn,
    SupplyingOn,
    ClosedOn,
    MonthlySupply,
    Note,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum FinancingSchemes {
    Table,
    TenantCode,
    Code,
    Name,
    PartnerId,
    Ceiling,
    Active,
    UpdatedBy,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum FinancingReferrals {
    Table,
    TenantCode,
    Id,
    BusinessId,
    PartnerId,
    SchemeCode,
    SchemeName,
    Ceiling,
    AmountAsked,
    Purpose,
    Status,
    AmountApproved,
    AmountDisbursed,
    DeclineReason,
    ReferredOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ReferralEvents {
    Table,
    TenantCode,
    Id,
    ReferralId,
    FromStatus,
    ToStatus,
    OnDate,
    At,
    By,
    Note,
}

// Catalogue (issue 6, part 5): curated products, their photos and curation decisions, and
// the galleries that display them.

#[derive(Iden, Clone, Copy)]
pub(crate) enum CatalogueProducts {
    Table,
    TenantCode,
    Id,
    BusinessId,
    Name,
    SearchKey,
    Category,
    Description,
    Price,
    Unit,
    CapacityPerMonth,
    Packaging,
    Composition,
    Expiry,
    ProducerAddress,
    ClaimsHalal,
    ShowContact,
    PhotoOk,
    Status,
    Notes,
    CuratedAt,
    CuratedBy,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CataloguePhotos {
    Table,
    TenantCode,
    Id,
    ProductId,
    FileId,
    ThumbFileId,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CatalogueCurations {
    Table,
    TenantCode,
    Id,
    ProductId,
    Decision,
    Checklist,
    Notes,
    DecidedBy,
    DecidedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CatalogueGalleries {
    Table,
    TenantCode,
    Id,
    Name,
    Address,
    RegionCode,
    Latitude,
    Longitude,
    OpeningHours,
    Contact,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CatalogueGalleryProducts {
    Table,
    TenantCode,
    GalleryId,
    ProductId,
    AddedAt,
}

// --- Issue 7: the Labkesda (migration 19).
#[derive(Iden, Clone, Copy)]
pub(crate) enum LabSettings {
    Table,
    TenantCode,
    AgreementId,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LabParameters {
    Table,
    TenantCode,
    Id,
    Medium,
    Name,
    Unit,
    Method,
    LimitMin,
    LimitMax,
    LegalBasis,
    Tariff,
    TariffBasis,
    TurnaroundDays,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LabPackages {
    Table,
    TenantCode,
    Id,
    Medium,
    Name,
    Tariff,
    TariffBasis,
    TurnaroundDays,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LabPackageParameters {
    Table,
    TenantCode,
    PackageId,
    ParameterId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LabOrders {
    Table,
    TenantCode,
    Id,
    Number,
    PartnerId,
    CustomerRegion,
    Medium,
    Status,
    Version,
    Location,
    Note,
    Total,
    InvoiceNumber,
    PaidOn,
    PaidAmount,
    SamplingOn,
    SamplingStaff,
    ResultsBy,
    ResultsByLabel,
    VerifiedBy,
    VerifiedAt,
    PublishedAt,
    CertificateCode,
    Reason,
    OrderedAt,
    CreatedBy,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LabOrderLines {
    Table,
    TenantCode,
    OrderId,
    Seq,
    PackageId,
    ParameterId,
    Name,
    Tariff,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LabSamples {
    Table,
    TenantCode,
    Id,
    OrderId,
    Code,
    Description,
    ReceivedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LabCustody {
    Table,
    TenantCode,
    Id,
    SampleId,
    At,
    FromPerson,
    ToPerson,
    Note,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LabResults {
    Table,
    TenantCode,
    OrderId,
    ParameterId,
    Version,
    Name,
    Unit,
    Method,
    Value,
    LimitMin,
    LimitMax,
    Verdict,
    EnteredBy,
    EnteredAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum LabTransitions {
    Table,
    TenantCode,
    Id,
    OrderId,
    FromStatus,
    ToStatus,
    At,
    ActorLabel,
    Reason,
}

// Issue 7: demand matching.
#[derive(Iden, Clone, Copy)]
pub(crate) enum Demands {
    Table,
    TenantCode,
    Id,
    BuyerId,
    BuyerKind,
    Title,
    Category,
    Kbli,
    Description,
    Quantity,
    Unit,
    Frequency,
    RegionCode,
    Permits,
    PriceMin,
    PriceMax,
    Deadline,
    Status,
    AcceptedOfferId,
    DealValue,
    DealOn,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DemandSuppliers {
    Table,
    TenantCode,
    DemandId,
    SupplierKind,
    SupplierId,
    SupplierName,
    Rank,
    Score,
    Reasons,
    NotifiedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum DemandOffers {
    Table,
    TenantCode,
    Id,
    DemandId,
    SupplierKind,
    SupplierId,
    SupplierName,
    Price,
    Quantity,
    DeliveryOn,
    Note,
    Status,
    CreatedBy,
    CreatedAt,
}

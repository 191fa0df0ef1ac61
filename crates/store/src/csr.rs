//! CSR (TJSL) in the open: the Pemda's portfolio of needs, companies' pledges to them, the
//! realisation reports with their evidence and review trail, and the published view anyone
//! may read.
//!
//! Who sees what is decided here, once, for every page, API call and export:
//! - the Pemda's officers and viewers see the whole book of their tenant;
//! - a company's user sees every need that is not a draft (and its own proposals), and of
//!   pledges and reports only its own;
//! - the public sees needs that are published or further, and of realisation only reports
//!   that a verifier published.
//!
//! A tenant's CSR book is small (hundreds of needs, not millions), so it is read whole and
//! filtered in memory: one code path for every reader instead of one query per view.

use std::collections::{BTreeMap, HashMap};

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::{FieldError, required_text};
use sinergi_domain::csr::{
    CsrCategory, CsrNeedStatus, EvidenceKind, PledgeForm, ReportActor, ReportStatus, Reported, ReportedTotal,
    ReportingWindows, Window, check_need_move, check_report_move, due_windows, may_edit_need, mover_of,
    open_for_pledge,
};
use sinergi_domain::files::{CheckedFile, FileType};
use sinergi_domain::{
    Actor, AgencyId, AgreementId, CsrNeedId, CsrReportId, FileId, PartnerId, Permission, PledgeId, RegionCode,
    RegionLevel, Role,
};
use time::Date;
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::agreements::parse_date;
use crate::audit::{Change, RecordType, record};
use crate::db::Tx;
use crate::files::{FileContent, insert_file, load_file};
use crate::schema::{
    Agencies, Agreements, CsrNeedPhotos, CsrNeeds, CsrPledges, CsrReportEvents, CsrReportFiles, CsrReports, Files,
    Partners, Tenants,
};
use crate::{Result, Store, StoreError, now_ms};

// ---------------------------------------------------------------------------------------------
// Records

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsrNeed {
    pub id: CsrNeedId,
    pub category: CsrCategory,
    pub title: String,
    pub description: String,
    /// The desa/kelurahan where it is needed.
    pub location: RegionCode,
    /// An optional point on the map (latitude, longitude).
    pub point: Option<(f64, f64)>,
    /// Whole rupiah; `None` when nobody estimated it.
    pub estimated_cost: Option<i64>,
    /// The proposing agency; `None` for a company's own programme.
    pub agency_id: Option<AgencyId>,
    pub agency_name: Option<String>,
    /// The company whose own programme this is.
    pub proposed_by: Option<PartnerId>,
    /// The regional priority programme (RPJMD) it serves.
    pub priority_programme: Option<String>,
    pub status: CsrNeedStatus,
    pub published_at_ms: Option<i64>,
    pub created_by: String,
    pub updated_at_ms: i64,
}

impl CsrNeed {
    /// The kecamatan the location lies in, for the per-kecamatan totals.
    pub fn kecamatan(&self) -> Option<RegionCode> {
        kecamatan_of(&self.location)
    }
}

/// The kecamatan of a desa code (or the code itself when it is one).
pub fn kecamatan_of(code: &RegionCode) -> Option<RegionCode> {
    match code.level() {
        RegionLevel::Village => code.parent(),
        RegionLevel::District => Some(code.clone()),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedPhoto {
    pub file_id: FileId,
    /// A small JPEG for lists and the public page; `None` when the upload could not be read
    /// as an image (the original is then shown by name).
    pub thumb_id: Option<FileId>,
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pledge {
    pub id: PledgeId,
    pub need_id: CsrNeedId,
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub value: Reported,
    pub form: PledgeForm,
    pub period_start: Date,
    pub period_end: Date,
    /// The MoU/PKS that governs it, from the cooperation module.
    pub agreement_id: Option<AgreementId>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub file_id: FileId,
    pub thumb_id: Option<FileId>,
    pub kind: EvidenceKind,
    pub file_name: String,
    pub file_type: FileType,
}

/// One step of a report's review, with the comment that went with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportEvent {
    pub from: ReportStatus,
    pub to: ReportStatus,
    pub comment: Option<String>,
    pub actor_label: String,
    pub at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsrReport {
    pub id: CsrReportId,
    pub pledge_id: PledgeId,
    pub window: Window,
    pub value: Reported,
    pub description: String,
    pub location: Option<RegionCode>,
    pub status: ReportStatus,
    pub published_at_ms: Option<i64>,
    pub created_by: String,
    pub updated_at_ms: i64,
    pub evidence: Vec<Evidence>,
    /// Oldest first.
    pub events: Vec<ReportEvent>,
}

impl CsrReport {
    /// The comment of the latest revision request, while the report waits for the company.
    pub fn open_revision_comment(&self) -> Option<&str> {
        if self.status != ReportStatus::RevisionRequested {
            return None;
        }
        self.events.iter().rev().find(|e| e.to == ReportStatus::RevisionRequested).and_then(|e| e.comment.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PledgeEntry {
    pub pledge: Pledge,
    pub reports: Vec<CsrReport>,
}

impl PledgeEntry {
    /// The reporting windows this pledge owes a report for by `today`.
    pub fn due(&self, windows: ReportingWindows, today: Date) -> Vec<Window> {
        let done: Vec<Window> = self.reports.iter().map(|r| r.window).collect();
        due_windows(windows, (self.pledge.period_start, self.pledge.period_end), today, &done)
    }

    /// Realised value over reports in `statuses`.
    pub fn realised(&self, statuses: &[ReportStatus]) -> ReportedTotal {
        ReportedTotal::of(self.reports.iter().filter(|r| statuses.contains(&r.status)).map(|r| r.value))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedEntry {
    pub need: CsrNeed,
    pub photos: Vec<NeedPhoto>,
    pub pledges: Vec<PledgeEntry>,
}

impl NeedEntry {
    pub fn pledged(&self) -> ReportedTotal {
        ReportedTotal::of(self.pledges.iter().map(|p| p.pledge.value))
    }

    /// Published, nobody pledged yet: what the CSR forum still has to find a company for.
    pub fn is_unfunded(&self) -> bool {
        self.need.status == CsrNeedStatus::Published && self.pledges.is_empty()
    }
}

/// A tenant's CSR book as one reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsrBook {
    pub tenant: RegionCode,
    pub windows: ReportingWindows,
    /// Newest first.
    pub needs: Vec<NeedEntry>,
}

impl CsrBook {
    pub fn need(&self, id: CsrNeedId) -> Option<&NeedEntry> {
        self.needs.iter().find(|n| n.need.id == id)
    }

    pub fn pledge(&self, id: PledgeId) -> Option<(&NeedEntry, &PledgeEntry)> {
        self.needs.iter().find_map(|n| n.pledges.iter().find(|p| p.pledge.id == id).map(|p| (n, p)))
    }

    pub fn report(&self, id: CsrReportId) -> Option<(&NeedEntry, &PledgeEntry, &CsrReport)> {
        self.needs
            .iter()
            .find_map(|n| n.pledges.iter().find_map(|p| p.reports.iter().find(|r| r.id == id).map(|r| (n, p, r))))
    }

    /// Reports waiting for a verifier, oldest first.
    pub fn awaiting_review(&self) -> Vec<(&NeedEntry, &PledgeEntry, &CsrReport)> {
        let mut out: Vec<_> = self
            .needs
            .iter()
            .flat_map(|n| n.pledges.iter().flat_map(move |p| p.reports.iter().map(move |r| (n, p, r))))
            .filter(|(_, _, r)| matches!(r.status, ReportStatus::Submitted | ReportStatus::Approved))
            .collect();
        out.sort_by_key(|(_, _, r)| r.updated_at_ms);
        out
    }

    /// Every realisation that is public, one row per published report.
    pub fn published_realisations(&self) -> Vec<Realisation> {
        self.realisations(&[ReportStatus::Published])
    }

    /// One row per report in one of `statuses`, newest window first.
    pub fn realisations(&self, statuses: &[ReportStatus]) -> Vec<Realisation> {
        let mut out = Vec::new();
        for n in &self.needs {
            for p in &n.pledges {
                for r in p.reports.iter().filter(|r| statuses.contains(&r.status)) {
                    out.push(Realisation {
                        need_id: n.need.id,
                        need_title: n.need.title.clone(),
                        category: n.need.category,
                        location: r.location.clone().unwrap_or_else(|| n.need.location.clone()),
                        partner_id: p.pledge.partner_id,
                        partner_name: p.pledge.partner_name.clone(),
                        report_id: r.id,
                        window: r.window,
                        value: r.value,
                        description: r.description.clone(),
                        evidence: r.evidence.clone(),
                    });
                }
            }
        }
        out.sort_by(|a, b| b.window.cmp(&a.window).then_with(|| a.partner_name.cmp(&b.partner_name)));
        out
    }
}

/// One published realisation report, flattened for totals, the public page and open data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Realisation {
    pub need_id: CsrNeedId,
    pub need_title: String,
    pub category: CsrCategory,
    pub location: RegionCode,
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub report_id: CsrReportId,
    pub window: Window,
    pub value: Reported,
    pub description: String,
    pub evidence: Vec<Evidence>,
}

impl Realisation {
    pub fn year(&self) -> i32 {
        self.window.year
    }

    pub fn kecamatan(&self) -> Option<RegionCode> {
        kecamatan_of(&self.location)
    }
}

/// Totals of `rows` grouped by `key`, largest known total first. A group whose values were
/// all unreported stays unknown: [`ReportedTotal`] never turns it into a zero.
pub fn totals_by<K: Ord + Clone>(rows: &[Realisation], key: impl Fn(&Realisation) -> K) -> Vec<(K, ReportedTotal)> {
    let mut groups: BTreeMap<K, Vec<Reported>> = BTreeMap::new();
    for r in rows {
        groups.entry(key(r)).or_default().push(r.value);
    }
    let mut out: Vec<(K, ReportedTotal)> = groups.into_iter().map(|(k, v)| (k, ReportedTotal::of(v))).collect();
    out.sort_by_key(|t| std::cmp::Reverse(t.1.known));
    out
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// A need as proposed or edited, parsed by the web or API edge.
#[derive(Debug, Clone)]
pub struct CsrNeedInput {
    pub category: CsrCategory,
    pub title: String,
    pub description: String,
    pub location: RegionCode,
    pub point: Option<(f64, f64)>,
    pub estimated_cost: Option<i64>,
    /// Required when an officer proposes; ignored for a company's own programme.
    pub agency_id: Option<AgencyId>,
    pub priority_programme: Option<String>,
}

impl CsrNeedInput {
    /// Parse a point typed as two numbers; both or neither.
    pub fn parse_point(lat: &str, lon: &str) -> Result<Option<(f64, f64)>, FieldError> {
        match (lat.trim(), lon.trim()) {
            ("", "") => Ok(None),
            (la, lo) => {
                let lat: f64 =
                    la.replace(',', ".").parse().map_err(|_| FieldError::new("latitude", "invalid-number"))?;
                let lon: f64 =
                    lo.replace(',', ".").parse().map_err(|_| FieldError::new("longitude", "invalid-number"))?;
                if !(-90.0..=90.0).contains(&lat) {
                    return Err(FieldError::new("latitude", "out-of-range"));
                }
                if !(-180.0..=180.0).contains(&lon) {
                    return Err(FieldError::new("longitude", "out-of-range"));
                }
                Ok(Some((lat, lon)))
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct PledgeInput {
    pub partner_id: PartnerId,
    pub value: Option<i64>,
    pub form: PledgeForm,
    pub period_start: Date,
    pub period_end: Date,
    pub agreement_id: Option<AgreementId>,
    pub note: Option<String>,
}

impl PledgeInput {
    /// Parse the two dates of a pledge's period; the end may not come before the start.
    pub fn parse_period(start: &str, end: &str) -> Result<(Date, Date), FieldError> {
        let start = parse_date("period_start", start)?.ok_or_else(|| FieldError::new("period_start", "required"))?;
        let end = parse_date("period_end", end)?.ok_or_else(|| FieldError::new("period_end", "required"))?;
        if end < start {
            return Err(FieldError::new("period_end", "end-before-start"));
        }
        Ok((start, end))
    }
}

#[derive(Debug, Clone)]
pub struct ReportInput {
    pub window: Window,
    pub value: Option<i64>,
    pub description: String,
    pub location: Option<RegionCode>,
}

/// An uploaded file and, for a photo, the thumbnail the edge made of it.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file: CheckedFile,
    pub thumbnail: Option<CheckedFile>,
}

// ---------------------------------------------------------------------------------------------
// Reading the book

#[derive(sqlx::FromRow)]
struct NeedRow {
    id: Uuid,
    category: String,
    title: String,
    description: String,
    location_code: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
    estimated_cost: Option<i64>,
    agency_id: Option<Uuid>,
    proposed_by_partner: Option<Uuid>,
    priority_programme: Option<String>,
    status: String,
    published_at: Option<i64>,
    created_by: String,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct PhotoRow {
    need_id: Uuid,
    file_id: Uuid,
    thumb_file_id: Option<Uuid>,
    caption: String,
}

#[derive(sqlx::FromRow)]
struct PledgeRow {
    id: Uuid,
    need_id: Uuid,
    partner_id: Uuid,
    partner_name: String,
    value: Option<i64>,
    form: String,
    period_start: String,
    period_end: String,
    agreement_id: Option<Uuid>,
    note: Option<String>,
    created_by: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: Uuid,
    pledge_id: Uuid,
    window_year: i32,
    window_index: i16,
    value: Option<i64>,
    description: String,
    location_code: Option<String>,
    status: String,
    published_at: Option<i64>,
    created_by: String,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct EvidenceRow {
    report_id: Uuid,
    file_id: Uuid,
    thumb_file_id: Option<Uuid>,
    kind: String,
    name: String,
    content_type: String,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    report_id: Uuid,
    from_status: String,
    to_status: String,
    comment: Option<String>,
    actor_label: String,
    at: i64,
}

fn corrupt(what: &str, id: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("CSR {what} {id}"))
}

async fn read_windows(tx: &mut Tx, tenant: &RegionCode) -> Result<ReportingWindows> {
    #[derive(sqlx::FromRow)]
    struct Row {
        csr_window_months: i32,
    }
    let row: Row = tx
        .fetch_optional(
            Query::select()
                .column(Tenants::CsrWindowMonths)
                .from(Tenants::Table)
                .and_where(Expr::col(Tenants::Code).eq(tenant.as_str())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    u8::try_from(row.csr_window_months)
        .ok()
        .and_then(|m| ReportingWindows::new(m).ok())
        .ok_or_else(|| corrupt("window months of", tenant))
}

/// The whole CSR book of a tenant, unfiltered. Callers filter with [`visible`].
async fn read_book(tx: &mut Tx, tenant: &RegionCode) -> Result<CsrBook> {
    let windows = read_windows(tx, tenant).await?;
    let t = tenant.as_str();
    let needs: Vec<NeedRow> = tx
        .fetch_all(
            Query::select()
                .columns([
                    CsrNeeds::Id,
                    CsrNeeds::Category,
                    CsrNeeds::Title,
                    CsrNeeds::Description,
                    CsrNeeds::LocationCode,
                    CsrNeeds::Latitude,
                    CsrNeeds::Longitude,
                    CsrNeeds::EstimatedCost,
                    CsrNeeds::AgencyId,
                    CsrNeeds::ProposedByPartner,
                    CsrNeeds::PriorityProgramme,
                    CsrNeeds::Status,
                    CsrNeeds::PublishedAt,
                    CsrNeeds::CreatedBy,
                    CsrNeeds::UpdatedAt,
                ])
                .from(CsrNeeds::Table)
                .and_where(Expr::col(CsrNeeds::TenantCode).eq(t))
                .order_by(CsrNeeds::CreatedAt, Order::Desc)
                .order_by(CsrNeeds::Id, Order::Desc),
        )
        .await?;
    #[derive(sqlx::FromRow)]
    struct AgencyRow {
        id: Uuid,
        name: String,
    }
    let agencies: HashMap<Uuid, String> = tx
        .fetch_all::<AgencyRow, _>(
            Query::select()
                .columns([Agencies::Id, Agencies::Name])
                .from(Agencies::Table)
                .and_where(Expr::col(Agencies::TenantCode).eq(t)),
        )
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let photos: Vec<PhotoRow> = tx
        .fetch_all(
            Query::select()
                .columns([
                    CsrNeedPhotos::NeedId,
                    CsrNeedPhotos::FileId,
                    CsrNeedPhotos::ThumbFileId,
                    CsrNeedPhotos::Caption,
                ])
                .from(CsrNeedPhotos::Table)
                .and_where(Expr::col(CsrNeedPhotos::TenantCode).eq(t))
                .order_by(CsrNeedPhotos::CreatedAt, Order::Asc),
        )
        .await?;
    let pledges: Vec<PledgeRow> = tx
        .fetch_all(
            Query::select()
                .columns([
                    (CsrPledges::Table, CsrPledges::Id),
                    (CsrPledges::Table, CsrPledges::NeedId),
                    (CsrPledges::Table, CsrPledges::PartnerId),
                    (CsrPledges::Table, CsrPledges::Value),
                    (CsrPledges::Table, CsrPledges::Form),
                    (CsrPledges::Table, CsrPledges::PeriodStart),
                    (CsrPledges::Table, CsrPledges::PeriodEnd),
                    (CsrPledges::Table, CsrPledges::AgreementId),
                    (CsrPledges::Table, CsrPledges::Note),
                    (CsrPledges::Table, CsrPledges::CreatedBy),
                    (CsrPledges::Table, CsrPledges::CreatedAt),
                ])
                .expr_as(Expr::col((Partners::Table, Partners::Name)), sea_query::Alias::new("partner_name"))
                .from(CsrPledges::Table)
                .inner_join(
                    Partners::Table,
                    Expr::col((Partners::Table, Partners::TenantCode))
                        .equals((CsrPledges::Table, CsrPledges::TenantCode))
                        .and(
                            Expr::col((Partners::Table, Partners::Id))
                                .equals((CsrPledges::Table, CsrPledges::PartnerId)),
                        ),
                )
                .and_where(Expr::col((CsrPledges::Table, CsrPledges::TenantCode)).eq(t))
                .order_by((CsrPledges::Table, CsrPledges::CreatedAt), Order::Asc),
        )
        .await?;
    let reports: Vec<ReportRow> = tx
        .fetch_all(
            Query::select()
                .columns([
                    CsrReports::Id,
                    CsrReports::PledgeId,
                    CsrReports::WindowYear,
                    CsrReports::WindowIndex,
                    CsrReports::Value,
                    CsrReports::Description,
                    CsrReports::LocationCode,
                    CsrReports::Status,
                    CsrReports::PublishedAt,
                    CsrReports::CreatedBy,
                    CsrReports::UpdatedAt,
                ])
                .from(CsrReports::Table)
                .and_where(Expr::col(CsrReports::TenantCode).eq(t))
                .order_by(CsrReports::WindowYear, Order::Asc)
                .order_by(CsrReports::WindowIndex, Order::Asc),
        )
        .await?;
    let evidence: Vec<EvidenceRow> = tx
        .fetch_all(
            Query::select()
                .columns([
                    (CsrReportFiles::Table, CsrReportFiles::ReportId),
                    (CsrReportFiles::Table, CsrReportFiles::FileId),
                    (CsrReportFiles::Table, CsrReportFiles::ThumbFileId),
                    (CsrReportFiles::Table, CsrReportFiles::Kind),
                ])
                .columns([(Files::Table, Files::Name), (Files::Table, Files::ContentType)])
                .from(CsrReportFiles::Table)
                .inner_join(
                    Files::Table,
                    Expr::col((Files::Table, Files::TenantCode))
                        .equals((CsrReportFiles::Table, CsrReportFiles::TenantCode))
                        .and(
                            Expr::col((Files::Table, Files::Id))
                                .equals((CsrReportFiles::Table, CsrReportFiles::FileId)),
                        ),
                )
                .and_where(Expr::col((CsrReportFiles::Table, CsrReportFiles::TenantCode)).eq(t))
                .order_by((CsrReportFiles::Table, CsrReportFiles::CreatedAt), Order::Asc),
        )
        .await?;
    let events: Vec<EventRow> = tx
        .fetch_all(
            Query::select()
                .columns([
                    CsrReportEvents::ReportId,
                    CsrReportEvents::FromStatus,
                    CsrReportEvents::ToStatus,
                    CsrReportEvents::Comment,
                    CsrReportEvents::ActorLabel,
                    CsrReportEvents::At,
                ])
                .from(CsrReportEvents::Table)
                .and_where(Expr::col(CsrReportEvents::TenantCode).eq(t))
                .order_by(CsrReportEvents::At, Order::Asc)
                .order_by(CsrReportEvents::Id, Order::Asc),
        )
        .await?;

    // Assemble bottom-up: events and evidence into reports, reports into pledges, ...
    let mut evidence_of: HashMap<Uuid, Vec<Evidence>> = HashMap::new();
    for e in evidence {
        evidence_of.entry(e.report_id).or_default().push(Evidence {
            file_id: FileId::from_uuid(e.file_id),
            thumb_id: e.thumb_file_id.map(FileId::from_uuid),
            kind: e.kind.parse().map_err(|_| corrupt("evidence kind of", e.file_id))?,
            file_type: FileType::from_mime(&e.content_type).ok_or_else(|| corrupt("evidence type of", e.file_id))?,
            file_name: e.name,
        });
    }
    let mut events_of: HashMap<Uuid, Vec<ReportEvent>> = HashMap::new();
    for e in events {
        events_of.entry(e.report_id).or_default().push(ReportEvent {
            from: e.from_status.parse().map_err(|_| corrupt("event of", e.report_id))?,
            to: e.to_status.parse().map_err(|_| corrupt("event of", e.report_id))?,
            comment: e.comment,
            actor_label: e.actor_label,
            at_ms: e.at,
        });
    }
    let mut reports_of: HashMap<Uuid, Vec<CsrReport>> = HashMap::new();
    for r in reports {
        let location = match r.location_code {
            Some(c) => Some(RegionCode::parse(&c).map_err(|_| corrupt("report location", r.id))?),
            None => None,
        };
        reports_of.entry(r.pledge_id).or_default().push(CsrReport {
            id: CsrReportId::from_uuid(r.id),
            pledge_id: PledgeId::from_uuid(r.pledge_id),
            window: Window {
                year: r.window_year,
                index: u8::try_from(r.window_index).map_err(|_| corrupt("report window", r.id))?,
            },
            value: Reported::from_option(r.value),
            description: r.description,
            location,
            status: r.status.parse().map_err(|_| corrupt("report status", r.id))?,
            published_at_ms: r.published_at,
            created_by: r.created_by,
            updated_at_ms: r.updated_at,
            evidence: evidence_of.remove(&r.id).unwrap_or_default(),
            events: events_of.remove(&r.id).unwrap_or_default(),
        });
    }
    let mut pledges_of: HashMap<Uuid, Vec<PledgeEntry>> = HashMap::new();
    for p in pledges {
        let date = |s: &str| parse_date("period", s).ok().flatten().ok_or_else(|| corrupt("pledge period", p.id));
        let pledge = Pledge {
            id: PledgeId::from_uuid(p.id),
            need_id: CsrNeedId::from_uuid(p.need_id),
            partner_id: PartnerId::from_uuid(p.partner_id),
            partner_name: p.partner_name,
            value: Reported::from_option(p.value),
            form: p.form.parse().map_err(|_| corrupt("pledge form", p.id))?,
            period_start: date(&p.period_start)?,
            period_end: date(&p.period_end)?,
            agreement_id: p.agreement_id.map(AgreementId::from_uuid),
            note: p.note,
            created_by: p.created_by,
            created_at_ms: p.created_at,
        };
        let reports = reports_of.remove(&p.id).unwrap_or_default();
        pledges_of.entry(p.need_id).or_default().push(PledgeEntry { pledge, reports });
    }
    let mut photos_of: HashMap<Uuid, Vec<NeedPhoto>> = HashMap::new();
    for p in photos {
        photos_of.entry(p.need_id).or_default().push(NeedPhoto {
            file_id: FileId::from_uuid(p.file_id),
            thumb_id: p.thumb_file_id.map(FileId::from_uuid),
            caption: p.caption,
        });
    }
    let mut entries = Vec::with_capacity(needs.len());
    for n in needs {
        let point = match (n.latitude, n.longitude) {
            (Some(la), Some(lo)) => Some((la, lo)),
            _ => None,
        };
        let need = CsrNeed {
            id: CsrNeedId::from_uuid(n.id),
            category: n.category.parse().map_err(|_| corrupt("need category", n.id))?,
            title: n.title,
            description: n.description,
            location: RegionCode::parse(&n.location_code).map_err(|_| corrupt("need location", n.id))?,
            point,
            estimated_cost: n.estimated_cost,
            agency_id: n.agency_id.map(AgencyId::from_uuid),
            agency_name: n.agency_id.and_then(|a| agencies.get(&a).cloned()),
            proposed_by: n.proposed_by_partner.map(PartnerId::from_uuid),
            priority_programme: n.priority_programme,
            status: n.status.parse().map_err(|_| corrupt("need status", n.id))?,
            published_at_ms: n.published_at,
            created_by: n.created_by,
            updated_at_ms: n.updated_at,
        };
        entries.push(NeedEntry {
            photos: photos_of.remove(&n.id).unwrap_or_default(),
            pledges: pledges_of.remove(&n.id).unwrap_or_default(),
            need,
        });
    }
    Ok(CsrBook { tenant: tenant.clone(), windows, needs: entries })
}

/// Who is reading, for [`visible`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// The Pemda's own users.
    Internal,
    /// A company's user: its own pledges and reports, and the needs anyone may see.
    Company(Option<PartnerId>),
    /// Anyone, without logging in.
    Public,
}

impl Reader {
    fn of(actor: &Actor) -> Reader {
        match actor.role {
            Role::Partner => Reader::Company(actor.partner),
            r if r.is_internal() => Reader::Internal,
            // UMKM owners see CSR as the public does.
            _ => Reader::Public,
        }
    }
}

/// Cut the book down to what `reader` may see.
fn visible(mut book: CsrBook, reader: Reader) -> CsrBook {
    match reader {
        Reader::Internal => {}
        Reader::Company(partner) => {
            book.needs.retain(|n| {
                n.need.status != CsrNeedStatus::Draft || (partner.is_some() && n.need.proposed_by == partner)
            });
            for n in &mut book.needs {
                n.pledges.retain(|p| Some(p.pledge.partner_id) == partner);
            }
        }
        Reader::Public => {
            book.needs.retain(|n| n.need.status != CsrNeedStatus::Draft);
            for n in &mut book.needs {
                for p in &mut n.pledges {
                    p.reports.retain(|r| r.status == ReportStatus::Published);
                    for r in &mut p.reports {
                        // The review trail is between the company and the Pemda.
                        r.events.clear();
                    }
                }
                // A pledge is a company's word, not yet verified: the public sees the company
                // only behind a published realisation.
                n.pledges.retain(|p| !p.reports.is_empty());
                for p in &mut n.pledges {
                    p.pledge.note = None;
                }
            }
        }
    }
    book
}

// ---------------------------------------------------------------------------------------------
// Writing

fn need_values(tenant: &RegionCode, n: &CsrNeed) -> Vec<sea_query::SimpleExpr> {
    vec![
        tenant.as_str().into(),
        n.id.as_uuid().into(),
        n.category.slug().into(),
        n.title.clone().into(),
        n.description.clone().into(),
        n.location.as_str().into(),
        n.point.map(|p| p.0).into(),
        n.point.map(|p| p.1).into(),
        n.estimated_cost.into(),
        n.agency_id.map(|a| a.as_uuid()).into(),
        n.proposed_by.map(|p| p.as_uuid()).into(),
        n.priority_programme.clone().into(),
        n.status.slug().into(),
        n.published_at_ms.into(),
        n.created_by.clone().into(),
        n.updated_at_ms.into(),
        n.updated_at_ms.into(),
    ]
}

async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    id: CsrNeedId,
    action: &'static str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    record(
        tx,
        actor,
        Change { tenant: Some(tenant), action, record_type: RecordType::Csr, record_id: id.to_string(), before, after },
    )
    .await
}

fn json<T: Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

async fn set_need_status(
    tx: &mut Tx,
    tenant: &RegionCode,
    id: CsrNeedId,
    to: CsrNeedStatus,
    published: Option<i64>,
) -> Result<()> {
    let mut values = vec![(CsrNeeds::Status, to.slug().into()), (CsrNeeds::UpdatedAt, now_ms().into())];
    if let Some(at) = published {
        values.push((CsrNeeds::PublishedAt, at.into()));
    }
    tx.execute(
        &Query::update()
            .table(CsrNeeds::Table)
            .values(values)
            .and_where(Expr::col(CsrNeeds::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(CsrNeeds::Id).eq(id.as_uuid()))
            .to_owned(),
    )
    .await?;
    Ok(())
}

async fn insert_upload(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    upload: &Upload,
) -> Result<(FileId, Option<FileId>, String)> {
    let (file, sha) = insert_file(tx, actor, tenant, &upload.file).await?;
    let thumb = match &upload.thumbnail {
        Some(t) => Some(insert_file(tx, actor, tenant, t).await?.0),
        None => None,
    };
    Ok((file, thumb, sha))
}

async fn check_partner(tx: &mut Tx, tenant: &RegionCode, partner: PartnerId) -> Result<()> {
    tx.check_in_tenant((Partners::Table, Partners::TenantCode, Partners::Id), tenant, partner.as_uuid(), "partner_id")
        .await
}

async fn check_agreement(tx: &mut Tx, tenant: &RegionCode, agreement: AgreementId) -> Result<()> {
    tx.check_in_tenant(
        (Agreements::Table, Agreements::TenantCode, Agreements::Id),
        tenant,
        agreement.as_uuid(),
        "agreement_id",
    )
    .await
}

async fn check_need_agency(tx: &mut Tx, tenant: &RegionCode, agency: AgencyId) -> Result<()> {
    tx.check_in_tenant((Agencies::Table, Agencies::TenantCode, Agencies::Id), tenant, agency.as_uuid(), "agency_id")
        .await
}

/// The text fields of a need, checked.
fn checked_texts(input: &CsrNeedInput, tenant: &RegionCode) -> Result<(String, String, Option<String>), FieldError> {
    let title = required_text("title", &input.title, 200)?;
    let description = required_text("description", &input.description, 4000)?;
    if !input.location.is_within(tenant) || input.location.level() != RegionLevel::Village {
        return Err(FieldError::new("location", "csr-location-outside"));
    }
    if input.estimated_cost.is_some_and(|c| c < 0) {
        return Err(FieldError::new("estimated_cost", "invalid-amount"));
    }
    let programme = input.priority_programme.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if programme.is_some_and(|p| p.chars().count() > 200) {
        return Err(FieldError::new("priority_programme", "too-long"));
    }
    Ok((title, description, programme.map(str::to_owned)))
}

impl Store {
    /// The CSR book of `tenant` as `actor` may see it.
    pub async fn csr_book(&self, actor: &Actor, tenant: &RegionCode) -> Result<CsrBook> {
        let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin_read().await?;
        let book = read_book(&mut tx, &tenant).await?;
        tx.commit().await?;
        Ok(visible(book, Reader::of(actor)))
    }

    /// What anyone may see of a tenant's CSR: needs past draft and published realisation.
    pub async fn public_csr_book(&self, tenant: &RegionCode) -> Result<CsrBook> {
        let mut tx = self.begin_read().await?;
        let book = read_book(&mut tx, tenant).await?;
        tx.commit().await?;
        Ok(visible(book, Reader::Public))
    }

    /// Propose a need: an officer for their agency (the admin for any), or a company for its
    /// own programme. It starts as a draft that only the region admin publishes.
    pub async fn create_csr_need(&self, actor: &Actor, tenant: &RegionCode, input: CsrNeedInput) -> Result<CsrNeed> {
        let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
        let (agency_id, proposed_by) = match actor.role {
            Role::Partner => (None, Some(actor.partner.ok_or(StoreError::Forbidden)?)),
            _ => {
                let agency = input.agency_id.ok_or(StoreError::Invalid(FieldError::new("agency_id", "required")))?;
                if !actor.may_plan_for(agency) {
                    return Err(StoreError::Forbidden);
                }
                (Some(agency), None)
            }
        };
        let (title, description, priority_programme) = checked_texts(&input, &tenant)?;
        let mut tx = self.begin().await?;
        if let Some(a) = agency_id {
            check_need_agency(&mut tx, &tenant, a).await?;
        }
        let need = CsrNeed {
            id: CsrNeedId::new(),
            category: input.category,
            title,
            description,
            location: input.location,
            point: input.point,
            estimated_cost: input.estimated_cost,
            agency_id,
            agency_name: None,
            proposed_by,
            priority_programme,
            status: CsrNeedStatus::Draft,
            published_at_ms: None,
            created_by: actor.label.clone(),
            updated_at_ms: now_ms(),
        };
        tx.execute(
            &Query::insert()
                .into_table(CsrNeeds::Table)
                .columns([
                    CsrNeeds::TenantCode,
                    CsrNeeds::Id,
                    CsrNeeds::Category,
                    CsrNeeds::Title,
                    CsrNeeds::Description,
                    CsrNeeds::LocationCode,
                    CsrNeeds::Latitude,
                    CsrNeeds::Longitude,
                    CsrNeeds::EstimatedCost,
                    CsrNeeds::AgencyId,
                    CsrNeeds::ProposedByPartner,
                    CsrNeeds::PriorityProgramme,
                    CsrNeeds::Status,
                    CsrNeeds::PublishedAt,
                    CsrNeeds::CreatedBy,
                    CsrNeeds::CreatedAt,
                    CsrNeeds::UpdatedAt,
                ])
                .values_panic(need_values(&tenant, &need))
                .to_owned(),
        )
        .await?;
        audit(&mut tx, actor, &tenant, need.id, "create_csr_need", None, json(&need)).await?;
        tx.commit().await?;
        Ok(need)
    }

    /// Edit a need while nobody has pledged to it: its proposer or the admin.
    pub async fn update_csr_need(&self, actor: &Actor, id: CsrNeedId, input: CsrNeedInput) -> Result<CsrNeed> {
        let tenant = target_tenant(actor, None)?.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin().await?;
        let book = read_book(&mut tx, &tenant).await?;
        let entry = book.need(id).ok_or(StoreError::NotFound)?;
        let before = entry.need.clone();
        if !may_edit_need(actor, before.agency_id, before.proposed_by) {
            return Err(StoreError::Forbidden);
        }
        if !matches!(before.status, CsrNeedStatus::Draft | CsrNeedStatus::Published) || !entry.pledges.is_empty() {
            return Err(StoreError::Invalid(FieldError::new("status", "csr-need-locked")));
        }
        let (title, description, priority_programme) = checked_texts(&input, &tenant)?;
        // The proposing agency changes only by the admin's hand.
        let agency_id = match (before.proposed_by, input.agency_id) {
            (Some(_), _) => None,
            (None, Some(a)) if actor.can(Permission::ManageCsr) => {
                check_need_agency(&mut tx, &tenant, a).await?;
                Some(a)
            }
            (None, _) => before.agency_id,
        };
        let after = CsrNeed {
            category: input.category,
            title,
            description,
            location: input.location,
            point: input.point,
            estimated_cost: input.estimated_cost,
            agency_id,
            priority_programme,
            updated_at_ms: now_ms(),
            ..before.clone()
        };
        tx.execute(
            &Query::update()
                .table(CsrNeeds::Table)
                .values([
                    (CsrNeeds::Category, after.category.slug().into()),
                    (CsrNeeds::Title, after.title.clone().into()),
                    (CsrNeeds::Description, after.description.clone().into()),
                    (CsrNeeds::LocationCode, after.location.as_str().into()),
                    (CsrNeeds::Latitude, after.point.map(|p| p.0).into()),
                    (CsrNeeds::Longitude, after.point.map(|p| p.1).into()),
                    (CsrNeeds::EstimatedCost, after.estimated_cost.into()),
                    (CsrNeeds::AgencyId, after.agency_id.map(|a| a.as_uuid()).into()),
                    (CsrNeeds::PriorityProgramme, after.priority_programme.clone().into()),
                    (CsrNeeds::UpdatedAt, after.updated_at_ms.into()),
                ])
                .and_where(Expr::col(CsrNeeds::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(CsrNeeds::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        audit(&mut tx, actor, &tenant, id, "update_csr_need", json(&before), json(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Move a need through its workflow. Publishing a company's own programme that already
    /// carries its pledge moves it straight on to pledged.
    pub async fn move_csr_need(&self, actor: &Actor, id: CsrNeedId, to: CsrNeedStatus) -> Result<CsrNeedStatus> {
        let tenant = target_tenant(actor, None)?.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin().await?;
        let book = read_book(&mut tx, &tenant).await?;
        let entry = book.need(id).ok_or(StoreError::NotFound)?;
        let from = entry.need.status;
        let mover = mover_of(actor, entry.need.agency_id).ok_or(StoreError::Forbidden)?;
        check_need_move(from, to, mover)?;
        if to == CsrNeedStatus::Draft && !entry.pledges.is_empty() {
            return Err(StoreError::Invalid(FieldError::new("status", "csr-need-locked")));
        }
        if to == CsrNeedStatus::Pledged && entry.pledges.is_empty() {
            return Err(StoreError::Invalid(FieldError::new("status", "csr-no-pledge")));
        }
        let landed =
            if to == CsrNeedStatus::Published && !entry.pledges.is_empty() { CsrNeedStatus::Pledged } else { to };
        let published = (to == CsrNeedStatus::Published).then(now_ms);
        set_need_status(&mut tx, &tenant, id, landed, published).await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id,
            "move_csr_need",
            Some(serde_json::json!({ "status": from })),
            Some(serde_json::json!({ "status": landed })),
        )
        .await?;
        tx.commit().await?;
        Ok(landed)
    }

    /// Add a photo of the place or the need (its proposer or the admin).
    pub async fn add_csr_photo(
        &self,
        actor: &Actor,
        id: CsrNeedId,
        caption: &str,
        upload: Upload,
    ) -> Result<NeedPhoto> {
        let tenant = target_tenant(actor, None)?.ok_or(StoreError::NotFound)?;
        if upload.file.file_type == FileType::Pdf {
            return Err(StoreError::Invalid(FieldError::new("file", "csr-photo-not-image")));
        }
        let caption = caption.trim().chars().take(200).collect::<String>();
        let mut tx = self.begin().await?;
        let book = read_book(&mut tx, &tenant).await?;
        let need = &book.need(id).ok_or(StoreError::NotFound)?.need;
        if !may_edit_need(actor, need.agency_id, need.proposed_by) {
            return Err(StoreError::Forbidden);
        }
        let (file_id, thumb_id, sha) = insert_upload(&mut tx, actor, &tenant, &upload).await?;
        tx.execute(
            &Query::insert()
                .into_table(CsrNeedPhotos::Table)
                .columns([
                    CsrNeedPhotos::TenantCode,
                    CsrNeedPhotos::Id,
                    CsrNeedPhotos::NeedId,
                    CsrNeedPhotos::FileId,
                    CsrNeedPhotos::ThumbFileId,
                    CsrNeedPhotos::Caption,
                    CsrNeedPhotos::CreatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    Uuid::now_v7().into(),
                    id.as_uuid().into(),
                    file_id.as_uuid().into(),
                    thumb_id.map(|t| t.as_uuid()).into(),
                    caption.clone().into(),
                    now_ms().into(),
                ])
                .to_owned(),
        )
        .await?;
        let photo = NeedPhoto { file_id, thumb_id, caption };
        let after = serde_json::json!({ "photo": photo, "name": upload.file.name, "sha256": sha });
        audit(&mut tx, actor, &tenant, id, "add_csr_photo", None, Some(after)).await?;
        tx.commit().await?;
        Ok(photo)
    }

    /// A company pledges to a need (or an officer records the pledge for it). A published
    /// need becomes pledged; a company's own draft programme carries its pledge until the
    /// admin publishes it.
    pub async fn pledge_csr(&self, actor: &Actor, need: CsrNeedId, input: PledgeInput) -> Result<Pledge> {
        let tenant = target_tenant(actor, None)?.ok_or(StoreError::NotFound)?;
        if !actor.may_act_for(input.partner_id) {
            return Err(StoreError::Forbidden);
        }
        if input.period_end < input.period_start {
            return Err(StoreError::Invalid(FieldError::new("period_end", "end-before-start")));
        }
        if input.value.is_some_and(|v| v < 0) {
            return Err(StoreError::Invalid(FieldError::new("value", "invalid-amount")));
        }
        let note = input.note.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let mut tx = self.begin().await?;
        let book = read_book(&mut tx, &tenant).await?;
        let entry = book.need(need).ok_or(StoreError::NotFound)?;
        let open = open_for_pledge(entry.need.status, entry.need.proposed_by, Some(input.partner_id));
        if !open {
            return Err(StoreError::Invalid(FieldError::new("status", "csr-need-not-open")));
        }
        check_partner(&mut tx, &tenant, input.partner_id).await?;
        if let Some(a) = input.agreement_id {
            check_agreement(&mut tx, &tenant, a).await?;
        }
        let now = now_ms();
        let pledge = Pledge {
            id: PledgeId::new(),
            need_id: need,
            partner_id: input.partner_id,
            partner_name: String::new(),
            value: Reported::from_option(input.value),
            form: input.form,
            period_start: input.period_start,
            period_end: input.period_end,
            agreement_id: input.agreement_id,
            note,
            created_by: actor.label.clone(),
            created_at_ms: now,
        };
        tx.execute(
            &Query::insert()
                .into_table(CsrPledges::Table)
                .columns([
                    CsrPledges::TenantCode,
                    CsrPledges::Id,
                    CsrPledges::NeedId,
                    CsrPledges::PartnerId,
                    CsrPledges::Value,
                    CsrPledges::Form,
                    CsrPledges::PeriodStart,
                    CsrPledges::PeriodEnd,
                    CsrPledges::AgreementId,
                    CsrPledges::Note,
                    CsrPledges::CreatedBy,
                    CsrPledges::CreatedAt,
                    CsrPledges::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    pledge.id.as_uuid().into(),
                    need.as_uuid().into(),
                    pledge.partner_id.as_uuid().into(),
                    input.value.into(),
                    pledge.form.slug().into(),
                    pledge.period_start.to_string().into(),
                    pledge.period_end.to_string().into(),
                    pledge.agreement_id.map(|a| a.as_uuid()).into(),
                    pledge.note.clone().into(),
                    pledge.created_by.clone().into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        if entry.need.status == CsrNeedStatus::Published {
            set_need_status(&mut tx, &tenant, need, CsrNeedStatus::Pledged, None).await?;
        }
        audit(&mut tx, actor, &tenant, need, "pledge_csr", None, json(&pledge)).await?;
        tx.commit().await?;
        Ok(pledge)
    }

    /// Write (or rewrite) the company's realisation report for one window of a pledge, with
    /// any new evidence, in one transaction. A report may be rewritten only while it is the
    /// company's: a draft, or sent back for revision.
    pub async fn save_csr_report(
        &self,
        actor: &Actor,
        pledge: PledgeId,
        input: ReportInput,
        evidence: Vec<(EvidenceKind, Upload)>,
    ) -> Result<CsrReportId> {
        let tenant = target_tenant(actor, None)?.ok_or(StoreError::NotFound)?;
        let description = required_text("description", &input.description, 4000)?;
        if input.value.is_some_and(|v| v < 0) {
            return Err(StoreError::Invalid(FieldError::new("value", "invalid-amount")));
        }
        if input.location.as_ref().is_some_and(|l| !l.is_within(&tenant)) {
            return Err(StoreError::Invalid(FieldError::new("location", "csr-location-outside")));
        }
        let mut tx = self.begin().await?;
        let book = read_book(&mut tx, &tenant).await?;
        let (need, entry) = book.pledge(pledge).ok_or(StoreError::NotFound)?;
        if !actor.may_act_for(entry.pledge.partner_id) {
            return Err(StoreError::Forbidden);
        }
        if book.windows.bounds(input.window).is_none() {
            return Err(StoreError::Invalid(FieldError::new("window", "invalid-choice")));
        }
        let now = now_ms();
        let existing = entry.reports.iter().find(|r| r.window == input.window);
        let (id, before) = match existing {
            Some(r) if !matches!(r.status, ReportStatus::Draft | ReportStatus::RevisionRequested) => {
                return Err(StoreError::Invalid(FieldError::new("window", "csr-report-locked")));
            }
            Some(r) => {
                tx.execute(
                    &Query::update()
                        .table(CsrReports::Table)
                        .values([
                            (CsrReports::Value, input.value.into()),
                            (CsrReports::Description, description.clone().into()),
                            (CsrReports::LocationCode, input.location.as_ref().map(|l| l.as_str().to_owned()).into()),
                            (CsrReports::UpdatedAt, now.into()),
                        ])
                        .and_where(Expr::col(CsrReports::TenantCode).eq(tenant.as_str()))
                        .and_where(Expr::col(CsrReports::Id).eq(r.id.as_uuid()))
                        .to_owned(),
                )
                .await?;
                (r.id, json(r))
            }
            None => {
                let id = CsrReportId::new();
                tx.execute(
                    &Query::insert()
                        .into_table(CsrReports::Table)
                        .columns([
                            CsrReports::TenantCode,
                            CsrReports::Id,
                            CsrReports::PledgeId,
                            CsrReports::WindowYear,
                            CsrReports::WindowIndex,
                            CsrReports::Value,
                            CsrReports::Description,
                            CsrReports::LocationCode,
                            CsrReports::Status,
                            CsrReports::CreatedBy,
                            CsrReports::CreatedAt,
                            CsrReports::UpdatedAt,
                        ])
                        .values_panic([
                            tenant.as_str().into(),
                            id.as_uuid().into(),
                            pledge.as_uuid().into(),
                            input.window.year.into(),
                            i16::from(input.window.index).into(),
                            input.value.into(),
                            description.clone().into(),
                            input.location.as_ref().map(|l| l.as_str().to_owned()).into(),
                            ReportStatus::Draft.slug().into(),
                            actor.label.clone().into(),
                            now.into(),
                            now.into(),
                        ])
                        .to_owned(),
                )
                .await?;
                (id, None)
            }
        };
        let mut added = Vec::new();
        for (kind, upload) in &evidence {
            let (file_id, thumb_id, sha) = insert_upload(&mut tx, actor, &tenant, upload).await?;
            tx.execute(
                &Query::insert()
                    .into_table(CsrReportFiles::Table)
                    .columns([
                        CsrReportFiles::TenantCode,
                        CsrReportFiles::Id,
                        CsrReportFiles::ReportId,
                        CsrReportFiles::FileId,
                        CsrReportFiles::ThumbFileId,
                        CsrReportFiles::Kind,
                        CsrReportFiles::CreatedAt,
                    ])
                    .values_panic([
                        tenant.as_str().into(),
                        Uuid::now_v7().into(),
                        id.as_uuid().into(),
                        file_id.as_uuid().into(),
                        thumb_id.map(|t| t.as_uuid()).into(),
                        kind.slug().into(),
                        now.into(),
                    ])
                    .to_owned(),
            )
            .await?;
            added.push(serde_json::json!({ "kind": kind, "name": upload.file.name, "sha256": sha }));
        }
        let after = serde_json::json!({
            "report": id, "pledge": pledge, "window": input.window, "value": input.value,
            "description": description, "location": input.location, "evidence_added": added,
        });
        audit(&mut tx, actor, &tenant, need.need.id, "save_csr_report", before, Some(after)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Move a report through verification; every step is kept with its comment and audited.
    /// Approving the first report of a pledged need puts the need in progress.
    pub async fn move_csr_report(
        &self,
        actor: &Actor,
        id: CsrReportId,
        to: ReportStatus,
        comment: Option<&str>,
    ) -> Result<ReportStatus> {
        let tenant = target_tenant(actor, None)?.ok_or(StoreError::NotFound)?;
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.chars().count() > 2000) {
            return Err(StoreError::Invalid(FieldError::new("comment", "too-long")));
        }
        let mut tx = self.begin().await?;
        let book = read_book(&mut tx, &tenant).await?;
        let (need, entry, report) = book.report(id).ok_or(StoreError::NotFound)?;
        // The company submits; the verifier does the rest. Someone who is both (an admin
        // entering for a company) acts as whichever side the step belongs to.
        let by = if to == ReportStatus::Submitted { ReportActor::Company } else { ReportActor::Verifier };
        let allowed = match by {
            ReportActor::Company => actor.may_act_for(entry.pledge.partner_id),
            ReportActor::Verifier => actor.may_verify_csr(need.need.agency_id),
        };
        if !allowed {
            return Err(StoreError::Forbidden);
        }
        check_report_move(report.status, to, by, comment)?;
        if to == ReportStatus::Submitted && report.evidence.is_empty() {
            return Err(StoreError::Invalid(FieldError::new("evidence", "csr-evidence-required")));
        }
        let now = now_ms();
        let mut values = vec![(CsrReports::Status, to.slug().into()), (CsrReports::UpdatedAt, now.into())];
        if to == ReportStatus::Published {
            values.push((CsrReports::PublishedAt, now.into()));
        }
        tx.execute(
            &Query::update()
                .table(CsrReports::Table)
                .values(values)
                .and_where(Expr::col(CsrReports::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(CsrReports::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        tx.execute(
            &Query::insert()
                .into_table(CsrReportEvents::Table)
                .columns([
                    CsrReportEvents::TenantCode,
                    CsrReportEvents::Id,
                    CsrReportEvents::ReportId,
                    CsrReportEvents::FromStatus,
                    CsrReportEvents::ToStatus,
                    CsrReportEvents::Comment,
                    CsrReportEvents::ActorLabel,
                    CsrReportEvents::At,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    Uuid::now_v7().into(),
                    id.as_uuid().into(),
                    report.status.slug().into(),
                    to.slug().into(),
                    comment.map(str::to_owned).into(),
                    actor.label.clone().into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        if to == ReportStatus::Approved && need.need.status == CsrNeedStatus::Pledged {
            set_need_status(&mut tx, &tenant, need.need.id, CsrNeedStatus::InProgress, None).await?;
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            need.need.id,
            "move_csr_report",
            Some(serde_json::json!({ "report": id, "status": report.status })),
            Some(serde_json::json!({ "report": id, "status": to, "comment": comment })),
        )
        .await?;
        tx.commit().await?;
        Ok(to)
    }

    /// The bytes of a CSR file (need photo, report evidence or their thumbnails) for a
    /// logged-in reader who may see the record it belongs to.
    pub async fn csr_file(&self, actor: &Actor, id: FileId) -> Result<FileContent> {
        let tenant = target_tenant(actor, None)?.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin_read().await?;
        let book = visible(read_book(&mut tx, &tenant).await?, Reader::of(actor));
        if !book_has_file(&book, id) {
            return Err(StoreError::NotFound);
        }
        let file = load_file(&mut tx, &tenant, id).await?;
        tx.commit().await?;
        Ok(file)
    }

    /// The bytes of a file the public page shows: photos of needs past draft and evidence
    /// of published reports, nothing else.
    pub async fn public_csr_file(&self, tenant: &RegionCode, id: FileId) -> Result<FileContent> {
        let mut tx = self.begin_read().await?;
        let book = visible(read_book(&mut tx, tenant).await?, Reader::Public);
        if !book_has_file(&book, id) {
            return Err(StoreError::NotFound);
        }
        let file = load_file(&mut tx, tenant, id).await?;
        tx.commit().await?;
        Ok(file)
    }
}

fn book_has_file(book: &CsrBook, id: FileId) -> bool {
    book.needs.iter().any(|n| {
        n.photos.iter().any(|p| p.file_id == id || p.thumb_id == Some(id))
            || n.pledges
                .iter()
                .any(|p| p.reports.iter().any(|r| r.evidence.iter().any(|e| e.file_id == id || e.thumb_id == Some(id))))
    })
}

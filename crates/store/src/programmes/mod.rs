//! UMKM programmes: a programme (a training, mentoring, exhibition or curation scheme), its
//! waves with quotas per kecamatan and sessions, the applications of businesses from the
//! registry, and what selection made of each, with the reasons.
//!
//! The selection rule itself is pure (`sinergi_domain::programme::select`); the store gathers
//! each applicant's facts from the registry, runs it, and writes every outcome in one
//! transaction. An officer may override an outcome with a reason; a new run keeps overrides.

mod notify;
mod owner;
mod report;
mod run;

use std::collections::BTreeMap;

use sea_query::{Expr, ExprTrait, Func, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::programme::{
    Applicant, Eligibility, Funding, Ineligible, Outcome, ProgrammeKind, Quotas, Waiting, WaveStatus, select,
};
use sinergi_domain::umkm::SizeClass;
use sinergi_domain::{
    Actor, AgencyId, AgreementId, ApplicationId, BusinessId, KbliCode, Permission, PledgeId, ProgrammeId, RegionCode,
    SessionId, WaveId,
};
use time::Date;
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::audit::{Change, RecordType, record};
use crate::db::Tx;
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

pub use notify::{Invitation, InvitationSummary, ParticipantContact};
pub use owner::{OpenWave, OwnApplication};
pub use report::{AlumnusOutcome, ProgrammeReport, WaveFigures};
pub use run::{Attendance, CertificateView, CheckInBy, FollowUpAnswers, FollowUpRow};

/// A new programme.
#[derive(Debug, Clone)]
pub struct NewProgramme {
    pub kind: ProgrammeKind,
    pub title: String,
    pub description: Option<String>,
    pub agency_id: Option<AgencyId>,
    pub funding: Funding,
    pub pledge_id: Option<PledgeId>,
    pub agreement_id: Option<AgreementId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Programme {
    pub id: ProgrammeId,
    pub tenant: RegionCode,
    pub kind: ProgrammeKind,
    pub title: String,
    pub description: Option<String>,
    pub agency_id: Option<AgencyId>,
    pub funding: Funding,
    pub pledge_id: Option<PledgeId>,
    pub agreement_id: Option<AgreementId>,
    pub created_at_ms: i64,
}

/// One day of a wave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewSession {
    pub day: Date,
    pub starts: Option<String>,
    pub ends: Option<String>,
    pub venue: String,
    pub topic: Option<String>,
}

/// A new wave with its seats, rules and sessions.
#[derive(Debug, Clone)]
pub struct NewWave {
    pub number: u32,
    pub quotas: Quotas,
    pub eligibility: Eligibility,
    pub min_attendance_percent: u8,
    pub closes_on: Option<Date>,
    pub sessions: Vec<NewSession>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionRow {
    pub id: SessionId,
    pub day: String,
    pub starts: Option<String>,
    pub ends: Option<String>,
    pub venue: String,
    pub topic: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wave {
    pub id: WaveId,
    pub programme: ProgrammeId,
    pub number: u32,
    pub status: WaveStatus,
    pub quotas: Quotas,
    pub eligibility: Eligibility,
    pub min_attendance_percent: u8,
    pub closes_on: Option<String>,
    pub sessions: Vec<SessionRow>,
    pub selected_at_ms: Option<i64>,
    pub selected_by: Option<String>,
}

sinergi_domain::slug_enum! {
    /// How an application arrived.
    pub enum Channel: "channel" {
        Officer = "petugas",
        Import = "impor",
        Owner = "pemilik",
    }
}

sinergi_domain::slug_enum! {
    /// What selection (or an officer's override) decided.
    pub enum Decision: "outcome" {
        Selected = "selected",
        Waitlisted = "waitlisted",
        Ineligible = "ineligible",
    }
}

/// One application, as the wave's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicationRow {
    pub id: ApplicationId,
    pub business: BusinessId,
    pub business_name: String,
    pub kecamatan: Option<RegionCode>,
    pub number: u32,
    pub channel: Channel,
    pub applied_at_ms: i64,
    pub criteria_met: Vec<String>,
    /// What selection decided, before any override.
    pub outcome: Option<Decision>,
    pub rank: Option<u32>,
    pub position: Option<u32>,
    /// Why: the ineligibility reasons, or why waiting, or that the seat was redistributed.
    pub reasons: Option<serde_json::Value>,
    pub override_outcome: Option<Decision>,
    pub override_reason: Option<String>,
    pub override_by: Option<String>,
    pub invitation_code: String,
    /// When the invitation email was queued.
    pub notified_at_ms: Option<i64>,
    pub withdrawn: bool,
}

impl ApplicationRow {
    /// The decision that stands: an officer's override, else selection's.
    pub fn decision(&self) -> Option<Decision> {
        if self.withdrawn {
            return None;
        }
        self.override_outcome.or(self.outcome)
    }
}

/// What a selection run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SelectionSummary {
    pub selected: u32,
    pub waitlisted: u32,
    pub ineligible: u32,
    /// Applicants whose override stood against the rule's outcome.
    pub overridden: u32,
}

fn programme_tenant(actor: &Actor, permission: Permission, tenant: &RegionCode) -> Result<RegionCode> {
    if !actor.can(permission) {
        return Err(StoreError::Forbidden);
    }
    target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)
}

fn clean(s: &str, field: &'static str, max: usize) -> Result<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(StoreError::Invalid(FieldError::new(field, "required")));
    }
    if t.chars().count() > max {
        return Err(StoreError::Invalid(FieldError::new(field, "too-long")));
    }
    Ok(t)
}

async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    id: String,
    action: &'static str,
    after: serde_json::Value,
) -> Result<()> {
    record(
        tx,
        actor,
        Change {
            tenant: Some(tenant),
            action,
            record_type: RecordType::Programme,
            record_id: id,
            before: None,
            after: Some(after),
        },
    )
    .await
}

#[derive(sqlx::FromRow)]
struct ProgrammeDb {
    tenant_code: String,
    id: Uuid,
    kind: String,
    title: String,
    description: Option<String>,
    agency_id: Option<Uuid>,
    funding: String,
    pledge_id: Option<Uuid>,
    agreement_id: Option<Uuid>,
    created_at: i64,
}

impl ProgrammeDb {
    fn into_programme(self) -> Result<Programme> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("programme {what}"));
        Ok(Programme {
            id: ProgrammeId::from_uuid(self.id),
            tenant: RegionCode::parse(&self.tenant_code).map_err(|_| corrupt("tenant"))?,
            kind: self.kind.parse().map_err(|_| corrupt("kind"))?,
            title: self.title,
            description: self.description,
            agency_id: self.agency_id.map(AgencyId::from_uuid),
            funding: self.funding.parse().map_err(|_| corrupt("funding"))?,
            pledge_id: self.pledge_id.map(PledgeId::from_uuid),
            agreement_id: self.agreement_id.map(AgreementId::from_uuid),
            created_at_ms: self.created_at,
        })
    }
}

const PROGRAMME_COLUMNS: [Programmes; 10] = [
    Programmes::TenantCode,
    Programmes::Id,
    Programmes::Kind,
    Programmes::Title,
    Programmes::Description,
    Programmes::AgencyId,
    Programmes::Funding,
    Programmes::PledgeId,
    Programmes::AgreementId,
    Programmes::CreatedAt,
];

impl Store {
    pub async fn create_programme(&self, actor: &Actor, tenant: &RegionCode, new: NewProgramme) -> Result<ProgrammeId> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        let title = clean(&new.title, "title", 200)?;
        let description = new.description.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned);
        if new.funding == Funding::Csr && new.pledge_id.is_none() {
            return Err(StoreError::Invalid(FieldError::new("pledge_id", "required")));
        }
        let mut tx = self.begin().await?;
        if let Some(a) = new.agency_id {
            tx.check_in_tenant(
                (Agencies::Table, Agencies::TenantCode, Agencies::Id),
                &tenant,
                a.as_uuid(),
                "agency_id",
            )
            .await?;
        }
        if let Some(p) = new.pledge_id {
            tx.check_in_tenant(
                (CsrPledges::Table, CsrPledges::TenantCode, CsrPledges::Id),
                &tenant,
                p.as_uuid(),
                "pledge_id",
            )
            .await?;
        }
        if let Some(a) = new.agreement_id {
            tx.check_in_tenant(
                (Agreements::Table, Agreements::TenantCode, Agreements::Id),
                &tenant,
                a.as_uuid(),
                "agreement_id",
            )
            .await?;
        }
        let id = ProgrammeId::new();
        let now = now_ms();
        tx.execute(
            Query::insert()
                .into_table(Programmes::Table)
                .columns([
                    Programmes::TenantCode,
                    Programmes::Id,
                    Programmes::Kind,
                    Programmes::Title,
                    Programmes::Description,
                    Programmes::AgencyId,
                    Programmes::Funding,
                    Programmes::PledgeId,
                    Programmes::AgreementId,
                    Programmes::CreatedBy,
                    Programmes::CreatedAt,
                    Programmes::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    new.kind.slug().into(),
                    title.clone().into(),
                    description.into(),
                    new.agency_id.map(|a| a.as_uuid()).into(),
                    new.funding.slug().into(),
                    new.pledge_id.map(|p| p.as_uuid()).into(),
                    new.agreement_id.map(|a| a.as_uuid()).into(),
                    actor.label.clone().into(),
                    now.into(),
                    now.into(),
                ]),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "create_programme",
            serde_json::json!({ "name": title, "funding": new.funding.slug() }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn programmes(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<Programme>> {
        let tenant = programme_tenant(actor, Permission::ViewUmkm, tenant)?;
        let rows: Vec<ProgrammeDb> = self
            .fetch_all(
                Query::select()
                    .columns(PROGRAMME_COLUMNS)
                    .from(Programmes::Table)
                    .and_where(Expr::col(Programmes::TenantCode).eq(tenant.as_str()))
                    .order_by(Programmes::CreatedAt, Order::Desc),
            )
            .await?;
        rows.into_iter().map(ProgrammeDb::into_programme).collect()
    }

    pub async fn programme(&self, actor: &Actor, tenant: &RegionCode, id: ProgrammeId) -> Result<Programme> {
        let tenant = programme_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        read_programme(&mut tx, &tenant, id).await
    }

    /// A new wave in `Draft`: its number unique within the programme, its quotas within the
    /// Pemda's kecamatan and adding up to no more than the total.
    pub async fn create_wave(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        programme: ProgrammeId,
        new: NewWave,
    ) -> Result<WaveId> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        check_wave(&tenant, &new)?;
        let mut tx = self.begin().await?;
        tx.check_in_tenant(
            (Programmes::Table, Programmes::TenantCode, Programmes::Id),
            &tenant,
            programme.as_uuid(),
            "programme",
        )
        .await?;
        let id = WaveId::new();
        let now = now_ms();
        let eligibility = serde_json::to_string(&new.eligibility).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.execute(
            Query::insert()
                .into_table(ProgrammeWaves::Table)
                .columns([
                    ProgrammeWaves::TenantCode,
                    ProgrammeWaves::Id,
                    ProgrammeWaves::ProgrammeId,
                    ProgrammeWaves::Number,
                    ProgrammeWaves::Status,
                    ProgrammeWaves::TotalQuota,
                    ProgrammeWaves::Redistribute,
                    ProgrammeWaves::MinAttendancePercent,
                    ProgrammeWaves::Eligibility,
                    ProgrammeWaves::ClosesOn,
                    ProgrammeWaves::CreatedAt,
                    ProgrammeWaves::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    programme.as_uuid().into(),
                    i64::from(new.number).into(),
                    WaveStatus::Draft.slug().into(),
                    i64::from(new.quotas.total).into(),
                    new.quotas.redistribute.into(),
                    i64::from(new.min_attendance_percent).into(),
                    eligibility.into(),
                    new.closes_on.map(|d| d.to_string()).into(),
                    now.into(),
                    now.into(),
                ]),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => StoreError::Conflict { field: "number" },
            other => other,
        })?;
        for (kecamatan, seats) in &new.quotas.per_kecamatan {
            tx.execute(
                Query::insert()
                    .into_table(WaveQuotas::Table)
                    .columns([WaveQuotas::TenantCode, WaveQuotas::WaveId, WaveQuotas::KecamatanCode, WaveQuotas::Seats])
                    .values_panic([
                        tenant.as_str().into(),
                        id.as_uuid().into(),
                        kecamatan.as_str().into(),
                        i64::from(*seats).into(),
                    ]),
            )
            .await?;
        }
        for s in &new.sessions {
            tx.execute(
                Query::insert()
                    .into_table(WaveSessions::Table)
                    .columns([
                        WaveSessions::TenantCode,
                        WaveSessions::Id,
                        WaveSessions::WaveId,
                        WaveSessions::Day,
                        WaveSessions::Starts,
                        WaveSessions::Ends,
                        WaveSessions::Venue,
                        WaveSessions::Topic,
                    ])
                    .values_panic([
                        tenant.as_str().into(),
                        SessionId::new().as_uuid().into(),
                        id.as_uuid().into(),
                        s.day.to_string().into(),
                        s.starts.clone().into(),
                        s.ends.clone().into(),
                        s.venue.clone().into(),
                        s.topic.clone().into(),
                    ]),
            )
            .await?;
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "create_wave",
            serde_json::json!({ "programme": programme, "number": new.number, "total": new.quotas.total }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn wave(&self, actor: &Actor, tenant: &RegionCode, id: WaveId) -> Result<Wave> {
        let tenant = programme_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        read_wave(&mut tx, &tenant, id).await
    }

    /// The waves of a programme, by number.
    pub async fn programme_waves(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        programme: ProgrammeId,
    ) -> Result<Vec<Wave>> {
        let tenant = programme_tenant(actor, Permission::ViewUmkm, tenant)?;
        #[derive(sqlx::FromRow)]
        struct IdRow {
            id: Uuid,
        }
        let mut tx = self.begin_read().await?;
        let ids: Vec<IdRow> = tx
            .fetch_all(
                Query::select()
                    .column(ProgrammeWaves::Id)
                    .from(ProgrammeWaves::Table)
                    .and_where(Expr::col(ProgrammeWaves::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(ProgrammeWaves::ProgrammeId).eq(programme.as_uuid()))
                    .order_by(ProgrammeWaves::Number, Order::Asc),
            )
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for r in ids {
            out.push(read_wave(&mut tx, &tenant, WaveId::from_uuid(r.id)).await?);
        }
        Ok(out)
    }

    /// Move a wave to its next step (open, selected, running, done, cancelled).
    pub async fn move_wave(&self, actor: &Actor, tenant: &RegionCode, id: WaveId, to: WaveStatus) -> Result<()> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let wave = read_wave(&mut tx, &tenant, id).await?;
        wave.status
            .step(to, wave.sessions.len(), wave.quotas.total)
            .map_err(|_| StoreError::Invalid(FieldError::new("status", "status-not-allowed")))?;
        tx.execute(
            Query::update()
                .table(ProgrammeWaves::Table)
                .value(ProgrammeWaves::Status, to.slug())
                .value(ProgrammeWaves::UpdatedAt, now_ms())
                .and_where(Expr::col(ProgrammeWaves::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(ProgrammeWaves::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "move_wave",
            serde_json::json!({ "from": wave.status.slug(), "to": to.slug() }),
        )
        .await?;
        tx.commit().await
    }

    /// A business applies (or is entered by an officer or an import) to a wave that takes
    /// applications. Each business applies once; the applicant's number is the next in the wave.
    pub async fn apply_to_wave(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        wave: WaveId,
        business: BusinessId,
        channel: Channel,
        criteria_met: Vec<String>,
    ) -> Result<ApplicationId> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let w = read_wave(&mut tx, &tenant, wave).await?;
        if !w.status.takes_applications() {
            return Err(StoreError::Conflict { field: "status" });
        }
        let id = insert_application(&mut tx, actor, &tenant, &w, business, channel, criteria_met).await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            wave.to_string(),
            "apply_to_wave",
            serde_json::json!({ "business": business, "application": id }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Many applications at once (an imported list), whole or not at all. A business already
    /// applied is left as it is and counted.
    pub async fn apply_many_to_wave(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        wave: WaveId,
        businesses: &[BusinessId],
    ) -> Result<(u32, u32)> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let counts = apply_imported(&mut tx, actor, &tenant, wave, businesses).await?;
        tx.commit().await?;
        Ok(counts)
    }

    pub async fn wave_applications(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        wave: WaveId,
    ) -> Result<Vec<ApplicationRow>> {
        let tenant = programme_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        read_wave(&mut tx, &tenant, wave).await?;
        read_applications(&mut tx, &tenant, wave).await
    }

    /// Run the selection rule over the wave's applications with each business's facts as the
    /// registry holds them now, and write every outcome. Overrides stand.
    pub async fn select_wave(&self, actor: &Actor, tenant: &RegionCode, wave: WaveId) -> Result<SelectionSummary> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let w = read_wave(&mut tx, &tenant, wave).await?;
        if !matches!(w.status, WaveStatus::Open | WaveStatus::Selected) {
            return Err(StoreError::Conflict { field: "status" });
        }
        let apps: Vec<ApplicationRow> =
            read_applications(&mut tx, &tenant, wave).await?.into_iter().filter(|a| !a.withdrawn).collect();
        let applicants = applicant_facts(&mut tx, &tenant, &w, &apps).await?;
        let outcomes = select(&w.eligibility, &w.quotas, w.number, &applicants);
        let mut summary = SelectionSummary::default();
        for (a, o) in apps.iter().zip(&outcomes) {
            let (decision, rank, position, reasons) = match o {
                Outcome::Selected { rank, redistributed } => {
                    (Decision::Selected, Some(*rank), None, serde_json::json!({ "redistributed": redistributed }))
                }
                Outcome::Waitlisted { rank, position, why } => {
                    (Decision::Waitlisted, Some(*rank), Some(*position), serde_json::json!({ "waiting": why }))
                }
                Outcome::Ineligible(why) => {
                    (Decision::Ineligible, None, None, serde_json::json!({ "ineligible": why }))
                }
            };
            match a.override_outcome.unwrap_or(decision) {
                Decision::Selected => summary.selected += 1,
                Decision::Waitlisted => summary.waitlisted += 1,
                Decision::Ineligible => summary.ineligible += 1,
            }
            if a.override_outcome.is_some_and(|o| o != decision) {
                summary.overridden += 1;
            }
            tx.execute(
                Query::update()
                    .table(WaveApplications::Table)
                    .value(WaveApplications::Outcome, decision.slug())
                    .value(WaveApplications::Rank, rank.map(i64::from))
                    .value(WaveApplications::Position, position.map(i64::from))
                    .value(WaveApplications::Reasons, reasons.to_string())
                    .and_where(Expr::col(WaveApplications::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(WaveApplications::Id).eq(a.id.as_uuid())),
            )
            .await?;
        }
        let now = now_ms();
        tx.execute(
            Query::update()
                .table(ProgrammeWaves::Table)
                .value(ProgrammeWaves::Status, WaveStatus::Selected.slug())
                .value(ProgrammeWaves::SelectedAt, now)
                .value(ProgrammeWaves::SelectedBy, actor.label.clone())
                .value(ProgrammeWaves::UpdatedAt, now)
                .and_where(Expr::col(ProgrammeWaves::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(ProgrammeWaves::Id).eq(wave.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            wave.to_string(),
            "select_wave",
            serde_json::to_value(&summary).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// An officer decides an application against the rule, with a reason (kept through later
    /// runs); `None` takes the override back.
    pub async fn override_application(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ApplicationId,
        decision: Option<Decision>,
        reason: &str,
    ) -> Result<()> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        let reason = reason.trim();
        if decision.is_some() && reason.chars().count() < 5 {
            return Err(StoreError::Invalid(FieldError::new("reason", "required")));
        }
        let mut tx = self.begin().await?;
        tx.check_in_tenant(
            (WaveApplications::Table, WaveApplications::TenantCode, WaveApplications::Id),
            &tenant,
            id.as_uuid(),
            "application",
        )
        .await?;
        tx.execute(
            Query::update()
                .table(WaveApplications::Table)
                .value(WaveApplications::OverrideOutcome, decision.map(|d| d.slug()))
                .value(WaveApplications::OverrideReason, decision.map(|_| reason.to_owned()))
                .value(WaveApplications::OverrideBy, decision.map(|_| actor.label.clone()))
                .and_where(Expr::col(WaveApplications::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(WaveApplications::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "override_application",
            serde_json::json!({ "decision": decision.map(|d| d.slug()), "reason": reason }),
        )
        .await?;
        tx.commit().await
    }
}

/// Quotas inside the Pemda, seats adding up, sessions named, the attendance share a share.
fn check_wave(tenant: &RegionCode, new: &NewWave) -> Result<()> {
    let invalid = |field, reason| Err(StoreError::Invalid(FieldError::new(field, reason)));
    if new.number == 0 {
        return invalid("number", "invalid-number");
    }
    if new.quotas.per_kecamatan.keys().any(|k| k.parent().as_ref() != Some(tenant)) {
        return invalid("quotas", "invalid-region-code");
    }
    let seats: u32 = new.quotas.per_kecamatan.values().sum();
    if !new.quotas.per_kecamatan.is_empty() && seats < new.quotas.total && !new.quotas.redistribute {
        // Fewer kecamatan seats than the total would leave seats nobody may take.
        return invalid("total", "quota-seats-short");
    }
    if new.min_attendance_percent > 100 {
        return invalid("min_attendance_percent", "invalid-number");
    }
    if new.sessions.iter().any(|s| s.venue.trim().is_empty()) {
        return invalid("venue", "required");
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct WaveDb {
    programme_id: Uuid,
    number: i32,
    status: String,
    total_quota: i32,
    redistribute: bool,
    min_attendance_percent: i32,
    eligibility: String,
    closes_on: Option<String>,
    selected_at: Option<i64>,
    selected_by: Option<String>,
}

async fn read_programme(tx: &mut Tx, tenant: &RegionCode, id: ProgrammeId) -> Result<Programme> {
    let row: ProgrammeDb = tx
        .fetch_optional(
            Query::select()
                .columns(PROGRAMME_COLUMNS)
                .from(Programmes::Table)
                .and_where(Expr::col(Programmes::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Programmes::Id).eq(id.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    row.into_programme()
}

async fn read_wave(tx: &mut Tx, tenant: &RegionCode, id: WaveId) -> Result<Wave> {
    use ProgrammeWaves as W;
    let w: WaveDb = tx
        .fetch_optional(
            Query::select()
                .columns([
                    W::ProgrammeId,
                    W::Number,
                    W::Status,
                    W::TotalQuota,
                    W::Redistribute,
                    W::MinAttendancePercent,
                    W::Eligibility,
                    W::ClosesOn,
                    W::SelectedAt,
                    W::SelectedBy,
                ])
                .from(W::Table)
                .and_where(Expr::col(W::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(W::Id).eq(id.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    #[derive(sqlx::FromRow)]
    struct Q {
        kecamatan_code: String,
        seats: i32,
    }
    let quotas: Vec<Q> = tx
        .fetch_all(
            Query::select()
                .columns([WaveQuotas::KecamatanCode, WaveQuotas::Seats])
                .from(WaveQuotas::Table)
                .and_where(Expr::col(WaveQuotas::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(WaveQuotas::WaveId).eq(id.as_uuid())),
        )
        .await?;
    #[derive(sqlx::FromRow)]
    struct S {
        id: Uuid,
        day: String,
        starts: Option<String>,
        ends: Option<String>,
        venue: String,
        topic: Option<String>,
    }
    let sessions: Vec<S> = tx
        .fetch_all(
            Query::select()
                .columns([
                    WaveSessions::Id,
                    WaveSessions::Day,
                    WaveSessions::Starts,
                    WaveSessions::Ends,
                    WaveSessions::Venue,
                    WaveSessions::Topic,
                ])
                .from(WaveSessions::Table)
                .and_where(Expr::col(WaveSessions::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(WaveSessions::WaveId).eq(id.as_uuid()))
                .order_by(WaveSessions::Day, Order::Asc)
                .order_by(WaveSessions::Starts, Order::Asc),
        )
        .await?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("wave {what}"));
    Ok(Wave {
        id,
        programme: ProgrammeId::from_uuid(w.programme_id),
        number: u32::try_from(w.number).map_err(|_| corrupt("number"))?,
        status: w.status.parse().map_err(|_| corrupt("status"))?,
        quotas: Quotas {
            total: u32::try_from(w.total_quota).map_err(|_| corrupt("total"))?,
            per_kecamatan: quotas
                .into_iter()
                .filter_map(|q| Some((RegionCode::parse(&q.kecamatan_code).ok()?, u32::try_from(q.seats).ok()?)))
                .collect::<BTreeMap<_, _>>(),
            redistribute: w.redistribute,
        },
        eligibility: serde_json::from_str(&w.eligibility).map_err(|_| corrupt("eligibility"))?,
        min_attendance_percent: u8::try_from(w.min_attendance_percent).unwrap_or(80),
        closes_on: w.closes_on,
        sessions: sessions
            .into_iter()
            .map(|s| SessionRow {
                id: SessionId::from_uuid(s.id),
                day: s.day,
                starts: s.starts,
                ends: s.ends,
                venue: s.venue,
                topic: s.topic,
            })
            .collect(),
        selected_at_ms: w.selected_at,
        selected_by: w.selected_by,
    })
}

/// A short code for the invitation's QR and the check-in search: 8 letters and digits without
/// the easily confused ones.
fn invitation_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 8];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect()
}

async fn insert_application(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    wave: &Wave,
    business: BusinessId,
    channel: Channel,
    criteria_met: Vec<String>,
) -> Result<ApplicationId> {
    tx.check_in_tenant(
        (UmkmBusinesses::Table, UmkmBusinesses::TenantCode, UmkmBusinesses::Id),
        tenant,
        business.as_uuid(),
        "business",
    )
    .await?;
    #[derive(sqlx::FromRow)]
    struct N {
        n: Option<i32>,
    }
    let next: N = tx
        .fetch_optional(
            Query::select()
                .expr_as(Func::max(Expr::col(WaveApplications::Number)), "n")
                .from(WaveApplications::Table)
                .and_where(Expr::col(WaveApplications::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(WaveApplications::WaveId).eq(wave.id.as_uuid())),
        )
        .await?
        .unwrap_or(N { n: None });
    let criteria: Vec<String> = criteria_met.into_iter().filter(|c| wave.eligibility.criteria.contains(c)).collect();
    let id = ApplicationId::new();
    tx.execute(
        Query::insert()
            .into_table(WaveApplications::Table)
            .columns([
                WaveApplications::TenantCode,
                WaveApplications::Id,
                WaveApplications::WaveId,
                WaveApplications::BusinessId,
                WaveApplications::Number,
                WaveApplications::Channel,
                WaveApplications::AppliedAt,
                WaveApplications::CriteriaMet,
                WaveApplications::InvitationCode,
                WaveApplications::CreatedBy,
            ])
            .values_panic([
                tenant.as_str().into(),
                id.as_uuid().into(),
                wave.id.as_uuid().into(),
                business.as_uuid().into(),
                (next.n.unwrap_or(0) + 1).into(),
                channel.slug().into(),
                now_ms().into(),
                serde_json::to_string(&criteria).unwrap_or_else(|_| "[]".into()).into(),
                invitation_code().into(),
                actor.label.clone().into(),
            ]),
    )
    .await
    .map_err(|e| match e {
        StoreError::Conflict { .. } => StoreError::Conflict { field: "business" },
        other => other,
    })?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct ApplicationDb {
    id: Uuid,
    business_id: Uuid,
    name: String,
    kecamatan_code: Option<String>,
    number: i32,
    channel: String,
    applied_at: i64,
    criteria_met: String,
    outcome: Option<String>,
    rank: Option<i32>,
    position: Option<i32>,
    reasons: Option<String>,
    override_outcome: Option<String>,
    override_reason: Option<String>,
    override_by: Option<String>,
    invitation_code: String,
    notified_at: Option<i64>,
    withdrawn: bool,
}

async fn read_applications(tx: &mut Tx, tenant: &RegionCode, wave: WaveId) -> Result<Vec<ApplicationRow>> {
    use WaveApplications as A;
    let rows: Vec<ApplicationDb> = tx
        .fetch_all(
            Query::select()
                .columns([
                    (A::Table, A::Id),
                    (A::Table, A::BusinessId),
                    (A::Table, A::Number),
                    (A::Table, A::Channel),
                    (A::Table, A::AppliedAt),
                    (A::Table, A::CriteriaMet),
                    (A::Table, A::Outcome),
                    (A::Table, A::Rank),
                    (A::Table, A::Position),
                    (A::Table, A::Reasons),
                    (A::Table, A::OverrideOutcome),
                    (A::Table, A::OverrideReason),
                    (A::Table, A::OverrideBy),
                    (A::Table, A::InvitationCode),
                    (A::Table, A::NotifiedAt),
                    (A::Table, A::Withdrawn),
                ])
                .columns([
                    (UmkmBusinesses::Table, UmkmBusinesses::Name),
                    (UmkmBusinesses::Table, UmkmBusinesses::KecamatanCode),
                ])
                .from(A::Table)
                .inner_join(
                    UmkmBusinesses::Table,
                    Expr::col((UmkmBusinesses::Table, UmkmBusinesses::TenantCode))
                        .equals((A::Table, A::TenantCode))
                        .and(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Id)).equals((A::Table, A::BusinessId))),
                )
                .and_where(Expr::col((A::Table, A::TenantCode)).eq(tenant.as_str()))
                .and_where(Expr::col((A::Table, A::WaveId)).eq(wave.as_uuid()))
                .order_by((A::Table, A::Number), Order::Asc),
        )
        .await?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("application {what}"));
    rows.into_iter()
        .map(|r| {
            let decision =
                |s: Option<String>| s.map(|s| s.parse::<Decision>().map_err(|_| corrupt("outcome"))).transpose();
            Ok(ApplicationRow {
                id: ApplicationId::from_uuid(r.id),
                business: BusinessId::from_uuid(r.business_id),
                business_name: r.name,
                kecamatan: r.kecamatan_code.and_then(|k| RegionCode::parse(&k).ok()),
                number: u32::try_from(r.number).map_err(|_| corrupt("number"))?,
                channel: r.channel.parse().map_err(|_| corrupt("channel"))?,
                applied_at_ms: r.applied_at,
                criteria_met: serde_json::from_str(&r.criteria_met).unwrap_or_default(),
                outcome: decision(r.outcome)?,
                rank: r.rank.and_then(|n| u32::try_from(n).ok()),
                position: r.position.and_then(|n| u32::try_from(n).ok()),
                reasons: r.reasons.and_then(|s| serde_json::from_str(&s).ok()),
                override_outcome: decision(r.override_outcome)?,
                override_reason: r.override_reason,
                override_by: r.override_by,
                invitation_code: r.invitation_code,
                notified_at_ms: r.notified_at,
                withdrawn: r.withdrawn,
            })
        })
        .collect()
}

/// Each applicant's facts as the registry holds them now: class by sales (latest year), KBLI
/// codes, an NIB (the business's, or an NIB permit), the waves of this programme attended and
/// participations in any programme (selected and not withdrawn, in earlier waves).
async fn applicant_facts(
    tx: &mut Tx,
    tenant: &RegionCode,
    wave: &Wave,
    apps: &[ApplicationRow],
) -> Result<Vec<Applicant<ApplicationId>>> {
    let ids: Vec<Uuid> = apps.iter().map(|a| a.business.as_uuid()).collect();
    #[derive(sqlx::FromRow)]
    struct B {
        id: Uuid,
        class_sales: Option<String>,
        nib: Option<String>,
    }
    let mut businesses: BTreeMap<Uuid, B> = BTreeMap::new();
    let mut kbli: BTreeMap<Uuid, Vec<KbliCode>> = BTreeMap::new();
    let mut nib_permit: std::collections::HashSet<Uuid> = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<B> = tx
            .fetch_all(
                Query::select()
                    .columns([UmkmBusinesses::Id, UmkmBusinesses::ClassSales, UmkmBusinesses::Nib])
                    .from(UmkmBusinesses::Table)
                    .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmBusinesses::Id).is_in(chunk.iter().copied())),
            )
            .await?;
        businesses.extend(rows.into_iter().map(|b| (b.id, b)));
        #[derive(sqlx::FromRow)]
        struct K {
            business_id: Uuid,
            code: String,
        }
        let codes: Vec<K> = tx
            .fetch_all(
                Query::select()
                    .columns([UmkmBusinessKbli::BusinessId, UmkmBusinessKbli::Code])
                    .from(UmkmBusinessKbli::Table)
                    .and_where(Expr::col(UmkmBusinessKbli::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmBusinessKbli::BusinessId).is_in(chunk.iter().copied())),
            )
            .await?;
        for k in codes {
            if let Ok(code) = KbliCode::parse(&k.code) {
                kbli.entry(k.business_id).or_default().push(code);
            }
        }
        #[derive(sqlx::FromRow)]
        struct P {
            business_id: Uuid,
        }
        let permits: Vec<P> = tx
            .fetch_all(
                Query::select()
                    .column(UmkmPermits::BusinessId)
                    .from(UmkmPermits::Table)
                    .and_where(Expr::col(UmkmPermits::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmPermits::Kind).eq("nib"))
                    .and_where(Expr::col(UmkmPermits::BusinessId).is_in(chunk.iter().copied())),
            )
            .await?;
        nib_permit.extend(permits.into_iter().map(|p| p.business_id));
    }
    // Earlier participations: selected (by the rule or an officer) in another wave, not withdrawn.
    #[derive(sqlx::FromRow)]
    struct Part {
        business_id: Uuid,
        programme_id: Uuid,
        number: i32,
        outcome: Option<String>,
        override_outcome: Option<String>,
    }
    let mut parts: Vec<Part> = Vec::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<Part> = tx
            .fetch_all(
                Query::select()
                    .column((WaveApplications::Table, WaveApplications::BusinessId))
                    .column((ProgrammeWaves::Table, ProgrammeWaves::ProgrammeId))
                    .column((ProgrammeWaves::Table, ProgrammeWaves::Number))
                    .column((WaveApplications::Table, WaveApplications::Outcome))
                    .column((WaveApplications::Table, WaveApplications::OverrideOutcome))
                    .from(WaveApplications::Table)
                    .inner_join(
                        ProgrammeWaves::Table,
                        Expr::col((ProgrammeWaves::Table, ProgrammeWaves::TenantCode))
                            .equals((WaveApplications::Table, WaveApplications::TenantCode))
                            .and(
                                Expr::col((ProgrammeWaves::Table, ProgrammeWaves::Id))
                                    .equals((WaveApplications::Table, WaveApplications::WaveId)),
                            ),
                    )
                    .and_where(Expr::col((WaveApplications::Table, WaveApplications::TenantCode)).eq(tenant.as_str()))
                    .and_where(Expr::col((WaveApplications::Table, WaveApplications::WaveId)).ne(wave.id.as_uuid()))
                    .and_where(Expr::col((WaveApplications::Table, WaveApplications::Withdrawn)).eq(false))
                    .and_where(
                        Expr::col((ProgrammeWaves::Table, ProgrammeWaves::Status)).ne(WaveStatus::Cancelled.slug()),
                    )
                    .and_where(
                        Expr::col((WaveApplications::Table, WaveApplications::BusinessId)).is_in(chunk.iter().copied()),
                    ),
            )
            .await?;
        parts.extend(rows);
    }
    let selected = |p: &Part| p.override_outcome.as_deref().or(p.outcome.as_deref()) == Some(Decision::Selected.slug());
    Ok(apps
        .iter()
        .map(|a| {
            let b = businesses.get(&a.business.as_uuid());
            let mine: Vec<&Part> =
                parts.iter().filter(|p| p.business_id == a.business.as_uuid() && selected(p)).collect();
            Applicant {
                id: a.id,
                number: a.number,
                kecamatan: a.kecamatan.clone(),
                class_by_sales: b.and_then(|b| b.class_sales.as_deref()).and_then(|c| c.parse::<SizeClass>().ok()),
                kbli: kbli.remove(&a.business.as_uuid()).unwrap_or_default(),
                has_nib: b.is_some_and(|b| b.nib.is_some()) || nib_permit.contains(&a.business.as_uuid()),
                waves_of_programme: mine
                    .iter()
                    .filter(|p| p.programme_id == wave.programme.as_uuid())
                    .filter_map(|p| u32::try_from(p.number).ok())
                    .collect(),
                earlier_participations: mine.len() as u32,
                applied_at_ms: a.applied_at_ms,
                criteria_met: a.criteria_met.clone(),
            }
        })
        .collect())
}

/// The words for a stored reason, for pages: the parsed reasons of an application.
pub fn reasons_of(row: &ApplicationRow) -> (Vec<Ineligible>, Option<Waiting>, bool) {
    let Some(v) = &row.reasons else { return (Vec::new(), None, false) };
    let ineligible = v.get("ineligible").and_then(|x| serde_json::from_value(x.clone()).ok()).unwrap_or_default();
    let waiting = v.get("waiting").and_then(|x| serde_json::from_value(x.clone()).ok());
    let redistributed = v.get("redistributed").and_then(|x| x.as_bool()).unwrap_or(false);
    (ineligible, waiting, redistributed)
}

/// Apply a list of businesses to a wave inside the caller's transaction (an imported list: the
/// importer writes the records and the applications together). A business already applied,
/// or listed twice, is counted and left as it is. Returns (added, already).
pub(crate) async fn apply_imported(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    wave: WaveId,
    businesses: &[BusinessId],
) -> Result<(u32, u32)> {
    let w = read_wave(tx, tenant, wave).await?;
    if !w.status.takes_applications() {
        return Err(StoreError::Conflict { field: "status" });
    }
    let existing: std::collections::HashSet<BusinessId> =
        read_applications(tx, tenant, wave).await?.into_iter().map(|a| a.business).collect();
    let (mut added, mut already) = (0, 0);
    let mut seen = std::collections::HashSet::new();
    for b in businesses {
        if existing.contains(b) || !seen.insert(*b) {
            already += 1;
            continue;
        }
        insert_application(tx, actor, tenant, &w, *b, Channel::Import, Vec::new()).await?;
        added += 1;
    }
    audit(
        tx,
        actor,
        tenant,
        wave.to_string(),
        "import_wave_applications",
        serde_json::json!({ "added": added, "already": already }),
    )
    .await?;
    Ok((added, already))
}

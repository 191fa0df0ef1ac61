//! Programmes over JSON: programmes and their report, a wave with every application and the
//! reasons for its outcome, running the selection, checking a participant in (a scanner app at
//! the door), and the public check of a certificate's code.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use sinergi_domain::ApplicationId;
use sinergi_store::programmes::{
    ApplicationRow, CheckInBy, Programme, ProgrammeReport, SelectionSummary, Wave, reasons_of,
};
use utoipa::ToSchema;

use super::ApiJson;
use crate::AppState;
use crate::auth::{Authed, Ctx};
use crate::error::AppResult;
use crate::pages::programmes::{programme_id, session_id, wave_id};
use crate::pages::umkm::tenant_of;

#[derive(Serialize, ToSchema)]
pub struct ProgrammeDto {
    pub id: String,
    /// pelatihan, pendampingan, pameran, kurasi
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    pub agency_id: Option<String>,
    /// dak-non-fisik, apbd, apbn, csr, lainnya
    pub funding: String,
    pub pledge_id: Option<String>,
    pub agreement_id: Option<String>,
}

impl From<Programme> for ProgrammeDto {
    fn from(p: Programme) -> Self {
        Self {
            id: p.id.to_string(),
            kind: p.kind.slug().to_owned(),
            title: p.title,
            description: p.description,
            agency_id: p.agency_id.map(|a| a.to_string()),
            funding: p.funding.slug().to_owned(),
            pledge_id: p.pledge_id.map(|x| x.to_string()),
            agreement_id: p.agreement_id.map(|x| x.to_string()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionDto {
    pub id: String,
    /// YYYY-MM-DD
    pub day: String,
    pub starts: Option<String>,
    pub ends: Option<String>,
    pub venue: String,
    pub topic: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationDto {
    pub id: String,
    pub business_id: String,
    pub business_name: String,
    pub kecamatan: Option<String>,
    pub number: u32,
    /// petugas, impor, pemilik
    pub channel: String,
    /// The decision that stands: selected, waitlisted, ineligible; null before selection or
    /// when withdrawn.
    pub decision: Option<String>,
    pub overridden: bool,
    pub override_reason: Option<String>,
    pub rank: Option<u32>,
    pub waiting_position: Option<u32>,
    /// Why not eligible, as codes: outside-area, class-too-large, class-unknown,
    /// kbli-not-covered, no-nib, trained-recently, criterion-not-met.
    #[schema(value_type = Vec<Object>)]
    pub ineligible: Vec<serde_json::Value>,
    /// kecamatan-full or wave-full.
    pub waiting: Option<String>,
    pub redistributed: bool,
}

impl From<&ApplicationRow> for ApplicationDto {
    fn from(a: &ApplicationRow) -> Self {
        let (ineligible, waiting, redistributed) = reasons_of(a);
        Self {
            id: a.id.to_string(),
            business_id: a.business.to_string(),
            business_name: a.business_name.clone(),
            kecamatan: a.kecamatan.as_ref().map(|k| k.to_string()),
            number: a.number,
            channel: a.channel.slug().to_owned(),
            decision: a.decision().map(|d| d.slug().to_owned()),
            overridden: a.override_outcome.is_some(),
            override_reason: a.override_reason.clone(),
            rank: a.rank,
            waiting_position: a.position,
            ineligible: ineligible.iter().filter_map(|i| serde_json::to_value(i).ok()).collect(),
            waiting: waiting.and_then(|w| serde_json::to_value(w).ok()).and_then(|v| v.as_str().map(str::to_owned)),
            redistributed,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WaveDto {
    pub id: String,
    pub programme_id: String,
    pub number: u32,
    /// draft, open, selected, running, done, cancelled
    pub status: String,
    pub total_quota: u32,
    /// Seats per kecamatan code.
    pub kecamatan_quotas: std::collections::BTreeMap<String, u32>,
    pub redistribute: bool,
    #[schema(value_type = Object)]
    pub eligibility: serde_json::Value,
    pub min_attendance_percent: u8,
    pub sessions: Vec<SessionDto>,
    pub applications: Vec<ApplicationDto>,
}

fn wave_dto(w: Wave, apps: &[ApplicationRow]) -> WaveDto {
    WaveDto {
        id: w.id.to_string(),
        programme_id: w.programme.to_string(),
        number: w.number,
        status: w.status.slug().to_owned(),
        total_quota: w.quotas.total,
        kecamatan_quotas: w.quotas.per_kecamatan.iter().map(|(k, n)| (k.to_string(), *n)).collect(),
        redistribute: w.quotas.redistribute,
        eligibility: serde_json::to_value(&w.eligibility).unwrap_or_default(),
        min_attendance_percent: w.min_attendance_percent,
        sessions: w
            .sessions
            .into_iter()
            .map(|s| SessionDto {
                id: s.id.to_string(),
                day: s.day,
                starts: s.starts,
                ends: s.ends,
                venue: s.venue,
                topic: s.topic,
            })
            .collect(),
        applications: apps.iter().filter(|a| !a.withdrawn).map(ApplicationDto::from).collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/programmes", tag = "programmes", security(("bearer" = [])),
    responses((status = 200, body = [ProgrammeDto])))]
pub async fn list_programmes(State(state): State<AppState>, auth: Authed) -> AppResult<Json<Vec<ProgrammeDto>>> {
    let tenant = tenant_of(&auth.actor)?;
    Ok(Json(state.store.programmes(&auth.actor, &tenant).await?.into_iter().map(ProgrammeDto::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct GroupDto {
    pub businesses: usize,
    pub measured: usize,
    pub median_sales_growth_percent: Option<f64>,
    pub moved_up_a_class: usize,
}

#[derive(Serialize, ToSchema)]
pub struct WaveFiguresDto {
    pub wave_id: String,
    pub number: u32,
    pub status: String,
    pub applicants: u32,
    pub selected: u32,
    pub certified: u32,
    /// [kecamatan code or null, applicants, selected]
    #[schema(value_type = Vec<Object>)]
    pub by_kecamatan: Vec<(Option<String>, u32, u32)>,
    /// Follow-up answers by month (3, 6, 12).
    pub follow_ups: std::collections::BTreeMap<u8, u32>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportDto {
    pub waves: Vec<WaveFiguresDto>,
    /// Alumni against registry businesses of the same class (by sales, in the year before the
    /// wave), KBLI section and kecamatan that never completed a programme.
    pub alumni: GroupDto,
    pub peers: GroupDto,
}

fn group(g: &sinergi_domain::programme::GroupOutcome) -> GroupDto {
    GroupDto {
        businesses: g.businesses,
        measured: g.measured,
        median_sales_growth_percent: g.median_growth_percent,
        moved_up_a_class: g.naik_kelas,
    }
}

impl From<ProgrammeReport> for ReportDto {
    fn from(r: ProgrammeReport) -> Self {
        Self {
            alumni: group(&r.alumni),
            peers: group(&r.peers),
            waves: r
                .waves
                .into_iter()
                .map(|w| WaveFiguresDto {
                    wave_id: w.wave.id.to_string(),
                    number: w.wave.number,
                    status: w.wave.status.slug().to_owned(),
                    applicants: w.applicants,
                    selected: w.selected,
                    certified: w.certified,
                    by_kecamatan: w
                        .by_kecamatan
                        .into_iter()
                        .map(|(k, n, s)| (k.map(|k| k.to_string()), n, s))
                        .collect(),
                    follow_ups: w.follow_ups,
                })
                .collect(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/programmes/{programme_id}/report", tag = "programmes", security(("bearer" = [])),
    params(("programme_id" = String, Path)), responses((status = 200, body = ReportDto), (status = 404, body = super::ErrorBody)))]
pub async fn programme_report(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
) -> AppResult<Json<ReportDto>> {
    let tenant = tenant_of(&auth.actor)?;
    Ok(Json(state.store.programme_report(&auth.actor, &tenant, programme_id(&id)?).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/waves/{wave_id}", tag = "programmes", security(("bearer" = [])),
    params(("wave_id" = String, Path)), responses((status = 200, body = WaveDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_wave(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Json<WaveDto>> {
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&id)?;
    let w = state.store.wave(&auth.actor, &tenant, wave).await?;
    let apps = state.store.wave_applications(&auth.actor, &tenant, wave).await?;
    Ok(Json(wave_dto(w, &apps)))
}

#[derive(Serialize, ToSchema)]
pub struct SelectionDto {
    pub selected: u32,
    pub waitlisted: u32,
    pub ineligible: u32,
    pub overridden: u32,
}

impl From<SelectionSummary> for SelectionDto {
    fn from(s: SelectionSummary) -> Self {
        Self { selected: s.selected, waitlisted: s.waitlisted, ineligible: s.ineligible, overridden: s.overridden }
    }
}

#[utoipa::path(post, path = "/api/v1/waves/{wave_id}/selection", tag = "programmes", security(("bearer" = [])),
    params(("wave_id" = String, Path)),
    responses((status = 200, body = SelectionDto), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn run_selection(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
) -> AppResult<Json<SelectionDto>> {
    let tenant = tenant_of(&auth.actor)?;
    Ok(Json(state.store.select_wave(&auth.actor, &tenant, wave_id(&id)?).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct CheckInBody {
    /// The invitation code as scanned from the QR (case and dashes are forgiven)...
    pub code: Option<String>,
    /// ...or the application.
    pub application_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckInDto {
    pub application: ApplicationDto,
    /// False when the participant had already been checked in to this session.
    pub new: bool,
}

#[utoipa::path(post, path = "/api/v1/waves/{wave_id}/sessions/{session_id}/check-ins", tag = "programmes",
    security(("bearer" = [])), params(("wave_id" = String, Path), ("session_id" = String, Path)), request_body = CheckInBody,
    responses((status = 200, body = CheckInDto), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn check_in(
    State(state): State<AppState>,
    auth: Authed,
    Path((wave, session)): Path<(String, String)>,
    ApiJson(body): ApiJson<CheckInBody>,
) -> AppResult<Json<CheckInDto>> {
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&wave)?;
    let session = session_id(&session)?;
    // Another Pemda's wave is not found before the body is looked at.
    state.store.wave(&auth.actor, &tenant, wave).await?;
    let application = body.application_id.as_deref().and_then(|a| a.parse::<ApplicationId>().ok());
    let code = body.code.unwrap_or_default();
    let who = match application {
        Some(a) => CheckInBy::Application(a),
        None => CheckInBy::Code(&code),
    };
    let (app, new) = state.store.check_in(&auth.actor, &tenant, wave, session, who).await?;
    Ok(Json(CheckInDto { application: ApplicationDto::from(&app), new }))
}

#[derive(Serialize, ToSchema)]
pub struct CertificateDto {
    pub code: String,
    pub business_name: String,
    pub programme_title: String,
    pub wave_number: u32,
    /// The issuing Pemda's region code.
    pub tenant: String,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub sessions_attended: u32,
    pub sessions: u32,
    /// Milliseconds since the epoch.
    pub issued_at_ms: i64,
}

#[utoipa::path(get, path = "/api/v1/public/certificates/{code}", tag = "programmes",
    params(("code" = String, Path, description = "The code printed on the certificate, e.g. K7QM-2XHD-9PWA")),
    responses((status = 200, body = CertificateDto), (status = 404, body = super::ErrorBody)))]
pub async fn verify_certificate(
    State(state): State<AppState>,
    _ctx: Ctx,
    Path(code): Path<String>,
) -> AppResult<Json<CertificateDto>> {
    let v = state.store.verify_certificate(&code).await?;
    Ok(Json(CertificateDto {
        code: v.code,
        business_name: v.business_name,
        programme_title: v.programme_title,
        wave_number: v.wave_number,
        tenant: v.tenant.to_string(),
        first_day: v.first_day,
        last_day: v.last_day,
        sessions_attended: v.sessions_attended,
        sessions: v.sessions,
        issued_at_ms: v.issued_at_ms,
    }))
}

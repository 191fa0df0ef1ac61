//! CSR over JSON: the needs with their pledges and reports as the caller may see them, the
//! writes of the workflow (propose, publish, pledge, review), and the published CSR of a Pemda
//! for anyone. Realisation reports carry files and are written through the partner portal's
//! forms; the API reads them with their evidence.
//!
//! Money that was not reported is `null`, never `0`; totals say how many values were unknown.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sinergi_domain::auth::FieldError;
use sinergi_domain::csr::{CsrNeedStatus, ReportStatus, Reported, ReportedTotal};
use sinergi_domain::{CsrNeedId, CsrReportId, RegionCode, Scope};
use sinergi_store::csr::{CsrBook, CsrNeedInput, NeedEntry, PledgeEntry, PledgeInput, Realisation, totals_by};
use utoipa::ToSchema;

use super::ApiJson;
use super::tokens::rfc3339;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};

fn tenant_of(auth: &Authed) -> AppResult<RegionCode> {
    match &auth.actor.scope {
        Scope::Tenant(t) => Ok(t.clone()),
        // CSR belongs to one Pemda; the platform has none of its own.
        Scope::Platform => Err(AppError::Forbidden),
    }
}

fn known(v: Reported) -> Option<i64> {
    v.known()
}

/// A sum over values some of which may not have been reported.
#[derive(Serialize, ToSchema)]
pub struct TotalDto {
    /// Sum of the reported values, in whole rupiah.
    pub known: i64,
    pub known_count: usize,
    /// How many values were not reported (and are not in `known`).
    pub unknown_count: usize,
}

impl From<ReportedTotal> for TotalDto {
    fn from(t: ReportedTotal) -> Self {
        Self { known: t.known, known_count: t.known_count, unknown_count: t.unknown_count }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceDto {
    pub file_id: String,
    pub thumbnail_file_id: Option<String>,
    /// bast, photo, attendance, other
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReportEventDto {
    pub from: String,
    pub to: String,
    pub comment: Option<String>,
    pub by: String,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReportDto {
    pub id: String,
    /// "2026-3": year and window number (quarter, half-year... as the Pemda set it).
    pub window: String,
    /// Whole rupiah; null when the company did not report it.
    pub value: Option<i64>,
    pub description: String,
    pub location_code: Option<String>,
    /// draft, submitted, revision-requested, approved, published
    pub status: String,
    pub evidence: Vec<EvidenceDto>,
    /// The review trail; empty for the public.
    pub events: Vec<ReportEventDto>,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct PledgeDto {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    /// Whole rupiah; null when not reported.
    pub value: Option<i64>,
    /// cash, goods, services, mixed
    pub form: String,
    pub period_start: String,
    pub period_end: String,
    pub agreement_id: Option<String>,
    pub reports: Vec<ReportDto>,
    /// Reporting windows owed and not reported yet ("2026-2").
    pub due: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CsrNeedDto {
    pub id: String,
    /// pendidikan, kesehatan, lingkungan-hidup, sosial, ekonomi-kerakyatan, infrastruktur-sanitasi, keagamaan, pariwisata, lainnya
    pub category: String,
    pub title: String,
    pub description: String,
    /// Desa/kelurahan code.
    pub location_code: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Whole rupiah; null when not estimated.
    pub estimated_cost: Option<i64>,
    pub agency_id: Option<String>,
    /// The company whose own programme this is.
    pub proposed_by_partner_id: Option<String>,
    pub priority_programme: Option<String>,
    /// draft, published, pledged, in-progress, realised, closed
    pub status: String,
    pub photo_file_ids: Vec<String>,
    pub pledged: TotalDto,
    /// The pledges the caller may see: all for the Pemda, its own for a company.
    pub pledges: Vec<PledgeDto>,
    pub updated_at: String,
}

fn report_dto(r: &sinergi_store::csr::CsrReport) -> ReportDto {
    ReportDto {
        id: r.id.to_string(),
        window: r.window.key(),
        value: known(r.value),
        description: r.description.clone(),
        location_code: r.location.as_ref().map(|l| l.to_string()),
        status: r.status.slug().to_owned(),
        evidence: r
            .evidence
            .iter()
            .map(|e| EvidenceDto {
                file_id: e.file_id.to_string(),
                thumbnail_file_id: e.thumb_id.map(|t| t.to_string()),
                kind: e.kind.slug().to_owned(),
                file_name: e.file_name.clone(),
                content_type: e.file_type.mime().to_owned(),
            })
            .collect(),
        events: r
            .events
            .iter()
            .map(|e| ReportEventDto {
                from: e.from.slug().to_owned(),
                to: e.to.slug().to_owned(),
                comment: e.comment.clone(),
                by: e.actor_label.clone(),
                at: rfc3339(e.at_ms),
            })
            .collect(),
        updated_at: rfc3339(r.updated_at_ms),
    }
}

fn pledge_dto(book: &CsrBook, p: &PledgeEntry) -> PledgeDto {
    PledgeDto {
        id: p.pledge.id.to_string(),
        partner_id: p.pledge.partner_id.to_string(),
        partner_name: p.pledge.partner_name.clone(),
        value: known(p.pledge.value),
        form: p.pledge.form.slug().to_owned(),
        period_start: p.pledge.period_start.to_string(),
        period_end: p.pledge.period_end.to_string(),
        agreement_id: p.pledge.agreement_id.map(|a| a.to_string()),
        reports: p.reports.iter().map(report_dto).collect(),
        due: p.due(book.windows, crate::jobs::today_wib()).iter().map(|w| w.key()).collect(),
    }
}

fn need_dto(book: &CsrBook, n: &NeedEntry) -> CsrNeedDto {
    CsrNeedDto {
        id: n.need.id.to_string(),
        category: n.need.category.slug().to_owned(),
        title: n.need.title.clone(),
        description: n.need.description.clone(),
        location_code: n.need.location.to_string(),
        latitude: n.need.point.map(|p| p.0),
        longitude: n.need.point.map(|p| p.1),
        estimated_cost: n.need.estimated_cost,
        agency_id: n.need.agency_id.map(|a| a.to_string()),
        proposed_by_partner_id: n.need.proposed_by.map(|p| p.to_string()),
        priority_programme: n.need.priority_programme.clone(),
        status: n.need.status.slug().to_owned(),
        photo_file_ids: n.photos.iter().map(|p| p.file_id.to_string()).collect(),
        pledged: n.pledged().into(),
        pledges: n.pledges.iter().map(|p| pledge_dto(book, p)).collect(),
        updated_at: rfc3339(n.need.updated_at_ms),
    }
}

fn need_id(s: &str) -> AppResult<CsrNeedId> {
    s.parse().map_err(|_| AppError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/csr/needs", tag = "csr", security(("bearer" = [])),
    responses((status = 200, body = [CsrNeedDto]), (status = 403, body = super::ErrorBody)))]
pub async fn list_needs(State(state): State<AppState>, auth: Authed) -> AppResult<Json<Vec<CsrNeedDto>>> {
    let book = state.store.csr_book(&auth.actor, &tenant_of(&auth)?).await?;
    Ok(Json(book.needs.iter().map(|n| need_dto(&book, n)).collect()))
}

#[utoipa::path(get, path = "/api/v1/csr/needs/{csr_need_id}", tag = "csr", security(("bearer" = [])),
    params(("csr_need_id" = String, Path)), responses((status = 200, body = CsrNeedDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_need(
    State(state): State<AppState>,
    auth: Authed,
    Path(csr_need_id): Path<String>,
) -> AppResult<Json<CsrNeedDto>> {
    let id = need_id(&csr_need_id)?;
    let book = state.store.csr_book(&auth.actor, &tenant_of(&auth)?).await?;
    let n = book.need(id).ok_or(AppError::NotFound)?;
    Ok(Json(need_dto(&book, n)))
}

#[derive(Deserialize, ToSchema)]
pub struct CsrNeedBody {
    pub category: String,
    pub title: String,
    pub description: String,
    /// Desa/kelurahan code within the Pemda.
    pub location_code: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Whole rupiah; leave out when not estimated.
    pub estimated_cost: Option<i64>,
    /// Required for officers; ignored for a company's own programme.
    pub agency_id: Option<String>,
    pub priority_programme: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/csr/needs", tag = "csr", security(("bearer" = [])), request_body = CsrNeedBody,
    responses((status = 201, body = CsrNeedDto), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_need(
    State(state): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<CsrNeedBody>,
) -> AppResult<(StatusCode, Json<CsrNeedDto>)> {
    let tenant = tenant_of(&auth)?;
    let point = match (body.latitude, body.longitude) {
        (Some(la), Some(lo)) => CsrNeedInput::parse_point(&la.to_string(), &lo.to_string())?,
        (None, None) => None,
        (None, Some(_)) => return Err(AppError::Invalid(FieldError::new("latitude", "required"))),
        (Some(_), None) => return Err(AppError::Invalid(FieldError::new("longitude", "required"))),
    };
    let input = CsrNeedInput {
        category: body.category.parse()?,
        title: body.title,
        description: body.description,
        location: RegionCode::parse(body.location_code.trim())
            .ok()
            // A village of this Pemda that exists, named after the body's field.
            .filter(|c| sinergi_reference::region(c).is_some() && c.is_within(&tenant))
            .filter(|c| c.level() == sinergi_domain::RegionLevel::Village)
            .ok_or_else(|| AppError::Invalid(FieldError::new("location_code", "csr-location-outside")))?,
        point,
        estimated_cost: body.estimated_cost,
        agency_id: body
            .agency_id
            .map(|a| a.parse().map_err(|_| AppError::Invalid(FieldError::new("agency_id", "invalid-choice"))))
            .transpose()?,
        priority_programme: body.priority_programme,
    };
    let need = state.store.create_csr_need(&auth.actor, &tenant, input).await?;
    let book = state.store.csr_book(&auth.actor, &tenant).await?;
    let n = book.need(need.id).ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(need_dto(&book, n))))
}

#[derive(Deserialize, ToSchema)]
pub struct StatusBody {
    /// The status to move to.
    #[serde(default)]
    pub to: String,
    /// Required when requesting a revision of a report.
    pub comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StatusDto {
    /// Where it landed (publishing a company's own programme that carries its pledge lands
    /// on `pledged`).
    pub status: String,
}

#[utoipa::path(post, path = "/api/v1/csr/needs/{csr_need_id}/status", tag = "csr", security(("bearer" = [])), request_body = StatusBody,
    params(("csr_need_id" = String, Path)), responses((status = 200, body = StatusDto), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn move_need(
    State(state): State<AppState>,
    auth: Authed,
    Path(csr_need_id): Path<String>,
    ApiJson(body): ApiJson<StatusBody>,
) -> AppResult<Json<StatusDto>> {
    let id = need_id(&csr_need_id)?;
    // Another Pemda's need is not found, whatever the body says.
    state.store.csr_book(&auth.actor, &tenant_of(&auth)?).await?.need(id).ok_or(AppError::NotFound)?;
    let to: CsrNeedStatus = body.to.parse()?;
    let landed = state.store.move_csr_need(&auth.actor, id, to).await?;
    state.csr_public_cache.forget_tenant(tenant_of(&auth)?.as_str());
    Ok(Json(StatusDto { status: landed.slug().to_owned() }))
}

#[derive(Deserialize, ToSchema)]
pub struct PledgeBody {
    pub partner_id: String,
    /// Whole rupiah; leave out (null) when the company does not say — never send 0 for that.
    pub value: Option<i64>,
    /// cash, goods, services, mixed
    pub form: String,
    /// YYYY-MM-DD
    pub period_start: String,
    /// YYYY-MM-DD
    pub period_end: String,
    pub agreement_id: Option<String>,
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/csr/needs/{csr_need_id}/pledges", tag = "csr", security(("bearer" = [])), request_body = PledgeBody,
    params(("csr_need_id" = String, Path)), responses((status = 201, body = CsrNeedDto), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn pledge(
    State(state): State<AppState>,
    auth: Authed,
    Path(csr_need_id): Path<String>,
    ApiJson(body): ApiJson<PledgeBody>,
) -> AppResult<(StatusCode, Json<CsrNeedDto>)> {
    let tenant = tenant_of(&auth)?;
    let id = need_id(&csr_need_id)?;
    state.store.csr_book(&auth.actor, &tenant).await?.need(id).ok_or(AppError::NotFound)?;
    let (period_start, period_end) = PledgeInput::parse_period(&body.period_start, &body.period_end)?;
    let input = PledgeInput {
        partner_id: body
            .partner_id
            .parse()
            .map_err(|_| AppError::Invalid(FieldError::new("partner_id", "invalid-choice")))?,
        value: body.value,
        form: body.form.parse()?,
        period_start,
        period_end,
        agreement_id: body
            .agreement_id
            .map(|a| a.parse().map_err(|_| AppError::Invalid(FieldError::new("agreement_id", "invalid-choice"))))
            .transpose()?,
        note: body.note,
    };
    state.store.pledge_csr(&auth.actor, id, input).await?;
    let book = state.store.csr_book(&auth.actor, &tenant).await?;
    let n = book.need(id).ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(need_dto(&book, n))))
}

#[utoipa::path(post, path = "/api/v1/csr/reports/{report_id}/status", tag = "csr", security(("bearer" = [])), request_body = StatusBody,
    params(("report_id" = String, Path)), responses((status = 200, body = StatusDto), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn move_report(
    State(state): State<AppState>,
    auth: Authed,
    Path(report_id): Path<String>,
    ApiJson(body): ApiJson<StatusBody>,
) -> AppResult<Json<StatusDto>> {
    let id: CsrReportId = report_id.parse().map_err(|_| AppError::NotFound)?;
    state.store.csr_book(&auth.actor, &tenant_of(&auth)?).await?.report(id).ok_or(AppError::NotFound)?;
    let to: ReportStatus = body.to.parse()?;
    let landed = state.store.move_csr_report(&auth.actor, id, to, body.comment.as_deref()).await?;
    state.csr_public_cache.forget_tenant(tenant_of(&auth)?.as_str());
    Ok(Json(StatusDto { status: landed.slug().to_owned() }))
}

#[derive(Serialize, ToSchema)]
pub struct RealisationDto {
    pub need_id: String,
    pub programme: String,
    pub category: String,
    pub company: String,
    pub year: i32,
    pub window: String,
    /// Whole rupiah; null when not reported.
    pub value: Option<i64>,
    pub description: String,
    pub location_code: String,
    pub kecamatan_code: Option<String>,
    pub evidence_file_ids: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupTotalDto {
    pub key: String,
    pub total: TotalDto,
}

#[derive(Serialize, ToSchema)]
pub struct PublicCsrDto {
    pub tenant_code: String,
    pub tenant_name: String,
    pub total: TotalDto,
    pub by_company: Vec<GroupTotalDto>,
    pub by_year: Vec<GroupTotalDto>,
    pub by_category: Vec<GroupTotalDto>,
    pub by_kecamatan: Vec<GroupTotalDto>,
    pub realisations: Vec<RealisationDto>,
    /// Published needs no company has pledged to yet.
    pub open_needs: Vec<CsrNeedDto>,
    /// The licence of this data.
    pub licence: String,
}

fn groups<K: Ord + Clone + ToString>(rows: &[Realisation], key: impl Fn(&Realisation) -> K) -> Vec<GroupTotalDto> {
    totals_by(rows, key).into_iter().map(|(k, t)| GroupTotalDto { key: k.to_string(), total: t.into() }).collect()
}

/// The published CSR of a Pemda, for anyone: what the public page shows, as data.
#[utoipa::path(get, path = "/api/v1/public/{tenant_slug}/csr", tag = "csr",
    params(("tenant_slug" = String, Path, description = "e.g. kota-serang")), responses((status = 200, body = PublicCsrDto), (status = 404, body = super::ErrorBody)))]
pub async fn public_csr(
    State(state): State<AppState>,
    Path(tenant_slug): Path<String>,
) -> AppResult<Json<PublicCsrDto>> {
    let tenant = state.store.public_tenant(&tenant_slug).await?;
    let book = state.store.public_csr_book(&tenant.code).await?;
    let rows = book.published_realisations();
    Ok(Json(PublicCsrDto {
        tenant_code: tenant.code.to_string(),
        tenant_name: tenant.name,
        total: ReportedTotal::of(rows.iter().map(|r| r.value)).into(),
        by_company: groups(&rows, |r| r.partner_name.clone()),
        by_year: groups(&rows, |r| r.year()),
        by_category: groups(&rows, |r| r.category.slug()),
        by_kecamatan: groups(&rows, |r| r.kecamatan().map(|k| k.to_string()).unwrap_or_default()),
        realisations: rows
            .iter()
            .map(|r| RealisationDto {
                need_id: r.need_id.to_string(),
                programme: r.need_title.clone(),
                category: r.category.slug().to_owned(),
                company: r.partner_name.clone(),
                year: r.year(),
                window: r.window.key(),
                value: known(r.value),
                description: r.description.clone(),
                location_code: r.location.to_string(),
                kecamatan_code: r.kecamatan().map(|k| k.to_string()),
                evidence_file_ids: r.evidence.iter().map(|e| e.file_id.to_string()).collect(),
            })
            .collect(),
        open_needs: book.needs.iter().filter(|n| n.is_unfunded()).map(|n| need_dto(&book, n)).collect(),
        licence: "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); region codes: Kemendagri via idn-area-data, ODbL 1.0".into(),
    }))
}

//! The Labkesda as data: the catalogue, orders (a company's partner user gets only its own),
//! an order's results, the revenue report, and the public check of a certificate.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use sinergi_domain::lab::Limit;
use sinergi_store::lab::{LabOrderFilter, LabReport};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Authed;
use crate::error::AppResult;
use crate::pages::lab::lab_order_id;
use crate::pages::umkm::tenant_of;

#[derive(Serialize, ToSchema)]
pub struct LimitDto {
    /// The lower bound, inclusive; null when none.
    pub min: Option<f64>,
    /// The upper bound, inclusive; null when none.
    pub max: Option<f64>,
}

impl From<&Limit> for LimitDto {
    fn from(l: &Limit) -> Self {
        LimitDto { min: l.min(), max: l.max() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LabParameterDto {
    pub id: String,
    /// air-limbah, air-bersih, air-minum, udara-ambien, emisi, kebisingan.
    pub medium: String,
    pub name: String,
    pub unit: String,
    pub method: String,
    pub limit: LimitDto,
    pub legal_basis: String,
    /// Whole rupiah (retribution).
    pub tariff: i64,
    pub tariff_basis: String,
    pub turnaround_days: u32,
}

#[derive(Serialize, ToSchema)]
pub struct LabPackageDto {
    pub id: String,
    pub medium: String,
    pub name: String,
    pub parameter_ids: Vec<String>,
    pub tariff: i64,
    pub tariff_basis: String,
    pub turnaround_days: u32,
}

#[derive(Serialize, ToSchema)]
pub struct LabCatalogueDto {
    pub parameters: Vec<LabParameterDto>,
    pub packages: Vec<LabPackageDto>,
}

/// The tenant's laboratory catalogue with tariffs and quality standards.
#[utoipa::path(get, path = "/api/v1/lab/catalogue", tag = "lab", security(("bearer" = [])),
    responses((status = 200, body = LabCatalogueDto), (status = 403, body = super::ErrorBody)))]
pub async fn catalogue(State(state): State<AppState>, auth: Authed) -> AppResult<Json<LabCatalogueDto>> {
    let tenant = tenant_of(&auth.actor)?;
    let c = state.store.lab_catalogue(&auth.actor, &tenant).await?;
    Ok(Json(LabCatalogueDto {
        parameters: c
            .parameters
            .iter()
            .map(|p| LabParameterDto {
                id: p.id.to_string(),
                medium: p.medium.slug().to_owned(),
                name: p.name.clone(),
                unit: p.unit.clone(),
                method: p.method.clone(),
                limit: (&p.limit).into(),
                legal_basis: p.legal_basis.clone(),
                tariff: p.tariff,
                tariff_basis: p.tariff_basis.clone(),
                turnaround_days: p.turnaround_days,
            })
            .collect(),
        packages: c
            .packages
            .iter()
            .map(|p| LabPackageDto {
                id: p.id.to_string(),
                medium: p.medium.slug().to_owned(),
                name: p.name.clone(),
                parameter_ids: p.parameters.iter().map(|x| x.to_string()).collect(),
                tariff: p.tariff,
                tariff_basis: p.tariff_basis.clone(),
                turnaround_days: p.turnaround_days,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct LabOrderDto {
    pub id: String,
    pub number: String,
    pub partner_id: String,
    pub customer_name: String,
    /// The customer's kab/kota code.
    pub customer_region: Option<String>,
    pub medium: String,
    /// registered, quoted, paid, sampling-scheduled, received, to-be-verified, verified,
    /// published, rejected, cancelled.
    pub status: String,
    pub total: Option<i64>,
    pub paid_amount: Option<i64>,
    pub paid_on: Option<String>,
    pub ordered_at_ms: i64,
    pub published_at_ms: Option<i64>,
    pub certificate_code: Option<String>,
}

/// The orders the caller may see, newest first: the laboratory's, or a company's own.
#[utoipa::path(get, path = "/api/v1/lab/orders", tag = "lab", security(("bearer" = [])),
    responses((status = 200, body = [LabOrderDto]), (status = 403, body = super::ErrorBody)))]
pub async fn orders(State(state): State<AppState>, auth: Authed) -> AppResult<Json<Vec<LabOrderDto>>> {
    let tenant = tenant_of(&auth.actor)?;
    let rows = state.store.lab_orders(&auth.actor, &tenant, &LabOrderFilter::default()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|o| LabOrderDto {
                id: o.id.to_string(),
                number: o.number,
                partner_id: o.partner_id.to_string(),
                customer_name: o.customer_name,
                customer_region: o.customer_region,
                medium: o.medium.slug().to_owned(),
                status: o.status.slug().to_owned(),
                total: o.total,
                paid_amount: o.paid_amount,
                paid_on: o.paid_on,
                ordered_at_ms: o.ordered_at_ms,
                published_at_ms: o.published_at_ms,
                certificate_code: o.certificate_code,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct LabResultDto {
    pub parameter_id: String,
    pub name: String,
    pub unit: String,
    pub method: String,
    pub value: f64,
    pub limit: LimitDto,
    /// memenuhi, tidak-memenuhi, tanpa-baku-mutu.
    pub verdict: String,
}

#[derive(Serialize, ToSchema)]
pub struct LabResultsDto {
    pub order_id: String,
    pub status: String,
    /// The results' version (a retraction opens the next).
    pub version: u32,
    pub results: Vec<LabResultDto>,
}

/// An order's current results with their verdicts.
#[utoipa::path(get, path = "/api/v1/lab/orders/{lab_order_id}/results", tag = "lab", security(("bearer" = [])),
    params(("lab_order_id" = String, Path, description = "The order's id")),
    responses((status = 200, body = LabResultsDto), (status = 404, body = super::ErrorBody)))]
pub async fn results(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
) -> AppResult<Json<LabResultsDto>> {
    let tenant = tenant_of(&auth.actor)?;
    let o = state.store.lab_order(&auth.actor, &tenant, lab_order_id(&id)?).await?;
    Ok(Json(LabResultsDto {
        order_id: o.row.id.to_string(),
        status: o.row.status.slug().to_owned(),
        version: o.version,
        results: o
            .results
            .iter()
            .map(|r| LabResultDto {
                parameter_id: r.parameter_id.to_string(),
                name: r.name.clone(),
                unit: r.unit.clone(),
                method: r.method.clone(),
                value: r.value,
                limit: (&r.limit).into(),
                verdict: r.verdict.slug().to_owned(),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RevenueDto {
    pub key: String,
    pub label: String,
    pub orders: u32,
    pub amount: i64,
}

#[derive(Serialize, ToSchema)]
pub struct LabRevenueDto {
    pub total_revenue: i64,
    pub paid_orders: u32,
    pub open_orders: u32,
    /// (month "2026-09", orders, amount).
    pub by_month: Vec<(String, u32, i64)>,
    pub by_test: Vec<RevenueDto>,
    pub by_customer: Vec<RevenueDto>,
    /// By the customer's kab/kota code.
    pub by_region: Vec<RevenueDto>,
    pub turnaround_median_days: Option<f64>,
    pub turnaround_p90_days: Option<f64>,
    /// (parameter, pass, fail, no limit) over published certificates.
    pub verdicts: Vec<(String, u32, u32, u32)>,
}

fn rows(v: &[sinergi_store::lab::RevenueRow]) -> Vec<RevenueDto> {
    v.iter()
        .map(|r| RevenueDto { key: r.key.clone(), label: r.label.clone(), orders: r.orders, amount: r.amount })
        .collect()
}

/// The laboratory's retribution revenue (PAD), turnaround and pass/fail figures.
#[utoipa::path(get, path = "/api/v1/lab/revenue", tag = "lab", security(("bearer" = [])),
    responses((status = 200, body = LabRevenueDto), (status = 403, body = super::ErrorBody)))]
pub async fn revenue(State(state): State<AppState>, auth: Authed) -> AppResult<Json<LabRevenueDto>> {
    let tenant = tenant_of(&auth.actor)?;
    let r: LabReport = state.store.lab_report(&auth.actor, &tenant).await?;
    Ok(Json(LabRevenueDto {
        total_revenue: r.total_revenue,
        paid_orders: r.paid_orders,
        open_orders: r.open_orders,
        by_month: r.by_month.iter().map(|m| (m.month.clone(), m.orders, m.amount)).collect(),
        by_test: rows(&r.by_test),
        by_customer: rows(&r.by_customer),
        by_region: rows(&r.by_region),
        turnaround_median_days: r.turnaround.as_ref().map(|t| t.median_days),
        turnaround_p90_days: r.turnaround.as_ref().map(|t| t.p90_days),
        verdicts: r.verdicts.iter().map(|v| (v.name.clone(), v.pass, v.fail, v.no_limit)).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct LabCertificateDto {
    pub code: String,
    pub tenant_code: String,
    pub order_number: String,
    pub customer_name: String,
    pub medium: String,
    pub location: String,
    pub published_at_ms: i64,
    /// True when the results were retracted after publication: the certificate no longer stands.
    pub retracted: bool,
    pub results: Vec<(String, String, f64, LimitDto, String)>,
}

/// Check a laboratory certificate by its code: no login.
#[utoipa::path(get, path = "/api/v1/public/lab-certificates/{code}", tag = "lab",
    params(("code" = String, Path, description = "e.g. LAB-K7QM-2XHD-9PWA")),
    responses((status = 200, body = LabCertificateDto), (status = 404, body = super::ErrorBody)))]
pub async fn verify_certificate(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<LabCertificateDto>> {
    let v = state.store.verify_lab_certificate(&code).await?;
    Ok(Json(LabCertificateDto {
        code: v.code,
        tenant_code: v.tenant.to_string(),
        order_number: v.order_number,
        customer_name: v.customer_name,
        medium: v.medium.slug().to_owned(),
        location: v.location,
        published_at_ms: v.published_at_ms,
        retracted: v.retracted,
        results: v
            .results
            .iter()
            .map(|r| (r.name.clone(), r.unit.clone(), r.value, (&r.limit).into(), r.verdict.slug().to_owned()))
            .collect(),
    }))
}

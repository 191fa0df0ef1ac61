//! Money kept local as data: the Labkesda's retribution and the deals of demand matching by
//! month, with the payments behind them (the page `/nilai-lokal` reads the same figures).

use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use sinergi_store::local_value::{LocalLine, LocalMonth};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::pages::umkm::tenant_of;

#[derive(Deserialize, IntoParams)]
pub struct LocalValueParams {
    /// Only this year's payments (all years when absent), 2000 to 2100.
    pub year: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LocalMonthDto {
    /// "2026-11"; empty in the totals.
    pub month: String,
    /// The Labkesda's retribution (PAD), rupiah.
    pub retribution: i64,
    pub lab_orders: u32,
    /// The part of `retribution` paid by the partner Pemda's companies: counted on the
    /// cooperation agreement's PAD outcome.
    pub retribution_cooperation: i64,
    /// Deals with local suppliers from demand matching, rupiah.
    pub deals: i64,
    pub deal_count: u32,
    pub total: i64,
}

impl From<&LocalMonth> for LocalMonthDto {
    fn from(m: &LocalMonth) -> Self {
        LocalMonthDto {
            month: m.month.clone(),
            retribution: m.retribution,
            lab_orders: m.lab_orders,
            retribution_cooperation: m.retribution_cooperation,
            deals: m.deals,
            deal_count: m.deal_count,
            total: m.total(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LocalPaymentDto {
    /// "lab-retribution" or "deal".
    pub source: String,
    /// The payment's day, "2026-11-02".
    pub on: String,
    pub amount: i64,
    /// The lab order or the demand.
    pub record_id: String,
    pub reference: String,
    pub payer: String,
    /// The customer's kab/kota code (lab orders).
    pub payer_region: Option<String>,
    /// The supplier paid (deals); null for the laboratory's retribution.
    pub payee: Option<String>,
    pub in_cooperation: bool,
}

impl From<&LocalLine> for LocalPaymentDto {
    fn from(l: &LocalLine) -> Self {
        LocalPaymentDto {
            source: serde_json::to_value(l.source).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            on: l.on.to_string(),
            amount: l.amount,
            record_id: l.record_id.to_string(),
            reference: l.reference.clone(),
            payer: l.payer.clone(),
            payer_region: l.payer_region.clone(),
            payee: l.payee.clone(),
            in_cooperation: l.in_cooperation,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LocalValueDto {
    /// The agreement the laboratory serves: (id, title).
    pub agreement: Option<(String, String)>,
    /// Newest month first.
    pub months: Vec<LocalMonthDto>,
    pub totals: LocalMonthDto,
    /// Newest first.
    pub payments: Vec<LocalPaymentDto>,
}

/// The Pemda's money kept local: retribution and deals by month, and each payment.
#[utoipa::path(get, path = "/api/v1/local-value", tag = "demand", security(("bearer" = [])),
    params(LocalValueParams),
    responses((status = 200, body = LocalValueDto), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn local_value(
    State(state): State<AppState>,
    auth: Authed,
    Query(p): Query<LocalValueParams>,
) -> AppResult<Json<LocalValueDto>> {
    let year = p.year.as_deref().map(sinergi_store::cooperation::parse_year).transpose().map_err(AppError::Invalid)?;
    let tenant = tenant_of(&auth.actor)?;
    let v = state.store.money_kept_local(&auth.actor, &tenant, year).await?;
    Ok(Json(LocalValueDto {
        agreement: v.agreement.as_ref().map(|(id, t)| (id.to_string(), t.clone())),
        months: v.months.iter().map(LocalMonthDto::from).collect(),
        totals: LocalMonthDto::from(&v.totals),
        payments: v.lines.iter().map(LocalPaymentDto::from).collect(),
    }))
}

//! Demand matching over JSON (issue 7): the demands the caller may see, and the ranked local
//! suppliers for one demand with the reasons for each (the engine's reasons as data: a client
//! can show them in its own words). Money is whole rupiah.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use sinergi_domain::{RegionCode, Scope};
use sinergi_store::demand::DemandRow;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::jobs::today_wib;
use crate::pages::demand::{demand_id, ranked};

fn tenant_of(auth: &Authed) -> AppResult<RegionCode> {
    match &auth.actor.scope {
        Scope::Tenant(t) => Ok(t.clone()),
        Scope::Platform => Err(AppError::Forbidden),
    }
}

#[derive(Serialize, ToSchema)]
pub struct DemandDto {
    pub id: String,
    pub buyer_id: String,
    pub buyer_name: String,
    /// industri, sppg, ritel, koperasi, hotel, lainnya
    pub buyer_kind: String,
    pub title: String,
    pub category: Option<String>,
    pub kbli: Option<String>,
    pub description: String,
    pub quantity: i64,
    pub unit: String,
    /// sekali, harian, mingguan, bulanan
    pub frequency: String,
    /// The delivery location's region code (down to desa).
    pub region_code: String,
    /// Permit slugs: nib, pirt, halal, bpom-md, sni.
    pub permits: Vec<String>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub deadline: String,
    /// terbuka, ada-penawaran, sepakat, ditutup, kedaluwarsa
    pub status: String,
    pub deal_value: Option<i64>,
    pub deal_on: Option<String>,
}

fn dto(d: &DemandRow) -> DemandDto {
    DemandDto {
        id: d.id.to_string(),
        buyer_id: d.buyer_id.to_string(),
        buyer_name: d.buyer_name.clone(),
        buyer_kind: d.buyer_kind.slug().to_owned(),
        title: d.title.clone(),
        category: d.category.map(|c| c.slug().to_owned()),
        kbli: d.kbli.as_ref().map(|k| k.to_string()),
        description: d.description.clone(),
        quantity: d.quantity,
        unit: d.unit.clone(),
        frequency: d.frequency.slug().to_owned(),
        region_code: d.region.to_string(),
        permits: d.permits.iter().map(|p| p.slug().to_owned()).collect(),
        price_min: d.price_min,
        price_max: d.price_max,
        deadline: d.deadline.to_string(),
        status: d.status_on(today_wib()).slug().to_owned(),
        deal_value: d.deal_value,
        deal_on: d.deal_on.map(|d| d.to_string()),
    }
}

/// The demands the caller may see: the Pemda's people all of them, a partner's user its own and
/// those it was notified of, an UMKM owner those its businesses were notified of.
#[utoipa::path(get, path = "/api/v1/demands", tag = "demand", security(("bearer" = [])),
    responses((status = 200, body = [DemandDto]), (status = 403, body = super::ErrorBody)))]
pub async fn list_demands(State(state): State<AppState>, auth: Authed) -> AppResult<Json<Vec<DemandDto>>> {
    let tenant = tenant_of(&auth)?;
    let rows = state.store.demands(&auth.actor, &tenant).await?;
    Ok(Json(rows.iter().map(dto).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct SupplierMatchDto {
    /// umkm or mitra
    pub supplier_kind: String,
    pub supplier_id: String,
    pub name: String,
    pub score: u32,
    /// Each reason as data (`kind`: kbli, category, words, near, curated, channels, past-deals,
    /// permit-valid, capacity); the points of the reasons sum to the score.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct MatchesDto {
    pub demand: DemandDto,
    pub suppliers: Vec<SupplierMatchDto>,
}

/// The top 20 local suppliers for a demand, best first, with the reasons. For the buyer's side
/// and the Pemda's people; a supplier may not see its competitors.
#[utoipa::path(get, path = "/api/v1/demands/{demand_id}/matches", tag = "demand", security(("bearer" = [])),
    params(("demand_id" = String, Path, description = "The demand")),
    responses((status = 200, body = MatchesDto), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn demand_matches(
    State(state): State<AppState>,
    auth: Authed,
    Path(demand_id): Path<String>,
) -> AppResult<Json<MatchesDto>> {
    let tenant = tenant_of(&auth)?;
    let detail = state.store.demand(&auth.actor, &tenant, self::demand_id(&demand_id)?).await?;
    if !detail.may_decide && !auth.actor.role.is_internal() {
        return Err(AppError::Forbidden);
    }
    let top = ranked(&state, &tenant, &detail.demand).await?;
    let suppliers = top
        .iter()
        .map(|m| SupplierMatchDto {
            supplier_kind: m.supplier.kind_slug().to_owned(),
            supplier_id: m.supplier.uuid().to_string(),
            name: m.name.clone(),
            score: m.score,
            reasons: m.reasons.iter().filter_map(|r| serde_json::to_value(r).ok()).collect(),
        })
        .collect();
    Ok(Json(MatchesDto { demand: dto(&detail.demand), suppliers }))
}

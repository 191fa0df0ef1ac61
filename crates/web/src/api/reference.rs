//! Reference data over JSON: type-ahead for regions and KBLI, the list of urusan.

use axum::Json;
use axum::extract::Query;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Ctx;

#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words of the name, or the start of a code.
    pub q: String,
    /// At most this many results (default 20, at most 100).
    pub limit: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct RegionDto {
    /// Kemendagri code, e.g. 36.04.15.
    pub code: String,
    pub name: String,
    /// province, regency, district, village
    pub level: String,
    /// "Kecamatan Cikande, Kabupaten Serang".
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct KbliDto {
    pub code: String,
    pub title: String,
    /// kategori, golongan_pokok, golongan, subgolongan, kelompok
    pub level: String,
    pub parent: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UrusanDto {
    pub code: String,
    pub group: String,
    pub name: String,
}

fn limit(l: Option<usize>) -> usize {
    l.unwrap_or(20).clamp(1, 100)
}

fn level_str<T: Serialize>(level: T) -> String {
    serde_json::to_value(level).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

#[utoipa::path(get, path = "/api/v1/regions", tag = "reference", security(("bearer" = [])), params(SearchQuery),
    responses((status = 200, body = [RegionDto])))]
pub async fn regions(Query(q): Query<SearchQuery>) -> Json<Vec<RegionDto>> {
    Json(
        sinergi_reference::search_regions(&q.q, limit(q.limit))
            .into_iter()
            .map(|h| RegionDto {
                code: h.region.code.to_string(),
                name: h.region.name.clone(),
                level: level_str(h.region.level),
                label: h.label,
            })
            .collect(),
    )
}

#[utoipa::path(get, path = "/api/v1/kbli", tag = "reference", security(("bearer" = [])), params(SearchQuery),
    responses((status = 200, body = [KbliDto])))]
pub async fn kbli(Query(q): Query<SearchQuery>) -> Json<Vec<KbliDto>> {
    Json(
        sinergi_reference::search_kbli(&q.q, limit(q.limit))
            .into_iter()
            .map(|k| KbliDto {
                code: k.code.to_string(),
                title: k.title.clone(),
                level: level_str(k.code.level()),
                parent: k.parent.as_ref().map(|p| p.to_string()),
            })
            .collect(),
    )
}

#[utoipa::path(get, path = "/api/v1/urusan", tag = "reference", security(("bearer" = [])),
    responses((status = 200, body = [UrusanDto])))]
pub async fn urusan(ctx: Ctx) -> Json<Vec<UrusanDto>> {
    Json(
        sinergi_reference::urusan_all()
            .iter()
            .map(|u| UrusanDto {
                code: u.code.clone(),
                group: u.group.as_str().to_owned(),
                name: u.name(ctx.locale).to_owned(),
            })
            .collect(),
    )
}

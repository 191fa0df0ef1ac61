//! The public catalogue as data: the same search, from the same in-memory index, as the page
//! `/publik/{tenant_slug}/katalog`.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppResult;
use crate::pages::catalogue_public::{PER_PAGE, PublicQuery, Search, category_counts};

#[derive(Serialize, ToSchema)]
pub struct PublicProductDto {
    pub id: String,
    pub name: String,
    /// makanan, minuman, kerajinan, fesyen, pertanian, perikanan, jasa, lainnya.
    pub category: String,
    /// Whole rupiah per unit; null when the seller states none.
    pub price: Option<i64>,
    pub unit: String,
    pub capacity_per_month: Option<i64>,
    pub seller: String,
    /// Kecamatan code (e.g. 36.04.15).
    pub kecamatan: Option<String>,
    /// Permits valid today: pirt, bpom-md, halal, sni, nib.
    pub permits: Vec<String>,
    /// `https://wa.me/...`, only when the seller chose to publish their number.
    pub whatsapp: Option<String>,
    /// Path of the product's photo, when it has one.
    pub photo: Option<String>,
    /// Path of the product's public page.
    pub page: String,
}

#[derive(Serialize, ToSchema)]
pub struct PublicCatalogueDto {
    pub tenant_code: String,
    pub tenant_name: String,
    /// Products the search finds, over every page.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub products: Vec<PublicProductDto>,
    /// Curated products per category (the whole catalogue, not the search).
    pub categories: Vec<(String, usize)>,
}

/// The curated products of a Pemda, for anyone: search and filters as on the public page.
#[utoipa::path(get, path = "/api/v1/public/{tenant_slug}/katalog", tag = "catalogue",
    params(
        ("tenant_slug" = String, Path, description = "e.g. kabupaten-serang"),
        ("q" = Option<String>, Query, description = "Words of the product or seller name"),
        ("category" = Option<String>, Query, description = "makanan, minuman, kerajinan, fesyen, pertanian, perikanan, jasa, lainnya"),
        ("kecamatan" = Option<String>, Query, description = "Kecamatan code, e.g. 36.04.15"),
        ("permit" = Option<String>, Query, description = "pirt, bpom-md, halal, sni"),
        ("page" = Option<usize>, Query, description = "From 1; 24 products a page"),
    ),
    responses((status = 200, body = PublicCatalogueDto), (status = 404, body = super::ErrorBody)))]
pub async fn public_catalogue(
    State(state): State<AppState>,
    Path(tenant_slug): Path<String>,
    Query(q): Query<PublicQuery>,
) -> AppResult<Json<PublicCatalogueDto>> {
    let tenant = state.store.public_tenant(&tenant_slug).await?;
    let (search, page) = Search::parse(&q);
    let index = state.catalogue_index.get(&state.store, &tenant.code).await?;
    let (hits, total) = index.search(&search, page);
    let tr = crate::i18n::Tr::new(sinergi_domain::format::Locale::Id);
    let products = hits
        .into_iter()
        .map(|p| PublicProductDto {
            id: p.id.to_string(),
            name: p.name.clone(),
            category: p.category.slug().to_owned(),
            price: p.price,
            unit: p.unit.clone(),
            capacity_per_month: p.capacity_per_month,
            seller: p.business_name.clone(),
            kecamatan: p.kecamatan.as_ref().map(|k| k.to_string()),
            permits: p.badges.iter().map(|b| b.slug().to_owned()).collect(),
            whatsapp: p.phone.as_ref().and_then(|ph| {
                sinergi_domain::market::catalogue::whatsapp_link(ph, &tr.t1("catalogue-wa-message", "name", &p.name))
            }),
            photo: p.photo.map(|f| format!("/publik/{tenant_slug}/katalog/foto/{f}")),
            page: format!("/publik/{tenant_slug}/katalog/{}", p.id),
        })
        .collect();
    Ok(Json(PublicCatalogueDto {
        tenant_code: tenant.code.to_string(),
        tenant_name: tenant.name.clone(),
        total,
        page,
        per_page: PER_PAGE,
        products,
        categories: category_counts(&index).into_iter().map(|(k, n)| (k.to_owned(), n)).collect(),
    }))
}

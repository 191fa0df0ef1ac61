//! The public catalogue of a Pemda's curated UMKM products (no login): search by words,
//! category, kecamatan and permit, paged cards with a photo, the price per unit, permit
//! badges, the seller, and a WhatsApp link when the seller chose to publish it; one page per
//! product; the galleries where products can be seen and bought.
//!
//! Speed: a Pemda may publish 100,000 products, and a phone on a slow connection should get a
//! page in well under 50 ms of server time (bench/catalogue.md). So the curated products of a
//! tenant live in memory ([`CatalogueIndex`]) with posting lists per category, kecamatan and
//! permit; a request asks the store only "did any product change?" (the latest `updated_at`,
//! one index probe) and rebuilds the tenant's index in the background when it did, serving the
//! previous one meanwhile. Writes through this server wait for the rebuild, so their author sees
//! the change at once; a change to a business (its name, phone or permits) shows within
//! [`MAX_AGE`].

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sinergi_domain::format::Locale;
use sinergi_domain::market::catalogue::{Category, search_key, whatsapp_link};
use sinergi_domain::umkm::PermitKind;
use sinergi_domain::{FileId, ProductId, RegionCode};
use sinergi_store::catalogue::{Gallery, PublicProduct};
use sinergi_store::tenants::Tenant;

use super::csr_public::region_name;
use super::upload::send_file;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

/// Cards per page: a phone screen scrolls through these quickly; more is a heavier page.
pub const PER_PAGE: usize = 24;
/// The oldest an index may get before it is rebuilt anyway (a business renamed, a permit
/// lapsed at midnight).
const MAX_AGE: Duration = Duration::from_secs(300);

// ---------------------------------------------------------------------------------------------
// The index

/// One tenant's curated products, with posting lists (positions in `products`, ascending).
pub struct TenantIndex {
    version: i64,
    built: Instant,
    pub products: Vec<PublicProduct>,
    /// Every word of the products' names, descriptions and sellers (folded), in order, with the
    /// products it occurs in: a typed word is the prefix of a range of these.
    tokens: Vec<(String, Vec<u32>)>,
    by_category: HashMap<Category, Vec<u32>>,
    by_kecamatan: HashMap<RegionCode, Vec<u32>>,
    by_permit: HashMap<PermitKind, Vec<u32>>,
    positions: HashMap<ProductId, u32>,
}

impl TenantIndex {
    fn build(version: i64, products: Vec<PublicProduct>) -> Self {
        let mut by_category: HashMap<Category, Vec<u32>> = HashMap::new();
        let mut by_kecamatan: HashMap<RegionCode, Vec<u32>> = HashMap::new();
        let mut by_permit: HashMap<PermitKind, Vec<u32>> = HashMap::new();
        let mut positions = HashMap::with_capacity(products.len());
        let mut words: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, p) in products.iter().enumerate() {
            let i = i as u32;
            by_category.entry(p.category).or_default().push(i);
            if let Some(k) = &p.kecamatan {
                by_kecamatan.entry(k.clone()).or_default().push(i);
            }
            for b in &p.badges {
                by_permit.entry(*b).or_default().push(i);
            }
            positions.insert(p.id, i);
            let seller = search_key(&p.business_name);
            for w in p.search_key.split(' ').chain(seller.split(' ')).filter(|w| !w.is_empty()) {
                let list = words.entry(w.to_owned()).or_default();
                // Positions ascend; a word twice in one product is listed once.
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        let mut tokens: Vec<(String, Vec<u32>)> = words.into_iter().collect();
        tokens.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        TenantIndex {
            version,
            built: Instant::now(),
            products,
            tokens,
            by_category,
            by_kecamatan,
            by_permit,
            positions,
        }
    }

    /// The products a search finds, in name order: the page asked for and the total.
    pub fn search(&self, s: &Search, page: usize) -> (Vec<&PublicProduct>, usize) {
        // Start from the shortest posting list the filters name; check the rest per product.
        let mut lists: Vec<&[u32]> = Vec::new();
        let empty: &[u32] = &[];
        if let Some(c) = s.category {
            lists.push(self.by_category.get(&c).map_or(empty, Vec::as_slice));
        }
        if let Some(k) = &s.kecamatan {
            lists.push(self.by_kecamatan.get(k).map_or(empty, Vec::as_slice));
        }
        if let Some(p) = s.permit {
            lists.push(self.by_permit.get(&p).map_or(empty, Vec::as_slice));
        }
        // Each typed word: the products with a word that starts with it.
        let word_lists: Vec<std::borrow::Cow<'_, [u32]>> =
            s.words.split(' ').filter(|w| !w.is_empty()).map(|w| self.starting_with(w)).collect();
        lists.extend(word_lists.iter().map(|l| l.as_ref()));
        let matches = |i: u32| -> bool {
            let p = &self.products[i as usize];
            s.category.is_none_or(|c| p.category == c)
                && s.kecamatan.as_ref().is_none_or(|k| p.kecamatan.as_ref() == Some(k))
                && s.permit.is_none_or(|b| p.badges.contains(&b))
                && word_lists.iter().all(|l| l.binary_search(&i).is_ok())
        };
        let skip = page.saturating_sub(1) * PER_PAGE;
        let mut total = 0usize;
        let mut hits = Vec::with_capacity(PER_PAGE);
        let mut take = |i: u32| {
            if matches(i) {
                if total >= skip && hits.len() < PER_PAGE {
                    hits.push(&self.products[i as usize]);
                }
                total += 1;
            }
        };
        match lists.into_iter().min_by_key(|l| l.len()) {
            Some(list) => list.iter().copied().for_each(&mut take),
            None => (0..self.products.len() as u32).for_each(&mut take),
        }
        (hits, total)
    }

    /// The products having a word that starts with `prefix`, ascending.
    fn starting_with(&self, prefix: &str) -> std::borrow::Cow<'_, [u32]> {
        let lo = self.tokens.partition_point(|(t, _)| t.as_str() < prefix);
        let hi = lo + self.tokens[lo..].partition_point(|(t, _)| t.starts_with(prefix));
        match &self.tokens[lo..hi] {
            [] => std::borrow::Cow::Borrowed(&[]),
            [(_, one)] => std::borrow::Cow::Borrowed(one.as_slice()),
            many => {
                let mut all: Vec<u32> = many.iter().flat_map(|(_, l)| l.iter().copied()).collect();
                all.sort_unstable();
                all.dedup();
                std::borrow::Cow::Owned(all)
            }
        }
    }

    /// Kecamatan with curated products, by name, with their counts: the filter's choices.
    pub fn kecamatan(&self) -> Vec<(RegionCode, usize)> {
        let mut out: Vec<(RegionCode, usize)> = self.by_kecamatan.iter().map(|(k, v)| (k.clone(), v.len())).collect();
        out.sort_by_cached_key(|(k, _)| region_name(k));
        out
    }

    pub fn get(&self, id: ProductId) -> Option<&PublicProduct> {
        self.positions.get(&id).map(|i| &self.products[*i as usize])
    }
}

/// Every tenant's index, built on first use.
///
/// A public request never waits for a rebuild once the tenant has an index: when the store
/// says the catalogue changed, the request gets the index it has and one rebuild starts in
/// the background (the change shows as soon as it is done: the rebuild's time, about a second
/// at 100,000 products on PostgreSQL). Only the first request after start waits, as there is
/// nothing to show yet. A write through this server calls [`CatalogueIndex::refresh`], which
/// waits for the rebuild, so the officer or owner who made the change sees it on the next page.
#[derive(Default)]
pub struct CatalogueIndex {
    tenants: Mutex<HashMap<String, Arc<TenantIndex>>>,
    /// One rebuild at a time: a burst of requests after a change starts one build rather
    /// than many.
    building: tokio::sync::Mutex<()>,
}

impl CatalogueIndex {
    fn cached(&self, tenant: &RegionCode) -> Option<Arc<TenantIndex>> {
        self.tenants.lock().unwrap_or_else(|p| p.into_inner()).get(tenant.as_str()).cloned()
    }

    fn is_fresh(index: &TenantIndex, version: i64) -> bool {
        index.version == version && index.built.elapsed() < MAX_AGE
    }

    /// The tenant's index: current with the store, or the previous one while its
    /// replacement is built in the background.
    pub async fn get(
        self: &Arc<Self>,
        store: &sinergi_store::Store,
        tenant: &RegionCode,
    ) -> AppResult<Arc<TenantIndex>> {
        let version = store.public_catalogue_version(tenant).await?;
        match self.cached(tenant) {
            Some(index) if Self::is_fresh(&index, version) => Ok(index),
            Some(stale) => {
                self.rebuild_in_background(store, tenant);
                Ok(stale)
            }
            None => self.rebuild(store, tenant).await,
        }
    }

    /// Rebuild the tenant's index now and wait for it: after a write through this server.
    pub async fn refresh(&self, store: &sinergi_store::Store, tenant: &RegionCode) -> AppResult<()> {
        self.rebuild(store, tenant).await.map(|_| ())
    }

    /// Start a rebuild unless one is already under way (its result is what the next requests
    /// want anyway).
    fn rebuild_in_background(self: &Arc<Self>, store: &sinergi_store::Store, tenant: &RegionCode) {
        if self.building.try_lock().is_err() {
            return;
        }
        let (this, store, tenant) = (Arc::clone(self), store.clone(), tenant.clone());
        tokio::spawn(async move {
            if let Err(e) = this.rebuild(&store, &tenant).await {
                tracing::warn!(tenant = %tenant, error = %e, "rebuilding the public catalogue failed; the previous index stays");
            }
        });
    }

    /// Build the tenant's index from the store, unless a build that finished while this one
    /// waited its turn is already current.
    async fn rebuild(&self, store: &sinergi_store::Store, tenant: &RegionCode) -> AppResult<Arc<TenantIndex>> {
        let _guard = self.building.lock().await;
        // Read the version before the products: a write in between makes the index look
        // older than it is, so the next request rebuilds once more, never the other way.
        let version = store.public_catalogue_version(tenant).await?;
        if let Some(i) = self.cached(tenant).filter(|i| Self::is_fresh(i, version)) {
            return Ok(i);
        }
        let products = store.public_catalogue(tenant).await?;
        let index = Arc::new(TenantIndex::build(version, products));
        self.tenants.lock().unwrap_or_else(|p| p.into_inner()).insert(tenant.to_string(), index.clone());
        Ok(index)
    }
}

// ---------------------------------------------------------------------------------------------
// The search

#[derive(Deserialize, Default)]
pub struct PublicQuery {
    q: Option<String>,
    category: Option<String>,
    kecamatan: Option<String>,
    permit: Option<String>,
    page: Option<String>,
    lang: Option<String>,
}

/// What the visitor asked for; a value that does not parse is ignored (a mangled link shows
/// the whole catalogue rather than an error).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    /// The words as typed, for the search box.
    pub text: String,
    /// The same, folded.
    pub words: String,
    pub category: Option<Category>,
    pub kecamatan: Option<RegionCode>,
    pub permit: Option<PermitKind>,
}

impl Search {
    pub fn parse(q: &PublicQuery) -> (Search, usize) {
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let typed: String = text(&q.q).unwrap_or_default().chars().take(100).collect();
        let search = Search {
            words: search_key(&typed),
            text: typed,
            category: text(&q.category).and_then(|s| s.parse().ok()),
            kecamatan: text(&q.kecamatan).and_then(|s| RegionCode::parse(&s).ok()),
            permit: text(&q.permit).and_then(|s| s.parse().ok()),
        };
        let page = text(&q.page).and_then(|s| s.parse().ok()).filter(|p| (1..=100_000).contains(p)).unwrap_or(1);
        (search, page)
    }

    /// The canonical query string (parsed values only, fixed order) for links.
    fn query(&self, page: usize, lang: &str) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.text.is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        if let Some(c) = self.category {
            pairs.push(("category", c.slug().to_owned()));
        }
        if let Some(k) = &self.kecamatan {
            pairs.push(("kecamatan", k.to_string()));
        }
        if let Some(p) = self.permit {
            pairs.push(("permit", p.slug().to_owned()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        pairs.push(("lang", lang.to_owned()));
        format!("?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }
}

// ---------------------------------------------------------------------------------------------
// Words shared with the officer's pages

pub fn category_label(tr: Tr, c: Category) -> String {
    tr.t(&format!("catalogue-category-{}", c.slug()))
}

pub fn permit_label(tr: Tr, p: PermitKind) -> String {
    tr.t(&format!("catalogue-permit-{}", p.slug()))
}

/// "Rp 25.000 / bungkus", or "harga tanya penjual" when none is stated.
pub fn price_label(tr: Tr, price: Option<i64>, unit: &str) -> String {
    match price {
        Some(p) => format!("{} / {unit}", tr.rupiah(p)),
        None => tr.t("catalogue-no-price"),
    }
}

/// The languages a public page is offered in; the permit filter's choices.
const PERMIT_FILTERS: [PermitKind; 4] = [PermitKind::Pirt, PermitKind::BpomMd, PermitKind::Halal, PermitKind::Sni];

// ---------------------------------------------------------------------------------------------
// Pages

pub struct Card {
    pub href: String,
    pub name: String,
    pub price: String,
    pub category: String,
    pub seller: String,
    pub kecamatan: Option<String>,
    pub badges: Vec<String>,
    pub photo: Option<String>,
    pub whatsapp: Option<String>,
}

fn card(tr: Tr, slug: &str, p: &PublicProduct) -> Card {
    let lang = tr.lang();
    Card {
        href: format!("/publik/{slug}/katalog/{}?lang={lang}", p.id),
        name: p.name.clone(),
        price: price_label(tr, p.price, &p.unit),
        category: category_label(tr, p.category),
        seller: p.business_name.clone(),
        kecamatan: p.kecamatan.as_ref().map(region_name),
        badges: p.badges.iter().map(|b| permit_label(tr, *b)).collect(),
        photo: p.photo.map(|f| photo_href(slug, f)),
        whatsapp: whatsapp(tr, p),
    }
}

fn whatsapp(tr: Tr, p: &PublicProduct) -> Option<String> {
    let phone = p.phone.as_ref()?;
    whatsapp_link(phone, &tr.t1("catalogue-wa-message", "name", &p.name))
}

fn photo_href(slug: &str, id: FileId) -> String {
    format!("/publik/{slug}/katalog/foto/{id}")
}

#[derive(Template)]
#[template(path = "catalogue_public.html")]
struct ListPage {
    tr: Tr,
    title: String,
    lang_id_href: String,
    lang_en_href: String,
    text: String,
    categories: Vec<(String, String, bool)>,
    kecamatan: Vec<(String, String, bool)>,
    permits: Vec<(String, String, bool)>,
    cards: Vec<Card>,
    found: String,
    page_label: Option<String>,
    prev_href: Option<String>,
    next_href: Option<String>,
    galleries_href: String,
}

/// The visitor's language: an explicit `?lang=` wins, else the language cookie.
fn language(ctx: &Ctx, lang: &Option<String>) -> (Tr, bool) {
    let explicit = lang.as_deref().and_then(|l| Locale::parse(l).ok());
    (Tr::new(explicit.unwrap_or(ctx.locale)), explicit.is_some())
}

/// A public HTML page: cacheable for a minute by any cache; varies by cookie when the
/// language came from one.
fn public_html(tr: Tr, explicit: bool, html: String) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=60"),
            (header::CONTENT_LANGUAGE, tr.lang()),
        ],
        html,
    )
        .into_response();
    if !explicit {
        response.headers_mut().insert(header::VARY, HeaderValue::from_static("cookie"));
    }
    response
}

fn rendered<T: Template>(t: &T) -> AppResult<String> {
    t.render().map_err(|e| AppError::Internal(anyhow::Error::new(e)))
}

pub(crate) fn render_list(tr: Tr, tenant: &Tenant, index: &TenantIndex, s: &Search, page: usize) -> AppResult<String> {
    let lang = tr.lang();
    let slug = tenant.slug.to_string();
    let (hits, total) = index.search(s, page);
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page.min(pages);
    let categories =
        Category::ALL.iter().map(|c| (c.slug().to_owned(), category_label(tr, *c), s.category == Some(*c))).collect();
    let kecamatan = index
        .kecamatan()
        .into_iter()
        .map(|(k, n)| {
            let chosen = s.kecamatan.as_ref() == Some(&k);
            (k.to_string(), format!("{} ({})", region_name(&k), tr.number(n as i64)), chosen)
        })
        .collect();
    let permits =
        PERMIT_FILTERS.iter().map(|p| (p.slug().to_owned(), permit_label(tr, *p), s.permit == Some(*p))).collect();
    rendered(&ListPage {
        tr,
        title: tr.t1("catpub-title", "name", &tenant.name),
        lang_id_href: s.query(page, "id"),
        lang_en_href: s.query(page, "en"),
        text: s.text.clone(),
        categories,
        kecamatan,
        permits,
        cards: hits.into_iter().map(|p| card(tr, &slug, p)).collect(),
        found: tr.t1("catpub-found", "count", tr.number(total as i64)),
        page_label: (pages > 1)
            .then(|| tr.targs("catpub-page-of", &[("page", page.to_string()), ("pages", pages.to_string())])),
        prev_href: (page > 1).then(|| s.query(page - 1, lang)),
        next_href: (page < pages).then(|| s.query(page + 1, lang)),
        galleries_href: format!("/publik/{slug}/galeri?lang={lang}"),
    })
}

/// `GET /publik/{tenant_slug}/katalog`: the catalogue, for anyone.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let tenant = state.store.public_tenant(&slug).await?;
    let (tr, explicit) = language(&ctx, &q.lang);
    let (search, page) = Search::parse(&q);
    let index = state.catalogue_index.get(&state.store, &tenant.code).await?;
    Ok(public_html(tr, explicit, render_list(tr, &tenant, &index, &search, page)?))
}

#[derive(Template)]
#[template(path = "catalogue_public_product.html")]
struct ProductPage {
    tr: Tr,
    title: String,
    back_href: String,
    lang_id_href: String,
    lang_en_href: String,
    card: Card,
    description: Option<String>,
    capacity: Option<String>,
    packaging: Option<String>,
    composition: Option<String>,
    expiry: Option<String>,
    producer_address: Option<String>,
    photos: Vec<String>,
    galleries: Vec<(String, String)>,
    galleries_href: String,
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

/// `GET /publik/{tenant_slug}/katalog/{product_id}`: one curated product.
pub async fn product(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, product_id)): Path<(String, String)>,
    Query(q): Query<LangQuery>,
) -> AppResult<Response> {
    let tenant = state.store.public_tenant(&slug).await?;
    let id: ProductId = product_id.parse().map_err(|_| AppError::NotFound)?;
    let (tr, explicit) = language(&ctx, &q.lang);
    let d = state.store.public_catalogue_product(&tenant.code, id).await?;
    let lang = tr.lang();
    let p = &d.product;
    let page = ProductPage {
        tr,
        title: p.name.clone(),
        back_href: format!("/publik/{slug}/katalog?lang={lang}"),
        lang_id_href: "?lang=id".to_owned(),
        lang_en_href: "?lang=en".to_owned(),
        card: card(tr, &slug, p),
        description: p.description.clone(),
        capacity: p.capacity_per_month.map(|c| tr.t1("catalogue-capacity-value", "count", tr.number(c))),
        packaging: p.packaging.clone(),
        composition: d.label.composition.clone(),
        expiry: d.label.expiry.clone(),
        producer_address: d.label.producer_address.clone(),
        photos: d.photos.iter().map(|ph| photo_href(&slug, ph.file_id)).collect(),
        galleries: d.galleries.iter().map(|g| (g.input.name.clone(), g.input.address.clone())).collect(),
        galleries_href: format!("/publik/{slug}/galeri?lang={lang}"),
    };
    Ok(public_html(tr, explicit, rendered(&page)?))
}

pub struct GalleryView {
    pub name: String,
    pub address: String,
    pub place: Option<String>,
    pub hours: Option<String>,
    pub contact: Option<String>,
    pub map: Option<String>,
    pub products: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "catalogue_public_galleries.html")]
struct GalleriesPage {
    tr: Tr,
    title: String,
    back_href: String,
    lang_id_href: String,
    lang_en_href: String,
    galleries: Vec<GalleryView>,
}

pub fn gallery_view(g: &Gallery, product_href: impl Fn(ProductId) -> String) -> GalleryView {
    GalleryView {
        name: g.input.name.clone(),
        address: g.input.address.clone(),
        place: g.input.region.as_ref().map(super::csr_public::location_label),
        hours: g.input.opening_hours.clone(),
        contact: g.input.contact.clone(),
        map: g
            .input
            .point
            .map(|(la, lo)| format!("https://www.openstreetmap.org/?mlat={la:.5}&mlon={lo:.5}#map=17/{la:.5}/{lo:.5}")),
        products: g.products.iter().map(|(id, name)| (product_href(*id), name.clone())).collect(),
    }
}

/// `GET /publik/{tenant_slug}/galeri`: where curated products can be seen and bought.
pub async fn galleries(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<LangQuery>,
) -> AppResult<Response> {
    let tenant = state.store.public_tenant(&slug).await?;
    let (tr, explicit) = language(&ctx, &q.lang);
    let lang = tr.lang();
    let list = state.store.public_galleries(&tenant.code).await?;
    let page = GalleriesPage {
        tr,
        title: tr.t1("catpub-galleries-title", "name", &tenant.name),
        back_href: format!("/publik/{slug}/katalog?lang={lang}"),
        lang_id_href: "?lang=id".to_owned(),
        lang_en_href: "?lang=en".to_owned(),
        galleries: list
            .iter()
            .map(|g| gallery_view(g, |id| format!("/publik/{slug}/katalog/{id}?lang={lang}")))
            .collect(),
    };
    Ok(public_html(tr, explicit, rendered(&page)?))
}

/// `GET /publik/{tenant_slug}/katalog/foto/{file_id}`: a photo of a curated product, and
/// nothing else.
pub async fn photo(
    State(state): State<AppState>,
    Path((slug, file_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let tenant = state.store.public_tenant(&slug).await?;
    let id: FileId = file_id.parse().map_err(|_| AppError::NotFound)?;
    let content = state.store.public_catalogue_file(&tenant.code, id).await?;
    let mut response = send_file(&content.name, content.file_type, content.bytes);
    // A kept photo never changes (a new photo is a new file): a phone fetches it once.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    Ok(response)
}

/// Counts per category of a tenant's catalogue (the JSON API's facets).
pub fn category_counts(index: &TenantIndex) -> BTreeMap<&'static str, usize> {
    Category::ALL.iter().map(|c| (c.slug(), index.by_category.get(c).map_or(0, Vec::len))).collect()
}

/// The catalogue's keys built from codes (categories, permits, statuses, checklist items,
/// outcomes, reasons, field errors, audit actions), for the locale completeness test.
#[cfg(test)]
pub(crate) fn locale_keys(wanted: &mut Vec<String>) {
    use sinergi_domain::market::catalogue::{CheckItem, ProductStatus, REASONS};
    wanted.extend(Category::ALL.iter().map(|c| format!("catalogue-category-{}", c.slug())));
    wanted.extend(PermitKind::ALL.iter().map(|p| format!("catalogue-permit-{}", p.slug())));
    wanted.extend(ProductStatus::ALL.iter().map(|s| format!("catalogue-status-{}", s.slug())));
    wanted.extend(CheckItem::ALL.iter().map(|c| format!("catalogue-check-{}", c.slug())));
    wanted.extend(["pass", "fail", "na"].map(|o| format!("catalogue-outcome-{o}")));
    wanted.extend(REASONS.iter().map(|r| format!("catalogue-why-{r}")));
    for reason in [
        "catalogue-not-next",
        "catalogue-checklist-failing",
        "catalogue-not-editable",
        "catalogue-photo-not-image",
        "catalogue-too-many-photos",
        "catalogue-not-curated",
        "catalogue-region-outside",
        "catalogue-point-outside",
        "catalogue-point-invalid",
        "catalogue-price-too-large",
        "catalogue-price-invalid",
        "catalogue-capacity-invalid",
    ] {
        wanted.push(format!("error-{reason}"));
    }
    for action in [
        "create-catalogue-product",
        "update-catalogue-product",
        "add-catalogue-photo",
        "submit-catalogue-product",
        "withdraw-catalogue-product",
        "restore-catalogue-product",
        "curate-catalogue-product",
        "return-catalogue-product",
        "seed-catalogue-products",
        "create-catalogue-gallery",
        "update-catalogue-gallery",
        "show-in-gallery",
        "remove-from-gallery",
    ] {
        wanted.push(format!("audit-action-{action}"));
    }
}

#[cfg(test)]
mod tests {
    use sinergi_domain::{BusinessId, ProductId};

    use super::*;

    fn product(
        name: &str,
        seller: &str,
        category: Category,
        kecamatan: &str,
        badges: Vec<PermitKind>,
    ) -> PublicProduct {
        PublicProduct {
            id: ProductId::new(),
            business: BusinessId::new(),
            business_name: seller.into(),
            name: name.into(),
            category,
            description: None,
            price: Some(10_000),
            unit: "bungkus".into(),
            capacity_per_month: None,
            packaging: None,
            kecamatan: RegionCode::parse(kecamatan).ok(),
            badges,
            phone: None,
            photo: None,
            search_key: search_key(name),
        }
    }

    fn names(hits: &[&PublicProduct]) -> Vec<String> {
        hits.iter().map(|p| p.name.clone()).collect()
    }

    #[test]
    fn words_are_prefixes_and_filters_combine() {
        let mut products = vec![
            product(
                "Emping Melinjo Balado",
                "Keripik Emping Tanara",
                Category::Makanan,
                "36.04.14",
                vec![PermitKind::Pirt],
            ),
            product("Emping Manis", "Dapur Bu Sari", Category::Makanan, "36.04.15", vec![]),
            product("Batik Motif Debus", "Batik Serang", Category::Fesyen, "36.04.14", vec![]),
            product("Kopi Bubuk", "Kedai Kopi Emping", Category::Minuman, "36.04.09", vec![PermitKind::Halal]),
        ];
        products.sort_by(|a, b| a.name.cmp(&b.name));
        let index = TenantIndex::build(1, products);
        let search = |words: &str, category, kecamatan: Option<&str>, permit| Search {
            text: words.into(),
            words: search_key(words),
            category,
            kecamatan: kecamatan.and_then(|k| RegionCode::parse(k).ok()),
            permit,
        };
        // "emp" is the start of "emping" in two names and one seller's name.
        let (hits, total) = index.search(&search("emp", None, None, None), 1);
        assert_eq!(
            (names(&hits), total),
            (vec!["Emping Manis".into(), "Emping Melinjo Balado".into(), "Kopi Bubuk".into()], 3)
        );
        let (hits, _) = index.search(&search("EMPING  balado", None, None, None), 1);
        assert_eq!(names(&hits), vec!["Emping Melinjo Balado".to_owned()]);
        let (hits, _) = index.search(&search("emping", None, Some("36.04.14"), Some(PermitKind::Pirt)), 1);
        assert_eq!(names(&hits), vec!["Emping Melinjo Balado".to_owned()]);
        let (hits, total) = index.search(&search("", Some(Category::Fesyen), None, None), 1);
        assert_eq!((names(&hits), total), (vec!["Batik Motif Debus".to_owned()], 1));
        assert_eq!(index.search(&search("mping", None, None, None), 1).1, 0, "a word's middle is not a prefix");
        assert_eq!(
            index.search(&search("", None, None, None), 2),
            (vec![], 4),
            "past the last page: none shown, all counted"
        );
        assert_eq!(index.kecamatan().len(), 3);
    }
}

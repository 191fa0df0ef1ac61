//! The curated catalogue for officers and owners.
//!
//! Officers (UMKM officers, the region admin) keep products for any business of the registry,
//! curate them against the checklist, and keep the galleries (under `/umkm/katalog`). An owner
//! keeps the products of a business whose claim an officer verified (under
//! `/usaha-saya/{business_id}/produk`). One product page serves both; what it offers depends
//! on who reads it. Every write drops the tenant's public index, so the public catalogue shows
//! a decision at once.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::files::{CheckedFile, MAX_FILE_BYTES, check_file};
use sinergi_domain::market::catalogue::{Category, CheckOutcome, CheckResult, ProductForm, ProductStatus};
use sinergi_domain::{BusinessId, FileId, GalleryId, ProductId, RegionCode};
use sinergi_store::catalogue::{CurationInput, GalleryInput, PhotoUpload, ProductDetail, ProductFilter};
use sinergi_store::umkm::BusinessFilter;

use super::catalogue_public::{GalleryView, category_label, gallery_view, permit_label, price_label};
use super::csr_public::region_name;
use super::umkm::tenant_of;
use super::upload::{MultipartForm, send_file};
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

fn parse_id<T: std::str::FromStr>(s: &str) -> AppResult<T> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// Where a product page lives and what its reader may do there.
#[derive(Clone)]
enum Place {
    Officer,
    Owner(BusinessId),
}

impl Place {
    fn base(&self, id: ProductId) -> String {
        match self {
            Place::Officer => format!("/umkm/katalog/{id}"),
            Place::Owner(b) => format!("/usaha-saya/{b}/produk/{id}"),
        }
    }
}

fn status_label(tr: Tr, s: ProductStatus) -> String {
    tr.t(&format!("catalogue-status-{}", s.slug()))
}

fn form_errors(tr: Tr, errors: &[FieldError]) -> FormErrors {
    let mut out = FormErrors::default();
    for e in errors {
        out.add(tr, e);
    }
    out
}

/// The public index of this tenant is stale after any write: rebuild it before answering, so
/// the writer's next page (and the public one) shows the change. The write is done by then: a
/// failed rebuild is logged, not shown as a failed write, and the next public request retries.
async fn refresh_public(state: &AppState, tenant: &RegionCode) {
    if let Err(e) = state.catalogue_index.refresh(&state.store, tenant).await {
        tracing::warn!(tenant = %tenant, error = %e, "rebuilding the public catalogue after a write failed");
    }
}

// ---------------------------------------------------------------------------------------------
// The product page

pub struct CheckRow {
    pub item: String,
    pub outcome: &'static str,
    pub outcome_label: String,
    pub why: Option<String>,
}

fn check_rows(tr: Tr, list: &[CheckResult]) -> Vec<CheckRow> {
    list.iter()
        .map(|c| {
            let outcome = match c.outcome {
                CheckOutcome::Pass => "pass",
                CheckOutcome::Fail => "fail",
                CheckOutcome::NotApplicable => "na",
            };
            CheckRow {
                item: tr.t(&format!("catalogue-check-{}", c.item.slug())),
                outcome,
                outcome_label: tr.t(&format!("catalogue-outcome-{outcome}")),
                why: c.reason.map(|r| tr.t(&format!("catalogue-why-{r}"))),
            }
        })
        .collect()
}

pub struct HistoryRow {
    pub at: String,
    pub by: String,
    pub decision: String,
    pub notes: Option<String>,
}

pub struct PhotoRow {
    small: String,
    big: String,
    /// Where the remove button posts.
    remove: String,
}

#[derive(Template)]
#[template(path = "catalogue_product.html")]
struct ProductPage {
    shell: Shell,
    base: String,
    officer: bool,
    name: String,
    business: String,
    business_href: Option<String>,
    kecamatan: Option<String>,
    status: String,
    status_slug: &'static str,
    notes: Option<String>,
    price: String,
    category: String,
    photos: Vec<PhotoRow>,
    checklist: Vec<CheckRow>,
    ready: bool,
    permits: Vec<String>,
    history: Vec<HistoryRow>,
    galleries: Vec<String>,
    public_href: Option<String>,
    can_submit: bool,
    can_withdraw: bool,
    can_restore: bool,
    can_curate: bool,
    editable: bool,
    photo_ok: bool,
    form: ProductForm,
    categories: Vec<(String, String)>,
    errors: FormErrors,
}

fn product_page(
    auth: &Authed,
    place: &Place,
    d: &ProductDetail,
    form: Option<ProductForm>,
    errors: FormErrors,
    public_slug: Option<&str>,
) -> ProductPage {
    let tr = auth.ctx.tr();
    let p = &d.product;
    let officer = matches!(place, Place::Officer);
    let base = place.base(p.id);
    let next = p.status.next();
    ProductPage {
        shell: Shell::new(&auth.ctx, "catalogue-product-title"),
        name: p.input.name.clone(),
        business: p.business_name.clone(),
        business_href: officer.then(|| format!("/umkm/{}", p.business)),
        kecamatan: p.kecamatan.as_ref().map(region_name),
        status: status_label(tr, p.status),
        status_slug: p.status.slug(),
        notes: p.notes.clone(),
        price: price_label(tr, p.input.price, &p.input.unit),
        category: category_label(tr, p.input.category),
        photos: p
            .photos
            .iter()
            .map(|ph| PhotoRow {
                small: format!("{base}/foto/{}", ph.small()),
                big: format!("{base}/foto/{}", ph.file_id),
                remove: format!("{base}/foto/{}/hapus", ph.file_id),
            })
            .collect(),
        ready: d.checklist.iter().all(|c| c.outcome != CheckOutcome::Fail),
        checklist: check_rows(tr, &d.checklist),
        permits: d
            .permits
            .iter()
            .map(|pm| {
                let until = pm
                    .expires
                    .map(|e| tr.t1("catalogue-permit-until", "date", sinergi_domain::format::format_date(e, tr.locale)))
                    .unwrap_or_default();
                format!("{} {} {until}", permit_label(tr, pm.kind), pm.number)
            })
            .collect(),
        history: d
            .curations
            .iter()
            .map(|c| HistoryRow {
                at: tr.datetime_ms(c.decided_at_ms),
                by: c.decided_by.clone(),
                decision: status_label(tr, c.decision),
                notes: c.notes.clone(),
            })
            .collect(),
        galleries: d.galleries.iter().map(|(_, n)| n.clone()).collect(),
        public_href: public_slug
            .filter(|_| p.status == ProductStatus::Curated)
            .map(|s| format!("/publik/{s}/katalog/{}", p.id)),
        can_submit: next.contains(&ProductStatus::Submitted),
        can_withdraw: next.contains(&ProductStatus::Withdrawn),
        can_restore: next.contains(&ProductStatus::Draft),
        can_curate: officer && matches!(p.status, ProductStatus::Submitted | ProductStatus::Curated),
        editable: p.status.editable(),
        photo_ok: p.photo_ok,
        form: form.unwrap_or_else(|| ProductForm::of(&p.input)),
        categories: Category::ALL.iter().map(|c| (c.slug().to_owned(), category_label(tr, *c))).collect(),
        errors,
        base,
        officer,
    }
}

/// The product, if the actor may see it at this place (an owner's product must be of the
/// business in the path).
async fn load(state: &AppState, auth: &Authed, place: &Place, id: ProductId) -> AppResult<ProductDetail> {
    let tenant = tenant_of(&auth.actor)?;
    if let Place::Owner(b) = place {
        state.store.owned_umkm_business(&auth.actor, &tenant, *b).await?;
    }
    let d = state.store.catalogue_product(&auth.actor, &tenant, id).await?;
    if let Place::Owner(b) = place
        && d.product.business != *b
    {
        return Err(AppError::NotFound);
    }
    Ok(d)
}

async fn public_slug(state: &AppState, auth: &Authed) -> Option<String> {
    let tenant = tenant_of(&auth.actor).ok()?;
    state.store.tenant(&auth.actor, &tenant).await.ok().map(|t| t.slug.to_string())
}

async fn show(state: &AppState, auth: &Authed, place: Place, id: ProductId) -> AppResult<Response> {
    let d = load(state, auth, &place, id).await?;
    let slug = public_slug(state, auth).await;
    Ok(render(&product_page(auth, &place, &d, None, FormErrors::default(), slug.as_deref())))
}

async fn update(
    state: &AppState,
    auth: &Authed,
    place: Place,
    id: ProductId,
    form: ProductForm,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let d = load(state, auth, &place, id).await?;
    let input = match form.parse() {
        Ok(i) => i,
        Err(errors) => {
            return Ok(render_invalid(&product_page(auth, &place, &d, Some(form), form_errors(tr, &errors), None)));
        }
    };
    if let Err(e) = state.store.update_catalogue_product(&auth.actor, &tenant, id, input).await {
        let mut errors = FormErrors::default();
        errors.absorb(tr, e.into())?;
        return Ok(render_invalid(&product_page(auth, &place, &d, Some(form), errors, None)));
    }
    refresh_public(state, &tenant).await;
    Ok(see_other(&format!("{}?saved=1", place.base(id))))
}

/// A thumbnail for a product photo, made off the async threads (`None` when the decoder
/// refuses the image: the original is shown instead).
async fn photo_upload(file: CheckedFile) -> AppResult<PhotoUpload> {
    let bytes = file.bytes.clone();
    let thumb = tokio::task::spawn_blocking(move || sinergi_io::thumbnail::jpeg_thumbnail(&bytes, 480))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("thumbnail: {e}")))?;
    let thumbnail = thumb.and_then(|bytes| {
        let stem = file.name.rsplit_once('.').map_or(file.name.as_str(), |(stem, _)| stem);
        check_file("photo", &format!("thumb-{stem}.jpg"), bytes, MAX_FILE_BYTES).ok()
    });
    Ok(PhotoUpload { file, thumbnail })
}

async fn add_photo(
    state: &AppState,
    auth: &Authed,
    place: Place,
    id: ProductId,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    // The product is found (or not) before the body is read.
    let d = load(state, auth, &place, id).await?;
    let again = |e: FieldError| render_invalid(&product_page(auth, &place, &d, None, form_errors(tr, &[e]), None));
    let mut form = match MultipartForm::read(multipart).await {
        Ok(f) => f,
        Err(AppError::Invalid(e)) => return Ok(again(e)),
        Err(e) => return Err(e),
    };
    let checked = match form.take_file("photo") {
        Some(sent) => check_file("photo", &sent.name, sent.bytes, MAX_FILE_BYTES),
        None => Err(FieldError::new("photo", "required")),
    };
    let file = match checked {
        Ok(f) if f.file_type.is_image() => f,
        Ok(_) => return Ok(again(FieldError::new("photo", "catalogue-photo-not-image"))),
        Err(e) => return Ok(again(e)),
    };
    let upload = photo_upload(file).await?;
    if let Err(e) = state.store.add_catalogue_photo(&auth.actor, &tenant, id, upload).await {
        let mut errors = FormErrors::default();
        errors.absorb(tr, e.into())?;
        return Ok(render_invalid(&product_page(auth, &place, &d, None, errors, None)));
    }
    refresh_public(state, &tenant).await;
    Ok(see_other(&format!("{}#photos", place.base(id))))
}

/// Remove one photo (a POST from the photo's button); the page again, at the photos.
async fn remove_photo(state: &AppState, auth: &Authed, place: Place, id: ProductId, file: &str) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let d = load(state, auth, &place, id).await?;
    let file: FileId = parse_id(file)?;
    if let Err(e) = state.store.remove_catalogue_photo(&auth.actor, &tenant, id, file).await {
        let mut errors = FormErrors::default();
        errors.absorb(tr, e.into())?;
        return Ok(render_invalid(&product_page(auth, &place, &d, None, errors, None)));
    }
    refresh_public(state, &tenant).await;
    Ok(see_other(&format!("{}#photos", place.base(id))))
}

pub async fn officer_photo_remove(
    State(state): State<AppState>,
    auth: Authed,
    Path((id, file)): Path<(String, String)>,
) -> AppResult<Response> {
    remove_photo(&state, &auth, Place::Officer, parse_id(&id)?, &file).await
}

#[derive(Deserialize, Default)]
pub struct StatusBody {
    #[serde(default)]
    to: String,
}

async fn move_status(
    state: &AppState,
    auth: &Authed,
    place: Place,
    id: ProductId,
    body: StatusBody,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let d = load(state, auth, &place, id).await?;
    let result = match body.to.parse::<ProductStatus>() {
        Ok(to) => state.store.move_catalogue_product(&auth.actor, &tenant, id, to).await.map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(FieldError::new("status", e.reason))),
    };
    if let Err(e) = result {
        let mut errors = FormErrors::default();
        errors.absorb(tr, e)?;
        return Ok(render_invalid(&product_page(auth, &place, &d, None, errors, None)));
    }
    refresh_public(state, &tenant).await;
    Ok(see_other(&place.base(id)))
}

async fn photo(state: &AppState, auth: &Authed, place: Place, id: ProductId, file: &str) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    load(state, auth, &place, id).await?;
    let file: FileId = parse_id(file)?;
    let content = state.store.catalogue_file(&auth.actor, &tenant, id, file).await?;
    Ok(send_file(&content.name, content.file_type, content.bytes))
}

// ---------------------------------------------------------------------------------------------
// Officers: the list, a new product, curation

pub struct ListRow {
    pub href: String,
    pub name: String,
    pub business: String,
    pub kecamatan: String,
    pub category: String,
    pub price: String,
    pub status: String,
    pub status_slug: &'static str,
    pub photo: Option<String>,
}

#[derive(Template)]
#[template(path = "catalogue_list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<ListRow>,
    q: String,
    statuses: Vec<(String, String, bool)>,
    categories: Vec<(String, String, bool)>,
    public_href: Option<String>,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    status: Option<String>,
    category: Option<String>,
    page: Option<String>,
}

/// Rows per page of the officer's list: enough to scan on a phone, small enough to stay fast
/// when a Pemda has tens of thousands of products.
const LIST_PAGE: u64 = 50;

fn list_rows(tr: Tr, rows: &[sinergi_store::catalogue::Product], href: impl Fn(ProductId) -> String) -> Vec<ListRow> {
    rows.iter()
        .map(|p| ListRow {
            href: href(p.id),
            name: p.input.name.clone(),
            business: p.business_name.clone(),
            kecamatan: p.kecamatan.as_ref().map(region_name).unwrap_or_else(|| "—".into()),
            category: category_label(tr, p.input.category),
            price: price_label(tr, p.input.price, &p.input.unit),
            status: status_label(tr, p.status),
            status_slug: p.status.slug(),
            photo: p.photos.first().map(|ph| format!("{}/foto/{}", href(p.id), ph.small())),
        })
        .collect()
}

/// `GET /umkm/katalog`: every product of the Pemda, the submitted ones first to hand.
pub async fn list(State(state): State<AppState>, auth: Authed, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let text = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let status = q.status.as_deref().and_then(|s| s.parse().ok());
    let category = q.category.as_deref().and_then(|s| s.parse().ok());
    // A page number that does not parse shows the first page (a mangled link is not an error).
    let page =
        q.page.as_deref().and_then(|s| s.trim().parse::<u64>().ok()).filter(|p| (1..=100_000).contains(p)).unwrap_or(1);
    // One row more than a page tells whether there is a next page without counting them all.
    let filter = ProductFilter {
        q: text.clone(),
        status,
        category,
        limit: LIST_PAGE + 1,
        offset: (page - 1) * LIST_PAGE,
        ..ProductFilter::default()
    };
    let mut rows = state.store.catalogue_products(&auth.actor, &tenant, &filter).await?;
    let more = rows.len() as u64 > LIST_PAGE;
    rows.truncate(LIST_PAGE as usize);
    let link = |page: u64| {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(t) = &text {
            pairs.push(("q", t.clone()));
        }
        if let Some(s) = status {
            pairs.push(("status", s.slug().to_owned()));
        }
        if let Some(c) = category {
            pairs.push(("category", c.slug().to_owned()));
        }
        pairs.push(("page", page.to_string()));
        format!("/umkm/katalog?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    };
    let prev_href = (page > 1).then(|| link(page - 1));
    let next_href = more.then(|| link(page + 1));
    let slug = public_slug(&state, &auth).await;
    render_ok(&ListPage {
        shell: Shell::new(&auth.ctx, "catalogue-title"),
        rows: list_rows(tr, &rows, |id| format!("/umkm/katalog/{id}")),
        q: text.unwrap_or_default(),
        statuses: ProductStatus::ALL
            .iter()
            .map(|s| (s.slug().to_owned(), status_label(tr, *s), status == Some(*s)))
            .collect(),
        categories: Category::ALL
            .iter()
            .map(|c| (c.slug().to_owned(), category_label(tr, *c), category == Some(*c)))
            .collect(),
        public_href: slug.map(|s| format!("/publik/{s}/katalog")),
        prev_href,
        next_href,
    })
}

fn render_ok<T: Template>(t: &T) -> AppResult<Response> {
    Ok(render(t))
}

#[derive(Template)]
#[template(path = "catalogue_new.html")]
struct NewPage {
    shell: Shell,
    action: String,
    q: String,
    /// Businesses found by the search: (id, name, kecamatan).
    found: Vec<(String, String, String)>,
    business: Option<(String, String)>,
    form: ProductForm,
    categories: Vec<(String, String)>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    q: Option<String>,
    business_id: Option<String>,
}

fn categories(tr: Tr) -> Vec<(String, String)> {
    Category::ALL.iter().map(|c| (c.slug().to_owned(), category_label(tr, *c))).collect()
}

async fn business_name(state: &AppState, auth: &Authed, id: BusinessId) -> AppResult<String> {
    let tenant = tenant_of(&auth.actor)?;
    Ok(state.store.umkm_business(&auth.actor, &tenant, id).await?.business.name)
}

/// `GET /umkm/katalog/baru`: find the business, then describe its product.
pub async fn new_form(State(state): State<AppState>, auth: Authed, Query(q): Query<NewQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let text = q.q.as_deref().map(str::trim).filter(|s| s.chars().count() >= 3).map(str::to_owned);
    let found = match &text {
        Some(t) => {
            let filter = BusinessFilter { q: Some(t.clone()), ..BusinessFilter::default() };
            state
                .store
                .umkm_businesses(&auth.actor, &tenant, &filter, 0, 10)
                .await?
                .rows
                .into_iter()
                .map(|b| (b.id.to_string(), b.name, b.kecamatan.as_ref().map(region_name).unwrap_or_default()))
                .collect()
        }
        None => Vec::new(),
    };
    let business = match q.business_id.as_deref().map(parse_id::<BusinessId>) {
        Some(id) => {
            let id = id?;
            Some((id.to_string(), business_name(&state, &auth, id).await?))
        }
        None => None,
    };
    render_ok(&NewPage {
        shell: Shell::new(&auth.ctx, "catalogue-new-title"),
        action: "/umkm/katalog".into(),
        q: text.unwrap_or_default(),
        found,
        business,
        form: ProductForm { category: "makanan".into(), ..ProductForm::default() },
        categories: categories(tr),
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize, Default)]
pub struct NewBody {
    #[serde(default)]
    business_id: String,
    #[serde(flatten)]
    form: ProductForm,
}

/// `POST /umkm/katalog`: a new draft product for a business of the registry.
pub async fn create(State(state): State<AppState>, auth: Authed, Form(body): Form<NewBody>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let business: BusinessId = parse_id(&body.business_id)?;
    // Another Pemda's business is not found before the form is looked at.
    let name = business_name(&state, &auth, business).await?;
    let page = |errors: FormErrors, form: ProductForm| NewPage {
        shell: Shell::new(&auth.ctx, "catalogue-new-title"),
        action: "/umkm/katalog".into(),
        q: String::new(),
        found: Vec::new(),
        business: Some((business.to_string(), name.clone())),
        form,
        categories: categories(tr),
        errors,
    };
    let input = match body.form.parse() {
        Ok(i) => i,
        Err(errors) => return Ok(render_invalid(&page(form_errors(tr, &errors), body.form))),
    };
    match state.store.create_catalogue_product(&auth.actor, &tenant, business, input).await {
        Ok(id) => Ok(see_other(&format!("/umkm/katalog/{id}"))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            Ok(render_invalid(&page(errors, body.form)))
        }
    }
}

pub async fn officer_show(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    show(&state, &auth, Place::Officer, parse_id(&id)?).await
}

pub async fn officer_update(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<ProductForm>,
) -> AppResult<Response> {
    update(&state, &auth, Place::Officer, parse_id(&id)?, form).await
}

pub async fn officer_photo_upload(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    add_photo(&state, &auth, Place::Officer, parse_id(&id)?, multipart).await
}

pub async fn officer_status(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(body): Form<StatusBody>,
) -> AppResult<Response> {
    move_status(&state, &auth, Place::Officer, parse_id(&id)?, body).await
}

pub async fn officer_photo(
    State(state): State<AppState>,
    auth: Authed,
    Path((id, file)): Path<(String, String)>,
) -> AppResult<Response> {
    photo(&state, &auth, Place::Officer, parse_id(&id)?, &file).await
}

#[derive(Deserialize, Default)]
pub struct CurateBody {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    photo_ok: Option<String>,
    #[serde(default)]
    notes: String,
}

/// `POST /umkm/katalog/{product_id}/kurasi`: curate or return with notes.
pub async fn curate(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(body): Form<CurateBody>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id: ProductId = parse_id(&id)?;
    let d = load(&state, &auth, &Place::Officer, id).await?;
    let decision = match body.decision.as_str() {
        "dikurasi" => Ok(ProductStatus::Curated),
        "dikembalikan" => Ok(ProductStatus::Returned),
        _ => Err(AppError::Invalid(FieldError::new("decision", "invalid-choice"))),
    };
    let result = match decision {
        Ok(decision) => state
            .store
            .curate_catalogue_product(
                &auth.actor,
                &tenant,
                id,
                CurationInput { decision, photo_ok: body.photo_ok.is_some(), notes: body.notes.clone() },
            )
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        let mut errors = FormErrors::default();
        errors.absorb(tr, e)?;
        return Ok(render_invalid(&product_page(&auth, &Place::Officer, &d, None, errors, None)));
    }
    refresh_public(&state, &tenant).await;
    Ok(see_other(&format!("/umkm/katalog/{id}")))
}

// ---------------------------------------------------------------------------------------------
// Galleries

#[derive(Deserialize, Default, Clone)]
pub struct GalleryBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    latitude: String,
    #[serde(default)]
    longitude: String,
    #[serde(default)]
    opening_hours: String,
    #[serde(default)]
    contact: String,
}

impl GalleryBody {
    fn of(g: &GalleryInput) -> Self {
        GalleryBody {
            name: g.name.clone(),
            address: g.address.clone(),
            region: g.region.as_ref().map(|r| r.to_string()).unwrap_or_default(),
            latitude: g.point.map(|p| p.0.to_string()).unwrap_or_default(),
            longitude: g.point.map(|p| p.1.to_string()).unwrap_or_default(),
            opening_hours: g.opening_hours.clone().unwrap_or_default(),
            contact: g.contact.clone().unwrap_or_default(),
        }
    }

    fn parse(&self) -> Result<GalleryInput, FieldError> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let region = match text(&self.region) {
            None => None,
            Some(r) => Some(RegionCode::parse(&r).map_err(|_| FieldError::new("region", "invalid-region-code"))?),
        };
        let number = |s: &str, field: &'static str| -> Result<Option<f64>, FieldError> {
            match text(s) {
                None => Ok(None),
                Some(v) => v
                    .replace(',', ".")
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| FieldError::new(field, "catalogue-point-invalid")),
            }
        };
        let point = match (number(&self.latitude, "latitude")?, number(&self.longitude, "longitude")?) {
            (Some(la), Some(lo)) => Some((la, lo)),
            (None, None) => None,
            _ => return Err(FieldError::new("longitude", "catalogue-point-invalid")),
        };
        Ok(GalleryInput {
            name: self.name.clone(),
            address: self.address.clone(),
            region,
            point,
            opening_hours: text(&self.opening_hours),
            contact: text(&self.contact),
        })
    }
}

#[derive(Template)]
#[template(path = "catalogue_galleries.html")]
struct GalleriesPage {
    shell: Shell,
    galleries: Vec<(String, GalleryView)>,
    form: GalleryBody,
    errors: FormErrors,
}

async fn galleries_page(
    state: &AppState,
    auth: &Authed,
    form: GalleryBody,
    errors: FormErrors,
) -> AppResult<GalleriesPage> {
    let tenant = tenant_of(&auth.actor)?;
    let list = state.store.catalogue_galleries(&auth.actor, &tenant).await?;
    Ok(GalleriesPage {
        shell: Shell::new(&auth.ctx, "catalogue-galleries-title"),
        galleries: list
            .iter()
            .map(|g| (format!("/umkm/katalog/galeri/{}", g.id), gallery_view(g, |id| format!("/umkm/katalog/{id}"))))
            .collect(),
        form,
        errors,
    })
}

pub async fn galleries(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    Ok(render(&galleries_page(&state, &auth, GalleryBody::default(), FormErrors::default()).await?))
}

pub async fn create_gallery(
    State(state): State<AppState>,
    auth: Authed,
    Form(body): Form<GalleryBody>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let result = match body.parse() {
        Ok(input) => state.store.create_catalogue_gallery(&auth.actor, &tenant, input).await.map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/umkm/katalog/galeri/{id}"))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            Ok(render_invalid(&galleries_page(&state, &auth, body, errors).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "catalogue_gallery.html")]
struct GalleryPage {
    shell: Shell,
    action: String,
    view: GalleryView,
    shown: Vec<(String, String)>,
    /// Curated products not yet shown here: (id, "name · business").
    choices: Vec<(String, String)>,
    form: GalleryBody,
    errors: FormErrors,
}

async fn gallery_page(
    state: &AppState,
    auth: &Authed,
    id: GalleryId,
    form: Option<GalleryBody>,
    errors: FormErrors,
) -> AppResult<GalleryPage> {
    let tenant = tenant_of(&auth.actor)?;
    let g = state.store.catalogue_gallery(&auth.actor, &tenant, id).await?;
    let curated = state
        .store
        .catalogue_products(
            &auth.actor,
            &tenant,
            &ProductFilter { status: Some(ProductStatus::Curated), limit: 1000, ..ProductFilter::default() },
        )
        .await?;
    let choices = curated
        .iter()
        .filter(|p| !g.products.iter().any(|(id, _)| *id == p.id))
        .map(|p| (p.id.to_string(), format!("{} · {}", p.input.name, p.business_name)))
        .collect();
    Ok(GalleryPage {
        shell: Shell::new(&auth.ctx, "catalogue-gallery-title"),
        action: format!("/umkm/katalog/galeri/{id}"),
        shown: g.products.iter().map(|(pid, name)| (pid.to_string(), name.clone())).collect(),
        view: gallery_view(&g, |pid| format!("/umkm/katalog/{pid}")),
        choices,
        form: form.unwrap_or_else(|| GalleryBody::of(&g.input)),
        errors,
    })
}

pub async fn gallery(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    Ok(render(&gallery_page(&state, &auth, parse_id(&id)?, None, FormErrors::default()).await?))
}

pub async fn update_gallery(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(body): Form<GalleryBody>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id: GalleryId = parse_id(&id)?;
    state.store.catalogue_gallery(&auth.actor, &tenant, id).await?;
    let result = match body.parse() {
        Ok(input) => {
            state.store.update_catalogue_gallery(&auth.actor, &tenant, id, input).await.map_err(AppError::from)
        }
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => {
            refresh_public(&state, &tenant).await;
            Ok(see_other(&format!("/umkm/katalog/galeri/{id}")))
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            Ok(render_invalid(&gallery_page(&state, &auth, id, Some(body), errors).await?))
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ShowBody {
    #[serde(default)]
    product_id: String,
    #[serde(default)]
    shown: String,
}

/// `POST /umkm/katalog/galeri/{gallery_id}/produk`: put a curated product on display, or
/// take it off (`shown=0`).
pub async fn gallery_product(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(body): Form<ShowBody>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id: GalleryId = parse_id(&id)?;
    state.store.catalogue_gallery(&auth.actor, &tenant, id).await?;
    let result = match body.product_id.parse::<ProductId>() {
        Ok(p) => state
            .store
            .set_gallery_product(&auth.actor, &tenant, id, p, body.shown != "0")
            .await
            .map_err(AppError::from),
        Err(_) => Err(AppError::Invalid(FieldError::new("product_id", "required"))),
    };
    if let Err(e) = result {
        let mut errors = FormErrors::default();
        errors.absorb(tr, e)?;
        return Ok(render_invalid(&gallery_page(&state, &auth, id, None, errors).await?));
    }
    refresh_public(&state, &tenant).await;
    Ok(see_other(&format!("/umkm/katalog/galeri/{id}")))
}

// ---------------------------------------------------------------------------------------------
// Owners

#[derive(Template)]
#[template(path = "catalogue_mine.html")]
struct MinePage {
    shell: Shell,
    business: String,
    action: String,
    rows: Vec<ListRow>,
    form: ProductForm,
    categories: Vec<(String, String)>,
    errors: FormErrors,
}

async fn mine_page(
    state: &AppState,
    auth: &Authed,
    business: BusinessId,
    form: ProductForm,
    errors: FormErrors,
) -> AppResult<MinePage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let d = state.store.owned_umkm_business(&auth.actor, &tenant, business).await?;
    let rows = state
        .store
        .catalogue_products(
            &auth.actor,
            &tenant,
            &ProductFilter { business: Some(business), ..ProductFilter::default() },
        )
        .await?;
    Ok(MinePage {
        shell: Shell::new(&auth.ctx, "catalogue-mine-title"),
        business: d.business.name,
        action: format!("/usaha-saya/{business}/produk"),
        rows: list_rows(tr, &rows, |id| format!("/usaha-saya/{business}/produk/{id}")),
        form,
        categories: categories(tr),
        errors,
    })
}

/// `GET /usaha-saya/{business_id}/produk`: the owner's products and a form for a new one.
pub async fn mine(State(state): State<AppState>, auth: Authed, Path(business): Path<String>) -> AppResult<Response> {
    let business: BusinessId = parse_id(&business)?;
    let form = ProductForm { category: "makanan".into(), show_contact: Some("on".into()), ..ProductForm::default() };
    Ok(render(&mine_page(&state, &auth, business, form, FormErrors::default()).await?))
}

pub async fn owner_create(
    State(state): State<AppState>,
    auth: Authed,
    Path(business): Path<String>,
    Form(form): Form<ProductForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let business: BusinessId = parse_id(&business)?;
    state.store.owned_umkm_business(&auth.actor, &tenant, business).await?;
    let input = match form.parse() {
        Ok(i) => i,
        Err(errors) => {
            return Ok(render_invalid(&mine_page(&state, &auth, business, form, form_errors(tr, &errors)).await?));
        }
    };
    match state.store.create_catalogue_product(&auth.actor, &tenant, business, input).await {
        Ok(id) => Ok(see_other(&format!("/usaha-saya/{business}/produk/{id}"))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            Ok(render_invalid(&mine_page(&state, &auth, business, form, errors).await?))
        }
    }
}

fn owner_place(business: &str) -> AppResult<Place> {
    Ok(Place::Owner(parse_id(business)?))
}

pub async fn owner_show(
    State(state): State<AppState>,
    auth: Authed,
    Path((business, id)): Path<(String, String)>,
) -> AppResult<Response> {
    show(&state, &auth, owner_place(&business)?, parse_id(&id)?).await
}

pub async fn owner_update(
    State(state): State<AppState>,
    auth: Authed,
    Path((business, id)): Path<(String, String)>,
    Form(form): Form<ProductForm>,
) -> AppResult<Response> {
    update(&state, &auth, owner_place(&business)?, parse_id(&id)?, form).await
}

pub async fn owner_photo_upload(
    State(state): State<AppState>,
    auth: Authed,
    Path((business, id)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    add_photo(&state, &auth, owner_place(&business)?, parse_id(&id)?, multipart).await
}

pub async fn owner_status(
    State(state): State<AppState>,
    auth: Authed,
    Path((business, id)): Path<(String, String)>,
    Form(body): Form<StatusBody>,
) -> AppResult<Response> {
    move_status(&state, &auth, owner_place(&business)?, parse_id(&id)?, body).await
}

pub async fn owner_photo(
    State(state): State<AppState>,
    auth: Authed,
    Path((business, id, file)): Path<(String, String, String)>,
) -> AppResult<Response> {
    photo(&state, &auth, owner_place(&business)?, parse_id(&id)?, &file).await
}

pub async fn owner_photo_remove(
    State(state): State<AppState>,
    auth: Authed,
    Path((business, id, file)): Path<(String, String, String)>,
) -> AppResult<Response> {
    remove_photo(&state, &auth, owner_place(&business)?, parse_id(&id)?, &file).await
}

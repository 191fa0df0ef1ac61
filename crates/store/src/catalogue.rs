//! The curated catalogue: products of registry businesses, their photos, the curation
//! decisions (with the checklist as the officer saw it), and the galleries that display curated
//! products.
//!
//! Who may do what: UMKM officers (`ManageUmkm`) keep every product and gallery of their
//! Pemda and alone curate; an owner (`OwnBusiness`) keeps the products of the businesses whose
//! claim an officer verified, and any other product answers "not found", as a product of
//! another Pemda does. The public reads (`public_*`) need no actor: they take a tenant the web
//! edge resolved from its public slug and return only curated products, with the seller's
//! phone only when the product says to show it.

use std::collections::HashMap;

use sea_query::{Expr, ExprTrait, Func, Order, Query, SelectStatement};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::files::FileType;
use sinergi_domain::market::catalogue::{
    Category, CheckResult, LabelInfo, MIN_CAPACITY_PER_MONTH, ProductFacts, ProductInput, ProductStatus, checklist,
    permit_badges, search_key,
};
use sinergi_domain::umkm::{Permit, PermitKind, Phone};
use sinergi_domain::{Actor, BusinessId, FileId, GalleryId, Permission, ProductId, RegionCode};
use time::Date;
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::audit::{Change, RecordType, record};
use crate::db::Tx;
use crate::files::{FileContent, insert_file, load_file};
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

/// Photos a product may carry: enough to show it from every side, few enough for a card.
pub const MAX_PHOTOS: usize = 6;

/// An uploaded photo and the thumbnail the edge made of it.
#[derive(Debug, Clone)]
pub struct PhotoUpload {
    pub file: sinergi_domain::files::CheckedFile,
    pub thumbnail: Option<sinergi_domain::files::CheckedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Photo {
    pub file_id: FileId,
    pub thumb_id: Option<FileId>,
}

impl Photo {
    /// What a list shows: the thumbnail when there is one.
    pub fn small(&self) -> FileId {
        self.thumb_id.unwrap_or(self.file_id)
    }
}

/// A product as officers and owners see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Product {
    pub id: ProductId,
    pub tenant: RegionCode,
    pub business: BusinessId,
    pub business_name: String,
    pub kecamatan: Option<RegionCode>,
    pub input: ProductInput,
    pub photo_ok: bool,
    pub status: ProductStatus,
    /// The officer's notes when the product was returned.
    pub notes: Option<String>,
    pub curated_at_ms: Option<i64>,
    pub curated_by: Option<String>,
    pub created_by: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub photos: Vec<Photo>,
}

/// One curation decision, as the product's history shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurationRow {
    pub decision: ProductStatus,
    pub checklist: Vec<CheckResult>,
    pub notes: Option<String>,
    pub decided_by: String,
    pub decided_at_ms: i64,
}

/// Everything the product page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ProductDetail {
    pub product: Product,
    /// The checklist as it stands today (permits expire; the business's phone changes).
    pub checklist: Vec<CheckResult>,
    pub curations: Vec<CurationRow>,
    pub permits: Vec<Permit>,
    pub has_phone: bool,
    pub galleries: Vec<(GalleryId, String)>,
}

/// Filters of the officer's list.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub status: Option<ProductStatus>,
    pub category: Option<Category>,
    pub business: Option<BusinessId>,
    /// Words of the name (any order).
    pub q: Option<String>,
    pub limit: u64,
    pub offset: u64,
}

/// An officer's verdict on a submitted (or curated) product.
#[derive(Debug, Clone)]
pub struct CurationInput {
    /// `Curated` or `Returned`.
    pub decision: ProductStatus,
    /// The officer's judgement of the photos (the one item the rule cannot decide).
    pub photo_ok: bool,
    pub notes: String,
}

/// A gallery as its form describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GalleryInput {
    pub name: String,
    pub address: String,
    /// The desa or kecamatan it stands in.
    pub region: Option<RegionCode>,
    pub point: Option<(f64, f64)>,
    pub opening_hours: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gallery {
    pub id: GalleryId,
    pub input: GalleryInput,
    /// Curated products it displays.
    pub products: Vec<(ProductId, String)>,
}

/// A curated product as the public catalogue shows it: no personal data but the phone of a
/// seller who chose to publish it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicProduct {
    pub id: ProductId,
    pub business: BusinessId,
    pub business_name: String,
    pub name: String,
    pub category: Category,
    pub description: Option<String>,
    pub price: Option<i64>,
    pub unit: String,
    pub capacity_per_month: Option<i64>,
    pub packaging: Option<String>,
    pub kecamatan: Option<RegionCode>,
    pub badges: Vec<PermitKind>,
    /// Only when the product says to show the contact and the number is a mobile one.
    #[serde(skip)]
    pub phone: Option<Phone>,
    /// The first photo's thumbnail (or the photo).
    pub photo: Option<FileId>,
    /// Name and description, folded for search.
    #[serde(skip)]
    pub search_key: String,
}

/// A curated product's public page: the card's facts, every photo, the label and galleries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicProductDetail {
    pub product: PublicProduct,
    pub label: LabelInfo,
    pub claims_halal: bool,
    pub photos: Vec<Photo>,
    pub galleries: Vec<Gallery>,
}

/// A product to load in bulk (demo data, the benchmark), already curated or not.
#[derive(Debug, Clone)]
pub struct SeedProduct {
    pub business: BusinessId,
    pub input: ProductInput,
    pub status: ProductStatus,
    pub photo_ok: bool,
}

// ---------------------------------------------------------------------------------------------
// Who may write

enum Editor {
    Officer,
    Owner,
}

fn writer(actor: &Actor, tenant: &RegionCode) -> Result<(RegionCode, Editor)> {
    let editor = if actor.can(Permission::ManageUmkm) {
        Editor::Officer
    } else if actor.can(Permission::OwnBusiness) {
        Editor::Owner
    } else {
        return Err(StoreError::Forbidden);
    };
    let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
    Ok((tenant, editor))
}

fn officer(actor: &Actor, permission: Permission, tenant: &RegionCode) -> Result<RegionCode> {
    if !actor.can(permission) {
        return Err(StoreError::Forbidden);
    }
    target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)
}

/// Readers: internal users see every product of the Pemda; an owner those of their own
/// businesses.
fn reader(actor: &Actor, tenant: &RegionCode) -> Result<(RegionCode, Editor)> {
    if actor.can(Permission::ViewUmkm) {
        return Ok((officer(actor, Permission::ViewUmkm, tenant)?, Editor::Officer));
    }
    writer(actor, tenant)
}

#[derive(sqlx::FromRow)]
struct BusinessRow {
    claimed_by: Option<Uuid>,
    merged_into: Option<Uuid>,
    phone: Option<String>,
}

async fn business(tx: &mut Tx, tenant: &RegionCode, id: BusinessId) -> Result<BusinessRow> {
    tx.fetch_optional(
        Query::select()
            .columns([UmkmBusinesses::ClaimedBy, UmkmBusinesses::MergedInto, UmkmBusinesses::Phone])
            .from(UmkmBusinesses::Table)
            .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(UmkmBusinesses::Id).eq(id.as_uuid())),
    )
    .await?
    .ok_or(StoreError::NotFound)
}

/// The business exists in the tenant and, for an owner, is theirs; a merged-away business
/// takes no new products (its survivor does).
async fn check_business(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    id: BusinessId,
    editor: &Editor,
) -> Result<()> {
    let b = business(tx, tenant, id).await?;
    if matches!(editor, Editor::Owner) && b.claimed_by != Some(actor.user_id.as_uuid()) {
        return Err(StoreError::NotFound);
    }
    if b.merged_into.is_some() {
        return Err(StoreError::Conflict { field: "merged_into" });
    }
    Ok(())
}

async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    id: String,
    action: &'static str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> Result<()> {
    record(
        tx,
        actor,
        Change {
            tenant: Some(tenant),
            action,
            record_type: RecordType::Catalogue,
            record_id: id,
            before,
            after: Some(after),
        },
    )
    .await
}

fn wib_today() -> Date {
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::now_utc().to_offset(offset).date()
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("catalogue {what}"))
}

// ---------------------------------------------------------------------------------------------
// Reading products

#[derive(sqlx::FromRow)]
struct ProductDb {
    tenant_code: String,
    id: Uuid,
    business_id: Uuid,
    business_name: String,
    kecamatan_code: Option<String>,
    name: String,
    category: String,
    description: Option<String>,
    price: Option<i64>,
    unit: String,
    capacity_per_month: Option<i64>,
    packaging: Option<String>,
    composition: Option<String>,
    expiry: Option<String>,
    producer_address: Option<String>,
    claims_halal: bool,
    show_contact: bool,
    photo_ok: bool,
    status: String,
    notes: Option<String>,
    curated_at: Option<i64>,
    curated_by: Option<String>,
    created_by: String,
    created_at: i64,
    updated_at: i64,
}

impl ProductDb {
    fn into_product(self, photos: Vec<Photo>) -> Result<Product> {
        Ok(Product {
            id: ProductId::from_uuid(self.id),
            tenant: RegionCode::parse(&self.tenant_code).map_err(|_| corrupt("tenant"))?,
            business: BusinessId::from_uuid(self.business_id),
            business_name: self.business_name,
            kecamatan: self.kecamatan_code.and_then(|k| RegionCode::parse(&k).ok()),
            input: ProductInput {
                name: self.name,
                category: self.category.parse().map_err(|_| corrupt("category"))?,
                description: self.description,
                price: self.price,
                unit: self.unit,
                capacity_per_month: self.capacity_per_month,
                packaging: self.packaging,
                label: LabelInfo {
                    composition: self.composition,
                    expiry: self.expiry,
                    producer_address: self.producer_address,
                },
                claims_halal: self.claims_halal,
                show_contact: self.show_contact,
            },
            photo_ok: self.photo_ok,
            status: self.status.parse().map_err(|_| corrupt("status"))?,
            notes: self.notes,
            curated_at_ms: self.curated_at,
            curated_by: self.curated_by,
            created_by: self.created_by,
            created_at_ms: self.created_at,
            updated_at_ms: self.updated_at,
            photos,
        })
    }
}

/// Products joined with their business (name, kecamatan), one tenant.
fn product_select(tenant: &RegionCode) -> SelectStatement {
    use CatalogueProducts as P;
    let mut q = Query::select();
    q.columns([
        (P::Table, P::TenantCode),
        (P::Table, P::Id),
        (P::Table, P::BusinessId),
        (P::Table, P::Name),
        (P::Table, P::Category),
        (P::Table, P::Description),
        (P::Table, P::Price),
        (P::Table, P::Unit),
        (P::Table, P::CapacityPerMonth),
        (P::Table, P::Packaging),
        (P::Table, P::Composition),
        (P::Table, P::Expiry),
        (P::Table, P::ProducerAddress),
        (P::Table, P::ClaimsHalal),
        (P::Table, P::ShowContact),
        (P::Table, P::PhotoOk),
        (P::Table, P::Status),
        (P::Table, P::Notes),
        (P::Table, P::CuratedAt),
        (P::Table, P::CuratedBy),
        (P::Table, P::CreatedBy),
        (P::Table, P::CreatedAt),
        (P::Table, P::UpdatedAt),
    ])
    .expr_as(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Name)), "business_name")
    .expr_as(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::KecamatanCode)), "kecamatan_code")
    .from(P::Table)
    .inner_join(
        UmkmBusinesses::Table,
        Expr::col((UmkmBusinesses::Table, UmkmBusinesses::TenantCode))
            .equals((P::Table, P::TenantCode))
            .and(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Id)).equals((P::Table, P::BusinessId))),
    )
    .and_where(Expr::col((P::Table, P::TenantCode)).eq(tenant.as_str()));
    q
}

#[derive(sqlx::FromRow)]
struct PhotoDb {
    product_id: Uuid,
    file_id: Uuid,
    thumb_file_id: Option<Uuid>,
}

async fn photos_of(tx: &mut Tx, tenant: &RegionCode, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Photo>>> {
    let mut out: HashMap<Uuid, Vec<Photo>> = HashMap::new();
    // Chunks keep the IN list under SQLite's bound-parameter limit.
    for chunk in ids.chunks(500) {
        let rows: Vec<PhotoDb> = tx
            .fetch_all(
                Query::select()
                    .columns([CataloguePhotos::ProductId, CataloguePhotos::FileId, CataloguePhotos::ThumbFileId])
                    .from(CataloguePhotos::Table)
                    .and_where(Expr::col(CataloguePhotos::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(CataloguePhotos::ProductId).is_in(chunk.iter().copied()))
                    .order_by(CataloguePhotos::CreatedAt, Order::Asc)
                    .order_by(CataloguePhotos::Id, Order::Asc),
            )
            .await?;
        for r in rows {
            out.entry(r.product_id).or_default().push(Photo {
                file_id: FileId::from_uuid(r.file_id),
                thumb_id: r.thumb_file_id.map(FileId::from_uuid),
            });
        }
    }
    Ok(out)
}

async fn load_product(tx: &mut Tx, tenant: &RegionCode, id: ProductId) -> Result<Product> {
    let row: ProductDb = tx
        .fetch_optional(
            product_select(tenant)
                .and_where(Expr::col((CatalogueProducts::Table, CatalogueProducts::Id)).eq(id.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut photos = photos_of(tx, tenant, &[id.as_uuid()]).await?;
    row.into_product(photos.remove(&id.as_uuid()).unwrap_or_default())
}

/// A product the actor may touch: any of the tenant's for an officer, one of their own
/// businesses' for an owner; anything else is not found.
async fn product_for(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    id: ProductId,
    editor: &Editor,
) -> Result<Product> {
    let product = load_product(tx, tenant, id).await?;
    if matches!(editor, Editor::Owner) {
        let b = business(tx, tenant, product.business).await?;
        if b.claimed_by != Some(actor.user_id.as_uuid()) {
            return Err(StoreError::NotFound);
        }
    }
    Ok(product)
}

#[derive(sqlx::FromRow)]
struct PermitDb {
    business_id: Uuid,
    kind: String,
    number: String,
    issued: Option<String>,
    expires: Option<String>,
}

impl PermitDb {
    fn into_permit(self) -> Option<Permit> {
        let date = |s: Option<String>| {
            s.and_then(|s| Date::parse(&s, &time::format_description::well_known::Iso8601::DATE).ok())
        };
        Some(Permit {
            kind: self.kind.parse().ok()?,
            number: self.number,
            issued: date(self.issued),
            expires: date(self.expires),
        })
    }
}

fn permit_select(tenant: &RegionCode) -> SelectStatement {
    Query::select()
        .columns([
            (UmkmPermits::Table, UmkmPermits::BusinessId),
            (UmkmPermits::Table, UmkmPermits::Kind),
            (UmkmPermits::Table, UmkmPermits::Number),
            (UmkmPermits::Table, UmkmPermits::Issued),
            (UmkmPermits::Table, UmkmPermits::Expires),
        ])
        .from(UmkmPermits::Table)
        .and_where(Expr::col((UmkmPermits::Table, UmkmPermits::TenantCode)).eq(tenant.as_str()))
        .to_owned()
}

async fn permits_of(tx: &mut Tx, tenant: &RegionCode, business: BusinessId) -> Result<Vec<Permit>> {
    let rows: Vec<PermitDb> = tx
        .fetch_all(permit_select(tenant).and_where(Expr::col(UmkmPermits::BusinessId).eq(business.as_uuid())))
        .await?;
    Ok(rows.into_iter().filter_map(PermitDb::into_permit).collect())
}

fn facts(p: &Product) -> ProductFacts {
    ProductFacts {
        category: p.input.category,
        price: p.input.price,
        unit: p.input.unit.clone(),
        capacity_per_month: p.input.capacity_per_month,
        photos: p.photos.len(),
        photo_ok: p.photo_ok,
        label: p.input.label.clone(),
        claims_halal: p.input.claims_halal,
    }
}

/// The checklist of a product today, with what it was judged on.
async fn judge(tx: &mut Tx, tenant: &RegionCode, p: &Product) -> Result<(Vec<CheckResult>, Vec<Permit>, bool)> {
    let permits = permits_of(tx, tenant, p.business).await?;
    let phone = business(tx, tenant, p.business).await?.phone.and_then(|s| Phone::parse(&s).ok());
    let list = checklist(&facts(p), &permits, phone.as_ref(), wib_today(), MIN_CAPACITY_PER_MONTH);
    Ok((list, permits, phone.is_some()))
}

fn product_snapshot(input: &ProductInput, status: ProductStatus) -> serde_json::Value {
    serde_json::json!({ "name": input.name, "product": input, "status": status.slug() })
}

fn input_values(input: &ProductInput) -> Vec<(CatalogueProducts, sea_query::SimpleExpr)> {
    use CatalogueProducts as P;
    let key = search_key(&format!("{} {}", input.name, input.description.as_deref().unwrap_or("")));
    vec![
        (P::Name, input.name.clone().into()),
        (P::SearchKey, key.into()),
        (P::Category, input.category.slug().into()),
        (P::Description, input.description.clone().into()),
        (P::Price, input.price.into()),
        (P::Unit, input.unit.clone().into()),
        (P::CapacityPerMonth, input.capacity_per_month.into()),
        (P::Packaging, input.packaging.clone().into()),
        (P::Composition, input.label.composition.clone().into()),
        (P::Expiry, input.label.expiry.clone().into()),
        (P::ProducerAddress, input.label.producer_address.clone().into()),
        (P::ClaimsHalal, input.claims_halal.into()),
        (P::ShowContact, input.show_contact.into()),
    ]
}

async fn set_status(
    tx: &mut Tx,
    tenant: &RegionCode,
    id: ProductId,
    status: ProductStatus,
    extra: Vec<(CatalogueProducts, sea_query::SimpleExpr)>,
) -> Result<()> {
    use CatalogueProducts as P;
    let mut values = vec![(P::Status, status.slug().into()), (P::UpdatedAt, now_ms().into())];
    values.extend(extra);
    tx.execute(
        Query::update()
            .table(P::Table)
            .values(values)
            .and_where(Expr::col(P::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(P::Id).eq(id.as_uuid())),
    )
    .await?;
    if matches!(
        status,
        ProductStatus::Withdrawn | ProductStatus::Returned | ProductStatus::Submitted | ProductStatus::Draft
    ) {
        // Only curated products stand in a gallery.
        tx.execute(
            Query::delete()
                .from_table(CatalogueGalleryProducts::Table)
                .and_where(Expr::col(CatalogueGalleryProducts::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(CatalogueGalleryProducts::ProductId).eq(id.as_uuid())),
        )
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Galleries

#[derive(sqlx::FromRow)]
struct GalleryDb {
    id: Uuid,
    name: String,
    address: String,
    region_code: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    opening_hours: Option<String>,
    contact: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ShownDb {
    gallery_id: Uuid,
    product_id: Uuid,
    name: String,
}

async fn read_galleries(tx: &mut Tx, tenant: &RegionCode, only: Option<GalleryId>) -> Result<Vec<Gallery>> {
    use CatalogueGalleries as G;
    use CatalogueGalleryProducts as GP;
    let mut q = Query::select();
    q.columns([G::Id, G::Name, G::Address, G::RegionCode, G::Latitude, G::Longitude, G::OpeningHours, G::Contact])
        .from(G::Table)
        .and_where(Expr::col(G::TenantCode).eq(tenant.as_str()))
        .order_by(G::Name, Order::Asc);
    if let Some(id) = only {
        q.and_where(Expr::col(G::Id).eq(id.as_uuid()));
    }
    let rows: Vec<GalleryDb> = tx.fetch_all(&q).await?;
    let mut shown_q = Query::select();
    shown_q
        .columns([(GP::Table, GP::GalleryId), (GP::Table, GP::ProductId)])
        .column((CatalogueProducts::Table, CatalogueProducts::Name))
        .from(GP::Table)
        .inner_join(
            CatalogueProducts::Table,
            Expr::col((CatalogueProducts::Table, CatalogueProducts::TenantCode))
                .equals((GP::Table, GP::TenantCode))
                .and(Expr::col((CatalogueProducts::Table, CatalogueProducts::Id)).equals((GP::Table, GP::ProductId))),
        )
        .and_where(Expr::col((GP::Table, GP::TenantCode)).eq(tenant.as_str()))
        .and_where(Expr::col((CatalogueProducts::Table, CatalogueProducts::Status)).eq(ProductStatus::Curated.slug()))
        .order_by((CatalogueProducts::Table, CatalogueProducts::Name), Order::Asc);
    if let Some(id) = only {
        shown_q.and_where(Expr::col((GP::Table, GP::GalleryId)).eq(id.as_uuid()));
    }
    let shown: Vec<ShownDb> = tx.fetch_all(&shown_q).await?;
    let mut by_gallery: HashMap<Uuid, Vec<(ProductId, String)>> = HashMap::new();
    for s in shown {
        by_gallery.entry(s.gallery_id).or_default().push((ProductId::from_uuid(s.product_id), s.name));
    }
    Ok(rows
        .into_iter()
        .map(|g| Gallery {
            id: GalleryId::from_uuid(g.id),
            products: by_gallery.remove(&g.id).unwrap_or_default(),
            input: GalleryInput {
                name: g.name,
                address: g.address,
                region: g.region_code.and_then(|r| RegionCode::parse(&r).ok()),
                point: g.latitude.zip(g.longitude),
                opening_hours: g.opening_hours,
                contact: g.contact,
            },
        })
        .collect())
}

/// The galleries showing one product: looked up by the product first (an index probe), so that
/// a product in no gallery costs no join over the tenant's products.
async fn galleries_of(tx: &mut Tx, tenant: &RegionCode, product: ProductId) -> Result<Vec<Gallery>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        gallery_id: Uuid,
    }
    let rows: Vec<Row> = tx
        .fetch_all(
            Query::select()
                .column(CatalogueGalleryProducts::GalleryId)
                .from(CatalogueGalleryProducts::Table)
                .and_where(Expr::col(CatalogueGalleryProducts::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(CatalogueGalleryProducts::ProductId).eq(product.as_uuid())),
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.extend(read_galleries(tx, tenant, Some(GalleryId::from_uuid(r.gallery_id))).await?);
    }
    Ok(out)
}

fn check_gallery(tenant: &RegionCode, g: &GalleryInput) -> Result<GalleryInput> {
    let clean = |s: &str, field: &'static str, max: usize| -> Result<String> {
        let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            return Err(StoreError::Invalid(FieldError::new(field, "required")));
        }
        if t.chars().count() > max {
            return Err(StoreError::Invalid(FieldError::new(field, "too-long")));
        }
        Ok(t)
    };
    let optional = |s: &Option<String>, field: &'static str, max: usize| -> Result<Option<String>> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => clean(s, field, max).map(Some),
        }
    };
    if let Some(r) = &g.region
        && !r.is_within(tenant)
    {
        return Err(StoreError::Invalid(FieldError::new("region", "catalogue-region-outside")));
    }
    if let Some((la, lo)) = g.point
        && !((-11.5..=6.5).contains(&la) && (94.5..=141.5).contains(&lo))
    {
        // Indonesia's bounding box: a swapped pair or a typo lands outside it.
        return Err(StoreError::Invalid(FieldError::new("latitude", "catalogue-point-outside")));
    }
    Ok(GalleryInput {
        name: clean(&g.name, "name", 150)?,
        address: clean(&g.address, "address", 300)?,
        region: g.region.clone(),
        point: g.point,
        opening_hours: optional(&g.opening_hours, "opening_hours", 150)?,
        contact: optional(&g.contact, "contact", 150)?,
    })
}

// ---------------------------------------------------------------------------------------------
// The public index rows

#[derive(sqlx::FromRow)]
struct PublicDb {
    id: Uuid,
    business_id: Uuid,
    business_name: String,
    kecamatan_code: Option<String>,
    phone: Option<String>,
    name: String,
    search_key: String,
    category: String,
    description: Option<String>,
    price: Option<i64>,
    unit: String,
    capacity_per_month: Option<i64>,
    packaging: Option<String>,
    show_contact: bool,
    composition: Option<String>,
    expiry: Option<String>,
    producer_address: Option<String>,
    claims_halal: bool,
}

fn public_select(tenant: &RegionCode) -> SelectStatement {
    use CatalogueProducts as P;
    Query::select()
        .columns([
            (P::Table, P::Id),
            (P::Table, P::BusinessId),
            (P::Table, P::Name),
            (P::Table, P::SearchKey),
            (P::Table, P::Category),
            (P::Table, P::Description),
            (P::Table, P::Price),
            (P::Table, P::Unit),
            (P::Table, P::CapacityPerMonth),
            (P::Table, P::Packaging),
            (P::Table, P::ShowContact),
            (P::Table, P::Composition),
            (P::Table, P::Expiry),
            (P::Table, P::ProducerAddress),
            (P::Table, P::ClaimsHalal),
        ])
        .expr_as(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Name)), "business_name")
        .expr_as(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::KecamatanCode)), "kecamatan_code")
        .expr_as(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Phone)), "phone")
        .from(P::Table)
        .inner_join(
            UmkmBusinesses::Table,
            Expr::col((UmkmBusinesses::Table, UmkmBusinesses::TenantCode))
                .equals((P::Table, P::TenantCode))
                .and(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Id)).equals((P::Table, P::BusinessId))),
        )
        .and_where(Expr::col((P::Table, P::TenantCode)).eq(tenant.as_str()))
        .and_where(Expr::col((P::Table, P::Status)).eq(ProductStatus::Curated.slug()))
        .to_owned()
}

impl PublicDb {
    fn into_public(
        self,
        permits: &[Permit],
        photo: Option<FileId>,
        today: Date,
    ) -> Result<(PublicProduct, LabelInfo, bool)> {
        let phone = if self.show_contact {
            self.phone.and_then(|p| Phone::parse(&p).ok()).filter(Phone::is_mobile)
        } else {
            None
        };
        Ok((
            PublicProduct {
                id: ProductId::from_uuid(self.id),
                business: BusinessId::from_uuid(self.business_id),
                business_name: self.business_name,
                name: self.name,
                category: self.category.parse().map_err(|_| corrupt("category"))?,
                description: self.description,
                price: self.price,
                unit: self.unit,
                capacity_per_month: self.capacity_per_month,
                packaging: self.packaging,
                kecamatan: self.kecamatan_code.and_then(|k| RegionCode::parse(&k).ok()),
                badges: permit_badges(permits, today),
                phone,
                photo,
                search_key: self.search_key,
            },
            LabelInfo { composition: self.composition, expiry: self.expiry, producer_address: self.producer_address },
            self.claims_halal,
        ))
    }
}

#[derive(sqlx::FromRow)]
struct VersionDb {
    latest: Option<i64>,
}

impl Store {
    // -----------------------------------------------------------------------------------------
    // Products: writing

    /// A new product, as a draft, of a business of the tenant (an owner: of their own).
    pub async fn create_catalogue_product(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        business_id: BusinessId,
        input: ProductInput,
    ) -> Result<ProductId> {
        use CatalogueProducts as P;
        let (tenant, editor) = writer(actor, tenant)?;
        let mut tx = self.begin().await?;
        check_business(&mut tx, actor, &tenant, business_id, &editor).await?;
        let id = ProductId::new();
        let now = now_ms();
        let mut values = vec![
            (P::TenantCode, tenant.as_str().into()),
            (P::Id, id.as_uuid().into()),
            (P::BusinessId, business_id.as_uuid().into()),
            (P::PhotoOk, false.into()),
            (P::Status, ProductStatus::Draft.slug().into()),
            (P::CreatedBy, actor.label.clone().into()),
            (P::CreatedAt, now.into()),
            (P::UpdatedAt, now.into()),
        ];
        values.extend(input_values(&input));
        let (cols, vals): (Vec<_>, Vec<_>) = values.into_iter().unzip();
        tx.execute(Query::insert().into_table(P::Table).columns(cols).values_panic(vals)).await?;
        let after = product_snapshot(&input, ProductStatus::Draft);
        audit(&mut tx, actor, &tenant, id.to_string(), "create_catalogue_product", None, after).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Change a product's description. An owner's change to a curated product sends it back to
    /// the officers (`Submitted`): the public sees only what an officer checked.
    pub async fn update_catalogue_product(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ProductId,
        input: ProductInput,
    ) -> Result<ProductStatus> {
        let (tenant, editor) = writer(actor, tenant)?;
        let mut tx = self.begin().await?;
        let before = product_for(&mut tx, actor, &tenant, id, &editor).await?;
        if !before.status.editable() {
            return Err(StoreError::Invalid(FieldError::new("status", "catalogue-not-editable")));
        }
        let status = match (&editor, before.status) {
            (Editor::Owner, ProductStatus::Curated) => ProductStatus::Submitted,
            (_, s) => s,
        };
        let mut values = input_values(&input);
        values.push((CatalogueProducts::UpdatedAt, now_ms().into()));
        tx.execute(
            Query::update()
                .table(CatalogueProducts::Table)
                .values(values)
                .and_where(Expr::col(CatalogueProducts::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(CatalogueProducts::Id).eq(id.as_uuid())),
        )
        .await?;
        if status != before.status {
            set_status(&mut tx, &tenant, id, status, vec![]).await?;
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "update_catalogue_product",
            Some(product_snapshot(&before.input, before.status)),
            product_snapshot(&input, status),
        )
        .await?;
        tx.commit().await?;
        Ok(status)
    }

    /// Add a photo (JPEG or PNG). An owner's new photo must be judged again: a curated product
    /// goes back to `Submitted`.
    pub async fn add_catalogue_photo(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ProductId,
        upload: PhotoUpload,
    ) -> Result<Photo> {
        let (tenant, editor) = writer(actor, tenant)?;
        if !upload.file.file_type.is_image() {
            return Err(StoreError::Invalid(FieldError::new("photo", "catalogue-photo-not-image")));
        }
        let mut tx = self.begin().await?;
        let product = product_for(&mut tx, actor, &tenant, id, &editor).await?;
        if !product.status.editable() {
            return Err(StoreError::Invalid(FieldError::new("status", "catalogue-not-editable")));
        }
        if product.photos.len() >= MAX_PHOTOS {
            return Err(StoreError::Invalid(FieldError::new("photo", "catalogue-too-many-photos")));
        }
        let (file_id, sha) = insert_file(&mut tx, actor, &tenant, &upload.file).await?;
        let thumb_id = match &upload.thumbnail {
            Some(t) => Some(insert_file(&mut tx, actor, &tenant, t).await?.0),
            None => None,
        };
        tx.execute(
            Query::insert()
                .into_table(CataloguePhotos::Table)
                .columns([
                    CataloguePhotos::TenantCode,
                    CataloguePhotos::Id,
                    CataloguePhotos::ProductId,
                    CataloguePhotos::FileId,
                    CataloguePhotos::ThumbFileId,
                    CataloguePhotos::CreatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    Uuid::now_v7().into(),
                    id.as_uuid().into(),
                    file_id.as_uuid().into(),
                    thumb_id.map(|t| t.as_uuid()).into(),
                    now_ms().into(),
                ]),
        )
        .await?;
        let status = match (&editor, product.status) {
            (Editor::Owner, ProductStatus::Curated) => ProductStatus::Submitted,
            (_, s) => s,
        };
        let photo_ok = matches!(editor, Editor::Officer) && product.photo_ok;
        set_status(&mut tx, &tenant, id, status, vec![(CatalogueProducts::PhotoOk, photo_ok.into())]).await?;
        let photo = Photo { file_id, thumb_id };
        let after =
            serde_json::json!({ "name": product.input.name, "photo": photo, "file": upload.file.name, "sha256": sha });
        audit(&mut tx, actor, &tenant, id.to_string(), "add_catalogue_photo", None, after).await?;
        tx.commit().await?;
        Ok(photo)
    }

    /// Remove a photo from a product. The file itself stays (the audit trail names it); the
    /// product no longer shows it. An owner's change sends a curated product back to be judged
    /// again, as adding a photo does; removing the last photo withdraws the officer's "photo is
    /// good" tick, since there is no photo left to be good.
    pub async fn remove_catalogue_photo(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ProductId,
        file: FileId,
    ) -> Result<()> {
        let (tenant, editor) = writer(actor, tenant)?;
        let mut tx = self.begin().await?;
        let product = product_for(&mut tx, actor, &tenant, id, &editor).await?;
        let Some(photo) = product.photos.iter().find(|p| p.file_id == file).cloned() else {
            return Err(StoreError::NotFound);
        };
        if !product.status.editable() {
            return Err(StoreError::Invalid(FieldError::new("status", "catalogue-not-editable")));
        }
        tx.execute(
            Query::delete()
                .from_table(CataloguePhotos::Table)
                .and_where(Expr::col(CataloguePhotos::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(CataloguePhotos::ProductId).eq(id.as_uuid()))
                .and_where(Expr::col(CataloguePhotos::FileId).eq(file.as_uuid())),
        )
        .await?;
        let left = product.photos.len() - 1;
        let status = match (&editor, product.status) {
            (Editor::Owner, ProductStatus::Curated) => ProductStatus::Submitted,
            (_, ProductStatus::Curated) if left == 0 => ProductStatus::Submitted,
            (_, s) => s,
        };
        let photo_ok = product.photo_ok && left > 0 && matches!(editor, Editor::Officer);
        set_status(&mut tx, &tenant, id, status, vec![(CatalogueProducts::PhotoOk, photo_ok.into())]).await?;
        let before = serde_json::json!({ "name": product.input.name, "photo": photo });
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "remove_catalogue_photo",
            Some(before),
            serde_json::json!({ "photos": left }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Submit for curation, withdraw, or bring a withdrawn product back as a draft: what an
    /// owner (or an officer for them) may do. Curating and returning are
    /// [`Store::curate_catalogue_product`]'s.
    pub async fn move_catalogue_product(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ProductId,
        to: ProductStatus,
    ) -> Result<ProductStatus> {
        if !matches!(to, ProductStatus::Submitted | ProductStatus::Withdrawn | ProductStatus::Draft) {
            return Err(StoreError::Invalid(FieldError::new("status", "catalogue-not-next")));
        }
        let (tenant, editor) = writer(actor, tenant)?;
        let mut tx = self.begin().await?;
        let product = product_for(&mut tx, actor, &tenant, id, &editor).await?;
        let to = product.status.step(to, &[], "").map_err(|e| StoreError::Invalid(e.field_error()))?;
        set_status(&mut tx, &tenant, id, to, vec![]).await?;
        let action = match to {
            ProductStatus::Submitted => "submit_catalogue_product",
            ProductStatus::Withdrawn => "withdraw_catalogue_product",
            _ => "restore_catalogue_product",
        };
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            action,
            Some(serde_json::json!({ "status": product.status.slug() })),
            serde_json::json!({ "name": product.input.name, "status": to.slug() }),
        )
        .await?;
        tx.commit().await?;
        Ok(to)
    }

    /// An officer's decision: curate (every checklist item passes or does not apply, judged
    /// now, with the officer's view of the photos) or return with notes. The checklist is kept
    /// with the decision.
    pub async fn curate_catalogue_product(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ProductId,
        decision: CurationInput,
    ) -> Result<Vec<CheckResult>> {
        use CatalogueProducts as P;
        let tenant = officer(actor, Permission::ManageUmkm, tenant)?;
        if !matches!(decision.decision, ProductStatus::Curated | ProductStatus::Returned) {
            return Err(StoreError::Invalid(FieldError::new("decision", "invalid-choice")));
        }
        let notes = decision.notes.trim().to_owned();
        if notes.chars().count() > 2000 {
            return Err(StoreError::Invalid(FieldError::new("notes", "too-long")));
        }
        let mut tx = self.begin().await?;
        let mut product = load_product(&mut tx, &tenant, id).await?;
        product.photo_ok = decision.photo_ok;
        let (list, _, _) = judge(&mut tx, &tenant, &product).await?;
        let to =
            product.status.step(decision.decision, &list, &notes).map_err(|e| StoreError::Invalid(e.field_error()))?;
        let now = now_ms();
        let notes_value: Option<String> = (!notes.is_empty()).then(|| notes.clone());
        let mut extra = vec![(P::PhotoOk, decision.photo_ok.into()), (P::Notes, notes_value.clone().into())];
        if to == ProductStatus::Curated {
            extra.push((P::CuratedAt, now.into()));
            extra.push((P::CuratedBy, actor.label.clone().into()));
        }
        set_status(&mut tx, &tenant, id, to, extra).await?;
        let checklist_json = serde_json::to_string(&list).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.execute(
            Query::insert()
                .into_table(CatalogueCurations::Table)
                .columns([
                    CatalogueCurations::TenantCode,
                    CatalogueCurations::Id,
                    CatalogueCurations::ProductId,
                    CatalogueCurations::Decision,
                    CatalogueCurations::Checklist,
                    CatalogueCurations::Notes,
                    CatalogueCurations::DecidedBy,
                    CatalogueCurations::DecidedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    Uuid::now_v7().into(),
                    id.as_uuid().into(),
                    to.slug().into(),
                    checklist_json.into(),
                    notes_value.clone().into(),
                    actor.label.clone().into(),
                    now.into(),
                ]),
        )
        .await?;
        let action = if to == ProductStatus::Curated { "curate_catalogue_product" } else { "return_catalogue_product" };
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            action,
            Some(serde_json::json!({ "status": product.status.slug() })),
            serde_json::json!({ "name": product.input.name, "status": to.slug(), "notes": notes_value, "checklist": list }),
        )
        .await?;
        tx.commit().await?;
        Ok(list)
    }

    /// Load many products at once (demo data, the benchmark): multi-row inserts in one
    /// transaction and one audit event for the batch. Officers only.
    pub async fn seed_catalogue_products(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        seeds: Vec<SeedProduct>,
    ) -> Result<Vec<ProductId>> {
        use CatalogueProducts as P;
        let tenant = officer(actor, Permission::ManageUmkm, tenant)?;
        let now = now_ms();
        let mut tx = self.begin().await?;
        let mut ids = Vec::with_capacity(seeds.len());
        // 21 columns a row: 500 rows stay under SQLite's 32,766 bound parameters.
        for chunk in seeds.chunks(500) {
            let mut q = Query::insert();
            let mut first = true;
            for s in chunk {
                let id = ProductId::new();
                ids.push(id);
                let curated = s.status == ProductStatus::Curated;
                let mut values = vec![
                    (P::TenantCode, tenant.as_str().into()),
                    (P::Id, id.as_uuid().into()),
                    (P::BusinessId, s.business.as_uuid().into()),
                    (P::PhotoOk, s.photo_ok.into()),
                    (P::Status, s.status.slug().into()),
                    (P::CuratedAt, curated.then_some(now).into()),
                    (P::CuratedBy, curated.then(|| actor.label.clone()).into()),
                    (P::CreatedBy, actor.label.clone().into()),
                    (P::CreatedAt, now.into()),
                    (P::UpdatedAt, now.into()),
                ];
                values.extend(input_values(&s.input));
                let (cols, vals): (Vec<_>, Vec<_>) = values.into_iter().unzip();
                if first {
                    q.into_table(P::Table).columns(cols);
                    first = false;
                }
                q.values_panic(vals);
            }
            if !first {
                tx.execute(&q).await?;
            }
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            tenant.to_string(),
            "seed_catalogue_products",
            None,
            serde_json::json!({ "count": ids.len() }),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Attach an already-kept photo to a product without auditing each (demo data only).
    pub async fn seed_catalogue_photo(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ProductId,
        upload: PhotoUpload,
    ) -> Result<Photo> {
        let tenant = officer(actor, Permission::ManageUmkm, tenant)?;
        let status_before = {
            let mut tx = self.begin_read().await?;
            load_product(&mut tx, &tenant, id).await?.status
        };
        let photo = self.add_catalogue_photo(actor, &tenant, id, upload).await?;
        // An officer's photo keeps the status; make sure the seeded judgement stands too.
        let mut tx = self.begin().await?;
        set_status(&mut tx, &tenant, id, status_before, vec![]).await?;
        tx.commit().await?;
        Ok(photo)
    }

    // -----------------------------------------------------------------------------------------
    // Products: reading

    /// The officer's list (every product of the Pemda), or an owner's (their businesses').
    pub async fn catalogue_products(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        filter: &ProductFilter,
    ) -> Result<Vec<Product>> {
        use CatalogueProducts as P;
        let (tenant, editor) = reader(actor, tenant)?;
        let mut q = product_select(&tenant);
        if matches!(editor, Editor::Owner) {
            q.and_where(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::ClaimedBy)).eq(actor.user_id.as_uuid()));
        }
        if let Some(s) = filter.status {
            q.and_where(Expr::col((P::Table, P::Status)).eq(s.slug()));
        }
        if let Some(c) = filter.category {
            q.and_where(Expr::col((P::Table, P::Category)).eq(c.slug()));
        }
        if let Some(b) = filter.business {
            q.and_where(Expr::col((P::Table, P::BusinessId)).eq(b.as_uuid()));
        }
        if let Some(words) = filter.q.as_deref().map(search_key).filter(|k| !k.is_empty()) {
            for w in words.split(' ') {
                q.and_where(Expr::col((P::Table, P::SearchKey)).like(format!("%{w}%")));
            }
        }
        let limit = if filter.limit == 0 { 200 } else { std::cmp::Ord::min(filter.limit, 1000) };
        q.order_by((P::Table, P::UpdatedAt), Order::Desc)
            .order_by((P::Table, P::Id), Order::Asc)
            .limit(limit)
            .offset(filter.offset);
        let mut tx = self.begin_read().await?;
        let rows: Vec<ProductDb> = tx.fetch_all(&q).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut photos = photos_of(&mut tx, &tenant, &ids).await?;
        tx.commit().await?;
        rows.into_iter()
            .map(|r| {
                let p = photos.remove(&r.id).unwrap_or_default();
                r.into_product(p)
            })
            .collect()
    }

    /// One product with its checklist today, its decisions and the galleries showing it.
    pub async fn catalogue_product(&self, actor: &Actor, tenant: &RegionCode, id: ProductId) -> Result<ProductDetail> {
        let (tenant, editor) = reader(actor, tenant)?;
        let mut tx = self.begin_read().await?;
        let product = product_for(&mut tx, actor, &tenant, id, &editor).await?;
        let (list, permits, has_phone) = judge(&mut tx, &tenant, &product).await?;
        #[derive(sqlx::FromRow)]
        struct CurationDb {
            decision: String,
            checklist: String,
            notes: Option<String>,
            decided_by: String,
            decided_at: i64,
        }
        let rows: Vec<CurationDb> = tx
            .fetch_all(
                Query::select()
                    .columns([
                        CatalogueCurations::Decision,
                        CatalogueCurations::Checklist,
                        CatalogueCurations::Notes,
                        CatalogueCurations::DecidedBy,
                        CatalogueCurations::DecidedAt,
                    ])
                    .from(CatalogueCurations::Table)
                    .and_where(Expr::col(CatalogueCurations::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(CatalogueCurations::ProductId).eq(id.as_uuid()))
                    .order_by(CatalogueCurations::DecidedAt, Order::Desc)
                    .order_by(CatalogueCurations::Id, Order::Desc),
            )
            .await?;
        let galleries = galleries_of(&mut tx, &tenant, id)
            .await?
            .into_iter()
            .filter(|g| g.products.iter().any(|(p, _)| *p == id))
            .map(|g| (g.id, g.input.name))
            .collect();
        tx.commit().await?;
        let curations = rows
            .into_iter()
            .map(|r| {
                Ok(CurationRow {
                    decision: r.decision.parse().map_err(|_| corrupt("decision"))?,
                    checklist: parse_checklist(&r.checklist),
                    notes: r.notes,
                    decided_by: r.decided_by,
                    decided_at_ms: r.decided_at,
                })
            })
            .collect::<Result<_>>()?;
        Ok(ProductDetail { product, checklist: list, curations, permits, has_phone, galleries })
    }

    /// A photo of a product the actor may read.
    pub async fn catalogue_file(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ProductId,
        file: FileId,
    ) -> Result<FileContent> {
        let (tenant, editor) = reader(actor, tenant)?;
        let mut tx = self.begin_read().await?;
        let product = product_for(&mut tx, actor, &tenant, id, &editor).await?;
        if !product.photos.iter().any(|p| p.file_id == file || p.thumb_id == Some(file)) {
            return Err(StoreError::NotFound);
        }
        let content = load_file(&mut tx, &tenant, file).await?;
        tx.commit().await?;
        Ok(content)
    }

    // -----------------------------------------------------------------------------------------
    // Galleries

    pub async fn create_catalogue_gallery(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        input: GalleryInput,
    ) -> Result<GalleryId> {
        use CatalogueGalleries as G;
        let tenant = officer(actor, Permission::ManageUmkm, tenant)?;
        let input = check_gallery(&tenant, &input)?;
        let id = GalleryId::new();
        let now = now_ms();
        let mut tx = self.begin().await?;
        tx.execute(
            Query::insert()
                .into_table(G::Table)
                .columns([
                    G::TenantCode,
                    G::Id,
                    G::Name,
                    G::Address,
                    G::RegionCode,
                    G::Latitude,
                    G::Longitude,
                    G::OpeningHours,
                    G::Contact,
                    G::CreatedAt,
                    G::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    input.name.clone().into(),
                    input.address.clone().into(),
                    input.region.as_ref().map(|r| r.to_string()).into(),
                    input.point.map(|p| p.0).into(),
                    input.point.map(|p| p.1).into(),
                    input.opening_hours.clone().into(),
                    input.contact.clone().into(),
                    now.into(),
                    now.into(),
                ]),
        )
        .await?;
        let after = serde_json::json!({ "name": input.name, "gallery": input });
        audit(&mut tx, actor, &tenant, id.to_string(), "create_catalogue_gallery", None, after).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_catalogue_gallery(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: GalleryId,
        input: GalleryInput,
    ) -> Result<()> {
        use CatalogueGalleries as G;
        let tenant = officer(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let before = read_galleries(&mut tx, &tenant, Some(id)).await?.pop().ok_or(StoreError::NotFound)?;
        let input = check_gallery(&tenant, &input)?;
        tx.execute(
            Query::update()
                .table(G::Table)
                .values([
                    (G::Name, input.name.clone().into()),
                    (G::Address, input.address.clone().into()),
                    (G::RegionCode, input.region.as_ref().map(|r| r.to_string()).into()),
                    (G::Latitude, input.point.map(|p| p.0).into()),
                    (G::Longitude, input.point.map(|p| p.1).into()),
                    (G::OpeningHours, input.opening_hours.clone().into()),
                    (G::Contact, input.contact.clone().into()),
                    (G::UpdatedAt, now_ms().into()),
                ])
                .and_where(Expr::col(G::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(G::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "update_catalogue_gallery",
            Some(serde_json::json!({ "gallery": before.input })),
            serde_json::json!({ "name": input.name, "gallery": input }),
        )
        .await?;
        tx.commit().await
    }

    /// Every gallery of the Pemda with the curated products it displays (internal users).
    pub async fn catalogue_galleries(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<Gallery>> {
        let tenant = officer(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        let out = read_galleries(&mut tx, &tenant, None).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn catalogue_gallery(&self, actor: &Actor, tenant: &RegionCode, id: GalleryId) -> Result<Gallery> {
        let tenant = officer(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        let out = read_galleries(&mut tx, &tenant, Some(id)).await?.pop().ok_or(StoreError::NotFound);
        tx.commit().await?;
        out
    }

    /// Put a curated product on display in a gallery, or take it off.
    pub async fn set_gallery_product(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        gallery: GalleryId,
        product: ProductId,
        shown: bool,
    ) -> Result<()> {
        use CatalogueGalleryProducts as GP;
        let tenant = officer(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let g = read_galleries(&mut tx, &tenant, Some(gallery)).await?.pop().ok_or(StoreError::NotFound)?;
        let p = load_product(&mut tx, &tenant, product).await?;
        let there = g.products.iter().any(|(id, _)| *id == product);
        if shown && !there {
            if p.status != ProductStatus::Curated {
                return Err(StoreError::Invalid(FieldError::new("product_id", "catalogue-not-curated")));
            }
            tx.execute(
                Query::insert()
                    .into_table(GP::Table)
                    .columns([GP::TenantCode, GP::GalleryId, GP::ProductId, GP::AddedAt])
                    .values_panic([
                        tenant.as_str().into(),
                        gallery.as_uuid().into(),
                        product.as_uuid().into(),
                        now_ms().into(),
                    ]),
            )
            .await?;
        } else if !shown && there {
            tx.execute(
                Query::delete()
                    .from_table(GP::Table)
                    .and_where(Expr::col(GP::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(GP::GalleryId).eq(gallery.as_uuid()))
                    .and_where(Expr::col(GP::ProductId).eq(product.as_uuid())),
            )
            .await?;
        } else {
            // Nothing changes; nothing to record.
            return tx.commit().await;
        }
        let action = if shown { "show_in_gallery" } else { "remove_from_gallery" };
        let after = serde_json::json!({ "name": g.input.name, "product": p.input.name, "product_id": product });
        audit(&mut tx, actor, &tenant, gallery.to_string(), action, None, after).await?;
        tx.commit().await
    }

    // -----------------------------------------------------------------------------------------
    // The public catalogue (no actor: only curated products of the tenant)

    /// What changes when the public catalogue must be rebuilt: the latest change to any of the
    /// tenant's products (every product write sets it). One lookup at the end of an index,
    /// cheap enough to ask on every request.
    pub async fn public_catalogue_version(&self, tenant: &RegionCode) -> Result<i64> {
        use CatalogueProducts as P;
        let row: Option<VersionDb> = self
            .fetch_optional(
                Query::select()
                    .expr_as(Func::max(Expr::col(P::UpdatedAt)), "latest")
                    .from(P::Table)
                    .and_where(Expr::col(P::TenantCode).eq(tenant.as_str())),
            )
            .await?;
        Ok(row.and_then(|r| r.latest).unwrap_or(0))
    }

    /// Every curated product of the tenant, as the public catalogue shows it (name order).
    pub async fn public_catalogue(&self, tenant: &RegionCode) -> Result<Vec<PublicProduct>> {
        let today = wib_today();
        let mut tx = self.begin_read().await?;
        let rows: Vec<PublicDb> = tx
            .fetch_all(public_select(tenant).order_by((CatalogueProducts::Table, CatalogueProducts::Name), Order::Asc))
            .await?;
        // The permits of businesses with a curated product, and each product's first photo,
        // read in two passes over the tenant rather than one query per product.
        let mut permits: HashMap<Uuid, Vec<Permit>> = HashMap::new();
        let permit_rows: Vec<PermitDb> = tx
            .fetch_all(
                permit_select(tenant).and_where(
                    Expr::col((UmkmPermits::Table, UmkmPermits::BusinessId)).in_subquery(
                        Query::select()
                            .column(CatalogueProducts::BusinessId)
                            .from(CatalogueProducts::Table)
                            .and_where(Expr::col(CatalogueProducts::TenantCode).eq(tenant.as_str()))
                            .and_where(Expr::col(CatalogueProducts::Status).eq(ProductStatus::Curated.slug()))
                            .to_owned(),
                    ),
                ),
            )
            .await?;
        for p in permit_rows {
            let business = p.business_id;
            if let Some(permit) = p.into_permit() {
                permits.entry(business).or_default().push(permit);
            }
        }
        let photo_rows: Vec<PhotoDb> = tx
            .fetch_all(
                Query::select()
                    .columns([
                        (CataloguePhotos::Table, CataloguePhotos::ProductId),
                        (CataloguePhotos::Table, CataloguePhotos::FileId),
                        (CataloguePhotos::Table, CataloguePhotos::ThumbFileId),
                    ])
                    .from(CataloguePhotos::Table)
                    .inner_join(
                        CatalogueProducts::Table,
                        Expr::col((CatalogueProducts::Table, CatalogueProducts::TenantCode))
                            .equals((CataloguePhotos::Table, CataloguePhotos::TenantCode))
                            .and(
                                Expr::col((CatalogueProducts::Table, CatalogueProducts::Id))
                                    .equals((CataloguePhotos::Table, CataloguePhotos::ProductId)),
                            ),
                    )
                    .and_where(Expr::col((CataloguePhotos::Table, CataloguePhotos::TenantCode)).eq(tenant.as_str()))
                    .and_where(
                        Expr::col((CatalogueProducts::Table, CatalogueProducts::Status))
                            .eq(ProductStatus::Curated.slug()),
                    )
                    .order_by((CataloguePhotos::Table, CataloguePhotos::CreatedAt), Order::Desc)
                    .order_by((CataloguePhotos::Table, CataloguePhotos::Id), Order::Desc),
            )
            .await?;
        tx.commit().await?;
        // Newest first above: the last insert per product is its first photo.
        let mut first_photo: HashMap<Uuid, FileId> = HashMap::new();
        for p in photo_rows {
            first_photo.insert(p.product_id, FileId::from_uuid(p.thumb_file_id.unwrap_or(p.file_id)));
        }
        let empty = Vec::new();
        rows.into_iter()
            .map(|r| {
                let photo = first_photo.get(&r.id).copied();
                let ps = permits.get(&r.business_id).unwrap_or(&empty);
                r.into_public(ps, photo, today).map(|(p, _, _)| p)
            })
            .collect()
    }

    /// One curated product's public page; anything not curated is not found.
    pub async fn public_catalogue_product(&self, tenant: &RegionCode, id: ProductId) -> Result<PublicProductDetail> {
        let mut tx = self.begin_read().await?;
        let row: PublicDb = tx
            .fetch_optional(
                public_select(tenant)
                    .and_where(Expr::col((CatalogueProducts::Table, CatalogueProducts::Id)).eq(id.as_uuid())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let permits = permits_of(&mut tx, tenant, BusinessId::from_uuid(row.business_id)).await?;
        let photos = photos_of(&mut tx, tenant, &[id.as_uuid()]).await?.remove(&id.as_uuid()).unwrap_or_default();
        let galleries: Vec<Gallery> = galleries_of(&mut tx, tenant, id)
            .await?
            .into_iter()
            .filter(|g| g.products.iter().any(|(p, _)| *p == id))
            .collect();
        tx.commit().await?;
        let (product, label, claims_halal) =
            row.into_public(&permits, photos.first().map(Photo::small), wib_today())?;
        Ok(PublicProductDetail { product, label, claims_halal, photos, galleries })
    }

    /// A photo of a curated product, for the public pages; any other file is not found.
    pub async fn public_catalogue_file(&self, tenant: &RegionCode, file: FileId) -> Result<FileContent> {
        #[derive(sqlx::FromRow)]
        struct Hit {
            #[allow(dead_code)] // only its existence matters
            product_id: Uuid,
        }
        let mut tx = self.begin_read().await?;
        let hit: Option<Hit> = tx
            .fetch_optional(
                Query::select()
                    .column((CataloguePhotos::Table, CataloguePhotos::ProductId))
                    .from(CataloguePhotos::Table)
                    .inner_join(
                        CatalogueProducts::Table,
                        Expr::col((CatalogueProducts::Table, CatalogueProducts::TenantCode))
                            .equals((CataloguePhotos::Table, CataloguePhotos::TenantCode))
                            .and(
                                Expr::col((CatalogueProducts::Table, CatalogueProducts::Id))
                                    .equals((CataloguePhotos::Table, CataloguePhotos::ProductId)),
                            ),
                    )
                    .and_where(Expr::col((CataloguePhotos::Table, CataloguePhotos::TenantCode)).eq(tenant.as_str()))
                    .and_where(
                        Expr::col((CatalogueProducts::Table, CatalogueProducts::Status))
                            .eq(ProductStatus::Curated.slug()),
                    )
                    .and_where(
                        Expr::col((CataloguePhotos::Table, CataloguePhotos::FileId))
                            .eq(file.as_uuid())
                            .or(Expr::col((CataloguePhotos::Table, CataloguePhotos::ThumbFileId)).eq(file.as_uuid())),
                    )
                    .limit(1),
            )
            .await?;
        if hit.is_none() {
            return Err(StoreError::NotFound);
        }
        let content = load_file(&mut tx, tenant, file).await?;
        tx.commit().await?;
        if !content.file_type.is_image() || content.file_type == FileType::Pdf {
            return Err(StoreError::NotFound);
        }
        Ok(content)
    }

    /// The tenant's galleries with the curated products each displays.
    pub async fn public_galleries(&self, tenant: &RegionCode) -> Result<Vec<Gallery>> {
        let mut tx = self.begin_read().await?;
        let out = read_galleries(&mut tx, tenant, None).await?;
        tx.commit().await?;
        Ok(out)
    }
}

fn parse_checklist(json: &str) -> Vec<CheckResult> {
    // `CheckResult` borrows its reason from the domain's fixed strings; read the stored JSON
    // loosely and map the reason back onto them.
    #[derive(serde::Deserialize)]
    struct Loose {
        item: sinergi_domain::market::catalogue::CheckItem,
        outcome: sinergi_domain::market::catalogue::CheckOutcome,
        reason: Option<String>,
    }
    let loose: Vec<Loose> = serde_json::from_str(json).unwrap_or_default();
    loose
        .into_iter()
        .map(|l| CheckResult { item: l.item, outcome: l.outcome, reason: l.reason.and_then(|r| known_reason(&r)) })
        .collect()
}

fn known_reason(r: &str) -> Option<&'static str> {
    sinergi_domain::market::catalogue::REASONS.iter().copied().find(|k| *k == r)
}

//! Demand matching (issue 7): buyers' demands, the suppliers notified of each, their offers and
//! the deal.
//!
//! Who sees what: the Pemda's internal users see every demand of the Pemda; a partner's user
//! sees the demands its company posted and those its company (a cooperative, a BUMD) was
//! notified of; an UMKM owner sees the demands one of their claimed businesses was notified of.
//! A demand outside that is "not found", as another Pemda's is. Officers who keep the partner
//! registry post and decide for a buyer; a buyer's own user for its company. Every write is
//! audited in its transaction.
//!
//! The ranking itself is the engine's ([`sinergi_engines::supply`]); [`Store::supplier_facts`]
//! feeds it, and [`Store::supply_version`] tells its keeper when the facts changed.

mod facts;
mod report;

use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::market::catalogue::Category;
use sinergi_domain::market::demand::{BuyerKind, DemandDraft, DemandStatus, Frequency, OfferDraft, OfferStatus};
use sinergi_domain::umkm::PermitKind;
use sinergi_domain::{Actor, BusinessId, DemandId, DemandOfferId, KbliCode, PartnerId, Permission, RegionCode, Role};
use sinergi_engines::supply::{SupplierMatch, SupplierRef};
use time::Date;
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::db::Tx;
use crate::markets::audit;
use crate::reminders::{NewMail, enqueue_mail};
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

pub use report::{DealLine, DemandFunnel, ValueRow};

/// A demand as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemandRow {
    pub id: DemandId,
    pub buyer_id: PartnerId,
    pub buyer_name: String,
    pub buyer_kind: BuyerKind,
    pub title: String,
    pub category: Option<Category>,
    pub kbli: Option<KbliCode>,
    pub description: String,
    pub quantity: i64,
    pub unit: String,
    pub frequency: Frequency,
    pub region: RegionCode,
    pub permits: Vec<PermitKind>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub deadline: Date,
    pub status: DemandStatus,
    pub accepted_offer: Option<DemandOfferId>,
    pub deal_value: Option<i64>,
    pub deal_on: Option<Date>,
    pub created_at_ms: i64,
}

impl DemandRow {
    /// The status as of `today`: a demand still taking offers after its deadline has expired.
    pub fn status_on(&self, today: Date) -> DemandStatus {
        if self.status.takes_offers() && self.deadline < today { DemandStatus::Expired } else { self.status }
    }
}

/// A supplier notified of a demand, with the score and reasons it was ranked by then.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotifiedSupplier {
    pub supplier: SupplierRef,
    pub name: String,
    pub rank: i32,
    pub score: i32,
    pub reasons: serde_json::Value,
    pub notified_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferRow {
    pub id: DemandOfferId,
    pub supplier: SupplierRef,
    pub supplier_name: String,
    pub price: i64,
    pub quantity: i64,
    pub delivery_on: Date,
    pub note: Option<String>,
    pub status: OfferStatus,
    pub value: i64,
}

/// A demand with what the actor may see of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandDetail {
    pub demand: DemandRow,
    /// The notified suppliers (the buyer's side sees them all; a supplier only itself).
    pub notified: Vec<NotifiedSupplier>,
    /// The offers (a supplier sees only its own).
    pub offers: Vec<OfferRow>,
    /// May the actor decide for the buyer (notify, accept, close)?
    pub may_decide: bool,
    /// The notified suppliers the actor may offer for.
    pub may_offer_as: Vec<(SupplierRef, String)>,
}

/// Who is reading demands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reader {
    /// Internal users: the whole Pemda's demands.
    Officer,
    /// A partner's user: its company's demands, and those it was notified of.
    Partner(PartnerId),
    /// An UMKM owner: the demands its claimed businesses were notified of.
    Owner(Vec<BusinessId>),
}

fn own_tenant(actor: &Actor, tenant: &RegionCode) -> Result<RegionCode> {
    target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)
}

async fn reader(tx: &mut Tx, actor: &Actor, tenant: &RegionCode) -> Result<Reader> {
    match actor.role {
        Role::Partner => actor.partner.map(Reader::Partner).ok_or(StoreError::Forbidden),
        Role::UmkmOwner => Ok(Reader::Owner(owned(tx, actor, tenant).await?)),
        _ if actor.can(Permission::ViewUmkm) => Ok(Reader::Officer),
        _ => Err(StoreError::Forbidden),
    }
}

/// The live businesses the owner has claimed (verified).
async fn owned(tx: &mut Tx, actor: &Actor, tenant: &RegionCode) -> Result<Vec<BusinessId>> {
    #[derive(sqlx::FromRow)]
    struct IdRow {
        id: Uuid,
    }
    let rows: Vec<IdRow> = tx
        .fetch_all(
            Query::select()
                .column(UmkmBusinesses::Id)
                .from(UmkmBusinesses::Table)
                .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmBusinesses::ClaimedBy).eq(actor.user_id.as_uuid()))
                .and_where(Expr::col(UmkmBusinesses::Status).eq("active")),
        )
        .await?;
    Ok(rows.into_iter().map(|r| BusinessId::from_uuid(r.id)).collect())
}

/// May the actor decide for this buyer: its own user, or an officer keeping the registry.
fn decides_for(actor: &Actor, buyer: PartnerId) -> bool {
    match actor.role {
        Role::Partner => actor.partner == Some(buyer),
        _ => actor.can(Permission::ManagePartners),
    }
}

#[derive(sqlx::FromRow)]
struct DemandDb {
    id: Uuid,
    buyer_id: Uuid,
    buyer_name: String,
    buyer_kind: String,
    title: String,
    category: Option<String>,
    kbli: Option<String>,
    description: String,
    quantity: i64,
    unit: String,
    frequency: String,
    region_code: String,
    permits: String,
    price_min: Option<i64>,
    price_max: Option<i64>,
    deadline: String,
    status: String,
    accepted_offer_id: Option<Uuid>,
    deal_value: Option<i64>,
    deal_on: Option<String>,
    created_at: i64,
}

pub(crate) fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, &time::format_description::well_known::Iso8601::DATE).ok()
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("demand {what}"))
}

impl TryFrom<DemandDb> for DemandRow {
    type Error = StoreError;
    fn try_from(r: DemandDb) -> Result<Self> {
        Ok(DemandRow {
            id: DemandId::from_uuid(r.id),
            buyer_id: PartnerId::from_uuid(r.buyer_id),
            buyer_name: r.buyer_name,
            buyer_kind: r.buyer_kind.parse().map_err(|_| corrupt("buyer kind"))?,
            title: r.title,
            category: r.category.as_deref().map(str::parse).transpose().map_err(|_| corrupt("category"))?,
            kbli: r.kbli.as_deref().map(KbliCode::parse).transpose().map_err(|_| corrupt("kbli"))?,
            description: r.description,
            quantity: r.quantity,
            unit: r.unit,
            frequency: r.frequency.parse().map_err(|_| corrupt("frequency"))?,
            region: RegionCode::parse(&r.region_code).map_err(|_| corrupt("region"))?,
            permits: r
                .permits
                .split(',')
                .filter(|p| !p.is_empty())
                .map(str::parse)
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| corrupt("permits"))?,
            price_min: r.price_min,
            price_max: r.price_max,
            deadline: parse_date(&r.deadline).ok_or_else(|| corrupt("deadline"))?,
            status: r.status.parse().map_err(|_| corrupt("status"))?,
            accepted_offer: r.accepted_offer_id.map(DemandOfferId::from_uuid),
            deal_value: r.deal_value,
            deal_on: r.deal_on.as_deref().map(|d| parse_date(d).ok_or_else(|| corrupt("deal date"))).transpose()?,
            created_at_ms: r.created_at,
        })
    }
}

fn demand_select(tenant: &RegionCode) -> sea_query::SelectStatement {
    use Demands as D;
    Query::select()
        .columns([
            (D::Table, D::Id),
            (D::Table, D::BuyerId),
            (D::Table, D::BuyerKind),
            (D::Table, D::Title),
            (D::Table, D::Category),
            (D::Table, D::Kbli),
            (D::Table, D::Description),
            (D::Table, D::Quantity),
            (D::Table, D::Unit),
            (D::Table, D::Frequency),
            (D::Table, D::RegionCode),
            (D::Table, D::Permits),
            (D::Table, D::PriceMin),
            (D::Table, D::PriceMax),
            (D::Table, D::Deadline),
            (D::Table, D::Status),
            (D::Table, D::AcceptedOfferId),
            (D::Table, D::DealValue),
            (D::Table, D::DealOn),
            (D::Table, D::CreatedAt),
        ])
        .expr_as(Expr::col((Partners::Table, Partners::Name)), sea_query::Alias::new("buyer_name"))
        .from(D::Table)
        .inner_join(
            Partners::Table,
            Expr::col((Partners::Table, Partners::TenantCode))
                .equals((D::Table, D::TenantCode))
                .and(Expr::col((Partners::Table, Partners::Id)).equals((D::Table, D::BuyerId))),
        )
        .and_where(Expr::col((D::Table, D::TenantCode)).eq(tenant.as_str()))
        .order_by((D::Table, D::CreatedAt), Order::Desc)
        .to_owned()
}

/// The demand ids a supplier-side reader was notified of.
async fn notified_ids(tx: &mut Tx, tenant: &RegionCode, suppliers: &[Uuid]) -> Result<Vec<Uuid>> {
    if suppliers.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(sqlx::FromRow)]
    struct IdRow {
        demand_id: Uuid,
    }
    let rows: Vec<IdRow> = tx
        .fetch_all(
            Query::select()
                .distinct()
                .column(DemandSuppliers::DemandId)
                .from(DemandSuppliers::Table)
                .and_where(Expr::col(DemandSuppliers::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(DemandSuppliers::SupplierId).is_in(suppliers.iter().copied())),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.demand_id).collect())
}

async fn read_demands(
    tx: &mut Tx,
    tenant: &RegionCode,
    reader: &Reader,
    only: Option<DemandId>,
) -> Result<Vec<DemandRow>> {
    use Demands as D;
    let mut q = demand_select(tenant);
    if let Some(id) = only {
        q.and_where(Expr::col((D::Table, D::Id)).eq(id.as_uuid()));
    }
    match reader {
        Reader::Officer => {}
        Reader::Partner(p) => {
            let notified = notified_ids(tx, tenant, &[p.as_uuid()]).await?;
            q.cond_where(
                sea_query::Cond::any()
                    .add(Expr::col((D::Table, D::BuyerId)).eq(p.as_uuid()))
                    .add(Expr::col((D::Table, D::Id)).is_in(notified)),
            );
        }
        Reader::Owner(businesses) => {
            let ids: Vec<Uuid> = businesses.iter().map(|b| b.as_uuid()).collect();
            let notified = notified_ids(tx, tenant, &ids).await?;
            q.and_where(Expr::col((D::Table, D::Id)).is_in(notified));
        }
    }
    let rows: Vec<DemandDb> = tx.fetch_all(&q).await?;
    rows.into_iter().map(DemandRow::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct OfferDb {
    id: Uuid,
    supplier_kind: String,
    supplier_id: Uuid,
    supplier_name: String,
    price: i64,
    quantity: i64,
    delivery_on: String,
    note: Option<String>,
    status: String,
}

async fn read_offers(tx: &mut Tx, tenant: &RegionCode, demand: DemandId) -> Result<Vec<OfferRow>> {
    use DemandOffers as O;
    let rows: Vec<OfferDb> = tx
        .fetch_all(
            Query::select()
                .columns([
                    O::Id,
                    O::SupplierKind,
                    O::SupplierId,
                    O::SupplierName,
                    O::Price,
                    O::Quantity,
                    O::DeliveryOn,
                    O::Note,
                    O::Status,
                ])
                .from(O::Table)
                .and_where(Expr::col(O::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(O::DemandId).eq(demand.as_uuid()))
                .order_by(O::CreatedAt, Order::Asc),
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(OfferRow {
                id: DemandOfferId::from_uuid(r.id),
                supplier: SupplierRef::from_parts(&r.supplier_kind, r.supplier_id).ok_or_else(|| corrupt("offer"))?,
                supplier_name: r.supplier_name,
                value: sinergi_domain::market::demand::deal_value(r.price, r.quantity),
                price: r.price,
                quantity: r.quantity,
                delivery_on: parse_date(&r.delivery_on).ok_or_else(|| corrupt("offer date"))?,
                note: r.note,
                status: r.status.parse().map_err(|_| corrupt("offer status"))?,
            })
        })
        .collect()
}

async fn read_notified(tx: &mut Tx, tenant: &RegionCode, demand: DemandId) -> Result<Vec<NotifiedSupplier>> {
    use DemandSuppliers as S;
    #[derive(sqlx::FromRow)]
    struct Db {
        supplier_kind: String,
        supplier_id: Uuid,
        supplier_name: String,
        rank: i32,
        score: i32,
        reasons: String,
        notified_at: i64,
    }
    let rows: Vec<Db> = tx
        .fetch_all(
            Query::select()
                .columns([
                    S::SupplierKind,
                    S::SupplierId,
                    S::SupplierName,
                    S::Rank,
                    S::Score,
                    S::Reasons,
                    S::NotifiedAt,
                ])
                .from(S::Table)
                .and_where(Expr::col(S::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(S::DemandId).eq(demand.as_uuid()))
                .order_by(S::Rank, Order::Asc),
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(NotifiedSupplier {
                supplier: SupplierRef::from_parts(&r.supplier_kind, r.supplier_id)
                    .ok_or_else(|| corrupt("supplier"))?,
                name: r.supplier_name,
                rank: r.rank,
                score: r.score,
                reasons: serde_json::from_str(&r.reasons).map_err(|_| corrupt("reasons"))?,
                notified_at_ms: r.notified_at,
            })
        })
        .collect()
}

/// A demand the actor may see, with its offers and notified suppliers cut to the actor's
/// share. Another Pemda's, or one outside the actor's share, is not found.
async fn find_demand(tx: &mut Tx, actor: &Actor, tenant: &RegionCode, id: DemandId) -> Result<DemandDetail> {
    // Looked up in the Pemda first, then in the actor's share: a wrong id, or one the actor
    // may not see (whatever its role), is "not found", never "forbidden".
    let Some(found) = read_demands(tx, tenant, &Reader::Officer, Some(id)).await?.pop() else {
        return Err(StoreError::NotFound);
    };
    let reader = reader(tx, actor, tenant).await.map_err(|_| StoreError::NotFound)?;
    // The Pemda's own people see the whole Pemda: the first read is theirs already.
    let demand = match reader {
        Reader::Officer => found,
        _ => read_demands(tx, tenant, &reader, Some(id)).await?.pop().ok_or(StoreError::NotFound)?,
    };
    let may_decide = decides_for(actor, demand.buyer_id);
    let mut notified = read_notified(tx, tenant, id).await?;
    let mut offers = read_offers(tx, tenant, id).await?;
    let mine: Vec<SupplierRef> = match &reader {
        Reader::Officer => Vec::new(),
        Reader::Partner(p) => vec![SupplierRef::Partner(*p)],
        Reader::Owner(bs) => bs.iter().map(|b| SupplierRef::Business(*b)).collect(),
    };
    if !may_decide && !matches!(reader, Reader::Officer) {
        notified.retain(|n| mine.contains(&n.supplier));
        offers.retain(|o| mine.contains(&o.supplier));
    }
    // An officer who keeps the registry records an offer a supplier made by phone or in person,
    // as it posts a demand for a buyer.
    let records_for_all = matches!(reader, Reader::Officer) && actor.can(Permission::ManagePartners);
    let may_offer_as = notified
        .iter()
        .filter(|n| records_for_all || mine.contains(&n.supplier))
        .map(|n| (n.supplier, n.name.clone()))
        .collect();
    Ok(DemandDetail { demand, notified, offers, may_decide, may_offer_as })
}

async fn set_status(tx: &mut Tx, tenant: &RegionCode, id: DemandId, status: DemandStatus) -> Result<()> {
    tx.execute(
        Query::update()
            .table(Demands::Table)
            .value(Demands::Status, status.slug())
            .value(Demands::UpdatedAt, now_ms())
            .and_where(Expr::col(Demands::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(Demands::Id).eq(id.as_uuid())),
    )
    .await?;
    Ok(())
}

/// Emails of those who answer for a supplier: the owner who claimed the business, or the
/// partner's users.
async fn supplier_emails(tx: &mut Tx, tenant: &RegionCode, supplier: SupplierRef) -> Result<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct EmailRow {
        email: String,
    }
    let mut q = Query::select()
        .column((Users::Table, Users::Email))
        .from(Users::Table)
        .and_where(Expr::col((Users::Table, Users::TenantCode)).eq(tenant.as_str()))
        .and_where(Expr::col((Users::Table, Users::Active)).eq(true))
        .to_owned();
    match supplier {
        SupplierRef::Business(b) => {
            q.inner_join(
                UmkmBusinesses::Table,
                Expr::col((UmkmBusinesses::Table, UmkmBusinesses::ClaimedBy)).equals((Users::Table, Users::Id)),
            )
            .and_where(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::TenantCode)).eq(tenant.as_str()))
            .and_where(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Id)).eq(b.as_uuid()));
        }
        SupplierRef::Partner(p) => {
            q.and_where(Expr::col((Users::Table, Users::Role)).eq(Role::Partner.slug()))
                .and_where(Expr::col((Users::Table, Users::PartnerId)).eq(p.as_uuid()));
        }
    }
    let rows: Vec<EmailRow> = tx.fetch_all(&q).await?;
    Ok(rows.into_iter().map(|r| r.email).collect())
}

/// The supplier's name, checked to be the Pemda's live business or partner.
async fn supplier_name(tx: &mut Tx, tenant: &RegionCode, supplier: SupplierRef) -> Result<String> {
    #[derive(sqlx::FromRow)]
    struct NameRow {
        name: String,
    }
    let q = match supplier {
        SupplierRef::Business(b) => Query::select()
            .column(UmkmBusinesses::Name)
            .from(UmkmBusinesses::Table)
            .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(UmkmBusinesses::Id).eq(b.as_uuid()))
            .and_where(Expr::col(UmkmBusinesses::Status).eq("active"))
            .to_owned(),
        SupplierRef::Partner(p) => Query::select()
            .column(Partners::Name)
            .from(Partners::Table)
            .and_where(Expr::col(Partners::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(Partners::Id).eq(p.as_uuid()))
            .to_owned(),
    };
    let row: Option<NameRow> = tx.fetch_optional(&q).await?;
    row.map(|r| r.name).ok_or(StoreError::Invalid(FieldError::new("supplier", "invalid-choice")))
}

impl Store {
    /// Post a demand for a buyer: a partner's user for its own company (`buyer` ignored), an
    /// officer who keeps the partner registry for the partner it names.
    pub async fn create_demand(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        buyer: Option<PartnerId>,
        draft: DemandDraft,
    ) -> Result<DemandId> {
        let tenant = own_tenant(actor, tenant)?;
        let buyer = match actor.role {
            Role::Partner => actor.partner.ok_or(StoreError::Forbidden)?,
            _ if actor.can(Permission::ManagePartners) => {
                buyer.ok_or(StoreError::Invalid(FieldError::new("buyer", "required")))?
            }
            _ => return Err(StoreError::Forbidden),
        };
        let mut tx = self.begin().await?;
        tx.check_in_tenant((Partners::Table, Partners::TenantCode, Partners::Id), &tenant, buyer.as_uuid(), "buyer")
            .await?;
        let id = DemandId::new();
        let now = now_ms();
        let permits: Vec<&str> = draft.permits.iter().map(|p| p.slug()).collect();
        use Demands as D;
        tx.execute(
            Query::insert()
                .into_table(D::Table)
                .columns([
                    D::TenantCode,
                    D::Id,
                    D::BuyerId,
                    D::BuyerKind,
                    D::Title,
                    D::Category,
                    D::Kbli,
                    D::Description,
                    D::Quantity,
                    D::Unit,
                    D::Frequency,
                    D::RegionCode,
                    D::Permits,
                    D::PriceMin,
                    D::PriceMax,
                    D::Deadline,
                    D::Status,
                    D::CreatedBy,
                    D::CreatedAt,
                    D::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    buyer.as_uuid().into(),
                    draft.buyer_kind.slug().into(),
                    draft.title.clone().into(),
                    draft.category.map(|c| c.slug()).into(),
                    draft.kbli.as_ref().map(|k| k.as_str().to_owned()).into(),
                    draft.description.clone().into(),
                    draft.quantity.into(),
                    draft.unit.clone().into(),
                    draft.frequency.slug().into(),
                    draft.region.as_str().into(),
                    permits.join(",").into(),
                    draft.price_min.into(),
                    draft.price_max.into(),
                    draft.deadline.to_string().into(),
                    DemandStatus::Open.slug().into(),
                    actor.label.clone().into(),
                    now.into(),
                    now.into(),
                ]),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "create_demand",
            None,
            serde_json::json!({ "name": draft.title, "buyer": buyer, "quantity": draft.quantity, "unit": draft.unit }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The demands the actor may see, newest first.
    pub async fn demands(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<DemandRow>> {
        let tenant = own_tenant(actor, tenant)?;
        let mut tx = self.begin_read().await?;
        let reader = reader(&mut tx, actor, &tenant).await?;
        read_demands(&mut tx, &tenant, &reader, None).await
    }

    /// One demand with its offers and notified suppliers, as far as the actor may see them.
    pub async fn demand(&self, actor: &Actor, tenant: &RegionCode, id: DemandId) -> Result<DemandDetail> {
        let tenant = own_tenant(actor, tenant)?;
        let mut tx = self.begin_read().await?;
        find_demand(&mut tx, actor, &tenant, id).await
    }

    /// Notify the ranked suppliers of a demand: each gets a row (with the score and reasons it
    /// was ranked by), a mail in the outbox to whoever answers for it, and the Pemda an in-app
    /// notification. A supplier already notified is left as it was. Returns how many were new.
    pub async fn notify_demand_suppliers(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: DemandId,
        matches: &[SupplierMatch],
        link: &str,
    ) -> Result<usize> {
        let tenant = own_tenant(actor, tenant)?;
        let mut tx = self.begin().await?;
        let detail = find_demand(&mut tx, actor, &tenant, id).await?;
        if !detail.may_decide {
            return Err(StoreError::Forbidden);
        }
        if !detail.demand.status.takes_offers() {
            return Err(StoreError::Invalid(FieldError::new("status", "not-next")));
        }
        let now = now_ms();
        let mut new = Vec::new();
        for (rank, m) in matches.iter().enumerate() {
            let name = supplier_name(&mut tx, &tenant, m.supplier).await?;
            let reasons = serde_json::to_string(&m.reasons).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let inserted = tx
                .execute(
                    Query::insert()
                        .into_table(DemandSuppliers::Table)
                        .columns([
                            DemandSuppliers::TenantCode,
                            DemandSuppliers::DemandId,
                            DemandSuppliers::SupplierKind,
                            DemandSuppliers::SupplierId,
                            DemandSuppliers::SupplierName,
                            DemandSuppliers::Rank,
                            DemandSuppliers::Score,
                            DemandSuppliers::Reasons,
                            DemandSuppliers::NotifiedAt,
                        ])
                        .values_panic([
                            tenant.as_str().into(),
                            id.as_uuid().into(),
                            m.supplier.kind_slug().into(),
                            m.supplier.uuid().into(),
                            name.clone().into(),
                            (rank as i32 + 1).into(),
                            (m.score as i32).into(),
                            reasons.into(),
                            now.into(),
                        ])
                        .on_conflict(
                            OnConflict::columns([
                                DemandSuppliers::TenantCode,
                                DemandSuppliers::DemandId,
                                DemandSuppliers::SupplierKind,
                                DemandSuppliers::SupplierId,
                            ])
                            .do_nothing()
                            .to_owned(),
                        ),
                )
                .await?;
            if inserted == 0 {
                continue;
            }
            let d = &detail.demand;
            let subject = format!("Permintaan baru: {} ({} {})", d.title, d.quantity, d.unit);
            let body = format!(
                "{name} cocok dengan permintaan {} dari {}: {} {} ({}), batas {}.\nAjukan penawaran: {link}\n",
                d.title, d.buyer_name, d.quantity, d.unit, d.frequency, d.deadline
            );
            for to in supplier_emails(&mut tx, &tenant, m.supplier).await? {
                enqueue_mail(
                    &mut tx,
                    &tenant,
                    &format!("demand:{id}"),
                    NewMail { to: &to, subject: &subject, body: &body },
                    now,
                )
                .await?;
            }
            new.push(name);
        }
        if !new.is_empty() {
            tx.execute(
                Query::insert()
                    .into_table(Notifications::Table)
                    .columns([
                        Notifications::TenantCode,
                        Notifications::Id,
                        Notifications::DedupeKey,
                        Notifications::Kind,
                        Notifications::Message,
                        Notifications::Link,
                        Notifications::CreatedAt,
                    ])
                    .values_panic([
                        tenant.as_str().into(),
                        Uuid::now_v7().into(),
                        format!("demand-notify:{id}:{now}").into(),
                        "demand-notify".into(),
                        format!("{} — {} pemasok diberi tahu", detail.demand.title, new.len()).into(),
                        link.into(),
                        now.into(),
                    ]),
            )
            .await?;
            audit(
                &mut tx,
                actor,
                &tenant,
                id.to_string(),
                "notify_demand_suppliers",
                None,
                serde_json::json!({ "name": detail.demand.title, "suppliers": new }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(new.len())
    }

    /// A notified supplier's offer, by its owner (an UMKM owner for a claimed business, a
    /// partner's user for its company). The first offer moves the demand to "offered".
    pub async fn submit_demand_offer(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: DemandId,
        supplier: SupplierRef,
        offer: OfferDraft,
    ) -> Result<DemandOfferId> {
        let tenant = own_tenant(actor, tenant)?;
        let mut tx = self.begin().await?;
        let detail = find_demand(&mut tx, actor, &tenant, id).await?;
        let Some((_, name)) = detail.may_offer_as.iter().find(|(s, _)| *s == supplier).cloned() else {
            return Err(if detail.may_offer_as.is_empty() {
                StoreError::Forbidden
            } else {
                StoreError::Invalid(FieldError::new("supplier", "invalid-choice"))
            });
        };
        let d = &detail.demand;
        if !d.status.takes_offers() {
            return Err(StoreError::Invalid(FieldError::new("status", "not-next")));
        }
        if offer.quantity > d.quantity {
            return Err(StoreError::Invalid(FieldError::new("quantity", "above-demand")));
        }
        if offer.delivery_on > d.deadline {
            return Err(StoreError::Invalid(FieldError::new("delivery_on", "after-deadline")));
        }
        let offer_id = DemandOfferId::new();
        use DemandOffers as O;
        tx.execute(
            Query::insert()
                .into_table(O::Table)
                .columns([
                    O::TenantCode,
                    O::Id,
                    O::DemandId,
                    O::SupplierKind,
                    O::SupplierId,
                    O::SupplierName,
                    O::Price,
                    O::Quantity,
                    O::DeliveryOn,
                    O::Note,
                    O::Status,
                    O::CreatedBy,
                    O::CreatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    offer_id.as_uuid().into(),
                    id.as_uuid().into(),
                    supplier.kind_slug().into(),
                    supplier.uuid().into(),
                    name.clone().into(),
                    offer.price.into(),
                    offer.quantity.into(),
                    offer.delivery_on.to_string().into(),
                    offer.note.clone().into(),
                    OfferStatus::Submitted.slug().into(),
                    actor.label.clone().into(),
                    now_ms().into(),
                ]),
        )
        .await?;
        if d.status == DemandStatus::Open {
            set_status(&mut tx, &tenant, id, d.status.step(DemandStatus::Offered)?).await?;
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            offer_id.to_string(),
            "submit_demand_offer",
            None,
            serde_json::json!({
                "name": format!("{} — {name}", d.title),
                "demand": id,
                "price": offer.price,
                "quantity": offer.quantity,
                "delivery_on": offer.delivery_on.to_string(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(offer_id)
    }

    /// The buyer accepts one offer: the deal, worth its price times its quantity, recorded on
    /// the demand; the other offers are marked not chosen. Returns the deal's value.
    pub async fn accept_demand_offer(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: DemandId,
        offer: DemandOfferId,
        today: Date,
    ) -> Result<i64> {
        let tenant = own_tenant(actor, tenant)?;
        let mut tx = self.begin().await?;
        let detail = find_demand(&mut tx, actor, &tenant, id).await?;
        if !detail.may_decide {
            return Err(StoreError::Forbidden);
        }
        let chosen = detail
            .offers
            .iter()
            .find(|o| o.id == offer)
            .ok_or(StoreError::Invalid(FieldError::new("offer", "invalid-choice")))?;
        let landed = detail.demand.status.step(DemandStatus::Deal)?;
        let value = chosen.value;
        tx.execute(
            Query::update()
                .table(Demands::Table)
                .value(Demands::Status, landed.slug())
                .value(Demands::AcceptedOfferId, offer.as_uuid())
                .value(Demands::DealValue, value)
                .value(Demands::DealOn, today.to_string())
                .value(Demands::UpdatedAt, now_ms())
                .and_where(Expr::col(Demands::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Demands::Id).eq(id.as_uuid())),
        )
        .await?;
        for o in &detail.offers {
            let status = if o.id == offer { OfferStatus::Accepted } else { OfferStatus::NotChosen };
            tx.execute(
                Query::update()
                    .table(DemandOffers::Table)
                    .value(DemandOffers::Status, status.slug())
                    .and_where(Expr::col(DemandOffers::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(DemandOffers::Id).eq(o.id.as_uuid())),
            )
            .await?;
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "accept_demand_offer",
            Some(serde_json::json!({ "status": detail.demand.status.slug() })),
            serde_json::json!({
                "name": format!("{} — {}", detail.demand.title, chosen.supplier_name),
                "status": landed.slug(),
                "offer": offer,
                "deal_value": value,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(value)
    }

    /// The buyer closes a demand it no longer needs.
    pub async fn close_demand(&self, actor: &Actor, tenant: &RegionCode, id: DemandId) -> Result<()> {
        let tenant = own_tenant(actor, tenant)?;
        let mut tx = self.begin().await?;
        let detail = find_demand(&mut tx, actor, &tenant, id).await?;
        if !detail.may_decide {
            return Err(StoreError::Forbidden);
        }
        let landed = detail.demand.status.step(DemandStatus::Closed)?;
        set_status(&mut tx, &tenant, id, landed).await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "close_demand",
            Some(serde_json::json!({ "status": detail.demand.status.slug() })),
            serde_json::json!({ "name": detail.demand.title, "status": landed.slug() }),
        )
        .await?;
        tx.commit().await
    }

    /// The buyers an officer may post for: the Pemda's partners, by name.
    pub async fn demand_buyers(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<(PartnerId, String)>> {
        let tenant = own_tenant(actor, tenant)?;
        #[derive(sqlx::FromRow)]
        struct P {
            id: Uuid,
            name: String,
        }
        let q = match actor.role {
            Role::Partner => {
                let p = actor.partner.ok_or(StoreError::Forbidden)?;
                Query::select()
                    .columns([Partners::Id, Partners::Name])
                    .from(Partners::Table)
                    .and_where(Expr::col(Partners::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(Partners::Id).eq(p.as_uuid()))
                    .to_owned()
            }
            _ if actor.can(Permission::ManagePartners) => Query::select()
                .columns([Partners::Id, Partners::Name])
                .from(Partners::Table)
                .and_where(Expr::col(Partners::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Partners::Active).eq(true))
                .order_by(Partners::Name, Order::Asc)
                .to_owned(),
            _ => return Err(StoreError::Forbidden),
        };
        let rows: Vec<P> = self.fetch_all(&q).await?;
        Ok(rows.into_iter().map(|p| (PartnerId::from_uuid(p.id), p.name)).collect())
    }
}

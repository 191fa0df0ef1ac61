//! What the supply engine knows of each supplier, read from the registry, the catalogue, the
//! channels, the partners and past deals; and the version that says when any of it changed.

use std::collections::HashMap;

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use sinergi_domain::cooperation::needs::PartnerKind;
use sinergi_domain::market::catalogue::Category;
use sinergi_domain::umkm::PermitKind;
use sinergi_domain::{Actor, BusinessId, KbliCode, PartnerId, RegionCode};
use sinergi_engines::supply::{HeldPermit, SupplierFacts, SupplierRef};
use uuid::Uuid;

use super::{own_tenant, parse_date};
use crate::schema::*;
use crate::{Result, Store, StoreError};

/// Businesses read per query while the facts are gathered.
const BATCH: u64 = 20_000;
/// Beyond this many changed suppliers, an index is rebuilt rather than updated one by one (the
/// ids go into `IN` lists).
const MAX_CHANGED: usize = 2_000;

/// Partners that supply local goods and services: cooperatives (Koperasi Merah Putih) and
/// BUMN/BUMD. Companies are the buyers here; banks, universities, regions and associations do
/// not supply goods.
pub const SUPPLYING_PARTNERS: [PartnerKind; 2] = [PartnerKind::Cooperative, PartnerKind::StateEnterprise];

/// KBLI 71202, Jasa Pengujian Laboratorium: what a Pemda's Labkesda offers as a supplier.
const LAB_TESTING_KBLI: &str = "71202";

#[derive(sqlx::FromRow)]
struct BizRow {
    id: Uuid,
    name: String,
    products: Option<String>,
    nib: Option<String>,
    desa_code: Option<String>,
    kecamatan_code: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Child {
    business_id: Uuid,
    value: String,
}

#[derive(sqlx::FromRow)]
struct PermitRow {
    business_id: Uuid,
    kind: String,
    expires: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    business_id: Uuid,
    name: String,
    category: String,
    description: Option<String>,
    capacity_per_month: Option<i64>,
    status: String,
}

#[derive(sqlx::FromRow)]
struct CountRow {
    id: Uuid,
    n: i64,
}

fn region(desa: Option<String>, kecamatan: Option<String>) -> Option<RegionCode> {
    desa.or(kecamatan).and_then(|c| RegionCode::parse(&c).ok())
}

impl Store {
    /// The tenant's suppliers as the engine sees them: every live business and every active
    /// supplying partner. Read by the system (the caller checks who asks for a ranking).
    pub async fn supplier_facts(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<SupplierFacts>> {
        let tenant = own_tenant(actor, tenant)?;
        self.read_supplier_facts(&tenant, None).await
    }

    /// The ids in `id` of the tenant's rows of `table` whose `at` is after `since_ms`: one
    /// table's share of what changed.
    async fn changed_ids<T: sea_query::Iden + Copy + 'static>(
        &self,
        table: T,
        id: T,
        tenant_col: T,
        at: T,
        tenant: &str,
        since_ms: i64,
    ) -> Result<Vec<Uuid>> {
        #[derive(sqlx::FromRow)]
        struct IdRow {
            id: Uuid,
        }
        let rows: Vec<IdRow> = self
            .fetch_all(
                Query::select()
                    .expr_as(Expr::col(id), "id")
                    .from(table)
                    .and_where(Expr::col(tenant_col).eq(tenant))
                    .and_where(Expr::col(at).gt(since_ms)),
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// The suppliers changed since `since_ms` (businesses, their permits and products, channel
    /// entries, partners, deals), as facts to upsert and as suppliers to remove (no longer live);
    /// `None` when more changed than is worth reading one by one (rebuild instead). What keeps a
    /// supplier index current in milliseconds after a write.
    pub async fn supplier_facts_changed(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        since_ms: i64,
    ) -> Result<Option<(Vec<SupplierFacts>, Vec<SupplierRef>)>> {
        let tenant = own_tenant(actor, tenant)?;
        let t = tenant.as_str();
        #[derive(sqlx::FromRow)]
        struct IdRow {
            id: Uuid,
        }
        let ids = |rows: Vec<IdRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        let mut businesses = self
            .changed_ids(
                UmkmBusinesses::Table,
                UmkmBusinesses::Id,
                UmkmBusinesses::TenantCode,
                UmkmBusinesses::UpdatedAt,
                t,
                since_ms,
            )
            .await?;
        businesses.extend(
            self.changed_ids(
                UmkmPermits::Table,
                UmkmPermits::BusinessId,
                UmkmPermits::TenantCode,
                UmkmPermits::CreatedAt,
                t,
                since_ms,
            )
            .await?,
        );
        businesses.extend(
            self.changed_ids(
                CatalogueProducts::Table,
                CatalogueProducts::BusinessId,
                CatalogueProducts::TenantCode,
                CatalogueProducts::UpdatedAt,
                t,
                since_ms,
            )
            .await?,
        );
        businesses.extend(
            self.changed_ids(
                ChannelEntries::Table,
                ChannelEntries::BusinessId,
                ChannelEntries::TenantCode,
                ChannelEntries::UpdatedAt,
                t,
                since_ms,
            )
            .await?,
        );
        let mut partners = self
            .changed_ids(Partners::Table, Partners::Id, Partners::TenantCode, Partners::UpdatedAt, t, since_ms)
            .await?;
        // A deal counts for its supplier: the suppliers of demands decided since.
        let dealt: Vec<IdRow> = self
            .fetch_all(
                Query::select()
                    .expr_as(Expr::col((DemandOffers::Table, DemandOffers::SupplierId)), "id")
                    .from(DemandOffers::Table)
                    .inner_join(
                        Demands::Table,
                        Expr::col((Demands::Table, Demands::TenantCode))
                            .equals((DemandOffers::Table, DemandOffers::TenantCode))
                            .and(
                                Expr::col((Demands::Table, Demands::Id))
                                    .equals((DemandOffers::Table, DemandOffers::DemandId)),
                            ),
                    )
                    .and_where(Expr::col((DemandOffers::Table, DemandOffers::TenantCode)).eq(t))
                    .and_where(Expr::col((DemandOffers::Table, DemandOffers::Status)).eq("diterima"))
                    .and_where(Expr::col((Demands::Table, Demands::UpdatedAt)).gt(since_ms)),
            )
            .await?;
        for id in ids(dealt) {
            businesses.push(id);
            partners.push(id);
        }
        businesses.sort_unstable();
        businesses.dedup();
        partners.sort_unstable();
        partners.dedup();
        if businesses.len() + partners.len() > MAX_CHANGED {
            return Ok(None);
        }
        if businesses.is_empty() && partners.is_empty() {
            return Ok(Some((Vec::new(), Vec::new())));
        }
        let facts = self.read_supplier_facts(&tenant, Some((&businesses, &partners))).await?;
        // Whatever was asked for and is not live any more (merged, deleted, no longer a
        // supplying partner) leaves the index.
        let removed = businesses
            .iter()
            .map(|b| SupplierRef::Business(BusinessId::from_uuid(*b)))
            .chain(partners.iter().map(|p| SupplierRef::Partner(PartnerId::from_uuid(*p))))
            .filter(|r| !facts.iter().any(|f| f.id == *r))
            .collect();
        Ok(Some((facts, removed)))
    }

    async fn read_supplier_facts(
        &self,
        tenant: &RegionCode,
        only: Option<(&[Uuid], &[Uuid])>,
    ) -> Result<Vec<SupplierFacts>> {
        let t = tenant.as_str();
        let among = |col: Expr| match only {
            None => Cond::all(),
            Some((businesses, _)) => Cond::all().add(col.is_in(businesses.iter().copied())),
        };
        let mut out: Vec<SupplierFacts> = Vec::new();
        let mut at: HashMap<Uuid, usize> = HashMap::new();
        let mut after: Option<Uuid> = None;
        use UmkmBusinesses as B;
        loop {
            let mut q = Query::select()
                .columns([B::Id, B::Name, B::Products, B::Nib, B::DesaCode, B::KecamatanCode])
                .from(B::Table)
                .and_where(Expr::col(B::TenantCode).eq(t))
                .and_where(Expr::col(B::Status).eq("active"))
                .cond_where(among(Expr::col(B::Id)))
                .order_by(B::Id, Order::Asc)
                .limit(BATCH)
                .to_owned();
            if let Some(a) = after {
                q.and_where(Expr::col(B::Id).gt(a));
            }
            let rows: Vec<BizRow> = self.fetch_all(&q).await?;
            let short = (rows.len() as u64) < BATCH;
            after = rows.last().map(|r| r.id);
            for r in rows {
                at.insert(r.id, out.len());
                out.push(SupplierFacts {
                    id: SupplierRef::Business(BusinessId::from_uuid(r.id)),
                    name: r.name,
                    active: true,
                    region: region(r.desa_code, r.kecamatan_code),
                    kbli: Vec::new(),
                    categories: Vec::new(),
                    text: r.products.unwrap_or_default(),
                    // An NIB on the registry row is a permit without expiry, whether or not it
                    // was also entered as a permit.
                    permits: r
                        .nib
                        .filter(|n| !n.is_empty())
                        .map(|_| HeldPermit { kind: PermitKind::Nib, expires: None })
                        .into_iter()
                        .collect(),
                    capacity_per_month: None,
                    curated_products: 0,
                    channels: 0,
                    past_deals: 0,
                });
            }
            if short {
                break;
            }
        }
        let kbli: Vec<Child> = self
            .fetch_all(
                Query::select()
                    .column(UmkmBusinessKbli::BusinessId)
                    .expr_as(Expr::col(UmkmBusinessKbli::Code), "value")
                    .from(UmkmBusinessKbli::Table)
                    .and_where(Expr::col(UmkmBusinessKbli::TenantCode).eq(t))
                    .cond_where(among(Expr::col(UmkmBusinessKbli::BusinessId))),
            )
            .await?;
        for c in kbli {
            if let (Some(&i), Ok(code)) = (at.get(&c.business_id), KbliCode::parse(&c.value)) {
                out[i].kbli.push(code);
            }
        }
        let permits: Vec<PermitRow> = self
            .fetch_all(
                Query::select()
                    .columns([UmkmPermits::BusinessId, UmkmPermits::Kind, UmkmPermits::Expires])
                    .from(UmkmPermits::Table)
                    .and_where(Expr::col(UmkmPermits::TenantCode).eq(t))
                    .cond_where(among(Expr::col(UmkmPermits::BusinessId))),
            )
            .await?;
        for p in permits {
            if let (Some(&i), Ok(kind)) = (at.get(&p.business_id), p.kind.parse::<PermitKind>()) {
                out[i].permits.push(HeldPermit { kind, expires: p.expires.as_deref().and_then(parse_date) });
            }
        }
        let products: Vec<ProductRow> = self
            .fetch_all(
                Query::select()
                    .columns([
                        CatalogueProducts::BusinessId,
                        CatalogueProducts::Name,
                        CatalogueProducts::Category,
                        CatalogueProducts::Description,
                        CatalogueProducts::CapacityPerMonth,
                        CatalogueProducts::Status,
                    ])
                    .from(CatalogueProducts::Table)
                    .and_where(Expr::col(CatalogueProducts::TenantCode).eq(t))
                    .cond_where(among(Expr::col(CatalogueProducts::BusinessId)))
                    .cond_where(among(Expr::col(CatalogueProducts::BusinessId)))
                    .and_where(Expr::col(CatalogueProducts::Status).ne("ditarik")),
            )
            .await?;
        for p in products {
            let Some(&i) = at.get(&p.business_id) else { continue };
            let f = &mut out[i];
            f.text.push(' ');
            f.text.push_str(&p.name);
            if let Some(d) = &p.description {
                f.text.push(' ');
                f.text.push_str(d);
            }
            if let Ok(c) = p.category.parse::<Category>()
                && !f.categories.contains(&c)
            {
                f.categories.push(c);
            }
            if let Some(cap) = p.capacity_per_month {
                f.capacity_per_month = Some(f.capacity_per_month.map_or(cap, |c| Ord::max(c, cap)));
            }
            if p.status == "dikurasi" {
                f.curated_products = f.curated_products.saturating_add(1);
            }
        }
        let channels: Vec<CountRow> = self
            .fetch_all(
                Query::select()
                    .expr_as(Expr::col(ChannelEntries::BusinessId), "id")
                    .expr_as(Expr::col(ChannelEntries::Id).count(), "n")
                    .from(ChannelEntries::Table)
                    .and_where(Expr::col(ChannelEntries::TenantCode).eq(t))
                    .cond_where(among(Expr::col(ChannelEntries::BusinessId)))
                    .cond_where(among(Expr::col(ChannelEntries::BusinessId)))
                    .group_by_col(ChannelEntries::BusinessId),
            )
            .await?;
        for c in channels {
            if let Some(&i) = at.get(&c.id) {
                out[i].channels = u16::try_from(c.n).unwrap_or(u16::MAX);
            }
        }
        #[derive(sqlx::FromRow)]
        struct PartnerRow {
            id: Uuid,
            name: String,
            region_code: Option<String>,
            kbli_code: Option<String>,
            nib: Option<String>,
            sector: Option<String>,
            description: Option<String>,
            active: bool,
            kind: String,
        }
        let partners: Vec<PartnerRow> = self
            .fetch_all(
                Query::select()
                    .columns([
                        Partners::Id,
                        Partners::Name,
                        Partners::RegionCode,
                        Partners::KbliCode,
                        Partners::Nib,
                        Partners::Sector,
                        Partners::Description,
                        Partners::Active,
                        Partners::Kind,
                    ])
                    .from(Partners::Table)
                    .and_where(Expr::col(Partners::TenantCode).eq(t))
                    .cond_where(match only {
                        None => Cond::all(),
                        Some((_, partners)) => Cond::all().add(Expr::col(Partners::Id).is_in(partners.iter().copied())),
                    })
                    .and_where(
                        Expr::col(Partners::Kind)
                            .is_in(SUPPLYING_PARTNERS.iter().chain([&PartnerKind::Region]).map(|k| k.slug())),
                    ),
            )
            .await?;
        // Read only when a partner Pemda is among the rows: most refreshes after a write hold none.
        let services = if partners.iter().any(|p| p.kind == PartnerKind::Region.slug()) {
            self.lab_services_for(tenant).await?
        } else {
            HashMap::new()
        };
        let mut partner_at: HashMap<Uuid, usize> = HashMap::new();
        for p in partners {
            // Another Pemda supplies through a regional service it runs for this one.
            let service = match p.kind.parse::<PartnerKind>() {
                Ok(PartnerKind::Region) => match p.region_code.as_ref().and_then(|c| services.get(c)) {
                    Some(words) => Some(words),
                    None => continue,
                },
                _ => None,
            };
            partner_at.insert(p.id, out.len());
            let mut kbli: Vec<KbliCode> = p.kbli_code.and_then(|c| KbliCode::parse(&c).ok()).into_iter().collect();
            let mut text = format!("{} {}", p.sector.unwrap_or_default(), p.description.unwrap_or_default());
            let mut name = p.name;
            if let Some(words) = service {
                kbli.extend(KbliCode::parse(LAB_TESTING_KBLI).ok());
                text = format!("{text} {words}");
                name = format!("{name} (Labkesda)");
            }
            out.push(SupplierFacts {
                id: SupplierRef::Partner(PartnerId::from_uuid(p.id)),
                name,
                active: p.active,
                region: p.region_code.and_then(|c| RegionCode::parse(&c).ok()),
                kbli,
                categories: Vec::new(),
                text,
                // A partner's permits are not in the registry: only its NIB (on its profile)
                // passes a permit filter.
                permits: p
                    .nib
                    .filter(|n| !n.is_empty())
                    .map(|_| HeldPermit { kind: PermitKind::Nib, expires: None })
                    .into_iter()
                    .collect(),
                capacity_per_month: None,
                curated_products: 0,
                channels: 0,
                past_deals: 0,
            });
        }
        let deals: Vec<CountRow> = self
            .fetch_all(
                Query::select()
                    .expr_as(Expr::col(DemandOffers::SupplierId), "id")
                    .expr_as(Expr::col(DemandOffers::Id).count(), "n")
                    .from(DemandOffers::Table)
                    .and_where(Expr::col(DemandOffers::TenantCode).eq(t))
                    .and_where(Expr::col(DemandOffers::Status).eq("diterima"))
                    .group_by_col(DemandOffers::SupplierId),
            )
            .await?;
        for d in deals {
            if let Some(&i) = at.get(&d.id).or_else(|| partner_at.get(&d.id)) {
                out[i].past_deals = u16::try_from(d.n).unwrap_or(u16::MAX);
            }
        }
        Ok(out)
    }

    /// The laboratories that serve this Pemda's companies, by the region code of the Pemda
    /// that runs each, with the words they are found by (their media, parameters and
    /// packages): a Pemda's Labkesda serves the partner Pemda of the agreement its settings
    /// name (the Kota–Kabupaten Serang KB in the demo).
    async fn lab_services_for(&self, tenant: &RegionCode) -> Result<HashMap<String, String>> {
        #[derive(sqlx::FromRow)]
        struct Lab {
            tenant_code: String,
        }
        let labs: Vec<Lab> = self
            .fetch_all(
                Query::select()
                    .distinct()
                    .column((LabSettings::Table, LabSettings::TenantCode))
                    .from(LabSettings::Table)
                    .inner_join(
                        AgreementParties::Table,
                        Expr::col((AgreementParties::Table, AgreementParties::TenantCode))
                            .equals((LabSettings::Table, LabSettings::TenantCode))
                            .and(
                                Expr::col((AgreementParties::Table, AgreementParties::AgreementId))
                                    .equals((LabSettings::Table, LabSettings::AgreementId)),
                            ),
                    )
                    .and_where(
                        Expr::col((AgreementParties::Table, AgreementParties::PartyTenantCode)).eq(tenant.as_str()),
                    ),
            )
            .await?;
        let mut out = HashMap::new();
        for lab in labs {
            let l = lab.tenant_code.as_str();
            let mut items = self
                .lab_items(
                    LabParameters::Table,
                    LabParameters::Name,
                    LabParameters::Medium,
                    LabParameters::TenantCode,
                    l,
                )
                .await?;
            items.extend(
                self.lab_items(LabPackages::Table, LabPackages::Name, LabPackages::Medium, LabPackages::TenantCode, l)
                    .await?,
            );
            let mut words = String::from("uji laboratorium pengujian sampel");
            for (medium, name) in items {
                // "air-limbah" is found as "air limbah".
                words.push(' ');
                words.push_str(&medium.replace('-', " "));
                words.push(' ');
                words.push_str(&name);
            }
            out.insert(lab.tenant_code, words);
        }
        Ok(out)
    }

    /// (medium, name) of a laboratory's parameters or packages.
    async fn lab_items<T: sea_query::Iden + Copy + 'static>(
        &self,
        table: T,
        name: T,
        medium: T,
        tenant_col: T,
        tenant: &str,
    ) -> Result<Vec<(String, String)>> {
        #[derive(sqlx::FromRow)]
        struct Item {
            medium: String,
            name: String,
        }
        let items: Vec<Item> = self
            .fetch_all(
                Query::select()
                    .expr_as(Expr::col(medium), "medium")
                    .expr_as(Expr::col(name), "name")
                    .from(table)
                    .and_where(Expr::col(tenant_col).eq(tenant)),
            )
            .await?;
        Ok(items.into_iter().map(|i| (i.medium, i.name)).collect())
    }

    /// When the tenant last wrote anything (the latest audit event, milliseconds): every write
    /// is audited, so a supplier index built after this instant is current. One indexed read.
    pub async fn supply_version(&self, actor: &Actor, tenant: &RegionCode) -> Result<i64> {
        let tenant = own_tenant(actor, tenant)?;
        #[derive(sqlx::FromRow)]
        struct Latest {
            at: Option<i64>,
        }
        let latest: Latest = self
            .fetch_one(
                Query::select()
                    .expr_as(Expr::col(AuditEvents::At).max(), "at")
                    .from(AuditEvents::Table)
                    .and_where(Expr::col(AuditEvents::TenantCode).eq(tenant.as_str())),
            )
            .await
            .map_err(|e| match e {
                StoreError::NotFound => StoreError::Corrupt("no max".into()),
                other => other,
            })?;
        Ok(latest.at.unwrap_or(0))
    }
}

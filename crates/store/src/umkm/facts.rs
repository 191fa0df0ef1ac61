//! What the in-memory registry search ([`sinergi_engines::registry_search`]) knows of each live
//! business: its name, owner, places, headline class, KBLI codes, permits, sources and years.
//! Read in batches along the primary key (tenant, id), so a registry of a million businesses is
//! streamed without an OFFSET that grows, and a batch's children are read by a range of the
//! same key rather than a list of ids.

use std::collections::HashMap;

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use sinergi_domain::umkm::PermitKind;
use sinergi_domain::{Actor, BusinessId, KbliCode, Permission, RegionCode};
use sinergi_engines::registry_search::BusinessFacts;
use uuid::Uuid;

use super::list::{class_of, code};
use super::registry_tenant;
use crate::schema::*;
use crate::{Result, Store};

/// Ids per `IN (...)` when facts are read for given businesses.
const IDS_PER_QUERY: usize = 500;

/// Which businesses a read covers: a range of ids (a batch of the whole registry), or a list.
enum Among<'a> {
    Range { after: Option<Uuid>, last: Uuid },
    Ids(&'a [Uuid]),
}

impl Among<'_> {
    /// The condition on a table's business id column.
    fn on(&self, column: Expr) -> Cond {
        match self {
            Among::Range { after, last } => {
                let mut c = Cond::all().add(column.clone().lte(*last));
                if let Some(after) = after {
                    c = c.add(column.gt(*after));
                }
                c
            }
            Among::Ids(ids) => Cond::all().add(column.is_in(ids.iter().copied())),
        }
    }
}

#[derive(sqlx::FromRow)]
struct FactRow {
    id: Uuid,
    name: String,
    owner_name: Option<String>,
    kecamatan_code: Option<String>,
    desa_code: Option<String>,
    class_capital: Option<String>,
    class_sales: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Child {
    business_id: Uuid,
    value: String,
}

#[derive(sqlx::FromRow)]
struct YearChild {
    business_id: Uuid,
    year: i32,
}

impl Store {
    /// The search facts of up to `limit` live businesses of the registry, in id order, after
    /// `after` (none: from the start). Call again with the last id returned until a batch comes
    /// back short: the whole registry, a batch at a time.
    pub async fn umkm_search_facts(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        after: Option<BusinessId>,
        limit: u64,
    ) -> Result<Vec<BusinessFacts>> {
        use UmkmBusinesses as B;
        let tenant = registry_tenant(actor, Permission::ViewUmkm, tenant)?;
        let after = after.map(|a| a.as_uuid());
        let mut select = fact_select(&tenant);
        if let Some(after) = after {
            select.and_where(Expr::col(B::Id).gt(after));
        }
        let rows: Vec<FactRow> = self.fetch_all(select.order_by(B::Id, Order::Asc).limit(limit)).await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            return Ok(Vec::new());
        };
        self.with_children(&tenant, rows, &Among::Range { after, last }).await
    }

    /// The search facts of these businesses, those still live (a business merged away is left
    /// out: the search forgets it). What the search re-reads after a write.
    pub async fn umkm_search_facts_of(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        ids: &[BusinessId],
    ) -> Result<Vec<BusinessFacts>> {
        use UmkmBusinesses as B;
        let tenant = registry_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let uuids: Vec<Uuid> = chunk.iter().map(|i| i.as_uuid()).collect();
            let mut select = fact_select(&tenant);
            select.and_where(Expr::col(B::Id).is_in(uuids.iter().copied()));
            let rows: Vec<FactRow> = self.fetch_all(&select).await?;
            out.extend(self.with_children(&tenant, rows, &Among::Ids(&uuids)).await?);
        }
        Ok(out)
    }

    /// When the tenant's last import was committed (milliseconds), by this process or another
    /// (`sinergi import umkm`): how a search index notices writes it was not told about. The
    /// imports table holds a row per file, so this is cheap at any registry size.
    pub async fn umkm_last_import_at(&self, actor: &Actor, tenant: &RegionCode) -> Result<Option<i64>> {
        use UmkmImports as I;
        let tenant = registry_tenant(actor, Permission::ViewUmkm, tenant)?;
        #[derive(sqlx::FromRow)]
        struct Latest {
            at: Option<i64>,
        }
        let latest: Latest = self
            .fetch_one(
                Query::select()
                    .expr_as(Expr::col(I::CommittedAt).max(), "at")
                    .from(I::Table)
                    .and_where(Expr::col(I::TenantCode).eq(tenant.as_str())),
            )
            .await?;
        Ok(latest.at)
    }

    /// The businesses with a duplicate question open (either side of it): few, and what the
    /// list's "in review" filter narrows the search to.
    pub async fn umkm_in_review_ids(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<BusinessId>> {
        use UmkmReviews as V;
        let tenant = registry_tenant(actor, Permission::ViewUmkm, tenant)?;
        #[derive(sqlx::FromRow)]
        struct Pair {
            business_id: Uuid,
            candidate_id: Uuid,
        }
        let pairs: Vec<Pair> = self
            .fetch_all(
                Query::select()
                    .columns([V::BusinessId, V::CandidateId])
                    .from(V::Table)
                    .and_where(Expr::col(V::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(V::Status).eq("open")),
            )
            .await?;
        let mut ids: Vec<BusinessId> =
            pairs.iter().flat_map(|p| [p.business_id, p.candidate_id]).map(BusinessId::from_uuid).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The facts of these business rows, their KBLI codes, permits, sources and years read for
    /// the same businesses (one query per child table).
    async fn with_children(
        &self,
        tenant: &RegionCode,
        rows: Vec<FactRow>,
        among: &Among<'_>,
    ) -> Result<Vec<BusinessFacts>> {
        let mut facts: Vec<BusinessFacts> = rows.into_iter().map(facts_of).collect();
        if facts.is_empty() {
            return Ok(facts);
        }
        let at: HashMap<Uuid, usize> = facts.iter().enumerate().map(|(i, f)| (f.id.as_uuid(), i)).collect();
        let t = tenant.as_str();
        let kbli: Vec<Child> = self
            .fetch_all(
                Query::select()
                    .column(UmkmBusinessKbli::BusinessId)
                    .expr_as(Expr::col(UmkmBusinessKbli::Code), "value")
                    .from(UmkmBusinessKbli::Table)
                    .and_where(Expr::col(UmkmBusinessKbli::TenantCode).eq(t))
                    .cond_where(among.on(Expr::col(UmkmBusinessKbli::BusinessId))),
            )
            .await?;
        for c in kbli {
            if let (Some(&i), Ok(code)) = (at.get(&c.business_id), KbliCode::parse(&c.value)) {
                facts[i].kbli.push(code);
            }
        }
        let permits: Vec<Child> = self
            .fetch_all(
                Query::select()
                    .column(UmkmPermits::BusinessId)
                    .expr_as(Expr::col(UmkmPermits::Kind), "value")
                    .from(UmkmPermits::Table)
                    .and_where(Expr::col(UmkmPermits::TenantCode).eq(t))
                    .cond_where(among.on(Expr::col(UmkmPermits::BusinessId))),
            )
            .await?;
        for c in permits {
            if let (Some(&i), Ok(kind)) = (at.get(&c.business_id), c.value.parse::<PermitKind>()) {
                facts[i].permits.push(kind);
            }
        }
        let sources: Vec<Child> = self
            .fetch_all(
                Query::select()
                    .distinct()
                    .column(UmkmRecords::BusinessId)
                    .expr_as(Expr::col(UmkmRecords::Source), "value")
                    .from(UmkmRecords::Table)
                    .and_where(Expr::col(UmkmRecords::TenantCode).eq(t))
                    .cond_where(among.on(Expr::col(UmkmRecords::BusinessId))),
            )
            .await?;
        for c in sources {
            if let Some(&i) = at.get(&c.business_id) {
                facts[i].sources.push(c.value);
            }
        }
        let years: Vec<YearChild> = self
            .fetch_all(
                Query::select()
                    .columns([UmkmYears::BusinessId, UmkmYears::Year])
                    .from(UmkmYears::Table)
                    .and_where(Expr::col(UmkmYears::TenantCode).eq(t))
                    .cond_where(among.on(Expr::col(UmkmYears::BusinessId))),
            )
            .await?;
        for y in years {
            if let Some(&i) = at.get(&y.business_id) {
                facts[i].years.push(y.year);
            }
        }
        for f in &mut facts {
            // One order whatever the database returned, so facts compare equal across backends.
            f.kbli.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
            f.kbli.dedup();
            f.permits.sort_unstable_by_key(|p| p.slug());
            f.permits.dedup();
            f.sources.sort_unstable();
            f.years.sort_unstable();
        }
        Ok(facts)
    }
}

/// The live businesses of a tenant, with the columns the facts read.
fn fact_select(tenant: &RegionCode) -> sea_query::SelectStatement {
    use UmkmBusinesses as B;
    Query::select()
        .columns([B::Id, B::Name, B::OwnerName, B::KecamatanCode, B::DesaCode, B::ClassCapital, B::ClassSales])
        .from(B::Table)
        .and_where(Expr::col(B::TenantCode).eq(tenant.as_str()))
        .and_where(Expr::col(B::Status).eq("active"))
        .to_owned()
}

fn facts_of(r: FactRow) -> BusinessFacts {
    BusinessFacts {
        id: BusinessId::from_uuid(r.id),
        name: r.name,
        owner: r.owner_name,
        kecamatan: code(r.kecamatan_code),
        desa: code(r.desa_code),
        // The headline class, as the list's class filter reads it.
        class: class_of(r.class_capital, r.class_sales).headline(),
        kbli: Vec::new(),
        permits: Vec::new(),
        sources: Vec::new(),
        years: Vec::new(),
    }
}

//! Value captured locally (the sum of deal values by month and by buyer kind) and the funnel
//! demand → offer → deal: what the Pemda shows to argue that matching keeps money in the region.

use std::collections::BTreeMap;

use sea_query::{Expr, ExprTrait};
use serde::Serialize;
use sinergi_domain::Actor;
use sinergi_domain::RegionCode;
use sinergi_domain::market::demand::{BuyerKind, DemandStatus, OfferStatus};

use super::{DemandRow, own_tenant, read_demands, reader};
use crate::schema::*;
use crate::{Result, Store, StoreError};

/// Deals of one month and one kind of buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueRow {
    /// "2026-11".
    pub month: String,
    pub buyer_kind: BuyerKind,
    pub deals: i64,
    pub value: i64,
}

/// One deal: the demand, its value and day, and who supplies it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealLine {
    pub demand: DemandRow,
    pub on: time::Date,
    pub value: i64,
    pub supplier: String,
}

/// How many demands were posted, received an offer, and ended in a deal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemandFunnel {
    pub demands: i64,
    pub with_offers: i64,
    pub deals: i64,
    pub value: i64,
}

fn internal(actor: &Actor) -> Result<()> {
    if actor.role.is_internal() { Ok(()) } else { Err(StoreError::Forbidden) }
}

impl Store {
    /// The deals' value by month (of the deal) and kind of buyer, newest month first.
    pub async fn demand_value_captured(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<ValueRow>> {
        let tenant = own_tenant(actor, tenant)?;
        internal(actor)?;
        let rows = self.all_demands(actor, &tenant).await?;
        let mut by: BTreeMap<(String, &'static str), (BuyerKind, i64, i64)> = BTreeMap::new();
        for d in rows.iter().filter(|d| d.status == DemandStatus::Deal) {
            let (Some(on), Some(value)) = (d.deal_on, d.deal_value) else { continue };
            let month = format!("{:04}-{:02}", on.year(), u8::from(on.month()));
            let e = by.entry((month, d.buyer_kind.slug())).or_insert((d.buyer_kind, 0, 0));
            e.1 += 1;
            e.2 += value;
        }
        let mut out: Vec<ValueRow> = by
            .into_iter()
            .map(|((month, _), (buyer_kind, deals, value))| ValueRow { month, buyer_kind, deals, value })
            .collect();
        out.sort_by(|a, b| b.month.cmp(&a.month).then(a.buyer_kind.slug().cmp(b.buyer_kind.slug())));
        Ok(out)
    }

    /// Demand → offer → deal over every demand of the Pemda.
    pub async fn demand_funnel(&self, actor: &Actor, tenant: &RegionCode) -> Result<DemandFunnel> {
        let tenant = own_tenant(actor, tenant)?;
        internal(actor)?;
        let rows = self.all_demands(actor, &tenant).await?;
        #[derive(sqlx::FromRow)]
        struct IdRow {
            demand_id: uuid::Uuid,
        }
        let offered: std::collections::HashSet<uuid::Uuid> = self
            .fetch_all::<IdRow, _>(
                sea_query::Query::select()
                    .distinct()
                    .column(DemandOffers::DemandId)
                    .from(DemandOffers::Table)
                    .and_where(Expr::col(DemandOffers::TenantCode).eq(tenant.as_str())),
            )
            .await?
            .into_iter()
            .map(|r| r.demand_id)
            .collect();
        let mut f = DemandFunnel { demands: rows.len() as i64, ..Default::default() };
        for d in &rows {
            if offered.contains(&d.id.as_uuid()) {
                f.with_offers += 1;
            }
            if d.status == DemandStatus::Deal {
                f.deals += 1;
                f.value += d.deal_value.unwrap_or(0);
            }
        }
        Ok(f)
    }

    /// Every deal of the Pemda with the supplier of the accepted offer, newest deal first: the
    /// lines behind "value captured locally".
    pub async fn demand_deals(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<DealLine>> {
        let tenant = own_tenant(actor, tenant)?;
        internal(actor)?;
        let rows = self.all_demands(actor, &tenant).await?;
        #[derive(sqlx::FromRow)]
        struct Accepted {
            id: uuid::Uuid,
            supplier_name: String,
        }
        let accepted: std::collections::HashMap<uuid::Uuid, String> = self
            .fetch_all::<Accepted, _>(
                sea_query::Query::select()
                    .columns([DemandOffers::Id, DemandOffers::SupplierName])
                    .from(DemandOffers::Table)
                    .and_where(Expr::col(DemandOffers::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(DemandOffers::Status).eq(OfferStatus::Accepted.slug())),
            )
            .await?
            .into_iter()
            .map(|r| (r.id, r.supplier_name))
            .collect();
        let mut out: Vec<DealLine> = rows
            .into_iter()
            .filter(|d| d.status == DemandStatus::Deal)
            .filter_map(|d| {
                let (on, value) = (d.deal_on?, d.deal_value?);
                let supplier = d.accepted_offer.and_then(|o| accepted.get(&o.as_uuid()).cloned()).unwrap_or_default();
                Some(DealLine { on, value, supplier, demand: d })
            })
            .collect();
        out.sort_by(|a, b| b.on.cmp(&a.on).then_with(|| a.demand.title.cmp(&b.demand.title)));
        Ok(out)
    }

    async fn all_demands(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<DemandRow>> {
        let mut tx = self.begin_read().await?;
        let reader = reader(&mut tx, actor, tenant).await?;
        read_demands(&mut tx, tenant, &reader, None).await
    }
}

//! The laboratory's figures: retribution revenue (PAD) by month, test, customer and the
//! customer's kab/kota; turnaround from order to published certificate; pass and fail by
//! parameter. Computed in Rust from the tenant's rows (a Labkesda handles thousands of
//! orders a year, not millions), so that one definition serves both databases.

use std::collections::BTreeMap;

use sea_query::{Expr, ExprTrait, Query};
use serde::Serialize;
use sinergi_domain::lab::{Medium, OrderStatus, Verdict, median_p90};
use sinergi_domain::{Actor, AgreementId, LabOrderId, LabParameterId, Permission, RegionCode};
use time::Date;
use uuid::Uuid;

use super::lab_tenant;
use crate::schema::*;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthRevenue {
    /// "2026-09".
    pub month: String,
    pub orders: u32,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevenueRow {
    pub key: String,
    pub label: String,
    pub orders: u32,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Turnaround {
    pub published: u32,
    pub median_days: f64,
    pub p90_days: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterVerdicts {
    pub parameter_id: LabParameterId,
    pub name: String,
    /// The same name (pH) is a different standard in wastewater and in drinking water.
    pub medium: Option<Medium>,
    pub pass: u32,
    pub fail: u32,
    pub no_limit: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LabReport {
    pub total_revenue: i64,
    pub paid_orders: u32,
    pub open_orders: u32,
    pub by_month: Vec<MonthRevenue>,
    pub by_test: Vec<RevenueRow>,
    pub by_customer: Vec<RevenueRow>,
    /// By the customer's kab/kota code; the label is the code (the web names it).
    pub by_region: Vec<RevenueRow>,
    pub turnaround: Option<Turnaround>,
    pub verdicts: Vec<ParameterVerdicts>,
}

#[derive(sqlx::FromRow)]
struct O {
    id: Uuid,
    status: String,
    partner_id: Uuid,
    customer_name: String,
    customer_region: Option<String>,
    paid_on: Option<String>,
    paid_amount: Option<i64>,
    ordered_at: i64,
    published_at: Option<i64>,
    version: i32,
}

#[derive(sqlx::FromRow)]
struct L {
    order_id: Uuid,
    name: String,
    tariff: i64,
}

#[derive(sqlx::FromRow)]
struct ResultDbRow {
    order_id: Uuid,
    parameter_id: Uuid,
    name: String,
    version: i32,
    verdict: String,
}

fn add(map: &mut BTreeMap<String, RevenueRow>, key: &str, label: &str, amount: i64) {
    let e = map.entry(key.to_owned()).or_insert_with(|| RevenueRow {
        key: key.to_owned(),
        label: label.to_owned(),
        orders: 0,
        amount: 0,
    });
    e.orders += 1;
    e.amount += amount;
}

fn ranked(map: BTreeMap<String, RevenueRow>) -> Vec<RevenueRow> {
    let mut v: Vec<RevenueRow> = map.into_values().collect();
    v.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.label.cmp(&b.label)));
    v
}

impl Store {
    pub async fn lab_report(&self, actor: &Actor, tenant: &RegionCode) -> Result<LabReport> {
        let tenant = lab_tenant(actor, Permission::ViewLab, tenant)?;
        let mut tx = self.begin_read().await?;
        let orders: Vec<O> = tx
            .fetch_all(
                super::orders::with_customer(&[
                    LabOrders::Id,
                    LabOrders::Status,
                    LabOrders::PartnerId,
                    LabOrders::CustomerRegion,
                    LabOrders::PaidOn,
                    LabOrders::PaidAmount,
                    LabOrders::OrderedAt,
                    LabOrders::PublishedAt,
                    LabOrders::Version,
                ])
                .and_where(Expr::col((LabOrders::Table, LabOrders::TenantCode)).eq(tenant.as_str())),
            )
            .await?;
        let lines: Vec<L> = tx
            .fetch_all(
                Query::select()
                    .columns([LabOrderLines::OrderId, LabOrderLines::Name, LabOrderLines::Tariff])
                    .from(LabOrderLines::Table)
                    .and_where(Expr::col(LabOrderLines::TenantCode).eq(tenant.as_str())),
            )
            .await?;
        let results: Vec<ResultDbRow> = tx
            .fetch_all(
                Query::select()
                    .columns([
                        LabResults::OrderId,
                        LabResults::ParameterId,
                        LabResults::Name,
                        LabResults::Version,
                        LabResults::Verdict,
                    ])
                    .from(LabResults::Table)
                    .and_where(Expr::col(LabResults::TenantCode).eq(tenant.as_str())),
            )
            .await?;
        let mut report = LabReport::default();
        let mut months: BTreeMap<String, MonthRevenue> = BTreeMap::new();
        let mut customers = BTreeMap::new();
        let mut regions = BTreeMap::new();
        let mut tests = BTreeMap::new();
        let mut days = Vec::new();
        let mut published: BTreeMap<Uuid, i32> = BTreeMap::new();
        for o in &orders {
            let status: Option<OrderStatus> = o.status.parse().ok();
            if status.is_some_and(|s| !s.is_final() && s != OrderStatus::Published) {
                report.open_orders += 1;
            }
            if let Some(published_at) = o.published_at
                && status == Some(OrderStatus::Published)
            {
                days.push((published_at - o.ordered_at) as f64 / 86_400_000.0);
                published.insert(o.id, o.version);
            }
            let (Some(paid_on), Some(amount)) = (o.paid_on.as_deref(), o.paid_amount) else { continue };
            report.paid_orders += 1;
            report.total_revenue += amount;
            let month = paid_on.get(..7).unwrap_or(paid_on).to_owned();
            let m = months.entry(month.clone()).or_insert(MonthRevenue { month, orders: 0, amount: 0 });
            m.orders += 1;
            m.amount += amount;
            add(&mut customers, &o.partner_id.to_string(), &o.customer_name, amount);
            let region = o.customer_region.as_deref().unwrap_or("-");
            add(&mut regions, region, region, amount);
            for l in lines.iter().filter(|l| l.order_id == o.id) {
                add(&mut tests, &l.name, &l.name, l.tariff);
            }
        }
        report.by_month = months.into_values().collect();
        report.by_customer = ranked(customers);
        report.by_region = ranked(regions);
        report.by_test = ranked(tests);
        report.turnaround = median_p90(&mut days).map(|(m, p)| Turnaround {
            published: days.len() as u32,
            median_days: m,
            p90_days: p,
        });
        // Pass and fail over the published certificates' standing results, per parameter of
        // the catalogue (its medium tells wastewater pH from drinking-water pH).
        let catalogue = super::read_catalogue(&mut tx, &tenant).await?;
        let mut verdicts: BTreeMap<Uuid, ParameterVerdicts> = BTreeMap::new();
        for r in results.iter().filter(|r| published.get(&r.order_id) == Some(&r.version)) {
            let id = LabParameterId::from_uuid(r.parameter_id);
            let v = verdicts.entry(r.parameter_id).or_insert_with(|| ParameterVerdicts {
                parameter_id: id,
                name: r.name.clone(),
                medium: catalogue.parameter(id).map(|p| p.medium),
                pass: 0,
                fail: 0,
                no_limit: 0,
            });
            match r.verdict.parse::<Verdict>() {
                Ok(Verdict::Pass) => v.pass += 1,
                Ok(Verdict::Fail) => v.fail += 1,
                _ => v.no_limit += 1,
            }
        }
        let mut verdicts: Vec<ParameterVerdicts> = verdicts.into_values().collect();
        verdicts.sort_by(|a, b| (b.fail, b.pass).cmp(&(a.fail, a.pass)).then_with(|| a.name.cmp(&b.name)));
        report.verdicts = verdicts;
        Ok(report)
    }
}

/// One paid order, as "money kept local" counts it (see [`crate::local_value`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabPayment {
    pub order_id: LabOrderId,
    pub number: String,
    pub invoice: String,
    pub paid_on: Date,
    pub amount: i64,
    pub customer: String,
    /// The customer's kab/kota code, as ordered.
    pub customer_region: Option<String>,
    /// The customer is in a partner Pemda of the agreement the lab serves: the payment is on
    /// that agreement's PAD outcome too.
    pub in_cooperation: bool,
}

/// The lab's paid orders and the agreement they count towards.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LabPayments {
    /// The agreement named in the lab's settings, with its title.
    pub agreement: Option<(AgreementId, String)>,
    pub payments: Vec<LabPayment>,
}

#[derive(sqlx::FromRow)]
struct Paid {
    id: Uuid,
    number: String,
    invoice_number: Option<String>,
    paid_on: Option<String>,
    paid_amount: Option<i64>,
    customer_region: Option<String>,
    customer_name: String,
}

impl Store {
    /// Every paid order of the tenant's lab, newest payment first.
    pub async fn lab_payments(&self, actor: &Actor, tenant: &RegionCode) -> Result<LabPayments> {
        let tenant = lab_tenant(actor, Permission::ViewLab, tenant)?;
        let mut tx = self.begin_read().await?;
        let agreement = match super::read_settings(&mut tx, &tenant).await?.agreement_id {
            None => None,
            Some(id) => {
                #[derive(sqlx::FromRow)]
                struct T {
                    title: String,
                }
                let t: Option<T> = tx
                    .fetch_optional(
                        Query::select()
                            .column(Agreements::Title)
                            .from(Agreements::Table)
                            .and_where(Expr::col(Agreements::TenantCode).eq(tenant.as_str()))
                            .and_where(Expr::col(Agreements::Id).eq(id.as_uuid())),
                    )
                    .await?;
                t.map(|t| (id, t.title))
            }
        };
        let partners = match &agreement {
            Some((id, _)) => super::orders::party_regions(&mut tx, &tenant, id.as_uuid()).await?,
            None => Vec::new(),
        };
        let rows: Vec<Paid> = tx
            .fetch_all(
                super::orders::with_customer(&[
                    LabOrders::Id,
                    LabOrders::Number,
                    LabOrders::InvoiceNumber,
                    LabOrders::PaidOn,
                    LabOrders::PaidAmount,
                    LabOrders::CustomerRegion,
                ])
                .and_where(Expr::col((LabOrders::Table, LabOrders::TenantCode)).eq(tenant.as_str()))
                .and_where(Expr::col((LabOrders::Table, LabOrders::PaidOn)).is_not_null()),
            )
            .await?;
        let iso = time::format_description::well_known::Iso8601::DATE;
        let mut payments = Vec::with_capacity(rows.len());
        for r in rows {
            let (Some(paid_on), Some(amount)) = (r.paid_on, r.paid_amount) else { continue };
            let paid_on = Date::parse(&paid_on, &iso).map_err(|_| StoreError::Corrupt("lab payment date".into()))?;
            let in_cooperation = r.customer_region.as_ref().is_some_and(|c| partners.contains(c));
            payments.push(LabPayment {
                order_id: LabOrderId::from_uuid(r.id),
                number: r.number,
                invoice: r.invoice_number.unwrap_or_default(),
                paid_on,
                amount,
                customer: r.customer_name,
                customer_region: r.customer_region,
                in_cooperation,
            });
        }
        payments.sort_by(|a, b| b.paid_on.cmp(&a.paid_on).then_with(|| b.number.cmp(&a.number)));
        Ok(LabPayments { agreement, payments })
    }
}

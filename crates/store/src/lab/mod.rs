//! The regional laboratory (Labkesda): a Pemda's test catalogue with its retribution tariffs,
//! the orders companies place (through the partner portal or an officer), their samples and
//! chain of custody, results judged against quality standards, verification by a second
//! person, certificates, and the revenue (PAD) they bring.
//!
//! The workflow's rules are pure (`sinergi_domain::lab`); this module stores each step with its
//! transition row and audit event in one transaction. A partner user sees only the orders of
//! their own company; another Pemda's order is not found.

mod orders;
mod report;

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::lab::{Limit, Medium};
use sinergi_domain::{Actor, AgreementId, LabPackageId, LabParameterId, PartnerId, Permission, RegionCode, Role};
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::audit::{Change, RecordType, record};
use crate::db::Tx;
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

pub use orders::{
    CertificateResult, CustodyRow, LabCertificateView, LabOrder, LabOrderFilter, LabOrderLine, LabOrderRow,
    NewLabOrder, Payment, ResultRow, SampleRow, TransitionRow,
};
pub use report::{LabPayment, LabPayments, LabReport, MonthRevenue, ParameterVerdicts, RevenueRow, Turnaround};

/// One parameter of the catalogue, with its quality standard and tariff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabParameter {
    pub id: LabParameterId,
    pub medium: Medium,
    pub name: String,
    pub unit: String,
    pub method: String,
    pub limit: Limit,
    /// The regulation that sets the standard ("Permen LHK P.68/2016").
    pub legal_basis: String,
    /// Whole rupiah, as retribution.
    pub tariff: i64,
    /// The Perda that sets the tariff.
    pub tariff_basis: String,
    pub turnaround_days: u32,
    pub active: bool,
}

/// A package of parameters sold together, at its own tariff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabPackage {
    pub id: LabPackageId,
    pub medium: Medium,
    pub name: String,
    pub parameters: Vec<LabParameterId>,
    pub tariff: i64,
    pub tariff_basis: String,
    pub turnaround_days: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LabCatalogue {
    pub parameters: Vec<LabParameter>,
    pub packages: Vec<LabPackage>,
}

impl LabCatalogue {
    pub fn parameter(&self, id: LabParameterId) -> Option<&LabParameter> {
        self.parameters.iter().find(|p| p.id == id)
    }
    pub fn package(&self, id: LabPackageId) -> Option<&LabPackage> {
        self.packages.iter().find(|p| p.id == id)
    }
}

/// A new parameter for the catalogue.
#[derive(Debug, Clone)]
pub struct NewLabParameter {
    pub medium: Medium,
    pub name: String,
    pub unit: String,
    pub method: String,
    pub limit: Limit,
    pub legal_basis: String,
    pub tariff: i64,
    pub tariff_basis: String,
    pub turnaround_days: u32,
}

/// A new package of existing parameters of one medium.
#[derive(Debug, Clone)]
pub struct NewLabPackage {
    pub medium: Medium,
    pub name: String,
    pub parameters: Vec<LabParameterId>,
    pub tariff: i64,
    pub tariff_basis: String,
    pub turnaround_days: u32,
}

/// Which catalogue item a tariff change is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TariffItem {
    Parameter(LabParameterId),
    Package(LabPackageId),
}

/// The laboratory's settings: the agreement whose PAD outcome its service to the partner
/// Pemda's industries feeds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LabSettingsView {
    pub agreement_id: Option<AgreementId>,
}

/// Who is asking about orders: the laboratory (every order of the tenant) or a company's own
/// partner user (only that company's orders).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Viewer {
    Lab,
    Company(PartnerId),
}

/// The tenant an officer works in, for `permission`.
fn lab_tenant(actor: &Actor, permission: Permission, tenant: &RegionCode) -> Result<RegionCode> {
    if !actor.can(permission) {
        return Err(StoreError::Forbidden);
    }
    target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)
}

/// The tenant and the view of orders: internal users see the lab's orders; a partner user
/// linked to a company sees that company's orders only.
fn order_viewer(actor: &Actor, tenant: &RegionCode) -> Result<(RegionCode, Viewer)> {
    if actor.can(Permission::ViewLab) {
        return Ok((lab_tenant(actor, Permission::ViewLab, tenant)?, Viewer::Lab));
    }
    if actor.role != Role::Partner {
        return Err(StoreError::Forbidden);
    }
    let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
    // A partner user not linked to a company speaks for none: it sees no order at all.
    let company = actor.partner.unwrap_or_else(|| PartnerId::from_uuid(Uuid::nil()));
    Ok((tenant, Viewer::Company(company)))
}

/// The kabupaten or kota a region code lies in (a kecamatan's or desa's regency).
pub fn kabkota(code: &RegionCode) -> Option<RegionCode> {
    let mut c = code.clone();
    loop {
        match c.level() {
            sinergi_domain::RegionLevel::Regency => return Some(c),
            sinergi_domain::RegionLevel::Province => return None,
            _ => c = c.parent()?,
        }
    }
}

fn clean(s: &str, field: &'static str, max: usize) -> Result<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() {
        return Err(StoreError::Invalid(FieldError::new(field, "required")));
    }
    if t.chars().count() > max {
        return Err(StoreError::Invalid(FieldError::new(field, "too-long")));
    }
    Ok(t)
}

fn check_tariff(tariff: i64) -> Result<()> {
    if tariff < 0 {
        return Err(StoreError::Invalid(FieldError::new("tariff", "negative")));
    }
    Ok(())
}

fn check_days(days: u32) -> Result<()> {
    if days == 0 || days > 365 {
        return Err(StoreError::Invalid(FieldError::new("turnaround_days", "out-of-range")));
    }
    Ok(())
}

pub(crate) async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    id: String,
    action: &'static str,
    after: serde_json::Value,
) -> Result<()> {
    record(
        tx,
        actor,
        Change {
            tenant: Some(tenant),
            action,
            record_type: RecordType::Lab,
            record_id: id,
            before: None,
            after: Some(after),
        },
    )
    .await
}

#[derive(sqlx::FromRow)]
struct ParameterDb {
    id: Uuid,
    medium: String,
    name: String,
    unit: String,
    method: String,
    limit_min: Option<f64>,
    limit_max: Option<f64>,
    legal_basis: String,
    tariff: i64,
    tariff_basis: String,
    turnaround_days: i32,
    active: bool,
}

impl ParameterDb {
    fn into_parameter(self) -> Result<LabParameter> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("lab parameter {}: {what}", self.id));
        Ok(LabParameter {
            id: LabParameterId::from_uuid(self.id),
            medium: self.medium.parse().map_err(|_| corrupt("medium"))?,
            limit: Limit::new(self.limit_min, self.limit_max).map_err(|_| corrupt("limit"))?,
            turnaround_days: u32::try_from(self.turnaround_days).map_err(|_| corrupt("days"))?,
            name: self.name,
            unit: self.unit,
            method: self.method,
            legal_basis: self.legal_basis,
            tariff: self.tariff,
            tariff_basis: self.tariff_basis,
            active: self.active,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PackageDb {
    id: Uuid,
    medium: String,
    name: String,
    tariff: i64,
    tariff_basis: String,
    turnaround_days: i32,
}

#[derive(sqlx::FromRow)]
struct PackageParameterDb {
    package_id: Uuid,
    parameter_id: Uuid,
}

pub(crate) async fn read_catalogue(tx: &mut Tx, tenant: &RegionCode) -> Result<LabCatalogue> {
    let parameters: Vec<ParameterDb> = tx
        .fetch_all(
            Query::select()
                .columns([
                    LabParameters::Id,
                    LabParameters::Medium,
                    LabParameters::Name,
                    LabParameters::Unit,
                    LabParameters::Method,
                    LabParameters::LimitMin,
                    LabParameters::LimitMax,
                    LabParameters::LegalBasis,
                    LabParameters::Tariff,
                    LabParameters::TariffBasis,
                    LabParameters::TurnaroundDays,
                    LabParameters::Active,
                ])
                .from(LabParameters::Table)
                .and_where(Expr::col(LabParameters::TenantCode).eq(tenant.as_str()))
                .order_by(LabParameters::Medium, Order::Asc)
                .order_by(LabParameters::CreatedAt, Order::Asc)
                .order_by(LabParameters::Id, Order::Asc),
        )
        .await?;
    let packages: Vec<PackageDb> = tx
        .fetch_all(
            Query::select()
                .columns([
                    LabPackages::Id,
                    LabPackages::Medium,
                    LabPackages::Name,
                    LabPackages::Tariff,
                    LabPackages::TariffBasis,
                    LabPackages::TurnaroundDays,
                ])
                .from(LabPackages::Table)
                .and_where(Expr::col(LabPackages::TenantCode).eq(tenant.as_str()))
                .order_by(LabPackages::Medium, Order::Asc)
                .order_by(LabPackages::Name, Order::Asc),
        )
        .await?;
    let members: Vec<PackageParameterDb> = tx
        .fetch_all(
            Query::select()
                .columns([LabPackageParameters::PackageId, LabPackageParameters::ParameterId])
                .from(LabPackageParameters::Table)
                .and_where(Expr::col(LabPackageParameters::TenantCode).eq(tenant.as_str())),
        )
        .await?;
    let parameters: Vec<LabParameter> =
        parameters.into_iter().map(ParameterDb::into_parameter).collect::<Result<_>>()?;
    let packages = packages
        .into_iter()
        .map(|p| {
            let corrupt = |what: &str| StoreError::Corrupt(format!("lab package {}: {what}", p.id));
            // Members in catalogue order, so that a package lists its parameters as the
            // catalogue does.
            let ids: Vec<LabParameterId> = parameters
                .iter()
                .filter(|x| members.iter().any(|m| m.package_id == p.id && m.parameter_id == x.id.as_uuid()))
                .map(|x| x.id)
                .collect();
            Ok(LabPackage {
                id: LabPackageId::from_uuid(p.id),
                medium: p.medium.parse().map_err(|_| corrupt("medium"))?,
                name: p.name,
                parameters: ids,
                tariff: p.tariff,
                tariff_basis: p.tariff_basis,
                turnaround_days: u32::try_from(p.turnaround_days).map_err(|_| corrupt("days"))?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(LabCatalogue { parameters, packages })
}

impl Store {
    /// The tenant's catalogue: lab staff, internal users and the tenant's partner users (who
    /// order from it) read it.
    pub async fn lab_catalogue(&self, actor: &Actor, tenant: &RegionCode) -> Result<LabCatalogue> {
        let (tenant, _) = order_viewer(actor, tenant)?;
        let mut tx = self.begin_read().await?;
        read_catalogue(&mut tx, &tenant).await
    }

    pub async fn add_lab_parameter(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        new: NewLabParameter,
    ) -> Result<LabParameterId> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let name = clean(&new.name, "name", 120)?;
        let unit = clean(&new.unit, "unit", 40)?;
        let method = clean(&new.method, "method", 120)?;
        let legal_basis = clean(&new.legal_basis, "legal_basis", 200)?;
        let tariff_basis = clean(&new.tariff_basis, "tariff_basis", 200)?;
        check_tariff(new.tariff)?;
        check_days(new.turnaround_days)?;
        let id = LabParameterId::new();
        let now = now_ms();
        let mut tx = self.begin().await?;
        tx.execute(
            Query::insert()
                .into_table(LabParameters::Table)
                .columns([
                    LabParameters::TenantCode,
                    LabParameters::Id,
                    LabParameters::Medium,
                    LabParameters::Name,
                    LabParameters::Unit,
                    LabParameters::Method,
                    LabParameters::LimitMin,
                    LabParameters::LimitMax,
                    LabParameters::LegalBasis,
                    LabParameters::Tariff,
                    LabParameters::TariffBasis,
                    LabParameters::TurnaroundDays,
                    LabParameters::Active,
                    LabParameters::CreatedAt,
                    LabParameters::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    new.medium.slug().into(),
                    name.clone().into(),
                    unit.into(),
                    method.into(),
                    new.limit.min().into(),
                    new.limit.max().into(),
                    legal_basis.into(),
                    new.tariff.into(),
                    tariff_basis.into(),
                    (new.turnaround_days as i32).into(),
                    true.into(),
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
            "lab_add_parameter",
            serde_json::json!({ "name": name, "medium": new.medium.slug(), "tariff": new.tariff }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn add_lab_package(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        new: NewLabPackage,
    ) -> Result<LabPackageId> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let name = clean(&new.name, "name", 120)?;
        let tariff_basis = clean(&new.tariff_basis, "tariff_basis", 200)?;
        check_tariff(new.tariff)?;
        check_days(new.turnaround_days)?;
        if new.parameters.is_empty() {
            return Err(StoreError::Invalid(FieldError::new("parameters", "required")));
        }
        let mut tx = self.begin().await?;
        let catalogue = read_catalogue(&mut tx, &tenant).await?;
        for p in &new.parameters {
            // A package holds parameters of its own medium only: one sample serves it.
            match catalogue.parameter(*p) {
                Some(x) if x.medium == new.medium => {}
                _ => return Err(StoreError::Invalid(FieldError::new("parameters", "invalid-choice"))),
            }
        }
        let id = LabPackageId::new();
        let now = now_ms();
        tx.execute(
            Query::insert()
                .into_table(LabPackages::Table)
                .columns([
                    LabPackages::TenantCode,
                    LabPackages::Id,
                    LabPackages::Medium,
                    LabPackages::Name,
                    LabPackages::Tariff,
                    LabPackages::TariffBasis,
                    LabPackages::TurnaroundDays,
                    LabPackages::CreatedAt,
                    LabPackages::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    new.medium.slug().into(),
                    name.clone().into(),
                    new.tariff.into(),
                    tariff_basis.into(),
                    (new.turnaround_days as i32).into(),
                    now.into(),
                    now.into(),
                ]),
        )
        .await?;
        let mut unique = new.parameters.clone();
        unique.sort();
        unique.dedup();
        for p in unique {
            tx.execute(
                Query::insert()
                    .into_table(LabPackageParameters::Table)
                    .columns([
                        LabPackageParameters::TenantCode,
                        LabPackageParameters::PackageId,
                        LabPackageParameters::ParameterId,
                    ])
                    .values_panic([tenant.as_str().into(), id.as_uuid().into(), p.as_uuid().into()]),
            )
            .await?;
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "lab_add_package",
            serde_json::json!({ "name": name, "medium": new.medium.slug(), "tariff": new.tariff }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Change a tariff (a new Perda, or a Pemda's own rate): quotations already made keep
    /// the tariff they were made with.
    pub async fn set_lab_tariff(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        item: TariffItem,
        tariff: i64,
        tariff_basis: &str,
    ) -> Result<()> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        check_tariff(tariff)?;
        let basis = clean(tariff_basis, "tariff_basis", 200)?;
        let mut tx = self.begin().await?;
        let catalogue = read_catalogue(&mut tx, &tenant).await?;
        let (before, id) = match item {
            TariffItem::Parameter(p) => {
                let x = catalogue.parameter(p).ok_or(StoreError::NotFound)?;
                tx.execute(
                    Query::update()
                        .table(LabParameters::Table)
                        .value(LabParameters::Tariff, tariff)
                        .value(LabParameters::TariffBasis, basis.clone())
                        .value(LabParameters::UpdatedAt, now_ms())
                        .and_where(Expr::col(LabParameters::TenantCode).eq(tenant.as_str()))
                        .and_where(Expr::col(LabParameters::Id).eq(p.as_uuid())),
                )
                .await?;
                (x.tariff, p.to_string())
            }
            TariffItem::Package(p) => {
                let x = catalogue.package(p).ok_or(StoreError::NotFound)?;
                tx.execute(
                    Query::update()
                        .table(LabPackages::Table)
                        .value(LabPackages::Tariff, tariff)
                        .value(LabPackages::TariffBasis, basis.clone())
                        .value(LabPackages::UpdatedAt, now_ms())
                        .and_where(Expr::col(LabPackages::TenantCode).eq(tenant.as_str()))
                        .and_where(Expr::col(LabPackages::Id).eq(p.as_uuid())),
                )
                .await?;
                (x.tariff, p.to_string())
            }
        };
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                action: "lab_set_tariff",
                record_type: RecordType::Lab,
                record_id: id,
                before: Some(serde_json::json!({ "tariff": before })),
                after: Some(serde_json::json!({ "tariff": tariff, "tariff_basis": basis })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn lab_settings(&self, actor: &Actor, tenant: &RegionCode) -> Result<LabSettingsView> {
        let tenant = lab_tenant(actor, Permission::ViewLab, tenant)?;
        let mut tx = self.begin_read().await?;
        read_settings(&mut tx, &tenant).await
    }

    /// Choose the agreement the laboratory's service carries out (or none).
    pub async fn set_lab_agreement(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        agreement: Option<AgreementId>,
    ) -> Result<()> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let mut tx = self.begin().await?;
        if let Some(a) = agreement {
            tx.check_in_tenant(
                (Agreements::Table, Agreements::TenantCode, Agreements::Id),
                &tenant,
                a.as_uuid(),
                "agreement_id",
            )
            .await?;
        }
        tx.execute(
            Query::delete()
                .from_table(LabSettings::Table)
                .and_where(Expr::col(LabSettings::TenantCode).eq(tenant.as_str())),
        )
        .await?;
        tx.execute(
            Query::insert()
                .into_table(LabSettings::Table)
                .columns([LabSettings::TenantCode, LabSettings::AgreementId, LabSettings::UpdatedAt])
                .values_panic([tenant.as_str().into(), agreement.map(|a| a.as_uuid()).into(), now_ms().into()]),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            tenant.to_string(),
            "lab_set_agreement",
            serde_json::json!({ "agreement_id": agreement.map(|a| a.to_string()) }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) async fn read_settings(tx: &mut Tx, tenant: &RegionCode) -> Result<LabSettingsView> {
    #[derive(sqlx::FromRow)]
    struct S {
        agreement_id: Option<Uuid>,
    }
    let s: Option<S> = tx
        .fetch_optional(
            Query::select()
                .column(LabSettings::AgreementId)
                .from(LabSettings::Table)
                .and_where(Expr::col(LabSettings::TenantCode).eq(tenant.as_str())),
        )
        .await?;
    Ok(LabSettingsView { agreement_id: s.and_then(|s| s.agreement_id).map(AgreementId::from_uuid) })
}

//! Tenants: one per Pemda, named by its region code.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::{FieldError, required_text};
use sinergi_domain::cooperation::dormancy::DormancyRule;
use sinergi_domain::csr::ReportingWindows;
use sinergi_domain::org::{TenantSlug, tenant_code};
use sinergi_domain::{Actor, Permission, RegionCode, Scope};

use crate::audit::{Change, RecordType, record, snapshot};
use crate::schema::Tenants;
use crate::{Result, Store, StoreError, now_ms};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    pub code: RegionCode,
    pub slug: TenantSlug,
    pub name: String,
    pub active: bool,
    /// When an agreement counts as stopped on paper, as this Pemda decided.
    pub dormancy: DormancyRule,
    /// How often companies report CSR realisation (quarterly by default).
    pub csr_windows: ReportingWindows,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

#[derive(sqlx::FromRow)]
struct TenantRow {
    code: String,
    slug: String,
    name: String,
    active: bool,
    created_at: i64,
    updated_at: i64,
    dormancy_months: i32,
    csr_window_months: i32,
}

impl TryFrom<TenantRow> for Tenant {
    type Error = StoreError;
    fn try_from(r: TenantRow) -> Result<Self> {
        Ok(Tenant {
            code: RegionCode::parse(&r.code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            slug: TenantSlug::parse(&r.slug).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            name: r.name,
            active: r.active,
            dormancy: u8::try_from(r.dormancy_months)
                .ok()
                .filter(|m| DormancyRule::MONTHS.contains(m))
                .map(|months| DormancyRule { months })
                .ok_or_else(|| StoreError::Corrupt(format!("tenant {}: dormancy months", r.code)))?,
            csr_windows: u8::try_from(r.csr_window_months)
                .ok()
                .and_then(|m| ReportingWindows::new(m).ok())
                .ok_or_else(|| StoreError::Corrupt(format!("tenant {}: CSR window months", r.code)))?,
            created_at_ms: r.created_at,
            updated_at_ms: r.updated_at,
        })
    }
}

/// A new tenant, already parsed.
#[derive(Debug, Clone)]
pub struct NewTenant {
    pub code: RegionCode,
    pub slug: TenantSlug,
    pub name: String,
}

impl NewTenant {
    pub fn parse(code: &str, name: &str, slug: Option<&str>) -> Result<Self, FieldError> {
        let code = RegionCode::parse(code).map_err(|_| FieldError::new("code", "invalid-region-code"))?;
        let code = tenant_code(&code)?;
        let name = required_text("name", name, 120)?;
        let slug = match slug.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => TenantSlug::parse(s)?,
            None => TenantSlug::from_name(&name)?,
        };
        Ok(Self { code, slug, name })
    }
}

#[derive(Debug, Clone)]
pub struct TenantUpdate {
    pub name: String,
    pub active: bool,
    /// `None` keeps the current setting.
    pub dormancy: Option<DormancyRule>,
    /// `None` keeps the current setting.
    pub csr_windows: Option<ReportingWindows>,
}

/// Every column, in one order for SELECT and INSERT.
const COLUMNS: [Tenants; 6] =
    [Tenants::Code, Tenants::Slug, Tenants::Name, Tenants::Active, Tenants::CreatedAt, Tenants::UpdatedAt];

fn select() -> sea_query::SelectStatement {
    Query::select()
        .columns(COLUMNS)
        .columns([Tenants::DormancyMonths, Tenants::CsrWindowMonths])
        .from(Tenants::Table)
        .to_owned()
}

impl Store {
    /// The tenants the actor can see: all of them for the platform, its own otherwise.
    pub async fn tenants(&self, actor: &Actor) -> Result<Vec<Tenant>> {
        let mut stmt = select();
        if let Scope::Tenant(own) = &actor.scope {
            stmt.and_where(Expr::col(Tenants::Code).eq(own.as_str()));
        }
        stmt.order_by(Tenants::Code, Order::Asc);
        let rows: Vec<TenantRow> = self.fetch_all(&stmt).await?;
        rows.into_iter().map(Tenant::try_from).collect()
    }

    /// An active tenant by its slug, for the pages anyone may open without logging in (the
    /// public CSR transparency page).
    pub async fn public_tenant(&self, slug: &str) -> Result<Tenant> {
        let row: Option<TenantRow> = self
            .fetch_optional(
                select().and_where(Expr::col(Tenants::Slug).eq(slug)).and_where(Expr::col(Tenants::Active).eq(true)),
            )
            .await?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    pub async fn tenant(&self, actor: &Actor, code: &RegionCode) -> Result<Tenant> {
        if !actor.scope.covers(code) {
            return Err(StoreError::NotFound);
        }
        let row: TenantRow = self.fetch_one(select().and_where(Expr::col(Tenants::Code).eq(code.as_str()))).await?;
        row.try_into()
    }

    pub async fn create_tenant(&self, actor: &Actor, new: NewTenant) -> Result<Tenant> {
        if !actor.can(Permission::ManagePlatform) {
            return Err(StoreError::Forbidden);
        }
        let now = now_ms();
        let tenant = Tenant {
            code: new.code,
            slug: new.slug,
            name: new.name,
            active: true,
            dormancy: DormancyRule::default(),
            csr_windows: ReportingWindows::default(),
            created_at_ms: now,
            updated_at_ms: now,
        };
        let mut tx = self.begin().await?;
        let existing: Option<TenantRow> =
            tx.fetch_optional(select().and_where(Expr::col(Tenants::Code).eq(tenant.code.as_str()))).await?;
        if existing.is_some() {
            return Err(StoreError::Conflict { field: "code" });
        }
        tx.execute(
            &Query::insert()
                .into_table(Tenants::Table)
                .columns(COLUMNS)
                .values_panic([
                    tenant.code.as_str().into(),
                    tenant.slug.as_str().into(),
                    tenant.name.clone().into(),
                    true.into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant.code),
                action: "create",
                record_type: RecordType::Tenant,
                record_id: tenant.code.to_string(),
                before: None,
                after: snapshot(&tenant),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(tenant)
    }

    pub async fn update_tenant(&self, actor: &Actor, code: &RegionCode, update: TenantUpdate) -> Result<Tenant> {
        if !actor.scope.covers(code) {
            return Err(StoreError::NotFound);
        }
        if !actor.can(Permission::ManageTenant) {
            return Err(StoreError::Forbidden);
        }
        // A region admin may rename their Pemda but not switch it off: that is the platform's call.
        if !update.active && !actor.can(Permission::ManagePlatform) {
            return Err(StoreError::Forbidden);
        }
        let name = required_text("name", &update.name, 120)?;
        let mut tx = self.begin().await?;
        let before: Tenant = tx
            .fetch_optional::<TenantRow, _>(select().and_where(Expr::col(Tenants::Code).eq(code.as_str())))
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()?;
        let after = Tenant {
            name,
            active: update.active,
            dormancy: update.dormancy.unwrap_or(before.dormancy),
            csr_windows: update.csr_windows.unwrap_or(before.csr_windows),
            updated_at_ms: now_ms(),
            ..before.clone()
        };
        tx.execute(
            &Query::update()
                .table(Tenants::Table)
                .values([
                    (Tenants::Name, after.name.clone().into()),
                    (Tenants::Active, after.active.into()),
                    (Tenants::DormancyMonths, i32::from(after.dormancy.months).into()),
                    (Tenants::CsrWindowMonths, i32::from(after.csr_windows.months()).into()),
                    (Tenants::UpdatedAt, after.updated_at_ms.into()),
                ])
                .and_where(Expr::col(Tenants::Code).eq(code.as_str()))
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(code),
                action: "update",
                record_type: RecordType::Tenant,
                record_id: code.to_string(),
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

//! Agencies (perangkat daerah) of a tenant, with their parent (a UPTD under its dinas).

use sea_query::{Condition, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;
use sinergi_domain::auth::{FieldError, required_text};
use sinergi_domain::org::{AgencyKind, check_parent};
use sinergi_domain::{Actor, AgencyId, Permission, RegionCode, Scope};
use uuid::Uuid;

use crate::audit::{Change, RecordType, record, snapshot};
use crate::db::Tx;
use crate::schema::Agencies;
use crate::{Result, Store, StoreError, now_ms};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    pub tenant: RegionCode,
    pub id: AgencyId,
    pub parent_id: Option<AgencyId>,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: AgencyKind,
    pub active: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

#[derive(sqlx::FromRow)]
struct AgencyRow {
    tenant_code: String,
    id: Uuid,
    parent_id: Option<Uuid>,
    name: String,
    short_name: Option<String>,
    kind: String,
    active: bool,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<AgencyRow> for Agency {
    type Error = StoreError;
    fn try_from(r: AgencyRow) -> Result<Self> {
        Ok(Agency {
            tenant: RegionCode::parse(&r.tenant_code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            id: AgencyId::from_uuid(r.id),
            parent_id: r.parent_id.map(AgencyId::from_uuid),
            name: r.name,
            short_name: r.short_name,
            kind: r.kind.parse().map_err(|_| StoreError::Corrupt(format!("agency kind {}", r.kind)))?,
            active: r.active,
            created_at_ms: r.created_at,
            updated_at_ms: r.updated_at,
        })
    }
}

/// The editable fields of an agency, parsed from a form or a JSON body.
#[derive(Debug, Clone)]
pub struct AgencyInput {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: AgencyKind,
    pub parent_id: Option<AgencyId>,
    pub active: bool,
}

impl AgencyInput {
    pub fn parse(
        name: &str,
        short_name: Option<&str>,
        kind: &str,
        parent_id: Option<&str>,
        active: bool,
    ) -> Result<Self, FieldError> {
        let name = required_text("name", name, 160)?;
        let short_name = match short_name.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(required_text("short_name", s, 40)?),
            None => None,
        };
        let kind: AgencyKind = kind.parse()?;
        let parent_id = match parent_id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => Some(p.parse::<AgencyId>().map_err(|_| FieldError::new("parent_id", "invalid-choice"))?),
            None => None,
        };
        Ok(Self { name, short_name, kind, parent_id, active })
    }
}

/// Every column, in one order for SELECT and INSERT.
const COLUMNS: [Agencies; 9] = [
    Agencies::TenantCode,
    Agencies::Id,
    Agencies::ParentId,
    Agencies::Name,
    Agencies::ShortName,
    Agencies::Kind,
    Agencies::Active,
    Agencies::CreatedAt,
    Agencies::UpdatedAt,
];

fn select() -> SelectStatement {
    Query::select().columns(COLUMNS).from(Agencies::Table).to_owned()
}

fn by_id(tenant: &RegionCode, id: AgencyId) -> Condition {
    Condition::all()
        .add(Expr::col(Agencies::TenantCode).eq(tenant.as_str()))
        .add(Expr::col(Agencies::Id).eq(id.as_uuid()))
}

/// The tenant a scoped read or write may address: the actor's own, or for the platform the
/// one it names.
pub(crate) fn target_tenant(actor: &Actor, requested: Option<&RegionCode>) -> Result<Option<RegionCode>> {
    match (&actor.scope, requested) {
        (Scope::Tenant(own), Some(req)) if own != req => Err(StoreError::NotFound),
        (Scope::Tenant(own), _) => Ok(Some(own.clone())),
        (Scope::Platform, req) => Ok(req.cloned()),
    }
}

async fn load(tx: &mut Tx, tenant: &RegionCode, id: AgencyId) -> Result<Agency> {
    let row: AgencyRow =
        tx.fetch_optional(select().cond_where(by_id(tenant, id))).await?.ok_or(StoreError::NotFound)?;
    row.try_into()
}

/// Ancestors of `id`, nearest first, to refuse loops in the organisation chart.
async fn ancestors(tx: &mut Tx, tenant: &RegionCode, id: AgencyId) -> Result<Vec<AgencyId>> {
    let mut out = Vec::new();
    let mut next = load(tx, tenant, id).await?.parent_id;
    while let Some(p) = next {
        if out.contains(&p) || out.len() > 32 {
            break;
        }
        out.push(p);
        next = load(tx, tenant, p).await?.parent_id;
    }
    Ok(out)
}

async fn check_parent_in(tx: &mut Tx, tenant: &RegionCode, id: Option<AgencyId>, input: &AgencyInput) -> Result<()> {
    let chain = match input.parent_id {
        Some(parent) => {
            // The parent must exist in the same tenant; a foreign id reads as "not a choice".
            load(tx, tenant, parent)
                .await
                .map_err(|_| StoreError::Invalid(FieldError::new("parent_id", "invalid-choice")))?;
            ancestors(tx, tenant, parent).await?
        }
        None => Vec::new(),
    };
    check_parent(id, input.kind, input.parent_id, &chain)?;
    Ok(())
}

impl Store {
    /// Agencies of the actor's tenant (the platform may name one, or see all).
    pub async fn agencies(&self, actor: &Actor, tenant: Option<&RegionCode>) -> Result<Vec<Agency>> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let mut stmt = select();
        if let Some(t) = target_tenant(actor, tenant)? {
            stmt.and_where(Expr::col(Agencies::TenantCode).eq(t.as_str()));
        }
        stmt.order_by(Agencies::TenantCode, Order::Asc).order_by(Agencies::Name, Order::Asc);
        let rows: Vec<AgencyRow> = self.fetch_all(&stmt).await?;
        rows.into_iter().map(Agency::try_from).collect()
    }

    pub async fn agency(&self, actor: &Actor, id: AgencyId) -> Result<Agency> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let mut stmt = select();
        stmt.and_where(Expr::col(Agencies::Id).eq(id.as_uuid()));
        if let Some(t) = target_tenant(actor, None)? {
            stmt.and_where(Expr::col(Agencies::TenantCode).eq(t.as_str()));
        }
        let row: AgencyRow = self.fetch_one(&stmt).await?;
        row.try_into()
    }

    pub async fn create_agency(&self, actor: &Actor, tenant: &RegionCode, input: AgencyInput) -> Result<Agency> {
        let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
        if !actor.can(Permission::ManageAgencies) {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin().await?;
        check_parent_in(&mut tx, &tenant, None, &input).await?;
        let now = now_ms();
        let agency = Agency {
            tenant,
            id: AgencyId::new(),
            parent_id: input.parent_id,
            name: input.name,
            short_name: input.short_name,
            kind: input.kind,
            active: input.active,
            created_at_ms: now,
            updated_at_ms: now,
        };
        tx.execute(
            &Query::insert()
                .into_table(Agencies::Table)
                .columns(COLUMNS)
                .values_panic([
                    agency.tenant.as_str().into(),
                    agency.id.as_uuid().into(),
                    agency.parent_id.map(|p| p.as_uuid()).into(),
                    agency.name.clone().into(),
                    agency.short_name.clone().into(),
                    agency.kind.slug().into(),
                    agency.active.into(),
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
                tenant: Some(&agency.tenant),
                action: "create",
                record_type: RecordType::Agency,
                record_id: agency.id.to_string(),
                before: None,
                after: snapshot(&agency),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(agency)
    }

    pub async fn update_agency(&self, actor: &Actor, id: AgencyId, input: AgencyInput) -> Result<Agency> {
        let current = self.agency(actor, id).await?;
        if !actor.can(Permission::ManageAgencies) {
            return Err(StoreError::Forbidden);
        }
        let tenant = current.tenant;
        let mut tx = self.begin().await?;
        let before = load(&mut tx, &tenant, id).await?;
        check_parent_in(&mut tx, &tenant, Some(id), &input).await?;
        let after = Agency {
            parent_id: input.parent_id,
            name: input.name,
            short_name: input.short_name,
            kind: input.kind,
            active: input.active,
            updated_at_ms: now_ms(),
            ..before.clone()
        };
        tx.execute(
            &Query::update()
                .table(Agencies::Table)
                .values([
                    (Agencies::ParentId, after.parent_id.map(|p| p.as_uuid()).into()),
                    (Agencies::Name, after.name.clone().into()),
                    (Agencies::ShortName, after.short_name.clone().into()),
                    (Agencies::Kind, after.kind.slug().into()),
                    (Agencies::Active, after.active.into()),
                    (Agencies::UpdatedAt, after.updated_at_ms.into()),
                ])
                .cond_where(by_id(&tenant, id))
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                action: "update",
                record_type: RecordType::Agency,
                record_id: id.to_string(),
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

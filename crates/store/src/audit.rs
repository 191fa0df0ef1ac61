//! The audit trail: who changed which record when, with the values before and after.
//!
//! Events are written by the store itself, inside the transaction of the write they describe,
//! so a write without its event (or an event without its write) cannot exist.

use sea_query::{Condition, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::{Actor, AuditEventId, Permission, RegionCode, Scope, UserId};
use uuid::Uuid;

use crate::db::Tx;
use crate::schema::AuditEvents;
use crate::{Result, Store, StoreError, now_ms};

/// The kind of record an event is about; also the filter on the audit page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    Tenant,
    Agency,
    User,
    Session,
    Target,
    Need,
    Partner,
    Agreement,
    Meeting,
    Csr,
    Umkm,
    Programme,
    // Markets: channels and financing referrals.
    Market,
    // Catalogue (issue 6, part 5)
    Catalogue,
    // Issue 7: the Labkesda
    Lab,
}

impl RecordType {
    pub const ALL: [RecordType; 15] = [
        RecordType::Tenant,
        RecordType::Agency,
        RecordType::User,
        RecordType::Session,
        RecordType::Target,
        RecordType::Need,
        RecordType::Partner,
        RecordType::Agreement,
        RecordType::Meeting,
        RecordType::Csr,
        RecordType::Umkm,
        RecordType::Programme,
        // Markets: channels and financing referrals.
        RecordType::Market,
        // Catalogue (issue 6, part 5)
        RecordType::Catalogue,
        // Issue 7: the Labkesda
        RecordType::Lab,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Tenant => "tenant",
            RecordType::Agency => "agency",
            RecordType::User => "user",
            RecordType::Session => "session",
            RecordType::Target => "target",
            RecordType::Need => "need",
            RecordType::Partner => "partner",
            RecordType::Agreement => "agreement",
            RecordType::Meeting => "meeting",
            RecordType::Csr => "csr",
            RecordType::Umkm => "umkm",
            RecordType::Programme => "programme",
            // Markets: channels and financing referrals.
            RecordType::Market => "market",
            // Catalogue (issue 6, part 5)
            RecordType::Catalogue => "catalogue",
            // Issue 7: the Labkesda
            RecordType::Lab => "lab",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// One write to be recorded.
pub(crate) struct Change<'a> {
    pub tenant: Option<&'a RegionCode>,
    pub action: &'static str,
    pub record_type: RecordType,
    pub record_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub(crate) fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// The columns written by `record` and read by the audit page, in one order.
const COLUMNS: [AuditEvents; 10] = [
    AuditEvents::TenantCode,
    AuditEvents::Id,
    AuditEvents::At,
    AuditEvents::ActorId,
    AuditEvents::ActorLabel,
    AuditEvents::Action,
    AuditEvents::RecordType,
    AuditEvents::RecordId,
    AuditEvents::Before,
    AuditEvents::After,
];

pub(crate) async fn record(tx: &mut Tx, actor: &Actor, change: Change<'_>) -> Result<()> {
    let actor_id = (!actor.user_id.as_uuid().is_nil()).then(|| actor.user_id.as_uuid());
    let stmt = Query::insert()
        .into_table(AuditEvents::Table)
        .columns(COLUMNS)
        .values_panic([
            change.tenant.map(|t| t.as_str().to_owned()).unwrap_or_default().into(),
            AuditEventId::new().as_uuid().into(),
            now_ms().into(),
            actor_id.into(),
            actor.label.clone().into(),
            change.action.into(),
            change.record_type.as_str().into(),
            change.record_id.into(),
            change.before.map(|v| v.to_string()).into(),
            change.after.map(|v| v.to_string()).into(),
        ])
        .to_owned();
    tx.execute(&stmt).await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEvent {
    pub id: AuditEventId,
    /// None for platform-level events.
    pub tenant: Option<RegionCode>,
    pub at_ms: i64,
    pub actor_id: Option<UserId>,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    tenant_code: String,
    id: Uuid,
    at: i64,
    actor_id: Option<Uuid>,
    actor_label: String,
    action: String,
    record_type: String,
    record_id: String,
    before: Option<String>,
    after: Option<String>,
}

impl AuditRow {
    fn into_event(self) -> Result<AuditEvent> {
        let tenant = if self.tenant_code.is_empty() {
            None
        } else {
            Some(RegionCode::parse(&self.tenant_code).map_err(|e| StoreError::Corrupt(e.to_string()))?)
        };
        let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Ok(AuditEvent {
            id: AuditEventId::from_uuid(self.id),
            tenant,
            at_ms: self.at,
            actor_id: self.actor_id.map(UserId::from_uuid),
            actor_label: self.actor_label,
            action: self.action,
            record_type: self.record_type,
            record_id: self.record_id,
            before: json(self.before),
            after: json(self.after),
        })
    }
}

/// Filters of the audit page. Dates are millisecond bounds (inclusive start, exclusive end).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<UserId>,
    pub record_type: Option<RecordType>,
    pub record_id: Option<String>,
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub limit: u64,
    pub offset: u64,
}

impl Store {
    pub async fn audit_events(&self, actor: &Actor, filter: &AuditFilter) -> Result<Vec<AuditEvent>> {
        if !actor.can(Permission::ViewAudit) {
            return Err(StoreError::Forbidden);
        }
        let mut cond = Condition::all();
        if let Scope::Tenant(code) = &actor.scope {
            cond = cond.add(Expr::col(AuditEvents::TenantCode).eq(code.as_str()));
        }
        if let Some(user) = filter.actor {
            cond = cond.add(Expr::col(AuditEvents::ActorId).eq(user.as_uuid()));
        }
        if let Some(t) = filter.record_type {
            cond = cond.add(Expr::col(AuditEvents::RecordType).eq(t.as_str()));
        }
        if let Some(id) = &filter.record_id {
            cond = cond.add(Expr::col(AuditEvents::RecordId).eq(id.as_str()));
        }
        if let Some(from) = filter.from_ms {
            cond = cond.add(Expr::col(AuditEvents::At).gte(from));
        }
        if let Some(until) = filter.until_ms {
            cond = cond.add(Expr::col(AuditEvents::At).lt(until));
        }
        let limit = if filter.limit == 0 { 100 } else { std::cmp::Ord::min(filter.limit, 1000) };
        let stmt = Query::select()
            .columns(COLUMNS)
            .from(AuditEvents::Table)
            .cond_where(cond)
            .order_by(AuditEvents::At, Order::Desc)
            .order_by(AuditEvents::Id, Order::Desc)
            .limit(limit)
            .offset(filter.offset)
            .to_owned();
        let rows: Vec<AuditRow> = self.fetch_all(&stmt).await?;
        rows.into_iter().map(AuditRow::into_event).collect()
    }
}

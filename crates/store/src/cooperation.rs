//! Cooperation planning: agencies' performance targets and cooperation needs.

use sea_query::{Condition, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;
use sinergi_domain::auth::{FieldError, required_text};
use sinergi_domain::cooperation::needs::{NeedStatus, PartnerKind, PriorityRank, check_priority};
use sinergi_domain::{Actor, AgencyId, NeedId, Permission, RegionCode, TargetId};
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::audit::{Change, RecordType, record, snapshot};
use crate::db::Tx;
use crate::schema::{Agencies, NeedTargets, Needs, PerformanceTargets};
use crate::{Result, Store, StoreError, now_ms};

/// A year of planning. Sinergi starts with the 2020s; a typo like 2205 is refused.
pub fn parse_year(input: &str) -> Result<i32, FieldError> {
    match input.trim().parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(FieldError::new("year", "invalid-year")),
    }
}

/// A number as officials type it: "85,5" or "85.5" or "1.250" (thousands) are all read.
pub fn parse_value(field: &'static str, input: &str) -> Result<f64, FieldError> {
    let s = input.trim().replace(' ', "");
    if s.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    // Indonesian writing uses "." for thousands and "," for decimals.
    let normalised = if s.contains(',') { s.replace('.', "").replace(',', ".") } else { s.clone() };
    match normalised.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(FieldError::new(field, "invalid-number")),
    }
}

/// Collect a field error and carry on, so that a form reports every bad field at once.
pub fn keep<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

// ----------------------------------------------------------------------------------------
// Performance targets

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub tenant: RegionCode,
    pub id: TargetId,
    pub agency_id: AgencyId,
    pub year: i32,
    pub indicator: String,
    pub unit: String,
    pub target_value: f64,
    pub realised_value: Option<f64>,
    pub updated_at_ms: i64,
}

#[derive(Debug, Clone)]
pub struct TargetInput {
    pub year: i32,
    pub indicator: String,
    pub unit: String,
    pub target_value: f64,
    pub realised_value: Option<f64>,
}

impl TargetInput {
    pub fn parse(
        year: &str,
        indicator: &str,
        unit: &str,
        target: &str,
        realised: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let year = keep(&mut errors, parse_year(year));
        let indicator = keep(&mut errors, required_text("indicator", indicator, 300));
        let unit = keep(&mut errors, required_text("unit", unit, 40));
        let target_value = keep(&mut errors, parse_value("target_value", target));
        let realised_value = if realised.trim().is_empty() {
            Some(None)
        } else {
            keep(&mut errors, parse_value("realised_value", realised).map(Some))
        };
        match (year, indicator, unit, target_value, realised_value) {
            (Some(year), Some(indicator), Some(unit), Some(target_value), Some(realised_value))
                if errors.is_empty() =>
            {
                Ok(Self { year, indicator, unit, target_value, realised_value })
            }
            _ => Err(errors),
        }
    }
}

#[derive(sqlx::FromRow)]
struct TargetRow {
    tenant_code: String,
    id: Uuid,
    agency_id: Uuid,
    year: i32,
    indicator: String,
    unit: String,
    target_value: f64,
    realised_value: Option<f64>,
    updated_at: i64,
}

impl TryFrom<TargetRow> for Target {
    type Error = StoreError;
    fn try_from(r: TargetRow) -> Result<Self> {
        Ok(Target {
            tenant: RegionCode::parse(&r.tenant_code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            id: TargetId::from_uuid(r.id),
            agency_id: AgencyId::from_uuid(r.agency_id),
            year: r.year,
            indicator: r.indicator,
            unit: r.unit,
            target_value: r.target_value,
            realised_value: r.realised_value,
            updated_at_ms: r.updated_at,
        })
    }
}

const TARGET_COLUMNS: [PerformanceTargets; 9] = [
    PerformanceTargets::TenantCode,
    PerformanceTargets::Id,
    PerformanceTargets::AgencyId,
    PerformanceTargets::Year,
    PerformanceTargets::Indicator,
    PerformanceTargets::Unit,
    PerformanceTargets::TargetValue,
    PerformanceTargets::RealisedValue,
    PerformanceTargets::UpdatedAt,
];

/// Filters for targets and needs: by agency and year, inside the actor's tenant.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    pub tenant: Option<RegionCode>,
    pub agency_id: Option<AgencyId>,
    pub year: Option<i32>,
}

/// The agency must exist in the tenant and the actor must be allowed to plan for it.
async fn check_agency(tx: &mut Tx, actor: &Actor, tenant: &RegionCode, agency: AgencyId) -> Result<()> {
    if !actor.can(Permission::PlanCooperation) {
        return Err(StoreError::Forbidden);
    }
    tx.check_in_tenant((Agencies::Table, Agencies::TenantCode, Agencies::Id), tenant, agency.as_uuid(), "agency_id")
        .await?;
    if !actor.may_plan_for(agency) {
        return Err(StoreError::Forbidden);
    }
    Ok(())
}

async fn insert_target(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    agency: AgencyId,
    input: TargetInput,
) -> Result<Target> {
    let now = now_ms();
    let target = Target {
        tenant: tenant.clone(),
        id: TargetId::new(),
        agency_id: agency,
        year: input.year,
        indicator: input.indicator,
        unit: input.unit,
        target_value: input.target_value,
        realised_value: input.realised_value,
        updated_at_ms: now,
    };
    tx.execute(
        &Query::insert()
            .into_table(PerformanceTargets::Table)
            .columns(TARGET_COLUMNS.into_iter().chain([PerformanceTargets::CreatedAt]))
            .values_panic([
                target.tenant.as_str().into(),
                target.id.as_uuid().into(),
                agency.as_uuid().into(),
                target.year.into(),
                target.indicator.clone().into(),
                target.unit.clone().into(),
                target.target_value.into(),
                target.realised_value.into(),
                now.into(),
                now.into(),
            ])
            .to_owned(),
    )
    .await?;
    record(
        tx,
        actor,
        Change {
            tenant: Some(&target.tenant),
            action: "create",
            record_type: RecordType::Target,
            record_id: target.id.to_string(),
            before: None,
            after: snapshot(&target),
        },
    )
    .await?;
    Ok(target)
}

impl Store {
    /// Import many targets for one agency at once: all of them, or (on any error) none.
    pub async fn import_targets(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        agency: AgencyId,
        inputs: Vec<TargetInput>,
    ) -> Result<Vec<Target>> {
        let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin().await?;
        check_agency(&mut tx, actor, &tenant, agency).await?;
        let mut out = Vec::with_capacity(inputs.len());
        for input in inputs {
            out.push(insert_target(&mut tx, actor, &tenant, agency, input).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Record the realised value of a target (and correct its other fields).
    pub async fn update_target(&self, actor: &Actor, id: TargetId, input: TargetInput) -> Result<Target> {
        let mut stmt = Query::select()
            .columns(TARGET_COLUMNS)
            .from(PerformanceTargets::Table)
            .and_where(Expr::col(PerformanceTargets::Id).eq(id.as_uuid()))
            .to_owned();
        if let Some(t) = target_tenant(actor, None)? {
            stmt.and_where(Expr::col(PerformanceTargets::TenantCode).eq(t.as_str()));
        }
        let mut tx = self.begin().await?;
        let before: Target = tx.fetch_optional::<TargetRow, _>(&stmt).await?.ok_or(StoreError::NotFound)?.try_into()?;
        check_agency(&mut tx, actor, &before.tenant, before.agency_id).await?;
        let after = Target {
            year: input.year,
            indicator: input.indicator,
            unit: input.unit,
            target_value: input.target_value,
            realised_value: input.realised_value,
            updated_at_ms: now_ms(),
            ..before.clone()
        };
        tx.execute(
            &Query::update()
                .table(PerformanceTargets::Table)
                .values([
                    (PerformanceTargets::Year, after.year.into()),
                    (PerformanceTargets::Indicator, after.indicator.clone().into()),
                    (PerformanceTargets::Unit, after.unit.clone().into()),
                    (PerformanceTargets::TargetValue, after.target_value.into()),
                    (PerformanceTargets::RealisedValue, after.realised_value.into()),
                    (PerformanceTargets::UpdatedAt, after.updated_at_ms.into()),
                ])
                .and_where(Expr::col(PerformanceTargets::TenantCode).eq(before.tenant.as_str()))
                .and_where(Expr::col(PerformanceTargets::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&before.tenant),
                action: "update",
                record_type: RecordType::Target,
                record_id: id.to_string(),
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn targets(&self, actor: &Actor, filter: &PlanFilter) -> Result<Vec<Target>> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let mut cond = Condition::all();
        if let Some(t) = target_tenant(actor, filter.tenant.as_ref())? {
            cond = cond.add(Expr::col(PerformanceTargets::TenantCode).eq(t.as_str()));
        }
        if let Some(a) = filter.agency_id {
            cond = cond.add(Expr::col(PerformanceTargets::AgencyId).eq(a.as_uuid()));
        }
        if let Some(y) = filter.year {
            cond = cond.add(Expr::col(PerformanceTargets::Year).eq(y));
        }
        let stmt = Query::select()
            .columns(TARGET_COLUMNS)
            .from(PerformanceTargets::Table)
            .cond_where(cond)
            .order_by(PerformanceTargets::Year, Order::Desc)
            .order_by(PerformanceTargets::Indicator, Order::Asc)
            .to_owned();
        let rows: Vec<TargetRow> = self.fetch_all(&stmt).await?;
        rows.into_iter().map(Target::try_from).collect()
    }

    pub async fn create_target(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        agency: AgencyId,
        input: TargetInput,
    ) -> Result<Target> {
        let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin().await?;
        check_agency(&mut tx, actor, &tenant, agency).await?;
        let target = insert_target(&mut tx, actor, &tenant, agency, input).await?;
        tx.commit().await?;
        Ok(target)
    }
}

// ----------------------------------------------------------------------------------------
// Needs

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Need {
    pub tenant: RegionCode,
    pub id: NeedId,
    pub agency_id: AgencyId,
    pub year: i32,
    pub title: String,
    pub problem: String,
    pub urusan_code: String,
    pub partner_kind: PartnerKind,
    pub expected_benefit: String,
    pub priority: Option<PriorityRank>,
    pub status: NeedStatus,
    pub target_ids: Vec<TargetId>,
    pub updated_at_ms: i64,
}

/// The fields of a need an officer fills in. The urusan code is checked against the
/// reference list at the edge (the store does not carry reference data).
#[derive(Debug, Clone)]
pub struct NeedInput {
    pub agency_id: AgencyId,
    pub year: i32,
    pub title: String,
    pub problem: String,
    pub urusan_code: String,
    pub partner_kind: PartnerKind,
    pub expected_benefit: String,
    pub priority: Option<PriorityRank>,
    pub target_ids: Vec<TargetId>,
}

#[derive(sqlx::FromRow)]
struct NeedRow {
    tenant_code: String,
    id: Uuid,
    agency_id: Uuid,
    year: i32,
    title: String,
    problem: String,
    urusan_code: String,
    partner_kind: String,
    expected_benefit: String,
    priority_rank: Option<i32>,
    status: String,
    updated_at: i64,
}

impl NeedRow {
    fn into_need(self, target_ids: Vec<TargetId>) -> Result<Need> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("need {}: {what}", self.id));
        Ok(Need {
            tenant: RegionCode::parse(&self.tenant_code).map_err(|_| corrupt("tenant"))?,
            id: NeedId::from_uuid(self.id),
            agency_id: AgencyId::from_uuid(self.agency_id),
            year: self.year,
            partner_kind: self.partner_kind.parse().map_err(|_| corrupt("partner kind"))?,
            priority: match self.priority_rank {
                Some(r) => Some(
                    u8::try_from(r).ok().and_then(|r| PriorityRank::new(r).ok()).ok_or_else(|| corrupt("priority"))?,
                ),
                None => None,
            },
            status: self.status.parse().map_err(|_| corrupt("status"))?,
            title: self.title,
            problem: self.problem,
            urusan_code: self.urusan_code,
            expected_benefit: self.expected_benefit,
            target_ids,
            updated_at_ms: self.updated_at,
        })
    }
}

const NEED_COLUMNS: [Needs; 12] = [
    Needs::TenantCode,
    Needs::Id,
    Needs::AgencyId,
    Needs::Year,
    Needs::Title,
    Needs::Problem,
    Needs::UrusanCode,
    Needs::PartnerKind,
    Needs::ExpectedBenefit,
    Needs::PriorityRank,
    Needs::Status,
    Needs::UpdatedAt,
];

#[derive(sqlx::FromRow)]
struct LinkRow {
    need_id: Uuid,
    target_id: Uuid,
}

#[derive(sqlx::FromRow)]
struct RankRow {
    priority_rank: Option<i32>,
}

async fn load_need(tx: &mut Tx, tenant: &RegionCode, id: NeedId) -> Result<Need> {
    let row: NeedRow = tx
        .fetch_optional(
            Query::select()
                .columns(NEED_COLUMNS)
                .from(Needs::Table)
                .and_where(Expr::col(Needs::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Needs::Id).eq(id.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let links: Vec<LinkRow> = tx
        .fetch_all(
            Query::select()
                .columns([NeedTargets::NeedId, NeedTargets::TargetId])
                .from(NeedTargets::Table)
                .and_where(Expr::col(NeedTargets::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(NeedTargets::NeedId).eq(id.as_uuid())),
        )
        .await?;
    row.into_need(links.into_iter().map(|l| TargetId::from_uuid(l.target_id)).collect())
}

/// Enforce the three-priorities rule against the agency's other open needs of the year,
/// inside the writing transaction.
async fn check_rank(tx: &mut Tx, tenant: &RegionCode, input: &NeedInput, except: Option<NeedId>) -> Result<()> {
    let mut stmt = Query::select()
        .column(Needs::PriorityRank)
        .from(Needs::Table)
        .and_where(Expr::col(Needs::TenantCode).eq(tenant.as_str()))
        .and_where(Expr::col(Needs::AgencyId).eq(input.agency_id.as_uuid()))
        .and_where(Expr::col(Needs::Year).eq(input.year))
        .and_where(Expr::col(Needs::PriorityRank).is_not_null())
        .to_owned();
    if let Some(id) = except {
        stmt.and_where(Expr::col(Needs::Id).ne(id.as_uuid()));
    }
    let rows: Vec<RankRow> = tx.fetch_all(&stmt).await?;
    let others: Vec<PriorityRank> = rows
        .into_iter()
        .filter_map(|r| r.priority_rank.and_then(|v| u8::try_from(v).ok()).and_then(|v| PriorityRank::new(v).ok()))
        .collect();
    check_priority(input.priority, &others)?;
    Ok(())
}

/// Linked targets must be the same agency's, in the same tenant.
async fn check_targets(tx: &mut Tx, tenant: &RegionCode, input: &NeedInput) -> Result<()> {
    if input.target_ids.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = input.target_ids.iter().map(|t| t.as_uuid()).collect();
    let rows: Vec<TargetRow> = tx
        .fetch_all(
            Query::select()
                .columns(TARGET_COLUMNS)
                .from(PerformanceTargets::Table)
                .and_where(Expr::col(PerformanceTargets::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(PerformanceTargets::AgencyId).eq(input.agency_id.as_uuid()))
                .and_where(Expr::col(PerformanceTargets::Id).is_in(ids)),
        )
        .await?;
    if rows.len() != input.target_ids.len() {
        return Err(StoreError::Invalid(FieldError::new("target_ids", "invalid-choice")));
    }
    Ok(())
}

async fn write_links(tx: &mut Tx, tenant: &RegionCode, need: NeedId, targets: &[TargetId]) -> Result<()> {
    tx.execute(
        &Query::delete()
            .from_table(NeedTargets::Table)
            .and_where(Expr::col(NeedTargets::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(NeedTargets::NeedId).eq(need.as_uuid()))
            .to_owned(),
    )
    .await?;
    for t in targets {
        tx.execute(
            &Query::insert()
                .into_table(NeedTargets::Table)
                .columns([NeedTargets::TenantCode, NeedTargets::NeedId, NeedTargets::TargetId])
                .values_panic([tenant.as_str().into(), need.as_uuid().into(), t.as_uuid().into()])
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

impl Store {
    pub async fn needs(&self, actor: &Actor, filter: &PlanFilter) -> Result<Vec<Need>> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let mut cond = Condition::all();
        let mut link_cond = Condition::all();
        if let Some(t) = target_tenant(actor, filter.tenant.as_ref())? {
            cond = cond.add(Expr::col(Needs::TenantCode).eq(t.as_str()));
            link_cond = link_cond.add(Expr::col(NeedTargets::TenantCode).eq(t.as_str()));
        }
        if let Some(a) = filter.agency_id {
            cond = cond.add(Expr::col(Needs::AgencyId).eq(a.as_uuid()));
        }
        if let Some(y) = filter.year {
            cond = cond.add(Expr::col(Needs::Year).eq(y));
        }
        let stmt: SelectStatement = Query::select()
            .columns(NEED_COLUMNS)
            .from(Needs::Table)
            .cond_where(cond)
            .order_by(Needs::Year, Order::Desc)
            .order_by(Needs::AgencyId, Order::Asc)
            .order_by(Needs::PriorityRank, Order::Asc)
            .order_by(Needs::Title, Order::Asc)
            .to_owned();
        let rows: Vec<NeedRow> = self.fetch_all(&stmt).await?;
        // One query for every link of the tenant's needs rather than one per need.
        let links: Vec<LinkRow> = self
            .fetch_all(
                &Query::select()
                    .columns([NeedTargets::NeedId, NeedTargets::TargetId])
                    .from(NeedTargets::Table)
                    .cond_where(link_cond)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                let ids =
                    links.iter().filter(|l| l.need_id == r.id).map(|l| TargetId::from_uuid(l.target_id)).collect();
                r.into_need(ids)
            })
            .collect()
    }

    pub async fn need(&self, actor: &Actor, id: NeedId) -> Result<Need> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let Some(tenant) = self.need_tenant(actor, id).await? else { return Err(StoreError::NotFound) };
        let mut tx = self.begin_read().await?;
        let need = load_need(&mut tx, &tenant, id).await?;
        tx.commit().await?;
        Ok(need)
    }

    /// The tenant a need id belongs to, if the actor may see it.
    async fn need_tenant(&self, actor: &Actor, id: NeedId) -> Result<Option<RegionCode>> {
        let mut stmt = Query::select()
            .columns(NEED_COLUMNS)
            .from(Needs::Table)
            .and_where(Expr::col(Needs::Id).eq(id.as_uuid()))
            .to_owned();
        if let Some(t) = target_tenant(actor, None)? {
            stmt.and_where(Expr::col(Needs::TenantCode).eq(t.as_str()));
        }
        let row: Option<NeedRow> = self.fetch_optional(&stmt).await?;
        row.map(|r| RegionCode::parse(&r.tenant_code).map_err(|e| StoreError::Corrupt(e.to_string()))).transpose()
    }

    pub async fn create_need(&self, actor: &Actor, tenant: &RegionCode, input: NeedInput) -> Result<Need> {
        let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin().await?;
        check_agency(&mut tx, actor, &tenant, input.agency_id).await?;
        check_rank(&mut tx, &tenant, &input, None).await?;
        check_targets(&mut tx, &tenant, &input).await?;
        let now = now_ms();
        let need = Need {
            tenant,
            id: NeedId::new(),
            agency_id: input.agency_id,
            year: input.year,
            title: input.title,
            problem: input.problem,
            urusan_code: input.urusan_code,
            partner_kind: input.partner_kind,
            expected_benefit: input.expected_benefit,
            priority: input.priority,
            status: NeedStatus::Draft,
            target_ids: input.target_ids,
            updated_at_ms: now,
        };
        tx.execute(
            &Query::insert()
                .into_table(Needs::Table)
                .columns(NEED_COLUMNS.into_iter().chain([Needs::CreatedAt]))
                .values_panic([
                    need.tenant.as_str().into(),
                    need.id.as_uuid().into(),
                    need.agency_id.as_uuid().into(),
                    need.year.into(),
                    need.title.clone().into(),
                    need.problem.clone().into(),
                    need.urusan_code.clone().into(),
                    need.partner_kind.slug().into(),
                    need.expected_benefit.clone().into(),
                    need.priority.map(|p| i32::from(p.get())).into(),
                    need.status.slug().into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        write_links(&mut tx, &need.tenant, need.id, &need.target_ids).await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&need.tenant),
                action: "create",
                record_type: RecordType::Need,
                record_id: need.id.to_string(),
                before: None,
                after: snapshot(&need),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(need)
    }

    pub async fn update_need(&self, actor: &Actor, id: NeedId, input: NeedInput) -> Result<Need> {
        let Some(tenant) = self.need_tenant(actor, id).await? else { return Err(StoreError::NotFound) };
        let mut tx = self.begin().await?;
        let before = load_need(&mut tx, &tenant, id).await?;
        // Both the agency it had and the one it moves to must be the actor's to plan for.
        check_agency(&mut tx, actor, &tenant, before.agency_id).await?;
        check_agency(&mut tx, actor, &tenant, input.agency_id).await?;
        let priority = if before.status.is_closed() { None } else { input.priority };
        let input = NeedInput { priority, ..input };
        check_rank(&mut tx, &tenant, &input, Some(id)).await?;
        check_targets(&mut tx, &tenant, &input).await?;
        let after = Need {
            agency_id: input.agency_id,
            year: input.year,
            title: input.title,
            problem: input.problem,
            urusan_code: input.urusan_code,
            partner_kind: input.partner_kind,
            expected_benefit: input.expected_benefit,
            priority: input.priority,
            target_ids: input.target_ids,
            updated_at_ms: now_ms(),
            ..before.clone()
        };
        tx.execute(
            &Query::update()
                .table(Needs::Table)
                .values([
                    (Needs::AgencyId, after.agency_id.as_uuid().into()),
                    (Needs::Year, after.year.into()),
                    (Needs::Title, after.title.clone().into()),
                    (Needs::Problem, after.problem.clone().into()),
                    (Needs::UrusanCode, after.urusan_code.clone().into()),
                    (Needs::PartnerKind, after.partner_kind.slug().into()),
                    (Needs::ExpectedBenefit, after.expected_benefit.clone().into()),
                    (Needs::PriorityRank, after.priority.map(|p| i32::from(p.get())).into()),
                    (Needs::UpdatedAt, after.updated_at_ms.into()),
                ])
                .and_where(Expr::col(Needs::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Needs::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        write_links(&mut tx, &tenant, id, &after.target_ids).await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                action: "update",
                record_type: RecordType::Need,
                record_id: id.to_string(),
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Move a need along its lifecycle. Dropping a need frees its priority rank.
    pub async fn set_need_status(&self, actor: &Actor, id: NeedId, to: NeedStatus) -> Result<Need> {
        let Some(tenant) = self.need_tenant(actor, id).await? else { return Err(StoreError::NotFound) };
        let mut tx = self.begin().await?;
        let before = load_need(&mut tx, &tenant, id).await?;
        check_agency(&mut tx, actor, &tenant, before.agency_id).await?;
        before.status.check_move(to)?;
        let priority = if to == NeedStatus::Dropped { None } else { before.priority };
        let after = Need { status: to, priority, updated_at_ms: now_ms(), ..before.clone() };
        tx.execute(
            &Query::update()
                .table(Needs::Table)
                .values([
                    (Needs::Status, to.slug().into()),
                    (Needs::PriorityRank, priority.map(|p| i32::from(p.get())).into()),
                    (Needs::UpdatedAt, after.updated_at_ms.into()),
                ])
                .and_where(Expr::col(Needs::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Needs::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                action: "status",
                record_type: RecordType::Need,
                record_id: id.to_string(),
                before: Some(serde_json::json!({ "status": before.status, "title": before.title })),
                after: Some(serde_json::json!({ "status": to, "title": after.title })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

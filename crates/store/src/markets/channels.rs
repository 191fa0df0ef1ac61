//! Channel pipelines: a channel (a partner's, or an SPPG kitchen), its checklist, and the
//! businesses moving through it from submitted to supplying, each stage with its date.

use std::collections::{HashMap, HashSet};

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::market::{
    ChannelKind, KitchenSupply, MIN_SUPPLIERS, Nearness, RegistryFacts, Requirement, SUPPLY_KBLI_PREFIXES, Stage,
    StageError, kitchen_supply, nearness, requirements_met,
};
use sinergi_domain::umkm::PermitKind;
use sinergi_domain::{Actor, BusinessId, ChannelEntryId, ChannelId, KbliCode, PartnerId, Permission, RegionCode};
use time::Date;
use uuid::Uuid;

use super::{audit, check_on, clean, market_tenant, optional, parse_date, positive};
use crate::db::Tx;
use crate::schema::*;
use crate::umkm::TagKind;
use crate::{Result, Store, StoreError, now_ms};

/// A new channel. A partner's channel names the partner; an SPPG kitchen names its desa.
#[derive(Debug, Clone)]
pub struct ChannelInput {
    pub kind: ChannelKind,
    pub name: String,
    pub partner_id: Option<PartnerId>,
    pub desa: Option<RegionCode>,
    pub daily_portions: Option<u32>,
    pub contact: Option<String>,
    /// The checklist; `None` takes the kind's default.
    pub requirements: Option<Vec<Requirement>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Channel {
    pub id: ChannelId,
    pub tenant: RegionCode,
    pub kind: ChannelKind,
    pub name: String,
    pub partner_id: Option<PartnerId>,
    pub partner_name: Option<String>,
    pub desa: Option<RegionCode>,
    pub kecamatan: Option<RegionCode>,
    pub daily_portions: Option<u32>,
    pub contact: Option<String>,
    pub requirements: Vec<Requirement>,
    pub active: bool,
}

/// One business in a channel's pipeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryRow {
    pub id: ChannelEntryId,
    pub channel: ChannelId,
    pub business: BusinessId,
    pub business_name: String,
    pub desa: Option<RegionCode>,
    pub kecamatan: Option<RegionCode>,
    pub kbli: Option<String>,
    pub stage: Stage,
    /// What an officer ticked (label, barcode, capacity).
    pub ticked: Vec<Requirement>,
    /// The channel's requirements the business meets today, and those it does not.
    pub met: Vec<Requirement>,
    pub missing: Vec<Requirement>,
    pub submitted_on: Date,
    pub requirements_met_on: Option<Date>,
    pub accepted_on: Option<Date>,
    pub supplying_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub monthly_supply: Option<i64>,
}

impl EntryRow {
    /// The date of the stage it is at.
    pub fn stage_on(&self) -> Date {
        match self.stage {
            Stage::Submitted => Some(self.submitted_on),
            Stage::RequirementsMet => self.requirements_met_on,
            Stage::Accepted => self.accepted_on,
            Stage::Supplying => self.supplying_on,
            Stage::Declined | Stage::Withdrawn => self.closed_on,
        }
        .unwrap_or(self.submitted_on)
    }

    /// Counted at `stage` of the funnel: it is there or past it, or it had got there before
    /// it was declined or withdrew. Declined and withdrawn count only themselves.
    pub fn reached(&self, stage: Stage) -> bool {
        match (self.stage, stage) {
            (Stage::Declined | Stage::Withdrawn, Stage::Declined | Stage::Withdrawn) => self.stage == stage,
            (Stage::Declined | Stage::Withdrawn, s) => reached_before_close(self, s),
            (_, Stage::Declined | Stage::Withdrawn) => false,
            (own, s) => own.reached(s),
        }
    }
}

/// A channel's funnel: how many entries reached each stage (an entry at "supplying" counts at
/// every stage before it), and how many left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Funnel {
    pub submitted: usize,
    pub requirements_met: usize,
    pub accepted: usize,
    pub supplying: usize,
    pub declined: usize,
    pub withdrawn: usize,
}

impl Funnel {
    fn of(entries: &[EntryRow]) -> Self {
        let reached = |s: Stage| entries.iter().filter(|e| e.reached(s)).count();
        Funnel {
            submitted: entries.len(),
            requirements_met: reached(Stage::RequirementsMet),
            accepted: reached(Stage::Accepted),
            supplying: reached(Stage::Supplying),
            declined: reached(Stage::Declined),
            withdrawn: reached(Stage::Withdrawn),
        }
    }

    /// The count at a funnel stage.
    pub fn at(&self, stage: Stage) -> usize {
        match stage {
            Stage::Submitted => self.submitted,
            Stage::RequirementsMet => self.requirements_met,
            Stage::Accepted => self.accepted,
            Stage::Supplying => self.supplying,
            Stage::Declined => self.declined,
            Stage::Withdrawn => self.withdrawn,
        }
    }
}

fn reached_before_close(e: &EntryRow, s: Stage) -> bool {
    match s {
        Stage::Submitted => true,
        Stage::RequirementsMet => e.requirements_met_on.is_some(),
        Stage::Accepted => e.accepted_on.is_some(),
        Stage::Supplying => e.supplying_on.is_some(),
        Stage::Declined | Stage::Withdrawn => false,
    }
}

/// How a kitchen's supply stands, with the dominant supplier named.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KitchenHealth {
    pub suppliers: usize,
    pub short_by: usize,
    pub dominant: Option<(BusinessId, String, u32)>,
    pub monthly_total: i64,
}

impl KitchenHealth {
    pub fn healthy(&self) -> bool {
        self.short_by == 0 && self.dominant.is_none()
    }
}

/// Judge a kitchen by its supplying entries. Every supplying entry counts as a supplier, even
/// before its monthly value is recorded (it does supply); the dominance rule reads the values.
pub fn kitchen_health(entries: &[EntryRow]) -> KitchenHealth {
    let supplying: Vec<&EntryRow> = entries.iter().filter(|e| e.stage == Stage::Supplying).collect();
    let values: Vec<i64> = supplying.iter().map(|e| e.monthly_supply.unwrap_or(0)).collect();
    let KitchenSupply { dominant, .. } = kitchen_supply(&values);
    KitchenHealth {
        suppliers: supplying.len(),
        short_by: MIN_SUPPLIERS.saturating_sub(supplying.len()),
        dominant: dominant
            .and_then(|(i, share)| supplying.get(i).map(|e| (e.business, e.business_name.clone(), share))),
        monthly_total: values.iter().sum(),
    }
}

/// A channel with its funnel, and for a kitchen its supply health.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelSummary {
    pub channel: Channel,
    pub funnel: Funnel,
    pub kitchen: Option<KitchenHealth>,
}

/// A local business that could supply a kitchen short of suppliers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub business: BusinessId,
    pub name: String,
    pub desa: Option<RegionCode>,
    pub kecamatan: Option<RegionCode>,
    pub kbli: Vec<KbliCode>,
    pub nearness: Nearness,
    /// The kitchen's requirements still to be ticked by an officer (capacity...).
    pub to_check: Vec<Requirement>,
}

#[derive(sqlx::FromRow)]
struct ChannelDb {
    id: Uuid,
    tenant_code: String,
    kind: String,
    name: String,
    partner_id: Option<Uuid>,
    partner_name: Option<String>,
    desa_code: Option<String>,
    kecamatan_code: Option<String>,
    daily_portions: Option<i32>,
    contact: Option<String>,
    requirements: String,
    active: bool,
}

impl ChannelDb {
    fn into_channel(self) -> Result<Channel> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("channel {what}"));
        Ok(Channel {
            id: ChannelId::from_uuid(self.id),
            tenant: RegionCode::parse(&self.tenant_code).map_err(|_| corrupt("tenant"))?,
            kind: self.kind.parse().map_err(|_| corrupt("kind"))?,
            name: self.name,
            partner_id: self.partner_id.map(PartnerId::from_uuid),
            partner_name: self.partner_name,
            desa: self.desa_code.and_then(|c| RegionCode::parse(&c).ok()),
            kecamatan: self.kecamatan_code.and_then(|c| RegionCode::parse(&c).ok()),
            daily_portions: self.daily_portions.and_then(|p| u32::try_from(p).ok()),
            contact: self.contact,
            requirements: slugs(&self.requirements),
            active: self.active,
        })
    }
}

/// A JSON list of requirement slugs; unknown ones (from a later version) are skipped.
fn slugs(json: &str) -> Vec<Requirement> {
    serde_json::from_str::<Vec<String>>(json).unwrap_or_default().iter().filter_map(|s| s.parse().ok()).collect()
}

fn slugs_json(reqs: &[Requirement]) -> String {
    serde_json::to_string(&reqs.iter().map(|r| r.slug()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

/// Each requirement once, in the domain's order.
fn normalised(reqs: &[Requirement]) -> Vec<Requirement> {
    Requirement::ALL.iter().copied().filter(|r| reqs.contains(r)).collect()
}

fn channel_select() -> sea_query::SelectStatement {
    use MarketChannels as C;
    Query::select()
        .columns([
            (C::Table, C::Id),
            (C::Table, C::TenantCode),
            (C::Table, C::Kind),
            (C::Table, C::Name),
            (C::Table, C::PartnerId),
            (C::Table, C::DesaCode),
            (C::Table, C::KecamatanCode),
            (C::Table, C::DailyPortions),
            (C::Table, C::Contact),
            (C::Table, C::Requirements),
            (C::Table, C::Active),
        ])
        .expr_as(Expr::col((Partners::Table, Partners::Name)), sea_query::Alias::new("partner_name"))
        .from(C::Table)
        .left_join(
            Partners::Table,
            Expr::col((Partners::Table, Partners::TenantCode))
                .equals((C::Table, C::TenantCode))
                .and(Expr::col((Partners::Table, Partners::Id)).equals((C::Table, C::PartnerId))),
        )
        .to_owned()
}

async fn read_channel(tx: &mut Tx, tenant: &RegionCode, id: ChannelId) -> Result<Channel> {
    use MarketChannels as C;
    let row: ChannelDb = tx
        .fetch_optional(
            channel_select()
                .and_where(Expr::col((C::Table, C::TenantCode)).eq(tenant.as_str()))
                .and_where(Expr::col((C::Table, C::Id)).eq(id.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    row.into_channel()
}

#[derive(sqlx::FromRow)]
struct EntryDb {
    id: Uuid,
    channel_id: Uuid,
    business_id: Uuid,
    name: String,
    desa_code: Option<String>,
    kecamatan_code: Option<String>,
    kbli: Option<String>,
    stage: String,
    ticked: String,
    submitted_on: String,
    requirements_met_on: Option<String>,
    accepted_on: Option<String>,
    supplying_on: Option<String>,
    closed_on: Option<String>,
    monthly_supply: Option<i64>,
}

/// The entries of a channel (or one entry), with what the registry says about each business
/// today.
async fn read_entries(
    tx: &mut Tx,
    tenant: &RegionCode,
    channel: &Channel,
    only: Option<ChannelEntryId>,
    today: Date,
) -> Result<Vec<EntryRow>> {
    use ChannelEntries as E;
    use UmkmBusinesses as B;
    let mut q = Query::select()
        .columns([
            (E::Table, E::Id),
            (E::Table, E::ChannelId),
            (E::Table, E::BusinessId),
            (E::Table, E::Stage),
            (E::Table, E::Ticked),
            (E::Table, E::SubmittedOn),
            (E::Table, E::RequirementsMetOn),
            (E::Table, E::AcceptedOn),
            (E::Table, E::SupplyingOn),
            (E::Table, E::ClosedOn),
            (E::Table, E::MonthlySupply),
        ])
        .columns([(B::Table, B::Name), (B::Table, B::DesaCode), (B::Table, B::KecamatanCode), (B::Table, B::Kbli)])
        .from(E::Table)
        .inner_join(
            B::Table,
            Expr::col((B::Table, B::TenantCode))
                .equals((E::Table, E::TenantCode))
                .and(Expr::col((B::Table, B::Id)).equals((E::Table, E::BusinessId))),
        )
        .and_where(Expr::col((E::Table, E::TenantCode)).eq(tenant.as_str()))
        .and_where(Expr::col((E::Table, E::ChannelId)).eq(channel.id.as_uuid()))
        .order_by((E::Table, E::CreatedAt), Order::Asc)
        .to_owned();
    if let Some(id) = only {
        q.and_where(Expr::col((E::Table, E::Id)).eq(id.as_uuid()));
    }
    let rows: Vec<EntryDb> = tx.fetch_all(&q).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.business_id).collect();
    let facts = registry_facts(tx, tenant, &ids, today).await?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("channel entry {what}"));
    rows.into_iter()
        .map(|r| {
            let ticked = slugs(&r.ticked);
            let met = requirements_met(facts.get(&r.business_id).unwrap_or(&RegistryFacts::default()), &ticked);
            let (met_here, missing) = channel.requirements.iter().partition(|q| met.contains(q));
            let date = |s: Option<String>| s.as_deref().and_then(parse_date);
            Ok(EntryRow {
                id: ChannelEntryId::from_uuid(r.id),
                channel: ChannelId::from_uuid(r.channel_id),
                business: BusinessId::from_uuid(r.business_id),
                business_name: r.name,
                desa: r.desa_code.and_then(|c| RegionCode::parse(&c).ok()),
                kecamatan: r.kecamatan_code.and_then(|c| RegionCode::parse(&c).ok()),
                kbli: r.kbli,
                stage: r.stage.parse().map_err(|_| corrupt("stage"))?,
                ticked,
                met: met_here,
                missing,
                submitted_on: parse_date(&r.submitted_on).ok_or_else(|| corrupt("date"))?,
                requirements_met_on: date(r.requirements_met_on),
                accepted_on: date(r.accepted_on),
                supplying_on: date(r.supplying_on),
                closed_on: date(r.closed_on),
                monthly_supply: r.monthly_supply,
            })
        })
        .collect()
}

/// What the registry knows of each business that a checklist asks for: an NIB (the
/// business's own, or an NIB permit), an NPWP on file, and the permits valid `today`.
async fn registry_facts(
    tx: &mut Tx,
    tenant: &RegionCode,
    ids: &[Uuid],
    today: Date,
) -> Result<HashMap<Uuid, RegistryFacts>> {
    #[derive(sqlx::FromRow)]
    struct B {
        id: Uuid,
        nib: Option<String>,
        npwp_masked: Option<String>,
    }
    #[derive(sqlx::FromRow)]
    struct P {
        business_id: Uuid,
        kind: String,
        expires: Option<String>,
    }
    let mut out: HashMap<Uuid, RegistryFacts> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<B> = tx
            .fetch_all(
                Query::select()
                    .columns([UmkmBusinesses::Id, UmkmBusinesses::Nib, UmkmBusinesses::NpwpMasked])
                    .from(UmkmBusinesses::Table)
                    .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmBusinesses::Id).is_in(chunk.iter().copied())),
            )
            .await?;
        for b in rows {
            let f = out.entry(b.id).or_default();
            f.has_nib = b.nib.is_some();
            f.has_npwp = b.npwp_masked.is_some();
        }
        let permits: Vec<P> = tx
            .fetch_all(
                Query::select()
                    .columns([UmkmPermits::BusinessId, UmkmPermits::Kind, UmkmPermits::Expires])
                    .from(UmkmPermits::Table)
                    .and_where(Expr::col(UmkmPermits::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmPermits::BusinessId).is_in(chunk.iter().copied())),
            )
            .await?;
        for p in permits {
            let Ok(kind) = p.kind.parse::<PermitKind>() else { continue };
            let expires = p.expires.as_deref().and_then(parse_date);
            if !RegistryFacts::permit_valid(expires, today) {
                continue;
            }
            let f = out.entry(p.business_id).or_default();
            if kind == PermitKind::Nib {
                f.has_nib = true;
            }
            if !f.valid_permits.contains(&kind) {
                f.valid_permits.push(kind);
            }
        }
    }
    Ok(out)
}

async fn read_entry(tx: &mut Tx, tenant: &RegionCode, id: ChannelEntryId, today: Date) -> Result<(Channel, EntryRow)> {
    #[derive(sqlx::FromRow)]
    struct C {
        channel_id: Uuid,
    }
    let c: C = tx
        .fetch_optional(
            Query::select()
                .column(ChannelEntries::ChannelId)
                .from(ChannelEntries::Table)
                .and_where(Expr::col(ChannelEntries::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(ChannelEntries::Id).eq(id.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    let channel = read_channel(tx, tenant, ChannelId::from_uuid(c.channel_id)).await?;
    let entry = read_entries(tx, tenant, &channel, Some(id), today).await?.pop().ok_or(StoreError::NotFound)?;
    Ok((channel, entry))
}

impl Store {
    /// A new channel with its checklist: a partner's (the partner from the registry), or an
    /// SPPG kitchen (its desa in the Pemda, its daily portions and contact).
    pub async fn create_channel(&self, actor: &Actor, tenant: &RegionCode, input: ChannelInput) -> Result<ChannelId> {
        let tenant = market_tenant(actor, Permission::ManageUmkm, tenant)?;
        let name = clean(&input.name, "name", 200)?;
        let contact = optional(input.contact.as_deref(), "contact", 200)?;
        let invalid = |field, reason| StoreError::Invalid(FieldError::new(field, reason));
        let kecamatan = match (&input.desa, input.kind) {
            (Some(d), _) if !d.is_within(&tenant) || d.level() != sinergi_domain::RegionLevel::Village => {
                return Err(invalid("desa", "invalid-region-code"));
            }
            (Some(d), _) => d.parent(),
            // A kitchen is a place: its suppliers are looked for around it.
            (None, ChannelKind::Mbg) => return Err(invalid("desa", "required")),
            (None, _) => None,
        };
        if input.kind != ChannelKind::Mbg && input.partner_id.is_none() {
            return Err(invalid("partner_id", "required"));
        }
        if input.daily_portions == Some(0) {
            return Err(invalid("daily_portions", "invalid-number"));
        }
        let requirements =
            normalised(&input.requirements.unwrap_or_else(|| input.kind.default_requirements().to_vec()));
        let mut tx = self.begin().await?;
        if let Some(p) = input.partner_id {
            tx.check_in_tenant(
                (Partners::Table, Partners::TenantCode, Partners::Id),
                &tenant,
                p.as_uuid(),
                "partner_id",
            )
            .await?;
        }
        let id = ChannelId::new();
        let now = now_ms();
        tx.execute(
            Query::insert()
                .into_table(MarketChannels::Table)
                .columns([
                    MarketChannels::TenantCode,
                    MarketChannels::Id,
                    MarketChannels::Kind,
                    MarketChannels::Name,
                    MarketChannels::PartnerId,
                    MarketChannels::DesaCode,
                    MarketChannels::KecamatanCode,
                    MarketChannels::DailyPortions,
                    MarketChannels::Contact,
                    MarketChannels::Requirements,
                    MarketChannels::CreatedBy,
                    MarketChannels::CreatedAt,
                    MarketChannels::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    input.kind.slug().into(),
                    name.clone().into(),
                    input.partner_id.map(|p| p.as_uuid()).into(),
                    input.desa.as_ref().map(|d| d.to_string()).into(),
                    kecamatan.map(|k| k.to_string()).into(),
                    input.daily_portions.map(i64::from).into(),
                    contact.into(),
                    slugs_json(&requirements).into(),
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
            "create_channel",
            None,
            serde_json::json!({ "name": name, "kind": input.kind.slug(), "requirements": slugs_json(&requirements) }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Edit a channel's checklist. Entries already past "requirements met" keep their stage:
    /// the new checklist gates the entries still to pass it.
    pub async fn set_channel_requirements(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ChannelId,
        requirements: &[Requirement],
    ) -> Result<()> {
        let tenant = market_tenant(actor, Permission::ManageUmkm, tenant)?;
        let requirements = normalised(requirements);
        let mut tx = self.begin().await?;
        let before = read_channel(&mut tx, &tenant, id).await?;
        tx.execute(
            Query::update()
                .table(MarketChannels::Table)
                .value(MarketChannels::Requirements, slugs_json(&requirements))
                .value(MarketChannels::UpdatedAt, now_ms())
                .and_where(Expr::col(MarketChannels::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(MarketChannels::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "set_channel_requirements",
            Some(serde_json::json!({ "name": before.name, "requirements": slugs_json(&before.requirements) })),
            serde_json::json!({ "name": before.name, "requirements": slugs_json(&requirements) }),
        )
        .await?;
        tx.commit().await
    }

    pub async fn channel(&self, actor: &Actor, tenant: &RegionCode, id: ChannelId) -> Result<Channel> {
        let tenant = market_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        read_channel(&mut tx, &tenant, id).await
    }

    /// Every channel of the Pemda with its funnel (and a kitchen's supply health), kitchens
    /// after the partners' channels, each group by name.
    pub async fn channels(&self, actor: &Actor, tenant: &RegionCode, today: Date) -> Result<Vec<ChannelSummary>> {
        use MarketChannels as C;
        let tenant = market_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        let rows: Vec<ChannelDb> = tx
            .fetch_all(
                channel_select()
                    .and_where(Expr::col((C::Table, C::TenantCode)).eq(tenant.as_str()))
                    .order_by((C::Table, C::Name), Order::Asc),
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let channel = r.into_channel()?;
            let entries = read_entries(&mut tx, &tenant, &channel, None, today).await?;
            let kitchen = (channel.kind == ChannelKind::Mbg).then(|| kitchen_health(&entries));
            out.push(ChannelSummary { funnel: Funnel::of(&entries), kitchen, channel });
        }
        out.sort_by_key(|s| s.channel.kind == ChannelKind::Mbg);
        Ok(out)
    }

    /// A channel's pipeline, oldest entry first.
    pub async fn channel_entries(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ChannelId,
        today: Date,
    ) -> Result<(Channel, Vec<EntryRow>)> {
        let tenant = market_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        let channel = read_channel(&mut tx, &tenant, id).await?;
        let entries = read_entries(&mut tx, &tenant, &channel, None, today).await?;
        Ok((channel, entries))
    }

    pub async fn channel_entry(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ChannelEntryId,
        today: Date,
    ) -> Result<(Channel, EntryRow)> {
        let tenant = market_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        read_entry(&mut tx, &tenant, id, today).await
    }

    /// Put a registry business into a channel's pipeline, submitted on `on`. Once per channel.
    pub async fn add_channel_entry(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        channel: ChannelId,
        business: BusinessId,
        on: Date,
        today: Date,
    ) -> Result<ChannelEntryId> {
        let tenant = market_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let c = read_channel(&mut tx, &tenant, channel).await?;
        check_on(on, today, None, "on")?;
        active_business(&mut tx, &tenant, business).await?;
        let id = ChannelEntryId::new();
        let now = now_ms();
        tx.execute(
            Query::insert()
                .into_table(ChannelEntries::Table)
                .columns([
                    ChannelEntries::TenantCode,
                    ChannelEntries::Id,
                    ChannelEntries::ChannelId,
                    ChannelEntries::BusinessId,
                    ChannelEntries::Stage,
                    ChannelEntries::Ticked,
                    ChannelEntries::SubmittedOn,
                    ChannelEntries::CreatedBy,
                    ChannelEntries::CreatedAt,
                    ChannelEntries::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    channel.as_uuid().into(),
                    business.as_uuid().into(),
                    Stage::Submitted.slug().into(),
                    "[]".into(),
                    on.to_string().into(),
                    actor.label.clone().into(),
                    now.into(),
                    now.into(),
                ]),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => StoreError::Conflict { field: "business" },
            other => other,
        })?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "add_channel_entry",
            None,
            serde_json::json!({ "name": c.name, "channel": channel, "business": business, "on": on.to_string() }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Record the requirements an officer has checked by hand (label, barcode, capacity). The
    /// registry's own facts (NIB, NPWP, permits) cannot be ticked: they are read.
    pub async fn tick_channel_entry(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ChannelEntryId,
        ticked: &[Requirement],
        today: Date,
    ) -> Result<()> {
        let tenant = market_tenant(actor, Permission::ManageUmkm, tenant)?;
        let ticked: Vec<Requirement> = normalised(ticked).into_iter().filter(|r| !r.from_registry()).collect();
        let mut tx = self.begin().await?;
        let (channel, before) = read_entry(&mut tx, &tenant, id, today).await?;
        tx.execute(
            Query::update()
                .table(ChannelEntries::Table)
                .value(ChannelEntries::Ticked, slugs_json(&ticked))
                .value(ChannelEntries::UpdatedAt, now_ms())
                .and_where(Expr::col(ChannelEntries::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(ChannelEntries::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "tick_channel_entry",
            Some(serde_json::json!({ "ticked": slugs_json(&before.ticked) })),
            serde_json::json!({ "name": format!("{} — {}", before.business_name, channel.name), "ticked": slugs_json(&ticked) }),
        )
        .await?;
        tx.commit().await
    }

    /// Move an entry to its next stage on `on` through [`Stage::step`]: "requirements met" is
    /// refused while the checklist has gaps (`requirements-missing`; the entry's `missing`
    /// names them). In a Koperasi Merah Putih channel, acceptance records the membership in
    /// the registry in the same transaction, and withdrawing after it takes it away.
    pub async fn move_channel_entry(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ChannelEntryId,
        to: Stage,
        on: Date,
        today: Date,
    ) -> Result<Stage> {
        let tenant = market_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let (channel, entry) = read_entry(&mut tx, &tenant, id, today).await?;
        let landed = entry.stage.step(to, &channel.requirements, &entry.met).map_err(|e| match e {
            StageError::NotNext { .. } => StoreError::Invalid(FieldError::new("stage", "not-next")),
            StageError::Missing(_) => StoreError::Invalid(FieldError::new("stage", "requirements-missing")),
        })?;
        check_on(on, today, Some(entry.stage_on()), "on")?;
        let column = match landed {
            Stage::Submitted => ChannelEntries::SubmittedOn,
            Stage::RequirementsMet => ChannelEntries::RequirementsMetOn,
            Stage::Accepted => ChannelEntries::AcceptedOn,
            Stage::Supplying => ChannelEntries::SupplyingOn,
            Stage::Declined | Stage::Withdrawn => ChannelEntries::ClosedOn,
        };
        tx.execute(
            Query::update()
                .table(ChannelEntries::Table)
                .value(ChannelEntries::Stage, landed.slug())
                .value(column, on.to_string())
                .value(ChannelEntries::UpdatedAt, now_ms())
                .and_where(Expr::col(ChannelEntries::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(ChannelEntries::Id).eq(id.as_uuid())),
        )
        .await?;
        if channel.kind == ChannelKind::Cooperative {
            // The registry's membership list is what the rest of Sinergi reads (the business's
            // page, programme eligibility, the owner's data), so the pipeline writes it rather
            // than leaving two answers to "is this business a member?".
            if landed == Stage::Accepted {
                set_membership(&mut tx, &tenant, entry.business, &channel.name, true).await?;
            } else if landed == Stage::Withdrawn && entry.accepted_on.is_some() {
                set_membership(&mut tx, &tenant, entry.business, &channel.name, false).await?;
            }
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "move_channel_entry",
            Some(serde_json::json!({ "stage": entry.stage.slug() })),
            serde_json::json!({
                "name": format!("{} — {}", entry.business_name, channel.name),
                "stage": landed.slug(),
                "on": on.to_string(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(landed)
    }

    /// What a supplying business supplies a kitchen a month (whole rupiah), the figure the
    /// kitchen's dominance rule reads; `None` clears it.
    pub async fn set_monthly_supply(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ChannelEntryId,
        value: Option<i64>,
        today: Date,
    ) -> Result<()> {
        let tenant = market_tenant(actor, Permission::ManageUmkm, tenant)?;
        let value = positive(value, "monthly_supply")?;
        let mut tx = self.begin().await?;
        let (channel, entry) = read_entry(&mut tx, &tenant, id, today).await?;
        if channel.kind != ChannelKind::Mbg || entry.stage != Stage::Supplying {
            return Err(StoreError::Invalid(FieldError::new("monthly_supply", "supply-not-supplying")));
        }
        tx.execute(
            Query::update()
                .table(ChannelEntries::Table)
                .value(ChannelEntries::MonthlySupply, value)
                .value(ChannelEntries::UpdatedAt, now_ms())
                .and_where(Expr::col(ChannelEntries::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(ChannelEntries::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "set_monthly_supply",
            Some(serde_json::json!({ "monthly_supply": entry.monthly_supply })),
            serde_json::json!({ "name": format!("{} — {}", entry.business_name, channel.name), "monthly_supply": value }),
        )
        .await?;
        tx.commit().await
    }

    /// Local businesses that could supply a kitchen: poultry and vegetable producers (KBLI
    /// 0146, 0113) of the Pemda not already in its pipeline, whose registry facts meet the
    /// kitchen's checklist (what is left is for an officer to check), nearest first: same
    /// desa, then same kecamatan, then the kabupaten/kota.
    pub async fn kitchen_suggestions(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ChannelId,
        limit: usize,
        today: Date,
    ) -> Result<Vec<Suggestion>> {
        let tenant = market_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        let channel = read_channel(&mut tx, &tenant, id).await?;
        let Some(kitchen_desa) = channel.desa.clone() else { return Ok(Vec::new()) };
        let already: HashSet<BusinessId> =
            read_entries(&mut tx, &tenant, &channel, None, today).await?.into_iter().map(|e| e.business).collect();
        #[derive(sqlx::FromRow)]
        struct K {
            business_id: Uuid,
            code: String,
        }
        let mut any = Cond::any();
        for p in SUPPLY_KBLI_PREFIXES {
            any = any.add(Expr::col((UmkmBusinessKbli::Table, UmkmBusinessKbli::Code)).like(format!("{p}%")));
        }
        let codes: Vec<K> = tx
            .fetch_all(
                Query::select()
                    .columns([
                        (UmkmBusinessKbli::Table, UmkmBusinessKbli::BusinessId),
                        (UmkmBusinessKbli::Table, UmkmBusinessKbli::Code),
                    ])
                    .from(UmkmBusinessKbli::Table)
                    .and_where(Expr::col((UmkmBusinessKbli::Table, UmkmBusinessKbli::TenantCode)).eq(tenant.as_str()))
                    .cond_where(any),
            )
            .await?;
        let mut kbli: HashMap<Uuid, Vec<KbliCode>> = HashMap::new();
        for k in codes {
            if already.contains(&BusinessId::from_uuid(k.business_id)) {
                continue;
            }
            if let Ok(code) = KbliCode::parse(&k.code) {
                kbli.entry(k.business_id).or_default().push(code);
            }
        }
        let ids: Vec<Uuid> = kbli.keys().copied().collect();
        #[derive(sqlx::FromRow)]
        struct B {
            id: Uuid,
            name: String,
            desa_code: Option<String>,
            kecamatan_code: Option<String>,
        }
        let mut businesses: Vec<B> = Vec::new();
        for chunk in ids.chunks(500) {
            businesses.extend(
                tx.fetch_all::<B, _>(
                    Query::select()
                        .columns([
                            UmkmBusinesses::Id,
                            UmkmBusinesses::Name,
                            UmkmBusinesses::DesaCode,
                            UmkmBusinesses::KecamatanCode,
                        ])
                        .from(UmkmBusinesses::Table)
                        .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                        .and_where(Expr::col(UmkmBusinesses::Status).eq("active"))
                        .and_where(Expr::col(UmkmBusinesses::Id).is_in(chunk.iter().copied())),
                )
                .await?,
            );
        }
        let facts = registry_facts(&mut tx, &tenant, &ids, today).await?;
        let mut out: Vec<Suggestion> = businesses
            .into_iter()
            .filter_map(|b| {
                let desa = b.desa_code.and_then(|c| RegionCode::parse(&c).ok());
                let kecamatan = b.kecamatan_code.and_then(|c| RegionCode::parse(&c).ok());
                let near = nearness(&kitchen_desa, desa.as_ref(), kecamatan.as_ref())?;
                let met = requirements_met(facts.get(&b.id).unwrap_or(&RegistryFacts::default()), &[]);
                // The registry must already answer what it can; the rest is the officer's to check.
                let (known, to_check): (Vec<Requirement>, Vec<Requirement>) =
                    channel.requirements.iter().partition(|r| r.from_registry());
                if known.iter().any(|r| !met.contains(r)) {
                    return None;
                }
                Some(Suggestion {
                    business: BusinessId::from_uuid(b.id),
                    kbli: kbli.remove(&b.id).unwrap_or_default(),
                    name: b.name,
                    desa,
                    kecamatan,
                    nearness: near,
                    to_check,
                })
            })
            .collect();
        out.sort_by(|a, b| a.nearness.cmp(&b.nearness).then_with(|| a.name.cmp(&b.name)));
        out.truncate(limit);
        Ok(out)
    }
}

/// A business of the Pemda that is still its own record (not merged into another).
pub(crate) async fn active_business(tx: &mut Tx, tenant: &RegionCode, business: BusinessId) -> Result<()> {
    #[derive(sqlx::FromRow)]
    struct One {
        #[allow(dead_code)]
        id: Uuid,
    }
    let found: Option<One> = tx
        .fetch_optional(
            Query::select()
                .column(UmkmBusinesses::Id)
                .from(UmkmBusinesses::Table)
                .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmBusinesses::Id).eq(business.as_uuid()))
                .and_where(Expr::col(UmkmBusinesses::Status).eq("active")),
        )
        .await?;
    found.map(|_| ()).ok_or(StoreError::Invalid(FieldError::new("business", "invalid-choice")))
}

/// Add or remove the registry's membership tag naming the cooperative (the same row
/// `Store::set_umkm_tag` writes).
async fn set_membership(
    tx: &mut Tx,
    tenant: &RegionCode,
    business: BusinessId,
    name: &str,
    present: bool,
) -> Result<()> {
    let kind = TagKind::Membership.slug();
    if present {
        tx.execute(
            Query::insert()
                .into_table(UmkmTags::Table)
                .columns([UmkmTags::TenantCode, UmkmTags::BusinessId, UmkmTags::Kind, UmkmTags::Value])
                .values_panic([tenant.as_str().into(), business.as_uuid().into(), kind.into(), name.into()])
                .on_conflict(
                    sea_query::OnConflict::columns([
                        UmkmTags::TenantCode,
                        UmkmTags::BusinessId,
                        UmkmTags::Kind,
                        UmkmTags::Value,
                    ])
                    .do_nothing()
                    .to_owned(),
                ),
        )
        .await?;
    } else {
        tx.execute(
            Query::delete()
                .from_table(UmkmTags::Table)
                .and_where(Expr::col(UmkmTags::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmTags::BusinessId).eq(business.as_uuid()))
                .and_where(Expr::col(UmkmTags::Kind).eq(kind))
                .and_where(Expr::col(UmkmTags::Value).eq(name)),
        )
        .await?;
    }
    Ok(())
}

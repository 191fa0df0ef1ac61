//! Financing referrals: the schemes a Pemda refers businesses to (KUR super mikro, mikro,
//! kecil, and any product it adds), and each referral from "referred" to "disbursed", with the
//! date and the person of every step. A bank's user sees and moves only the referrals sent to
//! its bank; the Pemda's officers see them all.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::market::{ReferralAmounts, ReferralStatus, Scheme, check_asked, default_schemes};
use sinergi_domain::{Actor, BusinessId, PartnerId, Permission, ReferralId, RegionCode, Role};
use time::Date;
use uuid::Uuid;

use super::channels::active_business;
use super::{audit, check_on, clean, market_tenant, optional, own_tenant, parse_date, positive};
use crate::db::Tx;
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

/// A scheme as a Pemda uses it: the domain's default until the Pemda edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemeRow {
    pub code: String,
    pub name: String,
    /// The bank that offers it, when only one does.
    pub partner_id: Option<PartnerId>,
    pub partner_name: Option<String>,
    pub ceiling: i64,
    pub active: bool,
    /// False while it is the regulation's default, untouched by the Pemda.
    pub edited: bool,
}

impl SchemeRow {
    pub fn scheme(&self) -> Scheme {
        Scheme { code: self.code.clone(), name: self.name.clone(), ceiling: self.ceiling }
    }
}

#[derive(Debug, Clone)]
pub struct SchemeInput {
    pub code: String,
    pub name: String,
    pub partner_id: Option<PartnerId>,
    pub ceiling: i64,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct ReferralInput {
    pub business: BusinessId,
    pub partner_id: PartnerId,
    pub scheme_code: String,
    pub amount_asked: i64,
    pub purpose: String,
    pub on: Date,
}

/// One step of a referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralEvent {
    pub from: Option<ReferralStatus>,
    pub to: ReferralStatus,
    pub on: Date,
    pub by: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralRow {
    pub id: ReferralId,
    pub business: BusinessId,
    pub business_name: String,
    pub kecamatan: Option<RegionCode>,
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub scheme_code: String,
    pub scheme_name: String,
    pub ceiling: i64,
    pub amount_asked: i64,
    pub purpose: String,
    pub status: ReferralStatus,
    pub amount_approved: Option<i64>,
    pub amount_disbursed: Option<i64>,
    pub decline_reason: Option<String>,
    pub referred_on: Date,
    pub events: Vec<ReferralEvent>,
}

/// A step to take, with what it needs.
#[derive(Debug, Clone)]
pub struct ReferralMove {
    pub to: ReferralStatus,
    pub on: Date,
    pub amount_approved: Option<i64>,
    pub amount_disbursed: Option<i64>,
    pub decline_reason: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    pub status: Option<ReferralStatus>,
    pub scheme: Option<String>,
    pub partner: Option<PartnerId>,
}

/// Who is reading referrals: the Pemda's people see all of them, a bank's user those sent to
/// its bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    Officer,
    Bank(PartnerId),
}

fn reader(actor: &Actor) -> Result<Reader> {
    match actor.role {
        Role::Partner => actor.partner.map(Reader::Bank).ok_or(StoreError::Forbidden),
        _ if actor.can(Permission::ViewUmkm) => Ok(Reader::Officer),
        _ => Err(StoreError::Forbidden),
    }
}

fn valid_code(code: &str) -> Result<String> {
    let c = code.trim().to_lowercase();
    let ok = !c.is_empty()
        && c.len() <= 40
        && c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
        && !c.starts_with('-');
    if ok { Ok(c) } else { Err(StoreError::Invalid(FieldError::new("code", "invalid-slug"))) }
}

/// A partner of the Pemda that is a bank.
async fn check_bank(tx: &mut Tx, tenant: &RegionCode, partner: PartnerId, field: &'static str) -> Result<String> {
    #[derive(sqlx::FromRow)]
    struct P {
        name: String,
        kind: String,
    }
    let p: Option<P> = tx
        .fetch_optional(
            Query::select()
                .columns([Partners::Name, Partners::Kind])
                .from(Partners::Table)
                .and_where(Expr::col(Partners::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Partners::Id).eq(partner.as_uuid())),
        )
        .await?;
    match p {
        Some(p) if p.kind == "bank" => Ok(p.name),
        _ => Err(StoreError::Invalid(FieldError::new(field, "invalid-choice"))),
    }
}

async fn read_schemes(tx: &mut Tx, tenant: &RegionCode) -> Result<Vec<SchemeRow>> {
    #[derive(sqlx::FromRow)]
    struct S {
        code: String,
        name: String,
        partner_id: Option<Uuid>,
        partner_name: Option<String>,
        ceiling: i64,
        active: bool,
    }
    let rows: Vec<S> = tx
        .fetch_all(
            Query::select()
                .columns([
                    (FinancingSchemes::Table, FinancingSchemes::Code),
                    (FinancingSchemes::Table, FinancingSchemes::Name),
                    (FinancingSchemes::Table, FinancingSchemes::PartnerId),
                    (FinancingSchemes::Table, FinancingSchemes::Ceiling),
                    (FinancingSchemes::Table, FinancingSchemes::Active),
                ])
                .expr_as(Expr::col((Partners::Table, Partners::Name)), sea_query::Alias::new("partner_name"))
                .from(FinancingSchemes::Table)
                .left_join(
                    Partners::Table,
                    Expr::col((Partners::Table, Partners::TenantCode))
                        .equals((FinancingSchemes::Table, FinancingSchemes::TenantCode))
                        .and(
                            Expr::col((Partners::Table, Partners::Id))
                                .equals((FinancingSchemes::Table, FinancingSchemes::PartnerId)),
                        ),
                )
                .and_where(Expr::col((FinancingSchemes::Table, FinancingSchemes::TenantCode)).eq(tenant.as_str())),
        )
        .await?;
    let mut out: Vec<SchemeRow> = default_schemes()
        .into_iter()
        .filter(|d| !rows.iter().any(|r| r.code == d.code))
        .map(|d| SchemeRow {
            code: d.code,
            name: d.name,
            partner_id: None,
            partner_name: None,
            ceiling: d.ceiling,
            active: true,
            edited: false,
        })
        .collect();
    out.extend(rows.into_iter().map(|r| SchemeRow {
        code: r.code,
        name: r.name,
        partner_id: r.partner_id.map(PartnerId::from_uuid),
        partner_name: r.partner_name,
        ceiling: r.ceiling,
        active: r.active,
        edited: true,
    }));
    out.sort_by(|a, b| a.ceiling.cmp(&b.ceiling).then_with(|| a.code.cmp(&b.code)));
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct ReferralDb {
    id: Uuid,
    business_id: Uuid,
    business_name: String,
    kecamatan_code: Option<String>,
    partner_id: Uuid,
    partner_name: String,
    scheme_code: String,
    scheme_name: String,
    ceiling: i64,
    amount_asked: i64,
    purpose: String,
    status: String,
    amount_approved: Option<i64>,
    amount_disbursed: Option<i64>,
    decline_reason: Option<String>,
    referred_on: String,
}

async fn read_referrals(
    tx: &mut Tx,
    tenant: &RegionCode,
    reader: Reader,
    filter: &ReferralFilter,
    only: Option<ReferralId>,
) -> Result<Vec<ReferralRow>> {
    use FinancingReferrals as R;
    let mut q = Query::select()
        .columns([
            (R::Table, R::Id),
            (R::Table, R::BusinessId),
            (R::Table, R::PartnerId),
            (R::Table, R::SchemeCode),
            (R::Table, R::SchemeName),
            (R::Table, R::Ceiling),
            (R::Table, R::AmountAsked),
            (R::Table, R::Purpose),
            (R::Table, R::Status),
            (R::Table, R::AmountApproved),
            (R::Table, R::AmountDisbursed),
            (R::Table, R::DeclineReason),
            (R::Table, R::ReferredOn),
        ])
        .expr_as(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Name)), sea_query::Alias::new("business_name"))
        .column((UmkmBusinesses::Table, UmkmBusinesses::KecamatanCode))
        .expr_as(Expr::col((Partners::Table, Partners::Name)), sea_query::Alias::new("partner_name"))
        .from(R::Table)
        .inner_join(
            UmkmBusinesses::Table,
            Expr::col((UmkmBusinesses::Table, UmkmBusinesses::TenantCode))
                .equals((R::Table, R::TenantCode))
                .and(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Id)).equals((R::Table, R::BusinessId))),
        )
        .inner_join(
            Partners::Table,
            Expr::col((Partners::Table, Partners::TenantCode))
                .equals((R::Table, R::TenantCode))
                .and(Expr::col((Partners::Table, Partners::Id)).equals((R::Table, R::PartnerId))),
        )
        .and_where(Expr::col((R::Table, R::TenantCode)).eq(tenant.as_str()))
        .order_by((R::Table, R::ReferredOn), Order::Desc)
        .order_by((R::Table, R::CreatedAt), Order::Desc)
        .to_owned();
    if let Reader::Bank(p) = reader {
        q.and_where(Expr::col((R::Table, R::PartnerId)).eq(p.as_uuid()));
    }
    if let Some(p) = filter.partner {
        q.and_where(Expr::col((R::Table, R::PartnerId)).eq(p.as_uuid()));
    }
    if let Some(s) = filter.status {
        q.and_where(Expr::col((R::Table, R::Status)).eq(s.slug()));
    }
    if let Some(s) = &filter.scheme {
        q.and_where(Expr::col((R::Table, R::SchemeCode)).eq(s.as_str()));
    }
    if let Some(id) = only {
        q.and_where(Expr::col((R::Table, R::Id)).eq(id.as_uuid()));
    }
    let rows: Vec<ReferralDb> = tx.fetch_all(&q).await?;
    #[derive(sqlx::FromRow)]
    struct Ev {
        referral_id: Uuid,
        from_status: Option<String>,
        to_status: String,
        on_date: String,
        by: String,
        note: Option<String>,
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut events: Vec<Ev> = Vec::new();
    for chunk in ids.chunks(500) {
        events.extend(
            tx.fetch_all::<Ev, _>(
                Query::select()
                    .columns([
                        ReferralEvents::ReferralId,
                        ReferralEvents::FromStatus,
                        ReferralEvents::ToStatus,
                        ReferralEvents::OnDate,
                        ReferralEvents::By,
                        ReferralEvents::Note,
                    ])
                    .from(ReferralEvents::Table)
                    .and_where(Expr::col(ReferralEvents::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(ReferralEvents::ReferralId).is_in(chunk.iter().copied()))
                    .order_by(ReferralEvents::At, Order::Asc),
            )
            .await?,
        );
    }
    let corrupt = |what: &str| StoreError::Corrupt(format!("referral {what}"));
    rows.into_iter()
        .map(|r| {
            let evs = events
                .iter()
                .filter(|e| e.referral_id == r.id)
                .map(|e| {
                    Ok(ReferralEvent {
                        from: e.from_status.as_deref().map(str::parse).transpose().map_err(|_| corrupt("event"))?,
                        to: e.to_status.parse().map_err(|_| corrupt("event"))?,
                        on: parse_date(&e.on_date).ok_or_else(|| corrupt("event date"))?,
                        by: e.by.clone(),
                        note: e.note.clone(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(ReferralRow {
                id: ReferralId::from_uuid(r.id),
                business: BusinessId::from_uuid(r.business_id),
                business_name: r.business_name,
                kecamatan: r.kecamatan_code.and_then(|c| RegionCode::parse(&c).ok()),
                partner_id: PartnerId::from_uuid(r.partner_id),
                partner_name: r.partner_name,
                scheme_code: r.scheme_code,
                scheme_name: r.scheme_name,
                ceiling: r.ceiling,
                amount_asked: r.amount_asked,
                purpose: r.purpose,
                status: r.status.parse().map_err(|_| corrupt("status"))?,
                amount_approved: r.amount_approved,
                amount_disbursed: r.amount_disbursed,
                decline_reason: r.decline_reason,
                referred_on: parse_date(&r.referred_on).ok_or_else(|| corrupt("date"))?,
                events: evs,
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)] // one event's columns, named at the call sites
async fn insert_event(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    referral: ReferralId,
    from: Option<ReferralStatus>,
    to: ReferralStatus,
    on: Date,
    note: Option<String>,
) -> Result<()> {
    tx.execute(
        Query::insert()
            .into_table(ReferralEvents::Table)
            .columns([
                ReferralEvents::TenantCode,
                ReferralEvents::Id,
                ReferralEvents::ReferralId,
                ReferralEvents::FromStatus,
                ReferralEvents::ToStatus,
                ReferralEvents::OnDate,
                ReferralEvents::At,
                ReferralEvents::By,
                ReferralEvents::Note,
            ])
            .values_panic([
                tenant.as_str().into(),
                Uuid::now_v7().into(),
                referral.as_uuid().into(),
                from.map(|f| f.slug()).into(),
                to.slug().into(),
                on.to_string().into(),
                now_ms().into(),
                actor.label.clone().into(),
                note.into(),
            ]),
    )
    .await?;
    Ok(())
}

impl Store {
    /// The Pemda's schemes: the regulation's defaults where it has not edited them.
    pub async fn financing_schemes(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<SchemeRow>> {
        let tenant = own_tenant(actor, tenant)?;
        reader(actor)?;
        let mut tx = self.begin_read().await?;
        read_schemes(&mut tx, &tenant).await
    }

    /// Add a scheme or edit one (a default becomes the Pemda's own on its first edit).
    pub async fn save_financing_scheme(&self, actor: &Actor, tenant: &RegionCode, input: SchemeInput) -> Result<()> {
        let tenant = market_tenant(actor, Permission::ManageUmkm, tenant)?;
        let code = valid_code(&input.code)?;
        let name = clean(&input.name, "name", 120)?;
        if input.ceiling <= 0 {
            return Err(StoreError::Invalid(FieldError::new("ceiling", "invalid-amount")));
        }
        let mut tx = self.begin().await?;
        if let Some(p) = input.partner_id {
            check_bank(&mut tx, &tenant, p, "partner_id").await?;
        }
        let before = read_schemes(&mut tx, &tenant).await?.into_iter().find(|s| s.code == code);
        tx.execute(
            Query::delete()
                .from_table(FinancingSchemes::Table)
                .and_where(Expr::col(FinancingSchemes::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(FinancingSchemes::Code).eq(code.as_str())),
        )
        .await?;
        tx.execute(
            Query::insert()
                .into_table(FinancingSchemes::Table)
                .columns([
                    FinancingSchemes::TenantCode,
                    FinancingSchemes::Code,
                    FinancingSchemes::Name,
                    FinancingSchemes::PartnerId,
                    FinancingSchemes::Ceiling,
                    FinancingSchemes::Active,
                    FinancingSchemes::UpdatedBy,
                    FinancingSchemes::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    code.clone().into(),
                    name.clone().into(),
                    input.partner_id.map(|p| p.as_uuid()).into(),
                    input.ceiling.into(),
                    input.active.into(),
                    actor.label.clone().into(),
                    now_ms().into(),
                ]),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            code.clone(),
            "save_financing_scheme",
            before.map(|b| serde_json::json!({ "name": b.name, "ceiling": b.ceiling, "active": b.active })),
            serde_json::json!({ "name": name, "ceiling": input.ceiling, "active": input.active }),
        )
        .await?;
        tx.commit().await
    }

    /// Refer a business to a bank under a scheme; the amount asked must be within the
    /// scheme's ceiling (`amount_asked`, `above-ceiling`).
    pub async fn create_referral(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        input: ReferralInput,
        today: Date,
    ) -> Result<ReferralId> {
        let tenant = market_tenant(actor, Permission::ManageUmkm, tenant)?;
        let purpose = clean(&input.purpose, "purpose", 500)?;
        check_on(input.on, today, None, "on")?;
        let mut tx = self.begin().await?;
        let scheme = read_schemes(&mut tx, &tenant)
            .await?
            .into_iter()
            .find(|s| s.code == input.scheme_code && s.active)
            .ok_or(StoreError::Invalid(FieldError::new("scheme_code", "invalid-choice")))?;
        check_asked(&scheme.scheme(), input.amount_asked)?;
        let bank = check_bank(&mut tx, &tenant, input.partner_id, "partner_id").await?;
        if scheme.partner_id.is_some_and(|p| p != input.partner_id) {
            return Err(StoreError::Invalid(FieldError::new("partner_id", "scheme-other-bank")));
        }
        active_business(&mut tx, &tenant, input.business).await?;
        let id = ReferralId::new();
        let now = now_ms();
        tx.execute(
            Query::insert()
                .into_table(FinancingReferrals::Table)
                .columns([
                    FinancingReferrals::TenantCode,
                    FinancingReferrals::Id,
                    FinancingReferrals::BusinessId,
                    FinancingReferrals::PartnerId,
                    FinancingReferrals::SchemeCode,
                    FinancingReferrals::SchemeName,
                    FinancingReferrals::Ceiling,
                    FinancingReferrals::AmountAsked,
                    FinancingReferrals::Purpose,
                    FinancingReferrals::Status,
                    FinancingReferrals::ReferredOn,
                    FinancingReferrals::CreatedBy,
                    FinancingReferrals::CreatedAt,
                    FinancingReferrals::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    input.business.as_uuid().into(),
                    input.partner_id.as_uuid().into(),
                    scheme.code.clone().into(),
                    scheme.name.clone().into(),
                    scheme.ceiling.into(),
                    input.amount_asked.into(),
                    purpose.clone().into(),
                    ReferralStatus::Referred.slug().into(),
                    input.on.to_string().into(),
                    actor.label.clone().into(),
                    now.into(),
                    now.into(),
                ]),
        )
        .await?;
        insert_event(&mut tx, actor, &tenant, id, None, ReferralStatus::Referred, input.on, None).await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "create_referral",
            None,
            serde_json::json!({
                "name": format!("{} — {bank}", scheme.name),
                "business": input.business,
                "amount_asked": input.amount_asked,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The referrals the actor may see: all of the Pemda's for its people, its own bank's for
    /// a bank's user.
    pub async fn referrals(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        filter: &ReferralFilter,
    ) -> Result<Vec<ReferralRow>> {
        let tenant = own_tenant(actor, tenant)?;
        let reader = reader(actor)?;
        let mut tx = self.begin_read().await?;
        read_referrals(&mut tx, &tenant, reader, filter, None).await
    }

    /// One referral. Another Pemda's, or another bank's for a bank's user, is not found.
    pub async fn referral(&self, actor: &Actor, tenant: &RegionCode, id: ReferralId) -> Result<ReferralRow> {
        let tenant = own_tenant(actor, tenant)?;
        let mut tx = self.begin_read().await?;
        find_referral(&mut tx, actor, &tenant, id).await
    }

    /// Take a referral's next step ([`ReferralStatus::step`]): the bank's user for its own
    /// referrals, or an officer recording what the bank said.
    pub async fn move_referral(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ReferralId,
        mv: ReferralMove,
        today: Date,
    ) -> Result<ReferralStatus> {
        let tenant = own_tenant(actor, tenant)?;
        let mut tx = self.begin().await?;
        let r = find_referral(&mut tx, actor, &tenant, id).await?;
        if actor.role != Role::Partner && !actor.can(Permission::ManageUmkm) {
            return Err(StoreError::Forbidden);
        }
        let amount_approved = positive(mv.amount_approved, "amount_approved")?;
        let amount_disbursed = positive(mv.amount_disbursed, "amount_disbursed")?;
        let decline_reason = optional(mv.decline_reason.as_deref(), "decline_reason", 500)?;
        let note = optional(mv.note.as_deref(), "note", 500)?;
        let amounts = ReferralAmounts {
            asked: r.amount_asked,
            approved: if mv.to == ReferralStatus::Approved { amount_approved } else { r.amount_approved },
            disbursed: amount_disbursed,
            decline_reason: decline_reason.clone(),
        };
        let landed = r.status.step(mv.to, &amounts)?;
        let last = r.events.last().map(|e| e.on).unwrap_or(r.referred_on);
        check_on(mv.on, today, Some(last), "on")?;
        let mut update = Query::update()
            .table(FinancingReferrals::Table)
            .value(FinancingReferrals::Status, landed.slug())
            .value(FinancingReferrals::UpdatedAt, now_ms())
            .and_where(Expr::col(FinancingReferrals::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(FinancingReferrals::Id).eq(id.as_uuid()))
            .to_owned();
        match landed {
            ReferralStatus::Approved => {
                update.value(FinancingReferrals::AmountApproved, amounts.approved);
            }
            ReferralStatus::Disbursed => {
                update.value(FinancingReferrals::AmountDisbursed, amounts.disbursed);
            }
            ReferralStatus::Declined => {
                update.value(FinancingReferrals::DeclineReason, decline_reason.clone());
            }
            ReferralStatus::Referred | ReferralStatus::Assessed => {}
        }
        tx.execute(&update).await?;
        insert_event(&mut tx, actor, &tenant, id, Some(r.status), landed, mv.on, note).await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "move_referral",
            Some(serde_json::json!({ "status": r.status.slug() })),
            serde_json::json!({
                "name": format!("{} — {}", r.business_name, r.scheme_name),
                "status": landed.slug(),
                "on": mv.on.to_string(),
                "amount_approved": amounts.approved,
                "amount_disbursed": amounts.disbursed,
                "decline_reason": decline_reason,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(landed)
    }
}

/// A referral the actor may see: looked up in the actor's Pemda first (and for a bank's user
/// among its bank's), so that a wrong id is "not found" whoever asks; then the role judged.
async fn find_referral(tx: &mut Tx, actor: &Actor, tenant: &RegionCode, id: ReferralId) -> Result<ReferralRow> {
    let scope = match (actor.role, actor.partner) {
        (Role::Partner, Some(p)) => Reader::Bank(p),
        _ => Reader::Officer,
    };
    let row = read_referrals(tx, tenant, scope, &ReferralFilter::default(), Some(id))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    reader(actor)?;
    Ok(row)
}

//! Owners and forms: an owner claims a business, an officer verifies the claim, and the owner
//! (or an officer) keeps the business's profile current through a form.
//!
//! A form's values are a source record like any import row (origin `owner` or `form`), so the
//! business page shows who said what, when. Unlike an import row, a form overwrites: the owner
//! and the officer are correcting the business, not adding one more account of it.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::umkm::{Classification, Nik, ParsedForm, Permit, Phone};
use sinergi_domain::{Actor, BusinessId, ClaimId, Permission, PermitId, RegionCode, SourceRecordId, UserId};
use uuid::Uuid;

use super::write::{
    Golden, Provenance, YearSnap, insert_kbli, insert_record, insert_year, live_business, load_golden,
    refresh_latest_year, set_field_source, update_golden,
};
use super::{BusinessDetail, Field, Incoming, Origin, class_slug, registry_tenant};
use crate::audit::{Change, RecordType, record};
use crate::db::Tx;
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

sinergi_domain::slug_enum! {
    pub enum ClaimStatus: "status" {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
}

sinergi_domain::slug_enum! {
    pub enum TagKind: "kind" {
        Tag = "tag",
        Membership = "membership",
    }
}

/// The fields an owner keeps current. Identity (NIK, NIB, KBLI, the owner's name) stays with
/// the officers, who verify it against documents.
pub const OWNER_FIELDS: [Field; 8] = [
    Field::Name,
    Field::LegalForm,
    Field::Address,
    Field::Desa,
    Field::Phone,
    Field::Email,
    Field::Products,
    Field::Employees,
];

/// An owner's request, as the officer's queue and the owner's page show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRow {
    pub id: ClaimId,
    pub business: BusinessId,
    pub business_name: String,
    pub desa: Option<RegionCode>,
    pub kecamatan: Option<RegionCode>,
    pub user: UserId,
    pub user_name: String,
    pub user_email: String,
    pub status: ClaimStatus,
    pub note: Option<String>,
    /// Did the NIK the owner typed match the registry's? `None`: not typed, or the registry
    /// has none.
    pub nik_matches: Option<bool>,
    pub phone_matches: Option<bool>,
    pub created_at_ms: i64,
    pub decided_by: Option<String>,
    pub decided_at_ms: Option<i64>,
    pub decision_note: Option<String>,
}

/// What an owner says to claim a business.
#[derive(Debug, Clone)]
pub struct NewClaim {
    pub business: BusinessId,
    pub nik: Option<Nik>,
    pub phone: Option<Phone>,
    pub note: Option<String>,
}

/// A business an owner may claim, as the claim search shows it: its name and place only (an
/// owner searching the registry sees no one's personal data).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Claimable {
    pub id: Uuid,
    pub name: String,
    pub desa_code: Option<String>,
    pub kecamatan_code: Option<String>,
    pub products: Option<String>,
    pub claimed: bool,
}

/// Everything the registry holds about an owner's business, for the owner to download.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerData {
    pub detail: BusinessDetail,
    /// The owner's own NIK, whole: it is theirs.
    pub nik: Option<String>,
    pub claims: Vec<ClaimRow>,
    /// Who saw the NIK whole, when and why.
    pub nik_reveals: Vec<RevealRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct RevealRow {
    pub at: i64,
    pub actor_label: String,
    pub after: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ClaimDbRow {
    id: Uuid,
    business_id: Uuid,
    name: String,
    desa_code: Option<String>,
    kecamatan_code: Option<String>,
    user_id: Uuid,
    user_name: String,
    user_email: String,
    status: String,
    note: Option<String>,
    nik_matches: Option<bool>,
    phone_matches: Option<bool>,
    created_at: i64,
    decided_by: Option<String>,
    decided_at: Option<i64>,
    decision_note: Option<String>,
}

impl ClaimDbRow {
    fn into_row(self) -> Result<ClaimRow> {
        let code = |c: Option<String>| c.and_then(|c| RegionCode::parse(&c).ok());
        Ok(ClaimRow {
            id: ClaimId::from_uuid(self.id),
            business: BusinessId::from_uuid(self.business_id),
            business_name: self.name,
            desa: code(self.desa_code),
            kecamatan: code(self.kecamatan_code),
            user: UserId::from_uuid(self.user_id),
            user_name: self.user_name,
            user_email: self.user_email,
            status: self.status.parse().map_err(|_| StoreError::Corrupt(format!("claim status {}", self.status)))?,
            note: self.note,
            nik_matches: self.nik_matches,
            phone_matches: self.phone_matches,
            created_at_ms: self.created_at,
            decided_by: self.decided_by,
            decided_at_ms: self.decided_at,
            decision_note: self.decision_note,
        })
    }
}

fn claim_select() -> sea_query::SelectStatement {
    use UmkmClaims as C;
    Query::select()
        .columns([
            (C::Table, C::Id),
            (C::Table, C::BusinessId),
            (C::Table, C::UserId),
            (C::Table, C::Status),
            (C::Table, C::Note),
            (C::Table, C::NikMatches),
            (C::Table, C::PhoneMatches),
            (C::Table, C::CreatedAt),
            (C::Table, C::DecidedBy),
            (C::Table, C::DecidedAt),
            (C::Table, C::DecisionNote),
        ])
        .columns([
            (UmkmBusinesses::Table, UmkmBusinesses::Name),
            (UmkmBusinesses::Table, UmkmBusinesses::DesaCode),
            (UmkmBusinesses::Table, UmkmBusinesses::KecamatanCode),
        ])
        .expr_as(Expr::col((Users::Table, Users::Name)), "user_name")
        .expr_as(Expr::col((Users::Table, Users::Email)), "user_email")
        .from(C::Table)
        .inner_join(
            UmkmBusinesses::Table,
            Expr::col((UmkmBusinesses::Table, UmkmBusinesses::TenantCode))
                .equals((C::Table, C::TenantCode))
                .and(Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Id)).equals((C::Table, C::BusinessId))),
        )
        .inner_join(Users::Table, Expr::col((Users::Table, Users::Id)).equals((C::Table, C::UserId)))
        .to_owned()
}

#[derive(sqlx::FromRow)]
struct IdRow {
    id: Uuid,
}

#[derive(sqlx::FromRow)]
struct Owned {
    claimed_by: Option<Uuid>,
    merged_into: Option<Uuid>,
    nik_index: Option<String>,
    phone: Option<String>,
}

async fn owned(tx: &mut Tx, tenant: &RegionCode, id: BusinessId) -> Result<Owned> {
    tx.fetch_optional(
        Query::select()
            .columns([
                UmkmBusinesses::ClaimedBy,
                UmkmBusinesses::MergedInto,
                UmkmBusinesses::NikIndex,
                UmkmBusinesses::Phone,
            ])
            .from(UmkmBusinesses::Table)
            .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(UmkmBusinesses::Id).eq(id.as_uuid())),
    )
    .await?
    .ok_or(StoreError::NotFound)
}

async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    id: String,
    action: &'static str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> Result<()> {
    record(
        tx,
        actor,
        Change {
            tenant: Some(tenant),
            action,
            record_type: RecordType::Umkm,
            record_id: id,
            before,
            after: Some(after),
        },
    )
    .await
}

/// How a form's writer may touch a business.
enum Editor {
    Officer,
    Owner,
}

impl Editor {
    fn origin(&self) -> Origin {
        match self {
            Editor::Officer => Origin::Form,
            Editor::Owner => Origin::Owner,
        }
    }

    /// The source a form's record names, and its link.
    fn source(&self) -> (&'static str, &'static str) {
        match self {
            Editor::Officer => ("formulir petugas", "officer"),
            Editor::Owner => ("pemilik usaha", "owner"),
        }
    }
}

/// An officer edits any business of the Pemda; an owner only the businesses they hold.
fn editor(actor: &Actor, tenant: &RegionCode) -> Result<(RegionCode, Editor)> {
    if actor.can(Permission::ManageUmkm) {
        Ok((registry_tenant(actor, Permission::ManageUmkm, tenant)?, Editor::Officer))
    } else {
        Ok((registry_tenant(actor, Permission::OwnBusiness, tenant)?, Editor::Owner))
    }
}

/// The business exists, is live, and (for an owner) is theirs.
async fn editable(tx: &mut Tx, actor: &Actor, tenant: &RegionCode, id: BusinessId, editor: &Editor) -> Result<()> {
    let business = owned(tx, tenant, id).await?;
    if matches!(editor, Editor::Owner) && business.claimed_by != Some(actor.user_id.as_uuid()) {
        return Err(StoreError::NotFound);
    }
    if business.merged_into.is_some() || live_business(tx, tenant, id).await? != id {
        return Err(StoreError::Conflict { field: "merged_into" });
    }
    Ok(())
}

/// A form's values as a source record, with its provenance.
fn form_incoming(editor: &Editor, record: sinergi_domain::umkm::SourceRecord, raw: Vec<(String, String)>) -> Incoming {
    Incoming {
        record,
        provenance: Provenance {
            source: editor.source().0.to_owned(),
            file_name: None,
            sheet: None,
            row: None,
            origin: editor.origin(),
        },
        raw,
    }
}

impl Store {
    /// Businesses an owner may claim: by a piece of the name (three letters at least), within a
    /// kecamatan when one is given. Ten at most; claimed ones are shown as such.
    pub async fn umkm_claimable(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        name: &str,
        kecamatan: Option<&RegionCode>,
    ) -> Result<Vec<Claimable>> {
        let tenant = registry_tenant(actor, Permission::OwnBusiness, tenant)?;
        let key = super::write::name_key(name);
        if key.chars().count() < 3 {
            return Ok(Vec::new());
        }
        let mut q = Query::select();
        q.columns([
            UmkmBusinesses::Id,
            UmkmBusinesses::Name,
            UmkmBusinesses::DesaCode,
            UmkmBusinesses::KecamatanCode,
            UmkmBusinesses::Products,
        ])
        .expr_as(Expr::col(UmkmBusinesses::ClaimedBy).is_not_null(), "claimed")
        .from(UmkmBusinesses::Table)
        .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
        .and_where(Expr::col(UmkmBusinesses::MergedInto).is_null())
        .and_where(Expr::col(UmkmBusinesses::NameKey).like(format!("%{}%", key.replace(['%', '_'], ""))))
        .order_by(UmkmBusinesses::NameKey, Order::Asc)
        .limit(10);
        if let Some(k) = kecamatan {
            q.and_where(Expr::col(UmkmBusinesses::KecamatanCode).eq(k.as_str()));
        }
        self.fetch_all(&q).await
    }

    /// An owner asks to be recognised as a business's owner. The NIK and phone they type are
    /// compared with the registry's and only the answers are kept, as evidence for the officer.
    pub async fn claim_umkm(&self, actor: &Actor, tenant: &RegionCode, claim: NewClaim) -> Result<ClaimId> {
        let tenant = registry_tenant(actor, Permission::OwnBusiness, tenant)?;
        let vault = self.vault()?;
        let note = claim.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
        if note.as_ref().is_some_and(|n| n.chars().count() > 1_000) {
            return Err(StoreError::Invalid(FieldError::new("note", "too-long")));
        }
        let mut tx = self.begin().await?;
        let business = owned(&mut tx, &tenant, claim.business).await?;
        if business.merged_into.is_some() {
            return Err(StoreError::NotFound);
        }
        match business.claimed_by {
            Some(u) if u == actor.user_id.as_uuid() => return Err(StoreError::Conflict { field: "yours" }),
            Some(_) => return Err(StoreError::Conflict { field: "claimed" }),
            None => {}
        }
        let pending: Option<IdRow> = tx
            .fetch_optional(
                Query::select()
                    .column(UmkmClaims::Id)
                    .from(UmkmClaims::Table)
                    .and_where(Expr::col(UmkmClaims::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmClaims::BusinessId).eq(claim.business.as_uuid()))
                    .and_where(Expr::col(UmkmClaims::UserId).eq(actor.user_id.as_uuid()))
                    .and_where(Expr::col(UmkmClaims::Status).eq(ClaimStatus::Pending.slug())),
            )
            .await?;
        if pending.is_some() {
            return Err(StoreError::Conflict { field: "pending" });
        }
        let nik_matches = match (&claim.nik, &business.nik_index) {
            (Some(n), Some(index)) => Some(vault.index(n.expose()) == *index),
            _ => None,
        };
        let phone_matches = match (&claim.phone, &business.phone) {
            (Some(p), Some(stored)) => Some(p.national() == *stored),
            _ => None,
        };
        let id = ClaimId::new();
        tx.execute(
            Query::insert()
                .into_table(UmkmClaims::Table)
                .columns([
                    UmkmClaims::TenantCode,
                    UmkmClaims::Id,
                    UmkmClaims::BusinessId,
                    UmkmClaims::UserId,
                    UmkmClaims::Status,
                    UmkmClaims::Note,
                    UmkmClaims::NikMatches,
                    UmkmClaims::PhoneMatches,
                    UmkmClaims::CreatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    claim.business.as_uuid().into(),
                    actor.user_id.as_uuid().into(),
                    ClaimStatus::Pending.slug().into(),
                    note.clone().into(),
                    nik_matches.into(),
                    phone_matches.into(),
                    now_ms().into(),
                ]),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            claim.business.to_string(),
            "claim_umkm",
            None,
            serde_json::json!({
                "claim": id, "nik_matches": nik_matches, "phone_matches": phone_matches, "note": note,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Claims, newest first: every claim of the tenant for an officer, an owner's own for an
    /// owner.
    pub async fn umkm_claims(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        status: Option<ClaimStatus>,
    ) -> Result<Vec<ClaimRow>> {
        let officer = actor.can(Permission::ManageUmkm);
        let permission = if officer { Permission::ManageUmkm } else { Permission::OwnBusiness };
        let tenant = registry_tenant(actor, permission, tenant)?;
        let mut q = claim_select();
        q.and_where(Expr::col((UmkmClaims::Table, UmkmClaims::TenantCode)).eq(tenant.as_str()))
            .order_by((UmkmClaims::Table, UmkmClaims::CreatedAt), Order::Desc)
            .limit(500);
        if !officer {
            q.and_where(Expr::col((UmkmClaims::Table, UmkmClaims::UserId)).eq(actor.user_id.as_uuid()));
        }
        if let Some(s) = status {
            q.and_where(Expr::col((UmkmClaims::Table, UmkmClaims::Status)).eq(s.slug()));
        }
        let rows: Vec<ClaimDbRow> = self.fetch_all(&q).await?;
        rows.into_iter().map(ClaimDbRow::into_row).collect()
    }

    /// Every claim on one business, newest first: the business page's owner panel.
    pub async fn umkm_business_claims(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: BusinessId,
    ) -> Result<Vec<ClaimRow>> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let rows: Vec<ClaimDbRow> = self
            .fetch_all(
                claim_select()
                    .and_where(Expr::col((UmkmClaims::Table, UmkmClaims::TenantCode)).eq(tenant.as_str()))
                    .and_where(Expr::col((UmkmClaims::Table, UmkmClaims::BusinessId)).eq(id.as_uuid()))
                    .order_by((UmkmClaims::Table, UmkmClaims::CreatedAt), Order::Desc),
            )
            .await?;
        rows.into_iter().map(ClaimDbRow::into_row).collect()
    }

    /// An officer approves a claim (the user becomes the business's owner) or rejects it with a
    /// reason the owner will read.
    pub async fn decide_umkm_claim(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ClaimId,
        approve: bool,
        note: &str,
    ) -> Result<ClaimRow> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let note = note.trim();
        let mut tx = self.begin().await?;
        let claim: ClaimDbRow = tx
            .fetch_optional(
                claim_select()
                    .and_where(Expr::col((UmkmClaims::Table, UmkmClaims::TenantCode)).eq(tenant.as_str()))
                    .and_where(Expr::col((UmkmClaims::Table, UmkmClaims::Id)).eq(id.as_uuid())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let claim = claim.into_row()?;
        // Checked after the claim is found: another Pemda's claim is "not found" whatever the form.
        if !approve && note.chars().count() < 5 {
            return Err(StoreError::Invalid(FieldError::new("decision_note", "required")));
        }
        if note.chars().count() > 1_000 {
            return Err(StoreError::Invalid(FieldError::new("decision_note", "too-long")));
        }
        if claim.status != ClaimStatus::Pending {
            return Err(StoreError::Conflict { field: "status" });
        }
        if approve {
            let business = owned(&mut tx, &tenant, claim.business).await?;
            if business.merged_into.is_some() {
                return Err(StoreError::Conflict { field: "merged_into" });
            }
            if business.claimed_by.is_some_and(|u| u != claim.user.as_uuid()) {
                return Err(StoreError::Conflict { field: "claimed" });
            }
            tx.execute(
                Query::update()
                    .table(UmkmBusinesses::Table)
                    .value(UmkmBusinesses::ClaimedBy, claim.user.as_uuid())
                    .value(UmkmBusinesses::UpdatedAt, now_ms())
                    .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmBusinesses::Id).eq(claim.business.as_uuid())),
            )
            .await?;
        }
        let status = if approve { ClaimStatus::Approved } else { ClaimStatus::Rejected };
        let now = now_ms();
        tx.execute(
            Query::update()
                .table(UmkmClaims::Table)
                .value(UmkmClaims::Status, status.slug())
                .value(UmkmClaims::DecidedBy, actor.label.clone())
                .value(UmkmClaims::DecidedAt, now)
                .value(UmkmClaims::DecisionNote, (!note.is_empty()).then(|| note.to_owned()))
                .and_where(Expr::col(UmkmClaims::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmClaims::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            claim.business.to_string(),
            if approve { "approve_umkm_claim" } else { "reject_umkm_claim" },
            None,
            serde_json::json!({ "claim": id, "user": claim.user, "note": note }),
        )
        .await?;
        tx.commit().await?;
        Ok(ClaimRow {
            status,
            decided_by: Some(actor.label.clone()),
            decided_at_ms: Some(now),
            decision_note: (!note.is_empty()).then(|| note.to_owned()),
            ..claim
        })
    }

    /// An officer ends an owner's hold on a business (sold, closed, approved by mistake).
    pub async fn release_umkm_owner(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: BusinessId,
        reason: &str,
    ) -> Result<()> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let reason = reason.trim();
        if reason.chars().count() < 5 {
            return Err(StoreError::Invalid(FieldError::new("reason", "required")));
        }
        let mut tx = self.begin().await?;
        let business = owned(&mut tx, &tenant, id).await?;
        let Some(user) = business.claimed_by else { return Err(StoreError::Conflict { field: "claimed" }) };
        tx.execute(
            Query::update()
                .table(UmkmBusinesses::Table)
                .value(UmkmBusinesses::ClaimedBy, Option::<Uuid>::None)
                .value(UmkmBusinesses::UpdatedAt, now_ms())
                .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmBusinesses::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "release_umkm_owner",
            Some(serde_json::json!({ "user": user })),
            serde_json::json!({ "reason": reason }),
        )
        .await?;
        tx.commit().await
    }

    /// The businesses an owner holds (verified claims), by name.
    pub async fn owned_umkm_businesses(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<BusinessDetail>> {
        let tenant = registry_tenant(actor, Permission::OwnBusiness, tenant)?;
        let ids: Vec<IdRow> = self
            .fetch_all(
                Query::select()
                    .column(UmkmBusinesses::Id)
                    .from(UmkmBusinesses::Table)
                    .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmBusinesses::ClaimedBy).eq(actor.user_id.as_uuid()))
                    .and_where(Expr::col(UmkmBusinesses::MergedInto).is_null())
                    .order_by(UmkmBusinesses::NameKey, Order::Asc)
                    .limit(50),
            )
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for row in ids {
            out.push(self.read_business_detail(&tenant, BusinessId::from_uuid(row.id)).await?);
        }
        Ok(out)
    }

    /// One business of the owner's; any other is not found (as a business of another Pemda is).
    pub async fn owned_umkm_business(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: BusinessId,
    ) -> Result<BusinessDetail> {
        let tenant = registry_tenant(actor, Permission::OwnBusiness, tenant)?;
        let detail = self.read_business_detail(&tenant, id).await?;
        if detail.business.claimed_by != Some(actor.user_id) || detail.business.merged_into.is_some() {
            return Err(StoreError::NotFound);
        }
        Ok(detail)
    }

    /// What the registry holds about an owner's business, the NIK whole, the claims and who
    /// saw the NIK: the owner's right to know (UU 27/2022 on personal data). The download is
    /// audited.
    pub async fn umkm_owner_data(&self, actor: &Actor, tenant: &RegionCode, id: BusinessId) -> Result<OwnerData> {
        let detail = self.owned_umkm_business(actor, tenant, id).await?;
        let tenant = detail.business.tenant.clone();
        let vault = self.vault()?;
        let mut tx = self.begin().await?;
        let golden = load_golden(&mut tx, &tenant, id).await?;
        let nik = golden.nik_sealed.as_deref().map(|s| vault.open(s)).transpose()?;
        let claims: Vec<ClaimDbRow> = tx
            .fetch_all(
                claim_select()
                    .and_where(Expr::col((UmkmClaims::Table, UmkmClaims::TenantCode)).eq(tenant.as_str()))
                    .and_where(Expr::col((UmkmClaims::Table, UmkmClaims::BusinessId)).eq(id.as_uuid()))
                    .and_where(Expr::col((UmkmClaims::Table, UmkmClaims::UserId)).eq(actor.user_id.as_uuid()))
                    .order_by((UmkmClaims::Table, UmkmClaims::CreatedAt), Order::Asc),
            )
            .await?;
        let nik_reveals: Vec<RevealRow> = tx
            .fetch_all(
                Query::select()
                    .columns([AuditEvents::At, AuditEvents::ActorLabel, AuditEvents::After])
                    .from(AuditEvents::Table)
                    .and_where(Expr::col(AuditEvents::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(AuditEvents::RecordType).eq(RecordType::Umkm.as_str()))
                    .and_where(Expr::col(AuditEvents::RecordId).eq(id.to_string()))
                    .and_where(Expr::col(AuditEvents::Action).eq("reveal_umkm_nik"))
                    .order_by(AuditEvents::At, Order::Asc),
            )
            .await?;
        audit(&mut tx, actor, &tenant, id.to_string(), "owner_umkm_data", None, serde_json::json!({})).await?;
        tx.commit().await?;
        Ok(OwnerData {
            detail,
            nik,
            claims: claims.into_iter().map(ClaimDbRow::into_row).collect::<Result<_>>()?,
            nik_reveals,
        })
    }

    /// Write a form's values to a business: an officer may change any field, the business's
    /// verified owner the fields in [`OWNER_FIELDS`] (their edits are marked as the owner's).
    /// The values become one source record; each changed field points at it. Returns that
    /// record, or `None` when the form changed nothing.
    pub async fn edit_umkm_business(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: BusinessId,
        form: &ParsedForm,
    ) -> Result<Option<SourceRecordId>> {
        let (tenant, editor) = editor(actor, tenant)?;
        let fields: Vec<Field> = form.fields.iter().filter_map(|f| Field::parse(f)).collect();
        if matches!(editor, Editor::Owner) && fields.iter().any(|f| !OWNER_FIELDS.contains(f)) {
            return Err(StoreError::Forbidden);
        }
        let vault = self.vault()?;
        let mut tx = self.begin().await?;
        editable(&mut tx, actor, &tenant, id, &editor).await?;
        let before = load_golden(&mut tx, &tenant, id).await?;
        let given = Golden::from_record(&form.record, vault);
        let mut after = before.clone();
        let mut changed: Vec<Field> = Vec::new();
        for f in fields.iter().copied().chain(fields.contains(&Field::Desa).then_some(Field::Kecamatan)) {
            let mut next = after.clone();
            next.take(&given, f);
            if f == Field::Name && given.name.is_empty() {
                continue;
            }
            if next != after {
                after = next;
                changed.push(f);
            }
        }
        let r = &form.record;
        let figures = figures_change(&mut tx, &tenant, id, r).await?;
        if changed.is_empty() && !figures {
            return Ok(None);
        }
        let record_id = SourceRecordId::new();
        // The record keeps what the form said; its name column is the business's name.
        let mut said = given.clone();
        if said.name.is_empty() {
            said.name = after.name.clone();
            said.name_key = after.name_key.clone();
        }
        let raw: Vec<(String, String)> = changed
            .iter()
            .map(|f| (f.slug().to_owned(), shown(&after, *f)))
            .chain(r.capital.map(|c| ("capital".to_owned(), c.to_string())))
            .chain(r.sales.map(|s| ("sales".to_owned(), s.to_string())))
            .collect();
        let incoming = form_incoming(&editor, r.clone(), raw);
        let link = editor.source().1;
        insert_record(&mut tx, actor, &tenant, None, record_id, id, &incoming, &said, link, None, None).await?;
        for f in &changed {
            set_field_source(&mut tx, &tenant, id, *f, record_id).await?;
        }
        if changed.contains(&Field::Kbli) {
            for code in &r.kbli {
                insert_kbli(&mut tx, &tenant, id, code).await?;
            }
        }
        update_golden(&mut tx, &tenant, id, &after).await?;
        if matches!(editor, Editor::Owner) {
            mark_owner_edit(&mut tx, &tenant, id).await?;
        }
        if figures {
            set_year(&mut tx, &tenant, id, record_id, r).await?;
            refresh_latest_year(&mut tx, &tenant, id).await?;
        }
        let show = |g: &Golden| -> serde_json::Map<String, serde_json::Value> {
            changed.iter().map(|f| (f.slug().to_owned(), serde_json::Value::String(shown(g, *f)))).collect()
        };
        let mut after_json = show(&after);
        after_json.insert("record".into(), serde_json::json!(record_id));
        if figures {
            after_json.insert("year".into(), serde_json::json!(r.year));
            after_json.insert("capital".into(), serde_json::json!(r.capital));
            after_json.insert("sales".into(), serde_json::json!(r.sales));
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            if matches!(editor, Editor::Owner) { "owner_edit_umkm" } else { "edit_umkm" },
            Some(serde_json::Value::Object(show(&before))),
            serde_json::Value::Object(after_json),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(record_id))
    }
}

impl Store {
    /// Add a permit or certificate: an officer to any business, an owner to theirs (marked as
    /// the owner's). It becomes a source record of its own, like any form.
    pub async fn add_umkm_permit(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: BusinessId,
        permit: Permit,
    ) -> Result<()> {
        let (tenant, editor) = editor(actor, tenant)?;
        let mut tx = self.begin().await?;
        editable(&mut tx, actor, &tenant, id, &editor).await?;
        let taken: Vec<IdRow> = tx
            .fetch_all(
                Query::select()
                    .column(UmkmPermits::Id)
                    .from(UmkmPermits::Table)
                    .and_where(Expr::col(UmkmPermits::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmPermits::BusinessId).eq(id.as_uuid()))
                    .and_where(Expr::col(UmkmPermits::Kind).eq(permit.kind.slug()))
                    .and_where(Expr::col(UmkmPermits::Number).eq(permit.number.as_str())),
            )
            .await?;
        if !taken.is_empty() {
            return Err(StoreError::Conflict { field: "number" });
        }
        let golden = load_golden(&mut tx, &tenant, id).await?;
        let record = sinergi_domain::umkm::SourceRecord {
            business_name: golden.name.clone(),
            permits: vec![permit.clone()],
            year: time::OffsetDateTime::now_utc().year(),
            ..Default::default()
        };
        let raw = vec![(permit.kind.slug().to_owned(), permit.number.clone())];
        let record_id = SourceRecordId::new();
        let incoming = form_incoming(&editor, record, raw);
        // The record says only the permit: its columns hold the name and nothing else.
        let said = Golden { name: golden.name.clone(), name_key: golden.name_key.clone(), ..Golden::default() };
        insert_record(&mut tx, actor, &tenant, None, record_id, id, &incoming, &said, editor.source().1, None, None)
            .await?;
        super::write::insert_permit(&mut tx, &tenant, id, Some(record_id), &permit).await?;
        if matches!(editor, Editor::Owner) {
            mark_owner_edit(&mut tx, &tenant, id).await?;
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "add_umkm_permit",
            None,
            serde_json::json!({ "kind": permit.kind.slug(), "number": permit.number, "expires": permit.expires }),
        )
        .await?;
        tx.commit().await
    }

    /// Remove a permit entered by mistake (officers only; the record that gave it stays).
    pub async fn remove_umkm_permit(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: BusinessId,
        permit: PermitId,
    ) -> Result<()> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let cond = sea_query::Condition::all()
            .add(Expr::col(UmkmPermits::TenantCode).eq(tenant.as_str()))
            .add(Expr::col(UmkmPermits::BusinessId).eq(id.as_uuid()))
            .add(Expr::col(UmkmPermits::Id).eq(permit.as_uuid()));
        #[derive(sqlx::FromRow)]
        struct P {
            kind: String,
            number: String,
        }
        let found: P = tx
            .fetch_optional(
                Query::select()
                    .columns([UmkmPermits::Kind, UmkmPermits::Number])
                    .from(UmkmPermits::Table)
                    .cond_where(cond.clone()),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.execute(Query::delete().from_table(UmkmPermits::Table).cond_where(cond)).await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "remove_umkm_permit",
            Some(serde_json::json!({ "kind": found.kind, "number": found.number })),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await
    }

    /// Add or remove a tag or a membership (a cooperative such as Koperasi Merah Putih).
    pub async fn set_umkm_tag(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: BusinessId,
        kind: TagKind,
        value: &str,
        present: bool,
    ) -> Result<()> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return Err(StoreError::Invalid(FieldError::new("value", "required")));
        }
        if value.chars().count() > 100 {
            return Err(StoreError::Invalid(FieldError::new("value", "too-long")));
        }
        let mut tx = self.begin().await?;
        let business = owned(&mut tx, &tenant, id).await?;
        if business.merged_into.is_some() {
            return Err(StoreError::Conflict { field: "merged_into" });
        }
        if present {
            super::write::insert_tag(&mut tx, &tenant, id, kind.slug(), &value).await?;
        } else {
            tx.execute(
                Query::delete()
                    .from_table(UmkmTags::Table)
                    .and_where(Expr::col(UmkmTags::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmTags::BusinessId).eq(id.as_uuid()))
                    .and_where(Expr::col(UmkmTags::Kind).eq(kind.slug()))
                    .and_where(Expr::col(UmkmTags::Value).eq(value.as_str())),
            )
            .await?;
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            if present { "add_umkm_tag" } else { "remove_umkm_tag" },
            None,
            serde_json::json!({ "kind": kind.slug(), "value": value }),
        )
        .await?;
        tx.commit().await
    }
}

/// The owner changed the business through self-service just now.
async fn mark_owner_edit(tx: &mut Tx, tenant: &RegionCode, id: BusinessId) -> Result<()> {
    tx.execute(
        Query::update()
            .table(UmkmBusinesses::Table)
            .value(UmkmBusinesses::OwnerEditedAt, now_ms())
            .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(UmkmBusinesses::Id).eq(id.as_uuid())),
    )
    .await?;
    Ok(())
}

/// A field's value as the audit trail and the record's cells show it (a NIK masked).
fn shown(g: &Golden, f: Field) -> String {
    let v = match f {
        Field::Name => Some(g.name.clone()),
        Field::LegalForm => g.legal_form.clone(),
        Field::OwnerName => g.owner_name.clone(),
        Field::Nik => g.nik_masked.clone(),
        Field::Sex => g.sex.clone(),
        Field::BirthYear => g.birth_year.map(|y| y.to_string()),
        Field::Nib => g.nib.clone(),
        Field::Npwp => g.npwp_masked.clone(),
        Field::Kbli => g.kbli.clone(),
        Field::Address => g.address.clone(),
        Field::Desa => g.desa_code.clone(),
        Field::Kecamatan => g.kecamatan_code.clone(),
        Field::Phone => g.phone.clone(),
        Field::Email => g.email.clone(),
        Field::Products => g.products.clone(),
        Field::Employees => g.employees.map(|e| e.to_string()),
    };
    v.unwrap_or_default()
}

/// Does the form give the year figures other than those it holds?
async fn figures_change(
    tx: &mut Tx,
    tenant: &RegionCode,
    business: BusinessId,
    r: &sinergi_domain::umkm::SourceRecord,
) -> Result<bool> {
    if r.capital.is_none() && r.sales.is_none() {
        return Ok(false);
    }
    let held = year_row(tx, tenant, business, r.year).await?;
    Ok(match held {
        None => true,
        Some(y) => r.capital.is_some_and(|c| y.capital != Some(c)) || r.sales.is_some_and(|s| y.sales != Some(s)),
    })
}

#[derive(sqlx::FromRow)]
struct YearFiguresRow {
    capital: Option<i64>,
    sales: Option<i64>,
}

fn year_cond(tenant: &RegionCode, business: BusinessId, year: i32) -> sea_query::Condition {
    sea_query::Condition::all()
        .add(Expr::col(UmkmYears::TenantCode).eq(tenant.as_str()))
        .add(Expr::col(UmkmYears::BusinessId).eq(business.as_uuid()))
        .add(Expr::col(UmkmYears::Year).eq(year))
}

async fn year_row(tx: &mut Tx, tenant: &RegionCode, business: BusinessId, year: i32) -> Result<Option<YearFiguresRow>> {
    tx.fetch_optional(
        Query::select()
            .columns([UmkmYears::Capital, UmkmYears::Sales])
            .from(UmkmYears::Table)
            .cond_where(year_cond(tenant, business, year)),
    )
    .await
}

/// A form's figures for a year replace what the year held: the owner or officer is correcting
/// them. A figure the form left empty keeps the year's value.
async fn set_year(
    tx: &mut Tx,
    tenant: &RegionCode,
    business: BusinessId,
    record_id: SourceRecordId,
    r: &sinergi_domain::umkm::SourceRecord,
) -> Result<()> {
    let cond = year_cond(tenant, business, r.year);
    let existing = year_row(tx, tenant, business, r.year).await?;
    let employees = r.employees.and_then(|e| i32::try_from(e).ok());
    match existing {
        Some(y) => {
            let (capital, sales) = (r.capital.or(y.capital), r.sales.or(y.sales));
            let class = Classification::of(capital, sales);
            let mut q = Query::update();
            q.table(UmkmYears::Table)
                .value(UmkmYears::Capital, capital)
                .value(UmkmYears::Sales, sales)
                .value(UmkmYears::ClassCapital, class_slug(class.by_capital))
                .value(UmkmYears::ClassSales, class_slug(class.by_sales))
                .value(UmkmYears::RecordId, record_id.as_uuid())
                .cond_where(cond);
            if employees.is_some() {
                q.value(UmkmYears::Employees, employees);
            }
            tx.execute(&q).await?;
        }
        None => insert_year(tx, tenant, business, &YearSnap::of(r, record_id)).await?,
    }
    Ok(())
}

//! The partner registry: every counterpart of a Pemda, its contacts and what it offers.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::{Email, FieldError, required_text};
use sinergi_domain::cooperation::needs::PartnerKind;
use sinergi_domain::partners::{
    DuplicateReason, Nib, Npwp, PartnerKey, Phone, looks_like_duplicate, normalise_org_name,
};
use sinergi_domain::{Actor, ContactId, KbliCode, OfferId, PartnerId, Permission, RegionCode};
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::audit::{Change, RecordType, record, snapshot};
use crate::db::Tx;
use crate::schema::{Offers, PartnerContacts, Partners};
use crate::{Result, Store, StoreError, now_ms};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Partner {
    pub tenant: RegionCode,
    pub id: PartnerId,
    pub kind: PartnerKind,
    pub name: String,
    /// For another Pemda: its region code (the same code in every tenant's registry, which is
    /// how an agreement between two Pemda finds both sides). For others: where it is based.
    pub region_code: Option<RegionCode>,
    pub nib: Option<Nib>,
    pub npwp: Option<Npwp>,
    pub kbli: Option<KbliCode>,
    pub sector: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub active: bool,
    pub updated_at_ms: i64,
}

/// The fields of a partner, parsed from a form or a JSON body.
#[derive(Debug, Clone)]
pub struct PartnerInput {
    pub kind: PartnerKind,
    pub name: String,
    pub region_code: Option<RegionCode>,
    pub nib: Option<Nib>,
    pub npwp: Option<Npwp>,
    pub kbli: Option<KbliCode>,
    pub sector: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub active: bool,
}

fn optional_text(field: &'static str, s: &str, max: usize) -> Result<Option<String>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        t => required_text(field, t, max).map(Some),
    }
}

impl PartnerInput {
    /// Every field from text, every error collected. Whether a region code exists is checked
    /// by the caller against the reference data.
    #[allow(clippy::too_many_arguments)] // one argument per form field, named at the call site
    pub fn parse(
        kind: &str,
        name: &str,
        region_code: &str,
        nib: &str,
        npwp: &str,
        kbli: &str,
        sector: &str,
        address: &str,
        website: &str,
        description: &str,
        active: bool,
    ) -> Result<Self, Vec<FieldError>> {
        use crate::cooperation::keep;
        let mut e = Vec::new();
        let kind = keep(&mut e, kind.parse::<PartnerKind>().map_err(|_| FieldError::new("kind", "invalid-choice")));
        let name = keep(&mut e, required_text("name", name, 200));
        let region_code = keep(
            &mut e,
            match region_code.trim() {
                "" => Ok(None),
                c => RegionCode::parse(c).map(Some).map_err(|_| FieldError::new("region_code", "invalid-region-code")),
            },
        );
        let nib = keep(&mut e, if nib.trim().is_empty() { Ok(None) } else { Nib::parse(nib).map(Some) });
        let npwp = keep(&mut e, if npwp.trim().is_empty() { Ok(None) } else { Npwp::parse(npwp).map(Some) });
        let kbli = keep(
            &mut e,
            match kbli.trim() {
                "" => Ok(None),
                k => KbliCode::parse(k).map(Some).map_err(|_| FieldError::new("kbli", "invalid-kbli")),
            },
        );
        let sector = keep(&mut e, optional_text("sector", sector, 120));
        let address = keep(&mut e, optional_text("address", address, 400));
        let website = keep(&mut e, optional_text("website", website, 200));
        let description = keep(&mut e, optional_text("description", description, 4000));
        if let (Some(PartnerKind::Region), Some(None)) = (kind, &region_code) {
            e.push(FieldError::new("region_code", "region-required"));
        }
        match (kind, name, region_code, nib, npwp, kbli, sector, address, website, description) {
            (
                Some(kind),
                Some(name),
                Some(region_code),
                Some(nib),
                Some(npwp),
                Some(kbli),
                Some(sector),
                Some(address),
                Some(website),
                Some(description),
            ) if e.is_empty() => {
                Ok(Self { kind, name, region_code, nib, npwp, kbli, sector, address, website, description, active })
            }
            _ => Err(e),
        }
    }

    pub fn key(&self) -> PartnerKey<'_> {
        PartnerKey {
            name: &self.name,
            nib: self.nib.as_ref(),
            npwp: self.npwp.as_ref(),
            region_code: self.region_code.as_ref().filter(|_| self.kind == PartnerKind::Region).map(|c| c.as_str()),
        }
    }
}

impl Partner {
    pub fn key(&self) -> PartnerKey<'_> {
        PartnerKey {
            name: &self.name,
            nib: self.nib.as_ref(),
            npwp: self.npwp.as_ref(),
            region_code: self.region_code.as_ref().filter(|_| self.kind == PartnerKind::Region).map(|c| c.as_str()),
        }
    }
}

#[derive(sqlx::FromRow)]
struct PartnerRow {
    tenant_code: String,
    id: Uuid,
    kind: String,
    name: String,
    region_code: Option<String>,
    nib: Option<String>,
    npwp: Option<String>,
    kbli_code: Option<String>,
    sector: Option<String>,
    address: Option<String>,
    website: Option<String>,
    description: Option<String>,
    active: bool,
    updated_at: i64,
}

impl TryFrom<PartnerRow> for Partner {
    type Error = StoreError;
    fn try_from(r: PartnerRow) -> Result<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("partner {}: {what}", r.id));
        Ok(Partner {
            tenant: RegionCode::parse(&r.tenant_code).map_err(|_| corrupt("tenant"))?,
            id: PartnerId::from_uuid(r.id),
            kind: r.kind.parse().map_err(|_| corrupt("kind"))?,
            region_code: r.region_code.as_deref().map(RegionCode::parse).transpose().map_err(|_| corrupt("region"))?,
            nib: r.nib.as_deref().map(Nib::parse).transpose().map_err(|_| corrupt("nib"))?,
            npwp: r.npwp.as_deref().map(Npwp::parse).transpose().map_err(|_| corrupt("npwp"))?,
            kbli: r.kbli_code.as_deref().map(KbliCode::parse).transpose().map_err(|_| corrupt("kbli"))?,
            name: r.name,
            sector: r.sector,
            address: r.address,
            website: r.website,
            description: r.description,
            active: r.active,
            updated_at_ms: r.updated_at,
        })
    }
}

const PARTNER_COLUMNS: [Partners; 15] = [
    Partners::TenantCode,
    Partners::Id,
    Partners::Kind,
    Partners::Name,
    Partners::NameKey,
    Partners::RegionCode,
    Partners::Nib,
    Partners::Npwp,
    Partners::KbliCode,
    Partners::Sector,
    Partners::Address,
    Partners::Website,
    Partners::Description,
    Partners::Active,
    Partners::UpdatedAt,
];

fn partner_values(p: &Partner) -> Vec<sea_query::Expr> {
    vec![
        p.tenant.as_str().into(),
        p.id.as_uuid().into(),
        p.kind.slug().into(),
        p.name.clone().into(),
        normalise_org_name(&p.name).into(),
        p.region_code.as_ref().map(|c| c.to_string()).into(),
        p.nib.as_ref().map(|n| n.as_str().to_owned()).into(),
        p.npwp.as_ref().map(|n| n.as_str().to_owned()).into(),
        p.kbli.as_ref().map(|k| k.to_string()).into(),
        p.sector.clone().into(),
        p.address.clone().into(),
        p.website.clone().into(),
        p.description.clone().into(),
        p.active.into(),
        p.updated_at_ms.into(),
    ]
}

/// A contact person. The phone is personal data: it is shown masked unless the viewer may
/// manage the registry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub id: ContactId,
    pub partner_id: PartnerId,
    pub name: String,
    pub position: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
}

#[derive(Debug, Clone)]
pub struct ContactInput {
    pub name: String,
    pub position: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
}

impl ContactInput {
    pub fn parse(name: &str, position: &str, email: &str, phone: &str) -> Result<Self, Vec<FieldError>> {
        use crate::cooperation::keep;
        let mut e = Vec::new();
        let name = keep(&mut e, required_text("contact_name", name, 120));
        let position = keep(&mut e, optional_text("position", position, 120));
        let email = keep(&mut e, if email.trim().is_empty() { Ok(None) } else { Email::parse(email).map(Some) });
        let phone = keep(&mut e, if phone.trim().is_empty() { Ok(None) } else { Phone::parse(phone).map(Some) });
        match (name, position, email, phone) {
            (Some(name), Some(position), Some(email), Some(phone)) if e.is_empty() => {
                Ok(Self { name, position, email, phone })
            }
            _ => Err(e),
        }
    }
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: Uuid,
    partner_id: Uuid,
    name: String,
    position: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

impl TryFrom<ContactRow> for Contact {
    type Error = StoreError;
    fn try_from(r: ContactRow) -> Result<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("contact {}: {what}", r.id));
        Ok(Contact {
            id: ContactId::from_uuid(r.id),
            partner_id: PartnerId::from_uuid(r.partner_id),
            email: r.email.as_deref().map(Email::parse).transpose().map_err(|_| corrupt("email"))?,
            phone: r.phone.as_deref().map(Phone::parse).transpose().map_err(|_| corrupt("phone"))?,
            name: r.name,
            position: r.position,
        })
    }
}

/// What a partner can provide.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    pub id: OfferId,
    pub partner_id: PartnerId,
    pub urusan_code: String,
    pub title: String,
    pub description: String,
    pub area_code: Option<RegionCode>,
}

#[derive(Debug, Clone)]
pub struct OfferInput {
    pub urusan_code: String,
    pub title: String,
    pub description: String,
    pub area_code: Option<RegionCode>,
}

#[derive(sqlx::FromRow)]
struct OfferRow {
    id: Uuid,
    partner_id: Uuid,
    urusan_code: String,
    title: String,
    description: String,
    area_code: Option<String>,
}

impl TryFrom<OfferRow> for Offer {
    type Error = StoreError;
    fn try_from(r: OfferRow) -> Result<Self> {
        Ok(Offer {
            id: OfferId::from_uuid(r.id),
            partner_id: PartnerId::from_uuid(r.partner_id),
            area_code: r
                .area_code
                .as_deref()
                .map(RegionCode::parse)
                .transpose()
                .map_err(|_| StoreError::Corrupt(format!("offer {}: area", r.id)))?,
            urusan_code: r.urusan_code,
            title: r.title,
            description: r.description,
        })
    }
}

/// A partner with everything on its page.
#[derive(Debug, Clone)]
pub struct PartnerDetail {
    pub partner: Partner,
    pub contacts: Vec<Contact>,
    pub offers: Vec<Offer>,
}

/// A partner that looks like the one being entered, and why.
#[derive(Debug, Clone)]
pub struct Similar {
    pub partner: Partner,
    pub reason: DuplicateReason,
}

#[derive(Debug, Clone, Default)]
pub struct PartnerFilter {
    pub kind: Option<PartnerKind>,
    /// Words of the name.
    pub query: Option<String>,
}

fn check_manage(actor: &Actor) -> Result<()> {
    if actor.can(Permission::ManagePartners) { Ok(()) } else { Err(StoreError::Forbidden) }
}

async fn load(tx: &mut Tx, tenant: &RegionCode, id: PartnerId) -> Result<Partner> {
    let row: PartnerRow = tx
        .fetch_optional(
            Query::select()
                .columns(PARTNER_COLUMNS)
                .from(Partners::Table)
                .and_where(Expr::col(Partners::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Partners::Id).eq(id.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    row.try_into()
}

impl Store {
    pub async fn partners(&self, actor: &Actor, filter: &PartnerFilter) -> Result<Vec<Partner>> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let mut stmt = Query::select().columns(PARTNER_COLUMNS).from(Partners::Table).to_owned();
        if let Some(t) = target_tenant(actor, None)? {
            stmt.and_where(Expr::col(Partners::TenantCode).eq(t.as_str()));
        }
        if let Some(k) = filter.kind {
            stmt.and_where(Expr::col(Partners::Kind).eq(k.slug()));
        }
        if let Some(q) = filter.query.as_deref().map(normalise_org_name).filter(|q| !q.is_empty()) {
            for word in q.split_whitespace() {
                stmt.and_where(Expr::col(Partners::NameKey).like(format!("%{}%", word.replace(['%', '_'], ""))));
            }
        }
        stmt.order_by(Partners::NameKey, Order::Asc);
        let rows: Vec<PartnerRow> = self.fetch_all(&stmt).await?;
        rows.into_iter().map(Partner::try_from).collect()
    }

    /// Every offer in the actor's registry, for matching.
    pub async fn offers(&self, actor: &Actor) -> Result<Vec<Offer>> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let mut stmt = Query::select()
            .columns([
                Offers::Id,
                Offers::PartnerId,
                Offers::UrusanCode,
                Offers::Title,
                Offers::Description,
                Offers::AreaCode,
            ])
            .from(Offers::Table)
            .to_owned();
        if let Some(t) = target_tenant(actor, None)? {
            stmt.and_where(Expr::col(Offers::TenantCode).eq(t.as_str()));
        }
        let rows: Vec<OfferRow> = self.fetch_all(&stmt).await?;
        rows.into_iter().map(Offer::try_from).collect()
    }

    pub async fn partner(&self, actor: &Actor, id: PartnerId) -> Result<PartnerDetail> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let tenant = self.partner_tenant(actor, id).await?;
        let mut tx = self.begin_read().await?;
        let partner = load(&mut tx, &tenant, id).await?;
        let contacts: Vec<ContactRow> = tx
            .fetch_all(
                Query::select()
                    .columns([
                        PartnerContacts::Id,
                        PartnerContacts::PartnerId,
                        PartnerContacts::Name,
                        PartnerContacts::Position,
                        PartnerContacts::Email,
                        PartnerContacts::Phone,
                    ])
                    .from(PartnerContacts::Table)
                    .and_where(Expr::col(PartnerContacts::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(PartnerContacts::PartnerId).eq(id.as_uuid()))
                    .order_by(PartnerContacts::CreatedAt, Order::Asc),
            )
            .await?;
        let offers: Vec<OfferRow> = tx
            .fetch_all(
                Query::select()
                    .columns([
                        Offers::Id,
                        Offers::PartnerId,
                        Offers::UrusanCode,
                        Offers::Title,
                        Offers::Description,
                        Offers::AreaCode,
                    ])
                    .from(Offers::Table)
                    .and_where(Expr::col(Offers::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(Offers::PartnerId).eq(id.as_uuid()))
                    .order_by(Offers::CreatedAt, Order::Asc),
            )
            .await?;
        tx.commit().await?;
        Ok(PartnerDetail {
            partner,
            contacts: contacts.into_iter().map(Contact::try_from).collect::<Result<_>>()?,
            offers: offers.into_iter().map(Offer::try_from).collect::<Result<_>>()?,
        })
    }

    async fn partner_tenant(&self, actor: &Actor, id: PartnerId) -> Result<RegionCode> {
        #[derive(sqlx::FromRow)]
        struct T {
            tenant_code: String,
        }
        let mut stmt = Query::select()
            .column(Partners::TenantCode)
            .from(Partners::Table)
            .and_where(Expr::col(Partners::Id).eq(id.as_uuid()))
            .to_owned();
        if let Some(t) = target_tenant(actor, None)? {
            stmt.and_where(Expr::col(Partners::TenantCode).eq(t.as_str()));
        }
        let row: T = self.fetch_one(&stmt).await?;
        RegionCode::parse(&row.tenant_code).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// Partners of the actor's registry that look like `input`, strongest reason first. The
    /// registry of one Pemda holds hundreds, not millions: comparing in memory is fine.
    pub async fn similar_partners(
        &self,
        actor: &Actor,
        input: &PartnerInput,
        except: Option<PartnerId>,
    ) -> Result<Vec<Similar>> {
        let all = self.partners(actor, &PartnerFilter::default()).await?;
        let key = input.key();
        let mut out: Vec<Similar> = all
            .into_iter()
            .filter(|p| Some(p.id) != except)
            .filter_map(|p| looks_like_duplicate(&key, &p.key()).map(|reason| Similar { partner: p, reason }))
            .collect();
        out.sort_by_key(|s| s.reason as u8);
        Ok(out)
    }

    pub async fn create_partner(&self, actor: &Actor, tenant: &RegionCode, input: PartnerInput) -> Result<Partner> {
        let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
        check_manage(actor)?;
        let partner = Partner {
            tenant,
            id: PartnerId::new(),
            kind: input.kind,
            name: input.name,
            region_code: input.region_code,
            nib: input.nib,
            npwp: input.npwp,
            kbli: input.kbli,
            sector: input.sector,
            address: input.address,
            website: input.website,
            description: input.description,
            active: input.active,
            updated_at_ms: now_ms(),
        };
        let mut tx = self.begin().await?;
        let mut values = partner_values(&partner);
        values.push(partner.updated_at_ms.into());
        tx.execute(
            &Query::insert()
                .into_table(Partners::Table)
                .columns(PARTNER_COLUMNS.into_iter().chain([Partners::CreatedAt]))
                .values_panic(values)
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&partner.tenant),
                action: "create",
                record_type: RecordType::Partner,
                record_id: partner.id.to_string(),
                before: None,
                after: snapshot(&partner),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(partner)
    }

    pub async fn update_partner(&self, actor: &Actor, id: PartnerId, input: PartnerInput) -> Result<Partner> {
        let tenant = self.partner_tenant(actor, id).await?;
        check_manage(actor)?;
        let mut tx = self.begin().await?;
        let before = load(&mut tx, &tenant, id).await?;
        let after = Partner {
            kind: input.kind,
            name: input.name,
            region_code: input.region_code,
            nib: input.nib,
            npwp: input.npwp,
            kbli: input.kbli,
            sector: input.sector,
            address: input.address,
            website: input.website,
            description: input.description,
            active: input.active,
            updated_at_ms: now_ms(),
            ..before.clone()
        };
        let values = partner_values(&after);
        let sets: Vec<(Partners, sea_query::Expr)> = PARTNER_COLUMNS
            .into_iter()
            .zip(values)
            .filter(|(c, _)| !matches!(c, Partners::TenantCode | Partners::Id))
            .collect();
        tx.execute(
            &Query::update()
                .table(Partners::Table)
                .values(sets)
                .and_where(Expr::col(Partners::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Partners::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                action: "update",
                record_type: RecordType::Partner,
                record_id: id.to_string(),
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn add_contact(&self, actor: &Actor, partner: PartnerId, input: ContactInput) -> Result<Contact> {
        let tenant = self.partner_tenant(actor, partner).await?;
        check_manage(actor)?;
        let contact = Contact {
            id: ContactId::new(),
            partner_id: partner,
            name: input.name,
            position: input.position,
            email: input.email,
            phone: input.phone,
        };
        let now = now_ms();
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(PartnerContacts::Table)
                .columns([
                    PartnerContacts::TenantCode,
                    PartnerContacts::Id,
                    PartnerContacts::PartnerId,
                    PartnerContacts::Name,
                    PartnerContacts::Position,
                    PartnerContacts::Email,
                    PartnerContacts::Phone,
                    PartnerContacts::CreatedAt,
                    PartnerContacts::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    contact.id.as_uuid().into(),
                    partner.as_uuid().into(),
                    contact.name.clone().into(),
                    contact.position.clone().into(),
                    contact.email.as_ref().map(|e| e.to_string()).into(),
                    contact.phone.as_ref().map(|p| p.expose().to_owned()).into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        // The trail records that a contact was added and who it is, never the phone itself.
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                action: "add_contact",
                record_type: RecordType::Partner,
                record_id: partner.to_string(),
                before: None,
                after: Some(
                    serde_json::json!({ "contact": contact.name, "phone": contact.phone.as_ref().map(Phone::masked) }),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(contact)
    }

    pub async fn remove_contact(&self, actor: &Actor, partner: PartnerId, contact: ContactId) -> Result<()> {
        let tenant = self.partner_tenant(actor, partner).await?;
        check_manage(actor)?;
        let mut tx = self.begin().await?;
        let removed = tx
            .execute(
                &Query::delete()
                    .from_table(PartnerContacts::Table)
                    .and_where(Expr::col(PartnerContacts::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(PartnerContacts::PartnerId).eq(partner.as_uuid()))
                    .and_where(Expr::col(PartnerContacts::Id).eq(contact.as_uuid()))
                    .to_owned(),
            )
            .await?;
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                action: "remove_contact",
                record_type: RecordType::Partner,
                record_id: partner.to_string(),
                before: Some(serde_json::json!({ "contact": contact.to_string() })),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_offer(&self, actor: &Actor, partner: PartnerId, input: OfferInput) -> Result<Offer> {
        let tenant = self.partner_tenant(actor, partner).await?;
        check_manage(actor)?;
        let offer = Offer {
            id: OfferId::new(),
            partner_id: partner,
            urusan_code: input.urusan_code,
            title: input.title,
            description: input.description,
            area_code: input.area_code,
        };
        let now = now_ms();
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(Offers::Table)
                .columns([
                    Offers::TenantCode,
                    Offers::Id,
                    Offers::PartnerId,
                    Offers::UrusanCode,
                    Offers::Title,
                    Offers::Description,
                    Offers::AreaCode,
                    Offers::CreatedAt,
                    Offers::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    offer.id.as_uuid().into(),
                    partner.as_uuid().into(),
                    offer.urusan_code.clone().into(),
                    offer.title.clone().into(),
                    offer.description.clone().into(),
                    offer.area_code.as_ref().map(|c| c.to_string()).into(),
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
                tenant: Some(&tenant),
                action: "add_offer",
                record_type: RecordType::Partner,
                record_id: partner.to_string(),
                before: None,
                after: snapshot(&offer),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(offer)
    }
}

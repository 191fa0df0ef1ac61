//! Users: who logs in, with which role, for which tenant and agency.

use sea_query::{Condition, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;
use sinergi_domain::access::check_grant;
use sinergi_domain::auth::{Email, FieldError, required_text};
use sinergi_domain::format::Locale;
use sinergi_domain::{Actor, AgencyId, PartnerId, Permission, RegionCode, Role, Scope, UserId};
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::audit::{Change, RecordType, record, snapshot};
use crate::db::Tx;
use crate::password::PasswordHashString;
use crate::schema::{Agencies, Partners, Tenants, Users};
use crate::{Result, Store, StoreError, now_ms};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    /// None for the platform operator.
    pub tenant: Option<RegionCode>,
    pub agency_id: Option<AgencyId>,
    /// The partner (company, bank...) a partner user speaks for.
    pub partner_id: Option<PartnerId>,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
    pub active: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl User {
    /// The actor this user acts as.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            role: self.role,
            scope: match &self.tenant {
                Some(t) if self.role != Role::PlatformAdmin => Scope::Tenant(t.clone()),
                _ => Scope::Platform,
            },
            agency: self.agency_id,
            partner: if self.role == Role::Partner { self.partner_id } else { None },
            label: format!("{} <{}>", self.name, self.email),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: Uuid,
    tenant_code: Option<String>,
    agency_id: Option<Uuid>,
    partner_id: Option<Uuid>,
    email: String,
    name: String,
    role: String,
    locale: String,
    active: bool,
    created_at: i64,
    updated_at: i64,
    password_hash: String,
}

impl UserRow {
    pub(crate) fn split(self) -> Result<(User, PasswordHashString)> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("user {}: {what}", self.id));
        let tenant = match &self.tenant_code {
            Some(t) => Some(RegionCode::parse(t).map_err(|_| corrupt("tenant"))?),
            None => None,
        };
        let user = User {
            id: UserId::from_uuid(self.id),
            tenant,
            agency_id: self.agency_id.map(AgencyId::from_uuid),
            partner_id: self.partner_id.map(PartnerId::from_uuid),
            email: Email::parse(&self.email).map_err(|_| corrupt("email"))?,
            name: self.name,
            role: self.role.parse().map_err(|_| corrupt("role"))?,
            locale: Locale::parse(&self.locale).unwrap_or(Locale::Id),
            active: self.active,
            created_at_ms: self.created_at,
            updated_at_ms: self.updated_at,
        };
        Ok((user, PasswordHashString(self.password_hash)))
    }
}

pub(crate) fn select() -> SelectStatement {
    Query::select()
        .columns([
            Users::Id,
            Users::TenantCode,
            Users::AgencyId,
            Users::PartnerId,
            Users::Email,
            Users::Name,
            Users::Role,
            Users::Locale,
            Users::Active,
            Users::CreatedAt,
            Users::UpdatedAt,
            Users::PasswordHash,
        ])
        .from(Users::Table)
        .to_owned()
}

/// A new account, parsed.
#[derive(Debug)]
pub struct NewUser {
    pub tenant: Option<RegionCode>,
    pub agency_id: Option<AgencyId>,
    pub partner_id: Option<PartnerId>,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub password_hash: PasswordHashString,
}

/// What an admin may change on an account.
#[derive(Debug, Clone)]
pub struct UserUpdate {
    pub name: String,
    pub role: Role,
    pub agency_id: Option<AgencyId>,
    pub partner_id: Option<PartnerId>,
    pub active: bool,
}

/// Parse the fields an admin form or API body gives for a role and agency.
pub fn parse_role_agency(role: &str, agency: Option<&str>) -> Result<(Role, Option<AgencyId>), FieldError> {
    let role: Role = role.parse().map_err(|_| FieldError::new("role", "invalid-choice"))?;
    let agency = match agency.map(str::trim).filter(|s| !s.is_empty()) {
        Some(a) => Some(a.parse::<AgencyId>().map_err(|_| FieldError::new("agency_id", "invalid-choice"))?),
        None => None,
    };
    if role.needs_agency() && agency.is_none() {
        return Err(FieldError::new("agency_id", "agency-required"));
    }
    Ok((role, agency))
}

/// Parse the partner a partner user speaks for: required for that role, ignored for others.
pub fn parse_partner(role: Role, partner: Option<&str>) -> Result<Option<PartnerId>, FieldError> {
    if role != Role::Partner {
        return Ok(None);
    }
    match partner.map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => p.parse::<PartnerId>().map(Some).map_err(|_| FieldError::new("partner_id", "invalid-choice")),
        None => Err(FieldError::new("partner_id", "partner-required")),
    }
}

pub fn parse_name(name: &str) -> Result<String, FieldError> {
    required_text("name", name, 120)
}

async fn check_agency(tx: &mut Tx, tenant: Option<&RegionCode>, agency: Option<AgencyId>) -> Result<()> {
    let (Some(tenant), Some(agency)) = (tenant, agency) else { return Ok(()) };
    tx.check_in_tenant((Agencies::Table, Agencies::TenantCode, Agencies::Id), tenant, agency.as_uuid(), "agency_id")
        .await
}

async fn check_partner(tx: &mut Tx, tenant: Option<&RegionCode>, partner: Option<PartnerId>) -> Result<()> {
    let Some(partner) = partner else { return Ok(()) };
    // A partner user belongs to a tenant: the platform operator has no registry of its own.
    let Some(tenant) = tenant else { return Err(StoreError::Invalid(FieldError::new("partner_id", "invalid-choice"))) };
    tx.check_in_tenant((Partners::Table, Partners::TenantCode, Partners::Id), tenant, partner.as_uuid(), "partner_id")
        .await
}

async fn load(tx: &mut Tx, id: UserId) -> Result<User> {
    let row: UserRow = tx
        .fetch_optional(select().and_where(Expr::col(Users::Id).eq(id.as_uuid())))
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row.split()?.0)
}

/// The filters of the user list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub tenant: Option<RegionCode>,
    pub role: Option<Role>,
    pub agency_id: Option<AgencyId>,
}

impl Store {
    pub async fn users(&self, actor: &Actor, filter: &UserFilter) -> Result<Vec<User>> {
        if !actor.can(Permission::ManageUsers) {
            return Err(StoreError::Forbidden);
        }
        let mut cond = Condition::all();
        if let Some(t) = target_tenant(actor, filter.tenant.as_ref())? {
            cond = cond.add(Expr::col(Users::TenantCode).eq(t.as_str()));
        }
        if let Some(role) = filter.role {
            cond = cond.add(Expr::col(Users::Role).eq(role.slug()));
        }
        if let Some(agency) = filter.agency_id {
            cond = cond.add(Expr::col(Users::AgencyId).eq(agency.as_uuid()));
        }
        let stmt = select()
            .cond_where(cond)
            .order_by(Users::TenantCode, Order::Asc)
            .order_by(Users::Email, Order::Asc)
            .to_owned();
        let rows: Vec<UserRow> = self.fetch_all(&stmt).await?;
        rows.into_iter().map(|r| r.split().map(|(u, _)| u)).collect()
    }

    /// One user, if the actor may see it: admins see their tenant's users, everyone sees
    /// themselves.
    pub async fn user(&self, actor: &Actor, id: UserId) -> Result<User> {
        let row: UserRow = self.fetch_one(select().and_where(Expr::col(Users::Id).eq(id.as_uuid()))).await?;
        let user = row.split()?.0;
        let own = user.id == actor.user_id;
        let visible = match &user.tenant {
            Some(t) => actor.scope.covers(t),
            None => actor.scope == Scope::Platform,
        };
        if !visible && !own {
            return Err(StoreError::NotFound);
        }
        if !own && !actor.can(Permission::ManageUsers) {
            return Err(StoreError::Forbidden);
        }
        Ok(user)
    }

    /// For login only: the account behind an email, whatever its tenant, with its hash.
    pub async fn user_for_login(&self, email: &Email) -> Result<Option<(User, PasswordHashString)>> {
        let row: Option<UserRow> =
            self.fetch_optional(select().and_where(Expr::col(Users::Email).eq(email.as_str()))).await?;
        row.map(UserRow::split).transpose()
    }

    /// Whether the tenant of a user is switched on (platform users have none).
    pub async fn tenant_active(&self, tenant: &RegionCode) -> Result<bool> {
        #[derive(sqlx::FromRow)]
        struct Active {
            active: bool,
        }
        let row: Option<Active> = self
            .fetch_optional(
                Query::select()
                    .column(Tenants::Active)
                    .from(Tenants::Table)
                    .and_where(Expr::col(Tenants::Code).eq(tenant.as_str())),
            )
            .await?;
        Ok(row.is_some_and(|r| r.active))
    }

    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User> {
        if !actor.can(Permission::ManageUsers) {
            return Err(StoreError::Forbidden);
        }
        let tenant = match new.role {
            Role::PlatformAdmin => None,
            _ => target_tenant(actor, new.tenant.as_ref())?,
        };
        check_grant(actor, new.role, tenant.as_ref())?;
        let mut tx = self.begin().await?;
        check_agency(&mut tx, tenant.as_ref(), new.agency_id).await?;
        let partner_id = if new.role == Role::Partner { new.partner_id } else { None };
        check_partner(&mut tx, tenant.as_ref(), partner_id).await?;
        let now = now_ms();
        let user = User {
            id: UserId::new(),
            tenant,
            agency_id: new.agency_id,
            partner_id,
            email: new.email,
            name: new.name,
            role: new.role,
            locale: Locale::Id,
            active: true,
            created_at_ms: now,
            updated_at_ms: now,
        };
        tx.execute(
            &Query::insert()
                .into_table(Users::Table)
                .columns([
                    Users::Id,
                    Users::TenantCode,
                    Users::AgencyId,
                    Users::PartnerId,
                    Users::Email,
                    Users::Name,
                    Users::Role,
                    Users::PasswordHash,
                    Users::Locale,
                    Users::Active,
                    Users::CreatedAt,
                    Users::UpdatedAt,
                    Users::PasswordChangedAt,
                ])
                .values_panic([
                    user.id.as_uuid().into(),
                    user.tenant.as_ref().map(|t| t.as_str().to_owned()).into(),
                    user.agency_id.map(|a| a.as_uuid()).into(),
                    user.partner_id.map(|p| p.as_uuid()).into(),
                    user.email.as_str().into(),
                    user.name.clone().into(),
                    user.role.slug().into(),
                    new.password_hash.0.into(),
                    user.locale.as_str().into(),
                    true.into(),
                    now.into(),
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
                tenant: user.tenant.as_ref(),
                action: "create",
                record_type: RecordType::User,
                record_id: user.id.to_string(),
                before: None,
                after: snapshot(&user),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn update_user(&self, actor: &Actor, id: UserId, update: UserUpdate) -> Result<User> {
        let current = self.user(actor, id).await?;
        if !actor.can(Permission::ManageUsers) {
            return Err(StoreError::Forbidden);
        }
        check_grant(actor, update.role, current.tenant.as_ref())?;
        // An admin who locks themselves out needs the platform to get back in: refuse it.
        if current.id == actor.user_id && (!update.active || update.role != current.role) {
            return Err(StoreError::Invalid(FieldError::new("role", "cannot-demote-self")));
        }
        let name = parse_name(&update.name)?;
        let mut tx = self.begin().await?;
        check_agency(&mut tx, current.tenant.as_ref(), update.agency_id).await?;
        let partner_id = if update.role == Role::Partner { update.partner_id } else { None };
        check_partner(&mut tx, current.tenant.as_ref(), partner_id).await?;
        let before = load(&mut tx, id).await?;
        let after = User {
            name,
            role: update.role,
            agency_id: update.agency_id,
            partner_id,
            active: update.active,
            updated_at_ms: now_ms(),
            ..before.clone()
        };
        tx.execute(
            &Query::update()
                .table(Users::Table)
                .values([
                    (Users::Name, after.name.clone().into()),
                    (Users::Role, after.role.slug().into()),
                    (Users::AgencyId, after.agency_id.map(|a| a.as_uuid()).into()),
                    (Users::PartnerId, after.partner_id.map(|p| p.as_uuid()).into()),
                    (Users::Active, after.active.into()),
                    (Users::UpdatedAt, after.updated_at_ms.into()),
                ])
                .and_where(Expr::col(Users::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        if !after.active {
            crate::sessions::revoke_all_in(&mut tx, id).await?;
        }
        record(
            &mut tx,
            actor,
            Change {
                tenant: after.tenant.as_ref(),
                action: "update",
                record_type: RecordType::User,
                record_id: id.to_string(),
                before: snapshot(&before),
                after: snapshot(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Set a password: one's own (after the web checked the current one) or, for an admin,
    /// a user's of their tenant. Other sessions of that user are ended.
    pub async fn set_password(
        &self,
        actor: &Actor,
        id: UserId,
        hash: PasswordHashString,
        keep_session: Option<sinergi_domain::TokenId>,
    ) -> Result<()> {
        let target = self.user(actor, id).await?;
        let mut tx = self.begin().await?;
        let now = now_ms();
        tx.execute(
            &Query::update()
                .table(Users::Table)
                .values([
                    (Users::PasswordHash, hash.0.into()),
                    (Users::PasswordChangedAt, now.into()),
                    (Users::UpdatedAt, now.into()),
                ])
                .and_where(Expr::col(Users::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        crate::sessions::revoke_others_in(&mut tx, id, keep_session).await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: target.tenant.as_ref(),
                action: "password_change",
                record_type: RecordType::User,
                record_id: id.to_string(),
                before: None,
                // The hash is never copied into the trail; the event itself is the record.
                after: Some(serde_json::json!({ "password_changed": true })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user's own language choice.
    pub async fn set_locale(&self, actor: &Actor, locale: Locale) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = load(&mut tx, actor.user_id).await?;
        tx.execute(
            &Query::update()
                .table(Users::Table)
                .values([(Users::Locale, locale.as_str().into()), (Users::UpdatedAt, now_ms().into())])
                .and_where(Expr::col(Users::Id).eq(actor.user_id.as_uuid()))
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: before.tenant.as_ref(),
                action: "set_locale",
                record_type: RecordType::User,
                record_id: actor.user_id.to_string(),
                before: Some(serde_json::json!({ "locale": before.locale.as_str() })),
                after: Some(serde_json::json!({ "locale": locale.as_str() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

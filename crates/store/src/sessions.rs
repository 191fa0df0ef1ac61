//! Web sessions and API tokens: one table, two kinds.
//!
//! The secret handed to the browser or API client is 32 random bytes; the database keeps only
//! its SHA-256, so a leaked backup cannot be replayed as a login.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sea_query::{Alias, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sinergi_domain::{Actor, Permission, TokenId, UserId};
use uuid::Uuid;

use crate::audit::{Change, RecordType, record};
use crate::db::Tx;
use crate::schema::{Sessions, Tenants, Users};
use crate::users::{User, UserRow};
use crate::{Result, Store, StoreError, now_ms};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// A browser session behind a cookie: expires after idling.
    Web,
    /// A bearer token for the API: fixed lifetime, listed and revoked by its owner.
    Api,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// A web session ends after this long without a request.
    pub web_idle_ms: i64,
    /// ...and in any case this long after login.
    pub web_absolute_ms: i64,
    pub api_ms: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        const HOUR: i64 = 3_600_000;
        Self { web_idle_ms: 8 * HOUR, web_absolute_ms: 24 * HOUR, api_ms: 90 * 24 * HOUR }
    }
}

/// Handed out once, at creation: the secret is not stored and cannot be shown again.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub id: TokenId,
    pub token: String,
    pub csrf_token: String,
    pub expires_at_ms: i64,
}

/// A live session, resolved from its secret.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub id: TokenId,
    pub kind: SessionKind,
    pub csrf_token: String,
    pub expires_at_ms: i64,
    pub user: User,
}

/// An API token as its owner sees it in the list (no secret).
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub label: Option<String>,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    pub expires_at_ms: i64,
}

/// A session with its user and the user's tenant's state, read at once.
#[derive(sqlx::FromRow)]
struct SessionUserRow {
    #[sqlx(flatten)]
    user: UserRow,
    session_id: Uuid,
    session_kind: String,
    session_csrf_token: String,
    session_created_at: i64,
    session_last_seen_at: i64,
    session_expires_at: i64,
    tenant_active: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: Uuid,
    user_id: Uuid,
    kind: String,
    label: Option<String>,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
}

fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn select() -> sea_query::SelectStatement {
    Query::select()
        .columns([
            Sessions::Id,
            Sessions::UserId,
            Sessions::Kind,
            Sessions::Label,
            Sessions::CreatedAt,
            Sessions::LastSeenAt,
            Sessions::ExpiresAt,
        ])
        .from(Sessions::Table)
        .and_where(Expr::col(Sessions::RevokedAt).is_null())
        .to_owned()
}

pub(crate) async fn revoke_all_in(tx: &mut Tx, user: UserId) -> Result<()> {
    revoke_others_in(tx, user, None).await
}

pub(crate) async fn revoke_others_in(tx: &mut Tx, user: UserId, keep: Option<TokenId>) -> Result<()> {
    let mut stmt = Query::update()
        .table(Sessions::Table)
        .value(Sessions::RevokedAt, now_ms())
        .and_where(Expr::col(Sessions::UserId).eq(user.as_uuid()))
        .and_where(Expr::col(Sessions::RevokedAt).is_null())
        .to_owned();
    if let Some(keep) = keep {
        stmt.and_where(Expr::col(Sessions::Id).ne(keep.as_uuid()));
    }
    tx.execute(&stmt).await?;
    Ok(())
}

impl Store {
    /// Log a user in (web) or issue an API token. Audited as a login or token creation.
    pub async fn create_session(
        &self,
        user: &User,
        kind: SessionKind,
        label: Option<String>,
        policy: &SessionPolicy,
    ) -> Result<IssuedSession> {
        let now = now_ms();
        let expires = now + if kind == SessionKind::Web { policy.web_idle_ms } else { policy.api_ms };
        let issued = IssuedSession {
            id: TokenId::new(),
            token: random_secret(),
            csrf_token: random_secret(),
            expires_at_ms: expires,
        };
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(Sessions::Table)
                .columns([
                    Sessions::Id,
                    Sessions::TokenHash,
                    Sessions::UserId,
                    Sessions::Kind,
                    Sessions::Label,
                    Sessions::CsrfToken,
                    Sessions::CreatedAt,
                    Sessions::LastSeenAt,
                    Sessions::ExpiresAt,
                ])
                .values_panic([
                    issued.id.as_uuid().into(),
                    digest(&issued.token).into(),
                    user.id.as_uuid().into(),
                    kind.as_str().into(),
                    label.clone().into(),
                    issued.csrf_token.clone().into(),
                    now.into(),
                    now.into(),
                    expires.into(),
                ])
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            &user.actor(),
            Change {
                tenant: user.tenant.as_ref(),
                action: if kind == SessionKind::Web { "login" } else { "token_create" },
                record_type: RecordType::Session,
                record_id: issued.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "kind": kind, "label": label, "expires_at_ms": expires })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// Resolve a secret to a live session of an active user in an active tenant. Web
    /// sessions slide their idle expiry forward, at most once a minute to spare the writes.
    pub async fn session(&self, token: &str, policy: &SessionPolicy) -> Result<Option<SessionInfo>> {
        let now = now_ms();
        // One read for the session, its user and the user's tenant: this runs before every
        // request, and each query is a round trip to the database's thread.
        let u = |c: Users| (Users::Table, c);
        let s = |c: Sessions| Expr::col((Sessions::Table, c));
        let joined: Option<SessionUserRow> = self
            .fetch_optional(
                Query::select()
                    .columns([
                        u(Users::Id),
                        u(Users::TenantCode),
                        u(Users::AgencyId),
                        u(Users::PartnerId),
                        u(Users::Email),
                        u(Users::Name),
                        u(Users::Role),
                        u(Users::Locale),
                        u(Users::Active),
                        u(Users::CreatedAt),
                        u(Users::UpdatedAt),
                        u(Users::PasswordHash),
                    ])
                    .expr_as(s(Sessions::Id), Alias::new("session_id"))
                    .expr_as(s(Sessions::Kind), Alias::new("session_kind"))
                    .expr_as(s(Sessions::CsrfToken), Alias::new("session_csrf_token"))
                    .expr_as(s(Sessions::CreatedAt), Alias::new("session_created_at"))
                    .expr_as(s(Sessions::LastSeenAt), Alias::new("session_last_seen_at"))
                    .expr_as(s(Sessions::ExpiresAt), Alias::new("session_expires_at"))
                    .expr_as(Expr::col((Tenants::Table, Tenants::Active)), Alias::new("tenant_active"))
                    .from(Sessions::Table)
                    .inner_join(
                        Users::Table,
                        Expr::col((Users::Table, Users::Id)).equals((Sessions::Table, Sessions::UserId)),
                    )
                    .left_join(
                        Tenants::Table,
                        Expr::col((Tenants::Table, Tenants::Code)).equals((Users::Table, Users::TenantCode)),
                    )
                    .and_where(s(Sessions::TokenHash).eq(digest(token)))
                    .and_where(s(Sessions::RevokedAt).is_null()),
            )
            .await?;
        let Some(joined) = joined else { return Ok(None) };
        let SessionUserRow {
            user,
            session_id: id,
            session_kind,
            session_csrf_token: csrf_token,
            session_created_at: created_at,
            session_last_seen_at: last_seen_at,
            session_expires_at: mut expires,
            tenant_active,
        } = joined;
        if expires <= now {
            return Ok(None);
        }
        let (user, _) = user.split()?;
        if !user.active {
            return Ok(None);
        }
        // A user of a tenant needs the tenant there and active; a platform user has none.
        if user.tenant.is_some() && tenant_active != Some(true) {
            return Ok(None);
        }
        let kind = if session_kind == "api" { SessionKind::Api } else { SessionKind::Web };
        if now - last_seen_at > 60_000 {
            if kind == SessionKind::Web {
                expires = std::cmp::Ord::min(now + policy.web_idle_ms, created_at + policy.web_absolute_ms);
            }
            self.execute(
                &Query::update()
                    .table(Sessions::Table)
                    .values([(Sessions::LastSeenAt, now.into()), (Sessions::ExpiresAt, expires.into())])
                    .and_where(Expr::col(Sessions::Id).eq(id))
                    .to_owned(),
            )
            .await?;
        }
        Ok(Some(SessionInfo { id: TokenId::from_uuid(id), kind, csrf_token, expires_at_ms: expires, user }))
    }

    /// End a session or revoke a token: one's own, or (for an admin) one of a user they manage.
    pub async fn revoke_session(&self, actor: &Actor, id: TokenId) -> Result<()> {
        let row: SessionRow = self.fetch_one(select().and_where(Expr::col(Sessions::Id).eq(id.as_uuid()))).await?;
        let owner = self.user(actor, UserId::from_uuid(row.user_id)).await?;
        if owner.id != actor.user_id && !actor.can(Permission::ManageUsers) {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::update()
                .table(Sessions::Table)
                .value(Sessions::RevokedAt, now_ms())
                .and_where(Expr::col(Sessions::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: owner.tenant.as_ref(),
                action: if row.kind == "api" { "token_revoke" } else { "logout" },
                record_type: RecordType::Session,
                record_id: id.to_string(),
                before: Some(serde_json::json!({ "kind": row.kind, "label": row.label })),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The actor's own live API tokens.
    pub async fn api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        let stmt = select()
            .and_where(Expr::col(Sessions::UserId).eq(actor.user_id.as_uuid()))
            .and_where(Expr::col(Sessions::Kind).eq("api"))
            .and_where(Expr::col(Sessions::ExpiresAt).gt(now_ms()))
            .order_by(Sessions::CreatedAt, Order::Desc)
            .to_owned();
        let rows: Vec<SessionRow> = self.fetch_all(&stmt).await?;
        Ok(rows
            .into_iter()
            .map(|r| ApiToken {
                id: TokenId::from_uuid(r.id),
                label: r.label,
                created_at_ms: r.created_at,
                last_seen_at_ms: r.last_seen_at,
                expires_at_ms: r.expires_at,
            })
            .collect())
    }
}

//! Reminders: in-app notifications and an email outbox. The outbox is a table, so a message
//! queued before a restart is still sent after it, and a failed send is retried with backoff.

use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use serde::Serialize;
use sinergi_domain::{Actor, PartnerId, Permission, RegionCode, Role};
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::db::Tx;
use crate::schema::{Notifications, Outbox, Users};
use crate::{Result, Store, StoreError, now_ms};

/// A reminder to raise for a tenant, from the daily job.
#[derive(Debug, Clone)]
pub struct Reminder {
    pub tenant: RegionCode,
    /// Once per key: "expiry:<agreement>:30", "dormant:<agreement>:2026-07-30".
    pub dedupe_key: String,
    pub kind: String,
    /// Already in the Pemda's language (the job renders it).
    pub message: String,
    pub subject: String,
    /// A path inside Sinergi, for the app ("/cooperation/agreements/...").
    pub link: String,
    /// The full text of the email (with an absolute link).
    pub mail_body: String,
    /// Mail the users of this partner (a company's CSR report that is due) instead of the
    /// region admins.
    pub to_partner: Option<PartnerId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub kind: String,
    pub message: String,
    pub link: String,
    pub created_at_ms: i64,
}

/// A queued email.
#[derive(Debug, Clone)]
pub struct Mail {
    pub tenant: RegionCode,
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
}

#[derive(sqlx::FromRow)]
struct MailRow {
    tenant_code: String,
    id: Uuid,
    to_email: String,
    subject: String,
    body: String,
    attempts: i32,
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    kind: String,
    message: String,
    link: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct EmailRow {
    email: String,
}

/// Retry after 1, 5, 30 minutes, then hourly: a mail server down for the night catches up in
/// the morning without hammering it.
pub fn backoff_ms(attempts: i32) -> i64 {
    const MIN: i64 = 60_000;
    match attempts {
        0 | 1 => MIN,
        2 => 5 * MIN,
        3 => 30 * MIN,
        _ => 60 * MIN,
    }
}

/// One mail to send.
pub(crate) struct NewMail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Queue a mail in the outbox, inside the caller's transaction, so it is sent if and only if the
/// write that caused it commits. The same `(dedupe_key, to)` is queued once: returns 0 when it
/// already was, 1 when queued now. The mail job sends it.
pub(crate) async fn enqueue_mail(
    tx: &mut Tx,
    tenant: &RegionCode,
    dedupe_key: &str,
    mail: NewMail<'_>,
    now: i64,
) -> Result<u64> {
    tx.execute(
        Query::insert()
            .into_table(Outbox::Table)
            .columns([
                Outbox::TenantCode,
                Outbox::Id,
                Outbox::DedupeKey,
                Outbox::ToEmail,
                Outbox::Subject,
                Outbox::Body,
                Outbox::CreatedAt,
                Outbox::NextAttemptAt,
            ])
            .values_panic([
                tenant.as_str().into(),
                Uuid::now_v7().into(),
                dedupe_key.into(),
                mail.to.into(),
                mail.subject.into(),
                mail.body.into(),
                now.into(),
                now.into(),
            ])
            .on_conflict(
                OnConflict::columns([Outbox::TenantCode, Outbox::DedupeKey, Outbox::ToEmail]).do_nothing().to_owned(),
            ),
    )
    .await
}

/// Who a reminder is mailed to: the region admins, or the users of one partner.
async fn recipients(tx: &mut Tx, tenant: &RegionCode, partner: Option<PartnerId>) -> Result<Vec<String>> {
    let mut stmt = Query::select()
        .column(Users::Email)
        .from(Users::Table)
        .and_where(Expr::col(Users::TenantCode).eq(tenant.as_str()))
        .and_where(Expr::col(Users::Active).eq(true))
        .to_owned();
    match partner {
        Some(p) => stmt
            .and_where(Expr::col(Users::Role).eq(Role::Partner.slug()))
            .and_where(Expr::col(Users::PartnerId).eq(p.as_uuid())),
        None => stmt.and_where(Expr::col(Users::Role).eq(Role::RegionAdmin.slug())),
    };
    let rows: Vec<EmailRow> = tx.fetch_all(&stmt).await?;
    Ok(rows.into_iter().map(|r| r.email).collect())
}

impl Store {
    /// Raise reminders: a notification in the app and an email to each region admin (or to
    /// the partner's users), each at most once per dedupe key. Returns how many were new.
    pub async fn raise_reminders(&self, reminders: &[Reminder]) -> Result<usize> {
        let mut tx = self.begin().await?;
        let mut new = 0;
        let now = now_ms();
        for r in reminders {
            let inserted = tx
                .execute(
                    &Query::insert()
                        .into_table(Notifications::Table)
                        .columns([
                            Notifications::TenantCode,
                            Notifications::Id,
                            Notifications::DedupeKey,
                            Notifications::Kind,
                            Notifications::Message,
                            Notifications::Link,
                            Notifications::CreatedAt,
                        ])
                        .values_panic([
                            r.tenant.as_str().into(),
                            Uuid::now_v7().into(),
                            r.dedupe_key.clone().into(),
                            r.kind.clone().into(),
                            r.message.clone().into(),
                            r.link.clone().into(),
                            now.into(),
                        ])
                        .on_conflict(
                            OnConflict::columns([Notifications::TenantCode, Notifications::DedupeKey])
                                .do_nothing()
                                .to_owned(),
                        )
                        .to_owned(),
                )
                .await?;
            if inserted == 0 {
                continue;
            }
            new += 1;
            for to in recipients(&mut tx, &r.tenant, r.to_partner).await? {
                enqueue_mail(
                    &mut tx,
                    &r.tenant,
                    &r.dedupe_key,
                    NewMail { to: &to, subject: &r.subject, body: &r.mail_body },
                    now,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(new)
    }

    /// The tenant's reminders, newest first, for its internal users.
    pub async fn notifications(&self, actor: &Actor, limit: u64) -> Result<Vec<Notification>> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let mut stmt = Query::select()
            .columns([Notifications::Kind, Notifications::Message, Notifications::Link, Notifications::CreatedAt])
            .from(Notifications::Table)
            .order_by(Notifications::CreatedAt, Order::Desc)
            .limit(limit)
            .to_owned();
        if let Some(t) = target_tenant(actor, None)? {
            stmt.and_where(Expr::col(Notifications::TenantCode).eq(t.as_str()));
        }
        let rows: Vec<NotificationRow> = self.fetch_all(&stmt).await?;
        Ok(rows
            .into_iter()
            .map(|r| Notification { kind: r.kind, message: r.message, link: r.link, created_at_ms: r.created_at })
            .collect())
    }

    /// Mail due for (another) attempt.
    pub async fn due_mail(&self, limit: u64) -> Result<Vec<Mail>> {
        let rows: Vec<MailRow> = self
            .fetch_all(
                &Query::select()
                    .columns([
                        Outbox::TenantCode,
                        Outbox::Id,
                        Outbox::ToEmail,
                        Outbox::Subject,
                        Outbox::Body,
                        Outbox::Attempts,
                    ])
                    .from(Outbox::Table)
                    .and_where(Expr::col(Outbox::SentAt).is_null())
                    .and_where(Expr::col(Outbox::NextAttemptAt).lte(now_ms()))
                    .order_by(Outbox::CreatedAt, Order::Asc)
                    .limit(limit)
                    .to_owned(),
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Mail {
                    tenant: RegionCode::parse(&r.tenant_code).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    id: r.id,
                    to: r.to_email,
                    subject: r.subject,
                    body: r.body,
                    attempts: r.attempts,
                })
            })
            .collect()
    }

    /// Tests only: bring every unsent mail's next attempt forward to now (instead of waiting
    /// out the backoff).
    #[cfg(feature = "testing")]
    pub async fn make_all_mail_due_for_test(&self) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Outbox::Table)
                .value(Outbox::NextAttemptAt, 0i64)
                .and_where(Expr::col(Outbox::SentAt).is_null())
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn mail_sent(&self, mail: &Mail) -> Result<()> {
        self.execute(
            &Query::update()
                .table(Outbox::Table)
                .values([(Outbox::SentAt, now_ms().into()), (Outbox::Attempts, (mail.attempts + 1).into())])
                .and_where(Expr::col(Outbox::TenantCode).eq(mail.tenant.as_str()))
                .and_where(Expr::col(Outbox::Id).eq(mail.id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    pub async fn mail_failed(&self, mail: &Mail, error: &str) -> Result<()> {
        let attempts = mail.attempts + 1;
        self.execute(
            &Query::update()
                .table(Outbox::Table)
                .values([
                    (Outbox::Attempts, attempts.into()),
                    (Outbox::NextAttemptAt, (now_ms() + backoff_ms(attempts)).into()),
                    (Outbox::LastError, error.chars().take(500).collect::<String>().into()),
                ])
                .and_where(Expr::col(Outbox::TenantCode).eq(mail.tenant.as_str()))
                .and_where(Expr::col(Outbox::Id).eq(mail.id))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

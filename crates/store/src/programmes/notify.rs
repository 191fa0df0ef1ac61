//! Telling selected participants: an email through the outbox (sent by the mail job, retried
//! when the server is away) and, because most owners live on WhatsApp, the phone number for a
//! ready-made message, handed out one participant at a time and audited like any personal data.

use sea_query::{Expr, ExprTrait, Query};
use serde::Serialize;
use sinergi_domain::{Actor, ApplicationId, Permission, RegionCode, WaveId};
use uuid::Uuid;

use super::{ApplicationRow, Decision, audit, programme_tenant, read_applications, read_wave};
use crate::reminders::{NewMail, enqueue_mail};
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

/// An invitation in the Pemda's words, written by the caller (it knows the language).
#[derive(Debug, Clone)]
pub struct Invitation {
    pub application: ApplicationId,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InvitationSummary {
    /// Emails put in the outbox now.
    pub queued: u32,
    /// Already invited by email before: nothing sent twice.
    pub already: u32,
    /// Participants whose business has no email: invite them by WhatsApp.
    pub without_email: u32,
}

/// What a WhatsApp invitation needs: who, and the number to open the chat with.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticipantContact {
    pub application: ApplicationRow,
    pub phone: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Contact {
    id: Uuid,
    email: Option<String>,
    phone: Option<String>,
}

async fn contacts(tx: &mut crate::db::Tx, tenant: &RegionCode, apps: &[&ApplicationRow]) -> Result<Vec<Contact>> {
    let mut out = Vec::new();
    let ids: Vec<Uuid> = apps.iter().map(|a| a.business.as_uuid()).collect();
    for chunk in ids.chunks(500) {
        let rows: Vec<Contact> = tx
            .fetch_all(
                Query::select()
                    .columns([UmkmBusinesses::Id, UmkmBusinesses::Email, UmkmBusinesses::Phone])
                    .from(UmkmBusinesses::Table)
                    .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmBusinesses::Id).is_in(chunk.iter().copied())),
            )
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

impl Store {
    /// Queue an invitation email to each selected participant named, once each (a second run
    /// queues nothing for those already invited), and mark them notified.
    pub async fn queue_wave_invitations(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        wave: WaveId,
        invitations: Vec<Invitation>,
    ) -> Result<InvitationSummary> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        read_wave(&mut tx, &tenant, wave).await?;
        let apps = read_applications(&mut tx, &tenant, wave).await?;
        let mut chosen = Vec::new();
        for inv in &invitations {
            let app = apps.iter().find(|a| a.id == inv.application).ok_or(StoreError::NotFound)?;
            if app.decision() != Some(Decision::Selected) {
                return Err(StoreError::Conflict { field: "decision" });
            }
            chosen.push((app, inv));
        }
        let found = contacts(&mut tx, &tenant, &chosen.iter().map(|(a, _)| *a).collect::<Vec<_>>()).await?;
        let mut summary = InvitationSummary::default();
        let now = now_ms();
        for (app, inv) in chosen {
            let email = found
                .iter()
                .find(|c| c.id == app.business.as_uuid())
                .and_then(|c| c.email.as_deref())
                .map(str::trim)
                .filter(|e| e.contains('@'));
            let Some(email) = email else {
                summary.without_email += 1;
                continue;
            };
            let mail = NewMail { to: email, subject: &inv.subject, body: &inv.body };
            let inserted = enqueue_mail(&mut tx, &tenant, &format!("wave-invite:{}", app.id), mail, now).await?;
            if inserted == 0 {
                summary.already += 1;
                continue;
            }
            summary.queued += 1;
            tx.execute(
                Query::update()
                    .table(WaveApplications::Table)
                    .value(WaveApplications::NotifiedAt, now)
                    .and_where(Expr::col(WaveApplications::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(WaveApplications::Id).eq(app.id.as_uuid())),
            )
            .await?;
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            wave.to_string(),
            "invite_wave_participants",
            serde_json::to_value(summary).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// A selected participant's phone, to open a WhatsApp chat with the invitation: personal
    /// data, so each use is audited with the participant it was for.
    pub async fn participant_contact(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        wave: WaveId,
        application: ApplicationId,
    ) -> Result<ParticipantContact> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        read_wave(&mut tx, &tenant, wave).await?;
        let app = read_applications(&mut tx, &tenant, wave)
            .await?
            .into_iter()
            .find(|a| a.id == application)
            .ok_or(StoreError::NotFound)?;
        if app.decision() != Some(Decision::Selected) {
            return Err(StoreError::Conflict { field: "decision" });
        }
        let phone = contacts(&mut tx, &tenant, &[&app]).await?.into_iter().next().and_then(|c| c.phone);
        audit(
            &mut tx,
            actor,
            &tenant,
            application.to_string(),
            "whatsapp_invitation",
            serde_json::json!({ "wave": wave.to_string(), "business": app.business.to_string() }),
        )
        .await?;
        tx.commit().await?;
        Ok(ParticipantContact { application: app, phone })
    }
}

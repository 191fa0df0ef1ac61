//! A UMKM owner and the programmes: the waves open for applications, applying with one of
//! their verified businesses, what became of each application (the invitation code on the QR,
//! the certificate) and answering the follow-up surveys themselves.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::programme::FOLLOW_UP_MONTHS;
use sinergi_domain::{Actor, ApplicationId, BusinessId, Permission, ProgrammeId, RegionCode, WaveId};
use uuid::Uuid;

use super::{
    ApplicationRow, Channel, FollowUpAnswers, Programme, Wave, audit, insert_application, programme_tenant,
    read_applications, read_programme, read_wave,
};
use crate::schema::*;
use crate::{Result, Store, StoreError};

/// An open wave as an owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenWave {
    pub programme: Programme,
    pub wave: Wave,
}

/// One of the owner's applications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnApplication {
    pub programme: Programme,
    pub wave: Wave,
    pub application: ApplicationRow,
    pub certificate: Option<String>,
    /// The follow-up months already answered.
    pub answered: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct WaveRef {
    id: Uuid,
    programme_id: Uuid,
}

/// The owner's verified business, or not found (as another's business is).
async fn owned(tx: &mut crate::db::Tx, actor: &Actor, tenant: &RegionCode, business: BusinessId) -> Result<()> {
    #[derive(sqlx::FromRow)]
    struct Claimed {
        claimed_by: Option<Uuid>,
        merged_into: Option<Uuid>,
    }
    let row: Claimed = tx
        .fetch_optional(
            Query::select()
                .columns([UmkmBusinesses::ClaimedBy, UmkmBusinesses::MergedInto])
                .from(UmkmBusinesses::Table)
                .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmBusinesses::Id).eq(business.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    if row.claimed_by != Some(actor.user_id.as_uuid()) || row.merged_into.is_some() {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

impl Store {
    /// The waves of the owner's Pemda that take applications now.
    pub async fn open_waves(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<OpenWave>> {
        let tenant = programme_tenant(actor, Permission::OwnBusiness, tenant)?;
        let mut tx = self.begin_read().await?;
        let refs: Vec<WaveRef> = tx
            .fetch_all(
                Query::select()
                    .columns([ProgrammeWaves::Id, ProgrammeWaves::ProgrammeId])
                    .from(ProgrammeWaves::Table)
                    .and_where(Expr::col(ProgrammeWaves::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(ProgrammeWaves::Status).eq("open"))
                    .order_by(ProgrammeWaves::CreatedAt, Order::Desc)
                    .limit(50),
            )
            .await?;
        let mut out = Vec::new();
        for r in refs {
            let programme = read_programme(&mut tx, &tenant, ProgrammeId::from_uuid(r.programme_id)).await?;
            let wave = read_wave(&mut tx, &tenant, WaveId::from_uuid(r.id)).await?;
            out.push(OpenWave { programme, wave });
        }
        Ok(out)
    }

    /// An owner applies with one of their verified businesses, saying which of the wave's
    /// criteria it meets (the officer checks them at selection).
    pub async fn apply_as_owner(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        wave: WaveId,
        business: BusinessId,
        criteria_met: Vec<String>,
    ) -> Result<ApplicationId> {
        let tenant = programme_tenant(actor, Permission::OwnBusiness, tenant)?;
        let mut tx = self.begin().await?;
        let w = read_wave(&mut tx, &tenant, wave).await?;
        owned(&mut tx, actor, &tenant, business).await?;
        if !w.status.takes_applications() {
            return Err(StoreError::Conflict { field: "status" });
        }
        if read_applications(&mut tx, &tenant, wave).await?.iter().any(|a| a.business == business) {
            return Err(StoreError::Conflict { field: "business" });
        }
        let id = insert_application(&mut tx, actor, &tenant, &w, business, Channel::Owner, criteria_met).await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            wave.to_string(),
            "apply_to_wave",
            serde_json::json!({ "business": business, "application": id, "by": "owner" }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The applications of the owner's businesses, newest wave first.
    pub async fn own_applications(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<OwnApplication>> {
        let tenant = programme_tenant(actor, Permission::OwnBusiness, tenant)?;
        let mut tx = self.begin_read().await?;
        #[derive(sqlx::FromRow)]
        struct Mine {
            wave_id: Uuid,
        }
        let waves: Vec<Mine> = tx
            .fetch_all(
                Query::select()
                    .distinct()
                    .column((WaveApplications::Table, WaveApplications::WaveId))
                    .from(WaveApplications::Table)
                    .inner_join(
                        UmkmBusinesses::Table,
                        Expr::col((UmkmBusinesses::Table, UmkmBusinesses::TenantCode))
                            .equals((WaveApplications::Table, WaveApplications::TenantCode))
                            .and(
                                Expr::col((UmkmBusinesses::Table, UmkmBusinesses::Id))
                                    .equals((WaveApplications::Table, WaveApplications::BusinessId)),
                            ),
                    )
                    .and_where(Expr::col((WaveApplications::Table, WaveApplications::TenantCode)).eq(tenant.as_str()))
                    .and_where(
                        Expr::col((UmkmBusinesses::Table, UmkmBusinesses::ClaimedBy)).eq(actor.user_id.as_uuid()),
                    ),
            )
            .await?;
        let mut out = Vec::new();
        for m in waves {
            let wave = read_wave(&mut tx, &tenant, WaveId::from_uuid(m.wave_id)).await?;
            let programme = read_programme(&mut tx, &tenant, wave.programme).await?;
            let apps = read_applications(&mut tx, &tenant, wave.id).await?;
            let mine: Vec<ApplicationRow> = {
                let mut v = Vec::new();
                for a in apps {
                    if owned(&mut tx, actor, &tenant, a.business).await.is_ok() {
                        v.push(a);
                    }
                }
                v
            };
            let codes = super::run::codes(&mut tx, &tenant, &mine).await?;
            for a in mine {
                let answered = answered_months(&mut tx, &tenant, a.id).await?;
                out.push(OwnApplication {
                    programme: programme.clone(),
                    wave: wave.clone(),
                    certificate: codes.get(&a.id).cloned(),
                    application: a,
                    answered,
                });
            }
        }
        out.sort_by_key(|o| std::cmp::Reverse(o.application.applied_at_ms));
        Ok(out)
    }

    /// An owner answers a follow-up survey for their own participation.
    pub async fn record_own_follow_up(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        application: ApplicationId,
        months: u8,
        answers: FollowUpAnswers,
    ) -> Result<()> {
        let tenant = programme_tenant(actor, Permission::OwnBusiness, tenant)?;
        if !FOLLOW_UP_MONTHS.contains(&months) {
            return Err(StoreError::Invalid(FieldError::new("months", "invalid-choice")));
        }
        let mut tx = self.begin().await?;
        #[derive(sqlx::FromRow)]
        struct App {
            business_id: Uuid,
        }
        let app: App = tx
            .fetch_optional(
                Query::select()
                    .column(WaveApplications::BusinessId)
                    .from(WaveApplications::Table)
                    .and_where(Expr::col(WaveApplications::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(WaveApplications::Id).eq(application.as_uuid())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        owned(&mut tx, actor, &tenant, BusinessId::from_uuid(app.business_id)).await?;
        let certified = super::run::codes_of(&mut tx, &tenant, &[application]).await?;
        if certified.is_empty() {
            // Surveys are for those who completed the programme.
            return Err(StoreError::Conflict { field: "certificate" });
        }
        super::run::write_follow_up(&mut tx, actor, &tenant, application, months, &answers, true).await?;
        tx.commit().await
    }
}

async fn answered_months(tx: &mut crate::db::Tx, tenant: &RegionCode, application: ApplicationId) -> Result<Vec<u8>> {
    #[derive(sqlx::FromRow)]
    struct M {
        months: i32,
    }
    let rows: Vec<M> = tx
        .fetch_all(
            Query::select()
                .column(FollowUps::Months)
                .from(FollowUps::Table)
                .and_where(Expr::col(FollowUps::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(FollowUps::ApplicationId).eq(application.as_uuid()))
                .order_by(FollowUps::Months, Order::Asc),
        )
        .await?;
    Ok(rows.into_iter().filter_map(|m| u8::try_from(m.months).ok()).collect())
}

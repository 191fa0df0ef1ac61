//! Running a wave: check-in per session (by the invitation code on the participant's QR, or
//! by the officer picking the name), certificates for those who attended enough with a code
//! anyone can verify, and the follow-up surveys at 3, 6 and 12 months.

use std::collections::{BTreeMap, HashSet};

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::programme::{FOLLOW_UP_MONTHS, WaveStatus, completed};
use sinergi_domain::{Actor, ApplicationId, Permission, RegionCode, SessionId, WaveId};
use uuid::Uuid;

use super::{ApplicationRow, Decision, audit, programme_tenant, read_applications, read_wave};
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

/// Who attended which session of a wave.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Attendance {
    pub by_application: BTreeMap<ApplicationId, Vec<SessionId>>,
}

impl Attendance {
    pub fn count(&self, a: ApplicationId) -> usize {
        self.by_application.get(&a).map_or(0, Vec::len)
    }

    pub fn attended(&self, a: ApplicationId, s: SessionId) -> bool {
        self.by_application.get(&a).is_some_and(|v| v.contains(&s))
    }
}

/// A certificate as the public verification page shows it: enough to confirm, nothing private.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertificateView {
    pub code: String,
    pub business_name: String,
    pub programme_title: String,
    pub wave_number: u32,
    pub tenant: RegionCode,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub sessions_attended: u32,
    pub sessions: u32,
    pub issued_at_ms: i64,
}

/// A follow-up survey's answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FollowUpAnswers {
    pub sales: Option<i64>,
    pub employees: Option<u32>,
    pub permits_obtained: Vec<String>,
    pub new_channels: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpRow {
    pub application: ApplicationId,
    pub months: u8,
    pub answers: FollowUpAnswers,
    pub by_owner: bool,
    pub filled_by: String,
    pub filled_at_ms: i64,
}

/// A certificate code: 12 letters and digits without the easily confused ones, in groups of
/// four (`K7QM-2XHD-9PWA`), about 60 bits: not guessable.
fn certificate_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

impl Store {
    /// Check a participant in to a session, by the invitation code (as scanned or typed) or the
    /// application. Only a selected participant of the session's wave, in a wave that is
    /// selected or running; a second check-in answers with the first (nothing changes).
    pub async fn check_in(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        wave: WaveId,
        session: SessionId,
        who: CheckInBy<'_>,
    ) -> Result<(ApplicationRow, bool)> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let w = read_wave(&mut tx, &tenant, wave).await?;
        if !w.sessions.iter().any(|s| s.id == session) {
            return Err(StoreError::NotFound);
        }
        if !matches!(w.status, WaveStatus::Selected | WaveStatus::Running) {
            return Err(StoreError::Conflict { field: "status" });
        }
        let apps = read_applications(&mut tx, &tenant, wave).await?;
        let found = match who {
            CheckInBy::Code(code) => {
                let code: String =
                    code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
                apps.into_iter().find(|a| a.invitation_code == code)
            }
            CheckInBy::Application(id) => apps.into_iter().find(|a| a.id == id),
        };
        let app = found.ok_or(StoreError::Invalid(FieldError::new("code", "unknown-invitation")))?;
        if app.decision() != Some(Decision::Selected) {
            return Err(StoreError::Invalid(FieldError::new("code", "not-a-participant")));
        }
        let cond = sea_query::Condition::all()
            .add(Expr::col(SessionAttendance::TenantCode).eq(tenant.as_str()))
            .add(Expr::col(SessionAttendance::SessionId).eq(session.as_uuid()))
            .add(Expr::col(SessionAttendance::ApplicationId).eq(app.id.as_uuid()));
        #[derive(sqlx::FromRow)]
        struct Seen {
            #[allow(dead_code)] // only its existence matters
            checked_in_at: i64,
        }
        let seen: Option<Seen> = tx
            .fetch_optional(
                Query::select().column(SessionAttendance::CheckedInAt).from(SessionAttendance::Table).cond_where(cond),
            )
            .await?;
        if seen.is_some() {
            return Ok((app, false));
        }
        tx.execute(
            Query::insert()
                .into_table(SessionAttendance::Table)
                .columns([
                    SessionAttendance::TenantCode,
                    SessionAttendance::SessionId,
                    SessionAttendance::ApplicationId,
                    SessionAttendance::CheckedInAt,
                    SessionAttendance::CheckedInBy,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    session.as_uuid().into(),
                    app.id.as_uuid().into(),
                    now_ms().into(),
                    actor.label.clone().into(),
                ]),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            wave.to_string(),
            "check_in",
            serde_json::json!({ "session": session, "application": app.id }),
        )
        .await?;
        tx.commit().await?;
        Ok((app, true))
    }

    pub async fn wave_attendance(&self, actor: &Actor, tenant: &RegionCode, wave: WaveId) -> Result<Attendance> {
        let tenant = programme_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        let w = read_wave(&mut tx, &tenant, wave).await?;
        read_attendance(&mut tx, &tenant, &w.sessions.iter().map(|s| s.id).collect::<Vec<_>>()).await
    }

    /// Certificates for every participant who attended enough sessions and has none yet, once
    /// the wave is running or done. Returns how many were issued now.
    pub async fn issue_certificates(&self, actor: &Actor, tenant: &RegionCode, wave: WaveId) -> Result<u32> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let w = read_wave(&mut tx, &tenant, wave).await?;
        if !matches!(w.status, WaveStatus::Running | WaveStatus::Done) {
            return Err(StoreError::Conflict { field: "status" });
        }
        let sessions: Vec<SessionId> = w.sessions.iter().map(|s| s.id).collect();
        let attendance = read_attendance(&mut tx, &tenant, &sessions).await?;
        let apps = read_applications(&mut tx, &tenant, wave).await?;
        let have = certified(&mut tx, &tenant, &apps).await?;
        let mut issued = 0;
        for a in apps.iter().filter(|a| a.decision() == Some(Decision::Selected) && !have.contains(&a.id)) {
            if !completed(attendance.count(a.id), sessions.len(), w.min_attendance_percent) {
                continue;
            }
            tx.execute(
                Query::insert()
                    .into_table(ProgrammeCertificates::Table)
                    .columns([
                        ProgrammeCertificates::TenantCode,
                        ProgrammeCertificates::Id,
                        ProgrammeCertificates::ApplicationId,
                        ProgrammeCertificates::Code,
                        ProgrammeCertificates::IssuedAt,
                        ProgrammeCertificates::IssuedBy,
                    ])
                    .values_panic([
                        tenant.as_str().into(),
                        Uuid::now_v7().into(),
                        a.id.as_uuid().into(),
                        certificate_code().into(),
                        now_ms().into(),
                        actor.label.clone().into(),
                    ]),
            )
            .await?;
            issued += 1;
        }
        audit(&mut tx, actor, &tenant, wave.to_string(), "issue_certificates", serde_json::json!({ "issued": issued }))
            .await?;
        // A programme run under an agreement counts its completers as that agreement's outcome
        // ("UMKM reached"), in the same transaction: the cooperation dashboard shows what the
        // training delivered without anyone typing it twice.
        let programme = super::read_programme(&mut tx, &tenant, w.programme).await?;
        if let (Some(agreement), true) = (programme.agreement_id, issued > 0) {
            let day = time::OffsetDateTime::now_utc().date();
            let outcome = uuid::Uuid::now_v7();
            tx.execute(
                Query::insert()
                    .into_table(Outcomes::Table)
                    .columns([
                        Outcomes::TenantCode,
                        Outcomes::Id,
                        Outcomes::AgreementId,
                        Outcomes::Kind,
                        Outcomes::Label,
                        Outcomes::Unit,
                        Outcomes::Value,
                        Outcomes::Period,
                        Outcomes::Evidence,
                        Outcomes::RecordedOn,
                        Outcomes::CreatedAt,
                    ])
                    .values_panic([
                        tenant.as_str().into(),
                        outcome.into(),
                        agreement.as_uuid().into(),
                        sinergi_domain::cooperation::outcomes::OutcomeKind::UmkmReached.slug().into(),
                        format!("{} — gelombang {}", programme.title, w.number).into(),
                        "unit usaha".into(),
                        i64::from(issued).into(),
                        w.sessions
                            .first()
                            .map(|s| s.day.get(..4).unwrap_or_default().to_owned())
                            .unwrap_or_default()
                            .into(),
                        Some(format!("Sertifikat program UMKM, gelombang {}", w.number)).into(),
                        day.to_string().into(),
                        now_ms().into(),
                    ]),
            )
            .await?;
            crate::audit::record(
                &mut tx,
                actor,
                crate::audit::Change {
                    tenant: Some(&tenant),
                    action: "add_outcome",
                    record_type: crate::audit::RecordType::Agreement,
                    record_id: agreement.to_string(),
                    before: None,
                    after: Some(
                        serde_json::json!({ "kind": "umkm-reached", "value": issued, "wave": wave.to_string() }),
                    ),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(issued)
    }

    /// The certificate codes of a wave, by application.
    pub async fn wave_certificates(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        wave: WaveId,
    ) -> Result<BTreeMap<ApplicationId, String>> {
        let tenant = programme_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        read_wave(&mut tx, &tenant, wave).await?;
        let apps = read_applications(&mut tx, &tenant, wave).await?;
        codes(&mut tx, &tenant, &apps).await
    }

    /// The public verification of a certificate by its code: no login, any Pemda.
    pub async fn verify_certificate(&self, code: &str) -> Result<CertificateView> {
        let code: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
        if code.len() != 12 {
            return Err(StoreError::NotFound);
        }
        let code = format!("{}-{}-{}", &code[0..4], &code[4..8], &code[8..12]);
        #[derive(sqlx::FromRow)]
        struct C {
            tenant_code: String,
            application_id: Uuid,
            issued_at: i64,
        }
        let mut tx = self.begin_read().await?;
        let c: C = tx
            .fetch_optional(
                Query::select()
                    .columns([
                        ProgrammeCertificates::TenantCode,
                        ProgrammeCertificates::ApplicationId,
                        ProgrammeCertificates::IssuedAt,
                    ])
                    .from(ProgrammeCertificates::Table)
                    .and_where(Expr::col(ProgrammeCertificates::Code).eq(code.as_str())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let tenant = RegionCode::parse(&c.tenant_code).map_err(|_| StoreError::Corrupt("certificate tenant".into()))?;
        #[derive(sqlx::FromRow)]
        struct A {
            wave_id: Uuid,
        }
        let a: A = tx
            .fetch_optional(
                Query::select()
                    .column(WaveApplications::WaveId)
                    .from(WaveApplications::Table)
                    .and_where(Expr::col(WaveApplications::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(WaveApplications::Id).eq(c.application_id)),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let wave = read_wave(&mut tx, &tenant, WaveId::from_uuid(a.wave_id)).await?;
        let app = read_applications(&mut tx, &tenant, wave.id)
            .await?
            .into_iter()
            .find(|x| x.id.as_uuid() == c.application_id)
            .ok_or(StoreError::NotFound)?;
        #[derive(sqlx::FromRow)]
        struct T {
            title: String,
        }
        let p: T = tx
            .fetch_optional(
                Query::select()
                    .column(Programmes::Title)
                    .from(Programmes::Table)
                    .and_where(Expr::col(Programmes::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(Programmes::Id).eq(wave.programme.as_uuid())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let sessions: Vec<SessionId> = wave.sessions.iter().map(|s| s.id).collect();
        let attendance = read_attendance(&mut tx, &tenant, &sessions).await?;
        Ok(CertificateView {
            code,
            business_name: app.business_name,
            programme_title: p.title,
            wave_number: wave.number,
            tenant,
            first_day: wave.sessions.first().map(|s| s.day.clone()),
            last_day: wave.sessions.last().map(|s| s.day.clone()),
            sessions_attended: attendance.count(app.id) as u32,
            sessions: sessions.len() as u32,
            issued_at_ms: c.issued_at,
        })
    }

    /// Record a follow-up survey (3, 6 or 12 months) for a participant, by an officer; once
    /// per participant and month (a second answer replaces the first).
    pub async fn record_follow_up(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        application: ApplicationId,
        months: u8,
        answers: FollowUpAnswers,
    ) -> Result<()> {
        let tenant = programme_tenant(actor, Permission::ManageUmkm, tenant)?;
        if !FOLLOW_UP_MONTHS.contains(&months) {
            return Err(StoreError::Invalid(FieldError::new("months", "invalid-choice")));
        }
        let mut tx = self.begin().await?;
        tx.check_in_tenant(
            (WaveApplications::Table, WaveApplications::TenantCode, WaveApplications::Id),
            &tenant,
            application.as_uuid(),
            "application",
        )
        .await?;
        write_follow_up(&mut tx, actor, &tenant, application, months, &answers, false).await?;
        tx.commit().await
    }

    /// The follow-ups of a wave's participants.
    pub async fn wave_follow_ups(&self, actor: &Actor, tenant: &RegionCode, wave: WaveId) -> Result<Vec<FollowUpRow>> {
        let tenant = programme_tenant(actor, Permission::ViewUmkm, tenant)?;
        let mut tx = self.begin_read().await?;
        read_wave(&mut tx, &tenant, wave).await?;
        let apps = read_applications(&mut tx, &tenant, wave).await?;
        #[derive(sqlx::FromRow)]
        struct F {
            application_id: Uuid,
            months: i32,
            sales: Option<i64>,
            employees: Option<i32>,
            permits_obtained: String,
            new_channels: String,
            note: Option<String>,
            by_owner: bool,
            filled_by: String,
            filled_at: i64,
        }
        let mut out = Vec::new();
        let ids: Vec<Uuid> = apps.iter().map(|a| a.id.as_uuid()).collect();
        for chunk in ids.chunks(500) {
            let rows: Vec<F> = tx
                .fetch_all(
                    Query::select()
                        .columns([
                            FollowUps::ApplicationId,
                            FollowUps::Months,
                            FollowUps::Sales,
                            FollowUps::Employees,
                            FollowUps::PermitsObtained,
                            FollowUps::NewChannels,
                            FollowUps::Note,
                            FollowUps::ByOwner,
                            FollowUps::FilledBy,
                            FollowUps::FilledAt,
                        ])
                        .from(FollowUps::Table)
                        .and_where(Expr::col(FollowUps::TenantCode).eq(tenant.as_str()))
                        .and_where(Expr::col(FollowUps::ApplicationId).is_in(chunk.iter().copied()))
                        .order_by(FollowUps::Months, Order::Asc),
                )
                .await?;
            out.extend(rows.into_iter().map(|f| FollowUpRow {
                application: ApplicationId::from_uuid(f.application_id),
                months: u8::try_from(f.months).unwrap_or(0),
                answers: FollowUpAnswers {
                    sales: f.sales,
                    employees: f.employees.and_then(|e| u32::try_from(e).ok()),
                    permits_obtained: serde_json::from_str(&f.permits_obtained).unwrap_or_default(),
                    new_channels: serde_json::from_str(&f.new_channels).unwrap_or_default(),
                    note: f.note,
                },
                by_owner: f.by_owner,
                filled_by: f.filled_by,
                filled_at_ms: f.filled_at,
            }));
        }
        Ok(out)
    }
}

/// How a participant is found at check-in.
#[derive(Debug, Clone, Copy)]
pub enum CheckInBy<'a> {
    /// The invitation code, as scanned from the QR or typed (case and dashes ignored).
    Code(&'a str),
    Application(ApplicationId),
}

async fn read_attendance(tx: &mut crate::db::Tx, tenant: &RegionCode, sessions: &[SessionId]) -> Result<Attendance> {
    if sessions.is_empty() {
        return Ok(Attendance::default());
    }
    #[derive(sqlx::FromRow)]
    struct Present {
        session_id: Uuid,
        application_id: Uuid,
    }
    let rows: Vec<Present> = tx
        .fetch_all(
            Query::select()
                .columns([SessionAttendance::SessionId, SessionAttendance::ApplicationId])
                .from(SessionAttendance::Table)
                .and_where(Expr::col(SessionAttendance::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(SessionAttendance::SessionId).is_in(sessions.iter().map(|s| s.as_uuid()))),
        )
        .await?;
    let mut a = Attendance::default();
    for r in rows {
        a.by_application
            .entry(ApplicationId::from_uuid(r.application_id))
            .or_default()
            .push(SessionId::from_uuid(r.session_id));
    }
    Ok(a)
}

pub(super) async fn codes(
    tx: &mut crate::db::Tx,
    tenant: &RegionCode,
    apps: &[ApplicationRow],
) -> Result<BTreeMap<ApplicationId, String>> {
    codes_of(tx, tenant, &apps.iter().map(|a| a.id).collect::<Vec<_>>()).await
}

async fn certified(
    tx: &mut crate::db::Tx,
    tenant: &RegionCode,
    apps: &[ApplicationRow],
) -> Result<HashSet<ApplicationId>> {
    Ok(codes(tx, tenant, apps).await?.into_keys().collect())
}

/// One survey answer, replacing an earlier answer for the same month.
pub(super) async fn write_follow_up(
    tx: &mut crate::db::Tx,
    actor: &Actor,
    tenant: &RegionCode,
    application: ApplicationId,
    months: u8,
    answers: &FollowUpAnswers,
    by_owner: bool,
) -> Result<()> {
    tx.execute(
        Query::delete()
            .from_table(FollowUps::Table)
            .and_where(Expr::col(FollowUps::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(FollowUps::ApplicationId).eq(application.as_uuid()))
            .and_where(Expr::col(FollowUps::Months).eq(i32::from(months))),
    )
    .await?;
    let list = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    tx.execute(
        Query::insert()
            .into_table(FollowUps::Table)
            .columns([
                FollowUps::TenantCode,
                FollowUps::Id,
                FollowUps::ApplicationId,
                FollowUps::Months,
                FollowUps::Sales,
                FollowUps::Employees,
                FollowUps::PermitsObtained,
                FollowUps::NewChannels,
                FollowUps::Note,
                FollowUps::ByOwner,
                FollowUps::FilledBy,
                FollowUps::FilledAt,
            ])
            .values_panic([
                tenant.as_str().into(),
                Uuid::now_v7().into(),
                application.as_uuid().into(),
                i32::from(months).into(),
                answers.sales.into(),
                answers.employees.and_then(|e| i32::try_from(e).ok()).into(),
                list(&answers.permits_obtained).into(),
                list(&answers.new_channels).into(),
                answers.note.clone().into(),
                by_owner.into(),
                actor.label.clone().into(),
                now_ms().into(),
            ]),
    )
    .await?;
    audit(
        tx,
        actor,
        tenant,
        application.to_string(),
        "record_follow_up",
        serde_json::json!({
            "months": months,
            "sales": answers.sales,
            "employees": answers.employees,
            "by_owner": by_owner,
        }),
    )
    .await?;
    Ok(())
}

/// The certificate codes of some applications.
pub(super) async fn codes_of(
    tx: &mut crate::db::Tx,
    tenant: &RegionCode,
    ids: &[ApplicationId],
) -> Result<BTreeMap<ApplicationId, String>> {
    #[derive(sqlx::FromRow)]
    struct Code {
        application_id: Uuid,
        code: String,
    }
    let mut out = BTreeMap::new();
    let ids: Vec<Uuid> = ids.iter().map(|a| a.as_uuid()).collect();
    for chunk in ids.chunks(500) {
        let rows: Vec<Code> = tx
            .fetch_all(
                Query::select()
                    .columns([ProgrammeCertificates::ApplicationId, ProgrammeCertificates::Code])
                    .from(ProgrammeCertificates::Table)
                    .and_where(Expr::col(ProgrammeCertificates::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(ProgrammeCertificates::ApplicationId).is_in(chunk.iter().copied())),
            )
            .await?;
        out.extend(rows.into_iter().map(|r| (ApplicationId::from_uuid(r.application_id), r.code)));
    }
    Ok(out)
}

//! Running a wave: inviting the selected (email through the outbox, and a WhatsApp message the
//! officer sends from their phone), the invitation with its QR code, check-in per session on a
//! phone, certificates (PDF, with a code anyone can verify at /sertifikat), the participants'
//! list as XLSX and the follow-up surveys.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::programme::FOLLOW_UP_MONTHS;
use sinergi_domain::umkm::parse_rupiah;
use sinergi_domain::{ApplicationId, WaveId};
use sinergi_io::certificate::{CertificateText, certificate_pdf};
use sinergi_io::export::{Sheet, Value, xlsx};
use sinergi_io::pdf::PageLabels;
use sinergi_store::programmes::{ApplicationRow, CheckInBy, Decision, FollowUpAnswers, Invitation, Programme, Wave};

use super::exports::{PDF, XLSX, download, letterhead};
use super::programmes::{
    application_id, day_label, decision_label, reason_lines, session_id, status_label, wave_id, wave_page, when_where,
};
use super::umkm::{region_name, tenant_of};
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

/// The address this request came to, for links printed on paper (certificates, invitations).
pub(crate) fn origin(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// The invitation text, the same in the email and in the WhatsApp message.
fn invitation_text(tr: Tr, p: &Programme, w: &Wave, a: &ApplicationRow) -> (String, String) {
    let title = format!("{} — {} {}", p.title, tr.t("wave"), w.number);
    let subject = tr.t1("invitation-subject", "title", &title);
    let sessions: Vec<String> = w
        .sessions
        .iter()
        .map(|s| {
            format!(
                "- {}{} · {}",
                day_label(tr, &s.day),
                s.starts.as_ref().map(|t| format!(" {t}")).unwrap_or_default(),
                s.venue
            )
        })
        .collect();
    let body = tr.targs(
        "invitation-body",
        &[
            ("business", a.business_name.clone()),
            ("title", title),
            ("sessions", sessions.join("\n")),
            ("code", a.invitation_code.clone()),
        ],
    );
    (subject, body)
}

/// Queue the invitation email to every selected participant not invited yet.
pub async fn invite(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&id)?;
    let w = state.store.wave(&auth.actor, &tenant, wave).await?;
    let p = state.store.programme(&auth.actor, &tenant, w.programme).await?;
    let apps = state.store.wave_applications(&auth.actor, &tenant, wave).await?;
    let invitations: Vec<Invitation> = apps
        .iter()
        .filter(|a| a.decision() == Some(Decision::Selected) && a.notified_at_ms.is_none())
        .map(|a| {
            let (subject, body) = invitation_text(tr, &p, &w, a);
            Invitation { application: a.id, subject, body }
        })
        .collect();
    match state.store.queue_wave_invitations(&auth.actor, &tenant, wave, invitations).await {
        Ok(s) => Ok(see_other(&format!("/program/gelombang/{wave}?pesan=invited:{}", s.queued))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            Ok(render_invalid(&wave_page(&state, &auth, wave, "", None, String::new(), errors).await?))
        }
    }
}

/// The QR code of an invitation code, as inline SVG.
pub(crate) fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

#[derive(Template)]
#[template(path = "wave_invitation.html")]
struct InvitationPage {
    shell: Shell,
    w: Wave,
    a: ApplicationRow,
    title: String,
    when_where: String,
    message: String,
    qr: String,
    code: String,
}

pub async fn invitation(
    State(state): State<AppState>,
    auth: Authed,
    Path((wave, application)): Path<(String, String)>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&wave)?;
    let application = application_id(&application)?;
    let w = state.store.wave(&auth.actor, &tenant, wave).await?;
    let p = state.store.programme(&auth.actor, &tenant, w.programme).await?;
    let a = state
        .store
        .wave_applications(&auth.actor, &tenant, wave)
        .await?
        .into_iter()
        .find(|a| a.id == application && a.decision() == Some(Decision::Selected))
        .ok_or(AppError::NotFound)?;
    let (_, message) = invitation_text(tr, &p, &w, &a);
    Ok(render(&InvitationPage {
        shell: Shell::new(&auth.ctx, "invitation-title"),
        title: format!("{} — {} {}", p.title, tr.t("wave"), w.number),
        when_where: when_where(tr, &w),
        qr: qr_svg(&a.invitation_code),
        code: pretty_code(&a.invitation_code),
        message,
        w,
        a,
    }))
}

/// "K7QM2XHD" as "K7QM-2XHD": easier to read out over the phone.
fn pretty_code(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Open WhatsApp with the invitation for one participant. The phone number is personal data:
/// it never appears in a page; this audited step hands it to WhatsApp.
pub async fn whatsapp(
    State(state): State<AppState>,
    auth: Authed,
    Path((wave, application)): Path<(String, String)>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&wave)?;
    let application = application_id(&application)?;
    let w = state.store.wave(&auth.actor, &tenant, wave).await?;
    let p = state.store.programme(&auth.actor, &tenant, w.programme).await?;
    let contact = state.store.participant_contact(&auth.actor, &tenant, wave, application).await?;
    let (_, message) = invitation_text(tr, &p, &w, &contact.application);
    let text: String = url_encode(&message);
    // wa.me wants the number in international form without "+"; without a number WhatsApp
    // lets the officer pick the chat.
    let to = contact
        .phone
        .as_deref()
        .and_then(|p| sinergi_domain::umkm::Phone::parse(p).ok())
        .map(|p| p.e164().trim_start_matches('+').to_owned())
        .unwrap_or_default();
    Ok(Redirect::to(&format!("https://wa.me/{to}?text={text}")).into_response())
}

fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("t", s)]).map(|e| e.trim_start_matches("t=").to_owned()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Check-in

pub struct Participant {
    pub id: ApplicationId,
    pub number: u32,
    pub name: String,
    pub kecamatan: String,
    pub present: bool,
}

#[derive(Template)]
#[template(path = "wave_checkin.html")]
struct CheckInPage {
    shell: Shell,
    w: Wave,
    session_id: String,
    session_label: String,
    q: String,
    participants: Vec<Participant>,
    present: usize,
    selected: usize,
    done: Option<(String, bool)>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct CheckInQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    hadir: String,
    #[serde(default)]
    baru: String,
}

async fn check_in_page(
    state: &AppState,
    auth: &Authed,
    wave: WaveId,
    session: &str,
    q: String,
    done: Option<(String, bool)>,
    errors: FormErrors,
) -> AppResult<CheckInPage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let w = state.store.wave(&auth.actor, &tenant, wave).await?;
    let sid = session_id(session)?;
    let s = w.sessions.iter().find(|s| s.id == sid).ok_or(AppError::NotFound)?;
    let session_label = format!("{} · {}", day_label(tr, &s.day), s.venue);
    let apps = state.store.wave_applications(&auth.actor, &tenant, wave).await?;
    let attendance = state.store.wave_attendance(&auth.actor, &tenant, wave).await?;
    let selected: Vec<&ApplicationRow> = apps.iter().filter(|a| a.decision() == Some(Decision::Selected)).collect();
    let needle = q.trim().to_lowercase();
    let participants: Vec<Participant> = selected
        .iter()
        .filter(|a| needle.is_empty() || a.business_name.to_lowercase().contains(&needle))
        .map(|a| Participant {
            id: a.id,
            number: a.number,
            name: a.business_name.clone(),
            kecamatan: region_name(a.kecamatan.as_ref()),
            present: attendance.attended(a.id, sid),
        })
        .collect();
    let present = selected.iter().filter(|a| attendance.attended(a.id, sid)).count();
    Ok(CheckInPage {
        shell: Shell::new(&auth.ctx, "checkin-title"),
        session_id: sid.to_string(),
        session_label,
        q,
        participants,
        present,
        selected: selected.len(),
        done,
        errors,
        w,
    })
}

pub async fn check_in_form(
    State(state): State<AppState>,
    auth: Authed,
    Path((wave, session)): Path<(String, String)>,
    Query(q): Query<CheckInQuery>,
) -> AppResult<Response> {
    let done = (!q.hadir.is_empty()).then(|| (q.hadir.clone(), q.baru == "1"));
    Ok(render(&check_in_page(&state, &auth, wave_id(&wave)?, &session, q.q, done, FormErrors::default()).await?))
}

#[derive(Deserialize, Default)]
pub struct CheckInForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    application: String,
    #[serde(default)]
    q: String,
}

pub async fn check_in(
    State(state): State<AppState>,
    auth: Authed,
    Path((wave, session)): Path<(String, String)>,
    Form(form): Form<CheckInForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&wave)?;
    let sid = session_id(&session)?;
    let w = state.store.wave(&auth.actor, &tenant, wave).await?;
    if !w.sessions.iter().any(|s| s.id == sid) {
        return Err(AppError::NotFound);
    }
    let by_app = form.application.parse::<ApplicationId>().ok();
    let who = match by_app {
        Some(a) => CheckInBy::Application(a),
        None => CheckInBy::Code(&form.code),
    };
    let mut errors = FormErrors::default();
    match state.store.check_in(&auth.actor, &tenant, wave, sid, who).await {
        Ok((a, new)) => {
            let name = url_encode(&a.business_name);
            let q = url_encode(&form.q);
            return Ok(see_other(&format!(
                "/program/gelombang/{wave}/sesi/{sid}?hadir={name}&baru={}&q={q}",
                u8::from(new)
            )));
        }
        Err(e) => errors.absorb(tr, e.into())?,
    }
    Ok(render_invalid(&check_in_page(&state, &auth, wave, &session, form.q, None, errors).await?))
}

// ---------------------------------------------------------------------------------------------
// Certificates

pub async fn issue_certificates(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&id)?;
    match state.store.issue_certificates(&auth.actor, &tenant, wave).await {
        Ok(n) => Ok(see_other(&format!("/program/gelombang/{wave}?pesan=certified:{n}"))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            Ok(render_invalid(&wave_page(&state, &auth, wave, "", None, String::new(), errors).await?))
        }
    }
}

/// A certificate as PDF, for an officer to print or send.
pub async fn certificate(
    State(state): State<AppState>,
    auth: Authed,
    headers: HeaderMap,
    Path((wave, application)): Path<(String, String)>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&wave)?;
    let application = application_id(&application)?;
    let codes = state.store.wave_certificates(&auth.actor, &tenant, wave).await?;
    let code = codes.get(&application).ok_or(AppError::NotFound)?;
    let view = state.store.verify_certificate(code).await?;
    let (_, slug) = letterhead(&auth);
    let bytes = certificate_bytes(auth.ctx.tr(), &view, &origin(&state, &headers)).await?;
    Ok(download(bytes, PDF, &format!("sertifikat-{slug}-{}.pdf", view.code)))
}

pub(crate) async fn certificate_bytes(
    tr: Tr,
    view: &sinergi_store::programmes::CertificateView,
    origin: &str,
) -> AppResult<Vec<u8>> {
    let region =
        sinergi_reference::region(&view.tenant).map(|r| r.name.clone()).unwrap_or_else(|| view.tenant.to_string());
    let issuer = tr.t1("pdf-issuer", "name", region).to_uppercase();
    let title = tr.t("certificate-title");
    let given_to = tr.t("certificate-given-to");
    let for_taking_part = tr.t("certificate-for");
    let programme = format!("{}, {} {}", view.programme_title, tr.t("wave"), view.wave_number);
    let days = match (&view.first_day, &view.last_day) {
        (Some(a), Some(b)) if a != b => format!("{} – {}", day_label(tr, a), day_label(tr, b)),
        (Some(a), _) => day_label(tr, a),
        _ => String::new(),
    };
    let facts = vec![
        (tr.t("certificate-sessions"), format!("{} / {}", view.sessions_attended, view.sessions)),
        (tr.t("certificate-issued"), tr.datetime_ms(view.issued_at_ms)),
        (tr.t("certificate-code"), view.code.clone()),
    ];
    let verify =
        tr.targs("certificate-verify", &[("url", format!("{origin}/sertifikat")), ("code", view.code.clone())]);
    let now = time::OffsetDateTime::now_utc();
    let generated = tr.t1("pdf-generated", "when", sinergi_domain::format::format_datetime(now, tr.locale));
    let (page, of) = (tr.t("pdf-page"), tr.t("pdf-of"));
    let generated_unix = now.unix_timestamp();
    let text = CertificateText {
        issuer: &issuer,
        title: &title,
        given_to: &given_to,
        recipient: &view.business_name,
        for_taking_part: &for_taking_part,
        programme: &programme,
        when_where: &days,
        facts: &facts,
        verify: &verify,
        generated: &generated,
        generated_unix,
        labels: PageLabels { page: &page, of: &of },
    };
    Ok(certificate_pdf(&text))
}

// ---------------------------------------------------------------------------------------------
// The public verification page

#[derive(Template)]
#[template(path = "certificate_verify.html")]
struct VerifyPage {
    shell: Shell,
    code: String,
    found: Option<VerifiedView>,
    not_found: bool,
}

pub struct VerifiedView {
    pub business: String,
    pub programme: String,
    pub issuer: String,
    pub days: String,
    pub sessions: String,
    pub issued: String,
    pub code: String,
}

#[derive(Deserialize, Default)]
pub struct VerifyQuery {
    #[serde(default)]
    kode: String,
}

pub async fn verify(
    State(state): State<AppState>,
    ctx: crate::auth::Ctx,
    Query(q): Query<VerifyQuery>,
) -> AppResult<Response> {
    let tr = ctx.tr();
    let code = q.kode.trim().to_owned();
    let (found, not_found) = if code.is_empty() {
        (None, false)
    } else {
        match state.store.verify_certificate(&code).await {
            Ok(v) => {
                let region = sinergi_reference::region(&v.tenant)
                    .map(|r| r.name.clone())
                    .unwrap_or_else(|| v.tenant.to_string());
                let days = match (&v.first_day, &v.last_day) {
                    (Some(a), Some(b)) if a != b => format!("{} – {}", day_label(tr, a), day_label(tr, b)),
                    (Some(a), _) => day_label(tr, a),
                    _ => "—".into(),
                };
                (
                    Some(VerifiedView {
                        business: v.business_name,
                        programme: format!("{}, {} {}", v.programme_title, tr.t("wave"), v.wave_number),
                        issuer: tr.t1("pdf-issuer", "name", region),
                        days,
                        sessions: format!("{} / {}", v.sessions_attended, v.sessions),
                        issued: tr.datetime_ms(v.issued_at_ms),
                        code: v.code,
                    }),
                    false,
                )
            }
            Err(sinergi_store::StoreError::NotFound) => (None, true),
            Err(e) => return Err(e.into()),
        }
    };
    let page = VerifyPage { shell: Shell::new(&ctx, "certificate-verify-title"), code, found, not_found };
    if page.not_found {
        // A wrong code is an answer, not an error page; 404 tells scripts the same.
        let mut r = render(&page);
        *r.status_mut() = axum::http::StatusCode::NOT_FOUND;
        return Ok(r);
    }
    Ok(render(&page))
}

// ---------------------------------------------------------------------------------------------
// The participants' list

pub async fn participants_xlsx(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&id)?;
    let w = state.store.wave(&auth.actor, &tenant, wave).await?;
    let p = state.store.programme(&auth.actor, &tenant, w.programme).await?;
    let apps = state.store.wave_applications(&auth.actor, &tenant, wave).await?;
    let attendance = state.store.wave_attendance(&auth.actor, &tenant, wave).await?;
    let certificates = state.store.wave_certificates(&auth.actor, &tenant, wave).await?;
    let headers: Vec<String> = [
        "export-number",
        "umkm-field-name",
        "umkm-field-kecamatan",
        "application-channel",
        "application-decision",
        "application-rank",
        "application-reasons",
        "checkin-present",
        "certificate-code",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let rows: Vec<Vec<Value>> = apps
        .iter()
        .filter(|a| !a.withdrawn)
        .map(|a| {
            vec![
                Value::Number(f64::from(a.number)),
                Value::Text(a.business_name.clone()),
                Value::Text(region_name(a.kecamatan.as_ref())),
                Value::Text(tr.t(&format!("application-channel-{}", a.channel.slug()))),
                Value::Text(decision_label(tr, a.decision())),
                a.rank.map(|r| Value::Number(f64::from(r))).unwrap_or(Value::Empty),
                Value::Text(reason_lines(tr, a).join("; ")),
                Value::Number(attendance.count(a.id) as f64),
                certificates.get(&a.id).map(|c| Value::Text(c.clone())).unwrap_or(Value::Empty),
            ]
        })
        .collect();
    let title = format!("{} — {} {}", p.title, tr.t("wave"), w.number);
    let subtitle = format!("{} · {}", status_label(tr, w.status), when_where(tr, &w));
    let bytes = xlsx(&Sheet {
        name: &tr.t("export-participants-sheet"),
        title: &title,
        subtitle: &subtitle,
        headers: &headers,
        rows: &rows,
    })
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let (_, slug) = letterhead(&auth);
    Ok(download(bytes, XLSX, &format!("peserta-{slug}-gelombang-{}.xlsx", w.number)))
}

// ---------------------------------------------------------------------------------------------
// Follow-up surveys

#[derive(Deserialize, Default, Clone)]
pub struct FollowUpForm {
    #[serde(default)]
    pub months: String,
    #[serde(default)]
    pub sales: String,
    #[serde(default)]
    pub employees: String,
    #[serde(default)]
    pub permits: String,
    #[serde(default)]
    pub channels: String,
    #[serde(default)]
    pub note: String,
}

impl FollowUpForm {
    pub(crate) fn parse(&self, tr: Tr, errors: &mut FormErrors) -> Option<(u8, FollowUpAnswers)> {
        let months = self.months.trim().parse::<u8>().ok().filter(|m| FOLLOW_UP_MONTHS.contains(m));
        if months.is_none() {
            errors.add(tr, &FieldError::new("months", "invalid-choice"));
        }
        let sales = match self.sales.trim() {
            "" => None,
            s => match parse_rupiah(s) {
                Ok(v) => Some(v),
                Err(_) => {
                    errors.add(tr, &FieldError::new("sales", "invalid-amount"));
                    None
                }
            },
        };
        let employees = match self.employees.trim() {
            "" => None,
            s => match s.parse::<u32>() {
                Ok(v) => Some(v),
                Err(_) => {
                    errors.add(tr, &FieldError::new("employees", "invalid-number"));
                    None
                }
            },
        };
        let list = |s: &str| -> Vec<String> {
            s.split([',', '\n']).map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()
        };
        let note = Some(self.note.trim().to_owned()).filter(|n| !n.is_empty());
        Some((
            months?,
            FollowUpAnswers {
                sales,
                employees,
                permits_obtained: list(&self.permits),
                new_channels: list(&self.channels),
                note,
            },
        ))
    }
}

#[derive(Template)]
#[template(path = "follow_up_form.html")]
pub(crate) struct FollowUpPage {
    pub shell: Shell,
    pub heading: String,
    pub business: String,
    pub action: String,
    pub back: String,
    pub values: FollowUpForm,
    pub answered: Vec<String>,
    pub errors: FormErrors,
}

async fn officer_follow_up_page(
    state: &AppState,
    auth: &Authed,
    wave: WaveId,
    application: ApplicationId,
    values: FollowUpForm,
    errors: FormErrors,
) -> AppResult<FollowUpPage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let w = state.store.wave(&auth.actor, &tenant, wave).await?;
    let p = state.store.programme(&auth.actor, &tenant, w.programme).await?;
    let a = state
        .store
        .wave_applications(&auth.actor, &tenant, wave)
        .await?
        .into_iter()
        .find(|a| a.id == application)
        .ok_or(AppError::NotFound)?;
    let answered = state
        .store
        .wave_follow_ups(&auth.actor, &tenant, wave)
        .await?
        .into_iter()
        .filter(|f| f.application == application)
        .map(|f| {
            let by = if f.by_owner { tr.t("follow-up-by-owner") } else { f.filled_by.clone() };
            format!(
                "{} · {} · {}",
                tr.t1("follow-up-months", "n", f.months),
                f.answers.sales.map(|s| tr.rupiah(s)).unwrap_or_else(|| "—".into()),
                by
            )
        })
        .collect();
    Ok(FollowUpPage {
        shell: Shell::new(&auth.ctx, "follow-up-title"),
        heading: format!("{} — {} {}", p.title, tr.t("wave"), w.number),
        business: a.business_name,
        action: format!("/program/gelombang/{wave}/tindak-lanjut/{application}"),
        back: format!("/program/gelombang/{wave}"),
        values,
        answered,
        errors,
    })
}

pub async fn follow_up_form(
    State(state): State<AppState>,
    auth: Authed,
    Path((wave, application)): Path<(String, String)>,
) -> AppResult<Response> {
    let values = FollowUpForm { months: "3".into(), ..Default::default() };
    Ok(render(
        &officer_follow_up_page(
            &state,
            &auth,
            wave_id(&wave)?,
            application_id(&application)?,
            values,
            FormErrors::default(),
        )
        .await?,
    ))
}

pub async fn save_follow_up(
    State(state): State<AppState>,
    auth: Authed,
    Path((wave, application)): Path<(String, String)>,
    Form(form): Form<FollowUpForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&wave)?;
    let application = application_id(&application)?;
    // 404 for another Pemda's or another wave's application, before reading the answers.
    let page = officer_follow_up_page(&state, &auth, wave, application, form.clone(), FormErrors::default()).await?;
    let mut errors = FormErrors::default();
    if let Some((months, answers)) = form.parse(tr, &mut errors)
        && errors.is_empty()
    {
        match state.store.record_follow_up(&auth.actor, &tenant, application, months, answers).await {
            Ok(()) => return Ok(see_other(&format!("/program/gelombang/{wave}?pesan=follow-up"))),
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    Ok(render_invalid(&FollowUpPage { errors, ..page }))
}

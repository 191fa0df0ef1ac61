//! An owner and the programmes: apply to an open wave with a verified business, see what
//! selection decided and why, show the invitation's QR code at the door, download the
//! certificate, and answer the follow-up surveys.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::programme::FOLLOW_UP_MONTHS;
use sinergi_domain::{ApplicationId, BusinessId};
use sinergi_store::programmes::{Decision, OwnApplication};

use super::exports::{PDF, download};
use super::programmes::{application_id, decision_label, reason_lines, wave_id, when_where};
use super::programmes_run::{FollowUpForm, FollowUpPage, certificate_bytes, origin};
use super::umkm::tenant_of;
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};

pub struct OpenView {
    pub wave: String,
    pub title: String,
    pub when_where: String,
    pub closes: String,
    pub criteria: Vec<String>,
}

pub struct MineView {
    pub id: ApplicationId,
    pub title: String,
    pub when_where: String,
    pub business: String,
    pub decision: String,
    pub selected: bool,
    pub reasons: Vec<String>,
    pub qr: String,
    pub code: String,
    pub certificate: bool,
    pub follow_up: Vec<u8>,
}

#[derive(Template)]
#[template(path = "programmes_mine.html")]
struct MinePage {
    shell: Shell,
    open: Vec<OpenView>,
    businesses: Vec<(BusinessId, String)>,
    mine: Vec<MineView>,
    errors: FormErrors,
    failed: String,
    notice: Option<String>,
}

async fn mine_page(
    state: &AppState,
    auth: &Authed,
    failed: String,
    errors: FormErrors,
    notice: Option<String>,
) -> AppResult<MinePage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let businesses: Vec<(BusinessId, String)> = state
        .store
        .owned_umkm_businesses(&auth.actor, &tenant)
        .await?
        .into_iter()
        .map(|d| (d.business.id, d.business.name))
        .collect();
    let open = state
        .store
        .open_waves(&auth.actor, &tenant)
        .await?
        .into_iter()
        .map(|o| OpenView {
            wave: o.wave.id.to_string(),
            title: format!("{} — {} {}", o.programme.title, tr.t("wave"), o.wave.number),
            when_where: when_where(tr, &o.wave),
            closes: o.wave.closes_on.as_deref().map(|d| super::programmes::day_label(tr, d)).unwrap_or_default(),
            criteria: o.wave.eligibility.criteria.clone(),
        })
        .collect();
    let mine = state
        .store
        .own_applications(&auth.actor, &tenant)
        .await?
        .into_iter()
        .map(|o: OwnApplication| {
            let selected = o.application.decision() == Some(Decision::Selected);
            let decided = o.application.outcome.is_some() || o.application.override_outcome.is_some();
            let follow_up = if o.certificate.is_some() {
                FOLLOW_UP_MONTHS.iter().copied().filter(|m| !o.answered.contains(m)).collect()
            } else {
                Vec::new()
            };
            MineView {
                id: o.application.id,
                title: format!("{} — {} {}", o.programme.title, tr.t("wave"), o.wave.number),
                when_where: when_where(tr, &o.wave),
                business: o.application.business_name.clone(),
                decision: if decided {
                    decision_label(tr, o.application.decision())
                } else {
                    tr.t("application-pending")
                },
                reasons: if decided { reason_lines(tr, &o.application) } else { Vec::new() },
                qr: if selected {
                    super::programmes_run::qr_svg(&o.application.invitation_code)
                } else {
                    String::new()
                },
                code: o.application.invitation_code.clone(),
                certificate: o.certificate.is_some(),
                follow_up,
                selected,
            }
        })
        .collect();
    Ok(MinePage {
        shell: Shell::new(&auth.ctx, "programmes-mine-title"),
        open,
        businesses,
        mine,
        errors,
        failed,
        notice,
    })
}

pub async fn mine(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<super::programmes::WaveQuery>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let notice = match q.pesan.as_str() {
        "applied" => Some(tr.t("notice-owner-applied")),
        "follow-up" => Some(tr.t("notice-owner-follow-up")),
        _ => None,
    };
    Ok(render(&mine_page(&state, &auth, String::new(), FormErrors::default(), notice).await?))
}

#[derive(Deserialize, Default)]
pub struct ApplyForm {
    #[serde(default)]
    business: String,
    #[serde(default)]
    criteria: Vec<String>,
}

pub async fn apply(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<ApplyForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&id)?;
    // A wave that is not open in the owner's Pemda is not found, whatever the form says.
    if !state.store.open_waves(&auth.actor, &tenant).await?.iter().any(|o| o.wave.id == wave) {
        return Err(AppError::NotFound);
    }
    let mut errors = FormErrors::default();
    match form.business.parse::<BusinessId>() {
        Ok(b) => match state.store.apply_as_owner(&auth.actor, &tenant, wave, b, form.criteria).await {
            Ok(_) => return Ok(see_other("/usaha-saya/program?pesan=applied")),
            Err(sinergi_store::StoreError::NotFound) => return Err(AppError::NotFound),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(_) => errors.add(tr, &FieldError::new("business", "invalid-choice")),
    }
    Ok(render_invalid(&mine_page(&state, &auth, wave.to_string(), errors, None).await?))
}

/// The owner's own application, or 404.
async fn own(state: &AppState, auth: &Authed, application: ApplicationId) -> AppResult<OwnApplication> {
    let tenant = tenant_of(&auth.actor)?;
    state
        .store
        .own_applications(&auth.actor, &tenant)
        .await?
        .into_iter()
        .find(|o| o.application.id == application)
        .ok_or(AppError::NotFound)
}

pub async fn certificate(
    State(state): State<AppState>,
    auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let o = own(&state, &auth, application_id(&id)?).await?;
    let code = o.certificate.ok_or(AppError::NotFound)?;
    let view = state.store.verify_certificate(&code).await?;
    let bytes = certificate_bytes(auth.ctx.tr(), &view, &origin(&state, &headers)).await?;
    Ok(download(bytes, PDF, &format!("sertifikat-{}.pdf", view.code)))
}

fn follow_up_page(auth: &Authed, o: &OwnApplication, values: FollowUpForm, errors: FormErrors) -> FollowUpPage {
    let tr = auth.ctx.tr();
    FollowUpPage {
        shell: Shell::new(&auth.ctx, "follow-up-title"),
        heading: format!("{} — {} {}", o.programme.title, tr.t("wave"), o.wave.number),
        business: o.application.business_name.clone(),
        action: format!("/usaha-saya/program/tindak-lanjut/{}", o.application.id),
        back: "/usaha-saya/program".into(),
        values,
        answered: o.answered.iter().map(|m| tr.t1("follow-up-months", "n", m)).collect(),
        errors,
    }
}

pub async fn follow_up_form(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let o = own(&state, &auth, application_id(&id)?).await?;
    if o.certificate.is_none() {
        return Err(AppError::NotFound);
    }
    let next = FOLLOW_UP_MONTHS.iter().find(|m| !o.answered.contains(m)).copied().unwrap_or(3);
    let values = FollowUpForm { months: next.to_string(), ..Default::default() };
    Ok(render(&follow_up_page(&auth, &o, values, FormErrors::default())))
}

pub async fn save_follow_up(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<FollowUpForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let o = own(&state, &auth, application_id(&id)?).await?;
    let mut errors = FormErrors::default();
    if let Some((months, answers)) = form.parse(tr, &mut errors)
        && errors.is_empty()
    {
        match state.store.record_own_follow_up(&auth.actor, &tenant, o.application.id, months, answers).await {
            Ok(()) => return Ok(see_other("/usaha-saya/program?pesan=follow-up")),
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    Ok(render_invalid(&follow_up_page(&auth, &o, form, errors)))
}

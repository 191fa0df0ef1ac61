//! Programmes for UMKM (trainings, mentoring, exhibitions, curation): the programme, its waves
//! with quotas per kecamatan and sessions, applicants entered by hand or imported through the
//! registry's importer, selection with the reason for every outcome, and overrides.
//!
//! Running a wave (invitations, check-in, certificates, follow-up) is in `programmes_run`; the
//! report is in `programmes_report`; owners' pages in `programmes_owner`.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::programme::{Eligibility, Funding, Ineligible, ProgrammeKind, Quotas, Waiting, WaveStatus};
use sinergi_domain::umkm::SizeClass;
use sinergi_domain::{
    AgencyId, ApplicationId, BusinessId, KbliCode, PledgeId, ProgrammeId, RegionCode, SessionId, WaveId,
};
use sinergi_store::programmes::{
    ApplicationRow, Channel, Decision, NewProgramme, NewSession, NewWave, Programme, Wave, reasons_of,
};
use sinergi_store::umkm::BusinessFilter;
use time::Date;

use super::umkm::{class_label, region_name, tenant_of};
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

pub(crate) fn programme_id(s: &str) -> AppResult<ProgrammeId> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub(crate) fn wave_id(s: &str) -> AppResult<WaveId> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub(crate) fn application_id(s: &str) -> AppResult<ApplicationId> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub(crate) fn session_id(s: &str) -> AppResult<SessionId> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// "17 Desember 2025" from a stored ISO day.
pub(crate) fn day_label(tr: Tr, iso: &str) -> String {
    Date::parse(iso, &time::format_description::well_known::Iso8601::DATE)
        .map(|d| sinergi_domain::format::format_date(d, tr.locale))
        .unwrap_or_else(|_| iso.to_owned())
}

/// "20–21 Oktober 2025 · Swiss-Belinn Modern Cikande": a wave's days and first venue.
pub(crate) fn when_where(tr: Tr, w: &Wave) -> String {
    let (Some(first), Some(last)) = (w.sessions.first(), w.sessions.last()) else {
        return "—".into();
    };
    let days = if first.day == last.day {
        day_label(tr, &first.day)
    } else {
        format!("{} – {}", day_label(tr, &first.day), day_label(tr, &last.day))
    };
    format!("{days} · {}", first.venue)
}

pub(crate) fn status_label(tr: Tr, s: WaveStatus) -> String {
    tr.t(&format!("wave-status-{}", s.slug()))
}

pub(crate) fn decision_label(tr: Tr, d: Option<Decision>) -> String {
    match d {
        Some(d) => tr.t(&format!("application-{}", d.slug())),
        None => tr.t("application-withdrawn"),
    }
}

/// Why an applicant got what they got, in words.
pub(crate) fn reason_lines(tr: Tr, a: &ApplicationRow) -> Vec<String> {
    let (ineligible, waiting, redistributed) = reasons_of(a);
    let mut out: Vec<String> = ineligible
        .iter()
        .map(|i| match i {
            Ineligible::OutsideArea => tr.t("why-outside-area"),
            Ineligible::ClassTooLarge { class, max } => tr.targs(
                "why-class-too-large",
                &[("class", class_label(tr, Some(*class))), ("max", class_label(tr, Some(*max)))],
            ),
            Ineligible::ClassUnknown => tr.t("why-class-unknown"),
            Ineligible::KbliNotCovered => tr.t("why-kbli"),
            Ineligible::NoNib => tr.t("why-no-nib"),
            Ineligible::TrainedRecently { wave } => tr.t1("why-trained-recently", "wave", wave),
            Ineligible::CriterionNotMet { criterion } => tr.t1("why-criterion", "criterion", criterion),
        })
        .collect();
    match waiting {
        Some(Waiting::KecamatanFull) => out.push(tr.t("why-kecamatan-full")),
        Some(Waiting::WaveFull) => out.push(tr.t("why-wave-full")),
        None => {}
    }
    if redistributed {
        out.push(tr.t("why-redistributed"));
    }
    if let Some(r) = &a.override_reason
        && a.override_outcome.is_some()
    {
        out.push(
            tr.targs("why-override", &[("who", a.override_by.clone().unwrap_or_default()), ("reason", r.clone())]),
        );
    }
    out
}

/// The kecamatan of the Pemda (for a kota or kabupaten; a province lists its kab/kota).
pub(crate) fn kecamatan_of_tenant(tenant: &RegionCode) -> Vec<(RegionCode, String)> {
    sinergi_reference::children(Some(tenant)).into_iter().map(|r| (r.code.clone(), r.name.clone())).collect()
}

// ---------------------------------------------------------------------------------------------
// Programmes

pub struct ProgrammeRow {
    pub id: ProgrammeId,
    pub title: String,
    pub kind: String,
    pub funding: String,
    pub waves: usize,
    pub latest: String,
}

#[derive(Template)]
#[template(path = "programmes.html")]
struct ListPage {
    shell: Shell,
    can_manage: bool,
    rows: Vec<ProgrammeRow>,
}

pub async fn list(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let mut rows = Vec::new();
    for p in state.store.programmes(&auth.actor, &tenant).await? {
        let waves = state.store.programme_waves(&auth.actor, &tenant, p.id).await?;
        let latest = waves
            .last()
            .map(|w| format!("{} {} · {}", tr.t("wave"), w.number, status_label(tr, w.status)))
            .unwrap_or_else(|| "—".into());
        rows.push(ProgrammeRow {
            id: p.id,
            kind: tr.t(&format!("programme-kind-{}", p.kind.slug())),
            funding: tr.t(&format!("funding-{}", p.funding.slug())),
            title: p.title,
            waves: waves.len(),
            latest,
        });
    }
    let can_manage = auth.actor.can(sinergi_domain::Permission::ManageUmkm);
    Ok(render(&ListPage { shell: Shell::new(&auth.ctx, "programmes-title"), can_manage, rows }))
}

#[derive(Deserialize, Default, Clone)]
pub struct ProgrammeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    funding: String,
    #[serde(default)]
    pledge: String,
    #[serde(default)]
    agreement: String,
}

#[derive(Template)]
#[template(path = "programme_form.html")]
struct ProgrammeFormPage {
    shell: Shell,
    values: ProgrammeForm,
    kinds: Vec<(String, String)>,
    fundings: Vec<(String, String)>,
    agencies: Vec<(String, String)>,
    pledges: Vec<(String, String)>,
    agreements: Vec<(String, String)>,
    errors: FormErrors,
}

async fn programme_form(
    state: &AppState,
    auth: &Authed,
    values: ProgrammeForm,
    errors: FormErrors,
) -> AppResult<ProgrammeFormPage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let agencies = state
        .store
        .agencies(&auth.actor, Some(&tenant))
        .await?
        .into_iter()
        .map(|a| (a.id.to_string(), a.name))
        .collect();
    let book = state.store.csr_book(&auth.actor, &tenant).await?;
    let pledges = book
        .needs
        .iter()
        .flat_map(|n| n.pledges.iter().map(move |p| (n, p)))
        .map(|(n, p)| (p.pledge.id.to_string(), format!("{} — {}", p.pledge.partner_name, n.need.title)))
        .collect();
    let agreements = state
        .store
        .portfolio(&auth.actor)
        .await?
        .agreements
        .iter()
        .map(|a| (a.id.to_string(), a.title.clone()))
        .collect();
    Ok(ProgrammeFormPage {
        shell: Shell::new(&auth.ctx, "programme-new"),
        values,
        kinds: ProgrammeKind::ALL
            .iter()
            .map(|k| (k.slug().to_owned(), tr.t(&format!("programme-kind-{}", k.slug()))))
            .collect(),
        fundings: Funding::ALL.iter().map(|f| (f.slug().to_owned(), tr.t(&format!("funding-{}", f.slug())))).collect(),
        agencies,
        pledges,
        agreements,
        errors,
    })
}

pub async fn new_programme(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let values = ProgrammeForm { kind: "pelatihan".into(), funding: "dak-non-fisik".into(), ..Default::default() };
    Ok(render(&programme_form(&state, &auth, values, FormErrors::default()).await?))
}

pub async fn create_programme(
    State(state): State<AppState>,
    auth: Authed,
    Form(form): Form<ProgrammeForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let mut errors = FormErrors::default();
    let kind =
        form.kind.parse::<ProgrammeKind>().map_err(|_| errors.add(tr, &FieldError::new("kind", "invalid-choice")));
    let funding =
        form.funding.parse::<Funding>().map_err(|_| errors.add(tr, &FieldError::new("funding", "invalid-choice")));
    let optional = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let agency = optional(&form.agency).map(|s| s.parse::<AgencyId>()).transpose();
    let pledge = optional(&form.pledge).map(|s| s.parse::<PledgeId>()).transpose();
    let agreement = optional(&form.agreement).map(|s| s.parse::<sinergi_domain::AgreementId>()).transpose();
    if agency.is_err() {
        errors.add(tr, &FieldError::new("agency_id", "invalid-choice"));
    }
    if pledge.is_err() {
        errors.add(tr, &FieldError::new("pledge_id", "invalid-choice"));
    }
    if agreement.is_err() {
        errors.add(tr, &FieldError::new("agreement_id", "invalid-choice"));
    }
    if let (Ok(kind), Ok(funding), Ok(agency_id), Ok(pledge_id), Ok(agreement_id)) =
        (kind, funding, agency, pledge, agreement)
    {
        let new = NewProgramme {
            kind,
            title: form.title.clone(),
            description: optional(&form.description),
            agency_id,
            funding,
            pledge_id,
            agreement_id,
        };
        match state.store.create_programme(&auth.actor, &tenant, new).await {
            Ok(id) => return Ok(see_other(&format!("/program/{id}"))),
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    Ok(render_invalid(&programme_form(&state, &auth, form, errors).await?))
}

pub struct WaveRow {
    pub id: WaveId,
    pub number: u32,
    pub status: String,
    pub when_where: String,
    pub seats: u32,
    pub applicants: usize,
    pub selected: usize,
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    shell: Shell,
    can_manage: bool,
    p: Programme,
    kind: String,
    funding: String,
    agency: Option<String>,
    waves: Vec<WaveRow>,
}

pub async fn show_programme(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let p = state.store.programme(&auth.actor, &tenant, programme_id(&id)?).await?;
    let mut waves = Vec::new();
    for w in state.store.programme_waves(&auth.actor, &tenant, p.id).await? {
        let apps = state.store.wave_applications(&auth.actor, &tenant, w.id).await?;
        waves.push(WaveRow {
            id: w.id,
            number: w.number,
            status: status_label(tr, w.status),
            when_where: when_where(tr, &w),
            seats: w.quotas.total,
            applicants: apps.iter().filter(|a| !a.withdrawn).count(),
            selected: apps.iter().filter(|a| a.decision() == Some(Decision::Selected)).count(),
        });
    }
    let agency = match p.agency_id {
        Some(a) => state.store.agency(&auth.actor, a).await.ok().map(|a| a.name),
        None => None,
    };
    Ok(render(&ProgrammePage {
        shell: Shell::new(&auth.ctx, "programmes-title"),
        can_manage: auth.actor.can(sinergi_domain::Permission::ManageUmkm),
        kind: tr.t(&format!("programme-kind-{}", p.kind.slug())),
        funding: tr.t(&format!("funding-{}", p.funding.slug())),
        agency,
        p,
        waves,
    }))
}

// ---------------------------------------------------------------------------------------------
// A new wave

/// How many session rows the form offers (a training of up to five days; more are added
/// later by a new wave or an edit).
const SESSION_ROWS: usize = 5;

#[derive(Deserialize, Default, Clone)]
pub struct SessionInput {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub topic: String,
}

/// The wave form as posted. Quotas come as `quota_<kecamatan code>` fields and sessions as
/// `day_<n>`, `venue_<n>`..., gathered by [`WaveForm::parse`].
#[derive(Deserialize, Default, Clone)]
pub struct WaveForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    total: String,
    #[serde(default)]
    redistribute: Option<String>,
    #[serde(default)]
    max_class: String,
    #[serde(default)]
    kbli: String,
    #[serde(default)]
    requires_nib: Option<String>,
    #[serde(default)]
    not_trained_in: String,
    #[serde(default)]
    criteria: String,
    #[serde(default)]
    min_attendance: String,
    #[serde(default)]
    closes_on: String,
    #[serde(flatten)]
    rest: BTreeMap<String, String>,
}

impl WaveForm {
    fn quota(&self, code: &RegionCode) -> String {
        self.rest.get(&format!("quota_{code}")).cloned().unwrap_or_default()
    }

    fn session(&self, i: usize) -> SessionInput {
        let get = |k: &str| self.rest.get(&format!("{k}_{i}")).cloned().unwrap_or_default();
        SessionInput {
            day: get("day"),
            starts: get("starts"),
            ends: get("ends"),
            venue: get("venue"),
            topic: get("topic"),
        }
    }

    /// Parse, naming the field of each problem.
    fn parse(&self, tenant: &RegionCode, errors: &mut FormErrors, tr: Tr) -> Option<NewWave> {
        let mut bad = |field: &str, reason: &str| errors.add_msg(field, tr.reason(reason));
        let number = self.number.trim().parse::<u32>().ok().filter(|n| *n > 0);
        if number.is_none() {
            bad("number", "invalid-number");
        }
        let total = self.total.trim().parse::<u32>().ok().filter(|n| *n > 0);
        if total.is_none() {
            bad("total", "invalid-number");
        }
        let mut per_kecamatan = BTreeMap::new();
        for (code, _) in kecamatan_of_tenant(tenant) {
            let raw = self.quota(&code);
            if raw.trim().is_empty() {
                continue;
            }
            match raw.trim().parse::<u32>() {
                Ok(0) => {}
                Ok(n) => {
                    per_kecamatan.insert(code, n);
                }
                Err(_) => bad(&format!("quota_{code}"), "invalid-number"),
            }
        }
        let max_class = match self.max_class.as_str() {
            "" => None,
            s => match s.parse::<SizeClass>() {
                Ok(c) => Some(c),
                Err(_) => {
                    bad("max_class", "invalid-choice");
                    None
                }
            },
        };
        let mut kbli = Vec::new();
        for part in self.kbli.split([',', ';', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
            match KbliCode::parse(part) {
                Ok(k) => kbli.push(k),
                Err(_) => bad("kbli", "invalid-kbli"),
            }
        }
        let not_trained = match self.not_trained_in.trim() {
            "" => None,
            s => match s.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    bad("not_trained_in", "invalid-number");
                    None
                }
            },
        };
        let min_attendance = match self.min_attendance.trim() {
            "" => Some(100),
            s => s.parse::<u8>().ok().filter(|n| (1..=100).contains(n)),
        };
        if min_attendance.is_none() {
            bad("min_attendance", "invalid-number");
        }
        let closes_on = match self.closes_on.trim() {
            "" => None,
            s => match Date::parse(s, &time::format_description::well_known::Iso8601::DATE) {
                Ok(d) => Some(d),
                Err(_) => {
                    bad("closes_on", "invalid-date");
                    None
                }
            },
        };
        let mut sessions = Vec::new();
        for i in 0..SESSION_ROWS {
            let s = self.session(i);
            if s.day.trim().is_empty() && s.venue.trim().is_empty() {
                continue;
            }
            let Ok(day) = Date::parse(s.day.trim(), &time::format_description::well_known::Iso8601::DATE) else {
                bad(&format!("day_{i}"), "invalid-date");
                continue;
            };
            if s.venue.trim().is_empty() {
                bad(&format!("venue_{i}"), "required");
                continue;
            }
            let opt = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
            sessions.push(NewSession {
                day,
                starts: opt(&s.starts),
                ends: opt(&s.ends),
                venue: s.venue.trim().to_owned(),
                topic: opt(&s.topic),
            });
        }
        if sessions.is_empty() {
            bad("day_0", "required");
        }
        sessions.sort_by_key(|s| s.day);
        let criteria: Vec<String> =
            self.criteria.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        Some(NewWave {
            number: number?,
            quotas: Quotas { total: total?, per_kecamatan, redistribute: self.redistribute.is_some() },
            eligibility: Eligibility {
                max_class,
                kbli,
                requires_nib: self.requires_nib.is_some(),
                not_trained_in_last_waves: not_trained,
                criteria,
            },
            min_attendance_percent: min_attendance?,
            closes_on,
            sessions,
        })
    }
}

pub struct QuotaInput {
    pub code: String,
    /// The input's name, `quota_<code>`, which its error is filed under.
    pub field: String,
    pub name: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "wave_form.html")]
struct WaveFormPage {
    shell: Shell,
    p: Programme,
    values: WaveForm,
    quotas: Vec<QuotaInput>,
    sessions: Vec<(usize, String, String, SessionInput)>,
    classes: Vec<(String, String)>,
    errors: FormErrors,
}

fn wave_form_page(
    auth: &Authed,
    tenant: &RegionCode,
    p: Programme,
    values: WaveForm,
    errors: FormErrors,
) -> WaveFormPage {
    let tr = auth.ctx.tr();
    let quotas = kecamatan_of_tenant(tenant)
        .into_iter()
        .map(|(code, name)| QuotaInput {
            value: values.quota(&code),
            field: format!("quota_{code}"),
            code: code.to_string(),
            name,
        })
        .collect();
    let sessions =
        (0..SESSION_ROWS).map(|i| (i, format!("day_{i}"), format!("venue_{i}"), values.session(i))).collect();
    WaveFormPage {
        shell: Shell::new(&auth.ctx, "wave-new"),
        p,
        quotas,
        sessions,
        classes: [SizeClass::Micro, SizeClass::Small, SizeClass::Medium]
            .iter()
            .map(|c| (c.slug().to_owned(), class_label(tr, Some(*c))))
            .collect(),
        values,
        errors,
    }
}

pub async fn new_wave(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let p = state.store.programme(&auth.actor, &tenant, programme_id(&id)?).await?;
    let next =
        state.store.programme_waves(&auth.actor, &tenant, p.id).await?.iter().map(|w| w.number).max().unwrap_or(0) + 1;
    let values = WaveForm {
        number: next.to_string(),
        max_class: "mikro".into(),
        requires_nib: Some("on".into()),
        min_attendance: "100".into(),
        ..Default::default()
    };
    Ok(render(&wave_form_page(&auth, &tenant, p, values, FormErrors::default())))
}

pub async fn create_wave(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<WaveForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    // Another Pemda's programme is not found before anything in the form is read.
    let p = state.store.programme(&auth.actor, &tenant, programme_id(&id)?).await?;
    let mut errors = FormErrors::default();
    if let Some(new) = form.parse(&tenant, &mut errors, tr)
        && errors.is_empty()
    {
        match state.store.create_wave(&auth.actor, &tenant, p.id, new).await {
            Ok(w) => return Ok(see_other(&format!("/program/gelombang/{w}"))),
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    Ok(render_invalid(&wave_form_page(&auth, &tenant, p, form, errors)))
}

// ---------------------------------------------------------------------------------------------
// The wave

pub struct ApplicantView {
    pub id: ApplicationId,
    pub business: BusinessId,
    pub number: u32,
    pub name: String,
    pub kecamatan: String,
    pub channel: String,
    pub decision: String,
    pub decision_slug: String,
    pub overridden: bool,
    pub rank: String,
    pub reasons: Vec<String>,
    pub invited: bool,
    pub attended: usize,
    pub certificate: Option<String>,
}

pub struct QuotaView {
    pub name: String,
    pub seats: u32,
    pub applicants: usize,
    pub selected: usize,
}

pub struct SessionView {
    pub id: SessionId,
    pub label: String,
    pub venue: String,
    pub topic: String,
    pub present: usize,
}

#[derive(Template)]
#[template(path = "wave.html")]
pub(crate) struct WavePage {
    pub shell: Shell,
    pub can_manage: bool,
    pub p: Programme,
    pub w: Wave,
    pub status: String,
    pub when_where: String,
    pub next: Vec<(String, String)>,
    pub quotas: Vec<QuotaView>,
    pub rules: Vec<String>,
    pub sessions: Vec<SessionView>,
    pub applicants: Vec<ApplicantView>,
    pub counts: (usize, usize, usize, usize),
    pub filter: String,
    pub notice: Option<String>,
    pub errors: FormErrors,
    pub failed: String,
    pub can_import: bool,
    pub can_check_in: bool,
    pub can_certify: bool,
}

#[derive(Deserialize, Default)]
pub struct WaveQuery {
    #[serde(default)]
    pub tampil: String,
    #[serde(default)]
    pub pesan: String,
}

pub(crate) async fn wave_page(
    state: &AppState,
    auth: &Authed,
    wave: WaveId,
    filter: &str,
    notice: Option<String>,
    failed: String,
    errors: FormErrors,
) -> AppResult<WavePage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let w = state.store.wave(&auth.actor, &tenant, wave).await?;
    let p = state.store.programme(&auth.actor, &tenant, w.programme).await?;
    let apps = state.store.wave_applications(&auth.actor, &tenant, w.id).await?;
    let attendance = state.store.wave_attendance(&auth.actor, &tenant, w.id).await?;
    let certificates = state.store.wave_certificates(&auth.actor, &tenant, w.id).await?;
    let live: Vec<&ApplicationRow> = apps.iter().filter(|a| !a.withdrawn).collect();
    let count = |d: Decision| live.iter().filter(|a| a.decision() == Some(d)).count();
    let counts = (live.len(), count(Decision::Selected), count(Decision::Waitlisted), count(Decision::Ineligible));
    let mut quotas: Vec<QuotaView> = w
        .quotas
        .per_kecamatan
        .iter()
        .map(|(k, seats)| QuotaView {
            name: region_name(Some(k)),
            seats: *seats,
            applicants: live.iter().filter(|a| a.kecamatan.as_ref() == Some(k)).count(),
            selected: live
                .iter()
                .filter(|a| a.kecamatan.as_ref() == Some(k) && a.decision() == Some(Decision::Selected))
                .count(),
        })
        .collect();
    quotas.sort_by(|a, b| a.name.cmp(&b.name));
    let mut rules = Vec::new();
    if let Some(c) = w.eligibility.max_class {
        rules.push(tr.t1("rule-max-class", "class", class_label(tr, Some(c))));
    }
    if !w.eligibility.kbli.is_empty() {
        rules.push(tr.t1(
            "rule-kbli",
            "codes",
            w.eligibility.kbli.iter().map(|k| k.as_str().to_owned()).collect::<Vec<_>>().join(", "),
        ));
    }
    if w.eligibility.requires_nib {
        rules.push(tr.t("rule-nib"));
    }
    if let Some(n) = w.eligibility.not_trained_in_last_waves {
        rules.push(tr.t1("rule-not-trained", "n", n));
    }
    for c in &w.eligibility.criteria {
        rules.push(c.clone());
    }
    rules.push(tr.t1("rule-attendance", "percent", w.min_attendance_percent));
    let sessions = w
        .sessions
        .iter()
        .map(|s| SessionView {
            id: s.id,
            label: format!(
                "{}{}",
                day_label(tr, &s.day),
                s.starts
                    .as_ref()
                    .map(|t| format!(" {t}{}", s.ends.as_ref().map(|e| format!("–{e}")).unwrap_or_default()))
                    .unwrap_or_default()
            ),
            venue: s.venue.clone(),
            topic: s.topic.clone().unwrap_or_default(),
            present: attendance.by_application.values().filter(|v| v.contains(&s.id)).count(),
        })
        .collect();
    let wanted: Option<Decision> = filter.parse().ok();
    let applicants = live
        .iter()
        .filter(|a| wanted.is_none() || a.decision() == wanted)
        .map(|a| ApplicantView {
            id: a.id,
            business: a.business,
            number: a.number,
            name: a.business_name.clone(),
            kecamatan: region_name(a.kecamatan.as_ref()),
            channel: tr.t(&format!("application-channel-{}", a.channel.slug())),
            decision: if a.outcome.is_none() && a.override_outcome.is_none() {
                tr.t("application-pending")
            } else {
                decision_label(tr, a.decision())
            },
            decision_slug: a.decision().map(|d| d.slug().to_owned()).unwrap_or_default(),
            overridden: a.override_outcome.is_some(),
            rank: match (a.rank, a.position) {
                (Some(r), Some(p)) => format!("#{r} · {}", tr.t1("waiting-position", "n", p)),
                (Some(r), None) => format!("#{r}"),
                _ => String::new(),
            },
            reasons: reason_lines(tr, a),
            invited: a.notified_at_ms.is_some(),
            attended: attendance.count(a.id),
            certificate: certificates.get(&a.id).cloned(),
        })
        .collect();
    let next = w
        .status
        .next()
        .iter()
        .filter(|s| **s != WaveStatus::Selected) // selection is its own button: it runs the rule
        .map(|s| (s.slug().to_owned(), tr.t(&format!("wave-to-{}", s.slug()))))
        .collect();
    Ok(WavePage {
        shell: Shell::new(&auth.ctx, "programmes-title"),
        can_manage: auth.actor.can(sinergi_domain::Permission::ManageUmkm),
        status: status_label(tr, w.status),
        when_where: when_where(tr, &w),
        next,
        quotas,
        rules,
        sessions,
        applicants,
        counts,
        filter: filter.to_owned(),
        notice,
        errors,
        failed,
        can_import: w.status.takes_applications(),
        can_check_in: matches!(w.status, WaveStatus::Selected | WaveStatus::Running),
        can_certify: matches!(w.status, WaveStatus::Running | WaveStatus::Done),
        p,
        w,
    })
}

/// Messages shown after a redirect, by key: the page stays bookmarkable and a reload does not
/// post again.
pub(crate) fn notice_text(tr: Tr, key: &str) -> Option<String> {
    let (name, arg) = key.split_once(':').unwrap_or((key, ""));
    let allowed = ["selected", "applied", "invited", "certified", "moved", "override", "follow-up"];
    allowed.contains(&name).then(|| {
        if arg.is_empty() {
            tr.t(&format!("notice-wave-{name}"))
        } else {
            tr.t1(&format!("notice-wave-{name}"), "n", arg)
        }
    })
}

pub async fn show_wave(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Query(q): Query<WaveQuery>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let page = wave_page(
        &state,
        &auth,
        wave_id(&id)?,
        &q.tampil,
        notice_text(tr, &q.pesan),
        String::new(),
        FormErrors::default(),
    )
    .await?;
    Ok(render(&page))
}

#[derive(Deserialize, Default)]
pub struct MoveForm {
    #[serde(default)]
    to: String,
}

pub async fn move_wave(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&id)?;
    state.store.wave(&auth.actor, &tenant, wave).await?;
    let mut errors = FormErrors::default();
    match form.to.parse::<WaveStatus>() {
        Ok(to) => match state.store.move_wave(&auth.actor, &tenant, wave, to).await {
            Ok(()) => return Ok(see_other(&format!("/program/gelombang/{wave}?pesan=moved"))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(_) => errors.add(tr, &FieldError::new("status", "invalid-choice")),
    }
    Ok(render_invalid(&wave_page(&state, &auth, wave, "", None, String::new(), errors).await?))
}

pub async fn run_selection(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&id)?;
    match state.store.select_wave(&auth.actor, &tenant, wave).await {
        Ok(s) => Ok(see_other(&format!("/program/gelombang/{wave}?pesan=selected:{}", s.selected))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            Ok(render_invalid(&wave_page(&state, &auth, wave, "", None, String::new(), errors).await?))
        }
    }
}

#[derive(Deserialize, Default)]
pub struct OverrideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn override_decision(
    State(state): State<AppState>,
    auth: Authed,
    Path((wave, application)): Path<(String, String)>,
    Form(form): Form<OverrideForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&wave)?;
    let application = application_id(&application)?;
    // The application must belong to this wave of this Pemda: else 404, before the form.
    let apps = state.store.wave_applications(&auth.actor, &tenant, wave).await?;
    if !apps.iter().any(|a| a.id == application) {
        return Err(AppError::NotFound);
    }
    let mut errors = FormErrors::default();
    let decision = match form.decision.as_str() {
        "" => Ok(None),
        s => s.parse::<Decision>().map(Some),
    };
    match decision {
        Ok(d) => match state.store.override_application(&auth.actor, &tenant, application, d, &form.reason).await {
            Ok(()) => return Ok(see_other(&format!("/program/gelombang/{wave}?pesan=override#a-{application}"))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(_) => errors.add(tr, &FieldError::new("decision", "invalid-choice")),
    }
    Ok(render_invalid(&wave_page(&state, &auth, wave, "", None, application.to_string(), errors).await?))
}

// ---------------------------------------------------------------------------------------------
// Applicants by hand

#[derive(Deserialize, Default)]
pub struct FindQuery {
    #[serde(default)]
    q: String,
}

pub struct Candidate {
    pub id: BusinessId,
    pub name: String,
    pub owner: String,
    pub place: String,
    pub class: String,
    pub applied: bool,
}

#[derive(Template)]
#[template(path = "wave_find.html")]
struct FindPage {
    shell: Shell,
    w: Wave,
    p: Programme,
    q: String,
    found: Vec<Candidate>,
    errors: FormErrors,
}

async fn find_page(
    state: &AppState,
    auth: &Authed,
    wave: WaveId,
    q: String,
    errors: FormErrors,
) -> AppResult<FindPage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let w = state.store.wave(&auth.actor, &tenant, wave).await?;
    let p = state.store.programme(&auth.actor, &tenant, w.programme).await?;
    let applied: Vec<BusinessId> =
        state.store.wave_applications(&auth.actor, &tenant, wave).await?.iter().map(|a| a.business).collect();
    let mut found = Vec::new();
    if q.trim().chars().count() >= 2 {
        let filter = BusinessFilter { q: Some(q.trim().to_owned()), ..Default::default() };
        let page = state.store.umkm_businesses(&auth.actor, &tenant, &filter, 0, 20).await?;
        found = page
            .rows
            .into_iter()
            .map(|r| Candidate {
                applied: applied.contains(&r.id),
                id: r.id,
                owner: r.owner_name.unwrap_or_default(),
                place: format!("{} · {}", region_name(r.desa.as_ref()), region_name(r.kecamatan.as_ref())),
                class: class_label(tr, r.classification.by_sales),
                name: r.name,
            })
            .collect();
    }
    Ok(FindPage { shell: Shell::new(&auth.ctx, "wave-add-applicant"), w, p, q, found, errors })
}

pub async fn find_applicant(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Query(q): Query<FindQuery>,
) -> AppResult<Response> {
    Ok(render(&find_page(&state, &auth, wave_id(&id)?, q.q, FormErrors::default()).await?))
}

#[derive(Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    business: String,
    #[serde(default)]
    q: String,
}

pub async fn add_applicant(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<AddForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let wave = wave_id(&id)?;
    state.store.wave(&auth.actor, &tenant, wave).await?;
    let mut errors = FormErrors::default();
    match form.business.parse::<BusinessId>() {
        Ok(b) => match state.store.apply_to_wave(&auth.actor, &tenant, wave, b, Channel::Officer, Vec::new()).await {
            Ok(_) => return Ok(see_other(&format!("/program/gelombang/{wave}?pesan=applied:1"))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(_) => errors.add(tr, &FieldError::new("business", "invalid-choice")),
    }
    Ok(render_invalid(&find_page(&state, &auth, wave, form.q, errors).await?))
}

//! Market channels: the list with each channel's funnel and the kitchens' supply health, a
//! channel's page (its checklist, its pipeline with every stage's date, and for an SPPG
//! kitchen the local producers that could supply it), and the conversion workbook.
//!
//! The store decides what may be done (`sinergi_store::markets`): a stage is refused while the
//! checklist has gaps, and the page then names them.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::format::format_date;
use sinergi_domain::market::{ChannelKind, MIN_SUPPLIERS, Requirement, Stage};
use sinergi_domain::{BusinessId, ChannelEntryId, ChannelId, PartnerId, Permission, RegionCode};
use sinergi_io::export::{Sheet, Value, xlsx_book};
use sinergi_store::markets::{Channel, ChannelInput, ChannelSummary, EntryRow, KitchenHealth, kitchen_health};
use sinergi_store::umkm::BusinessFilter;
use time::Date;

use super::exports::{XLSX, download, letterhead};
use super::umkm::{region_name, tenant_of};
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::jobs::today_wib;

pub fn channel_id(s: &str) -> AppResult<ChannelId> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub fn entry_id(s: &str) -> AppResult<ChannelEntryId> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub fn kind_label(tr: Tr, k: ChannelKind) -> String {
    tr.t(&format!("channel-kind-{}", k.slug()))
}

pub fn requirement_label(tr: Tr, r: Requirement) -> String {
    tr.t(&format!("requirement-{}", r.slug()))
}

pub fn stage_label(tr: Tr, s: Stage) -> String {
    tr.t(&format!("stage-{}", s.slug()))
}

fn labels(tr: Tr, reqs: &[Requirement]) -> Vec<String> {
    reqs.iter().map(|r| requirement_label(tr, *r)).collect()
}

/// An optional date typed in a form (`YYYY-MM-DD`); empty means today.
pub fn date_or_today(s: &str, field: &'static str) -> Result<Date, FieldError> {
    match s.trim() {
        "" => Ok(today_wib()),
        t => Date::parse(t, &time::format_description::well_known::Iso8601::DATE)
            .map_err(|_| FieldError::new(field, "invalid-date")),
    }
}

/// Whole rupiah typed as officials type it ("Rp 1.500.000"); empty is none.
pub fn rupiah_field(s: &str, field: &'static str) -> Result<Option<i64>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        t => sinergi_domain::umkm::parse_rupiah(t).map(Some).map_err(|_| FieldError::new(field, "invalid-amount")),
    }
}

/// "Bahan baku (NIB, P-IRT) belum lengkap: NPWP, Halal": the sentence a refused stage shows.
fn missing_sentence(tr: Tr, missing: &[Requirement]) -> String {
    tr.t1("channel-missing", "list", labels(tr, missing).join(", "))
}

// ---------------------------------------------------------------------------------------------
// The list

pub struct ChannelRowView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub partner: String,
    /// Funnel counts: submitted, requirements met, accepted, supplying; declined and withdrawn.
    pub funnel: [usize; 4],
    pub closed: usize,
    /// "25 %": supplying of submitted.
    pub conversion: String,
}

pub struct KitchenRowView {
    pub id: String,
    pub name: String,
    pub place: String,
    pub portions: String,
    pub suppliers: usize,
    pub short_by: usize,
    pub dominant: String,
    pub monthly: String,
    pub healthy: bool,
    pub short_sentence: String,
}

fn conversion(tr: Tr, supplying: usize, submitted: usize) -> String {
    if submitted == 0 {
        return "—".into();
    }
    super::umkm::percent(tr, supplying as f64 / submitted as f64)
}

fn kitchen_row(tr: Tr, c: &Channel, h: &KitchenHealth) -> KitchenRowView {
    KitchenRowView {
        id: c.id.to_string(),
        name: c.name.clone(),
        place: format!("{}, {}", region_name(c.desa.as_ref()), region_name(c.kecamatan.as_ref())),
        portions: c.daily_portions.map(|p| tr.number(i64::from(p))).unwrap_or_else(|| "—".into()),
        suppliers: h.suppliers,
        short_by: h.short_by,
        dominant: h
            .dominant
            .as_ref()
            .map(|(_, name, share)| {
                tr.targs("kitchen-dominant", &[("name", name.clone()), ("share", share.to_string())])
            })
            .unwrap_or_default(),
        monthly: tr.rupiah(h.monthly_total),
        healthy: h.healthy(),
        short_sentence: tr
            .targs("kitchen-short-sentence", &[("count", h.short_by.to_string()), ("min", MIN_SUPPLIERS.to_string())]),
    }
}

fn channel_rows(tr: Tr, list: &[ChannelSummary]) -> (Vec<ChannelRowView>, Vec<KitchenRowView>) {
    let rows = list
        .iter()
        .map(|s| {
            let f = &s.funnel;
            ChannelRowView {
                id: s.channel.id.to_string(),
                name: s.channel.name.clone(),
                kind: kind_label(tr, s.channel.kind),
                partner: s.channel.partner_name.clone().unwrap_or_else(|| region_name(s.channel.kecamatan.as_ref())),
                funnel: [f.submitted, f.requirements_met, f.accepted, f.supplying],
                closed: f.declined + f.withdrawn,
                conversion: conversion(tr, f.supplying, f.submitted),
            }
        })
        .collect();
    let kitchens = list.iter().filter_map(|s| s.kitchen.as_ref().map(|h| kitchen_row(tr, &s.channel, h))).collect();
    (rows, kitchens)
}

#[derive(Deserialize, Default, Clone)]
pub struct ChannelForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    partner_id: String,
    #[serde(default)]
    desa: String,
    #[serde(default)]
    daily_portions: String,
    #[serde(default)]
    contact: String,
}

impl ChannelForm {
    fn parse(&self) -> Result<ChannelInput, FieldError> {
        let kind: ChannelKind = self.kind.parse().map_err(|_| FieldError::new("kind", "invalid-choice"))?;
        let partner_id = match self.partner_id.trim() {
            "" => None,
            p => Some(p.parse::<PartnerId>().map_err(|_| FieldError::new("partner_id", "invalid-choice"))?),
        };
        let desa = match self.desa.trim() {
            "" => None,
            d => Some(RegionCode::parse(d).map_err(|_| FieldError::new("desa", "invalid-region-code"))?),
        };
        let daily_portions = match self.daily_portions.trim() {
            "" => None,
            p => Some(
                p.replace('.', "").parse::<u32>().map_err(|_| FieldError::new("daily_portions", "invalid-number"))?,
            ),
        };
        Ok(ChannelInput {
            kind,
            name: self.name.clone(),
            partner_id,
            desa,
            daily_portions,
            contact: Some(self.contact.clone()),
            requirements: None,
        })
    }
}

#[derive(Template)]
#[template(path = "channel_list.html")]
struct ChannelListPage {
    shell: Shell,
    channels: Vec<ChannelRowView>,
    kitchens: Vec<KitchenRowView>,
    can_manage: bool,
    kinds: Vec<(String, String)>,
    partners: Vec<(String, String)>,
    form: ChannelForm,
    errors: FormErrors,
    min_suppliers: usize,
}

async fn list_page(state: &AppState, auth: &Authed, form: ChannelForm, errors: FormErrors) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let list = state.store.channels(&auth.actor, &tenant, today_wib()).await?;
    let (channels, kitchens) = channel_rows(tr, &list);
    let can_manage = auth.actor.can(Permission::ManageUmkm);
    let partners = if can_manage {
        state
            .store
            .partners(&auth.actor, &Default::default())
            .await?
            .into_iter()
            .filter(|p| p.active)
            .map(|p| (p.id.to_string(), p.name))
            .collect()
    } else {
        Vec::new()
    };
    let page = ChannelListPage {
        shell: Shell::new(&auth.ctx, "channels-title"),
        channels,
        kitchens,
        can_manage,
        kinds: ChannelKind::ALL.iter().map(|k| (k.slug().to_owned(), kind_label(tr, *k))).collect(),
        partners,
        form,
        errors,
        min_suppliers: MIN_SUPPLIERS,
    };
    Ok(if page.errors.is_empty() { render(&page) } else { render_invalid(&page) })
}

pub async fn list(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    list_page(&state, &auth, ChannelForm::default(), FormErrors::default()).await
}

pub async fn create(State(state): State<AppState>, auth: Authed, Form(form): Form<ChannelForm>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let mut errors = FormErrors::default();
    let result = match form.parse() {
        Ok(input) => state.store.create_channel(&auth.actor, &tenant, input).await.map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/pasar/kanal/{id}"))),
        Err(e) => {
            errors.absorb(tr, e)?;
            list_page(&state, &auth, form, errors).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One channel

pub struct EntryView {
    pub id: String,
    pub business_id: String,
    pub name: String,
    pub place: String,
    pub stage: String,
    pub stage_slug: String,
    pub stage_on: String,
    /// "Diajukan 5 Januari 2026 · Syarat lengkap 10 Januari 2026 ..."
    pub history: Vec<String>,
    pub met: Vec<String>,
    pub missing: Vec<String>,
    pub moves: Vec<(String, String)>,
    /// Officer-ticked requirements of the checklist: (slug, label, ticked).
    pub tickable: Vec<(String, String, bool)>,
    pub supplying_kitchen: bool,
    pub supply: String,
    pub supply_value: String,
}

fn entry_view(tr: Tr, channel: &Channel, e: &EntryRow) -> EntryView {
    let date = |d: Date| format_date(d, tr.locale);
    let mut history = vec![format!("{} {}", stage_label(tr, Stage::Submitted), date(e.submitted_on))];
    for (stage, on) in [
        (Stage::RequirementsMet, e.requirements_met_on),
        (Stage::Accepted, e.accepted_on),
        (Stage::Supplying, e.supplying_on),
    ] {
        if let Some(on) = on {
            history.push(format!("{} {}", stage_label(tr, stage), date(on)));
        }
    }
    if let (false, Some(on)) = (e.stage.is_open(), e.closed_on) {
        history.push(format!("{} {}", stage_label(tr, e.stage), date(on)));
    }
    EntryView {
        id: e.id.to_string(),
        business_id: e.business.to_string(),
        name: e.business_name.clone(),
        place: format!("{}, {}", region_name(e.desa.as_ref()), region_name(e.kecamatan.as_ref())),
        stage: stage_label(tr, e.stage),
        stage_slug: e.stage.slug().to_owned(),
        stage_on: date(e.stage_on()),
        history,
        met: labels(tr, &e.met),
        missing: labels(tr, &e.missing),
        moves: e.stage.next().iter().map(|s| (s.slug().to_owned(), stage_label(tr, *s))).collect(),
        tickable: channel
            .requirements
            .iter()
            .filter(|r| !r.from_registry())
            .map(|r| (r.slug().to_owned(), requirement_label(tr, *r), e.ticked.contains(r)))
            .collect(),
        supplying_kitchen: channel.kind == ChannelKind::Mbg && e.stage == Stage::Supplying,
        supply: e.monthly_supply.map(|v| tr.rupiah(v)).unwrap_or_else(|| "—".into()),
        supply_value: e.monthly_supply.map(|v| v.to_string()).unwrap_or_default(),
    }
}

pub struct SuggestionView {
    pub business_id: String,
    pub name: String,
    pub place: String,
    pub kbli: String,
    pub nearness: String,
    pub to_check: String,
}

pub struct FoundView {
    pub business_id: String,
    pub name: String,
    pub place: String,
    pub kbli: String,
    pub in_pipeline: bool,
}

#[derive(Template)]
#[template(path = "channel_show.html")]
struct ChannelPage {
    shell: Shell,
    id: String,
    name: String,
    facts: Vec<(String, String)>,
    kitchen: Option<KitchenRowView>,
    min_suppliers: usize,
    requirements: Vec<(String, String, bool)>,
    entries: Vec<EntryView>,
    stage_filter: String,
    stage_filter_label: String,
    suggestions: Vec<SuggestionView>,
    q: String,
    found: Vec<FoundView>,
    can_manage: bool,
    /// A refusal to show above the pipeline (the stage refused, naming what is missing).
    alert: Option<String>,
    alert_entry: String,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    tahap: String,
    #[serde(default)]
    q: String,
}

async fn channel_page(
    state: &AppState,
    auth: &Authed,
    id: ChannelId,
    query: ShowQuery,
    alert: Option<(String, String)>,
    errors: FormErrors,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let today = today_wib();
    let (channel, entries) = state.store.channel_entries(&auth.actor, &tenant, id, today).await?;
    let is_kitchen = channel.kind == ChannelKind::Mbg;
    let kitchen = is_kitchen.then(|| kitchen_row(tr, &channel, &kitchen_health(&entries)));
    let suggestions = match &kitchen {
        Some(k) if k.short_by > 0 => state
            .store
            .kitchen_suggestions(&auth.actor, &tenant, id, 10, today)
            .await?
            .into_iter()
            .map(|s| SuggestionView {
                business_id: s.business.to_string(),
                name: s.name,
                place: format!("{}, {}", region_name(s.desa.as_ref()), region_name(s.kecamatan.as_ref())),
                kbli: s.kbli.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", "),
                nearness: tr.t(&format!("nearness-{}", s.nearness.slug())),
                to_check: labels(tr, &s.to_check).join(", "),
            })
            .collect(),
        _ => Vec::new(),
    };
    let stage_filter: Option<Stage> = query.tahap.parse().ok();
    let found = match query.q.trim() {
        "" => Vec::new(),
        q => {
            let filter = BusinessFilter { q: Some(q.to_owned()), ..Default::default() };
            state
                .store
                .umkm_businesses(&auth.actor, &tenant, &filter, 0, 20)
                .await?
                .rows
                .into_iter()
                .map(|b| FoundView {
                    in_pipeline: entries.iter().any(|e| e.business == b.id),
                    business_id: b.id.to_string(),
                    place: format!("{}, {}", region_name(b.desa.as_ref()), region_name(b.kecamatan.as_ref())),
                    kbli: b.kbli.unwrap_or_default(),
                    name: b.name,
                })
                .collect()
        }
    };
    let mut facts = vec![(tr.t("field-kind"), kind_label(tr, channel.kind))];
    if let Some(p) = &channel.partner_name {
        facts.push((tr.t("channel-partner"), p.clone()));
    }
    if let Some(d) = &channel.desa {
        facts.push((tr.t("channel-place"), sinergi_reference::region_label(d)));
    }
    if let Some(p) = channel.daily_portions {
        facts.push((tr.t("channel-daily-portions"), tr.number(i64::from(p))));
    }
    if let Some(c) = &channel.contact {
        facts.push((tr.t("channel-contact"), c.clone()));
    }
    let (alert_entry, alert) = match alert {
        Some((entry, text)) => (entry, Some(text)),
        None => (String::new(), None),
    };
    let page = ChannelPage {
        shell: {
            let mut s = Shell::new(&auth.ctx, "channels-title");
            s.title = channel.name.clone();
            s
        },
        id: channel.id.to_string(),
        name: channel.name.clone(),
        facts,
        kitchen,
        min_suppliers: MIN_SUPPLIERS,
        requirements: Requirement::ALL
            .iter()
            .map(|r| (r.slug().to_owned(), requirement_label(tr, *r), channel.requirements.contains(r)))
            .collect(),
        entries: entries
            .iter()
            .filter(|e| stage_filter.is_none_or(|s| e.reached(s)))
            .map(|e| entry_view(tr, &channel, e))
            .collect(),
        stage_filter: stage_filter.map(|s| s.slug().to_owned()).unwrap_or_default(),
        stage_filter_label: stage_filter.map(|s| stage_label(tr, s)).unwrap_or_default(),
        suggestions,
        q: query.q,
        found,
        can_manage: auth.actor.can(Permission::ManageUmkm),
        alert,
        alert_entry,
        errors,
    };
    Ok(if page.alert.is_none() && page.errors.is_empty() { render(&page) } else { render_invalid(&page) })
}

pub async fn show(
    State(state): State<AppState>,
    auth: Authed,
    Path(channel_id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    channel_page(&state, &auth, self::channel_id(&channel_id)?, q, None, FormErrors::default()).await
}

#[derive(Deserialize, Default)]
pub struct RequirementsForm {
    #[serde(default)]
    requirement: Vec<String>,
}

pub async fn set_requirements(
    State(state): State<AppState>,
    auth: Authed,
    Path(channel_id): Path<String>,
    Form(form): Form<RequirementsForm>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let id = self::channel_id(&channel_id)?;
    // Another Pemda's channel is not found before anything in the form is read.
    state.store.channel(&auth.actor, &tenant, id).await?;
    let reqs: Vec<Requirement> = form.requirement.iter().filter_map(|r| r.parse().ok()).collect();
    state.store.set_channel_requirements(&auth.actor, &tenant, id, &reqs).await?;
    Ok(see_other(&format!("/pasar/kanal/{id}#syarat")))
}

#[derive(Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    business: String,
    #[serde(default)]
    on: String,
}

pub async fn add_entry(
    State(state): State<AppState>,
    auth: Authed,
    Path(channel_id): Path<String>,
    Form(form): Form<AddForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = self::channel_id(&channel_id)?;
    state.store.channel(&auth.actor, &tenant, id).await?;
    let result = match (form.business.parse::<BusinessId>(), date_or_today(&form.on, "on")) {
        (Ok(b), Ok(on)) => {
            state.store.add_channel_entry(&auth.actor, &tenant, id, b, on, today_wib()).await.map_err(AppError::from)
        }
        (Err(_), _) => Err(AppError::Invalid(FieldError::new("business", "invalid-choice"))),
        (_, Err(e)) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(entry) => Ok(see_other(&format!("/pasar/kanal/{id}#entry-{entry}"))),
        Err(AppError::Conflict { .. }) => {
            let text = tr.t("error-conflict-business");
            channel_page(&state, &auth, id, ShowQuery::default(), Some((String::new(), text)), FormErrors::default())
                .await
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            channel_page(&state, &auth, id, ShowQuery::default(), None, errors).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct MoveForm {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    on: String,
}

pub async fn move_entry(
    State(state): State<AppState>,
    auth: Authed,
    Path(entry_id): Path<String>,
    Form(form): Form<MoveForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = self::entry_id(&entry_id)?;
    let today = today_wib();
    let (channel, entry) = state.store.channel_entry(&auth.actor, &tenant, id, today).await?;
    let result = match (form.stage.parse::<Stage>(), date_or_today(&form.on, "on")) {
        (Ok(to), Ok(on)) => {
            state.store.move_channel_entry(&auth.actor, &tenant, id, to, on, today).await.map_err(AppError::from)
        }
        (Err(_), _) => Err(AppError::Invalid(FieldError::new("stage", "invalid-choice"))),
        (_, Err(e)) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => {
            if channel.kind == ChannelKind::Cooperative {
                // The membership tag changed: the registry's search reads tags.
                state.registries.search().changed(&state.store, &tenant, &[entry.business]).await;
            }
            Ok(see_other(&format!("/pasar/kanal/{}#entry-{id}", channel.id)))
        }
        Err(AppError::Invalid(e)) => {
            let text = match e.reason {
                "requirements-missing" => {
                    format!("{}: {}", entry.business_name, missing_sentence(tr, &entry.missing))
                }
                other => format!("{}: {}", entry.business_name, tr.reason(other)),
            };
            channel_page(
                &state,
                &auth,
                channel.id,
                ShowQuery::default(),
                Some((id.to_string(), text)),
                FormErrors::default(),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct TickForm {
    #[serde(default)]
    requirement: Vec<String>,
}

pub async fn tick_entry(
    State(state): State<AppState>,
    auth: Authed,
    Path(entry_id): Path<String>,
    Form(form): Form<TickForm>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let id = self::entry_id(&entry_id)?;
    let today = today_wib();
    let (channel, _) = state.store.channel_entry(&auth.actor, &tenant, id, today).await?;
    let reqs: Vec<Requirement> = form.requirement.iter().filter_map(|r| r.parse().ok()).collect();
    state.store.tick_channel_entry(&auth.actor, &tenant, id, &reqs, today).await?;
    Ok(see_other(&format!("/pasar/kanal/{}#entry-{id}", channel.id)))
}

#[derive(Deserialize, Default)]
pub struct SupplyForm {
    #[serde(default)]
    monthly_supply: String,
}

pub async fn set_supply(
    State(state): State<AppState>,
    auth: Authed,
    Path(entry_id): Path<String>,
    Form(form): Form<SupplyForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = self::entry_id(&entry_id)?;
    let today = today_wib();
    let (channel, entry) = state.store.channel_entry(&auth.actor, &tenant, id, today).await?;
    let result = match rupiah_field(&form.monthly_supply, "monthly_supply") {
        Ok(v) => state.store.set_monthly_supply(&auth.actor, &tenant, id, v, today).await.map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/pasar/kanal/{}#entry-{id}", channel.id))),
        Err(AppError::Invalid(e)) => {
            let text = format!("{}: {} — {}", entry.business_name, tr.t("channel-monthly-supply"), tr.reason(e.reason));
            channel_page(
                &state,
                &auth,
                channel.id,
                ShowQuery::default(),
                Some((id.to_string(), text)),
                FormErrors::default(),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// The conversion workbook

/// Two sheets: each channel's funnel, and the kitchens' supply health.
pub async fn export(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let list = state.store.channels(&auth.actor, &tenant, today_wib()).await?;
    let (channels, kitchens) = channel_rows(tr, &list);
    let funnel_headers: Vec<String> = [
        "field-name",
        "field-kind",
        "channel-partner",
        "stage-diajukan",
        "stage-syarat-lengkap",
        "stage-diterima",
        "stage-memasok",
        "channel-closed",
        "channel-conversion",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let n = |v: usize| Value::Number(v as f64);
    let funnel_rows: Vec<Vec<Value>> = channels
        .iter()
        .map(|c| {
            vec![
                Value::Text(c.name.clone()),
                Value::Text(c.kind.clone()),
                Value::Text(c.partner.clone()),
                n(c.funnel[0]),
                n(c.funnel[1]),
                n(c.funnel[2]),
                n(c.funnel[3]),
                n(c.closed),
                Value::Text(c.conversion.clone()),
            ]
        })
        .collect();
    let kitchen_headers: Vec<String> = [
        "field-name",
        "channel-place",
        "channel-daily-portions",
        "kitchen-suppliers",
        "kitchen-short-by",
        "kitchen-dominant-col",
        "kitchen-monthly-total",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let kitchen_rows: Vec<Vec<Value>> = list
        .iter()
        .filter_map(|s| s.kitchen.as_ref().map(|h| (s, h)))
        .zip(&kitchens)
        .map(|((_, h), k)| {
            vec![
                Value::Text(k.name.clone()),
                Value::Text(k.place.clone()),
                Value::Text(k.portions.clone()),
                n(h.suppliers),
                n(h.short_by),
                Value::Text(k.dominant.clone()),
                Value::Rupiah(h.monthly_total),
            ]
        })
        .collect();
    let (name, slug) = letterhead(&auth);
    let title = tr.t("channels-export-title");
    let subtitle = tr.t1("channels-export-subtitle", "name", name);
    let (s1, s2) = (tr.t("channels-sheet-funnel"), tr.t("channels-sheet-kitchens"));
    let kitchen_title = tr.t("kitchens-title");
    let bytes = tokio::task::spawn_blocking(move || {
        xlsx_book(&[
            Sheet { name: &s1, title: &title, subtitle: &subtitle, headers: &funnel_headers, rows: &funnel_rows },
            Sheet {
                name: &s2,
                title: &kitchen_title,
                subtitle: &subtitle,
                headers: &kitchen_headers,
                rows: &kitchen_rows,
            },
        ])
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(download(bytes, XLSX, &format!("kanal-pasar-{slug}.xlsx")))
}

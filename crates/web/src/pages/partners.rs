//! The partner registry: list, page (contacts, offers), and forms with the duplicate warning.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::auth::{FieldError, required_text};
use sinergi_domain::cooperation::needs::PartnerKind;
use sinergi_domain::partners::{Npwp, Phone};
use sinergi_domain::{Actor, PartnerId, Permission, RegionCode};
use sinergi_store::partners::{ContactInput, OfferInput, PartnerFilter, PartnerInput, Similar};

use super::needs::urusan_label;
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

fn kind_label(tr: Tr, k: PartnerKind) -> String {
    tr.t(&format!("partner-kind-{}", k.slug()))
}

fn kinds(tr: Tr) -> Vec<(String, String)> {
    PartnerKind::ALL.into_iter().map(|k| (k.slug().to_owned(), kind_label(tr, k))).collect()
}

fn region_text(code: Option<&RegionCode>) -> String {
    code.map(|c| format!("{} ({c})", sinergi_reference::region_label(c))).unwrap_or_else(|| "—".into())
}

pub struct PartnerRowView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub region: String,
}

#[derive(Template)]
#[template(path = "partners.html")]
struct PartnersPage {
    shell: Shell,
    rows: Vec<PartnerRowView>,
    kinds: Vec<(String, String)>,
    kind: String,
    q: String,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
}

pub async fn list(State(state): State<AppState>, auth: Authed, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let filter = PartnerFilter { kind: q.kind.parse().ok(), query: Some(q.q.clone()) };
    let rows = state
        .store
        .partners(&auth.actor, &filter)
        .await?
        .into_iter()
        .map(|p| PartnerRowView {
            id: p.id.to_string(),
            kind: kind_label(tr, p.kind),
            region: region_text(p.region_code.as_ref()),
            name: p.name,
        })
        .collect();
    Ok(render(&PartnersPage {
        shell: Shell::new(&auth.ctx, "partners-title"),
        rows,
        kinds: kinds(tr),
        kind: q.kind,
        q: q.q,
        can_manage: auth.actor.can(Permission::ManagePartners),
    }))
}

pub struct ContactView {
    pub name: String,
    pub position: String,
    pub email: String,
    pub phone: String,
}

pub struct OfferView {
    pub title: String,
    pub description: String,
    pub urusan: String,
    pub area: String,
}

#[derive(Template)]
#[template(path = "partner.html")]
struct PartnerPage {
    shell: Shell,
    id: String,
    name: String,
    facts: Vec<(String, String)>,
    contacts: Vec<ContactView>,
    offers: Vec<OfferView>,
    urusan: Vec<(String, String)>,
    errors: FormErrors,
    can_manage: bool,
    can_audit: bool,
}

fn partner_id(s: &str) -> AppResult<PartnerId> {
    s.parse().map_err(|_| AppError::NotFound)
}

async fn partner_page(state: &AppState, auth: &Authed, id: PartnerId, errors: FormErrors) -> AppResult<PartnerPage> {
    let tr = auth.ctx.tr();
    let detail = state.store.partner(&auth.actor, id).await?;
    let p = &detail.partner;
    let can_manage = auth.actor.can(Permission::ManagePartners);
    let dash = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    let facts = vec![
        (tr.t("field-kind"), kind_label(tr, p.kind)),
        (tr.t("field-region"), region_text(p.region_code.as_ref())),
        ("NIB".to_owned(), dash(p.nib.as_ref().map(|n| n.to_string()))),
        ("NPWP".to_owned(), dash(p.npwp.as_ref().map(|n| visible_npwp(n, &auth.actor)))),
        (
            "KBLI".to_owned(),
            dash(p.kbli.as_ref().map(|k| match sinergi_reference::kbli(k) {
                Some(entry) => format!("{k} {}", entry.title),
                None => k.to_string(),
            })),
        ),
        (tr.t("field-sector"), dash(p.sector.clone())),
        (tr.t("field-address"), dash(p.address.clone())),
        (tr.t("field-website"), dash(p.website.clone())),
        (tr.t("field-description"), dash(p.description.clone())),
        (tr.t("field-status"), tr.t(if p.active { "status-active" } else { "status-inactive" })),
    ];
    let contacts = detail
        .contacts
        .iter()
        .map(|c| ContactView {
            name: c.name.clone(),
            position: c.position.clone().unwrap_or_else(|| "—".into()),
            email: c.email.as_ref().map(|e| e.to_string()).unwrap_or_else(|| "—".into()),
            phone: c.phone.as_ref().map(|ph| visible_phone(ph, &auth.actor)).unwrap_or_else(|| "—".into()),
        })
        .collect();
    let offers = detail
        .offers
        .iter()
        .map(|o| OfferView {
            title: o.title.clone(),
            description: o.description.clone(),
            urusan: urusan_label(tr, &o.urusan_code),
            area: region_text(o.area_code.as_ref()),
        })
        .collect();
    let mut shell = Shell::new(&auth.ctx, "partners-title");
    shell.title = p.name.clone();
    Ok(PartnerPage {
        shell,
        id: p.id.to_string(),
        name: p.name.clone(),
        facts,
        contacts,
        offers,
        urusan: sinergi_reference::urusan_all()
            .iter()
            .map(|u| (u.code.clone(), format!("{} {}", u.code, u.name(tr.locale))))
            .collect(),
        errors,
        can_manage,
        can_audit: auth.actor.can(Permission::ViewAudit),
    })
}

pub async fn show(State(state): State<AppState>, auth: Authed, Path(partner_id): Path<String>) -> AppResult<Response> {
    Ok(render(&partner_page(&state, &auth, self::partner_id(&partner_id)?, FormErrors::default()).await?))
}

#[derive(Deserialize, Default)]
pub struct PartnerForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    nib: String,
    #[serde(default)]
    npwp: String,
    #[serde(default)]
    kbli: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    confirm_new: Option<String>,
}

impl PartnerForm {
    fn parse(&self) -> Result<PartnerInput, Vec<FieldError>> {
        let input = PartnerInput::parse(
            &self.kind,
            &self.name,
            &self.region_code,
            &self.nib,
            &self.npwp,
            &self.kbli,
            &self.sector,
            &self.address,
            &self.website,
            &self.description,
            self.active.is_some(),
        )?;
        check_references(input)
    }
}

/// The shape of a region code or KBLI is checked by the store types; that it names a real
/// place or activity is a question for the reference data. Shared by the form and the API.
pub(crate) fn check_references(input: PartnerInput) -> Result<PartnerInput, Vec<FieldError>> {
    if let Some(code) = &input.region_code
        && sinergi_reference::region(code).is_none()
    {
        return Err(vec![FieldError::new("region_code", "unknown-region")]);
    }
    if let Some(k) = &input.kbli
        && sinergi_reference::kbli(k).is_none()
    {
        return Err(vec![FieldError::new("kbli", "invalid-kbli")]);
    }
    Ok(input)
}

/// A phone number is personal data: only those who keep the registry see it whole. The page
/// and the API show it through this one rule.
pub(crate) fn visible_phone(phone: &Phone, actor: &Actor) -> String {
    if actor.can(Permission::ManagePartners) { phone.expose().to_owned() } else { phone.masked() }
}

/// A taxpayer number, whole (formatted) for those who keep the registry, masked for others.
pub(crate) fn visible_npwp(npwp: &Npwp, actor: &Actor) -> String {
    if actor.can(Permission::ManagePartners) { npwp.formatted() } else { npwp.masked() }
}

#[derive(Template)]
#[template(path = "partner_form.html")]
struct PartnerFormPage {
    shell: Shell,
    heading: String,
    action: String,
    form: PartnerForm,
    kinds: Vec<(String, String)>,
    errors: FormErrors,
    similar: Vec<(String, String, String)>,
}

impl PartnerForm {
    fn is_active(&self) -> bool {
        self.active.is_some()
    }
}

fn form_page(
    auth: &Authed,
    editing: Option<PartnerId>,
    form: PartnerForm,
    errors: FormErrors,
    similar: &[Similar],
) -> PartnerFormPage {
    let tr = auth.ctx.tr();
    let (key, action) = match editing {
        Some(id) => ("partners-edit", format!("/partners/{id}")),
        None => ("partners-new", "/partners".to_owned()),
    };
    PartnerFormPage {
        shell: Shell::new(&auth.ctx, key),
        heading: tr.t(key),
        action,
        kinds: kinds(tr),
        similar: similar
            .iter()
            .map(|s| {
                (s.partner.id.to_string(), s.partner.name.clone(), tr.t(&format!("duplicate-{}", s.reason.slug())))
            })
            .collect(),
        form,
        errors,
    }
}

pub async fn new_form(auth: Authed) -> Response {
    let form =
        PartnerForm { kind: PartnerKind::Company.slug().into(), active: Some("true".into()), ..Default::default() };
    render(&form_page(&auth, None, form, FormErrors::default(), &[]))
}

pub async fn create(State(state): State<AppState>, auth: Authed, Form(form): Form<PartnerForm>) -> AppResult<Response> {
    save(state, auth, None, form).await
}

pub async fn update(
    State(state): State<AppState>,
    auth: Authed,
    Path(partner_id): Path<String>,
    Form(form): Form<PartnerForm>,
) -> AppResult<Response> {
    let id = self::partner_id(&partner_id)?;
    state.store.partner(&auth.actor, id).await?;
    save(state, auth, Some(id), form).await
}

/// Create or update. A partner that looks like one already in the registry is shown back with
/// the look-alikes, and saved only once the officer confirms it is a different one.
async fn save(state: AppState, auth: Authed, editing: Option<PartnerId>, form: PartnerForm) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let mut errors = FormErrors::default();
    let input = match form.parse() {
        Ok(i) => i,
        Err(list) => {
            list.iter().for_each(|e| errors.add(tr, e));
            return Ok(render_invalid(&form_page(&auth, editing, form, errors, &[])));
        }
    };
    if form.confirm_new.is_none() {
        let similar = state.store.similar_partners(&auth.actor, &input, editing).await?;
        if !similar.is_empty() {
            return Ok(render_invalid(&form_page(&auth, editing, form, errors, &similar)));
        }
    }
    let tenant = auth.actor.scope.tenant().cloned().ok_or(AppError::Forbidden)?;
    let result = match editing {
        Some(id) => state.store.update_partner(&auth.actor, id, input).await,
        None => state.store.create_partner(&auth.actor, &tenant, input).await,
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/partners/{}", p.id))),
        Err(e) => {
            errors.absorb(tr, e.into())?;
            Ok(render_invalid(&form_page(&auth, editing, form, errors, &[])))
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    auth: Authed,
    Path(partner_id): Path<String>,
) -> AppResult<Response> {
    let id = self::partner_id(&partner_id)?;
    let p = state.store.partner(&auth.actor, id).await?.partner;
    if !auth.actor.can(Permission::ManagePartners) {
        return Err(AppError::Forbidden);
    }
    let opt = |v: Option<String>| v.unwrap_or_default();
    let form = PartnerForm {
        kind: p.kind.slug().into(),
        name: p.name,
        region_code: opt(p.region_code.map(|c| c.to_string())),
        nib: opt(p.nib.map(|n| n.to_string())),
        npwp: opt(p.npwp.map(|n| n.as_str().to_owned())),
        kbli: opt(p.kbli.map(|k| k.to_string())),
        sector: opt(p.sector),
        address: opt(p.address),
        website: opt(p.website),
        description: opt(p.description),
        active: p.active.then(|| "true".into()),
        confirm_new: None,
    };
    Ok(render(&form_page(&auth, Some(id), form, FormErrors::default(), &[])))
}

#[derive(Deserialize, Default)]
pub struct ContactForm {
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
}

pub async fn add_contact(
    State(state): State<AppState>,
    auth: Authed,
    Path(partner_id): Path<String>,
    Form(form): Form<ContactForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::partner_id(&partner_id)?;
    state.store.partner(&auth.actor, id).await?;
    match ContactInput::parse(&form.contact_name, &form.position, &form.email, &form.phone) {
        Ok(input) => {
            state.store.add_contact(&auth.actor, id, input).await?;
            Ok(see_other(&format!("/partners/{id}")))
        }
        Err(list) => {
            let mut errors = FormErrors::default();
            list.iter().for_each(|e| errors.add(tr, e));
            Ok(render_invalid(&partner_page(&state, &auth, id, errors).await?))
        }
    }
}

#[derive(Deserialize, Default)]
pub struct OfferForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    urusan: String,
    #[serde(default)]
    area_code: String,
}

pub async fn add_offer(
    State(state): State<AppState>,
    auth: Authed,
    Path(partner_id): Path<String>,
    Form(form): Form<OfferForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::partner_id(&partner_id)?;
    state.store.partner(&auth.actor, id).await?;
    match parse_offer(&form.title, &form.description, &form.urusan, &form.area_code) {
        Ok(input) => {
            state.store.add_offer(&auth.actor, id, input).await?;
            Ok(see_other(&format!("/partners/{id}")))
        }
        Err(errors) => {
            let mut shown = FormErrors::default();
            errors.iter().for_each(|e| shown.add(tr, e));
            Ok(render_invalid(&partner_page(&state, &auth, id, shown).await?))
        }
    }
}

/// An offer from text, every error collected; the urusan and the area must exist in the
/// reference data. Shared by the form and the API.
pub(crate) fn parse_offer(
    title: &str,
    description: &str,
    urusan: &str,
    area_code: &str,
) -> Result<OfferInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = required_text("title", title, 200).map_err(|e| errors.push(e)).ok();
    let description = required_text("description", description, 4000).map_err(|e| errors.push(e)).ok();
    let urusan = sinergi_reference::urusan(urusan.trim()).map(|u| u.code.clone());
    if urusan.is_none() {
        errors.push(FieldError::new("urusan", "invalid-choice"));
    }
    let area = match area_code.trim() {
        "" => Some(None),
        c => match RegionCode::parse(c).ok().filter(|c| sinergi_reference::region(c).is_some()) {
            Some(c) => Some(Some(c)),
            None => {
                errors.push(FieldError::new("area_code", "unknown-region"));
                None
            }
        },
    };
    match (title, description, urusan, area) {
        (Some(title), Some(description), Some(urusan_code), Some(area_code)) if errors.is_empty() => {
            Ok(OfferInput { urusan_code, title, description, area_code })
        }
        _ => Err(errors),
    }
}

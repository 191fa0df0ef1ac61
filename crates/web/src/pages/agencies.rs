//! Agencies (perangkat daerah): the directory, one agency, and the forms to change them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::org::AgencyKind;
use sinergi_domain::{Actor, AgencyId, Permission, RegionCode, Scope};
use sinergi_store::agencies::{Agency, AgencyInput};

use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

pub struct AgencyRow {
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub status: String,
    pub depth: usize,
    pub tenant: Option<String>,
}

fn tenant_label(code: &RegionCode) -> String {
    sinergi_reference::region(code).map(|r| r.name.clone()).unwrap_or_else(|| code.to_string())
}

fn status(tr: Tr, active: bool) -> String {
    tr.t(if active { "status-active" } else { "status-inactive" })
}

/// Agencies in organisation-chart order: each parent followed by its children.
pub fn tree_order(list: &[Agency]) -> Vec<(&Agency, usize)> {
    fn walk<'a>(
        list: &'a [Agency],
        tenant: &RegionCode,
        parent: Option<AgencyId>,
        depth: usize,
        out: &mut Vec<(&'a Agency, usize)>,
    ) {
        for a in list.iter().filter(|a| &a.tenant == tenant && a.parent_id == parent) {
            out.push((a, depth));
            // The store refuses cycles; the bound only guards against a corrupt chart.
            if depth < 8 {
                walk(list, tenant, Some(a.id), depth + 1, out);
            }
        }
    }
    let mut tenants: Vec<&RegionCode> = list.iter().map(|a| &a.tenant).collect();
    tenants.sort();
    tenants.dedup();
    let mut out = Vec::with_capacity(list.len());
    for t in tenants {
        walk(list, t, None, 0, &mut out);
    }
    out
}

#[derive(Template)]
#[template(path = "agencies.html")]
struct AgenciesPage {
    shell: Shell,
    rows: Vec<AgencyRow>,
    can_manage: bool,
    tenant_label: Option<String>,
}

pub async fn list(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let agencies = state.store.agencies(&auth.actor, None).await?;
    let platform = auth.actor.scope == Scope::Platform;
    let rows = tree_order(&agencies)
        .into_iter()
        .map(|(a, depth)| AgencyRow {
            id: a.id.to_string(),
            name: a.name.clone(),
            short_name: a.short_name.clone(),
            kind: tr.t(&format!("agency-kind-{}", a.kind.slug())),
            status: status(tr, a.active),
            depth: depth.min(2),
            tenant: platform.then(|| tenant_label(&a.tenant)),
        })
        .collect();
    Ok(render(&AgenciesPage {
        shell: Shell::new(&auth.ctx, "agencies-title"),
        rows,
        can_manage: auth.actor.can(Permission::ManageAgencies),
        tenant_label: auth.actor.scope.tenant().map(tenant_label),
    }))
}

#[derive(Template)]
#[template(path = "agency.html")]
struct AgencyPage {
    shell: Shell,
    agency: Agency,
    short_name: String,
    kind: String,
    status: String,
    parent: Option<(String, String)>,
    children: Vec<(String, String)>,
    tenant_label: String,
    can_manage: bool,
    can_audit: bool,
}

pub async fn show(State(state): State<AppState>, auth: Authed, Path(agency_id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id: AgencyId = agency_id.parse().map_err(|_| AppError::NotFound)?;
    let agency = state.store.agency(&auth.actor, id).await?;
    let siblings = state.store.agencies(&auth.actor, Some(&agency.tenant)).await?;
    let parent =
        agency.parent_id.and_then(|p| siblings.iter().find(|a| a.id == p)).map(|p| (p.id.to_string(), p.name.clone()));
    let children =
        siblings.iter().filter(|a| a.parent_id == Some(id)).map(|a| (a.id.to_string(), a.name.clone())).collect();
    let mut shell = Shell::new(&auth.ctx, "agencies-title");
    shell.title = agency.name.clone();
    Ok(render(&AgencyPage {
        shell,
        short_name: agency.short_name.clone().unwrap_or_else(|| "—".into()),
        kind: tr.t(&format!("agency-kind-{}", agency.kind.slug())),
        status: status(tr, agency.active),
        parent,
        children,
        tenant_label: tenant_label(&agency.tenant),
        can_manage: auth.actor.can(Permission::ManageAgencies),
        can_audit: auth.actor.can(Permission::ViewAudit),
        agency,
    }))
}

#[derive(Deserialize, Default)]
pub struct AgencyForm {
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    active: Option<String>,
}

pub struct AgencyFormValues {
    pub tenant: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub parent_id: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "agency_form.html")]
struct AgencyFormPage {
    shell: Shell,
    heading: String,
    action: String,
    form: AgencyFormValues,
    errors: FormErrors,
    tenants: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    parents: Vec<(String, String)>,
}

async fn form_page(
    state: &AppState,
    auth: &Authed,
    heading_key: &str,
    action: String,
    form: AgencyFormValues,
    errors: FormErrors,
    editing: Option<AgencyId>,
) -> AppResult<AgencyFormPage> {
    let tr = auth.ctx.tr();
    let tenants = tenant_choices(state, &auth.actor).await?;
    let all = state.store.agencies(&auth.actor, None).await?;
    let parents = tree_order(&all)
        .into_iter()
        .filter(|(a, _)| Some(a.id) != editing)
        .map(|(a, depth)| {
            let label = format!("{}{}", "— ".repeat(depth), a.name);
            let label = if auth.actor.scope == Scope::Platform {
                format!("{label} ({})", tenant_label(&a.tenant))
            } else {
                label
            };
            (a.id.to_string(), label)
        })
        .collect();
    let kinds = AgencyKind::ALL
        .into_iter()
        .map(|k| (k.slug().to_owned(), tr.t(&format!("agency-kind-{}", k.slug()))))
        .collect();
    Ok(AgencyFormPage {
        shell: Shell::new(&auth.ctx, heading_key),
        heading: tr.t(heading_key),
        action,
        form,
        errors,
        tenants,
        kinds,
        parents,
    })
}

/// The tenant picker is shown only to the platform, which works across tenants.
pub async fn tenant_choices(state: &AppState, actor: &Actor) -> AppResult<Vec<(String, String)>> {
    if actor.scope != Scope::Platform {
        return Ok(Vec::new());
    }
    Ok(state
        .store
        .tenants(actor)
        .await?
        .into_iter()
        .map(|t| (t.code.to_string(), format!("{} ({})", t.name, t.code)))
        .collect())
}

pub async fn new_form(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let form = AgencyFormValues {
        tenant: auth.actor.scope.tenant().map(|t| t.to_string()).unwrap_or_default(),
        name: String::new(),
        short_name: String::new(),
        kind: "dinas".into(),
        parent_id: String::new(),
        active: true,
    };
    let page = form_page(&state, &auth, "agencies-new", "/agencies".into(), form, FormErrors::default(), None).await?;
    Ok(render(&page))
}

fn parse_form(tr: Tr, form: &AgencyForm, errors: &mut FormErrors) -> Option<AgencyInput> {
    match AgencyInput::parse(
        &form.name,
        Some(&form.short_name),
        &form.kind,
        Some(&form.parent_id),
        form.active.is_some(),
    ) {
        Ok(input) => Some(input),
        Err(e) => {
            errors.add(tr, &e);
            None
        }
    }
}

fn values(form: AgencyForm) -> AgencyFormValues {
    AgencyFormValues {
        active: form.active.is_some(),
        tenant: form.tenant,
        name: form.name,
        short_name: form.short_name,
        kind: form.kind,
        parent_id: form.parent_id,
    }
}

pub async fn create(State(state): State<AppState>, auth: Authed, Form(form): Form<AgencyForm>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let mut errors = FormErrors::default();
    let tenant = match &auth.actor.scope {
        Scope::Tenant(own) => Some(own.clone()),
        Scope::Platform => RegionCode::parse(&form.tenant).ok(),
    };
    if tenant.is_none() {
        errors.add_msg("tenant", tr.reason("required"));
    }
    if let (Some(input), Some(tenant)) = (parse_form(tr, &form, &mut errors), tenant) {
        match state.store.create_agency(&auth.actor, &tenant, input).await {
            Ok(agency) => return Ok(see_other(&format!("/agencies/{}", agency.id))),
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    let page = form_page(&state, &auth, "agencies-new", "/agencies".into(), values(form), errors, None).await?;
    Ok(render_invalid(&page))
}

pub async fn edit_form(
    State(state): State<AppState>,
    auth: Authed,
    Path(agency_id): Path<String>,
) -> AppResult<Response> {
    let id: AgencyId = agency_id.parse().map_err(|_| AppError::NotFound)?;
    let agency = state.store.agency(&auth.actor, id).await?;
    let form = AgencyFormValues {
        tenant: agency.tenant.to_string(),
        name: agency.name,
        short_name: agency.short_name.unwrap_or_default(),
        kind: agency.kind.slug().to_owned(),
        parent_id: agency.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        active: agency.active,
    };
    let page =
        form_page(&state, &auth, "agencies-edit", format!("/agencies/{id}"), form, FormErrors::default(), Some(id))
            .await?;
    Ok(render(&page))
}

pub async fn update(
    State(state): State<AppState>,
    auth: Authed,
    Path(agency_id): Path<String>,
    Form(form): Form<AgencyForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id: AgencyId = agency_id.parse().map_err(|_| AppError::NotFound)?;
    // Fail as "not found" before looking at the form when the agency is not the actor's.
    state.store.agency(&auth.actor, id).await?;
    let mut errors = FormErrors::default();
    if let Some(input) = parse_form(tr, &form, &mut errors) {
        match state.store.update_agency(&auth.actor, id, input).await {
            Ok(_) => return Ok(see_other(&format!("/agencies/{id}"))),
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    let page =
        form_page(&state, &auth, "agencies-edit", format!("/agencies/{id}"), values(form), errors, Some(id)).await?;
    Ok(render_invalid(&page))
}

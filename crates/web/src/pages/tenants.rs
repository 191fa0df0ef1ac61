//! Tenants (Pemda): the platform creates them; a region admin edits its own.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::cooperation::dormancy::DormancyRule;
use sinergi_domain::csr::ReportingWindows;
use sinergi_domain::{Permission, RegionCode};
use sinergi_store::tenants::{NewTenant, TenantUpdate};

use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};

pub struct TenantRow {
    pub code: String,
    pub name: String,
    pub region: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "tenants.html")]
struct TenantsPage {
    shell: Shell,
    rows: Vec<TenantRow>,
    can_create: bool,
}

pub async fn list(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let rows = state
        .store
        .tenants(&auth.actor)
        .await?
        .into_iter()
        .map(|t| TenantRow {
            region: sinergi_reference::region_label(&t.code),
            code: t.code.to_string(),
            name: t.name,
            status: tr.t(if t.active { "status-active" } else { "status-inactive" }),
        })
        .collect();
    Ok(render(&TenantsPage {
        shell: Shell::new(&auth.ctx, "tenants-title"),
        rows,
        can_create: auth.actor.can(Permission::ManagePlatform),
    }))
}

#[derive(Deserialize, Default)]
pub struct TenantForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    dormancy_months: String,
    #[serde(default)]
    csr_window_months: String,
}

pub struct TenantFormValues {
    pub code: String,
    pub name: String,
    pub slug: String,
    pub active: bool,
    pub dormancy_months: String,
    pub csr_window_months: String,
}

#[derive(Template)]
#[template(path = "tenant_form.html")]
struct TenantFormPage {
    shell: Shell,
    heading: String,
    action: String,
    is_new: bool,
    can_deactivate: bool,
    form: TenantFormValues,
    errors: FormErrors,
    notice: Option<String>,
    /// The reporting window lengths a Pemda may choose, in words.
    csr_windows: Vec<(String, String)>,
}

fn page(
    auth: &Authed,
    code: Option<&RegionCode>,
    form: TenantFormValues,
    errors: FormErrors,
    notice: Option<String>,
) -> TenantFormPage {
    let tr = auth.ctx.tr();
    let key = if code.is_some() { "tenants-edit" } else { "tenants-new" };
    TenantFormPage {
        shell: Shell::new(&auth.ctx, key),
        heading: tr.t(key),
        action: code.map(|c| format!("/tenants/{c}")).unwrap_or_else(|| "/tenants".into()),
        is_new: code.is_none(),
        can_deactivate: auth.actor.can(Permission::ManagePlatform),
        form,
        errors,
        notice,
        csr_windows: [1u8, 2, 3, 4, 6, 12]
            .into_iter()
            .filter_map(|m| ReportingWindows::new(m).ok())
            .map(|w| (w.months().to_string(), crate::pages::csr::window_every(tr, w)))
            .collect(),
    }
}

pub async fn new_form(auth: Authed) -> Response {
    let form = TenantFormValues {
        code: String::new(),
        name: String::new(),
        slug: String::new(),
        active: true,
        dormancy_months: DormancyRule::default().months.to_string(),
        csr_window_months: ReportingWindows::default().months().to_string(),
    };
    render(&page(&auth, None, form, FormErrors::default(), None))
}

pub async fn create(State(state): State<AppState>, auth: Authed, Form(form): Form<TenantForm>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let mut errors = FormErrors::default();
    match NewTenant::parse(&form.code, &form.name, Some(&form.slug)) {
        Ok(new) => match state.store.create_tenant(&auth.actor, new).await {
            Ok(t) => return Ok(see_other(&format!("/tenants/{}", t.code))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(e) => errors.add(tr, &e),
    }
    let values = TenantFormValues {
        code: form.code,
        name: form.name,
        slug: form.slug,
        active: true,
        dormancy_months: form.dormancy_months,
        csr_window_months: form.csr_window_months,
    };
    Ok(render_invalid(&page(&auth, None, values, errors, None)))
}

fn parse_code(code: &str) -> AppResult<RegionCode> {
    RegionCode::parse(code).map_err(|_| AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    auth: Authed,
    Path(tenant_code): Path<String>,
) -> AppResult<Response> {
    let code = parse_code(&tenant_code)?;
    let t = state.store.tenant(&auth.actor, &code).await?;
    let form = TenantFormValues {
        code: t.code.to_string(),
        name: t.name,
        slug: t.slug.to_string(),
        active: t.active,
        dormancy_months: t.dormancy.months.to_string(),
        csr_window_months: t.csr_windows.months().to_string(),
    };
    Ok(render(&page(&auth, Some(&code), form, FormErrors::default(), None)))
}

pub async fn update(
    State(state): State<AppState>,
    auth: Authed,
    Path(tenant_code): Path<String>,
    Form(form): Form<TenantForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let code = parse_code(&tenant_code)?;
    let current = state.store.tenant(&auth.actor, &code).await?;
    let mut errors = FormErrors::default();
    let dormancy = DormancyRule::parse_months(&form.dormancy_months).map_err(|e| errors.add(tr, &e)).ok();
    // Left out (an older form), the current setting stays.
    let csr_windows = match form.csr_window_months.trim() {
        "" => None,
        m => m
            .parse::<u8>()
            .map_err(|_| FieldError::new("csr_window_months", "invalid-choice"))
            .and_then(|m| {
                ReportingWindows::new(m).map_err(|_| FieldError::new("csr_window_months", "csr-window-length"))
            })
            .map_err(|e| errors.add(tr, &e))
            .ok(),
    };
    let update = TenantUpdate { name: form.name.clone(), active: form.active.is_some(), dormancy, csr_windows };
    let values = TenantFormValues {
        code: code.to_string(),
        name: form.name,
        slug: current.slug.to_string(),
        active: update.active,
        dormancy_months: form.dormancy_months,
        csr_window_months: form.csr_window_months,
    };
    if !errors.is_empty() {
        return Ok(render_invalid(&page(&auth, Some(&code), values, errors, None)));
    }
    match state.store.update_tenant(&auth.actor, &code, update).await {
        Ok(_) => Ok(render(&page(&auth, Some(&code), values, errors, Some(tr.t("saved"))))),
        Err(e) => {
            errors.absorb(tr, e.into())?;
            Ok(render_invalid(&page(&auth, Some(&code), values, errors, None)))
        }
    }
}

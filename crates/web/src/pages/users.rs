//! Users of a tenant: list, create, edit (role, agency, active, password reset).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::auth::{Email, NewPassword};
use sinergi_domain::{Permission, RegionCode, Role, Scope, UserId};
use sinergi_store::hash_password;
use sinergi_store::partners::PartnerFilter;
use sinergi_store::users::{NewUser, UserFilter, UserUpdate, parse_name, parse_partner, parse_role_agency};

use super::agencies::{tenant_choices, tree_order};
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};

pub struct UserRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub agency: String,
    pub status: String,
    pub tenant: Option<String>,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    shell: Shell,
    rows: Vec<UserRow>,
}

pub async fn list(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let users = state.store.users(&auth.actor, &UserFilter::default()).await?;
    let agencies = state.store.agencies(&auth.actor, None).await?;
    let platform = auth.actor.scope == Scope::Platform;
    let rows = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id.to_string(),
            agency: u
                .agency_id
                .and_then(|id| agencies.iter().find(|a| a.id == id))
                .map(|a| a.short_name.clone().unwrap_or_else(|| a.name.clone()))
                .unwrap_or_else(|| "—".into()),
            role: tr.role(u.role),
            status: tr.t(if u.active { "status-active" } else { "status-inactive" }),
            tenant: if platform { u.tenant.as_ref().map(|t| t.to_string()) } else { None },
            name: u.name,
            email: u.email.to_string(),
        })
        .collect();
    Ok(render(&UsersPage { shell: Shell::new(&auth.ctx, "users-title"), rows }))
}

#[derive(Deserialize, Default)]
pub struct UserForm {
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    agency_id: String,
    #[serde(default)]
    partner_id: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    active: Option<String>,
}

pub struct UserFormValues {
    pub tenant: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub agency_id: String,
    pub partner_id: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct UserFormPage {
    shell: Shell,
    heading: String,
    action: String,
    is_new: bool,
    form: UserFormValues,
    errors: FormErrors,
    notice: Option<String>,
    tenants: Vec<(String, String)>,
    roles: Vec<(String, String)>,
    agencies: Vec<(String, String)>,
    partners: Vec<(String, String)>,
    history_id: Option<String>,
}

async fn form_page(
    state: &AppState,
    auth: &Authed,
    editing: Option<UserId>,
    form: UserFormValues,
    errors: FormErrors,
    notice: Option<String>,
) -> AppResult<UserFormPage> {
    let tr = auth.ctx.tr();
    let (key, action) = match editing {
        Some(id) => ("users-edit", format!("/users/{id}")),
        None => ("users-new", "/users".to_owned()),
    };
    let roles = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::PlatformAdmin || auth.actor.can(Permission::ManagePlatform))
        .map(|r| (r.slug().to_owned(), tr.role(r)))
        .collect();
    let all = state.store.agencies(&auth.actor, None).await?;
    let agencies = tree_order(&all)
        .into_iter()
        .map(|(a, depth)| (a.id.to_string(), format!("{}{} ({})", "— ".repeat(depth), a.name, a.tenant)))
        .collect();
    // A partner user speaks for one partner of the registry (the company, bank...).
    let partners = state
        .store
        .partners(&auth.actor, &PartnerFilter::default())
        .await?
        .into_iter()
        .map(|p| (p.id.to_string(), format!("{} ({})", p.name, p.tenant)))
        .collect();
    Ok(UserFormPage {
        shell: Shell::new(&auth.ctx, key),
        heading: tr.t(key),
        action,
        is_new: editing.is_none(),
        form,
        errors,
        notice,
        tenants: tenant_choices(state, &auth.actor).await?,
        roles,
        agencies,
        partners,
        history_id: editing.map(|id| id.to_string()),
    })
}

fn values(form: &UserForm) -> UserFormValues {
    UserFormValues {
        tenant: form.tenant.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
        role: form.role.clone(),
        agency_id: form.agency_id.clone(),
        partner_id: form.partner_id.clone(),
        active: form.active.is_some(),
    }
}

pub async fn new_form(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let form = UserFormValues {
        tenant: auth.actor.scope.tenant().map(|t| t.to_string()).unwrap_or_default(),
        name: String::new(),
        email: String::new(),
        role: Role::Viewer.slug().into(),
        agency_id: String::new(),
        partner_id: String::new(),
        active: true,
    };
    Ok(render(&form_page(&state, &auth, None, form, FormErrors::default(), None).await?))
}

pub async fn create(State(state): State<AppState>, auth: Authed, Form(form): Form<UserForm>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let mut errors = FormErrors::default();
    let name = parse_name(&form.name).map_err(|e| errors.add(tr, &e)).ok();
    let email = Email::parse(&form.email).map_err(|e| errors.add(tr, &e)).ok();
    let role_agency = parse_role_agency(&form.role, Some(&form.agency_id)).map_err(|e| errors.add(tr, &e)).ok();
    let partner = role_agency
        .and_then(|(role, _)| parse_partner(role, Some(&form.partner_id)).map_err(|e| errors.add(tr, &e)).ok());
    let password = NewPassword::parse(&form.password).map_err(|e| errors.add(tr, &e)).ok();
    let tenant = match &auth.actor.scope {
        Scope::Tenant(own) => Some(own.clone()),
        Scope::Platform => RegionCode::parse(&form.tenant).ok(),
    };
    if let (Some(name), Some(email), Some((role, agency_id)), Some(partner_id), Some(password)) =
        (name, email, role_agency, partner, password)
    {
        let password_hash = hash_password(&password).await?;
        let new = NewUser { tenant, agency_id, partner_id, email, name, role, password_hash };
        match state.store.create_user(&auth.actor, new).await {
            Ok(user) => return Ok(see_other(&format!("/users/{}", user.id))),
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    Ok(render_invalid(&form_page(&state, &auth, None, values(&form), errors, None).await?))
}

pub async fn edit_form(
    State(state): State<AppState>,
    auth: Authed,
    Path(user_id): Path<String>,
) -> AppResult<Response> {
    let id: UserId = user_id.parse().map_err(|_| AppError::NotFound)?;
    let user = state.store.user(&auth.actor, id).await?;
    if !auth.actor.can(Permission::ManageUsers) {
        return Err(AppError::Forbidden);
    }
    let form = UserFormValues {
        tenant: user.tenant.map(|t| t.to_string()).unwrap_or_default(),
        name: user.name,
        email: user.email.to_string(),
        role: user.role.slug().to_owned(),
        agency_id: user.agency_id.map(|a| a.to_string()).unwrap_or_default(),
        partner_id: user.partner_id.map(|p| p.to_string()).unwrap_or_default(),
        active: user.active,
    };
    Ok(render(&form_page(&state, &auth, Some(id), form, FormErrors::default(), None).await?))
}

pub async fn update(
    State(state): State<AppState>,
    auth: Authed,
    Path(user_id): Path<String>,
    Form(form): Form<UserForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id: UserId = user_id.parse().map_err(|_| AppError::NotFound)?;
    let current = state.store.user(&auth.actor, id).await?;
    let mut errors = FormErrors::default();
    let role_agency = parse_role_agency(&form.role, Some(&form.agency_id)).map_err(|e| errors.add(tr, &e)).ok();
    let partner = role_agency
        .and_then(|(role, _)| parse_partner(role, Some(&form.partner_id)).map_err(|e| errors.add(tr, &e)).ok());
    let password = match form.password.trim() {
        "" => None,
        p => NewPassword::parse(p).map_err(|e| errors.add(tr, &e)).ok(),
    };
    let mut shown = values(&form);
    shown.email = current.email.to_string();
    if let (Some((role, agency_id)), Some(partner_id), true) = (role_agency, partner, errors.is_empty()) {
        let update = UserUpdate { name: form.name.clone(), role, agency_id, partner_id, active: form.active.is_some() };
        match state.store.update_user(&auth.actor, id, update).await {
            Ok(_) => {
                if let Some(p) = password {
                    let hash = hash_password(&p).await?;
                    state.store.set_password(&auth.actor, id, hash, None).await?;
                }
                let page = form_page(&state, &auth, Some(id), shown, errors, Some(tr.t("saved"))).await?;
                return Ok(render(&page));
            }
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    Ok(render_invalid(&form_page(&state, &auth, Some(id), shown, errors, None).await?))
}

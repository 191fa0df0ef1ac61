//! Tenants, agencies and users over JSON.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sinergi_domain::auth::{Email, FieldError, NewPassword};
use sinergi_domain::cooperation::dormancy::DormancyRule;
use sinergi_domain::csr::ReportingWindows;
use sinergi_domain::{AgencyId, RegionCode, Scope, UserId};
use sinergi_store::agencies::{Agency, AgencyInput};
use sinergi_store::hash_password;
use sinergi_store::tenants::{NewTenant, Tenant, TenantUpdate};
use sinergi_store::users::{NewUser, User, UserFilter, UserUpdate, parse_name, parse_partner, parse_role_agency};
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use super::tokens::rfc3339;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};

#[derive(Serialize, ToSchema)]
pub struct TenantDto {
    /// Kemendagri region code, e.g. 36.73.
    pub code: String,
    pub slug: String,
    pub name: String,
    pub active: bool,
    /// Months without follow-up after which an agreement counts as stopped on paper.
    pub dormancy_months: u8,
    /// Length in months of the CSR reporting windows (3 = quarterly).
    pub csr_window_months: u8,
    pub updated_at: String,
}

impl From<Tenant> for TenantDto {
    fn from(t: Tenant) -> Self {
        Self {
            code: t.code.to_string(),
            slug: t.slug.to_string(),
            name: t.name,
            active: t.active,
            dormancy_months: t.dormancy.months,
            csr_window_months: t.csr_windows.months(),
            updated_at: rfc3339(t.updated_at_ms),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct TenantCreate {
    pub code: String,
    pub name: String,
    pub slug: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct TenantChange {
    pub name: String,
    #[serde(default = "yes")]
    pub active: bool,
    /// 1 to 24; left out, the current setting stays.
    #[serde(default)]
    pub dormancy_months: Option<u8>,
    /// 1, 2, 3, 4, 6 or 12; left out, the current setting stays.
    #[serde(default)]
    pub csr_window_months: Option<u8>,
}

fn yes() -> bool {
    true
}

fn tenant_code(s: &str) -> AppResult<RegionCode> {
    RegionCode::parse(s).map_err(|_| AppError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/tenants", tag = "directory", security(("bearer" = [])), responses((status = 200, body = [TenantDto])))]
pub async fn list_tenants(State(state): State<AppState>, auth: Authed) -> AppResult<Json<Vec<TenantDto>>> {
    Ok(Json(state.store.tenants(&auth.actor).await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/tenants/{tenant_code}", tag = "directory", security(("bearer" = [])),
    params(("tenant_code" = String, Path, example = "36.73")), responses((status = 200, body = TenantDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_tenant(
    State(state): State<AppState>,
    auth: Authed,
    Path(tenant_code): Path<String>,
) -> AppResult<Json<TenantDto>> {
    Ok(Json(state.store.tenant(&auth.actor, &self::tenant_code(&tenant_code)?).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/tenants", tag = "directory", security(("bearer" = [])), request_body = TenantCreate,
    responses((status = 201, body = TenantDto), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_tenant(
    State(state): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<TenantCreate>,
) -> AppResult<(StatusCode, Json<TenantDto>)> {
    let new = NewTenant::parse(&body.code, &body.name, body.slug.as_deref())?;
    let t = state.store.create_tenant(&auth.actor, new).await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

#[utoipa::path(put, path = "/api/v1/tenants/{tenant_code}", tag = "directory", security(("bearer" = [])), request_body = TenantChange,
    params(("tenant_code" = String, Path)), responses((status = 200, body = TenantDto), (status = 404, body = super::ErrorBody)))]
pub async fn update_tenant(
    State(state): State<AppState>,
    auth: Authed,
    Path(tenant_code): Path<String>,
    ApiJson(body): ApiJson<TenantChange>,
) -> AppResult<Json<TenantDto>> {
    let code = self::tenant_code(&tenant_code)?;
    let dormancy = body
        .dormancy_months
        .map(|m| DormancyRule::parse_months(&m.to_string()))
        .transpose()
        .map_err(AppError::Invalid)?;
    let csr_windows = body.csr_window_months.map(ReportingWindows::new).transpose().map_err(AppError::Invalid)?;
    let t = state
        .store
        .update_tenant(&auth.actor, &code, TenantUpdate { name: body.name, active: body.active, dormancy, csr_windows })
        .await?;
    Ok(Json(t.into()))
}

#[derive(Serialize, ToSchema)]
pub struct AgencyDto {
    pub id: String,
    pub tenant: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub short_name: Option<String>,
    /// sekretariat, dinas, badan, bagian, inspektorat, kecamatan, uptd, lainnya
    pub kind: String,
    pub active: bool,
    pub updated_at: String,
}

impl From<Agency> for AgencyDto {
    fn from(a: Agency) -> Self {
        Self {
            id: a.id.to_string(),
            tenant: a.tenant.to_string(),
            parent_id: a.parent_id.map(|p| p.to_string()),
            name: a.name,
            short_name: a.short_name,
            kind: a.kind.slug().to_owned(),
            active: a.active,
            updated_at: rfc3339(a.updated_at_ms),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct AgencyBody {
    /// Only the platform names a tenant; everyone else writes to their own.
    pub tenant: Option<String>,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub parent_id: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

impl AgencyBody {
    fn input(&self) -> Result<AgencyInput, FieldError> {
        AgencyInput::parse(&self.name, self.short_name.as_deref(), &self.kind, self.parent_id.as_deref(), self.active)
    }
}

#[derive(Deserialize, IntoParams)]
pub struct TenantQuery {
    /// Platform only: restrict to one tenant.
    pub tenant: Option<String>,
}

fn requested_tenant(q: Option<&str>) -> AppResult<Option<RegionCode>> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => RegionCode::parse(s)
            .map(Some)
            .map_err(|_| AppError::Invalid(FieldError::new("tenant", "invalid-region-code"))),
        None => Ok(None),
    }
}

#[utoipa::path(get, path = "/api/v1/agencies", tag = "directory", security(("bearer" = [])), params(TenantQuery),
    responses((status = 200, body = [AgencyDto]), (status = 403, body = super::ErrorBody)))]
pub async fn list_agencies(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<TenantQuery>,
) -> AppResult<Json<Vec<AgencyDto>>> {
    let tenant = requested_tenant(q.tenant.as_deref())?;
    Ok(Json(state.store.agencies(&auth.actor, tenant.as_ref()).await?.into_iter().map(Into::into).collect()))
}

fn agency_id(s: &str) -> AppResult<AgencyId> {
    s.parse().map_err(|_| AppError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/agencies/{agency_id}", tag = "directory", security(("bearer" = [])),
    params(("agency_id" = String, Path)), responses((status = 200, body = AgencyDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_agency(
    State(state): State<AppState>,
    auth: Authed,
    Path(agency_id): Path<String>,
) -> AppResult<Json<AgencyDto>> {
    Ok(Json(state.store.agency(&auth.actor, self::agency_id(&agency_id)?).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/agencies", tag = "directory", security(("bearer" = [])), request_body = AgencyBody,
    responses((status = 201, body = AgencyDto), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_agency(
    State(state): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<AgencyBody>,
) -> AppResult<(StatusCode, Json<AgencyDto>)> {
    let tenant = match (&auth.actor.scope, requested_tenant(body.tenant.as_deref())?) {
        (Scope::Tenant(own), _) => own.clone(),
        (Scope::Platform, Some(t)) => t,
        (Scope::Platform, None) => return Err(AppError::Invalid(FieldError::new("tenant", "required"))),
    };
    let agency = state.store.create_agency(&auth.actor, &tenant, body.input()?).await?;
    Ok((StatusCode::CREATED, Json(agency.into())))
}

#[utoipa::path(put, path = "/api/v1/agencies/{agency_id}", tag = "directory", security(("bearer" = [])), request_body = AgencyBody,
    params(("agency_id" = String, Path)), responses((status = 200, body = AgencyDto), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update_agency(
    State(state): State<AppState>,
    auth: Authed,
    Path(agency_id): Path<String>,
    ApiJson(body): ApiJson<AgencyBody>,
) -> AppResult<Json<AgencyDto>> {
    let id = self::agency_id(&agency_id)?;
    state.store.agency(&auth.actor, id).await?;
    Ok(Json(state.store.update_agency(&auth.actor, id, body.input()?).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: String,
    pub tenant: Option<String>,
    pub agency_id: Option<String>,
    /// For a partner user: the partner (company, bank...) they speak for.
    pub partner_id: Option<String>,
    pub email: String,
    pub name: String,
    /// platform-admin, region-admin, agency-officer, umkm-officer, lab-officer, partner, umkm-owner, viewer
    pub role: String,
    pub locale: String,
    pub active: bool,
}

impl From<User> for UserDto {
    fn from(u: User) -> Self {
        Self {
            id: u.id.to_string(),
            tenant: u.tenant.map(|t| t.to_string()),
            agency_id: u.agency_id.map(|a| a.to_string()),
            partner_id: u.partner_id.map(|p| p.to_string()),
            email: u.email.to_string(),
            name: u.name,
            role: u.role.slug().to_owned(),
            locale: u.locale.as_str().to_owned(),
            active: u.active,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct UserCreate {
    pub tenant: Option<String>,
    pub name: String,
    pub email: String,
    pub role: String,
    pub agency_id: Option<String>,
    /// Required for the partner role: the partner the user speaks for.
    pub partner_id: Option<String>,
    /// At least 10 characters.
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct UserChange {
    pub name: String,
    pub role: String,
    pub agency_id: Option<String>,
    pub partner_id: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "directory", security(("bearer" = [])), params(TenantQuery),
    responses((status = 200, body = [UserDto]), (status = 403, body = super::ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<TenantQuery>,
) -> AppResult<Json<Vec<UserDto>>> {
    let filter = UserFilter { tenant: requested_tenant(q.tenant.as_deref())?, ..Default::default() };
    Ok(Json(state.store.users(&auth.actor, &filter).await?.into_iter().map(Into::into).collect()))
}

fn user_id(s: &str) -> AppResult<UserId> {
    s.parse().map_err(|_| AppError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/users/{user_id}", tag = "directory", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, body = UserDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_user(
    State(state): State<AppState>,
    auth: Authed,
    Path(user_id): Path<String>,
) -> AppResult<Json<UserDto>> {
    Ok(Json(state.store.user(&auth.actor, self::user_id(&user_id)?).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "directory", security(("bearer" = [])), request_body = UserCreate,
    responses((status = 201, body = UserDto), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<UserCreate>,
) -> AppResult<(StatusCode, Json<UserDto>)> {
    let name = parse_name(&body.name)?;
    let email = Email::parse(&body.email)?;
    let (role, agency_id) = parse_role_agency(&body.role, body.agency_id.as_deref())?;
    let partner_id = parse_partner(role, body.partner_id.as_deref())?;
    let password = NewPassword::parse(&body.password)?;
    let tenant = requested_tenant(body.tenant.as_deref())?;
    let password_hash = hash_password(&password).await?;
    let user = state
        .store
        .create_user(&auth.actor, NewUser { tenant, agency_id, partner_id, email, name, role, password_hash })
        .await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

#[utoipa::path(put, path = "/api/v1/users/{user_id}", tag = "directory", security(("bearer" = [])), request_body = UserChange,
    params(("user_id" = String, Path)), responses((status = 200, body = UserDto), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    auth: Authed,
    Path(user_id): Path<String>,
    ApiJson(body): ApiJson<UserChange>,
) -> AppResult<Json<UserDto>> {
    let id = self::user_id(&user_id)?;
    state.store.user(&auth.actor, id).await?;
    let (role, agency_id) = parse_role_agency(&body.role, body.agency_id.as_deref())?;
    let partner_id = parse_partner(role, body.partner_id.as_deref())?;
    let user = state
        .store
        .update_user(&auth.actor, id, UserUpdate { name: body.name, role, agency_id, partner_id, active: body.active })
        .await?;
    Ok(Json(user.into()))
}

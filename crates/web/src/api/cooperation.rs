//! Cooperation planning over JSON: performance targets and needs.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sinergi_domain::auth::FieldError;
use sinergi_domain::{AgencyId, NeedId, RegionCode, Scope};
use sinergi_store::cooperation::{Need, PlanFilter, Target, TargetInput};
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use super::tokens::rfc3339;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::pages::needs::NeedForm;

#[derive(Deserialize, IntoParams)]
pub struct PlanQuery {
    pub year: Option<i32>,
    pub agency_id: Option<String>,
}

impl PlanQuery {
    fn filter(&self) -> AppResult<PlanFilter> {
        let agency_id = match self.agency_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(a) => Some(
                a.parse::<AgencyId>().map_err(|_| AppError::Invalid(FieldError::new("agency_id", "invalid-choice")))?,
            ),
            None => None,
        };
        Ok(PlanFilter { agency_id, year: self.year, ..Default::default() })
    }
}

/// The tenant a write goes to: one's own, or for the platform the one the body names.
pub(crate) fn write_tenant(auth: &Authed, named: Option<&str>) -> AppResult<RegionCode> {
    match (&auth.actor.scope, named.map(str::trim).filter(|s| !s.is_empty())) {
        (Scope::Tenant(own), _) => Ok(own.clone()),
        (Scope::Platform, Some(t)) => {
            RegionCode::parse(t).map_err(|_| AppError::Invalid(FieldError::new("tenant", "invalid-region-code")))
        }
        (Scope::Platform, None) => Err(AppError::Invalid(FieldError::new("tenant", "required"))),
    }
}

#[derive(Serialize, ToSchema)]
pub struct TargetDto {
    pub id: String,
    pub tenant: String,
    pub agency_id: String,
    pub year: i32,
    pub indicator: String,
    pub unit: String,
    pub target_value: f64,
    pub realised_value: Option<f64>,
    pub updated_at: String,
}

impl From<Target> for TargetDto {
    fn from(t: Target) -> Self {
        Self {
            id: t.id.to_string(),
            tenant: t.tenant.to_string(),
            agency_id: t.agency_id.to_string(),
            year: t.year,
            indicator: t.indicator,
            unit: t.unit,
            target_value: t.target_value,
            realised_value: t.realised_value,
            updated_at: rfc3339(t.updated_at_ms),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct TargetBody {
    pub tenant: Option<String>,
    pub agency_id: String,
    pub year: i32,
    pub indicator: String,
    pub unit: String,
    pub target_value: f64,
    pub realised_value: Option<f64>,
}

#[utoipa::path(get, path = "/api/v1/targets", tag = "cooperation", security(("bearer" = [])), params(PlanQuery),
    responses((status = 200, body = [TargetDto])))]
pub async fn list_targets(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<PlanQuery>,
) -> AppResult<Json<Vec<TargetDto>>> {
    Ok(Json(state.store.targets(&auth.actor, &q.filter()?).await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/targets", tag = "cooperation", security(("bearer" = [])), request_body = TargetBody,
    responses((status = 201, body = TargetDto), (status = 422, body = super::ErrorBody)))]
pub async fn create_target(
    State(state): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<TargetBody>,
) -> AppResult<(StatusCode, Json<TargetDto>)> {
    let tenant = write_tenant(&auth, body.tenant.as_deref())?;
    let agency: AgencyId =
        body.agency_id.parse().map_err(|_| AppError::Invalid(FieldError::new("agency_id", "invalid-choice")))?;
    let realised = body.realised_value.map(|v| v.to_string()).unwrap_or_default();
    let input = TargetInput::parse(
        &body.year.to_string(),
        &body.indicator,
        &body.unit,
        &body.target_value.to_string(),
        &realised,
    )
    .map_err(|errors| {
        errors.into_iter().next().map(AppError::Invalid).unwrap_or(AppError::BadRequest("target".into()))
    })?;
    let target = state.store.create_target(&auth.actor, &tenant, agency, input).await?;
    Ok((StatusCode::CREATED, Json(target.into())))
}

#[derive(Serialize, ToSchema)]
pub struct NeedDto {
    pub id: String,
    pub tenant: String,
    pub agency_id: String,
    pub year: i32,
    pub title: String,
    pub problem: String,
    /// Government affair code (Permendagri 90/2019), e.g. 2.17.
    pub urusan: String,
    /// region, company, state-enterprise, bank, university, association, retailer, cooperative, foreign
    pub partner_kind: String,
    pub expected_benefit: String,
    /// 1, 2 or 3; null when not a priority.
    pub priority_rank: Option<u8>,
    /// draft, submitted, matched, in-agreement, fulfilled, dropped
    pub status: String,
    pub target_ids: Vec<String>,
    pub updated_at: String,
}

impl From<Need> for NeedDto {
    fn from(n: Need) -> Self {
        Self {
            id: n.id.to_string(),
            tenant: n.tenant.to_string(),
            agency_id: n.agency_id.to_string(),
            year: n.year,
            title: n.title,
            problem: n.problem,
            urusan: n.urusan_code,
            partner_kind: n.partner_kind.slug().to_owned(),
            expected_benefit: n.expected_benefit,
            priority_rank: n.priority.map(|p| p.get()),
            status: n.status.slug().to_owned(),
            target_ids: n.target_ids.iter().map(|t| t.to_string()).collect(),
            updated_at: rfc3339(n.updated_at_ms),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NeedBody {
    pub tenant: Option<String>,
    pub agency_id: String,
    pub year: i32,
    pub title: String,
    pub problem: String,
    pub urusan: String,
    pub partner_kind: String,
    pub expected_benefit: String,
    pub priority_rank: Option<u8>,
    #[serde(default)]
    pub target_ids: Vec<String>,
}

impl NeedBody {
    fn form(&self) -> NeedForm {
        NeedForm {
            agency_id: self.agency_id.clone(),
            year: self.year.to_string(),
            title: self.title.clone(),
            problem: self.problem.clone(),
            urusan: self.urusan.clone(),
            partner_kind: self.partner_kind.clone(),
            expected_benefit: self.expected_benefit.clone(),
            priority_rank: self.priority_rank.map(|p| p.to_string()).unwrap_or_default(),
            target_id: self.target_ids.clone(),
        }
    }

    fn input(&self) -> AppResult<sinergi_store::cooperation::NeedInput> {
        self.form().parse().map_err(|errors| {
            errors.into_iter().next().map(AppError::Invalid).unwrap_or(AppError::BadRequest("need".into()))
        })
    }
}

#[derive(Deserialize, ToSchema)]
pub struct StatusBody {
    pub status: String,
}

fn need_id(s: &str) -> AppResult<NeedId> {
    s.parse().map_err(|_| AppError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/needs", tag = "cooperation", security(("bearer" = [])), params(PlanQuery),
    responses((status = 200, body = [NeedDto])))]
pub async fn list_needs(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<PlanQuery>,
) -> AppResult<Json<Vec<NeedDto>>> {
    Ok(Json(state.store.needs(&auth.actor, &q.filter()?).await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/needs/{need_id}", tag = "cooperation", security(("bearer" = [])),
    params(("need_id" = String, Path)), responses((status = 200, body = NeedDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_need(
    State(state): State<AppState>,
    auth: Authed,
    Path(need_id): Path<String>,
) -> AppResult<Json<NeedDto>> {
    Ok(Json(state.store.need(&auth.actor, self::need_id(&need_id)?).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/needs", tag = "cooperation", security(("bearer" = [])), request_body = NeedBody,
    responses((status = 201, body = NeedDto), (status = 422, body = super::ErrorBody)))]
pub async fn create_need(
    State(state): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<NeedBody>,
) -> AppResult<(StatusCode, Json<NeedDto>)> {
    let tenant = write_tenant(&auth, body.tenant.as_deref())?;
    let need = state.store.create_need(&auth.actor, &tenant, body.input()?).await?;
    Ok((StatusCode::CREATED, Json(need.into())))
}

#[utoipa::path(put, path = "/api/v1/needs/{need_id}", tag = "cooperation", security(("bearer" = [])), request_body = NeedBody,
    params(("need_id" = String, Path)), responses((status = 200, body = NeedDto), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update_need(
    State(state): State<AppState>,
    auth: Authed,
    Path(need_id): Path<String>,
    ApiJson(body): ApiJson<NeedBody>,
) -> AppResult<Json<NeedDto>> {
    let id = self::need_id(&need_id)?;
    state.store.need(&auth.actor, id).await?;
    Ok(Json(state.store.update_need(&auth.actor, id, body.input()?).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/needs/{need_id}/status", tag = "cooperation", security(("bearer" = [])), request_body = StatusBody,
    params(("need_id" = String, Path)), responses((status = 200, body = NeedDto), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_need_status(
    State(state): State<AppState>,
    auth: Authed,
    Path(need_id): Path<String>,
    ApiJson(body): ApiJson<StatusBody>,
) -> AppResult<Json<NeedDto>> {
    let id = self::need_id(&need_id)?;
    state.store.need(&auth.actor, id).await?;
    let to = body.status.parse()?;
    Ok(Json(state.store.set_need_status(&auth.actor, id, to).await?.into()))
}

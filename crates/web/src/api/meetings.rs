//! Meetings over JSON: the list, one meeting with its attendees and action items, and the
//! writes the Bagian Kerja Sama makes after a meeting.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sinergi_domain::auth::FieldError;
use sinergi_domain::cooperation::meetings::{ActionItemDraft, ActionStatus, AttendeeRef};
use sinergi_domain::{AgreementId, NeedId, RegionCode, Scope};
use sinergi_store::meetings::{ActionItem, Attendee, Meeting, MeetingDetail, MeetingFilter};
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use super::tokens::rfc3339;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::jobs::today_wib;
use crate::pages::meetings::{MeetingForm, meeting_id};

fn first_error(errors: Vec<FieldError>, what: &str) -> AppError {
    errors.into_iter().next().map(AppError::Invalid).unwrap_or_else(|| AppError::BadRequest(what.into()))
}

#[derive(Deserialize, IntoParams)]
pub struct MeetingQuery {
    /// rapat, fgd, rapat-pemetaan, forum-csr
    pub kind: Option<String>,
    /// Only meetings about this need.
    pub need_id: Option<String>,
    /// Only meetings about this agreement.
    pub agreement_id: Option<String>,
}

impl MeetingQuery {
    fn filter(&self) -> AppResult<MeetingFilter> {
        let present = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let kind = present(&self.kind).map(|k| k.parse()).transpose()?;
        let need = present(&self.need_id)
            .map(|n| n.parse::<NeedId>().map_err(|_| AppError::Invalid(FieldError::new("need_id", "invalid-choice"))))
            .transpose()?;
        let agreement = present(&self.agreement_id)
            .map(|a| {
                a.parse::<AgreementId>()
                    .map_err(|_| AppError::Invalid(FieldError::new("agreement_id", "invalid-choice")))
            })
            .transpose()?;
        Ok(MeetingFilter { kind, need, agreement })
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActionItemDto {
    pub id: String,
    pub meeting_id: String,
    pub title: String,
    pub owner_user_id: Option<String>,
    pub owner_label: Option<String>,
    /// YYYY-MM-DD
    pub due_on: Option<String>,
    /// open, in-progress, done, cancelled
    pub status: String,
    pub done_on: Option<String>,
    /// Past its due date (in WIB) and neither done nor cancelled.
    pub overdue: bool,
    pub updated_at: String,
}

impl ActionItemDto {
    fn new(i: ActionItem, today: time::Date) -> Self {
        Self {
            overdue: i.is_overdue(today),
            id: i.id.to_string(),
            meeting_id: i.meeting_id.to_string(),
            title: i.title,
            owner_user_id: i.owner_user_id.map(|u| u.to_string()),
            owner_label: i.owner_label,
            due_on: i.due_on.map(|d| d.to_string()),
            status: i.status.slug().to_owned(),
            done_on: i.done_on.map(|d| d.to_string()),
            updated_at: rfc3339(i.updated_at_ms),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AttendeeDto {
    pub user_id: Option<String>,
    pub contact_id: Option<String>,
    pub name: String,
    pub organisation: Option<String>,
}

impl From<Attendee> for AttendeeDto {
    fn from(a: Attendee) -> Self {
        Self {
            user_id: a.user_id.map(|u| u.to_string()),
            contact_id: a.contact_id.map(|c| c.to_string()),
            name: a.name,
            organisation: a.organisation,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MeetingDto {
    pub id: String,
    pub tenant: String,
    /// rapat, fgd, rapat-pemetaan, forum-csr
    pub kind: String,
    pub title: String,
    /// YYYY-MM-DD
    pub held_on: String,
    pub place: Option<String>,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    /// One decision per line.
    pub decisions: Option<String>,
    pub updated_at: String,
    pub action_items: Vec<ActionItemDto>,
}

impl MeetingDto {
    fn new(m: Meeting, items: Vec<ActionItem>, today: time::Date) -> Self {
        Self {
            id: m.id.to_string(),
            tenant: m.tenant.to_string(),
            kind: m.kind.slug().to_owned(),
            title: m.title,
            held_on: m.held_on.to_string(),
            place: m.place,
            agenda: m.agenda,
            minutes: m.minutes,
            decisions: m.decisions,
            updated_at: rfc3339(m.updated_at_ms),
            action_items: items.into_iter().map(|i| ActionItemDto::new(i, today)).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MeetingDetailDto {
    #[serde(flatten)]
    pub meeting: MeetingDto,
    pub attendees: Vec<AttendeeDto>,
    pub need_ids: Vec<String>,
    pub agreement_ids: Vec<String>,
}

impl MeetingDetailDto {
    fn new(d: MeetingDetail, today: time::Date) -> Self {
        Self {
            attendees: d.attendees.into_iter().map(Into::into).collect(),
            need_ids: d.need_ids.iter().map(ToString::to_string).collect(),
            agreement_ids: d.agreement_ids.iter().map(ToString::to_string).collect(),
            meeting: MeetingDto::new(d.meeting, d.action_items, today),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct MeetingBody {
    /// Only for the platform: the tenant the meeting belongs to.
    pub tenant: Option<String>,
    pub kind: String,
    pub title: String,
    /// YYYY-MM-DD
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub minutes: String,
    /// One decision per line.
    #[serde(default)]
    pub decisions: String,
    #[serde(default)]
    pub need_ids: Vec<String>,
    #[serde(default)]
    pub agreement_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct AttendeeBody {
    /// A user of the Pemda; or
    pub user_id: Option<String>,
    /// a contact of the partner registry; or
    pub contact_id: Option<String>,
    /// a guest, by name (and organisation).
    pub name: Option<String>,
    pub organisation: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct ActionItemBody {
    pub title: String,
    pub owner_user_id: Option<String>,
    pub owner_label: Option<String>,
    /// YYYY-MM-DD
    pub due_on: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct ActionStatusBody {
    /// open, in-progress, done, cancelled
    pub status: String,
}

/// The tenant a new meeting goes to: one's own, or for the platform the one the body names.
fn write_tenant(auth: &Authed, named: Option<&str>) -> AppResult<RegionCode> {
    match (&auth.actor.scope, named.map(str::trim).filter(|s| !s.is_empty())) {
        (Scope::Tenant(own), _) => Ok(own.clone()),
        (Scope::Platform, Some(t)) => {
            RegionCode::parse(t).map_err(|_| AppError::Invalid(FieldError::new("tenant", "invalid-region-code")))
        }
        (Scope::Platform, None) => Err(AppError::Invalid(FieldError::new("tenant", "required"))),
    }
}

#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", security(("bearer" = [])), params(MeetingQuery),
    responses((status = 200, body = [MeetingDto]), (status = 422, body = super::ErrorBody)))]
pub async fn list_meetings(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<MeetingQuery>,
) -> AppResult<Json<Vec<MeetingDto>>> {
    let today = today_wib();
    let list = state.store.meetings(&auth.actor, &q.filter()?).await?;
    Ok(Json(list.into_iter().map(|s| MeetingDto::new(s.meeting, s.action_items, today)).collect()))
}

#[utoipa::path(get, path = "/api/v1/meetings/{meeting_id}", tag = "meetings", security(("bearer" = [])),
    params(("meeting_id" = String, Path)), responses((status = 200, body = MeetingDetailDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_meeting(
    State(state): State<AppState>,
    auth: Authed,
    Path(meeting_id): Path<String>,
) -> AppResult<Json<MeetingDetailDto>> {
    let d = state.store.meeting(&auth.actor, self::meeting_id(&meeting_id)?).await?;
    Ok(Json(MeetingDetailDto::new(d, today_wib())))
}

#[utoipa::path(post, path = "/api/v1/meetings", tag = "meetings", security(("bearer" = [])), request_body = MeetingBody,
    responses((status = 201, body = MeetingDetailDto), (status = 422, body = super::ErrorBody)))]
pub async fn create_meeting(
    State(state): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<MeetingBody>,
) -> AppResult<(StatusCode, Json<MeetingDetailDto>)> {
    let tenant = write_tenant(&auth, body.tenant.as_deref())?;
    let form = MeetingForm {
        kind: body.kind,
        title: body.title,
        held_on: body.held_on,
        place: body.place,
        agenda: body.agenda,
        minutes: body.minutes,
        decisions: body.decisions,
        need_id: body.need_ids,
        agreement_id: body.agreement_ids,
    };
    let input = form.parse().map_err(|e| first_error(e, "meeting"))?;
    let meeting = state.store.create_meeting(&auth.actor, &tenant, input).await?;
    let d = state.store.meeting(&auth.actor, meeting.id).await?;
    Ok((StatusCode::CREATED, Json(MeetingDetailDto::new(d, today_wib()))))
}

#[utoipa::path(post, path = "/api/v1/meetings/{meeting_id}/attendees", tag = "meetings", security(("bearer" = [])), request_body = AttendeeBody,
    params(("meeting_id" = String, Path)), responses((status = 201, body = AttendeeDto), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_attendee(
    State(state): State<AppState>,
    auth: Authed,
    Path(meeting_id): Path<String>,
    ApiJson(body): ApiJson<AttendeeBody>,
) -> AppResult<(StatusCode, Json<AttendeeDto>)> {
    let id = self::meeting_id(&meeting_id)?;
    state.store.meeting(&auth.actor, id).await?;
    let who = match (body.user_id.as_deref(), body.contact_id.as_deref()) {
        (Some(u), None) => format!("user:{u}"),
        (None, Some(c)) => format!("contact:{c}"),
        (None, None) => String::new(),
        (Some(_), Some(_)) => return Err(AppError::Invalid(FieldError::new("who", "attendee-choose-one"))),
    };
    let who = AttendeeRef::parse(
        &who,
        body.name.as_deref().unwrap_or_default(),
        body.organisation.as_deref().unwrap_or_default(),
    )?;
    let attendee = state.store.add_attendee(&auth.actor, id, who).await?;
    Ok((StatusCode::CREATED, Json(attendee.into())))
}

#[utoipa::path(post, path = "/api/v1/meetings/{meeting_id}/action-items", tag = "meetings", security(("bearer" = [])), request_body = ActionItemBody,
    params(("meeting_id" = String, Path)), responses((status = 201, body = ActionItemDto), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_action_item(
    State(state): State<AppState>,
    auth: Authed,
    Path(meeting_id): Path<String>,
    ApiJson(body): ApiJson<ActionItemBody>,
) -> AppResult<(StatusCode, Json<ActionItemDto>)> {
    let id = self::meeting_id(&meeting_id)?;
    state.store.meeting(&auth.actor, id).await?;
    let text = |s: &Option<String>| s.as_deref().unwrap_or_default().to_owned();
    let draft =
        ActionItemDraft::parse(&body.title, &text(&body.owner_user_id), &text(&body.owner_label), &text(&body.due_on))
            .map_err(|e| first_error(e, "action item"))?;
    let item = state.store.add_action_item(&auth.actor, id, draft).await?;
    Ok((StatusCode::CREATED, Json(ActionItemDto::new(item, today_wib()))))
}

#[utoipa::path(post, path = "/api/v1/meetings/{meeting_id}/action-items/{item_id}/status", tag = "meetings", security(("bearer" = [])), request_body = ActionStatusBody,
    params(("meeting_id" = String, Path), ("item_id" = String, Path)),
    responses((status = 200, body = ActionItemDto), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_action_status(
    State(state): State<AppState>,
    auth: Authed,
    Path((meeting_id, item_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ActionStatusBody>,
) -> AppResult<Json<ActionItemDto>> {
    let id = self::meeting_id(&meeting_id)?;
    let item = item_id.parse().map_err(|_| AppError::NotFound)?;
    state.store.meeting(&auth.actor, id).await?;
    let to: ActionStatus = body.status.parse()?;
    let today = today_wib();
    let item = state.store.set_action_status(&auth.actor, id, item, to, today).await?;
    Ok(Json(ActionItemDto::new(item, today)))
}

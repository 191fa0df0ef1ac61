//! Meetings: the list (newest first, late follow-ups flagged), the form, and a meeting's page
//! with its attendees, decisions and action items.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::cooperation::meetings::{
    ActionItemDraft, ActionStatus, AttendeeRef, MeetingDraft, MeetingKind, decision_lines,
};
use sinergi_domain::format::format_date;
use sinergi_domain::{ActionItemId, Actor, AgreementId, MeetingId, NeedId, Permission, RegionCode, Scope};
use sinergi_store::meetings::{ActionItem, MeetingFilter, MeetingInput};

use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::jobs::today_wib;

pub fn kind_label(tr: Tr, k: MeetingKind) -> String {
    tr.t(&format!("meeting-kind-{}", k.slug()))
}

fn status_label(tr: Tr, s: ActionStatus) -> String {
    tr.t(&format!("action-status-{}", s.slug()))
}

pub fn meeting_id(s: &str) -> AppResult<MeetingId> {
    s.parse().map_err(|_| AppError::NotFound)
}

fn item_id(s: &str) -> AppResult<ActionItemId> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// A meeting belongs to one tenant; the platform, which works across tenants, records
/// meetings through the API with an explicit tenant.
fn tenant_of(actor: &Actor) -> AppResult<RegionCode> {
    match &actor.scope {
        Scope::Tenant(t) => Ok(t.clone()),
        Scope::Platform => Err(AppError::Forbidden),
    }
}

/// A meeting in a list or on an agreement's or a need's page.
pub struct MeetingRowView {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub held_on: String,
    pub place: String,
    /// "2 dari 4 terbuka", or empty without action items.
    pub items: String,
    pub overdue: usize,
}

/// The actor's meetings matching `filter`, ready to show.
pub async fn meeting_rows(state: &AppState, auth: &Authed, filter: &MeetingFilter) -> AppResult<Vec<MeetingRowView>> {
    let tr = auth.ctx.tr();
    let today = today_wib();
    Ok(state
        .store
        .meetings(&auth.actor, filter)
        .await?
        .into_iter()
        .map(|s| MeetingRowView {
            id: s.meeting.id.to_string(),
            kind: kind_label(tr, s.meeting.kind),
            held_on: format_date(s.meeting.held_on, tr.locale),
            place: s.meeting.place.unwrap_or_default(),
            items: match s.action_items.len() {
                0 => String::new(),
                total => {
                    let open = s.action_items.iter().filter(|i| !i.status.is_closed()).count();
                    tr.targs("meetings-open-of", &[("open", open.to_string()), ("total", total.to_string())])
                }
            },
            overdue: s.action_items.iter().filter(|i| i.is_overdue(today)).count(),
            title: s.meeting.title,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    shell: Shell,
    meeting_rows: Vec<MeetingRowView>,
    kinds: Vec<(String, String)>,
    kind: String,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    kind: String,
}

pub async fn list(State(state): State<AppState>, auth: Authed, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let filter = MeetingFilter { kind: q.kind.parse().ok(), ..Default::default() };
    Ok(render(&MeetingsPage {
        shell: Shell::new(&auth.ctx, "meetings-title"),
        meeting_rows: meeting_rows(&state, &auth, &filter).await?,
        kinds: MeetingKind::ALL.into_iter().map(|k| (k.slug().to_owned(), kind_label(tr, k))).collect(),
        kind: q.kind,
        can_manage: auth.actor.can(Permission::ManageAgreements) && auth.actor.scope.tenant().is_some(),
    }))
}

// ----------------------------------------------------------------------------------------
// The meeting form

/// A meeting as the form (or an API body turned into one) submits it.
#[derive(Deserialize, Default, Clone)]
pub struct MeetingForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub decisions: String,
    #[serde(default)]
    pub need_id: Vec<String>,
    #[serde(default)]
    pub agreement_id: Vec<String>,
}

impl MeetingForm {
    pub fn parse(&self) -> Result<MeetingInput, Vec<FieldError>> {
        let draft = MeetingDraft::parse(
            &self.kind,
            &self.title,
            &self.held_on,
            &self.place,
            &self.agenda,
            &self.minutes,
            &self.decisions,
        );
        let need_ids = self
            .need_id
            .iter()
            .map(|n| n.parse::<NeedId>().map_err(|_| FieldError::new("need_ids", "invalid-choice")))
            .collect::<Result<Vec<_>, _>>();
        let agreement_ids = self
            .agreement_id
            .iter()
            .map(|a| a.parse::<AgreementId>().map_err(|_| FieldError::new("agreement_ids", "invalid-choice")))
            .collect::<Result<Vec<_>, _>>();
        match (draft, need_ids, agreement_ids) {
            (Ok(draft), Ok(need_ids), Ok(agreement_ids)) => Ok(MeetingInput { draft, need_ids, agreement_ids }),
            (draft, needs, agreements) => {
                let mut errors = draft.err().unwrap_or_default();
                errors.extend(needs.err());
                errors.extend(agreements.err());
                Err(errors)
            }
        }
    }
}

/// A checkbox of the form: (value, label, checked).
type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "meeting_form.html")]
struct MeetingFormPage {
    shell: Shell,
    heading: String,
    action: String,
    back: String,
    form: MeetingForm,
    errors: FormErrors,
    kinds: Vec<(String, String)>,
    needs: Vec<Choice>,
    agreements: Vec<Choice>,
}

async fn form_page(
    state: &AppState,
    auth: &Authed,
    editing: Option<MeetingId>,
    form: MeetingForm,
    errors: FormErrors,
) -> AppResult<MeetingFormPage> {
    let tr = auth.ctx.tr();
    let (key, action, back) = match editing {
        Some(id) => ("meetings-edit", format!("/meetings/{id}"), format!("/meetings/{id}")),
        None => ("meetings-new", "/meetings".to_owned(), "/meetings".to_owned()),
    };
    // Open needs and running agreements are what a meeting is usually about; closed ones stay
    // listed only when already linked, so that saving does not drop the link.
    let needs = state
        .store
        .needs(&auth.actor, &Default::default())
        .await?
        .into_iter()
        .filter_map(|n| {
            let checked = form.need_id.contains(&n.id.to_string());
            (checked || !n.status.is_closed()).then(|| (n.id.to_string(), format!("{} ({})", n.title, n.year), checked))
        })
        .collect();
    let agreements = state
        .store
        .agreements(&auth.actor, &Default::default())
        .await?
        .into_iter()
        .filter_map(|a| {
            let checked = form.agreement_id.contains(&a.id.to_string());
            (checked || !a.stage.is_terminal()).then(|| (a.id.to_string(), a.title, checked))
        })
        .collect();
    Ok(MeetingFormPage {
        shell: Shell::new(&auth.ctx, key),
        heading: tr.t(key),
        action,
        back,
        kinds: MeetingKind::ALL.into_iter().map(|k| (k.slug().to_owned(), kind_label(tr, k))).collect(),
        needs,
        agreements,
        form,
        errors,
    })
}

/// `/meetings/new?agreement_id=…` or `?need_id=…`: a meeting already linked to what the
/// officer came from.
#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    need_id: String,
    #[serde(default)]
    agreement_id: String,
}

pub async fn new_form(State(state): State<AppState>, auth: Authed, Query(q): Query<NewQuery>) -> AppResult<Response> {
    tenant_of(&auth.actor)?;
    let one = |s: &str| if s.trim().is_empty() { Vec::new() } else { vec![s.trim().to_owned()] };
    let form = MeetingForm {
        kind: MeetingKind::Rapat.slug().to_owned(),
        held_on: today_wib().to_string(),
        need_id: one(&q.need_id),
        agreement_id: one(&q.agreement_id),
        ..Default::default()
    };
    Ok(render(&form_page(&state, &auth, None, form, FormErrors::default()).await?))
}

pub async fn create(State(state): State<AppState>, auth: Authed, Form(form): Form<MeetingForm>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let mut errors = FormErrors::default();
    match form.parse() {
        Ok(input) => match state.store.create_meeting(&auth.actor, &tenant, input).await {
            Ok(m) => return Ok(see_other(&format!("/meetings/{}", m.id))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(list) => list.iter().for_each(|e| errors.add(tr, e)),
    }
    Ok(render_invalid(&form_page(&state, &auth, None, form, errors).await?))
}

pub async fn edit_form(
    State(state): State<AppState>,
    auth: Authed,
    Path(meeting_id): Path<String>,
) -> AppResult<Response> {
    let id = self::meeting_id(&meeting_id)?;
    let d = state.store.meeting(&auth.actor, id).await?;
    let m = d.meeting;
    let form = MeetingForm {
        kind: m.kind.slug().to_owned(),
        title: m.title,
        held_on: m.held_on.to_string(),
        place: m.place.unwrap_or_default(),
        agenda: m.agenda.unwrap_or_default(),
        minutes: m.minutes.unwrap_or_default(),
        decisions: m.decisions.unwrap_or_default(),
        need_id: d.need_ids.iter().map(ToString::to_string).collect(),
        agreement_id: d.agreement_ids.iter().map(ToString::to_string).collect(),
    };
    Ok(render(&form_page(&state, &auth, Some(id), form, FormErrors::default()).await?))
}

pub async fn update(
    State(state): State<AppState>,
    auth: Authed,
    Path(meeting_id): Path<String>,
    Form(form): Form<MeetingForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::meeting_id(&meeting_id)?;
    // Whose meeting it is comes first: a foreign id is "not found" whatever the form says.
    state.store.meeting(&auth.actor, id).await?;
    let mut errors = FormErrors::default();
    match form.parse() {
        Ok(input) => match state.store.update_meeting(&auth.actor, id, input).await {
            Ok(_) => return Ok(see_other(&format!("/meetings/{id}"))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(list) => list.iter().for_each(|e| errors.add(tr, e)),
    }
    Ok(render_invalid(&form_page(&state, &auth, Some(id), form, errors).await?))
}

// ----------------------------------------------------------------------------------------
// A meeting's page

pub struct ItemView {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub status: String,
    pub done: String,
    pub overdue: bool,
    pub moves: Vec<(String, String)>,
}

fn item_view(tr: Tr, i: &ActionItem, today: time::Date) -> ItemView {
    ItemView {
        id: i.id.to_string(),
        title: i.title.clone(),
        owner: i.owner_label.clone().unwrap_or_else(|| "—".into()),
        due: i.due_on.map(|d| format_date(d, tr.locale)).unwrap_or_else(|| "—".into()),
        status: status_label(tr, i.status),
        done: i.done_on.map(|d| format_date(d, tr.locale)).unwrap_or_default(),
        overdue: i.is_overdue(today),
        moves: i.status.next().iter().map(|s| (s.slug().to_owned(), status_label(tr, *s))).collect(),
    }
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    shell: Shell,
    id: String,
    title: String,
    facts: Vec<(String, String)>,
    agenda: Option<String>,
    minutes: Option<String>,
    decisions: Vec<String>,
    attendees: Vec<(String, String)>,
    items: Vec<ItemView>,
    overdue: usize,
    needs: Vec<(String, String)>,
    agreements: Vec<(String, String)>,
    users: Vec<(String, String)>,
    contacts: Vec<(String, String)>,
    can_manage: bool,
    can_audit: bool,
    errors: FormErrors,
    /// What the officer typed in the form that failed, so it is not lost.
    retry: Retry,
}

/// The values of a failed attendee or action-item form.
#[derive(Default)]
pub struct Retry {
    pub name: String,
    pub organisation: String,
    pub item_title: String,
    pub owner_label: String,
    pub due_on: String,
}

async fn page(
    state: &AppState,
    auth: &Authed,
    id: MeetingId,
    errors: FormErrors,
    retry: Retry,
) -> AppResult<MeetingPage> {
    let tr = auth.ctx.tr();
    let today = today_wib();
    let d = state.store.meeting(&auth.actor, id).await?;
    let m = &d.meeting;
    let facts = vec![
        (tr.t("field-kind"), kind_label(tr, m.kind)),
        (tr.t("field-held-on"), format_date(m.held_on, tr.locale)),
        (tr.t("field-place"), m.place.clone().unwrap_or_else(|| "—".into())),
    ];
    let needs = state
        .store
        .needs(&auth.actor, &Default::default())
        .await?
        .into_iter()
        .filter(|n| d.need_ids.contains(&n.id))
        .map(|n| (n.id.to_string(), n.title))
        .collect();
    let agreements = state
        .store
        .agreements(&auth.actor, &Default::default())
        .await?
        .into_iter()
        .filter(|a| d.agreement_ids.contains(&a.id))
        .map(|a| (a.id.to_string(), a.title))
        .collect();
    let can_manage = auth.actor.can(Permission::ManageAgreements);
    let (users, contacts) = if can_manage {
        let invitees = state.store.meeting_invitees(&auth.actor, &m.tenant).await?;
        let label = |name: String, org: Option<String>| match org {
            Some(o) if !o.is_empty() => format!("{name} — {o}"),
            _ => name,
        };
        (
            invitees.users.into_iter().map(|(id, name, agency)| (id.to_string(), label(name, agency))).collect(),
            invitees
                .contacts
                .into_iter()
                .map(|(id, name, partner)| (id.to_string(), label(name, Some(partner))))
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let items: Vec<ItemView> = d.action_items.iter().map(|i| item_view(tr, i, today)).collect();
    let mut shell = Shell::new(&auth.ctx, "meetings-title");
    shell.title = m.title.clone();
    Ok(MeetingPage {
        shell,
        id: m.id.to_string(),
        title: m.title.clone(),
        facts,
        agenda: m.agenda.clone(),
        minutes: m.minutes.clone(),
        decisions: m
            .decisions
            .as_deref()
            .map(decision_lines)
            .unwrap_or_default()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        attendees: d.attendees.iter().map(|a| (a.name.clone(), a.organisation.clone().unwrap_or_default())).collect(),
        overdue: items.iter().filter(|i| i.overdue).count(),
        items,
        needs,
        agreements,
        users,
        contacts,
        can_manage,
        can_audit: auth.actor.can(Permission::ViewAudit),
        errors,
        retry,
    })
}

pub async fn show(State(state): State<AppState>, auth: Authed, Path(meeting_id): Path<String>) -> AppResult<Response> {
    let id = self::meeting_id(&meeting_id)?;
    Ok(render(&page(&state, &auth, id, FormErrors::default(), Retry::default()).await?))
}

#[derive(Deserialize, Default)]
pub struct AttendeeForm {
    #[serde(default)]
    who: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    organisation: String,
}

pub async fn add_attendee(
    State(state): State<AppState>,
    auth: Authed,
    Path(meeting_id): Path<String>,
    Form(f): Form<AttendeeForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::meeting_id(&meeting_id)?;
    state.store.meeting(&auth.actor, id).await?;
    let mut errors = FormErrors::default();
    match AttendeeRef::parse(&f.who, &f.name, &f.organisation) {
        Ok(who) => match state.store.add_attendee(&auth.actor, id, who).await {
            Ok(_) => return Ok(see_other(&format!("/meetings/{id}#attendees"))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(e) => errors.add(tr, &e),
    }
    let retry = Retry { name: f.name, organisation: f.organisation, ..Default::default() };
    Ok(render_invalid(&page(&state, &auth, id, errors, retry).await?))
}

#[derive(Deserialize, Default)]
pub struct ActionItemForm {
    #[serde(default)]
    item_title: String,
    #[serde(default)]
    owner_user_id: String,
    #[serde(default)]
    owner_label: String,
    #[serde(default)]
    due_on: String,
}

pub async fn add_action_item(
    State(state): State<AppState>,
    auth: Authed,
    Path(meeting_id): Path<String>,
    Form(f): Form<ActionItemForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::meeting_id(&meeting_id)?;
    state.store.meeting(&auth.actor, id).await?;
    let mut errors = FormErrors::default();
    match ActionItemDraft::parse(&f.item_title, &f.owner_user_id, &f.owner_label, &f.due_on) {
        Ok(draft) => match state.store.add_action_item(&auth.actor, id, draft).await {
            Ok(_) => return Ok(see_other(&format!("/meetings/{id}#action-items"))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(list) => list.iter().for_each(|e| errors.add(tr, e)),
    }
    let retry = Retry { item_title: f.item_title, owner_label: f.owner_label, due_on: f.due_on, ..Default::default() };
    Ok(render_invalid(&page(&state, &auth, id, errors, retry).await?))
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

pub async fn set_action_status(
    State(state): State<AppState>,
    auth: Authed,
    Path((meeting_id, item_id)): Path<(String, String)>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::meeting_id(&meeting_id)?;
    let item = self::item_id(&item_id)?;
    state.store.meeting(&auth.actor, id).await?;
    let mut errors = FormErrors::default();
    match f.status.parse::<ActionStatus>() {
        Ok(to) => match state.store.set_action_status(&auth.actor, id, item, to, today_wib()).await {
            Ok(_) => return Ok(see_other(&format!("/meetings/{id}#action-items"))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(e) => errors.add(tr, &e),
    }
    Ok(render_invalid(&page(&state, &auth, id, errors, Retry::default()).await?))
}

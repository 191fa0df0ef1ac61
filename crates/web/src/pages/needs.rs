//! Cooperation needs: the map per year (the output of a rapat pemetaan) and the forms.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::auth::{FieldError, required_text};
use sinergi_domain::cooperation::needs::{NeedStatus, PartnerKind, PriorityRank};
use sinergi_domain::{Actor, AgencyId, NeedId, Permission, Scope, TargetId};
use sinergi_store::agencies::Agency;
use sinergi_store::cooperation::{Need, NeedInput, PlanFilter, keep, parse_year};

use super::agencies::tree_order;
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

/// The planning year shown by default: the current year in WIB.
pub fn current_year() -> i32 {
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::now_utc().to_offset(offset).year()
}

pub fn urusan_label(tr: Tr, code: &str) -> String {
    sinergi_reference::urusan(code)
        .map(|u| format!("{} {}", u.code, u.name(tr.locale)))
        .unwrap_or_else(|| code.to_owned())
}

fn partner_kind_label(tr: Tr, k: PartnerKind) -> String {
    tr.t(&format!("partner-kind-{}", k.slug()))
}

fn status_label(tr: Tr, s: NeedStatus) -> String {
    tr.t(&format!("need-status-{}", s.slug()))
}

pub struct NeedRowView {
    pub id: String,
    pub priority: String,
    pub title: String,
    pub urusan: String,
    pub partner_kind: String,
    pub status: String,
}

pub struct AgencyGroup {
    pub agency: String,
    pub priorities: usize,
    pub rows: Vec<NeedRowView>,
}

#[derive(Template)]
#[template(path = "needs.html")]
struct NeedsPage {
    shell: Shell,
    year: i32,
    groups: Vec<AgencyGroup>,
    can_plan: bool,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

/// The map of cooperation needs for one year, agency by agency.
pub async fn list(State(state): State<AppState>, auth: Authed, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let year = q.year.as_deref().and_then(|y| parse_year(y).ok()).unwrap_or_else(current_year);
    let needs = state.store.needs(&auth.actor, &PlanFilter { year: Some(year), ..Default::default() }).await?;
    let agencies = state.store.agencies(&auth.actor, None).await?;
    let groups = tree_order(&agencies)
        .into_iter()
        .filter_map(|(agency, _)| {
            let mut of_agency: Vec<&Need> = needs.iter().filter(|n| n.agency_id == agency.id).collect();
            if of_agency.is_empty() {
                return None;
            }
            of_agency.sort_by_key(|n| (n.priority.is_none(), n.priority, n.title.clone()));
            Some(AgencyGroup {
                agency: agency.name.clone(),
                priorities: of_agency.iter().filter(|n| n.priority.is_some()).count(),
                rows: of_agency
                    .into_iter()
                    .map(|n| NeedRowView {
                        id: n.id.to_string(),
                        priority: n.priority.map(|p| p.get().to_string()).unwrap_or_else(|| "—".into()),
                        title: n.title.clone(),
                        urusan: urusan_label(tr, &n.urusan_code),
                        partner_kind: partner_kind_label(tr, n.partner_kind),
                        status: status_label(tr, n.status),
                    })
                    .collect(),
            })
        })
        .collect();
    Ok(render(&NeedsPage {
        shell: Shell::new(&auth.ctx, "needs-title"),
        year,
        groups,
        can_plan: auth.actor.can(Permission::PlanCooperation),
    }))
}

/// One ranked candidate partner on a need's page.
pub struct CandidateView {
    pub partner_id: String,
    pub name: String,
    pub offer: Option<String>,
    pub score: u32,
    pub reasons: Vec<String>,
}

fn reason_text(tr: Tr, r: &sinergi_engines::matching::Reason) -> String {
    use sinergi_engines::matching::Reason;
    match r {
        Reason::SameUrusan { .. } => tr.t("match-same-urusan"),
        Reason::KindWanted => tr.t("match-kind-wanted"),
        Reason::WordsInCommon { words } => tr.t1("match-words", "words", words.join(", ")),
        Reason::PastCooperation { count } => tr.t1("match-past", "count", count),
        Reason::InRegion => tr.t("match-in-region"),
    }
}

/// Partners ranked for a need by the matching engine, with its reasons in the user's words.
async fn candidates(state: &AppState, auth: &Authed, need: &Need) -> AppResult<Vec<CandidateView>> {
    use sinergi_engines::matching::{NeedProfile, OfferProfile, PartnerProfile, rank};
    let tr = auth.ctx.tr();
    let partners = state.store.partners(&auth.actor, &Default::default()).await?;
    let offers = state.store.offers(&auth.actor).await?;
    let profiles: Vec<PartnerProfile> = partners
        .iter()
        .filter(|p| p.active)
        .map(|p| PartnerProfile {
            id: p.id,
            kind: p.kind,
            region: p.region_code.clone(),
            text: [Some(p.name.as_str()), p.sector.as_deref(), p.description.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
            offers: offers
                .iter()
                .filter(|o| o.partner_id == p.id)
                .map(|o| OfferProfile {
                    id: o.id,
                    urusan: o.urusan_code.clone(),
                    text: format!("{} {}", o.title, o.description),
                })
                .collect(),
            past_cooperations: 0,
        })
        .collect();
    let profile = NeedProfile {
        tenant: need.tenant.clone(),
        urusan: need.urusan_code.clone(),
        partner_kind: need.partner_kind,
        text: format!("{} {} {}", need.title, need.problem, need.expected_benefit),
    };
    Ok(rank(&profile, &profiles, 5)
        .into_iter()
        .filter_map(|m| {
            let p = partners.iter().find(|p| p.id == m.partner)?;
            Some(CandidateView {
                partner_id: p.id.to_string(),
                name: p.name.clone(),
                offer: m.offer.and_then(|id| offers.iter().find(|o| o.id == id)).map(|o| o.title.clone()),
                score: m.score,
                reasons: m.reasons.iter().map(|r| reason_text(tr, r)).collect(),
            })
        })
        .collect())
}

#[derive(Template)]
#[template(path = "need.html")]
struct NeedPage {
    shell: Shell,
    id: String,
    title: String,
    year: i32,
    closed: bool,
    facts: Vec<(String, String)>,
    targets: Vec<String>,
    moves: Vec<(String, String)>,
    can_plan: bool,
    can_audit: bool,
    can_draft: bool,
    candidates: Vec<CandidateView>,
    /// Meetings about this need.
    meeting_rows: Vec<super::meetings::MeetingRowView>,
    can_meet: bool,
}

fn need_id(s: &str) -> AppResult<NeedId> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub async fn show(State(state): State<AppState>, auth: Authed, Path(need_id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let need = state.store.need(&auth.actor, self::need_id(&need_id)?).await?;
    let agency = state.store.agency(&auth.actor, need.agency_id).await?;
    let targets = state
        .store
        .targets(&auth.actor, &PlanFilter { agency_id: Some(need.agency_id), ..Default::default() })
        .await?
        .into_iter()
        .filter(|t| need.target_ids.contains(&t.id))
        .map(|t| format!("{} — {} {}", t.indicator, tr.decimal(t.target_value), t.unit))
        .collect();
    let facts = vec![
        (tr.t("field-agency"), agency.name),
        (tr.t("field-year"), need.year.to_string()),
        (
            tr.t("field-priority"),
            need.priority.map(|p| p.get().to_string()).unwrap_or_else(|| tr.t("needs-not-priority")),
        ),
        (tr.t("field-status"), status_label(tr, need.status)),
        (tr.t("field-problem"), need.problem.clone()),
        (tr.t("field-urusan"), urusan_label(tr, &need.urusan_code)),
        (tr.t("field-partner-kind"), partner_kind_label(tr, need.partner_kind)),
        (tr.t("field-expected-benefit"), need.expected_benefit.clone()),
    ];
    let can_plan = auth.actor.may_plan_for(need.agency_id) && auth.actor.can(Permission::PlanCooperation);
    let moves =
        need.status.next().iter().map(|s| (s.slug().to_owned(), tr.t(&format!("need-move-{}", s.slug())))).collect();
    let candidates = if need.status.is_closed() { Vec::new() } else { candidates(&state, &auth, &need).await? };
    let about = sinergi_store::meetings::MeetingFilter { need: Some(need.id), ..Default::default() };
    let meeting_rows = super::meetings::meeting_rows(&state, &auth, &about).await?;
    let mut shell = Shell::new(&auth.ctx, "needs-title");
    shell.title = need.title.clone();
    Ok(render(&NeedPage {
        meeting_rows,
        can_meet: auth.actor.can(Permission::ManageAgreements) && auth.actor.scope.tenant().is_some(),
        can_draft: auth.actor.can(Permission::ManageAgreements),
        candidates,
        shell,
        id: need.id.to_string(),
        title: need.title,
        year: need.year,
        closed: need.status.is_closed(),
        facts,
        targets,
        moves,
        can_plan,
        can_audit: auth.actor.can(Permission::ViewAudit),
    }))
}

/// A need as a form (or an API body turned into one) submits it: strings, parsed once.
#[derive(Deserialize, Default)]
pub struct NeedForm {
    #[serde(default)]
    pub agency_id: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub problem: String,
    #[serde(default)]
    pub urusan: String,
    #[serde(default)]
    pub partner_kind: String,
    #[serde(default)]
    pub expected_benefit: String,
    #[serde(default)]
    pub priority_rank: String,
    #[serde(default)]
    pub target_id: Vec<String>,
}

impl NeedForm {
    /// Parse every field, collecting every error, into the store's input.
    pub fn parse(&self) -> Result<NeedInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let agency_id = keep(
            &mut errors,
            self.agency_id.parse::<AgencyId>().map_err(|_| FieldError::new("agency_id", "invalid-choice")),
        );
        let year = keep(&mut errors, parse_year(&self.year));
        let title = keep(&mut errors, required_text("title", &self.title, 200));
        let problem = keep(&mut errors, required_text("problem", &self.problem, 4000));
        let urusan = keep(
            &mut errors,
            sinergi_reference::urusan(self.urusan.trim())
                .map(|u| u.code.clone())
                .ok_or(FieldError::new("urusan", "invalid-choice")),
        );
        let partner_kind = keep(&mut errors, self.partner_kind.parse::<PartnerKind>());
        let expected_benefit = keep(&mut errors, required_text("expected_benefit", &self.expected_benefit, 4000));
        let priority = keep(&mut errors, PriorityRank::parse_optional(&self.priority_rank));
        let target_ids = keep(
            &mut errors,
            self.target_id
                .iter()
                .map(|t| t.parse::<TargetId>().map_err(|_| FieldError::new("target_ids", "invalid-choice")))
                .collect::<Result<Vec<_>, _>>(),
        );
        match (agency_id, year, title, problem, urusan, partner_kind, expected_benefit, priority, target_ids) {
            (
                Some(agency_id),
                Some(year),
                Some(title),
                Some(problem),
                Some(urusan_code),
                Some(partner_kind),
                Some(expected_benefit),
                Some(priority),
                Some(target_ids),
            ) if errors.is_empty() => Ok(NeedInput {
                agency_id,
                year,
                title,
                problem,
                urusan_code,
                partner_kind,
                expected_benefit,
                priority,
                target_ids,
            }),
            _ => Err(errors),
        }
    }
}

pub struct NeedFormValues {
    pub agency_id: String,
    pub year: String,
    pub title: String,
    pub problem: String,
    pub urusan: String,
    pub partner_kind: String,
    pub expected_benefit: String,
    pub priority_rank: String,
    pub target_ids: Vec<String>,
}

impl From<&NeedForm> for NeedFormValues {
    fn from(f: &NeedForm) -> Self {
        Self {
            agency_id: f.agency_id.clone(),
            year: f.year.clone(),
            title: f.title.clone(),
            problem: f.problem.clone(),
            urusan: f.urusan.clone(),
            partner_kind: f.partner_kind.clone(),
            expected_benefit: f.expected_benefit.clone(),
            priority_rank: f.priority_rank.clone(),
            target_ids: f.target_id.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "need_form.html")]
struct NeedFormPage {
    shell: Shell,
    heading: String,
    action: String,
    form: NeedFormValues,
    errors: FormErrors,
    agencies: Vec<(String, String)>,
    urusan: Vec<(String, String)>,
    partner_kinds: Vec<(String, String)>,
    targets: Vec<(String, String, bool)>,
}

/// The agencies an actor may plan for: all of the tenant's for admins, their own for officers.
fn plannable(actor: &Actor, agencies: &[Agency]) -> Vec<(String, String)> {
    tree_order(agencies)
        .into_iter()
        .filter(|(a, _)| actor.may_plan_for(a.id) && a.active)
        .map(|(a, depth)| (a.id.to_string(), format!("{}{}", "— ".repeat(depth), a.name)))
        .collect()
}

async fn form_page(
    state: &AppState,
    auth: &Authed,
    editing: Option<NeedId>,
    form: NeedFormValues,
    errors: FormErrors,
) -> AppResult<NeedFormPage> {
    let tr = auth.ctx.tr();
    let (key, action) = match editing {
        Some(id) => ("needs-edit", format!("/cooperation/needs/{id}")),
        None => ("needs-new", "/cooperation/needs".to_owned()),
    };
    let agencies = state.store.agencies(&auth.actor, None).await?;
    let targets = state
        .store
        .targets(&auth.actor, &PlanFilter::default())
        .await?
        .into_iter()
        .filter(|t| auth.actor.may_plan_for(t.agency_id))
        .map(|t| {
            let agency =
                agencies.iter().find(|a| a.id == t.agency_id).map(|a| a.short_name.clone().unwrap_or(a.name.clone()));
            let label = format!(
                "{} ({} {}) · {} · {}",
                t.indicator,
                tr.decimal(t.target_value),
                t.unit,
                agency.unwrap_or_default(),
                t.year
            );
            let checked = form.target_ids.contains(&t.id.to_string());
            (t.id.to_string(), label, checked)
        })
        .collect();
    Ok(NeedFormPage {
        shell: Shell::new(&auth.ctx, key),
        heading: tr.t(key),
        action,
        agencies: plannable(&auth.actor, &agencies),
        urusan: sinergi_reference::urusan_all()
            .iter()
            .map(|u| (u.code.clone(), format!("{} {}", u.code, u.name(tr.locale))))
            .collect(),
        partner_kinds: PartnerKind::ALL.into_iter().map(|k| (k.slug().to_owned(), partner_kind_label(tr, k))).collect(),
        targets,
        form,
        errors,
    })
}

pub async fn new_form(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let form = NeedFormValues {
        agency_id: auth.actor.agency.map(|a| a.to_string()).unwrap_or_default(),
        year: current_year().to_string(),
        title: String::new(),
        problem: String::new(),
        urusan: String::new(),
        partner_kind: PartnerKind::Company.slug().into(),
        expected_benefit: String::new(),
        priority_rank: String::new(),
        target_ids: Vec::new(),
    };
    Ok(render(&form_page(&state, &auth, None, form, FormErrors::default()).await?))
}

fn tenant_of(actor: &Actor) -> AppResult<sinergi_domain::RegionCode> {
    match &actor.scope {
        Scope::Tenant(t) => Ok(t.clone()),
        // The platform works across tenants but a need belongs to one: it uses the API with
        // an explicit agency of a tenant, not this form.
        Scope::Platform => Err(AppError::Forbidden),
    }
}

pub async fn create(State(state): State<AppState>, auth: Authed, Form(form): Form<NeedForm>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let mut errors = FormErrors::default();
    match form.parse() {
        Ok(input) => match state.store.create_need(&auth.actor, &tenant, input).await {
            Ok(need) => return Ok(see_other(&format!("/cooperation/needs/{}", need.id))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(list) => list.iter().for_each(|e| errors.add(tr, e)),
    }
    Ok(render_invalid(&form_page(&state, &auth, None, (&form).into(), errors).await?))
}

pub async fn edit_form(
    State(state): State<AppState>,
    auth: Authed,
    Path(need_id): Path<String>,
) -> AppResult<Response> {
    let id = self::need_id(&need_id)?;
    let need = state.store.need(&auth.actor, id).await?;
    if !auth.actor.may_plan_for(need.agency_id) || !auth.actor.can(Permission::PlanCooperation) {
        return Err(AppError::Forbidden);
    }
    let form = NeedFormValues {
        agency_id: need.agency_id.to_string(),
        year: need.year.to_string(),
        title: need.title,
        problem: need.problem,
        urusan: need.urusan_code,
        partner_kind: need.partner_kind.slug().into(),
        expected_benefit: need.expected_benefit,
        priority_rank: need.priority.map(|p| p.get().to_string()).unwrap_or_default(),
        target_ids: need.target_ids.iter().map(|t| t.to_string()).collect(),
    };
    Ok(render(&form_page(&state, &auth, Some(id), form, FormErrors::default()).await?))
}

pub async fn update(
    State(state): State<AppState>,
    auth: Authed,
    Path(need_id): Path<String>,
    Form(form): Form<NeedForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::need_id(&need_id)?;
    state.store.need(&auth.actor, id).await?;
    let mut errors = FormErrors::default();
    match form.parse() {
        Ok(input) => match state.store.update_need(&auth.actor, id, input).await {
            Ok(_) => return Ok(see_other(&format!("/cooperation/needs/{id}"))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(list) => list.iter().for_each(|e| errors.add(tr, e)),
    }
    Ok(render_invalid(&form_page(&state, &auth, Some(id), (&form).into(), errors).await?))
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    auth: Authed,
    Path(need_id): Path<String>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let id = self::need_id(&need_id)?;
    // Whose need it is comes first: a foreign id is "not found" whatever the form says.
    state.store.need(&auth.actor, id).await?;
    let to: NeedStatus = form.status.parse()?;
    state.store.set_need_status(&auth.actor, id, to).await?;
    Ok(see_other(&format!("/cooperation/needs/{id}")))
}

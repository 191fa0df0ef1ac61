//! Agreements: the register, an agreement's page with its stages, and the one-step draft from
//! a matched need.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::auth::required_text;
use sinergi_domain::cooperation::agreement::{Stage, StageFacts, TerminationReason, next_stages};
use sinergi_domain::cooperation::outcomes::{OutcomeKind, parse_amount};
use sinergi_domain::{AgreementId, NeedId, PartnerId, Permission};
use sinergi_store::agreements::{Activity, AgreementFilter, Outcome, StageMove, parse_date};

use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

fn stage_label(tr: Tr, s: Stage) -> String {
    tr.t(&format!("stage-{}", s.slug()))
}

pub struct AgreementRowView {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub document: String,
    pub stage: String,
    pub shared: bool,
}

#[derive(Template)]
#[template(path = "agreements.html")]
struct AgreementsPage {
    shell: Shell,
    rows: Vec<AgreementRowView>,
    stages: Vec<(String, String)>,
    stage: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    stage: String,
}

pub async fn list(State(state): State<AppState>, auth: Authed, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let filter = AgreementFilter { stage: q.stage.parse().ok() };
    let own = auth.actor.scope.tenant().cloned();
    let rows = state
        .store
        .agreements(&auth.actor, &filter)
        .await?
        .into_iter()
        .map(|a| AgreementRowView {
            id: a.id.to_string(),
            kind: tr.t(&format!("agreement-kind-{}", a.kind.slug())),
            document: tr.t(&format!("document-{}", a.document.slug())),
            stage: stage_label(tr, a.stage),
            shared: own.as_ref().is_some_and(|t| *t != a.tenant),
            title: a.title,
        })
        .collect();
    Ok(render(&AgreementsPage {
        shell: Shell::new(&auth.ctx, "agreements-title"),
        rows,
        stages: Stage::ALL.into_iter().map(|s| (s.slug().to_owned(), stage_label(tr, s))).collect(),
        stage: q.stage,
    }))
}

#[derive(Template)]
#[template(path = "agreement.html")]
struct AgreementPage {
    shell: Shell,
    id: String,
    title: String,
    shared: bool,
    facts: Vec<(String, String)>,
    parties: Vec<(String, Option<String>)>,
    needs: Vec<(String, String)>,
    moves: Vec<(String, String)>,
    terminations: Vec<(String, String)>,
    transitions: Vec<(String, String, String, String)>,
    notes: Vec<(String, String, String)>,
    kb_signed_on: String,
    pks_signed_on: String,
    activities: Vec<(String, String, String, String)>,
    outcomes: Vec<(String, String, String, String)>,
    outcome_kinds: Vec<(String, String)>,
    keeper: bool,
    errors: FormErrors,
    can_note: bool,
    can_audit: bool,
    /// The viewer's own meetings about this agreement.
    meeting_rows: Vec<super::meetings::MeetingRowView>,
    can_meet: bool,
}

fn agreement_id(s: &str) -> AppResult<AgreementId> {
    s.parse().map_err(|_| AppError::NotFound)
}

async fn page(state: &AppState, auth: &Authed, id: AgreementId, errors: FormErrors) -> AppResult<AgreementPage> {
    let tr = auth.ctx.tr();
    let d = state.store.agreement(&auth.actor, id).await?;
    let a = &d.agreement;
    let dprd = a.dprd();
    let date = |v: Option<time::Date>| {
        v.map(|d| sinergi_domain::format::format_date(d, tr.locale)).unwrap_or_else(|| "—".into())
    };
    let facts = vec![
        (tr.t("field-kind-agreement"), tr.t(&format!("agreement-kind-{}", a.kind.slug()))),
        (tr.t("field-document"), tr.t(&format!("document-{}", a.document.slug()))),
        (tr.t("field-stage"), stage_label(tr, a.stage)),
        (tr.t("field-urusan"), super::needs::urusan_label(tr, &a.urusan_code)),
        (tr.t("field-description"), a.scope.clone()),
        (tr.t("field-kb-signed-on"), date(a.kb_signed_on)),
        (tr.t("field-pks-signed-on"), date(a.pks_signed_on)),
        (
            tr.t("field-period"),
            match (a.starts_on, a.ends_on) {
                (None, None) => "—".to_owned(),
                (s, e) => format!("{} – {}", date(s), date(e)),
            },
        ),
        (tr.t("field-value"), a.value.map(|v| tr.rupiah(v)).unwrap_or_else(|| tr.t("agreements-not-reported"))),
        (
            tr.t("agreements-dprd"),
            format!(
                "{} ({})",
                tr.t(if dprd.required { "agreements-dprd-required" } else { "agreements-dprd-not-required" }),
                tr.t(&format!("dprd-{}", dprd.reason))
            ),
        ),
    ];
    let keeper = !d.shared && auth.actor.can(Permission::ManageAgreements);
    let moves = if keeper {
        // The stages the procedure allows next, as if every fact were recorded: the form carries
        // the facts (signing dates, approvals), and a choice made without them is refused with
        // the reason, which tells the officer exactly what is missing.
        let optimistic = StageFacts {
            feasibility_study_done: true,
            kb_signed: true,
            pks_signed: true,
            dprd_approved: true,
            ..a.facts()
        };
        next_stages(a.stage, &optimistic).into_iter().map(|s| (s.slug().to_owned(), stage_label(tr, s))).collect()
    } else {
        Vec::new()
    };
    let needs = {
        // A party Pemda does not see the keeper's needs; the list is then simply empty.
        let all = state.store.needs(&auth.actor, &Default::default()).await?;
        all.into_iter().filter(|n| d.need_ids.contains(&n.id)).map(|n| (n.id.to_string(), n.title)).collect()
    };
    let about = sinergi_store::meetings::MeetingFilter { agreement: Some(a.id), ..Default::default() };
    let meeting_rows = super::meetings::meeting_rows(state, auth, &about).await?;
    let mut shell = Shell::new(&auth.ctx, "agreements-title");
    shell.title = a.title.clone();
    Ok(AgreementPage {
        meeting_rows,
        // Either side of a shared agreement may meet about it and keep its own record.
        can_meet: auth.actor.can(Permission::ManageAgreements) && auth.actor.scope.tenant().is_some(),
        shell,
        id: a.id.to_string(),
        title: a.title.clone(),
        shared: d.shared,
        facts,
        parties: d
            .parties
            .iter()
            .map(|p| {
                let href = if d.shared { None } else { p.partner_id.map(|id| format!("/partners/{id}")) };
                let who = match (&p.signatory_name, &p.signatory_position) {
                    (Some(n), Some(pos)) => format!("{} — {n}, {pos}", p.name),
                    (Some(n), None) => format!("{} — {n}", p.name),
                    _ => p.name.clone(),
                };
                (who, href)
            })
            .collect(),
        needs,
        moves,
        terminations: TerminationReason::ALL
            .into_iter()
            .map(|t| (t.slug().to_owned(), tr.t(&format!("termination-{}", t.slug()))))
            .collect(),
        transitions: d
            .transitions
            .iter()
            .map(|t| {
                (
                    tr.datetime_ms(t.at_ms),
                    stage_label(tr, t.to),
                    t.actor_label.clone(),
                    t.note.clone().unwrap_or_default(),
                )
            })
            .collect(),
        notes: d.notes.iter().map(|n| (tr.datetime_ms(n.at_ms), n.actor_label.clone(), n.body.clone())).collect(),
        activities: d
            .activities
            .iter()
            .map(|x| {
                (
                    x.title.clone(),
                    date(x.planned_on),
                    date(x.done_on),
                    x.budget.map(|b| tr.rupiah(b)).unwrap_or_else(|| "—".into()),
                )
            })
            .collect(),
        outcomes: d
            .outcomes
            .iter()
            .map(|o| {
                (
                    o.label.clone(),
                    outcome_value(tr, o),
                    o.period.clone(),
                    o.evidence.clone().unwrap_or_else(|| "—".into()),
                )
            })
            .collect(),
        outcome_kinds: OutcomeKind::ALL
            .into_iter()
            .map(|k| (k.slug().to_owned(), tr.t(&format!("outcome-{}", k.slug()))))
            .collect(),
        keeper,
        kb_signed_on: a.kb_signed_on.map(|d| d.to_string()).unwrap_or_default(),
        pks_signed_on: a.pks_signed_on.map(|d| d.to_string()).unwrap_or_default(),
        errors,
        can_note: auth.actor.scope.tenant().is_some(),
        can_audit: auth.actor.can(Permission::ViewAudit) && !d.shared,
    })
}

/// "Rp 1.500.000" for money, "120 orang" otherwise.
pub fn outcome_value(tr: Tr, o: &Outcome) -> String {
    if o.kind.is_rupiah() { tr.rupiah(o.value) } else { format!("{} {}", tr.number(o.value), o.unit) }
}

pub async fn show(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
) -> AppResult<Response> {
    Ok(render(&page(&state, &auth, self::agreement_id(&agreement_id)?, FormErrors::default()).await?))
}

#[derive(Deserialize, Default)]
pub struct MoveForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    kb_signed_on: String,
    #[serde(default)]
    pks_signed_on: String,
    #[serde(default)]
    feasibility_done: Option<String>,
    #[serde(default)]
    dprd_approved: Option<String>,
    #[serde(default)]
    termination: String,
    #[serde(default)]
    note: String,
}

pub async fn move_stage(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    Form(f): Form<MoveForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let mut errors = FormErrors::default();
    let to: Option<Stage> = f.to.parse().map_err(|e| errors.add(tr, &e)).ok();
    let kb = parse_date("kb_signed_on", &f.kb_signed_on).map_err(|e| errors.add(tr, &e)).ok();
    let pks = parse_date("pks_signed_on", &f.pks_signed_on).map_err(|e| errors.add(tr, &e)).ok();
    let termination = match f.termination.trim() {
        "" => Some(None),
        t => t.parse::<TerminationReason>().map(Some).map_err(|e| errors.add(tr, &e)).ok(),
    };
    if let (Some(to), Some(kb_signed_on), Some(pks_signed_on), Some(termination), true) =
        (to, kb, pks, termination, errors.is_empty())
    {
        let step = StageMove {
            note: Some(f.note.clone()),
            termination,
            kb_signed_on,
            pks_signed_on,
            feasibility_done: f.feasibility_done.is_some(),
            dprd_approved: f.dprd_approved.is_some(),
        };
        match state.store.move_agreement(&auth.actor, id, to, step).await {
            Ok(_) => return Ok(see_other(&format!("/cooperation/agreements/{id}"))),
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    Ok(render_invalid(&page(&state, &auth, id, errors).await?))
}

#[derive(Deserialize, Default)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

pub async fn add_note(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    Form(f): Form<NoteForm>,
) -> AppResult<Response> {
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    state.store.add_agreement_note(&auth.actor, id, &f.body).await?;
    Ok(see_other(&format!("/cooperation/agreements/{id}")))
}

#[derive(Deserialize, Default)]
pub struct DraftForm {
    #[serde(default)]
    partner_id: String,
}

/// From a need's candidate list: a draft KB with that partner, in one step.
pub async fn draft_from_need(
    State(state): State<AppState>,
    auth: Authed,
    Path(need_id): Path<String>,
    Form(f): Form<DraftForm>,
) -> AppResult<Response> {
    let need: NeedId = need_id.parse().map_err(|_| AppError::NotFound)?;
    state.store.need(&auth.actor, need).await?;
    let partner: PartnerId = f
        .partner_id
        .parse()
        .map_err(|_| AppError::Invalid(sinergi_domain::auth::FieldError::new("partner_id", "invalid-choice")))?;
    let agreement = state.store.draft_agreement_from_match(&auth.actor, need, partner).await?;
    Ok(see_other(&format!("/cooperation/agreements/{}", agreement.id)))
}

#[derive(Deserialize, Default)]
pub struct ActivityForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    planned_on: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    budget: String,
}

pub async fn add_activity(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    Form(f): Form<ActivityForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let mut errors = Vec::new();
    let title = required_text("title", &f.title, 200).map_err(|e| errors.push(e)).ok();
    let planned_on = parse_date("planned_on", &f.planned_on).map_err(|e| errors.push(e)).ok();
    let done_on = parse_date("done_on", &f.done_on).map_err(|e| errors.push(e)).ok();
    let budget = if f.budget.trim().is_empty() {
        Some(None)
    } else {
        parse_amount("budget", &f.budget).map(Some).map_err(|e| errors.push(e)).ok()
    };
    if let (Some(title), Some(planned_on), Some(done_on), Some(budget), true) =
        (title, planned_on, done_on, budget, errors.is_empty())
    {
        state
            .store
            .add_activity(&auth.actor, id, Activity { agreement_id: id, title, planned_on, done_on, budget })
            .await?;
        return Ok(see_other(&format!("/cooperation/agreements/{id}")));
    }
    let mut shown = FormErrors::default();
    errors.iter().for_each(|e| shown.add(tr, e));
    Ok(render_invalid(&page(&state, &auth, id, shown).await?))
}

#[derive(Deserialize, Default)]
pub struct OutcomeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    evidence: String,
}

pub async fn add_outcome(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    Form(f): Form<OutcomeForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let mut errors = Vec::new();
    let kind: Option<OutcomeKind> = f.kind.parse().map_err(|e| errors.push(e)).ok();
    // A standard kind names itself and brings its unit; a free outcome needs both.
    let label = match (kind, f.label.trim()) {
        (Some(k), "") if k != OutcomeKind::Other => Some(tr.t(&format!("outcome-{}", k.slug()))),
        (_, l) => required_text("label", l, 200).map_err(|e| errors.push(e)).ok(),
    };
    let unit = match kind.and_then(OutcomeKind::unit) {
        Some(u) => Some(u.to_owned()),
        None => required_text("unit", &f.unit, 40).map_err(|e| errors.push(e)).ok(),
    };
    let value = parse_amount("value", &f.value).map_err(|e| errors.push(e)).ok();
    let period = required_text("period", &f.period, 40).map_err(|e| errors.push(e)).ok();
    let evidence = match f.evidence.trim() {
        "" => None,
        e => required_text("evidence", e, 1000).map_err(|e| errors.push(e)).ok(),
    };
    if let (Some(kind), Some(label), Some(unit), Some(value), Some(period), true) =
        (kind, label, unit, value, period, errors.is_empty())
    {
        let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
        let recorded_on = time::OffsetDateTime::now_utc().to_offset(offset).date();
        let outcome = Outcome { agreement_id: id, kind, label, unit, value, period, evidence, recorded_on };
        state.store.add_outcome(&auth.actor, id, outcome).await?;
        return Ok(see_other(&format!("/cooperation/agreements/{id}")));
    }
    let mut shown = FormErrors::default();
    errors.iter().for_each(|e| shown.add(tr, e));
    Ok(render_invalid(&page(&state, &auth, id, shown).await?))
}

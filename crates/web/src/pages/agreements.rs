//! Agreements: the register, an agreement's page with its stages, and the one-step draft from
//! a matched need.

use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::auth::{FieldError, required_text};
use sinergi_domain::cooperation::agreement::{DocumentKind, Stage, StageFacts, TerminationReason, next_stages};
use sinergi_domain::cooperation::documents::{DocumentPurpose, SigningChecklist};
use sinergi_domain::cooperation::evaluation::{Recommendation, Scores};
use sinergi_domain::cooperation::outcomes::{ActivityStatus, OutcomeKind, parse_amount};
use sinergi_domain::files::{CheckedFile, MAX_FILE_BYTES, check_file};
use sinergi_domain::{ActivityId, AgencyId, AgreementId, DocumentId, NeedId, OutcomeId, PartnerId, Permission};
use sinergi_store::agreements::{Activity, Agreement, AgreementFilter, NewEvaluation, Outcome, StageMove, parse_date};
use sinergi_store::documents::{Document, NewDocument};

use super::upload::{MultipartForm, send_file};
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
    /// (title, planned, done, budget, evidence files, status and agency)
    activities: Vec<(String, String, String, String, Vec<FileLink>, String)>,
    /// (indicator, value, period, evidence, evidence files, baseline and target)
    outcomes: Vec<(String, String, String, String, Vec<FileLink>, String)>,
    agencies: Vec<(String, String)>,
    activity_statuses: Vec<(String, String)>,
    documents: Vec<DocumentView>,
    purposes: Vec<(String, String)>,
    evaluations: Vec<EvaluationView>,
    /// (id, title, document) of the KB this implements or the document this amends.
    parent: Option<(String, String, String)>,
    /// (id, title, document, stage) of the PKS and addenda under this one.
    children: Vec<(String, String, String, String)>,
    can_draft_pks: bool,
    can_draft_addendum: bool,
    recommendations: Vec<(String, String)>,
    score_fields: Vec<(&'static str, String)>,
    today: String,
    outcome_kinds: Vec<(String, String)>,
    keeper: bool,
    errors: FormErrors,
    can_note: bool,
    can_audit: bool,
    /// The viewer's own meetings about this agreement.
    meeting_rows: Vec<super::meetings::MeetingRowView>,
    can_meet: bool,
}

/// A link to a kept file: where, and what the link says ("foto-serah-terima.jpg · 240 KB").
pub struct FileLink {
    pub href: String,
    pub label: String,
}

pub struct DocumentView {
    pub id: String,
    pub title: String,
    pub purpose: String,
    pub link: FileLink,
    pub uploaded: String,
    /// Only for a signed KB, PKS or addendum.
    pub checklist: Option<ChecklistView>,
}

pub struct EvaluationView {
    pub period: String,
    pub evaluated_on: String,
    /// (scale label, mark)
    pub marks: Vec<(String, u8)>,
    pub average: String,
    pub recommendation: String,
    pub contradicts: bool,
    pub notes: String,
    pub by: String,
}

pub struct ChecklistView {
    pub paraf: bool,
    pub materai: bool,
    pub stempel: bool,
    /// "Lengkap" or "Belum: materai, stempel".
    pub status: String,
    pub complete: bool,
}

fn file_link(tr: Tr, d: &Document) -> FileLink {
    let kb = (d.size_bytes + 1023) / 1024;
    FileLink {
        href: format!("/cooperation/agreements/{}/documents/{}", d.agreement_id, d.id),
        label: format!("{} · {} KB", d.file_name, tr.number(kb)),
    }
}

fn agreement_id(s: &str) -> AppResult<AgreementId> {
    s.parse().map_err(|_| AppError::NotFound)
}

async fn page(state: &AppState, auth: &Authed, id: AgreementId, errors: FormErrors) -> AppResult<AgreementPage> {
    let tr = auth.ctx.tr();
    let d = state.store.agreement(&auth.actor, id).await?;
    let a = &d.agreement;
    let dprd = a.dprd();
    // The keeper's agencies; a party Pemda does not see them, and reads "—".
    let agencies = state.store.agencies(&auth.actor, None).await?;
    let agency_name =
        |id: AgencyId| agencies.iter().find(|g| g.id == id).map(|g| g.name.clone()).unwrap_or_else(|| "—".to_owned());
    let date = |v: Option<time::Date>| {
        v.map(|d| sinergi_domain::format::format_date(d, tr.locale)).unwrap_or_else(|| "—".into())
    };
    let facts = vec![
        (tr.t("field-kind-agreement"), tr.t(&format!("agreement-kind-{}", a.kind.slug()))),
        (tr.t("field-document"), tr.t(&format!("document-{}", a.document.slug()))),
        (tr.t("field-stage"), stage_label(tr, a.stage)),
        (tr.t("field-urusan"), super::needs::urusan_label(tr, &a.urusan_code)),
        (tr.t("field-responsible-agency"), a.agency_id.map(agency_name).unwrap_or_else(|| "—".to_owned())),
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
        (tr.t("field-funding-source"), funding_label(tr, a)),
        (tr.t("field-location"), location_label(a)),
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
                let mut who = match (&p.signatory_name, &p.signatory_position) {
                    (Some(n), Some(pos)) => format!("{} — {n}, {pos}", p.name),
                    (Some(n), None) => format!("{} — {n}", p.name),
                    _ => p.name.clone(),
                };
                if p.signs_by_authority {
                    who.push_str(&format!(" ({})", tr.t("agreements-by-authority")));
                }
                if let Some(no) = &p.document_number {
                    who.push_str(&format!(" · {} {no}", tr.t("field-document-number")));
                }
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
                    d.documents
                        .iter()
                        .filter(|doc| doc.activity_id == Some(x.id))
                        .map(|doc| file_link(tr, doc))
                        .collect(),
                    [Some(tr.t(&format!("activity-status-{}", x.status.slug()))), x.agency_id.map(agency_name)]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · "),
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
                    d.documents
                        .iter()
                        .filter(|doc| doc.outcome_id == Some(o.id))
                        .map(|doc| file_link(tr, doc))
                        .collect(),
                    outcome_progress(tr, o),
                )
            })
            .collect(),
        agencies: agencies
            .iter()
            .filter(|g| g.tenant == a.tenant && g.active)
            .map(|g| (g.id.to_string(), g.name.clone()))
            .collect(),
        activity_statuses: ActivityStatus::ALL
            .iter()
            .map(|st| (st.slug().to_owned(), tr.t(&format!("activity-status-{}", st.slug()))))
            .collect(),
        documents: d
            .documents
            .iter()
            .filter(|doc| doc.activity_id.is_none() && doc.outcome_id.is_none())
            .map(|doc| DocumentView {
                id: doc.id.to_string(),
                title: doc.title.clone(),
                purpose: tr.t(&format!("document-purpose-{}", doc.purpose.slug())),
                link: file_link(tr, doc),
                uploaded: tr.datetime_ms(doc.created_at_ms),
                checklist: doc.purpose.is_signed_agreement().then(|| {
                    let c = doc.checklist;
                    let missing: Vec<String> =
                        c.missing().into_iter().map(|k| tr.t(&format!("checklist-{k}"))).collect();
                    ChecklistView {
                        paraf: c.paraf,
                        materai: c.materai,
                        stempel: c.stempel,
                        complete: c.is_complete(),
                        status: if missing.is_empty() {
                            tr.t("checklist-complete")
                        } else {
                            tr.t1("checklist-missing", "items", missing.join(", "))
                        },
                    }
                }),
            })
            .collect(),
        purposes: DocumentPurpose::ALL
            .into_iter()
            .filter(|p| *p != DocumentPurpose::Evidence)
            .chain([DocumentPurpose::Evidence])
            .map(|p| (p.slug().to_owned(), tr.t(&format!("document-purpose-{}", p.slug()))))
            .collect(),
        parent: d
            .parent
            .as_ref()
            .map(|p| (p.id.to_string(), p.title.clone(), tr.t(&format!("document-{}", p.document.slug())))),
        children: d
            .children
            .iter()
            .map(|c| {
                (
                    c.id.to_string(),
                    c.title.clone(),
                    tr.t(&format!("document-{}", c.document.slug())),
                    stage_label(tr, c.stage),
                )
            })
            .collect(),
        can_draft_pks: keeper && a.document == DocumentKind::Kb && a.kb_signed_on.is_some() && !a.stage.is_terminal(),
        can_draft_addendum: keeper
            && !a.stage.is_terminal()
            && match a.document {
                DocumentKind::Kb => a.kb_signed_on.is_some(),
                DocumentKind::Pks => a.pks_signed_on.is_some(),
                DocumentKind::Addendum => false,
            },
        evaluations: d
            .evaluations
            .iter()
            .map(|e| EvaluationView {
                period: e.period.clone(),
                evaluated_on: sinergi_domain::format::format_date(e.evaluated_on, tr.locale),
                marks: Scores::FIELDS
                    .iter()
                    .zip(e.scores.as_array())
                    .map(|(f, m)| (tr.t(&format!("score-{f}")), m))
                    .collect(),
                average: tr.decimal(f64::from(e.scores.average_tenths()) / 10.0),
                recommendation: tr.t(&format!("recommendation-{}", e.recommendation.slug())),
                contradicts: e.scores.contradicts(e.recommendation),
                notes: e.notes.clone(),
                by: e.created_by.clone(),
            })
            .collect(),
        recommendations: Recommendation::ALL
            .iter()
            .map(|r| (r.slug().to_owned(), tr.t(&format!("recommendation-{}", r.slug()))))
            .collect(),
        score_fields: Scores::FIELDS.iter().map(|f| (*f, tr.t(&format!("score-{f}")))).collect(),
        today: crate::jobs::today_wib().to_string(),
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

/// "Bersama (APBD dan mitra) · Campuran", or "tidak dilaporkan" when neither is known.
pub fn funding_label(tr: Tr, a: &Agreement) -> String {
    match (a.funding, a.funding_form) {
        (None, None) => tr.t("agreements-not-reported"),
        (source, form) => [
            source.map(|s| tr.t(&format!("funding-source-{}", s.slug()))),
            form.map(|f| tr.t(&format!("funding-form-{}", f.slug()))),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · "),
    }
}

/// The regions where an agreement takes place, by name.
pub fn location_label(a: &Agreement) -> String {
    if a.location_codes.is_empty() {
        return "—".to_owned();
    }
    a.location_codes
        .iter()
        .map(|c| sinergi_reference::region(c).map(|r| r.name.clone()).unwrap_or_else(|| c.to_string()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "awal 0 · target 500 orang", or empty when neither was set.
fn outcome_progress(tr: Tr, o: &Outcome) -> String {
    let show = |v: i64| if o.kind.is_rupiah() { tr.rupiah(v) } else { format!("{} {}", tr.number(v), o.unit) };
    [
        o.baseline.map(|b| format!("{} {}", tr.t("field-baseline"), show(b))),
        o.target.map(|t| format!("{} {}", tr.t("field-target"), show(t))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
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

/// A file sent with a form, checked by its content; none sent is fine.
fn evidence_file(
    form: &mut MultipartForm,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<Option<CheckedFile>> {
    match form.take_file(field) {
        None => Some(None),
        Some(f) => check_file(field, &f.name, f.bytes, MAX_FILE_BYTES).map(Some).map_err(|e| errors.push(e)).ok(),
    }
}

fn show_errors(tr: Tr, errors: &[FieldError]) -> FormErrors {
    let mut shown = FormErrors::default();
    errors.iter().for_each(|e| shown.add(tr, e));
    shown
}

pub async fn add_activity(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let mut f = match MultipartForm::read(multipart).await {
        Ok(f) => f,
        Err(AppError::Invalid(e)) => return Ok(render_invalid(&page(&state, &auth, id, show_errors(tr, &[e])).await?)),
        Err(e) => return Err(e),
    };
    let mut errors = Vec::new();
    let title = required_text("title", f.text("title"), 200).map_err(|e| errors.push(e)).ok();
    let planned_on = parse_date("planned_on", f.text("planned_on")).map_err(|e| errors.push(e)).ok();
    let done_on = parse_date("done_on", f.text("done_on")).map_err(|e| errors.push(e)).ok();
    let budget = if f.text("budget").trim().is_empty() {
        Some(None)
    } else {
        parse_amount("budget", f.text("budget")).map(Some).map_err(|e| errors.push(e)).ok()
    };
    let file = evidence_file(&mut f, "evidence_file", &mut errors);
    let agency_id = match f.text("agency_id").trim() {
        "" => Some(None),
        a => a
            .parse::<AgencyId>()
            .map(Some)
            .map_err(|_| errors.push(FieldError::new("agency_id", "invalid-choice")))
            .ok(),
    };
    // Without a status chosen, the dates say it: done once a date done is given.
    let status = match f.text("status").trim() {
        "" => Some(ActivityStatus::from_dates(done_on.flatten().is_some())),
        st => st.parse::<ActivityStatus>().map_err(|e| errors.push(e)).ok(),
    };
    if let (
        Some(title),
        Some(planned_on),
        Some(done_on),
        Some(budget),
        Some(file),
        Some(agency_id),
        Some(status),
        true,
    ) = (title, planned_on, done_on, budget, file, agency_id, status, errors.is_empty())
    {
        let activity =
            Activity { id: ActivityId::new(), agreement_id: id, title, planned_on, done_on, budget, agency_id, status };
        state.store.add_activity(&auth.actor, id, activity, file).await?;
        return Ok(see_other(&format!("/cooperation/agreements/{id}")));
    }
    Ok(render_invalid(&page(&state, &auth, id, show_errors(tr, &errors)).await?))
}

pub async fn add_outcome(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let mut f = match MultipartForm::read(multipart).await {
        Ok(f) => f,
        Err(AppError::Invalid(e)) => return Ok(render_invalid(&page(&state, &auth, id, show_errors(tr, &[e])).await?)),
        Err(e) => return Err(e),
    };
    let mut errors = Vec::new();
    let kind: Option<OutcomeKind> = f.text("kind").parse().map_err(|e| errors.push(e)).ok();
    // A standard kind names itself and brings its unit; a free outcome needs both.
    let label = match (kind, f.text("label").trim()) {
        (Some(k), "") if k != OutcomeKind::Other => Some(tr.t(&format!("outcome-{}", k.slug()))),
        (_, l) => required_text("label", l, 200).map_err(|e| errors.push(e)).ok(),
    };
    let unit = match kind.and_then(OutcomeKind::unit) {
        Some(u) => Some(u.to_owned()),
        None => required_text("unit", f.text("unit"), 40).map_err(|e| errors.push(e)).ok(),
    };
    let value = parse_amount("value", f.text("value")).map_err(|e| errors.push(e)).ok();
    let period = required_text("period", f.text("period"), 40).map_err(|e| errors.push(e)).ok();
    let evidence = match f.text("evidence").trim() {
        "" => Some(None),
        e => required_text("evidence", e, 1000).map(Some).map_err(|e| errors.push(e)).ok(),
    };
    let file = evidence_file(&mut f, "evidence_file", &mut errors);
    let optional_amount = |field: &'static str, raw: &str, errors: &mut Vec<FieldError>| match raw.trim() {
        "" => Some(None),
        v => parse_amount(field, v).map(Some).map_err(|e| errors.push(e)).ok(),
    };
    let baseline = optional_amount("baseline", f.text("baseline"), &mut errors);
    let target = optional_amount("target", f.text("target"), &mut errors);
    if let (
        Some(kind),
        Some(label),
        Some(unit),
        Some(value),
        Some(period),
        Some(evidence),
        Some(file),
        Some(baseline),
        Some(target),
        true,
    ) = (kind, label, unit, value, period, evidence, file, baseline, target, errors.is_empty())
    {
        let outcome = Outcome {
            id: OutcomeId::new(),
            agreement_id: id,
            kind,
            label,
            unit,
            value,
            period,
            evidence,
            recorded_on: crate::jobs::today_wib(),
            baseline,
            target,
        };
        state.store.add_outcome(&auth.actor, id, outcome, file).await?;
        return Ok(see_other(&format!("/cooperation/agreements/{id}")));
    }
    Ok(render_invalid(&page(&state, &auth, id, show_errors(tr, &errors)).await?))
}

/// Keep a signed scan, a letter or other evidence with the agreement.
pub async fn add_document(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let mut f = match MultipartForm::read(multipart).await {
        Ok(f) => f,
        Err(AppError::Invalid(e)) => return Ok(render_invalid(&page(&state, &auth, id, show_errors(tr, &[e])).await?)),
        Err(e) => return Err(e),
    };
    let mut errors = Vec::new();
    let purpose: Option<DocumentPurpose> = f.text("purpose").parse().map_err(|e| errors.push(e)).ok();
    let file = match f.take_file("file") {
        Some(sent) => check_file("file", &sent.name, sent.bytes, MAX_FILE_BYTES).map_err(|e| errors.push(e)).ok(),
        None => {
            errors.push(FieldError::new("file", "required"));
            None
        }
    };
    // Without a title the purpose names the document ("KB bertanda tangan").
    let title = match (f.text("title").trim(), purpose) {
        ("", Some(p)) => tr.t(&format!("document-purpose-{}", p.slug())),
        (t, _) => t.to_owned(),
    };
    let checklist =
        SigningChecklist { paraf: f.checked("paraf"), materai: f.checked("materai"), stempel: f.checked("stempel") };
    if let (Some(purpose), Some(file), true) = (purpose, file, errors.is_empty()) {
        let new = NewDocument { purpose, title, file, activity_id: None, outcome_id: None, checklist };
        match state.store.add_document(&auth.actor, id, new).await {
            Ok(_) => return Ok(see_other(&format!("/cooperation/agreements/{id}#documents"))),
            Err(e) => {
                let mut shown = show_errors(tr, &errors);
                shown.absorb(tr, e.into())?;
                return Ok(render_invalid(&page(&state, &auth, id, shown).await?));
            }
        }
    }
    Ok(render_invalid(&page(&state, &auth, id, show_errors(tr, &errors)).await?))
}

#[derive(Deserialize, Default)]
pub struct ChecklistForm {
    paraf: Option<String>,
    materai: Option<String>,
    stempel: Option<String>,
}

pub async fn set_checklist(
    State(state): State<AppState>,
    auth: Authed,
    Path((agreement_id, document_id)): Path<(String, String)>,
    Form(f): Form<ChecklistForm>,
) -> AppResult<Response> {
    let id = self::agreement_id(&agreement_id)?;
    let doc: DocumentId = document_id.parse().map_err(|_| AppError::NotFound)?;
    let checklist =
        SigningChecklist { paraf: f.paraf.is_some(), materai: f.materai.is_some(), stempel: f.stempel.is_some() };
    state.store.set_signing_checklist(&auth.actor, id, doc, checklist).await?;
    Ok(see_other(&format!("/cooperation/agreements/{id}#documents")))
}

pub async fn download_document(
    State(state): State<AppState>,
    auth: Authed,
    Path((agreement_id, document_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let id = self::agreement_id(&agreement_id)?;
    let doc: DocumentId = document_id.parse().map_err(|_| AppError::NotFound)?;
    let file = state.store.document_file(&auth.actor, id, doc).await?;
    Ok(send_file(&file.name, file.file_type, file.bytes))
}

#[derive(Deserialize, Default)]
pub struct EvaluationForm {
    #[serde(default)]
    period: String,
    #[serde(default)]
    evaluated_on: String,
    #[serde(default)]
    aim: String,
    #[serde(default)]
    timeliness: String,
    #[serde(default)]
    contribution: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    impact: String,
    #[serde(default)]
    relevance: String,
    #[serde(default)]
    recommendation: String,
    #[serde(default)]
    notes: String,
}

/// Record a monitoring and evaluation (monev) for a period.
pub async fn add_evaluation(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    Form(f): Form<EvaluationForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let mut errors = Vec::new();
    let scores = Scores::parse(
        [&f.aim, &f.timeliness, &f.contribution, &f.indicator, &f.impact, &f.relevance].map(String::as_str),
    )
    .map_err(|e| errors.extend(e))
    .ok();
    let recommendation: Option<Recommendation> = f.recommendation.parse().map_err(|e| errors.push(e)).ok();
    let evaluated_on = match parse_date("evaluated_on", &f.evaluated_on) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.push(FieldError::new("evaluated_on", "required"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    if let (Some(scores), Some(recommendation), Some(evaluated_on), true) =
        (scores, recommendation, evaluated_on, errors.is_empty())
    {
        let new = NewEvaluation { period: f.period, evaluated_on, scores, recommendation, notes: f.notes };
        match state.store.add_evaluation(&auth.actor, id, new).await {
            Ok(_) => return Ok(see_other(&format!("/cooperation/agreements/{id}#evaluations"))),
            Err(e) => {
                let mut shown = FormErrors::default();
                shown.absorb(tr, e.into())?;
                return Ok(render_invalid(&page(&state, &auth, id, shown).await?));
            }
        }
    }
    Ok(render_invalid(&page(&state, &auth, id, show_errors(tr, &errors)).await?))
}

#[derive(Deserialize, Default)]
pub struct ChildForm {
    #[serde(default)]
    document: String,
}

/// Draft a PKS implementing this KB, or an addendum amending this KB or PKS, in one step.
pub async fn draft_child(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    Form(f): Form<ChildForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let mut errors = FormErrors::default();
    match f.document.parse::<DocumentKind>() {
        Ok(document) => match state.store.draft_child(&auth.actor, id, document).await {
            Ok(child) => return Ok(see_other(&format!("/cooperation/agreements/{}", child.id))),
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(e) => errors.add(tr, &e),
    }
    Ok(render_invalid(&page(&state, &auth, id, errors).await?))
}

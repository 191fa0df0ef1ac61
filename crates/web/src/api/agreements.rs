//! Agreements over JSON: the register, one agreement with everything on its page, drafting,
//! stage moves, activities, outcomes and internal notes.
//!
//! The rules are the store's and the domain's, as on the pages: only the keeping Pemda's
//! Bagian Kerja Sama changes an agreement; a party Pemda reads it and keeps its own notes; an
//! illegal stage move is refused with the domain's reason (`error.reason`, e.g. `not-next`,
//! `kb-not-signed`). Amounts are whole rupiah, `null` when not reported; dates are ISO
//! `YYYY-MM-DD`; kinds and stages are their slugs.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sinergi_domain::auth::{FieldError, required_text};
use sinergi_domain::cooperation::agreement::{AgreementKind, Stage, StageFacts, TerminationReason, next_stages};
use sinergi_domain::cooperation::funding::{FundingForm, FundingSource};
use sinergi_domain::cooperation::needs::PartnerKind;
use sinergi_domain::cooperation::outcomes::{ActivityStatus, OutcomeKind};
use sinergi_domain::{ActivityId, Actor, AgencyId, AgreementId, NeedId, OutcomeId, PartnerId, Permission, RegionCode};
use sinergi_store::StoreError;
use sinergi_store::agreements::{
    Activity, Agreement, AgreementDetail, AgreementFilter, NewAgreement, Note, Outcome, Party, StageMove, Transition,
    parse_date,
};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use super::cooperation::write_tenant;
use super::tokens::rfc3339;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};

fn iso(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn invalid(field: &'static str, reason: &'static str) -> AppError {
    AppError::Invalid(FieldError::new(field, reason))
}

/// Optional text: absent or blank is `None`, anything else within `max` characters.
fn optional_text(field: &'static str, v: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(Some(required_text(field, s, max)?)),
        None => Ok(None),
    }
}

fn date(field: &'static str, v: Option<&str>) -> AppResult<Option<Date>> {
    Ok(parse_date(field, v.unwrap_or(""))?)
}

/// Rupiah and counts are whole and never negative; `None` stays "not reported".
fn amount(field: &'static str, v: Option<i64>) -> AppResult<Option<i64>> {
    match v {
        Some(n) if n < 0 => Err(invalid(field, "invalid-amount")),
        other => Ok(other),
    }
}

#[derive(Serialize, ToSchema)]
pub struct AgreementDto {
    pub id: String,
    /// The Pemda that drafted the agreement and keeps it.
    pub tenant: String,
    /// ksdd-wajib, ksdd-sukarela, ksdpk, ksdpl, ksdll, nota-kesepakatan-pusat
    pub kind: String,
    /// kb, pks, addendum
    pub document: String,
    pub parent_id: Option<String>,
    pub title: String,
    pub scope: String,
    /// Government affair code (Permendagri 90/2019), e.g. 2.17.
    pub urusan: String,
    /// persiapan, penawaran, penyusunan-kb, penandatanganan-kb, persetujuan-dprd, penyusunan-pks,
    /// penandatanganan-pks, pelaksanaan, monitoring-evaluasi, selesai, diakhiri
    pub stage: String,
    #[schema(format = Date)]
    pub starts_on: Option<String>,
    #[schema(format = Date)]
    pub ends_on: Option<String>,
    #[schema(format = Date)]
    pub kb_signed_on: Option<String>,
    #[schema(format = Date)]
    pub pks_signed_on: Option<String>,
    /// Whole rupiah; null when not reported (never 0 for "unknown").
    pub value: Option<i64>,
    /// apbd, partner, shared, apbn; null when not reported.
    pub funding: Option<String>,
    /// cash, goods, services, mixed; null when not reported.
    pub funding_form: Option<String>,
    /// Kemendagri region codes where the cooperation takes place.
    pub location_codes: Vec<String>,
    pub burdens_public: bool,
    pub budgeted_in_apbd: bool,
    pub feasibility_done: bool,
    pub dprd_approved: bool,
    /// Whether the DPRD must approve it (UU 23/2014, PP 28/2018), and why (`dprd_reason`).
    pub dprd_required: bool,
    pub dprd_reason: String,
    /// term-ended, aim-met, force-majeure, default, mutual-agreement; only once ended.
    pub termination_reason: Option<String>,
    /// True when the caller's Pemda is a party, not the keeper: it reads, it does not change.
    pub shared: bool,
    pub updated_at: String,
}

impl AgreementDto {
    fn new(a: Agreement, viewer: &Actor) -> Self {
        let dprd = a.dprd();
        Self {
            id: a.id.to_string(),
            shared: viewer.scope.tenant().is_some_and(|t| *t != a.tenant),
            tenant: a.tenant.to_string(),
            kind: a.kind.slug().to_owned(),
            document: a.document.slug().to_owned(),
            parent_id: a.parent_id.map(|p| p.to_string()),
            stage: a.stage.slug().to_owned(),
            starts_on: iso(a.starts_on),
            ends_on: iso(a.ends_on),
            kb_signed_on: iso(a.kb_signed_on),
            pks_signed_on: iso(a.pks_signed_on),
            value: a.value,
            burdens_public: a.burdens_public,
            budgeted_in_apbd: a.budgeted_in_apbd,
            feasibility_done: a.feasibility_done,
            dprd_approved: a.dprd_approved,
            dprd_required: dprd.required,
            dprd_reason: dprd.reason.to_owned(),
            termination_reason: a.termination.map(|t| t.slug().to_owned()),
            updated_at: rfc3339(a.updated_at_ms),
            title: a.title,
            scope: a.scope,
            urusan: a.urusan_code,
            funding: a.funding.map(|f| f.slug().to_owned()),
            funding_form: a.funding_form.map(|f| f.slug().to_owned()),
            location_codes: a.location_codes.iter().map(|c| c.to_string()).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartyDto {
    /// The partner in the keeper's registry; null for the keeping Pemda itself, and for a
    /// party Pemda reading the agreement (the keeper's registry is not theirs to open).
    pub partner_id: Option<String>,
    /// Another Pemda that is a party, by region code: it sees the agreement too.
    pub party_tenant: Option<String>,
    pub name: String,
    pub signatory_name: Option<String>,
    pub signatory_position: Option<String>,
    pub document_number: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TransitionDto {
    /// Null for the first stage the agreement was drafted in.
    pub from: Option<String>,
    pub to: String,
    pub at: String,
    pub actor_label: String,
    pub note: Option<String>,
}

impl From<Transition> for TransitionDto {
    fn from(t: Transition) -> Self {
        Self {
            from: t.from.map(|s| s.slug().to_owned()),
            to: t.to.slug().to_owned(),
            at: rfc3339(t.at_ms),
            actor_label: t.actor_label,
            note: t.note,
        }
    }
}

/// An internal note: each Pemda reads only the notes its own people wrote.
#[derive(Serialize, ToSchema)]
pub struct NoteDto {
    pub at: String,
    pub actor_label: String,
    pub body: String,
}

impl From<Note> for NoteDto {
    fn from(n: Note) -> Self {
        Self { at: rfc3339(n.at_ms), actor_label: n.actor_label, body: n.body }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NeedRefDto {
    pub id: String,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityDto {
    pub id: String,
    pub title: String,
    #[schema(format = Date)]
    pub planned_on: Option<String>,
    #[schema(format = Date)]
    pub done_on: Option<String>,
    /// Whole rupiah; null when not reported.
    pub budget: Option<i64>,
}

impl From<Activity> for ActivityDto {
    fn from(a: Activity) -> Self {
        Self {
            id: a.id.to_string(),
            title: a.title,
            planned_on: iso(a.planned_on),
            done_on: iso(a.done_on),
            budget: a.budget,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OutcomeDto {
    pub id: String,
    /// beneficiaries, apbd-saved, partner-funded, pad-earned, umkm-reached, other
    pub kind: String,
    pub label: String,
    /// `Rp` for the money kinds (the value is then whole rupiah), `orang`, `UMKM`, or the
    /// unit of a free outcome.
    pub unit: String,
    pub value: i64,
    pub period: String,
    pub evidence: Option<String>,
    #[schema(format = Date)]
    pub recorded_on: String,
}

impl From<Outcome> for OutcomeDto {
    fn from(o: Outcome) -> Self {
        Self {
            id: o.id.to_string(),
            kind: o.kind.slug().to_owned(),
            label: o.label,
            unit: o.unit,
            value: o.value,
            period: o.period,
            evidence: o.evidence,
            recorded_on: o.recorded_on.to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AgreementDetailDto {
    #[serde(flatten)]
    pub agreement: AgreementDto,
    /// The keeping Pemda first, then the others.
    pub parties: Vec<PartyDto>,
    pub transitions: Vec<TransitionDto>,
    /// Only the notes of the caller's own Pemda.
    pub notes: Vec<NoteDto>,
    /// The needs it answers, among those the caller may see (a party Pemda sees none of the
    /// keeper's).
    pub needs: Vec<NeedRefDto>,
    pub activities: Vec<ActivityDto>,
    pub outcomes: Vec<OutcomeDto>,
    /// For the keeper's Bagian Kerja Sama: the stages the procedure allows next, provided the
    /// move brings the facts it needs (signing dates, approvals). Empty for everyone else.
    pub next_stages: Vec<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct AgreementQuery {
    /// A stage slug, e.g. pelaksanaan.
    pub stage: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct PartyBody {
    /// A partner of the keeping Pemda's registry. Another Pemda (kind region) is recorded with
    /// its region code and sees the agreement from its side.
    pub partner_id: String,
    pub signatory_name: Option<String>,
    pub signatory_position: Option<String>,
    pub document_number: Option<String>,
    /// The signatory acts for the regional head under a letter of authority (surat kuasa).
    #[serde(default)]
    pub signs_by_authority: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct AgreementCreate {
    /// Platform only: the Pemda that keeps the agreement.
    pub tenant: Option<String>,
    /// An agreement kind slug; when absent it follows from the first party's partner kind
    /// (another Pemda: ksdd-sukarela, a body abroad: ksdll, anyone else: ksdpk).
    pub kind: Option<String>,
    pub title: String,
    pub scope: String,
    pub urusan: String,
    #[schema(format = Date)]
    pub starts_on: Option<String>,
    #[schema(format = Date)]
    pub ends_on: Option<String>,
    /// Whole rupiah; leave out when not known.
    pub value: Option<i64>,
    /// apbd, partner, shared or apbn.
    pub funding: Option<String>,
    /// cash, goods, services or mixed.
    pub funding_form: Option<String>,
    /// Kemendagri region codes where the cooperation takes place.
    #[serde(default)]
    pub location_codes: Vec<String>,
    /// The agency that carries it out.
    pub agency_id: Option<String>,
    /// The other parties (at least one); the keeping Pemda is added first by itself.
    #[serde(default)]
    pub parties: Vec<PartyBody>,
    #[serde(default)]
    pub need_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct StageMoveBody {
    /// The stage to move to.
    pub stage: String,
    /// Recorded with the move; a date already recorded is kept when this is absent.
    #[schema(format = Date)]
    pub kb_signed_on: Option<String>,
    #[schema(format = Date)]
    pub pks_signed_on: Option<String>,
    /// The feasibility study (studi kelayakan) is done: a KSDPK needs it before penawaran.
    #[serde(default)]
    pub feasibility_done: bool,
    /// The DPRD approved it.
    #[serde(default)]
    pub dprd_approved: bool,
    /// Only with stage diakhiri, and required there.
    pub termination_reason: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct DraftBody {
    /// One of the need's candidate partners, from the keeping Pemda's registry.
    pub partner_id: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ActivityBody {
    pub title: String,
    #[schema(format = Date)]
    pub planned_on: Option<String>,
    #[schema(format = Date)]
    pub done_on: Option<String>,
    /// Whole rupiah; leave out when not known.
    pub budget: Option<i64>,
    /// The agency that carries it out.
    pub agency_id: Option<String>,
    /// planned, in-progress, done or cancelled; left out, done when `done_on` is given.
    pub status: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct OutcomeBody {
    /// beneficiaries, apbd-saved, partner-funded, pad-earned, umkm-reached, other
    pub kind: String,
    /// Defaults to the kind's name for the standard kinds; required for `other`.
    pub label: Option<String>,
    /// Set by the standard kinds; required for `other`.
    pub unit: Option<String>,
    /// Whole rupiah for the money kinds, a count otherwise.
    pub value: i64,
    /// The period measured, e.g. 2026 or "Semester I 2026".
    pub period: String,
    /// Where the figure comes from: a BAST, an attendance list, a report.
    pub evidence: Option<String>,
    /// Where the indicator stood before, in the same unit.
    pub baseline: Option<i64>,
    /// Where it should get, in the same unit.
    pub target: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct NoteBody {
    pub body: String,
}

fn agreement_id(s: &str) -> AppResult<AgreementId> {
    s.parse().map_err(|_| AppError::NotFound)
}

async fn detail_dto(state: &AppState, actor: &Actor, d: AgreementDetail) -> AppResult<AgreementDetailDto> {
    let mut needs = Vec::new();
    for id in &d.need_ids {
        // A need the caller may not see (the keeper's, read by a party Pemda) is left out.
        match state.store.need(actor, *id).await {
            Ok(n) => needs.push(NeedRefDto { id: n.id.to_string(), title: n.title }),
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let keeper = !d.shared && actor.can(Permission::ManageAgreements);
    let next = if keeper {
        // As on the page: the stages that follow if every fact were recorded; a move that
        // lacks one is refused with the reason naming it.
        let optimistic = StageFacts {
            feasibility_study_done: true,
            kb_signed: true,
            pks_signed: true,
            dprd_approved: true,
            ..d.agreement.facts()
        };
        next_stages(d.agreement.stage, &optimistic).into_iter().map(|s| s.slug().to_owned()).collect()
    } else {
        Vec::new()
    };
    let shared = d.shared;
    Ok(AgreementDetailDto {
        agreement: AgreementDto::new(d.agreement, actor),
        parties: d
            .parties
            .into_iter()
            .map(|p| PartyDto {
                partner_id: if shared { None } else { p.partner_id.map(|id| id.to_string()) },
                party_tenant: p.party_tenant.map(|t| t.to_string()),
                name: p.name,
                signatory_name: p.signatory_name,
                signatory_position: p.signatory_position,
                document_number: p.document_number,
            })
            .collect(),
        transitions: d.transitions.into_iter().map(Into::into).collect(),
        notes: d.notes.into_iter().map(Into::into).collect(),
        needs,
        activities: d.activities.into_iter().map(Into::into).collect(),
        outcomes: d.outcomes.into_iter().map(Into::into).collect(),
        next_stages: next,
    })
}

#[utoipa::path(get, path = "/api/v1/agreements", tag = "agreements", security(("bearer" = [])), params(AgreementQuery),
    responses((status = 200, description = "Agreements the caller's Pemda keeps or is a party to, latest change first", body = [AgreementDto]),
        (status = 422, body = super::ErrorBody)))]
pub async fn list_agreements(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<AgreementQuery>,
) -> AppResult<Json<Vec<AgreementDto>>> {
    let stage = match q.stage.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(s.parse::<Stage>()?),
        None => None,
    };
    let list = state.store.agreements(&auth.actor, &AgreementFilter { stage }).await?;
    Ok(Json(list.into_iter().map(|a| AgreementDto::new(a, &auth.actor)).collect()))
}

#[utoipa::path(get, path = "/api/v1/agreements/{agreement_id}", tag = "agreements", security(("bearer" = [])),
    params(("agreement_id" = String, Path)),
    responses((status = 200, body = AgreementDetailDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_agreement(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
) -> AppResult<Json<AgreementDetailDto>> {
    let d = state.store.agreement(&auth.actor, self::agreement_id(&agreement_id)?).await?;
    Ok(Json(detail_dto(&state, &auth.actor, d).await?))
}

/// A party from the body: a partner of the keeping Pemda's own registry.
async fn resolve_party(
    state: &AppState,
    actor: &Actor,
    tenant: &RegionCode,
    p: &PartyBody,
) -> AppResult<(Party, PartnerKind)> {
    let id: PartnerId = p.partner_id.trim().parse().map_err(|_| invalid("parties", "invalid-choice"))?;
    let partner = match state.store.partner(actor, id).await {
        Ok(d) if d.partner.tenant == *tenant => d.partner,
        Ok(_) | Err(StoreError::NotFound) => return Err(invalid("parties", "invalid-choice")),
        Err(e) => return Err(e.into()),
    };
    // Another Pemda is identified by its region code, the same in every registry: recording it
    // lets that Pemda see the agreement from its side (now, or once it uses Sinergi).
    let party_tenant = match (partner.kind, &partner.region_code) {
        (PartnerKind::Region, Some(code)) if code != tenant => Some(code.clone()),
        _ => None,
    };
    let party = Party {
        partner_id: Some(partner.id),
        party_tenant,
        name: partner.name,
        signatory_name: optional_text("signatory_name", p.signatory_name.as_deref(), 200)?,
        signatory_position: optional_text("signatory_position", p.signatory_position.as_deref(), 200)?,
        document_number: optional_text("document_number", p.document_number.as_deref(), 100)?,
        signs_by_authority: p.signs_by_authority,
    };
    Ok((party, partner.kind))
}

#[utoipa::path(post, path = "/api/v1/agreements", tag = "agreements", security(("bearer" = [])), request_body = AgreementCreate,
    responses((status = 201, description = "A KB in persiapan", body = AgreementDto), (status = 422, body = super::ErrorBody)))]
pub async fn create_agreement(
    State(state): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<AgreementCreate>,
) -> AppResult<(StatusCode, Json<AgreementDto>)> {
    let actor = &auth.actor;
    let tenant = write_tenant(&auth, body.tenant.as_deref())?;
    let title = required_text("title", &body.title, 300)?;
    let scope = required_text("scope", &body.scope, 4000)?;
    let urusan_code = sinergi_reference::urusan(&body.urusan)
        .map(|u| u.code.clone())
        .ok_or_else(|| invalid("urusan", "invalid-choice"))?;
    let starts_on = date("starts_on", body.starts_on.as_deref())?;
    let ends_on = date("ends_on", body.ends_on.as_deref())?;
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        return Err(invalid("ends_on", "ends-before-start"));
    }
    let value = amount("value", body.value)?;
    let choice = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    // The body's own field names, not the web form's.
    let funding: Option<FundingSource> =
        choice(&body.funding).map(|s| s.parse()).transpose().map_err(|_| invalid("funding", "invalid-choice"))?;
    let funding_form: Option<FundingForm> = choice(&body.funding_form)
        .map(|s| s.parse())
        .transpose()
        .map_err(|_| invalid("funding_form", "invalid-choice"))?;
    let agency_id = match body.agency_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => {
            let id: AgencyId = raw.parse().map_err(|_| invalid("agency_id", "invalid-choice"))?;
            match state.store.agency(actor, id).await {
                Ok(a) if a.tenant == tenant => Some(id),
                Ok(_) | Err(StoreError::NotFound) => return Err(invalid("agency_id", "invalid-choice")),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let mut location_codes = Vec::new();
    for raw in &body.location_codes {
        let code = RegionCode::parse(raw).map_err(|_| invalid("location_codes", "invalid-region-code"))?;
        if sinergi_reference::region(&code).is_none() {
            return Err(invalid("location_codes", "unknown-region-code"));
        }
        if !location_codes.contains(&code) {
            location_codes.push(code);
        }
    }
    if body.parties.is_empty() {
        return Err(invalid("parties", "required"));
    }
    let mut parties = Vec::with_capacity(body.parties.len());
    let mut first_kind = None;
    for p in &body.parties {
        let (party, kind) = resolve_party(&state, actor, &tenant, p).await?;
        first_kind.get_or_insert(kind);
        parties.push(party);
    }
    let kind = match (body.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()), first_kind) {
        (Some(k), _) => k.parse::<AgreementKind>()?,
        (None, Some(partner)) => AgreementKind::for_partner(partner),
        (None, None) => return Err(invalid("kind", "required")),
    };
    let mut need_ids: Vec<NeedId> = Vec::new();
    for raw in &body.need_ids {
        let id: NeedId = raw.trim().parse().map_err(|_| invalid("need_ids", "invalid-choice"))?;
        match state.store.need(actor, id).await {
            Ok(n) if n.tenant == tenant => {}
            Ok(_) | Err(StoreError::NotFound) => return Err(invalid("need_ids", "invalid-choice")),
            Err(e) => return Err(e.into()),
        }
        // One link per need, however often the body names it.
        if !need_ids.contains(&id) {
            need_ids.push(id);
        }
    }
    let new = NewAgreement {
        kind,
        title,
        scope,
        urusan_code,
        starts_on,
        ends_on,
        value,
        funding,
        funding_form,
        location_codes,
        agency_id,
        parties,
        need_ids,
    };
    let agreement = state.store.create_agreement(actor, &tenant, new).await?;
    Ok((StatusCode::CREATED, Json(AgreementDto::new(agreement, actor))))
}

#[utoipa::path(post, path = "/api/v1/agreements/{agreement_id}/stage", tag = "agreements", security(("bearer" = [])),
    request_body = StageMoveBody, params(("agreement_id" = String, Path)),
    responses((status = 200, body = AgreementDto), (status = 403, description = "Not the keeping Pemda's Bagian Kerja Sama", body = super::ErrorBody),
        (status = 404, body = super::ErrorBody),
        (status = 422, description = "An illegal move: `error.reason` is the domain's reason (not-next, terminal, feasibility-study-missing, kb-not-signed, dprd-required, dprd-not-required, dprd-not-approved, pks-not-signed, reason-required, reason-not-allowed)", body = super::ErrorBody)))]
pub async fn move_stage(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    ApiJson(body): ApiJson<StageMoveBody>,
) -> AppResult<Json<AgreementDto>> {
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let to: Stage = body.stage.trim().parse()?;
    let termination = match body.termination_reason.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(t.parse::<TerminationReason>()?),
        None => None,
    };
    let step = StageMove {
        note: optional_text("note", body.note.as_deref(), 4000)?,
        termination,
        kb_signed_on: date("kb_signed_on", body.kb_signed_on.as_deref())?,
        pks_signed_on: date("pks_signed_on", body.pks_signed_on.as_deref())?,
        feasibility_done: body.feasibility_done,
        dprd_approved: body.dprd_approved,
    };
    let agreement = state.store.move_agreement(&auth.actor, id, to, step).await?;
    Ok(Json(AgreementDto::new(agreement, &auth.actor)))
}

#[utoipa::path(post, path = "/api/v1/needs/{need_id}/draft-agreement", tag = "agreements", security(("bearer" = [])),
    request_body = DraftBody, params(("need_id" = String, Path)),
    responses((status = 201, description = "A KB in persiapan between the Pemda and the partner, linked to the need (a submitted need becomes matched)", body = AgreementDto),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn draft_from_need(
    State(state): State<AppState>,
    auth: Authed,
    Path(need_id): Path<String>,
    ApiJson(body): ApiJson<DraftBody>,
) -> AppResult<(StatusCode, Json<AgreementDto>)> {
    let need_id: NeedId = need_id.parse().map_err(|_| AppError::NotFound)?;
    let need = state.store.need(&auth.actor, need_id).await?;
    let partner: PartnerId = body.partner_id.trim().parse().map_err(|_| invalid("partner_id", "invalid-choice"))?;
    match state.store.partner(&auth.actor, partner).await {
        Ok(d) if d.partner.tenant == need.tenant => {}
        Ok(_) | Err(StoreError::NotFound) => return Err(invalid("partner_id", "invalid-choice")),
        Err(e) => return Err(e.into()),
    }
    let agreement = state.store.draft_agreement_from_match(&auth.actor, need_id, partner).await?;
    Ok((StatusCode::CREATED, Json(AgreementDto::new(agreement, &auth.actor))))
}

#[utoipa::path(get, path = "/api/v1/agreements/{agreement_id}/activities", tag = "agreements", security(("bearer" = [])),
    params(("agreement_id" = String, Path)),
    responses((status = 200, body = [ActivityDto]), (status = 404, body = super::ErrorBody)))]
pub async fn list_activities(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
) -> AppResult<Json<Vec<ActivityDto>>> {
    let d = state.store.agreement(&auth.actor, self::agreement_id(&agreement_id)?).await?;
    Ok(Json(d.activities.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/agreements/{agreement_id}/activities", tag = "agreements", security(("bearer" = [])),
    request_body = ActivityBody, params(("agreement_id" = String, Path)),
    responses((status = 201, body = ActivityDto), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn add_activity(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    ApiJson(body): ApiJson<ActivityBody>,
) -> AppResult<(StatusCode, Json<ActivityDto>)> {
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let done_on = date("done_on", body.done_on.as_deref())?;
    let status = match body.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(st) => st.parse::<ActivityStatus>()?,
        None => ActivityStatus::from_dates(done_on.is_some()),
    };
    let agency_id = match body.agency_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => Some(raw.parse::<AgencyId>().map_err(|_| invalid("agency_id", "invalid-choice"))?),
    };
    if let Some(a) = agency_id {
        // Only an agency of the keeping Pemda carries out its agreement's activities.
        let keeper = state.store.agreement(&auth.actor, id).await?.agreement.tenant;
        match state.store.agency(&auth.actor, a).await {
            Ok(g) if g.tenant == keeper => {}
            Ok(_) | Err(StoreError::NotFound) => return Err(invalid("agency_id", "invalid-choice")),
            Err(e) => return Err(e.into()),
        }
    }
    let activity = Activity {
        id: ActivityId::new(),
        agency_id,
        status,
        agreement_id: id,
        title: required_text("title", &body.title, 200)?,
        planned_on: date("planned_on", body.planned_on.as_deref())?,
        done_on,
        budget: amount("budget", body.budget)?,
    };
    state.store.add_activity(&auth.actor, id, activity.clone(), None).await?;
    Ok((StatusCode::CREATED, Json(activity.into())))
}

#[utoipa::path(get, path = "/api/v1/agreements/{agreement_id}/outcomes", tag = "agreements", security(("bearer" = [])),
    params(("agreement_id" = String, Path)),
    responses((status = 200, body = [OutcomeDto]), (status = 404, body = super::ErrorBody)))]
pub async fn list_outcomes(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
) -> AppResult<Json<Vec<OutcomeDto>>> {
    let d = state.store.agreement(&auth.actor, self::agreement_id(&agreement_id)?).await?;
    Ok(Json(d.outcomes.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/agreements/{agreement_id}/outcomes", tag = "agreements", security(("bearer" = [])),
    request_body = OutcomeBody, params(("agreement_id" = String, Path)),
    responses((status = 201, description = "Recorded today (Asia/Jakarta)", body = OutcomeDto), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_outcome(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    ApiJson(body): ApiJson<OutcomeBody>,
) -> AppResult<(StatusCode, Json<OutcomeDto>)> {
    let tr = auth.ctx.tr();
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    let kind: OutcomeKind = body.kind.trim().parse()?;
    // As on the page: a standard kind names itself and brings its unit; a free outcome
    // needs both.
    let label = match (kind, body.label.as_deref().map(str::trim).unwrap_or("")) {
        (k, "") if k != OutcomeKind::Other => tr.t(&format!("outcome-{}", k.slug())),
        (_, l) => required_text("label", l, 200)?,
    };
    let unit = match kind.unit() {
        Some(u) => u.to_owned(),
        None => required_text("unit", body.unit.as_deref().unwrap_or(""), 40)?,
    };
    let value = amount("value", Some(body.value))?.unwrap_or_default();
    let period = required_text("period", &body.period, 40)?;
    let evidence = optional_text("evidence", body.evidence.as_deref(), 1000)?;
    // The day it was recorded, in the Pemda's clock (WIB), as the page records it.
    let recorded_on = crate::jobs::today_wib();
    let outcome = Outcome {
        id: OutcomeId::new(),
        agreement_id: id,
        kind,
        label,
        unit,
        value,
        period,
        evidence,
        recorded_on,
        baseline: amount("baseline", body.baseline)?,
        target: amount("target", body.target)?,
    };
    state.store.add_outcome(&auth.actor, id, outcome.clone(), None).await?;
    Ok((StatusCode::CREATED, Json(outcome.into())))
}

#[utoipa::path(post, path = "/api/v1/agreements/{agreement_id}/notes", tag = "agreements", security(("bearer" = [])),
    request_body = NoteBody, params(("agreement_id" = String, Path)),
    responses((status = 201, description = "The note as the caller's Pemda will read it", body = NoteDto),
        (status = 403, description = "The platform has no Pemda to keep a note for", body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_note(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    ApiJson(body): ApiJson<NoteBody>,
) -> AppResult<(StatusCode, Json<NoteDto>)> {
    let id = self::agreement_id(&agreement_id)?;
    state.store.agreement(&auth.actor, id).await?;
    state.store.add_agreement_note(&auth.actor, id, &body.body).await?;
    // Read back through the store (notes come oldest first) so the answer is exactly what
    // this Pemda will read, with the time and author the store recorded.
    let note = state.store.agreement(&auth.actor, id).await?.notes.pop();
    let note = note.ok_or_else(|| AppError::Internal(anyhow::anyhow!("agreement note {id} not read back")))?;
    Ok((StatusCode::CREATED, Json(note.into())))
}

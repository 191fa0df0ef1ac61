//! Agreements (KB, PKS, addenda) and their stages. An agreement belongs to the tenant that
//! drafted it; another Pemda that is a party sees the same record, and each side keeps its own
//! internal notes.

use sea_query::{Condition, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;
use sinergi_domain::auth::{FieldError, required_text};
use sinergi_domain::cooperation::agreement::{
    AgreementKind, DocumentKind, DprdApproval, Stage, StageFacts, TerminationReason, check_transition, dprd_approval,
};
use sinergi_domain::cooperation::dormancy::{Dormancy, DormancyInput, DormancyRule, stopped_on_paper};
use sinergi_domain::cooperation::evaluation::{Recommendation, Scores};
use sinergi_domain::cooperation::funding::{FundingForm, FundingSource};
use sinergi_domain::cooperation::needs::{NeedStatus, PartnerKind};
use sinergi_domain::cooperation::outcomes::{ActivityStatus, OutcomeKind};
use sinergi_domain::files::CheckedFile;
use sinergi_domain::{
    ActivityId, Actor, AgencyId, AgreementId, NeedId, OutcomeId, PartnerId, Permission, RegionCode, Scope,
};
use time::Date;
use time::macros::format_description;
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::audit::{Change, RecordType, record, snapshot};
use crate::db::Tx;
use crate::documents::{Document, NewDocument, documents_of, insert_document};
use crate::schema::{
    Activities, AgreementNeeds, AgreementNotes, AgreementParties, AgreementTransitions, Agreements, Evaluations, Needs,
    Outcomes, Tenants,
};
use crate::{Result, Store, StoreError, now_ms};

/// A calendar date as stored: ISO `YYYY-MM-DD`.
pub fn parse_date(field: &'static str, s: &str) -> Result<Option<Date>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        t => Date::parse(t, format_description!("[year]-[month]-[day]"))
            .map(Some)
            .map_err(|_| FieldError::new(field, "invalid-date")),
    }
}

fn location_text(codes: &[RegionCode]) -> String {
    codes.iter().map(RegionCode::as_str).collect::<Vec<_>>().join(",")
}

fn date_text(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// The tenant that drafted it and keeps it.
    pub tenant: RegionCode,
    pub id: AgreementId,
    pub kind: AgreementKind,
    pub document: DocumentKind,
    pub parent_id: Option<AgreementId>,
    pub title: String,
    pub scope: String,
    pub urusan_code: String,
    pub stage: Stage,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub kb_signed_on: Option<Date>,
    pub pks_signed_on: Option<Date>,
    /// Rupiah; None when not reported (never shown as zero).
    pub value: Option<i64>,
    pub funding: Option<FundingSource>,
    pub funding_form: Option<FundingForm>,
    /// Where the cooperation takes place.
    pub location_codes: Vec<RegionCode>,
    /// The agency (OPD) that carries it out and answers for it.
    pub agency_id: Option<AgencyId>,
    pub burdens_public: bool,
    pub budgeted_in_apbd: bool,
    pub feasibility_done: bool,
    pub dprd_approved: bool,
    pub termination: Option<TerminationReason>,
    pub updated_at_ms: i64,
}

impl Agreement {
    pub fn dprd(&self) -> DprdApproval {
        dprd_approval(self.kind, self.burdens_public, self.budgeted_in_apbd)
    }

    pub fn facts(&self) -> StageFacts {
        StageFacts {
            kind: self.kind,
            document: self.document,
            dprd_required: self.dprd().required,
            feasibility_study_done: self.feasibility_done,
            kb_signed: self.kb_signed_on.is_some(),
            pks_signed: self.pks_signed_on.is_some(),
            dprd_approved: self.dprd_approved,
        }
    }
}

#[derive(sqlx::FromRow)]
struct AgreementRow {
    tenant_code: String,
    id: Uuid,
    kind: String,
    document: String,
    parent_id: Option<Uuid>,
    title: String,
    scope: String,
    urusan_code: String,
    stage: String,
    starts_on: Option<String>,
    ends_on: Option<String>,
    kb_signed_on: Option<String>,
    pks_signed_on: Option<String>,
    value_rupiah: Option<i64>,
    funding: Option<String>,
    funding_form: Option<String>,
    location_codes: String,
    agency_id: Option<Uuid>,
    burdens_public: bool,
    budgeted_in_apbd: bool,
    feasibility_done: bool,
    dprd_approved: bool,
    termination_reason: Option<String>,
    updated_at: i64,
}

impl TryFrom<AgreementRow> for Agreement {
    type Error = StoreError;
    fn try_from(r: AgreementRow) -> Result<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("agreement {}: {what}", r.id));
        let date = |s: &Option<String>| parse_date("date", s.as_deref().unwrap_or("")).map_err(|_| corrupt("date"));
        Ok(Agreement {
            tenant: RegionCode::parse(&r.tenant_code).map_err(|_| corrupt("tenant"))?,
            id: AgreementId::from_uuid(r.id),
            kind: r.kind.parse().map_err(|_| corrupt("kind"))?,
            document: r.document.parse().map_err(|_| corrupt("document"))?,
            parent_id: r.parent_id.map(AgreementId::from_uuid),
            stage: r.stage.parse().map_err(|_| corrupt("stage"))?,
            starts_on: date(&r.starts_on)?,
            ends_on: date(&r.ends_on)?,
            kb_signed_on: date(&r.kb_signed_on)?,
            pks_signed_on: date(&r.pks_signed_on)?,
            termination: r
                .termination_reason
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|_| corrupt("termination"))?,
            title: r.title,
            scope: r.scope,
            urusan_code: r.urusan_code,
            value: r.value_rupiah,
            funding: r.funding.as_deref().map(str::parse).transpose().map_err(|_| corrupt("funding"))?,
            funding_form: r.funding_form.as_deref().map(str::parse).transpose().map_err(|_| corrupt("funding form"))?,
            location_codes: r
                .location_codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(RegionCode::parse)
                .collect::<Result<_, _>>()
                .map_err(|_| corrupt("location"))?,
            agency_id: r.agency_id.map(AgencyId::from_uuid),
            burdens_public: r.burdens_public,
            budgeted_in_apbd: r.budgeted_in_apbd,
            feasibility_done: r.feasibility_done,
            dprd_approved: r.dprd_approved,
            updated_at_ms: r.updated_at,
        })
    }
}

const COLUMNS: [Agreements; 25] = [
    Agreements::TenantCode,
    Agreements::Id,
    Agreements::Kind,
    Agreements::Document,
    Agreements::ParentId,
    Agreements::Title,
    Agreements::Scope,
    Agreements::UrusanCode,
    Agreements::Stage,
    Agreements::StartsOn,
    Agreements::EndsOn,
    Agreements::KbSignedOn,
    Agreements::PksSignedOn,
    Agreements::ValueRupiah,
    Agreements::Funding,
    Agreements::FundingForm,
    Agreements::LocationCodes,
    Agreements::AgencyId,
    Agreements::BurdensPublic,
    Agreements::BudgetedInApbd,
    Agreements::FeasibilityDone,
    Agreements::DprdApproved,
    Agreements::TerminationReason,
    Agreements::UpdatedAt,
    Agreements::CreatedAt,
];

fn values(a: &Agreement) -> Vec<sea_query::Expr> {
    vec![
        a.tenant.as_str().into(),
        a.id.as_uuid().into(),
        a.kind.slug().into(),
        a.document.slug().into(),
        a.parent_id.map(|p| p.as_uuid()).into(),
        a.title.clone().into(),
        a.scope.clone().into(),
        a.urusan_code.clone().into(),
        a.stage.slug().into(),
        date_text(a.starts_on).into(),
        date_text(a.ends_on).into(),
        date_text(a.kb_signed_on).into(),
        date_text(a.pks_signed_on).into(),
        a.value.into(),
        a.funding.map(|f| f.slug()).into(),
        a.funding_form.map(|f| f.slug()).into(),
        location_text(&a.location_codes).into(),
        a.agency_id.map(|id| id.as_uuid()).into(),
        a.burdens_public.into(),
        a.budgeted_in_apbd.into(),
        a.feasibility_done.into(),
        a.dprd_approved.into(),
        a.termination.map(|t| t.slug()).into(),
        a.updated_at_ms.into(),
        a.updated_at_ms.into(),
    ]
}

/// A party to an agreement: the Pemda itself, a registered partner, or another Pemda.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Party {
    pub partner_id: Option<PartnerId>,
    /// Another Pemda that uses Sinergi: it sees the agreement.
    pub party_tenant: Option<RegionCode>,
    pub name: String,
    pub signatory_name: Option<String>,
    pub signatory_position: Option<String>,
    /// Each party numbers the document in its own register.
    pub document_number: Option<String>,
    /// The signatory acts for the regional head under a surat kuasa.
    pub signs_by_authority: bool,
}

#[derive(sqlx::FromRow)]
struct PartyRow {
    partner_id: Option<Uuid>,
    party_tenant_code: Option<String>,
    name: String,
    signatory_name: Option<String>,
    signatory_position: Option<String>,
    document_number: Option<String>,
    signs_by_authority: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    pub from: Option<Stage>,
    pub to: Stage,
    pub at_ms: i64,
    pub actor_label: String,
    pub note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TransitionRow {
    from_stage: Option<String>,
    to_stage: String,
    at: i64,
    actor_label: String,
    note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub at_ms: i64,
    pub actor_label: String,
    pub body: String,
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    at: i64,
    actor_label: String,
    body: String,
}

#[derive(Debug, Clone)]
pub struct AgreementDetail {
    pub agreement: Agreement,
    pub parties: Vec<Party>,
    pub transitions: Vec<Transition>,
    /// Only the notes the viewer's own tenant wrote.
    pub notes: Vec<Note>,
    pub need_ids: Vec<NeedId>,
    pub activities: Vec<Activity>,
    pub outcomes: Vec<Outcome>,
    /// Signed scans, letters and evidence files (metadata; the bytes are fetched one by one).
    pub documents: Vec<Document>,
    /// The KB a PKS implements, or the document an addendum amends.
    pub parent: Option<Agreement>,
    /// PKS implementing this KB, and addenda amending it.
    pub children: Vec<Agreement>,
    /// Monitoring and evaluation, newest first.
    pub evaluations: Vec<Evaluation>,
    /// True when the viewer is a party Pemda, not the one that keeps the record.
    pub shared: bool,
}

/// Everything the cooperation dashboard counts, for the agreements the actor sees.
#[derive(Debug, Clone)]
pub struct Portfolio {
    pub agreements: Vec<Agreement>,
    /// Grouped by agreement (sorted by its id, in stored order within it), so that
    /// [`Portfolio::activities_of`] is a binary search: the dashboard, the register export and
    /// the daily job look up every agreement's, and a scan each made them quadratic.
    pub activities: Vec<Activity>,
    /// Grouped by agreement, like `activities`.
    pub outcomes: Vec<Outcome>,
}

/// The run of `items` that belongs to `id`, in a slice grouped by agreement.
fn run_of<T>(items: &[T], id: AgreementId, key: impl Fn(&T) -> AgreementId) -> &[T] {
    let start = items.partition_point(|x| key(x) < id);
    let len = items[start..].partition_point(|x| key(x) == id);
    &items[start..start + len]
}

impl Portfolio {
    fn new(agreements: Vec<Agreement>, mut activities: Vec<Activity>, mut outcomes: Vec<Outcome>) -> Self {
        // Stable sorts: within an agreement, the stored order is kept.
        activities.sort_by_key(|x| x.agreement_id);
        outcomes.sort_by_key(|x| x.agreement_id);
        Self { agreements, activities, outcomes }
    }

    /// The activities recorded under one agreement.
    pub fn activities_of(&self, id: AgreementId) -> &[Activity] {
        run_of(&self.activities, id, |x| x.agreement_id)
    }

    /// The outcomes recorded under one agreement.
    pub fn outcomes_of(&self, id: AgreementId) -> &[Outcome] {
        run_of(&self.outcomes, id, |x| x.agreement_id)
    }

    /// Whether an agreement stopped on paper, by the domain rule. One record walks from KB to
    /// PKS here, so once its PKS is signed it is judged as a PKS. Only activities actually
    /// done count as follow-up; a planned one does not.
    pub fn dormancy(&self, a: &Agreement, rule: DormancyRule, today: Date) -> Option<Dormancy> {
        // A KB walked on to its own PKS is judged as a PKS once that is signed; a PKS record
        // (a child of its KB) only from its own signing.
        let (document, signed_on) = match a.document {
            DocumentKind::Kb if a.pks_signed_on.is_some() => (DocumentKind::Pks, a.pks_signed_on),
            DocumentKind::Kb => (DocumentKind::Kb, a.kb_signed_on),
            DocumentKind::Pks => (DocumentKind::Pks, a.pks_signed_on),
            DocumentKind::Addendum => (DocumentKind::Addendum, None),
        };
        let input = DormancyInput {
            document,
            signed_on,
            // Only a signed PKS follows a KB up; a draft that stalls leaves the KB flagged.
            has_pks_child: self
                .agreements
                .iter()
                .any(|c| c.parent_id == Some(a.id) && c.document == DocumentKind::Pks && c.pks_signed_on.is_some()),
            last_activity_on: self.activities_of(a.id).iter().filter_map(|x| x.done_on).filter(|d| *d <= today).max(),
            last_outcome_on: self.outcomes_of(a.id).iter().map(|o| o.recorded_on).max(),
            terminal: a.stage.is_terminal(),
        };
        stopped_on_paper(&input, rule, today)
    }
}

fn activity_select() -> SelectStatement {
    Query::select()
        .columns([
            Activities::Id,
            Activities::AgreementId,
            Activities::Title,
            Activities::PlannedOn,
            Activities::DoneOn,
            Activities::Budget,
            Activities::AgencyId,
            Activities::Status,
        ])
        .from(Activities::Table)
        .to_owned()
}

fn outcome_select() -> SelectStatement {
    Query::select()
        .columns([
            Outcomes::Id,
            Outcomes::AgreementId,
            Outcomes::Kind,
            Outcomes::Label,
            Outcomes::Unit,
            Outcomes::Value,
            Outcomes::Period,
            Outcomes::Evidence,
            Outcomes::RecordedOn,
            Outcomes::Baseline,
            Outcomes::Target,
        ])
        .from(Outcomes::Table)
        .to_owned()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activity {
    pub id: ActivityId,
    pub agreement_id: AgreementId,
    pub title: String,
    pub planned_on: Option<Date>,
    pub done_on: Option<Date>,
    pub budget: Option<i64>,
    /// The agency that carries it out.
    pub agency_id: Option<AgencyId>,
    pub status: ActivityStatus,
}

#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: Uuid,
    agreement_id: Uuid,
    title: String,
    planned_on: Option<String>,
    done_on: Option<String>,
    budget: Option<i64>,
    agency_id: Option<Uuid>,
    status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub id: OutcomeId,
    pub agreement_id: AgreementId,
    pub kind: OutcomeKind,
    pub label: String,
    pub unit: String,
    pub value: i64,
    pub period: String,
    pub evidence: Option<String>,
    pub recorded_on: Date,
    /// Where the indicator stood before, and where it should get; None when not set.
    pub baseline: Option<i64>,
    pub target: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct OutcomeRow {
    id: Uuid,
    agreement_id: Uuid,
    kind: String,
    label: String,
    unit: String,
    value: i64,
    period: String,
    evidence: Option<String>,
    recorded_on: String,
    baseline: Option<i64>,
    target: Option<i64>,
}

impl TryFrom<ActivityRow> for Activity {
    type Error = StoreError;
    fn try_from(r: ActivityRow) -> Result<Self> {
        let corrupt = |_| StoreError::Corrupt(format!("activity of {}: date", r.agreement_id));
        Ok(Activity {
            id: ActivityId::from_uuid(r.id),
            agreement_id: AgreementId::from_uuid(r.agreement_id),
            planned_on: parse_date("planned_on", r.planned_on.as_deref().unwrap_or("")).map_err(corrupt)?,
            done_on: parse_date("done_on", r.done_on.as_deref().unwrap_or("")).map_err(corrupt)?,
            status: match r.status.as_deref() {
                Some(s) => {
                    s.parse().map_err(|_| StoreError::Corrupt(format!("activity of {}: status", r.agreement_id)))?
                }
                None => ActivityStatus::from_dates(r.done_on.is_some()),
            },
            agency_id: r.agency_id.map(AgencyId::from_uuid),
            title: r.title,
            budget: r.budget,
        })
    }
}

impl TryFrom<OutcomeRow> for Outcome {
    type Error = StoreError;
    fn try_from(r: OutcomeRow) -> Result<Self> {
        let corrupt = |w: &str| StoreError::Corrupt(format!("outcome of {}: {w}", r.agreement_id));
        Ok(Outcome {
            id: OutcomeId::from_uuid(r.id),
            agreement_id: AgreementId::from_uuid(r.agreement_id),
            kind: r.kind.parse().map_err(|_| corrupt("kind"))?,
            recorded_on: parse_date("recorded_on", &r.recorded_on).ok().flatten().ok_or_else(|| corrupt("date"))?,
            label: r.label,
            unit: r.unit,
            value: r.value,
            period: r.period,
            evidence: r.evidence,
            baseline: r.baseline,
            target: r.target,
        })
    }
}

/// A new agreement, drafted directly (not from a match).
#[derive(Debug, Clone)]
pub struct NewAgreement {
    pub kind: AgreementKind,
    pub title: String,
    pub scope: String,
    pub urusan_code: String,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub value: Option<i64>,
    pub funding: Option<FundingSource>,
    pub funding_form: Option<FundingForm>,
    pub location_codes: Vec<RegionCode>,
    pub agency_id: Option<AgencyId>,
    /// The other parties; the Pemda itself is added first.
    pub parties: Vec<Party>,
    pub need_ids: Vec<NeedId>,
}

/// What moving an agreement to another stage brings with it.
#[derive(Debug, Clone, Default)]
pub struct StageMove {
    pub note: Option<String>,
    pub termination: Option<TerminationReason>,
    pub kb_signed_on: Option<Date>,
    pub pks_signed_on: Option<Date>,
    pub feasibility_done: bool,
    pub dprd_approved: bool,
}

#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    pub stage: Option<Stage>,
}

fn check_manage(actor: &Actor) -> Result<()> {
    if actor.can(Permission::ManageAgreements) { Ok(()) } else { Err(StoreError::Forbidden) }
}

/// Agreements the actor's tenant keeps, or is a party to.
fn visible(actor: &Actor) -> Result<Condition> {
    Ok(match target_tenant(actor, None)? {
        None => Condition::all(),
        Some(t) => Condition::any().add(Expr::col((Agreements::Table, Agreements::TenantCode)).eq(t.as_str())).add(
            Expr::col((Agreements::Table, Agreements::Id)).in_subquery(
                Query::select()
                    .column(AgreementParties::AgreementId)
                    .from(AgreementParties::Table)
                    .and_where(Expr::col(AgreementParties::PartyTenantCode).eq(t.as_str()))
                    .to_owned(),
            ),
        ),
    })
}

fn select() -> SelectStatement {
    Query::select().columns(COLUMNS.map(|c| (Agreements::Table, c))).from(Agreements::Table).to_owned()
}

async fn load(tx: &mut Tx, tenant: &RegionCode, id: AgreementId) -> Result<Agreement> {
    let row: AgreementRow = tx
        .fetch_optional(
            select()
                .and_where(Expr::col((Agreements::Table, Agreements::TenantCode)).eq(tenant.as_str()))
                .and_where(Expr::col((Agreements::Table, Agreements::Id)).eq(id.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    row.try_into()
}

async fn insert(tx: &mut Tx, actor: &Actor, a: &Agreement, parties: &[Party], needs: &[NeedId]) -> Result<()> {
    tx.execute(&Query::insert().into_table(Agreements::Table).columns(COLUMNS).values_panic(values(a)).to_owned())
        .await?;
    for (seq, p) in parties.iter().enumerate() {
        tx.execute(
            &Query::insert()
                .into_table(AgreementParties::Table)
                .columns([
                    AgreementParties::TenantCode,
                    AgreementParties::AgreementId,
                    AgreementParties::Seq,
                    AgreementParties::PartnerId,
                    AgreementParties::PartyTenantCode,
                    AgreementParties::Name,
                    AgreementParties::SignatoryName,
                    AgreementParties::SignatoryPosition,
                    AgreementParties::DocumentNumber,
                    AgreementParties::SignsByAuthority,
                ])
                .values_panic([
                    a.tenant.as_str().into(),
                    a.id.as_uuid().into(),
                    (seq as i32).into(),
                    p.partner_id.map(|id| id.as_uuid()).into(),
                    p.party_tenant.as_ref().map(|t| t.to_string()).into(),
                    p.name.clone().into(),
                    p.signatory_name.clone().into(),
                    p.signatory_position.clone().into(),
                    p.document_number.clone().into(),
                    p.signs_by_authority.into(),
                ])
                .to_owned(),
        )
        .await?;
    }
    for n in needs {
        tx.execute(
            &Query::insert()
                .into_table(AgreementNeeds::Table)
                .columns([AgreementNeeds::TenantCode, AgreementNeeds::AgreementId, AgreementNeeds::NeedId])
                .values_panic([a.tenant.as_str().into(), a.id.as_uuid().into(), n.as_uuid().into()])
                .to_owned(),
        )
        .await?;
    }
    write_transition(tx, actor, a, None, a.stage, None).await?;
    audit(tx, actor, &a.tenant, a.id, "create", None, snapshot(a)).await
}

/// An agreement's parties in signing order: the keeping Pemda first.
async fn parties_of(tx: &mut Tx, tenant: &RegionCode, id: AgreementId) -> Result<Vec<Party>> {
    let rows: Vec<PartyRow> = tx
        .fetch_all(
            Query::select()
                .columns([
                    AgreementParties::PartnerId,
                    AgreementParties::PartyTenantCode,
                    AgreementParties::Name,
                    AgreementParties::SignatoryName,
                    AgreementParties::SignatoryPosition,
                    AgreementParties::DocumentNumber,
                    AgreementParties::SignsByAuthority,
                ])
                .from(AgreementParties::Table)
                .and_where(Expr::col(AgreementParties::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(AgreementParties::AgreementId).eq(id.as_uuid()))
                .order_by(AgreementParties::Seq, Order::Asc),
        )
        .await?;
    rows.into_iter()
        .map(|p| {
            Ok(Party {
                partner_id: p.partner_id.map(PartnerId::from_uuid),
                party_tenant: p
                    .party_tenant_code
                    .as_deref()
                    .map(RegionCode::parse)
                    .transpose()
                    .map_err(|_| StoreError::Corrupt(format!("agreement {id}: party")))?,
                name: p.name,
                signatory_name: p.signatory_name,
                signatory_position: p.signatory_position,
                document_number: p.document_number,
                signs_by_authority: p.signs_by_authority,
            })
        })
        .collect()
}

/// Audit one change to an agreement, in the caller's transaction.
async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    id: AgreementId,
    action: &'static str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    record(
        tx,
        actor,
        Change {
            tenant: Some(tenant),
            action,
            record_type: RecordType::Agreement,
            record_id: id.to_string(),
            before,
            after,
        },
    )
    .await
}

async fn write_transition(
    tx: &mut Tx,
    actor: &Actor,
    a: &Agreement,
    from: Option<Stage>,
    to: Stage,
    note: Option<&str>,
) -> Result<()> {
    tx.execute(
        &Query::insert()
            .into_table(AgreementTransitions::Table)
            .columns([
                AgreementTransitions::TenantCode,
                AgreementTransitions::Id,
                AgreementTransitions::AgreementId,
                AgreementTransitions::FromStage,
                AgreementTransitions::ToStage,
                AgreementTransitions::At,
                AgreementTransitions::ActorLabel,
                AgreementTransitions::Note,
            ])
            .values_panic([
                a.tenant.as_str().into(),
                Uuid::now_v7().into(),
                a.id.as_uuid().into(),
                from.map(|s| s.slug()).into(),
                to.slug().into(),
                now_ms().into(),
                actor.label.clone().into(),
                note.map(str::to_owned).into(),
            ])
            .to_owned(),
    )
    .await?;
    Ok(())
}

impl Store {
    pub async fn agreements(&self, actor: &Actor, filter: &AgreementFilter) -> Result<Vec<Agreement>> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let mut stmt = select().cond_where(visible(actor)?).to_owned();
        if let Some(s) = filter.stage {
            stmt.and_where(Expr::col((Agreements::Table, Agreements::Stage)).eq(s.slug()));
        }
        stmt.order_by((Agreements::Table, Agreements::UpdatedAt), Order::Desc);
        let rows: Vec<AgreementRow> = self.fetch_all(&stmt).await?;
        rows.into_iter().map(Agreement::try_from).collect()
    }

    /// The keeping tenant, when the actor may write to the agreement: only the keeper's
    /// Bagian Kerja Sama changes the record; a party Pemda follows it (and keeps its own notes).
    pub(crate) async fn keeper_tenant(&self, actor: &Actor, id: AgreementId) -> Result<RegionCode> {
        check_manage(actor)?;
        let owner = self.agreement_owner(actor, id).await?;
        if actor.scope.tenant().is_some_and(|t| *t != owner) {
            return Err(StoreError::Forbidden);
        }
        Ok(owner)
    }

    /// The name of a tenant, for the first party of its agreements.
    async fn tenant_name(&self, tenant: &RegionCode) -> Result<Option<String>> {
        #[derive(sqlx::FromRow)]
        struct Name {
            name: String,
        }
        let row: Option<Name> = self
            .fetch_optional(
                Query::select()
                    .column(Tenants::Name)
                    .from(Tenants::Table)
                    .and_where(Expr::col(Tenants::Code).eq(tenant.as_str())),
            )
            .await?;
        Ok(row.map(|r| r.name))
    }

    /// The tenant that keeps an agreement the actor may see.
    pub(crate) async fn agreement_owner(&self, actor: &Actor, id: AgreementId) -> Result<RegionCode> {
        let stmt = select()
            .cond_where(visible(actor)?)
            .and_where(Expr::col((Agreements::Table, Agreements::Id)).eq(id.as_uuid()))
            .to_owned();
        let row: AgreementRow = self.fetch_one(&stmt).await?;
        RegionCode::parse(&row.tenant_code).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    pub async fn agreement(&self, actor: &Actor, id: AgreementId) -> Result<AgreementDetail> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let owner = self.agreement_owner(actor, id).await?;
        let mut tx = self.begin_read().await?;
        let agreement = load(&mut tx, &owner, id).await?;
        let parties = parties_of(&mut tx, &owner, id).await?;
        let transitions: Vec<TransitionRow> = tx
            .fetch_all(
                Query::select()
                    .columns([
                        AgreementTransitions::FromStage,
                        AgreementTransitions::ToStage,
                        AgreementTransitions::At,
                        AgreementTransitions::ActorLabel,
                        AgreementTransitions::Note,
                    ])
                    .from(AgreementTransitions::Table)
                    .and_where(Expr::col(AgreementTransitions::TenantCode).eq(owner.as_str()))
                    .and_where(Expr::col(AgreementTransitions::AgreementId).eq(id.as_uuid()))
                    .order_by(AgreementTransitions::At, Order::Asc)
                    .order_by(AgreementTransitions::Id, Order::Asc),
            )
            .await?;
        // Each side reads only its own notes: the viewer's tenant (the platform reads the keeper's).
        let note_tenant = actor.scope.tenant().cloned().unwrap_or_else(|| owner.clone());
        let notes: Vec<NoteRow> = tx
            .fetch_all(
                Query::select()
                    .columns([AgreementNotes::At, AgreementNotes::ActorLabel, AgreementNotes::Body])
                    .from(AgreementNotes::Table)
                    .and_where(Expr::col(AgreementNotes::TenantCode).eq(note_tenant.as_str()))
                    .and_where(Expr::col(AgreementNotes::AgreementId).eq(id.as_uuid()))
                    .order_by(AgreementNotes::At, Order::Asc),
            )
            .await?;
        #[derive(sqlx::FromRow)]
        struct NeedLink {
            need_id: Uuid,
        }
        let needs: Vec<NeedLink> = tx
            .fetch_all(
                Query::select()
                    .column(AgreementNeeds::NeedId)
                    .from(AgreementNeeds::Table)
                    .and_where(Expr::col(AgreementNeeds::TenantCode).eq(owner.as_str()))
                    .and_where(Expr::col(AgreementNeeds::AgreementId).eq(id.as_uuid())),
            )
            .await?;
        let activities: Vec<ActivityRow> = tx
            .fetch_all(
                activity_select()
                    .and_where(Expr::col(Activities::TenantCode).eq(owner.as_str()))
                    .and_where(Expr::col(Activities::AgreementId).eq(id.as_uuid()))
                    .order_by(Activities::CreatedAt, Order::Asc),
            )
            .await?;
        let outcomes: Vec<OutcomeRow> = tx
            .fetch_all(
                outcome_select()
                    .and_where(Expr::col(Outcomes::TenantCode).eq(owner.as_str()))
                    .and_where(Expr::col(Outcomes::AgreementId).eq(id.as_uuid()))
                    .order_by(Outcomes::CreatedAt, Order::Asc),
            )
            .await?;
        let documents = documents_of(&mut tx, &owner, id).await?;
        let evaluations = evaluations_of(&mut tx, &owner, id).await?;
        let parent = match agreement.parent_id {
            Some(p) => Some(load(&mut tx, &owner, p).await?),
            None => None,
        };
        let children: Vec<AgreementRow> = tx
            .fetch_all(
                select()
                    .and_where(Expr::col((Agreements::Table, Agreements::TenantCode)).eq(owner.as_str()))
                    .and_where(Expr::col((Agreements::Table, Agreements::ParentId)).eq(id.as_uuid()))
                    .order_by((Agreements::Table, Agreements::CreatedAt), Order::Asc),
            )
            .await?;
        tx.commit().await?;
        let corrupt = |w: &str| StoreError::Corrupt(format!("agreement {id}: {w}"));
        Ok(AgreementDetail {
            shared: matches!(&actor.scope, Scope::Tenant(t) if *t != owner),
            agreement,
            parties,
            transitions: transitions
                .into_iter()
                .map(|t| {
                    Ok(Transition {
                        from: t.from_stage.as_deref().map(str::parse).transpose().map_err(|_| corrupt("stage"))?,
                        to: t.to_stage.parse().map_err(|_| corrupt("stage"))?,
                        at_ms: t.at,
                        actor_label: t.actor_label,
                        note: t.note,
                    })
                })
                .collect::<Result<_>>()?,
            notes: notes.into_iter().map(|n| Note { at_ms: n.at, actor_label: n.actor_label, body: n.body }).collect(),
            need_ids: needs.into_iter().map(|n| NeedId::from_uuid(n.need_id)).collect(),
            activities: activities.into_iter().map(Activity::try_from).collect::<Result<_>>()?,
            outcomes: outcomes.into_iter().map(Outcome::try_from).collect::<Result<_>>()?,
            documents,
            parent,
            children: children.into_iter().map(Agreement::try_from).collect::<Result<_>>()?,
            evaluations,
        })
    }

    /// The agreements the actor's tenant keeps, with their activities and outcomes, for the
    /// dashboard. (Agreements it is only a party to count on the keeper's dashboard.)
    pub async fn portfolio(&self, actor: &Actor) -> Result<Portfolio> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let tenant = target_tenant(actor, None)?;
        let mut agreements = select();
        let mut activities = activity_select();
        let mut outcomes = outcome_select();
        if let Some(t) = &tenant {
            agreements.and_where(Expr::col((Agreements::Table, Agreements::TenantCode)).eq(t.as_str()));
            activities.and_where(Expr::col(Activities::TenantCode).eq(t.as_str()));
            outcomes.and_where(Expr::col(Outcomes::TenantCode).eq(t.as_str()));
        }
        let mut tx = self.begin_read().await?;
        let a: Vec<AgreementRow> = tx.fetch_all(&agreements).await?;
        let ac: Vec<ActivityRow> = tx.fetch_all(&activities).await?;
        let oc: Vec<OutcomeRow> = tx.fetch_all(&outcomes).await?;
        tx.commit().await?;
        Ok(Portfolio::new(
            a.into_iter().map(Agreement::try_from).collect::<Result<_>>()?,
            ac.into_iter().map(Activity::try_from).collect::<Result<_>>()?,
            oc.into_iter().map(Outcome::try_from).collect::<Result<_>>()?,
        ))
    }

    /// Record an activity under an agreement (the keeper only), with its evidence file if any,
    /// in one transaction.
    pub async fn add_activity(
        &self,
        actor: &Actor,
        id: AgreementId,
        activity: Activity,
        evidence: Option<CheckedFile>,
    ) -> Result<()> {
        let owner = self.keeper_tenant(actor, id).await?;
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(Activities::Table)
                .columns([
                    Activities::TenantCode,
                    Activities::Id,
                    Activities::AgreementId,
                    Activities::Title,
                    Activities::PlannedOn,
                    Activities::DoneOn,
                    Activities::Budget,
                    Activities::CreatedAt,
                    Activities::AgencyId,
                    Activities::Status,
                ])
                .values_panic([
                    owner.as_str().into(),
                    activity.id.as_uuid().into(),
                    id.as_uuid().into(),
                    activity.title.clone().into(),
                    date_text(activity.planned_on).into(),
                    date_text(activity.done_on).into(),
                    activity.budget.into(),
                    now_ms().into(),
                    activity.agency_id.map(|id| id.as_uuid()).into(),
                    activity.status.slug().into(),
                ])
                .to_owned(),
        )
        .await?;
        audit(&mut tx, actor, &owner, id, "add_activity", None, snapshot(&activity)).await?;
        if let Some(file) = evidence {
            let doc = NewDocument::evidence(activity.title.clone(), file, Some(activity.id), None);
            insert_document(&mut tx, actor, &owner, id, &doc).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Record a measured outcome, with its evidence (the keeper only): a description and, if
    /// given, a file, in one transaction.
    pub async fn add_outcome(
        &self,
        actor: &Actor,
        id: AgreementId,
        outcome: Outcome,
        evidence: Option<CheckedFile>,
    ) -> Result<()> {
        let owner = self.keeper_tenant(actor, id).await?;
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(Outcomes::Table)
                .columns([
                    Outcomes::TenantCode,
                    Outcomes::Id,
                    Outcomes::AgreementId,
                    Outcomes::Kind,
                    Outcomes::Label,
                    Outcomes::Unit,
                    Outcomes::Value,
                    Outcomes::Period,
                    Outcomes::Evidence,
                    Outcomes::RecordedOn,
                    Outcomes::CreatedAt,
                    Outcomes::Baseline,
                    Outcomes::Target,
                ])
                .values_panic([
                    owner.as_str().into(),
                    outcome.id.as_uuid().into(),
                    id.as_uuid().into(),
                    outcome.kind.slug().into(),
                    outcome.label.clone().into(),
                    outcome.unit.clone().into(),
                    outcome.value.into(),
                    outcome.period.clone().into(),
                    outcome.evidence.clone().into(),
                    outcome.recorded_on.to_string().into(),
                    now_ms().into(),
                    outcome.baseline.into(),
                    outcome.target.into(),
                ])
                .to_owned(),
        )
        .await?;
        audit(&mut tx, actor, &owner, id, "add_outcome", None, snapshot(&outcome)).await?;
        if let Some(file) = evidence {
            let doc = NewDocument::evidence(outcome.label.clone(), file, None, Some(outcome.id));
            insert_document(&mut tx, actor, &owner, id, &doc).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Draft a KB in persiapan.
    pub async fn create_agreement(&self, actor: &Actor, tenant: &RegionCode, new: NewAgreement) -> Result<Agreement> {
        check_manage(actor)?;
        let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
        let own_name = self.tenant_name(&tenant).await?.ok_or(StoreError::NotFound)?;
        let agreement = Agreement {
            tenant: tenant.clone(),
            id: AgreementId::new(),
            kind: new.kind,
            document: DocumentKind::Kb,
            parent_id: None,
            title: required_text("title", &new.title, 300)?,
            scope: new.scope,
            urusan_code: new.urusan_code,
            stage: Stage::Persiapan,
            starts_on: new.starts_on,
            ends_on: new.ends_on,
            kb_signed_on: None,
            pks_signed_on: None,
            value: new.value,
            funding: new.funding,
            funding_form: new.funding_form,
            location_codes: new.location_codes,
            agency_id: new.agency_id,
            burdens_public: false,
            budgeted_in_apbd: true,
            feasibility_done: false,
            dprd_approved: false,
            termination: None,
            updated_at_ms: now_ms(),
        };
        let mut parties = vec![Party {
            partner_id: None,
            party_tenant: None,
            name: own_name,
            signatory_name: None,
            signatory_position: None,
            document_number: None,
            signs_by_authority: false,
        }];
        parties.extend(new.parties);
        let mut tx = self.begin().await?;
        insert(&mut tx, actor, &agreement, &parties, &new.need_ids).await?;
        tx.commit().await?;
        Ok(agreement)
    }

    /// One step from a match to a draft: a KB in persiapan between the Pemda and the partner,
    /// linked to the need, which becomes "matched" if it was submitted.
    pub async fn draft_agreement_from_match(
        &self,
        actor: &Actor,
        need_id: NeedId,
        partner_id: PartnerId,
    ) -> Result<Agreement> {
        check_manage(actor)?;
        let need = self.need(actor, need_id).await?;
        let partner = self.partner(actor, partner_id).await?.partner;
        let tenant = need.tenant.clone();
        let own_name = self.tenant_name(&tenant).await?.ok_or(StoreError::NotFound)?;
        // Another Pemda that is itself a tenant sees the agreement from its side.
        let party_tenant = match (&partner.kind, &partner.region_code) {
            (PartnerKind::Region, Some(code)) => self.tenant_name(code).await?.map(|_| code.clone()),
            _ => None,
        };
        let now = now_ms();
        let agreement = Agreement {
            tenant: tenant.clone(),
            id: AgreementId::new(),
            kind: AgreementKind::for_partner(partner.kind),
            document: DocumentKind::Kb,
            parent_id: None,
            title: need.title.clone(),
            scope: need.problem.clone(),
            urusan_code: need.urusan_code.clone(),
            stage: Stage::Persiapan,
            starts_on: None,
            ends_on: None,
            kb_signed_on: None,
            pks_signed_on: None,
            value: None,
            funding: None,
            funding_form: None,
            location_codes: Vec::new(),
            // The agency whose need it serves carries it out.
            agency_id: Some(need.agency_id),
            burdens_public: false,
            budgeted_in_apbd: true,
            feasibility_done: false,
            dprd_approved: false,
            termination: None,
            updated_at_ms: now,
        };
        let parties = vec![
            Party {
                partner_id: None,
                party_tenant: None,
                name: own_name,
                signatory_name: None,
                signatory_position: None,
                document_number: None,
                signs_by_authority: false,
            },
            Party {
                partner_id: Some(partner.id),
                party_tenant,
                name: partner.name.clone(),
                signatory_name: None,
                signatory_position: None,
                document_number: None,
                signs_by_authority: false,
            },
        ];
        let mut tx = self.begin().await?;
        insert(&mut tx, actor, &agreement, &parties, &[need_id]).await?;
        if need.status == NeedStatus::Submitted {
            tx.execute(
                &Query::update()
                    .table(Needs::Table)
                    .value(Needs::Status, NeedStatus::Matched.slug())
                    .and_where(Expr::col(Needs::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(Needs::Id).eq(need_id.as_uuid()))
                    .to_owned(),
            )
            .await?;
            record(
                &mut tx,
                actor,
                Change {
                    tenant: Some(&tenant),
                    action: "status",
                    record_type: RecordType::Need,
                    record_id: need_id.to_string(),
                    before: Some(serde_json::json!({ "status": need.status, "title": need.title })),
                    after: Some(serde_json::json!({ "status": NeedStatus::Matched, "title": need.title })),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(agreement)
    }

    /// Move to another stage, recording the facts that come with it (signing dates, the
    /// feasibility study, the DPRD's approval). Illegal moves are refused with the reason.
    pub async fn move_agreement(
        &self,
        actor: &Actor,
        id: AgreementId,
        to: Stage,
        step: StageMove,
    ) -> Result<Agreement> {
        let owner = self.keeper_tenant(actor, id).await?;
        let mut tx = self.begin().await?;
        let before = load(&mut tx, &owner, id).await?;
        let mut after = before.clone();
        after.kb_signed_on = step.kb_signed_on.or(before.kb_signed_on);
        after.pks_signed_on = step.pks_signed_on.or(before.pks_signed_on);
        after.feasibility_done = before.feasibility_done || step.feasibility_done;
        after.dprd_approved = before.dprd_approved || step.dprd_approved;
        check_transition(before.stage, to, &after.facts(), step.termination)
            .map_err(|e| StoreError::Invalid(e.into()))?;
        after.stage = to;
        after.termination = step.termination.or(before.termination);
        after.updated_at_ms = now_ms();
        tx.execute(
            &Query::update()
                .table(Agreements::Table)
                .values([
                    (Agreements::Stage, after.stage.slug().into()),
                    (Agreements::KbSignedOn, date_text(after.kb_signed_on).into()),
                    (Agreements::PksSignedOn, date_text(after.pks_signed_on).into()),
                    (Agreements::FeasibilityDone, after.feasibility_done.into()),
                    (Agreements::DprdApproved, after.dprd_approved.into()),
                    (Agreements::TerminationReason, after.termination.map(|t| t.slug()).into()),
                    (Agreements::UpdatedAt, after.updated_at_ms.into()),
                ])
                .and_where(Expr::col(Agreements::TenantCode).eq(owner.as_str()))
                .and_where(Expr::col(Agreements::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        let note = step.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        write_transition(&mut tx, actor, &after, Some(before.stage), to, note).await?;
        audit(&mut tx, actor, &owner, id, "stage", snapshot(&before), snapshot(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// An internal note, seen only by the writer's own Pemda.
    pub async fn add_agreement_note(&self, actor: &Actor, id: AgreementId, body: &str) -> Result<()> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let body = required_text("body", body, 4000)?;
        self.agreement_owner(actor, id).await?;
        let tenant = actor.scope.tenant().cloned().ok_or(StoreError::Forbidden)?;
        let mut tx = self.begin().await?;
        tx.execute(
            &Query::insert()
                .into_table(AgreementNotes::Table)
                .columns([
                    AgreementNotes::TenantCode,
                    AgreementNotes::Id,
                    AgreementNotes::AgreementId,
                    AgreementNotes::At,
                    AgreementNotes::ActorLabel,
                    AgreementNotes::Body,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    Uuid::now_v7().into(),
                    id.as_uuid().into(),
                    now_ms().into(),
                    actor.label.clone().into(),
                    body.clone().into(),
                ])
                .to_owned(),
        )
        .await?;
        audit(&mut tx, actor, &tenant, id, "note", None, Some(serde_json::json!({ "note": body }))).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The facts of an agreement an officer records after drafting: what it is about, where, for
/// how long, and who pays. The stage and the signing facts move only through `move_agreement`.
#[derive(Debug, Clone)]
pub struct AgreementDetails {
    pub title: String,
    pub scope: String,
    pub urusan_code: String,
    pub location_codes: Vec<RegionCode>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub value: Option<i64>,
    pub funding: Option<FundingSource>,
    pub funding_form: Option<FundingForm>,
    pub agency_id: Option<AgencyId>,
    /// Inputs to the DPRD rule for a KSDD.
    pub burdens_public: bool,
    pub budgeted_in_apbd: bool,
}

/// One party's signing details, by its position in the list of parties.
#[derive(Debug, Clone, PartialEq)]
pub struct PartySigning {
    pub seq: usize,
    pub signatory_name: Option<String>,
    pub signatory_position: Option<String>,
    pub document_number: Option<String>,
    pub signs_by_authority: bool,
}

/// A monitoring and evaluation to record.
#[derive(Debug, Clone)]
pub struct NewEvaluation {
    pub period: String,
    pub evaluated_on: Date,
    pub scores: Scores,
    pub recommendation: Recommendation,
    pub notes: String,
}

/// A monitoring and evaluation (monev) of an agreement for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub agreement_id: AgreementId,
    pub period: String,
    pub evaluated_on: Date,
    pub scores: Scores,
    pub recommendation: Recommendation,
    pub notes: String,
    pub created_by: String,
}

#[derive(sqlx::FromRow)]
struct EvaluationRow {
    agreement_id: Uuid,
    period: String,
    evaluated_on: String,
    aim: i16,
    timeliness: i16,
    contribution: i16,
    indicator: i16,
    impact: i16,
    relevance: i16,
    recommendation: String,
    notes: String,
    created_by: String,
}

impl TryFrom<EvaluationRow> for Evaluation {
    type Error = StoreError;
    fn try_from(r: EvaluationRow) -> Result<Self> {
        let corrupt = |w: &str| StoreError::Corrupt(format!("evaluation of {}: {w}", r.agreement_id));
        let marks = [r.aim, r.timeliness, r.contribution, r.indicator, r.impact, r.relevance].map(|m| m.to_string());
        Ok(Evaluation {
            agreement_id: AgreementId::from_uuid(r.agreement_id),
            evaluated_on: parse_date("evaluated_on", &r.evaluated_on).ok().flatten().ok_or_else(|| corrupt("date"))?,
            scores: Scores::parse(marks.each_ref().map(String::as_str)).map_err(|_| corrupt("scores"))?,
            recommendation: r.recommendation.parse().map_err(|_| corrupt("recommendation"))?,
            period: r.period,
            notes: r.notes,
            created_by: r.created_by,
        })
    }
}

/// A signing detail as stored: trimmed, and absent rather than blank.
fn optional_text(field: &'static str, s: Option<&str>, max: usize) -> Result<Option<String>> {
    match s.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => Ok(Some(required_text(field, t, max)?)),
    }
}

pub(crate) async fn evaluations_of(tx: &mut Tx, tenant: &RegionCode, id: AgreementId) -> Result<Vec<Evaluation>> {
    let rows: Vec<EvaluationRow> = tx
        .fetch_all(
            Query::select()
                .columns([
                    Evaluations::AgreementId,
                    Evaluations::Period,
                    Evaluations::EvaluatedOn,
                    Evaluations::Aim,
                    Evaluations::Timeliness,
                    Evaluations::Contribution,
                    Evaluations::Indicator,
                    Evaluations::Impact,
                    Evaluations::Relevance,
                    Evaluations::Recommendation,
                    Evaluations::Notes,
                    Evaluations::CreatedBy,
                ])
                .from(Evaluations::Table)
                .and_where(Expr::col(Evaluations::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Evaluations::AgreementId).eq(id.as_uuid()))
                .order_by(Evaluations::EvaluatedOn, Order::Desc)
                .order_by(Evaluations::CreatedAt, Order::Desc),
        )
        .await?;
    rows.into_iter().map(Evaluation::try_from).collect()
}

impl Store {
    /// Record what the agreement is about, where, when and who pays, and who signs for each
    /// party (the keeper only), in one transaction. Parties not named keep what they had.
    pub async fn update_agreement(
        &self,
        actor: &Actor,
        id: AgreementId,
        details: AgreementDetails,
        signing: Vec<PartySigning>,
    ) -> Result<Agreement> {
        let owner = self.keeper_tenant(actor, id).await?;
        let title = required_text("title", &details.title, 300)?;
        if let (Some(s), Some(e)) = (details.starts_on, details.ends_on)
            && e < s
        {
            return Err(StoreError::Invalid(FieldError::new("ends_on", "ends-before-start")));
        }
        if details.value.is_some_and(|v| v < 0) {
            return Err(StoreError::Invalid(FieldError::new("value", "negative-amount")));
        }
        let mut tx = self.begin().await?;
        let parties = parties_of(&mut tx, &owner, id).await?;
        let mut changed_parties = Vec::new();
        for s in &signing {
            let before = parties.get(s.seq).ok_or(StoreError::NotFound)?;
            let after = Party {
                signatory_name: optional_text("signatory_name", s.signatory_name.as_deref(), 200)?,
                signatory_position: optional_text("signatory_position", s.signatory_position.as_deref(), 200)?,
                document_number: optional_text("document_number", s.document_number.as_deref(), 120)?,
                signs_by_authority: s.signs_by_authority,
                ..before.clone()
            };
            if after != *before {
                changed_parties.push((s.seq, before.clone(), after));
            }
        }
        let before = load(&mut tx, &owner, id).await?;
        let after = Agreement {
            title,
            scope: details.scope.trim().to_owned(),
            urusan_code: details.urusan_code,
            location_codes: details.location_codes,
            starts_on: details.starts_on,
            ends_on: details.ends_on,
            value: details.value,
            funding: details.funding,
            funding_form: details.funding_form,
            agency_id: details.agency_id,
            burdens_public: details.burdens_public,
            budgeted_in_apbd: details.budgeted_in_apbd,
            updated_at_ms: now_ms(),
            ..before.clone()
        };
        tx.execute(
            &Query::update()
                .table(Agreements::Table)
                .values([
                    (Agreements::Title, after.title.clone().into()),
                    (Agreements::Scope, after.scope.clone().into()),
                    (Agreements::UrusanCode, after.urusan_code.clone().into()),
                    (Agreements::LocationCodes, location_text(&after.location_codes).into()),
                    (Agreements::StartsOn, date_text(after.starts_on).into()),
                    (Agreements::EndsOn, date_text(after.ends_on).into()),
                    (Agreements::ValueRupiah, after.value.into()),
                    (Agreements::Funding, after.funding.map(|f| f.slug()).into()),
                    (Agreements::FundingForm, after.funding_form.map(|f| f.slug()).into()),
                    (Agreements::AgencyId, after.agency_id.map(|id| id.as_uuid()).into()),
                    (Agreements::BurdensPublic, after.burdens_public.into()),
                    (Agreements::BudgetedInApbd, after.budgeted_in_apbd.into()),
                    (Agreements::UpdatedAt, after.updated_at_ms.into()),
                ])
                .and_where(Expr::col(Agreements::TenantCode).eq(owner.as_str()))
                .and_where(Expr::col(Agreements::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        audit(&mut tx, actor, &owner, id, "update", snapshot(&before), snapshot(&after)).await?;
        for (seq, before, after) in changed_parties {
            tx.execute(
                &Query::update()
                    .table(AgreementParties::Table)
                    .values([
                        (AgreementParties::SignatoryName, after.signatory_name.clone().into()),
                        (AgreementParties::SignatoryPosition, after.signatory_position.clone().into()),
                        (AgreementParties::DocumentNumber, after.document_number.clone().into()),
                        (AgreementParties::SignsByAuthority, after.signs_by_authority.into()),
                    ])
                    .and_where(Expr::col(AgreementParties::TenantCode).eq(owner.as_str()))
                    .and_where(Expr::col(AgreementParties::AgreementId).eq(id.as_uuid()))
                    .and_where(Expr::col(AgreementParties::Seq).eq(seq as i32))
                    .to_owned(),
            )
            .await?;
            audit(&mut tx, actor, &owner, id, "party", snapshot(&before), snapshot(&after)).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Record a monitoring and evaluation for a period (the keeper only).
    pub async fn add_evaluation(&self, actor: &Actor, id: AgreementId, new: NewEvaluation) -> Result<Evaluation> {
        let owner = self.keeper_tenant(actor, id).await?;
        let NewEvaluation { period, evaluated_on, scores, recommendation, notes } = new;
        let evaluation = Evaluation {
            agreement_id: id,
            period: required_text("period", &period, 40)?,
            evaluated_on,
            scores,
            recommendation,
            notes: notes.trim().chars().take(4000).collect(),
            created_by: actor.label.clone(),
        };
        let mut tx = self.begin().await?;
        let [aim, timeliness, contribution, indicator, impact, relevance] = scores.as_array().map(i16::from);
        tx.execute(
            &Query::insert()
                .into_table(Evaluations::Table)
                .columns([
                    Evaluations::TenantCode,
                    Evaluations::Id,
                    Evaluations::AgreementId,
                    Evaluations::Period,
                    Evaluations::EvaluatedOn,
                    Evaluations::Aim,
                    Evaluations::Timeliness,
                    Evaluations::Contribution,
                    Evaluations::Indicator,
                    Evaluations::Impact,
                    Evaluations::Relevance,
                    Evaluations::Recommendation,
                    Evaluations::Notes,
                    Evaluations::CreatedAt,
                    Evaluations::CreatedBy,
                ])
                .values_panic([
                    owner.as_str().into(),
                    Uuid::now_v7().into(),
                    id.as_uuid().into(),
                    evaluation.period.clone().into(),
                    evaluated_on.to_string().into(),
                    aim.into(),
                    timeliness.into(),
                    contribution.into(),
                    indicator.into(),
                    impact.into(),
                    relevance.into(),
                    recommendation.slug().into(),
                    evaluation.notes.clone().into(),
                    now_ms().into(),
                    actor.label.clone().into(),
                ])
                .to_owned(),
        )
        .await?;
        audit(&mut tx, actor, &owner, id, "evaluation", None, snapshot(&evaluation)).await?;
        tx.commit().await?;
        Ok(evaluation)
    }
}

impl Store {
    /// Draft a PKS implementing a signed KB, or an addendum amending a signed KB or PKS (the
    /// keeper only). The child takes the parent's parties, needs, kind, urusan and the facts
    /// the stages rest on (the KB's signing, the DPRD's approval, the feasibility study), and
    /// starts at its own drafting stage.
    pub async fn draft_child(
        &self,
        actor: &Actor,
        parent_id: AgreementId,
        document: DocumentKind,
    ) -> Result<Agreement> {
        self.keeper_tenant(actor, parent_id).await?;
        let detail = self.agreement(actor, parent_id).await?;
        let parent = detail.agreement;
        document.check_parent(Some(parent.document))?;
        if parent.stage.is_terminal() {
            return Err(StoreError::Invalid(FieldError::new("parent_id", "parent-ended")));
        }
        // What is implemented or amended must exist as a signed document first.
        let parent_signed = match parent.document {
            DocumentKind::Kb => parent.kb_signed_on.is_some(),
            DocumentKind::Pks | DocumentKind::Addendum => parent.pks_signed_on.is_some(),
        };
        if !parent_signed {
            return Err(StoreError::Invalid(FieldError::new("parent_id", "parent-not-signed")));
        }
        let (stage, kb_signed_on) = match (document, parent.document) {
            // An addendum to a KB is itself signed as a KB is; its own date is recorded then.
            (DocumentKind::Addendum, DocumentKind::Kb) => (Stage::PenyusunanKb, None),
            _ => (Stage::PenyusunanPks, parent.kb_signed_on),
        };
        let prefix = match document {
            DocumentKind::Pks => "PKS",
            DocumentKind::Addendum => "Adendum",
            DocumentKind::Kb => "KB",
        };
        let child = Agreement {
            id: AgreementId::new(),
            document,
            parent_id: Some(parent.id),
            title: format!("{prefix} — {}", parent.title).chars().take(300).collect(),
            stage,
            kb_signed_on,
            pks_signed_on: None,
            termination: None,
            updated_at_ms: now_ms(),
            ..parent.clone()
        };
        // Each document carries its own numbers and signatories; the parties stay the same.
        let parties: Vec<Party> = detail
            .parties
            .into_iter()
            .map(|p| Party {
                document_number: None,
                signatory_name: None,
                signatory_position: None,
                signs_by_authority: false,
                ..p
            })
            .collect();
        let mut tx = self.begin().await?;
        insert(&mut tx, actor, &child, &parties, &detail.need_ids).await?;
        tx.commit().await?;
        Ok(child)
    }
}

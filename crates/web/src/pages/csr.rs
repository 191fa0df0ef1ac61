//! CSR inside Sinergi: the portfolio of needs (agencies propose, the region admin publishes),
//! companies' pledges, realisation reports with evidence, their verification, and the partner
//! portal where a company sees its own pledges, what is due and the review comments.
//!
//! Who may do what is the store's decision (`sinergi_store::csr`); these pages only offer the
//! buttons the store would accept, so that nobody is shown a step that will be refused.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::cooperation::outcomes::parse_amount;
use sinergi_domain::csr::{
    CsrCategory, CsrNeedStatus, EvidenceKind, PledgeForm, ReportStatus, Reported, ReportedTotal, ReportingWindows,
    Window, check_need_move, may_edit_need, may_propose, mover_of, open_for_pledge,
};
use sinergi_domain::files::{CheckedFile, FileType, MAX_FILE_BYTES, check_file};
use sinergi_domain::format::format_date;
use sinergi_domain::{Actor, CsrNeedId, CsrReportId, FileId, Permission, PledgeId, RegionCode, Role, Scope};
use sinergi_store::csr::{CsrBook, CsrNeed, CsrNeedInput, NeedEntry, PledgeEntry, PledgeInput, ReportInput, Upload};
use sinergi_store::partners::PartnerFilter;

use super::upload::{MultipartForm, send_file};
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::jobs::today_wib;

// ---------------------------------------------------------------------------------------------
// Words shared by every CSR page (and the API's human-readable fields)

pub fn category_label(tr: Tr, c: CsrCategory) -> String {
    tr.t(&format!("csr-category-{}", c.slug()))
}

pub fn need_status_label(tr: Tr, s: CsrNeedStatus) -> String {
    tr.t(&format!("csr-need-status-{}", s.slug()))
}

pub fn report_status_label(tr: Tr, s: ReportStatus) -> String {
    tr.t(&format!("csr-report-status-{}", s.slug()))
}

fn form_label(tr: Tr, f: PledgeForm) -> String {
    tr.t(&format!("csr-form-{}", f.slug()))
}

pub fn evidence_label(tr: Tr, k: EvidenceKind) -> String {
    tr.t(&format!("csr-evidence-{}", k.slug()))
}

/// "Rp 480.000.000", or "tidak dilaporkan": an unreported value is never shown as a zero.
pub fn reported_text(tr: Tr, v: Reported) -> String {
    match v {
        Reported::Rupiah(r) => tr.rupiah(r),
        Reported::Unknown => tr.t("csr-not-reported"),
    }
}

/// "Rp 480.000.000", "Rp 480.000.000 + 1 tidak dilaporkan" or "tidak dilaporkan".
pub fn total_text(tr: Tr, t: &ReportedTotal) -> String {
    if t.is_unknown() {
        tr.t("csr-not-reported")
    } else if t.is_partial() {
        tr.targs("csr-total-partial", &[("known", tr.rupiah(t.known)), ("unknown", t.unknown_count.to_string())])
    } else {
        tr.rupiah(t.known)
    }
}

/// "Triwulan 3 2026" (or "Semester 2 2026", "Tahun 2026"), by the Pemda's window length.
pub fn window_label(tr: Tr, windows: ReportingWindows, w: Window) -> String {
    tr.targs(
        "csr-window-label",
        &[("kind", window_kind(windows).into()), ("index", w.index.to_string()), ("year", w.year.to_string())],
    )
}

/// The word for a window length, as the messages select on it (Fluent matches a string
/// argument against named variants, not numeric ones).
pub fn window_kind(windows: ReportingWindows) -> &'static str {
    match windows.months() {
        1 => "month",
        3 => "quarter",
        6 => "half",
        12 => "year",
        _ => "other",
    }
}

/// "setiap triwulan" for the settings page.
pub fn window_every(tr: Tr, windows: ReportingWindows) -> String {
    tr.targs("csr-window-every", &[("kind", window_kind(windows).into()), ("months", windows.months().to_string())])
}

/// "Kel. Banten, Kec. Kasemen": where a need is, in words.
pub fn place_label(code: &RegionCode) -> String {
    let path = sinergi_reference::region_path(code);
    let names: Vec<String> = path
        .iter()
        .rev()
        .filter(|r| r.level >= sinergi_domain::RegionLevel::District)
        .map(|r| r.title().into_owned())
        .collect();
    if names.is_empty() { code.to_string() } else { names.join(", ") }
}

fn money_or(tr: Tr, v: Option<i64>, key: &str) -> String {
    v.map(|r| tr.rupiah(r)).unwrap_or_else(|| tr.t(key))
}

/// Keep a parsed value, or note its problem and go on: a form shows every problem at once.
fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

fn tenant_of(actor: &Actor) -> AppResult<RegionCode> {
    match &actor.scope {
        Scope::Tenant(t) => Ok(t.clone()),
        // The platform works across tenants through the API; CSR pages are a Pemda's.
        Scope::Platform => Err(AppError::Forbidden),
    }
}

/// A need of the actor's tenant that the actor may see, or 404: checked before a form's body
/// is read, so that another Pemda's record answers "not found" whatever was sent.
async fn need_exists(state: &AppState, actor: &Actor, id: CsrNeedId) -> AppResult<()> {
    let book = state.store.csr_book(actor, &tenant_of(actor)?).await?;
    book.need(id).map(|_| ()).ok_or(AppError::NotFound)
}

fn need_id(s: &str) -> AppResult<CsrNeedId> {
    s.parse().map_err(|_| AppError::NotFound)
}

fn pledge_id(s: &str) -> AppResult<PledgeId> {
    s.parse().map_err(|_| AppError::NotFound)
}

fn report_id(s: &str) -> AppResult<CsrReportId> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// The steps of a need this actor may take from where it stands (pledging is a form of its
/// own, and in progress follows from an approved report).
fn need_moves(actor: &Actor, need: &CsrNeed, has_pledges: bool) -> Vec<CsrNeedStatus> {
    let Some(mover) = mover_of(actor, need.agency_id) else { return Vec::new() };
    CsrNeedStatus::ALL
        .iter()
        .copied()
        .filter(|to| *to != CsrNeedStatus::Pledged)
        .filter(|to| !(has_pledges && *to == CsrNeedStatus::Draft))
        .filter(|to| check_need_move(need.status, *to, mover).is_ok())
        .collect()
}

/// A thumbnail for an uploaded photo, made off the async threads; `None` for a PDF or an
/// image the decoder refuses (the original is then linked by name).
async fn upload_of(file: CheckedFile) -> AppResult<Upload> {
    if file.file_type == FileType::Pdf {
        return Ok(Upload { file, thumbnail: None });
    }
    let bytes = file.bytes.clone();
    let thumb = tokio::task::spawn_blocking(move || sinergi_io::thumbnail::jpeg_thumbnail(&bytes, 480))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("thumbnail: {e}")))?;
    let thumbnail = thumb.and_then(|bytes| {
        let name = format!("thumb-{}", file.name.rsplit_once('.').map_or(file.name.as_str(), |(stem, _)| stem));
        check_file("file", &format!("{name}.jpg"), bytes, MAX_FILE_BYTES).ok()
    });
    Ok(Upload { file, thumbnail })
}

// ---------------------------------------------------------------------------------------------
// The list of needs

pub struct NeedRow {
    pub id: String,
    pub title: String,
    pub category: String,
    pub place: String,
    pub proposer: String,
    pub cost: String,
    pub status: String,
    pub status_slug: &'static str,
    pub pledged: String,
    pub pledges: usize,
}

fn need_row(tr: Tr, n: &NeedEntry, partner_names: &dyn Fn(sinergi_domain::PartnerId) -> Option<String>) -> NeedRow {
    NeedRow {
        id: n.need.id.to_string(),
        title: n.need.title.clone(),
        category: category_label(tr, n.need.category),
        place: place_label(&n.need.location),
        proposer: n
            .need
            .agency_name
            .clone()
            .or_else(|| n.need.proposed_by.and_then(partner_names))
            .unwrap_or_else(|| "—".into()),
        cost: money_or(tr, n.need.estimated_cost, "csr-cost-unknown"),
        status: need_status_label(tr, n.need.status),
        status_slug: n.need.status.slug(),
        pledged: if n.pledges.is_empty() { "—".into() } else { total_text(tr, &n.pledged()) },
        pledges: n.pledges.len(),
    }
}

#[derive(Template)]
#[template(path = "csr_list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<NeedRow>,
    statuses: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    status: String,
    category: String,
    can_propose: bool,
    is_internal: bool,
    is_partner: bool,
    awaiting_review: usize,
    unfunded: usize,
    pledged_total: String,
    realised_total: String,
    public_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    category: String,
}

pub async fn list(State(state): State<AppState>, auth: Authed, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let book = state.store.csr_book(&auth.actor, &tenant).await?;
    let status: Option<CsrNeedStatus> = q.status.parse().ok();
    let category: Option<CsrCategory> = q.category.parse().ok();
    let names = partner_names(&state, &auth.actor, &book).await?;
    let lookup = |id| names.iter().find(|(p, _)| *p == id).map(|(_, n)| n.clone());
    let rows = book
        .needs
        .iter()
        .filter(|n| status.is_none_or(|s| n.need.status == s) && category.is_none_or(|c| n.need.category == c))
        .map(|n| need_row(tr, n, &lookup))
        .collect();
    let realised = ReportedTotal::of(
        book.needs
            .iter()
            .flat_map(|n| n.pledges.iter())
            .flat_map(|p| p.reports.iter())
            .filter(|r| ReportStatus::RECEIVED.contains(&r.status))
            .map(|r| r.value),
    );
    let pledged = ReportedTotal::of(book.needs.iter().flat_map(|n| n.pledges.iter()).map(|p| p.pledge.value));
    let verifier = auth.actor.can(Permission::ManageCsr) || auth.actor.can(Permission::PlanCooperation);
    let awaiting = if verifier {
        book.awaiting_review().iter().filter(|(n, _, _)| auth.actor.may_verify_csr(n.need.agency_id)).count()
    } else {
        0
    };
    let slug = state.store.tenant(&auth.actor, &tenant).await?.slug;
    Ok(render(&ListPage {
        shell: Shell::new(&auth.ctx, "csr-title"),
        rows,
        statuses: CsrNeedStatus::ALL.iter().copied().map(|s| (s.slug().to_owned(), need_status_label(tr, s))).collect(),
        categories: CsrCategory::ALL.iter().copied().map(|c| (c.slug().to_owned(), category_label(tr, c))).collect(),
        status: q.status,
        category: q.category,
        can_propose: may_propose(&auth.actor),
        is_internal: auth.actor.role.is_internal(),
        is_partner: auth.actor.role == Role::Partner,
        awaiting_review: awaiting,
        unfunded: book.needs.iter().filter(|n| n.is_unfunded()).count(),
        pledged_total: total_text(tr, &pledged),
        realised_total: total_text(tr, &realised),
        public_href: Some(format!("/publik/{slug}/csr")),
    }))
}

/// Names of the partners behind company-proposed needs. A company's user cannot read the
/// registry; it only ever sees its own name there.
async fn partner_names(
    state: &AppState,
    actor: &Actor,
    book: &CsrBook,
) -> AppResult<Vec<(sinergi_domain::PartnerId, String)>> {
    let mut out: Vec<(sinergi_domain::PartnerId, String)> = book
        .needs
        .iter()
        .flat_map(|n| n.pledges.iter())
        .map(|p| (p.pledge.partner_id, p.pledge.partner_name.clone()))
        .collect();
    if actor.can(Permission::ViewDirectory) {
        out.extend(state.store.partners(actor, &PartnerFilter::default()).await?.into_iter().map(|p| (p.id, p.name)));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The need form

#[derive(Default, Clone)]
pub struct NeedFormValues {
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub latitude: String,
    pub longitude: String,
    pub estimated_cost: String,
    pub agency_id: String,
    pub priority_programme: String,
    pub photo_caption: String,
}

impl NeedFormValues {
    fn from_form(f: &MultipartForm) -> Self {
        NeedFormValues {
            category: f.text("category").to_owned(),
            title: f.text("title").to_owned(),
            description: f.text("description").to_owned(),
            location: f.text("location").to_owned(),
            latitude: f.text("latitude").to_owned(),
            longitude: f.text("longitude").to_owned(),
            estimated_cost: f.text("estimated_cost").to_owned(),
            agency_id: f.text("agency_id").to_owned(),
            priority_programme: f.text("priority_programme").to_owned(),
            photo_caption: f.text("photo_caption").to_owned(),
        }
    }

    /// Parse every field, collecting every problem (the form shows them all at once).
    fn parse(&self, errors: &mut Vec<FieldError>) -> Option<CsrNeedInput> {
        let category = keep(errors, self.category.parse::<CsrCategory>());
        let location = keep(
            errors,
            RegionCode::parse(self.location.trim())
                .ok()
                .filter(|c| sinergi_reference::region(c).is_some())
                .ok_or_else(|| FieldError::new("location", "csr-location-outside")),
        );
        let point = keep(errors, CsrNeedInput::parse_point(&self.latitude, &self.longitude));
        let estimated_cost = keep(
            errors,
            match self.estimated_cost.trim() {
                "" => Ok(None),
                s => parse_amount("estimated_cost", s).map(Some),
            },
        );
        let agency_id = keep(
            errors,
            match self.agency_id.trim() {
                "" => Ok(None),
                s => s.parse().map(Some).map_err(|_| FieldError::new("agency_id", "invalid-choice")),
            },
        );
        Some(CsrNeedInput {
            category: category?,
            title: self.title.clone(),
            description: self.description.clone(),
            location: location?,
            point: point?,
            estimated_cost: estimated_cost?,
            agency_id: agency_id?,
            priority_programme: Some(self.priority_programme.clone()),
        })
    }
}

/// The desa/kelurahan of a tenant grouped by kecamatan, for the location select.
pub fn village_groups(tenant: &RegionCode) -> Vec<(String, Vec<(String, String)>)> {
    sinergi_reference::children(Some(tenant))
        .into_iter()
        .map(|kec| {
            let villages = sinergi_reference::children(Some(&kec.code))
                .into_iter()
                .map(|v| (v.code.to_string(), v.title().into_owned()))
                .collect();
            (kec.title().into_owned(), villages)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "csr_need_form.html")]
struct NeedFormPage {
    shell: Shell,
    heading: String,
    action: String,
    is_new: bool,
    form: NeedFormValues,
    errors: FormErrors,
    categories: Vec<(String, String)>,
    villages: Vec<(String, Vec<(String, String)>)>,
    agencies: Vec<(String, String)>,
    /// A company proposes for itself; no agency to choose.
    show_agency: bool,
}

async fn need_form_page(
    state: &AppState,
    auth: &Authed,
    editing: Option<CsrNeedId>,
    form: NeedFormValues,
    errors: FormErrors,
) -> AppResult<NeedFormPage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let show_agency = auth.actor.role != Role::Partner;
    let agencies = if show_agency {
        state
            .store
            .agencies(&auth.actor, Some(&tenant))
            .await?
            .into_iter()
            .filter(|a| a.active && auth.actor.may_plan_for(a.id))
            .map(|a| (a.id.to_string(), a.name))
            .collect()
    } else {
        Vec::new()
    };
    let (key, action) = match editing {
        Some(id) => ("csr-edit-need", format!("/csr/needs/{id}")),
        None => ("csr-new-need", "/csr/needs".to_owned()),
    };
    Ok(NeedFormPage {
        shell: Shell::new(&auth.ctx, key),
        heading: tr.t(key),
        action,
        is_new: editing.is_none(),
        form,
        errors,
        categories: CsrCategory::ALL.iter().copied().map(|c| (c.slug().to_owned(), category_label(tr, c))).collect(),
        villages: village_groups(&tenant),
        agencies,
        show_agency,
    })
}

pub async fn new_need_form(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    if !may_propose(&auth.actor) {
        return Err(AppError::Forbidden);
    }
    let form = NeedFormValues {
        category: CsrCategory::Pendidikan.slug().into(),
        agency_id: auth.actor.agency.map(|a| a.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    Ok(render(&need_form_page(&state, &auth, None, form, FormErrors::default()).await?))
}

fn show_errors(tr: Tr, errors: &[FieldError]) -> FormErrors {
    let mut shown = FormErrors::default();
    for e in errors {
        shown.add(tr, e);
    }
    shown
}

pub async fn create_need(
    State(state): State<AppState>,
    auth: Authed,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    if !may_propose(&auth.actor) {
        return Err(AppError::Forbidden);
    }
    let mut f = match MultipartForm::read(multipart).await {
        Ok(f) => f,
        Err(AppError::Invalid(e)) => {
            let page = need_form_page(&state, &auth, None, NeedFormValues::default(), show_errors(tr, &[e])).await?;
            return Ok(render_invalid(&page));
        }
        Err(e) => return Err(e),
    };
    let values = NeedFormValues::from_form(&f);
    let mut errors = Vec::new();
    let input = values.parse(&mut errors);
    let photo = match f.take_file("photo") {
        Some(sent) => check_file("photo", &sent.name, sent.bytes, MAX_FILE_BYTES).map_err(|e| errors.push(e)).ok(),
        None => None,
    };
    if let (Some(input), true) = (input, errors.is_empty()) {
        let upload = match photo {
            Some(p) => Some(upload_of(p).await?),
            None => None,
        };
        // The need and its first photo are two writes; a photo refused after the need was
        // written is reported on the need's page, where it can be sent again.
        match state.store.create_csr_need(&auth.actor, &tenant, input).await {
            Ok(need) => {
                if let Some(upload) = upload {
                    let caption = values.photo_caption.clone();
                    state.store.add_csr_photo(&auth.actor, need.id, &caption, upload).await?;
                }
                return Ok(see_other(&format!("/csr/needs/{}", need.id)));
            }
            Err(e) => {
                let mut shown = show_errors(tr, &errors);
                shown.absorb(tr, e.into())?;
                return Ok(render_invalid(&need_form_page(&state, &auth, None, values, shown).await?));
            }
        }
    }
    Ok(render_invalid(&need_form_page(&state, &auth, None, values, show_errors(tr, &errors)).await?))
}

pub async fn edit_need_form(
    State(state): State<AppState>,
    auth: Authed,
    Path(csr_need_id): Path<String>,
) -> AppResult<Response> {
    let id = need_id(&csr_need_id)?;
    let tenant = tenant_of(&auth.actor)?;
    let book = state.store.csr_book(&auth.actor, &tenant).await?;
    let n = &book.need(id).ok_or(AppError::NotFound)?.need;
    let form = NeedFormValues {
        category: n.category.slug().into(),
        title: n.title.clone(),
        description: n.description.clone(),
        location: n.location.to_string(),
        latitude: n.point.map(|p| p.0.to_string()).unwrap_or_default(),
        longitude: n.point.map(|p| p.1.to_string()).unwrap_or_default(),
        estimated_cost: n.estimated_cost.map(|c| c.to_string()).unwrap_or_default(),
        agency_id: n.agency_id.map(|a| a.to_string()).unwrap_or_default(),
        priority_programme: n.priority_programme.clone().unwrap_or_default(),
        photo_caption: String::new(),
    };
    Ok(render(&need_form_page(&state, &auth, Some(id), form, FormErrors::default()).await?))
}

pub async fn update_need(
    State(state): State<AppState>,
    auth: Authed,
    Path(csr_need_id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = need_id(&csr_need_id)?;
    need_exists(&state, &auth.actor, id).await?;
    let f = MultipartForm::read(multipart).await?;
    let values = NeedFormValues::from_form(&f);
    let mut errors = Vec::new();
    if let (Some(input), true) = (values.parse(&mut errors), errors.is_empty()) {
        match state.store.update_csr_need(&auth.actor, id, input).await {
            Ok(_) => return Ok(see_other(&format!("/csr/needs/{id}"))),
            Err(e) => {
                let mut shown = FormErrors::default();
                shown.absorb(tr, e.into())?;
                return Ok(render_invalid(&need_form_page(&state, &auth, Some(id), values, shown).await?));
            }
        }
    }
    Ok(render_invalid(&need_form_page(&state, &auth, Some(id), values, show_errors(tr, &errors)).await?))
}

// ---------------------------------------------------------------------------------------------
// A need's page

pub struct PhotoView {
    pub href: String,
    pub thumb: String,
    pub caption: String,
}

pub struct EvidenceView {
    pub href: String,
    pub thumb: Option<String>,
    pub kind: String,
    pub name: String,
}

pub struct EventView {
    pub when: String,
    pub who: String,
    pub step: String,
    pub comment: Option<String>,
}

pub struct ReportView {
    pub id: String,
    pub window: String,
    pub window_key: String,
    pub value: String,
    pub description: String,
    pub status: String,
    pub status_slug: &'static str,
    pub evidence: Vec<EvidenceView>,
    pub events: Vec<EventView>,
    pub revision_comment: Option<String>,
    /// The company may still edit and submit it.
    pub company_editable: bool,
    pub can_submit: bool,
    /// Verifier steps offered: (target status slug, label).
    pub verifier_moves: Vec<(String, String)>,
}

pub struct PledgeView {
    pub id: String,
    pub company: String,
    pub value: String,
    pub form: String,
    pub period: String,
    pub agreement: Option<(String, String)>,
    pub note: Option<String>,
    pub realised: String,
    pub reports: Vec<ReportView>,
    /// Windows owed and not reported yet, late ones first: (key, label).
    pub due: Vec<(String, String)>,
    pub can_report: bool,
}

fn file_href(id: FileId) -> String {
    format!("/csr/files/{id}")
}

fn report_views(tr: Tr, actor: &Actor, book: &CsrBook, need: &NeedEntry, p: &PledgeEntry) -> Vec<ReportView> {
    let company = actor.may_act_for(p.pledge.partner_id);
    let verifier = actor.may_verify_csr(need.need.agency_id);
    p.reports
        .iter()
        .map(|r| {
            let editable = company && matches!(r.status, ReportStatus::Draft | ReportStatus::RevisionRequested);
            let verifier_moves = if verifier {
                match r.status {
                    ReportStatus::Submitted => vec![ReportStatus::RevisionRequested, ReportStatus::Approved],
                    ReportStatus::Approved => vec![ReportStatus::Published],
                    _ => vec![],
                }
            } else {
                vec![]
            };
            ReportView {
                id: r.id.to_string(),
                window: window_label(tr, book.windows, r.window),
                window_key: r.window.key(),
                value: reported_text(tr, r.value),
                description: r.description.clone(),
                status: report_status_label(tr, r.status),
                status_slug: r.status.slug(),
                evidence: r
                    .evidence
                    .iter()
                    .map(|e| EvidenceView {
                        href: file_href(e.file_id),
                        thumb: e
                            .thumb_id
                            .map(file_href)
                            .or_else(|| e.file_type.is_image().then(|| file_href(e.file_id))),
                        kind: evidence_label(tr, e.kind),
                        name: e.file_name.clone(),
                    })
                    .collect(),
                events: r
                    .events
                    .iter()
                    .map(|e| EventView {
                        when: tr.datetime_ms(e.at_ms),
                        who: e.actor_label.clone(),
                        step: format!("{} → {}", report_status_label(tr, e.from), report_status_label(tr, e.to)),
                        comment: e.comment.clone(),
                    })
                    .collect(),
                revision_comment: r.open_revision_comment().map(str::to_owned),
                company_editable: editable,
                can_submit: editable && !r.evidence.is_empty(),
                verifier_moves: verifier_moves
                    .into_iter()
                    .map(|s| (s.slug().to_owned(), tr.t(&format!("csr-action-{}", s.slug()))))
                    .collect(),
            }
        })
        .collect()
}

fn pledge_view(
    tr: Tr,
    actor: &Actor,
    book: &CsrBook,
    need: &NeedEntry,
    p: &PledgeEntry,
    today: time::Date,
) -> PledgeView {
    let open = !matches!(need.need.status, CsrNeedStatus::Closed);
    PledgeView {
        id: p.pledge.id.to_string(),
        company: p.pledge.partner_name.clone(),
        value: reported_text(tr, p.pledge.value),
        form: form_label(tr, p.pledge.form),
        period: format!(
            "{} – {}",
            format_date(p.pledge.period_start, tr.locale),
            format_date(p.pledge.period_end, tr.locale)
        ),
        agreement: p.pledge.agreement_id.map(|a| (format!("/cooperation/agreements/{a}"), tr.t("csr-agreement-link"))),
        note: p.pledge.note.clone(),
        realised: total_text(tr, &p.realised(&ReportStatus::RECEIVED)),
        reports: report_views(tr, actor, book, need, p),
        due: p.due(book.windows, today).into_iter().map(|w| (w.key(), window_label(tr, book.windows, w))).collect(),
        can_report: open && actor.may_act_for(p.pledge.partner_id),
    }
}

#[derive(Template)]
#[template(path = "csr_need.html")]
struct NeedPage {
    shell: Shell,
    id: String,
    title: String,
    category: String,
    description: String,
    place: String,
    point: Option<String>,
    map_href: Option<String>,
    cost: String,
    proposer: String,
    programme: Option<String>,
    status: String,
    status_slug: &'static str,
    published: Option<String>,
    photos: Vec<PhotoView>,
    pledges: Vec<PledgeView>,
    pledged: String,
    moves: Vec<(String, String)>,
    can_edit: bool,
    can_add_photo: bool,
    /// The pledge form: `Some(partners to choose from)`; a company's user gets only itself.
    pledge_partners: Option<Vec<(String, String)>>,
    forms: Vec<(String, String)>,
    agreements: Vec<(String, String)>,
    errors: FormErrors,
    is_internal: bool,
}

async fn need_page(state: &AppState, auth: &Authed, id: CsrNeedId, errors: FormErrors) -> AppResult<NeedPage> {
    let tr = auth.ctx.tr();
    let actor = &auth.actor;
    let tenant = tenant_of(actor)?;
    let book = state.store.csr_book(actor, &tenant).await?;
    let entry = book.need(id).ok_or(AppError::NotFound)?;
    let n = &entry.need;
    let today = today_wib();
    let names = partner_names(state, actor, &book).await?;
    let proposer = n
        .agency_name
        .clone()
        .or_else(|| n.proposed_by.and_then(|p| names.iter().find(|(id, _)| *id == p).map(|(_, name)| name.clone())))
        .unwrap_or_else(|| "—".into());
    let editor = may_edit_need(actor, n.agency_id, n.proposed_by);
    let open_for_pledges = open_for_pledge(n.status, n.proposed_by, actor.partner);
    let pledge_partners = if !open_for_pledges {
        None
    } else if actor.role == Role::Partner {
        actor.partner.map(|p| {
            let name = names
                .iter()
                .find(|(id, _)| *id == p)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| tr.t("csr-own-company"));
            vec![(p.to_string(), name)]
        })
    } else if actor.can(Permission::ManagePartners) {
        let partners = state.store.partners(actor, &PartnerFilter::default()).await?;
        Some(partners.into_iter().filter(|p| p.active).map(|p| (p.id.to_string(), p.name)).collect())
    } else {
        None
    };
    let agreements = if pledge_partners.is_some() && actor.can(Permission::ViewDirectory) {
        state
            .store
            .agreements(actor, &Default::default())
            .await?
            .into_iter()
            .map(|a| (a.id.to_string(), a.title))
            .collect()
    } else {
        Vec::new()
    };
    Ok(NeedPage {
        shell: Shell::new(&auth.ctx, "csr-need-title"),
        id: n.id.to_string(),
        title: n.title.clone(),
        category: category_label(tr, n.category),
        description: n.description.clone(),
        place: place_label(&n.location),
        point: n.point.map(|(la, lo)| format!("{la:.5}, {lo:.5}")),
        map_href: n
            .point
            .map(|(la, lo)| format!("https://www.openstreetmap.org/?mlat={la}&mlon={lo}#map=17/{la}/{lo}")),
        cost: money_or(tr, n.estimated_cost, "csr-cost-unknown"),
        proposer,
        programme: n.priority_programme.clone(),
        status: need_status_label(tr, n.status),
        status_slug: n.status.slug(),
        published: n.published_at_ms.map(|ms| tr.datetime_ms(ms)),
        photos: entry
            .photos
            .iter()
            .map(|p| PhotoView {
                href: file_href(p.file_id),
                thumb: file_href(p.thumb_id.unwrap_or(p.file_id)),
                caption: p.caption.clone(),
            })
            .collect(),
        pledges: entry.pledges.iter().map(|p| pledge_view(tr, actor, &book, entry, p, today)).collect(),
        pledged: total_text(tr, &entry.pledged()),
        moves: need_moves(actor, n, !entry.pledges.is_empty())
            .into_iter()
            .map(|s| (s.slug().to_owned(), tr.t(&format!("csr-move-{}", s.slug()))))
            .collect(),
        can_edit: editor
            && matches!(n.status, CsrNeedStatus::Draft | CsrNeedStatus::Published)
            && entry.pledges.is_empty(),
        can_add_photo: editor,
        pledge_partners,
        forms: PledgeForm::ALL.iter().copied().map(|f| (f.slug().to_owned(), form_label(tr, f))).collect(),
        agreements,
        errors,
        is_internal: actor.role.is_internal(),
    })
}

pub async fn show_need(
    State(state): State<AppState>,
    auth: Authed,
    Path(csr_need_id): Path<String>,
) -> AppResult<Response> {
    let id = need_id(&csr_need_id)?;
    Ok(render(&need_page(&state, &auth, id, FormErrors::default()).await?))
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    comment: String,
}

pub async fn move_need(
    State(state): State<AppState>,
    auth: Authed,
    Path(csr_need_id): Path<String>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = need_id(&csr_need_id)?;
    let mut errors = FormErrors::default();
    match f.to.parse::<CsrNeedStatus>() {
        Ok(to) => match state.store.move_csr_need(&auth.actor, id, to).await {
            Ok(_) => {
                state.csr_public_cache.forget_tenant(tenant_of(&auth.actor)?.as_str());
                return Ok(see_other(&format!("/csr/needs/{id}")));
            }
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(e) => errors.add(tr, &e),
    }
    Ok(render_invalid(&need_page(&state, &auth, id, errors).await?))
}

pub async fn add_photo(
    State(state): State<AppState>,
    auth: Authed,
    Path(csr_need_id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = need_id(&csr_need_id)?;
    need_exists(&state, &auth.actor, id).await?;
    let mut f = match MultipartForm::read(multipart).await {
        Ok(f) => f,
        Err(AppError::Invalid(e)) => {
            return Ok(render_invalid(&need_page(&state, &auth, id, show_errors(tr, &[e])).await?));
        }
        Err(e) => return Err(e),
    };
    let checked = match f.take_file("photo") {
        Some(sent) => check_file("photo", &sent.name, sent.bytes, MAX_FILE_BYTES),
        None => Err(FieldError::new("photo", "required")),
    };
    let file = match checked {
        Ok(file) => file,
        Err(e) => return Ok(render_invalid(&need_page(&state, &auth, id, show_errors(tr, &[e])).await?)),
    };
    let upload = upload_of(file).await?;
    match state.store.add_csr_photo(&auth.actor, id, f.text("caption"), upload).await {
        Ok(_) => Ok(see_other(&format!("/csr/needs/{id}#photos"))),
        Err(e) => {
            let mut shown = FormErrors::default();
            shown.absorb(tr, e.into())?;
            Ok(render_invalid(&need_page(&state, &auth, id, shown).await?))
        }
    }
}

#[derive(Deserialize, Default)]
pub struct PledgeFormBody {
    #[serde(default)]
    partner_id: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    period_start: String,
    #[serde(default)]
    period_end: String,
    #[serde(default)]
    agreement_id: String,
    #[serde(default)]
    note: String,
}

impl PledgeFormBody {
    fn parse(&self, errors: &mut Vec<FieldError>) -> Option<PledgeInput> {
        let partner_id =
            keep(errors, self.partner_id.trim().parse().map_err(|_| FieldError::new("partner_id", "required")));
        // Blank is "not reported", never zero.
        let value = keep(
            errors,
            match self.value.trim() {
                "" => Ok(None),
                s => parse_amount("value", s).map(Some),
            },
        );
        let form = keep(errors, self.form.parse::<PledgeForm>());
        let period = keep(errors, PledgeInput::parse_period(&self.period_start, &self.period_end));
        let agreement_id = keep(
            errors,
            match self.agreement_id.trim() {
                "" => Ok(None),
                s => s.parse().map(Some).map_err(|_| FieldError::new("agreement_id", "invalid-choice")),
            },
        );
        let (period_start, period_end) = period?;
        Some(PledgeInput {
            partner_id: partner_id?,
            value: value?,
            form: form?,
            period_start,
            period_end,
            agreement_id: agreement_id?,
            note: Some(self.note.clone()),
        })
    }
}

pub async fn pledge(
    State(state): State<AppState>,
    auth: Authed,
    Path(csr_need_id): Path<String>,
    Form(f): Form<PledgeFormBody>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = need_id(&csr_need_id)?;
    let mut errors = Vec::new();
    let mut shown = FormErrors::default();
    if let (Some(input), true) = (f.parse(&mut errors), errors.is_empty()) {
        match state.store.pledge_csr(&auth.actor, id, input).await {
            Ok(_) => return Ok(see_other(&format!("/csr/needs/{id}#pledges"))),
            Err(e) => shown.absorb(tr, e.into())?,
        }
    }
    for e in &errors {
        shown.add(tr, e);
    }
    Ok(render_invalid(&need_page(&state, &auth, id, shown).await?))
}

// ---------------------------------------------------------------------------------------------
// The realisation report form

#[derive(Template)]
#[template(path = "csr_report_form.html")]
struct ReportFormPage {
    shell: Shell,
    action: String,
    need_href: String,
    need_title: String,
    company: String,
    windows: Vec<(String, String)>,
    window: String,
    value: String,
    description: String,
    location: String,
    villages: Vec<(String, Vec<(String, String)>)>,
    revision_comment: Option<String>,
    evidence: Vec<EvidenceView>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    window: String,
}

struct ReportValues {
    window: String,
    value: String,
    description: String,
    location: String,
}

async fn report_form_page(
    state: &AppState,
    auth: &Authed,
    pledge: PledgeId,
    values: Option<ReportValues>,
    errors: FormErrors,
) -> AppResult<ReportFormPage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let book = state.store.csr_book(&auth.actor, &tenant).await?;
    let (need, p) = book.pledge(pledge).ok_or(AppError::NotFound)?;
    if !auth.actor.may_act_for(p.pledge.partner_id) {
        return Err(AppError::Forbidden);
    }
    let today = today_wib();
    // Every window of the pledge's period up to the current one, newest first, minus those
    // already past the company's hands.
    let mut windows = Vec::new();
    let mut w = book.windows.of(p.pledge.period_start);
    let last = book.windows.of(p.pledge.period_end.min(today));
    while w <= last {
        let locked = p
            .reports
            .iter()
            .any(|r| r.window == w && !matches!(r.status, ReportStatus::Draft | ReportStatus::RevisionRequested));
        if !locked {
            windows.push((w.key(), window_label(tr, book.windows, w)));
        }
        w = book.windows.next(w);
    }
    windows.reverse();
    let values = values.unwrap_or_else(|| ReportValues {
        window: String::new(),
        value: String::new(),
        description: String::new(),
        location: String::new(),
    });
    let chosen = Window::parse_key(&values.window).ok();
    let existing = chosen.and_then(|w| p.reports.iter().find(|r| r.window == w));
    let (value, description, location) = match (existing, values.description.is_empty()) {
        (Some(r), true) => (
            r.value.known().map(|v| v.to_string()).unwrap_or_default(),
            r.description.clone(),
            r.location.as_ref().map(|l| l.to_string()).unwrap_or_default(),
        ),
        _ => (values.value, values.description, values.location),
    };
    Ok(ReportFormPage {
        shell: Shell::new(&auth.ctx, "csr-report-title"),
        action: format!("/csr/pledges/{pledge}/report"),
        need_href: format!("/csr/needs/{}", need.need.id),
        need_title: need.need.title.clone(),
        company: p.pledge.partner_name.clone(),
        window: chosen.map(|w| w.key()).or_else(|| windows.first().map(|w| w.0.clone())).unwrap_or_default(),
        windows,
        value,
        description,
        location,
        villages: village_groups(&tenant),
        revision_comment: existing.and_then(|r| r.open_revision_comment().map(str::to_owned)),
        evidence: existing
            .map(|r| {
                r.evidence
                    .iter()
                    .map(|e| EvidenceView {
                        href: file_href(e.file_id),
                        thumb: e.thumb_id.map(file_href),
                        kind: evidence_label(tr, e.kind),
                        name: e.file_name.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        errors,
    })
}

pub async fn report_form(
    State(state): State<AppState>,
    auth: Authed,
    Path(pledge_id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    let id = self::pledge_id(&pledge_id)?;
    let values =
        ReportValues { window: q.window, value: String::new(), description: String::new(), location: String::new() };
    Ok(render(&report_form_page(&state, &auth, id, Some(values), FormErrors::default()).await?))
}

/// The evidence inputs of the report form, by kind.
const EVIDENCE_INPUTS: [(&str, EvidenceKind); 4] = [
    ("bast", EvidenceKind::Bast),
    ("photo", EvidenceKind::Photo),
    ("attendance", EvidenceKind::Attendance),
    ("other", EvidenceKind::Other),
];

pub async fn save_report(
    State(state): State<AppState>,
    auth: Authed,
    Path(pledge_id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::pledge_id(&pledge_id)?;
    // The tenant and the company are checked before the body is read.
    report_form_page(&state, &auth, id, None, FormErrors::default()).await?;
    let mut f = match MultipartForm::read(multipart).await {
        Ok(f) => f,
        Err(AppError::Invalid(e)) => {
            return Ok(render_invalid(&report_form_page(&state, &auth, id, None, show_errors(tr, &[e])).await?));
        }
        Err(e) => return Err(e),
    };
    let values = ReportValues {
        window: f.text("window").to_owned(),
        value: f.text("value").to_owned(),
        description: f.text("description").to_owned(),
        location: f.text("location").to_owned(),
    };
    let mut errors = Vec::new();
    let window = Window::parse_key(&values.window).map_err(|e| errors.push(e)).ok();
    let value = match values.value.trim() {
        "" => Some(None),
        s => parse_amount("value", s).map(Some).map_err(|e| errors.push(e)).ok(),
    };
    let location = match values.location.trim() {
        "" => Some(None),
        s => RegionCode::parse(s)
            .map(Some)
            .map_err(|_| errors.push(FieldError::new("location", "csr-location-outside")))
            .ok(),
    };
    let mut evidence = Vec::new();
    for (input, kind) in EVIDENCE_INPUTS {
        if let Some(sent) = f.take_file(input) {
            match check_file(input, &sent.name, sent.bytes, MAX_FILE_BYTES) {
                Ok(file) => evidence.push((kind, file)),
                Err(e) => errors.push(e),
            }
        }
    }
    let submit = f.checked("submit");
    if let (Some(window), Some(value), Some(location), true) = (window, value, location, errors.is_empty()) {
        let mut uploads = Vec::with_capacity(evidence.len());
        for (kind, file) in evidence {
            uploads.push((kind, upload_of(file).await?));
        }
        let input = ReportInput { window, value, description: values.description.clone(), location };
        let saved = state.store.save_csr_report(&auth.actor, id, input, uploads).await;
        let result = match saved {
            Ok(report) if submit => {
                state.store.move_csr_report(&auth.actor, report, ReportStatus::Submitted, None).await.map(|_| ())
            }
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                let need = report_form_page(&state, &auth, id, None, FormErrors::default()).await?.need_href;
                return Ok(see_other(&format!("{need}#pledge-{id}")));
            }
            Err(e) => {
                let mut shown = FormErrors::default();
                shown.absorb(tr, e.into())?;
                return Ok(render_invalid(&report_form_page(&state, &auth, id, Some(values), shown).await?));
            }
        }
    }
    Ok(render_invalid(&report_form_page(&state, &auth, id, Some(values), show_errors(tr, &errors)).await?))
}

/// Submit (company) or review (verifier) a report.
pub async fn move_report(
    State(state): State<AppState>,
    auth: Authed,
    Path(report_id): Path<String>,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::report_id(&report_id)?;
    let tenant = tenant_of(&auth.actor)?;
    let book = state.store.csr_book(&auth.actor, &tenant).await?;
    let (need, _, _) = book.report(id).ok_or(AppError::NotFound)?;
    let need_id = need.need.id;
    let mut errors = FormErrors::default();
    match f.to.parse::<ReportStatus>() {
        Ok(to) => match state.store.move_csr_report(&auth.actor, id, to, Some(&f.comment)).await {
            Ok(_) => {
                state.csr_public_cache.forget_tenant(tenant.as_str());
                return Ok(see_other(&format!("/csr/needs/{need_id}#report-{id}")));
            }
            Err(e) => errors.absorb(tr, e.into())?,
        },
        Err(e) => errors.add(tr, &e),
    }
    Ok(render_invalid(&need_page(&state, &auth, need_id, errors).await?))
}

pub async fn file(State(state): State<AppState>, auth: Authed, Path(file_id): Path<String>) -> AppResult<Response> {
    let id: FileId = file_id.parse().map_err(|_| AppError::NotFound)?;
    let f = state.store.csr_file(&auth.actor, id).await?;
    Ok(send_file(&f.name, f.file_type, f.bytes))
}

// ---------------------------------------------------------------------------------------------
// The verifier's queue

pub struct ReviewRow {
    pub need_href: String,
    pub need_title: String,
    pub company: String,
    pub window: String,
    pub value: String,
    pub status: String,
    pub status_slug: &'static str,
    pub evidence: usize,
    pub waiting_since: String,
}

#[derive(Template)]
#[template(path = "csr_reviews.html")]
struct ReviewsPage {
    shell: Shell,
    rows: Vec<ReviewRow>,
}

pub async fn reviews(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let book = state.store.csr_book(&auth.actor, &tenant).await?;
    let rows = book
        .awaiting_review()
        .into_iter()
        .filter(|(n, _, _)| auth.actor.may_verify_csr(n.need.agency_id))
        .map(|(n, p, r)| ReviewRow {
            need_href: format!("/csr/needs/{}#report-{}", n.need.id, r.id),
            need_title: n.need.title.clone(),
            company: p.pledge.partner_name.clone(),
            window: window_label(tr, book.windows, r.window),
            value: reported_text(tr, r.value),
            status: report_status_label(tr, r.status),
            status_slug: r.status.slug(),
            evidence: r.evidence.len(),
            waiting_since: tr.datetime_ms(r.updated_at_ms),
        })
        .collect();
    Ok(render(&ReviewsPage { shell: Shell::new(&auth.ctx, "csr-reviews-title"), rows }))
}

// ---------------------------------------------------------------------------------------------
// The partner portal

/// The need a pledge on the portal belongs to.
pub struct PortalHead {
    pub need_href: String,
    pub need_title: String,
    pub need_status: String,
    pub place: String,
}

#[derive(Template)]
#[template(path = "csr_portal.html")]
struct PortalPage {
    shell: Shell,
    company: String,
    pledges: Vec<(PortalHead, PledgeView)>,
    errors: FormErrors,
    due_count: usize,
    revision_count: usize,
    open_needs: Vec<NeedRow>,
    own_proposals: Vec<NeedRow>,
    pledged_total: String,
    realised_total: String,
}

/// A company's own page: its pledges, what it owes, its reports and the Pemda's comments,
/// and the needs it could still take up. Officers open it for a company with `?partner=`.
pub async fn portal(State(state): State<AppState>, auth: Authed, Query(q): Query<PortalQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let partner = match (auth.actor.role, auth.actor.partner) {
        (Role::Partner, Some(p)) => p,
        (Role::Partner, None) => return Err(AppError::Forbidden),
        _ if auth.actor.can(Permission::ManagePartners) => q.partner.parse().map_err(|_| AppError::NotFound)?,
        _ => return Err(AppError::Forbidden),
    };
    let book = state.store.csr_book(&auth.actor, &tenant).await?;
    let today = today_wib();
    let mut pledges = Vec::new();
    for n in &book.needs {
        for p in n.pledges.iter().filter(|p| p.pledge.partner_id == partner) {
            let head = PortalHead {
                need_href: format!("/csr/needs/{}", n.need.id),
                need_title: n.need.title.clone(),
                need_status: need_status_label(tr, n.need.status),
                place: place_label(&n.need.location),
            };
            pledges.push((head, pledge_view(tr, &auth.actor, &book, n, p, today)));
        }
    }
    let company = match book.needs.iter().flat_map(|n| n.pledges.iter()).find(|p| p.pledge.partner_id == partner) {
        Some(p) => p.pledge.partner_name.clone(),
        None if auth.actor.can(Permission::ViewDirectory) => {
            state.store.partner(&auth.actor, partner).await?.partner.name
        }
        None => tr.t("csr-own-company"),
    };
    let mine = |n: &&NeedEntry| n.pledges.iter().any(|p| p.pledge.partner_id == partner);
    let names = |_| None;
    let open_needs = book
        .needs
        .iter()
        .filter(|n| matches!(n.need.status, CsrNeedStatus::Published | CsrNeedStatus::Pledged) && !mine(n))
        .map(|n| need_row(tr, n, &names))
        .collect();
    let own_proposals = book
        .needs
        .iter()
        .filter(|n| n.need.proposed_by == Some(partner))
        .map(|n| need_row(tr, n, &|_| Some(company.clone())))
        .collect();
    let own: Vec<&PledgeEntry> =
        book.needs.iter().flat_map(|n| n.pledges.iter()).filter(|p| p.pledge.partner_id == partner).collect();
    Ok(render(&PortalPage {
        shell: Shell::new(&auth.ctx, "csr-portal-title"),
        due_count: pledges.iter().map(|(_, p)| p.due.len()).sum(),
        revision_count: pledges
            .iter()
            .flat_map(|(_, p)| p.reports.iter())
            .filter(|r| r.revision_comment.is_some())
            .count(),
        errors: FormErrors::default(),
        pledged_total: total_text(tr, &ReportedTotal::of(own.iter().map(|p| p.pledge.value))),
        realised_total: total_text(
            tr,
            &ReportedTotal::of(
                own.iter()
                    .flat_map(|p| p.reports.iter())
                    .filter(|r| ReportStatus::RECEIVED.contains(&r.status))
                    .map(|r| r.value),
            ),
        ),
        company,
        pledges,
        open_needs,
        own_proposals,
    }))
}

#[derive(Deserialize, Default)]
pub struct PortalQuery {
    #[serde(default)]
    partner: String,
}

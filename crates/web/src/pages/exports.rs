//! Downloads: the needs map and the cooperation register as XLSX and PDF, and an agreement's
//! fact sheet as PDF, in the user's language, with the Pemda's name as letterhead.
//!
//! Each report gathers its lines once ([`needs_map`], [`register`]); the XLSX and the PDF are
//! two renderings of the same lines, so they cannot disagree about what is in them.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sinergi_domain::cooperation::outcomes::OutcomeKind;
use sinergi_domain::format::{format_date, format_datetime};
use sinergi_io::export::{Sheet, Value, xlsx};
use sinergi_io::pdf::{Column, Document, Letterhead, Orientation, PageLabels};
use sinergi_store::cooperation::{PlanFilter, parse_year};
use time::{Date, OffsetDateTime};

use super::agencies::tree_order;
use super::agreements::outcome_value;
use super::needs::{current_year, urusan_label};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub(crate) const PDF: &str = "application/pdf";

pub(crate) fn download(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// The Pemda's name for the letterhead and its slug for file names; the platform, which
/// belongs to no Pemda, signs as Sinergi.
pub(crate) fn letterhead(auth: &Authed) -> (String, String) {
    match auth.actor.scope.tenant() {
        Some(t) => {
            let name = sinergi_reference::region(t).map(|r| r.name.clone()).unwrap_or_else(|| t.to_string());
            let slug = sinergi_domain::org::TenantSlug::from_name(&name)
                .map(|s| s.to_string())
                .unwrap_or_else(|_| t.to_string());
            (name, slug)
        }
        None => ("Sinergi".to_owned(), "semua".to_owned()),
    }
}

/// Who issues a PDF, as an official letterhead writes it: "PEMERINTAH KOTA SERANG".
fn issuer(auth: &Authed, tr: Tr) -> String {
    let (name, _) = letterhead(auth);
    match auth.actor.scope.tenant() {
        Some(_) => tr.t1("pdf-issuer", "name", name).to_uppercase(),
        None => name,
    }
}

/// A PDF started with the letterhead, in the user's language.
pub(crate) fn pdf_document(auth: &Authed, orientation: Orientation, title: &str, subtitle: Option<&str>) -> Document {
    let tr = auth.ctx.tr();
    let now = OffsetDateTime::now_utc();
    let generated = tr.t1("pdf-generated", "when", format_datetime(now, tr.locale));
    let (page, of) = (tr.t("pdf-page"), tr.t("pdf-of"));
    let mut doc = Document::new(orientation, PageLabels { page: &page, of: &of });
    doc.letterhead(&Letterhead {
        issuer: &issuer(auth, tr),
        title,
        subtitle,
        generated: &generated,
        generated_unix: now.unix_timestamp(),
    });
    doc
}

/// Serialising and compressing is the CPU-heavy part; it runs off the async threads.
pub(crate) async fn pdf_download(doc: Document, filename: &str) -> AppResult<Response> {
    let bytes = tokio::task::spawn_blocking(move || doc.finish())
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("pdf: {e}")))?;
    Ok(download(bytes, PDF, filename))
}

pub(crate) fn labels(tr: Tr, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| tr.t(k)).collect()
}

/// "Rp 2.400.000.000" that never breaks after "Rp": a no-break space keeps an amount on one
/// line of a narrow column (the PDF builder sizes columns to their longest unbreakable word).
pub(crate) fn rupiah(tr: Tr, amount: i64) -> String {
    tr.rupiah(amount).replacen("Rp ", "Rp\u{a0}", 1)
}

fn long_date(tr: Tr, d: Option<Date>) -> String {
    d.map(|d| format_date(d, tr.locale)).unwrap_or_else(|| "—".into())
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

impl YearQuery {
    pub(crate) fn year(&self) -> i32 {
        self.year.as_deref().and_then(|y| parse_year(y).ok()).unwrap_or_else(current_year)
    }
}

// The needs map ------------------------------------------------------------------------------

/// One need as both renderings show it, already in the user's words.
struct NeedLine {
    priority: Option<u8>,
    title: String,
    problem: String,
    urusan: String,
    partner_kind: String,
    expected_benefit: String,
    targets: String,
    status: String,
}

/// An agency and its needs of the year, priorities first (1, 2, 3, then the rest by title).
struct AgencyNeeds {
    agency: String,
    needs: Vec<NeedLine>,
}

const NEEDS_COLUMNS: [&str; 8] = [
    "field-priority",
    "field-title",
    "field-problem",
    "field-urusan",
    "field-partner-kind",
    "field-expected-benefit",
    "needs-targets",
    "field-status",
];

async fn needs_map(state: &AppState, auth: &Authed, year: i32) -> AppResult<Vec<AgencyNeeds>> {
    let tr = auth.ctx.tr();
    let filter = PlanFilter { year: Some(year), ..Default::default() };
    let needs = state.store.needs(&auth.actor, &filter).await?;
    let agencies = state.store.agencies(&auth.actor, None).await?;
    let targets = state.store.targets(&auth.actor, &filter).await?;
    let mut groups = Vec::new();
    for (agency, _) in tree_order(&agencies) {
        let mut of_agency: Vec<_> = needs.iter().filter(|n| n.agency_id == agency.id).collect();
        if of_agency.is_empty() {
            continue;
        }
        of_agency.sort_by_key(|n| (n.priority.is_none(), n.priority, n.title.clone()));
        let lines = of_agency
            .into_iter()
            .map(|n| NeedLine {
                priority: n.priority.map(|p| p.get()),
                title: n.title.clone(),
                problem: n.problem.clone(),
                urusan: urusan_label(tr, &n.urusan_code),
                partner_kind: tr.t(&format!("partner-kind-{}", n.partner_kind.slug())),
                expected_benefit: n.expected_benefit.clone(),
                targets: targets
                    .iter()
                    .filter(|t| n.target_ids.contains(&t.id))
                    .map(|t| t.indicator.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                status: tr.t(&format!("need-status-{}", n.status.slug())),
            })
            .collect();
        groups.push(AgencyNeeds { agency: agency.name.clone(), needs: lines });
    }
    Ok(groups)
}

pub async fn needs_xlsx(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let year = q.year();
    let groups = needs_map(&state, &auth, year).await?;
    let mut rows = Vec::new();
    for group in groups {
        for n in group.needs {
            rows.push(vec![
                Value::from(group.agency.clone()),
                n.priority.map(|p| Value::Number(f64::from(p))).unwrap_or(Value::Empty),
                Value::from(n.title),
                Value::from(n.problem),
                Value::from(n.urusan),
                Value::from(n.partner_kind),
                Value::from(n.expected_benefit),
                Value::from(n.targets),
                Value::from(n.status),
            ]);
        }
    }
    let mut headers = vec![tr.t("field-agency")];
    headers.extend(labels(tr, &NEEDS_COLUMNS));
    let (name, slug) = letterhead(&auth);
    let title = format!("{} {year}", tr.t("needs-title").to_uppercase());
    let bytes =
        xlsx(&Sheet { name: &tr.t("needs-title"), title: &title, subtitle: &name, headers: &headers, rows: &rows })
            .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(download(bytes, XLSX, &format!("peta-kebutuhan-{slug}-{year}.xlsx")))
}

/// The needs map on landscape pages: one section per agency, its priorities first.
pub async fn needs_pdf(State(state): State<AppState>, auth: Authed, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let year = q.year();
    let groups = needs_map(&state, &auth, year).await?;
    let title = tr.t("needs-title").to_uppercase();
    let subtitle = tr.t1("pdf-year", "year", year);
    let mut doc = pdf_document(&auth, Orientation::Landscape, &title, Some(&subtitle));
    let headers = labels(tr, &NEEDS_COLUMNS);
    let weights = [0.8, 2.2, 2.8, 1.6, 1.3, 2.4, 2.0, 1.0];
    let columns: Vec<Column<'_>> = headers.iter().zip(weights).map(|(h, w)| Column::new(h, w)).collect();
    if groups.is_empty() {
        doc.paragraph(&tr.t("empty-list"));
    }
    for group in &groups {
        let priorities = group.needs.iter().filter(|n| n.priority.is_some()).count();
        doc.heading(&format!("{} · {priorities}/3 {}", group.agency, tr.t("needs-priorities")));
        let rows: Vec<Vec<String>> = group
            .needs
            .iter()
            .map(|n| {
                vec![
                    n.priority.map(|p| p.to_string()).unwrap_or_else(|| "—".into()),
                    n.title.clone(),
                    n.problem.clone(),
                    n.urusan.clone(),
                    n.partner_kind.clone(),
                    n.expected_benefit.clone(),
                    n.targets.clone(),
                    n.status.clone(),
                ]
            })
            .collect();
        doc.table(&columns, &rows, &tr.t("empty-list"));
    }
    let (_, slug) = letterhead(&auth);
    pdf_download(doc, &format!("peta-kebutuhan-{slug}-{year}.pdf")).await
}

// The cooperation register -------------------------------------------------------------------

/// One agreement of the register with the benefits recorded against it.
struct RegisterLine {
    title: String,
    kind: String,
    stage: String,
    urusan: String,
    kb_signed_on: Option<Date>,
    pks_signed_on: Option<Date>,
    ends_on: Option<Date>,
    /// None when not reported: shown as such, never as 0.
    value: Option<i64>,
    apbd_saved: i64,
    partner_funded: i64,
    pad_earned: i64,
    beneficiaries: i64,
    umkm_reached: i64,
}

const REGISTER_COLUMNS: [&str; 13] = [
    "field-title",
    "field-kind-agreement",
    "field-stage",
    "field-urusan",
    "field-kb-signed-on",
    "field-pks-signed-on",
    "dashboard-ends",
    "field-value",
    "outcome-apbd-saved",
    "outcome-partner-funded",
    "outcome-pad-earned",
    "outcome-beneficiaries",
    "outcome-umkm-reached",
];

/// The agreements this Pemda keeps (as on its dashboard), in the store's order.
async fn register(state: &AppState, auth: &Authed) -> AppResult<Vec<RegisterLine>> {
    let tr = auth.ctx.tr();
    let portfolio = state.store.portfolio(&auth.actor).await?;
    let lines = portfolio
        .agreements
        .iter()
        .map(|a| {
            // Each agreement's own outcomes, found by binary search: a scan of all of them per
            // agreement made the 10,000-agreement export take over a second (bench/).
            let sum = |kind: OutcomeKind| -> i64 {
                portfolio
                    .outcomes_of(a.id)
                    .iter()
                    .filter(|o| o.kind == kind)
                    .map(|o| o.value)
                    .fold(0i64, i64::saturating_add)
            };
            RegisterLine {
                title: a.title.clone(),
                kind: tr.t(&format!("agreement-kind-{}", a.kind.slug())),
                stage: tr.t(&format!("stage-{}", a.stage.slug())),
                urusan: urusan_label(tr, &a.urusan_code),
                kb_signed_on: a.kb_signed_on,
                pks_signed_on: a.pks_signed_on,
                ends_on: a.ends_on,
                value: a.value,
                apbd_saved: sum(OutcomeKind::ApbdSaved),
                partner_funded: sum(OutcomeKind::PartnerFunded),
                pad_earned: sum(OutcomeKind::PadEarned),
                beneficiaries: sum(OutcomeKind::Beneficiaries),
                umkm_reached: sum(OutcomeKind::UmkmReached),
            }
        })
        .collect();
    Ok(lines)
}

pub async fn agreements_xlsx(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let lines = register(&state, &auth).await?;
    let date = |d: Option<Date>| d.map(|d| d.to_string()).map(Value::Text).unwrap_or(Value::Empty);
    let rows: Vec<Vec<Value>> = lines
        .into_iter()
        .map(|a| {
            vec![
                Value::from(a.title),
                Value::from(a.kind),
                Value::from(a.stage),
                Value::from(a.urusan),
                date(a.kb_signed_on),
                date(a.pks_signed_on),
                date(a.ends_on),
                a.value.map(Value::Rupiah).unwrap_or_else(|| Value::from(tr.t("agreements-not-reported"))),
                Value::Rupiah(a.apbd_saved),
                Value::Rupiah(a.partner_funded),
                Value::Rupiah(a.pad_earned),
                Value::Number(a.beneficiaries as f64),
                Value::Number(a.umkm_reached as f64),
            ]
        })
        .collect();
    let headers = labels(tr, &REGISTER_COLUMNS);
    let (name, slug) = letterhead(&auth);
    let title = tr.t("agreements-register").to_uppercase();
    let bytes = xlsx(&Sheet {
        name: &tr.t("agreements-register"),
        title: &title,
        subtitle: &name,
        headers: &headers,
        rows: &rows,
    })
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(download(bytes, XLSX, &format!("register-kerja-sama-{slug}.xlsx")))
}

/// The register on landscape pages, the same thirteen columns as the XLSX.
pub async fn agreements_pdf(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let lines = register(&state, &auth).await?;
    let year = current_year();
    let title = tr.t("agreements-register").to_uppercase();
    let subtitle = tr.t1("pdf-register-count", "count", lines.len());
    let doc = pdf_document(&auth, Orientation::Landscape, &title, Some(&subtitle));
    // Thirteen columns across a landscape page: smaller text keeps an amount in the billions
    // ("Rp 2.400.000.000") on one line.
    let mut doc = doc.with_table_size(7.0);
    let headers = labels(tr, &REGISTER_COLUMNS);
    let weights = [2.6, 1.4, 1.2, 1.6, 1.15, 1.15, 1.15, 1.55, 1.55, 1.55, 1.55, 1.0, 0.9];
    let columns: Vec<Column<'_>> = headers
        .iter()
        .zip(weights)
        .enumerate()
        .map(|(i, (h, w))| if i >= 7 { Column::new(h, w).right() } else { Column::new(h, w) })
        .collect();
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|a| {
            vec![
                a.title.clone(),
                a.kind.clone(),
                a.stage.clone(),
                a.urusan.clone(),
                long_date(tr, a.kb_signed_on),
                long_date(tr, a.pks_signed_on),
                long_date(tr, a.ends_on),
                a.value.map(|v| rupiah(tr, v)).unwrap_or_else(|| tr.t("agreements-not-reported")),
                rupiah(tr, a.apbd_saved),
                rupiah(tr, a.partner_funded),
                rupiah(tr, a.pad_earned),
                tr.number(a.beneficiaries),
                tr.number(a.umkm_reached),
            ]
        })
        .collect();
    doc.table(&columns, &rows, &tr.t("empty-list"));
    let (_, slug) = letterhead(&auth);
    pdf_download(doc, &format!("register-kerja-sama-{slug}-{year}.pdf")).await
}

// An agreement's fact sheet ------------------------------------------------------------------

/// "penataan-kabel-fiber-optik-bersama-apjatel" from a title, for a file name; at most eight
/// words so the name stays readable.
fn title_slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() { "kerja-sama".to_owned() } else { words.join("-") }
}

/// One agreement on a portrait page: what it is, who signed, what it serves, what was done and
/// what came of it, and how it moved. It reads the agreement exactly as its page does, so a
/// party Pemda gets the shared record; internal notes are left out for every reader, since a
/// fact sheet is made to be handed on.
pub async fn agreement_fact_sheet(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id: sinergi_domain::AgreementId = agreement_id.parse().map_err(|_| AppError::NotFound)?;
    let d = state.store.agreement(&auth.actor, id).await?;
    let a = &d.agreement;
    let title = tr.t("fact-sheet-title").to_uppercase();
    let mut doc = pdf_document(&auth, Orientation::Portrait, &title, Some(&a.title));
    if d.shared {
        let keeper =
            sinergi_reference::region(&a.tenant).map(|r| r.name.clone()).unwrap_or_else(|| a.tenant.to_string());
        let (reader, _) = letterhead(&auth);
        doc.paragraph(&tr.targs("fact-sheet-shared", &[("keeper", keeper), ("reader", reader)]));
    }

    let dprd = a.dprd();
    let mut dprd_text = format!(
        "{} ({})",
        tr.t(if dprd.required { "agreements-dprd-required" } else { "agreements-dprd-not-required" }),
        tr.t(&format!("dprd-{}", dprd.reason))
    );
    if dprd.required {
        let state_key = if a.dprd_approved { "fact-sheet-dprd-approved" } else { "fact-sheet-dprd-pending" };
        dprd_text = format!("{dprd_text}; {}", tr.t(state_key));
    }
    let mut facts = vec![
        (tr.t("field-title"), a.title.clone()),
        (tr.t("field-kind-agreement"), tr.t(&format!("agreement-kind-{}", a.kind.slug()))),
        (tr.t("field-document"), tr.t(&format!("document-{}", a.document.slug()))),
        (tr.t("field-stage"), tr.t(&format!("stage-{}", a.stage.slug()))),
        (tr.t("field-urusan"), urusan_label(tr, &a.urusan_code)),
        (tr.t("field-scope"), a.scope.clone()),
        (tr.t("field-kb-signed-on"), long_date(tr, a.kb_signed_on)),
        (tr.t("field-pks-signed-on"), long_date(tr, a.pks_signed_on)),
        (tr.t("field-starts-on"), long_date(tr, a.starts_on)),
        (tr.t("field-ends-on"), long_date(tr, a.ends_on)),
        (tr.t("field-value"), a.value.map(|v| rupiah(tr, v)).unwrap_or_else(|| tr.t("agreements-not-reported"))),
        (tr.t("field-funding"), super::agreements::funding_label(tr, a)),
        (tr.t("field-location"), super::agreements::location_label(a)),
        (tr.t("agreements-dprd"), dprd_text),
    ];
    if let Some(t) = a.termination {
        facts.push((tr.t("field-termination"), tr.t(&format!("termination-{}", t.slug()))));
    }
    doc.heading(&tr.t("fact-sheet-overview"));
    doc.key_values(&facts);

    doc.heading(&tr.t("agreements-parties"));
    let party_headers = labels(tr, &["field-party", "field-signatory", "field-document-number"]);
    let parties: Vec<Vec<String>> = d
        .parties
        .iter()
        .map(|p| {
            let signatory = match (&p.signatory_name, &p.signatory_position) {
                (Some(n), Some(pos)) => format!("{n}\n{pos}"),
                (Some(n), None) => n.clone(),
                (None, Some(pos)) => pos.clone(),
                (None, None) => "—".into(),
            };
            vec![p.name.clone(), signatory, p.document_number.clone().unwrap_or_else(|| "—".into())]
        })
        .collect();
    doc.table(&columns(&party_headers, &[2.4, 2.2, 1.6]), &parties, &tr.t("empty-list"));

    // The needs the viewer may see: a party Pemda does not see the keeper's, as on the page.
    doc.heading(&tr.t("agreements-needs"));
    let needs = state.store.needs(&auth.actor, &Default::default()).await?;
    let agencies = state.store.agencies(&auth.actor, None).await?;
    let need_rows: Vec<Vec<String>> = needs
        .iter()
        .filter(|n| d.need_ids.contains(&n.id))
        .map(|n| {
            let agency = agencies.iter().find(|g| g.id == n.agency_id).map(|g| g.name.clone()).unwrap_or_default();
            vec![n.title.clone(), agency, n.year.to_string()]
        })
        .collect();
    let need_headers = labels(tr, &["field-title", "field-agency", "field-year"]);
    doc.table(&columns(&need_headers, &[3.4, 2.2, 0.8]), &need_rows, &tr.t("empty-list"));

    doc.heading(&tr.t("agreements-activities"));
    let activity_headers = labels(tr, &["field-title", "field-planned-on", "field-done-on", "field-budget"]);
    let activities: Vec<Vec<String>> = d
        .activities
        .iter()
        .map(|x| {
            vec![
                x.title.clone(),
                long_date(tr, x.planned_on),
                long_date(tr, x.done_on),
                x.budget.map(|b| rupiah(tr, b)).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    let mut activity_columns = columns(&activity_headers, &[3.0, 1.3, 1.3, 1.4]);
    if let Some(c) = activity_columns.get_mut(3) {
        *c = c.right();
    }
    doc.table(&activity_columns, &activities, &tr.t("empty-list"));

    doc.heading(&tr.t("agreements-outcomes"));
    let outcome_headers = labels(tr, &["field-indicator", "field-value", "field-period", "field-evidence"]);
    let outcomes: Vec<Vec<String>> = d
        .outcomes
        .iter()
        .map(|o| {
            vec![
                o.label.clone(),
                outcome_value(tr, o).replacen("Rp ", "Rp\u{a0}", 1),
                o.period.clone(),
                o.evidence.clone().unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    doc.table(&columns(&outcome_headers, &[2.2, 1.5, 1.1, 2.4]), &outcomes, &tr.t("empty-list"));

    doc.heading(&tr.t("agreements-stages"));
    let stage_headers = labels(tr, &["audit-when", "field-stage", "audit-who", "field-note"]);
    let stages: Vec<Vec<String>> = d
        .transitions
        .iter()
        .map(|t| {
            vec![
                tr.datetime_ms(t.at_ms),
                tr.t(&format!("stage-{}", t.to.slug())),
                t.actor_label.clone(),
                t.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    doc.table(&columns(&stage_headers, &[1.6, 1.5, 1.5, 2.4]), &stages, &tr.t("empty-list"));

    pdf_download(doc, &format!("lembar-fakta-{}.pdf", title_slug(&a.title))).await
}

pub(crate) fn columns<'a>(headers: &'a [String], weights: &[f32]) -> Vec<Column<'a>> {
    headers.iter().zip(weights).map(|(h, w)| Column::new(h, *w)).collect()
}

#[cfg(test)]
mod tests {
    use super::title_slug;

    #[test]
    fn file_names_from_titles() {
        assert_eq!(
            title_slug("Penataan kabel fiber optik bersama APJATEL"),
            "penataan-kabel-fiber-optik-bersama-apjatel"
        );
        assert_eq!(
            title_slug("Layanan uji laboratorium — Kota/Kabupaten Serang (2026)"),
            "layanan-uji-laboratorium-kota-kabupaten-serang-2026"
        );
        assert_eq!(title_slug("“” ☺"), "kerja-sama");
        assert_eq!(title_slug("a b c d e f g h i j"), "a-b-c-d-e-f-g-h");
    }
}

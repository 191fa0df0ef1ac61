//! The UMKM import wizard: upload a register (XLSX, XLS or CSV), check the sheet, header row
//! and what each column holds, see every row's problems, download the rejected rows to fix,
//! and commit the accepted ones through entity resolution, once.
//!
//! The store keeps the uploaded file and the layout chosen; every step reads the file again
//! from the store, so nothing lives in the session and a reloaded page shows the same preview.
//! The layout is kept as a header-keyed mapping ([`SavedMapping`]) with the default year, so
//! the mapping saved for a source fits next year's file even with its columns reordered.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::{Deserialize, Serialize};
use sinergi_domain::auth::FieldError;
use sinergi_domain::files::{MAX_FILE_BYTES, check_spreadsheet};
use sinergi_domain::{Actor, ImportId, RegionCode, WaveId};
use sinergi_io::umkm::{
    Detected, ImportError, Mapping, ParseContext, Problem, SavedMapping, Severity, Summary, UmkmField, Workbook,
    detect, map_headers, parse_rows, read_workbook, rejected_workbook,
};
use sinergi_store::umkm::{ImportRow, ImportStatus, NewImport};
use sinergi_umkm::Prepared;
use std::collections::HashMap;

use super::exports::{XLSX, download};
use super::needs::current_year;
use super::umkm::tenant_of;
use super::upload::MultipartForm;
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

/// Rows with problems listed on the preview; the rest are in the rejected-rows download.
const PROBLEM_ROWS_SHOWN: usize = 300;

/// What an import's `mapping` column holds: the header-keyed mapping and the year the
/// figures are for when the file has no year column.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Layout {
    #[serde(flatten)]
    saved: SavedMapping,
    #[serde(default)]
    default_year: Option<i32>,
}

impl Layout {
    fn new(headers: &[String], mapping: &Mapping, default_year: i32) -> Self {
        Layout { saved: SavedMapping::new(headers, mapping), default_year: Some(default_year) }
    }

    fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"columns\":[]}".to_owned())
    }
}

/// The mapping an import keeps, for the headers found: a header-keyed layout (ours), or the
/// plain column list the command line writes.
fn mapping_for(stored: &str, headers: &[String]) -> Mapping {
    if let Ok(layout) = serde_json::from_str::<Layout>(stored) {
        return layout.saved.apply(headers);
    }
    match Mapping::from_json(stored) {
        Some(m) if m.0.len() == headers.len() => m,
        _ => map_headers(headers),
    }
}

fn stored_year(stored: &str) -> Option<i32> {
    serde_json::from_str::<Layout>(stored).ok().and_then(|l| l.default_year)
}

/// The headers of a chosen header row, as wide as the widest row below it.
fn headers_at(workbook: &Workbook, sheet: usize, row: usize) -> Option<Vec<String>> {
    let rows = &workbook.sheets.get(sheet)?.rows;
    let mut headers: Vec<String> = rows.get(row)?.iter().map(|c| c.text.trim().to_owned()).collect();
    let width = rows.iter().skip(row).map(Vec::len).max().unwrap_or(0);
    headers.resize(width.max(headers.len()), String::new());
    Some(headers)
}

/// Where the data is: the sheet (by name) and header row (index) the officer chose, if any.
struct Place<'a> {
    sheet: Option<&'a str>,
    header_row: Option<usize>,
}

/// Read a file, find or apply its layout, and parse its rows.
fn parse(
    bytes: &[u8],
    file_name: &str,
    tenant: &RegionCode,
    default_year: i32,
    place: Place<'_>,
    stored: Option<&str>,
) -> Result<Prepared, ImportError> {
    let workbook = read_workbook(bytes, file_name)?;
    let chosen = place.sheet.and_then(|name| workbook.sheets.iter().position(|s| s.name == name));
    let found = detect(&workbook);
    let detected = match (chosen, place.header_row) {
        // The layout detection found keeps its two-row header names.
        (Some(sheet), Some(row)) if !matches!(&found, Ok(d) if d.sheet == sheet && d.header_row == row) => {
            match headers_at(&workbook, sheet, row) {
                Some(headers) => Detected { sheet, header_row: row, mapping: map_headers(&headers), headers },
                None => found?,
            }
        }
        _ => found?,
    };
    let mut detected = detected;
    if let Some(stored) = stored {
        detected.mapping = mapping_for(stored, &detected.headers);
    }
    let rows = parse_rows(&workbook, &detected, &ParseContext { tenant: tenant.clone(), default_year })?;
    Ok(Prepared { workbook, detected, rows })
}

async fn parse_blocking(
    bytes: Vec<u8>,
    file_name: String,
    tenant: RegionCode,
    default_year: i32,
    sheet: Option<String>,
    header_row: Option<usize>,
    stored: Option<String>,
) -> AppResult<Result<Prepared, ImportError>> {
    tokio::task::spawn_blocking(move || {
        parse(
            &bytes,
            &file_name,
            &tenant,
            default_year,
            Place { sheet: sheet.as_deref(), header_row },
            stored.as_deref(),
        )
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("import parse: {e}")))
}

/// An import of the actor's tenant and its file read again with the layout it keeps.
async fn load(
    state: &AppState,
    actor: &Actor,
    tenant: &RegionCode,
    id: ImportId,
) -> AppResult<(ImportRow, i32, Result<Prepared, ImportError>)> {
    let import = state.store.umkm_import(actor, tenant, id).await?;
    let file = state.store.umkm_import_file(actor, tenant, id).await?;
    let year = stored_year(&import.mapping).unwrap_or_else(current_year);
    let header_row = usize::try_from(import.header_row).ok();
    let prepared = parse_blocking(
        file.bytes,
        import.file_name.clone(),
        tenant.clone(),
        year,
        Some(import.sheet.clone()),
        header_row,
        Some(import.mapping.clone()),
    )
    .await?;
    Ok((import, year, prepared))
}

fn import_id(s: &str) -> AppResult<ImportId> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// Excel's name for a column: 0 → "A", 26 → "AA".
fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// "(3)": the row of column numbers some registers put under the header.
fn is_column_number(text: &str) -> bool {
    let t = text.trim();
    t.len() > 2 && t.starts_with('(') && t.ends_with(')') && t[1..t.len() - 1].chars().all(|c| c.is_ascii_digit())
}

/// "Kecamatan (Kec.)", or just "NIK" when the column is named as the field.
fn field_and_column(tr: Tr, field: UmkmField, column: &str) -> String {
    let label = umkm_field_label(tr, field);
    if column.is_empty() || column.eq_ignore_ascii_case(&label) { label } else { format!("{label} ({column})") }
}

pub(crate) fn umkm_field_label(tr: Tr, f: UmkmField) -> String {
    tr.t(&format!("umkm-field-{}", f.as_str()))
}

fn import_error_text(tr: Tr, e: &ImportError) -> String {
    tr.t(&format!("umkm-import-error-{}", e.code()))
}

/// One problem in the officer's words: "Kecamatan (Kec.): «Cilegon» tidak dikenal di wilayah
/// ini. Mungkin: …".
pub(crate) fn problem_text(tr: Tr, p: &Problem) -> String {
    let mut reason = tr.t(&format!("umkm-problem-{}", p.code));
    if let Some(d) = p.detail {
        reason = format!("{reason} ({})", tr.t(&format!("umkm-detail-{d}")));
    }
    let mut text = match p.field {
        Some(f) => format!("{}: {reason}", field_and_column(tr, f, &p.column)),
        None => reason,
    };
    if !p.value.is_empty() {
        text = format!("{text} — «{}»", p.value);
    }
    if let Some(s) = suggestion_text(tr, p) {
        text = format!("{text}. {s}");
    }
    text
}

fn suggestion_text(tr: Tr, p: &Problem) -> Option<String> {
    let s = p.suggestion.as_deref().filter(|s| !s.is_empty())?;
    Some(if p.code.ends_with("-corrected") {
        tr.t1("umkm-read-as", "name", s)
    } else {
        tr.t1("umkm-suggestion", "names", s)
    })
}

// ---------------------------------------------------------------------------------------------
// Upload

pub struct ImportLine {
    pub id: String,
    pub source: String,
    pub file: String,
    pub status: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "umkm_import_start.html")]
struct StartPage {
    shell: Shell,
    sources: Vec<String>,
    source: String,
    year: String,
    errors: FormErrors,
    imports: Vec<ImportLine>,
    /// The programme wave this upload fills with applicants: (id, "Programme — Gelombang 6").
    wave: Option<(String, String)>,
}

/// The wave an applicants' list is uploaded for, checked to be the Pemda's (else 404).
async fn wave_target(state: &AppState, auth: &Authed, raw: &str) -> AppResult<Option<(WaveId, String)>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id: WaveId = raw.parse().map_err(|_| AppError::NotFound)?;
    let w = state.store.wave(&auth.actor, &tenant, id).await?;
    let p = state.store.programme(&auth.actor, &tenant, w.programme).await?;
    Ok(Some((id, format!("{} — {} {}", p.title, tr.t("wave"), w.number))))
}

async fn start_page(
    state: &AppState,
    auth: &Authed,
    source: String,
    year: String,
    errors: FormErrors,
    wave: Option<(WaveId, String)>,
) -> AppResult<StartPage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let imports = state.store.umkm_imports(&auth.actor, &tenant, 20).await?;
    Ok(StartPage {
        shell: Shell::new(&auth.ctx, "umkm-import-title"),
        sources: state.store.umkm_source_names(&auth.actor, &tenant).await?,
        source,
        year,
        errors,
        wave: wave.map(|(id, label)| (id.to_string(), label)),
        imports: imports
            .iter()
            .map(|i| ImportLine {
                id: i.id.to_string(),
                source: i.source.clone(),
                file: i.file_name.clone(),
                status: tr.t(&format!("umkm-import-status-{}", i.status().slug())),
                when: tr.datetime_ms(i.created_at),
            })
            .collect(),
    })
}

#[derive(Deserialize, Default)]
pub struct StartQuery {
    /// A programme wave: the list holds its applicants.
    #[serde(default)]
    gelombang: String,
}

pub async fn start(State(state): State<AppState>, auth: Authed, Query(q): Query<StartQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let wave = wave_target(&state, &auth, &q.gelombang).await?;
    let source =
        wave.as_ref().map(|(_, label)| tr.t1("umkm-import-applicants-source", "wave", label)).unwrap_or_default();
    let page = start_page(&state, &auth, source, current_year().to_string(), FormErrors::default(), wave).await?;
    Ok(render(&page))
}

pub async fn upload(
    State(state): State<AppState>,
    auth: Authed,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let mut form = MultipartForm::read(multipart).await?;
    let source = form.text("source").trim().to_owned();
    let year_text = form.text("year").trim().to_owned();
    let wave = wave_target(&state, &auth, form.text("wave")).await?;
    let mut errors = FormErrors::default();
    if source.is_empty() {
        errors.add(tr, &FieldError::new("source", "required"));
    } else if source.chars().count() > 80 {
        errors.add(tr, &FieldError::new("source", "too-long"));
    }
    let year = year_text.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y));
    if year.is_none() {
        errors.add_msg("year", tr.t("umkm-year-invalid"));
    }
    let file = match form.take_file("file") {
        None => Err(FieldError::new("file", "required")),
        Some(f) => check_spreadsheet("file", &f.name, f.bytes, MAX_FILE_BYTES),
    };
    let file = match file {
        Ok(f) => Some(f),
        Err(e) => {
            let e = if e.reason == "file-type-not-allowed" { FieldError::new("file", "umkm-file-type") } else { e };
            errors.add(tr, &e);
            None
        }
    };
    let (Some(file), Some(year), true) = (file, year, errors.is_empty()) else {
        return Ok(render_invalid(&start_page(&state, &auth, source, year_text, errors, wave).await?));
    };
    // The mapping saved for this source is used when the file's headers are the same.
    let saved = state.store.umkm_source_mapping(&auth.actor, &tenant, &source).await?;
    let prepared =
        parse_blocking(file.bytes.clone(), file.name.clone(), tenant.clone(), year, None, None, None).await?;
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            errors.add_msg("file", import_error_text(tr, &e));
            return Ok(render_invalid(&start_page(&state, &auth, source, year_text, errors, wave).await?));
        }
    };
    let d = &prepared.detected;
    let mapping = match saved.as_deref().and_then(|s| serde_json::from_str::<Layout>(s).ok()) {
        Some(layout) if layout.saved.matches(&d.headers) => layout.saved.apply(&d.headers),
        _ => d.mapping.clone(),
    };
    let sheet = prepared.workbook.sheets.get(d.sheet).map(|s| s.name.clone()).unwrap_or_default();
    let id = state
        .store
        .create_umkm_import_for(
            &auth.actor,
            &tenant,
            NewImport {
                source,
                file,
                sheet,
                header_row: i32::try_from(d.header_row).unwrap_or(0),
                mapping: Layout::new(&d.headers, &mapping, year).to_json(),
            },
            wave.map(|(id, _)| id),
        )
        .await?;
    Ok(see_other(&format!("/umkm/impor/{id}")))
}

// ---------------------------------------------------------------------------------------------
// Mapping and preview

pub struct ColumnView {
    pub index: usize,
    pub letter: String,
    pub header: String,
    pub samples: Vec<String>,
    pub selected: &'static str,
}

pub struct ProblemLine {
    pub error: bool,
    pub field: String,
    pub value: String,
    pub reason: String,
    pub suggestion: String,
}

pub struct ProblemRow {
    pub row: usize,
    pub rejected: bool,
    pub problems: Vec<ProblemLine>,
}

pub struct Committed {
    pub records: u64,
    pub new_businesses: u64,
    pub linked_existing: u64,
    pub sent_to_review: u64,
    pub rejected: u64,
    pub when: String,
    /// For an applicants' list: the wave and what the list did to it.
    pub applied: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "umkm_import.html")]
struct ImportPage {
    shell: Shell,
    id: String,
    source: String,
    source_href: String,
    file_name: String,
    year: i32,
    error: Option<String>,
    errors: FormErrors,
    sheets: Vec<String>,
    sheet: String,
    header_row: usize,
    columns: Vec<ColumnView>,
    fields: Vec<(&'static str, String)>,
    mapping_problems: Vec<String>,
    summary: Summary,
    problem_rows: Vec<ProblemRow>,
    more_problem_rows: usize,
    committed: Option<Committed>,
    can_commit: bool,
}

fn field_options(tr: Tr) -> Vec<(&'static str, String)> {
    UmkmField::ALL.iter().map(|f| (f.as_str(), umkm_field_label(tr, *f))).collect()
}

fn committed_of(tr: Tr, import: &ImportRow) -> Option<Committed> {
    if import.status() != ImportStatus::Committed {
        return None;
    }
    let v: serde_json::Value = import.summary.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
    let n = |k: &str| v.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
    Some(Committed {
        records: n("records"),
        new_businesses: n("new_businesses"),
        linked_existing: n("linked_existing"),
        sent_to_review: n("sent_to_review"),
        rejected: n("rejected"),
        when: import.committed_at.map(|t| tr.datetime_ms(t)).unwrap_or_default(),
        applied: import.wave.zip(import.applied()).map(|(w, (added, already))| {
            (
                w.to_string(),
                tr.targs("umkm-import-applied", &[("added", added.to_string()), ("already", already.to_string())]),
            )
        }),
    })
}

fn mapping_problem_text(tr: Tr, p: &sinergi_io::umkm::MappingProblem) -> String {
    let columns = p.columns.iter().map(|c| column_letter(*c)).collect::<Vec<_>>().join(", ");
    tr.targs(&format!("umkm-mapping-{}", p.code), &[("field", umkm_field_label(tr, p.field)), ("columns", columns)])
}

fn import_page(
    tr: Tr,
    auth: &Authed,
    import: &ImportRow,
    year: i32,
    prepared: &Result<Prepared, ImportError>,
    errors: FormErrors,
) -> ImportPage {
    let committed = committed_of(tr, import);
    let mut page = ImportPage {
        shell: Shell::new(&auth.ctx, "umkm-import-title"),
        id: import.id.to_string(),
        source: import.source.clone(),
        source_href: format!(
            "/umkm?{}",
            serde_urlencoded::to_string([("source", import.source.as_str())]).unwrap_or_default()
        ),
        file_name: import.file_name.clone(),
        year,
        error: None,
        errors,
        sheets: Vec::new(),
        sheet: import.sheet.clone(),
        header_row: usize::try_from(import.header_row).unwrap_or(0) + 1,
        columns: Vec::new(),
        fields: field_options(tr),
        mapping_problems: Vec::new(),
        summary: Summary::default(),
        problem_rows: Vec::new(),
        more_problem_rows: 0,
        can_commit: false,
        committed,
    };
    let p = match prepared {
        Ok(p) => p,
        Err(e) => {
            page.error = Some(import_error_text(tr, e));
            return page;
        }
    };
    let d = &p.detected;
    page.sheets = p.workbook.sheets.iter().map(|s| s.name.clone()).collect();
    page.sheet = p.workbook.sheets.get(d.sheet).map(|s| s.name.clone()).unwrap_or_default();
    page.header_row = sinergi_io::umkm::row_number(d.header_row);
    let data = p.workbook.sheets.get(d.sheet).map(|s| &s.rows[(d.header_row + 1).min(s.rows.len())..]).unwrap_or(&[]);
    page.columns = d
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| ColumnView {
            index: i,
            letter: column_letter(i),
            header: h.clone(),
            samples: data
                .iter()
                .filter_map(|r| r.get(i))
                .filter(|c| !c.is_blank() && !is_column_number(&c.text))
                .take(3)
                .map(|c| c.text.chars().take(40).collect())
                .collect(),
            selected: d.mapping.field(i).unwrap_or(UmkmField::Skip).as_str(),
        })
        .collect();
    page.mapping_problems = d.mapping.problems().iter().map(|m| mapping_problem_text(tr, m)).collect();
    page.summary = Summary::of(&p.rows);
    let with_problems: Vec<_> = p.rows.iter().filter(|r| !r.problems.is_empty()).collect();
    page.more_problem_rows = with_problems.len().saturating_sub(PROBLEM_ROWS_SHOWN);
    page.problem_rows = with_problems
        .iter()
        .take(PROBLEM_ROWS_SHOWN)
        .map(|r| ProblemRow {
            row: r.row,
            rejected: r.is_rejected(),
            problems: r
                .problems
                .iter()
                .map(|pr| {
                    let mut reason = tr.t(&format!("umkm-problem-{}", pr.code));
                    if let Some(dt) = pr.detail {
                        reason = format!("{reason} ({})", tr.t(&format!("umkm-detail-{dt}")));
                    }
                    ProblemLine {
                        error: pr.severity == Severity::Error,
                        field: pr.field.map(|f| field_and_column(tr, f, &pr.column)).unwrap_or_else(|| "—".into()),
                        value: pr.value.clone(),
                        reason,
                        suggestion: suggestion_text(tr, pr).unwrap_or_default(),
                    }
                })
                .collect(),
        })
        .collect();
    page.can_commit = page.committed.is_none() && page.mapping_problems.is_empty() && page.summary.accepted > 0;
    page
}

pub async fn show(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let (import, year, prepared) = load(&state, &auth.actor, &tenant, import_id(&id)?).await?;
    Ok(render(&import_page(auth.ctx.tr(), &auth, &import, year, &prepared, FormErrors::default())))
}

/// Change the sheet, the header row or what the columns hold, then preview again.
pub async fn save_mapping(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = import_id(&id)?;
    let (import, year, prepared) = load(&state, &auth.actor, &tenant, id).await?;
    let Ok(p) = &prepared else {
        return Ok(render_invalid(&import_page(tr, &auth, &import, year, &prepared, FormErrors::default())));
    };
    let sheet_name = form.get("sheet").map(|s| s.trim().to_owned()).unwrap_or_default();
    let sheet = p.workbook.sheets.iter().position(|s| s.name == sheet_name).unwrap_or(p.detected.sheet);
    let header_row = form
        .get("header_row")
        .and_then(|r| r.trim().parse::<usize>().ok())
        .filter(|r| *r >= 1)
        .map(|r| r - 1)
        .unwrap_or(p.detected.header_row);
    let mut errors = FormErrors::default();
    let Some(headers) = headers_at(&p.workbook, sheet, header_row) else {
        errors.add_msg("header_row", tr.t("umkm-header-row-invalid"));
        return Ok(render_invalid(&import_page(tr, &auth, &import, year, &prepared, errors)));
    };
    let moved = sheet != p.detected.sheet || header_row != p.detected.header_row;
    // A new header row has new columns: what was chosen for the old ones does not apply.
    let mapping = if moved {
        map_headers(&headers)
    } else {
        let mut m = Mapping(vec![None; headers.len()]);
        for i in 0..headers.len() {
            let field =
                form.get(&format!("col_{i}")).and_then(|s| UmkmField::parse(s)).filter(|f| *f != UmkmField::Skip);
            m.set(i, field.or(Some(UmkmField::Skip)));
        }
        m
    };
    let sheet_name = p.workbook.sheets.get(sheet).map(|s| s.name.clone()).unwrap_or_default();
    let layout = Layout::new(&headers, &mapping, year).to_json();
    state
        .store
        .set_umkm_import_mapping(&auth.actor, &tenant, id, &sheet_name, i32::try_from(header_row).unwrap_or(0), &layout)
        .await?;
    // The next file from this source is read the same way.
    state.store.save_umkm_source_mapping(&auth.actor, &tenant, &import.source, &layout).await?;
    Ok(see_other(&format!("/umkm/impor/{id}")))
}

/// The rejected rows as an XLSX with the reasons, to fix and import again.
pub async fn rejected(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let (import, _, prepared) = load(&state, &auth.actor, &tenant, import_id(&id)?).await?;
    let p = prepared.map_err(|e| AppError::Invalid(FieldError::new("file", e.code())))?;
    let reason = tr.t("umkm-rejected-reason-header");
    let bytes = tokio::task::spawn_blocking(move || {
        let rows: Vec<_> = p.rows.iter().filter(|r| r.is_rejected()).collect();
        rejected_workbook(&p.detected.headers, &rows, &reason, &|pr| problem_text(tr, pr))
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("rejected rows: {e}")))?
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    let stem = import.file_name.rsplit_once('.').map_or(import.file_name.as_str(), |(s, _)| s);
    Ok(download(bytes, XLSX, &format!("ditolak-{stem}.xlsx")))
}

/// Commit the accepted rows: entity resolution, then the store writes them whole, once.
pub async fn commit(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = import_id(&id)?;
    let (import, year, prepared) = load(&state, &auth.actor, &tenant, id).await?;
    if import.status() == ImportStatus::Committed {
        // A second click or a reload: the summary is on the import's page.
        return Ok(see_other(&format!("/umkm/impor/{id}")));
    }
    let Ok(p) = &prepared else {
        return Ok(render_invalid(&import_page(tr, &auth, &import, year, &prepared, FormErrors::default())));
    };
    if !p.detected.mapping.problems().is_empty() || p.rows.iter().all(|r| r.is_rejected()) {
        let mut errors = FormErrors::default();
        errors.add_msg("commit", tr.t("umkm-commit-nothing"));
        return Ok(render_invalid(&import_page(tr, &auth, &import, year, &prepared, errors)));
    }
    let (incoming, rejected) = p.incoming(&import.source, &import.file_name);
    match state.registries.commit(&state.store, &auth.actor, &tenant, Some((id, rejected)), incoming, false).await {
        Ok(_) => {
            // What was committed is how this source's files are read from now on.
            state.store.save_umkm_source_mapping(&auth.actor, &tenant, &import.source, &import.mapping).await?;
            Ok(see_other(&format!("/umkm/impor/{id}")))
        }
        Err(sinergi_umkm::RegistryError::Store(sinergi_store::StoreError::Conflict { field: "status" })) => {
            Ok(see_other(&format!("/umkm/impor/{id}")))
        }
        Err(e) => Err(e.into()),
    }
}

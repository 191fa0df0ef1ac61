//! CSR in the open: a Pemda's public transparency page (no login), the published evidence
//! files, and the same published realisation as open data (CSV and XLSX).
//!
//! Only what the store's public reader returns is shown: reports a verifier published and
//! needs past draft ([`Store::public_csr_book`]). Money a company did not report stays
//! "tidak dilaporkan", never a zero; a total over some unreported values says how many.
//!
//! The page is the same for every visitor (no session, no CSRF token in it; the language
//! switch is a plain link with `?lang=`), so a shared cache may keep it and we keep it too:
//! rendered pages live in [`PageCache`] for a minute.
//!
//! [`Store::public_csr_book`]: sinergi_store::Store::public_csr_book

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sinergi_domain::csr::{CsrCategory, ReportedTotal};
use sinergi_domain::format::Locale;
use sinergi_domain::{FileId, PartnerId, RegionCode};
use sinergi_io::export::{Sheet, Value, xlsx_book};
use sinergi_store::csr::{CsrBook, Realisation, kecamatan_of, totals_by};
use sinergi_store::tenants::Tenant;

use super::exports::{XLSX, download};
use super::upload::send_file;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

// ---------------------------------------------------------------------------------------------
// Words shared with the annual report

// Totals, windows and categories are worded once, in `pages::csr`.
pub(crate) use super::csr::{category_label, total_text, window_label};

pub(crate) fn region_name(code: &RegionCode) -> String {
    sinergi_reference::region(code).map(|r| r.name.clone()).unwrap_or_else(|| code.to_string())
}

/// "Kasemen · Banten": kecamatan, then desa/kelurahan.
pub(crate) fn location_label(location: &RegionCode) -> String {
    match kecamatan_of(location) {
        Some(k) if &k != location => format!("{} · {}", region_name(&k), region_name(location)),
        _ => region_name(location),
    }
}

// ---------------------------------------------------------------------------------------------
// The cache

/// How long a rendered page is reused. A report published a moment ago may be missing from
/// the page for up to this long; that is accepted (the same holds for any shared cache
/// honouring `max-age=60`).
const TTL: Duration = Duration::from_secs(60);
/// Pages kept at most: tenants × two languages × the filters people actually click. When
/// full, expired pages go first, then everything (a cold start costs one store read each).
const MAX_PAGES: usize = 512;

/// (tenant code, language, the page's canonical query).
type CacheKey = (String, &'static str, String);

#[derive(Default)]
pub struct PageCache {
    pages: Mutex<HashMap<CacheKey, (Instant, Arc<str>)>>,
}

impl PageCache {
    fn get(&self, key: &CacheKey) -> Option<Arc<str>> {
        let pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
        pages.get(key).filter(|(at, _)| at.elapsed() < TTL).map(|(_, html)| html.clone())
    }

    fn put(&self, key: CacheKey, html: Arc<str>) {
        let mut pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
        if pages.len() >= MAX_PAGES {
            pages.retain(|_, (at, _)| at.elapsed() < TTL);
            if pages.len() >= MAX_PAGES {
                pages.clear();
            }
        }
        pages.insert(key, (Instant::now(), html));
    }

    /// Drop a tenant's pages: called when this server publishes or withdraws something of
    /// theirs, so that the page shows it at once (other servers behind a balancer still wait
    /// out the TTL).
    pub fn forget_tenant(&self, tenant: &str) {
        let mut pages = self.pages.lock().unwrap_or_else(|p| p.into_inner());
        pages.retain(|(t, _, _), _| t != tenant);
    }

    /// Drop every page (the benchmark times a page built from the store this way).
    pub fn clear(&self) {
        self.pages.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

// ---------------------------------------------------------------------------------------------
// Filters (the drill-down)

#[derive(Deserialize, Default)]
pub struct PublicQuery {
    company: Option<String>,
    year: Option<String>,
    category: Option<String>,
    kecamatan: Option<String>,
    lang: Option<String>,
    page: Option<String>,
}

/// What the visitor drilled down to. A value that does not parse is ignored: a mangled link
/// shows the whole page rather than an error.
#[derive(Debug, Clone, PartialEq)]
struct Filter {
    company: Option<PartnerId>,
    year: Option<i32>,
    category: Option<CsrCategory>,
    kecamatan: Option<RegionCode>,
    /// Which page of the programme list, from 1 (0 reads as 1).
    page: usize,
}

impl Default for Filter {
    fn default() -> Self {
        Filter { company: None, year: None, category: None, kecamatan: None, page: 1 }
    }
}

/// Programmes per page of the list: a phone gets a short page however much a Pemda published.
const PER_PAGE: usize = 30;

#[derive(Clone, Copy, PartialEq)]
enum Facet {
    Company,
    Year,
    Category,
    Kecamatan,
}

impl Filter {
    fn parse(q: &PublicQuery) -> Filter {
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        Filter {
            company: text(&q.company).and_then(|s| s.parse().ok()),
            year: text(&q.year).and_then(|s| s.parse().ok()).filter(|y| (2000..=2100).contains(y)),
            category: text(&q.category).and_then(|s| s.parse().ok()),
            kecamatan: text(&q.kecamatan).and_then(|s| RegionCode::parse(&s).ok()),
            page: text(&q.page).and_then(|s| s.parse().ok()).filter(|p| (1..=10_000).contains(p)).unwrap_or(1),
        }
    }

    fn matches(&self, r: &Realisation) -> bool {
        self.company.is_none_or(|c| c == r.partner_id)
            && self.year.is_none_or(|y| y == r.year())
            && self.category.is_none_or(|c| c == r.category)
            && self.kecamatan.as_ref().is_none_or(|k| r.kecamatan().as_ref() == Some(k))
    }

    /// The same filter without one facet: a chart shows every choice of its own facet
    /// within the other facets the visitor chose.
    fn without(&self, facet: Facet) -> Filter {
        let mut f = Filter { page: 1, ..self.clone() };
        match facet {
            Facet::Company => f.company = None,
            Facet::Year => f.year = None,
            Facet::Category => f.category = None,
            Facet::Kecamatan => f.kecamatan = None,
        }
        f
    }

    /// The canonical query (fixed order, parsed values only): the cache key and every link.
    fn query(&self, lang: &str) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(c) = self.company {
            pairs.push(("company", c.to_string()));
        }
        if let Some(y) = self.year {
            pairs.push(("year", y.to_string()));
        }
        if let Some(c) = self.category {
            pairs.push(("category", c.slug().to_owned()));
        }
        if let Some(k) = &self.kecamatan {
            pairs.push(("kecamatan", k.to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs.push(("lang", lang.to_owned()));
        format!("?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }
}

// ---------------------------------------------------------------------------------------------
// The page

struct Bar {
    label: String,
    value: String,
    href: String,
    /// Percent of the largest known total in the chart.
    width: u64,
    active: bool,
}

struct Chart {
    title: String,
    testid: &'static str,
    bars: Vec<Bar>,
}

struct Chip {
    label: String,
    href: String,
}

struct EvidenceView {
    href: String,
    /// The thumbnail (or the image itself) when the file is a photo; a PDF is a link.
    image: Option<String>,
    label: String,
}

struct ProgrammeRow {
    title: String,
    company: String,
    category: String,
    location: String,
    window: String,
    value: String,
    unreported: bool,
    description: String,
    evidence: Vec<EvidenceView>,
}

struct OpenNeedRow {
    title: String,
    category: String,
    location: String,
    cost: String,
}

#[derive(Template)]
#[template(path = "csr_public.html")]
struct PublicPage {
    tr: Tr,
    title: String,
    intro: String,
    lang_id_href: String,
    lang_en_href: String,
    clear_href: String,
    realised: String,
    programmes: usize,
    companies: usize,
    unreported: usize,
    charts: Vec<Chart>,
    chips: Vec<Chip>,
    rows: Vec<ProgrammeRow>,
    /// All programmes the filters leave, over every page.
    row_count: usize,
    page_label: Option<String>,
    prev_href: Option<String>,
    next_href: Option<String>,
    open_needs: Vec<OpenNeedRow>,
    csv_href: String,
    xlsx_href: String,
    licence: String,
}

fn file_href(slug: &str, id: FileId) -> String {
    format!("/publik/{slug}/csr/berkas/{id}")
}

/// Bars of one chart, largest known total first, each a link that narrows the page to it.
fn chart<K: Ord + Clone>(
    tr: Tr,
    lang: &str,
    rows: &[&Realisation],
    key: impl Fn(&Realisation) -> K,
    label: impl Fn(&K, &Realisation) -> String,
    select: impl Fn(&K) -> Filter,
    active: impl Fn(&K) -> bool,
) -> Vec<Bar> {
    let owned: Vec<Realisation> = rows.iter().map(|r| (*r).clone()).collect();
    let totals = totals_by(&owned, &key);
    let max = totals.iter().map(|(_, t)| t.known).max().unwrap_or(0).max(1);
    totals
        .into_iter()
        .map(|(k, t)| {
            let first = owned.iter().find(|r| key(r) == k);
            let width = if t.known > 0 { (t.known.saturating_mul(100) / max).clamp(1, 100) as u64 } else { 0 };
            Bar {
                label: first.map(|r| label(&k, r)).unwrap_or_default(),
                value: total_text(tr, &t),
                // A new choice starts the list from its first page.
                href: Filter { page: 1, ..select(&k) }.query(lang),
                width,
                active: active(&k),
            }
        })
        .collect()
}

fn render_page(tr: Tr, tenant: &Tenant, book: &CsrBook, filter: &Filter) -> AppResult<String> {
    let lang = tr.lang();
    let slug = tenant.slug.to_string();
    let all = book.published_realisations();
    let within = |f: &Filter| -> Vec<&Realisation> { all.iter().filter(|r| f.matches(r)).collect() };
    let shown = within(filter);

    let total = ReportedTotal::of(shown.iter().map(|r| r.value));
    let programmes = shown.iter().map(|r| r.need_id).collect::<BTreeSet<_>>().len();
    let companies = shown.iter().map(|r| r.partner_id).collect::<BTreeSet<_>>().len();

    let f = filter;
    let charts = vec![
        Chart {
            title: tr.t("csrpub-by-company"),
            testid: "chart-company",
            bars: chart(
                tr,
                lang,
                &within(&f.without(Facet::Company)),
                |r| r.partner_id,
                |_, r| r.partner_name.clone(),
                |k| Filter { company: Some(*k), ..f.clone() },
                |k| f.company == Some(*k),
            ),
        },
        Chart {
            title: tr.t("csrpub-by-year"),
            testid: "chart-year",
            bars: chart(
                tr,
                lang,
                &within(&f.without(Facet::Year)),
                |r| r.year(),
                |k, _| k.to_string(),
                |k| Filter { year: Some(*k), ..f.clone() },
                |k| f.year == Some(*k),
            ),
        },
        Chart {
            title: tr.t("csrpub-by-category"),
            testid: "chart-category",
            bars: chart(
                tr,
                lang,
                &within(&f.without(Facet::Category)),
                |r| r.category.slug(),
                |_, r| category_label(tr, r.category),
                |k| Filter { category: k.parse().ok(), ..f.clone() },
                |k| f.category.is_some_and(|c| c.slug() == *k),
            ),
        },
        Chart {
            title: tr.t("csrpub-by-kecamatan"),
            testid: "chart-kecamatan",
            bars: chart(
                tr,
                lang,
                &within(&f.without(Facet::Kecamatan)),
                |r| r.kecamatan(),
                |k, _| k.as_ref().map(region_name).unwrap_or_else(|| tr.t("csrpub-unknown-kecamatan")),
                |k| Filter { kecamatan: k.clone(), ..f.clone() },
                |k| k.is_some() && f.kecamatan == *k,
            ),
        },
    ];

    let mut chips = Vec::new();
    if let Some(c) = f.company {
        let name = all.iter().find(|r| r.partner_id == c).map(|r| r.partner_name.clone()).unwrap_or_default();
        chips.push(Chip { label: name, href: f.without(Facet::Company).query(lang) });
    }
    if let Some(y) = f.year {
        chips.push(Chip { label: y.to_string(), href: f.without(Facet::Year).query(lang) });
    }
    if let Some(c) = f.category {
        chips.push(Chip { label: category_label(tr, c), href: f.without(Facet::Category).query(lang) });
    }
    if let Some(k) = &f.kecamatan {
        chips.push(Chip { label: region_name(k), href: f.without(Facet::Kecamatan).query(lang) });
    }

    let page_no = f.page.max(1);
    let pages = shown.len().div_ceil(PER_PAGE).max(1);
    let prev_href = (page_no > 1).then(|| Filter { page: page_no - 1, ..f.clone() }.query(lang));
    let next_href = (page_no < pages).then(|| Filter { page: page_no + 1, ..f.clone() }.query(lang));
    let rows = shown
        .iter()
        .skip((page_no - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|r| ProgrammeRow {
            title: r.need_title.clone(),
            company: r.partner_name.clone(),
            category: category_label(tr, r.category),
            location: location_label(&r.location),
            window: window_label(tr, book.windows, r.window),
            value: r.value.known().map(|v| tr.rupiah(v)).unwrap_or_else(|| tr.t("csrpub-not-reported")),
            unreported: r.value.known().is_none(),
            description: r.description.clone(),
            evidence: r
                .evidence
                .iter()
                .map(|e| EvidenceView {
                    href: file_href(&slug, e.file_id),
                    image: e.file_type.is_image().then(|| file_href(&slug, e.thumb_id.unwrap_or(e.file_id))),
                    label: format!("{}: {}", super::csr::evidence_label(tr, e.kind), e.file_name),
                })
                .collect(),
        })
        .collect();

    // Open needs answer the category and kecamatan a visitor chose; company and year say
    // nothing about a need nobody funds yet.
    let open_needs = book
        .needs
        .iter()
        .filter(|n| n.is_unfunded())
        .filter(|n| f.category.is_none_or(|c| c == n.need.category))
        .filter(|n| f.kecamatan.as_ref().is_none_or(|k| n.need.kecamatan().as_ref() == Some(k)))
        .map(|n| OpenNeedRow {
            title: n.need.title.clone(),
            category: category_label(tr, n.need.category),
            location: location_label(&n.need.location),
            cost: n.need.estimated_cost.map(|c| tr.rupiah(c)).unwrap_or_else(|| tr.t("csrpub-not-estimated")),
        })
        .collect();

    let page = PublicPage {
        tr,
        title: tr.t1("csrpub-title", "name", &tenant.name),
        intro: tr.t1("csrpub-intro", "name", &tenant.name),
        lang_id_href: f.query("id"),
        lang_en_href: f.query("en"),
        clear_href: Filter::default().query(lang),
        realised: total_text(tr, &total),
        programmes,
        companies,
        unreported: total.unknown_count,
        charts,
        chips,
        rows,
        row_count: shown.len(),
        page_label: (pages > 1)
            .then(|| tr.targs("csrpub-page-of", &[("page", page_no.to_string()), ("pages", pages.to_string())])),
        prev_href,
        next_href,
        open_needs,
        csv_href: format!("/publik/{slug}/csr.csv"),
        xlsx_href: format!("/publik/{slug}/csr.xlsx"),
        licence: tr.t1("csrpub-licence", "name", &tenant.name),
    };
    page.render().map_err(|e| AppError::Internal(anyhow::Error::new(e)))
}

/// `GET /publik/{tenant_slug}/csr`: the transparency page, for anyone.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let tenant = state.store.public_tenant(&slug).await?;
    // An explicit `?lang=` wins (the page's own language links); otherwise the visitor's
    // language cookie, as on the login page.
    let explicit = q.lang.as_deref().and_then(|l| Locale::parse(l).ok());
    let tr = Tr::new(explicit.unwrap_or(ctx.locale));
    let filter = Filter::parse(&q);
    let key = (tenant.code.to_string(), tr.lang(), filter.query(tr.lang()));
    let html = match state.csr_public_cache.get(&key) {
        Some(html) => html,
        None => {
            let book = state.store.public_csr_book(&tenant.code).await?;
            let html: Arc<str> = render_page(tr, &tenant, &book, &filter)?.into();
            state.csr_public_cache.put(key, html.clone());
            html
        }
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=60"),
            (header::CONTENT_LANGUAGE, tr.lang()),
        ],
        html.to_string(),
    )
        .into_response();
    if explicit.is_none() {
        // Without `?lang=` the language came from a cookie.
        response.headers_mut().insert(header::VARY, HeaderValue::from_static("cookie"));
    }
    Ok(response)
}

/// `GET /publik/{tenant_slug}/csr/berkas/{file_id}`: a photo or document the page links to,
/// and nothing else (the store refuses any file not on the public page).
pub async fn file(State(state): State<AppState>, Path((slug, file_id)): Path<(String, String)>) -> AppResult<Response> {
    let tenant = state.store.public_tenant(&slug).await?;
    let id: FileId = file_id.parse().map_err(|_| AppError::NotFound)?;
    let content = state.store.public_csr_file(&tenant.code, id).await?;
    let mut response = send_file(&content.name, content.file_type, content.bytes);
    // Published evidence does not change; a phone should not fetch a photo twice.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Open data

/// The columns of the open data, the same in CSV and XLSX and in every page language: a
/// dataset's column names are its interface, so they stay fixed (Indonesian, snake_case).
const OPEN_DATA_COLUMNS: [&str; 14] = [
    "pemda",
    "tahun",
    "periode",
    "perusahaan",
    "program",
    "kategori",
    "kode_kecamatan",
    "kecamatan",
    "kode_desa",
    "desa",
    "nilai_rupiah",
    "nilai_dilaporkan",
    "deskripsi",
    "kode_kategori",
];

const CC_BY: &str = "https://creativecommons.org/licenses/by/4.0/";
const ODBL: &str = "https://opendatacommons.org/licenses/odbl/1-0/";

struct OpenRow {
    year: i32,
    window: String,
    company: String,
    programme: String,
    category: String,
    category_code: &'static str,
    kecamatan: Option<RegionCode>,
    desa: Option<RegionCode>,
    value: Option<i64>,
    description: String,
}

/// The published realisation as rows. The words (category, period) are Indonesian whatever
/// the visitor's language: one dataset, not one per language.
async fn open_rows(state: &AppState, slug: &str) -> AppResult<(Tenant, Vec<OpenRow>)> {
    let tenant = state.store.public_tenant(slug).await?;
    let book = state.store.public_csr_book(&tenant.code).await?;
    let tr = Tr::new(Locale::Id);
    let rows = book
        .published_realisations()
        .into_iter()
        .map(|r| {
            let kecamatan = r.kecamatan();
            let desa = (kecamatan.as_ref() != Some(&r.location)).then(|| r.location.clone());
            OpenRow {
                year: r.year(),
                window: window_label(tr, book.windows, r.window),
                company: r.partner_name,
                programme: r.need_title,
                category: category_label(tr, r.category),
                category_code: r.category.slug(),
                kecamatan,
                desa,
                value: r.value.known(),
                description: r.description,
            }
        })
        .collect();
    Ok((tenant, rows))
}

fn licence_headers(tenant: &Tenant) -> [(header::HeaderName, String); 1] {
    [(header::LINK, format!("<{CC_BY}>; rel=\"license\"; title=\"CC BY 4.0 ({})\"", ascii(&tenant.name)))]
}

/// Header values must be visible ASCII.
fn ascii(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect()
}

/// `GET /publik/{tenant_slug}/csr.csv`: one row per published realisation.
///
/// UTF-8 with a byte-order mark: without it Excel (what most Pemda staff and journalists
/// open a CSV with) reads the file as Windows-1252 and mangles names; pandas, R and
/// LibreOffice all skip the mark. The licence is not in the file (a comment line would break
/// CSV readers): the response's `Link: rel="license"` header and the page state it.
pub async fn csv(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let (tenant, rows) = open_rows(&state, &slug).await?;
    let internal = |e: csv::Error| AppError::Internal(anyhow::Error::new(e));
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(OPEN_DATA_COLUMNS).map_err(internal)?;
    let code = |c: &Option<RegionCode>| c.as_ref().map(|c| c.to_string()).unwrap_or_default();
    let name = |c: &Option<RegionCode>| c.as_ref().map(region_name).unwrap_or_default();
    for r in &rows {
        w.write_record([
            tenant.name.clone(),
            r.year.to_string(),
            r.window.clone(),
            r.company.clone(),
            r.programme.clone(),
            r.category.clone(),
            code(&r.kecamatan),
            name(&r.kecamatan),
            code(&r.desa),
            name(&r.desa),
            // Unknown is an empty cell, never 0.
            r.value.map(|v| v.to_string()).unwrap_or_default(),
            if r.value.is_some() { "ya" } else { "tidak" }.to_owned(),
            r.description.clone(),
            r.category_code.to_owned(),
        ])
        .map_err(internal)?;
    }
    let bytes = w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
    let mut response = download(bytes, "text/csv; charset=utf-8", &format!("realisasi-csr-{slug}.csv"));
    for (name, value) in licence_headers(&tenant) {
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, v);
        }
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    Ok(response)
}

/// `GET /publik/{tenant_slug}/csr.xlsx`: the same rows, and a second sheet with the licence.
pub async fn xlsx(State(state): State<AppState>, Path(slug): Path<String>) -> AppResult<Response> {
    let (tenant, rows) = open_rows(&state, &slug).await?;
    let tr = Tr::new(Locale::Id);
    let region = |c: &Option<RegionCode>, f: fn(&RegionCode) -> String| c.as_ref().map(f).map(Value::Text);
    let data: Vec<Vec<Value>> = rows
        .into_iter()
        .map(|r| {
            vec![
                Value::from(tenant.name.clone()),
                Value::Number(f64::from(r.year)),
                Value::from(r.window),
                Value::from(r.company),
                Value::from(r.programme),
                Value::from(r.category),
                region(&r.kecamatan, |c| c.to_string()).unwrap_or(Value::Empty),
                region(&r.kecamatan, region_name).unwrap_or(Value::Empty),
                region(&r.desa, |c| c.to_string()).unwrap_or(Value::Empty),
                region(&r.desa, region_name).unwrap_or(Value::Empty),
                r.value.map(Value::Rupiah).unwrap_or(Value::Empty),
                Value::from(if r.value.is_some() { "ya" } else { "tidak" }),
                Value::from(r.description),
                Value::from(r.category_code),
            ]
        })
        .collect();
    let headers: Vec<String> = OPEN_DATA_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    let licence_rows: Vec<Vec<Value>> = [
        tr.t1("csrpub-licence", "name", &tenant.name),
        CC_BY.to_owned(),
        tr.t("csrpub-licence-regions"),
        ODBL.to_owned(),
        tr.t("csrpub-licence-empty-value"),
    ]
    .into_iter()
    .map(|line| vec![Value::Text(line)])
    .collect();
    let licence_header = vec![tr.t("csrpub-licence-sheet")];
    let data_sheet = tr.t("csrpub-data-sheet");
    let licence_sheet = tr.t("csrpub-licence-sheet");
    let title = tr.t("csrpub-data-title");
    let bytes = xlsx_book(&[
        Sheet { name: &data_sheet, title: &title, subtitle: &tenant.name, headers: &headers, rows: &data },
        Sheet {
            name: &licence_sheet,
            title: &licence_sheet.to_uppercase(),
            subtitle: &tenant.name,
            headers: &licence_header,
            rows: &licence_rows,
        },
    ])
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    let mut response = download(bytes, XLSX, &format!("realisasi-csr-{slug}.xlsx"));
    for (name, value) in licence_headers(&tenant) {
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(name, v);
        }
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sinergi_domain::csr::{ReportingWindows, Window};

    #[test]
    fn filters_parse_leniently_and_link_canonically() {
        let q = PublicQuery {
            company: Some("not-a-uuid".into()),
            year: Some(" 2026 ".into()),
            category: Some("pendidikan".into()),
            kecamatan: Some("36.73.02".into()),
            lang: None,
            page: Some("2".into()),
        };
        let f = Filter::parse(&q);
        assert_eq!(f.company, None);
        assert_eq!(f.year, Some(2026));
        assert_eq!(f.category, Some(CsrCategory::Pendidikan));
        assert_eq!(f.query("en"), "?year=2026&category=pendidikan&kecamatan=36.73.02&page=2&lang=en");
        // Dropping a filter starts the list again from its first page.
        assert_eq!(f.without(Facet::Year).query("id"), "?category=pendidikan&kecamatan=36.73.02&lang=id");
        for bad in ["0", "-1", "x", "10001"] {
            assert_eq!(Filter::parse(&PublicQuery { page: Some(bad.into()), ..Default::default() }).page, 1, "{bad}");
        }
        assert_eq!(Filter::parse(&PublicQuery { year: Some("99999".into()), ..Default::default() }), Filter::default());
    }

    #[test]
    fn totals_say_what_was_not_reported() {
        use sinergi_domain::csr::Reported;
        let tr = Tr::new(Locale::Id);
        let partial = ReportedTotal::of([Reported::Rupiah(480_000_000), Reported::Unknown]);
        assert_eq!(total_text(tr, &partial), "Rp 480.000.000 + 1 tidak dilaporkan");
        assert_eq!(total_text(tr, &ReportedTotal::of([Reported::Unknown])), "tidak dilaporkan");
        assert_eq!(total_text(Tr::new(Locale::En), &ReportedTotal::of([Reported::Unknown])), "not reported");
        assert_eq!(total_text(tr, &ReportedTotal::of([])), "Rp 0");
        let w = Window { year: 2026, index: 3 };
        assert_eq!(window_label(tr, ReportingWindows::default(), w), "Triwulan 3 2026");
        assert_eq!(window_label(Tr::new(Locale::En), ReportingWindows::default(), w), "Q3 2026");
    }

    #[test]
    fn the_cache_forgets_when_full() {
        let cache = PageCache::default();
        for i in 0..MAX_PAGES + 5 {
            cache.put(("36.73".into(), "id", i.to_string()), Arc::from("x"));
        }
        let len = cache.pages.lock().expect("lock").len();
        assert!(len <= MAX_PAGES, "{len}");
        assert!(cache.get(&("36.73".into(), "id", (MAX_PAGES + 4).to_string())).is_some());
    }
}

//! The UMKM registry's pages: the list with its filters and XLSX export, one business whole
//! (figures, permits, where every value came from, splits and undoable merges), the duplicate
//! review queue with its side-by-side merge form, and the naik kelas report. The import wizard
//! lives in [`super::umkm_import`].
//!
//! The store decides who may see and do what (`sinergi_store::umkm`); these pages only offer
//! the buttons the store would accept. Personal data stays masked (NIK, NPWP, phone) unless the
//! role may reveal it, and a whole NIK is shown only after a reason the store audits.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::umkm::{Classification, PermitKind, SizeClass};
use sinergi_domain::{Actor, BusinessId, KbliCode, MergeId, Permission, RegionCode, ReviewId, SourceRecordId};
use sinergi_io::export::{Sheet, Value, xlsx};
use sinergi_store::umkm::{Business, BusinessDetail, BusinessFilter, ClaimStatus, Field, FieldChoice, ReviewStatus};

use super::exports::{XLSX, download, letterhead};
use super::needs::current_year;
use super::{FormErrors, Shell, render, render_invalid, see_other, umkm_search};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::jobs::today_wib;

/// Rows per page of the registry list.
const PAGE: u64 = 50;
/// The most businesses one export holds.
const EXPORT_MAX: u64 = 100_000;
/// A permit expiring within this many days is flagged.
const EXPIRING_DAYS: i64 = 90;

// ---------------------------------------------------------------------------------------------
// Words and values shared by the registry's pages

/// The registry is a Pemda's; the platform operator works on it through the command line.
pub(crate) fn tenant_of(actor: &Actor) -> AppResult<RegionCode> {
    actor.scope.tenant().cloned().ok_or(AppError::Forbidden)
}

pub(crate) fn class_label(tr: Tr, c: Option<SizeClass>) -> String {
    c.map(|c| tr.t(&format!("umkm-class-{}", c.slug()))).unwrap_or_else(|| "—".into())
}

/// "Cikande": a region's name, or its code when the reference does not know it.
pub(crate) fn region_name(code: Option<&RegionCode>) -> String {
    match code {
        Some(c) => sinergi_reference::region(c).map(|r| r.name.clone()).unwrap_or_else(|| c.to_string()),
        None => "—".into(),
    }
}

/// "0812-••••-7890": enough to recognise a number, not to call it.
pub(crate) fn mask_phone(national: &str) -> String {
    let digits: Vec<char> = national.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return "••••".into();
    }
    let head: String = digits[..4].iter().collect();
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("{head}-••••-{tail}")
}

/// A phone number as this role may see it.
fn phone_for(actor: &Actor, phone: Option<&str>) -> String {
    match phone {
        Some(p) if actor.can(Permission::RevealPersonalData) => p.to_owned(),
        Some(p) => mask_phone(p),
        None => "—".into(),
    }
}

pub(crate) fn field_label(tr: Tr, f: Field) -> String {
    let slug = match f {
        Field::Name => "business_name",
        other => other.slug(),
    };
    tr.t(&format!("umkm-field-{slug}"))
}

fn kbli_title(code: &KbliCode) -> String {
    sinergi_reference::kbli(code).map(|k| k.title.clone()).unwrap_or_default()
}

fn money(tr: Tr, v: Option<i64>) -> String {
    v.map(|v| tr.rupiah(v)).unwrap_or_else(|| "—".into())
}

/// A match weight as "+7,25" (log2 of a likelihood ratio; positive for agreement).
fn signed(tr: Tr, w: f64) -> String {
    let rounded = (w * 100.0).round() / 100.0;
    let text = tr.decimal(rounded.abs());
    if rounded < 0.0 { format!("−{text}") } else { format!("+{text}") }
}

pub(crate) fn percent(tr: Tr, p: f64) -> String {
    format!("{} %", tr.decimal((p * 1000.0).round() / 10.0))
}

fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s.get(..10)?, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

fn long_date(tr: Tr, s: Option<&str>) -> String {
    match s {
        Some(s) => parse_date(s).map(|d| sinergi_domain::format::format_date(d, tr.locale)).unwrap_or_else(|| s.into()),
        None => "—".into(),
    }
}

fn business_id(s: &str) -> AppResult<BusinessId> {
    s.parse().map_err(|_| AppError::NotFound)
}

fn review_id(s: &str) -> AppResult<ReviewId> {
    s.parse().map_err(|_| AppError::NotFound)
}

fn merge_id(s: &str) -> AppResult<MergeId> {
    s.parse().map_err(|_| AppError::NotFound)
}

/// The value of one field of a business, in words (personal numbers masked).
fn field_text(tr: Tr, actor: &Actor, b: &Business, f: Field) -> Option<String> {
    match f {
        Field::Name => Some(b.name.clone()),
        Field::LegalForm => b.legal_form.map(|l| tr.t(&format!("umkm-legal-{}", l.slug()))),
        Field::OwnerName => b.owner_name.clone(),
        Field::Nik => b.nik_masked.clone(),
        Field::Sex => b.sex.map(|s| tr.t(&format!("umkm-sex-{}", s.slug()))),
        Field::BirthYear => b.birth_year.map(|y| y.to_string()),
        Field::Nib => b.nib.clone(),
        Field::Npwp => b.npwp_masked.clone(),
        Field::Kbli => (!b.kbli.is_empty()).then(|| {
            b.kbli.iter().map(|k| format!("{k} {}", kbli_title(k)).trim().to_owned()).collect::<Vec<_>>().join("; ")
        }),
        Field::Address => b.address.clone(),
        Field::Desa => b.desa.as_ref().map(|d| region_name(Some(d))),
        Field::Kecamatan => b.kecamatan.as_ref().map(|k| region_name(Some(k))),
        Field::Phone => b.phone.as_deref().map(|p| phone_for(actor, Some(p))),
        Field::Email => b.email.clone(),
        Field::Products => b.products.clone(),
        Field::Employees => b.employees.map(|e| tr.number(i64::from(e))),
    }
}

/// One line of an entity-resolution explanation.
pub struct ExplainLine {
    pub field: String,
    pub level: String,
    pub weight: String,
    pub positive: bool,
}

pub struct Explain {
    pub prior: String,
    pub lines: Vec<ExplainLine>,
    pub weight: String,
    pub probability: String,
}

/// The stored explanation (`sinergi_engines::er::Explanation` as JSON) in words.
pub(crate) fn explain(tr: Tr, v: &serde_json::Value) -> Option<Explain> {
    let num = |v: &serde_json::Value, k: &str| v.get(k).and_then(serde_json::Value::as_f64);
    let fields = v.get("fields")?.as_array()?;
    let lines = fields
        .iter()
        .map(|f| {
            let slug = f.get("field").and_then(|s| s.as_str()).unwrap_or_default();
            let w = num(f, "weight").unwrap_or(0.0);
            let mut level = f.get("level").and_then(|s| s.as_str()).unwrap_or_default().to_owned();
            if let Some(tf) = num(f, "term_frequency") {
                level = format!("{level} ({})", tr.t1("umkm-term-frequency", "share", percent(tr, tf)));
            }
            ExplainLine { field: tr.t(&format!("umkm-field-{slug}")), level, weight: signed(tr, w), positive: w > 0.0 }
        })
        .collect();
    Some(Explain {
        prior: signed(tr, num(v, "prior_weight").unwrap_or(0.0)),
        lines,
        weight: signed(tr, num(v, "weight").unwrap_or(0.0)),
        probability: percent(tr, num(v, "probability").unwrap_or(0.0)),
    })
}

// ---------------------------------------------------------------------------------------------
// The registry list

/// The list's filters as the query string carries them; anything unreadable is ignored.
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kecamatan: String,
    #[serde(default)]
    desa: String,
    #[serde(default)]
    class: String,
    #[serde(default)]
    kbli: String,
    #[serde(default)]
    permit: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    in_review: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    include_personal: String,
    #[serde(default)]
    reason: String,
}

impl ListQuery {
    fn filter(&self) -> BusinessFilter {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let code = |s: &str| RegionCode::parse(s.trim()).ok();
        BusinessFilter {
            q: text(&self.q),
            kecamatan: code(&self.kecamatan),
            desa: code(&self.desa),
            class: self.class.parse().ok(),
            kbli: KbliCode::parse(self.kbli.trim()).ok(),
            permit: self.permit.parse().ok(),
            source: text(&self.source),
            year: self.year.trim().parse().ok().filter(|y| (1900..=2100).contains(y)),
            in_review: !self.in_review.is_empty(),
            ids: None,
        }
    }

    fn page(&self) -> u64 {
        self.page.trim().parse().ok().filter(|p| *p >= 1).unwrap_or(1)
    }

    /// The filters (without page) as a query string, for pagination and export links.
    fn filters_query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("q", &self.q),
            ("kecamatan", &self.kecamatan),
            ("desa", &self.desa),
            ("class", &self.class),
            ("kbli", &self.kbli),
            ("permit", &self.permit),
            ("source", &self.source),
            ("year", &self.year),
            ("in_review", &self.in_review),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

pub struct ListRow {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub kecamatan: String,
    pub kbli: String,
    pub class_capital: String,
    pub class_sales: String,
    pub disagrees: bool,
    pub omzet: String,
    pub year: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "umkm_list.html")]
struct ListPage {
    shell: Shell,
    form: ListQuery,
    rows: Vec<ListRow>,
    total: String,
    shown: String,
    kecamatans: Vec<(String, String)>,
    desas: Vec<(String, String)>,
    classes: Vec<(String, String)>,
    permits: Vec<(String, String)>,
    sources: Vec<String>,
    prev_href: Option<String>,
    next_href: Option<String>,
    export_href: String,
    can_manage: bool,
    can_reveal: bool,
    open_reviews: u64,
    filtered: bool,
    /// "index" or "sql": which path answered (see [`umkm_search::ListedBy`]).
    listed_by: &'static str,
}

fn class_options(tr: Tr) -> Vec<(String, String)> {
    SizeClass::ALL.iter().map(|c| (c.slug().to_owned(), class_label(tr, Some(*c)))).collect()
}

pub(crate) fn permit_options(tr: Tr) -> Vec<(String, String)> {
    PermitKind::ALL.iter().map(|p| (p.slug().to_owned(), tr.t(&format!("umkm-permit-{}", p.slug())))).collect()
}

fn children_options(parent: Option<&RegionCode>) -> Vec<(String, String)> {
    match parent {
        Some(p) => sinergi_reference::children(Some(p))
            .into_iter()
            .map(|r| (r.code.to_string(), r.title().into_owned()))
            .collect(),
        None => Vec::new(),
    }
}

pub async fn list(State(state): State<AppState>, auth: Authed, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let filter = q.filter();
    let page = q.page();
    let data = umkm_search::list_page(&state, &auth.actor, &tenant, &filter, (page - 1) * PAGE, PAGE).await?;
    let can_manage = auth.actor.can(Permission::ManageUmkm);
    let open_reviews = if can_manage { state.store.umkm_open_review_count(&auth.actor, &tenant).await? } else { 0 };
    let rows = data
        .rows
        .iter()
        .map(|r| ListRow {
            id: r.id.to_string(),
            name: r.name.clone(),
            owner: r.owner_name.clone().unwrap_or_else(|| "—".into()),
            kecamatan: region_name(r.kecamatan.as_ref()),
            kbli: r
                .kbli
                .as_deref()
                .map(|k| match KbliCode::parse(k) {
                    Ok(code) => format!("{k} {}", kbli_title(&code)).trim().to_owned(),
                    Err(_) => k.to_owned(),
                })
                .unwrap_or_default(),
            class_capital: class_label(tr, r.classification.by_capital),
            class_sales: class_label(tr, r.classification.by_sales),
            disagrees: r.classification.disagrees(),
            omzet: money(tr, r.sales),
            year: r.latest_year.map(|y| y.to_string()).unwrap_or_default(),
            phone: phone_for(&auth.actor, r.phone.as_deref()),
        })
        .collect::<Vec<_>>();
    let base = q.filters_query();
    let href = |p: u64| {
        let sep = if base.is_empty() { "" } else { "&" };
        format!("/umkm?{base}{sep}page={p}")
    };
    let first = (page - 1) * PAGE;
    let kecamatan = RegionCode::parse(q.kecamatan.trim()).ok();
    Ok(render(&ListPage {
        shell: Shell::new(&auth.ctx, "umkm-title"),
        total: tr.number(i64::try_from(data.total).unwrap_or(i64::MAX)),
        shown: if rows.is_empty() {
            String::new()
        } else {
            tr.targs(
                "umkm-shown",
                &[("from", (first + 1).to_string()), ("to", (first + rows.len() as u64).to_string())],
            )
        },
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (first + PAGE < data.total).then(|| href(page + 1)),
        export_href: if base.is_empty() { "/umkm/export.xlsx".into() } else { format!("/umkm/export.xlsx?{base}") },
        rows,
        kecamatans: children_options(Some(&tenant)),
        desas: children_options(kecamatan.as_ref()),
        classes: class_options(tr),
        permits: permit_options(tr),
        sources: state.store.umkm_source_names(&auth.actor, &tenant).await?,
        can_manage,
        can_reveal: auth.actor.can(Permission::RevealPersonalData),
        open_reviews,
        filtered: !q.filters_query().is_empty(),
        listed_by: data.by.slug(),
        form: q,
    }))
}

// ---------------------------------------------------------------------------------------------
// The XLSX export

pub async fn export(State(state): State<AppState>, auth: Authed, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let personal = !q.include_personal.is_empty();
    if personal && !auth.actor.can(Permission::RevealPersonalData) {
        return Err(AppError::Forbidden);
    }
    let listed = umkm_search::export_rows(&state, &auth.actor, &tenant, &q.filter(), EXPORT_MAX).await?;
    // The reason is checked and written down before any number leaves.
    let niks = if personal {
        let ids: Vec<BusinessId> = listed.iter().map(|r| r.id).collect();
        state.store.umkm_export_personal(&auth.actor, &tenant, &q.reason, &ids).await?
    } else {
        HashMap::new()
    };
    let mut keys = vec![
        "umkm-field-business_name",
        "umkm-field-owner_name",
        "umkm-field-kecamatan",
        "umkm-field-desa",
        "umkm-field-kbli",
        "umkm-field-nib",
        "umkm-col-latest-year",
        "umkm-field-capital",
        "umkm-field-sales",
        "umkm-class-by-capital",
        "umkm-class-by-sales",
    ];
    if personal {
        keys.extend(["umkm-field-nik", "umkm-field-phone"]);
    }
    let headers: Vec<String> = keys.iter().map(|k| tr.t(k)).collect();
    let opt = |s: &Option<String>| s.as_deref().map(Value::from).unwrap_or(Value::Empty);
    let rows: Vec<Vec<Value>> = listed
        .iter()
        .map(|r| {
            let mut row = vec![
                Value::Text(r.name.clone()),
                opt(&r.owner_name),
                r.kecamatan.as_ref().map(|c| Value::Text(region_name(Some(c)))).unwrap_or(Value::Empty),
                r.desa.as_ref().map(|c| Value::Text(region_name(Some(c)))).unwrap_or(Value::Empty),
                opt(&r.kbli),
                opt(&r.nib),
                r.latest_year.map(|y| Value::Number(f64::from(y))).unwrap_or(Value::Empty),
                r.capital.map(Value::Rupiah).unwrap_or(Value::Empty),
                r.sales.map(Value::Rupiah).unwrap_or(Value::Empty),
                r.classification.by_capital.map(|c| Value::Text(class_label(tr, Some(c)))).unwrap_or(Value::Empty),
                r.classification.by_sales.map(|c| Value::Text(class_label(tr, Some(c)))).unwrap_or(Value::Empty),
            ];
            if personal {
                row.push(niks.get(&r.id).map(|n| Value::Text(n.clone())).unwrap_or(Value::Empty));
                row.push(opt(&r.phone));
            }
            row
        })
        .collect();
    let (name, slug) = letterhead(&auth);
    let title = tr.t("umkm-export-title");
    let subtitle = tr.targs("umkm-export-subtitle", &[("name", name), ("count", tr.number(rows.len() as i64))]);
    let sheet_name = tr.t("umkm-title");
    let bytes = tokio::task::spawn_blocking(move || {
        xlsx(&Sheet { name: &sheet_name, title: &title, subtitle: &subtitle, headers: &headers, rows: &rows })
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(download(bytes, XLSX, &format!("umkm-{slug}.xlsx")))
}

// ---------------------------------------------------------------------------------------------
// One business

pub struct YearRow {
    pub year: i32,
    pub capital: String,
    pub sales: String,
    pub employees: String,
    pub class_capital: String,
    pub class_sales: String,
    pub disagrees: bool,
}

pub struct PermitView {
    pub id: String,
    pub kind: String,
    pub number: String,
    pub issued: String,
    pub expires: String,
    /// ("expired" | "expiring", label)
    pub badge: Option<(&'static str, String)>,
}

pub struct RecordView {
    pub id: String,
    pub source: String,
    pub file: String,
    pub sheet: String,
    pub row: String,
    pub link: String,
    pub weight: String,
    pub explain: Option<Explain>,
    pub gave: String,
    pub raw: Vec<(String, String)>,
    pub created: String,
}

pub struct ReviewLink {
    pub id: String,
    pub other_id: String,
    pub other_name: String,
    pub probability: String,
}

pub struct MergeView {
    pub id: String,
    pub what: String,
    pub other_href: String,
    pub when: String,
    pub by: String,
    pub undone: Option<String>,
    pub can_undo: bool,
}

/// Who holds the business through self-service.
pub struct OwnerView {
    pub user: String,
    pub since: String,
    pub edited: Option<String>,
}

#[derive(Template)]
#[template(path = "umkm_business.html")]
pub(crate) struct BusinessPage {
    shell: Shell,
    id: String,
    name: String,
    facts: Vec<(String, String)>,
    nik_masked: Option<String>,
    revealed_nik: Option<String>,
    reveal_reason: String,
    errors: FormErrors,
    can_reveal: bool,
    can_manage: bool,
    kbli: Vec<(String, String)>,
    classification: (String, String, bool),
    years: Vec<YearRow>,
    permits: Vec<PermitView>,
    tags: Vec<String>,
    memberships: Vec<String>,
    records: Vec<RecordView>,
    reviews: Vec<ReviewLink>,
    merges: Vec<MergeView>,
    merged_into: Option<String>,
    owner: Option<OwnerView>,
    permit_kinds: Vec<(String, String)>,
    permit_action: String,
    notice: Option<String>,
}

/// What the NIK form sent, to show the whole NIK once or say what was wrong.
#[derive(Default)]
pub(crate) struct Reveal {
    pub reason: String,
    pub nik: Option<String>,
    pub errors: FormErrors,
}

fn record_view(tr: Tr, d: &BusinessDetail, r: &sinergi_store::umkm::RecordRow) -> RecordView {
    let gave: Vec<String> =
        d.field_sources.iter().filter(|(_, rec)| *rec == r.id).map(|(f, _)| field_label(tr, *f)).collect();
    RecordView {
        id: r.id.to_string(),
        source: r.provenance.source.clone(),
        file: r
            .provenance
            .file_name
            .clone()
            .unwrap_or_else(|| tr.t(&format!("umkm-origin-{}", r.provenance.origin.slug()))),
        sheet: r.provenance.sheet.clone().unwrap_or_default(),
        row: r.provenance.row.map(|n| n.to_string()).unwrap_or_default(),
        link: tr.t(&format!("umkm-link-{}", r.link)),
        weight: r.weight.map(|w| signed(tr, w)).unwrap_or_default(),
        explain: r.explanation.as_ref().and_then(|e| explain(tr, e)),
        gave: gave.join(", "),
        raw: r.raw.clone(),
        created: tr.datetime_ms(r.created_at_ms),
    }
}

pub(crate) fn permit_view(tr: Tr, p: &sinergi_store::umkm::PermitRow, today: time::Date) -> PermitView {
    let expires = p.expires.as_deref().and_then(parse_date);
    let badge = expires.and_then(|e| {
        if e < today {
            Some(("expired", tr.t("umkm-permit-expired")))
        } else if (e - today).whole_days() <= EXPIRING_DAYS {
            Some(("expiring", tr.t("umkm-permit-expiring")))
        } else {
            None
        }
    });
    PermitView {
        id: p.id.to_string(),
        kind: tr.t(&format!("umkm-permit-{}", p.kind.slug())),
        number: p.number.clone(),
        issued: long_date(tr, p.issued.as_deref()),
        expires: long_date(tr, p.expires.as_deref()),
        badge,
    }
}

pub(crate) async fn business_page(
    state: &AppState,
    auth: &Authed,
    id: BusinessId,
    reveal: Reveal,
) -> AppResult<BusinessPage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let d = state.store.umkm_business(&auth.actor, &tenant, id).await?;
    let b = &d.business;
    let can_manage = auth.actor.can(Permission::ManageUmkm);
    let facts_fields = [
        Field::LegalForm,
        Field::OwnerName,
        Field::Sex,
        Field::BirthYear,
        Field::Nib,
        Field::Npwp,
        Field::Address,
        Field::Desa,
        Field::Kecamatan,
        Field::Phone,
        Field::Email,
        Field::Products,
        Field::Employees,
    ];
    let facts = facts_fields
        .iter()
        .map(|f| (field_label(tr, *f), field_text(tr, &auth.actor, b, *f).unwrap_or_else(|| "—".into())))
        .collect();
    let today = today_wib();
    // Only the latest undone-able step is offered: the store refuses to undo one that a later
    // merge or split depends on.
    let latest_open =
        d.merges.iter().filter(|m| m.undone_at_ms.is_none()).max_by_key(|m| m.created_at_ms).map(|m| m.id);
    let merges = d
        .merges
        .iter()
        .map(|m| {
            let other = if m.into == id { m.from } else { m.into };
            let what = match (m.kind.as_str(), m.into == id) {
                ("merge", true) => "umkm-merge-absorbed",
                ("merge", false) => "umkm-merge-into",
                // A split's `into` is the business it made.
                (_, true) => "umkm-split-made",
                (_, false) => "umkm-split-from",
            };
            MergeView {
                id: m.id.to_string(),
                what: tr.t(what),
                other_href: format!("/umkm/{other}"),
                when: tr.datetime_ms(m.created_at_ms),
                by: m.created_by.clone(),
                undone: m.undone_at_ms.map(|t| tr.datetime_ms(t)),
                can_undo: can_manage && latest_open == Some(m.id),
            }
        })
        .collect();
    let reviews = if can_manage {
        d.open_reviews
            .iter()
            .map(|r| {
                let (other_id, other_name) = if r.business == id {
                    (r.candidate, r.candidate_name.clone())
                } else {
                    (r.business, r.business_name.clone())
                };
                ReviewLink {
                    id: r.id.to_string(),
                    other_id: other_id.to_string(),
                    other_name,
                    probability: percent(tr, r.probability),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    // The verified owner, from the claim an officer approved.
    let owner = match (b.claimed_by, can_manage) {
        (Some(user), true) => {
            let claims = state.store.umkm_business_claims(&auth.actor, &tenant, id).await?;
            let approved = claims.iter().find(|c| c.user == user && c.status == ClaimStatus::Approved);
            Some(OwnerView {
                user: approved.map(|c| format!("{} <{}>", c.user_name, c.user_email)).unwrap_or_default(),
                since: approved.and_then(|c| c.decided_at_ms).map(|t| tr.datetime_ms(t)).unwrap_or_default(),
                edited: b.owner_edited_at_ms.map(|t| tr.datetime_ms(t)),
            })
        }
        _ => None,
    };
    Ok(BusinessPage {
        shell: Shell::new(&auth.ctx, "umkm-business-title"),
        id: id.to_string(),
        name: b.name.clone(),
        facts,
        nik_masked: b.nik_masked.clone(),
        revealed_nik: reveal.nik,
        reveal_reason: reveal.reason,
        errors: reveal.errors,
        can_reveal: auth.actor.can(Permission::RevealPersonalData),
        can_manage,
        kbli: b.kbli.iter().map(|k| (k.to_string(), kbli_title(k))).collect(),
        classification: (
            class_label(tr, b.classification.by_capital),
            class_label(tr, b.classification.by_sales),
            b.classification.disagrees(),
        ),
        years: d
            .years
            .iter()
            .rev()
            .map(|y| YearRow {
                year: y.year,
                capital: money(tr, y.capital),
                sales: money(tr, y.sales),
                employees: y.employees.map(|e| tr.number(i64::from(e))).unwrap_or_else(|| "—".into()),
                class_capital: class_label(tr, y.classification.by_capital),
                class_sales: class_label(tr, y.classification.by_sales),
                disagrees: y.classification.disagrees(),
            })
            .collect(),
        permits: d.permits.iter().map(|p| permit_view(tr, p, today)).collect(),
        tags: d.tags.clone(),
        memberships: d.memberships.clone(),
        records: d.records.iter().map(|r| record_view(tr, &d, r)).collect(),
        reviews,
        merges,
        merged_into: b.merged_into.map(|m| m.to_string()),
        owner,
        permit_kinds: permit_options(tr),
        permit_action: format!("/umkm/{id}/izin"),
        notice: None,
    })
}

pub async fn show(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let page = business_page(&state, &auth, business_id(&id)?, Reveal::default()).await?;
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct RevealForm {
    #[serde(default)]
    reason: String,
}

/// The whole NIK, shown once in the page that answers the form (never in a link).
pub async fn reveal_nik(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<RevealForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = business_id(&id)?;
    let tenant = tenant_of(&auth.actor)?;
    let mut reveal = Reveal { reason: form.reason.clone(), ..Default::default() };
    match state.store.reveal_umkm_nik(&auth.actor, &tenant, id, &form.reason).await {
        Ok(nik) => reveal.nik = Some(nik.unwrap_or_else(|| "—".into())),
        Err(e) => {
            reveal.errors.absorb(tr, e.into())?;
            let page = business_page(&state, &auth, id, reveal).await?;
            return Ok(render_invalid(&page));
        }
    }
    let mut page = business_page(&state, &auth, id, reveal).await?;
    page.notice = Some(tr.t("umkm-nik-revealed"));
    Ok(render(&page))
}

#[derive(Deserialize)]
pub struct SplitForm {
    #[serde(default)]
    record: Vec<String>,
}

pub async fn split(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<SplitForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = business_id(&id)?;
    let tenant = tenant_of(&auth.actor)?;
    let records: Vec<SourceRecordId> = form.record.iter().filter_map(|r| r.parse().ok()).collect();
    match state.store.split_umkm(&auth.actor, &tenant, id, &records).await {
        Ok(new) => {
            state.registries.changed(&state.store, &tenant, &[id, new]).await;
            Ok(see_other(&format!("/umkm/{new}")))
        }
        Err(e) => {
            let mut reveal = Reveal::default();
            reveal.errors.absorb(tr, e.into())?;
            let page = business_page(&state, &auth, id, reveal).await?;
            Ok(render_invalid(&page))
        }
    }
}

pub async fn undo(
    State(state): State<AppState>,
    auth: Authed,
    Path((id, merge)): Path<(String, String)>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = business_id(&id)?;
    let merge = merge_id(&merge)?;
    let tenant = tenant_of(&auth.actor)?;
    // The merge must concern this business: another's id answers "not found".
    let detail = state.store.umkm_business(&auth.actor, &tenant, id).await?;
    let Some(undone) = detail.merges.iter().find(|m| m.id == merge) else {
        return Err(AppError::NotFound);
    };
    let both = [undone.into, undone.from];
    match state.store.undo_umkm_merge(&auth.actor, &tenant, merge).await {
        Ok(()) => {
            state.registries.changed(&state.store, &tenant, &both).await;
            Ok(see_other(&format!("/umkm/{id}")))
        }
        Err(e) => {
            let mut reveal = Reveal::default();
            reveal.errors.absorb(tr, e.into())?;
            let page = business_page(&state, &auth, id, reveal).await?;
            Ok(render_invalid(&page))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Duplicates to review

pub struct QueueRow {
    pub id: String,
    pub business: String,
    pub candidate: String,
    pub probability: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "umkm_reviews.html")]
struct QueuePage {
    shell: Shell,
    rows: Vec<QueueRow>,
}

pub async fn reviews(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let rows = state.store.umkm_reviews(&auth.actor, &tenant, ReviewStatus::Open, 500).await?;
    Ok(render(&QueuePage {
        shell: Shell::new(&auth.ctx, "umkm-reviews-title"),
        rows: rows
            .iter()
            .map(|r| QueueRow {
                id: r.id.to_string(),
                business: r.business_name.clone(),
                candidate: r.candidate_name.clone(),
                probability: percent(tr, r.probability),
                created: tr.datetime_ms(r.created_at_ms),
            })
            .collect(),
    }))
}

pub struct CompareRow {
    pub slug: &'static str,
    pub label: String,
    pub candidate: String,
    pub business: String,
    pub differs: bool,
    /// Both sides hold a value and they differ: the officer picks one. Where only one side
    /// has a value, the merge keeps it.
    pub choosable: bool,
    /// Which side the merge keeps by default: "candidate" or "business".
    pub keep: &'static str,
}

#[derive(Template)]
#[template(path = "umkm_review.html")]
struct ReviewPage {
    shell: Shell,
    id: String,
    open: bool,
    status: String,
    candidate_id: String,
    business_id: String,
    candidate_name: String,
    business_name: String,
    rows: Vec<CompareRow>,
    figures: Vec<(String, String, String)>,
    explain: Option<Explain>,
    probability: String,
    errors: FormErrors,
}

async fn review_page(state: &AppState, auth: &Authed, id: ReviewId, errors: FormErrors) -> AppResult<ReviewPage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let d = state.store.umkm_review(&auth.actor, &tenant, id).await?;
    let (c, b) = (&d.candidate.business, &d.business.business);
    let rows = Field::ALL
        .iter()
        .map(|f| {
            let cv = field_text(tr, &auth.actor, c, *f);
            let bv = field_text(tr, &auth.actor, b, *f);
            CompareRow {
                slug: f.slug(),
                label: field_label(tr, *f),
                differs: cv != bv,
                choosable: cv.is_some() && bv.is_some() && cv != bv,
                keep: if cv.is_none() && bv.is_some() { "business" } else { "candidate" },
                candidate: cv.unwrap_or_else(|| "—".into()),
                business: bv.unwrap_or_else(|| "—".into()),
            }
        })
        .collect();
    let class = |x: &Classification| {
        let mut s = class_label(tr, x.headline());
        if x.disagrees() {
            s = format!("{s} ({})", tr.t("umkm-class-differs"));
        }
        s
    };
    let figures = vec![
        (
            tr.t("umkm-col-latest-year"),
            c.latest_year.map(|y| y.to_string()).unwrap_or_else(|| "—".into()),
            b.latest_year.map(|y| y.to_string()).unwrap_or_else(|| "—".into()),
        ),
        (tr.t("umkm-field-capital"), money(tr, c.capital), money(tr, b.capital)),
        (tr.t("umkm-field-sales"), money(tr, c.sales), money(tr, b.sales)),
        (tr.t("umkm-col-class"), class(&c.classification), class(&b.classification)),
        (
            tr.t("umkm-records"),
            d.candidate.records.iter().map(|r| r.provenance.source.clone()).collect::<Vec<_>>().join(", "),
            d.business.records.iter().map(|r| r.provenance.source.clone()).collect::<Vec<_>>().join(", "),
        ),
    ];
    Ok(ReviewPage {
        shell: Shell::new(&auth.ctx, "umkm-review-title"),
        id: id.to_string(),
        open: d.review.status == ReviewStatus::Open,
        status: tr.t(&format!("umkm-review-status-{}", d.review.status.slug())),
        candidate_id: c.id.to_string(),
        business_id: b.id.to_string(),
        candidate_name: c.name.clone(),
        business_name: b.name.clone(),
        rows,
        figures,
        explain: explain(tr, &d.review.explanation),
        probability: percent(tr, d.review.probability),
        errors,
    })
}

pub async fn review(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let page = review_page(&state, &auth, review_id(&id)?, FormErrors::default()).await?;
    Ok(render(&page))
}

/// Merge the pair: the candidate (already in the registry) survives, taking for each field the
/// value the officer chose (`keep_<field>` = `candidate` or `business`).
pub async fn merge(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = review_id(&id)?;
    let tenant = tenant_of(&auth.actor)?;
    let d = state.store.umkm_review(&auth.actor, &tenant, id).await?;
    let (into, from) = (d.review.candidate, d.review.business);
    let mut choice: FieldChoice = BTreeMap::new();
    for f in Field::ALL {
        match form.get(&format!("keep_{}", f.slug())).map(String::as_str) {
            Some("business") => choice.insert(f, from),
            Some("candidate") => choice.insert(f, into),
            _ => None,
        };
    }
    match state.store.merge_umkm(&auth.actor, &tenant, into, from, &choice, Some(id)).await {
        Ok(_) => {
            state.registries.changed(&state.store, &tenant, &[into, from]).await;
            Ok(see_other(&format!("/umkm/{into}")))
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            Ok(render_invalid(&review_page(&state, &auth, id, errors).await?))
        }
    }
}

pub async fn keep_apart(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = review_id(&id)?;
    let tenant = tenant_of(&auth.actor)?;
    match state.store.keep_umkm_apart(&auth.actor, &tenant, id).await {
        Ok(()) => Ok(see_other("/umkm/tinjau")),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            Ok(render_invalid(&review_page(&state, &auth, id, errors).await?))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Naik kelas

#[derive(Deserialize, Default)]
pub struct NaikKelasQuery {
    #[serde(default)]
    dari: String,
    #[serde(default)]
    ke: String,
}

pub struct CountRow {
    pub kecamatan: String,
    pub kategori: String,
    pub up: u64,
    pub same: u64,
    pub down: u64,
}

pub struct MoveRow {
    pub id: String,
    pub name: String,
    pub kecamatan: String,
    pub kbli: String,
    pub from: String,
    pub to: String,
    pub up: bool,
}

#[derive(Template)]
#[template(path = "umkm_naik_kelas.html")]
struct NaikKelasPage {
    shell: Shell,
    from: i32,
    to: i32,
    counts: Vec<CountRow>,
    totals: (u64, u64, u64),
    moves: Vec<MoveRow>,
}

pub async fn naik_kelas(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<NaikKelasQuery>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let year = |s: &str, default: i32| s.trim().parse().ok().filter(|y| (1900..=2100).contains(y)).unwrap_or(default);
    let to = year(&q.ke, current_year());
    let from = year(&q.dari, to - 1);
    let (groups, moves) = state.store.umkm_naik_kelas(&auth.actor, &tenant, from, to).await?;
    let totals = groups.iter().fold((0, 0, 0), |t, g| (t.0 + g.up, t.1 + g.same, t.2 + g.down));
    Ok(render(&NaikKelasPage {
        shell: Shell::new(&auth.ctx, "umkm-naik-kelas-title"),
        from,
        to,
        counts: groups
            .iter()
            .map(|g| CountRow {
                kecamatan: region_name(g.kecamatan.as_ref()),
                kategori: g
                    .kbli_section
                    .map(|s| {
                        let code = KbliCode::parse(&s.to_string()).ok();
                        let title = code.as_ref().map(kbli_title).unwrap_or_default();
                        format!("{s} {title}").trim().to_owned()
                    })
                    .unwrap_or_else(|| "—".into()),
                up: g.up,
                same: g.same,
                down: g.down,
            })
            .collect(),
        totals,
        moves: moves
            .iter()
            .map(|m| MoveRow {
                id: m.business.to_string(),
                name: m.name.clone(),
                kecamatan: region_name(m.kecamatan.as_ref()),
                kbli: m.kbli.clone().unwrap_or_else(|| "—".into()),
                from: class_label(tr, Some(m.from)),
                to: class_label(tr, Some(m.to)),
                up: m.to > m.from,
            })
            .collect(),
    }))
}

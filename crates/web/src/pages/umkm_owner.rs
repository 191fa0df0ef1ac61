//! Owners' self-service and the forms that write a business.
//!
//! An owner (role `umkm-owner`) finds their business in the registry, claims it with their NIK
//! and phone as evidence, and once a UMKM officer has verified the claim keeps the profile
//! current and downloads what the registry holds about it. Officers verify claims, correct any
//! field of a business, and add memberships. Every form is one source record in the store, so
//! the business page shows who said what.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::umkm::{BusinessForm, FormContext, LegalForm, Nik, ParsedForm, PermitForm, Phone};
use sinergi_domain::{BusinessId, ClaimId, RegionCode};
use sinergi_io::export::{Sheet, Value, xlsx_book};
use sinergi_store::umkm::{BusinessDetail, ClaimRow, ClaimStatus, Field, NewClaim, OWNER_FIELDS, TagKind};

use super::exports::{XLSX, download};
use super::needs::current_year;
use super::umkm::{Reveal, business_page, class_label, explain, field_label, region_name, tenant_of};
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

fn business_id(s: &str) -> AppResult<BusinessId> {
    s.parse().map_err(|_| AppError::NotFound)
}

fn claim_id(s: &str) -> AppResult<ClaimId> {
    s.parse().map_err(|_| AppError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// The business form, shared by the owner's and the officer's edits

/// The fields an officer's form shows. The NIK is typed only to change it (it is never shown
/// whole in a form).
const OFFICER_FIELDS: [&str; 13] = [
    "name",
    "legal_form",
    "owner_name",
    "nik",
    "sex",
    "birth_year",
    "nib",
    "kbli",
    "address",
    "desa",
    "phone",
    "email",
    "products",
];

/// The form's values as text, for showing it again.
#[derive(Default, Clone)]
pub struct Values {
    pub name: String,
    pub legal_form: String,
    pub owner_name: String,
    pub sex: String,
    pub birth_year: String,
    pub nib: String,
    pub kbli: String,
    pub address: String,
    pub desa: String,
    pub phone: String,
    pub email: String,
    pub products: String,
    pub employees: String,
    pub year: String,
    pub capital: String,
    pub sales: String,
}

impl Values {
    fn of(d: &BusinessDetail, year: i32) -> Self {
        let b = &d.business;
        let figures = d.years.iter().find(|y| y.year == year);
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Values {
            name: b.name.clone(),
            legal_form: b.legal_form.map(|f| f.slug().to_owned()).unwrap_or_default(),
            owner_name: s(&b.owner_name),
            sex: b.sex.map(|x| x.slug().to_owned()).unwrap_or_default(),
            birth_year: b.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            nib: s(&b.nib),
            kbli: b.kbli.first().map(|k| k.as_str().to_owned()).unwrap_or_default(),
            address: s(&b.address),
            desa: b.desa.as_ref().map(|c| c.to_string()).unwrap_or_default(),
            phone: s(&b.phone),
            email: s(&b.email),
            products: s(&b.products),
            employees: b.employees.map(|e| e.to_string()).unwrap_or_default(),
            year: year.to_string(),
            capital: figures.and_then(|y| y.capital).map(|v| v.to_string()).unwrap_or_default(),
            sales: figures.and_then(|y| y.sales).map(|v| v.to_string()).unwrap_or_default(),
        }
    }

    fn posted(f: &BusinessForm) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Values {
            name: s(&f.name),
            legal_form: s(&f.legal_form),
            owner_name: s(&f.owner_name),
            sex: s(&f.sex),
            birth_year: s(&f.birth_year),
            nib: s(&f.nib),
            kbli: s(&f.kbli),
            address: s(&f.address),
            desa: s(&f.desa),
            phone: s(&f.phone),
            email: s(&f.email),
            products: s(&f.products),
            employees: s(&f.employees),
            year: s(&f.year),
            capital: s(&f.capital),
            sales: s(&f.sales),
        }
    }
}

/// A kecamatan's desa, for the grouped select.
pub struct DesaGroup {
    pub kecamatan: String,
    pub desa: Vec<(String, String)>,
}

fn desa_groups(tenant: &RegionCode) -> Vec<DesaGroup> {
    sinergi_reference::children(Some(tenant))
        .into_iter()
        .map(|k| DesaGroup {
            kecamatan: k.name.clone(),
            desa: sinergi_reference::children(Some(&k.code))
                .into_iter()
                .map(|d| (d.code.to_string(), d.name.clone()))
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "umkm_form.html")]
struct FormPage {
    shell: Shell,
    heading: String,
    intro: String,
    action: String,
    back: (String, String),
    values: Values,
    /// The fields shown, by name.
    shown: Vec<&'static str>,
    legal_forms: Vec<(String, String)>,
    desa: Vec<DesaGroup>,
    errors: FormErrors,
    /// Businesses the new one may already be (only when creating one by hand).
    likely: Vec<LikelyView>,
    /// The owner's page also lists the permits and takes new ones (empty action: not shown).
    permits: Vec<super::umkm::PermitView>,
    permit_kinds: Vec<(String, String)>,
    permit_action: String,
}

/// A business the one being created may already be, and why.
pub struct LikelyView {
    pub id: String,
    pub name: String,
    pub place: String,
    pub owner: String,
    pub probability: String,
    pub x: Option<super::umkm::Explain>,
}

impl FormPage {
    fn shows(&self, field: &str) -> bool {
        self.shown.contains(&field)
    }
}

fn legal_forms(tr: Tr) -> Vec<(String, String)> {
    LegalForm::ALL.iter().map(|f| (f.slug().to_owned(), tr.t(&format!("umkm-legal-{}", f.slug())))).collect()
}

/// The owner's fields as the form names them.
fn owner_shown() -> Vec<&'static str> {
    OWNER_FIELDS.iter().map(|f| f.slug()).collect()
}

fn officer_shown() -> Vec<&'static str> {
    let mut v = OFFICER_FIELDS.to_vec();
    v.push(Field::Employees.slug());
    v
}

/// Keep only the fields this form showed (a crafted post cannot reach others), and a NIK left
/// empty means "unchanged".
fn restrict(mut f: BusinessForm, shown: &[&str]) -> BusinessForm {
    macro_rules! keep {
        ($($field:ident),*) => {$(
            if !shown.contains(&stringify!($field)) {
                f.$field = None;
            }
        )*};
    }
    keep!(
        name, legal_form, owner_name, nik, sex, birth_year, nib, kbli, address, desa, phone, email, products, employees
    );
    if f.nik.as_deref().is_some_and(|n| n.trim().is_empty()) {
        f.nik = None;
    }
    // The figures are always offered; an empty year means this year.
    f
}

fn form_context(tenant: &RegionCode) -> FormContext {
    FormContext { tenant: tenant.clone(), current_year: current_year() }
}

/// Parse a form, then check its codes against the reference lists (the domain checks their
/// shape; only the reference knows which exist).
fn parse_form(tr: Tr, form: &BusinessForm, tenant: &RegionCode) -> Result<ParsedForm, FormErrors> {
    let mut errors = FormErrors::default();
    let parsed = form.parse(&form_context(tenant)).map_err(|errs| {
        errs.iter().for_each(|e| errors.add(tr, e));
    });
    let Ok(parsed) = parsed else { return Err(errors) };
    let r = &parsed.record;
    if r.kbli.iter().any(|k| sinergi_reference::kbli(k).is_none()) {
        errors.add_msg("kbli", tr.reason("invalid-kbli"));
    }
    if r.desa.as_ref().is_some_and(|d| sinergi_reference::region(d).is_none()) {
        errors.add_msg("desa", tr.reason("unknown-region"));
    }
    if errors.is_empty() { Ok(parsed) } else { Err(errors) }
}

// ---------------------------------------------------------------------------------------------
// The owner's pages

pub struct OwnedCard {
    pub id: String,
    pub name: String,
    pub place: String,
    pub class: String,
    pub edited: Option<String>,
}

pub struct ClaimView {
    pub id: String,
    pub business: String,
    pub place: String,
    pub status: String,
    pub status_slug: &'static str,
    pub when: String,
    pub note: String,
    pub decision: String,
    pub nik: String,
    pub phone: String,
    pub user: String,
    pub business_id: String,
}

fn evidence(tr: Tr, v: Option<bool>) -> String {
    tr.t(match v {
        Some(true) => "umkm-claim-matches",
        Some(false) => "umkm-claim-differs",
        None => "umkm-claim-not-given",
    })
}

fn claim_view(tr: Tr, c: &ClaimRow) -> ClaimView {
    ClaimView {
        id: c.id.to_string(),
        business: c.business_name.clone(),
        place: place(c.desa.as_ref(), c.kecamatan.as_ref()),
        status: tr.t(&format!("umkm-claim-status-{}", c.status.slug())),
        status_slug: c.status.slug(),
        when: tr.datetime_ms(c.decided_at_ms.unwrap_or(c.created_at_ms)),
        note: c.note.clone().unwrap_or_default(),
        decision: c.decision_note.clone().unwrap_or_default(),
        nik: evidence(tr, c.nik_matches),
        phone: evidence(tr, c.phone_matches),
        user: format!("{} <{}>", c.user_name, c.user_email),
        business_id: c.business.to_string(),
    }
}

fn place(desa: Option<&RegionCode>, kecamatan: Option<&RegionCode>) -> String {
    match (desa, kecamatan) {
        (Some(d), Some(k)) => format!("{}, {}", region_name(Some(d)), region_name(Some(k))),
        (None, Some(k)) => region_name(Some(k)),
        (Some(d), None) => region_name(Some(d)),
        (None, None) => "—".into(),
    }
}

pub struct Found {
    pub id: String,
    pub name: String,
    pub place: String,
    pub products: String,
    pub claimed: bool,
}

#[derive(Template)]
#[template(path = "umkm_mine.html")]
struct MinePage {
    shell: Shell,
    owned: Vec<OwnedCard>,
    claims: Vec<ClaimView>,
    q: String,
    kecamatan: String,
    kecamatan_options: Vec<(String, String)>,
    searched: bool,
    found: Vec<Found>,
    /// The business whose claim form is open again with its errors.
    claiming: String,
    claim_values: ClaimForm,
    errors: FormErrors,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct MineQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kecamatan: String,
    #[serde(default)]
    sent: String,
    #[serde(default)]
    saved: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ClaimForm {
    #[serde(default)]
    pub business: String,
    #[serde(default)]
    pub nik: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kecamatan: String,
}

async fn mine_page(
    state: &AppState,
    auth: &Authed,
    q: &MineQuery,
    claiming: Option<(ClaimForm, FormErrors)>,
) -> AppResult<MinePage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let owned = state.store.owned_umkm_businesses(&auth.actor, &tenant).await?;
    let claims = state.store.umkm_claims(&auth.actor, &tenant, None).await?;
    let kecamatan = RegionCode::parse(q.kecamatan.trim()).ok().filter(|k| k.parent().as_ref() == Some(&tenant));
    let searched = q.q.trim().chars().count() >= 3;
    let found = if searched {
        state.store.umkm_claimable(&auth.actor, &tenant, &q.q, kecamatan.as_ref()).await?
    } else {
        Vec::new()
    };
    let code = |c: &Option<String>| c.as_deref().and_then(|c| RegionCode::parse(c).ok());
    let (claim_values, errors) = claiming.unwrap_or_default();
    Ok(MinePage {
        shell: Shell::new(&auth.ctx, "umkm-mine-title"),
        owned: owned
            .iter()
            .map(|d| {
                let b = &d.business;
                OwnedCard {
                    id: b.id.to_string(),
                    name: b.name.clone(),
                    place: place(b.desa.as_ref(), b.kecamatan.as_ref()),
                    class: class_label(tr, b.classification.by_sales),
                    edited: b.owner_edited_at_ms.map(|t| tr.datetime_ms(t)),
                }
            })
            .collect(),
        claims: claims.iter().map(|c| claim_view(tr, c)).collect(),
        q: q.q.clone(),
        kecamatan: q.kecamatan.clone(),
        kecamatan_options: sinergi_reference::children(Some(&tenant))
            .into_iter()
            .map(|k| (k.code.to_string(), k.name.clone()))
            .collect(),
        searched,
        found: found
            .into_iter()
            .map(|f| Found {
                id: f.id.to_string(),
                place: place(code(&f.desa_code).as_ref(), code(&f.kecamatan_code).as_ref()),
                name: f.name,
                products: f.products.unwrap_or_default(),
                claimed: f.claimed,
            })
            .collect(),
        claiming: claim_values.business.clone(),
        claim_values,
        errors,
        notice: if !q.sent.is_empty() {
            Some(tr.t("umkm-claim-sent"))
        } else {
            (!q.saved.is_empty()).then(|| tr.t("umkm-owner-saved"))
        },
    })
}

pub async fn mine(State(state): State<AppState>, auth: Authed, Query(q): Query<MineQuery>) -> AppResult<Response> {
    Ok(render(&mine_page(&state, &auth, &q, None).await?))
}

pub async fn claim(State(state): State<AppState>, auth: Authed, Form(form): Form<ClaimForm>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let business = business_id(&form.business)?;
    let mut errors = FormErrors::default();
    // Evidence is optional, but what is typed must be a NIK or a phone number.
    let nik = match form.nik.trim() {
        "" => None,
        s => Nik::parse(s).map_err(|_| errors.add_msg("nik", tr.reason("invalid-nik"))).ok(),
    };
    let phone = match form.phone.trim() {
        "" => None,
        s => Phone::parse(s).map_err(|_| errors.add_msg("phone", tr.reason("invalid-phone"))).ok(),
    };
    if errors.is_empty() {
        let new = NewClaim { business, nik, phone, note: Some(form.note.clone()) };
        match state.store.claim_umkm(&auth.actor, &tenant, new).await {
            Ok(_) => return Ok(see_other("/usaha-saya?sent=1")),
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    let q = MineQuery { q: form.q.clone(), kecamatan: form.kecamatan.clone(), ..MineQuery::default() };
    let page = mine_page(&state, &auth, &q, Some((ClaimForm { nik: String::new(), ..form }, errors))).await?;
    Ok(render_invalid(&page))
}

fn owner_form_page(auth: &Authed, d: &BusinessDetail, values: Values, errors: FormErrors) -> FormPage {
    let tr = auth.ctx.tr();
    let id = d.business.id;
    let today = crate::jobs::today_wib();
    FormPage {
        permits: d.permits.iter().map(|p| super::umkm::permit_view(tr, p, today)).collect(),
        permit_kinds: super::umkm::permit_options(tr),
        permit_action: format!("/usaha-saya/{id}/izin"),
        shell: Shell::new(&auth.ctx, "umkm-owner-edit-title"),
        heading: d.business.name.clone(),
        intro: tr.t("umkm-owner-edit-intro"),
        action: format!("/usaha-saya/{id}"),
        back: ("/usaha-saya".into(), tr.t("umkm-mine-title")),
        values,
        shown: owner_shown(),
        legal_forms: legal_forms(tr),
        desa: desa_groups(&d.business.tenant),
        errors,
        likely: Vec::new(),
    }
}

pub async fn owner_edit(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let d = state.store.owned_umkm_business(&auth.actor, &tenant, business_id(&id)?).await?;
    let values = Values::of(&d, current_year());
    Ok(render(&owner_form_page(&auth, &d, values, FormErrors::default())))
}

pub async fn owner_save(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<BusinessForm>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let id = business_id(&id)?;
    let d = state.store.owned_umkm_business(&auth.actor, &tenant, id).await?;
    let form = restrict(form, &owner_shown());
    match save(&state, &auth, &tenant, id, &form).await? {
        None => Ok(see_other("/usaha-saya?saved=1")),
        Some(errors) => Ok(render_invalid(&owner_form_page(&auth, &d, Values::posted(&form), errors))),
    }
}

/// Parse and write a business form; the errors to show with it again, if any.
async fn save(
    state: &AppState,
    auth: &Authed,
    tenant: &RegionCode,
    id: BusinessId,
    form: &BusinessForm,
) -> AppResult<Option<FormErrors>> {
    let tr = auth.ctx.tr();
    let parsed = match parse_form(tr, form, tenant) {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(Some(errors)),
    };
    match state.store.edit_umkm_business(&auth.actor, tenant, id, &parsed).await {
        Ok(_) => {
            // The edit is a new record with new values: both indexes read the business again.
            state.registries.changed(&state.store, tenant, &[id]).await;
            Ok(None)
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            Ok(Some(errors))
        }
    }
}

/// A business's facts changed without its records moving (a permit, a membership, its owner):
/// the list index reads it again; the entity-resolution index compares no such fact.
async fn refreshed(state: &AppState, tenant: &RegionCode, id: BusinessId) {
    state.registries.search().changed(&state.store, tenant, &[id]).await;
}

/// Everything the registry holds about the owner's business, as a workbook: the business,
/// its years, permits, every source record with its cells, the claims, and who saw the NIK.
pub async fn owner_data(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let data = state.store.umkm_owner_data(&auth.actor, &tenant, business_id(&id)?).await?;
    let d = &data.detail;
    let b = &d.business;
    let text = |s: &Option<String>| s.as_deref().map(Value::from).unwrap_or(Value::Empty);
    let facts: Vec<Vec<Value>> = vec![
        (field_label(tr, Field::Name), Value::from(b.name.as_str())),
        (
            field_label(tr, Field::LegalForm),
            b.legal_form.map(|f| Value::Text(tr.t(&format!("umkm-legal-{}", f.slug())))).unwrap_or(Value::Empty),
        ),
        (field_label(tr, Field::OwnerName), text(&b.owner_name)),
        (field_label(tr, Field::Nik), text(&data.nik)),
        (field_label(tr, Field::BirthYear), b.birth_year.map(|y| Value::Number(f64::from(y))).unwrap_or(Value::Empty)),
        (field_label(tr, Field::Nib), text(&b.nib)),
        (field_label(tr, Field::Npwp), text(&b.npwp_masked)),
        (field_label(tr, Field::Kbli), Value::Text(b.kbli.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", "))),
        (field_label(tr, Field::Address), text(&b.address)),
        (field_label(tr, Field::Desa), Value::Text(place(b.desa.as_ref(), b.kecamatan.as_ref()))),
        (field_label(tr, Field::Phone), text(&b.phone)),
        (field_label(tr, Field::Email), text(&b.email)),
        (field_label(tr, Field::Products), text(&b.products)),
        (field_label(tr, Field::Employees), b.employees.map(|e| Value::Number(f64::from(e))).unwrap_or(Value::Empty)),
        (tr.t("umkm-memberships"), Value::Text(d.memberships.join(", "))),
        (tr.t("umkm-field-tags"), Value::Text(d.tags.join(", "))),
    ]
    .into_iter()
    .map(|(k, v)| vec![Value::Text(k), v])
    .collect();
    let years: Vec<Vec<Value>> = d
        .years
        .iter()
        .map(|y| {
            vec![
                Value::Number(f64::from(y.year)),
                y.capital.map(Value::Rupiah).unwrap_or(Value::Empty),
                y.sales.map(Value::Rupiah).unwrap_or(Value::Empty),
                Value::Text(class_label(tr, y.classification.by_capital)),
                Value::Text(class_label(tr, y.classification.by_sales)),
            ]
        })
        .collect();
    let permits: Vec<Vec<Value>> = d
        .permits
        .iter()
        .map(|p| {
            vec![
                Value::Text(tr.t(&format!("umkm-permit-{}", p.kind.slug()))),
                Value::from(p.number.as_str()),
                text(&p.issued),
                text(&p.expires),
            ]
        })
        .collect();
    let records: Vec<Vec<Value>> = d
        .records
        .iter()
        .map(|r| {
            let cells = r.raw.iter().map(|(h, v)| format!("{h}: {v}")).collect::<Vec<_>>().join("; ");
            vec![
                Value::from(r.provenance.source.as_str()),
                text(&r.provenance.file_name),
                r.provenance.row.map(|n| Value::Number(f64::from(n))).unwrap_or(Value::Empty),
                Value::Text(tr.datetime_ms(r.created_at_ms)),
                Value::from(r.created_by.as_str()),
                Value::Text(cells),
            ]
        })
        .collect();
    let claims: Vec<Vec<Value>> = data
        .claims
        .iter()
        .map(|c| {
            vec![
                Value::Text(tr.datetime_ms(c.created_at_ms)),
                Value::Text(tr.t(&format!("umkm-claim-status-{}", c.status.slug()))),
                text(&c.decided_by),
                text(&c.decision_note),
            ]
        })
        .collect();
    let reveals: Vec<Vec<Value>> = data
        .nik_reveals
        .iter()
        .map(|r| {
            let reason = r
                .after
                .as_deref()
                .and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok())
                .and_then(|v| v.get("reason").and_then(|r| r.as_str()).map(str::to_owned))
                .unwrap_or_default();
            vec![Value::Text(tr.datetime_ms(r.at)), Value::from(r.actor_label.as_str()), Value::Text(reason)]
        })
        .collect();
    let h = |keys: &[&str]| keys.iter().map(|k| tr.t(k)).collect::<Vec<String>>();
    let sheets_spec = [
        (tr.t("umkm-data-sheet-business"), h(&["umkm-data-field", "umkm-data-value"]), facts),
        (
            tr.t("umkm-years"),
            h(&[
                "field-year",
                "umkm-field-capital",
                "umkm-field-sales",
                "umkm-class-by-capital",
                "umkm-class-by-sales",
            ]),
            years,
        ),
        (
            tr.t("umkm-permits"),
            h(&["umkm-permit", "umkm-permit-number", "umkm-permit-issued", "umkm-permit-expires"]),
            permits,
        ),
        (
            tr.t("umkm-provenance"),
            h(&[
                "umkm-data-source",
                "umkm-data-file",
                "umkm-data-row",
                "umkm-data-when",
                "umkm-data-by",
                "umkm-data-cells",
            ]),
            records,
        ),
        (
            tr.t("umkm-data-sheet-claims"),
            h(&["umkm-data-when", "umkm-data-status", "umkm-data-by", "umkm-data-note"]),
            claims,
        ),
        (tr.t("umkm-data-sheet-reveals"), h(&["umkm-data-when", "umkm-data-by", "umkm-reason"]), reveals),
    ];
    let title = tr.t1("umkm-data-title", "name", &b.name);
    let subtitle = tr.t1("umkm-data-subtitle", "date", tr.datetime_ms(sinergi_store::now_ms()));
    let bytes = tokio::task::spawn_blocking(move || {
        let sheets: Vec<Sheet<'_>> = sheets_spec
            .iter()
            .map(|(name, headers, rows)| Sheet { name, title: &title, subtitle: &subtitle, headers, rows })
            .collect();
        xlsx_book(&sheets)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(download(bytes, XLSX, "data-usaha-saya.xlsx"))
}

// ---------------------------------------------------------------------------------------------
// The officer's side: claims to verify, edits, memberships

#[derive(Template)]
#[template(path = "umkm_claims.html")]
struct ClaimsPage {
    shell: Shell,
    pending: Vec<ClaimView>,
    decided: Vec<ClaimView>,
    errors: FormErrors,
    failed: String,
}

async fn claims_page(state: &AppState, auth: &Authed, failed: String, errors: FormErrors) -> AppResult<ClaimsPage> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let all = state.store.umkm_claims(&auth.actor, &tenant, None).await?;
    let (pending, decided): (Vec<&ClaimRow>, Vec<&ClaimRow>) =
        all.iter().partition(|c| c.status == ClaimStatus::Pending);
    Ok(ClaimsPage {
        shell: Shell::new(&auth.ctx, "umkm-claims-title"),
        pending: pending.iter().rev().map(|c| claim_view(tr, c)).collect(),
        decided: decided.iter().take(50).map(|c| claim_view(tr, c)).collect(),
        errors,
        failed,
    })
}

pub async fn claims(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    Ok(render(&claims_page(&state, &auth, String::new(), FormErrors::default()).await?))
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    decision_note: String,
}

async fn decide(state: AppState, auth: Authed, id: String, approve: bool, note: String) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let claim = claim_id(&id)?;
    match state.store.decide_umkm_claim(&auth.actor, &tenant, claim, approve, &note).await {
        Ok(_) => Ok(see_other("/umkm/klaim")),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            Ok(render_invalid(&claims_page(&state, &auth, id, errors).await?))
        }
    }
}

pub async fn approve(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    decide(state, auth, id, true, form.decision_note).await
}

pub async fn reject(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    decide(state, auth, id, false, form.decision_note).await
}

fn officer_form_page(auth: &Authed, d: &BusinessDetail, values: Values, errors: FormErrors) -> FormPage {
    let tr = auth.ctx.tr();
    let id = d.business.id;
    FormPage {
        permits: Vec::new(),
        permit_kinds: Vec::new(),
        permit_action: String::new(),
        shell: Shell::new(&auth.ctx, "umkm-edit-title"),
        heading: d.business.name.clone(),
        intro: tr.t("umkm-edit-intro"),
        action: format!("/umkm/{id}/ubah"),
        back: (format!("/umkm/{id}"), d.business.name.clone()),
        values,
        shown: officer_shown(),
        legal_forms: legal_forms(tr),
        desa: desa_groups(&d.business.tenant),
        errors,
        likely: Vec::new(),
    }
}

pub async fn officer_edit(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let d = state.store.umkm_business(&auth.actor, &tenant, business_id(&id)?).await?;
    if d.business.merged_into.is_some() {
        return Err(AppError::NotFound);
    }
    let values = Values::of(&d, current_year());
    Ok(render(&officer_form_page(&auth, &d, values, FormErrors::default())))
}

pub async fn officer_save(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<BusinessForm>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let id = business_id(&id)?;
    let d = state.store.umkm_business(&auth.actor, &tenant, id).await?;
    let form = restrict(form, &officer_shown());
    match save(&state, &auth, &tenant, id, &form).await? {
        None => Ok(see_other(&format!("/umkm/{id}"))),
        Some(errors) => Ok(render_invalid(&officer_form_page(&auth, &d, Values::posted(&form), errors))),
    }
}

#[derive(Deserialize, Default)]
pub struct TagForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
}

async fn set_tag(state: AppState, auth: Authed, id: String, form: TagForm, present: bool) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let id = business_id(&id)?;
    let Ok(kind) = form.kind.parse::<TagKind>() else {
        let invalid = AppError::Invalid(sinergi_domain::auth::FieldError::new("value", "invalid-choice"));
        return business_with_errors(&state, &auth, id, invalid).await;
    };
    match state.store.set_umkm_tag(&auth.actor, &tenant, id, kind, &form.value, present).await {
        Ok(()) => {
            refreshed(&state, &tenant, id).await;
            Ok(see_other(&format!("/umkm/{id}#keanggotaan")))
        }
        Err(e) => business_with_errors(&state, &auth, id, e.into()).await,
    }
}

pub async fn add_tag(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<TagForm>,
) -> AppResult<Response> {
    set_tag(state, auth, id, form, true).await
}

pub async fn remove_tag(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<TagForm>,
) -> AppResult<Response> {
    set_tag(state, auth, id, form, false).await
}

#[derive(Deserialize, Default)]
pub struct ReleaseForm {
    #[serde(default)]
    reason: String,
}

pub async fn release(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<ReleaseForm>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let id = business_id(&id)?;
    match state.store.release_umkm_owner(&auth.actor, &tenant, id, &form.reason).await {
        Ok(()) => {
            refreshed(&state, &tenant, id).await;
            Ok(see_other(&format!("/umkm/{id}")))
        }
        Err(e) => business_with_errors(&state, &auth, id, e.into()).await,
    }
}

/// The business page again, with what was wrong with its form.
async fn business_with_errors(state: &AppState, auth: &Authed, id: BusinessId, e: AppError) -> AppResult<Response> {
    let mut reveal = Reveal::default();
    reveal.errors.absorb(auth.ctx.tr(), e)?;
    Ok(render_invalid(&business_page(state, auth, id, reveal).await?))
}

// ---------------------------------------------------------------------------------------------
// A business created by hand, warned of likely duplicates first

/// The business form plus what the duplicate warning asks.
#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(flatten)]
    business: BusinessForm,
    /// "true": the officer read the warning and still wants a new business.
    #[serde(default)]
    confirm_new: String,
    /// The business the officer says this is, from the warning's list.
    #[serde(default)]
    into: String,
}

fn new_form_page(
    auth: &Authed,
    tenant: &RegionCode,
    values: Values,
    errors: FormErrors,
    likely: Vec<LikelyView>,
) -> FormPage {
    let tr = auth.ctx.tr();
    FormPage {
        permits: Vec::new(),
        permit_kinds: Vec::new(),
        permit_action: String::new(),
        shell: Shell::new(&auth.ctx, "umkm-new-title"),
        heading: tr.t("umkm-new-title"),
        intro: tr.t("umkm-new-intro"),
        action: "/umkm/baru".into(),
        back: ("/umkm".into(), tr.t("umkm-title")),
        values,
        shown: officer_shown(),
        legal_forms: legal_forms(tr),
        desa: desa_groups(tenant),
        errors,
        likely,
    }
}

pub async fn new_business(State(_state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let values = Values { year: current_year().to_string(), ..Values::default() };
    Ok(render(&new_form_page(&auth, &tenant, values, FormErrors::default(), Vec::new())))
}

pub async fn create_business(
    State(state): State<AppState>,
    auth: Authed,
    Form(form): Form<NewForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let mut business = restrict(form.business, &officer_shown());
    // A new business needs a name: an absent one is an empty one.
    business.name.get_or_insert_with(String::new);
    let values = Values::posted(&business);
    let parsed = match parse_form(tr, &business, &tenant) {
        Ok(p) => p,
        Err(errors) => return Ok(render_invalid(&new_form_page(&auth, &tenant, values, errors, Vec::new()))),
    };
    let into = match form.into.trim() {
        "" => None,
        s => Some(business_id(s)?),
    };
    if into.is_none() && form.confirm_new != "true" {
        let likely = state.registries.probe(&state.store, &auth.actor, &tenant, &parsed.record).await?;
        if !likely.is_empty() {
            let ids: Vec<BusinessId> = likely.iter().map(|l| l.business).collect();
            let rows = state.store.umkm_business_rows(&auth.actor, &tenant, &ids).await?;
            let views = likely
                .iter()
                .filter_map(|l| {
                    let row = rows.iter().find(|r| r.id == l.business)?;
                    Some(LikelyView {
                        id: l.business.to_string(),
                        name: row.name.clone(),
                        place: place(row.desa.as_ref(), row.kecamatan.as_ref()),
                        owner: row.owner_name.clone().unwrap_or_else(|| "—".into()),
                        probability: super::umkm::percent(tr, l.probability),
                        x: explain(tr, &l.explanation),
                    })
                })
                .collect::<Vec<_>>();
            if !views.is_empty() {
                return Ok(render(&new_form_page(&auth, &tenant, values, FormErrors::default(), views)));
            }
        }
    }
    let incoming = sinergi_store::umkm::Incoming {
        raw: parsed
            .fields
            .iter()
            .map(|f| (f.to_string(), form_value(&values, f)))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
        record: parsed.record,
        provenance: sinergi_store::umkm::Provenance {
            source: "formulir petugas".into(),
            file_name: None,
            sheet: None,
            row: None,
            origin: sinergi_store::umkm::Origin::Form,
        },
    };
    let summary = state.registries.create(&state.store, &auth.actor, &tenant, incoming, into).await?;
    let id = summary.businesses.first().copied().ok_or(AppError::NotFound)?;
    Ok(see_other(&format!("/umkm/{id}")))
}

/// A field's value as the form posted it, for the record's cells. The NIK is left out: the
/// sealed column keeps it, the cells must not.
fn form_value(v: &Values, field: &str) -> String {
    match field {
        "name" => v.name.clone(),
        "legal_form" => v.legal_form.clone(),
        "owner_name" => v.owner_name.clone(),
        "sex" => v.sex.clone(),
        "birth_year" => v.birth_year.clone(),
        "nib" => v.nib.clone(),
        "kbli" => v.kbli.clone(),
        "address" => v.address.clone(),
        "desa" => v.desa.clone(),
        "phone" => v.phone.clone(),
        "email" => v.email.clone(),
        "products" => v.products.clone(),
        "employees" => v.employees.clone(),
        _ => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Permits and certificates added by hand

fn permit_errors(tr: Tr, errs: &[sinergi_domain::auth::FieldError]) -> FormErrors {
    let mut errors = FormErrors::default();
    for e in errs {
        errors.add(tr, e);
    }
    errors
}

/// Add a permit; the errors to show, if any.
async fn add_permit(
    state: &AppState,
    auth: &Authed,
    tenant: &RegionCode,
    id: BusinessId,
    form: &PermitForm,
) -> AppResult<Option<FormErrors>> {
    let tr = auth.ctx.tr();
    let permit = match form.parse() {
        Ok(p) => p,
        Err(errs) => return Ok(Some(permit_errors(tr, &errs))),
    };
    match state.store.add_umkm_permit(&auth.actor, tenant, id, permit).await {
        Ok(()) => {
            refreshed(state, tenant, id).await;
            Ok(None)
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            Ok(Some(errors))
        }
    }
}

pub async fn officer_add_permit(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<PermitForm>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let id = business_id(&id)?;
    // Another Pemda's business is "not found" before the form is read.
    state.store.umkm_business(&auth.actor, &tenant, id).await?;
    match add_permit(&state, &auth, &tenant, id, &form).await? {
        None => Ok(see_other(&format!("/umkm/{id}#izin"))),
        Some(errors) => {
            let reveal = Reveal { errors, ..Reveal::default() };
            Ok(render_invalid(&business_page(&state, &auth, id, reveal).await?))
        }
    }
}

#[derive(Deserialize, Default)]
pub struct RemovePermitForm {
    #[serde(default)]
    permit: String,
}

pub async fn officer_remove_permit(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<RemovePermitForm>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let id = business_id(&id)?;
    let permit: sinergi_domain::PermitId = form.permit.parse().map_err(|_| AppError::NotFound)?;
    state.store.remove_umkm_permit(&auth.actor, &tenant, id, permit).await?;
    refreshed(&state, &tenant, id).await;
    Ok(see_other(&format!("/umkm/{id}#izin")))
}

pub async fn owner_add_permit(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<PermitForm>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let id = business_id(&id)?;
    let d = state.store.owned_umkm_business(&auth.actor, &tenant, id).await?;
    match add_permit(&state, &auth, &tenant, id, &form).await? {
        None => Ok(see_other(&format!("/usaha-saya/{id}#izin"))),
        Some(errors) => {
            let values = Values::of(&d, current_year());
            Ok(render_invalid(&owner_form_page(&auth, &d, values, errors)))
        }
    }
}

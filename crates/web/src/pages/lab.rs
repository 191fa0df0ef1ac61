//! The Labkesda's pages: the catalogue with its tariffs, orders (the laboratory's list and a
//! company's own through the partner portal), one order with the steps its state allows, the
//! certificate PDF with its code and QR, and the public verification of a certificate.
//!
//! The store decides who may do what (`sinergi_store::lab`): a partner user reaches only
//! their own company's orders; a refused step comes back naming the order's state.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::lab::{Limit, Medium, OrderStatus, Step, Verdict, parse_value};
use sinergi_domain::{LabOrderId, LabPackageId, LabParameterId, PartnerId, Permission, RegionCode, Role};
use sinergi_io::pdf::{Column, Document, Letterhead, Orientation, PageLabels};
use sinergi_store::StoreError;
use sinergi_store::lab::{LabCertificateView, LabOrder, LabOrderFilter, NewLabOrder, Payment, TariffItem};

use super::channels::{date_or_today, rupiah_field};
use super::exports::{PDF, download};
use super::programmes_run::origin;
use super::umkm::{region_name, tenant_of};
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::{Authed, Ctx};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

pub fn lab_order_id(s: &str) -> AppResult<LabOrderId> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub fn medium_label(tr: Tr, m: Medium) -> String {
    tr.t(&format!("lab-medium-{}", m.slug()))
}

pub fn status_label(tr: Tr, s: OrderStatus) -> String {
    tr.t(&format!("lab-status-{}", s.slug()))
}

pub fn step_label(tr: Tr, s: Step) -> String {
    tr.t(&format!("lab-step-{}", s.slug()))
}

pub fn verdict_label(tr: Tr, v: Verdict) -> String {
    tr.t(&format!("lab-verdict-{}", v.slug()))
}

/// "≤ 30", "6 – 9", "—", with the reader's decimal mark.
pub fn limit_label(tr: Tr, l: &Limit) -> String {
    match *l {
        Limit::None => "—".into(),
        Limit::Max { max } => format!("≤ {}", tr.decimal(max)),
        Limit::Min { min } => format!("≥ {}", tr.decimal(min)),
        Limit::Range { min, max } => format!("{} – {}", tr.decimal(min), tr.decimal(max)),
    }
}

/// A person as a page shows them: the audit label without its email ("Siti Nurhasanah").
fn person(label: &str) -> String {
    label.split(" <").next().unwrap_or(label).trim().to_owned()
}

fn kabkota_name(code: Option<&str>) -> String {
    region_name(code.and_then(|c| RegionCode::parse(c).ok()).as_ref())
}

// ---------------------------------------------------------------------------------------------
// The catalogue

pub struct ParameterView {
    pub id: String,
    pub medium: String,
    pub name: String,
    pub unit: String,
    pub method: String,
    pub limit: String,
    pub legal_basis: String,
    pub tariff: String,
    pub tariff_value: i64,
    pub tariff_basis: String,
    pub days: u32,
}

pub struct PackageView {
    pub id: String,
    pub medium_slug: String,
    pub medium: String,
    pub name: String,
    pub parameters: String,
    pub tariff: String,
    pub tariff_value: i64,
    pub tariff_basis: String,
    pub days: u32,
}

#[derive(Template)]
#[template(path = "lab_catalogue.html")]
struct CataloguePage {
    shell: Shell,
    media: Vec<(String, String, Vec<ParameterView>)>,
    packages: Vec<PackageView>,
    can_manage: bool,
    agreements: Vec<(String, String)>,
    agreement: String,
    errors: FormErrors,
    saved: bool,
    forms: CatalogueForms,
    /// Every medium (slug, label), for the add forms.
    media_choices: Vec<(String, String)>,
    /// Every parameter (id, medium slug, "name (unit) — medium"), for a new package.
    parameter_choices: Vec<(String, String, String)>,
    /// The new parameter's text fields: (name, label key, value typed, input mode).
    parameter_fields: Vec<(&'static str, &'static str, String, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    disimpan: String,
}

async fn catalogue_page(
    state: &AppState,
    auth: &Authed,
    errors: FormErrors,
    saved: bool,
    forms: CatalogueForms,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let c = state.store.lab_catalogue(&auth.actor, &tenant).await?;
    let view = |p: &sinergi_store::lab::LabParameter| ParameterView {
        id: p.id.to_string(),
        medium: medium_label(tr, p.medium),
        name: p.name.clone(),
        unit: p.unit.clone(),
        method: p.method.clone(),
        limit: limit_label(tr, &p.limit),
        legal_basis: p.legal_basis.clone(),
        tariff: tr.rupiah(p.tariff),
        tariff_value: p.tariff,
        tariff_basis: p.tariff_basis.clone(),
        days: p.turnaround_days,
    };
    let media = Medium::ALL
        .iter()
        .map(|m| {
            let params: Vec<ParameterView> = c.parameters.iter().filter(|p| p.medium == *m).map(view).collect();
            (m.slug().to_owned(), medium_label(tr, *m), params)
        })
        .filter(|(_, _, p)| !p.is_empty())
        .collect();
    let packages = c
        .packages
        .iter()
        .map(|p| PackageView {
            id: p.id.to_string(),
            medium_slug: p.medium.slug().to_owned(),
            medium: medium_label(tr, p.medium),
            name: p.name.clone(),
            parameters: p
                .parameters
                .iter()
                .filter_map(|id| c.parameter(*id).map(|x| x.name.clone()))
                .collect::<Vec<_>>()
                .join(", "),
            tariff: tr.rupiah(p.tariff),
            tariff_value: p.tariff,
            tariff_basis: p.tariff_basis.clone(),
            days: p.turnaround_days,
        })
        .collect();
    let can_manage = auth.actor.can(Permission::ManageLab);
    let (agreements, agreement) = if can_manage {
        let settings = state.store.lab_settings(&auth.actor, &tenant).await?;
        let list = state
            .store
            .agreements(&auth.actor, &Default::default())
            .await
            .map(|v| v.into_iter().map(|a| (a.id.to_string(), a.title)).collect())
            .unwrap_or_default();
        (list, settings.agreement_id.map(|a| a.to_string()).unwrap_or_default())
    } else {
        (Vec::new(), String::new())
    };
    let parameter_fields = {
        let f = &forms.parameter;
        vec![
            ("name", "lab-parameter", f.name.clone(), "text"),
            ("unit", "lab-unit", f.unit.clone(), "text"),
            ("method", "lab-method", f.method.clone(), "text"),
            ("limit_min", "lab-limit-min", f.limit_min.clone(), "decimal"),
            ("limit_max", "lab-limit-max", f.limit_max.clone(), "decimal"),
            ("legal_basis", "lab-legal-basis", f.legal_basis.clone(), "text"),
            ("tariff", "lab-tariff", f.tariff.clone(), "numeric"),
            ("tariff_basis", "lab-tariff-basis", f.tariff_basis.clone(), "text"),
            ("turnaround_days", "lab-turnaround-days", f.turnaround_days.clone(), "numeric"),
        ]
    };
    let page = CataloguePage {
        shell: Shell::new(&auth.ctx, "lab-catalogue-title"),
        media,
        packages,
        can_manage,
        agreements,
        agreement,
        errors,
        saved,
        forms,
        parameter_fields,
        media_choices: Medium::ALL.iter().map(|m| (m.slug().to_owned(), medium_label(tr, *m))).collect(),
        parameter_choices: c
            .parameters
            .iter()
            .map(|p| {
                (
                    p.id.to_string(),
                    p.medium.slug().to_owned(),
                    format!("{} ({}) — {}", p.name, p.unit, medium_label(tr, p.medium)),
                )
            })
            .collect(),
    };
    Ok(if page.errors.is_empty() { render(&page) } else { render_invalid(&page) })
}

pub async fn catalogue(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<SavedQuery>,
) -> AppResult<Response> {
    catalogue_page(&state, &auth, FormErrors::default(), !q.disimpan.is_empty(), CatalogueForms::default()).await
}

#[derive(Deserialize, Default)]
pub struct TariffForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    tariff: String,
    #[serde(default)]
    tariff_basis: String,
}

fn tariff_item(s: &str) -> Result<TariffItem, FieldError> {
    let bad = || FieldError::new("item", "invalid-choice");
    match s.split_once(':') {
        Some(("parameter", id)) => id.parse::<LabParameterId>().map(TariffItem::Parameter).map_err(|_| bad()),
        Some(("package", id)) => id.parse::<LabPackageId>().map(TariffItem::Package).map_err(|_| bad()),
        _ => Err(bad()),
    }
}

pub async fn set_tariff(
    State(state): State<AppState>,
    auth: Authed,
    Form(form): Form<TariffForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let parsed = tariff_item(&form.item).and_then(|item| {
        let tariff = rupiah_field(&form.tariff, "tariff")?.ok_or(FieldError::new("tariff", "required"))?;
        Ok((item, tariff))
    });
    let result = match parsed {
        Ok((item, tariff)) => state
            .store
            .set_lab_tariff(&auth.actor, &tenant, item, tariff, &form.tariff_basis)
            .await
            .map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(see_other("/lab/katalog?disimpan=1")),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            catalogue_page(&state, &auth, errors, false, CatalogueForms::default()).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    agreement_id: String,
}

pub async fn set_settings(
    State(state): State<AppState>,
    auth: Authed,
    Form(form): Form<SettingsForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let agreement = match form.agreement_id.trim() {
        "" => Ok(None),
        a => a.parse().map(Some).map_err(|_| AppError::Invalid(FieldError::new("agreement_id", "invalid-choice"))),
    };
    let result = match agreement {
        Ok(a) => state.store.set_lab_agreement(&auth.actor, &tenant, a).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other("/lab/katalog?disimpan=1")),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            catalogue_page(&state, &auth, errors, false, CatalogueForms::default()).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Orders

pub struct OrderRowView {
    pub id: String,
    pub number: String,
    pub customer: String,
    pub region: String,
    pub medium: String,
    pub status_slug: String,
    pub status: String,
    pub total: String,
    pub ordered: String,
    pub certificate: bool,
}

#[derive(Template)]
#[template(path = "lab_orders.html")]
struct OrdersPage {
    shell: Shell,
    rows: Vec<OrderRowView>,
    statuses: Vec<(String, String)>,
    status: String,
    is_lab: bool,
    can_order: bool,
    /// (page, pages): 50 orders a page, newest first.
    page: usize,
    pages: usize,
    /// "Halaman 1 dari 3 · 112 pesanan".
    page_label: String,
}

const PER_PAGE: usize = 50;

#[derive(Deserialize, Default)]
pub struct OrdersQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    halaman: String,
}

pub async fn orders(State(state): State<AppState>, auth: Authed, Query(q): Query<OrdersQuery>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let status: Option<OrderStatus> = q.status.parse().ok();
    let list = state.store.lab_orders(&auth.actor, &tenant, &LabOrderFilter { status, partner: None }).await?;
    let total = list.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = q.halaman.trim().parse::<usize>().unwrap_or(1).clamp(1, pages);
    let rows = list
        .into_iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|o| OrderRowView {
            id: o.id.to_string(),
            number: o.number,
            customer: o.customer_name,
            region: kabkota_name(o.customer_region.as_deref()),
            medium: medium_label(tr, o.medium),
            status_slug: o.status.slug().to_owned(),
            status: status_label(tr, o.status),
            total: o.total.map(|t| tr.rupiah(t)).unwrap_or_else(|| "—".into()),
            ordered: tr.datetime_ms(o.ordered_at_ms),
            certificate: o.status == OrderStatus::Published,
        })
        .collect();
    let page = OrdersPage {
        shell: Shell::new(&auth.ctx, "lab-orders-title"),
        rows,
        statuses: OrderStatus::ALL.iter().map(|s| (s.slug().to_owned(), status_label(tr, *s))).collect(),
        status: status.map(|s| s.slug().to_owned()).unwrap_or_default(),
        is_lab: auth.actor.can(Permission::ViewLab),
        can_order: auth.actor.can(Permission::ManageLab) || auth.actor.partner.is_some(),
        page,
        pages,
        page_label: format!(
            "{} · {}",
            tr.targs("catpub-page-of", &[("page", page.to_string()), ("pages", pages.to_string())]),
            tr.t1("lab-orders-n", "count", total)
        ),
    };
    Ok(render(&page))
}

#[derive(Deserialize, Default, Clone)]
pub struct NewOrderForm {
    #[serde(default)]
    partner_id: String,
    #[serde(default)]
    medium: String,
    #[serde(default)]
    package: Vec<String>,
    #[serde(default)]
    parameter: Vec<String>,
    #[serde(default)]
    location: String,
    #[serde(default)]
    note: String,
}

pub struct ChoiceView {
    pub id: String,
    pub medium_slug: String,
    pub label: String,
    pub detail: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "lab_order_new.html")]
struct NewOrderPage {
    shell: Shell,
    form: NewOrderForm,
    errors: FormErrors,
    /// For an officer: the companies to order for; a partner user orders for their own.
    partners: Vec<(String, String)>,
    own_company: String,
    media: Vec<(String, String)>,
    packages: Vec<ChoiceView>,
    parameters: Vec<ChoiceView>,
}

async fn new_order_page(
    state: &AppState,
    auth: &Authed,
    form: NewOrderForm,
    errors: FormErrors,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let c = state.store.lab_catalogue(&auth.actor, &tenant).await?;
    let (partners, own_company) = match auth.actor.partner {
        Some(p) if auth.actor.role == Role::Partner => {
            let name = state
                .store
                .lab_orders(&auth.actor, &tenant, &LabOrderFilter::default())
                .await?
                .first()
                .map(|o| o.customer_name.clone())
                .unwrap_or_default();
            let name = if name.is_empty() { auth.session.user.name.clone() } else { name };
            let _ = p;
            (Vec::new(), name)
        }
        _ => {
            if !auth.actor.can(Permission::ManageLab) {
                return Err(AppError::Forbidden);
            }
            let list = state
                .store
                .partners(&auth.actor, &Default::default())
                .await?
                .into_iter()
                .filter(|p| p.active && p.kind == sinergi_domain::cooperation::needs::PartnerKind::Company)
                .map(|p| (p.id.to_string(), p.name))
                .collect();
            (list, String::new())
        }
    };
    let packages = c
        .packages
        .iter()
        .map(|p| ChoiceView {
            id: p.id.to_string(),
            medium_slug: p.medium.slug().to_owned(),
            label: format!("{} — {}", p.name, tr.rupiah(p.tariff)),
            detail: p
                .parameters
                .iter()
                .filter_map(|id| c.parameter(*id).map(|x| x.name.clone()))
                .collect::<Vec<_>>()
                .join(", "),
            checked: form.package.contains(&p.id.to_string()),
        })
        .collect();
    let parameters = c
        .parameters
        .iter()
        .filter(|p| p.active)
        .map(|p| ChoiceView {
            id: p.id.to_string(),
            medium_slug: p.medium.slug().to_owned(),
            label: format!("{} ({}) — {}", p.name, p.unit, tr.rupiah(p.tariff)),
            detail: p.method.clone(),
            checked: form.parameter.contains(&p.id.to_string()),
        })
        .collect();
    let page = NewOrderPage {
        shell: Shell::new(&auth.ctx, "lab-order-new-title"),
        form,
        errors,
        partners,
        own_company,
        media: Medium::ALL.iter().map(|m| (m.slug().to_owned(), medium_label(tr, *m))).collect(),
        packages,
        parameters,
    };
    Ok(if page.errors.is_empty() { render(&page) } else { render_invalid(&page) })
}

#[derive(Deserialize, Default)]
pub struct NewOrderQuery {
    #[serde(default)]
    medium: String,
}

pub async fn new_order(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<NewOrderQuery>,
) -> AppResult<Response> {
    let form = NewOrderForm {
        medium: if q.medium.is_empty() { Medium::Wastewater.slug().to_owned() } else { q.medium },
        ..Default::default()
    };
    new_order_page(&state, &auth, form, FormErrors::default()).await
}

fn parse_new_order(actor: &sinergi_domain::Actor, f: &NewOrderForm) -> Result<NewLabOrder, FieldError> {
    let medium: Medium = f.medium.parse().map_err(|_| FieldError::new("medium", "invalid-choice"))?;
    let partner = match (actor.role, actor.partner) {
        (Role::Partner, Some(p)) => p,
        _ => f.partner_id.trim().parse::<PartnerId>().map_err(|_| FieldError::new("partner_id", "required"))?,
    };
    let packages = f
        .package
        .iter()
        .map(|p| p.parse::<LabPackageId>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| FieldError::new("packages", "invalid-choice"))?;
    let parameters = f
        .parameter
        .iter()
        .map(|p| p.parse::<LabParameterId>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| FieldError::new("parameters", "invalid-choice"))?;
    Ok(NewLabOrder { partner, medium, packages, parameters, location: f.location.clone(), note: Some(f.note.clone()) })
}

pub async fn create_order(
    State(state): State<AppState>,
    auth: Authed,
    Form(form): Form<NewOrderForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let result = match parse_new_order(&auth.actor, &form) {
        Ok(new) => state.store.create_lab_order(&auth.actor, &tenant, new).await.map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/lab/order/{id}"))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            // A choice from another medium is shown against the tests list.
            if errors.has("packages") || errors.has("parameters") {
                errors.add_msg("tests", tr.t("lab-error-tests-medium"));
            }
            new_order_page(&state, &auth, form, errors).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One order

pub struct ResultView {
    pub name: String,
    pub unit: String,
    pub method: String,
    pub value: String,
    pub limit: String,
    pub verdict_slug: String,
    pub verdict: String,
}

pub struct InputView {
    pub field: String,
    pub name: String,
    pub unit: String,
    pub limit: String,
    pub value: String,
}

pub struct SampleView {
    pub id: String,
    pub code: String,
    pub description: String,
    pub received: String,
    pub custody: Vec<String>,
}

#[derive(Template)]
#[template(path = "lab_order.html")]
struct OrderPage {
    shell: Shell,
    id: String,
    number: String,
    status_slug: String,
    status: String,
    facts: Vec<(String, String)>,
    lines: Vec<(String, String)>,
    total: String,
    total_value: String,
    samples: Vec<SampleView>,
    results: Vec<ResultView>,
    inputs: Vec<InputView>,
    history: Vec<String>,
    /// The steps this user may take now.
    steps: Vec<String>,
    certificate: Option<String>,
    alert: Option<String>,
    errors: FormErrors,
    today: String,
    version: u32,
    /// Lab officers hand samples on (to an analyst, to storage) while the order is open.
    may_hand_over: bool,
    /// The sample whose hand-over form was refused, to show its errors there.
    handing_over: String,
    /// Whether the quotation can be downloaded: the order has been quoted.
    quoted: bool,
}

fn order_facts(tr: Tr, o: &LabOrder) -> Vec<(String, String)> {
    let mut f = vec![
        (tr.t("lab-customer"), o.row.customer_name.clone()),
        (tr.t("lab-customer-region"), kabkota_name(o.row.customer_region.as_deref())),
        (tr.t("lab-medium"), medium_label(tr, o.row.medium)),
        (tr.t("lab-location"), o.location.clone()),
        (tr.t("lab-ordered"), tr.datetime_ms(o.row.ordered_at_ms)),
    ];
    if let Some(n) = o.note.as_ref().filter(|n| !n.is_empty()) {
        f.push((tr.t("lab-note"), n.clone()));
    }
    if let (Some(inv), Some(on), Some(amount)) = (&o.invoice_number, &o.row.paid_on, o.row.paid_amount) {
        f.push((tr.t("lab-payment"), format!("{} · {} · {}", tr.rupiah(amount), day(tr, on), inv)));
    }
    if let (Some(on), Some(staff)) = (&o.sampling_on, &o.sampling_staff) {
        f.push((tr.t("lab-sampling"), format!("{} · {}", day(tr, on), staff)));
    }
    if let Some(by) = &o.results_by_label {
        f.push((tr.t("lab-results-by"), person(by)));
    }
    if let (Some(by), Some(at)) = (&o.verified_by, o.verified_at_ms) {
        f.push((tr.t("lab-verified-by"), format!("{} · {}", person(by), tr.datetime_ms(at))));
    }
    if let Some(r) = &o.reason {
        f.push((tr.t("lab-reason"), r.clone()));
    }
    f
}

fn day(tr: Tr, iso: &str) -> String {
    time::Date::parse(iso, &time::format_description::well_known::Iso8601::DATE)
        .map(|d| sinergi_domain::format::format_date(d, tr.locale))
        .unwrap_or_else(|_| iso.to_owned())
}

/// The steps the actor may offer: the lab's officers all the state allows; a company's user
/// only to cancel its unpaid order.
fn allowed_steps(actor: &sinergi_domain::Actor, o: &LabOrder) -> Vec<Step> {
    let manage = actor.can(Permission::ManageLab);
    o.steps()
        .iter()
        .copied()
        .filter(|s| manage || (actor.role == Role::Partner && *s == Step::Cancel))
        // The analyst is not offered the verification of their own results.
        .filter(|s| *s != Step::Verify || o.results_by != Some(actor.user_id))
        .collect()
}

async fn order_page(
    state: &AppState,
    auth: &Authed,
    id: LabOrderId,
    alert: Option<String>,
    errors: FormErrors,
    values: HashMap<String, String>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let o = state.store.lab_order(&auth.actor, &tenant, id).await?;
    let results = o
        .results
        .iter()
        .map(|r| ResultView {
            name: r.name.clone(),
            unit: r.unit.clone(),
            method: r.method.clone(),
            value: tr.decimal(r.value),
            limit: limit_label(tr, &r.limit),
            verdict_slug: r.verdict.slug().to_owned(),
            verdict: verdict_label(tr, r.verdict),
        })
        .collect();
    let inputs = o
        .parameters
        .iter()
        .map(|p| {
            let field = format!("r_{}", p.id);
            InputView {
                value: values.get(&field).cloned().unwrap_or_default(),
                field,
                name: p.name.clone(),
                unit: p.unit.clone(),
                limit: limit_label(tr, &p.limit),
            }
        })
        .collect();
    let samples = o
        .samples
        .iter()
        .map(|s| SampleView {
            id: s.id.to_string(),
            code: s.code.clone(),
            description: s.description.clone(),
            received: tr.datetime_ms(s.received_at_ms),
            custody: s
                .custody
                .iter()
                .map(|c| {
                    tr.targs(
                        "lab-custody-line",
                        &[("from", person(&c.from)), ("to", person(&c.to)), ("at", tr.datetime_ms(c.at_ms))],
                    )
                })
                .collect(),
        })
        .collect();
    let history = o
        .transitions
        .iter()
        .map(|t| {
            let to = t.to.parse().map(|s| status_label(tr, s)).unwrap_or_else(|_| t.to.clone());
            let mut line = format!("{} · {} · {}", tr.datetime_ms(t.at_ms), to, person(&t.actor));
            if let Some(r) = &t.reason {
                line.push_str(&format!(" — {r}"));
            }
            line
        })
        .collect();
    let steps = allowed_steps(&auth.actor, &o).iter().map(|s| s.slug().to_owned()).collect();
    let page = OrderPage {
        shell: Shell::new(&auth.ctx, "lab-order-title"),
        id: o.row.id.to_string(),
        number: o.row.number.clone(),
        status_slug: o.row.status.slug().to_owned(),
        status: status_label(tr, o.row.status),
        facts: order_facts(tr, &o),
        lines: o.lines.iter().map(|l| (l.name.clone(), tr.rupiah(l.tariff))).collect(),
        total: tr.rupiah(o.lines.iter().map(|l| l.tariff).sum()),
        total_value: o.row.total.map(|t| t.to_string()).unwrap_or_default(),
        samples,
        results,
        inputs,
        history,
        steps,
        certificate: (o.row.status == OrderStatus::Published).then(|| o.row.certificate_code.clone()).flatten(),
        alert,
        errors,
        today: crate::jobs::today_wib().to_string(),
        version: o.version,
        may_hand_over: auth.actor.can(Permission::ManageLab) && !o.row.status.is_final(),
        handing_over: values.get("sample").cloned().unwrap_or_default(),
        quoted: o.row.total.is_some(),
    };
    Ok(if page.errors.is_empty() && page.alert.is_none() { render(&page) } else { render_invalid(&page) })
}

pub async fn order(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    order_page(&state, &auth, lab_order_id(&id)?, None, FormErrors::default(), HashMap::new()).await
}

/// Run one step from the order page's forms. The form names the step; its fields depend on it.
pub async fn step(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = lab_order_id(&id)?;
    // Another Pemda's or another company's order is not found before any field is read.
    let order = state.store.lab_order(&auth.actor, &tenant, id).await?;
    let values: HashMap<String, String> = fields.into_iter().collect();
    let get = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
    let step: Step = get("step").parse().map_err(|_| AppError::Invalid(FieldError::new("step", "invalid-choice")))?;
    let mut errors = FormErrors::default();
    let store = &state.store;
    let actor = &auth.actor;
    let result: Result<(), AppError> = match step {
        Step::Quote => store.quote_lab_order(actor, &tenant, id).await.map(|_| ()).map_err(AppError::from),
        Step::Pay => {
            let parsed = (|| {
                let amount = rupiah_field(get("amount"), "amount")?.ok_or(FieldError::new("amount", "required"))?;
                let paid_on = date_or_today(get("paid_on"), "paid_on")?;
                Ok::<_, FieldError>(Payment { invoice_number: get("invoice_number").to_owned(), paid_on, amount })
            })();
            match parsed {
                Ok(p) => store.pay_lab_order(actor, &tenant, id, p).await.map(|_| ()).map_err(AppError::from),
                Err(e) => Err(AppError::Invalid(e)),
            }
        }
        Step::Schedule => match date_or_today(get("sampling_on"), "sampling_on") {
            Ok(on) => store.schedule_lab_sampling(actor, &tenant, id, on, get("staff")).await.map_err(AppError::from),
            Err(e) => Err(AppError::Invalid(e)),
        },
        Step::Receive => {
            let samples: Vec<String> = get("samples").lines().map(str::to_owned).collect();
            store
                .receive_lab_samples(actor, &tenant, id, &samples, get("handed_by"))
                .await
                .map(|_| ())
                .map_err(AppError::from)
        }
        Step::Submit => {
            // Every field is checked and every error shown at once, next to its parameter.
            let mut parsed = Vec::new();
            for p in &order.parameters {
                let field = format!("r_{}", p.id);
                match parse_value("value", get(&field)) {
                    Ok(v) => parsed.push((p.id, v)),
                    Err(e) => errors.add_msg(&field, tr.reason(e.reason)),
                }
            }
            if errors.is_empty() {
                store.submit_lab_results(actor, &tenant, id, &parsed).await.map_err(AppError::from)
            } else {
                Ok(())
            }
        }
        Step::Verify => store.verify_lab_order(actor, &tenant, id).await.map_err(AppError::from),
        Step::Publish => store.publish_lab_order(actor, &tenant, id).await.map(|_| ()).map_err(AppError::from),
        Step::Retract | Step::Reject | Step::Cancel => {
            store.withdraw_lab_order(actor, &tenant, id, step, get("reason")).await.map_err(AppError::from)
        }
    };
    let alert = match result {
        Ok(()) if errors.is_empty() => return Ok(see_other(&format!("/lab/order/{id}"))),
        Ok(()) => Some(tr.t("lab-error-results")),
        Err(AppError::Invalid(e)) if e.field == "step" => Some(match e.reason {
            "lab-same-person" => tr.t("lab-error-same-person"),
            _ => tr.targs(
                "lab-error-step",
                &[("step", step_label(tr, step)), ("status", status_label(tr, order.row.status))],
            ),
        }),
        Err(e) => {
            errors.absorb(tr, e)?;
            None
        }
    };
    order_page(&state, &auth, id, alert, errors, values).await
}

// ---------------------------------------------------------------------------------------------
// Certificates

/// The certificate of a published order, as a PDF with its code and a QR code pointing to
/// the public verification page.
pub async fn certificate(
    State(state): State<AppState>,
    auth: Authed,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let o = state.store.lab_order(&auth.actor, &tenant, lab_order_id(&id)?).await?;
    let code = match (&o.row.status, &o.row.certificate_code) {
        (OrderStatus::Published, Some(c)) => c.clone(),
        _ => return Err(AppError::NotFound),
    };
    let view = state.store.verify_lab_certificate(&code).await?;
    let bytes = certificate_pdf(auth.ctx.tr(), &view, &origin(&state, &headers));
    Ok(download(bytes, PDF, &format!("sertifikat-uji-{}.pdf", view.order_number)))
}

pub fn certificate_pdf(tr: Tr, v: &LabCertificateView, origin: &str) -> Vec<u8> {
    let region = sinergi_reference::region(&v.tenant).map(|r| r.name.clone()).unwrap_or_else(|| v.tenant.to_string());
    let issuer = tr.t1("pdf-issuer", "name", region).to_uppercase();
    let subtitle = format!("{} · {}", tr.t("lab-issuer"), v.order_number);
    let now = time::OffsetDateTime::now_utc();
    let generated = tr.t1("pdf-generated", "when", sinergi_domain::format::format_datetime(now, tr.locale));
    let (page, of) = (tr.t("pdf-page"), tr.t("pdf-of"));
    let title = tr.t("lab-certificate-title");
    let mut doc = Document::new(Orientation::Portrait, PageLabels { page: &page, of: &of });
    doc.letterhead(&Letterhead {
        issuer: &issuer,
        title: &title,
        subtitle: Some(&subtitle),
        generated: &generated,
        generated_unix: now.unix_timestamp(),
    });
    doc.key_values(&[
        (tr.t("lab-customer"), v.customer_name.clone()),
        (tr.t("lab-medium"), medium_label(tr, v.medium)),
        (tr.t("lab-location"), v.location.clone()),
        (tr.t("lab-samples"), v.samples.join(", ")),
        (tr.t("lab-verified-by"), v.verified_by.as_deref().map(person).unwrap_or_default()),
        (tr.t("lab-published"), tr.datetime_ms(v.published_at_ms)),
        (tr.t("certificate-code"), v.code.clone()),
    ]);
    let (p, u, val, lim, m, ver) = (
        tr.t("lab-parameter"),
        tr.t("lab-unit"),
        tr.t("lab-value"),
        tr.t("lab-limit"),
        tr.t("lab-method"),
        tr.t("lab-verdict"),
    );
    let columns = [
        Column::new(&p, 2.0),
        Column::new(&u, 1.0),
        Column::new(&val, 1.0).right(),
        Column::new(&lim, 1.2).right(),
        Column::new(&m, 1.6),
        Column::new(&ver, 1.4),
    ];
    let rows: Vec<Vec<String>> = v
        .results
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.unit.clone(),
                tr.decimal(r.value),
                limit_label(tr, &r.limit),
                r.method.clone(),
                verdict_label(tr, r.verdict),
            ]
        })
        .collect();
    doc.table(&columns, &rows, &tr.t("empty-list"));
    let url = format!("{origin}/lab/sertifikat?kode={}", v.code);
    doc.paragraph(
        &tr.targs("certificate-verify", &[("url", format!("{origin}/lab/sertifikat")), ("code", v.code.clone())]),
    );
    if let Ok(qr) = qrcode::QrCode::new(url.as_bytes()) {
        let width = qr.width();
        let dark: Vec<bool> = qr.to_colors().iter().map(|c| *c == qrcode::Color::Dark).collect();
        doc.square_matrix(&dark, width, 96.0);
    }
    doc.finish()
}

pub struct VerifiedLabView {
    pub customer: String,
    pub issuer: String,
    pub number: String,
    pub medium: String,
    pub location: String,
    pub published: String,
    pub code: String,
    pub retracted: bool,
    pub results: Vec<ResultView>,
}

#[derive(Template)]
#[template(path = "lab_verify.html")]
struct VerifyPage {
    shell: Shell,
    code: String,
    found: Option<VerifiedLabView>,
    not_found: bool,
}

#[derive(Deserialize, Default)]
pub struct VerifyQuery {
    #[serde(default)]
    kode: String,
}

/// The public verification of a laboratory certificate: no login.
pub async fn verify(State(state): State<AppState>, ctx: Ctx, Query(q): Query<VerifyQuery>) -> AppResult<Response> {
    let tr = ctx.tr();
    let code = q.kode.trim().to_owned();
    let (found, not_found) = if code.is_empty() {
        (None, false)
    } else {
        match state.store.verify_lab_certificate(&code).await {
            Ok(v) => {
                let region = sinergi_reference::region(&v.tenant)
                    .map(|r| r.name.clone())
                    .unwrap_or_else(|| v.tenant.to_string());
                (
                    Some(VerifiedLabView {
                        customer: v.customer_name.clone(),
                        issuer: format!("{} — {}", tr.t("lab-issuer"), region),
                        number: v.order_number.clone(),
                        medium: medium_label(tr, v.medium),
                        location: v.location.clone(),
                        published: tr.datetime_ms(v.published_at_ms),
                        code: v.code.clone(),
                        retracted: v.retracted,
                        results: v
                            .results
                            .iter()
                            .map(|r| ResultView {
                                name: r.name.clone(),
                                unit: r.unit.clone(),
                                method: r.method.clone(),
                                value: tr.decimal(r.value),
                                limit: limit_label(tr, &r.limit),
                                verdict_slug: r.verdict.slug().to_owned(),
                                verdict: verdict_label(tr, r.verdict),
                            })
                            .collect(),
                    }),
                    false,
                )
            }
            Err(StoreError::NotFound) => (None, true),
            Err(e) => return Err(e.into()),
        }
    };
    let page = VerifyPage { shell: Shell::new(&ctx, "lab-verify-title"), code, found, not_found };
    let mut r = render(&page);
    if page.not_found {
        // A wrong code is an answer, not an error page; 404 tells scripts the same.
        *r.status_mut() = axum::http::StatusCode::NOT_FOUND;
    }
    Ok(r)
}

/// The keys the Labkesda's pages build at run time, for the locale completeness test.
#[cfg(test)]
pub(crate) fn locale_keys(wanted: &mut Vec<String>) {
    wanted.extend(Medium::ALL.iter().map(|m| format!("lab-medium-{}", m.slug())));
    wanted.extend(OrderStatus::ALL.iter().map(|s| format!("lab-status-{}", s.slug())));
    wanted.extend(Step::ALL.iter().map(|s| format!("lab-step-{}", s.slug())));
    wanted.extend(Verdict::ALL.iter().map(|v| format!("lab-verdict-{}", v.slug())));
    for reason in ["negative", "lab-step-not-allowed", "lab-same-person", "lab-amount-not-total"] {
        wanted.push(format!("error-{reason}"));
    }
    for action in [
        "lab-add-parameter",
        "lab-add-package",
        "lab-set-tariff",
        "lab-set-agreement",
        "lab-create-order",
        "lab-quote",
        "lab-pay",
        "lab-schedule",
        "lab-receive",
        "lab-hand-over",
        "lab-submit-results",
        "lab-verify",
        "lab-publish",
        "lab-retract",
        "lab-reject",
        "lab-cancel",
        "lab-backdate",
    ] {
        wanted.push(format!("audit-action-{action}"));
    }
}

// ---------------------------------------------------------------------------------------------
// New parameters and packages for the catalogue

/// A parameter as typed on the catalogue page.
#[derive(Deserialize, Default, Clone)]
pub struct ParameterForm {
    #[serde(default)]
    pub medium: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub limit_min: String,
    #[serde(default)]
    pub limit_max: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub tariff: String,
    #[serde(default)]
    pub tariff_basis: String,
    #[serde(default)]
    pub turnaround_days: String,
}

/// A package as typed: its medium, name, the parameters it holds, tariff and turnaround.
#[derive(Deserialize, Default, Clone)]
pub struct PackageForm {
    #[serde(default)]
    pub medium: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub parameter: Vec<String>,
    #[serde(default)]
    pub tariff: String,
    #[serde(default)]
    pub tariff_basis: String,
    #[serde(default)]
    pub turnaround_days: String,
}

/// What the catalogue's add forms hold when shown again with their errors.
#[derive(Default, Clone)]
pub struct CatalogueForms {
    pub parameter: ParameterForm,
    pub package: PackageForm,
    pub open_parameter: bool,
    pub open_package: bool,
}

/// Collects each field's error, so a form is answered with all of them at once.
struct Errors(Vec<FieldError>);

impl Errors {
    fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    fn text(&mut self, field: &'static str, value: &str) {
        if value.trim().is_empty() {
            self.0.push(FieldError::new(field, "required"));
        }
    }
}

fn medium_field(s: &str) -> Result<Medium, FieldError> {
    s.trim().parse().map_err(|_| FieldError::new("medium", "invalid-choice"))
}

fn tariff_field(s: &str) -> Result<i64, FieldError> {
    rupiah_field(s, "tariff")?.ok_or(FieldError::new("tariff", "required"))
}

fn days_field(s: &str) -> Result<u32, FieldError> {
    match s.trim() {
        "" => Err(FieldError::new("turnaround_days", "required")),
        t => match t.parse::<u32>() {
            Ok(d) if (1..=365).contains(&d) => Ok(d),
            Ok(_) => Err(FieldError::new("turnaround_days", "out-of-range")),
            Err(_) => Err(FieldError::new("turnaround_days", "invalid-number")),
        },
    }
}

fn bound_field(field: &'static str, s: &str) -> Result<Option<f64>, FieldError> {
    if s.trim().is_empty() { Ok(None) } else { parse_value(field, s).map(Some) }
}

impl ParameterForm {
    /// The parameter, or every field's error.
    pub fn parse(&self) -> Result<sinergi_store::lab::NewLabParameter, Vec<FieldError>> {
        let mut e = Errors(Vec::new());
        let medium = e.take(medium_field(&self.medium));
        e.text("name", &self.name);
        e.text("unit", &self.unit);
        e.text("method", &self.method);
        let min = e.take(bound_field("limit_min", &self.limit_min));
        let max = e.take(bound_field("limit_max", &self.limit_max));
        let limit = match (min, max) {
            (Some(min), Some(max)) => {
                e.take(Limit::new(min, max).map_err(|_| FieldError::new("limit_max", "lab-limit-inverted")))
            }
            _ => None,
        };
        // A standard needs the regulation that sets it; "no standard" needs none.
        if limit.is_some_and(|l| l != Limit::None) {
            e.text("legal_basis", &self.legal_basis);
        }
        let tariff = e.take(tariff_field(&self.tariff));
        e.text("tariff_basis", &self.tariff_basis);
        let days = e.take(days_field(&self.turnaround_days));
        match (medium, limit, tariff, days) {
            (Some(medium), Some(limit), Some(tariff), Some(turnaround_days)) if e.0.is_empty() => {
                Ok(sinergi_store::lab::NewLabParameter {
                    medium,
                    name: self.name.trim().to_owned(),
                    unit: self.unit.trim().to_owned(),
                    method: self.method.trim().to_owned(),
                    limit,
                    legal_basis: self.legal_basis.trim().to_owned(),
                    tariff,
                    tariff_basis: self.tariff_basis.trim().to_owned(),
                    turnaround_days,
                })
            }
            _ => Err(e.0),
        }
    }
}

impl PackageForm {
    /// The package, or every field's error. That its parameters are of its medium is the
    /// store's to check: it knows them.
    pub fn parse(&self) -> Result<sinergi_store::lab::NewLabPackage, Vec<FieldError>> {
        let mut e = Errors(Vec::new());
        let medium = e.take(medium_field(&self.medium));
        e.text("name", &self.name);
        let parameters: Vec<LabParameterId> = match self.parameter.iter().map(|p| p.parse()).collect() {
            Ok(ids) => ids,
            Err(_) => {
                e.0.push(FieldError::new("parameters", "invalid-choice"));
                Vec::new()
            }
        };
        if self.parameter.is_empty() {
            e.0.push(FieldError::new("parameters", "required"));
        }
        let tariff = e.take(tariff_field(&self.tariff));
        e.text("tariff_basis", &self.tariff_basis);
        let days = e.take(days_field(&self.turnaround_days));
        match (medium, tariff, days) {
            (Some(medium), Some(tariff), Some(turnaround_days)) if e.0.is_empty() => {
                Ok(sinergi_store::lab::NewLabPackage {
                    medium,
                    name: self.name.trim().to_owned(),
                    parameters,
                    tariff,
                    tariff_basis: self.tariff_basis.trim().to_owned(),
                    turnaround_days,
                })
            }
            _ => Err(e.0),
        }
    }
}

/// The catalogue again with the form's errors next to their fields and what was typed kept.
async fn refused(state: &AppState, auth: &Authed, errs: Vec<FieldError>, forms: CatalogueForms) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let mut errors = FormErrors::default();
    for e in &errs {
        errors.add(tr, e);
    }
    catalogue_page(state, auth, errors, false, forms).await
}

pub async fn add_parameter(
    State(state): State<AppState>,
    auth: Authed,
    Form(form): Form<ParameterForm>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let forms = CatalogueForms { parameter: form.clone(), open_parameter: true, ..Default::default() };
    let new = match form.parse() {
        Ok(new) => new,
        Err(errs) => return refused(&state, &auth, errs, forms).await,
    };
    let medium = new.medium;
    match state.store.add_lab_parameter(&auth.actor, &tenant, new).await {
        Ok(_) => Ok(see_other(&format!("/lab/katalog?disimpan=1#{}", medium.slug()))),
        Err(StoreError::Invalid(e)) => refused(&state, &auth, vec![e], forms).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn add_package(
    State(state): State<AppState>,
    auth: Authed,
    Form(form): Form<PackageForm>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let forms = CatalogueForms { package: form.clone(), open_package: true, ..Default::default() };
    let new = match form.parse() {
        Ok(new) => new,
        Err(errs) => return refused(&state, &auth, errs, forms).await,
    };
    match state.store.add_lab_package(&auth.actor, &tenant, new).await {
        Ok(_) => Ok(see_other("/lab/katalog?disimpan=1")),
        Err(StoreError::Invalid(e)) => refused(&state, &auth, vec![e], forms).await,
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<impl std::fmt::Debug, Vec<FieldError>>) -> Vec<(&'static str, &'static str)> {
        r.expect_err("refused").iter().map(|e| (e.field, e.reason)).collect()
    }

    #[test]
    fn a_parameter_form_names_every_bad_field_at_once() {
        let form = ParameterForm {
            medium: "lumpur".into(),
            limit_min: "9".into(),
            limit_max: "6".into(),
            tariff: "seratus".into(),
            turnaround_days: "0".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(form.parse()),
            [
                ("medium", "invalid-choice"),
                ("name", "required"),
                ("unit", "required"),
                ("method", "required"),
                ("limit_max", "lab-limit-inverted"),
                ("tariff", "invalid-amount"),
                ("tariff_basis", "required"),
                ("turnaround_days", "out-of-range"),
            ]
        );
        let good = ParameterForm {
            medium: "air-limbah".into(),
            name: "COD".into(),
            unit: "mg/L".into(),
            method: "SNI 6989.2:2019".into(),
            limit_max: "100,5".into(),
            legal_basis: "Permen LHK P.68/2016".into(),
            tariff: "Rp 125.000".into(),
            tariff_basis: "Perda Kota Serang".into(),
            turnaround_days: "14".into(),
            ..Default::default()
        };
        let p = good.parse().expect("parsed");
        assert_eq!((p.limit, p.tariff, p.turnaround_days), (Limit::Max { max: 100.5 }, 125_000, 14));
        // A standard needs its regulation; no standard needs none.
        assert_eq!(
            fields(ParameterForm { legal_basis: " ".into(), ..good.clone() }.parse()),
            [("legal_basis", "required")]
        );
        let none = ParameterForm { limit_max: String::new(), legal_basis: String::new(), ..good };
        assert_eq!(none.parse().expect("no standard").limit, Limit::None);
    }

    #[test]
    fn a_package_needs_parameters_that_are_ids() {
        let form = PackageForm {
            medium: "air-limbah".into(),
            name: "Paket".into(),
            tariff: "1".into(),
            tariff_basis: "Perda".into(),
            turnaround_days: "7".into(),
            ..Default::default()
        };
        assert_eq!(fields(form.parse()), [("parameters", "required")]);
        let bad = PackageForm { parameter: vec!["bukan-id".into()], ..form.clone() };
        assert_eq!(fields(bad.parse()), [("parameters", "invalid-choice")]);
        let ok = PackageForm { parameter: vec![LabParameterId::new().to_string()], ..form };
        assert_eq!(ok.parse().expect("parsed").parameters.len(), 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Sample hand-overs and the quotation

#[derive(Deserialize, Default)]
pub struct HandOverForm {
    #[serde(default)]
    sample: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    note: String,
}

/// A sample handed on after its receipt (to the analyst, to cold storage): one more line in
/// its chain of custody, from whoever held it last.
pub async fn hand_over(
    State(state): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    Form(form): Form<HandOverForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = lab_order_id(&id)?;
    // Another Pemda's or another company's order is not found before any field is read.
    state.store.lab_order(&auth.actor, &tenant, id).await?;
    let sample: sinergi_domain::LabSampleId = form.sample.trim().parse().map_err(|_| AppError::NotFound)?;
    let note = Some(form.note.as_str());
    match state.store.hand_over_lab_sample(&auth.actor, &tenant, id, sample, &form.to, note).await {
        Ok(()) => Ok(see_other(&format!("/lab/order/{id}#sampel"))),
        Err(StoreError::Invalid(e)) => {
            let mut errors = FormErrors::default();
            errors.add(tr, &e);
            let values = HashMap::from([
                ("sample".to_owned(), form.sample),
                ("to".to_owned(), form.to),
                ("note".to_owned(), form.note),
            ]);
            order_page(&state, &auth, id, None, errors, values).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The quotation as a PDF for the company's finance office: each test with its tariff and the
/// Perda that sets it, the total to pay as retribution, and how to pay it.
pub async fn quotation(State(state): State<AppState>, auth: Authed, Path(id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let o = state.store.lab_order(&auth.actor, &tenant, lab_order_id(&id)?).await?;
    // Registered but not yet quoted: there is nothing to pay yet.
    let total = o.row.total.ok_or(AppError::NotFound)?;
    let catalogue = state.store.lab_catalogue(&auth.actor, &tenant).await?;
    let basis = |l: &sinergi_store::lab::LabOrderLine| {
        l.package_id
            .and_then(|p| catalogue.packages.iter().find(|x| x.id == p).map(|x| x.tariff_basis.clone()))
            .or_else(|| l.parameter_id.and_then(|p| catalogue.parameter(p).map(|x| x.tariff_basis.clone())))
            .unwrap_or_default()
    };
    let title = tr.t("lab-quotation-title");
    let subtitle = format!("{} · {}", tr.t("lab-issuer"), o.row.number);
    let mut doc = super::exports::pdf_document(&auth, Orientation::Portrait, &title, Some(&subtitle));
    doc.key_values(&[
        (tr.t("lab-order-number"), o.row.number.clone()),
        (tr.t("lab-customer"), o.row.customer_name.clone()),
        (tr.t("lab-medium"), medium_label(tr, o.row.medium)),
        (tr.t("lab-location"), o.location.clone()),
        (tr.t("lab-ordered"), tr.datetime_ms(o.row.ordered_at_ms)),
    ]);
    let (item, b, t) = (tr.t("lab-quotation-item"), tr.t("lab-tariff-basis"), tr.t("lab-tariff"));
    let columns = [Column::new(&item, 2.4), Column::new(&b, 2.4), Column::new(&t, 1.2).right()];
    let mut rows: Vec<Vec<String>> =
        o.lines.iter().map(|l| vec![l.name.clone(), basis(l), tr.rupiah(l.tariff)]).collect();
    rows.push(vec![tr.t("lab-total"), String::new(), tr.rupiah(total)]);
    doc.table(&columns, &rows, &tr.t("empty-list"));
    doc.paragraph(&tr.targs("lab-quotation-payment", &[("number", o.row.number.clone()), ("total", tr.rupiah(total))]));
    Ok(download(doc.finish(), PDF, &format!("penawaran-uji-{}.pdf", o.row.number)))
}

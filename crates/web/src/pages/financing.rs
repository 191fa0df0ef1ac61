//! Financing referrals: the list with its totals by status, scheme and bank (each a link to the
//! referrals behind it), the referral form, the schemes and their ceilings, one referral with
//! its steps, and the workbook. A bank's user sees and moves only its bank's referrals; the
//! store enforces it (`sinergi_store::markets::financing`).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::cooperation::needs::PartnerKind;
use sinergi_domain::format::format_date;
use sinergi_domain::market::ReferralStatus;
use sinergi_domain::{BusinessId, PartnerId, Permission, ReferralId, Role};
use sinergi_io::export::{Sheet, Value, xlsx_book};
use sinergi_store::markets::{ReferralFilter, ReferralInput, ReferralMove, ReferralRow, SchemeInput, SchemeRow};
use sinergi_store::partners::PartnerFilter;
use sinergi_store::umkm::BusinessFilter;

use super::channels::{date_or_today, rupiah_field};
use super::exports::{XLSX, download, letterhead};
use super::umkm::{region_name, tenant_of};
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::jobs::today_wib;

pub fn referral_id(s: &str) -> AppResult<ReferralId> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub fn status_label(tr: Tr, s: ReferralStatus) -> String {
    tr.t(&format!("referral-status-{}", s.slug()))
}

fn money(tr: Tr, v: Option<i64>) -> String {
    v.map(|v| tr.rupiah(v)).unwrap_or_else(|| "—".into())
}

// ---------------------------------------------------------------------------------------------
// The list and its totals

pub struct ReferralRowView {
    pub id: String,
    pub business: String,
    pub place: String,
    pub bank: String,
    pub scheme: String,
    pub status: String,
    pub status_slug: String,
    pub referred_on: String,
    pub asked: String,
    pub approved: String,
    pub disbursed: String,
}

fn row_view(tr: Tr, r: &ReferralRow) -> ReferralRowView {
    ReferralRowView {
        id: r.id.to_string(),
        business: r.business_name.clone(),
        place: region_name(r.kecamatan.as_ref()),
        bank: r.partner_name.clone(),
        scheme: r.scheme_name.clone(),
        status: status_label(tr, r.status),
        status_slug: r.status.slug().to_owned(),
        referred_on: format_date(r.referred_on, tr.locale),
        asked: tr.rupiah(r.amount_asked),
        approved: money(tr, r.amount_approved),
        disbursed: money(tr, r.amount_disbursed),
    }
}

/// One line of a totals table: its label, the filter link behind it, count and sums.
pub struct TotalView {
    pub label: String,
    pub href: String,
    pub count: usize,
    pub asked: String,
    pub approved: String,
    pub disbursed: String,
}

#[derive(Default)]
struct Sums {
    count: usize,
    asked: i64,
    approved: i64,
    disbursed: i64,
}

fn totals<K: Ord>(
    tr: Tr,
    rows: &[ReferralRow],
    key: impl Fn(&ReferralRow) -> K,
    label: impl Fn(&K) -> (String, String),
) -> Vec<TotalView> {
    let mut by: BTreeMap<K, Sums> = BTreeMap::new();
    for r in rows {
        let s = by.entry(key(r)).or_default();
        s.count += 1;
        s.asked += r.amount_asked;
        s.approved += r.amount_approved.unwrap_or(0);
        s.disbursed += r.amount_disbursed.unwrap_or(0);
    }
    by.iter()
        .map(|(k, s)| {
            let (label, href) = label(k);
            TotalView {
                label,
                href,
                count: s.count,
                asked: tr.rupiah(s.asked),
                approved: tr.rupiah(s.approved),
                disbursed: tr.rupiah(s.disbursed),
            }
        })
        .collect()
}

fn status_order(s: ReferralStatus) -> usize {
    ReferralStatus::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    scheme: String,
    #[serde(default)]
    bank: String,
    /// Words of a business name, to choose whom to refer.
    #[serde(default)]
    q: String,
    /// The business chosen for the referral form.
    #[serde(default)]
    usaha: String,
}

impl ListQuery {
    fn filter(&self) -> ReferralFilter {
        ReferralFilter {
            status: self.status.parse().ok(),
            scheme: Some(self.scheme.trim().to_owned()).filter(|s| !s.is_empty()),
            partner: self.bank.parse().ok(),
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ReferralForm {
    #[serde(default)]
    business: String,
    #[serde(default)]
    partner_id: String,
    #[serde(default)]
    scheme_code: String,
    #[serde(default)]
    amount_asked: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    on: String,
}

pub struct SchemeView {
    pub code: String,
    pub name: String,
    pub bank: String,
    pub partner_id: String,
    pub ceiling: String,
    pub ceiling_value: String,
    pub active: bool,
    pub edited: bool,
}

fn scheme_view(tr: Tr, s: &SchemeRow) -> SchemeView {
    SchemeView {
        code: s.code.clone(),
        name: s.name.clone(),
        bank: s.partner_name.clone().unwrap_or_else(|| tr.t("scheme-any-bank")),
        partner_id: s.partner_id.map(|p| p.to_string()).unwrap_or_default(),
        ceiling: tr.rupiah(s.ceiling),
        ceiling_value: s.ceiling.to_string(),
        active: s.active,
        edited: s.edited,
    }
}

#[derive(Template)]
#[template(path = "referral_list.html")]
struct ReferralListPage {
    shell: Shell,
    rows: Vec<ReferralRowView>,
    by_status: Vec<TotalView>,
    by_scheme: Vec<TotalView>,
    by_bank: Vec<TotalView>,
    filtered: bool,
    is_bank: bool,
    can_manage: bool,
    schemes: Vec<SchemeView>,
    banks: Vec<(String, String)>,
    q: String,
    found: Vec<(String, String, String)>,
    chosen: Option<(String, String)>,
    form: ReferralForm,
    errors: FormErrors,
    scheme_errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    auth: &Authed,
    q: ListQuery,
    form: ReferralForm,
    errors: FormErrors,
    scheme_errors: FormErrors,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let all = state.store.referrals(&auth.actor, &tenant, &ReferralFilter::default()).await?;
    let filter = q.filter();
    let shown: Vec<&ReferralRow> = all
        .iter()
        .filter(|r| filter.status.is_none_or(|s| r.status == s))
        .filter(|r| filter.scheme.as_ref().is_none_or(|s| &r.scheme_code == s))
        .filter(|r| filter.partner.is_none_or(|p| r.partner_id == p))
        .collect();
    let by_status = totals(
        tr,
        &all,
        |r| status_order(r.status),
        |k| {
            let s = ReferralStatus::ALL[*k];
            (status_label(tr, s), format!("/pembiayaan?status={}", s.slug()))
        },
    );
    let by_scheme = totals(
        tr,
        &all,
        |r| (r.scheme_name.clone(), r.scheme_code.clone()),
        |(name, code)| (name.clone(), format!("/pembiayaan?scheme={code}")),
    );
    let by_bank = totals(
        tr,
        &all,
        |r| (r.partner_name.clone(), r.partner_id),
        |(name, id)| (name.clone(), format!("/pembiayaan?bank={id}")),
    );
    let can_manage = auth.actor.can(Permission::ManageUmkm);
    let (schemes, banks, found, chosen) = if can_manage {
        let schemes = state.store.financing_schemes(&auth.actor, &tenant).await?;
        let banks = state
            .store
            .partners(&auth.actor, &PartnerFilter { kind: Some(PartnerKind::Bank), query: None })
            .await?
            .into_iter()
            .map(|p| (p.id.to_string(), p.name))
            .collect();
        let found = match q.q.trim() {
            "" => Vec::new(),
            words => state
                .store
                .umkm_businesses(
                    &auth.actor,
                    &tenant,
                    &BusinessFilter { q: Some(words.to_owned()), ..Default::default() },
                    0,
                    20,
                )
                .await?
                .rows
                .into_iter()
                .map(|b| (b.id.to_string(), b.name, region_name(b.kecamatan.as_ref())))
                .collect(),
        };
        let wanted = if form.business.is_empty() { q.usaha.clone() } else { form.business.clone() };
        let chosen = match wanted.parse::<BusinessId>() {
            Ok(b) => {
                state.store.umkm_business(&auth.actor, &tenant, b).await.ok().map(|d| (b.to_string(), d.business.name))
            }
            Err(_) => None,
        };
        (schemes.iter().map(|s| scheme_view(tr, s)).collect(), banks, found, chosen)
    } else {
        (Vec::new(), Vec::new(), Vec::new(), None)
    };
    let page = ReferralListPage {
        shell: Shell::new(&auth.ctx, "financing-title"),
        rows: shown.iter().map(|r| row_view(tr, r)).collect(),
        by_status,
        by_scheme,
        by_bank,
        filtered: filter.status.is_some() || filter.scheme.is_some() || filter.partner.is_some(),
        is_bank: auth.actor.role == Role::Partner,
        can_manage,
        schemes,
        banks,
        q: q.q,
        found,
        chosen,
        form,
        errors,
        scheme_errors,
    };
    Ok(if page.errors.is_empty() && page.scheme_errors.is_empty() { render(&page) } else { render_invalid(&page) })
}

pub async fn list(State(state): State<AppState>, auth: Authed, Query(q): Query<ListQuery>) -> AppResult<Response> {
    list_page(&state, &auth, q, ReferralForm::default(), FormErrors::default(), FormErrors::default()).await
}

fn parse_referral(form: &ReferralForm) -> Result<ReferralInput, FieldError> {
    let business = form.business.parse::<BusinessId>().map_err(|_| FieldError::new("business", "required"))?;
    let partner_id = form.partner_id.parse::<PartnerId>().map_err(|_| FieldError::new("partner_id", "required"))?;
    let amount_asked =
        rupiah_field(&form.amount_asked, "amount_asked")?.ok_or(FieldError::new("amount_asked", "required"))?;
    Ok(ReferralInput {
        business,
        partner_id,
        scheme_code: form.scheme_code.trim().to_owned(),
        amount_asked,
        purpose: form.purpose.clone(),
        on: date_or_today(&form.on, "on")?,
    })
}

pub async fn create(
    State(state): State<AppState>,
    auth: Authed,
    Form(form): Form<ReferralForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let result = match parse_referral(&form) {
        Ok(input) => {
            state.store.create_referral(&auth.actor, &tenant, input, today_wib()).await.map_err(AppError::from)
        }
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/pembiayaan/{id}"))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            list_page(&state, &auth, ListQuery::default(), form, errors, FormErrors::default()).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct SchemeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    partner_id: String,
    #[serde(default)]
    ceiling: String,
    #[serde(default)]
    active: String,
}

pub async fn save_scheme(
    State(state): State<AppState>,
    auth: Authed,
    Form(form): Form<SchemeForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let parsed = (|| -> Result<SchemeInput, FieldError> {
        Ok(SchemeInput {
            code: form.code.clone(),
            name: form.name.clone(),
            partner_id: match form.partner_id.trim() {
                "" => None,
                p => Some(p.parse().map_err(|_| FieldError::new("partner_id", "invalid-choice"))?),
            },
            ceiling: rupiah_field(&form.ceiling, "ceiling")?.ok_or(FieldError::new("ceiling", "required"))?,
            active: !form.active.is_empty(),
        })
    })();
    let result = match parsed {
        Ok(input) => state.store.save_financing_scheme(&auth.actor, &tenant, input).await.map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(see_other("/pembiayaan#skema")),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            list_page(&state, &auth, ListQuery::default(), ReferralForm::default(), FormErrors::default(), errors).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One referral

pub struct EventView {
    pub step: String,
    pub on: String,
    pub by: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "referral_show.html")]
struct ReferralPage {
    shell: Shell,
    id: String,
    business: String,
    business_id: String,
    status: String,
    facts: Vec<(String, String)>,
    events: Vec<EventView>,
    moves: Vec<(String, String)>,
    can_move: bool,
    is_internal: bool,
    form: MoveForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default, Clone)]
pub struct MoveForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    amount_approved: String,
    #[serde(default)]
    amount_disbursed: String,
    #[serde(default)]
    decline_reason: String,
    #[serde(default)]
    note: String,
}

fn referral_page(auth: &Authed, r: &ReferralRow, form: MoveForm, errors: FormErrors) -> Response {
    let tr = auth.ctx.tr();
    let facts = vec![
        (tr.t("referral-bank"), r.partner_name.clone()),
        (tr.t("referral-scheme"), format!("{} ({} {})", r.scheme_name, tr.t("referral-ceiling"), tr.rupiah(r.ceiling))),
        (tr.t("referral-amount-asked"), tr.rupiah(r.amount_asked)),
        (tr.t("referral-purpose"), r.purpose.clone()),
        (tr.t("referral-amount-approved"), money(tr, r.amount_approved)),
        (tr.t("referral-amount-disbursed"), money(tr, r.amount_disbursed)),
        (tr.t("referral-decline-reason"), r.decline_reason.clone().unwrap_or_else(|| "—".into())),
        (tr.t("umkm-field-kecamatan"), region_name(r.kecamatan.as_ref())),
    ];
    let page = ReferralPage {
        shell: Shell::new(&auth.ctx, "financing-title"),
        id: r.id.to_string(),
        business: r.business_name.clone(),
        business_id: r.business.to_string(),
        status: status_label(tr, r.status),
        facts,
        events: r
            .events
            .iter()
            .map(|e| EventView {
                step: match e.from {
                    Some(f) => format!("{} → {}", status_label(tr, f), status_label(tr, e.to)),
                    None => status_label(tr, e.to),
                },
                on: format_date(e.on, tr.locale),
                // The name only: an officer's e-mail address is not the bank's business.
                by: e.by.split(" <").next().unwrap_or(&e.by).to_owned(),
                note: e.note.clone().unwrap_or_default(),
            })
            .collect(),
        moves: r.status.next().iter().map(|s| (s.slug().to_owned(), status_label(tr, *s))).collect(),
        can_move: auth.actor.role == Role::Partner || auth.actor.can(Permission::ManageUmkm),
        is_internal: auth.actor.role.is_internal(),
        form,
        errors,
    };
    if page.errors.is_empty() { render(&page) } else { render_invalid(&page) }
}

pub async fn show(State(state): State<AppState>, auth: Authed, Path(referral_id): Path<String>) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let r = state.store.referral(&auth.actor, &tenant, self::referral_id(&referral_id)?).await?;
    Ok(referral_page(&auth, &r, MoveForm::default(), FormErrors::default()))
}

pub async fn move_status(
    State(state): State<AppState>,
    auth: Authed,
    Path(referral_id): Path<String>,
    Form(form): Form<MoveForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = self::referral_id(&referral_id)?;
    // Another Pemda's (or another bank's) referral is not found before the form is read.
    let r = state.store.referral(&auth.actor, &tenant, id).await?;
    let parsed = (|| -> Result<ReferralMove, FieldError> {
        Ok(ReferralMove {
            to: form.status.parse().map_err(|_| FieldError::new("status", "invalid-choice"))?,
            on: date_or_today(&form.on, "on")?,
            amount_approved: rupiah_field(&form.amount_approved, "amount_approved")?,
            amount_disbursed: rupiah_field(&form.amount_disbursed, "amount_disbursed")?,
            decline_reason: Some(form.decline_reason.clone()),
            note: Some(form.note.clone()),
        })
    })();
    let result = match parsed {
        Ok(mv) => state.store.move_referral(&auth.actor, &tenant, id, mv, today_wib()).await.map_err(AppError::from),
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/pembiayaan/{id}"))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            Ok(referral_page(&auth, &r, form, errors))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The workbook

/// Every referral the reader may see, and the totals by status, scheme and bank.
pub async fn export(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let all = state.store.referrals(&auth.actor, &tenant, &ReferralFilter::default()).await?;
    let headers: Vec<String> = [
        "umkm-field-business_name",
        "umkm-field-kecamatan",
        "referral-bank",
        "referral-scheme",
        "field-status",
        "referral-referred-on",
        "referral-amount-asked",
        "referral-amount-approved",
        "referral-amount-disbursed",
        "referral-decline-reason",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let rows: Vec<Vec<Value>> = all
        .iter()
        .map(|r| {
            vec![
                Value::Text(r.business_name.clone()),
                Value::Text(region_name(r.kecamatan.as_ref())),
                Value::Text(r.partner_name.clone()),
                Value::Text(r.scheme_name.clone()),
                Value::Text(status_label(tr, r.status)),
                Value::Text(format_date(r.referred_on, tr.locale)),
                Value::Rupiah(r.amount_asked),
                r.amount_approved.map(Value::Rupiah).unwrap_or(Value::Empty),
                r.amount_disbursed.map(Value::Rupiah).unwrap_or(Value::Empty),
                r.decline_reason.as_deref().map(Value::from).unwrap_or(Value::Empty),
            ]
        })
        .collect();
    let total_headers: Vec<String> = [
        "referral-group",
        "referral-count",
        "referral-amount-asked",
        "referral-amount-approved",
        "referral-amount-disbursed",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let mut total_rows: Vec<Vec<Value>> = Vec::new();
    let mut group = |title: String, key: &dyn Fn(&ReferralRow) -> String| {
        let mut by: BTreeMap<String, Sums> = BTreeMap::new();
        for r in &all {
            let s = by.entry(key(r)).or_default();
            s.count += 1;
            s.asked += r.amount_asked;
            s.approved += r.amount_approved.unwrap_or(0);
            s.disbursed += r.amount_disbursed.unwrap_or(0);
        }
        for (k, s) in by {
            total_rows.push(vec![
                Value::Text(format!("{title}: {k}")),
                Value::Number(s.count as f64),
                Value::Rupiah(s.asked),
                Value::Rupiah(s.approved),
                Value::Rupiah(s.disbursed),
            ]);
        }
    };
    group(tr.t("field-status"), &|r| status_label(tr, r.status));
    group(tr.t("referral-scheme"), &|r| r.scheme_name.clone());
    group(tr.t("referral-bank"), &|r| r.partner_name.clone());
    let (name, slug) = letterhead(&auth);
    let title = tr.t("financing-export-title");
    let subtitle = tr.t1("channels-export-subtitle", "name", name);
    let (s1, s2) = (tr.t("financing-sheet-referrals"), tr.t("financing-sheet-totals"));
    let bytes = tokio::task::spawn_blocking(move || {
        xlsx_book(&[
            Sheet { name: &s1, title: &title, subtitle: &subtitle, headers: &headers, rows: &rows },
            Sheet { name: &s2, title: &title, subtitle: &subtitle, headers: &total_headers, rows: &total_rows },
        ])
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(download(bytes, XLSX, &format!("rujukan-pembiayaan-{slug}.xlsx")))
}

//! Demand matching (issue 7): buyers post what they need, Sinergi ranks local suppliers with
//! the reasons, the buyer notifies the top ones, suppliers offer, the buyer accepts one and the
//! deal's value counts as captured locally. The store decides who sees and does what
//! (`sinergi_store::demand`); these pages show it.
//!
//! The ranking comes from each Pemda's [`SupplyIndex`] in memory, kept by [`SupplyIndexes`]: when
//! the Pemda's latest audited write is newer than the index (every write is audited), the
//! suppliers changed since are read again and upserted (milliseconds), or, when many changed,
//! the index is rebuilt in the background while the previous one answers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum_extra::extract::Form;
use serde::Deserialize;
use sinergi_domain::format::format_date;
use sinergi_domain::market::catalogue::Category;
use sinergi_domain::market::demand::{BuyerKind, DemandForm, DemandStatus, Frequency, OfferForm};
use sinergi_domain::umkm::PermitKind;
use sinergi_domain::{Actor, DemandId, DemandOfferId, Permission, RegionCode, Role};
use sinergi_engines::supply::{DemandQuery, Nearness, Reason, SupplierMatch, SupplierRef, SupplyIndex, monthly};
use sinergi_io::export::{Sheet, Value, xlsx_book};
use sinergi_store::demand::{DemandDetail, DemandRow};

use super::csr::village_groups;
use super::exports::{XLSX, download, letterhead};
use super::umkm::{region_name, tenant_of};
use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::jobs::today_wib;

/// Suppliers ranked for a demand.
pub const TOP: usize = 20;
/// Suppliers notified when the buyer does not say how many.
const NOTIFY_DEFAULT: usize = 5;

// ---------------------------------------------------------------------------------------------
// The supplier index of each Pemda

/// One Pemda's index and the store version it is current with.
pub struct TenantSupply {
    pub index: std::sync::RwLock<SupplyIndex>,
    version: std::sync::atomic::AtomicI64,
}

impl TenantSupply {
    fn version(&self) -> i64 {
        self.version.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// Every Pemda's supplier index.
#[derive(Default)]
pub struct SupplyIndexes {
    tenants: Mutex<HashMap<String, Arc<TenantSupply>>>,
    /// One build at a time: a burst of requests after a write starts one build, not many.
    building: tokio::sync::Mutex<()>,
}

/// The index reads every supplier of the Pemda, whoever asks for a ranking: the store's
/// scoping applies to the demand, which the caller has already read.
fn system() -> Actor {
    Actor::system("supply index")
}

impl SupplyIndexes {
    fn cached(&self, tenant: &RegionCode) -> Option<Arc<TenantSupply>> {
        self.tenants.lock().unwrap_or_else(|p| p.into_inner()).get(tenant.as_str()).cloned()
    }

    /// The tenant's index: current with the store, or the previous one while a new one is
    /// built in the background.
    pub async fn get(
        self: &Arc<Self>,
        store: &sinergi_store::Store,
        tenant: &RegionCode,
    ) -> AppResult<Arc<TenantSupply>> {
        let version = store.supply_version(&system(), tenant).await?;
        match self.cached(tenant) {
            Some(index) if index.version() >= version => Ok(index),
            Some(stale) => {
                if let Ok(_guard) = self.building.try_lock() {
                    // A second of slack: a write's audit time and its rows' times are taken
                    // apart by milliseconds; reading a supplier twice is harmless.
                    let since = stale.version() - 1_000;
                    if let Some((upserts, removed)) = store.supplier_facts_changed(&system(), tenant, since).await? {
                        let mut index = stale.index.write().unwrap_or_else(|p| p.into_inner());
                        for r in removed {
                            index.remove(r);
                        }
                        for f in upserts {
                            index.upsert(f);
                        }
                        drop(index);
                        stale.version.store(version, std::sync::atomic::Ordering::Release);
                        return Ok(stale);
                    }
                }
                if self.building.try_lock().is_ok() {
                    let (this, store, tenant) = (Arc::clone(self), store.clone(), tenant.clone());
                    tokio::spawn(async move {
                        if let Err(e) = this.rebuild(&store, &tenant).await {
                            tracing::warn!(tenant = %tenant, error = ?e, "rebuilding the supplier index failed");
                        }
                    });
                }
                Ok(stale)
            }
            None => self.rebuild(store, tenant).await,
        }
    }

    /// Build the tenant's index from the store and wait for it.
    pub async fn rebuild(&self, store: &sinergi_store::Store, tenant: &RegionCode) -> AppResult<Arc<TenantSupply>> {
        let _guard = self.building.lock().await;
        // The version is read before the facts: a write in between makes the index look older
        // than it is (one more rebuild), never newer.
        let version = store.supply_version(&system(), tenant).await?;
        if let Some(i) = self.cached(tenant).filter(|i| i.version() >= version) {
            return Ok(i);
        }
        let started = Instant::now();
        let facts = store.supplier_facts(&system(), tenant).await?;
        let index = tokio::task::spawn_blocking(move || SupplyIndex::build(facts))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("supplier index: {e}")))?;
        tracing::info!(tenant = %tenant, suppliers = index.len(), ms = started.elapsed().as_millis() as u64, "supplier index built");
        let built = Arc::new(TenantSupply {
            index: std::sync::RwLock::new(index),
            version: std::sync::atomic::AtomicI64::new(version),
        });
        self.tenants.lock().unwrap_or_else(|p| p.into_inner()).insert(tenant.as_str().to_owned(), Arc::clone(&built));
        Ok(built)
    }
}

/// The demand as the engine reads it.
pub fn query_of(d: &DemandRow) -> DemandQuery {
    DemandQuery {
        kbli: d.kbli.clone(),
        category: d.category,
        text: format!("{} {}", d.title, d.description),
        region: Some(d.region.clone()),
        permits: d.permits.clone(),
        monthly_quantity: Some(monthly(d.quantity, d.frequency)),
        on: d.deadline,
    }
}

/// The top suppliers for a demand.
pub async fn ranked(state: &AppState, tenant: &RegionCode, d: &DemandRow) -> AppResult<Vec<SupplierMatch>> {
    let supply = state.supply_indexes.get(&state.store, tenant).await?;
    // The buyer never supplies itself (a cooperative may buy and sell).
    let mut top = supply.index.read().unwrap_or_else(|p| p.into_inner()).top(&query_of(d), TOP + 1);
    top.retain(|m| m.supplier != SupplierRef::Partner(d.buyer_id));
    top.truncate(TOP);
    Ok(top)
}

// ---------------------------------------------------------------------------------------------
// Labels

pub fn demand_id(s: &str) -> AppResult<DemandId> {
    s.parse().map_err(|_| AppError::NotFound)
}

fn status_label(tr: Tr, s: DemandStatus) -> String {
    tr.t(&format!("demand-status-{}", s.slug()))
}

fn frequency_label(tr: Tr, f: Frequency) -> String {
    tr.t(&format!("demand-frequency-{}", f.slug()))
}

fn buyer_kind_label(tr: Tr, k: BuyerKind) -> String {
    tr.t(&format!("demand-buyer-{}", k.slug()))
}

fn permit_label(tr: Tr, p: PermitKind) -> String {
    tr.t(&format!("umkm-permit-{}", p.slug()))
}

fn place(code: &RegionCode) -> String {
    let mut parts: Vec<String> =
        sinergi_reference::region_path(code).iter().rev().take(2).map(|r| r.title().into_owned()).collect();
    if parts.is_empty() {
        return region_name(Some(code));
    }
    parts.truncate(2);
    parts.join(", ")
}

/// One reason, in the reader's language, with its points.
pub fn reason_text(tr: Tr, r: &Reason) -> String {
    let text = match r {
        Reason::Kbli { code, digits } => {
            tr.targs("demand-reason-kbli", &[("code", code.clone()), ("digits", digits.to_string())])
        }
        Reason::Category { category } => {
            tr.t1("demand-reason-category", "category", tr.t(&format!("catalogue-category-{}", category.slug())))
        }
        Reason::Words { exact, near } => {
            let mut s = Vec::new();
            if !exact.is_empty() {
                s.push(tr.t1("demand-reason-words", "words", exact.join(", ")));
            }
            if !near.is_empty() {
                s.push(tr.t1("demand-reason-words-near", "words", near.join(", ")));
            }
            s.join("; ")
        }
        Reason::Near { nearness } => tr.t(match nearness {
            Nearness::Desa => "demand-reason-near-desa",
            Nearness::Kecamatan => "demand-reason-near-kecamatan",
            Nearness::Regency => "demand-reason-near-regency",
            Nearness::Province => "demand-reason-near-province",
        }),
        Reason::Curated { products } => tr.t1("demand-reason-curated", "count", *products),
        Reason::Channels { count } => tr.t1("demand-reason-channels", "count", *count),
        Reason::PastDeals { count } => tr.t1("demand-reason-deals", "count", *count),
        Reason::PermitValid { permit, until } => tr.targs(
            "demand-reason-permit",
            &[
                ("permit", permit_label(tr, *permit)),
                ("until", until.map(|u| format_date(u, tr.locale)).unwrap_or_else(|| tr.t("demand-no-expiry"))),
            ],
        ),
        Reason::Capacity { per_month } => tr.t1("demand-reason-capacity", "count", tr.number(*per_month)),
    };
    match r.points() {
        0 => text,
        p => format!("+{p} {text}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The list

pub struct DemandRowView {
    pub id: String,
    pub title: String,
    pub buyer: String,
    pub quantity: String,
    pub place: String,
    pub deadline: String,
    pub status: String,
    pub status_slug: String,
    pub deal: String,
}

fn row_view(tr: Tr, d: &DemandRow, today: time::Date) -> DemandRowView {
    let status = d.status_on(today);
    DemandRowView {
        id: d.id.to_string(),
        title: d.title.clone(),
        buyer: format!("{} · {}", d.buyer_name, buyer_kind_label(tr, d.buyer_kind)),
        quantity: format!("{} {} · {}", tr.number(d.quantity), d.unit, frequency_label(tr, d.frequency)),
        place: place(&d.region),
        deadline: format_date(d.deadline, tr.locale),
        status: status_label(tr, status),
        status_slug: status.slug().to_owned(),
        deal: d.deal_value.map(|v| tr.rupiah(v)).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "demand_list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<DemandRowView>,
    may_post: bool,
    is_internal: bool,
    is_supplier: bool,
}

fn may_post(actor: &Actor) -> bool {
    (actor.role == Role::Partner && actor.partner.is_some())
        || (actor.can(Permission::ManagePartners) && actor.role != Role::PlatformAdmin)
}

pub async fn list(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let rows = state.store.demands(&auth.actor, &tenant).await?;
    let today = today_wib();
    let page = ListPage {
        shell: Shell::new(&auth.ctx, "demand-title"),
        rows: rows.iter().map(|d| row_view(tr, d, today)).collect(),
        may_post: may_post(&auth.actor),
        is_internal: auth.actor.role.is_internal(),
        is_supplier: auth.actor.role == Role::UmkmOwner,
    };
    Ok(render(&page))
}

// ---------------------------------------------------------------------------------------------
// The form

#[derive(Deserialize, Default, Clone)]
pub struct DemandFormBody {
    #[serde(default)]
    buyer: String,
    #[serde(default)]
    buyer_kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    kbli: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    permits: Vec<String>,
    #[serde(default)]
    price_min: String,
    #[serde(default)]
    price_max: String,
    #[serde(default)]
    deadline: String,
}

impl DemandFormBody {
    fn form(&self) -> DemandForm {
        DemandForm {
            buyer_kind: self.buyer_kind.clone(),
            title: self.title.clone(),
            category: self.category.clone(),
            kbli: self.kbli.clone(),
            description: self.description.clone(),
            quantity: self.quantity.clone(),
            unit: self.unit.clone(),
            frequency: self.frequency.clone(),
            region: self.region.clone(),
            permits: self.permits.clone(),
            price_min: self.price_min.clone(),
            price_max: self.price_max.clone(),
            deadline: self.deadline.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "demand_form.html")]
struct FormPage {
    shell: Shell,
    buyers: Vec<(String, String)>,
    pick_buyer: bool,
    buyer_kinds: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    frequencies: Vec<(String, String)>,
    permits: Vec<(String, String)>,
    villages: Vec<(String, Vec<(String, String)>)>,
    form: DemandFormBody,
    errors: FormErrors,
}

async fn form_page(state: &AppState, auth: &Authed, form: DemandFormBody, errors: FormErrors) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    if !may_post(&auth.actor) {
        return Err(AppError::Forbidden);
    }
    let buyers = state.store.demand_buyers(&auth.actor, &tenant).await?;
    let page = FormPage {
        shell: Shell::new(&auth.ctx, "demand-new"),
        pick_buyer: auth.actor.role != Role::Partner,
        buyers: buyers.into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
        buyer_kinds: BuyerKind::ALL.iter().map(|k| (k.slug().to_owned(), buyer_kind_label(tr, *k))).collect(),
        categories: Category::ALL
            .iter()
            .map(|c| (c.slug().to_owned(), tr.t(&format!("catalogue-category-{}", c.slug()))))
            .collect(),
        frequencies: Frequency::ALL.iter().map(|f| (f.slug().to_owned(), frequency_label(tr, *f))).collect(),
        permits: PermitKind::ALL
            .iter()
            .filter(|p| **p != PermitKind::Other)
            .map(|p| (p.slug().to_owned(), permit_label(tr, *p)))
            .collect(),
        villages: village_groups(&tenant),
        form,
        errors,
    };
    Ok(if page.errors.is_empty() { render(&page) } else { render_invalid(&page) })
}

pub async fn new_form(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let form = DemandFormBody { frequency: "mingguan".into(), ..Default::default() };
    form_page(&state, &auth, form, FormErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    auth: Authed,
    Form(body): Form<DemandFormBody>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let mut errors = FormErrors::default();
    let buyer = match body.buyer.trim() {
        "" => None,
        b => match b.parse() {
            Ok(p) => Some(p),
            Err(_) => {
                errors.add(tr, &sinergi_domain::auth::FieldError::new("buyer", "invalid-choice"));
                None
            }
        },
    };
    match body.form().parse(today_wib()) {
        Ok(draft) if errors.is_empty() => match state.store.create_demand(&auth.actor, &tenant, buyer, draft).await {
            Ok(id) => Ok(see_other(&format!("/permintaan/{id}"))),
            Err(e) => {
                errors.absorb(tr, e.into())?;
                form_page(&state, &auth, body, errors).await
            }
        },
        Ok(_) => form_page(&state, &auth, body, errors).await,
        Err(list) => {
            for e in &list {
                errors.add(tr, e);
            }
            form_page(&state, &auth, body, errors).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One demand

pub struct MatchView {
    pub rank: usize,
    pub name: String,
    pub kind: String,
    pub score: u32,
    pub reasons: Vec<String>,
    pub notified: bool,
}

pub struct OfferView {
    pub id: String,
    pub supplier: String,
    pub price: String,
    pub quantity: String,
    pub delivery: String,
    pub value: String,
    pub note: String,
    pub status: String,
    pub status_slug: String,
}

#[derive(Template)]
#[template(path = "demand_show.html")]
struct ShowPage {
    shell: Shell,
    id: String,
    title: String,
    status: String,
    status_slug: String,
    facts: Vec<(String, String)>,
    description: String,
    matches: Vec<MatchView>,
    show_matches: bool,
    notified: Vec<(i32, String, i32)>,
    offers: Vec<OfferView>,
    may_decide: bool,
    takes_offers: bool,
    can_accept: bool,
    may_offer_as: Vec<(String, String)>,
    deal: Option<String>,
    offer_form: OfferBody,
    errors: FormErrors,
}

#[derive(Deserialize, Default, Clone)]
pub struct OfferBody {
    #[serde(default)]
    supplier: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    delivery_on: String,
    #[serde(default)]
    note: String,
}

fn supplier_key(s: &SupplierRef) -> String {
    format!("{}:{}", s.kind_slug(), s.uuid())
}

fn parse_supplier(s: &str) -> Option<SupplierRef> {
    let (kind, id) = s.split_once(':')?;
    SupplierRef::from_parts(kind, id.parse().ok()?)
}

async fn show_page(
    state: &AppState,
    auth: &Authed,
    tenant: &RegionCode,
    detail: &DemandDetail,
    offer_form: OfferBody,
    errors: FormErrors,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let d = &detail.demand;
    let today = today_wib();
    let status = d.status_on(today);
    let price = match (d.price_min, d.price_max) {
        (Some(lo), Some(hi)) => format!("{} – {}", tr.rupiah(lo), tr.rupiah(hi)),
        (Some(lo), None) => format!("≥ {}", tr.rupiah(lo)),
        (None, Some(hi)) => format!("≤ {}", tr.rupiah(hi)),
        (None, None) => "—".into(),
    };
    let mut facts = vec![
        (tr.t("demand-buyer"), format!("{} · {}", d.buyer_name, buyer_kind_label(tr, d.buyer_kind))),
        (
            tr.t("demand-quantity"),
            format!("{} {} · {}", tr.number(d.quantity), d.unit, frequency_label(tr, d.frequency)),
        ),
        (tr.t("demand-region"), place(&d.region)),
        (tr.t("demand-deadline"), format_date(d.deadline, tr.locale)),
        (tr.t("demand-price"), price),
    ];
    if let Some(c) = d.category {
        facts.push((tr.t("demand-category"), tr.t(&format!("catalogue-category-{}", c.slug()))));
    }
    if let Some(k) = &d.kbli {
        let title = sinergi_reference::kbli(k).map(|e| format!("{k} {}", e.title)).unwrap_or_else(|| k.to_string());
        facts.push((tr.t("demand-kbli"), title));
    }
    if !d.permits.is_empty() {
        facts.push((
            tr.t("demand-permits"),
            d.permits.iter().map(|p| permit_label(tr, *p)).collect::<Vec<_>>().join(", "),
        ));
    }
    // The ranking is the buyer's side's (and the Pemda's): a supplier sees only its own row.
    let show_matches = detail.may_decide || auth.actor.role.is_internal();
    let notified_set: Vec<SupplierRef> = detail.notified.iter().map(|n| n.supplier).collect();
    let matches = if show_matches && status.takes_offers() {
        ranked(state, tenant, d)
            .await?
            .iter()
            .enumerate()
            .map(|(i, m)| MatchView {
                rank: i + 1,
                name: m.name.clone(),
                kind: tr.t(match m.supplier {
                    SupplierRef::Business(_) => "demand-supplier-umkm",
                    SupplierRef::Partner(_) => "demand-supplier-partner",
                }),
                score: m.score,
                reasons: m.reasons.iter().map(|r| reason_text(tr, r)).collect(),
                notified: notified_set.contains(&m.supplier),
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = ShowPage {
        shell: Shell::new(&auth.ctx, "demand-title"),
        id: d.id.to_string(),
        title: d.title.clone(),
        status: status_label(tr, status),
        status_slug: status.slug().to_owned(),
        facts,
        description: d.description.clone(),
        matches,
        show_matches,
        notified: detail.notified.iter().map(|n| (n.rank, n.name.clone(), n.score)).collect(),
        offers: detail
            .offers
            .iter()
            .map(|o| OfferView {
                id: o.id.to_string(),
                supplier: o.supplier_name.clone(),
                price: format!("{} / {}", tr.rupiah(o.price), d.unit),
                quantity: format!("{} {}", tr.number(o.quantity), d.unit),
                delivery: format_date(o.delivery_on, tr.locale),
                value: tr.rupiah(o.value),
                note: o.note.clone().unwrap_or_default(),
                status: tr.t(&format!("demand-offer-status-{}", o.status.slug())),
                status_slug: o.status.slug().to_owned(),
            })
            .collect(),
        may_decide: detail.may_decide,
        takes_offers: status.takes_offers(),
        can_accept: detail.may_decide && status == DemandStatus::Offered,
        may_offer_as: detail.may_offer_as.iter().map(|(s, name)| (supplier_key(s), name.clone())).collect(),
        deal: d.deal_value.map(|v| tr.rupiah(v)),
        offer_form,
        errors,
    };
    Ok(if page.errors.is_empty() { render(&page) } else { render_invalid(&page) })
}

pub async fn show(State(state): State<AppState>, auth: Authed, Path(demand_id): Path<String>) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let detail = state.store.demand(&auth.actor, &tenant, self::demand_id(&demand_id)?).await?;
    show_page(&state, &auth, &tenant, &detail, OfferBody::default(), FormErrors::default()).await
}

#[derive(Deserialize, Default)]
pub struct NotifyBody {
    #[serde(default)]
    count: String,
}

pub async fn notify(
    State(state): State<AppState>,
    auth: Authed,
    Path(demand_id): Path<String>,
    Form(body): Form<NotifyBody>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth.actor)?;
    let id = self::demand_id(&demand_id)?;
    // Another Pemda's demand is not found before anything else is read.
    let detail = state.store.demand(&auth.actor, &tenant, id).await?;
    if !detail.may_decide {
        return Err(AppError::Forbidden);
    }
    let count = body.count.trim().parse::<usize>().unwrap_or(NOTIFY_DEFAULT).clamp(1, TOP);
    let top: Vec<SupplierMatch> = ranked(&state, &tenant, &detail.demand).await?.into_iter().take(count).collect();
    state.store.notify_demand_suppliers(&auth.actor, &tenant, id, &top, &format!("/permintaan/{id}")).await?;
    Ok(see_other(&format!("/permintaan/{id}#diberitahu")))
}

pub async fn offer(
    State(state): State<AppState>,
    auth: Authed,
    Path(demand_id): Path<String>,
    Form(body): Form<OfferBody>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = self::demand_id(&demand_id)?;
    let detail = state.store.demand(&auth.actor, &tenant, id).await?;
    if detail.may_offer_as.is_empty() {
        return Err(AppError::Forbidden);
    }
    let form = OfferForm {
        price: body.price.clone(),
        quantity: body.quantity.clone(),
        delivery_on: body.delivery_on.clone(),
        note: body.note.clone(),
    };
    let supplier = match parse_supplier(&body.supplier) {
        Some(s) => s,
        // One supplier to answer for: the form need not name it.
        None if detail.may_offer_as.len() == 1 => detail.may_offer_as[0].0,
        None => {
            let mut errors = FormErrors::default();
            errors.add(tr, &sinergi_domain::auth::FieldError::new("supplier", "required"));
            return show_page(&state, &auth, &tenant, &detail, body, errors).await;
        }
    };
    let parsed = form.parse(detail.demand.quantity, detail.demand.deadline, today_wib());
    let result = match parsed {
        Ok(draft) => {
            state.store.submit_demand_offer(&auth.actor, &tenant, id, supplier, draft).await.map_err(AppError::from)
        }
        Err(list) => {
            let mut errors = FormErrors::default();
            for e in &list {
                errors.add(tr, e);
            }
            return show_page(&state, &auth, &tenant, &detail, body, errors).await;
        }
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/permintaan/{id}#penawaran"))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            show_page(&state, &auth, &tenant, &detail, body, errors).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct AcceptBody {
    #[serde(default)]
    offer: String,
}

pub async fn accept(
    State(state): State<AppState>,
    auth: Authed,
    Path(demand_id): Path<String>,
    Form(body): Form<AcceptBody>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = self::demand_id(&demand_id)?;
    let detail = state.store.demand(&auth.actor, &tenant, id).await?;
    if !detail.may_decide {
        return Err(AppError::Forbidden);
    }
    let offer: Option<DemandOfferId> = body.offer.trim().parse().ok();
    let result = match offer {
        Some(o) => {
            state.store.accept_demand_offer(&auth.actor, &tenant, id, o, today_wib()).await.map_err(AppError::from)
        }
        None => Err(AppError::Invalid(sinergi_domain::auth::FieldError::new("offer", "required"))),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/permintaan/{id}"))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e)?;
            show_page(&state, &auth, &tenant, &detail, OfferBody::default(), errors).await
        }
    }
}

pub async fn close(State(state): State<AppState>, auth: Authed, Path(demand_id): Path<String>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let id = self::demand_id(&demand_id)?;
    let detail = state.store.demand(&auth.actor, &tenant, id).await?;
    if !detail.may_decide {
        return Err(AppError::Forbidden);
    }
    match state.store.close_demand(&auth.actor, &tenant, id).await {
        Ok(()) => Ok(see_other(&format!("/permintaan/{id}"))),
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.absorb(tr, e.into())?;
            show_page(&state, &auth, &tenant, &detail, OfferBody::default(), errors).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Value captured locally

#[derive(Template)]
#[template(path = "demand_value.html")]
struct ValuePage {
    shell: Shell,
    total: String,
    funnel: Vec<(String, String)>,
    by_month: Vec<(String, String, String)>,
    by_kind: Vec<(String, String, String)>,
    rows: Vec<(String, String, String, String)>,
}

pub async fn value(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let rows = state.store.demand_value_captured(&auth.actor, &tenant).await?;
    let f = state.store.demand_funnel(&auth.actor, &tenant).await?;
    let mut by_month: Vec<(String, i64, i64)> = Vec::new();
    let mut by_kind: Vec<(BuyerKind, i64, i64)> = Vec::new();
    for r in &rows {
        match by_month.iter_mut().find(|(m, _, _)| *m == r.month) {
            Some(e) => {
                e.1 += r.deals;
                e.2 += r.value;
            }
            None => by_month.push((r.month.clone(), r.deals, r.value)),
        }
        match by_kind.iter_mut().find(|(k, _, _)| *k == r.buyer_kind) {
            Some(e) => {
                e.1 += r.deals;
                e.2 += r.value;
            }
            None => by_kind.push((r.buyer_kind, r.deals, r.value)),
        }
    }
    let pct = |n: i64, of: i64| if of == 0 { "—".to_owned() } else { format!("{} %", n * 100 / of) };
    let page = ValuePage {
        shell: Shell::new(&auth.ctx, "demand-value-title"),
        total: tr.rupiah(f.value),
        funnel: vec![
            (tr.t("demand-funnel-demands"), tr.number(f.demands)),
            (tr.t("demand-funnel-offers"), format!("{} ({})", tr.number(f.with_offers), pct(f.with_offers, f.demands))),
            (tr.t("demand-funnel-deals"), format!("{} ({})", tr.number(f.deals), pct(f.deals, f.demands))),
        ],
        by_month: by_month.iter().map(|(m, n, v)| (tr.month(m), tr.number(*n), tr.rupiah(*v))).collect(),
        by_kind: by_kind.iter().map(|(k, n, v)| (buyer_kind_label(tr, *k), tr.number(*n), tr.rupiah(*v))).collect(),
        rows: rows
            .iter()
            .map(|r| (tr.month(&r.month), buyer_kind_label(tr, r.buyer_kind), tr.number(r.deals), tr.rupiah(r.value)))
            .collect(),
    };
    Ok(render(&page))
}

/// Every demand the reader may see, and the value captured by month and kind of buyer.
pub async fn export(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant_of(&auth.actor)?;
    let all = state.store.demands(&auth.actor, &tenant).await?;
    let today = today_wib();
    let headers: Vec<String> = [
        "demand-field-title",
        "demand-buyer",
        "demand-buyer-kind",
        "demand-quantity",
        "demand-unit",
        "demand-frequency",
        "demand-region",
        "demand-deadline",
        "field-status",
        "demand-deal-value",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let rows: Vec<Vec<Value>> = all
        .iter()
        .map(|d| {
            vec![
                Value::Text(d.title.clone()),
                Value::Text(d.buyer_name.clone()),
                Value::Text(buyer_kind_label(tr, d.buyer_kind)),
                Value::Number(d.quantity as f64),
                Value::Text(d.unit.clone()),
                Value::Text(frequency_label(tr, d.frequency)),
                Value::Text(place(&d.region)),
                Value::Text(format_date(d.deadline, tr.locale)),
                Value::Text(status_label(tr, d.status_on(today))),
                d.deal_value.map(Value::Rupiah).unwrap_or(Value::Empty),
            ]
        })
        .collect();
    let value_headers: Vec<String> =
        ["demand-month", "demand-buyer-kind", "demand-deals", "demand-deal-value"].iter().map(|k| tr.t(k)).collect();
    let value_rows: Vec<Vec<Value>> = if auth.actor.role.is_internal() {
        state
            .store
            .demand_value_captured(&auth.actor, &tenant)
            .await?
            .iter()
            .map(|r| {
                vec![
                    Value::Text(tr.month(&r.month)),
                    Value::Text(buyer_kind_label(tr, r.buyer_kind)),
                    Value::Number(r.deals as f64),
                    Value::Rupiah(r.value),
                ]
            })
            .collect()
    } else {
        Vec::new()
    };
    let (name, slug) = letterhead(&auth);
    let title = tr.t("demand-export-title");
    let subtitle = tr.t1("channels-export-subtitle", "name", name);
    let (s1, s2) = (tr.t("demand-sheet-demands"), tr.t("demand-sheet-value"));
    let bytes = tokio::task::spawn_blocking(move || {
        xlsx_book(&[
            Sheet { name: &s1, title: &title, subtitle: &subtitle, headers: &headers, rows: &rows },
            Sheet { name: &s2, title: &title, subtitle: &subtitle, headers: &value_headers, rows: &value_rows },
        ])
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(download(bytes, XLSX, &format!("permintaan-{slug}.xlsx")))
}

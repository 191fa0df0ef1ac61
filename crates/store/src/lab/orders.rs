//! Orders and their steps: registration, quotation, payment (with the cooperation's PAD
//! outcome), sampling, receipt with chain of custody, results, verification, publication,
//! and retract, reject or cancel with a reason.

use std::collections::BTreeSet;

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::lab::{Limit, Medium, OrderStatus, Reason, Step, StepError, Verdict, check_second_person};
use sinergi_domain::{
    Actor, LabOrderId, LabPackageId, LabParameterId, LabSampleId, PartnerId, Permission, RegionCode, UserId,
};
use time::Date;
use uuid::Uuid;

use super::{LabCatalogue, LabParameter, Viewer, audit, clean, kabkota, lab_tenant, order_viewer, read_catalogue};
use crate::db::Tx;
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

/// A company's request for tests.
#[derive(Debug, Clone)]
pub struct NewLabOrder {
    pub partner: PartnerId,
    pub medium: Medium,
    pub packages: Vec<LabPackageId>,
    pub parameters: Vec<LabParameterId>,
    /// Where the sample is to be taken (the outlet, the stack, the fence line).
    pub location: String,
    pub note: Option<String>,
}

/// The payment of the retribution, as the treasurer's receipt shows it.
#[derive(Debug, Clone)]
pub struct Payment {
    pub invoice_number: String,
    pub paid_on: Date,
    pub amount: i64,
}

/// An order in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabOrderRow {
    pub id: LabOrderId,
    pub number: String,
    pub partner_id: PartnerId,
    pub customer_name: String,
    /// The customer's kab/kota code when ordering.
    pub customer_region: Option<String>,
    pub medium: Medium,
    pub status: OrderStatus,
    pub total: Option<i64>,
    pub paid_amount: Option<i64>,
    pub paid_on: Option<String>,
    pub ordered_at_ms: i64,
    pub published_at_ms: Option<i64>,
    pub certificate_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabOrderLine {
    pub package_id: Option<LabPackageId>,
    pub parameter_id: Option<LabParameterId>,
    pub name: String,
    pub tariff: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustodyRow {
    pub at_ms: i64,
    pub from: String,
    pub to: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleRow {
    pub id: LabSampleId,
    pub code: String,
    pub description: String,
    pub received_at_ms: i64,
    pub custody: Vec<CustodyRow>,
}

/// One result of the current version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultRow {
    pub parameter_id: LabParameterId,
    pub name: String,
    pub unit: String,
    pub method: String,
    pub value: f64,
    pub limit: Limit,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransitionRow {
    pub from: Option<String>,
    pub to: String,
    pub at_ms: i64,
    pub actor: String,
    pub reason: Option<String>,
}

/// An order with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabOrder {
    pub row: LabOrderRow,
    pub version: u32,
    pub location: String,
    pub note: Option<String>,
    pub invoice_number: Option<String>,
    pub sampling_on: Option<String>,
    pub sampling_staff: Option<String>,
    pub results_by: Option<UserId>,
    pub results_by_label: Option<String>,
    pub verified_by: Option<String>,
    pub verified_at_ms: Option<i64>,
    pub reason: Option<String>,
    pub lines: Vec<LabOrderLine>,
    /// The parameters to measure (packages expanded), in catalogue order.
    pub parameters: Vec<LabParameter>,
    pub samples: Vec<SampleRow>,
    pub results: Vec<ResultRow>,
    pub transitions: Vec<TransitionRow>,
}

impl LabOrder {
    /// The steps the order's state allows (what the page offers, before role checks).
    pub fn steps(&self) -> &'static [Step] {
        self.row.status.steps()
    }
}

/// Which orders a list shows.
#[derive(Debug, Clone, Default)]
pub struct LabOrderFilter {
    pub status: Option<OrderStatus>,
    pub partner: Option<PartnerId>,
}

/// A result as the public verification page shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertificateResult {
    pub name: String,
    pub unit: String,
    pub method: String,
    pub value: f64,
    pub limit: Limit,
    pub verdict: Verdict,
}

/// What anyone holding a certificate code may check: the certificate is genuine, for whom,
/// what was tested, and what was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabCertificateView {
    pub code: String,
    pub tenant: RegionCode,
    pub order_number: String,
    pub customer_name: String,
    pub medium: Medium,
    pub location: String,
    pub version: u32,
    pub published_at_ms: i64,
    pub verified_by: Option<String>,
    pub samples: Vec<String>,
    pub results: Vec<CertificateResult>,
    /// Retracted since publication: the certificate no longer stands.
    pub retracted: bool,
}

#[derive(sqlx::FromRow)]
struct OrderDb {
    id: Uuid,
    number: String,
    partner_id: Uuid,
    customer_name: String,
    customer_region: Option<String>,
    medium: String,
    status: String,
    version: i32,
    location: String,
    note: Option<String>,
    total: Option<i64>,
    invoice_number: Option<String>,
    paid_on: Option<String>,
    paid_amount: Option<i64>,
    sampling_on: Option<String>,
    sampling_staff: Option<String>,
    results_by: Option<Uuid>,
    results_by_label: Option<String>,
    verified_by: Option<String>,
    verified_at: Option<i64>,
    published_at: Option<i64>,
    certificate_code: Option<String>,
    reason: Option<String>,
    ordered_at: i64,
}

impl OrderDb {
    fn row(&self) -> Result<LabOrderRow> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("lab order {}: {what}", self.id));
        Ok(LabOrderRow {
            id: LabOrderId::from_uuid(self.id),
            number: self.number.clone(),
            partner_id: PartnerId::from_uuid(self.partner_id),
            customer_name: self.customer_name.clone(),
            customer_region: self.customer_region.clone(),
            medium: self.medium.parse().map_err(|_| corrupt("medium"))?,
            status: self.status.parse().map_err(|_| corrupt("status"))?,
            total: self.total,
            paid_amount: self.paid_amount,
            paid_on: self.paid_on.clone(),
            ordered_at_ms: self.ordered_at,
            published_at_ms: self.published_at,
            certificate_code: self.certificate_code.clone(),
        })
    }
}

fn order_select() -> sea_query::SelectStatement {
    with_customer(&[
        LabOrders::Id,
        LabOrders::Number,
        LabOrders::PartnerId,
        LabOrders::CustomerRegion,
        LabOrders::Medium,
        LabOrders::Status,
        LabOrders::Version,
        LabOrders::Location,
        LabOrders::Note,
        LabOrders::Total,
        LabOrders::InvoiceNumber,
        LabOrders::PaidOn,
        LabOrders::PaidAmount,
        LabOrders::SamplingOn,
        LabOrders::SamplingStaff,
        LabOrders::ResultsBy,
        LabOrders::ResultsByLabel,
        LabOrders::VerifiedBy,
        LabOrders::VerifiedAt,
        LabOrders::PublishedAt,
        LabOrders::CertificateCode,
        LabOrders::Reason,
        LabOrders::OrderedAt,
    ])
}

/// Orders with their company's name as `customer_name`: the order page, the dashboard and
/// money kept local all read them so.
pub(super) fn with_customer(columns: &[LabOrders]) -> sea_query::SelectStatement {
    Query::select()
        .columns(columns.iter().map(|c| (LabOrders::Table, *c)))
        .expr_as(Expr::col((Partners::Table, Partners::Name)), sea_query::Alias::new("customer_name"))
        .from(LabOrders::Table)
        .inner_join(
            Partners::Table,
            Expr::col((Partners::Table, Partners::TenantCode))
                .equals((LabOrders::Table, LabOrders::TenantCode))
                .and(Expr::col((Partners::Table, Partners::Id)).equals((LabOrders::Table, LabOrders::PartnerId))),
        )
        .to_owned()
}

async fn read_order_db(tx: &mut Tx, tenant: &RegionCode, viewer: Viewer, id: LabOrderId) -> Result<OrderDb> {
    let mut q = order_select();
    q.and_where(Expr::col((LabOrders::Table, LabOrders::TenantCode)).eq(tenant.as_str()))
        .and_where(Expr::col((LabOrders::Table, LabOrders::Id)).eq(id.as_uuid()));
    if let Viewer::Company(p) = viewer {
        // Another company's order is not found, exactly as another Pemda's.
        q.and_where(Expr::col((LabOrders::Table, LabOrders::PartnerId)).eq(p.as_uuid()));
    }
    tx.fetch_optional(&q).await?.ok_or(StoreError::NotFound)
}

/// The parameters an order's lines ask for, packages expanded, in catalogue order.
fn expand(catalogue: &LabCatalogue, lines: &[LabOrderLine]) -> Vec<LabParameter> {
    let mut wanted = BTreeSet::new();
    for l in lines {
        if let Some(p) = l.parameter_id {
            wanted.insert(p);
        }
        if let Some(pk) = l.package_id.and_then(|pk| catalogue.package(pk)) {
            wanted.extend(pk.parameters.iter().copied());
        }
    }
    catalogue.parameters.iter().filter(|p| wanted.contains(&p.id)).cloned().collect()
}

async fn read_lines(tx: &mut Tx, tenant: &RegionCode, id: LabOrderId) -> Result<Vec<LabOrderLine>> {
    #[derive(sqlx::FromRow)]
    struct L {
        package_id: Option<Uuid>,
        parameter_id: Option<Uuid>,
        name: String,
        tariff: i64,
    }
    let rows: Vec<L> = tx
        .fetch_all(
            Query::select()
                .columns([
                    LabOrderLines::PackageId,
                    LabOrderLines::ParameterId,
                    LabOrderLines::Name,
                    LabOrderLines::Tariff,
                ])
                .from(LabOrderLines::Table)
                .and_where(Expr::col(LabOrderLines::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabOrderLines::OrderId).eq(id.as_uuid()))
                .order_by(LabOrderLines::Seq, Order::Asc),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|l| LabOrderLine {
            package_id: l.package_id.map(LabPackageId::from_uuid),
            parameter_id: l.parameter_id.map(LabParameterId::from_uuid),
            name: l.name,
            tariff: l.tariff,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ResultDb {
    parameter_id: Uuid,
    name: String,
    unit: String,
    method: String,
    value: f64,
    limit_min: Option<f64>,
    limit_max: Option<f64>,
    verdict: String,
}

async fn read_results(tx: &mut Tx, tenant: &RegionCode, id: LabOrderId, version: i32) -> Result<Vec<ResultRow>> {
    let rows: Vec<ResultDb> = tx
        .fetch_all(
            Query::select()
                .columns([
                    LabResults::ParameterId,
                    LabResults::Name,
                    LabResults::Unit,
                    LabResults::Method,
                    LabResults::Value,
                    LabResults::LimitMin,
                    LabResults::LimitMax,
                    LabResults::Verdict,
                ])
                .from(LabResults::Table)
                .and_where(Expr::col(LabResults::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabResults::OrderId).eq(id.as_uuid()))
                .and_where(Expr::col(LabResults::Version).eq(version))
                .order_by(LabResults::EnteredAt, Order::Asc)
                .order_by(LabResults::Name, Order::Asc),
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            let corrupt = || StoreError::Corrupt(format!("lab result of {id}"));
            Ok(ResultRow {
                parameter_id: LabParameterId::from_uuid(r.parameter_id),
                limit: Limit::new(r.limit_min, r.limit_max).map_err(|_| corrupt())?,
                verdict: r.verdict.parse().map_err(|_| corrupt())?,
                name: r.name,
                unit: r.unit,
                method: r.method,
                value: r.value,
            })
        })
        .collect()
}

async fn read_samples(tx: &mut Tx, tenant: &RegionCode, id: LabOrderId) -> Result<Vec<SampleRow>> {
    #[derive(sqlx::FromRow)]
    struct S {
        id: Uuid,
        code: String,
        description: String,
        received_at: i64,
    }
    #[derive(sqlx::FromRow)]
    struct C {
        sample_id: Uuid,
        at: i64,
        from_person: String,
        to_person: String,
        note: Option<String>,
    }
    let samples: Vec<S> = tx
        .fetch_all(
            Query::select()
                .columns([LabSamples::Id, LabSamples::Code, LabSamples::Description, LabSamples::ReceivedAt])
                .from(LabSamples::Table)
                .and_where(Expr::col(LabSamples::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabSamples::OrderId).eq(id.as_uuid()))
                .order_by(LabSamples::Code, Order::Asc),
        )
        .await?;
    let ids: Vec<Uuid> = samples.iter().map(|s| s.id).collect();
    let custody: Vec<C> = if ids.is_empty() {
        Vec::new()
    } else {
        tx.fetch_all(
            Query::select()
                .columns([
                    LabCustody::SampleId,
                    LabCustody::At,
                    LabCustody::FromPerson,
                    LabCustody::ToPerson,
                    LabCustody::Note,
                ])
                .from(LabCustody::Table)
                .and_where(Expr::col(LabCustody::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabCustody::SampleId).is_in(ids))
                .order_by(LabCustody::At, Order::Asc),
        )
        .await?
    };
    Ok(samples
        .into_iter()
        .map(|s| SampleRow {
            id: LabSampleId::from_uuid(s.id),
            custody: custody
                .iter()
                .filter(|c| c.sample_id == s.id)
                .map(|c| CustodyRow {
                    at_ms: c.at,
                    from: c.from_person.clone(),
                    to: c.to_person.clone(),
                    note: c.note.clone(),
                })
                .collect(),
            code: s.code,
            description: s.description,
            received_at_ms: s.received_at,
        })
        .collect())
}

async fn read_transitions(tx: &mut Tx, tenant: &RegionCode, id: LabOrderId) -> Result<Vec<TransitionRow>> {
    #[derive(sqlx::FromRow)]
    struct T {
        from_status: Option<String>,
        to_status: String,
        at: i64,
        actor_label: String,
        reason: Option<String>,
    }
    let rows: Vec<T> = tx
        .fetch_all(
            Query::select()
                .columns([
                    LabTransitions::FromStatus,
                    LabTransitions::ToStatus,
                    LabTransitions::At,
                    LabTransitions::ActorLabel,
                    LabTransitions::Reason,
                ])
                .from(LabTransitions::Table)
                .and_where(Expr::col(LabTransitions::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabTransitions::OrderId).eq(id.as_uuid()))
                .order_by(LabTransitions::At, Order::Asc)
                .order_by(LabTransitions::Id, Order::Asc),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|t| TransitionRow {
            from: t.from_status,
            to: t.to_status,
            at_ms: t.at,
            actor: t.actor_label,
            reason: t.reason,
        })
        .collect())
}

async fn read_order(tx: &mut Tx, tenant: &RegionCode, viewer: Viewer, id: LabOrderId) -> Result<LabOrder> {
    let db = read_order_db(tx, tenant, viewer, id).await?;
    let row = db.row()?;
    let catalogue = read_catalogue(tx, tenant).await?;
    let lines = read_lines(tx, tenant, id).await?;
    let parameters = expand(&catalogue, &lines);
    Ok(LabOrder {
        version: u32::try_from(db.version).map_err(|_| StoreError::Corrupt(format!("lab order {id}: version")))?,
        location: db.location,
        note: db.note,
        invoice_number: db.invoice_number,
        sampling_on: db.sampling_on,
        sampling_staff: db.sampling_staff,
        results_by: db.results_by.map(UserId::from_uuid),
        results_by_label: db.results_by_label,
        verified_by: db.verified_by,
        verified_at_ms: db.verified_at,
        reason: db.reason,
        parameters,
        samples: read_samples(tx, tenant, id).await?,
        results: read_results(tx, tenant, id, db.version).await?,
        transitions: read_transitions(tx, tenant, id).await?,
        lines,
        row,
    })
}

/// Take `step` on the order: check it against the state machine (the error names the current
/// state), write the new status and the transition row. The caller writes the step's own
/// fields and the audit event in the same transaction.
async fn transition(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    order: &LabOrder,
    step: Step,
    reason: Option<&Reason>,
) -> Result<OrderStatus> {
    let from = order.row.status;
    let to = from.apply(step).map_err(step_error)?;
    let now = now_ms();
    // The status is compared in the update itself: a concurrent step on the same order
    // changes no row here, and the step is refused rather than applied twice.
    let changed = tx
        .execute(
            Query::update()
                .table(LabOrders::Table)
                .value(LabOrders::Status, to.slug())
                .value(LabOrders::UpdatedAt, now)
                .and_where(Expr::col(LabOrders::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabOrders::Id).eq(order.row.id.as_uuid()))
                .and_where(Expr::col(LabOrders::Status).eq(from.slug())),
        )
        .await?;
    if changed != 1 {
        return Err(step_error(StepError::NotAllowed { from, step }));
    }
    tx.execute(
        Query::insert()
            .into_table(LabTransitions::Table)
            .columns([
                LabTransitions::TenantCode,
                LabTransitions::Id,
                LabTransitions::OrderId,
                LabTransitions::FromStatus,
                LabTransitions::ToStatus,
                LabTransitions::At,
                LabTransitions::ActorLabel,
                LabTransitions::Reason,
            ])
            .values_panic([
                tenant.as_str().into(),
                Uuid::now_v7().into(),
                order.row.id.as_uuid().into(),
                Some(from.slug()).into(),
                to.slug().into(),
                now.into(),
                actor.label.clone().into(),
                reason.map(|r| r.as_str().to_owned()).into(),
            ]),
    )
    .await?;
    Ok(to)
}

/// A refused step as a store error the web edge shows next to the action: the field is the
/// step, the reason names why (the state is in the message the page builds from the order).
pub fn step_error(e: StepError) -> StoreError {
    match e {
        StepError::NotAllowed { .. } => StoreError::Invalid(FieldError::new("step", "lab-step-not-allowed")),
        StepError::SamePerson => StoreError::Invalid(FieldError::new("step", "lab-same-person")),
        StepError::ReasonRequired => StoreError::Invalid(FieldError::new("reason", "required")),
    }
}

fn certificate_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    format!("LAB-{}", chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// Normalise a typed certificate code ("lab abcd efgh jkmn") to the stored form.
pub fn normalise_certificate_code(code: &str) -> Option<String> {
    let c: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
    let c = c.strip_prefix("LAB").unwrap_or(&c);
    if c.len() != 12 {
        return None;
    }
    Some(format!("LAB-{}-{}-{}", &c[0..4], &c[4..8], &c[8..12]))
}

impl Store {
    /// Register an order: a company's partner user for their own company, or a lab officer
    /// for any company of the registry. The lines take the catalogue's current tariffs.
    pub async fn create_lab_order(&self, actor: &Actor, tenant: &RegionCode, new: NewLabOrder) -> Result<LabOrderId> {
        let (tenant, viewer) = order_viewer(actor, tenant)?;
        match viewer {
            Viewer::Company(p) if p != new.partner => return Err(StoreError::NotFound),
            Viewer::Lab if !actor.can(Permission::ManageLab) => return Err(StoreError::Forbidden),
            _ => {}
        }
        let location = clean(&new.location, "location", 300)?;
        let note = new
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| n.chars().take(1000).collect::<String>());
        if new.packages.is_empty() && new.parameters.is_empty() {
            return Err(StoreError::Invalid(FieldError::new("tests", "required")));
        }
        let mut tx = self.begin().await?;
        #[derive(sqlx::FromRow)]
        struct P {
            region_code: Option<String>,
        }
        let partner: P = tx
            .fetch_optional(
                Query::select()
                    .column(Partners::RegionCode)
                    .from(Partners::Table)
                    .and_where(Expr::col(Partners::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(Partners::Id).eq(new.partner.as_uuid())),
            )
            .await?
            .ok_or(StoreError::Invalid(FieldError::new("partner_id", "invalid-choice")))?;
        let region = partner
            .region_code
            .as_deref()
            .and_then(|c| RegionCode::parse(c).ok())
            .and_then(|c| kabkota(&c))
            .map(|c| c.to_string());
        let catalogue = read_catalogue(&mut tx, &tenant).await?;
        let mut lines = Vec::new();
        for pk in dedup(&new.packages) {
            let p = catalogue.package(pk).filter(|p| p.medium == new.medium);
            let p = p.ok_or(StoreError::Invalid(FieldError::new("packages", "invalid-choice")))?;
            lines.push(LabOrderLine {
                package_id: Some(pk),
                parameter_id: None,
                name: p.name.clone(),
                tariff: p.tariff,
            });
        }
        for pa in dedup(&new.parameters) {
            let p = catalogue.parameter(pa).filter(|p| p.medium == new.medium && p.active);
            let p = p.ok_or(StoreError::Invalid(FieldError::new("parameters", "invalid-choice")))?;
            lines.push(LabOrderLine {
                package_id: None,
                parameter_id: Some(pa),
                name: p.name.clone(),
                tariff: p.tariff,
            });
        }
        let id = LabOrderId::new();
        let now = now_ms();
        let year = time::OffsetDateTime::now_utc().year();
        let number = next_number(&mut tx, &tenant, year).await?;
        tx.execute(
            Query::insert()
                .into_table(LabOrders::Table)
                .columns([
                    LabOrders::TenantCode,
                    LabOrders::Id,
                    LabOrders::Number,
                    LabOrders::PartnerId,
                    LabOrders::CustomerRegion,
                    LabOrders::Medium,
                    LabOrders::Status,
                    LabOrders::Version,
                    LabOrders::Location,
                    LabOrders::Note,
                    LabOrders::OrderedAt,
                    LabOrders::CreatedBy,
                    LabOrders::UpdatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    number.clone().into(),
                    new.partner.as_uuid().into(),
                    region.clone().into(),
                    new.medium.slug().into(),
                    OrderStatus::Registered.slug().into(),
                    1i32.into(),
                    location.clone().into(),
                    note.into(),
                    now.into(),
                    actor.label.clone().into(),
                    now.into(),
                ]),
        )
        .await?;
        write_lines(&mut tx, &tenant, id, &lines).await?;
        tx.execute(
            Query::insert()
                .into_table(LabTransitions::Table)
                .columns([
                    LabTransitions::TenantCode,
                    LabTransitions::Id,
                    LabTransitions::OrderId,
                    LabTransitions::FromStatus,
                    LabTransitions::ToStatus,
                    LabTransitions::At,
                    LabTransitions::ActorLabel,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    Uuid::now_v7().into(),
                    id.as_uuid().into(),
                    None::<String>.into(),
                    OrderStatus::Registered.slug().into(),
                    now.into(),
                    actor.label.clone().into(),
                ]),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "lab_create_order",
            serde_json::json!({ "number": number, "partner_id": new.partner.to_string(), "medium": new.medium.slug(),
                "lines": lines.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), "location": location }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The orders the actor may see, newest first.
    pub async fn lab_orders(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        filter: &LabOrderFilter,
    ) -> Result<Vec<LabOrderRow>> {
        let (tenant, viewer) = order_viewer(actor, tenant)?;
        let mut q = order_select();
        q.and_where(Expr::col((LabOrders::Table, LabOrders::TenantCode)).eq(tenant.as_str()))
            .order_by((LabOrders::Table, LabOrders::OrderedAt), Order::Desc)
            .order_by((LabOrders::Table, LabOrders::Id), Order::Desc);
        if let Viewer::Company(p) = viewer {
            q.and_where(Expr::col((LabOrders::Table, LabOrders::PartnerId)).eq(p.as_uuid()));
        }
        if let Some(p) = filter.partner {
            q.and_where(Expr::col((LabOrders::Table, LabOrders::PartnerId)).eq(p.as_uuid()));
        }
        if let Some(s) = filter.status {
            q.and_where(Expr::col((LabOrders::Table, LabOrders::Status)).eq(s.slug()));
        }
        let rows: Vec<OrderDb> = self.fetch_all(&q).await?;
        rows.iter().map(OrderDb::row).collect()
    }

    pub async fn lab_order(&self, actor: &Actor, tenant: &RegionCode, id: LabOrderId) -> Result<LabOrder> {
        let (tenant, viewer) = order_viewer(actor, tenant)?;
        let mut tx = self.begin_read().await?;
        read_order(&mut tx, &tenant, viewer, id).await
    }

    /// Quote the order from the current tariffs: each line re-priced, the total fixed.
    pub async fn quote_lab_order(&self, actor: &Actor, tenant: &RegionCode, id: LabOrderId) -> Result<i64> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let mut tx = self.begin().await?;
        let order = read_order(&mut tx, &tenant, Viewer::Lab, id).await?;
        let catalogue = read_catalogue(&mut tx, &tenant).await?;
        let lines: Vec<LabOrderLine> = order
            .lines
            .iter()
            .map(|l| {
                let tariff = l
                    .package_id
                    .and_then(|p| catalogue.package(p).map(|p| p.tariff))
                    .or_else(|| l.parameter_id.and_then(|p| catalogue.parameter(p).map(|p| p.tariff)))
                    .unwrap_or(l.tariff);
                LabOrderLine { tariff, ..l.clone() }
            })
            .collect();
        let total: i64 = lines.iter().map(|l| l.tariff).sum();
        transition(&mut tx, actor, &tenant, &order, Step::Quote, None).await?;
        tx.execute(
            Query::delete()
                .from_table(LabOrderLines::Table)
                .and_where(Expr::col(LabOrderLines::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabOrderLines::OrderId).eq(id.as_uuid())),
        )
        .await?;
        write_lines(&mut tx, &tenant, id, &lines).await?;
        tx.execute(
            Query::update()
                .table(LabOrders::Table)
                .value(LabOrders::Total, total)
                .and_where(Expr::col(LabOrders::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabOrders::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(&mut tx, actor, &tenant, id.to_string(), "lab_quote", serde_json::json!({ "total": total })).await?;
        tx.commit().await?;
        Ok(total)
    }

    /// Record the payment of the retribution. The amount must be the quoted total. When the
    /// laboratory serves an agreement and the customer is from another party's region, the
    /// payment is recorded as that agreement's PAD outcome in the same transaction: the
    /// cooperation's dashboard shows the revenue without anyone typing it twice.
    pub async fn pay_lab_order(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: LabOrderId,
        payment: Payment,
    ) -> Result<bool> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let invoice = clean(&payment.invoice_number, "invoice_number", 80)?;
        let mut tx = self.begin().await?;
        let order = read_order(&mut tx, &tenant, Viewer::Lab, id).await?;
        // The state is checked before the amount: paying a paid order says it is paid.
        order.row.status.apply(Step::Pay).map_err(step_error)?;
        if Some(payment.amount) != order.row.total {
            return Err(StoreError::Invalid(FieldError::new("amount", "lab-amount-not-total")));
        }
        transition(&mut tx, actor, &tenant, &order, Step::Pay, None).await?;
        tx.execute(
            Query::update()
                .table(LabOrders::Table)
                .value(LabOrders::InvoiceNumber, invoice.clone())
                .value(LabOrders::PaidOn, payment.paid_on.to_string())
                .value(LabOrders::PaidAmount, payment.amount)
                .and_where(Expr::col(LabOrders::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabOrders::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "lab_pay",
            serde_json::json!({ "invoice_number": invoice, "paid_on": payment.paid_on.to_string(), "amount": payment.amount }),
        )
        .await?;
        let counted = record_pad(&mut tx, actor, &tenant, &order, &invoice, &payment).await?;
        tx.commit().await?;
        Ok(counted)
    }

    /// Schedule the sampling visit: the date and the staff who go.
    pub async fn schedule_lab_sampling(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: LabOrderId,
        on: Date,
        staff: &str,
    ) -> Result<()> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let staff = clean(staff, "staff", 200)?;
        let mut tx = self.begin().await?;
        let order = read_order(&mut tx, &tenant, Viewer::Lab, id).await?;
        transition(&mut tx, actor, &tenant, &order, Step::Schedule, None).await?;
        tx.execute(
            Query::update()
                .table(LabOrders::Table)
                .value(LabOrders::SamplingOn, on.to_string())
                .value(LabOrders::SamplingStaff, staff.clone())
                .and_where(Expr::col(LabOrders::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabOrders::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "lab_schedule",
            serde_json::json!({ "sampling_on": on.to_string(), "staff": staff }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Receive the samples at the lab: each gets an id (the order number and a sequence), and
    /// its chain of custody starts with the hand-over from `handed_by` to the receiving
    /// officer.
    pub async fn receive_lab_samples(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: LabOrderId,
        descriptions: &[String],
        handed_by: &str,
    ) -> Result<Vec<String>> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let handed_by = clean(handed_by, "handed_by", 200)?;
        let descriptions: Vec<String> = descriptions
            .iter()
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|d| !d.is_empty())
            .collect();
        if descriptions.is_empty() {
            return Err(StoreError::Invalid(FieldError::new("samples", "required")));
        }
        if descriptions.iter().any(|d| d.chars().count() > 300) {
            return Err(StoreError::Invalid(FieldError::new("samples", "too-long")));
        }
        let mut tx = self.begin().await?;
        let order = read_order(&mut tx, &tenant, Viewer::Lab, id).await?;
        transition(&mut tx, actor, &tenant, &order, Step::Receive, None).await?;
        let now = now_ms();
        let mut codes = Vec::new();
        for (i, d) in descriptions.iter().enumerate() {
            let sample = Uuid::now_v7();
            let code = format!("{}-S{}", order.row.number, i + 1);
            tx.execute(
                Query::insert()
                    .into_table(LabSamples::Table)
                    .columns([
                        LabSamples::TenantCode,
                        LabSamples::Id,
                        LabSamples::OrderId,
                        LabSamples::Code,
                        LabSamples::Description,
                        LabSamples::ReceivedAt,
                    ])
                    .values_panic([
                        tenant.as_str().into(),
                        sample.into(),
                        id.as_uuid().into(),
                        code.clone().into(),
                        d.clone().into(),
                        now.into(),
                    ]),
            )
            .await?;
            insert_custody(&mut tx, &tenant, sample, &handed_by, &actor.label, None).await?;
            codes.push(code);
        }
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "lab_receive",
            serde_json::json!({ "samples": codes, "handed_by": handed_by }),
        )
        .await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Record a later hand-over of a sample (to the analyst, to storage).
    pub async fn hand_over_lab_sample(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        order: LabOrderId,
        sample: LabSampleId,
        to: &str,
        note: Option<&str>,
    ) -> Result<()> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let to = clean(to, "to", 200)?;
        let mut tx = self.begin().await?;
        let o = read_order(&mut tx, &tenant, Viewer::Lab, order).await?;
        let s = o.samples.iter().find(|s| s.id == sample).ok_or(StoreError::NotFound)?;
        let from = s.custody.last().map(|c| c.to.clone()).unwrap_or_else(|| actor.label.clone());
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        insert_custody(&mut tx, &tenant, sample.as_uuid(), &from, &to, note).await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            order.to_string(),
            "lab_hand_over",
            serde_json::json!({ "sample": s.code, "from": from, "to": to }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Enter the results of every parameter of the order (the current version) and send them
    /// for verification. Each value is judged against the parameter's standard; the analyst is
    /// remembered for the second-person rule.
    pub async fn submit_lab_results(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: LabOrderId,
        values: &[(LabParameterId, f64)],
    ) -> Result<()> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let mut tx = self.begin().await?;
        let order = read_order(&mut tx, &tenant, Viewer::Lab, id).await?;
        order.row.status.apply(Step::Submit).map_err(step_error)?;
        for (p, v) in values {
            if !order.parameters.iter().any(|x| x.id == *p) || !v.is_finite() {
                return Err(StoreError::Invalid(FieldError::new("results", "invalid-choice")));
            }
        }
        if let Some(missing) = order.parameters.iter().find(|p| !values.iter().any(|(id, _)| *id == p.id)) {
            tracing::debug!(parameter = %missing.id, "result missing");
            return Err(StoreError::Invalid(FieldError::new("results", "required")));
        }
        transition(&mut tx, actor, &tenant, &order, Step::Submit, None).await?;
        let version = order.version as i32;
        let now = now_ms();
        tx.execute(
            Query::delete()
                .from_table(LabResults::Table)
                .and_where(Expr::col(LabResults::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabResults::OrderId).eq(id.as_uuid()))
                .and_where(Expr::col(LabResults::Version).eq(version)),
        )
        .await?;
        let mut summary = Vec::new();
        for p in &order.parameters {
            let Some((_, value)) = values.iter().find(|(id, _)| *id == p.id) else { continue };
            let verdict = p.limit.verdict(*value);
            tx.execute(
                Query::insert()
                    .into_table(LabResults::Table)
                    .columns([
                        LabResults::TenantCode,
                        LabResults::OrderId,
                        LabResults::ParameterId,
                        LabResults::Version,
                        LabResults::Name,
                        LabResults::Unit,
                        LabResults::Method,
                        LabResults::Value,
                        LabResults::LimitMin,
                        LabResults::LimitMax,
                        LabResults::Verdict,
                        LabResults::EnteredBy,
                        LabResults::EnteredAt,
                    ])
                    .values_panic([
                        tenant.as_str().into(),
                        id.as_uuid().into(),
                        p.id.as_uuid().into(),
                        version.into(),
                        p.name.clone().into(),
                        p.unit.clone().into(),
                        p.method.clone().into(),
                        (*value).into(),
                        p.limit.min().into(),
                        p.limit.max().into(),
                        verdict.slug().into(),
                        actor.user_id.as_uuid().into(),
                        now.into(),
                    ]),
            )
            .await?;
            summary.push(serde_json::json!({ "parameter": p.name, "value": value, "verdict": verdict.slug() }));
        }
        tx.execute(
            Query::update()
                .table(LabOrders::Table)
                .value(LabOrders::ResultsBy, actor.user_id.as_uuid())
                .value(LabOrders::ResultsByLabel, actor.label.clone())
                .and_where(Expr::col(LabOrders::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabOrders::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "lab_submit_results",
            serde_json::json!({ "version": version, "results": summary }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Verify the results: by someone other than the analyst who entered them.
    pub async fn verify_lab_order(&self, actor: &Actor, tenant: &RegionCode, id: LabOrderId) -> Result<()> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let mut tx = self.begin().await?;
        let order = read_order(&mut tx, &tenant, Viewer::Lab, id).await?;
        order.row.status.apply(Step::Verify).map_err(step_error)?;
        let entered =
            order.results_by.ok_or(StoreError::Corrupt(format!("lab order {id}: results without analyst")))?;
        check_second_person(entered, actor.user_id).map_err(step_error)?;
        transition(&mut tx, actor, &tenant, &order, Step::Verify, None).await?;
        let now = now_ms();
        tx.execute(
            Query::update()
                .table(LabOrders::Table)
                .value(LabOrders::VerifiedBy, actor.label.clone())
                .value(LabOrders::VerifiedAt, now)
                .and_where(Expr::col(LabOrders::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabOrders::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(&mut tx, actor, &tenant, id.to_string(), "lab_verify", serde_json::json!({ "version": order.version }))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publish the certificate: a code anyone can verify. A republished order (after a
    /// retraction) gets a new code; the old one then shows as retracted.
    pub async fn publish_lab_order(&self, actor: &Actor, tenant: &RegionCode, id: LabOrderId) -> Result<String> {
        let tenant = lab_tenant(actor, Permission::ManageLab, tenant)?;
        let mut tx = self.begin().await?;
        let order = read_order(&mut tx, &tenant, Viewer::Lab, id).await?;
        transition(&mut tx, actor, &tenant, &order, Step::Publish, None).await?;
        let code = certificate_code();
        tx.execute(
            Query::update()
                .table(LabOrders::Table)
                .value(LabOrders::CertificateCode, code.clone())
                .value(LabOrders::PublishedAt, now_ms())
                .and_where(Expr::col(LabOrders::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabOrders::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "lab_publish",
            serde_json::json!({ "certificate_code": code, "version": order.version }),
        )
        .await?;
        tx.commit().await?;
        Ok(code)
    }

    /// Retract, reject or cancel, with a reason. A retraction opens a new version of the
    /// results (the old ones stay, and a published certificate shows as retracted). The
    /// customer's own partner user may cancel an order not yet paid; the other steps are the
    /// laboratory's.
    pub async fn withdraw_lab_order(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: LabOrderId,
        step: Step,
        reason: &str,
    ) -> Result<()> {
        if !step.needs_reason() {
            return Err(StoreError::Invalid(FieldError::new("step", "invalid-choice")));
        }
        let (tenant, viewer) = order_viewer(actor, tenant)?;
        match viewer {
            Viewer::Company(_) if step != Step::Cancel => return Err(StoreError::Forbidden),
            Viewer::Lab if !actor.can(Permission::ManageLab) => return Err(StoreError::Forbidden),
            _ => {}
        }
        let mut tx = self.begin().await?;
        let order = read_order(&mut tx, &tenant, viewer, id).await?;
        order.row.status.apply(step).map_err(step_error)?;
        let reason = Reason::parse(reason).map_err(step_error)?;
        transition(&mut tx, actor, &tenant, &order, step, Some(&reason)).await?;
        let mut update = Query::update();
        update
            .table(LabOrders::Table)
            .value(LabOrders::Reason, reason.as_str())
            .and_where(Expr::col(LabOrders::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(LabOrders::Id).eq(id.as_uuid()));
        if step == Step::Retract {
            update
                .value(LabOrders::Version, order.version as i32 + 1)
                .value(LabOrders::ResultsBy, None::<Uuid>)
                .value(LabOrders::ResultsByLabel, None::<String>)
                .value(LabOrders::VerifiedBy, None::<String>)
                .value(LabOrders::VerifiedAt, None::<i64>);
        }
        tx.execute(&update).await?;
        let action = match step {
            Step::Retract => "lab_retract",
            Step::Reject => "lab_reject",
            _ => "lab_cancel",
        };
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            action,
            serde_json::json!({ "from": order.row.status.slug(), "reason": reason.as_str(), "version": order.version }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The public verification of a laboratory certificate by its code: no login, any Pemda.
    pub async fn verify_lab_certificate(&self, code: &str) -> Result<LabCertificateView> {
        let code = normalise_certificate_code(code).ok_or(StoreError::NotFound)?;
        #[derive(sqlx::FromRow)]
        struct C {
            tenant_code: String,
            id: Uuid,
        }
        let mut tx = self.begin_read().await?;
        let c: C = tx
            .fetch_optional(
                Query::select()
                    .columns([LabOrders::TenantCode, LabOrders::Id])
                    .from(LabOrders::Table)
                    .and_where(Expr::col(LabOrders::CertificateCode).eq(code.as_str())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let tenant =
            RegionCode::parse(&c.tenant_code).map_err(|_| StoreError::Corrupt("lab certificate tenant".into()))?;
        let order = read_order(&mut tx, &tenant, Viewer::Lab, LabOrderId::from_uuid(c.id)).await?;
        let published_at_ms = order.row.published_at_ms.ok_or(StoreError::NotFound)?;
        let retracted = order.row.status != OrderStatus::Published;
        Ok(LabCertificateView {
            code,
            tenant,
            order_number: order.row.number,
            customer_name: order.row.customer_name,
            medium: order.row.medium,
            location: order.location,
            version: order.version,
            published_at_ms,
            verified_by: order.verified_by,
            samples: order.samples.into_iter().map(|s| s.code).collect(),
            results: if retracted {
                Vec::new()
            } else {
                order
                    .results
                    .into_iter()
                    .map(|r| CertificateResult {
                        name: r.name,
                        unit: r.unit,
                        method: r.method,
                        value: r.value,
                        limit: r.limit,
                        verdict: r.verdict,
                    })
                    .collect()
            },
            retracted,
        })
    }
}

impl Store {
    /// Set when a past order was placed and its certificate published, spreading its
    /// transitions between the two: for the demo and for loading a laboratory's earlier
    /// records, so that turnaround reports have their history. The platform only.
    pub async fn backdate_lab_order(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: LabOrderId,
        ordered_at_ms: i64,
        until_ms: i64,
    ) -> Result<()> {
        if !actor.can(Permission::ManagePlatform) {
            return Err(StoreError::Forbidden);
        }
        if until_ms < ordered_at_ms {
            return Err(StoreError::Invalid(FieldError::new("until", "out-of-range")));
        }
        let mut tx = self.begin().await?;
        let order = read_order(&mut tx, tenant, Viewer::Lab, id).await?;
        #[derive(sqlx::FromRow)]
        struct T {
            id: Uuid,
        }
        let ids: Vec<T> = tx
            .fetch_all(
                Query::select()
                    .column(LabTransitions::Id)
                    .from(LabTransitions::Table)
                    .and_where(Expr::col(LabTransitions::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(LabTransitions::OrderId).eq(id.as_uuid()))
                    .order_by(LabTransitions::At, Order::Asc)
                    .order_by(LabTransitions::Id, Order::Asc),
            )
            .await?;
        let steps = ids.len().saturating_sub(1).max(1) as i64;
        for (i, t) in ids.iter().enumerate() {
            let at = ordered_at_ms + (until_ms - ordered_at_ms) * i as i64 / steps;
            tx.execute(
                Query::update()
                    .table(LabTransitions::Table)
                    .value(LabTransitions::At, at)
                    .and_where(Expr::col(LabTransitions::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(LabTransitions::Id).eq(t.id)),
            )
            .await?;
        }
        let mut update = Query::update();
        update
            .table(LabOrders::Table)
            .value(LabOrders::OrderedAt, ordered_at_ms)
            .and_where(Expr::col(LabOrders::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(LabOrders::Id).eq(id.as_uuid()));
        if order.row.published_at_ms.is_some() {
            update.value(LabOrders::PublishedAt, until_ms);
        }
        if order.verified_at_ms.is_some() {
            update.value(LabOrders::VerifiedAt, until_ms);
        }
        tx.execute(&update).await?;
        let mut samples = Query::update();
        samples
            .table(LabSamples::Table)
            .value(LabSamples::ReceivedAt, ordered_at_ms + (until_ms - ordered_at_ms) / 2)
            .and_where(Expr::col(LabSamples::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(LabSamples::OrderId).eq(id.as_uuid()));
        tx.execute(&samples).await?;
        // The chain of custody starts when the samples were received, not when the demo ran.
        tx.execute(
            Query::update()
                .table(LabCustody::Table)
                .value(LabCustody::At, ordered_at_ms + (until_ms - ordered_at_ms) / 2)
                .and_where(Expr::col(LabCustody::TenantCode).eq(tenant.as_str()))
                .and_where(
                    Expr::col(LabCustody::SampleId).in_subquery(
                        Query::select()
                            .column(LabSamples::Id)
                            .from(LabSamples::Table)
                            .and_where(Expr::col(LabSamples::TenantCode).eq(tenant.as_str()))
                            .and_where(Expr::col(LabSamples::OrderId).eq(id.as_uuid()))
                            .to_owned(),
                    ),
                ),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            tenant,
            id.to_string(),
            "lab_backdate",
            serde_json::json!({ "ordered_at": ordered_at_ms, "until": until_ms }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn dedup<T: Ord + Copy>(v: &[T]) -> Vec<T> {
    let mut seen = BTreeSet::new();
    v.iter().copied().filter(|x| seen.insert(*x)).collect()
}

async fn next_number(tx: &mut Tx, tenant: &RegionCode, year: i32) -> Result<String> {
    #[derive(sqlx::FromRow)]
    struct N {
        number: String,
    }
    let prefix = format!("LAB-{year}-");
    let rows: Vec<N> = tx
        .fetch_all(
            Query::select()
                .column(LabOrders::Number)
                .from(LabOrders::Table)
                .and_where(Expr::col(LabOrders::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(LabOrders::Number).like(format!("{prefix}%"))),
        )
        .await?;
    let max = rows.iter().filter_map(|r| r.number.strip_prefix(&prefix)?.parse::<u32>().ok()).max().unwrap_or(0);
    Ok(format!("{prefix}{:04}", max + 1))
}

async fn write_lines(tx: &mut Tx, tenant: &RegionCode, id: LabOrderId, lines: &[LabOrderLine]) -> Result<()> {
    for (seq, l) in lines.iter().enumerate() {
        tx.execute(
            Query::insert()
                .into_table(LabOrderLines::Table)
                .columns([
                    LabOrderLines::TenantCode,
                    LabOrderLines::OrderId,
                    LabOrderLines::Seq,
                    LabOrderLines::PackageId,
                    LabOrderLines::ParameterId,
                    LabOrderLines::Name,
                    LabOrderLines::Tariff,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    (seq as i32).into(),
                    l.package_id.map(|p| p.as_uuid()).into(),
                    l.parameter_id.map(|p| p.as_uuid()).into(),
                    l.name.clone().into(),
                    l.tariff.into(),
                ]),
        )
        .await?;
    }
    Ok(())
}

async fn insert_custody(
    tx: &mut Tx,
    tenant: &RegionCode,
    sample: Uuid,
    from: &str,
    to: &str,
    note: Option<&str>,
) -> Result<()> {
    tx.execute(
        Query::insert()
            .into_table(LabCustody::Table)
            .columns([
                LabCustody::TenantCode,
                LabCustody::Id,
                LabCustody::SampleId,
                LabCustody::At,
                LabCustody::FromPerson,
                LabCustody::ToPerson,
                LabCustody::Note,
            ])
            .values_panic([
                tenant.as_str().into(),
                Uuid::now_v7().into(),
                sample.into(),
                now_ms().into(),
                from.into(),
                to.into(),
                note.map(str::to_owned).into(),
            ]),
    )
    .await?;
    Ok(())
}

/// The regions of the agreement's other parties: the partner Pemda's own code, and the region
/// of each partner that is another Pemda.
pub(super) async fn party_regions(tx: &mut Tx, tenant: &RegionCode, agreement: Uuid) -> Result<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct P {
        party_tenant_code: Option<String>,
        region_code: Option<String>,
    }
    let rows: Vec<P> = tx
        .fetch_all(
            Query::select()
                .column((AgreementParties::Table, AgreementParties::PartyTenantCode))
                .column((Partners::Table, Partners::RegionCode))
                .from(AgreementParties::Table)
                .left_join(
                    Partners::Table,
                    Expr::col((Partners::Table, Partners::TenantCode))
                        .equals((AgreementParties::Table, AgreementParties::TenantCode))
                        .and(
                            Expr::col((Partners::Table, Partners::Id))
                                .equals((AgreementParties::Table, AgreementParties::PartnerId)),
                        )
                        .and(Expr::col((Partners::Table, Partners::Kind)).eq("region")),
                )
                .and_where(Expr::col((AgreementParties::Table, AgreementParties::TenantCode)).eq(tenant.as_str()))
                .and_where(Expr::col((AgreementParties::Table, AgreementParties::AgreementId)).eq(agreement)),
        )
        .await?;
    let mut out: Vec<String> = rows
        .into_iter()
        .flat_map(|r| [r.party_tenant_code, r.region_code])
        .flatten()
        .filter(|c| c != tenant.as_str())
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

async fn record_pad(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    order: &LabOrder,
    invoice: &str,
    payment: &Payment,
) -> Result<bool> {
    let Some(agreement) = super::read_settings(tx, tenant).await?.agreement_id else {
        return Ok(false);
    };
    let Some(region) = order.row.customer_region.as_deref() else {
        return Ok(false);
    };
    if !party_regions(tx, tenant, agreement.as_uuid()).await?.iter().any(|r| r == region) {
        return Ok(false);
    }
    // One outcome per month, summed: the agreement's page lists a line a month, not one per
    // invoice; the newest invoice numbers lead its evidence.
    let period = format!("{}-{:02}", payment.paid_on.year(), u8::from(payment.paid_on.month()));
    let label = format!("Retribusi uji Labkesda {period}");
    let kind = sinergi_domain::cooperation::outcomes::OutcomeKind::PadEarned.slug();
    #[derive(sqlx::FromRow)]
    struct Existing {
        id: Uuid,
        value: i64,
        evidence: Option<String>,
    }
    let existing: Option<Existing> = tx
        .fetch_optional(
            Query::select()
                .columns([Outcomes::Id, Outcomes::Value, Outcomes::Evidence])
                .from(Outcomes::Table)
                .and_where(Expr::col(Outcomes::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Outcomes::AgreementId).eq(agreement.as_uuid()))
                .and_where(Expr::col(Outcomes::Kind).eq(kind))
                .and_where(Expr::col(Outcomes::Label).eq(label.as_str())),
        )
        .await?;
    let line = format!("{} {} ({})", invoice, order.row.number, order.row.customer_name);
    match existing {
        Some(e) => {
            let evidence: String = format!("{line}; {}", e.evidence.unwrap_or_default()).chars().take(2000).collect();
            tx.execute(
                Query::update()
                    .table(Outcomes::Table)
                    .value(Outcomes::Value, e.value + payment.amount)
                    .value(Outcomes::Evidence, evidence)
                    .value(Outcomes::RecordedOn, payment.paid_on.to_string())
                    .and_where(Expr::col(Outcomes::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(Outcomes::Id).eq(e.id)),
            )
            .await?;
        }
        None => {
            tx.execute(
                Query::insert()
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
                    ])
                    .values_panic([
                        tenant.as_str().into(),
                        Uuid::now_v7().into(),
                        agreement.as_uuid().into(),
                        kind.into(),
                        label.into(),
                        "Rp".into(),
                        payment.amount.into(),
                        period.into(),
                        Some(line).into(),
                        payment.paid_on.to_string().into(),
                        now_ms().into(),
                    ]),
            )
            .await?;
        }
    }
    crate::audit::record(
        tx,
        actor,
        crate::audit::Change {
            tenant: Some(tenant),
            action: "add_outcome",
            record_type: crate::audit::RecordType::Agreement,
            record_id: agreement.to_string(),
            before: None,
            after: Some(
                serde_json::json!({ "kind": "pad-earned", "value": payment.amount, "lab_order": order.row.number }),
            ),
        },
    )
    .await?;
    Ok(true)
}

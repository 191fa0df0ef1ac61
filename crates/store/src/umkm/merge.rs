//! Duplicates an officer decides on, and merges and splits that can be undone.
//!
//! A merge never deletes: the absorbed business stays as a row marked `merged` (pointing at the
//! survivor), its source records move to the survivor, and what the survivor gained (years,
//! permits, tags, KBLI codes, chosen field values) is written down in the merge's snapshot, so
//! that undoing it puts both businesses back exactly as they were. A split moves chosen records
//! to a new business and is undone the same way.

use std::collections::{BTreeMap, HashSet};

use sea_query::{Cond, Expr, ExprTrait, Order, Query};
use serde::{Deserialize, Serialize};
use sinergi_domain::{Actor, BusinessId, MergeId, Permission, RegionCode, ReviewId, SourceRecordId};
use uuid::Uuid;

use super::write::{
    Golden, YearSnap, insert_business, insert_kbli, insert_tag, insert_year, load_golden, refresh_latest_year,
    set_field_source, update_golden,
};
use super::{BusinessDetail, Field, registry_tenant};
use crate::audit::{Change, RecordType, record};
use crate::db::Tx;
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

sinergi_domain::slug_enum! {
    pub enum ReviewStatus: "status" {
        Open = "open",
        Merged = "merged",
        KeptApart = "kept-apart",
    }
}

/// A pair the entity resolution was unsure about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewRow {
    pub id: ReviewId,
    pub record: SourceRecordId,
    /// The business the unsure record started.
    pub business: BusinessId,
    pub business_name: String,
    /// The existing business it may duplicate.
    pub candidate: BusinessId,
    pub candidate_name: String,
    pub weight: f64,
    pub probability: f64,
    pub explanation: serde_json::Value,
    pub status: ReviewStatus,
    pub decided_by: Option<String>,
    pub created_at_ms: i64,
}

/// Both sides of a review, whole, for the side-by-side page.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewDetail {
    pub review: ReviewRow,
    pub business: BusinessDetail,
    pub candidate: BusinessDetail,
}

/// For each field, the business whose value the merged record keeps.
pub type FieldChoice = BTreeMap<Field, BusinessId>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeRow {
    pub id: MergeId,
    /// "merge" or "split".
    pub kind: String,
    pub into: BusinessId,
    pub from: BusinessId,
    pub created_by: String,
    pub created_at_ms: i64,
    pub undone_at_ms: Option<i64>,
}

/// What undoing a merge or split needs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Snapshot {
    into_before: Golden,
    into_sources_before: Vec<(String, Uuid)>,
    into_years_before: Vec<YearSnap>,
    moved_records: Vec<Uuid>,
    added_permits: Vec<Uuid>,
    added_tags: Vec<(String, String)>,
    added_kbli: Vec<String>,
    review: Option<Uuid>,
    /// For a split: the business the records came from, as it was.
    from_before: Option<Golden>,
    from_sources_before: Vec<(String, Uuid)>,
}

#[derive(sqlx::FromRow)]
struct ReviewDbRow {
    id: Uuid,
    record_id: Uuid,
    business_id: Uuid,
    candidate_id: Uuid,
    weight: f64,
    probability: f64,
    explanation: String,
    status: String,
    decided_by: Option<String>,
    created_at: i64,
    business_name: String,
    candidate_name: String,
}

fn review_select() -> sea_query::SelectStatement {
    use UmkmReviews as V;
    let (b, c) = (sea_query::Alias::new("b"), sea_query::Alias::new("c"));
    Query::select()
        .columns([
            (V::Table, V::Id),
            (V::Table, V::RecordId),
            (V::Table, V::BusinessId),
            (V::Table, V::CandidateId),
            (V::Table, V::Weight),
            (V::Table, V::Probability),
            (V::Table, V::Explanation),
            (V::Table, V::Status),
            (V::Table, V::DecidedBy),
            (V::Table, V::CreatedAt),
        ])
        .expr_as(Expr::col((b.clone(), UmkmBusinesses::Name)), "business_name")
        .expr_as(Expr::col((c.clone(), UmkmBusinesses::Name)), "candidate_name")
        .from(V::Table)
        .join_as(
            sea_query::JoinType::InnerJoin,
            UmkmBusinesses::Table,
            b.clone(),
            Cond::all()
                .add(Expr::col((b.clone(), UmkmBusinesses::TenantCode)).equals((V::Table, V::TenantCode)))
                .add(Expr::col((b, UmkmBusinesses::Id)).equals((V::Table, V::BusinessId))),
        )
        .join_as(
            sea_query::JoinType::InnerJoin,
            UmkmBusinesses::Table,
            c.clone(),
            Cond::all()
                .add(Expr::col((c.clone(), UmkmBusinesses::TenantCode)).equals((V::Table, V::TenantCode)))
                .add(Expr::col((c, UmkmBusinesses::Id)).equals((V::Table, V::CandidateId))),
        )
        .to_owned()
}

impl ReviewDbRow {
    fn into_row(self) -> ReviewRow {
        ReviewRow {
            id: ReviewId::from_uuid(self.id),
            record: SourceRecordId::from_uuid(self.record_id),
            business: BusinessId::from_uuid(self.business_id),
            business_name: self.business_name,
            candidate: BusinessId::from_uuid(self.candidate_id),
            candidate_name: self.candidate_name,
            weight: self.weight,
            probability: self.probability,
            explanation: serde_json::from_str(&self.explanation).unwrap_or_default(),
            status: self.status.parse().unwrap_or(ReviewStatus::Open),
            decided_by: self.decided_by,
            created_at_ms: self.created_at,
        }
    }
}

pub(crate) async fn reviews_of(store: &Store, tenant: &RegionCode, id: BusinessId) -> Result<Vec<ReviewRow>> {
    use UmkmReviews as V;
    let rows: Vec<ReviewDbRow> = store
        .fetch_all(
            review_select()
                .and_where(Expr::col((V::Table, V::TenantCode)).eq(tenant.as_str()))
                .and_where(Expr::col((V::Table, V::Status)).eq(ReviewStatus::Open.slug()))
                .cond_where(
                    Cond::any()
                        .add(Expr::col((V::Table, V::BusinessId)).eq(id.as_uuid()))
                        .add(Expr::col((V::Table, V::CandidateId)).eq(id.as_uuid())),
                ),
        )
        .await?;
    Ok(rows.into_iter().map(ReviewDbRow::into_row).collect())
}

#[derive(sqlx::FromRow)]
struct MergeDbRow {
    id: Uuid,
    kind: String,
    into_business: Uuid,
    from_business: Uuid,
    snapshot: String,
    created_by: String,
    created_at: i64,
    undone_at: Option<i64>,
}

impl MergeDbRow {
    fn to_row(&self) -> MergeRow {
        MergeRow {
            id: MergeId::from_uuid(self.id),
            kind: self.kind.clone(),
            into: BusinessId::from_uuid(self.into_business),
            from: BusinessId::from_uuid(self.from_business),
            created_by: self.created_by.clone(),
            created_at_ms: self.created_at,
            undone_at_ms: self.undone_at,
        }
    }
}

fn merge_select() -> sea_query::SelectStatement {
    use UmkmMerges as M;
    Query::select()
        .columns([
            M::Id,
            M::Kind,
            M::IntoBusiness,
            M::FromBusiness,
            M::Snapshot,
            M::CreatedBy,
            M::CreatedAt,
            M::UndoneAt,
        ])
        .from(M::Table)
        .to_owned()
}

pub(crate) async fn merges_of(store: &Store, tenant: &RegionCode, id: BusinessId) -> Result<Vec<MergeRow>> {
    use UmkmMerges as M;
    let rows: Vec<MergeDbRow> = store
        .fetch_all(
            merge_select()
                .and_where(Expr::col(M::TenantCode).eq(tenant.as_str()))
                .cond_where(
                    Cond::any()
                        .add(Expr::col(M::IntoBusiness).eq(id.as_uuid()))
                        .add(Expr::col(M::FromBusiness).eq(id.as_uuid())),
                )
                .order_by(M::CreatedAt, Order::Desc),
        )
        .await?;
    Ok(rows.iter().map(MergeDbRow::to_row).collect())
}

fn business_cond(tenant: &RegionCode, id: BusinessId) -> Cond {
    Cond::all()
        .add(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
        .add(Expr::col(UmkmBusinesses::Id).eq(id.as_uuid()))
}

async fn status_of(tx: &mut Tx, tenant: &RegionCode, id: BusinessId) -> Result<String> {
    #[derive(sqlx::FromRow)]
    struct Row {
        status: String,
    }
    let row: Row = tx
        .fetch_optional(
            Query::select()
                .column(UmkmBusinesses::Status)
                .from(UmkmBusinesses::Table)
                .cond_where(business_cond(tenant, id)),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(row.status)
}

async fn field_sources(tx: &mut Tx, tenant: &RegionCode, id: BusinessId) -> Result<Vec<(String, Uuid)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        field: String,
        record_id: Uuid,
    }
    let rows: Vec<Row> = tx
        .fetch_all(
            Query::select()
                .columns([UmkmFieldSources::Field, UmkmFieldSources::RecordId])
                .from(UmkmFieldSources::Table)
                .and_where(Expr::col(UmkmFieldSources::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmFieldSources::BusinessId).eq(id.as_uuid())),
        )
        .await?;
    Ok(rows.into_iter().map(|r| (r.field, r.record_id)).collect())
}

async fn restore_sources(tx: &mut Tx, tenant: &RegionCode, id: BusinessId, sources: &[(String, Uuid)]) -> Result<()> {
    tx.execute(
        Query::delete()
            .from_table(UmkmFieldSources::Table)
            .and_where(Expr::col(UmkmFieldSources::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(UmkmFieldSources::BusinessId).eq(id.as_uuid())),
    )
    .await?;
    for (field, record) in sources {
        if let Some(f) = Field::parse(field) {
            set_field_source(tx, tenant, id, f, SourceRecordId::from_uuid(*record)).await?;
        }
    }
    Ok(())
}

async fn years(tx: &mut Tx, tenant: &RegionCode, id: BusinessId) -> Result<Vec<YearSnap>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        year: i32,
        capital: Option<i64>,
        sales: Option<i64>,
        employees: Option<i32>,
        class_capital: Option<String>,
        class_sales: Option<String>,
        record_id: Option<Uuid>,
    }
    let rows: Vec<Row> = tx
        .fetch_all(
            Query::select()
                .columns([
                    UmkmYears::Year,
                    UmkmYears::Capital,
                    UmkmYears::Sales,
                    UmkmYears::Employees,
                    UmkmYears::ClassCapital,
                    UmkmYears::ClassSales,
                    UmkmYears::RecordId,
                ])
                .from(UmkmYears::Table)
                .and_where(Expr::col(UmkmYears::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmYears::BusinessId).eq(id.as_uuid())),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| YearSnap {
            year: r.year,
            capital: r.capital,
            sales: r.sales,
            employees: r.employees,
            class_capital: r.class_capital,
            class_sales: r.class_sales,
            record_id: r.record_id,
        })
        .collect())
}

async fn replace_years(tx: &mut Tx, tenant: &RegionCode, id: BusinessId, ys: &[YearSnap]) -> Result<()> {
    tx.execute(
        Query::delete()
            .from_table(UmkmYears::Table)
            .and_where(Expr::col(UmkmYears::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(UmkmYears::BusinessId).eq(id.as_uuid())),
    )
    .await?;
    for y in ys {
        insert_year(tx, tenant, id, y).await?;
    }
    refresh_latest_year(tx, tenant, id).await
}

/// The years of `into` after taking `from`'s: a year only one side has is kept; for a year
/// both have, each missing figure is filled from the other.
fn merged_years(into: &[YearSnap], from: &[YearSnap]) -> Vec<YearSnap> {
    let mut out: BTreeMap<i32, YearSnap> = into.iter().map(|y| (y.year, y.clone())).collect();
    for y in from {
        out.entry(y.year)
            .and_modify(|e| {
                e.capital = e.capital.or(y.capital);
                e.sales = e.sales.or(y.sales);
                e.employees = e.employees.or(y.employees);
                let class = sinergi_domain::umkm::Classification::of(e.capital, e.sales);
                e.class_capital = super::class_slug(class.by_capital);
                e.class_sales = super::class_slug(class.by_sales);
            })
            .or_insert_with(|| y.clone());
    }
    out.into_values().collect()
}

async fn move_records(tx: &mut Tx, tenant: &RegionCode, records: &[Uuid], to: BusinessId) -> Result<()> {
    for chunk in records.chunks(500) {
        tx.execute(
            Query::update()
                .table(UmkmRecords::Table)
                .value(UmkmRecords::BusinessId, to.as_uuid())
                .and_where(Expr::col(UmkmRecords::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmRecords::Id).is_in(chunk.iter().copied())),
        )
        .await?;
    }
    Ok(())
}

async fn record_ids(tx: &mut Tx, tenant: &RegionCode, business: BusinessId) -> Result<Vec<Uuid>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
    }
    let rows: Vec<Row> = tx
        .fetch_all(
            Query::select()
                .column(UmkmRecords::Id)
                .from(UmkmRecords::Table)
                .and_where(Expr::col(UmkmRecords::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmRecords::BusinessId).eq(business.as_uuid())),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Copy `from`'s permits, tags and KBLI codes that `into` lacks; returns what was added.
async fn copy_children(
    tx: &mut Tx,
    tenant: &RegionCode,
    into: BusinessId,
    from: BusinessId,
    snap: &mut Snapshot,
) -> Result<()> {
    #[derive(sqlx::FromRow)]
    struct PermitRow {
        kind: String,
        number: String,
        issued: Option<String>,
        expires: Option<String>,
        record_id: Option<Uuid>,
    }
    let permits = |b: BusinessId| {
        Query::select()
            .columns([
                UmkmPermits::Kind,
                UmkmPermits::Number,
                UmkmPermits::Issued,
                UmkmPermits::Expires,
                UmkmPermits::RecordId,
            ])
            .from(UmkmPermits::Table)
            .and_where(Expr::col(UmkmPermits::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(UmkmPermits::BusinessId).eq(b.as_uuid()))
            .to_owned()
    };
    let mine: Vec<PermitRow> = tx.fetch_all(&permits(into)).await?;
    let have: HashSet<(String, String)> = mine.into_iter().map(|p| (p.kind, p.number)).collect();
    let theirs: Vec<PermitRow> = tx.fetch_all(&permits(from)).await?;
    for p in theirs.into_iter().filter(|p| !have.contains(&(p.kind.clone(), p.number.clone()))) {
        let id = Uuid::now_v7();
        tx.execute(
            Query::insert()
                .into_table(UmkmPermits::Table)
                .columns([
                    UmkmPermits::TenantCode,
                    UmkmPermits::Id,
                    UmkmPermits::BusinessId,
                    UmkmPermits::Kind,
                    UmkmPermits::Number,
                    UmkmPermits::Issued,
                    UmkmPermits::Expires,
                    UmkmPermits::RecordId,
                    UmkmPermits::CreatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.into(),
                    into.as_uuid().into(),
                    p.kind.into(),
                    p.number.into(),
                    p.issued.into(),
                    p.expires.into(),
                    p.record_id.into(),
                    now_ms().into(),
                ]),
        )
        .await?;
        snap.added_permits.push(id);
    }
    #[derive(sqlx::FromRow)]
    struct TagRow {
        kind: String,
        value: String,
    }
    let tags = |b: BusinessId| {
        Query::select()
            .columns([UmkmTags::Kind, UmkmTags::Value])
            .from(UmkmTags::Table)
            .and_where(Expr::col(UmkmTags::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(UmkmTags::BusinessId).eq(b.as_uuid()))
            .to_owned()
    };
    let have: HashSet<(String, String)> =
        tx.fetch_all::<TagRow, _>(&tags(into)).await?.into_iter().map(|t| (t.kind, t.value)).collect();
    for t in tx.fetch_all::<TagRow, _>(&tags(from)).await? {
        if !have.contains(&(t.kind.clone(), t.value.clone())) {
            insert_tag(tx, tenant, into, &t.kind, &t.value).await?;
            snap.added_tags.push((t.kind, t.value));
        }
    }
    #[derive(sqlx::FromRow)]
    struct KbliRow {
        code: String,
    }
    let kbli = |b: BusinessId| {
        Query::select()
            .column(UmkmBusinessKbli::Code)
            .from(UmkmBusinessKbli::Table)
            .and_where(Expr::col(UmkmBusinessKbli::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(UmkmBusinessKbli::BusinessId).eq(b.as_uuid()))
            .to_owned()
    };
    let have: HashSet<String> = tx.fetch_all::<KbliRow, _>(&kbli(into)).await?.into_iter().map(|k| k.code).collect();
    for k in tx.fetch_all::<KbliRow, _>(&kbli(from)).await? {
        if have.contains(&k.code) {
            continue;
        }
        let Ok(code) = sinergi_domain::KbliCode::parse(&k.code) else { continue };
        if !insert_kbli(tx, tenant, into, &code).await? {
            continue;
        }
        snap.added_kbli.push(k.code);
    }
    Ok(())
}

async fn remove_added(tx: &mut Tx, tenant: &RegionCode, into: BusinessId, snap: &Snapshot) -> Result<()> {
    for chunk in snap.added_permits.chunks(500) {
        tx.execute(
            Query::delete()
                .from_table(UmkmPermits::Table)
                .and_where(Expr::col(UmkmPermits::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmPermits::Id).is_in(chunk.iter().copied())),
        )
        .await?;
    }
    for (kind, value) in &snap.added_tags {
        tx.execute(
            Query::delete()
                .from_table(UmkmTags::Table)
                .and_where(Expr::col(UmkmTags::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmTags::BusinessId).eq(into.as_uuid()))
                .and_where(Expr::col(UmkmTags::Kind).eq(kind.as_str()))
                .and_where(Expr::col(UmkmTags::Value).eq(value.as_str())),
        )
        .await?;
    }
    for code in &snap.added_kbli {
        tx.execute(
            Query::delete()
                .from_table(UmkmBusinessKbli::Table)
                .and_where(Expr::col(UmkmBusinessKbli::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmBusinessKbli::BusinessId).eq(into.as_uuid()))
                .and_where(Expr::col(UmkmBusinessKbli::Code).eq(code.as_str())),
        )
        .await?;
    }
    Ok(())
}

async fn set_status(tx: &mut Tx, tenant: &RegionCode, id: BusinessId, merged_into: Option<BusinessId>) -> Result<()> {
    tx.execute(
        Query::update()
            .table(UmkmBusinesses::Table)
            .value(UmkmBusinesses::Status, if merged_into.is_some() { "merged" } else { "active" })
            .value(UmkmBusinesses::MergedInto, merged_into.map(|b| b.as_uuid()))
            .value(UmkmBusinesses::UpdatedAt, now_ms())
            .cond_where(business_cond(tenant, id)),
    )
    .await?;
    Ok(())
}

async fn set_review_status(
    tx: &mut Tx,
    tenant: &RegionCode,
    actor: &Actor,
    id: Uuid,
    status: ReviewStatus,
) -> Result<()> {
    tx.execute(
        Query::update()
            .table(UmkmReviews::Table)
            .value(UmkmReviews::Status, status.slug())
            .value(UmkmReviews::DecidedBy, if status == ReviewStatus::Open { None } else { Some(actor.label.clone()) })
            .value(UmkmReviews::DecidedAt, if status == ReviewStatus::Open { None } else { Some(now_ms()) })
            .and_where(Expr::col(UmkmReviews::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(UmkmReviews::Id).eq(id)),
    )
    .await?;
    Ok(())
}

async fn insert_merge(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    kind: &str,
    into: BusinessId,
    from: BusinessId,
    snap: &Snapshot,
) -> Result<MergeId> {
    let id = MergeId::new();
    tx.execute(
        Query::insert()
            .into_table(UmkmMerges::Table)
            .columns([
                UmkmMerges::TenantCode,
                UmkmMerges::Id,
                UmkmMerges::Kind,
                UmkmMerges::IntoBusiness,
                UmkmMerges::FromBusiness,
                UmkmMerges::Snapshot,
                UmkmMerges::CreatedBy,
                UmkmMerges::CreatedAt,
            ])
            .values_panic([
                tenant.as_str().into(),
                id.as_uuid().into(),
                kind.into(),
                into.as_uuid().into(),
                from.as_uuid().into(),
                serde_json::to_string(snap).unwrap_or_default().into(),
                actor.label.clone().into(),
                now_ms().into(),
            ]),
    )
    .await?;
    Ok(id)
}

async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    id: String,
    action: &'static str,
    after: serde_json::Value,
) -> Result<()> {
    record(
        tx,
        actor,
        Change {
            tenant: Some(tenant),
            action,
            record_type: RecordType::Umkm,
            record_id: id,
            before: None,
            after: Some(after),
        },
    )
    .await
}

impl Store {
    /// The duplicate questions of a tenant, open ones first.
    pub async fn umkm_reviews(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        status: ReviewStatus,
        limit: u64,
    ) -> Result<Vec<ReviewRow>> {
        use UmkmReviews as V;
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let rows: Vec<ReviewDbRow> = self
            .fetch_all(
                review_select()
                    .and_where(Expr::col((V::Table, V::TenantCode)).eq(tenant.as_str()))
                    .and_where(Expr::col((V::Table, V::Status)).eq(status.slug()))
                    .order_by((V::Table, V::Probability), Order::Desc)
                    .limit(limit),
            )
            .await?;
        Ok(rows.into_iter().map(ReviewDbRow::into_row).collect())
    }

    /// How many duplicate questions are open, for the registry's heading.
    pub async fn umkm_open_review_count(&self, actor: &Actor, tenant: &RegionCode) -> Result<u64> {
        use UmkmReviews as V;
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        #[derive(sqlx::FromRow)]
        struct Count {
            n: i64,
        }
        let row: Count = self
            .fetch_one(
                Query::select()
                    .expr_as(Expr::col(V::Id).count(), "n")
                    .from(V::Table)
                    .and_where(Expr::col(V::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(V::Status).eq(ReviewStatus::Open.slug())),
            )
            .await?;
        Ok(u64::try_from(row.n).unwrap_or(0))
    }

    pub async fn umkm_review(&self, actor: &Actor, tenant: &RegionCode, id: ReviewId) -> Result<ReviewDetail> {
        use UmkmReviews as V;
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let row: ReviewDbRow = self
            .fetch_optional(
                review_select()
                    .and_where(Expr::col((V::Table, V::TenantCode)).eq(tenant.as_str()))
                    .and_where(Expr::col((V::Table, V::Id)).eq(id.as_uuid())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let review = row.into_row();
        Ok(ReviewDetail {
            business: self.read_business_detail(&tenant, review.business).await?,
            candidate: self.read_business_detail(&tenant, review.candidate).await?,
            review,
        })
    }

    /// An officer says the pair are different businesses.
    pub async fn keep_umkm_apart(&self, actor: &Actor, tenant: &RegionCode, id: ReviewId) -> Result<()> {
        let detail = self.umkm_review(actor, tenant, id).await?;
        if detail.review.status != ReviewStatus::Open {
            return Err(StoreError::Conflict { field: "status" });
        }
        let mut tx = self.begin().await?;
        set_review_status(&mut tx, tenant, actor, id.as_uuid(), ReviewStatus::KeptApart).await?;
        audit(
            &mut tx,
            actor,
            tenant,
            id.to_string(),
            "keep_umkm_apart",
            serde_json::json!({
                "business": detail.review.business, "candidate": detail.review.candidate,
            }),
        )
        .await?;
        tx.commit().await
    }

    /// Merge `from` into `into`, keeping for each field the value of the business `choice`
    /// names (fields not named keep `into`'s value, or take `from`'s where `into` has none).
    pub async fn merge_umkm(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        into: BusinessId,
        from: BusinessId,
        choice: &FieldChoice,
        review: Option<ReviewId>,
    ) -> Result<MergeId> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        if into == from {
            return Err(StoreError::Conflict { field: "from" });
        }
        let mut tx = self.begin().await?;
        for b in [into, from] {
            if status_of(&mut tx, &tenant, b).await? != "active" {
                return Err(StoreError::Conflict { field: "status" });
            }
        }
        let before = load_golden(&mut tx, &tenant, into).await?;
        let theirs = load_golden(&mut tx, &tenant, from).await?;
        let mut snap = Snapshot {
            into_before: before.clone(),
            into_sources_before: field_sources(&mut tx, &tenant, into).await?,
            into_years_before: years(&mut tx, &tenant, into).await?,
            moved_records: record_ids(&mut tx, &tenant, from).await?,
            review: review.map(|r| r.as_uuid()),
            ..Default::default()
        };
        let their_sources = field_sources(&mut tx, &tenant, from).await?;
        let mut merged = before.clone();
        let mut sources: BTreeMap<String, Uuid> = snap.into_sources_before.iter().cloned().collect();
        for f in Field::ALL {
            let take_theirs = match choice.get(&f) {
                Some(b) if *b == from => theirs.has(f),
                Some(_) => false,
                None => !before.has(f) && theirs.has(f),
            };
            if take_theirs {
                merged.take(&theirs, f);
                match their_sources.iter().find(|(name, _)| name == f.slug()) {
                    Some((_, r)) => sources.insert(f.slug().to_owned(), *r),
                    None => sources.remove(f.slug()),
                };
            }
        }
        update_golden(&mut tx, &tenant, into, &merged).await?;
        restore_sources(&mut tx, &tenant, into, &sources.into_iter().collect::<Vec<_>>()).await?;
        let their_years = years(&mut tx, &tenant, from).await?;
        replace_years(&mut tx, &tenant, into, &merged_years(&snap.into_years_before, &their_years)).await?;
        copy_children(&mut tx, &tenant, into, from, &mut snap).await?;
        move_records(&mut tx, &tenant, &snap.moved_records, into).await?;
        set_status(&mut tx, &tenant, from, Some(into)).await?;
        // Open questions about the absorbed business now concern the survivor; the one decided
        // here, and any between the two, are closed as merged.
        close_reviews_between(&mut tx, &tenant, actor, into, from).await?;
        let id = insert_merge(&mut tx, actor, &tenant, "merge", into, from, &snap).await?;
        audit(&mut tx, actor, &tenant, id.to_string(), "merge_umkm", serde_json::json!({
            "into": into, "from": from, "fields": choice.iter().map(|(f, b)| (f.slug(), b.to_string())).collect::<BTreeMap<_, _>>(),
        }))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Undo a merge or a split, if nothing later has merged or split either business.
    pub async fn undo_umkm_merge(&self, actor: &Actor, tenant: &RegionCode, id: MergeId) -> Result<()> {
        use UmkmMerges as M;
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        let row: MergeDbRow = tx
            .fetch_optional(
                merge_select()
                    .and_where(Expr::col(M::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(M::Id).eq(id.as_uuid())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        if row.undone_at.is_some() {
            return Err(StoreError::Conflict { field: "undone" });
        }
        let later: Vec<MergeDbRow> = tx
            .fetch_all(
                merge_select()
                    .and_where(Expr::col(M::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(M::UndoneAt).is_null())
                    .and_where(Expr::col(M::CreatedAt).gte(row.created_at))
                    .and_where(Expr::col(M::Id).ne(row.id))
                    .cond_where(
                        Cond::any()
                            .add(Expr::col(M::IntoBusiness).is_in([row.into_business, row.from_business]))
                            .add(Expr::col(M::FromBusiness).is_in([row.into_business, row.from_business])),
                    ),
            )
            .await?;
        if !later.is_empty() {
            return Err(StoreError::Conflict { field: "later_merge" });
        }
        let snap: Snapshot =
            serde_json::from_str(&row.snapshot).map_err(|_| StoreError::Conflict { field: "snapshot" })?;
        let into = BusinessId::from_uuid(row.into_business);
        let from = BusinessId::from_uuid(row.from_business);
        match row.kind.as_str() {
            "merge" => {
                move_records(&mut tx, &tenant, &snap.moved_records, from).await?;
                update_golden(&mut tx, &tenant, into, &snap.into_before).await?;
                restore_sources(&mut tx, &tenant, into, &snap.into_sources_before).await?;
                replace_years(&mut tx, &tenant, into, &snap.into_years_before).await?;
                remove_added(&mut tx, &tenant, into, &snap).await?;
                set_status(&mut tx, &tenant, from, None).await?;
                if let Some(r) = snap.review {
                    set_review_status(&mut tx, &tenant, actor, r, ReviewStatus::Open).await?;
                }
            }
            _ => {
                // A split: `from` is the business the records left, `into` the one they made.
                move_records(&mut tx, &tenant, &snap.moved_records, from).await?;
                if let Some(before) = &snap.from_before {
                    update_golden(&mut tx, &tenant, from, before).await?;
                }
                restore_sources(&mut tx, &tenant, from, &snap.from_sources_before).await?;
                replace_years(&mut tx, &tenant, from, &snap.into_years_before).await?;
                set_status(&mut tx, &tenant, into, Some(from)).await?;
            }
        }
        tx.execute(
            Query::update()
                .table(M::Table)
                .value(M::UndoneAt, now_ms())
                .value(M::UndoneBy, actor.label.clone())
                .and_where(Expr::col(M::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(M::Id).eq(id.as_uuid())),
        )
        .await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "undo_umkm_merge",
            serde_json::json!({
                "kind": row.kind, "into": into, "from": from,
            }),
        )
        .await?;
        tx.commit().await
    }

    /// Move some of a business's source records to a new business of their own (they were
    /// wrongly linked). Returns the new business.
    pub async fn split_umkm(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        business: BusinessId,
        records: &[SourceRecordId],
    ) -> Result<BusinessId> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        if status_of(&mut tx, &tenant, business).await? != "active" {
            return Err(StoreError::Conflict { field: "status" });
        }
        let all = record_ids(&mut tx, &tenant, business).await?;
        let moving: Vec<Uuid> = records.iter().map(|r| r.as_uuid()).filter(|r| all.contains(r)).collect();
        if moving.is_empty() || moving.len() != records.len() {
            return Err(StoreError::Invalid(sinergi_domain::auth::FieldError::new("records", "required")));
        }
        if moving.len() == all.len() {
            return Err(StoreError::Invalid(sinergi_domain::auth::FieldError::new("records", "not-all")));
        }
        let before = load_golden(&mut tx, &tenant, business).await?;
        let sources_before = field_sources(&mut tx, &tenant, business).await?;
        let years_before = years(&mut tx, &tenant, business).await?;
        let staying: Vec<Uuid> = all.iter().copied().filter(|r| !moving.contains(r)).collect();
        let new_id = BusinessId::new();
        let (new_golden, new_sources) = golden_from_records(&mut tx, &tenant, &moving).await?;
        insert_business(&mut tx, &tenant, new_id, &new_golden).await?;
        move_records(&mut tx, &tenant, &moving, new_id).await?;
        for (f, r) in &new_sources {
            set_field_source(&mut tx, &tenant, new_id, *f, SourceRecordId::from_uuid(*r)).await?;
        }
        // The old business keeps its values unless they came from a record that left: those are
        // taken again from the records it keeps.
        let (rest, rest_sources) = golden_from_records(&mut tx, &tenant, &staying).await?;
        let mut kept = before.clone();
        let mut sources: BTreeMap<String, Uuid> = sources_before.iter().cloned().collect();
        for f in Field::ALL {
            let from_moved = sources.get(f.slug()).is_some_and(|r| moving.contains(r));
            if from_moved {
                kept.take(&rest, f);
                match rest_sources.iter().find(|(g, _)| *g == f) {
                    Some((_, r)) => sources.insert(f.slug().to_owned(), *r),
                    None => sources.remove(f.slug()),
                };
            }
        }
        update_golden(&mut tx, &tenant, business, &kept).await?;
        restore_sources(&mut tx, &tenant, business, &sources.into_iter().collect::<Vec<_>>()).await?;
        // Years go with the record that gave them.
        let (go, stay): (Vec<YearSnap>, Vec<YearSnap>) =
            years_before.iter().cloned().partition(|y| y.record_id.is_some_and(|r| moving.contains(&r)));
        replace_years(&mut tx, &tenant, business, &stay).await?;
        replace_years(&mut tx, &tenant, new_id, &go).await?;
        let snap = Snapshot {
            into_before: new_golden,
            into_years_before: years_before,
            moved_records: moving,
            from_before: Some(before),
            from_sources_before: sources_before,
            ..Default::default()
        };
        let id = insert_merge(&mut tx, actor, &tenant, "split", new_id, business, &snap).await?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "split_umkm",
            serde_json::json!({
                "from": business, "into": new_id, "records": snap.moved_records,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(new_id)
    }

    /// The whole NIK of a business's owner, for a role that needs it, with the reason audited.
    pub async fn reveal_umkm_nik(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: BusinessId,
        reason: &str,
    ) -> Result<Option<String>> {
        let tenant = registry_tenant(actor, Permission::RevealPersonalData, tenant)?;
        let reason = reason.trim();
        if reason.chars().count() < 5 {
            return Err(StoreError::Invalid(sinergi_domain::auth::FieldError::new("reason", "required")));
        }
        let vault = self.vault()?;
        let mut tx = self.begin().await?;
        let golden = load_golden(&mut tx, &tenant, id).await?;
        let nik = golden.nik_sealed.as_deref().map(|s| vault.open(s)).transpose()?;
        audit(
            &mut tx,
            actor,
            &tenant,
            id.to_string(),
            "reveal_umkm_nik",
            serde_json::json!({
                "reason": reason, "nik": golden.nik_masked,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(nik)
    }
}

async fn close_reviews_between(
    tx: &mut Tx,
    tenant: &RegionCode,
    actor: &Actor,
    a: BusinessId,
    b: BusinessId,
) -> Result<()> {
    use UmkmReviews as V;
    tx.execute(
        Query::update()
            .table(V::Table)
            .value(V::Status, ReviewStatus::Merged.slug())
            .value(V::DecidedBy, actor.label.clone())
            .value(V::DecidedAt, now_ms())
            .and_where(Expr::col(V::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(V::Status).eq(ReviewStatus::Open.slug()))
            .cond_where(
                Cond::any()
                    .add(
                        Cond::all()
                            .add(Expr::col(V::BusinessId).eq(a.as_uuid()))
                            .add(Expr::col(V::CandidateId).eq(b.as_uuid())),
                    )
                    .add(
                        Cond::all()
                            .add(Expr::col(V::BusinessId).eq(b.as_uuid()))
                            .add(Expr::col(V::CandidateId).eq(a.as_uuid())),
                    ),
            ),
    )
    .await?;
    Ok(())
}

/// A business's values rebuilt from some of its records: for each field, the first record
/// (oldest) that has it.
async fn golden_from_records(
    tx: &mut Tx,
    tenant: &RegionCode,
    records: &[Uuid],
) -> Result<(Golden, Vec<(Field, Uuid)>)> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        business_name: String,
        owner_name: Option<String>,
        nik_sealed: Option<String>,
        nik_index: Option<String>,
        nib: Option<String>,
        phone: Option<String>,
        desa_code: Option<String>,
        kecamatan_code: Option<String>,
        kbli: Option<String>,
        address: Option<String>,
        fields: String,
        raw: String,
    }
    let mut rows: Vec<(i64, Row)> = Vec::new();
    #[derive(sqlx::FromRow)]
    struct WithTime {
        created_at: i64,
        #[sqlx(flatten)]
        row: Row,
    }
    for chunk in records.chunks(500) {
        let part: Vec<WithTime> = tx
            .fetch_all(
                Query::select()
                    .columns([
                        UmkmRecords::Id,
                        UmkmRecords::BusinessName,
                        UmkmRecords::OwnerName,
                        UmkmRecords::NikSealed,
                        UmkmRecords::NikIndex,
                        UmkmRecords::Nib,
                        UmkmRecords::Phone,
                        UmkmRecords::DesaCode,
                        UmkmRecords::KecamatanCode,
                        UmkmRecords::Kbli,
                        UmkmRecords::Address,
                        UmkmRecords::Fields,
                        UmkmRecords::Raw,
                        UmkmRecords::CreatedAt,
                    ])
                    .from(UmkmRecords::Table)
                    .and_where(Expr::col(UmkmRecords::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmRecords::Id).is_in(chunk.iter().copied())),
            )
            .await?;
        rows.extend(part.into_iter().map(|w| (w.created_at, w.row)));
    }
    rows.sort_by_key(|(t, r)| (*t, r.id));
    let mut golden = Golden::default();
    let mut sources = Vec::new();
    for (_, r) in rows {
        let fields: super::write::RecordFields = serde_json::from_str(&r.fields).unwrap_or_default();
        let raw: Vec<(String, String)> = serde_json::from_str(&r.raw).unwrap_or_default();
        let masked = r.nik_sealed.as_ref().map(|_| {
            // The record's NIK cell is stored masked already; reuse it for the masked column.
            raw.iter().map(|(_, v)| v).find(|v| v.contains('•') && v.chars().count() == 16).cloned().unwrap_or_default()
        });
        let candidate = Golden {
            name: r.business_name.clone(),
            name_key: super::write::name_key(&r.business_name),
            legal_form: fields.legal_form,
            owner_name: r.owner_name,
            nik_sealed: r.nik_sealed,
            nik_index: r.nik_index,
            nik_masked: masked,
            sex: fields.sex,
            birth_year: fields.birth_year,
            nib: r.nib,
            npwp_sealed: None,
            npwp_masked: None,
            kbli: r.kbli.and_then(|k| k.split(',').next().map(str::to_owned)),
            address: r.address,
            desa_code: r.desa_code,
            kecamatan_code: r.kecamatan_code,
            phone: r.phone,
            email: fields.email,
            products: fields.products,
            employees: fields.employees.and_then(|e| i32::try_from(e).ok()),
        };
        for f in Field::ALL {
            if !golden.has(f) && candidate.has(f) {
                golden.take(&candidate, f);
                sources.push((f, r.id));
            }
        }
    }
    Ok((golden, sources))
}

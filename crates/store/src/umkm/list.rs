//! Reading the registry: filtered lists, one business whole, the records entity resolution
//! compares against, and the yearly class movements (naik kelas).

use std::collections::HashMap;

use sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;
use sinergi_domain::umkm::{Classification, LegalForm, PermitKind, Sex, SizeClass};
use sinergi_domain::{
    Actor, BusinessId, ImportId, KbliCode, KbliLevel, Permission, RegionCode, SourceRecordId, UserId,
};
use uuid::Uuid;

use super::merge::{merges_of, reviews_of};
use super::write::{Origin, Provenance};
use super::{Business, BusinessDetail, Field, PermitRow, RecordRow, YearFigures, registry_tenant};
use crate::schema::*;
use crate::{Result, Store, StoreError};

/// What a registry list may be narrowed by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BusinessFilter {
    /// Words of the business or owner name.
    pub q: Option<String>,
    pub kecamatan: Option<RegionCode>,
    pub desa: Option<RegionCode>,
    pub class: Option<SizeClass>,
    /// A KBLI code at any level (a kategori letter or 2 to 5 digits).
    pub kbli: Option<KbliCode>,
    pub permit: Option<PermitKind>,
    pub source: Option<String>,
    /// Businesses with figures for this year.
    pub year: Option<i32>,
    /// Only those with a duplicate question open.
    pub in_review: bool,
    /// Only businesses among these (a search engine's hits), when given.
    pub ids: Option<Vec<BusinessId>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusinessListRow {
    pub id: BusinessId,
    pub name: String,
    pub owner_name: Option<String>,
    pub kecamatan: Option<RegionCode>,
    pub desa: Option<RegionCode>,
    pub kbli: Option<String>,
    pub nib: Option<String>,
    pub phone: Option<String>,
    pub latest_year: Option<i32>,
    pub capital: Option<i64>,
    pub sales: Option<i64>,
    pub classification: Classification,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusinessPage {
    pub rows: Vec<BusinessListRow>,
    pub total: u64,
}

/// The columns a list row reads (see [`ListRow`]).
const LIST_COLUMNS: [UmkmBusinesses; 13] = [
    UmkmBusinesses::Id,
    UmkmBusinesses::Name,
    UmkmBusinesses::OwnerName,
    UmkmBusinesses::KecamatanCode,
    UmkmBusinesses::DesaCode,
    UmkmBusinesses::Kbli,
    UmkmBusinesses::Nib,
    UmkmBusinesses::Phone,
    UmkmBusinesses::LatestYear,
    UmkmBusinesses::Capital,
    UmkmBusinesses::Sales,
    UmkmBusinesses::ClassCapital,
    UmkmBusinesses::ClassSales,
];

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    name: String,
    owner_name: Option<String>,
    kecamatan_code: Option<String>,
    desa_code: Option<String>,
    kbli: Option<String>,
    nib: Option<String>,
    phone: Option<String>,
    latest_year: Option<i32>,
    capital: Option<i64>,
    sales: Option<i64>,
    class_capital: Option<String>,
    class_sales: Option<String>,
}

pub(crate) fn class_of(capital: Option<String>, sales: Option<String>) -> Classification {
    Classification { by_capital: capital.and_then(|c| c.parse().ok()), by_sales: sales.and_then(|c| c.parse().ok()) }
}

pub(crate) fn code(s: Option<String>) -> Option<RegionCode> {
    s.and_then(|s| RegionCode::parse(&s).ok())
}

fn list_row(r: ListRow) -> BusinessListRow {
    BusinessListRow {
        id: BusinessId::from_uuid(r.id),
        name: r.name,
        owner_name: r.owner_name,
        kecamatan: code(r.kecamatan_code),
        desa: code(r.desa_code),
        kbli: r.kbli,
        nib: r.nib,
        phone: r.phone,
        latest_year: r.latest_year,
        capital: r.capital,
        sales: r.sales,
        classification: class_of(r.class_capital, r.class_sales),
    }
}

fn filter_condition(tenant: &RegionCode, f: &BusinessFilter) -> Cond {
    use UmkmBusinesses as B;
    let mut c = Cond::all()
        .add(Expr::col((B::Table, B::TenantCode)).eq(tenant.as_str()))
        .add(Expr::col((B::Table, B::Status)).eq("active"));
    if let Some(q) = f.q.as_deref() {
        for word in super::write::name_key(q).split_whitespace().take(6) {
            let pattern = format!("%{word}%");
            c = c.add(
                Cond::any()
                    .add(Expr::col((B::Table, B::NameKey)).like(pattern.clone()))
                    .add(Expr::expr(sea_query::Func::lower(Expr::col((B::Table, B::OwnerName)))).like(pattern)),
            );
        }
    }
    if let Some(k) = &f.kecamatan {
        c = c.add(Expr::col((B::Table, B::KecamatanCode)).eq(k.as_str()));
    }
    if let Some(d) = &f.desa {
        c = c.add(Expr::col((B::Table, B::DesaCode)).eq(d.as_str()));
    }
    if let Some(class) = f.class {
        // The headline class: capital's when known, else sales'.
        c = c.add(
            Cond::any().add(Expr::col((B::Table, B::ClassCapital)).eq(class.slug())).add(
                Cond::all()
                    .add(Expr::col((B::Table, B::ClassCapital)).is_null())
                    .add(Expr::col((B::Table, B::ClassSales)).eq(class.slug())),
            ),
        );
    }
    let child = |table: SelectStatement| Expr::exists(table);
    if let Some(k) = &f.kbli {
        use UmkmBusinessKbli as K;
        let (col, value) = match k.level() {
            KbliLevel::Kategori => (K::Section, k.as_str().to_owned()),
            KbliLevel::GolonganPokok => (K::K2, k.as_str().to_owned()),
            KbliLevel::Golongan => (K::K3, k.as_str().to_owned()),
            KbliLevel::Subgolongan => (K::K4, k.as_str().to_owned()),
            KbliLevel::Kelompok => (K::Code, k.as_str().to_owned()),
        };
        c = c.add(child(
            Query::select()
                .expr(Expr::val(1))
                .from(K::Table)
                .and_where(Expr::col((K::Table, K::TenantCode)).equals((B::Table, B::TenantCode)))
                .and_where(Expr::col((K::Table, K::BusinessId)).equals((B::Table, B::Id)))
                .and_where(Expr::col((K::Table, col)).eq(value))
                .to_owned(),
        ));
    }
    if let Some(p) = f.permit {
        use UmkmPermits as P;
        c = c.add(child(
            Query::select()
                .expr(Expr::val(1))
                .from(P::Table)
                .and_where(Expr::col((P::Table, P::TenantCode)).equals((B::Table, B::TenantCode)))
                .and_where(Expr::col((P::Table, P::BusinessId)).equals((B::Table, B::Id)))
                .and_where(Expr::col((P::Table, P::Kind)).eq(p.slug()))
                .to_owned(),
        ));
    }
    if let Some(s) = f.source.as_deref() {
        use UmkmRecords as R;
        c = c.add(child(
            Query::select()
                .expr(Expr::val(1))
                .from(R::Table)
                .and_where(Expr::col((R::Table, R::TenantCode)).equals((B::Table, B::TenantCode)))
                .and_where(Expr::col((R::Table, R::BusinessId)).equals((B::Table, B::Id)))
                .and_where(Expr::col((R::Table, R::Source)).eq(s))
                .to_owned(),
        ));
    }
    if let Some(y) = f.year {
        use UmkmYears as Y;
        c = c.add(child(
            Query::select()
                .expr(Expr::val(1))
                .from(Y::Table)
                .and_where(Expr::col((Y::Table, Y::TenantCode)).equals((B::Table, B::TenantCode)))
                .and_where(Expr::col((Y::Table, Y::BusinessId)).equals((B::Table, B::Id)))
                .and_where(Expr::col((Y::Table, Y::Year)).eq(y))
                .to_owned(),
        ));
    }
    if f.in_review {
        use UmkmReviews as V;
        c = c.add(child(
            Query::select()
                .expr(Expr::val(1))
                .from(V::Table)
                .and_where(Expr::col((V::Table, V::TenantCode)).equals((B::Table, B::TenantCode)))
                .cond_where(
                    Cond::any()
                        .add(Expr::col((V::Table, V::BusinessId)).equals((B::Table, B::Id)))
                        .add(Expr::col((V::Table, V::CandidateId)).equals((B::Table, B::Id))),
                )
                .and_where(Expr::col((V::Table, V::Status)).eq("open"))
                .to_owned(),
        ));
    }
    if let Some(ids) = &f.ids {
        c = c.add(Expr::col((B::Table, B::Id)).is_in(ids.iter().map(|i| i.as_uuid())));
    }
    c
}

impl Store {
    /// One page of the registry, sorted by name.
    pub async fn umkm_businesses(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        filter: &BusinessFilter,
        offset: u64,
        limit: u64,
    ) -> Result<BusinessPage> {
        use UmkmBusinesses as B;
        let tenant = registry_tenant(actor, Permission::ViewUmkm, tenant)?;
        let cond = filter_condition(&tenant, filter);
        #[derive(sqlx::FromRow)]
        struct Count {
            n: i64,
        }
        let total: Count = self
            .fetch_one(
                Query::select()
                    .expr_as(Expr::col((B::Table, B::Id)).count(), "n")
                    .from(B::Table)
                    .cond_where(cond.clone()),
            )
            .await?;
        let rows: Vec<ListRow> = self
            .fetch_all(
                Query::select()
                    .columns(LIST_COLUMNS.map(|c| (B::Table, c)))
                    .from(B::Table)
                    .cond_where(cond)
                    .order_by((B::Table, B::NameKey), Order::Asc)
                    .order_by((B::Table, B::Id), Order::Asc)
                    .limit(limit)
                    .offset(offset),
            )
            .await?;
        Ok(BusinessPage { total: u64::try_from(total.n).unwrap_or(0), rows: rows.into_iter().map(list_row).collect() })
    }

    /// The list rows of these businesses, in the order given (a search engine's page); ids not
    /// in the registry (merged away, or another tenant's) are left out. No ordering or count in
    /// SQL: with an ORDER BY, SQLite walks the name index of the whole registry instead of
    /// looking the ids up.
    pub async fn umkm_business_rows(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        ids: &[BusinessId],
    ) -> Result<Vec<BusinessListRow>> {
        use UmkmBusinesses as B;
        let tenant = registry_tenant(actor, Permission::ViewUmkm, tenant)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<ListRow> = self
            .fetch_all(
                Query::select()
                    .columns(LIST_COLUMNS.map(|c| (B::Table, c)))
                    .from(B::Table)
                    .and_where(Expr::col((B::Table, B::TenantCode)).eq(tenant.as_str()))
                    .and_where(Expr::col((B::Table, B::Status)).eq("active"))
                    .and_where(Expr::col((B::Table, B::Id)).is_in(ids.iter().map(|i| i.as_uuid()))),
            )
            .await?;
        let mut by_id: HashMap<BusinessId, BusinessListRow> =
            rows.into_iter().map(|r| (BusinessId::from_uuid(r.id), list_row(r))).collect();
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// The whole NIKs of the businesses a registry export lists, for a role that may reveal
    /// personal data: the reason and how many businesses the export held are written to the
    /// audit trail first, in the same transaction as the reading.
    pub async fn umkm_export_personal(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        reason: &str,
        ids: &[BusinessId],
    ) -> Result<HashMap<BusinessId, String>> {
        let tenant = registry_tenant(actor, Permission::RevealPersonalData, tenant)?;
        let reason = reason.trim();
        if reason.chars().count() < 5 {
            return Err(StoreError::Invalid(sinergi_domain::auth::FieldError::new("reason", "required")));
        }
        let vault = self.vault()?;
        let mut tx = self.begin().await?;
        crate::audit::record(
            &mut tx,
            actor,
            crate::audit::Change {
                tenant: Some(&tenant),
                action: "export_umkm",
                record_type: crate::audit::RecordType::Umkm,
                record_id: tenant.to_string(),
                before: None,
                after: Some(serde_json::json!({ "reason": reason, "businesses": ids.len(), "personal": true })),
            },
        )
        .await?;
        #[derive(sqlx::FromRow)]
        struct Sealed {
            id: Uuid,
            nik_sealed: Option<String>,
        }
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<Sealed> = tx
                .fetch_all(
                    Query::select()
                        .columns([UmkmBusinesses::Id, UmkmBusinesses::NikSealed])
                        .from(UmkmBusinesses::Table)
                        .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                        .and_where(Expr::col(UmkmBusinesses::Id).is_in(chunk.iter().map(|i| i.as_uuid()))),
                )
                .await?;
            for r in rows {
                if let Some(sealed) = r.nik_sealed {
                    out.insert(BusinessId::from_uuid(r.id), vault.open(&sealed)?);
                }
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// One business with its years, permits, tags, source records and open questions.
    pub async fn umkm_business(&self, actor: &Actor, tenant: &RegionCode, id: BusinessId) -> Result<BusinessDetail> {
        let tenant = registry_tenant(actor, Permission::ViewUmkm, tenant)?;
        self.read_business_detail(&tenant, id).await
    }

    pub(crate) async fn read_business_detail(&self, tenant: &RegionCode, id: BusinessId) -> Result<BusinessDetail> {
        let business = self.read_business(tenant, id).await?;
        let years: Vec<YearRow> = self
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
                    .and_where(Expr::col(UmkmYears::BusinessId).eq(id.as_uuid()))
                    .order_by(UmkmYears::Year, Order::Asc),
            )
            .await?;
        let permits: Vec<PermitDbRow> = self
            .fetch_all(
                Query::select()
                    .columns([
                        UmkmPermits::Id,
                        UmkmPermits::Kind,
                        UmkmPermits::Number,
                        UmkmPermits::Issued,
                        UmkmPermits::Expires,
                        UmkmPermits::RecordId,
                    ])
                    .from(UmkmPermits::Table)
                    .and_where(Expr::col(UmkmPermits::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmPermits::BusinessId).eq(id.as_uuid()))
                    .order_by(UmkmPermits::Kind, Order::Asc),
            )
            .await?;
        let tags: Vec<TagRow> = self
            .fetch_all(
                Query::select()
                    .columns([UmkmTags::Kind, UmkmTags::Value])
                    .from(UmkmTags::Table)
                    .and_where(Expr::col(UmkmTags::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmTags::BusinessId).eq(id.as_uuid()))
                    .order_by(UmkmTags::Value, Order::Asc),
            )
            .await?;
        let records = self.records_of(tenant, id).await?;
        let sources: Vec<FieldSourceRow> = self
            .fetch_all(
                Query::select()
                    .columns([UmkmFieldSources::Field, UmkmFieldSources::RecordId])
                    .from(UmkmFieldSources::Table)
                    .and_where(Expr::col(UmkmFieldSources::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmFieldSources::BusinessId).eq(id.as_uuid())),
            )
            .await?;
        let mut field_sources: Vec<(Field, SourceRecordId)> = sources
            .into_iter()
            .filter_map(|s| Field::parse(&s.field).map(|f| (f, SourceRecordId::from_uuid(s.record_id))))
            .collect();
        field_sources.sort_by_key(|(f, _)| *f);
        Ok(BusinessDetail {
            business,
            years: years
                .into_iter()
                .map(|y| YearFigures {
                    year: y.year,
                    capital: y.capital,
                    sales: y.sales,
                    employees: y.employees,
                    classification: class_of(y.class_capital, y.class_sales),
                    record: y.record_id.map(SourceRecordId::from_uuid),
                })
                .collect(),
            permits: permits
                .into_iter()
                .filter_map(|p| {
                    Some(PermitRow {
                        id: p.id,
                        kind: p.kind.parse().ok()?,
                        number: p.number,
                        issued: p.issued,
                        expires: p.expires,
                        record: p.record_id.map(SourceRecordId::from_uuid),
                    })
                })
                .collect(),
            memberships: tags.iter().filter(|t| t.kind == "membership").map(|t| t.value.clone()).collect(),
            tags: tags.into_iter().filter(|t| t.kind == "tag").map(|t| t.value).collect(),
            records,
            field_sources,
            open_reviews: reviews_of(self, tenant, id).await?,
            merges: merges_of(self, tenant, id).await?,
        })
    }

    pub(crate) async fn read_business(&self, tenant: &RegionCode, id: BusinessId) -> Result<Business> {
        let row: BusinessRow = self
            .fetch_optional(
                Query::select()
                    .columns(BUSINESS_COLUMNS)
                    .from(UmkmBusinesses::Table)
                    .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmBusinesses::Id).eq(id.as_uuid())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let kbli: Vec<KbliRow> = self
            .fetch_all(
                Query::select()
                    .column(UmkmBusinessKbli::Code)
                    .from(UmkmBusinessKbli::Table)
                    .and_where(Expr::col(UmkmBusinessKbli::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmBusinessKbli::BusinessId).eq(id.as_uuid()))
                    .order_by(UmkmBusinessKbli::Code, Order::Asc),
            )
            .await?;
        Ok(row.into_business(tenant, kbli.into_iter().filter_map(|k| KbliCode::parse(&k.code).ok()).collect()))
    }

    pub(crate) async fn records_of(&self, tenant: &RegionCode, id: BusinessId) -> Result<Vec<RecordRow>> {
        let rows: Vec<RecordDbRow> = self
            .fetch_all(
                record_select()
                    .and_where(Expr::col(UmkmRecords::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmRecords::BusinessId).eq(id.as_uuid()))
                    .order_by(UmkmRecords::CreatedAt, Order::Asc),
            )
            .await?;
        Ok(rows.into_iter().map(RecordDbRow::into_record).collect())
    }

    /// Every source record of the tenant's live businesses, with the NIK opened: what the
    /// entity resolution index is built from. Internal to the registry's own machinery.
    pub async fn umkm_er_records(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<ErSource>> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let vault = self.vault()?;
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            business_id: Uuid,
            source: String,
            business_name: String,
            owner_name: Option<String>,
            nik_sealed: Option<String>,
            nib: Option<String>,
            phone: Option<String>,
            address: Option<String>,
            desa_code: Option<String>,
            kecamatan_code: Option<String>,
            kbli: Option<String>,
        }
        use UmkmRecords as R;
        let rows: Vec<Row> = self
            .fetch_all(
                Query::select()
                    .columns([
                        (R::Table, R::Id),
                        (R::Table, R::BusinessId),
                        (R::Table, R::Source),
                        (R::Table, R::BusinessName),
                        (R::Table, R::OwnerName),
                        (R::Table, R::NikSealed),
                        (R::Table, R::Nib),
                        (R::Table, R::Phone),
                        (R::Table, R::Address),
                        (R::Table, R::DesaCode),
                        (R::Table, R::KecamatanCode),
                        (R::Table, R::Kbli),
                    ])
                    .from(R::Table)
                    .and_where(Expr::col((R::Table, R::TenantCode)).eq(tenant.as_str())),
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(ErSource {
                    record: SourceRecordId::from_uuid(r.id),
                    business: BusinessId::from_uuid(r.business_id),
                    source: r.source,
                    business_name: r.business_name,
                    owner_name: r.owner_name,
                    nik: r.nik_sealed.map(|s| vault.open(&s)).transpose()?,
                    nib: r.nib,
                    phone: r.phone,
                    address: r.address,
                    desa: r.desa_code,
                    kecamatan: r.kecamatan_code,
                    kbli: r.kbli,
                })
            })
            .collect()
    }

    /// Businesses whose headline class moved between two years, and the counts by kecamatan
    /// and KBLI kategori.
    pub async fn umkm_naik_kelas(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        from_year: i32,
        to_year: i32,
    ) -> Result<(Vec<NaikKelasRow>, Vec<ClassMove>)> {
        let tenant = registry_tenant(actor, Permission::ViewUmkm, tenant)?;
        #[derive(sqlx::FromRow)]
        struct Row {
            business_id: Uuid,
            year: i32,
            class_capital: Option<String>,
            class_sales: Option<String>,
        }
        use UmkmYears as Y;
        let rows: Vec<Row> = self
            .fetch_all(
                Query::select()
                    .columns([Y::BusinessId, Y::Year, Y::ClassCapital, Y::ClassSales])
                    .from(Y::Table)
                    .and_where(Expr::col(Y::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(Y::Year).is_in([from_year, to_year])),
            )
            .await?;
        let mut by_business: HashMap<Uuid, (Option<SizeClass>, Option<SizeClass>)> = HashMap::new();
        for r in rows {
            let class = class_of(r.class_capital, r.class_sales).headline();
            let entry = by_business.entry(r.business_id).or_default();
            if r.year == from_year {
                entry.0 = class;
            } else {
                entry.1 = class;
            }
        }
        let moved: Vec<(Uuid, SizeClass, SizeClass)> =
            by_business.into_iter().filter_map(|(id, (a, b))| Some((id, a?, b?))).collect();
        // Names, places and KBLI of the businesses compared, read in one query.
        use UmkmBusinesses as B;
        #[derive(sqlx::FromRow)]
        struct Info {
            id: Uuid,
            name: String,
            kecamatan_code: Option<String>,
            kbli: Option<String>,
            status: String,
        }
        let ids: Vec<Uuid> = moved.iter().map(|m| m.0).collect();
        let mut infos: HashMap<Uuid, Info> = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<Info> = self
                .fetch_all(
                    Query::select()
                        .columns([B::Id, B::Name, B::KecamatanCode, B::Kbli, B::Status])
                        .from(B::Table)
                        .and_where(Expr::col(B::TenantCode).eq(tenant.as_str()))
                        .and_where(Expr::col(B::Id).is_in(chunk.iter().copied())),
                )
                .await?;
            infos.extend(rows.into_iter().map(|i| (i.id, i)));
        }
        let mut groups: HashMap<(Option<String>, Option<char>), NaikKelasRow> = HashMap::new();
        let mut moves = Vec::new();
        for (id, from, to) in moved {
            let Some(info) = infos.get(&id).filter(|i| i.status == "active") else { continue };
            let section = info.kbli.as_deref().and_then(|k| KbliCode::parse(k).ok()).and_then(|k| k.section());
            let key = (info.kecamatan_code.clone(), section);
            let g = groups.entry(key.clone()).or_insert_with(|| NaikKelasRow {
                kecamatan: code(key.0.clone()),
                kbli_section: section,
                up: 0,
                same: 0,
                down: 0,
            });
            match sinergi_domain::umkm::movement(from, to) {
                sinergi_domain::umkm::Movement::Up => g.up += 1,
                sinergi_domain::umkm::Movement::Same => g.same += 1,
                sinergi_domain::umkm::Movement::Down => g.down += 1,
            }
            if from != to {
                moves.push(ClassMove {
                    business: BusinessId::from_uuid(id),
                    name: info.name.clone(),
                    kecamatan: code(info.kecamatan_code.clone()),
                    kbli: info.kbli.clone(),
                    from,
                    to,
                });
            }
        }
        let mut groups: Vec<NaikKelasRow> = groups.into_values().collect();
        groups.sort_by(|a, b| {
            (a.kecamatan.as_ref().map(|c| c.as_str().to_owned()), a.kbli_section)
                .cmp(&(b.kecamatan.as_ref().map(|c| c.as_str().to_owned()), b.kbli_section))
        });
        moves.sort_by(|a, b| (b.to > b.from).cmp(&(a.to > a.from)).then(a.name.cmp(&b.name)));
        Ok((groups, moves))
    }
}

/// One source record as entity resolution reads it (NIK in clear, inside the process only).
#[derive(Clone)]
pub struct ErSource {
    pub record: SourceRecordId,
    pub business: BusinessId,
    pub source: String,
    pub business_name: String,
    pub owner_name: Option<String>,
    pub nik: Option<String>,
    pub nib: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub desa: Option<String>,
    pub kecamatan: Option<String>,
    pub kbli: Option<String>,
}

impl std::fmt::Debug for ErSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErSource").field("record", &self.record).field("business_name", &self.business_name).finish()
    }
}

/// Class movements counted for one kecamatan and KBLI kategori.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NaikKelasRow {
    pub kecamatan: Option<RegionCode>,
    pub kbli_section: Option<char>,
    pub up: u64,
    pub same: u64,
    pub down: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassMove {
    pub business: BusinessId,
    pub name: String,
    pub kecamatan: Option<RegionCode>,
    pub kbli: Option<String>,
    pub from: SizeClass,
    pub to: SizeClass,
}

#[derive(sqlx::FromRow)]
struct YearRow {
    year: i32,
    capital: Option<i64>,
    sales: Option<i64>,
    employees: Option<i32>,
    class_capital: Option<String>,
    class_sales: Option<String>,
    record_id: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct PermitDbRow {
    id: Uuid,
    kind: String,
    number: String,
    issued: Option<String>,
    expires: Option<String>,
    record_id: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct TagRow {
    kind: String,
    value: String,
}

#[derive(sqlx::FromRow)]
struct FieldSourceRow {
    field: String,
    record_id: Uuid,
}

#[derive(sqlx::FromRow)]
struct KbliRow {
    code: String,
}

const BUSINESS_COLUMNS: [UmkmBusinesses; 29] = [
    UmkmBusinesses::Id,
    UmkmBusinesses::Name,
    UmkmBusinesses::LegalForm,
    UmkmBusinesses::OwnerName,
    UmkmBusinesses::NikMasked,
    UmkmBusinesses::Sex,
    UmkmBusinesses::BirthYear,
    UmkmBusinesses::Nib,
    UmkmBusinesses::NpwpMasked,
    UmkmBusinesses::Address,
    UmkmBusinesses::DesaCode,
    UmkmBusinesses::KecamatanCode,
    UmkmBusinesses::Phone,
    UmkmBusinesses::Email,
    UmkmBusinesses::Products,
    UmkmBusinesses::Employees,
    UmkmBusinesses::LatestYear,
    UmkmBusinesses::Capital,
    UmkmBusinesses::Sales,
    UmkmBusinesses::ClassCapital,
    UmkmBusinesses::ClassSales,
    UmkmBusinesses::Status,
    UmkmBusinesses::MergedInto,
    UmkmBusinesses::ClaimedBy,
    UmkmBusinesses::OwnerEditedAt,
    UmkmBusinesses::CreatedAt,
    UmkmBusinesses::UpdatedAt,
    UmkmBusinesses::Kbli,
    UmkmBusinesses::NameKey,
];

#[derive(sqlx::FromRow)]
struct BusinessRow {
    id: Uuid,
    name: String,
    legal_form: Option<String>,
    owner_name: Option<String>,
    nik_masked: Option<String>,
    sex: Option<String>,
    birth_year: Option<i32>,
    nib: Option<String>,
    npwp_masked: Option<String>,
    address: Option<String>,
    desa_code: Option<String>,
    kecamatan_code: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    products: Option<String>,
    employees: Option<i32>,
    latest_year: Option<i32>,
    capital: Option<i64>,
    sales: Option<i64>,
    class_capital: Option<String>,
    class_sales: Option<String>,
    #[allow(dead_code)] // read for completeness; `merged_into` says it
    status: String,
    merged_into: Option<Uuid>,
    claimed_by: Option<Uuid>,
    owner_edited_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl BusinessRow {
    fn into_business(self, tenant: &RegionCode, kbli: Vec<KbliCode>) -> Business {
        Business {
            id: BusinessId::from_uuid(self.id),
            tenant: tenant.clone(),
            name: self.name,
            legal_form: self.legal_form.and_then(|f| f.parse::<LegalForm>().ok()),
            owner_name: self.owner_name,
            nik_masked: self.nik_masked,
            sex: self.sex.and_then(|s| s.parse::<Sex>().ok()),
            birth_year: self.birth_year,
            nib: self.nib,
            npwp_masked: self.npwp_masked,
            kbli,
            address: self.address,
            desa: code(self.desa_code),
            kecamatan: code(self.kecamatan_code),
            phone: self.phone,
            email: self.email,
            products: self.products,
            employees: self.employees,
            latest_year: self.latest_year,
            capital: self.capital,
            sales: self.sales,
            classification: class_of(self.class_capital, self.class_sales),
            merged_into: self.merged_into.map(BusinessId::from_uuid),
            claimed_by: self.claimed_by.map(UserId::from_uuid),
            owner_edited_at_ms: self.owner_edited_at,
            created_at_ms: self.created_at,
            updated_at_ms: self.updated_at,
        }
    }
}

pub(crate) fn record_select() -> SelectStatement {
    Query::select()
        .columns([
            UmkmRecords::Id,
            UmkmRecords::BusinessId,
            UmkmRecords::ImportId,
            UmkmRecords::Source,
            UmkmRecords::FileName,
            UmkmRecords::Sheet,
            UmkmRecords::RowNumber,
            UmkmRecords::Origin,
            UmkmRecords::Raw,
            UmkmRecords::BusinessName,
            UmkmRecords::OwnerName,
            UmkmRecords::NikIndex,
            UmkmRecords::Nib,
            UmkmRecords::Phone,
            UmkmRecords::DesaCode,
            UmkmRecords::KecamatanCode,
            UmkmRecords::Address,
            UmkmRecords::Year,
            UmkmRecords::Link,
            UmkmRecords::Weight,
            UmkmRecords::Explanation,
            UmkmRecords::CreatedBy,
            UmkmRecords::CreatedAt,
            UmkmRecords::Fields,
        ])
        .from(UmkmRecords::Table)
        .to_owned()
}

#[derive(sqlx::FromRow)]
pub(crate) struct RecordDbRow {
    id: Uuid,
    business_id: Uuid,
    import_id: Option<Uuid>,
    source: String,
    file_name: Option<String>,
    sheet: Option<String>,
    row_number: Option<i32>,
    origin: String,
    raw: String,
    business_name: String,
    owner_name: Option<String>,
    nik_index: Option<String>,
    nib: Option<String>,
    phone: Option<String>,
    desa_code: Option<String>,
    kecamatan_code: Option<String>,
    address: Option<String>,
    year: i32,
    link: String,
    weight: Option<f64>,
    explanation: Option<String>,
    created_by: String,
    created_at: i64,
    #[allow(dead_code)] // kept for merges and owners' downloads
    fields: String,
}

impl RecordDbRow {
    pub(crate) fn into_record(self) -> RecordRow {
        // The record's own masked NIK is in its raw cells; the row only says whether it had one.
        let nik_masked = self.nik_index.as_ref().map(|_| "••••••••••••••••".to_owned());
        RecordRow {
            id: SourceRecordId::from_uuid(self.id),
            business: BusinessId::from_uuid(self.business_id),
            import: self.import_id.map(ImportId::from_uuid),
            provenance: Provenance {
                source: self.source,
                file_name: self.file_name,
                sheet: self.sheet,
                row: self.row_number,
                origin: self.origin.parse().unwrap_or(Origin::Import),
            },
            business_name: self.business_name,
            owner_name: self.owner_name,
            nik_masked,
            nib: self.nib,
            phone: self.phone,
            kecamatan: code(self.kecamatan_code),
            desa: code(self.desa_code),
            address: self.address,
            year: self.year,
            raw: serde_json::from_str(&self.raw).unwrap_or_default(),
            link: self.link,
            weight: self.weight,
            explanation: self.explanation.and_then(|e| serde_json::from_str(&e).ok()),
            created_by: self.created_by,
            created_at_ms: self.created_at,
        }
    }
}

/// A permit that ends soon (or has ended), for the daily reminders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpiringPermit {
    pub permit: Uuid,
    pub business: BusinessId,
    pub business_name: String,
    pub kind: PermitKind,
    pub number: String,
    pub expires: time::Date,
}

impl Store {
    /// Permits of live businesses that expire on or before `until` and not before `from`.
    pub async fn umkm_permits_expiring(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        from: time::Date,
        until: time::Date,
    ) -> Result<Vec<ExpiringPermit>> {
        use UmkmBusinesses as B;
        use UmkmPermits as P;
        let tenant = registry_tenant(actor, Permission::ViewUmkm, tenant)?;
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            business_id: Uuid,
            name: String,
            kind: String,
            number: String,
            expires: Option<String>,
        }
        // ISO dates compare as text on both databases.
        let rows: Vec<Row> = self
            .fetch_all(
                Query::select()
                    .columns([
                        (P::Table, P::Id),
                        (P::Table, P::BusinessId),
                        (P::Table, P::Kind),
                        (P::Table, P::Number),
                        (P::Table, P::Expires),
                    ])
                    .column((B::Table, B::Name))
                    .from(P::Table)
                    .inner_join(
                        B::Table,
                        Cond::all()
                            .add(Expr::col((B::Table, B::TenantCode)).equals((P::Table, P::TenantCode)))
                            .add(Expr::col((B::Table, B::Id)).equals((P::Table, P::BusinessId))),
                    )
                    .and_where(Expr::col((P::Table, P::TenantCode)).eq(tenant.as_str()))
                    .and_where(Expr::col((B::Table, B::Status)).eq("active"))
                    .and_where(Expr::col((P::Table, P::Expires)).gte(from.to_string()))
                    .and_where(Expr::col((P::Table, P::Expires)).lte(until.to_string()))
                    .order_by((P::Table, P::Expires), Order::Asc),
            )
            .await?;
        let iso = time::macros::format_description!("[year]-[month]-[day]");
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(ExpiringPermit {
                    permit: r.id,
                    business: BusinessId::from_uuid(r.business_id),
                    business_name: r.name,
                    kind: r.kind.parse().ok()?,
                    number: r.number,
                    expires: time::Date::parse(r.expires.as_deref()?, &iso).ok()?,
                })
            })
            .collect())
    }
}

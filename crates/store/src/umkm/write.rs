//! Writing a batch of source records with the entity resolution's decisions, in one
//! transaction: new businesses, links to existing ones, their years, permits, tags and KBLI
//! codes, the provenance of every value, and the pairs left for an officer to review.

use std::collections::{HashMap, HashSet};

use sea_query::{Expr, ExprTrait, OnConflict, Query};
use serde::{Deserialize, Serialize};
use sinergi_domain::umkm::{Classification, SourceRecord};
use sinergi_domain::{Actor, BusinessId, ImportId, Permission, RegionCode, ReviewId, SourceRecordId};
use uuid::Uuid;

use super::{Field, class_slug, registry_tenant};
use crate::audit::{Change, RecordType, record};
use crate::db::Tx;
use crate::schema::*;
use crate::vault::Vault;
use crate::{Result, Store, StoreError, now_ms};

sinergi_domain::slug_enum! {
    /// How a source record reached the registry.
    pub enum Origin: "origin" {
        Import = "import",
        Form = "form",
        Owner = "owner",
    }
}

/// Where a record came from: the source's name, and for imports the file, sheet and Excel row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: String,
    pub file_name: Option<String>,
    pub sheet: Option<String>,
    pub row: Option<i32>,
    pub origin: Origin,
}

/// One record to write, with the row's cells as written (header → text).
#[derive(Debug, Clone)]
pub struct Incoming {
    pub record: SourceRecord,
    pub provenance: Provenance,
    pub raw: Vec<(String, String)>,
}

/// What an unsure record may be a duplicate of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Candidate {
    Business(BusinessId),
    /// Another row of the same batch, by its index.
    Row(usize),
}

/// The entity resolution's decision for one incoming record.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// It describes this existing business.
    Link { business: BusinessId, weight: f64, explanation: serde_json::Value },
    /// An officer said it describes this existing business (a form, not the engine).
    Chosen { business: BusinessId },
    /// A business new to the registry; rows of the batch with the same `cluster` are one.
    New { cluster: usize, weight: Option<f64>, explanation: Option<serde_json::Value> },
    /// A new business (as for `New`), flagged as a possible duplicate of `candidate`.
    Review { cluster: usize, candidate: Candidate, weight: f64, probability: f64, explanation: serde_json::Value },
}

/// What a commit did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommitSummary {
    pub records: usize,
    pub new_businesses: usize,
    pub linked_existing: usize,
    pub sent_to_review: usize,
    /// The business each row went to, in row order (not kept with the import).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub businesses: Vec<BusinessId>,
}

/// A business's own values, column by column, as stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub(crate) struct Golden {
    pub name: String,
    pub name_key: String,
    pub legal_form: Option<String>,
    pub owner_name: Option<String>,
    pub nik_sealed: Option<String>,
    pub nik_index: Option<String>,
    pub nik_masked: Option<String>,
    pub sex: Option<String>,
    pub birth_year: Option<i32>,
    pub nib: Option<String>,
    pub npwp_sealed: Option<String>,
    pub npwp_masked: Option<String>,
    pub kbli: Option<String>,
    pub address: Option<String>,
    pub desa_code: Option<String>,
    pub kecamatan_code: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub products: Option<String>,
    pub employees: Option<i32>,
}

/// Lower case, letters and digits only, single spaces: what search and sorting read.
pub(crate) fn name_key(name: &str) -> String {
    let lowered: String = name.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Golden {
    pub(crate) fn from_record(r: &SourceRecord, vault: &Vault) -> Self {
        let nik = r.nik.as_ref();
        Golden {
            name: r.business_name.trim().to_owned(),
            name_key: name_key(&r.business_name),
            legal_form: r.legal_form.map(|f| f.slug().to_owned()),
            owner_name: r.owner_name.clone(),
            nik_sealed: nik.map(|n| vault.seal(n.expose())),
            nik_index: nik.map(|n| vault.index(n.expose())),
            nik_masked: nik.map(|n| n.masked()),
            sex: r.sex.or(nik.map(|n| n.sex())).map(|s| s.slug().to_owned()),
            birth_year: r.birth_year,
            nib: r.nib.as_ref().map(|n| n.as_str().to_owned()),
            npwp_sealed: r.npwp.as_ref().map(|n| vault.seal(n.expose())),
            npwp_masked: r.npwp.as_ref().map(|n| n.masked()),
            kbli: r.kbli.first().map(|k| k.as_str().to_owned()),
            address: r.address.clone(),
            desa_code: r.desa.as_ref().map(|c| c.as_str().to_owned()),
            kecamatan_code: r
                .kecamatan
                .clone()
                .or_else(|| r.desa.as_ref().and_then(|d| d.parent()))
                .map(|c| c.as_str().to_owned()),
            phone: r.phone.as_ref().map(|p| p.national()),
            email: r.email.clone(),
            products: r.products.clone(),
            employees: r.employees.and_then(|e| i32::try_from(e).ok()),
        }
    }

    pub(crate) fn has(&self, f: Field) -> bool {
        match f {
            Field::Name => !self.name.is_empty(),
            Field::LegalForm => self.legal_form.is_some(),
            Field::OwnerName => self.owner_name.is_some(),
            Field::Nik => self.nik_sealed.is_some(),
            Field::Sex => self.sex.is_some(),
            Field::BirthYear => self.birth_year.is_some(),
            Field::Nib => self.nib.is_some(),
            Field::Npwp => self.npwp_sealed.is_some(),
            Field::Kbli => self.kbli.is_some(),
            Field::Address => self.address.is_some(),
            Field::Desa => self.desa_code.is_some(),
            Field::Kecamatan => self.kecamatan_code.is_some(),
            Field::Phone => self.phone.is_some(),
            Field::Email => self.email.is_some(),
            Field::Products => self.products.is_some(),
            Field::Employees => self.employees.is_some(),
        }
    }

    /// Copy one field's columns from `other`.
    pub(crate) fn take(&mut self, other: &Golden, f: Field) {
        match f {
            Field::Name => {
                self.name = other.name.clone();
                self.name_key = other.name_key.clone();
            }
            Field::LegalForm => self.legal_form = other.legal_form.clone(),
            Field::OwnerName => self.owner_name = other.owner_name.clone(),
            Field::Nik => {
                self.nik_sealed = other.nik_sealed.clone();
                self.nik_index = other.nik_index.clone();
                self.nik_masked = other.nik_masked.clone();
            }
            Field::Sex => self.sex = other.sex.clone(),
            Field::BirthYear => self.birth_year = other.birth_year,
            Field::Nib => self.nib = other.nib.clone(),
            Field::Npwp => {
                self.npwp_sealed = other.npwp_sealed.clone();
                self.npwp_masked = other.npwp_masked.clone();
            }
            Field::Kbli => self.kbli = other.kbli.clone(),
            Field::Address => self.address = other.address.clone(),
            Field::Desa => self.desa_code = other.desa_code.clone(),
            Field::Kecamatan => self.kecamatan_code = other.kecamatan_code.clone(),
            Field::Phone => self.phone = other.phone.clone(),
            Field::Email => self.email = other.email.clone(),
            Field::Products => self.products = other.products.clone(),
            Field::Employees => self.employees = other.employees,
        }
    }

    fn columns() -> [UmkmBusinesses; 20] {
        use UmkmBusinesses as B;
        [
            B::Name,
            B::NameKey,
            B::LegalForm,
            B::OwnerName,
            B::NikSealed,
            B::NikIndex,
            B::NikMasked,
            B::Sex,
            B::BirthYear,
            B::Nib,
            B::NpwpSealed,
            B::NpwpMasked,
            B::Kbli,
            B::Address,
            B::DesaCode,
            B::KecamatanCode,
            B::Phone,
            B::Email,
            B::Products,
            B::Employees,
        ]
    }

    fn values(&self) -> Vec<sea_query::SimpleExpr> {
        vec![
            self.name.clone().into(),
            self.name_key.clone().into(),
            self.legal_form.clone().into(),
            self.owner_name.clone().into(),
            self.nik_sealed.clone().into(),
            self.nik_index.clone().into(),
            self.nik_masked.clone().into(),
            self.sex.clone().into(),
            self.birth_year.into(),
            self.nib.clone().into(),
            self.npwp_sealed.clone().into(),
            self.npwp_masked.clone().into(),
            self.kbli.clone().into(),
            self.address.clone().into(),
            self.desa_code.clone().into(),
            self.kecamatan_code.clone().into(),
            self.phone.clone().into(),
            self.email.clone().into(),
            self.products.clone().into(),
            self.employees.into(),
        ]
    }
}

fn by_business(tenant: &RegionCode, id: BusinessId) -> sea_query::Condition {
    sea_query::Condition::all()
        .add(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
        .add(Expr::col(UmkmBusinesses::Id).eq(id.as_uuid()))
}

pub(crate) async fn load_golden(tx: &mut Tx, tenant: &RegionCode, id: BusinessId) -> Result<Golden> {
    tx.fetch_optional(
        Query::select().columns(Golden::columns()).from(UmkmBusinesses::Table).cond_where(by_business(tenant, id)),
    )
    .await?
    .ok_or(StoreError::NotFound)
}

pub(crate) async fn insert_business(tx: &mut Tx, tenant: &RegionCode, id: BusinessId, g: &Golden) -> Result<()> {
    let now = now_ms();
    let mut cols = vec![UmkmBusinesses::TenantCode, UmkmBusinesses::Id];
    cols.extend(Golden::columns());
    cols.extend([UmkmBusinesses::Status, UmkmBusinesses::CreatedAt, UmkmBusinesses::UpdatedAt]);
    let mut values: Vec<sea_query::SimpleExpr> = vec![tenant.as_str().into(), id.as_uuid().into()];
    values.extend(g.values());
    values.extend(["active".into(), now.into(), now.into()]);
    tx.execute(Query::insert().into_table(UmkmBusinesses::Table).columns(cols).values_panic(values)).await?;
    Ok(())
}

pub(crate) async fn update_golden(tx: &mut Tx, tenant: &RegionCode, id: BusinessId, g: &Golden) -> Result<()> {
    let mut q = Query::update();
    q.table(UmkmBusinesses::Table);
    for (col, value) in Golden::columns().into_iter().zip(g.values()) {
        q.value(col, value);
    }
    q.value(UmkmBusinesses::UpdatedAt, now_ms()).cond_where(by_business(tenant, id));
    tx.execute(&q).await?;
    Ok(())
}

pub(crate) async fn set_field_source(
    tx: &mut Tx,
    tenant: &RegionCode,
    business: BusinessId,
    field: Field,
    record: SourceRecordId,
) -> Result<()> {
    tx.execute(
        Query::insert()
            .into_table(UmkmFieldSources::Table)
            .columns([
                UmkmFieldSources::TenantCode,
                UmkmFieldSources::BusinessId,
                UmkmFieldSources::Field,
                UmkmFieldSources::RecordId,
            ])
            .values_panic([
                tenant.as_str().into(),
                business.as_uuid().into(),
                field.slug().into(),
                record.as_uuid().into(),
            ])
            .on_conflict(
                OnConflict::columns([
                    UmkmFieldSources::TenantCode,
                    UmkmFieldSources::BusinessId,
                    UmkmFieldSources::Field,
                ])
                .update_column(UmkmFieldSources::RecordId)
                .to_owned(),
            ),
    )
    .await?;
    Ok(())
}

/// A business that was merged away points to the one it joined; follow the chain.
pub(crate) async fn live_business(tx: &mut Tx, tenant: &RegionCode, mut id: BusinessId) -> Result<BusinessId> {
    #[derive(sqlx::FromRow)]
    struct Row {
        merged_into: Option<Uuid>,
    }
    for _ in 0..16 {
        let row: Row = tx
            .fetch_optional(
                Query::select()
                    .column(UmkmBusinesses::MergedInto)
                    .from(UmkmBusinesses::Table)
                    .cond_where(by_business(tenant, id)),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        match row.merged_into {
            Some(next) => id = BusinessId::from_uuid(next),
            None => return Ok(id),
        }
    }
    Err(StoreError::Conflict { field: "merged_into" })
}

struct Written {
    record: SourceRecordId,
    business: BusinessId,
}

impl Store {
    /// Write a batch of records with their resolutions, whole or not at all.
    pub async fn commit_umkm_records(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        import: Option<ImportId>,
        rows: Vec<(Incoming, Resolution)>,
    ) -> Result<CommitSummary> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let vault = self.vault()?;
        let mut tx = self.begin().await?;
        let summary = write_batch(&mut tx, actor, &tenant, vault, import, rows).await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                action: "commit_umkm_records",
                record_type: RecordType::Umkm,
                record_id: import.map(|i| i.to_string()).unwrap_or_default(),
                before: None,
                after: serde_json::to_value(CommitSummary { businesses: Vec::new(), ..summary.clone() }).ok(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }
}

pub(crate) async fn write_batch(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    vault: &Vault,
    import: Option<ImportId>,
    rows: Vec<(Incoming, Resolution)>,
) -> Result<CommitSummary> {
    let mut summary = CommitSummary { records: rows.len(), ..Default::default() };
    let mut clusters: HashMap<usize, BusinessId> = HashMap::new();
    let mut written: Vec<Written> = Vec::with_capacity(rows.len());
    let mut reviews: Vec<(usize, Candidate, f64, f64, serde_json::Value)> = Vec::new();
    let mut touched: HashSet<BusinessId> = HashSet::new();
    let mut linked: HashSet<BusinessId> = HashSet::new();
    for (i, (incoming, resolution)) in rows.into_iter().enumerate() {
        let golden = Golden::from_record(&incoming.record, vault);
        let (business, link, weight, explanation, fresh) = match resolution {
            Resolution::Link { business, weight, explanation } => {
                let business = live_business(tx, tenant, business).await?;
                linked.insert(business);
                (business, "auto", Some(weight), Some(explanation), false)
            }
            Resolution::Chosen { business } => {
                let business = live_business(tx, tenant, business).await?;
                linked.insert(business);
                (business, "officer", None, None, false)
            }
            Resolution::New { cluster, weight, explanation } => match clusters.get(&cluster) {
                Some(b) => (*b, "auto", weight, explanation, false),
                None => {
                    // A new business keeps its nearest miss, so that "why not linked" can be read.
                    let b = BusinessId::new();
                    clusters.insert(cluster, b);
                    (b, "new", weight, explanation, true)
                }
            },
            Resolution::Review { cluster, candidate, weight, probability, explanation } => {
                reviews.push((i, candidate, weight, probability, explanation.clone()));
                match clusters.get(&cluster) {
                    Some(b) => (*b, "auto", None, None, false),
                    None => {
                        let b = BusinessId::new();
                        clusters.insert(cluster, b);
                        (b, "review", Some(weight), Some(explanation), true)
                    }
                }
            }
        };
        let record_id = SourceRecordId::new();
        if fresh {
            insert_business(tx, tenant, business, &golden).await?;
            summary.new_businesses += 1;
            for f in Field::ALL {
                if golden.has(f) {
                    set_field_source(tx, tenant, business, f, record_id).await?;
                }
            }
        } else {
            // A record joining a business fills what the business lacks; it never overwrites a
            // value another source gave (an officer chooses between values in a merge).
            let mut current = load_golden(tx, tenant, business).await?;
            let mut filled = false;
            for f in Field::ALL {
                if !current.has(f) && golden.has(f) {
                    current.take(&golden, f);
                    set_field_source(tx, tenant, business, f, record_id).await?;
                    filled = true;
                }
            }
            if filled {
                update_golden(tx, tenant, business, &current).await?;
            }
        }
        insert_record(tx, actor, tenant, import, record_id, business, &incoming, &golden, link, weight, explanation)
            .await?;
        insert_children(tx, tenant, business, record_id, &incoming.record).await?;
        touched.insert(business);
        summary.businesses.push(business);
        written.push(Written { record: record_id, business });
    }
    summary.linked_existing = linked.len();
    for (row, candidate, weight, probability, explanation) in reviews {
        let mine = &written[row];
        let other = match candidate {
            Candidate::Business(b) => live_business(tx, tenant, b).await?,
            Candidate::Row(j) => {
                written.get(j).map(|w| w.business).ok_or(StoreError::Conflict { field: "candidate" })?
            }
        };
        if other == mine.business {
            continue;
        }
        insert_review(tx, tenant, mine.record, mine.business, other, weight, probability, &explanation, import).await?;
        summary.sent_to_review += 1;
    }
    for b in touched {
        refresh_latest_year(tx, tenant, b).await?;
    }
    Ok(summary)
}

#[allow(clippy::too_many_arguments)] // one row's columns, written in one place
pub(crate) async fn insert_record(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    import: Option<ImportId>,
    id: SourceRecordId,
    business: BusinessId,
    incoming: &Incoming,
    golden: &Golden,
    link: &str,
    weight: Option<f64>,
    explanation: Option<serde_json::Value>,
) -> Result<()> {
    let r = &incoming.record;
    let p = &incoming.provenance;
    let raw = serde_json::to_string(&masked_raw(&incoming.raw, r)).unwrap_or_else(|_| "[]".into());
    let fields = serde_json::to_string(&RecordFields::of(r)).unwrap_or_else(|_| "{}".into());
    let kbli = r.kbli.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",");
    tx.execute(
        Query::insert()
            .into_table(UmkmRecords::Table)
            .columns([
                UmkmRecords::TenantCode,
                UmkmRecords::Id,
                UmkmRecords::BusinessId,
                UmkmRecords::ImportId,
                UmkmRecords::Source,
                UmkmRecords::FileName,
                UmkmRecords::Sheet,
                UmkmRecords::RowNumber,
                UmkmRecords::Origin,
                UmkmRecords::Raw,
                UmkmRecords::Fields,
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
                UmkmRecords::Year,
                UmkmRecords::Link,
                UmkmRecords::Weight,
                UmkmRecords::Explanation,
                UmkmRecords::CreatedBy,
                UmkmRecords::CreatedAt,
            ])
            .values_panic([
                tenant.as_str().into(),
                id.as_uuid().into(),
                business.as_uuid().into(),
                import.map(|i| i.as_uuid()).into(),
                p.source.clone().into(),
                p.file_name.clone().into(),
                p.sheet.clone().into(),
                p.row.into(),
                p.origin.slug().into(),
                raw.into(),
                fields.into(),
                golden.name.clone().into(),
                golden.owner_name.clone().into(),
                golden.nik_sealed.clone().into(),
                golden.nik_index.clone().into(),
                golden.nib.clone().into(),
                golden.phone.clone().into(),
                golden.desa_code.clone().into(),
                golden.kecamatan_code.clone().into(),
                (!kbli.is_empty()).then_some(kbli).into(),
                golden.address.clone().into(),
                r.year.into(),
                link.into(),
                weight.into(),
                explanation.map(|e| e.to_string()).into(),
                actor.label.clone().into(),
                now_ms().into(),
            ]),
    )
    .await?;
    Ok(())
}

/// The row as written, with the cells that held the NIK, NPWP or phone masked: the sealed
/// columns keep the values, the raw copy must not leak them.
fn masked_raw(raw: &[(String, String)], r: &SourceRecord) -> Vec<(String, String)> {
    let secrets: Vec<String> = [
        r.nik.as_ref().map(|n| n.expose().to_owned()),
        r.npwp.as_ref().map(|n| n.expose().to_owned()),
        r.phone.as_ref().map(|p| p.national()[1..].to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect();
    raw.iter()
        .map(|(h, v)| {
            let digits: String = v.chars().filter(char::is_ascii_digit).collect();
            let secret =
                digits.len() >= 8 && secrets.iter().any(|s| digits.contains(s.as_str()) || s.contains(&digits));
            let v = if secret { mask_cell(v) } else { v.clone() };
            (h.clone(), v)
        })
        .collect()
}

fn mask_cell(v: &str) -> String {
    let digits: Vec<char> = v.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    digits.iter().enumerate().map(|(i, c)| if i < 4 || i + 4 >= n { *c } else { '•' }).collect()
}

/// The parsed values that have no column of their own, kept with the record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct RecordFields {
    pub legal_form: Option<String>,
    pub sex: Option<String>,
    pub birth_year: Option<i32>,
    pub npwp_masked: Option<String>,
    pub email: Option<String>,
    pub products: Option<String>,
    pub employees: Option<u32>,
    pub capital: Option<i64>,
    pub sales: Option<i64>,
    pub permits: Vec<sinergi_domain::umkm::Permit>,
    pub tags: Vec<String>,
}

impl RecordFields {
    pub(crate) fn of(r: &SourceRecord) -> Self {
        RecordFields {
            legal_form: r.legal_form.map(|f| f.slug().to_owned()),
            sex: r.sex.map(|s| s.slug().to_owned()),
            birth_year: r.birth_year,
            npwp_masked: r.npwp.as_ref().map(|n| n.masked()),
            email: r.email.clone(),
            products: r.products.clone(),
            employees: r.employees,
            capital: r.capital,
            sales: r.sales,
            permits: r.permits.clone(),
            tags: r.tags.clone(),
        }
    }
}

async fn insert_children(
    tx: &mut Tx,
    tenant: &RegionCode,
    business: BusinessId,
    record_id: SourceRecordId,
    r: &SourceRecord,
) -> Result<()> {
    for code in &r.kbli {
        insert_kbli(tx, tenant, business, code).await?;
    }
    if r.capital.is_some() || r.sales.is_some() || r.employees.is_some() {
        upsert_year(tx, tenant, business, record_id, r).await?;
    }
    for permit in &r.permits {
        insert_permit(tx, tenant, business, Some(record_id), permit).await?;
    }
    for tag in &r.tags {
        insert_tag(tx, tenant, business, "tag", tag).await?;
    }
    Ok(())
}

/// One KBLI code of a business, with every level of it (so that a filter on any level is an
/// equality); a code the business has already is left as it is. False when it was not added.
pub(crate) async fn insert_kbli(
    tx: &mut Tx,
    tenant: &RegionCode,
    business: BusinessId,
    code: &sinergi_domain::KbliCode,
) -> Result<bool> {
    let Some(section) = code.section() else { return Ok(false) };
    let level = |n| code.prefix(n).unwrap_or("").to_owned();
    let added = tx
        .execute(
            Query::insert()
                .into_table(UmkmBusinessKbli::Table)
                .columns([
                    UmkmBusinessKbli::TenantCode,
                    UmkmBusinessKbli::BusinessId,
                    UmkmBusinessKbli::Code,
                    UmkmBusinessKbli::Section,
                    UmkmBusinessKbli::K2,
                    UmkmBusinessKbli::K3,
                    UmkmBusinessKbli::K4,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    business.as_uuid().into(),
                    code.as_str().into(),
                    section.to_string().into(),
                    level(2).into(),
                    level(3).into(),
                    level(4).into(),
                ])
                .on_conflict(
                    OnConflict::columns([
                        UmkmBusinessKbli::TenantCode,
                        UmkmBusinessKbli::BusinessId,
                        UmkmBusinessKbli::Code,
                    ])
                    .do_nothing()
                    .to_owned(),
                ),
        )
        .await?;
    Ok(added > 0)
}

pub(crate) async fn insert_tag(
    tx: &mut Tx,
    tenant: &RegionCode,
    business: BusinessId,
    kind: &str,
    value: &str,
) -> Result<()> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(());
    }
    tx.execute(
        Query::insert()
            .into_table(UmkmTags::Table)
            .columns([UmkmTags::TenantCode, UmkmTags::BusinessId, UmkmTags::Kind, UmkmTags::Value])
            .values_panic([tenant.as_str().into(), business.as_uuid().into(), kind.into(), value.into()])
            .on_conflict(
                OnConflict::columns([UmkmTags::TenantCode, UmkmTags::BusinessId, UmkmTags::Kind, UmkmTags::Value])
                    .do_nothing()
                    .to_owned(),
            ),
    )
    .await?;
    Ok(())
}

pub(crate) async fn insert_permit(
    tx: &mut Tx,
    tenant: &RegionCode,
    business: BusinessId,
    record_id: Option<SourceRecordId>,
    p: &sinergi_domain::umkm::Permit,
) -> Result<()> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[allow(dead_code)] // only its existence matters
        id: Uuid,
    }
    let existing: Option<Row> = tx
        .fetch_optional(
            Query::select().column(UmkmPermits::Id).from(UmkmPermits::Table).cond_where(
                sea_query::Condition::all()
                    .add(Expr::col(UmkmPermits::TenantCode).eq(tenant.as_str()))
                    .add(Expr::col(UmkmPermits::BusinessId).eq(business.as_uuid()))
                    .add(Expr::col(UmkmPermits::Kind).eq(p.kind.slug()))
                    .add(Expr::col(UmkmPermits::Number).eq(p.number.as_str())),
            ),
        )
        .await?;
    if existing.is_some() {
        return Ok(());
    }
    let date = |d: Option<time::Date>| d.map(|d| d.to_string());
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
                Uuid::now_v7().into(),
                business.as_uuid().into(),
                p.kind.slug().into(),
                p.number.clone().into(),
                date(p.issued).into(),
                date(p.expires).into(),
                record_id.map(|r| r.as_uuid()).into(),
                now_ms().into(),
            ]),
    )
    .await?;
    Ok(())
}

/// One year of a business as stored; also what a merge's snapshot keeps of it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct YearSnap {
    pub year: i32,
    pub capital: Option<i64>,
    pub sales: Option<i64>,
    pub employees: Option<i32>,
    pub class_capital: Option<String>,
    pub class_sales: Option<String>,
    pub record_id: Option<Uuid>,
}

impl YearSnap {
    /// The year a record gives, its classes computed.
    pub(crate) fn of(r: &SourceRecord, record: SourceRecordId) -> Self {
        let class = Classification::of(r.capital, r.sales);
        YearSnap {
            year: r.year,
            capital: r.capital,
            sales: r.sales,
            employees: r.employees.and_then(|e| i32::try_from(e).ok()),
            class_capital: class_slug(class.by_capital),
            class_sales: class_slug(class.by_sales),
            record_id: Some(record.as_uuid()),
        }
    }
}

pub(crate) async fn insert_year(tx: &mut Tx, tenant: &RegionCode, business: BusinessId, y: &YearSnap) -> Result<()> {
    tx.execute(
        Query::insert()
            .into_table(UmkmYears::Table)
            .columns([
                UmkmYears::TenantCode,
                UmkmYears::BusinessId,
                UmkmYears::Year,
                UmkmYears::Capital,
                UmkmYears::Sales,
                UmkmYears::Employees,
                UmkmYears::ClassCapital,
                UmkmYears::ClassSales,
                UmkmYears::RecordId,
            ])
            .values_panic([
                tenant.as_str().into(),
                business.as_uuid().into(),
                y.year.into(),
                y.capital.into(),
                y.sales.into(),
                y.employees.into(),
                y.class_capital.clone().into(),
                y.class_sales.clone().into(),
                y.record_id.into(),
            ]),
    )
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct YearRow {
    capital: Option<i64>,
    sales: Option<i64>,
    employees: Option<i32>,
}

async fn upsert_year(
    tx: &mut Tx,
    tenant: &RegionCode,
    business: BusinessId,
    record_id: SourceRecordId,
    r: &SourceRecord,
) -> Result<()> {
    let cond = sea_query::Condition::all()
        .add(Expr::col(UmkmYears::TenantCode).eq(tenant.as_str()))
        .add(Expr::col(UmkmYears::BusinessId).eq(business.as_uuid()))
        .add(Expr::col(UmkmYears::Year).eq(r.year));
    let existing: Option<YearRow> = tx
        .fetch_optional(
            Query::select()
                .columns([UmkmYears::Capital, UmkmYears::Sales, UmkmYears::Employees])
                .from(UmkmYears::Table)
                .cond_where(cond.clone()),
        )
        .await?;
    let employees = r.employees.and_then(|e| i32::try_from(e).ok());
    match existing {
        None => insert_year(tx, tenant, business, &YearSnap::of(r, record_id)).await?,
        Some(y) => {
            // The year is known already: fill its gaps only.
            let capital = y.capital.or(r.capital);
            let sales = y.sales.or(r.sales);
            let class = Classification::of(capital, sales);
            tx.execute(
                Query::update()
                    .table(UmkmYears::Table)
                    .value(UmkmYears::Capital, capital)
                    .value(UmkmYears::Sales, sales)
                    .value(UmkmYears::Employees, y.employees.or(employees))
                    .value(UmkmYears::ClassCapital, class_slug(class.by_capital))
                    .value(UmkmYears::ClassSales, class_slug(class.by_sales))
                    .cond_where(cond),
            )
            .await?;
        }
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct LatestRow {
    year: i32,
    capital: Option<i64>,
    sales: Option<i64>,
    class_capital: Option<String>,
    class_sales: Option<String>,
}

/// Copy the latest year's figures onto the business, for lists that filter without a join.
pub(crate) async fn refresh_latest_year(tx: &mut Tx, tenant: &RegionCode, business: BusinessId) -> Result<()> {
    let latest: Option<LatestRow> = tx
        .fetch_optional(
            Query::select()
                .columns([
                    UmkmYears::Year,
                    UmkmYears::Capital,
                    UmkmYears::Sales,
                    UmkmYears::ClassCapital,
                    UmkmYears::ClassSales,
                ])
                .from(UmkmYears::Table)
                .and_where(Expr::col(UmkmYears::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(UmkmYears::BusinessId).eq(business.as_uuid()))
                .order_by(UmkmYears::Year, sea_query::Order::Desc)
                .limit(1),
        )
        .await?;
    let (year, capital, sales, cc, cs) = match latest {
        Some(l) => (Some(l.year), l.capital, l.sales, l.class_capital, l.class_sales),
        None => (None, None, None, None, None),
    };
    tx.execute(
        Query::update()
            .table(UmkmBusinesses::Table)
            .value(UmkmBusinesses::LatestYear, year)
            .value(UmkmBusinesses::Capital, capital)
            .value(UmkmBusinesses::Sales, sales)
            .value(UmkmBusinesses::ClassCapital, cc)
            .value(UmkmBusinesses::ClassSales, cs)
            .cond_where(by_business(tenant, business)),
    )
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)] // one row's columns, written in one place
async fn insert_review(
    tx: &mut Tx,
    tenant: &RegionCode,
    record_id: SourceRecordId,
    business: BusinessId,
    candidate: BusinessId,
    weight: f64,
    probability: f64,
    explanation: &serde_json::Value,
    import: Option<ImportId>,
) -> Result<()> {
    tx.execute(
        Query::insert()
            .into_table(UmkmReviews::Table)
            .columns([
                UmkmReviews::TenantCode,
                UmkmReviews::Id,
                UmkmReviews::RecordId,
                UmkmReviews::BusinessId,
                UmkmReviews::CandidateId,
                UmkmReviews::Weight,
                UmkmReviews::Probability,
                UmkmReviews::Explanation,
                UmkmReviews::Status,
                UmkmReviews::ImportId,
                UmkmReviews::CreatedAt,
            ])
            .values_panic([
                tenant.as_str().into(),
                ReviewId::new().as_uuid().into(),
                record_id.as_uuid().into(),
                business.as_uuid().into(),
                candidate.as_uuid().into(),
                weight.into(),
                probability.into(),
                explanation.to_string().into(),
                "open".into(),
                import.map(|i| i.as_uuid()).into(),
                now_ms().into(),
            ]),
    )
    .await?;
    Ok(())
}

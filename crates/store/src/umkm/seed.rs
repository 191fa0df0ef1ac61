//! Loading many businesses at once, each already known to be one business (generated demo
//! data, a registry moved from another system): multi-row statements in one transaction,
//! without entity resolution. Everything a normal commit writes is written (provenance, field
//! sources, years, KBLI), so a seeded business is indistinguishable from an imported one.

use sea_query::{Query, SimpleExpr};
use sinergi_domain::umkm::Classification;
use sinergi_domain::{Actor, BusinessId, Permission, RegionCode, SourceRecordId};

use super::write::{Golden, Incoming, RecordFields};
use super::{Field, class_slug, registry_tenant};
use crate::audit::{Change, RecordType, record};
use crate::schema::*;
use crate::{Result, Store, now_ms};

/// One business to seed: its record (with the first year's figures) and later years' figures.
#[derive(Debug, Clone)]
pub struct SeedBusiness {
    pub incoming: Incoming,
    /// (year, capital, sales) after the record's own year.
    pub later_years: Vec<(i32, Option<i64>, Option<i64>)>,
}

/// Rows per INSERT: well under SQLite's 32,766 bound parameters for the widest table.
const CHUNK: usize = 400;

impl Store {
    /// Seed businesses in one transaction; returns their ids.
    pub async fn seed_umkm_businesses(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        seeds: Vec<SeedBusiness>,
    ) -> Result<Vec<BusinessId>> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let vault = self.vault()?;
        let now = now_ms();
        let mut tx = self.begin().await?;
        let mut ids = Vec::with_capacity(seeds.len());
        for chunk in seeds.chunks(CHUNK) {
            let mut businesses = Query::insert();
            businesses.into_table(UmkmBusinesses::Table).columns([
                UmkmBusinesses::TenantCode,
                UmkmBusinesses::Id,
                UmkmBusinesses::Name,
                UmkmBusinesses::NameKey,
                UmkmBusinesses::LegalForm,
                UmkmBusinesses::OwnerName,
                UmkmBusinesses::NikSealed,
                UmkmBusinesses::NikIndex,
                UmkmBusinesses::NikMasked,
                UmkmBusinesses::Sex,
                UmkmBusinesses::BirthYear,
                UmkmBusinesses::Nib,
                UmkmBusinesses::NpwpSealed,
                UmkmBusinesses::NpwpMasked,
                UmkmBusinesses::Kbli,
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
                UmkmBusinesses::CreatedAt,
                UmkmBusinesses::UpdatedAt,
            ]);
            let mut records = Query::insert();
            records.into_table(UmkmRecords::Table).columns([
                UmkmRecords::TenantCode,
                UmkmRecords::Id,
                UmkmRecords::BusinessId,
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
                UmkmRecords::CreatedBy,
                UmkmRecords::CreatedAt,
            ]);
            let mut sources = Query::insert();
            sources.into_table(UmkmFieldSources::Table).columns([
                UmkmFieldSources::TenantCode,
                UmkmFieldSources::BusinessId,
                UmkmFieldSources::Field,
                UmkmFieldSources::RecordId,
            ]);
            let mut kbli = Query::insert();
            kbli.into_table(UmkmBusinessKbli::Table).columns([
                UmkmBusinessKbli::TenantCode,
                UmkmBusinessKbli::BusinessId,
                UmkmBusinessKbli::Code,
                UmkmBusinessKbli::Section,
                UmkmBusinessKbli::K2,
                UmkmBusinessKbli::K3,
                UmkmBusinessKbli::K4,
            ]);
            let mut years = Query::insert();
            years.into_table(UmkmYears::Table).columns([
                UmkmYears::TenantCode,
                UmkmYears::BusinessId,
                UmkmYears::Year,
                UmkmYears::Capital,
                UmkmYears::Sales,
                UmkmYears::ClassCapital,
                UmkmYears::ClassSales,
                UmkmYears::RecordId,
            ]);
            let (mut n_sources, mut n_kbli, mut n_years) = (0, 0, 0);
            for seed in chunk {
                let r = &seed.incoming.record;
                let p = &seed.incoming.provenance;
                let id = BusinessId::new();
                let record_id = SourceRecordId::new();
                let g = Golden::from_record(r, vault);
                let mut all_years = vec![(r.year, r.capital, r.sales)];
                all_years.extend(seed.later_years.iter().copied());
                all_years.sort_by_key(|y| y.0);
                let latest = all_years.iter().rev().find(|y| y.1.is_some() || y.2.is_some()).copied();
                let class = latest.map(|(_, c, s)| Classification::of(c, s)).unwrap_or_default();
                let t: SimpleExpr = tenant.as_str().into();
                businesses.values_panic([
                    t.clone(),
                    id.as_uuid().into(),
                    g.name.clone().into(),
                    g.name_key.clone().into(),
                    g.legal_form.clone().into(),
                    g.owner_name.clone().into(),
                    g.nik_sealed.clone().into(),
                    g.nik_index.clone().into(),
                    g.nik_masked.clone().into(),
                    g.sex.clone().into(),
                    g.birth_year.into(),
                    g.nib.clone().into(),
                    g.npwp_sealed.clone().into(),
                    g.npwp_masked.clone().into(),
                    g.kbli.clone().into(),
                    g.address.clone().into(),
                    g.desa_code.clone().into(),
                    g.kecamatan_code.clone().into(),
                    g.phone.clone().into(),
                    g.email.clone().into(),
                    g.products.clone().into(),
                    g.employees.into(),
                    latest.map(|y| y.0).into(),
                    latest.and_then(|y| y.1).into(),
                    latest.and_then(|y| y.2).into(),
                    class_slug(class.by_capital).into(),
                    class_slug(class.by_sales).into(),
                    "active".into(),
                    now.into(),
                    now.into(),
                ]);
                let kbli_text = r.kbli.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",");
                let raw: Vec<(String, String)> = seed.incoming.raw.clone();
                records.values_panic([
                    t.clone(),
                    record_id.as_uuid().into(),
                    id.as_uuid().into(),
                    p.source.clone().into(),
                    p.file_name.clone().into(),
                    p.sheet.clone().into(),
                    p.row.into(),
                    p.origin.slug().into(),
                    serde_json::to_string(&raw).unwrap_or_else(|_| "[]".into()).into(),
                    serde_json::to_string(&RecordFields::of(r)).unwrap_or_else(|_| "{}".into()).into(),
                    g.name.clone().into(),
                    g.owner_name.clone().into(),
                    g.nik_sealed.clone().into(),
                    g.nik_index.clone().into(),
                    g.nib.clone().into(),
                    g.phone.clone().into(),
                    g.desa_code.clone().into(),
                    g.kecamatan_code.clone().into(),
                    (!kbli_text.is_empty()).then_some(kbli_text).into(),
                    g.address.clone().into(),
                    r.year.into(),
                    "new".into(),
                    actor.label.clone().into(),
                    now.into(),
                ]);
                for f in Field::ALL.into_iter().filter(|f| g.has(*f)) {
                    sources.values_panic([t.clone(), id.as_uuid().into(), f.slug().into(), record_id.as_uuid().into()]);
                    n_sources += 1;
                }
                for code in &r.kbli {
                    let Some(section) = code.section() else { continue };
                    kbli.values_panic([
                        t.clone(),
                        id.as_uuid().into(),
                        code.as_str().into(),
                        section.to_string().into(),
                        code.prefix(2).unwrap_or("").into(),
                        code.prefix(3).unwrap_or("").into(),
                        code.prefix(4).unwrap_or("").into(),
                    ]);
                    n_kbli += 1;
                }
                let mut seen = std::collections::HashSet::new();
                for (year, capital, sales) in all_years {
                    if (capital.is_none() && sales.is_none()) || !seen.insert(year) {
                        continue;
                    }
                    let c = Classification::of(capital, sales);
                    years.values_panic([
                        t.clone(),
                        id.as_uuid().into(),
                        year.into(),
                        capital.into(),
                        sales.into(),
                        class_slug(c.by_capital).into(),
                        class_slug(c.by_sales).into(),
                        record_id.as_uuid().into(),
                    ]);
                    n_years += 1;
                }
                ids.push(id);
            }
            tx.execute(&businesses).await?;
            tx.execute(&records).await?;
            // Field sources: up to 16 per business, so they go in smaller statements.
            if n_sources > 0 {
                tx.execute(&sources).await?;
            }
            if n_kbli > 0 {
                tx.execute(&kbli).await?;
            }
            if n_years > 0 {
                tx.execute(&years).await?;
            }
        }
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                action: "seed_umkm_businesses",
                record_type: RecordType::Umkm,
                record_id: String::new(),
                before: None,
                after: Some(serde_json::json!({ "businesses": ids.len() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }
}

//! Kabupaten Serang's UMKM registry for the demo: 48,000 generated businesses across its
//! kecamatan (the count the field report gives), with two years of figures so that naik kelas
//! has something to show, then the training attendance list and the OSS export from
//! `demo/umkm/` imported through the real importer and entity resolution. The cooperative
//! office's register (the messiest file) is left for the visitor to import.

use sinergi_domain::umkm::{LegalForm, Nib, Nik, Phone, Sex, SourceRecord};
use sinergi_domain::{Actor, KbliCode, RegionCode};
use sinergi_store::Store;
use sinergi_store::umkm::{Incoming, NewImport, Origin, Provenance, SeedBusiness};
use sinergi_umkm::Registries;

use crate::DemoError;

/// The field report's figure for Kabupaten Serang.
pub const GENERATED_BUSINESSES: usize = 48_000;
const SEED: u64 = 2025;

const FILES: [(&str, &str, &[u8]); 2] = [
    (
        "pelatihan-dak-2024",
        "peserta-pelatihan-2024.csv",
        include_bytes!("../../../demo/umkm/peserta-pelatihan-2024.csv"),
    ),
    ("oss-nib", "oss-nib-export.xls", include_bytes!("../../../demo/umkm/oss-nib-export.xls")),
];

/// A deterministic pseudo-random number in 0..1000 for a business (the generator's own RNG is
/// private; the demo only needs a stable spread).
fn spread(i: usize, salt: u64) -> u64 {
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x ^ (x >> 29)) % 1000
}

/// `n` generated businesses of the registry, ready for [`Store::seed_umkm_businesses`] (also
/// what the registry list's SQL benchmark seeds).
pub fn seeds(tenant: &RegionCode, n: usize) -> Result<Vec<SeedBusiness>, DemoError> {
    let businesses = sinergi_synth::businesses(n, SEED).map_err(|e| DemoError::Data(e.to_string()))?;
    Ok(businesses
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            // Sales in 2024 from the generator; capital a fraction of it; 2025 grows or shrinks so
            // that some businesses cross a class boundary (naik kelas, or turun kelas).
            let sales_2024 = i64::try_from(b.omzet).unwrap_or(i64::MAX / 4);
            let capital_2024 = sales_2024 / 4 + i64::try_from(spread(i, 1)).unwrap_or(0) * 100_000;
            let growth = match spread(i, 2) {
                0..=79 => 260,  // a strong year: often naik kelas
                80..=109 => 45, // a bad year
                _ => 95 + i64::try_from(spread(i, 3) % 20).unwrap_or(0),
            };
            let sales_2025 = sales_2024 * growth / 100;
            let capital_2025 = capital_2024 * (growth + 100) / 200;
            let record = SourceRecord {
                business_name: b.name.clone(),
                legal_form: Some(if spread(i, 4) < 60 { LegalForm::Ud } else { LegalForm::Individual }),
                owner_name: Some(b.owner.clone()),
                nik: Nik::parse(&b.nik).ok(),
                sex: Some(if b.female { Sex::Female } else { Sex::Male }),
                nib: b.nib.as_deref().and_then(|n| Nib::parse(n).ok()),
                kbli: KbliCode::parse(&b.kbli).ok().into_iter().collect(),
                address: Some(b.address.clone()),
                desa: RegionCode::parse(&b.desa_code).ok(),
                kecamatan: RegionCode::parse(&b.kecamatan_code).ok(),
                kab_kota: Some(tenant.clone()),
                phone: Phone::parse(&b.phone).ok(),
                year: 2024,
                capital: Some(capital_2024),
                sales: Some(sales_2024),
                ..Default::default()
            };
            let raw = vec![
                ("Nama Usaha".to_owned(), b.name.clone()),
                ("Pemilik".to_owned(), b.owner.clone()),
                ("Kecamatan".to_owned(), b.kecamatan.clone()),
                ("Desa".to_owned(), b.desa.clone()),
            ];
            SeedBusiness {
                incoming: Incoming {
                    record,
                    provenance: Provenance {
                        source: "pendataan-umkm-2024".to_owned(),
                        file_name: None,
                        sheet: None,
                        row: i32::try_from(i + 2).ok(),
                        origin: Origin::Import,
                    },
                    raw,
                },
                later_years: vec![(2025, Some(capital_2025), Some(sales_2025))],
            }
        })
        .collect())
}

/// What the UMKM part of the demo made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UmkmReport {
    pub businesses: usize,
    pub imported_records: usize,
}

pub async fn load(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    generated: usize,
) -> Result<UmkmReport, DemoError> {
    let seeds = seeds(tenant, generated)?;
    let seeded = store.seed_umkm_businesses(system, tenant, seeds).await?;
    let mut report = UmkmReport { businesses: seeded.len(), imported_records: 0 };
    let registries = Registries::default();
    for (source, name, bytes) in FILES {
        let prepared = sinergi_umkm::prepare(bytes, name, tenant, 2024, None)
            .map_err(|e| DemoError::Data(format!("{name}: {e}")))?;
        let (incoming, rejected) = prepared.incoming(source, name);
        let file = sinergi_domain::files::check_spreadsheet("file", name, bytes.to_vec(), usize::MAX)
            .map_err(|e| DemoError::Data(format!("{name}: {}", e.reason)))?;
        let id = store
            .create_umkm_import(
                system,
                tenant,
                NewImport {
                    source: source.to_owned(),
                    file,
                    sheet: prepared
                        .workbook
                        .sheets
                        .get(prepared.detected.sheet)
                        .map(|s| s.name.clone())
                        .unwrap_or_default(),
                    header_row: i32::try_from(prepared.detected.header_row).unwrap_or(0),
                    mapping: prepared.detected.mapping.to_json(),
                },
            )
            .await?;
        let summary = registries
            .commit(store, system, tenant, Some((id, rejected)), incoming, false)
            .await
            .map_err(|e| DemoError::Data(format!("{name}: {e}")))?;
        report.businesses += summary.new_businesses;
        report.imported_records += summary.records;
    }
    Ok(report)
}

/// The demo owner's own business, Maesaroh's emping from Tanara: registered by the office,
/// claimed by her account with her NIK and phone, verified by the UMKM officer, and kept
/// current by her (her edit is marked as the owner's). Shows the self-service pages filled.
pub async fn owner_business(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    owner: &Actor,
) -> Result<sinergi_domain::BusinessId, DemoError> {
    let data = |e: &dyn std::fmt::Display| DemoError::Data(format!("owner business: {e}"));
    let nik = Nik::parse("3604144807780002").map_err(|e| data(&e))?;
    let phone = Phone::parse("0878-7123-4410").map_err(|e| data(&e))?;
    let record = SourceRecord {
        business_name: "Keripik Emping Tanara".into(),
        legal_form: Some(LegalForm::Individual),
        owner_name: Some("Maesaroh".into()),
        nik: Some(nik.clone()),
        sex: Some(Sex::Female),
        desa: RegionCode::parse("36.04.14.2001").ok(),
        kecamatan: RegionCode::parse("36.04.14").ok(),
        phone: Some(phone.clone()),
        products: Some("Emping melinjo".into()),
        kbli: vec![KbliCode::parse("10794").map_err(|e| data(&e))?],
        year: 2024,
        capital: Some(15_000_000),
        sales: Some(180_000_000),
        ..SourceRecord::default()
    };
    let incoming = Incoming {
        raw: vec![("Nama Usaha".into(), record.business_name.clone())],
        record,
        provenance: Provenance {
            source: "formulir petugas".into(),
            file_name: None,
            sheet: None,
            row: None,
            origin: Origin::Form,
        },
    };
    let done = store
        .commit_umkm_records(
            system,
            tenant,
            None,
            vec![(incoming, sinergi_store::umkm::Resolution::New { cluster: 0, weight: None, explanation: None })],
        )
        .await?;
    let business = *done.businesses.first().ok_or_else(|| data(&"no business written"))?;
    let claim = store
        .claim_umkm(
            owner,
            tenant,
            sinergi_store::umkm::NewClaim {
                business,
                nik: Some(nik),
                phone: Some(phone),
                note: Some("Usaha emping melinjo keluarga sejak 2009.".into()),
            },
        )
        .await?;
    store.decide_umkm_claim(system, tenant, claim, true, "NIK dan nomor HP cocok dengan data Dinas.").await?;
    let form = sinergi_domain::umkm::BusinessForm {
        products: Some("Emping melinjo original, emping pedas manis, emping balado (kemasan 250 g dan 500 g)".into()),
        employees: Some("4".into()),
        year: Some("2025".into()),
        capital: Some("Rp 20.000.000".into()),
        sales: Some("Rp 240.000.000".into()),
        ..Default::default()
    };
    let parsed = form
        .parse(&sinergi_domain::umkm::FormContext { tenant: tenant.clone(), current_year: 2025 })
        .map_err(|e| data(&format!("{e:?}")))?;
    store.edit_umkm_business(owner, tenant, business, &parsed).await?;
    Ok(business)
}

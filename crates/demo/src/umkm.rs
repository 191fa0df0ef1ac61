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

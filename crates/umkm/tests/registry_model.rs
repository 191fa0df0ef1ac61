//! The model a registry trains, on the demo's kind of registry: generated businesses, one
//! record each (nothing for the model to learn duplicates from), then the agencies' files.

use sinergi_domain::umkm::{Nib, Nik, Phone, SourceRecord};
use sinergi_domain::{KbliCode, RegionCode};
use sinergi_engines::er::{Decision, ErRecord, Index, Outcome, Thresholds};

const FILES: [(&str, &[u8]); 4] = [
    ("peserta-pelatihan-2024.csv", include_bytes!("../../../demo/umkm/peserta-pelatihan-2024.csv")),
    ("oss-nib-export.xls", include_bytes!("../../../demo/umkm/oss-nib-export.xls")),
    ("register-dinkop-2025.xlsx", include_bytes!("../../../demo/umkm/register-dinkop-2025.xlsx")),
    ("umkm-verifikasi.csv", include_bytes!("../../web/tests/fixtures/umkm-verifikasi.csv")),
];

fn file(tenant: &RegionCode, k: usize) -> Vec<ErRecord> {
    let (name, bytes) = FILES[k];
    let prepared = sinergi_umkm::prepare(bytes, name, tenant, 2024, None).expect("a demo file");
    let (incoming, _) = prepared.incoming("demo", name);
    incoming
        .iter()
        .enumerate()
        .map(|(i, r)| sinergi_umkm::er_record(&format!("{name}-{i}"), &r.record, tenant))
        .collect()
}

/// Generated businesses as the demo seeds them: one record each, places as codes.
fn one_record_per_business(n: usize, tenant: &RegionCode) -> Vec<ErRecord> {
    sinergi_synth::businesses(n, 2025)
        .expect("businesses")
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let record = SourceRecord {
                business_name: b.name,
                owner_name: Some(b.owner),
                nik: Nik::parse(&b.nik).ok(),
                nib: b.nib.as_deref().and_then(|n| Nib::parse(n).ok()),
                kbli: KbliCode::parse(&b.kbli).ok().into_iter().collect(),
                desa: RegionCode::parse(&b.desa_code).ok(),
                kecamatan: RegionCode::parse(&b.kecamatan_code).ok(),
                kab_kota: Some(tenant.clone()),
                phone: Phone::parse(&b.phone).ok(),
                year: 2024,
                ..Default::default()
            };
            sinergi_umkm::er_record(&format!("seed-{i}"), &record, tenant)
        })
        .collect()
}

fn count(decisions: &[Decision], outcome: Outcome) -> usize {
    decisions.iter().filter(|d| d.outcome == outcome).count()
}

/// The browser journey's imports (the register, the training list again, the field check
/// list) against a registry of generated businesses and the demo's own imports: some rows
/// link, some wait for review, some are new. Trained on the registry alone, the model put
/// every pair at 0 or 1 and nothing reached the review queue.
#[test]
fn a_registry_of_single_records_still_sends_unsure_pairs_to_review() {
    let tenant = RegionCode::parse("36.04").expect("tenant");
    let mut registry = one_record_per_business(20_000, &tenant);
    registry.extend(file(&tenant, 0));
    registry.extend(file(&tenant, 1));
    let model = sinergi_umkm::registry_model(registry.clone());
    assert!(model.is_plausible(), "{:?}", model.training);
    let mut index = Index::new(model, Thresholds::default());
    index.add_batch_quiet(&registry);
    let decisions: Vec<Decision> = [2, 0, 3].into_iter().flat_map(|k| index.add_batch(&file(&tenant, k))).collect();
    let (auto, review, new) =
        (count(&decisions, Outcome::Auto), count(&decisions, Outcome::Review), count(&decisions, Outcome::New));
    assert!(auto > 0 && review > 0 && new > 0, "{auto} linked, {review} to review, {new} new");
}

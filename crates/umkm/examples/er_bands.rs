//! The demo's registry and imports through the entity-resolution engine, without a database:
//! how many rows of each import link, wait for review or stay new, and the trained model.
//!
//!     cargo run -p sinergi-umkm --example er_bands [businesses]
//!
//! What the browser journey `umkm` meets (`sinergi serve --demo`: 48,000 generated businesses,
//! the training list and the OSS export imported by the demo, then the register, the training
//! list again and the check list imported by the officer), for tuning the engine's training.

use sinergi_domain::KbliCode;
use sinergi_domain::RegionCode;
use sinergi_domain::umkm::{Nib, Nik, Phone, SourceRecord};
use sinergi_engines::er::{ErRecord, FIELDS, Index, Outcome, Thresholds};

const FILES: [(&str, &[u8]); 4] = [
    ("peserta-pelatihan-2024.csv", include_bytes!("../../../demo/umkm/peserta-pelatihan-2024.csv")),
    ("oss-nib-export.xls", include_bytes!("../../../demo/umkm/oss-nib-export.xls")),
    ("register-dinkop-2025.xlsx", include_bytes!("../../../demo/umkm/register-dinkop-2025.xlsx")),
    ("umkm-verifikasi.csv", include_bytes!("../../web/tests/fixtures/umkm-verifikasi.csv")),
];

fn file(tenant: &RegionCode, k: usize) -> Result<Vec<ErRecord>, Box<dyn std::error::Error>> {
    let (name, bytes) = FILES[k];
    let prepared = sinergi_umkm::prepare(bytes, name, tenant, 2024, None)?;
    let (incoming, _) = prepared.incoming("demo", name);
    Ok(incoming
        .iter()
        .enumerate()
        .map(|(i, r)| sinergi_umkm::er_record(&format!("{name}-{i}"), &r.record, tenant))
        .collect())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(48_000);
    let tenant = RegionCode::parse("36.04")?;
    let mut registry: Vec<ErRecord> = sinergi_synth::businesses(n, 2025)?
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let record = SourceRecord {
                business_name: b.name.clone(),
                owner_name: Some(b.owner.clone()),
                nik: Nik::parse(&b.nik).ok(),
                nib: b.nib.as_deref().and_then(|n| Nib::parse(n).ok()),
                kbli: KbliCode::parse(&b.kbli).ok().into_iter().collect(),
                address: Some(b.address.clone()),
                desa: RegionCode::parse(&b.desa_code).ok(),
                kecamatan: RegionCode::parse(&b.kecamatan_code).ok(),
                kab_kota: Some(tenant.clone()),
                phone: Phone::parse(&b.phone).ok(),
                year: 2024,
                ..Default::default()
            };
            sinergi_umkm::er_record(&format!("seed-{i}"), &record, &tenant)
        })
        .collect();
    // The demo imports the training list and the OSS export with a model trained on the seeds
    // and the training list; the server then trains afresh on all of it.
    let demo_model = choose(&[registry.clone(), file(&tenant, 0)?].concat());
    let mut demo = Index::new(demo_model, Thresholds::default());
    demo.add_batch_quiet(&registry);
    for k in [0, 1] {
        let batch = file(&tenant, k)?;
        report(FILES[k].0, &demo.add_batch(&batch));
        registry.extend(batch);
    }
    let t = std::time::Instant::now();
    let model = choose(&registry);
    eprintln!("plausible {}", model.is_plausible());
    eprintln!("trained in {:.1}s: lambda {:.5}, {:?}", t.elapsed().as_secs_f64(), model.lambda, model.training);
    let mut index = Index::new(model.clone(), Thresholds::default());
    index.add_batch_quiet(&registry);
    let weights: Vec<String> = FIELDS
        .iter()
        .zip(&model.fields)
        .map(|(f, p)| {
            let w: Vec<String> = (1..p.m.len()).map(|l| format!("{:.1}", (p.m[l] / p.u[l]).log2())).collect();
            format!("{}: {}", f.name(), w.join(" "))
        })
        .collect();
    eprintln!("prior {:.2}; weights\n  {}", model.prior_weight(), weights.join("\n  "));
    let mut review = 0;
    for k in [2, 0, 3] {
        let d = index.add_batch(&file(&tenant, k)?);
        review += d.iter().filter(|d| d.outcome == Outcome::Review).count();
        report(FILES[k].0, &d);
    }
    println!("review total {review}");
    Ok(())
}

fn choose(registry: &[ErRecord]) -> sinergi_engines::er::Model {
    sinergi_umkm::registry_model(registry.to_vec())
}

fn report(name: &str, decisions: &[sinergi_engines::er::Decision]) {
    let count = |o| decisions.iter().filter(|d| d.outcome == o).count();
    println!("{name}: {} auto, {} review, {} new", count(Outcome::Auto), count(Outcome::Review), count(Outcome::New));
    for d in decisions {
        let best = d.candidates.first().map(|c| format!("{} p={:.4} w={:.2}", c.record_id, c.probability, c.weight));
        println!("  {} {:?} {}", d.record_id, d.outcome, best.unwrap_or_default());
    }
}

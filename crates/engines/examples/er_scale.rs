//! Entity resolution at scale on generated records, in one process: wall time, peak RSS and
//! pairwise F1 of `er::dedup` (the same records as `sinergi gen umkm --seed 2026`).
//!
//!     cargo run --release -p sinergi-engines --example er_scale -- 1000000 [seed]
//!
//! For profiling and quick checks while changing the engine; the benchmark of record is
//! `bench/er/run.sh`, which also runs Splink.

use std::collections::HashMap;
use std::time::Instant;

use sinergi_engines::er::{ErRecord, Index, Model, Thresholds, TrainOptions};
use sinergi_synth::UmkmRecord;

fn to_er(r: &UmkmRecord) -> ErRecord {
    let cols = [
        ("record_id", r.record_id.as_str()),
        ("source", &r.source),
        ("business_name", &r.business_name),
        ("owner_name", &r.owner_name),
        ("nik", &r.nik),
        ("nib", &r.nib),
        ("phone", &r.phone),
        ("address", &r.address),
        ("desa", &r.desa),
        ("kecamatan", &r.kecamatan),
        ("kabupaten_kota", &r.kabupaten_kota),
        ("kbli", &r.kbli),
        ("omzet_raw", &r.omzet_raw),
    ];
    ErRecord::from_lookup(|c| cols.iter().find(|(k, _)| *k == c).map(|(_, v)| *v))
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

fn pairwise(predicted: &[u32], truth: &[u32]) -> (f64, f64, f64) {
    let mut p: HashMap<u32, u64> = HashMap::new();
    let mut t: HashMap<u32, u64> = HashMap::new();
    let mut both: HashMap<(u32, u32), u64> = HashMap::new();
    for (a, b) in predicted.iter().zip(truth) {
        *p.entry(*a).or_default() += 1;
        *t.entry(*b).or_default() += 1;
        *both.entry((*a, *b)).or_default() += 1;
    }
    let tp: u64 = both.values().map(|n| pairs(*n)).sum();
    let pp: u64 = p.values().map(|n| pairs(*n)).sum();
    let tt: u64 = t.values().map(|n| pairs(*n)).sum();
    let precision = tp as f64 / pp.max(1) as f64;
    let recall = tp as f64 / tt.max(1) as f64;
    (precision, recall, 2.0 * precision * recall / (precision + recall).max(1e-12))
}

fn peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2026);
    let t = Instant::now();
    let rows = sinergi_synth::records(n, seed).expect("generated records");
    let truth: Vec<u32> = rows.iter().map(|r| r.true_id).collect();
    let records: Vec<ErRecord> = rows.iter().map(to_er).collect();
    drop(rows);
    eprintln!("generated {n} in {:.2}s, peak RSS {} MB", t.elapsed().as_secs_f64(), peak_rss_mb());
    let t = Instant::now();
    // A third argument: a model (JSON) to use instead of training on the records.
    let (index, review) = match args.next() {
        Some(path) => {
            let text = std::fs::read_to_string(&path).expect("model file");
            let model: Model = serde_json::from_str(&text).expect("model JSON");
            Index::try_with_records(model, Thresholds::default(), records.iter().map(Ok::<_, ()>)).expect("index")
        }
        None => Index::train_and_add(&records, &TrainOptions::default(), Thresholds::default()),
    };
    let clusters = index.clusters();
    let secs = t.elapsed().as_secs_f64();
    let model = index.model();
    eprintln!("lambda {:.5} training {:?}", model.lambda, model.training);
    // The pairs a person would be asked about (between the review and auto-link thresholds).
    eprintln!("review pairs {} ({:.2} per 100 records)", review.len(), review.len() as f64 * 100.0 / n as f64);
    for f in &model.fields {
        let w: Vec<String> = f.m.iter().zip(&f.u).skip(1).map(|(m, u)| format!("{:+.1}", (m / u).log2())).collect();
        eprintln!("  {:?}: {}", f.field, w.join(" "));
    }
    let _ = std::fs::write(format!("/tmp/er-model-{n}.json"), serde_json::to_string(model).unwrap_or_default());
    let (p, r, f1) = pairwise(&clusters, &truth);
    let mut sizes: HashMap<u32, u64> = HashMap::new();
    for c in &clusters {
        *sizes.entry(*c).or_default() += 1;
    }
    let mut top: Vec<u64> = sizes.values().copied().collect();
    top.sort_unstable_by(|a, b| b.cmp(a));
    let big_pairs: u64 = top.iter().filter(|s| **s > 5).map(|s| pairs(*s)).sum();
    let all_pairs: u64 = top.iter().map(|s| pairs(*s)).sum();
    eprintln!("largest clusters {:?}; pairs in clusters over 5: {big_pairs} of {all_pairs}", &top[..top.len().min(10)]);
    println!("n={n} dedup {secs:.2}s peak RSS {} MB precision={p:.4} recall={r:.4} f1={f1:.4}", peak_rss_mb());
}

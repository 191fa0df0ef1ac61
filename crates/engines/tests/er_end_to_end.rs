//! Entity resolution on generated UMKM records, scored against their ground truth.

use std::collections::HashMap;

use sinergi_engines::er::{self, ErRecord, Index, Outcome, Thresholds};
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

/// Pairwise precision, recall and F1 of predicted clusters against true ones.
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

#[test]
fn batch_dedup_finds_the_businesses() {
    let rows = sinergi_synth::records(20_000, 42).expect("records");
    let records: Vec<ErRecord> = rows.iter().map(to_er).collect();
    let truth: Vec<u32> = rows.iter().map(|r| r.true_id).collect();
    let clusters = er::dedup(&records, None, Thresholds::default());
    let (p, r, f1) = pairwise(&clusters, &truth);
    eprintln!("batch: precision {p:.4} recall {r:.4} F1 {f1:.4}");
    assert!(f1 >= 0.93, "pairwise F1 {f1:.4} (precision {p:.4}, recall {r:.4})");
}

#[test]
fn incremental_add_matches_the_registry() {
    let rows = sinergi_synth::records(20_000, 7).expect("records");
    let records: Vec<ErRecord> = rows.iter().map(to_er).collect();
    let truth: Vec<u32> = rows.iter().map(|r| r.true_id).collect();
    let (registry, new_file) = records.split_at(18_000);
    let model = er::train(registry, 1);
    let mut index = Index::new(model, Thresholds::default());
    index.add_batch(registry);
    let decisions = index.add_batch(new_file);
    assert_eq!(decisions.len(), new_file.len());
    // Every decision is explained, and auto links are right nearly always.
    let (mut auto, mut auto_right, mut review) = (0, 0, 0);
    for d in &decisions {
        assert_eq!(d.record_id, index.record_id(d.record));
        match d.outcome {
            Outcome::Auto => {
                auto += 1;
                let best = &d.candidates[0];
                assert!(best.probability >= index.thresholds().auto_link);
                assert_eq!(best.explanation.fields.len(), er::FIELDS.len());
                if truth[best.record as usize] == truth[d.record as usize] {
                    auto_right += 1;
                }
            }
            Outcome::Review => review += 1,
            Outcome::New => {}
        }
    }
    let share = auto_right as f64 / auto as f64;
    eprintln!("incremental: {auto} auto ({share:.4} right), {review} review, of {}", decisions.len());
    assert!(auto > decisions.len() / 3, "most new rows belong to known businesses: {auto}");
    assert!(share >= 0.95, "auto links right: {share:.4}");
    let (p, r, f1) = pairwise(&index.clusters(), &truth);
    eprintln!("incremental: precision {p:.4} recall {r:.4} F1 {f1:.4}");
    assert!(f1 >= 0.93, "pairwise F1 after the increment {f1:.4}");
}

#[test]
fn explanations_name_levels_and_weights() {
    let rows = sinergi_synth::records(2_000, 3).expect("records");
    let records: Vec<ErRecord> = rows.iter().map(to_er).collect();
    let model = er::train(&records, 3);
    let mut index = Index::new(model, Thresholds::default());
    index.add_batch(&records);
    let e = index.explain(0, 0);
    let name = &e.fields[0];
    assert_eq!(name.field, er::Field::BusinessName);
    if records[0].business_name.is_some() {
        assert_eq!(name.level, "exact");
        assert!(name.weight > 0.0);
        assert!(name.term_frequency.is_some());
    }
    let sum: f64 = e.prior_weight + e.fields.iter().map(|f| f.weight).sum::<f64>();
    assert!((sum - e.weight).abs() < 1e-9);
}

#[test]
fn a_probe_finds_the_duplicate_and_changes_nothing() {
    let rows = sinergi_synth::records(5_000, 11).expect("records");
    let records: Vec<ErRecord> = rows.iter().map(to_er).collect();
    let truth: Vec<u32> = rows.iter().map(|r| r.true_id).collect();
    let (registry, new_file) = records.split_at(4_500);
    let model = er::train(registry, 1);
    let mut probed = Index::new(model.clone(), Thresholds::default());
    probed.add_batch(registry);
    let mut untouched = Index::new(model, Thresholds::default());
    untouched.add_batch(registry);
    // Probe every new row: those whose business is known find it, among the first few.
    let (mut known, mut found) = (0, 0);
    for (k, r) in new_file.iter().enumerate() {
        let t = truth[registry.len() + k];
        let candidates = probed.probe(r, 0.5, 5);
        assert!(candidates.windows(2).all(|w| w[0].weight >= w[1].weight), "best first");
        for c in &candidates {
            assert!(
                c.probability >= 0.5 && (c.record as usize) < registry.len(),
                "{k}: {} {} {:?}",
                c.record,
                c.probability,
                c.explanation
            );
        }
        if truth[..registry.len()].contains(&t) {
            known += 1;
            if candidates.iter().any(|c| truth[c.record as usize] == t) {
                found += 1;
            }
        }
    }
    assert_eq!(probed.len(), registry.len(), "nothing was added");
    let share = f64::from(found) / f64::from(known.max(1));
    eprintln!("probe: {found} of {known} known businesses found");
    assert!(share >= 0.9, "probes find known businesses: {share:.3}");
    // The probes left no trace: adding the new file gives the same decisions either way.
    let a = probed.add_batch(new_file);
    let b = untouched.add_batch(new_file);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.outcome, y.outcome);
        assert_eq!(
            x.candidates.first().map(|c| (c.record, c.weight)),
            y.candidates.first().map(|c| (c.record, c.weight))
        );
    }
}

/// A generated file against a generated registry meets all three outcomes, each honestly:
/// linked automatically, sent to review (a probability between the thresholds), or new.
#[test]
fn a_generated_file_meets_all_three_outcomes() {
    let rows = sinergi_synth::records(10_000, 5).expect("records");
    let records: Vec<ErRecord> = rows.iter().map(to_er).collect();
    let (registry, new_file) = records.split_at(9_000);
    let model = er::train(registry, 1);
    assert!(model.is_plausible() && model.training.plausible, "{:?}", model.training);
    let thresholds = Thresholds::default();
    let mut index = Index::new(model, thresholds);
    index.add_batch(registry);
    let decisions = index.add_batch(new_file);
    let count = |o| decisions.iter().filter(|d| d.outcome == o).count();
    let (auto, review, new) = (count(Outcome::Auto), count(Outcome::Review), count(Outcome::New));
    eprintln!("three outcomes: {auto} auto, {review} review, {new} new");
    assert!(auto > 0 && new > 0, "{auto} auto, {new} new");
    // The review band is not a rounding error: at least one row in 200 is worth a look.
    assert!(review * 200 >= decisions.len(), "{review} review of {}", decisions.len());
    for d in decisions.iter().filter(|d| d.outcome == Outcome::Review) {
        let p = d.candidates[0].probability;
        assert!((thresholds.review..thresholds.auto_link).contains(&p), "{}: {p}", d.record_id);
    }
}

/// A registry of one record per business has nothing to teach what a duplicate looks like:
/// training says its model is not plausible (an exact business name counted against a match)
/// instead of handing back a model that puts every pair at 0 or 1.
#[test]
fn a_registry_without_duplicates_trains_no_plausible_model() {
    let records: Vec<ErRecord> = sinergi_synth::businesses(20_000, 2025)
        .expect("businesses")
        .into_iter()
        .map(|b| ErRecord {
            record_id: b.true_id.to_string(),
            business_name: Some(b.name),
            owner_name: Some(b.owner),
            nik: Some(b.nik),
            nib: b.nib,
            phone: Some(b.phone),
            desa: Some(b.desa_code),
            kecamatan: Some(b.kecamatan_code),
            kbli: Some(b.kbli),
            ..ErRecord::default()
        })
        .collect();
    let model = er::train(&records, 7);
    eprintln!("{:?}", model.training);
    assert!(!model.is_plausible());
    assert!(!model.training.plausible && model.training.restarted, "{:?}", model.training);
}

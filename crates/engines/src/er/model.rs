//! The Fellegi–Sunter model: per field and level, m = P(level | same business) and
//! u = P(level | different businesses); a pair's match weight is log2 of the prior odds plus
//! log2(m/u) of each non-null field.
//!
//! Training starts from Splink's recipe and deviates where the generated benchmark showed why:
//!
//! 1. **u from random record pairs** (Splink's `estimate_u_using_random_sampling`, 2 million
//!    pairs by default), add-one smoothed so that a level never seen among random pairs gets a
//!    large but finite weight. Kept as `u_random`: it is the reference of the term-frequency
//!    adjustment (and the u of a registry too small to have candidate pairs).
//! 2. **m, u and λ by EM over the candidate pairs** (the union of all blocking rules), with u
//!    free. Splink holds u at its random-pair value during EM; but the pairs the model ever
//!    scores are candidate pairs, whose non-matches share a kecamatan and a rare name word, so
//!    they agree on desa and name far more often than random pairs do. With u held fixed EM read
//!    that agreement as evidence of a match and converged to "every candidate pair matches"
//!    (in-block match share 1.0, m(phone differs) 0.96, pairwise F1 0.77 on 20,000 rows). With u
//!    estimated among candidates it converges to a 4% match share and F1 0.94.
//!    EM starts from u = each level's share among the candidate pairs (nearly all of which are
//!    non-matches) and λ = 1 %, not from the random-pair u: random pairs almost never agree on
//!    a name, so from there every candidate pair with an exact common name ("Toko Berkah") looked
//!    like a match in the first step, and on 1,000,000 records (where a kecamatan holds hundreds
//!    of different businesses of that name) EM followed them to a split of "same name" against
//!    "different name" instead of "same business" against "different business" (λ 0.22, every
//!    candidate linked, F1 0.00). From the candidates' own shares it stays with the businesses
//!    (F1 0.89 there; unchanged at 100,000).
//! 3. **λ is the share of matches among candidate pairs** (what EM estimates), not a prior for
//!    two random records from deterministic rules with a guessed recall: the model only ever
//!    scores candidate pairs, so that is the prior it needs.
//! 4. **No level is certain**: m and u are kept within [10⁻⁴, 1 − 10⁻⁴], so no single field
//!    moves the odds by more than about 13 bits. A level EM never saw among the matches (or
//!    the non-matches) would otherwise get m (or u) at 0 and a weight of ±20 bits, and one
//!    field would settle every pair on its own. What it costs and buys (`examples/er_scale`):
//!    pairwise F1 0.9336 → 0.9325 at 100,000 generated rows and 0.8909 → 0.8904 at
//!    1,000,000 (an exact NIK or phone alone links a little less); a floor of 10⁻⁵ keeps more
//!    of that F1 (0.9335, 0.8907) but leaves the demo's field check list (the same phone under
//!    another business name) linked outright where 10⁻⁴ sends it to review.
//! 5. **A model that reads agreement as evidence against a match is refused.** A registry of
//!    one record per business (the demo's 48,000 generated businesses) has next to no
//!    duplicates for EM to learn from; EM then splits the candidate pairs by whatever divides
//!    them (owners with several businesses) and ends with an exact business name *lowering*
//!    the odds, and every pair at 0 or 1. [`Model::is_plausible`] checks that agreeing on a
//!    name or an id counts for a match; when the first EM fails it, EM runs again from the
//!    random-pair u (the start before the 1,000,000-record work), and if that fails too the
//!    model says so ([`TrainingReport::plausible`]) for the caller to train with more data.
//! 6. **NIK and phone identify the owner, not the business**: their exact level is split by
//!    whether the business names are "different", so the model learns that one person runs
//!    several businesses instead of linking them all.
//!
//! EM runs on the counts of each comparison pattern, never on the pairs, so training holds a
//! few thousand numbers however many pairs there are; and on the candidate pairs of records
//! taken in a seeded random order until 2 million pairs are counted, which estimates the same
//! pattern frequencies at a fraction of the cost of comparing every candidate pair twice.
//!
//! At scoring time the exact levels of the business and owner names are term-frequency adjusted
//! as Splink's `term_frequency_adjustments` do: an exact "Barokah", which hundreds of businesses
//! are called, adds log2(u_random / share of records called "Barokah"), which is negative.

// Tables are indexed [field][level] and the loops say which level they are at.
#![allow(clippy::needless_range_loop)]

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::ErRecord;
use super::compare::{FIELDS, Field, Gamma, N_FIELDS};
use super::store::{Store, VIA_ID, VIA_WORD};

/// Levels per field at most, including null.
pub(crate) const MAX_LEVELS: usize = 16;
type Table = [[f64; MAX_LEVELS]; N_FIELDS];

/// m and u of one field, indexed by level (index 0, null, is unused and kept at 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldParams {
    pub field: Field,
    pub m: Vec<f64>,
    /// Among candidate pairs that are not matches.
    pub u: Vec<f64>,
    /// Among random pairs: the reference of the term-frequency adjustment.
    pub u_random: Vec<f64>,
}

/// What training saw, kept with the model so a stored model says where it came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingReport {
    pub records: u64,
    pub random_pairs: u64,
    /// Candidate pairs EM saw (a sample when there are more than `max_em_pairs`):
    /// found through a shared name word within a kecamatan.
    pub word_pairs: u64,
    /// Pairs found through a shared NIK, NIB or phone.
    pub id_pairs: u64,
    /// Distinct pairs found by either.
    pub blocked_pairs: u64,
    /// Expected share of matches among the blocked pairs.
    pub blocked_match_share: f64,
    /// Whether the model passed [`Model::is_plausible`] (models stored before the check
    /// read as plausible).
    #[serde(default = "plausible_by_default")]
    pub plausible: bool,
    /// Whether EM was run a second time, from the random-pair u, because the first run
    /// gave an implausible model.
    #[serde(default)]
    pub restarted: bool,
}

fn plausible_by_default() -> bool {
    true
}

/// A trained model; store it as JSON (`serde_json::to_string`) and load it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Prior probability that a candidate pair (two records the blocking rules bring together)
    /// describes one business.
    pub lambda: f64,
    pub fields: Vec<FieldParams>,
    pub training: TrainingReport,
}

#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Random pairs for u (Splink's `max_pairs`).
    pub max_pairs: u64,
    /// Candidate pairs for EM: records are taken in a seeded random order until their candidate
    /// pairs reach this many. EM needs pattern frequencies, not every pair.
    pub max_em_pairs: u64,
    pub em_iterations: usize,
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self { max_pairs: 2_000_000, max_em_pairs: 2_000_000, em_iterations: 30, seed: 0 }
    }
}

fn field_levels(f: Field) -> usize {
    f.levels().len()
}

/// The range m and u are kept in (see the module documentation, point 4).
const PROBABILITY_FLOOR: f64 = 1e-4;

/// Starting m: most of the mass on the strongest agreement, falling off by level.
fn initial_m() -> Table {
    let mut m = [[0.0; MAX_LEVELS]; N_FIELDS];
    for (fi, f) in FIELDS.iter().enumerate() {
        let n = field_levels(*f);
        let total: f64 = (1..n).map(|l| 0.25f64.powi(l as i32 - 1)).sum();
        for l in 1..n {
            m[fi][l] = 0.25f64.powi(l as i32 - 1) / total;
        }
    }
    m
}

impl Model {
    fn table(&self, which: u8) -> Table {
        let mut t = [[1.0; MAX_LEVELS]; N_FIELDS];
        for p in &self.fields {
            let fi = p.field.index();
            let v = match which {
                0 => &p.m,
                1 => &p.u,
                _ => &p.u_random,
            };
            for (l, x) in v.iter().enumerate().take(MAX_LEVELS) {
                t[fi][l] = *x;
            }
        }
        t
    }

    /// log2(m/u) per field and level (0 for null and for levels the model lacks).
    pub(crate) fn weights(&self) -> Table {
        let (m, u) = (self.table(0), self.table(1));
        let mut w = [[0.0; MAX_LEVELS]; N_FIELDS];
        for (fi, f) in FIELDS.iter().enumerate() {
            for l in 1..field_levels(*f) {
                w[fi][l] = (m[fi][l].max(1e-12) / u[fi][l].max(1e-12)).log2();
            }
        }
        w
    }

    /// u among random pairs of a field's level.
    pub(crate) fn u_random_of(&self, field: Field, level: u8) -> f64 {
        self.fields
            .iter()
            .find(|p| p.field == field)
            .and_then(|p| p.u_random.get(level as usize))
            .copied()
            .unwrap_or(1.0)
    }

    /// Whether the model reads agreement as a sign of the same business: an exact business
    /// name and an exact owner name count for a match and more than a different one does, and
    /// an exact NIK, NIB or phone counts more than a different one. A model trained on records
    /// with (next to) no duplicates fails this: EM found some other split of the pairs.
    pub fn is_plausible(&self) -> bool {
        let w = self.weights();
        let names = [Field::BusinessName, Field::OwnerName].iter().all(|&f| {
            let (exact, different) = (w[f.index()][1], w[f.index()][f.levels().len() - 1]);
            exact > 0.0 && exact > different
        });
        // NIK's and phone's last level is "exact, business names differ": compare with
        // "different" (level 3).
        let ids = [(Field::Nik, 3), (Field::Nib, 2), (Field::Phone, 3)]
            .iter()
            .all(|&(f, different)| w[f.index()][1] > w[f.index()][different]);
        names && ids
    }

    /// log2 of the prior odds.
    pub fn prior_weight(&self) -> f64 {
        let l = self.lambda.clamp(1e-15, 1.0 - 1e-9);
        (l / (1.0 - l)).log2()
    }

    /// A model with untrained, generic parameters: only a stand-in until training has run.
    pub(crate) fn placeholder() -> Model {
        let init = initial_m();
        let mut u = [[0.0; MAX_LEVELS]; N_FIELDS];
        for (fi, f) in FIELDS.iter().enumerate() {
            let k = field_levels(*f);
            for l in 1..k {
                u[fi][l] = 1.0 / (k - 1) as f64;
            }
        }
        Model::from_tables(1e-3, &init, &u, &u, TrainingReport::default())
    }

    fn from_tables(lambda: f64, m: &Table, u: &Table, u_random: &Table, training: TrainingReport) -> Model {
        let fields = FIELDS
            .iter()
            .enumerate()
            .map(|(fi, f)| {
                let n = field_levels(*f);
                let mut mv = m[fi][..n].to_vec();
                let mut uv = u[fi][..n].to_vec();
                let mut rv = u_random[fi][..n].to_vec();
                mv[0] = 1.0;
                uv[0] = 1.0;
                rv[0] = 1.0;
                FieldParams { field: *f, m: mv, u: uv, u_random: rv }
            })
            .collect();
        Model { lambda, fields, training }
    }
}

/// Trains a model on the records (2 million random pairs for u, EM on up to 2 million
/// candidate pairs).
pub fn train(records: &[ErRecord], seed: u64) -> Model {
    train_with(records, &TrainOptions { seed, ..TrainOptions::default() })
}

pub fn train_with(records: &[ErRecord], options: &TrainOptions) -> Model {
    let mut store = Store::default();
    for r in records {
        store.push(r);
    }
    store.block_range(0..store.len() as u32);
    train_on_store(&store, options)
}

type Patterns = FxHashMap<u32, u64>;

/// EM's starting share of matches among candidate pairs: each record has about one true partner
/// among its tens to hundreds of candidates.
const EM_START_SHARE: f64 = 0.01;

pub(crate) fn train_on_store(store: &Store, options: &TrainOptions) -> Model {
    let n = store.len() as u64;
    let possible = n * n.saturating_sub(1) / 2;
    let random_pairs = options.max_pairs.min(possible);
    let u_random = estimate_u(store, random_pairs, options.seed);

    let (words, ids, union) = blocked_patterns(store, options.max_em_pairs, options.seed);
    let sum = |p: &Patterns| p.values().sum::<u64>();
    let mut patterns: Vec<(Gamma, f64)> = union.iter().map(|(k, c)| (Gamma::unpack(*k), *c as f64)).collect();
    // HashMap order is not the seed's to choose; sort so training is reproducible to the bit.
    patterns.sort_unstable_by_key(|(g, _)| g.pack());
    let training = TrainingReport {
        records: n,
        random_pairs,
        word_pairs: sum(&words),
        id_pairs: sum(&ids),
        blocked_pairs: sum(&union),
        blocked_match_share: 1e-3,
        plausible: true,
        restarted: false,
    };
    if patterns.is_empty() {
        return Model::from_tables(1e-3, &initial_m(), &u_random, &u_random, training);
    }
    let fit = |u0: &Table, share: f64, training: TrainingReport| {
        let (m, u, share) = em(&patterns, &initial_m(), u0, share, options.em_iterations);
        let mut model =
            Model::from_tables(share, &m, &u, &u_random, TrainingReport { blocked_match_share: share, ..training });
        model.training.plausible = model.is_plausible();
        model
    };
    let first = fit(&candidate_shares(&patterns), EM_START_SHARE, training.clone());
    if first.training.plausible {
        return first;
    }
    // The start used before the candidates' own shares: u from random pairs, 10 % matches.
    let second = fit(&u_random, 0.1, TrainingReport { restarted: true, ..training });
    if second.training.plausible {
        return second;
    }
    let mut first = first;
    first.training.restarted = true;
    first
}

/// u per field and level from random pairs, in parallel chunks that each have their own
/// seeded generator, so the result depends on the seed only.
fn estimate_u(store: &Store, pairs: u64, seed: u64) -> Table {
    const CHUNK: u64 = 1 << 16;
    let n = store.len() as u32;
    let mut u = [[0.0; MAX_LEVELS]; N_FIELDS];
    if n < 2 || pairs == 0 {
        for (fi, f) in FIELDS.iter().enumerate() {
            let k = field_levels(*f);
            for l in 1..k {
                u[fi][l] = 1.0 / (k - 1) as f64;
            }
        }
        return u;
    }
    let chunks = pairs.div_ceil(CHUNK);
    let counts = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ c.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut counts = [[0u64; MAX_LEVELS]; N_FIELDS];
            let len = CHUNK.min(pairs - c * CHUNK);
            for _ in 0..len {
                let a = rng.random_range(0..n);
                let mut b = rng.random_range(0..n - 1);
                if b >= a {
                    b += 1;
                }
                let g = store.gamma(a, b);
                for (fi, l) in g.0.iter().enumerate() {
                    counts[fi][*l as usize] += 1;
                }
            }
            counts
        })
        .reduce(
            || [[0u64; MAX_LEVELS]; N_FIELDS],
            |mut a, b| {
                for (ra, rb) in a.iter_mut().zip(b.iter()) {
                    for (x, y) in ra.iter_mut().zip(rb.iter()) {
                        *x += y;
                    }
                }
                a
            },
        );
    for (fi, f) in FIELDS.iter().enumerate() {
        let k = field_levels(*f);
        let total: u64 = counts[fi][1..k].iter().sum();
        for l in 1..k {
            u[fi][l] = (counts[fi][l] as f64 + 1.0) / (total as f64 + (k - 1) as f64);
        }
    }
    u
}

/// Comparison patterns of candidate pairs (found via a name word, via an id, either), from
/// records taken in a seeded random order, a chunk at a time, until `max_pairs` are counted.
fn blocked_patterns(store: &Store, max_pairs: u64, seed: u64) -> (Patterns, Patterns, Patterns) {
    const CHUNK: usize = 4096;
    let mut order: Vec<u32> = (0..store.len() as u32).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed.wrapping_add(1)));
    let merge = |mut a: Patterns, b: Patterns| {
        for (k, v) in b {
            *a.entry(k).or_default() += v;
        }
        a
    };
    let mut all = (Patterns::default(), Patterns::default(), Patterns::default());
    for chunk in order.chunks(CHUNK) {
        if all.2.values().sum::<u64>() >= max_pairs {
            break;
        }
        let (w, i, u) = chunk
            .par_iter()
            .with_min_len(64)
            .fold(
                || (Vec::new(), Patterns::default(), Patterns::default(), Patterns::default()),
                |(mut buf, mut w, mut i, mut u), &ix| {
                    store.candidates(ix, ix, &mut buf);
                    for &(c, via) in &buf {
                        let p = store.gamma(ix, c).pack();
                        if via & VIA_WORD != 0 {
                            *w.entry(p).or_default() += 1;
                        }
                        if via & VIA_ID != 0 {
                            *i.entry(p).or_default() += 1;
                        }
                        *u.entry(p).or_default() += 1;
                    }
                    (buf, w, i, u)
                },
            )
            .map(|(_, w, i, u)| (w, i, u))
            .reduce(
                || (Patterns::default(), Patterns::default(), Patterns::default()),
                |a, b| (merge(a.0, b.0), merge(a.1, b.1), merge(a.2, b.2)),
            );
        all = (merge(all.0, w), merge(all.1, i), merge(all.2, u));
    }
    all
}

/// Each field's share of each level among the candidate pairs (add-one smoothed).
fn candidate_shares(patterns: &[(Gamma, f64)]) -> Table {
    let mut counts = [[0.0f64; MAX_LEVELS]; N_FIELDS];
    for (g, c) in patterns {
        for (fi, l) in g.0.iter().enumerate() {
            counts[fi][*l as usize] += c;
        }
    }
    let mut u = [[0.0; MAX_LEVELS]; N_FIELDS];
    for (fi, f) in FIELDS.iter().enumerate() {
        let k = field_levels(*f);
        let total: f64 = counts[fi][1..k].iter().sum();
        for l in 1..k {
            u[fi][l] = (counts[fi][l] + 1.0) / (total + (k - 1) as f64);
        }
    }
    u
}

fn log_odds(g: &Gamma, m: &Table, u: &Table) -> f64 {
    let mut w = 0.0;
    for (fi, l) in g.0.iter().enumerate() {
        let l = *l as usize;
        if l != 0 {
            w += (m[fi][l].max(1e-12) / u[fi][l].max(1e-12)).ln();
        }
    }
    w
}

fn posterior(prior: f64, w: f64) -> f64 {
    let odds = (prior / (1.0 - prior)).ln() + w;
    1.0 / (1.0 + (-odds).exp())
}

/// EM over m, u and the share of matches among the candidate pairs' patterns, started from
/// the generic m and the given u and share.
fn em(patterns: &[(Gamma, f64)], m0: &Table, u0: &Table, prior: f64, iterations: usize) -> (Table, Table, f64) {
    let (mut m, mut u, mut lambda) = (*m0, *u0, prior);
    let total: f64 = patterns.iter().map(|(_, c)| c).sum();
    for _ in 0..iterations {
        let mut mc = [[0.0f64; MAX_LEVELS]; N_FIELDS];
        let mut uc = [[0.0f64; MAX_LEVELS]; N_FIELDS];
        let mut matched = 0.0;
        for (g, c) in patterns {
            let p = posterior(lambda, log_odds(g, &m, &u));
            matched += p * c;
            for (fi, l) in g.0.iter().enumerate() {
                if *l != 0 {
                    mc[fi][*l as usize] += p * c;
                    uc[fi][*l as usize] += (1.0 - p) * c;
                }
            }
        }
        let next_lambda = (matched / total).clamp(1e-9, 1.0 - 1e-9);
        let mut change = (next_lambda - lambda).abs();
        lambda = next_lambda;
        for (fi, f) in FIELDS.iter().enumerate() {
            let k = field_levels(*f);
            for (table, counts) in [(&mut m, &mc), (&mut u, &uc)] {
                let sum: f64 = counts[fi][1..k].iter().sum();
                if sum <= 0.0 {
                    continue;
                }
                for l in 1..k {
                    let next = (counts[fi][l] / sum).clamp(PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR);
                    change = change.max((next - table[fi][l]).abs());
                    table[fi][l] = next;
                }
            }
        }
        if change < 1e-6 {
            break;
        }
    }
    (m, u, lambda)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn em_recovers_a_planted_split() {
        // Three fields with levels exact/different (identifiable: 7 patterns' worth of degrees of
        // freedom for 7 parameters); matches agree 90%, non-matches 5%.
        let mut u = [[1.0; MAX_LEVELS]; N_FIELDS];
        let mut init = initial_m();
        for fi in 0..N_FIELDS {
            init[fi][1] = 0.6;
            init[fi][2] = 0.4;
            // Start u off the truth: EM estimates it among the candidate pairs.
            u[fi][1] = 0.2;
            u[fi][2] = 0.8;
        }
        let pa = |l: u8, p: f64| if l == 1 { p } else { 1.0 - p };
        let mut patterns = Vec::new();
        for a in 1..=2u8 {
            for b in 1..=2u8 {
                for c in 1..=2u8 {
                    let matches = 300.0 * pa(a, 0.9) * pa(b, 0.9) * pa(c, 0.9);
                    let non = 700.0 * pa(a, 0.05) * pa(b, 0.05) * pa(c, 0.05);
                    let mut g = [0u8; N_FIELDS];
                    g[0] = a;
                    g[1] = b;
                    g[2] = c;
                    patterns.push((Gamma(g), matches + non));
                }
            }
        }
        let (m, u, lambda) = em(&patterns, &init, &u, 0.5, 1000);
        assert!((lambda - 0.3).abs() < 0.02, "lambda {lambda}");
        assert!((m[0][1] - 0.9).abs() < 0.03, "m {}", m[0][1]);
        assert!((u[0][1] - 0.05).abs() < 0.03, "u {}", u[0][1]);
    }

    #[test]
    fn model_round_trips_through_json() {
        let m = Model::from_tables(0.001, &initial_m(), &initial_m(), &initial_m(), TrainingReport::default());
        let json = serde_json::to_string(&m).expect("serialise");
        let back: Model = serde_json::from_str(&json).expect("deserialise");
        // serde_json parses floats to within an ulp unless its `float_roundtrip` feature is on.
        assert_eq!(back.fields.len(), m.fields.len());
        for (a, b) in back.fields.iter().zip(&m.fields) {
            assert_eq!(a.field, b.field);
            for (x, y) in a.m.iter().chain(&a.u).zip(b.m.iter().chain(&b.u)) {
                assert!((x - y).abs() < 1e-12);
            }
        }
        assert_eq!(back.lambda, m.lambda);
    }
}

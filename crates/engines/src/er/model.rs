//! The Fellegi–Sunter model: per field and level, m = P(level | same business) and
//! u = P(level | different businesses); a pair's match weight is log2 of the prior odds plus
//! log2(m/u) of each non-null field.
//!
//! Training follows Splink's recipe, with three deliberate deviations:
//!
//! 1. **u** from random record pairs (Splink's `estimate_u_using_random_sampling`), with add-one
//!    smoothing so that a level never seen among random pairs (two random records with the same
//!    NIK) gets a large but finite weight instead of an infinite one.
//! 2. **m** by expectation–maximisation with u held fixed, in two sessions like Splink's
//!    `estimate_parameters_using_expectation_maximisation` over two blocking rules: the pairs found
//!    through a shared name word within a kecamatan (kecamatan is not estimated there: it agrees
//!    by construction) and the pairs found through a shared NIK, NIB or phone (those three are not
//!    estimated there). A field's m is the mean over the sessions that estimate it, as in Splink.
//!    Deviation: the sessions run on the counts of each comparison pattern, not on the pairs, so
//!    training holds a few thousand numbers however many pairs there are.
//! 3. **λ** (the prior that two random records match) is not taken from deterministic rules with
//!    a guessed recall (Splink's `estimate_probability_two_random_records_match`): it is the
//!    expected number of matching pairs among all blocked pairs under the trained m and u (one
//!    more EM pass over λ alone), divided by the number of possible pairs. No recall to guess,
//!    and it counts matches that no single rule finds.
//!
//! At scoring time the exact levels of the business and owner names are term-frequency adjusted,
//! as Splink's `term_frequency_adjustments`: an exact "Barokah", which hundreds of businesses are
//! called, counts log2(m / share of records called "Barokah") instead of log2(m / u).

// Tables are indexed [field][level] and the loops say which level they are at.
#![allow(clippy::needless_range_loop)]

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
    pub u: Vec<f64>,
}

/// What training saw, kept with the model so a stored model says where it came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingReport {
    pub records: u64,
    pub random_pairs: u64,
    /// Pairs found through a shared name word within a kecamatan.
    pub word_pairs: u64,
    /// Pairs found through a shared NIK, NIB or phone.
    pub id_pairs: u64,
    /// Distinct pairs found by either.
    pub blocked_pairs: u64,
    /// Expected share of matches among the blocked pairs.
    pub blocked_match_share: f64,
}

/// A trained model; store it as JSON (`serde_json::to_string`) and load it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Prior probability that two records drawn at random describe the same business.
    pub lambda: f64,
    pub fields: Vec<FieldParams>,
    pub training: TrainingReport,
}

#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Random pairs for u (Splink's `max_pairs`).
    pub max_pairs: u64,
    pub em_iterations: usize,
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self { max_pairs: 5_000_000, em_iterations: 30, seed: 0 }
    }
}

fn field_levels(f: Field) -> usize {
    f.levels().len()
}

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
    fn table(&self, m: bool) -> Table {
        let mut t = [[1.0; MAX_LEVELS]; N_FIELDS];
        for p in &self.fields {
            let fi = p.field.index();
            let v = if m { &p.m } else { &p.u };
            for (l, x) in v.iter().enumerate().take(MAX_LEVELS) {
                t[fi][l] = *x;
            }
        }
        t
    }

    /// log2(m/u) per field and level (0 for null and for levels the model lacks).
    pub(crate) fn weights(&self) -> Table {
        let (m, u) = (self.table(true), self.table(false));
        let mut w = [[0.0; MAX_LEVELS]; N_FIELDS];
        for (fi, f) in FIELDS.iter().enumerate() {
            for l in 1..field_levels(*f) {
                w[fi][l] = (m[fi][l].max(1e-12) / u[fi][l].max(1e-12)).log2();
            }
        }
        w
    }

    pub(crate) fn m_of(&self, field: Field, level: u8) -> f64 {
        self.fields.iter().find(|p| p.field == field).and_then(|p| p.m.get(level as usize)).copied().unwrap_or(1.0)
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
        Model::from_tables(1e-6, &init, &u, TrainingReport::default())
    }

    fn from_tables(lambda: f64, m: &Table, u: &Table, training: TrainingReport) -> Model {
        let fields = FIELDS
            .iter()
            .enumerate()
            .map(|(fi, f)| {
                let n = field_levels(*f);
                let mut mv = m[fi][..n].to_vec();
                let mut uv = u[fi][..n].to_vec();
                mv[0] = 1.0;
                uv[0] = 1.0;
                FieldParams { field: *f, m: mv, u: uv }
            })
            .collect();
        Model { lambda, fields, training }
    }
}

/// Trains a model on the records, with Splink-like defaults (5 million random pairs for u).
pub fn train(records: &[ErRecord], seed: u64) -> Model {
    train_with(records, &TrainOptions { seed, ..TrainOptions::default() })
}

pub fn train_with(records: &[ErRecord], options: &TrainOptions) -> Model {
    let mut store = Store::default();
    for r in records {
        store.push(r);
    }
    for ix in 0..store.len() as u32 {
        store.block(ix);
    }
    train_on_store(&store, options)
}

type Patterns = FxHashMap<u32, u64>;

pub(crate) fn train_on_store(store: &Store, options: &TrainOptions) -> Model {
    let n = store.len() as u64;
    let possible = n * n.saturating_sub(1) / 2;
    let u = estimate_u(store, options.max_pairs.min(possible), options.seed);
    let random_pairs = options.max_pairs.min(possible);

    let (words, ids, union) = blocked_patterns(store);
    let sum = |p: &Patterns| p.values().sum::<u64>();
    let to_vec =
        |p: &Patterns| -> Vec<(Gamma, f64)> { p.iter().map(|(k, c)| (Gamma::unpack(*k), *c as f64)).collect() };
    let (words_v, ids_v, union_v) = (to_vec(&words), to_vec(&ids), to_vec(&union));

    let kec = Field::Kecamatan.index();
    let id_fields = [Field::Nik.index(), Field::Nib.index(), Field::Phone.index()];
    let mut active_words = [true; N_FIELDS];
    active_words[kec] = false;
    let mut active_ids = [true; N_FIELDS];
    for f in id_fields {
        active_ids[f] = false;
    }
    let init = initial_m();
    let sessions: Vec<(Table, [bool; N_FIELDS])> = [(&words_v, active_words), (&ids_v, active_ids)]
        .into_iter()
        .filter(|(p, _)| !p.is_empty())
        .map(|(p, active)| (em(p, &u, &init, &active, 0.1, options.em_iterations).0, active))
        .collect();
    let mut m = init;
    for (fi, f) in FIELDS.iter().enumerate() {
        let estimates: Vec<&Table> = sessions.iter().filter(|(_, a)| a[fi]).map(|(t, _)| t).collect();
        if estimates.is_empty() {
            continue;
        }
        for l in 1..field_levels(*f) {
            m[fi][l] = estimates.iter().map(|t| t[fi][l]).sum::<f64>() / estimates.len() as f64;
        }
    }
    let share = if union_v.is_empty() { 0.0 } else { lambda_only(&union_v, &m, &u, options.em_iterations) };
    let blocked = sum(&union);
    let lambda = if possible == 0 { 1e-6 } else { (share * blocked as f64 / possible as f64).max(1e-12) };
    let training = TrainingReport {
        records: n,
        random_pairs,
        word_pairs: sum(&words),
        id_pairs: sum(&ids),
        blocked_pairs: blocked,
        blocked_match_share: share,
    };
    Model::from_tables(lambda, &m, &u, training)
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

/// Comparison patterns of the blocked pairs: (found via a name word, via an id, either).
fn blocked_patterns(store: &Store) -> (Patterns, Patterns, Patterns) {
    let n = store.len() as u32;
    let merge = |mut a: Patterns, b: Patterns| {
        for (k, v) in b {
            *a.entry(k).or_default() += v;
        }
        a
    };
    let (w, i, u) = (0..n)
        .into_par_iter()
        .with_min_len(512)
        .fold(
            || (Vec::new(), Patterns::default(), Patterns::default(), Patterns::default()),
            |(mut buf, mut w, mut i, mut u), ix| {
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
    (w, i, u)
}

fn log_odds(g: &Gamma, m: &Table, u: &Table, active: &[bool; N_FIELDS]) -> f64 {
    let mut w = 0.0;
    for (fi, l) in g.0.iter().enumerate() {
        let l = *l as usize;
        if l == 0 || !active[fi] {
            continue;
        }
        w += (m[fi][l].max(1e-12) / u[fi][l].max(1e-12)).ln();
    }
    w
}

fn posterior(prior: f64, w: f64) -> f64 {
    let odds = (prior / (1.0 - prior)).ln() + w;
    1.0 / (1.0 + (-odds).exp())
}

/// EM over m and the in-block match share, u fixed; fields not `active` are left out.
fn em(
    patterns: &[(Gamma, f64)],
    u: &Table,
    init: &Table,
    active: &[bool; N_FIELDS],
    prior: f64,
    iterations: usize,
) -> (Table, f64) {
    let mut m = *init;
    let mut lambda = prior;
    let total: f64 = patterns.iter().map(|(_, c)| c).sum();
    for _ in 0..iterations {
        let mut counts = [[0.0f64; MAX_LEVELS]; N_FIELDS];
        let mut matched = 0.0;
        for (g, c) in patterns {
            let p = posterior(lambda, log_odds(g, &m, u, active)) * c;
            matched += p;
            for (fi, l) in g.0.iter().enumerate() {
                if *l != 0 && active[fi] {
                    counts[fi][*l as usize] += p;
                }
            }
        }
        let next_lambda = (matched / total).clamp(1e-9, 1.0 - 1e-9);
        let mut change = (next_lambda - lambda).abs();
        lambda = next_lambda;
        for (fi, f) in FIELDS.iter().enumerate() {
            if !active[fi] {
                continue;
            }
            let k = field_levels(*f);
            let sum: f64 = counts[fi][1..k].iter().sum();
            if sum <= 0.0 {
                continue;
            }
            for l in 1..k {
                let next = (counts[fi][l] / sum).max(1e-6);
                change = change.max((next - m[fi][l]).abs());
                m[fi][l] = next;
            }
        }
        if change < 1e-6 {
            break;
        }
    }
    (m, lambda)
}

/// The share of matches among the patterns with m and u fixed.
fn lambda_only(patterns: &[(Gamma, f64)], m: &Table, u: &Table, iterations: usize) -> f64 {
    let all = [true; N_FIELDS];
    let total: f64 = patterns.iter().map(|(_, c)| c).sum();
    let weights: Vec<f64> = patterns.iter().map(|(g, _)| log_odds(g, m, u, &all)).collect();
    let mut lambda = 0.1;
    for _ in 0..iterations.max(50) {
        let matched: f64 = patterns.iter().zip(&weights).map(|((_, c), w)| posterior(lambda, *w) * c).sum();
        let next = (matched / total).clamp(1e-9, 1.0 - 1e-9);
        if (next - lambda).abs() < 1e-9 {
            lambda = next;
            break;
        }
        lambda = next;
    }
    lambda
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn em_recovers_a_planted_split() {
        // Two fields with levels exact/different; matches agree 90%, non-matches 5%.
        let mut u = [[1.0; MAX_LEVELS]; N_FIELDS];
        let mut init = initial_m();
        for fi in 0..N_FIELDS {
            u[fi][1] = 0.05;
            u[fi][2] = 0.95;
            init[fi][1] = 0.6;
            init[fi][2] = 0.4;
        }
        let mut patterns = Vec::new();
        for a in 1..=2u8 {
            for b in 1..=2u8 {
                let pa = |l: u8, p: f64| if l == 1 { p } else { 1.0 - p };
                let matches = 300.0 * pa(a, 0.9) * pa(b, 0.9);
                let non = 700.0 * pa(a, 0.05) * pa(b, 0.05);
                let mut g = [0u8; N_FIELDS];
                g[0] = a;
                g[1] = b;
                patterns.push((Gamma(g), matches + non));
            }
        }
        let active = {
            let mut a = [false; N_FIELDS];
            a[0] = true;
            a[1] = true;
            a
        };
        let (m, lambda) = em(&patterns, &u, &init, &active, 0.5, 200);
        assert!((lambda - 0.3).abs() < 0.02, "lambda {lambda}");
        assert!((m[0][1] - 0.9).abs() < 0.03, "m {}", m[0][1]);
    }

    #[test]
    fn model_round_trips_through_json() {
        let m = Model::from_tables(0.001, &initial_m(), &initial_m(), TrainingReport::default());
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

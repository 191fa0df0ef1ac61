//! The registry as the engine holds it: every record's features, the blocking index, and the
//! clusters (one per business). New records are compared with the batch they came in and with
//! everything already indexed, never by re-running the whole registry.

use std::borrow::Borrow;
use std::convert::Infallible;
use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::ErRecord;
use super::compare;
use super::compare::{FIELDS, Field, Gamma, N_FIELDS};
use super::model::{MAX_LEVELS, Model, TrainOptions, train_on_store};
use super::store::Store;

/// Where the match probability sends a pair.
///
/// The defaults come from generated data (`bench/entity-resolution.md`): pairwise F1 of the
/// clusters peaks between 0.8 and 0.9 (precision 0.93, recall 0.96 on 20,000 rows); pairs from
/// 0.5 to 0.9 are a few per hundred records and the ones worth a person's look.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// At or above: linked automatically.
    pub auto_link: f64,
    /// At or above (and below `auto_link`): sent to the review queue. Below: a new business.
    pub review: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self { auto_link: 0.9, review: 0.5 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Joined to an existing business.
    Auto,
    /// Possibly an existing business: a person decides ([`Index::confirm`]).
    Review,
    /// A business not seen before.
    New,
}

/// One field's part in a match weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldWeight {
    pub field: Field,
    /// The comparison level: "exact", "jaro-winkler ≥ 0.92", "null", ...
    pub level: &'static str,
    /// log2(m/u); 0 for null.
    pub weight: f64,
    /// For a term-frequency-adjusted exact name: the share of records with that name.
    pub term_frequency: Option<f64>,
}

/// Why two records were (or were not) linked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// log2 of the prior odds that two records match.
    pub prior_weight: f64,
    pub fields: Vec<FieldWeight>,
    /// prior_weight + the field weights.
    pub weight: f64,
    pub probability: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Position of the other record in the index.
    pub record: u32,
    pub record_id: String,
    pub weight: f64,
    pub probability: f64,
    pub explanation: Explanation,
}

/// What happened to one new record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// Position of the record in the index.
    pub record: u32,
    pub record_id: String,
    pub outcome: Outcome,
    /// The record's cluster after the batch: the position of the oldest record of its business.
    pub cluster: u32,
    /// The best candidates, best first (at most [`MAX_CANDIDATES`]): every pair at or above the
    /// review threshold, or else the nearest record, so a "new" decision can be explained too.
    pub candidates: Vec<Candidate>,
}

/// A pair in the review band, reported and not joined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReviewPair {
    pub a: u32,
    pub b: u32,
    pub probability: f64,
}

pub const MAX_CANDIDATES: usize = 3;

#[derive(Debug, Clone, Copy)]
struct Link {
    a: u32,
    b: u32,
    weight: f32,
}

/// The term-frequency adjustment of each interned string as an exact business name and owner
/// name, computed once per scoring pass: per candidate pair it was a log2 for every pair of
/// equal names, and common names make many of those.
struct TfDeltas {
    name: Vec<f64>,
    owner: Vec<f64>,
}

/// One thread's work while scoring: its candidate buffer, (record, nearest, weight), links.
type ScoreFold = (Vec<(u32, u8)>, Vec<(u32, u32, f32)>, Vec<Link>);

/// What one batch's comparisons produced.
struct Ingested {
    range: Range<u32>,
    /// Pairs at or above the review threshold.
    links: Vec<Link>,
    /// Per new record, its best-scoring earlier record (`u32::MAX` when it had no candidate).
    nearest: Vec<(u32, f32)>,
}

fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

fn weight_of(probability: f64) -> f64 {
    let p = probability.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).log2()
}

pub struct Index {
    store: Store,
    model: Model,
    weights: [[f64; MAX_LEVELS]; N_FIELDS],
    thresholds: Thresholds,
    parent: Vec<u32>,
}

impl Index {
    pub fn new(model: Model, thresholds: Thresholds) -> Index {
        let weights = model.weights();
        Index { store: Store::default(), model, weights, thresholds, parent: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.store.len()
    }

    fn set_model(&mut self, model: Model) {
        self.weights = model.weights();
        self.model = model;
    }

    /// Builds an index over `records` and trains its model on them (the first load of a
    /// registry, or batch mode): normalises once, trains, then links.
    pub fn train_and_add(
        records: &[ErRecord],
        options: &TrainOptions,
        thresholds: Thresholds,
    ) -> (Index, Vec<ReviewPair>) {
        match Self::try_train_and_add(records.iter().map(Ok::<_, Infallible>), options, thresholds) {
            Ok(built) => built,
            Err(never) => match never {},
        }
    }

    /// [`Index::train_and_add`] over records read one at a time, stopping at the first error:
    /// a large file is never held as [`ErRecord`]s (about 700 bytes each), only as the index's
    /// compact features.
    pub fn try_train_and_add<R: Borrow<ErRecord>, E>(
        records: impl IntoIterator<Item = Result<R, E>>,
        options: &TrainOptions,
        thresholds: Thresholds,
    ) -> Result<(Index, Vec<ReviewPair>), E> {
        let mut index = Index::new(Model::placeholder(), thresholds);
        let range = index.try_append(records)?;
        index.set_model(train_on_store(&index.store, options));
        let ingested = index.score(range, false);
        let review = index.review_pairs(&ingested.links);
        Ok((index, review))
    }

    /// A new index with a given model over records read one at a time (as
    /// [`Index::add_batch_quiet`] on an empty index), stopping at the first error.
    pub fn try_with_records<R: Borrow<ErRecord>, E>(
        model: Model,
        thresholds: Thresholds,
        records: impl IntoIterator<Item = Result<R, E>>,
    ) -> Result<(Index, Vec<ReviewPair>), E> {
        let mut index = Index::new(model, thresholds);
        let range = index.try_append(records)?;
        let ingested = index.score(range, false);
        let review = index.review_pairs(&ingested.links);
        Ok((index, review))
    }

    /// The links below the auto-link threshold, as review pairs.
    fn review_pairs(&self, links: &[Link]) -> Vec<ReviewPair> {
        let auto = weight_of(self.thresholds.auto_link) as f32;
        links
            .iter()
            .filter(|l| l.weight < auto)
            .map(|l| ReviewPair { a: l.a, b: l.b, probability: probability(f64::from(l.weight)) })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.store.len() == 0
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    pub fn record_id(&self, record: u32) -> &str {
        self.store.record_id(record)
    }

    /// The cluster (position of the oldest record of the business) a record belongs to.
    pub fn cluster(&self, record: u32) -> u32 {
        let mut x = record;
        while self.parent[x as usize] != x {
            x = self.parent[x as usize];
        }
        x
    }

    /// Every record's cluster, by position.
    pub fn clusters(&self) -> Vec<u32> {
        (0..self.len() as u32).map(|r| self.cluster(r)).collect()
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Joins the businesses of two records; the older root stays the cluster id.
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (keep, join) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[join as usize] = keep;
        }
    }

    /// A reviewer's "same business" for a pair from the review queue.
    pub fn confirm(&mut self, a: u32, b: u32) {
        self.union(a, b);
    }

    fn score_gamma(&self, a: u32, b: u32, g: &Gamma) -> f64 {
        let mut w = self.model.prior_weight();
        for (fi, l) in g.0.iter().enumerate() {
            w += self.weights[fi][*l as usize];
        }
        // Term-frequency adjustment of exact names (see the model's documentation).
        let ra = &self.store.recs[a as usize];
        if g.0[0] == 1 {
            let tf = self.store.name_frequency(ra.name);
            w += self.tf_delta(Field::BusinessName, tf);
        }
        if g.0[1] == 1 {
            let tf = self.store.owner_frequency(ra.owner);
            w += self.tf_delta(Field::OwnerName, tf);
        }
        let _ = b;
        w
    }

    /// Splink's term-frequency adjustment of an exact level: log2(u / tf), with u the share of
    /// random pairs that agree exactly. A name rarer than average counts more, a common one less.
    fn tf_delta(&self, field: Field, tf: f64) -> f64 {
        if tf <= 0.0 {
            return 0.0;
        }
        let u = self.model.u_random_of(field, 1).max(1e-12);
        (u / tf).log2()
    }

    /// The weight of a pair as [`Index::score_gamma`] gives it, or `None` when the pair cannot
    /// reach `floor`. Most candidate pairs share only a common name word and differ on their
    /// ids: an upper bound from the cheap fields, then from the owner name, settles them
    /// before the business names' Jaro–Winkler (the costliest comparison) is computed.
    fn score_bounded(&self, a: u32, b: u32, floor: f32, tf: &TfDeltas) -> Option<f32> {
        let store = &self.store;
        let (ra, rb) = (&store.recs[a as usize], &store.recs[b as usize]);
        let g = store.cheap_gamma(a, b);
        let mut base = self.model.prior_weight();
        for fi in [3, 6, 7] {
            base += self.weights[fi][g.0[fi] as usize];
        }
        let desa_part =
            |levels: &[u8]| levels.iter().map(|&l| self.weights[5][l as usize]).fold(f64::NEG_INFINITY, f64::max);
        let name_tf = if ra.name == rb.name { tf.name.get(ra.name as usize).copied().unwrap_or(0.0) } else { 0.0 };
        let owner_tf = if ra.owner == rb.owner { tf.owner.get(ra.owner as usize).copied().unwrap_or(0.0) } else { 0.0 };
        // The business name's level also sets the NIK's and phone's (an exact owner id with
        // different business names is a level of its own).
        let name_part = |levels: &[u8]| {
            levels
                .iter()
                .map(|&l| {
                    let tf = if l == 1 { name_tf } else { 0.0 };
                    self.weights[0][l as usize]
                        + tf
                        + self.weights[2][compare::owner_id_level(g.0[2], l) as usize]
                        + self.weights[4][compare::owner_id_level(g.0[4], l) as usize]
                })
                .fold(f64::NEG_INFINITY, f64::max)
        };
        let owner_part = |levels: &[u8]| {
            levels
                .iter()
                .map(|&l| self.weights[1][l as usize] + if l == 1 { owner_tf } else { 0.0 })
                .fold(f64::NEG_INFINITY, f64::max)
        };
        let names = Store::possible_levels(ra.name, rb.name);
        let owners = Store::possible_levels(ra.owner, rb.owner);
        let floor = f64::from(floor);
        let best_name = name_part(names);
        let desas = Store::possible_desa_levels(ra.desa, rb.desa);
        if base + desa_part(desas) + best_name + owner_part(owners) < floor {
            return None;
        }
        if desas.len() > 1 {
            base += desa_part(&[store.desa_level(a, b)]);
            if base + best_name + owner_part(owners) < floor {
                return None;
            }
        } else {
            base += desa_part(desas);
        }
        let owner = if owners.len() > 1 { store.owner_level(a, b) } else { owners[0] };
        let owner_w = owner_part(&[owner]);
        if base + best_name + owner_w < floor {
            return None;
        }
        let name = if names.len() > 1 { store.name_level(a, b) } else { names[0] };
        Some((base + name_part(&[name]) + owner_w) as f32)
    }

    /// [`Index::tf_delta`] of every interned string as a business name and as an owner name
    /// (0 for a string that is neither).
    fn tf_deltas(&self) -> TfDeltas {
        let strings = 0..self.store.strings.len() as u32;
        let of = |field, frequency: &dyn Fn(u32) -> f64| {
            strings.clone().map(|s| self.tf_delta(field, frequency(s))).collect()
        };
        TfDeltas {
            name: of(Field::BusinessName, &|s| self.store.name_frequency(s)),
            owner: of(Field::OwnerName, &|s| self.store.owner_frequency(s)),
        }
    }

    /// Match weight of a pair of indexed records.
    pub fn weight(&self, a: u32, b: u32) -> f64 {
        let g = self.store.gamma(a, b);
        self.score_gamma(a, b, &g)
    }

    /// Field by field, why two indexed records score what they score.
    pub fn explain(&self, a: u32, b: u32) -> Explanation {
        let g = self.store.gamma(a, b);
        let ra = &self.store.recs[a as usize];
        let fields = FIELDS
            .iter()
            .enumerate()
            .map(|(fi, f)| {
                let l = g.0[fi];
                let mut weight = self.weights[fi][l as usize];
                let mut term_frequency = None;
                if l == 1 && matches!(f, Field::BusinessName | Field::OwnerName) {
                    let tf = if *f == Field::BusinessName {
                        self.store.name_frequency(ra.name)
                    } else {
                        self.store.owner_frequency(ra.owner)
                    };
                    weight += self.tf_delta(*f, tf);
                    term_frequency = Some(tf);
                }
                FieldWeight { field: *f, level: f.levels()[l as usize], weight, term_frequency }
            })
            .collect::<Vec<_>>();
        let prior_weight = self.model.prior_weight();
        let weight = prior_weight + fields.iter().map(|f| f.weight).sum::<f64>();
        Explanation { prior_weight, fields, weight, probability: probability(weight) }
    }

    /// Appends, blocks and scores a batch; joins auto links. The heavy part, shared by
    /// [`Index::add_batch`] and [`dedup`].
    fn ingest(&mut self, records: &[ErRecord], exact_nearest: bool) -> Ingested {
        let range = self.append(records);
        self.score(range, exact_nearest)
    }

    /// Normalises and blocks new records, without comparing them yet.
    fn append(&mut self, records: &[ErRecord]) -> Range<u32> {
        match self.try_append(records.iter().map(Ok::<_, Infallible>)) {
            Ok(range) => range,
            Err(never) => match never {},
        }
    }

    /// [`Index::append`] over records read one at a time. On an error the records read so far
    /// stay unblocked: only a new index (dropped on the error) appends this way.
    fn try_append<R: Borrow<ErRecord>, E>(
        &mut self,
        records: impl IntoIterator<Item = Result<R, E>>,
    ) -> Result<Range<u32>, E> {
        let start = self.store.len() as u32;
        for r in records {
            let ix = self.store.push(r?.borrow());
            self.parent.push(ix);
        }
        let end = self.store.len() as u32;
        self.store.block_range(start..end);
        Ok(start..end)
    }

    /// Compares each record of `range` with the records before it and joins the auto links.
    /// `exact_nearest`: find each record's nearest earlier record even when it is below the
    /// review threshold (for explaining a "new" decision); otherwise `nearest` only holds
    /// pairs at or above it, and scoring skips more.
    fn score(&mut self, range: Range<u32>, exact_nearest: bool) -> Ingested {
        let (start, end) = (range.start, range.end);
        let review_weight = weight_of(self.thresholds.review) as f32;
        let this = &*self;
        let tf = self.tf_deltas();
        let order = self.store.by_kecamatan(start..end);
        let (mut nearest, mut links) = order
            .into_par_iter()
            .with_min_len(256)
            .fold(
                || (Vec::new(), Vec::new(), Vec::new()),
                |(mut buf, mut nearest, mut links): ScoreFold, ix| {
                    this.store.candidates(ix, ix, &mut buf);
                    let mut best = (u32::MAX, f32::NEG_INFINITY);
                    this.store.warm(&buf);
                    for &(c, _) in &buf {
                        // With exact nearest records, a pair below the review threshold is
                        // still scored when it could beat the best so far.
                        let floor = if exact_nearest { review_weight.min(best.1) } else { review_weight };
                        let Some(w) = this.score_bounded(ix, c, floor, &tf) else { continue };
                        if w > best.1 {
                            best = (c, w);
                        }
                        if w >= review_weight {
                            links.push(Link { a: c, b: ix, weight: w });
                        }
                    }
                    nearest.push((ix, best.0, best.1));
                    (buf, nearest, links)
                },
            )
            .map(|(_, n, l)| (n, l))
            .reduce(
                || (Vec::new(), Vec::new()),
                |(mut n1, mut l1), (n2, l2)| {
                    n1.extend(n2);
                    l1.extend(l2);
                    (n1, l1)
                },
            );
        nearest.sort_unstable_by_key(|n| n.0);
        // In index order, as before scoring was grouped by kecamatan (review lists read so).
        links.sort_unstable_by_key(|l| (l.b, l.a));
        let auto_weight = weight_of(self.thresholds.auto_link) as f32;
        for l in &links {
            if l.weight >= auto_weight {
                self.union(l.a, l.b);
            }
        }
        Ingested { range: start..end, links, nearest: nearest.into_iter().map(|(_, c, w)| (c, w)).collect() }
    }

    /// Compares new records with each other and with everything indexed, links the sure ones,
    /// and says for each record (in input order) what happened and why.
    pub fn add_batch(&mut self, records: &[ErRecord]) -> Vec<Decision> {
        let ingested = self.ingest(records, true);
        let start = ingested.range.start;
        let count = ingested.range.len();
        // Each link from the side of each of its new records.
        let mut per: Vec<(u32, u32, f32)> = Vec::with_capacity(ingested.links.len() * 2);
        for l in &ingested.links {
            per.push((l.b, l.a, l.weight));
            if l.a >= start {
                per.push((l.a, l.b, l.weight));
            }
        }
        per.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.2.total_cmp(&x.2)));
        let auto_weight = weight_of(self.thresholds.auto_link);
        let mut decisions = Vec::with_capacity(count);
        let mut p = 0;
        for (k, &(near, near_w)) in ingested.nearest.iter().enumerate() {
            let ix = start + k as u32;
            while p < per.len() && per[p].0 < ix {
                p += 1;
            }
            let mut others: Vec<u32> = Vec::new();
            while p < per.len() && per[p].0 == ix {
                if others.len() < MAX_CANDIDATES && !others.contains(&per[p].1) {
                    others.push(per[p].1);
                }
                p += 1;
            }
            if others.is_empty() && near != u32::MAX {
                others.push(near);
            }
            let candidates: Vec<Candidate> = others
                .into_iter()
                .map(|o| {
                    let explanation = self.explain(ix, o);
                    Candidate {
                        record: o,
                        record_id: self.record_id(o).to_owned(),
                        weight: explanation.weight,
                        probability: explanation.probability,
                        explanation,
                    }
                })
                .collect();
            let best = candidates.first().map_or(f64::NEG_INFINITY, |c| c.weight).max(f64::from(near_w));
            let outcome = if best >= auto_weight {
                Outcome::Auto
            } else if best >= weight_of(self.thresholds.review) {
                Outcome::Review
            } else {
                Outcome::New
            };
            decisions.push(Decision {
                record: ix,
                record_id: self.record_id(ix).to_owned(),
                outcome,
                cluster: self.cluster(ix),
                candidates,
            });
        }
        decisions
    }

    /// The indexed records a record would be compared with, best first, those at or above
    /// `floor` probability, at most `limit`, each explained; the index is left as it was (the
    /// record is not added). For "this business may already exist" before one is created by
    /// hand.
    pub fn probe(&mut self, record: &ErRecord, floor: f64, limit: usize) -> Vec<Candidate> {
        let ix = self.store.push(record);
        let mut buf = Vec::new();
        self.store.candidates(ix, ix, &mut buf);
        let floor_weight = weight_of(floor) as f32;
        let mut scored: Vec<(u32, f32)> = buf
            .iter()
            // One record's candidates are few: each is scored exactly, without the bound (whose
            // term-frequency table is built for a whole batch).
            .map(|&(c, _)| (c, self.weight(ix, c) as f32))
            .filter(|(_, w)| *w >= floor_weight)
            .collect();
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(limit);
        let found = scored
            .into_iter()
            .map(|(c, _)| {
                let explanation = self.explain(ix, c);
                Candidate {
                    record: c,
                    record_id: self.record_id(c).to_owned(),
                    weight: explanation.weight,
                    probability: explanation.probability,
                    explanation,
                }
            })
            .collect();
        self.store.pop_unblocked();
        found
    }

    /// Adds a batch and returns only the review-band pairs (no explanations): the bulk path.
    pub fn add_batch_quiet(&mut self, records: &[ErRecord]) -> Vec<ReviewPair> {
        let ingested = self.ingest(records, false);
        self.review_pairs(&ingested.links)
    }
}

/// Batch mode: the cluster of each record (the position of the first record of its business),
/// training a model on the records themselves when none is given.
pub fn dedup(records: &[ErRecord], model: Option<&Model>, thresholds: Thresholds) -> Vec<u32> {
    let mut index = match model {
        Some(m) => {
            let mut index = Index::new(m.clone(), thresholds);
            index.add_batch_quiet(records);
            return index.clusters();
        }
        // Train on the index's own features rather than normalising everything twice.
        None => Index::new(Model::placeholder(), thresholds),
    };
    let range = index.append(records);
    index.set_model(train_on_store(&index.store, &TrainOptions::default()));
    index.score(range, false);
    index.clusters()
}

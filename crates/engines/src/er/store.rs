//! Records as compact comparison features, and the blocking index over them.
//!
//! Every string (names, words, desa, kecamatan) is interned once into one arena and records hold
//! `u32` ids; NIK, NIB and phone are numbers. A record costs about 64 bytes plus its words and
//! its postings, and nothing is allocated per compared pair.

use std::hash::{BuildHasher, Hasher};
use std::num::NonZeroU64;

use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::ErRecord;
use super::compare::{self, Gamma, N_FIELDS};
use super::normalize;

pub(crate) const NONE: u32 = u32::MAX;

/// A name-word block larger than this is never walked: a word that common ("keripik" in a
/// large kecamatan) says little.
pub const MAX_BLOCK: u32 = 5_000;

/// A record with a NIK, NIB or phone walks a name-word block only up to this size. Its ids find
/// its partners that share them, and the cost of a block grows with the registry: at 1,000,000
/// records a kecamatan's common words have ten times the members they have at 100,000
/// (uncapped, 850 candidate pairs a record instead of 100). A cap that does not grow with the
/// registry keeps the work per record flat. Measured on generated data (`bench/er`): at 100,000
/// records it changes no link; at 1,000,000 it cuts candidates about threefold, and the F1 of
/// 200, 500 and 1,000 was 0.84, 0.86 and 0.89.
pub const WORD_BLOCK_CAP: u32 = 1_000;

/// The largest word block a record walks: a record without any id has only its words to find
/// its partners by, so it walks every block up to [`MAX_BLOCK`].
fn word_block_cap(r: &Rec) -> u32 {
    if r.nik.is_some() || r.nib.is_some() || r.phone.is_some() { WORD_BLOCK_CAP } else { MAX_BLOCK }
}

/// Strings interned into one buffer.
#[derive(Default)]
pub(crate) struct Interner {
    buf: String,
    ends: Vec<u32>,
    table: HashTable<u32>,
}

fn hash_str(s: &str) -> u64 {
    let mut h = FxBuildHasher.build_hasher();
    h.write(s.as_bytes());
    h.finish()
}

impl Interner {
    pub fn get(&self, id: u32) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[start..self.ends[i] as usize]
    }

    pub fn intern(&mut self, s: &str) -> u32 {
        let hash = hash_str(s);
        let Self { buf, ends, table } = self;
        let get = |id: u32| {
            let i = id as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] as usize };
            &buf[start..ends[i] as usize]
        };
        if let Some(id) = table.find(hash, |&id| get(id) == s) {
            return *id;
        }
        let id = ends.len() as u32;
        buf.push_str(s);
        ends.push(buf.len() as u32);
        let (buf, ends) = (&*buf, &*ends);
        table.insert_unique(hash, id, |&id| {
            let i = id as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] as usize };
            hash_str(&buf[start..ends[i] as usize])
        });
        id
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }
}

/// One record's comparison features. Aligned to a cache line: scoring reads a candidate's
/// features from a random place in memory, and 56 bytes at any offset would straddle two lines
/// as often as not (two misses instead of one; at 1,000,000 records those misses were most of
/// the scoring time).
#[derive(Debug, Clone, Copy)]
#[repr(align(64))]
pub(crate) struct Rec {
    pub nik: Option<NonZeroU64>,
    pub nib: Option<NonZeroU64>,
    pub phone: Option<NonZeroU64>,
    /// Interned business name: its words sorted and joined, so word order does not matter.
    pub name: u32,
    /// Interned owner name, words in their order.
    pub owner: u32,
    pub desa: u32,
    pub kec: u32,
    pub kbli: u32,
    /// Sorted word ids in `Store::tokens`: name words then owner words.
    pub tok_start: u32,
    pub name_len: u16,
    pub owner_len: u16,
}

/// Kinds of blocking key, mixed into the key hash.
#[derive(Clone, Copy)]
enum Key {
    Nik = 1,
    Nib,
    Phone,
    NameWord,
    OwnerWord,
}

fn key(kind: Key, a: u64, b: u64) -> u64 {
    // splitmix64 over the three parts; a collision only adds candidates, which are scored.
    let mut z =
        (kind as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ a.rotate_left(17) ^ b.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A blocking key's members, oldest first, walked sequentially (a linked list missed the cache
/// on every member), and the members older than a record are a prefix, so newer ones are never
/// visited.
///
/// After a bulk load the lists are frozen into one array, each key a range of it: 4 bytes a
/// member and one table entry a key, where a vector per key cost an allocation and its slack
/// for each of the million NIK, NIB and phone keys of a large registry. Records added later go
/// to per-key overflow lists; when those hold a quarter as many members as the frozen array,
/// both are merged into a new one (so a stream of small batches costs amortised O(1) a member).
/// Every member of a key's frozen range is older than every member of its overflow list.
#[derive(Default)]
struct Postings {
    /// Per key: start and length in `frozen`.
    ranges: FxHashMap<u64, (u32, u32)>,
    frozen: Vec<u32>,
    overflow: FxHashMap<u64, Vec<u32>>,
    overflow_len: usize,
}

impl Postings {
    fn frozen_of(&self, key: u64) -> &[u32] {
        self.ranges.get(&key).map_or(&[], |&(start, len)| &self.frozen[start as usize..(start + len) as usize])
    }

    fn overflow_of(&self, key: u64) -> &[u32] {
        self.overflow.get(&key).map_or(&[], Vec::as_slice)
    }

    /// Records are blocked in increasing order, which keeps every list sorted.
    fn add(&mut self, key: u64, rec: u32) {
        self.overflow.entry(key).or_default().push(rec);
        self.overflow_len += 1;
    }

    /// Whether `adding` more members should go through a merge rather than the overflow lists.
    fn should_freeze(&self, adding: usize) -> bool {
        (self.overflow_len + adding) * 4 > self.frozen.len()
    }

    fn count(&self, key: u64) -> u32 {
        (self.frozen_of(key).len() + self.overflow_of(key).len()) as u32
    }

    /// Members older than `before`, oldest first.
    fn members_before(&self, key: u64, before: u32, mut f: impl FnMut(u32)) {
        for &rec in self.frozen_of(key).iter().chain(self.overflow_of(key)) {
            if rec >= before {
                break;
            }
            f(rec);
        }
    }

    /// Merges the frozen array, the overflow lists and the (key, record) pairs `new` emits (in
    /// increasing record order, every record newer than the ones held) into a new frozen array.
    /// `new` is called twice: once to count, once to fill.
    fn freeze(&mut self, new: impl Fn(&mut dyn FnMut(u64, u32))) {
        // Per key: (start, members placed so far); first the counts, in the second field.
        let mut slots: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
        slots.reserve(self.ranges.len() + self.overflow.len());
        for (&k, &(_, len)) in &self.ranges {
            slots.entry(k).or_default().1 += len;
        }
        for (&k, v) in &self.overflow {
            slots.entry(k).or_default().1 += v.len() as u32;
        }
        new(&mut |k, _| slots.entry(k).or_default().1 += 1);
        let mut total = 0u32;
        for slot in slots.values_mut() {
            let len = slot.1;
            *slot = (total, 0);
            total += len;
        }
        let mut frozen = vec![0u32; total as usize];
        let mut place = |k: u64, rec: u32| {
            if let Some(slot) = slots.get_mut(&k) {
                frozen[(slot.0 + slot.1) as usize] = rec;
                slot.1 += 1;
            }
        };
        for (&k, &(start, len)) in &self.ranges {
            for &rec in &self.frozen[start as usize..(start + len) as usize] {
                place(k, rec);
            }
        }
        for (&k, v) in &self.overflow {
            for &rec in v {
                place(k, rec);
            }
        }
        new(&mut place);
        self.ranges = slots;
        self.frozen = frozen;
        self.overflow = FxHashMap::default();
        self.overflow_len = 0;
    }
}

/// How many blocking keys a record has (see [`record_keys`]).
fn key_count(r: &Rec) -> usize {
    [r.nik, r.nib, r.phone].iter().filter(|v| v.is_some()).count() + r.name_len as usize + r.owner_len as usize
}

/// Every blocking key of a record: its NIK, NIB and phone, and each word of its business and
/// owner names within its kecamatan.
fn record_keys(r: &Rec, tokens: &[u32], mut f: impl FnMut(u64)) {
    for (kind, v) in [(Key::Nik, r.nik), (Key::Nib, r.nib), (Key::Phone, r.phone)] {
        if let Some(v) = v {
            f(key(kind, v.get(), 0));
        }
    }
    let s = r.tok_start as usize;
    let (names, owners) = tokens[s..s + r.name_len as usize + r.owner_len as usize].split_at(r.name_len as usize);
    for &t in names {
        f(key(Key::NameWord, u64::from(r.kec), u64::from(t)));
    }
    for &t in owners {
        f(key(Key::OwnerWord, u64::from(r.kec), u64::from(t)));
    }
}

/// Which kind of blocking rule found a candidate: the training sessions are split by it.
pub(crate) const VIA_ID: u8 = 1;
pub(crate) const VIA_WORD: u8 = 2;

#[derive(Default)]
pub(crate) struct Store {
    pub strings: Interner,
    pub recs: Vec<Rec>,
    pub tokens: Vec<u32>,
    /// Per interned string: how many records have it as business name, as owner name, and how
    /// many records have it as a word of their business name / owner name.
    name_count: Vec<u32>,
    owner_count: Vec<u32>,
    name_word_df: Vec<u32>,
    owner_word_df: Vec<u32>,
    record_ids: Interner,
    postings: Postings,
}

fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn grow(v: &mut Vec<u32>, len: usize) {
    if v.len() < len {
        v.resize(len, 0);
    }
}

impl Store {
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    pub fn record_id(&self, ix: u32) -> &str {
        self.record_ids.get(ix)
    }

    fn intern_opt(&mut self, s: Option<String>) -> u32 {
        match s {
            Some(s) if !s.is_empty() => self.strings.intern(&s),
            _ => NONE,
        }
    }

    fn intern_words(&mut self, words: &[String]) -> Vec<u32> {
        words.iter().map(|w| self.strings.intern(w)).collect()
    }

    /// Normalises and appends one record (without blocking it yet); returns its index.
    pub fn push(&mut self, r: &ErRecord) -> u32 {
        let name_words = opt(&r.business_name).map(normalize::name_tokens).unwrap_or_default();
        let owner_words = opt(&r.owner_name).map(normalize::owner_tokens).unwrap_or_default();
        let mut sorted: Vec<&str> = name_words.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        let name_key = (!sorted.is_empty()).then(|| sorted.join(" "));
        let owner_key = (!owner_words.is_empty()).then(|| owner_words.join(" "));
        let name = self.intern_opt(name_key);
        let owner = self.intern_opt(owner_key);
        let desa = self.intern_opt(opt(&r.desa).and_then(normalize::region_key));
        let kec = self.intern_opt(opt(&r.kecamatan).and_then(normalize::region_key));
        let mut name_ids = self.intern_words(&name_words);
        let mut owner_ids = self.intern_words(&owner_words);
        name_ids.sort_unstable();
        owner_ids.sort_unstable();
        name_ids.truncate(u16::MAX as usize);
        owner_ids.truncate(u16::MAX as usize);
        let tok_start = self.tokens.len() as u32;
        self.tokens.extend_from_slice(&name_ids);
        self.tokens.extend_from_slice(&owner_ids);
        let n = self.strings.len();
        for v in [&mut self.name_count, &mut self.owner_count, &mut self.name_word_df, &mut self.owner_word_df] {
            grow(v, n);
        }
        if name != NONE {
            self.name_count[name as usize] += 1;
        }
        if owner != NONE {
            self.owner_count[owner as usize] += 1;
        }
        for &t in &name_ids {
            self.name_word_df[t as usize] += 1;
        }
        for &t in &owner_ids {
            self.owner_word_df[t as usize] += 1;
        }
        let rec = Rec {
            nik: opt(&r.nik).and_then(normalize::nik),
            nib: opt(&r.nib).and_then(normalize::nib),
            phone: opt(&r.phone).and_then(normalize::phone),
            name,
            owner,
            desa,
            kec,
            kbli: opt(&r.kbli).and_then(normalize::kbli).unwrap_or(NONE),
            tok_start,
            name_len: name_ids.len() as u16,
            owner_len: owner_ids.len() as u16,
        };
        self.recs.push(rec);
        self.record_ids.intern_append(&r.record_id);
        (self.recs.len() - 1) as u32
    }

    /// Takes back the last record pushed, which must not have been blocked: a probe's record.
    /// Strings it interned stay interned (unused, and found again by the next record that has
    /// them); every count it added is taken back, so scores afterwards are what they were.
    pub fn pop_unblocked(&mut self) {
        let Some(r) = self.recs.pop() else { return };
        let s = r.tok_start as usize;
        let (name_ids, owner_ids) = self.tokens[s..].split_at(r.name_len as usize);
        for &t in name_ids {
            self.name_word_df[t as usize] -= 1;
        }
        for &t in &owner_ids[..r.owner_len as usize] {
            self.owner_word_df[t as usize] -= 1;
        }
        self.tokens.truncate(s);
        if r.name != NONE {
            self.name_count[r.name as usize] -= 1;
        }
        if r.owner != NONE {
            self.owner_count[r.owner as usize] -= 1;
        }
        self.record_ids.pop_appended();
    }

    /// Loads the features of every candidate before any is scored. Each load is independent
    /// of the others and nothing branches on them, so the processor has dozens of these cache
    /// misses in flight at once; scoring then finds the features in cache, instead of waiting
    /// for each miss in turn between its branches.
    pub fn warm(&self, candidates: &[(u32, u8)]) {
        let mut acc = 0u32;
        for &(c, _) in candidates {
            if let Some(r) = self.recs.get(c as usize) {
                acc ^= r.kec;
            }
        }
        std::hint::black_box(acc);
    }

    pub fn name_words(&self, ix: u32) -> &[u32] {
        let r = &self.recs[ix as usize];
        let s = r.tok_start as usize;
        &self.tokens[s..s + r.name_len as usize]
    }

    pub fn owner_words(&self, ix: u32) -> &[u32] {
        let r = &self.recs[ix as usize];
        let s = r.tok_start as usize + r.name_len as usize;
        &self.tokens[s..s + r.owner_len as usize]
    }

    /// Share of records with this business name (for term-frequency adjustment).
    pub fn name_frequency(&self, name: u32) -> f64 {
        self.name_count.get(name as usize).map_or(0.0, |&c| f64::from(c) / self.recs.len().max(1) as f64)
    }

    pub fn owner_frequency(&self, owner: u32) -> f64 {
        self.owner_count.get(owner as usize).map_or(0.0, |&c| f64::from(c) / self.recs.len().max(1) as f64)
    }

    /// Puts newly pushed records (`range`, in order) into the blocking index: under their ids,
    /// and under every word of their names within their kecamatan. A bulk load is frozen into
    /// one array directly; a small batch goes to the overflow lists.
    pub fn block_range(&mut self, range: std::ops::Range<u32>) {
        let Store { recs, tokens, postings, .. } = self;
        let rec = |ix: u32| &recs[ix as usize];
        let adding: usize = range.clone().map(|ix| key_count(rec(ix))).sum();
        if postings.should_freeze(adding) {
            postings.freeze(|emit| {
                for ix in range.clone() {
                    record_keys(rec(ix), tokens, |k| emit(k, ix));
                }
            });
        } else {
            for ix in range {
                record_keys(rec(ix), tokens, |k| postings.add(k, ix));
            }
        }
    }

    /// The records of `range` grouped by kecamatan, each group in index order: the order to
    /// score them in. A record's word blocks all lie in its kecamatan, so a thread working
    /// through one kecamatan finds that kecamatan's records in cache (a few MB) instead of
    /// missing the cache on nearly every candidate (the features of 1,000,000 records are
    /// about 60 MB).
    pub fn by_kecamatan(&self, range: std::ops::Range<u32>) -> Vec<u32> {
        let mut order: Vec<u32> = range.collect();
        order.sort_by_key(|&ix| (self.recs[ix as usize].kec, ix));
        order
    }

    /// The rarest `n` words of a word list, by the given document frequencies.
    fn rarest(words: &[u32], df: &[u32], n: usize, out: &mut [u32; 2]) -> usize {
        let mut k = 0;
        let mut best: [(u32, u32); 2] = [(u32::MAX, NONE); 2];
        for &w in words {
            let f = df.get(w as usize).copied().unwrap_or(0);
            if f < best[0].0 {
                best[1] = best[0];
                best[0] = (f, w);
            } else if f < best[1].0 {
                best[1] = (f, w);
            }
        }
        for b in best.iter().take(n) {
            if b.1 != NONE {
                out[k] = b.1;
                k += 1;
            }
        }
        k
    }

    /// The candidates of record `ix` among records before `before`: every record sharing its
    /// NIK, NIB or phone; and, within its kecamatan, those sharing one of the two rarest words of
    /// its business name or the rarest word of its owner's name. Written into `out` as
    /// (candidate, VIA_* flags), sorted and without repeats.
    pub fn candidates(&self, ix: u32, before: u32, out: &mut Vec<(u32, u8)>) {
        out.clear();
        let r = self.recs[ix as usize];
        for (kind, v) in [(Key::Nik, r.nik), (Key::Nib, r.nib), (Key::Phone, r.phone)] {
            if let Some(v) = v {
                self.postings.members_before(key(kind, v.get(), 0), before, |c| out.push((c, VIA_ID)));
            }
        }
        let cap = word_block_cap(&r);
        let mut words = [NONE; 2];
        let n = Self::rarest(self.name_words(ix), &self.name_word_df, 2, &mut words);
        for &w in &words[..n] {
            self.walk_words(key(Key::NameWord, u64::from(r.kec), u64::from(w)), cap, before, out);
        }
        let n = Self::rarest(self.owner_words(ix), &self.owner_word_df, 1, &mut words);
        for &w in &words[..n] {
            self.walk_words(key(Key::OwnerWord, u64::from(r.kec), u64::from(w)), cap, before, out);
        }
        // The lists walked are each in order: a stable sort merges their runs (a general sort
        // of the concatenation was an eighth of the scoring time).
        out.sort();
        out.dedup_by(|later, first| {
            if later.0 == first.0 {
                first.1 |= later.1;
                true
            } else {
                false
            }
        });
    }

    fn walk_words(&self, k: u64, cap: u32, before: u32, out: &mut Vec<(u32, u8)>) {
        if self.postings.count(k) > cap {
            return;
        }
        self.postings.members_before(k, before, |c| out.push((c, VIA_WORD)));
    }

    /// The business names' level (0 when either is missing).
    pub fn name_level(&self, a: u32, b: u32) -> u8 {
        let (x, y) = (self.recs[a as usize].name, self.recs[b as usize].name);
        if x == NONE || y == NONE {
            return 0;
        }
        compare::name_level(
            x,
            y,
            self.strings.get(x).as_bytes(),
            self.strings.get(y).as_bytes(),
            self.name_words(a),
            self.name_words(b),
        )
    }

    /// The owner names' level (0 when either is missing).
    pub fn owner_level(&self, a: u32, b: u32) -> u8 {
        let (x, y) = (self.recs[a as usize].owner, self.recs[b as usize].owner);
        if x == NONE || y == NONE {
            return 0;
        }
        compare::name_level(
            x,
            y,
            self.strings.get(x).as_bytes(),
            self.strings.get(y).as_bytes(),
            self.owner_words(a),
            self.owner_words(b),
        )
    }

    /// Every field's level but the two names' and the desa's (left 0), with NIK and phone at their plain id
    /// level ([`compare::owner_id_level`] not yet applied): what a pair costs nothing to compare.
    pub fn cheap_gamma(&self, a: u32, b: u32) -> Gamma {
        let (ra, rb) = (&self.recs[a as usize], &self.recs[b as usize]);
        let mut g = [0u8; N_FIELDS];
        if let (Some(x), Some(y)) = (ra.nik, rb.nik) {
            g[2] = compare::nik_level(x.get(), y.get());
        }
        if let (Some(x), Some(y)) = (ra.nib, rb.nib) {
            g[3] = compare::nib_level(x.get(), y.get());
        }
        if let (Some(x), Some(y)) = (ra.phone, rb.phone) {
            g[4] = compare::phone_level(x.get(), y.get());
        }
        if ra.kec != NONE && rb.kec != NONE {
            g[6] = compare::kecamatan_level(ra.kec, rb.kec);
        }
        if ra.kbli != NONE && rb.kbli != NONE {
            g[7] = compare::kbli_level(ra.kbli, rb.kbli);
        }
        Gamma(g)
    }

    /// The desa level (0 when either is missing).
    pub fn desa_level(&self, a: u32, b: u32) -> u8 {
        let (x, y) = (self.recs[a as usize].desa, self.recs[b as usize].desa);
        if x == NONE || y == NONE {
            return 0;
        }
        compare::desa_level(x, y, self.strings.get(x).as_bytes(), self.strings.get(y).as_bytes())
    }

    /// The desa levels a pair can reach before the desa names are compared.
    pub fn possible_desa_levels(x: u32, y: u32) -> &'static [u8] {
        if x == NONE || y == NONE {
            &[0]
        } else if x == y {
            &[1]
        } else {
            &[2, 3]
        }
    }

    /// The name levels a pair can still reach before its names are compared: the one level
    /// known without Jaro–Winkler (null, exact), or else every inexact level.
    pub fn possible_levels(x: u32, y: u32) -> &'static [u8] {
        if x == NONE || y == NONE {
            &[0]
        } else if x == y {
            &[1]
        } else {
            &[2, 3, 4, 5]
        }
    }

    /// Every field's level for a pair.
    pub fn gamma(&self, a: u32, b: u32) -> Gamma {
        let mut g = self.cheap_gamma(a, b);
        g.0[5] = self.desa_level(a, b);
        Self::complete(&mut g, self.name_level(a, b), self.owner_level(a, b));
        g
    }

    /// Fills a cheap gamma's name levels and applies them to the owner ids' levels.
    pub fn complete(g: &mut Gamma, name: u8, owner: u8) {
        g.0[0] = name;
        g.0[1] = owner;
        g.0[2] = compare::owner_id_level(g.0[2], name);
        g.0[4] = compare::owner_id_level(g.0[4], name);
    }
}

impl Interner {
    /// Appends without de-duplicating (record ids are kept per record, in order).
    fn intern_append(&mut self, s: &str) {
        self.buf.push_str(s);
        self.ends.push(self.buf.len() as u32);
    }

    /// Takes back the last [`Interner::intern_append`].
    fn pop_appended(&mut self) {
        self.ends.pop();
        let end = self.ends.last().copied().unwrap_or(0) as usize;
        self.buf.truncate(end);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn record(id: usize, name: &str, phone: Option<String>) -> ErRecord {
        ErRecord {
            record_id: format!("r{id}"),
            business_name: Some(name.to_owned()),
            kecamatan: Some("Cikande".to_owned()),
            phone,
            ..ErRecord::default()
        }
    }

    /// Word candidates of the last of `n` records that all share one word, the last with or
    /// without a phone.
    fn word_candidates(n: usize, last_has_phone: bool) -> usize {
        let mut store = Store::default();
        for i in 0..n {
            let phone = (i + 1 < n || last_has_phone).then(|| format!("0812{i:07}"));
            store.push(&record(i, "Keripik", phone));
        }
        store.block_range(0..n as u32);
        let mut out = Vec::new();
        let last = n as u32 - 1;
        store.candidates(last, last, &mut out);
        out.iter().filter(|(_, via)| via & VIA_WORD != 0).count()
    }

    /// A record with an id walks a word's block only up to the cap; one without walks it up to
    /// MAX_BLOCK, words being all it has.
    #[test]
    fn common_words_are_walked_only_without_ids() {
        let over = WORD_BLOCK_CAP as usize + 1;
        assert_eq!(word_candidates(10, true), 9);
        assert_eq!(word_candidates(over, true), 0);
        assert_eq!(word_candidates(over, false), over - 1);
        assert_eq!(word_candidates(MAX_BLOCK as usize + 1, false), 0);
    }

    /// The frozen array with overflow lists holds, key by key, the same members in the same
    /// order as one growing list per key, through bulk loads, small batches and merges.
    #[test]
    fn postings_match_a_list_per_key() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut postings = Postings::default();
        let mut lists: BTreeMap<u64, Vec<u32>> = BTreeMap::new();
        let (mut rec, mut freezes, mut overflowed) = (0u32, 0, 0);
        for batch in 0..60 {
            let records = if batch == 0 { 400 } else { rng.random_range(1..40) };
            let mut pairs = Vec::new();
            for _ in 0..records {
                for _ in 0..rng.random_range(0..4) {
                    pairs.push((rng.random_range(0..25u64), rec));
                }
                rec += 1;
            }
            if postings.should_freeze(pairs.len()) {
                postings.freeze(|emit| pairs.iter().for_each(|&(k, r)| emit(k, r)));
                freezes += 1;
            } else {
                pairs.iter().for_each(|&(k, r)| postings.add(k, r));
                overflowed += 1;
            }
            for &(k, r) in &pairs {
                lists.entry(k).or_default().push(r);
            }
            for k in 0..26u64 {
                let list = lists.get(&k).map_or(&[][..], Vec::as_slice);
                assert_eq!(postings.count(k) as usize, list.len());
                for before in [0, rec / 3, rec / 2, rec] {
                    let mut got = Vec::new();
                    postings.members_before(k, before, |r| got.push(r));
                    let want: Vec<u32> = list.iter().copied().take_while(|&r| r < before).collect();
                    assert_eq!(got, want, "key {k} before {before}");
                }
            }
        }
        assert!(freezes > 1 && overflowed > 1, "{freezes} merges, {overflowed} batches to overflow");
    }
}

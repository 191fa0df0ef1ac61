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

/// A name-word block larger than this is not walked: a word that common ("keripik" in a large
/// kecamatan) says little, and the record's rarer words and its ids still find its partners.
pub const MAX_BLOCK: u32 = 5_000;

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

/// One record's comparison features.
#[derive(Debug, Clone, Copy)]
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

/// A blocking key's members, oldest first, each key's in one contiguous vector: a block is
/// walked sequentially (the linked list this replaced missed the cache on every member), and the
/// members older than a record are a prefix, so newer ones are never visited.
#[derive(Default)]
struct Postings {
    heads: FxHashMap<u64, Vec<u32>>,
}

impl Postings {
    /// Records are blocked in increasing order, which keeps every list sorted.
    fn add(&mut self, key: u64, rec: u32) {
        self.heads.entry(key).or_default().push(rec);
    }

    fn count(&self, key: u64) -> u32 {
        self.heads.get(&key).map_or(0, |v| v.len() as u32)
    }

    /// Members older than `before`, oldest first.
    fn members_before(&self, key: u64, before: u32, mut f: impl FnMut(u32)) {
        let Some(members) = self.heads.get(&key) else { return };
        for &rec in members {
            if rec >= before {
                break;
            }
            f(rec);
        }
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

    /// Puts a record into the blocking index: under its ids, and under every word of its names
    /// within its kecamatan.
    pub fn block(&mut self, ix: u32) {
        let r = self.recs[ix as usize];
        for (kind, v) in [(Key::Nik, r.nik), (Key::Nib, r.nib), (Key::Phone, r.phone)] {
            if let Some(v) = v {
                self.postings.add(key(kind, v.get(), 0), ix);
            }
        }
        let s = r.tok_start as usize;
        for i in 0..r.name_len as usize {
            let t = self.tokens[s + i];
            self.postings.add(key(Key::NameWord, u64::from(r.kec), u64::from(t)), ix);
        }
        for i in 0..r.owner_len as usize {
            let t = self.tokens[s + r.name_len as usize + i];
            self.postings.add(key(Key::OwnerWord, u64::from(r.kec), u64::from(t)), ix);
        }
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
        let mut words = [NONE; 2];
        let n = Self::rarest(self.name_words(ix), &self.name_word_df, 2, &mut words);
        for &w in &words[..n] {
            self.walk_words(key(Key::NameWord, u64::from(r.kec), u64::from(w)), before, out);
        }
        let n = Self::rarest(self.owner_words(ix), &self.owner_word_df, 1, &mut words);
        for &w in &words[..n] {
            self.walk_words(key(Key::OwnerWord, u64::from(r.kec), u64::from(w)), before, out);
        }
        out.sort_unstable();
        out.dedup_by(|later, first| {
            if later.0 == first.0 {
                first.1 |= later.1;
                true
            } else {
                false
            }
        });
    }

    fn walk_words(&self, k: u64, before: u32, out: &mut Vec<(u32, u8)>) {
        if self.postings.count(k) > MAX_BLOCK {
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

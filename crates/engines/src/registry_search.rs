//! The UMKM registry list in memory: filters and a spelling-tolerant name search over a
//! Pemda's businesses, answering a page of ids and the total in milliseconds at a million
//! businesses (see `bench/umkm-search.md`).
//!
//! Each business is a fixed 40-byte row (kecamatan and desa as small interned numbers, the
//! headline class, bitmasks of permits, sources and years, and spans into shared arenas of KBLI
//! codes and name tokens), a place in the name order, and its words in posting lists. Names
//! and owners are reduced by [`crate::er::normalize`] (honorifics and legal forms dropped,
//! old and regional spellings folded, "kripik" → "keripik"), so the words a search is made of
//! meet the words of the registry in one form; a typo is then forgiven by looking for the
//! vocabulary words within one or two edits (a transposition counts as one), and the last word
//! may be a prefix (the one still being typed).
//!
//! The index is fed from the store ([`RegistryIndex::build`]) and kept current with
//! [`RegistryIndex::upsert`] and [`RegistryIndex::remove`]; removed rows leave tombstones in
//! the posting lists until the next build.

use rustc_hash::FxHashMap;
use sinergi_domain::umkm::{PermitKind, SizeClass};
use sinergi_domain::{BusinessId, KbliCode, KbliLevel, RegionCode};

use crate::er::normalize::{name_tokens, owner_tokens};

/// What the index needs to know of one business.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BusinessFacts {
    pub id: BusinessId,
    pub name: String,
    pub owner: Option<String>,
    pub kecamatan: Option<RegionCode>,
    pub desa: Option<RegionCode>,
    /// The headline class (capital's when known, else sales').
    pub class: Option<SizeClass>,
    /// KBLI codes of 2 to 5 digits; a bare kategori letter is not indexed.
    pub kbli: Vec<KbliCode>,
    pub permits: Vec<PermitKind>,
    pub sources: Vec<String>,
    /// Years the business has figures for.
    pub years: Vec<i32>,
}

/// A list's filters and optional search words; every given filter must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegistryQuery {
    pub text: Option<String>,
    pub kecamatan: Option<RegionCode>,
    pub desa: Option<RegionCode>,
    pub class: Option<SizeClass>,
    /// At any level: a kategori letter or 2 to 5 digits.
    pub kbli: Option<KbliCode>,
    pub permit: Option<PermitKind>,
    pub source: Option<String>,
    pub year: Option<i32>,
    /// Only businesses among these, when given: a set the index does not hold, such as those
    /// with a duplicate question open (the store knows them; they are few).
    pub within: Option<Vec<BusinessId>>,
}

/// One page of a list: the businesses in order, and how many match in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegistryPage {
    pub ids: Vec<BusinessId>,
    pub total: usize,
}

/// Words of a search beyond this many are ignored.
const MAX_QUERY_WORDS: usize = 8;
/// Up to this many changes at once are placed one by one in the name order; more are merged
/// into it in one pass (see [`RegistryIndex::apply`]).
const ONE_BY_ONE: usize = 8;
/// Match qualities, summed over the words of a search to rank its hits.
const EXACT: u16 = 4;
const PREFIX: u16 = 3;
const ONE_EDIT: u16 = 2;
const TWO_EDITS: u16 = 1;
/// Bit 63 of the source and year masks stands for "one of the rarer ones"; those are checked
/// against the row's overflow list.
const OVERFLOW_BIT: u32 = 63;

#[derive(Debug, Clone, Copy, Default)]
struct Row {
    sources: u64,
    years: u64,
    kbli_start: u32,
    token_start: u32,
    kecamatan: u16,
    desa: u16,
    class: u8,
    permits: u8,
    kbli_len: u8,
    token_len: u8,
    alive: bool,
}

/// Small values (region codes, sources, years) as dense numbers from 1; 0 is "none".
#[derive(Debug)]
struct Interner<T: std::hash::Hash + Eq + Clone> {
    ids: FxHashMap<T, u32>,
}

impl<T: std::hash::Hash + Eq + Clone> Default for Interner<T> {
    fn default() -> Self {
        Self { ids: FxHashMap::default() }
    }
}

impl<T: std::hash::Hash + Eq + Clone> Interner<T> {
    fn intern(&mut self, value: &T) -> u32 {
        let next = self.ids.len() as u32 + 1;
        *self.ids.entry(value.clone()).or_insert(next)
    }

    fn get(&self, value: &T) -> Option<u32> {
        self.ids.get(value).copied()
    }
}

/// The search index of one registry.
#[derive(Debug, Default)]
pub struct RegistryIndex {
    ids: Vec<BusinessId>,
    rows: Vec<Row>,
    slot_of: FxHashMap<BusinessId, u32>,
    /// Live slots sorted by name key, then id; `rank` is the inverse.
    by_name: Vec<u32>,
    rank: Vec<u32>,
    /// Each slot's name key (lower-case words), as a span of `names`.
    names: String,
    name_spans: Vec<(u32, u32)>,
    kbli: Vec<u32>,
    tokens: Vec<u32>,
    /// Sources and years numbered past [`OVERFLOW_BIT`], per slot.
    overflow: FxHashMap<u32, Vec<(bool, u32)>>,
    regions: Interner<RegionCode>,
    sources: Interner<String>,
    years: Interner<i32>,
    vocabulary: Vec<Box<str>>,
    word_id: FxHashMap<Box<str>, u32>,
    /// Word ids by word length, for the typo scan.
    by_length: Vec<Vec<u32>>,
    postings: Vec<Vec<u32>>,
    live: usize,
}

/// The list's sort key: lower-case words of the name, as the store sorts them.
fn name_key(name: &str) -> String {
    let lowered: String = name.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A KBLI code of 2 to 5 digits as `value * 8 + digits` ("01111" keeps its leading zero).
fn encode_kbli(code: &KbliCode) -> Option<u32> {
    if code.level() == KbliLevel::Kategori {
        return None;
    }
    let s = code.as_str();
    let value: u32 = s.parse().ok()?;
    Some(value * 8 + s.len() as u32)
}

fn permit_bit(kind: PermitKind) -> u8 {
    let i = PermitKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    1 << i
}

fn class_number(class: SizeClass) -> u8 {
    SizeClass::ALL.iter().position(|c| *c == class).map_or(0, |i| i as u8 + 1)
}

/// A small interned number's bit in a 64-bit mask.
fn mask_bit(n: u32) -> u64 {
    1 << (n - 1).min(OVERFLOW_BIT)
}

/// The edit distance between `a` and `b` counting a transposition as one edit, or `None` when
/// it exceeds `max`.
pub(crate) fn bounded_distance(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let n = b.len();
    let mut before: Vec<usize> = vec![0; n + 1];
    let mut prev: Vec<usize> = (0..=n).collect();
    let mut cur: Vec<usize> = vec![0; n + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[n]).filter(|d| *d <= max)
}

/// How many edits a word of this length may carry and still be found.
pub(crate) fn allowed_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

/// A KBLI filter ready for the scan.
enum KbliWant {
    /// Which golongan pokok (first two digits) belong to the kategori.
    Section(Box<[bool; 100]>),
    Prefix {
        value: u32,
        digits: u32,
    },
}

impl KbliWant {
    fn new(code: &KbliCode) -> Option<KbliWant> {
        if code.level() == KbliLevel::Kategori {
            let letter = code.section()?;
            let mut table = Box::new([false; 100]);
            for (two, slot) in table.iter_mut().enumerate() {
                *slot = KbliCode::parse(&format!("{two:02}")).ok().and_then(|c| c.section()) == Some(letter);
            }
            return Some(KbliWant::Section(table));
        }
        let encoded = encode_kbli(code)?;
        Some(KbliWant::Prefix { value: encoded / 8, digits: encoded % 8 })
    }

    fn matches(&self, encoded: u32) -> bool {
        let (value, digits) = (encoded / 8, encoded % 8);
        match self {
            KbliWant::Section(table) => digits >= 2 && table[(value / 10u32.pow(digits - 2)) as usize % 100],
            KbliWant::Prefix { value: want, digits: want_digits } => {
                digits >= *want_digits && value / 10u32.pow(digits - want_digits) == *want
            }
        }
    }
}

/// A query's filters as the small numbers rows hold; `None` when a filter names a value no
/// business has (nothing can match).
struct Wanted {
    kecamatan: u16,
    desa: u16,
    class: u8,
    permit: u8,
    source: u32,
    year: u32,
    kbli: Option<KbliWant>,
    /// The slots of [`RegistryQuery::within`], ascending.
    within: Option<Vec<u32>>,
}

impl Wanted {
    fn is_empty(&self) -> bool {
        self.kecamatan == 0
            && self.desa == 0
            && self.class == 0
            && self.permit == 0
            && self.source == 0
            && self.year == 0
            && self.kbli.is_none()
            && self.within.is_none()
    }
}

impl RegistryIndex {
    /// An index of these businesses.
    pub fn build(facts: impl IntoIterator<Item = BusinessFacts>) -> RegistryIndex {
        let mut index = RegistryIndex::default();
        let mut keyed: Vec<u32> = Vec::new();
        for f in facts {
            if let Some(&slot) = index.slot_of.get(&f.id) {
                index.kill(slot);
            }
            keyed.push(index.add_row(&f));
        }
        keyed.retain(|s| index.rows[*s as usize].alive);
        keyed.sort_unstable_by(|a, b| index.order(*a, *b));
        index.by_name = keyed;
        index.rank = vec![u32::MAX; index.rows.len()];
        for (i, s) in index.by_name.iter().enumerate() {
            index.rank[*s as usize] = i as u32;
        }
        index
    }

    /// How many businesses the index holds.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Adds a business, or replaces what the index knew of it.
    pub fn upsert(&mut self, facts: BusinessFacts) {
        self.remove(facts.id);
        let slot = self.add_row(&facts);
        self.rank.push(u32::MAX);
        let at = self.by_name.partition_point(|s| self.order(*s, slot).is_lt());
        self.by_name.insert(at, slot);
        self.renumber_from(at);
    }

    /// Replaces what the index knows of the `upserts` and forgets the `removed`. Many changes
    /// at once (an import's) are merged into the name order in one pass, where one
    /// [`RegistryIndex::upsert`] each would shift the whole order every time.
    pub fn apply(&mut self, upserts: Vec<BusinessFacts>, removed: &[BusinessId]) {
        if upserts.len() + removed.len() <= ONE_BY_ONE {
            for id in removed {
                self.remove(*id);
            }
            for f in upserts {
                self.upsert(f);
            }
            return;
        }
        for id in removed {
            if let Some(slot) = self.slot_of.get(id).copied() {
                self.kill(slot);
            }
        }
        let mut fresh = Vec::with_capacity(upserts.len());
        for f in &upserts {
            if let Some(slot) = self.slot_of.get(&f.id).copied() {
                self.kill(slot);
            }
            fresh.push(self.add_row(f));
        }
        // A business given twice keeps only its last row alive.
        fresh.retain(|s| self.rows[*s as usize].alive);
        fresh.sort_unstable_by(|a, b| self.order(*a, *b));
        let old = std::mem::take(&mut self.by_name);
        let mut merged = Vec::with_capacity(old.len() + fresh.len());
        let mut fresh = fresh.into_iter().peekable();
        for slot in old.into_iter().filter(|s| self.rows[*s as usize].alive) {
            while let Some(&f) = fresh.peek() {
                if self.order(f, slot).is_gt() {
                    break;
                }
                merged.push(f);
                fresh.next();
            }
            merged.push(slot);
        }
        merged.extend(fresh);
        self.by_name = merged;
        self.rank = vec![u32::MAX; self.rows.len()];
        self.renumber_from(0);
    }

    /// Rows held for businesses since replaced or removed (tombstones until the next build).
    pub fn dead_rows(&self) -> usize {
        self.rows.len() - self.live
    }

    /// Forgets a business (merged into another, or deleted); whether it was there.
    pub fn remove(&mut self, id: BusinessId) -> bool {
        let Some(slot) = self.slot_of.get(&id).copied() else {
            return false;
        };
        let at = self.rank[slot as usize] as usize;
        self.kill(slot);
        if self.by_name.get(at) == Some(&slot) {
            self.by_name.remove(at);
            self.rank[slot as usize] = u32::MAX;
            self.renumber_from(at);
        }
        true
    }

    /// Approximate heap bytes the index holds.
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let map_entry = size_of::<BusinessId>() + size_of::<u32>() + 1;
        self.ids.capacity() * size_of::<BusinessId>()
            + self.rows.capacity() * size_of::<Row>()
            + self.slot_of.capacity() * map_entry
            + (self.by_name.capacity() + self.rank.capacity()) * 4
            + self.names.capacity()
            + self.name_spans.capacity() * 8
            + (self.kbli.capacity() + self.tokens.capacity()) * 4
            + self.vocabulary.iter().map(|w| w.len() * 2 + 16 + 8 + 4).sum::<usize>()
            + self.by_length.iter().map(|v| v.capacity() * 4).sum::<usize>()
            + self.postings.iter().map(|p| p.capacity() * 4 + 24).sum::<usize>()
    }

    /// One page of the list, in name order, or best match first when the query has words.
    pub fn search(&self, query: &RegistryQuery, offset: usize, limit: usize) -> RegistryPage {
        let Some(wanted) = self.wanted(query) else {
            return RegistryPage::default();
        };
        let words = query.text.as_deref().map(search_words).unwrap_or_default();
        if words.is_empty() {
            return self.list_page(&wanted, offset, limit);
        }
        let mut hits = self.text_hits(&words);
        hits.retain(|(slot, _)| self.keeps(*slot, &wanted));
        let total = hits.len();
        let end = offset.saturating_add(limit).min(total);
        let start = offset.min(end);
        let by_relevance =
            |a: &(u32, u16), b: &(u32, u16)| b.1.cmp(&a.1).then(self.rank[a.0 as usize].cmp(&self.rank[b.0 as usize]));
        if end < total {
            hits.select_nth_unstable_by(end, by_relevance);
            hits.truncate(end);
        }
        hits.sort_unstable_by(by_relevance);
        RegistryPage { ids: hits[start..end].iter().map(|(s, _)| self.ids[*s as usize]).collect(), total }
    }

    /// Every business the query matches, in the order of its pages (for an export).
    pub fn all(&self, query: &RegistryQuery) -> Vec<BusinessId> {
        self.search(query, 0, usize::MAX).ids
    }

    fn list_page(&self, wanted: &Wanted, offset: usize, limit: usize) -> RegistryPage {
        if wanted.is_empty() {
            let end = offset.saturating_add(limit).min(self.by_name.len());
            let start = offset.min(end);
            let ids = self.by_name[start..end].iter().map(|s| self.ids[*s as usize]).collect();
            return RegistryPage { ids, total: self.by_name.len() };
        }
        // One pass in slot order (rows read sequentially) marks the matches; a second walks
        // the name order to the page, testing bits of a set that fits in cache.
        let mut marks = vec![0u64; self.rows.len().div_ceil(64)];
        let mut total = 0usize;
        let slots: Box<dyn Iterator<Item = u32> + '_> = match &wanted.within {
            Some(within) => Box::new(within.iter().copied()),
            None => Box::new(0..self.rows.len() as u32),
        };
        for slot in slots {
            if self.keeps(slot, wanted) {
                marks[slot as usize / 64] |= 1 << (slot % 64);
                total += 1;
            }
        }
        let mut ids = Vec::with_capacity(limit.min(total));
        let mut seen = 0usize;
        for &slot in &self.by_name {
            if ids.len() >= limit || seen >= total {
                break;
            }
            if marks[slot as usize / 64] & (1 << (slot % 64)) == 0 {
                continue;
            }
            if seen >= offset {
                ids.push(self.ids[slot as usize]);
            }
            seen += 1;
        }
        RegistryPage { ids, total }
    }

    fn wanted(&self, q: &RegistryQuery) -> Option<Wanted> {
        let region = |code: &Option<RegionCode>| -> Option<u16> {
            match code {
                None => Some(0),
                Some(c) => self.regions.get(c).map(|n| n as u16),
            }
        };
        let source = match &q.source {
            None => 0,
            Some(s) => self.sources.get(s)?,
        };
        let year = match q.year {
            None => 0,
            Some(y) => self.years.get(&y)?,
        };
        let kbli = match &q.kbli {
            None => None,
            Some(code) => Some(KbliWant::new(code)?),
        };
        let within = q.within.as_ref().map(|ids| {
            let mut slots: Vec<u32> = ids.iter().filter_map(|id| self.slot_of.get(id).copied()).collect();
            slots.sort_unstable();
            slots.dedup();
            slots
        });
        Some(Wanted {
            within,
            kecamatan: region(&q.kecamatan)?,
            desa: region(&q.desa)?,
            class: q.class.map_or(0, class_number),
            permit: q.permit.map_or(0, permit_bit),
            source,
            year,
            kbli,
        })
    }

    fn keeps(&self, slot: u32, w: &Wanted) -> bool {
        let r = &self.rows[slot as usize];
        if !r.alive
            || w.within.as_ref().is_some_and(|slots| slots.binary_search(&slot).is_err())
            || (w.kecamatan != 0 && r.kecamatan != w.kecamatan)
            || (w.desa != 0 && r.desa != w.desa)
            || (w.class != 0 && r.class != w.class)
            || (w.permit != 0 && r.permits & w.permit == 0)
        {
            return false;
        }
        if w.source != 0 && !self.has_masked(slot, r.sources, w.source, false) {
            return false;
        }
        if w.year != 0 && !self.has_masked(slot, r.years, w.year, true) {
            return false;
        }
        if let Some(k) = &w.kbli {
            let codes = &self.kbli[r.kbli_start as usize..r.kbli_start as usize + r.kbli_len as usize];
            return codes.iter().any(|c| k.matches(*c));
        }
        true
    }

    fn has_masked(&self, slot: u32, mask: u64, n: u32, is_year: bool) -> bool {
        if mask & mask_bit(n) == 0 {
            return false;
        }
        n <= OVERFLOW_BIT || self.overflow.get(&slot).is_some_and(|o| o.contains(&(is_year, n)))
    }

    /// The live slots holding every word (or a near spelling of it), with their match quality.
    fn text_hits(&self, words: &[String]) -> Vec<(u32, u16)> {
        let mut lists: Vec<Vec<(u32, u16)>> = Vec::with_capacity(words.len());
        for (i, word) in words.iter().enumerate() {
            let list = self.word_hits(word, i + 1 == words.len());
            if list.is_empty() {
                return Vec::new();
            }
            lists.push(list);
        }
        lists.sort_unstable_by_key(Vec::len);
        let mut lists = lists.into_iter();
        let mut acc = lists.next().unwrap_or_default();
        for list in lists {
            acc = intersect(&acc, &list);
            if acc.is_empty() {
                break;
            }
        }
        acc
    }

    /// Slots (ascending) holding `word` or a near spelling, each with its best quality.
    fn word_hits(&self, word: &str, last: bool) -> Vec<(u32, u16)> {
        let candidates = self.candidates(word, last);
        if let [(id, quality)] = candidates.as_slice() {
            return self.postings[*id as usize].iter().map(|s| (*s, *quality)).collect();
        }
        let mut all: Vec<(u32, u16)> =
            candidates.iter().flat_map(|(id, q)| self.postings[*id as usize].iter().map(move |s| (*s, *q))).collect();
        // Best quality first within a slot, so dedup keeps it.
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        all.dedup_by_key(|(s, _)| *s);
        all
    }

    /// Vocabulary words a search word may stand for, with how well each matches.
    fn candidates(&self, word: &str, last: bool) -> Vec<(u32, u16)> {
        let mut out: Vec<(u32, u16)> = Vec::new();
        let exact = self.word_id.get(word).copied();
        if let Some(id) = exact {
            out.push((id, EXACT));
        }
        let w = word.as_bytes();
        let edits = allowed_edits(w.len());
        let prefix = last && w.len() >= 3;
        let low = w.len().saturating_sub(edits);
        let high = if prefix { self.by_length.len() } else { (w.len() + edits + 1).min(self.by_length.len()) };
        for len in low..high {
            for &id in &self.by_length[len] {
                if Some(id) == exact {
                    continue;
                }
                let v = self.vocabulary[id as usize].as_bytes();
                if prefix && v.len() > w.len() && v.starts_with(w) {
                    out.push((id, PREFIX));
                    continue;
                }
                if edits == 0 || len > w.len() + edits {
                    continue;
                }
                match bounded_distance(w, v, edits) {
                    Some(1) => out.push((id, ONE_EDIT)),
                    Some(2) => out.push((id, TWO_EDITS)),
                    _ => {}
                }
            }
        }
        out
    }

    fn order(&self, a: u32, b: u32) -> std::cmp::Ordering {
        self.name_of(a).cmp(self.name_of(b)).then(self.ids[a as usize].cmp(&self.ids[b as usize]))
    }

    fn name_of(&self, slot: u32) -> &str {
        let (start, len) = self.name_spans[slot as usize];
        &self.names[start as usize..(start + len) as usize]
    }

    fn renumber_from(&mut self, at: usize) {
        for (i, s) in self.by_name.iter().enumerate().skip(at) {
            self.rank[*s as usize] = i as u32;
        }
    }

    fn kill(&mut self, slot: u32) {
        let row = &mut self.rows[slot as usize];
        if row.alive {
            row.alive = false;
            self.live -= 1;
        }
        self.slot_of.remove(&self.ids[slot as usize]);
    }

    /// Appends a row for `f` (not yet in the name order); its slot.
    fn add_row(&mut self, f: &BusinessFacts) -> u32 {
        let slot = self.rows.len() as u32;
        let mut row = Row { alive: true, ..Row::default() };
        row.kecamatan = f.kecamatan.as_ref().map_or(0, |c| self.regions.intern(c) as u16);
        row.desa = f.desa.as_ref().map_or(0, |c| self.regions.intern(c) as u16);
        row.class = f.class.map_or(0, class_number);
        row.permits = f.permits.iter().fold(0, |m, p| m | permit_bit(*p));
        for s in &f.sources {
            let n = self.sources.intern(s);
            row.sources |= mask_bit(n);
            if n > OVERFLOW_BIT {
                self.overflow.entry(slot).or_default().push((false, n));
            }
        }
        for y in &f.years {
            let n = self.years.intern(y);
            row.years |= mask_bit(n);
            if n > OVERFLOW_BIT {
                self.overflow.entry(slot).or_default().push((true, n));
            }
        }
        row.kbli_start = self.kbli.len() as u32;
        let codes: Vec<u32> = f.kbli.iter().filter_map(encode_kbli).take(u8::MAX as usize).collect();
        row.kbli_len = codes.len() as u8;
        self.kbli.extend(codes);
        row.token_start = self.tokens.len() as u32;
        let mut words = name_tokens(&f.name);
        if let Some(owner) = &f.owner {
            words.extend(owner_tokens(owner));
        }
        words.sort_unstable();
        words.dedup();
        words.truncate(u8::MAX as usize);
        row.token_len = words.len() as u8;
        for w in words {
            let id = self.word(w);
            self.tokens.push(id);
            self.postings[id as usize].push(slot);
        }
        let key = name_key(&f.name);
        self.name_spans.push((self.names.len() as u32, key.len() as u32));
        self.names.push_str(&key);
        self.ids.push(f.id);
        self.rows.push(row);
        self.slot_of.insert(f.id, slot);
        self.live += 1;
        slot
    }

    fn word(&mut self, w: String) -> u32 {
        if let Some(id) = self.word_id.get(w.as_str()) {
            return *id;
        }
        let id = self.vocabulary.len() as u32;
        let len = w.len();
        if self.by_length.len() <= len {
            self.by_length.resize_with(len + 1, Vec::new);
        }
        self.by_length[len].push(id);
        let w: Box<str> = w.into_boxed_str();
        self.vocabulary.push(w.clone());
        self.word_id.insert(w, id);
        self.postings.push(Vec::new());
        id
    }
}

/// A search's words as the registry's names hold them; owner-style words when the search is
/// only of words a business name drops ("Bu Haji").
fn search_words(text: &str) -> Vec<String> {
    let mut words = name_tokens(text);
    if words.is_empty() {
        words = owner_tokens(text);
    }
    words.truncate(MAX_QUERY_WORDS);
    words
}

/// The slots in both ascending lists, their qualities added.
fn intersect(a: &[(u32, u16)], b: &[(u32, u16)]) -> Vec<(u32, u16)> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;

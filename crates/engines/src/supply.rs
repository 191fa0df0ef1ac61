//! Demand → local suppliers (issue 7): the top suppliers for a buyer's demand among up to a
//! million, with the reasons for each, in milliseconds (see `bench/matching.md`).
//!
//! Suppliers are the registry's UMKM and the partners that supply (cooperatives, BUMD). A
//! partner declares what it supplies on its registry profile: its KBLI code and the words of
//! its sector and description; a business by its KBLI codes, its products (registry text and
//! catalogue entries) and the catalogue categories of those products.
//!
//! **Hard filters** (a supplier failing one is never listed): active; every required permit held
//! and valid on the demand's deadline; monthly capacity at least the monthly quantity, where the
//! capacity is known. **Soft scores**, additive, each with a [`Reason`] whose points sum to the
//! score: KBLI agreement at 5/4/3/2 digits, the same category, words in common after Indonesian
//! normalisation (stems, old spellings folded) with one or two typos forgiven, nearness by region
//! (same desa, kecamatan, kab/kota, province), curated catalogue products, channel history, past
//! deals. A supplier must agree on *what* (KBLI, category or words) to be listed at all: a
//! neighbour selling something else is no match however near.
//!
//! **Ties** are broken by the supplier id, ascending: ids are UUID v7, so among equals the
//! supplier registered first comes first, and a ranking never changes between two calls.
//!
//! Candidates come from posting lists (words, KBLI golongan pokok, category), so a query scores
//! only suppliers that agree on something, never the whole registry. [`SupplyIndex::upsert`] and
//! [`SupplyIndex::remove`] keep the index current after a write; a replaced supplier leaves a
//! tombstone until the next build.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use sinergi_domain::market::catalogue::Category;
use sinergi_domain::umkm::PermitKind;
use sinergi_domain::{BusinessId, KbliCode, KbliLevel, PartnerId, RegionCode};
use time::Date;

use crate::er::normalize::fold_spelling;
use crate::registry_search::{allowed_edits, bounded_distance};
use crate::text::words_with_originals;

/// Who supplies: a business of the registry or a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum SupplierRef {
    Business(BusinessId),
    Partner(PartnerId),
}

impl SupplierRef {
    pub fn uuid(&self) -> uuid::Uuid {
        match self {
            SupplierRef::Business(b) => b.as_uuid(),
            SupplierRef::Partner(p) => p.as_uuid(),
        }
    }

    /// "umkm" or "mitra", as stored.
    pub fn kind_slug(&self) -> &'static str {
        match self {
            SupplierRef::Business(_) => "umkm",
            SupplierRef::Partner(_) => "mitra",
        }
    }

    pub fn from_parts(kind: &str, id: uuid::Uuid) -> Option<SupplierRef> {
        match kind {
            "umkm" => Some(SupplierRef::Business(BusinessId::from_uuid(id))),
            "mitra" => Some(SupplierRef::Partner(PartnerId::from_uuid(id))),
            _ => None,
        }
    }
}

/// A permit a supplier holds and until when (`None`: no expiry, as a NIB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldPermit {
    pub kind: PermitKind,
    pub expires: Option<Date>,
}

/// What matching knows of one supplier.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplierFacts {
    pub id: SupplierRef,
    pub name: String,
    pub active: bool,
    /// The most precise place known: desa, else kecamatan, else kab/kota.
    pub region: Option<RegionCode>,
    pub kbli: Vec<KbliCode>,
    pub categories: Vec<Category>,
    /// Products, sector, description: the words it is found by.
    pub text: String,
    pub permits: Vec<HeldPermit>,
    /// What it can deliver a month, when known (the largest of its catalogue products').
    pub capacity_per_month: Option<i64>,
    pub curated_products: u16,
    /// Channels (retail pipelines, SPPG kitchens) it has joined.
    pub channels: u16,
    pub past_deals: u16,
}

/// How near the supplier is to the delivery place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Nearness {
    Province,
    Regency,
    Kecamatan,
    Desa,
}

/// A demand as matching sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandQuery {
    pub kbli: Option<KbliCode>,
    pub category: Option<Category>,
    /// Title and description.
    pub text: String,
    pub region: Option<RegionCode>,
    pub permits: Vec<PermitKind>,
    /// The quantity a month the supplier must manage (see [`monthly`]).
    pub monthly_quantity: Option<i64>,
    /// Permits must be valid on this day (the deadline or the delivery date).
    pub on: Date,
}

/// One reason a supplier ranks where it does; its points add up to the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reason {
    /// Its KBLI code shares this many leading digits with the demand's (2 to 5), or the same
    /// kategori letter (`digits` 1).
    Kbli {
        code: String,
        digits: u8,
    },
    Category {
        category: Category,
    },
    /// Words of the demand found among its words as typed, and those found with a typo.
    Words {
        exact: Vec<String>,
        near: Vec<String>,
    },
    Near {
        nearness: Nearness,
    },
    Curated {
        products: u16,
    },
    Channels {
        count: u16,
    },
    PastDeals {
        count: u16,
    },
    /// A required permit, valid on the day (no points: a hard filter, shown for trust).
    PermitValid {
        permit: PermitKind,
        until: Option<Date>,
    },
    /// Its monthly capacity covers the demand (no points: a hard filter).
    Capacity {
        per_month: i64,
    },
}

impl Reason {
    pub fn points(&self) -> u32 {
        match self {
            Reason::Kbli { digits, .. } => match digits {
                5 => 8,
                4 => 6,
                3 => 4,
                2 => 2,
                _ => 1,
            },
            Reason::Category { .. } => 3,
            Reason::Words { exact, near } => 2 * exact.len() as u32 + near.len() as u32,
            Reason::Near { nearness } => match nearness {
                Nearness::Desa => 6,
                Nearness::Kecamatan => 4,
                Nearness::Regency => 2,
                Nearness::Province => 1,
            },
            Reason::Curated { .. } => 2,
            Reason::Channels { count } => u32::from(*count).min(2),
            Reason::PastDeals { count } => u32::from(*count).min(3),
            Reason::PermitValid { .. } | Reason::Capacity { .. } => 0,
        }
    }
}

/// One supplier in a ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupplierMatch {
    pub supplier: SupplierRef,
    pub name: String,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// The quantity a month of `quantity` delivered at `per` (sekali, harian, mingguan, bulanan):
/// what a supplier's monthly capacity is compared with.
pub fn monthly(quantity: i64, frequency: sinergi_domain::market::demand::Frequency) -> i64 {
    use sinergi_domain::market::demand::Frequency::*;
    match frequency {
        Once | Monthly => quantity,
        // 26 working days, 4⅓ weeks a month.
        Daily => quantity.saturating_mul(26),
        Weekly => (quantity.saturating_mul(13) + 2) / 3,
    }
}

/// The catalogue category a KBLI code's golongan pokok belongs to, so that a business the
/// catalogue does not list yet still meets a demand by category.
pub fn category_of_kbli(code: &KbliCode) -> Option<Category> {
    let two: u8 = code.prefix(2)?.parse().ok()?;
    Some(match two {
        1 | 2 => Category::Pertanian,
        3 => Category::Perikanan,
        10 | 56 => Category::Makanan,
        11 => Category::Minuman,
        13..=15 => Category::Fesyen,
        16 | 31 | 32 => Category::Kerajinan,
        _ => return None,
    })
}

/// Words beyond this many in a demand are ignored.
const MAX_QUERY_WORDS: usize = 12;
/// Words shorter than this are matched exactly (a typo in "teh" is another word).
const MIN_FUZZY_LEN: usize = 5;

#[derive(Debug, Clone, Copy, Default)]
struct Row {
    /// Interned province, kab/kota, kecamatan, desa (0: unknown).
    region: [u32; 4],
    kbli_start: u32,
    token_start: u32,
    permit_start: u32,
    capacity: i64,
    curated: u16,
    channels: u16,
    deals: u16,
    categories: u8,
    kbli_len: u8,
    token_len: u8,
    permit_len: u8,
    alive: bool,
}

/// Count a reason's points, and keep the reason when the reasons are written out.
fn add(r: Reason, score: &mut u32, out: &mut Option<Vec<Reason>>) {
    *score += r.points();
    if let Some(o) = out.as_mut() {
        o.push(r);
    }
}

/// The supplier index of one Pemda (or of a benchmark's million).
#[derive(Debug, Default)]
pub struct SupplyIndex {
    ids: Vec<SupplierRef>,
    names: Vec<Box<str>>,
    rows: Vec<Row>,
    slot_of: FxHashMap<SupplierRef, u32>,
    /// KBLI codes as (digits, value) in one arena.
    kbli: Vec<(u8, u32)>,
    tokens: Vec<u32>,
    permits: Vec<HeldPermit>,
    regions: FxHashMap<String, u32>,
    vocabulary: Vec<Box<str>>,
    /// Each vocabulary word's [`letter_set`].
    vocabulary_letters: Vec<u64>,
    word_id: FxHashMap<Box<str>, u32>,
    postings: Vec<Vec<u32>>,
    /// Slots by golongan pokok (the first two digits of a KBLI code).
    by_kbli2: Vec<Vec<u32>>,
    /// Slots by a KBLI prefix of 3, 4 or 5 digits ([`prefix_key`]): the precise agreements,
    /// short lists read before the long ones.
    by_kbli_prefix: FxHashMap<u64, Vec<u32>>,
    by_category: Vec<Vec<u32>>,
    /// Slots by interned kecamatan and desa: the near suppliers, whose places add points.
    by_place: FxHashMap<u32, Vec<u32>>,
    /// Slots by permit held (valid or not: the day is checked when scored). A demand that
    /// requires a permit only ever lists its holders.
    by_permit: FxHashMap<PermitKind, Vec<u32>>,
    /// Slots with curated products, channels or past deals (the rare ones with a track
    /// record), with the points that record earns.
    tracked: Vec<(u32, u8)>,
    live: usize,
}

/// The most nearness adds to a supplier outside the delivery's kecamatan (same kab/kota).
const FAR_MAX: u8 = 2;

/// The points a row's track record earns, as [`Reason::points`] counts them.
fn track_points(row: &Row) -> u8 {
    let curated = if row.curated > 0 { Reason::Curated { products: row.curated }.points() } else { 0 };
    let channels = Reason::Channels { count: row.channels }.points();
    let deals = Reason::PastDeals { count: row.deals }.points();
    (curated + channels + deals) as u8
}

fn prefix_key(digits: u8, value: u32) -> u64 {
    (u64::from(digits) << 32) | u64::from(value)
}

/// What a query has learnt of one slot from the posting lists, to bound its score before its
/// row is read: KBLI points (the best level found), word points (2 exact, 1 near, per list:
/// an upper bound), nearness points, and its track record's points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Seen {
    kbli: u8,
    words: u8,
    near: u8,
    track: u8,
    /// Holds the demand's rarest required permit (see [`SupplyIndex::top`]).
    holder: bool,
}

impl Seen {
    /// Met in no list yet.
    fn is_empty(&self) -> bool {
        self.kbli == 0 && self.words == 0 && self.near == 0 && self.track == 0
    }
}

thread_local! {
    /// Each thread's [`Seen`] per slot, kept between queries and left all default after each:
    /// at a million suppliers a fresh table is megabytes to allocate and zero per ranking.
    static SEEN: std::cell::RefCell<Vec<Seen>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The worst of the best so far sorts greatest: a lower score, or the same score and a later id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ranked {
    score: u32,
    id: uuid::Uuid,
    slot: u32,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.score.cmp(&self.score).then_with(|| self.id.cmp(&other.id))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A text's comparable words: stems with old and regional spellings folded, each with the
/// word as written.
fn terms(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (stem, original) in words_with_originals(text) {
        let folded = fold_spelling(&stem);
        if !out.iter().any(|(s, _)| *s == folded) {
            out.push((folded, original));
        }
    }
    out
}

/// A word's letters as a set, each byte folded into one of 64 buckets. One edit changes at most
/// two buckets (a substitution drops one letter and adds another), so two words whose sets
/// differ in more than twice the edits allowed cannot be within them: the vocabulary scan for
/// typos skips most words without computing a distance.
fn letter_set(w: &str) -> u64 {
    w.bytes().fold(0, |m, b| m | 1u64 << (b & 63))
}

fn category_bit(c: Category) -> u8 {
    1 << Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

fn kbli_parts(code: &KbliCode) -> Option<(u8, u32)> {
    if code.level() == KbliLevel::Kategori {
        return None;
    }
    Some((code.as_str().len() as u8, code.as_str().parse().ok()?))
}

/// Leading digits two KBLI codes share (0 when fewer than 2).
fn shared_digits(a: (u8, u32), b: (u8, u32)) -> u8 {
    let (da, va) = a;
    let (db, vb) = b;
    let mut best = 0;
    for d in 2..=da.min(db) {
        if va / 10u32.pow(u32::from(da - d)) == vb / 10u32.pow(u32::from(db - d)) {
            best = d;
        } else {
            break;
        }
    }
    best
}

fn region_levels(code: &RegionCode) -> [String; 4] {
    let s = code.as_str();
    let parts: Vec<&str> = s.split('.').collect();
    std::array::from_fn(|i| if i < parts.len() { parts[..=i].join(".") } else { String::new() })
}

/// The query's words with the vocabulary ids that meet each: exactly, or within the edits its
/// length allows.
struct QueryWords {
    originals: Vec<String>,
    exact: FxHashMap<u32, usize>,
    near: FxHashMap<u32, usize>,
    /// Per vocabulary word: 0 when the query does not hold it, else 1 + the query word's
    /// index, with [`NEAR_FLAG`] set when met by a typo. A table, not a map: every candidate's
    /// every word is looked up.
    table: Vec<u8>,
}

const NEAR_FLAG: u8 = 0x80;

impl SupplyIndex {
    pub fn build(facts: impl IntoIterator<Item = SupplierFacts>) -> SupplyIndex {
        let mut index = SupplyIndex {
            by_kbli2: vec![Vec::new(); 100],
            by_category: vec![Vec::new(); Category::ALL.len()],
            ..Default::default()
        };
        for f in facts {
            index.upsert(f);
        }
        index
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Rows of suppliers since replaced or removed.
    pub fn dead_rows(&self) -> usize {
        self.rows.len() - self.live
    }

    /// Adds a supplier, or replaces what the index knew of it.
    pub fn upsert(&mut self, f: SupplierFacts) {
        if self.by_kbli2.is_empty() {
            self.by_kbli2 = vec![Vec::new(); 100];
            self.by_category = vec![Vec::new(); Category::ALL.len()];
        }
        self.remove(f.id);
        let slot = self.rows.len() as u32;
        let mut row = Row {
            kbli_start: self.kbli.len() as u32,
            token_start: self.tokens.len() as u32,
            permit_start: self.permits.len() as u32,
            capacity: f.capacity_per_month.unwrap_or(-1),
            curated: f.curated_products,
            channels: f.channels,
            deals: f.past_deals,
            alive: f.active,
            ..Default::default()
        };
        if let Some(r) = &f.region {
            for (i, level) in region_levels(r).into_iter().enumerate() {
                if !level.is_empty() {
                    let next = self.regions.len() as u32 + 1;
                    row.region[i] = *self.regions.entry(level).or_insert(next);
                }
            }
        }
        let mut kbli2 = FxHashSet::default();
        let mut categories = 0u8;
        for c in &f.categories {
            categories |= category_bit(*c);
        }
        let mut prefixes = FxHashSet::default();
        for code in f.kbli.iter().take(255) {
            let Some(parts) = kbli_parts(code) else { continue };
            self.kbli.push(parts);
            row.kbli_len += 1;
            kbli2.insert(parts.1 / 10u32.pow(u32::from(parts.0 - 2)));
            for d in 3..=parts.0 {
                prefixes.insert(prefix_key(d, parts.1 / 10u32.pow(u32::from(parts.0 - d))));
            }
            if let Some(c) = category_of_kbli(code) {
                categories |= category_bit(c);
            }
        }
        row.categories = categories;
        let mut held = FxHashSet::default();
        for p in f.permits.iter().take(255) {
            self.permits.push(*p);
            row.permit_len += 1;
            held.insert(p.kind);
        }
        let mut seen = FxHashSet::default();
        for (term, _) in terms(&format!("{} {}", f.name, f.text)).into_iter().take(255) {
            let id = match self.word_id.get(term.as_str()) {
                Some(id) => *id,
                None => {
                    let id = self.vocabulary.len() as u32;
                    self.vocabulary.push(term.clone().into());
                    self.vocabulary_letters.push(letter_set(&term));
                    self.word_id.insert(term.into(), id);
                    self.postings.push(Vec::new());
                    id
                }
            };
            if seen.insert(id) {
                self.tokens.push(id);
                row.token_len += 1;
                if f.active {
                    self.postings[id as usize].push(slot);
                }
            }
        }
        if f.active {
            for k in kbli2 {
                self.by_kbli2[k as usize % 100].push(slot);
            }
            for k in prefixes {
                self.by_kbli_prefix.entry(k).or_default().push(slot);
            }
            for place in [row.region[2], row.region[3]] {
                if place != 0 {
                    self.by_place.entry(place).or_default().push(slot);
                }
            }
            for kind in held {
                self.by_permit.entry(kind).or_default().push(slot);
            }
            let track = track_points(&row);
            if track > 0 {
                self.tracked.push((slot, track));
            }
            for (i, c) in Category::ALL.iter().enumerate() {
                if categories & category_bit(*c) != 0 {
                    self.by_category[i].push(slot);
                }
            }
            self.live += 1;
        }
        self.rows.push(row);
        self.ids.push(f.id);
        self.names.push(f.name.into());
        self.slot_of.insert(f.id, slot);
    }

    /// Forgets a supplier; whether it was there.
    pub fn remove(&mut self, id: SupplierRef) -> bool {
        let Some(slot) = self.slot_of.remove(&id) else {
            return false;
        };
        let row = &mut self.rows[slot as usize];
        if row.alive {
            row.alive = false;
            self.live -= 1;
        }
        true
    }

    fn query_words(&self, text: &str) -> QueryWords {
        let mut q = QueryWords {
            originals: Vec::new(),
            exact: FxHashMap::default(),
            near: FxHashMap::default(),
            table: Vec::new(),
        };
        for (i, (term, original)) in terms(text).into_iter().take(MAX_QUERY_WORDS).enumerate() {
            q.originals.push(original);
            if let Some(id) = self.word_id.get(term.as_str()) {
                q.exact.insert(*id, i);
            }
            if term.len() < MIN_FUZZY_LEN {
                continue;
            }
            let max = allowed_edits(term.len());
            let letters = letter_set(&term);
            for (id, w) in self.vocabulary.iter().enumerate() {
                if w.len().abs_diff(term.len()) > max
                    || (self.vocabulary_letters[id] ^ letters).count_ones() as usize > 2 * max
                    || **w == *term
                {
                    continue;
                }
                if bounded_distance(term.as_bytes(), w.as_bytes(), max).is_some() {
                    q.near.entry(id as u32).or_insert(i);
                }
            }
        }
        if !q.exact.is_empty() || !q.near.is_empty() {
            q.table = vec![0; self.vocabulary.len()];
            for (id, i) in &q.near {
                q.table[*id as usize] = (*i as u8 + 1) | NEAR_FLAG;
            }
            for (id, i) in &q.exact {
                q.table[*id as usize] = *i as u8 + 1;
            }
        }
        q
    }

    /// The top `limit` suppliers for a demand, best first, with their reasons.
    ///
    /// A demand for eggs with a category names hundreds of thousands of suppliers at a million,
    /// and reading each one's row is what costs (cache misses, not arithmetic). So the short
    /// posting lists are read first (KBLI at 3 to 5 digits, the words, the kecamatan and desa
    /// of delivery, the suppliers with a track record), which bounds each slot's score from
    /// above without its row; slots are then scored best bound first, and scoring stops when no
    /// bound left can reach the `limit`-th best score. The long lists (the category, KBLI at 2
    /// digits or by kategori) can only bring slots seen in none of the short lists, whose bound
    /// is small, so they are read only when the best so far do not already beat it. The result
    /// is exactly the exhaustive ranking's (a property test checks it). When the demand requires
    /// permits, only the holders of the rarest of them are taken from any list.
    pub fn top(&self, demand: &DemandQuery, limit: usize) -> Vec<SupplierMatch> {
        if limit == 0 {
            return Vec::new();
        }
        let words = self.query_words(&demand.text);
        let want_kbli = demand.kbli.as_ref().and_then(kbli_parts);
        let want_section = demand.kbli.as_ref().filter(|k| k.level() == KbliLevel::Kategori).and_then(|k| k.section());
        let want_region: [u32; 4] = match &demand.region {
            Some(r) => {
                let levels = region_levels(r);
                std::array::from_fn(|i| self.regions.get(&levels[i]).copied().unwrap_or(u32::MAX))
            }
            None => [u32::MAX; 4],
        };

        // The thread's table from the last query, all default again (see `SEEN`).
        let mut seen = SEEN.with(|s| std::mem::take(&mut *s.borrow_mut()));
        if seen.len() < self.rows.len() {
            seen.resize(self.rows.len(), Seen::default());
        }
        // A required permit is a hard filter, and a rare one (a P-IRT, a BPOM MD) would leave
        // the bounds below useless: the best-bounded suppliers of a snack demand are mostly
        // without one, and each would be read to learn it. So the holders of the rarest
        // required permit are marked first, and the lists pass over everyone else.
        // A permit most suppliers hold (an NIB) is left to the hard filter: marking hundreds of
        // thousands of holders would cost more than the few rows it spares.
        let rarest =
            demand.permits.iter().map(|p| self.by_permit.get(p).map_or(&[][..], Vec::as_slice)).min_by_key(|l| l.len());
        let (gated, holders): (bool, &[u32]) = match rarest {
            Some(list) if list.len() <= self.rows.len() / 4 => (true, list),
            _ => (false, &[]),
        };
        for slot in holders {
            seen[*slot as usize].holder = true;
        }

        // The short lists, into what each slot is known to score at most.
        let mut touched: Vec<u32> = Vec::new();
        let mut mark = |slot: u32, f: &dyn Fn(&mut Seen)| {
            let s = &mut seen[slot as usize];
            if gated && !s.holder {
                return;
            }
            if s.is_empty() {
                touched.push(slot);
            }
            f(s);
        };
        if let Some((digits, value)) = want_kbli {
            for d in (3..=digits).rev() {
                let points = Reason::Kbli { code: String::new(), digits: d }.points() as u8;
                let key = prefix_key(d, value / 10u32.pow(u32::from(digits - d)));
                for slot in self.by_kbli_prefix.get(&key).into_iter().flatten() {
                    mark(*slot, &|s| s.kbli = s.kbli.max(points));
                }
            }
        }
        for (ids, points) in [(&words.exact, 2u8), (&words.near, 1)] {
            for id in ids.keys() {
                for slot in &self.postings[*id as usize] {
                    mark(*slot, &|s| s.words = s.words.saturating_add(points));
                }
            }
        }
        for (level, points) in [(2usize, 4u8), (3, 6)] {
            for slot in self.by_place.get(&want_region[level]).into_iter().flatten() {
                mark(*slot, &|s| s.near = s.near.max(points));
            }
        }
        for (slot, points) in &self.tracked {
            mark(*slot, &|s| s.track = *points);
        }

        // What the long lists may add to any slot.
        let late_kbli = match want_kbli {
            Some(_) => Reason::Kbli { code: String::new(), digits: 2 }.points() as u8,
            None if want_section.is_some() => Reason::Kbli { code: String::new(), digits: 1 }.points() as u8,
            None => 0,
        };
        let late_category =
            if demand.category.is_some() { Reason::Category { category: Category::Lainnya }.points() as u8 } else { 0 };
        let far = if demand.region.is_some() { FAR_MAX } else { 0 };
        let bound = |s: &Seen| -> u32 {
            let kbli = s.kbli.max(late_kbli);
            let near = if s.near > 0 { s.near } else { far };
            u32::from(kbli) + u32::from(s.words) + u32::from(late_category) + u32::from(near) + u32::from(s.track)
        };

        // Best bound first (a counting sort: bounds are small numbers).
        let mut by_bound: Vec<Vec<u32>> = Vec::new();
        for slot in &touched {
            let b = bound(&seen[*slot as usize]) as usize;
            if by_bound.len() <= b {
                by_bound.resize_with(b + 1, Vec::new);
            }
            by_bound[b].push(*slot);
        }
        let mut best: std::collections::BinaryHeap<Ranked> = std::collections::BinaryHeap::with_capacity(limit + 1);
        let beaten = |best: &std::collections::BinaryHeap<Ranked>, bound: u32| {
            best.len() == limit && best.peek().is_some_and(|worst| bound < worst.score)
        };
        let consider = |slot: u32, best: &mut std::collections::BinaryHeap<Ranked>| {
            if let Some(score) = self.score(slot, demand, &words, want_kbli, want_section, &want_region, None) {
                best.push(Ranked { score, id: self.ids[slot as usize].uuid(), slot });
                if best.len() > limit {
                    best.pop();
                }
            }
        };
        'short: for (b, slots) in by_bound.iter().enumerate().rev() {
            if beaten(&best, b as u32) {
                break 'short;
            }
            for slot in slots {
                consider(*slot, &mut best);
            }
        }

        // The long lists: only slots seen in none of the short lists are new, and they can
        // score no more than the long lists' points, nearness within the kab/kota, no record.
        let untouched_bound = u32::from(late_kbli) + u32::from(late_category) + u32::from(far);
        let mut late: Vec<u32> = Vec::new();
        if !beaten(&best, untouched_bound) {
            let mut long: Vec<&[u32]> = Vec::new();
            if let Some((digits, value)) = want_kbli {
                long.push(&self.by_kbli2[(value / 10u32.pow(u32::from(digits - 2))) as usize % 100]);
            }
            if let Some(letter) = want_section {
                for two in 0..100u32 {
                    if KbliCode::parse(&format!("{two:02}")).ok().and_then(|c| c.section()) == Some(letter) {
                        long.push(&self.by_kbli2[two as usize]);
                    }
                }
            }
            if let Some(c) = demand.category {
                long.push(&self.by_category[Category::ALL.iter().position(|x| *x == c).unwrap_or(0)]);
            }
            for list in long {
                for slot in list {
                    let s = &mut seen[*slot as usize];
                    if !s.is_empty() || (gated && !s.holder) {
                        continue;
                    }
                    // Seen now (no record has 255 points), so a slot in two long lists is
                    // scored once.
                    s.track = u8::MAX;
                    late.push(*slot);
                    consider(*slot, &mut best);
                }
            }
        }

        for slot in touched.iter().chain(&late).chain(holders) {
            seen[*slot as usize] = Seen::default();
        }
        SEEN.with(|s| *s.borrow_mut() = seen);

        let mut ranked = best.into_sorted_vec();
        ranked.truncate(limit);
        ranked
            .into_iter()
            .map(|Ranked { score, slot, .. }| {
                let mut reasons = Vec::new();
                self.score(slot, demand, &words, want_kbli, want_section, &want_region, Some(&mut reasons));
                SupplierMatch {
                    supplier: self.ids[slot as usize],
                    name: self.names[slot as usize].to_string(),
                    score,
                    reasons,
                }
            })
            .collect()
    }

    /// Every agreeing supplier scored, no list skipped: what [`SupplyIndex::top`] must equal.
    #[cfg(test)]
    fn top_exhaustive(&self, demand: &DemandQuery, limit: usize) -> Vec<(SupplierRef, u32)> {
        let words = self.query_words(&demand.text);
        let want_kbli = demand.kbli.as_ref().and_then(kbli_parts);
        let want_section = demand.kbli.as_ref().filter(|k| k.level() == KbliLevel::Kategori).and_then(|k| k.section());
        let want_region: [u32; 4] = match &demand.region {
            Some(r) => {
                let levels = region_levels(r);
                std::array::from_fn(|i| self.regions.get(&levels[i]).copied().unwrap_or(u32::MAX))
            }
            None => [u32::MAX; 4],
        };
        let mut all: Vec<(u32, uuid::Uuid, SupplierRef)> = (0..self.rows.len() as u32)
            .filter_map(|slot| {
                let score = self.score(slot, demand, &words, want_kbli, want_section, &want_region, None)?;
                Some((score, self.ids[slot as usize].uuid(), self.ids[slot as usize]))
            })
            .collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        all.into_iter().take(limit).map(|(score, _, id)| (id, score)).collect()
    }

    /// The supplier's score for the demand, or `None` when a hard filter fails or nothing
    /// agrees on what is wanted; the reasons are written out when asked for.
    #[allow(clippy::too_many_arguments)] // the query prepared once, passed per candidate
    fn score(
        &self,
        slot: u32,
        demand: &DemandQuery,
        words: &QueryWords,
        want_kbli: Option<(u8, u32)>,
        want_section: Option<char>,
        want_region: &[u32; 4],
        reasons: Option<&mut Vec<Reason>>,
    ) -> Option<u32> {
        let row = &self.rows[slot as usize];
        if !row.alive {
            return None;
        }
        // Hard filters first: they are cheap and most often decisive.
        let permits = &self.permits[row.permit_start as usize..(row.permit_start + u32::from(row.permit_len)) as usize];
        for want in &demand.permits {
            if !permits.iter().any(|p| p.kind == *want && p.expires.is_none_or(|e| e >= demand.on)) {
                return None;
            }
        }
        if let Some(need) = demand.monthly_quantity
            && row.capacity >= 0
            && row.capacity < need
        {
            return None;
        }
        // What: KBLI, category, words. Points are added as they are found; the reasons are
        // written out only for the few suppliers shown (the same points, see `Reason::points`).
        let mut out: Option<Vec<Reason>> = reasons.is_some().then(Vec::new);
        let mut score = 0u32;
        let mut agrees = false;
        let codes = &self.kbli[row.kbli_start as usize..(row.kbli_start + u32::from(row.kbli_len)) as usize];
        if let Some(want) = want_kbli
            && let Some((parts, digits)) =
                codes.iter().map(|c| (*c, shared_digits(*c, want))).filter(|(_, d)| *d >= 2).max_by_key(|(_, d)| *d)
        {
            agrees = true;
            // The code's text is made only for the suppliers shown.
            let r = Reason::Kbli { code: String::new(), digits };
            match out.as_mut() {
                Some(_) => {
                    let code = format!("{:0width$}", parts.1, width = parts.0 as usize);
                    add(Reason::Kbli { code, digits }, &mut score, &mut out);
                }
                None => score += r.points(),
            }
        } else if let Some(letter) = want_section
            && let Some(c) = codes.iter().find(|c| {
                let s = format!("{:0width$}", c.1, width = c.0 as usize);
                KbliCode::parse(&s).ok().and_then(|k| k.section()) == Some(letter)
            })
        {
            agrees = true;
            add(
                Reason::Kbli { code: format!("{:0width$}", c.1, width = c.0 as usize), digits: 1 },
                &mut score,
                &mut out,
            );
        }
        if let Some(c) = demand.category
            && row.categories & category_bit(c) != 0
        {
            agrees = true;
            add(Reason::Category { category: c }, &mut score, &mut out);
        }
        if !words.table.is_empty() {
            let tokens = &self.tokens[row.token_start as usize..(row.token_start + u32::from(row.token_len)) as usize];
            // Bit i: the query's word i, met exactly or by a typo.
            let (mut exact, mut near) = (0u16, 0u16);
            for t in tokens {
                let hit = words.table[*t as usize];
                if hit == 0 {
                    continue;
                }
                let bit = 1u16 << ((hit & !NEAR_FLAG) - 1);
                if hit & NEAR_FLAG == 0 { exact |= bit } else { near |= bit }
            }
            near &= !exact;
            if exact | near != 0 {
                agrees = true;
                match out.as_mut() {
                    Some(_) => {
                        let name = |m: u16| {
                            (0..words.originals.len())
                                .filter(|i| m & (1 << i) != 0)
                                .map(|i| words.originals[i].clone())
                                .collect::<Vec<_>>()
                        };
                        add(Reason::Words { exact: name(exact), near: name(near) }, &mut score, &mut out);
                    }
                    None => score += 2 * exact.count_ones() + near.count_ones(),
                }
            }
        }
        if !agrees {
            return None;
        }
        // Where, and track record.
        let nearness = [Nearness::Desa, Nearness::Kecamatan, Nearness::Regency, Nearness::Province]
            .into_iter()
            .zip([3usize, 2, 1, 0])
            .find(|(_, i)| row.region[*i] != 0 && row.region[*i] == want_region[*i])
            .map(|(n, _)| n);
        if let Some(nearness) = nearness {
            add(Reason::Near { nearness }, &mut score, &mut out);
        }
        if row.curated > 0 {
            add(Reason::Curated { products: row.curated }, &mut score, &mut out);
        }
        if row.channels > 0 {
            add(Reason::Channels { count: row.channels }, &mut score, &mut out);
        }
        if row.deals > 0 {
            add(Reason::PastDeals { count: row.deals }, &mut score, &mut out);
        }
        if let (Some(reasons), Some(mut out)) = (reasons, out) {
            for want in &demand.permits {
                if let Some(p) = permits
                    .iter()
                    .filter(|p| p.kind == *want && p.expires.is_none_or(|e| e >= demand.on))
                    .max_by_key(|p| p.expires.map_or(i32::MAX, |e| e.to_julian_day()))
                {
                    out.push(Reason::PermitValid { permit: p.kind, until: p.expires });
                }
            }
            if let Some(need) = demand.monthly_quantity
                && row.capacity >= need
            {
                out.push(Reason::Capacity { per_month: row.capacity });
            }
            *reasons = out;
        }
        Some(score)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::date;

    use super::*;

    fn umkm(n: u128, name: &str, desa: &str, kbli: &[&str], text: &str) -> SupplierFacts {
        SupplierFacts {
            id: SupplierRef::Business(BusinessId::from_uuid(uuid::Uuid::from_u128(n))),
            name: name.into(),
            active: true,
            region: RegionCode::parse(desa).ok(),
            kbli: kbli.iter().filter_map(|k| KbliCode::parse(k).ok()).collect(),
            categories: Vec::new(),
            text: text.into(),
            permits: vec![HeldPermit { kind: PermitKind::Nib, expires: None }],
            capacity_per_month: None,
            curated_products: 0,
            channels: 0,
            past_deals: 0,
        }
    }

    fn eggs() -> DemandQuery {
        DemandQuery {
            kbli: KbliCode::parse("01462").ok(),
            category: None,
            text: "Telur ayam ras segar".into(),
            region: RegionCode::parse("36.04.15.2001").ok(),
            permits: vec![PermitKind::Nib],
            monthly_quantity: Some(1_000),
            on: date!(2026 - 12 - 31),
        }
    }

    #[test]
    fn local_egg_producers_come_first_with_reasons() {
        let index = SupplyIndex::build([
            umkm(1, "Peternakan Telur Berkah", "36.04.15.2001", &["01462"], "telur ayam"),
            umkm(2, "Ternak Ayam Kibin", "36.04.16.2002", &["01462"], "telor ayam ras"),
            umkm(3, "Keripik Sari", "36.04.15.2001", &["10794"], "keripik singkong"),
            umkm(4, "Telur Jauh", "32.01.01.2001", &["01462"], "telur"),
        ]);
        let top = index.top(&eggs(), 10);
        let names: Vec<_> = top.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["Peternakan Telur Berkah", "Ternak Ayam Kibin", "Telur Jauh"]);
        assert!(top[0].reasons.contains(&Reason::Near { nearness: Nearness::Desa }));
        assert!(top[0].reasons.contains(&Reason::Kbli { code: "01462".into(), digits: 5 }));
        // "telor" is one edit from "telur".
        assert!(top[1].reasons.iter().any(|r| matches!(r, Reason::Words { near, .. } if near == &["telur"])));
        assert!(top[1].reasons.contains(&Reason::Near { nearness: Nearness::Regency }));
    }

    #[test]
    fn hard_filters_and_incremental_writes() {
        let mut a = umkm(1, "Telur Halal", "36.04.15.2001", &["01462"], "telur");
        a.permits.push(HeldPermit { kind: PermitKind::Halal, expires: Some(date!(2026 - 06 - 30)) });
        let mut b = umkm(2, "Telur Kecil", "36.04.15.2001", &["01462"], "telur");
        b.capacity_per_month = Some(100);
        let mut index = SupplyIndex::build([a.clone(), b]);
        assert_eq!(index.top(&eggs(), 5).len(), 1, "capacity 100 < 1,000 a month");
        let mut halal = eggs();
        halal.permits.push(PermitKind::Halal);
        assert!(index.top(&halal, 5).is_empty(), "halal expired before the deadline");
        a.permits[1].expires = Some(date!(2027 - 06 - 30));
        index.upsert(a.clone());
        assert_eq!(index.top(&halal, 5).len(), 1);
        assert_eq!(index.len(), 2);
        assert!(index.remove(a.id));
        assert!(index.top(&halal, 5).is_empty());
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn monthly_quantities() {
        use sinergi_domain::market::demand::Frequency;
        assert_eq!(monthly(100, Frequency::Daily), 2_600);
        assert_eq!(monthly(300, Frequency::Weekly), 1_300);
        assert_eq!(monthly(7, Frequency::Once), 7);
    }

    fn arb_supplier() -> impl Strategy<Value = SupplierFacts> {
        let words = prop::sample::subsequence(vec!["telur", "ayam", "sayur", "bayam", "beras", "tahu", "telor"], 0..4);
        (
            1u128..400,
            prop::sample::select(vec!["36.04.15.2001", "36.04.15.2002", "36.04.16.2001", "36.73.01.1001"]),
            prop::sample::select(vec!["01462", "01461", "01130", "10794", "47211"]),
            words,
            any::<bool>(),
            prop::option::of(0i64..3_000),
            prop::option::of(0i32..800),
            (0u16..4, any::<bool>()),
        )
            .prop_map(|(n, desa, kbli, words, active, cap, halal_days, (deals, nib))| {
                let mut f = umkm(n, &format!("Usaha {n}"), desa, &[kbli], &words.join(" "));
                f.active = active;
                f.capacity_per_month = cap;
                f.past_deals = deals;
                if let Some(d) = halal_days {
                    f.permits.push(HeldPermit {
                        kind: PermitKind::Halal,
                        expires: Some(date!(2026 - 01 - 01) + time::Duration::days(i64::from(d))),
                    });
                }
                if nib {
                    f.permits.push(HeldPermit { kind: PermitKind::Nib, expires: None });
                }
                f
            })
    }

    proptest! {
        /// The letter sets never turn away a word within the edits allowed.
        #[test]
        fn letter_sets_never_hide_a_typo(
            a in "[a-z]{5,9}",
            edits in prop::collection::vec((0u8..3, 0usize..9, prop::char::range('a', 'z')), 0..=2),
        ) {
            // `b` is `a` with up to two insertions, deletions or substitutions.
            let mut b: Vec<char> = a.chars().collect();
            for (op, at, c) in edits {
                let at = at % b.len();
                match op {
                    0 => b.insert(at, c),
                    1 if b.len() > 1 => { b.remove(at); }
                    _ => b[at] = c,
                }
            }
            let b: String = b.into_iter().collect();
            let max = allowed_edits(a.len());
            if bounded_distance(a.as_bytes(), b.as_bytes(), max).is_some() {
                prop_assert!((letter_set(&a) ^ letter_set(&b)).count_ones() as usize <= 2 * max, "{} {}", a, b);
            }
        }

        #[test]
        fn rankings_keep_their_promises(suppliers in prop::collection::vec(arb_supplier(), 1..60)) {
            let index = SupplyIndex::build(suppliers.clone());
            let mut q = eggs();
            q.permits.push(PermitKind::Halal);
            q.category = Some(Category::Pertanian);
            let top = index.top(&q, 20);
            let latest: FxHashMap<SupplierRef, &SupplierFacts> = suppliers.iter().map(|s| (s.id, s)).collect();
            for w in top.windows(2) {
                prop_assert!(w[0].score > w[1].score || (w[0].score == w[1].score && w[0].supplier.uuid() < w[1].supplier.uuid()));
            }
            for m in &top {
                let f = latest[&m.supplier];
                prop_assert!(f.active);
                prop_assert!(f.capacity_per_month.is_none_or(|c| c >= 1_000));
                prop_assert!(f.permits.iter().any(|p| p.kind == PermitKind::Halal && p.expires.is_none_or(|e| e >= q.on)));
                prop_assert_eq!(m.reasons.iter().map(Reason::points).sum::<u32>(), m.score);
            }
        }

        /// The pruned ranking is the exhaustive one, whatever the demand names: KBLI at 5 or 2
        /// digits or a kategori, a category or none, a place or none, words with typos, required
        /// permits or none, and a limit smaller or larger than the field, over suppliers with and
        /// without records.
        #[test]
        fn pruning_never_changes_the_ranking(
            suppliers in prop::collection::vec(arb_supplier(), 1..80),
            tracked in prop::collection::vec((0u16..3, 0u16..3), 80),
            kbli in prop::sample::select(vec![Some("01462"), Some("0146"), Some("01"), Some("A"), Some("10794"), None]),
            category in prop::sample::select(vec![None, Some(Category::Pertanian), Some(Category::Makanan)]),
            region in prop::sample::select(vec![None, Some("36.04.15.2001"), Some("36.04.16"), Some("36.73.01.1001")]),
            text in prop::sample::select(vec!["telur ayam", "telor", "sayur bayam segar", "", "beras tahu"]),
            permits in prop::sample::select(vec![vec![], vec![PermitKind::Halal], vec![PermitKind::Nib, PermitKind::Halal], vec![PermitKind::Sni]]),
            limit in 1usize..25,
        ) {
            let suppliers: Vec<SupplierFacts> = suppliers
                .into_iter()
                .zip(tracked)
                .map(|(mut f, (curated, channels))| {
                    f.curated_products = curated;
                    f.channels = channels;
                    f
                })
                .collect();
            let index = SupplyIndex::build(suppliers);
            let q = DemandQuery {
                kbli: kbli.and_then(|k| KbliCode::parse(k).ok()),
                category,
                text: text.into(),
                region: region.and_then(|r| RegionCode::parse(r).ok()),
                permits,
                monthly_quantity: None,
                on: date!(2026 - 12 - 31),
            };
            let pruned: Vec<(SupplierRef, u32)> = index.top(&q, limit).into_iter().map(|m| (m.supplier, m.score)).collect();
            prop_assert_eq!(pruned, index.top_exhaustive(&q, limit));
        }
    }
}

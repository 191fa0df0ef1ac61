//! The comparisons: for each field, the levels a pair of records can fall into, best first.
//!
//! Level 0 of every field is "null" (one side has no value; weight 0, as in Splink). The other
//! levels are tried in order and the first that holds is the pair's level for that field.

use serde::{Deserialize, Serialize};

/// The fields compared, in the order of a [`Gamma`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    BusinessName,
    OwnerName,
    Nik,
    Nib,
    Phone,
    Desa,
    Kecamatan,
    Kbli,
}

pub const FIELDS: [Field; 8] = [
    Field::BusinessName,
    Field::OwnerName,
    Field::Nik,
    Field::Nib,
    Field::Phone,
    Field::Desa,
    Field::Kecamatan,
    Field::Kbli,
];
pub const N_FIELDS: usize = FIELDS.len();

/// Jaro–Winkler thresholds of the name levels (Splink's `NameComparison` uses 0.92 and 0.88
/// on single names; business names are several words, and 0.80 still catches two typos).
pub const NAME_JW_HIGH: f64 = 0.92;
pub const NAME_JW_LOW: f64 = 0.80;
pub const DESA_JW: f64 = 0.88;

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::BusinessName => "business_name",
            Field::OwnerName => "owner_name",
            Field::Nik => "nik",
            Field::Nib => "nib",
            Field::Phone => "phone",
            Field::Desa => "desa",
            Field::Kecamatan => "kecamatan",
            Field::Kbli => "kbli",
        }
    }

    /// The level names, level 0 ("null") first, then from the strongest agreement down.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Field::BusinessName | Field::OwnerName => &[
                "null",
                "exact",
                "jaro-winkler ≥ 0.92",
                "one name's words within the other's",
                "jaro-winkler ≥ 0.80",
                "different",
            ],
            // NIK and phone identify the owner, not the business: one person can run several.
            // "exact, business names differ" lets the model learn how often that happens.
            Field::Nik => &["null", "exact", "1–2 digits differ", "different", "exact, business names differ"],
            Field::Nib => &["null", "exact", "different"],
            Field::Phone => &["null", "exact", "1 digit differs", "different", "exact, business names differ"],
            Field::Desa => &["null", "exact", "jaro-winkler ≥ 0.88", "different"],
            Field::Kecamatan => &["null", "exact", "different"],
            Field::Kbli => &["null", "exact", "same 3-digit group", "different"],
        }
    }

    pub fn index(self) -> usize {
        FIELDS.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// One pair's level on every field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Gamma(pub [u8; N_FIELDS]);

impl Gamma {
    /// Four bits a field: a key for counting patterns without storing pairs.
    pub fn pack(self) -> u32 {
        self.0.iter().enumerate().fold(0u32, |acc, (i, l)| acc | (u32::from(*l & 0xF) << (4 * i)))
    }

    pub fn unpack(p: u32) -> Gamma {
        let mut g = [0u8; N_FIELDS];
        for (i, l) in g.iter_mut().enumerate() {
            *l = ((p >> (4 * i)) & 0xF) as u8;
        }
        Gamma(g)
    }
}

/// Longest string the similarity looks at; longer names are compared on their first 64 bytes.
const JW_MAX: usize = 64;

/// Jaro–Winkler similarity of two ASCII byte strings, without allocating.
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let a = &a[..a.len().min(JW_MAX)];
    let b = &b[..b.len().min(JW_MAX)];
    if a.is_empty() || b.is_empty() {
        return if a.len() == b.len() { 1.0 } else { 0.0 };
    }
    if a == b {
        return 1.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_hit = [false; JW_MAX];
    let mut b_hit = [false; JW_MAX];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_hit[j] && b[j] == ca {
                a_hit[i] = true;
                b_hit[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if !a_hit[i] {
            continue;
        }
        while !b_hit[j] {
            j += 1;
        }
        if ca != b[j] {
            transpositions += 1;
        }
        j += 1;
    }
    let m = matches as f64;
    let t = (transpositions / 2) as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - t) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Jaro–Winkler similarity when it can reach `min`, else 0. Most compared pairs are far apart,
/// and a count of the bytes the two strings share bounds the similarity in linear time.
pub fn jaro_winkler_at_least(a: &[u8], b: &[u8], min: f64) -> f64 {
    let a = &a[..a.len().min(JW_MAX)];
    let b = &b[..b.len().min(JW_MAX)];
    if a.is_empty() || b.is_empty() {
        return jaro_winkler(a, b);
    }
    let mut counts = [0i16; 256];
    for &c in a {
        counts[c as usize] += 1;
    }
    let mut common = 0usize;
    for &c in b {
        if counts[c as usize] > 0 {
            counts[c as usize] -= 1;
            common += 1;
        }
    }
    let m = common as f64;
    // Jaro with every shared byte matched and no transpositions, then the largest prefix bonus.
    let jaro_max = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    if jaro_max + prefix * 0.1 * (1.0 - jaro_max) < min {
        return 0.0;
    }
    jaro_winkler(a, b)
}

/// True when every word of the shorter sorted list is in the longer one.
pub fn tokens_within(a: &[u32], b: &[u32]) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return false;
    }
    let mut j = 0;
    for t in small {
        while j < large.len() && large[j] < *t {
            j += 1;
        }
        if j == large.len() || large[j] != *t {
            return false;
        }
    }
    true
}

/// Level of a name (business or owner): exact, close, words within, fairly close, different.
/// `a_id == b_id` is the exact test (interned strings); the words are sorted token ids.
pub fn name_level(a_id: u32, b_id: u32, a: &[u8], b: &[u8], a_tokens: &[u32], b_tokens: &[u32]) -> u8 {
    if a_id == b_id {
        return 1;
    }
    let jw = jaro_winkler_at_least(a, b, NAME_JW_LOW);
    if jw >= NAME_JW_HIGH {
        2
    } else if tokens_within(a_tokens, b_tokens) {
        3
    } else if jw >= NAME_JW_LOW {
        4
    } else {
        5
    }
}

/// How many decimal digits differ between two numbers of the same length, counted no further
/// than `cap` (the levels need no more).
pub fn digits_differ_capped(mut a: u64, mut b: u64, cap: u32) -> u32 {
    let mut n = 0;
    while (a > 0 || b > 0) && n < cap {
        if a % 10 != b % 10 {
            n += 1;
        }
        a /= 10;
        b /= 10;
    }
    n
}

pub fn nik_level(a: u64, b: u64) -> u8 {
    if a == b {
        return 1;
    }
    match digits_differ_capped(a, b, 3) {
        0 => 1,
        1 | 2 => 2,
        _ => 3,
    }
}

/// The level of an owner identifier (NIK, phone) given the business names' level: an exact
/// owner id with business names that are "different" (level 5) is its own level.
pub fn owner_id_level(id_level: u8, name_level: u8) -> u8 {
    if id_level == 1 && name_level == 5 { 4 } else { id_level }
}

pub fn nib_level(a: u64, b: u64) -> u8 {
    if a == b { 1 } else { 2 }
}

pub fn phone_level(a: u64, b: u64) -> u8 {
    if a == b {
        return 1;
    }
    match digits_differ_capped(a, b, 2) {
        0 => 1,
        1 => 2,
        _ => 3,
    }
}

pub fn desa_level(a_id: u32, b_id: u32, a: &[u8], b: &[u8]) -> u8 {
    if a_id == b_id {
        1
    } else if jaro_winkler_at_least(a, b, DESA_JW) >= DESA_JW {
        2
    } else {
        3
    }
}

pub fn kecamatan_level(a_id: u32, b_id: u32) -> u8 {
    if a_id == b_id { 1 } else { 2 }
}

pub fn kbli_level(a: u32, b: u32) -> u8 {
    if a == b {
        1
    } else if a / 100 == b / 100 {
        2
    } else {
        3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_known_values() {
        let close = |x: f64, y: f64| (x - y).abs() < 1e-3;
        assert!(close(jaro_winkler(b"martha", b"marhta"), 0.961));
        assert!(close(jaro_winkler(b"dwayne", b"duane"), 0.84));
        assert!(close(jaro_winkler(b"dixon", b"dicksonx"), 0.813));
        assert_eq!(jaro_winkler(b"", b""), 1.0);
        assert_eq!(jaro_winkler(b"abc", b""), 0.0);
        assert_eq!(jaro_winkler(b"abc", b"xyz"), 0.0);
        let long = [b'a'; 200];
        assert_eq!(jaro_winkler(&long, &long[..100]), 1.0, "compared on the first 64 bytes");
    }

    #[test]
    fn name_levels() {
        assert_eq!(name_level(1, 1, b"keripik pisang sari", b"keripik pisang sari", &[1, 2, 3], &[1, 2, 3]), 1);
        assert_eq!(name_level(1, 2, b"keripik pisang sari", b"keripik pisang sati", &[1, 2, 3], &[1, 2, 4]), 2);
        assert_eq!(name_level(1, 2, b"jaya sumber", b"jaya makmur sumber", &[1, 3], &[1, 2, 3]), 3);
        assert_eq!(name_level(1, 2, b"baroka", b"berkah", &[1], &[2]), 5);
    }

    #[test]
    fn the_bound_never_hides_a_similarity_above_it() {
        let words: [&[u8]; 8] = [
            b"keripik pisang sari",
            b"kripik pisang",
            b"baroka",
            b"berkah",
            b"sumber rejeki",
            b"rejeki sumber",
            b"a",
            b"",
        ];
        for a in words {
            for b in words {
                let jw = jaro_winkler(a, b);
                for min in [0.5, 0.8, 0.92] {
                    let bounded = jaro_winkler_at_least(a, b, min);
                    if jw >= min {
                        assert_eq!(bounded, jw, "{a:?} {b:?}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_bound_is_safe_on_any_strings(a in "[a-e ]{0,12}", b in "[a-e ]{0,12}", min in 0.5f64..0.95) {
            let jw = jaro_winkler(a.as_bytes(), b.as_bytes());
            if jw >= min {
                proptest::prop_assert_eq!(jaro_winkler_at_least(a.as_bytes(), b.as_bytes(), min), jw);
            }
        }
    }

    #[test]
    fn tokens_within_sorted_lists() {
        assert!(tokens_within(&[2, 5], &[1, 2, 5, 9]));
        assert!(tokens_within(&[1, 2, 5, 9], &[2, 5]));
        assert!(!tokens_within(&[2, 6], &[1, 2, 5, 9]));
        assert!(!tokens_within(&[], &[1]));
    }

    #[test]
    fn id_levels() {
        assert_eq!(nik_level(3604124508900001, 3604124508900001), 1);
        assert_eq!(nik_level(3604124508900001, 3604124508900007), 2);
        assert_eq!(nik_level(3604124508900001, 3604124508911111), 3);
        assert_eq!(nib_level(9120001234567, 9120001234567), 1);
        assert_eq!(nib_level(9120001234567, 9120001234568), 2);
        assert_eq!(phone_level(8123456789, 8123456789), 1);
        assert_eq!(phone_level(8123456789, 8123456780), 2);
        assert_eq!(phone_level(8123456789, 8771234567), 3);
    }

    #[test]
    fn owner_ids_with_different_business_names() {
        assert_eq!(owner_id_level(1, 5), 4);
        assert_eq!(owner_id_level(1, 4), 1);
        assert_eq!(owner_id_level(1, 0), 1, "no name to compare");
        assert_eq!(owner_id_level(3, 5), 3);
        assert_eq!(Field::Nik.levels()[4], "exact, business names differ");
    }

    #[test]
    fn region_and_kbli_levels() {
        assert_eq!(desa_level(1, 1, b"cikande", b"cikande"), 1);
        assert_eq!(desa_level(1, 2, b"cikande", b"cikandee"), 2);
        assert_eq!(desa_level(1, 2, b"cikande", b"kibin"), 3);
        assert_eq!(kecamatan_level(3, 3), 1);
        assert_eq!(kecamatan_level(3, 4), 2);
        assert_eq!(kbli_level(10794, 10794), 1);
        assert_eq!(kbli_level(10794, 10792), 2);
        assert_eq!(kbli_level(10794, 47111), 3);
    }

    #[test]
    fn gamma_packs_and_unpacks() {
        let g = Gamma([1, 5, 0, 2, 3, 1, 2, 3]);
        assert_eq!(Gamma::unpack(g.pack()), g);
    }

    #[test]
    fn every_field_has_null_first() {
        for f in FIELDS {
            assert_eq!(f.levels()[0], "null");
            assert!(f.levels().len() <= 15);
            assert_eq!(FIELDS[f.index()], f);
        }
    }
}

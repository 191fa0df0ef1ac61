//! Matching kecamatan and desa names as spreadsheets write them to the official list.
//!
//! Registers write "Kec. Cikande", "CIKANDE", "Cikandee", "Tunjungteja" (for Tunjung Teja) or
//! "Tjikande" (the old spelling). A [`RegencyMatcher`] holds the districts and villages of one
//! kabupaten or kota, folded once, and answers each written name with an exact match, a
//! confident correction (one official name within a small edit distance, closer than any other),
//! or the nearest official names to suggest.
//!
//! One regency has a few dozen districts and a few hundred villages, so a written name is
//! compared with every candidate; callers that read many rows should remember the answer per
//! distinct written name (an import of 48,000 rows holds a few hundred).

use sinergi_domain::region::{RegionCode, RegionLevel};

use crate::region::{Region, children, region};
use crate::text::fold;

/// How a written name matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameMatch {
    /// The official name, up to case, spaces, punctuation and words like "Kec." or "Desa".
    Exact(&'static Region),
    /// Not the official name, but close to exactly one: a misspelling or an old spelling.
    Corrected(&'static Region),
    /// A desa name that several kecamatan of the regency have; the kecamatan decides.
    Ambiguous(Vec<&'static Region>),
    /// A desa of this name exists in the regency, but in another kecamatan than the one given.
    OtherKecamatan(Vec<&'static Region>),
    /// Nothing close enough; up to three nearest official names to suggest (maybe none).
    Unknown(Vec<&'static Region>),
}

impl NameMatch {
    /// The region the name was read as, for an exact match or a correction.
    pub fn region(&self) -> Option<&'static Region> {
        match self {
            NameMatch::Exact(r) | NameMatch::Corrected(r) => Some(r),
            _ => None,
        }
    }

    /// The regions to suggest when the name was not read as one.
    pub fn suggestions(&self) -> &[&'static Region] {
        match self {
            NameMatch::Exact(_) | NameMatch::Corrected(_) => &[],
            NameMatch::Ambiguous(r) | NameMatch::OtherKecamatan(r) | NameMatch::Unknown(r) => r,
        }
    }
}

/// How many suggestions an unknown name gets.
const SUGGESTIONS: usize = 3;

/// The districts and villages of one regency, ready for matching.
#[derive(Debug)]
pub struct RegencyMatcher {
    regency: &'static Region,
    /// The regency's name without "Kabupaten"/"Kota", in key form.
    regency_key: Key,
    districts: Vec<Entry>,
    villages: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    region: &'static Region,
    key: Key,
    /// For a village, the index of its district in `districts`.
    district: usize,
}

/// A name in two comparable forms.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    /// Folded, without spaces: "Tunjung Teja" and "Tunjungteja" are the same name.
    compact: String,
    /// `compact` with old spellings modernised ("tj" → "c", "dj" → "j", "oe" → "u"), as chars
    /// for the edit distance.
    spelled: Vec<char>,
}

impl Key {
    fn new(folded_words: &str) -> Self {
        let compact: String = folded_words.chars().filter(|c| *c != ' ').collect();
        let spelled = modern_spelling(&compact).chars().collect();
        Self { compact, spelled }
    }

    fn is_empty(&self) -> bool {
        self.compact.is_empty()
    }
}

/// The Van Ophuijsen spellings still seen in names: Tjikande, Djawilan, Poelo.
fn modern_spelling(s: &str) -> String {
    s.replace("tj", "c").replace("dj", "j").replace("sj", "sy").replace("oe", "u")
}

/// Which words in front of a name only say what kind of region it is.
#[derive(Clone, Copy)]
enum Kind {
    District,
    Village,
    Regency,
}

impl Kind {
    fn is_prefix(self, word: &str) -> bool {
        match self {
            Kind::District => matches!(word, "kecamatan" | "kec" | "kc" | "distrik"),
            Kind::Village => matches!(word, "desa" | "ds" | "des" | "kelurahan" | "kel" | "kalurahan" | "kampung"),
            Kind::Regency => matches!(word, "kabupaten" | "kab" | "kota" | "kot" | "administrasi" | "adm"),
        }
    }
}

/// The written name folded, with the kind words in front removed: "Kec. Cikande" → "cikande";
/// "Desa/Kel. Parigi" → "parigi".
fn written_key(written: &str, kind: Kind) -> Key {
    let folded = fold(written);
    let words: Vec<&str> = folded.split(' ').collect();
    let start = words.iter().position(|w| !kind.is_prefix(w)).unwrap_or(words.len());
    Key::new(&words[start..].join(" "))
}

fn official_key(region: &Region) -> Key {
    let kind = match region.level {
        RegionLevel::Regency => Kind::Regency,
        RegionLevel::Village => Kind::Village,
        _ => Kind::District,
    };
    written_key(&region.name, kind)
}

/// The edit distance a correction may have, by the length of the written name: one letter in a
/// short name like "Kopo", two in "Cikandee", three in a long name.
fn tolerance(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        8..=12 => 2,
        _ => 3,
    }
}

/// How far a suggestion may be: a wrong name should still get the plausible ones, not every
/// name of the regency.
fn suggestion_reach(len: usize) -> usize {
    (len / 2).max(2)
}

impl RegencyMatcher {
    /// The matcher for a kabupaten or kota; `None` when the code is not a regency in the table.
    pub fn new(regency: &RegionCode) -> Option<Self> {
        let regency = region(regency).filter(|r| r.level == RegionLevel::Regency)?;
        let mut districts = Vec::new();
        let mut villages = Vec::new();
        for district in children(Some(&regency.code)) {
            let index = districts.len();
            districts.push(Entry { region: district, key: official_key(district), district: index });
            for village in children(Some(&district.code)) {
                villages.push(Entry { region: village, key: official_key(village), district: index });
            }
        }
        Some(Self { regency, regency_key: official_key(regency), districts, villages })
    }

    pub fn regency(&self) -> &'static Region {
        self.regency
    }

    /// Reads a written kab/kota name: is it this regency? "Serang", "Kab. Serang" and
    /// "Kabupaten Serang" are Kabupaten Serang; "Kota Serang" is not (it is another regency of
    /// the same name).
    pub fn regency_name(&self, written: &str) -> NameMatch {
        let folded = fold(written);
        let says_kota = folded.split(' ').next() == Some("kota");
        let says_kabupaten = matches!(folded.split(' ').next(), Some("kabupaten" | "kab"));
        let is_kota = self.regency.code.is_kota();
        if (says_kota && !is_kota) || (says_kabupaten && is_kota) {
            return NameMatch::Unknown(Vec::new());
        }
        let key = written_key(written, Kind::Regency);
        if key.compact == self.regency_key.compact {
            return NameMatch::Exact(self.regency);
        }
        let limit = tolerance(key.spelled.len());
        match distance(&key.spelled, &self.regency_key.spelled, limit) {
            Some(_) => NameMatch::Corrected(self.regency),
            None => NameMatch::Unknown(Vec::new()),
        }
    }

    /// Reads a written kecamatan name.
    pub fn kecamatan(&self, written: &str) -> NameMatch {
        let key = written_key(written, Kind::District);
        let all: Vec<&Entry> = self.districts.iter().collect();
        match_among(&key, &all)
    }

    /// Reads a written desa or kelurahan name, within `kecamatan` when it is known. Without a
    /// kecamatan the whole regency is searched, and a name only one kecamatan has is a match
    /// (its kecamatan is the match's parent).
    pub fn desa(&self, written: &str, kecamatan: Option<&RegionCode>) -> NameMatch {
        let key = written_key(written, Kind::Village);
        let district = kecamatan.and_then(|code| self.districts.iter().position(|d| &d.region.code == code));
        let Some(district) = district else {
            let all: Vec<&Entry> = self.villages.iter().collect();
            return match_among(&key, &all);
        };
        let inside: Vec<&Entry> = self.villages.iter().filter(|v| v.district == district).collect();
        let found = match_among(&key, &inside);
        if found.region().is_some() || key.is_empty() {
            return found;
        }
        // Not in the kecamatan given: the same name elsewhere in the regency means the row's
        // kecamatan or desa is wrong, which the officer must decide.
        let elsewhere: Vec<&'static Region> =
            self.villages.iter().filter(|v| v.key.compact == key.compact).map(|v| v.region).collect();
        if elsewhere.is_empty() { found } else { NameMatch::OtherKecamatan(elsewhere) }
    }
}

fn match_among(key: &Key, candidates: &[&Entry]) -> NameMatch {
    if key.is_empty() {
        return NameMatch::Unknown(Vec::new());
    }
    let exact: Vec<&'static Region> =
        candidates.iter().filter(|c| c.key.compact == key.compact).map(|c| c.region).collect();
    match exact.as_slice() {
        [one] => return NameMatch::Exact(one),
        [] => {}
        _ => return NameMatch::Ambiguous(exact),
    }
    let reach = suggestion_reach(key.spelled.len()).max(tolerance(key.spelled.len()));
    let mut near: Vec<(usize, &Entry)> =
        candidates.iter().filter_map(|c| distance(&key.spelled, &c.key.spelled, reach).map(|d| (d, *c))).collect();
    near.sort_by_key(|(d, c)| (*d, c.region.code.clone()));
    let limit = tolerance(key.spelled.len());
    if let Some(&(best, entry)) = near.first()
        && best <= limit
    {
        let ties: Vec<&'static Region> = near.iter().take_while(|(d, _)| *d == best).map(|(_, c)| c.region).collect();
        if ties.len() == 1 {
            return NameMatch::Corrected(entry.region);
        }
        // Two villages of the same name in different kecamatan, both one letter off.
        if ties.iter().all(|r| official_key(r).compact == entry.key.compact) {
            return NameMatch::Ambiguous(ties);
        }
    }
    NameMatch::Unknown(near.into_iter().take(SUGGESTIONS).map(|(_, c)| c.region).collect())
}

/// The optimal-string-alignment distance (Levenshtein plus swapping two neighbours) between `a`
/// and `b`, or `None` when it exceeds `limit`.
fn distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|d| *d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serang() -> RegencyMatcher {
        RegencyMatcher::new(&RegionCode::parse("36.04").unwrap()).unwrap()
    }

    fn name(m: &NameMatch) -> Option<&str> {
        m.region().map(|r| r.name.as_str())
    }

    fn names(regions: &[&Region]) -> Vec<String> {
        regions.iter().map(|r| r.name.clone()).collect()
    }

    #[test]
    fn distances() {
        let d = |a: &str, b: &str, l| distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>(), l);
        assert_eq!(d("cikande", "cikande", 2), Some(0));
        assert_eq!(d("cikandee", "cikande", 2), Some(1));
        assert_eq!(d("ckiande", "cikande", 2), Some(1), "a swap is one edit");
        assert_eq!(d("kibin", "kopo", 2), None);
        assert_eq!(d("", "abc", 3), Some(3));
        assert_eq!(d("abc", "", 2), None);
    }

    #[test]
    fn only_regencies_get_a_matcher() {
        assert!(RegencyMatcher::new(&RegionCode::parse("36").unwrap()).is_none());
        assert!(RegencyMatcher::new(&RegionCode::parse("36.04.15").unwrap()).is_none());
        assert!(RegencyMatcher::new(&RegionCode::parse("36.99").unwrap()).is_none());
        assert_eq!(serang().regency().name, "Kabupaten Serang");
    }

    #[test]
    fn kecamatan_as_written() {
        let m = serang();
        for written in ["Cikande", "CIKANDE", "Kec. Cikande", "kecamatan cikande", "Kec.Cikande", " cikande "] {
            let found = m.kecamatan(written);
            assert!(matches!(found, NameMatch::Exact(_)), "{written}: {found:?}");
            assert_eq!(found.region().unwrap().code.as_str(), "36.04.15");
        }
        for (written, official) in [
            ("Tunjungteja", "Tunjung Teja"),
            ("Puloampel", "Pulo Ampel"),
            ("Lebakwangi", "Lebak Wangi"),
            ("Kibin", "Kibin"),
            ("Kragilan", "Kragilan"),
            ("Tanara", "Tanara"),
            ("Bandung", "Bandung"),
            ("Jawilan", "Jawilan"),
            ("Kopo", "Kopo"),
            ("Ciruas", "Ciruas"),
            ("Kramatwatu", "Kramatwatu"),
            ("Anyar", "Anyar"),
        ] {
            let found = m.kecamatan(written);
            assert!(matches!(found, NameMatch::Exact(_)), "{written}: {found:?}");
            assert_eq!(name(&found), Some(official));
        }
    }

    #[test]
    fn kecamatan_misspelt_is_corrected() {
        let m = serang();
        for (written, official) in [
            ("Cikandee", "Cikande"),
            ("Kec. Cikandi", "Cikande"),
            ("Kragilan", "Kragilan"),
            ("Keragilan", "Kragilan"),
            ("Tjikande", "Cikande"),
            ("Kramat Watu", "Kramatwatu"),
            ("Kramatwato", "Kramatwatu"),
            ("Jawillan", "Jawilan"),
            ("Tanarah", "Tanara"),
            ("Padarincan", "Padarincang"),
            ("Tunjung Tejah", "Tunjung Teja"),
        ] {
            let found = m.kecamatan(written);
            assert_eq!(name(&found), Some(official), "{written}: {found:?}");
        }
        assert!(matches!(m.kecamatan("Cikandee"), NameMatch::Corrected(_)));
        assert!(matches!(m.kecamatan("Tjikande"), NameMatch::Corrected(_)));
    }

    #[test]
    fn unknown_kecamatan_gets_suggestions() {
        let m = serang();
        // Cilegon is a city of its own, not a kecamatan of Kabupaten Serang.
        let found = m.kecamatan("Cilegon");
        assert!(matches!(found, NameMatch::Unknown(_)), "{found:?}");
        assert!(found.suggestions().len() <= 3);
        let found = m.kecamatan("Cikande Baru");
        assert!(matches!(found, NameMatch::Unknown(_)), "{found:?}");
        assert_eq!(names(found.suggestions()).first().map(String::as_str), Some("Cikande"), "{found:?}");
        assert_eq!(m.kecamatan("zzzzzzzzzz"), NameMatch::Unknown(Vec::new()));
        assert_eq!(m.kecamatan("Kec."), NameMatch::Unknown(Vec::new()));
        assert_eq!(m.kecamatan(""), NameMatch::Unknown(Vec::new()));
        // Short names are never guessed: "Kop" could be Kopo or anything else.
        assert!(m.kecamatan("Kop").region().is_none());
    }

    #[test]
    fn desa_within_its_kecamatan() {
        let m = serang();
        let cikande = RegionCode::parse("36.04.15").unwrap();
        let found = m.desa("Ds. Parigi", Some(&cikande));
        assert_eq!(found.region().unwrap().code.parent(), Some(cikande.clone()));
        assert!(matches!(found, NameMatch::Exact(_)));
        assert_eq!(name(&m.desa("Leuwilimus", Some(&cikande))), Some("Leuwi Limus"));
        assert_eq!(name(&m.desa("Situterate", Some(&cikande))), Some("Situterate"));
        let corrected = m.desa("Cikande Permay", Some(&cikande));
        assert!(matches!(corrected, NameMatch::Corrected(_)));
        assert_eq!(name(&corrected), Some("Cikande Permai"));
    }

    #[test]
    fn desa_without_kecamatan() {
        let m = serang();
        // Parigi is a desa only in Kecamatan Cikande: the desa gives the kecamatan.
        let found = m.desa("Parigi", None);
        assert_eq!(found.region().unwrap().code.parent().unwrap().as_str(), "36.04.15");
        // Sukamaju is in Kibin and elsewhere.
        let found = m.desa("Sukamaju", None);
        let NameMatch::Ambiguous(regions) = &found else { panic!("{found:?}") };
        assert!(regions.len() >= 2);
        assert!(regions.iter().any(|r| r.code.as_str().starts_with("36.04.16.")));
        // With the kecamatan, the same name is one desa.
        let kibin = RegionCode::parse("36.04.16").unwrap();
        assert!(matches!(m.desa("Sukamaju", Some(&kibin)), NameMatch::Exact(_)));
    }

    #[test]
    fn desa_in_another_kecamatan() {
        let m = serang();
        let kibin = RegionCode::parse("36.04.16").unwrap();
        let found = m.desa("Parigi", Some(&kibin));
        let NameMatch::OtherKecamatan(regions) = &found else { panic!("{found:?}") };
        assert_eq!(regions[0].code.parent().unwrap().as_str(), "36.04.15");
        assert!(matches!(m.desa("Qwertyuiop", Some(&kibin)), NameMatch::Unknown(_)));
    }

    #[test]
    fn regency_names() {
        let m = serang();
        for written in ["Serang", "Kab. Serang", "KABUPATEN SERANG", "Kab Serang"] {
            assert!(matches!(m.regency_name(written), NameMatch::Exact(_)), "{written}");
        }
        assert!(matches!(m.regency_name("Kab. Serrang"), NameMatch::Corrected(_)));
        assert!(m.regency_name("Kota Serang").region().is_none());
        assert!(m.regency_name("Kabupaten Tangerang").region().is_none());
        let kota = RegencyMatcher::new(&RegionCode::parse("36.73").unwrap()).unwrap();
        assert!(kota.regency_name("Kota Serang").region().is_some());
        assert!(kota.regency_name("Kabupaten Serang").region().is_none());
    }
}

//! Kemendagri regions: 38 provinces, 514 regencies and cities, 7,285 districts, 83,762 villages.

use std::borrow::Cow;
use std::sync::LazyLock;

use serde::Serialize;
use sinergi_domain::region::{RegionCode, RegionLevel};

use crate::data::{DataError, each_row, loaded};
use crate::text::{self, MAX_WORDS, QueryWords, TextIndex, Tier};

/// One row of the Kemendagri region table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub code: RegionCode,
    /// The name as Kemendagri writes it: "Banten", "Kabupaten Serang", "Kota Serang", "Cikande".
    /// Only regencies carry their kind in the name; see [`Region::title`].
    pub name: String,
    pub level: RegionLevel,
}

impl Region {
    /// The name with the word for its kind of region in front, as letters and signs write it:
    /// "Provinsi Banten", "Kabupaten Serang", "Kecamatan Cikande", "Desa Cikande",
    /// "Kelurahan Cipare".
    ///
    /// These words are part of the official name, not text to translate: an English page still
    /// says "Kabupaten Serang" (which is how the data spells regencies anyway).
    pub fn title(&self) -> Cow<'_, str> {
        let kind = match self.level {
            RegionLevel::Province => "Provinsi",
            RegionLevel::Regency => return Cow::Borrowed(&self.name),
            RegionLevel::District if self.is_in_papua() => "Distrik",
            RegionLevel::District => "Kecamatan",
            RegionLevel::Village => match village_digits(&self.code).as_bytes().first() {
                Some(b'1') => "Kelurahan",
                Some(b'2') => "Desa",
                // 3xxx are the desa adat of Kabupaten Jayapura, whose names in the data already
                // start with "Desa Adat".
                _ => return Cow::Borrowed(&self.name),
            },
        };
        Cow::Owned(format!("{kind} {}", self.name))
    }

    /// The Papua provinces (codes 9x) call their kecamatan "distrik" (UU 21/2001 on Papua's
    /// special autonomy). Village words vary by regency there and elsewhere (kampung,
    /// gampong, nagari), and the data does not say which applies, so villages keep the
    /// desa/kelurahan split that their codes do carry.
    fn is_in_papua(&self) -> bool {
        self.code.as_str().starts_with('9')
    }
}

fn village_digits(code: &RegionCode) -> &str {
    code.as_str().rsplit('.').next().unwrap_or_default()
}

/// A search result: the region and the label to show for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionHit {
    pub region: &'static Region,
    /// As [`region_label`]: "Kecamatan Cikande, Kabupaten Serang".
    pub label: String,
}

/// How many regions the table holds at each level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RegionCounts {
    pub provinces: usize,
    pub regencies: usize,
    pub districts: usize,
    pub villages: usize,
}

/// The region with this code, if Kemendagri lists it.
pub fn region(code: &RegionCode) -> Option<&'static Region> {
    let table = &*TABLE;
    table.find(code).map(|i| &table.regions[i])
}

/// Every region, sorted by code (each province followed by everything inside it).
pub fn region_all() -> &'static [Region] {
    &TABLE.regions
}

/// The province, regency, district and village leading down to `code`, the region itself last.
/// Empty when the code is not in the table.
pub fn region_path(code: &RegionCode) -> Vec<&'static Region> {
    let table = &*TABLE;
    table.find(code).map(|i| table.path(i).into_iter().map(|i| &table.regions[i]).collect()).unwrap_or_default()
}

/// A label that tells a region apart from others of the same name: "Provinsi Banten",
/// "Kabupaten Serang, Banten", "Kecamatan Cikande, Kabupaten Serang", "Desa Cikande, Kecamatan
/// Cikande, Kabupaten Serang". A code that is not in the table is shown as itself.
pub fn region_label(code: &RegionCode) -> String {
    let table = &*TABLE;
    match table.find(code) {
        Some(i) => table.label(i),
        None => code.to_string(),
    }
}

/// The regions directly inside `parent` (the provinces for `None`), sorted by code.
pub fn children(parent: Option<&RegionCode>) -> Vec<&'static Region> {
    let table = &*TABLE;
    let indices: &[u32] = match parent {
        None => &table.provinces,
        Some(code) => match table.find(code) {
            Some(i) => &table.children[i],
            None => &[],
        },
    };
    indices.iter().map(|&i| &table.regions[i as usize]).collect()
}

/// Counts of the table per level (the numbers the data's SOURCE.md promises).
pub fn region_count_by_level() -> RegionCounts {
    let mut counts = RegionCounts::default();
    for region in region_all() {
        match region.level {
            RegionLevel::Province => counts.provinces += 1,
            RegionLevel::Regency => counts.regencies += 1,
            RegionLevel::District => counts.districts += 1,
            RegionLevel::Village => counts.villages += 1,
        }
    }
    counts
}

/// Type-ahead search over region names, for a picker that queries on every keystroke.
///
/// Case, accents, punctuation and extra spaces are ignored. A region matches when its name holds
/// every query word; words can also match the names of the region's parents ("cikande serang"
/// finds Kecamatan Cikande in Kabupaten Serang), as long as one matches the region's own name.
/// A finished "kab" means "kabupaten"; "kec"/"kecamatan"/"distrik", "desa"/"kel"/"kelurahan" and
/// "prov"/"provinsi" keep only districts, villages or provinces. A query of digits and dots
/// ("36.04", "3604") lists the regions whose code starts with it.
///
/// Ranking: the name equal to the query (a regency's name also without "Kabupaten"/"Kota"), then
/// names starting with it, then names where every word starts a word, then names merely
/// containing the words, then matches that needed the parents' names; within each, provinces
/// before regencies before districts before villages, then by code. An empty query finds nothing.
pub fn search_regions(query: &str, limit: usize) -> Vec<RegionHit> {
    if limit == 0 {
        return Vec::new();
    }
    let table = &*TABLE;
    let found = match code_prefix(query) {
        Some(prefix) => table.by_code_prefix(&prefix, limit),
        None => match RegionQuery::parse(query) {
            Some(query) => table.by_name(&query, limit),
            None => Vec::new(),
        },
    };
    found.into_iter().map(|i| RegionHit { region: &table.regions[i], label: table.label(i) }).collect()
}

static TABLE: LazyLock<RegionTable> = LazyLock::new(|| loaded(RegionTable::load()));

const LEVELS: usize = 4;

fn level_rank(level: RegionLevel) -> usize {
    match level {
        RegionLevel::Province => 0,
        RegionLevel::Regency => 1,
        RegionLevel::District => 2,
        RegionLevel::Village => 3,
    }
}

const LEVEL_ORDER: [RegionLevel; LEVELS] =
    [RegionLevel::Province, RegionLevel::Regency, RegionLevel::District, RegionLevel::Village];

struct RegionTable {
    /// Sorted by code. Because codes are fixed-width and dotted, that order puts every region
    /// right after its parent and keeps all codes sharing a prefix in one contiguous run.
    regions: Vec<Region>,
    /// Index of each region's parent.
    parents: Vec<Option<u32>>,
    /// Indices of each region's direct children, in code order.
    children: Vec<Vec<u32>>,
    provinces: Vec<u32>,
    /// The level of each region again, packed: the search reads it for tens of thousands of
    /// candidates per keystroke, and a byte array stays in cache where `regions` would not.
    levels: Vec<RegionLevel>,
    /// Folded names, in the order of `regions`.
    names: TextIndex,
    /// Where a folded regency name starts after "kabupaten " or "kota ", so that "serang" is an
    /// exact match for Kabupaten Serang; 0 for the other levels.
    bare_name_at: Vec<u8>,
}

/// Words in a folded regency name that say what kind of regency it is.
const REGENCY_PREFIXES: [&str; 4] = ["kabupaten administrasi ", "kota administrasi ", "kabupaten ", "kota "];

const FILES: [(&str, &str, RegionLevel, &[&str]); LEVELS] = [
    (
        "data/wilayah/provinces.csv",
        include_str!("../../../data/wilayah/provinces.csv"),
        RegionLevel::Province,
        &["code", "name"],
    ),
    (
        "data/wilayah/regencies.csv",
        include_str!("../../../data/wilayah/regencies.csv"),
        RegionLevel::Regency,
        &["code", "province_code", "name"],
    ),
    (
        "data/wilayah/districts.csv",
        include_str!("../../../data/wilayah/districts.csv"),
        RegionLevel::District,
        &["code", "regency_code", "name"],
    ),
    (
        "data/wilayah/villages.csv",
        include_str!("../../../data/wilayah/villages.csv"),
        RegionLevel::Village,
        &["code", "district_code", "name"],
    ),
];

impl RegionTable {
    fn load() -> Result<Self, DataError> {
        let mut regions = Vec::with_capacity(92_000);
        for (file, text, level, header) in FILES {
            each_row(file, text, header, |row| {
                regions.push(parse_row(row, level, header.len())?);
                Ok(())
            })?;
        }
        regions.sort_unstable_by(|a, b| a.code.cmp(&b.code));
        let table_error = |reason: String| DataError::Table { file: "data/wilayah", reason };
        if let Some(pair) = regions.windows(2).find(|pair| pair[0].code == pair[1].code) {
            return Err(table_error(format!("region {} is listed twice", pair[0].code)));
        }
        let find = |code: &RegionCode| regions.binary_search_by(|r| r.code.cmp(code)).ok();

        let mut parents = Vec::with_capacity(regions.len());
        let mut children = vec![Vec::new(); regions.len()];
        let mut provinces = Vec::new();
        for (i, region) in regions.iter().enumerate() {
            let index = u32::try_from(i).map_err(|_| table_error("too many regions".into()))?;
            let parent = match region.code.parent() {
                None => None,
                Some(parent) => match find(&parent) {
                    Some(p) => Some(p),
                    None => {
                        return Err(table_error(format!("{} has no parent {parent}", region.code)));
                    }
                },
            };
            match parent {
                Some(p) => children[p].push(index),
                None => provinces.push(index),
            }
            parents.push(parent.map(|p| p as u32));
        }

        let folded: Vec<String> = regions.iter().map(|r| text::fold(&r.name)).collect();
        let bare_name_at = regions.iter().zip(&folded).map(|(region, name)| bare_name_at(region.level, name)).collect();
        let names = TextIndex::new(folded.iter().map(String::as_str));
        let levels = regions.iter().map(|r| r.level).collect();
        Ok(Self { regions, parents, children, provinces, levels, names, bare_name_at })
    }

    fn find(&self, code: &RegionCode) -> Option<usize> {
        self.regions.binary_search_by(|r| r.code.cmp(code)).ok()
    }

    fn parent(&self, index: usize) -> Option<usize> {
        self.parents[index].map(|p| p as usize)
    }

    /// Indices from the province down to `index`.
    fn path(&self, index: usize) -> Vec<usize> {
        let mut path = vec![index];
        let mut at = index;
        while let Some(parent) = self.parent(at) {
            path.push(parent);
            at = parent;
        }
        path.reverse();
        path
    }

    fn label(&self, index: usize) -> String {
        let region = &self.regions[index];
        let mut parts = vec![region.title()];
        match region.level {
            RegionLevel::Province => {}
            // A regency's own name already says kabupaten or kota; its province needs no
            // "Provinsi" to be understood.
            RegionLevel::Regency => {
                if let Some(p) = self.parent(index) {
                    parts.push(Cow::Borrowed(self.regions[p].name.as_str()));
                }
            }
            // Below the regency, the regency is enough to tell namesakes apart.
            RegionLevel::District | RegionLevel::Village => {
                let mut at = index;
                while let Some(p) = self.parent(at) {
                    let parent = &self.regions[p];
                    if parent.level == RegionLevel::Province {
                        break;
                    }
                    parts.push(parent.title());
                    at = p;
                }
            }
        }
        parts.join(", ")
    }

    fn by_code_prefix(&self, prefix: &str, limit: usize) -> Vec<usize> {
        let start = self.regions.partition_point(|r| r.code.as_str() < prefix);
        let len = self.regions[start..].partition_point(|r| r.code.as_str().starts_with(prefix));
        let range = start..start + len;
        LEVEL_ORDER
            .iter()
            .flat_map(|&level| range.clone().filter(move |&i| self.regions[i].level == level))
            .take(limit)
            .collect()
    }

    fn by_name(&self, query: &RegionQuery, limit: usize) -> Vec<usize> {
        let masks = self.names.scan(&query.words);
        let all = text::all_words(query.words.len());
        let mut buckets = vec![Vec::new(); Tier::COUNT * LEVELS];
        for (i, &own) in masks.anywhere.iter().enumerate() {
            if own == 0 {
                continue;
            }
            let level = self.levels[i];
            if !query.allows(level) {
                continue;
            }
            let tier = if own == all {
                let name = self.names.text(i);
                let bare = &name[usize::from(self.bare_name_at[i])..];
                Tier::of([name, bare], &query.phrase, masks.word_start[i] == all)
            } else if self.parents_supply(i, own, &masks.anywhere) == all {
                Tier::Context
            } else {
                continue;
            };
            let bucket = &mut buckets[tier as usize * LEVELS + level_rank(level)];
            // Indices arrive in code order, so the first `limit` of a bucket are its best.
            if bucket.len() < limit {
                bucket.push(i);
            }
        }
        buckets.into_iter().flatten().take(limit).collect()
    }

    /// The words found in region `index`'s name (`own`) together with those in its parents'.
    fn parents_supply(&self, index: usize, own: u16, anywhere: &[u16]) -> u16 {
        let mut found = own;
        let mut at = index;
        while let Some(parent) = self.parent(at) {
            found |= anywhere[parent];
            at = parent;
        }
        found
    }
}

fn parse_row(row: &crate::data::Record<'_>, level: RegionLevel, columns: usize) -> Result<Region, String> {
    let code = row.required(0, "code")?;
    let code = RegionCode::parse(code).map_err(|e| format!("code {code:?}: {e}"))?;
    if code.level() != level {
        return Err(format!("{code} is not a {level:?} code"));
    }
    if level != RegionLevel::Province {
        let parent = row.get(1)?;
        if code.parent().as_ref().map(RegionCode::as_str) != Some(parent) {
            return Err(format!("{code} is listed under {parent:?}"));
        }
    }
    let name = row.required(columns - 1, "name")?.to_owned();
    Ok(Region { code, name, level })
}

fn bare_name_at(level: RegionLevel, folded: &str) -> u8 {
    if level != RegionLevel::Regency {
        return 0;
    }
    REGENCY_PREFIXES.iter().find(|prefix| folded.starts_with(*prefix)).map_or(0, |prefix| prefix.len() as u8)
}

/// A code prefix in Kemendagri form, when the query is only digits and dots: "3604" and "36.04"
/// both become "36.04", so typing a code without its dots works too.
fn code_prefix(query: &str) -> Option<String> {
    let query = query.trim();
    let digits_and_dots = query.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if !digits_and_dots || !query.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut prefix = String::with_capacity(13);
    for (i, digit) in query.chars().filter(char::is_ascii_digit).enumerate() {
        if matches!(i, 2 | 4 | 6) {
            prefix.push('.');
        }
        prefix.push(digit);
    }
    Some(prefix)
}

/// A name query: its words, and the levels it is limited to.
struct RegionQuery {
    words: Vec<String>,
    /// The words joined by single spaces, to compare with whole names.
    phrase: String,
    /// Bit `level_rank(l)` is set for each allowed level; 0 allows all.
    levels: u8,
}

enum QueryWord {
    Text(String),
    Level(RegionLevel),
}

impl RegionQuery {
    fn parse(raw: &str) -> Option<Self> {
        let typed = QueryWords::parse(raw);
        let mut words = Vec::new();
        let mut levels = 0u8;
        for (i, word) in typed.words.iter().enumerate() {
            match classify(word, typed.is_complete(i)) {
                QueryWord::Text(text) => words.push(text),
                QueryWord::Level(level) => levels |= 1 << level_rank(level),
            }
        }
        // "kecamatan" alone is a search for that word, not for every district.
        if words.is_empty() {
            words = typed.words;
            levels = 0;
        }
        if words.is_empty() {
            return None;
        }
        words.truncate(MAX_WORDS);
        let phrase = words.join(" ");
        Some(Self { words, phrase, levels })
    }

    fn allows(&self, level: RegionLevel) -> bool {
        self.levels == 0 || self.levels & (1 << level_rank(level)) != 0
    }
}

/// Reads the words people put in front of names. Abbreviations count only once typed to their
/// end, because "kab" may still grow into "Kabandungan" and "kec" into "Kecapi".
fn classify(word: &str, complete: bool) -> QueryWord {
    match (word, complete) {
        ("kab", true) => QueryWord::Text("kabupaten".to_owned()),
        ("kecamatan" | "distrik", _) | ("kec", true) => QueryWord::Level(RegionLevel::District),
        ("desa" | "kelurahan", _) | ("kel" | "ds", true) => QueryWord::Level(RegionLevel::Village),
        ("provinsi" | "propinsi", _) | ("prov" | "prop", true) => QueryWord::Level(RegionLevel::Province),
        _ => QueryWord::Text(word.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("test code is well formed")
    }

    fn codes(hits: &[RegionHit]) -> Vec<&str> {
        hits.iter().map(|h| h.region.code.as_str()).collect()
    }

    #[test]
    fn counts_match_kemendagri() {
        assert_eq!(
            region_count_by_level(),
            RegionCounts { provinces: 38, regencies: 514, districts: 7_285, villages: 83_762 }
        );
    }

    #[test]
    fn every_parent_exists_and_lists_its_child() {
        for child in region_all() {
            let Some(parent_code) = child.code.parent() else {
                assert_eq!(child.level, RegionLevel::Province);
                continue;
            };
            assert!(region(&parent_code).is_some(), "{} has no parent", child.code);
            assert!(children(Some(&parent_code)).contains(&child), "{}", child.code);
        }
    }

    #[test]
    fn lookup_and_path() {
        let cikande = region(&code("36.04.15")).expect("Cikande is listed");
        assert_eq!(cikande.name, "Cikande");
        assert_eq!(cikande.level, RegionLevel::District);
        let path: Vec<&str> = region_path(&code("36.04.15.2001")).iter().map(|r| r.name.as_str()).collect();
        assert_eq!(path, ["Banten", "Kabupaten Serang", "Cikande", "Cikande"]);
        assert!(region(&code("36.04.99")).is_none());
        assert!(region_path(&code("36.04.99")).is_empty());
    }

    #[test]
    fn labels() {
        assert_eq!(region_label(&code("36")), "Provinsi Banten");
        assert_eq!(region_label(&code("36.04")), "Kabupaten Serang, Banten");
        assert_eq!(region_label(&code("36.73")), "Kota Serang, Banten");
        assert_eq!(region_label(&code("36.04.15")), "Kecamatan Cikande, Kabupaten Serang");
        assert_eq!(region_label(&code("36.04.15.2001")), "Desa Cikande, Kecamatan Cikande, Kabupaten Serang");
        let kelurahan = region_all()
            .iter()
            .find(|r| r.level == RegionLevel::Village && village_digits(&r.code).starts_with('1'))
            .expect("some kelurahan");
        assert!(region_label(&kelurahan.code).starts_with(&format!("Kelurahan {}, Kecamatan ", kelurahan.name)));
        assert!(region_label(&code("91.03.01.3007")).starts_with("Desa Adat Yoboi, Distrik "));
        assert_eq!(region_label(&code("36.04.99")), "36.04.99");
    }

    #[test]
    fn children_are_sorted_and_direct() {
        let provinces = children(None);
        assert_eq!(provinces.len(), 38);
        assert_eq!(provinces[0].name, "Aceh");
        let serang = children(Some(&code("36.04")));
        assert!(serang.iter().all(|r| r.level == RegionLevel::District));
        assert!(serang.windows(2).all(|w| w[0].code < w[1].code));
        assert!(serang.iter().any(|r| r.name == "Cikande"));
        assert!(children(Some(&code("36.04.15.2001"))).is_empty());
        assert!(children(Some(&code("99"))).is_empty());
    }

    #[test]
    fn cikande_finds_the_district_first() {
        let hits = search_regions("cikande", 10);
        assert_eq!(hits[0].region.code.as_str(), "36.04.15");
        assert_eq!(hits[0].label, "Kecamatan Cikande, Kabupaten Serang");
        // The villages named Cikande follow, before "Cikande Permai".
        assert!(hits[1..5].iter().all(|h| h.region.name == "Cikande"), "{:?}", codes(&hits));
        assert!(codes(&hits).contains(&"36.04.15.2013"));
        // Accents, case and spaces do not matter.
        assert_eq!(codes(&search_regions("  CIKANDÉ ", 1)), ["36.04.15"]);
    }

    #[test]
    fn serang_finds_both_regencies_first() {
        let hits = search_regions("serang", 10);
        assert_eq!(codes(&hits)[..2], ["36.04", "36.73"]);
        for query in ["kabupaten serang", "Kab. Serang", "kab serang", "KAB  serang"] {
            assert_eq!(codes(&search_regions(query, 3))[0], "36.04", "{query}");
        }
        assert_eq!(codes(&search_regions("kota serang", 3))[0], "36.73");
        assert_eq!(codes(&search_regions("jakarta pusat", 1)), ["31.71"]);
    }

    #[test]
    fn words_may_match_parents() {
        let hits = search_regions("cikande serang", 3);
        assert_eq!(codes(&hits)[0], "36.04.15");
        assert!(hits.iter().all(|h| h.region.code.as_str().starts_with("36.04.15")));
    }

    #[test]
    fn level_words_filter() {
        let hits = search_regions("kec cikande", 10);
        assert_eq!(codes(&hits), ["36.04.15"]);
        let hits = search_regions("desa cikande", 10);
        assert!(!hits.is_empty() && hits.iter().all(|h| h.region.level == RegionLevel::Village));
        assert_eq!(codes(&search_regions("provinsi banten", 10)), ["36"]);
        // "kab" still being typed is a prefix, not "kabupaten": Kabandungan is found.
        assert!(search_regions("kab", 1_000).iter().any(|h| h.region.name == "Kabandungan"));
        // A level word alone is an ordinary word.
        assert!(!search_regions("desa", 5).is_empty());
    }

    #[test]
    fn word_prefix_ranks_above_substring() {
        let starts_a_word = |hit: &RegionHit| text::fold(&hit.region.name).split(' ').any(|w| w.starts_with("kande"));
        let hits = search_regions("kande", 200);
        let last_prefix = hits.iter().rposition(starts_a_word).expect("some name starts with kande");
        let first_substring = hits.iter().position(|h| !starts_a_word(h)).expect("Cikande contains kande");
        assert!(last_prefix < first_substring, "{:?}", codes(&hits));
    }

    #[test]
    fn code_prefix_search() {
        let hits = search_regions("36.04", 5);
        assert_eq!(codes(&hits)[0], "36.04");
        assert!(hits[1..].iter().all(|h| h.region.level == RegionLevel::District));
        assert!(codes(&hits).iter().all(|c| c.starts_with("36.04")));
        assert_eq!(codes(&search_regions("3604", 1)), ["36.04"]);
        assert_eq!(codes(&search_regions("36.04.15.2001", 5)), ["36.04.15.2001"]);
        assert_eq!(codes(&search_regions("36", 3)), ["36", "36.01", "36.02"]);
        assert!(search_regions("99", 5).is_empty());
    }

    #[test]
    fn empty_queries_find_nothing() {
        for query in ["", "   ", "\t\n", ".,-", "..."] {
            assert!(search_regions(query, 10).is_empty(), "{query:?}");
        }
        assert!(search_regions("cikande", 0).is_empty());
        assert!(search_regions("zzzzqqq", 10).is_empty());
    }

    #[test]
    fn limit_is_respected() {
        assert_eq!(search_regions("a", 25).len(), 25);
        assert_eq!(search_regions("3", 7).len(), 7);
    }

    /// Prints how long a keystroke's search takes; no assertion, timings vary by machine.
    /// `cargo test -p sinergi-reference --release -- --nocapture search_timing`
    #[test]
    fn search_timing() {
        let start = Instant::now();
        let _ = region_all();
        // Only the first load when this test runs alone (`--test-threads=1 search_timing`).
        println!("loading the region table: {:?}", start.elapsed());
        for query in ["cikande", "serang", "a", "su", "kab serang", "cikande serang", "36.04"] {
            let runs = 100;
            let start = Instant::now();
            for _ in 0..runs {
                std::hint::black_box(search_regions(std::hint::black_box(query), 10));
            }
            println!("search_regions({query:?}, 10): {:?} per query", start.elapsed() / runs);
        }
    }
}

//! KBLI 2020: 21 kategori, 88 golongan pokok, 245 golongan, 567 subgolongan, 1,789 kelompok.

use std::sync::LazyLock;

use serde::Serialize;
use sinergi_domain::kbli::{KbliCode, KbliLevel};

use crate::data::{DataError, Record, each_row, loaded};
use crate::text::{self, QueryWords, TextIndex, Tier};

/// One row of the KBLI 2020 table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kbli {
    pub code: KbliCode,
    /// As BPS writes it: "Industri Kerupuk, Keripik, Peyek Dan Sejenisnya".
    pub title: String,
    /// The row one level up; `None` for a kategori.
    pub parent: Option<KbliCode>,
}

/// How many rows the table holds at each level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct KbliCounts {
    pub kategori: usize,
    pub golongan_pokok: usize,
    pub golongan: usize,
    pub subgolongan: usize,
    pub kelompok: usize,
}

/// The KBLI row with this code, if KBLI 2020 has it.
pub fn kbli(code: &KbliCode) -> Option<&'static Kbli> {
    let table = &*TABLE;
    table.find(code).map(|i| &table.rows[i])
}

/// Every row, sorted by code (digits before the kategori letters).
pub fn kbli_all() -> &'static [Kbli] {
    &TABLE.rows
}

/// The rows directly under `parent` (the kategori for `None`), sorted by code.
pub fn kbli_children(parent: Option<&KbliCode>) -> Vec<&'static Kbli> {
    // 2,710 rows: a scan costs microseconds, less than keeping a child index would be worth.
    kbli_all().iter().filter(|row| row.parent.as_ref() == parent).collect()
}

/// Counts of the table per level (the numbers of the official table).
pub fn kbli_count_by_level() -> KbliCounts {
    let mut counts = KbliCounts::default();
    for row in kbli_all() {
        match row.code.level() {
            KbliLevel::Kategori => counts.kategori += 1,
            KbliLevel::GolonganPokok => counts.golongan_pokok += 1,
            KbliLevel::Golongan => counts.golongan += 1,
            KbliLevel::Subgolongan => counts.subgolongan += 1,
            KbliLevel::Kelompok => counts.kelompok += 1,
        }
    }
    counts
}

/// Type-ahead search over KBLI titles and codes.
///
/// A query of digits lists the codes starting with it, the code itself first. Otherwise a row
/// matches when its title holds every query word (case, accents and punctuation ignored), ranked
/// as region names are: the title equal to the query, then starting with it, then every word
/// starting a word, then merely containing the words. Within a rank the 5-digit kelompok come
/// first, because that is the level OSS records on an NIB, then by code. A single letter A–U also
/// lists that kategori first. An empty query finds nothing.
pub fn search_kbli(query: &str, limit: usize) -> Vec<&'static Kbli> {
    if limit == 0 {
        return Vec::new();
    }
    let table = &*TABLE;
    let trimmed = query.trim();
    let found = if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        table.by_code_prefix(trimmed, limit)
    } else {
        table.by_title(query, limit)
    };
    found.into_iter().map(|i| &table.rows[i]).collect()
}

static TABLE: LazyLock<KbliTable> = LazyLock::new(|| loaded(KbliTable::load()));

const FILE: &str = "data/kbli/kbli2020.csv";
const LEVELS: usize = 5;

/// Kelompok first: see [`search_kbli`].
fn level_rank(level: KbliLevel) -> usize {
    match level {
        KbliLevel::Kelompok => 0,
        KbliLevel::Subgolongan => 1,
        KbliLevel::Golongan => 2,
        KbliLevel::GolonganPokok => 3,
        KbliLevel::Kategori => 4,
    }
}

struct KbliTable {
    /// Sorted by code.
    rows: Vec<Kbli>,
    /// Folded titles, in the order of `rows`.
    titles: TextIndex,
}

impl KbliTable {
    fn load() -> Result<Self, DataError> {
        let mut rows = Vec::with_capacity(2_710);
        let header = ["level", "code", "title", "parent_code"];
        each_row(FILE, include_str!("../../../data/kbli/kbli2020.csv"), &header, |row| {
            rows.push(parse_row(row)?);
            Ok(())
        })?;
        rows.sort_unstable_by(|a, b| a.code.cmp(&b.code));
        let table_error = |reason: String| DataError::Table { file: FILE, reason };
        if let Some(pair) = rows.windows(2).find(|pair| pair[0].code == pair[1].code) {
            return Err(table_error(format!("{} is listed twice", pair[0].code)));
        }
        for row in &rows {
            let Some(parent) = &row.parent else { continue };
            let found = rows.binary_search_by(|r| r.code.cmp(parent)).is_ok();
            if !found {
                return Err(table_error(format!("{} has no parent {parent}", row.code)));
            }
        }
        let folded: Vec<String> = rows.iter().map(|row| text::fold(&row.title)).collect();
        let titles = TextIndex::new(folded.iter().map(String::as_str));
        Ok(Self { rows, titles })
    }

    fn find(&self, code: &KbliCode) -> Option<usize> {
        self.rows.binary_search_by(|r| r.code.cmp(code)).ok()
    }

    fn by_code_prefix(&self, prefix: &str, limit: usize) -> Vec<usize> {
        let mut found: Vec<usize> =
            (0..self.rows.len()).filter(|&i| self.rows[i].code.as_str().starts_with(prefix)).collect();
        found.sort_by_key(|&i| {
            let code = &self.rows[i].code;
            (code.as_str() != prefix, level_rank(code.level()), i)
        });
        found.truncate(limit);
        found
    }

    fn by_title(&self, query: &str, limit: usize) -> Vec<usize> {
        let words = QueryWords::parse(query).words;
        let mut found = Vec::new();
        // A lone letter is how people write a kategori ("C" for manufacturing).
        let kategori = KbliCode::parse(query)
            .ok()
            .filter(|code| code.level() == KbliLevel::Kategori)
            .and_then(|code| self.find(&code));
        found.extend(kategori);
        if words.is_empty() {
            return found;
        }
        let phrase = words.join(" ");
        let all = text::all_words(words.len());
        let masks = self.titles.scan(&words);
        let mut buckets = vec![Vec::new(); Tier::COUNT * LEVELS];
        for (i, &own) in masks.anywhere.iter().enumerate() {
            if own != all || Some(i) == kategori {
                continue;
            }
            let tier = Tier::of([self.titles.text(i)], &phrase, masks.word_start[i] == all);
            let bucket = &mut buckets[tier as usize * LEVELS + level_rank(self.rows[i].code.level())];
            if bucket.len() < limit {
                bucket.push(i);
            }
        }
        found.extend(buckets.into_iter().flatten());
        found.truncate(limit);
        found
    }
}

fn parse_row(row: &Record<'_>) -> Result<Kbli, String> {
    let code = row.required(1, "code")?;
    let code = KbliCode::parse(code).map_err(|e| format!("code {code:?}: {e}"))?;
    let level = match row.required(0, "level")? {
        "kategori" => KbliLevel::Kategori,
        "golongan_pokok" => KbliLevel::GolonganPokok,
        "golongan" => KbliLevel::Golongan,
        "subgolongan" => KbliLevel::Subgolongan,
        "kelompok" => KbliLevel::Kelompok,
        other => return Err(format!("unknown level {other:?}")),
    };
    if code.level() != level {
        return Err(format!("{code} is not a {level:?} code"));
    }
    let parent = match row.get(3)? {
        "" => None,
        parent => Some(KbliCode::parse(parent).map_err(|e| format!("parent {parent:?}: {e}"))?),
    };
    check_parent(&code, parent.as_ref())?;
    let title = row.required(2, "title")?.to_owned();
    Ok(Kbli { code, title, parent })
}

/// A kategori has no parent; a golongan pokok sits under a kategori; every longer code sits
/// under itself less its last digit.
fn check_parent(code: &KbliCode, parent: Option<&KbliCode>) -> Result<(), String> {
    let expected = match code.level() {
        KbliLevel::Kategori => {
            return parent.map_or(Ok(()), |p| Err(format!("kategori {code} has parent {p}")));
        }
        KbliLevel::GolonganPokok => {
            return match parent {
                Some(p) if p.level() == KbliLevel::Kategori => Ok(()),
                _ => Err(format!("{code} needs a kategori as parent")),
            };
        }
        _ => &code.as_str()[..code.as_str().len() - 1],
    };
    match parent {
        Some(p) if p.as_str() == expected => Ok(()),
        _ => Err(format!("{code} should have parent {expected}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> KbliCode {
        KbliCode::parse(s).expect("test code is well formed")
    }

    fn codes(rows: &[&Kbli]) -> Vec<String> {
        rows.iter().map(|r| r.code.to_string()).collect()
    }

    #[test]
    fn counts_match_the_official_table() {
        assert_eq!(
            kbli_count_by_level(),
            KbliCounts { kategori: 21, golongan_pokok: 88, golongan: 245, subgolongan: 567, kelompok: 1_789 }
        );
    }

    #[test]
    fn lookup_and_children() {
        let keripik = kbli(&code("10794")).expect("10794 is listed");
        assert_eq!(keripik.title, "Industri Kerupuk, Keripik, Peyek Dan Sejenisnya");
        assert_eq!(keripik.parent, Some(code("1079")));
        assert!(kbli(&code("93232")).is_none(), "deleted by the BPS correction list");
        let kategori = kbli_children(None);
        assert_eq!(kategori.len(), 21);
        assert_eq!(kategori[0].code.as_str(), "A");
        let under_1079 = codes(&kbli_children(Some(&code("1079"))));
        assert_eq!(under_1079, ["10791", "10792", "10793", "10794", "10795", "10796", "10799"]);
        assert!(kbli_children(Some(&code("10794"))).is_empty());
        assert!(kbli_children(Some(&code("C"))).iter().all(|r| r.code.level() == KbliLevel::GolonganPokok));
    }

    #[test]
    fn keripik_finds_10794_first() {
        assert_eq!(codes(&search_kbli("keripik", 10))[0], "10794");
        assert_eq!(codes(&search_kbli("  KERIPIK ", 10))[0], "10794");
        assert_eq!(codes(&search_kbli("kerupuk keripik", 10))[0], "10794");
        assert_eq!(codes(&search_kbli("kerip", 10))[0], "10794");
    }

    #[test]
    fn kelompok_wins_ties() {
        // The same title exists as subgolongan 1079 and kelompok 10799.
        let hits = codes(&search_kbli("industri produk makanan lainnya", 2));
        assert_eq!(hits, ["10799", "1079"]);
    }

    #[test]
    fn code_prefix_search() {
        assert_eq!(codes(&search_kbli("10794", 5)), ["10794"]);
        let hits = codes(&search_kbli("1079", 3));
        assert_eq!(hits, ["1079", "10791", "10792"]);
        let hits = search_kbli("10", 10);
        assert_eq!(hits[0].code.as_str(), "10");
        assert!(hits[1..].iter().all(|r| r.code.level() == KbliLevel::Kelompok));
        assert!(search_kbli("999", 5).is_empty());
    }

    #[test]
    fn kategori_letter() {
        assert_eq!(codes(&search_kbli("c", 1)), ["C"]);
        assert_eq!(search_kbli("C", 5).len(), 5);
    }

    #[test]
    fn laboratory_testing() {
        assert!(codes(&search_kbli("laboratorium", 20)).contains(&"71202".to_owned()));
    }

    #[test]
    fn empty_queries_find_nothing() {
        for query in ["", "  ", ",.;", "\t"] {
            assert!(search_kbli(query, 10).is_empty(), "{query:?}");
        }
        assert!(search_kbli("keripik", 0).is_empty());
    }
}

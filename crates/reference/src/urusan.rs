//! Government affairs (urusan pemerintahan) with their Permendagri 90/2019 codes, used to
//! classify what a cooperation agreement is about.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use sinergi_domain::format::Locale;

use crate::data::{DataError, Record, each_row, loaded};

/// The kinds of affairs UU 23/2014 distinguishes, plus the supporting functions of a regional
/// government (secretariats, planning, finance, inspectorate, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrusanGroup {
    /// Mandatory affairs tied to basic services (codes 1.xx).
    WajibPelayananDasar,
    /// Other mandatory affairs (2.xx).
    WajibNonPelayananDasar,
    /// Optional affairs, taken up according to a region's potential (3.xx).
    Pilihan,
    /// Supporting functions (4.xx to 8.xx).
    Penunjang,
}

impl UrusanGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WajibPelayananDasar => "wajib_pelayanan_dasar",
            Self::WajibNonPelayananDasar => "wajib_non_pelayanan_dasar",
            Self::Pilihan => "pilihan",
            Self::Penunjang => "penunjang",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::WajibPelayananDasar, Self::WajibNonPelayananDasar, Self::Pilihan, Self::Penunjang]
            .into_iter()
            .find(|group| group.as_str() == s)
    }

    /// The group a code's first digit puts it in.
    fn of_code(code: &str) -> Option<Self> {
        match code.as_bytes().first()? {
            b'1' => Some(Self::WajibPelayananDasar),
            b'2' => Some(Self::WajibNonPelayananDasar),
            b'3' => Some(Self::Pilihan),
            b'4'..=b'8' => Some(Self::Penunjang),
            _ => None,
        }
    }
}

/// One government affair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Urusan {
    /// "1.01" (Pendidikan) … "8.01" (Kesatuan Bangsa dan Politik).
    pub code: String,
    pub group: UrusanGroup,
    pub name_id: String,
    pub name_en: String,
}

impl Urusan {
    pub fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::Id => &self.name_id,
            Locale::En => &self.name_en,
        }
    }
}

/// Every affair, in code order.
pub fn urusan_all() -> &'static [Urusan] {
    &TABLE
}

/// The affair with this code ("2.17").
pub fn urusan(code: &str) -> Option<&'static Urusan> {
    let code = code.trim();
    urusan_all().iter().find(|u| u.code == code)
}

const FILE: &str = "data/urusan/urusan.csv";

static TABLE: LazyLock<Vec<Urusan>> = LazyLock::new(|| loaded(load()));

fn load() -> Result<Vec<Urusan>, DataError> {
    let mut rows: Vec<Urusan> = Vec::with_capacity(42);
    let header = ["code", "group", "name_id", "name_en"];
    each_row(FILE, include_str!("../../../data/urusan/urusan.csv"), &header, |row| {
        let urusan = parse_row(row)?;
        if rows.last().is_some_and(|last| last.code >= urusan.code) {
            return Err(format!("{} is out of order or repeated", urusan.code));
        }
        rows.push(urusan);
        Ok(())
    })?;
    Ok(rows)
}

fn parse_row(row: &Record<'_>) -> Result<Urusan, String> {
    let code = row.required(0, "code")?;
    let shape_ok = matches!(code.as_bytes(), [b'1'..=b'9', b'.', b'0'..=b'9', b'0'..=b'9']);
    if !shape_ok {
        return Err(format!("code {code:?} is not of the form 1.01"));
    }
    let group = row.required(1, "group")?;
    let group = UrusanGroup::parse(group).ok_or_else(|| format!("unknown group {group:?}"))?;
    if UrusanGroup::of_code(code) != Some(group) {
        return Err(format!("{code} does not belong to {}", group.as_str()));
    }
    Ok(Urusan {
        code: code.to_owned(),
        group,
        name_id: row.required(2, "name_id")?.to_owned(),
        name_en: row.required(3, "name_en")?.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_group() {
        let count = |group| urusan_all().iter().filter(|u| u.group == group).count();
        assert_eq!(urusan_all().len(), 42);
        assert_eq!(count(UrusanGroup::WajibPelayananDasar), 6);
        assert_eq!(count(UrusanGroup::WajibNonPelayananDasar), 18);
        assert_eq!(count(UrusanGroup::Pilihan), 8);
        assert_eq!(count(UrusanGroup::Penunjang), 10);
    }

    #[test]
    fn lookup() {
        let pu = urusan("1.03").expect("1.03 is listed");
        assert_eq!(pu.name_id, "Pekerjaan Umum dan Penataan Ruang");
        assert_eq!(pu.name(Locale::En), "Public Works and Spatial Planning");
        assert_eq!(urusan(" 2.17 ").map(|u| u.name(Locale::Id)), Some("Koperasi, Usaha Kecil, dan Menengah"));
        assert_eq!(urusan("3.32").map(|u| u.group), Some(UrusanGroup::Pilihan));
        assert_eq!(urusan("8.01").map(|u| u.name_id.as_str()), Some("Kesatuan Bangsa dan Politik"));
        assert!(urusan("2.25").is_none());
        assert!(urusan("").is_none());
    }

    #[test]
    fn numbering_continues_across_groups() {
        let codes: Vec<&str> = urusan_all().iter().take(32).map(|u| &u.code[2..]).collect();
        let expected: Vec<String> = (1..=32).map(|n| format!("{n:02}")).collect();
        assert_eq!(codes, expected);
    }
}

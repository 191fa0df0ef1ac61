//! The free-meal programme's kitchens (SPPG) and their suppliers: each kitchen draws on at
//! least fifteen suppliers, and none may dominate.

use crate::{KbliCode, RegionCode};

/// The fewest suppliers a kitchen should draw on.
pub const MIN_SUPPLIERS: usize = 15;
/// The largest share of a kitchen's purchases one supplier may hold before it counts as
/// monopolising, in percent.
pub const MAX_SHARE_PERCENT: u32 = 20;

/// How a kitchen's supply stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitchenSupply {
    pub suppliers: usize,
    /// Suppliers short of the minimum.
    pub short_by: usize,
    /// The supplier holding too large a share, with its share in percent.
    pub dominant: Option<(usize, u32)>,
}

impl KitchenSupply {
    pub fn healthy(&self) -> bool {
        self.short_by == 0 && self.dominant.is_none()
    }
}

/// Judge a kitchen by its suppliers' supply values (rupiah, or any common unit), in the order
/// given; the dominant supplier is named by its position.
pub fn kitchen_supply(values: &[i64]) -> KitchenSupply {
    let active: Vec<(usize, i64)> = values.iter().copied().enumerate().filter(|(_, v)| *v > 0).collect();
    let total: i128 = active.iter().map(|(_, v)| i128::from(*v)).sum();
    let dominant = active
        .iter()
        .map(|(i, v)| (*i, if total > 0 { (i128::from(*v) * 100 / total) as u32 } else { 0 }))
        .filter(|(_, share)| *share > MAX_SHARE_PERCENT)
        .max_by_key(|(_, share)| *share);
    KitchenSupply { suppliers: active.len(), short_by: MIN_SUPPLIERS.saturating_sub(active.len()), dominant }
}

/// The KBLI groups whose producers feed a kitchen directly: poultry (0146: layers 01462,
/// broilers 01461...) and vegetables (0113). Processed food reaches kitchens through these
/// producers' cooperatives, not as the kitchen's own suppliers.
pub const SUPPLY_KBLI_PREFIXES: [&str; 2] = ["0146", "0113"];

/// Whether a business with these KBLI codes can supply a kitchen.
pub fn supplies_kitchens(kbli: &[KbliCode]) -> bool {
    kbli.iter().any(|k| SUPPLY_KBLI_PREFIXES.iter().any(|p| k.as_str().starts_with(p)))
}

/// How near a supplier is to a kitchen: the nearer, the fresher the eggs and the cheaper the
/// trip, so suggestions are ranked by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Nearness {
    SameDesa,
    SameKecamatan,
    SameKabKota,
}

impl Nearness {
    pub fn slug(self) -> &'static str {
        match self {
            Nearness::SameDesa => "desa",
            Nearness::SameKecamatan => "kecamatan",
            Nearness::SameKabKota => "kab-kota",
        }
    }
}

/// How near a business (its desa, else its kecamatan) is to a kitchen in `kitchen_desa`;
/// `None` when it is outside the kitchen's kabupaten/kota or its place is unknown.
pub fn nearness(
    kitchen_desa: &RegionCode,
    desa: Option<&RegionCode>,
    kecamatan: Option<&RegionCode>,
) -> Option<Nearness> {
    let kitchen_kecamatan = kitchen_desa.parent()?;
    let kitchen_kab = kitchen_kecamatan.parent()?;
    let kecamatan = kecamatan.cloned().or_else(|| desa.and_then(RegionCode::parent))?;
    if desa == Some(kitchen_desa) {
        Some(Nearness::SameDesa)
    } else if kecamatan == kitchen_kecamatan {
        Some(Nearness::SameKecamatan)
    } else if kecamatan.parent().as_ref() == Some(&kitchen_kab) {
        Some(Nearness::SameKabKota)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifteen_even_suppliers_are_healthy_and_one_big_one_is_not() {
        let even = vec![1_000_000; 15];
        assert!(kitchen_supply(&even).healthy());
        let mut skewed = vec![1_000_000; 15];
        skewed[3] = 10_000_000;
        let s = kitchen_supply(&skewed);
        assert_eq!(s.dominant, Some((3, 41)));
        let few = kitchen_supply(&[5, 5, 0, 5]);
        assert_eq!((few.suppliers, few.short_by), (3, 12));
    }

    #[test]
    fn suppliers_are_ranked_by_nearness_and_kind() {
        let c = |s: &str| RegionCode::parse(s).expect("code");
        let k = |s: &str| KbliCode::parse(s).expect("kbli");
        let kitchen = c("36.04.15.2001"); // Desa Cikande
        assert_eq!(nearness(&kitchen, Some(&c("36.04.15.2001")), None), Some(Nearness::SameDesa));
        assert_eq!(nearness(&kitchen, Some(&c("36.04.15.2004")), None), Some(Nearness::SameKecamatan));
        assert_eq!(nearness(&kitchen, None, Some(&c("36.04.16"))), Some(Nearness::SameKabKota));
        assert_eq!(nearness(&kitchen, None, Some(&c("36.73.01"))), None);
        assert_eq!(nearness(&kitchen, None, None), None);
        assert!(Nearness::SameDesa < Nearness::SameKecamatan && Nearness::SameKecamatan < Nearness::SameKabKota);
        assert!(supplies_kitchens(&[k("10794"), k("01462")]));
        assert!(supplies_kitchens(&[k("01131")]));
        assert!(!supplies_kitchens(&[k("10794")]));
    }
}

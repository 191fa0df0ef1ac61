//! The free-meal programme's kitchens (SPPG) and their suppliers: each kitchen draws on at
//! least fifteen suppliers, and none may dominate.

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
}

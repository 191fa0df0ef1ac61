//! Business size classes of PP 7/2021 (art. 35–36).
//!
//! Capital (modal usaha, excluding land and buildings) decides the class a business registers
//! under; annual sales decide eligibility for programmes. Both are kept and shown, and a
//! business whose two readings disagree is flagged rather than silently given one of them.

use serde::{Deserialize, Serialize};

crate::slug_enum! {
    /// Mikro, kecil, menengah, besar.
    #[derive(PartialOrd, Ord)]
    pub enum SizeClass: "size_class" {
        Micro = "mikro",
        Small = "kecil",
        Medium = "menengah",
        Large = "besar",
    }
}

/// Upper bounds (inclusive), in rupiah.
pub const MICRO_MAX_CAPITAL: i64 = 1_000_000_000;
pub const SMALL_MAX_CAPITAL: i64 = 5_000_000_000;
pub const MEDIUM_MAX_CAPITAL: i64 = 10_000_000_000;
pub const MICRO_MAX_SALES: i64 = 2_000_000_000;
pub const SMALL_MAX_SALES: i64 = 15_000_000_000;
pub const MEDIUM_MAX_SALES: i64 = 50_000_000_000;

impl SizeClass {
    pub fn by_capital(capital: i64) -> Self {
        Self::banded(capital, MICRO_MAX_CAPITAL, SMALL_MAX_CAPITAL, MEDIUM_MAX_CAPITAL)
    }

    pub fn by_sales(sales: i64) -> Self {
        Self::banded(sales, MICRO_MAX_SALES, SMALL_MAX_SALES, MEDIUM_MAX_SALES)
    }

    fn banded(value: i64, micro: i64, small: i64, medium: i64) -> Self {
        if value <= micro {
            SizeClass::Micro
        } else if value <= small {
            SizeClass::Small
        } else if value <= medium {
            SizeClass::Medium
        } else {
            SizeClass::Large
        }
    }
}

/// A year's two readings of a business's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Classification {
    /// The registration class (from capital), when capital is known.
    pub by_capital: Option<SizeClass>,
    /// The programme-eligibility class (from sales), when sales are known.
    pub by_sales: Option<SizeClass>,
}

impl Classification {
    pub fn of(capital: Option<i64>, sales: Option<i64>) -> Self {
        Self { by_capital: capital.map(SizeClass::by_capital), by_sales: sales.map(SizeClass::by_sales) }
    }

    /// Both are known and name different classes.
    pub fn disagrees(&self) -> bool {
        matches!((self.by_capital, self.by_sales), (Some(a), Some(b)) if a != b)
    }

    /// The class a list shows: capital's when known (it decides registration), else sales'.
    pub fn headline(&self) -> Option<SizeClass> {
        self.by_capital.or(self.by_sales)
    }
}

/// Movement between two years' headline classes: up (naik kelas), down, or the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Movement {
    Up,
    Same,
    Down,
}

pub fn movement(before: SizeClass, after: SizeClass) -> Movement {
    match after.cmp(&before) {
        std::cmp::Ordering::Greater => Movement::Up,
        std::cmp::Ordering::Equal => Movement::Same,
        std::cmp::Ordering::Less => Movement::Down,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn capital_boundaries() {
        assert_eq!(SizeClass::by_capital(0), SizeClass::Micro);
        assert_eq!(SizeClass::by_capital(1_000_000_000), SizeClass::Micro);
        assert_eq!(SizeClass::by_capital(1_000_000_001), SizeClass::Small);
        assert_eq!(SizeClass::by_capital(5_000_000_000), SizeClass::Small);
        assert_eq!(SizeClass::by_capital(5_000_000_001), SizeClass::Medium);
        assert_eq!(SizeClass::by_capital(10_000_000_000), SizeClass::Medium);
        assert_eq!(SizeClass::by_capital(10_000_000_001), SizeClass::Large);
    }

    #[test]
    fn sales_boundaries() {
        assert_eq!(SizeClass::by_sales(2_000_000_000), SizeClass::Micro);
        assert_eq!(SizeClass::by_sales(2_000_000_001), SizeClass::Small);
        assert_eq!(SizeClass::by_sales(15_000_000_000), SizeClass::Small);
        assert_eq!(SizeClass::by_sales(15_000_000_001), SizeClass::Medium);
        assert_eq!(SizeClass::by_sales(50_000_000_000), SizeClass::Medium);
        assert_eq!(SizeClass::by_sales(50_000_000_001), SizeClass::Large);
    }

    #[test]
    fn disagreement_is_flagged_not_resolved() {
        // Rp 800 juta capital (micro) but Rp 3 miliar sales (small).
        let c = Classification::of(Some(800_000_000), Some(3_000_000_000));
        assert!(c.disagrees());
        assert_eq!(c.headline(), Some(SizeClass::Micro));
        assert!(!Classification::of(Some(800_000_000), None).disagrees());
        assert_eq!(Classification::of(None, Some(3_000_000_000)).headline(), Some(SizeClass::Small));
        assert_eq!(Classification::of(None, None).headline(), None);
    }

    #[test]
    fn movement_between_years() {
        assert_eq!(movement(SizeClass::Micro, SizeClass::Small), Movement::Up);
        assert_eq!(movement(SizeClass::Medium, SizeClass::Small), Movement::Down);
        assert_eq!(movement(SizeClass::Small, SizeClass::Small), Movement::Same);
    }

    proptest! {
        #[test]
        fn classes_grow_with_money(a in 0i64..100_000_000_000, b in 0i64..100_000_000_000) {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(SizeClass::by_capital(lo) <= SizeClass::by_capital(hi));
            prop_assert!(SizeClass::by_sales(lo) <= SizeClass::by_sales(hi));
        }
    }
}

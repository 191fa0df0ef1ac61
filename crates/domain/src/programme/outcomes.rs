//! Did the training work? Alumni against similar businesses that did not take part.
//!
//! A programme's alumni are compared with their peers: registry businesses of the same size
//! class (by sales) in the year before the wave, the same KBLI section and the same kecamatan,
//! that never completed a programme. For each business the change in annual sales is measured
//! from that base year; alumni to their latest follow-up answer, peers to the latest year the
//! registry holds. The medians are compared, and the share that moved up a class.

use crate::umkm::SizeClass;

/// One business's sales before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Growth {
    pub before: i64,
    pub after: i64,
}

impl Growth {
    /// The change in percent; `None` without a positive base (a change from nothing is no
    /// percentage).
    pub fn percent(self) -> Option<f64> {
        (self.before > 0).then(|| (self.after - self.before) as f64 * 100.0 / self.before as f64)
    }

    /// Moved up a class by sales (micro → small, small → medium...).
    pub fn naik_kelas(self) -> bool {
        SizeClass::by_sales(self.after) > SizeClass::by_sales(self.before)
    }
}

/// A group's outcome.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct GroupOutcome {
    /// Businesses in the group.
    pub businesses: usize,
    /// Those with a base and a later figure.
    pub measured: usize,
    pub median_growth_percent: Option<f64>,
    pub naik_kelas: usize,
}

impl GroupOutcome {
    /// The share of the measured that moved up a class, in percent.
    pub fn naik_kelas_percent(&self) -> Option<f64> {
        (self.measured > 0).then(|| self.naik_kelas as f64 * 100.0 / self.measured as f64)
    }
}

/// Summarise a group: `growths` holds one entry per business, `None` where it lacks figures.
pub fn summarise(growths: &[Option<Growth>]) -> GroupOutcome {
    let measured: Vec<Growth> = growths.iter().flatten().copied().collect();
    let mut percents: Vec<f64> = measured.iter().filter_map(|g| g.percent()).collect();
    GroupOutcome {
        businesses: growths.len(),
        measured: measured.len(),
        median_growth_percent: median(&mut percents),
        naik_kelas: measured.iter().filter(|g| g.naik_kelas()).count(),
    }
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len().is_multiple_of(2) { (v[mid - 1] + v[mid]) / 2.0 } else { v[mid] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_and_class_moves() {
        let g = Growth { before: 1_500_000_000, after: 2_400_000_000 };
        assert_eq!(g.percent(), Some(60.0));
        assert!(g.naik_kelas(), "Rp1,5 M → Rp2,4 M crosses the Rp2 M micro ceiling");
        assert!(!Growth { before: 100_000_000, after: 150_000_000 }.naik_kelas());
        assert_eq!(Growth { before: 0, after: 5 }.percent(), None);
    }

    #[test]
    fn summaries_take_the_median_of_the_measured() {
        let s = summarise(&[
            Some(Growth { before: 100, after: 110 }),
            None,
            Some(Growth { before: 100, after: 150 }),
            Some(Growth { before: 100, after: 90 }),
            Some(Growth { before: 100, after: 130 }),
        ]);
        assert_eq!((s.businesses, s.measured), (5, 4));
        assert_eq!(s.median_growth_percent, Some(20.0));
        assert_eq!(summarise(&[]).median_growth_percent, None);
        assert_eq!(summarise(&[None]).naik_kelas_percent(), None);
    }
}

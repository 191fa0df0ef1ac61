//! Financing referrals: a business referred to a partner bank for KUR or another product, the
//! schemes (as data, editable per Pemda) and the referral's steps.

crate::slug_enum! {
    pub enum ReferralStatus: "status" {
        Referred = "dirujuk",
        Assessed = "dinilai",
        Approved = "disetujui",
        Declined = "ditolak",
        Disbursed = "dicairkan",
    }
}

impl ReferralStatus {
    pub fn next(self) -> &'static [ReferralStatus] {
        use ReferralStatus::*;
        match self {
            Referred => &[Assessed, Declined],
            Assessed => &[Approved, Declined],
            Approved => &[Disbursed, Declined],
            Declined | Disbursed => &[],
        }
    }
}

/// A financing product with its ceiling, in whole rupiah.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    pub code: String,
    pub name: String,
    pub ceiling: i64,
}

impl Scheme {
    /// An amount asked within the ceiling.
    pub fn admits(&self, amount: i64) -> bool {
        amount > 0 && amount <= self.ceiling
    }
}

/// The KUR schemes as the regulation sets them today (Permenko 1/2023): super mikro up to
/// Rp10 jt, mikro up to Rp100 jt, kecil up to Rp500 jt. A Pemda edits them as they change.
pub fn default_schemes() -> Vec<Scheme> {
    [
        ("kur-super-mikro", "KUR Super Mikro", 10_000_000),
        ("kur-mikro", "KUR Mikro", 100_000_000),
        ("kur-kecil", "KUR Kecil", 500_000_000),
    ]
    .into_iter()
    .map(|(code, name, ceiling)| Scheme { code: code.into(), name: name.into(), ceiling })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_and_steps() {
        let s = default_schemes();
        assert!(s[0].admits(10_000_000) && !s[0].admits(10_000_001));
        assert!(!s[1].admits(0));
        assert_eq!(ReferralStatus::Approved.next(), &[ReferralStatus::Disbursed, ReferralStatus::Declined]);
        assert!(ReferralStatus::Disbursed.next().is_empty());
    }
}

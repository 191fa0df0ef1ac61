//! Financing referrals: a business referred to a partner bank for KUR or another product, the
//! schemes (as data, editable per Pemda) and the referral's steps.

use crate::auth::FieldError;

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

/// The amounts a referral carries when it takes a step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferralAmounts {
    pub asked: i64,
    pub approved: Option<i64>,
    pub disbursed: Option<i64>,
    pub decline_reason: Option<String>,
}

impl ReferralStatus {
    /// Take a step with what it needs: an approval names the amount approved (within the amount
    /// asked), a disbursement the amount paid out (within the amount approved), a decline its
    /// reason. The error names the field at fault.
    pub fn step(self, to: ReferralStatus, a: &ReferralAmounts) -> Result<ReferralStatus, FieldError> {
        if !self.next().contains(&to) {
            return Err(FieldError::new("status", "not-next"));
        }
        match to {
            ReferralStatus::Approved => match a.approved {
                None => return Err(FieldError::new("amount_approved", "required")),
                Some(v) if v <= 0 => return Err(FieldError::new("amount_approved", "invalid-amount")),
                Some(v) if v > a.asked => return Err(FieldError::new("amount_approved", "above-asked")),
                Some(_) => {}
            },
            ReferralStatus::Disbursed => match (a.disbursed, a.approved) {
                (None, _) => return Err(FieldError::new("amount_disbursed", "required")),
                (Some(v), _) if v <= 0 => return Err(FieldError::new("amount_disbursed", "invalid-amount")),
                (Some(v), Some(approved)) if v > approved => {
                    return Err(FieldError::new("amount_disbursed", "above-approved"));
                }
                (Some(_), None) => return Err(FieldError::new("amount_disbursed", "above-approved")),
                (Some(_), Some(_)) => {}
            },
            ReferralStatus::Declined => {
                if a.decline_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                    return Err(FieldError::new("decline_reason", "required"));
                }
            }
            ReferralStatus::Referred | ReferralStatus::Assessed => {}
        }
        Ok(to)
    }
}

/// Check an amount asked against a scheme's ceiling, naming the field.
pub fn check_asked(scheme: &Scheme, amount: i64) -> Result<(), FieldError> {
    if amount <= 0 {
        return Err(FieldError::new("amount_asked", "invalid-amount"));
    }
    if !scheme.admits(amount) {
        return Err(FieldError::new("amount_asked", "above-ceiling"));
    }
    Ok(())
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

    #[test]
    fn each_step_asks_for_its_amount_within_the_one_before() {
        use ReferralStatus::*;
        let mut a = ReferralAmounts { asked: 50_000_000, ..Default::default() };
        assert_eq!(Referred.step(Approved, &a).unwrap_err().reason, "not-next");
        assert_eq!(Referred.step(Assessed, &a), Ok(Assessed));
        assert_eq!(Assessed.step(Approved, &a).unwrap_err().field, "amount_approved");
        a.approved = Some(60_000_000);
        assert_eq!(Assessed.step(Approved, &a).unwrap_err().reason, "above-asked");
        a.approved = Some(40_000_000);
        assert_eq!(Assessed.step(Approved, &a), Ok(Approved));
        a.disbursed = Some(40_000_001);
        let e = Approved.step(Disbursed, &a).unwrap_err();
        assert_eq!((e.field, e.reason), ("amount_disbursed", "above-approved"));
        a.disbursed = Some(40_000_000);
        assert_eq!(Approved.step(Disbursed, &a), Ok(Disbursed));
        assert_eq!(Assessed.step(Declined, &a).unwrap_err().field, "decline_reason");
        a.decline_reason = Some("Agunan tidak cukup".into());
        assert_eq!(Assessed.step(Declined, &a), Ok(Declined));
        let s = &default_schemes()[0];
        assert_eq!(check_asked(s, 12_000_000).unwrap_err().reason, "above-ceiling");
        assert_eq!(check_asked(s, 0).unwrap_err().reason, "invalid-amount");
        assert!(check_asked(s, 10_000_000).is_ok());
    }
}

//! What the laboratory tests, and how a measured value is judged against its quality standard
//! (baku mutu).

use crate::auth::FieldError;

crate::slug_enum! {
    /// What a sample is of. Each medium has its own regulations and parameters.
    pub enum Medium: "medium" {
        Wastewater = "air-limbah",
        CleanWater = "air-bersih",
        DrinkingWater = "air-minum",
        AmbientAir = "udara-ambien",
        Emission = "emisi",
        Noise = "kebisingan",
    }
}

crate::slug_enum! {
    /// What a result says against its standard.
    pub enum Verdict: "verdict" {
        Pass = "memenuhi",
        Fail = "tidak-memenuhi",
        /// The parameter has no limit in the regulation (reported for information only).
        NoLimit = "tanpa-baku-mutu",
    }
}

/// Why a quality standard could not be built.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum LimitError {
    #[error("the lower limit {min} is above the upper limit {max}")]
    Inverted { min: f64, max: f64 },
    #[error("a limit must be a finite number")]
    NotFinite,
}

/// A quality standard (baku mutu): a maximum (BOD ≤ 30 mg/L), a minimum (dissolved oxygen ≥ 4
/// mg/L), a range (pH 6–9), or none.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Limit {
    None,
    Max { max: f64 },
    Min { min: f64 },
    Range { min: f64, max: f64 },
}

impl Limit {
    /// The standard from its two optional bounds, as the catalogue stores them.
    pub fn new(min: Option<f64>, max: Option<f64>) -> Result<Limit, LimitError> {
        if min.is_some_and(|v| !v.is_finite()) || max.is_some_and(|v| !v.is_finite()) {
            return Err(LimitError::NotFinite);
        }
        Ok(match (min, max) {
            (None, None) => Limit::None,
            (None, Some(max)) => Limit::Max { max },
            (Some(min), None) => Limit::Min { min },
            (Some(min), Some(max)) if min > max => return Err(LimitError::Inverted { min, max }),
            (Some(min), Some(max)) => Limit::Range { min, max },
        })
    }

    pub fn min(&self) -> Option<f64> {
        match *self {
            Limit::Min { min } | Limit::Range { min, .. } => Some(min),
            _ => None,
        }
    }

    pub fn max(&self) -> Option<f64> {
        match *self {
            Limit::Max { max } | Limit::Range { max, .. } => Some(max),
            _ => None,
        }
    }

    /// Judge a measured value. Bounds are inclusive: a value at the limit meets the standard, as
    /// the regulations write them ("paling tinggi", "paling rendah").
    pub fn verdict(&self, value: f64) -> Verdict {
        match *self {
            Limit::None => Verdict::NoLimit,
            Limit::Max { max } => pass(value <= max),
            Limit::Min { min } => pass(value >= min),
            Limit::Range { min, max } => pass(min <= value && value <= max),
        }
    }

    /// The standard as a certificate prints it: "≤ 30", "≥ 4", "6 – 9", "—".
    pub fn display(&self) -> String {
        match *self {
            Limit::None => "—".to_owned(),
            Limit::Max { max } => format!("≤ {}", number(max)),
            Limit::Min { min } => format!("≥ {}", number(min)),
            Limit::Range { min, max } => format!("{} – {}", number(min), number(max)),
        }
    }
}

fn pass(ok: bool) -> Verdict {
    if ok { Verdict::Pass } else { Verdict::Fail }
}

/// A number the Indonesian way: a decimal comma, no needless zeros ("0,05", "30").
pub fn number(v: f64) -> String {
    let s = format!("{v}");
    s.replace('.', ",")
}

/// A measured value as an analyst types it: "7,2", "7.2", " 30 ". Refused: empty, text, and
/// anything not finite. Thousands separators are not accepted: results are small numbers, and
/// "1.500" would be ambiguous.
pub fn parse_value(field: &'static str, input: &str) -> Result<f64, FieldError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    if t.matches([',', '.']).count() > 1 {
        return Err(FieldError::new(field, "invalid-number"));
    }
    let v: f64 = t.replace(',', ".").parse().map_err(|_| FieldError::new(field, "invalid-number"))?;
    if !v.is_finite() {
        return Err(FieldError::new(field, "invalid-number"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bounds_are_inclusive() {
        let bod = Limit::new(None, Some(30.0)).unwrap();
        assert_eq!(bod.verdict(30.0), Verdict::Pass);
        assert_eq!(bod.verdict(30.1), Verdict::Fail);
        let ph = Limit::new(Some(6.0), Some(9.0)).unwrap();
        assert_eq!(ph.verdict(6.0), Verdict::Pass);
        assert_eq!(ph.verdict(9.0), Verdict::Pass);
        assert_eq!(ph.verdict(5.9), Verdict::Fail);
        assert_eq!(ph.verdict(9.5), Verdict::Fail);
        let oxygen = Limit::new(Some(4.0), None).unwrap();
        assert_eq!(oxygen.verdict(3.9), Verdict::Fail);
        assert_eq!(oxygen.verdict(4.0), Verdict::Pass);
        assert_eq!(Limit::new(None, None).unwrap().verdict(1e9), Verdict::NoLimit);
    }

    #[test]
    fn an_inverted_or_infinite_limit_is_refused() {
        assert_eq!(Limit::new(Some(9.0), Some(6.0)), Err(LimitError::Inverted { min: 9.0, max: 6.0 }));
        assert_eq!(Limit::new(None, Some(f64::NAN)), Err(LimitError::NotFinite));
    }

    #[test]
    fn values_are_read_with_a_comma_or_a_dot() {
        assert_eq!(parse_value("v", "7,2"), Ok(7.2));
        assert_eq!(parse_value("v", " 30 "), Ok(30.0));
        assert_eq!(parse_value("v", "0.05"), Ok(0.05));
        assert_eq!(parse_value("v", ""), Err(FieldError::new("v", "required")));
        assert_eq!(parse_value("v", "abc"), Err(FieldError::new("v", "invalid-number")));
        assert_eq!(parse_value("v", "1.500,5"), Err(FieldError::new("v", "invalid-number")));
        assert_eq!(parse_value("v", "inf"), Err(FieldError::new("v", "invalid-number")));
    }

    #[test]
    fn limits_print_as_certificates_write_them() {
        assert_eq!(Limit::new(None, Some(30.0)).unwrap().display(), "≤ 30");
        assert_eq!(Limit::new(Some(6.0), Some(9.0)).unwrap().display(), "6 – 9");
        assert_eq!(Limit::new(Some(0.5), None).unwrap().display(), "≥ 0,5");
        assert_eq!(Limit::None.display(), "—");
    }

    proptest! {
        #[test]
        fn a_range_is_its_two_bounds_together(a in -1e6f64..1e6, b in -1e6f64..1e6, v in -2e6f64..2e6) {
            let (min, max) = if a <= b { (a, b) } else { (b, a) };
            let range = Limit::new(Some(min), Some(max)).unwrap();
            let lower = Limit::new(Some(min), None).unwrap();
            let upper = Limit::new(None, Some(max)).unwrap();
            let both = lower.verdict(v) == Verdict::Pass && upper.verdict(v) == Verdict::Pass;
            prop_assert_eq!(range.verdict(v) == Verdict::Pass, both);
            prop_assert_eq!(range.min(), Some(min));
            prop_assert_eq!(range.max(), Some(max));
        }

        #[test]
        fn a_printed_value_reads_back(v in -1e6f64..1e6) {
            prop_assert_eq!(parse_value("v", &number(v)), Ok(v));
        }
    }
}

//! Monitoring and evaluation (monev) of an agreement for a period: six scales and a
//! recommendation, the form Bagian Kerja Sama fills in each year (Permendagri 22/2020 asks
//! that every cooperation be monitored and evaluated).

use serde::Serialize;

use crate::auth::FieldError;

/// The lowest and highest mark on every scale: 1 very poor … 5 very good.
pub const SCALE: std::ops::RangeInclusive<u8> = 1..=5;

crate::slug_enum! {
    /// What the evaluation recommends for the agreement.
    pub enum Recommendation: "recommendation" {
        /// Lanjutkan as it is.
        Continue = "continue",
        /// Perluas: more scope, more agencies or a longer term.
        Expand = "expand",
        /// Hentikan: end it (then move it to diakhiri with a reason).
        Stop = "stop",
    }
}

/// The six scales, each checked to lie on [`SCALE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Scores {
    /// Tercapainya tujuan kerja sama.
    pub aim: u8,
    /// Ketepatan waktu pelaksanaan.
    pub timeliness: u8,
    /// Kontribusi mitra.
    pub contribution: u8,
    /// Capaian indikator.
    pub indicator: u8,
    /// Dampak (manfaat yang dirasakan masyarakat).
    pub impact: u8,
    /// Relevansi dengan prioritas daerah.
    pub relevance: u8,
}

impl Scores {
    pub const FIELDS: [&'static str; 6] = ["aim", "timeliness", "contribution", "indicator", "impact", "relevance"];

    /// Parse six marks given as text (from a form), each error naming its field.
    pub fn parse(values: [&str; 6]) -> Result<Scores, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut marks = [0u8; 6];
        for (i, (field, raw)) in Self::FIELDS.iter().zip(values).enumerate() {
            match raw.trim() {
                "" => errors.push(FieldError::new(field, "required")),
                t => match t.parse::<u8>() {
                    Ok(v) if SCALE.contains(&v) => marks[i] = v,
                    _ => errors.push(FieldError::new(field, "score-out-of-range")),
                },
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let [aim, timeliness, contribution, indicator, impact, relevance] = marks;
        Ok(Scores { aim, timeliness, contribution, indicator, impact, relevance })
    }

    pub fn as_array(&self) -> [u8; 6] {
        [self.aim, self.timeliness, self.contribution, self.indicator, self.impact, self.relevance]
    }

    /// The mean in tenths (38 = 3,8): whole numbers keep formatting in one place.
    pub fn average_tenths(&self) -> u32 {
        let sum: u32 = self.as_array().iter().map(|&v| u32::from(v)).sum();
        // Rounded to the nearest tenth: 23 / 6 = 3,83 reads as 3,8.
        (sum * 10 + 3) / 6
    }

    /// An evaluation that recommends continuing or expanding while the marks are poor (mean
    /// below 2,5), or stopping while they are good (mean 4 or more), is flagged for a second
    /// look; it is not refused, because the evaluator may know better.
    pub fn contradicts(&self, r: Recommendation) -> bool {
        let avg = self.average_tenths();
        match r {
            Recommendation::Continue | Recommendation::Expand => avg < 25,
            Recommendation::Stop => avg >= 40,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_one_to_five_and_errors_name_the_field() {
        let s = Scores::parse(["5", "4", "4", "3", "5", "4"]).unwrap();
        assert_eq!(s.as_array(), [5, 4, 4, 3, 5, 4]);
        assert_eq!(s.average_tenths(), 42); // 25 / 6 = 4,17
        let errs = Scores::parse(["0", "6", "", "x", "1", "5"]).unwrap_err();
        assert_eq!(
            errs,
            vec![
                FieldError::new("aim", "score-out-of-range"),
                FieldError::new("timeliness", "score-out-of-range"),
                FieldError::new("contribution", "required"),
                FieldError::new("indicator", "score-out-of-range"),
            ]
        );
        assert!(Scores::parse(["1", "1", "1", "1", "1", "1"]).is_ok());
        assert!(Scores::parse([" 5 ", "5", "5", "5", "5", "5"]).is_ok());
    }

    #[test]
    fn average_rounds_to_the_nearest_tenth() {
        // Sums 22 (3,67 → 3,7, rounded up) and 23 (3,83 → 3,8, rounded down).
        assert_eq!(Scores::parse(["4", "4", "4", "4", "3", "3"]).unwrap().average_tenths(), 37);
        assert_eq!(Scores::parse(["4", "4", "4", "4", "4", "3"]).unwrap().average_tenths(), 38);
        assert_eq!(Scores::parse(["1", "1", "1", "1", "1", "1"]).unwrap().average_tenths(), 10);
        assert_eq!(Scores::parse(["5", "5", "5", "5", "5", "5"]).unwrap().average_tenths(), 50);
    }

    #[test]
    fn contradictions_at_their_boundaries() {
        let low = Scores::parse(["2", "2", "3", "3", "2", "3"]).unwrap(); // 15/6 = 2,5
        assert_eq!(low.average_tenths(), 25);
        assert!(!low.contradicts(Recommendation::Continue), "2,5 is not below 2,5");
        let lower = Scores::parse(["2", "2", "3", "2", "2", "3"]).unwrap(); // 14/6 = 2,33
        assert!(lower.contradicts(Recommendation::Expand));
        assert!(!lower.contradicts(Recommendation::Stop));
        let good = Scores::parse(["4", "4", "4", "4", "4", "4"]).unwrap();
        assert!(good.contradicts(Recommendation::Stop));
        let nearly = Scores::parse(["4", "4", "4", "4", "4", "3"]).unwrap(); // 3,83 → 38
        assert!(!nearly.contradicts(Recommendation::Stop));
    }
}

//! Formatting of money, numbers and dates for pages, in Bahasa Indonesia or English.
//!
//! Pure functions: no I/O and no clock. Wording that is a sentence belongs in the translation
//! files; what lives here is the shape of a number or a date, which translation files cannot
//! express.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime, UtcOffset};

/// The language a page is rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Bahasa Indonesia, the default: most users are regional government staff.
    #[default]
    Id,
    En,
}

/// A locale tag that Sinergi has no translation for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown locale {0:?}: expected \"id\" or \"en\"")]
pub struct UnknownLocale(pub String);

impl Locale {
    /// Accepts `id` or `en`, in any case, with or without a region (`id-ID`, `en_US`), because
    /// the tag may come from a cookie, a query string or an `Accept-Language` entry.
    pub fn parse(input: &str) -> Result<Self, UnknownLocale> {
        let tag = input.trim();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("id") {
            Ok(Self::Id)
        } else if primary.eq_ignore_ascii_case("en") {
            Ok(Self::En)
        } else {
            Err(UnknownLocale(tag.to_owned()))
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }

    fn thousands_separator(self) -> char {
        match self {
            Self::Id => '.',
            Self::En => ',',
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Locale {
    type Err = UnknownLocale;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// `Rp 1.500.000`, `-Rp 1.500.000`, `Rp 0`.
///
/// The same in both languages: a rupiah amount keeps the Indonesian dots on an English page too,
/// so that the two versions of a page (and the letters printed from them) show identical amounts.
pub fn format_rupiah(amount: i64) -> String {
    let digits = group_digits(amount.unsigned_abs(), '.');
    if amount < 0 { format!("-Rp {digits}") } else { format!("Rp {digits}") }
}

/// `48.000` in Indonesian, `48,000` in English.
pub fn format_number(n: i64, locale: Locale) -> String {
    let digits = group_digits(n.unsigned_abs(), locale.thousands_separator());
    if n < 0 { format!("-{digits}") } else { digits }
}

/// `17 Desember 2025` / `17 December 2025`.
pub fn format_date(date: Date, locale: Locale) -> String {
    format!("{} {} {}", date.day(), month_name(date.month(), locale), date.year())
}

/// Western Indonesia Time, UTC+7: the zone of Java and Sumatra, where most of Sinergi's users are,
/// and the zone official letters default to.
const WIB: UtcOffset = time::macros::offset!(+7);

/// `17 Desember 2025 16.25 WIB` / `17 December 2025 16:25 WIB`, always shown in WIB so that two
/// users comparing a timestamp see the same text.
pub fn format_datetime(t: OffsetDateTime, locale: Locale) -> String {
    // Moving a value at the very edge of the representable range (year ±9999) to UTC+7 can
    // overflow; rather than panic on such a value we show it in the offset it came with.
    let (local, zone) = match t.checked_to_offset(WIB) {
        Some(wib) => (wib, "WIB".to_owned()),
        None => (t, offset_label(t.offset())),
    };
    let time_sep = match locale {
        Locale::Id => '.',
        Locale::En => ':',
    };
    format!("{} {:02}{time_sep}{:02} {zone}", format_date(local.date(), locale), local.hour(), local.minute(),)
}

fn offset_label(offset: UtcOffset) -> String {
    if offset.is_utc() {
        return "UTC".to_owned();
    }
    let sign = if offset.is_negative() { '-' } else { '+' };
    let (h, m, _) = offset.as_hms();
    format!("UTC{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
}

fn month_name(month: Month, locale: Locale) -> &'static str {
    use Month::*;
    match locale {
        Locale::Id => match month {
            January => "Januari",
            February => "Februari",
            March => "Maret",
            April => "April",
            May => "Mei",
            June => "Juni",
            July => "Juli",
            August => "Agustus",
            September => "September",
            October => "Oktober",
            November => "November",
            December => "Desember",
        },
        Locale::En => match month {
            January => "January",
            February => "February",
            March => "March",
            April => "April",
            May => "May",
            June => "June",
            July => "July",
            August => "August",
            September => "September",
            October => "October",
            November => "November",
            December => "December",
        },
    }
}

/// `1234567` with `.` → `1.234.567`.
fn group_digits(n: u64, separator: char) -> String {
    let plain = n.to_string();
    let mut out = String::with_capacity(plain.len() + plain.len() / 3);
    for (i, digit) in plain.chars().enumerate() {
        // A separator goes before every digit whose distance from the end is a multiple of 3.
        if i > 0 && (plain.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    #[test]
    fn rupiah() {
        assert_eq!(format_rupiah(1_500_000), "Rp 1.500.000");
        assert_eq!(format_rupiah(-1_500_000), "-Rp 1.500.000");
        assert_eq!(format_rupiah(0), "Rp 0");
        assert_eq!(format_rupiah(999), "Rp 999");
        assert_eq!(format_rupiah(1_000), "Rp 1.000");
        assert_eq!(format_rupiah(100_000), "Rp 100.000");
        assert_eq!(format_rupiah(i64::MIN), "-Rp 9.223.372.036.854.775.808");
        assert_eq!(format_rupiah(i64::MAX), "Rp 9.223.372.036.854.775.807");
    }

    #[test]
    fn numbers() {
        assert_eq!(format_number(48_000, Locale::Id), "48.000");
        assert_eq!(format_number(48_000, Locale::En), "48,000");
        assert_eq!(format_number(0, Locale::En), "0");
        assert_eq!(format_number(12, Locale::Id), "12");
        assert_eq!(format_number(-1_234_567, Locale::Id), "-1.234.567");
        assert_eq!(format_number(-1_234_567, Locale::En), "-1,234,567");
    }

    #[test]
    fn dates() {
        assert_eq!(format_date(date!(2025 - 12 - 17), Locale::Id), "17 Desember 2025");
        assert_eq!(format_date(date!(2025 - 12 - 17), Locale::En), "17 December 2025");
        assert_eq!(format_date(date!(2026 - 03 - 01), Locale::Id), "1 Maret 2026");
        assert_eq!(format_date(date!(2026 - 08 - 05), Locale::Id), "5 Agustus 2026");
        assert_eq!(format_date(date!(2026 - 05 - 31), Locale::En), "31 May 2026");
    }

    #[test]
    fn every_indonesian_month() {
        let names: Vec<_> =
            (1..=12u8).map(|m| month_name(Month::try_from(m).expect("1..=12 is a month"), Locale::Id)).collect();
        assert_eq!(
            names.join(" "),
            "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
        );
    }

    #[test]
    fn datetimes_are_shown_in_wib() {
        let t = datetime!(2025-12-17 09:25 UTC);
        assert_eq!(format_datetime(t, Locale::Id), "17 Desember 2025 16.25 WIB");
        assert_eq!(format_datetime(t, Locale::En), "17 December 2025 16:25 WIB");
        // Already in WIB: unchanged.
        let t = datetime!(2025-12-17 16:25 +7);
        assert_eq!(format_datetime(t, Locale::Id), "17 Desember 2025 16.25 WIB");
        // Crossing midnight moves the date; hours and minutes keep two digits.
        let t = datetime!(2025-12-31 18:05 UTC);
        assert_eq!(format_datetime(t, Locale::Id), "1 Januari 2026 01.05 WIB");
        // From WITA (UTC+8), an hour earlier in WIB.
        let t = datetime!(2025-06-01 08:00 +8);
        assert_eq!(format_datetime(t, Locale::En), "1 June 2025 07:00 WIB");
    }

    #[test]
    fn datetime_at_the_edge_of_time_does_not_panic() {
        let t = datetime!(9999-12-31 23:59 UTC);
        assert_eq!(format_datetime(t, Locale::En), "31 December 9999 23:59 UTC");
    }

    #[test]
    fn locales() {
        assert_eq!(Locale::parse("id"), Ok(Locale::Id));
        assert_eq!(Locale::parse(" EN "), Ok(Locale::En));
        assert_eq!(Locale::parse("id-ID"), Ok(Locale::Id));
        assert_eq!(Locale::parse("en_US"), Ok(Locale::En));
        assert_eq!("en".parse::<Locale>(), Ok(Locale::En));
        assert!(Locale::parse("jv").is_err());
        assert!(Locale::parse("").is_err());
        assert!(Locale::parse("indonesia").is_err());
        assert_eq!(Locale::En.as_str(), "en");
        assert_eq!(Locale::Id.to_string(), "id");
        assert_eq!(Locale::default(), Locale::Id);
    }

    proptest! {
        #[test]
        fn rupiah_round_trips(amount in any::<i64>()) {
            let shown = format_rupiah(amount);
            let (sign, rest) = match shown.strip_prefix('-') {
                Some(rest) => ("-", rest),
                None => ("", shown.as_str()),
            };
            let digits = rest.strip_prefix("Rp ").expect("always starts with Rp").replace('.', "");
            prop_assert_eq!(format!("{sign}{digits}").parse::<i64>(), Ok(amount));
        }

        #[test]
        fn rupiah_groups_have_three_digits(amount in any::<i64>()) {
            let shown = format_rupiah(amount);
            let digits = shown.trim_start_matches('-').trim_start_matches("Rp ");
            let groups: Vec<&str> = digits.split('.').collect();
            prop_assert!(!groups[0].is_empty() && groups[0].len() <= 3);
            prop_assert!(groups[1..].iter().all(|g| g.len() == 3));
        }

        #[test]
        fn number_locales_differ_only_in_separator(n in any::<i64>()) {
            prop_assert_eq!(format_number(n, Locale::Id).replace('.', ","), format_number(n, Locale::En));
        }
    }
}

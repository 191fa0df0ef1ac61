//! The identifiers a business and its owner carry: NIK, NIB, NPWP, P-IRT and a phone number.
//!
//! Each is parsed once from what a spreadsheet or a form holds (spaces, dots, dashes and Excel's
//! leading apostrophe are tolerated) and is valid from then on. A NIK never prints itself whole:
//! it has no `Display`, its `Debug` is masked, and the full number is reached only through
//! [`Nik::expose`], whose name makes every use easy to find in review.

use std::fmt;

use crate::RegionCode;
use crate::umkm::Sex;

/// Why an identifier was refused. [`IdError::code`] is the translation key's suffix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("empty")]
    Empty,
    #[error("expected {expected} digits, found {found}")]
    Length { expected: usize, found: usize },
    #[error("contains characters other than digits")]
    NotDigits,
    #[error("written as a number in scientific notation, so digits were lost")]
    Scientific,
    #[error("the first two digits are not a province code")]
    Province,
    #[error("the birth-date digits are not a date")]
    BirthDate,
    #[error("the last four digits cannot be 0000")]
    Serial,
    #[error("not an Indonesian phone number")]
    Phone,
}

impl IdError {
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Empty => "empty",
            IdError::Length { .. } => "length",
            IdError::NotDigits => "not-digits",
            IdError::Scientific => "scientific",
            IdError::Province => "province",
            IdError::BirthDate => "birth-date",
            IdError::Serial => "serial",
            IdError::Phone => "phone",
        }
    }
}

/// The digits of an identifier written with the separators people use, or why there are none.
fn digits_of(input: &str) -> Result<String, IdError> {
    let s = input.trim().trim_start_matches('\'');
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    // 3,60412E+15: Excel turned the number into a float and kept only 6 significant digits.
    if s.contains(['E', 'e']) && s.contains('+') {
        return Err(IdError::Scientific);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '.' | '-' | '/' | '\u{a0}' => {}
            _ => return Err(IdError::NotDigits),
        }
    }
    if out.is_empty() {
        return Err(IdError::Empty);
    }
    Ok(out)
}

fn exact_digits(input: &str, expected: usize) -> Result<String, IdError> {
    let d = digits_of(input)?;
    if d.len() != expected {
        return Err(IdError::Length { expected, found: d.len() });
    }
    Ok(d)
}

/// Nomor Induk Kependudukan: 6 digits of the kecamatan where it was issued, the birth date as
/// DDMMYY (women add 40 to the day), and a 4-digit serial.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nik(String);

impl Nik {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = exact_digits(input, 16)?;
        let n = |range: std::ops::Range<usize>| d[range].parse::<u32>().unwrap_or(0);
        if !(11..=96).contains(&n(0..2)) {
            return Err(IdError::Province);
        }
        let day = n(6..8);
        let day = if day > 40 { day - 40 } else { day };
        if !(1..=31).contains(&day) || !(1..=12).contains(&n(8..10)) {
            return Err(IdError::BirthDate);
        }
        if n(12..16) == 0 {
            return Err(IdError::Serial);
        }
        Ok(Self(d))
    }

    /// The whole number. Call it only where the full NIK is needed (encryption, an audited
    /// reveal, a matching key); everywhere else show [`Nik::masked`].
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `3673••••••••0004`: enough to tell two people apart on a list, not enough to use.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 4, 4)
    }

    pub fn sex(&self) -> Sex {
        if self.0[6..8].parse::<u32>().unwrap_or(0) > 40 { Sex::Female } else { Sex::Male }
    }

    /// The two-digit birth year read against the current year: `85` in 2026 is 1985, `05` is 2005.
    pub fn birth_year(&self, current_year: i32) -> i32 {
        let yy = self.0[10..12].parse::<i32>().unwrap_or(0);
        let century = current_year - current_year.rem_euclid(100);
        if century + yy > current_year { century - 100 + yy } else { century + yy }
    }

    /// The kecamatan that issued the number (its code may have been renumbered since).
    pub fn issuing_kecamatan(&self) -> Option<RegionCode> {
        RegionCode::parse(&format!("{}.{}.{}", &self.0[0..2], &self.0[2..4], &self.0[4..6])).ok()
    }
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({})", self.masked())
    }
}

fn mask_middle(s: &str, head: usize, tail: usize) -> String {
    let n = s.chars().count();
    if n <= head + tail {
        return "•".repeat(n);
    }
    let mut out: String = s.chars().take(head).collect();
    out.extend(std::iter::repeat_n('•', n - head - tail));
    out.extend(s.chars().skip(n - tail));
    out
}

/// Nomor Induk Berusaha: the 13-digit business identity number OSS issues.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nib(String);

impl Nib {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        exact_digits(input, 13).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nib {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// NPWP in the 16-digit form used since 2024. The old 15-digit number (`01.234.567.8-901.000`)
/// becomes 16 digits with a leading 0, as DJP converts it; an individual's NIK serves as NPWP.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Npwp(String);

impl Npwp {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = digits_of(input)?;
        match d.len() {
            16 => Ok(Self(d)),
            15 => Ok(Self(format!("0{d}"))),
            found => Err(IdError::Length { expected: 16, found }),
        }
    }

    pub fn from_nik(nik: &Nik) -> Self {
        Self(nik.0.clone())
    }

    /// A NIK used as NPWP is personal data: show it masked like the NIK it is.
    pub fn masked(&self) -> String {
        mask_middle(&self.0, 4, 4)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

crate::slug_enum! {
    /// The packaging a P-IRT number's first digit names (Peraturan BPOM 22/2018).
    pub enum Packaging: "packaging" {
        Glass = "glass",
        Plastic = "plastic",
        Paper = "paper",
        Can = "can",
        AluminiumFoil = "aluminium-foil",
        Other = "other",
        Composite = "composite",
        Multiple = "multiple",
    }
}

/// A P-IRT number (home-industry food permit), 15 digits: packaging (1), food type (2),
/// province (2) and kab/kota (2) of the issuing Dinas Kesehatan, product serial (4), producer
/// serial (2), and the last two digits of the year the permit ends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PirtNumber(String);

impl PirtNumber {
    /// Reads `P-IRT No. 2063604010213-29`, `PIRT 206360401021329` and the like.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        let upper = s.to_ascii_uppercase();
        // Labels print the prefix; keep only what follows it.
        let rest = ["P-IRT", "PIRT", "NO.", "NO", ":"]
            .iter()
            .fold(upper.as_str(), |acc, p| acc.trim_start().strip_prefix(p).unwrap_or(acc));
        let d = exact_digits(rest, 15)?;
        if !(1..=8).contains(&d[0..1].parse::<u8>().unwrap_or(0)) {
            return Err(IdError::NotDigits);
        }
        if !(11..=96).contains(&d[3..5].parse::<u8>().unwrap_or(0)) {
            return Err(IdError::Province);
        }
        Ok(Self(d))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn packaging(&self) -> Packaging {
        let i = self.0[0..1].parse::<usize>().unwrap_or(6);
        Packaging::ALL.get(i.saturating_sub(1)).copied().unwrap_or(Packaging::Other)
    }

    pub fn food_type(&self) -> &str {
        &self.0[1..3]
    }

    /// The kab/kota whose Dinas Kesehatan issued it, e.g. 36.04.
    pub fn issuer(&self) -> Option<RegionCode> {
        RegionCode::parse(&format!("{}.{}", &self.0[3..5], &self.0[5..7])).ok()
    }

    pub fn province(&self) -> Option<RegionCode> {
        RegionCode::parse(&self.0[3..5]).ok()
    }

    /// The year the permit ends (valid to 31 December of it).
    pub fn expiry_year(&self) -> i32 {
        2000 + self.0[13..15].parse::<i32>().unwrap_or(0)
    }

    /// The printed form, `2063604010213-29`.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..13], &self.0[13..])
    }
}

/// An Indonesian phone number held as its national significant number (`81234567890`), shown
/// as `0812-3456-7890` and sent as `+6281234567890`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

impl Phone {
    /// Any local form: `0812 3456 7890`, `+62 812-3456-7890`, `62812...`, `812...`,
    /// `(0254) 123456`.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim().trim_start_matches('\'');
        if s.is_empty() {
            return Err(IdError::Empty);
        }
        if s.contains(['E', 'e']) && s.contains('+') {
            return Err(IdError::Scientific);
        }
        let mut d = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '0'..='9' => d.push(c),
                ' ' | '.' | '-' | '(' | ')' | '+' | '\u{a0}' => {}
                _ => return Err(IdError::Phone),
            }
        }
        let national = if let Some(rest) = d.strip_prefix("62") {
            rest.trim_start_matches('0')
        } else if let Some(rest) = d.strip_prefix('0') {
            rest
        } else {
            d.as_str()
        };
        // Mobile numbers start with 8 and have 9–12 digits after the 0; landlines start with
        // an area code (2..9) and have 7–11.
        let ok = match national.as_bytes().first() {
            Some(b'8') => (9..=12).contains(&national.len()),
            Some(b'2'..=b'9') => (8..=11).contains(&national.len()),
            _ => false,
        };
        if !ok {
            return Err(IdError::Phone);
        }
        Ok(Self(national.to_owned()))
    }

    /// The first number of a cell that holds several (`0812... / 0813...`).
    pub fn parse_first(input: &str) -> Result<Self, IdError> {
        let first = input.split(['/', ',', ';']).map(str::trim).find(|s| !s.is_empty()).unwrap_or("");
        Self::parse(first)
    }

    pub fn e164(&self) -> String {
        format!("+62{}", self.0)
    }

    /// The national number with its leading 0, digits only: what `wa.me` links and SMS want
    /// after the country code, and what people type.
    pub fn national(&self) -> String {
        format!("0{}", self.0)
    }

    pub fn is_mobile(&self) -> bool {
        self.0.starts_with('8')
    }

    /// `0812-••••-7890`.
    pub fn masked(&self) -> String {
        let n = self.national();
        let head: String = n.chars().take(4).collect();
        let tail: String = n.chars().skip(n.len().saturating_sub(4)).collect();
        format!("{head}-••••-{tail}")
    }
}

impl fmt::Display for Phone {
    /// `0812-3456-7890`: groups of four after the 4-digit prefix, as Indonesians write them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.national();
        let (head, rest) = n.split_at(4.min(n.len()));
        f.write_str(head)?;
        for chunk in rest.as_bytes().chunks(4) {
            write!(f, "-{}", String::from_utf8_lossy(chunk))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nik_parses_and_masks() {
        let nik = Nik::parse("3604 1245 1285 0004").unwrap();
        assert_eq!(nik.masked(), "3604••••••••0004");
        assert_eq!(format!("{nik:?}"), "Nik(3604••••••••0004)");
        assert_eq!(nik.sex(), Sex::Female);
        assert_eq!(nik.birth_year(2026), 1985);
        assert_eq!(nik.issuing_kecamatan().unwrap().as_str(), "36.04.12");
        assert_eq!(Nik::parse("'3604120512050001").unwrap().birth_year(2026), 2005);
    }

    #[test]
    fn nik_refusals_say_why() {
        assert_eq!(Nik::parse(""), Err(IdError::Empty));
        assert_eq!(Nik::parse("360412451285"), Err(IdError::Length { expected: 16, found: 12 }));
        assert_eq!(Nik::parse("3,60412E+15"), Err(IdError::Scientific));
        assert_eq!(Nik::parse("360412451285000x"), Err(IdError::NotDigits));
        assert_eq!(Nik::parse("0104124512850004"), Err(IdError::Province));
        assert_eq!(Nik::parse("3604123513850004"), Err(IdError::BirthDate));
        assert_eq!(Nik::parse("3604124512850000"), Err(IdError::Serial));
    }

    #[test]
    fn npwp_takes_old_and_new_forms() {
        assert_eq!(Npwp::parse("01.234.567.8-901.000").unwrap().expose(), "0012345678901000");
        assert_eq!(Npwp::parse("3604124512850004").unwrap().expose(), "3604124512850004");
        assert!(Npwp::parse("12345").is_err());
    }

    #[test]
    fn pirt_number_is_read_field_by_field() {
        let p = PirtNumber::parse("P-IRT No. 2063604010213-29").unwrap();
        assert_eq!(p.packaging(), Packaging::Plastic);
        assert_eq!(p.food_type(), "06");
        assert_eq!(p.issuer().unwrap().as_str(), "36.04");
        assert_eq!(p.province().unwrap().as_str(), "36");
        assert_eq!(p.expiry_year(), 2029);
        assert_eq!(p.display(), "2063604010213-29");
        assert_eq!(PirtNumber::parse("PIRT 206360401021329").unwrap(), p);
        assert!(PirtNumber::parse("9063604010213-29").is_err());
        assert!(PirtNumber::parse("20636040102132").is_err());
    }

    #[test]
    fn phones_in_every_local_form_meet() {
        let forms = ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "812.3456.7890", "(+62) 0812 3456 7890"];
        for f in forms {
            let p = Phone::parse(f).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert_eq!(p.e164(), "+6281234567890", "{f}");
            assert_eq!(p.to_string(), "0812-3456-7890");
            assert_eq!(p.masked(), "0812-••••-7890");
        }
        assert_eq!(Phone::parse("(0254) 200123").unwrap().national(), "0254200123");
        assert_eq!(Phone::parse_first("0812 1111 2222 / 0813 3333 4444").unwrap().national(), "081211112222");
        assert_eq!(Phone::parse("12345"), Err(IdError::Phone));
        assert_eq!(Phone::parse("0812-abc"), Err(IdError::Phone));
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = Nik::parse(&s);
            let _ = Nib::parse(&s);
            let _ = Npwp::parse(&s);
            let _ = PirtNumber::parse(&s);
            let _ = Phone::parse(&s);
            let _ = Phone::parse_first(&s);
        }

        #[test]
        fn digit_strings_never_panic(s in "[0-9 .+-]{0,24}") {
            let _ = Nik::parse(&s);
            let _ = PirtNumber::parse(&s);
            let _ = Phone::parse(&s);
        }

        #[test]
        fn nik_round_trips(prov in 11u32..=96, rest in 0u32..10_000, day in 1u32..=31, female: bool,
                           month in 1u32..=12, yy in 0u32..100, serial in 1u32..10_000) {
            let day = if female { day + 40 } else { day };
            let s = format!("{prov:02}{rest:04}{day:02}{month:02}{yy:02}{serial:04}");
            let nik = Nik::parse(&s).unwrap();
            prop_assert_eq!(nik.expose(), s.as_str());
            prop_assert_eq!(Nik::parse(nik.expose()).unwrap(), nik.clone());
            prop_assert_eq!(nik.sex() == Sex::Female, female);
        }

        #[test]
        fn nib_round_trips(n in 0u64..10_000_000_000_000) {
            let s = format!("{n:013}");
            let nib = Nib::parse(&s).unwrap();
            prop_assert_eq!(Nib::parse(&nib.to_string()).unwrap(), nib);
        }

        #[test]
        fn npwp_round_trips(n in 0u64..10_000_000_000_000_000) {
            let s = format!("{n:016}");
            let npwp = Npwp::parse(&s).unwrap();
            prop_assert_eq!(Npwp::parse(npwp.expose()).unwrap(), npwp);
        }

        #[test]
        fn pirt_round_trips(pack in 1u8..=8, food in 0u8..100, prov in 11u8..=96, kab in 0u8..100,
                            serial in 0u16..10_000, irtp in 0u8..100, yy in 0u8..100) {
            let s = format!("{pack}{food:02}{prov:02}{kab:02}{serial:04}{irtp:02}{yy:02}");
            let p = PirtNumber::parse(&s).unwrap();
            prop_assert_eq!(PirtNumber::parse(&p.display()).unwrap(), p.clone());
            prop_assert_eq!(p.expiry_year(), 2000 + i32::from(yy));
        }

        #[test]
        fn mobile_phone_round_trips(n in 100_000_000u64..1_000_000_000_000) {
            let s = format!("08{n}");
            if let Ok(p) = Phone::parse(&s) {
                prop_assert_eq!(Phone::parse(&p.to_string()).unwrap(), p.clone());
                prop_assert_eq!(Phone::parse(&p.e164()).unwrap(), p.clone());
                prop_assert_eq!(p.national(), s);
            }
        }
    }
}

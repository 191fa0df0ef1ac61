//! Partners (mitra): the companies, banks, cooperatives and other Pemda a region works with, their
//! registration numbers and contact phones, and the rule that warns before the same counterpart is
//! entered twice.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::auth::FieldError;

/// The digits of `input` once the separators people type are removed, or `None` if anything else is
/// present or there are more than `max_digits` digits (so a pasted paragraph is not copied first).
/// Besides spaces, dots and ASCII dashes we accept the Unicode hyphens and en dash that word
/// processors substitute, because numbers are often pasted from letters and spreadsheets.
fn digits_between_separators(input: &str, max_digits: usize, extra_separators: &[char]) -> Option<String> {
    let mut digits = String::new();
    for c in input.chars() {
        match c {
            '0'..='9' if digits.len() < max_digits => digits.push(c),
            '0'..='9' => return None,
            '.' | '-' | '\u{2010}'..='\u{2013}' => {}
            c if c.is_whitespace() || extra_separators.contains(&c) => {}
            _ => return None,
        }
    }
    Some(digits)
}

/// Nomor Induk Berusaha (OSS): 13 digits. Input may contain spaces, dots or dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nib(String);

impl Nib {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let err = FieldError::new("nib", "invalid-nib");
        let digits = digits_between_separators(input, 13, &[]).ok_or(err.clone())?;
        // All zeros is what people type when the form insists and they have no NIB; accepting it would
        // make every such partner a "duplicate" of every other.
        if digits.len() != 13 || digits.bytes().all(|b| b == b'0') {
            return Err(err);
        }
        Ok(Self(digits))
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

impl TryFrom<String> for Nib {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Nib> for String {
    fn from(value: Nib) -> Self {
        value.0
    }
}

/// NPWP: 15 digits (old format, often written 01.234.567.8-901.000) or 16 digits (new, = NIK-based / 2024 format).
/// Stored as digits only.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Npwp(String);

impl Npwp {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let err = FieldError::new("npwp", "invalid-npwp");
        let digits = digits_between_separators(input, 16, &[]).ok_or(err.clone())?;
        // 00.000.000.0-000.000 is the e-Faktur placeholder for "buyer has no NPWP", not a taxpayer.
        if !(15..=16).contains(&digits.len()) || digits.bytes().all(|b| b == b'0') {
            return Err(err);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 15 digits → "01.234.567.8-901.000"; 16 digits → "0123 4567 8901 2345".
    pub fn formatted(&self) -> String {
        let d = &self.0;
        if d.len() == 15 {
            format!("{}.{}.{}.{}-{}.{}", &d[..2], &d[2..5], &d[5..8], &d[8..9], &d[9..12], &d[12..])
        } else {
            format!("{} {} {} {}", &d[..4], &d[4..8], &d[8..12], &d[12..])
        }
    }

    /// Since 2024 a company's 16-digit NPWP is its 15-digit NPWP with a leading zero, so a partner
    /// entered before and after the switch must compare as the same taxpayer.
    fn taxpayer_key(&self) -> &str {
        match self.0.strip_prefix('0') {
            Some(old) if self.0.len() == 16 => old,
            _ => &self.0,
        }
    }

    /// A 16-digit NPWP that does not start with zero is a person's NIK, which must not reach logs whole.
    fn is_nik(&self) -> bool {
        self.0.len() == 16 && !self.0.starts_with('0')
    }
}

impl Npwp {
    /// For display to people who do not keep the registry: a personal (NIK-based) NPWP shows
    /// only its first and last four digits; a company's is public and shown in full.
    pub fn masked(&self) -> String {
        if self.is_nik() { format!("{}********{}", &self.0[..4], &self.0[12..]) } else { self.formatted() }
    }
}

impl fmt::Debug for Npwp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_nik() {
            write!(f, "Npwp({}********{})", &self.0[..4], &self.0[12..])
        } else {
            write!(f, "Npwp({})", self.0)
        }
    }
}

impl TryFrom<String> for Npwp {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Npwp> for String {
    fn from(value: Npwp) -> Self {
        value.0
    }
}

/// An Indonesian phone number, normalised to E.164 ("+6281234567890"). Accepts "0812-3456-7890",
/// "62812...", "+62 812 ...", and landlines like "(0254) 123456" → "+62254123456". 8 to 13 digits after the
/// country code. Personal data: Debug and Display MASK it ("+62812****7890"); `expose()` returns the full
/// value for the places that must show it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    const COUNTRY_CODE: &str = "+62";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let err = FieldError::new("phone", "invalid-phone");
        let trimmed = input.trim();
        let (international, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        // 2 for the country code, 1 for a trunk zero someone kept after it, 13 for the number.
        let digits = digits_between_separators(rest, 16, &['(', ')']).ok_or(err.clone())?;
        let national = if let Some(after_code) = digits.strip_prefix("62") {
            // "+62 (0)812 ...": the trunk zero is kept by habit; it is never part of the number.
            after_code.strip_prefix('0').unwrap_or(after_code)
        } else if international {
            // Another country's number: Sinergi's partners and contacts are reached in Indonesia.
            return Err(err);
        } else if let Some(after_trunk) = digits.strip_prefix('0') {
            after_trunk
        } else {
            // "812 3456 7890" could be a mobile without its zero or a local landline without its
            // area code; guessing would store a wrong number, so the user is asked to write it whole.
            return Err(err);
        };
        if !(8..=13).contains(&national.len()) || national.starts_with('0') {
            return Err(err);
        }
        Ok(Self(format!("{}{national}", Self::COUNTRY_CODE)))
    }

    /// The whole number, for the pages and exports that are allowed to show it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// "+62812****7890": the country code, the first 3 digits (operator or area code, which say little)
    /// and the last 4. Short numbers show fewer trailing digits, so at least 4 digits always stay hidden
    /// and a masked landline cannot be recovered by trying a hundred numbers.
    pub fn masked(&self) -> String {
        let national = &self.0[Self::COUNTRY_CODE.len()..];
        let len = national.len();
        let shown_tail = len.saturating_sub(3 + 4).min(4);
        let hidden = len - 3 - shown_tail;
        format!("{}{}{}{}", Self::COUNTRY_CODE, &national[..3], "*".repeat(hidden), &national[len - shown_tail..])
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// The database keeps the whole number; masking is for people reading, not for storage.
impl Serialize for Phone {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Words that say what legal form an organisation has, not which organisation it is. "(Persero)" is
/// covered by "persero" once the brackets are gone. "Koperasi" and "Bank" stay: they tell a cooperative
/// or a bank apart from a company of the same name.
const LEGAL_FORMS: [&str; 8] = ["pt", "cv", "tbk", "persero", "perseroda", "ud", "fa", "the"];

/// The name of an organisation reduced for comparison: lower-case ASCII-folded, punctuation removed,
/// legal-form words dropped ("pt", "cv", "tbk", "persero", "perseroda", "ud", "fa", "the"), whitespace
/// collapsed. "PT. Bank Pembangunan Daerah Jawa Barat dan Banten, Tbk" -> "bank pembangunan daerah jawa barat
/// dan banten".
pub fn normalise_org_name(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            // Combining accents (a decomposed "é") and apostrophes belong to the letters around them.
            '\u{0300}'..='\u{036F}' | '\'' | '`' | '\u{2018}' | '\u{2019}' | '\u{02BC}' => {}
            c => match fold_to_ascii(c) {
                Some(ascii) => folded.push_str(ascii),
                None if c.is_alphanumeric() => folded.push(c),
                None => folded.push(' '),
            },
        }
    }
    let words: Vec<&str> = folded.split_whitespace().collect();
    let kept: Vec<&str> = words.iter().copied().filter(|w| !LEGAL_FORMS.contains(w)).collect();
    // A name made only of legal-form words still names something; reducing it to "" would make all
    // such names equal to each other.
    if kept.is_empty() { words.join(" ") } else { kept.join(" ") }
}

/// The ASCII spelling of a lower-case Latin letter with a diacritic. Indonesian names are ASCII, but
/// partners with European names ("Société Générale") are typed with and without accents.
fn fold_to_ascii(c: char) -> Option<&'static str> {
    let ascii = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    };
    Some(ascii)
}

/// Why two partners look like the same counterpart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DuplicateReason {
    SameNib,
    SameNpwp,
    SameRegion,
    SameName,
    SimilarName,
}

impl DuplicateReason {
    /// The stable name of the reason, used as a translation key suffix and in the API.
    pub fn slug(self) -> &'static str {
        match self {
            Self::SameNib => "same-nib",
            Self::SameNpwp => "same-npwp",
            Self::SameRegion => "same-region",
            Self::SameName => "same-name",
            Self::SimilarName => "similar-name",
        }
    }
}

/// What the duplicate check compares.
#[derive(Debug, Clone, Copy)]
pub struct PartnerKey<'a> {
    pub name: &'a str,
    pub nib: Option<&'a Nib>,
    pub npwp: Option<&'a Npwp>,
    /// For partners that are another Pemda.
    pub region_code: Option<&'a str>,
}

/// The first (strongest) reason the candidate looks like the existing partner, or None. Order:
/// SameNib, SameNpwp, SameRegion (both have a region_code and they are equal), SameName (normalised names
/// equal), SimilarName (token-set similarity of normalised names >= 0.8, or one normalised name contains the
/// other as whole words and the shorter has at least 2 words and 8 chars).
pub fn looks_like_duplicate(candidate: &PartnerKey<'_>, existing: &PartnerKey<'_>) -> Option<DuplicateReason> {
    if let (Some(a), Some(b)) = (candidate.nib, existing.nib)
        && a == b
    {
        return Some(DuplicateReason::SameNib);
    }
    if let (Some(a), Some(b)) = (candidate.npwp, existing.npwp)
        && a.taxpayer_key() == b.taxpayer_key()
    {
        return Some(DuplicateReason::SameNpwp);
    }
    if let (Some(a), Some(b)) = (region_of(candidate), region_of(existing))
        && a == b
    {
        return Some(DuplicateReason::SameRegion);
    }
    let (a, b) = (normalise_org_name(candidate.name), normalise_org_name(existing.name));
    if a.is_empty() || b.is_empty() {
        return None;
    }
    if a == b {
        return Some(DuplicateReason::SameName);
    }
    similar_names(&a, &b).then_some(DuplicateReason::SimilarName)
}

/// A blank region code is "not a Pemda", not a region every blank partner shares.
fn region_of<'a>(key: &PartnerKey<'a>) -> Option<&'a str> {
    key.region_code.map(str::trim).filter(|code| !code.is_empty())
}

/// Both arguments are non-empty normalised names (words separated by single spaces).
fn similar_names(a: &str, b: &str) -> bool {
    let words_a: BTreeSet<&str> = a.split(' ').collect();
    let words_b: BTreeSet<&str> = b.split(' ').collect();
    let shared = words_a.intersection(&words_b).count();
    let all = words_a.union(&words_b).count();
    // Jaccard similarity >= 0.8, in integers so the threshold is exact.
    if 5 * shared >= 4 * all {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // A one-word or very short name ("bank", "bpr") is contained in too many others to mean anything.
    // Matching whole words keeps "bank indonesia" from matching inside "bank indonesiana".
    short.split(' ').count() >= 2 && short.chars().count() >= 8 && format!(" {long} ").contains(&format!(" {short} "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    fn from_serde<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, DeError> {
        let de: StrDeserializer<'de, DeError> = text.into_deserializer();
        T::deserialize(de)
    }

    #[test]
    fn nib() {
        let nib = Nib::parse(" 9120 1234.5678-9 ").unwrap();
        assert_eq!(nib.as_str(), "9120123456789");
        assert_eq!(nib.to_string(), "9120123456789");
        assert_eq!(Nib::parse("9120123456789").unwrap(), nib);
        for bad in ["", "   ", "912012345678", "91201234567890", "912012345678a", "NIB9120123456789", "0000000000000"] {
            assert_eq!(Nib::parse(bad).unwrap_err(), FieldError::new("nib", "invalid-nib"), "{bad:?}");
        }
        // Arabic-Indic or full-width digits are not what OSS issues.
        assert!(Nib::parse("９１２０１２３４５６７８９").is_err());
    }

    #[test]
    fn registration_numbers_deserialize_by_parsing() {
        assert_eq!(from_serde::<Nib>("9120-1234-56789").unwrap().as_str(), "9120123456789");
        assert!(from_serde::<Nib>("123").is_err());
        assert_eq!(from_serde::<Npwp>("01.234.567.8-901.000").unwrap().as_str(), "012345678901000");
        assert!(from_serde::<Npwp>("123").is_err());
        assert_eq!(String::from(Nib::parse("9120123456789").unwrap()), "9120123456789");
        assert_eq!(String::from(Npwp::parse("01.234.567.8-901.000").unwrap()), "012345678901000");
    }

    #[test]
    fn npwp() {
        let old = Npwp::parse("01.234.567.8-901.000").unwrap();
        assert_eq!(old.as_str(), "012345678901000");
        assert_eq!(old.formatted(), "01.234.567.8-901.000");
        let new = Npwp::parse("0123 4567 8901 2345").unwrap();
        assert_eq!(new.as_str(), "0123456789012345");
        assert_eq!(new.formatted(), "0123 4567 8901 2345");
        assert_eq!(Npwp::parse(&new.formatted()).unwrap(), new);
        assert_eq!(Npwp::parse(&old.formatted()).unwrap(), old);
        for bad in ["", "01.234.567.8-901.00", "01234567890123456", "01.234.567.8-901.00O", "00.000.000.0-000.000"] {
            assert_eq!(Npwp::parse(bad).unwrap_err(), FieldError::new("npwp", "invalid-npwp"), "{bad:?}");
        }
    }

    #[test]
    fn nik_based_npwp_is_masked_in_debug() {
        let person = Npwp::parse("3604012345678901").unwrap();
        assert_eq!(format!("{person:?}"), "Npwp(3604********8901)");
        assert_eq!(person.formatted(), "3604 0123 4567 8901");
        let company = Npwp::parse("01.234.567.8-901.000").unwrap();
        assert_eq!(format!("{company:?}"), "Npwp(012345678901000)");
    }

    #[test]
    fn phone_normalisation() {
        let cases = [
            ("0812-3456-7890", "+6281234567890"),
            ("081234567890", "+6281234567890"),
            ("6281234567890", "+6281234567890"),
            ("+62 812 3456 7890", "+6281234567890"),
            ("+62 (0)812-3456-7890", "+6281234567890"),
            ("(0254) 123456", "+62254123456"),
            ("+62 254 123456", "+62254123456"),
            ("021.555.1234", "+62215551234"),
            (" 0812 1234 567 ", "+628121234567"),
        ];
        for (input, e164) in cases {
            assert_eq!(Phone::parse(input).map(|p| p.expose().to_owned()), Ok(e164.to_owned()), "{input:?}");
        }
    }

    #[test]
    fn phone_refusals() {
        let bad = [
            "",
            "0812345",         // 7 digits after the trunk zero
            "081234567890123", // 13 after the trunk zero is fine, 14 is not
            "+62 812 3456 7890 123",
            "0812-3456-789O", // letter O
            "0812 3456 7890 ext 2",
            "812 3456 7890",      // no trunk zero, no country code
            "+65 6123 4567",      // Singapore
            "0062 812 3456 7890", // international prefix, not handled
            "08+12345678",
            "0812/3456/7890",
        ];
        for input in bad {
            assert_eq!(Phone::parse(input), Err(FieldError::new("phone", "invalid-phone")), "{input:?}");
        }
        assert!(Phone::parse("08123456789012").is_ok(), "13 digits after the trunk zero");
        assert!(Phone::parse("081234567").is_ok(), "8 digits after the trunk zero");
    }

    #[test]
    fn phone_is_masked() {
        let phone = Phone::parse("0812-3456-7890").unwrap();
        assert_eq!(phone.masked(), "+62812****7890");
        assert_eq!(phone.to_string(), "+62812****7890");
        assert_eq!(format!("{phone:?}"), "Phone(+62812****7890)");
        for input in ["081234567", "(0254) 123456", "0812 3456 789", "0812-3456-7890", "0812345678901"] {
            let phone = Phone::parse(input).unwrap();
            let full = phone.expose();
            let (debug, display) = (format!("{phone:?}"), format!("{phone}"));
            assert!(!debug.contains(full) && !display.contains(full), "{input:?}: {debug} / {display}");
            assert!(!debug.contains(&full[1..]) && !display.contains(&full[1..]), "{input:?}");
            assert!(phone.masked().matches('*').count() >= 4, "{input:?}: at least 4 digits hidden");
            assert_eq!(phone.masked().len(), full.len(), "{input:?}");
        }
        assert_eq!(Phone::parse("(0254) 123456").unwrap().masked(), "+62254****56");
    }

    #[test]
    fn phone_deserializes_by_parsing() {
        let phone = Phone::parse("0812-3456-7890").unwrap();
        assert_eq!(from_serde::<Phone>("+6281234567890").unwrap(), phone);
        assert_eq!(from_serde::<Phone>("0812 3456 7890").unwrap(), phone);
        assert!(from_serde::<Phone>("12").is_err());
    }

    #[test]
    fn org_names() {
        let cases = [
            ("PT. Bank Pembangunan Daerah Jawa Barat dan Banten, Tbk", "bank pembangunan daerah jawa barat dan banten"),
            ("PT Serang Sosor", "serang sosor"),
            ("Bank Indonesia Provinsi Banten", "bank indonesia provinsi banten"),
            ("PT Agung Sedayu Group Tbk", "agung sedayu group"),
            ("CV. Keripik Emping Tanara", "keripik emping tanara"),
            ("PT Krakatau Steel (Persero) Tbk.", "krakatau steel"),
            ("PT.KRAKATAU STEEL", "krakatau steel"),
            ("Perumda Air Minum Tirta Al-Bantani", "perumda air minum tirta al bantani"),
            ("Koperasi Produsen Emping Melinjo", "koperasi produsen emping melinjo"),
            ("UD Sumber Rejeki", "sumber rejeki"),
            ("The Body Shop", "body shop"),
            ("Société Générale", "societe generale"),
            ("Socie\u{301}te\u{301} Ge\u{301}ne\u{301}rale", "societe generale"),
            ("Toko Pak Haji's", "toko pak hajis"),
            ("PT", "pt"),
            ("  ", ""),
        ];
        for (name, normalised) in cases {
            assert_eq!(normalise_org_name(name), normalised, "{name:?}");
        }
    }

    fn key(name: &str) -> PartnerKey<'_> {
        PartnerKey { name, nib: None, npwp: None, region_code: None }
    }

    #[test]
    fn duplicates_by_registration() {
        let nib = Nib::parse("9120123456789").unwrap();
        let npwp = Npwp::parse("01.234.567.8-901.000").unwrap();
        let npwp_2024 = Npwp::parse("0012 3456 7890 1000").unwrap();
        let other_npwp = Npwp::parse("02.345.678.9-012.000").unwrap();

        let a = PartnerKey { nib: Some(&nib), npwp: Some(&npwp), ..key("PT Serang Sosor") };
        let b = PartnerKey { nib: Some(&nib), npwp: Some(&other_npwp), ..key("CV Maju Jaya") };
        assert_eq!(looks_like_duplicate(&a, &b), Some(DuplicateReason::SameNib));

        let b = PartnerKey { npwp: Some(&npwp), ..key("CV Maju Jaya") };
        assert_eq!(looks_like_duplicate(&a, &b), Some(DuplicateReason::SameNpwp));
        let b = PartnerKey { npwp: Some(&npwp_2024), ..key("CV Maju Jaya") };
        assert_eq!(looks_like_duplicate(&a, &b), Some(DuplicateReason::SameNpwp), "same taxpayer, 2024 format");
        let b = PartnerKey { npwp: Some(&other_npwp), ..key("CV Maju Jaya") };
        assert_eq!(looks_like_duplicate(&a, &b), None);

        let a = PartnerKey { region_code: Some("36.73"), ..key("Pemerintah Kota Serang") };
        let b = PartnerKey { region_code: Some("36.73"), ..key("Pemkot Serang") };
        assert_eq!(looks_like_duplicate(&a, &b), Some(DuplicateReason::SameRegion));
        let b = PartnerKey { region_code: Some("36.04"), ..key("Pemkab Serang") };
        assert_eq!(looks_like_duplicate(&a, &b), None);
        let b = PartnerKey { region_code: Some(" "), ..key("Pemkab Serang") };
        assert_eq!(looks_like_duplicate(&PartnerKey { region_code: Some(" "), ..a }, &b), None);
    }

    #[test]
    fn duplicates_by_name() {
        let check = |a: &str, b: &str| looks_like_duplicate(&key(a), &key(b));
        assert_eq!(check("PT Serang Sosor", "serang sosor"), Some(DuplicateReason::SameName));
        assert_eq!(check("PT Krakatau Steel (Persero) Tbk", "Krakatau Steel"), Some(DuplicateReason::SameName));
        assert_eq!(check("Serang Sosor", "PT Serang Sosor Indonesia"), Some(DuplicateReason::SimilarName));
        assert_eq!(check("Keripik Emping Tanara", "Tanara Keripik Emping"), Some(DuplicateReason::SimilarName));
        assert_eq!(
            check("Bank Pembangunan Daerah Jawa Barat Banten", "Bank Pembangunan Daerah Jawa Barat dan Banten"),
            Some(DuplicateReason::SimilarName)
        );
        assert_eq!(check("Bank BJB", "Bank Indonesia Banten"), None);
        assert_eq!(check("Bank BJB", "PT Bank Pembangunan Daerah Jawa Barat dan Banten Tbk"), None);
        assert_eq!(check("Bank", "Bank Indonesia Banten"), None, "one word is too little");
        assert_eq!(check("Bank Indonesia", "Bank Indonesiana Raya"), None, "whole words only");
        assert_eq!(check("", ""), None, "empty names say nothing");
        assert_eq!(check("PT Agung Sedayu Group Tbk", "CV Keripik Emping Tanara"), None);
    }

    #[test]
    fn reason_slugs() {
        let slugs = [
            DuplicateReason::SameNib,
            DuplicateReason::SameNpwp,
            DuplicateReason::SameRegion,
            DuplicateReason::SameName,
            DuplicateReason::SimilarName,
        ]
        .map(DuplicateReason::slug);
        assert_eq!(slugs, ["same-nib", "same-npwp", "same-region", "same-name", "similar-name"]);
    }

    proptest! {
        #[test]
        fn phone_round_trips(
            prefix in prop::sample::select(vec!["0", "62", "+62", "+62 (0)"]),
            first in 2u8..=9,
            rest in "[0-9]{7,12}",
            separator in prop::sample::select(vec!["", " ", "-", "."]),
        ) {
            let input = format!("{prefix}{first}{separator}{rest}");
            let phone = Phone::parse(&input).unwrap();
            prop_assert_eq!(Phone::parse(phone.expose()).unwrap(), phone.clone());
            prop_assert!(!phone.to_string().contains(phone.expose()));
        }

        #[test]
        fn phone_parse_never_panics(input in "[+0-9 ().-]{0,20}|\\PC{0,24}") {
            if let Ok(phone) = Phone::parse(&input) {
                prop_assert_eq!(Phone::parse(phone.expose()).unwrap(), phone);
            }
        }

        #[test]
        fn org_name_normalisation_is_idempotent(name in any::<String>()) {
            let once = normalise_org_name(&name);
            prop_assert_eq!(normalise_org_name(&once), once.clone());
        }

        #[test]
        fn org_name_normalisation_is_idempotent_on_names(
            name in "(PT\\.? |CV\\. |UD )?[A-Za-zÀ-ž'&,.() -]{0,40}( Tbk\\.?| \\(Persero\\))?"
        ) {
            let once = normalise_org_name(&name);
            prop_assert_eq!(normalise_org_name(&once), once.clone());
        }
    }
}

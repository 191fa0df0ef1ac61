//! Raw spreadsheet strings reduced to the forms the comparisons use.
//!
//! Business names: lower-case ASCII words, legal forms, business-type words and honorifics
//! dropped ("CV", "UD", "Toko", "Warung Makan", "Bu", "H."), old and regional spellings folded
//! ("Djaja" → "jaya", "Tahoe" → "tahu", "Rezeki" → "rejeki", "Konfeksi" → "konveksi") and known
//! variants mapped to one word ("kripik" → "keripik", "sambel" → "sambal", "baso" → "bakso").
//! Word order is handled by the comparisons, which look at the words sorted.
//!
//! Phones: the national number without the trunk "0" or the country code "62", whatever the
//! separators, keeping its last ten digits. NIK and NIB: digits only, and only at their lengths.

use std::num::NonZeroU64;

use unicode_normalization::UnicodeNormalization;

/// Legal forms, kinds of shop and honorifics: they say what a business is, not which one.
/// Single letters ("H.", "M.") are dropped as well.
const NAME_DROP: &[&str] = &[
    // legal forms
    "cv", "ud", "pt", "pd", "fa", "firma", "koperasi", "kop", "tbk", "persero", "usaha", "industri", "home", "rumahan",
    "produksi", // kinds of shop
    "toko", "tk", "warung", "warteg", "war", "rm", "kedai", "depot", "makan", "nasi", // honorifics
    "ibu", "bu", "bpk", "bapak", "pak", "bp", "hj", "haji", "hajah", "hajjah", "mak", "ceu", "teh", "kang", "mang",
    "mas", "mbak", "mba", "bang", "ny", "nyonya", "tn", "sdr", "sdri", "abah", "umi", "emak", "bunda",
];

/// Honorifics and academic titles in owner names.
const OWNER_DROP: &[&str] = &[
    "ibu", "bu", "bpk", "bapak", "pak", "bp", "hj", "haji", "hajah", "hajjah", "mak", "ceu", "teh", "kang", "mang",
    "mas", "mbak", "mba", "bang", "ny", "nyonya", "tn", "sdr", "sdri", "abah", "umi", "emak", "spd", "se", "st", "sh",
    "mm", "amd", "skom", "ssos", "spdi", "sag", "dra", "drs", "ir", "dr", "ust", "ustad", "ustadz", "kh",
    // academic titles written with dots ("S.Pd", "A.Md", "S.Kom") fall apart into these
    "pd", "pdi", "md", "kom", "sos", "ag", "kes", "ked", "ak", "si", "ip", "hum", "ei", "th",
];

/// Words for the kind of region in front of its name.
const REGION_DROP: &[&str] =
    &["desa", "ds", "kelurahan", "kel", "kecamatan", "kec", "kabupaten", "kab", "kota", "kp", "kampung"];

/// Spelling variants and abbreviations, after [`fold_spelling`] (so "djahe" has become "jahe",
/// "kueh" "kue" and "rezeki" "rejeki" before this table is read).
const VARIANTS: &[(&str, &str)] = &[
    ("kripik", "keripik"),
    ("kripick", "keripik"),
    ("keripick", "keripik"),
    ("krpk", "keripik"),
    ("kerpik", "keripik"),
    ("sambel", "sambal"),
    ("baso", "bakso"),
    ("baksoo", "bakso"),
    ("rempeyek", "peyek"),
    ("rempeiek", "peyek"),
    ("peiek", "peyek"),
    ("dodoll", "dodol"),
    ("mlinjo", "melinjo"),
    ("belinjo", "melinjo"),
    ("satai", "sate"),
    ("satay", "sate"),
    ("kerupuk", "krupuk"),
    ("kue", "kue"),
    ("kwe", "kue"),
    ("rejki", "rejeki"),
    ("risky", "rejeki"),
    ("sbr", "sumber"),
    ("smbr", "sumber"),
    ("jy", "jaya"),
    ("jaja", "jaya"),
    ("sejahtra", "sejahtera"),
    ("sentausa", "sentosa"),
    ("putera", "putra"),
    ("puteri", "putri"),
    ("barakah", "barokah"),
    ("baroka", "barokah"),
    ("klontong", "kelontong"),
    ("kel", "kelontong"),
    ("kelontongan", "kelontong"),
    ("bengkl", "bengkel"),
    ("jait", "jahit"),
    ("penjait", "penjahit"),
    ("laundri", "laundry"),
    ("londri", "laundry"),
];

/// Lower-case ASCII words of `text`, accents folded, everything else a separator.
fn ascii_words(text: &str) -> impl Iterator<Item = String> {
    let folded: String = text.nfkd().filter(char::is_ascii).collect::<String>().to_ascii_lowercase();
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

/// Old (van Ophuijsen / Soewandi) and regional spellings folded to one form, doubled letters
/// collapsed and a final "h" after a vowel dropped, so "Djaja", "Tjahaja", "Soekarno",
/// "Mannis", "Kueh" and "Rezeki" meet "jaya", "cahaya", "sukarno", "manis", "kue", "rejeki".
/// Applied to both sides of every comparison, so over-folding ("allah" → "ala") costs nothing.
pub fn fold_spelling(word: &str) -> String {
    let b = word.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let (push, step): (&str, usize) = match (c, next) {
            (b'd', Some(b'j')) => ("j", 2),
            (b't', Some(b'j')) => ("c", 2),
            (b's', Some(b'j')) => ("sy", 2),
            (b'o', Some(b'e')) => ("u", 2),
            (b'z', _) => ("j", 1),
            (b'q', _) => ("k", 1),
            (b'v', _) => ("f", 1),
            (b'x', _) => ("ks", 1),
            _ => ("", 1),
        };
        if push.is_empty() {
            out.push(c as char);
        } else {
            out.push_str(push);
        }
        i += step;
    }
    // Doubled letters: "mannis", "allah"; digits keep their repeats ("99").
    let mut collapsed = String::with_capacity(out.len());
    let mut last = '\0';
    for ch in out.chars() {
        if ch == last && ch.is_ascii_alphabetic() {
            continue;
        }
        collapsed.push(ch);
        last = ch;
    }
    let bytes = collapsed.as_bytes();
    if bytes.len() >= 4 && bytes.ends_with(b"h") && matches!(bytes[bytes.len() - 2], b'a' | b'i' | b'u' | b'e' | b'o') {
        collapsed.pop();
    }
    collapsed
}

fn canonical_word(word: &str) -> String {
    let folded = fold_spelling(word);
    match VARIANTS.iter().find(|(from, _)| *from == folded) {
        Some((_, to)) => fold_spelling(to),
        None => folded,
    }
}

/// A business name's comparable words, in their original order, without repeats.
pub fn name_tokens(name: &str) -> Vec<String> {
    let words: Vec<String> = ascii_words(name).collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        if w.len() < 2 || NAME_DROP.contains(&w.as_str()) {
            continue;
        }
        // "Rumah Makan": a kind of business; "Rumah Batik Sari" keeps its "rumah".
        if w == "rumah" && words.get(i + 1).is_some_and(|n| n == "makan") {
            continue;
        }
        let c = canonical_word(w);
        if !c.is_empty() && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// A business name as the engine compares it: its words sorted and joined ("Keripik Pisang
/// Bu Sari" and "Sari Kripik Pisang" both give "keripik pisang sari").
pub fn name_key(name: &str) -> Option<String> {
    let mut words = name_tokens(name);
    words.sort_unstable();
    if words.is_empty() { None } else { Some(words.join(" ")) }
}

/// An owner's name as the engine compares it: its words in order.
pub fn owner_key(name: &str) -> Option<String> {
    let words = owner_tokens(name);
    if words.is_empty() { None } else { Some(words.join(" ")) }
}

/// A person's comparable name words, in order: honorifics, titles and initials dropped.
pub fn owner_tokens(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in ascii_words(name) {
        if w.len() < 2 || OWNER_DROP.contains(&w.as_str()) || w.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let c = fold_spelling(&w);
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// A desa or kecamatan name (or code) as one comparable string; `None` when nothing is left.
pub fn region_key(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.' || c.is_whitespace()) {
        return Some(digits);
    }
    let words: Vec<String> =
        ascii_words(text).filter(|w| !REGION_DROP.contains(&w.as_str())).map(|w| fold_spelling(&w)).collect();
    if words.is_empty() { None } else { Some(words.join(" ")) }
}

fn digits_only(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// A phone number in any written form ("0812-3456-7890", "+62 812 3456 7890", "62812…",
/// "812…", "(0254) 123456") as the last ten digits of its national number.
pub fn phone(text: &str) -> Option<NonZeroU64> {
    let d = digits_only(text);
    let national = if let Some(rest) = d.strip_prefix("62") {
        rest
    } else if let Some(rest) = d.strip_prefix('0') {
        rest
    } else {
        &d
    };
    let national = national.trim_start_matches('0');
    if !(7..=13).contains(&national.len()) {
        return None;
    }
    let tail = &national[national.len().saturating_sub(10)..];
    tail.parse::<u64>().ok().and_then(NonZeroU64::new)
}

fn fixed_digits(text: &str, len: usize) -> Option<NonZeroU64> {
    let d = digits_only(text);
    if d.len() != len {
        return None;
    }
    d.parse::<u64>().ok().and_then(NonZeroU64::new)
}

/// A NIK: exactly 16 digits once separators are removed.
pub fn nik(text: &str) -> Option<NonZeroU64> {
    fixed_digits(text, 16)
}

/// A NIB: exactly 13 digits once separators are removed.
pub fn nib(text: &str) -> Option<NonZeroU64> {
    fixed_digits(text, 13)
}

/// A five-digit KBLI 2020 code.
pub fn kbli(text: &str) -> Option<u32> {
    let d = digits_only(text);
    if d.len() != 5 {
        return None;
    }
    d.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(name: &str) -> String {
        let mut t = name_tokens(name);
        t.sort();
        t.join(" ")
    }

    #[test]
    fn legal_forms_and_honorifics_are_dropped() {
        assert_eq!(name_tokens("CV. Keripik Pisang Bu Sari"), vec!["keripik", "pisang", "sari"]);
        assert_eq!(name_tokens("UD Sumber Rejeki"), vec!["sumber", "rejeki"]);
        assert_eq!(name_tokens("Toko Kelontong H. Jaenal"), vec!["kelontong", "jaenal"]);
        // A final "h" after a vowel is folded away on both sides: "barokah" compares as "baroka".
        assert_eq!(name_tokens("Warung Makan Barokah"), vec!["baroka"]);
        assert_eq!(name_tokens("RM Barokah"), vec!["baroka"]);
        assert_eq!(name_tokens("Rumah Makan Barokah"), vec!["baroka"]);
        assert_eq!(name_tokens("Rumah Batik Sari"), vec!["ruma", "batik", "sari"]);
        assert_eq!(name_tokens("PT. Hj. Ratna"), vec!["ratna"]);
        assert_eq!(name_tokens("Bpk Udin / Pak Udin"), vec!["udin"]);
    }

    #[test]
    fn spelling_variants_meet() {
        assert_eq!(sorted("Kripik Pisang"), sorted("Keripik Pisang"));
        assert_eq!(sorted("Kueh Cucur"), sorted("Kue Cucur"));
        assert_eq!(sorted("Sambel Bu Ijah"), sorted("Sambal Ijah"));
        assert_eq!(sorted("Baso Mang Ujang"), sorted("Bakso Ujang"));
        assert_eq!(sorted("Rempeyek Kacang"), sorted("Peyek Kacang"));
        assert_eq!(sorted("Tahoe Sumedang"), sorted("Tahu Sumedang"));
        assert_eq!(sorted("Djahe Merah"), sorted("Jahe Merah"));
        assert_eq!(sorted("Dodol Betawi"), sorted("DODOL  betawi"));
        assert_eq!(sorted("Sumber Rezeki"), sorted("Sbr Rejeki"));
        assert_eq!(sorted("Toko Djaja Makmoer"), sorted("Jaya Makmur"));
        assert_eq!(sorted("Konfeksi Putera"), sorted("Konveksi Putra"));
        assert_eq!(sorted("Emping Mlinjo"), sorted("Emping Melinjo"));
    }

    #[test]
    fn word_order_does_not_matter_once_sorted() {
        assert_eq!(sorted("Sari Keripik Pisang"), sorted("Keripik Pisang Bu Sari"));
        assert_ne!(sorted("Berkah"), sorted("Barokah"), "different names stay different");
    }

    #[test]
    fn owner_names_lose_titles() {
        assert_eq!(owner_tokens("Hj. Siti Aminah, S.Pd"), vec!["siti", "amina"]);
        assert_eq!(owner_tokens("Drs. H. Jaenal Abidin, M.M."), vec!["jaenal", "abidin"]);
        assert_eq!(owner_tokens("Bpk. Soekarno"), vec!["sukarno"]);
        assert_eq!(owner_tokens("IBU ENTIN"), vec!["entin"]);
        assert_eq!(owner_tokens("Aminah"), owner_tokens("Amina"));
    }

    #[test]
    fn phones_in_any_form() {
        let want = phone("081234567890");
        assert!(want.is_some());
        for form in ["+62 812 3456 7890", "62812-3456-7890", "812.3456.7890", "0812 3456 7890", "(+62) 81234567890"] {
            assert_eq!(phone(form), want, "{form}");
        }
        assert_eq!(phone("0254-123456"), phone("254 123 456"));
        assert_eq!(phone("12"), None);
        assert_eq!(phone(""), None);
        assert_ne!(phone("081234567890"), phone("081234567891"));
    }

    #[test]
    fn ids_by_length() {
        assert!(nik("3604 1205 8900 0123").is_some());
        assert_eq!(nik("360412058900012"), None);
        assert!(nib("9120001234567").is_some());
        assert_eq!(nib("91200012345"), None);
        assert_eq!(kbli("10794"), Some(10794));
        assert_eq!(kbli("107"), None);
    }

    #[test]
    fn regions() {
        assert_eq!(region_key("Kec. Cikande"), Some("cikande".into()));
        assert_eq!(region_key("DESA  Cikande Permai"), Some("cikande permai".into()));
        assert_eq!(region_key("36.04.01"), Some("360401".into()));
        assert_eq!(region_key("desa"), None);
    }

    proptest::proptest! {
        #[test]
        fn normalisers_never_panic(s in ".*") {
            let _ = name_tokens(&s);
            let _ = owner_tokens(&s);
            let _ = region_key(&s);
            let _ = phone(&s);
            let _ = nik(&s);
            let _ = nib(&s);
            let _ = kbli(&s);
            let _ = fold_spelling(&s);
        }
    }
}

//! Indonesian text reduced to comparable words: lower case, no accents or punctuation, no
//! function words, and a light stemmer so that "penataan", "ditata" and "menata" meet at "tata".
//!
//! The stemmer is deliberately light (one prefix and one suffix, never leaving fewer than
//! four letters): a full Nazief–Adriani stemmer needs a root-word dictionary we do not ship,
//! and for matching short need and offer texts over-stemming costs more than it gains.

use unicode_normalization::UnicodeNormalization;

const STOPWORDS: &[&str] = &[
    "dan", "di", "ke", "dari", "yang", "untuk", "dengan", "bagi", "atau", "pada", "dalam", "oleh", "ini", "itu",
    "para", "serta", "agar", "akan", "sebagai", "secara", "juga", "tidak", "belum", "sudah", "ada", "kami", "kita",
    "the", "of", "and", "for", "to", "in", "a", "an",
];

const PREFIXES: &[&str] = &[
    "memper", "mempe", "meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "pe", "ber", "be", "ter",
    "di", "ke", "se",
];
const SUFFIXES: &[&str] = &["kan", "an", "i"];
const PARTICLES: &[&str] = &["lah", "kah", "pun", "nya"];

/// The minimum length a stem keeps; shorter results are not stripped.
const MIN_STEM: usize = 4;

fn strip_suffix<'a>(word: &'a str, list: &[&str]) -> &'a str {
    for s in list {
        if let Some(rest) = word.strip_suffix(s)
            && rest.chars().count() >= MIN_STEM
        {
            return rest;
        }
    }
    word
}

/// One word's stem.
pub fn stem(word: &str) -> String {
    let w = strip_suffix(word, PARTICLES);
    let w = strip_suffix(w, SUFFIXES);
    for p in PREFIXES {
        let Some(rest) = w.strip_prefix(p) else { continue };
        // A nasal prefix before a vowel replaced the root's first consonant: menyusun ← susun,
        // penataan ← tata, pemasaran ← pasar, pengiriman ← kirim.
        let vowel = rest.starts_with(|c: char| "aiueo".contains(c));
        let candidate = match (*p, vowel) {
            ("meny" | "peny", true) => format!("s{rest}"),
            ("men" | "pen", true) => format!("t{rest}"),
            ("mem" | "pem", true) => format!("p{rest}"),
            ("meng" | "peng", true) => format!("k{rest}"),
            _ => rest.to_owned(),
        };
        if candidate.chars().count() >= MIN_STEM {
            return candidate;
        }
    }
    w.to_owned()
}

/// The comparable words of a text, in order, without repeats.
pub fn words(text: &str) -> Vec<String> {
    words_with_originals(text).into_iter().map(|(stem, _)| stem).collect()
}

/// Each stem with the first word of the text it came from, so that people are shown
/// "lingkungan", not the stem "lingkung".
pub fn words_with_originals(text: &str) -> Vec<(String, String)> {
    let folded: String = text.nfkd().filter(|c| c.is_ascii()).collect::<String>().to_lowercase();
    let mut out: Vec<(String, String)> = Vec::new();
    for raw in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if raw.chars().count() < 3 || STOPWORDS.contains(&raw) || raw.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let s = stem(raw);
        if !out.iter().any(|(st, _)| *st == s) {
            out.push((s, raw.to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_meet() {
        assert_eq!(stem("penataan"), "tata");
        assert_eq!(stem("menata"), "tata");
        assert_eq!(stem("ditata"), "tata");
        assert_eq!(stem("pemasaran"), "pasar");
        assert_eq!(stem("menyusun"), "susun");
        assert_eq!(stem("pengiriman"), "kirim");
        assert_eq!(stem("pembangunan"), "bangun");
        assert_eq!(stem("kabel"), "kabel", "short words are left alone");
    }

    #[test]
    fn words_drop_function_words_and_repeats() {
        assert_eq!(words("Penataan kabel dan penataan jaringan di kota"), vec!["tata", "kabel", "jaring", "kota"]);
        assert!(words("dan di ke 2026").is_empty());
    }
}

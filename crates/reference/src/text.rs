//! Folding names and queries for type-ahead search, and a substring index over many names.

use memchr::memmem;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Queries longer than this many words are cut: each word is one bit of a `u16` mask, and nobody
/// types sixteen words into a region picker.
pub(crate) const MAX_WORDS: usize = 16;

/// Folds text for matching: lowercase, accents removed, apostrophes dropped (so "Regapu’u" is
/// found by "regapuu"), and every other run of non-alphanumeric characters turned into one space
/// (so "Kacang-kacangan" is found by "kacangan"). The result has no leading or trailing space.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.nfd() {
        if is_combining_mark(c) || is_apostrophe(c) {
            continue;
        }
        if !c.is_alphanumeric() {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        // Lowercasing can itself produce a combining mark ('İ' becomes "i\u{307}").
        out.extend(c.to_lowercase().filter(|l| !is_combining_mark(*l)));
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    // '"' is here because the data writes one name as `Soka"an`, where it stands for an apostrophe.
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '"')
}

/// A query split into folded words, with whether its last word may still be being typed.
pub(crate) struct QueryWords {
    pub(crate) words: Vec<String>,
    /// True when the query ends in the middle of a word: a type-ahead box sends a query on every
    /// keystroke, so "kab" at the end may be the start of "Kabandungan", while "kab " or "kab."
    /// is a finished abbreviation.
    pub(crate) last_open: bool,
}

impl QueryWords {
    pub(crate) fn parse(raw: &str) -> Self {
        let words = fold(raw).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
        let last_open = raw.chars().rev().find(|c| !is_combining_mark(*c)).is_some_and(char::is_alphanumeric);
        Self { words, last_open }
    }

    /// Whether the word at `index` has been typed to its end.
    pub(crate) fn is_complete(&self, index: usize) -> bool {
        index + 1 < self.words.len() || !self.last_open
    }
}

/// How well a text matched a query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tier {
    /// The text is the query.
    Exact,
    /// The text starts with the query.
    Starts,
    /// Every query word starts a word of the text.
    WordPrefix,
    /// Every query word occurs somewhere in the text.
    Substring,
    /// Some query words are only found in the text's surroundings (a region's parents).
    Context,
}

impl Tier {
    pub(crate) const COUNT: usize = 5;

    /// The tier of a text that contains every query word. `texts` are the forms of the text that
    /// count for an exact or a leading match (a regency's full name and its name without
    /// "Kabupaten"); `all_at_word_start` says whether every word starts a word.
    pub(crate) fn of<'t>(
        texts: impl IntoIterator<Item = &'t str> + Clone,
        phrase: &str,
        all_at_word_start: bool,
    ) -> Self {
        if texts.clone().into_iter().any(|t| t == phrase) {
            Self::Exact
        } else if texts.into_iter().any(|t| t.starts_with(phrase)) {
            Self::Starts
        } else if all_at_word_start {
            Self::WordPrefix
        } else {
            Self::Substring
        }
    }
}

/// The bit mask with one bit set for each of `count` words.
pub(crate) fn all_words(count: usize) -> u16 {
    let count = count.min(MAX_WORDS);
    if count == MAX_WORDS { u16::MAX } else { (1u16 << count) - 1 }
}

/// Which query words each text contains: bit `w` stands for `words[w]`.
pub(crate) struct Masks {
    /// The word occurs somewhere in the text.
    pub(crate) anywhere: Vec<u16>,
    /// The word occurs at the start of one of the text's words.
    pub(crate) word_start: Vec<u16>,
}

/// Many folded texts laid end to end in one buffer, so that finding a word in all of them is one
/// pass of a vectorised substring search rather than one search per text: that is what keeps a
/// query over ~91,000 region names within a keystroke's budget (well under a millisecond).
pub(crate) struct TextIndex {
    /// `\n` + text 0 + `\n` + text 1 + ... + `\n`. Folded texts hold no `\n`, so a match never
    /// spans two texts, and every text is preceded by a separator.
    buffer: String,
    /// Start and end (exclusive) of each text in `buffer`.
    spans: Vec<(u32, u32)>,
    /// For each text, the ASCII letters and digits it contains and those that start one of its
    /// words, one bit each (see [`char_bit`]). A one-letter query is answered from these alone:
    /// its occurrences are so dense that scanning for it costs more than all other queries.
    letters: Vec<Letters>,
}

#[derive(Clone, Copy, Default)]
struct Letters {
    anywhere: u64,
    word_start: u64,
}

/// The bit standing for an ASCII lowercase letter or digit; `None` for anything else.
fn char_bit(b: u8) -> Option<u64> {
    match b {
        b'a'..=b'z' => Some(1 << (b - b'a')),
        b'0'..=b'9' => Some(1 << (26 + b - b'0')),
        _ => None,
    }
}

impl Letters {
    fn of(text: &str) -> Self {
        let mut letters = Self::default();
        let mut at_word_start = true;
        for &b in text.as_bytes() {
            let bit = char_bit(b).unwrap_or(0);
            letters.anywhere |= bit;
            if at_word_start {
                letters.word_start |= bit;
            }
            at_word_start = b == b' ';
        }
        letters
    }
}

impl TextIndex {
    /// Indexes already folded texts.
    ///
    /// # Panics
    /// If the texts together exceed 4 GiB, which the shipped tables (a few MB) never approach.
    pub(crate) fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut buffer = String::from("\n");
        let mut spans = Vec::new();
        let mut letters = Vec::new();
        for text in texts {
            letters.push(Letters::of(text));
            let start = offset(buffer.len());
            buffer.push_str(text);
            spans.push((start, offset(buffer.len())));
            buffer.push('\n');
        }
        Self { buffer, spans, letters }
    }

    pub(crate) fn text(&self, index: usize) -> &str {
        let (start, end) = self.spans[index];
        &self.buffer[start as usize..end as usize]
    }

    /// Finds every word (at most [`MAX_WORDS`] are looked at) in every text.
    pub(crate) fn scan(&self, words: &[String]) -> Masks {
        let mut masks = Masks { anywhere: vec![0; self.spans.len()], word_start: vec![0; self.spans.len()] };
        for (bit, word) in words.iter().take(MAX_WORDS).enumerate() {
            self.mark(word, 1u16 << bit, &mut masks);
        }
        masks
    }

    /// Sets `bit` in the masks of the texts that contain `word`.
    fn mark(&self, word: &str, bit: u16, masks: &mut Masks) {
        match word.as_bytes() {
            [] => {}
            &[single] => match char_bit(single) {
                Some(letter) => self.mark_letter(letter, bit, masks),
                None => self.mark_by_search(word, bit, masks),
            },
            _ => self.mark_by_search(word, bit, masks),
        }
    }

    fn mark_letter(&self, letter: u64, bit: u16, masks: &mut Masks) {
        for (i, letters) in self.letters.iter().enumerate() {
            if letters.anywhere & letter != 0 {
                masks.anywhere[i] |= bit;
            }
            if letters.word_start & letter != 0 {
                masks.word_start[i] |= bit;
            }
        }
    }

    /// Each text needs at most two answers (does it contain the word, does a word of it start
    /// with it), so after the first match in a text the rest of that text is looked at once, for
    /// a word start only, and the search resumes at the next text: the work is bounded by the
    /// number of texts, not by the number of occurrences of a short word.
    fn mark_by_search(&self, word: &str, bit: u16, masks: &mut Masks) {
        let haystack = self.buffer.as_bytes();
        let finder = memmem::Finder::new(word.as_bytes());
        let mut from = 0;
        // Matches come in increasing order, so the text they fall in only ever moves forward.
        let mut text = 0;
        while let Some(found) = finder.find(&haystack[from..]) {
            let at = from + found;
            while self.spans[text].1 as usize <= at {
                text += 1;
            }
            let end = self.spans[text].1 as usize;
            masks.anywhere[text] |= bit;
            // The byte before a match exists: the buffer starts with a separator.
            let starts_word =
                matches!(haystack[at - 1], b' ' | b'\n') || starts_a_later_word(&haystack[at..end], word.as_bytes());
            if starts_word {
                masks.word_start[text] |= bit;
            }
            from = end;
        }
    }
}

/// Whether a word of `rest` other than its first starts with `word`. Names are a few words long,
/// so a plain loop beats setting up a substring search.
fn starts_a_later_word(rest: &[u8], word: &[u8]) -> bool {
    rest.iter().enumerate().any(|(i, &b)| b == b' ' && rest[i + 1..].starts_with(word))
}

fn offset(len: usize) -> u32 {
    u32::try_from(len).expect("reference texts fit in 4 GiB")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("  Kabupaten   SERANG "), "kabupaten serang");
        assert_eq!(fold("Regapu’u"), "regapuu");
        assert_eq!(fold("Soka\"an"), "sokaan");
        assert_eq!(fold("Lubuk Pakam I,II"), "lubuk pakam i ii");
        assert_eq!(fold("Kacang-kacangan"), "kacang kacangan");
        assert_eq!(fold("Cikandé"), "cikande");
        assert_eq!(fold("kab."), "kab");
        assert_eq!(fold(" .,- "), "");
    }

    #[test]
    fn open_last_word() {
        assert!(QueryWords::parse("kab").last_open);
        assert!(!QueryWords::parse("kab ").last_open);
        assert!(!QueryWords::parse("kab.").last_open);
        let q = QueryWords::parse("kab ser");
        assert!(q.is_complete(0));
        assert!(!q.is_complete(1));
    }

    #[test]
    fn index_finds_words_and_word_starts() {
        let index = TextIndex::new(["cikande", "cikande permai", "sukacikande", "serang"]);
        let masks = index.scan(&["cikande".to_owned(), "per".to_owned()]);
        assert_eq!(masks.anywhere, [0b01, 0b11, 0b01, 0b00]);
        assert_eq!(masks.word_start, [0b01, 0b11, 0b00, 0b00]);
        assert_eq!(index.text(3), "serang");
    }

    #[test]
    fn one_letter_words_use_the_letter_sets() {
        // "ß" has no letter bit and goes through the substring search instead.
        let index = TextIndex::new(["aceh", "banda aceh", "bekasi", "ßa ß"]);
        let masks = index.scan(&["a".to_owned(), "e".to_owned(), "ß".to_owned()]);
        assert_eq!(masks.anywhere, [0b011, 0b011, 0b011, 0b101]);
        assert_eq!(masks.word_start, [0b001, 0b001, 0b000, 0b100]);
    }

    #[test]
    fn word_masks() {
        assert_eq!(all_words(1), 0b1);
        assert_eq!(all_words(3), 0b111);
        assert_eq!(all_words(16), u16::MAX);
        assert_eq!(all_words(40), u16::MAX);
    }
}

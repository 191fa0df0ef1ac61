//! Text for the built-in fonts: what they can show, how wide it is, and where lines break.
//!
//! The 14 built-in PDF fonts only know the 218 characters of WinAnsi (Windows-1252). Indonesian
//! is plain Latin, but records are typed or pasted by people: curly quotes, non-breaking
//! hyphens, "≤ 3", a name with "ș", an emoji in a title. Everything is mapped here, before
//! measuring, so that what is measured is exactly what is drawn and nothing a user typed can
//! make a report fail.

use unicode_normalization::UnicodeNormalization;

use super::metrics::{HELVETICA, HELVETICA_BOLD};

/// The two faces Sinergi's reports use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

/// Shown for a character no mapping can represent.
const REPLACEMENT: char = '?';

/// `text` as characters the built-in fonts can show. Line breaks and tabs become spaces (callers
/// that keep paragraphs split on `\n` first); letters with marks WinAnsi lacks lose the mark
/// ("ș" → "s"); typographic signs get their ASCII spelling ("≤" → "<="); anything else is "?".
pub fn to_win_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Composed first, so that "e" + combining acute becomes the WinAnsi "é".
    for c in text.nfc() {
        push_mapped(c, &mut out);
    }
    out
}

fn push_mapped(c: char, out: &mut String) {
    // Zero-width characters, joiners and soft hyphens carry no visible text.
    if matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}') {
        return;
    }
    if is_win_ansi(c) {
        out.push(c);
        return;
    }
    if let Some(s) = substitute(c) {
        out.push_str(s);
        return;
    }
    if c.is_whitespace() || c.is_control() {
        out.push(' ');
        return;
    }
    // Compatibility decomposition: "ș" → "s" + comma below, "ﬁ" → "fi", "Ａ" → "A", "²" stays.
    // Keep the representable parts, drop the combining marks.
    let mut any = false;
    for d in std::iter::once(c).nfkd() {
        if is_win_ansi(d) {
            out.push(d);
            any = true;
        } else if let Some(s) = substitute(d) {
            out.push_str(s);
            any = true;
        }
    }
    if !any && !is_combining_mark(c) {
        out.push(REPLACEMENT);
    }
}

/// Characters WinAnsi (PDF 32000-1, Annex D.2) encodes, other than control codes.
pub fn is_win_ansi(c: char) -> bool {
    win_ansi_code(c).is_some()
}

/// The WinAnsi byte of a character, if it has one.
pub fn win_ansi_code(c: char) -> Option<u8> {
    match c as u32 {
        cp @ (0x20..=0x7E | 0xA0..=0xFF) => u8::try_from(cp).ok(),
        _ => Some(match c {
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            _ => return None,
        }),
    }
}

/// Readable stand-ins for signs that are common in typed text but missing from WinAnsi.
fn substitute(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2010}' | '\u{2011}' | '\u{2212}' | '\u{2043}' => "-",
        '\u{2012}' => "–",
        '\u{2015}' => "—",
        '\u{201B}' | '\u{2032}' | '\u{02BC}' => "'",
        '\u{201F}' | '\u{2033}' => "\"",
        '\u{2022}' | '\u{2023}' | '\u{2219}' | '\u{25CF}' | '\u{25AA}' | '\u{25E6}' => "•",
        '\u{2044}' | '\u{2215}' => "/",
        '≤' => "<=",
        '≥' => ">=",
        '≠' => "!=",
        '≈' => "~",
        '→' => "->",
        '←' => "<-",
        '↔' => "<->",
        '№' => "No.",
        '✓' | '✔' => "v",
        'Đ' => "D",
        'đ' => "d",
        'Ł' => "L",
        'ł' => "l",
        'ı' => "i",
        'Ħ' => "H",
        'ħ' => "h",
        'Ŧ' => "T",
        'ŧ' => "t",
        'ŋ' => "ng",
        'Ŋ' => "NG",
        _ => return None,
    })
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Width in points of text already passed through [`to_win_ansi`], at `size` points.
pub fn width(text: &str, face: Face, size: f32) -> f32 {
    let table = match face {
        Face::Regular => &HELVETICA,
        Face::Bold => &HELVETICA_BOLD,
    };
    let units: u32 = text
        .chars()
        .map(|c| {
            win_ansi_code(c)
                .and_then(|b| b.checked_sub(0x20))
                .and_then(|i| table.get(usize::from(i)))
                .copied()
                // Not WinAnsi: callers should have mapped it; measure it as wide as "M" so a
                // line never overflows because of it.
                .unwrap_or(833)
        })
        .map(u32::from)
        .sum();
    units as f32 * size / 1000.0
}

/// `text` broken into lines no wider than `max` points: paragraphs at `\n`, lines at spaces,
/// and a word longer than a whole line cut where it must be. Returns WinAnsi text; an empty
/// input gives one empty line, so that every cell has a height.
pub fn wrap(text: &str, face: Face, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = to_win_ansi(paragraph);
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if width(&candidate, face, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if width(word, face, size) <= max {
                line = word.to_owned();
            } else {
                let mut pieces = break_word(word, face, size, max);
                line = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
            }
        }
        lines.push(line);
    }
    lines
}

/// A word wider than the line (a URL, a long number) cut into pieces that fit; at least one
/// character per piece, so a column narrower than one letter still terminates.
fn break_word(word: &str, face: Face, size: f32, max: f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for c in word.chars() {
        piece.push(c);
        if width(&piece, face, size) > max && piece.chars().count() > 1 {
            piece.pop();
            pieces.push(std::mem::take(&mut piece));
            piece.push(c);
        }
    }
    pieces.push(piece);
    pieces
}

/// `text` shortened with "…" to fit `max` points, for single-line places (footer, running head).
pub fn ellipsize(text: &str, face: Face, size: f32, max: f32) -> String {
    let text = to_win_ansi(text);
    if width(&text, face, size) <= max {
        return text;
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if width(&out, face, size) + width("…", face, size) > max {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_text_passes_unchanged() {
        let s = "Penataan kabel fiber optik — Rp 1.500.000 (17 Desember 2025), “KSDD” · 50%";
        assert_eq!(to_win_ansi(s), s);
    }

    #[test]
    fn odd_characters_are_mapped_not_lost() {
        assert_eq!(to_win_ansi("Ș-Ț ă ā"), "S-T a a");
        assert_eq!(to_win_ansi("≤ 3 → 5"), "<= 3 -> 5");
        assert_eq!(to_win_ansi("ﬁber Ｒｐ"), "fiber Rp");
        assert_eq!(to_win_ansi("a\tb\r\nc"), "a b  c");
        assert_eq!(to_win_ansi("Đà Nẵng"), "Dà Nang");
        assert_eq!(to_win_ansi("soft\u{AD}hyphen"), "softhyphen");
        assert_eq!(to_win_ansi("zero\u{200B}width"), "zerowidth");
        assert_eq!(to_win_ansi("👍 数据"), "? ??");
        assert_eq!(to_win_ansi("e\u{0301}"), "é", "composed first");
        assert_eq!(to_win_ansi("q\u{0307}"), "q", "a mark with no composed form disappears");
        assert!(to_win_ansi("\u{0}\u{7F}\u{85}\u{9F}").chars().all(|c| c == ' '));
    }

    #[test]
    fn everything_mapped_is_measurable() {
        // Every char of a wide sample maps to text whose every char has a width.
        let sample: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        let mapped = to_win_ansi(&sample);
        assert!(mapped.chars().all(is_win_ansi), "only WinAnsi comes out");
        for c in mapped.chars() {
            let code = win_ansi_code(c).expect("win ansi");
            let w = HELVETICA[usize::from(code - 0x20)];
            assert!(w > 0, "{c:?} ({code:#x}) has a width");
        }
    }

    #[test]
    fn widths_are_adobes() {
        // Helvetica: "a" 556, "W" 944, space 278; bold "a" 556, bold "b" 611.
        assert!((width("a W", Face::Regular, 10.0) - (5.56 + 2.78 + 9.44)).abs() < 0.001);
        assert!((width("ab", Face::Bold, 10.0) - (5.56 + 6.11)).abs() < 0.001);
    }

    #[test]
    fn wrapping_respects_the_width_and_keeps_every_word() {
        let text = "Penataan kabel fiber optik bersama APJATEL di seluruh kecamatan Kota Tangerang Selatan";
        let lines = wrap(text, Face::Regular, 9.0, 100.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| width(l, Face::Regular, 9.0) <= 100.0), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("", Face::Regular, 9.0, 100.0), vec![String::new()]);
        assert_eq!(wrap("satu\n\ndua", Face::Regular, 9.0, 100.0), vec!["satu", "", "dua"]);
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        let url = "https://sinergi.example.go.id/cooperation/agreements/0193f7a2-1111-7000-8000-000000000000";
        let lines = wrap(url, Face::Regular, 8.0, 60.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| width(l, Face::Regular, 8.0) <= 60.0));
        assert_eq!(lines.concat(), url);
        // Narrower than one letter: one letter per line, and it ends.
        assert_eq!(wrap("WWW", Face::Bold, 10.0, 1.0), vec!["W", "W", "W"]);
    }

    #[test]
    fn ellipsis_fits() {
        let s = ellipsize("Register kerja sama Kota Tangerang Selatan", Face::Regular, 8.0, 80.0);
        assert!(s.ends_with('…') && width(&s, Face::Regular, 8.0) <= 80.0, "{s}");
        assert_eq!(ellipsize("Pendek", Face::Regular, 8.0, 80.0), "Pendek");
    }
}

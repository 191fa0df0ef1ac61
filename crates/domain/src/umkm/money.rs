//! Rupiah amounts as agencies write them: `Rp 25.000.000`, `25 jt`, `1,5 M`, `Rp25.000.000,00`,
//! `25000000`, `2,5 miliar`, `750 rb`.
//!
//! Indonesian writing uses `.` for thousands and `,` for decimals, but spreadsheets exported from
//! English-set computers swap them. The rule that reads both: a separator followed by exactly
//! three digits, repeated consistently, groups thousands; when both separators appear the last
//! one is the decimal mark; otherwise a single separator is a decimal mark.

/// Why an amount was refused. [`AmountError::code`] is the translation key's suffix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("empty")]
    Empty,
    #[error("not an amount")]
    NotANumber,
    #[error("negative")]
    Negative,
    #[error("too large")]
    TooLarge,
}

impl AmountError {
    pub fn code(&self) -> &'static str {
        match self {
            AmountError::Empty => "empty",
            AmountError::NotANumber => "not-a-number",
            AmountError::Negative => "negative",
            AmountError::TooLarge => "too-large",
        }
    }
}

/// Larger than any UMKM's capital or sales by far (Rp 1.000 triliun): a bigger number is a typo
/// or a pasted identifier, not money.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Word multipliers, longest first so that "miliar" is not read as "m" + "iliar".
const MULTIPLIERS: &[(&str, i64)] = &[
    ("triliun", 1_000_000_000_000),
    ("milyar", 1_000_000_000),
    ("miliar", 1_000_000_000),
    ("juta", 1_000_000),
    ("ribu", 1_000),
    ("jt", 1_000_000),
    ("rb", 1_000),
    ("t", 1_000_000_000_000),
    ("m", 1_000_000_000),
    ("k", 1_000),
];

/// Whole rupiah (amounts with sen are rounded to the nearest rupiah).
pub fn parse_rupiah(input: &str) -> Result<i64, AmountError> {
    let mut s = input.trim().to_lowercase().replace(['\u{a0}', ' ', '\''], "");
    for prefix in ["rp.", "rp", "idr"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_owned();
            break;
        }
    }
    // "Rp -" and "-" are how empty money cells are often written.
    if s.is_empty() || s == "-" {
        return Err(AmountError::Empty);
    }
    if s.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let s = s.trim_end_matches(",-").trim_end_matches(".-");
    let (number, multiplier) = split_multiplier(s);
    if number.is_empty() {
        return Err(AmountError::NotANumber);
    }
    let (int_part, frac_part) = split_decimal(number, multiplier > 1)?;
    to_rupiah(&int_part, &frac_part, multiplier)
}

fn split_multiplier(s: &str) -> (&str, i64) {
    for (word, factor) in MULTIPLIERS {
        if let Some(number) = s.strip_suffix(word) {
            let number = number.trim_end_matches('.');
            if number.ends_with(|c: char| c.is_ascii_digit()) {
                return (number, *factor);
            }
        }
    }
    (s, 1)
}

/// The integer and fraction digits of a number written with either convention.
fn split_decimal(s: &str, scaled: bool) -> Result<(String, String), AmountError> {
    if !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') || !s.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(AmountError::NotANumber);
    }
    let last_dot = s.rfind('.');
    let last_comma = s.rfind(',');
    let decimal_at = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(i), None) | (None, Some(i)) => {
            let sep = s.as_bytes()[i];
            let groups: Vec<&str> = s.split(sep as char).collect();
            let grouped = groups[1..].iter().all(|g| g.len() == 3);
            // "1.500" is fifteen hundred and "1.500 jt" is 1,5 miliar (the Indonesian dot);
            // "1,5", "2.75" and "1,500 jt" are fractions.
            let thousands = grouped && (!scaled || sep == b'.' || groups.len() > 2);
            if thousands { None } else { Some(i) }
        }
        (None, None) => None,
    };
    let (int_raw, frac_raw) = match decimal_at {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    if frac_raw.contains(['.', ',']) {
        return Err(AmountError::NotANumber);
    }
    let int_digits: String = int_raw.chars().filter(char::is_ascii_digit).collect();
    // Thousands groups inside the integer part must be groups of three.
    if int_raw.split(['.', ',']).skip(1).any(|g| g.len() != 3) {
        return Err(AmountError::NotANumber);
    }
    if int_digits.is_empty() {
        return Err(AmountError::NotANumber);
    }
    Ok((int_digits, frac_raw.to_owned()))
}

fn to_rupiah(int_part: &str, frac_part: &str, multiplier: i64) -> Result<i64, AmountError> {
    let int_part = int_part.trim_start_matches('0');
    if int_part.len() > 18 {
        return Err(AmountError::TooLarge);
    }
    let whole: i64 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| AmountError::TooLarge)? };
    let mut value = whole.checked_mul(multiplier).ok_or(AmountError::TooLarge)?;
    // The fraction, scaled: at most 12 digits matter (a triliun's rupiah); round half up.
    let mut scale = multiplier;
    let mut extra: i64 = 0;
    let mut round_up = false;
    for (i, c) in frac_part.chars().enumerate() {
        let digit = i64::from(c.to_digit(10).unwrap_or(0) as u8);
        if scale >= 10 {
            scale /= 10;
            extra += digit * scale;
        } else if i == 0 || scale == 1 {
            round_up = digit >= 5;
            break;
        }
    }
    value = value.checked_add(extra + i64::from(round_up)).ok_or(AmountError::TooLarge)?;
    if value > MAX_AMOUNT {
        return Err(AmountError::TooLarge);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::format_rupiah;
    use proptest::prelude::*;

    #[test]
    fn amounts_as_agencies_write_them() {
        let cases: &[(&str, i64)] = &[
            ("Rp 25.000.000", 25_000_000),
            ("Rp25.000.000,00", 25_000_000),
            ("25.000.000,-", 25_000_000),
            ("25000000", 25_000_000),
            ("25 jt", 25_000_000),
            ("25jt", 25_000_000),
            ("25 juta", 25_000_000),
            ("1,5 M", 1_500_000_000),
            ("1.5 M", 1_500_000_000),
            ("2,5 miliar", 2_500_000_000),
            ("Rp 1,25 Milyar", 1_250_000_000),
            ("750 rb", 750_000),
            ("750rb", 750_000),
            ("1.500", 1_500),
            ("1,500,000", 1_500_000),
            ("1,500,000.50", 1_500_001),
            ("Rp 1.500.000,49", 1_500_000),
            ("2.75", 3),
            ("IDR 5.000.000", 5_000_000),
            ("0", 0),
            ("1 T", 1_000_000_000_000),
            ("1.500 jt", 1_500_000_000),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_rupiah(input), Ok(*expected), "{input}");
        }
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(parse_rupiah(""), Err(AmountError::Empty));
        assert_eq!(parse_rupiah("Rp -"), Err(AmountError::Empty));
        assert_eq!(parse_rupiah("-5.000"), Err(AmountError::Negative));
        assert_eq!(parse_rupiah("lima juta"), Err(AmountError::NotANumber));
        assert_eq!(parse_rupiah("25.00.000"), Err(AmountError::NotANumber));
        assert_eq!(parse_rupiah("jt"), Err(AmountError::NotANumber));
        assert_eq!(parse_rupiah("99999999999999999999"), Err(AmountError::TooLarge));
        assert_eq!(parse_rupiah("2000000 triliun"), Err(AmountError::TooLarge));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse_rupiah(&s);
        }

        #[test]
        fn never_panics_on_number_like_text(s in "(Rp ?)?[0-9.,]{0,24} ?(jt|juta|m|miliar|rb|t)?") {
            let _ = parse_rupiah(&s);
        }

        #[test]
        fn formatted_amounts_round_trip(n in 0i64..=MAX_AMOUNT) {
            prop_assert_eq!(parse_rupiah(&format_rupiah(n)), Ok(n));
            prop_assert_eq!(parse_rupiah(&n.to_string()), Ok(n));
        }

        #[test]
        fn millions_with_one_decimal(whole in 0i64..100_000, tenth in 0i64..10) {
            prop_assert_eq!(parse_rupiah(&format!("{whole},{tenth} jt")), Ok(whole * 1_000_000 + tenth * 100_000));
        }
    }
}

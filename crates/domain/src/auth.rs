//! Login identities: emails and passwords as parsed values.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a form field was refused. The web edge turns the variant into a sentence in the
/// user's language; the `&'static str` names the translation key of the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    pub field: &'static str,
    pub reason: &'static str,
}

impl FieldError {
    pub const fn new(field: &'static str, reason: &'static str) -> Self {
        Self { field, reason }
    }
}

/// A lower-cased email address with one `@`, a local part and a dotted domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_lowercase();
        let err = FieldError::new("email", "invalid-email");
        if s.is_empty() {
            return Err(FieldError::new("email", "required"));
        }
        if s.len() > 254 || s.chars().any(char::is_whitespace) {
            return Err(err);
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(err);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || !domain_ok {
            return Err(err);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

/// A new password that meets the policy. It is never printed: `Debug` hides it.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 10;

    /// Length is what makes a password strong; composition rules only make people write
    /// "Password1!" on a sticky note. We ask for ten characters and refuse the obvious.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let field = "password";
        if input.chars().count() < Self::MIN_CHARS {
            return Err(FieldError::new(field, "password-too-short"));
        }
        if input.chars().count() > 256 {
            return Err(FieldError::new(field, "password-too-long"));
        }
        let lower = input.to_lowercase();
        let first = lower.chars().next();
        if lower.chars().all(|c| Some(c) == first)
            || ["password12", "1234567890", "qwertyuiop"].contains(&lower.as_str())
        {
            return Err(FieldError::new(field, "password-too-common"));
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A required line of text (a name), trimmed, with a maximum length.
pub fn required_text(field: &'static str, input: &str, max_chars: usize) -> Result<String, FieldError> {
    let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    if s.chars().count() > max_chars {
        return Err(FieldError::new(field, "too-long"));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Region-Admin@Kota-Serang.demo.sinergi.id ").unwrap().as_str(),
            "region-admin@kota-serang.demo.sinergi.id"
        );
        for bad in ["", "a", "a@b", "@b.id", "a@.id", "a@b.", "a b@c.id", "a@b..id", "a@b@c.id"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Email::parse("").unwrap_err().reason, "required");
    }

    #[test]
    fn passwords() {
        assert!(NewPassword::parse("sinergi-demo").is_ok());
        assert_eq!(NewPassword::parse("short").unwrap_err().reason, "password-too-short");
        assert_eq!(NewPassword::parse("aaaaaaaaaaaa").unwrap_err().reason, "password-too-common");
        assert_eq!(format!("{:?}", NewPassword::parse("sinergi-demo").unwrap()), "NewPassword(***)");
    }

    #[test]
    fn text() {
        assert_eq!(required_text("name", "  Dinas   Kesehatan ", 10).unwrap_err().reason, "too-long");
        assert_eq!(required_text("name", "  Bappeda ", 10).unwrap(), "Bappeda");
        assert_eq!(required_text("name", "   ", 10).unwrap_err().reason, "required");
    }
}

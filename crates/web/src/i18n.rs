//! Translations (Fluent files under `locales/`, compiled into the binary) and the formatting
//! of money and dates in the user's language.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use sinergi_domain::format::{Locale, format_datetime, format_number, format_rupiah};
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "id",
        // Unicode isolation marks around arguments would show up in HTML attributes and tests.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ID: LanguageIdentifier = langid!("id");
static EN: LanguageIdentifier = langid!("en");

/// The translator handed to every template: `{{ tr.t("nav-home") }}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Self {
        Self { locale }
    }

    fn langid(&self) -> &'static LanguageIdentifier {
        match self.locale {
            Locale::Id => &ID,
            Locale::En => &EN,
        }
    }

    /// The `lang` attribute of the page.
    pub fn lang(&self) -> &'static str {
        self.locale.as_str()
    }

    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(self.langid(), key)
    }

    /// A message with one argument: `tr.t1("audit-count", "count", 5)`.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert(Cow::Borrowed(name), FluentValue::from(value.to_string()));
        LOCALES.lookup_with_args(self.langid(), key, &args)
    }

    /// A message with several arguments.
    pub fn targs(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone()))).collect();
        LOCALES.lookup_with_args(self.langid(), key, &map)
    }

    /// The sentence for a field error reason (`required`, `invalid-email`, ...).
    pub fn reason(&self, reason: &str) -> String {
        self.t(&format!("error-{reason}"))
    }

    pub fn rupiah(&self, amount: i64) -> String {
        format_rupiah(amount)
    }

    /// A measured value as officials write it: "12,5" in Indonesian, "12.5" in English;
    /// whole numbers get thousands separators.
    pub fn decimal(&self, v: f64) -> String {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            return self.number(v as i64);
        }
        let s = format!("{v:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        match self.locale {
            Locale::Id => s.replace('.', ","),
            Locale::En => s.to_owned(),
        }
    }

    pub fn number(&self, n: i64) -> String {
        format_number(n, self.locale)
    }

    /// A stored millisecond timestamp as "17 Desember 2025 16.25 WIB".
    pub fn datetime_ms(&self, ms: i64) -> String {
        format_datetime(sinergi_store::ms_to_datetime(ms), self.locale)
    }

    pub fn role(&self, role: sinergi_domain::Role) -> String {
        self.t(&format!("role-{}", role.slug()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(ftl: &str) -> Vec<&str> {
        ftl.lines().filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim())).filter(|k| !k.starts_with('#')).collect()
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let id = keys(include_str!("../locales/id/main.ftl"));
        let en = keys(include_str!("../locales/en/main.ftl"));
        let missing_en: Vec<_> = id.iter().filter(|k| !en.contains(k)).collect();
        let missing_id: Vec<_> = en.iter().filter(|k| !id.contains(k)).collect();
        assert!(missing_en.is_empty() && missing_id.is_empty(), "en lacks {missing_en:?}, id lacks {missing_id:?}");
    }

    #[test]
    fn formats_money_dates_and_arguments() {
        let id = Tr::new(Locale::Id);
        assert_eq!(id.rupiah(1_500_000), "Rp 1.500.000");
        assert_eq!(id.t1("home-greeting", "name", "Rina"), "Selamat datang, Rina.");
        assert_eq!(Tr::new(Locale::En).t("nav-home"), "Home");
        // 17 December 2025 09:25 UTC is 16.25 WIB.
        assert_eq!(id.datetime_ms(1_765_963_500_000), "17 Desember 2025 16.25 WIB");
    }

    #[test]
    fn every_dynamic_key_exists() {
        use sinergi_domain::Role;
        use sinergi_domain::org::AgencyKind;
        let mut wanted: Vec<String> = Vec::new();
        for r in Role::ALL {
            wanted.push(format!("role-{}", r.slug()));
            wanted.push(format!("home-help-{}", r.slug()));
        }
        for k in AgencyKind::ALL {
            wanted.push(format!("agency-kind-{}", k.slug()));
        }
        for t in sinergi_store::audit::RecordType::ALL {
            wanted.push(format!("record-{}", t.as_str()));
        }
        for a in
            ["create", "update", "login", "logout", "token-create", "token-revoke", "password-change", "set-locale"]
        {
            wanted.push(format!("audit-action-{a}"));
        }
        for reason in [
            "required",
            "too-long",
            "invalid-email",
            "password-too-short",
            "password-too-long",
            "password-too-common",
            "invalid-slug",
            "invalid-region-code",
            "tenant-must-be-region",
            "invalid-choice",
            "parent-required",
            "parent-cycle",
            "agency-required",
            "cannot-demote-self",
            "conflict-email",
            "conflict-slug",
            "conflict-name",
            "conflict-code",
            "conflict-id",
        ] {
            wanted.push(format!("error-{reason}"));
        }
        for locale in [Locale::Id, Locale::En] {
            let tr = Tr::new(locale);
            for key in &wanted {
                assert!(LOCALES.try_lookup(tr.langid(), key).is_some(), "{key} missing in {locale:?}");
            }
        }
    }
}

//! Translations (Fluent files under `locales/`, compiled into the binary) and the formatting
//! of money and dates in the user's language.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use sinergi_domain::format::{Locale, format_date, format_datetime, format_number, format_rupiah};
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

    /// "17 Desember 2025".
    pub fn date(&self, d: time::Date) -> String {
        format_date(d, self.locale)
    }

    /// A stored month ("2026-11") as officials write it: "November 2026". Anything else is
    /// shown as it is.
    pub fn month(&self, ym: &str) -> String {
        let parsed = ym
            .split_once('-')
            .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u8>().ok()?)))
            .and_then(|(y, m)| time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, 1).ok());
        match parsed {
            // "1 November 2026" without the day.
            Some(d) => self.date(d).split_once(' ').map(|(_, rest)| rest.to_owned()).unwrap_or_default(),
            None => ym.to_owned(),
        }
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

    /// The UMKM pages' keys built from codes: the importer's problems and their details, its
    /// fields and errors, size classes, permits, legal forms, links and statuses.
    fn umkm_keys(wanted: &mut Vec<String>) {
        use sinergi_domain::umkm::{LegalForm, PermitKind, Sex, SizeClass};
        let problems = [
            "required",
            "too-long",
            "invalid-nik",
            "invalid-nib",
            "invalid-npwp",
            "invalid-phone",
            "invalid-email",
            "invalid-kbli",
            "unknown-kbli",
            "invalid-amount",
            "invalid-number",
            "invalid-year",
            "invalid-pirt",
            "unknown-kecamatan",
            "unknown-desa",
            "ambiguous-desa",
            "desa-other-kecamatan",
            "outside-region",
            "kecamatan-corrected",
            "desa-corrected",
            "kab-kota-corrected",
            "nik-digits-lost",
            "kbli-leading-zero",
            "amount-too-small",
            "invalid-sex",
            "sex-nik-mismatch",
            "invalid-birth-year",
        ];
        wanted.extend(problems.iter().map(|c| format!("umkm-problem-{c}")));
        let details = [
            "length",
            "scientific",
            "not-digits",
            "province",
            "birth-date",
            "serial",
            "phone",
            "empty",
            "not-a-number",
            "negative",
            "too-large",
        ];
        wanted.extend(details.iter().map(|c| format!("umkm-detail-{c}")));
        let errors = [
            "empty-file",
            "unreadable",
            "encrypted",
            "html-table",
            "too-many-rows",
            "too-many-columns",
            "no-header",
            "no-sheet",
            "unknown-region",
        ];
        wanted.extend(errors.iter().map(|c| format!("umkm-import-error-{c}")));
        wanted.extend(sinergi_io::umkm::UmkmField::ALL.iter().map(|f| format!("umkm-field-{}", f.as_str())));
        wanted.extend(sinergi_store::umkm::Field::ALL.iter().map(|f| format!("umkm-field-{}", f.slug())));
        wanted.extend(SizeClass::ALL.iter().map(|c| format!("umkm-class-{}", c.slug())));
        wanted.extend(PermitKind::ALL.iter().map(|p| format!("umkm-permit-{}", p.slug())));
        wanted.extend(LegalForm::ALL.iter().map(|l| format!("umkm-legal-{}", l.slug())));
        wanted.extend(Sex::ALL.iter().map(|x| format!("umkm-sex-{}", x.slug())));
        wanted.extend(["auto", "review", "new", "officer", "owner"].iter().map(|l| format!("umkm-link-{l}")));
        wanted.extend(sinergi_store::umkm::Origin::ALL.iter().map(|o| format!("umkm-origin-{}", o.slug())));
        wanted
            .extend(sinergi_store::umkm::ReviewStatus::ALL.iter().map(|r| format!("umkm-review-status-{}", r.slug())));
        wanted
            .extend(sinergi_store::umkm::ImportStatus::ALL.iter().map(|r| format!("umkm-import-status-{}", r.slug())));
        for field in ["status", "undone", "later_merge", "snapshot", "from"] {
            wanted.push(format!("error-conflict-{field}"));
        }
    }

    #[test]
    fn umkm_mapping_problems_are_worded() {
        for locale in [Locale::Id, Locale::En] {
            let tr = Tr::new(locale);
            for code in ["missing-business-name", "duplicate-field"] {
                let text =
                    tr.targs(&format!("umkm-mapping-{code}"), &[("field", "X".into()), ("columns", "B, C".into())]);
                assert!(text.contains('X') && !text.starts_with("umkm-"), "{code} in {locale:?}: {text}");
            }
        }
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
        umkm_keys(&mut wanted);
        // Catalogue (issue 6, part 5)
        crate::pages::catalogue_public::locale_keys(&mut wanted);
        // Issue 7: the Labkesda
        crate::pages::lab::locale_keys(&mut wanted);
        for locale in [Locale::Id, Locale::En] {
            let tr = Tr::new(locale);
            for key in &wanted {
                assert!(LOCALES.try_lookup(tr.langid(), key).is_some(), "{key} missing in {locale:?}");
            }
        }
    }
}

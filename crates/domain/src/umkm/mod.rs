//! UMKM: the business record's parts, parsed from the spreadsheets agencies hold and from forms.

mod form;
mod identifiers;
mod money;
mod size;

use serde::{Deserialize, Serialize};
use time::Date;

pub use form::{BusinessForm, FormContext, ParsedForm, PermitForm};
pub use identifiers::{IdError, Nib, Nik, Npwp, Packaging, Phone, PirtNumber};
pub use money::{AmountError, MAX_AMOUNT, parse_rupiah};
pub use size::{Classification, Movement, SizeClass, movement};
pub use size::{
    MEDIUM_MAX_CAPITAL, MEDIUM_MAX_SALES, MICRO_MAX_CAPITAL, MICRO_MAX_SALES, SMALL_MAX_CAPITAL, SMALL_MAX_SALES,
};

use crate::{KbliCode, RegionCode};

crate::slug_enum! {
    /// The business's legal form.
    pub enum LegalForm: "legal_form" {
        Individual = "perorangan",
        Ud = "ud",
        Cv = "cv",
        PtIndividual = "pt-perorangan",
        Pt = "pt",
        Firm = "firma",
        Cooperative = "koperasi",
        Bumdes = "bumdes",
        Other = "lainnya",
    }
}

impl LegalForm {
    /// What registers write: `UD`, `U.D.`, `CV.`, `PT Perorangan`, `Perseorangan`, `Kop.`, `KSU`.
    pub fn parse_loose(input: &str) -> Option<Self> {
        let s: String = input.to_lowercase().chars().filter(|c| c.is_alphanumeric() || *c == ' ').collect();
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let form = match s.as_str() {
            "" => return None,
            "perorangan" | "perseorangan" | "individu" | "pribadi" | "usaha perorangan" => LegalForm::Individual,
            "ud" | "usaha dagang" => LegalForm::Ud,
            "cv" | "commanditaire vennootschap" | "persekutuan komanditer" => LegalForm::Cv,
            "pt perorangan" | "pt perseorangan" | "perseroan perorangan" => LegalForm::PtIndividual,
            "pt" | "perseroan terbatas" => LegalForm::Pt,
            "fa" | "firma" => LegalForm::Firm,
            "koperasi" | "kop" | "ksu" | "ksp" | "kud" => LegalForm::Cooperative,
            "bumdes" | "bum desa" | "badan usaha milik desa" => LegalForm::Bumdes,
            _ if s.starts_with("koperasi") => LegalForm::Cooperative,
            _ => LegalForm::Other,
        };
        Some(form)
    }
}

crate::slug_enum! {
    pub enum Sex: "sex" {
        Male = "l",
        Female = "p",
    }
}

impl Sex {
    /// `L`, `P`, `Laki-laki`, `Perempuan`, `Pria`, `Wanita`, `M`, `F`.
    pub fn parse_loose(input: &str) -> Option<Self> {
        match input.trim().to_lowercase().as_str() {
            "l" | "lk" | "laki-laki" | "laki laki" | "lakilaki" | "pria" | "m" | "male" => Some(Sex::Male),
            "p" | "pr" | "perempuan" | "wanita" | "f" | "female" => Some(Sex::Female),
            _ => None,
        }
    }
}

crate::slug_enum! {
    /// Permits and certificates a business holds.
    pub enum PermitKind: "permit_kind" {
        Nib = "nib",
        Pirt = "pirt",
        Halal = "halal",
        BpomMd = "bpom-md",
        Sni = "sni",
        Other = "lainnya",
    }
}

/// One permit or certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permit {
    pub kind: PermitKind,
    pub number: String,
    pub issued: Option<Date>,
    pub expires: Option<Date>,
}

impl Permit {
    /// A P-IRT permit, its expiry read from the number (valid to 31 December of its year).
    pub fn pirt(number: &PirtNumber) -> Self {
        let expires = Date::from_calendar_date(number.expiry_year(), time::Month::December, 31).ok();
        Self { kind: PermitKind::Pirt, number: number.display(), issued: None, expires }
    }

    /// Expired on `today`, or expiring within `days` of it: the permits to remind about.
    pub fn expires_within(&self, today: Date, days: i64) -> bool {
        self.expires.is_some_and(|e| (e - today).whole_days() <= days)
    }
}

/// One row about one business, as one source (a spreadsheet, a form, an owner) tells it.
/// Entity resolution decides which business it describes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceRecord {
    pub business_name: String,
    pub legal_form: Option<LegalForm>,
    pub owner_name: Option<String>,
    pub nik: Option<Nik>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
    pub nib: Option<Nib>,
    pub npwp: Option<Npwp>,
    pub kbli: Vec<KbliCode>,
    pub address: Option<String>,
    pub desa: Option<RegionCode>,
    pub kecamatan: Option<RegionCode>,
    pub kab_kota: Option<RegionCode>,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    pub products: Option<String>,
    pub employees: Option<u32>,
    /// The year the capital and sales figures are for.
    pub year: i32,
    pub capital: Option<i64>,
    pub sales: Option<i64>,
    pub permits: Vec<Permit>,
    pub tags: Vec<String>,
}

impl SourceRecord {
    pub fn classification(&self) -> Classification {
        Classification::of(self.capital, self.sales)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn legal_forms_as_written() {
        assert_eq!(LegalForm::parse_loose("U.D."), Some(LegalForm::Ud));
        assert_eq!(LegalForm::parse_loose("CV."), Some(LegalForm::Cv));
        assert_eq!(LegalForm::parse_loose("PT Perorangan"), Some(LegalForm::PtIndividual));
        assert_eq!(LegalForm::parse_loose("Perseorangan"), Some(LegalForm::Individual));
        assert_eq!(LegalForm::parse_loose("Koperasi Merah Putih"), Some(LegalForm::Cooperative));
        assert_eq!(LegalForm::parse_loose("  "), None);
        assert_eq!(LegalForm::parse_loose("Yayasan"), Some(LegalForm::Other));
    }

    #[test]
    fn sexes_as_written() {
        assert_eq!(Sex::parse_loose("Perempuan"), Some(Sex::Female));
        assert_eq!(Sex::parse_loose("L"), Some(Sex::Male));
        assert_eq!(Sex::parse_loose("?"), None);
    }

    #[test]
    fn pirt_permit_expires_at_year_end() {
        let p = Permit::pirt(&PirtNumber::parse("2063604010213-26").unwrap());
        assert_eq!(p.expires, Some(date!(2026 - 12 - 31)));
        assert!(p.expires_within(date!(2026 - 11 - 24), 60));
        assert!(!p.expires_within(date!(2026 - 09 - 01), 60));
        assert!(p.expires_within(date!(2027 - 02 - 01), 60), "an expired permit is reminded too");
    }
}

//! A business as a form gives it: an officer creating or correcting a business, or an owner
//! keeping their own profile current.
//!
//! The form posts text; [`BusinessForm::parse`] turns it into a [`SourceRecord`] (the same shape
//! an import row takes, so the registry treats a form like any other source) and the list of
//! fields the form carried. A field the form did not carry is left alone; a field it carried
//! empty is cleared.

use serde::Deserialize;

use super::{LegalForm, Nib, Nik, Permit, PermitKind, Phone, PirtNumber, Sex, SourceRecord, parse_rupiah};
use crate::auth::{Email, FieldError};
use crate::{KbliCode, RegionCode};

/// The longest a free-text field may be: a name, an address, a product list.
const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 2_000;

/// What a business form posts. `None`: the form did not show the field.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BusinessForm {
    pub name: Option<String>,
    pub legal_form: Option<String>,
    pub owner_name: Option<String>,
    pub nik: Option<String>,
    pub sex: Option<String>,
    pub birth_year: Option<String>,
    pub nib: Option<String>,
    pub kbli: Option<String>,
    pub address: Option<String>,
    pub desa: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub products: Option<String>,
    pub employees: Option<String>,
    /// The year the capital and sales are for.
    pub year: Option<String>,
    pub capital: Option<String>,
    pub sales: Option<String>,
}

/// A parsed form: the record, and the fields it carried (by the registry's field names:
/// `name`, `legal_form`, `owner_name`, `nik`, `sex`, `birth_year`, `nib`, `kbli`, `address`,
/// `desa`, `phone`, `email`, `products`, `employees`). The year's figures are in the record
/// when `capital` or `sales` was given.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedForm {
    pub record: SourceRecord,
    pub fields: Vec<&'static str>,
}

impl ParsedForm {
    pub fn has(&self, field: &str) -> bool {
        self.fields.contains(&field)
    }
}

/// What a form is checked against: the Pemda whose registry it writes to (a desa must lie in
/// it), and the current year (figures may not be for a year to come).
#[derive(Debug, Clone)]
pub struct FormContext {
    pub tenant: RegionCode,
    pub current_year: i32,
}

fn text(v: &str) -> Option<String> {
    let t = v.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

impl BusinessForm {
    /// Every problem at once, each naming its field, so the form comes back with all of them.
    pub fn parse(&self, ctx: &FormContext) -> Result<ParsedForm, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fields = Vec::new();
        let mut r = SourceRecord { year: ctx.current_year, ..SourceRecord::default() };
        let mut take = |field: &'static str, v: &Option<String>| -> Option<String> {
            let v = v.as_ref()?;
            fields.push(field);
            Some(v.trim().to_owned())
        };

        if let Some(v) = take("name", &self.name) {
            match text(&v) {
                None => errors.push(FieldError::new("name", "required")),
                Some(n) if n.chars().count() > MAX_NAME => errors.push(FieldError::new("name", "too-long")),
                Some(n) => r.business_name = n,
            }
        }
        if let Some(v) = take("legal_form", &self.legal_form)
            && !v.is_empty()
        {
            match v.parse::<LegalForm>() {
                Ok(f) => r.legal_form = Some(f),
                Err(_) => errors.push(FieldError::new("legal_form", "invalid-choice")),
            }
        }
        if let Some(v) = take("owner_name", &self.owner_name) {
            match text(&v) {
                Some(n) if n.chars().count() > MAX_NAME => errors.push(FieldError::new("owner_name", "too-long")),
                n => r.owner_name = n,
            }
        }
        if let Some(v) = take("nik", &self.nik)
            && !v.is_empty()
        {
            match Nik::parse(&v) {
                Ok(n) => r.nik = Some(n),
                Err(_) => errors.push(FieldError::new("nik", "invalid-nik")),
            }
        }
        if let Some(v) = take("sex", &self.sex)
            && !v.is_empty()
        {
            match Sex::parse_loose(&v) {
                Some(s) => r.sex = Some(s),
                None => errors.push(FieldError::new("sex", "invalid-choice")),
            }
        }
        if let Some(v) = take("birth_year", &self.birth_year)
            && !v.is_empty()
        {
            match v.parse::<i32>() {
                // A business owner is at least 15 and was born after 1900.
                Ok(y) if (1900..=ctx.current_year - 15).contains(&y) => r.birth_year = Some(y),
                _ => errors.push(FieldError::new("birth_year", "invalid-year")),
            }
        }
        if let Some(v) = take("nib", &self.nib)
            && !v.is_empty()
        {
            match Nib::parse(&v) {
                Ok(n) => r.nib = Some(n),
                Err(_) => errors.push(FieldError::new("nib", "invalid-nib")),
            }
        }
        if let Some(v) = take("kbli", &self.kbli)
            && !v.is_empty()
        {
            // The registry records the five-digit class a business registers under.
            match KbliCode::parse(&v) {
                Ok(k) if k.as_str().len() == 5 => r.kbli = vec![k],
                _ => errors.push(FieldError::new("kbli", "invalid-kbli")),
            }
        }
        if let Some(v) = take("address", &self.address) {
            match text(&v) {
                Some(a) if a.chars().count() > MAX_TEXT => errors.push(FieldError::new("address", "too-long")),
                a => r.address = a,
            }
        }
        if let Some(v) = take("desa", &self.desa)
            && !v.is_empty()
        {
            match RegionCode::parse(&v) {
                Ok(d) if d.parent().and_then(|k| k.parent()).as_ref() == Some(&ctx.tenant) => {
                    r.kecamatan = d.parent();
                    r.desa = Some(d);
                }
                _ => errors.push(FieldError::new("desa", "invalid-region-code")),
            }
        }
        if let Some(v) = take("phone", &self.phone)
            && !v.is_empty()
        {
            match Phone::parse(&v) {
                Ok(p) => r.phone = Some(p),
                Err(_) => errors.push(FieldError::new("phone", "invalid-phone")),
            }
        }
        if let Some(v) = take("email", &self.email)
            && !v.is_empty()
        {
            match Email::parse(&v) {
                Ok(e) => r.email = Some(e.as_str().to_owned()),
                Err(_) => errors.push(FieldError::new("email", "invalid-email")),
            }
        }
        if let Some(v) = take("products", &self.products) {
            match text(&v) {
                Some(p) if p.chars().count() > MAX_TEXT => errors.push(FieldError::new("products", "too-long")),
                p => r.products = p,
            }
        }
        if let Some(v) = take("employees", &self.employees)
            && !v.is_empty()
        {
            match v.replace('.', "").parse::<u32>() {
                Ok(n) if n <= 100_000 => r.employees = Some(n),
                _ => errors.push(FieldError::new("employees", "invalid-number")),
            }
        }
        // The year's figures are not fields of the business but a year of its history.
        if let Some(v) = self.year.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            match v.parse::<i32>() {
                Ok(y) if (2000..=ctx.current_year).contains(&y) => r.year = y,
                _ => errors.push(FieldError::new("year", "invalid-year")),
            }
        }
        for (field, value, slot) in [("capital", &self.capital, &mut r.capital), ("sales", &self.sales, &mut r.sales)] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                match parse_rupiah(v) {
                    Ok(a) => *slot = Some(a),
                    Err(_) => errors.push(FieldError::new(field, "invalid-rupiah")),
                }
            }
        }
        if errors.is_empty() { Ok(ParsedForm { record: r, fields }) } else { Err(errors) }
    }
}

/// A permit or certificate as a form posts it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PermitForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub number: String,
    /// `YYYY-MM-DD`, as a date input sends it.
    #[serde(default)]
    pub issued: String,
    #[serde(default)]
    pub expires: String,
}

impl PermitForm {
    /// A P-IRT number must be a real one (its expiry is read from it); an NIB is 13 digits;
    /// other numbers are kept as written. An expiry before the issue date is refused.
    pub fn parse(&self) -> Result<Permit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let date = |field: &'static str, v: &str, errors: &mut Vec<FieldError>| -> Option<time::Date> {
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            let format = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(v, &format).map_err(|_| errors.push(FieldError::new(field, "invalid-date"))).ok()
        };
        let kind =
            self.kind.parse::<PermitKind>().map_err(|_| errors.push(FieldError::new("kind", "invalid-choice"))).ok();
        let issued = date("issued", &self.issued, &mut errors);
        let mut expires = date("expires", &self.expires, &mut errors);
        let written = self.number.split_whitespace().collect::<Vec<_>>().join(" ");
        let number = match kind {
            _ if written.is_empty() => {
                errors.push(FieldError::new("number", "required"));
                None
            }
            _ if written.chars().count() > 60 => {
                errors.push(FieldError::new("number", "too-long"));
                None
            }
            Some(PermitKind::Pirt) => match PirtNumber::parse(&written) {
                Ok(pirt) => {
                    let from_number = Permit::pirt(&pirt);
                    expires = expires.or(from_number.expires);
                    Some(from_number.number)
                }
                Err(_) => {
                    errors.push(FieldError::new("number", "invalid-pirt"));
                    None
                }
            },
            Some(PermitKind::Nib) => match Nib::parse(&written) {
                Ok(nib) => Some(nib.as_str().to_owned()),
                Err(_) => {
                    errors.push(FieldError::new("number", "invalid-nib"));
                    None
                }
            },
            _ => Some(written),
        };
        if let (Some(i), Some(e)) = (issued, expires)
            && e < i
        {
            errors.push(FieldError::new("expires", "expires-before-issued"));
        }
        match (kind, number) {
            (Some(kind), Some(number)) if errors.is_empty() => Ok(Permit { kind, number, issued, expires }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> FormContext {
        FormContext { tenant: RegionCode::parse("36.04").unwrap(), current_year: 2026 }
    }

    fn form() -> BusinessForm {
        BusinessForm {
            name: Some("  Keripik   Emping Tanara ".into()),
            legal_form: Some("ud".into()),
            phone: Some("0812 3456 7890".into()),
            desa: Some("36.04.07.2001".into()),
            capital: Some("Rp 25.000.000".into()),
            sales: Some("150 jt".into()),
            year: Some("2026".into()),
            ..BusinessForm::default()
        }
    }

    #[test]
    fn a_good_form_becomes_a_record_and_its_fields() {
        let p = form().parse(&ctx()).unwrap();
        assert_eq!(p.record.business_name, "Keripik Emping Tanara");
        assert_eq!(p.record.legal_form, Some(LegalForm::Ud));
        assert_eq!(p.record.phone.as_ref().map(Phone::national).as_deref(), Some("081234567890"));
        assert_eq!(p.record.kecamatan.as_ref().map(RegionCode::as_str), Some("36.04.07"));
        assert_eq!((p.record.capital, p.record.sales), (Some(25_000_000), Some(150_000_000)));
        assert_eq!(p.fields, vec!["name", "legal_form", "desa", "phone"]);
        assert!(p.has("phone") && !p.has("email"));
    }

    #[test]
    fn an_emptied_field_is_carried_and_cleared() {
        let f = BusinessForm { email: Some("   ".into()), products: Some("".into()), ..BusinessForm::default() };
        let p = f.parse(&ctx()).unwrap();
        assert_eq!(p.fields, vec!["email", "products"]);
        assert_eq!((p.record.email, p.record.products), (None, None));
    }

    #[test]
    fn every_problem_names_its_field() {
        let f = BusinessForm {
            name: Some(" ".into()),
            phone: Some("12".into()),
            email: Some("bukan email".into()),
            nib: Some("123".into()),
            kbli: Some("10".into()),
            desa: Some("36.73.01.1001".into()),
            employees: Some("banyak".into()),
            year: Some("2030".into()),
            capital: Some("dua puluh".into()),
            ..BusinessForm::default()
        };
        let errors = f.parse(&ctx()).unwrap_err();
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field, e.reason)).collect();
        assert_eq!(
            got,
            vec![
                ("name", "required"),
                ("nib", "invalid-nib"),
                ("kbli", "invalid-kbli"),
                ("desa", "invalid-region-code"),
                ("phone", "invalid-phone"),
                ("email", "invalid-email"),
                ("employees", "invalid-number"),
                ("year", "invalid-year"),
                ("capital", "invalid-rupiah"),
            ]
        );
    }

    #[test]
    fn a_desa_outside_the_pemda_is_refused() {
        let f = BusinessForm { desa: Some("36.04.07".into()), ..BusinessForm::default() };
        assert_eq!(f.parse(&ctx()).unwrap_err()[0].field, "desa");
    }

    #[test]
    fn a_permit_form_reads_pirt_expiry_and_checks_dates() {
        let pirt =
            PermitForm { kind: "pirt".into(), number: "P-IRT No. 2063604010213-29".into(), ..Default::default() };
        let p = pirt.parse().unwrap();
        assert_eq!(p.kind, PermitKind::Pirt);
        assert_eq!(p.expires, Some(time::macros::date!(2029 - 12 - 31)), "the expiry comes from the number");
        let halal = PermitForm {
            kind: "halal".into(),
            number: " ID36110000123450923 ".into(),
            issued: "2025-03-01".into(),
            expires: "2024-03-01".into(),
        };
        let errs = halal.parse().unwrap_err();
        assert_eq!((errs[0].field, errs[0].reason), ("expires", "expires-before-issued"));
        let bad =
            PermitForm { kind: "pirt".into(), number: "12345".into(), issued: "1 Maret".into(), ..Default::default() };
        let errs: Vec<_> = bad.parse().unwrap_err().iter().map(|e| (e.field, e.reason)).collect();
        assert_eq!(errs, vec![("issued", "invalid-date"), ("number", "invalid-pirt")]);
        let none = PermitForm { kind: "surat".into(), ..Default::default() };
        let errs: Vec<_> = none.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(errs, vec!["kind", "number"]);
    }

    #[test]
    fn parsing_never_panics() {
        use proptest::prelude::*;
        proptest!(|(s in "\\PC{0,40}")| {
            let f = BusinessForm {
                name: Some(s.clone()), nik: Some(s.clone()), birth_year: Some(s.clone()),
                kbli: Some(s.clone()), desa: Some(s.clone()), employees: Some(s.clone()),
                capital: Some(s.clone()), year: Some(s.clone()), sex: Some(s.clone()),
                legal_form: Some(s), ..BusinessForm::default()
            };
            let _ = f.parse(&ctx());
        });
    }
}

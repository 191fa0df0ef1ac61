//! The curated catalogue: a product a business offers, the curation checklist that decides
//! whether the public catalogue and the galleries show it, and the product's status flow.
//!
//! The checklist is a pure rule over the product and the business's permits, so the owner,
//! the officer and the tests all see the same verdict; only "the photo is good enough" is a
//! judgement, which the officer gives and the rule takes as a fact.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::auth::FieldError;
use crate::umkm::{Permit, PermitKind};

crate::slug_enum! {
    /// What kind of product: a small fixed list, so that the public filter stays short.
    pub enum Category: "category" {
        Makanan = "makanan",
        Minuman = "minuman",
        Kerajinan = "kerajinan",
        Fesyen = "fesyen",
        Pertanian = "pertanian",
        Perikanan = "perikanan",
        Jasa = "jasa",
        Lainnya = "lainnya",
    }
}

impl Category {
    /// Processed food and drink: what needs a P-IRT or BPOM MD permit and a complete label
    /// (PP 28/2004 on food safety; Peraturan BPOM 22/2018 on P-IRT).
    pub fn is_processed_food(self) -> bool {
        matches!(self, Category::Makanan | Category::Minuman)
    }
}

crate::slug_enum! {
    /// Where a product stands. Only `Curated` is shown to the public.
    pub enum ProductStatus: "status" {
        Draft = "draf",
        Submitted = "diajukan",
        Curated = "dikurasi",
        Returned = "dikembalikan",
        Withdrawn = "ditarik",
    }
}

impl ProductStatus {
    /// The statuses a product may move to from this one.
    pub fn next(self) -> &'static [ProductStatus] {
        use ProductStatus::*;
        match self {
            Draft => &[Submitted, Withdrawn],
            Submitted => &[Curated, Returned, Withdrawn],
            // A curated product that turns out wrong (a permit lapsed, a complaint) goes back
            // to its owner with notes rather than vanishing.
            Curated => &[Returned, Withdrawn],
            Returned => &[Submitted, Withdrawn],
            // A withdrawn product can be brought back as a draft and submitted again.
            Withdrawn => &[Draft],
        }
    }

    /// Whether the product's fields may be edited in this status (a withdrawn product must be
    /// brought back first).
    pub fn editable(self) -> bool {
        !matches!(self, ProductStatus::Withdrawn)
    }

    /// Take a step. Curating needs a checklist with nothing failing; returning needs notes
    /// that tell the owner what to fix.
    pub fn step(self, to: ProductStatus, checklist: &[CheckResult], notes: &str) -> Result<ProductStatus, StepError> {
        if !self.next().contains(&to) {
            return Err(StepError::NotNext { from: self.slug(), to: to.slug() });
        }
        match to {
            ProductStatus::Curated => {
                let failing: Vec<CheckItem> =
                    checklist.iter().filter(|c| c.outcome == CheckOutcome::Fail).map(|c| c.item).collect();
                if !failing.is_empty() {
                    return Err(StepError::Failing(failing));
                }
            }
            ProductStatus::Returned if notes.trim().is_empty() => return Err(StepError::NotesRequired),
            _ => {}
        }
        Ok(to)
    }
}

/// Why a status step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("cannot go from {from} to {to}")]
    NotNext { from: &'static str, to: &'static str },
    /// The checklist items that do not pass.
    #[error("checklist items failing")]
    Failing(Vec<CheckItem>),
    #[error("notes required to return a product")]
    NotesRequired,
}

impl StepError {
    /// The form field and reason the edge shows.
    pub fn field_error(&self) -> FieldError {
        match self {
            StepError::NotNext { .. } => FieldError::new("status", "catalogue-not-next"),
            StepError::Failing(_) => FieldError::new("checklist", "catalogue-checklist-failing"),
            StepError::NotesRequired => FieldError::new("notes", "required"),
        }
    }
}

crate::slug_enum! {
    /// One item of the curation checklist.
    pub enum CheckItem: "check" {
        Photo = "foto",
        Label = "label",
        Permit = "izin",
        Halal = "halal",
        Price = "harga",
        Capacity = "kapasitas",
        Contact = "kontak",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckOutcome {
    Pass,
    Fail,
    /// The item does not concern this product (a label for a batik cloth, halal for a
    /// product that does not claim it).
    NotApplicable,
}

/// One item's verdict, with the stable reason a failing item gives (a translation key
/// suffix: `catalogue-why-<reason>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    pub item: CheckItem,
    pub outcome: CheckOutcome,
    pub reason: Option<&'static str>,
}

/// Every reason a failing item can give, so a stored checklist maps back onto them.
pub const REASONS: &[&str] = &[
    "no-photo",
    "photo-not-judged",
    "no-composition",
    "no-expiry",
    "no-producer-address",
    "permit-expired",
    "no-food-permit",
    "no-halal",
    "no-price",
    "no-unit",
    "no-capacity",
    "capacity-too-low",
    "no-phone",
    "not-mobile",
];

impl CheckResult {
    fn pass(item: CheckItem) -> Self {
        Self { item, outcome: CheckOutcome::Pass, reason: None }
    }
    fn na(item: CheckItem) -> Self {
        Self { item, outcome: CheckOutcome::NotApplicable, reason: None }
    }
    fn fail(item: CheckItem, reason: &'static str) -> Self {
        Self { item, outcome: CheckOutcome::Fail, reason: Some(reason) }
    }
}

/// What the label on the pack says: the items of a food label a buyer and a retailer look
/// for first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelInfo {
    pub composition: Option<String>,
    /// How long it keeps, or how the expiry date is printed ("6 bulan", "tertera di kemasan").
    pub expiry: Option<String>,
    pub producer_address: Option<String>,
}

/// A product as the checklist sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductFacts {
    pub category: Category,
    pub price: Option<i64>,
    pub unit: String,
    pub capacity_per_month: Option<i64>,
    pub photos: usize,
    /// The officer judged the photos clear and true to the product.
    pub photo_ok: bool,
    pub label: LabelInfo,
    pub claims_halal: bool,
}

/// The fixed minimum monthly capacity a product must state to be shown: a buyer who finds a
/// product in the catalogue must be able to order more than a handful.
pub const MIN_CAPACITY_PER_MONTH: i64 = 20;

/// Whether a permit of `kind` among `permits` is valid on `today` (no expiry counts as valid:
/// NIB and halal certificates under UU 6/2023 need not expire).
pub fn holds(permits: &[Permit], kind: PermitKind, today: Date) -> bool {
    permits.iter().any(|p| p.kind == kind && p.expires.is_none_or(|e| e >= today))
}

/// The whole checklist, in a fixed order: which items pass, fail or do not apply.
///
/// `phone` is the business's phone as the registry holds it; a buyer must be able to reach
/// the seller, and in practice that is WhatsApp, so a mobile number is wanted.
pub fn checklist(
    product: &ProductFacts,
    permits: &[Permit],
    phone: Option<&crate::umkm::Phone>,
    today: Date,
    min_capacity: i64,
) -> Vec<CheckResult> {
    let food = product.category.is_processed_food();
    let filled = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let mut out = Vec::with_capacity(CheckItem::ALL.len());

    out.push(if product.photos == 0 {
        CheckResult::fail(CheckItem::Photo, "no-photo")
    } else if !product.photo_ok {
        CheckResult::fail(CheckItem::Photo, "photo-not-judged")
    } else {
        CheckResult::pass(CheckItem::Photo)
    });

    out.push(if !food {
        CheckResult::na(CheckItem::Label)
    } else if !filled(&product.label.composition) {
        CheckResult::fail(CheckItem::Label, "no-composition")
    } else if !filled(&product.label.expiry) {
        CheckResult::fail(CheckItem::Label, "no-expiry")
    } else if !filled(&product.label.producer_address) {
        CheckResult::fail(CheckItem::Label, "no-producer-address")
    } else {
        CheckResult::pass(CheckItem::Label)
    });

    out.push(if !food {
        CheckResult::na(CheckItem::Permit)
    } else if holds(permits, PermitKind::Pirt, today) || holds(permits, PermitKind::BpomMd, today) {
        CheckResult::pass(CheckItem::Permit)
    } else if permits.iter().any(|p| matches!(p.kind, PermitKind::Pirt | PermitKind::BpomMd)) {
        CheckResult::fail(CheckItem::Permit, "permit-expired")
    } else {
        CheckResult::fail(CheckItem::Permit, "no-food-permit")
    });

    out.push(if !product.claims_halal {
        CheckResult::na(CheckItem::Halal)
    } else if holds(permits, PermitKind::Halal, today) {
        CheckResult::pass(CheckItem::Halal)
    } else {
        CheckResult::fail(CheckItem::Halal, "no-halal")
    });

    out.push(if product.price.is_none_or(|p| p <= 0) {
        CheckResult::fail(CheckItem::Price, "no-price")
    } else if product.unit.trim().is_empty() {
        CheckResult::fail(CheckItem::Price, "no-unit")
    } else {
        CheckResult::pass(CheckItem::Price)
    });

    out.push(match product.capacity_per_month {
        None => CheckResult::fail(CheckItem::Capacity, "no-capacity"),
        Some(c) if c < min_capacity => CheckResult::fail(CheckItem::Capacity, "capacity-too-low"),
        Some(_) => CheckResult::pass(CheckItem::Capacity),
    });

    out.push(match phone {
        None => CheckResult::fail(CheckItem::Contact, "no-phone"),
        Some(p) if !p.is_mobile() => CheckResult::fail(CheckItem::Contact, "not-mobile"),
        Some(_) => CheckResult::pass(CheckItem::Contact),
    });
    out
}

/// The badges a public card shows: the permits valid today that a buyer looks for, in a
/// fixed order.
pub fn permit_badges(permits: &[Permit], today: Date) -> Vec<PermitKind> {
    [PermitKind::Pirt, PermitKind::BpomMd, PermitKind::Halal, PermitKind::Sni, PermitKind::Nib]
        .into_iter()
        .filter(|k| holds(permits, *k, today))
        .collect()
}

/// A WhatsApp link to a mobile number (`https://wa.me/6281234567890`), with a first message
/// naming the product so the seller knows where the buyer came from.
pub fn whatsapp_link(phone: &crate::umkm::Phone, message: &str) -> Option<String> {
    if !phone.is_mobile() {
        return None;
    }
    let digits = phone.e164().trim_start_matches('+').to_owned();
    let text: String = message
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    Some(format!("https://wa.me/{digits}?text={text}"))
}

/// The search key of a text: lower case, letters and digits only, words separated by one
/// space, so that "Keripik  Emping-Melinjo" is found by "emping melinjo".
pub fn search_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A product as its owner or an officer describes it; parsed from [`ProductForm`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInput {
    pub name: String,
    pub category: Category,
    pub description: Option<String>,
    /// Whole rupiah per `unit`.
    pub price: Option<i64>,
    pub unit: String,
    pub capacity_per_month: Option<i64>,
    pub packaging: Option<String>,
    pub label: LabelInfo,
    pub claims_halal: bool,
    /// Show the business phone as a WhatsApp link on the public catalogue.
    pub show_contact: bool,
}

/// A product form as the browser sends it: every field a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ProductForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub capacity_per_month: String,
    #[serde(default)]
    pub packaging: String,
    #[serde(default)]
    pub composition: String,
    #[serde(default)]
    pub expiry: String,
    #[serde(default)]
    pub producer_address: String,
    #[serde(default)]
    pub claims_halal: Option<String>,
    #[serde(default)]
    pub show_contact: Option<String>,
}

/// The largest price per unit taken (Rp 1 miliar): more is a typo, not an UMKM product.
pub const MAX_PRICE: i64 = 1_000_000_000;
/// The largest monthly capacity taken: ten million units is beyond any UMKM.
pub const MAX_CAPACITY: i64 = 10_000_000;

impl ProductForm {
    /// Every problem at once, each naming its field.
    pub fn parse(&self) -> Result<ProductInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = |v: &str| {
            let t = v.split_whitespace().collect::<Vec<_>>().join(" ");
            (!t.is_empty()).then_some(t)
        };
        let mut bounded = |field: &'static str, v: &str, max: usize, required: bool| -> Option<String> {
            match text(v) {
                None if required => {
                    errors.push(FieldError::new(field, "required"));
                    None
                }
                Some(t) if t.chars().count() > max => {
                    errors.push(FieldError::new(field, "too-long"));
                    None
                }
                t => t,
            }
        };
        let name = bounded("name", &self.name, 120, true);
        let unit = bounded("unit", &self.unit, 40, true);
        let packaging = bounded("packaging", &self.packaging, 200, false);
        let composition = bounded("composition", &self.composition, 500, false);
        let expiry = bounded("expiry", &self.expiry, 120, false);
        let producer_address = bounded("producer_address", &self.producer_address, 300, false);
        // The description keeps its line breaks; only its ends are trimmed.
        let description = Some(self.description.trim().to_owned()).filter(|d| !d.is_empty());
        if description.as_ref().is_some_and(|d| d.chars().count() > 2000) {
            errors.push(FieldError::new("description", "too-long"));
        }
        let category = match self.category.trim().parse::<Category>() {
            Ok(c) => Some(c),
            Err(_) => {
                errors.push(FieldError::new("category", "invalid-choice"));
                None
            }
        };
        let price = match self.price.trim() {
            "" => None,
            p => match crate::umkm::parse_rupiah(p) {
                Ok(v) if v > MAX_PRICE => {
                    errors.push(FieldError::new("price", "catalogue-price-too-large"));
                    None
                }
                Ok(v) => Some(v),
                Err(_) => {
                    errors.push(FieldError::new("price", "catalogue-price-invalid"));
                    None
                }
            },
        };
        let capacity_per_month = match self.capacity_per_month.trim() {
            "" => None,
            c => match c.replace(['.', ' '], "").parse::<i64>() {
                Ok(v) if (0..=MAX_CAPACITY).contains(&v) => Some(v),
                _ => {
                    errors.push(FieldError::new("capacity_per_month", "catalogue-capacity-invalid"));
                    None
                }
            },
        };
        let (Some(name), Some(unit), Some(category)) = (name, unit, category) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ProductInput {
            name,
            category,
            description,
            price,
            unit,
            capacity_per_month,
            packaging,
            label: LabelInfo { composition, expiry, producer_address },
            claims_halal: self.claims_halal.is_some(),
            show_contact: self.show_contact.is_some(),
        })
    }

    /// The form filled with a stored product, to edit it.
    pub fn of(p: &ProductInput) -> Self {
        ProductForm {
            name: p.name.clone(),
            category: p.category.slug().to_owned(),
            description: p.description.clone().unwrap_or_default(),
            price: p.price.map(|v| v.to_string()).unwrap_or_default(),
            unit: p.unit.clone(),
            capacity_per_month: p.capacity_per_month.map(|v| v.to_string()).unwrap_or_default(),
            packaging: p.packaging.clone().unwrap_or_default(),
            composition: p.label.composition.clone().unwrap_or_default(),
            expiry: p.label.expiry.clone().unwrap_or_default(),
            producer_address: p.label.producer_address.clone().unwrap_or_default(),
            claims_halal: p.claims_halal.then(|| "on".to_owned()),
            show_contact: p.show_contact.then(|| "on".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::umkm::Phone;

    fn emping() -> ProductFacts {
        ProductFacts {
            category: Category::Makanan,
            price: Some(25_000),
            unit: "bungkus 250 g".into(),
            capacity_per_month: Some(300),
            photos: 1,
            photo_ok: true,
            label: LabelInfo {
                composition: Some("melinjo, garam".into()),
                expiry: Some("6 bulan".into()),
                producer_address: Some("Desa Tanara, Kec. Tanara, Kab. Serang".into()),
            },
            claims_halal: true,
        }
    }

    fn permit(kind: PermitKind, expires: Option<Date>) -> Permit {
        Permit { kind, number: "x".into(), issued: None, expires }
    }

    fn failing(results: &[CheckResult]) -> Vec<(CheckItem, &'static str)> {
        results.iter().filter(|r| r.outcome == CheckOutcome::Fail).map(|r| (r.item, r.reason.unwrap_or(""))).collect()
    }

    const TODAY: Date = date!(2025 - 12 - 17);

    #[test]
    fn a_complete_food_product_passes_every_item() {
        let phone = Phone::parse("0812-3456-7890").ok();
        let permits = [permit(PermitKind::Pirt, Some(date!(2029 - 12 - 31))), permit(PermitKind::Halal, None)];
        let r = checklist(&emping(), &permits, phone.as_ref(), TODAY, MIN_CAPACITY_PER_MONTH);
        assert_eq!(failing(&r), vec![]);
        assert_eq!(r.len(), CheckItem::ALL.len());
        assert_eq!(ProductStatus::Submitted.step(ProductStatus::Curated, &r, ""), Ok(ProductStatus::Curated));
    }

    #[test]
    fn processed_food_needs_a_valid_pirt_or_bpom_md() {
        let phone = Phone::parse("081234567890").ok();
        let halal = permit(PermitKind::Halal, None);
        let r = checklist(&emping(), std::slice::from_ref(&halal), phone.as_ref(), TODAY, 20);
        assert_eq!(failing(&r), vec![(CheckItem::Permit, "no-food-permit")]);
        let expired = [permit(PermitKind::Pirt, Some(date!(2024 - 12 - 31))), halal.clone()];
        let r = checklist(&emping(), &expired, phone.as_ref(), TODAY, 20);
        assert_eq!(failing(&r), vec![(CheckItem::Permit, "permit-expired")]);
        let bpom = [permit(PermitKind::BpomMd, Some(date!(2030 - 1 - 1))), halal];
        assert_eq!(failing(&checklist(&emping(), &bpom, phone.as_ref(), TODAY, 20)), vec![]);
        // The refused step names what fails.
        let r = checklist(&emping(), &[], phone.as_ref(), TODAY, 20);
        assert_eq!(
            ProductStatus::Submitted.step(ProductStatus::Curated, &r, ""),
            Err(StepError::Failing(vec![CheckItem::Permit, CheckItem::Halal]))
        );
    }

    #[test]
    fn crafts_need_no_food_label_or_permit_and_halal_only_when_claimed() {
        let batik = ProductFacts {
            category: Category::Fesyen,
            label: LabelInfo::default(),
            claims_halal: false,
            unit: "lembar".into(),
            ..emping()
        };
        let phone = Phone::parse("0813 1111 2222").ok();
        let r = checklist(&batik, &[], phone.as_ref(), TODAY, 20);
        assert_eq!(failing(&r), vec![]);
        let na: Vec<CheckItem> =
            r.iter().filter(|c| c.outcome == CheckOutcome::NotApplicable).map(|c| c.item).collect();
        assert_eq!(na, vec![CheckItem::Label, CheckItem::Permit, CheckItem::Halal]);
    }

    #[test]
    fn each_missing_fact_fails_its_own_item() {
        let landline = Phone::parse("(0254) 200123").ok();
        let mut p = emping();
        p.photo_ok = false;
        p.label.expiry = None;
        p.price = Some(0);
        p.capacity_per_month = Some(5);
        p.claims_halal = false;
        let permits = [permit(PermitKind::Pirt, None)];
        let r = checklist(&p, &permits, landline.as_ref(), TODAY, 20);
        assert_eq!(
            failing(&r),
            vec![
                (CheckItem::Photo, "photo-not-judged"),
                (CheckItem::Label, "no-expiry"),
                (CheckItem::Price, "no-price"),
                (CheckItem::Capacity, "capacity-too-low"),
                (CheckItem::Contact, "not-mobile"),
            ]
        );
        p.photos = 0;
        p.capacity_per_month = None;
        let r = checklist(&p, &permits, None, TODAY, 20);
        assert!(failing(&r).contains(&(CheckItem::Photo, "no-photo")));
        assert!(failing(&r).contains(&(CheckItem::Capacity, "no-capacity")));
        assert!(failing(&r).contains(&(CheckItem::Contact, "no-phone")));
    }

    #[test]
    fn the_status_flow() {
        use ProductStatus::*;
        assert_eq!(Draft.step(Submitted, &[], ""), Ok(Submitted));
        assert_eq!(Draft.step(Curated, &[], ""), Err(StepError::NotNext { from: "draf", to: "dikurasi" }));
        assert_eq!(Submitted.step(Returned, &[], "  "), Err(StepError::NotesRequired));
        assert_eq!(Submitted.step(Returned, &[], "Foto buram"), Ok(Returned));
        assert_eq!(Returned.step(Submitted, &[], ""), Ok(Submitted));
        assert_eq!(Curated.step(Withdrawn, &[], ""), Ok(Withdrawn));
        assert_eq!(Withdrawn.step(Draft, &[], ""), Ok(Draft));
        assert!(Withdrawn.step(Submitted, &[], "").is_err());
        assert!(!Withdrawn.editable() && Curated.editable());
    }

    #[test]
    fn badges_and_links() {
        let permits = [
            permit(PermitKind::Halal, None),
            permit(PermitKind::Pirt, Some(date!(2020 - 12 - 31))),
            permit(PermitKind::Nib, None),
        ];
        assert_eq!(permit_badges(&permits, TODAY), vec![PermitKind::Halal, PermitKind::Nib]);
        let mobile = Phone::parse("0812-3456-7890").expect("phone");
        assert_eq!(
            whatsapp_link(&mobile, "Emping 1 kg?").as_deref(),
            Some("https://wa.me/6281234567890?text=Emping%201%20kg%3F")
        );
        let landline = Phone::parse("0254 200123").expect("phone");
        assert_eq!(whatsapp_link(&landline, "x"), None);
        assert_eq!(search_key("  Keripik  Emping-Melinjo!"), "keripik emping melinjo");
    }

    #[test]
    fn the_form_names_every_bad_field() {
        let bad = ProductForm {
            name: " ".into(),
            category: "senjata".into(),
            price: "dua puluh".into(),
            capacity_per_month: "-3".into(),
            unit: "x".repeat(41),
            ..ProductForm::default()
        };
        let fields: Vec<&str> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "unit", "category", "price", "capacity_per_month"]);
        let good = ProductForm {
            name: "Emping  melinjo".into(),
            category: "makanan".into(),
            price: "Rp 25.000".into(),
            unit: "bungkus".into(),
            capacity_per_month: "1.000".into(),
            claims_halal: Some("on".into()),
            ..ProductForm::default()
        };
        let p = good.parse().expect("valid");
        assert_eq!(
            (p.name.as_str(), p.price, p.capacity_per_month, p.claims_halal),
            ("Emping melinjo", Some(25_000), Some(1000), true)
        );
        assert_eq!(ProductForm::of(&p).parse(), Ok(p));
    }
}

//! Buyers' demand matched to local suppliers (issue 7): what a buyer needs, parsed from its form
//! with an error per field; the suppliers' offers; and the deal, whose value is what the region
//! keeps when a local business supplies instead of one from elsewhere.
//!
//! A demand is `open` until its first offer, then `offered`; the buyer accepts one offer
//! (`deal`), or closes it, or it expires at its deadline. Those three are final.

use serde::Serialize;
use time::Date;

use crate::auth::FieldError;
use crate::market::catalogue::Category;
use crate::umkm::PermitKind;
use crate::{KbliCode, RegionCode, RegionLevel};

crate::slug_enum! {
    /// Where a demand stands.
    pub enum DemandStatus: "status" {
        Open = "terbuka",
        Offered = "ada-penawaran",
        Deal = "sepakat",
        Closed = "ditutup",
        Expired = "kedaluwarsa",
    }
}

impl DemandStatus {
    /// The statuses a demand may move to from this one.
    pub fn next(self) -> &'static [DemandStatus] {
        use DemandStatus::*;
        match self {
            Open => &[Offered, Closed, Expired],
            Offered => &[Deal, Closed, Expired],
            Deal | Closed | Expired => &[],
        }
    }

    /// The step to `to`, or `status`/`not-next` when the demand cannot take it.
    pub fn step(self, to: DemandStatus) -> Result<DemandStatus, FieldError> {
        if self.next().contains(&to) { Ok(to) } else { Err(FieldError::new("status", "not-next")) }
    }

    /// Whether suppliers may still offer.
    pub fn takes_offers(self) -> bool {
        matches!(self, DemandStatus::Open | DemandStatus::Offered)
    }
}

crate::slug_enum! {
    /// How often the buyer needs the quantity.
    pub enum Frequency: "frequency" {
        Once = "sekali",
        Daily = "harian",
        Weekly = "mingguan",
        Monthly = "bulanan",
    }
}

crate::slug_enum! {
    /// What kind of buyer posts a demand: how the value captured locally is broken down.
    pub enum BuyerKind: "buyer_kind" {
        Industry = "industri",
        Kitchen = "sppg",
        Retailer = "ritel",
        Cooperative = "koperasi",
        Hotel = "hotel",
        Other = "lainnya",
    }
}

crate::slug_enum! {
    /// Where an offer stands.
    pub enum OfferStatus: "offer_status" {
        Submitted = "diajukan",
        Accepted = "diterima",
        NotChosen = "tidak-dipilih",
    }
}

/// The largest quantity or price a form accepts: well beyond any real demand, far below
/// overflow when multiplied.
const MAX_NUMBER: i64 = 1_000_000_000_000;

/// A demand as typed into the form (every field a string, as the browser sends it).
#[derive(Debug, Clone, Default)]
pub struct DemandForm {
    pub buyer_kind: String,
    pub title: String,
    pub category: String,
    pub kbli: String,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub frequency: String,
    pub region: String,
    /// Permit slugs, one per checked box.
    pub permits: Vec<String>,
    pub price_min: String,
    pub price_max: String,
    pub deadline: String,
}

/// A parsed demand: every value valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemandDraft {
    pub buyer_kind: BuyerKind,
    pub title: String,
    pub category: Option<Category>,
    pub kbli: Option<KbliCode>,
    pub description: String,
    pub quantity: i64,
    pub unit: String,
    pub frequency: Frequency,
    /// The delivery location, from kabupaten/kota down to desa.
    pub region: RegionCode,
    pub permits: Vec<PermitKind>,
    /// Price per unit, whole rupiah.
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub deadline: Date,
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text(s: &str, field: &'static str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let t = squash(s);
    if t.is_empty() {
        errors.push(FieldError::new(field, "required"));
    } else if t.chars().count() > max {
        errors.push(FieldError::new(field, "too-long"));
    }
    t
}

/// Whole rupiah or a count typed with thousands dots ("1.500.000") or none.
pub fn parse_whole(s: &str, field: &'static str) -> Result<Option<i64>, FieldError> {
    let digits: String = s.trim().trim_start_matches("Rp").trim().chars().filter(|c| *c != '.' && *c != ' ').collect();
    if digits.is_empty() {
        return Ok(None);
    }
    match digits.parse::<i64>() {
        Ok(n) if n > 0 && n <= MAX_NUMBER => Ok(Some(n)),
        _ => Err(FieldError::new(field, "invalid-amount")),
    }
}

fn parse_date(s: &str, field: &'static str) -> Result<Option<Date>, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Date::parse(s, &time::format_description::well_known::Iso8601::DATE)
        .map(Some)
        .map_err(|_| FieldError::new(field, "invalid-date"))
}

impl DemandForm {
    /// Every field checked; all the errors at once, each naming its field. `today` bounds the
    /// deadline (a demand due yesterday cannot be met).
    pub fn parse(&self, today: Date) -> Result<DemandDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let buyer_kind = self.buyer_kind.parse::<BuyerKind>().map_err(|e| errors.push(e)).ok();
        let title = text(&self.title, "title", 160, &mut errors);
        let description = text(&self.description, "description", 2000, &mut errors);
        let category = match self.category.trim() {
            "" => None,
            c => c.parse::<Category>().map_err(|e| errors.push(e)).ok(),
        };
        let kbli = match self.kbli.trim() {
            "" => None,
            k => KbliCode::parse(k).map_err(|_| errors.push(FieldError::new("kbli", "invalid-kbli"))).ok(),
        };
        if category.is_none() && kbli.is_none() && !errors.iter().any(|e| e.field == "category" || e.field == "kbli") {
            errors.push(FieldError::new("category", "category-or-kbli"));
        }
        let quantity = match parse_whole(&self.quantity, "quantity") {
            Ok(Some(q)) => Some(q),
            Ok(None) => {
                errors.push(FieldError::new("quantity", "required"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let unit = text(&self.unit, "unit", 30, &mut errors);
        let frequency = self.frequency.parse::<Frequency>().map_err(|e| errors.push(e)).ok();
        let region = match RegionCode::parse(&self.region) {
            Ok(r) if r.level() >= RegionLevel::Regency => Some(r),
            _ => {
                errors.push(FieldError::new("region", "invalid-region"));
                None
            }
        };
        let mut permits = Vec::new();
        for p in &self.permits {
            match p.parse::<PermitKind>() {
                Ok(k) if !permits.contains(&k) => permits.push(k),
                Ok(_) => {}
                Err(_) => errors.push(FieldError::new("permits", "invalid-choice")),
            }
        }
        let price_min = parse_whole(&self.price_min, "price_min").map_err(|e| errors.push(e)).ok().flatten();
        let price_max = parse_whole(&self.price_max, "price_max").map_err(|e| errors.push(e)).ok().flatten();
        if let (Some(lo), Some(hi)) = (price_min, price_max)
            && lo > hi
        {
            errors.push(FieldError::new("price_max", "below-minimum"));
        }
        let deadline = match parse_date(&self.deadline, "deadline") {
            Ok(Some(d)) if d < today => {
                errors.push(FieldError::new("deadline", "date-in-past"));
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(FieldError::new("deadline", "required"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        match (buyer_kind, quantity, frequency, region, deadline) {
            (Some(buyer_kind), Some(quantity), Some(frequency), Some(region), Some(deadline)) if errors.is_empty() => {
                Ok(DemandDraft {
                    buyer_kind,
                    title,
                    category,
                    kbli,
                    description,
                    quantity,
                    unit,
                    frequency,
                    region,
                    permits,
                    price_min,
                    price_max,
                    deadline,
                })
            }
            _ => Err(errors),
        }
    }
}

/// An offer as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct OfferForm {
    pub price: String,
    pub quantity: String,
    pub delivery_on: String,
    pub note: String,
}

/// A parsed offer: a price per unit for a quantity, delivered on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfferDraft {
    pub price: i64,
    pub quantity: i64,
    pub delivery_on: Date,
    pub note: Option<String>,
}

impl OfferDraft {
    /// What the deal is worth if this offer is accepted: price per unit times quantity.
    pub fn value(&self) -> i64 {
        deal_value(self.price, self.quantity)
    }
}

/// Price per unit times quantity, saturating rather than overflowing.
pub fn deal_value(price: i64, quantity: i64) -> i64 {
    price.saturating_mul(quantity)
}

impl OfferForm {
    /// Every field checked against the demand: a quantity no larger than asked, delivery no
    /// later than the deadline and not before today.
    pub fn parse(&self, demand_quantity: i64, deadline: Date, today: Date) -> Result<OfferDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let required = |r: Result<Option<i64>, FieldError>, field, errors: &mut Vec<FieldError>| match r {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                errors.push(FieldError::new(field, "required"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let price = required(parse_whole(&self.price, "price"), "price", &mut errors);
        let quantity = required(parse_whole(&self.quantity, "quantity"), "quantity", &mut errors);
        if quantity.is_some_and(|q| q > demand_quantity) {
            errors.push(FieldError::new("quantity", "above-demand"));
        }
        let delivery_on = match parse_date(&self.delivery_on, "delivery_on") {
            Ok(Some(d)) if d < today => {
                errors.push(FieldError::new("delivery_on", "date-in-past"));
                None
            }
            Ok(Some(d)) if d > deadline => {
                errors.push(FieldError::new("delivery_on", "after-deadline"));
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(FieldError::new("delivery_on", "required"));
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let note = squash(&self.note);
        if note.chars().count() > 1000 {
            errors.push(FieldError::new("note", "too-long"));
        }
        match (price, quantity, delivery_on) {
            (Some(price), Some(quantity), Some(delivery_on)) if errors.is_empty() => {
                Ok(OfferDraft { price, quantity, delivery_on, note: Some(note).filter(|n| !n.is_empty()) })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn form() -> DemandForm {
        DemandForm {
            buyer_kind: "sppg".into(),
            title: "Telur ayam ras".into(),
            category: "pertanian".into(),
            kbli: "01462".into(),
            description: "Telur ayam ras segar untuk 3.000 porsi".into(),
            quantity: "1.200".into(),
            unit: "kg".into(),
            frequency: "mingguan".into(),
            region: "36.04.15.2001".into(),
            permits: vec!["nib".into()],
            price_min: "26.000".into(),
            price_max: "Rp 29.000".into(),
            deadline: "2026-12-31".into(),
        }
    }

    #[test]
    fn a_good_form_parses() {
        let d = form().parse(date!(2026 - 11 - 24)).unwrap();
        assert_eq!(d.quantity, 1_200);
        assert_eq!(d.price_max, Some(29_000));
        assert_eq!(d.kbli.unwrap().as_str(), "01462");
        assert_eq!(d.permits, vec![PermitKind::Nib]);
        assert_eq!(d.buyer_kind, BuyerKind::Kitchen);
    }

    #[test]
    fn every_bad_field_is_named() {
        let f = DemandForm {
            buyer_kind: "x".into(),
            category: String::new(),
            kbli: String::new(),
            quantity: "-3".into(),
            region: "36".into(),
            price_min: "50".into(),
            price_max: "10".into(),
            deadline: "2020-01-01".into(),
            permits: vec!["visa".into()],
            ..form()
        };
        let errs = f.parse(date!(2026 - 11 - 24)).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field, e.reason)).collect();
        for want in [
            ("buyer_kind", "invalid-choice"),
            ("category", "category-or-kbli"),
            ("quantity", "invalid-amount"),
            ("region", "invalid-region"),
            ("price_max", "below-minimum"),
            ("deadline", "date-in-past"),
            ("permits", "invalid-choice"),
        ] {
            assert!(fields.contains(&want), "{want:?} missing from {fields:?}");
        }
    }

    #[test]
    fn states_refuse_illegal_steps() {
        use DemandStatus::*;
        assert_eq!(Open.step(Offered), Ok(Offered));
        assert_eq!(Open.step(Deal).unwrap_err().reason, "not-next");
        assert_eq!(Offered.step(Deal), Ok(Deal));
        for end in [Deal, Closed, Expired] {
            assert!(end.next().is_empty());
            assert!(!end.takes_offers());
            assert!(end.step(Open).is_err());
        }
    }

    #[test]
    fn offers_stay_within_the_demand() {
        let ok = OfferForm {
            price: "27.500".into(),
            quantity: "1000".into(),
            delivery_on: "2026-12-01".into(),
            ..Default::default()
        };
        let o = ok.parse(1_200, date!(2026 - 12 - 31), date!(2026 - 11 - 24)).unwrap();
        assert_eq!(o.value(), 27_500_000);
        let bad = OfferForm { quantity: "5000".into(), delivery_on: "2027-01-05".into(), price: String::new(), ..ok };
        let errs = bad.parse(1_200, date!(2026 - 12 - 31), date!(2026 - 11 - 24)).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field, e.reason)).collect();
        assert!(fields.contains(&("quantity", "above-demand")));
        assert!(fields.contains(&("delivery_on", "after-deadline")));
        assert!(fields.contains(&("price", "required")));
        assert_eq!(deal_value(i64::MAX, 2), i64::MAX);
    }
}

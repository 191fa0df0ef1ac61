//! Matching quality on the judged set in `tests/data/demands.toml`: each demand ranked by the
//! supply engine, precision@5 and nDCG@10 (binary relevance) against the judgments, averaged
//! over the demands and held above a threshold. The numbers are in `bench/matching.md`.

use serde::Deserialize;
use sinergi_domain::umkm::PermitKind;
use sinergi_domain::{BusinessId, KbliCode, RegionCode};
use sinergi_engines::supply::{DemandQuery, HeldPermit, SupplierFacts, SupplierRef, SupplyIndex};
use time::Date;
use time::macros::date;

/// Permits must be valid on this day (the demands' deadline).
const ON: Date = date!(2026 - 12 - 31);
const MIN_PRECISION_AT_5: f64 = 0.80;
const MIN_NDCG_AT_10: f64 = 0.90;

#[derive(Deserialize)]
struct Set {
    supplier: Vec<Supplier>,
    demand: Vec<Demand>,
}

#[derive(Deserialize)]
struct Supplier {
    id: u128,
    name: String,
    desa: String,
    kbli: Vec<String>,
    text: String,
    permits: Vec<String>,
    capacity: Option<i64>,
}

#[derive(Deserialize)]
struct Demand {
    label: String,
    kbli: Option<String>,
    category: Option<String>,
    text: String,
    region: String,
    #[serde(default)]
    permits: Vec<String>,
    monthly: i64,
    relevant: Vec<u128>,
}

fn permit(s: &str) -> HeldPermit {
    let (kind, until) = s.split_once(':').map_or((s, None), |(k, u)| (k, Some(u)));
    HeldPermit {
        kind: kind.parse::<PermitKind>().expect("permit kind"),
        expires: until.map(|u| Date::parse(u, &time::format_description::well_known::Iso8601::DATE).expect("date")),
    }
}

fn id(n: u128) -> SupplierRef {
    SupplierRef::Business(BusinessId::from_uuid(uuid::Uuid::from_u128(n)))
}

/// (precision@5, nDCG@10) of one ranking.
fn scores(ranked: &[SupplierRef], relevant: &[SupplierRef]) -> (f64, f64) {
    let hits5 = ranked.iter().take(5).filter(|s| relevant.contains(s)).count();
    // A demand with fewer than five relevant suppliers is judged on what it could get.
    let p5 = hits5 as f64 / relevant.len().min(5) as f64;
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .filter(|(_, s)| relevant.contains(s))
        .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
        .sum();
    let ideal: f64 = (0..relevant.len().min(10)).map(|i| 1.0 / (i as f64 + 2.0).log2()).sum();
    (p5, dcg / ideal)
}

#[test]
fn the_judged_demands_find_their_suppliers() {
    let set: Set = toml::from_str(include_str!("data/demands.toml")).expect("judged set");
    let index = SupplyIndex::build(set.supplier.iter().map(|s| SupplierFacts {
        id: id(s.id),
        name: s.name.clone(),
        active: true,
        region: RegionCode::parse(&s.desa).ok(),
        kbli: s.kbli.iter().map(|k| KbliCode::parse(k).expect("kbli")).collect(),
        categories: Vec::new(),
        text: s.text.clone(),
        permits: s.permits.iter().map(|p| permit(p)).collect(),
        capacity_per_month: s.capacity,
        curated_products: 0,
        channels: 0,
        past_deals: 0,
    }));
    let (mut p5_sum, mut ndcg_sum) = (0.0, 0.0);
    for d in &set.demand {
        let query = DemandQuery {
            kbli: d.kbli.as_deref().map(|k| KbliCode::parse(k).expect("kbli")),
            category: d.category.as_deref().map(|c| c.parse().expect("category")),
            text: d.text.clone(),
            region: RegionCode::parse(&d.region).ok(),
            permits: d.permits.iter().map(|p| p.parse().expect("permit")).collect(),
            monthly_quantity: Some(d.monthly),
            on: ON,
        };
        let ranked: Vec<SupplierRef> = index.top(&query, 10).into_iter().map(|m| m.supplier).collect();
        let relevant: Vec<SupplierRef> = d.relevant.iter().map(|n| id(*n)).collect();
        let (p5, ndcg) = scores(&ranked, &relevant);
        println!("{:<60} P@5 {p5:.2}  nDCG@10 {ndcg:.2}", d.label);
        p5_sum += p5;
        ndcg_sum += ndcg;
    }
    let n = set.demand.len() as f64;
    let (p5, ndcg) = (p5_sum / n, ndcg_sum / n);
    println!("mean over {} demands: P@5 {p5:.3}  nDCG@10 {ndcg:.3}", set.demand.len());
    assert!(p5 >= MIN_PRECISION_AT_5, "precision@5 {p5:.3} below {MIN_PRECISION_AT_5}");
    assert!(ndcg >= MIN_NDCG_AT_10, "nDCG@10 {ndcg:.3} below {MIN_NDCG_AT_10}");
}

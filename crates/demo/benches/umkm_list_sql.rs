//! The registry list as SQL (`Store::umkm_businesses`: a COUNT and a page ordered by name) on
//! SQLite at `REGISTRY_N` businesses (default 1,000,000), for comparison with the in-memory
//! engine (`sinergi-engines`' `registry_search` bench), and the fetch of one page's 50 rows by
//! id, which is what the list costs in SQL once the engine picks the ids.
//!
//! `cargo bench -p sinergi-demo --bench umkm_list_sql`

use std::time::{Duration, Instant};

use sinergi_demo::{DemoOptions, load_with};
use sinergi_domain::umkm::SizeClass;
use sinergi_domain::{Actor, KbliCode, RegionCode, Role, Scope};
use sinergi_store::testing::TestDatabase;
use sinergi_store::umkm::BusinessFilter;

fn summary(times: &mut [Duration]) -> (f64, f64) {
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(times[times.len() / 2]), ms(times[(times.len() * 99 / 100).min(times.len() - 1)]))
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("REGISTRY_N").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let runs: usize = std::env::var("RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(11);
    let db = TestDatabase::sqlite().await;
    let store = &db.store;
    // The demo's tenants, with a small registry; then the bulk of it seeded.
    let report = load_with(store, DemoOptions { umkm_generated: 100 }).await.expect("demo");
    let tenant = RegionCode::parse("36.04").expect("code");
    let system = Actor::system("bench");
    let start = Instant::now();
    let mut seeds = sinergi_demo::umkm::seeds(&tenant, n).expect("seeds");
    println!("generated {n} seeds in {:.1} s", start.elapsed().as_secs_f64());
    let start = Instant::now();
    while !seeds.is_empty() {
        let chunk = seeds.split_off(seeds.len().saturating_sub(50_000));
        store.seed_umkm_businesses(&system, &tenant, chunk).await.expect("seed");
    }
    println!(
        "seeded {n} businesses (plus the demo's {}) in {:.1} s",
        report.umkm_businesses_created,
        start.elapsed().as_secs_f64()
    );
    let officer = Actor { role: Role::UmkmOfficer, scope: Scope::Tenant(tenant.clone()), ..Actor::system("bench") };
    let sample = store.umkm_businesses(&officer, &tenant, &BusinessFilter::default(), 500, 1).await.expect("sample");
    let sample = sample.rows.first().cloned().expect("a business");
    println!("sample: {:?} in {:?}, KBLI {:?}", sample.name, sample.kecamatan, sample.kbli);
    let word = sample.name.split_whitespace().last().unwrap_or("jaya").to_owned();

    let cases: Vec<(String, BusinessFilter, u64)> = vec![
        ("unfiltered, first page".into(), BusinessFilter::default(), 0),
        ("unfiltered, offset 500,000".into(), BusinessFilter::default(), 500_000),
        ("kecamatan".into(), BusinessFilter { kecamatan: sample.kecamatan.clone(), ..Default::default() }, 0),
        (
            "class + KBLI (5 digits)".into(),
            BusinessFilter {
                class: Some(SizeClass::Micro),
                kbli: sample.kbli.as_deref().and_then(|k| KbliCode::parse(k).ok()),
                ..Default::default()
            },
            0,
        ),
        ("KBLI kategori C".into(), BusinessFilter { kbli: KbliCode::parse("C").ok(), ..Default::default() }, 0),
        (format!("word \"{word}\" (LIKE)"), BusinessFilter { q: Some(word.clone()), ..Default::default() }, 0),
        (
            "\"kripik\" (LIKE; not folded: misses \"keripik\")".into(),
            BusinessFilter { q: Some("kripik".into()), ..Default::default() },
            0,
        ),
    ];
    println!();
    println!("| query (page of 50) | total | median ms | p99 ms |");
    println!("|---|---|---|---|");
    let mut page_ids = Vec::new();
    for (label, filter, offset) in &cases {
        let mut times = Vec::with_capacity(runs);
        let mut total = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let page = store.umkm_businesses(&officer, &tenant, filter, *offset, 50).await.expect("page");
            times.push(start.elapsed());
            total = page.total;
            if page_ids.is_empty() {
                page_ids = page.rows.iter().map(|r| r.id).collect();
            }
        }
        let (median, p99) = summary(&mut times);
        println!("| {label} | {total} | {median:.1} | {p99:.1} |");
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let rows = store.umkm_business_rows(&officer, &tenant, &page_ids).await.expect("rows");
        times.push(start.elapsed());
        assert_eq!(rows.len(), page_ids.len());
    }
    let (median, p99) = summary(&mut times);
    println!("| 50 rows by id, `umkm_business_rows` (no ORDER BY) | 50 | {median:.1} | {p99:.1} |");
    let by_ids = BusinessFilter { ids: Some(page_ids), ..Default::default() };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let page = store.umkm_businesses(&officer, &tenant, &by_ids, 0, 50).await.expect("by ids");
        times.push(start.elapsed());
        std::hint::black_box(page);
    }
    let (median, p99) = summary(&mut times);
    println!("| 50 rows by id, `umkm_businesses` with `ids` (COUNT + ORDER BY) | 50 | {median:.1} | {p99:.1} |");
    db.cleanup().await;
}

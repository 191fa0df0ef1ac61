//! The registry list at a million businesses: build time, memory, and per-query median and
//! p99 for the pages the /umkm list asks for.
//!
//! `cargo bench -p sinergi-engines --bench registry_search` (set `REGISTRY_N` for another size).

use std::time::{Duration, Instant};

use sinergi_domain::umkm::{PermitKind, SizeClass};
use sinergi_domain::{BusinessId, KbliCode, RegionCode};
use sinergi_engines::registry_search::{BusinessFacts, RegistryIndex, RegistryQuery};

const SOURCES: [&str; 4] = ["dinkop", "pelatihan", "oss", "sensus-desa"];

fn facts_of(b: &sinergi_synth::Business) -> BusinessFacts {
    let n = u64::from(b.true_id);
    // Stable pseudo-random extras from the id: the synthetic businesses carry no permits,
    // sources or yearly figures of their own.
    let h = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    let mut permits = Vec::new();
    if b.nib.is_some() {
        permits.push(PermitKind::Nib);
    }
    if h % 5 == 0 {
        permits.push(PermitKind::Pirt);
    }
    if h % 11 == 0 {
        permits.push(PermitKind::Halal);
    }
    let sources: Vec<String> = SOURCES
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || (h >> i) & 1 == 1)
        .map(|(_, s)| (*s).to_owned())
        .collect();
    let years = if h % 3 == 0 { vec![2024] } else { vec![2023, 2024] };
    BusinessFacts {
        id: BusinessId::from_uuid(uuid::Uuid::from_u128(u128::from(b.true_id) + 1)),
        name: b.name.clone(),
        owner: Some(b.owner.clone()),
        kecamatan: RegionCode::parse(&b.kecamatan_code).ok(),
        desa: RegionCode::parse(&b.desa_code).ok(),
        class: Some(SizeClass::by_sales(b.omzet as i64)),
        kbli: KbliCode::parse(&b.kbli).ok().into_iter().collect(),
        permits,
        sources,
        years,
    }
}

fn measure(label: &str, index: &RegistryIndex, query: &RegistryQuery, offset: usize) {
    let runs = 101;
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut total = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let page = index.search(query, offset, 50);
        times.push(start.elapsed());
        total = page.total;
        std::hint::black_box(page);
    }
    times.sort_unstable();
    let median = times[runs / 2];
    let p99 = times[runs * 99 / 100];
    println!("| {label} | {total} | {:.3} | {:.3} |", median.as_secs_f64() * 1000.0, p99.as_secs_f64() * 1000.0);
}

fn main() {
    let n: usize = std::env::var("REGISTRY_N").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let start = Instant::now();
    let businesses = match sinergi_synth::businesses(n, 42) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("synthetic businesses: {e}");
            std::process::exit(1);
        }
    };
    println!("generated {n} businesses in {:.1} s", start.elapsed().as_secs_f64());
    let facts: Vec<BusinessFacts> = businesses.iter().map(facts_of).collect();
    let start = Instant::now();
    let mut index = RegistryIndex::build(facts);
    let build = start.elapsed();
    let bytes = index.heap_bytes();
    println!(
        "built the index of {} businesses in {:.2} s; about {} MB, {} bytes per business",
        index.len(),
        build.as_secs_f64(),
        bytes / 1_000_000,
        bytes / n.max(1)
    );

    let sample = &businesses[n / 2];
    let kecamatan = RegionCode::parse(&sample.kecamatan_code).ok();
    let kbli = KbliCode::parse(&sample.kbli).ok();
    let word = sinergi_engines::er::normalize::name_tokens(&sample.name).into_iter().max_by_key(String::len);
    let word = word.unwrap_or_else(|| "keripik".to_owned());
    // One typo: the middle letter dropped, which spelling folding cannot undo.
    let typo: String = {
        let mut w: Vec<char> = word.chars().collect();
        let mid = w.len() / 2;
        w.remove(mid);
        w.into_iter().collect()
    };
    println!(
        "sample: {:?} in {:?}, KBLI {:?}; word {word:?}, typo {typo:?}",
        sample.name, sample.kecamatan, sample.kbli
    );
    println!();
    println!("| query (page of 50) | total | median ms | p99 ms |");
    println!("|---|---|---|---|");
    let all = RegistryQuery::default();
    measure("unfiltered, first page", &index, &all, 0);
    measure("unfiltered, offset 500,000", &index, &all, 500_000);
    let by_kec = RegistryQuery { kecamatan: kecamatan.clone(), ..RegistryQuery::default() };
    measure("kecamatan", &index, &by_kec, 0);
    let class_kbli = RegistryQuery { class: Some(SizeClass::Micro), kbli: kbli.clone(), ..RegistryQuery::default() };
    measure("class + KBLI (5 digits)", &index, &class_kbli, 0);
    let section = RegistryQuery { kbli: KbliCode::parse("C").ok(), ..RegistryQuery::default() };
    measure("KBLI kategori C", &index, &section, 0);
    measure("KBLI kategori C, offset 500,000", &index, &section, 500_000);
    let many = RegistryQuery {
        kecamatan,
        permit: Some(PermitKind::Nib),
        source: Some("oss".to_owned()),
        year: Some(2023),
        ..RegistryQuery::default()
    };
    measure("kecamatan + permit + source + year", &index, &many, 0);
    let text = |t: &str| RegistryQuery { text: Some(t.to_owned()), ..RegistryQuery::default() };
    measure(&format!("name \"{}\" (exact)", sample.name), &index, &text(&sample.name), 0);
    measure(&format!("word \"{word}\""), &index, &text(&word), 0);
    measure(&format!("word with a typo \"{typo}\""), &index, &text(&typo), 0);
    measure("\"kripik\" (common word)", &index, &text("kripik"), 0);
    measure("\"kripik\", offset 10,000", &index, &text("kripik"), 10_000);
    measure("\"barokahh jaya\" (two words, typo)", &index, &text("barokahh jaya"), 0);
    measure("\"ker\" (prefix being typed)", &index, &text("ker"), 0);
    let mixed = RegistryQuery { text: Some("kripik".to_owned()), ..by_kec };
    measure("\"kripik\" + kecamatan", &index, &mixed, 0);

    let start = Instant::now();
    let updates = 1000;
    for b in businesses.iter().take(updates) {
        let mut f = facts_of(b);
        f.name = format!("{} Baru", f.name);
        index.upsert(f);
    }
    println!();
    println!(
        "upsert (rename) of one business: {:.3} ms on average over {updates}",
        start.elapsed().as_secs_f64() * 1000.0 / updates as f64
    );
}

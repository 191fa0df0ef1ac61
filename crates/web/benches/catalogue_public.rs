//! The public catalogue at 100,000 curated products: page times over HTTP for the queries a
//! visitor makes (no filter, a category, a kecamatan, a permit, words, words with a kecamatan,
//! a deep page, a product page, the JSON API), p50 and p99, and the cost of the first request
//! and, after a write, of the next request (served from the previous index), the time until the
//! write shows (the background rebuild) and the rebuild a writer through this server waits for.
//!
//! ```sh
//! cargo bench -p sinergi-web --bench catalogue_public
//! BENCH_PG=1 scripts/with-postgres cargo bench -p sinergi-web --bench catalogue_public
//! ```
//!
//! Settings (environment): `BENCH_PRODUCTS` (default 100000), `BENCH_BUSINESSES` (default
//! 20000), `BENCH_REQUESTS` per query (default 300), `BENCH_PG=1` to run on the PostgreSQL that
//! `SINERGI_TEST_POSTGRES_URL` names (a fresh database in it), `BENCH_OUT` (also write the
//! Markdown table to this file).
//!
//! The data goes in through the store's bulk loaders (the registry's seeder, then
//! `seed_catalogue_products`), permits through `add_umkm_permit` for one business in four, and
//! photos through `add_catalogue_photo` for 2,000 products; requests go over a real TCP socket
//! on 127.0.0.1 with keep-alive, one at a time, as a phone would send them.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context;
use sinergi_domain::files::check_file;
use sinergi_domain::market::catalogue::{Category, LabelInfo, ProductInput, ProductStatus};
use sinergi_domain::umkm::{Permit, PermitKind};
use sinergi_domain::{Actor, RegionCode, Scope};
use sinergi_store::catalogue::{PhotoUpload, SeedProduct};
use sinergi_store::tenants::NewTenant;
use sinergi_store::{DatabaseUrl, Store};
use sinergi_web::{AppState, WebConfig};

fn main() -> anyhow::Result<()> {
    let env = |k: &str, d: usize| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let products = env("BENCH_PRODUCTS", 100_000);
    let businesses = env("BENCH_BUSINESSES", 20_000);
    let requests = env("BENCH_REQUESTS", 300);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let report = runtime.block_on(run(products, businesses, requests))?;
    println!("{report}");
    if let Ok(path) = std::env::var("BENCH_OUT") {
        std::fs::write(&path, &report).with_context(|| format!("writing {path}"))?;
        eprintln!("report written to {path}");
    }
    Ok(())
}

const SLUG: &str = "kabupaten-serang";

/// Product words per category: names a visitor would search for.
const WORDS: [(Category, &[&str]); 6] = [
    (
        Category::Makanan,
        &[
            "Emping Melinjo",
            "Keripik Pisang",
            "Keripik Singkong",
            "Sate Bandeng",
            "Abon Ikan",
            "Rengginang",
            "Dodol",
            "Kue Kering",
            "Sambal Roa",
            "Kerupuk Kulit",
        ],
    ),
    (Category::Minuman, &["Kopi Bubuk", "Jahe Merah", "Sirup Pala", "Teh Rosella"]),
    (Category::Kerajinan, &["Anyaman Pandan", "Gerabah Bumijaya", "Tas Rajut", "Tikar Mendong"]),
    (Category::Fesyen, &["Batik Motif Debus", "Kain Tenun", "Kaos Sablon", "Peci Rajut"]),
    (Category::Pertanian, &["Gula Aren", "Beras Organik", "Melinjo Kupas", "Pisang Tanduk"]),
    (Category::Perikanan, &["Bandeng Presto", "Ikan Asin", "Udang Kering", "Terasi Udang"]),
];
const TASTES: [&str; 8] = ["Original", "Pedas", "Manis", "Balado", "Premium", "Super", "Asli Serang", "Khas Tanara"];

struct Query {
    label: &'static str,
    path: String,
}

async fn open_store() -> anyhow::Result<(Store, String, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir()?;
    // The registry seals NIKs: a fixed key, as the tests use.
    let store =
        Store::open(&DatabaseUrl::sqlite_in(dir.path())).await?.with_data_key(&sinergi_store::testing::test_key());
    Ok((store, "SQLite".into(), Some(dir)))
}

async fn load(store: &Store, products: usize, businesses: usize) -> anyhow::Result<(RegionCode, Duration)> {
    let t = Instant::now();
    let root = Actor::system("bench");
    store.migrate().await?;
    let tenant = RegionCode::parse("36.04")?;
    store.create_tenant(&root, NewTenant::parse("36.04", "Kabupaten Serang", Some(SLUG))?).await?;
    let actor = Actor { scope: Scope::Tenant(tenant.clone()), ..Actor::system("bench") };
    let seeds = sinergi_demo::umkm::seeds(&tenant, businesses)?;
    let ids = store.seed_umkm_businesses(&actor, &tenant, seeds).await?;
    // One business in four holds a P-IRT; one in six a halal certificate.
    for (i, b) in ids.iter().enumerate() {
        if i % 4 == 0 {
            let number = format!("2{:02}3604{:04}{:02}-29", 10 + i % 80, i % 10_000, i % 90);
            let expires = time::Date::from_calendar_date(2029, time::Month::December, 31).ok();
            store
                .add_umkm_permit(&actor, &tenant, *b, Permit { kind: PermitKind::Pirt, number, issued: None, expires })
                .await?;
        }
        if i % 6 == 0 {
            let number = format!("ID3611{:010}", i);
            store
                .add_umkm_permit(
                    &actor,
                    &tenant,
                    *b,
                    Permit { kind: PermitKind::Halal, number, issued: None, expires: None },
                )
                .await?;
        }
    }
    let seeds: Vec<SeedProduct> = (0..products)
        .map(|i| {
            let (category, names) = WORDS[i % WORDS.len()];
            let name = format!("{} {} {}", names[(i / WORDS.len()) % names.len()], TASTES[i % TASTES.len()], i);
            SeedProduct {
                business: ids[(i * 7919) % ids.len()],
                input: ProductInput {
                    name,
                    category,
                    description: Some("Produk UMKM Kabupaten Serang, dibuat di rumah produksi keluarga.".into()),
                    price: Some(10_000 + (i as i64 % 40) * 2_500),
                    unit: "bungkus".into(),
                    capacity_per_month: Some(100 + (i as i64 % 10) * 50),
                    packaging: Some("Standing pouch".into()),
                    label: LabelInfo::default(),
                    claims_halal: false,
                    show_contact: i % 3 != 0,
                },
                status: ProductStatus::Curated,
                photo_ok: true,
            }
        })
        .collect();
    let product_ids = store.seed_catalogue_products(&actor, &tenant, seeds).await?;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc8Q\xa1\x01\0\x03t\x01i\xcb\xfa\xd0\xd7\0\0\0\0IEND\xaeB`\x82".to_vec();
    for id in product_ids.iter().step_by((products / 2_000).max(1)) {
        let file = check_file("photo", "foto.png", png.clone(), 1 << 20)?;
        store.add_catalogue_photo(&actor, &tenant, *id, PhotoUpload { file, thumbnail: None }).await?;
    }
    Ok((tenant, t.elapsed()))
}

async fn get(http: &reqwest::Client, url: &str) -> anyhow::Result<(Duration, usize)> {
    let t = Instant::now();
    let r = http.get(url).send().await?;
    anyhow::ensure!(r.status().is_success(), "{url}: {}", r.status());
    let body = r.bytes().await?;
    Ok((t.elapsed(), body.len()))
}

fn pct(samples: &mut [Duration], p: usize) -> Duration {
    samples.sort_unstable();
    let n = samples.len().max(1);
    samples.get(((n * p).div_ceil(100)).clamp(1, n) - 1).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn run(products: usize, businesses: usize, requests: usize) -> anyhow::Result<String> {
    let (store, backend, _dir) = if std::env::var("BENCH_PG").is_ok() {
        // A fresh database on the server `scripts/with-postgres` started; it goes with the server.
        let db = sinergi_store::testing::TestDatabase::postgres()
            .await
            .context("BENCH_PG needs SINERGI_TEST_POSTGRES_URL")?;
        let store = db.store.clone();
        std::mem::forget(db);
        (store, "PostgreSQL 15".to_owned(), None)
    } else {
        open_store().await?
    };
    eprintln!("loading {products} products on {backend}...");
    let (tenant, load_time) = load(&store, products, businesses).await?;
    tokio::task::spawn_blocking(sinergi_reference::preload).await?;
    let state = AppState::new(store.clone(), WebConfig::default());
    let router = sinergi_web::app(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    let base = format!("http://{addr}");
    let http = reqwest::Client::builder().build()?;

    // The most common kecamatan, and a product id, from the store's own public read.
    let all = store.public_catalogue(&tenant).await?;
    let mut counts = std::collections::HashMap::new();
    for p in &all {
        if let Some(k) = &p.kecamatan {
            *counts.entry(k.clone()).or_insert(0usize) += 1;
        }
    }
    let kecamatan = counts.iter().max_by_key(|(_, n)| **n).map(|(k, _)| k.to_string()).unwrap_or_default();
    let product = all.get(all.len() / 2).map(|p| p.id).context("a product")?;

    let cold = get(&http, &format!("{base}/publik/{SLUG}/katalog")).await?.0;
    let queries = [
        Query { label: "no filter, page 1", path: format!("/publik/{SLUG}/katalog") },
        Query { label: "category (makanan)", path: format!("/publik/{SLUG}/katalog?category=makanan") },
        Query { label: "kecamatan", path: format!("/publik/{SLUG}/katalog?kecamatan={kecamatan}") },
        Query { label: "permit (halal)", path: format!("/publik/{SLUG}/katalog?permit=halal") },
        Query { label: "words (\"emping\")", path: format!("/publik/{SLUG}/katalog?q=emping") },
        Query {
            label: "words + kecamatan + permit",
            path: format!("/publik/{SLUG}/katalog?q=keripik+pedas&kecamatan={kecamatan}&permit=pirt"),
        },
        Query { label: "words, no match", path: format!("/publik/{SLUG}/katalog?q=zzzz") },
        Query { label: "deep page (page 3000)", path: format!("/publik/{SLUG}/katalog?page=3000") },
        Query { label: "product page", path: format!("/publik/{SLUG}/katalog/{product}") },
        Query {
            label: "JSON API, words + category",
            path: format!("/api/v1/public/{SLUG}/katalog?q=kopi&category=minuman"),
        },
    ];
    let mut out = String::new();
    writeln!(
        out,
        "Backend: {backend}. {products} curated products of {businesses} businesses; load took {:.1} s.",
        load_time.as_secs_f64()
    )?;
    writeln!(out, "First request after start (builds the in-memory index): {}.\n", ms(cold))?;
    writeln!(out, "| query | p50 | p99 | max | body |")?;
    writeln!(out, "|---|---:|---:|---:|---:|")?;
    for q in &queries {
        let url = format!("{base}{}", q.path);
        // Warm the connection and any cache of the route.
        get(&http, &url).await?;
        let mut samples = Vec::with_capacity(requests);
        let mut size = 0;
        for _ in 0..requests {
            let (d, n) = get(&http, &url).await?;
            samples.push(d);
            size = n;
        }
        let max = samples.iter().max().copied().unwrap_or_default();
        writeln!(
            out,
            "| {} | {} | {} | {} | {:.1} KB |",
            q.label,
            ms(pct(&mut samples, 50)),
            ms(pct(&mut samples, 99)),
            ms(max),
            size as f64 / 1024.0
        )?;
    }
    // A write from elsewhere (another server; here the store itself) is seen by the next
    // request's version probe: that request is served from the previous index and starts a
    // rebuild in the background. Measured five times: that request's time, and how long until
    // the write shows (the withdrawn product's card is gone from its kecamatan's pages).
    let actor = Actor { scope: Scope::Tenant(tenant.clone()), ..Actor::system("bench") };
    let (mut after, mut visible) = (Vec::new(), Vec::new());
    for p in all.iter().take(5) {
        // The name ends in the product's number, so its search lists it on the first page.
        let search =
            reqwest::Url::parse_with_params(&format!("{base}/publik/{SLUG}/katalog"), &[("q", &p.name)])?.to_string();
        let card = format!("/publik/{SLUG}/katalog/{}", p.id);
        let before = http.get(&search).send().await?.text().await?;
        anyhow::ensure!(before.contains(&card), "{} is not on its search's first page", p.name);
        store.move_catalogue_product(&actor, &tenant, p.id, ProductStatus::Withdrawn).await?;
        let written = Instant::now();
        after.push(get(&http, &search).await?.0);
        loop {
            let body = http.get(&search).send().await?.text().await?;
            if !body.contains(&card) {
                break;
            }
            anyhow::ensure!(written.elapsed() < Duration::from_secs(60), "the write never showed");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        visible.push(written.elapsed());
    }
    writeln!(
        out,
        "\nFirst request after a write elsewhere (served from the previous index): p50 {}, max {} of 5.",
        ms(pct(&mut after, 50)),
        ms(after.iter().max().copied().unwrap_or_default())
    )?;
    writeln!(
        out,
        "Write visible to the public (background rebuild done): p50 {}, max {} of 5.",
        ms(pct(&mut visible, 50)),
        ms(visible.iter().max().copied().unwrap_or_default())
    )?;
    // A write through this server waits for the rebuild before answering its author.
    let mut refresh = Vec::new();
    for p in all.iter().skip(5).take(5) {
        store.move_catalogue_product(&actor, &tenant, p.id, ProductStatus::Withdrawn).await?;
        let t = Instant::now();
        state.catalogue_index.refresh(&store, &tenant).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        refresh.push(t.elapsed());
    }
    writeln!(
        out,
        "A write through this server, the rebuild its author waits for: p50 {} of 5.",
        ms(pct(&mut refresh, 50))
    )?;
    Ok(out)
}

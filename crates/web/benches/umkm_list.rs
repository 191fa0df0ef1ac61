//! The UMKM registry list page and its export at `REGISTRY_N` businesses (default 1,000,000) on
//! SQLite, through the real router: the search index path (query → index → the page's rows
//! by id → render) side by side with the SQL path it replaces, on the same database in one run.
//!
//! ```sh
//! REGISTRY_N=1000000 cargo bench -p sinergi-web --bench umkm_list
//! ```
//!
//! The demo's tenants and users are loaded with a small registry, then `REGISTRY_N` generated
//! businesses of Kabupaten Serang are seeded through `Store::seed_umkm_businesses`. Two routers
//! share the store: one with the search index (built first, and timed), one with it off
//! (`Registries::without_search`), which reads every list from SQL as before. The UMKM officer
//! of Kabupaten Serang logs in through `POST /login`; each page is requested through the router
//! in-process (`tower::ServiceExt::oneshot`) and its body read to the end, after one untimed
//! request per route and path.
//!
//! Settings (environment): `REGISTRY_N`; `RUNS` per route on the index path (default 51);
//! `SQL_RUNS` per route on the SQL path (default 3: its pages take seconds); `BENCH_DB`, a
//! directory whose database is reused when it already holds the seeded registry (seeding a
//! million businesses takes over ten minutes); `BENCH_OUT`, a file to write the report to.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{Request, StatusCode};
use sinergi_domain::{Actor, RegionCode, Role};
use sinergi_store::{DatabaseUrl, Store};
use sinergi_web::{AppState, WebConfig};
use tower::ServiceExt;

const TENANT: &str = "36.04";
const SLUG: &str = "kabupaten-serang";
/// Seeded per transaction.
const SEED_CHUNK: usize = 50_000;

struct Settings {
    n: usize,
    runs: usize,
    sql_runs: usize,
    db: Option<String>,
    out: Option<String>,
}

fn env_number(name: &str, default: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().with_context(|| format!("{name}={v} is not a number")),
        Err(_) => Ok(default),
    }
}

impl Settings {
    fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            n: env_number("REGISTRY_N", 1_000_000)?,
            runs: env_number("RUNS", 51)?.max(1),
            sql_runs: env_number("SQL_RUNS", 3)?,
            db: std::env::var("BENCH_DB").ok(),
            out: std::env::var("BENCH_OUT").ok(),
        })
    }
}

fn main() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let report = runtime.block_on(run(&settings))?;
    println!("{report}");
    if let Some(path) = &settings.out {
        std::fs::write(path, &report).with_context(|| format!("writing {path}"))?;
        eprintln!("report written to {path}");
    }
    Ok(())
}

/// Open the database, seeding it unless it already holds the registry.
async fn open(settings: &Settings) -> anyhow::Result<(Store, Option<tempfile::TempDir>, String)> {
    let (dir, temp) = match &settings.db {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            (std::path::PathBuf::from(d), None)
        }
        None => {
            let t = tempfile::tempdir()?;
            (t.path().to_owned(), Some(t))
        }
    };
    // A fixed key, so that a database kept with BENCH_DB opens again.
    let store = Store::open(&DatabaseUrl::sqlite_in(&dir)).await?.with_data_key(&sinergi_store::testing::test_key());
    if !sinergi_demo::is_empty(&store).await? {
        return Ok((store, temp, "reused the seeded database".into()));
    }
    sinergi_demo::load_with(&store, sinergi_demo::DemoOptions { umkm_generated: 100 }).await?;
    let tenant = RegionCode::parse(TENANT).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let system = Actor::system("bench");
    let start = Instant::now();
    let mut seeds = sinergi_demo::umkm::seeds(&tenant, settings.n)?;
    let generated = start.elapsed();
    let start = Instant::now();
    while !seeds.is_empty() {
        let chunk = seeds.split_off(seeds.len().saturating_sub(SEED_CHUNK));
        store.seed_umkm_businesses(&system, &tenant, chunk).await?;
    }
    let note = format!(
        "generated {} businesses in {:.1} s, seeded in {:.1} s",
        settings.n,
        generated.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
    eprintln!("{note}");
    Ok((store, temp, note))
}

/// Log in as the UMKM officer through the form (a CSRF token of our own in cookie and header).
async fn login(router: &Router) -> anyhow::Result<String> {
    let csrf = "bench-csrf-token-0123456789abcdefghijklmnop";
    let email = sinergi_demo::demo_email(Role::UmkmOfficer, SLUG);
    let form = serde_urlencoded::to_string([("email", email.as_str()), ("password", sinergi_demo::DEMO_PASSWORD)])?;
    let request = Request::post("/login")
        .header(COOKIE, format!("sinergi_csrf={csrf}"))
        .header("x-csrf-token", csrf)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))?;
    let response = router.clone().oneshot(request).await?;
    let session = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("sinergi_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned);
    session.with_context(|| format!("login refused ({})", response.status()))
}

/// One request through the router, its body read to the end: (status, body, time).
async fn get(router: &Router, cookie: &str, path: &str) -> anyhow::Result<(StatusCode, Vec<u8>, Duration)> {
    let start = Instant::now();
    let request = Request::get(path).header(COOKIE, cookie).body(Body::empty())?;
    let response = router.clone().oneshot(request).await?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    Ok((status, body.to_vec(), start.elapsed()))
}

/// The number shown as the list's total ("1.000.180").
fn total_of(html: &str) -> String {
    let marker = "data-testid=\"umkm-total\">";
    html.find(marker)
        .map(|at| html[at + marker.len()..].split('<').next().unwrap_or_default().trim().to_owned())
        .unwrap_or_else(|| "?".into())
}

fn listed_by(html: &str) -> String {
    let marker = "data-listed-by=\"";
    html.find(marker)
        .map(|at| html[at + marker.len()..].split('"').next().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

/// Median and 99th percentile, in milliseconds.
fn percentiles(times: &mut [Duration]) -> Option<(f64, f64)> {
    if times.is_empty() {
        return None;
    }
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Some((ms(times[times.len() / 2]), ms(times[(times.len() * 99).div_ceil(100).min(times.len()) - 1])))
}

struct Path {
    router: Router,
    runs: usize,
}

/// Time one route on one path: (total shown, median, p99, body bytes).
async fn time(path: &Path, cookie: &str, route: &str, want: &str) -> anyhow::Result<Option<(String, f64, f64, usize)>> {
    if path.runs == 0 {
        return Ok(None);
    }
    let (status, body, _) = get(&path.router, cookie, route).await?;
    if status != StatusCode::OK {
        bail!("{route}: {status}");
    }
    let html = String::from_utf8_lossy(&body).into_owned();
    if !want.is_empty() && listed_by(&html) != want {
        bail!("{route}: listed by {:?}, not {want}", listed_by(&html));
    }
    let mut times = Vec::with_capacity(path.runs);
    for _ in 0..path.runs {
        let (_, _, t) = get(&path.router, cookie, route).await?;
        times.push(t);
    }
    let (median, p99) = percentiles(&mut times).context("no samples")?;
    Ok(Some((total_of(&html), median, p99, body.len())))
}

async fn run(settings: &Settings) -> anyhow::Result<String> {
    let (store, _temp, seeding) = open(settings).await?;
    tokio::task::spawn_blocking(sinergi_reference::preload).await?;
    let tenant = RegionCode::parse(TENANT).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let system = Actor::system("bench");

    let indexed = AppState::new(store.clone(), WebConfig::default());
    let start = Instant::now();
    indexed.registries.search().warm(&store, &tenant).await?;
    let build = start.elapsed();
    let memory = memory();
    let sql_only = AppState {
        registries: Arc::new(sinergi_umkm::Registries::without_search()),
        ..AppState::new(store.clone(), WebConfig::default())
    };
    let index_router = sinergi_web::app(indexed.clone());
    let sql_router = sinergi_web::app(sql_only);
    let cookie = login(&index_router).await?;

    // Values the registry has: the first business's kecamatan and KBLI, a word of its name.
    let first = store.umkm_search_facts(&system, &tenant, None, 1).await?;
    let sample = first.first().context("an empty registry")?;
    let kecamatan = sample.kecamatan.as_ref().map(|c| c.to_string()).unwrap_or_default();
    let kbli = sample.kbli.first().map(|k| k.as_str().to_owned()).unwrap_or_default();
    let routes: Vec<(String, String)> = vec![
        ("unfiltered, first page".into(), "/umkm".into()),
        ("unfiltered, page 10,001 (offset 500,000)".into(), "/umkm?page=10001".into()),
        ("kecamatan".into(), format!("/umkm?kecamatan={kecamatan}")),
        ("class + KBLI (5 digits)".into(), format!("/umkm?class=mikro&kbli={kbli}")),
        ("KBLI kategori C".into(), "/umkm?kbli=C".into()),
        ("KBLI kategori C, page 5,001".into(), "/umkm?kbli=C&page=5001".into()),
        (
            "kecamatan + year + source".into(),
            format!("/umkm?kecamatan={kecamatan}&year=2025&source=pendataan-umkm-2024"),
        ),
        ("duplicates in review".into(), "/umkm?in_review=1".into()),
        ("name \"sinar\"".into(), "/umkm?q=sinar".into()),
        ("name with a typo \"siar\"".into(), "/umkm?q=siar".into()),
        ("\"kripik\" (SQL: LIKE, misses \"keripik\")".into(), "/umkm?q=kripik".into()),
        ("\"kripik\", page 201".into(), "/umkm?q=kripik&page=201".into()),
        ("\"barokahh jaya\" (typo, two words)".into(), "/umkm?q=barokahh+jaya".into()),
        ("\"kripik\" + kecamatan".into(), format!("/umkm?q=kripik&kecamatan={kecamatan}")),
        ("export: kecamatan (XLSX)".into(), format!("/umkm/export.xlsx?kecamatan={kecamatan}")),
    ];
    let index = Path { router: index_router, runs: settings.runs };
    let sql = Path { router: sql_router, runs: settings.sql_runs };

    let mut out = String::new();
    writeln!(out, "UMKM list at {} businesses (SQLite), through the router", settings.n)?;
    writeln!(out)?;
    writeln!(out, "- {}", machine())?;
    writeln!(out, "- {seeding}")?;
    writeln!(out, "- index built from the store in {:.1} s; {memory}", build.as_secs_f64())?;
    writeln!(out, "- runs per route: index {}, SQL {}", settings.runs, settings.sql_runs)?;
    writeln!(out)?;
    writeln!(
        out,
        "| page (50 rows) | total (index) | index p50 ms | index p99 ms | total (SQL) | SQL p50 ms | SQL p99 ms |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for (label, route) in &routes {
        let export = route.contains("export");
        let on_index = time(&index, &cookie, route, if export { "" } else { "index" }).await?;
        let on_sql = time(&sql, &cookie, route, if export { "" } else { "sql" }).await?;
        let cell = |m: &Option<(String, f64, f64, usize)>| match m {
            Some((total, median, p99, bytes)) => {
                let total = if export { format!("{} KB", bytes / 1024) } else { total.clone() };
                (total, format!("{median:.1}"), format!("{p99:.1}"))
            }
            None => ("—".into(), "—".into(), "—".into()),
        };
        let (a, b) = (cell(&on_index), cell(&on_sql));
        let line = format!("| {label} | {} | {} | {} | {} | {} | {} |", a.0, a.1, a.2, b.0, b.1, b.2);
        eprintln!("{line}");
        writeln!(out, "{line}")?;
    }

    // A write's cost on the index: one business's facts read again and put in place.
    let ids: Vec<_> = store.umkm_search_facts(&system, &tenant, None, 2_000).await?.into_iter().map(|f| f.id).collect();
    let mut one = Vec::new();
    for id in ids.iter().take(20) {
        let start = Instant::now();
        indexed.registries.changed(&store, &tenant, &[*id]).await;
        one.push(start.elapsed());
    }
    let start = Instant::now();
    indexed.registries.changed(&store, &tenant, &ids).await;
    let many = start.elapsed();
    if let Some((median, p99)) = percentiles(&mut one) {
        writeln!(out)?;
        writeln!(out, "- refresh after a write of one business: p50 {median:.1} ms, p99 {p99:.1} ms")?;
    }
    writeln!(
        out,
        "- refresh after a write of {} businesses (an import): {:.0} ms",
        ids.len(),
        many.as_secs_f64() * 1000.0
    )?;
    Ok(out)
}

fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_owned()).unwrap_or_default()
    };
    format!("RSS {} (peak {})", field("VmRSS:"), field("VmHWM:"))
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get().to_string()).unwrap_or_else(|_| "?".into());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "cpu unknown".into());
    format!("{cores} cores ({cpu}), shared with other builds")
}

//! The public CSR transparency page on a phone's terms: how long it takes built from the store
//! (cache cleared before every request) against served from the page cache, side by side in
//! one run, with the demo data and with `BENCH_CSR` (default 500) more published CSR
//! realisations of Kota Serang; its size raw and gzipped; the open-data CSV; and how long one
//! CSR write takes when the book is that large.
//!
//! ```sh
//! cargo bench -p sinergi-web --bench csr_public
//! ```
//!
//! One in-process instance is built the way `sinergi serve --demo` builds one (SQLite in a
//! temp dir, migrations, the demo loader, `sinergi_web::app`) and served on 127.0.0.1; requests
//! go over TCP without a session, as a visitor's do. Settings (environment): `BENCH_CSR`,
//! `BENCH_SECONDS` per row (default 4), `BENCH_OUT` (also write the Markdown report there).

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context;
use sinergi_domain::csr::{CsrCategory, CsrNeedStatus, EvidenceKind, PledgeForm, ReportStatus, Window};
use sinergi_domain::files::check_file;
use sinergi_domain::{Actor, RegionCode, Scope};
use sinergi_store::csr::{CsrNeedInput, PledgeInput, ReportInput, Upload};
use sinergi_store::{DatabaseUrl, Store};
use sinergi_web::{AppState, WebConfig};

const PAGE: &str = "/publik/kota-serang/csr";

fn main() -> anyhow::Result<()> {
    let extra: usize = std::env::var("BENCH_CSR").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let seconds: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(4);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let report = runtime.block_on(run(extra, Duration::from_secs(seconds)))?;
    println!("{report}");
    if let Ok(path) = std::env::var("BENCH_OUT") {
        std::fs::write(&path, &report).with_context(|| format!("writing {path}"))?;
        eprintln!("report written to {path}");
    }
    Ok(())
}

struct Instance {
    state: AppState,
    base: String,
    _dir: tempfile::TempDir,
}

async fn start() -> anyhow::Result<Instance> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&DatabaseUrl::sqlite_in(dir.path())).await?;
    sinergi_demo::load(&store).await?;
    tokio::task::spawn_blocking(sinergi_reference::preload).await?;
    let state = AppState::new(store, WebConfig::default());
    let router = sinergi_web::app(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await {
            eprintln!("server stopped: {e}");
        }
    });
    Ok(Instance { state, base: format!("http://{addr}"), _dir: dir })
}

/// Published realisations through the store's public API, as companies and officers make them:
/// need, publication, pledge, report with a photo, submission, approval, publication. Returns
/// the median time of one write (the pledge) while the book grows.
async fn generate(store: &Store, n: usize) -> anyhow::Result<Duration> {
    let tenant = RegionCode::parse("36.73")?;
    let actor = Actor { scope: Scope::Tenant(tenant.clone()), ..Actor::system("bench") };
    let agencies = store.agencies(&actor, Some(&tenant)).await?;
    let partners: Vec<_> =
        store.partners(&actor, &Default::default()).await?.into_iter().filter(|p| p.tenant == tenant).collect();
    let villages: Vec<RegionCode> = sinergi_reference::children(Some(&tenant))
        .iter()
        .flat_map(|k| sinergi_reference::children(Some(&k.code)))
        .map(|v| v.code.clone())
        .collect();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0; 200]);
    let mut pledge_times = Vec::with_capacity(n);
    for i in 0..n {
        let input = CsrNeedInput {
            category: CsrCategory::ALL[i % CsrCategory::ALL.len()],
            title: format!("Program CSR nomor {i}"),
            description: "Bantuan sarana bagi warga, dibangun oleh mitra di lahan Pemda.".into(),
            location: villages[i % villages.len()].clone(),
            point: None,
            estimated_cost: (i % 5 != 0).then_some(50_000_000 + (i as i64 % 40) * 10_000_000),
            agency_id: Some(agencies[i % agencies.len()].id),
            priority_programme: None,
        };
        let need = store.create_csr_need(&actor, &tenant, input).await?;
        store.move_csr_need(&actor, need.id, CsrNeedStatus::Published).await?;
        let year = 2024 + (i % 3) as i32;
        let pledge = PledgeInput {
            partner_id: partners[i % partners.len()].id,
            value: (i % 7 != 0).then_some(100_000_000),
            form: PledgeForm::ALL[i % PledgeForm::ALL.len()],
            period_start: time::Date::from_calendar_date(year, time::Month::January, 1)?,
            period_end: time::Date::from_calendar_date(year, time::Month::December, 31)?,
            agreement_id: None,
            note: None,
        };
        let t = Instant::now();
        let pledge = store.pledge_csr(&actor, need.id, pledge).await?;
        pledge_times.push(t.elapsed());
        let report = ReportInput {
            window: Window { year, index: 1 + (i % 4) as u8 },
            // Every eleventh company does not say what it spent.
            value: (i % 11 != 0).then_some(90_000_000 + (i as i64 % 9) * 1_000_000),
            description: "Serah terima sarana kepada warga.".into(),
            location: None,
        };
        let photo = Upload { file: check_file("file", "foto.png", png.clone(), 1 << 20)?, thumbnail: None };
        let id = store.save_csr_report(&actor, pledge.id, report, vec![(EvidenceKind::Photo, photo)]).await?;
        for to in [ReportStatus::Submitted, ReportStatus::Approved, ReportStatus::Published] {
            store.move_csr_report(&actor, id, to, None).await?;
        }
    }
    pledge_times.sort_unstable();
    Ok(pledge_times.get(pledge_times.len() / 2).copied().unwrap_or_default())
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn p90(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    let n = samples.len();
    samples.get((n * 9).div_ceil(10).clamp(1, n.max(1)) - 1).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// (status, bytes) of one GET; `gzip` asks for a compressed answer and counts its bytes.
async fn get(http: &reqwest::Client, url: &str, gzip: bool) -> anyhow::Result<(u16, usize)> {
    let mut rb = http.get(url);
    if gzip {
        rb = rb.header("accept-encoding", "gzip");
    }
    let r = rb.send().await?;
    let status = r.status().as_u16();
    Ok((status, r.bytes().await?.len()))
}

/// Time `path` cold (page cache cleared first) and warm, alternating, for `budget`.
async fn cold_warm(
    i: &Instance,
    http: &reqwest::Client,
    path: &str,
    budget: Duration,
) -> anyhow::Result<[Duration; 4]> {
    let url = format!("{}{path}", i.base);
    let (status, _) = get(http, &url, false).await?;
    anyhow::ensure!(status == 200, "{path} answered {status}");
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    let start = Instant::now();
    while cold.len() < 10 || (start.elapsed() < budget && cold.len() < 400) {
        i.state.csr_public_cache.clear();
        let t = Instant::now();
        get(http, &url, false).await?;
        cold.push(t.elapsed());
        let t = Instant::now();
        get(http, &url, false).await?;
        warm.push(t.elapsed());
    }
    Ok([median(&mut cold), p90(&mut cold), median(&mut warm), p90(&mut warm)])
}

async fn run(extra: usize, budget: Duration) -> anyhow::Result<String> {
    let http = reqwest::Client::builder().build()?;
    let instance = start().await?;
    let mut out = String::new();
    writeln!(out, "# Public CSR page: built from the store against served from the cache\n")?;
    let mut rows = Vec::new();
    let measure_all = |label: String| {
        let http = http.clone();
        let instance = &instance;
        async move {
            let mut lines = Vec::new();
            let paths = [
                (PAGE.to_owned(), "the page"),
                (format!("{PAGE}?year=2026&category=lingkungan-hidup"), "a drill-down"),
                (format!("{PAGE}.csv"), "open data, CSV"),
            ];
            for (path, what) in paths {
                let [cm, c90, wm, w90] = cold_warm(instance, &http, &path, budget).await?;
                let url = format!("{}{path}", instance.base);
                let (_, raw) = get(&http, &url, false).await?;
                let (_, gz) = get(&http, &url, true).await?;
                lines.push(format!(
                    "| {label} | {what} | {} | {} | {} | {} | {:.1} KiB | {:.1} KiB |",
                    ms(cm),
                    ms(c90),
                    ms(wm),
                    ms(w90),
                    raw as f64 / 1024.0,
                    gz as f64 / 1024.0
                ));
            }
            anyhow::Ok(lines)
        }
    };
    rows.extend(measure_all("demo (4 realisations)".into()).await?);
    let t = Instant::now();
    let pledge = generate(&instance.state.store, extra).await?;
    let took = t.elapsed();
    let n = instance.state.store.public_csr_book(&RegionCode::parse("36.73")?).await?.published_realisations().len();
    rows.extend(measure_all(format!("demo + {extra} ({n} realisations)")).await?);
    writeln!(
        out,
        "| data | request | built: median | built: p90 | cached: median | cached: p90 | size | gzip |\n|---|---|---|---|---|---|---|---|"
    )?;
    for r in rows {
        writeln!(out, "{r}")?;
    }
    writeln!(
        out,
        "\nGenerating {extra} published realisations (7 writes each) took {:.1} s; one pledge (a write that reads the \
         tenant's whole CSR book in its transaction) took {} at the median while the book grew.",
        took.as_secs_f64(),
        ms(pledge)
    )?;
    writeln!(
        out,
        "\nThe CSV is not kept in the page cache: its two columns time the same work twice, which shows how much \
         of the page's difference the cache makes and how much is this machine's noise."
    )?;
    Ok(out)
}

//! Page-load and export times of the cooperation pages: the demo data against the demo data plus
//! 10,000 agreements of Kota Serang, measured side by side in one run.
//!
//! ```sh
//! cargo bench -p sinergi-web --bench cooperation_pages
//! ```
//!
//! Two in-process instances are built the way `sinergi serve --demo` builds one (SQLite in a temp
//! dir, migrations, the demo loader, the reference tables preloaded, `sinergi_web::app`); the
//! second also gets the generated agreements, written through the store's public API. Requests
//! go through the router in-process (`tower::ServiceExt::oneshot`) with the session cookie of the
//! region admin of Kota Serang, who logs in through `POST /login`; the two instances are sampled
//! alternately, so that a noisy neighbour on this shared machine slows both columns alike. The
//! dashboard and the register are also fetched over a real TCP socket on 127.0.0.1.
//!
//! Settings (environment): `BENCH_AGREEMENTS` (default 10000), `BENCH_SECONDS` per route
//! (default 5), `BENCH_MIN_ITERS` (default 10), `BENCH_MAX_ITERS` (default 200), `BENCH_OUT` (also
//! write the Markdown report to this file), `BENCH_ONLY` (comma-separated routes to time, as
//! written in `ROUTES`, e.g. `BENCH_ONLY=/cooperation,/cooperation/agreements.xlsx` while profiling).

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{Request, StatusCode};
use sinergi_domain::auth::Email;
use sinergi_domain::cooperation::agreement::{AgreementKind, Stage, TerminationReason};
use sinergi_domain::cooperation::dormancy::{DEFAULT_REMINDER_DAYS, DormancyRule, expiry_reminder};
use sinergi_domain::cooperation::funding::FundingSource;
use sinergi_domain::cooperation::needs::PartnerKind;
use sinergi_domain::cooperation::outcomes::OutcomeKind;
use sinergi_domain::{ActivityId, OutcomeId};
use sinergi_domain::{Actor, RegionCode};
use sinergi_store::agreements::{Activity, AgreementFilter, NewAgreement, Outcome, Party, StageMove};
use sinergi_store::partners::Partner;
use sinergi_store::{DatabaseUrl, Store};
use sinergi_web::{AppState, WebConfig};
use time::{Date, Duration as Days};
use tower::ServiceExt;

/// The pages and exports timed, in table order. `{id}` is an agreement of the demo data, the
/// same record in both instances. A route that answers 404 (not merged yet) is reported as not
/// available, so new routes can be listed here before they exist.
const ROUTES: &[&str] = &[
    "/cooperation",
    "/cooperation/agreements",
    "/cooperation/agreements?stage=pelaksanaan",
    "/cooperation/agreements/{id}",
    "/cooperation/needs",
    "/cooperation/agreements.xlsx",
    "/cooperation/needs.xlsx",
    "/cooperation/agreements.pdf",
    "/cooperation/needs.pdf",
    "/cooperation/agreements/{id}/fact-sheet.pdf",
];

/// Also fetched over TCP, to include the network stack.
const TCP_ROUTES: &[&str] = &["/cooperation", "/cooperation/agreements"];

const TENANT: &str = "36.73";
const ADMIN_EMAIL: &str = "region-admin@kota-serang.demo.sinergi.id";
/// The demo agreement whose page (and fact sheet) is timed: in pelaksanaan, with an activity
/// and two outcomes.
const SAMPLE_TITLE: &str = "Pengembangan klaster UMKM pangan bersama Bank Indonesia Banten";

struct Settings {
    agreements: usize,
    budget: Duration,
    min_iters: usize,
    max_iters: usize,
    out: Option<String>,
    /// Only these routes, as written in `ROUTES` (comma-separated `BENCH_ONLY`), for profiling.
    only: Vec<String>,
}

fn env_number(name: &str, default: u64) -> anyhow::Result<u64> {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().with_context(|| format!("{name}={v} is not a whole number")),
        Err(_) => Ok(default),
    }
}

impl Settings {
    fn from_env() -> anyhow::Result<Self> {
        let min_iters = env_number("BENCH_MIN_ITERS", 10)?.max(1) as usize;
        Ok(Self {
            agreements: env_number("BENCH_AGREEMENTS", 10_000)? as usize,
            budget: Duration::from_secs(env_number("BENCH_SECONDS", 5)?),
            min_iters,
            max_iters: (env_number("BENCH_MAX_ITERS", 200)? as usize).max(min_iters),
            out: std::env::var("BENCH_OUT").ok().filter(|s| !s.is_empty()),
            only: std::env::var("BENCH_ONLY")
                .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
        })
    }

    fn selected(&self, route: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == route)
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

/// One running Sinergi: its router, its store, a logged-in admin and, once started, its port.
struct Instance {
    label: String,
    store: Store,
    router: Router,
    cookie: String,
    sample_id: String,
    base: String,
    _dir: tempfile::TempDir,
}

impl Instance {
    /// As `sinergi serve --demo` does it: open (migrate), load the demo data into the empty
    /// database, preload the reference tables, build the app. The background jobs are left out.
    async fn start(label: &str, extra: usize) -> anyhow::Result<(Self, Option<Generated>)> {
        let dir = tempfile::tempdir()?;
        let store = Store::open(&DatabaseUrl::sqlite_in(dir.path())).await?;
        if sinergi_demo::is_empty(&store).await? {
            sinergi_demo::load(&store).await?;
        }
        tokio::task::spawn_blocking(sinergi_reference::preload).await?;
        let admin = admin_actor(&store).await?;
        let generated = match extra {
            0 => None,
            n => Some(generate(&store, &admin, n).await?),
        };
        let sample_id = store
            .agreements(&admin, &AgreementFilter::default())
            .await?
            .into_iter()
            .find(|a| a.title == SAMPLE_TITLE)
            .map(|a| a.id.to_string())
            .context("the demo agreement timed on its own page is missing")?;
        let router = sinergi_web::app(AppState::new(store.clone(), WebConfig::default()));
        let cookie = login(&router).await?;
        let base = serve(router.clone()).await?;
        Ok((Self { label: label.to_owned(), store, router, cookie, sample_id, base, _dir: dir }, generated))
    }

    fn path(&self, route: &str) -> String {
        route.replace("{id}", &self.sample_id)
    }

    /// One request through the router, body read to the end: (status, bytes, time).
    async fn get(&self, path: &str) -> anyhow::Result<(StatusCode, usize, Duration)> {
        let start = Instant::now();
        let request = Request::get(path).header(COOKIE, &self.cookie).body(Body::empty())?;
        let response = self.router.clone().oneshot(request).await?;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        Ok((status, body.len(), start.elapsed()))
    }

    /// The same over TCP, through the HTTP client.
    async fn get_tcp(&self, http: &reqwest::Client, path: &str) -> anyhow::Result<(StatusCode, usize, Duration)> {
        let start = Instant::now();
        let response = http.get(format!("{}{path}", self.base)).header(COOKIE, &self.cookie).send().await?;
        let status = StatusCode::from_u16(response.status().as_u16())?;
        let body = response.bytes().await?;
        Ok((status, body.len(), start.elapsed()))
    }
}

async fn admin_actor(store: &Store) -> anyhow::Result<Actor> {
    let email = Email::parse(ADMIN_EMAIL).map_err(|e| anyhow::anyhow!("{}", e.reason))?;
    let (user, _) = store.user_for_login(&email).await?.context("the demo region admin is missing")?;
    Ok(user.actor())
}

/// Log in through the form, with a CSRF token of our own in the cookie and the header.
async fn login(router: &Router) -> anyhow::Result<String> {
    let csrf = "bench-csrf-token-0123456789abcdefghijklmnop";
    let form = serde_urlencoded::to_string([("email", ADMIN_EMAIL), ("password", sinergi_demo::DEMO_PASSWORD)])?;
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

/// Serve the router on a free port of 127.0.0.1, as `serve` does.
async fn serve(router: Router) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await {
            eprintln!("server stopped: {e}");
        }
    });
    Ok(format!("http://{addr}"))
}

// ---------------------------------------------------------------------------------------------
// The generated agreements.

/// SplitMix64: deterministic, so every run generates the same agreements.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
        lo + i64::try_from(self.next() % span).unwrap_or(0)
    }

    fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// One of `items`, each as likely as its weight.
    fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut roll = self.next() % total.max(1);
        for (item, weight) in items {
            if roll < *weight {
                return *item;
            }
            roll -= weight;
        }
        items[0].0
    }
}

/// What was generated, for the report.
#[derive(Default)]
struct Generated {
    agreements: usize,
    moves: usize,
    activities: usize,
    outcomes: usize,
    by_stage: Vec<(Stage, usize)>,
    by_kind: Vec<(AgreementKind, usize)>,
    urusan: usize,
    stopped: usize,
    expiring: usize,
    elapsed: Duration,
}

const STAGE_WEIGHTS: [(Stage, u64); 10] = [
    (Stage::Persiapan, 6),
    (Stage::Penawaran, 5),
    (Stage::PenyusunanKb, 6),
    (Stage::PenandatangananKb, 5),
    (Stage::PenyusunanPks, 10),
    (Stage::PenandatangananPks, 6),
    (Stage::Pelaksanaan, 30),
    (Stage::MonitoringEvaluasi, 10),
    (Stage::Selesai, 12),
    (Stage::Diakhiri, 10),
];

const KIND_WEIGHTS: [(AgreementKind, u64); 6] = [
    (AgreementKind::Ksdpk, 55),
    (AgreementKind::KsddSukarela, 20),
    (AgreementKind::KsddWajib, 8),
    (AgreementKind::NotaKesepakatanPusat, 8),
    (AgreementKind::Ksdpl, 4),
    (AgreementKind::Ksdll, 5),
];

const REGIONS: [&str; 5] = [
    "Pemerintah Kota Cilegon",
    "Pemerintah Kabupaten Pandeglang",
    "Pemerintah Kabupaten Lebak",
    "Pemerintah Kabupaten Tangerang",
    "Pemerintah Provinsi Banten",
];
const CENTRAL: [&str; 4] = [
    "Kementerian Koperasi dan UKM",
    "Kementerian Kesehatan",
    "Kementerian Pariwisata dan Ekonomi Kreatif",
    "Badan Pusat Statistik",
];
const ABROAD: [&str; 4] =
    ["Pemerintah Kota Ipoh, Malaysia", "Japan International Cooperation Agency", "Pemerintah Kota Ulsan", "GIZ"];
const PROGRAMMES: [&str; 8] = [
    "Pengembangan",
    "Peningkatan kapasitas",
    "Pendampingan",
    "Penataan",
    "Optimalisasi layanan",
    "Kajian dan penerapan",
    "Pemberdayaan",
    "Digitalisasi",
];
const TOPICS: [&str; 10] = [
    "UMKM pangan olahan",
    "pengelolaan sampah terpadu",
    "layanan laboratorium kesehatan",
    "literasi keuangan pelaku usaha",
    "pariwisata religi Banten Lama",
    "air minum perpipaan",
    "sumber daya manusia bidang STEM",
    "pasar rakyat",
    "data ekonomi kreatif",
    "penanganan stunting",
];
const ACTIVITIES: [&str; 6] = [
    "Rapat koordinasi teknis",
    "Pelatihan pelaku usaha",
    "Survei lapangan",
    "Sosialisasi kepada warga",
    "Serah terima sarana",
    "Evaluasi triwulan",
];
const FUNDING: [FundingSource; 4] =
    [FundingSource::Apbd, FundingSource::Partner, FundingSource::Shared, FundingSource::Apbn];

/// Today in WIB, as the dashboard counts it.
fn today() -> Date {
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::now_utc().to_offset(offset).date()
}

fn days(n: i64) -> Days {
    Days::days(n)
}

/// The other party: a registered partner where the registry has one of the right kind,
/// otherwise a name only (a Pemda or an institution not in the registry).
fn party_for(kind: AgreementKind, partners: &[Partner], rng: &mut Rng) -> Party {
    let named = |name: &str| Party {
        partner_id: None,
        party_tenant: None,
        name: name.to_owned(),
        signatory_name: None,
        signatory_position: None,
        document_number: None,
        signs_by_authority: false,
    };
    let registered = |p: &Partner| Party {
        partner_id: Some(p.id),
        // Another Pemda using Sinergi sees the agreement from its side, as in the demo.
        party_tenant: (p.kind == PartnerKind::Region).then(|| p.region_code.clone()).flatten(),
        name: p.name.clone(),
        signatory_name: Some("Kepala Perangkat Daerah".to_owned()),
        signatory_position: None,
        document_number: None,
        signs_by_authority: false,
    };
    let regions: Vec<&Partner> = partners.iter().filter(|p| p.kind == PartnerKind::Region).collect();
    let others: Vec<&Partner> =
        partners.iter().filter(|p| !matches!(p.kind, PartnerKind::Region | PartnerKind::Foreign)).collect();
    match kind {
        AgreementKind::KsddWajib | AgreementKind::KsddSukarela if !regions.is_empty() && rng.percent(30) => {
            registered(rng.pick(&regions))
        }
        AgreementKind::KsddWajib | AgreementKind::KsddSukarela => named(rng.pick(&REGIONS)),
        AgreementKind::Ksdpk if !others.is_empty() => registered(rng.pick(&others)),
        AgreementKind::NotaKesepakatanPusat => named(rng.pick(&CENTRAL)),
        _ => named(rng.pick(&ABROAD)),
    }
}

/// The stages walked from persiapan to `reach`. A nota with the central government may go from
/// its signing straight to pelaksanaan. Persetujuan DPRD is never visited: no public store call
/// marks an agreement as burdening the public or not budgeted, and without that the DPRD route
/// is refused.
fn walk(reach: Stage, direct_nota: bool) -> Vec<Stage> {
    use Stage::*;
    let route: &[Stage] = if direct_nota {
        &[Penawaran, PenyusunanKb, PenandatangananKb, Pelaksanaan, MonitoringEvaluasi, Selesai]
    } else {
        &[
            Penawaran,
            PenyusunanKb,
            PenandatangananKb,
            PenyusunanPks,
            PenandatangananPks,
            Pelaksanaan,
            MonitoringEvaluasi,
            Selesai,
        ]
    };
    route.iter().copied().take_while(|s| *s <= reach).collect()
}

/// `n` agreements of Kota Serang through the store's public API, the way the region admin would
/// enter them: create, move stage by stage (signing dates on the way), activities, outcomes.
async fn generate(store: &Store, admin: &Actor, n: usize) -> anyhow::Result<Generated> {
    let start = Instant::now();
    let tenant = RegionCode::parse(TENANT).map_err(|e| anyhow::anyhow!("{e}"))?;
    let partners: Vec<Partner> =
        store.partners(admin, &Default::default()).await?.into_iter().filter(|p| p.tenant == tenant).collect();
    let urusan: Vec<&str> = sinergi_reference::urusan_all().iter().map(|u| u.code.as_str()).collect();
    if urusan.is_empty() {
        bail!("no urusan in the reference data");
    }
    let today = today();
    let mut rng = Rng(0x5EED_2026);
    let mut out = Generated::default();
    for i in 0..n {
        let kind = rng.weighted(&KIND_WEIGHTS);
        let target = rng.weighted(&STAGE_WEIGHTS);
        // A terminated agreement ended somewhere between persiapan and pelaksanaan.
        let (reach, termination) = match target {
            Stage::Diakhiri => {
                let at = rng.weighted(&STAGE_WEIGHTS[..7]);
                (at, Some(rng.pick(&TerminationReason::ALL)))
            }
            s => (s, None),
        };
        let direct_nota = kind == AgreementKind::NotaKesepakatanPusat && reach >= Stage::Pelaksanaan && rng.percent(50);
        let stages = walk(reach, direct_nota);
        let kb_signed = reach > Stage::PenandatangananKb;
        let pks_signed = reach > Stage::PenandatangananPks && !direct_nota;
        // Stopped on paper: signed long ago, nothing recorded since.
        let stalled = kb_signed && target < Stage::Selesai && rng.percent(15);
        let kb_on = today - days(rng.between(if stalled { 400 } else { 30 }, 1500));
        let pks_on = (kb_on + days(rng.between(20, 200))).min(today - days(1));
        let signed_on = if pks_signed { pks_on } else { kb_on };
        let ends_on = match (target, rng.between(0, 99)) {
            (Stage::Selesai, _) => Some(today - days(rng.between(1, 700))),
            // Ending within the reminder window.
            (t, 0..=5) if t < Stage::Selesai && kb_signed => Some(today + days(rng.between(0, 90))),
            (_, 6..=15) => None,
            _ => Some(signed_on + days(365 * rng.between(1, 5))),
        };
        let partner = party_for(kind, &partners, &mut rng);
        let title = format!(
            "{} {} bersama {} ({})",
            rng.pick(&PROGRAMMES),
            rng.pick(&TOPICS),
            partner.name.trim_start_matches("Pemerintah "),
            i + 1
        );
        let new = NewAgreement {
            kind,
            scope: format!(
                "Ruang lingkup: {} dengan pembagian peran, pendanaan, dan pelaporan berkala kepada Bagian Kerja Sama.",
                title.to_lowercase()
            ),
            title,
            urusan_code: rng.pick(&urusan).to_owned(),
            starts_on: kb_signed.then_some(kb_on),
            ends_on,
            value: rng.percent(60).then(|| rng.between(50, 20_000) * 1_000_000),
            funding: rng.percent(60).then(|| rng.pick(&FUNDING)),
            funding_form: None,
            location_codes: Vec::new(),
            agency_id: None,
            parties: vec![partner],
            need_ids: Vec::new(),
        };
        let agreement = store.create_agreement(admin, &tenant, new).await?;
        let id = agreement.id;
        for to in &stages {
            let step = StageMove {
                feasibility_done: true,
                kb_signed_on: (*to > Stage::PenandatangananKb).then_some(kb_on),
                pks_signed_on: (*to > Stage::PenandatangananPks && !direct_nota).then_some(pks_on),
                ..Default::default()
            };
            store.move_agreement(admin, id, *to, step).await?;
            out.moves += 1;
        }
        if let Some(reason) = termination {
            let step = StageMove {
                termination: Some(reason),
                note: Some("Diakhiri atas kesepakatan para pihak.".to_owned()),
                ..Default::default()
            };
            store.move_agreement(admin, id, Stage::Diakhiri, step).await?;
            out.moves += 1;
        }
        // Activities: planned ones before the KB is signed; done ones after, the last of them
        // recent unless the agreement stalled.
        let running = reach >= Stage::Pelaksanaan;
        let count = match (kb_signed, running) {
            (false, _) => rng.between(0, 2),
            (true, false) => rng.between(1, 3),
            (true, true) => rng.between(1, 4),
        };
        for k in 0..count {
            let (planned_on, done_on) = if !kb_signed {
                let on = today + days(rng.between(10, 200));
                (Some(on), None)
            } else if stalled {
                let on = (signed_on - days(rng.between(0, 60))).min(today - days(200));
                (Some(on), Some(on))
            } else if k + 1 == count && target < Stage::Selesai {
                let on = today - days(rng.between(0, 150));
                (Some(on), Some(on.max(signed_on)))
            } else {
                let on = signed_on + days(rng.between(0, (today - signed_on).whole_days().max(0)));
                (Some(on), Some(on))
            };
            let activity = Activity {
                id: ActivityId::new(),
                agency_id: None,
                status: sinergi_domain::cooperation::outcomes::ActivityStatus::from_dates(done_on.is_some()),
                agreement_id: id,
                title: format!("{} {}", rng.pick(&ACTIVITIES), k + 1),
                planned_on,
                done_on,
                budget: rng.percent(50).then(|| rng.between(5, 500) * 1_000_000),
            };
            store.add_activity(admin, id, activity, None).await?;
            out.activities += 1;
        }
        let outcomes = if running && !stalled { rng.between(0, 4) } else { 0 };
        for _ in 0..outcomes {
            let kind = rng.pick(&OutcomeKind::ALL);
            let (unit, value) = match kind {
                OutcomeKind::Beneficiaries => ("orang", rng.between(20, 5_000)),
                OutcomeKind::UmkmReached => ("UMKM", rng.between(5, 300)),
                OutcomeKind::Other => ("km", rng.between(1, 40)),
                _ => ("Rp", rng.between(10, 5_000) * 1_000_000),
            };
            let from = if pks_signed { pks_on } else { kb_on };
            let outcome = Outcome {
                id: OutcomeId::new(),
                baseline: None,
                target: None,
                agreement_id: id,
                kind,
                label: format!("Capaian {}", kind.slug()),
                unit: unit.to_owned(),
                value,
                period: today.year().to_string(),
                evidence: Some("Berita acara dan daftar hadir".to_owned()),
                recorded_on: from + days(rng.between(0, (today - from).whole_days().max(0))),
            };
            store.add_outcome(admin, id, outcome, None).await?;
            out.outcomes += 1;
        }
        out.agreements += 1;
        if (i + 1) % 1000 == 0 {
            eprintln!("  generated {} agreements ({:.0?})", i + 1, start.elapsed());
        }
    }
    out.elapsed = start.elapsed();
    describe(store, admin, &mut out).await?;
    Ok(out)
}

/// Count what the tenant now holds, by the same rules the dashboard applies.
async fn describe(store: &Store, admin: &Actor, out: &mut Generated) -> anyhow::Result<()> {
    let p = store.portfolio(admin).await?;
    let today = today();
    out.by_stage = Stage::ALL.into_iter().map(|s| (s, p.agreements.iter().filter(|a| a.stage == s).count())).collect();
    out.by_kind =
        AgreementKind::ALL.into_iter().map(|k| (k, p.agreements.iter().filter(|a| a.kind == k).count())).collect();
    let mut urusan: Vec<&str> = p.agreements.iter().map(|a| a.urusan_code.as_str()).collect();
    urusan.sort_unstable();
    urusan.dedup();
    out.urusan = urusan.len();
    let rule = DormancyRule::default();
    for a in &p.agreements {
        if p.dormancy(a, rule, today).is_some() {
            out.stopped += 1;
        }
        if a.ends_on
            .is_some_and(|end| !a.stage.is_terminal() && expiry_reminder(end, today, &DEFAULT_REMINDER_DAYS).is_some())
        {
            out.expiring += 1;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Measuring.

struct Stats {
    median: Duration,
    p95: Duration,
    min: Duration,
}

impl Stats {
    fn of(samples: &mut [Duration]) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        samples.sort_unstable();
        let n = samples.len();
        let median = if n % 2 == 1 { samples[n / 2] } else { (samples[n / 2 - 1] + samples[n / 2]) / 2 };
        // Nearest rank.
        let p95 = samples[(n * 95).div_ceil(100).clamp(1, n) - 1];
        Some(Self { median, p95, min: samples[0] })
    }
}

enum Measurement {
    Measured { demo: Stats, big: Stats, demo_bytes: usize, big_bytes: usize, iters: usize },
    NotAvailable,
}

struct Row {
    route: String,
    result: Measurement,
}

/// Time one route on both instances, alternating, after two warm-up requests each.
async fn measure<F, Fut>(settings: &Settings, fetch: F) -> anyhow::Result<Measurement>
where
    F: Fn(bool) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<(StatusCode, usize, Duration)>>,
{
    let (demo_status, _, _) = fetch(false).await?;
    let (big_status, _, _) = fetch(true).await?;
    if demo_status == StatusCode::NOT_FOUND || big_status == StatusCode::NOT_FOUND {
        return Ok(Measurement::NotAvailable);
    }
    if demo_status != StatusCode::OK || big_status != StatusCode::OK {
        bail!("answered {demo_status} (demo) and {big_status} (10k)");
    }
    fetch(false).await?;
    fetch(true).await?;
    let (mut demo, mut big) = (Vec::new(), Vec::new());
    let (mut demo_bytes, mut big_bytes) = (0, 0);
    let start = Instant::now();
    while demo.len() < settings.max_iters && (demo.len() < settings.min_iters || start.elapsed() < settings.budget) {
        let (_, bytes, t) = fetch(false).await?;
        demo.push(t);
        demo_bytes = bytes;
        let (_, bytes, t) = fetch(true).await?;
        big.push(t);
        big_bytes = bytes;
    }
    let iters = demo.len();
    match (Stats::of(&mut demo), Stats::of(&mut big)) {
        (Some(demo), Some(big)) => Ok(Measurement::Measured { demo, big, demo_bytes, big_bytes, iters }),
        _ => bail!("no samples"),
    }
}

fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1000.0;
    if v < 10.0 {
        format!("{v:.2} ms")
    } else if v < 1000.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.0} ms")
    }
}

fn size(bytes: usize) -> String {
    let b = bytes as f64;
    if b < 1024.0 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KiB", b / 1024.0)
    } else {
        format!("{:.2} MiB", b / 1024.0 / 1024.0)
    }
}

/// `VmHWM` (peak) and `VmRSS` of this process, from /proc.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l[name.len()..].trim().to_owned())
            .unwrap_or_else(|| "n/a".to_owned())
    };
    format!("peak RSS (VmHWM) {}, RSS now {}", field("VmHWM:"), field("VmRSS:"))
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get().to_string()).unwrap_or_else(|_| "?".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total = meminfo.lines().find(|l| l.starts_with("MemTotal:")).map(|l| l[9..].trim().to_owned());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_owned());
    format!(
        "{cores} cores ({}), memory {}",
        cpu.unwrap_or_else(|| "cpu unknown".into()),
        total.unwrap_or_else(|| "unknown".into())
    )
}

async fn run(settings: &Settings) -> anyhow::Result<String> {
    let big_label = match settings.agreements {
        n if n >= 1000 && n % 1000 == 0 => format!("{}k", n / 1000),
        n => format!("+{n}"),
    };
    eprintln!("building the demo instance");
    let (demo, _) = Instance::start("demo", 0).await?;
    eprintln!("building the {big_label} instance: demo data + {} agreements of Kota Serang", settings.agreements);
    let (big, generated) = Instance::start(&big_label, settings.agreements).await?;
    let generated = generated.unwrap_or_default();
    let memory_after_setup = memory();
    let pair = [&demo, &big];

    let mut rows = Vec::new();
    for route in ROUTES.iter().filter(|r| settings.selected(r)) {
        eprintln!("timing {route}");
        let result = measure(settings, |second| {
            let inst = pair[usize::from(second)];
            let path = inst.path(route);
            async move { inst.get(&path).await }
        })
        .await
        .with_context(|| format!("GET {route}"))?;
        rows.push(Row { route: format!("GET {route}"), result });
    }
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    for route in TCP_ROUTES.iter().filter(|r| settings.selected(r)) {
        eprintln!("timing {route} over TCP");
        let http = &http;
        let result = measure(settings, |second| {
            let inst = pair[usize::from(second)];
            let path = inst.path(route);
            async move { inst.get_tcp(http, &path).await }
        })
        .await
        .with_context(|| format!("GET {route} over TCP"))?;
        rows.push(Row { route: format!("GET {route} (TCP, keep-alive)"), result });
    }
    for inst in pair {
        inst.store.close().await;
    }
    Ok(report(settings, &big_label, &generated, &rows, &memory_after_setup, &demo.label))
}

fn report(settings: &Settings, big: &str, g: &Generated, rows: &[Row], memory_after_setup: &str, demo: &str) -> String {
    let mut s = String::new();
    let now = time::OffsetDateTime::now_utc();
    let _ = writeln!(s, "### Run of {} UTC", now.date());
    let _ = writeln!(s);
    let _ = writeln!(s, "- machine: {}", machine());
    let _ = writeln!(s, "- command: `cargo bench -p sinergi-web --bench cooperation_pages`");
    let _ = writeln!(
        s,
        "- sampling: {demo} and {big} alternately, {}–{} iterations or {} s per route, after 2 warm-up requests each",
        settings.min_iters,
        settings.max_iters,
        settings.budget.as_secs()
    );
    let _ = writeln!(
        s,
        "- {big} data: {} agreements generated through the store API in {:.0?} ({} stage moves, {} activities, {} outcomes: {:.2} and {:.2} per agreement)",
        g.agreements,
        g.elapsed,
        g.moves,
        g.activities,
        g.outcomes,
        g.activities as f64 / g.agreements.max(1) as f64,
        g.outcomes as f64 / g.agreements.max(1) as f64
    );
    let stages: Vec<String> = g.by_stage.iter().map(|(st, n)| format!("{} {n}", st.slug())).collect();
    let kinds: Vec<String> = g.by_kind.iter().map(|(k, n)| format!("{} {n}", k.slug())).collect();
    let _ = writeln!(s, "- Kota Serang now holds, by stage: {}", stages.join(", "));
    let _ = writeln!(s, "- by kind: {}; {} distinct urusan", kinds.join(", "), g.urusan);
    let _ = writeln!(s, "- stopped on paper: {}; ending within 90 days: {}", g.stopped, g.expiring);
    let _ = writeln!(s, "- memory after setup: {memory_after_setup}; at the end: {}", memory());
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "| route | {demo} median | {demo} p95 | {big} median | {big} p95 | ratio {big}/{demo} | bytes ({demo} / {big}) | iters |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        match &row.result {
            Measurement::Measured { demo, big, demo_bytes, big_bytes, iters } => {
                let ratio = big.median.as_secs_f64() / demo.median.as_secs_f64().max(1e-9);
                let _ = writeln!(
                    s,
                    "| `{}` | {} | {} | {} | {} | {ratio:.1}× | {} / {} | {iters} |",
                    row.route,
                    ms(demo.median),
                    ms(demo.p95),
                    ms(big.median),
                    ms(big.p95),
                    size(*demo_bytes),
                    size(*big_bytes)
                );
            }
            Measurement::NotAvailable => {
                let _ = writeln!(s, "| `{}` | not available | | | | | | |", row.route);
            }
        }
    }
    let _ = writeln!(s);
    let mins: Vec<String> = rows
        .iter()
        .filter_map(|r| match &r.result {
            Measurement::Measured { demo, big, .. } => Some(format!("{}: {} / {}", r.route, ms(demo.min), ms(big.min))),
            Measurement::NotAvailable => None,
        })
        .collect();
    let _ = writeln!(s, "Fastest single request ({demo} / {big}): {}.", mins.join("; "));
    s
}

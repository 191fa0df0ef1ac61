//! Demand → suppliers at a million suppliers: the engine (`sinergi_engines::supply`) against the
//! same ranked query in PostgreSQL (full-text search with a GIN index, plus the filters), on the
//! same generated data, side by side in one run. See `bench/matching.md`.
//!
//!     SUPPLIERS=1000000 RUNS=201 PG_RUNS=21 scripts/with-postgres \
//!       cargo bench -p sinergi-store --bench matching
//!
//! Without `SINERGI_TEST_POSTGRES_URL` (scripts/with-postgres sets it) only the engine runs.

use std::time::{Duration, Instant};

use sinergi_domain::market::catalogue::Category;
use sinergi_domain::umkm::PermitKind;
use sinergi_domain::{BusinessId, KbliCode, RegionCode};
use sinergi_engines::supply::{DemandQuery, HeldPermit, SupplierFacts, SupplierRef, SupplyIndex, category_of_kbli};
use sqlx::Row;
use time::Date;
use time::macros::date;

const ON: Date = date!(2026 - 12 - 31);

/// A seeded generator: the same data every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// What a business makes, by KBLI: the words its products are written with.
const TRADES: &[(&str, &[&str])] = &[
    ("01462", &["telur ayam ras", "telur ayam negeri", "telur omega", "ayam petelur"]),
    ("01461", &["ayam potong", "daging ayam broiler", "ayam pedaging"]),
    ("01131", &["sayur bayam", "kangkung", "sawi hijau", "sayuran daun segar"]),
    ("01132", &["cabai merah", "tomat", "terong ungu"]),
    ("01111", &["beras", "padi", "gabah kering"]),
    ("03221", &["ikan lele", "ikan nila", "bandeng segar"]),
    ("10794", &["keripik singkong", "emping melinjo", "rengginang", "kerupuk kulit"]),
    ("10710", &["roti manis", "kue basah", "bolu pandan"]),
    ("10750", &["nasi kotak", "katering harian", "lauk pauk"]),
    ("11040", &["air minum kemasan", "es teh", "jamu kunyit asam"]),
    ("13912", &["kain tenun", "songket"]),
    ("14111", &["seragam kerja", "kaos sablon", "jahit pakaian"]),
    ("16291", &["anyaman bambu", "kerajinan kayu", "besek"]),
    ("32909", &["souvenir", "gantungan kunci", "kerajinan tangan"]),
    ("47211", &["warung sembako", "toko kelontong"]),
    ("56101", &["rumah makan", "sate bandeng", "nasi uduk"]),
];
const NAME_HEAD: &[&str] =
    &["Usaha", "Toko", "Peternakan", "Kebun", "Dapur", "Rumah", "Sentra", "Kelompok", "CV", "UD"];
const NAME_TAIL: &[&str] = &[
    "Berkah",
    "Jaya",
    "Makmur",
    "Sejahtera",
    "Barokah",
    "Mandiri",
    "Lestari",
    "Sari",
    "Abadi",
    "Sentosa",
    "Rizki",
    "Amanah",
    "Mulya",
    "Indah",
    "Sinar",
];

fn region(rng: &mut Rng) -> String {
    // Kabupaten Serang's 29 kecamatan, up to 15 desa each; a few suppliers from elsewhere in Banten.
    if rng.chance(5) {
        return format!("36.{:02}.{:02}.2{:03}", rng.pick(&[1u8, 2, 3, 73, 74]), 1 + rng.below(10), 1 + rng.below(15));
    }
    format!("36.04.{:02}.2{:03}", 1 + rng.below(29), 1 + rng.below(15))
}

fn generate(n: usize) -> Vec<SupplierFacts> {
    let mut rng = Rng(7);
    (0..n)
        .map(|i| {
            let (kbli, products) = *rng.pick(TRADES);
            let mut text = rng.pick(products).to_string();
            if rng.chance(40) {
                text.push_str(", ");
                let more: &&str = rng.pick(products);
                text.push_str(more);
            }
            let name = format!("{} {} {}", rng.pick(NAME_HEAD), rng.pick(NAME_TAIL), rng.pick(NAME_TAIL));
            let code = KbliCode::parse(kbli).expect("kbli");
            let mut permits = Vec::new();
            if rng.chance(70) {
                permits.push(HeldPermit { kind: PermitKind::Nib, expires: None });
            }
            if rng.chance(30) {
                permits.push(HeldPermit {
                    kind: PermitKind::Pirt,
                    expires: Some(date!(2025 - 01 - 01) + time::Duration::days(rng.below(1500) as i64)),
                });
            }
            if rng.chance(20) {
                permits.push(HeldPermit {
                    kind: PermitKind::Halal,
                    expires: Some(date!(2025 - 01 - 01) + time::Duration::days(rng.below(1500) as i64)),
                });
            }
            SupplierFacts {
                id: SupplierRef::Business(BusinessId::from_uuid(uuid::Uuid::from_u128(i as u128 + 1))),
                name,
                active: rng.chance(97),
                region: RegionCode::parse(&region(&mut rng)).ok(),
                categories: category_of_kbli(&code).into_iter().collect(),
                kbli: vec![code],
                text,
                permits,
                capacity_per_month: rng.chance(40).then(|| 100 + rng.below(20_000) as i64),
                curated_products: if rng.chance(3) { 1 + rng.below(3) as u16 } else { 0 },
                channels: if rng.chance(5) { 1 + rng.below(2) as u16 } else { 0 },
                past_deals: if rng.chance(2) { 1 + rng.below(4) as u16 } else { 0 },
            }
        })
        .collect()
}

struct Demand {
    label: &'static str,
    query: DemandQuery,
}

fn demand(
    label: &'static str,
    kbli: Option<&str>,
    category: Option<Category>,
    text: &str,
    region: &str,
    permits: &[PermitKind],
    monthly: i64,
) -> Demand {
    Demand {
        label,
        query: DemandQuery {
            kbli: kbli.map(|k| KbliCode::parse(k).expect("kbli")),
            category,
            text: text.into(),
            region: RegionCode::parse(region).ok(),
            permits: permits.to_vec(),
            monthly_quantity: Some(monthly),
            on: ON,
        },
    }
}

fn demands() -> Vec<Demand> {
    use PermitKind::*;
    vec![
        demand(
            "SPPG eggs, KBLI + words + NIB",
            Some("01462"),
            Some(Category::Pertanian),
            "Telur ayam ras segar",
            "36.04.15.2001",
            &[Nib],
            5_200,
        ),
        demand(
            "SPPG vegetables, category + words",
            None,
            Some(Category::Pertanian),
            "Sayur bayam kangkung sawi",
            "36.04.16.2004",
            &[],
            1_300,
        ),
        demand(
            "canteen snacks, P-IRT valid",
            Some("10794"),
            Some(Category::Makanan),
            "keripik emping rengginang",
            "36.04.15.2001",
            &[Pirt],
            2_000,
        ),
        demand(
            "catering, halal + NIB",
            Some("10750"),
            Some(Category::Makanan),
            "nasi kotak katering harian",
            "36.04.12.2003",
            &[Halal, Nib],
            15_000,
        ),
        demand("words only, typo (telor)", None, None, "telor ayam negri", "36.04.14.2002", &[], 100),
        demand("KBLI 2 digits only (10)", Some("10"), None, "", "36.04.01.2001", &[], 100),
        demand(
            "uniforms, words",
            Some("14111"),
            Some(Category::Fesyen),
            "seragam kerja pabrik",
            "36.04.15.2005",
            &[Nib],
            500,
        ),
        demand("crafts souvenir", None, Some(Category::Kerajinan), "souvenir anyaman bambu", "36.73.01.2001", &[], 100),
        // The demo's factory canteen as posted: a long description whose common words
        // ("makanan", "untuk") touch most food suppliers, and a P-IRT most of them lack.
        demand(
            "demo canteen, long text + P-IRT",
            Some("10794"),
            Some(Category::Makanan),
            "Keripik dan makanan ringan untuk kantin karyawan Makanan ringan kemasan (keripik, emping, rengginang) untuk kantin 2.500 karyawan.",
            "36.04.15.2001",
            &[Pirt],
            2_167,
        ),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort_unstable();
    (percentile(&v, 0.5), percentile(&v, 0.99))
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

const PG_TABLE: &str = "CREATE TABLE bench_suppliers (
    id bigint PRIMARY KEY, active boolean NOT NULL, kbli text NOT NULL, kbli2 text NOT NULL,
    categories text[] NOT NULL, doc tsvector NOT NULL, prov text, kab text, kec text, desa text,
    nib boolean NOT NULL, pirt_until date, halal_until date, capacity bigint,
    curated int NOT NULL, channels int NOT NULL, deals int NOT NULL)";

async fn pg_load(pool: &sqlx::PgPool, facts: &[SupplierFacts]) -> sqlx::Result<Duration> {
    let started = Instant::now();
    sqlx::query("DROP TABLE IF EXISTS bench_suppliers").execute(pool).await?;
    sqlx::query(PG_TABLE).execute(pool).await?;
    for (b, chunk) in facts.chunks(10_000).enumerate() {
        let mut ids = Vec::new();
        let mut active = Vec::new();
        let mut kbli = Vec::new();
        let mut cats = Vec::new();
        let mut texts = Vec::new();
        let mut desa = Vec::new();
        let mut nib = Vec::new();
        // Dates as ISO text, cast in SQL: the store's sqlx has no date types.
        let mut pirt: Vec<Option<String>> = Vec::new();
        let mut halal: Vec<Option<String>> = Vec::new();
        let mut cap: Vec<Option<i64>> = Vec::new();
        let mut curated = Vec::new();
        let mut channels = Vec::new();
        let mut deals = Vec::new();
        for (i, f) in chunk.iter().enumerate() {
            ids.push((b * 10_000 + i + 1) as i64);
            active.push(f.active);
            kbli.push(f.kbli[0].as_str().to_owned());
            cats.push(f.categories.iter().map(|c| c.slug()).collect::<Vec<_>>().join(","));
            texts.push(format!("{} {}", f.name, f.text));
            desa.push(f.region.as_ref().map(|r| r.as_str().to_owned()).unwrap_or_default());
            nib.push(f.permits.iter().any(|p| p.kind == PermitKind::Nib));
            pirt.push(
                f.permits.iter().find(|p| p.kind == PermitKind::Pirt).and_then(|p| p.expires).map(|d| d.to_string()),
            );
            halal.push(
                f.permits.iter().find(|p| p.kind == PermitKind::Halal).and_then(|p| p.expires).map(|d| d.to_string()),
            );
            cap.push(f.capacity_per_month);
            curated.push(i32::from(f.curated_products));
            channels.push(i32::from(f.channels));
            deals.push(i32::from(f.past_deals));
        }
        sqlx::query(
            "INSERT INTO bench_suppliers
             SELECT id, active, kbli, left(kbli, 2), string_to_array(cats, ','), to_tsvector('simple', txt),
                    split_part(desa, '.', 1), array_to_string((string_to_array(desa, '.'))[1:2], '.'),
                    array_to_string((string_to_array(desa, '.'))[1:3], '.'), desa,
                    nib, pirt, halal, cap, curated, channels, deals
             FROM unnest($1::bigint[], $2::bool[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[],
                         $8::text[]::date[], $9::text[]::date[], $10::bigint[], $11::int[], $12::int[], $13::int[])
                  AS t(id, active, kbli, cats, txt, desa, nib, pirt, halal, cap, curated, channels, deals)",
        )
        .bind(&ids)
        .bind(&active)
        .bind(&kbli)
        .bind(&cats)
        .bind(&texts)
        .bind(&desa)
        .bind(&nib)
        .bind(&pirt)
        .bind(&halal)
        .bind(&cap)
        .bind(&curated)
        .bind(&channels)
        .bind(&deals)
        .execute(pool)
        .await?;
    }
    for ddl in [
        "CREATE INDEX bench_suppliers_doc ON bench_suppliers USING gin (doc)",
        "CREATE INDEX bench_suppliers_kbli2 ON bench_suppliers (kbli2)",
        "CREATE INDEX bench_suppliers_categories ON bench_suppliers USING gin (categories)",
        "ANALYZE bench_suppliers",
    ] {
        sqlx::query(ddl).execute(pool).await?;
    }
    Ok(started.elapsed())
}

/// The engine's ranking as one SQL query: the same hard filters, the same points (words exact
/// only: full-text search has no spelling tolerance), the same tie rule (id ascending).
const PG_QUERY: &str = "
SELECT id, score FROM (
  SELECT id,
    (CASE WHEN $1 = '' THEN 0 WHEN kbli = $1 THEN 8 WHEN length($1) >= 4 AND left(kbli, 4) = left($1, 4) THEN 6
          WHEN length($1) >= 3 AND left(kbli, 3) = left($1, 3) THEN 4 WHEN kbli2 = left($1, 2) THEN 2 ELSE 0 END)
  + (CASE WHEN $2 <> '' AND $2 = ANY(categories) THEN 3 ELSE 0 END)
  + 2 * (SELECT count(*) FROM unnest($3::text[]) w WHERE doc @@ to_tsquery('simple', w))::int
  + (CASE WHEN desa = $4 THEN 6 WHEN kec = $5 THEN 4 WHEN kab = $6 THEN 2 WHEN prov = $7 THEN 1 ELSE 0 END)
  + (CASE WHEN curated > 0 THEN 2 ELSE 0 END) + LEAST(channels, 2) + LEAST(deals, 3) AS score
  FROM bench_suppliers
  WHERE active
    AND (NOT $8 OR nib) AND (NOT $9 OR pirt_until >= $11::date) AND (NOT $10 OR halal_until >= $11::date)
    AND (capacity IS NULL OR capacity >= $12)
    AND (($1 <> '' AND kbli2 = left($1, 2)) OR ($2 <> '' AND categories @> ARRAY[$2])
         OR (cardinality($3::text[]) > 0 AND doc @@ to_tsquery('simple', array_to_string($3::text[], ' | '))))
) s ORDER BY score DESC, id LIMIT 20";

async fn pg_top(pool: &sqlx::PgPool, q: &DemandQuery) -> sqlx::Result<Vec<(i64, i32)>> {
    let words: Vec<String> =
        q.text.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 3).map(str::to_owned).fold(
            Vec::new(),
            |mut words, w| {
                // Each word counts once, as the engine counts it: "keripik … keripik" is one.
                if !words.contains(&w) {
                    words.push(w);
                }
                words
            },
        );
    let region = q.region.as_ref().map(|r| r.as_str().to_owned()).unwrap_or_default();
    let parts: Vec<&str> = region.split('.').collect();
    let level = |n: usize| if parts.len() >= n { parts[..n].join(".") } else { "-".into() };
    let rows = sqlx::query(PG_QUERY)
        .bind(q.kbli.as_ref().map(|k| k.as_str().to_owned()).unwrap_or_default())
        .bind(q.category.map(|c| c.slug()).unwrap_or(""))
        .bind(&words)
        .bind(level(4))
        .bind(level(3))
        .bind(level(2))
        .bind(level(1))
        .bind(q.permits.contains(&PermitKind::Nib))
        .bind(q.permits.contains(&PermitKind::Pirt))
        .bind(q.permits.contains(&PermitKind::Halal))
        .bind(q.on.to_string())
        .bind(q.monthly_quantity.unwrap_or(0))
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(|r| (r.get::<i64, _>(0), r.get::<i32, _>(1))).collect())
}

fn main() {
    let n = env("SUPPLIERS", 1_000_000);
    let runs = env("RUNS", 201);
    let pg_runs = env("PG_RUNS", 21);
    println!("# matching bench: {n} suppliers, {runs} engine runs and {pg_runs} PostgreSQL runs per demand\n");
    let t = Instant::now();
    let facts = generate(n);
    println!("- generated in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut index = SupplyIndex::build(facts.clone());
    println!("- engine index built in {:.1} s ({} live suppliers)", t.elapsed().as_secs_f64(), index.len());

    let list = demands();
    let mut engine: Vec<(f64, f64, usize, u32)> = Vec::new();
    let mut all = Vec::new();
    for d in &list {
        let first = index.top(&d.query, 20);
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            let top = index.top(&d.query, 20);
            times.push(t.elapsed());
            std::hint::black_box(top);
        }
        all.extend(times.iter().copied());
        let (p50, p99) = stats(times);
        engine.push((p50, p99, first.len(), first.first().map_or(0, |m| m.score)));
    }
    let (all50, all99) = stats(all);

    // A write visible to matching: a new supplier upserted, then the next ranking lists it.
    let mut visible = Vec::new();
    let q = &list[0].query;
    for i in 0..200u128 {
        let f = SupplierFacts {
            id: SupplierRef::Business(BusinessId::from_uuid(uuid::Uuid::from_u128(u128::MAX - i))),
            name: format!("Peternakan Telur Baru {i}"),
            active: true,
            region: RegionCode::parse("36.04.15.2001").ok(),
            kbli: vec![KbliCode::parse("01462").expect("kbli")],
            categories: vec![Category::Pertanian],
            text: "telur ayam ras segar".into(),
            permits: vec![HeldPermit { kind: PermitKind::Nib, expires: None }],
            capacity_per_month: None,
            curated_products: 3,
            channels: 2,
            past_deals: 3,
        };
        let id = f.id;
        let t = Instant::now();
        index.upsert(f);
        let top = index.top(q, 20);
        visible.push(t.elapsed());
        assert!(top.iter().any(|m| m.supplier == id), "the new supplier is ranked at once");
    }
    let (w50, w99) = stats(visible);

    let mut pg: Vec<Option<(f64, f64, usize, i32)>> = vec![None; list.len()];
    let mut pg_load_s = None;
    if let Ok(url) = std::env::var("SINERGI_TEST_POSTGRES_URL") {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let pool = sqlx::postgres::PgPoolOptions::new().max_connections(2).connect(&url).await.expect("connect");
            let loaded = pg_load(&pool, &facts).await.expect("load");
            pg_load_s = Some(loaded.as_secs_f64());
            for (i, d) in list.iter().enumerate() {
                let first = pg_top(&pool, &d.query).await.expect("query");
                let mut times = Vec::with_capacity(pg_runs);
                for _ in 0..pg_runs {
                    let t = Instant::now();
                    std::hint::black_box(pg_top(&pool, &d.query).await.expect("query"));
                    times.push(t.elapsed());
                }
                let (p50, p99) = stats(times);
                pg[i] = Some((p50, p99, first.len(), first.first().map_or(0, |r| r.1)));
            }
            sqlx::query("DROP TABLE bench_suppliers").execute(&pool).await.expect("drop");
        });
    }

    if let Some(s) = pg_load_s {
        println!("- PostgreSQL table loaded and indexed (GIN on the tsvector) in {s:.1} s");
    }
    println!("- engine, all demands: p50 {all50:.2} ms, p99 {all99:.2} ms");
    println!("- write → visible (upsert + next ranking lists it): p50 {w50:.3} ms, p99 {w99:.3} ms\n");
    println!(
        "| demand | engine p50 ms | engine p99 ms | found | best | PostgreSQL p50 ms | PostgreSQL p99 ms | found | best | p50 ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (i, d) in list.iter().enumerate() {
        let (e50, e99, found, best) = engine[i];
        match pg[i] {
            Some((p50, p99, pfound, pbest)) => println!(
                "| {} | {e50:.2} | {e99:.2} | {found} | {best} | {p50:.1} | {p99:.1} | {pfound} | {pbest} | {:.0}× |",
                d.label,
                p50 / e50.max(0.001)
            ),
            None => println!("| {} | {e50:.2} | {e99:.2} | {found} | {best} | — | — | — | — | — |", d.label),
        }
    }
}

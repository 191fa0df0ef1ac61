//! The registry list and its export through the in-memory search: the index answers the same
//! rows, in the same order and with the same totals, as the SQL it replaces (which still answers
//! while an index is being built); its name search forgives spelling; and every write that
//! changes businesses (a committed file, a merge, its undoing, a split) shows in the next list.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::{Session, TestApp};
use reqwest::StatusCode;
use sinergi_domain::umkm::{Permit, PermitKind, PirtNumber, SizeClass, SourceRecord};
use sinergi_domain::{Actor, BusinessId, KbliCode, RegionCode, Role};
use sinergi_store::umkm::{BusinessFilter, Incoming, NewImport, Origin, Provenance};

const KAB: &str = "kabupaten-serang";

async fn page(app: &TestApp, s: &Session, path: &str) -> String {
    let r = app.get(Some(s), path).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK, "GET {path}");
    r.text().await.expect("html")
}

/// The number shown in `data-testid="{id}">N<`.
fn stat(html: &str, id: &str) -> u64 {
    let marker = format!("data-testid=\"{id}\">");
    let at = html.find(&marker).unwrap_or_else(|| panic!("{id} not on the page")) + marker.len();
    html[at..].split('<').next().unwrap_or_default().replace('.', "").trim().parse().expect("a number")
}

/// The businesses a list page shows, in order.
fn listed(html: &str) -> Vec<BusinessId> {
    html.split("href=\"/umkm/").skip(1).filter_map(|s| s.split('"').next()?.parse().ok()).collect()
}

/// Which path answered the page: "index" or "sql".
fn listed_by(html: &str) -> String {
    let marker = "data-listed-by=\"";
    let at = html.find(marker).expect("a data-listed-by") + marker.len();
    html[at..].split('"').next().unwrap_or_default().to_owned()
}

struct Officer {
    session: Session,
    actor: Actor,
    tenant: RegionCode,
}

async fn officer(app: &TestApp) -> Officer {
    let session = app.session(Role::UmkmOfficer, KAB).await;
    let actor = session.user.actor();
    let tenant = session.user.tenant.clone().expect("tenant");
    Officer { session, actor, tenant }
}

/// The SQL list (what answers while the index is built) for the same filters.
async fn sql(app: &TestApp, o: &Officer, filter: &BusinessFilter, offset: u64) -> (Vec<BusinessId>, u64) {
    let page = app.store.umkm_businesses(&o.actor, &o.tenant, filter, offset, 50).await.expect("sql list");
    (page.rows.iter().map(|r| r.id).collect(), page.total)
}

/// The page at `query` must list what SQL lists for `filter`, answered by `by`.
async fn same_as_sql(app: &TestApp, o: &Officer, query: &str, filter: &BusinessFilter, offset: u64, by: &str) {
    let html = page(app, &o.session, &format!("/umkm?{query}")).await;
    assert_eq!(listed_by(&html), by, "{query}");
    let (ids, total) = sql(app, o, filter, offset).await;
    assert_eq!(stat(&html, "umkm-total"), total, "total of {query}");
    assert_eq!(listed(&html), ids, "rows of {query}");
}

/// Filters over values the demo registry has, as a query string and as the store's filter.
fn cases(sample: &sinergi_store::umkm::BusinessListRow) -> Vec<(String, BusinessFilter, u64)> {
    let kecamatan = sample.kecamatan.clone().expect("a kecamatan");
    let desa = sample.desa.clone().expect("a desa");
    let kbli = KbliCode::parse(sample.kbli.as_deref().expect("a KBLI")).expect("kbli");
    let two = KbliCode::parse(&kbli.as_str()[..2]).expect("two digits");
    let section = KbliCode::parse(&kbli.section().expect("a kategori").to_string()).expect("kategori");
    let f = BusinessFilter::default;
    let mut out = vec![
        (String::new(), f(), 0),
        ("page=2".into(), f(), 50),
        ("page=99".into(), f(), 98 * 50),
        (format!("kecamatan={kecamatan}"), BusinessFilter { kecamatan: Some(kecamatan.clone()), ..f() }, 0),
        (
            format!("kecamatan={kecamatan}&desa={desa}"),
            BusinessFilter { kecamatan: Some(kecamatan.clone()), desa: Some(desa), ..f() },
            0,
        ),
        (format!("kbli={kbli}"), BusinessFilter { kbli: Some(kbli.clone()), ..f() }, 0),
        (format!("kbli={two}&page=2"), BusinessFilter { kbli: Some(two), ..f() }, 50),
        (format!("kbli={section}"), BusinessFilter { kbli: Some(section), ..f() }, 0),
        ("year=2025".into(), BusinessFilter { year: Some(2025), ..f() }, 0),
        (
            format!("year=2024&kecamatan={kecamatan}"),
            BusinessFilter { year: Some(2024), kecamatan: Some(kecamatan), ..f() },
            0,
        ),
        ("source=oss-nib".into(), BusinessFilter { source: Some("oss-nib".into()), ..f() }, 0),
        (
            "source=pelatihan-dak-2024&page=2".into(),
            BusinessFilter { source: Some("pelatihan-dak-2024".into()), ..f() },
            50,
        ),
        ("source=tidak-ada".into(), BusinessFilter { source: Some("tidak-ada".into()), ..f() }, 0),
        ("in_review=1".into(), BusinessFilter { in_review: true, ..f() }, 0),
        (
            "in_review=1&source=oss-nib".into(),
            BusinessFilter { in_review: true, source: Some("oss-nib".into()), ..f() },
            0,
        ),
    ];
    for class in SizeClass::ALL.iter().copied() {
        out.push((format!("class={}", class.slug()), BusinessFilter { class: Some(class), ..f() }, 0));
    }
    for permit in PermitKind::ALL.iter().copied() {
        out.push((format!("permit={}", permit.slug()), BusinessFilter { permit: Some(permit), ..f() }, 0));
    }
    out
}

fn names_in_export(bytes: &[u8]) -> Vec<String> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a real XLSX");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| if let Data::String(s) = c { s.clone() } else { c.to_string() }).collect())
        .collect();
    let header = rows.iter().position(|r| r.first().map(String::as_str) == Some("Nama usaha")).expect("a header row");
    rows[header + 1..].iter().map(|r| r[0].clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_lists_what_sql_lists_and_forgives_spelling() {
    let app = TestApp::start().await;
    let o = officer(&app).await;
    let all = app.store.umkm_businesses(&o.actor, &o.tenant, &BusinessFilter::default(), 0, 1_000).await.expect("all");
    assert!(all.total >= 300, "the demo registry");
    let sample = all.rows.iter().find(|r| r.kecamatan.is_some() && r.desa.is_some() && r.kbli.is_some()).expect("x");
    let cases = cases(sample);

    // A business with a permit, whose name tests spelling below. (The markets demo's food
    // producers hold P-IRT permits too: count them first.)
    let record = SourceRecord {
        business_name: "Keripik Singkong Mang Ujang Cilegon".into(),
        kecamatan: sample.kecamatan.clone(),
        year: 2025,
        permits: vec![Permit::pirt(&PirtNumber::parse("2063604010213-29").expect("P-IRT"))],
        ..Default::default()
    };
    let incoming = Incoming {
        raw: vec![("Nama Usaha".into(), record.business_name.clone())],
        record,
        provenance: Provenance {
            source: "Uji Ejaan".into(),
            file_name: None,
            sheet: None,
            row: Some(2),
            origin: Origin::Import,
        },
    };
    let summary =
        app.registries.commit(&app.store, &o.actor, &o.tenant, None, vec![incoming], false).await.expect("commit");
    let new = summary.businesses[0];

    // Before the index is ready the list is read from SQL, and the first list starts a build.
    app.registries.search().forget(&o.tenant);
    same_as_sql(&app, &o, "", &BusinessFilter::default(), 0, "sql").await;
    app.registries.search().forget(&o.tenant);
    app.registries.search().warm(&app.store, &o.tenant).await.expect("index built");
    assert!(app.registries.search().is_ready(&o.tenant));
    for (query, filter, offset) in &cases {
        same_as_sql(&app, &o, query, filter, *offset, "index").await;
    }
    let with_pirt = BusinessFilter { permit: Some(PermitKind::Pirt), ..Default::default() };
    // The new business holds a P-IRT; so do the demo catalogue's food makers (issue 6, part 5).
    let (pirt_ids, _) = sql(&app, &o, &with_pirt, 0).await;
    assert!(pirt_ids.contains(&new), "the new business's P-IRT is filtered on");
    let some_in_review = sql(&app, &o, &BusinessFilter { in_review: true, ..Default::default() }, 0).await.1;
    assert!(some_in_review > 0, "the demo imports leave duplicate questions open");

    // The export lists the same businesses as the SQL list, in its order.
    let r = app.get(Some(&o.session), "/umkm/export.xlsx?source=oss-nib").send().await.expect("export");
    assert_eq!(r.status(), StatusCode::OK);
    let names = names_in_export(&r.bytes().await.expect("bytes"));
    let filter = BusinessFilter { source: Some("oss-nib".into()), ..Default::default() };
    let expected = app.store.umkm_businesses(&o.actor, &o.tenant, &filter, 0, 1_000).await.expect("sql");
    assert!(!names.is_empty());
    assert_eq!(names, expected.rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>());

    // A name with a typo (two letters swapped) finds the business, first.
    let (target, typo) = all
        .rows
        .iter()
        .find_map(|r| {
            let words: Vec<&str> = r.name.split_whitespace().collect();
            let at = words.iter().position(|w| w.len() >= 7 && w.chars().all(|c| c.is_ascii_alphabetic()))?;
            let mut chars: Vec<char> = words[at].chars().collect();
            chars.swap(2, 3);
            (chars[2] != chars[3]).then_some(())?;
            let mut typed: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
            typed[at] = chars.into_iter().collect();
            Some((r, typed.join(" ")))
        })
        .expect("a business with a long word in its name");
    let html = page(&app, &o.session, &format!("/umkm?q={}", typo.replace(' ', "+"))).await;
    assert_eq!(listed_by(&html), "index");
    assert!(listed(&html).contains(&target.id), "\"{typo}\" finds \"{}\"", target.name);

    // "kripik" finds "Keripik", which SQL's LIKE cannot.
    for q in ["kripik+singkong", "Kripik+Singkong+Mang+Ujang", "singkong+cilegn", "keripik+singk"] {
        let html = page(&app, &o.session, &format!("/umkm?q={q}")).await;
        assert_eq!(listed_by(&html), "index");
        assert!(listed(&html).contains(&new), "{q}");
    }
    let like = BusinessFilter { q: Some("kripik singkong".into()), ..Default::default() };
    assert!(!sql(&app, &o, &like, 0).await.0.contains(&new), "LIKE does not fold kripik → keripik");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_shows_in_the_next_list() {
    let app = TestApp::start().await;
    let o = officer(&app).await;
    app.registries.search().warm(&app.store, &o.tenant).await.expect("index built");
    let everything = BusinessFilter::default();
    let in_review = BusinessFilter { in_review: true, ..Default::default() };
    let check = |label: &'static str| {
        let (app, o) = (&app, &o);
        async move {
            same_as_sql(app, o, "", &BusinessFilter::default(), 0, "index").await;
            same_as_sql(app, o, "in_review=1", &BusinessFilter { in_review: true, ..Default::default() }, 0, "index")
                .await;
            let total = sql(app, o, &BusinessFilter::default(), 0).await.1;
            eprintln!("{label}: {total} businesses");
            total
        }
    };
    let before = check("before").await;

    // Merge a duplicate question: one business fewer, the question no longer open.
    let review = app.store.umkm_reviews(&o.actor, &o.tenant, sinergi_store::umkm::ReviewStatus::Open, 1).await;
    let review = review.expect("reviews").into_iter().next().expect("an open question in the demo");
    let merged_away = review.business;
    let r = app
        .post_form(Some(&o.session), &format!("/umkm/tinjau/{}/gabung", review.id), &[])
        .send()
        .await
        .expect("merge");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(check("merged").await, before - 1);
    let name = review.business_name.replace(' ', "+");
    let html = page(&app, &o.session, &format!("/umkm?q={name}")).await;
    assert!(!listed(&html).contains(&merged_away), "the merged-away business is not searched");
    assert_eq!(sql(&app, &o, &everything, 0).await.1, before - 1);

    // Undo it from the survivor's page: both are back.
    let survivor = app.store.umkm_business(&o.actor, &o.tenant, review.candidate).await.expect("survivor");
    let merge = survivor.merges.iter().find(|m| m.undone_at_ms.is_none()).expect("the merge");
    let r = app
        .post_form(Some(&o.session), &format!("/umkm/{}/urungkan/{}", review.candidate, merge.id), &[])
        .send()
        .await
        .expect("undo");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(check("undone").await, before);
    let html = page(&app, &o.session, &format!("/umkm?q={name}")).await;
    assert!(listed(&html).contains(&merged_away), "the business is searched again");
    assert!(sql(&app, &o, &in_review, 0).await.0.contains(&merged_away));

    // Merge it again, then split the record that joined off: one business more.
    let r = app
        .post_form(Some(&o.session), &format!("/umkm/tinjau/{}/gabung", review.id), &[])
        .send()
        .await
        .expect("merge again");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(check("merged again").await, before - 1);
    let whole = app.store.umkm_business(&o.actor, &o.tenant, review.candidate).await.expect("survivor");
    let moving = whole.records.iter().find(|r| r.id == review.record).expect("the record that joined");
    let r = app
        .post_form(
            Some(&o.session),
            &format!("/umkm/{}/pisah", review.candidate),
            &[("record", &moving.id.to_string())],
        )
        .send()
        .await
        .expect("split");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(check("split").await, before);
    let split_off: BusinessId = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .and_then(|l| l.strip_prefix("/umkm/"))
        .and_then(|id| id.parse().ok())
        .expect("the new business");
    let html = page(&app, &o.session, &format!("/umkm?q={name}")).await;
    assert!(listed(&html).contains(&split_off), "the split-off business is searched");

    // A file committed through the import wizard's path.
    let record = SourceRecord { business_name: "Dodol Betawi Nyak Ipah".into(), year: 2025, ..Default::default() };
    let incoming = Incoming {
        raw: vec![("Nama Usaha".into(), record.business_name.clone())],
        record,
        provenance: Provenance {
            source: "Uji".into(),
            file_name: None,
            sheet: None,
            row: Some(2),
            origin: Origin::Import,
        },
    };
    app.registries.commit(&app.store, &o.actor, &o.tenant, None, vec![incoming], false).await.expect("commit");
    assert_eq!(check("committed").await, before + 1);
    let html = page(&app, &o.session, "/umkm?source=Uji").await;
    assert_eq!(stat(&html, "umkm-total"), 1);

    // A file imported by another process (`sinergi import umkm` beside the server): its
    // registries are not the app's, so the app notices the import by its time and rebuilds.
    let search = app.registries.search();
    assert!(!search.rebuild_if_imported(&app.store, &o.tenant).await.expect("check"), "nothing new yet");
    let name = "peserta-pelatihan-2024.csv";
    let bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/umkm").join(name))
        .expect("the demo file");
    let prepared = sinergi_umkm::prepare(&bytes, name, &o.tenant, 2025, None).expect("prepared");
    let (incoming, rejected) = prepared.incoming("Proses Lain", name);
    let file = sinergi_domain::files::check_spreadsheet("file", name, bytes, usize::MAX).expect("a spreadsheet");
    let new = NewImport {
        source: "Proses Lain".into(),
        file,
        sheet: String::new(),
        header_row: i32::try_from(prepared.detected.header_row).expect("row"),
        mapping: prepared.detected.mapping.to_json(),
    };
    let import = app.store.create_umkm_import(&o.actor, &o.tenant, new).await.expect("import");
    let elsewhere = sinergi_umkm::Registries::default();
    elsewhere.commit(&app.store, &o.actor, &o.tenant, Some((import, rejected)), incoming, false).await.expect("commit");
    assert!(search.rebuild_if_imported(&app.store, &o.tenant).await.expect("check"), "the import is noticed");
    assert!(!search.rebuild_if_imported(&app.store, &o.tenant).await.expect("check"), "and once only");
    let other = BusinessFilter { source: Some("Proses Lain".into()), ..Default::default() };
    assert!(sql(&app, &o, &other, 0).await.1 > 0);
    same_as_sql(&app, &o, "source=Proses+Lain", &other, 0, "index").await;
    check("imported elsewhere").await;
}

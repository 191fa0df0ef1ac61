//! CSR in the open: Kota Tangerang's public transparency page (a Pemda without demo CSR, so the totals are the test's own), its evidence files and open data,
//! and the annual CSR report for officers. A book is built through the store with published,
//! unreported, approved-but-unpublished and draft records; only the published may show.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::TestApp;
use reqwest::StatusCode;
use sinergi_domain::csr::{CsrCategory, CsrNeedStatus, EvidenceKind, PledgeForm, ReportStatus, Window};
use sinergi_domain::files::check_file;
use sinergi_domain::{Actor, FileId, PartnerId, RegionCode, Role};
use sinergi_io::pdf::testing::read;
use sinergi_store::csr::{CsrNeedInput, PledgeInput, ReportInput, Upload};
use sinergi_store::partners::PartnerInput;
use time::Date;
use time::macros::date;

const PAGE: &str = "/publik/kota-tangerang/csr";
/// Strings that exist only in records the public may not see.
const SECRET_REPORT: &str = "Laporan Rahasia CSR 4471";
const SECRET_NEED: &str = "Kebutuhan Draf Rahasia 4471";
const SECRET_VALUE: &str = "999.000.000";

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

/// A real photo: a gradient PNG made with the image crate.
fn png_photo(width: u32, height: u32) -> Vec<u8> {
    let img = image::ImageBuffer::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).expect("png");
    out.into_inner()
}

/// A photo upload with the thumbnail the upload handlers make of it.
fn photo(name: &str) -> Upload {
    let bytes = png_photo(640, 480);
    let thumb = sinergi_io::thumbnail::jpeg_thumbnail(&bytes, 320).expect("a thumbnail of a real PNG");
    Upload {
        file: check_file("file", name, bytes, 10 << 20).expect("png"),
        thumbnail: Some(check_file("file", "thumb.jpg", thumb, 10 << 20).expect("jpeg")),
    }
}

fn pdf_scan(name: &str) -> Upload {
    let bytes = b"%PDF-1.4\n% berita acara\n%%EOF\n".to_vec();
    Upload { file: check_file("file", name, bytes, 1 << 20).expect("pdf"), thumbnail: None }
}

struct Book {
    company_a: PartnerId,
    company_b: PartnerId,
    /// The published photo and its thumbnail.
    photo: FileId,
    thumb: FileId,
    /// Evidence of the approved, unpublished report.
    secret_evidence: FileId,
}

fn need(
    agency: sinergi_domain::AgencyId,
    category: CsrCategory,
    title: &str,
    desa: &str,
    cost: Option<i64>,
) -> CsrNeedInput {
    CsrNeedInput {
        category,
        title: title.into(),
        description: format!("Usulan: {title}"),
        location: code(desa),
        point: None,
        estimated_cost: cost,
        agency_id: Some(agency),
        priority_programme: None,
    }
}

fn pledge(partner: PartnerId, value: Option<i64>, start: Date, end: Date) -> PledgeInput {
    PledgeInput {
        partner_id: partner,
        value,
        form: PledgeForm::Cash,
        period_start: start,
        period_end: end,
        agreement_id: None,
        note: None,
    }
}

fn report(year: i32, index: u8, value: Option<i64>, description: &str) -> ReportInput {
    ReportInput { window: Window { year, index }, value, description: description.into(), location: None }
}

/// Kota Tangerang's CSR book: two published realisations (one with an unreported value), one
/// approved but unpublished, a draft need, and two open needs.
async fn build(app: &TestApp) -> Book {
    let admin = app.user(Role::RegionAdmin, "kota-tangerang").await.actor();
    let t = code("36.71");
    let store = &app.store;
    let agency = store.agencies(&admin, Some(&t)).await.expect("agencies")[0].id;
    let partner =
        |name: &str| PartnerInput::parse("company", name, "36.71", "", "", "", "", "", "", "", true).expect("partner");
    let a = store.create_partner(&admin, &t, partner("PT Krakatau Peduli")).await.expect("partner").id;
    let b = store.create_partner(&admin, &t, partner("PT Bank Banten Sejahtera")).await.expect("partner").id;
    let company = |id| Actor { role: Role::Partner, partner: Some(id), label: "company".into(), ..admin.clone() };
    let publish = |id| store.move_csr_need(&admin, id, CsrNeedStatus::Published);

    // 1. Published with a photo: Rp 480.000.000 in Q3 2026, Jatiuwung.
    let park = store
        .create_csr_need(
            &admin,
            &t,
            need(agency, CsrCategory::LingkunganHidup, "Taman Kota Banten Lama", "36.71.02.1001", Some(750_000_000)),
        )
        .await
        .expect("need");
    publish(park.id).await.expect("publish");
    let p = store
        .pledge_csr(&company(a), park.id, pledge(a, Some(500_000_000), date!(2026 - 01 - 01), date!(2026 - 12 - 31)))
        .await
        .expect("pledge");
    let r = store
        .save_csr_report(
            &company(a),
            p.id,
            report(2026, 3, Some(480_000_000), "Penanaman 500 pohon trembesi"),
            vec![(EvidenceKind::Photo, photo("penanaman.png"))],
        )
        .await
        .expect("report");
    for (who, to) in [
        (company(a), ReportStatus::Submitted),
        (admin.clone(), ReportStatus::Approved),
        (admin.clone(), ReportStatus::Published),
    ] {
        store.move_csr_report(&who, r, to, None).await.expect("move");
    }

    // 2. Published without a value: Q4 2025, Tangerang, a scanned BAST only.
    let scholarship = store
        .create_csr_need(
            &admin,
            &t,
            need(agency, CsrCategory::Pendidikan, "Beasiswa Anak Nelayan", "36.71.01.1003", None),
        )
        .await
        .expect("need");
    publish(scholarship.id).await.expect("publish");
    let p2 = store
        .pledge_csr(&company(b), scholarship.id, pledge(b, None, date!(2025 - 07 - 01), date!(2026 - 06 - 30)))
        .await
        .expect("pledge");
    let r2 = store
        .save_csr_report(
            &company(b),
            p2.id,
            report(2025, 4, None, "Beasiswa untuk 40 siswa SMP"),
            vec![(EvidenceKind::Bast, pdf_scan("bast.pdf"))],
        )
        .await
        .expect("report");
    for (who, to) in [
        (company(b), ReportStatus::Submitted),
        (admin.clone(), ReportStatus::Approved),
        (admin.clone(), ReportStatus::Published),
    ] {
        store.move_csr_report(&who, r2, to, None).await.expect("move");
    }

    // 3. Approved, not published: counts in the internal report only.
    let clinic = store
        .create_csr_need(
            &admin,
            &t,
            need(agency, CsrCategory::Kesehatan, "Posyandu Walantaka", "36.71.02.1001", Some(90_000_000)),
        )
        .await
        .expect("need");
    publish(clinic.id).await.expect("publish");
    let p3 = store
        .pledge_csr(&company(a), clinic.id, pledge(a, Some(999_000_000), date!(2026 - 01 - 01), date!(2026 - 12 - 31)))
        .await
        .expect("pledge");
    let r3 = store
        .save_csr_report(
            &company(a),
            p3.id,
            report(2026, 2, Some(999_000_000), SECRET_REPORT),
            vec![(EvidenceKind::Photo, photo("rahasia.png"))],
        )
        .await
        .expect("report");
    for (who, to) in [(company(a), ReportStatus::Submitted), (admin.clone(), ReportStatus::Approved)] {
        store.move_csr_report(&who, r3, to, None).await.expect("move");
    }

    // 4. A draft need, and two open ones (published, nobody pledged).
    store
        .create_csr_need(&admin, &t, need(agency, CsrCategory::Sosial, SECRET_NEED, "36.71.01.1003", Some(7_731)))
        .await
        .expect("draft");
    for (title, cost) in [("Sumur Bor Keroncong", None), ("Rehabilitasi MCK Jatiuwung", Some(150_000_000))] {
        let n = store
            .create_csr_need(&admin, &t, need(agency, CsrCategory::InfrastrukturSanitasi, title, "36.71.02.1001", cost))
            .await
            .expect("open need");
        publish(n.id).await.expect("publish");
    }

    let book = store.csr_book(&admin, &t).await.expect("book");
    let evidence = |id| book.report(id).expect("report").2.evidence[0].clone();
    let published = evidence(r);
    Book {
        company_a: a,
        company_b: b,
        photo: published.file_id,
        thumb: published.thumb_id.expect("thumbnail kept"),
        secret_evidence: evidence(r3).file_id,
    }
}

async fn get_text(app: &TestApp, path: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let r = app.get(None, path).send().await.expect("request");
    let (status, headers) = (r.status(), r.headers().clone());
    (status, headers, r.text().await.expect("body"))
}

fn assert_no_secrets(what: &str, text: &str) {
    for secret in [SECRET_REPORT, SECRET_NEED, SECRET_VALUE, "Posyandu Walantaka"] {
        assert!(!text.contains(secret), "{what} shows {secret:?}");
    }
}

/// The text inside the element carrying `data-testid="{id}"`, up to its first closing tag.
fn testid<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("data-testid=\"{id}\"")).unwrap_or_else(|| panic!("no {id}"));
    let rest = &html[at..];
    let start = rest.find('>').map(|i| i + 1).unwrap_or(0);
    let end = rest[start..].find('<').map(|i| start + i).unwrap_or(rest.len());
    &rest[start..end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_page_shows_published_csr_only_with_honest_totals() {
    let app = TestApp::start().await;
    let book = build(&app).await;

    let (status, headers, html) = get_text(&app, PAGE).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "public, max-age=60");
    assert!(html.contains("Transparansi CSR Kota Tangerang"), "{html}");
    assert!(html.contains("Taman Kota Banten Lama") && html.contains("Beasiswa Anak Nelayan"));
    assert_no_secrets("the public page", &html);
    // 480 million known, one value not reported: never "480 million in total".
    assert_eq!(testid(&html, "total-realised"), "Rp 480.000.000 + 1 tidak dilaporkan");
    assert_eq!(testid(&html, "total-programmes"), "2");
    assert_eq!(testid(&html, "total-companies"), "2");
    assert_eq!(testid(&html, "total-unreported"), "1");
    assert!(html.contains("Triwulan 3 2026") && html.contains("Triwulan 4 2025"), "reporting windows in words");
    assert!(html.contains("Jatiuwung · ") && html.contains("Tangerang · Tanah Tinggi"), "kecamatan and desa by name");
    // Every figure drills down; the charts are plain HTML, no script.
    assert!(html.contains(&format!("href=\"?company={}&#38;lang=id\"", book.company_b)), "company bar links");
    assert!(html.contains("href=\"?year=2025&#38;lang=id\""));
    assert!(html.contains("href=\"?category=pendidikan&#38;lang=id\""));
    assert!(html.contains("href=\"?kecamatan=36.71.01&#38;lang=id\""));
    assert!(!html.contains("<script"), "no JavaScript on the public page");
    // Evidence: the photo as a lazy thumbnail linking to the original, the PDF as a link.
    assert!(html.contains(&format!("<img loading=\"lazy\" src=\"/publik/kota-tangerang/csr/berkas/{}\"", book.thumb)));
    assert!(html.contains(&format!("href=\"/publik/kota-tangerang/csr/berkas/{}\"", book.photo)));
    assert!(html.contains("BAST (berita acara serah terima): bast.pdf"));
    // Open needs: published and unfunded only.
    let open = &html[html.find("data-testid=\"open-needs\"").expect("open needs")..];
    assert!(open.contains("Sumur Bor Keroncong") && open.contains("belum ditaksir"));
    assert!(open.contains("Rehabilitasi MCK Jatiuwung") && open.contains("Rp 150.000.000"));
    assert!(!open.contains("Taman Kota Banten Lama"), "a funded need is not open");
    // The licence and both downloads.
    assert!(html.contains("CC BY 4.0") && html.contains("ODbL"));
    assert!(html.contains("/publik/kota-tangerang/csr.csv") && html.contains("/publik/kota-tangerang/csr.xlsx"));

    // Drill down to one company: the list narrows, the totals follow.
    let (_, _, only_b) = get_text(&app, &format!("{PAGE}?company={}", book.company_b)).await;
    let list = &only_b[only_b.find("data-testid=\"programmes\"").expect("list")..];
    assert!(list.contains("Beasiswa Anak Nelayan") && !list.contains("Taman Kota Banten Lama"));
    assert_eq!(testid(&only_b, "total-realised"), "tidak dilaporkan");
    assert!(only_b.contains("PT Bank Banten Sejahtera ✕"), "the active filter can be removed");
    let (_, _, park) = get_text(&app, &format!("{PAGE}?company={}&year=2026&kecamatan=36.71.02", book.company_a)).await;
    assert_eq!(testid(&park, "total-realised"), "Rp 480.000.000");
    assert_eq!(testid(&park, "programme-count"), "1 laporan realisasi");
    let (_, _, none) = get_text(&app, &format!("{PAGE}?category=keagamaan")).await;
    assert_eq!(testid(&none, "programme-count"), "0 laporan realisasi");
    // A mangled filter shows the whole page rather than an error.
    let (status, _, _) = get_text(&app, &format!("{PAGE}?company=x&year=abc&kecamatan=zz")).await;
    assert_eq!(status, StatusCode::OK);

    // English, chosen by the page's own link or by the language cookie.
    let (_, headers, en) = get_text(&app, &format!("{PAGE}?lang=en")).await;
    assert_eq!(headers["content-language"], "en");
    assert!(en.contains("CSR transparency, Kota Tangerang") && en.contains("Q3 2026"));
    assert_eq!(testid(&en, "total-realised"), "Rp 480.000.000 + 1 not reported");
    assert!(en.contains(">not reported<"), "the unreported value itself");
    let r = app.http.get(app.url(PAGE)).header("cookie", "sinergi_lang=en").send().await.expect("request");
    assert_eq!(r.headers()["vary"], "cookie");
    assert!(r.text().await.expect("body").contains("not reported"));

    // An unknown or inactive Pemda is not found.
    let (status, _, _) = get_text(&app, "/publik/kota-antah-berantah/csr").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get_text(&app, "/publik/kota-antah-berantah/csr.csv").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The page as rendered, for screenshots (target/csr-public/).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/csr-public");
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join("kota-tangerang-id.html"), &html);
        let _ = std::fs::write(dir.join("kota-tangerang-en.html"), &en);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_files_are_the_published_evidence_only() {
    let app = TestApp::start().await;
    let book = build(&app).await;
    let file = |id: FileId| app.get(None, &format!("/publik/kota-tangerang/csr/berkas/{id}")).send();

    let r = file(book.thumb).await.expect("thumbnail");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "public, max-age=86400");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["content-security-policy"].to_str().expect("csp").contains("sandbox"));
    let thumb = r.bytes().await.expect("bytes");
    let img = image::load_from_memory_with_format(&thumb, image::ImageFormat::Jpeg).expect("a JPEG thumbnail");
    assert_eq!((img.width(), img.height()), (320, 240));

    let r = file(book.photo).await.expect("photo");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");

    // Approved is not published; a random id, a bad id and the wrong Pemda are not found.
    assert_eq!(file(book.secret_evidence).await.expect("secret").status(), StatusCode::NOT_FOUND);
    assert_eq!(file(FileId::new()).await.expect("random").status(), StatusCode::NOT_FOUND);
    let bad = app.get(None, "/publik/kota-tangerang/csr/berkas/not-a-uuid").send().await.expect("bad");
    assert_eq!(bad.status(), StatusCode::NOT_FOUND);
    let other =
        app.get(None, &format!("/publik/kabupaten-serang/csr/berkas/{}", book.photo)).send().await.expect("other");
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

fn sheet_rows(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("xlsx");
    let range = book.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_data_has_the_published_rows_and_the_licence() {
    let app = TestApp::start().await;
    build(&app).await;

    // CSV: UTF-8 with a byte-order mark for Excel, a header row, published rows only.
    let r = app.get(None, "/publik/kota-tangerang/csr.csv").send().await.expect("csv");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers()["content-disposition"].to_str().expect("cd").contains("realisasi-csr-kota-tangerang.csv"));
    assert!(r.headers()["link"].to_str().expect("link").contains("creativecommons.org/licenses/by/4.0"));
    let bytes = r.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert_no_secrets("the CSV", &text);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(&header[0], "pemda");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2, "one row per published realisation");
    let park = rows.iter().find(|r| &r[col("program")] == "Taman Kota Banten Lama").expect("park");
    assert_eq!(&park[col("nilai_rupiah")], "480000000");
    assert_eq!(&park[col("nilai_dilaporkan")], "ya");
    assert_eq!(&park[col("periode")], "Triwulan 3 2026");
    assert_eq!((&park[col("kode_kecamatan")], &park[col("kecamatan")]), ("36.71.02", "Jatiuwung"));
    assert_eq!(&park[col("kode_desa")], "36.71.02.1001");
    let school = rows.iter().find(|r| &r[col("program")] == "Beasiswa Anak Nelayan").expect("school");
    assert_eq!(&school[col("nilai_rupiah")], "", "unknown is empty, never 0");
    assert_eq!(&school[col("nilai_dilaporkan")], "tidak");
    assert_eq!(&school[col("tahun")], "2025");

    // XLSX: the same rows, and the licence on its own sheet.
    let r = app.get(None, "/publik/kota-tangerang/csr.xlsx").send().await.expect("xlsx");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "public, max-age=60");
    let bytes = r.bytes().await.expect("bytes");
    let data = sheet_rows(&bytes, "Realisasi CSR");
    let all = data.iter().flatten().cloned().collect::<Vec<_>>().join("|");
    assert_no_secrets("the XLSX", &all);
    let head = data.iter().position(|r| r.first().is_some_and(|c| c == "pemda")).expect("header row");
    let value_col = data[head].iter().position(|c| c == "nilai_rupiah").expect("value column");
    let body = &data[head + 1..];
    assert_eq!(body.len(), 2);
    let school = body.iter().find(|r| r.contains(&"Beasiswa Anak Nelayan".to_owned())).expect("school");
    assert_eq!(school[value_col], "", "unknown is an empty cell");
    let park = body.iter().find(|r| r.contains(&"Taman Kota Banten Lama".to_owned())).expect("park");
    assert_eq!(park[value_col], "480000000");
    let licence = sheet_rows(&bytes, "Lisensi").into_iter().flatten().collect::<Vec<_>>().join("\n");
    assert!(licence.contains("CC BY 4.0") && licence.contains("Kota Tangerang"), "{licence}");
    assert!(licence.contains("ODbL") && licence.contains("Kepmendagri"), "{licence}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_annual_report_counts_approved_reports_for_officers_only() {
    let app = TestApp::start().await;
    build(&app).await;
    let viewer = app.session(Role::Viewer, "kota-tangerang").await;

    let r = app.get(Some(&viewer), "/csr/laporan-tahunan.pdf?year=2026").send().await.expect("pdf");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .expect("cd")
            .contains("laporan-tahunan-csr-kota-tangerang-2026.pdf")
    );
    let pdf = read(&r.bytes().await.expect("bytes")).expect("a readable PDF");
    let text = pdf.text().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("PEMERINTAH KOTA TANGERANG") && text.contains("LAPORAN TAHUNAN CSR"), "{text}");
    for section in [
        "Realisasi diterima per perusahaan",
        "Realisasi diterima per kategori",
        "Realisasi diterima per kecamatan",
        "Komitmen dan realisasi per komitmen",
        "Kebutuhan yang belum mendapat mitra",
    ] {
        assert!(text.contains(section), "section {section}: {text}");
    }
    assert!(text.contains("disetujui verifikator atau sudah dipublikasikan"), "says what counts as received");
    // 2026: the published 480 million and the approved 999 million are both received.
    assert!(text.contains("Rp 1.479.000.000"), "total received: {text}");
    assert!(text.contains("PT Krakatau Peduli") && text.contains("Posyandu Walantaka"));
    // The scholarship pledge runs into 2026 with no value: pledged and realised unknown.
    assert!(text.contains("Beasiswa Anak Nelayan") && text.contains("tidak dilaporkan"));
    assert!(text.contains("Sumur Bor Keroncong") && text.contains("belum ditaksir"));
    assert!(!text.contains(SECRET_NEED), "a draft need is nobody's open need");

    // 2025: only the unreported scholarship was received; its total is unknown, not zero.
    let r = app.get(Some(&viewer), "/csr/laporan-tahunan.pdf?year=2025").send().await.expect("pdf");
    let text =
        read(&r.bytes().await.expect("bytes")).expect("pdf").text().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("PT Bank Banten Sejahtera"), "{text}");
    assert!(!text.contains("Rp 0"), "nothing known is not zero: {text}");

    let r = app.get(Some(&viewer), "/csr/laporan-tahunan.xlsx?year=2026").send().await.expect("xlsx");
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    let names = Xlsx::new(Cursor::new(bytes.to_vec())).map(|b: Xlsx<_>| b.sheet_names()).expect("xlsx");
    assert_eq!(names.len(), 6, "{names:?}");
    let company = sheet_rows(&bytes, "Per perusahaan").into_iter().flatten().collect::<Vec<_>>();
    assert!(company.contains(&"PT Krakatau Peduli".to_owned()), "{company:?}");
    assert!(company.contains(&"1479000000".to_owned()), "{company:?}");
    let pledges = sheet_rows(&bytes, "Komitmen").into_iter().flatten().collect::<Vec<_>>();
    assert!(pledges.contains(&"tidak dilaporkan".to_owned()), "{pledges:?}");
    let unfunded = sheet_rows(&bytes, "Belum ada mitra").into_iter().flatten().collect::<Vec<_>>();
    assert!(
        unfunded.contains(&"Rehabilitasi MCK Jatiuwung".to_owned()) && unfunded.contains(&"belum ditaksir".to_owned())
    );

    // Companies and anonymous visitors get neither.
    let partner = app.session(Role::Partner, "kota-tangerang").await;
    for path in ["/csr/laporan-tahunan.pdf", "/csr/laporan-tahunan.xlsx"] {
        assert_eq!(app.get(Some(&partner), path).send().await.expect("partner").status(), StatusCode::FORBIDDEN);
        let anon = app.get(None, path).send().await.expect("anonymous");
        assert_eq!(anon.status(), StatusCode::SEE_OTHER, "to the login page");
    }
    // Another Pemda's officers see their own (empty) book, never Kota Tangerang's.
    let other = app.session(Role::RegionAdmin, "kabupaten-serang").await;
    let r = app.get(Some(&other), "/csr/laporan-tahunan.pdf?year=2026").send().await.expect("pdf");
    let text = read(&r.bytes().await.expect("bytes")).expect("pdf").text();
    assert!(!text.contains("PT Krakatau Peduli") && !text.contains("Taman Kota"), "{text}");
}

//! The UMKM registry through its HTTP routes: an officer imports the Dinas Koperasi register
//! and the training participants' CSV (demo/umkm), sees every row's problems, downloads the
//! rejected rows, commits, merges a duplicate and undoes it; a viewer reads with masked phones
//! and cannot import; another Pemda sees nothing.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::{Session, TestApp};
use reqwest::StatusCode;
use sinergi_domain::Role;

const KAB: &str = "kabupaten-serang";

/// A file of demo/umkm, or of this crate's test fixtures.
fn demo_file(name: &str) -> Vec<u8> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join("tests/fixtures").join(name);
    let path = if fixture.exists() { fixture } else { root.join("../../demo/umkm").join(name) };
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn upload(app: &TestApp, s: &Session, name: &str, source: &str, year: &str) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(demo_file(name)).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new()
        .text("source", source.to_owned())
        .text("year", year.to_owned())
        .part("file", part);
    app.http
        .post(app.url(&format!("/umkm/impor?csrf_token={}", s.csrf)))
        .header("cookie", format!("sinergi_session={}", s.token))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).expect("location").to_owned()
}

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

/// Import a demo file up to its preview, returning the import's path and the preview page.
async fn preview(app: &TestApp, s: &Session, name: &str, source: &str) -> (String, String) {
    let r = upload(app, s, name, source, "2025").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "upload {name}");
    let path = location(&r);
    assert!(path.starts_with("/umkm/impor/"), "{path}");
    let html = page(app, s, &path).await;
    (path, html)
}

async fn commit(app: &TestApp, s: &Session, path: &str) -> String {
    let r = app.post_form(Some(s), &format!("{path}/komit"), &[]).send().await.expect("commit");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), path);
    page(app, s, path).await
}

/// The first `href="{prefix}..."` of a page.
fn first_link(html: &str, prefix: &str) -> Option<String> {
    let marker = format!("href=\"{prefix}");
    let at = html.find(&marker)? + "href=\"".len();
    html[at..].split('"').next().map(str::to_owned)
}

fn rows_of(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a real XLSX");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officer_imports_reviews_merges_and_undoes() {
    let app = TestApp::start().await;
    let officer = app.session(Role::UmkmOfficer, KAB).await;

    // The register: its preview names the rejected rows and why.
    let (register, html) = preview(&app, &officer, "register-dinkop-2025.xlsx", "Dinas Koperasi").await;
    assert_eq!(stat(&html, "count-rejected"), 5, "the five known rejected rows");
    assert_eq!(stat(&html, "count-accepted"), 47);
    let row = |n: usize| {
        let at = html.find(&format!("data-row=\"{n}\"")).unwrap_or_else(|| panic!("row {n} listed"));
        html[at..].split("</tr>").next().unwrap_or_default().to_owned()
    };
    assert!(row(25).contains("wajib diisi"), "row 25: required, {}", row(25));
    assert!(row(36).contains("kecamatan tidak dikenal"), "row 36: unknown kecamatan, {}", row(36));
    assert!(row(7).contains("dibaca sebagai Cikande"), "row 7: corrected to Cikande, {}", row(7));

    // The rejected rows come back as a real workbook with a reason column.
    let r = app.get(Some(&officer), &format!("{register}/ditolak.xlsx")).send().await.expect("download");
    assert_eq!(r.status(), StatusCode::OK);
    let rows = rows_of(&r.bytes().await.expect("bytes"));
    assert_eq!(rows.len(), 6, "header and five rejected rows");
    assert_eq!(rows[0].last().map(String::as_str), Some("Alasan ditolak"));
    assert!(rows[0].iter().any(|h| h == "Nama Usaha"), "the file's own headers");
    assert!(rows[1..].iter().all(|r| !r.last().expect("reason").is_empty()), "every row says why");

    // Commit, once.
    let before = stat(&page(&app, &officer, "/umkm").await, "umkm-total");
    let html = commit(&app, &officer, &register).await;
    assert!(html.contains("data-testid=\"import-summary\""));
    assert_eq!(stat(&html, "summary-rejected"), 5);
    assert!(!html.contains("data-testid=\"commit\""), "a committed import offers no second commit");
    let list = page(&app, &officer, "/umkm").await;
    let after = stat(&list, "umkm-total");
    assert!(after > before, "the registry grew from {before} to {after}");
    commit(&app, &officer, &register).await;
    assert_eq!(stat(&page(&app, &officer, "/umkm").await, "umkm-total"), after, "a second commit adds nothing");
    assert!(list.contains("Rp "), "omzet as rupiah");

    // A viewer reads, with phones masked, and cannot import.
    let viewer = app.session(Role::Viewer, KAB).await;
    let list = page(&app, &viewer, "/umkm?source=Dinas+Koperasi").await;
    assert!(list.contains("-••••-"), "masked phones");
    assert!(!list.contains("data-testid=\"import-link\""));
    let r = upload(&app, &viewer, "register-dinkop-2025.xlsx", "Dinas Koperasi", "2025").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.get(Some(&viewer), "/umkm/export.xlsx?include_personal=1&reason=ingin+tahu").send().await.expect("x");
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no personal data for a viewer");
    let r = app.get(Some(&viewer), "/umkm/export.xlsx?source=Dinas+Koperasi").send().await.expect("export");
    assert_eq!(r.status(), StatusCode::OK);
    let rows = rows_of(&r.bytes().await.expect("bytes"));
    assert!(
        !rows.iter().any(|r| r.iter().any(|c| c == "Telepon" || c == "NIK")),
        "no personal columns without the right"
    );
    let r = app
        .get(Some(&officer), "/umkm/export.xlsx?source=Dinas+Koperasi&include_personal=1&reason=rujukan+KUR")
        .send()
        .await
        .expect("export");
    assert_eq!(r.status(), StatusCode::OK);
    let rows = rows_of(&r.bytes().await.expect("bytes"));
    assert!(rows.iter().any(|r| r.iter().any(|c| c == "Telepon")), "a phone column with a reason");
    let whole_nik = |c: &String| c.len() == 16 && c.chars().all(|d| d.is_ascii_digit());
    assert!(rows.iter().any(|r| r.iter().any(whole_nik)), "and the whole NIKs");

    // The training participants: linked to the register and/or sent to review.
    let (training, _) = preview(&app, &officer, "peserta-pelatihan-2024.csv", "Peserta Pelatihan DAK").await;
    let html = commit(&app, &officer, &training).await;
    let (linked, review) = (stat(&html, "summary-linked"), stat(&html, "summary-review"));
    assert!(linked + review > 0, "the participants meet the register ({linked} linked, {review} to review)");

    // A field check list: registered phone numbers under other names. The engine is unsure of
    // these pairs, and sends them to review.
    let (check, _) = preview(&app, &officer, "umkm-verifikasi.csv", "Verifikasi Lapangan").await;
    let html = commit(&app, &officer, &check).await;
    assert!(stat(&html, "summary-review") > 0, "unsure pairs are sent to review");
    assert!(html.contains("data-testid=\"to-reviews\""));

    // Another Pemda sees none of it.
    let list = page(&app, &officer, "/umkm?source=Dinas+Koperasi").await;
    let business_href = list
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/umkm/") && h.len() > 30 && !h.contains('?'))
        .expect("a business link")
        .to_owned();
    let html = page(&app, &officer, &business_href).await;
    assert!(html.contains("data-testid=\"record\"") && html.contains("Dinas Koperasi"), "its provenance");
    let other = app.session(Role::RegionAdmin, "kota-serang").await;
    let r = app.get(Some(&other), &business_href).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.get(Some(&other), &register).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Merge a review, then undo it from the surviving business's page.
    let queue = page(&app, &officer, "/umkm/tinjau").await;
    let review_href = first_link(&queue, "/umkm/tinjau/").expect("a review");
    let html = page(&app, &officer, &review_href).await;
    assert!(html.contains("data-testid=\"compare\"") && html.contains("data-testid=\"explanation\""));
    let r = app.post_form(Some(&officer), &format!("{review_href}/gabung"), &[]).send().await.expect("merge");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let survivor = location(&r);
    let html = page(&app, &officer, &survivor).await;
    let marker = format!("action=\"{survivor}/urungkan/");
    let at = html.find(&marker).expect("an undo button") + "action=\"".len();
    let undo = html[at..].split('"').next().expect("action").to_owned();
    let r = app.post_form(Some(&officer), &undo, &[]).send().await.expect("undo");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &officer, &survivor).await;
    assert!(html.contains("diurungkan"), "the merge shows as undone");
    assert!(page(&app, &officer, &review_href).await.contains("data-testid=\"merge\""), "the review is open again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nik_shown_once_with_a_reason_and_records_split_apart() {
    let app = TestApp::start().await;
    let officer = app.session(Role::UmkmOfficer, KAB).await;
    for (name, source) in
        [("register-dinkop-2025.xlsx", "Dinas Koperasi"), ("peserta-pelatihan-2024.csv", "Peserta Pelatihan DAK")]
    {
        let (path, _) = preview(&app, &officer, name, source).await;
        commit(&app, &officer, &path).await;
    }
    // A business the two files share, with its owner's NIK.
    let actor = officer.user.actor();
    let tenant = officer.user.tenant.clone().expect("tenant");
    let mut shared = None;
    for b in app.store.umkm_businesses(&actor, &tenant, &Default::default(), 0, 200).await.expect("list").rows {
        let d = app.store.umkm_business(&actor, &tenant, b.id).await.expect("business");
        if d.records.len() >= 2 && d.business.nik_masked.is_some() {
            shared = Some(d);
            break;
        }
    }
    let d = shared.expect("a business in both files with a NIK");
    let href = format!("/umkm/{}", d.business.id);
    let html = page(&app, &officer, &href).await;
    assert!(html.contains("data-testid=\"reveal-form\"") && !html.contains("nik-whole"), "masked until asked");

    let r = app.post_form(Some(&officer), &format!("{href}/nik"), &[("reason", "cek")]).send().await.expect("x");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
    let r = app
        .post_form(Some(&officer), &format!("{href}/nik"), &[("reason", "verifikasi pemilik untuk rujukan KUR")])
        .send()
        .await
        .expect("reveal");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("html");
    let at = html.find("data-testid=\"nik-whole\">").expect("the whole NIK") + "data-testid=\"nik-whole\">".len();
    let nik: String = html[at..].chars().take_while(|c| *c != '<').collect();
    assert!(nik.len() == 16 && nik.chars().all(|c| c.is_ascii_digit()), "{nik}");
    assert!(!page(&app, &officer, &href).await.contains(&nik), "shown once, not kept on the page");
    let viewer = app.session(Role::Viewer, KAB).await;
    let r =
        app.post_form(Some(&viewer), &format!("{href}/nik"), &[("reason", "ingin tahu saja")]).send().await.expect("x");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let viewer_page = page(&app, &viewer, &href).await;
    assert!(
        !viewer_page.contains("reveal-form") && !viewer_page.contains("split-form"),
        "no button a viewer cannot use"
    );

    // Split the second record off, then undo the split.
    let moving = d.records[1].id.to_string();
    let r =
        app.post_form(Some(&officer), &format!("{href}/pisah"), &[("record", &moving)]).send().await.expect("split");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let new = location(&r);
    assert_ne!(new, href);
    let html = page(&app, &officer, &new).await;
    assert!(html.contains("Dibuat dari pemisahan"), "the new business tells where it came from");
    let marker = format!("action=\"{new}/urungkan/");
    let at = html.find(&marker).expect("an undo button") + "action=\"".len();
    let undo = html[at..].split('"').next().expect("action").to_owned();
    let r = app.post_form(Some(&officer), &undo, &[]).send().await.expect("undo");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let back = app.store.umkm_business(&actor, &tenant, d.business.id).await.expect("business");
    assert_eq!(back.records.len(), d.records.len(), "the record is back");
}

/// What each column's select has chosen on an import page, by column index.
fn chosen_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, part) in html.split("<select name=\"col_").enumerate().skip(1) {
        let index = part.split('"').next().unwrap_or_default().to_owned();
        let select = part.split("</select>").next().unwrap_or_default();
        let value = select
            .split("<option value=\"")
            .skip(1)
            .find(|o| o.split('>').next().is_some_and(|attrs| attrs.contains(" selected")))
            .and_then(|o| o.split('"').next())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(index, (i - 1).to_string(), "columns in order");
        out.push((format!("col_{index}"), value));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_mapping_is_used_for_the_next_file_of_the_source() {
    let app = TestApp::start().await;
    let officer = app.session(Role::UmkmOfficer, KAB).await;
    let (first, html) = preview(&app, &officer, "register-dinkop-2025.xlsx", "Dinas Koperasi").await;
    let mut fields = chosen_fields(&html);
    assert_eq!(fields.len(), 13);
    let products = fields.iter().position(|(_, v)| v == "products").expect("a products column");
    fields[products].1 = "skip".into();
    let mut form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    form.extend([("sheet", "Data UMKM 2025"), ("header_row", "5")]);
    let r = app.post_form(Some(&officer), &format!("{first}/pemetaan"), &form).send().await.expect("map");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &officer, &first).await;
    assert_eq!(chosen_fields(&html)[products].1, "skip", "the mapping is kept");
    assert_eq!(stat(&html, "count-accepted"), 47, "skipping products rejects nothing");

    // The next upload of the same source with the same headers reads them the same way.
    let (_, html) = preview(&app, &officer, "register-dinkop-2025.xlsx", "Dinas Koperasi").await;
    assert_eq!(chosen_fields(&html)[products].1, "skip", "the saved mapping is applied");
    let (_, html) = preview(&app, &officer, "register-dinkop-2025.xlsx", "Sumber Lain").await;
    assert_eq!(chosen_fields(&html)[products].1, "products", "another source is detected afresh");

    // A header row past the sheet is refused with a message, not a crash.
    let r = app
        .post_form(Some(&officer), &format!("{first}/pemetaan"), &[("sheet", "Data UMKM 2025"), ("header_row", "9999")])
        .send()
        .await
        .expect("map");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

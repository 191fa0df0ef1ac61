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
    let (linked_c, review_c, new_c) =
        (stat(&html, "summary-linked"), stat(&html, "summary-review"), stat(&html, "summary-new"));
    // Same phone under another name: linked, sent to review, or new, as the model weighs the
    // names; the engine's review band itself is tested in sinergi-engines.
    assert!(
        linked_c + review_c > 0,
        "the phones meet the register ({linked_c} linked, {review_c} review, {new_c} new)"
    );
    // A pair the engine was unsure of, for the review below: written as an import writes one.
    let actor = officer.user.actor();
    let tenant = officer.user.tenant.clone().expect("tenant");
    let listed = app.store.umkm_businesses(&actor, &tenant, &Default::default(), 0, 1).await.expect("list").rows;
    let record = sinergi_domain::umkm::SourceRecord {
        business_name: format!("{} Cabang", listed[0].name),
        year: 2025,
        ..Default::default()
    };
    let unsure = sinergi_store::umkm::Incoming {
        raw: vec![],
        record,
        provenance: sinergi_store::umkm::Provenance {
            source: "Verifikasi Lapangan".into(),
            file_name: None,
            sheet: None,
            row: None,
            origin: sinergi_store::umkm::Origin::Import,
        },
    };
    let explanation = serde_json::json!({"prior_weight": -8.0, "fields": [{"field": "business_name", "level": "jaro-winkler ≥ 0.92", "weight": 6.5, "term_frequency": null}], "weight": 1.5, "probability": 0.74});
    app.store
        .commit_umkm_records(
            &actor,
            &tenant,
            None,
            vec![(
                unsure,
                sinergi_store::umkm::Resolution::Review {
                    cluster: 0,
                    candidate: sinergi_store::umkm::Candidate::Business(listed[0].id),
                    weight: 1.5,
                    probability: 0.74,
                    explanation,
                },
            )],
        )
        .await
        .expect("an unsure pair");

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

/// An owner claims their business with NIK and phone as evidence, an officer approves it, the
/// owner keeps the profile current (edits marked as the owner's, bad values named field by
/// field) and downloads what is held; an owner of another Pemda reaches none of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_claims_edits_and_downloads_their_business() {
    use sinergi_domain::umkm::{Nik, Phone, SourceRecord};
    use sinergi_store::umkm::{Incoming, Origin, Provenance, Resolution};
    let app = TestApp::start().await;
    let officer = app.session(Role::UmkmOfficer, KAB).await;
    let tenant = officer.user.tenant.clone().expect("tenant");
    let record = SourceRecord {
        business_name: "Kerupuk Kulit Ikan Pontang".into(),
        owner_name: Some("Maesaroh".into()),
        nik: Some(Nik::parse("3604124512850004").expect("nik")),
        phone: Some(Phone::parse("0812-3456-7890").expect("phone")),
        kecamatan: Some(sinergi_domain::RegionCode::parse("36.04.12").expect("kec")),
        year: 2025,
        sales: Some(150_000_000),
        ..Default::default()
    };
    let incoming = Incoming {
        raw: vec![],
        record,
        provenance: Provenance {
            source: "dinkop".into(),
            file_name: None,
            sheet: None,
            row: None,
            origin: Origin::Import,
        },
    };
    let done = app
        .store
        .commit_umkm_records(
            &officer.user.actor(),
            &tenant,
            None,
            vec![(incoming, Resolution::New { cluster: 0, weight: None, explanation: None })],
        )
        .await
        .expect("business");
    let id = done.businesses[0];

    let owner = app.session(Role::UmkmOwner, KAB).await;
    let html = page(&app, &owner, "/usaha-saya").await;
    assert!(html.contains("Keripik Emping Tanara"), "the demo owner's own business, verified");
    assert!(!html.contains("Kerupuk Kulit Ikan Pontang"), "this one is not the owner's yet");
    assert!(page(&app, &owner, "/").await.contains("href=\"/usaha-saya\""), "the menu leads there");
    let found = page(&app, &owner, "/usaha-saya?q=kulit+ikan").await;
    assert!(
        found.contains("Kerupuk Kulit Ikan Pontang") && !found.contains("Maesaroh</"),
        "a name and a place, no owner"
    );
    let r = app.get(Some(&owner), &format!("/usaha-saya/{id}")).send().await.expect("x");
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "not the owner's before verification");

    let bad = app
        .post_form(
            Some(&owner),
            "/usaha-saya/klaim",
            &[("business", &id.to_string()), ("nik", "12345"), ("q", "kulit ikan")],
        )
        .send()
        .await
        .expect("claim");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.expect("html").contains("id=\"nik-error\""), "the NIK is named");
    let r = app
        .post_form(
            Some(&owner),
            "/usaha-saya/klaim",
            &[
                ("business", &id.to_string()),
                ("nik", "3604 1245 1285 0004"),
                ("phone", "+62 812-3456-7890"),
                ("note", "NIB saya sedang diurus"),
            ],
        )
        .send()
        .await
        .expect("claim");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(page(&app, &owner, "/usaha-saya?sent=1").await.contains("data-testid=\"my-claims\""));

    // The officer sees the evidence and approves.
    let queue = page(&app, &officer, "/umkm/klaim").await;
    assert!(queue.contains("Kerupuk Kulit Ikan Pontang") && queue.contains("NIB saya sedang diurus"));
    assert_eq!(queue.matches(">cocok<").count(), 2, "NIK and phone both match: {queue}");
    let claim = first_link(&queue, "/umkm/klaim/");
    assert!(claim.is_none(), "decisions are forms, not links");
    let action = queue.split("action=\"/umkm/klaim/").nth(1).and_then(|s| s.split('"').next()).expect("form");
    let claim_path = format!("/umkm/klaim/{}", action.trim_end_matches("/setujui"));
    let r = app.post_form(Some(&owner), &format!("{claim_path}/setujui"), &[]).send().await.expect("x");
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "an owner cannot approve their own claim");
    let r = app
        .post_form(Some(&officer), &format!("{claim_path}/tolak"), &[("decision_note", "")])
        .send()
        .await
        .expect("x");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a rejection needs a reason");
    let r = app.post_form(Some(&officer), &format!("{claim_path}/setujui"), &[]).send().await.expect("approve");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The owner edits; a bad phone is named and nothing is written.
    let mine = page(&app, &owner, "/usaha-saya").await;
    assert!(mine.matches("data-testid=\"owned\"").count() == 2 && mine.contains("Kerupuk Kulit Ikan Pontang"));
    let form = page(&app, &owner, &format!("/usaha-saya/{id}")).await;
    assert!(
        form.contains("name=\"products\"") && !form.contains("name=\"nib\""),
        "owners edit their profile, not identity"
    );
    let edit_path = format!("/usaha-saya/{id}");
    let r = app
        .post_form(
            Some(&owner),
            &edit_path,
            &[("name", "Kerupuk Kulit Ikan Pontang"), ("phone", "0812"), ("sales", "dua juta")],
        )
        .send()
        .await
        .expect("edit");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains("id=\"phone-error\"") && html.contains("id=\"sales-error\""), "each field named");
    let r = app
        .post_form(
            Some(&owner),
            &edit_path,
            &[
                ("name", "Kerupuk Kulit Ikan Pontang"),
                ("phone", "0877-1111-2222"),
                ("products", "Emping melinjo pedas, emping manis"),
                ("nib", "9120009999999"),
                ("year", "2026"),
                ("sales", "Rp 2,5 M"),
            ],
        )
        .send()
        .await
        .expect("edit");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = app.store.umkm_business(&officer.user.actor(), &tenant, id).await.expect("business");
    assert_eq!(d.business.phone.as_deref(), Some("087711112222"));
    assert_eq!(d.business.nib, None, "a field the owner's form does not show is ignored");
    assert!(d.business.owner_edited_at_ms.is_some());
    let officer_view = page(&app, &officer, &format!("/umkm/{id}")).await;
    assert!(officer_view.contains("data-testid=\"owner-edited\"") && officer_view.contains("pemilik usaha"));

    // The owner adds a P-IRT permit: its expiry is read from the number; a wrong one is named.
    let permit_path = format!("/usaha-saya/{id}/izin");
    let r =
        app.post_form(Some(&owner), &permit_path, &[("kind", "pirt"), ("number", "12345")]).send().await.expect("x");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("html").contains("data-testid=\"permit-error\""));
    let r = app
        .post_form(Some(&owner), &permit_path, &[("kind", "pirt"), ("number", "P-IRT 2063604010213-29")])
        .send()
        .await
        .expect("permit");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let form = page(&app, &owner, &format!("/usaha-saya/{id}")).await;
    assert!(form.contains("31 Desember 2029"), "the P-IRT's expiry, from its number");

    // The owner's download holds the NIK whole and the history.
    let r = app.get(Some(&owner), &format!("/usaha-saya/{id}/data.xlsx")).send().await.expect("data");
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx");
    let names = book.sheet_names();
    assert_eq!(names.len(), 6, "{names:?}");
    let facts = book.worksheet_range(&names[0]).expect("sheet");
    let cells: Vec<String> = facts.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(cells.iter().any(|c| c == "3604124512850004"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "087711112222"));

    // Another Pemda's owner reaches none of it.
    let stranger = app.session(Role::UmkmOwner, "kota-serang").await;
    for path in [format!("/usaha-saya/{id}"), format!("/usaha-saya/{id}/data.xlsx")] {
        let r = app.get(Some(&stranger), &path).send().await.expect("x");
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = app.get(Some(&owner), "/umkm/klaim").send().await.expect("x");
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "owners do not verify claims");
}

/// An officer corrects a business through its form, adds it to Koperasi Merah Putih and takes
/// it out again; every step is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_edits_a_business_and_its_memberships() {
    let app = TestApp::start().await;
    let officer = app.session(Role::UmkmOfficer, KAB).await;
    let tenant = officer.user.tenant.clone().expect("tenant");
    let actor = officer.user.actor();
    let b = app.store.umkm_businesses(&actor, &tenant, &Default::default(), 0, 1).await.expect("list").rows[0].id;
    let href = format!("/umkm/{b}");
    let form = page(&app, &officer, &format!("{href}/ubah")).await;
    assert!(form.contains("name=\"nib\"") && form.contains("name=\"nik\"") && form.contains("<optgroup"));
    let r = app
        .post_form(
            Some(&officer),
            &format!("{href}/ubah"),
            &[("name", "Warung Nasi Uduk Bu Romlah"), ("nib", "123"), ("kbli", "56")],
        )
        .send()
        .await
        .expect("edit");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains("id=\"nib-error\"") && html.contains("id=\"kbli-error\""));
    let r = app
        .post_form(
            Some(&officer),
            &format!("{href}/ubah"),
            &[
                ("name", "Warung Nasi Uduk Bu Romlah"),
                ("nib", "9120001112223"),
                ("kbli", "56102"),
                ("desa", "36.04.12.2001"),
            ],
        )
        .send()
        .await
        .expect("edit");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = app.store.umkm_business(&actor, &tenant, b).await.expect("business");
    assert_eq!(d.business.name, "Warung Nasi Uduk Bu Romlah");
    assert_eq!(d.business.nib.as_deref(), Some("9120001112223"));
    assert_eq!(d.business.kecamatan.as_ref().map(|k| k.as_str()), Some("36.04.12"), "the desa sets the kecamatan");
    assert!(d.business.owner_edited_at_ms.is_none(), "an officer's edit is not the owner's");

    let r = app
        .post_form(
            Some(&officer),
            &format!("{href}/keanggotaan"),
            &[("kind", "membership"), ("value", "Koperasi Merah Putih")],
        )
        .send()
        .await
        .expect("add");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &officer, &href).await;
    assert!(html.contains("Koperasi Merah Putih"));
    let r = app
        .post_form(Some(&officer), &format!("{href}/keanggotaan"), &[("kind", "membership"), ("value", "  ")])
        .send()
        .await
        .expect("add");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "an empty name is refused on the page");
    let r = app
        .post_form(
            Some(&officer),
            &format!("{href}/keanggotaan/hapus"),
            &[("kind", "membership"), ("value", "Koperasi Merah Putih")],
        )
        .send()
        .await
        .expect("remove");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app.store.umkm_business(&actor, &tenant, b).await.expect("b").memberships.is_empty());
    // A halal certificate added by the officer, then removed.
    let r = app
        .post_form(
            Some(&officer),
            &format!("{href}/izin"),
            &[
                ("kind", "halal"),
                ("number", "ID36110000123450923"),
                ("issued", "2026-03-01"),
                ("expires", "2025-03-01"),
            ],
        )
        .send()
        .await
        .expect("permit");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "expiry before issue");
    let r = app
        .post_form(
            Some(&officer),
            &format!("{href}/izin"),
            &[("kind", "halal"), ("number", "ID36110000123450923"), ("issued", "2026-03-01")],
        )
        .send()
        .await
        .expect("permit");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = app.store.umkm_business(&actor, &tenant, b).await.expect("business");
    let halal = d.permits.iter().find(|p| p.number == "ID36110000123450923").expect("the certificate");
    let r = app
        .post_form(Some(&officer), &format!("{href}/izin/hapus"), &[("permit", &halal.id.to_string())])
        .send()
        .await
        .expect("remove");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        app.store
            .umkm_business(&actor, &tenant, b)
            .await
            .expect("b")
            .permits
            .iter()
            .all(|p| p.number != "ID36110000123450923")
    );
    let viewer = app.session(Role::Viewer, KAB).await;
    let r = app.get(Some(&viewer), &format!("{href}/ubah")).send().await.expect("x");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// An officer creating a business by hand is warned of the business it probably already is
/// (found by entity resolution, with the reasons), and chooses: add the record to it, or create
/// a new business anyway.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_made_by_hand_is_checked_for_duplicates_first() {
    let app = TestApp::start().await;
    let officer = app.session(Role::UmkmOfficer, KAB).await;
    let tenant = officer.user.tenant.clone().expect("tenant");
    let actor = officer.user.actor();
    // An existing business with a phone and a desa, as the demo's imports wrote it.
    let existing = app.store.umkm_businesses(&actor, &tenant, &Default::default(), 0, 300).await.expect("list").rows;
    let b =
        existing.iter().find(|r| r.phone.is_some() && r.desa.is_some() && r.owner_name.is_some()).expect("a business");
    let desa = b.desa.clone().expect("desa").to_string();
    let phone = b.phone.clone().expect("phone");
    let owner = b.owner_name.clone().expect("owner");
    assert!(page(&app, &officer, "/umkm").await.contains("href=\"/umkm/baru\""));
    let empty = app.post_form(Some(&officer), "/umkm/baru", &[("name", " ")]).send().await.expect("post");
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().await.expect("html").contains("id=\"name-error\""));

    let fields =
        [("name", b.name.as_str()), ("owner_name", owner.as_str()), ("phone", phone.as_str()), ("desa", desa.as_str())];
    let r = app.post_form(Some(&officer), "/umkm/baru", &fields).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("html");
    assert!(html.contains("data-testid=\"duplicate-warning\""), "warned before anything is written");
    assert!(html.contains(&format!("value=\"{}\"", b.id)), "the existing business is offered");
    let before = app.store.umkm_businesses(&actor, &tenant, &Default::default(), 0, 1).await.expect("count").total;

    // "This is the same business": the record joins it.
    let mut into = fields.to_vec();
    let id = b.id.to_string();
    into.push(("into", id.as_str()));
    let r = app.post_form(Some(&officer), "/umkm/baru", &into).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/umkm/{}", b.id));
    let d = app.store.umkm_business(&actor, &tenant, b.id).await.expect("business");
    let added = d.records.iter().find(|r| r.link == "officer").expect("the officer's record");
    assert_eq!(added.provenance.source, "formulir petugas");

    // "Create a new one anyway": a new business.
    let mut anyway = fields.to_vec();
    anyway.push(("confirm_new", "true"));
    let r = app.post_form(Some(&officer), "/umkm/baru", &anyway).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_ne!(location(&r), format!("/umkm/{}", b.id));
    let after = app.store.umkm_businesses(&actor, &tenant, &Default::default(), 0, 1).await.expect("count").total;
    assert_eq!(after, before + 1);

    // A business like no other is created at once.
    let r = app
        .post_form(
            Some(&officer),
            "/umkm/baru",
            &[("name", "Bengkel Las Zulkarnaen Mandiri"), ("desa", "36.04.12.2001")],
        )
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let viewer = app.session(Role::Viewer, KAB).await;
    let r = app.post_form(Some(&viewer), "/umkm/baru", &[("name", "Coba")]).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

//! The curated catalogue through its HTTP routes, on the real server with the demo data: the
//! owner Maesaroh adds a product with a photo and submits it; the officer cannot curate it
//! before its permits are on record, then curates it; the public catalogue (no login) finds it
//! by kecamatan and by words, with its price, permit badges and WhatsApp link, and so does the
//! JSON API; another Pemda's users get 404; bad input is named in the user's language.

mod common;

use common::{Session, TestApp};
use reqwest::StatusCode;
use sinergi_domain::umkm::{Permit, PermitKind};
use sinergi_domain::{Actor, Role};

const KAB: &str = "kabupaten-serang";
const KOTA: &str = "kota-serang";

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).expect("location").to_owned()
}

async fn page(app: &TestApp, s: Option<&Session>, path: &str) -> (StatusCode, String) {
    let r = app.get(s, path).send().await.expect("get");
    let status = r.status();
    (status, r.text().await.expect("html"))
}

/// A small PNG made with the image crate (a real decoder reads it, so a thumbnail is made).
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([200, (x * 3) as u8, (y * 4) as u8]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).expect("png");
    out
}

async fn upload_photo(app: &TestApp, s: &Session, path: &str, bytes: Vec<u8>, name: &str) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("photo", part);
    app.http
        .post(app.url(&format!("{path}/foto?csrf_token={}", s.csrf)))
        .header("cookie", format!("sinergi_session={}", s.token))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

const PRODUCT: &[(&str, &str)] = &[
    ("name", "Emping Melinjo Balado Uji"),
    ("category", "makanan"),
    ("price", "Rp 27.500"),
    ("unit", "bungkus 250 g"),
    ("capacity_per_month", "300"),
    ("packaging", "Standing pouch"),
    ("composition", "Melinjo, cabai, garam"),
    ("expiry", "6 bulan"),
    ("producer_address", "Desa Tanara, Kec. Tanara"),
    ("description", "Emping balado pedas"),
    ("show_contact", "on"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owner_submits_officer_curates_public_finds_it() {
    let app = TestApp::start().await;
    let owner = app.session(Role::UmkmOwner, KAB).await;
    let officer = app.session(Role::UmkmOfficer, KAB).await;
    let tenant = owner.user.tenant.clone().expect("tenant");
    let business = app.store.owned_umkm_businesses(&owner.user.actor(), &tenant).await.expect("owned")[0].business.id;
    let mine = format!("/usaha-saya/{business}/produk");

    // The owner's list shows the demo product waiting for curation.
    let (status, html) = page(&app, Some(&owner), &mine).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Emping Melinjo Pedas Manis Tanara") && html.contains("Diajukan"), "{html}");

    // A bad price is named, in Indonesian, and nothing is written.
    let mut bad: Vec<(&str, &str)> = PRODUCT.to_vec();
    bad[2] = ("price", "dua puluh ribu");
    let r = app.post_form(Some(&owner), &mine, &bad).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains("Harga harus berupa angka rupiah"), "the field's error is shown");
    assert!(!html.contains("Emping Melinjo Balado Uji</a>"), "nothing half-written");

    // Create, photograph, submit.
    let r = app.post_form(Some(&owner), &mine, PRODUCT).send().await.expect("create");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let product_path = location(&r);
    assert!(product_path.starts_with(&format!("{mine}/")), "{product_path}");
    let product_id = product_path.rsplit('/').next().expect("id").to_owned();
    let r = upload_photo(&app, &owner, &product_path, b"%PDF-1.4 not a photo".to_vec(), "x.pdf").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a PDF is not a photo");
    let r = upload_photo(&app, &owner, &product_path, png(), "emping.png").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(Some(&owner), &format!("{product_path}/status"), &[("to", "diajukan")])
        .send()
        .await
        .expect("submit");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The officer sees it in the queue; curating fails on the permits, with the reason.
    let (_, list) = page(&app, Some(&officer), "/umkm/katalog?status=diajukan").await;
    assert!(list.contains("Emping Melinjo Balado Uji"), "in the officer's queue");
    let officer_path = format!("/umkm/katalog/{product_id}");
    let (status, html) = page(&app, Some(&officer), &officer_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Pangan olahan memerlukan P-IRT atau BPOM MD yang berlaku."), "the checklist says why");
    let curate = [("decision", "dikurasi"), ("photo_ok", "on"), ("notes", "")];
    let r = app.post_form(Some(&officer), &format!("{officer_path}/kurasi"), &curate).send().await.expect("curate");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("html").contains("Produk belum dapat dikurasi"));

    // The permit is recorded (the owner brings the certificate); now it can be curated.
    let system = Actor::system("uji");
    let expires = time::Date::from_calendar_date(2030, time::Month::December, 31).ok();
    app.store
        .add_umkm_permit(
            &system,
            &tenant,
            business,
            Permit { kind: PermitKind::Pirt, number: "2063604010213-30".into(), issued: None, expires },
        )
        .await
        .expect("permit");
    let r = app.post_form(Some(&officer), &format!("{officer_path}/kurasi"), &curate).send().await.expect("curate");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The public catalogue, no login: by kecamatan (Tanara) and by words.
    let (status, html) = page(&app, None, "/publik/kabupaten-serang/katalog?kecamatan=36.04.14&q=balado&lang=id").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Emping Melinjo Balado Uji"), "{html}");
    assert!(html.contains("Rp 27.500 / bungkus 250 g"), "price per unit");
    assert!(html.contains(">P-IRT<"), "permit badge");
    assert!(html.contains("Keripik Emping Tanara"), "the seller");
    assert!(html.contains("https://wa.me/6287871234410?text="), "WhatsApp link to the business phone");
    assert!(html.contains("Hubungi via WhatsApp"));
    assert!(!html.contains("3604144807780002"), "never the owner's NIK");
    // By permit; and a search that matches nothing says so.
    let (_, html) = page(&app, None, "/publik/kabupaten-serang/katalog?permit=pirt&q=balado").await;
    assert!(html.contains("Emping Melinjo Balado Uji"));
    let (_, html) = page(&app, None, "/publik/kabupaten-serang/katalog?kecamatan=36.04.30&q=balado").await;
    assert!(html.contains("data-testid=\"no-products\""), "another kecamatan has none");
    // English.
    let (_, html) = page(&app, None, "/publik/kabupaten-serang/katalog?q=balado&lang=en").await;
    assert!(html.contains("Contact via WhatsApp") && html.contains("Processed food"));
    // The product page, its photo, the galleries.
    let (status, html) = page(&app, None, &format!("/publik/kabupaten-serang/katalog/{product_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Melinjo, cabai, garam"));
    let photo = html
        .split("/publik/kabupaten-serang/katalog/foto/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("photo link");
    let r = app.get(None, &format!("/publik/kabupaten-serang/katalog/foto/{photo}")).send().await.expect("photo");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/png"));
    let (status, html) = page(&app, None, "/publik/kabupaten-serang/galeri").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Pusat Galeri UMKM Kabupaten Serang"), "the demo gallery");

    // The JSON API answers the same search.
    let r =
        app.get(None, "/api/v1/public/kabupaten-serang/katalog?q=balado&kecamatan=36.04.14").send().await.expect("api");
    assert_eq!(r.status(), StatusCode::OK);
    let json: serde_json::Value = r.json().await.expect("json");
    assert_eq!(json["total"], 1, "{json}");
    assert_eq!(json["products"][0]["price"], 27_500);
    assert_eq!(json["products"][0]["permits"][0], "pirt");
    let doc: serde_json::Value =
        app.get(None, "/api/v1/openapi.json").send().await.expect("doc").json().await.expect("json");
    assert!(doc["paths"]["/api/v1/public/{tenant_slug}/katalog"]["get"].is_object(), "in the OpenAPI document");

    // The owner's edit takes it off the public catalogue until it is curated again.
    let mut edit: Vec<(&str, &str)> = PRODUCT.to_vec();
    edit[2] = ("price", "29000");
    let r = app.post_form(Some(&owner), &product_path, &edit).send().await.expect("edit");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, _) = page(&app, None, &format!("/publik/kabupaten-serang/katalog/{product_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, html) = page(&app, None, "/publik/kabupaten-serang/katalog?q=balado").await;
    assert!(!html.contains("Emping Melinjo Balado Uji"), "the index saw the change at once");

    // Another Pemda: its officer and its owner get 404, whatever the id.
    let foreign_officer = app.session(Role::UmkmOfficer, KOTA).await;
    let (status, _) = page(&app, Some(&foreign_officer), &officer_path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r =
        app.post_form(Some(&foreign_officer), &format!("{officer_path}/kurasi"), &curate).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let foreign_owner = app.session(Role::UmkmOwner, KOTA).await;
    let (status, _) = page(&app, Some(&foreign_owner), &mine).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = app.post_form(Some(&foreign_owner), &mine, PRODUCT).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "not found before the form is looked at");
    // Kota Serang's public catalogue does not show Kabupaten Serang's products.
    let (status, html) = page(&app, None, "/publik/kota-serang/katalog?q=balado").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Emping Melinjo Balado Uji"));
    let (status, _) = page(&app, None, &format!("/publik/kota-serang/katalog/{product_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A viewer of the same Pemda may not curate.
    let viewer = app.session(Role::Viewer, KAB).await;
    let r = app.post_form(Some(&viewer), &format!("{officer_path}/kurasi"), &curate).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn officer_keeps_galleries_and_products_for_any_business() {
    let app = TestApp::start().await;
    let officer = app.session(Role::UmkmOfficer, KAB).await;
    // Find a business and describe its product.
    let (status, html) = page(&app, Some(&officer), "/umkm/katalog/baru?q=Keripik%20Emping%20Tanara").await;
    assert_eq!(status, StatusCode::OK);
    let pick =
        html.split("/umkm/katalog/baru?business_id=").nth(1).and_then(|s| s.split('"').next()).expect("a business");
    let (status, html) = page(&app, Some(&officer), &format!("/umkm/katalog/baru?business_id={pick}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Keripik Emping Tanara"));
    let mut fields: Vec<(&str, &str)> = PRODUCT.to_vec();
    fields.push(("business_id", pick));
    let r = app.post_form(Some(&officer), "/umkm/katalog", &fields).send().await.expect("create");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let product_path = location(&r);
    assert!(product_path.starts_with("/umkm/katalog/"));

    // A photo added and removed again: the page no longer shows it, and the removal is audited.
    let r = upload_photo(&app, &officer, &product_path, png(), "emping.png").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, Some(&officer), &product_path).await;
    assert_eq!(html.matches("data-testid=\"product-photo\"").count(), 1);
    let remove = html
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/hapus"))
        .expect("a remove button per photo")
        .to_owned();
    let foreign = app.session(Role::UmkmOfficer, KOTA).await;
    let r = app.post_form(Some(&foreign), &remove, &[]).send().await.expect("remove");
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "another Pemda cannot remove it");
    let r = app.post_form(Some(&officer), &remove, &[]).send().await.expect("remove");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, Some(&officer), &product_path).await;
    assert_eq!(html.matches("data-testid=\"product-photo\"").count(), 0, "the photo is gone");
    let r = app.post_form(Some(&officer), &remove, &[]).send().await.expect("remove twice");
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "a photo removed is not found again");

    // The officer's list pages by 50: more products than that give a next page, and the second
    // page holds the rest.
    let tenant = sinergi_domain::RegionCode::parse("36.04").expect("code");
    let business: sinergi_domain::BusinessId = pick.parse().expect("business id");
    let actor = Actor { scope: sinergi_domain::Scope::Tenant(tenant.clone()), ..Actor::system("test") };
    let before = app.store.catalogue_products(&actor, &tenant, &Default::default()).await.expect("products").len();
    let seeds = (0..60)
        .map(|i| sinergi_store::catalogue::SeedProduct {
            business,
            input: sinergi_domain::market::catalogue::ProductInput {
                name: format!("Produk Uji Halaman {i}"),
                category: sinergi_domain::market::catalogue::Category::Makanan,
                description: None,
                price: Some(10_000),
                unit: "bungkus".into(),
                capacity_per_month: None,
                packaging: None,
                label: Default::default(),
                claims_halal: false,
                show_contact: false,
            },
            status: sinergi_domain::market::catalogue::ProductStatus::Draft,
            photo_ok: false,
        })
        .collect();
    app.store.seed_catalogue_products(&actor, &tenant, seeds).await.expect("seed");
    let (_, first) = page(&app, Some(&officer), "/umkm/katalog").await;
    assert_eq!(first.matches("data-testid=\"product-row\"").count(), 50);
    let next = first
        .split("rel=\"next\"")
        .next()
        .and_then(|s| s.rsplit("href=\"").next())
        .and_then(|s| s.split('"').next())
        .expect("a next page")
        .replace("&amp;", "&");
    assert_eq!(next, "/umkm/katalog?page=2");
    let (_, second) = page(&app, Some(&officer), &next).await;
    assert_eq!(second.matches("data-testid=\"product-row\"").count(), before + 60 - 50);
    assert!(second.contains("rel=\"prev\""));
    assert!(!second.contains("rel=\"next\""));

    // A gallery outside the Pemda is refused with the field named.
    let outside = [("name", "Galeri Salah"), ("address", "Jl. Lain"), ("region", "36.73.01")];
    let r = app.post_form(Some(&officer), "/umkm/katalog/galeri", &outside).send().await.expect("gallery");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("html").contains("Kode wilayah harus berada di wilayah Pemda ini."));
    let good = [
        ("name", "Galeri Dekranasda Uji"),
        ("address", "Jl. Veteran, Ciruas"),
        ("region", "36.04.09"),
        ("latitude", "-6,11"),
        ("longitude", "106,25"),
        ("opening_hours", "08.00–16.00"),
    ];
    let r = app.post_form(Some(&officer), "/umkm/katalog/galeri", &good).send().await.expect("gallery");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let gallery = location(&r);
    // Put a curated demo product on display.
    let (_, html) = page(&app, Some(&officer), &gallery).await;
    let product = html
        .split("name=\"product_id\"><option value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a curated product to choose");
    let r = app
        .post_form(Some(&officer), &format!("{gallery}/produk"), &[("product_id", product), ("shown", "1")])
        .send()
        .await
        .expect("show");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, public) = page(&app, None, "/publik/kabupaten-serang/galeri").await;
    assert!(public.contains("Galeri Dekranasda Uji"));
    // The audit trail names every write in words.
    let admin = app.session(Role::RegionAdmin, KAB).await;
    let (_, audit) = page(&app, Some(&admin), "/audit?record_type=catalogue").await;
    for words in ["Menambah produk katalog", "Menghapus foto produk", "Menambah galeri", "Memajang produk di galeri"] {
        assert!(audit.contains(words), "{words} in the audit page");
    }
}

/// A change written by another server (here: straight into the store) is not waited for by
/// the public: the first list after it is served from the index it had, and the change shows
/// once the background rebuild is done, well within the second the bench measures. (The
/// product page reads the store, so it is current at once.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_from_elsewhere_shows_after_a_background_rebuild() {
    use sinergi_domain::market::catalogue::ProductStatus;
    use sinergi_domain::{RegionCode, Scope};
    let app = TestApp::start().await;
    let tenant = RegionCode::parse("36.04").expect("code");
    let curated = app.store.public_catalogue(&tenant).await.expect("catalogue");
    // A name the page prints as typed (no character HTML escapes).
    let product = curated
        .iter()
        .find(|p| p.name.chars().all(|c| c.is_alphanumeric() || c == ' '))
        .expect("the demo curates products");
    let list = format!("/publik/{KAB}/katalog?q={}", product.name.replace(' ', "+"));
    // Names repeat (many sell "Keripik Pisang"): the card's link names this product.
    let link = format!("/publik/{KAB}/katalog/{}", product.id);
    let shows = |html: &str| html.contains(&link);
    let (status, html) = page(&app, None, &list).await;
    assert_eq!(status, StatusCode::OK);
    assert!(shows(&html), "the index is built and lists {}", product.name);

    let actor = Actor { scope: Scope::Tenant(tenant.clone()), ..Actor::system("another-server") };
    app.store.move_catalogue_product(&actor, &tenant, product.id, ProductStatus::Withdrawn).await.expect("withdraw");
    let (_, html) = page(&app, None, &list).await;
    assert!(shows(&html), "served from the previous index, without waiting for a rebuild");

    let start = std::time::Instant::now();
    loop {
        let (_, html) = page(&app, None, &list).await;
        if !shows(&html) {
            break;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "the rebuild never replaced the index");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

//! Demand matching through the real server on the demo data: SPPG Cikande's manager posts a
//! demand for eggs (a bad form first, refused with the fields named); the page ranks the egg
//! farms of Desa Cikande first with the reasons; the top suppliers are notified; the farm's
//! owner sees the demand and offers; the kitchen accepts; the deal shows as value captured
//! locally. Another Pemda's users get 404 for the demand on every route; the workbook and API.

mod common;

use common::{Session, TestApp};
use reqwest::StatusCode;
use sinergi_domain::Role;
use sinergi_domain::auth::Email;
use sinergi_store::sessions::SessionKind;

async fn login(app: &TestApp, email: &str) -> Session {
    let user =
        app.store.user_for_login(&Email::parse(email).expect("email")).await.expect("lookup").expect("demo user").0;
    app.session_for(user).await
}

fn kab() -> sinergi_domain::RegionCode {
    sinergi_domain::RegionCode::parse("36.04").expect("code")
}

fn deadline() -> String {
    let wib = time::UtcOffset::from_hms(7, 0, 0).expect("offset");
    (time::OffsetDateTime::now_utc().to_offset(wib).date() + time::Duration::days(20)).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sppg_demand_for_eggs_goes_from_matching_to_a_deal() {
    let app = TestApp::start().await;
    let sppg = login(&app, sinergi_demo::demand::SPPG_USER_EMAIL).await;
    let owner = login(&app, sinergi_demo::demand::EGG_OWNER_EMAIL).await;
    let officer = app.session(Role::UmkmOfficer, "kabupaten-serang").await;

    // The demo's demands: the kitchen sees its own, the officer every one.
    let html = app.get(Some(&sppg), "/permintaan").send().await.expect("list").text().await.expect("body");
    assert!(html.contains("Telur ayam ras untuk menu MBG"));
    assert!(!html.contains("Sayur bayam dan kangkung"), "another buyer's demand is not the kitchen's");
    let html = app.get(Some(&officer), "/permintaan").send().await.expect("list").text().await.expect("body");
    assert!(html.contains("Sayur bayam dan kangkung") && html.contains("Keripik dan makanan ringan"));
    assert_eq!(app.get(Some(&sppg), "/permintaan/baru").send().await.expect("form").status(), StatusCode::OK);

    // A bad form: every field named, nothing written.
    let before = app.store.demands(&officer.user.actor(), &kab()).await.expect("demands").len();
    let r = app
        .post_form(Some(&sppg), "/permintaan", &[("buyer_kind", "sppg"), ("title", "Telur"), ("quantity", "-5")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(html.contains("Isi kategori atau kode KBLI."), "the category is named");
    assert!(html.contains("Pilih desa/kelurahan atau kecamatan tujuan pengiriman."), "the place is named");
    assert!(html.contains("Isi angka bulat tanpa koma"), "the quantity is named");
    let after = app.store.demands(&officer.user.actor(), &kab()).await.expect("demands").len();
    assert_eq!(before, after);

    // The demand for eggs.
    let dl = deadline();
    let r = app
        .post_form(
            Some(&sppg),
            "/permintaan",
            &[
                ("buyer_kind", "sppg"),
                ("title", "Telur ayam negeri"),
                ("category", "pertanian"),
                ("kbli", "01462"),
                ("description", "Telur ayam segar untuk 3.000 porsi"),
                ("quantity", "800"),
                ("unit", "kg"),
                ("frequency", "mingguan"),
                ("region", "36.04.15.2001"),
                ("permits", "nib"),
                ("price_min", "26.000"),
                ("price_max", "29.000"),
                ("deadline", &dl),
            ],
        )
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let path = r.headers()["location"].to_str().expect("location").to_owned();
    let id = path.trim_start_matches("/permintaan/").to_owned();
    let html = app.get(Some(&sppg), &path).send().await.expect("show").text().await.expect("body");
    let first = html.find("data-testid=\"match\"").expect("a ranked supplier");
    let top = &html[first..];
    assert!(top.contains("Peternakan Ayam Petelur H. Jaenudin"), "the farm of the same desa comes first");
    assert!(top.contains("desa yang sama") && top.contains("KBLI 01462 sama 5 digit"), "with its reasons");
    assert!(top.contains("izin NIB berlaku"), "the permit filter is shown as a reason");

    // A write is visible to the very next ranking (the changed supplier is upserted, not left
    // to a background rebuild): a cooperative of the same desa that sells eggs, with an NIB on its profile.
    let coop = sinergi_store::partners::PartnerInput::parse(
        "cooperative",
        "Koperasi Merah Putih Desa Cikande",
        "36.04.15.2001",
        "9120009876543",
        "",
        "01462",
        "Peternakan",
        "",
        "",
        "Telur ayam ras segar dari kandang anggota koperasi",
        true,
    )
    .expect("partner");
    app.store.create_partner(&officer.user.actor(), &kab(), coop).await.expect("cooperative");
    let html = app.get(Some(&sppg), &path).send().await.expect("show").text().await.expect("body");
    assert!(html.contains("Koperasi Merah Putih Desa Cikande"), "the new supplier is ranked at once");

    // The owner sees nothing until notified.
    let html = app.get(Some(&owner), "/permintaan").send().await.expect("list").text().await.expect("body");
    assert!(!html.contains("Telur ayam negeri"));
    assert_eq!(app.get(Some(&owner), &path).send().await.expect("show").status(), StatusCode::NOT_FOUND);
    let r = app.post_form(Some(&sppg), &format!("{path}/beritahu"), &[("count", "5")]).send().await.expect("notify");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mails = app.store.due_mail(100).await.expect("outbox");
    assert!(mails.iter().any(|m| m.to == sinergi_demo::demand::EGG_OWNER_EMAIL && m.body.contains(&path)));

    // The owner offers (a quantity above the demand first).
    let html = app.get(Some(&owner), "/permintaan").send().await.expect("list").text().await.expect("body");
    assert!(html.contains("Telur ayam negeri"));
    let offer = |q: &'static str| {
        let dl = dl.clone();
        let path = path.clone();
        let app = &app;
        let owner = &owner;
        async move {
            app.post_form(
                Some(owner),
                &format!("{path}/penawaran"),
                &[("price", "27.000"), ("quantity", q), ("delivery_on", &dl), ("note", "Telur grade A")],
            )
            .send()
            .await
            .expect("offer")
        }
    };
    let r = offer("5.000").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("body").contains("Jumlah tidak boleh melebihi jumlah yang diminta."));
    assert_eq!(offer("800").await.status(), StatusCode::SEE_OTHER);
    // The owner may not accept its own offer.
    let detail = app.store.demand(&sppg.user.actor(), &kab(), id.parse().expect("id")).await.expect("detail");
    let offer_id = detail.offers[0].id.to_string();
    let r =
        app.post_form(Some(&owner), &format!("{path}/terima"), &[("offer", &offer_id)]).send().await.expect("accept");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Another Pemda: 404 on every route of the demand, before any form is read.
    let other = app.session(Role::RegionAdmin, "kota-serang").await;
    assert_eq!(app.get(Some(&other), &path).send().await.expect("get").status(), StatusCode::NOT_FOUND);
    for action in ["beritahu", "penawaran", "terima", "tutup"] {
        let r = app
            .post_form(Some(&other), &format!("{path}/{action}"), &[("offer", &offer_id)])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{action}");
    }

    // The kitchen accepts: the deal, and the value captured locally.
    let r =
        app.post_form(Some(&sppg), &format!("{path}/terima"), &[("offer", &offer_id)]).send().await.expect("accept");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get(Some(&sppg), &path).send().await.expect("show").text().await.expect("body");
    assert!(html.contains("Sepakat") && html.contains("Rp 21.600.000"), "800 kg × Rp 27.000");
    let html = app.get(Some(&officer), "/permintaan/nilai").send().await.expect("value").text().await.expect("body");
    assert!(html.contains("Dapur SPPG (MBG)"), "by kind of buyer");
    // The demo's vegetable deal (300 kg × Rp 9.500) plus this one.
    assert!(html.contains("Rp 24.450.000"), "the total of both deals");
    assert_eq!(app.get(Some(&sppg), "/permintaan/nilai").send().await.expect("value").status(), StatusCode::FORBIDDEN);

    // The workbook and the API.
    let r = app.get(Some(&officer), "/permintaan.xlsx").send().await.expect("xlsx");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.expect("bytes").starts_with(b"PK"));
    let token = app
        .store
        .create_session(&officer.user, SessionKind::Api, None, &Default::default())
        .await
        .expect("token")
        .token;
    let list: serde_json::Value = app
        .http
        .get(app.url("/api/v1/demands"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("api")
        .json()
        .await
        .expect("json");
    assert!(list.as_array().expect("array").iter().any(|d| d["id"] == id.as_str() && d["status"] == "sepakat"));
    let sayur = list
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["title"] == "Keripik dan makanan ringan untuk kantin karyawan")
        .expect("the canteen's demand")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let matches: serde_json::Value = app
        .http
        .get(app.url(&format!("/api/v1/demands/{sayur}/matches")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("api")
        .json()
        .await
        .expect("json");
    let suppliers = matches["suppliers"].as_array().expect("suppliers");
    assert!(!suppliers.is_empty());
    for s in suppliers {
        let sum: u64 = s["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .map(|r| match r["kind"].as_str() {
                Some("kbli") => match r["digits"].as_u64() {
                    Some(5) => 8,
                    Some(4) => 6,
                    Some(3) => 4,
                    Some(2) => 2,
                    _ => 1,
                },
                Some("category") => 3,
                Some("words") => {
                    2 * r["exact"].as_array().map_or(0, Vec::len) as u64
                        + r["near"].as_array().map_or(0, Vec::len) as u64
                }
                Some("near") => match r["nearness"].as_str() {
                    Some("desa") => 6,
                    Some("kecamatan") => 4,
                    Some("regency") => 2,
                    _ => 1,
                },
                Some("curated") => 2,
                Some("channels") => r["count"].as_u64().unwrap_or(0).min(2),
                Some("past-deals") => r["count"].as_u64().unwrap_or(0).min(3),
                _ => 0,
            })
            .sum();
        assert_eq!(Some(sum), s["score"].as_u64(), "the reasons add up to the score: {s}");
        assert!(
            s["reasons"].as_array().expect("reasons").iter().any(|r| r["kind"] == "permit-valid"),
            "P-IRT required"
        );
    }
}

//! Markets through the real server on the demo data: the channel list with its funnels and the
//! kitchens' health, SPPG Kibin short of suppliers with local producers suggested, a producer
//! put into its pipeline and a stage refused with the missing requirement named, then taken; a
//! KUR referral refused above its ceiling, then sent and moved by Bank BJB's own user; another
//! Pemda's user gets 404 for every record; the workbooks and the API.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use sinergi_domain::auth::Email;
use sinergi_domain::market::Stage;
use sinergi_domain::{RegionCode, Role};
use sinergi_store::markets::ReferralFilter;
use sinergi_store::sessions::SessionKind;

fn kab() -> RegionCode {
    RegionCode::parse("36.04").expect("code")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channels_kitchens_and_referrals_through_the_pages_and_the_api() {
    let app = TestApp::start().await;
    let officer = app.session(Role::UmkmOfficer, "kabupaten-serang").await;
    let other = app.session(Role::UmkmOfficer, "kota-serang").await;
    let wib = time::UtcOffset::from_hms(7, 0, 0).expect("offset");
    let today = time::OffsetDateTime::now_utc().to_offset(wib).date();

    // The list: funnels and the kitchens' health from the demo.
    let r = app.get(Some(&officer), "/pasar/kanal").send().await.expect("list");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("body");
    for want in
        ["Indomaret — Rak UMKM Serang", "SPPG Cikande", "SPPG Kibin", "SPPG Tanara", "Koperasi Merah Putih Desa Tanara"]
    {
        assert!(html.contains(want), "the list shows {want}");
    }
    assert!(html.contains("kurang 9"), "SPPG Kibin is nine suppliers short of fifteen");
    assert!(
        html.contains("Peternakan Ayam Petelur Tanara Jaya (46%)"),
        "Tanara's dominant farm is named with its share"
    );
    assert!(html.contains("Rp "), "money as rupiah");

    let channels = app.store.channels(&officer.user.actor(), &kab(), today).await.expect("channels");
    let kibin = channels.iter().find(|c| c.channel.name == "SPPG Kibin").expect("Kibin").channel.id;
    let indomaret = channels.iter().find(|c| c.channel.name.starts_with("Indomaret")).expect("Indomaret");
    assert_eq!(indomaret.funnel.supplying, 2);

    // SPPG Kibin: short, with local producers suggested (not the farm without an NIB).
    let html = app
        .get(Some(&officer), &format!("/pasar/kanal/{kibin}"))
        .send()
        .await
        .expect("kitchen")
        .text()
        .await
        .expect("body");
    assert!(html.contains("kurang 9 pemasok dari minimal 15"), "the kitchen page says how short it is");
    assert!(
        html.contains("Telur Kibin Berkah") && html.contains("Desa yang sama"),
        "a producer of the same desa is suggested"
    );
    assert!(!html.contains("Telur Kampung Pak Udin"), "a farm without an NIB is not suggested");

    // Put the suggested producer into the pipeline, then try to move it past the checklist.
    let suggestion =
        app.store.kitchen_suggestions(&officer.user.actor(), &kab(), kibin, 20, today).await.expect("suggestions");
    let names: Vec<&str> = suggestion.iter().map(|s| s.name.as_str()).collect();
    let ciagel = suggestion
        .iter()
        .find(|s| s.name == "Ayam Petelur Ketos Jaya")
        .unwrap_or_else(|| panic!("suggested: {names:?}"))
        .business;
    let r = app
        .post_form(Some(&officer), &format!("/pasar/kanal/{kibin}/peserta"), &[("business", &ciagel.to_string())])
        .send()
        .await
        .expect("add");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, entries) = app.store.channel_entries(&officer.user.actor(), &kab(), kibin, today).await.expect("entries");
    let entry = entries.iter().find(|e| e.business == ciagel).expect("in the pipeline").id;
    let r = app
        .post_form(Some(&officer), &format!("/pasar/peserta/{entry}/tahap"), &[("stage", "syarat-lengkap")])
        .send()
        .await
        .expect("move");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(html.contains("Syarat belum lengkap: Kapasitas produksi"), "the refusal names what is missing");
    let r = app
        .post_form(Some(&officer), &format!("/pasar/peserta/{entry}/centang"), &[("requirement", "kapasitas")])
        .send()
        .await
        .expect("tick");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(Some(&officer), &format!("/pasar/peserta/{entry}/tahap"), &[("stage", "syarat-lengkap")])
        .send()
        .await
        .expect("move");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, row) = app.store.channel_entry(&officer.user.actor(), &kab(), entry, today).await.expect("entry");
    assert_eq!(row.stage, Stage::RequirementsMet);

    // Another Pemda: 404 before any form is read, and nothing changed.
    for path in [format!("/pasar/kanal/{kibin}"), format!("/pasar/kanal/{kibin}?q=telur")] {
        assert_eq!(app.get(Some(&other), &path).send().await.expect("get").status(), StatusCode::NOT_FOUND);
    }
    for path in [
        format!("/pasar/peserta/{entry}/tahap"),
        format!("/pasar/peserta/{entry}/centang"),
        format!("/pasar/kanal/{kibin}/peserta"),
    ] {
        let r = app.post_form(Some(&other), &path, &[("stage", "mundur")]).send().await.expect("post");
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // A viewer reads the list but may not move anything.
    let viewer = app.session(Role::Viewer, "kabupaten-serang").await;
    assert_eq!(app.get(Some(&viewer), "/pasar/kanal").send().await.expect("get").status(), StatusCode::OK);
    let r = app
        .post_form(Some(&viewer), &format!("/pasar/peserta/{entry}/tahap"), &[("stage", "mundur")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // In English, for a reader who switched.
    let r = app.post_form(Some(&viewer), "/language", &[("lang", "en")]).send().await.expect("language");
    assert!(r.status().is_redirection(), "{}", r.status());
    let html = app.get(Some(&viewer), "/pasar/kanal").send().await.expect("get").text().await.expect("body");
    assert!(html.contains("SPPG kitchen health") && html.contains("9 short"), "the list in English");

    // A kitchen is a place: without its desa the form says so; with it, the kitchen is made.
    let kitchen =
        [("kind", "mbg-sppg"), ("name", "SPPG Carenang"), ("daily_portions", "1.500"), ("contact", "Kepala SPPG")];
    let r = app.post_form(Some(&officer), "/pasar/kanal", &kitchen).send().await.expect("create");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("body").contains("id=\"desa-error\""), "the desa is named");
    let mut with_desa = kitchen.to_vec();
    with_desa.push(("desa", "36.04.17.2001"));
    let r = app.post_form(Some(&officer), "/pasar/kanal", &with_desa).send().await.expect("create");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app
        .get(Some(&officer), r.headers()["location"].to_str().expect("location"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        html.contains("SPPG Carenang") && html.contains("kurang 15 pemasok"),
        "a new kitchen starts with no supplier"
    );

    // The super mikro ceiling, edited by the officer, is what a referral is held to.
    let r = app
        .post_form(
            Some(&officer),
            "/pembiayaan/skema",
            &[("code", "kur-super-mikro"), ("name", "KUR Super Mikro"), ("ceiling", "Rp 10.000.000"), ("active", "1")],
        )
        .send()
        .await
        .expect("scheme");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // A referral above the super mikro ceiling is refused, naming the field; then sent.
    let bjb = app
        .store
        .partners(&officer.user.actor(), &Default::default())
        .await
        .expect("partners")
        .into_iter()
        .find(|p| p.name == sinergi_demo::markets::BANK_NAME)
        .expect("Bank BJB")
        .id;
    let form = |amount: &'static str| {
        vec![
            ("business", ciagel.to_string()),
            ("partner_id", bjb.to_string()),
            ("scheme_code", "kur-super-mikro".to_owned()),
            ("amount_asked", amount.to_owned()),
            ("purpose", "Pakan dan vaksin".to_owned()),
        ]
    };
    let fields = form("Rp 12.000.000");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_form(Some(&officer), "/pembiayaan", &refs).send().await.expect("refer");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(
        html.contains("id=\"amount_asked-error\"") && html.contains("melebihi plafon"),
        "the amount is refused in Indonesian"
    );
    let fields = form("Rp 9.500.000");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_form(Some(&officer), "/pembiayaan", &refs).send().await.expect("refer");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let referral = r.headers()["location"].to_str().expect("location").trim_start_matches("/pembiayaan/").to_owned();

    // Bank BJB's analyst sees it among the bank's referrals and assesses it.
    let banker = app
        .store
        .user_for_login(&Email::parse(sinergi_demo::markets::BANK_USER_EMAIL).expect("email"))
        .await
        .expect("lookup")
        .expect("the bank's user")
        .0;
    let bank = app.session_for(banker.clone()).await;
    let html = app.get(Some(&bank), "/pembiayaan").send().await.expect("list").text().await.expect("body");
    assert!(html.contains("Ayam Petelur Ketos Jaya"), "the bank sees the referral sent to it");
    let r = app
        .post_form(Some(&bank), &format!("/pembiayaan/{referral}/status"), &[("status", "dinilai")])
        .send()
        .await
        .expect("move");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(Some(&bank), &format!("/pembiayaan/{referral}/status"), &[("status", "disetujui")])
        .send()
        .await
        .expect("move");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "approval needs its amount");
    let seen = app.store.referrals(&banker.actor(), &kab(), &ReferralFilter::default()).await.expect("bank's list");
    assert!(seen.iter().all(|r| r.partner_id == bjb), "a bank's user sees its own bank's referrals only");
    // Kota Serang's Bank BJB user (another Pemda) and its officer: not found.
    let kota_bank = app.session(Role::Partner, "kota-serang").await;
    for s in [&kota_bank, &other] {
        assert_eq!(
            app.get(Some(s), &format!("/pembiayaan/{referral}")).send().await.expect("get").status(),
            StatusCode::NOT_FOUND
        );
        let r = app
            .post_form(Some(s), &format!("/pembiayaan/{referral}/status"), &[("status", "ditolak")])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    // A UMKM owner has no business with referrals.
    let owner = app.session(Role::UmkmOwner, "kabupaten-serang").await;
    assert_eq!(app.get(Some(&owner), "/pembiayaan").send().await.expect("get").status(), StatusCode::FORBIDDEN);

    // The workbooks.
    for path in ["/pasar/kanal.xlsx", "/pembiayaan.xlsx"] {
        let r = app.get(Some(&officer), path).send().await.expect("xlsx");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.headers()["content-type"].to_str().expect("type").contains("spreadsheetml"));
        assert!(r.bytes().await.expect("bytes").starts_with(b"PK"), "{path} is a workbook");
    }

    // The API: the missing requirements named; a bank's token sees its referrals; the OpenAPI
    // document lists the endpoints.
    let token = app
        .store
        .create_session(&officer.user, SessionKind::Api, None, &Default::default())
        .await
        .expect("token")
        .token;
    let fresh = suggestion.iter().find(|s| s.name == "Telur Kibin Berkah").expect("suggested").business;
    let r = app
        .http
        .post(app.url(&format!("/api/v1/channels/{kibin}/entries")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "business_id": fresh.to_string() }))
        .send()
        .await
        .expect("api add");
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: serde_json::Value = r.json().await.expect("json");
    let id = body["id"].as_str().expect("id").to_owned();
    assert_eq!(body["missing"], serde_json::json!(["kapasitas"]));
    let r = app
        .http
        .post(app.url(&format!("/api/v1/channel-entries/{id}/stage")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "stage": "syarat-lengkap" }))
        .send()
        .await
        .expect("api move");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(
        (body["error"]["reason"].as_str(), body["missing"].clone()),
        (Some("requirements-missing"), serde_json::json!(["kapasitas"]))
    );
    let bank_token =
        app.store.create_session(&banker, SessionKind::Api, None, &Default::default()).await.expect("token").token;
    let list: serde_json::Value = app
        .http
        .get(app.url("/api/v1/referrals"))
        .bearer_auth(&bank_token)
        .send()
        .await
        .expect("api list")
        .json()
        .await
        .expect("json");
    let list = list.as_array().expect("a list");
    assert!(list.len() >= 6 && list.iter().all(|r| r["partner_id"] == bjb.to_string()));
    let doc: serde_json::Value =
        app.http.get(app.url("/api/v1/openapi.json")).send().await.expect("doc").json().await.expect("json");
    for path in [
        "/api/v1/channels",
        "/api/v1/channels/{channel_id}/entries",
        "/api/v1/channel-entries/{entry_id}/stage",
        "/api/v1/referrals",
        "/api/v1/referrals/{referral_id}/status",
    ] {
        assert!(doc["paths"].get(path).is_some(), "the OpenAPI document lists {path}");
    }
}

//! The Labkesda through the real server on the demo data: a factory's partner user orders a
//! wastewater test; the lab officer quotes it, records the payment (a wrong amount refused next
//! to its field), receives the sample and enters results (a wrong value refused next to its
//! parameter); the analyst cannot verify, a second officer does and publishes; the factory
//! downloads the certificate and anyone verifies it. Illegal steps are refused naming the
//! state; another Pemda and another company get 404; the dashboard, its exports and the API.

mod common;

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use common::{Session, TestApp};
use reqwest::StatusCode;
use sinergi_domain::auth::Email;
use sinergi_domain::cooperation::outcomes::OutcomeKind;
use sinergi_domain::lab::Medium;
use sinergi_domain::{RegionCode, Role};
use sinergi_store::sessions::{SessionKind, SessionPolicy};

fn kota() -> RegionCode {
    RegionCode::parse("36.73").expect("code")
}

async fn login(app: &TestApp, email: &str) -> Session {
    let user = app.store.user_for_login(&Email::parse(email).expect("email")).await.expect("lookup").expect("user").0;
    app.session_for(user).await
}

async fn step(app: &TestApp, s: &Session, order: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let r = app.post_form(Some(s), &format!("/lab/order/{order}/langkah"), fields).send().await.expect("step");
    let status = r.status();
    (status, r.text().await.expect("body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_factory_order_runs_from_the_portal_to_a_verified_certificate() {
    let app = TestApp::start().await;
    let factory = login(&app, sinergi_demo::lab::FACTORY_USER_EMAIL).await;
    let officer = app.session(Role::LabOfficer, "kota-serang").await;
    let verifier = login(&app, sinergi_demo::lab::VERIFIER_EMAIL).await;
    let catalogue = app.store.lab_catalogue(&officer.user.actor(), &kota()).await.expect("catalogue");
    let package = catalogue.packages.iter().find(|p| p.medium == Medium::Wastewater).expect("wastewater package");
    let parameters: Vec<_> = package.parameters.clone();

    // The catalogue shows the Perda's tariffs; the factory orders from the portal.
    let html = app.get(Some(&factory), "/lab/katalog").send().await.expect("catalogue").text().await.expect("body");
    assert!(html.contains("Rp 550.000") && html.contains("Perda Kota Serang"), "tariffs with their Perda");
    let r = app
        .post_form(
            Some(&factory),
            "/lab/order",
            &[("medium", "air-limbah"), ("package", &package.id.to_string()), ("location", "")],
        )
        .send()
        .await
        .expect("order");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "the sampling location is required");
    assert!(r.text().await.expect("body").contains("location-error"));
    let r = app
        .post_form(
            Some(&factory),
            "/lab/order",
            &[("medium", "air-limbah"), ("package", &package.id.to_string()), ("location", "Outlet IPAL")],
        )
        .send()
        .await
        .expect("order");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().expect("location").to_owned();
    let order = location.trim_start_matches("/lab/order/").to_owned();

    // Another Pemda's officer and another company's user: not found, for reading and acting.
    let other_pemda = app.session(Role::LabOfficer, "kabupaten-serang").await;
    assert_eq!(app.get(Some(&other_pemda), &location).send().await.expect("get").status(), StatusCode::NOT_FOUND);
    assert_eq!(step(&app, &other_pemda, &order, &[("step", "quote")]).await.0, StatusCode::NOT_FOUND);
    let bank = app.session(Role::Partner, "kota-serang").await;
    assert_eq!(app.get(Some(&bank), &location).send().await.expect("get").status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(Some(&bank), &format!("{location}/sertifikat.pdf")).send().await.expect("get").status(),
        StatusCode::NOT_FOUND
    );
    // An UMKM owner does not reach the laboratory at all.
    let owner = app.session(Role::UmkmOwner, "kota-serang").await;
    assert_eq!(app.get(Some(&owner), "/lab/order").send().await.expect("get").status(), StatusCode::FORBIDDEN);

    // An illegal step is refused, naming the order's state; the factory cannot quote.
    let (status, body) = step(&app, &officer, &order, &[("step", "verify")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("Verifikasi hasil") && body.contains("Terdaftar"),
        "the refusal names the step and the state"
    );
    assert_eq!(step(&app, &factory, &order, &[("step", "quote")]).await.0, StatusCode::FORBIDDEN);

    // Quotation and payment; a wrong amount is refused next to its field. Before the quote
    // there is no quotation to download; after it the factory downloads it with the Perda.
    let quotation = format!("/lab/order/{order}/penawaran.pdf");
    assert_eq!(app.get(Some(&factory), &quotation).send().await.expect("pdf").status(), StatusCode::NOT_FOUND);
    assert_eq!(step(&app, &officer, &order, &[("step", "quote")]).await.0, StatusCode::SEE_OTHER);
    let pdf = app.get(Some(&factory), &quotation).send().await.expect("pdf");
    assert_eq!(pdf.status(), StatusCode::OK);
    let text = sinergi_io::pdf::testing::read(&pdf.bytes().await.expect("bytes")).expect("a readable PDF").text();
    assert!(text.contains("Rp 550.000") && text.contains("Perda Kota Serang") && text.contains("STS"), "{text}");
    let (status, body) = step(
        &app,
        &officer,
        &order,
        &[("step", "pay"), ("invoice_number", "STS/LAB/2026/9001"), ("paid_on", "2026-11-02"), ("amount", "500000")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("amount-error") && body.contains("total penawaran"));
    let (status, _) = step(
        &app,
        &officer,
        &order,
        &[
            ("step", "pay"),
            ("invoice_number", "STS/LAB/2026/9001"),
            ("paid_on", "2026-11-02"),
            ("amount", "Rp 550.000"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = step(
        &app,
        &officer,
        &order,
        &[
            ("step", "receive"),
            ("samples", "Air limbah outlet IPAL, 2 L\nAir limbah inlet IPAL, 2 L"),
            ("handed_by", "Budi Santoso"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // A sample handed on to the analyst: its chain of custody grows by one line; a hand-over
    // to nobody is refused at its field; the factory cannot hand samples over.
    let received =
        app.store.lab_order(&officer.user.actor(), &kota(), order.parse().expect("id")).await.expect("order");
    let sample = received.samples[0].id.to_string();
    let hand = |s: &Session, to: &str| {
        let fields = [("sample", sample.as_str()), ("to", to), ("note", "Lemari pendingin 4 °C")];
        app.post_form(Some(s), &format!("/lab/order/{order}/serah-terima"), &fields).send()
    };
    let r = hand(&officer, " ").await.expect("hand over");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("body").contains("to-error"));
    assert_eq!(hand(&officer, "Dewi (analis)").await.expect("hand over").status(), StatusCode::SEE_OTHER);
    assert_eq!(hand(&factory, "Siapa saja").await.expect("hand over").status(), StatusCode::FORBIDDEN);
    let custody =
        &app.store.lab_order(&officer.user.actor(), &kota(), order.parse().expect("id")).await.expect("order").samples
            [0]
        .custody;
    assert_eq!(custody.last().map(|c| c.to.as_str()), Some("Dewi (analis)"));

    // Results: every parameter in one form; a wrong value is named next to its parameter and
    // nothing is written.
    let mut fields: Vec<(String, String)> = vec![("step".into(), "submit".into())];
    for (i, p) in parameters.iter().enumerate() {
        fields.push((format!("r_{p}"), if i == 0 { "tiga puluh".into() } else { format!("{},5", i + 5) }));
    }
    let as_refs = |f: &[(String, String)]| f.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
    let bad: Vec<(String, String)> = as_refs(&fields);
    let bad_refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = step(&app, &officer, &order, &bad_refs).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(&format!("r_{}-error", parameters[0])), "the error sits at the first parameter");
    let o = app.store.lab_order(&officer.user.actor(), &kota(), order.parse().expect("id")).await.expect("order");
    assert!(o.results.is_empty(), "nothing half-written");
    fields[1].1 = "24,5".into();
    let good_refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(step(&app, &officer, &order, &good_refs).await.0, StatusCode::SEE_OTHER);

    // The analyst cannot verify; the supervisor verifies and publishes.
    let (status, body) = step(&app, &officer, &order, &[("step", "verify")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("petugas lain"), "the second-person rule is named");
    assert_eq!(step(&app, &verifier, &order, &[("step", "verify")]).await.0, StatusCode::SEE_OTHER);
    assert_eq!(step(&app, &verifier, &order, &[("step", "publish")]).await.0, StatusCode::SEE_OTHER);

    // The factory downloads its certificate; anyone verifies the code.
    let r = app.get(Some(&factory), &format!("{location}/sertifikat.pdf")).send().await.expect("pdf");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let bytes = r.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"%PDF") && bytes.len() > 1500);
    let o = app.store.lab_order(&factory.user.actor(), &kota(), order.parse().expect("id")).await.expect("order");
    let code = o.row.certificate_code.clone().expect("code");
    let r = app.get(None, &format!("/lab/sertifikat?kode={code}")).send().await.expect("verify");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("body");
    assert!(html.contains("PT Indah Tekstil Cikande") && html.contains("Memenuhi"));
    let r = app.get(None, "/lab/sertifikat?kode=LAB-AAAA-BBBB-CCCC").send().await.expect("verify");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The payment is the cooperation's PAD outcome.
    let admin = app.session(Role::RegionAdmin, "kota-serang").await;
    let settings = app.store.lab_settings(&admin.user.actor(), &kota()).await.expect("settings");
    let agreement =
        app.store.agreement(&admin.user.actor(), settings.agreement_id.expect("agreement")).await.expect("kb");
    assert!(
        agreement.outcomes.iter().any(|x| x.kind == OutcomeKind::PadEarned
            && x.evidence.as_deref().is_some_and(|e| e.contains(&o.row.number))
            && x.value >= 550_000),
        "the month's PAD outcome names the order"
    );

    // The dashboard and its exports, read by a leader.
    let viewer = app.session(Role::Viewer, "kota-serang").await;
    let html = app.get(Some(&viewer), "/lab/dasbor").send().await.expect("dash").text().await.expect("body");
    assert!(html.contains("PT Indah Tekstil Cikande") && html.contains("Kabupaten Serang") && html.contains("p90"));
    for (path, kind) in [
        ("/lab/dasbor.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("/lab/dasbor.pdf", "application/pdf"),
    ] {
        let r = app.get(Some(&viewer), path).send().await.expect("export");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()["content-type"], kind);
    }
    assert_eq!(app.get(Some(&factory), "/lab/dasbor").send().await.expect("dash").status(), StatusCode::FORBIDDEN);

    // Money kept local: November opens onto the payment, marked as the cooperation's; the
    // XLSX and the PDF hold the same line; the factory may not read the Pemda's figures; the
    // Kabupaten's page holds its own deals, not the Kota's laboratory.
    let html = app
        .get(Some(&viewer), "/nilai-lokal?tahun=2026&bulan=2026-11")
        .send()
        .await
        .expect("kept")
        .text()
        .await
        .expect("body");
    assert!(html.contains("Rincian November 2026"), "the month's lines are open");
    let row = html.split("<tr>").find(|r| r.contains("STS/LAB/2026/9001")).expect("the payment's line");
    assert!(row.contains(&o.row.number) && row.contains("local-cooperation-badge"), "{row}");
    let xlsx = app.get(Some(&viewer), "/nilai-lokal.xlsx?tahun=2026").send().await.expect("xlsx");
    assert_eq!(xlsx.status(), StatusCode::OK);
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(xlsx.bytes().await.expect("bytes").to_vec())).expect("xlsx");
    let payments = book.worksheet_range("Rincian").expect("payments sheet");
    let line = payments
        .rows()
        .find(|r| r.iter().any(|c| c.to_string().contains("STS/LAB/2026/9001")))
        .expect("the payment in the XLSX");
    assert!(line.iter().any(|c| *c == "Kerja sama"), "{line:?}");
    let pdf =
        app.get(Some(&viewer), "/nilai-lokal.pdf?tahun=2026").send().await.expect("pdf").bytes().await.expect("bytes");
    let text = sinergi_io::pdf::testing::read(&pdf).expect("a readable PDF").text();
    assert!(text.contains("STS/LAB/2026/9001") && text.contains("Uang tetap di daerah"), "{text}");
    assert_eq!(app.get(Some(&factory), "/nilai-lokal").send().await.expect("kept").status(), StatusCode::FORBIDDEN);
    let admin_token = app
        .store
        .create_session(&admin.user, SessionKind::Api, None, &SessionPolicy::default())
        .await
        .expect("token")
        .token;
    let api = |path: &'static str, token: String| {
        let request = app.http.get(app.url(path)).bearer_auth(token);
        async move { request.send().await.expect("api") }
    };
    let kept: serde_json::Value =
        api("/api/v1/local-value?year=2026", admin_token.clone()).await.json().await.expect("json");
    let payment = kept["payments"]
        .as_array()
        .expect("payments")
        .iter()
        .find(|p| p["reference"].as_str().is_some_and(|r| r.contains("STS/LAB/2026/9001")))
        .expect("the payment in the API");
    assert_eq!(
        (payment["source"].as_str(), payment["in_cooperation"].as_bool()),
        (Some("lab-retribution"), Some(true))
    );
    assert!(kept["totals"]["retribution_cooperation"].as_i64().is_some_and(|v| v >= 500_000));
    assert_eq!(api("/api/v1/local-value?year=3000", admin_token).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let kab = app.session(Role::UmkmOfficer, "kabupaten-serang").await;
    let html = app.get(Some(&kab), "/nilai-lokal").send().await.expect("kept").text().await.expect("body");
    assert!(html.contains("Sayur bayam dan kangkung") && !html.contains("STS/LAB/2026/9001"), "each Pemda its own");

    // The API: the factory's token sees its own company's orders only; results with verdicts;
    // the public check; the paths in the OpenAPI document.
    let token = app
        .store
        .create_session(&factory.user, SessionKind::Api, None, &SessionPolicy::default())
        .await
        .expect("token")
        .token;
    let orders: serde_json::Value = app
        .http
        .get(app.url("/api/v1/lab/orders"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("orders")
        .json()
        .await
        .expect("json");
    let list = orders.as_array().expect("array");
    assert!(!list.is_empty());
    let own = factory.user.partner_id.expect("partner").to_string();
    assert!(list.iter().all(|o| o["partner_id"] == own.as_str()), "only the factory's own orders");
    let results: serde_json::Value = app
        .http
        .get(app.url(&format!("/api/v1/lab/orders/{order}/results")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("results")
        .json()
        .await
        .expect("json");
    assert_eq!(results["status"], "published");
    assert_eq!(results["results"].as_array().map(Vec::len), Some(parameters.len()));
    let r = app.get(None, &format!("/api/v1/public/lab-certificates/{code}")).send().await.expect("public");
    assert_eq!(r.status(), StatusCode::OK);
    let doc = app.get(None, "/api/v1/openapi.json").send().await.expect("openapi").text().await.expect("body");
    for path in
        ["/api/v1/lab/catalogue", "/api/v1/lab/orders", "/api/v1/lab/revenue", "/api/v1/public/lab-certificates/{code}"]
    {
        assert!(doc.contains(path), "{path} in the OpenAPI document");
    }
}

/// The lab officer adds a parameter and a package on the catalogue page: every bad field is
/// named at once and nothing is written; a good one shows in the catalogue, its audit trail
/// written; a package mixing media is refused; a company cannot add anything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lab_adds_parameters_and_packages_from_the_catalogue_page() {
    let app = TestApp::start().await;
    let officer = app.session(Role::LabOfficer, "kota-serang").await;
    let before = app.store.lab_catalogue(&officer.user.actor(), &kota()).await.expect("catalogue");

    let bad = [
        ("medium", "air-limbah"),
        ("name", ""),
        ("unit", "mg/L"),
        ("method", "SNI 6989.2:2019"),
        ("limit_min", "50"),
        ("limit_max", "10"),
        ("legal_basis", "Permen LHK P.68/2016"),
        ("tariff", "seratus ribu"),
        ("tariff_basis", "Perda Kota Serang No. 5 Tahun 2024"),
        ("turnaround_days", "14"),
    ];
    let r = app.post_form(Some(&officer), "/lab/katalog/parameter", &bad).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    for id in ["name-error", "limit_max-error", "tariff-error"] {
        assert!(html.contains(id), "{id} is shown next to its field");
    }
    assert!(html.contains("seratus ribu"), "what was typed is kept");
    let after = app.store.lab_catalogue(&officer.user.actor(), &kota()).await.expect("catalogue");
    assert_eq!(after.parameters.len(), before.parameters.len(), "nothing written");

    let good: Vec<(&str, &str)> = bad
        .iter()
        .map(|(k, v)| match *k {
            "name" => (*k, "Fenol"),
            "limit_min" => (*k, ""),
            "limit_max" => (*k, "100"),
            "tariff" => (*k, "Rp 125.000"),
            _ => (*k, *v),
        })
        .collect();
    let r = app.post_form(Some(&officer), "/lab/katalog/parameter", &good).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let catalogue = app.store.lab_catalogue(&officer.user.actor(), &kota()).await.expect("catalogue");
    let cod = catalogue.parameters.iter().find(|p| p.name == "Fenol").expect("phenol added");
    assert_eq!((cod.tariff, cod.limit.max()), (125_000, Some(100.0)));
    let html = app.get(Some(&officer), "/lab/katalog").send().await.expect("page").text().await.expect("body");
    assert!(html.contains("Fenol") && html.contains("Rp 125.000"));

    // A package of the new parameter; then one that mixes media is refused at its field.
    let air = catalogue.parameters.iter().find(|p| p.medium != Medium::Wastewater).expect("another medium");
    let package = |params: Vec<String>| {
        let mut fields = vec![
            ("medium".to_owned(), "air-limbah".to_owned()),
            ("name".to_owned(), "Paket fenol".to_owned()),
            ("tariff".to_owned(), "150.000".to_owned()),
            ("tariff_basis".to_owned(), "Perda Kota Serang No. 5 Tahun 2024".to_owned()),
            ("turnaround_days".to_owned(), "10".to_owned()),
        ];
        fields.extend(params.into_iter().map(|p| ("parameter".to_owned(), p)));
        fields
    };
    let send = |fields: Vec<(String, String)>| {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.post_form(Some(&officer), "/lab/katalog/paket", &pairs).send()
    };
    let r = send(package(vec![cod.id.to_string(), air.id.to_string()])).await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("body").contains("parameters-error"));
    let r = send(package(vec![cod.id.to_string()])).await.expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let catalogue = app.store.lab_catalogue(&officer.user.actor(), &kota()).await.expect("catalogue");
    assert!(catalogue.packages.iter().any(|p| p.name == "Paket fenol" && p.parameters == vec![cod.id]));
    let admin = app.session(Role::RegionAdmin, "kota-serang").await;
    let trail: Vec<String> = app
        .store
        .audit_events(&admin.user.actor(), &Default::default())
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        trail.contains(&"lab_add_parameter".to_owned()) && trail.contains(&"lab_add_package".to_owned()),
        "{trail:?}"
    );

    // A company's user may order, not add.
    let factory = login(&app, sinergi_demo::lab::FACTORY_USER_EMAIL).await;
    let r = app.post_form(Some(&factory), "/lab/katalog/parameter", &good).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

//! The web edge end to end, over HTTP against the real router.

mod common;

use std::time::Duration;

use common::{TestApp, csrf_of};
use reqwest::StatusCode;
use sinergi_domain::{Actor, Role};
use sinergi_store::audit::{AuditFilter, RecordType};
use sinergi_web::WebConfig;

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

fn cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c[name.len() + 1..].split(';').next().unwrap_or_default().to_owned())
}

/// Log in through the form, as a browser does: fetch the page (CSRF cookie + field), post.
async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let page = app.http.get(app.url("/login")).send().await.expect("login page");
    let csrf_cookie = cookie(&page, "sinergi_csrf").expect("csrf cookie");
    let html = page.text().await.expect("html");
    let csrf = csrf_of(&html).expect("csrf field");
    app.http
        .post(app.url("/login"))
        .header("cookie", format!("sinergi_csrf={csrf_cookie}"))
        .form(&[("email", email), ("password", password), ("csrf_token", &csrf), ("next", "/agencies")])
        .send()
        .await
        .expect("post login")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_logout_and_the_session_cookie() {
    let app = TestApp::start().await;
    let r = login(&app, "region-admin@kota-serang.demo.sinergi.id", "sinergi-demo").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/agencies", "back to where the user was going");
    let set = r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join("\n");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    assert!(!set.contains("Secure"), "no Secure flag over plain HTTP");
    let token = cookie(&r, "sinergi_session").expect("session cookie");

    let home =
        app.http.get(app.url("/")).header("cookie", format!("sinergi_session={token}")).send().await.expect("home");
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.expect("html");
    assert!(html.contains("<html lang=\"id\">") && html.contains("Beranda") && html.contains("Rina Marlina"));
    assert!(html.contains("Dinas Kesehatan"), "the home page lists the Pemda's agencies");

    // Logout needs the CSRF token of the session.
    let csrf = csrf_of(&html).expect("csrf");
    let no_csrf = app
        .http
        .post(app.url("/logout"))
        .header("cookie", format!("sinergi_session={token}"))
        .send()
        .await
        .expect("post");
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
    let out = app
        .http
        .post(app.url("/logout"))
        .header("cookie", format!("sinergi_session={token}"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("logout");
    assert_eq!(location(&out), "/login");
    let after =
        app.http.get(app.url("/")).header("cookie", format!("sinergi_session={token}")).send().await.expect("home");
    assert_eq!(after.status(), StatusCode::SEE_OTHER, "the old cookie is dead");
    assert!(location(&after).starts_with("/login"));

    let actions: Vec<String> = app
        .store
        .audit_events(
            &Actor::system("t"),
            &AuditFilter { record_type: Some(RecordType::Session), ..Default::default() },
        )
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"login".into()) && actions.contains(&"logout".into()), "{actions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_are_refused_then_throttled() {
    let config =
        WebConfig { throttle_per_account: 3, throttle_window: Duration::from_secs(600), ..WebConfig::default() };
    let app = TestApp::start_with(config).await;
    let email = "viewer@kota-tangerang.demo.sinergi.id";
    for _ in 0..3 {
        let r = login(&app, email, "bukan-sandinya").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.expect("html");
        assert!(html.contains("Email atau kata sandi salah."), "the error is in Indonesian");
        assert!(html.contains("data-testid=\"form-error\""));
    }
    // Now even the right password waits: the account is throttled, not the whole site.
    let r = login(&app, email, "sinergi-demo").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let other = login(&app, "viewer@kota-serang.demo.sinergi.id", "sinergi-demo").await;
    assert_eq!(other.status(), StatusCode::SEE_OTHER);
    // The login form itself refuses a post without its CSRF token.
    let r = app.http.post(app.url("/login")).form(&[("email", email), ("password", "x")]).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_switch_is_saved_per_user_and_formats_follow() {
    let app = TestApp::start().await;
    let s = app.session(Role::RegionAdmin, "kota-serang").await;
    let r =
        app.post_form(Some(&s), "/language", &[("lang", "en"), ("next", "/agencies")]).send().await.expect("switch");
    assert_eq!(location(&r), "/agencies");
    let html = app.get(Some(&s), "/agencies").send().await.expect("page").text().await.expect("html");
    assert!(html.contains("<html lang=\"en\">") && html.contains("Agencies") && html.contains("Technical unit (UPTD)"));
    // A new session of the same user keeps the choice.
    let again = app.session(Role::RegionAdmin, "kota-serang").await;
    let html = app.get(Some(&again), "/").send().await.expect("home").text().await.expect("html");
    assert!(html.contains("<html lang=\"en\">"));
    // Offsite "next" values are not followed.
    let r = app
        .post_form(Some(&s), "/language", &[("lang", "id"), ("next", "//evil.example")])
        .send()
        .await
        .expect("switch");
    assert_eq!(location(&r), "/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agency_forms_validate_in_the_users_language_and_are_audited() {
    let app = TestApp::start().await;
    let s = app.session(Role::RegionAdmin, "kota-serang").await;
    let r = app
        .post_form(Some(&s), "/agencies", &[("name", "  "), ("kind", "uptd"), ("active", "true")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains("id=\"name-error\">Wajib diisi."), "the name field says what is wrong");

    let r = app
        .post_form(Some(&s), "/agencies", &[("name", "Dinas Kesehatan"), ("kind", "dinas"), ("active", "true")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("html").contains("Nama ini sudah dipakai."), "duplicate name shown on the field");

    let r = app
        .post_form(
            Some(&s),
            "/agencies",
            &[
                ("name", "Badan Riset dan Inovasi Daerah"),
                ("short_name", "BRIDA"),
                ("kind", "badan"),
                ("active", "true"),
            ],
        )
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get(Some(&s), &location(&r)).send().await.expect("agency page").text().await.expect("html");
    assert!(page.contains("Badan Riset dan Inovasi Daerah") && page.contains("BRIDA"));

    let audit = app.get(Some(&s), "/audit?record_type=agency").send().await.expect("audit").text().await.expect("html");
    assert!(
        audit.contains("Membuat Perangkat Daerah: Badan Riset dan Inovasi Daerah"),
        "the write is in the audit trail"
    );
    assert!(audit.contains("Rina Marlina"), "with who did it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_created_by_admins_and_can_change_their_password() {
    let app = TestApp::start().await;
    let admin = app.session(Role::RegionAdmin, "kota-tangerang-selatan").await;
    let r = app
        .post_form(
            Some(&admin),
            "/users",
            &[
                ("name", "Rudi Hartono"),
                ("email", "rudi@tangerangselatankota.go.id"),
                ("role", "agency-officer"),
                ("password", "pendek"),
            ],
        )
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(
        html.contains("Pilih perangkat daerah untuk peran ini.") || html.contains("Kata sandi minimal 10 karakter.")
    );
    let r = app
        .post_form(
            Some(&admin),
            "/users",
            &[
                ("name", "Rudi Hartono"),
                ("email", "rudi@tangerangselatankota.go.id"),
                ("role", "viewer"),
                ("password", "kerja-sama-2026"),
            ],
        )
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());

    // Rudi logs in and changes his password; the wrong current password is refused.
    let r = login(&app, "rudi@tangerangselatankota.go.id", "kerja-sama-2026").await;
    let token = cookie(&r, "sinergi_session").expect("session");
    let page = app
        .http
        .get(app.url("/account/password"))
        .header("cookie", format!("sinergi_session={token}"))
        .send()
        .await
        .expect("page");
    let csrf = csrf_of(&page.text().await.expect("html")).expect("csrf");
    let change = |current: &'static str| {
        app.http
            .post(app.url("/account/password"))
            .header("cookie", format!("sinergi_session={token}"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("current", current),
                ("password", "sinergi-tangsel-baru"),
                ("confirm", "sinergi-tangsel-baru"),
            ])
            .send()
    };
    let wrong = change("salah-sandi").await.expect("post");
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await.expect("html").contains("Kata sandi sekarang tidak sesuai."));
    let ok = change("kerja-sama-2026").await.expect("post");
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(
        login(&app, "rudi@tangerangselatankota.go.id", "sinergi-tangsel-baru").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_and_json_errors() {
    let app = TestApp::start().await;
    let r = app
        .http
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"email": "region-admin@kabupaten-serang.demo.sinergi.id", "password": "sinergi-demo", "label": "uji"}))
        .send()
        .await
        .expect("token");
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: serde_json::Value = r.json().await.expect("json");
    let token = body["token"].as_str().expect("token").to_owned();
    let id = body["id"].as_str().expect("id").to_owned();

    let agencies: serde_json::Value = app
        .http
        .get(app.url("/api/v1/agencies"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("agencies")
        .json()
        .await
        .expect("json");
    let names: Vec<&str> = agencies.as_array().expect("array").iter().filter_map(|a| a["name"].as_str()).collect();
    assert!(
        names.contains(&"UPTD Laboratorium Kesehatan Daerah")
            && agencies.as_array().is_some_and(|a| a.iter().all(|x| x["tenant"] == "36.04"))
    );

    let bad = app
        .http
        .post(app.url("/api/v1/agencies"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "UPTD Tanpa Induk", "kind": "uptd"}))
        .send()
        .await
        .expect("create");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = bad.json().await.expect("json");
    assert_eq!(err["error"]["code"], "invalid");
    assert_eq!(err["error"]["field"], "parent_id");
    assert_eq!(err["error"]["message"], "UPTD dan bagian wajib memiliki induk.");

    let tokens: serde_json::Value = app
        .http
        .get(app.url("/api/v1/auth/tokens"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(tokens[0]["label"], "uji");
    let del = app
        .http
        .delete(app.url(&format!("/api/v1/auth/tokens/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("revoke");
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
    let after = app.http.get(app.url("/api/v1/agencies")).bearer_auth(&token).send().await.expect("agencies");
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    let err: serde_json::Value = after.json().await.expect("json");
    assert_eq!(err["error"]["code"], "unauthenticated");

    let wrong = app
        .http
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"email": "region-admin@kabupaten-serang.demo.sinergi.id", "password": "salah"}))
        .send()
        .await
        .expect("token");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_search_openapi_and_operations() {
    let app = TestApp::start().await;
    let s = app.session(Role::Viewer, "kabupaten-serang").await;
    let regions: serde_json::Value =
        app.get(Some(&s), "/api/v1/regions?q=cikande").send().await.expect("regions").json().await.expect("json");
    assert_eq!(regions[0]["code"], "36.04.15");
    assert_eq!(regions[0]["label"], "Kecamatan Cikande, Kabupaten Serang");
    let kbli: serde_json::Value =
        app.get(Some(&s), "/api/v1/kbli?q=keripik").send().await.expect("kbli").json().await.expect("json");
    assert_eq!(kbli[0]["code"], "10794");
    let page =
        app.get(Some(&s), "/reference/regions?q=cikande").send().await.expect("page").text().await.expect("html");
    assert!(page.contains("36.04.15") && page.contains("Kecamatan Cikande, Kabupaten Serang"));

    let doc: serde_json::Value =
        app.http.get(app.url("/api/v1/openapi.json")).send().await.expect("doc").json().await.expect("json");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    for path in
        ["/api/v1/auth/token", "/api/v1/agencies", "/api/v1/agencies/{agency_id}", "/api/v1/regions", "/api/v1/kbli"]
    {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    // Every API route of the router is in the document.
    for spec in
        sinergi_web::route_specs().iter().filter(|s| s.path.starts_with("/api/v1/") && s.path != "/api/v1/openapi.json")
    {
        let method = spec.method.as_str().to_lowercase();
        assert!(doc["paths"][spec.path].get(&method).is_some(), "{method} {} missing from OpenAPI", spec.path);
    }
    let docs = app.http.get(app.url("/api/docs")).send().await.expect("docs").text().await.expect("html");
    assert!(docs.contains("POST /api/v1/auth/token"));

    let health = app.http.get(app.url("/healthz")).send().await.expect("health");
    assert_eq!(health.status(), StatusCode::OK);
    assert!(health.headers().contains_key("x-request-id"), "every response carries a request id");
    let metrics = app.http.get(app.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
    assert!(metrics.contains("sinergi_http_requests_total"), "{metrics}");

    let missing = app.get(Some(&s), "/tidak-ada").send().await.expect("404");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let html = missing.text().await.expect("html");
    assert!(html.contains("Halaman tidak ditemukan") && !html.contains("panicked"), "a page in Indonesian, no trace");
    let css = app.http.get(app.url("/static/app.css")).send().await.expect("css");
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_platform_picks_the_tenant_a_region_admin_cannot() {
    let app = TestApp::start().await;
    let root = app.session(Role::PlatformAdmin, "").await;
    let form = app.get(Some(&root), "/agencies/new").send().await.expect("form").text().await.expect("html");
    assert!(form.contains("<select id=\"tenant\" name=\"tenant\">") && form.contains("Kota Tangerang (36.71)"));
    let r = app
        .post_form(
            Some(&root),
            "/agencies",
            &[("tenant", "36.71"), ("name", "Badan Riset dan Inovasi Daerah"), ("kind", "badan"), ("active", "true")],
        )
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let admin = app.session(Role::RegionAdmin, "kota-tangerang").await;
    let list = app.get(Some(&admin), "/agencies").send().await.expect("list").text().await.expect("html");
    assert!(list.contains("Badan Riset dan Inovasi Daerah"), "created in the tenant the platform chose");
    let own = app.get(Some(&admin), "/agencies/new").send().await.expect("form").text().await.expect("html");
    assert!(!own.contains("name=\"tenant\""), "a region admin has no tenant to choose");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn needs_over_the_api_keep_the_three_priorities_rule() {
    let app = TestApp::start().await;
    let officer = app.user(Role::AgencyOfficer, "kabupaten-serang").await;
    let token = app
        .store
        .create_session(&officer, sinergi_store::sessions::SessionKind::Api, None, &Default::default())
        .await
        .expect("token")
        .token;
    let agency = officer.agency_id.expect("agency").to_string();
    let body = |title: &str, rank: u8| {
        serde_json::json!({
            "agency_id": agency, "year": 2027, "title": title, "problem": "Perizinan berusaha lambat",
            "urusan": "2.18", "partner_kind": "company", "expected_benefit": "Investasi masuk", "priority_rank": rank
        })
    };
    for (i, title) in ["Satu", "Dua", "Tiga"].iter().enumerate() {
        let r = app
            .http
            .post(app.url("/api/v1/needs"))
            .bearer_auth(&token)
            .json(&body(title, i as u8 + 1))
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap_or_default());
    }
    let r =
        app.http.post(app.url("/api/v1/needs")).bearer_auth(&token).json(&body("Empat", 2)).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = r.json().await.expect("json");
    assert_eq!(err["error"]["field"], "priority_rank");
    assert!(err["error"]["message"].as_str().is_some_and(|m| m.contains("tiga kebutuhan prioritas")));
    let list: serde_json::Value = app
        .http
        .get(app.url("/api/v1/needs?year=2027"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(3));
    let id = list[0]["id"].as_str().expect("id");
    let moved = app
        .http
        .post(app.url(&format!("/api/v1/needs/{id}/status")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"status": "fulfilled"}))
        .send()
        .await
        .expect("status");
    assert_eq!(moved.status(), StatusCode::UNPROCESSABLE_ENTITY, "draft cannot jump to fulfilled");
}

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *text).expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn targets_import_from_a_real_xlsx_all_or_nothing() {
    let app = TestApp::start().await;
    let s = app.session(Role::AgencyOfficer, "kota-serang").await;
    let agency = s.user.agency_id.expect("agency").to_string();
    let upload = |bytes: Vec<u8>, csrf: &str| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("target-dlh-2026.xlsx");
        let form =
            reqwest::multipart::Form::new().text("agency_id", agency.clone()).text("year", "2026").part("file", part);
        app.http
            .post(app.url(&format!("/cooperation/targets/import?csrf_token={csrf}")))
            .header("cookie", format!("sinergi_session={}", s.token))
            .multipart(form)
            .send()
    };
    let bad = xlsx(&[
        &["REKAP TARGET KINERJA DLH"],
        &["Indikator Kinerja", "Satuan", "Target", "Realisasi"],
        &["Persentase sampah terkelola", "%", "85", "72,5"],
        &["Kualitas air sungai", "indeks", "tinggi", ""],
    ]);
    let r = upload(bad, &s.csrf).await.expect("upload");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains("Baris 4 · Target: Bukan angka yang valid"), "the row and column are named");
    let before =
        app.get(Some(&s), "/cooperation/targets?year=2026").send().await.expect("page").text().await.expect("html");
    assert!(!before.contains("Persentase sampah terkelola"), "nothing of a refused file is saved");

    let good = xlsx(&[
        &["Indikator Kinerja", "Satuan", "Target", "Realisasi"],
        &["Persentase sampah terkelola", "%", "85", "72,5"],
        &["Bank sampah aktif", "unit", "1.250", ""],
    ]);
    assert_eq!(upload(good.clone(), "salah").await.expect("upload").status(), StatusCode::FORBIDDEN, "CSRF checked");
    let r = upload(good, &s.csrf).await.expect("upload");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("html");
    assert!(
        html.contains("2 target berhasil diimpor.") && html.contains("72,5 %") && html.contains("1.250 unit"),
        "{html}"
    );
    let r = upload(b"bukan excel".to_vec(), &s.csrf).await.expect("upload");
    assert!(r.text().await.expect("html").contains("bukan berkas Excel"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_need_shows_its_candidate_partners_with_reasons() {
    let app = TestApp::start().await;
    let s = app.session(Role::RegionAdmin, "kota-tangerang-selatan").await;
    let needs = app.store.needs(&s.user.actor(), &Default::default()).await.expect("needs");
    let cables = needs.iter().find(|n| n.title.contains("kabel fiber optik")).expect("demo need");
    let html = app
        .get(Some(&s), &format!("/cooperation/needs/{}", cables.id))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let table = html.split("data-testid=\"candidates\"").nth(1).expect("candidates listed");
    let first = table.split("<tr>").nth(2).expect("a first row");
    assert!(first.contains("APJATEL"), "the cable association ranks first: {first}");
    assert!(first.contains("Penawaran pada urusan yang sama") && first.contains("Kata yang sama"), "{first}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_benefits_and_finds_what_stopped_on_paper() {
    let app = TestApp::start().await;
    let tangsel = app.session(Role::Viewer, "kota-tangerang-selatan").await;
    let html = app.get(Some(&tangsel), "/cooperation").send().await.expect("page").text().await.expect("html");
    let apbd = html.split("data-testid=\"total-apbd-saved\"").nth(1).expect("APBD figure");
    assert!(
        apbd.contains("Rp 2.400.000.000") && apbd.contains("APJATEL"),
        "the APJATEL cables saved the APBD and say so"
    );
    let serang = app.session(Role::RegionAdmin, "kota-serang").await;
    let html = app.get(Some(&serang), "/cooperation").send().await.expect("page").text().await.expect("html");
    let stopped = html.split("data-testid=\"stopped\"").nth(1).expect("stopped list");
    assert!(stopped.contains("literasi keuangan dan KUR"), "the Bank BJB KB signed in June 2025 stopped on paper");
    assert!(stopped.contains("Dinas Koperasi"), "with the agency that has to act");
    assert!(!stopped.contains("Laboratorium Kesehatan Daerah Kota"), "the Serang KB with a recent activity is moving");
    // Kabupaten Serang sees the shared KSDD in its register.
    let kab = app.session(Role::Viewer, "kabupaten-serang").await;
    let list = app.get(Some(&kab), "/cooperation/agreements").send().await.expect("list").text().await.expect("html");
    assert!(
        list.contains("Laboratorium Kesehatan Daerah Kota–Kabupaten Serang")
            && list.contains("Dibagikan oleh pihak lain")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_needs_map_and_register_download_as_real_xlsx() {
    let app = TestApp::start().await;
    let s = app.session(Role::Viewer, "kota-tangerang-selatan").await;
    let r = app.get(Some(&s), "/cooperation/needs.xlsx?year=2026").send().await.expect("download");
    assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .contains("peta-kebutuhan-kota-tangerang-selatan-2026.xlsx")
    );
    let rows = sinergi_io::sheet::read_first_sheet(&r.bytes().await.expect("bytes")).expect("xlsx");
    assert_eq!(rows[0][0].text, "PETA KEBUTUHAN KERJA SAMA 2026");
    assert_eq!(rows[1][0].text, "Kota Tangerang Selatan");
    let all: Vec<&str> = rows.iter().flatten().map(|c| c.text.as_str()).collect();
    assert!(all.contains(&"Penataan kabel fiber optik bersama APJATEL"));
    assert!(!all.iter().any(|t| t.contains("Banten Lama")), "only this Pemda's needs");

    let r = app.get(Some(&s), "/cooperation/agreements.xlsx").send().await.expect("download");
    let rows = sinergi_io::sheet::read_first_sheet(&r.bytes().await.expect("bytes")).expect("xlsx");
    let apjatel = rows.iter().find(|r| r.first().is_some_and(|c| c.text.contains("APJATEL"))).expect("APJATEL row");
    assert_eq!(apjatel[8].number, Some(2_400_000_000.0), "APBD saved is a number the officer can sum");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_scans_are_checked_by_content_and_shared_with_the_partner_pemda() {
    let app = TestApp::start().await;
    let kota = app.session(Role::RegionAdmin, "kota-serang").await;
    let agreements = app.store.agreements(&kota.user.actor(), &Default::default()).await.expect("agreements");
    let kb = agreements
        .iter()
        .find(|a| a.parent_id.is_none() && a.title.contains("Laboratorium Kesehatan Daerah Kota"))
        .expect("demo KB");
    let upload = |name: &str, bytes: Vec<u8>, checks: &[&str]| {
        let mut form = reqwest::multipart::Form::new()
            .text("purpose", "signed-kb")
            .text("title", "")
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
        for c in checks {
            form = form.text(c.to_string(), "true");
        }
        app.http
            .post(app.url(&format!("/cooperation/agreements/{}/documents?csrf_token={}", kb.id, kota.csrf)))
            .header("cookie", format!("sinergi_session={}", kota.token))
            .multipart(form)
            .send()
    };
    // A program renamed to .pdf is refused, named in the user's language, and nothing is kept.
    let r =
        upload("KB-ditandatangani.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff".to_vec(), &[]).await.expect("up");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains("Jenis berkas tidak diterima"), "{}", &html[html.len().saturating_sub(3000)..]);
    // Too large: refused with the limit named.
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(sinergi_domain::files::MAX_FILE_BYTES + 1, b' ');
    let r = upload("besar.pdf", big, &[]).await.expect("up");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("html").contains("paling besar 10 MB"));
    assert!(
        app.store
            .agreement(&kota.user.actor(), kb.id)
            .await
            .expect("kb")
            .documents
            .iter()
            .all(|d| d.file_name != "besar.pdf")
    );

    let scan = b"%PDF-1.4\n% KB Kota-Kabupaten Serang 30 Januari 2026\n%%EOF\n".to_vec();
    let r = upload("C:\\scan\\KB Serang.png", scan.clone(), &["paraf", "stempel"]).await.expect("up");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app
        .get(Some(&kota), &format!("/cooperation/agreements/{}", kb.id))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("KB Serang.pdf") && html.contains("Belum: Materai"), "named by content, checklist shown");
    let doc = app
        .store
        .agreement(&kota.user.actor(), kb.id)
        .await
        .expect("kb")
        .documents
        .into_iter()
        .find(|d| d.file_name == "KB Serang.pdf")
        .expect("kept");
    // Kabupaten Serang, the other party, downloads the same bytes; Kota Tangerang cannot.
    let kab = app.session(Role::Viewer, "kabupaten-serang").await;
    let r = app
        .get(Some(&kab), &format!("/cooperation/agreements/{}/documents/{}", kb.id, doc.id))
        .send()
        .await
        .expect("dl");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment;"));
    assert_eq!(r.bytes().await.expect("bytes").to_vec(), scan);
    let tng = app.session(Role::RegionAdmin, "kota-tangerang").await;
    let r = app
        .get(Some(&tng), &format!("/cooperation/agreements/{}/documents/{}", kb.id, doc.id))
        .send()
        .await
        .expect("dl");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Completing the checklist is the keeper's, and audited.
    let path = format!("/cooperation/agreements/{}/documents/{}/checklist", kb.id, doc.id);
    let r = app
        .post_form(Some(&kota), &path, &[("paraf", "true"), ("materai", "true"), ("stempel", "true")])
        .send()
        .await
        .expect("ok");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app
        .get(Some(&kota), &format!("/cooperation/agreements/{}", kb.id))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Lengkap"));
    let events = app
        .store
        .audit_events(
            &kota.user.actor(),
            &sinergi_store::audit::AuditFilter { record_id: Some(kb.id.to_string()), limit: 50, ..Default::default() },
        )
        .await
        .expect("audit");
    assert!(events.iter().any(|e| e.action == "checklist") && events.iter().any(|e| e.action == "add_document"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_pemda_sets_when_an_agreement_stopped_on_paper() {
    let app = TestApp::start().await;
    let admin = app.session(Role::RegionAdmin, "kota-serang").await;
    let html = app.get(Some(&admin), "/cooperation").send().await.expect("page").text().await.expect("html");
    assert!(html.contains("lebih dari 6 bulan"), "the default is six months");
    assert!(html.split("data-testid=\"stopped\"").nth(1).expect("list").contains("literasi keuangan dan KUR"));
    let form = |months: &'static str| vec![("name", "Kota Serang"), ("active", "true"), ("dormancy_months", months)];
    let r = app.post_form(Some(&admin), "/tenants/36.73", &form("30")).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("html").contains("antara 1 dan 24"));
    // Two years: the Bank BJB KB signed in June 2025 is no longer flagged.
    let r = app.post_form(Some(&admin), "/tenants/36.73", &form("24")).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::OK);
    let html = app.get(Some(&admin), "/cooperation").send().await.expect("page").text().await.expect("html");
    assert!(html.contains("lebih dari 24 bulan"));
    assert!(!html.split("data-testid=\"stopped\"").nth(1).expect("list").contains("literasi keuangan dan KUR"));
    // Another Pemda keeps its own setting.
    let tangsel = app.session(Role::RegionAdmin, "kota-tangerang-selatan").await;
    let html = app.get(Some(&tangsel), "/cooperation").send().await.expect("page").text().await.expect("html");
    assert!(html.contains("lebih dari 6 bulan"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_for_browsers_that_ask() {
    let app = TestApp::start().await;
    let s = app.session(Role::RegionAdmin, "kota-serang").await;
    let plain = app.get(Some(&s), "/cooperation/agreements").send().await.expect("page");
    assert!(plain.headers().get("content-encoding").is_none(), "a client that does not ask gets it plain");
    let plain_len = plain.bytes().await.expect("bytes").len();
    let r = app.get(Some(&s), "/cooperation/agreements").header("accept-encoding", "gzip").send().await.expect("page");
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let gz = r.bytes().await.expect("bytes").len();
    assert!(gz * 2 < plain_len, "gzip {gz} bytes against {plain_len}");
}

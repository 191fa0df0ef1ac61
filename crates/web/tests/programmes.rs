//! A training wave through its HTTP routes: the officer creates a programme and a wave with
//! kecamatan quotas (bad input refused by field, nothing written), imports 120 applicants as a
//! real XLSX through the registry's importer, selects 50 within the quotas, overrides one with a
//! reason, invites (the emails go through a real SMTP server; WhatsApp through an audited
//! redirect), checks participants in by code and by name, issues certificates that anyone can
//! verify, records a follow-up and reads the report. Another Pemda gets 404 everywhere; a
//! viewer reads but cannot write; the owner sees their application.

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use calamine::{Reader, Xlsx};
use common::{Session, TestApp};
use mailin_embedded::{Handler, Server, SslConfig};
use reqwest::StatusCode;
use sinergi_domain::{Actor, Role};
use sinergi_store::programmes::Decision;
use sinergi_web::jobs::{MailConfig, deliver_mail};

const KAB: &str = "kabupaten-serang";
const KECAMATAN: [&str; 10] =
    ["Bandung", "Tanara", "Cikande", "Kibin", "Kragilan", "Jawilan", "Kopo", "Ciruas", "Pontang", "Carenang"];

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).expect("location").to_owned()
}

async fn page(app: &TestApp, s: &Session, path: &str) -> String {
    let r = app.get(Some(s), path).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK, "GET {path}");
    r.text().await.expect("html")
}

async fn post(app: &TestApp, s: &Session, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(Some(s), path, fields).send().await.expect("post")
}

fn kecamatan_code(name: &str) -> String {
    let kab = sinergi_domain::RegionCode::parse("36.04").expect("code");
    sinergi_reference::children(Some(&kab))
        .into_iter()
        .find(|r| r.name == name)
        .map(|r| r.code.to_string())
        .unwrap_or_else(|| panic!("{name} in the reference"))
}

type Received = Arc<Mutex<Vec<(Vec<String>, String)>>>;

#[derive(Clone, Default)]
struct Inbox {
    mails: Received,
    current: Vec<u8>,
    to: Vec<String>,
}

impl Handler for Inbox {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> mailin_embedded::Response {
        self.to = to.to_vec();
        self.current.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let body = String::from_utf8_lossy(&self.current).into_owned();
        if let Ok(mut m) = self.mails.lock() {
            m.push((self.to.clone(), body));
        }
        mailin_embedded::response::OK
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wave_runs_from_quotas_to_verified_certificates() {
    let app = TestApp::start().await;
    let officer = app.session(Role::UmkmOfficer, KAB).await;
    let tenant = officer.user.tenant.clone().expect("tenant");
    let actor = officer.user.actor();

    // A programme: the title is required, said in Indonesian, nothing written.
    let before = app.store.programmes(&actor, &tenant).await.expect("programmes").len();
    let r = post(&app, &officer, "/program/baru", &[("kind", "pelatihan"), ("funding", "apbd"), ("title", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("html").contains("Wajib diisi"));
    assert_eq!(app.store.programmes(&actor, &tenant).await.expect("programmes").len(), before);
    let r = post(
        &app,
        &officer,
        "/program/baru",
        &[("kind", "pelatihan"), ("funding", "csr"), ("title", "Pelatihan Kemasan")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "CSR funding names its pledge");
    // Run under one of the Pemda's agreements: its completers become the agreement's outcome.
    let admin = app.user(Role::RegionAdmin, KAB).await.actor();
    let need = app
        .store
        .needs(&admin, &sinergi_store::cooperation::PlanFilter::default())
        .await
        .expect("needs")
        .into_iter()
        .find(|n| n.tenant == tenant)
        .expect("a need of Kabupaten Serang");
    let partner = app
        .store
        .partners(&admin, &Default::default())
        .await
        .expect("partners")
        .into_iter()
        .find(|p| p.tenant == tenant && p.name.contains("Indomaret"))
        .expect("Indomaret");
    let agreement = app.store.draft_agreement_from_match(&admin, need.id, partner.id).await.expect("agreement").id;
    let agreement_field = agreement.to_string();
    let r = post(
        &app,
        &officer,
        "/program/baru",
        &[
            ("kind", "pelatihan"),
            ("funding", "apbd"),
            ("title", "Pelatihan Kemasan dan Label"),
            ("agreement", &agreement_field),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let programme_path = location(&r);

    // A wave: a quota in words is refused at its kecamatan and nothing is written.
    let codes: Vec<String> = KECAMATAN.iter().map(|k| kecamatan_code(k)).collect();
    let mut fields: Vec<(String, String)> = vec![
        ("number".into(), "1".into()),
        ("total".into(), "50".into()),
        ("max_class".into(), String::new()),
        ("min_attendance".into(), "100".into()),
        ("day_0".into(), "2026-12-14".into()),
        ("venue_0".into(), "Swiss-Belinn Modern Cikande".into()),
        ("day_1".into(), "2026-12-15".into()),
        ("venue_1".into(), "Swiss-Belinn Modern Cikande".into()),
    ];
    fields.extend(codes.iter().map(|c| (format!("quota_{c}"), "5".to_owned())));
    let mut bad = fields.clone();
    bad[8].1 = "lima".into();
    let new_wave = format!("{programme_path}/gelombang/baru");
    let bad_refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = post(&app, &officer, &new_wave, &bad_refs).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains(&format!("id=\"quota_{}-error\"", codes[0])), "the error sits at Bandung's quota");
    let programme: sinergi_domain::ProgrammeId =
        programme_path.trim_start_matches("/program/").parse().expect("programme id");
    assert!(app.store.programme_waves(&actor, &tenant, programme).await.expect("waves").is_empty());
    let good_refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = post(&app, &officer, &new_wave, &good_refs).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let wave_path = location(&r);
    let wave: sinergi_domain::WaveId = wave_path.trim_start_matches("/program/gelombang/").parse().expect("wave id");
    assert_eq!(
        post(&app, &officer, &format!("{wave_path}/status"), &[("to", "open")]).await.status(),
        StatusCode::SEE_OTHER
    );

    // 120 applicants from a real XLSX, through the importer, into the wave with the records.
    let start = page(&app, &officer, &format!("/umkm/impor?gelombang={wave}")).await;
    assert!(start.contains("data-testid=\"import-for-wave\""));
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/umkm/pendaftar-pelatihan-gelombang-7.xlsx"),
    )
    .expect("fixture");
    let form = reqwest::multipart::Form::new()
        .text("source", "Pendaftar gelombang 1")
        .text("year", "2026")
        .text("wave", wave.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name("pendaftar.xlsx"));
    let r = app
        .http
        .post(app.url(&format!("/umkm/impor?csrf_token={}", officer.csrf)))
        .header("cookie", format!("sinergi_session={}", officer.token))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let import_path = location(&r);
    assert!(app.store.wave_applications(&actor, &tenant, wave).await.expect("apps").is_empty(), "not before commit");
    let r = post(&app, &officer, &format!("{import_path}/komit"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let done = page(&app, &officer, &import_path).await;
    assert!(done.contains("data-testid=\"summary-applied\""));
    let apps = app.store.wave_applications(&actor, &tenant, wave).await.expect("apps");
    assert!((110..=120).contains(&apps.len()), "{} applicants", apps.len());
    assert!(apps.iter().all(|a| a.channel == sinergi_store::programmes::Channel::Import));

    // Selection: 50, never more than 5 from a kecamatan, everyone with a reason.
    let r = post(&app, &officer, &format!("{wave_path}/seleksi"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let apps = app.store.wave_applications(&actor, &tenant, wave).await.expect("apps");
    let selected: Vec<_> = apps.iter().filter(|a| a.decision() == Some(Decision::Selected)).collect();
    assert_eq!(selected.len(), 50);
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    for a in &selected {
        *per.entry(a.kecamatan.as_ref().map(|k| k.to_string()).unwrap_or_default()).or_default() += 1;
    }
    assert!(per.values().all(|n| *n <= 5), "{per:?}");
    let html = page(&app, &officer, &wave_path).await;
    assert!(html.contains("Kuota kecamatan sudah penuh"), "waiting applicants are told why");

    // An override needs a reason; with one it stands and is shown.
    let waiting = apps.iter().find(|a| a.decision() == Some(Decision::Waitlisted)).expect("someone waits");
    let override_path = format!("{wave_path}/pendaftar/{}/putusan", waiting.id);
    let r = post(&app, &officer, &override_path, &[("decision", "selected"), ("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(&app, &officer, &override_path, &[("decision", "selected"), ("reason", "Usulan camat Kopo")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(page(&app, &officer, &wave_path).await.contains("Usulan camat Kopo"));
    let apps = app.store.wave_applications(&actor, &tenant, wave).await.expect("apps");
    let selected: Vec<_> = apps.iter().filter(|a| a.decision() == Some(Decision::Selected)).collect();
    assert_eq!(selected.len(), 51);

    // Invitations: emails for those with an address, through a real SMTP server, once. Mail
    // the demo queued before (demand notifications) is delivered first, so the inbox then holds
    // only what the invitations sent.
    let listener = TcpListener::bind("127.0.0.1:0").expect("smtp");
    let port = listener.local_addr().expect("addr").port();
    let inbox = Inbox::default();
    let mails = inbox.mails.clone();
    std::thread::spawn(move || {
        let mut server = Server::new(inbox);
        server.with_name("smtp.test").with_tcp_listener(listener);
        let _ = server.with_ssl(SslConfig::None);
        let _ = server.serve();
    });
    let config = MailConfig::parse(&format!("smtp://127.0.0.1:{port}"), "Sinergi <noreply@sinergi.test>").expect("cfg");
    app.store.make_all_mail_due_for_test().await.expect("due");
    deliver_mail(&app.store, &config).await.expect("deliver the demo's mail");
    mails.lock().expect("inbox").clear();
    let r = post(&app, &officer, &format!("{wave_path}/undangan"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("pesan=invited:"));
    app.store.make_all_mail_due_for_test().await.expect("due");
    let (sent, failed) = deliver_mail(&app.store, &config).await.expect("deliver");
    assert_eq!(failed, 0);
    let invited =
        apps.iter().filter(|a| a.decision() == Some(Decision::Selected) && a.notified_at_ms.is_none()).count();
    assert!(sent >= 1 && sent <= invited, "{sent} mails for {invited} participants");
    let received = mails.lock().expect("inbox").clone();
    assert_eq!(received.len(), sent);
    assert!(
        received.iter().all(|(to, _)| to.iter().all(|t| t.ends_with("@contoh.id"))),
        "mail goes to the businesses' own addresses"
    );
    let r = post(&app, &officer, &format!("{wave_path}/undangan"), &[]).await;
    assert!(location(&r).contains("pesan=invited:0"), "nobody is invited twice");

    // WhatsApp: the number never appears in a page; the redirect hands it over, audited.
    let participant = selected[0];
    let r = post(&app, &officer, &format!("{wave_path}/undangan/{}/wa", participant.id), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    assert!(to.starts_with("https://wa.me/62") && to.contains("?text="), "{to}");
    let auditor = app.user(Role::RegionAdmin, KAB).await.actor();
    let events = app
        .store
        .audit_events(
            &auditor,
            &sinergi_store::audit::AuditFilter {
                record_type: Some(sinergi_store::audit::RecordType::Programme),
                limit: 500,
                ..Default::default()
            },
        )
        .await
        .expect("audit");
    assert!(events.iter().any(|e| e.action == "whatsapp_invitation" && e.record_id == participant.id.to_string()));

    // Check-in, on the day: by the code as typed (lower case, dashes), by name, and refusals.
    assert_eq!(
        post(&app, &officer, &format!("{wave_path}/status"), &[("to", "running")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let w = app.store.wave(&actor, &tenant, wave).await.expect("wave");
    let typed = format!("{}-{}", &participant.invitation_code[..4], &participant.invitation_code[4..]).to_lowercase();
    for s in &w.sessions {
        let path = format!("{wave_path}/sesi/{}", s.id);
        let r = post(&app, &officer, &path, &[("code", &typed)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(location(&r).contains("baru=1"));
        let r = post(&app, &officer, &path, &[("application", &selected[1].id.to_string())]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let first_session = format!("{wave_path}/sesi/{}", w.sessions[0].id);
    let r = post(&app, &officer, &first_session, &[("code", &typed)]).await;
    assert!(location(&r).contains("baru=0"), "a second check-in changes nothing");
    let r = post(&app, &officer, &first_session, &[("code", "ZZZZ-ZZZZ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("html").contains("Kode undangan tidak dikenal"));
    let outsider = apps
        .iter()
        .find(|a| a.decision() == Some(Decision::Ineligible) || a.decision() == Some(Decision::Waitlisted))
        .expect("not selected");
    let r = post(&app, &officer, &first_session, &[("code", &outsider.invitation_code)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page(&app, &officer, &first_session).await.contains("data-testid=\"present-count\">2<"));

    // Certificates for those at both sessions; the PDF; the public check without a login.
    let r = post(&app, &officer, &format!("{wave_path}/sertifikat"), &[]).await;
    assert!(location(&r).contains("pesan=certified:2"));
    let outcomes = app.store.agreement(&admin, agreement).await.expect("agreement").outcomes;
    assert!(
        outcomes
            .iter()
            .any(|o| o.kind == sinergi_domain::cooperation::outcomes::OutcomeKind::UmkmReached && o.value == 2),
        "the two certified businesses count as the agreement's UMKM reached"
    );
    let codes = app.store.wave_certificates(&actor, &tenant, wave).await.expect("codes");
    let code = codes.get(&participant.id).expect("a certificate").clone();
    let pdf = app.get(Some(&officer), &format!("{wave_path}/sertifikat/{}", participant.id)).send().await.expect("pdf");
    assert_eq!(pdf.status(), StatusCode::OK);
    assert!(pdf.bytes().await.expect("bytes").starts_with(b"%PDF-"));
    let public = app.get(None, &format!("/sertifikat?kode={}", code.to_lowercase())).send().await.expect("verify");
    assert_eq!(public.status(), StatusCode::OK);
    assert!(public.text().await.expect("html").contains(&participant.business_name));
    let wrong = app.get(None, "/sertifikat?kode=AAAA-BBBB-CCCC").send().await.expect("verify");
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let no_cert =
        app.get(Some(&officer), &format!("{wave_path}/sertifikat/{}", selected[2].id)).send().await.expect("none");
    assert_eq!(no_cert.status(), StatusCode::NOT_FOUND, "no certificate without attendance");

    // A follow-up at 3 months: a bad amount is refused by field; "150 jt" is read.
    let follow = format!("{wave_path}/tindak-lanjut/{}", participant.id);
    let r = post(&app, &officer, &follow, &[("months", "3"), ("sales", "banyak")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(&app, &officer, &follow, &[("months", "3"), ("sales", "150 jt"), ("channels", "Indomaret")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let answers = app.store.wave_follow_ups(&actor, &tenant, wave).await.expect("follow-ups");
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].answers.sales, Some(150_000_000));
    assert_eq!(answers[0].answers.new_channels, vec!["Indomaret".to_owned()]);

    // The report, on the page and as a workbook.
    let report = page(&app, &officer, &format!("{programme_path}/laporan")).await;
    assert!(report.contains("Alumni dibanding usaha serupa"));
    let xlsx = app.get(Some(&officer), &format!("{programme_path}/laporan.xlsx")).send().await.expect("xlsx");
    assert_eq!(xlsx.status(), StatusCode::OK);
    let book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(xlsx.bytes().await.expect("bytes").to_vec())).expect("xlsx");
    assert_eq!(book.sheet_names().len(), 4);
    let pdf = app.get(Some(&officer), &format!("{programme_path}/laporan.pdf")).send().await.expect("pdf");
    assert_eq!(pdf.status(), StatusCode::OK);
    let pdf = pdf.bytes().await.expect("bytes");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = sinergi_io::pdf::testing::read(&pdf).expect("a readable PDF").text();
    assert!(text.contains("Alumni") && text.contains("Gelombang"), "{text}");
    let participants = app.get(Some(&officer), &format!("{wave_path}/peserta.xlsx")).send().await.expect("xlsx");
    assert_eq!(participants.status(), StatusCode::OK);

    // Another Pemda's officer finds none of it; a viewer reads but cannot write.
    let other = app.session(Role::UmkmOfficer, "kota-serang").await;
    for path in [wave_path.clone(), programme_path.clone(), format!("{programme_path}/laporan"), first_session.clone()]
    {
        let r = app.get(Some(&other), &path).send().await.expect("get");
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = post(&app, &other, &first_session, &[("code", &typed)]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let viewer = app.session(Role::Viewer, KAB).await;
    page(&app, &viewer, &wave_path).await;
    assert_eq!(post(&app, &viewer, &format!("{wave_path}/seleksi"), &[]).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_sees_their_application_and_cannot_apply_twice() {
    let app = TestApp::start().await;
    let owner = app.session(Role::UmkmOwner, KAB).await;
    let html = page(&app, &owner, "/usaha-saya/program").await;
    // The demo: Maesaroh applied to the seventh wave from her account.
    assert!(html.contains("Gelombang 7") && html.contains("Keripik Emping Tanara"), "{html}");
    let tenant = owner.user.tenant.clone().expect("tenant");
    let open = app.store.open_waves(&owner.user.actor(), &tenant).await.expect("open");
    let wave = open.first().expect("an open wave").wave.id;
    let business = app.store.owned_umkm_businesses(&owner.user.actor(), &tenant).await.expect("owned")[0].business.id;
    let r =
        post(&app, &owner, &format!("/usaha-saya/program/{wave}/daftar"), &[("business", &business.to_string())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("html").contains("sudah terdaftar di sini"));
    // A business that is not hers: not found.
    let system = Actor::system("test");
    let other =
        app.store.umkm_businesses(&system, &tenant, &Default::default(), 0, 1).await.expect("registry").rows[0].id;
    let r =
        post(&app, &owner, &format!("/usaha-saya/program/{wave}/daftar"), &[("business", &other.to_string())]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // No certificate, so no survey yet.
    let mine = app.store.own_applications(&owner.user.actor(), &tenant).await.expect("mine");
    let id = mine[0].application.id;
    assert_eq!(
        app.get(Some(&owner), &format!("/usaha-saya/program/tindak-lanjut/{id}")).send().await.expect("get").status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_reads_waves_checks_in_and_verifies_certificates() {
    let app = TestApp::start().await;
    let officer = app.user(Role::UmkmOfficer, KAB).await;
    let token = app
        .store
        .create_session(&officer, sinergi_store::sessions::SessionKind::Api, None, &Default::default())
        .await
        .expect("token")
        .token;
    let get = |path: String| app.http.get(app.url(&path)).bearer_auth(&token).send();
    let list: serde_json::Value = get("/api/v1/programmes".into()).await.expect("list").json().await.expect("json");
    let programme = list[0]["id"].as_str().expect("the demo's programme").to_owned();
    assert_eq!(list[0]["funding"], "dak-non-fisik");
    let report: serde_json::Value =
        get(format!("/api/v1/programmes/{programme}/report")).await.expect("report").json().await.expect("json");
    let sixth = report["waves"].as_array().expect("waves").iter().find(|w| w["number"] == 6).expect("wave 6").clone();
    assert_eq!(sixth["status"], "done");
    let wave_id = sixth["wave_id"].as_str().expect("id").to_owned();
    let wave: serde_json::Value =
        get(format!("/api/v1/waves/{wave_id}")).await.expect("wave").json().await.expect("json");
    assert_eq!(wave["sessions"][0]["venue"], "Swiss-Belinn Modern Cikande");
    assert_eq!(wave["sessions"][0]["day"], "2025-10-20");
    let apps = wave["applications"].as_array().expect("applications");
    assert!(apps.iter().filter(|a| a["decision"] == "selected").count() <= 50);
    assert!(
        apps.iter()
            .filter(|a| a["decision"] == "ineligible")
            .all(|a| !a["ineligible"].as_array().expect("why").is_empty())
    );

    // The wave is done: a check-in is refused; another Pemda's token finds nothing.
    let session = wave["sessions"][0]["id"].as_str().expect("session");
    let r = app
        .http
        .post(app.url(&format!("/api/v1/waves/{wave_id}/sessions/{session}/check-ins")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "code": "ZZZZ-ZZZZ" }))
        .send()
        .await
        .expect("check-in");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let other = app.user(Role::UmkmOfficer, "kota-serang").await;
    let other_token = app
        .store
        .create_session(&other, sinergi_store::sessions::SessionKind::Api, None, &Default::default())
        .await
        .expect("token")
        .token;
    let r =
        app.http.get(app.url(&format!("/api/v1/waves/{wave_id}"))).bearer_auth(&other_token).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // A certificate of the sixth wave, checked by anyone.
    let tenant = officer.tenant.clone().expect("tenant");
    let codes =
        app.store.wave_certificates(&officer.actor(), &tenant, wave_id.parse().expect("wave")).await.expect("codes");
    let code = codes.values().next().expect("a certificate");
    let r = app.http.get(app.url(&format!("/api/v1/public/certificates/{code}"))).send().await.expect("verify");
    assert_eq!(r.status(), StatusCode::OK);
    let v: serde_json::Value = r.json().await.expect("json");
    assert_eq!(v["wave_number"], 6);
    assert_eq!(v["tenant"], "36.04");
    let r = app.http.get(app.url("/api/v1/public/certificates/AAAA-BBBB-CCCC")).send().await.expect("verify");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

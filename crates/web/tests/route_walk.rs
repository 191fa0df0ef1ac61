//! The wrong-tenant route walk. For EVERY route in the router's own table (so a route added
//! later is covered without anyone listing it here), it sends requests:
//! - as every role of another Pemda (Kabupaten Serang) aimed at Kota Serang's records,
//! - as every role of Kota Serang that the route's access rule must turn away,
//! - and anonymously,
//!
//! and checks that nobody got through: the right refusal status, no Kota Serang data in any
//! answer, and no change to Kota Serang's records or audit trail.

mod common;

use common::{Session, TestApp};
use reqwest::{Method, StatusCode};
use sinergi_domain::{Actor, Role};
use sinergi_store::agencies::AgencyInput;
use sinergi_store::audit::AuditFilter;
use sinergi_store::sessions::{SessionKind, SessionPolicy};
use sinergi_store::users::UserFilter;
use sinergi_web::auth::Access;
use sinergi_web::route_specs;

const VICTIM: &str = "kota-serang";
const ATTACKER: &str = "kabupaten-serang";
/// Strings that exist only in Kota Serang's records.
const MARKERS: [&str; 5] = [
    "Mitra Rahasia Kota Serang 7731",
    "Dinas Rahasia Kota Serang 7731",
    "@kota-serang.demo.sinergi.id",
    "Kebutuhan Rahasia Kota Serang 7731",
    "Dokumen Rahasia Kota Serang 7731",
];

struct Victim {
    agency_id: String,
    agreement_id: String,
    document_id: String,
    partner_id: String,
    need_id: String,
    user_id: String,
    token_id: String,
    meeting_id: String,
    item_id: String,
    csr_need_id: String,
    pledge_id: String,
    report_id: String,
    file_id: String,
    business_id: String,
    review_id: String,
    merge_id: String,
    import_id: String,
    claim_id: String,
    programme_id: String,
    wave_id: String,
    session_id: String,
    application_id: String,
    // Markets: channels and financing referrals.
    channel_id: String,
    entry_id: String,
    referral_id: String,
    // Catalogue (issue 6, part 5)
    product_id: String,
    gallery_id: String,
    // Issue 7: the Labkesda
    lab_order_id: String,
    // Issue 7: demand matching
    demand_id: String,
}

fn fill(path: &str, v: &Victim) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map(|e| start + e).expect("closing brace");
        let value = match &rest[start + 1..end] {
            "agency_id" => v.agency_id.clone(),
            "user_id" => v.user_id.clone(),
            "need_id" => v.need_id.clone(),
            "partner_id" => v.partner_id.clone(),
            "agreement_id" => v.agreement_id.clone(),
            "document_id" => v.document_id.clone(),
            "tenant_code" => "36.73".to_owned(),
            "token_id" => v.token_id.clone(),
            "name" => "app.css".to_owned(),
            "meeting_id" => v.meeting_id.clone(),
            "item_id" => v.item_id.clone(),
            "csr_need_id" => v.csr_need_id.clone(),
            "pledge_id" => v.pledge_id.clone(),
            "report_id" => v.report_id.clone(),
            "tenant_slug" => VICTIM.to_owned(),
            "file_id" => v.file_id.clone(),
            "business_id" => v.business_id.clone(),
            "review_id" => v.review_id.clone(),
            "merge_id" => v.merge_id.clone(),
            "import_id" => v.import_id.clone(),
            "claim_id" => v.claim_id.clone(),
            "programme_id" => v.programme_id.clone(),
            "wave_id" => v.wave_id.clone(),
            "session_id" => v.session_id.clone(),
            "application_id" => v.application_id.clone(),
            // A certificate code: the public check answers for any Pemda by design.
            "code" => "AAAA-BBBB-CCCC".to_owned(),
            // Markets: channels and financing referrals.
            "channel_id" => v.channel_id.clone(),
            "entry_id" => v.entry_id.clone(),
            "referral_id" => v.referral_id.clone(),
            // Catalogue (issue 6, part 5)
            "product_id" => v.product_id.clone(),
            "gallery_id" => v.gallery_id.clone(),
            // Issue 7: the Labkesda
            "lab_order_id" => v.lab_order_id.clone(),
            // Issue 7: demand matching
            "demand_id" => v.demand_id.clone(),
            other => {
                panic!("route {path} has a parameter {{{other}}} the walk does not know: add a victim value for it")
            }
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A body that tries its best to write into Kota Serang.
const FORM: &[(&str, &str)] = &[
    ("tenant", "36.73"),
    ("code", "36.73"),
    ("name", "Disusupi"),
    ("kind", "dinas"),
    ("email", "penyusup@kota-serang.test.id"),
    ("role", "viewer"),
    ("password", "penyusup-rahasia"),
    ("current", "sinergi-demo"),
    ("confirm", "penyusup-rahasia"),
    ("active", "true"),
    ("lang", "en"),
    ("status", "submitted"),
    ("contact_name", "Penyusup"),
    ("confirm_new", "true"),
    ("to", "penawaran"),
    ("body", "Disusupi"),
    ("year", "2026"),
    ("title", "Disusupi"),
    ("problem", "Disusupi"),
    ("urusan", "2.17"),
    ("partner_kind", "company"),
    ("expected_benefit", "Disusupi"),
    ("held_on", "2026-01-30"),
    ("place", "Disusupi"),
    ("decisions", "Disusupi"),
    ("item_title", "Disusupi"),
    ("due_on", "2026-01-31"),
    ("owner_label", "Penyusup"),
];

fn json_body(v: &Victim) -> serde_json::Value {
    serde_json::json!({
        "agency_id": v.agency_id, "parent_id": v.agency_id,
        "tenant": "36.73", "code": "36.73", "name": "Disusupi", "kind": "dinas",
        "email": "penyusup@kota-serang.test.id", "role": "viewer", "password": "penyusup-rahasia", "active": true,
        "year": 2026, "title": "Disusupi", "problem": "Disusupi", "urusan": "2.17", "partner_kind": "company",
        "expected_benefit": "Disusupi", "status": "submitted", "indicator": "Disusupi", "unit": "unit", "target_value": 1.0,
        "description": "Disusupi", "scope": "Disusupi", "stage": "penawaran", "partner_id": v.partner_id,
        "body": "Disusupi", "value": 1, "period": "2026", "confirm_new": true,
        "to": "published", "comment": "Disusupi", "form": "cash", "category": "sosial",
        "period_start": "2026-01-01", "period_end": "2026-12-31", "location_code": "36.73.02.1007"
    })
}

async fn send(
    app: &TestApp,
    method: &Method,
    path: &str,
    session: Option<&Session>,
    v: &Victim,
) -> (StatusCode, String) {
    let api = path.starts_with("/api/");
    let rb = match (method.as_str(), api) {
        ("GET", _) => app.get(session, path),
        (_, false) => {
            let mut fields = FORM.to_vec();
            // Point every reference at the victim's records too.
            fields.extend([("agency_id", v.agency_id.as_str()), ("parent_id", v.agency_id.as_str())]);
            fields.extend([("need_id", v.need_id.as_str()), ("agreement_id", v.agreement_id.as_str())]);
            if let Some(s) = session {
                fields.push(("csrf_token", &s.csrf));
            }
            let body = serde_urlencoded::to_string(&fields).expect("form");
            let rb = app
                .http
                .request(method.clone(), app.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
            match session {
                Some(s) => rb.header("cookie", format!("sinergi_session={}", s.token)),
                None => rb,
            }
        }
        (_, true) => {
            let rb = app.http.request(method.clone(), app.url(path)).json(&json_body(v));
            match session {
                Some(s) => rb.header("cookie", format!("sinergi_session={}", s.token)),
                None => rb,
            }
        }
    };
    let response = rb.send().await.expect("request");
    let status = response.status();
    let pdf = response.headers().get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"application/pdf"));
    let bytes = response.bytes().await.unwrap_or_default();
    // A PDF's text sits in compressed streams: read it out, or a leaked marker would go unseen.
    let body = match pdf {
        true => {
            sinergi_io::pdf::testing::read(&bytes).map(|r| r.text()).unwrap_or_else(|e| format!("unreadable PDF: {e}"))
        }
        false => String::from_utf8_lossy(&bytes).into_owned(),
    };
    (status, body)
}

/// Kota Serang as the platform sees it: its records and its audit trail (logins excluded,
/// since each walk request mints a session).
async fn victim_state(app: &TestApp) -> String {
    let root = Actor::system("walk");
    let tenant = sinergi_domain::RegionCode::parse("36.73").expect("code");
    let t = app.store.tenant(&root, &tenant).await.expect("tenant");
    let agencies = app.store.agencies(&root, Some(&tenant)).await.expect("agencies");
    let users =
        app.store.users(&root, &UserFilter { tenant: Some(tenant), ..Default::default() }).await.expect("users");
    // Read through Kota Serang's own admin, one record type at a time: the walk itself writes
    // hundreds of session events that would crowd a global listing.
    let admin = app.user(Role::RegionAdmin, VICTIM).await.actor();
    let mut writes = Vec::new();
    for record_type in sinergi_store::audit::RecordType::ALL {
        if record_type == sinergi_store::audit::RecordType::Session {
            continue;
        }
        let filter = AuditFilter { record_type: Some(record_type), limit: 1000, ..Default::default() };
        let events = app.store.audit_events(&admin, &filter).await.expect("audit");
        writes.extend(events.into_iter().map(|e| (e.action, e.record_id)));
    }
    let needs = app.store.needs(&root, &sinergi_store::cooperation::PlanFilter::default()).await.expect("needs");
    let partners = app.store.partners(&root, &Default::default()).await.expect("partners");
    let agreements = app.store.agreements(&root, &Default::default()).await.expect("agreements");
    let meetings = app.store.meetings(&root, &Default::default()).await.expect("meetings");
    let meetings: Vec<_> = meetings
        .iter()
        .filter(|m| m.meeting.tenant.as_str() == "36.73")
        .map(|m| (&m.meeting, &m.action_items))
        .collect();
    let csr = app.store.csr_book(&root, &t.code).await.expect("csr");
    let umkm = app.store.umkm_businesses(&admin, &t.code, &Default::default(), 0, 100).await.expect("umkm");
    let reviews =
        app.store.umkm_reviews(&admin, &t.code, sinergi_store::umkm::ReviewStatus::Open, 100).await.expect("reviews");
    let imports = app.store.umkm_imports(&admin, &t.code, 100).await.expect("imports");
    let imports: Vec<_> = imports.iter().map(|i| (&i.id, &i.status, &i.mapping, &i.sheet)).collect();
    format!(
        "{t:?}\n{agencies:?}\n{users:?}\n{needs:?}\n{partners:?}\n{agreements:?}\n{writes:?}\n{meetings:?}\n{csr:?}\n{umkm:?}\n{reviews:?}\n{imports:?}"
    )
}

/// Kota Serang's UMKM registry: two businesses under a secret name (one a possible duplicate of
/// the other, the first with two records of which one was split off) and an upload left in
/// preview. Returns (business, review, split, import).
async fn umkm_victims(app: &TestApp, admin: &sinergi_store::users::User) -> (String, String, String, String, String) {
    use sinergi_store::umkm::{Candidate, NewImport, Resolution};
    let tenant = admin.tenant.clone().expect("tenant");
    let actor = admin.actor();
    let csv = format!(
        "Nama Usaha;Nama Pemilik;No HP\r\n{m} A;Ibu Rahasia;081234567801\r\n{m} B;Ibu Rahasia;081234567802\r\n{m} C;Pak Rahasia;081234567803\r\n",
        m = MARKERS[0]
    );
    let prepared = sinergi_umkm::prepare(csv.as_bytes(), "rahasia.csv", &tenant, 2025, None).expect("prepare");
    let (incoming, rejected) = prepared.incoming("Sumber Rahasia", "rahasia.csv");
    assert_eq!((incoming.len(), rejected), (3, 0), "the secret rows parse");
    let explanation = serde_json::json!({"prior_weight": -10.0, "fields": [], "weight": 1.0, "probability": 0.6});
    let resolutions = [
        Resolution::New { cluster: 0, weight: None, explanation: None },
        Resolution::New { cluster: 0, weight: None, explanation: None },
        Resolution::Review { cluster: 2, candidate: Candidate::Row(0), weight: 1.0, probability: 0.6, explanation },
    ];
    let summary = app
        .store
        .commit_umkm_records(&actor, &tenant, None, incoming.into_iter().zip(resolutions).collect())
        .await
        .expect("commit");
    let business = summary.businesses[0];
    let review = app
        .store
        .umkm_reviews(&actor, &tenant, sinergi_store::umkm::ReviewStatus::Open, 10)
        .await
        .expect("reviews")
        .first()
        .expect("a review")
        .id;
    let detail = app.store.umkm_business(&actor, &tenant, business).await.expect("business");
    app.store.split_umkm(&actor, &tenant, business, &[detail.records[1].id]).await.expect("split");
    let merge = app.store.umkm_business(&actor, &tenant, business).await.expect("business").merges[0].id;
    let file = sinergi_domain::files::check_spreadsheet("file", "rahasia.csv", csv.into_bytes(), 1 << 20).expect("csv");
    let import = app
        .store
        .create_umkm_import(
            &actor,
            &tenant,
            NewImport {
                source: "Sumber Rahasia".into(),
                file,
                sheet: prepared.workbook.sheets[0].name.clone(),
                header_row: 0,
                mapping: prepared.detected.mapping.to_json(),
            },
        )
        .await
        .expect("import");
    // The victim Pemda's owner claims the business: a claim another Pemda must not decide.
    let owner = app.user(Role::UmkmOwner, VICTIM).await.actor();
    let claim = app
        .store
        .claim_umkm(&owner, &tenant, sinergi_store::umkm::NewClaim { business, nik: None, phone: None, note: None })
        .await
        .expect("claim");
    (business.to_string(), review.to_string(), merge.to_string(), import.to_string(), claim.to_string())
}

/// Kota Serang's training: a programme under a secret title, a wave running with one session,
/// the secret business selected, checked in and certified. Returns (programme, wave, session,
/// application).
async fn programme_victims(
    app: &TestApp,
    admin: &sinergi_store::users::User,
    business: &str,
) -> (String, String, String, String) {
    use sinergi_domain::programme::{Funding, ProgrammeKind, Quotas, WaveStatus};
    use sinergi_store::programmes::{CheckInBy, NewProgramme, NewSession, NewWave};
    let tenant = admin.tenant.clone().expect("tenant");
    let actor = admin.actor();
    let programme = app
        .store
        .create_programme(
            &actor,
            &tenant,
            NewProgramme {
                kind: ProgrammeKind::Training,
                title: MARKERS[3].into(),
                description: None,
                agency_id: None,
                funding: Funding::Apbd,
                pledge_id: None,
                agreement_id: None,
            },
        )
        .await
        .expect("programme");
    let wave = app
        .store
        .create_wave(
            &actor,
            &tenant,
            programme,
            NewWave {
                number: 1,
                quotas: Quotas { total: 5, ..Default::default() },
                eligibility: Default::default(),
                min_attendance_percent: 100,
                closes_on: None,
                sessions: vec![NewSession {
                    day: time::macros::date!(2026 - 03 - 02),
                    starts: None,
                    ends: None,
                    venue: MARKERS[3].into(),
                    topic: None,
                }],
            },
        )
        .await
        .expect("wave");
    app.store.move_wave(&actor, &tenant, wave, WaveStatus::Open).await.expect("open");
    let business: sinergi_domain::BusinessId = business.parse().expect("business id");
    let application = app
        .store
        .apply_to_wave(&actor, &tenant, wave, business, sinergi_store::programmes::Channel::Officer, Vec::new())
        .await
        .expect("apply");
    app.store.select_wave(&actor, &tenant, wave).await.expect("select");
    app.store.move_wave(&actor, &tenant, wave, WaveStatus::Running).await.expect("run");
    let session = app.store.wave(&actor, &tenant, wave).await.expect("wave").sessions[0].id;
    app.store.check_in(&actor, &tenant, wave, session, CheckInBy::Application(application)).await.expect("check in");
    assert_eq!(app.store.issue_certificates(&actor, &tenant, wave).await.expect("certificates"), 1);
    (programme.to_string(), wave.to_string(), session.to_string(), application.to_string())
}

/// Markets: Kota Serang's retail channel under a secret name with the secret business in its
/// pipeline, and a KUR referral of it to Bank BJB. Returns (channel, entry, referral).
async fn markets_victims(
    app: &TestApp,
    admin: &sinergi_store::users::User,
    business: &str,
) -> (String, String, String) {
    use sinergi_domain::market::ChannelKind;
    use sinergi_store::markets::{ChannelInput, ReferralInput};
    let tenant = admin.tenant.clone().expect("tenant");
    let actor = admin.actor();
    let business: sinergi_domain::BusinessId = business.parse().expect("business id");
    let partners = app.store.partners(&actor, &Default::default()).await.expect("partners");
    let bank = partners.iter().find(|p| p.name.contains("Bank BJB")).expect("Kota Serang's Bank BJB").id;
    let today = time::macros::date!(2026 - 01 - 30);
    let channel = app
        .store
        .create_channel(
            &actor,
            &tenant,
            ChannelInput {
                kind: ChannelKind::ModernRetail,
                name: format!("Kanal {}", MARKERS[0]),
                partner_id: Some(bank),
                desa: None,
                daily_portions: None,
                contact: None,
                requirements: None,
            },
        )
        .await
        .expect("channel");
    let entry = app.store.add_channel_entry(&actor, &tenant, channel, business, today, today).await.expect("entry");
    let referral = app
        .store
        .create_referral(
            &actor,
            &tenant,
            ReferralInput {
                business,
                partner_id: bank,
                scheme_code: "kur-mikro".into(),
                amount_asked: 25_000_000,
                purpose: MARKERS[0].into(),
                on: today,
            },
            today,
        )
        .await
        .expect("referral");
    (channel.to_string(), entry.to_string(), referral.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_route_lets_another_tenant_or_a_lesser_role_through() {
    let app = TestApp::start().await;
    let admin = app.user(Role::RegionAdmin, VICTIM).await;
    let secret = app
        .store
        .create_agency(
            &admin.actor(),
            admin.tenant.as_ref().expect("tenant"),
            AgencyInput::parse(MARKERS[1], None, "dinas", None, true).expect("input"),
        )
        .await
        .expect("agency");
    let need = app
        .store
        .create_need(
            &admin.actor(),
            admin.tenant.as_ref().expect("tenant"),
            sinergi_store::cooperation::NeedInput {
                agency_id: secret.id,
                year: 2026,
                title: MARKERS[3].into(),
                problem: "Rahasia".into(),
                urusan_code: "2.17".into(),
                partner_kind: sinergi_domain::cooperation::needs::PartnerKind::Company,
                expected_benefit: "Rahasia".into(),
                priority: None,
                target_ids: Vec::new(),
            },
        )
        .await
        .expect("need");
    let partner = app
        .store
        .create_partner(
            &admin.actor(),
            admin.tenant.as_ref().expect("tenant"),
            sinergi_store::partners::PartnerInput::parse("company", MARKERS[0], "", "", "", "", "", "", "", "", true)
                .expect("partner"),
        )
        .await
        .expect("partner");
    let agreement = app.store.draft_agreement_from_match(&admin.actor(), need.id, partner.id).await.expect("agreement");
    // A signed scan whose bytes carry a marker: downloading it from the other side would show.
    let scan = format!("%PDF-1.4\n% {}\n%%EOF\n", MARKERS[4]).into_bytes();
    let document = app
        .store
        .add_document(
            &admin.actor(),
            agreement.id,
            sinergi_store::documents::NewDocument {
                purpose: sinergi_domain::cooperation::documents::DocumentPurpose::SignedKb,
                title: MARKERS[4].into(),
                file: sinergi_domain::files::check_file("file", "kb.pdf", scan, 1024).expect("pdf"),
                activity_id: None,
                outcome_id: None,
                checklist: Default::default(),
            },
        )
        .await
        .expect("document");
    let viewer = app.user(Role::Viewer, VICTIM).await;
    let token = app
        .store
        .create_session(&admin, SessionKind::Api, Some("walk".into()), &SessionPolicy::default())
        .await
        .expect("token");
    let meeting = app
        .store
        .create_meeting(
            &admin.actor(),
            admin.tenant.as_ref().expect("tenant"),
            sinergi_store::meetings::MeetingInput {
                draft: sinergi_domain::cooperation::meetings::MeetingDraft::parse(
                    "rapat",
                    &format!("Rapat {}", MARKERS[3]),
                    "2026-01-30",
                    "",
                    "",
                    "",
                    "",
                )
                .expect("meeting"),
                need_ids: vec![need.id],
                agreement_ids: vec![agreement.id],
            },
        )
        .await
        .expect("meeting");
    let item = app
        .store
        .add_action_item(
            &admin.actor(),
            meeting.id,
            sinergi_domain::cooperation::meetings::ActionItemDraft::parse(MARKERS[0], "", "", "2026-02-27")
                .expect("item"),
        )
        .await
        .expect("item");
    // A published CSR need (its title is public by design, so no marker in it) with the secret
    // partner's pledge and a draft realisation report whose words and evidence are secret.
    let csr_need = app
        .store
        .create_csr_need(
            &admin.actor(),
            admin.tenant.as_ref().expect("tenant"),
            sinergi_store::csr::CsrNeedInput {
                category: sinergi_domain::csr::CsrCategory::Sosial,
                title: "Bantuan sosial".into(),
                description: "Usulan".into(),
                location: sinergi_domain::RegionCode::parse("36.73.02.1007").expect("desa"),
                point: None,
                estimated_cost: None,
                agency_id: Some(secret.id),
                priority_programme: None,
            },
        )
        .await
        .expect("csr need");
    app.store
        .move_csr_need(&admin.actor(), csr_need.id, sinergi_domain::csr::CsrNeedStatus::Published)
        .await
        .expect("publish");
    let pledge = app
        .store
        .pledge_csr(
            &admin.actor(),
            csr_need.id,
            sinergi_store::csr::PledgeInput {
                partner_id: partner.id,
                value: Some(7_731),
                form: sinergi_domain::csr::PledgeForm::Cash,
                period_start: time::macros::date!(2026 - 01 - 01),
                period_end: time::macros::date!(2026 - 12 - 31),
                agreement_id: None,
                note: Some(MARKERS[3].into()),
            },
        )
        .await
        .expect("pledge");
    let evidence = format!("%PDF-1.4\n% {}\n%%EOF\n", MARKERS[4]).into_bytes();
    let report = app
        .store
        .save_csr_report(
            &admin.actor(),
            pledge.id,
            sinergi_store::csr::ReportInput {
                window: sinergi_domain::csr::Window { year: 2026, index: 1 },
                value: None,
                description: MARKERS[3].into(),
                location: None,
            },
            vec![(
                sinergi_domain::csr::EvidenceKind::Bast,
                sinergi_store::csr::Upload {
                    file: sinergi_domain::files::check_file("file", "bast.pdf", evidence, 1024).expect("pdf"),
                    thumbnail: None,
                },
            )],
        )
        .await
        .expect("report");
    let book = app.store.csr_book(&admin.actor(), admin.tenant.as_ref().expect("tenant")).await.expect("book");
    let file = book.report(report).expect("report").2.evidence[0].file_id;
    let umkm = umkm_victims(&app, &admin).await;
    let programme = programme_victims(&app, &admin, &umkm.0).await;
    let markets = markets_victims(&app, &admin, &umkm.0).await;
    // Catalogue (issue 6, part 5)
    let (product_id, gallery_id) = catalogue_victims(&app, &admin, &umkm.0).await;
    // Issue 7: the Labkesda
    let lab_order_id = lab_victims(&app, &admin, partner.id).await;
    // Issue 7: demand matching
    let demand_id = demand_victim(&app, &admin).await;
    let victim = Victim {
        lab_order_id,
        programme_id: programme.0,
        wave_id: programme.1,
        session_id: programme.2,
        application_id: programme.3,
        channel_id: markets.0,
        entry_id: markets.1,
        referral_id: markets.2,
        product_id,
        gallery_id,
        demand_id,
        business_id: umkm.0,
        review_id: umkm.1,
        merge_id: umkm.2,
        import_id: umkm.3,
        claim_id: umkm.4,
        csr_need_id: csr_need.id.to_string(),
        pledge_id: pledge.id.to_string(),
        report_id: report.to_string(),
        file_id: file.to_string(),
        agency_id: secret.id.to_string(),
        agreement_id: agreement.id.to_string(),
        document_id: document.id.to_string(),
        partner_id: partner.id.to_string(),
        need_id: need.id.to_string(),
        user_id: viewer.id.to_string(),
        token_id: token.id.to_string(),
        meeting_id: meeting.id.to_string(),
        item_id: item.id.to_string(),
    };
    let before = victim_state(&app).await;

    let specs = route_specs();
    assert!(specs.len() > 40, "the walk sees the whole table ({} routes)", specs.len());
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for spec in &specs {
        let path = fill(spec.path, &victim);
        let api = spec.path.starts_with("/api/");

        // 1. Every role of the other Pemda.
        for role in Role::TENANT_ROLES {
            let s = app.session(role, ATTACKER).await;
            let (status, body) = send(&app, &spec.method, &path, Some(&s), &victim).await;
            checked += 1;
            if let Some(m) = MARKERS.iter().find(|m| body.contains(*m)) {
                failures.push(format!("{} {path} as {ATTACKER} {role}: answer contains {m:?}", spec.method));
            }
            let allowed = spec.access.allows(Some(&s.user.actor()));
            // A public page names a Pemda by design (its CSR transparency page and its data in
            // the API): anyone may read it, and the marker check above is what proves it shows
            // nothing unpublished.
            let public_by_design = spec.path.starts_with("/publik/") || spec.path.starts_with("/api/v1/public/");
            let names_victim = spec.path.contains('{') && !spec.path.starts_with("/static/") && !public_by_design;
            if !allowed && spec.access != Access::Public && status != StatusCode::FORBIDDEN {
                failures.push(format!("{} {path} as {ATTACKER} {role}: {status}, want 403", spec.method));
            }
            if allowed && names_victim && status != StatusCode::NOT_FOUND {
                failures.push(format!(
                    "{} {path} as {ATTACKER} {role}: {status}, want 404 for another Pemda's record",
                    spec.method
                ));
            }
        }

        // 2. Kota Serang's own roles that the access rule turns away.
        for role in Role::TENANT_ROLES {
            let s = app.session(role, VICTIM).await;
            if spec.access.allows(Some(&s.user.actor())) {
                continue;
            }
            let (status, _) = send(&app, &spec.method, &path, Some(&s), &victim).await;
            checked += 1;
            if status != StatusCode::FORBIDDEN {
                failures.push(format!("{} {path} as {VICTIM} {role}: {status}, want 403", spec.method));
            }
        }

        // 3. Nobody logged in.
        if spec.access != Access::Public {
            let (status, body) = send(&app, &spec.method, &path, None, &victim).await;
            checked += 1;
            let want = if api { StatusCode::UNAUTHORIZED } else { StatusCode::SEE_OTHER };
            if status != want || MARKERS.iter().any(|m| body.contains(m)) {
                failures.push(format!("{} {path} anonymous: {status}, want {want}", spec.method));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} requests got through:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(victim_state(&app).await, before, "Kota Serang's records or audit trail changed");
    // Bearer tokens get the same treatment as cookies: the victim's own token is refused to a
    // cookie, and an attacker's token cannot read the victim's agency.
    let attacker = app.user(Role::RegionAdmin, ATTACKER).await;
    let bearer =
        app.store.create_session(&attacker, SessionKind::Api, None, &SessionPolicy::default()).await.expect("token");
    let r = app
        .http
        .get(app.url(&format!("/api/v1/agencies/{}", victim.agency_id)))
        .bearer_auth(&bearer.token)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .http
        .get(app.url("/api/v1/agencies"))
        .header("cookie", format!("sinergi_session={}", token.token))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "an API token is not a browser session");
}

// Catalogue (issue 6, part 5) ---------------------------------------------------------------

/// Kota Serang's catalogue: a draft product under a secret name on its business (the public
/// pages must not show it either) and a gallery (public by design). Returns (product, gallery).
async fn catalogue_victims(app: &TestApp, admin: &sinergi_store::users::User, business: &str) -> (String, String) {
    use sinergi_domain::market::catalogue::{Category, LabelInfo, ProductInput};
    let tenant = admin.tenant.clone().expect("tenant");
    let actor = admin.actor();
    let input = ProductInput {
        name: MARKERS[0].into(),
        category: Category::Kerajinan,
        description: Some(MARKERS[0].into()),
        price: Some(10_000),
        unit: "buah".into(),
        capacity_per_month: Some(100),
        packaging: None,
        label: LabelInfo::default(),
        claims_halal: false,
        show_contact: true,
    };
    let product = app
        .store
        .create_catalogue_product(&actor, &tenant, business.parse().expect("business id"), input)
        .await
        .expect("victim product");
    let gallery = app
        .store
        .create_catalogue_gallery(
            &actor,
            &tenant,
            sinergi_store::catalogue::GalleryInput {
                // A gallery is public by design (its page lists every gallery): no secret name.
                name: "Galeri UMKM Kota Serang".into(),
                address: "Jl. Maulana Hasanudin".into(),
                region: None,
                point: None,
                opening_hours: None,
                contact: None,
            },
        )
        .await
        .expect("victim gallery");
    (product.to_string(), gallery.to_string())
}

// Issue 7: the Labkesda --------------------------------------------------------------------

/// Kota Serang's laboratory: a parameter, a package, and an order for the victim partner whose
/// sampling location is a secret marker. Returns the order's id.
async fn lab_victims(app: &TestApp, admin: &sinergi_store::users::User, partner: sinergi_domain::PartnerId) -> String {
    use sinergi_domain::lab::{Limit, Medium};
    use sinergi_store::lab::{NewLabOrder, NewLabPackage, NewLabParameter};
    let tenant = admin.tenant.clone().expect("tenant");
    let actor = admin.actor();
    let bod = app
        .store
        .add_lab_parameter(
            &actor,
            &tenant,
            NewLabParameter {
                medium: Medium::Wastewater,
                name: "BOD".into(),
                unit: "mg/L".into(),
                method: "SNI 6989.72:2009".into(),
                limit: Limit::Max { max: 30.0 },
                legal_basis: "Permen LHK P.68/2016".into(),
                tariff: 150_000,
                tariff_basis: "Perda".into(),
                turnaround_days: 7,
            },
        )
        .await
        .expect("victim parameter");
    let package = app
        .store
        .add_lab_package(
            &actor,
            &tenant,
            NewLabPackage {
                medium: Medium::Wastewater,
                name: "Paket air limbah".into(),
                parameters: vec![bod],
                tariff: 150_000,
                tariff_basis: "Perda".into(),
                turnaround_days: 7,
            },
        )
        .await
        .expect("victim package");
    let order = app
        .store
        .create_lab_order(
            &actor,
            &tenant,
            NewLabOrder {
                partner,
                medium: Medium::Wastewater,
                packages: vec![package],
                parameters: vec![],
                location: MARKERS[0].into(),
                note: Some(MARKERS[1].into()),
            },
        )
        .await
        .expect("victim order");
    order.to_string()
}

// Issue 7: demand matching ------------------------------------------------------------------

/// Kota Serang's demand for eggs under a secret title, posted by its admin for its Bank BJB
/// partner (any partner may buy), and notified to its best supplier.
async fn demand_victim(app: &TestApp, admin: &sinergi_store::users::User) -> String {
    use sinergi_domain::market::demand::DemandForm;
    let tenant = admin.tenant.clone().expect("tenant");
    let actor = admin.actor();
    let partners = app.store.partners(&actor, &Default::default()).await.expect("partners");
    let buyer = partners.iter().find(|p| p.name.contains("Bank BJB")).expect("Kota Serang's Bank BJB").id;
    let deadline = time::OffsetDateTime::now_utc().date() + time::Duration::days(30);
    let draft = DemandForm {
        buyer_kind: "lainnya".into(),
        title: MARKERS[0].into(),
        category: "makanan".into(),
        description: MARKERS[0].into(),
        quantity: "10".into(),
        unit: "kg".into(),
        frequency: "sekali".into(),
        region: "36.73.01".into(),
        deadline: deadline.to_string(),
        ..Default::default()
    }
    .parse(time::OffsetDateTime::now_utc().date())
    .expect("victim demand");
    app.store.create_demand(&actor, &tenant, Some(buyer), draft).await.expect("victim demand").to_string()
}

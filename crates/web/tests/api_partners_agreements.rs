//! The JSON API for the partner registry and agreements, over the real server with bearer
//! tokens: what each role may do, what another Pemda cannot see, the duplicate warning, the
//! masked phone, the stage machine's reasons, and each side's own notes on a shared KSDD.

mod common;

use common::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sinergi_domain::Role;
use sinergi_store::sessions::SessionKind;

const KOTA: &str = "kota-serang";
const KAB: &str = "kabupaten-serang";

async fn token(app: &TestApp, role: Role, slug: &str) -> String {
    let user = app.user(role, slug).await;
    app.store.create_session(&user, SessionKind::Api, None, &Default::default()).await.expect("token").token
}

async fn call(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut rb = app.http.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.expect("request");
    let status = r.status();
    let text = r.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(app: &TestApp, path: &str, token: &str) -> (StatusCode, Value) {
    call(app, Method::GET, path, token, None).await
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
    call(app, Method::POST, path, token, Some(body)).await
}

/// A 422 naming `field` (and, when given, the domain's `reason`).
#[track_caller]
fn assert_invalid(got: &(StatusCode, Value), field: &str, reason: Option<&str>) {
    assert_eq!(got.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", got.1);
    assert_eq!(got.1["error"]["code"], "invalid", "{}", got.1);
    assert_eq!(got.1["error"]["field"], field, "{}", got.1);
    if let Some(r) = reason {
        assert_eq!(got.1["error"]["reason"], r, "{}", got.1);
    }
    assert!(got.1["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", got.1);
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partners_contacts_and_offers_over_the_api() {
    let app = TestApp::start().await;
    let admin = token(&app, Role::RegionAdmin, KOTA).await;
    let officer = token(&app, Role::AgencyOfficer, KOTA).await;
    let viewer = token(&app, Role::Viewer, KOTA).await;
    let stranger = token(&app, Role::RegionAdmin, KAB).await;

    let body = json!({
        "kind": "company", "name": "PT Sinar Api Mandiri", "nib": "9120001234567", "npwp": "01.234.567.8-901.000",
        "region_code": "36.73", "sector": "Pengolahan pangan"
    });
    let (status, created) = post(&app, "/api/v1/partners", &officer, body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let partner = id_of(&created);
    assert_eq!(created["tenant"], "36.73");
    assert_eq!(created["npwp"], "01.234.567.8-901.000");
    assert_eq!(created["website"], Value::Null);

    // The same business again: 409 with the look-alike, saved only once confirmed.
    let again = json!({"kind": "company", "name": "Sinar Api Mandiri", "nib": "9120001234567"});
    let (status, dup) = post(&app, "/api/v1/partners", &officer, again.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{dup}");
    assert_eq!(dup["error"]["code"], "duplicate");
    assert_eq!(dup["error"]["reason"], "same-nib");
    assert_eq!(dup["similar"][0]["id"], partner.as_str());
    assert_eq!(dup["similar"][0]["reason"], "same-nib");
    assert_eq!(dup["similar"][0]["reason_label"], "NIB sama");
    let mut confirmed = again;
    confirmed["confirm_new"] = json!(true);
    let (status, second) = post(&app, "/api/v1/partners", &officer, confirmed).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");

    // Validation names the field.
    assert_invalid(
        &post(&app, "/api/v1/partners", &officer, json!({"kind": "dinas", "name": "X"})).await,
        "kind",
        None,
    );
    assert_invalid(
        &post(&app, "/api/v1/partners", &officer, json!({"kind": "company", "name": "PT Y", "nib": "123"})).await,
        "nib",
        Some("invalid-nib"),
    );
    assert_invalid(
        &post(&app, "/api/v1/partners", &officer, json!({"kind": "region", "name": "Pemkab Z"})).await,
        "region_code",
        Some("region-required"),
    );
    assert_invalid(&get(&app, "/api/v1/partners?kind=naga", &viewer).await, "kind", Some("invalid-choice"));

    // Listing with filters.
    let (status, list) = get(&app, "/api/v1/partners?kind=company&q=sinar%20api", &viewer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
    let (_, banks) = get(&app, "/api/v1/partners?kind=bank", &viewer).await;
    assert!(banks.as_array().is_some_and(|b| !b.is_empty() && b.iter().all(|p| p["kind"] == "bank")), "{banks}");

    // Update.
    let mut changed = body;
    changed["description"] = json!("Keripik dan kerupuk");
    changed["confirm_new"] = json!(true);
    let (status, updated) =
        call(&app, Method::PUT, &format!("/api/v1/partners/{partner}"), &admin, Some(changed)).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["description"], "Keripik dan kerupuk");

    // A contact: the phone whole for those who keep the registry, masked for a viewer.
    let contacts = format!("/api/v1/partners/{partner}/contacts");
    let (status, contact) = post(
        &app,
        &contacts,
        &officer,
        json!({"name": "Rina Wulandari", "position": "Manajer CSR", "email": "rina@sinarapi.co.id", "phone": "0812-3456-7890"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    assert_eq!(contact["phone"], "+6281234567890");
    assert_invalid(&post(&app, &contacts, &officer, json!({"name": "  "})).await, "name", Some("required"));
    assert_invalid(&post(&app, &contacts, &officer, json!({"name": "Budi", "phone": "12"})).await, "phone", None);
    let (status, seen) = get(&app, &format!("/api/v1/partners/{partner}"), &viewer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["name"], "PT Sinar Api Mandiri", "the detail carries the partner's fields at the top");
    assert_eq!(seen["contacts"][0]["phone"], "+62812****7890");
    assert!(!seen.to_string().contains("81234567890"), "a viewer never gets the whole number: {seen}");
    let (_, kept) = get(&app, &format!("/api/v1/partners/{partner}"), &officer).await;
    assert_eq!(kept["contacts"][0]["phone"], "+6281234567890");

    // Offers.
    let offers = format!("/api/v1/partners/{partner}/offers");
    let (status, offer) = post(
        &app,
        &offers,
        &officer,
        json!({"title": "Pelatihan pengemasan", "description": "Pelatihan bagi 50 UMKM pangan", "urusan": "2.17", "area_code": "36.73"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{offer}");
    assert_eq!(offer["partner_id"], partner.as_str());
    assert_invalid(
        &post(&app, &offers, &officer, json!({"title": "T", "description": "D", "urusan": "9.99"})).await,
        "urusan",
        Some("invalid-choice"),
    );
    assert_invalid(
        &post(
            &app,
            &offers,
            &officer,
            json!({"title": "T", "description": "D", "urusan": "2.17", "area_code": "99.99"}),
        )
        .await,
        "area_code",
        Some("unknown-region"),
    );
    let (_, of_partner) = get(&app, &offers, &viewer).await;
    assert_eq!(of_partner.as_array().map(Vec::len), Some(1));
    let (_, all) = get(&app, "/api/v1/offers", &viewer).await;
    assert!(all.as_array().is_some_and(|a| a.iter().any(|o| o["title"] == "Pelatihan pengemasan")));

    // A role without the permission: 403.
    for (method, path) in [(Method::POST, "/api/v1/partners".to_owned()), (Method::POST, contacts.clone())] {
        let (status, err) = call(&app, method, &path, &viewer, Some(json!({"kind": "company", "name": "PT Q"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(err["error"]["code"], "forbidden");
    }
    let outsider = token(&app, Role::Partner, KOTA).await;
    assert_eq!(get(&app, "/api/v1/partners", &outsider).await.0, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, "/api/v1/offers", &outsider).await.0, StatusCode::FORBIDDEN);

    // Another Pemda: not found, and not listed.
    assert_eq!(get(&app, &format!("/api/v1/partners/{partner}"), &stranger).await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &offers, &stranger).await.0, StatusCode::NOT_FOUND);
    let (status, err) = call(
        &app,
        Method::PUT,
        &format!("/api/v1/partners/{partner}"),
        &stranger,
        Some(json!({"kind": "company", "name": "Dibajak", "confirm_new": true})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"]["code"], "not_found");
    assert_eq!(post(&app, &contacts, &stranger, json!({"name": "Penyusup"})).await.0, StatusCode::NOT_FOUND);
    let (_, theirs) = get(&app, "/api/v1/offers", &stranger).await;
    assert!(!theirs.to_string().contains("Pelatihan pengemasan"));
    let (_, their_list) = get(&app, "/api/v1/partners?q=sinar", &stranger).await;
    assert!(!their_list.to_string().contains("Sinar Api"));
}

/// A company in Kota Serang's registry, from the demo data.
async fn kota_partner(app: &TestApp, token: &str, name_start: &str) -> String {
    let (_, list) = get(app, "/api/v1/partners", token).await;
    list.as_array()
        .and_then(|a| a.iter().find(|p| p["name"].as_str().is_some_and(|n| n.starts_with(name_start))))
        .map(id_of)
        .expect("demo partner")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agreements_move_through_their_stages_over_the_api() {
    let app = TestApp::start().await;
    let admin = token(&app, Role::RegionAdmin, KOTA).await;
    let viewer = token(&app, Role::Viewer, KOTA).await;
    let officer = token(&app, Role::AgencyOfficer, KOTA).await;
    let stranger = token(&app, Role::RegionAdmin, KAB).await;

    // The register and its filter.
    let (status, list) = get(&app, "/api/v1/agreements", &viewer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(4),
        "three demo agreements and the PKS drafted under the Serang KB: {list}"
    );
    let (_, running) = get(&app, "/api/v1/agreements?stage=pelaksanaan", &viewer).await;
    assert_eq!(running.as_array().map(Vec::len), Some(1));
    assert_eq!(running[0]["pks_signed_on"], "2025-04-15");
    assert_eq!((running[0]["value"].as_i64(), running[0]["funding"].as_str()), (Some(350_000_000), Some("partner")));
    let kur = list
        .as_array()
        .and_then(|l| l.iter().find(|a| a["title"].as_str().is_some_and(|t| t.contains("KUR"))))
        .expect("the Bank BJB KB");
    assert_eq!((&kur["value"], &kur["funding"]), (&Value::Null, &Value::Null), "not reported is null, never 0");
    assert_invalid(&get(&app, "/api/v1/agreements?stage=selamanya", &viewer).await, "stage", Some("invalid-choice"));

    // Create.
    let bank = kota_partner(&app, &admin, "PT Bank Pembangunan").await;
    let create = |extra: Value| {
        let mut b = json!({
            "title": "Pojok literasi keuangan di kecamatan", "scope": "Literasi keuangan bagi pelaku UMKM",
            "urusan": "2.17", "starts_on": "2026-01-01", "ends_on": "2027-12-31", "value": 250_000_000,
            "funding": "partner", "funding_form": "services", "location_codes": ["36.73"], "parties": [{"partner_id": bank, "signatory_name": "Andi", "signatory_position": "Kepala Cabang"}]
        });
        if let (Some(b), Some(e)) = (b.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        b
    };
    assert_invalid(
        &post(&app, "/api/v1/agreements", &admin, create(json!({"funding": "CSR bank"}))).await,
        "funding",
        Some("invalid-choice"),
    );
    assert_invalid(
        &post(&app, "/api/v1/agreements", &admin, create(json!({"location_codes": ["99.99"]}))).await,
        "location_codes",
        Some("unknown-region-code"),
    );
    let (status, created) = post(&app, "/api/v1/agreements", &admin, create(json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!((created["funding"].as_str(), created["funding_form"].as_str()), (Some("partner"), Some("services")));
    let id = id_of(&created);
    assert_eq!(created["stage"], "persiapan");
    assert_eq!(created["kind"], "ksdpk", "a company makes a KSDPK");
    assert_eq!(created["document"], "kb");
    assert_eq!(created["value"], 250_000_000);
    assert_eq!(created["starts_on"], "2026-01-01");
    assert_eq!(created["shared"], false);
    let (_, unvalued) =
        post(&app, "/api/v1/agreements", &admin, create(json!({"value": null, "title": "Tanpa nilai"}))).await;
    assert_eq!(unvalued["value"], Value::Null);

    // Validation names the field.
    assert_invalid(
        &post(&app, "/api/v1/agreements", &admin, create(json!({"title": ""}))).await,
        "title",
        Some("required"),
    );
    assert_invalid(
        &post(&app, "/api/v1/agreements", &admin, create(json!({"starts_on": "01-01-2026"}))).await,
        "starts_on",
        Some("invalid-date"),
    );
    assert_invalid(
        &post(&app, "/api/v1/agreements", &admin, create(json!({"ends_on": "2025-12-31"}))).await,
        "ends_on",
        Some("ends-before-start"),
    );
    assert_invalid(
        &post(&app, "/api/v1/agreements", &admin, create(json!({"value": -1}))).await,
        "value",
        Some("invalid-amount"),
    );
    assert_invalid(
        &post(&app, "/api/v1/agreements", &admin, create(json!({"parties": []}))).await,
        "parties",
        Some("required"),
    );
    assert_invalid(
        &post(&app, "/api/v1/agreements", &admin, create(json!({"kind": "mou"}))).await,
        "kind",
        Some("invalid-choice"),
    );
    assert_invalid(&post(&app, "/api/v1/agreements", &admin, create(json!({"urusan": "0.00"}))).await, "urusan", None);
    // A partner of another Pemda's registry is not a choice.
    let (_, kab_partners) = get(&app, "/api/v1/partners", &stranger).await;
    let foreign = id_of(&kab_partners[0]);
    assert_invalid(
        &post(&app, "/api/v1/agreements", &admin, create(json!({"parties": [{"partner_id": foreign}]}))).await,
        "parties",
        Some("invalid-choice"),
    );
    assert_eq!(post(&app, "/api/v1/agreements", &officer, create(json!({}))).await.0, StatusCode::FORBIDDEN);

    // Stage moves: the domain's reason for every refusal.
    let stage = format!("/api/v1/agreements/{id}/stage");
    assert_invalid(&post(&app, &stage, &admin, json!({"stage": "penyusunan-kb"})).await, "stage", Some("not-next"));
    assert_invalid(
        &post(&app, &stage, &admin, json!({"stage": "penawaran"})).await,
        "stage",
        Some("feasibility-study-missing"),
    );
    assert_invalid(&post(&app, &stage, &admin, json!({"stage": "tamat"})).await, "stage", Some("invalid-choice"));
    assert_invalid(
        &post(&app, &stage, &admin, json!({"stage": "diakhiri"})).await,
        "termination_reason",
        Some("reason-required"),
    );
    let (status, moved) =
        post(&app, &stage, &admin, json!({"stage": "penawaran", "feasibility_done": true, "note": "Studi selesai"}))
            .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["stage"], "penawaran");
    assert_eq!(moved["feasibility_done"], true);
    for to in ["penyusunan-kb", "penandatanganan-kb"] {
        let (status, moved) = post(&app, &stage, &admin, json!({"stage": to})).await;
        assert_eq!((status, moved["stage"].as_str()), (StatusCode::OK, Some(to)), "{moved}");
    }
    assert_invalid(
        &post(&app, &stage, &admin, json!({"stage": "penyusunan-pks"})).await,
        "stage",
        Some("kb-not-signed"),
    );
    assert_invalid(
        &post(&app, &stage, &admin, json!({"stage": "penyusunan-pks", "kb_signed_on": "2026-02-30"})).await,
        "kb_signed_on",
        Some("invalid-date"),
    );
    let (status, moved) =
        post(&app, &stage, &admin, json!({"stage": "penyusunan-pks", "kb_signed_on": "2026-02-14"})).await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["kb_signed_on"], "2026-02-14");
    assert_eq!(post(&app, &stage, &viewer, json!({"stage": "penandatanganan-pks"})).await.0, StatusCode::FORBIDDEN);

    // Activities.
    let activities = format!("/api/v1/agreements/{id}/activities");
    let (status, activity) = post(
        &app,
        &activities,
        &admin,
        json!({"title": "Sosialisasi KUR di Kecamatan Taktakan", "planned_on": "2026-03-10", "done_on": "2026-03-12"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{activity}");
    assert_eq!(activity["budget"], Value::Null, "no budget reported is null");
    let (_, with_budget) =
        post(&app, &activities, &admin, json!({"title": "Pojok literasi", "budget": 15_000_000})).await;
    assert_eq!(with_budget["budget"], 15_000_000);
    assert_invalid(
        &post(&app, &activities, &admin, json!({"title": "X", "budget": -5})).await,
        "budget",
        Some("invalid-amount"),
    );
    assert_invalid(
        &post(&app, &activities, &admin, json!({"title": "X", "done_on": "kemarin"})).await,
        "done_on",
        None,
    );
    assert_invalid(&post(&app, &activities, &admin, json!({"title": " "})).await, "title", Some("required"));
    assert_eq!(post(&app, &activities, &viewer, json!({"title": "X"})).await.0, StatusCode::FORBIDDEN);
    let (_, listed) = get(&app, &activities, &viewer).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    assert_eq!(listed[0]["done_on"], "2026-03-12");

    // Outcomes: a standard kind names itself and brings its unit.
    let outcomes = format!("/api/v1/agreements/{id}/outcomes");
    let (status, outcome) = post(
        &app,
        &outcomes,
        &admin,
        json!({"kind": "partner-funded", "value": 120_000_000, "period": "2026", "evidence": "BAST No. 3/2026"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{outcome}");
    assert_eq!((outcome["unit"].as_str(), outcome["label"].as_str()), (Some("Rp"), Some("Nilai yang didanai mitra")));
    assert_eq!(outcome["value"], 120_000_000);
    assert_invalid(
        &post(&app, &outcomes, &admin, json!({"kind": "other", "value": 3, "period": "2026"})).await,
        "label",
        None,
    );
    assert_invalid(
        &post(&app, &outcomes, &admin, json!({"kind": "other", "label": "Pojok", "value": 3, "period": "2026"})).await,
        "unit",
        None,
    );
    assert_invalid(
        &post(&app, &outcomes, &admin, json!({"kind": "untung", "value": 3, "period": "2026"})).await,
        "kind",
        None,
    );
    assert_invalid(
        &post(&app, &outcomes, &admin, json!({"kind": "beneficiaries", "value": -3, "period": "2026"})).await,
        "value",
        Some("invalid-amount"),
    );
    assert_eq!(
        post(&app, &outcomes, &viewer, json!({"kind": "beneficiaries", "value": 3, "period": "2026"})).await.0,
        StatusCode::FORBIDDEN
    );
    let (_, listed) = get(&app, &outcomes, &viewer).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));

    // The detail: parties, transitions, activities, outcomes, what may come next.
    let (status, detail) = get(&app, &format!("/api/v1/agreements/{id}"), &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["title"], "Pojok literasi keuangan di kecamatan");
    assert_eq!(detail["parties"][0]["name"], "Kota Serang");
    assert_eq!(detail["parties"][1]["partner_id"], bank.as_str());
    assert_eq!(detail["parties"][1]["signatory_position"], "Kepala Cabang");
    let steps: Vec<&str> =
        detail["transitions"].as_array().expect("transitions").iter().filter_map(|t| t["to"].as_str()).collect();
    assert_eq!(steps, ["persiapan", "penawaran", "penyusunan-kb", "penandatanganan-kb", "penyusunan-pks"]);
    assert_eq!(detail["transitions"][1]["note"], "Studi selesai");
    assert_eq!(detail["next_stages"], json!(["penandatanganan-pks", "diakhiri"]));
    assert_eq!(
        (detail["activities"].as_array().map(Vec::len), detail["outcomes"].as_array().map(Vec::len)),
        (Some(2), Some(1))
    );
    let (_, as_viewer) = get(&app, &format!("/api/v1/agreements/{id}"), &viewer).await;
    assert_eq!(as_viewer["next_stages"], json!([]), "only the Bagian Kerja Sama moves it");

    // Another Pemda: every path answers not found.
    for path in [format!("/api/v1/agreements/{id}"), activities.clone(), outcomes.clone()] {
        assert_eq!(get(&app, &path, &stranger).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(post(&app, &stage, &stranger, json!({"stage": "penandatanganan-pks"})).await.0, StatusCode::NOT_FOUND);
    assert_eq!(post(&app, &activities, &stranger, json!({"title": "X"})).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        post(&app, &format!("/api/v1/agreements/{id}/notes"), &stranger, json!({"body": "Hai"})).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, theirs) = get(&app, "/api/v1/agreements", &stranger).await;
    assert!(!theirs.to_string().contains(&id));

    // The platform sees every Pemda's register.
    let root = token(&app, Role::PlatformAdmin, "").await;
    let (_, everything) = get(&app, "/api/v1/agreements", &root).await;
    assert!(everything.as_array().is_some_and(|a| a.iter().any(|x| x["id"] == id.as_str())));

    // Outsiders read no register at all.
    let outsider = token(&app, Role::Partner, KOTA).await;
    assert_eq!(get(&app, "/api/v1/agreements", &outsider).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_need_becomes_a_draft_agreement_over_the_api() {
    let app = TestApp::start().await;
    let admin = token(&app, Role::RegionAdmin, KOTA).await;
    let viewer = token(&app, Role::Viewer, KOTA).await;
    let stranger = token(&app, Role::RegionAdmin, KAB).await;
    let officer = app.user(Role::AgencyOfficer, KOTA).await;
    let officer_token = token(&app, Role::AgencyOfficer, KOTA).await;
    let (status, need) = post(
        &app,
        "/api/v1/needs",
        &officer_token,
        json!({
            "agency_id": officer.agency_id.expect("agency").to_string(), "year": 2027, "title": "Pendampingan ekspor UMKM",
            "problem": "UMKM belum siap ekspor", "urusan": "2.17", "partner_kind": "bank", "expected_benefit": "UMKM ekspor"
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{need}");
    let need = id_of(&need);
    let bank = kota_partner(&app, &admin, "Bank Indonesia").await;
    let draft = format!("/api/v1/needs/{need}/draft-agreement");

    assert_invalid(
        &post(&app, &draft, &admin, json!({"partner_id": "bukan-id"})).await,
        "partner_id",
        Some("invalid-choice"),
    );
    let (_, kab_partners) = get(&app, "/api/v1/partners", &stranger).await;
    assert_invalid(
        &post(&app, &draft, &admin, json!({"partner_id": id_of(&kab_partners[0])})).await,
        "partner_id",
        Some("invalid-choice"),
    );
    assert_eq!(post(&app, &draft, &viewer, json!({"partner_id": bank})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(post(&app, &draft, &stranger, json!({"partner_id": bank})).await.0, StatusCode::NOT_FOUND);

    let (status, agreement) = post(&app, &draft, &admin, json!({"partner_id": bank})).await;
    assert_eq!(status, StatusCode::CREATED, "{agreement}");
    assert_eq!(
        (agreement["stage"].as_str(), agreement["title"].as_str()),
        (Some("persiapan"), Some("Pendampingan ekspor UMKM"))
    );
    let (_, detail) = get(&app, &format!("/api/v1/agreements/{}", id_of(&agreement)), &viewer).await;
    assert_eq!(detail["needs"], json!([{"id": need, "title": "Pendampingan ekspor UMKM"}]));
    assert_eq!(detail["parties"][1]["partner_id"], bank.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_pemda_of_a_shared_ksdd_reads_only_its_own_notes() {
    let app = TestApp::start().await;
    let kota = token(&app, Role::RegionAdmin, KOTA).await;
    let kab = token(&app, Role::RegionAdmin, KAB).await;
    let kab_viewer = token(&app, Role::Viewer, KAB).await;

    let (_, list) = get(&app, "/api/v1/agreements", &kota).await;
    let ksdd = list
        .as_array()
        .and_then(|a| a.iter().find(|x| x["kind"] == "ksdd-sukarela"))
        .map(id_of)
        .expect("the demo KSDD between Kota and Kabupaten Serang");
    let notes = format!("/api/v1/agreements/{ksdd}/notes");
    let (status, note) =
        post(&app, &notes, &kota, json!({"body": "Catatan internal Kota: tarif belum disepakati"})).await;
    assert_eq!(status, StatusCode::CREATED, "{note}");
    assert_eq!(note["body"], "Catatan internal Kota: tarif belum disepakati");
    assert!(note["actor_label"].as_str().is_some_and(|l| l.contains("region-admin@kota-serang")), "{note}");
    assert_invalid(&post(&app, &notes, &kota, json!({"body": "  "})).await, "body", Some("required"));

    // Kabupaten Serang is a party: it lists and reads the agreement, without Kota's notes or
    // the links into Kota's registry, and cannot move it.
    let (_, theirs) = get(&app, "/api/v1/agreements", &kab).await;
    let row =
        theirs.as_array().and_then(|a| a.iter().find(|x| x["id"] == ksdd.as_str())).expect("listed for the party");
    assert_eq!((row["shared"].as_bool(), row["tenant"].as_str()), (Some(true), Some("36.73")));
    for who in [&kab, &kab_viewer] {
        let (status, seen) = get(&app, &format!("/api/v1/agreements/{ksdd}"), who).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(seen["shared"], true);
        assert_eq!(seen["notes"], json!([]), "{seen}");
        assert!(!seen.to_string().contains("Catatan internal Kota"));
        assert!(seen["parties"].as_array().is_some_and(|p| p.iter().all(|p| p["partner_id"].is_null())), "{seen}");
        assert_eq!(seen["next_stages"], json!([]));
    }
    let (status, err) =
        post(&app, &format!("/api/v1/agreements/{ksdd}/stage"), &kab, json!({"stage": "penandatanganan-pks"})).await;
    assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    assert_eq!(
        post(&app, &format!("/api/v1/agreements/{ksdd}/activities"), &kab, json!({"title": "Dari Kabupaten"})).await.0,
        StatusCode::FORBIDDEN
    );

    // Its own note stays on its side.
    let (status, _) = post(&app, &notes, &kab_viewer, json!({"body": "Catatan Kabupaten: perlu kajian Bapenda"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, seen) = get(&app, &format!("/api/v1/agreements/{ksdd}"), &kab).await;
    let bodies: Vec<&str> =
        seen["notes"].as_array().expect("notes").iter().filter_map(|n| n["body"].as_str()).collect();
    assert_eq!(bodies, ["Catatan Kabupaten: perlu kajian Bapenda"]);
    let (_, own) = get(&app, &format!("/api/v1/agreements/{ksdd}"), &kota).await;
    let bodies: Vec<&str> = own["notes"].as_array().expect("notes").iter().filter_map(|n| n["body"].as_str()).collect();
    assert_eq!(bodies, ["Catatan internal Kota: tarif belum disepakati"]);

    // The platform belongs to no Pemda and so keeps no notes.
    let root = token(&app, Role::PlatformAdmin, "").await;
    assert_eq!(post(&app, &notes, &root, json!({"body": "Dari platform"})).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_route_is_in_the_openapi_document_and_back() {
    let app = TestApp::start().await;
    let doc: Value =
        app.http.get(app.url("/api/v1/openapi.json")).send().await.expect("doc").json().await.expect("json");
    let specs = sinergi_web::route_specs();
    let api: Vec<_> =
        specs.iter().filter(|s| s.path.starts_with("/api/v1/") && s.path != "/api/v1/openapi.json").collect();
    let mut missing = Vec::new();
    for spec in &api {
        let method = spec.method.as_str().to_lowercase();
        if doc["paths"][spec.path].get(&method).is_none() {
            missing.push(format!("{method} {}", spec.path));
        }
    }
    assert!(missing.is_empty(), "routes missing from the OpenAPI document:\n{}", missing.join("\n"));
    // And no documented operation is missing from the router.
    let mut stray = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            if !api.iter().any(|s| s.path == path && s.method.as_str().eq_ignore_ascii_case(method)) {
                stray.push(format!("{method} {path}"));
            }
        }
    }
    assert!(stray.is_empty(), "documented but not routed:\n{}", stray.join("\n"));
    for schema in ["PartnerDetailDto", "DuplicateBody", "AgreementDetailDto", "StageMoveBody", "OutcomeBody"] {
        assert!(doc["components"]["schemas"].get(schema).is_some(), "{schema} in the components");
    }
    assert!(
        doc["paths"]["/api/v1/agreements/{agreement_id}/stage"]["post"]["security"].is_array(),
        "the new operations ask for the bearer token"
    );
    let docs = app.http.get(app.url("/api/docs")).send().await.expect("docs").text().await.expect("html");
    assert!(docs.contains("POST /api/v1/agreements/{agreement_id}/stage") && docs.contains("GET /api/v1/partners"));
}

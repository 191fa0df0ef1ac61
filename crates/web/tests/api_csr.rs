//! CSR over the JSON API with bearer tokens: an officer proposes, the admin publishes, Bank
//! BJB's user pledges without saying the value (null, never 0), the public data counts it
//! apart, and another Pemda sees nothing.

mod common;

use common::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sinergi_domain::Role;
use sinergi_store::sessions::SessionKind;

async fn token(app: &TestApp, role: Role, slug: &str) -> String {
    let user = app.user(role, slug).await;
    app.store.create_session(&user, SessionKind::Api, None, &Default::default()).await.expect("token").token
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut rb = app.http.request(method, app.url(path));
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.expect("request");
    let status = r.status();
    let text = r.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_csr_workflow_over_the_api_keeps_unreported_values_unknown() {
    let app = TestApp::start().await;
    let officer = token(&app, Role::AgencyOfficer, "kota-serang").await;
    let admin = token(&app, Role::RegionAdmin, "kota-serang").await;
    let company = token(&app, Role::Partner, "kota-serang").await;
    let other = token(&app, Role::RegionAdmin, "kabupaten-serang").await;
    let officer_user = app.user(Role::AgencyOfficer, "kota-serang").await;

    // The officer proposes for the agency; a bad place is refused by name.
    let mut body = json!({
        "category": "kesehatan", "title": "Ambulans desa Walantaka", "description": "Satu ambulans siaga.",
        "location_code": "36.04.15.2001", "agency_id": officer_user.agency_id.expect("agency").to_string(),
    });
    let (status, err) = call(&app, Method::POST, "/api/v1/csr/needs", Some(&officer), Some(body.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["field"], "location_code");
    body["location_code"] = json!("36.73.03.1001");
    let (status, need) = call(&app, Method::POST, "/api/v1/csr/needs", Some(&officer), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{need}");
    assert_eq!(need["status"], "draft");
    assert_eq!(need["estimated_cost"], Value::Null);
    let id = need["id"].as_str().expect("id").to_owned();

    // Only the admin publishes.
    let publish = json!({ "to": "published" });
    let (status, err) =
        call(&app, Method::POST, &format!("/api/v1/csr/needs/{id}/status"), Some(&officer), Some(publish.clone()))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["reason"], "csr-admin-only");
    let (status, moved) =
        call(&app, Method::POST, &format!("/api/v1/csr/needs/{id}/status"), Some(&admin), Some(publish)).await;
    assert_eq!((status, moved["status"].as_str()), (StatusCode::OK, Some("published")));

    // Bank BJB pledges for itself without a value.
    let (_, list) = call(&app, Method::GET, "/api/v1/csr/needs", Some(&company), None).await;
    let bjb_pledge = list
        .as_array()
        .expect("list")
        .iter()
        .flat_map(|n| n["pledges"].as_array().cloned().unwrap_or_default())
        .next()
        .expect("the demo pledge of Bank BJB");
    let bjb = bjb_pledge["partner_id"].as_str().expect("partner").to_owned();
    let pledge =
        json!({ "partner_id": bjb, "form": "goods", "period_start": "2026-07-01", "period_end": "2027-06-30" });
    let (status, pledged) =
        call(&app, Method::POST, &format!("/api/v1/csr/needs/{id}/pledges"), Some(&company), Some(pledge)).await;
    assert_eq!(status, StatusCode::CREATED, "{pledged}");
    assert_eq!(pledged["status"], "pledged");
    assert_eq!(pledged["pledges"][0]["value"], Value::Null, "not reported is null, never 0");
    assert_eq!(pledged["pledged"], json!({ "known": 0, "known_count": 0, "unknown_count": 1 }));

    // Another Pemda does not find it, not even to move it.
    let (status, _) = call(&app, Method::GET, &format!("/api/v1/csr/needs/{id}"), Some(&other), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("/api/v1/csr/needs/{id}/status"),
        Some(&other),
        Some(json!({"to": "closed"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The company's revision request from the demo: the company cannot approve it itself.
    let revision = list
        .as_array()
        .expect("list")
        .iter()
        .flat_map(|n| n["pledges"].as_array().cloned().unwrap_or_default())
        .flat_map(|p| p["reports"].as_array().cloned().unwrap_or_default())
        .find(|r| r["status"] == "revision-requested")
        .expect("the demo report sent back");
    assert_eq!(revision["value"], Value::Null);
    assert!(revision["events"].as_array().expect("events").iter().any(|e| e["comment"].is_string()));
    let rid = revision["id"].as_str().expect("id");
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("/api/v1/csr/reports/{rid}/status"),
        Some(&company),
        Some(json!({ "to": "approved" })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "approving is the verifier's step");

    // The public data, without a token: published realisations only, no review trail, the
    // licence stated, and the pledged-but-unreported need not counted as money.
    let (status, public) = call(&app, Method::GET, "/api/v1/public/kota-serang/csr", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let rows = public["realisations"].as_array().expect("rows");
    assert!(!rows.is_empty() && rows.iter().all(|r| r["value"].is_i64()));
    assert!(rows.iter().all(|r| r["description"] != "Pendampingan pengajuan KUR bagi peserta pelatihan."));
    let known: i64 = rows.iter().map(|r| r["value"].as_i64().expect("value")).sum();
    assert_eq!(public["total"]["known"], known);
    assert!(public["licence"].as_str().expect("licence").contains("CC BY 4.0"));
    assert!(!public.to_string().contains("Ambulans desa Walantaka"), "a pledged need is not an open need");
    let (status, _) = call(&app, Method::GET, "/api/v1/public/tidak-ada/csr", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Every operation is in the OpenAPI document.
    let (_, doc) = call(&app, Method::GET, "/api/v1/openapi.json", None, None).await;
    for path in [
        "/api/v1/csr/needs",
        "/api/v1/csr/needs/{csr_need_id}",
        "/api/v1/csr/needs/{csr_need_id}/status",
        "/api/v1/csr/needs/{csr_need_id}/pledges",
        "/api/v1/csr/reports/{report_id}/status",
        "/api/v1/public/{tenant_slug}/csr",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing from the OpenAPI document");
    }
}

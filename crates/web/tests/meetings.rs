//! Meetings over HTTP: the pages, the forms, the API, the dashboard and the daily reminders,
//! against the real router and the demo data.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use sinergi_domain::Role;
use sinergi_store::meetings::MeetingFilter;
use sinergi_web::jobs::run_daily;

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mapping_meeting_shows_its_decisions_and_flags_the_late_follow_up() {
    let app = TestApp::start().await;
    let s = app.session(Role::Viewer, "kota-tangerang-selatan").await;
    let list = app.get(Some(&s), "/meetings").send().await.expect("list").text().await.expect("html");
    assert!(list.contains("Rapat Pemetaan Kerja Sama Daerah") && list.contains("17 Desember 2025"), "{list}");
    assert!(list.contains("Rapat pemetaan kerja sama") && list.contains("Pranaya Hotel, Serpong"));
    let flag = list.split("data-testid=\"overdue-flag\"").nth(1).expect("the late follow-up is flagged");
    assert!(flag.starts_with(">1 terlambat<"), "{flag}");
    assert!(!list.contains("Kabupaten Serang"), "only this Pemda's meetings");
    assert!(!list.contains("data-testid=\"new-meeting\""), "a viewer reads, does not record");

    let meeting = app
        .store
        .meetings(&s.user.actor(), &MeetingFilter::default())
        .await
        .expect("meetings")
        .into_iter()
        .next()
        .expect("the demo meeting");
    let html = app
        .get(Some(&s), &format!("/meetings/{}", meeting.meeting.id))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let decisions = html.split("data-testid=\"decisions\"").nth(1).expect("decisions");
    assert!(decisions.contains("<li>Setiap perangkat daerah menetapkan maksimal tiga kebutuhan kerja sama prioritas"));
    assert!(decisions.contains("APJATEL"));
    let attendees = html.split("data-testid=\"attendees\"").nth(1).expect("attendees");
    assert!(attendees.contains("Bambang Noertjahjo") && attendees.contains("Dinas Komunikasi dan Informatika"));
    let items = html.split("data-testid=\"action-items\"").nth(1).expect("items");
    let late = items.split("<tr class=\"overdue\"").nth(1).expect("a late row");
    assert!(late.contains("Inventarisasi MoU") && late.contains("27 Februari 2026") && late.contains("Terlambat"));
    assert_eq!(items.matches("<tr class=\"overdue\"").count(), 1, "only the one late item");
    assert!(html.contains("Penataan kabel fiber optik bersama APJATEL"), "linked to the agreement and the need");
    assert!(!html.contains("/action-items\""), "no forms for a viewer");

    // In English, the same page with English dates.
    let en = app.session(Role::RegionAdmin, "kota-tangerang-selatan").await;
    app.post_form(Some(&en), "/language", &[("lang", "en"), ("next", "/")]).send().await.expect("lang");
    let html = app
        .get(Some(&en), &format!("/meetings/{}", meeting.meeting.id))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("17 December 2025") && html.contains("Action items") && html.contains("1 overdue"));

    // Another Pemda gets "not found".
    let other = app.session(Role::RegionAdmin, "kota-serang").await;
    let r = app.get(Some(&other), &format!("/meetings/{}", meeting.meeting.id)).send().await.expect("page");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_recorded_from_an_agreement_with_an_action_item_marked_done() {
    let app = TestApp::start().await;
    let s = app.session(Role::RegionAdmin, "kota-serang").await;
    let actor = s.user.actor();
    let kb = app
        .store
        .agreements(&actor, &Default::default())
        .await
        .expect("agreements")
        .into_iter()
        .find(|a| a.parent_id.is_none() && a.title.contains("Laboratorium Kesehatan Daerah Kota–Kabupaten Serang"))
        .expect("the demo KB");

    // The agreement's page lists the meetings about it and offers to record one.
    let page = app
        .get(Some(&s), &format!("/cooperation/agreements/{}", kb.id))
        .send()
        .await
        .expect("agreement")
        .text()
        .await
        .expect("html");
    let related = page.split("Rapat terkait").nth(1).expect("related meetings");
    assert!(
        related.contains("Pertemuan Wali Kota Serang dan Wakil Bupati Serang") && related.contains("30 Januari 2026")
    );
    assert!(related.contains(&format!("/meetings/new?agreement_id={}", kb.id)));
    let form = app
        .get(Some(&s), &format!("/meetings/new?agreement_id={}", kb.id))
        .send()
        .await
        .expect("form")
        .text()
        .await
        .expect("html");
    assert!(form.contains(&format!("name=\"agreement_id\" value=\"{}\" checked", kb.id)), "pre-linked");

    // Refused with every bad field named, in Indonesian, and nothing saved.
    let bad = app
        .post_form(Some(&s), "/meetings", &[("kind", "rapat"), ("title", " "), ("held_on", "30/01/2026")])
        .send()
        .await
        .expect("post");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("html");
    assert!(
        html.contains("id=\"title-error\">Wajib diisi.") && html.contains("id=\"held_on-error\">Tanggal tidak valid")
    );

    let kb_id = kb.id.to_string();
    let r = app
        .post_form(
            Some(&s),
            "/meetings",
            &[
                ("kind", "rapat"),
                ("title", "Rapat teknis PKS layanan uji Labkesda"),
                ("held_on", "2026-11-20"),
                ("place", "Ruang rapat Bagian Kerja Sama"),
                ("decisions", "1. Draf PKS dikirim ke Kabupaten Serang\n2. Tarif mengikuti Perda"),
                ("agreement_id", &kb_id),
            ],
        )
        .send()
        .await
        .expect("create");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let url = location(&r);
    assert!(url.starts_with("/meetings/"), "{url}");

    let guest = app
        .post_form(
            Some(&s),
            &format!("{url}/attendees"),
            &[("name", "Hendra Gunawan"), ("organisation", "Pemkab Serang")],
        )
        .send()
        .await
        .expect("attendee");
    assert_eq!(guest.status(), StatusCode::SEE_OTHER);
    let both = app
        .post_form(Some(&s), &format!("{url}/attendees"), &[("who", &format!("user:{}", s.user.id)), ("name", "Siapa")])
        .send()
        .await
        .expect("attendee");
    assert_eq!(both.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(both.text().await.expect("html").contains("jangan keduanya"));

    let r = app
        .post_form(
            Some(&s),
            &format!("{url}/action-items"),
            &[
                ("item_title", "Kirim draf PKS ke Kabupaten Serang"),
                ("owner_user_id", &s.user.id.to_string()),
                ("due_on", "2026-11-21"),
            ],
        )
        .send()
        .await
        .expect("item");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get(Some(&s), &url).send().await.expect("page").text().await.expect("html");
    let items = html.split("data-testid=\"action-items\"").nth(1).expect("items");
    assert!(items.contains("Kirim draf PKS ke Kabupaten Serang") && items.contains("Rina Marlina"));
    let action = items.split("action=\"").nth(1).and_then(|a| a.split('"').next()).expect("status form").to_owned();
    assert!(action.ends_with("/status"), "{action}");
    let r = app.post_form(Some(&s), &action, &[("status", "done")]).send().await.expect("done");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let again = app.post_form(Some(&s), &action, &[("status", "in-progress")]).send().await.expect("again");
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "done is done");
    let html = app.get(Some(&s), &url).send().await.expect("page").text().await.expect("html");
    let items = html.split("data-testid=\"action-items\"").nth(1).expect("items");
    assert!(items.contains("data-testid=\"item-status\">Selesai<") && !items.contains("class=\"overdue\""));
    assert!(html.contains("<li>Draf PKS dikirim ke Kabupaten Serang</li>"), "decisions read as a list");

    // The agreement's page now lists it too, newest first.
    let page = app
        .get(Some(&s), &format!("/cooperation/agreements/{}", kb.id))
        .send()
        .await
        .expect("agreement")
        .text()
        .await
        .expect("html");
    let related = page.split("Rapat terkait").nth(1).expect("related");
    let new_at = related.find("Rapat teknis PKS").expect("new meeting listed");
    let old_at = related.find("Pertemuan Wali Kota Serang").expect("old meeting listed");
    assert!(new_at < old_at);
    // Kabupaten Serang shares the agreement but not Kota Serang's meeting records.
    let kab = app.session(Role::RegionAdmin, "kabupaten-serang").await;
    let shared = app
        .get(Some(&kab), &format!("/cooperation/agreements/{}", kb.id))
        .send()
        .await
        .expect("shared")
        .text()
        .await
        .expect("html");
    assert!(shared.contains("Rapat terkait") && !shared.contains("Rapat teknis PKS"));
    // The need's page lists the demo meeting about it.
    let need = app
        .store
        .needs(&actor, &Default::default())
        .await
        .expect("needs")
        .into_iter()
        .find(|n| n.title.starts_with("Layanan uji laboratorium"))
        .expect("need");
    let page = app
        .get(Some(&s), &format!("/cooperation/needs/{}", need.id))
        .send()
        .await
        .expect("need")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("Pertemuan Wali Kota Serang") && page.contains(&format!("/meetings/new?need_id={}", need.id))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_over_the_api() {
    let app = TestApp::start().await;
    let admin = app.user(Role::RegionAdmin, "kota-tangerang").await;
    let token = app
        .store
        .create_session(&admin, sinergi_store::sessions::SessionKind::Api, None, &Default::default())
        .await
        .expect("token")
        .token;
    let list: serde_json::Value = app
        .http
        .get(app.url("/api/v1/meetings?kind=fgd"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["title"], "FGD Ekonomi Mikro Kota Tangerang");
    assert_eq!(list[0]["held_on"], "2025-10-29");
    assert_eq!(list[0]["action_items"][0]["status"], "done");
    let fgd_id = list[0]["id"].as_str().expect("id").to_owned();

    let created = app
        .http
        .post(app.url("/api/v1/meetings"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "kind": "forum-csr", "title": "Forum CSR Kota Tangerang 2026", "held_on": "2026-11-10",
            "decisions": "Bank BJB mendanai pojok UMKM"
        }))
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: serde_json::Value = created.json().await.expect("json");
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!((created["kind"].as_str(), created["tenant"].as_str()), (Some("forum-csr"), Some("36.71")));

    let item = app
        .http
        .post(app.url(&format!("/api/v1/meetings/{id}/action-items")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"title": "Daftar lokasi pojok UMKM", "owner_label": "Dinkop UKM", "due_on": "2026-11-15"}))
        .send()
        .await
        .expect("item");
    assert_eq!(item.status(), StatusCode::CREATED);
    let item: serde_json::Value = item.json().await.expect("json");
    assert_eq!((item["status"].as_str(), item["overdue"].as_bool()), (Some("open"), Some(true)), "due before today");
    let item_id = item["id"].as_str().expect("id");
    let guest = app
        .http
        .post(app.url(&format!("/api/v1/meetings/{id}/attendees")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "Yanti Susanti", "organisation": "Bank BJB"}))
        .send()
        .await
        .expect("attendee");
    assert_eq!(guest.status(), StatusCode::CREATED);

    let status_url = app.url(&format!("/api/v1/meetings/{id}/action-items/{item_id}/status"));
    let done: serde_json::Value = app
        .http
        .post(&status_url)
        .bearer_auth(&token)
        .json(&serde_json::json!({"status": "done"}))
        .send()
        .await
        .expect("done")
        .json()
        .await
        .expect("json");
    assert_eq!((done["status"].as_str(), done["overdue"].as_bool()), (Some("done"), Some(false)));
    let back = app
        .http
        .post(&status_url)
        .bearer_auth(&token)
        .json(&serde_json::json!({"status": "open"}))
        .send()
        .await
        .expect("back");
    assert_eq!(back.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = back.json().await.expect("json");
    assert_eq!((err["error"]["code"].as_str(), err["error"]["field"].as_str()), (Some("invalid"), Some("status")));

    let detail: serde_json::Value = app
        .http
        .get(app.url(&format!("/api/v1/meetings/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("detail")
        .json()
        .await
        .expect("json");
    assert_eq!(detail["attendees"][0]["organisation"], "Bank BJB");
    assert_eq!(detail["action_items"][0]["done_on"].as_str().map(str::len), Some(10));

    let bad = app
        .http
        .post(app.url("/api/v1/meetings"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"kind": "seminar", "title": "X", "held_on": "2026-11-10"}))
        .send()
        .await
        .expect("bad");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: serde_json::Value = bad.json().await.expect("json");
    assert_eq!(err["error"]["field"], "kind");

    // Another Pemda's token finds nothing.
    let other = app.user(Role::RegionAdmin, "kota-serang").await;
    let token = app
        .store
        .create_session(&other, sinergi_store::sessions::SessionKind::Api, None, &Default::default())
        .await
        .expect("token")
        .token;
    let r = app.http.get(app.url(&format!("/api/v1/meetings/{fgd_id}"))).bearer_auth(&token).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let doc: serde_json::Value =
        app.http.get(app.url("/api/v1/openapi.json")).send().await.expect("doc").json().await.expect("json");
    assert!(doc["components"]["schemas"].get("MeetingDetailDto").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_action_items_reach_the_dashboard_and_the_daily_reminders() {
    let app = TestApp::start().await;
    let s = app.session(Role::Viewer, "kota-tangerang-selatan").await;
    let html = app.get(Some(&s), "/cooperation").send().await.expect("dashboard").text().await.expect("html");
    let late = html.split("data-testid=\"overdue-actions\"").nth(1).expect("overdue list");
    assert!(
        late.contains("Inventarisasi MoU")
            && late.contains("Rapat Pemetaan Kerja Sama Daerah")
            && late.contains("Irma Permata")
    );

    let today = time::macros::date!(2026 - 11 - 23);
    run_daily(&app.store, today, "http://sinergi.test").await.expect("daily");
    let admin = app.user(Role::RegionAdmin, "kota-tangerang-selatan").await;
    let notes = app.store.notifications(&admin.actor(), 50).await.expect("notifications");
    let note = notes.iter().find(|n| n.kind == "action-overdue").expect("an overdue action item reminder");
    assert!(
        note.message.contains("Inventarisasi MoU") && note.message.contains("27 Februari 2026"),
        "{}",
        note.message
    );
    assert!(note.link.starts_with("/meetings/"));
    let mail = app.store.due_mail(200).await.expect("outbox");
    assert!(mail.iter().any(|m| m.to == "region-admin@kota-tangerang-selatan.demo.sinergi.id"
        && m.subject.contains("Tindak lanjut rapat terlambat")
        && m.body.contains("http://sinergi.test/meetings/")));
    assert_eq!(run_daily(&app.store, today, "http://sinergi.test").await.expect("again"), 0, "once only");
    // The follow-up done, nothing new is raised the next day.
    let meeting = note.link.trim_start_matches("/meetings/").parse().expect("meeting id");
    let detail = app.store.meeting(&admin.actor(), meeting).await.expect("meeting");
    let item = detail.action_items.iter().find(|i| i.title.starts_with("Inventarisasi MoU")).expect("item");
    app.store
        .set_action_status(
            &admin.actor(),
            meeting,
            item.id,
            sinergi_domain::cooperation::meetings::ActionStatus::Done,
            today,
        )
        .await
        .expect("done");
    let next = today.next_day().expect("date");
    let before = app.store.notifications(&admin.actor(), 50).await.expect("n").len();
    run_daily(&app.store, next, "http://sinergi.test").await.expect("next day");
    let after = app.store.notifications(&admin.actor(), 50).await.expect("n");
    let new = after.len() - before;
    assert!(!after.iter().take(new).any(|n| n.kind == "action-overdue"), "newest first: nothing new about it");
}

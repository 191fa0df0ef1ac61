//! Targets and needs on both databases.

use sinergi_domain::cooperation::needs::{NeedStatus, PartnerKind, PriorityRank};
use sinergi_domain::{Actor, AgencyId, RegionCode, Role};
use sinergi_store::agencies::AgencyInput;
use sinergi_store::cooperation::{NeedInput, PlanFilter, TargetInput};
use sinergi_store::tenants::NewTenant;
use sinergi_store::{Store, StoreError, store_tests};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

struct Setup {
    admin: Actor,
    officer: Actor,
    dlh: AgencyId,
    kominfo: AgencyId,
    other_admin: Actor,
}

async fn setup(store: &Store) -> Setup {
    let root = Actor::system("t");
    for (c, n) in [("36.74", "Kota Tangerang Selatan"), ("36.71", "Kota Tangerang")] {
        store.create_tenant(&root, NewTenant::parse(c, n, None).expect("t")).await.expect("tenant");
    }
    let tangsel = code("36.74");
    let mk = |name: &str| AgencyInput::parse(name, None, "dinas", None, true).expect("input");
    let dlh = store.create_agency(&root, &tangsel, mk("Dinas Lingkungan Hidup")).await.expect("dlh").id;
    let kominfo = store.create_agency(&root, &tangsel, mk("Dinas Komunikasi dan Informatika")).await.expect("k").id;
    let admin = Actor {
        role: Role::RegionAdmin,
        scope: sinergi_domain::Scope::Tenant(tangsel.clone()),
        label: "admin".into(),
        ..Actor::system("a")
    };
    let officer = Actor { role: Role::AgencyOfficer, agency: Some(kominfo), ..admin.clone() };
    let other_admin = Actor { scope: sinergi_domain::Scope::Tenant(code("36.71")), ..admin.clone() };
    Setup { admin, officer, dlh, kominfo, other_admin }
}

fn need(agency: AgencyId, title: &str, rank: Option<u8>) -> NeedInput {
    NeedInput {
        agency_id: agency,
        year: 2026,
        title: title.into(),
        problem: "Kabel optik semrawut di ruas jalan utama".into(),
        urusan_code: "2.16".into(),
        partner_kind: PartnerKind::Association,
        expected_benefit: "Penataan tanpa biaya APBD".into(),
        priority: rank.map(|r| PriorityRank::new(r).expect("rank")),
        target_ids: Vec::new(),
    }
}

store_tests! {
    async fn three_priorities_per_agency_per_year(store: Store) {
        let s = setup(&store).await;
        let t = code("36.74");
        for (i, title) in ["Penataan kabel optik", "Wifi publik", "Pusat data"].iter().enumerate() {
            store.create_need(&s.officer, &t, need(s.kominfo, title, Some(i as u8 + 1))).await.expect("priority need");
        }
        let fourth = store.create_need(&s.officer, &t, need(s.kominfo, "Aplikasi layanan", Some(1))).await;
        assert!(matches!(&fourth, Err(StoreError::Invalid(e)) if e.reason == "priority-limit"), "{fourth:?}");
        // Kept as a non-priority need instead; another agency and another year are unaffected.
        store.create_need(&s.officer, &t, need(s.kominfo, "Aplikasi layanan", None)).await.expect("non-priority");
        store.create_need(&s.admin, &t, need(s.dlh, "Bank sampah", Some(1))).await.expect("other agency");
        let mut next_year = need(s.kominfo, "Tahun depan", Some(1));
        next_year.year = 2027;
        store.create_need(&s.officer, &t, next_year).await.expect("other year");

        // Dropping a priority frees its rank for another need.
        let list = store.needs(&s.admin, &PlanFilter { agency_id: Some(s.kominfo), year: Some(2026), ..Default::default() }).await.expect("list");
        let first = list.iter().find(|n| n.title == "Penataan kabel optik").expect("first");
        let dropped = store.set_need_status(&s.officer, first.id, NeedStatus::Dropped).await.expect("drop");
        assert_eq!(dropped.priority, None);
        store.create_need(&s.officer, &t, need(s.kominfo, "Pengganti", Some(1))).await.expect("rank 1 is free again");
        let dup = store.create_need(&s.officer, &t, need(s.kominfo, "Duplikat", Some(2))).await;
        assert!(matches!(&dup, Err(StoreError::Invalid(_))), "{dup:?}");
    }

    async fn needs_belong_to_their_agency_and_tenant(store: Store) {
        let s = setup(&store).await;
        let t = code("36.74");
        let refused = store.create_need(&s.officer, &t, need(s.dlh, "Bukan dinas saya", None)).await;
        assert!(matches!(refused, Err(StoreError::Forbidden)), "an officer plans for their own agency only");
        let target = store
            .create_target(&s.officer, &t, s.kominfo, TargetInput::parse("2026", "Ruas jalan dengan kabel tertata", "km", "12,5", "").expect("target"))
            .await
            .expect("target");
        assert_eq!(target.target_value, 12.5);
        let mut with_target = need(s.kominfo, "Penataan kabel optik", Some(1));
        with_target.target_ids = vec![target.id];
        let n = store.create_need(&s.officer, &t, with_target).await.expect("need");
        assert_eq!(store.need(&s.admin, n.id).await.expect("read").target_ids, vec![target.id]);
        assert!(matches!(store.need(&s.other_admin, n.id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.set_need_status(&s.other_admin, n.id, NeedStatus::Submitted).await, Err(StoreError::NotFound)));
        assert!(store.needs(&s.other_admin, &PlanFilter::default()).await.expect("list").is_empty());
        // A target of another agency cannot be linked.
        let mut foreign = need(s.dlh, "Bank sampah", None);
        foreign.target_ids = vec![target.id];
        let r = store.create_need(&s.admin, &t, foreign).await;
        assert!(matches!(r, Err(StoreError::Invalid(e)) if e.field == "target_ids"));
        let illegal = store.set_need_status(&s.officer, n.id, NeedStatus::Fulfilled).await;
        assert!(matches!(illegal, Err(StoreError::Invalid(e)) if e.reason == "status-not-allowed"));
    }

    async fn targets_import_whole_or_not_at_all(store: Store) {
        let s = setup(&store).await;
        let t = code("36.74");
        let rows = |n: usize| {
            (0..n)
                .map(|i| TargetInput::parse("2026", &format!("Indikator {i}"), "unit", &format!("{}", i + 1), "").expect("row"))
                .collect::<Vec<_>>()
        };
        let refused = store.import_targets(&s.officer, &t, s.dlh, rows(3)).await;
        assert!(matches!(refused, Err(StoreError::Forbidden)));
        assert!(store.targets(&s.admin, &PlanFilter::default()).await.expect("list").is_empty(), "nothing half-written");
        let done = store.import_targets(&s.officer, &t, s.kominfo, rows(3)).await.expect("import");
        assert_eq!(done.len(), 3);
        let updated = store
            .update_target(&s.officer, done[0].id, TargetInput::parse("2026", "Indikator 0", "unit", "1", "0,5").expect("row"))
            .await
            .expect("update");
        assert_eq!(updated.realised_value, Some(0.5));
        assert!(matches!(
            store.update_target(&s.other_admin, done[0].id, TargetInput::parse("2026", "x", "unit", "1", "").expect("row")).await,
            Err(StoreError::NotFound)
        ));
        let events = store
            .audit_events(&s.admin, &sinergi_store::audit::AuditFilter { record_type: Some(sinergi_store::audit::RecordType::Target), ..Default::default() })
            .await
            .expect("audit");
        assert_eq!(events.len(), 4, "three imports and one update, each audited");
    }
}

#[test]
fn target_input_reports_every_bad_field() {
    let errors = TargetInput::parse("22", "", "km", "banyak", "").expect_err("bad");
    let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, vec!["year", "indicator", "target_value"]);
    assert_eq!(TargetInput::parse("2026", "Cakupan", "%", "1.250,5", "85").expect("ok").target_value, 1250.5);
}

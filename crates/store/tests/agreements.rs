//! Agreements between two Pemda, through their stages, on both databases.

use sinergi_domain::cooperation::agreement::{AgreementKind, Stage, TerminationReason};
use sinergi_domain::cooperation::dormancy::DormancyRule;
use sinergi_domain::cooperation::needs::{NeedStatus, PartnerKind};
use sinergi_domain::cooperation::outcomes::OutcomeKind;
use sinergi_domain::{Actor, RegionCode, Role, Scope};
use sinergi_store::agencies::AgencyInput;
use sinergi_store::agreements::{Activity, NewAgreement, Outcome, StageMove, parse_date};
use sinergi_store::cooperation::NeedInput;
use sinergi_store::partners::PartnerInput;
use sinergi_store::tenants::NewTenant;
use sinergi_store::{StoreError, store_tests};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn admin(c: &str) -> Actor {
    Actor { role: Role::RegionAdmin, scope: Scope::Tenant(code(c)), label: format!("admin {c}"), ..Actor::system("a") }
}

store_tests! {
    async fn a_kb_between_two_pemda_moves_to_pks_and_both_see_it(store: Store) {
        let root = Actor::system("t");
        for (c, n) in [("36.73", "Kota Serang"), ("36.04", "Kabupaten Serang"), ("36.71", "Kota Tangerang")] {
            store.create_tenant(&root, NewTenant::parse(c, n, None).expect("t")).await.expect("tenant");
        }
        let (kota, kab, other) = (admin("36.73"), admin("36.04"), admin("36.71"));
        let lab = store
            .create_agency(&kota, &code("36.73"), AgencyInput::parse("UPTD Labkesda", None, "dinas", None, true).expect("a"))
            .await
            .expect("agency");
        let need = store
            .create_need(&kota, &code("36.73"), NeedInput {
                agency_id: lab.id, year: 2026, title: "Layanan uji laboratorium untuk industri Kabupaten Serang".into(),
                problem: "Industri menguji sampel ke luar daerah".into(), urusan_code: "1.02".into(),
                partner_kind: PartnerKind::Region, expected_benefit: "PAD".into(), priority: None, target_ids: vec![],
            })
            .await
            .expect("need");
        store.set_need_status(&kota, need.id, NeedStatus::Submitted).await.expect("submit");
        let pemkab = store
            .create_partner(&kota, &code("36.73"), PartnerInput::parse("region", "Pemerintah Kabupaten Serang", "36.04", "", "", "", "", "", "", "", true).expect("p"))
            .await
            .expect("partner");

        let kb = store.draft_agreement_from_match(&kota, need.id, pemkab.id).await.expect("draft");
        assert_eq!((kb.kind, kb.stage), (AgreementKind::KsddSukarela, Stage::Persiapan));
        assert_eq!(store.need(&kota, need.id).await.expect("need").status, NeedStatus::Matched);

        // The other Pemda sees the same record; a third does not.
        let seen = store.agreement(&kab, kb.id).await.expect("shared");
        assert!(seen.shared);
        assert_eq!(seen.parties[1].party_tenant, Some(code("36.04")));
        assert!(matches!(store.agreement(&other, kb.id).await, Err(StoreError::NotFound)));
        assert_eq!(store.agreements(&kab, &Default::default()).await.expect("list").len(), 1);
        // Only the keeper moves it.
        assert!(matches!(store.move_agreement(&kab, kb.id, Stage::Penawaran, StageMove::default()).await, Err(StoreError::Forbidden)));

        // Internal notes stay on their side.
        store.add_agreement_note(&kota, kb.id, "Catatan internal Kota Serang").await.expect("note");
        store.add_agreement_note(&kab, kb.id, "Catatan internal Kabupaten Serang").await.expect("note");
        let mine = store.agreement(&kota, kb.id).await.expect("detail");
        assert_eq!(mine.notes.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), vec!["Catatan internal Kota Serang"]);
        let theirs = store.agreement(&kab, kb.id).await.expect("detail");
        assert_eq!(theirs.notes.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), vec!["Catatan internal Kabupaten Serang"]);

        for to in [Stage::Penawaran, Stage::PenyusunanKb, Stage::PenandatangananKb] {
            store.move_agreement(&kota, kb.id, to, StageMove::default()).await.expect("forward");
        }
        let unsigned = store.move_agreement(&kota, kb.id, Stage::PenyusunanPks, StageMove::default()).await;
        assert!(matches!(&unsigned, Err(StoreError::Invalid(e)) if e.reason == "kb-not-signed"), "{unsigned:?}");
        let skip = store.move_agreement(&kota, kb.id, Stage::Pelaksanaan, StageMove::default()).await;
        assert!(matches!(skip, Err(StoreError::Invalid(_))));
        let signed = StageMove { kb_signed_on: parse_date("kb_signed_on", "2026-01-30").expect("date"), note: Some("Ditandatangani Wali Kota dan Wakil Bupati".into()), ..Default::default() };
        let moved = store.move_agreement(&kota, kb.id, Stage::PenyusunanPks, signed).await.expect("to pks");
        assert_eq!(moved.kb_signed_on.map(|d| d.to_string()), Some("2026-01-30".into()));
        let ended = store.move_agreement(&kota, kb.id, Stage::Diakhiri, StageMove::default()).await;
        assert!(matches!(&ended, Err(StoreError::Invalid(e)) if e.reason == "reason-required"));
        let detail = store.agreement(&kab, kb.id).await.expect("detail");
        assert_eq!(detail.agreement.stage, Stage::PenyusunanPks, "the partner Pemda follows the stage");
        assert_eq!(detail.transitions.len(), 5, "draft and four moves, each recorded");
        assert_eq!(detail.transitions[4].note.as_deref(), Some("Ditandatangani Wali Kota dan Wakil Bupati"));
        let _ = TerminationReason::AimMet;
    }

    async fn the_portfolio_finds_each_agreements_activities_and_outcomes(store: Store) {
        let root = Actor::system("t");
        store.create_tenant(&root, NewTenant::parse("36.73", "Kota Serang", None).expect("t")).await.expect("tenant");
        let kota = admin("36.73");
        let date = |s: &str| parse_date("date", s).expect("date").expect("some");
        let mut ids = Vec::new();
        for title in ["Kerja sama A", "Kerja sama B", "Kerja sama C"] {
            let new = NewAgreement {
                kind: AgreementKind::Ksdpk, title: title.into(), scope: String::new(), urusan_code: "2.17".into(),
                starts_on: None, ends_on: None, value: None, funding: None, parties: vec![], need_ids: vec![],
            };
            ids.push(store.create_agreement(&kota, &code("36.73"), new).await.expect("agreement").id);
        }
        // Recorded interleaved, as they come in: the portfolio must still group them.
        for (n, id) in [ids[2], ids[0], ids[2], ids[1], ids[2]].into_iter().enumerate() {
            let done = if id == ids[0] { "2025-02-01" } else { "2025-08-01" };
            let activity = Activity { agreement_id: id, title: format!("Kegiatan {n}"), planned_on: None, done_on: Some(date(done)), budget: None };
            store.add_activity(&kota, id, activity).await.expect("activity");
        }
        for (value, id) in [(10, ids[1]), (20, ids[2]), (30, ids[1])] {
            let outcome = Outcome { agreement_id: id, kind: OutcomeKind::Beneficiaries, label: "Warga".into(), unit: "orang".into(), value, period: "2026".into(), evidence: None, recorded_on: date("2026-04-01") };
            store.add_outcome(&kota, id, outcome).await.expect("outcome");
        }
        let p = store.portfolio(&kota).await.expect("portfolio");
        let titles = |id| p.activities_of(id).iter().map(|a| a.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(ids[2]), vec!["Kegiatan 0", "Kegiatan 2", "Kegiatan 4"], "in the order recorded");
        assert_eq!(titles(ids[0]), vec!["Kegiatan 1"]);
        assert_eq!(titles(ids[1]), vec!["Kegiatan 3"]);
        let values = |id| p.outcomes_of(id).iter().map(|o| o.value).collect::<Vec<_>>();
        assert_eq!((values(ids[0]), values(ids[1]), values(ids[2])), (vec![], vec![10, 30], vec![20]));
        assert!(p.outcomes_of(sinergi_domain::AgreementId::new()).is_empty());
        // A KB signed in January whose only activity was in February has stopped on paper by
        // September, however busy the other agreements were in August.
        for to in [Stage::Penawaran, Stage::PenyusunanKb, Stage::PenandatangananKb, Stage::PenyusunanPks] {
            let step = StageMove { feasibility_done: true, kb_signed_on: Some(date("2025-01-01")), ..Default::default() };
            store.move_agreement(&kota, ids[0], to, step).await.expect("move");
        }
        let p = store.portfolio(&kota).await.expect("portfolio");
        let stopped: Vec<_> = p.agreements.iter().filter(|a| p.dormancy(a, DormancyRule::default(), date("2025-09-01")).is_some()).map(|a| a.id).collect();
        assert_eq!(stopped, vec![ids[0]]);
    }
}

//! Programmes on both databases: a wave with kecamatan quotas fills them from 120 applicants
//! with every outcome explained; overrides stand through a new run; earlier participants wait
//! behind first-timers; another Pemda sees nothing.

use std::collections::BTreeMap;

use sinergi_domain::programme::{Eligibility, Funding, ProgrammeKind, Quotas, WaveStatus};
use sinergi_domain::umkm::{Nib, SizeClass, SourceRecord};
use sinergi_domain::{Actor, BusinessId, RegionCode, Role, Scope};
use sinergi_store::programmes::{Channel, Decision, NewProgramme, NewSession, NewWave, reasons_of};
use sinergi_store::tenants::NewTenant;
use sinergi_store::umkm::{Incoming, Origin, Provenance, SeedBusiness};
use sinergi_store::{Store, StoreError, store_tests};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn actor(role: Role, c: &str) -> Actor {
    Actor { role, scope: Scope::Tenant(code(c)), label: format!("{role} {c}"), ..Actor::system("a") }
}

/// The sixth wave's ten kecamatan (Kabupaten Serang): Bandung, Tanara, Cikande, Kibin...
const KECAMATAN: [&str; 10] = [
    "36.04.14", "36.04.15", "36.04.16", "36.04.17", "36.04.18", "36.04.19", "36.04.20", "36.04.21", "36.04.22",
    "36.04.23",
];

async fn setup(store: &Store) -> Vec<BusinessId> {
    for (c, name) in [("36.04", "Kabupaten Serang"), ("36.73", "Kota Serang")] {
        store.create_tenant(&Actor::system("t"), NewTenant::parse(c, name, None).expect("t")).await.expect("tenant");
    }
    // 120 micro businesses, 12 per kecamatan, a few small ones and a few without an NIB.
    let seeds = (0..120)
        .map(|i| {
            let sales = if i % 11 == 9 { 3_000_000_000 } else { 150_000_000 };
            let record = SourceRecord {
                business_name: format!("Usaha Peserta {i:03}"),
                kecamatan: Some(code(KECAMATAN[i % 10])),
                nib: (i % 7 != 3).then(|| Nib::parse(&format!("91200{i:08}")).expect("nib")),
                year: 2025,
                sales: Some(sales),
                ..SourceRecord::default()
            };
            SeedBusiness {
                incoming: Incoming {
                    raw: vec![],
                    record,
                    provenance: Provenance {
                        source: "pendaftar".into(),
                        file_name: None,
                        sheet: None,
                        row: None,
                        origin: Origin::Import,
                    },
                },
                later_years: vec![],
            }
        })
        .collect();
    store.seed_umkm_businesses(&actor(Role::UmkmOfficer, "36.04"), &code("36.04"), seeds).await.expect("seed")
}

fn wave(number: u32) -> NewWave {
    NewWave {
        number,
        quotas: Quotas {
            total: 50,
            per_kecamatan: KECAMATAN.iter().map(|k| (code(k), 5)).collect::<BTreeMap<_, _>>(),
            redistribute: false,
        },
        eligibility: Eligibility {
            max_class: Some(SizeClass::Micro),
            requires_nib: true,
            not_trained_in_last_waves: Some(2),
            ..Eligibility::default()
        },
        min_attendance_percent: 80,
        closes_on: None,
        sessions: vec![NewSession {
            day: time::macros::date!(2025 - 10 - 20),
            starts: Some("08:00".into()),
            ends: Some("16:00".into()),
            venue: "Swiss-Belinn Modern Cikande".into(),
            topic: Some("Manajemen usaha".into()),
        }],
    }
}

store_tests! {
    async fn a_wave_fills_its_quotas_and_explains_every_outcome(store: Store) {
        let businesses = setup(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let kab = code("36.04");
        let csr = store.create_programme(&officer, &kab, NewProgramme {
            kind: ProgrammeKind::Training, title: "Pelatihan".into(), description: None, agency_id: None,
            funding: Funding::Csr, pledge_id: None, agreement_id: None,
        }).await;
        assert!(matches!(csr, Err(StoreError::Invalid(ref e)) if e.field == "pledge_id"), "CSR funding names its pledge");
        let programme = store.create_programme(&officer, &kab, NewProgramme {
            kind: ProgrammeKind::Training,
            title: "Pelatihan Manajerial bagi Usaha Mikro".into(),
            description: Some("DAK Non-Fisik".into()),
            agency_id: None,
            funding: Funding::DakNonFisik,
            pledge_id: None,
            agreement_id: None,
        }).await.expect("programme");
        let mut bad = wave(6);
        bad.quotas.per_kecamatan.insert(code("36.73.01"), 5);
        assert!(matches!(store.create_wave(&officer, &kab, programme, bad).await, Err(StoreError::Invalid(ref e)) if e.field == "quotas"));
        let w6 = store.create_wave(&officer, &kab, programme, wave(6)).await.expect("wave");
        assert!(matches!(store.create_wave(&officer, &kab, programme, wave(6)).await, Err(StoreError::Conflict { field: "number" })));
        assert!(matches!(store.select_wave(&officer, &kab, w6).await, Err(StoreError::Conflict { field: "status" })), "not open yet");
        store.move_wave(&officer, &kab, w6, WaveStatus::Open).await.expect("open");
        let (added, already) = store.apply_many_to_wave(&officer, &kab, w6, &businesses).await.expect("import");
        assert_eq!((added, already), (120, 0));
        let again = store.apply_to_wave(&officer, &kab, w6, businesses[0], Channel::Officer, vec![]).await;
        assert!(matches!(again, Err(StoreError::Conflict { field: "business" })));

        let summary = store.select_wave(&officer, &kab, w6).await.expect("select");
        assert_eq!(summary.selected, 50);
        let apps = store.wave_applications(&officer, &kab, w6).await.expect("apps");
        assert_eq!(apps.len(), 120);
        for k in KECAMATAN {
            let n = apps.iter().filter(|a| a.decision() == Some(Decision::Selected) && a.kecamatan.as_ref().map(|c| c.as_str()) == Some(k)).count();
            assert_eq!(n, 5, "five seats in {k}");
        }
        for a in &apps {
            let (ineligible, waiting, _) = reasons_of(a);
            match a.decision() {
                Some(Decision::Ineligible) => assert!(!ineligible.is_empty(), "a refusal has its reason"),
                Some(Decision::Waitlisted) => assert!(waiting.is_some() && a.position.is_some()),
                Some(Decision::Selected) => assert!(a.rank.is_some()),
                None => panic!("every application is decided"),
            }
            assert_eq!(a.invitation_code.len(), 8);
        }
        let small = apps.iter().find(|a| a.business_name == "Usaha Peserta 009").expect("a small business");
        assert_eq!(small.decision(), Some(Decision::Ineligible));

        // An officer's override stands through a new run, and needs a reason.
        let waiting = apps.iter().find(|a| a.decision() == Some(Decision::Waitlisted)).expect("someone waits");
        assert!(matches!(store.override_application(&officer, &kab, waiting.id, Some(Decision::Selected), "").await, Err(StoreError::Invalid(_))));
        store.override_application(&officer, &kab, waiting.id, Some(Decision::Selected), "Peserta disabilitas, prioritas Dinas").await.expect("override");
        let summary = store.select_wave(&officer, &kab, w6).await.expect("select again");
        assert_eq!((summary.selected, summary.overridden), (51, 1));

        // The seventh wave: last wave's participants may not take part again.
        let w7 = store.create_wave(&officer, &kab, programme, wave(7)).await.expect("wave 7");
        store.move_wave(&officer, &kab, w7, WaveStatus::Open).await.expect("open");
        store.apply_many_to_wave(&officer, &kab, w7, &businesses).await.expect("import");
        store.select_wave(&officer, &kab, w7).await.expect("select");
        let apps7 = store.wave_applications(&officer, &kab, w7).await.expect("apps");
        let selected6: Vec<BusinessId> = store.wave_applications(&officer, &kab, w6).await.unwrap().iter().filter(|a| a.decision() == Some(Decision::Selected)).map(|a| a.business).collect();
        for a in apps7.iter().filter(|a| selected6.contains(&a.business)) {
            assert_eq!(a.decision(), Some(Decision::Ineligible), "trained in wave 6");
        }

        // Another Pemda and a viewer.
        let other = actor(Role::UmkmOfficer, "36.73");
        assert!(matches!(store.wave(&other, &code("36.73"), w6).await, Err(StoreError::NotFound)));
        assert!(matches!(store.select_wave(&actor(Role::Viewer, "36.04"), &kab, w6).await, Err(StoreError::Forbidden)));
        assert!(matches!(store.move_wave(&officer, &kab, w6, WaveStatus::Done).await, Err(StoreError::Invalid(_))), "not running yet");
        assert_eq!(store.programme_waves(&officer, &kab, programme).await.unwrap().len(), 2);
    }
}

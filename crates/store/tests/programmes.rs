//! Programmes on both databases: a wave with kecamatan quotas fills them from 120 applicants
//! with every outcome explained; overrides stand through a new run; earlier participants wait
//! behind first-timers; another Pemda sees nothing.

use std::collections::BTreeMap;

use sinergi_domain::programme::{Eligibility, Funding, ProgrammeKind, Quotas, WaveStatus};
use sinergi_domain::umkm::{Nib, SizeClass, SourceRecord};
use sinergi_domain::{Actor, BusinessId, RegionCode, Role, Scope};
use sinergi_store::programmes::{Channel, CheckInBy, Decision, NewProgramme, NewSession, NewWave, reasons_of};
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
                kbli: vec![sinergi_domain::KbliCode::parse("10794").expect("kbli")],
                email: (i % 4 == 0).then(|| format!("usaha{i}@contoh.id")),
                year: 2024,
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
                // The same sales the next year: peers in the report grow by nothing.
                later_years: vec![(2025, None, Some(sales))],
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

    async fn attendance_makes_certificates_anyone_can_verify(store: Store) {
        let businesses = setup(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let kab = code("36.04");
        let programme = store.create_programme(&officer, &kab, NewProgramme {
            kind: ProgrammeKind::Training, title: "Pelatihan Manajerial bagi Usaha Mikro".into(), description: None,
            agency_id: None, funding: Funding::DakNonFisik, pledge_id: None, agreement_id: None,
        }).await.expect("programme");
        let mut new = wave(6);
        new.sessions.push(NewSession { day: time::macros::date!(2025 - 10 - 21), starts: None, ends: None, venue: "Swiss-Belinn Modern Cikande".into(), topic: None });
        let w = store.create_wave(&officer, &kab, programme, new).await.expect("wave");
        store.move_wave(&officer, &kab, w, WaveStatus::Open).await.expect("open");
        store.apply_many_to_wave(&officer, &kab, w, &businesses[..20]).await.expect("apply");
        store.select_wave(&officer, &kab, w).await.expect("select");
        let apps = store.wave_applications(&officer, &kab, w).await.expect("apps");
        let wave = store.wave(&officer, &kab, w).await.expect("wave");
        let (day1, day2) = (wave.sessions[0].id, wave.sessions[1].id);
        let chosen: Vec<_> = apps.iter().filter(|a| a.decision() == Some(Decision::Selected)).collect();
        let not_chosen = apps.iter().find(|a| a.decision() != Some(Decision::Selected)).expect("someone not selected");
        assert!(chosen.len() >= 3);
        // By the code on the invitation (case and dashes forgiven), twice is harmless.
        let code_typed = chosen[0].invitation_code.to_lowercase();
        let (who, fresh) = store.check_in(&officer, &kab, w, day1, CheckInBy::Code(&code_typed)).await.expect("check in");
        assert!(fresh && who.id == chosen[0].id);
        let (_, fresh) = store.check_in(&officer, &kab, w, day1, CheckInBy::Code(&chosen[0].invitation_code)).await.expect("again");
        assert!(!fresh, "a second scan changes nothing");
        store.check_in(&officer, &kab, w, day2, CheckInBy::Application(chosen[0].id)).await.expect("day 2");
        store.check_in(&officer, &kab, w, day1, CheckInBy::Application(chosen[1].id)).await.expect("only day 1");
        let refused = store.check_in(&officer, &kab, w, day1, CheckInBy::Application(not_chosen.id)).await;
        assert!(matches!(refused, Err(StoreError::Invalid(ref e)) if e.reason == "not-a-participant"));
        let unknown = store.check_in(&officer, &kab, w, day1, CheckInBy::Code("ZZZZ-ZZZZ")).await;
        assert!(matches!(unknown, Err(StoreError::Invalid(ref e)) if e.reason == "unknown-invitation"));

        assert!(matches!(store.issue_certificates(&officer, &kab, w).await, Err(StoreError::Conflict { .. })), "not running yet");
        store.move_wave(&officer, &kab, w, WaveStatus::Running).await.expect("run");
        assert_eq!(store.issue_certificates(&officer, &kab, w).await.expect("issue"), 1, "only the one who came both days");
        assert_eq!(store.issue_certificates(&officer, &kab, w).await.expect("again"), 0, "issued once");
        let codes = store.wave_certificates(&officer, &kab, w).await.expect("codes");
        let cert = codes.get(&chosen[0].id).expect("a certificate");
        let view = store.verify_certificate(&cert.to_lowercase().replace('-', " ")).await.expect("verify");
        assert_eq!((view.business_name.as_str(), view.wave_number, view.sessions_attended, view.sessions), (chosen[0].business_name.as_str(), 6, 2, 2));
        assert!(matches!(store.verify_certificate("AAAA-BBBB-CCCC").await, Err(StoreError::NotFound)));

        // Follow-ups at 3, 6 and 12 months only.
        let answers = sinergi_store::programmes::FollowUpAnswers { sales: Some(240_000_000), employees: Some(4), permits_obtained: vec!["halal".into()], new_channels: vec!["Indomaret".into()], note: None };
        assert!(matches!(store.record_follow_up(&officer, &kab, chosen[0].id, 4, answers.clone()).await, Err(StoreError::Invalid(_))));
        store.record_follow_up(&officer, &kab, chosen[0].id, 3, answers.clone()).await.expect("3 months");
        store.record_follow_up(&officer, &kab, chosen[0].id, 3, answers).await.expect("replaced");
        let f = store.wave_follow_ups(&officer, &kab, w).await.expect("follow-ups");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].answers.permits_obtained, vec!["halal".to_owned()]);
        let other = actor(Role::UmkmOfficer, "36.73");
        assert!(matches!(store.check_in(&other, &code("36.73"), w, day1, CheckInBy::Application(chosen[1].id)).await, Err(StoreError::NotFound)));
    }

    async fn invitations_go_once_and_the_report_compares_alumni_with_peers(store: Store) {
        let businesses = setup(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let kab = code("36.04");
        let programme = store.create_programme(&officer, &kab, NewProgramme {
            kind: ProgrammeKind::Training, title: "Pelatihan".into(), description: None,
            agency_id: None, funding: Funding::Apbd, pledge_id: None, agreement_id: None,
        }).await.expect("programme");
        let w = store.create_wave(&officer, &kab, programme, wave(6)).await.expect("wave");
        store.move_wave(&officer, &kab, w, WaveStatus::Open).await.expect("open");
        store.apply_many_to_wave(&officer, &kab, w, &businesses).await.expect("apply");
        store.select_wave(&officer, &kab, w).await.expect("select");
        let apps = store.wave_applications(&officer, &kab, w).await.expect("apps");
        let chosen: Vec<_> = apps.iter().filter(|a| a.decision() == Some(Decision::Selected)).collect();
        let invitation = |a: &sinergi_store::programmes::ApplicationRow| sinergi_store::programmes::Invitation {
            application: a.id,
            subject: "Undangan".into(),
            body: format!("Kode {}", a.invitation_code),
        };
        // Only the selected are invited; a list with anyone else is refused whole.
        let outsider = apps.iter().find(|a| a.decision() != Some(Decision::Selected)).expect("not selected");
        let refused = store.queue_wave_invitations(&officer, &kab, w, vec![invitation(chosen[0]), invitation(outsider)]).await;
        assert!(matches!(refused, Err(StoreError::Conflict { field: "decision" })));
        assert!(store.due_mail(500).await.expect("due").is_empty(), "nothing queued by a refused list");
        let all: Vec<_> = chosen.iter().map(|a| invitation(a)).collect();
        let first = store.queue_wave_invitations(&officer, &kab, w, all.clone()).await.expect("invite");
        let with_email = chosen.iter().filter(|a| a.business_name.trim_start_matches("Usaha Peserta ").parse::<usize>().is_ok_and(|i| i % 4 == 0)).count() as u32;
        assert_eq!((first.queued, first.without_email), (with_email, 50 - with_email));
        assert_eq!(store.due_mail(500).await.expect("due").len(), with_email as usize);
        let again = store.queue_wave_invitations(&officer, &kab, w, all).await.expect("again");
        assert_eq!((again.queued, again.already), (0, with_email), "nobody is mailed twice");
        let contact = store.participant_contact(&officer, &kab, w, chosen[0].id).await.expect("contact");
        assert_eq!(contact.application.id, chosen[0].id);
        assert!(matches!(store.participant_contact(&officer, &kab, w, outsider.id).await, Err(StoreError::Conflict { .. })));
        assert!(matches!(store.participant_contact(&actor(Role::UmkmOfficer, "36.73"), &code("36.73"), w, chosen[0].id).await, Err(StoreError::NotFound)));

        // Everyone selected attends, is certified; ten answer at 12 months with twice the sales.
        store.move_wave(&officer, &kab, w, WaveStatus::Running).await.expect("run");
        let session = store.wave(&officer, &kab, w).await.expect("wave").sessions[0].id;
        for a in &chosen {
            store.check_in(&officer, &kab, w, session, CheckInBy::Application(a.id)).await.expect("check in");
        }
        assert_eq!(store.issue_certificates(&officer, &kab, w).await.expect("issue"), 50);
        for a in chosen.iter().take(10) {
            let answers = sinergi_store::programmes::FollowUpAnswers { sales: Some(300_000_000), ..Default::default() };
            store.record_follow_up(&officer, &kab, a.id, 12, answers).await.expect("12 months");
        }
        let report = store.programme_report(&officer, &kab, programme).await.expect("report");
        assert_eq!(report.waves.len(), 1);
        let f = &report.waves[0];
        assert_eq!((f.applicants, f.selected, f.certified), (120, 50, 50));
        assert_eq!(f.follow_ups.get(&12), Some(&10));
        assert_eq!(f.by_kecamatan.len(), 10);
        assert!(f.by_kecamatan.iter().all(|(_, n, s)| *n == 12 && *s == 5));
        // Alumni: 50, of whom 10 measured, from Rp150 jt (2024) to Rp300 jt: +100%.
        assert_eq!((report.alumni.businesses, report.alumni.measured), (50, 10));
        assert_eq!(report.alumni.median_growth_percent, Some(100.0));
        // Peers: the micro, KBLI C businesses of the same kecamatan that were not certified,
        // measured 2024 → 2025 (no growth); the small ones are another class.
        assert!(report.peers.measured > 0 && report.peers.measured <= 70, "{} peers", report.peers.measured);
        assert_eq!(report.peers.median_growth_percent, Some(0.0));
        assert!(report.alumni_rows.iter().all(|r| r.base_year == 2024 && r.peers > 0));
        assert!(matches!(
            store.programme_report(&actor(Role::UmkmOfficer, "36.73"), &code("36.73"), programme).await,
            Err(StoreError::NotFound)
        ));
    }
}

//! The UMKM registry on both databases: batches written whole or not at all, provenance and
//! sealed NIKs, filling gaps on links, reviews, merges and splits undone exactly, filters,
//! naik kelas, and who may see and do what.

use std::collections::BTreeMap;

use sinergi_domain::auth::Email;
use sinergi_domain::files::check_spreadsheet;
use sinergi_domain::umkm::{BusinessForm, FormContext};
use sinergi_domain::umkm::{Nib, Nik, Permit, PermitKind, Phone, PirtNumber, SizeClass, SourceRecord};
use sinergi_domain::{Actor, BusinessId, KbliCode, RegionCode, Role, Scope};
use sinergi_store::audit::{AuditFilter, RecordType};
use sinergi_store::tenants::NewTenant;
use sinergi_store::umkm::{
    BusinessFilter, Candidate, Field, Incoming, NewImport, Origin, Provenance, Resolution, ReviewStatus,
};
use sinergi_store::umkm::{ClaimStatus, NewClaim};
use sinergi_store::users::NewUser;
use sinergi_store::{Store, StoreError, dummy_hash, store_tests};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn actor(role: Role, c: &str) -> Actor {
    Actor { role, scope: Scope::Tenant(code(c)), label: format!("{role} {c}"), ..Actor::system("a") }
}

async fn tenants(store: &Store) {
    for (c, name) in [("36.04", "Kabupaten Serang"), ("36.73", "Kota Serang")] {
        store.create_tenant(&Actor::system("t"), NewTenant::parse(c, name, None).expect("t")).await.expect("tenant");
    }
}

fn rec(name: &str, year: i32) -> SourceRecord {
    SourceRecord { business_name: name.into(), kecamatan: Some(code("36.04.12")), year, ..Default::default() }
}

fn incoming(record: SourceRecord, source: &str, row: i32) -> Incoming {
    Incoming {
        raw: vec![("Nama Usaha".into(), record.business_name.clone())],
        record,
        provenance: Provenance {
            source: source.into(),
            file_name: Some(format!("{source}.xlsx")),
            sheet: Some("Sheet1".into()),
            row: Some(row),
            origin: Origin::Import,
        },
    }
}

fn new(cluster: usize) -> Resolution {
    Resolution::New { cluster, weight: None, explanation: None }
}

fn kab() -> RegionCode {
    code("36.04")
}

store_tests! {
    async fn a_batch_makes_businesses_with_provenance_and_sealed_nik(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let mut a = rec("Keripik Pisang Bu Sari", 2025);
        a.nik = Some(Nik::parse("3604124512850004").unwrap());
        a.phone = Some(Phone::parse("0812-3456-7890").unwrap());
        a.capital = Some(300_000_000);
        a.sales = Some(3_000_000_000);
        a.kbli = vec![KbliCode::parse("10794").unwrap()];
        let mut a2 = rec("Kripik Pisang Ibu Sari", 2025);
        a2.owner_name = Some("Sari Rahmawati".into());
        a2.nib = Some(Nib::parse("9120001234567").unwrap());
        a2.permits = vec![Permit::pirt(&PirtNumber::parse("2063604010213-29").unwrap())];
        let b = rec("Emping Melinjo Hj. Aminah", 2025);
        let mut nik_raw = incoming(a, "dinkop", 5);
        nik_raw.raw.push(("NIK".into(), "3604124512850004".into()));
        let summary = store
            .commit_umkm_records(&officer, &kab(), None, vec![
                (nik_raw, new(0)),
                (incoming(a2, "pelatihan", 7), new(0)),
                (incoming(b, "dinkop", 6), new(1)),
            ])
            .await
            .expect("commit");
        assert_eq!((summary.records, summary.new_businesses, summary.linked_existing), (3, 2, 0));
        assert_eq!(summary.businesses[0], summary.businesses[1]);
        let detail = store.umkm_business(&officer, &kab(), summary.businesses[0]).await.expect("detail");
        let biz = &detail.business;
        assert_eq!(biz.name, "Keripik Pisang Bu Sari", "the first record names it");
        assert_eq!(biz.owner_name.as_deref(), Some("Sari Rahmawati"), "the second fills the gap");
        assert_eq!(biz.nik_masked.as_deref(), Some("3604••••••••0004"));
        assert_eq!(biz.phone.as_deref(), Some("081234567890"));
        assert_eq!(biz.classification.by_capital, Some(SizeClass::Micro));
        assert_eq!(biz.classification.by_sales, Some(SizeClass::Small));
        assert!(biz.classification.disagrees());
        assert_eq!(detail.records.len(), 2);
        let first = &detail.records[0];
        assert_eq!((first.provenance.source.as_str(), first.provenance.row), ("dinkop", Some(5)));
        assert!(first.raw.iter().all(|(_, v)| !v.contains("3604124512850004")), "raw cells never keep the NIK: {:?}", first.raw);
        let owner_source = detail.field_sources.iter().find(|(f, _)| *f == Field::OwnerName).expect("owner source").1;
        assert_eq!(owner_source, detail.records[1].id);
        assert_eq!(detail.permits.len(), 1);
        assert_eq!(detail.permits[0].expires.as_deref(), Some("2029-12-31"));
        // Entity resolution reads the NIK back, in clear, from the sealed column.
        let er = store.umkm_er_records(&officer, &kab()).await.expect("er");
        assert_eq!(er.iter().filter_map(|r| r.nik.as_deref()).collect::<Vec<_>>(), vec!["3604124512850004"]);
        let audit = store
            .audit_events(&Actor::system("t"), &AuditFilter { record_type: Some(RecordType::Umkm), ..Default::default() })
            .await
            .expect("audit");
        assert!(audit.iter().any(|e| e.action == "commit_umkm_records"));
    }

    async fn a_failed_batch_leaves_nothing_behind(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let rows = vec![
            (incoming(rec("Warung Barokah", 2025), "dinkop", 5), new(0)),
            (
                incoming(rec("Toko Berkah", 2025), "dinkop", 6),
                Resolution::Link { business: BusinessId::new(), weight: 9.0, explanation: serde_json::json!({}) },
            ),
        ];
        let err = store.commit_umkm_records(&officer, &kab(), None, rows).await.expect_err("unknown business");
        assert!(matches!(err, StoreError::NotFound), "{err:?}");
        let page = store.umkm_businesses(&officer, &kab(), &BusinessFilter::default(), 0, 50).await.expect("list");
        assert_eq!(page.total, 0, "the first row was rolled back with the second");
    }

    async fn an_import_commits_once(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let file = check_spreadsheet("file", "register.csv", b"Nama Usaha;Kec.\nWarung Barokah;Cikande\n".to_vec(), 1 << 20)
            .expect("csv");
        let id = store
            .create_umkm_import(&officer, &kab(), NewImport {
                source: "dinkop".into(),
                file,
                sheet: "register".into(),
                header_row: 0,
                mapping: "[\"business_name\",\"kecamatan\"]".into(),
            })
            .await
            .expect("upload");
        store.set_umkm_import_mapping(&officer, &kab(), id, "register", 0, "[\"business_name\",\"skip\"]").await.expect("map");
        assert_eq!(store.umkm_import(&officer, &kab(), id).await.unwrap().mapping, "[\"business_name\",\"skip\"]");
        store.save_umkm_source_mapping(&officer, &kab(), "dinkop", "[\"business_name\",\"skip\"]").await.expect("save");
        assert_eq!(
            store.umkm_source_mapping(&officer, &kab(), "dinkop").await.expect("saved").as_deref(),
            Some("[\"business_name\",\"skip\"]")
        );
        let bytes = store.umkm_import_file(&officer, &kab(), id).await.expect("file").bytes;
        assert!(bytes.starts_with(b"Nama Usaha"));
        let rows = || vec![(incoming(rec("Warung Barokah", 2025), "dinkop", 2), new(0))];
        let summary = store.commit_umkm_import(&officer, &kab(), id, rows(), 1).await.expect("commit");
        assert_eq!(summary.new_businesses, 1);
        let again = store.commit_umkm_import(&officer, &kab(), id, rows(), 1).await.expect_err("twice");
        assert!(matches!(again, StoreError::Conflict { field: "status" }), "{again:?}");
        let row = store.umkm_import(&officer, &kab(), id).await.expect("import");
        assert_eq!(row.summary().map(|s| s.records), Some(1));
        assert_eq!(store.umkm_businesses(&officer, &kab(), &BusinessFilter::default(), 0, 50).await.unwrap().total, 1);
    }

    async fn review_merge_and_undo_restore_both_businesses(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let mut a = rec("Sate Bandeng Hj. Maryam", 2024);
        a.sales = Some(500_000_000);
        a.phone = Some(Phone::parse("081299990000").unwrap());
        let first = store.commit_umkm_records(&officer, &kab(), None, vec![(incoming(a, "dinkop", 3), new(0))]).await.unwrap();
        let existing = first.businesses[0];
        let mut b = rec("Sate Bandeng Bu Maryam", 2025);
        b.sales = Some(2_500_000_000);
        b.owner_name = Some("Maryam".into());
        b.tags = vec!["kuliner".into()];
        let second = store
            .commit_umkm_records(&officer, &kab(), None, vec![(
                incoming(b, "pelatihan", 4),
                Resolution::Review {
                    cluster: 0,
                    candidate: Candidate::Business(existing),
                    weight: 4.2,
                    probability: 0.8,
                    explanation: serde_json::json!([{"field": "name", "level": "jaro-winkler", "weight": 3.1}]),
                },
            )])
            .await
            .unwrap();
        assert_eq!((second.new_businesses, second.sent_to_review), (1, 1));
        let newcomer = second.businesses[0];
        let reviews = store.umkm_reviews(&officer, &kab(), ReviewStatus::Open, 50).await.unwrap();
        assert_eq!(reviews.len(), 1);
        let review = store.umkm_review(&officer, &kab(), reviews[0].id).await.unwrap();
        assert_eq!(review.candidate.business.id, existing);
        assert_eq!(review.business.business.id, newcomer);
        let before = store.umkm_business(&officer, &kab(), existing).await.unwrap();
        // Keep the newcomer's name, the existing phone.
        let choice = BTreeMap::from([(Field::Name, newcomer), (Field::Phone, existing)]);
        let merge = store.merge_umkm(&officer, &kab(), existing, newcomer, &choice, Some(reviews[0].id)).await.unwrap();
        let merged = store.umkm_business(&officer, &kab(), existing).await.unwrap();
        assert_eq!(merged.business.name, "Sate Bandeng Bu Maryam");
        assert_eq!(merged.business.owner_name.as_deref(), Some("Maryam"), "a gap is filled from the other side");
        assert_eq!(merged.records.len(), 2);
        assert_eq!(merged.years.iter().map(|y| y.year).collect::<Vec<_>>(), vec![2024, 2025]);
        assert_eq!(merged.business.latest_year, Some(2025));
        assert_eq!(merged.tags, vec!["kuliner".to_owned()]);
        assert!(store.umkm_reviews(&officer, &kab(), ReviewStatus::Open, 50).await.unwrap().is_empty());
        assert_eq!(store.umkm_open_review_count(&officer, &kab()).await.unwrap(), 0);
        let gone = store.umkm_business(&officer, &kab(), newcomer).await.unwrap();
        assert_eq!(gone.business.merged_into, Some(existing));
        assert_eq!(store.umkm_businesses(&officer, &kab(), &BusinessFilter::default(), 0, 50).await.unwrap().total, 1);

        store.undo_umkm_merge(&officer, &kab(), merge).await.expect("undo");
        let restored = store.umkm_business(&officer, &kab(), existing).await.unwrap();
        assert_eq!(restored.business.name, before.business.name);
        assert_eq!(restored.business.owner_name, None);
        assert_eq!(restored.records.len(), 1);
        assert_eq!(restored.years.len(), 1);
        assert!(restored.tags.is_empty());
        assert_eq!(restored.field_sources, before.field_sources);
        let back = store.umkm_business(&officer, &kab(), newcomer).await.unwrap();
        assert_eq!(back.business.merged_into, None);
        assert_eq!(back.records.len(), 1);
        assert_eq!(store.umkm_reviews(&officer, &kab(), ReviewStatus::Open, 50).await.unwrap().len(), 1, "the question is open again");
        assert_eq!(store.umkm_open_review_count(&officer, &kab()).await.unwrap(), 1);
        let twice = store.undo_umkm_merge(&officer, &kab(), merge).await.expect_err("undone already");
        assert!(matches!(twice, StoreError::Conflict { field: "undone" }));
        // Keeping them apart closes the question.
        store.keep_umkm_apart(&officer, &kab(), reviews[0].id).await.expect("apart");
        assert!(store.umkm_reviews(&officer, &kab(), ReviewStatus::Open, 50).await.unwrap().is_empty());
    }

    async fn a_split_moves_records_and_is_undone(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let mut a = rec("Toko Berkah", 2025);
        a.owner_name = Some("Jaenal".into());
        a.capital = Some(50_000_000);
        let mut b = rec("Toko Berkah", 2024);
        b.owner_name = Some("Rohimah".into());
        b.capital = Some(20_000_000);
        let s = store
            .commit_umkm_records(&officer, &kab(), None, vec![(incoming(a, "dinkop", 2), new(0)), (incoming(b, "desa", 9), new(0))])
            .await
            .unwrap();
        let id = s.businesses[0];
        let detail = store.umkm_business(&officer, &kab(), id).await.unwrap();
        assert_eq!(detail.records.len(), 2);
        let wrong = detail.records[1].id;
        let split_off = store.split_umkm(&officer, &kab(), id, &[wrong]).await.expect("split");
        let left = store.umkm_business(&officer, &kab(), id).await.unwrap();
        let right = store.umkm_business(&officer, &kab(), split_off).await.unwrap();
        assert_eq!(left.records.len(), 1);
        assert_eq!(right.records.len(), 1);
        assert_eq!(right.business.owner_name.as_deref(), Some("Rohimah"));
        assert_eq!(right.years.iter().map(|y| y.year).collect::<Vec<_>>(), vec![2024]);
        assert_eq!(left.years.iter().map(|y| y.year).collect::<Vec<_>>(), vec![2025]);
        let all = store.split_umkm(&officer, &kab(), id, &[left.records[0].id]).await.expect_err("not every record");
        assert!(matches!(all, StoreError::Invalid(_)));
        let merge = left.merges[0].id;
        store.undo_umkm_merge(&officer, &kab(), merge).await.expect("undo split");
        let whole = store.umkm_business(&officer, &kab(), id).await.unwrap();
        assert_eq!(whole.records.len(), 2);
        assert_eq!(whole.years.len(), 2);
        assert_eq!(store.umkm_businesses(&officer, &kab(), &BusinessFilter::default(), 0, 50).await.unwrap().total, 1);
    }

    async fn lists_filter_by_place_class_kbli_permit_source_and_year(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let mut a = rec("Keripik Singkong Cikande", 2025);
        a.kecamatan = Some(code("36.04.12"));
        a.kbli = vec![KbliCode::parse("10794").unwrap()];
        a.sales = Some(3_000_000_000);
        a.permits = vec![Permit { kind: PermitKind::Halal, number: "ID3611000123".into(), issued: None, expires: None }];
        let mut b = rec("Konveksi Kibin Jaya", 2024);
        b.kecamatan = Some(code("36.04.13"));
        b.kbli = vec![KbliCode::parse("14111").unwrap()];
        b.capital = Some(100_000_000);
        store
            .commit_umkm_records(&officer, &kab(), None, vec![(incoming(a, "oss", 2), new(0)), (incoming(b, "dinkop", 3), new(1))])
            .await
            .unwrap();
        let count = |f: BusinessFilter| {
            let store = store.clone();
            let officer = officer.clone();
            async move { store.umkm_businesses(&officer, &kab(), &f, 0, 50).await.unwrap().total }
        };
        assert_eq!(count(BusinessFilter::default()).await, 2);
        assert_eq!(count(BusinessFilter { kecamatan: Some(code("36.04.12")), ..Default::default() }).await, 1);
        assert_eq!(count(BusinessFilter { class: Some(SizeClass::Small), ..Default::default() }).await, 1);
        assert_eq!(count(BusinessFilter { class: Some(SizeClass::Micro), ..Default::default() }).await, 1);
        for (k, n) in [("C", 2), ("10", 1), ("107", 1), ("1079", 1), ("10794", 1), ("14", 1), ("G", 0)] {
            assert_eq!(count(BusinessFilter { kbli: Some(KbliCode::parse(k).unwrap()), ..Default::default() }).await, n, "{k}");
        }
        assert_eq!(count(BusinessFilter { permit: Some(PermitKind::Halal), ..Default::default() }).await, 1);
        assert_eq!(count(BusinessFilter { source: Some("oss".into()), ..Default::default() }).await, 1);
        assert_eq!(count(BusinessFilter { year: Some(2024), ..Default::default() }).await, 1);
        assert_eq!(count(BusinessFilter { q: Some("kibin".into()), ..Default::default() }).await, 1);
        assert_eq!(count(BusinessFilter { q: Some("KERIPIK cikande".into()), ..Default::default() }).await, 1);

        // A search engine's page: the rows in the order asked, unknown ids left out.
        let all = store.umkm_businesses(&officer, &kab(), &BusinessFilter::default(), 0, 50).await.unwrap();
        let mut ids: Vec<BusinessId> = all.rows.iter().rev().map(|r| r.id).collect();
        ids.insert(1, BusinessId::new());
        let rows = store.umkm_business_rows(&officer, &kab(), &ids).await.unwrap();
        let expected: Vec<BusinessId> = all.rows.iter().rev().map(|r| r.id).collect();
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), expected);
        assert_eq!(rows[0], all.rows[1]);
        assert!(store.umkm_business_rows(&actor(Role::UmkmOfficer, "36.73"), &kab(), &ids).await.is_err());
    }

    async fn naik_kelas_counts_moves_between_years(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let mut y1 = rec("Batik Krakatau", 2024);
        y1.kbli = vec![KbliCode::parse("13134").unwrap()];
        y1.sales = Some(1_000_000_000);
        let mut y2 = rec("Batik Krakatau", 2025);
        y2.sales = Some(4_000_000_000);
        let mut z1 = rec("Bengkel Las Tanara", 2024);
        z1.sales = Some(3_000_000_000);
        let mut z2 = rec("Bengkel Las Tanara", 2025);
        z2.sales = Some(1_500_000_000);
        store
            .commit_umkm_records(&officer, &kab(), None, vec![
                (incoming(y1, "dinkop", 2), new(0)),
                (incoming(y2, "dinkop", 3), new(0)),
                (incoming(z1, "dinkop", 4), new(1)),
                (incoming(z2, "dinkop", 5), new(1)),
            ])
            .await
            .unwrap();
        let viewer = actor(Role::Viewer, "36.04");
        let (groups, moves) = store.umkm_naik_kelas(&viewer, &kab(), 2024, 2025).await.expect("report");
        assert_eq!(groups.iter().map(|g| g.up).sum::<u64>(), 1);
        assert_eq!(groups.iter().map(|g| g.down).sum::<u64>(), 1);
        assert_eq!(moves.len(), 2);
        assert_eq!((moves[0].name.as_str(), moves[0].from, moves[0].to), ("Batik Krakatau", SizeClass::Micro, SizeClass::Small));
    }

    async fn roles_and_tenants_are_enforced_and_reveals_audited(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let mut a = rec("Gula Aren Bu Eti", 2025);
        a.nik = Some(Nik::parse("3604124512850004").unwrap());
        let s = store.commit_umkm_records(&officer, &kab(), None, vec![(incoming(a, "dinkop", 2), new(0))]).await.unwrap();
        let id = s.businesses[0];
        let viewer = actor(Role::Viewer, "36.04");
        let rows = || vec![(incoming(rec("X", 2025), "x", 1), new(0))];
        assert!(matches!(store.commit_umkm_records(&viewer, &kab(), None, rows()).await, Err(StoreError::Forbidden)));
        assert!(store.umkm_business(&viewer, &kab(), id).await.is_ok(), "viewers read the registry");
        assert!(matches!(store.reveal_umkm_nik(&viewer, &kab(), id, "verifikasi").await, Err(StoreError::Forbidden)));
        let partner = actor(Role::Partner, "36.04");
        assert!(matches!(store.umkm_business(&partner, &kab(), id).await, Err(StoreError::Forbidden)));
        let other = actor(Role::UmkmOfficer, "36.73");
        assert!(matches!(store.umkm_business(&other, &kab(), id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.umkm_business(&other, &code("36.73"), id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.reveal_umkm_nik(&officer, &kab(), id, "").await, Err(StoreError::Invalid(_))));
        let nik = store.reveal_umkm_nik(&officer, &kab(), id, "verifikasi klaim pemilik").await.expect("reveal");
        assert_eq!(nik.as_deref(), Some("3604124512850004"));
        let audit = store
            .audit_events(&Actor::system("t"), &AuditFilter { record_type: Some(RecordType::Umkm), ..Default::default() })
            .await
            .unwrap();
        let reveal = audit.iter().find(|e| e.action == "reveal_umkm_nik").expect("audited");
        let after = reveal.after.as_ref().expect("after").to_string();
        assert!(after.contains("verifikasi klaim pemilik") && !after.contains("3604124512850004"), "{after}");

        // An export with personal data: refused to a viewer and without a reason, audited.
        assert!(matches!(store.umkm_export_personal(&viewer, &kab(), "rujukan KUR", &[id]).await, Err(StoreError::Forbidden)));
        assert!(matches!(store.umkm_export_personal(&officer, &kab(), "kur", &[id]).await, Err(StoreError::Invalid(_))));
        assert!(store.umkm_export_personal(&other, &code("36.73"), "rujukan KUR", &[id]).await.expect("empty").is_empty());
        let niks = store.umkm_export_personal(&officer, &kab(), "rujukan KUR ke bank", &[id]).await.expect("export");
        assert_eq!(niks.get(&id).map(String::as_str), Some("3604124512850004"));
        let audit = store
            .audit_events(&Actor::system("t"), &AuditFilter { record_type: Some(RecordType::Umkm), ..Default::default() })
            .await
            .unwrap();
        let export = audit.iter().find(|e| e.action == "export_umkm").expect("audited");
        let after = export.after.as_ref().expect("after").to_string();
        assert!(after.contains("rujukan KUR ke bank") && !after.contains("3604124512850004"), "{after}");
    }

    async fn an_owner_claims_is_verified_and_keeps_the_profile_current(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let mut a = rec("Keripik Emping Tanara", 2025);
        a.nik = Some(Nik::parse("3604124512850004").unwrap());
        a.phone = Some(Phone::parse("0812-3456-7890").unwrap());
        a.nib = Some(Nib::parse("9120001234567").unwrap());
        a.sales = Some(150_000_000);
        let done = store.commit_umkm_records(&officer, &kab(), None, vec![(incoming(a, "dinkop", 3), new(0))]).await.unwrap();
        let id = done.businesses[0];
        let admin = Actor { role: Role::RegionAdmin, ..actor(Role::RegionAdmin, "36.04") };
        let user = store
            .create_user(&admin, NewUser {
                tenant: Some(kab()),
                agency_id: None,
                partner_id: None,
                email: Email::parse("maesaroh@contoh.id").unwrap(),
                name: "Maesaroh".into(),
                role: Role::UmkmOwner,
                password_hash: dummy_hash(),
            })
            .await
            .expect("owner account");
        let owner = Actor { user_id: user.id, ..actor(Role::UmkmOwner, "36.04") };
        let stranger = Actor { user_id: sinergi_domain::UserId::new(), ..actor(Role::UmkmOwner, "36.04") };

        // The owner finds the business by a piece of its name, and sees no personal data.
        let found = store.umkm_claimable(&owner, &kab(), "emping", None).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Keripik Emping Tanara");
        assert!(store.umkm_claimable(&owner, &kab(), "em", None).await.unwrap().is_empty(), "too short to search");
        assert!(matches!(store.umkm_claimable(&officer, &kab(), "emping", None).await, Err(StoreError::Forbidden)));

        // Before verification the business is not the owner's.
        let form = |f: BusinessForm| f.parse(&FormContext { tenant: kab(), current_year: 2026 }).expect("form");
        let phone_edit = form(BusinessForm { phone: Some("0877 1111 2222".into()), ..Default::default() });
        assert!(matches!(store.edit_umkm_business(&owner, &kab(), id, &phone_edit).await, Err(StoreError::NotFound)));

        let claim = store
            .claim_umkm(&owner, &kab(), NewClaim {
                business: id,
                nik: Some(Nik::parse("3604124512850004").unwrap()),
                phone: Some(Phone::parse("+62 812 3456 7891").unwrap()),
                note: Some("NIB saya 9120001234567".into()),
            })
            .await
            .expect("claim");
        let again = store.claim_umkm(&owner, &kab(), NewClaim { business: id, nik: None, phone: None, note: None }).await;
        assert!(matches!(again, Err(StoreError::Conflict { field: "pending" })), "{again:?}");
        let queue = store.umkm_claims(&officer, &kab(), Some(ClaimStatus::Pending)).await.unwrap();
        assert_eq!(queue.len(), 1);
        assert_eq!((queue[0].nik_matches, queue[0].phone_matches), (Some(true), Some(false)), "evidence for the officer");
        assert_eq!(queue[0].user_name, "Maesaroh");
        assert!(store.umkm_claims(&stranger, &kab(), None).await.unwrap().is_empty(), "an owner sees only their own claims");
        let rejected = store.decide_umkm_claim(&officer, &kab(), claim, false, "").await;
        assert!(matches!(rejected, Err(StoreError::Invalid(ref e)) if e.field == "decision_note"), "a rejection needs a reason");
        assert!(matches!(store.decide_umkm_claim(&owner, &kab(), claim, true, "").await, Err(StoreError::Forbidden)));
        let approved = store.decide_umkm_claim(&officer, &kab(), claim, true, "").await.expect("approve");
        assert_eq!(approved.status, ClaimStatus::Approved);
        let twice = store.decide_umkm_claim(&officer, &kab(), claim, true, "").await;
        assert!(matches!(twice, Err(StoreError::Conflict { field: "status" })));
        let other_claim = store.claim_umkm(&stranger, &kab(), NewClaim { business: id, nik: None, phone: None, note: None }).await;
        assert!(matches!(other_claim, Err(StoreError::Conflict { field: "claimed" })), "{other_claim:?}");

        // The owner edits what owners may; identity stays with the officers.
        assert_eq!(store.owned_umkm_businesses(&owner, &kab()).await.unwrap().len(), 1);
        let nib_edit = form(BusinessForm { nib: Some("9120009999999".into()), ..Default::default() });
        assert!(matches!(store.edit_umkm_business(&owner, &kab(), id, &nib_edit).await, Err(StoreError::Forbidden)));
        let edit = form(BusinessForm {
            phone: Some("0877 1111 2222".into()),
            products: Some("Emping melinjo pedas, emping manis".into()),
            year: Some("2026".into()),
            sales: Some("Rp 2,5 M".into()),
            ..Default::default()
        });
        let rec_id = store.edit_umkm_business(&owner, &kab(), id, &edit).await.expect("edit").expect("a record");
        assert_eq!(store.edit_umkm_business(&owner, &kab(), id, &edit).await.expect("same again"), None, "nothing changed");
        let d = store.umkm_business(&officer, &kab(), id).await.unwrap();
        assert_eq!(d.business.phone.as_deref(), Some("087711112222"), "an owner's edit overwrites");
        assert!(d.business.owner_edited_at_ms.is_some(), "marked as the owner's");
        assert_eq!(d.business.claimed_by, Some(user.id));
        let phone_source = d.field_sources.iter().find(|(f, _)| *f == Field::Phone).unwrap().1;
        assert_eq!(phone_source, rec_id);
        let r = d.records.iter().find(|r| r.id == rec_id).unwrap();
        assert_eq!((r.provenance.origin, r.link.as_str()), (Origin::Owner, "owner"));
        assert_eq!(d.years.last().map(|y| (y.year, y.sales)), Some((2026, Some(2_500_000_000))));
        assert_eq!(d.business.classification.by_sales, Some(SizeClass::Small), "the new year's class is the business's");

        // An officer may correct identity; the edit is not the owner's.
        let by_officer = store.edit_umkm_business(&officer, &kab(), id, &nib_edit).await.unwrap().unwrap();
        let d = store.umkm_business(&officer, &kab(), id).await.unwrap();
        assert_eq!(d.business.nib.as_deref(), Some("9120009999999"));
        assert_eq!(d.records.iter().find(|r| r.id == by_officer).unwrap().provenance.origin, Origin::Form);

        // The owner downloads what is held, NIK whole; the download and the edits are audited.
        let data = store.umkm_owner_data(&owner, &kab(), id).await.expect("data");
        assert_eq!(data.nik.as_deref(), Some("3604124512850004"));
        assert_eq!(data.claims.len(), 1);
        assert!(matches!(store.umkm_owner_data(&stranger, &kab(), id).await, Err(StoreError::NotFound)));
        let audit = store
            .audit_events(&Actor::system("t"), &AuditFilter { record_type: Some(RecordType::Umkm), ..Default::default() })
            .await
            .unwrap();
        for action in ["claim_umkm", "approve_umkm_claim", "owner_edit_umkm", "edit_umkm", "owner_umkm_data"] {
            assert!(audit.iter().any(|e| e.action == action), "{action} audited");
        }
        let owner_edit = audit.iter().find(|e| e.action == "owner_edit_umkm").unwrap();
        assert!(owner_edit.before.as_ref().unwrap().to_string().contains("081234567890"));

        // Permits: the owner adds one (marked as theirs), twice is refused; an officer removes it.
        let halal = sinergi_domain::umkm::PermitForm {
            kind: "halal".into(),
            number: "ID36110000123450923".into(),
            issued: "2026-02-01".into(),
            ..Default::default()
        }
        .parse()
        .expect("permit");
        store.add_umkm_permit(&owner, &kab(), id, halal.clone()).await.expect("owner adds a permit");
        let twice = store.add_umkm_permit(&owner, &kab(), id, halal.clone()).await;
        assert!(matches!(twice, Err(StoreError::Conflict { field: "number" })), "{twice:?}");
        assert!(matches!(store.add_umkm_permit(&stranger, &kab(), id, halal).await, Err(StoreError::NotFound)));
        let d = store.umkm_business(&officer, &kab(), id).await.unwrap();
        let permit = d.permits.iter().find(|p| p.kind == PermitKind::Halal).expect("the halal certificate");
        let from = d.records.iter().find(|r| Some(r.id) == permit.record).expect("its record");
        assert_eq!(from.provenance.origin, Origin::Owner);
        assert_eq!(from.nik_masked, None, "a permit's record carries no identity");
        assert!(matches!(store.remove_umkm_permit(&owner, &kab(), id, sinergi_domain::PermitId::from_uuid(permit.id)).await, Err(StoreError::Forbidden)));
        store.remove_umkm_permit(&officer, &kab(), id, sinergi_domain::PermitId::from_uuid(permit.id)).await.expect("officer removes");
        assert!(store.umkm_business(&officer, &kab(), id).await.unwrap().permits.iter().all(|p| p.kind != PermitKind::Halal));

        // Released, the owner no longer holds it.
        store.release_umkm_owner(&officer, &kab(), id, "usaha sudah dijual").await.expect("release");
        assert!(store.owned_umkm_businesses(&owner, &kab()).await.unwrap().is_empty());
    }
}

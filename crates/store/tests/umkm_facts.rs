//! What the registry search is fed, on both databases: every live business's facts read in
//! batches along the key, the facts of given businesses after a write (a merged-away business
//! drops out), the businesses with a duplicate question open, and who may read them.

use std::collections::BTreeMap;

use sinergi_domain::files::check_spreadsheet;
use sinergi_domain::umkm::{Permit, PermitKind, PirtNumber, SizeClass, SourceRecord};
use sinergi_domain::{Actor, BusinessId, KbliCode, RegionCode, Role, Scope};
use sinergi_engines::registry_search::BusinessFacts;
use sinergi_store::tenants::NewTenant;
use sinergi_store::umkm::{Candidate, Field, Incoming, NewImport, Origin, Provenance, Resolution};
use sinergi_store::{Store, StoreError, store_tests};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn actor(role: Role, c: &str) -> Actor {
    Actor { role, scope: Scope::Tenant(code(c)), label: format!("{role} {c}"), ..Actor::system("a") }
}

fn kab() -> RegionCode {
    code("36.04")
}

async fn tenants(store: &Store) {
    for (c, name) in [("36.04", "Kabupaten Serang"), ("36.73", "Kota Serang")] {
        store.create_tenant(&Actor::system("t"), NewTenant::parse(c, name, None).expect("t")).await.expect("tenant");
    }
}

fn rec(name: &str, year: i32) -> SourceRecord {
    SourceRecord {
        business_name: name.into(),
        sales: Some(100_000_000),
        kecamatan: Some(code("36.04.12")),
        desa: Some(code("36.04.12.2001")),
        year,
        ..Default::default()
    }
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

/// Every live business's facts, read `batch` at a time.
async fn all_facts(store: &Store, actor: &Actor, batch: u64) -> Vec<BusinessFacts> {
    let mut out: Vec<BusinessFacts> = Vec::new();
    loop {
        let after = out.last().map(|f| f.id);
        let got = store.umkm_search_facts(actor, &kab(), after, batch).await.expect("facts");
        let done = (got.len() as u64) < batch;
        out.extend(got);
        if done {
            return out;
        }
    }
}

store_tests! {
    async fn facts_are_read_whole_in_batches_and_by_id(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let mut keripik = rec("Keripik Pisang Bu Sari", 2024);
        keripik.owner_name = Some("Sari Wulandari".into());
        keripik.kbli = vec![KbliCode::parse("10794").unwrap(), KbliCode::parse("47211").unwrap()];
        keripik.permits = vec![Permit::pirt(&PirtNumber::parse("2063604010213-29").unwrap())];
        keripik.capital = Some(40_000_000);
        keripik.sales = Some(250_000_000);
        let mut again = rec("Keripik Pisang Bu Sari", 2025);
        again.sales = Some(600_000_000);
        let mut plain = Vec::new();
        for n in 0..7 {
            plain.push((incoming(rec(&format!("Warung {n}"), 2025), "dinkop", 10 + n), new(2 + n as usize)));
        }
        let mut rows = vec![(incoming(keripik, "dinkop", 5), new(0)), (incoming(again, "pelatihan", 6), new(0))];
        rows.extend(plain);
        let summary = store.commit_umkm_records(&officer, &kab(), None, rows).await.expect("commit");
        let sari = summary.businesses[0];

        // Another Pemda's business is never among them.
        let other = actor(Role::UmkmOfficer, "36.73");
        let mut kota = rec("Keripik Kota", 2025);
        kota.kecamatan = None;
        kota.desa = None;
        store.commit_umkm_records(&other, &code("36.73"), None, vec![(incoming(kota, "dinkop", 2), new(0))]).await.expect("kota");

        let whole = all_facts(&store, &officer, 1_000).await;
        assert_eq!(whole.len(), 8);
        for batch in [1, 3, 8] {
            assert_eq!(all_facts(&store, &officer, batch).await, whole, "batches of {batch}");
        }
        let mut ids: Vec<BusinessId> = whole.iter().map(|f| f.id).collect();
        let sorted = { let mut s = ids.clone(); s.sort_unstable(); s };
        assert_eq!(ids, sorted, "in id order");

        let f = whole.iter().find(|f| f.id == sari).expect("the business of two records");
        assert_eq!(f.name, "Keripik Pisang Bu Sari");
        assert_eq!(f.owner.as_deref(), Some("Sari Wulandari"));
        assert_eq!(f.kecamatan, Some(code("36.04.12")));
        assert_eq!(f.desa, Some(code("36.04.12.2001")));
        assert_eq!(f.kbli.iter().map(|k| k.as_str()).collect::<Vec<_>>(), vec!["10794", "47211"]);
        assert_eq!(f.permits, vec![PermitKind::Pirt]);
        assert_eq!(f.sources, vec!["dinkop".to_owned(), "pelatihan".to_owned()]);
        assert_eq!(f.years, vec![2024, 2025]);
        assert_eq!(f.class, Some(SizeClass::Micro), "the headline class: capital's");

        // By id: the same facts, in the order of the registry's rows for any order asked.
        ids.reverse();
        let mut by_id = store.umkm_search_facts_of(&officer, &kab(), &ids).await.expect("by id");
        by_id.sort_by_key(|f| f.id);
        assert_eq!(by_id, whole);
        assert!(store.umkm_search_facts_of(&officer, &kab(), &[]).await.expect("none").is_empty());
        let theirs = store.umkm_search_facts(&other, &code("36.73"), None, 10).await.expect("kota");
        assert!(store.umkm_search_facts_of(&officer, &kab(), &[theirs[0].id]).await.expect("x").is_empty(), "not across tenants");
    }

    async fn a_merged_business_drops_out_and_reviews_are_known(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let first = store
            .commit_umkm_records(&officer, &kab(), None, vec![(incoming(rec("Sate Bandeng Hj. Maryam", 2024), "dinkop", 3), new(0))])
            .await
            .unwrap();
        let existing = first.businesses[0];
        assert!(store.umkm_in_review_ids(&officer, &kab()).await.unwrap().is_empty());
        let second = store
            .commit_umkm_records(&officer, &kab(), None, vec![(
                incoming(rec("Sate Bandeng Bu Maryam", 2025), "pelatihan", 4),
                Resolution::Review {
                    cluster: 0,
                    candidate: Candidate::Business(existing),
                    weight: 4.2,
                    probability: 0.8,
                    explanation: serde_json::json!([]),
                },
            )])
            .await
            .unwrap();
        let newcomer = second.businesses[0];
        let mut both = vec![existing, newcomer];
        both.sort_unstable();
        assert_eq!(store.umkm_in_review_ids(&officer, &kab()).await.unwrap(), both);

        let reviews = store.umkm_reviews(&officer, &kab(), sinergi_store::umkm::ReviewStatus::Open, 5).await.unwrap();
        let choice = BTreeMap::from([(Field::Name, newcomer)]);
        store.merge_umkm(&officer, &kab(), existing, newcomer, &choice, Some(reviews[0].id)).await.unwrap();
        assert!(store.umkm_in_review_ids(&officer, &kab()).await.unwrap().is_empty());
        let after = store.umkm_search_facts_of(&officer, &kab(), &[existing, newcomer]).await.unwrap();
        assert_eq!(after.len(), 1, "the business merged away is not live");
        assert_eq!(after[0].id, existing);
        assert_eq!(after[0].name, "Sate Bandeng Bu Maryam");
        assert_eq!(after[0].sources, vec!["dinkop".to_owned(), "pelatihan".to_owned()], "records moved with the merge");
        assert_eq!(after[0].years, vec![2024, 2025]);
        assert_eq!(all_facts(&store, &officer, 10).await, after);
    }

    async fn the_last_import_is_known_by_its_commit(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        assert_eq!(store.umkm_last_import_at(&officer, &kab()).await.unwrap(), None);
        let file = check_spreadsheet("file", "register.csv", b"Nama Usaha\nWarung Barokah\n".to_vec(), 1 << 20)
            .expect("csv");
        let new_import = NewImport {
            source: "dinkop".into(),
            file,
            sheet: "register".into(),
            header_row: 0,
            mapping: "[\"business_name\"]".into(),
        };
        let id = store.create_umkm_import(&officer, &kab(), new_import).await.expect("upload");
        assert_eq!(store.umkm_last_import_at(&officer, &kab()).await.unwrap(), None, "uploaded, not committed");
        let rows = vec![(incoming(rec("Warung Barokah", 2025), "dinkop", 2), new(0))];
        store.commit_umkm_import(&officer, &kab(), id, rows, 0).await.expect("commit");
        let at = store.umkm_last_import_at(&officer, &kab()).await.unwrap();
        assert!(at.is_some_and(|ms| ms > 1_600_000_000_000), "{at:?}");
        let kota = actor(Role::UmkmOfficer, "36.73");
        assert_eq!(store.umkm_last_import_at(&kota, &code("36.73")).await.unwrap(), None, "per tenant");
    }

    async fn facts_need_the_right_to_view_the_registry(store: Store) {
        tenants(&store).await;
        let partner = actor(Role::Partner, "36.04");
        assert!(matches!(store.umkm_search_facts(&partner, &kab(), None, 10).await, Err(StoreError::Forbidden)));
        assert!(matches!(store.umkm_search_facts_of(&partner, &kab(), &[]).await, Err(StoreError::Forbidden)));
        assert!(matches!(store.umkm_in_review_ids(&partner, &kab()).await, Err(StoreError::Forbidden)));
        assert!(matches!(store.umkm_last_import_at(&partner, &kab()).await, Err(StoreError::Forbidden)));
        // Another Pemda's officer names our tenant: refused, not answered with theirs.
        let other = actor(Role::UmkmOfficer, "36.73");
        assert!(store.umkm_search_facts(&other, &kab(), None, 10).await.is_err());
    }
}

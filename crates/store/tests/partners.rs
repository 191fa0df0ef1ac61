//! The partner registry on both databases.

use sinergi_domain::cooperation::needs::PartnerKind;
use sinergi_domain::partners::DuplicateReason;
use sinergi_domain::{Actor, RegionCode, Role, Scope};
use sinergi_store::partners::{ContactInput, OfferInput, PartnerFilter, PartnerInput};
use sinergi_store::tenants::NewTenant;
use sinergi_store::{Store, StoreError, store_tests};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

async fn admins(store: &Store) -> (Actor, Actor) {
    let root = Actor::system("t");
    for (c, n) in [("36.73", "Kota Serang"), ("36.04", "Kabupaten Serang")] {
        store.create_tenant(&root, NewTenant::parse(c, n, None).expect("t")).await.expect("tenant");
    }
    let admin = |c: &str| Actor { role: Role::RegionAdmin, scope: Scope::Tenant(code(c)), ..Actor::system("admin") };
    (admin("36.73"), admin("36.04"))
}

fn company(name: &str, nib: &str) -> PartnerInput {
    PartnerInput::parse("company", name, "36.73", nib, "", "64121", "Perbankan", "", "", "", true).expect("input")
}

store_tests! {
    async fn partners_contacts_offers_and_look_alikes(store: Store) {
        let (kota, kab) = admins(&store).await;
        let bjb = store.create_partner(&kota, &code("36.73"), company("PT Bank BJB Tbk", "9120001234567")).await.expect("bjb");
        let similar = store.similar_partners(&kota, &company("Bank BJB", ""), None).await.expect("similar");
        assert_eq!(similar.first().map(|s| s.reason), Some(DuplicateReason::SameName), "PT and Tbk do not make a new bank");
        let same_nib = store.similar_partners(&kota, &company("Nama Lain", "9120001234567"), None).await.expect("similar");
        assert_eq!(same_nib.first().map(|s| s.reason), Some(DuplicateReason::SameNib));
        assert!(store.similar_partners(&kab, &company("Bank BJB", ""), None).await.expect("similar").is_empty(), "registries are per tenant");

        let contact = ContactInput::parse("Dewi Lestari", "Kepala Cabang", "dewi@bankbjb.co.id", "0812-3456-7890").expect("contact");
        store.add_contact(&kota, bjb.id, contact).await.expect("add contact");
        let offer = OfferInput { urusan_code: "2.17".into(), title: "KUR untuk UMKM".into(), description: "Kredit usaha rakyat".into(), area_code: Some(code("36.73")) };
        store.add_offer(&kota, bjb.id, offer).await.expect("offer");
        let detail = store.partner(&kota, bjb.id).await.expect("detail");
        assert_eq!(detail.contacts.len(), 1);
        assert_eq!(detail.contacts[0].phone.as_ref().map(|p| p.expose()), Some("+6281234567890"));
        assert_eq!(detail.offers[0].title, "KUR untuk UMKM");
        assert!(matches!(store.partner(&kab, bjb.id).await, Err(StoreError::NotFound)));
        let viewer = Actor { role: Role::Viewer, ..kota.clone() };
        assert!(store.partner(&viewer, bjb.id).await.is_ok());
        let refused = store.add_contact(&viewer, bjb.id, ContactInput::parse("X", "", "", "").expect("c")).await;
        assert!(matches!(refused, Err(StoreError::Forbidden)));
        let found = store.partners(&kota, &PartnerFilter { kind: Some(PartnerKind::Company), query: Some("bjb".into()) }).await.expect("search");
        assert_eq!(found.len(), 1);
        // The audit trail keeps a masked phone, never the number.
        let events = store
            .audit_events(&kota, &sinergi_store::audit::AuditFilter { record_type: Some(sinergi_store::audit::RecordType::Partner), ..Default::default() })
            .await
            .expect("audit");
        let text = format!("{:?}", events);
        assert!(!text.contains("81234567890") && text.contains("add_contact"), "{text}");
    }
}

#[test]
fn region_partners_need_a_region_code() {
    let errors =
        PartnerInput::parse("region", "Pemkab Serang", "", "", "", "", "", "", "", "", true).expect_err("no code");
    assert_eq!(errors[0].reason, "region-required");
    let bad = PartnerInput::parse("company", "", "3604", "123", "x", "ZZ", "", "", "", "", true).expect_err("bad");
    let fields: Vec<&str> = bad.iter().map(|e| e.field).collect();
    assert_eq!(fields, vec!["name", "region_code", "nib", "npwp", "kbli"]);
}

//! Demand matching on both databases: an SPPG posts a demand for eggs; the supplier facts feed
//! the engine, which ranks the local egg producer first; the top suppliers are notified (outbox
//! mail to the claimed owner); the owner sees only the demands it was notified of and offers; the
//! buyer accepts; the deal's value is counted as captured locally. Another Pemda sees nothing,
//! a stranger cannot offer, illegal steps are refused, every write is audited.

use sinergi_domain::auth::Email;
use sinergi_domain::market::demand::{DemandForm, DemandStatus, OfferForm, OfferStatus};
use sinergi_domain::umkm::{Nib, Permit, PermitKind, SourceRecord};
use sinergi_domain::{Actor, BusinessId, KbliCode, PartnerId, RegionCode, Role, Scope};
use sinergi_engines::supply::{DemandQuery, SupplierRef, SupplyIndex, monthly};
use sinergi_store::audit::{AuditFilter, RecordType};
use sinergi_store::partners::PartnerInput;
use sinergi_store::tenants::NewTenant;
use sinergi_store::umkm::{Incoming, NewClaim, Origin, Provenance, SeedBusiness};
use sinergi_store::users::NewUser;
use sinergi_store::{Store, StoreError, dummy_hash, store_tests};
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 24);

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn actor(role: Role, c: &str) -> Actor {
    Actor { role, scope: Scope::Tenant(code(c)), label: format!("{role} {c}"), ..Actor::system("a") }
}

fn kab() -> RegionCode {
    code("36.04")
}

async fn setup(store: &Store) -> Vec<BusinessId> {
    for (c, name) in [("36.04", "Kabupaten Serang"), ("36.73", "Kota Serang")] {
        store.create_tenant(&Actor::system("t"), NewTenant::parse(c, name, None).expect("t")).await.expect("tenant");
    }
    let officer = actor(Role::UmkmOfficer, "36.04");
    let list = [
        ("Peternakan Telur Berkah Cikande", "36.04.15.2001", "01462", "telur ayam ras"),
        ("Telur Ayam Kibin Jaya", "36.04.16.2001", "01462", "telur ayam"),
        ("Keripik Emping Tanara", "36.04.14.2001", "10794", "emping melinjo"),
    ];
    let seeds = list
        .iter()
        .enumerate()
        .map(|(i, (name, desa, kbli, products))| {
            let desa = code(desa);
            let record = SourceRecord {
                business_name: (*name).into(),
                kecamatan: desa.parent(),
                desa: Some(desa),
                kbli: vec![KbliCode::parse(kbli).expect("kbli")],
                nib: Some(Nib::parse(&format!("91200{i:08}")).expect("nib")),
                products: Some((*products).into()),
                year: 2025,
                ..SourceRecord::default()
            };
            SeedBusiness {
                incoming: Incoming {
                    raw: vec![],
                    record,
                    provenance: Provenance {
                        source: "pendataan".into(),
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
    let ids = store.seed_umkm_businesses(&officer, &kab(), seeds).await.expect("seed");
    store
        .add_umkm_permit(
            &officer,
            &kab(),
            ids[0],
            Permit { kind: PermitKind::Nib, number: "9120000000000".into(), issued: None, expires: None },
        )
        .await
        .expect("permit");
    ids
}

async fn partner(store: &Store, kind: &str, name: &str) -> PartnerId {
    let input = PartnerInput::parse(kind, name, "36.04", "", "", "", "", "", "", "", true).expect("partner input");
    store.create_partner(&actor(Role::RegionAdmin, "36.04"), &kab(), input).await.expect("partner").id
}

async fn user(store: &Store, role: Role, email: &str, partner_id: Option<PartnerId>) -> Actor {
    let admin = actor(Role::RegionAdmin, "36.04");
    let u = store
        .create_user(
            &admin,
            NewUser {
                tenant: Some(kab()),
                agency_id: None,
                partner_id,
                email: Email::parse(email).expect("email"),
                name: email.into(),
                role,
                password_hash: dummy_hash(),
            },
        )
        .await
        .expect("user");
    Actor { user_id: u.id, partner: partner_id, ..actor(role, "36.04") }
}

fn eggs_form() -> DemandForm {
    DemandForm {
        buyer_kind: "sppg".into(),
        title: "Telur ayam ras untuk MBG".into(),
        category: "pertanian".into(),
        kbli: "01462".into(),
        description: "Telur ayam ras segar, 3.000 porsi sehari".into(),
        quantity: "1.200".into(),
        unit: "kg".into(),
        frequency: "mingguan".into(),
        region: "36.04.15.2001".into(),
        permits: vec!["nib".into()],
        price_min: "26.000".into(),
        price_max: "29.000".into(),
        deadline: "2026-12-31".into(),
    }
}

store_tests! {
    async fn a_demand_goes_from_matching_to_a_deal(store: Store) {
        let ids = setup(&store).await;
        let sppg = partner(&store, "company", "SPPG Cikande").await;
        let buyer = user(&store, Role::Partner, "sppg@cikande.id", Some(sppg)).await;
        let owner = user(&store, Role::UmkmOwner, "berkah@telur.id", None).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        // The owner claims the egg farm; the officer verifies the claim.
        let claim = store
            .claim_umkm(&owner, &kab(), NewClaim { business: ids[0], nik: None, phone: None, note: None })
            .await
            .expect("claim");
        store.decide_umkm_claim(&officer, &kab(), claim, true, "").await.expect("verify");

        let draft = eggs_form().parse(TODAY).expect("form");
        let id = store.create_demand(&buyer, &kab(), None, draft.clone()).await.expect("demand");
        let viewer = actor(Role::Viewer, "36.04");
        assert!(matches!(store.create_demand(&viewer, &kab(), Some(sppg), draft.clone()).await, Err(StoreError::Forbidden)));
        let other = actor(Role::RegionAdmin, "36.73");
        assert!(matches!(store.demand(&other, &kab(), id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.demand(&actor(Role::RegionAdmin, "36.73"), &code("36.73"), id).await, Err(StoreError::NotFound)));

        // The engine, fed from the store, ranks the egg farm of the same desa first, the one of
        // the next kecamatan second; the snack maker agrees on nothing asked for.
        let kmp = partner(&store, "cooperative", "Koperasi Merah Putih Cikande").await;
        let facts = store.supplier_facts(&Actor::system("supply"), &kab()).await.expect("facts");
        assert!(facts.iter().any(|f| f.id == SupplierRef::Partner(kmp)), "a cooperative is a supplier too");
        assert!(!facts.iter().any(|f| f.id == SupplierRef::Partner(sppg)), "a company buys here, it does not supply");
        let index = SupplyIndex::build(facts);
        let query = DemandQuery {
            kbli: draft.kbli.clone(),
            category: draft.category,
            text: format!("{} {}", draft.title, draft.description),
            region: Some(draft.region.clone()),
            permits: draft.permits.clone(),
            monthly_quantity: Some(monthly(draft.quantity, draft.frequency)),
            on: draft.deadline,
        };
        let top = index.top(&query, 20);
        assert_eq!(top.len(), 2, "{top:?}");
        assert_eq!(top[0].supplier, SupplierRef::Business(ids[0]));

        // The owner sees nothing before being notified.
        assert!(store.demands(&owner, &kab()).await.unwrap().is_empty());
        assert!(matches!(store.demand(&owner, &kab(), id).await, Err(StoreError::NotFound)));
        let link = format!("/permintaan/{id}");
        assert!(matches!(
            store.notify_demand_suppliers(&owner, &kab(), id, &top, &link).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(store.notify_demand_suppliers(&buyer, &kab(), id, &top, &link).await.unwrap(), 2);
        assert_eq!(store.notify_demand_suppliers(&buyer, &kab(), id, &top, &link).await.unwrap(), 0, "once only");
        let mails = store.due_mail(10).await.expect("outbox");
        assert!(mails.iter().any(|m| m.to == "berkah@telur.id" && m.subject.contains("Telur ayam ras")), "{mails:?}");

        // The owner now sees the demand and offers for the farm.
        let seen = store.demands(&owner, &kab()).await.unwrap();
        assert_eq!(seen.len(), 1);
        let detail = store.demand(&owner, &kab(), id).await.unwrap();
        assert!(!detail.may_decide);
        assert_eq!(detail.may_offer_as.len(), 1);
        let too_much = OfferForm { price: "27.500".into(), quantity: "5.000".into(), delivery_on: "2026-12-01".into(), note: String::new() };
        let errs = too_much.parse(detail.demand.quantity, detail.demand.deadline, TODAY).unwrap_err();
        assert!(errs.iter().any(|e| e.field == "quantity"));
        let offer = OfferForm { quantity: "1.200".into(), ..too_much }.parse(detail.demand.quantity, detail.demand.deadline, TODAY).unwrap();
        let supplier = SupplierRef::Business(ids[0]);
        let stranger = user(&store, Role::UmkmOwner, "lain@contoh.id", None).await;
        assert!(matches!(store.submit_demand_offer(&stranger, &kab(), id, supplier, offer.clone()).await, Err(StoreError::NotFound)));
        assert!(matches!(
            store.submit_demand_offer(&owner, &kab(), id, SupplierRef::Business(ids[1]), offer.clone()).await,
            Err(StoreError::Invalid(f)) if f.field == "supplier"
        ));
        let offer_id = store.submit_demand_offer(&owner, &kab(), id, supplier, offer).await.expect("offer");
        assert_eq!(store.demand(&buyer, &kab(), id).await.unwrap().demand.status, DemandStatus::Offered);

        // Only the buyer's side decides; the deal is price × quantity.
        assert!(matches!(store.accept_demand_offer(&owner, &kab(), id, offer_id, TODAY).await, Err(StoreError::Forbidden)));
        let value = store.accept_demand_offer(&buyer, &kab(), id, offer_id, TODAY).await.expect("accept");
        assert_eq!(value, 27_500 * 1_200);
        let done = store.demand(&buyer, &kab(), id).await.unwrap();
        assert_eq!(done.demand.status, DemandStatus::Deal);
        assert_eq!(done.offers[0].status, OfferStatus::Accepted);
        assert!(store.accept_demand_offer(&buyer, &kab(), id, offer_id, TODAY).await.is_err(), "a deal is final");
        assert!(matches!(store.close_demand(&buyer, &kab(), id).await, Err(StoreError::Invalid(f)) if f.reason == "not-next"));

        // Value captured locally and the funnel.
        let admin = actor(Role::RegionAdmin, "36.04");
        let value_rows = store.demand_value_captured(&admin, &kab()).await.unwrap();
        assert_eq!(value_rows.len(), 1);
        assert_eq!(value_rows[0].month, "2026-11");
        assert_eq!(value_rows[0].value, 33_000_000);
        let funnel = store.demand_funnel(&admin, &kab()).await.unwrap();
        assert_eq!((funnel.demands, funnel.with_offers, funnel.deals, funnel.value), (1, 1, 1, 33_000_000));
        assert!(matches!(store.demand_funnel(&owner, &kab()).await, Err(StoreError::Forbidden)));
        // Money kept local: the deal's line names the buyer and the farm that supplies.
        let kept = store.money_kept_local(&admin, &kab(), None).await.expect("kept local");
        assert_eq!((kept.totals.deals, kept.totals.deal_count, kept.totals.retribution), (33_000_000, 1, 0));
        assert_eq!(kept.lines.len(), 1);
        assert_eq!(kept.lines[0].record_id, id.as_uuid());
        assert_eq!(kept.lines[0].payee.as_deref(), Some(done.offers[0].supplier_name.as_str()));
        assert_eq!(kept.lines[0].payer, done.demand.buyer_name);
        assert!(matches!(store.money_kept_local(&owner, &kab(), None).await, Err(StoreError::Forbidden)));
        // The deal counts for the farm next time.
        let facts = store.supplier_facts(&Actor::system("supply"), &kab()).await.unwrap();
        assert_eq!(facts.iter().find(|f| f.id == supplier).unwrap().past_deals, 1);

        let filter = AuditFilter { record_type: Some(RecordType::Market), limit: 100, ..Default::default() };
        let actions: Vec<String> = store.audit_events(&admin, &filter).await.unwrap().into_iter().map(|e| e.action).collect();
        for a in ["create_demand", "notify_demand_suppliers", "submit_demand_offer", "accept_demand_offer"] {
            assert!(actions.iter().any(|x| x == a), "{a} not audited: {actions:?}");
        }
        assert!(store.supply_version(&admin, &kab()).await.unwrap() > 0);
    }

    async fn officers_post_for_a_buyer_and_close(store: Store) {
        setup(&store).await;
        let canteen = partner(&store, "company", "PT Kantin Cikande").await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let mut form = eggs_form();
        form.buyer_kind = "industri".into();
        let draft = form.parse(TODAY).unwrap();
        assert!(matches!(
            store.create_demand(&officer, &kab(), None, draft.clone()).await,
            Err(StoreError::Invalid(f)) if f.field == "buyer"
        ));
        let foreign = PartnerId::new();
        assert!(matches!(
            store.create_demand(&officer, &kab(), Some(foreign), draft.clone()).await,
            Err(StoreError::Invalid(f)) if f.field == "buyer"
        ));
        let id = store.create_demand(&officer, &kab(), Some(canteen), draft).await.expect("demand");
        let list = store.demands(&officer, &kab()).await.unwrap();
        assert_eq!(list[0].buyer_name, "PT Kantin Cikande");
        assert_eq!(list[0].status_on(date!(2027 - 01 - 01)), DemandStatus::Expired);
        // Another partner's user sees nothing of it.
        let other = partner(&store, "company", "PT Lain").await;
        let other_user = user(&store, Role::Partner, "lain@pt.id", Some(other)).await;
        assert!(store.demands(&other_user, &kab()).await.unwrap().is_empty());
        assert!(matches!(store.close_demand(&other_user, &kab(), id).await, Err(StoreError::NotFound)));
        // What changed since a version is read again, and only that (the index's upserts).
        let system = Actor::system("supply");
        let before = store.supply_version(&system, &kab()).await.unwrap();
        let (none, gone) = store.supplier_facts_changed(&system, &kab(), before).await.unwrap().expect("few changes");
        assert!(none.is_empty() && gone.is_empty(), "nothing changed since");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let kmp = partner(&store, "cooperative", "Koperasi Merah Putih Kibin").await;
        let (ups, _) = store.supplier_facts_changed(&system, &kab(), before).await.unwrap().expect("few changes");
        assert_eq!(ups.iter().map(|f| f.id).collect::<Vec<_>>(), vec![SupplierRef::Partner(kmp)]);
        store.close_demand(&officer, &kab(), id).await.expect("close");
        assert_eq!(store.demand(&officer, &kab(), id).await.unwrap().demand.status, DemandStatus::Closed);
        assert_eq!(store.demand_funnel(&officer, &kab()).await.unwrap().deals, 0);
    }
}

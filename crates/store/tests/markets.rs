//! Markets on both databases: the checklist gates a retailer's pipeline (the registry answers
//! NIB, NPWP and permits valid today, officers tick the rest); an SPPG kitchen short of
//! suppliers or dominated by one, and the local producers suggested for it, nearest first;
//! Koperasi Merah Putih acceptance recorded as a membership; KUR ceilings; a bank's user sees
//! and moves only its bank's referrals; another Pemda sees nothing; every write audited.

use sinergi_domain::market::{ChannelKind, Nearness, ReferralStatus, Requirement, Stage};
use sinergi_domain::umkm::{Nib, Npwp, Permit, PermitKind, SourceRecord};
use sinergi_domain::{Actor, BusinessId, KbliCode, PartnerId, RegionCode, Role, Scope};
use sinergi_store::audit::{AuditFilter, RecordType};
use sinergi_store::markets::{ChannelInput, ReferralFilter, ReferralInput, ReferralMove, SchemeInput};
use sinergi_store::partners::PartnerInput;
use sinergi_store::tenants::NewTenant;
use sinergi_store::umkm::{Incoming, Origin, Provenance, SeedBusiness};
use sinergi_store::{Store, StoreError, store_tests};
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 01 - 30);

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn actor(role: Role, c: &str) -> Actor {
    Actor { role, scope: Scope::Tenant(code(c)), label: format!("{role} {c}"), ..Actor::system("a") }
}

fn invalid(e: StoreError) -> (&'static str, &'static str) {
    match e {
        StoreError::Invalid(f) => (f.field, f.reason),
        other => panic!("expected a field error, got {other:?}"),
    }
}

struct Biz {
    name: &'static str,
    desa: &'static str,
    kbli: &'static str,
    nib: bool,
    npwp: bool,
    permits: Vec<Permit>,
}

fn biz(name: &'static str, desa: &'static str, kbli: &'static str, nib: bool) -> Biz {
    Biz { name, desa, kbli, nib, npwp: false, permits: vec![] }
}

async fn seed(store: &Store, list: Vec<Biz>) -> Vec<BusinessId> {
    let officer = actor(Role::UmkmOfficer, "36.04");
    let mut permits = Vec::new();
    let seeds = list
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let desa = code(b.desa);
            permits.push(b.permits);
            let record = SourceRecord {
                business_name: b.name.into(),
                kecamatan: desa.parent(),
                desa: Some(desa),
                kbli: vec![KbliCode::parse(b.kbli).expect("kbli")],
                nib: b.nib.then(|| Nib::parse(&format!("91200{i:08}")).expect("nib")),
                npwp: b.npwp.then(|| Npwp::parse(&format!("01.234.567.{i}-401.000")).expect("npwp")),
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
    let ids = store.seed_umkm_businesses(&officer, &code("36.04"), seeds).await.expect("seed");
    // Permits come in as an officer enters them, each its own source record.
    for (id, list) in ids.iter().zip(permits) {
        for p in list {
            store.add_umkm_permit(&officer, &code("36.04"), *id, p).await.expect("permit");
        }
    }
    ids
}

async fn tenants(store: &Store) {
    for (c, name) in [("36.04", "Kabupaten Serang"), ("36.73", "Kota Serang")] {
        store.create_tenant(&Actor::system("t"), NewTenant::parse(c, name, None).expect("t")).await.expect("tenant");
    }
}

async fn partner(store: &Store, kind: &str, name: &str) -> PartnerId {
    let input = PartnerInput::parse(kind, name, "36.04", "", "", "", "", "", "", "", true).expect("partner input");
    store.create_partner(&actor(Role::RegionAdmin, "36.04"), &code("36.04"), input).await.expect("partner").id
}

fn permit(kind: PermitKind, expires: Option<Date>) -> Permit {
    Permit { kind, number: format!("{}-1", kind.slug()), issued: None, expires }
}

async fn market_events(store: &Store) -> Vec<String> {
    let filter = AuditFilter { record_type: Some(RecordType::Market), limit: 1000, ..Default::default() };
    let mut v: Vec<String> = store
        .audit_events(&actor(Role::RegionAdmin, "36.04"), &filter)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    v.sort();
    v
}

store_tests! {
    async fn the_checklist_gates_a_retail_pipeline(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let t = code("36.04");
        let ids = seed(&store, vec![
            Biz { npwp: true, permits: vec![permit(PermitKind::Pirt, Some(date!(2027 - 12 - 31))), permit(PermitKind::Halal, None)], ..biz("Keripik Emping Tanara", "36.04.14.2001", "10794", true) },
            Biz { npwp: true, permits: vec![permit(PermitKind::Pirt, Some(date!(2025 - 12 - 31)))], ..biz("Sambal Roa Kibin", "36.04.16.2001", "10794", true) },
        ]).await;
        let indomaret = partner(&store, "retailer", "PT Indomarco Prismatama (Indomaret)").await;
        let input = ChannelInput {
            kind: ChannelKind::ModernRetail, name: "Indomaret Serang".into(), partner_id: Some(indomaret),
            desa: None, daily_portions: None, contact: None,
            requirements: Some(vec![Requirement::Nib, Requirement::Npwp, Requirement::Pirt, Requirement::Halal, Requirement::Label]),
        };
        // A partner's channel names its partner.
        let e = store.create_channel(&officer, &t, ChannelInput { partner_id: None, ..input.clone() }).await.unwrap_err();
        assert_eq!(invalid(e), ("partner_id", "required"));
        let channel = store.create_channel(&officer, &t, input).await.expect("channel");
        let good = store.add_channel_entry(&officer, &t, channel, ids[0], date!(2026 - 01 - 05), TODAY).await.expect("entry");
        let expired = store.add_channel_entry(&officer, &t, channel, ids[1], date!(2026 - 01 - 05), TODAY).await.expect("entry");
        let again = store.add_channel_entry(&officer, &t, channel, ids[0], TODAY, TODAY).await.unwrap_err();
        assert!(matches!(again, StoreError::Conflict { field: "business" }), "once per channel: {again:?}");

        // The label is the officer's to tick; until then the stage is refused, naming it.
        let e = store.move_channel_entry(&officer, &t, good, Stage::RequirementsMet, TODAY, TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("stage", "requirements-missing"));
        let (_, row) = store.channel_entry(&officer, &t, good, TODAY).await.expect("entry");
        assert_eq!(row.missing, vec![Requirement::Label]);
        // A tick cannot stand in for a permit the registry lacks: the expired P-IRT stays missing.
        store.tick_channel_entry(&officer, &t, expired, &[Requirement::Label, Requirement::Pirt, Requirement::Halal], TODAY).await.expect("tick");
        let (_, row) = store.channel_entry(&officer, &t, expired, TODAY).await.expect("entry");
        assert_eq!(row.ticked, vec![Requirement::Label]);
        assert_eq!(row.missing, vec![Requirement::Pirt, Requirement::Halal]);
        let e = store.move_channel_entry(&officer, &t, expired, Stage::RequirementsMet, TODAY, TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("stage", "requirements-missing"));

        store.tick_channel_entry(&officer, &t, good, &[Requirement::Label], TODAY).await.expect("tick");
        // Dates: not before the previous stage, not in the future.
        let e = store.move_channel_entry(&officer, &t, good, Stage::RequirementsMet, date!(2026 - 01 - 04), TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("on", "date-before-previous"));
        let e = store.move_channel_entry(&officer, &t, good, Stage::RequirementsMet, date!(2026 - 02 - 01), TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("on", "date-in-future"));
        let e = store.move_channel_entry(&officer, &t, good, Stage::Supplying, TODAY, TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("stage", "not-next"));
        for (stage, on) in [(Stage::RequirementsMet, date!(2026 - 01 - 10)), (Stage::Accepted, date!(2026 - 01 - 20)), (Stage::Supplying, TODAY)] {
            assert_eq!(store.move_channel_entry(&officer, &t, good, stage, on, TODAY).await.expect("move"), stage);
        }
        store.move_channel_entry(&officer, &t, expired, Stage::Declined, TODAY, TODAY).await.expect("decline");
        let (_, row) = store.channel_entry(&officer, &t, good, TODAY).await.expect("entry");
        assert_eq!((row.stage, row.accepted_on), (Stage::Supplying, Some(date!(2026 - 01 - 20))));

        let summary = store.channels(&officer, &t, TODAY).await.expect("channels");
        let f = &summary[0].funnel;
        assert_eq!((f.submitted, f.requirements_met, f.accepted, f.supplying, f.declined), (2, 1, 1, 1, 1));
        // A viewer reads; a viewer does not write.
        let viewer = actor(Role::Viewer, "36.04");
        assert_eq!(store.channels(&viewer, &t, TODAY).await.expect("viewer reads").len(), 1);
        assert!(matches!(store.tick_channel_entry(&viewer, &t, good, &[], TODAY).await, Err(StoreError::Forbidden)));

        // Another Pemda: not found, whatever the path.
        let kota = actor(Role::UmkmOfficer, "36.73");
        assert!(matches!(store.channel(&kota, &code("36.73"), channel).await, Err(StoreError::NotFound)));
        assert!(matches!(store.channel(&kota, &t, channel).await, Err(StoreError::NotFound)));
        assert!(matches!(store.move_channel_entry(&kota, &code("36.73"), good, Stage::Withdrawn, TODAY, TODAY).await, Err(StoreError::NotFound)));
        assert!(store.channels(&kota, &code("36.73"), TODAY).await.expect("own").is_empty());

        let events = market_events(&store).await;
        assert_eq!(events.iter().filter(|a| *a == "move_channel_entry").count(), 4);
        assert_eq!(events.iter().filter(|a| *a == "add_channel_entry").count(), 2);
        assert_eq!(events.iter().filter(|a| *a == "tick_channel_entry").count(), 2);
        assert_eq!(events.iter().filter(|a| *a == "create_channel").count(), 1);
    }

    async fn a_kitchen_short_of_suppliers_is_shown_local_producers_nearest_first(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let t = code("36.04");
        let ids = seed(&store, vec![
            biz("Peternak Telur Cikande A", "36.04.15.2001", "01462", true),
            biz("Peternak Telur Cikande B", "36.04.15.2001", "01462", true),
            biz("Peternak Telur Cikande C", "36.04.15.2001", "01462", true),
            biz("Sayur Parigi", "36.04.15.2004", "01131", true),
            biz("Telur Kibin", "36.04.16.2001", "01462", true),
            biz("Telur Tanpa NIB", "36.04.15.2001", "01462", false),
            biz("Warung Cikande", "36.04.15.2001", "47111", true),
        ]).await;
        let kitchen = ChannelInput {
            kind: ChannelKind::Mbg, name: "SPPG Cikande".into(), partner_id: None,
            desa: Some(code("36.04.15.2001")), daily_portions: Some(3000), contact: Some("Ibu Kepala SPPG".into()),
            requirements: None,
        };
        let e = store.create_channel(&officer, &t, ChannelInput { desa: None, ..kitchen.clone() }).await.unwrap_err();
        assert_eq!(invalid(e), ("desa", "required"));
        let e = store.create_channel(&officer, &t, ChannelInput { desa: Some(code("36.73.01.1001")), ..kitchen.clone() }).await.unwrap_err();
        assert_eq!(invalid(e), ("desa", "invalid-region-code"));
        let k = store.create_channel(&officer, &t, kitchen).await.expect("kitchen");
        assert_eq!(store.channel(&officer, &t, k).await.expect("k").requirements, vec![Requirement::Nib, Requirement::Capacity]);

        // Three producers supplying, one of them far more than the others.
        for (i, value) in [(0, 8_000_000), (1, 1_000_000), (2, 1_000_000)] {
            let e = store.add_channel_entry(&officer, &t, k, ids[i], date!(2026 - 01 - 02), TODAY).await.expect("entry");
            let err = store.set_monthly_supply(&officer, &t, e, Some(value), TODAY).await.unwrap_err();
            assert_eq!(invalid(err), ("monthly_supply", "supply-not-supplying"));
            store.tick_channel_entry(&officer, &t, e, &[Requirement::Capacity], TODAY).await.expect("tick");
            for s in [Stage::RequirementsMet, Stage::Accepted, Stage::Supplying] {
                store.move_channel_entry(&officer, &t, e, s, TODAY, TODAY).await.expect("move");
            }
            store.set_monthly_supply(&officer, &t, e, Some(value), TODAY).await.expect("supply");
        }
        let summary = store.channels(&officer, &t, TODAY).await.expect("channels");
        let health = summary[0].kitchen.as_ref().expect("a kitchen's health");
        assert_eq!((health.suppliers, health.short_by, health.monthly_total), (3, 12, 10_000_000));
        let (who, name, share) = health.dominant.clone().expect("dominant");
        assert_eq!((who, name.as_str(), share), (ids[0], "Peternak Telur Cikande A", 80));
        assert!(!health.healthy());

        // Suggestions: not those already supplying, not without an NIB, not a shop; same
        // kecamatan before the rest of the kabupaten; capacity left for the officer to check.
        let s = store.kitchen_suggestions(&officer, &t, k, 10, TODAY).await.expect("suggestions");
        let names: Vec<(&str, Nearness)> = s.iter().map(|s| (s.name.as_str(), s.nearness)).collect();
        assert_eq!(names, vec![("Sayur Parigi", Nearness::SameKecamatan), ("Telur Kibin", Nearness::SameKabKota)]);
        assert_eq!(s[0].to_check, vec![Requirement::Capacity]);
        let kota = actor(Role::UmkmOfficer, "36.73");
        assert!(matches!(store.kitchen_suggestions(&kota, &code("36.73"), k, 10, TODAY).await, Err(StoreError::NotFound)));
    }

    async fn koperasi_merah_putih_acceptance_is_a_membership(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let t = code("36.04");
        let ids = seed(&store, vec![biz("Telur Asin Tanara", "36.04.14.2001", "01462", true)]).await;
        let kmp = partner(&store, "cooperative", "Koperasi Merah Putih Desa Tanara").await;
        let c = store.create_channel(&officer, &t, ChannelInput {
            kind: ChannelKind::Cooperative, name: "Koperasi Merah Putih Desa Tanara".into(), partner_id: Some(kmp),
            desa: Some(code("36.04.14.2001")), daily_portions: None, contact: None, requirements: None,
        }).await.expect("channel");
        let e = store.add_channel_entry(&officer, &t, c, ids[0], TODAY, TODAY).await.expect("entry");
        store.move_channel_entry(&officer, &t, e, Stage::RequirementsMet, TODAY, TODAY).await.expect("met");
        let before = store.umkm_business(&officer, &t, ids[0]).await.expect("business");
        assert!(before.memberships.is_empty());
        store.move_channel_entry(&officer, &t, e, Stage::Accepted, TODAY, TODAY).await.expect("accepted");
        let after = store.umkm_business(&officer, &t, ids[0]).await.expect("business");
        assert_eq!(after.memberships, vec!["Koperasi Merah Putih Desa Tanara".to_owned()]);
        store.move_channel_entry(&officer, &t, e, Stage::Withdrawn, TODAY, TODAY).await.expect("withdrawn");
        assert!(store.umkm_business(&officer, &t, ids[0]).await.expect("business").memberships.is_empty());
    }

    async fn referrals_keep_to_ceilings_and_banks_see_their_own(store: Store) {
        tenants(&store).await;
        let officer = actor(Role::UmkmOfficer, "36.04");
        let t = code("36.04");
        let ids = seed(&store, vec![biz("Telur Kibin", "36.04.16.2001", "01462", true), biz("Sayur Parigi", "36.04.15.2004", "01131", true)]).await;
        let bjb = partner(&store, "bank", "Bank BJB Cabang Serang").await;
        let bri = partner(&store, "bank", "BRI Unit Cikande").await;
        let shop = partner(&store, "retailer", "Alfamart").await;

        let schemes = store.financing_schemes(&officer, &t).await.expect("schemes");
        assert_eq!(schemes.iter().map(|s| (s.code.as_str(), s.ceiling)).collect::<Vec<_>>(),
            vec![("kur-super-mikro", 10_000_000), ("kur-mikro", 100_000_000), ("kur-kecil", 500_000_000)]);
        let referral = |business, partner_id, scheme: &str, amount| ReferralInput {
            business, partner_id, scheme_code: scheme.into(), amount_asked: amount,
            purpose: "Tambah kandang dan pakan".into(), on: date!(2026 - 01 - 10),
        };
        let e = store.create_referral(&officer, &t, referral(ids[0], bjb, "kur-super-mikro", 12_000_000), TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("amount_asked", "above-ceiling"));
        let e = store.create_referral(&officer, &t, referral(ids[0], shop, "kur-mikro", 12_000_000), TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("partner_id", "invalid-choice"));
        // The Pemda raises the super mikro ceiling: the same amount now fits.
        store.save_financing_scheme(&officer, &t, SchemeInput { code: "kur-super-mikro".into(), name: "KUR Super Mikro".into(), partner_id: None, ceiling: 15_000_000, active: true }).await.expect("edit");
        let mine = store.create_referral(&officer, &t, referral(ids[0], bjb, "kur-super-mikro", 12_000_000), TODAY).await.expect("referral");
        let theirs = store.create_referral(&officer, &t, referral(ids[1], bri, "kur-mikro", 50_000_000), TODAY).await.expect("referral");
        // A scheme bound to one bank is not sent to another.
        store.save_financing_scheme(&officer, &t, SchemeInput { code: "kur-bjb".into(), name: "KUR BJB".into(), partner_id: Some(bjb), ceiling: 100_000_000, active: true }).await.expect("scheme");
        let e = store.create_referral(&officer, &t, referral(ids[1], bri, "kur-bjb", 1_000_000), TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("partner_id", "scheme-other-bank"));

        let banker = Actor { partner: Some(bjb), ..actor(Role::Partner, "36.04") };
        let seen = store.referrals(&banker, &t, &ReferralFilter::default()).await.expect("bank's list");
        assert_eq!(seen.iter().map(|r| r.id).collect::<Vec<_>>(), vec![mine]);
        assert_eq!(store.referrals(&officer, &t, &ReferralFilter::default()).await.expect("all").len(), 2);
        assert!(matches!(store.referral(&banker, &t, theirs).await, Err(StoreError::NotFound)));
        let step = |to, on| ReferralMove { to, on, amount_approved: None, amount_disbursed: None, decline_reason: None, note: None };
        assert!(matches!(store.move_referral(&banker, &t, theirs, step(ReferralStatus::Assessed, TODAY), TODAY).await, Err(StoreError::NotFound)));
        let owner = actor(Role::UmkmOwner, "36.04");
        assert!(matches!(store.referrals(&owner, &t, &ReferralFilter::default()).await, Err(StoreError::Forbidden)));
        assert!(matches!(store.referral(&owner, &t, mine).await, Err(StoreError::Forbidden)));

        store.move_referral(&banker, &t, mine, step(ReferralStatus::Assessed, date!(2026 - 01 - 15)), TODAY).await.expect("assessed");
        let e = store.move_referral(&banker, &t, mine, step(ReferralStatus::Approved, TODAY), TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("amount_approved", "required"));
        store.move_referral(&banker, &t, mine, ReferralMove { amount_approved: Some(10_000_000), ..step(ReferralStatus::Approved, date!(2026 - 01 - 20)) }, TODAY).await.expect("approved");
        let e = store.move_referral(&banker, &t, mine, ReferralMove { amount_disbursed: Some(11_000_000), ..step(ReferralStatus::Disbursed, TODAY) }, TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("amount_disbursed", "above-approved"));
        store.move_referral(&banker, &t, mine, ReferralMove { amount_disbursed: Some(10_000_000), ..step(ReferralStatus::Disbursed, TODAY) }, TODAY).await.expect("disbursed");
        let r = store.referral(&officer, &t, mine).await.expect("referral");
        assert_eq!((r.status, r.amount_approved, r.amount_disbursed), (ReferralStatus::Disbursed, Some(10_000_000), Some(10_000_000)));
        assert_eq!(r.events.iter().map(|e| e.to).collect::<Vec<_>>(), vec![
            ReferralStatus::Referred, ReferralStatus::Assessed, ReferralStatus::Approved, ReferralStatus::Disbursed,
        ]);
        assert_eq!(r.events[3].by, banker.label);
        // The officer records a decline for the other bank, with its reason.
        let e = store.move_referral(&officer, &t, theirs, step(ReferralStatus::Declined, TODAY), TODAY).await.unwrap_err();
        assert_eq!(invalid(e), ("decline_reason", "required"));
        store.move_referral(&officer, &t, theirs, ReferralMove { decline_reason: Some("Usaha belum 6 bulan".into()), ..step(ReferralStatus::Declined, TODAY) }, TODAY).await.expect("declined");

        let kota = actor(Role::UmkmOfficer, "36.73");
        assert!(matches!(store.referral(&kota, &code("36.73"), mine).await, Err(StoreError::NotFound)));
        assert!(store.referrals(&kota, &code("36.73"), &ReferralFilter::default()).await.expect("own").is_empty());
        let events = market_events(&store).await;
        assert_eq!(events.iter().filter(|a| *a == "move_referral").count(), 4);
        assert_eq!(events.iter().filter(|a| *a == "create_referral").count(), 2);
        assert_eq!(events.iter().filter(|a| *a == "save_financing_scheme").count(), 2);
    }
}

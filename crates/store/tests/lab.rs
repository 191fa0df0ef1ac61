//! The Labkesda on both databases: a factory's wastewater order goes from registration to a
//! published certificate; its payment counts as the cooperation's PAD; illegal steps are
//! refused naming the state; the analyst cannot verify; another company and another Pemda
//! see nothing; a retraction opens a new version and voids the certificate.

use sinergi_domain::cooperation::agreement::AgreementKind;
use sinergi_domain::cooperation::outcomes::OutcomeKind;
use sinergi_domain::lab::{Limit, Medium, OrderStatus, Step, Verdict};
use sinergi_domain::{Actor, KbliCode, LabParameterId, PartnerId, RegionCode, Role, Scope, UserId};
use sinergi_engines::supply::{DemandQuery, SupplierRef, SupplyIndex};
use sinergi_store::agreements::{NewAgreement, Party};
use sinergi_store::lab::{LabOrderFilter, NewLabOrder, NewLabPackage, NewLabParameter, Payment, TariffItem};
use sinergi_store::partners::PartnerInput;
use sinergi_store::tenants::NewTenant;
use sinergi_store::{Store, StoreError, store_tests};
use time::macros::date;

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn actor(role: Role, c: &str, label: &str) -> Actor {
    Actor { user_id: UserId::new(), role, scope: Scope::Tenant(code(c)), label: label.into(), ..Actor::system("a") }
}

const PERDA: &str = "Perda Kota Serang No. 5 Tahun 2024 tentang Retribusi Jasa Umum";

struct Setup {
    officer: Actor,
    kota: RegionCode,
    factory: PartnerId,
    other_factory: PartnerId,
    local_shop: PartnerId,
    bod: LabParameterId,
    ph: LabParameterId,
    package: sinergi_domain::LabPackageId,
    agreement: sinergi_domain::AgreementId,
}

async fn setup(store: &Store) -> Setup {
    let root = Actor::system("t");
    for (c, n) in [("36.73", "Kota Serang"), ("36.04", "Kabupaten Serang"), ("36.71", "Kota Tangerang")] {
        store.create_tenant(&root, NewTenant::parse(c, n, None).expect("t")).await.expect("tenant");
    }
    let kota = code("36.73");
    let officer = actor(Role::LabOfficer, "36.73", "Siti (analis)");
    let admin = actor(Role::RegionAdmin, "36.73", "Rina (admin)");
    let company = |name: &str, region: &str| {
        PartnerInput::parse("company", name, region, "", "", "", "Industri", "", "", "", true).expect("input")
    };
    let factory = store.create_partner(&officer, &kota, company("PT Cikande Tekstil", "36.04.16")).await.expect("p").id;
    let other_factory =
        store.create_partner(&officer, &kota, company("PT Kibin Kimia", "36.04.17")).await.expect("p").id;
    let local_shop = store.create_partner(&officer, &kota, company("CV Serang Kota", "36.73.01")).await.expect("p").id;
    let param = |name: &str, unit: &str, min: Option<f64>, max: Option<f64>, tariff: i64| NewLabParameter {
        medium: Medium::Wastewater,
        name: name.into(),
        unit: unit.into(),
        method: "SNI 6989".into(),
        limit: Limit::new(min, max).expect("limit"),
        legal_basis: "Permen LHK P.68/2016".into(),
        tariff,
        tariff_basis: PERDA.into(),
        turnaround_days: 14,
    };
    let bod =
        store.add_lab_parameter(&officer, &kota, param("BOD", "mg/L", None, Some(30.0), 150_000)).await.expect("bod");
    let ph =
        store.add_lab_parameter(&officer, &kota, param("pH", "-", Some(6.0), Some(9.0), 40_000)).await.expect("ph");
    let package = store
        .add_lab_package(
            &officer,
            &kota,
            NewLabPackage {
                medium: Medium::Wastewater,
                name: "Paket air limbah domestik".into(),
                parameters: vec![bod, ph],
                tariff: 170_000,
                tariff_basis: PERDA.into(),
                turnaround_days: 14,
            },
        )
        .await
        .expect("package");
    let agreement = store
        .create_agreement(
            &admin,
            &kota,
            NewAgreement {
                kind: AgreementKind::KsddSukarela,
                title: "KB Kota dan Kabupaten Serang: UMKM, industri, Labkesda".into(),
                scope: "Labkesda untuk industri Kabupaten Serang".into(),
                urusan_code: "1.02".into(),
                starts_on: None,
                ends_on: None,
                value: None,
                funding: None,
                funding_form: None,
                location_codes: vec![],
                agency_id: None,
                parties: vec![Party {
                    partner_id: None,
                    party_tenant: Some(code("36.04")),
                    name: "Pemerintah Kabupaten Serang".into(),
                    signatory_name: None,
                    signatory_position: None,
                    document_number: None,
                    signs_by_authority: false,
                }],
                need_ids: vec![],
            },
        )
        .await
        .expect("agreement")
        .id;
    store.set_lab_agreement(&officer, &kota, Some(agreement)).await.expect("settings");
    Setup { officer, kota, factory, other_factory, local_shop, bod, ph, package, agreement }
}

fn order(partner: PartnerId, package: sinergi_domain::LabPackageId) -> NewLabOrder {
    NewLabOrder {
        partner,
        medium: Medium::Wastewater,
        packages: vec![package],
        parameters: vec![],
        location: "Outlet IPAL".into(),
        note: None,
    }
}

fn not_allowed(r: Result<impl std::fmt::Debug, StoreError>) -> bool {
    matches!(r, Err(StoreError::Invalid(ref e)) if e.reason == "lab-step-not-allowed")
}

store_tests! {
    async fn a_factory_order_goes_to_a_certificate_and_its_retribution_counts_for_the_cooperation(store: Store) {
        let s = setup(&store).await;
        let (kota, officer) = (&s.kota, &s.officer);
        let verifier = actor(Role::LabOfficer, "36.73", "Ahmad (penyelia)");
        let company = Actor { partner: Some(s.factory), ..actor(Role::Partner, "36.73", "PT Cikande Tekstil") };
        // The factory orders for itself; not for another company.
        assert!(matches!(
            store.create_lab_order(&company, kota, order(s.other_factory, s.package)).await,
            Err(StoreError::NotFound)
        ));
        let id = store.create_lab_order(&company, kota, order(s.factory, s.package)).await.expect("order");
        let o = store.lab_order(&company, kota, id).await.expect("own order");
        assert_eq!(o.row.status, OrderStatus::Registered);
        assert_eq!(o.row.customer_region.as_deref(), Some("36.04"), "the customer's kabupaten");
        assert_eq!(o.parameters.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["BOD", "pH"]);
        // Paying before a quotation is refused, naming the state; the company cannot quote.
        let early = store.pay_lab_order(officer, kota, id, Payment { invoice_number: "X".into(), paid_on: date!(2026 - 10 - 01), amount: 1 }).await;
        assert!(not_allowed(early), "pay before quote refused");
        assert!(matches!(store.quote_lab_order(&company, kota, id).await, Err(StoreError::Forbidden)));
        // A new tariff before quotation is what the quotation uses.
        store.set_lab_tariff(officer, kota, TariffItem::Package(s.package), 175_000, PERDA).await.expect("tariff");
        assert_eq!(store.quote_lab_order(officer, kota, id).await.expect("quote"), 175_000);
        let wrong = store.pay_lab_order(officer, kota, id, Payment { invoice_number: "STS-1".into(), paid_on: date!(2026 - 10 - 02), amount: 170_000 }).await;
        assert!(matches!(wrong, Err(StoreError::Invalid(ref e)) if e.field == "amount"), "amount must be the total");
        let counted = store
            .pay_lab_order(officer, kota, id, Payment { invoice_number: "STS/LAB/2026/0001".into(), paid_on: date!(2026 - 10 - 02), amount: 175_000 })
            .await
            .expect("pay");
        assert!(counted, "a Kabupaten Serang customer's payment is the cooperation's PAD");
        let admin = actor(Role::RegionAdmin, "36.73", "Rina");
        let detail = store.agreement(&admin, s.agreement).await.expect("agreement");
        let pad: Vec<_> = detail.outcomes.iter().filter(|o| o.kind == OutcomeKind::PadEarned).collect();
        assert_eq!(pad.len(), 1);
        assert_eq!(pad[0].value, 175_000);
        assert!(pad[0].evidence.as_deref().is_some_and(|e| e.contains("STS/LAB/2026/0001")), "the invoice is the evidence");
        // Sampling, receipt with custody, results.
        store.schedule_lab_sampling(officer, kota, id, date!(2026 - 10 - 05), "Budi, Dedi").await.expect("schedule");
        let codes = store
            .receive_lab_samples(officer, kota, id, &["Air limbah outlet IPAL, 2 L".into()], "Budi (petugas sampling)")
            .await
            .expect("receive");
        assert_eq!(codes.len(), 1);
        let missing = store.submit_lab_results(officer, kota, id, &[(s.bod, 25.0)]).await;
        assert!(matches!(missing, Err(StoreError::Invalid(ref e)) if e.field == "results"), "every parameter needs a value");
        store.submit_lab_results(officer, kota, id, &[(s.bod, 42.5), (s.ph, 7.1)]).await.expect("results");
        let o = store.lab_order(officer, kota, id).await.expect("order");
        assert_eq!(o.samples[0].custody[0].from, "Budi (petugas sampling)");
        assert_eq!(o.samples[0].custody[0].to, "Siti (analis)");
        let verdicts: Vec<_> = o.results.iter().map(|r| (r.name.as_str(), r.verdict)).collect();
        assert_eq!(verdicts, [("BOD", Verdict::Fail), ("pH", Verdict::Pass)]);
        // The analyst cannot verify their own results; a second officer can.
        let same = store.verify_lab_order(officer, kota, id).await;
        assert!(matches!(same, Err(StoreError::Invalid(ref e)) if e.reason == "lab-same-person"));
        store.verify_lab_order(&verifier, kota, id).await.expect("verify");
        let code = store.publish_lab_order(&verifier, kota, id).await.expect("publish");
        // Anyone verifies the certificate by its code, however typed.
        let typed = code.to_lowercase().replace('-', " ");
        let view = store.verify_lab_certificate(&typed).await.expect("verify certificate");
        assert_eq!(view.customer_name, "PT Cikande Tekstil");
        assert_eq!(view.results.len(), 2);
        assert!(!view.retracted);
        assert!(matches!(store.verify_lab_certificate("LAB-AAAA-BBBB-CCCC").await, Err(StoreError::NotFound)));
        // The report counts the revenue by month, test, customer and kab/kota, and turnaround.
        let report = store.lab_report(officer, kota).await.expect("report");
        assert_eq!(report.total_revenue, 175_000);
        assert_eq!(report.by_month[0].month, "2026-10");
        assert_eq!(report.by_region[0].key, "36.04");
        assert_eq!(report.by_test[0].label, "Paket air limbah domestik");
        assert_eq!(report.turnaround.as_ref().map(|t| t.published), Some(1));
        let bod = report.verdicts.iter().find(|v| v.name == "BOD").expect("bod verdicts");
        assert_eq!((bod.pass, bod.fail), (0, 1));
        // A retraction needs a reason, opens version 2 and voids the certificate.
        assert!(store.withdraw_lab_order(officer, kota, id, Step::Retract, "  ").await.is_err());
        store.withdraw_lab_order(officer, kota, id, Step::Retract, "Salah satuan BOD").await.expect("retract");
        let o = store.lab_order(officer, kota, id).await.expect("order");
        assert_eq!((o.row.status, o.version), (OrderStatus::Received, 2));
        assert!(o.results.is_empty(), "the new version starts empty");
        assert!(store.verify_lab_certificate(&code).await.expect("still found").retracted);
        // Every step left its transition.
        assert_eq!(o.transitions.len(), 9);
        assert_eq!(o.transitions.last().and_then(|t| t.reason.as_deref()), Some("Salah satuan BOD"));
    }

    async fn others_see_nothing_and_final_states_stay_final(store: Store) {
        let s = setup(&store).await;
        let kota = &s.kota;
        let id = store.create_lab_order(&s.officer, kota, order(s.factory, s.package)).await.expect("order");
        // Another company's partner user, and another Pemda's officer: not found.
        let other = Actor { partner: Some(s.other_factory), ..actor(Role::Partner, "36.73", "PT Kibin") };
        assert!(matches!(store.lab_order(&other, kota, id).await, Err(StoreError::NotFound)));
        assert!(store.lab_orders(&other, kota, &LabOrderFilter::default()).await.expect("list").is_empty());
        let tangerang = actor(Role::LabOfficer, "36.71", "Lab Tangerang");
        assert!(matches!(store.lab_order(&tangerang, &code("36.71"), id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.lab_order(&tangerang, kota, id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.quote_lab_order(&tangerang, &code("36.71"), id).await, Err(StoreError::NotFound)));
        // A viewer reads but does not act; an UMKM owner does not even read.
        let viewer = actor(Role::Viewer, "36.73", "Budi");
        assert!(store.lab_order(&viewer, kota, id).await.is_ok());
        assert!(matches!(store.quote_lab_order(&viewer, kota, id).await, Err(StoreError::Forbidden)));
        let owner = actor(Role::UmkmOwner, "36.73", "Euis");
        assert!(matches!(store.lab_orders(&owner, kota, &LabOrderFilter::default()).await, Err(StoreError::Forbidden)));
        // The company cancels its own unpaid order with a reason; then nothing moves it.
        let company = Actor { partner: Some(s.factory), ..actor(Role::Partner, "36.73", "PT Cikande") };
        assert!(matches!(store.withdraw_lab_order(&company, kota, id, Step::Reject, "x").await, Err(StoreError::Forbidden)));
        store.withdraw_lab_order(&company, kota, id, Step::Cancel, "Jadwal produksi berubah").await.expect("cancel");
        assert!(not_allowed(store.quote_lab_order(&s.officer, kota, id).await));
        assert!(not_allowed(store.withdraw_lab_order(&s.officer, kota, id, Step::Reject, "x").await));
        // Two more Kabupaten customers' payments in one month add to that month's outcome.
        let mut total = 0;
        for (invoice, day) in [("STS-A", date!(2026 - 10 - 03)), ("STS-B", date!(2026 - 10 - 20))] {
            let id = store.create_lab_order(&s.officer, kota, order(s.other_factory, s.package)).await.expect("order");
            total = store.quote_lab_order(&s.officer, kota, id).await.expect("quote");
            let pay = Payment { invoice_number: invoice.into(), paid_on: day, amount: total };
            assert!(store.pay_lab_order(&s.officer, kota, id, pay).await.expect("pay"));
        }
        let admin = actor(Role::RegionAdmin, "36.73", "Rina");
        let pad: Vec<_> = store
            .agreement(&admin, s.agreement)
            .await
            .expect("agreement")
            .outcomes
            .into_iter()
            .filter(|o| o.kind == OutcomeKind::PadEarned)
            .collect();
        assert_eq!(pad.len(), 1, "one line a month");
        assert_eq!(pad[0].value, 2 * total);
        assert!(pad[0].evidence.as_deref().is_some_and(|e| e.starts_with("STS-B")), "the newest invoice leads");
        // A Kota customer's payment is not the cooperation's: PAD, but no outcome.
        let local = store.create_lab_order(&s.officer, kota, order(s.local_shop, s.package)).await.expect("order");
        let total = store.quote_lab_order(&s.officer, kota, local).await.expect("quote");
        let counted = store
            .pay_lab_order(&s.officer, kota, local, Payment { invoice_number: "STS-2".into(), paid_on: date!(2026 - 10 - 03), amount: total })
            .await
            .expect("pay");
        assert!(!counted);
        // Money kept local: October's three payments, the partner Pemda's two apart, each line
        // behind the sum; the year filter; only the Pemda's own people read it.
        let kept = store.money_kept_local(&admin, kota, Some(2026)).await.expect("kept local");
        assert_eq!(kept.agreement.as_ref().map(|a| a.0), Some(s.agreement));
        let october = kept.months.iter().find(|m| m.month == "2026-10").expect("october");
        assert_eq!((october.lab_orders, october.retribution, october.retribution_cooperation), (3, 3 * total, 2 * total));
        assert_eq!(kept.totals.total(), 3 * total);
        let lines: Vec<(&str, bool)> = kept.lines.iter().map(|l| (l.payer.as_str(), l.in_cooperation)).collect();
        assert_eq!(lines, [("PT Kibin Kimia", true), ("PT Kibin Kimia", true), ("CV Serang Kota", false)]);
        assert!(kept.lines[0].reference.ends_with("STS-B"), "newest first, with the invoice");
        assert_eq!(kept.years, [2026]);
        assert!(store.money_kept_local(&admin, kota, Some(2025)).await.expect("2025").lines.is_empty());
        assert!(matches!(store.money_kept_local(&owner, kota, None).await, Err(StoreError::Forbidden)));
        assert!(matches!(store.money_kept_local(&company, kota, None).await, Err(StoreError::Forbidden)));
        assert!(store.money_kept_local(&tangerang, kota, None).await.is_err(), "another Pemda reads nothing");
        // Bad catalogue input is refused and nothing is written.
        let bad = store
            .add_lab_package(&s.officer, kota, NewLabPackage {
                medium: Medium::CleanWater,
                name: "Campur".into(),
                parameters: vec![s.bod],
                tariff: 1,
                tariff_basis: PERDA.into(),
                turnaround_days: 7,
            })
            .await;
        assert!(matches!(bad, Err(StoreError::Invalid(ref e)) if e.field == "parameters"), "a package holds its own medium only");
        assert_eq!(store.lab_catalogue(&s.officer, kota).await.expect("catalogue").packages.len(), 1);
        let _ = s.ph;
    }

    // A regional service as a supplier: the Kota's Labkesda serves the Kabupaten through the
    // agreement its settings name, so in the Kabupaten's registry the Kota (a partner Pemda)
    // supplies laboratory tests, found by its media, parameters and packages. A Pemda the lab
    // has no agreement with does not see it.
    async fn the_kota_labkesda_supplies_the_kabupaten_through_the_agreement(store: Store) {
        let _s = setup(&store).await;
        let region_partner = |name: &str| {
            PartnerInput::parse("region", name, "36.73", "", "", "", "Pemerintahan", "", "", "", true).expect("input")
        };
        let kab = code("36.04");
        let kab_admin = actor(Role::RegionAdmin, "36.04", "Hendra (Bagian Kerja Sama)");
        let kota = store.create_partner(&kab_admin, &kab, region_partner("Pemerintah Kota Serang")).await.expect("p").id;
        let facts = store.supplier_facts(&Actor::system("supply"), &kab).await.expect("facts");
        let lab = facts.iter().find(|f| f.id == SupplierRef::Partner(kota)).expect("the Kota's Labkesda supplies the Kabupaten");
        assert!(lab.kbli.iter().any(|k| k.as_str() == "71202"), "{:?}", lab.kbli);
        assert!(lab.text.contains("BOD") && lab.text.contains("air limbah") && lab.name.contains("Labkesda"), "{}", lab.text);
        let wastewater = DemandQuery {
            kbli: KbliCode::parse("71202").ok(),
            category: None,
            text: "Uji air limbah bulanan: BOD, pH".into(),
            region: RegionCode::parse("36.04.16.2001").ok(),
            permits: vec![],
            monthly_quantity: None,
            on: date!(2026 - 12 - 01),
        };
        let top = SupplyIndex::build(facts).top(&wastewater, 5);
        assert_eq!(top.first().map(|m| m.supplier), Some(SupplierRef::Partner(kota)), "{top:?}");

        // Kota Tangerang has no agreement with the lab: the same partner there supplies nothing.
        let tangerang = code("36.71");
        let tng_admin = actor(Role::RegionAdmin, "36.71", "Admin Tangerang");
        let there = store.create_partner(&tng_admin, &tangerang, region_partner("Pemerintah Kota Serang")).await.expect("p").id;
        let facts = store.supplier_facts(&Actor::system("supply"), &tangerang).await.expect("facts");
        assert!(!facts.iter().any(|f| f.id == SupplierRef::Partner(there)));
    }
}

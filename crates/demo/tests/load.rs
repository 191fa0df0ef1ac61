use sinergi_demo::{DemoOptions, DemoReport, is_empty, load_with};
use sinergi_domain::Actor;
use sinergi_store::store_tests;
use sinergi_store::users::UserFilter;

store_tests! {
    async fn demo_loads_once(store: Store) {
        assert!(is_empty(&store).await.expect("empty"));
        let small = DemoOptions { umkm_generated: 500 };
        let first = load_with(&store, small).await.expect("load");
        assert_eq!(first.tenants_created, 4);
        // One per role per Pemda, the operator, Bank BJB's KUR analyst (markets), and (issue 7)
        // the Labkesda's verifying officer, a factory's HSE officer, SPPG Cikande's manager and
        // an egg farm's owner.
        assert_eq!(first.users_created, 34);
        assert!(first.agencies_created >= 36);
        assert!(first.needs_created >= 10);
        assert_eq!(first.meetings_created, 4, "Tangsel's mapping meeting, the Serang meeting and CSR forum, Kota Tangerang's FGD");
        assert_eq!(first.csr_needs_created, 9, "Kota Serang's CSR portfolio");
        assert_eq!(load_with(&store, small).await.expect("again"), DemoReport::default(), "a second load changes nothing");
        // Kabupaten Serang's registry: the generated businesses, then the training list and the
        // OSS export imported through entity resolution, many of their rows linked to each other.
        // Markets adds the 51 egg farms and food producers of its channels and kitchens.
        assert!(first.umkm_businesses_created > 500 + 51 && first.umkm_businesses_created <= 500 + 81 + 51, "{first:?}");
        let kab = sinergi_domain::RegionCode::parse("36.04").expect("code");
        let officer = sinergi_domain::Actor { role: sinergi_domain::Role::UmkmOfficer, scope: sinergi_domain::Scope::Tenant(kab.clone()), ..Actor::system("t") };
        let page = store.umkm_businesses(&officer, &kab, &Default::default(), 0, 1).await.expect("registry");
        assert_eq!(page.total as usize, first.umkm_businesses_created);
        // The demo owner's own business, claimed and verified, edited by her.
        let mine = store.umkm_business_claims(&officer, &kab, store.umkm_businesses(&officer, &kab, &sinergi_store::umkm::BusinessFilter { q: Some("Emping Tanara".into()), ..Default::default() }, 0, 1).await.expect("search").rows[0].id).await.expect("claims");
        assert_eq!(mine.len(), 1, "one verified claim");
        let (groups, moves) = store.umkm_naik_kelas(&officer, &kab, 2024, 2025).await.expect("naik kelas");
        assert!(groups.iter().map(|g| g.up).sum::<u64>() > 0 && !moves.is_empty(), "some businesses moved up");
        let imports = store.umkm_imports(&officer, &kab, 10).await.expect("imports");
        assert_eq!(imports.len(), 2);
        let system = Actor::system("t");
        let users = store.users(&system, &UserFilter::default()).await.expect("users");
        assert_eq!(users.len(), 34);
        // Issue 7: Kota Serang's Labkesda has orders in every state of its workflow, and its
        // payments from Kabupaten Serang's industries are the cooperation's PAD.
        let kota_lab = sinergi_domain::Actor { role: sinergi_domain::Role::LabOfficer, scope: sinergi_domain::Scope::Tenant(sinergi_domain::RegionCode::parse("36.73").expect("code")), ..Actor::system("t") };
        let kota_code = sinergi_domain::RegionCode::parse("36.73").expect("code");
        let orders = store.lab_orders(&kota_lab, &kota_code, &Default::default()).await.expect("lab orders");
        for status in sinergi_domain::lab::OrderStatus::ALL {
            assert!(orders.iter().any(|o| o.status == *status), "an order {status}");
        }
        let report = store.lab_report(&kota_lab, &kota_code).await.expect("report");
        assert!(report.by_month.len() >= 5 && report.turnaround.is_some(), "{:?}", report.by_month);
        assert_eq!(report.by_region[0].key, "36.04", "most revenue from Kabupaten Serang's industries");
        let labkesda = store.agencies(&system, None).await.expect("agencies")
            .into_iter().filter(|a| a.name == "UPTD Laboratorium Kesehatan Daerah").count();
        assert_eq!(labkesda, 4, "every Pemda has its Labkesda under Dinas Kesehatan");
        // The public sees PIK 2's pledged needs, the realised CSR of the three companies with
        // their evidence, and not the draft nor the report sent back for revision.
        let kota = sinergi_domain::RegionCode::parse("36.73").expect("code");
        let public = store.public_csr_book(&kota).await.expect("public");
        assert_eq!(public.needs.len(), 8, "every need but the draft");
        let rows = public.published_realisations();
        let companies: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.partner_name.as_str()).collect();
        assert_eq!(companies.len(), 3, "{companies:?}");
        assert!(rows.iter().all(|r| !r.evidence.is_empty()));
        assert_eq!(rows.len(), 4);
        // Bank BJB's user speaks for Bank BJB.
        let bjb = users.iter().find(|u| u.name == "Tim CSR Bank BJB").expect("BJB user");
        let portal = store.csr_book(&bjb.actor(), &kota).await.expect("portal");
        let own: Vec<_> = portal.needs.iter().flat_map(|n| n.pledges.iter()).collect();
        assert_eq!(own.len(), 1);
        assert!(own[0].pledge.partner_name.contains("Bank BJB"));
        assert!(own[0].reports.iter().any(|r| r.open_revision_comment().is_some()));
    }
}

use sinergi_demo::{DemoReport, is_empty, load};
use sinergi_domain::Actor;
use sinergi_store::store_tests;
use sinergi_store::users::UserFilter;

store_tests! {
    async fn demo_loads_once(store: Store) {
        assert!(is_empty(&store).await.expect("empty"));
        let first = load(&store).await.expect("load");
        assert_eq!(first.tenants_created, 4);
        assert_eq!(first.users_created, 29);
        assert!(first.agencies_created >= 36);
        assert!(first.needs_created >= 10);
        assert_eq!(first.meetings_created, 4, "Tangsel's mapping meeting, the Serang meeting and CSR forum, Kota Tangerang's FGD");
        assert_eq!(first.csr_needs_created, 9, "Kota Serang's CSR portfolio");
        assert_eq!(load(&store).await.expect("again"), DemoReport::default(), "a second load changes nothing");
        let system = Actor::system("t");
        let users = store.users(&system, &UserFilter::default()).await.expect("users");
        assert_eq!(users.len(), 29);
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

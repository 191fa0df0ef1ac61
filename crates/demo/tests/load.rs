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
        assert_eq!(first.meetings_created, 3, "Tangsel's mapping meeting, the Serang meeting, Kota Tangerang's FGD");
        assert_eq!(load(&store).await.expect("again"), DemoReport::default(), "a second load changes nothing");
        let system = Actor::system("t");
        let users = store.users(&system, &UserFilter::default()).await.expect("users");
        assert_eq!(users.len(), 29);
        let labkesda = store.agencies(&system, None).await.expect("agencies")
            .into_iter().filter(|a| a.name == "UPTD Laboratorium Kesehatan Daerah").count();
        assert_eq!(labkesda, 4, "every Pemda has its Labkesda under Dinas Kesehatan");
    }
}

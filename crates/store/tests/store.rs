//! The store suite. Every test runs twice, on SQLite and on PostgreSQL (`sqlite::…` and
//! `postgres::…` in the output).

use sinergi_domain::auth::{Email, NewPassword};
use sinergi_domain::org::AgencyKind;
use sinergi_domain::{Actor, RegionCode, Role, Scope};
use sinergi_store::agencies::AgencyInput;
use sinergi_store::audit::{AuditFilter, RecordType};
use sinergi_store::sessions::{SessionKind, SessionPolicy};
use sinergi_store::tenants::{NewTenant, TenantUpdate};
use sinergi_store::users::{NewUser, User, UserFilter, UserUpdate};
use sinergi_store::{Store, StoreError, hash_password, store_tests, verify_password};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn platform() -> Actor {
    Actor::system("test")
}

/// Two tenants with an admin each, as most tests need.
async fn two_tenants(store: &Store) -> (User, User) {
    let root = platform();
    for (c, name) in [("36.73", "Kota Serang"), ("36.04", "Kabupaten Serang")] {
        store.create_tenant(&root, NewTenant::parse(c, name, None).expect("tenant")).await.expect("create tenant");
    }
    let hash = hash_password(&NewPassword::parse("sinergi-demo").expect("pw")).await.expect("hash");
    let mut admins = Vec::new();
    for (c, email) in [("36.73", "admin@kota-serang.test.id"), ("36.04", "admin@kabupaten-serang.test.id")] {
        let user = store
            .create_user(
                &root,
                NewUser {
                    tenant: Some(code(c)),
                    agency_id: None,
                    partner_id: None,
                    email: Email::parse(email).expect("email"),
                    name: "Admin".into(),
                    role: Role::RegionAdmin,
                    password_hash: hash.clone(),
                },
            )
            .await
            .expect("admin");
        admins.push(user);
    }
    let second = admins.pop().expect("two");
    (admins.pop().expect("two"), second)
}

fn agency(name: &str, kind: &str, parent: Option<String>) -> AgencyInput {
    AgencyInput::parse(name, None, kind, parent.as_deref(), true).expect("agency input")
}

fn as_role(admin: &User, role: Role) -> Actor {
    Actor { role, ..admin.actor() }
}

store_tests! {
    async fn migrations_are_idempotent(store: Store) {
        assert!(store.migrate().await.expect("second migrate").is_empty());
        let status = store.migration_status().await.expect("status");
        assert!(status.is_current());
        assert_eq!(status.applied, sinergi_store::MIGRATIONS.iter().map(|m| m.version).collect::<Vec<_>>());
        store.ping().await.expect("ping");
    }

    async fn tenants_are_created_once_and_audited(store: Store) {
        let (kota, _) = two_tenants(&store).await;
        let dup = store.create_tenant(&platform(), NewTenant::parse("36.73", "Lagi", Some("lagi")).expect("t")).await;
        assert!(matches!(dup, Err(StoreError::Conflict { field: "code" })), "{dup:?}");
        let slug_dup = store.create_tenant(&platform(), NewTenant::parse("36.71", "Kota Serang", None).expect("t")).await;
        assert!(matches!(slug_dup, Err(StoreError::Conflict { field: "slug" })), "{slug_dup:?}");
        // A region admin sees only its own tenant and cannot create one.
        let seen = store.tenants(&kota.actor()).await.expect("tenants");
        assert_eq!(seen.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), vec!["36.73"]);
        assert!(matches!(store.tenant(&kota.actor(), &code("36.04")).await, Err(StoreError::NotFound)));
        let refused = store.create_tenant(&kota.actor(), NewTenant::parse("36.74", "Kota Tangerang Selatan", None).expect("t")).await;
        assert!(matches!(refused, Err(StoreError::Forbidden)));
        let renamed = store
            .update_tenant(&kota.actor(), &code("36.73"), TenantUpdate { name: "Pemerintah Kota Serang".into(), active: true, dormancy: None, csr_windows: None })
            .await
            .expect("rename");
        assert_eq!(renamed.name, "Pemerintah Kota Serang");
        let events = store
            .audit_events(&platform(), &AuditFilter { record_type: Some(RecordType::Tenant), ..Default::default() })
            .await
            .expect("audit");
        assert_eq!(events.len(), 3, "two creates and one rename");
        let rename = &events[0];
        assert_eq!(rename.action, "update");
        assert_eq!(rename.before.as_ref().and_then(|b| b["name"].as_str()), Some("Kota Serang"));
        assert_eq!(rename.after.as_ref().and_then(|a| a["name"].as_str()), Some("Pemerintah Kota Serang"));
    }

    async fn agencies_stay_inside_their_tenant(store: Store) {
        let (kota, kab) = two_tenants(&store).await;
        let dinkes = store.create_agency(&kota.actor(), &code("36.73"), agency("Dinas Kesehatan", "dinas", None)).await.expect("dinkes");
        let labkesda = store
            .create_agency(&kota.actor(), &code("36.73"), agency("UPTD Laboratorium Kesehatan Daerah", "uptd", Some(dinkes.id.to_string())))
            .await
            .expect("uptd");
        assert_eq!(labkesda.parent_id, Some(dinkes.id));
        // The other tenant neither reads nor writes it, and cannot hang its own UPTD under it.
        assert!(matches!(store.agency(&kab.actor(), dinkes.id).await, Err(StoreError::NotFound)));
        assert!(matches!(
            store.update_agency(&kab.actor(), dinkes.id, agency("Diretas", "dinas", None)).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.create_agency(&kab.actor(), &code("36.73"), agency("Dinas Palsu", "dinas", None)).await,
            Err(StoreError::NotFound)
        ));
        let foreign_parent = store
            .create_agency(&kab.actor(), &code("36.04"), agency("UPTD X", "uptd", Some(dinkes.id.to_string())))
            .await;
        assert!(matches!(foreign_parent, Err(StoreError::Invalid(e)) if e.field == "parent_id"));
        assert!(store.agencies(&kab.actor(), None).await.expect("list").is_empty());
        assert_eq!(store.agencies(&kota.actor(), None).await.expect("list").len(), 2);
        assert_eq!(store.agencies(&platform(), None).await.expect("all").len(), 2);
        // Asking for another tenant's list by name is refused too.
        assert!(store.agencies(&kab.actor(), Some(&code("36.73"))).await.is_err());
    }

    async fn agency_rules(store: Store) {
        let (kota, _) = two_tenants(&store).await;
        let t = code("36.73");
        let no_parent = store.create_agency(&kota.actor(), &t, agency("UPTD Tanpa Induk", "uptd", None)).await;
        assert!(matches!(no_parent, Err(StoreError::Invalid(e)) if e.reason == "parent-required"));
        let a = store.create_agency(&kota.actor(), &t, agency("Dinas A", "dinas", None)).await.expect("a");
        let b = store.create_agency(&kota.actor(), &t, agency("UPTD B", "uptd", Some(a.id.to_string()))).await.expect("b");
        let cycle = store.update_agency(&kota.actor(), a.id, agency("Dinas A", "dinas", Some(b.id.to_string()))).await;
        assert!(matches!(cycle, Err(StoreError::Invalid(e)) if e.reason == "parent-cycle"));
        let dup = store.create_agency(&kota.actor(), &t, agency("Dinas A", "dinas", None)).await;
        assert!(matches!(dup, Err(StoreError::Conflict { field: "name" })), "{dup:?}");
        // Viewers read the directory, partners do not, and neither writes.
        assert!(store.agencies(&as_role(&kota, Role::Viewer), None).await.is_ok());
        assert!(matches!(store.agencies(&as_role(&kota, Role::Partner), None).await, Err(StoreError::Forbidden)));
        assert!(matches!(
            store.create_agency(&as_role(&kota, Role::Viewer), &t, agency("Dinas C", "dinas", None)).await,
            Err(StoreError::Forbidden)
        ));
    }

    async fn users_and_roles(store: Store) {
        let (kota, kab) = two_tenants(&store).await;
        let hash = hash_password(&NewPassword::parse("rahasia-sekali").expect("pw")).await.expect("hash");
        let dinas = store.create_agency(&kota.actor(), &code("36.73"), agency("Bappeda", "badan", None)).await.expect("agency");
        let kab_dinas = store.create_agency(&kab.actor(), &code("36.04"), agency("Bappeda", "badan", None)).await.expect("agency");
        let new = |email: &str, role: Role, agency_id| NewUser {
            tenant: None,
            agency_id, partner_id: None,
            email: Email::parse(email).expect("email"),
            name: "Siti".into(),
            role,
            password_hash: hash.clone(),
        };
        let officer = store.create_user(&kota.actor(), new("siti@kota-serang.test.id", Role::AgencyOfficer, Some(dinas.id))).await.expect("officer");
        assert_eq!(officer.tenant, Some(code("36.73")), "a region admin creates users in its own tenant");
        let dup = store.create_user(&kota.actor(), new("SITI@kota-serang.test.id", Role::Viewer, None)).await;
        assert!(matches!(dup, Err(StoreError::Conflict { field: "email" })), "{dup:?}");
        let escalate = store.create_user(&kota.actor(), new("root@x.id", Role::PlatformAdmin, None)).await;
        assert!(matches!(escalate, Err(StoreError::Invalid(e)) if e.field == "role"));
        let foreign_agency = store.create_user(&kota.actor(), new("a@x.id", Role::AgencyOfficer, Some(kab_dinas.id))).await;
        assert!(matches!(foreign_agency, Err(StoreError::Invalid(e)) if e.field == "agency_id"));
        // Nothing of the refused writes was kept, audit included.
        let events = store
            .audit_events(&kota.actor(), &AuditFilter { record_type: Some(RecordType::User), ..Default::default() })
            .await
            .expect("audit");
        assert_eq!(events.len(), 2, "the admin from setup and the officer");
        assert!(store.user_for_login(&Email::parse("a@x.id").expect("e")).await.expect("lookup").is_none());

        let listed = store.users(&kota.actor(), &UserFilter::default()).await.expect("users");
        assert_eq!(listed.len(), 2);
        assert!(matches!(store.user(&kab.actor(), officer.id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.users(&officer.actor(), &UserFilter::default()).await, Err(StoreError::Forbidden)));
        assert_eq!(store.user(&officer.actor(), officer.id).await.expect("self").id, officer.id);

        let (found, stored_hash) = store.user_for_login(&officer.email).await.expect("login").expect("exists");
        assert_eq!(found.id, officer.id);
        assert!(verify_password("rahasia-sekali", &stored_hash).await);
        assert!(!verify_password("salah", &stored_hash).await);

        let self_demote = store
            .update_user(&kota.actor(), kota.id, UserUpdate { name: "Admin".into(), role: Role::Viewer, agency_id: None, partner_id: None, active: true })
            .await;
        assert!(matches!(self_demote, Err(StoreError::Invalid(_))));
    }

    async fn sessions_and_tokens(store: Store) {
        let (kota, _) = two_tenants(&store).await;
        let policy = SessionPolicy::default();
        let web = store.create_session(&kota, SessionKind::Web, None, &policy).await.expect("session");
        let live = store.session(&web.token, &policy).await.expect("lookup").expect("live");
        assert_eq!(live.user.id, kota.id);
        assert_eq!(live.csrf_token, web.csrf_token);
        assert!(store.session("not-a-token", &policy).await.expect("lookup").is_none());

        let api = store.create_session(&kota, SessionKind::Api, Some("laporan".into()), &policy).await.expect("token");
        let tokens = store.api_tokens(&kota.actor()).await.expect("tokens");
        assert_eq!(tokens.len(), 1);
        assert_eq!(tokens[0].label.as_deref(), Some("laporan"));
        store.revoke_session(&kota.actor(), api.id).await.expect("revoke");
        assert!(store.session(&api.token, &policy).await.expect("lookup").is_none());
        assert!(store.api_tokens(&kota.actor()).await.expect("tokens").is_empty());

        // An expired session is dead.
        let short = SessionPolicy { web_idle_ms: -1, ..policy };
        let gone = store.create_session(&kota, SessionKind::Web, None, &short).await.expect("session");
        assert!(store.session(&gone.token, &policy).await.expect("lookup").is_none());

        // Deactivating a user ends their sessions; a password change ends the others.
        let hash = hash_password(&NewPassword::parse("rahasia-sekali").expect("pw")).await.expect("hash");
        let viewer = store
            .create_user(&kota.actor(), NewUser {
                tenant: None, agency_id: None, partner_id: None, email: Email::parse("v@kota-serang.test.id").expect("e"),
                name: "Viewer".into(), role: Role::Viewer, password_hash: hash.clone(),
            })
            .await
            .expect("viewer");
        let vs = store.create_session(&viewer, SessionKind::Web, None, &policy).await.expect("s");
        store
            .update_user(&kota.actor(), viewer.id, UserUpdate { name: "Viewer".into(), role: Role::Viewer, agency_id: None, partner_id: None, active: false })
            .await
            .expect("deactivate");
        assert!(store.session(&vs.token, &policy).await.expect("lookup").is_none());

        // A Pemda switched off takes its users' sessions with it, and gives them back.
        let set_active = |active: bool| {
            let store = store.clone();
            async move {
                let update = TenantUpdate { name: "Kota Serang".into(), active, dormancy: None, csr_windows: None };
                store.update_tenant(&platform(), &code("36.73"), update).await.expect("tenant")
            }
        };
        set_active(false).await;
        assert!(store.session(&web.token, &policy).await.expect("lookup").is_none(), "an inactive Pemda");
        set_active(true).await;
        assert!(store.session(&web.token, &policy).await.expect("lookup").is_some());

        let other = store.create_session(&kota, SessionKind::Web, None, &policy).await.expect("s");
        store.set_password(&kota.actor(), kota.id, hash, Some(web.id)).await.expect("password");
        assert!(store.session(&web.token, &policy).await.expect("lookup").is_some());
        assert!(store.session(&other.token, &policy).await.expect("lookup").is_none());

        let actions: Vec<String> = store
            .audit_events(&kota.actor(), &AuditFilter { record_type: Some(RecordType::Session), ..Default::default() })
            .await
            .expect("audit")
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert!(actions.contains(&"login".to_owned()) && actions.contains(&"token_revoke".to_owned()), "{actions:?}");
    }

    async fn audit_is_scoped_and_filtered(store: Store) {
        let (kota, kab) = two_tenants(&store).await;
        store.create_agency(&kota.actor(), &code("36.73"), agency("Dinas Pariwisata", "dinas", None)).await.expect("a");
        store.create_agency(&kab.actor(), &code("36.04"), agency("Dinas Pariwisata", "dinas", None)).await.expect("b");
        let mine = store.audit_events(&kota.actor(), &AuditFilter::default()).await.expect("audit");
        assert!(mine.iter().all(|e| e.tenant == Some(code("36.73"))), "only Kota Serang's events");
        let by_actor = store
            .audit_events(&platform(), &AuditFilter { actor: Some(kab.id), ..Default::default() })
            .await
            .expect("audit");
        assert_eq!(by_actor.len(), 1);
        assert_eq!(by_actor[0].record_type, "agency");
        let future = store
            .audit_events(&platform(), &AuditFilter { from_ms: Some(sinergi_store::now_ms() + 60_000), ..Default::default() })
            .await
            .expect("audit");
        assert!(future.is_empty());
        let viewer = Actor { role: Role::Viewer, scope: Scope::Tenant(code("36.73")), ..kota.actor() };
        assert!(matches!(store.audit_events(&viewer, &AuditFilter::default()).await, Err(StoreError::Forbidden)));
    }
}

#[tokio::test]
async fn sqlite_backup_is_a_consistent_copy() {
    let db = sinergi_store::testing::TestDatabase::sqlite().await;
    let (kota, _) = two_tenants(&db.store).await;
    db.store.create_agency(&kota.actor(), &code("36.73"), agency("Bappeda", "badan", None)).await.expect("agency");
    let dir = tempfile_dir();
    let target = dir.join("backup.db");
    db.store.backup_sqlite(&target).await.expect("backup");
    let copy = Store::open(&sinergi_store::DatabaseUrl::parse(&format!("sqlite://{}", target.display())).expect("url"))
        .await
        .expect("open copy");
    assert_eq!(copy.agencies(&platform(), None).await.expect("agencies").len(), 1);
    assert!(db.store.backup_sqlite(&target).await.is_err(), "never overwrites");
    let _ = std::fs::remove_dir_all(dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sinergi-backup-{}", uuid_like()));
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

fn uuid_like() -> String {
    format!("{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0))
}

#[test]
fn agency_kinds_parse() {
    assert_eq!("uptd".parse::<AgencyKind>().expect("kind"), AgencyKind::Uptd);
}

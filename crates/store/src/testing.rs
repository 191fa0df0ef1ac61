//! Throwaway databases for tests: a temporary SQLite file, or a fresh PostgreSQL database
//! created next to the one `SINERGI_TEST_POSTGRES_URL` names (the test command starts that
//! server). Each test gets its own database, so tests run in parallel without seeing each other.

use crate::{Backend, DatabaseUrl, Store};

pub struct TestDatabase {
    pub store: Store,
    pub url: DatabaseUrl,
    // Keeps the SQLite file alive for the test's duration.
    _dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

/// The admin URL of the test PostgreSQL server, if the test command started one. With
/// `SINERGI_TEST_REQUIRE_POSTGRES=1` a missing server fails the test instead of skipping it.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("SINERGI_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("SINERGI_TEST_REQUIRE_POSTGRES").is_err(),
                "SINERGI_TEST_REQUIRE_POSTGRES is set but SINERGI_TEST_POSTGRES_URL is not"
            );
            None
        }
    }
}

/// A fixed data key for tests (never used outside them).
pub fn test_key() -> crate::vault::DataKey {
    crate::vault::DataKey::parse_hex(&"5e".repeat(32)).expect("a valid test key")
}

impl TestDatabase {
    pub async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite().await),
            Backend::Postgres => Self::postgres().await,
        }
    }

    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = DatabaseUrl::sqlite_in(dir.path());
        let store = Store::open(&url).await.expect("open sqlite").with_data_key(&test_key());
        Self { store, url, _dir: Some(dir), pg_admin: None }
    }

    /// None (and a note on stderr) when no test PostgreSQL is configured.
    pub async fn postgres() -> Option<Self> {
        let Some(admin) = postgres_admin_url() else {
            eprintln!("skipped: SINERGI_TEST_POSTGRES_URL not set");
            return None;
        };
        let name = format!("t_{}", uuid::Uuid::now_v7().simple());
        let admin_pool = sqlx::PgPool::connect(&admin).await.expect("connect to test PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&admin_pool)
            .await
            .expect("create test database");
        admin_pool.close().await;
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        let url = DatabaseUrl::parse(&format!("{base}/{name}")).expect("url");
        let store = Store::open(&url).await.expect("open postgres").with_data_key(&test_key());
        Some(Self { store, url, _dir: None, pg_admin: Some((admin, name)) })
    }

    /// Drop a PostgreSQL test database (SQLite files go with the temp dir).
    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((admin, name)) = self.pg_admin
            && let Ok(pool) = sqlx::PgPool::connect(&admin).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                .execute(&pool)
                .await;
            pool.close().await;
        }
    }
}

/// Run the same async test body on SQLite and on PostgreSQL: `sqlite::name` and
/// `postgres::name` appear in the test output, so a run shows which backend passed.
#[macro_export]
macro_rules! store_tests {
    ($( async fn $name:ident($store:ident : Store) $body:block )*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::testing::TestDatabase::sqlite().await;
                    let $store: $crate::Store = db.store.clone();
                    $body
                    db.cleanup().await;
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::testing::TestDatabase::postgres().await else { return };
                    let $store: $crate::Store = db.store.clone();
                    $body
                    db.cleanup().await;
                }
            )*
        }
    };
}

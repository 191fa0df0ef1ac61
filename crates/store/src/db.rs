//! The two backends behind one handle. Queries are sea-query statements; this module renders
//! them for the backend in use and runs them.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
use sea_query_sqlx::SqlxBinder;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, FromRow, Postgres, Sqlite, Transaction};

use crate::{Result, StoreError};

/// Where the database lives. `Debug` and `Display` hide any password in the URL.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self> {
        let url = url.trim();
        if url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self(url.to_owned()))
        } else {
            Err(StoreError::Config("database URL must start with sqlite: or postgres://".to_owned()))
        }
    }

    /// The default embedded database: one file in the data directory.
    pub fn sqlite_in(dir: &Path) -> Self {
        Self(format!("sqlite://{}", dir.join("sinergi.db").display()))
    }

    pub fn backend(&self) -> Backend {
        if self.0.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The URL with the password replaced, for logs and `sinergi check`.
    pub fn redacted(&self) -> String {
        let Some(scheme_end) = self.0.find("://") else { return self.0.clone() };
        let rest = &self.0[scheme_end + 3..];
        let Some(at) = rest.find('@') else { return self.0.clone() };
        let creds = &rest[..at];
        match creds.find(':') {
            Some(colon) => format!("{}://{}:***{}", &self.0[..scheme_end], &creds[..colon], &rest[at..]),
            None => self.0.clone(),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

#[derive(Clone)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The store handle: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: Db,
    /// Seals personal data (NIK, NPWP); writes that carry such data fail without it.
    pub(crate) vault: Option<std::sync::Arc<crate::vault::Vault>>,
}

/// A row type that decodes on both backends (sqlx's `FromRow` derive is generic over the row).
pub trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

impl Store {
    /// Connect without migrating. SQLite files (and their folder) are created when missing.
    pub async fn connect(url: &DatabaseUrl) -> Result<Self> {
        let db = match url.backend() {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url.expose())
                    .map_err(|e| StoreError::Config(format!("bad SQLite URL: {e}")))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // NORMAL is durable in WAL mode except for the last transactions on power
                    // loss; the database itself stays consistent.
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                if let Some(parent) = opts.get_filename().parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| StoreError::Config(format!("cannot create {}: {e}", parent.display())))?;
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(opts)
                    .await
                    .map_err(StoreError::Database)?;
                Db::Sqlite(pool)
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url.expose())
                    .await
                    .map_err(StoreError::Database)?;
                Db::Postgres(pool)
            }
        };
        Ok(Self { db, vault: None })
    }

    /// Connect and bring the schema up to date: what `serve` does at start.
    pub async fn open(url: &DatabaseUrl) -> Result<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// The key that seals personal data at rest (see [`crate::vault`]).
    pub fn with_data_key(mut self, key: &crate::vault::DataKey) -> Self {
        self.vault = Some(std::sync::Arc::new(crate::vault::Vault::new(key)));
        self
    }

    pub(crate) fn vault(&self) -> Result<&crate::vault::Vault> {
        self.vault.as_deref().ok_or_else(|| StoreError::Config("no data key is configured (data_key)".into()))
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// A cheap round trip, for `/healthz` and `sinergi check`.
    pub async fn ping(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite(p) => sqlx::query("SELECT 1").execute(p).await.map(drop)?,
            Db::Postgres(p) => sqlx::query("SELECT 1").execute(p).await.map(drop)?,
        }
        Ok(())
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }

    /// A consistent copy of a live SQLite database (`VACUUM INTO` takes a read snapshot, so
    /// writers are not blocked and the copy is never half-written).
    pub async fn backup_sqlite(&self, to: &Path) -> Result<()> {
        let Db::Sqlite(pool) = &self.db else {
            return Err(StoreError::Config("online backup is for SQLite; on PostgreSQL use pg_dump".to_owned()));
        };
        if to.exists() {
            return Err(StoreError::Config(format!("{} already exists", to.display())));
        }
        let target = to.to_string_lossy().into_owned();
        sqlx::query("VACUUM INTO ?").bind(target).execute(pool).await?;
        Ok(())
    }

    pub(crate) async fn begin(&self) -> Result<Tx> {
        Ok(match &self.db {
            // IMMEDIATE takes the write lock up front: a deferred transaction that reads and
            // then writes can fail with SQLITE_BUSY instead of waiting for the busy timeout.
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// A transaction for consistent multi-statement reads. On SQLite a deferred BEGIN takes no
    /// write lock, so readers do not queue behind writers.
    pub(crate) async fn begin_read(&self) -> Result<Tx> {
        Ok(match &self.db {
            Db::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub(crate) async fn fetch_all<T: Record, S: SqlxBinder>(&self, stmt: &S) -> Result<Vec<T>> {
        Ok(match &self.db {
            Db::Sqlite(p) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values).fetch_all(p).await?
            }
            Db::Postgres(p) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values).fetch_all(p).await?
            }
        })
    }

    pub(crate) async fn fetch_optional<T: Record, S: SqlxBinder>(&self, stmt: &S) -> Result<Option<T>> {
        Ok(match &self.db {
            Db::Sqlite(p) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values).fetch_optional(p).await?
            }
            Db::Postgres(p) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values).fetch_optional(p).await?
            }
        })
    }

    pub(crate) async fn fetch_one<T: Record, S: SqlxBinder>(&self, stmt: &S) -> Result<T> {
        self.fetch_optional(stmt).await?.ok_or(StoreError::NotFound)
    }

    /// A write outside a transaction: only for bookkeeping that needs no audit (session
    /// last-seen times).
    pub(crate) async fn execute<S: SqlxBinder>(&self, stmt: &S) -> Result<u64> {
        Ok(match &self.db {
            Db::Sqlite(p) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values).execute(p).await?.rows_affected()
            }
            Db::Postgres(p) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values).execute(p).await?.rows_affected()
            }
        })
    }
}

/// A transaction on either backend. Dropped without `commit`, it rolls back.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) async fn execute<S: SqlxBinder>(&mut self, stmt: &S) -> Result<u64> {
        Ok(match self {
            Tx::Sqlite(tx) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values).execute(&mut **tx).await?.rows_affected()
            }
            Tx::Postgres(tx) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_with(AssertSqlSafe(sql), values).execute(&mut **tx).await?.rows_affected()
            }
        })
    }

    pub(crate) async fn fetch_optional<T: Record, S: SqlxBinder>(&mut self, stmt: &S) -> Result<Option<T>> {
        Ok(match self {
            Tx::Sqlite(tx) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values).fetch_optional(&mut **tx).await?
            }
            Tx::Postgres(tx) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values).fetch_optional(&mut **tx).await?
            }
        })
    }

    pub(crate) async fn fetch_all<T: Record, S: SqlxBinder>(&mut self, stmt: &S) -> Result<Vec<T>> {
        Ok(match self {
            Tx::Sqlite(tx) => {
                let (sql, values) = stmt.build_sqlx(SqliteQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values).fetch_all(&mut **tx).await?
            }
            Tx::Postgres(tx) => {
                let (sql, values) = stmt.build_sqlx(PostgresQueryBuilder);
                sqlx::query_as_with(AssertSqlSafe(sql), values).fetch_all(&mut **tx).await?
            }
        })
    }

    /// Check that a row `id` of `tenant` exists in `table` (an agency, a partner, an
    /// agreement named by a form): a reference to anything else, another Pemda's row
    /// included, is refused as an invalid choice for `field`.
    pub(crate) async fn check_in_tenant<T: sea_query::Iden + Copy + 'static>(
        &mut self,
        (table, tenant_col, id_col): (T, T, T),
        tenant: &sinergi_domain::RegionCode,
        id: uuid::Uuid,
        field: &'static str,
    ) -> Result<()> {
        use sea_query::{Expr, ExprTrait, Query};
        #[derive(sqlx::FromRow)]
        struct One {
            #[allow(dead_code)]
            id: uuid::Uuid,
        }
        let found: Option<One> = self
            .fetch_optional(
                Query::select()
                    .expr_as(Expr::col(id_col), sea_query::Alias::new("id"))
                    .from(table)
                    .and_where(Expr::col(tenant_col).eq(tenant.as_str()))
                    .and_where(Expr::col(id_col).eq(id)),
            )
            .await?;
        match found {
            Some(_) => Ok(()),
            None => Err(StoreError::Invalid(sinergi_domain::auth::FieldError::new(field, "invalid-choice"))),
        }
    }

    /// Run DDL (rendered per backend by the caller).
    pub(crate) async fn execute_raw(&mut self, sqlite: String, postgres: String) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => sqlx::raw_sql(AssertSqlSafe(sqlite)).execute(&mut **tx).await.map(drop)?,
            Tx::Postgres(tx) => sqlx::raw_sql(AssertSqlSafe(postgres)).execute(&mut **tx).await.map(drop)?,
        }
        Ok(())
    }

    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_hide_passwords() {
        let url = DatabaseUrl::parse("postgres://sinergi:rahasia@db:5432/sinergi").unwrap();
        assert_eq!(url.redacted(), "postgres://sinergi:***@db:5432/sinergi");
        assert!(!format!("{url:?}").contains("rahasia"));
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert_eq!(DatabaseUrl::parse("sqlite://a.db").unwrap().backend(), Backend::Sqlite);
    }
}

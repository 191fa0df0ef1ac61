//! Sinergi's persistence: one API over embedded SQLite (the default) and PostgreSQL.
//!
//! Every query is written once with sea-query and rendered for the backend in use, so the two
//! databases cannot drift apart. Tenant scoping lives here: every method that reads or writes a
//! tenant's rows takes the [`Actor`](sinergi_domain::Actor) and filters by its
//! [`Scope`](sinergi_domain::Scope); a caller cannot forget it. Every write records an audit
//! event in the same transaction as the write itself.

mod db;
mod error;
mod migrate;
mod password;
mod schema;

pub mod agencies;
pub mod agreements;
pub mod audit;
pub mod cooperation;
pub mod csr;
pub mod documents;
pub mod files;
pub mod meetings;
pub mod partners;
pub mod programmes;
pub mod reminders;
pub mod sessions;
pub mod tenants;
pub mod umkm;
pub mod users;
pub mod vault;
// Markets: channels and financing referrals.
pub mod markets;
// Catalogue (issue 6, part 5)
pub mod catalogue;
// Issue 7: the Labkesda
pub mod lab;

#[cfg(feature = "testing")]
pub mod testing;

pub use db::{Backend, DatabaseUrl, Store};
pub use error::StoreError;
pub use migrate::{MIGRATIONS, MigrationStatus};
pub use password::{PasswordHashString, dummy_hash, hash_password, verify_password};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Milliseconds since the Unix epoch. Stored as BIGINT on both backends, so that comparisons,
/// indexes and arithmetic behave the same on SQLite and PostgreSQL.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The instant a stored millisecond timestamp names.
pub fn ms_to_datetime(ms: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}
// Issue 7: demand matching
pub mod demand;
// Issue 7: money kept local (the Labkesda's PAD and the deals)
pub mod local_value;

//! Sinergi's web edge: server-rendered pages (askama + htmx) and the JSON API under `/api/v1`,
//! over one route table in which every route declares who may call it.

pub mod api;
pub mod auth;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod ops;
pub mod pages;
pub mod routes;

use std::sync::Arc;
use std::time::Duration;

use sinergi_store::Store;
use sinergi_store::sessions::SessionPolicy;

pub use routes::{RouteSpec, app, route_specs};

/// Settings of the web edge.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure`: on whenever Sinergi is reached over HTTPS (behind a proxy).
    pub secure_cookies: bool,
    pub session_policy: SessionPolicy,
    /// Failed logins allowed per account and per address within `throttle_window`.
    pub throttle_per_account: usize,
    pub throttle_per_address: usize,
    pub throttle_window: Duration,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_policy: SessionPolicy::default(),
            throttle_per_account: 5,
            throttle_per_address: 30,
            throttle_window: Duration::from_secs(15 * 60),
        }
    }
}

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub throttle: Arc<auth::Throttle>,
    /// Rendered public CSR pages, kept for a minute (see [`pages::csr_public`]).
    pub csr_public_cache: Arc<pages::csr_public::PageCache>,
    /// Each Pemda's entity-resolution index of the UMKM registry.
    pub registries: Arc<sinergi_umkm::Registries>,
    // Catalogue (issue 6, part 5)
    /// Each Pemda's curated products in memory, for the public catalogue.
    pub catalogue_index: Arc<pages::catalogue_public::CatalogueIndex>,
    // Issue 7: demand matching
    /// Each Pemda's supplier index, for ranking suppliers against a demand.
    pub supply_indexes: Arc<pages::demand::SupplyIndexes>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        let throttle =
            auth::Throttle::new(config.throttle_window, config.throttle_per_account, config.throttle_per_address);
        Self {
            store,
            config: Arc::new(config),
            throttle: Arc::new(throttle),
            csr_public_cache: Arc::new(pages::csr_public::PageCache::default()),
            registries: Arc::new(sinergi_umkm::Registries::default()),
            // Catalogue (issue 6, part 5)
            catalogue_index: Arc::new(pages::catalogue_public::CatalogueIndex::default()),
            // Issue 7: demand matching
            supply_indexes: Arc::new(pages::demand::SupplyIndexes::default()),
        }
    }
}

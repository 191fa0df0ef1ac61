//! The registry list's search, kept in memory per Pemda: a [`RegistryIndex`] of every live
//! business's facts, answering a page of a filtered or searched list in milliseconds where SQL
//! takes seconds at a million businesses (see `bench/umkm-search.md`).
//!
//! An index is built in the background (at start-up, or on the first list that needs it);
//! until it is ready, [`Searches::page`] answers `None` and the list is read from SQL, so no
//! request waits for a registry to be read. Every write that changes businesses is followed by
//! [`Registries::changed`] with the businesses it touched, whose facts are read again and
//! replace the old ones before the write's response is sent. Changes that arrive while a build
//! is reading the registry are kept and applied to the new index before it is used. When in
//! doubt (a refresh failed, [`Registries::forget`]), the index is dropped and rebuilt: the
//! store is the truth. An import committed by another process (`sinergi import umkm`) is
//! noticed by its time in the imports table, checked every few seconds while lists are read;
//! the index is then rebuilt in the background while the current one keeps answering.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use sinergi_domain::{Actor, BusinessId, RegionCode};
use sinergi_engines::registry_search::{BusinessFacts, RegistryIndex, RegistryPage, RegistryQuery};
use sinergi_store::Store;

use crate::{Registries, RegistryError, RegistryResult};

/// Businesses read per query while an index is built.
const BUILD_BATCH: u64 = 5_000;
/// Batches read ahead of the builder.
const BATCHES_AHEAD: usize = 4;
/// Tombstones (rows of businesses since replaced) tolerated beyond the live rows before the
/// index is rebuilt in the background; they cost memory and scan time, not correctness.
const MIN_DEAD_ROWS_BEFORE_REBUILD: usize = 50_000;
/// How often a list may ask the store whether an import was committed since the index was
/// built (one small query on the imports table).
const IMPORT_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

type Shared = Arc<RwLock<RegistryIndex>>;

/// Who reads the facts: the registry's own machinery, not the officer whose list or write set
/// it off (an owner editing their business through self-service may not read the registry).
/// Callers check the person's right to the tenant's list before asking for a page of it.
fn reader() -> Actor {
    Actor::system("registry search")
}

/// Every tenant's search index.
pub struct Searches {
    /// Off: every list is read from SQL (a fallback kept for comparison and emergencies).
    enabled: bool,
    tenants: Mutex<HashMap<RegionCode, Arc<TenantSearch>>>,
}

impl Default for Searches {
    fn default() -> Self {
        Self { enabled: true, tenants: Mutex::default() }
    }
}

#[derive(Default)]
struct TenantSearch {
    state: Mutex<State>,
    /// One refresh at a time: facts read later are applied later.
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    index: Option<Shared>,
    /// The generation of the build under way, if any; a build whose generation is no longer
    /// current (the index was forgotten meanwhile) throws its result away.
    building: Option<u64>,
    generation: u64,
    /// Businesses changed while the build under way was reading the registry.
    pending: HashSet<BusinessId>,
    /// The last import committed before the index being served read the registry.
    imports_at: Option<i64>,
    /// When a list last asked whether a newer import was committed.
    imports_checked: Option<std::time::Instant>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Searches {
    /// Searches that never answer: every list is read from SQL.
    pub fn disabled() -> Self {
        Self { enabled: false, tenants: Mutex::default() }
    }

    fn tenant(&self, tenant: &RegionCode) -> Arc<TenantSearch> {
        lock(&self.tenants).entry(tenant.clone()).or_default().clone()
    }

    /// The tenant's index when it is ready; otherwise a build is started (if none is under
    /// way) and `None` says to read the list from SQL meanwhile.
    fn ready_or_start(&self, store: &Store, tenant: &RegionCode) -> Option<Shared> {
        if !self.enabled {
            return None;
        }
        let t = self.tenant(tenant);
        let (index, check) = {
            let mut state = lock(&t.state);
            let due = state.imports_checked.is_none_or(|at| at.elapsed() >= IMPORT_CHECK_EVERY);
            let check = state.index.is_some() && state.building.is_none() && due;
            if check {
                state.imports_checked = Some(std::time::Instant::now());
            }
            (state.index.clone(), check)
        };
        if index.is_none() {
            start_build(&t, store, tenant);
        } else if check {
            let (t, store, tenant) = (t.clone(), store.clone(), tenant.clone());
            tokio::spawn(async move {
                if let Err(e) = rebuild_if_imported(&t, &store, &tenant).await {
                    tracing::warn!(tenant = %tenant, error = %e, "registry search: import check failed");
                }
            });
        }
        index
    }

    /// Rebuild the tenant's index (waiting for it) if an import was committed since it read
    /// the registry, by this process or another; whether it did.
    pub async fn rebuild_if_imported(&self, store: &Store, tenant: &RegionCode) -> RegistryResult<bool> {
        if !self.enabled {
            return Ok(false);
        }
        rebuild_if_imported(&self.tenant(tenant), store, tenant).await
    }

    /// One page of the list from the tenant's index, or `None` while it is being built.
    pub async fn page(
        &self,
        store: &Store,
        tenant: &RegionCode,
        query: RegistryQuery,
        offset: usize,
        limit: usize,
    ) -> RegistryResult<Option<RegistryPage>> {
        let Some(index) = self.ready_or_start(store, tenant) else {
            return Ok(None);
        };
        let page = blocking(move || read(&index).search(&query, offset, limit)).await?;
        Ok(Some(page))
    }

    /// Every business the query matches, in the list's order (for an export), or `None` while
    /// the index is being built.
    pub async fn all(
        &self,
        store: &Store,
        tenant: &RegionCode,
        query: RegistryQuery,
    ) -> RegistryResult<Option<Vec<BusinessId>>> {
        let Some(index) = self.ready_or_start(store, tenant) else {
            return Ok(None);
        };
        Ok(Some(blocking(move || read(&index).all(&query)).await?))
    }

    /// Build the tenant's index now unless it is ready or being built, and wait for it (at
    /// start-up, in the background; and in tests).
    pub async fn warm(&self, store: &Store, tenant: &RegionCode) -> RegistryResult<()> {
        if !self.enabled {
            return Ok(());
        }
        let t = self.tenant(tenant);
        let generation = {
            let mut state = lock(&t.state);
            if state.index.is_some() || state.building.is_some() {
                return Ok(());
            }
            state.building = Some(state.generation);
            state.generation
        };
        build(&t, store, tenant, generation).await
    }

    /// Whether the tenant's index is ready to answer.
    pub fn is_ready(&self, tenant: &RegionCode) -> bool {
        self.enabled && lock(&self.tenant(tenant).state).index.is_some()
    }

    /// Read these businesses' facts again and put them in the index (a business no longer
    /// live is removed). A failure drops the index, to be rebuilt from the store.
    pub async fn changed(&self, store: &Store, tenant: &RegionCode, ids: &[BusinessId]) {
        if !self.enabled || ids.is_empty() {
            return;
        }
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let t = self.tenant(tenant);
        let index = {
            let mut state = lock(&t.state);
            if state.building.is_some() {
                state.pending.extend(ids.iter().copied());
            }
            state.index.clone()
        };
        let Some(index) = index else { return };
        let _one_at_a_time = t.refresh.lock().await;
        let result = match store.umkm_search_facts_of(&reader(), tenant, &ids).await {
            Ok(facts) => {
                blocking(move || {
                    let mut index = index.write().unwrap_or_else(PoisonError::into_inner);
                    apply(&mut index, facts, &ids);
                    index.dead_rows() > index.len().max(MIN_DEAD_ROWS_BEFORE_REBUILD)
                })
                .await
            }
            Err(e) => Err(e.into()),
        };
        match result {
            // Replaced rows have piled up: a fresh index, built while this one keeps answering.
            Ok(true) => start_build(&t, store, tenant),
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(tenant = %tenant, error = %e, "registry search: refresh failed, index dropped");
                self.forget(tenant);
            }
        }
    }

    /// Drop the tenant's index (and any build under way); the next list rebuilds it.
    pub fn forget(&self, tenant: &RegionCode) {
        let t = self.tenant(tenant);
        let mut state = lock(&t.state);
        state.index = None;
        state.building = None;
        state.pending.clear();
        state.generation += 1;
    }
}

impl Registries {
    /// Registries whose list is always read from SQL (the search index off).
    pub fn without_search() -> Self {
        Self { search: Searches::disabled(), ..Self::default() }
    }

    /// After a write that changed these businesses outside an import (a merge, its undoing, a
    /// split, an edit): the entity-resolution index is dropped (records may have moved between
    /// businesses) and the search index reads their facts again.
    pub async fn changed(&self, store: &Store, tenant: &RegionCode, ids: &[BusinessId]) {
        *self.slot(tenant).lock().await = None;
        self.search.changed(store, tenant, ids).await;
    }
}

/// Start a build in the background unless one is under way.
fn start_build(t: &Arc<TenantSearch>, store: &Store, tenant: &RegionCode) {
    let generation = {
        let mut state = lock(&t.state);
        if state.building.is_some() {
            return;
        }
        state.building = Some(state.generation);
        state.generation
    };
    let (t, store, tenant) = (t.clone(), store.clone(), tenant.clone());
    tokio::spawn(async move {
        if let Err(e) = build(&t, &store, &tenant, generation).await {
            tracing::warn!(tenant = %tenant, error = %e, "registry search: build failed; lists read from SQL");
        }
    });
}

/// Read the registry into a new index, apply what changed meanwhile, and put it in place
/// (unless the tenant's index was forgotten meanwhile).
async fn build(t: &TenantSearch, store: &Store, tenant: &RegionCode, generation: u64) -> RegistryResult<()> {
    // Read before the registry: an import committed while it is read counts as newer, and
    // costs at worst one more rebuild.
    let imports_at = store.umkm_last_import_at(&reader(), tenant).await;
    let result = match imports_at {
        Ok(imports_at) => read_registry(store, tenant).await.map(|index| (index, imports_at)),
        Err(e) => Err(e.into()),
    };
    let (mut index, imports_at) = match result {
        Ok(built) => built,
        Err(e) => {
            let mut state = lock(&t.state);
            if state.building == Some(generation) {
                state.building = None;
                state.pending.clear();
            }
            return Err(e);
        }
    };
    loop {
        let ids: Vec<BusinessId> = {
            let mut state = lock(&t.state);
            if state.generation != generation {
                return Ok(());
            }
            if state.pending.is_empty() {
                state.index = Some(Arc::new(RwLock::new(index)));
                state.building = None;
                state.imports_at = imports_at;
                return Ok(());
            }
            state.pending.drain().collect()
        };
        let facts = match store.umkm_search_facts_of(&reader(), tenant, &ids).await {
            Ok(facts) => facts,
            Err(e) => {
                let mut state = lock(&t.state);
                if state.generation == generation {
                    state.building = None;
                    state.pending.clear();
                }
                return Err(e.into());
            }
        };
        index = blocking(move || {
            apply(&mut index, facts, &ids);
            index
        })
        .await?;
    }
}

/// Rebuild (waiting for it) if an import newer than the index's was committed; whether it did.
async fn rebuild_if_imported(t: &TenantSearch, store: &Store, tenant: &RegionCode) -> RegistryResult<bool> {
    let latest = store.umkm_last_import_at(&reader(), tenant).await?;
    let generation = {
        let mut state = lock(&t.state);
        if state.index.is_none() || state.building.is_some() || latest <= state.imports_at {
            return Ok(false);
        }
        state.building = Some(state.generation);
        state.generation
    };
    build(t, store, tenant, generation).await?;
    Ok(true)
}

/// Every live business of the tenant, streamed from the store in batches into the builder,
/// which indexes one batch while the next is read.
async fn read_registry(store: &Store, tenant: &RegionCode) -> RegistryResult<RegistryIndex> {
    let actor = &reader();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<BusinessFacts>>(BATCHES_AHEAD);
    let builder = tokio::task::spawn_blocking(move || {
        RegistryIndex::build(std::iter::from_fn(move || rx.blocking_recv()).flatten())
    });
    let mut after = None;
    let read = async {
        loop {
            let batch = store.umkm_search_facts(actor, tenant, after, BUILD_BATCH).await?;
            let done = (batch.len() as u64) < BUILD_BATCH;
            after = batch.last().map(|f| f.id);
            if tx.send(batch).await.is_err() || done {
                return Ok::<(), RegistryError>(());
            }
        }
    };
    let read = read.await;
    drop(tx);
    let index = builder.await.map_err(|e| RegistryError::Stopped(e.to_string()))?;
    read.map(|()| index)
}

/// Put the facts read for `ids` in the index; ids without facts are no longer live.
fn apply(index: &mut RegistryIndex, facts: Vec<BusinessFacts>, ids: &[BusinessId]) {
    let live: HashSet<BusinessId> = facts.iter().map(|f| f.id).collect();
    let gone: Vec<BusinessId> = ids.iter().filter(|id| !live.contains(id)).copied().collect();
    index.apply(facts, &gone);
}

fn read(index: &RwLock<RegistryIndex>) -> std::sync::RwLockReadGuard<'_, RegistryIndex> {
    index.read().unwrap_or_else(PoisonError::into_inner)
}

/// Run index work (milliseconds to seconds of CPU) off the async workers.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> RegistryResult<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| RegistryError::Stopped(e.to_string()))
}

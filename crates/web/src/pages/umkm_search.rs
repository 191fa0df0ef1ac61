//! The registry list and its export read through the in-memory search
//! ([`sinergi_umkm::Searches`]): the filters become a [`RegistryQuery`], the index answers the
//! page's ids and the total, and the store reads those rows by id. While a tenant's index is
//! still being built, the same filters are answered by SQL ([`Store::umkm_businesses`]) so that
//! no request waits for it.
//!
//! [`Store::umkm_businesses`]: sinergi_store::Store::umkm_businesses

use sinergi_domain::{Actor, BusinessId, Permission, RegionCode};
use sinergi_engines::registry_search::RegistryQuery;
use sinergi_store::umkm::{BusinessFilter, BusinessListRow};

use crate::AppState;
use crate::error::{AppError, AppResult};

/// Ids per read of rows by id (an export reads up to its maximum this way).
const ROWS_PER_READ: usize = 500;

/// Which path answered a list: the search index, or SQL while the index is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListedBy {
    Index,
    Sql,
}

impl ListedBy {
    pub fn slug(self) -> &'static str {
        match self {
            ListedBy::Index => "index",
            ListedBy::Sql => "sql",
        }
    }
}

/// One page of the list, its total, and which path answered.
pub struct ListPage {
    pub rows: Vec<BusinessListRow>,
    pub total: u64,
    pub by: ListedBy,
}

/// The list's filters as the search index reads them. Open duplicate questions are not among
/// a business's facts: the store names the businesses that have one, and the index keeps to
/// them.
async fn registry_query(
    state: &AppState,
    actor: &Actor,
    tenant: &RegionCode,
    filter: &BusinessFilter,
) -> AppResult<RegistryQuery> {
    let mut within = filter.ids.clone();
    if filter.in_review {
        let open = state.store.umkm_in_review_ids(actor, tenant).await?;
        within = Some(match within {
            Some(ids) => open.into_iter().filter(|id| ids.contains(id)).collect(),
            None => open,
        });
    }
    Ok(RegistryQuery {
        text: filter.q.clone(),
        kecamatan: filter.kecamatan.clone(),
        desa: filter.desa.clone(),
        class: filter.class,
        kbli: filter.kbli.clone(),
        permit: filter.permit,
        source: filter.source.clone(),
        year: filter.year,
        within,
    })
}

/// The registry is read by those who may view it, in their own tenant; checked here too,
/// before the index is touched, though the route and the store check it as well.
fn may_view(actor: &Actor) -> AppResult<()> {
    if actor.can(Permission::ViewUmkm) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// One page of the registry list: from the search index when it is ready, else from SQL.
pub async fn list_page(
    state: &AppState,
    actor: &Actor,
    tenant: &RegionCode,
    filter: &BusinessFilter,
    offset: u64,
    limit: u64,
) -> AppResult<ListPage> {
    may_view(actor)?;
    let query = registry_query(state, actor, tenant, filter).await?;
    let search = state.registries.search();
    let (from, count) = (usize::try_from(offset).unwrap_or(usize::MAX), usize::try_from(limit).unwrap_or(usize::MAX));
    if let Some(page) = search.page(&state.store, tenant, query, from, count).await? {
        let rows = state.store.umkm_business_rows(actor, tenant, &page.ids).await?;
        return Ok(ListPage { rows, total: page.total as u64, by: ListedBy::Index });
    }
    let page = state.store.umkm_businesses(actor, tenant, filter, offset, limit).await?;
    Ok(ListPage { rows: page.rows, total: page.total, by: ListedBy::Sql })
}

/// Up to `max` businesses of the list, in its order, for an export.
pub async fn export_rows(
    state: &AppState,
    actor: &Actor,
    tenant: &RegionCode,
    filter: &BusinessFilter,
    max: u64,
) -> AppResult<Vec<BusinessListRow>> {
    may_view(actor)?;
    let query = registry_query(state, actor, tenant, filter).await?;
    let Some(mut ids) = state.registries.search().all(&state.store, tenant, query).await? else {
        return Ok(state.store.umkm_businesses(actor, tenant, filter, 0, max).await?.rows);
    };
    ids.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    rows_by_id(state, actor, tenant, &ids).await
}

/// The rows of these businesses in the order given, read a few hundred at a time.
async fn rows_by_id(
    state: &AppState,
    actor: &Actor,
    tenant: &RegionCode,
    ids: &[BusinessId],
) -> AppResult<Vec<BusinessListRow>> {
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(ROWS_PER_READ) {
        rows.extend(state.store.umkm_business_rows(actor, tenant, chunk).await?);
    }
    Ok(rows)
}

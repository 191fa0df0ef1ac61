//! A business created by hand: before it is written, the registry is asked which businesses
//! it may already be ("probe", which leaves the index as it was); then it is written as a new
//! business or added to the one the officer chose, and the index learns the record.

use sinergi_domain::umkm::SourceRecord;
use sinergi_domain::{Actor, BusinessId, RegionCode};
use sinergi_store::Store;
use sinergi_store::umkm::{CommitSummary, Incoming, Resolution};

use crate::{Registries, RegistryError, RegistryResult, build, er_record};

/// A business the record may describe, with the entity resolution's reasons.
#[derive(Debug, Clone)]
pub struct Likely {
    pub business: BusinessId,
    pub probability: f64,
    pub weight: f64,
    pub explanation: serde_json::Value,
}

/// How many likely businesses a form shows.
const SHOWN: usize = 5;

impl Registries {
    /// The businesses a record would be compared with and found likely the same (at the review
    /// threshold or above), best first, one entry per business.
    pub async fn probe(
        &self,
        store: &Store,
        actor: &Actor,
        tenant: &RegionCode,
        record: &SourceRecord,
    ) -> RegistryResult<Vec<Likely>> {
        let slot = self.slot(tenant);
        let mut guard = slot.lock().await;
        let mut current = match guard.take() {
            Some(t) => t,
            None => build(store, actor, tenant, &[]).await?,
        };
        let er = er_record("probe", record, tenant);
        let (current, found) = tokio::task::spawn_blocking(move || {
            let floor = current.index.thresholds().review;
            let found = current.index.probe(&er, floor, SHOWN * 4);
            (current, found)
        })
        .await
        .map_err(|e| RegistryError::Stopped(e.to_string()))?;
        let mut likely: Vec<Likely> = Vec::new();
        for c in found {
            let Some(business) = current.businesses.get(c.record as usize).copied() else { continue };
            // Candidates come best first: a business's first record is its best.
            if likely.iter().any(|l| l.business == business) {
                continue;
            }
            likely.push(Likely {
                business,
                probability: c.probability,
                weight: c.weight,
                explanation: serde_json::to_value(&c.explanation).unwrap_or_default(),
            });
        }
        likely.truncate(SHOWN);
        *guard = Some(current);
        Ok(likely)
    }

    /// Write a record made by hand: a new business, or a record of `into` when the officer
    /// said it is that business. The index learns the record, so the next import sees it.
    pub async fn create(
        &self,
        store: &Store,
        actor: &Actor,
        tenant: &RegionCode,
        incoming: Incoming,
        into: Option<BusinessId>,
    ) -> RegistryResult<CommitSummary> {
        let slot = self.slot(tenant);
        let mut guard = slot.lock().await;
        let er = er_record("manual", &incoming.record, tenant);
        let resolution = match into {
            Some(business) => Resolution::Chosen { business },
            None => Resolution::New { cluster: 0, weight: None, explanation: None },
        };
        let summary = store.commit_umkm_records(actor, tenant, None, vec![(incoming, resolution)]).await?;
        if let (Some(mut current), Some(business)) = (guard.take(), summary.businesses.first().copied()) {
            let (mut current, ()) = tokio::task::spawn_blocking(move || {
                current.index.add_batch_quiet(std::slice::from_ref(&er));
                (current, ())
            })
            .await
            .map_err(|e| RegistryError::Stopped(e.to_string()))?;
            current.businesses.push(business);
            *guard = Some(current);
        }
        drop(guard);
        self.search.changed(store, tenant, &summary.businesses).await;
        Ok(summary)
    }
}

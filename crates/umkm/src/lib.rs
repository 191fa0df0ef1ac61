//! The UMKM registry's services. Entity resolution, kept in memory per Pemda: the index of every source
//! record (built from the store on first use, then kept current by each commit), and the
//! translation of the engine's decisions into the store's [`Resolution`]s.
//!
//! One import at a time per Pemda holds the tenant's index, so two files committed together
//! are compared with each other too. If a commit fails, the index (which already holds the
//! batch) is dropped and rebuilt from the store on next use: the store is the truth. Merges and
//! splits change which business a record belongs to, so they drop it as well.

mod manual;

use std::collections::HashMap;
use std::sync::Arc;

use sinergi_domain::umkm::SourceRecord;
use sinergi_domain::{Actor, BusinessId, ImportId, RegionCode};
use sinergi_engines::er::{Decision, ErRecord, Index, Outcome, Thresholds, train};
use sinergi_store::Store;
use sinergi_store::umkm::{Candidate, CommitSummary, Incoming, Resolution};
use tokio::sync::Mutex;

mod search;
pub use search::Searches;

/// Why a registry operation failed.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error(transparent)]
    Store(#[from] sinergi_store::StoreError),
    #[error("entity resolution stopped: {0}")]
    Stopped(String),
}

pub type RegistryResult<T> = Result<T, RegistryError>;

pub use manual::Likely;

/// Below this many records a registry's own pairs say too little about m and u; the model is
/// then trained with generated records of the same region added (seeded, so it is repeatable).
const MIN_TRAINING_RECORDS: usize = 5_000;
const SYNTHETIC_TRAINING_RECORDS: usize = 20_000;

struct TenantIndex {
    index: Index,
    /// The business of each indexed record, by position.
    businesses: Vec<BusinessId>,
}

/// Every tenant's index, each behind its own lock, and the list's search indexes.
#[derive(Default)]
pub struct Registries {
    tenants: std::sync::Mutex<HashMap<RegionCode, Arc<Mutex<Option<TenantIndex>>>>>,
    search: Searches,
}

impl Registries {
    fn slot(&self, tenant: &RegionCode) -> Arc<Mutex<Option<TenantIndex>>> {
        let mut map = self.tenants.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(tenant.clone()).or_default().clone()
    }

    /// Build a tenant's index ahead of its first import (at start-up, in the background), so that
    /// no officer waits for the registry to be read and the model trained.
    pub async fn warm(&self, store: &Store, actor: &Actor, tenant: &RegionCode) -> RegistryResult<()> {
        let slot = self.slot(tenant);
        let mut guard = slot.lock().await;
        if guard.is_none() {
            *guard = Some(build(store, actor, tenant, &[]).await?);
        }
        Ok(())
    }

    /// Drop a tenant's indexes; the next import, and the next list, rebuild them. (After a
    /// write whose businesses are known, [`Registries::changed`] keeps the list's index.)
    pub async fn forget(&self, tenant: &RegionCode) {
        *self.slot(tenant).lock().await = None;
        self.search.forget(tenant);
    }

    /// The registry list's search indexes.
    pub fn search(&self) -> &Searches {
        &self.search
    }

    /// Resolve a batch against the registry and commit it (as an import when `import` is
    /// given), whole or not at all. With `dry_run` nothing is written and the summary says what
    /// a commit would do.
    pub async fn commit(
        &self,
        store: &Store,
        actor: &Actor,
        tenant: &RegionCode,
        import: Option<(ImportId, usize)>,
        incoming: Vec<Incoming>,
        dry_run: bool,
    ) -> RegistryResult<CommitSummary> {
        let slot = self.slot(tenant);
        let mut guard = slot.lock().await;
        let batch: Vec<ErRecord> =
            incoming.iter().enumerate().map(|(i, r)| er_record(&format!("new-{i}"), &r.record, tenant)).collect();
        let mut current = match guard.take() {
            Some(t) => t,
            None => build(store, actor, tenant, &batch).await?,
        };
        let existing = current.businesses.len();
        let (index, decisions) = tokio::task::spawn_blocking(move || {
            let decisions = current.index.add_batch(&batch);
            (current, decisions)
        })
        .await
        .map_err(|e| RegistryError::Stopped(e.to_string()))?;
        current = index;
        let resolutions = resolutions(&decisions, existing, &current.businesses);
        if dry_run {
            // The index now holds the batch; it is rebuilt from the store next time.
            return Ok(planned(&resolutions));
        }
        let rows: Vec<(Incoming, Resolution)> = incoming.into_iter().zip(resolutions).collect();
        let result = match import {
            Some((id, rejected)) => store.commit_umkm_import(actor, tenant, id, rows, rejected).await,
            None => store.commit_umkm_records(actor, tenant, None, rows).await,
        };
        match result {
            Ok(summary) => {
                current.businesses.extend(summary.businesses.iter().copied());
                *guard = Some(current);
                self.search.changed(store, tenant, &summary.businesses).await;
                Ok(summary)
            }
            // The index holds a batch the store refused: rebuild it next time.
            Err(e) => Err(RegistryError::Store(e)),
        }
    }
}

/// What committing these resolutions would do, counted the way the store counts.
fn planned(resolutions: &[Resolution]) -> CommitSummary {
    let mut new_clusters = std::collections::HashSet::new();
    let mut linked = std::collections::HashSet::new();
    let mut review = 0;
    for r in resolutions {
        match r {
            Resolution::Link { business, .. } | Resolution::Chosen { business } => {
                linked.insert(*business);
            }
            Resolution::New { cluster, .. } => {
                new_clusters.insert(*cluster);
            }
            Resolution::Review { cluster, .. } => {
                new_clusters.insert(*cluster);
                review += 1;
            }
        }
    }
    CommitSummary {
        records: resolutions.len(),
        new_businesses: new_clusters.len(),
        linked_existing: linked.len(),
        sent_to_review: review,
        businesses: Vec::new(),
    }
}

/// The engine's view of a record: codes for places (both sides use the official codes), the
/// national phone number, the whole NIK (inside this process only).
pub fn er_record(id: &str, r: &SourceRecord, tenant: &RegionCode) -> ErRecord {
    ErRecord {
        record_id: id.to_owned(),
        source: None,
        business_name: Some(r.business_name.clone()),
        owner_name: r.owner_name.clone(),
        nik: r.nik.as_ref().map(|n| n.expose().to_owned()),
        nib: r.nib.as_ref().map(|n| n.as_str().to_owned()),
        phone: r.phone.as_ref().map(|p| p.national()),
        address: r.address.clone(),
        desa: r.desa.as_ref().map(|c| c.as_str().to_owned()),
        kecamatan: r
            .kecamatan
            .clone()
            .or_else(|| r.desa.as_ref().and_then(|d| d.parent()))
            .map(|c| c.as_str().to_owned()),
        kabupaten_kota: Some(r.kab_kota.clone().unwrap_or_else(|| tenant.clone()).as_str().to_owned()),
        kbli: r.kbli.first().map(|k| k.as_str().to_owned()),
        omzet_raw: r.sales.map(|s| s.to_string()),
    }
}

async fn build(store: &Store, actor: &Actor, tenant: &RegionCode, batch: &[ErRecord]) -> RegistryResult<TenantIndex> {
    let sources = store.umkm_er_records(actor, tenant).await?;
    let businesses: Vec<BusinessId> = sources.iter().map(|s| s.business).collect();
    let existing: Vec<ErRecord> = sources
        .into_iter()
        .map(|s| ErRecord {
            record_id: s.record.to_string(),
            source: Some(s.source),
            business_name: Some(s.business_name),
            owner_name: s.owner_name,
            nik: s.nik,
            nib: s.nib,
            phone: s.phone,
            address: s.address,
            desa: s.desa,
            kecamatan: s.kecamatan,
            kabupaten_kota: Some(tenant.as_str().to_owned()),
            kbli: s.kbli,
            omzet_raw: None,
        })
        .collect();
    let batch = batch.to_vec();
    let index = tokio::task::spawn_blocking(move || {
        let training: Vec<ErRecord> = existing.iter().chain(batch.iter()).cloned().collect();
        let model = registry_model(training);
        let mut index = Index::new(model, Thresholds::default());
        index.add_batch_quiet(&existing);
        index
    })
    .await
    .map_err(|e| RegistryError::Stopped(e.to_string()))?;
    Ok(TenantIndex { index, businesses })
}

/// The model a registry's records train (its records and the batch about to be added).
///
/// A young registry (fewer than [`MIN_TRAINING_RECORDS`]) gets the model of generated records.
/// A registry of one record per business, such as businesses entered or seeded one by one,
/// has next to no duplicates for the model to learn what the same business looks like from:
/// its model fails [`sinergi_engines::er::Model::is_plausible`] (an exact business name
/// counted against a match, every pair at 0 or 1, nothing left for review). It is then
/// trained again with generated records added: the registry's own pairs still say how
/// different businesses of this Pemda compare, the generated ones what duplicates look like.
/// If even that fails, the generated records' model is used alone.
pub fn registry_model(records: Vec<ErRecord>) -> sinergi_engines::er::Model {
    if records.len() < MIN_TRAINING_RECORDS {
        return young_registry_model();
    }
    let own = train(&records, 7);
    if own.is_plausible() {
        return own;
    }
    let count = records.len();
    let mut with_generated = records;
    with_generated.extend(synthetic(SYNTHETIC_TRAINING_RECORDS));
    let mixed = train(&with_generated, 7);
    if mixed.is_plausible() {
        tracing::info!(
            records = count,
            "the registry's own records trained no plausible model; trained with generated records added"
        );
        return mixed;
    }
    tracing::warn!(
        records = count,
        "no plausible model from the registry's records; using the generated records' model"
    );
    young_registry_model()
}

/// The model of a registry too young to train its own: trained once per process on generated
/// records (seeded, so every process gets the same model).
fn young_registry_model() -> sinergi_engines::er::Model {
    static MODEL: std::sync::OnceLock<sinergi_engines::er::Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| train(&synthetic(SYNTHETIC_TRAINING_RECORDS), 7)).clone()
}

/// Generated records (Kabupaten Serang's places, names and noise) that steady the model of a
/// young registry. Their places are names, not codes: they train the place comparisons' levels
/// less faithfully than the identity and name fields, which is what they are for.
fn synthetic(n: usize) -> Vec<ErRecord> {
    let Ok(rows) = sinergi_synth::records(n, 7) else { return Vec::new() };
    let some = |s: String| (!s.is_empty()).then_some(s);
    rows.into_iter()
        .map(|r| ErRecord {
            record_id: format!("synthetic-{}", r.record_id),
            source: some(r.source),
            business_name: some(r.business_name),
            owner_name: some(r.owner_name),
            nik: some(r.nik),
            nib: some(r.nib),
            phone: some(r.phone),
            address: some(r.address),
            desa: some(r.desa),
            kecamatan: some(r.kecamatan),
            kabupaten_kota: some(r.kabupaten_kota),
            kbli: some(r.kbli),
            omzet_raw: some(r.omzet_raw),
        })
        .collect()
}

/// The engine's decisions as the store's resolutions. Rows of the batch that link to each
/// other form one new business, or join the existing business one of them links to.
fn resolutions(decisions: &[Decision], existing: usize, businesses: &[BusinessId]) -> Vec<Resolution> {
    let n = decisions.len();
    // Union-find over the batch's rows.
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut target: Vec<Option<(BusinessId, f64, serde_json::Value)>> = vec![None; n];
    for (i, d) in decisions.iter().enumerate() {
        if d.outcome != Outcome::Auto {
            continue;
        }
        let Some(best) = d.candidates.first() else { continue };
        let other = best.record as usize;
        if other < existing {
            if let Some(b) = businesses.get(other) {
                target[i] = Some((*b, best.weight, explanation(best)));
            }
        } else {
            let j = other - existing;
            if j < n {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    // A group of rows joins the existing business its strongest link points to.
    let mut group_target: HashMap<usize, (BusinessId, f64)> = HashMap::new();
    for (i, t) in target.iter().enumerate() {
        if let Some((b, w, _)) = t {
            let root = find(&mut parent, i);
            let better = group_target.get(&root).is_none_or(|(_, bw)| w > bw);
            if better {
                group_target.insert(root, (*b, *w));
            }
        }
    }
    (0..n)
        .map(|i| {
            let root = find(&mut parent, i);
            let d = &decisions[i];
            let best = d.candidates.first();
            if let Some((business, weight)) = group_target.get(&root) {
                let (w, e) = match &target[i] {
                    Some((_, w, e)) => (*w, e.clone()),
                    None => (*weight, best.map(explanation).unwrap_or_default()),
                };
                return Resolution::Link { business: *business, weight: w, explanation: e };
            }
            match (d.outcome, best) {
                (Outcome::Review, Some(c)) => {
                    let other = c.record as usize;
                    let candidate = if other < existing {
                        businesses.get(other).map(|b| Candidate::Business(*b))
                    } else {
                        Some(Candidate::Row(other - existing))
                    };
                    match candidate {
                        Some(candidate) => Resolution::Review {
                            cluster: root,
                            candidate,
                            weight: c.weight,
                            probability: c.probability,
                            explanation: explanation(c),
                        },
                        None => Resolution::New { cluster: root, weight: None, explanation: None },
                    }
                }
                _ => Resolution::New {
                    cluster: root,
                    weight: best.map(|c| c.weight),
                    explanation: best.map(explanation),
                },
            }
        })
        .collect()
}

fn explanation(c: &sinergi_engines::er::Candidate) -> serde_json::Value {
    serde_json::to_value(&c.explanation).unwrap_or_default()
}

/// A spreadsheet read, its header and mapping found (or given), and its rows parsed: what the
/// preview shows and what a commit writes. Used by the web importer and `sinergi import umkm`.
pub struct Prepared {
    pub workbook: sinergi_io::umkm::Workbook,
    pub detected: sinergi_io::umkm::Detected,
    pub rows: Vec<sinergi_io::umkm::ParsedRow>,
}

/// Read and parse a file. `layout` overrides the detected sheet, header row and mapping (the
/// officer's corrections, or the mapping saved for the source when its headers match).
pub fn prepare(
    bytes: &[u8],
    file_name: &str,
    tenant: &RegionCode,
    default_year: i32,
    layout: Option<(usize, usize, sinergi_io::umkm::Mapping)>,
) -> Result<Prepared, sinergi_io::umkm::ImportError> {
    use sinergi_io::umkm::{ParseContext, detect, parse_rows, read_workbook};
    let workbook = read_workbook(bytes, file_name)?;
    let mut detected = detect(&workbook)?;
    if let Some((sheet, header_row, mapping)) = layout
        && let Some(s) = workbook.sheets.get(sheet)
        && header_row < s.rows.len()
    {
        if sheet != detected.sheet || header_row != detected.header_row {
            detected.sheet = sheet;
            detected.header_row = header_row;
            detected.headers = s.rows[header_row].iter().map(|c| c.text.trim().to_owned()).collect();
        }
        if mapping.0.len() == detected.headers.len() {
            detected.mapping = mapping;
        }
    }
    let rows = parse_rows(&workbook, &detected, &ParseContext { tenant: tenant.clone(), default_year })?;
    Ok(Prepared { workbook, detected, rows })
}

impl Prepared {
    /// The accepted rows as records with their provenance, and how many were rejected.
    pub fn incoming(&self, source: &str, file_name: &str) -> (Vec<Incoming>, usize) {
        let sheet = self.workbook.sheets.get(self.detected.sheet).map(|s| s.name.clone());
        let mut rejected = 0;
        let mut out = Vec::new();
        for row in &self.rows {
            match (&row.record, row.is_rejected()) {
                (Some(record), false) => out.push(Incoming {
                    record: record.clone(),
                    provenance: sinergi_store::umkm::Provenance {
                        source: source.trim().to_owned(),
                        file_name: Some(file_name.to_owned()),
                        sheet: sheet.clone(),
                        row: i32::try_from(row.row).ok(),
                        origin: sinergi_store::umkm::Origin::Import,
                    },
                    raw: row.cells_by_header(&self.detected.headers),
                }),
                _ => rejected += 1,
            }
        }
        (out, rejected)
    }
}

//! A programme's report: participants by wave and kecamatan, completion, follow-up answers,
//! and whether the alumni did better than similar businesses that did not take part
//! (`sinergi_domain::programme::outcomes` states the comparison).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use sea_query::{Expr, ExprTrait, Query};
use serde::Serialize;
use sinergi_domain::programme::{GroupOutcome, Growth, summarise};
use sinergi_domain::umkm::SizeClass;
use sinergi_domain::{Actor, ApplicationId, BusinessId, Permission, ProgrammeId, RegionCode};
use uuid::Uuid;

use super::{Decision, Wave, programme_tenant};
use crate::schema::*;
use crate::{Result, Store};

/// One wave's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveFigures {
    pub wave: Wave,
    pub applicants: u32,
    pub selected: u32,
    pub certified: u32,
    /// Per kecamatan: applicants and selected (a kecamatan unknown to the registry is `None`).
    pub by_kecamatan: Vec<(Option<RegionCode>, u32, u32)>,
    /// Follow-up answers by month (3, 6, 12).
    pub follow_ups: BTreeMap<u8, u32>,
}

/// One alumnus as the comparison saw it, for the drill-down.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlumnusOutcome {
    pub application: ApplicationId,
    pub business: BusinessId,
    pub business_name: String,
    pub wave_number: u32,
    pub base_year: i32,
    pub before: Option<i64>,
    pub after: Option<i64>,
    /// Peers found for this alumnus (same class, KBLI section, kecamatan).
    pub peers: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeReport {
    pub waves: Vec<WaveFigures>,
    pub alumni: GroupOutcome,
    pub peers: GroupOutcome,
    pub alumni_rows: Vec<AlumnusOutcome>,
}

#[derive(sqlx::FromRow)]
struct YearRow {
    business_id: Uuid,
    year: i32,
    sales: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: Uuid,
    kecamatan_code: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SectionRow {
    business_id: Uuid,
    section: Option<String>,
}

/// A certified participant as the comparison needs them.
struct Alumnus {
    application: ApplicationId,
    business: BusinessId,
    name: String,
    wave_number: u32,
    /// The year before the wave: its sales are the baseline.
    base_year: i32,
    /// Annual sales in the latest follow-up answer that gives them.
    latest_sales: Option<i64>,
}

/// (base year, class by sales in it, KBLI section, kecamatan): who counts as a peer.
type PeerKey = (i32, SizeClass, String, String);

impl Store {
    pub async fn programme_report(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        programme: ProgrammeId,
    ) -> Result<ProgrammeReport> {
        let tenant = programme_tenant(actor, Permission::ViewUmkm, tenant)?;
        // Another Pemda's programme is not found (rather than reported empty).
        self.programme(actor, &tenant, programme).await?;
        let waves = self.programme_waves(actor, &tenant, programme).await?;
        let mut figures = Vec::new();
        let mut alumni: Vec<Alumnus> = Vec::new();
        for w in waves {
            let apps = self.wave_applications(actor, &tenant, w.id).await?;
            let codes = self.wave_certificates(actor, &tenant, w.id).await?;
            let follow = self.wave_follow_ups(actor, &tenant, w.id).await?;
            let mut by_kec: BTreeMap<Option<RegionCode>, (u32, u32)> = BTreeMap::new();
            let mut selected = 0;
            for a in apps.iter().filter(|a| !a.withdrawn) {
                let e = by_kec.entry(a.kecamatan.clone()).or_default();
                e.0 += 1;
                if a.decision() == Some(Decision::Selected) {
                    e.1 += 1;
                    selected += 1;
                }
            }
            let mut follow_ups: BTreeMap<u8, u32> = BTreeMap::new();
            for f in &follow {
                *follow_ups.entry(f.months).or_default() += 1;
            }
            let base_year =
                w.sessions.first().and_then(|s| s.day.get(..4)).and_then(|y| y.parse::<i32>().ok()).map(|y| y - 1);
            if let Some(base_year) = base_year {
                for a in apps.iter().filter(|a| codes.contains_key(&a.id)) {
                    let latest = follow
                        .iter()
                        .filter(|f| f.application == a.id && f.answers.sales.is_some())
                        .max_by_key(|f| f.months)
                        .and_then(|f| f.answers.sales);
                    alumni.push(Alumnus {
                        application: a.id,
                        business: a.business,
                        name: a.business_name.clone(),
                        wave_number: w.number,
                        base_year,
                        latest_sales: latest,
                    });
                }
            }
            figures.push(WaveFigures {
                applicants: apps.iter().filter(|a| !a.withdrawn).count() as u32,
                selected,
                certified: codes.len() as u32,
                by_kecamatan: by_kec.into_iter().map(|(k, (n, s))| (k, n, s)).collect(),
                follow_ups,
                wave: w,
            });
        }
        let (alumni_group, peer_group, rows) = self.compare_with_peers(&tenant, &alumni).await?;
        Ok(ProgrammeReport { waves: figures, alumni: alumni_group, peers: peer_group, alumni_rows: rows })
    }

    async fn compare_with_peers(
        &self,
        tenant: &RegionCode,
        alumni: &[Alumnus],
    ) -> Result<(GroupOutcome, GroupOutcome, Vec<AlumnusOutcome>)> {
        let mut tx = self.begin_read().await?;
        let base_years: BTreeSet<i32> = alumni.iter().map(|a| a.base_year).collect();
        let alumni_ids: Vec<Uuid> = alumni.iter().map(|a| a.business.as_uuid()).collect();
        // Every business that completed any programme of the Pemda: never a peer.
        #[derive(sqlx::FromRow)]
        struct Done {
            business_id: Uuid,
        }
        let done: HashSet<Uuid> = tx
            .fetch_all::<Done, _>(
                Query::select()
                    .column((WaveApplications::Table, WaveApplications::BusinessId))
                    .from(ProgrammeCertificates::Table)
                    .inner_join(
                        WaveApplications::Table,
                        Expr::col((WaveApplications::Table, WaveApplications::TenantCode))
                            .equals((ProgrammeCertificates::Table, ProgrammeCertificates::TenantCode))
                            .and(
                                Expr::col((WaveApplications::Table, WaveApplications::Id))
                                    .equals((ProgrammeCertificates::Table, ProgrammeCertificates::ApplicationId)),
                            ),
                    )
                    .and_where(
                        Expr::col((ProgrammeCertificates::Table, ProgrammeCertificates::TenantCode))
                            .eq(tenant.as_str()),
                    ),
            )
            .await?
            .into_iter()
            .map(|d| d.business_id)
            .collect();

        // The alumni's keys.
        let years = read_years(&mut tx, tenant, &alumni_ids).await?;
        let places = read_places(&mut tx, tenant, &alumni_ids).await?;
        let sections = read_sections(&mut tx, tenant, &alumni_ids).await?;
        let keys_of = |id: Uuid,
                       base: i32,
                       years: &HashMap<Uuid, Vec<(i32, Option<i64>)>>,
                       places: &HashMap<Uuid, String>,
                       sections: &HashMap<Uuid, Vec<String>>|
         -> Vec<PeerKey> {
            let Some(sales) = years.get(&id).and_then(|v| v.iter().find(|(y, _)| *y == base)).and_then(|(_, s)| *s)
            else {
                return Vec::new();
            };
            let Some(kec) = places.get(&id) else { return Vec::new() };
            let class = SizeClass::by_sales(sales);
            sections.get(&id).into_iter().flatten().map(|s| (base, class, s.clone(), kec.clone())).collect()
        };
        let mut wanted: HashSet<PeerKey> = HashSet::new();
        for a in alumni {
            wanted.extend(keys_of(a.business.as_uuid(), a.base_year, &years, &places, &sections));
        }

        // Candidates: businesses in the alumni's kecamatan, then their keys.
        let kecamatan: BTreeSet<String> = wanted.iter().map(|k| k.3.clone()).collect();
        #[derive(sqlx::FromRow)]
        struct Id {
            id: Uuid,
        }
        let mut candidates: Vec<Uuid> = Vec::new();
        if !kecamatan.is_empty() {
            candidates = tx
                .fetch_all::<Id, _>(
                    Query::select()
                        .column(UmkmBusinesses::Id)
                        .from(UmkmBusinesses::Table)
                        .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                        .and_where(Expr::col(UmkmBusinesses::MergedInto).is_null())
                        .and_where(Expr::col(UmkmBusinesses::KecamatanCode).is_in(kecamatan.iter().cloned())),
                )
                .await?
                .into_iter()
                .map(|r| r.id)
                .filter(|id| !done.contains(id))
                .collect();
        }
        let c_years = read_years(&mut tx, tenant, &candidates).await?;
        let c_places = read_places(&mut tx, tenant, &candidates).await?;
        let c_sections = read_sections(&mut tx, tenant, &candidates).await?;
        let mut peers_by_key: HashMap<PeerKey, Vec<Uuid>> = HashMap::new();
        let mut peer_growth: HashMap<Uuid, Option<Growth>> = HashMap::new();
        for id in &candidates {
            for base in &base_years {
                let keys: Vec<PeerKey> = keys_of(*id, *base, &c_years, &c_places, &c_sections)
                    .into_iter()
                    .filter(|k| wanted.contains(k))
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                let v = c_years.get(id).map(Vec::as_slice).unwrap_or_default();
                let before = v.iter().find(|(y, _)| y == base).and_then(|(_, s)| *s);
                let after =
                    v.iter().filter(|(y, s)| y > base && s.is_some()).max_by_key(|(y, _)| *y).and_then(|(_, s)| *s);
                peer_growth.insert(*id, before.zip(after).map(|(before, after)| Growth { before, after }));
                for k in keys {
                    peers_by_key.entry(k).or_default().push(*id);
                }
            }
        }
        tx.commit().await?;

        let mut rows = Vec::new();
        let mut alumni_growth = Vec::new();
        for a in alumni {
            let id = a.business.as_uuid();
            let before = years.get(&id).and_then(|v| v.iter().find(|(y, _)| *y == a.base_year)).and_then(|(_, s)| *s);
            alumni_growth.push(before.zip(a.latest_sales).map(|(before, after)| Growth { before, after }));
            let mut peers: BTreeSet<Uuid> = BTreeSet::new();
            for k in keys_of(id, a.base_year, &years, &places, &sections) {
                peers.extend(peers_by_key.get(&k).into_iter().flatten().copied());
            }
            rows.push(AlumnusOutcome {
                application: a.application,
                business: a.business,
                business_name: a.name.clone(),
                wave_number: a.wave_number,
                base_year: a.base_year,
                before,
                after: a.latest_sales,
                peers: peers.len() as u32,
            });
        }
        let peer_values: Vec<Option<Growth>> = peer_growth.into_values().collect();
        Ok((summarise(&alumni_growth), summarise(&peer_values), rows))
    }
}

async fn read_years(
    tx: &mut crate::db::Tx,
    tenant: &RegionCode,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<(i32, Option<i64>)>>> {
    let mut out: HashMap<Uuid, Vec<(i32, Option<i64>)>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<YearRow> = tx
            .fetch_all(
                Query::select()
                    .columns([UmkmYears::BusinessId, UmkmYears::Year, UmkmYears::Sales])
                    .from(UmkmYears::Table)
                    .and_where(Expr::col(UmkmYears::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmYears::BusinessId).is_in(chunk.iter().copied())),
            )
            .await?;
        for r in rows {
            out.entry(r.business_id).or_default().push((r.year, r.sales));
        }
    }
    Ok(out)
}

async fn read_places(tx: &mut crate::db::Tx, tenant: &RegionCode, ids: &[Uuid]) -> Result<HashMap<Uuid, String>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<KeyRow> = tx
            .fetch_all(
                Query::select()
                    .columns([UmkmBusinesses::Id, UmkmBusinesses::KecamatanCode])
                    .from(UmkmBusinesses::Table)
                    .and_where(Expr::col(UmkmBusinesses::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmBusinesses::Id).is_in(chunk.iter().copied())),
            )
            .await?;
        out.extend(rows.into_iter().filter_map(|r| Some((r.id, r.kecamatan_code?))));
    }
    Ok(out)
}

async fn read_sections(
    tx: &mut crate::db::Tx,
    tenant: &RegionCode,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<String>>> {
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<SectionRow> = tx
            .fetch_all(
                Query::select()
                    .columns([UmkmBusinessKbli::BusinessId, UmkmBusinessKbli::Section])
                    .from(UmkmBusinessKbli::Table)
                    .and_where(Expr::col(UmkmBusinessKbli::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmBusinessKbli::BusinessId).is_in(chunk.iter().copied())),
            )
            .await?;
        for r in rows {
            if let Some(s) = r.section {
                let v = out.entry(r.business_id).or_default();
                if !v.contains(&s) {
                    v.push(s);
                }
            }
        }
    }
    Ok(out)
}

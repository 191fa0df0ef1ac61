//! Kabupaten Serang's managerial training for micro businesses, funded by DAK Non-Fisik, as the
//! field report tells it: the sixth wave opened by the Wakil Bupati on Monday 20 October 2025 at
//! Swiss-Belinn Modern Cikande, 50 participants selected by Diskoumperindag from 10 kecamatan
//! (among them Bandung, Tanara, Cikande and Kibin). The fifth wave before it, its alumni, the
//! sixth wave's attendance, certificates and follow-up answers at 3, 6 and 12 months, and a
//! seventh wave open for applications (the demo owner applies to it).

use sinergi_domain::programme::{Eligibility, Funding, ProgrammeKind, Quotas, WaveStatus};
use sinergi_domain::umkm::SizeClass;
use sinergi_domain::{Actor, AgencyId, BusinessId, KbliCode, RegionCode, WaveId};
use sinergi_store::Store;
use sinergi_store::programmes::{CheckInBy, Decision, FollowUpAnswers, NewProgramme, NewSession, NewWave};
use sinergi_store::umkm::BusinessFilter;
use time::{Date, Month};

use crate::DemoError;

/// The sixth wave's kecamatan: the four the report names, and six more of the regency.
const WAVE_6_KECAMATAN: [&str; 10] =
    ["Bandung", "Tanara", "Cikande", "Kibin", "Kragilan", "Jawilan", "Kopo", "Pontang", "Tirtayasa", "Carenang"];

/// Applicants per kecamatan for the sixth wave (120 in all for 50 seats).
const APPLICANTS_PER_KECAMATAN: u64 = 12;

fn day(y: i32, m: Month, d: u8) -> Result<Date, DemoError> {
    Date::from_calendar_date(y, m, d).map_err(|e| DemoError::Data(e.to_string()))
}

fn session(day: Date, venue: &str, topic: &str) -> NewSession {
    NewSession {
        day,
        starts: Some("08:00".into()),
        ends: Some("16:00".into()),
        venue: venue.into(),
        topic: Some(topic.into()),
    }
}

/// The regency's kecamatan codes by name.
fn kecamatan(tenant: &RegionCode, names: &[&str]) -> Result<Vec<RegionCode>, DemoError> {
    let all = sinergi_reference::children(Some(tenant));
    names
        .iter()
        .map(|n| {
            all.iter()
                .find(|r| r.name.eq_ignore_ascii_case(n))
                .map(|r| r.code.clone())
                .ok_or_else(|| DemoError::Data(format!("kecamatan {n} is not in the reference")))
        })
        .collect()
}

/// A deterministic spread in 0..100 for the i-th participant.
fn spread(i: usize, salt: u64) -> u64 {
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x ^ (x >> 32)) % 100
}

pub struct ProgrammesReport {
    pub participants: usize,
}

pub async fn load(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    agency: AgencyId,
    owner: Option<(&Actor, BusinessId)>,
) -> Result<ProgrammesReport, DemoError> {
    let programme = store
        .create_programme(
            system,
            tenant,
            NewProgramme {
                kind: ProgrammeKind::Training,
                title: "Pelatihan Manajerial bagi Usaha Mikro".into(),
                description: Some(
                    "DAK Non-Fisik bagi UMKM dalam rangka pengembangan ekosistem dan rantai pasok kawasan industri: \
                     kapasitas produksi, pemasaran dan kemasan."
                        .into(),
                ),
                agency_id: Some(agency),
                funding: Funding::DakNonFisik,
                pledge_id: None,
                agreement_id: None,
            },
        )
        .await?;
    let codes = kecamatan(tenant, &WAVE_6_KECAMATAN)?;
    let micro_food = Eligibility {
        max_class: Some(SizeClass::Micro),
        kbli: vec![KbliCode::parse("C").map_err(|e| DemoError::Data(e.to_string()))?],
        requires_nib: false,
        not_trained_in_last_waves: Some(2),
        criteria: Vec::new(),
    };

    // The fifth wave, June 2025: 40 seats across the regency, done; its alumni are not
    // admitted to the sixth (trained in the last two waves).
    let wave5 = store
        .create_wave(
            system,
            tenant,
            programme,
            NewWave {
                number: 5,
                quotas: Quotas { total: 40, per_kecamatan: Default::default(), redistribute: false },
                eligibility: micro_food.clone(),
                min_attendance_percent: 100,
                closes_on: Some(day(2025, Month::June, 6)?),
                sessions: vec![
                    session(
                        day(2025, Month::June, 16)?,
                        "Aula Diskoumperindag Kabupaten Serang",
                        "Pencatatan keuangan",
                    ),
                    session(
                        day(2025, Month::June, 17)?,
                        "Aula Diskoumperindag Kabupaten Serang",
                        "Perizinan: NIB, P-IRT, halal",
                    ),
                ],
            },
        )
        .await?;
    let wave5_businesses = pick(store, system, tenant, &[], true, 40, 300).await?;
    run_wave(store, system, tenant, wave5, &wave5_businesses, 0).await?;

    // The sixth wave: 5 seats in each of 10 kecamatan, 120 applicants, two days in Cikande.
    let wave6 = store
        .create_wave(
            system,
            tenant,
            programme,
            NewWave {
                number: 6,
                quotas: Quotas {
                    total: 50,
                    per_kecamatan: codes.iter().map(|c| (c.clone(), 5)).collect(),
                    redistribute: true,
                },
                eligibility: micro_food.clone(),
                min_attendance_percent: 100,
                closes_on: Some(day(2025, Month::October, 10)?),
                sessions: vec![
                    session(
                        day(2025, Month::October, 20)?,
                        "Swiss-Belinn Modern Cikande",
                        "Pembukaan oleh Wakil Bupati; kapasitas produksi dan kemasan",
                    ),
                    session(
                        day(2025, Month::October, 21)?,
                        "Swiss-Belinn Modern Cikande",
                        "Pemasaran: galeri UMKM, Indomaret, Alfamart, SPPG",
                    ),
                ],
            },
        )
        .await?;
    let mut applicants = Vec::new();
    for code in &codes {
        // Mostly micro producers, as the agency invites them; a few others apply too and are
        // told why they cannot take part.
        let one = std::slice::from_ref(code);
        applicants.extend(pick(store, system, tenant, one, true, APPLICANTS_PER_KECAMATAN - 3, 20).await?);
        applicants.extend(pick(store, system, tenant, one, false, 3, 0).await?);
    }
    // Some of the fifth wave's alumni apply again.
    applicants.extend(wave5_businesses.iter().take(3).copied());
    let participants = run_wave(store, system, tenant, wave6, &applicants, 6).await?;

    // Follow-up at 3, 6 and 12 months: most answer, fewer each time.
    let apps = store.wave_applications(system, tenant, wave6).await?;
    let certified = store.wave_certificates(system, tenant, wave6).await?;
    for (i, a) in apps.iter().filter(|a| certified.contains_key(&a.id)).enumerate() {
        let detail = store.umkm_business(system, tenant, a.business).await?;
        let base = detail.years.iter().find(|y| y.year == 2024).and_then(|y| y.sales).unwrap_or(0);
        if base == 0 {
            continue;
        }
        for (months, answer_below, growth) in [(3u8, 92, 8), (6, 82, 20), (12, 70, 38)] {
            if spread(i, u64::from(months)) >= answer_below {
                continue;
            }
            // Growth around the wave's median, some far above, a few below.
            let pct = i64::from(u8::try_from(spread(i, 77)).unwrap_or(0)) - 30 + growth;
            let channels = match spread(i, 5) {
                0..=24 => vec!["Pusat Galeri UMKM Kabupaten Serang".to_owned()],
                25..=39 => vec!["Indomaret".to_owned()],
                40..=49 => vec!["SPPG Cikande".to_owned()],
                _ => Vec::new(),
            };
            let permits = if months >= 6 && spread(i, 9) < 45 { vec!["P-IRT".to_owned()] } else { Vec::new() };
            let answers = FollowUpAnswers {
                sales: Some(base + base * pct / 100),
                employees: Some(u32::try_from(1 + spread(i, 11) % 4).unwrap_or(1)),
                permits_obtained: permits,
                new_channels: channels,
                note: None,
            };
            store.record_follow_up(system, tenant, a.id, months, answers).await?;
        }
    }

    // The seventh wave, open now; the demo owner applies to it from her account.
    let wave7 = store
        .create_wave(
            system,
            tenant,
            programme,
            NewWave {
                number: 7,
                quotas: Quotas {
                    total: 50,
                    per_kecamatan: codes.iter().map(|c| (c.clone(), 5)).collect(),
                    redistribute: true,
                },
                eligibility: Eligibility { criteria: vec!["Memiliki produk yang sudah dijual".into()], ..micro_food },
                min_attendance_percent: 100,
                closes_on: Some(day(2026, Month::December, 4)?),
                sessions: vec![
                    session(day(2026, Month::December, 14)?, "Swiss-Belinn Modern Cikande", "Kemasan dan label"),
                    session(day(2026, Month::December, 15)?, "Swiss-Belinn Modern Cikande", "Akses pembiayaan KUR"),
                ],
            },
        )
        .await?;
    store.move_wave(system, tenant, wave7, WaveStatus::Open).await?;
    if let Some((owner, business)) = owner {
        store.apply_as_owner(owner, tenant, wave7, business, vec!["Memiliki produk yang sudah dijual".into()]).await?;
    }
    Ok(ProgrammesReport { participants })
}

/// Registry businesses to apply: `n` from each kecamatan given (or from the whole registry),
/// skipping the first `skip`; `producers`: micro businesses in manufacturing (KBLI C) only.
async fn pick(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    kecamatan: &[RegionCode],
    producers: bool,
    n: u64,
    skip: u64,
) -> Result<Vec<BusinessId>, DemoError> {
    let mut out = Vec::new();
    let base = if producers {
        BusinessFilter {
            kbli: Some(KbliCode::parse("C").map_err(|e| DemoError::Data(e.to_string()))?),
            class: Some(SizeClass::Micro),
            ..Default::default()
        }
    } else {
        BusinessFilter::default()
    };
    let filters: Vec<BusinessFilter> = if kecamatan.is_empty() {
        vec![base]
    } else {
        kecamatan.iter().map(|k| BusinessFilter { kecamatan: Some(k.clone()), ..base.clone() }).collect()
    };
    for f in filters {
        let page = store.umkm_businesses(system, tenant, &f, skip, n).await?;
        out.extend(page.rows.into_iter().map(|r| r.id));
    }
    Ok(out)
}

/// Open a wave, apply the businesses, select, run both days (a few miss a day), issue the
/// certificates and close it. Returns how many were selected.
async fn run_wave(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    wave: WaveId,
    businesses: &[BusinessId],
    salt: u64,
) -> Result<usize, DemoError> {
    store.move_wave(system, tenant, wave, WaveStatus::Open).await?;
    store.apply_many_to_wave(system, tenant, wave, businesses).await?;
    store.select_wave(system, tenant, wave).await?;
    store.move_wave(system, tenant, wave, WaveStatus::Running).await?;
    let w = store.wave(system, tenant, wave).await?;
    let selected: Vec<_> = store
        .wave_applications(system, tenant, wave)
        .await?
        .into_iter()
        .filter(|a| a.decision() == Some(Decision::Selected))
        .collect();
    for (i, a) in selected.iter().enumerate() {
        for (day, s) in w.sessions.iter().enumerate() {
            // About one in sixteen misses the second day, and gets no certificate.
            if day == 1 && spread(i, salt + 40) < 6 {
                continue;
            }
            store.check_in(system, tenant, wave, s.id, CheckInBy::Application(a.id)).await?;
        }
    }
    store.issue_certificates(system, tenant, wave).await?;
    store.move_wave(system, tenant, wave, WaveStatus::Done).await?;
    Ok(selected.len())
}

//! The Labkesda of Kota Serang: a realistic test catalogue with tariffs and quality standards,
//! 400 industrial companies of Kabupaten Serang's industrial kecamatan as customers, and
//! orders across the recent months in every state of the workflow, so that the dashboard
//! has shape and each step can be tried from a demo login.
//!
//! The Perda named as the tariffs' basis is illustrative: Kota Serang's real retribution
//! regulation sets its own numbers, which a Pemda edits on the catalogue page.

use sinergi_domain::auth::Email;
use sinergi_domain::lab::{Limit, Medium, OrderStatus, Step};
use sinergi_domain::{Actor, LabPackageId, LabParameterId, PartnerId, RegionCode, Role};
use sinergi_store::lab::{NewLabOrder, NewLabPackage, NewLabParameter, Payment};
use sinergi_store::partners::PartnerInput;
use sinergi_store::users::NewUser;
use sinergi_store::{PasswordHashString, Store};
use time::{Duration, OffsetDateTime};

use crate::DemoError;

/// Illustrative: the tariffs' legal basis as the catalogue prints it.
pub const PERDA: &str = "Perda Kota Serang Nomor 7 Tahun 2024 tentang Retribusi Jasa Umum (ilustratif)";

/// The factory whose HSE officer orders tests through the partner portal.
pub const FACTORY_NAME: &str = "PT Indah Tekstil Cikande";
pub const FACTORY_USER_EMAIL: &str = "pabrik@kota-serang.demo.sinergi.id";
pub const FACTORY_USER_NAME: &str = "Hendra Gunawan (HSE PT Indah Tekstil Cikande)";
/// The laboratory's second officer, who verifies what the analyst entered.
pub const VERIFIER_EMAIL: &str = "penyelia-lab@kota-serang.demo.sinergi.id";
pub const VERIFIER_NAME: &str = "Maya Lestari (Penyelia Labkesda)";

/// Kabupaten Serang's industrial kecamatan, as the reference data names them.
const INDUSTRIAL_KECAMATAN: [&str; 10] =
    ["Cikande", "Kibin", "Kragilan", "Jawilan", "Kopo", "Pamarayan", "Cikeusal", "Kramatwatu", "Bojonegara", "Ciruas"];

const GENERATED_COMPANIES: usize = 400;

/// (name, unit, method, min, max, legal basis, tariff, days)
type Param = (&'static str, &'static str, &'static str, Option<f64>, Option<f64>, &'static str, i64, u32);

const P68: &str = "Permen LHK P.68/2016 (air limbah domestik)";
const PMK2: &str = "Permenkes 2/2023";
const PP22: &str = "PP 22/2021 Lampiran VII (baku mutu udara ambien)";
const P15: &str = "Permen LHK P.15/2019 (emisi)";
const KEP48: &str = "Kepmen LH 48/1996 (kawasan industri)";

const WASTEWATER: [Param; 7] = [
    ("BOD", "mg/L", "SNI 6989.72:2009", None, Some(30.0), P68, 150_000, 7),
    ("COD", "mg/L", "SNI 6989.2:2019", None, Some(100.0), P68, 120_000, 5),
    ("TSS", "mg/L", "SNI 6989.3:2019", None, Some(30.0), P68, 60_000, 5),
    ("pH", "-", "SNI 6989.11:2019", Some(6.0), Some(9.0), P68, 25_000, 1),
    ("Amonia (NH3-N)", "mg/L", "SNI 06-6989.30-2005", None, Some(10.0), P68, 75_000, 5),
    ("Minyak dan lemak", "mg/L", "SNI 6989.10:2011", None, Some(5.0), P68, 110_000, 7),
    ("Total coliform", "MPN/100 mL", "APHA 9221-B", None, Some(3000.0), P68, 90_000, 5),
];
const CLEAN_WATER: [Param; 6] = [
    ("Kekeruhan", "NTU", "SNI 06-6989.25-2005", None, Some(3.0), PMK2, 35_000, 2),
    ("pH", "-", "SNI 6989.11:2019", Some(6.5), Some(8.5), PMK2, 25_000, 1),
    ("TDS", "mg/L", "APHA 2540-C", None, Some(300.0), PMK2, 45_000, 3),
    ("Besi (Fe)", "mg/L", "SNI 6989.4:2009", None, Some(0.2), PMK2, 70_000, 5),
    ("Mangan (Mn)", "mg/L", "SNI 6989.5:2009", None, Some(0.1), PMK2, 70_000, 5),
    ("E. coli", "CFU/100 mL", "SNI 01-2332.1-2006", None, Some(0.0), PMK2, 80_000, 3),
];
const DRINKING_WATER: [Param; 5] = [
    ("pH", "-", "SNI 6989.11:2019", Some(6.5), Some(8.5), PMK2, 25_000, 1),
    ("TDS", "mg/L", "APHA 2540-C", None, Some(300.0), PMK2, 45_000, 3),
    ("Nitrat (NO3)", "mg/L", "SNI 6989.79:2011", None, Some(20.0), PMK2, 65_000, 5),
    ("E. coli", "CFU/100 mL", "SNI 01-2332.1-2006", None, Some(0.0), PMK2, 80_000, 3),
    ("Total coliform", "CFU/100 mL", "SNI 01-2332.1-2006", None, Some(0.0), PMK2, 80_000, 3),
];
const AMBIENT_AIR: [Param; 5] = [
    ("SO2", "µg/Nm³", "SNI 7119.7:2017", None, Some(150.0), PP22, 250_000, 10),
    ("NO2", "µg/Nm³", "SNI 7119.2:2017", None, Some(200.0), PP22, 250_000, 10),
    ("CO", "µg/Nm³", "NDIR", None, Some(10_000.0), PP22, 200_000, 10),
    ("PM10", "µg/Nm³", "Gravimetri", None, Some(75.0), PP22, 300_000, 10),
    ("PM2,5", "µg/Nm³", "Gravimetri", None, Some(55.0), PP22, 300_000, 10),
];
const EMISSION: [Param; 4] = [
    ("Partikulat", "mg/Nm³", "SNI 7117.17:2009", None, Some(150.0), P15, 600_000, 14),
    ("SO2", "mg/Nm³", "SNI 7117.3.1:2015", None, Some(600.0), P15, 450_000, 14),
    ("NOx sebagai NO2", "mg/Nm³", "SNI 7117.5:2015", None, Some(800.0), P15, 450_000, 14),
    ("Opasitas", "%", "SNI 19-7117.11-2005", None, Some(20.0), P15, 150_000, 7),
];
const NOISE: [Param; 1] = [("Tingkat kebisingan", "dBA", "SNI 8427:2017", None, Some(70.0), KEP48, 250_000, 3)];

/// (medium, parameters, package name, package tariff, days)
type Section = (Medium, &'static [Param], &'static str, i64, u32);
const SECTIONS: [Section; 6] = [
    (
        Medium::Wastewater,
        &WASTEWATER,
        "Paket air limbah (BOD, COD, TSS, pH, amonia, minyak dan lemak, coliform)",
        550_000,
        14,
    ),
    (Medium::CleanWater, &CLEAN_WATER, "Paket air bersih higiene sanitasi", 300_000, 7),
    (Medium::DrinkingWater, &DRINKING_WATER, "Paket air minum", 260_000, 7),
    (Medium::AmbientAir, &AMBIENT_AIR, "Paket udara ambien (24 jam)", 1_200_000, 14),
    (Medium::Emission, &EMISSION, "Paket emisi cerobong boiler", 1_500_000, 21),
    (Medium::Noise, &NOISE, "Pengukuran kebisingan lingkungan kerja dan batas pagar", 250_000, 3),
];

const NAME_A: [&str; 20] = [
    "Indah",
    "Sinar",
    "Mitra",
    "Cahaya",
    "Prima",
    "Mega",
    "Jaya",
    "Sentosa",
    "Makmur",
    "Abadi",
    "Nusa",
    "Bintang",
    "Surya",
    "Karya",
    "Samudra",
    "Mulia",
    "Gemilang",
    "Harapan",
    "Sejahtera",
    "Agung",
];
const NAME_B: [(&str, &str); 10] = [
    ("Tekstil", "Industri tekstil"),
    ("Kimia", "Industri kimia"),
    ("Plastik", "Industri plastik"),
    ("Pangan", "Industri makanan"),
    ("Logam", "Industri logam"),
    ("Kertas", "Industri kertas"),
    ("Alas Kaki", "Industri alas kaki"),
    ("Farma", "Industri farmasi"),
    ("Keramik", "Industri keramik"),
    ("Elektronik", "Industri elektronik"),
];

fn data(what: impl std::fmt::Display) -> DemoError {
    DemoError::Data(format!("lab: {what}"))
}

fn region(code: &str) -> Result<RegionCode, DemoError> {
    RegionCode::parse(code).map_err(data)
}

/// A deterministic spread in 0..1 (no randomness: the demo is the same on every start).
fn spread(i: usize, salt: usize) -> f64 {
    let x = (i.wrapping_mul(2_654_435_761).wrapping_add(salt.wrapping_mul(40_503))) % 10_007;
    x as f64 / 10_007.0
}

/// A loaded section of the catalogue: its medium, its package, its parameters with limits.
type LoadedSection = (Medium, LabPackageId, Vec<(LabParameterId, Limit)>);

struct Catalogue {
    sections: Vec<LoadedSection>,
}

async fn load_catalogue(store: &Store, officer: &Actor, tenant: &RegionCode) -> Result<Catalogue, DemoError> {
    let mut sections = Vec::new();
    for (medium, params, package, tariff, days) in SECTIONS {
        let mut ids = Vec::new();
        for (name, unit, method, min, max, basis, p_tariff, p_days) in params {
            let limit = Limit::new(*min, *max).map_err(data)?;
            let id = store
                .add_lab_parameter(
                    officer,
                    tenant,
                    NewLabParameter {
                        medium,
                        name: (*name).into(),
                        unit: (*unit).into(),
                        method: (*method).into(),
                        limit,
                        legal_basis: (*basis).into(),
                        tariff: *p_tariff,
                        tariff_basis: PERDA.into(),
                        turnaround_days: *p_days,
                    },
                )
                .await?;
            ids.push((id, limit));
        }
        let package = store
            .add_lab_package(
                officer,
                tenant,
                NewLabPackage {
                    medium,
                    name: package.into(),
                    parameters: ids.iter().map(|(id, _)| *id).collect(),
                    tariff,
                    tariff_basis: PERDA.into(),
                    turnaround_days: days,
                },
            )
            .await?;
        sections.push((medium, package, ids));
    }
    Ok(Catalogue { sections })
}

/// The 400 companies of Kabupaten Serang's industrial kecamatan (and a few of Kota Serang's
/// own, whose payments are PAD but not the cooperation's), in the Kota's partner registry.
async fn load_companies(store: &Store, officer: &Actor, tenant: &RegionCode) -> Result<Vec<PartnerId>, DemoError> {
    let kab = region("36.04")?;
    let kecamatan: Vec<RegionCode> = INDUSTRIAL_KECAMATAN
        .iter()
        .filter_map(|n| {
            sinergi_reference::children(Some(&kab)).into_iter().find(|r| r.name == *n).map(|r| r.code.clone())
        })
        .collect();
    if kecamatan.is_empty() {
        return Err(data("no industrial kecamatan in the reference data"));
    }
    let mut out = Vec::new();
    let add = |name: String, code: &RegionCode, sector: &str| {
        PartnerInput::parse("company", &name, code.as_str(), "", "", "", sector, "", "", "", true)
            .map_err(|e| data(format!("{name}: {e:?}")))
    };
    let mut inputs = vec![add(FACTORY_NAME.into(), &kecamatan[0], "Industri tekstil")?];
    for i in 1..GENERATED_COMPANIES {
        let (b, sector) = NAME_B[i % NAME_B.len()];
        let a = NAME_A[(i / NAME_B.len()) % NAME_A.len()];
        let k = &kecamatan[i % kecamatan.len()];
        let place = sinergi_reference::region(k).map(|r| r.name.clone()).unwrap_or_default();
        // 20 × 10 names, then the same names in another kecamatan: every name is unique.
        let name = if i < NAME_A.len() * NAME_B.len() {
            format!("PT {a} {b} {place}")
        } else {
            format!("PT {a} {b} {place} Dua")
        };
        inputs.push(add(name, k, sector)?);
    }
    let kota = region("36.73.01")?;
    for name in ["CV Serang Boga Lestari", "PT Kota Serang Printing", "RS Bhakti Serang"] {
        inputs.push(add(name.into(), &kota, "Usaha di Kota Serang")?);
    }
    for input in inputs {
        out.push(store.create_partner(officer, tenant, input).await?.id);
    }
    Ok(out)
}

/// A demo login: (email, name, role, the company it speaks for).
type Login<'a> = (&'a str, &'a str, Role, Option<PartnerId>);

async fn user(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    (email, name, role, partner_id): Login<'_>,
    hash: PasswordHashString,
) -> Result<Actor, DemoError> {
    let u = store
        .create_user(
            system,
            NewUser {
                tenant: Some(tenant.clone()),
                agency_id: None,
                partner_id,
                email: Email::parse(email).map_err(data)?,
                name: name.into(),
                role,
                password_hash: hash,
            },
        )
        .await?;
    Ok(u.actor())
}

/// A measured value: mostly within the standard, now and then over it.
fn measured(limit: &Limit, i: usize, salt: usize) -> f64 {
    let r = spread(i, salt);
    let v = match *limit {
        Limit::Range { min, max } => {
            min + (max - min) * (0.1 + 0.8 * r) + if r > 0.93 { (max - min) * 0.3 } else { 0.0 }
        }
        Limit::Max { max: 0.0 } => {
            if r > 0.85 {
                (r * 40.0).round()
            } else {
                0.0
            }
        }
        Limit::Max { max } => max * (0.25 + 0.95 * r),
        Limit::Min { min } => min * (0.9 + 0.6 * r),
        Limit::None => 10.0 * r,
    };
    (v * 100.0).round() / 100.0
}

/// Load the Labkesda of Kota Serang. `officer` is the lab officer (analyst) of the demo.
pub async fn load(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    hash: PasswordHashString,
) -> Result<usize, DemoError> {
    let officer = store
        .user_for_login(&Email::parse(&crate::demo_email(Role::LabOfficer, "kota-serang")).map_err(data)?)
        .await?
        .ok_or_else(|| data("the lab officer's account"))?
        .0
        .actor();
    let catalogue = load_catalogue(store, &officer, tenant).await?;
    let companies = load_companies(store, &officer, tenant).await?;
    let factory = companies[0];
    let verifier =
        user(store, system, tenant, (VERIFIER_EMAIL, VERIFIER_NAME, Role::LabOfficer, None), hash.clone()).await?;
    user(store, system, tenant, (FACTORY_USER_EMAIL, FACTORY_USER_NAME, Role::Partner, Some(factory)), hash).await?;
    // The laboratory serves the Kota–Kabupaten Serang cooperation.
    let agreement = store
        .agreements(system, &Default::default())
        .await?
        .into_iter()
        .find(|a| {
            &a.tenant == tenant
                && a.document == sinergi_domain::cooperation::agreement::DocumentKind::Kb
                && a.title.contains("Laboratorium Kesehatan Daerah")
        })
        .map(|a| a.id);
    store.set_lab_agreement(&officer, tenant, agreement).await?;

    let now = OffsetDateTime::now_utc();
    let orders = 110;
    for i in 0..orders {
        // Most orders are wastewater tests; the rest spread over the other media.
        let section = match i % 20 {
            0..=11 => 0,
            12 | 13 => 1,
            14 => 2,
            15 | 16 => 3,
            17 | 18 => 4,
            _ => 5,
        };
        let (medium, package, params) = &catalogue.sections[section];
        // Customers from across the registry; the factory of the demo login has a few.
        let customer = if i % 25 == 3 { factory } else { companies[(i * 37 + 11) % companies.len()] };
        let age_days = 3 + ((i * 173) % 175) as i64;
        let ordered_at = now - Duration::days(age_days);
        let new = NewLabOrder {
            partner: customer,
            medium: *medium,
            packages: vec![*package],
            parameters: vec![],
            location: match medium {
                Medium::Wastewater => "Outlet IPAL",
                Medium::Emission => "Cerobong boiler",
                Medium::AmbientAir | Medium::Noise => "Batas pagar sisi utara",
                _ => "Kran air produksi",
            }
            .into(),
            note: None,
        };
        let id = store.create_lab_order(&officer, tenant, new).await?;
        // Recent orders stop in each intermediate state; older ones ran the whole way, a few
        // were cancelled or rejected.
        let target = if age_days <= 24 {
            [
                OrderStatus::Registered,
                OrderStatus::Quoted,
                OrderStatus::Paid,
                OrderStatus::SamplingScheduled,
                OrderStatus::Received,
                OrderStatus::ToBeVerified,
                OrderStatus::Verified,
            ][i % 7]
        } else if i % 17 == 5 {
            OrderStatus::Cancelled
        } else if i % 19 == 7 {
            OrderStatus::Rejected
        } else {
            OrderStatus::Published
        };
        let turnaround = 6 + ((i * 7) % 15) as i64;
        let mut status = OrderStatus::Registered;
        if target == OrderStatus::Cancelled {
            store.withdraw_lab_order(&officer, tenant, id, Step::Cancel, "Perusahaan menunda pengujian").await?;
            status = OrderStatus::Cancelled;
        }
        if status != target {
            let total = store.quote_lab_order(&officer, tenant, id).await?;
            status = OrderStatus::Quoted;
            if target != OrderStatus::Quoted {
                let paid_on = (ordered_at + Duration::days(2).min(Duration::days(age_days))).date();
                let payment = Payment {
                    invoice_number: format!("STS/LAB/{}/{:04}", paid_on.year(), i + 1),
                    paid_on,
                    amount: total,
                };
                store.pay_lab_order(&officer, tenant, id, payment).await?;
                status = OrderStatus::Paid;
            }
        }
        if target == OrderStatus::Rejected {
            store
                .withdraw_lab_order(&officer, tenant, id, Step::Reject, "Sampel tidak memenuhi syarat pengawetan")
                .await?;
            status = OrderStatus::Rejected;
        }
        if status != target && status == OrderStatus::Paid {
            let sampling_on = (ordered_at + Duration::days(3)).date();
            store.schedule_lab_sampling(&officer, tenant, id, sampling_on, "Budi Santoso, Dedi Kurniawan").await?;
            status = OrderStatus::SamplingScheduled;
        }
        if status != target && status == OrderStatus::SamplingScheduled {
            let description = format!("{} — {}", crate::lab::medium_word(*medium), "wadah tersegel, suhu 4 °C");
            store.receive_lab_samples(&officer, tenant, id, &[description], "Budi Santoso (petugas sampling)").await?;
            status = OrderStatus::Received;
        }
        if status != target && status == OrderStatus::Received {
            let values: Vec<(LabParameterId, f64)> =
                params.iter().enumerate().map(|(k, (p, limit))| (*p, measured(limit, i, k))).collect();
            store.submit_lab_results(&officer, tenant, id, &values).await?;
            status = OrderStatus::ToBeVerified;
        }
        if status != target && status == OrderStatus::ToBeVerified {
            store.verify_lab_order(&verifier, tenant, id).await?;
            status = OrderStatus::Verified;
        }
        if status != target && status == OrderStatus::Verified {
            store.publish_lab_order(&verifier, tenant, id).await?;
        }
        let until = if target == OrderStatus::Published {
            ordered_at + Duration::days(turnaround.min(age_days))
        } else {
            ordered_at + Duration::days((age_days / 2).min(5))
        };
        let ms = |t: OffsetDateTime| (t.unix_timestamp_nanos() / 1_000_000) as i64;
        store.backdate_lab_order(system, tenant, id, ms(ordered_at), ms(until)).await?;
    }
    Ok(companies.len())
}

/// A sample's medium as the receiving officer writes it on the label.
fn medium_word(m: Medium) -> &'static str {
    match m {
        Medium::Wastewater => "Air limbah",
        Medium::CleanWater => "Air bersih",
        Medium::DrinkingWater => "Air minum",
        Medium::AmbientAir => "Udara ambien",
        Medium::Emission => "Emisi cerobong",
        Medium::Noise => "Kebisingan",
    }
}

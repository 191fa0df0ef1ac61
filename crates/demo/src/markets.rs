//! Kabupaten Serang's market channels and KUR referrals for the demo, from the DAK Non-Fisik
//! training report (Indomaret/Alfamart, Koperasi Merah Putih, MBG/SPPG supply): food producers
//! in the Indomaret and Alfamart pipelines at every stage, three SPPG kitchens drawing on egg
//! producers (Cikande healthy with sixteen suppliers, Kibin short of fifteen, Tanara dominated by
//! one farm), Koperasi Merah Putih Desa Tanara's members, the e-Katalog, and KUR referrals
//! through Bank BJB at every status, moved by the bank's own user.

use sinergi_domain::market::{ChannelKind, ReferralStatus, Requirement, Stage};
use sinergi_domain::umkm::{LegalForm, Nib, Npwp, Permit, PermitKind, Sex, SourceRecord};
use sinergi_domain::{Actor, BusinessId, ChannelId, KbliCode, PartnerId, RegionCode, Role};
use sinergi_store::markets::{ChannelInput, ReferralInput, ReferralMove};
use sinergi_store::partners::{ContactInput, PartnerInput};
use sinergi_store::umkm::{Incoming, Origin, Provenance, SeedBusiness};
use sinergi_store::users::NewUser;
use sinergi_store::{PasswordHashString, Store};
use time::Date;
use time::macros::date;

use crate::DemoError;

/// Bank BJB's KUR analyst in Kabupaten Serang: a partner user who sees the referrals sent to
/// the bank and records their steps.
pub const BANK_USER_EMAIL: &str = "kur-bjb@kabupaten-serang.demo.sinergi.id";
pub const BANK_USER_NAME: &str = "Rudi Hartono (Analis KUR Bank BJB)";
pub const BANK_NAME: &str = "PT Bank Pembangunan Daerah Jawa Barat dan Banten Tbk (Bank BJB) Cabang Serang";

/// The day the demo's story stands at (the last field report, 30 January 2026); every date
/// recorded is on or before it.
const STORY_DAY: Date = date!(2026 - 01 - 30);

/// A producer of the demo: name, owner, desa, KBLI, products, and whether it holds an NIB,
/// an NPWP, a P-IRT and a halal certificate.
struct Producer {
    name: &'static str,
    owner: &'static str,
    female: bool,
    desa: &'static str,
    kbli: &'static str,
    products: &'static str,
    nib: bool,
    npwp: bool,
    pirt: bool,
    halal: bool,
}

const fn egg(name: &'static str, owner: &'static str, female: bool, desa: &'static str) -> Producer {
    Producer {
        name,
        owner,
        female,
        desa,
        kbli: "01462",
        products: "Telur ayam ras",
        nib: true,
        npwp: false,
        pirt: false,
        halal: false,
    }
}

const fn food(
    name: &'static str,
    owner: &'static str,
    female: bool,
    desa: &'static str,
    products: &'static str,
    (npwp, pirt, halal): (bool, bool, bool),
) -> Producer {
    Producer { name, owner, female, desa, kbli: "10794", products, nib: true, npwp, pirt, halal }
}

/// SPPG Cikande's sixteen suppliers (Kecamatan Cikande and Kibin).
const CIKANDE: [Producer; 16] = [
    egg("Peternakan Ayam Petelur H. Jaenudin", "H. Jaenudin", false, "36.04.15.2001"),
    egg("Telur Segar Bu Oneng", "Oneng Rohaeni", true, "36.04.15.2001"),
    egg("Peternakan Berkah Leuwi Limus", "Sarmadi", false, "36.04.15.2002"),
    egg("Telur Nambo Udik", "Apud Mahpudin", false, "36.04.15.2003"),
    egg("Ayam Petelur Parigi Jaya", "Ucu Suryani", true, "36.04.15.2004"),
    egg("Peternakan Koper Mandiri", "Dadang Supriatna", false, "36.04.15.2005"),
    egg("Telur Bakung Sejahtera", "Iyos Rosita", true, "36.04.15.2006"),
    egg("Peternakan Julang Makmur", "Enjen Zaenal", false, "36.04.15.2007"),
    egg("Telur Sukatani", "Yayah Kurniasih", true, "36.04.15.2008"),
    egg("Ayam Petelur Situterate", "Wawan Setiawan", false, "36.04.15.2009"),
    egg("Peternakan Kamurang Barokah", "Nurhasanah", true, "36.04.15.2010"),
    egg("Telur Gembor Udik", "Asep Saepudin", false, "36.04.15.2011"),
    egg("Peternakan Songgom Jaya", "Komarudin", false, "36.04.15.2012"),
    egg("Telur Cikande Permai", "Elis Nurhayati", true, "36.04.15.2013"),
    egg("Peternakan Ketos Lestari", "Mulyadi", false, "36.04.16.2002"),
    egg("Telur Cijeruk Kibin", "Rukmini", true, "36.04.16.2003"),
];

/// SPPG Kibin's six suppliers: short of fifteen.
const KIBIN: [Producer; 6] = [
    egg("Peternakan Ayam Kibin Sejahtera", "H. Sanwani", false, "36.04.16.2001"),
    egg("Telur Nagara", "Sumiati", true, "36.04.16.2004"),
    egg("Peternakan Nambo Ilir", "Jajang Nurjaman", false, "36.04.16.2005"),
    egg("Telur Barengkok", "Entin Kartini", true, "36.04.16.2006"),
    egg("Ayam Petelur Sukamaju", "Odih Suhendi", false, "36.04.16.2007"),
    egg("Telur Tambak Kibin", "Cucu Sumarni", true, "36.04.16.2008"),
];

/// Producers near Kibin not yet in any kitchen: the suggestions SPPG Kibin's page shows (one
/// without an NIB, which it must not suggest).
const NEAR_KIBIN: [Producer; 6] = [
    egg("Peternakan Ciagel Barokah", "Tatang Sutisna", false, "36.04.16.2009"),
    egg("Telur Kibin Berkah", "Imas Masitoh", true, "36.04.16.2001"),
    egg("Ayam Petelur Ketos Jaya", "Ade Kusnadi", false, "36.04.16.2002"),
    Producer {
        kbli: "01131",
        products: "Kangkung, bayam, sawi",
        ..egg("Kebun Sayur Nagara", "Rohman", false, "36.04.16.2004")
    },
    egg("Peternakan Carenang Makmur", "Yuyun Yuningsih", true, "36.04.17.2001"),
    Producer { nib: false, ..egg("Telur Kampung Pak Udin", "Udin Samsudin", false, "36.04.16.2003") },
];

/// SPPG Tanara's fifteen suppliers; the first supplies far more than the rest.
const TANARA: [Producer; 15] = [
    egg("Peternakan Ayam Petelur Tanara Jaya", "H. Mamad Ruhiyat", false, "36.04.14.2001"),
    egg("Telur Cerukcuk", "Suhaemi", false, "36.04.14.2002"),
    egg("Telur Tenjoayu", "Euis Suminar", true, "36.04.14.2003"),
    egg("Peternakan Sukamanah", "Dedi Kurnia", false, "36.04.14.2004"),
    egg("Telur Lempuyang", "Aan Andriani", true, "36.04.14.2005"),
    egg("Ayam Petelur Siremen", "Maman Suherman", false, "36.04.14.2006"),
    egg("Telur Bendung Tanara", "Ela Nurlela", true, "36.04.14.2007"),
    egg("Peternakan Pedaleman", "Jumadi", false, "36.04.14.2008"),
    egg("Telur Cibodas Tanara", "Rosidah", true, "36.04.14.2009"),
    egg("Peternakan Tanara Berkah", "Saepul Anwar", false, "36.04.14.2001"),
    egg("Telur Asin Ibu Kokom", "Kokom Komariah", true, "36.04.14.2002"),
    egg("Peternakan Pontang Jaya", "Hasanudin", false, "36.04.12.2001"),
    egg("Telur Tirtayasa", "Sutini", true, "36.04.13.2001"),
    egg("Ayam Petelur Kragilan", "Ahmad Rifai", false, "36.04.11.2001"),
    egg("Telur Ciruas Sejahtera", "Neneng Hasanah", true, "36.04.09.2001"),
];

/// Food producers for the retailers and the e-catalogue: (NPWP, P-IRT, halal).
const FOOD: [Producer; 8] = [
    food("Sambal Roa Bu Yati", "Suryati", true, "36.04.09.2001", "Sambal roa botol 150 g", (true, true, true)),
    food("Kerupuk Kulit Ikan Pontang", "Muhidin", false, "36.04.12.2001", "Kerupuk kulit ikan", (true, true, true)),
    food("Dodol Ciruas Ibu Enah", "Enah Sukaenah", true, "36.04.09.2001", "Dodol ketan", (true, true, true)),
    food("Emping Melinjo Ciomas", "Rohimah", true, "36.04.27.2001", "Emping melinjo 250 g", (true, true, false)),
    food("Keripik Pisang Baros", "Dede Rahmat", false, "36.04.22.2001", "Keripik pisang", (false, true, true)),
    food("Abon Bandeng Tanara", "Siti Rukoyah", true, "36.04.14.2001", "Abon bandeng", (true, true, true)),
    food("Gipang Cikande", "Mumun Maemunah", true, "36.04.15.2001", "Gipang beras ketan", (true, false, false)),
    food("Kopi Gunungsari", "Ujang Sobari", false, "36.04.33.2001", "Kopi robusta bubuk", (true, true, true)),
];

fn data(what: impl std::fmt::Display) -> DemoError {
    DemoError::Data(format!("markets: {what}"))
}

fn code(s: &str) -> Result<RegionCode, DemoError> {
    RegionCode::parse(s).map_err(data)
}

async fn seed(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    producers: &[Producer],
    first: usize,
) -> Result<Vec<BusinessId>, DemoError> {
    let mut seeds = Vec::with_capacity(producers.len());
    for (i, p) in producers.iter().enumerate() {
        let n = first + i;
        let desa = code(p.desa)?;
        let record = SourceRecord {
            business_name: p.name.into(),
            legal_form: Some(LegalForm::Individual),
            owner_name: Some(p.owner.into()),
            sex: Some(if p.female { Sex::Female } else { Sex::Male }),
            nib: if p.nib { Some(Nib::parse(&format!("91204{n:08}")).map_err(data)?) } else { None },
            npwp: if p.npwp { Some(Npwp::parse(&format!("7{n:06}44401000")).map_err(data)?) } else { None },
            kbli: vec![KbliCode::parse(p.kbli).map_err(data)?],
            kecamatan: desa.parent(),
            desa: Some(desa),
            kab_kota: Some(tenant.clone()),
            products: Some(p.products.into()),
            year: 2025,
            ..SourceRecord::default()
        };
        seeds.push(SeedBusiness {
            incoming: Incoming {
                raw: vec![("Nama Usaha".into(), p.name.into()), ("Pemilik".into(), p.owner.into())],
                record,
                provenance: Provenance {
                    source: "pendataan-pemasok-mbg-2025".into(),
                    file_name: None,
                    sheet: None,
                    row: None,
                    origin: Origin::Form,
                },
            },
            later_years: vec![],
        });
    }
    let ids = store.seed_umkm_businesses(system, tenant, seeds).await?;
    for (id, p) in ids.iter().zip(producers) {
        if p.pirt {
            let permit = Permit {
                kind: PermitKind::Pirt,
                number: format!("P-IRT 20136040{:05}-27", id.as_uuid().as_u128() % 100_000),
                issued: Some(date!(2022 - 03 - 14)),
                expires: Some(date!(2027 - 12 - 31)),
            };
            store.add_umkm_permit(system, tenant, *id, permit).await?;
        }
        if p.halal {
            let permit = Permit {
                kind: PermitKind::Halal,
                number: format!("ID36110000{:07}", id.as_uuid().as_u128() % 10_000_000),
                issued: Some(date!(2024 - 06 - 03)),
                expires: None,
            };
            store.add_umkm_permit(system, tenant, *id, permit).await?;
        }
    }
    Ok(ids)
}

async fn partner(store: &Store, system: &Actor, tenant: &RegionCode, name: &str) -> Result<PartnerId, DemoError> {
    store
        .partners(system, &Default::default())
        .await?
        .into_iter()
        .find(|p| &p.tenant == tenant && p.name.contains(name))
        .map(|p| p.id)
        .ok_or_else(|| data(format!("partner {name}")))
}

/// Walk an entry to `stage` with the officer's ticks, one date per step.
#[allow(clippy::too_many_arguments)] // one entry's story, each part named at the call sites
async fn walk(
    store: &Store,
    officer: &Actor,
    tenant: &RegionCode,
    channel: ChannelId,
    business: BusinessId,
    stage: Stage,
    start: Date,
    ticks: &[Requirement],
) -> Result<sinergi_domain::ChannelEntryId, DemoError> {
    let entry = store.add_channel_entry(officer, tenant, channel, business, start, STORY_DAY).await?;
    if stage == Stage::Submitted {
        return Ok(entry);
    }
    store.tick_channel_entry(officer, tenant, entry, ticks, STORY_DAY).await?;
    let mut on = start;
    let path: &[Stage] = match stage {
        Stage::RequirementsMet => &[Stage::RequirementsMet],
        Stage::Accepted => &[Stage::RequirementsMet, Stage::Accepted],
        Stage::Supplying => &[Stage::RequirementsMet, Stage::Accepted, Stage::Supplying],
        Stage::Declined => &[Stage::Declined],
        Stage::Withdrawn => &[Stage::RequirementsMet, Stage::Withdrawn],
        Stage::Submitted => &[],
    };
    for s in path {
        on = (on + time::Duration::days(9)).min(STORY_DAY);
        store.move_channel_entry(officer, tenant, entry, *s, on, STORY_DAY).await?;
    }
    Ok(entry)
}

async fn kitchen(
    store: &Store,
    officer: &Actor,
    tenant: &RegionCode,
    name: &str,
    desa: &str,
    portions: u32,
    contact: &str,
) -> Result<ChannelId, DemoError> {
    Ok(store
        .create_channel(
            officer,
            tenant,
            ChannelInput {
                kind: ChannelKind::Mbg,
                name: name.into(),
                partner_id: None,
                desa: Some(code(desa)?),
                daily_portions: Some(portions),
                contact: Some(contact.into()),
                requirements: None,
            },
        )
        .await?)
}

/// Suppliers of a kitchen, supplying since December, each with its monthly value.
async fn supply(
    store: &Store,
    officer: &Actor,
    tenant: &RegionCode,
    channel: ChannelId,
    ids: &[BusinessId],
    value: impl Fn(usize) -> i64,
) -> Result<(), DemoError> {
    for (i, b) in ids.iter().enumerate() {
        let start = date!(2025 - 11 - 03) + time::Duration::days(i as i64);
        let entry =
            walk(store, officer, tenant, channel, *b, Stage::Supplying, start, &[Requirement::Capacity]).await?;
        store.set_monthly_supply(officer, tenant, entry, Some(value(i)), STORY_DAY).await?;
    }
    Ok(())
}

/// What the markets part of the demo made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MarketsReport {
    pub businesses: usize,
    pub channels: usize,
    pub referrals: usize,
}

pub async fn load(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    password_hash: PasswordHashString,
) -> Result<MarketsReport, DemoError> {
    let mut report = MarketsReport::default();
    // Partners the registry lacks: Bank BJB's branch (KUR) and LKPP's e-Katalog. LKPP is a
    // government body, not a company; the registry has no kind for it, so it is filed as a
    // company with its sector saying what it is.
    let parse = |kind: &str, name: &str, sector: &str| {
        PartnerInput::parse(kind, name, "36.04", "", "", "", sector, "", "", "", true)
            .map_err(|e| data(format!("{e:?}")))
    };
    let bjb = store.create_partner(system, tenant, parse("bank", BANK_NAME, "Perbankan")?).await?.id;
    let contact =
        ContactInput::parse("Rudi Hartono", "Analis KUR", "", "0812-1111-2002").map_err(|e| data(format!("{e:?}")))?;
    store.add_contact(system, bjb, contact).await?;
    let lkpp = store
        .create_partner(
            system,
            tenant,
            parse("company", "LKPP — Katalog Elektronik (e-Katalog)", "Pengadaan pemerintah")?,
        )
        .await?
        .id;
    let banker = store
        .create_user(
            system,
            NewUser {
                tenant: Some(tenant.clone()),
                agency_id: None,
                partner_id: Some(bjb),
                email: sinergi_domain::auth::Email::parse(BANK_USER_EMAIL).map_err(data)?,
                name: BANK_USER_NAME.into(),
                role: Role::Partner,
                password_hash,
            },
        )
        .await?;
    let banker = banker.actor();
    let indomaret = partner(store, system, tenant, "Indomaret").await?;
    let alfamart = partner(store, system, tenant, "Alfamart").await?;
    let kmp = partner(store, system, tenant, "Koperasi Merah Putih").await?;

    let cikande = seed(store, system, tenant, &CIKANDE, 0).await?;
    let kibin = seed(store, system, tenant, &KIBIN, 100).await?;
    let near = seed(store, system, tenant, &NEAR_KIBIN, 200).await?;
    let tanara = seed(store, system, tenant, &TANARA, 300).await?;
    let foods = seed(store, system, tenant, &FOOD, 400).await?;
    report.businesses = cikande.len() + kibin.len() + near.len() + tanara.len() + foods.len();

    // The three SPPG kitchens.
    let officer = system;
    let k1 =
        kitchen(store, officer, tenant, "SPPG Cikande", "36.04.15.2001", 3_000, "Kepala SPPG Cikande, 0812-8000-1501")
            .await?;
    supply(store, officer, tenant, k1, &cikande, |i| 4_200_000 + (i as i64 % 4) * 300_000).await?;
    let k2 = kitchen(store, officer, tenant, "SPPG Kibin", "36.04.16.2001", 2_500, "Kepala SPPG Kibin, 0812-8000-1601")
        .await?;
    supply(store, officer, tenant, k2, &kibin, |_| 5_500_000).await?;
    let k3 =
        kitchen(store, officer, tenant, "SPPG Tanara", "36.04.14.2001", 2_000, "Kepala SPPG Tanara, 0812-8000-1401")
            .await?;
    // One farm sells Tanara's kitchen twelve times what any other does: 46% of its eggs.
    supply(store, officer, tenant, k3, &tanara, |i| if i == 0 { 30_000_000 } else { 2_500_000 }).await?;
    // Two near Kibin have started: one submitted, one waiting for its capacity check.
    walk(store, officer, tenant, k2, near[0], Stage::Submitted, date!(2026 - 01 - 20), &[]).await?;
    report.channels += 3;

    // Modern retail, with the curation checklist; the e-catalogue.
    let retail = |name: &str, partner_id| ChannelInput {
        kind: ChannelKind::ModernRetail,
        name: name.into(),
        partner_id: Some(partner_id),
        desa: None,
        daily_portions: None,
        contact: None,
        requirements: None,
    };
    let ticks = [Requirement::Label, Requirement::Barcode, Requirement::Capacity];
    let c = store.create_channel(officer, tenant, retail("Indomaret — Rak UMKM Serang", indomaret)).await?;
    for (i, stage) in [
        Stage::Supplying,
        Stage::Supplying,
        Stage::Accepted,
        Stage::RequirementsMet,
        Stage::Submitted,
        Stage::Submitted,
    ]
    .into_iter()
    .enumerate()
    {
        // The fourth and fifth lack a halal certificate or an NPWP: they wait at submitted.
        let stage = if matches!(i, 3 | 4) && !(FOOD[i].halal && FOOD[i].npwp) { Stage::Submitted } else { stage };
        walk(store, officer, tenant, c, foods[i], stage, date!(2025 - 10 - 20), &ticks).await?;
    }
    let c = store.create_channel(officer, tenant, retail("Alfamart — Pojok UMKM", alfamart)).await?;
    for (i, stage) in [
        (0, Stage::Accepted),
        (2, Stage::Supplying),
        (5, Stage::RequirementsMet),
        (7, Stage::Declined),
        (6, Stage::Submitted),
    ] {
        walk(store, officer, tenant, c, foods[i], stage, date!(2025 - 11 - 10), &ticks).await?;
    }
    let c = store
        .create_channel(
            officer,
            tenant,
            ChannelInput { kind: ChannelKind::ECatalogue, ..retail("e-Katalog Lokal Kabupaten Serang", lkpp) },
        )
        .await?;
    for (i, stage) in [(0, Stage::Accepted), (7, Stage::RequirementsMet), (1, Stage::Submitted)] {
        walk(store, officer, tenant, c, foods[i], stage, date!(2025 - 12 - 01), &ticks).await?;
    }
    // Koperasi Merah Putih Desa Tanara: Tanara's egg farms join; acceptance records the
    // membership in the registry.
    let c = store
        .create_channel(
            officer,
            tenant,
            ChannelInput {
                kind: ChannelKind::Cooperative,
                desa: Some(code("36.04.14.2001")?),
                ..retail("Koperasi Merah Putih Desa Tanara", kmp)
            },
        )
        .await?;
    for (i, stage) in [
        Stage::Supplying,
        Stage::Supplying,
        Stage::Accepted,
        Stage::Accepted,
        Stage::Accepted,
        Stage::RequirementsMet,
        Stage::Submitted,
    ]
    .into_iter()
    .enumerate()
    {
        walk(store, officer, tenant, c, tanara[i + 1], stage, date!(2025 - 10 - 27), &[]).await?;
    }
    report.channels += 4;

    // KUR referrals through Bank BJB, one at each status; the bank's analyst records its steps.
    let refer = |business, scheme: &str, amount, purpose: &str, on| ReferralInput {
        business,
        partner_id: bjb,
        scheme_code: scheme.into(),
        amount_asked: amount,
        purpose: purpose.into(),
        on,
    };
    let step = |to, on| ReferralMove {
        to,
        on,
        amount_approved: None,
        amount_disbursed: None,
        decline_reason: None,
        note: None,
    };
    let list = [
        (tanara[0], "kur-kecil", 350_000_000, "Kandang baterai tambahan untuk 5.000 ekor", ReferralStatus::Disbursed),
        (cikande[1], "kur-mikro", 50_000_000, "Pakan dan bibit ayam petelur", ReferralStatus::Disbursed),
        (kibin[0], "kur-mikro", 75_000_000, "Kandang dan mesin tetas", ReferralStatus::Approved),
        (foods[0], "kur-super-mikro", 10_000_000, "Mesin pengemas dan label", ReferralStatus::Assessed),
        (foods[3], "kur-mikro", 40_000_000, "Bahan baku melinjo musim panen", ReferralStatus::Declined),
        (near[1], "kur-super-mikro", 8_000_000, "Modal kerja pakan", ReferralStatus::Referred),
    ];
    for (business, scheme, amount, purpose, reach) in list {
        let on = date!(2025 - 12 - 01);
        let id =
            store.create_referral(officer, tenant, refer(business, scheme, amount, purpose, on), STORY_DAY).await?;
        report.referrals += 1;
        if reach == ReferralStatus::Referred {
            continue;
        }
        store
            .move_referral(&banker, tenant, id, step(ReferralStatus::Assessed, date!(2025 - 12 - 08)), STORY_DAY)
            .await?;
        match reach {
            ReferralStatus::Declined => {
                let mv = ReferralMove {
                    decline_reason: Some("Usaha baru berjalan 5 bulan; ajukan kembali setelah 6 bulan".into()),
                    ..step(ReferralStatus::Declined, date!(2025 - 12 - 15))
                };
                store.move_referral(&banker, tenant, id, mv, STORY_DAY).await?;
            }
            ReferralStatus::Approved | ReferralStatus::Disbursed => {
                let approved = amount * 9 / 10;
                let mv = ReferralMove {
                    amount_approved: Some(approved),
                    ..step(ReferralStatus::Approved, date!(2025 - 12 - 19))
                };
                store.move_referral(&banker, tenant, id, mv, STORY_DAY).await?;
                if reach == ReferralStatus::Disbursed {
                    let mv = ReferralMove {
                        amount_disbursed: Some(approved),
                        ..step(ReferralStatus::Disbursed, date!(2026 - 01 - 09))
                    };
                    store.move_referral(&banker, tenant, id, mv, STORY_DAY).await?;
                }
            }
            ReferralStatus::Referred | ReferralStatus::Assessed => {}
        }
    }
    Ok(report)
}

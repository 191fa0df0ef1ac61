//! Demand matching in the demo (issue 7): SPPG Cikande's and SPPG Kibin's kitchens and a factory
//! canteen in Cikande post what they need; Sinergi ranks the local producers; the top ones are
//! notified; a few offer; SPPG Kibin accepts one for vegetables, whose value shows as captured
//! locally. SPPG Cikande's kitchen manager logs in as a partner user, and the egg farm of
//! H. Jaenudin in Desa Cikande has its owner's account (a verified claim), so that the browser
//! journey can post a demand for eggs and answer it.

use sinergi_domain::auth::Email;
use sinergi_domain::market::demand::{DemandForm, OfferForm};
use sinergi_domain::{Actor, BusinessId, DemandId, PartnerId, RegionCode, Role};
use sinergi_engines::supply::{DemandQuery, SupplierRef, SupplyIndex, monthly};
use sinergi_store::demand::DemandRow;
use sinergi_store::partners::PartnerInput;
use sinergi_store::umkm::{BusinessFilter, NewClaim};
use sinergi_store::users::NewUser;
use sinergi_store::{PasswordHashString, Store};
use time::{Date, Duration};

use crate::DemoError;

/// SPPG Cikande's kitchen manager: a partner user who posts the kitchen's demands.
pub const SPPG_USER_EMAIL: &str = "sppg-cikande@kabupaten-serang.demo.sinergi.id";
pub const SPPG_USER_NAME: &str = "Siti Aminah (Kepala SPPG Cikande)";
/// The owner of an egg farm in Desa Cikande, who answers demands for eggs.
pub const EGG_OWNER_EMAIL: &str = "telur-jaenudin@kabupaten-serang.demo.sinergi.id";
pub const EGG_OWNER_NAME: &str = "H. Jaenudin (Peternakan Ayam Petelur H. Jaenudin)";
const EGG_FARM: &str = "Peternakan Ayam Petelur H. Jaenudin";
const CANTEEN: &str = "PT Sinar Cikande Tekstil (Kantin Pabrik)";

fn data(what: impl std::fmt::Display) -> DemoError {
    DemoError::Data(format!("demand: {what}"))
}

fn today() -> Date {
    let wib = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::now_utc().to_offset(wib).date()
}

async fn business(store: &Store, system: &Actor, tenant: &RegionCode, name: &str) -> Result<BusinessId, DemoError> {
    let filter = BusinessFilter { q: Some(name.to_owned()), ..Default::default() };
    store
        .umkm_businesses(system, tenant, &filter, 0, 10)
        .await?
        .rows
        .into_iter()
        .find(|b| b.name == name)
        .map(|b| b.id)
        .ok_or_else(|| data(format!("business {name}")))
}

async fn partner(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    name: &str,
    sector: &str,
) -> Result<PartnerId, DemoError> {
    let input = PartnerInput::parse("company", name, "36.04", "", "", "", sector, "", "", "", true)
        .map_err(|e| data(format!("{e:?}")))?;
    Ok(store.create_partner(system, tenant, input).await?.id)
}

#[allow(clippy::too_many_arguments)] // one demand's fields, named at each call site
fn form(
    kind: &str,
    title: &str,
    category: &str,
    kbli: &str,
    description: &str,
    (quantity, unit, frequency): (&str, &str, &str),
    region: &str,
    permits: &[&str],
    (price_min, price_max): (&str, &str),
    days: i64,
) -> DemandForm {
    DemandForm {
        buyer_kind: kind.into(),
        title: title.into(),
        category: category.into(),
        kbli: kbli.into(),
        description: description.into(),
        quantity: quantity.into(),
        unit: unit.into(),
        frequency: frequency.into(),
        region: region.into(),
        permits: permits.iter().map(|p| (*p).to_owned()).collect(),
        price_min: price_min.into(),
        price_max: price_max.into(),
        deadline: (today() + Duration::days(days)).to_string(),
    }
}

/// Post a demand for a buyer and notify its top `notify` suppliers as ranked now.
async fn post(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    index: &SupplyIndex,
    buyer: PartnerId,
    f: DemandForm,
    notify: usize,
) -> Result<(DemandId, DemandRow, Vec<SupplierRef>), DemoError> {
    let draft = f.parse(today()).map_err(|e| data(format!("{e:?}")))?;
    let id = store.create_demand(system, tenant, Some(buyer), draft.clone()).await?;
    let query = DemandQuery {
        kbli: draft.kbli.clone(),
        category: draft.category,
        text: format!("{} {}", draft.title, draft.description),
        region: Some(draft.region.clone()),
        permits: draft.permits.clone(),
        monthly_quantity: Some(monthly(draft.quantity, draft.frequency)),
        on: draft.deadline,
    };
    let top: Vec<_> = index.top(&query, notify);
    store.notify_demand_suppliers(system, tenant, id, &top, &format!("/permintaan/{id}")).await?;
    let row = store.demand(system, tenant, id).await?.demand;
    Ok((id, row, top.iter().map(|m| m.supplier).collect()))
}

async fn offer(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    (id, row): (DemandId, &DemandRow),
    supplier: SupplierRef,
    (price, quantity, days): (&str, &str, i64),
) -> Result<sinergi_domain::DemandOfferId, DemoError> {
    let draft = OfferForm {
        price: price.into(),
        quantity: quantity.into(),
        delivery_on: (today() + Duration::days(days)).to_string(),
        note: String::new(),
    }
    .parse(row.quantity, row.deadline, today())
    .map_err(|e| data(format!("{e:?}")))?;
    Ok(store.submit_demand_offer(system, tenant, id, supplier, draft).await?)
}

pub async fn load(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    password_hash: PasswordHashString,
) -> Result<(), DemoError> {
    let kitchen = partner(store, system, tenant, "SPPG Cikande", "Dapur Makan Bergizi Gratis (MBG)").await?;
    let kibin = partner(store, system, tenant, "SPPG Kibin", "Dapur Makan Bergizi Gratis (MBG)").await?;
    let canteen = partner(store, system, tenant, CANTEEN, "Industri tekstil, Kawasan Industri Modern Cikande").await?;
    store
        .create_user(
            system,
            NewUser {
                tenant: Some(tenant.clone()),
                agency_id: None,
                partner_id: Some(kitchen),
                email: Email::parse(SPPG_USER_EMAIL).map_err(data)?,
                name: SPPG_USER_NAME.into(),
                role: Role::Partner,
                password_hash: password_hash.clone(),
            },
        )
        .await?;
    // The egg farm's owner, with the claim verified by the Dinas.
    let owner = store
        .create_user(
            system,
            NewUser {
                tenant: Some(tenant.clone()),
                agency_id: None,
                partner_id: None,
                email: Email::parse(EGG_OWNER_EMAIL).map_err(data)?,
                name: EGG_OWNER_NAME.into(),
                role: Role::UmkmOwner,
                password_hash,
            },
        )
        .await?;
    let farm = business(store, system, tenant, EGG_FARM).await?;
    let claim = store
        .claim_umkm(&owner.actor(), tenant, NewClaim { business: farm, nik: None, phone: None, note: None })
        .await?;
    store.decide_umkm_claim(system, tenant, claim, true, "").await?;

    let index = SupplyIndex::build(store.supplier_facts(system, tenant).await?);
    // SPPG Cikande: eggs for 3,000 portions a day, from farms that hold an NIB.
    let (eggs, eggs_row, egg_top) = post(
        store,
        system,
        tenant,
        &index,
        kitchen,
        form(
            "sppg",
            "Telur ayam ras untuk menu MBG",
            "pertanian",
            "01462",
            "Telur ayam ras segar, ukuran sedang, untuk 3.000 porsi sehari. Dikirim ke dapur SPPG Cikande setiap Senin.",
            ("1.200", "kg", "mingguan"),
            "36.04.15.2001",
            &["nib"],
            ("26.000", "29.000"),
            21,
        ),
        5,
    )
    .await?;
    if let Some(first) = egg_top.iter().find(|s| **s != SupplierRef::Business(farm)) {
        offer(store, system, tenant, (eggs, &eggs_row), *first, ("27.500", "600", 7)).await?;
    }
    // SPPG Kibin: leafy vegetables, with one deal.
    let (veg, veg_row, veg_top) = post(
        store,
        system,
        tenant,
        &index,
        kibin,
        form(
            "sppg",
            "Sayur bayam dan kangkung",
            "pertanian",
            "01131",
            "Sayur daun segar (bayam, kangkung, sawi) dipetik pagi hari untuk dapur SPPG Kibin.",
            ("300", "kg", "mingguan"),
            "36.04.16.2004",
            &[],
            ("8.000", "12.000"),
            14,
        ),
        3,
    )
    .await?;
    if let Some(first) = veg_top.first() {
        let o = offer(store, system, tenant, (veg, &veg_row), *first, ("9.500", "300", 3)).await?;
        store.accept_demand_offer(system, tenant, veg, o, today()).await?;
    }
    // The same factory's monthly wastewater test, just posted: the supplier a regional service
    // can be. Kota Serang's Labkesda serves the Kabupaten's industries under the KB, so it is
    // ranked once the Kota's laboratory is loaded (after this Pemda); nobody is notified yet.
    post(
        store,
        system,
        tenant,
        &index,
        canteen,
        form(
            "industri",
            "Uji air limbah IPAL bulanan",
            "",
            "71202",
            "Uji laboratorium air limbah outlet IPAL (BOD, COD, TSS, pH, amonia, minyak dan lemak) sesuai baku mutu; sampel diambil petugas laboratorium.",
            ("1", "paket", "bulanan"),
            "36.04.15.2001",
            &[],
            ("500.000", "700.000"),
            30,
        ),
        0,
    )
    .await?;
    // A factory canteen in Cikande: snacks with a P-IRT.
    post(
        store,
        system,
        tenant,
        &index,
        canteen,
        form(
            "industri",
            "Keripik dan makanan ringan untuk kantin karyawan",
            "makanan",
            "10794",
            "Makanan ringan kemasan (keripik, emping, rengginang) untuk kantin 2.500 karyawan.",
            ("500", "bungkus", "mingguan"),
            "36.04.15.2001",
            &["pirt"],
            ("5.000", "8.000"),
            30,
        ),
        5,
    )
    .await?;
    Ok(())
}

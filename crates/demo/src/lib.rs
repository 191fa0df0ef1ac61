//! Demo data from the Banten field reports: the four Pemda named in the news, their real
//! agencies, and one account per role per Pemda. Later features add their own records here.
//!
//! Loading is idempotent: a tenant that already exists is left alone.

use sinergi_domain::auth::{Email, NewPassword};
use sinergi_domain::org::AgencyKind;
use sinergi_domain::{Actor, AgencyId, RegionCode, Role};
use sinergi_store::agencies::AgencyInput;
use sinergi_store::tenants::NewTenant;
use sinergi_store::users::NewUser;
use sinergi_store::{Store, StoreError, hash_password};

/// The password of every demo account. Printed by `serve --demo`; never use it for real.
pub const DEMO_PASSWORD: &str = "sinergi-demo";
pub const PLATFORM_ADMIN_EMAIL: &str = "platform-admin@demo.sinergi.id";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("demo data is inconsistent: {0}")]
    Data(String),
}

struct DemoAgency {
    key: &'static str,
    name: &'static str,
    short: Option<&'static str>,
    kind: AgencyKind,
    parent: Option<&'static str>,
}

struct DemoPemda {
    code: &'static str,
    name: &'static str,
    slug: &'static str,
    agencies: &'static [DemoAgency],
    /// (role, person's name, agency key)
    people: [(Role, &'static str, Option<&'static str>); 7],
}

const fn ag(
    key: &'static str,
    name: &'static str,
    short: Option<&'static str>,
    kind: AgencyKind,
    parent: Option<&'static str>,
) -> DemoAgency {
    DemoAgency { key, name, short, kind, parent }
}

use AgencyKind::{Badan, Bagian, Dinas, Sekretariat, Uptd};

const PEMDA: [DemoPemda; 4] = [
    DemoPemda {
        code: "36.73",
        name: "Kota Serang",
        slug: "kota-serang",
        agencies: &[
            ag("setda", "Sekretariat Daerah", Some("Setda"), Sekretariat, None),
            ag("ks", "Bagian Kerja Sama", None, Bagian, Some("setda")),
            ag("eko", "Bagian Perekonomian dan Sumber Daya Alam", None, Bagian, Some("setda")),
            ag("bappeda", "Badan Perencanaan Pembangunan Daerah", Some("Bappeda"), Badan, None),
            ag("bapenda", "Badan Pendapatan Daerah", Some("Bapenda"), Badan, None),
            ag(
                "umkm",
                "Dinas Koperasi, Usaha Kecil Menengah, Perindustrian, dan Perdagangan",
                Some("DiskopUKMperindag"),
                Dinas,
                None,
            ),
            ag("dinkes", "Dinas Kesehatan", Some("Dinkes"), Dinas, None),
            ag("labkesda", "UPTD Laboratorium Kesehatan Daerah", Some("Labkesda"), Uptd, Some("dinkes")),
            ag("dlh", "Dinas Lingkungan Hidup", Some("DLH"), Dinas, None),
            ag("pariwisata", "Dinas Pariwisata, Kepemudaan dan Olahraga", Some("Disparpora"), Dinas, None),
            ag("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang", Some("DPUPR"), Dinas, None),
        ],
        people: [
            (Role::RegionAdmin, "Rina Marlina", Some("ks")),
            (Role::AgencyOfficer, "Dedi Supriadi", Some("dlh")),
            (Role::UmkmOfficer, "Wahyu Nurjamil", Some("umkm")),
            (Role::LabOfficer, "Siti Nurhasanah", Some("labkesda")),
            (Role::Partner, "Tim CSR Bank BJB", None),
            (Role::UmkmOwner, "Euis Kurniasih (Sate Bandeng Banten Lama)", None),
            (Role::Viewer, "Budi Rustandi", None),
        ],
    },
    DemoPemda {
        code: "36.04",
        name: "Kabupaten Serang",
        slug: "kabupaten-serang",
        agencies: &[
            ag("setda", "Sekretariat Daerah", Some("Setda"), Sekretariat, None),
            ag("ks", "Bagian Kerja Sama", None, Bagian, Some("setda")),
            ag("bappeda", "Badan Perencanaan Pembangunan Daerah", Some("Bappeda"), Badan, None),
            ag("umkm", "Dinas Koperasi, UMKM, Perindustrian dan Perdagangan", Some("Diskoumperindag"), Dinas, None),
            ag("dinkes", "Dinas Kesehatan", Some("Dinkes"), Dinas, None),
            ag("labkesda", "UPTD Laboratorium Kesehatan Daerah", Some("Labkesda"), Uptd, Some("dinkes")),
            ag("dlh", "Dinas Lingkungan Hidup", Some("DLH"), Dinas, None),
            ag("pariwisata", "Dinas Pariwisata, Pemuda dan Olahraga", Some("Disparpora"), Dinas, None),
            ag("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", Some("DPMPTSP"), Dinas, None),
        ],
        people: [
            (Role::RegionAdmin, "Hendra Gunawan", Some("ks")),
            (Role::AgencyOfficer, "Yuli Astuti", Some("dpmptsp")),
            (Role::UmkmOfficer, "Adang Rahmat", Some("umkm")),
            (Role::LabOfficer, "Ahmad Fauzi", Some("labkesda")),
            (Role::Partner, "Pengelola Kawasan Industri Modern Cikande", None),
            (Role::UmkmOwner, "Maesaroh (Keripik Emping Tanara)", None),
            (Role::Viewer, "Najib Hamas", None),
        ],
    },
    DemoPemda {
        code: "36.74",
        name: "Kota Tangerang Selatan",
        slug: "kota-tangerang-selatan",
        agencies: &[
            ag("setda", "Sekretariat Daerah", Some("Setda"), Sekretariat, None),
            ag("ks", "Bagian Kerja Sama", None, Bagian, Some("setda")),
            ag(
                "bappeda",
                "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
                Some("Bappelitbangda"),
                Badan,
                None,
            ),
            ag("umkm", "Dinas Koperasi dan Usaha Kecil Menengah", Some("Dinkop UKM"), Dinas, None),
            ag("indag", "Dinas Perindustrian dan Perdagangan", Some("Disperindag"), Dinas, None),
            ag("dinkes", "Dinas Kesehatan", Some("Dinkes"), Dinas, None),
            ag("labkesda", "UPTD Laboratorium Kesehatan Daerah", Some("Labkesda"), Uptd, Some("dinkes")),
            ag("dlh", "Dinas Lingkungan Hidup", Some("DLH"), Dinas, None),
            ag("kominfo", "Dinas Komunikasi dan Informatika", Some("Diskominfo"), Dinas, None),
            ag("pariwisata", "Dinas Pariwisata", Some("Dispar"), Dinas, None),
        ],
        people: [
            (Role::RegionAdmin, "Irma Permata", Some("ks")),
            (Role::AgencyOfficer, "Rizky Pratama", Some("kominfo")),
            (Role::UmkmOfficer, "Lestari Wulandari", Some("umkm")),
            (Role::LabOfficer, "Bayu Saputra", Some("labkesda")),
            (Role::Partner, "Sekretariat APJATEL", None),
            (Role::UmkmOwner, "Agus Salim (Kopi Serpong)", None),
            (Role::Viewer, "Pilar Saga Ichsan", None),
        ],
    },
    DemoPemda {
        code: "36.71",
        name: "Kota Tangerang",
        slug: "kota-tangerang",
        agencies: &[
            ag("setda", "Sekretariat Daerah", Some("Setda"), Sekretariat, None),
            ag("ks", "Bagian Kerja Sama", None, Bagian, Some("setda")),
            ag("eko", "Bagian Perekonomian", None, Bagian, Some("setda")),
            ag("bappeda", "Badan Perencanaan Pembangunan Daerah", Some("Bappeda"), Badan, None),
            ag("umkm", "Dinas Koperasi dan Usaha Kecil Menengah", Some("Dinkop UKM"), Dinas, None),
            ag("indag", "Dinas Perindustrian, Energi dan Sumber Daya Mineral", Some("Disperin ESDM"), Dinas, None),
            ag("dinkes", "Dinas Kesehatan", Some("Dinkes"), Dinas, None),
            ag("labkesda", "UPTD Laboratorium Kesehatan Daerah", Some("Labkesda"), Uptd, Some("dinkes")),
            ag("dlh", "Dinas Lingkungan Hidup", Some("DLH"), Dinas, None),
            ag("pariwisata", "Dinas Kebudayaan dan Pariwisata", Some("Disbudpar"), Dinas, None),
        ],
        people: [
            (Role::RegionAdmin, "Ruta Ireng Wicaksono", Some("eko")),
            (Role::AgencyOfficer, "Nurul Hidayah", Some("pariwisata")),
            (Role::UmkmOfficer, "Fajar Ramadhan", Some("umkm")),
            (Role::LabOfficer, "Dewi Anggraini", Some("labkesda")),
            (Role::Partner, "Adi Hadianto (IPB University)", None),
            (Role::UmkmOwner, "Sri Mulyani (Batik Kota Tangerang)", None),
            (Role::Viewer, "Sachrudin", None),
        ],
    },
];

/// One demo login, for printing.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub tenant: Option<String>,
    pub role: Role,
    pub email: String,
    pub name: String,
}

/// Every demo login, whether or not loaded yet (the list is fixed).
pub fn demo_logins() -> Vec<DemoLogin> {
    let mut out = vec![DemoLogin {
        tenant: None,
        role: Role::PlatformAdmin,
        email: PLATFORM_ADMIN_EMAIL.to_owned(),
        name: "Operator Sinergi".to_owned(),
    }];
    for p in &PEMDA {
        for (role, name, _) in &p.people {
            out.push(DemoLogin {
                tenant: Some(p.name.to_owned()),
                role: *role,
                email: demo_email(*role, p.slug),
                name: (*name).to_owned(),
            });
        }
    }
    out
}

pub fn demo_email(role: Role, slug: &str) -> String {
    format!("{}@{}.demo.sinergi.id", role.slug(), slug)
}

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub tenants_created: usize,
    pub agencies_created: usize,
    pub users_created: usize,
}

/// Whether the database has no tenant yet (`serve --demo` loads only then).
pub async fn is_empty(store: &Store) -> Result<bool, DemoError> {
    Ok(store.tenants(&Actor::system("demo")).await?.is_empty())
}

pub async fn load(store: &Store) -> Result<DemoReport, DemoError> {
    let system = Actor::system("demo loader");
    let mut report = DemoReport::default();
    let password = NewPassword::parse(DEMO_PASSWORD).map_err(|e| DemoError::Data(e.to_string()))?;
    // One hash shared by every demo account: they share a password anyway, and hashing 29
    // times would make `serve --demo` slow to start on a modest server.
    let hash = hash_password(&password).await?;
    let existing: Vec<RegionCode> = store.tenants(&system).await?.into_iter().map(|t| t.code).collect();

    if store.user_for_login(&parse_email(PLATFORM_ADMIN_EMAIL)?).await?.is_none() {
        store
            .create_user(
                &system,
                NewUser {
                    tenant: None,
                    agency_id: None,
                    email: parse_email(PLATFORM_ADMIN_EMAIL)?,
                    name: "Operator Sinergi".to_owned(),
                    role: Role::PlatformAdmin,
                    password_hash: hash.clone(),
                },
            )
            .await?;
        report.users_created += 1;
    }

    for pemda in &PEMDA {
        let new =
            NewTenant::parse(pemda.code, pemda.name, Some(pemda.slug)).map_err(|e| DemoError::Data(e.to_string()))?;
        if existing.contains(&new.code) {
            continue;
        }
        let tenant = store.create_tenant(&system, new).await?;
        report.tenants_created += 1;
        let mut ids: Vec<(&str, AgencyId)> = Vec::new();
        for a in pemda.agencies {
            let parent = match a.parent {
                Some(key) => Some(lookup(&ids, key)?),
                None => None,
            };
            let input = AgencyInput {
                name: a.name.to_owned(),
                short_name: a.short.map(str::to_owned),
                kind: a.kind,
                parent_id: parent,
                active: true,
            };
            let agency = store.create_agency(&system, &tenant.code, input).await?;
            ids.push((a.key, agency.id));
            report.agencies_created += 1;
        }
        for (role, name, agency_key) in &pemda.people {
            let agency_id = match agency_key {
                Some(key) => Some(lookup(&ids, key)?),
                None => None,
            };
            store
                .create_user(
                    &system,
                    NewUser {
                        tenant: Some(tenant.code.clone()),
                        agency_id,
                        email: parse_email(&demo_email(*role, pemda.slug))?,
                        name: (*name).to_owned(),
                        role: *role,
                        password_hash: hash.clone(),
                    },
                )
                .await?;
            report.users_created += 1;
        }
    }
    Ok(report)
}

fn lookup(ids: &[(&str, AgencyId)], key: &str) -> Result<AgencyId, DemoError> {
    ids.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, id)| *id)
        .ok_or_else(|| DemoError::Data(format!("agency key {key} used before it is defined")))
}

fn parse_email(s: &str) -> Result<Email, DemoError> {
    Email::parse(s).map_err(|e| DemoError::Data(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_login_per_role_per_pemda() {
        let logins = demo_logins();
        assert_eq!(logins.len(), 1 + 4 * 7);
        for p in &PEMDA {
            for role in Role::TENANT_ROLES {
                assert!(logins.iter().any(|l| l.email == demo_email(role, p.slug)), "{} {}", p.slug, role);
            }
        }
    }
}

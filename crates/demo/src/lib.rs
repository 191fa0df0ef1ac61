//! Demo data from the Banten field reports: the four Pemda named in the news, their real
//! agencies, and one account per role per Pemda. Later features add their own records here.
//!
//! Loading is idempotent: a tenant that already exists is left alone.

pub mod programmes;
pub mod umkm;
// Markets: channels and financing referrals.
pub mod markets;
// Catalogue (issue 6, part 5)
pub mod catalogue;
// Issue 7: the Labkesda
pub mod lab;
// Issue 7: demand matching
pub mod demand;

use sinergi_domain::auth::{Email, NewPassword};
use sinergi_domain::cooperation::agreement::{AgreementKind, DocumentKind, Stage};
use sinergi_domain::cooperation::documents::{DocumentPurpose, SigningChecklist};
use sinergi_domain::cooperation::evaluation::{Recommendation, Scores};
use sinergi_domain::cooperation::funding::{FundingForm, FundingSource};
use sinergi_domain::cooperation::meetings::{ActionItemDraft, ActionStatus, AttendeeRef, MeetingDraft, MeetingKind};
use sinergi_domain::cooperation::needs::{NeedStatus, PartnerKind, PriorityRank};
use sinergi_domain::cooperation::outcomes::{ActivityStatus, OutcomeKind};
use sinergi_domain::csr::{CsrCategory, CsrNeedStatus, EvidenceKind, PledgeForm, ReportStatus, Window};
use sinergi_domain::files::{CheckedFile, MAX_FILE_BYTES, check_file};
use sinergi_domain::org::AgencyKind;
use sinergi_domain::{ActivityId, Actor, AgencyId, OutcomeId, RegionCode, Role};
use sinergi_store::agencies::AgencyInput;
use sinergi_store::agreements::{
    Activity, AgreementDetails, NewAgreement, NewEvaluation, Outcome, Party, PartySigning, StageMove, parse_date,
};
use sinergi_store::cooperation::{NeedInput, PlanFilter, TargetInput};
use sinergi_store::csr::{CsrNeedInput, PledgeInput, ReportInput, Upload};
use sinergi_store::documents::NewDocument;
use sinergi_store::meetings::MeetingInput;
use sinergi_store::partners::{ContactInput, OfferInput, PartnerInput};
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

/// A performance target and the cooperation needs that serve it, from the field reports.
struct DemoNeed {
    agency: &'static str,
    /// (indicator, unit, target, realised)
    target: Option<(&'static str, &'static str, f64, Option<f64>)>,
    title: &'static str,
    problem: &'static str,
    urusan: &'static str,
    partner: PartnerKind,
    benefit: &'static str,
    priority: Option<u8>,
    status: NeedStatus,
}

// A table of demo rows reads best positionally, one need per call.
#[allow(clippy::too_many_arguments)]
const fn need(
    agency: &'static str,
    target: Option<(&'static str, &'static str, f64, Option<f64>)>,
    title: &'static str,
    problem: &'static str,
    urusan: &'static str,
    partner: PartnerKind,
    benefit: &'static str,
    priority: Option<u8>,
    status: NeedStatus,
) -> DemoNeed {
    DemoNeed { agency, target, title, problem, urusan, partner, benefit, priority, status }
}

/// A partner of the registry: (kind, name, region code, sector, contacts, offers).
struct DemoPartner {
    kind: &'static str,
    name: &'static str,
    region: &'static str,
    sector: &'static str,
    /// (name, position, phone)
    contacts: &'static [(&'static str, &'static str, &'static str)],
    /// (urusan, title, description)
    offers: &'static [(&'static str, &'static str, &'static str)],
}

struct DemoPemda {
    code: &'static str,
    name: &'static str,
    slug: &'static str,
    agencies: &'static [DemoAgency],
    needs: &'static [DemoNeed],
    partners: &'static [DemoPartner],
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
        needs: &[
            need(
                "umkm",
                Some(("UMKM yang memasarkan produk di sentra kuliner", "unit usaha", 150.0, Some(40.0))),
                "Sentra kuliner UMKM di kawasan Banten Lama",
                "UMKM kuliner belum punya tempat berjualan yang tertata di kawasan wisata religi Banten Lama.",
                "2.17",
                PartnerKind::Company,
                "Sentra kuliner dibangun mitra melalui CSR; Pemda menyediakan lokasi.",
                Some(1),
                NeedStatus::Submitted,
            ),
            need(
                "labkesda",
                Some(("Sampel uji dari industri luar Kota Serang", "sampel/tahun", 1200.0, Some(310.0))),
                "Layanan uji laboratorium untuk industri Kabupaten Serang",
                "Sekitar 400 perusahaan industri di Kabupaten Serang menguji sampel ke Tangerang atau Jakarta.",
                "1.02",
                PartnerKind::Region,
                "Retribusi uji laboratorium menambah PAD; industri tidak perlu ke luar daerah.",
                Some(1),
                NeedStatus::Matched,
            ),
            need(
                "pariwisata",
                None,
                "Penataan ruang terbuka hijau dan fasilitas wisata religi",
                "Fasilitas publik di sekitar Banten Lama belum memadai untuk peziarah.",
                "3.26",
                PartnerKind::Company,
                "Ruang terbuka hijau dan fasilitas publik tanpa membebani APBD.",
                Some(1),
                NeedStatus::Draft,
            ),
        ],
        partners: &[
            DemoPartner {
                kind: "bank",
                name: "PT Bank Pembangunan Daerah Jawa Barat dan Banten Tbk (Bank BJB)",
                region: "36.73",
                sector: "Perbankan",
                contacts: &[
                    ("Dewi Lestari", "Pemimpin Cabang Serang", "0812-1111-2001"),
                    ("Rudi Hartono", "Staf CSR", "0812-1111-2002"),
                ],
                offers: &[(
                    "2.17",
                    "KUR dan pendampingan UMKM",
                    "Kredit usaha rakyat dan pelatihan literasi keuangan bagi UMKM Kota Serang.",
                )],
            },
            DemoPartner {
                kind: "bank",
                name: "Bank Indonesia Provinsi Banten",
                region: "36.73",
                sector: "Bank sentral",
                contacts: &[
                    ("Ahmad Sobari", "Deputi Kepala Perwakilan", "0811-2222-3001"),
                    ("Nina Marlina", "Staf PSBI", "0811-2222-3002"),
                ],
                offers: &[(
                    "2.17",
                    "Program Sosial Bank Indonesia",
                    "Bantuan sarana produksi bagi klaster UMKM pangan.",
                )],
            },
            DemoPartner {
                kind: "company",
                name: "PT Serang Sosor",
                region: "36.73",
                sector: "Industri",
                contacts: &[("Hendra Wijaya", "Manajer CSR", "0813-3333-4001")],
                offers: &[("2.11", "CSR lingkungan", "Penghijauan dan sarana kebersihan di kelurahan sekitar pabrik.")],
            },
            DemoPartner {
                kind: "company",
                name: "Agung Sedayu Group (PIK 2)",
                region: "36.03",
                sector: "Properti",
                contacts: &[
                    ("Tim CSR PIK 2", "Koordinator CSR", "0812-4444-5001"),
                    ("Samuel Tan", "Hubungan Pemerintah", "0812-4444-5002"),
                ],
                offers: &[
                    (
                        "3.26",
                        "Pembangunan fasilitas wisata religi",
                        "Fasilitas publik dan ruang terbuka hijau di kawasan Banten Lama; lokasi dari Pemda.",
                    ),
                    ("2.17", "Sentra kuliner UMKM", "Bangunan sentra kuliner untuk UMKM lokal."),
                ],
            },
            DemoPartner {
                kind: "region",
                name: "Pemerintah Kabupaten Serang",
                region: "36.04",
                sector: "Pemerintahan",
                contacts: &[
                    ("Hendra Gunawan", "Bagian Kerja Sama", "0254-280001"),
                    ("Adang Rahmat", "Kepala Diskoumperindag", "0812-5555-6002"),
                ],
                offers: &[(
                    "1.02",
                    "Kebutuhan uji laboratorium industri",
                    "Sekitar 400 perusahaan industri membutuhkan uji sampel lingkungan.",
                )],
            },
            DemoPartner {
                kind: "university",
                name: "Universitas Sultan Ageng Tirtayasa",
                region: "36.73",
                sector: "Pendidikan tinggi",
                contacts: &[("Dr. Rahmat Hidayat", "Kepala LPPM", "0812-6666-7001")],
                offers: &[(
                    "5.05",
                    "Kajian dan KKN tematik",
                    "Kajian kebijakan dan mahasiswa KKN untuk pendampingan UMKM.",
                )],
            },
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
        needs: &[
            need(
                "umkm",
                Some(("Pelaku usaha mikro yang naik kelas", "unit usaha", 500.0, Some(120.0))),
                "Pemasaran produk UMKM melalui ritel modern",
                "Produk UMKM yang sudah dilatih belum masuk jaringan Indomaret dan Alfamart.",
                "2.17",
                PartnerKind::Retailer,
                "Produk UMKM terpilih dipajang di gerai ritel modern.",
                Some(1),
                NeedStatus::Submitted,
            ),
            need(
                "umkm",
                None,
                "Pasokan telur olahan UMKM untuk dapur SPPG",
                "Pelaku olahan telur belum terhubung dengan program Makan Bergizi Gratis.",
                "2.17",
                PartnerKind::Cooperative,
                "UMKM menjadi pemasok tetap SPPG melalui Koperasi Merah Putih.",
                Some(2),
                NeedStatus::Draft,
            ),
        ],
        partners: &[
            DemoPartner {
                kind: "region",
                name: "Pemerintah Kota Serang",
                region: "36.73",
                sector: "Pemerintahan",
                contacts: &[
                    ("Rina Marlina", "Bagian Kerja Sama", "0254-200001"),
                    ("Siti Nurhasanah", "UPTD Labkesda", "0812-7777-8002"),
                ],
                offers: &[(
                    "1.02",
                    "Layanan uji Labkesda",
                    "Uji sampel air dan udara untuk industri dengan tarif retribusi Perda.",
                )],
            },
            DemoPartner {
                kind: "retailer",
                name: "PT Indomarco Prismatama (Indomaret)",
                region: "36.04",
                sector: "Ritel modern",
                contacts: &[
                    ("Yusuf Maulana", "Area Manager Serang", "0812-8888-9001"),
                    ("Lina Kartika", "Kemitraan UMKM", "0812-8888-9002"),
                ],
                offers: &[("2.17", "Etalase produk UMKM", "Rak khusus produk UMKM terkurasi di gerai terpilih.")],
            },
            DemoPartner {
                kind: "retailer",
                name: "PT Sumber Alfaria Trijaya Tbk (Alfamart)",
                region: "36.04",
                sector: "Ritel modern",
                contacts: &[
                    ("Bambang Sutrisno", "Branch Manager", "0812-9999-1001"),
                    ("Maya Sari", "CSR", "0812-9999-1002"),
                ],
                offers: &[("2.17", "Pojok UMKM", "Pojok produk UMKM dan pelatihan kemasan.")],
            },
            DemoPartner {
                kind: "cooperative",
                name: "Koperasi Merah Putih Desa Tanara",
                region: "36.04",
                sector: "Koperasi",
                contacts: &[("H. Sanusi", "Ketua", "0813-1212-3434"), ("Ujang Suryana", "Bendahara", "0813-1212-3435")],
                offers: &[(
                    "2.17",
                    "Agregasi pasokan untuk SPPG",
                    "Menghimpun pasokan telur dan olahan dari UMKM untuk dapur SPPG.",
                )],
            },
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
        needs: &[
            need(
                "kominfo",
                Some(("Ruas jalan dengan kabel udara tertata", "km", 25.0, Some(8.5))),
                "Penataan kabel fiber optik bersama APJATEL",
                "Kabel optik semrawut di ruas jalan utama mengganggu keselamatan dan estetika kota.",
                "2.16",
                PartnerKind::Association,
                "Kabel tertata tanpa biaya APBD; pendanaan disiapkan mitra.",
                Some(1),
                NeedStatus::InAgreement,
            ),
            need(
                "kominfo",
                None,
                "Perluasan titik Wi-Fi publik di taman kota",
                "Warga di taman kota dan ruang publik belum mendapat akses internet gratis.",
                "2.16",
                PartnerKind::Company,
                "Titik Wi-Fi publik bertambah melalui kerja sama operator.",
                Some(2),
                NeedStatus::Draft,
            ),
            need(
                "bappeda",
                Some(("Lulusan pelatihan STEM", "orang", 300.0, None)),
                "Peningkatan SDM bidang STEM bersama perguruan tinggi",
                "Daya saing SDM di bidang sains, teknologi, teknik, dan matematika perlu ditingkatkan.",
                "5.05",
                PartnerKind::University,
                "Pelatihan dan riset terapan STEM bagi pegawai dan pelajar.",
                Some(1),
                NeedStatus::Submitted,
            ),
            need(
                "dlh",
                Some(("Sampah terkelola di bank sampah", "ton/tahun", 1500.0, Some(610.0))),
                "Penguatan bank sampah kelurahan",
                "Bank sampah kelurahan kekurangan sarana dan pembeli hasil pilahan.",
                "2.11",
                PartnerKind::Company,
                "Sarana bank sampah dan offtaker hasil pilahan dari mitra CSR.",
                Some(1),
                NeedStatus::Draft,
            ),
            need(
                "umkm",
                None,
                "Akses permodalan KUR bagi UMKM",
                "Banyak UMKM belum memenuhi syarat kredit karena belum punya legalitas usaha.",
                "2.17",
                PartnerKind::Bank,
                "Pendampingan legalitas dan penyaluran KUR oleh bank mitra.",
                None,
                NeedStatus::Draft,
            ),
        ],
        partners: &[
            DemoPartner {
                kind: "association",
                name: "Asosiasi Penyelenggara Jaringan Telekomunikasi (APJATEL)",
                region: "31",
                sector: "Telekomunikasi",
                contacts: &[
                    ("Sekretariat APJATEL", "Sekretariat", "021-5000-1001"),
                    ("Irfan Maulana", "Koordinator Wilayah Banten", "0812-3030-4040"),
                ],
                offers: &[(
                    "2.16",
                    "Penataan kabel fiber optik",
                    "Penataan dan penurunan kabel udara ke saluran bersama, dibiayai anggota asosiasi.",
                )],
            },
            DemoPartner {
                kind: "university",
                name: "Institut Teknologi Indonesia",
                region: "36.74",
                sector: "Pendidikan tinggi",
                contacts: &[
                    ("Dr. Wahyudi", "Wakil Rektor Kerja Sama", "0812-5050-6060"),
                    ("Ratna Dewi", "Kantor Kerja Sama", "021-7560-001"),
                ],
                offers: &[(
                    "5.05",
                    "Pelatihan STEM",
                    "Pelatihan sains, teknologi, teknik dan matematika untuk guru dan pelajar.",
                )],
            },
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
        needs: &[
            need(
                "umkm",
                Some(("UMKM yang mendapat akses permodalan", "unit usaha", 1000.0, Some(430.0))),
                "Akses permodalan dan kemitraan pemasaran UMKM",
                "FGD Ekonomi Mikro (29 Oktober 2025): UMKM butuh akses modal dan jaringan pemasaran.",
                "2.17",
                PartnerKind::Bank,
                "UMKM mendapat modal dan jalur pemasaran melalui mitra.",
                Some(1),
                NeedStatus::Submitted,
            ),
            need(
                "pariwisata",
                None,
                "Kajian ekonomi kreatif bersama perguruan tinggi",
                "Kontribusi ekonomi kreatif 50,82 persen perlu dipetakan untuk kebijakan lanjutan.",
                "3.26",
                PartnerKind::University,
                "Kajian dan rekomendasi kebijakan ekonomi kreatif.",
                Some(1),
                NeedStatus::Draft,
            ),
        ],
        partners: &[
            DemoPartner {
                kind: "university",
                name: "IPB University",
                region: "32.71",
                sector: "Pendidikan tinggi",
                contacts: &[
                    ("Adi Hadianto", "Dosen Ekonomi Sumberdaya", "0812-7070-8080"),
                    ("Sekretariat LPPM IPB", "LPPM", "0251-862-2001"),
                ],
                offers: &[(
                    "3.26",
                    "Kajian ekonomi kreatif",
                    "Kajian data ekonomi mikro dan kreatif untuk kebijakan daerah.",
                )],
            },
            DemoPartner {
                kind: "bank",
                name: "PT Bank Pembangunan Daerah Jawa Barat dan Banten Tbk (Bank BJB)",
                region: "36.71",
                sector: "Perbankan",
                contacts: &[
                    ("Yanti Susanti", "Pemimpin Cabang Tangerang", "0812-9090-1010"),
                    ("Dodi Permana", "Analis Kredit", "0812-9090-1011"),
                ],
                offers: &[("2.17", "KUR UMKM", "Penyaluran KUR dan pendampingan legalitas usaha.")],
            },
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
    // Markets: Bank BJB's KUR analyst in Kabupaten Serang, a second partner user there.
    out.push(DemoLogin {
        tenant: Some("Kabupaten Serang".to_owned()),
        role: Role::Partner,
        email: markets::BANK_USER_EMAIL.to_owned(),
        name: markets::BANK_USER_NAME.to_owned(),
    });
    // Issue 7: the Labkesda's verifying officer and a factory's HSE officer in Kota Serang;
    // for demand matching, SPPG Cikande's kitchen manager and an egg farm's owner in Kabupaten
    // Serang.
    for (tenant, role, email, name) in [
        ("Kota Serang", Role::LabOfficer, lab::VERIFIER_EMAIL, lab::VERIFIER_NAME),
        ("Kota Serang", Role::Partner, lab::FACTORY_USER_EMAIL, lab::FACTORY_USER_NAME),
        ("Kabupaten Serang", Role::Partner, demand::SPPG_USER_EMAIL, demand::SPPG_USER_NAME),
        ("Kabupaten Serang", Role::UmkmOwner, demand::EGG_OWNER_EMAIL, demand::EGG_OWNER_NAME),
    ] {
        out.push(DemoLogin { tenant: Some(tenant.to_owned()), role, email: email.to_owned(), name: name.to_owned() });
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
    pub needs_created: usize,
    pub partners_created: usize,
    pub agreements_created: usize,
    pub meetings_created: usize,
    pub csr_needs_created: usize,
    /// Businesses in the UMKM registries (generated and imported).
    pub umkm_businesses_created: usize,
    /// Participants selected in the demo's programme waves.
    pub programme_participants: usize,
}

/// Whether the database has no tenant yet (`serve --demo` loads only then).
pub async fn is_empty(store: &Store) -> Result<bool, DemoError> {
    Ok(store.tenants(&Actor::system("demo")).await?.is_empty())
}

/// What a demo load includes beyond the fixed data.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// Businesses generated for Kabupaten Serang's UMKM registry.
    pub umkm_generated: usize,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self { umkm_generated: umkm_demo_size() }
    }
}

/// The whole demo (48,000 generated businesses in Kabupaten Serang's registry).
pub async fn load(store: &Store) -> Result<DemoReport, DemoError> {
    load_with(store, DemoOptions::default()).await
}

/// The demo with a chosen size, for tests that start many demo servers.
pub async fn load_with(store: &Store, options: DemoOptions) -> Result<DemoReport, DemoError> {
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
                    partner_id: None,
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
        report.needs_created += load_needs(store, &system, &tenant.code, pemda, &ids).await?;
        report.partners_created += load_partners(store, &system, &tenant.code, pemda).await?;
        report.agreements_created += load_agreements(store, &system, &tenant.code, pemda.slug).await?;
        let partners: Vec<_> = store
            .partners(&system, &Default::default())
            .await?
            .into_iter()
            .filter(|p| p.tenant == tenant.code)
            .collect();
        for (role, name, agency_key) in &pemda.people {
            let agency_id = match agency_key {
                Some(key) => Some(lookup(&ids, key)?),
                None => None,
            };
            // A partner's user speaks for the partner its name mentions.
            let partner_id = match role {
                Role::Partner => PARTNER_USERS
                    .iter()
                    .find(|(user, _)| user == name)
                    .and_then(|(_, partner)| partners.iter().find(|p| p.name.contains(partner)))
                    .map(|p| p.id),
                _ => None,
            };
            store
                .create_user(
                    &system,
                    NewUser {
                        tenant: Some(tenant.code.clone()),
                        agency_id,
                        partner_id,
                        email: parse_email(&demo_email(*role, pemda.slug))?,
                        name: (*name).to_owned(),
                        role: *role,
                        password_hash: hash.clone(),
                    },
                )
                .await?;
            report.users_created += 1;
        }
        // After the people: meetings name them as attendees and owners.
        report.meetings_created += load_meetings(store, &system, &tenant.code, pemda.slug).await?;
        report.csr_needs_created += load_csr(store, &system, &tenant.code, pemda.slug, &ids).await?;
        if pemda.slug == "kabupaten-serang" {
            report.umkm_businesses_created +=
                umkm::load(store, &system, &tenant.code, options.umkm_generated).await?.businesses;
            let owner = store
                .user_for_login(&parse_email(&demo_email(Role::UmkmOwner, pemda.slug))?)
                .await?
                .ok_or_else(|| DemoError::Data("the demo owner's account".into()))?
                .0;
            let owner = owner.actor();
            let owned = umkm::owner_business(store, &system, &tenant.code, &owner).await?;
            report.umkm_businesses_created += 1;
            report.programme_participants +=
                programmes::load(store, &system, &tenant.code, lookup(&ids, "umkm")?, Some((&owner, owned)))
                    .await?
                    .participants;
            // Markets: channel pipelines, SPPG kitchens and KUR referrals over the registry.
            let markets = markets::load(store, &system, &tenant.code, hash.clone()).await?;
            report.umkm_businesses_created += markets.businesses;
            report.users_created += 1;
            // Catalogue (issue 6, part 5): after the registry and the owner's business.
            catalogue::load(store, &system, &tenant.code, &owner).await?;
            // Issue 7: demand matching, over the registry, channels and catalogue above.
            demand::load(store, &system, &tenant.code, hash.clone()).await?;
            report.users_created += 2;
        }
        // Issue 7: the Labkesda of Kota Serang, its catalogue, customers and orders.
        if pemda.slug == "kota-serang" {
            report.partners_created += lab::load(store, &system, &tenant.code, hash.clone()).await?;
            report.users_created += 2;
        }
    }
    Ok(report)
}

/// How many businesses the demo generates for Kabupaten Serang: the field report's 48,000,
/// unless `SINERGI_DEMO_UMKM` asks for fewer (tests that load the demo many times).
pub fn umkm_demo_size() -> usize {
    std::env::var("SINERGI_DEMO_UMKM").ok().and_then(|v| v.parse().ok()).unwrap_or(umkm::GENERATED_BUSINESSES)
}

/// The planning year of the demo: the mapping meetings of December 2025 plan for 2026.
const DEMO_YEAR: i32 = 2026;

async fn load_needs(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    pemda: &DemoPemda,
    ids: &[(&str, AgencyId)],
) -> Result<usize, DemoError> {
    for n in pemda.needs {
        let agency_id = lookup(ids, n.agency)?;
        let mut target_ids = Vec::new();
        if let Some((indicator, unit, target, realised)) = n.target {
            let input = TargetInput {
                year: DEMO_YEAR,
                indicator: indicator.to_owned(),
                unit: unit.to_owned(),
                target_value: target,
                realised_value: realised,
            };
            target_ids.push(store.create_target(system, tenant, agency_id, input).await?.id);
        }
        let priority = match n.priority {
            Some(p) => Some(PriorityRank::new(p).map_err(|e| DemoError::Data(e.to_string()))?),
            None => None,
        };
        let input = NeedInput {
            agency_id,
            year: DEMO_YEAR,
            title: n.title.to_owned(),
            problem: n.problem.to_owned(),
            urusan_code: n.urusan.to_owned(),
            partner_kind: n.partner,
            expected_benefit: n.benefit.to_owned(),
            priority,
            target_ids,
        };
        let need = store.create_need(system, tenant, input).await?;
        // Walk the lifecycle as people would, so the audit trail tells the same story.
        let path = [NeedStatus::Submitted, NeedStatus::Matched, NeedStatus::InAgreement];
        for step in path.iter().take_while(|s| status_rank(**s) <= status_rank(n.status)) {
            store.set_need_status(system, need.id, *step).await?;
        }
    }
    Ok(pemda.needs.len())
}

async fn load_partners(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    pemda: &DemoPemda,
) -> Result<usize, DemoError> {
    let data = |e: Vec<sinergi_domain::auth::FieldError>| DemoError::Data(format!("{e:?}"));
    for p in pemda.partners {
        let input =
            PartnerInput::parse(p.kind, p.name, p.region, "", "", "", p.sector, "", "", "", true).map_err(data)?;
        let partner = store.create_partner(system, tenant, input).await?;
        for (name, position, phone) in p.contacts {
            let contact = ContactInput::parse(name, position, "", phone).map_err(data)?;
            store.add_contact(system, partner.id, contact).await?;
        }
        for (urusan, title, description) in p.offers {
            let offer = OfferInput {
                urusan_code: (*urusan).to_owned(),
                title: (*title).to_owned(),
                description: (*description).to_owned(),
                area_code: Some(tenant.clone()),
            };
            store.add_offer(system, partner.id, offer).await?;
        }
    }
    Ok(pemda.partners.len())
}

/// An agreement's story: signed when, how far it got, what was done and what it brought.
struct DemoAgreement {
    /// The start of the partner's name in this Pemda's registry.
    partner: &'static str,
    kind: AgreementKind,
    title: &'static str,
    scope: &'static str,
    urusan: &'static str,
    kb_signed: Option<&'static str>,
    pks_signed: Option<&'static str>,
    reach: Stage,
    ends: Option<&'static str>,
    /// Who pays, in what form, and the value when reported.
    funding: Option<(FundingSource, FundingForm, Option<i64>)>,
    /// (title, done on)
    activities: &'static [(&'static str, &'static str)],
    /// (kind, label, unit, value, period, evidence, recorded on)
    outcomes: &'static [(OutcomeKind, &'static str, &'static str, i64, &'static str, &'static str, &'static str)],
}

fn demo_agreements(slug: &str) -> &'static [DemoAgreement] {
    use AgreementKind::*;
    use FundingForm::*;
    use FundingSource::*;
    use OutcomeKind::*;
    match slug {
        "kota-serang" => &[
            DemoAgreement {
                partner: "Pemerintah Kabupaten Serang",
                kind: KsddSukarela,
                title: "Kerja sama UMKM, industri, dan Laboratorium Kesehatan Daerah Kota–Kabupaten Serang",
                scope: "Pengembangan UMKM, layanan bagi sekitar 400 industri Kabupaten Serang, dan optimalisasi Labkesda untuk PAD.",
                urusan: "1.02",
                kb_signed: Some("2026-01-30"),
                pks_signed: None,
                reach: Stage::PenyusunanPks,
                ends: Some("2031-01-30"),
                funding: Some((Shared, Mixed, None)),
                activities: &[("Rapat teknis tarif uji Labkesda bersama Bapenda", "2026-09-15")],
                outcomes: &[],
            },
            DemoAgreement {
                partner: "Bank Indonesia",
                kind: Ksdpk,
                title: "Pengembangan klaster UMKM pangan bersama Bank Indonesia Banten",
                scope: "Bantuan sarana produksi dan pendampingan klaster UMKM pangan.",
                urusan: "2.17",
                kb_signed: Some("2025-02-10"),
                pks_signed: Some("2025-04-15"),
                reach: Stage::Pelaksanaan,
                ends: Some("2026-12-31"),
                funding: Some((Partner, Goods, Some(350_000_000))),
                activities: &[("Pelatihan pengemasan klaster sate bandeng", "2026-08-20")],
                outcomes: &[
                    (
                        UmkmReached,
                        "UMKM klaster pangan",
                        "UMKM",
                        45,
                        "2026",
                        "Daftar hadir pelatihan 20 Agustus 2026",
                        "2026-08-21",
                    ),
                    (
                        PartnerFunded,
                        "Sarana produksi dari BI",
                        "Rp",
                        350_000_000,
                        "2026",
                        "BAST No. 12/BI-BTN/2026",
                        "2026-08-21",
                    ),
                ],
            },
            DemoAgreement {
                partner: "PT Bank Pembangunan",
                kind: Ksdpk,
                title: "Kesepakatan Bersama literasi keuangan dan KUR bagi UMKM",
                scope: "Literasi keuangan dan penyaluran KUR.",
                urusan: "2.17",
                kb_signed: Some("2025-06-02"),
                pks_signed: None,
                reach: Stage::PenyusunanPks,
                ends: None,
                funding: None,
                activities: &[],
                outcomes: &[],
            },
        ],
        "kota-tangerang-selatan" => &[
            DemoAgreement {
                partner: "Asosiasi Penyelenggara",
                kind: Ksdpk,
                title: "Penataan kabel fiber optik bersama APJATEL",
                scope: "Penataan dan penurunan kabel udara ke saluran bersama di ruas jalan utama, dibiayai anggota asosiasi.",
                urusan: "2.16",
                kb_signed: Some("2025-03-10"),
                pks_signed: Some("2025-05-20"),
                reach: Stage::Pelaksanaan,
                ends: Some("2028-05-20"),
                funding: Some((Partner, Services, Some(2_400_000_000))),
                activities: &[
                    ("Penataan kabel ruas Jl. Raya Serpong tahap 1", "2025-09-30"),
                    ("Penataan kabel ruas Jl. Siliwangi", "2026-08-31"),
                ],
                outcomes: &[
                    (
                        ApbdSaved,
                        "Belanja penataan kabel yang tidak dibebankan ke APBD",
                        "Rp",
                        2_400_000_000,
                        "2025–2026",
                        "Berita acara serah terima APJATEL No. 07/2026",
                        "2026-09-05",
                    ),
                    (
                        PartnerFunded,
                        "Nilai pekerjaan yang didanai anggota APJATEL",
                        "Rp",
                        2_400_000_000,
                        "2025–2026",
                        "Laporan APJATEL triwulan III 2026",
                        "2026-09-05",
                    ),
                    (
                        Other,
                        "Ruas jalan dengan kabel tertata",
                        "km",
                        8,
                        "2025–2026",
                        "Foto sebelum–sesudah per ruas",
                        "2026-09-05",
                    ),
                ],
            },
            DemoAgreement {
                partner: "Institut Teknologi Indonesia",
                kind: Ksdpk,
                title: "Peningkatan SDM bidang STEM bersama Institut Teknologi Indonesia",
                scope: "Pelatihan sains, teknologi, teknik, dan matematika bagi guru dan pelajar.",
                urusan: "5.05",
                kb_signed: Some("2026-02-16"),
                pks_signed: None,
                reach: Stage::PenyusunanPks,
                ends: None,
                funding: Some((Shared, Services, None)),
                activities: &[("Penyusunan kurikulum pelatihan STEM", "2026-10-10")],
                outcomes: &[],
            },
        ],
        "kota-tangerang" => &[DemoAgreement {
            partner: "IPB University",
            kind: Ksdpk,
            title: "Kesepakatan Bersama kajian ekonomi mikro dan kreatif",
            scope: "Kajian data ekonomi mikro dan kreatif (tindak lanjut FGD 29 Oktober 2025).",
            urusan: "3.26",
            kb_signed: Some("2025-11-05"),
            pks_signed: None,
            reach: Stage::PenyusunanPks,
            ends: None,
            funding: None,
            activities: &[],
            outcomes: &[],
        }],
        _ => &[],
    }
}

async fn load_agreements(store: &Store, system: &Actor, tenant: &RegionCode, slug: &str) -> Result<usize, DemoError> {
    let list = demo_agreements(slug);
    let partners: Vec<_> =
        store.partners(system, &Default::default()).await?.into_iter().filter(|p| &p.tenant == tenant).collect();
    let date = |s: Option<&str>| -> Result<Option<time::Date>, DemoError> {
        match s {
            Some(d) => parse_date("date", d).map_err(|e| DemoError::Data(e.to_string())),
            None => Ok(None),
        }
    };
    let agencies = store.agencies(system, Some(tenant)).await?;
    for a in list {
        let agency_id =
            responsible_agency(a.title).and_then(|word| agencies.iter().find(|g| g.name.contains(word))).map(|g| g.id);
        let partner = partners
            .iter()
            .find(|p| p.name.starts_with(a.partner))
            .ok_or_else(|| DemoError::Data(format!("no demo partner {}", a.partner)))?;
        let party = Party {
            partner_id: Some(partner.id),
            // The other Pemda sees a KSDD from its side, even if it is loaded after this one.
            party_tenant: (partner.kind == PartnerKind::Region).then(|| partner.region_code.clone()).flatten(),
            name: partner.name.clone(),
            signatory_name: None,
            signatory_position: None,
            document_number: None,
            signs_by_authority: false,
        };
        let new = NewAgreement {
            kind: a.kind,
            title: a.title.to_owned(),
            scope: a.scope.to_owned(),
            urusan_code: a.urusan.to_owned(),
            starts_on: date(a.kb_signed)?,
            ends_on: date(a.ends)?,
            value: a.funding.and_then(|(_, _, value)| value),
            funding: a.funding.map(|(source, _, _)| source),
            funding_form: a.funding.map(|(_, form, _)| form),
            location_codes: vec![tenant.clone()],
            agency_id,
            parties: vec![party],
            need_ids: Vec::new(),
        };
        let agreement = store.create_agreement(system, tenant, new).await?;
        let path = [
            Stage::Penawaran,
            Stage::PenyusunanKb,
            Stage::PenandatangananKb,
            Stage::PenyusunanPks,
            Stage::PenandatangananPks,
            Stage::Pelaksanaan,
        ];
        for to in path.into_iter().take_while(|s| *s <= a.reach) {
            let step = StageMove {
                feasibility_done: true,
                kb_signed_on: if to == Stage::PenyusunanPks { date(a.kb_signed)? } else { None },
                pks_signed_on: if to == Stage::Pelaksanaan { date(a.pks_signed)? } else { None },
                ..Default::default()
            };
            store.move_agreement(system, agreement.id, to, step).await?;
        }
        if let Some((signing, kb_scan)) = demo_signing(a.title) {
            let details = AgreementDetails {
                title: agreement.title.clone(),
                scope: agreement.scope.clone(),
                urusan_code: agreement.urusan_code.clone(),
                location_codes: agreement.location_codes.clone(),
                starts_on: agreement.starts_on,
                ends_on: agreement.ends_on,
                value: agreement.value,
                funding: agreement.funding,
                funding_form: agreement.funding_form,
                burdens_public: agreement.burdens_public,
                budgeted_in_apbd: agreement.budgeted_in_apbd,
                agency_id: agreement.agency_id,
            };
            store.update_agreement(system, agreement.id, details, signing).await?;
            let scan = NewDocument {
                purpose: DocumentPurpose::SignedKb,
                title: kb_scan.to_owned(),
                file: evidence_scan(kb_scan)?,
                activity_id: None,
                outcome_id: None,
                // Stamped and initialled; the materai on the Kabupaten's copy is still awaited.
                checklist: SigningChecklist { paraf: true, materai: false, stempel: true },
            };
            store.add_document(system, agreement.id, scan).await?;
            // The KB is carried out through PKS per field; the Labkesda one is being drafted.
            store.draft_child(system, agreement.id, DocumentKind::Pks).await?;
        }
        if let Some(evaluation) = demo_evaluation(a.title)? {
            store.add_evaluation(system, agreement.id, evaluation).await?;
        }
        for (title, done) in a.activities {
            let done_on = date(Some(done))?;
            let activity = Activity {
                id: ActivityId::new(),
                agreement_id: agreement.id,
                title: (*title).to_owned(),
                planned_on: done_on,
                done_on,
                budget: None,
                agency_id,
                status: ActivityStatus::Done,
            };
            store.add_activity(system, agreement.id, activity, None).await?;
        }
        for (kind, label, unit, value, period, evidence, recorded) in a.outcomes {
            let recorded_on = date(Some(recorded))?.ok_or_else(|| DemoError::Data("outcome date".into()))?;
            let outcome = Outcome {
                id: OutcomeId::new(),
                agreement_id: agreement.id,
                kind: *kind,
                label: (*label).to_owned(),
                unit: (*unit).to_owned(),
                value: *value,
                period: (*period).to_owned(),
                evidence: Some((*evidence).to_owned()),
                recorded_on,
                baseline: None,
                target: None,
            };
            // The evidence named in the record comes with a scanned copy, as an officer would
            // upload it.
            let scan = evidence_scan(evidence)?;
            store.add_outcome(system, agreement.id, outcome, Some(scan)).await?;
        }
    }
    Ok(list.len())
}

/// Who attended a demo meeting: a demo user or partner contact by name, or a guest.
enum DemoAttendee {
    User(&'static str),
    Contact(&'static str),
    /// (name, organisation)
    Guest(&'static str, &'static str),
}

/// A follow-up of a demo meeting, walked to its status on the date it got there.
struct DemoItem {
    title: &'static str,
    /// A demo user's name.
    owner_user: Option<&'static str>,
    owner_label: Option<&'static str>,
    due: &'static str,
    status: ActionStatus,
    /// When it reached `status`.
    on: &'static str,
}

const fn item(
    title: &'static str,
    owner_user: Option<&'static str>,
    owner_label: Option<&'static str>,
    due: &'static str,
    status: ActionStatus,
    on: &'static str,
) -> DemoItem {
    DemoItem { title, owner_user, owner_label, due, status, on }
}

/// A meeting from the field reports.
struct DemoMeeting {
    kind: MeetingKind,
    title: &'static str,
    held_on: &'static str,
    place: &'static str,
    agenda: &'static str,
    minutes: &'static str,
    decisions: &'static str,
    attendees: &'static [DemoAttendee],
    /// Starts of the titles of the needs and agreements it is about.
    needs: &'static [&'static str],
    agreements: &'static [&'static str],
    items: &'static [DemoItem],
}

use ActionStatus::{Done, InProgress, Open};
use DemoAttendee::{Contact, Guest, User};

const TANGSEL_MEETINGS: &[DemoMeeting] = &[DemoMeeting {
    kind: MeetingKind::RapatPemetaan,
    title: "Rapat Pemetaan Kerja Sama Daerah",
    held_on: "2025-12-17",
    place: "Pranaya Hotel, Serpong",
    agenda: "1. Arahan Wakil Wali Kota: kerja sama sebagai alat mencapai target kinerja perangkat daerah\n\
             2. Arahan Sekretaris Daerah: kerja sama berorientasi hasil, bukan jumlah dokumen\n\
             3. Pemetaan kebutuhan kerja sama prioritas setiap perangkat daerah\n\
             4. Tindak lanjut MoU yang sudah ada",
    minutes: "Wakil Wali Kota Pilar Saga Ichsan menegaskan bahwa pemerintah daerah tidak bisa bekerja \
              sendiri: kerja sama harus saling menguntungkan dan menjadi alat strategis perangkat daerah \
              untuk mencapai target kinerjanya. Masih banyak MoU yang berhenti pada dokumen tanpa tindak \
              lanjut.\n\
              Sekretaris Daerah Bambang Noertjahjo menyampaikan bahwa APBD terbatas sementara tuntutan \
              pelayanan publik terus meningkat, sehingga kerja sama harus berorientasi pada hasil dan \
              kinerja. Keberhasilan kerja sama diukur dari manfaat nyata yang dirasakan masyarakat.",
    decisions: "Setiap perangkat daerah menetapkan maksimal tiga kebutuhan kerja sama prioritas yang terkait dengan target kinerjanya.\n\
                MoU yang sudah ada dimanfaatkan sebagai pintu masuk kerja sama yang lebih konkret; MoU tanpa kegiatan ditindaklanjuti.\n\
                Penataan kabel optik bersama APJATEL menjadi contoh: pendanaan disiapkan mitra, tanpa belanja APBD.\n\
                Kerja sama dengan perguruan tinggi untuk peningkatan SDM bidang STEM didorong.",
    attendees: &[
        User("Pilar Saga Ichsan"),
        Guest("Bambang Noertjahjo", "Sekretaris Daerah Kota Tangerang Selatan"),
        User("Irma Permata"),
        User("Rizky Pratama"),
        User("Lestari Wulandari"),
        Guest("Perwakilan Bappelitbangda", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah"),
        Guest("Perwakilan DLH", "Dinas Lingkungan Hidup"),
        Guest("Perwakilan Dinkes", "Dinas Kesehatan"),
    ],
    needs: &["Penataan kabel fiber optik", "Peningkatan SDM bidang STEM"],
    agreements: &["Penataan kabel fiber optik bersama APJATEL"],
    items: &[
        item(
            "Setiap perangkat daerah menyampaikan maksimal tiga kebutuhan kerja sama prioritas beserta target kinerjanya",
            Some("Irma Permata"),
            Some("Bagian Kerja Sama, bersama seluruh perangkat daerah"),
            "2026-01-31",
            Done,
            "2026-01-28",
        ),
        item(
            "Inventarisasi MoU yang berhenti di atas kertas dan usulan tindak lanjutnya",
            Some("Irma Permata"),
            None,
            "2026-02-27",
            InProgress,
            "2026-01-12",
        ),
        item(
            "Penjajakan kerja sama peningkatan SDM bidang STEM dengan perguruan tinggi",
            None,
            Some("Bappelitbangda"),
            "2026-02-16",
            Done,
            "2026-02-16",
        ),
        item(
            "Laporan capaian penataan kabel optik bersama APJATEL: ruas tertata dan belanja APBD yang dihemat",
            Some("Rizky Pratama"),
            None,
            "2026-09-30",
            Done,
            "2026-09-05",
        ),
    ],
}];

const SERANG_MEETINGS: &[DemoMeeting] = &[
    DemoMeeting {
        kind: MeetingKind::Rapat,
        title: "Pertemuan Wali Kota Serang dan Wakil Bupati Serang: sinergi UMKM, industri, dan Labkesda",
        held_on: "2026-01-30",
        place: "Ruang Wali Kota Serang",
        agenda: "1. Pengembangan BUMD dan kesiapan sektor kepelabuhanan\n\
             2. Potensi UMKM; Kota Serang sebagai pusat perdagangan dan jasa\n\
             3. Layanan pendukung bagi sekitar 400 perusahaan industri di Kabupaten Serang\n\
             4. Optimalisasi Labkesda Lingkungan untuk PAD",
        minutes: "Wakil Bupati Serang Najib Hamas menyoroti sekitar 400 perusahaan industri di Kabupaten Serang \
              yang selama ini menguji sampel laboratorium ke Tangerang atau Jakarta. Kota Serang berpeluang \
              menjadi pusat jasa dan perdagangan yang melayani kebutuhan industri tersebut, sesuai rencana \
              tata ruang.\n\
              Wali Kota Serang Budi Rustandi menekankan kesiapan Kota Serang mengelola potensi ekonomi, \
              termasuk BUMD dan sektor kepelabuhanan, agar PAD meningkat secara berkelanjutan.",
        decisions: "Kesepakatan Bersama Kota–Kabupaten Serang di bidang UMKM, industri, dan Labkesda ditindaklanjuti dengan PKS.\n\
                Kebutuhan uji laboratorium perusahaan industri Kabupaten Serang diarahkan ke Labkesda Kota Serang.\n\
                Kota Serang menyiapkan diri sebagai pusat jasa dan perdagangan pendukung industri, sesuai rencana tata ruang.",
        attendees: &[
            User("Budi Rustandi"),
            Guest("Najib Hamas", "Wakil Bupati Serang"),
            User("Rina Marlina"),
            User("Siti Nurhasanah"),
            Contact("Hendra Gunawan"),
            Contact("Adang Rahmat"),
        ],
        needs: &["Layanan uji laboratorium untuk industri Kabupaten Serang"],
        agreements: &["Kerja sama UMKM, industri, dan Laboratorium Kesehatan Daerah"],
        items: &[
            item(
                "Menghimpun daftar perusahaan industri Kabupaten Serang yang membutuhkan uji sampel lingkungan",
                None,
                Some("Diskoumperindag Kabupaten Serang"),
                "2026-02-27",
                Done,
                "2026-02-20",
            ),
            item(
                "Menyiapkan tarif retribusi uji Labkesda sesuai Perda bersama Bapenda",
                Some("Siti Nurhasanah"),
                None,
                "2026-09-15",
                Done,
                "2026-09-15",
            ),
            item(
                "Menyusun rancangan PKS layanan uji Labkesda",
                Some("Rina Marlina"),
                Some("Bagian Kerja Sama"),
                "2026-12-18",
                InProgress,
                "2026-02-02",
            ),
            item(
                "Kajian kesiapan BUMD dan sektor kepelabuhanan",
                None,
                Some("Bagian Perekonomian dan Sumber Daya Alam"),
                "2026-06-30",
                Open,
                "2026-01-30",
            ),
        ],
    },
    DemoMeeting {
        kind: MeetingKind::ForumCsr,
        title: "Forum CSR Kota Serang: penjajakan CSR bersama PIK 2 (Agung Sedayu Group)",
        held_on: "2026-02-12",
        place: "Aula DiskopUKMperindag Kota Serang",
        agenda: "1. Usulan program CSR untuk UMKM, pariwisata dan penataan kawasan\n\
             2. Lokasi yang disediakan Pemda di kawasan Banten Lama\n\
             3. Laporan realisasi CSR PT Serang Sosor, Bank Indonesia Banten dan Bank BJB",
        minutes: "Kepala DiskopUKMperindag Wahyu Nurjamil menyambut PIK 2. Pembahasan masih tahap awal dan hanya \
              tentang CSR, tanpa investasi langsung: fasilitas publik, ruang terbuka hijau dan sentra kuliner \
              untuk produk UMKM lokal. Untuk pariwisata, Pemda menyediakan lokasi dan mitra membangun \
              fasilitasnya, dengan potensi wisata religi Banten Lama.",
        decisions: "Usulan sentra kuliner, RTH Kasemen dan fasilitas wisata religi Banten Lama dipublikasikan di portofolio CSR.\n\
                PIK 2 menyampaikan komitmen tertulis; nilai menyusul setelah desain teknis.\n\
                Perusahaan melaporkan realisasi per triwulan melalui Portal Mitra Sinergi.",
        attendees: &[
            User("Wahyu Nurjamil"),
            User("Rina Marlina"),
            User("Dedi Supriadi"),
            Contact("Tim CSR PIK 2"),
            Contact("Samuel Tan"),
            Contact("Hendra Wijaya"),
            Contact("Rudi Hartono"),
        ],
        needs: &[],
        agreements: &[],
        items: &[
            item(
                "Menyiapkan peta lokasi dan status lahan untuk sentra kuliner dan fasilitas wisata religi",
                Some("Wahyu Nurjamil"),
                None,
                "2026-03-31",
                Done,
                "2026-03-25",
            ),
            item(
                "Menyampaikan desain teknis dan perkiraan nilai CSR",
                None,
                Some("PIK 2 (Agung Sedayu Group)"),
                "2026-12-31",
                Open,
                "2026-02-12",
            ),
        ],
    },
];

const TANGERANG_MEETINGS: &[DemoMeeting] = &[DemoMeeting {
    kind: MeetingKind::Fgd,
    title: "FGD Ekonomi Mikro Kota Tangerang",
    held_on: "2025-10-29",
    place: "Puspem Kota Tangerang",
    agenda: "1. Penguatan akses permodalan UMKM\n\
             2. Peningkatan kapasitas pelaku usaha\n\
             3. Kemitraan untuk memperluas jaringan pemasaran",
    minutes: "Dibuka oleh Wali Kota Tangerang Sachrudin, didampingi Asisten Daerah Bidang Perekonomian dan \
              Pembangunan Ruta Ireng Wicaksono. Kontribusi ekonomi kreatif mencapai 50,82 persen dan \
              pertumbuhan ekonomi 5,20 persen. Narasumber IPB, Adi Hadianto, menilai transformasi dari kota \
              industri menjadi kota berbasis jasa berjalan baik.",
    decisions: "Kolaborasi lintas sektor untuk ekonomi mikro: akses permodalan, kapasitas usaha, dan kemitraan pemasaran.\n\
                Data ekonomi mikro dan kreatif dikaji bersama perguruan tinggi sebagai dasar kebijakan.",
    attendees: &[
        User("Sachrudin"),
        User("Ruta Ireng Wicaksono"),
        User("Fajar Ramadhan"),
        Contact("Adi Hadianto"),
        Guest("Perwakilan pelaku UMKM", "Kota Tangerang"),
    ],
    needs: &["Akses permodalan dan kemitraan pemasaran UMKM", "Kajian ekonomi kreatif"],
    agreements: &["Kesepakatan Bersama kajian ekonomi mikro dan kreatif"],
    items: &[
        item(
            "Kesepakatan Bersama kajian ekonomi mikro dan kreatif dengan IPB University",
            Some("Ruta Ireng Wicaksono"),
            None,
            "2025-11-30",
            Done,
            "2025-11-05",
        ),
        item(
            "Pemetaan UMKM yang membutuhkan akses permodalan KUR",
            Some("Fajar Ramadhan"),
            None,
            "2026-12-31",
            InProgress,
            "2026-03-02",
        ),
    ],
}];

fn demo_meetings(slug: &str) -> &'static [DemoMeeting] {
    match slug {
        "kota-tangerang-selatan" => TANGSEL_MEETINGS,
        "kota-serang" => SERANG_MEETINGS,
        "kota-tangerang" => TANGERANG_MEETINGS,
        _ => &[],
    }
}

async fn load_meetings(store: &Store, system: &Actor, tenant: &RegionCode, slug: &str) -> Result<usize, DemoError> {
    let list = demo_meetings(slug);
    if list.is_empty() {
        return Ok(0);
    }
    let data = |what: String| DemoError::Data(what);
    let date = |s: &str| -> Result<time::Date, DemoError> {
        parse_date("date", s).ok().flatten().ok_or_else(|| data(format!("bad demo date {s}")))
    };
    let invitees = store.meeting_invitees(system, tenant).await?;
    let user = |name: &str| {
        invitees
            .users
            .iter()
            .find(|(_, n, _)| n == name)
            .map(|(id, _, _)| *id)
            .ok_or_else(|| data(format!("no demo user {name}")))
    };
    let needs = store.needs(system, &PlanFilter { tenant: Some(tenant.clone()), ..Default::default() }).await?;
    let agreements: Vec<_> =
        store.agreements(system, &Default::default()).await?.into_iter().filter(|a| &a.tenant == tenant).collect();
    for m in list {
        let need_ids = m
            .needs
            .iter()
            .map(|t| {
                needs
                    .iter()
                    .find(|n| n.title.starts_with(t))
                    .map(|n| n.id)
                    .ok_or_else(|| data(format!("no demo need {t}")))
            })
            .collect::<Result<_, _>>()?;
        let agreement_ids = m
            .agreements
            .iter()
            .map(|t| {
                agreements
                    .iter()
                    .find(|a| a.title.starts_with(t))
                    .map(|a| a.id)
                    .ok_or_else(|| data(format!("no demo agreement {t}")))
            })
            .collect::<Result<_, _>>()?;
        let draft = MeetingDraft::parse(m.kind.slug(), m.title, m.held_on, m.place, m.agenda, m.minutes, m.decisions)
            .map_err(|e| data(format!("{e:?}")))?;
        let meeting = store.create_meeting(system, tenant, MeetingInput { draft, need_ids, agreement_ids }).await?;
        for a in m.attendees {
            let who = match a {
                DemoAttendee::User(name) => AttendeeRef::User(user(name)?),
                DemoAttendee::Contact(name) => {
                    let id = invitees.contacts.iter().find(|(_, n, _)| n == name).map(|(id, _, _)| *id);
                    AttendeeRef::Contact(id.ok_or_else(|| data(format!("no demo contact {name}")))?)
                }
                DemoAttendee::Guest(name, organisation) => {
                    AttendeeRef::parse("", name, organisation).map_err(|e| data(e.to_string()))?
                }
            };
            store.add_attendee(system, meeting.id, who).await?;
        }
        for i in m.items {
            let owner = i.owner_user.map(user).transpose()?.map(|id| id.to_string()).unwrap_or_default();
            let draft = ActionItemDraft::parse(i.title, &owner, i.owner_label.unwrap_or_default(), i.due)
                .map_err(|e| data(format!("{e:?}")))?;
            let added = store.add_action_item(system, meeting.id, draft).await?;
            // Walk the item as people would, so the audit trail tells the same story.
            let path: &[ActionStatus] = match i.status {
                ActionStatus::Open => &[],
                ActionStatus::InProgress => &[ActionStatus::InProgress],
                ActionStatus::Done => &[ActionStatus::InProgress, ActionStatus::Done],
                ActionStatus::Cancelled => &[ActionStatus::Cancelled],
            };
            for to in path {
                store.set_action_status(system, meeting.id, added.id, *to, date(i.on)?).await?;
            }
        }
    }
    Ok(list.len())
}

fn status_rank(s: NeedStatus) -> u8 {
    match s {
        NeedStatus::Draft => 0,
        NeedStatus::Submitted => 1,
        NeedStatus::Matched => 2,
        NeedStatus::InAgreement => 3,
        NeedStatus::Fulfilled => 4,
        NeedStatus::Dropped => 5,
    }
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

/// The word that finds, among the Pemda's demo agencies, the one that carries an agreement out.
fn responsible_agency(title: &str) -> Option<&'static str> {
    [
        ("Laboratorium", "Laboratorium"),
        ("UMKM", "Koperasi"),
        ("kabel", "Komunikasi"),
        ("STEM", "Pendidikan"),
        ("ekonomi mikro", "Perencanaan"),
    ]
    .into_iter()
    .find(|(key, _)| title.contains(key))
    .map(|(_, agency)| agency)
}

/// Who signed the Kota–Kabupaten Serang KB of 30 January 2026, as the field report tells it:
/// the Wali Kota for the city, the Wakil Bupati for the regency (for the Bupati, by letter of
/// authority), each with its own register number.
fn demo_signing(title: &str) -> Option<(Vec<PartySigning>, &'static str)> {
    title.starts_with("Kerja sama UMKM, industri, dan Laboratorium").then(|| {
        let party = |seq, name: &str, position: &str, number: &str, by_authority| PartySigning {
            seq,
            signatory_name: Some(name.to_owned()),
            signatory_position: Some(position.to_owned()),
            document_number: Some(number.to_owned()),
            signs_by_authority: by_authority,
        };
        (
            vec![
                party(0, "Budi Rustandi", "Wali Kota Serang", "000.7/03-KB/Huk/2026", false),
                party(1, "Muhammad Najib Hamas", "Wakil Bupati Serang", "000.7/05/KB.Pemkab/2026", true),
            ],
            "KB Kota-Kabupaten Serang 30 Januari 2026 (pindaian)",
        )
    })
}

/// The yearly monitoring of the APJATEL cable tidying: it works, and the Pemda wants more roads.
fn demo_evaluation(title: &str) -> Result<Option<NewEvaluation>, DemoError> {
    if !title.starts_with("Penataan kabel fiber optik") {
        return Ok(None);
    }
    let bad = |e: Vec<sinergi_domain::auth::FieldError>| DemoError::Data(format!("demo evaluation: {e:?}"));
    Ok(Some(NewEvaluation {
        period: "2025–2026".into(),
        evaluated_on: parse_date("date", "2026-10-15")
            .ok()
            .flatten()
            .ok_or_else(|| DemoError::Data("evaluation date".into()))?,
        scores: Scores::parse(["5", "4", "5", "4", "5", "5"]).map_err(bad)?,
        recommendation: Recommendation::Expand,
        notes: "Perluas ke ruas Jl. Raya Puspiptek dan Jl. Ciater Raya; koordinasi jadwal galian dengan DSDABMBK."
            .into(),
    }))
}

/// Which partner each demo partner user speaks for (a part of the partner's name).
const PARTNER_USERS: [(&str, &str); 3] =
    [("Tim CSR Bank BJB", "Bank BJB"), ("Sekretariat APJATEL", "APJATEL"), ("Adi Hadianto (IPB University)", "IPB")];

/// One CSR need of the demo, with what happened to it.
struct DemoCsrNeed {
    category: CsrCategory,
    title: &'static str,
    description: &'static str,
    /// Desa/kelurahan code.
    location: &'static str,
    point: Option<(f64, f64)>,
    cost: Option<i64>,
    agency: &'static str,
    programme: Option<&'static str>,
    photo: Option<(&'static str, &'static [u8])>,
    /// Stay a draft (an agency's proposal the admin has not published yet).
    draft: bool,
    pledge: Option<DemoPledge>,
}

struct DemoPledge {
    /// Part of the partner's name.
    partner: &'static str,
    value: Option<i64>,
    form: PledgeForm,
    period: (&'static str, &'static str),
    reports: &'static [DemoCsrReport],
}

struct DemoCsrReport {
    window: Window,
    value: Option<i64>,
    description: &'static str,
    photo: Option<(&'static str, &'static [u8])>,
    /// The step it reached: submitted, revision-requested (with this comment), approved or
    /// published.
    status: ReportStatus,
    comment: Option<&'static str>,
}

const KULINER: &[u8] = include_bytes!("../assets/csr/sentra-kuliner.jpg");
const BANTEN_LAMA: &[u8] = include_bytes!("../assets/csr/banten-lama.jpg");
const RTH: &[u8] = include_bytes!("../assets/csr/rth-kasemen.jpg");
const PENGHIJAUAN: &[u8] = include_bytes!("../assets/csr/penghijauan.jpg");
const KLASTER: &[u8] = include_bytes!("../assets/csr/klaster-pangan.jpg");
const PELATIHAN: &[u8] = include_bytes!("../assets/csr/pelatihan-bjb.jpg");

/// Kota Serang's CSR as the field report tells it: PIK 2 (Agung Sedayu Group) pledged to the
/// culinary centre, the green open space and Banten Lama's religious tourism, where the Pemda
/// provides the location and the partner builds — values not reported yet; PT Serang Sosor,
/// Bank Indonesia Banten and Bank BJB realised CSR with evidence; some needs still unfunded.
fn demo_csr(slug: &str) -> Vec<DemoCsrNeed> {
    use ReportStatus::{Published, RevisionRequested};
    if slug != "kota-serang" {
        return Vec::new();
    }
    let pik2 = |period| DemoPledge { partner: "PIK 2", value: None, form: PledgeForm::Mixed, period, reports: &[] };
    vec![
        DemoCsrNeed {
            category: CsrCategory::EkonomiKerakyatan,
            title: "Sentra kuliner UMKM kawasan Banten Lama",
            description: "Bangunan sentra kuliner untuk menampung produk UMKM lokal di dekat kawasan wisata religi. Lahan disediakan Pemda; mitra membangun los, dapur bersama dan sanitasi.",
            location: "36.73.02.1007",
            point: Some((-6.0369, 106.1531)),
            cost: Some(4_500_000_000),
            agency: "umkm",
            programme: Some("RPJMD Misi 2: penguatan UMKM dan ekonomi kerakyatan"),
            photo: Some(("Lokasi sentra kuliner yang disediakan Pemda", KULINER)),
            draft: false,
            pledge: Some(pik2(("2026-03-01", "2027-12-31"))),
        },
        DemoCsrNeed {
            category: CsrCategory::LingkunganHidup,
            title: "Ruang terbuka hijau Kasemen",
            description: "Taman kota dengan pohon peneduh, bangku dan jalur pejalan kaki di Kelurahan Kasemen.",
            location: "36.73.02.1001",
            point: Some((-6.0478, 106.1652)),
            cost: Some(2_000_000_000),
            agency: "dlh",
            programme: Some("RPJMD Misi 4: Serang hijau dan bersih"),
            photo: Some(("Rencana lokasi RTH", RTH)),
            draft: false,
            pledge: Some(pik2(("2026-03-01", "2027-06-30"))),
        },
        DemoCsrNeed {
            category: CsrCategory::Pariwisata,
            title: "Fasilitas publik wisata religi Banten Lama",
            description: "Area parkir, toilet, tempat wudu dan penunjuk arah bagi peziarah. Pemda menyediakan lokasi, mitra membangun fasilitasnya.",
            location: "36.73.02.1007",
            point: Some((-6.0355, 106.1544)),
            cost: None,
            agency: "pariwisata",
            programme: Some("RPJMD Misi 3: pariwisata religi dan budaya"),
            photo: Some(("Kawasan Masjid Agung Banten", BANTEN_LAMA)),
            draft: false,
            pledge: Some(pik2(("2026-06-01", "2027-12-31"))),
        },
        DemoCsrNeed {
            category: CsrCategory::LingkunganHidup,
            title: "Penghijauan dan sarana kebersihan Kaligandu",
            description: "Penanaman 1.000 pohon dan penyediaan tempat sampah terpilah di kelurahan sekitar pabrik.",
            location: "36.73.01.1010",
            point: None,
            cost: Some(350_000_000),
            agency: "dlh",
            programme: Some("RPJMD Misi 4: Serang hijau dan bersih"),
            photo: None,
            draft: false,
            pledge: Some(DemoPledge {
                partner: "Serang Sosor",
                value: Some(350_000_000),
                form: PledgeForm::Goods,
                period: ("2025-07-01", "2025-12-31"),
                reports: &[
                    DemoCsrReport {
                        window: Window { year: 2025, index: 3 },
                        value: Some(150_000_000),
                        description: "Penanaman 600 pohon trembesi dan mahoni bersama warga Kaligandu.",
                        photo: Some(("penghijauan-kaligandu.jpg", PENGHIJAUAN)),
                        status: Published,
                        comment: None,
                    },
                    DemoCsrReport {
                        window: Window { year: 2025, index: 4 },
                        value: Some(200_000_000),
                        description: "Penanaman 400 pohon dan 40 set tempat sampah terpilah; diserahterimakan ke DLH.",
                        photo: None,
                        status: Published,
                        comment: None,
                    },
                ],
            }),
        },
        DemoCsrNeed {
            category: CsrCategory::EkonomiKerakyatan,
            title: "Sarana produksi klaster UMKM pangan",
            description: "Alat produksi dan pengemasan untuk klaster UMKM olahan bandeng dan emping.",
            location: "36.73.02.1008",
            point: None,
            cost: Some(500_000_000),
            agency: "umkm",
            programme: Some("RPJMD Misi 2: penguatan UMKM dan ekonomi kerakyatan"),
            photo: None,
            draft: false,
            pledge: Some(DemoPledge {
                partner: "Bank Indonesia",
                value: Some(500_000_000),
                form: PledgeForm::Goods,
                period: ("2026-01-01", "2026-12-31"),
                reports: &[DemoCsrReport {
                    window: Window { year: 2026, index: 2 },
                    value: Some(485_000_000),
                    description: "Serah terima mesin vakum, freezer dan alat pengemas kepada 25 UMKM klaster pangan.",
                    photo: Some(("serah-terima-klaster.jpg", KLASTER)),
                    status: Published,
                    comment: None,
                }],
            }),
        },
        DemoCsrNeed {
            category: CsrCategory::Pendidikan,
            title: "Literasi keuangan dan pelatihan UMKM",
            description: "Pelatihan pembukuan sederhana dan akses KUR bagi 200 pelaku UMKM.",
            location: "36.73.01.1004",
            point: None,
            cost: Some(250_000_000),
            agency: "umkm",
            programme: None,
            photo: None,
            draft: false,
            pledge: Some(DemoPledge {
                partner: "Bank BJB",
                value: Some(250_000_000),
                form: PledgeForm::Services,
                period: ("2026-01-01", "2026-12-31"),
                reports: &[
                    DemoCsrReport {
                        window: Window { year: 2026, index: 1 },
                        value: Some(120_000_000),
                        description: "Empat angkatan pelatihan literasi keuangan, 100 peserta.",
                        photo: Some(("pelatihan-literasi.jpg", PELATIHAN)),
                        status: Published,
                        comment: None,
                    },
                    DemoCsrReport {
                        window: Window { year: 2026, index: 2 },
                        value: None,
                        description: "Pendampingan pengajuan KUR bagi peserta pelatihan.",
                        photo: Some(("pendampingan-kur.jpg", PELATIHAN)),
                        status: RevisionRequested,
                        comment: Some("Lampirkan daftar hadir yang ditandatangani dan sebutkan nilai realisasinya."),
                    },
                ],
            }),
        },
        DemoCsrNeed {
            category: CsrCategory::InfrastrukturSanitasi,
            title: "MCK umum dan sanitasi Sawah Luhur",
            description: "Tiga unit MCK umum dan saluran air limbah untuk permukiman pesisir.",
            location: "36.73.02.1008",
            point: None,
            cost: Some(600_000_000),
            agency: "dlh",
            programme: Some("RPJMD Misi 4: Serang hijau dan bersih"),
            photo: None,
            draft: false,
            pledge: None,
        },
        DemoCsrNeed {
            category: CsrCategory::Pendidikan,
            title: "Beasiswa anak nelayan Karangantu",
            description: "Beasiswa sekolah menengah bagi anak keluarga nelayan di sekitar Pelabuhan Karangantu.",
            location: "36.73.02.1007",
            point: None,
            cost: None,
            agency: "bappeda",
            programme: None,
            photo: None,
            draft: false,
            pledge: None,
        },
        DemoCsrNeed {
            category: CsrCategory::Kesehatan,
            title: "Posyandu ramah anak Cipocok Jaya",
            description: "Renovasi dan perlengkapan dua posyandu.",
            location: "36.73.05.1001",
            point: None,
            cost: Some(180_000_000),
            agency: "dinkes",
            programme: None,
            photo: None,
            draft: true,
            pledge: None,
        },
    ]
}

async fn load_csr(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    slug: &str,
    agencies: &[(&str, AgencyId)],
) -> Result<usize, DemoError> {
    let list = demo_csr(slug);
    if list.is_empty() {
        return Ok(0);
    }
    let data = |what: String| DemoError::Data(what);
    // CSR writes are a tenant's: act as the system inside this tenant.
    let actor = Actor { scope: sinergi_domain::Scope::Tenant(tenant.clone()), ..system.clone() };
    let partners = store.partners(system, &Default::default()).await?;
    let photo = |name: &str, bytes: &'static [u8]| -> Result<Upload, DemoError> {
        let file = check_file("photo", name, bytes.to_vec(), MAX_FILE_BYTES).map_err(|e| data(e.reason.to_string()))?;
        // The demo photos are small already; they serve as their own thumbnails.
        Ok(Upload { thumbnail: None, file })
    };
    for n in &list {
        let input = CsrNeedInput {
            category: n.category,
            title: n.title.into(),
            description: n.description.into(),
            location: RegionCode::parse(n.location).map_err(|e| data(e.to_string()))?,
            point: n.point,
            estimated_cost: n.cost,
            agency_id: Some(lookup(agencies, n.agency)?),
            priority_programme: n.programme.map(str::to_owned),
        };
        let need = store.create_csr_need(&actor, tenant, input).await?;
        if let Some((caption, bytes)) = n.photo {
            store.add_csr_photo(&actor, need.id, caption, photo("lokasi.jpg", bytes)?).await?;
        }
        if n.draft {
            continue;
        }
        store.move_csr_need(&actor, need.id, CsrNeedStatus::Published).await?;
        let Some(p) = &n.pledge else { continue };
        let partner = partners
            .iter()
            .find(|x| &x.tenant == tenant && x.name.contains(p.partner))
            .ok_or_else(|| data(format!("no demo partner {}", p.partner)))?;
        let date = |s: &str| parse_date("date", s).ok().flatten().ok_or_else(|| data(format!("bad demo date {s}")));
        let pledge = store
            .pledge_csr(
                &actor,
                need.id,
                PledgeInput {
                    partner_id: partner.id,
                    value: p.value,
                    form: p.form,
                    period_start: date(p.period.0)?,
                    period_end: date(p.period.1)?,
                    agreement_id: None,
                    note: None,
                },
            )
            .await?;
        for r in p.reports {
            let mut evidence = vec![(
                EvidenceKind::Bast,
                Upload {
                    file: check_file("bast", "bast.pdf", demo_pdf(&format!("BAST CSR - {}", n.title)), MAX_FILE_BYTES)
                        .map_err(|e| data(e.reason.to_string()))?,
                    thumbnail: None,
                },
            )];
            if let Some((name, bytes)) = r.photo {
                evidence.push((EvidenceKind::Photo, photo(name, bytes)?));
            }
            let input =
                ReportInput { window: r.window, value: r.value, description: r.description.into(), location: None };
            let id = store.save_csr_report(&actor, pledge.id, input, evidence).await?;
            store.move_csr_report(&actor, id, ReportStatus::Submitted, None).await?;
            let steps: &[ReportStatus] = match r.status {
                ReportStatus::RevisionRequested => &[ReportStatus::RevisionRequested],
                ReportStatus::Approved => &[ReportStatus::Approved],
                ReportStatus::Published => &[ReportStatus::Approved, ReportStatus::Published],
                _ => &[],
            };
            for step in steps {
                store.move_csr_report(&actor, id, *step, r.comment).await?;
            }
        }
        // Serang Sosor's programme ended with its last report.
        if p.partner == "Serang Sosor" {
            store.move_csr_need(&actor, need.id, CsrNeedStatus::Realised).await?;
        }
    }
    Ok(list.len())
}

/// A one-page PDF standing in for a scanned document in the demo: a real PDF that any viewer
/// opens, with the document's title on it.
fn demo_pdf(title: &str) -> Vec<u8> {
    // PDF strings escape backslashes and parentheses; the demo titles are plain Latin text.
    let text: String = title
        .chars()
        .filter(char::is_ascii)
        .flat_map(|c| match c {
            '(' | ')' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let stream = format!("BT /F1 14 Tf 56 760 Td (Sinergi - contoh dokumen) Tj 0 -24 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

fn evidence_scan(title: &str) -> Result<CheckedFile, DemoError> {
    check_file("evidence_file", &format!("{title}.pdf"), demo_pdf(title), MAX_FILE_BYTES)
        .map_err(|e| DemoError::Data(format!("demo evidence {title}: {}", e.reason)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_login_per_role_per_pemda() {
        let logins = demo_logins();
        // One per role per Pemda, the platform's operator, Bank BJB's KUR analyst, and (issue
        // 7) the Labkesda's verifying officer and a factory's HSE officer in Kota Serang, SPPG
        // Cikande's manager and an egg farm's owner in Kabupaten Serang.
        assert_eq!(logins.len(), 1 + 4 * 7 + 1 + 4);
        for p in &PEMDA {
            for role in Role::TENANT_ROLES {
                assert!(logins.iter().any(|l| l.email == demo_email(role, p.slug)), "{} {}", p.slug, role);
            }
        }
    }
}

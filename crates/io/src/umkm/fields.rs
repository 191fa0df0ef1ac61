//! The fields of a UMKM record and the many ways registers name their columns.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::sheet::normalise_header;

/// A field of [`sinergi_domain::umkm::SourceRecord`] a column can be read into, or `Skip` for
/// a column the officer chose to leave out. The slugs (`as_str`) are stable: HTML forms post
/// them and saved column mappings store them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UmkmField {
    BusinessName,
    LegalForm,
    OwnerName,
    Nik,
    Sex,
    BirthYear,
    Nib,
    Npwp,
    Kbli,
    Address,
    Desa,
    Kecamatan,
    KabKota,
    Phone,
    Email,
    Products,
    Employees,
    /// Modal usaha (or assets).
    Capital,
    /// Omzet per year.
    Sales,
    /// Omzet per month, stored as twelve times the amount.
    SalesMonthly,
    /// The year the figures are for.
    Year,
    Pirt,
    Halal,
    Bpom,
    Sni,
    Tags,
    Skip,
}

impl UmkmField {
    pub const ALL: &'static [UmkmField] = &[
        UmkmField::BusinessName,
        UmkmField::LegalForm,
        UmkmField::OwnerName,
        UmkmField::Nik,
        UmkmField::Sex,
        UmkmField::BirthYear,
        UmkmField::Nib,
        UmkmField::Npwp,
        UmkmField::Kbli,
        UmkmField::Address,
        UmkmField::Desa,
        UmkmField::Kecamatan,
        UmkmField::KabKota,
        UmkmField::Phone,
        UmkmField::Email,
        UmkmField::Products,
        UmkmField::Employees,
        UmkmField::Capital,
        UmkmField::Sales,
        UmkmField::SalesMonthly,
        UmkmField::Year,
        UmkmField::Pirt,
        UmkmField::Halal,
        UmkmField::Bpom,
        UmkmField::Sni,
        UmkmField::Tags,
        UmkmField::Skip,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UmkmField::BusinessName => "business_name",
            UmkmField::LegalForm => "legal_form",
            UmkmField::OwnerName => "owner_name",
            UmkmField::Nik => "nik",
            UmkmField::Sex => "sex",
            UmkmField::BirthYear => "birth_year",
            UmkmField::Nib => "nib",
            UmkmField::Npwp => "npwp",
            UmkmField::Kbli => "kbli",
            UmkmField::Address => "address",
            UmkmField::Desa => "desa",
            UmkmField::Kecamatan => "kecamatan",
            UmkmField::KabKota => "kab_kota",
            UmkmField::Phone => "phone",
            UmkmField::Email => "email",
            UmkmField::Products => "products",
            UmkmField::Employees => "employees",
            UmkmField::Capital => "capital",
            UmkmField::Sales => "sales",
            UmkmField::SalesMonthly => "sales_monthly",
            UmkmField::Year => "year",
            UmkmField::Pirt => "pirt",
            UmkmField::Halal => "halal",
            UmkmField::Bpom => "bpom",
            UmkmField::Sni => "sni",
            UmkmField::Tags => "tags",
            UmkmField::Skip => "skip",
        }
    }

    /// The field with this slug.
    pub fn parse(slug: &str) -> Option<Self> {
        let slug = slug.trim();
        Self::ALL.iter().copied().find(|f| f.as_str() == slug)
    }

    /// Whether several columns may feed this field: two phone columns (HP and WA), an address
    /// split over columns, several product or tag columns. Any other field takes one column.
    pub fn takes_many_columns(self) -> bool {
        matches!(
            self,
            UmkmField::Address
                | UmkmField::Products
                | UmkmField::Tags
                | UmkmField::Phone
                | UmkmField::Kbli
                | UmkmField::Skip
        )
    }
}

impl fmt::Display for UmkmField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a header says a column holds. "Nama Pelaku Usaha" and a bare "Nama" name a person or a
/// business depending on the other columns: see [`crate::umkm::detect`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderMeaning {
    Field(UmkmField),
    /// The owner when the sheet also has a business-name column, else the business.
    PersonOrBusiness,
}

/// Header names, normalised (lower case, punctuation as spaces: "No. HP/WA" is "no hp wa").
const SYNONYMS: &[(HeaderMeaning, &[&str])] = {
    use HeaderMeaning::{Field, PersonOrBusiness};
    use UmkmField::*;
    &[
        (
            Field(BusinessName),
            &[
                "nama usaha",
                "nama umkm",
                "nama ukm",
                "nama ikm",
                "nama perusahaan",
                "nama badan usaha",
                "nama unit usaha",
                "nama toko",
                "nama merek",
                "nama merk",
                "merek",
                "merk",
                "merek dagang",
                "nama brand",
                "nama dagang",
                "usaha",
                "business name",
            ],
        ),
        (PersonOrBusiness, &["nama pelaku usaha", "pelaku usaha", "nama"]),
        (
            Field(OwnerName),
            &[
                "nama pemilik",
                "pemilik",
                "nama pemilik usaha",
                "pemilik usaha",
                "nama peserta",
                "peserta",
                "nama lengkap",
                "nama penanggung jawab",
                "penanggung jawab",
                "nama pengusaha",
                "nama owner",
                "owner",
                "owner name",
            ],
        ),
        (
            Field(LegalForm),
            &[
                "bentuk usaha",
                "badan usaha",
                "bentuk badan usaha",
                "jenis badan usaha",
                "status badan usaha",
                "badan hukum",
                "bentuk badan hukum",
                "jenis perusahaan",
            ],
        ),
        (
            Field(Nik),
            &[
                "nik",
                "no nik",
                "nomor nik",
                "nik ktp",
                "no ktp",
                "nomor ktp",
                "ktp",
                "nomor induk kependudukan",
                "nik pemilik",
            ],
        ),
        (
            Field(Sex),
            &["jenis kelamin", "jk", "j k", "l p", "kelamin", "gender", "sex", "jenis kelamin l p", "jenis kelamin lp"],
        ),
        (
            Field(BirthYear),
            &[
                "tahun lahir",
                "thn lahir",
                "tanggal lahir",
                "tgl lahir",
                "tempat tanggal lahir",
                "tempat tgl lahir",
                "ttl",
                "umur",
            ],
        ),
        (Field(Nib), &["nib", "no nib", "nomor nib", "nomor induk berusaha", "nib oss", "nomor induk berusaha nib"]),
        (Field(Npwp), &["npwp", "no npwp", "nomor npwp", "nomor pokok wajib pajak", "npwp usaha"]),
        (Field(Kbli), &["kbli", "kode kbli", "no kbli", "kbli 2020", "kode kbli 2020"]),
        (
            Field(Address),
            &[
                "alamat",
                "alamat usaha",
                "alamat lengkap",
                "alamat tempat usaha",
                "alamat rumah",
                "alamat pemilik",
                "lokasi usaha",
                "lokasi",
                "jalan",
                "kampung",
                "rt rw",
                "address",
            ],
        ),
        (
            Field(Desa),
            &[
                "desa",
                "kelurahan",
                "desa kel",
                "kel desa",
                "desa kelurahan",
                "kelurahan desa",
                "ds",
                "kel",
                "nama desa",
            ],
        ),
        (Field(Kecamatan), &["kecamatan", "kec", "nama kecamatan", "kec asal", "kecamatan asal"]),
        (
            Field(KabKota),
            &[
                "kabupaten",
                "kab",
                "kab kota",
                "kabupaten kota",
                "kota kabupaten",
                "kota",
                "kota kab",
                "kabupaten kota asal",
            ],
        ),
        (
            Field(Phone),
            &[
                "no hp",
                "no hp wa",
                "no hp whatsapp",
                "no wa",
                "no whatsapp",
                "nomor hp",
                "nomor hp wa",
                "nomor wa",
                "nomor whatsapp",
                "hp",
                "hp wa",
                "wa",
                "whatsapp",
                "handphone",
                "no handphone",
                "no telp",
                "no telp hp",
                "no tlp",
                "no telepon",
                "nomor telp",
                "nomor telepon",
                "telp",
                "tlp",
                "telp hp",
                "telepon",
                "kontak",
                "no kontak",
                "nomor kontak",
                "phone",
            ],
        ),
        (Field(Email), &["email", "e mail", "alamat email", "surel", "alamat surel"]),
        (
            Field(Products),
            &[
                "produk",
                "jenis produk",
                "nama produk",
                "produk unggulan",
                "komoditas",
                "komoditi",
                "jenis usaha",
                "bidang usaha",
                "sektor usaha",
                "sektor",
                "kegiatan usaha",
                "jenis kegiatan usaha",
                "uraian kbli",
                "judul kbli",
            ],
        ),
        (
            Field(Employees),
            &[
                "tenaga kerja",
                "jumlah tenaga kerja",
                "jml tenaga kerja",
                "tk",
                "jumlah tk",
                "jml tk",
                "karyawan",
                "jumlah karyawan",
                "jml karyawan",
                "pekerja",
                "jumlah pekerja",
            ],
        ),
        (
            Field(Capital),
            &[
                "modal",
                "modal usaha",
                "modal awal",
                "jumlah modal",
                "aset",
                "asset",
                "nilai aset",
                "jumlah aset",
                "total aset",
                "kekayaan bersih",
                "investasi",
                "nilai investasi",
            ],
        ),
        (
            Field(Sales),
            &[
                "omzet",
                "omset",
                "omzet per tahun",
                "omset per tahun",
                "omzet pertahun",
                "omset pertahun",
                "omzet tahunan",
                "omset tahunan",
                "omzet thn",
                "omzet setahun",
                "penjualan",
                "penjualan per tahun",
                "hasil penjualan tahunan",
                "hasil penjualan",
            ],
        ),
        (
            Field(SalesMonthly),
            &[
                "omzet per bulan",
                "omset per bulan",
                "omzet perbulan",
                "omset perbulan",
                "omzet bulanan",
                "omset bulanan",
                "omzet bln",
                "omset bln",
                "omzet bulan",
                "omset bulan",
                "penjualan per bulan",
                "rata rata omzet per bulan",
            ],
        ),
        (Field(Year), &["tahun", "tahun data", "thn", "tahun pendataan", "tahun anggaran"]),
        (
            Field(Pirt),
            &["pirt", "p irt", "no pirt", "nomor pirt", "no p irt", "sppirt", "spp irt", "no spp irt", "izin pirt"],
        ),
        (
            Field(Halal),
            &["halal", "sertifikat halal", "no halal", "no sertifikat halal", "nomor sertifikat halal", "label halal"],
        ),
        (Field(Bpom), &["bpom", "md", "bpom md", "no bpom", "izin edar", "izin edar bpom", "pom md"]),
        (Field(Sni), &["sni", "sertifikat sni", "no sni"]),
        (Field(Tags), &["kategori", "label", "tag", "tags", "klaster", "kelompok", "kategori usaha"]),
        (
            Field(Skip),
            &[
                "no",
                "no urut",
                "nomor urut",
                "nomor",
                "tahun berdiri",
                "tahun mulai usaha",
                "tanggal",
                "tgl",
                "keterangan",
                "ket",
            ],
        ),
    ]
};

/// Single words that are too generic to stand at the start of a longer header: "Nama Ibu" is no
/// business name and "Tahun Berdiri" no data year.
const NOT_A_PREFIX: &[&str] =
    &["nama", "no", "nomor", "tahun", "thn", "usaha", "kota", "kab", "tanggal", "tgl", "tk", "md", "ket"];

/// Words after the name that say nothing about the column: units and "wajib diisi".
const NOISE: &[&str] = &["rp", "rupiah", "idr", "orang", "org", "wajib", "diisi", "opsional", "optional", "x"];

/// What a header names, if it is one of the known names, one of them followed by more words
/// ("Omzet 2024", "Nomor Induk Berusaha (NIB)"), or one of them followed by units.
pub(crate) fn header_meaning(header: &str) -> Option<HeaderMeaning> {
    let normalised = normalise_header(header);
    if normalised.is_empty() {
        return None;
    }
    let mut words: Vec<&str> = normalised.split(' ').collect();
    while words.len() > 1 && words.last().is_some_and(|w| NOISE.contains(w)) {
        words.pop();
    }
    let text = words.join(" ");
    let mut best: Option<(usize, HeaderMeaning)> = None;
    for (meaning, names) in SYNONYMS {
        for name in *names {
            let fits = text == *name
                || (!NOT_A_PREFIX.contains(name)
                    && text.starts_with(name)
                    && text.as_bytes().get(name.len()) == Some(&b' '));
            if fits && best.is_none_or(|(len, _)| name.len() > len) {
                best = Some((name.len(), *meaning));
            }
        }
    }
    best.map(|(_, meaning)| meaning)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(header: &str) -> Option<UmkmField> {
        match header_meaning(header) {
            Some(HeaderMeaning::Field(f)) => Some(f),
            Some(HeaderMeaning::PersonOrBusiness) => Some(UmkmField::BusinessName),
            None => None,
        }
    }

    #[test]
    fn slugs_round_trip() {
        for f in UmkmField::ALL {
            assert_eq!(UmkmField::parse(f.as_str()), Some(*f));
            assert_eq!(serde_json::to_string(f).unwrap(), format!("\"{}\"", f.as_str()));
        }
        assert_eq!(UmkmField::parse("nama"), None);
    }

    #[test]
    fn headers_as_registers_write_them() {
        use UmkmField::*;
        for (header, expected) in [
            ("Nama Usaha", BusinessName),
            ("NAMA UMKM", BusinessName),
            ("Nama Pemilik", OwnerName),
            ("Nama Peserta", OwnerName),
            ("NIK", Nik),
            ("No. KTP", Nik),
            ("Nomor Induk Kependudukan (NIK)", Nik),
            ("No. HP/WA", Phone),
            ("No HP", Phone),
            ("No. Telp", Phone),
            ("WhatsApp", Phone),
            ("Kontak", Phone),
            ("Kec.", Kecamatan),
            ("KECAMATAN", Kecamatan),
            ("Desa/Kel", Desa),
            ("Kel/Desa", Desa),
            ("Kelurahan", Desa),
            ("Modal Usaha", Capital),
            ("Modal Usaha (Rp)", Capital),
            ("Aset", Capital),
            ("Omzet per Tahun", Sales),
            ("Omset", Sales),
            ("Omzet 2024 (Rp)", Sales),
            ("Omzet per Bulan", SalesMonthly),
            ("Penjualan", Sales),
            ("Nomor Induk Berusaha (NIB)", Nib),
            ("Kode KBLI", Kbli),
            ("Jenis Produk", Products),
            ("Komoditas", Products),
            ("Tahun", Year),
            ("Tahun Data", Year),
            ("Tahun Lahir", BirthYear),
            ("Jenis Kelamin (L/P)", Sex),
            ("L/P", Sex),
            ("Alamat Usaha", Address),
            ("Alamat Email", Email),
            ("E-mail", Email),
            ("Jumlah Tenaga Kerja (orang)", Employees),
            ("No. P-IRT", Pirt),
            ("Sertifikat Halal", Halal),
            ("No.", Skip),
            ("Tahun Berdiri", Skip),
            ("Kab/Kota", KabKota),
            ("Nama Pelaku Usaha", BusinessName),
        ] {
            assert_eq!(field(header), Some(expected), "{header}");
        }
        for header in ["", "Nama Ibu Kandung", "Tahun 2024", "Foto", "Usaha Lain-lain"] {
            assert_eq!(field(header), None, "{header}");
        }
    }
}

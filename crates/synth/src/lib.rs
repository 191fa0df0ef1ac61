//! Synthetic UMKM for Kabupaten Serang (Banten, 36.04), seeded: the same seed gives the same
//! output on every run and platform.
//!
//! [`businesses`] makes the true businesses (kecamatan and desa from the Kemendagri table, names
//! built from products, kinds of shop and the brand words everyone uses, Sundanese, Bantenese and
//! Javanese owners, NIK with the kecamatan code and birth date, NIB, phone, KBLI, turnover).
//! [`records`] turns them into the rows agencies actually hold: each business appears in one to
//! five sources (the Dinas Koperasi register, a training list, OSS, a village census), each
//! source with its own missing columns, and every row with a clerk's noise (legal forms and
//! honorifics added or dropped, spelling variants, typos, words swapped or abbreviated, phones
//! in any format and sometimes changed, NIK typos, desa misspelt). `true_id` is the ground truth.

mod names;

use std::io::Write;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sinergi_domain::RegionCode;

use names::*;

/// The regency the data describes.
pub const REGENCY: &str = "36.04";
pub const REGENCY_NAME: &str = "Kabupaten Serang";

/// A true business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Business {
    pub true_id: u32,
    pub name: String,
    pub owner: String,
    pub female: bool,
    /// 16 digits: kecamatan code, birth date (day + 40 for women), serial.
    pub nik: String,
    pub nib: Option<String>,
    pub phone: String,
    /// A second number some owners also give.
    pub other_phone: Option<String>,
    pub address: String,
    pub desa: String,
    pub desa_code: String,
    pub kecamatan: String,
    pub kecamatan_code: String,
    pub kbli: String,
    /// Yearly turnover in rupiah.
    pub omzet: u64,
}

/// One row as a source holds it; empty strings are missing values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UmkmRecord {
    pub record_id: String,
    pub source: String,
    pub business_name: String,
    pub owner_name: String,
    pub nik: String,
    pub nib: String,
    pub phone: String,
    pub address: String,
    pub desa: String,
    pub kecamatan: String,
    pub kabupaten_kota: String,
    pub kbli: String,
    pub omzet_raw: String,
    /// The business the row describes (ground truth).
    pub true_id: u32,
}

pub const CSV_HEADER: [&str; 14] = [
    "record_id",
    "source",
    "business_name",
    "owner_name",
    "nik",
    "nib",
    "phone",
    "address",
    "desa",
    "kecamatan",
    "kabupaten_kota",
    "kbli",
    "omzet_raw",
    "true_id",
];

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("the reference data has no kecamatan under {0}")]
    NoRegions(String),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

struct Kecamatan {
    code: String,
    name: String,
    desa: Vec<(String, String)>,
    weight: u32,
}

fn regions(rng: &mut ChaCha8Rng) -> Result<Vec<Kecamatan>, SynthError> {
    let regency = RegionCode::parse(REGENCY).map_err(|_| SynthError::NoRegions(REGENCY.into()))?;
    let mut out = Vec::new();
    for k in sinergi_reference::children(Some(&regency)) {
        let desa: Vec<(String, String)> = sinergi_reference::children(Some(&k.code))
            .into_iter()
            .map(|d| (d.code.as_str().to_owned(), d.name.clone()))
            .collect();
        if desa.is_empty() {
            continue;
        }
        // Kecamatan differ in size; busier ones (near the toll road, the coast) hold more UMKM.
        let weight = rng.random_range(2..=10);
        out.push(Kecamatan { code: k.code.as_str().to_owned(), name: k.name.clone(), desa, weight });
    }
    if out.is_empty() {
        return Err(SynthError::NoRegions(REGENCY.into()));
    }
    Ok(out)
}

/// Zipf-like pick: index i with weight 1/(i+1).
fn zipf<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    let total: f64 = (1..=list.len()).map(|i| 1.0 / i as f64).sum();
    let mut x = rng.random::<f64>() * total;
    for (i, item) in list.iter().enumerate() {
        x -= 1.0 / (i + 1) as f64;
        if x <= 0.0 {
            return item;
        }
    }
    list[list.len() - 1]
}

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or("")
}

fn digits(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

fn new_phone(rng: &mut ChaCha8Rng) -> String {
    let len = if rng.random_bool(0.6) { 8 } else { 7 };
    format!("08{}{}", pick(rng, PHONE_PREFIXES), digits(rng, len))
}

fn first_word(name: &str) -> &str {
    name.split(' ').next().unwrap_or(name)
}

/// The business name for a kind of business.
fn business_name(rng: &mut ChaCha8Rng, kind: Kind, owner_first: &str, female: bool, kec: &str, desa: &str) -> String {
    let hon = if female {
        pick(rng, &["Bu", "Mak", "Teh", "Ibu", "Hj."])
    } else {
        pick(rng, &["Pak", "Mang", "Kang", "H.", "Abah"])
    };
    let brand = zipf(rng, BRANDS);
    match kind {
        Kind::Food => {
            let product = pick(rng, FOOD_PRODUCTS);
            match rng.random_range(0..10) {
                0..=3 => format!("{product} {brand}"),
                4..=6 => format!("{product} {hon} {owner_first}"),
                7 => format!("{product} Khas {kec}"),
                8 => format!("{product} {desa}"),
                _ => format!("UD {brand}"),
            }
        }
        Kind::Retail => match rng.random_range(0..10) {
            0..=3 => format!("Toko {brand}"),
            4..=5 => format!("Toko Kelontong {hon} {owner_first}"),
            6 => format!("Warung {owner_first}"),
            7 => format!("UD {brand}"),
            8 => format!("Toko Sembako {brand}"),
            _ => format!("Agen Beras {brand}"),
        },
        Kind::FoodService => match rng.random_range(0..10) {
            0..=2 => format!("Warung Makan {brand}"),
            3..=4 => format!("Warung Nasi {hon} {owner_first}"),
            5 => format!("Rumah Makan {brand}"),
            6 => format!("Kedai Kopi {brand}"),
            7 => format!("Sate Bandeng {hon} {owner_first}"),
            8 => format!("Bakso {brand}"),
            _ => format!("Warung Sate {owner_first}"),
        },
        Kind::Garments => match rng.random_range(0..3) {
            0 => format!("Konveksi {brand}"),
            1 => format!("Penjahit {owner_first}"),
            _ => format!("Konveksi {owner_first} Collection"),
        },
        Kind::Batik => {
            if rng.random_bool(0.5) {
                format!("Batik {brand}")
            } else {
                format!("Batik Khas Serang {owner_first}")
            }
        }
        Kind::Repair => {
            if rng.random_bool(0.5) {
                format!("Bengkel Motor {brand}")
            } else {
                format!("Bengkel {owner_first} Motor")
            }
        }
        Kind::Services => match rng.random_range(0..3) {
            0 => format!("Salon {owner_first}"),
            1 => format!("Laundry {brand}"),
            _ => format!("Mebel {brand}"),
        },
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Food,
    Retail,
    FoodService,
    Garments,
    Batik,
    Repair,
    Services,
}

/// The KBLI mix: food processing 10xxx, retail 47xxx, food service 56xxx, garments 14xxx, ...
fn kind_and_kbli(rng: &mut ChaCha8Rng) -> (Kind, &'static str) {
    let x = rng.random_range(0..100);
    match x {
        0..=31 => (Kind::Food, pick(rng, &["10794", "10794", "10710", "10792", "10750", "10799", "10212", "10793"])),
        32..=56 => (Kind::Retail, pick(rng, &["47111", "47112", "47241", "47219", "47822", "47823"])),
        57..=76 => (Kind::FoodService, pick(rng, &["56102", "56102", "56103", "56101", "56303"])),
        77..=84 => (Kind::Garments, pick(rng, &["14111", "14120", "14131"])),
        85..=87 => (Kind::Batik, "13134"),
        88..=93 => (Kind::Repair, pick(rng, &["45407", "45201"])),
        _ => (Kind::Services, pick(rng, &["96112", "96200", "31001"])),
    }
}

fn person(rng: &mut ChaCha8Rng) -> (String, bool) {
    let female = rng.random_bool(0.55);
    let first = if female { pick(rng, FEMALE) } else { pick(rng, MALE) };
    if rng.random_bool(0.6) { (format!("{first} {}", pick(rng, SURNAMES)), female) } else { (first.to_owned(), female) }
}

fn nik_for(rng: &mut ChaCha8Rng, kecamatan_code: &str, female: bool) -> String {
    let region: String = kecamatan_code.chars().filter(char::is_ascii_digit).collect();
    let day = rng.random_range(1..=28) + if female { 40 } else { 0 };
    let month = rng.random_range(1..=12);
    let year = rng.random_range(55..=105) % 100;
    format!("{region}{day:02}{month:02}{year:02}{:04}", rng.random_range(1..=9999))
}

/// `n` true businesses in Kabupaten Serang.
pub fn businesses(n: usize, seed: u64) -> Result<Vec<Business>, SynthError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let kecs = regions(&mut rng)?;
    let total_weight: u32 = kecs.iter().map(|k| k.weight).sum();
    let mut out: Vec<Business> = Vec::with_capacity(n);
    for id in 0..n as u32 {
        let mut x = rng.random_range(0..total_weight);
        let kec = kecs
            .iter()
            .find(|k| {
                if x < k.weight {
                    true
                } else {
                    x -= k.weight;
                    false
                }
            })
            .unwrap_or(&kecs[0]);
        let (desa_code, desa) = kec.desa.choose(&mut rng).cloned().unwrap_or_default();
        let (kind, kbli) = kind_and_kbli(&mut rng);
        // Some owners run a second business: same person, NIK and phone, another trade.
        let second_of = if id > 0 && rng.random_bool(0.03) { out.get(rng.random_range(0..out.len())) } else { None };
        let (owner, female, nik, phone, desa, desa_code, kec_name, kec_code) = match second_of {
            Some(b) => (
                b.owner.clone(),
                b.female,
                b.nik.clone(),
                b.phone.clone(),
                b.desa.clone(),
                b.desa_code.clone(),
                b.kecamatan.clone(),
                b.kecamatan_code.clone(),
            ),
            None => {
                let (owner, female) = person(&mut rng);
                let nik = nik_for(&mut rng, &kec.code, female);
                (owner, female, nik, new_phone(&mut rng), desa, desa_code, kec.name.clone(), kec.code.clone())
            }
        };
        let name = business_name(&mut rng, kind, first_word(&owner), female, &kec_name, &desa);
        let nib = rng
            .random_bool(0.45)
            .then(|| format!("{}{}", pick(&mut rng, &["91", "81", "12", "02"]), digits(&mut rng, 11)));
        let other_phone = rng.random_bool(0.1).then(|| new_phone(&mut rng));
        let address = match rng.random_range(0..3) {
            0 => format!("Jl. Raya {desa} No. {}", rng.random_range(1..200)),
            _ => format!(
                "{} RT {:03}/RW {:03}",
                pick(&mut rng, KAMPUNG),
                rng.random_range(1..15),
                rng.random_range(1..8)
            ),
        };
        // Micro businesses mostly: log-uniform between 12 million and 3 billion a year.
        let omzet = (12e6f64 * (250f64).powf(rng.random::<f64>().powi(2))) as u64 / 100_000 * 100_000;
        out.push(Business {
            true_id: id,
            name,
            owner,
            female,
            nik,
            nib,
            phone,
            other_phone,
            address,
            desa,
            desa_code,
            kecamatan: kec_name,
            kecamatan_code: kec_code,
            kbli: kbli.to_owned(),
            omzet,
        });
    }
    Ok(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Dinkop,
    Pelatihan,
    Oss,
    Sensus,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Dinkop => "dinkop-register",
            Source::Pelatihan => "pelatihan-2024",
            Source::Oss => "oss-nib",
            Source::Sensus => "sensus-desa",
        }
    }

    /// Chance that the source has each column: owner, nik, nib, phone, address, desa, kabupaten, kbli, omzet.
    fn presence(self) -> [f64; 9] {
        match self {
            Source::Oss => [1.0, 0.97, 1.0, 0.85, 0.95, 0.95, 1.0, 1.0, 0.6],
            Source::Dinkop => [0.95, 0.75, 0.35, 0.85, 0.8, 0.85, 0.9, 0.5, 0.8],
            // Training lists: often only the name and a phone.
            Source::Pelatihan => [0.7, 0.2, 0.05, 0.97, 0.3, 0.4, 0.5, 0.0, 0.3],
            // Village data: no NIB.
            Source::Sensus => [0.95, 0.55, 0.0, 0.55, 0.9, 1.0, 1.0, 0.1, 0.6],
        }
    }
}

fn pick_source(rng: &mut ChaCha8Rng, has_nib: bool) -> Source {
    loop {
        let s = match rng.random_range(0..100) {
            0..=34 => Source::Dinkop,
            35..=59 => Source::Pelatihan,
            60..=79 => Source::Oss,
            _ => Source::Sensus,
        };
        if s != Source::Oss || has_nib {
            return s;
        }
    }
}

/// One or two character edits in a word of four letters or more.
fn typo(rng: &mut ChaCha8Rng, text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let candidates: Vec<usize> = (0..words.len()).filter(|&i| words[i].chars().count() >= 4).collect();
    let Some(&wi) = candidates.choose(rng) else { return text.to_owned() };
    let mut chars: Vec<char> = words[wi].chars().collect();
    for _ in 0..rng.random_range(1..=2) {
        let i = rng.random_range(1..chars.len());
        match rng.random_range(0..4) {
            0 => chars[i] = char::from(b'a' + rng.random_range(0..26u8)),
            1 if chars.len() > 3 => {
                chars.remove(i);
            }
            2 => chars.insert(i, chars[i]),
            _ => chars.swap(i - 1, i),
        }
        if chars.len() < 2 {
            break;
        }
    }
    let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    out[wi] = chars.into_iter().collect();
    out.join(" ")
}

fn spelling_variant(rng: &mut ChaCha8Rng, text: &str) -> String {
    let mut options: Vec<(usize, &str, &str)> = Vec::new();
    for (a, b) in SPELLINGS {
        for (from, to) in [(*a, *b), (*b, *a)] {
            if let Some(p) = text.split(' ').position(|w| w == from) {
                options.push((p, from, to));
            }
        }
    }
    let Some(&(p, _, to)) = options.choose(rng) else { return text.to_owned() };
    let mut words: Vec<&str> = text.split(' ').collect();
    words[p] = to;
    words.join(" ")
}

const FORMS: &[&str] = &["UD", "CV", "Toko", "Warung", "PT", "Usaha"];
const HONORIFICS: &[&str] = &["Bu", "Ibu", "Pak", "Bpk.", "H.", "Hj.", "Mak", "Mang", "Teh", "Kang", "Abah"];

/// Legal form or honorific added when absent, dropped when present.
fn toggle_form(rng: &mut ChaCha8Rng, text: &str) -> String {
    let mut words: Vec<&str> = text.split(' ').collect();
    if let Some(p) = words.iter().position(|w| HONORIFICS.contains(w)) {
        if rng.random_bool(0.5) {
            words.remove(p);
        } else {
            words[p] = pick(rng, HONORIFICS);
        }
        return words.join(" ");
    }
    if words.len() > 1 && FORMS.contains(&words[0]) {
        words.remove(0);
        if words.first() == Some(&"Makan") || words.first() == Some(&"Kelontong") && rng.random_bool(0.5) {
            words.remove(0);
        }
        return words.join(" ");
    }
    format!("{} {text}", pick(rng, FORMS))
}

fn swap_words(rng: &mut ChaCha8Rng, text: &str) -> String {
    let mut words: Vec<&str> = text.split(' ').collect();
    if words.len() < 2 {
        return text.to_owned();
    }
    if rng.random_bool(0.5) {
        let last = words.pop().unwrap_or_default();
        words.insert(0, last);
    } else {
        let i = rng.random_range(1..words.len());
        words.swap(i - 1, i);
    }
    words.join(" ")
}

fn abbreviate(text: &str) -> String {
    text.replace("Warung Makan", "WM")
        .replace("Rumah Makan", "RM")
        .replace("Sumber", "Sbr.")
        .replace("Kelontong", "Kel.")
        .replace("Bengkel Motor", "Bengkel Mtr")
}

fn cased(rng: &mut ChaCha8Rng, text: &str) -> String {
    match rng.random_range(0..10) {
        0..=2 => text.to_uppercase(),
        3 => text.to_lowercase(),
        _ => text.to_owned(),
    }
}

fn noisy_name(rng: &mut ChaCha8Rng, name: &str) -> String {
    let mut s = name.to_owned();
    if rng.random_bool(0.3) {
        s = toggle_form(rng, &s);
    }
    if rng.random_bool(0.2) {
        s = spelling_variant(rng, &s);
    }
    if rng.random_bool(0.12) {
        s = typo(rng, &s);
    }
    if rng.random_bool(0.08) {
        s = swap_words(rng, &s);
    }
    if rng.random_bool(0.05) {
        s = abbreviate(&s);
    }
    cased(rng, &s)
}

fn noisy_owner(rng: &mut ChaCha8Rng, owner: &str, female: bool) -> String {
    let mut s = owner.to_owned();
    if rng.random_bool(0.15)
        && let Some((first, _)) = s.split_once(' ')
    {
        s = first.to_owned();
    }
    if rng.random_bool(0.08) {
        s = typo(rng, &s);
    }
    if rng.random_bool(0.03) {
        s = s.replace('u', "oe");
    }
    if rng.random_bool(0.2) {
        let h =
            if female { pick(rng, &["Ibu", "Bu", "Hj.", "Ny."]) } else { pick(rng, &["Bpk.", "Pak", "H.", "Bapak"]) };
        s = format!("{h} {s}");
    }
    if rng.random_bool(0.05) {
        s = format!("{s}, {}", pick(rng, &["S.Pd", "S.E.", "A.Md"]));
    }
    cased(rng, &s)
}

/// A phone written one of the ways people write them.
fn phone_format(rng: &mut ChaCha8Rng, phone: &str) -> String {
    let national = phone.trim_start_matches('0');
    let (a, rest) = national.split_at(3.min(national.len()));
    let (b, c) = rest.split_at(4.min(rest.len()));
    match rng.random_range(0..8) {
        0 => format!("0{a}-{b}-{c}"),
        1 => format!("+62 {a} {b} {c}"),
        2 => format!("62{national}"),
        3 => national.to_owned(),
        4 => format!("0{a} {b} {c}"),
        5 => format!("0{a}.{b}.{c}"),
        6 => format!("+62{national}"),
        _ => phone.to_owned(),
    }
}

fn noisy_nik(rng: &mut ChaCha8Rng, nik: &str) -> String {
    let mut d: Vec<char> = nik.chars().collect();
    if rng.random_bool(0.04) && !d.is_empty() {
        let i = rng.random_range(6..d.len());
        d[i] = char::from(b'0' + rng.random_range(0..10u8));
    }
    if rng.random_bool(0.02) && !d.is_empty() {
        d.remove(rng.random_range(0..d.len()));
    }
    let s: String = d.into_iter().collect();
    if rng.random_bool(0.1) { format!("'{s}") } else { s }
}

fn noisy_desa(rng: &mut ChaCha8Rng, desa: &str) -> String {
    let mut s = desa.to_owned();
    if rng.random_bool(0.08) {
        s = typo(rng, &s);
    }
    match rng.random_range(0..10) {
        0 => s = format!("Desa {s}"),
        1 => s = format!("Ds. {s}"),
        _ => {}
    }
    cased(rng, &s)
}

fn kecamatan_format(rng: &mut ChaCha8Rng, kec: &str) -> String {
    match rng.random_range(0..10) {
        0..=1 => format!("Kec. {kec}"),
        2 => format!("KECAMATAN {}", kec.to_uppercase()),
        3 => kec.to_lowercase(),
        _ => kec.to_owned(),
    }
}

/// Turnover written the ways forms come back: "Rp 25.000.000", "25 jt", "1,5 M", "25000000".
fn omzet_format(rng: &mut ChaCha8Rng, omzet: u64) -> String {
    let dotted = {
        let s = omzet.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(c);
        }
        out
    };
    let jt = omzet as f64 / 1e6;
    match rng.random_range(0..6) {
        0 => format!("Rp {dotted}"),
        1 => format!("Rp{dotted},-"),
        2 if omzet >= 1_000_000_000 => format!("{} M", format!("{:.1}", jt / 1000.0).replace('.', ",")),
        2 | 3 => format!("{} jt", format!("{jt:.1}").trim_end_matches(".0").replace('.', ",")),
        4 => format!("{}jt", jt.round()),
        _ => omzet.to_string(),
    }
}

fn kabupaten_format(rng: &mut ChaCha8Rng) -> String {
    pick(rng, &["Kabupaten Serang", "Kab. Serang", "SERANG", "Kab Serang"]).to_owned()
}

fn record_of(rng: &mut ChaCha8Rng, b: &Business, source: Source) -> UmkmRecord {
    let p = source.presence();
    let mut has = |i: usize| rng.random_bool(p[i]);
    let (owner, nik, nib, phone, address, desa, kab, kbli, omzet) =
        (has(0), has(1), has(2), has(3), has(4), has(5), has(6), has(7), has(8));
    let mut r = UmkmRecord {
        record_id: String::new(),
        source: source.name().to_owned(),
        business_name: noisy_name(rng, &b.name),
        owner_name: String::new(),
        nik: String::new(),
        nib: String::new(),
        phone: String::new(),
        address: String::new(),
        desa: String::new(),
        kecamatan: kecamatan_format(rng, &b.kecamatan),
        kabupaten_kota: String::new(),
        kbli: String::new(),
        omzet_raw: String::new(),
        true_id: b.true_id,
    };
    if owner {
        r.owner_name = noisy_owner(rng, &b.owner, b.female);
    }
    if nik {
        r.nik = noisy_nik(rng, &b.nik);
    }
    if nib && let Some(n) = &b.nib {
        r.nib = n.clone();
    }
    // A training list is often the only place a name and phone appear; trainings are where
    // people give the number they use today.
    if phone || r.nik.is_empty() && r.owner_name.is_empty() {
        let number = match &b.other_phone {
            Some(other) if rng.random_bool(0.5) => other,
            _ => &b.phone,
        };
        r.phone = phone_format(rng, number);
    }
    if address {
        r.address = b.address.clone();
    }
    if desa {
        r.desa = noisy_desa(rng, &b.desa);
    }
    if kab {
        r.kabupaten_kota = kabupaten_format(rng);
    }
    if kbli {
        r.kbli = b.kbli.clone();
    }
    if omzet {
        let value = if rng.random_bool(0.3) { b.omzet / 10 * rng.random_range(7..14) } else { b.omzet };
        r.omzet_raw = omzet_format(rng, value);
    }
    r
}

/// How many rows a business has across the sources: 1 to 5, about two on average.
fn copies(rng: &mut ChaCha8Rng) -> usize {
    match rng.random_range(0..100) {
        0..=41 => 1,
        42..=69 => 2,
        70..=86 => 3,
        87..=95 => 4,
        _ => 5,
    }
}

/// Rows from the sources for the given businesses, shuffled, with record ids "R0000001"...
pub fn records_for(businesses: &[Business], seed: u64) -> Vec<UmkmRecord> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EED_0F2E_C02D_5EED);
    let mut out = Vec::with_capacity(businesses.len() * 2);
    for b in businesses {
        for _ in 0..copies(&mut rng) {
            let source = pick_source(&mut rng, b.nib.is_some());
            out.push(record_of(&mut rng, b, source));
        }
    }
    out.shuffle(&mut rng);
    for (i, r) in out.iter_mut().enumerate() {
        r.record_id = format!("R{:07}", i + 1);
    }
    out
}

/// About `n` noisy rows (exactly `n`): enough businesses for that many rows, then their rows.
pub fn records(n: usize, seed: u64) -> Result<Vec<UmkmRecord>, SynthError> {
    // About 2.06 rows per business; make a few more businesses than needed and cut.
    let b = businesses(n / 2 + 16, seed)?;
    let mut rows = records_for(&b, seed);
    if rows.len() < n {
        let extra = businesses(n - rows.len() + 16, seed.wrapping_add(1))?;
        let offset = b.len() as u32;
        let mut more = records_for(&extra, seed.wrapping_add(1));
        for r in &mut more {
            r.true_id += offset;
        }
        rows.extend(more);
    }
    rows.truncate(n);
    for (i, r) in rows.iter_mut().enumerate() {
        r.record_id = format!("R{:07}", i + 1);
    }
    Ok(rows)
}

/// Writes the rows as CSV with [`CSV_HEADER`].
pub fn write_csv<W: Write>(rows: &[UmkmRecord], out: W) -> Result<(), SynthError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for r in rows {
        let id = r.true_id.to_string();
        w.write_record([
            r.record_id.as_str(),
            &r.source,
            &r.business_name,
            &r.owner_name,
            &r.nik,
            &r.nib,
            &r.phone,
            &r.address,
            &r.desa,
            &r.kecamatan,
            &r.kabupaten_kota,
            &r.kbli,
            &r.omzet_raw,
            &id,
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_rows() {
        let a = records(500, 7).expect("records");
        let b = records(500, 7).expect("records");
        assert_eq!(a, b);
        assert_eq!(a.len(), 500);
        assert_ne!(a, records(500, 8).expect("records"));
    }

    #[test]
    fn businesses_are_in_kabupaten_serang() {
        let bs = businesses(300, 1).expect("businesses");
        for b in &bs {
            assert!(b.kecamatan_code.starts_with("36.04."), "{}", b.kecamatan_code);
            assert!(b.desa_code.starts_with(&b.kecamatan_code));
            assert_eq!(b.nik.len(), 16);
            assert!(b.nik.starts_with(&b.kecamatan_code.replace('.', "")));
            let day: u32 = b.nik[6..8].parse().expect("day");
            assert_eq!(day > 40, b.female, "women's birth day has 40 added");
            assert!(b.nib.as_ref().is_none_or(|n| n.len() == 13));
            assert!(sinergi_reference::kbli(&sinergi_domain::kbli::KbliCode::parse(&b.kbli).expect("kbli")).is_some());
        }
        let common = bs.iter().filter(|b| b.name.contains("Berkah") || b.name.contains("Barokah")).count();
        assert!(common > 15, "collisions on common brand words: {common}");
    }

    #[test]
    fn sources_have_their_gaps() {
        let rows = records(3000, 3).expect("records");
        let oss: Vec<_> = rows.iter().filter(|r| r.source == "oss-nib").collect();
        assert!(oss.iter().all(|r| !r.nib.is_empty()));
        assert!(rows.iter().filter(|r| r.source == "sensus-desa").all(|r| r.nib.is_empty()));
        let training: Vec<_> = rows.iter().filter(|r| r.source == "pelatihan-2024").collect();
        let with_phone = training.iter().filter(|r| !r.phone.is_empty()).count();
        assert!(with_phone * 10 > training.len() * 9);
        let groups = rows.iter().map(|r| r.true_id).collect::<std::collections::BTreeSet<_>>().len();
        assert!(groups < rows.len() * 2 / 3, "businesses appear more than once: {groups} of {}", rows.len());
    }

    #[test]
    fn csv_has_the_header_and_every_row() {
        let rows = records(50, 1).expect("records");
        let mut buf = Vec::new();
        write_csv(&rows, &mut buf).expect("csv");
        let text = String::from_utf8(buf).expect("utf8");
        assert!(text.starts_with("record_id,source,business_name,owner_name,nik,nib,phone,address,desa,kecamatan,kabupaten_kota,kbli,omzet_raw,true_id"));
        assert_eq!(csv::Reader::from_reader(text.as_bytes()).records().count(), 50);
    }
}

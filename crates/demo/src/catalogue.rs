//! Kabupaten Serang's curated catalogue for the demo: products of businesses of the demo
//! registry (emping melinjo, keripik, sate bandeng, bandeng presto, kopi, batik...), put
//! through the real flow (created, photographed, submitted, curated against the checklist),
//! two galleries that display them, and a product of the demo owner Maesaroh's "Keripik Emping
//! Tanara" that waits for curation, so the officer's queue has something in it.

use sinergi_domain::files::check_file;
use sinergi_domain::market::catalogue::{Category, LabelInfo, ProductInput, ProductStatus};
use sinergi_domain::umkm::{Permit, PermitKind};
use sinergi_domain::{Actor, BusinessId, ProductId, RegionCode};
use sinergi_store::Store;
use sinergi_store::catalogue::{CurationInput, GalleryInput, PhotoUpload};
use sinergi_store::umkm::BusinessFilter;

use crate::DemoError;

/// What the catalogue part of the demo made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CatalogueReport {
    pub products: usize,
    pub curated: usize,
    pub galleries: usize,
}

struct DemoProduct {
    /// Words of a registry business's name that makes it.
    maker: &'static str,
    name: &'static str,
    category: Category,
    price: i64,
    unit: &'static str,
    capacity: i64,
    packaging: &'static str,
    composition: Option<&'static str>,
    expiry: Option<&'static str>,
    halal: bool,
    description: &'static str,
    /// The photo's colour (a plain tile stands in for a real photo).
    colour: [u8; 3],
}

const PRODUCTS: [DemoProduct; 10] = [
    DemoProduct {
        maker: "emping melinjo",
        name: "Emping Melinjo Original",
        category: Category::Makanan,
        price: 35_000,
        unit: "bungkus 250 g",
        capacity: 600,
        packaging: "Standing pouch plastik dengan jendela",
        composition: Some("Melinjo, garam"),
        expiry: Some("6 bulan sejak tanggal produksi"),
        halal: true,
        description: "Emping tipis dari melinjo pilihan, digoreng tanpa pengawet.",
        colour: [214, 170, 90],
    },
    DemoProduct {
        maker: "keripik pisang",
        name: "Keripik Pisang Manis",
        category: Category::Makanan,
        price: 18_000,
        unit: "bungkus 200 g",
        capacity: 400,
        packaging: "Plastik alumunium foil",
        composition: Some("Pisang kepok, gula, minyak sawit"),
        expiry: Some("4 bulan"),
        halal: true,
        description: "Keripik pisang kepok renyah dengan gula aren.",
        colour: [235, 200, 80],
    },
    DemoProduct {
        maker: "sate bandeng",
        name: "Sate Bandeng Khas Serang",
        category: Category::Makanan,
        price: 45_000,
        unit: "tusuk",
        capacity: 300,
        packaging: "Kotak karton dengan plastik vakum",
        composition: Some("Ikan bandeng, kelapa, bumbu rempah"),
        expiry: Some("3 hari di suhu ruang, 1 bulan beku"),
        halal: true,
        description: "Sate bandeng tanpa duri, oleh-oleh khas Banten.",
        colour: [170, 110, 60],
    },
    DemoProduct {
        maker: "bandeng presto",
        name: "Bandeng Presto Duri Lunak",
        category: Category::Perikanan,
        price: 40_000,
        unit: "ekor (±400 g)",
        capacity: 250,
        packaging: "Plastik vakum",
        composition: Some("Ikan bandeng, bawang putih, garam"),
        expiry: Some("2 bulan beku"),
        halal: false,
        description: "Bandeng presto dari tambak Tirtayasa.",
        colour: [150, 160, 170],
    },
    DemoProduct {
        maker: "kopi bubuk",
        name: "Kopi Bubuk Robusta Serang",
        category: Category::Minuman,
        price: 30_000,
        unit: "bungkus 200 g",
        capacity: 200,
        packaging: "Kemasan kraft dengan katup",
        composition: Some("Biji kopi robusta sangrai"),
        expiry: Some("12 bulan"),
        halal: true,
        description: "Robusta dari lereng Gunung Karang, sangrai sedang.",
        colour: [90, 60, 40],
    },
    DemoProduct {
        maker: "batik",
        name: "Kain Batik Motif Debus",
        category: Category::Fesyen,
        price: 350_000,
        unit: "lembar 2 m",
        capacity: 40,
        packaging: "Kotak kertas",
        composition: None,
        expiry: None,
        halal: false,
        description: "Batik tulis motif khas Banten, pewarna alam.",
        colour: [40, 70, 130],
    },
    DemoProduct {
        maker: "gula aren",
        name: "Gula Aren Cetak",
        category: Category::Pertanian,
        price: 25_000,
        unit: "kg",
        capacity: 500,
        packaging: "Daun pisang kering dan plastik",
        composition: None,
        expiry: None,
        halal: false,
        description: "Gula aren murni dari Padarincang.",
        colour: [140, 80, 30],
    },
    DemoProduct {
        maker: "abon ikan",
        name: "Abon Ikan Tongkol",
        category: Category::Makanan,
        price: 28_000,
        unit: "toples 150 g",
        capacity: 300,
        packaging: "Toples plastik bersegel",
        composition: Some("Ikan tongkol, bawang, gula, rempah"),
        expiry: Some("6 bulan"),
        halal: true,
        description: "Abon ikan tongkol gurih untuk lauk sehari-hari.",
        colour: [190, 130, 70],
    },
    DemoProduct {
        maker: "rengginang",
        name: "Rengginang Terasi",
        category: Category::Makanan,
        price: 20_000,
        unit: "bungkus 250 g",
        capacity: 350,
        packaging: "Plastik bening",
        composition: Some("Beras ketan, terasi, garam"),
        expiry: Some("3 bulan"),
        halal: false,
        description: "Rengginang mentah siap goreng.",
        colour: [230, 225, 200],
    },
    DemoProduct {
        maker: "jahe merah",
        name: "Minuman Jahe Merah Instan",
        category: Category::Minuman,
        price: 22_000,
        unit: "kotak isi 10 sachet",
        capacity: 400,
        packaging: "Kotak karton, sachet alumunium",
        composition: Some("Jahe merah, gula pasir"),
        expiry: Some("12 bulan"),
        halal: true,
        description: "Jahe merah instan penghangat badan.",
        colour: [180, 50, 40],
    },
];

/// A plain PNG tile of one colour with a lighter band, standing in for a product photo:
/// stored (uncompressed) deflate blocks, so no image library is needed here.
fn tile(colour: [u8; 3], width: u32, height: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut raw = Vec::with_capacity(((width * 3 + 1) * height) as usize);
    for y in 0..height {
        raw.push(0);
        let band = y > height * 2 / 3;
        for x in 0..width {
            let shade = if band { 60 } else { ((x + y) % 24) as u8 };
            for c in colour {
                raw.push(c.saturating_add(shade));
            }
        }
    }
    let mut z = vec![0x78, 0x01];
    let mut blocks = raw.chunks(65_535).peekable();
    while let Some(block) = blocks.next() {
        z.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        z.extend_from_slice(&len.to_le_bytes());
        z.extend_from_slice(&(!len).to_le_bytes());
        z.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn photo(name: &str, colour: [u8; 3]) -> Result<PhotoUpload, DemoError> {
    let file = check_file("photo", &format!("{name}.png"), tile(colour, 320, 240), usize::MAX)
        .map_err(|e| DemoError::Data(format!("demo photo: {}", e.reason)))?;
    Ok(PhotoUpload { file, thumbnail: None })
}

fn input(p: &DemoProduct, producer: &str) -> ProductInput {
    let food = p.category.is_processed_food();
    ProductInput {
        name: p.name.to_owned(),
        category: p.category,
        description: Some(p.description.to_owned()),
        price: Some(p.price),
        unit: p.unit.to_owned(),
        capacity_per_month: Some(p.capacity),
        packaging: Some(p.packaging.to_owned()),
        label: LabelInfo {
            composition: p.composition.map(str::to_owned),
            expiry: p.expiry.map(str::to_owned),
            producer_address: food.then(|| producer.to_owned()),
        },
        claims_halal: p.halal,
        show_contact: true,
    }
}

/// The first live business of the registry whose name has these words and a mobile phone.
async fn maker(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    words: &str,
) -> Result<Option<(BusinessId, String, String)>, DemoError> {
    let filter = BusinessFilter { q: Some(words.to_owned()), ..BusinessFilter::default() };
    let page = store.umkm_businesses(system, tenant, &filter, 0, 20).await?;
    Ok(page.rows.into_iter().find(|b| b.phone.as_deref().is_some_and(|p| p.starts_with("08"))).map(|b| {
        let place = b.kecamatan.as_ref().map(|k| format!("Kec. {k}")).unwrap_or_default();
        (b.id, b.name, place)
    }))
}

/// The permits a product of this kind needs: the office records them for the demo makers,
/// as it would from the certificates the owner brings.
async fn permits(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    b: BusinessId,
    i: usize,
    p: &DemoProduct,
) -> Result<(), DemoError> {
    if p.category.is_processed_food() {
        let number = format!("2{:02}3604{:04}{:02}-29", 10 + i % 80, 100 + i, i % 90);
        let expires = time::Date::from_calendar_date(2029, time::Month::December, 31).ok();
        let permit = Permit { kind: PermitKind::Pirt, number, issued: None, expires };
        add(store, system, tenant, b, permit).await?;
    }
    if p.halal {
        let permit = Permit {
            kind: PermitKind::Halal,
            number: format!("ID36110000{:06}0125", 4100 + i),
            issued: None,
            expires: None,
        };
        add(store, system, tenant, b, permit).await?;
    }
    Ok(())
}

async fn add(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    b: BusinessId,
    permit: Permit,
) -> Result<(), DemoError> {
    match store.add_umkm_permit(system, tenant, b, permit).await {
        // Already recorded (a maker of two products): nothing to add.
        Ok(()) | Err(sinergi_store::StoreError::Conflict { .. }) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Through the real flow: create, photograph, submit, and curate when the checklist passes
/// (else it waits in the officer's queue, as it would).
async fn publish(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    b: BusinessId,
    p: &DemoProduct,
    producer: &str,
) -> Result<(ProductId, bool), DemoError> {
    let id = store.create_catalogue_product(system, tenant, b, input(p, producer)).await?;
    store.add_catalogue_photo(system, tenant, id, photo(p.name, p.colour)?).await?;
    store.move_catalogue_product(system, tenant, id, ProductStatus::Submitted).await?;
    let decision = CurationInput { decision: ProductStatus::Curated, photo_ok: true, notes: String::new() };
    let curated = match store.curate_catalogue_product(system, tenant, id, decision).await {
        Ok(_) => true,
        Err(sinergi_store::StoreError::Invalid(_)) => false,
        Err(e) => return Err(e.into()),
    };
    Ok((id, curated))
}

pub async fn load(
    store: &Store,
    system: &Actor,
    tenant: &RegionCode,
    owner: &Actor,
) -> Result<CatalogueReport, DemoError> {
    let mut report = CatalogueReport::default();
    let mut curated = Vec::new();
    for (i, p) in PRODUCTS.iter().enumerate() {
        let Some((business, name, place)) = maker(store, system, tenant, p.maker).await? else { continue };
        permits(store, system, tenant, business, i, p).await?;
        let (id, ok) =
            publish(store, system, tenant, business, p, &format!("{name}, {place}, Kabupaten Serang")).await?;
        report.products += 1;
        if ok {
            report.curated += 1;
            curated.push(id);
        }
    }

    // Maesaroh's own product: submitted by her, waiting for the officer (her business has
    // no P-IRT recorded yet, so the checklist tells the officer what is missing).
    let mine = store
        .owned_umkm_businesses(owner, tenant)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| DemoError::Data("the demo owner's business".into()))?;
    let emping = DemoProduct { name: "Emping Melinjo Pedas Manis Tanara", price: 38_000, ..PRODUCTS[0] };
    let id = store
        .create_catalogue_product(
            owner,
            tenant,
            mine.business.id,
            input(&emping, "Desa Tanara, Kec. Tanara, Kabupaten Serang"),
        )
        .await?;
    store.add_catalogue_photo(owner, tenant, id, photo("emping-pedas", [200, 90, 50])?).await?;
    store.move_catalogue_product(owner, tenant, id, ProductStatus::Submitted).await?;
    report.products += 1;

    let galleries = [
        GalleryInput {
            name: "Pusat Galeri UMKM Kabupaten Serang".into(),
            address: "Kawasan Pusat Pemerintahan Kabupaten Serang, Jl. Raya Serang–Jakarta, Ciruas".into(),
            region: RegionCode::parse("36.04.09").ok(),
            point: Some((-6.1102, 106.2531)),
            opening_hours: Some("Senin–Jumat 08.00–16.00 WIB, Sabtu 08.00–12.00 WIB".into()),
            contact: Some("Diskoumperindag Kabupaten Serang".into()),
        },
        GalleryInput {
            name: "Galeri UMKM Pantai Anyer".into(),
            address: "Jl. Raya Anyer–Sirih, Anyar".into(),
            region: RegionCode::parse("36.04.30").ok(),
            point: Some((-6.0525, 105.9190)),
            opening_hours: Some("Setiap hari 09.00–18.00 WIB".into()),
            contact: None,
        },
    ];
    for (g, input) in galleries.into_iter().enumerate() {
        let gallery = store.create_catalogue_gallery(system, tenant, input).await?;
        report.galleries += 1;
        // The central gallery shows everything curated; the beach gallery the snacks.
        for (i, product) in curated.iter().enumerate() {
            if g == 0 || i % 2 == 0 {
                store.set_gallery_product(system, tenant, gallery, *product, true).await?;
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tile_is_a_png_the_file_check_accepts() {
        let png = tile([10, 20, 30], 320, 240);
        let checked = check_file("photo", "x.png", png, usize::MAX).expect("a png");
        assert_eq!(checked.file_type, sinergi_domain::files::FileType::Png);
    }
}

//! The curated catalogue on both databases: an owner's product passes the checklist only with
//! the permits its category needs; curation gates what the public reads; an owner touches only
//! their own business's products; another Pemda sees nothing; galleries show curated products
//! only; every write is audited.

use sinergi_domain::auth::Email;
use sinergi_domain::files::check_file;
use sinergi_domain::market::catalogue::{Category, CheckItem, CheckOutcome, LabelInfo, ProductInput, ProductStatus};
use sinergi_domain::umkm::{Permit, PermitKind, Phone, SourceRecord};
use sinergi_domain::{Actor, BusinessId, RegionCode, Role, Scope};
use sinergi_store::audit::{AuditFilter, RecordType};
use sinergi_store::catalogue::{CurationInput, GalleryInput, PhotoUpload, ProductFilter, SeedProduct};
use sinergi_store::tenants::NewTenant;
use sinergi_store::umkm::{Incoming, NewClaim, Origin, Provenance, SeedBusiness};
use sinergi_store::users::NewUser;
use sinergi_store::{Store, StoreError, dummy_hash, store_tests};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn kab() -> RegionCode {
    code("36.04")
}

fn actor(role: Role, c: &str) -> Actor {
    Actor { role, scope: Scope::Tenant(code(c)), label: format!("{role} {c}"), ..Actor::system("a") }
}

fn seed(name: &str, kecamatan: &str, phone: Option<&str>) -> SeedBusiness {
    SeedBusiness {
        incoming: Incoming {
            raw: vec![],
            record: SourceRecord {
                business_name: name.into(),
                kecamatan: Some(code(kecamatan)),
                phone: phone.map(|p| Phone::parse(p).expect("phone")),
                year: 2025,
                ..SourceRecord::default()
            },
            provenance: Provenance {
                source: "uji".into(),
                file_name: None,
                sheet: None,
                row: None,
                origin: Origin::Import,
            },
        },
        later_years: vec![],
    }
}

fn emping() -> ProductInput {
    ProductInput {
        name: "Emping Melinjo Tanara".into(),
        category: Category::Makanan,
        description: Some("Emping tipis dari melinjo Tanara".into()),
        price: Some(25_000),
        unit: "bungkus 250 g".into(),
        capacity_per_month: Some(400),
        packaging: Some("Plastik standing pouch".into()),
        label: LabelInfo {
            composition: Some("Melinjo, garam".into()),
            expiry: Some("6 bulan".into()),
            producer_address: Some("Desa Tanara, Kec. Tanara".into()),
        },
        claims_halal: true,
        show_contact: true,
    }
}

/// A valid 1×1 PNG.
fn png() -> Vec<u8> {
    vec![
        137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 144, 119,
        83, 222, 0, 0, 0, 12, 73, 68, 65, 84, 120, 156, 99, 56, 81, 161, 1, 0, 3, 116, 1, 105, 203, 250, 208, 215, 0,
        0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
    ]
}

fn photo() -> PhotoUpload {
    PhotoUpload { file: check_file("photo", "emping.png", png(), 1 << 20).expect("png"), thumbnail: None }
}

struct World {
    officer: Actor,
    owner: Actor,
    stranger_owner: Actor,
    tanara: BusinessId,
    other: BusinessId,
}

async fn world(store: &Store) -> World {
    for (c, name) in [("36.04", "Kabupaten Serang"), ("36.73", "Kota Serang")] {
        store.create_tenant(&Actor::system("t"), NewTenant::parse(c, name, None).expect("t")).await.expect("tenant");
    }
    let officer = actor(Role::UmkmOfficer, "36.04");
    let ids = store
        .seed_umkm_businesses(
            &officer,
            &kab(),
            vec![
                seed("Keripik Emping Tanara", "36.04.15", Some("0812 3456 7890")),
                seed("Batik Serang Lestari", "36.04.16", Some("0254 200123")),
            ],
        )
        .await
        .expect("seed");
    let admin = actor(Role::RegionAdmin, "36.04");
    let mut owners = Vec::new();
    for (email, name) in [("maesaroh@contoh.id", "Maesaroh"), ("lain@contoh.id", "Pemilik Lain")] {
        let user = store
            .create_user(
                &admin,
                NewUser {
                    tenant: Some(kab()),
                    agency_id: None,
                    partner_id: None,
                    email: Email::parse(email).expect("email"),
                    name: name.into(),
                    role: Role::UmkmOwner,
                    password_hash: dummy_hash(),
                },
            )
            .await
            .expect("owner");
        owners.push(Actor { user_id: user.id, ..actor(Role::UmkmOwner, "36.04") });
    }
    let claim = store
        .claim_umkm(&owners[0], &kab(), NewClaim { business: ids[0], nik: None, phone: None, note: None })
        .await
        .expect("claim");
    store.decide_umkm_claim(&officer, &kab(), claim, true, "").await.expect("approve");
    let stranger_owner = owners.pop().expect("owner");
    World { officer, owner: owners.pop().expect("owner"), stranger_owner, tanara: ids[0], other: ids[1] }
}

fn failing(list: &[sinergi_domain::market::catalogue::CheckResult]) -> Vec<CheckItem> {
    list.iter().filter(|c| c.outcome == CheckOutcome::Fail).map(|c| c.item).collect()
}

store_tests! {
    async fn curation_gates_the_public_catalogue(store: Store) {
        let w = world(&store).await;
        let id = store.create_catalogue_product(&w.owner, &kab(), w.tanara, emping()).await.expect("create");
        store.add_catalogue_photo(&w.owner, &kab(), id, photo()).await.expect("photo");
        assert_eq!(store.move_catalogue_product(&w.owner, &kab(), id, ProductStatus::Submitted).await.expect("submit"), ProductStatus::Submitted);
        assert!(store.public_catalogue(&kab()).await.expect("public").is_empty(), "submitted is not public");

        // No P-IRT and no halal certificate yet: the officer cannot curate, and is told why.
        let detail = store.catalogue_product(&w.officer, &kab(), id).await.expect("detail");
        assert_eq!(failing(&detail.checklist), vec![CheckItem::Photo, CheckItem::Permit, CheckItem::Halal]);
        let refused = store
            .curate_catalogue_product(&w.officer, &kab(), id, CurationInput { decision: ProductStatus::Curated, photo_ok: true, notes: String::new() })
            .await;
        assert!(matches!(refused, Err(StoreError::Invalid(ref e)) if e.field == "checklist"), "{refused:?}");
        // An owner cannot curate their own product.
        let own = store
            .curate_catalogue_product(&w.owner, &kab(), id, CurationInput { decision: ProductStatus::Curated, photo_ok: true, notes: String::new() })
            .await;
        assert!(matches!(own, Err(StoreError::Forbidden)), "{own:?}");

        // Returned with notes; the owner gets the permits; submitted again; curated.
        let no_notes = store
            .curate_catalogue_product(&w.officer, &kab(), id, CurationInput { decision: ProductStatus::Returned, photo_ok: true, notes: " ".into() })
            .await;
        assert!(matches!(no_notes, Err(StoreError::Invalid(ref e)) if e.field == "notes"));
        store
            .curate_catalogue_product(&w.officer, &kab(), id, CurationInput { decision: ProductStatus::Returned, photo_ok: true, notes: "Lengkapi P-IRT dan sertifikat halal".into() })
            .await
            .expect("return");
        for (kind, number) in [(PermitKind::Pirt, "2063604010213-29"), (PermitKind::Halal, "ID36110000123450124")] {
            let expires = (kind == PermitKind::Pirt).then_some(time::macros::date!(2029 - 12 - 31));
            store
                .add_umkm_permit(&w.owner, &kab(), w.tanara, Permit { kind, number: number.into(), issued: None, expires })
                .await
                .expect("permit");
        }
        store.move_catalogue_product(&w.owner, &kab(), id, ProductStatus::Submitted).await.expect("resubmit");
        let list = store
            .curate_catalogue_product(&w.officer, &kab(), id, CurationInput { decision: ProductStatus::Curated, photo_ok: true, notes: String::new() })
            .await
            .expect("curate");
        assert_eq!(failing(&list), vec![]);

        let public = store.public_catalogue(&kab()).await.expect("public");
        assert_eq!(public.len(), 1);
        let p = &public[0];
        assert_eq!((p.name.as_str(), p.business_name.as_str(), p.price), ("Emping Melinjo Tanara", "Keripik Emping Tanara", Some(25_000)));
        assert_eq!(p.kecamatan, Some(code("36.04.15")));
        assert_eq!(p.badges, vec![PermitKind::Pirt, PermitKind::Halal]);
        assert_eq!(p.phone.as_ref().map(Phone::national).as_deref(), Some("081234567890"), "the seller chose to show it");
        let photo_id = p.photo.expect("a photo");
        assert_eq!(store.public_catalogue_file(&kab(), photo_id).await.expect("photo").bytes, png());
        let detail = store.public_catalogue_product(&kab(), id).await.expect("public detail");
        assert_eq!(detail.label.composition.as_deref(), Some("Melinjo, garam"));
        let version = store.public_catalogue_version(&kab()).await.expect("version");
        assert!(version > 0);

        // The owner's edit of a curated product takes it off the public catalogue until an
        // officer looks again.
        let edited = ProductInput { price: Some(27_000), show_contact: false, ..emping() };
        assert_eq!(store.update_catalogue_product(&w.owner, &kab(), id, edited.clone()).await.expect("edit"), ProductStatus::Submitted);
        assert!(store.public_catalogue_version(&kab()).await.expect("version") >= version, "a write moves the version");
        assert!(store.public_catalogue(&kab()).await.expect("public").is_empty());
        assert!(matches!(store.public_catalogue_product(&kab(), id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.public_catalogue_file(&kab(), photo_id).await, Err(StoreError::NotFound)), "a hidden product's photo is hidden too");
        store
            .curate_catalogue_product(&w.officer, &kab(), id, CurationInput { decision: ProductStatus::Curated, photo_ok: true, notes: String::new() })
            .await
            .expect("curate again");
        let public = store.public_catalogue(&kab()).await.expect("public");
        assert_eq!((public[0].price, public[0].phone.is_none()), (Some(27_000), true), "no contact when not ticked");

        // Removing the only photo: a stranger cannot; the owner can, and the product goes back
        // to be judged (it now has no photo to show).
        let file = public[0].photo.expect("a photo");
        let photo_file = store.catalogue_product(&w.owner, &kab(), id).await.expect("detail").product.photos[0].file_id;
        assert!(matches!(store.remove_catalogue_photo(&w.stranger_owner, &kab(), id, photo_file).await, Err(StoreError::NotFound)));
        store.remove_catalogue_photo(&w.owner, &kab(), id, photo_file).await.expect("remove");
        let after = store.catalogue_product(&w.owner, &kab(), id).await.expect("detail");
        assert!(after.product.photos.is_empty());
        assert_eq!(after.product.status, ProductStatus::Submitted);
        assert!(store.public_catalogue(&kab()).await.expect("public").is_empty());
        assert!(matches!(store.public_catalogue_file(&kab(), file).await, Err(StoreError::NotFound)));
        assert!(matches!(store.remove_catalogue_photo(&w.owner, &kab(), id, photo_file).await, Err(StoreError::NotFound)), "gone already");

        let detail = store.catalogue_product(&w.owner, &kab(), id).await.expect("owner reads");
        // Returned, curated, curated again after the edit; refused attempts leave nothing.
        assert_eq!(detail.curations.len(), 3, "every decision is kept: {:?}", detail.curations);
        let first = &detail.curations[2];
        assert_eq!((first.decision, first.notes.as_deref()), (ProductStatus::Returned, Some("Lengkapi P-IRT dan sertifikat halal")));
        assert_eq!(failing(&first.checklist), vec![CheckItem::Permit, CheckItem::Halal], "the checklist as the officer saw it");
        assert_eq!(detail.curations[0].decision, ProductStatus::Curated);
        let audit = store
            .audit_events(&actor(Role::RegionAdmin, "36.04"), &AuditFilter { record_type: Some(RecordType::Catalogue), ..AuditFilter::default() })
            .await
            .expect("audit");
        for action in [
            "create_catalogue_product",
            "add_catalogue_photo",
            "submit_catalogue_product",
            "return_catalogue_product",
            "curate_catalogue_product",
            "update_catalogue_product",
            "remove_catalogue_photo",
        ] {
            assert!(audit.iter().any(|e| e.action == action), "{action} audited");
        }
    }

    async fn owners_touch_only_their_own_and_tenants_are_apart(store: Store) {
        let w = world(&store).await;
        // An owner cannot put a product on a business they do not hold.
        let theirs = store.create_catalogue_product(&w.owner, &kab(), w.other, emping()).await;
        assert!(matches!(theirs, Err(StoreError::NotFound)), "{theirs:?}");
        let stranger = store.create_catalogue_product(&w.stranger_owner, &kab(), w.tanara, emping()).await;
        assert!(matches!(stranger, Err(StoreError::NotFound)), "{stranger:?}");
        // The officer may, for any business.
        let batik = ProductInput { name: "Batik Motif Debus".into(), category: Category::Fesyen, ..emping() };
        let officer_made = store.create_catalogue_product(&w.officer, &kab(), w.other, batik).await.expect("officer");
        let mine = store.create_catalogue_product(&w.owner, &kab(), w.tanara, emping()).await.expect("own");

        // The owner sees and edits only their own.
        let listed = store.catalogue_products(&w.owner, &kab(), &ProductFilter::default()).await.expect("list");
        assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), vec![mine]);
        assert!(matches!(store.catalogue_product(&w.owner, &kab(), officer_made).await, Err(StoreError::NotFound)));
        assert!(matches!(
            store.update_catalogue_product(&w.owner, &kab(), officer_made, emping()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(store.add_catalogue_photo(&w.stranger_owner, &kab(), mine, photo()).await, Err(StoreError::NotFound)));
        assert!(matches!(
            store.move_catalogue_product(&w.stranger_owner, &kab(), mine, ProductStatus::Withdrawn).await,
            Err(StoreError::NotFound)
        ));
        let all = store.catalogue_products(&w.officer, &kab(), &ProductFilter::default()).await.expect("officer list");
        assert_eq!(all.len(), 2);
        let found = store
            .catalogue_products(&w.officer, &kab(), &ProductFilter { q: Some("debus batik".into()), ..ProductFilter::default() })
            .await
            .expect("search");
        assert_eq!(found.iter().map(|p| p.id).collect::<Vec<_>>(), vec![officer_made]);

        // Another Pemda's officer: not found, whatever the id.
        let foreign = actor(Role::UmkmOfficer, "36.73");
        assert!(matches!(store.catalogue_product(&foreign, &kab(), mine).await, Err(StoreError::NotFound)));
        assert!(matches!(store.catalogue_product(&foreign, &code("36.73"), mine).await, Err(StoreError::NotFound)));
        assert!(store.catalogue_products(&foreign, &code("36.73"), &ProductFilter::default()).await.expect("own list").is_empty());
        assert!(matches!(
            store.create_catalogue_product(&foreign, &code("36.73"), w.tanara, emping()).await,
            Err(StoreError::NotFound)
        ));
        // Roles without the permission are refused outright.
        assert!(matches!(
            store.create_catalogue_product(&actor(Role::Viewer, "36.04"), &kab(), w.tanara, emping()).await,
            Err(StoreError::Forbidden)
        ));
        assert!(matches!(
            store.curate_catalogue_product(&foreign, &code("36.73"), mine, CurationInput { decision: ProductStatus::Returned, photo_ok: false, notes: "x".into() }).await,
            Err(StoreError::NotFound)
        ));
        assert!(store.public_catalogue(&code("36.73")).await.expect("other public").is_empty());
        // Withdraw and bring back.
        assert_eq!(store.move_catalogue_product(&w.owner, &kab(), mine, ProductStatus::Withdrawn).await.expect("w"), ProductStatus::Withdrawn);
        assert!(matches!(store.update_catalogue_product(&w.owner, &kab(), mine, emping()).await, Err(StoreError::Invalid(_))));
        assert!(matches!(store.move_catalogue_product(&w.owner, &kab(), mine, ProductStatus::Curated).await, Err(StoreError::Invalid(_))));
        assert_eq!(store.move_catalogue_product(&w.owner, &kab(), mine, ProductStatus::Draft).await.expect("d"), ProductStatus::Draft);
    }

    async fn galleries_show_curated_products_only(store: Store) {
        let w = world(&store).await;
        let batik = ProductInput { name: "Batik Motif Debus".into(), category: Category::Fesyen, claims_halal: false, ..emping() };
        let mut ids = store
            .seed_catalogue_products(&w.officer, &kab(), vec![
                SeedProduct { business: w.tanara, input: emping(), status: ProductStatus::Curated, photo_ok: true },
                SeedProduct { business: w.other, input: batik, status: ProductStatus::Submitted, photo_ok: false },
            ])
            .await
            .expect("seed");
        let submitted = ids.pop().expect("id");
        let curated = ids.pop().expect("id");
        let input = GalleryInput {
            name: "Pusat Galeri UMKM Kabupaten Serang".into(),
            address: "Jl. Veteran No. 1, Serang".into(),
            region: Some(code("36.04.15")),
            point: Some((-6.12, 106.15)),
            opening_hours: Some("Senin–Sabtu 08.00–16.00".into()),
            contact: Some("0254 200123".into()),
        };
        let outside = GalleryInput { region: Some(code("36.73.01")), ..input.clone() };
        assert!(matches!(store.create_catalogue_gallery(&w.officer, &kab(), outside).await, Err(StoreError::Invalid(ref e)) if e.field == "region"));
        let swapped = GalleryInput { point: Some((106.15, -6.12)), ..input.clone() };
        assert!(matches!(store.create_catalogue_gallery(&w.officer, &kab(), swapped).await, Err(StoreError::Invalid(_))));
        assert!(matches!(store.create_catalogue_gallery(&w.owner, &kab(), input.clone()).await, Err(StoreError::Forbidden)));
        let gallery = store.create_catalogue_gallery(&w.officer, &kab(), input.clone()).await.expect("gallery");
        store.set_gallery_product(&w.officer, &kab(), gallery, curated, true).await.expect("show");
        let not_curated = store.set_gallery_product(&w.officer, &kab(), gallery, submitted, true).await;
        assert!(matches!(not_curated, Err(StoreError::Invalid(ref e)) if e.field == "product_id"), "{not_curated:?}");
        let public = store.public_galleries(&kab()).await.expect("galleries");
        assert_eq!(public.len(), 1);
        assert_eq!(public[0].products.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![curated]);
        assert!(store.public_galleries(&code("36.73")).await.expect("other").is_empty());
        let foreign = actor(Role::UmkmOfficer, "36.73");
        assert!(matches!(store.catalogue_gallery(&foreign, &code("36.73"), gallery).await, Err(StoreError::NotFound)));
        assert!(matches!(store.set_gallery_product(&foreign, &code("36.73"), gallery, curated, false).await, Err(StoreError::NotFound)));
        // Withdrawing a product takes it out of the gallery.
        store.move_catalogue_product(&w.officer, &kab(), curated, ProductStatus::Withdrawn).await.expect("withdraw");
        assert!(store.catalogue_gallery(&w.officer, &kab(), gallery).await.expect("g").products.is_empty());
        store.update_catalogue_gallery(&w.officer, &kab(), gallery, GalleryInput { name: "Galeri Dekranasda".into(), ..input }).await.expect("update");
        assert_eq!(store.catalogue_galleries(&w.officer, &kab()).await.expect("list")[0].input.name, "Galeri Dekranasda");
    }
}

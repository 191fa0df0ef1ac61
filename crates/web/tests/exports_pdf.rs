//! The PDF downloads: the cooperation register, the needs map and an agreement's fact sheet.
//! Each is read back with a PDF library to check what it says, not just that it is a PDF.

mod common;

use common::{Session, TestApp};
use reqwest::StatusCode;
use sinergi_domain::cooperation::agreement::AgreementKind;
use sinergi_domain::{RegionCode, Role};
use sinergi_io::pdf::testing::{ReadBack, read};
use sinergi_store::agreements::{NewAgreement, Party, parse_date};

/// GETs a PDF and reads it back, checking the answer is a PDF download named `filename`.
async fn pdf(app: &TestApp, s: &Session, path: &str, filename: &str) -> ReadBack {
    let r = app.get(Some(s), path).send().await.expect("download");
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-type"], "application/pdf", "{path}");
    let disposition = r.headers()["content-disposition"].to_str().unwrap_or_default().to_owned();
    assert!(disposition.contains(filename), "{path}: {disposition} names {filename}");
    let bytes = r.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"%PDF-"), "{path}");
    read(&bytes).expect("a readable PDF")
}

/// All the text of a PDF with line breaks as spaces: a cell's wrapped lines are drawn one after
/// the other, so its text reads whole again.
fn flat(pdf: &ReadBack) -> String {
    pdf.text().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn this_year() -> i32 {
    time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+7)).year()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_register_and_the_needs_map_download_as_pdf() {
    let app = TestApp::start().await;
    let s = app.session(Role::Viewer, "kota-tangerang-selatan").await;
    let year = this_year();
    let register =
        pdf(&app, &s, "/cooperation/agreements.pdf", &format!("register-kerja-sama-kota-tangerang-selatan-{year}.pdf"))
            .await;
    let text = flat(&register);
    assert!(text.contains("PEMERINTAH KOTA TANGERANG SELATAN"), "letterhead: {text}");
    assert!(text.contains("REGISTER KERJA SAMA") && text.contains("Dibuat pada"));
    assert!(text.contains("Penataan kabel fiber optik bersama APJATEL"));
    assert!(text.contains("Rp 2.400.000.000"), "APBD saved, formatted: {text}");
    assert!(text.contains("20 Mei 2025"), "PKS signing date in words: {text}");
    assert!(text.contains("tidak dilaporkan"), "a value nobody reported is said so, not 0");
    assert!(!text.contains("Bank Indonesia Banten"), "only this Pemda's agreements");
    assert!(register.pages[0].contains(&format!("Halaman 1 dari {}", register.pages.len())));
    assert_eq!(register.title.as_deref(), Some("REGISTER KERJA SAMA"));

    let needs =
        pdf(&app, &s, "/cooperation/needs.pdf?year=2026", "peta-kebutuhan-kota-tangerang-selatan-2026.pdf").await;
    let text = flat(&needs);
    assert!(text.contains("PETA KEBUTUHAN KERJA SAMA") && text.contains("Tahun 2026"), "{text}");
    assert!(text.contains("Penataan kabel fiber optik bersama APJATEL"));
    assert!(text.contains("/3 prioritas"), "each agency's section counts its priorities: {text}");
    assert!(!text.contains("Banten Lama"), "only this Pemda's needs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_needs_map_puts_priorities_first_like_the_xlsx() {
    let app = TestApp::start().await;
    let s = app.session(Role::RegionAdmin, "kota-serang").await;
    let tenant = RegionCode::parse("36.73").expect("code");
    let prioritised = app
        .store
        .needs(&s.user.actor(), &Default::default())
        .await
        .expect("needs")
        .into_iter()
        .find(|n| n.year == 2026 && n.priority.is_some())
        .expect("a demo priority need");
    // A need that is not a priority and whose title sorts first: only the priority rule puts
    // it after the priorities.
    app.store
        .create_need(
            &s.user.actor(),
            &tenant,
            sinergi_store::cooperation::NeedInput {
                agency_id: prioritised.agency_id,
                year: 2026,
                title: "Aaa kebutuhan tanpa prioritas".into(),
                problem: "Belum dirumuskan".into(),
                urusan_code: "2.17".into(),
                partner_kind: sinergi_domain::cooperation::needs::PartnerKind::Company,
                expected_benefit: "Belum dirumuskan".into(),
                priority: None,
                target_ids: Vec::new(),
            },
        )
        .await
        .expect("need");
    let needs = app.store.needs(&s.user.actor(), &Default::default()).await.expect("needs");
    let agencies = app.store.agencies(&s.user.actor(), None).await.expect("agencies");
    let map = pdf(&app, &s, "/cooperation/needs.pdf?year=2026", "peta-kebutuhan-kota-serang-2026.pdf").await;
    let map = flat(&map);
    // Within each agency that has both, every priority need comes before every other need.
    let mut checked = 0;
    for agency in &agencies {
        let of: Vec<_> = needs.iter().filter(|n| n.agency_id == agency.id && n.year == 2026).collect();
        let at = |title: &str| map.find(title).unwrap_or_else(|| panic!("{title} in the map"));
        let last_priority = of.iter().filter(|n| n.priority.is_some()).map(|n| at(&n.title)).max();
        let first_other = of.iter().filter(|n| n.priority.is_none()).map(|n| at(&n.title)).min();
        if let (Some(p), Some(o)) = (last_priority, first_other) {
            assert!(p < o, "{}: priorities first", agency.name);
            checked += 1;
        }
    }
    assert!(checked > 0, "an agency with priority and other needs was checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pdfs_are_refused_to_those_who_may_not_see_the_records() {
    let app = TestApp::start().await;
    let admin = app.user(Role::RegionAdmin, "kota-serang").await;
    let agreement = app.store.agreements(&admin.actor(), &Default::default()).await.expect("agreements").remove(0);
    let paths = [
        "/cooperation/agreements.pdf".to_owned(),
        "/cooperation/needs.pdf?year=2026".to_owned(),
        format!("/cooperation/agreements/{}/fact-sheet.pdf", agreement.id),
    ];
    let partner = app.session(Role::Partner, "kota-serang").await;
    for path in &paths {
        let r = app.get(Some(&partner), path).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} as a partner user");
        assert_ne!(r.headers()["content-type"], "application/pdf");
        let r = app.get(None, path).send().await.expect("request");
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path} anonymously goes to the login");
    }
    // Another Pemda that is not a party: the agreement does not exist for it.
    let other = app.session(Role::RegionAdmin, "kota-tangerang").await;
    let r = app.get(Some(&other), &paths[2]).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.get(Some(&other), "/cooperation/agreements/not-an-id/fact-sheet.pdf").send().await.expect("request");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fact_sheet_tells_the_whole_agreement_without_internal_notes() {
    let app = TestApp::start().await;
    let serang = app.user(Role::RegionAdmin, "kota-serang").await;
    let kota = RegionCode::parse("36.73").expect("code");
    let need = app
        .store
        .needs(&serang.actor(), &Default::default())
        .await
        .expect("needs")
        .into_iter()
        .find(|n| n.title.contains("Layanan uji laboratorium"))
        .expect("demo need");
    let date = |s: &str| parse_date("date", s).expect("date");
    let agreement = app
        .store
        .create_agreement(
            &serang.actor(),
            &kota,
            NewAgreement {
                kind: AgreementKind::KsddSukarela,
                title: "Uji sampel air limbah industri Cikande – Kota/Kabupaten Serang".into(),
                scope:
                    "Pengujian sampel air limbah 400 industri di Labkesda Kota Serang.\nTarif sesuai Perda retribusi."
                        .into(),
                urusan_code: "1.02".into(),
                starts_on: date("2025-12-17"),
                ends_on: date("2030-12-16"),
                value: Some(1_500_000),
                funding: Some(sinergi_domain::cooperation::funding::FundingSource::Apbd),
                funding_form: Some(sinergi_domain::cooperation::funding::FundingForm::Services),
                location_codes: vec![kota.clone()],
                agency_id: None,
                parties: vec![Party {
                    partner_id: None,
                    party_tenant: Some(RegionCode::parse("36.04").expect("code")),
                    name: "Pemerintah Kabupaten Serang".into(),
                    signatory_name: Some("Ratu Rachmatuzakiyah".into()),
                    signatory_position: Some("Bupati Serang".into()),
                    document_number: Some("000.3/17/KS/2025".into()),
                    signs_by_authority: false,
                }],
                need_ids: vec![need.id],
            },
        )
        .await
        .expect("agreement");
    app.store
        .add_agreement_note(&serang.actor(), agreement.id, "Catatan internal Kota: tarif dibahas dengan Bapenda")
        .await
        .expect("note");
    let kab = app.user(Role::RegionAdmin, "kabupaten-serang").await;
    app.store
        .add_agreement_note(&kab.actor(), agreement.id, "Catatan internal Kabupaten: minta diskon tarif")
        .await
        .expect("note");
    let path = format!("/cooperation/agreements/{}/fact-sheet.pdf", agreement.id);
    let filename = "lembar-fakta-uji-sampel-air-limbah-industri-cikande-kota-kabupaten.pdf";

    // The keeper.
    let s = app.session_for(serang).await;
    let sheet = pdf(&app, &s, &path, filename).await;
    let text = flat(&sheet);
    for expected in [
        "PEMERINTAH KOTA SERANG",
        "LEMBAR FAKTA KERJA SAMA",
        "Uji sampel air limbah industri Cikande – Kota/Kabupaten Serang",
        "KSDD sukarela",
        "Kesepakatan Bersama (KB)",
        "Persiapan",
        "Pengujian sampel air limbah 400 industri",
        "Tarif sesuai Perda retribusi.",
        "17 Desember 2025",
        "16 Desember 2030",
        "Rp 1.500.000",
        "APBD · Jasa",
        "Tidak diperlukan (sudah dianggarkan dan tidak membebani masyarakat)",
        "Pemerintah Kabupaten Serang",
        "Ratu Rachmatuzakiyah",
        "Bupati Serang",
        "000.3/17/KS/2025",
        &need.title,
        "Riwayat tahapan",
        "Kegiatan",
        "Hasil dan manfaat",
    ] {
        assert!(text.contains(expected), "the keeper's fact sheet says {expected:?}:\n{text}");
    }
    assert!(!text.contains("tidak dilaporkan"), "value and funding were reported");
    assert!(!text.contains("Catatan internal"), "no internal notes, not even the reader's own");

    // The other Pemda, a party: the shared record, its own notes and the keeper's both left out.
    let s = app.session_for(kab).await;
    let sheet = pdf(&app, &s, &path, filename).await;
    let text = flat(&sheet);
    assert!(text.contains("PEMERINTAH KABUPATEN SERANG"), "the reader's own letterhead");
    assert!(
        text.contains("kerja sama ini dicatat oleh Kota Serang dan dibagikan kepada Kabupaten Serang sebagai pihak")
    );
    assert!(text.contains("Ratu Rachmatuzakiyah"));
    assert!(text.contains("Rp 1.500.000"));
    assert!(!text.contains("Catatan internal"), "{text}");
    assert!(!text.contains(&need.title), "a party does not see the keeper's needs, as on the page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fact_sheet_speaks_english_and_says_what_was_not_reported() {
    let app = TestApp::start().await;
    let s = app.session(Role::Viewer, "kota-tangerang-selatan").await;
    let r = app.post_form(Some(&s), "/language", &[("lang", "en"), ("next", "/")]).send().await.expect("switch");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let apjatel = app
        .store
        .agreements(&s.user.actor(), &Default::default())
        .await
        .expect("agreements")
        .into_iter()
        .find(|a| a.title.contains("APJATEL"))
        .expect("demo agreement");
    let path = format!("/cooperation/agreements/{}/fact-sheet.pdf", apjatel.id);
    let sheet = pdf(&app, &s, &path, "lembar-fakta-penataan-kabel-fiber-optik-bersama-apjatel.pdf").await;
    let text = flat(&sheet);
    for expected in [
        "GOVERNMENT OF KOTA TANGERANG SELATAN",
        "COOPERATION FACT SHEET",
        "Value",
        "Partner · Services",
        "20 May 2025",
        "Penataan kabel ruas Jl. Siliwangi",
        "Rp 2.400.000.000",
        "8 km",
        "Berita acara serah terima APJATEL No. 07/2026",
        "Implementation",
        "Page 1 of",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    // The STEM KB with the university has no value reported: it says so, never "Rp 0".
    let stem = app
        .store
        .agreements(&s.user.actor(), &Default::default())
        .await
        .expect("agreements")
        .into_iter()
        .find(|a| a.title.contains("STEM"))
        .expect("demo agreement");
    let path = format!("/cooperation/agreements/{}/fact-sheet.pdf", stem.id);
    let text = flat(&pdf(&app, &s, &path, "lembar-fakta-").await);
    assert!(text.contains("Value not reported"), "{text}");
    assert!(!text.contains("Rp 0"), "an unreported value is never shown as zero");
}

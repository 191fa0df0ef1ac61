//! The UMKM import on the demo files of demo/umkm/ (see its README for what each holds) and on
//! workbooks built here.

use std::collections::HashSet;

use proptest::prelude::*;
use rust_xlsxwriter::{Format, Workbook as XlsxBook};
use sinergi_domain::RegionCode;
use sinergi_domain::umkm::{LegalForm, PermitKind, Sex};
use sinergi_io::umkm::{
    Cell, Detected, FileFormat, ImportError, Mapping, ParseContext, ParsedRow, Problem, RawSheet, SavedMapping,
    Severity, Summary, TextEncoding, UmkmField, Workbook, detect, parse_rows, read_workbook, rejected_workbook,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../demo/umkm/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn serang() -> ParseContext {
    ParseContext { tenant: RegionCode::parse("36.04").unwrap(), default_year: 2025 }
}

fn import_bytes(bytes: &[u8], name: &str) -> (Workbook, Detected, Vec<ParsedRow>) {
    let book = read_workbook(bytes, name).unwrap();
    let detected = detect(&book).unwrap();
    let rows = parse_rows(&book, &detected, &serang()).unwrap();
    (book, detected, rows)
}

fn import(name: &str) -> (Workbook, Detected, Vec<ParsedRow>) {
    import_bytes(&fixture(name), name)
}

/// The row with this Excel row number.
fn at(rows: &[ParsedRow], number: usize) -> &ParsedRow {
    rows.iter().find(|r| r.row == number).unwrap_or_else(|| panic!("no row {number}"))
}

fn codes(row: &ParsedRow) -> Vec<&'static str> {
    row.problems.iter().map(|p| p.code).collect()
}

fn rejected_rows(rows: &[ParsedRow]) -> Vec<(usize, Vec<&'static str>)> {
    rows.iter().filter(|r| r.is_rejected()).map(|r| (r.row, codes(r))).collect()
}

fn record_named<'a>(rows: &'a [ParsedRow], name: &str) -> &'a sinergi_domain::umkm::SourceRecord {
    rows.iter()
        .filter_map(|r| r.record.as_ref())
        .find(|r| r.business_name == name)
        .unwrap_or_else(|| panic!("no record {name}"))
}

#[test]
fn dinkop_register_xlsx() {
    let (book, detected, rows) = import("register-dinkop-2025.xlsx");
    assert_eq!(book.format, FileFormat::Xlsx);
    assert_eq!(book.sheets[detected.sheet].name, "Data UMKM 2025");
    // Three merged title rows and a blank row above the header on row 5.
    assert_eq!(detected.header_row, 4);
    assert_eq!(book.sheets[0].rows[0][0].text, "DATA USAHA MIKRO, KECIL DAN MENENGAH (UMKM) KABUPATEN SERANG");
    {
        use UmkmField::*;
        assert_eq!(
            detected.mapping.0,
            [
                Some(Skip),
                Some(BusinessName),
                Some(OwnerName),
                Some(Nik),
                Some(Sex),
                Some(Phone),
                Some(Address),
                Some(Desa),
                Some(Kecamatan),
                Some(Products),
                Some(Capital),
                Some(Sales),
                Some(Nib)
            ]
        );
    }
    assert!(detected.mapping.problems().is_empty());
    // The column-number row under the header and the JUMLAH footer are not data.
    assert_eq!(Summary::of(&rows), Summary { rows: 52, accepted: 47, rejected: 5, with_warnings: 4 });
    assert_eq!(rows[0].row, 7);
    assert_eq!(
        rejected_rows(&rows),
        [
            (12, vec!["invalid-nik"]),
            (19, vec!["invalid-nik"]),
            (25, vec!["required"]),
            (36, vec!["unknown-kecamatan"]),
            (40, vec!["invalid-amount"]),
        ]
    );
    assert_eq!(at(&rows, 12).problems[0].detail, Some("length"));
    assert_eq!(at(&rows, 19).problems[0].detail, Some("scientific"));
    assert_eq!(at(&rows, 25).problems[0].column, "Nama Usaha");
    let amount = &at(&rows, 40).problems[0];
    assert_eq!((amount.column.as_str(), amount.value.as_str()), ("Modal Usaha", "dua puluh juta"));

    // Warnings keep the row, with the official name suggested.
    let cikandee = at(&rows, 7);
    assert_eq!(codes(cikandee), ["kecamatan-corrected"]);
    assert_eq!(cikandee.problems[0].suggestion.as_deref(), Some("Cikande"));
    assert_eq!(cikandee.problems[0].severity, Severity::Warning);
    assert_eq!(cikandee.record.as_ref().unwrap().kecamatan.as_ref().unwrap().as_str(), "36.04.15");
    assert_eq!(codes(at(&rows, 14)), ["kecamatan-corrected"]);
    assert_eq!(codes(at(&rows, 17)), ["nik-digits-lost"]);
    assert_eq!(at(&rows, 17).record.as_ref().unwrap().nik, None);
    assert_eq!(codes(at(&rows, 33)), ["desa-corrected"]);

    // Values as typed.
    let siti = record_named(&rows, "Keripik Pisang Bu Siti");
    assert_eq!(siti.capital, Some(25_000_000), "Rp 25.000.000");
    assert_eq!(siti.sales, Some(180_000_000), "180 juta");
    assert_eq!(siti.sex, Some(Sex::Female));
    assert_eq!(siti.phone.as_ref().unwrap().national(), "081201234567");
    assert_eq!(siti.year, 2025);
    assert!(siti.desa.as_ref().unwrap().as_str().starts_with("36.04.15."));
    let konveksi = record_named(&rows, "Konveksi Jaya Kibin");
    assert_eq!(konveksi.sales, Some(1_500_000_000), "1,5 M");
    assert_eq!(record_named(&rows, "Emping Melinjo Kibin").capital, Some(15_000_000), "15 jt");
    assert_eq!(record_named(&rows, "UD Sumber Rezeki").legal_form, Some(LegalForm::Ud));
    assert_eq!(record_named(&rows, "Koperasi Wanita Mandiri Cikande").legal_form, Some(LegalForm::Cooperative));
    // A phone typed as a number, its leading zero gone.
    assert!(record_named(&rows, "Rengginang Ibu Yayah").phone.is_some());
    // Tunjungteja (written together) is Tunjung Teja, without a warning.
    assert_eq!(record_named(&rows, "Keripik Talas Mimin").kecamatan.as_ref().unwrap().as_str(), "36.04.20");
    // Every phone in the file, in any of its local forms, was read.
    assert!(rows.iter().filter_map(|r| r.record.as_ref()).all(|r| r.phone.is_some()));
    assert_eq!(detected.column_name(UmkmField::Phone), Some("No. HP/WA"));
}

#[test]
fn training_participants_csv_in_windows_1252() {
    let (book, detected, rows) = import("peserta-pelatihan-2024.csv");
    assert_eq!(book.format, FileFormat::Csv { delimiter: b';', encoding: TextEncoding::Windows1252 });
    assert_eq!(detected.header_row, 3);
    use UmkmField::*;
    assert_eq!(
        detected.mapping.0,
        [
            Some(Skip),
            Some(OwnerName),
            Some(BusinessName),
            Some(Phone),
            Some(Kecamatan),
            Some(Desa),
            Some(Products),
            Some(SalesMonthly),
            Some(Skip)
        ]
    );
    assert_eq!(Summary::of(&rows), Summary { rows: 50, accepted: 47, rejected: 3, with_warnings: 2 });
    assert_eq!(
        rejected_rows(&rows),
        [(14, vec!["invalid-phone"]), (45, vec!["unknown-kecamatan"]), (50, vec!["required"])]
    );
    assert_eq!(codes(at(&rows, 33)), ["kecamatan-corrected"]);
    assert_eq!(codes(at(&rows, 51)), ["desa-corrected"]);
    // Windows-1252 characters decoded.
    let cafe = record_named(&rows, "Café Kampung Tanara");
    assert_eq!(cafe.kecamatan.as_ref().unwrap().as_str(), "36.04.14");
    let kopi = record_named(&rows, "Kopi Tubruk Ma’ruf");
    assert_eq!(kopi.owner_name.as_deref(), Some("Ma’ruf Amin"));
    assert_eq!(kopi.products.as_deref(), Some("Kopi – bubuk"));
    // Monthly omzet is stored per year.
    let siti = record_named(&rows, "Kripik Pisang Ibu Siti");
    assert_eq!(siti.sales, Some(15_000_000 * 12));
    assert_eq!(siti.owner_name.as_deref(), Some("Bu Siti Aminah"));
    // Ten kecamatan, as the training had.
    let kecamatan: HashSet<_> = rows.iter().filter_map(|r| r.record.as_ref()?.kecamatan.clone()).collect();
    assert_eq!(kecamatan.len(), 10);
}

#[test]
fn oss_export_xls() {
    let (book, detected, rows) = import("oss-nib-export.xls");
    assert_eq!(book.format, FileFormat::Xls);
    assert_eq!(detected.header_row, 2);
    // "Nama Pelaku Usaha" is the only name column: it names the business.
    assert_eq!(detected.mapping.field(3), Some(UmkmField::BusinessName));
    assert_eq!(detected.mapping.field(1), Some(UmkmField::Nib));
    assert_eq!(detected.mapping.field(7), Some(UmkmField::Kbli));
    assert_eq!(detected.mapping.field(8), Some(UmkmField::Products));
    assert_eq!(detected.mapping.field(2), None, "Tanggal Terbit is not imported");
    assert_eq!(Summary::of(&rows), Summary { rows: 35, accepted: 33, rejected: 2, with_warnings: 1 });
    assert_eq!(rejected_rows(&rows), [(12, vec!["invalid-nib"]), (21, vec!["unknown-kbli"])]);
    // KBLI 01111 stored as a number lost its leading zero; it is put back.
    let corn = at(&rows, 9);
    assert_eq!(codes(corn), ["kbli-leading-zero"]);
    assert_eq!(corn.record.as_ref().unwrap().kbli[0].as_str(), "01111");
    // Two KBLI in one cell.
    assert!(rows.iter().filter_map(|r| r.record.as_ref()).any(|r| r.kbli.len() == 2));
    // The dates in "Tanggal Terbit" came through as dates.
    assert!(at(&rows, 4).raw[2].text.starts_with("202"), "{:?}", at(&rows, 4).raw);
    let records: Vec<_> = rows.iter().filter_map(|r| r.record.as_ref()).collect();
    assert!(records.iter().all(|r| r.nib.is_some() && r.kecamatan.is_some() && r.desa.is_some()));
}

#[test]
fn files_share_businesses_for_entity_resolution() {
    let (_, _, register) = import("register-dinkop-2025.xlsx");
    let (_, _, oss) = import("oss-nib-export.xls");
    let (_, _, training) = import("peserta-pelatihan-2024.csv");
    let nibs = |rows: &[ParsedRow]| -> HashSet<String> {
        rows.iter().filter_map(|r| r.record.as_ref()?.nib.as_ref().map(|n| n.as_str().to_owned())).collect()
    };
    assert!(nibs(&register).intersection(&nibs(&oss)).count() >= 10);
    let phones = |rows: &[ParsedRow]| -> HashSet<String> {
        rows.iter().filter_map(|r| r.record.as_ref()?.phone.as_ref().map(|p| p.e164())).collect()
    };
    assert!(phones(&register).intersection(&phones(&training)).count() >= 10);
}

#[test]
fn merged_title_xlsx_with_number_cells() {
    let mut book = XlsxBook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    sheet.merge_range(0, 0, 0, 5, "REKAP UMKM BINAAN KECAMATAN KIBIN", &bold).unwrap();
    sheet.merge_range(1, 0, 1, 5, "Tahun 2025", &bold).unwrap();
    for (c, h) in ["NAMA UMKM", "Nama Pelaku Usaha", "NIK", "Kec.", "Modal", "Omset"].iter().enumerate() {
        sheet.write_string(3, c as u16, *h).unwrap();
    }
    sheet.write_string(4, 0, "Kopi Kibin").unwrap();
    sheet.write_string(4, 1, "Ahmad Fauzi").unwrap();
    sheet.write_string(4, 2, "3604160502850001").unwrap();
    // The kecamatan merged down over both businesses, as registers group them.
    sheet.merge_range(4, 3, 5, 3, "kibin", &Format::new()).unwrap();
    sheet.write_number(4, 4, 1.125).unwrap();
    sheet.write_string(4, 5, "1.125").unwrap();
    sheet.write_string(5, 0, "Emping Bu Ani").unwrap();
    sheet.write_number(5, 4, 25_000_000.0).unwrap();
    sheet.write_string(5, 5, "25 jt").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    // The extension lies; the bytes tell.
    let (book, detected, rows) = import_bytes(&bytes, "rekap.xls");
    assert_eq!(book.format, FileFormat::Xlsx);
    assert_eq!(book.sheets[0].rows[0][0].text, "REKAP UMKM BINAAN KECAMATAN KIBIN");
    assert_eq!(detected.header_row, 3);
    // "Nama Pelaku Usaha" next to a business name is the owner.
    assert_eq!(detected.mapping.field(1), Some(UmkmField::OwnerName));
    assert_eq!(rows.len(), 2);
    let kopi = rows[0].record.as_ref().unwrap();
    assert_eq!(rows[0].row, 5);
    assert_eq!(kopi.owner_name.as_deref(), Some("Ahmad Fauzi"));
    assert_eq!(kopi.capital, Some(1), "a number cell 1.125 is one rupiah, not 1.125 thousand");
    assert_eq!(kopi.sales, Some(1125), "text \"1.125\" uses the Indonesian thousands dot");
    assert_eq!(codes(&rows[0]), ["amount-too-small"]);
    let emping = rows[1].record.as_ref().unwrap();
    assert_eq!((emping.capital, emping.sales), (Some(25_000_000), Some(25_000_000)));
    assert_eq!(emping.kecamatan.as_ref().unwrap().as_str(), "36.04.16", "the merged kecamatan cell");
}

#[test]
fn header_variants_in_a_comma_csv() {
    let csv = "\u{feff}Daftar UMKM Kecamatan Cikande,,,,,,,\n\
        ,,,,,,,\n\
        No.,Nama Pemilik,Nama Pelaku Usaha,No. Telp,Kecamatan,Kel/Desa,Aset (Rp),Omzet per Tahun (Rp)\n\
        1,Hj. Maesaroh,Nugget Ikan Bu Maesaroh,+62 812-1111-2222,KEC. CIKANDE,Ds. Parigi,\"Rp 5.000.000,-\",\"2,5 jt\"\n\
        2,Ujang,Gorengan Ujang,0812 1111 3333,Cikande,Julang,750 rb,\"120.000.000\"\n";
    let (book, detected, rows) = import_bytes(csv.as_bytes(), "umkm.csv");
    assert_eq!(book.format, FileFormat::Csv { delimiter: b',', encoding: TextEncoding::Utf8 });
    assert_eq!(detected.header_row, 2);
    use UmkmField::*;
    assert_eq!(
        detected.mapping.0,
        [
            Some(Skip),
            Some(OwnerName),
            Some(BusinessName),
            Some(Phone),
            Some(Kecamatan),
            Some(Desa),
            Some(Capital),
            Some(Sales)
        ]
    );
    assert!(rows.iter().all(|r| r.problems.is_empty()), "{rows:#?}");
    let nugget = rows[0].record.as_ref().unwrap();
    assert_eq!(nugget.business_name, "Nugget Ikan Bu Maesaroh");
    assert_eq!((nugget.capital, nugget.sales), (Some(5_000_000), Some(2_500_000)));
    assert_eq!(nugget.phone.as_ref().unwrap().e164(), "+6281211112222");
    let ujang = rows[1].record.as_ref().unwrap();
    assert_eq!((ujang.capital, ujang.sales), (Some(750_000), Some(120_000_000)));
}

#[test]
fn saved_mapping_for_a_source() {
    let (_, detected, _) = import("register-dinkop-2025.xlsx");
    let saved = SavedMapping::new(&detected.headers, &detected.mapping);
    let json = saved.to_json();
    let saved = SavedMapping::from_json(&json).unwrap();
    assert!(saved.matches(&detected.headers));
    assert_eq!(saved.apply(&detected.headers), detected.mapping);
    let mapping = Mapping::from_json(&detected.mapping.to_json()).unwrap();
    assert_eq!(mapping, detected.mapping);
}

#[test]
fn an_edited_mapping_is_applied() {
    let (book, mut detected, _) = import("register-dinkop-2025.xlsx");
    // The officer leaves out the phone column and reads the NIB column as tags.
    detected.mapping.set(5, Some(UmkmField::Skip));
    detected.mapping.set(12, Some(UmkmField::Tags));
    let rows = parse_rows(&book, &detected, &serang()).unwrap();
    let siti = record_named(&rows, "Keripik Pisang Bu Siti");
    assert_eq!(siti.phone, None);
    assert_eq!(siti.nib, None);
    assert_eq!(siti.tags.len(), 1);
    assert!(parse_rows(&book, &Detected { sheet: 9, ..detected.clone() }, &serang()).is_err());
    let nowhere = ParseContext { tenant: RegionCode::parse("36.99").unwrap(), default_year: 2025 };
    assert_eq!(parse_rows(&book, &detected, &nowhere).unwrap_err(), ImportError::UnknownRegion);
}

fn label(p: &Problem) -> String {
    match &p.suggestion {
        Some(s) => format!("{}: {} ({s})", p.column, p.code),
        None => format!("{}: {}", p.column, p.code),
    }
}

#[test]
fn rejected_rows_come_back_annotated() {
    let (_, detected, rows) = import("register-dinkop-2025.xlsx");
    let rejected: Vec<&ParsedRow> = rows.iter().filter(|r| r.is_rejected()).collect();
    let bytes = rejected_workbook(&detected.headers, &rejected, "Alasan", &label).unwrap();
    let back = read_workbook(&bytes, "ditolak.xlsx").unwrap();
    let sheet = &back.sheets[0];
    assert_eq!(sheet.rows.len(), 6);
    assert_eq!(sheet.rows[0].last().unwrap().text, "Alasan");
    assert_eq!(sheet.rows[0][1].text, "Nama Usaha");
    let reasons: Vec<&str> = sheet.rows[1..].iter().map(|r| r[detected.headers.len()].text.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "NIK: invalid-nik",
            "NIK: invalid-nik",
            "Nama Usaha: required",
            "Kec.: unknown-kecamatan",
            "Modal Usaha: invalid-amount"
        ]
    );
    // Identifiers go back as text, whole.
    assert_eq!(sheet.rows[1][3].text, at(&rows, 12).raw[3].text);
    assert_eq!(sheet.rows[1][3].number, None);
    // The fixed file imports with the same mapping; the reason column is not read.
    let again = detect(&back).unwrap();
    assert_eq!(again.header_row, 0);
    assert_eq!(&again.mapping.0[..detected.headers.len()], &detected.mapping.0[..]);
    let reparsed = parse_rows(&back, &again, &serang()).unwrap();
    assert_eq!(reparsed.len(), 5);
    assert_eq!(reparsed.iter().map(codes).collect::<Vec<_>>(), rejected.iter().map(|r| codes(r)).collect::<Vec<_>>());

    // A number cell goes back as a number: the NIK whose last digit Excel lost is flagged again.
    let bytes = rejected_workbook(&detected.headers, &[at(&rows, 17)], "Alasan", &label).unwrap();
    let back = read_workbook(&bytes, "ditolak.xlsx").unwrap();
    assert!(back.sheets[0].rows[1][3].number.is_some());
    let reparsed = parse_rows(&back, &detect(&back).unwrap(), &serang()).unwrap();
    assert_eq!(codes(&reparsed[0]), ["nik-digits-lost"]);
}

#[test]
fn a_large_register_parses_quickly() {
    // 48,000 rows, as Kabupaten Serang's whole register, from the demo register's rows.
    let (_, detected, rows) = import("register-dinkop-2025.xlsx");
    let mut csv = detected.headers.join(";");
    csv.push('\n');
    for i in 0..48_000 {
        let row = &rows[i % rows.len()];
        let line: Vec<String> = row.raw.iter().map(|v| v.text.replace(';', ",")).collect();
        csv.push_str(&line.join(";"));
        csv.push('\n');
    }
    let started = std::time::Instant::now();
    let (_, _, parsed) = import_bytes(csv.as_bytes(), "besar.csv");
    let elapsed = started.elapsed();
    assert_eq!(parsed.len(), 48_000);
    let summary = Summary::of(&parsed);
    assert!(summary.rejected > 4000 && summary.accepted > 40_000, "{summary:?}");
    // Unoptimised test builds are several times slower than a release server.
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
    println!("48,000 rows read and parsed in {elapsed:?}");
}

fn arbitrary_sheet() -> impl Strategy<Value = Vec<Vec<(String, Option<f64>)>>> {
    let text = prop_oneof![
        Just(String::new()),
        Just("Nama Usaha".to_owned()),
        Just("NIK".to_owned()),
        Just("Kec.".to_owned()),
        Just("Desa".to_owned()),
        Just("Omzet".to_owned()),
        Just("No. HP/WA".to_owned()),
        Just("Nama Pelaku Usaha".to_owned()),
        Just("Cikande".to_owned()),
        Just("Rp 25.000.000".to_owned()),
        Just("1,5 M".to_owned()),
        ".{0,12}",
    ];
    let cell = (text, proptest::option::of(any::<f64>()));
    proptest::collection::vec(proptest::collection::vec(cell, 0..8), 0..12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn reading_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600), prefix in 0usize..4) {
        let magic: &[&[u8]] = &[b"", b"PK\x03\x04", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], b"\xEF\xBB\xBF"];
        let mut input = magic[prefix].to_vec();
        input.extend(bytes);
        if let Ok(book) = read_workbook(&input, "x.xlsx") {
            let _ = detect(&book);
        }
    }

    #[test]
    fn detecting_and_parsing_never_panic(grid in arbitrary_sheet()) {
        let rows = grid
            .into_iter()
            .map(|r| r.into_iter().map(|(text, number)| match number {
                Some(n) => Cell::number(n),
                None => Cell::text(text),
            }).collect())
            .collect();
        let book = Workbook { format: FileFormat::Xlsx, sheets: vec![RawSheet { name: "S".into(), rows, hidden: false }] };
        if let Ok(detected) = detect(&book) {
            let parsed = parse_rows(&book, &detected, &serang()).unwrap();
            for row in &parsed {
                prop_assert_eq!(row.is_rejected(), row.problems.iter().any(|p| p.severity == Severity::Error));
            }
            let refs: Vec<&ParsedRow> = parsed.iter().collect();
            prop_assert!(rejected_workbook(&detected.headers, &refs, "Alasan", &label).is_ok());
        }
    }
}

#[test]
fn permits_and_sex_from_a_register() {
    let csv = "Nama Usaha;Jenis Kelamin;NIK;No. P-IRT;Sertifikat Halal;BPOM MD\n\
        Keripik Bu Siti;Perempuan;3604154506850003;2063604010213-26;ID36110000123450922;-\n\
        Dodol Pak Dedi;L;3604154506850003;;Ada;MD 123456789012\n";
    let (_, _, rows) = import_bytes(csv.as_bytes(), "izin.csv");
    let siti = rows[0].record.as_ref().unwrap();
    assert_eq!(siti.sex, Some(Sex::Female));
    assert_eq!(siti.permits.iter().map(|p| p.kind).collect::<Vec<_>>(), [PermitKind::Pirt, PermitKind::Halal]);
    assert_eq!(siti.permits[1].number, "ID36110000123450922");
    // The same NIK twice in a file is no error: entity resolution decides.
    let dedi = rows[1].record.as_ref().unwrap();
    assert_eq!(dedi.nik, siti.nik);
    assert_eq!(codes(&rows[1]), ["sex-nik-mismatch"]);
    assert_eq!(dedi.permits.iter().map(|p| p.kind).collect::<Vec<_>>(), [PermitKind::Halal, PermitKind::BpomMd]);
    assert_eq!(dedi.permits[0].number, "");
}

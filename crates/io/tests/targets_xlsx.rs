//! Real XLSX files, written the way agencies write them, read back.

use rust_xlsxwriter::Workbook;
use sinergi_io::SheetError;
use sinergi_io::targets::read_targets;

fn workbook(rows: &[&[&str]], numbers: &[(u32, u16, f64)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r as u32, c as u16, *text).expect("write");
            }
        }
    }
    for (r, c, v) in numbers {
        sheet.write_number(*r, *c, *v).expect("write number");
    }
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn reads_a_sheet_with_a_title_and_mixed_cells() {
    let bytes = workbook(
        &[
            &["CAPAIAN KINERJA DINAS LINGKUNGAN HIDUP KOTA SERANG"],
            &["Tahun Anggaran 2026"],
            &[],
            &["No", "Indikator Kinerja", "Satuan", "Target", "Realisasi"],
            &["1", "Persentase sampah terkelola", "%", "", "72,5"],
            &["2", "Bank sampah aktif", "unit", "1.250", ""],
            &[],
        ],
        &[(4, 3, 85.0)],
    );
    let rows = read_targets(&bytes, Some(2026)).expect("sheet").expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].row, rows[0].target, rows[0].realised), (5, 85.0, Some(72.5)));
    assert_eq!((rows[1].target, rows[1].realised, rows[1].year), (1250.0, None, 2026));
}

#[test]
fn every_bad_cell_is_named_by_row_and_column() {
    let bytes = workbook(
        &[
            &["Indikator", "Satuan", "Target", "Tahun"],
            &["Ruas jalan tertata", "km", "banyak", "2026"],
            &["", "orang", "10", "2026"],
            &["Lulusan STEM", "", "300", "20266"],
        ],
        &[],
    );
    let errors = read_targets(&bytes, None).expect("sheet").expect_err("errors");
    let found: Vec<(usize, &str, &str)> = errors.iter().map(|e| (e.row, e.column.as_str(), e.reason)).collect();
    assert_eq!(
        found,
        vec![
            (2, "Target", "invalid-number"),
            (3, "Indikator", "required"),
            (4, "Satuan", "required"),
            (4, "Tahun", "invalid-year"),
        ]
    );
}

#[test]
fn a_file_without_the_columns_is_refused_whole() {
    let bytes = workbook(&[&["Nama", "Alamat"], &["Siti", "Cikande"]], &[]);
    assert_eq!(read_targets(&bytes, Some(2026)).unwrap_err(), SheetError::NoHeader("indicator"));
    let no_year = workbook(&[&["Indikator", "Satuan", "Target"], &["A", "unit", "1"]], &[]);
    assert_eq!(read_targets(&no_year, None).unwrap_err(), SheetError::NoHeader("year"));
}

#[test]
fn numeric_cells_are_never_read_as_thousands() {
    let bytes = workbook(
        &[&["Indikator", "Satuan", "Target", "Realisasi"], &["Rasio", "kali", "", ""]],
        &[(1, 2, 1.125), (1, 3, 1250.0)],
    );
    let rows = read_targets(&bytes, Some(2026)).expect("sheet").expect("rows");
    assert_eq!((rows[0].target, rows[0].realised), (1.125, Some(1250.0)));
}

//! A certificate of completion as a PDF: the issuing Pemda, the words "certificate", the
//! business it is given to, the programme and wave, the days, and the code with the address
//! where anyone can check it. Words come translated; this module only lays them out.

use crate::pdf::{Document, Letterhead, Orientation, PageLabels};

/// Everything a certificate says, in the reader's language.
#[derive(Debug, Clone)]
pub struct CertificateText<'a> {
    /// "PEMERINTAH KABUPATEN SERANG".
    pub issuer: &'a str,
    /// "SERTIFIKAT".
    pub title: &'a str,
    /// "diberikan kepada".
    pub given_to: &'a str,
    pub recipient: &'a str,
    /// "atas keikutsertaan dalam".
    pub for_taking_part: &'a str,
    /// "Pelatihan Manajerial bagi Usaha Mikro, Gelombang 6".
    pub programme: &'a str,
    /// "20–21 Oktober 2025, Swiss-Belinn Modern Cikande".
    pub when_where: &'a str,
    /// Label–value lines: sessions attended, issued on...
    pub facts: &'a [(String, String)],
    /// "Periksa keaslian di https://.../sertifikat dengan kode K7QM-2XHD-9PWA".
    pub verify: &'a str,
    /// "Dibuat pada 24 November 2026 10.15 WIB".
    pub generated: &'a str,
    pub generated_unix: i64,
    pub labels: PageLabels<'a>,
}

pub fn certificate_pdf(c: &CertificateText<'_>) -> Vec<u8> {
    let mut doc = Document::new(Orientation::Landscape, c.labels);
    doc.letterhead(&Letterhead {
        issuer: c.issuer,
        title: c.title,
        subtitle: None,
        generated: c.generated,
        generated_unix: c.generated_unix,
    });
    doc.centred_text(c.given_to, 11.0, false);
    doc.centred_text(c.recipient, 24.0, true);
    doc.centred_text(c.for_taking_part, 11.0, false);
    doc.centred_text(c.programme, 15.0, true);
    doc.centred_text(c.when_where, 11.0, false);
    doc.key_values(c.facts);
    doc.centred_text(c.verify, 9.0, false);
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_says_who_what_and_how_to_check() {
        let facts = vec![("Sesi dihadiri".to_owned(), "2 dari 2".to_owned())];
        let bytes = certificate_pdf(&CertificateText {
            issuer: "PEMERINTAH KABUPATEN SERANG",
            title: "SERTIFIKAT",
            given_to: "diberikan kepada",
            recipient: "Keripik Emping Tanara",
            for_taking_part: "atas keikutsertaan dalam",
            programme: "Pelatihan Manajerial bagi Usaha Mikro, Gelombang 6",
            when_where: "20–21 Oktober 2025, Swiss-Belinn Modern Cikande",
            facts: &facts,
            verify: "Periksa keaslian di http://localhost/sertifikat dengan kode K7QM-2XHD-9PWA",
            generated: "Dibuat pada 24 November 2026",
            generated_unix: 1_795_000_000,
            labels: PageLabels { page: "Halaman", of: "dari" },
        });
        let text = crate::pdf::testing::read(&bytes).expect("pdf").text();
        for want in ["SERTIFIKAT", "Keripik Emping Tanara", "Gelombang 6", "K7QM-2XHD-9PWA", "2 dari 2"] {
            assert!(text.contains(want), "{want} in {text}");
        }
    }
}

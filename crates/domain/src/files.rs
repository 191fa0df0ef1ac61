//! Uploaded files: what is accepted, judged by the bytes themselves.
//!
//! A file's name and the browser's declared type are whatever the sender says; a scanned KB
//! renamed `.pdf` that is really an executable must not be served back to the next officer as
//! a PDF. So the type is read from the content's signature (magic number), and only the few
//! types an official archive needs are kept.

use serde::Serialize;

use crate::auth::FieldError;

/// The largest file kept: a multi-page scan at 200 dpi fits; a video does not.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of file Sinergi keeps, as detected from their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
    /// Spreadsheets, kept only as the source of an import (see [`check_spreadsheet`]).
    Xlsx,
    Xls,
    Csv,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Xls => "application/vnd.ms-excel",
            FileType::Csv => "text/csv",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Xlsx => "xlsx",
            FileType::Xls => "xls",
            FileType::Csv => "csv",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileType::Jpeg | FileType::Png)
    }

    /// Back from the stored MIME type.
    pub fn from_mime(mime: &str) -> Option<FileType> {
        [FileType::Pdf, FileType::Jpeg, FileType::Png, FileType::Xlsx, FileType::Xls, FileType::Csv]
            .into_iter()
            .find(|t| t.mime() == mime)
    }
}

/// A file whose size and type were checked; its name made safe to show and to send back in a
/// `Content-Disposition` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub name: String,
    pub file_type: FileType,
    pub bytes: Vec<u8>,
}

/// Check an uploaded file for `field`: not empty, at most `max` bytes, and a PDF, JPEG or PNG
/// by its content whatever its name says.
pub fn check_file(field: &'static str, name: &str, bytes: Vec<u8>, max: usize) -> Result<CheckedFile, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new(field, "file-empty"));
    }
    if bytes.len() > max {
        return Err(FieldError::new(field, "file-too-large"));
    }
    let file_type = match infer::get(&bytes).map(|t| t.mime_type()) {
        Some("application/pdf") => FileType::Pdf,
        Some("image/jpeg") => FileType::Jpeg,
        Some("image/png") => FileType::Png,
        _ => return Err(FieldError::new(field, "file-type-not-allowed")),
    };
    Ok(CheckedFile { name: safe_name(name, file_type), file_type, bytes })
}

/// Check an uploaded spreadsheet: XLSX (a zip), XLS (an OLE compound file) or text, by content.
/// Text is taken as CSV only if it has no NUL bytes in its first kilobytes (a binary is not a
/// CSV whatever its name).
pub fn check_spreadsheet(
    field: &'static str,
    name: &str,
    bytes: Vec<u8>,
    max: usize,
) -> Result<CheckedFile, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new(field, "file-empty"));
    }
    if bytes.len() > max {
        return Err(FieldError::new(field, "file-too-large"));
    }
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let file_type = if bytes.starts_with(b"PK\x03\x04") {
        FileType::Xlsx
    } else if bytes.starts_with(OLE) {
        FileType::Xls
    } else if !bytes[..bytes.len().min(8192)].contains(&0) {
        FileType::Csv
    } else {
        return Err(FieldError::new(field, "file-type-not-allowed"));
    };
    Ok(CheckedFile { name: safe_name(name, file_type), file_type, bytes })
}

/// Keep letters, digits, spaces, dots, dashes and underscores of the base name (no path, no
/// quotes, no control characters), at most 120 characters, and end it with the extension of
/// the detected type.
fn safe_name(name: &str, file_type: FileType) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let cleaned: String =
        stem.chars().filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_')).take(120).collect();
    let cleaned = cleaned.trim().trim_matches('.');
    let stem = if cleaned.is_empty() { "dokumen" } else { cleaned };
    format!("{stem}.{}", file_type.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];

    #[test]
    fn type_comes_from_content_not_name() {
        let f = check_file("file", "scan KB.png", PDF.to_vec(), MAX_FILE_BYTES).unwrap();
        assert_eq!(f.file_type, FileType::Pdf);
        assert_eq!(f.name, "scan KB.pdf");
        assert_eq!(check_file("file", "foto.pdf", PNG.to_vec(), 1000).unwrap().file_type, FileType::Png);
        assert_eq!(check_file("file", "foto", JPEG.to_vec(), 1000).unwrap().name, "foto.jpg");
    }

    #[test]
    fn refuses_other_types_empty_and_large() {
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec();
        assert_eq!(check_file("file", "kb.pdf", exe, 1000).unwrap_err().reason, "file-type-not-allowed");
        assert_eq!(
            check_file("file", "x.pdf", b"hello, plain text".to_vec(), 1000).unwrap_err().reason,
            "file-type-not-allowed"
        );
        assert_eq!(
            check_file("evidence", "kb.pdf", Vec::new(), 1000).unwrap_err(),
            FieldError::new("evidence", "file-empty")
        );
        // At the boundary: exactly `max` is kept, one byte more is refused.
        let mut at_max = PDF.to_vec();
        at_max.resize(100, b' ');
        assert!(check_file("file", "a.pdf", at_max.clone(), 100).is_ok());
        at_max.push(b' ');
        assert_eq!(check_file("file", "a.pdf", at_max, 100).unwrap_err().reason, "file-too-large");
    }

    #[test]
    fn names_are_made_safe() {
        let f = |n: &str| check_file("file", n, PDF.to_vec(), 1000).unwrap().name;
        assert_eq!(f("C:\\Users\\kb\\PKS Labkesda 2026.PDF"), "PKS Labkesda 2026.pdf");
        assert_eq!(f("../../etc/passwd"), "passwd.pdf");
        assert_eq!(f("\"evil\"\r\nX-Header: 1.pdf"), "evilX-Header 1.pdf");
        assert_eq!(f(""), "dokumen.pdf");
        assert_eq!(f("..."), "dokumen.pdf");
        assert_eq!(f(&"a".repeat(300)).len(), 124);
    }
}

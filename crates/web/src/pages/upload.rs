//! Forms that carry a file: read the whole multipart body into text fields and files, and send
//! kept files back safely.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sinergi_domain::files::FileType;

use crate::error::AppError;

/// The request body a file form may send: the largest file kept, twice over, so that a file
/// somewhat too large still reaches the size check and gets a clear message in the form
/// instead of a bare "request too large".
pub const BODY_LIMIT: usize = 2 * sinergi_domain::files::MAX_FILE_BYTES + 64 * 1024;

/// A file as the browser sent it; nothing about it is trusted yet.
pub struct SentFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Default)]
pub struct MultipartForm {
    fields: HashMap<String, String>,
    files: HashMap<String, SentFile>,
}

impl MultipartForm {
    /// Read after the record the form names was found: a body that is not a file form at all
    /// then answers like any other bad request, never before the tenant check.
    pub async fn read(multipart: Result<Multipart, MultipartRejection>) -> Result<Self, AppError> {
        let mut multipart = multipart.map_err(|e| AppError::BadRequest(e.body_text()))?;
        let bad = |e: MultipartError| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::Invalid(sinergi_domain::auth::FieldError::new("file", "file-too-large"))
            }
            _ => AppError::BadRequest(e.body_text()),
        };
        let mut form = MultipartForm::default();
        while let Some(field) = multipart.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    let bytes = field.bytes().await.map_err(bad)?;
                    // A file input left empty still sends a part with no name and no bytes.
                    if !bytes.is_empty() || !file_name.is_empty() {
                        form.files.insert(name, SentFile { name: file_name, bytes: bytes.to_vec() });
                    }
                }
                None => {
                    let text = field.text().await.map_err(bad)?;
                    form.fields.insert(name, text);
                }
            }
        }
        Ok(form)
    }

    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or_default()
    }

    pub fn checked(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }

    pub fn take_file(&mut self, name: &str) -> Option<SentFile> {
        self.files.remove(name)
    }
}

/// A kept file, sent back. Images show in the page; a PDF is downloaded rather than opened in
/// our origin, and the sandbox policy keeps any script in it from running as the user.
pub fn send_file(name: &str, file_type: FileType, bytes: Vec<u8>) -> Response {
    let disposition = if file_type.is_image() { "inline" } else { "attachment" };
    // The stored name is already limited to letters, digits and a little punctuation; the
    // plain `filename` gets an ASCII copy for old clients, `filename*` the real one.
    let ascii: String = name.chars().map(|c| if c.is_ascii() { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, file_type.mime().to_owned()),
            (header::CONTENT_DISPOSITION, format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'; img-src 'self'".to_owned()),
            (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

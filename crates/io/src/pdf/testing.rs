//! Reading a PDF back, for tests here and in the web crate (feature `testing`): the text of
//! each page and the document's title, as a reader's PDF library sees them (lopdf, not our
//! own code, so a test cannot agree with a bug in the writer).

/// What a test looks at in a PDF.
#[derive(Debug, Clone)]
pub struct ReadBack {
    /// The text of each page, in drawing order, one shown string per line.
    pub pages: Vec<String>,
    pub title: Option<String>,
}

impl ReadBack {
    /// All pages' text, for "does it say this anywhere".
    pub fn text(&self) -> String {
        self.pages.join("\n")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not a readable PDF: {0}")]
    Pdf(#[from] lopdf::Error),
}

pub fn read(bytes: &[u8]) -> Result<ReadBack, ReadError> {
    let doc = lopdf::Document::load_mem(bytes)?;
    let mut pages = Vec::new();
    for number in doc.get_pages().keys() {
        pages.push(doc.extract_text(&[*number])?);
    }
    let title = doc
        .trailer
        .get(b"Info")
        .and_then(|info| doc.dereference(info))
        .and_then(|(_, info)| info.as_dict())
        .and_then(|info| info.get(b"Title"))
        .ok()
        .and_then(|t| lopdf::decode_text_string(t).ok());
    Ok(ReadBack { pages, title })
}

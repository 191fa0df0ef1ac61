//! PDF reports: a small document builder over printpdf that lays out what Sinergi's reports
//! need and nothing more: an A4 page (portrait or landscape), a letterhead with the Pemda's
//! name, headings, paragraphs, key–value blocks and tables whose cells wrap, whose header row
//! comes back on every page and whose rows break across pages, and a "Page X of Y" footer.
//!
//! Text is set in the PDF's built-in Helvetica, so nothing is embedded and files stay small;
//! [`text`] maps whatever a user typed onto what that font can show, so no record can make a
//! report fail. Words are passed in already translated: this crate knows no language.
//!
//! ```
//! use sinergi_io::pdf::{Column, Document, Letterhead, Orientation, PageLabels};
//! let mut doc = Document::new(Orientation::Portrait, PageLabels { page: "Halaman", of: "dari" });
//! doc.letterhead(&Letterhead {
//!     issuer: "PEMERINTAH KOTA SERANG",
//!     title: "REGISTER KERJA SAMA",
//!     subtitle: Some("Tahun 2026"),
//!     generated: "Dibuat pada 17 Desember 2025 16.25 WIB",
//!     generated_unix: 1_765_963_500,
//! });
//! doc.heading("Kerja sama");
//! doc.table(&[Column::new("Judul", 3.0), Column::new("Nilai", 1.0).right()], &[], "Belum ada data.");
//! let bytes: Vec<u8> = doc.finish();
//! assert!(bytes.starts_with(b"%PDF"));
//! ```

mod metrics;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;

use printpdf::{
    BuiltinFont, Color, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point,
    Pt, Rect, Rgb, TextItem,
};

use text::{Face, ellipsize, to_win_ansi, width, wrap};

/// A4 in points (210 × 297 mm).
const A4_SHORT: f32 = 595.28;
const A4_LONG: f32 = 841.89;
const MARGIN_X: f32 = 40.0;
const MARGIN_TOP: f32 = 40.0;
/// Room below the content for the footer.
const MARGIN_BOTTOM: f32 = 52.0;

/// Body text, table text and key–value text sizes, in points.
const BODY: f32 = 9.5;
const TABLE: f32 = 8.0;
const KEY_VALUE: f32 = 9.0;
const HEADING: f32 = 11.5;
const SMALL: f32 = 7.5;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.3;
/// Inner padding of a table cell.
const PAD: f32 = 3.5;

const INK: (f32, f32, f32) = (0.10, 0.10, 0.10);
const MUTED: (f32, f32, f32) = (0.42, 0.42, 0.42);
/// Sinergi's green, for headings and rules; the header fill matches the XLSX exports.
const ACCENT: (f32, f32, f32) = (0.06, 0.37, 0.33);
const HEADER_FILL: (f32, f32, f32) = (0.906, 0.949, 0.937);
const STRIPE_FILL: (f32, f32, f32) = (0.965, 0.973, 0.973);
const GRID: (f32, f32, f32) = (0.80, 0.84, 0.83);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// The words of the footer, in the reader's language: "Halaman 2 dari 5", "Page 2 of 5".
#[derive(Debug, Clone, Copy)]
pub struct PageLabels<'a> {
    pub page: &'a str,
    pub of: &'a str,
}

/// The top of the first page.
#[derive(Debug, Clone, Copy)]
pub struct Letterhead<'a> {
    /// Who issues the document: "PEMERINTAH KOTA SERANG".
    pub issuer: &'a str,
    pub title: &'a str,
    /// A year, a period, or the agreement's document kind.
    pub subtitle: Option<&'a str>,
    /// The sentence saying when, already in the reader's language.
    pub generated: &'a str,
    /// The same moment for the file's metadata, in Unix seconds.
    pub generated_unix: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table column: its header and its share of the page width (weights are relative, so the
/// same table fits portrait and landscape).
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub header: &'a str,
    pub weight: f32,
    pub align: Align,
}

impl<'a> Column<'a> {
    pub fn new(header: &'a str, weight: f32) -> Self {
        Self { header, weight, align: Align::Left }
    }

    /// Right-aligned, for amounts and counts.
    pub fn right(self) -> Self {
        Self { align: Align::Right, ..self }
    }

    /// The weight as a usable share: negative, infinite or NaN weights count as nothing.
    fn share(&self) -> f32 {
        if self.weight.is_finite() { self.weight.max(0.0) } else { 0.0 }
    }
}

/// What the running head and footer repeat on every page.
#[derive(Debug, Clone, Default)]
struct Running {
    issuer: String,
    title: String,
    generated: String,
}

/// How one table is drawn: with or without a header row and stripes, bold first column.
struct Grid<'a> {
    columns: &'a [Column<'a>],
    size: f32,
    header: bool,
    stripes: bool,
    bold_first: bool,
}

/// A PDF being laid out top to bottom. Content goes on the current page until it would cross
/// the bottom margin, then onto a new one; [`Document::finish`] adds the footers, once the
/// number of pages is known.
pub struct Document {
    width: f32,
    height: f32,
    pages: Vec<Vec<Op>>,
    /// Distance of the next content from the top of the page, in points.
    y: f32,
    running: Running,
    page_word: String,
    of_word: String,
    generated_unix: Option<i64>,
    table_size: f32,
}

impl Document {
    pub fn new(orientation: Orientation, labels: PageLabels<'_>) -> Self {
        let (width, height) = match orientation {
            Orientation::Portrait => (A4_SHORT, A4_LONG),
            Orientation::Landscape => (A4_LONG, A4_SHORT),
        };
        Self {
            width,
            height,
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
            running: Running::default(),
            page_word: labels.page.to_owned(),
            of_word: labels.of.to_owned(),
            generated_unix: None,
            table_size: TABLE,
        }
    }

    /// Table text at `size` points instead of 8, for registers with many columns (6 to 12).
    pub fn with_table_size(mut self, size: f32) -> Self {
        self.table_size = if size.is_finite() { size.clamp(6.0, 12.0) } else { TABLE };
        self
    }

    fn content_width(&self) -> f32 {
        self.width - 2.0 * MARGIN_X
    }

    fn bottom(&self) -> f32 {
        self.height - MARGIN_BOTTOM
    }

    fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    /// Starts a new page unless `height` points still fit on this one.
    fn ensure(&mut self, height: f32) {
        if height > self.room() && self.y > MARGIN_TOP {
            self.new_page();
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// The letterhead, centred like an official letter's: issuer, a double rule, the title,
    /// the subtitle and when the document was made.
    pub fn letterhead(&mut self, head: &Letterhead<'_>) {
        self.running = Running {
            issuer: head.issuer.to_owned(),
            title: head.title.to_owned(),
            generated: head.generated.to_owned(),
        };
        self.generated_unix = Some(head.generated_unix);
        let max = self.content_width();
        for line in wrap(head.issuer, Face::Bold, 15.0, max) {
            self.centred(&line, Face::Bold, 15.0, INK);
            self.y += 15.0 * 1.2;
        }
        self.y += 3.0;
        let (left, right) = (MARGIN_X, self.width - MARGIN_X);
        let y = self.y;
        self.rule(left, right, y, 1.6, ACCENT);
        self.rule(left, right, y + 2.6, 0.5, ACCENT);
        self.y += 16.0;
        for line in wrap(head.title, Face::Bold, 13.0, max) {
            self.centred(&line, Face::Bold, 13.0, INK);
            self.y += 13.0 * 1.25;
        }
        if let Some(subtitle) = head.subtitle.filter(|s| !s.trim().is_empty()) {
            for line in wrap(subtitle, Face::Regular, 10.5, max) {
                self.centred(&line, Face::Regular, 10.5, INK);
                self.y += 10.5 * 1.3;
            }
        }
        self.y += 2.0;
        for line in wrap(head.generated, Face::Regular, SMALL, max) {
            self.centred(&line, Face::Regular, SMALL, MUTED);
            self.y += SMALL * LEADING;
        }
        self.y += 12.0;
    }

    /// A section heading; never left alone at the bottom of a page.
    pub fn heading(&mut self, title: &str) {
        let lines = wrap(title, Face::Bold, HEADING, self.content_width());
        let height = lines.len() as f32 * HEADING * 1.25 + 8.0;
        // The heading and about three lines of what follows, or a new page.
        self.ensure(height + 4.0 * TABLE * LEADING + 2.0 * PAD);
        self.y += 6.0;
        for line in lines {
            let baseline = self.y + HEADING;
            self.text(MARGIN_X, baseline, &line, Face::Bold, HEADING, ACCENT);
            self.y += HEADING * 1.25;
        }
        self.y += 5.0;
    }

    /// Centred display text (a certificate's recipient, its title), wrapped to the page width.
    pub fn centred_text(&mut self, body: &str, size: f32, bold: bool) {
        let size = if size.is_finite() { size.clamp(6.0, 36.0) } else { BODY };
        let face = if bold { Face::Bold } else { Face::Regular };
        for line in wrap(body, face, size, self.content_width()) {
            self.ensure(size * LEADING);
            self.centred(&line, face, size, INK);
            self.y += size * LEADING;
        }
        self.y += size * 0.6;
    }

    /// Running text, wrapped to the page width and broken across pages by line.
    pub fn paragraph(&mut self, body: &str) {
        let lh = BODY * LEADING;
        for line in wrap(body, Face::Regular, BODY, self.content_width()) {
            self.ensure(lh);
            let baseline = self.y + baseline_offset(BODY);
            self.text(MARGIN_X, baseline, &line, Face::Regular, BODY, INK);
            self.y += lh;
        }
        self.y += 6.0;
    }

    /// Label–value pairs, labels in bold on the left; long values wrap and break across pages.
    pub fn key_values(&mut self, pairs: &[(String, String)]) {
        if pairs.is_empty() {
            return;
        }
        let columns = [Column::new("", 1.25), Column::new("", 2.75)];
        let rows: Vec<Vec<String>> = pairs.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
        let grid = Grid { columns: &columns, size: KEY_VALUE, header: false, stripes: false, bold_first: true };
        self.grid(&grid, &rows, "");
        self.y += 8.0;
    }

    /// A table: header row on every page it spans, cells wrapped to their column, striped
    /// rows; `empty` is shown in place of the rows when there are none.
    pub fn table(&mut self, columns: &[Column<'_>], rows: &[Vec<String>], empty: &str) {
        let grid = Grid { columns, size: self.table_size, header: true, stripes: true, bold_first: false };
        self.grid(&grid, rows, empty);
        self.y += 8.0;
    }

    fn grid(&mut self, grid: &Grid<'_>, rows: &[Vec<String>], empty: &str) {
        let weights: Vec<f32> = grid.columns.iter().map(Column::share).collect();
        if weights.iter().sum::<f32>() <= 0.0 {
            return;
        }
        let full = self.content_width();
        let size = grid.size;
        // The longest word of each column, header and cells: a column narrower than that cuts
        // words in the middle ("penandatan-ganan"), so it gets at least that much.
        let longest: Vec<f32> = grid
            .columns
            .iter()
            .enumerate()
            .map(|(c, column)| {
                let face = if grid.bold_first && c == 0 { Face::Bold } else { Face::Regular };
                let header = if grid.header { longest_word(column.header, Face::Bold, size) } else { 0.0 };
                let cells = rows.iter().filter_map(|r| r.get(c)).map(|t| longest_word(t, face, size));
                cells.fold(header, f32::max) + 2.0 * PAD
            })
            .collect();
        let widths = fit_widths(&weights, &longest, full);
        let lefts: Vec<f32> = widths
            .iter()
            .scan(MARGIN_X, |x, w| {
                let left = *x;
                *x += w;
                Some(left)
            })
            .collect();
        let lh = size * LEADING;
        let cell = |text: &str, face: Face, w: f32| wrap(text, face, size, (w - 2.0 * PAD).max(1.0));
        let header: Option<Vec<Vec<String>>> = grid
            .header
            .then(|| grid.columns.iter().zip(&widths).map(|(c, w)| cell(c.header, Face::Bold, *w)).collect());
        let header_height = header.as_ref().map_or(0.0, |h| row_height(h, lh));
        let layout = Layout { lefts: &lefts, widths: &widths, grid, lh };

        if rows.is_empty() {
            let lines = wrap(empty, Face::Regular, size, full - 2.0 * PAD);
            let h = lines.len() as f32 * lh + 2.0 * PAD;
            self.ensure(header_height + h);
            if let Some(header) = &header {
                self.draw_header(&layout, header);
            }
            for (i, line) in lines.iter().enumerate() {
                let baseline = self.y + PAD + i as f32 * lh + baseline_offset(size);
                self.text(MARGIN_X + PAD, baseline, line, Face::Regular, size, MUTED);
            }
            self.y += h;
            let y = self.y;
            self.rule(MARGIN_X, MARGIN_X + full, y, 0.4, GRID);
            return;
        }

        let mut header_drawn = false;
        for (index, row) in rows.iter().enumerate() {
            let cells: Vec<Vec<String>> = widths
                .iter()
                .enumerate()
                .map(|(c, w)| {
                    let face = if grid.bold_first && c == 0 { Face::Bold } else { Face::Regular };
                    cell(row.get(c).map(String::as_str).unwrap_or(""), face, *w)
                })
                .collect();
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = lines as f32 * lh + 2.0 * PAD;
            let page_room = self.bottom() - MARGIN_TOP - header_height;
            // Keep a row whole when it can be: move it to a new page if it does not fit here
            // but would on a fresh one. Only a row taller than a page is split.
            if !header_drawn || (height > self.room() && height <= page_room) {
                self.ensure(header_height + height.min(page_room));
                if let Some(header) = &header {
                    self.draw_header(&layout, header);
                }
                header_drawn = true;
            }
            let mut from = 0;
            while from < lines {
                let fit = ((self.room() - 2.0 * PAD) / lh).floor().max(0.0) as usize;
                // At the top of a page one line always goes, however little room a huge
                // header left: a page per line beats looping for ever.
                let at_top = self.y <= MARGIN_TOP + header_height + 0.01;
                let fit = if fit == 0 && at_top { 1 } else { fit };
                if fit == 0 {
                    self.new_page();
                    if let Some(header) = &header {
                        self.draw_header(&layout, header);
                    }
                    continue;
                }
                let to = (from + fit).min(lines);
                self.draw_row(&layout, &cells, from..to, index % 2 == 1);
                from = to;
                if from < lines {
                    self.new_page();
                    if let Some(header) = &header {
                        self.draw_header(&layout, header);
                    }
                }
            }
        }
    }

    fn draw_header(&mut self, layout: &Layout<'_>, header: &[Vec<String>]) {
        let h = row_height(header, layout.lh);
        let full = self.content_width();
        let y = self.y;
        self.fill(MARGIN_X, y, full, h, HEADER_FILL);
        self.draw_cells(layout, header, 0..usize::MAX, Face::Bold, INK);
        self.y += h;
        let y = self.y;
        self.rule(MARGIN_X, MARGIN_X + full, y, 0.8, ACCENT);
    }

    fn draw_row(&mut self, layout: &Layout<'_>, cells: &[Vec<String>], lines: std::ops::Range<usize>, stripe: bool) {
        let h = (lines.end - lines.start) as f32 * layout.lh + 2.0 * PAD;
        let full = self.content_width();
        let y = self.y;
        if stripe && layout.grid.stripes {
            self.fill(MARGIN_X, y, full, h, STRIPE_FILL);
        }
        self.draw_cells(layout, cells, lines, Face::Regular, INK);
        self.y += h;
        let y = self.y;
        self.rule(MARGIN_X, MARGIN_X + full, y, 0.4, GRID);
    }

    /// The lines `lines` of each cell, from the current top.
    fn draw_cells(
        &mut self,
        layout: &Layout<'_>,
        cells: &[Vec<String>],
        lines: std::ops::Range<usize>,
        face: Face,
        color: (f32, f32, f32),
    ) {
        let size = layout.grid.size;
        let top = self.y + PAD;
        for (c, cell) in cells.iter().enumerate() {
            let (Some(left), Some(w), Some(column)) =
                (layout.lefts.get(c), layout.widths.get(c), layout.grid.columns.get(c))
            else {
                continue;
            };
            let face = if layout.grid.bold_first && c == 0 { Face::Bold } else { face };
            let shown = cell.iter().skip(lines.start).take(lines.end.saturating_sub(lines.start));
            for (i, line) in shown.enumerate() {
                let x = match column.align {
                    Align::Left => left + PAD,
                    Align::Right => left + w - PAD - width(line, face, size),
                };
                let baseline = top + i as f32 * layout.lh + baseline_offset(size);
                self.text(x, baseline, line, face, size, color);
            }
        }
    }

    /// The finished file: footers ("Halaman 2 dari 5") and, from page 2 on, a running head
    /// naming the issuer and the title.
    pub fn finish(mut self) -> Vec<u8> {
        let count = self.pages.len();
        let (width, height) = (self.width, self.height);
        let pages = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(count);
        for (i, mut ops) in pages.into_iter().enumerate() {
            self.page_furniture(&mut ops, i + 1, count);
            out.push(PdfPage::new(Mm::from(Pt(width)), Mm::from(Pt(height)), ops));
        }
        let mut doc = PdfDocument::new(&self.running.title);
        doc.metadata.info.author = self.running.issuer.clone();
        doc.metadata.info.creator = "Sinergi".to_owned();
        doc.metadata.info.producer = "Sinergi (printpdf)".to_owned();
        if let Some(when) = self.generated_unix.and_then(|t| printpdf::OffsetDateTime::from_unix_timestamp(t).ok()) {
            doc.metadata.info.creation_date = when;
            doc.metadata.info.modification_date = when;
            doc.metadata.info.metadata_date = when;
        }
        let mut warnings = Vec::new();
        doc.with_pages(out).save(&PdfSaveOptions::default(), &mut warnings)
    }

    fn page_furniture(&self, ops: &mut Vec<Op>, page: usize, count: usize) {
        let left = MARGIN_X;
        let right = self.width - MARGIN_X;
        let full = self.content_width();
        let mut add = |doc_ops: Vec<Op>| ops.extend(doc_ops);
        if page > 1 && !self.running.title.is_empty() {
            let head = format!("{} — {}", self.running.issuer, self.running.title);
            let head = ellipsize(&head, Face::Regular, SMALL, full);
            add(text_ops(left, self.height - 26.0, &head, Face::Regular, SMALL, MUTED));
            add(rule_ops(left, right, self.height - 30.0, 0.4, GRID));
        }
        // The footer's baseline, from the bottom edge.
        let footer_y = 26.0;
        add(rule_ops(left, right, footer_y + 10.0, 0.4, GRID));
        let number = to_win_ansi(&format!("{} {page} {} {count}", self.page_word, self.of_word));
        let number_width = width(&number, Face::Regular, SMALL);
        add(text_ops(right - number_width, footer_y, &number, Face::Regular, SMALL, MUTED));
        if !self.running.generated.is_empty() {
            let note = ellipsize(&self.running.generated, Face::Regular, SMALL, full - number_width - 20.0);
            add(text_ops(left, footer_y, &note, Face::Regular, SMALL, MUTED));
        }
    }

    // Drawing, in top-down coordinates (PDF's origin is the bottom-left corner).

    fn text(&mut self, x: f32, baseline_from_top: f32, line: &str, face: Face, size: f32, color: (f32, f32, f32)) {
        let y = self.height - baseline_from_top;
        let ops = text_ops(x, y, line, face, size, color);
        self.ops().extend(ops);
    }

    fn centred(&mut self, line: &str, face: Face, size: f32, color: (f32, f32, f32)) {
        let line = to_win_ansi(line);
        let x = (self.width - width(&line, face, size)) / 2.0;
        let baseline = self.y + size;
        self.text(x.max(MARGIN_X), baseline, &line, face, size, color);
    }

    fn rule(&mut self, x1: f32, x2: f32, y_from_top: f32, thickness: f32, color: (f32, f32, f32)) {
        let y = self.height - y_from_top;
        let ops = rule_ops(x1, x2, y, thickness, color);
        self.ops().extend(ops);
    }

    fn fill(&mut self, x: f32, y_from_top: f32, w: f32, h: f32, color: (f32, f32, f32)) {
        let rect = Rect {
            x: Pt(x),
            y: Pt(self.height - y_from_top - h),
            width: Pt(w),
            height: Pt(h),
            mode: Some(PaintMode::Fill),
            winding_order: None,
        };
        let ops = [
            Op::SaveGraphicsState,
            Op::SetFillColor { col: rgb(color) },
            Op::DrawRectangle { rectangle: rect },
            Op::RestoreGraphicsState,
        ];
        self.ops().extend(ops);
    }
}

/// Where one table's columns are.
struct Layout<'a> {
    lefts: &'a [f32],
    widths: &'a [f32],
    grid: &'a Grid<'a>,
    lh: f32,
}

/// Column widths in proportion to `weights`, summing to `full`, except that no column is
/// narrower than its `minimum` while the others can give way. A minimum is capped at a third of
/// the page, so one long URL cannot squeeze every other column; when even the capped minimums do
/// not fit, the weights alone decide and long words are cut.
fn fit_widths(weights: &[f32], minimum: &[f32], full: f32) -> Vec<f32> {
    let total: f32 = weights.iter().sum();
    let proportional: Vec<f32> = weights.iter().map(|w| w / total * full).collect();
    let minimum: Vec<f32> = minimum.iter().map(|m| m.min(full / 3.0)).collect();
    if minimum.iter().sum::<f32>() > full {
        return proportional;
    }
    let mut fixed: Vec<Option<f32>> = vec![None; weights.len()];
    // Each round fixes at least one more column at its minimum, or stops.
    for _ in 0..weights.len() {
        let taken: f32 = fixed.iter().flatten().sum();
        let free_weight: f32 = weights.iter().zip(&fixed).filter(|(_, f)| f.is_none()).map(|(w, _)| w).sum();
        let mut changed = false;
        for (i, w) in weights.iter().enumerate() {
            if fixed[i].is_some() {
                continue;
            }
            let share = if free_weight > 0.0 { w / free_weight * (full - taken) } else { 0.0 };
            if share < minimum[i] {
                fixed[i] = Some(minimum[i]);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let taken: f32 = fixed.iter().flatten().sum();
    let free_weight: f32 = weights.iter().zip(&fixed).filter(|(_, f)| f.is_none()).map(|(w, _)| w).sum();
    weights
        .iter()
        .zip(&fixed)
        .map(|(w, f)| f.unwrap_or(if free_weight > 0.0 { w / free_weight * (full - taken) } else { 0.0 }))
        .collect()
}

/// The width of the widest word of `text`.
fn longest_word(text: &str, face: Face, size: f32) -> f32 {
    to_win_ansi(&text.replace('\n', " ")).split(' ').map(|w| width(w, face, size)).fold(0.0, f32::max)
}

fn row_height(cells: &[Vec<String>], lh: f32) -> f32 {
    cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * PAD
}

/// From the top of a line box to its baseline: capitals sit centred in the box.
fn baseline_offset(size: f32) -> f32 {
    size * LEADING / 2.0 + size * 0.35
}

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

fn font(face: Face) -> PdfFontHandle {
    PdfFontHandle::Builtin(match face {
        Face::Regular => BuiltinFont::Helvetica,
        Face::Bold => BuiltinFont::HelveticaBold,
    })
}

/// One line of text at `(x, y)` (PDF coordinates, y up). The text is mapped to WinAnsi here
/// too, so no caller can hand the font a character it lacks.
fn text_ops(x: f32, y: f32, line: &str, face: Face, size: f32, color: (f32, f32, f32)) -> Vec<Op> {
    vec![
        Op::StartTextSection,
        Op::SetFillColor { col: rgb(color) },
        Op::SetFont { font: font(face), size: Pt(size) },
        Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(y) } },
        Op::ShowText { items: vec![TextItem::Text(to_win_ansi(line))] },
        Op::EndTextSection,
    ]
}

fn rule_ops(x1: f32, x2: f32, y: f32, thickness: f32, color: (f32, f32, f32)) -> Vec<Op> {
    let point = |x: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
    vec![
        Op::SaveGraphicsState,
        Op::SetOutlineColor { col: rgb(color) },
        Op::SetOutlineThickness { pt: Pt(thickness) },
        Op::DrawLine { line: Line { points: vec![point(x1), point(x2)], is_closed: false } },
        Op::RestoreGraphicsState,
    ]
}

// Issue 7: the Labkesda — the QR code on a laboratory certificate.
impl Document {
    /// A square matrix of dark modules (a QR code), `side` points wide, centred below what
    /// came before. `dark` holds `modules × modules` cells row by row; a matrix of another
    /// size draws nothing.
    pub fn square_matrix(&mut self, dark: &[bool], modules: usize, side: f32) {
        if modules == 0 || dark.len() != modules * modules || !side.is_finite() {
            return;
        }
        let side = side.clamp(24.0, 300.0);
        self.ensure(side + 8.0);
        let cell = side / modules as f32;
        let left = (self.width - side) / 2.0;
        let top = self.y;
        for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
            let (row, col) = (i / modules, i % modules);
            // A hair of overlap so that adjacent modules print without white seams.
            self.fill(left + col as f32 * cell, top + row as f32 * cell, cell + 0.05, cell + 0.05, INK);
        }
        self.y += side + 8.0;
    }
}

#[cfg(test)]
mod tests {
    use super::testing::read;
    use super::*;

    const LABELS: PageLabels<'static> = PageLabels { page: "Halaman", of: "dari" };

    fn head(doc: &mut Document, title: &str) {
        doc.letterhead(&Letterhead {
            issuer: "PEMERINTAH KOTA TANGERANG SELATAN",
            title,
            subtitle: Some("Tahun 2026"),
            generated: "Dibuat pada 17 Desember 2025 16.25 WIB",
            generated_unix: 1_765_963_500,
        });
    }

    fn media_box(bytes: &[u8]) -> Vec<f32> {
        let doc = lopdf::Document::load_mem(bytes).expect("pdf");
        let (_, id) = doc.get_pages().into_iter().next().expect("a page");
        let page = doc.get_dictionary(id).expect("page dict");
        let mb = page.get(b"MediaBox").and_then(lopdf::Object::as_array).expect("media box");
        mb.iter().map(|o| o.as_float().expect("number")).collect()
    }

    #[test]
    fn a_long_table_spans_pages_with_its_header_on_each() {
        let mut doc = Document::new(Orientation::Landscape, LABELS);
        head(&mut doc, "REGISTER KERJA SAMA");
        doc.heading("Daftar kerja sama");
        let columns =
            [Column::new("Judul kerja sama", 4.0), Column::new("Tahap", 1.5), Column::new("Nilai", 1.5).right()];
        let rows: Vec<Vec<String>> = (1..=150)
            .map(|i| {
                vec![
                    format!("Kerja sama nomor {i} tentang penataan kabel"),
                    "Pelaksanaan".into(),
                    format!("Rp {i}.000.000"),
                ]
            })
            .collect();
        doc.table(&columns, &rows, "Belum ada data.");
        let bytes = doc.finish();
        let read = read(&bytes).expect("readable");
        let n = read.pages.len();
        assert!(n >= 4, "150 rows take several pages, got {n}");
        for (i, page) in read.pages.iter().enumerate() {
            assert!(page.contains("Judul kerja sama"), "header row on page {}", i + 1);
            assert!(page.contains(&format!("Halaman {} dari {n}", i + 1)), "footer on page {}: {page}", i + 1);
        }
        assert!(read.pages[0].contains("PEMERINTAH KOTA TANGERANG SELATAN") && read.pages[0].contains("Tahun 2026"));
        assert!(read.pages[1].contains("PEMERINTAH KOTA TANGERANG SELATAN — REGISTER KERJA SAMA"), "running head");
        let text = read.text();
        for i in [1, 75, 150] {
            assert_eq!(text.matches(&format!("Kerja sama nomor {i} tentang")).count(), 1, "row {i} exactly once");
        }
        assert!(text.contains("Rp 150.000.000"));
        assert_eq!(read.title.as_deref(), Some("REGISTER KERJA SAMA"));
        let mb = media_box(&bytes);
        assert!(mb[2] > mb[3], "landscape: wider than tall {mb:?}");
    }

    #[test]
    fn odd_characters_never_break_the_document() {
        let mut doc = Document::new(Orientation::Portrait, LABELS);
        head(&mut doc, "Lembar fakta: “Kerja sama” Ș & ≤ 3 👍");
        doc.heading("Pihak\tdan\u{0}penandatangan");
        doc.key_values(&[
            ("Mitra".into(), "PT Jaya Ùtama — Ñusantara, Bogotá Đà Nẵng".into()),
            ("Nilai".into(), "≥ Rp 1.500.000 → 数据 \u{7F}\u{200B}".into()),
            ("Catatan".into(), "baris satu\nbaris dua\r\nbaris tiga".into()),
        ]);
        doc.paragraph("Teks dengan emoji 🎉 dan tanda ‐ hubung tak putus ‑ serta ½ dan ⅓.");
        let bytes = doc.finish();
        let read = read(&bytes).expect("readable");
        let text = read.text();
        assert_eq!(read.pages.len(), 1);
        assert!(text.contains("“Kerja sama” S & <= 3 ?"), "{text}");
        assert!(text.contains("PT Jaya Ùtama — Ñusantara, Bogotá Dà Nang"), "{text}");
        assert!(text.contains(">= Rp 1.500.000 -> ??"), "{text}");
        assert!(text.contains("baris dua") && text.contains("baris tiga"));
        assert!(text.contains("emoji ? dan tanda - hubung tak putus - serta ½ dan 1/3."), "{text}");
        assert!(text.contains("Pihak dan penandatangan"), "{text}");
        let mb = media_box(&bytes);
        assert!(mb[3] > mb[2], "portrait: taller than wide {mb:?}");
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_not_lost() {
        let mut doc = Document::new(Orientation::Portrait, LABELS);
        let long: String = (1..=220).map(|i| format!("Baris {i} dari uraian yang sangat panjang.\n")).collect();
        let rows = vec![vec!["Ruang lingkup".to_owned(), long], vec!["Sesudahnya".to_owned(), "Akhir".to_owned()]];
        doc.table(&[Column::new("Kolom", 1.0), Column::new("Isi", 3.0)], &rows, "");
        let read = read(&doc.finish()).expect("readable");
        assert!(read.pages.len() >= 3, "{} pages", read.pages.len());
        let text = read.text();
        for i in [1, 110, 220] {
            assert!(text.contains(&format!("Baris {i} dari uraian")), "line {i} present");
        }
        assert!(read.pages.last().is_some_and(|p| p.contains("Sesudahnya") && p.contains("Akhir")));
        assert!(read.pages.iter().all(|p| p.contains("Kolom")), "the header comes back with the rest of the row");
    }

    #[test]
    fn an_empty_table_says_so_and_odd_columns_do_not_panic() {
        let mut doc = Document::new(Orientation::Portrait, LABELS);
        doc.table(&[Column::new("Judul", 1.0)], &[], "Belum ada kerja sama.");
        doc.table(&[], &[vec!["ignored".into()]], "");
        doc.table(&[Column::new("Nol", 0.0)], &[vec!["ignored".into()]], "");
        doc.table(&[Column::new("NaN", f32::NAN), Column::new("Inf", f32::INFINITY)], &[vec!["ignored".into()]], "");
        doc.key_values(&[]);
        // Rows longer or shorter than the header.
        doc.table(
            &[Column::new("A", 1.0), Column::new("B", 1.0)],
            &[vec!["satu".into()], vec!["dua".into(), "tiga".into(), "empat".into()]],
            "",
        );
        // A column narrower than a letter.
        doc.table(&[Column::new("Sempit", 0.001), Column::new("Lebar", 1000.0)], &[vec!["WWW".into(), "x".into()]], "");
        let read = read(&doc.finish()).expect("readable");
        let text = read.text();
        assert!(text.contains("Belum ada kerja sama."));
        assert!(text.contains("satu") && text.contains("tiga") && !text.contains("empat") && !text.contains("ignored"));
        assert!(text.contains("Halaman 1 dari"));
    }

    #[test]
    fn columns_are_never_narrower_than_their_longest_word_when_there_is_room() {
        let widths = fit_widths(&[1.0, 1.0, 4.0], &[10.0, 150.0, 10.0], 600.0);
        assert!((widths.iter().sum::<f32>() - 600.0).abs() < 0.01, "{widths:?}");
        assert!((widths[1] - 150.0).abs() < 0.01, "raised to its minimum: {widths:?}");
        assert!((widths[2] / widths[0] - 4.0).abs() < 0.01, "the others keep their proportions: {widths:?}");
        // Minimums that cannot all fit: proportions alone.
        assert_eq!(fit_widths(&[1.0, 1.0], &[500.0, 500.0], 600.0), vec![300.0, 300.0]);
        // A huge minimum is capped at a third of the page.
        let widths = fit_widths(&[1.0, 5.0], &[10_000.0, 0.0], 600.0);
        assert!((widths[0] - 200.0).abs() < 0.01 && (widths[1] - 400.0).abs() < 0.01, "{widths:?}");
    }

    #[test]
    fn a_heading_is_not_left_alone_at_the_bottom() {
        let mut doc = Document::new(Orientation::Portrait, LABELS);
        // Fill the first page almost to the bottom.
        while doc.room() > 30.0 {
            doc.paragraph("Pengisi halaman.");
        }
        doc.heading("Kegiatan");
        doc.paragraph("Isi bagian kegiatan.");
        let read = read(&doc.finish()).expect("readable");
        assert_eq!(read.pages.len(), 2);
        assert!(!read.pages[0].contains("Kegiatan") && read.pages[1].contains("Kegiatan"));
    }
}

//! The PDFs peil writes (presence lists, certificates of attendance, year overviews): A4 pages of
//! text in the bundled DejaVu Sans, lines and boxes, drawn with krilla, which embeds only the
//! glyphs used. A [`Doc`] collects each page's drawing first and renders at the end, so a footer
//! can say "pagina 1 van 2" once the number of pages is known.
//!
//! Coordinates are points (1/72 inch) from the page's top left; a text's `y` is its baseline.

pub mod chart;
mod fonts;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::TextDirection;

pub use fonts::{em_of_height, text_width, wrap};

/// A4 in points.
const A4: (f32, f32) = (595.28, 841.89);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    /// For a table too wide to stand, such as a presence list with every register column.
    Landscape,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the bundled font could not be read")]
    Font,
    #[error("writing the PDF: {0:?}")]
    Write(krilla::error::KrillaError),
}

/// One thing drawn on a page.
#[derive(Clone, Debug)]
enum Mark {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
    Box {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
    },
    /// Coloured text and shapes, as a chart draws them (see [`chart`]).
    Ink {
        x: f32,
        y: f32,
        size: f32,
        color: Rgb,
        text: String,
    },
    Shape(Shape),
}

/// A colour as red, green and blue.
pub type Rgb = (u8, u8, u8);

/// A polygon or polyline, filled and/or stroked, in page points.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub points: Vec<(f32, f32)>,
    /// Closed back to its first point (a polygon) rather than left open (a line).
    pub closed: bool,
    pub fill: Option<Rgb>,
    /// Colour and width of the outline.
    pub stroke: Option<(Rgb, f32)>,
}

/// A document being drawn. Start with [`Doc::new`], draw, [`Doc::new_page`] for the next page,
/// then [`Doc::finish`].
#[derive(Clone, Debug)]
pub struct Doc {
    title: String,
    size: (f32, f32),
    pages: Vec<Vec<Mark>>,
}

impl Doc {
    /// An empty document with one page; `title` becomes the PDF's title (shown by readers).
    pub fn new(title: &str, orientation: Orientation) -> Doc {
        let size = match orientation {
            Orientation::Portrait => A4,
            Orientation::Landscape => (A4.1, A4.0),
        };
        Doc { title: title.to_string(), size, pages: vec![Vec::new()] }
    }

    pub fn width(&self) -> f32 {
        self.size.0
    }

    pub fn height(&self) -> f32 {
        self.size.1
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Starts a new page; what follows is drawn on it.
    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
    }

    fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    /// Text starting at `x`, its baseline at `y`. Line breaks are not interpreted: see [`wrap`].
    pub fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, text: &str) {
        if !text.is_empty() {
            self.mark(Mark::Text { x, y, size, weight, text: text.to_string() });
        }
    }

    /// Text that ends at `x`.
    pub fn text_right(&mut self, x: f32, y: f32, size: f32, weight: Weight, text: &str) {
        self.text(x - text_width(text, size, weight), y, size, weight, text);
    }

    /// Text centred on the page.
    pub fn text_centred(&mut self, y: f32, size: f32, weight: Weight, text: &str) {
        let x = (self.width() - text_width(text, size, weight)) / 2.0;
        self.text(x, y, size, weight, text);
    }

    /// Wrapped text from `x`, at most `max_width` wide, lines `leading` apart; returns the
    /// baseline after the last line.
    pub fn paragraph(
        &mut self,
        x: f32,
        y: f32,
        max_width: f32,
        size: f32,
        weight: Weight,
        text: &str,
    ) -> f32 {
        let leading = size * 1.35;
        let mut y = y;
        for line in wrap(text, size, weight, max_width) {
            self.text(x, y, size, weight, &line);
            y += leading;
        }
        y
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.mark(Mark::Line { from, to, width });
    }

    /// Text in a colour; `size` is points per em.
    pub fn ink(&mut self, x: f32, y: f32, size: f32, color: Rgb, text: &str) {
        if !text.is_empty() {
            self.mark(Mark::Ink { x, y, size, color, text: text.to_string() });
        }
    }

    pub fn shape(&mut self, shape: Shape) {
        if shape.points.len() > 1 && (shape.fill.is_some() || shape.stroke.is_some()) {
            self.mark(Mark::Shape(shape));
        }
    }

    /// A rectangle's outline, its top left at (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        self.mark(Mark::Box { x, y, w, h, width });
    }

    /// The PDF's bytes. With `numbered`, every page gets "pagina N van M" at its foot, right.
    pub fn finish(mut self, numbered: bool) -> Result<Vec<u8>, PdfError> {
        if numbered {
            let total = self.pages.len();
            let (w, h) = self.size;
            for (i, page) in self.pages.iter_mut().enumerate() {
                let label = format!("pagina {} van {total}", i + 1);
                let x = w - 40.0 - text_width(&label, 8.0, Weight::Regular);
                page.push(Mark::Text { x, y: h - 24.0, size: 8.0, weight: Weight::Regular, text: label });
            }
        }
        render(&self)
    }
}

fn render(doc: &Doc) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::krilla_fonts()?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new().title(doc.title.clone()).language("nl".to_string()).creator("peil".to_string()),
    );
    let settings = PageSettings::from_wh(doc.size.0, doc.size.1).ok_or(PdfError::Font)?;
    for marks in &doc.pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for mark in marks {
            match mark {
                Mark::Text { x, y, size, weight, text } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill::default()));
                    let font = match weight {
                        Weight::Regular => fonts.0.clone(),
                        Weight::Bold => fonts.1.clone(),
                    };
                    surface.draw_text(Point::from_xy(*x, *y), font, *size, text, false, TextDirection::Auto);
                }
                Mark::Line { from, to, width } => {
                    let mut path = PathBuilder::new();
                    path.move_to(from.0, from.1);
                    path.line_to(to.0, to.1);
                    stroke(&mut surface, path, *width);
                }
                Mark::Box { x, y, w, h, width } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        path.push_rect(rect);
                    }
                    stroke(&mut surface, path, *width);
                }
                Mark::Ink { x, y, size, color, text } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill { paint: paint(*color), ..Default::default() }));
                    let font = fonts.0.clone();
                    surface.draw_text(Point::from_xy(*x, *y), font, *size, text, false, TextDirection::Auto);
                }
                Mark::Shape(shape) => draw_shape(&mut surface, shape),
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(PdfError::Write)
}

fn paint(color: Rgb) -> krilla::paint::Paint {
    rgb::Color::new(color.0, color.1, color.2).into()
}

fn draw_shape(surface: &mut krilla::surface::Surface<'_>, shape: &Shape) {
    let mut path = PathBuilder::new();
    let mut points = shape.points.iter();
    let Some(first) = points.next() else { return };
    path.move_to(first.0, first.1);
    for p in points {
        path.line_to(p.0, p.1);
    }
    if shape.closed {
        path.close();
    }
    let Some(path) = path.finish() else { return };
    surface.set_fill(shape.fill.map(|c| Fill { paint: paint(c), ..Default::default() }));
    surface.set_stroke(shape.stroke.map(|(c, width)| Stroke {
        paint: paint(c),
        width,
        ..Default::default()
    }));
    surface.draw_path(&path);
}

fn stroke(surface: &mut krilla::surface::Surface<'_>, path: PathBuilder, width: f32) {
    let Some(path) = path.finish() else { return };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke { paint: rgb::Color::black().into(), width, ..Default::default() }));
    surface.draw_path(&path);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn a_document_with_two_pages_is_a_pdf_with_two_pages() {
        let mut doc = Doc::new("Proef", Orientation::Portrait);
        doc.text(40.0, 60.0, 12.0, Weight::Bold, "Presentielijst");
        doc.rect(40.0, 80.0, 100.0, 20.0, 0.5);
        doc.new_page();
        doc.text(40.0, 60.0, 12.0, Weight::Regular, "Tweede pagina");
        assert_eq!(doc.page_count(), 2);
        let bytes = doc.finish(true).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    }

    /// The PDF's text as poppler's `pdftotext` reads it (`.ci/run` installs poppler-utils).
    pub(crate) fn read_back(bytes: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.pdf");
        std::fs::write(&path, bytes).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-layout", path.to_str().unwrap(), "-"])
            .output()
            .expect("pdftotext (poppler-utils) is installed");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn the_text_drawn_is_the_text_a_reader_extracts_with_accents_and_page_numbers() {
        let mut doc = Doc::new("Bewijs", Orientation::Portrait);
        doc.text_centred(80.0, 20.0, Weight::Bold, "Bewijs van deelname");
        doc.text(40.0, 120.0, 11.0, Weight::Regular, "Suïcidepreventie, 2,5 uur");
        doc.text(40.0, 140.0, 11.0, Weight::Regular, "BIG-nummer 01234567890");
        doc.new_page();
        doc.text(40.0, 60.0, 11.0, Weight::Regular, "Tweede");
        let text = read_back(&doc.finish(true).unwrap());
        for expected in [
            "Bewijs van deelname",
            "Suïcidepreventie, 2,5 uur",
            "01234567890",
            "pagina 1 van 2",
            "pagina 2 van 2",
        ] {
            assert!(text.contains(expected), "{expected:?} in {text}");
        }
    }

    /// The measured width is the width a reader finds: poppler's bounding box of the word.
    #[test]
    fn text_width_matches_the_width_poppler_reads_from_the_pdf() {
        let dir = tempfile::tempdir().unwrap();
        for (weight, word) in
            [(Weight::Regular, "Beroepsorganisatie/register"), (Weight::Bold, "Handtekening")]
        {
            let mut doc = Doc::new("Maat", Orientation::Portrait);
            doc.text(100.0, 100.0, 12.0, weight, word);
            let path = dir.path().join("maat.pdf");
            std::fs::write(&path, doc.finish(false).unwrap()).unwrap();
            let out = std::process::Command::new("pdftotext")
                .args(["-bbox", path.to_str().unwrap(), "-"])
                .output()
                .expect("pdftotext (poppler-utils) is installed");
            let html = String::from_utf8(out.stdout).unwrap();
            let attr = |name: &str| -> f32 {
                let at = html.find(&format!("{name}=\"")).expect("a word box") + name.len() + 2;
                html[at..].split('"').next().unwrap().parse().unwrap()
            };
            let read = attr("xMax") - attr("xMin");
            let measured = text_width(word, 12.0, weight);
            // Within 1%: side bearings and kerning; the height-for-em mix-up this guards against is 16%.
            assert!((read - measured).abs() < read * 0.01, "{word}: poppler {read}, measured {measured}");
        }
    }

    #[test]
    fn a_landscape_page_is_wider_than_high() {
        let doc = Doc::new("x", Orientation::Landscape);
        assert!(doc.width() > doc.height());
    }
}

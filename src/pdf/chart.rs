//! A plotters drawing backend onto a [`Doc`] page, so the chart code that makes the pages' SVG
//! draws the same chart into a PDF as vector graphics: lines, rectangles, polygons, circles and
//! text in the bundled DejaVu Sans. Nothing is rasterised, so the report prints sharp at any size.
//!
//! plotters works in whole pixels; the chart is drawn at several times its logical size and
//! every coordinate scaled down to points, so rounding stays far below what paper shows.

use plotters::prelude::DrawingBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, text_anchor::HPos,
    text_anchor::VPos,
};

use super::{Doc, Rgb, Shape, em_of_height};
use crate::charts::{self, Chart, ChartError};

/// How many backend pixels per logical chart pixel: enough that whole-pixel rounding vanishes.
const OVERSAMPLE: f64 = 4.0;

/// Draws `chart` with its top left at (`x`, `y`) on the current page, `width` points wide;
/// returns the height it took.
pub fn draw(doc: &mut Doc, chart: &Chart, (x, y): (f32, f32), width: f32) -> Result<f32, ChartError> {
    let (w, h) = charts::logical_size(chart);
    let size = ((f64::from(w) * OVERSAMPLE) as u32, (f64::from(h) * OVERSAMPLE) as u32);
    let factor = width / size.0 as f32;
    charts::draw_onto(Page { doc, origin: (x, y), factor, size }, chart, OVERSAMPLE)?;
    Ok(size.1 as f32 * factor)
}

/// The height `chart` takes when drawn `width` points wide, before drawing it.
pub fn height(chart: &Chart, width: f32) -> f32 {
    let (w, h) = charts::logical_size(chart);
    h as f32 * width / w as f32
}

struct Page<'a> {
    doc: &'a mut Doc,
    origin: (f32, f32),
    /// Points per backend pixel.
    factor: f32,
    size: (u32, u32),
}

/// Drawing onto a page cannot fail; plotters still wants an error type.
#[derive(Debug, thiserror::Error)]
#[error("drawing onto a PDF page")]
pub struct Never;

type Drawn = Result<(), DrawingErrorKind<Never>>;

fn rgb(color: BackendColor) -> Option<Rgb> {
    // Fully transparent is not drawn at all; the charts use no partial transparency.
    (color.alpha > 0.0).then_some(color.rgb)
}

impl Page<'_> {
    fn at(&self, (x, y): BackendCoord) -> (f32, f32) {
        (self.origin.0 + x as f32 * self.factor, self.origin.1 + y as f32 * self.factor)
    }

    fn width<S: BackendStyle>(&self, style: &S) -> f32 {
        style.stroke_width().max(1) as f32 * self.factor
    }

    fn shape(
        &mut self,
        points: Vec<(f32, f32)>,
        closed: bool,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    ) {
        self.doc.shape(Shape { points, closed, fill, stroke });
    }

    /// A closed outline (a rectangle, a circle) filled with the style's colour or stroked in it.
    fn closed<S: BackendStyle>(&mut self, points: Vec<(f32, f32)>, style: &S, fill: bool) {
        let color = rgb(style.color());
        if fill {
            self.shape(points, true, color, None);
        } else {
            self.shape(points, true, None, color.map(|c| (c, self.width(style))));
        }
    }
}

impl DrawingBackend for Page<'_> {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        let fill = rgb(color);
        let corners = [point, (point.0 + 1, point.1), (point.0 + 1, point.1 + 1), (point.0, point.1 + 1)];
        let points = corners.iter().map(|c| self.at(*c)).collect();
        self.shape(points, true, fill, None);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Drawn {
        let stroke = rgb(style.color()).map(|c| (c, self.width(style)));
        self.shape(vec![self.at(from), self.at(to)], false, None, stroke);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let (l, t) = upper_left;
        let (r, b) = bottom_right;
        let points = [(l, t), (r, t), (r, b), (l, b)].iter().map(|c| self.at(*c)).collect();
        self.closed(points, style, fill);
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        let points = path.into_iter().map(|p| self.at(p)).collect();
        let stroke = rgb(style.color()).map(|c| (c, self.width(style)));
        self.shape(points, false, None, stroke);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        // A 32-gon: at a chart's dot sizes no reader tells it from a circle.
        let (cx, cy) = self.at(center);
        let r = radius as f32 * self.factor;
        let points = (0..32)
            .map(|i| {
                let angle = i as f32 * std::f32::consts::TAU / 32.0;
                (cx + r * angle.cos(), cy + r * angle.sin())
            })
            .collect();
        self.closed(points, style, fill);
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn {
        let points = vert.into_iter().map(|p| self.at(p)).collect();
        self.shape(points, true, rgb(style.color()), None);
        Ok(())
    }

    /// Text placed as the bitmap backend places it (the PNG downloads), so the layout the chart
    /// code measured holds: the box is plotters' estimate, the baseline half the size below its top.
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> Drawn {
        let Some(color) = rgb(style.color()) else { return Ok(()) };
        let ((min_x, min_y), (max_x, max_y)) =
            style.layout_box(text).map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let size = style.size() as f32;
        let (x, top) = self.at((pos.0 + dx, pos.1 + dy));
        let baseline = top + size / 2.0 * self.factor;
        self.doc.ink(x, baseline, em_of_height(size) * self.factor, color, text);
        Ok(())
    }
}

//! A thin drawing surface over a plotters `DrawingArea` in logical pixels. Every chart is laid
//! out once in the SVG's coordinates; the canvas multiplies by a scale factor, so the PNG is
//! the same picture at twice the resolution rather than a second layout.

use plotters::coord::Shift;
use plotters::element::{Circle, PathElement, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingBackend, IntoFont, RGBColor};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, TextStyle};

use super::ChartError;
use super::font::FAMILY;

/// A rectangle in logical pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Self { x, y, w, h }
    }
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    /// The part below the first `top` pixels.
    pub fn below(&self, top: f64) -> Self {
        Self::new(self.x, self.y + top, self.w, (self.h - top).max(0.0))
    }
    /// Shrunk by the given margins.
    pub fn inset(&self, left: f64, top: f64, right: f64, bottom: f64) -> Self {
        let w = (self.w - left - right).max(0.0);
        let h = (self.h - top - bottom).max(0.0);
        Self::new(self.x + left, self.y + top, w, h)
    }
}

/// How a piece of text is set: size in plotters' units (about 1.24 × the CSS pixel size),
/// colour and which point of the text sits at the given position.
#[derive(Clone, Copy)]
pub(super) struct Font {
    pub size: f64,
    pub color: RGBColor,
    pub h: HPos,
    pub v: VPos,
}

impl Font {
    pub fn new(size: f64, color: RGBColor) -> Self {
        Self { size, color, h: HPos::Left, v: VPos::Center }
    }
    pub fn align(self, h: HPos) -> Self {
        Self { h, ..self }
    }
    pub fn valign(self, v: VPos) -> Self {
        Self { v, ..self }
    }
}

/// The width text will take, from the bundled font's advances (as the bitmap draws it; a
/// browser with another sans-serif is within a few per cent).
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    match (FAMILY, size).into_font().box_size(text) {
        Ok((w, _)) => f64::from(w),
        Err(_) => text.chars().count() as f64 * size * 0.55,
    }
}

pub(super) struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    scale: f64,
}

type Drawn = Result<(), ChartError>;

fn failed<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    pub fn new(area: &'a DrawingArea<DB, Shift>, scale: f64) -> Self {
        Self { area, scale }
    }

    fn at(&self, (x, y): (f64, f64)) -> (i32, i32) {
        ((x * self.scale).round() as i32, (y * self.scale).round() as i32)
    }

    fn px(&self, width: f64) -> u32 {
        (width * self.scale).round().max(1.0) as u32
    }

    pub fn fill(&self, color: RGBColor) -> Drawn {
        self.area.fill(&color).map_err(failed)
    }

    pub fn rect(&self, r: Rect, color: RGBColor) -> Drawn {
        let corners = [self.at((r.x, r.y)), self.at((r.right(), r.bottom()))];
        self.area.draw(&Rectangle::new(corners, color.filled())).map_err(failed)
    }

    pub fn line(&self, points: &[(f64, f64)], color: RGBColor, width: f64) -> Drawn {
        let points: Vec<_> = points.iter().map(|p| self.at(*p)).collect();
        let style = color.stroke_width(self.px(width));
        self.area.draw(&PathElement::new(points, style)).map_err(failed)
    }

    /// A straight dashed line; dashes are drawn one by one so both backends agree.
    pub fn dashed(&self, from: (f64, f64), to: (f64, f64), color: RGBColor, width: f64) -> Drawn {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let length = dx.hypot(dy);
        let (dash, gap) = (6.0, 4.0);
        let mut start = 0.0;
        while start < length {
            let end = (start + dash).min(length);
            let p = |t: f64| (from.0 + dx * t / length, from.1 + dy * t / length);
            self.line(&[p(start), p(end)], color, width)?;
            start = end + gap;
        }
        Ok(())
    }

    pub fn dot(&self, center: (f64, f64), radius: f64, color: RGBColor) -> Drawn {
        let radius = self.px(radius);
        let circle = Circle::new(self.at(center), radius, color.filled());
        self.area.draw(&circle).map_err(failed)
    }

    pub fn text(&self, text: &str, at: (f64, f64), font: Font) -> Drawn {
        if text.is_empty() {
            return Ok(());
        }
        let style = TextStyle::from((FAMILY, font.size * self.scale).into_font())
            .color(&font.color)
            .pos(Pos::new(font.h, font.v));
        let element = Text::new(text.to_owned(), self.at(at), style);
        self.area.draw(&element).map_err(failed)
    }
}

//! The frame every chart shares: the canvas size, the title, the empty case, and the dispatch
//! to each kind's layout. Sizes are decided here, before a backend exists, from the same
//! functions that later lay the chart out, so nothing is clipped.

use plotters::coord::Shift;
use plotters::prelude::{DrawingBackend, IntoDrawingArea};
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{Canvas, Font, Rect};
use super::palette::{BACKGROUND, INK, MUTED};
use super::{Chart, ChartError, bars, diverging, histogram, multiples, text, trend};

pub(super) const WIDTH: f64 = 800.0;
pub(super) const MARGIN: f64 = 16.0;
const TITLE_SIZE: f64 = 22.0;
const TITLE_LINE: f64 = 24.0;
pub(super) const EMPTY_HEIGHT: f64 = 80.0;
/// Shown instead of a chart without a single answer.
pub(super) const NO_ANSWERS: &str = "geen antwoorden";

pub(super) fn title(chart: &Chart) -> &str {
    match chart {
        Chart::Bars(c) => &c.title,
        Chart::Diverging(c) => &c.title,
        Chart::Histogram(c) => &c.title,
        Chart::Trend(c) => &c.title,
        Chart::Multiples(c) => &c.title,
    }
}

/// Pixel size of the whole picture (logical, i.e. the SVG's).
pub(super) fn size(chart: &Chart) -> (u32, u32) {
    let body = body_height(chart, WIDTH - 2.0 * MARGIN);
    let height = MARGIN + title_height(chart) + body + MARGIN;
    (WIDTH as u32, height.ceil() as u32)
}

/// Draws `chart` onto a fresh backend at `scale` times the logical size.
pub(super) fn draw<DB: DrawingBackend>(backend: DB, chart: &Chart, scale: f64) -> Result<(), ChartError> {
    let area = backend.into_drawing_area();
    draw_on(&area, chart, scale)?;
    area.present().map_err(|e| ChartError::Draw(e.to_string()))
}

fn draw_on<DB: DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, Shift>,
    chart: &Chart,
    scale: f64,
) -> Result<(), ChartError> {
    let canvas = Canvas::new(area, scale);
    canvas.fill(BACKGROUND)?;
    let (_, height) = size(chart);
    let inner = Rect::new(MARGIN, MARGIN, WIDTH - 2.0 * MARGIN, f64::from(height) - 2.0 * MARGIN);
    let mut y = inner.y;
    for line in title_lines(chart) {
        let font = Font::new(TITLE_SIZE, INK).valign(VPos::Top);
        canvas.text(&line, (inner.x, y), font)?;
        y += TITLE_LINE;
    }
    draw_body(&canvas, inner.below(title_height(chart)), chart, &Domain::of(chart))
}

fn title_lines(chart: &Chart) -> Vec<String> {
    text::wrap(title(chart), WIDTH - 2.0 * MARGIN, TITLE_SIZE, 2)
}

fn title_height(chart: &Chart) -> f64 {
    let lines = title_lines(chart).len();
    if lines == 0 { 0.0 } else { lines as f64 * TITLE_LINE + 12.0 }
}

/// Height of the chart itself (below the title) when it gets `width` pixels.
pub(super) fn body_height(chart: &Chart, width: f64) -> f64 {
    if is_empty(chart) {
        return EMPTY_HEIGHT;
    }
    match chart {
        Chart::Bars(c) => bars::height(c, width),
        Chart::Diverging(c) => diverging::height(c, width),
        Chart::Histogram(c) => histogram::height(c, width),
        Chart::Trend(c) => trend::height(c, width),
        Chart::Multiples(c) => multiples::height(c, width),
    }
}

/// Nothing to draw: no categories, rows, bins or points at all.
pub(super) fn is_empty(chart: &Chart) -> bool {
    match chart {
        Chart::Bars(c) => c.bars.is_empty(),
        Chart::Diverging(c) => c.rows.iter().all(|r| r.counts.iter().sum::<u64>() == 0),
        Chart::Histogram(c) => c.bins.iter().all(|b| b.count == 0),
        Chart::Trend(c) => c.series.iter().all(|s| s.points.iter().all(Option::is_none)),
        Chart::Multiples(c) => c.panels.is_empty(),
    }
}

/// Draws the chart part into `frame`, on the scales in `domain` where it is of the same kind
/// (small multiples share them) and on its own otherwise.
pub(super) fn draw_body<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: Rect,
    chart: &Chart,
    domain: &Domain,
) -> Result<(), ChartError> {
    if is_empty(chart) {
        return message(canvas, frame, NO_ANSWERS);
    }
    match (chart, domain) {
        (Chart::Bars(c), Domain::Bars(d)) => bars::draw(canvas, frame, c, d),
        (Chart::Diverging(c), Domain::Diverging(d)) => diverging::draw(canvas, frame, c, d),
        (Chart::Histogram(c), Domain::Histogram(d)) => histogram::draw(canvas, frame, c, d),
        (Chart::Trend(c), Domain::Trend(d)) => trend::draw(canvas, frame, c, d),
        (Chart::Multiples(c), _) => multiples::draw(canvas, frame, c),
        (chart, _) => draw_body(canvas, frame, chart, &Domain::of(chart)),
    }
}

/// A line of grey text in the middle of `frame`, for charts with nothing to show.
pub(super) fn message<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: Rect,
    text: &str,
) -> Result<(), ChartError> {
    let font = Font::new(17.0, MUTED).align(HPos::Center);
    canvas.text(text, (frame.x + frame.w / 2.0, frame.y + frame.h / 2.0), font)
}

/// The scales of a chart, which small multiples merge so every panel uses the same ones.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Domain {
    Bars(bars::Domain),
    Diverging(diverging::Domain),
    Histogram(histogram::Domain),
    Trend(trend::Domain),
    Multiples,
}

impl Domain {
    pub fn of(chart: &Chart) -> Self {
        match chart {
            Chart::Bars(c) => Self::Bars(bars::domain(c)),
            Chart::Diverging(c) => Self::Diverging(diverging::domain(c)),
            Chart::Histogram(c) => Self::Histogram(histogram::domain(c)),
            Chart::Trend(c) => Self::Trend(trend::domain(c)),
            Chart::Multiples(_) => Self::Multiples,
        }
    }

    /// Both domains' ranges together; a different kind leaves `self` as it is.
    pub fn merge(self, other: &Self) -> Self {
        match (self, other) {
            (Self::Bars(a), Self::Bars(b)) => Self::Bars(a.merge(b)),
            (Self::Diverging(a), Self::Diverging(b)) => Self::Diverging(a.merge(b)),
            (Self::Histogram(a), Self::Histogram(b)) => Self::Histogram(a.merge(b)),
            (Self::Trend(a), Self::Trend(b)) => Self::Trend(a.merge(b)),
            (this, _) => this,
        }
    }
}

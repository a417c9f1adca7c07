//! Histograms for number questions (age, waiting weeks): one bar per bin with what it holds
//! ("3,5", "10 t/m 19") under it and the median as a dashed line, because the median, not the
//! mean, is what the werkgroep quotes for skewed numbers.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{self, TICK_SIZE};
use super::canvas::{Canvas, Font, Rect, text_width};
use super::palette::{BAR, INK, MUTED};
use super::{ChartError, Histogram, format};

const LEFT: f64 = 48.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = 46.0;

/// The x range over all bins and the tallest bin.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Domain {
    low: f64,
    high: f64,
    max: u64,
}

impl Domain {
    pub fn merge(self, other: &Self) -> Self {
        Self { low: self.low.min(other.low), high: self.high.max(other.high), max: self.max.max(other.max) }
    }
}

pub(super) fn domain(chart: &Histogram) -> Domain {
    let low = chart.bins.iter().map(|b| b.low).fold(f64::INFINITY, f64::min);
    let high = chart.bins.iter().map(|b| b.high).fold(f64::NEG_INFINITY, f64::max);
    let max = chart.bins.iter().map(|b| b.count).max().unwrap_or(0);
    Domain { low, high, max }
}

pub(super) fn height(_chart: &Histogram, width: f64) -> f64 {
    (width * 0.42).clamp(200.0, 320.0)
}

pub(super) fn draw<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: Rect,
    chart: &Histogram,
    domain: &Domain,
) -> Result<(), ChartError> {
    let plot = frame.inset(LEFT, TOP, 12.0, BOTTOM);
    let span = (domain.high - domain.low).max(f64::EPSILON);
    let x_of = |v: f64| plot.x + (v - domain.low) / span * plot.w;
    let step = axis::nice_step(domain.max as f64, 5.0).max(1.0);
    let top = (domain.max.max(1) as f64 / step).ceil() * step;
    let y_of = |v: f64| plot.bottom() - v / top * plot.h;
    axis::y_grid(canvas, plot, &axis::ticks(0.0, top, step), &y_of, &format::number)?;
    canvas.text("aantal", (frame.x, frame.y + 8.0), Font::new(TICK_SIZE, MUTED))?;
    for bin in &chart.bins {
        let (left, right) = (x_of(bin.low), x_of(bin.high));
        let bar = Rect::new(left + 1.0, y_of(bin.count as f64), right - left - 2.0, 0.0);
        canvas.rect(Rect { h: plot.bottom() - bar.y, ..bar }, BAR)?;
    }
    labels(canvas, plot, chart, &x_of)?;
    if let Some(unit) = &chart.unit {
        let font = Font::new(15.0, INK).align(HPos::Center).valign(VPos::Bottom);
        canvas.text(unit, (plot.x + plot.w / 2.0, frame.bottom()), font)?;
    }
    match chart.median {
        Some(median) => median_line(canvas, plot, median, x_of(median)),
        None => Ok(()),
    }
}

/// Each bin's label under the middle of its bar; every second (third, ...) one when they would
/// touch (the table beside the chart has them all).
fn labels<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    plot: Rect,
    chart: &Histogram,
    x_of: &impl Fn(f64) -> f64,
) -> Result<(), ChartError> {
    let Some(slot) = chart.bins.first().map(|b| x_of(b.high) - x_of(b.low)) else { return Ok(()) };
    let widest = chart.bins.iter().map(|b| text_width(&b.label, TICK_SIZE)).fold(0.0, f64::max);
    let every = ((widest + 10.0) / slot.max(1.0)).ceil().max(1.0) as usize;
    for (i, bin) in chart.bins.iter().enumerate() {
        if !i.is_multiple_of(every) {
            continue;
        }
        let x = x_of((bin.low + bin.high) / 2.0);
        canvas.line(&[(x, plot.bottom()), (x, plot.bottom() + 4.0)], MUTED, 1.0)?;
        let font = Font::new(TICK_SIZE, MUTED).align(HPos::Center).valign(VPos::Top);
        canvas.text(&bin.label, (x, plot.bottom() + 7.0), font)?;
    }
    Ok(())
}

fn median_line<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    plot: Rect,
    median: f64,
    x: f64,
) -> Result<(), ChartError> {
    canvas.dashed((x, plot.y - 4.0), (x, plot.bottom()), INK, 2.0)?;
    let label = format!("mediaan {}", format::number(median));
    let near_right = x + text_width(&label, 15.0) + 6.0 > plot.right();
    let (h, dx) = if near_right { (HPos::Right, -6.0) } else { (HPos::Left, 6.0) };
    canvas.text(&label, (x + dx, plot.y - 12.0), Font::new(15.0, INK).align(h))
}

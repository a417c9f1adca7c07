//! Trend lines over a job's rounds: one line per group with a dot and "n=23" per round, and a
//! gap where a round had too few answers, so a missing round is never bridged by a line that
//! suggests data. The region comes first and is drawn darker and thicker as the reference. The
//! "n=" labels are placed so that none covers another (see `point_labels`).

use plotters::prelude::{DrawingBackend, RGBColor};
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{self, TICK_SIZE};
use super::canvas::{Canvas, Font, Rect, text_width};
use super::legend::{self, Key};
use super::palette::{self, INK, MUTED};
use super::point_labels::{self, Dot};
use super::{ChartError, Series, Trend, format, text};

const LEFT: f64 = 52.0;
const TOP: f64 = 26.0;
const RIGHT: f64 = 20.0;
const BOTTOM: f64 = 30.0;
const N_SIZE: f64 = 12.0;

/// The y range every panel of a small multiple shares.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Domain {
    low: f64,
    high: f64,
    percent: bool,
}

impl Domain {
    pub fn merge(self, other: &Self) -> Self {
        Self { low: self.low.min(other.low), high: self.high.max(other.high), ..self }
    }
}

pub(super) fn domain(chart: &Trend) -> Domain {
    let (low, high) = match chart.y_range {
        Some(range) => range,
        None if chart.percent => (0.0, 1.0),
        None => from_data(chart),
    };
    Domain { low, high, percent: chart.percent }
}

/// The values' range with some headroom, widened to round ticks; not below zero for
/// positive data.
fn from_data(chart: &Trend) -> (f64, f64) {
    let values = chart.series.iter().flat_map(|s| s.points.iter().flatten()).map(|p| p.value);
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !min.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if max > min { (max - min) * 0.15 } else { (max.abs() * 0.1).max(1.0) };
    let low = if min >= 0.0 { (min - pad).max(0.0) } else { min - pad };
    let (low, high, _) = axis::widen(low, max + pad, 5.0);
    (low, high)
}

fn plot_height(width: f64) -> f64 {
    (width * 0.4).clamp(160.0, 300.0)
}

fn names(chart: &Trend) -> Vec<String> {
    chart.series.iter().map(|s| s.name.clone()).collect()
}

pub(super) fn height(chart: &Trend, width: f64) -> f64 {
    legend::height(&names(chart), width, Key::Line { width: 2.0 }) + TOP + plot_height(width) + BOTTOM
}

pub(super) fn draw<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: Rect,
    chart: &Trend,
    domain: &Domain,
) -> Result<(), ChartError> {
    let entries: Vec<_> =
        names(chart).into_iter().enumerate().map(|(i, n)| (n, palette::series(i))).collect();
    legend::draw(canvas, frame, &entries, Key::Line { width: 2.0 })?;
    let below_legend = frame.below(legend::height(&names(chart), frame.w, Key::Line { width: 2.0 }));
    let plot = below_legend.inset(LEFT, TOP, RIGHT, BOTTOM);
    let y_title =
        Rect::new(frame.x, plot.y - 14.0 - TICK_SIZE / 2.0, text_width(&chart.y_label, TICK_SIZE), TICK_SIZE);
    canvas.text(&chart.y_label, (frame.x, plot.y - 14.0), Font::new(TICK_SIZE, MUTED))?;
    let span = (domain.high - domain.low).max(f64::EPSILON);
    let y_of = |v: f64| plot.bottom() - (v - domain.low) / span * plot.h;
    let step = axis::nice_step(span, 5.0);
    let first = (domain.low / step - 1e-9).ceil() * step;
    let ticks = axis::ticks(first, first + ((domain.high - first) / step + 1e-9).floor() * step, step);
    let label = |v: f64| if domain.percent { format::percent(v) } else { format::number(v) };
    axis::y_grid(canvas, plot, &ticks, &y_of, &label)?;
    let band = plot.w / chart.x_labels.len().max(1) as f64;
    let x_of = |i: usize| plot.x + band * (i as f64 + 0.5);
    for (i, x_label) in chart.x_labels.iter().enumerate() {
        let font = Font::new(TICK_SIZE, INK).align(HPos::Center).valign(VPos::Top);
        canvas.text(&text::fit(x_label, band - 4.0, TICK_SIZE), (x_of(i), plot.bottom() + 8.0), font)?;
    }
    // Back to front, so the region's line lies on top of the groups'.
    for (index, series) in chart.series.iter().enumerate().rev() {
        draw_series(canvas, series, index, &x_of, &y_of)?;
    }
    // Right of the tick labels, into the margins above the plot and right of it.
    let area = Rect::new(plot.x, plot.y - TOP + 4.0, plot.w + RIGHT, plot.h + TOP - 4.0);
    for label in
        point_labels::place(&dots(chart, &x_of, &y_of), &label_order(chart), area, &[y_title], N_SIZE)
    {
        canvas.text(&label.text, label.center, Font::new(N_SIZE, MUTED).align(HPos::Center))?;
    }
    Ok(())
}

/// The groups' labels first, the region's (the reference, first in the list) last: in a panel
/// of a small multiple the group's n is the news, the region's is in the chart above it.
fn label_order(chart: &Trend) -> Vec<usize> {
    let count = chart.series.len();
    (1..count).chain((count > 0).then_some(0)).collect()
}

fn radius(index: usize) -> f64 {
    if index == 0 { 5.0 } else { 4.0 }
}

/// Every shown point as a dot with its "n=".
fn dots(chart: &Trend, x_of: &impl Fn(usize) -> f64, y_of: &impl Fn(f64) -> f64) -> Vec<Dot> {
    let mut dots = Vec::new();
    for (index, series) in chart.series.iter().enumerate() {
        for (i, point) in series.points.iter().enumerate() {
            if let Some(p) = point {
                let text = format!("n={}", format::number(p.n as f64));
                dots.push(Dot { series: index, x: x_of(i), y: y_of(p.value), radius: radius(index), text });
            }
        }
    }
    dots
}

fn draw_series<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    series: &Series,
    index: usize,
    x_of: &impl Fn(usize) -> f64,
    y_of: &impl Fn(f64) -> f64,
) -> Result<(), ChartError> {
    let color: RGBColor = palette::series(index);
    let width = if index == 0 { 3.0 } else { 2.0 };
    let at = |i: usize, v: f64| (x_of(i), y_of(v));
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (i, point) in series.points.iter().enumerate() {
        match point {
            Some(p) => run.push(at(i, p.value)),
            None => flush(canvas, &mut run, color, width)?,
        }
    }
    flush(canvas, &mut run, color, width)?;
    for (i, point) in series.points.iter().enumerate() {
        if let Some(p) = point {
            canvas.dot(at(i, p.value), radius(index), color)?;
        }
    }
    Ok(())
}

/// Draws the points joined so far (a single point needs no line) and starts afresh.
fn flush<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    run: &mut Vec<(f64, f64)>,
    color: RGBColor,
    width: f64,
) -> Result<(), ChartError> {
    if run.len() > 1 {
        canvas.line(run, color, width)?;
    }
    run.clear();
    Ok(())
}

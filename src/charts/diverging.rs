//! Diverging stacked bars for scales (Likert items, matrix rows): disagreement extends left of
//! a zero line, agreement right, an odd scale's middle straddles it half and half. The eye
//! compares the two sides directly, which a plain stacked bar does not allow. Answers outside
//! the scale ("Weet ik niet") are no part of the shares; they are noted in grey right of the
//! bars, "3 weet ik niet", so the reader sees them without mistaking them for a point.

use plotters::prelude::{DrawingBackend, RGBColor};
use plotters::style::text_anchor::HPos;

use super::bars::{LABEL_SIZE, ROW, label_column, labels};
use super::canvas::{Canvas, Font, Rect, text_width};
use super::legend::{self, Key};
use super::palette::{self, GRID, INK, MUTED};
use super::render::NO_ANSWERS;
use super::{ChartError, Diverging, DivergingRow, format, text};

const AXIS: f64 = 24.0;
const GAP: f64 = 10.0;
const SEGMENT_SIZE: f64 = 14.0;
const NOTE_SIZE: f64 = 13.0;

/// How far the widest side reaches (a share of the row), the widest label and the widest note
/// of answers outside the scale (0 when there are none).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Domain {
    extent: f64,
    label_width: f64,
    note_width: f64,
}

impl Domain {
    pub fn merge(self, other: &Self) -> Self {
        Self {
            extent: self.extent.max(other.extent),
            label_width: self.label_width.max(other.label_width),
            note_width: self.note_width.max(other.note_width),
        }
    }
}

/// A bar piece: where it starts and ends as a signed share (negative is left of zero).
struct Segment {
    from: f64,
    to: f64,
    point: usize,
}

pub(super) fn domain(chart: &Diverging) -> Domain {
    let extent = chart
        .rows
        .iter()
        .flat_map(|row| segments(row, chart.points.len()))
        .map(|s| s.from.abs().max(s.to.abs()))
        .fold(0.0, f64::max);
    let label_width = chart
        .rows
        .iter()
        .flat_map(|r| text::label(&r.label, f64::INFINITY, LABEL_SIZE, 1))
        .map(|line| text_width(&line, LABEL_SIZE))
        .fold(0.0, f64::max);
    let note_width = chart
        .rows
        .iter()
        .filter_map(|r| note(chart, r))
        .map(|n| text_width(&n, NOTE_SIZE) + GAP)
        .fold(0.0, f64::max);
    Domain { extent, label_width, note_width }
}

/// "3 weet ik niet": a row's answers outside the scale, in the form's own words.
fn note(chart: &Diverging, row: &DivergingRow) -> Option<String> {
    let label = chart.na_label.as_deref().unwrap_or("n.v.t.").to_lowercase();
    (row.na > 0).then(|| format!("{} {label}", row.na))
}

pub(super) fn height(chart: &Diverging, width: f64) -> f64 {
    legend::height(&chart.points, width, Key::Block) + chart.rows.len() as f64 * ROW + AXIS
}

/// The row's pieces outward from zero: the middle point (odd scales) centred on zero, the
/// lower points stacked leftwards, the higher ones rightwards.
fn segments(row: &DivergingRow, points: usize) -> Vec<Segment> {
    let total: u64 = row.counts.iter().take(points).sum();
    if total == 0 {
        return Vec::new();
    }
    let share = |i: usize| row.counts.get(i).copied().unwrap_or(0) as f64 / total as f64;
    let below = points / 2;
    let above = points.div_ceil(2);
    let half_middle = if points % 2 == 1 { share(below) / 2.0 } else { 0.0 };
    let mut pieces = Vec::with_capacity(points);
    if points % 2 == 1 {
        pieces.push(Segment { from: -half_middle, to: half_middle, point: below });
    }
    let mut left = -half_middle;
    for point in (0..below).rev() {
        pieces.push(Segment { from: left - share(point), to: left, point });
        left -= share(point);
    }
    let mut right = half_middle;
    for point in above..points {
        pieces.push(Segment { from: right, to: right + share(point), point });
        right += share(point);
    }
    pieces
}

/// The axis reaches a round share past the widest side: 10% steps up to half, else 25%.
fn axis(extent: f64) -> (f64, f64) {
    let step = if extent <= 0.5 { 0.1 } else { 0.25 };
    let reach = ((extent - 1e-9) / step).ceil().max(1.0) * step;
    (reach.min(1.0), step)
}

pub(super) fn draw<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: Rect,
    chart: &Diverging,
    domain: &Domain,
) -> Result<(), ChartError> {
    let colors = palette::diverging(chart.points.len());
    let entries: Vec<_> = chart.points.iter().cloned().zip(colors.iter().copied()).collect();
    legend::draw(canvas, frame, &entries, Key::Block)?;
    let top = frame.y + legend::height(&chart.points, frame.w, Key::Block);
    let label_width = label_column(domain.label_width, frame.w);
    let plot = Rect::new(frame.x + label_width + GAP, top, 0.0, chart.rows.len() as f64 * ROW);
    let plot = Rect { w: (frame.right() - plot.x - 12.0 - domain.note_width).max(0.0), ..plot };
    let (reach, step) = axis(domain.extent);
    let x_of = |share: f64| plot.x + plot.w / 2.0 + share / reach * plot.w / 2.0;
    grid(canvas, plot, reach, step, &x_of)?;
    for (i, row) in chart.rows.iter().enumerate() {
        let middle = plot.y + i as f64 * ROW + ROW / 2.0;
        labels(canvas, &row.label, (plot.x - GAP, middle), label_width)?;
        draw_row(canvas, row, &colors, middle, &x_of)?;
        if let Some(note) = note(chart, row) {
            let font = Font::new(NOTE_SIZE, MUTED).align(HPos::Left);
            canvas.text(&note, (plot.right() + GAP, middle), font)?;
        }
    }
    let zero = x_of(0.0);
    canvas.line(&[(zero, plot.y), (zero, plot.bottom())], INK, 1.0)
}

fn draw_row<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    row: &DivergingRow,
    colors: &[RGBColor],
    middle: f64,
    x_of: &impl Fn(f64) -> f64,
) -> Result<(), ChartError> {
    let pieces = segments(row, colors.len());
    if pieces.is_empty() {
        let font = Font::new(LABEL_SIZE, MUTED).align(HPos::Center);
        return canvas.text(NO_ANSWERS, (x_of(0.0), middle), font);
    }
    for piece in pieces {
        let (left, right) = (x_of(piece.from), x_of(piece.to));
        let fill = colors[piece.point];
        canvas.rect(Rect::new(left, middle - ROW * 0.3, right - left, ROW * 0.6), fill)?;
        let label = format::percent(piece.to - piece.from);
        if text_width(&label, SEGMENT_SIZE) + 6.0 <= right - left {
            let font = Font::new(SEGMENT_SIZE, palette::text_on(fill)).align(HPos::Center);
            canvas.text(&label, ((left + right) / 2.0, middle), font)?;
        }
    }
    Ok(())
}

/// Vertical grid lines at each step both sides of zero, labelled below the rows.
fn grid<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    plot: Rect,
    reach: f64,
    step: f64,
    x_of: &impl Fn(f64) -> f64,
) -> Result<(), ChartError> {
    let steps = (reach / step).round() as i32;
    // In a narrow panel every other label, so "50%" and "40%" do not run into each other.
    let every = if plot.w / f64::from(2 * steps) < 36.0 { 2 } else { 1 };
    for k in -steps..=steps {
        let share = f64::from(k) * step;
        let x = x_of(share);
        canvas.line(&[(x, plot.y), (x, plot.bottom())], GRID, 1.0)?;
        if k % every != 0 {
            continue;
        }
        let font = Font::new(13.0, MUTED).align(HPos::Center);
        canvas.text(&format::percent(share.abs()), (x, plot.bottom() + AXIS / 2.0), font)?;
    }
    Ok(())
}

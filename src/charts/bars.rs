//! Horizontal bars for single and multiple choice: one row per option with its label on the
//! left and "12 (40%)" at the end of the bar. Horizontal because option texts are long and
//! read best left to right.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;

use super::canvas::{Canvas, Font, Rect, text_width};
use super::palette::{BAR, INK, RULE};
use super::{Bars, ChartError, format, text};

/// Height of one bar's row; two lines of label fit.
pub(super) const ROW: f64 = 40.0;
pub(super) const LABEL_SIZE: f64 = 16.0;
pub(super) const LINE: f64 = 16.0;
const GAP: f64 = 10.0;

/// The longest bar and the widest label, shared by small multiples so bars compare.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Domain {
    max: u64,
    label_width: f64,
}

impl Domain {
    pub fn merge(self, other: &Self) -> Self {
        Self { max: self.max.max(other.max), label_width: self.label_width.max(other.label_width) }
    }
}

pub(super) fn domain(chart: &Bars) -> Domain {
    let max = chart.bars.iter().map(|b| b.count).max().unwrap_or(0);
    let widest = |label: &str| text::label(label, f64::INFINITY, LABEL_SIZE, 1);
    let label_width = chart
        .bars
        .iter()
        .flat_map(|b| widest(&b.label))
        .map(|line| text_width(&line, LABEL_SIZE))
        .fold(0.0, f64::max);
    Domain { max, label_width }
}

pub(super) fn height(chart: &Bars, _width: f64) -> f64 {
    chart.bars.len() as f64 * ROW
}

pub(super) fn draw<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: Rect,
    chart: &Bars,
    domain: &Domain,
) -> Result<(), ChartError> {
    let label_width = label_column(domain.label_width, frame.w);
    let widest_value = format::count_share(domain.max, chart.base.max(domain.max));
    let value_width = text_width(&widest_value, LABEL_SIZE) + 8.0;
    let bar_x = frame.x + label_width + GAP;
    let span = (frame.right() - value_width - bar_x).max(1.0);
    let scale = span / domain.max.max(1) as f64;
    for (i, bar) in chart.bars.iter().enumerate() {
        let row = Rect::new(frame.x, frame.y + i as f64 * ROW, frame.w, ROW);
        labels(canvas, &bar.label, (bar_x - GAP, row.y + ROW / 2.0), label_width)?;
        let length = bar.count as f64 * scale;
        if length > 0.0 {
            canvas.rect(Rect::new(bar_x, row.y + ROW * 0.2, length, ROW * 0.6), BAR)?;
        }
        let value = format::count_share(bar.count, chart.base);
        canvas.text(&value, (bar_x + length + 6.0, row.y + ROW / 2.0), Font::new(LABEL_SIZE, INK))?;
    }
    let bottom = frame.y + chart.bars.len() as f64 * ROW;
    canvas.line(&[(bar_x, frame.y), (bar_x, bottom)], RULE, 1.0)
}

/// The width left of the bars: as wide as the labels need, but never more than 40%.
pub(super) fn label_column(wanted: f64, width: f64) -> f64 {
    wanted.min(width * 0.4).max(40.0)
}

/// A label in up to two lines, right-aligned against `right_middle`, centred vertically.
pub(super) fn labels<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    label: &str,
    (right, middle): (f64, f64),
    width: f64,
) -> Result<(), ChartError> {
    let lines = text::label(label, width, LABEL_SIZE, 2);
    let first = middle - (lines.len() as f64 - 1.0) * LINE / 2.0;
    for (j, line) in lines.iter().enumerate() {
        let font = Font::new(LABEL_SIZE, INK).align(HPos::Right);
        canvas.text(line, (right, first + j as f64 * LINE), font)?;
    }
    Ok(())
}

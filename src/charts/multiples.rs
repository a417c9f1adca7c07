//! Small multiples: the same chart once per group (wijk) in a grid, all on the same scales, so
//! the werkgroep compares groups by eye instead of by reading axes. A suppressed group keeps
//! its place in the grid and says why it is empty.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::VPos;

use super::canvas::{Canvas, Font, Rect};
use super::palette::{GRID, INK};
use super::render::{self, Domain, EMPTY_HEIGHT};
use super::{Chart, ChartError, Multiples, text};

const HEADER: f64 = 28.0;
const HEADER_SIZE: f64 = 18.0;
const GAP: f64 = 20.0;

fn first_chart(chart: &Multiples) -> Option<&Chart> {
    chart.panels.iter().find_map(|p| p.chart.as_deref())
}

/// Label-heavy kinds get two wide columns; lines and histograms fit three.
fn columns(chart: &Multiples) -> usize {
    let wanted = match first_chart(chart) {
        Some(Chart::Bars(_) | Chart::Diverging(_)) => 2,
        _ => 3,
    };
    wanted.min(chart.panels.len()).max(1)
}

fn cell_width(chart: &Multiples, width: f64) -> f64 {
    let cols = columns(chart) as f64;
    (width - (cols - 1.0) * GAP) / cols
}

/// Every panel is as tall as the tallest, so rows line up.
fn panel_height(chart: &Multiples, width: f64) -> f64 {
    let cell = cell_width(chart, width);
    let body = chart
        .panels
        .iter()
        .map(|p| p.chart.as_deref().map_or(EMPTY_HEIGHT, |c| render::body_height(c, cell)))
        .fold(EMPTY_HEIGHT, f64::max);
    HEADER + body
}

pub(super) fn height(chart: &Multiples, width: f64) -> f64 {
    let rows = chart.panels.len().div_ceil(columns(chart)) as f64;
    rows * panel_height(chart, width) + (rows - 1.0).max(0.0) * GAP
}

/// The scales of all panels together.
fn shared_domain(chart: &Multiples) -> Option<Domain> {
    let mut charts = chart.panels.iter().filter_map(|p| p.chart.as_deref());
    let first = Domain::of(charts.next()?);
    Some(charts.fold(first, |domain, c| domain.merge(&Domain::of(c))))
}

pub(super) fn draw<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: Rect,
    chart: &Multiples,
) -> Result<(), ChartError> {
    let cols = columns(chart);
    let (cell_w, cell_h) = (cell_width(chart, frame.w), panel_height(chart, frame.w));
    let domain = shared_domain(chart);
    for (i, panel) in chart.panels.iter().enumerate() {
        let (row, col) = ((i / cols) as f64, (i % cols) as f64);
        let cell = Rect::new(frame.x + col * (cell_w + GAP), frame.y + row * (cell_h + GAP), cell_w, cell_h);
        let name = text::fit(&panel.name, cell.w, HEADER_SIZE);
        canvas.text(&name, (cell.x, cell.y), Font::new(HEADER_SIZE, INK).valign(VPos::Top))?;
        let rule_y = cell.y + HEADER - 6.0;
        canvas.line(&[(cell.x, rule_y), (cell.right(), rule_y)], GRID, 1.0)?;
        let body = cell.below(HEADER);
        match (&panel.chart, &domain) {
            (Some(c), Some(d)) => render::draw_body(canvas, body, c, d)?,
            _ => render::message(canvas, Rect { h: EMPTY_HEIGHT, ..body }, &chart.suppressed)?,
        }
    }
    Ok(())
}

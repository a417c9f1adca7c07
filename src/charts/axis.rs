//! Round tick values and the horizontal grid with its labels, shared by the histogram and the
//! trend lines. Ticks fall on 1, 2 or 5 times a power of ten so they read at a glance.

use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::HPos;

use super::ChartError;
use super::canvas::{Canvas, Font, Rect};
use super::palette::{GRID, MUTED, RULE};

pub(super) const TICK_SIZE: f64 = 13.0;

/// A step of 1, 2 or 5 × 10^k giving about `wanted` intervals over `span`.
pub(super) fn nice_step(span: f64, wanted: f64) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / wanted;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= raw * 0.999);
    step.unwrap_or(10.0 * power)
}

/// The ticks from `low` to `high` (both already on the step).
pub(super) fn ticks(low: f64, high: f64, step: f64) -> Vec<f64> {
    let count = ((high - low) / step).round().max(0.0) as i64;
    (0..=count).map(|i| low + i as f64 * step).collect()
}

/// A range widened outwards to whole steps.
pub(super) fn widen(low: f64, high: f64, wanted: f64) -> (f64, f64, f64) {
    let step = nice_step(high - low, wanted);
    ((low / step).floor() * step, (high / step).ceil() * step, step)
}

/// Horizontal grid lines with their labels left of `plot`, and the baseline.
pub(super) fn y_grid<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    plot: Rect,
    ticks: &[f64],
    y_of: &impl Fn(f64) -> f64,
    label: &impl Fn(f64) -> String,
) -> Result<(), ChartError> {
    for &tick in ticks {
        let y = y_of(tick);
        canvas.line(&[(plot.x, y), (plot.right(), y)], GRID, 1.0)?;
        let font = Font::new(TICK_SIZE, MUTED).align(HPos::Right);
        canvas.text(&label(tick), (plot.x - 6.0, y), font)?;
    }
    canvas.line(&[(plot.x, plot.bottom()), (plot.right(), plot.bottom())], RULE, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(10.0, 5.0), 2.0);
        assert_eq!(nice_step(100.0, 5.0), 20.0);
        assert_eq!(nice_step(4.0, 5.0), 1.0);
        assert_eq!(nice_step(1.0, 5.0), 0.2);
        assert_eq!(widen(1.3, 4.6, 5.0), (1.0, 5.0, 1.0));
    }
}

//! Legends as a flowing line of swatches and names that wraps when the names do not fit, so a
//! seven-point scale with long labels stays readable in a narrow panel.

use plotters::prelude::{DrawingBackend, RGBColor};

use super::ChartError;
use super::canvas::{Canvas, Font, Rect, text_width};
use super::palette::INK;
use super::text;

pub(super) const SIZE: f64 = 15.0;
const LINE: f64 = 20.0;
const SWATCH: f64 = 14.0;
const AFTER_SWATCH: f64 = 5.0;
const BETWEEN: f64 = 16.0;

/// How an entry's key is drawn.
#[derive(Clone, Copy, Debug)]
pub(super) enum Key {
    /// A filled square, for bars.
    Block,
    /// A short line with a dot, for trend series.
    Line { width: f64 },
}

/// Where each entry goes: (x offset, line number), and each entry's shortened name.
fn place(names: &[String], width: f64, key_width: f64) -> Vec<(f64, usize, String)> {
    let mut placed = Vec::with_capacity(names.len());
    let (mut x, mut line) = (0.0, 0);
    for name in names {
        let name = text::fit(name, (width - key_width - AFTER_SWATCH).max(20.0), SIZE);
        let entry = key_width + AFTER_SWATCH + text_width(&name, SIZE);
        if x > 0.0 && x + entry > width {
            x = 0.0;
            line += 1;
        }
        placed.push((x, line, name));
        x += entry + BETWEEN;
    }
    placed
}

fn key_width(key: Key) -> f64 {
    match key {
        Key::Block => SWATCH,
        Key::Line { .. } => 24.0,
    }
}

/// Height the legend takes in `width` pixels, its bottom gap included.
pub(super) fn height(names: &[String], width: f64, key: Key) -> f64 {
    let lines = place(names, width, key_width(key)).last().map_or(0, |p| p.1 + 1);
    lines as f64 * LINE + 6.0
}

/// Draws the legend at the top of `frame`.
pub(super) fn draw<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    frame: Rect,
    entries: &[(String, RGBColor)],
    key: Key,
) -> Result<(), ChartError> {
    let names: Vec<String> = entries.iter().map(|e| e.0.clone()).collect();
    let kw = key_width(key);
    for ((x, line, name), (_, color)) in place(&names, frame.w, kw).into_iter().zip(entries) {
        let left = frame.x + x;
        let middle = frame.y + line as f64 * LINE + LINE / 2.0;
        match key {
            Key::Block => {
                let swatch = Rect::new(left, middle - SWATCH / 2.0, SWATCH, SWATCH);
                canvas.rect(swatch, *color)?;
            }
            Key::Line { width } => {
                canvas.line(&[(left, middle), (left + kw, middle)], *color, width)?;
                canvas.dot((left + kw / 2.0, middle), width + 1.5, *color)?;
            }
        }
        canvas.text(&name, (left + kw + AFTER_SWATCH, middle), Font::new(SIZE, INK))?;
    }
    Ok(())
}

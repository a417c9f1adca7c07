//! PNG output. plotters' bitmap backend encodes PNG only when saving to a file (its encoder,
//! the `image` crate, is not re-exported), so the picture is drawn into a uniquely named
//! temporary file, read back and removed. This keeps the crate free of a direct `image`
//! dependency; adding one would allow encoding in memory.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use plotters::prelude::BitMapBackend;

use super::{Chart, ChartError, render};

/// PNGs are drawn at twice the SVG's size, for reports and projectors.
pub(super) const SCALE: u32 = 2;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A file name no other render in this or another process uses.
fn temp_path() -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("peil-chart-{}-{n}.png", std::process::id()))
}

pub(super) fn render(chart: &Chart, size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let path = temp_path();
    let drawn = render::draw(BitMapBackend::new(&path, size), chart, f64::from(SCALE));
    let bytes = drawn.and_then(|()| std::fs::read(&path).map_err(ChartError::from));
    // Best effort: a failed draw may not have created the file.
    let _ = std::fs::remove_file(&path);
    bytes
}

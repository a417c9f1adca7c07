//! PNG output: the chart is drawn into an RGB buffer by plotters' bitmap backend and encoded in
//! memory with the `image` crate (plotters itself only encodes when saving to a file, which
//! would need a writable temporary directory on the server).

use image::ImageEncoder;
use image::codecs::png::PngEncoder;
use plotters::prelude::BitMapBackend;

use super::{Chart, ChartError, render};

/// PNGs are drawn at twice the SVG's size, for reports and projectors.
pub(super) const SCALE: u32 = 2;

pub(super) fn render(chart: &Chart, size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let (width, height) = size;
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    render::draw(BitMapBackend::with_buffer(&mut pixels, size), chart, f64::from(SCALE))?;
    let mut png = Vec::new();
    PngEncoder::new(&mut png)
        .write_image(&pixels, width, height, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Draw(e.to_string()))?;
    Ok(png)
}

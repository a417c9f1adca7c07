//! The bundled DejaVu Sans, registered with plotters once. With `ab_glyph` instead of
//! fontconfig, plotters knows no fonts at all until one is registered, so every entry point
//! calls [`register`] first. The family name doubles as the SVG `font-family`, so a browser uses
//! DejaVu Sans when it has it and its own sans-serif otherwise.

use std::sync::OnceLock;

use plotters::style::FontStyle;

use super::ChartError;

/// The family every chart text uses; also written verbatim into the SVG.
pub(super) const FAMILY: &str = "DejaVu Sans, sans-serif";

static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static REGISTERED: OnceLock<bool> = OnceLock::new();

/// Registers the font on first use; later calls only read the outcome.
pub(super) fn register() -> Result<(), ChartError> {
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).is_ok());
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

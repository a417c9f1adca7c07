//! The bundled DejaVu Sans, regular and bold: krilla embeds it, and ab_glyph (already in the
//! tree through the charts) measures it, so text can be wrapped, centred and right-aligned.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef};
use krilla::text::Font;

use super::{PdfError, Weight};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// krilla's fonts, read once: regular, bold.
pub(super) fn krilla_fonts() -> Result<(Font, Font), PdfError> {
    static FONTS: OnceLock<Option<(Font, Font)>> = OnceLock::new();
    FONTS
        .get_or_init(|| Some((Font::new(REGULAR.into(), 0)?, Font::new(BOLD.into(), 0)?)))
        .clone()
        .ok_or(PdfError::Font)
}

fn metrics(weight: Weight) -> Option<&'static FontRef<'static>> {
    static METRICS: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    let fonts = METRICS
        .get_or_init(|| Some((FontRef::try_from_slice(REGULAR).ok()?, FontRef::try_from_slice(BOLD).ok()?)))
        .as_ref()?;
    Some(match weight {
        Weight::Regular => &fonts.0,
        Weight::Bold => &fonts.1,
    })
}

/// The width of `text` in points at `size` (points per em), kerning left out (a point at most
/// per pair). From font units directly: ab_glyph's own scale is the font's height, not its em.
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    let Some(font) = metrics(weight) else { return 0.0 };
    let Some(per_em) = font.units_per_em() else { return 0.0 };
    let units: f32 = text.chars().map(|c| font.h_advance_unscaled(font.glyph_id(c))).sum();
    units * size / per_em
}

/// The em size (points per em) of text set at `height` in ab_glyph's (and so plotters') sense,
/// where a size is the font's whole height, ascender to descender: a chart's 15 px label is a
/// 12.9 px em in DejaVu Sans.
pub fn em_of_height(height: f32) -> f32 {
    let Some(font) = metrics(Weight::Regular) else { return height };
    let Some(per_em) = font.units_per_em() else { return height };
    height * per_em / font.height_unscaled()
}

/// `text` broken at spaces into lines no wider than `max_width`; a word wider than that on its
/// own gets a line of its own rather than being cut.
pub fn wrap(text: &str, size: f32, weight: Weight, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if !line.is_empty() && text_width(&candidate, size, weight) > max_width {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_text_is_wider_and_twice_the_size_twice_as_wide() {
        let regular = text_width("Bewijs van deelname", 10.0, Weight::Regular);
        assert!(regular > 50.0 && regular < 150.0, "{regular}");
        assert!(text_width("Bewijs van deelname", 10.0, Weight::Bold) > regular);
        let double = text_width("Bewijs van deelname", 20.0, Weight::Regular);
        assert!((double - 2.0 * regular).abs() < 0.01);
    }

    #[test]
    fn wrapping_keeps_every_word_and_each_line_fits() {
        let text = "Intervisie POH-GGZ onder leiding van een kaderhuisarts ggz, in Utrecht West";
        let lines = wrap(text, 10.0, Weight::Regular, 120.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        assert!(lines.iter().all(|l| text_width(l, 10.0, Weight::Regular) <= 120.0));
    }
}

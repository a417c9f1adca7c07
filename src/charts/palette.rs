//! Colours, chosen for a projector and for colour-blind readers: one calm blue for plain bars,
//! a red–grey–blue diverging ramp (ColorBrewer RdBu ends) for scales, Okabe–Ito hues for trend
//! series (ink for the region), and text colours picked by contrast rather than by eye.

use plotters::prelude::RGBColor;

pub(super) const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
pub(super) const INK: RGBColor = RGBColor(31, 41, 51);
pub(super) const MUTED: RGBColor = RGBColor(82, 96, 109);
pub(super) const RULE: RGBColor = RGBColor(154, 165, 177);
pub(super) const GRID: RGBColor = RGBColor(228, 231, 235);
pub(super) const BAR: RGBColor = RGBColor(43, 108, 176);
pub(super) const MIDDLE: RGBColor = RGBColor(208, 208, 208);

const DISAGREE: (RGBColor, RGBColor) = (RGBColor(178, 24, 43), RGBColor(244, 165, 130));
const AGREE: (RGBColor, RGBColor) = (RGBColor(33, 102, 172), RGBColor(146, 197, 222));

/// The region's line: the ink of the text, darker than any group's, so the reference reads
/// as such in every panel and under every kind of colour vision.
pub(super) const FIRST_SERIES: RGBColor = INK;
/// Okabe–Ito's vermilion, blue and bluish green: the three of that palette that keep at least
/// 3:1 against white (thin lines on a projector) and stay apart from each other and from the
/// region's ink for protan and deutan readers (`vision`'s test measures it). A trend draws the
/// region and one group; more groups repeat the colours.
const SERIES: [RGBColor; 3] = [RGBColor(213, 94, 0), RGBColor(0, 114, 178), RGBColor(0, 158, 115)];

/// The colour of series `index`; the first is the region's.
pub(super) fn series(index: usize) -> RGBColor {
    match index {
        0 => FIRST_SERIES,
        i => SERIES[(i - 1) % SERIES.len()],
    }
}

/// How many series have colours of their own.
#[cfg(test)]
pub(super) const DISTINCT_SERIES: usize = 1 + SERIES.len();

/// One colour per scale point, low to high: strong red at the low end fading towards the
/// middle, grey for an odd scale's middle, light to strong blue towards the high end.
pub(super) fn diverging(points: usize) -> Vec<RGBColor> {
    let side = points / 2;
    let ramp = |(strong, pale): (RGBColor, RGBColor), i: usize| {
        let t = if side <= 1 { 0.35 } else { i as f64 / (side - 1) as f64 };
        mix(strong, pale, t)
    };
    let mut colors: Vec<_> = (0..side).map(|i| ramp(DISAGREE, i)).collect();
    if points % 2 == 1 {
        colors.push(MIDDLE);
    }
    colors.extend((0..side).rev().map(|i| ramp(AGREE, i)));
    colors
}

fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let channel = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
}

/// White or ink, whichever contrasts more with `fill`.
pub(super) fn text_on(fill: RGBColor) -> RGBColor {
    let white = contrast(luminance(BACKGROUND), luminance(fill));
    let ink = contrast(luminance(fill), luminance(INK));
    if white >= ink { BACKGROUND } else { INK }
}

pub(super) fn luminance(c: RGBColor) -> f64 {
    let linear = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.040_45 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2)
}

pub(super) fn contrast(lighter: f64, darker: f64) -> f64 {
    (lighter + 0.05) / (darker + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_five_point_scale_gets_two_reds_a_grey_and_two_blues() {
        let colors = diverging(5);
        assert_eq!(colors.len(), 5);
        assert_eq!(colors[0], DISAGREE.0);
        assert_eq!(colors[2], MIDDLE);
        assert_eq!(colors[4], AGREE.0);
        assert_eq!(diverging(4).len(), 4);
    }

    #[test]
    fn text_on_dark_fills_is_white_and_on_light_fills_ink() {
        assert_eq!(text_on(BAR), BACKGROUND);
        assert_eq!(text_on(MIDDLE), INK);
    }
}

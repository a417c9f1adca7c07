//! Colour vision for the tests of the palette: how a colour looks to a reader with protanopia
//! or deuteranopia (the simulation of Machado, Oliveira and Fernandes 2009, severity 1.0,
//! applied in linear RGB), and how far apart two colours look (CIE 1976 ΔE in CIELAB, D65).
//! Between the trend lines the question is whether two series can be told apart at all, for
//! which ΔE76 is the plain, published measure; about 2.3 is a just-noticeable difference.

use plotters::prelude::RGBColor;

/// A 3×3 matrix on linear RGB.
type Matrix = [[f64; 3]; 3];

const NORMAL: Matrix = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

/// Machado et al. 2009, table for protanopia at severity 1.0.
const PROTANOPIA: Matrix = [
    [0.152_286, 1.052_583, -0.204_868],
    [0.114_503, 0.786_281, 0.099_216],
    [-0.003_882, -0.048_116, 1.051_998],
];

/// Machado et al. 2009, table for deuteranopia at severity 1.0.
const DEUTERANOPIA: Matrix = [
    [0.367_322, 0.860_646, -0.227_968],
    [0.280_085, 0.672_501, 0.047_413],
    [-0.011_820, 0.042_940, 0.968_881],
];

/// The kinds of vision every pair of series colours is checked under.
pub(super) const VISIONS: [(&str, Matrix); 3] =
    [("normaal", NORMAL), ("protanopie", PROTANOPIA), ("deuteranopie", DEUTERANOPIA)];

/// sRGB channel (0–255) to linear light (0–1).
fn linear(v: u8) -> f64 {
    let v = f64::from(v) / 255.0;
    if v <= 0.040_45 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
}

/// The colour as CIELAB (L*, a*, b*) after `vision`'s matrix, clamped to the displayable range.
pub(super) fn lab(color: RGBColor, vision: &Matrix) -> [f64; 3] {
    let rgb = [linear(color.0), linear(color.1), linear(color.2)];
    let seen: Vec<f64> = vision
        .iter()
        .map(|row| row.iter().zip(&rgb).map(|(m, c)| m * c).sum::<f64>().clamp(0.0, 1.0))
        .collect();
    // Linear sRGB to CIE XYZ (D65), then relative to the D65 white.
    let xyz = [
        (0.412_4 * seen[0] + 0.357_6 * seen[1] + 0.180_5 * seen[2]) / 0.950_47,
        0.212_6 * seen[0] + 0.715_2 * seen[1] + 0.072_2 * seen[2],
        (0.019_3 * seen[0] + 0.119_2 * seen[1] + 0.950_5 * seen[2]) / 1.088_83,
    ];
    let f = |t: f64| {
        let epsilon = 216.0 / 24_389.0;
        if t > epsilon { t.cbrt() } else { (24_389.0 / 27.0 * t + 16.0) / 116.0 }
    };
    let (fx, fy, fz) = (f(xyz[0]), f(xyz[1]), f(xyz[2]));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// CIE 1976 colour difference as `vision` sees it.
pub(super) fn delta_e(a: RGBColor, b: RGBColor, vision: &Matrix) -> f64 {
    let (a, b) = (lab(a, vision), lab(b, vision));
    a.iter().zip(&b).map(|(x, y)| (x - y).powi(2)).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::super::palette::{self, BACKGROUND};
    use super::*;

    /// Thin lines that must be told apart at a glance, not side by side in a swatch book: fifteen
    /// times "just noticeable" (2.3). The closest pair now is vermilion and green for a protan
    /// reader, about 37.
    const APART: f64 = 35.0;

    #[test]
    fn white_and_black_are_a_hundred_apart_for_everyone() {
        for (name, vision) in VISIONS {
            let d = delta_e(RGBColor(255, 255, 255), RGBColor(0, 0, 0), &vision);
            assert!((d - 100.0).abs() < 0.5, "{name}: {d}");
            let white = lab(RGBColor(255, 255, 255), &vision);
            assert!(white[1].abs() < 0.5 && white[2].abs() < 0.5, "{name}: white stays neutral {white:?}");
        }
    }

    #[test]
    fn red_and_green_collapse_for_protan_and_deutan_readers_as_published() {
        // The case the simulation exists for: pure red and a green of similar lightness are far
        // apart in normal vision and close for red–green blindness.
        let (red, green) = (RGBColor(200, 0, 0), RGBColor(0, 110, 0));
        assert!(delta_e(red, green, &NORMAL) > 100.0);
        assert!(delta_e(red, green, &PROTANOPIA) < 25.0, "{}", delta_e(red, green, &PROTANOPIA));
        assert!(delta_e(red, green, &DEUTERANOPIA) < 25.0, "{}", delta_e(red, green, &DEUTERANOPIA));
    }

    #[test]
    fn every_pair_of_trend_colours_stays_apart_for_protan_and_deutan_readers() {
        let colors: Vec<RGBColor> = (0..palette::DISTINCT_SERIES).map(palette::series).collect();
        for (i, a) in colors.iter().enumerate() {
            for (j, b) in colors.iter().enumerate().skip(i + 1) {
                for (name, vision) in VISIONS {
                    let d = delta_e(*a, *b, &vision);
                    assert!(d >= APART, "series {i} {a:?} and {j} {b:?} are {d:.1} apart for {name}");
                }
            }
        }
    }

    #[test]
    fn every_trend_colour_keeps_three_to_one_against_the_background() {
        for i in 0..palette::DISTINCT_SERIES {
            let c = palette::series(i);
            let ratio = palette::contrast(palette::luminance(BACKGROUND), palette::luminance(c));
            assert!(ratio >= 3.0, "series {i} {c:?}: {ratio:.2}");
        }
    }
}

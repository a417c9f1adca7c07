//! Where the "n=13" beside each dot of a trend goes. Two lines close together, or many rounds
//! in a narrow panel of a small multiple, put labels on top of each other; then neither can be
//! read. Each label is measured with the bundled font and tried above its dot, then below;
//! one that fits nowhere free is left out (the table under the chart has every n).

use super::canvas::{Rect, text_width};

/// Room between a dot's edge and its label.
const GAP: f64 = 3.0;

/// A dot to label: where it is and what its label says.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Dot {
    pub series: usize,
    pub x: f64,
    pub y: f64,
    pub radius: f64,
    pub text: String,
}

/// A label that found room: its text is centred on `center`, inside `area`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Placed {
    pub series: usize,
    pub center: (f64, f64),
    pub area: Rect,
    pub text: String,
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
}

fn inside(a: &Rect, bounds: &Rect) -> bool {
    a.x >= bounds.x && a.right() <= bounds.right() && a.y >= bounds.y && a.bottom() <= bounds.bottom()
}

fn dot_area(d: &Dot) -> Rect {
    Rect::new(d.x - d.radius, d.y - d.radius, 2.0 * d.radius, 2.0 * d.radius)
}

/// Places the labels of `dots`, series by series in `order` (the first gets the best places),
/// each above its dot or, failing that, below; never over another label, any dot or what is
/// `taken` already (the axis title), never outside `bounds`. The first series in `order` prefers above, the next below, and so on, so
/// two lines' labels start on opposite sides.
pub(super) fn place(dots: &[Dot], order: &[usize], bounds: Rect, taken: &[Rect], size: f64) -> Vec<Placed> {
    let obstacles: Vec<Rect> = dots.iter().map(dot_area).chain(taken.iter().copied()).collect();
    let mut placed: Vec<Placed> = Vec::new();
    for (rank, &series) in order.iter().enumerate() {
        for dot in dots.iter().filter(|d| d.series == series) {
            let (w, h) = (text_width(&dot.text, size), size);
            let offset = dot.radius + GAP + h / 2.0;
            let sides = if rank % 2 == 0 { [-offset, offset] } else { [offset, -offset] };
            let free = sides.into_iter().map(|dy| (dot.x, dot.y + dy)).find(|&(x, y)| {
                let area = Rect::new(x - w / 2.0, y - h / 2.0, w, h);
                inside(&area, &bounds)
                    && !obstacles.iter().any(|o| overlaps(&area, o))
                    && !placed.iter().any(|p| overlaps(&area, &p.area))
            });
            if let Some((x, y)) = free {
                let area = Rect::new(x - w / 2.0, y - h / 2.0, w, h);
                placed.push(Placed { series, center: (x, y), area, text: dot.text.clone() });
            }
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZE: f64 = 12.0;

    fn dot(series: usize, x: f64, y: f64, n: u64) -> Dot {
        Dot { series, x, y, radius: 4.0, text: format!("n={n}") }
    }

    fn assert_apart(placed: &[Placed], dots: &[Dot], bounds: &Rect) {
        for (i, a) in placed.iter().enumerate() {
            assert!(inside(&a.area, bounds), "{a:?} outside {bounds:?}");
            for b in &placed[i + 1..] {
                assert!(!overlaps(&a.area, &b.area), "{a:?} overlaps {b:?}");
            }
            for d in dots {
                assert!(!overlaps(&a.area, &dot_area(d)), "{a:?} covers {d:?}");
            }
        }
    }

    #[test]
    fn labels_of_two_close_lines_go_to_opposite_sides_without_touching() {
        super::super::font::register().unwrap();
        let bounds = Rect::new(0.0, 0.0, 240.0, 200.0);
        // A wijk just under the region, as in a small multiple's panel: the old layout put the
        // wijk's "n=5" above its dot and the region's "n=13" below its own, into each other.
        let dots: Vec<Dot> = (0..3)
            .flat_map(|i| {
                [dot(1, 40.0 + 80.0 * i as f64, 108.0, 5), dot(0, 40.0 + 80.0 * i as f64, 100.0, 13)]
            })
            .collect();
        let placed = place(&dots, &[1, 0], bounds, &[], SIZE);
        assert_apart(&placed, &dots, &bounds);
        assert_eq!(placed.len(), 6, "there is room for all: {placed:?}");
        for p in &placed {
            let own = if p.series == 1 { 108.0 } else { 100.0 };
            let below = p.center.1 > own;
            assert_eq!(below, p.series == 1, "the lower line's labels go below, the upper's above: {p:?}");
        }
    }

    #[test]
    fn labels_in_a_narrow_panel_are_left_out_rather_than_overlap() {
        super::super::font::register().unwrap();
        // Eight rounds in 180 pixels: 22 pixels per round, less than "n=13" is wide.
        let bounds = Rect::new(0.0, 0.0, 180.0, 160.0);
        let dots: Vec<Dot> = (0..8)
            .flat_map(|i| {
                let x = 11.0 + 22.0 * i as f64;
                [dot(1, x, 80.0, 13), dot(0, x, 86.0, 61)]
            })
            .collect();
        assert!(text_width("n=13", SIZE) > 22.0);
        let placed = place(&dots, &[1, 0], bounds, &[], SIZE);
        assert_apart(&placed, &dots, &bounds);
        assert!(placed.iter().any(|p| p.series == 1), "some labels still fit: {placed:?}");
        assert!(placed.len() < dots.len(), "not all fit: {placed:?}");
    }

    #[test]
    fn a_label_that_would_leave_the_chart_goes_to_the_other_side() {
        super::super::font::register().unwrap();
        let bounds = Rect::new(0.0, 0.0, 200.0, 100.0);
        let dots = [dot(0, 100.0, 6.0, 40)];
        let placed = place(&dots, &[0], bounds, &[], SIZE);
        assert_eq!(placed.len(), 1);
        assert!(placed[0].center.1 > 6.0, "below the dot at the top edge: {placed:?}");
        assert_apart(&placed, &dots, &bounds);
    }
}

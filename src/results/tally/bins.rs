//! Histogram bins for the number questions, on the answers' own step.
//!
//! A bin holds whole steps of possible answers: the form's `step` (counted from its `min`), or
//! else the finest step the answers themselves use (whole numbers, halves, quarters, tenths...).
//! Half-day answers 3, 3,5 ... 5 get one bin per value; when that would need more than
//! `MAX_BINS` bins, k steps are merged, k·step a round width (1, 2, 2,5 or 5 times a power of
//! ten) so the bins read "10 t/m 19", "20 t/m 29". A bin is labelled by the answers it can hold,
//! never by an edge that belongs to the next bin. The arithmetic is on whole multiples of the
//! smallest decimal the numbers use, so 0,1 + 0,2 is 0,3 here and edges do not drift.

use crate::charts::Bin;
use crate::results::figures::decimal;

const MAX_BINS: i128 = 12;
/// More decimals than this are rounded away: nobody types an answer that precise.
const MAX_DECIMALS: i32 = 6;

/// What the form says about a number question's possible answers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Grid {
    pub step: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// Sorted, finite values to bins; empty for no values.
pub(super) fn histogram(sorted: &[f64], grid: Grid) -> Vec<Bin> {
    let (Some(&lowest), Some(&highest)) = (sorted.first(), sorted.last()) else { return Vec::new() };
    let declared: Vec<f64> = [grid.step, grid.min, grid.max].into_iter().flatten().collect();
    let places = decimals(sorted.iter().chain(&declared), lowest.abs().max(highest.abs()));
    let scale = 10f64.powi(places);
    let to_units = |v: f64| (v * scale).round() as i128;
    let units: Vec<i128> = sorted.iter().map(|&v| to_units(v)).collect();
    let (step, origin) = grid
        .step
        .map(|s| (to_units(s), grid.min.map_or(0, to_units)))
        .filter(|&(s, o)| s >= 1 && units.iter().all(|u| (u - o).rem_euclid(s) == 0))
        .unwrap_or_else(|| (finest(&units, places), 0));
    let (first, last) = (units[0], units[units.len() - 1]);
    let width = widths(step).find(|&w| bin_of(last, origin, w) - bin_of(first, origin, w) < MAX_BINS);
    // Only a spread beyond 10^35 units has no round width; two bins then.
    let width = width.unwrap_or(last - first + step);
    let start = bin_of(first, origin, width);
    let count = bin_of(last, origin, width) - start + 1;
    let bounds = (grid.min.map(to_units), grid.max.map(to_units));
    let value = |u: i128| decimal(u as f64 / scale, places as usize);
    let mut bins: Vec<Bin> = (start..start + count)
        .map(|i| {
            let held = origin + i * width;
            let from = bounds.0.map_or(held, |m| held.max(m));
            let to = bounds.1.map_or(held + width - step, |m| (held + width - step).min(m));
            let label = if from >= to { value(from) } else { format!("{} t/m {}", value(from), value(to)) };
            // The bar reaches half a step past the answers it holds, so neighbours touch and a
            // value sits under the middle of its bar.
            let edge = |u: i128| (u as f64 - step as f64 / 2.0) / scale;
            Bin { low: edge(held), high: edge(held + width), count: 0, label }
        })
        .collect();
    for &u in &units {
        bins[(bin_of(u, origin, width) - start) as usize].count += 1;
    }
    bins
}

/// The fewest decimal places (at most `MAX_DECIMALS`) that write every value exactly, and fewer
/// when the largest value would not fit in whole units.
fn decimals<'a>(values: impl Iterator<Item = &'a f64> + Clone, largest: f64) -> i32 {
    let exact = |places: i32| {
        let scale = 10f64.powi(places);
        values.clone().all(|v| ((v * scale) - (v * scale).round()).abs() < 1e-6)
    };
    let needed = (0..MAX_DECIMALS).find(|&p| exact(p)).unwrap_or(MAX_DECIMALS);
    // 1e30 units is far inside i128; values that large are not answers anyway.
    (0..=needed).rev().find(|&p| largest * 10f64.powi(p) < 1e30).unwrap_or(0)
}

/// The coarsest of 1, ½, ¼, 1/10, 1/20, 1/40, 1/100... (in units of `10^-places`) that all
/// values are multiples of: the step the answers use.
fn finest(units: &[i128], places: i32) -> i128 {
    (0..=places)
        .map(|p| 10i128.pow((places - p) as u32))
        .flat_map(|t| [t, t / 2, t / 4].into_iter().zip([true, t % 2 == 0, t % 4 == 0]))
        .filter_map(|(t, whole)| whole.then_some(t))
        .find(|&t| t >= 1 && units.iter().all(|u| u % t == 0))
        .unwrap_or(1)
}

/// Bin widths to try, narrowest first: the step itself, then round widths (1, 2, 2,5, 5 times a
/// power of ten, in units) that are whole multiples of it.
fn widths(step: i128) -> impl Iterator<Item = i128> {
    let round = (0..36u32).flat_map(|e| {
        let p = 10i128.pow(e);
        // 2,5 is only whole from 10 units up.
        [p, 2 * p, if e > 0 { 25 * p / 10 } else { 2 * p }, 5 * p]
    });
    std::iter::once(step).chain(round.filter(move |&w| w > step && w % step == 0))
}

fn bin_of(unit: i128, origin: i128, width: i128) -> i128 {
    (unit - origin).div_euclid(width)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(bins: &[Bin]) -> Vec<&str> {
        bins.iter().map(|b| b.label.as_str()).collect()
    }

    fn counts(bins: &[Bin]) -> Vec<u64> {
        bins.iter().map(|b| b.count).collect()
    }

    fn free(values: &[f64]) -> Vec<Bin> {
        histogram(values, Grid::default())
    }

    #[test]
    fn half_days_get_one_bin_per_half_labelled_by_its_value() {
        let bins = free(&[3.0, 3.0, 3.5, 4.0, 4.5, 4.5, 4.5, 5.0]);
        assert_eq!(labels(&bins), ["3", "3,5", "4", "4,5", "5"]);
        assert_eq!(counts(&bins), [2, 1, 1, 3, 1]);
        // The bar of the 3s is centred on 3 and touches the bar of the 3,5s.
        assert_eq!((bins[0].low, bins[0].high, bins[1].low), (2.75, 3.25, 3.25));
    }

    #[test]
    fn small_whole_number_ranges_get_one_bin_per_value_including_the_empty_ones() {
        let bins = free(&[1.0, 2.0, 2.0, 5.0]);
        assert_eq!(labels(&bins), ["1", "2", "3", "4", "5"]);
        assert_eq!(counts(&bins), [1, 2, 0, 0, 1]);
    }

    #[test]
    fn whole_numbers_0_to_97_merge_into_tens_labelled_by_what_they_hold() {
        let values: Vec<f64> = (0..=97).map(f64::from).collect();
        let bins = free(&values);
        let expected: Vec<String> = (0..10).map(|i| format!("{} t/m {}", i * 10, i * 10 + 9)).collect();
        assert_eq!(labels(&bins), expected);
        assert_eq!(counts(&bins), [10, 10, 10, 10, 10, 10, 10, 10, 10, 8]);
    }

    #[test]
    fn a_declared_maximum_ends_the_last_label() {
        let values: Vec<f64> = (0..=97).map(f64::from).collect();
        let bins = histogram(&values, Grid { step: None, min: Some(0.0), max: Some(97.0) });
        assert_eq!(bins.last().map(|b| b.label.as_str()), Some("90 t/m 97"));
    }

    #[test]
    fn decimals_use_their_own_tenths_and_merge_on_round_widths() {
        let bins = free(&[0.1, 0.3, 0.3, 0.7]);
        assert_eq!(labels(&bins), ["0,1", "0,2", "0,3", "0,4", "0,5", "0,6", "0,7"]);
        assert_eq!(counts(&bins), [1, 0, 2, 0, 0, 0, 1]);
        let bins = free(&[0.05, 0.35, 1.0]);
        assert_eq!(
            labels(&bins),
            ["0 t/m 0,05", "0,1 t/m 0,15", "0,2 t/m 0,25", "0,3 t/m 0,35"]
                .into_iter()
                .chain(["0,4 t/m 0,45", "0,5 t/m 0,55", "0,6 t/m 0,65", "0,7 t/m 0,75"])
                .chain(["0,8 t/m 0,85", "0,9 t/m 0,95", "1 t/m 1,05"])
                .collect::<Vec<_>>()
        );
        assert_eq!(counts(&bins), [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn a_declared_step_counts_from_the_minimum() {
        let grid = Grid { step: Some(2.0), min: Some(1.0), max: Some(9.0) };
        let bins = histogram(&[1.0, 3.0, 3.0, 9.0], grid);
        assert_eq!(labels(&bins), ["1", "3", "5", "7", "9"]);
        assert_eq!(counts(&bins), [1, 2, 0, 0, 1]);
        // Quarter hours, declared: 0,25 apart even when the answers only use halves.
        let grid = Grid { step: Some(0.25), min: None, max: None };
        assert_eq!(labels(&histogram(&[1.0, 1.5], grid)), ["1", "1,25", "1,5"]);
    }

    #[test]
    fn answers_off_a_declared_step_fall_back_to_their_own_step() {
        let grid = Grid { step: Some(2.0), min: Some(0.0), max: None };
        assert_eq!(labels(&histogram(&[1.0, 2.0, 3.0], grid)), ["1", "2", "3"]);
    }

    #[test]
    fn negative_values_get_bins_that_hold_them() {
        let bins = free(&[-12.0, -3.0, 3.0]);
        assert_eq!(
            labels(&bins),
            ["-12 t/m -11", "-10 t/m -9", "-8 t/m -7", "-6 t/m -5"]
                .into_iter()
                .chain(["-4 t/m -3", "-2 t/m -1", "0 t/m 1", "2 t/m 3"])
                .collect::<Vec<_>>()
        );
        assert_eq!(counts(&bins), [1, 0, 0, 0, 1, 0, 0, 1]);
        assert_eq!(labels(&free(&[-1.5, -0.5])), ["-1,5", "-1", "-0,5"]);
    }

    #[test]
    fn one_value_gets_one_bin_labelled_by_it() {
        assert_eq!(free(&[7.0]), vec![Bin { low: 6.5, high: 7.5, count: 1, label: "7".into() }]);
        assert_eq!(labels(&free(&[2.5, 2.5])), ["2,5"]);
    }

    #[test]
    fn every_value_lands_in_a_bin_whatever_the_spread() {
        let values = [-0.001, 0.37, 12.5, 980.0, 123_456.75];
        let bins = free(&values);
        assert!(bins.len() <= MAX_BINS as usize, "{bins:?}");
        assert_eq!(counts(&bins).iter().sum::<u64>(), 5);
    }

    #[test]
    fn no_values_no_bins() {
        assert!(free(&[]).is_empty());
    }
}

//! Histogram bins on round numbers, for the number questions.
//!
//! Widths are 1, 2, 2.5 or 5 times a power of ten (integers only for integer data), the
//! smallest such width that needs at most `MAX_BINS` bins; edges are whole multiples of the
//! width, so the axis reads 0, 5, 10 rather than 0.37, 5.12. Integer data gets bins that hold
//! whole values (`[4, 5)` holds the 4s), so with width 1 each bar is one value.

use crate::charts::Bin;

const MAX_BINS: i64 = 12;

/// Sorted, finite values to bins; empty for no values.
pub(super) fn histogram(sorted: &[f64]) -> Vec<Bin> {
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else { return Vec::new() };
    let integers = sorted.iter().all(|v| v.fract() == 0.0);
    let width = (0..400)
        .map(Width::nth)
        .filter(|w| !integers || w.at_least_one())
        .find(|w| w.span(min, max, integers).2 <= MAX_BINS)
        .unwrap_or(Width { mantissa: 1, exponent: 300 });
    let (first, _, count) = width.span(min, max, integers);
    let mut bins: Vec<Bin> = (0..count)
        .map(|i| Bin { low: width.edge(first + i), high: width.edge(first + i + 1), count: 0 })
        .collect();
    let mut at = 0;
    for &v in sorted {
        // Values are sorted, so the bin index only moves forward.
        while at + 1 < bins.len() && v >= bins[at + 1].low {
            at += 1;
        }
        bins[at].count += 1;
    }
    bins
}

/// A width `mantissa / 10 * 10^exponent` (mantissa 10, 20, 25 or 50), kept exact as integers
/// so that edges come out as 0.1, 0.2, 0.3 and not 0.30000000000000004.
#[derive(Clone, Copy, Debug)]
struct Width {
    mantissa: i64,
    exponent: i32,
}

impl Width {
    /// The n-th width from 10^-6 upwards: 1e-6, 2e-6, 2.5e-6, 5e-6, 1e-5, ...
    fn nth(n: i32) -> Width {
        Width { mantissa: [10, 20, 25, 50][(n % 4) as usize], exponent: n / 4 - 6 }
    }

    fn at_least_one(self) -> bool {
        self.exponent > 0 || (self.exponent == 0 && self.mantissa % 10 == 0)
    }

    /// Edge number `i`: `i * width`, rounded once.
    fn edge(self, i: i64) -> f64 {
        let units = (i as f64) * (self.mantissa as f64);
        let scale = 10f64.powi((self.exponent - 1).abs());
        if self.exponent >= 1 { units * scale } else { units / scale }
    }

    fn value(self) -> f64 {
        self.edge(1)
    }

    /// The first edge index, the index after the last, and the number of bins.
    fn span(self, min: f64, max: f64, integers: bool) -> (i64, i64, i64) {
        let w = self.value();
        let first = (min / w).floor() as i64;
        let mut last = if integers { (max / w).floor() as i64 + 1 } else { (max / w).ceil() as i64 };
        if last <= first {
            last = first + 1;
        }
        (first, last, last - first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(bins: &[Bin]) -> Vec<f64> {
        let mut e: Vec<f64> = bins.iter().map(|b| b.low).collect();
        e.extend(bins.last().map(|b| b.high));
        e
    }

    #[test]
    fn small_integer_ranges_get_one_bin_per_value() {
        let bins = histogram(&[1.0, 2.0, 2.0, 5.0]);
        assert_eq!(edges(&bins), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(bins.iter().map(|b| b.count).collect::<Vec<_>>(), vec![1, 2, 0, 0, 1]);
    }

    #[test]
    fn wide_integer_ranges_get_round_widths() {
        let values: Vec<f64> = (0..=97).map(f64::from).collect();
        let bins = histogram(&values);
        assert_eq!(edges(&bins), (0..=10).map(|i| f64::from(i) * 10.0).collect::<Vec<_>>());
        assert_eq!(bins.iter().map(|b| b.count).sum::<u64>(), 98);
    }

    #[test]
    fn decimals_get_decimal_edges_and_the_maximum_lands_in_the_last_bin() {
        let bins = histogram(&[0.05, 0.35, 1.0]);
        assert_eq!(edges(&bins), vec![0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]);
        let counts: Vec<u64> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn one_value_gets_one_bin_and_negative_values_work() {
        assert_eq!(histogram(&[7.0]), vec![Bin { low: 7.0, high: 8.0, count: 1 }]);
        let bins = histogram(&[-12.0, 3.0]);
        assert!(bins.len() <= 12 && bins[0].low <= -12.0 && bins.last().unwrap().high > 3.0);
        assert_eq!(bins.iter().map(|b| b.count).sum::<u64>(), 2);
    }

    #[test]
    fn no_values_no_bins() {
        assert!(histogram(&[]).is_empty());
    }
}

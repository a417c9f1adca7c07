//! How many wijken a per-wijk job can be expected to show, said before its rounds run: with
//! 4–6 GPs per wijk and a threshold of 5, most wijken stay hidden in every round, and the
//! werkgroep should know that from the job's page rather than find out from empty charts.
//!
//! The estimate takes each wijk's contacts, expects [`ASSUMED_RESPONSE`] of them to answer
//! (rounded down), and runs the disclosure rule on those counts: a wijk needs `k` expected
//! respondents, and the wijken hidden together must not be a single small one that the region
//! minus the others would give away (`privacy::Disclosure`, the same rule as the results).

use super::Threshold;
use super::privacy::{Disclosure, Table};
use crate::results::Filter;

/// The response rate the estimate assumes: 60%, what the quarterly per-wijk surveys reached in
/// the pilot rounds; stated with every estimate so nobody reads it as a promise.
pub const ASSUMED_RESPONSE: u32 = 60;

/// The expectation for one job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feasibility {
    /// Wijken expected to be shown in a single round.
    pub shown: usize,
    /// Wijken the job invites (with at least one contact).
    pub wijken: usize,
    pub rate: u32,
    pub k: u32,
}

impl Feasibility {
    /// "bij 60% respons zijn naar verwachting 2 van 7 wijken te tonen (k = 5)".
    pub fn sentence(&self) -> String {
        let (rate, shown, wijken, k) = (self.rate, self.shown, self.wijken, self.k);
        let verb = if shown == 1 { "is" } else { "zijn" };
        format!("bij {rate}% respons {verb} naar verwachting {shown} van {wijken} wijken te tonen (k = {k})")
    }
}

/// The expectation for `invited` contacts per wijk at `rate` percent response.
pub fn expect(invited: &[(String, usize)], rate: u32, threshold: Threshold) -> Feasibility {
    let mut table = Table::default();
    let mut wijken = 0;
    for (wijk, n) in invited.iter().filter(|(w, n)| !w.is_empty() && *n > 0) {
        wijken += 1;
        // Whole respondents, rounded down: 60% of 6 is 3, not 3.6.
        let expected = (*n as u64) * u64::from(rate) / 100;
        table.add(wijk, "", expected);
    }
    let disclosure = Disclosure::new(&table, threshold);
    let shown = invited
        .iter()
        .filter(|(w, n)| !w.is_empty() && *n > 0)
        .filter(|(w, _)| disclosure.allows(&Filter { wijk: Some(w.clone()), role: None }))
        .count();
    Feasibility { shown, wijken, rate, k: threshold.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wijken(counts: &[(&str, usize)]) -> Vec<(String, usize)> {
        counts.iter().map(|(w, n)| (w.to_string(), *n)).collect()
    }

    #[test]
    fn a_wijk_needs_k_expected_respondents() {
        // 60% of 9 is 5 (shown), of 8 is 4 (hidden), of 4 is 2: the hidden two together are 6,
        // enough, so the region minus the shown wijk gives none of them away.
        let f = expect(&wijken(&[("noord", 9), ("zuid", 8), ("oost", 4)]), 60, Threshold(5));
        assert_eq!((f.shown, f.wijken), (1, 3));
        assert_eq!(f.sentence(), "bij 60% respons is naar verwachting 1 van 3 wijken te tonen (k = 5)");
    }

    #[test]
    fn a_single_small_wijk_left_over_hides_one_more() {
        // Noord 6 and zuid 6 expected, oost 2: the region minus noord and zuid would be oost, so
        // one of the large wijken is hidden with it.
        let f = expect(&wijken(&[("noord", 10), ("zuid", 10), ("oost", 4)]), 60, Threshold(5));
        assert_eq!((f.shown, f.wijken), (1, 3));
    }

    #[test]
    fn seven_wijken_of_four_to_six_gps_mostly_stay_hidden() {
        let gps = [
            ("centrum", 6),
            ("noord", 9),
            ("oost", 5),
            ("zuid", 5),
            ("west", 4),
            ("haven", 9),
            ("beekdal", 6),
        ];
        let f = expect(&wijken(&gps), 60, Threshold(5));
        assert_eq!((f.shown, f.wijken), (2, 7), "noord and haven expect 5 each; the rest 3 or 2");
        assert_eq!(f.sentence(), "bij 60% respons zijn naar verwachting 2 van 7 wijken te tonen (k = 5)");
        let all = expect(&wijken(&gps), 100, Threshold(4));
        assert_eq!(all.shown, 7);
    }

    #[test]
    fn wijken_without_contacts_do_not_count() {
        let f = expect(&wijken(&[("noord", 10), ("zuid", 0), ("", 3)]), 60, Threshold(5));
        assert_eq!((f.shown, f.wijken), (1, 1));
    }
}

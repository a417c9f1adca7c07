//! Which wijken may be shown pooled over several rounds of a job.
//!
//! A pooled wijk is a new view beside the ones every round publishes on its own: noord over four
//! rounds, minus noord in the three rounds where it was shown, is noord in the fourth round,
//! where it was hidden. So a pooled view is judged twice:
//! 1. as a round of its own, by the usual rule on the pooled table (`Disclosure::new`): the
//!    pooled group must have `k` respondents and its complements must not give a small one away;
//! 2. against everything the rounds publish (each round's shown views, on its cells only):
//!    with the pooled views added, still no union of cells with `0 < n < k` may be derivable
//!    (the same exact audit as step 3 of the rule). Wijken are added largest first, each only
//!    when the audit still passes with it.
//!
//! The cells are (round, wijk, role), so a round's role views and its wijk-and-role views take
//! part as published.

use std::collections::BTreeSet;

use super::audit::{Span, small_group_derivable};
use super::{Disclosure, Table};
use crate::results::Filter;

/// One round of the pool: who responded per (wijk, role), and what it shows of them.
pub struct Published<'a> {
    pub table: &'a Table,
    pub disclosure: &'a Disclosure,
}

/// The views of the pool that may be shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PooledViews {
    /// The region over all rounds of the pool.
    pub region: bool,
    pub wijken: BTreeSet<String>,
}

struct Cell<'a> {
    round: usize,
    wijk: &'a str,
    role: &'a str,
    n: u64,
}

impl Cell<'_> {
    fn in_view(&self, filter: &Filter) -> bool {
        filter.wijk.as_deref().is_none_or(|w| w == self.wijk)
            && filter.role.as_deref().is_none_or(|r| r == self.role)
    }
}

/// Decides the pooled views of `rounds`, given `pooled` (the usual rule on their summed table).
pub fn pooled_views(rounds: &[Published<'_>], pooled: &Disclosure) -> PooledViews {
    let cells: Vec<Cell<'_>> = (rounds.iter().enumerate())
        .flat_map(|(round, p)| {
            p.table.cells.iter().filter(|(_, n)| **n > 0).map(move |((wijk, role), n)| Cell {
                round,
                wijk,
                role,
                n: *n,
            })
        })
        .collect();
    let counts: Vec<u64> = cells.iter().map(|c| c.n).collect();
    let vector = |pick: &dyn Fn(&Cell<'_>) -> bool| -> Vec<i128> {
        cells.iter().map(|c| i128::from(pick(c))).collect()
    };
    let mut span = Span::new(cells.len());
    for (round, p) in rounds.iter().enumerate() {
        for filter in p.disclosure.shown.keys() {
            if span.insert(vector(&|c| c.round == round && c.in_view(filter))).is_none() {
                return PooledViews::default();
            }
        }
    }
    let safe = |span: &Span| small_group_derivable(span, &counts, pooled.k) == Some(false);
    let mut views = PooledViews::default();
    if !pooled.allows(&Filter::default()) || span.insert(vector(&|_| true)).is_none() || !safe(&span) {
        // What the rounds publish together (with their sum, the pooled region) is the floor;
        // should it not pass on its own, nothing pooled is added to it.
        return views;
    }
    views.region = true;
    let mut candidates: Vec<(&String, u64)> = (pooled.shown.iter())
        .filter(|(f, _)| f.role.is_none())
        .filter_map(|(f, n)| f.wijk.as_ref().map(|w| (w, *n)))
        .collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (wijk, _) in candidates {
        let mut tried = span.clone();
        let wanted = Filter { wijk: Some(wijk.clone()), role: None };
        if tried.insert(vector(&|c| c.in_view(&wanted))).is_some() && safe(&tried) {
            span = tried;
            views.wijken.insert(wijk.clone());
        }
    }
    views
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::Threshold;

    const K: Threshold = Threshold(5);

    fn table(cells: &[(&str, u64)]) -> Table {
        let mut t = Table::default();
        for (wijk, n) in cells {
            t.add(wijk, "huisarts", *n);
        }
        t
    }

    fn decide(rounds: &[Table]) -> PooledViews {
        let disclosures: Vec<Disclosure> = rounds.iter().map(|t| Disclosure::new(t, K)).collect();
        let mut sum = Table::default();
        for t in rounds {
            for ((w, r), n) in &t.cells {
                sum.add(w, r, *n);
            }
        }
        let published: Vec<Published<'_>> = rounds
            .iter()
            .zip(&disclosures)
            .map(|(table, disclosure)| Published { table, disclosure })
            .collect();
        pooled_views(&published, &Disclosure::new(&sum, K))
    }

    #[test]
    fn a_wijk_too_small_in_every_round_is_shown_over_four() {
        // Noord 3 of 6 each quarter, zuid 2, oost 4: every wijk hidden in every round.
        let round = table(&[("noord", 3), ("zuid", 2), ("oost", 4)]);
        let views = decide(&[round.clone(), round.clone(), round.clone(), round]);
        assert!(views.region);
        assert_eq!(
            views.wijken,
            BTreeSet::from(["noord".to_string(), "zuid".to_string(), "oost".to_string()])
        );
    }

    #[test]
    fn a_wijk_still_small_over_four_rounds_stays_hidden_and_so_does_its_complement() {
        // Zuid has 1 in each of four rounds: 4 < 5. Noord has 3 each (12). The region minus noord
        // would be zuid's 4, so noord cannot be shown pooled either.
        let round = table(&[("noord", 3), ("zuid", 1)]);
        let views = decide(&[round.clone(), round.clone(), round.clone(), round]);
        assert!(!views.wijken.contains("zuid"));
        assert!(!views.wijken.contains("noord"), "noord would give zuid away: {views:?}");
    }

    #[test]
    fn a_pool_that_adds_one_hidden_round_to_shown_ones_is_not_shown() {
        // Noord and zuid are shown in three rounds; in the fourth noord has 2, hidden (and zuid
        // with it). Noord pooled minus its three shown rounds would be those 2.
        let shown = table(&[("noord", 6), ("zuid", 7), ("oost", 6)]);
        let last = table(&[("noord", 2), ("zuid", 7), ("oost", 6)]);
        let views = decide(&[shown.clone(), shown.clone(), shown, last]);
        assert!(!views.wijken.contains("noord"), "{views:?}");
        // Oost, hidden with it in the fourth round to protect it, would give it away as well.
        assert!(!views.wijken.contains("oost"), "{views:?}");
        assert!(views.wijken.contains("zuid"), "{views:?}");
    }
}

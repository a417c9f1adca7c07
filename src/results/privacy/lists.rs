//! Which groups may show a list. A list is one entry per respondent, so a reader who sees the
//! lists of groups A and B also sees A minus B, B minus A and A and B together, as sets. The
//! listed groups are chosen so that every atom they cut the round into (respondents who share
//! the same "in or out" for every listed group) holds at least `k`; every set expression over
//! the lists is a union of atoms, so none gives fewer than `k` respondents away.
//!
//! Chosen greedily: the round as a whole first, then the wijken, the roles and the wijk-and-role
//! groups, each in order of size, largest first; a group joins only when its counts may be shown
//! and the atoms stay at `k` or more. Listing wijken and roles together needs every wijk-and-role
//! cell at `k` or more, so usually one of the two dimensions is listed.

use std::collections::{BTreeMap, BTreeSet};

use super::Views;
use crate::results::Filter;

/// The groups whose lists may be shown, given which views are `hidden` for counts.
pub(super) fn listed(views: &Views, hidden: &[bool], k: u64) -> BTreeSet<Filter> {
    let mut candidates: Vec<usize> =
        (0..views.list.len()).filter(|&v| !hidden[v] && views.list[v].n >= k).collect();
    // The round first, then wider groups before narrower ones, larger before smaller.
    let rank = |v: usize| match &views.list[v].filter {
        Filter { wijk: None, role: None } => 0,
        Filter { wijk: Some(_), role: None } => 1,
        Filter { wijk: None, role: Some(_) } => 2,
        Filter { wijk: Some(_), role: Some(_) } => 3,
    };
    candidates.sort_by_key(|&v| (rank(v), std::cmp::Reverse(views.list[v].n), v));
    let mut chosen: Vec<usize> = Vec::new();
    for v in candidates {
        chosen.push(v);
        if !atoms_hold(views, &chosen, k) {
            chosen.pop();
        }
    }
    chosen.into_iter().map(|v| views.list[v].filter.clone()).collect()
}

/// Whether every atom of the `chosen` views holds at least `k` respondents.
fn atoms_hold(views: &Views, chosen: &[usize], k: u64) -> bool {
    atoms(views, chosen).values().all(|&n| n >= k)
}

/// Respondents per atom: per pattern of membership in the `chosen` views, over the round's
/// non-empty cells.
fn atoms(views: &Views, chosen: &[usize]) -> BTreeMap<Vec<bool>, u64> {
    let mut atoms = BTreeMap::new();
    for (cell, &n) in views.counts.iter().enumerate() {
        let pattern = chosen.iter().map(|&v| views.list[v].cells.contains(&cell)).collect();
        *atoms.entry(pattern).or_default() += n;
    }
    atoms
}

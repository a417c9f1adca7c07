//! Which groups of respondents may be shown.
//!
//! A user can ask for the whole round, one wijk, one role, or one wijk and role. Everything
//! shown for such a view (its count, charts, tables, free texts) adds up over its respondents,
//! so whatever can be written as published views added and subtracted can be shown too: the
//! total minus the other wijken *is* the last wijk. Hiding a small group is therefore not
//! enough; the views around it must not give it away.
//!
//! The decision is made once per table, in three steps:
//! 1. primary: a view with `0 < n < k` is hidden (an empty view has nothing to show);
//! 2. complementary, greedily, over every "parent = children + rest" relation (the total over
//!    the wijken and over the roles, each wijk over its roles, each role over its wijken; the
//!    rest being respondents whose wijk or role was not kept): when the parent is shown, what
//!    is hidden under it must be nothing or, together, at least `k` and never a single hidden
//!    view; when the parent is hidden, something else under it must be hidden too. A missing
//!    piece is made up by hiding the smallest shown child that suffices (or the parent);
//! 3. an exact audit (see `audit`): no union of cells with `0 < n < k` may lie in the span of
//!    the shown views. Greedy rules miss combinations across relations, so when the audit
//!    fails more is hidden (every wijk-and-role view, then every role, then every wijk) until
//!    it passes; the total alone is always safe once it has `k` respondents.
//!
//! That rule is for counts. A list (free texts, one entry per respondent) adds up too, but it
//! can also be *subtracted as a set*: the texts of noord minus the texts of the huisartsen are
//! the texts of noord's other roles, whatever their count says. So lists have their own rule
//! (`lists`): the groups whose lists are shown are chosen so that every atom they make (every
//! non-empty intersection of listed groups and their complements, within the round) holds at
//! least `k` respondents; any set expression over them is then a union of atoms.
//!
//! Views over several rounds together (a wijk pooled over a job's last rounds) are judged in
//! `pooled`: by this rule on their summed table, and by the audit against what each round
//! publishes on its own.

mod audit;
mod lists;
pub mod pooled;

use std::collections::{BTreeMap, BTreeSet};

use super::{Filter, QuestionResult, Summary, Threshold};
use audit::Span;

/// Respondents per (wijk, role) cell; an empty string stands for "not kept" (an anonymous
/// response in a small group keeps no wijk or role).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub cells: BTreeMap<(String, String), u64>,
}

impl Table {
    pub fn add(&mut self, wijk: &str, role: &str, n: u64) {
        *self.cells.entry((wijk.to_string(), role.to_string())).or_default() += n;
    }
}

/// The decision, made once per table: which groups (filters) may be shown.
#[derive(Clone, Debug)]
pub struct Disclosure {
    shown: BTreeMap<Filter, u64>,
    /// The groups whose lists (one entry per respondent) may be shown; see `lists`.
    listed: BTreeSet<Filter>,
    k: u64,
}

impl Disclosure {
    pub fn new(table: &Table, threshold: Threshold) -> Disclosure {
        let views = Views::of(table);
        let k = u64::from(threshold.0);
        let mut hidden: Vec<bool> = views.list.iter().map(|v| v.n < k).collect();
        views.complement(&mut hidden, k);
        let escalations: [fn(&Filter) -> bool; 3] =
            [|f| f.wijk.is_some() && f.role.is_some(), |f| f.role.is_some(), |f| f.wijk.is_some()];
        for hide in escalations {
            if views.audit(&hidden, k) {
                break;
            }
            for (h, v) in hidden.iter_mut().zip(&views.list) {
                *h |= hide(&v.filter);
            }
        }
        let listed = lists::listed(&views, &hidden, k);
        let shown =
            (views.list.into_iter().zip(hidden)).filter(|(_, h)| !h).map(|(v, _)| (v.filter, v.n)).collect();
        Disclosure { shown, listed, k }
    }

    /// A question's result as it may be shown for a group that may be: when fewer than the
    /// threshold answered it (any item of a matrix), only how many did. A distribution of 4, a
    /// histogram of 4 or "lowest 2, highest 6" of 4 are those 4 people's answers.
    pub fn question(&self, result: QuestionResult) -> QuestionResult {
        let fewest = result.summary.fewest();
        if fewest == 0 || fewest >= self.k || matches!(result.summary, Summary::Answered(_)) {
            return result;
        }
        QuestionResult { summary: Summary::Withheld(result.summary.answered()), ..result }
    }

    /// Whether counts for this group may be shown: its count, charts and tables of counts.
    pub fn allows(&self, filter: &Filter) -> bool {
        self.shown.contains_key(filter)
    }

    /// Whether this group's list may be shown: its free texts, one entry per respondent.
    pub fn lists(&self, filter: &Filter) -> bool {
        self.listed.contains(filter)
    }

    /// The group's respondent count, when it may be shown.
    pub fn count(&self, filter: &Filter) -> Option<u64> {
        self.shown.get(filter).copied()
    }
}

/// A view: its filter, the non-empty cells it covers, and its respondents.
#[derive(Debug)]
struct View {
    filter: Filter,
    cells: Vec<usize>,
    n: u64,
}

/// `parent = children + rest`, with `rest` respondents in no child (wijk or role not kept).
#[derive(Debug)]
struct Relation {
    parent: usize,
    children: Vec<usize>,
    rest: u64,
}

#[derive(Debug)]
struct Views {
    /// Respondents per non-empty cell.
    counts: Vec<u64>,
    list: Vec<View>,
    relations: Vec<Relation>,
}

impl Views {
    fn of(table: &Table) -> Views {
        let cells: Vec<(&str, &str, u64)> = table
            .cells
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|((w, r), n)| (w.as_str(), r.as_str(), *n))
            .collect();
        let wijken: BTreeSet<&str> = cells.iter().map(|c| c.0).filter(|w| !w.is_empty()).collect();
        let roles: BTreeSet<&str> = cells.iter().map(|c| c.1).filter(|r| !r.is_empty()).collect();
        let mut list = Vec::new();
        let mut view = |wijk: Option<&str>, role: Option<&str>| {
            let covered: Vec<usize> = (cells.iter().enumerate())
                .filter(|(_, c)| wijk.is_none_or(|w| w == c.0) && role.is_none_or(|r| r == c.1))
                .map(|(i, _)| i)
                .collect();
            let n = covered.iter().map(|&i| cells[i].2).sum();
            let filter = Filter { wijk: wijk.map(str::to_string), role: role.map(str::to_string) };
            list.push(View { filter, cells: covered, n });
            list.len() - 1
        };
        let total = view(None, None);
        let by_wijk: Vec<usize> = wijken.iter().map(|w| view(Some(w), None)).collect();
        let by_role: Vec<usize> = roles.iter().map(|r| view(None, Some(r))).collect();
        let cross: Vec<Vec<usize>> =
            wijken.iter().map(|w| roles.iter().map(|r| view(Some(w), Some(r))).collect()).collect();
        let rest =
            |pick: &dyn Fn(&(&str, &str, u64)) -> bool| cells.iter().filter(|c| pick(c)).map(|c| c.2).sum();
        let mut relations = vec![
            Relation { parent: total, children: by_wijk.clone(), rest: rest(&|c| c.0.is_empty()) },
            Relation { parent: total, children: by_role.clone(), rest: rest(&|c| c.1.is_empty()) },
        ];
        for (wi, (w, &parent)) in wijken.iter().zip(&by_wijk).enumerate() {
            let children = cross[wi].clone();
            relations.push(Relation { parent, children, rest: rest(&|c| c.0 == *w && c.1.is_empty()) });
        }
        for (ri, (r, &parent)) in roles.iter().zip(&by_role).enumerate() {
            let children = cross.iter().map(|row| row[ri]).collect();
            relations.push(Relation { parent, children, rest: rest(&|c| c.1 == *r && c.0.is_empty()) });
        }
        Views { counts: cells.iter().map(|c| c.2).collect(), list, relations }
    }

    /// Step 2: hides views until every relation is safe on its own.
    fn complement(&self, hidden: &mut [bool], k: u64) {
        while let Some(more) = self.relations.iter().find_map(|rel| self.missing(rel, hidden, k)) {
            hidden[more] = true;
        }
    }

    /// The view to hide next for this relation to be safe, if it is not.
    fn missing(&self, rel: &Relation, hidden: &[bool], k: u64) -> Option<usize> {
        let n = |v: usize| self.list[v].n;
        let hidden_children: Vec<usize> =
            rel.children.iter().copied().filter(|&c| hidden[c] && n(c) > 0).collect();
        let hidden_sum = hidden_children.iter().map(|&c| n(c)).sum::<u64>() + rel.rest;
        let terms = hidden_children.len() + usize::from(rel.rest > 0);
        let safe = if hidden[rel.parent] {
            n(rel.parent) == 0 || terms > 0
        } else {
            let lone_view = hidden_children.len() == 1 && rel.rest == 0;
            terms == 0 || (hidden_sum >= k && !lone_view)
        };
        if safe {
            return None;
        }
        let mut shown: Vec<usize> =
            rel.children.iter().copied().filter(|&c| !hidden[c] && n(c) > 0).collect();
        shown.sort_by_key(|&c| n(c));
        let enough = shown.iter().copied().find(|&c| hidden[rel.parent] || hidden_sum + n(c) >= k);
        match (enough, shown.last()) {
            (Some(c), _) | (None, Some(&c)) => Some(c),
            (None, None) => Some(rel.parent),
        }
    }

    /// Step 3: whether no small group can be computed from the shown views.
    fn audit(&self, hidden: &[bool], k: u64) -> bool {
        let mut span = Span::new(self.counts.len());
        for (v, _) in self.list.iter().zip(hidden).filter(|(v, h)| !**h && v.n > 0) {
            if span.insert(self.vector(v)).is_none() {
                return false;
            }
        }
        audit::small_group_derivable(&span, &self.counts, k) == Some(false)
    }

    fn vector(&self, view: &View) -> Vec<i128> {
        let mut v = vec![0; self.counts.len()];
        for &c in &view.cells {
            v[c] = 1;
        }
        v
    }
}

#[cfg(test)]
mod tests;

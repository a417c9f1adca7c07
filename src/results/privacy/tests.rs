use super::audit::Span;
use super::{Disclosure, Table};
use crate::results::{Filter, Threshold};

fn f(wijk: Option<&str>, role: Option<&str>) -> Filter {
    Filter { wijk: wijk.map(str::to_string), role: role.map(str::to_string) }
}

fn table(cells: &[(&str, &str, u64)]) -> Table {
    let mut t = Table::default();
    for (w, r, n) in cells {
        t.add(w, r, *n);
    }
    t
}

fn shown_wijken(d: &Disclosure, wijken: &[&str]) -> Vec<String> {
    wijken.iter().filter(|w| d.allows(&f(Some(w), None))).map(|w| w.to_string()).collect()
}

#[test]
fn a_small_wijk_is_hidden_and_the_next_smallest_with_it() {
    let t = table(&[("a", "", 12), ("b", "", 7), ("c", "", 2)]);
    for k in [3, 5] {
        let d = Disclosure::new(&t, Threshold(k));
        assert_eq!(d.count(&Filter::default()), Some(21));
        assert_eq!(d.count(&f(Some("a"), None)), Some(12));
        assert_eq!(shown_wijken(&d, &["a", "b", "c"]), vec!["a"], "k = {k}");
    }
}

#[test]
fn with_a_high_threshold_only_the_total_is_left() {
    // b and c together are 9 < 10, so a goes as well.
    let d = Disclosure::new(&table(&[("a", "", 12), ("b", "", 7), ("c", "", 2)]), Threshold(10));
    assert_eq!(d.count(&Filter::default()), Some(21));
    assert!(shown_wijken(&d, &["a", "b", "c"]).is_empty());
}

#[test]
fn two_small_wijken_that_add_up_to_a_small_group_take_a_third_with_them() {
    // Hiding 2 and 1 would still reveal a group of 3 as the total minus the rest.
    let d = Disclosure::new(&table(&[("a", "", 20), ("b", "", 9), ("c", "", 2), ("d", "", 1)]), Threshold(5));
    assert_eq!(shown_wijken(&d, &["a", "b", "c", "d"]), vec!["a"]);
}

#[test]
fn a_large_role_in_a_wijk_is_hidden_when_it_reveals_the_small_rest() {
    let t = table(&[("w", "huisarts", 8), ("w", "poh", 2), ("v", "huisarts", 10), ("v", "poh", 10)]);
    let d = Disclosure::new(&t, Threshold(5));
    assert_eq!(d.count(&f(Some("w"), None)), Some(10));
    assert!(!d.allows(&f(Some("w"), Some("poh"))));
    assert!(!d.allows(&f(Some("w"), Some("huisarts"))), "10 - 8 would give the 2 away");
    // The role totals are shown, so the other wijk's cells would reveal w's.
    assert_eq!(d.count(&f(None, Some("poh"))), Some(12));
    assert!(!d.allows(&f(Some("v"), Some("poh"))));
    assert!(!d.allows(&f(Some("v"), Some("huisarts"))));
}

#[test]
fn respondents_without_a_wijk_are_protected_like_a_hidden_wijk() {
    let d = Disclosure::new(&table(&[("a", "", 10), ("b", "", 7), ("", "", 3)]), Threshold(5));
    assert_eq!(d.count(&Filter::default()), Some(20));
    assert_eq!(shown_wijken(&d, &["a", "b"]), vec!["a"]);
    assert!(!d.allows(&f(Some(""), None)));
}

#[test]
fn unknown_and_empty_groups_are_not_shown() {
    let d = Disclosure::new(&table(&[("a", "x", 10), ("b", "x", 0)]), Threshold(3));
    assert!(!d.allows(&f(Some("z"), None)));
    assert!(!d.allows(&f(None, Some("y"))));
    assert!(!d.allows(&f(Some("b"), None)));
    assert_eq!(d.count(&f(Some("a"), Some("x"))), Some(10));
    let empty = Disclosure::new(&Table::default(), Threshold(3));
    assert!(!empty.allows(&Filter::default()));
}

#[test]
fn a_small_round_shows_nothing() {
    let d = Disclosure::new(&table(&[("a", "x", 1), ("b", "y", 1)]), Threshold(3));
    assert!(!d.allows(&Filter::default()));
}

/// A small deterministic PRNG (xorshift64*), so failures can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

fn random_table(rng: &mut Rng) -> Table {
    let wijken = 1 + rng.below(8);
    let roles = 1 + rng.below(4);
    let mut t = Table::default();
    for w in 0..=wijken {
        for r in 0..=roles {
            // Index 0 is "not kept"; usually empty.
            let name = |i: u64, p: &str| if i == 0 { String::new() } else { format!("{p}{i}") };
            let n = match rng.below(10) {
                _ if (w == 0 || r == 0) && rng.below(4) != 0 => 0,
                0..=3 => 0,
                4..=7 => 1 + rng.below(4),
                _ => 5 + rng.below(11),
            };
            t.add(&name(w, "w"), &name(r, "r"), n);
        }
    }
    t
}

/// Checks a decision from the outside: shown views are large, and no small union of cells is
/// a rational combination of them (every union for small tables; else single cells, hidden
/// views and unions of up to three cells).
fn check(t: &Table, d: &Disclosure, k: u64) -> Result<(), String> {
    let cells: Vec<(&str, &str, u64)> =
        t.cells.iter().filter(|(_, n)| **n > 0).map(|((w, r), n)| (w.as_str(), r.as_str(), *n)).collect();
    let mut filters = vec![Filter::default()];
    for (w, r, _) in &cells {
        if !w.is_empty() {
            filters.push(f(Some(w), None));
        }
        if !r.is_empty() {
            filters.push(f(None, Some(r)));
        }
        if !w.is_empty() && !r.is_empty() {
            filters.push(f(Some(w), Some(r)));
        }
    }
    filters.sort();
    filters.dedup();
    let covers = |filter: &Filter, c: &(&str, &str, u64)| {
        filter.wijk.as_deref().is_none_or(|w| w == c.0) && filter.role.as_deref().is_none_or(|r| r == c.1)
    };
    let mut span = Span::new(cells.len());
    let mut hidden_views = Vec::new();
    for filter in &filters {
        let v: Vec<i128> = cells.iter().map(|c| i128::from(covers(filter, c))).collect();
        let n: u64 = cells.iter().filter(|c| covers(filter, c)).map(|c| c.2).sum();
        match d.count(filter) {
            Some(shown) if shown != n || n < k => {
                return Err(format!("{filter:?} shown with {shown} of {n}"));
            }
            Some(_) => span.insert(v).ok_or("overflow")?,
            None => hidden_views.push((v, n)),
        }
    }
    let derivable = |v: Vec<i128>| span.contains(v).unwrap_or(true);
    let union = |members: &[usize]| {
        let mut v = vec![0; cells.len()];
        members.iter().for_each(|&m| v[m] = 1);
        (v, members.iter().map(|&m| cells[m].2).sum::<u64>())
    };
    let mut groups: Vec<(Vec<i128>, u64)> = hidden_views;
    if cells.len() <= 10 {
        for mask in 1u32..(1 << cells.len()) {
            let members: Vec<usize> = (0..cells.len()).filter(|i| mask & (1 << i) != 0).collect();
            groups.push(union(&members));
        }
    } else {
        let small: Vec<usize> = (0..cells.len()).filter(|&i| cells[i].2 < k).collect();
        for (x, &a) in small.iter().enumerate() {
            groups.push(union(&[a]));
            for (y, &b) in small.iter().enumerate().skip(x + 1) {
                groups.push(union(&[a, b]));
                for &c in &small[y + 1..] {
                    groups.push(union(&[a, b, c]));
                }
            }
        }
    }
    for (v, n) in groups {
        if n > 0 && n < k && derivable(v.clone()) {
            return Err(format!("a group of {n} can be derived: {v:?}"));
        }
    }
    Ok(())
}

#[test]
fn no_small_group_can_be_derived_from_what_is_shown_for_random_tables() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..3000 {
        let t = random_table(&mut rng);
        let k = 3 + rng.below(8);
        let d = Disclosure::new(&t, Threshold(k as u32));
        if let Err(e) = check(&t, &d, k) {
            panic!("case {case}, k = {k}: {e}\n{:?}\n{d:?}", t.cells);
        }
    }
}

fn listed(d: &Disclosure, filters: &[Filter]) -> Vec<Filter> {
    filters.iter().filter(|f| d.lists(f)).cloned().collect()
}

#[test]
fn the_lists_of_a_wijk_and_a_role_are_not_both_shown_when_their_difference_is_small() {
    // The attack seen: texts(noord) minus texts(huisarts) gave noord's 3 POH-GGZ, although
    // noord (12) and the huisartsen (19) each passed the threshold for counts.
    let t =
        table(&[("noord", "huisarts", 9), ("noord", "poh", 3), ("zuid", "huisarts", 10), ("zuid", "poh", 8)]);
    let d = Disclosure::new(&t, Threshold(5));
    let (noord, huisarts) = (f(Some("noord"), None), f(None, Some("huisarts")));
    assert!(d.allows(&noord) && d.allows(&huisarts), "both counts are shown");
    assert!(d.lists(&Filter::default()));
    assert!(!(d.lists(&noord) && d.lists(&huisarts)), "not both lists");
    assert_eq!(listed(&d, &[noord, f(Some("zuid"), None)]).len(), 2, "the wijken are listed");
}

#[test]
fn a_list_is_shown_only_for_groups_whose_counts_are_shown_and_that_hold_k() {
    let t = table(&[("a", "", 12), ("b", "", 7), ("c", "", 2)]);
    let d = Disclosure::new(&t, Threshold(5));
    assert!(d.lists(&Filter::default()));
    // a is shown for counts, but b + c (9) is the rest of it; b alone is hidden for counts.
    assert!(d.lists(&f(Some("a"), None)));
    assert!(!d.lists(&f(Some("b"), None)) && !d.lists(&f(Some("c"), None)));
    let small = table(&[("a", "", 3)]);
    assert!(!Disclosure::new(&small, Threshold(5)).lists(&Filter::default()), "fewer than k in all");
}

#[test]
fn respondents_without_a_wijk_make_an_atom_of_their_own() {
    // Listing a and b would leave the 2 without a wijk as total minus a minus b.
    let t = table(&[("a", "", 10), ("b", "", 10), ("", "", 2)]);
    let d = Disclosure::new(&t, Threshold(5));
    assert!(d.lists(&Filter::default()));
    assert!(!(d.lists(&f(Some("a"), None)) && d.lists(&f(Some("b"), None))));
}

mod sets {
    //! The property the list rule exists for: no set expression over two or three lists a
    //! reader can reach isolates fewer than `k` respondents (and more than none).
    use proptest::prelude::*;

    use super::{f, table};
    use crate::results::privacy::Disclosure;
    use crate::results::{Filter, Threshold};

    const WIJKEN: [&str; 4] = ["a", "b", "c", ""];
    const ROLES: [&str; 3] = ["h", "p", ""];

    /// Every group a reader can ask for.
    fn groups() -> Vec<Filter> {
        let mut all = vec![Filter::default()];
        all.extend(WIJKEN[..3].iter().map(|w| f(Some(w), None)));
        all.extend(ROLES[..2].iter().map(|r| f(None, Some(r))));
        for w in &WIJKEN[..3] {
            all.extend(ROLES[..2].iter().map(|r| f(Some(w), Some(r))));
        }
        all
    }

    fn member(filter: &Filter, wijk: &str, role: &str) -> bool {
        filter.wijk.as_deref().is_none_or(|w| w == wijk) && filter.role.as_deref().is_none_or(|r| r == role)
    }

    /// The smallest non-empty atom of `lists`: respondents alike in or out of each.
    fn smallest_atom(cells: &[(&str, &str, u64)], lists: &[&Filter]) -> Option<u64> {
        let mut atoms = std::collections::BTreeMap::<Vec<bool>, u64>::new();
        for (w, r, n) in cells.iter().filter(|c| c.2 > 0) {
            *atoms.entry(lists.iter().map(|l| member(l, w, r)).collect()).or_default() += n;
        }
        atoms.into_values().min()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn no_difference_of_two_or_three_lists_gives_a_small_group_away(
            counts in proptest::collection::vec(0u64..14, WIJKEN.len() * ROLES.len()),
            k in 3u32..7,
        ) {
            let cells: Vec<(&str, &str, u64)> = WIJKEN
                .iter()
                .flat_map(|w| ROLES.iter().map(move |r| (*w, *r)))
                .zip(&counts)
                .map(|((w, r), n)| (w, r, *n))
                .collect();
            let d = Disclosure::new(&table(&cells), Threshold(k));
            let listed: Vec<Filter> = groups().into_iter().filter(|g| d.lists(g)).collect();
            for (i, a) in listed.iter().enumerate() {
                for (j, b) in listed.iter().enumerate().skip(i + 1) {
                    let pair = smallest_atom(&cells, &[a, b]).unwrap_or(u64::MAX);
                    prop_assert!(pair >= u64::from(k), "{a:?} and {b:?} leave {pair}");
                    for c in listed.iter().skip(j + 1) {
                        let triple = smallest_atom(&cells, &[a, b, c]).unwrap_or(u64::MAX);
                        prop_assert!(triple >= u64::from(k), "{a:?}, {b:?}, {c:?} leave {triple}");
                    }
                }
            }
            for group in &listed {
                prop_assert!(d.allows(group), "a listed group's counts are shown too: {group:?}");
            }
        }
    }
}

#[test]
fn a_question_fewer_than_k_answered_keeps_only_how_many_did() {
    use crate::results::{MatrixRow, QuestionResult, Summary};
    let d = Disclosure::new(&table(&[("a", "", 12)]), Threshold(5));
    let result = |summary| QuestionResult { id: "q".into(), label: "Q".into(), kind: "text", summary };
    let texts = |n: usize| Summary::Texts((0..n).map(|i| i.to_string()).collect());
    assert_eq!(d.question(result(texts(4))).summary, Summary::Withheld(4));
    assert_eq!(d.question(result(texts(5))).summary, texts(5));
    assert_eq!(d.question(result(texts(0))).summary, texts(0), "nothing to hide");
    assert_eq!(d.question(result(Summary::Answered(2))).summary, Summary::Answered(2), "a count alone");
    let row = |answered| MatrixRow {
        value: "x".into(),
        label: "X".into(),
        counts: vec![answered],
        na: 0,
        answered,
        mean: None,
    };
    let matrix = Summary::Matrix { points: vec!["1".into()], rows: vec![row(9), row(3)], na_label: None };
    assert_eq!(d.question(result(matrix)).summary, Summary::Withheld(9), "an item of 3 is 3 people's");
}

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

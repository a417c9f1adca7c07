//! The exact check behind suppression: which groups of respondents can be computed from the
//! published views by adding and subtracting them.
//!
//! Every view is a 0/1 vector over the non-empty cells (empty cells add nothing to any result,
//! so they are left out). A group (a union of cells) can be derived exactly when its vector is
//! in the rational span of the published vectors. The span is kept in reduced row echelon
//! form with integer rows (fraction-free elimination on `i128`, each row divided by the gcd
//! of its entries); any overflow makes the check fail, which only ever hides more.

/// The span of the published views, in reduced echelon form.
#[derive(Clone, Debug, Default)]
pub(super) struct Span {
    width: usize,
    /// (pivot column, row); the row's other pivot columns are 0.
    rows: Vec<(usize, Vec<i128>)>,
}

impl Span {
    pub(super) fn new(width: usize) -> Span {
        Span { width, rows: Vec::new() }
    }

    /// `v` minus the multiples of the rows that clear its pivot columns; `None` on overflow.
    fn reduce(&self, mut v: Vec<i128>) -> Option<Vec<i128>> {
        for (p, row) in &self.rows {
            if v[*p] != 0 {
                let (a, b) = (row[*p], v[*p]);
                for (x, r) in v.iter_mut().zip(row) {
                    *x = x.checked_mul(a)?.checked_sub(r.checked_mul(b)?)?;
                }
                normalise(&mut v);
            }
        }
        Some(v)
    }

    /// Adds a vector; `None` on overflow.
    pub(super) fn insert(&mut self, v: Vec<i128>) -> Option<()> {
        let v = self.reduce(v)?;
        let Some(p) = v.iter().position(|&x| x != 0) else { return Some(()) };
        for (_, row) in &mut self.rows {
            if row[p] != 0 {
                let (a, b) = (v[p], row[p]);
                for (x, r) in row.iter_mut().zip(&v) {
                    *x = x.checked_mul(a)?.checked_sub(r.checked_mul(b)?)?;
                }
                normalise(row);
            }
        }
        self.rows.push((p, v));
        Some(())
    }

    /// Whether `v` is a combination of the rows; `None` on overflow. The tests check the
    /// audit's answers with this plain reduction.
    #[cfg(test)]
    pub(super) fn contains(&self, v: Vec<i128>) -> Option<bool> {
        Some(self.reduce(v)?.iter().all(|&x| x == 0))
    }

    /// One signature per column such that a 0/1 vector is in the span exactly when the
    /// signatures of its columns add up to zero. For a free (non-pivot) column f the
    /// condition is `L·v[f] = Σ_i v[p_i]·row_i[f]·L/d_i` (d_i the pivot entry, L their lcm).
    pub(super) fn signatures(&self) -> Option<Vec<Vec<i128>>> {
        let mut is_pivot = vec![None; self.width];
        for (i, (p, _)) in self.rows.iter().enumerate() {
            is_pivot[*p] = Some(i);
        }
        let free: Vec<usize> = (0..self.width).filter(|&c| is_pivot[c].is_none()).collect();
        let mut l: i128 = 1;
        for (p, row) in &self.rows {
            let d = row[*p].abs();
            l = (l / gcd(l, d)).checked_mul(d)?;
        }
        let mut sigs = Vec::with_capacity(self.width);
        for (c, pivot) in is_pivot.iter().enumerate() {
            let sig = match pivot {
                Some(i) => {
                    let (p, row) = &self.rows[*i];
                    let scale = l / row[*p];
                    free.iter().map(|&f| row[f].checked_mul(scale)).collect::<Option<Vec<_>>>()?
                }
                None => free.iter().map(|&f| if f == c { -l } else { 0 }).collect(),
            };
            sigs.push(sig);
        }
        Some(sigs)
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Divides by the gcd of the entries and makes the first non-zero entry positive.
fn normalise(v: &mut [i128]) {
    let g = v.iter().fold(0, |g, &x| gcd(g, x));
    let sign = v.iter().find(|&&x| x != 0).map_or(1, |x| x.signum());
    if g > 1 || sign < 0 {
        for x in v.iter_mut() {
            *x /= g * sign;
        }
    }
}

/// How many subsets the search may visit before it gives up (and the audit fails).
const BUDGET: u64 = 200_000;

/// Whether some union of cells with `0 < n < k` is in the span; `None` when that could not
/// be settled (overflow, or a search too large). `counts[c] > 0` for every column.
pub(super) fn small_group_derivable(span: &Span, counts: &[u64], k: u64) -> Option<bool> {
    let sigs = span.signatures()?;
    // A cell that is derivable on its own must be large; it then cannot be part of a small
    // group, and neither can any other large cell.
    let mut candidates = Vec::new();
    for (c, sig) in sigs.iter().enumerate() {
        let alone = sig.iter().all(|&x| x == 0);
        if counts[c] < k {
            if alone {
                return Some(true);
            }
            candidates.push(c);
        }
    }
    // A zero sum splits into zero sums over groups of cells that share no free coordinate, so
    // each such group is searched on its own.
    let mut budget = BUDGET;
    for component in components(&candidates, &sigs) {
        let mut sum = vec![0i128; sigs.first().map_or(0, Vec::len)];
        if search(&component, 0, &sigs, counts, k, 0, &mut sum, &mut budget)? {
            return Some(true);
        }
    }
    Some(false)
}

fn components(cells: &[usize], sigs: &[Vec<i128>]) -> Vec<Vec<usize>> {
    let mut groups: Vec<(Vec<usize>, Vec<bool>)> = Vec::new();
    for &c in cells {
        let support: Vec<bool> = sigs[c].iter().map(|&x| x != 0).collect();
        let mut merged = (vec![c], support);
        let mut i = 0;
        while i < groups.len() {
            if groups[i].1.iter().zip(&merged.1).any(|(a, b)| *a && *b) {
                let (cs, sup) = groups.swap_remove(i);
                merged.0.extend(cs);
                merged.1.iter_mut().zip(sup).for_each(|(m, s)| *m |= s);
                i = 0;
            } else {
                i += 1;
            }
        }
        groups.push(merged);
    }
    groups.into_iter().map(|(cs, _)| cs).collect()
}

/// Depth-first over the subsets of `cells[from..]` that keep the total below `k`.
#[expect(clippy::too_many_arguments, reason = "the recursion's state, kept flat for speed")]
fn search(
    cells: &[usize],
    from: usize,
    sigs: &[Vec<i128>],
    counts: &[u64],
    k: u64,
    n: u64,
    sum: &mut Vec<i128>,
    budget: &mut u64,
) -> Option<bool> {
    for i in from..cells.len() {
        let c = cells[i];
        if n + counts[c] >= k {
            continue;
        }
        *budget = budget.checked_sub(1)?;
        for (s, x) in sum.iter_mut().zip(&sigs[c]) {
            *s = s.checked_add(*x)?;
        }
        let found =
            sum.iter().all(|&x| x == 0) || search(cells, i + 1, sigs, counts, k, n + counts[c], sum, budget)?;
        for (s, x) in sum.iter_mut().zip(&sigs[c]) {
            *s -= *x;
        }
        if found {
            return Some(true);
        }
    }
    Some(false)
}

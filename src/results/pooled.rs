//! A job's per-wijk results pooled over several of its rounds, for wijken too small to show in
//! any one round: with 4–6 GPs per wijk and a threshold of 5, a quarter rarely shows a wijk,
//! four quarters together often do.
//!
//! The rounds are pooled in fixed blocks of [`ROUNDS`] closed occasions counted from the job's
//! first, and only a complete block is shown. A window that moved with every new round, or a
//! choice of window sizes, would let one pool be subtracted from another (the last four rounds
//! minus the last three is one round's wijk, however small); blocks never overlap, so no two
//! pools can be set against each other. Within a block, `privacy::pooled` judges every pooled
//! view against what the block's rounds publish on their own.

use std::collections::BTreeMap;
use std::ops::Range;

use super::load::{self, GroupResults, LoadError, Occasion};
use super::privacy::pooled::{Published, pooled_views};
use super::privacy::{Disclosure, Table};
use super::{Filter, Threshold};
use crate::db::Db;
use crate::rounds::RoundId;

/// How many closed occasions a block pools: a year of a quarterly job.
pub const ROUNDS: usize = 4;

/// One block's results: the region and each wijk over all its occasions, `None` where hidden.
pub struct Pooled {
    /// The block's occasions, as indices into the job's history.
    pub occasions: Range<usize>,
    pub region: Option<GroupResults>,
    pub wijken: BTreeMap<String, Option<GroupResults>>,
}

/// The latest complete block of `size` among `closed` occasions, oldest first.
pub fn block(closed: usize, size: usize) -> Option<Range<usize>> {
    let end = closed.checked_div(size)? * size;
    (end >= size).then(|| end - size..end)
}

/// The latest complete block of `history` pooled per wijk, or `None` while there is none, or
/// when its forms ask a question under one id as different kinds (their answers cannot be
/// added up).
pub async fn pooled(
    db: &Db,
    history: &[Occasion],
    threshold_of: impl Fn(&Occasion) -> Threshold,
) -> Result<Option<Pooled>, LoadError> {
    let Some(range) = block(history.len(), ROUNDS) else { return Ok(None) };
    let occasions = &history[range.clone()];
    let Some(latest) = occasions.last() else { return Ok(None) };
    if !same_questions(occasions) {
        return Ok(None);
    }
    let threshold = occasions.iter().map(threshold_of).max_by_key(|t| t.0).unwrap_or(Threshold(u32::MAX));
    let mut sum = Table::default();
    for ((wijk, role), n) in occasions.iter().flat_map(|o| &o.respondents.cells) {
        sum.add(wijk, role, *n);
    }
    let disclosure = Disclosure::new(&sum, threshold);
    let published: Vec<Published<'_>> =
        occasions.iter().map(|o| Published { table: &o.respondents, disclosure: &o.disclosure }).collect();
    let views = pooled_views(&published, &disclosure);
    let ids: Vec<RoundId> = occasions.iter().flat_map(|o| o.rounds.iter().map(|r| r.id)).collect();
    let (region, wijken) = load::fold_by_wijk(db, &ids, &latest.form).await?;
    let shown = |group: GroupResults| GroupResults {
        questions: group.questions.into_iter().map(|q| disclosure.question(q)).collect(),
        ..group
    };
    let wijken = wijken
        .into_iter()
        .filter(|(wijk, _)| !wijk.is_empty())
        .map(|(wijk, group)| {
            let allowed = views.wijken.contains(&wijk)
                && disclosure.allows(&Filter { wijk: Some(wijk.clone()), role: None });
            (wijk, allowed.then(|| shown(group)))
        })
        .collect();
    let region = views.region.then(|| shown(region));
    Ok(Some(Pooled { occasions: range, region, wijken }))
}

/// Whether every question id means the same kind of question in all `occasions`' forms.
fn same_questions(occasions: &[Occasion]) -> bool {
    let mut kinds: BTreeMap<&str, &str> = BTreeMap::new();
    occasions
        .iter()
        .flat_map(|o| o.form.questions())
        .all(|q| *kinds.entry(q.id.as_str()).or_insert(q.kind.name()) == q.kind.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_complete_blocks_of_four_are_pooled() {
        assert_eq!(block(3, 4), None);
        assert_eq!(block(4, 4), Some(0..4));
        assert_eq!(block(7, 4), Some(0..4), "the second block is not complete yet");
        assert_eq!(block(8, 4), Some(4..8));
        assert_eq!(block(5, 0), None);
    }
}

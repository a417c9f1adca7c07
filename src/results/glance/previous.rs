//! The job's previous closed round, read for comparison: the same group (everyone, or one wijk)
//! under that round's own disclosure, so a group too small then is not compared now.

use chrono::{DateTime, Utc};

use super::super::load::{self, LoadError, RoundRow};
use super::super::{Filter, QuestionResult, Threshold};
use crate::db::Db;

/// The previous round of a job as the glance compares with it.
pub struct Previous {
    /// "1 t/m 22 oktober 2026".
    pub period: String,
    /// Its results for the group; `None` when that group was hidden then, or for a role, which
    /// the job's history does not keep apart.
    pub questions: Option<Vec<QuestionResult>>,
}

/// The closed occasion of `row`'s job opened before `row`'s, for the group `filter`; `None` for
/// a round without a job or without an earlier closed round.
pub async fn previous(
    db: &Db,
    row: &RoundRow,
    filter: &Filter,
    configured: u32,
    now: DateTime<Utc>,
) -> Result<Option<Previous>, LoadError> {
    let Some(job) = &row.job_id else { return Ok(None) };
    let rows = load::job_rounds(db.read(), job).await?;
    let same = |r: &RoundRow| r.id == row.id || (row.occurrence.is_some() && r.occurrence == row.occurrence);
    let Some(current) = rows.iter().position(same) else { return Ok(None) };
    let earlier: Vec<&RoundRow> = rows[..current].iter().filter(|r| r.is_closed(now)).collect();
    let Some(last) = earlier.last() else { return Ok(None) };
    // Only the last occasion is folded: the glance needs nothing older.
    let group: Vec<RoundRow> = earlier
        .iter()
        .filter(|r| r.id == last.id || (last.occurrence.is_some() && r.occurrence == last.occurrence))
        .map(|r| (*r).clone())
        .collect();
    let history = load::job_history(db, &group, |f| Threshold::of(f, configured), now).await?;
    let Some(occasion) = history.into_iter().last() else { return Ok(None) };
    let period = crate::time::dutch_span(occasion.rounds[0].opens_at, occasion.rounds[0].closes_at);
    let questions = match (&filter.wijk, &filter.role) {
        (_, Some(_)) => None,
        (Some(wijk), None) => occasion.wijken.into_iter().find(|(w, _)| w == wijk).and_then(|(_, g)| g),
        (None, None) => occasion.region,
    }
    .map(|g| g.questions);
    Ok(Some(Previous { period, questions }))
}

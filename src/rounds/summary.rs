//! The rounds as the coordinator's list shows them: each with its figures (invited, answered,
//! mail waiting and failed), read in one statement, a page at a time, each figure from a range of
//! an index, so the list stays fast with a thousand rounds behind it.

use chrono::{DateTime, Utc};

use super::{RoundId, RoundsError};
use crate::db::{Pool, Timestamp};

/// Where a round stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum RoundState {
    NotYetOpen,
    Open,
    Closed,
}

impl RoundState {
    pub fn at(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>, now: DateTime<Utc>) -> RoundState {
        if now < opens_at {
            RoundState::NotYetOpen
        } else if now < closes_at {
            RoundState::Open
        } else {
            RoundState::Closed
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RoundState::NotYetOpen => "nog niet open",
            RoundState::Open => "open",
            RoundState::Closed => "gesloten",
        }
    }
}

/// A round with its figures, as the list and the round's page show it.
#[derive(Clone, Debug)]
pub struct RoundSummary {
    pub id: RoundId,
    pub form_id: String,
    pub title: String,
    pub anonymous: bool,
    /// The stored description of who was invited.
    pub audience: String,
    /// The job that opened it; `None` for a round opened by hand.
    pub job_id: Option<String>,
    /// The wijk of a per-wijk job's round, else empty.
    pub part: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub invited: i64,
    pub answered: i64,
    /// Mails waiting to go (or being sent now).
    pub pending: i64,
    pub failed: i64,
}

impl RoundSummary {
    pub fn state(&self, now: DateTime<Utc>) -> RoundState {
        RoundState::at(self.opens_at, self.closes_at, now)
    }

    /// Answered as a whole percentage of invited, `None` with nobody invited.
    pub fn response_percent(&self) -> Option<i64> {
        (self.invited > 0).then(|| self.answered * 100 / self.invited)
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: RoundId,
    form_id: String,
    title: String,
    anonymous: i64,
    audience: String,
    job_id: Option<String>,
    part: String,
    opens_at: Timestamp,
    closes_at: Timestamp,
    invited: i64,
    answered: i64,
    pending: i64,
    failed: i64,
}

impl From<SummaryRow> for RoundSummary {
    fn from(r: SummaryRow) -> RoundSummary {
        RoundSummary {
            id: r.id,
            form_id: r.form_id,
            title: r.title,
            anonymous: r.anonymous != 0,
            audience: r.audience,
            job_id: r.job_id,
            part: r.part,
            opens_at: r.opens_at.at(),
            closes_at: r.closes_at.at(),
            invited: r.invited,
            answered: r.answered,
            pending: r.pending,
            failed: r.failed,
        }
    }
}

/// The rounds with their figures, each counted by its own range of an index
/// (`invitations(round_id, answered)`, `outbox(round_id, status)`, migration 0012): a page of
/// rounds costs the same however much history lies behind it. A macro, so that each use stays
/// one literal SQL string.
macro_rules! summary {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.form_id, r.title, r.anonymous, r.audience, r.job_id, r.part, \
     r.opens_at, r.closes_at, \
     (SELECT COUNT(*) FROM invitations i WHERE i.round_id = r.id) \
       + (SELECT CAST(COALESCE(SUM(t.invited), 0) AS BIGINT) FROM round_tallies t WHERE t.round_id = r.id) AS invited, \
     (SELECT COUNT(*) FROM invitations i WHERE i.round_id = r.id AND i.answered <> 0) \
       + (SELECT CAST(COALESCE(SUM(t.answered), 0) AS BIGINT) FROM round_tallies t WHERE t.round_id = r.id) AS answered, \
     (SELECT COUNT(*) FROM outbox o WHERE o.round_id = r.id AND o.status IN ('pending', 'sending')) AS pending, \
     (SELECT COUNT(*) FROM outbox o WHERE o.round_id = r.id AND o.status = 'failed') AS failed \
     FROM rounds r ",
            $tail
        )
    };
}

/// Every round with its figures, newest first.
pub async fn list(pool: &Pool) -> Result<Vec<RoundSummary>, RoundsError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(summary!("ORDER BY r.id DESC")).fetch_all(pool).await?;
    Ok(rows.into_iter().map(RoundSummary::from).collect())
}

/// `limit` rounds with their figures, newest first, after skipping `offset`; and whether older
/// ones follow.
pub async fn page(pool: &Pool, offset: i64, limit: i64) -> Result<(Vec<RoundSummary>, bool), RoundsError> {
    let mut rows: Vec<SummaryRow> = sqlx::query_as(summary!("ORDER BY r.id DESC LIMIT $1 OFFSET $2"))
        .bind(limit + 1)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok((rows.into_iter().map(RoundSummary::from).collect(), more))
}

/// One round with its figures.
pub async fn summary(pool: &Pool, round: RoundId) -> Result<RoundSummary, RoundsError> {
    let row: Option<SummaryRow> =
        sqlx::query_as(summary!("WHERE r.id = $1")).bind(round).fetch_optional(pool).await?;
    row.map(RoundSummary::from).ok_or(RoundsError::UnknownRound(round))
}

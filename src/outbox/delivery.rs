//! How the mail is getting on, read for the coordinator (`/beheer`, `/beheer/mail`, `peil
//! outbox`): how much waits and why (the last error the worker stored and the next attempt, its
//! `due_at`), what failed for good, and per round the way from invitation to answer, per wijk.
//! Only reads; the writes are in `lease`, `queue` and `retry`.

use chrono::{DateTime, Utc};

use super::{MailKind, OutboxError, OutboxId, Status};
use crate::db::{Pool, Timestamp};
use crate::rounds::RoundId;

/// The whole outbox in a few figures, for the start page and the top of the mail page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Pending or being sent.
    pub waiting: u64,
    /// Of those, the ones that were tried and will be tried again.
    pub retrying: u64,
    pub failed: u64,
    /// The most recent error of a mail that waits for another attempt.
    pub last_error: Option<String>,
    /// The earliest moment a waiting mail is tried (again).
    pub next_attempt: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    waiting: i64,
    retrying: i64,
    failed: i64,
    next_attempt: Option<Timestamp>,
}

pub async fn summary(pool: &Pool) -> Result<Summary, OutboxError> {
    let row: SummaryRow = sqlx::query_as(
        "SELECT \
         CAST(COALESCE(SUM(CASE WHEN status IN ('pending', 'sending') THEN 1 ELSE 0 END), 0) AS BIGINT) AS waiting, \
         CAST(COALESCE(SUM(CASE WHEN status IN ('pending', 'sending') AND last_error IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS retrying, \
         CAST(COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS failed, \
         MIN(CASE WHEN status = 'pending' THEN due_at END) AS next_attempt \
         FROM outbox WHERE status IN ('pending', 'sending', 'failed')",
    )
    .fetch_one(pool)
    .await?;
    let last_error: Option<String> = sqlx::query_scalar(
        "SELECT last_error FROM outbox WHERE status IN ('pending', 'sending') AND last_error IS NOT NULL \
         ORDER BY due_at DESC, id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    Ok(Summary {
        waiting: count(row.waiting),
        retrying: count(row.retrying),
        failed: count(row.failed),
        last_error,
        next_attempt: row.next_attempt.map(Timestamp::at),
    })
}

/// A mail that waits after a failed attempt, or failed for good: what the coordinator can act on.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Trouble {
    pub id: OutboxId,
    pub round: Option<RoundId>,
    #[sqlx(try_from = "String")]
    pub kind: MailKind,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub email: Option<String>,
    #[sqlx(try_from = "i64")]
    pub attempts: u32,
    pub last_error: Option<String>,
    /// For a waiting mail its next attempt; for a failed one when it was given up.
    #[sqlx(try_from = "Timestamp")]
    pub at: DateTime<Utc>,
}

const TROUBLE: &str = "SELECT o.id, o.round_id AS round, o.kind, o.status, c.email, o.attempts, o.last_error, \
     o.due_at AS at FROM outbox o \
     LEFT JOIN invitations i ON i.id = o.invitation_id LEFT JOIN contacts c ON c.id = i.contact_id \
     WHERE (o.status = 'failed' OR (o.status IN ('pending', 'sending') AND o.last_error IS NOT NULL))";

/// Failed mails first (newest first), then waiting ones in the order they will be tried; at most
/// `limit`. All rounds, or only `round`'s.
pub async fn troubles(pool: &Pool, round: Option<RoundId>, limit: i64) -> Result<Vec<Trouble>, OutboxError> {
    let order = "ORDER BY CASE WHEN o.status = 'failed' THEN 0 ELSE 1 END, \
                 CASE WHEN o.status = 'failed' THEN o.due_at END DESC, o.due_at, o.id LIMIT";
    let rows = match round {
        Some(round) => {
            let sql = format!("{TROUBLE} AND o.round_id = $1 {order} $2");
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(round).bind(limit).fetch_all(pool).await?
        }
        None => {
            let sql = format!("{TROUBLE} {order} $1");
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(pool).await?
        }
    };
    Ok(rows)
}

/// One round's mail at a glance (all kinds of mail), for the list on `/beheer/mail`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RoundMail {
    pub id: RoundId,
    pub title: String,
    /// The wijk of a per-wijk round, else empty.
    pub part: String,
    #[sqlx(try_from = "Timestamp")]
    pub opens_at: DateTime<Utc>,
    #[sqlx(try_from = "Timestamp")]
    pub closes_at: DateTime<Utc>,
    #[sqlx(try_from = "i64")]
    pub invited: u64,
    #[sqlx(try_from = "i64")]
    pub waiting: u64,
    #[sqlx(try_from = "i64")]
    pub sent: u64,
    #[sqlx(try_from = "i64")]
    pub failed: u64,
}

/// The rounds open at `now` and every round with mail waiting or failed, newest first.
pub async fn rounds(pool: &Pool, now: DateTime<Utc>, limit: i64) -> Result<Vec<RoundMail>, OutboxError> {
    let rows = sqlx::query_as(
        "SELECT r.id, r.title, r.part, r.opens_at, r.closes_at, \
         (SELECT COUNT(*) FROM invitations i WHERE i.round_id = r.id) AS invited, \
         (SELECT COUNT(*) FROM outbox o WHERE o.round_id = r.id AND o.status IN ('pending', 'sending')) AS waiting, \
         (SELECT COUNT(*) FROM outbox o WHERE o.round_id = r.id AND o.status = 'sent') AS sent, \
         (SELECT COUNT(*) FROM outbox o WHERE o.round_id = r.id AND o.status = 'failed') AS failed \
         FROM rounds r WHERE (r.opens_at <= $1 AND r.closes_at > $1) OR EXISTS (SELECT 1 FROM outbox o \
           WHERE o.round_id = r.id AND o.status IN ('pending', 'sending', 'failed')) \
         ORDER BY r.opens_at DESC, r.id DESC LIMIT $2",
    )
    .bind(Timestamp::from(now))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

/// One wijk of a round, from invitation to answer. The mail counts are of the invitation mail
/// (one per invitation); `answered` is `None` where it is not shown (see [`of_round`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Funnel {
    /// Empty for contacts without a wijk.
    pub wijk: String,
    pub invited: u64,
    /// Invitation mails made (not for those who had opted out).
    pub queued: u64,
    pub waiting: u64,
    pub sent: u64,
    pub failed: u64,
    /// Not sent on purpose: opted out meanwhile, the round closed, answered already.
    pub cancelled: u64,
    pub answered: Option<u64>,
}

#[derive(sqlx::FromRow)]
struct FunnelRow {
    wijk: String,
    invited: i64,
    queued: i64,
    waiting: i64,
    sent: i64,
    failed: i64,
    cancelled: i64,
    answered: i64,
}

/// A round's funnel per wijk, and the whole round's as the last row (`wijk` "Totaal" is the
/// caller's to write). In an anonymous round a wijk's answer count below `threshold` is not
/// shown, nor a second one when a single hidden count could be worked out from the total.
pub async fn of_round(
    pool: &Pool,
    round: RoundId,
    anonymous: bool,
    threshold: u64,
) -> Result<(Vec<Funnel>, Funnel), OutboxError> {
    let rows: Vec<FunnelRow> = sqlx::query_as(
        "SELECT i.wijk, CAST(COUNT(*) AS BIGINT) AS invited, CAST(COUNT(o.id) AS BIGINT) AS queued, \
         CAST(COALESCE(SUM(CASE WHEN o.status IN ('pending', 'sending') THEN 1 ELSE 0 END), 0) AS BIGINT) AS waiting, \
         CAST(COALESCE(SUM(CASE WHEN o.status = 'sent' THEN 1 ELSE 0 END), 0) AS BIGINT) AS sent, \
         CAST(COALESCE(SUM(CASE WHEN o.status = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS failed, \
         CAST(COALESCE(SUM(CASE WHEN o.status = 'cancelled' THEN 1 ELSE 0 END), 0) AS BIGINT) AS cancelled, \
         CAST(COALESCE(SUM(i.answered), 0) AS BIGINT) AS answered \
         FROM invitations i LEFT JOIN outbox o ON o.invitation_id = i.id AND o.kind = 'invitation' \
         WHERE i.round_id = $1 GROUP BY i.wijk ORDER BY i.wijk",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    let mut total = Funnel { answered: Some(0), ..Funnel::default() };
    let mut wijken: Vec<Funnel> = rows
        .into_iter()
        .map(|r| {
            let wijk = Funnel {
                wijk: r.wijk,
                invited: count(r.invited),
                queued: count(r.queued),
                waiting: count(r.waiting),
                sent: count(r.sent),
                failed: count(r.failed),
                cancelled: count(r.cancelled),
                answered: Some(count(r.answered)),
            };
            total.add(&wijk);
            wijk
        })
        .collect();
    if anonymous {
        hide_small(&mut wijken, threshold);
    }
    Ok((wijken, total))
}

impl Funnel {
    fn add(&mut self, other: &Funnel) {
        self.invited += other.invited;
        self.queued += other.queued;
        self.waiting += other.waiting;
        self.sent += other.sent;
        self.failed += other.failed;
        self.cancelled += other.cancelled;
        self.answered = self.answered.zip(other.answered).map(|(a, b)| a + b);
    }
}

/// Hides the answer counts below `threshold`; when that hides exactly one (which the total would
/// give away), the smallest other one too.
fn hide_small(wijken: &mut [Funnel], threshold: u64) {
    let mut hidden = 0;
    for wijk in wijken.iter_mut() {
        if wijk.answered.is_some_and(|n| n < threshold) {
            wijk.answered = None;
            hidden += 1;
        }
    }
    if hidden == 1 {
        let smallest = wijken.iter_mut().filter(|w| w.answered.is_some()).min_by_key(|w| w.answered);
        if let Some(wijk) = smallest {
            wijk.answered = None;
        }
    }
}

/// A SQL count as a count (never negative).
fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wijk(name: &str, answered: u64) -> Funnel {
        Funnel { wijk: name.into(), answered: Some(answered), ..Funnel::default() }
    }

    #[test]
    fn a_single_small_count_takes_the_next_smallest_with_it() {
        let mut wijken = [wijk("noord", 7), wijk("oost", 2), wijk("zuid", 5)];
        hide_small(&mut wijken, 3);
        let shown: Vec<Option<u64>> = wijken.iter().map(|w| w.answered).collect();
        assert_eq!(shown, [Some(7), None, None]);
    }

    #[test]
    fn counts_at_the_threshold_stay() {
        let mut wijken = [wijk("noord", 3), wijk("zuid", 4)];
        hide_small(&mut wijken, 3);
        assert!(wijken.iter().all(|w| w.answered.is_some()));
    }
}

//! The worker's reads and writes of outbox rows: claiming due rows with a lease, reading what a
//! message needs (for a seat mail also the seat and its session as they are now), and recording
//! how each attempt ended.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{MailError, OutboxId};
use crate::db::{self, Backend, Pool};
use crate::outbox::MailKind;
use crate::signup::{SeatId, SeatStatus};

/// Due rows, plus rows whose claim ran out (a worker crashed), marked `sending` in one statement.
/// On PostgreSQL, `SKIP LOCKED` lets instances claim side by side without waiting or overlap; on
/// SQLite the statement runs under the database's single write lock.
const CLAIM_SQLITE: &str = "UPDATE outbox SET status = 'sending', claimed_until = $1, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox \
       WHERE (status = 'pending' AND due_at <= $2) OR (status = 'sending' AND claimed_until < $2) \
       ORDER BY due_at, id LIMIT $3) \
     RETURNING id, kind, attempts";
const CLAIM_POSTGRES: &str = "UPDATE outbox SET status = 'sending', claimed_until = $1, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox \
       WHERE (status = 'pending' AND due_at <= $2) OR (status = 'sending' AND claimed_until < $2) \
       ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
     RETURNING id, kind, attempts";

#[derive(Clone, Copy, Debug)]
pub struct Claimed {
    pub id: OutboxId,
    pub kind: MailKind,
    /// Including the attempt this claim starts.
    pub attempts: u32,
}

/// Claims up to `limit` due rows for `lease` (`mail_lease_seconds`): a worker that dies mid-batch
/// leaves its rows to others after that.
pub async fn claim(
    pool: &Pool,
    backend: Backend,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    limit: i64,
) -> Result<Vec<Claimed>, MailError> {
    let sql = match backend {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let rows = sqlx::query(sql)
        .bind(db::timestamp(now + lease))
        .bind(db::timestamp(now))
        .bind(limit)
        .fetch_all(pool)
        .await?;
    let mut claimed = rows.iter().map(claimed).collect::<Result<Vec<_>, _>>()?;
    // RETURNING gives no order; send the oldest first.
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

fn claimed(row: &AnyRow) -> Result<Claimed, MailError> {
    let id = OutboxId(row.try_get("id")?);
    let kind: String = row.try_get("kind")?;
    let attempts: i64 = row.try_get("attempts")?;
    Ok(Claimed {
        id,
        kind: MailKind::parse(&kind).ok_or(MailError::Corrupt(id.0, "kind"))?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
    })
}

/// What a message is built from, read at send time so that it reflects the present.
#[derive(Clone, Debug)]
pub struct Details {
    pub name: String,
    pub email: String,
    pub opted_out: bool,
    pub answered: bool,
    pub nonce: String,
    pub title: String,
    pub closes_at: DateTime<Utc>,
    pub anonymous: bool,
    pub job_id: Option<String>,
    /// The seat a seat mail is about, as it stands now.
    pub seat: Option<SeatFacts>,
}

/// A seat and its session at send time: what the mail says, whether it still applies, and what
/// its calendar file holds.
#[derive(Clone, Debug)]
pub struct SeatFacts {
    pub id: SeatId,
    pub status: SeatStatus,
    /// Place on the waiting list, counted from 1, for a waiting seat.
    pub position: Option<u32>,
    pub session: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub online_url: String,
    pub leader: String,
    pub cancelled: bool,
    /// The calendar SEQUENCE of the session as it is now.
    pub revision: u32,
    /// Until when the person's link can cancel the seat.
    pub cancel_until: DateTime<Utc>,
    /// Whether a calendar file for this seat went out already (a confirmation or promotion was
    /// sent): only then is there an entry for a cancellation to withdraw.
    pub published: bool,
}

/// The row's invitation, contact and round; `None` when it has no invitation.
pub async fn details(pool: &Pool, id: OutboxId) -> Result<Option<Details>, MailError> {
    let row = sqlx::query(
        "SELECT c.name, c.email, c.opted_out, i.answered, i.nonce, r.title, r.closes_at, r.anonymous, r.job_id, \
         o.seat_id FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
         JOIN contacts c ON c.id = i.contact_id JOIN rounds r ON r.id = i.round_id WHERE o.id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let closes_at: String = row.try_get("closes_at")?;
    let seat = match row.try_get::<Option<i64>, _>("seat_id")? {
        Some(seat) => Some(seat_facts(pool, id, SeatId(seat)).await?),
        None => None,
    };
    Ok(Some(Details {
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        opted_out: row.try_get::<i64, _>("opted_out")? != 0,
        answered: row.try_get::<i64, _>("answered")? != 0,
        nonce: row.try_get("nonce")?,
        title: row.try_get("title")?,
        closes_at: db::parse_timestamp(&closes_at).ok_or(MailError::Corrupt(id.0, "round closing time"))?,
        anonymous: row.try_get::<i64, _>("anonymous")? != 0,
        job_id: row.try_get("job_id")?,
        seat,
    }))
}

/// The seat of outbox row `id`, with its waiting place counted now.
async fn seat_facts(pool: &Pool, id: OutboxId, seat: SeatId) -> Result<SeatFacts, MailError> {
    let row = sqlx::query(
        "SELECT st.status, s.title, s.starts_at, s.ends_at, s.place, s.online_url, s.leader, s.cancelled, \
         s.revision, r.cancel_until_secs, \
         (SELECT COUNT(*) FROM seats w WHERE w.session_id = st.session_id AND w.status = 'waiting' \
           AND w.id <= st.id) AS position, \
         (SELECT COUNT(*) FROM outbox p WHERE p.seat_id = st.id AND p.status = 'sent' \
           AND p.kind IN ('seat-confirmed', 'seat-promoted')) AS published \
         FROM seats st JOIN sessions s ON s.id = st.session_id JOIN rounds r ON r.id = s.round_id \
         WHERE st.id = $1",
    )
    .bind(seat.0)
    .fetch_optional(pool)
    .await?
    .ok_or(MailError::Corrupt(id.0, "seat"))?;
    let status: String = row.try_get("status")?;
    let status = SeatStatus::parse(&status).ok_or(MailError::Corrupt(id.0, "seat status"))?;
    let time = |column: &str| -> Result<DateTime<Utc>, MailError> {
        let text: String = row.try_get(column)?;
        db::parse_timestamp(&text).ok_or(MailError::Corrupt(id.0, "session time"))
    };
    let starts_at = time("starts_at")?;
    let count = |column: &str| -> Result<u32, MailError> {
        Ok(u32::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
    };
    Ok(SeatFacts {
        id: seat,
        status,
        position: (status == SeatStatus::Waiting).then(|| count("position")).transpose()?,
        session: row.try_get("title")?,
        starts_at,
        ends_at: time("ends_at")?,
        place: row.try_get("place")?,
        online_url: row.try_get("online_url")?,
        leader: row.try_get("leader")?,
        cancelled: row.try_get::<i64, _>("cancelled")? != 0,
        revision: count("revision")?,
        cancel_until: starts_at - chrono::Duration::seconds(row.try_get("cancel_until_secs")?),
        published: count("published")? > 0,
    })
}

/// Extends this worker's claim on `row` until `until`, right before its send; `false` when the
/// claim ran out and another worker took the row over (its attempt count moved on), so that the
/// row is sent by that worker alone. Without it, a batch that outlasts a short lease would be
/// sent by two workers.
pub async fn renew(pool: &Pool, row: &Claimed, until: DateTime<Utc>) -> Result<bool, MailError> {
    let renewed = sqlx::query(
        "UPDATE outbox SET claimed_until = $3 WHERE id = $1 AND status = 'sending' AND attempts = $2",
    )
    .bind(row.id.0)
    .bind(i64::from(row.attempts))
    .bind(db::timestamp(until))
    .execute(pool)
    .await?;
    Ok(renewed.rows_affected() == 1)
}

// Every transition below requires the row to still be `sending`: a row whose lease ran out and
// was taken over is no longer ours to settle.

pub async fn mark_sent(
    pool: &Pool,
    id: OutboxId,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<(), MailError> {
    sqlx::query(
        "UPDATE outbox SET status = 'sent', message_id = $2, sent_at = $3, claimed_until = NULL, last_error = NULL \
         WHERE id = $1 AND status = 'sending'",
    )
    .bind(id.0)
    .bind(message_id)
    .bind(db::timestamp(now))
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn retry_at(
    pool: &Pool,
    id: OutboxId,
    due_at: DateTime<Utc>,
    error: &str,
) -> Result<(), MailError> {
    sqlx::query(
        "UPDATE outbox SET status = 'pending', due_at = $2, claimed_until = NULL, last_error = $3 \
         WHERE id = $1 AND status = 'sending'",
    )
    .bind(id.0)
    .bind(db::timestamp(due_at))
    .bind(error)
    .execute(pool)
    .await?;
    Ok(())
}

/// Settles a row for good. `due_at` is set to `now`: for a finished row it records when the
/// last attempt happened, which `peil outbox` shows.
pub async fn finish(
    pool: &Pool,
    id: OutboxId,
    status: super::Status,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), MailError> {
    sqlx::query(
        "UPDATE outbox SET status = $2, last_error = $3, due_at = $4, claimed_until = NULL \
         WHERE id = $1 AND status = 'sending'",
    )
    .bind(id.0)
    .bind(status.as_str())
    .bind(reason)
    .bind(db::timestamp(now))
    .execute(pool)
    .await?;
    Ok(())
}

//! The worker's reads and writes of outbox rows: claiming due rows with a lease, reading what a
//! message needs, and recording how each attempt ended.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{MailError, MailKind, OutboxId};
use crate::db::{self, Backend, Pool};

/// How long a claim holds: a worker that dies mid-batch leaves its rows to others after this.
pub const LEASE: chrono::Duration = chrono::Duration::minutes(5);

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

pub async fn claim(
    pool: &Pool,
    backend: Backend,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Claimed>, MailError> {
    let sql = match backend {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let rows = sqlx::query(sql)
        .bind(db::timestamp(now + LEASE))
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
}

/// The row's invitation, contact and round; `None` when it has no invitation.
pub async fn details(pool: &Pool, id: OutboxId) -> Result<Option<Details>, MailError> {
    let row = sqlx::query(
        "SELECT c.name, c.email, c.opted_out, i.answered, i.nonce, r.title, r.closes_at, r.anonymous, r.job_id \
         FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
         JOIN contacts c ON c.id = i.contact_id JOIN rounds r ON r.id = i.round_id WHERE o.id = $1",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let closes_at: String = row.try_get("closes_at")?;
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
    }))
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

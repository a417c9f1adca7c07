//! The worker's writes: claiming due rows with a lease, renewing a claim right before a send,
//! recording how each attempt ended. Each takes the write turn itself ([`Db::write`]), one short
//! transaction per step, so a send never happens while the turn is held.

use chrono::{DateTime, Utc};
use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

use super::{MailKind, OutboxError, OutboxId, Status};
use crate::db::{Backend, Db, Timestamp};

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

#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: OutboxId,
    #[sqlx(try_from = "String")]
    pub kind: MailKind,
    /// Including the attempt this claim starts.
    #[sqlx(try_from = "i64")]
    pub attempts: u32,
}

/// Claims up to `limit` due rows for `lease` (`mail_lease_seconds`): a worker that dies mid-batch
/// leaves its rows to others after that. Oldest first.
pub async fn claim(
    db: &Db,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    limit: i64,
) -> Result<Vec<Claimed>, OutboxError> {
    let sql = match db.backend() {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let mut w = db.write().await?;
    let mut claimed: Vec<Claimed> = sqlx::query_as(sql)
        .bind(Timestamp::from(now + lease))
        .bind(Timestamp::from(now))
        .bind(limit)
        .fetch_all(&mut *w)
        .await?;
    w.commit().await?;
    // RETURNING gives no order; send the oldest first.
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// Extends this worker's claim on `row` until `until`, right before its send; `false` when the
/// claim ran out and another worker took the row over (its attempt count moved on), so that the
/// row is sent by that worker alone. Without it, a batch that outlasts a short lease would be
/// sent by two workers.
pub async fn renew(db: &Db, row: &Claimed, until: DateTime<Utc>) -> Result<bool, OutboxError> {
    let renew = sqlx::query(
        "UPDATE outbox SET claimed_until = $3 WHERE id = $1 AND status = 'sending' AND attempts = $2",
    )
    .bind(row.id)
    .bind(i64::from(row.attempts))
    .bind(Timestamp::from(until));
    Ok(alone(db, renew).await? == 1)
}

// Every transition below requires the row to still be `sending`: a row whose lease ran out and
// was taken over is no longer ours to settle.

pub async fn mark_sent(
    db: &Db,
    id: OutboxId,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<(), OutboxError> {
    let sent = sqlx::query(
        "UPDATE outbox SET status = 'sent', message_id = $2, sent_at = $3, claimed_until = NULL, last_error = NULL \
         WHERE id = $1 AND status = 'sending'",
    );
    alone(db, sent.bind(id).bind(message_id).bind(Timestamp::from(now))).await.map(drop)
}

pub async fn retry_at(db: &Db, id: OutboxId, due_at: DateTime<Utc>, error: &str) -> Result<(), OutboxError> {
    let retry = sqlx::query(
        "UPDATE outbox SET status = 'pending', due_at = $2, claimed_until = NULL, last_error = $3 \
         WHERE id = $1 AND status = 'sending'",
    );
    alone(db, retry.bind(id).bind(Timestamp::from(due_at)).bind(error)).await.map(drop)
}

/// Settles a row for good. `due_at` is set to `now`: for a finished row it records when the
/// last attempt happened, which `peil outbox` shows.
pub async fn finish(
    db: &Db,
    id: OutboxId,
    status: Status,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), OutboxError> {
    let finish = sqlx::query(
        "UPDATE outbox SET status = $2, last_error = $3, due_at = $4, claimed_until = NULL \
         WHERE id = $1 AND status = 'sending'",
    );
    let finish = finish.bind(id).bind(status.as_str()).bind(reason).bind(Timestamp::from(now));
    alone(db, finish).await.map(drop)
}

/// Runs one statement in a write of its own; returns how many rows it changed.
async fn alone(db: &Db, statement: Query<'_, Any, AnyArguments>) -> Result<u64, OutboxError> {
    let mut w = db.write().await?;
    let changed = statement.execute(&mut *w).await?.rows_affected();
    w.commit().await?;
    Ok(changed)
}

//! A round's mails into the outbox, in the caller's transaction: a round and its invitation mails
//! (or a reminder run and its reminders) exist together or not at all. The dedupe key makes every
//! call idempotent: a scheduler tick that runs twice queues nothing twice.

use chrono::{DateTime, Utc};

use crate::db::{Timestamp, Write};
use crate::outbox::OutboxError;

use super::RoundId;

/// Queues one invitation per invitation of `round` whose contact has not opted out; returns how
/// many rows are new.
pub async fn queue_invitations(
    tx: &mut Write,
    round: RoundId,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    // The WHERE clause also keeps SQLite's parser from reading ON CONFLICT as a join condition.
    let done = sqlx::query(
        "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at) \
         SELECT 'invitation:' || CAST(i.id AS TEXT), 'invitation', i.round_id, i.id, 'pending', 0, $2, $3 \
         FROM invitations i JOIN contacts c ON c.id = i.contact_id \
         WHERE i.round_id = $1 AND c.opted_out = 0 \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(round)
    .bind(Timestamp::from(due_at))
    .bind(Timestamp::from(now))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Queues reminder `number` for everyone in `round` who has not answered or opted out, unless
/// the round closes before `due_at`; returns how many rows are new.
pub async fn queue_reminders(
    tx: &mut Write,
    round: RoundId,
    number: u32,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    let done = sqlx::query(
        "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at) \
         SELECT 'reminder:' || CAST(i.id AS TEXT) || $2, 'reminder', i.round_id, i.id, 'pending', 0, $3, $4 \
         FROM invitations i JOIN contacts c ON c.id = i.contact_id JOIN rounds r ON r.id = i.round_id \
         WHERE i.round_id = $1 AND i.answered = 0 AND c.opted_out = 0 AND r.closes_at > $3 \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(round)
    .bind(format!(":{number}"))
    .bind(Timestamp::from(due_at))
    .bind(Timestamp::from(now))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

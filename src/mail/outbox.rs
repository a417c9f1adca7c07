//! Queueing: outbox rows written in the caller's transaction, so a round and its invitation mails
//! (or a reminder run and its reminders) exist together or not at all. The dedupe key makes every
//! call idempotent: a scheduler tick that runs twice queues nothing twice.

use chrono::{DateTime, Utc};

use super::{MailError, MailKind};
use crate::db;
use crate::rounds::RoundId;

/// Queues one invitation per invitation of `round` whose contact has not opted out; returns how
/// many rows are new.
pub async fn queue_invitations(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round: RoundId,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, MailError> {
    // The WHERE clause also keeps SQLite's parser from reading ON CONFLICT as a join condition.
    let done = sqlx::query(
        "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at) \
         SELECT 'invitation:' || CAST(i.id AS TEXT), 'invitation', i.round_id, i.id, 'pending', 0, $2, $3 \
         FROM invitations i JOIN contacts c ON c.id = i.contact_id \
         WHERE i.round_id = $1 AND c.opted_out = 0 \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(round.0)
    .bind(db::timestamp(due_at))
    .bind(db::timestamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Queues reminder `number` for everyone in `round` who has not answered or opted out, unless
/// the round closes before `due_at`; returns how many rows are new.
pub async fn queue_reminders(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round: RoundId,
    number: u32,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, MailError> {
    let done = sqlx::query(
        "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at) \
         SELECT 'reminder:' || CAST(i.id AS TEXT) || $2, 'reminder', i.round_id, i.id, 'pending', 0, $3, $4 \
         FROM invitations i JOIN contacts c ON c.id = i.contact_id JOIN rounds r ON r.id = i.round_id \
         WHERE i.round_id = $1 AND i.answered = 0 AND c.opted_out = 0 AND r.closes_at > $3 \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(round.0)
    .bind(format!(":{number}"))
    .bind(db::timestamp(due_at))
    .bind(db::timestamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Queues a mail of `kind` about `seat` to the seat's holder; `variant` tells apart mails of one
/// kind that may each be sent (a session changed twice). Returns 1 when the row is new.
pub async fn queue_seat_mail(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: MailKind,
    seat: crate::signup::SeatId,
    variant: &str,
    now: DateTime<Utc>,
) -> Result<u64, MailError> {
    let key = if variant.is_empty() {
        format!("{}:{}", kind.as_str(), seat.0)
    } else {
        format!("{}:{}:{variant}", kind.as_str(), seat.0)
    };
    let done = sqlx::query(
        "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, seat_id, status, attempts, due_at, created_at) \
         SELECT $1, $2, s.round_id, st.invitation_id, st.id, 'pending', 0, $3, $3 \
         FROM seats st JOIN sessions s ON s.id = st.session_id WHERE st.id = $4 \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(key)
    .bind(kind.as_str())
    .bind(db::timestamp(now))
    .bind(seat.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Queues an open registration's link to the address it gave. At most one such mail per
/// invitation per `window`, so a form posted again and again cannot flood anyone's mailbox.
pub async fn queue_registration(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    invitation: crate::rounds::InvitationId,
    window: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<u64, MailError> {
    let slot = now.timestamp() / window.num_seconds().max(1);
    let done = sqlx::query(
        "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at) \
         SELECT $1, 'registration', i.round_id, i.id, 'pending', 0, $2, $2 FROM invitations i WHERE i.id = $3 \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(format!("registration:{}:{slot}", invitation.0))
    .bind(db::timestamp(now))
    .bind(invitation.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

//! Sign-up mails into the outbox, in the caller's transaction: a seat and the mail about it (or a
//! registration and its link) exist together or not at all. The dedupe key makes every call
//! idempotent.

use chrono::{DateTime, Utc};

use crate::db::{Timestamp, Write};
use crate::outbox::{MailKind, OutboxError};
use crate::rounds::InvitationId;

use super::SeatId;

/// Queues a mail of `kind` about `seat` to the seat's holder; `variant` tells apart mails of one
/// kind that may each be sent (a session changed twice). Returns 1 when the row is new.
pub async fn queue_seat_mail(
    tx: &mut Write,
    kind: MailKind,
    seat: SeatId,
    variant: &str,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
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
    .bind(Timestamp::from(now))
    .bind(seat)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Queues an open registration's link to the address it gave. At most one such mail per
/// invitation per `window`, so a form posted again and again cannot flood anyone's mailbox.
pub async fn queue_registration(
    tx: &mut Write,
    invitation: InvitationId,
    window: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    let slot = now.timestamp() / window.num_seconds().max(1);
    let done = sqlx::query(
        "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at) \
         SELECT $1, 'registration', i.round_id, i.id, 'pending', 0, $2, $2 FROM invitations i WHERE i.id = $3 \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(format!("registration:{}:{slot}", invitation.0))
    .bind(Timestamp::from(now))
    .bind(invitation)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

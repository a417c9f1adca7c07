//! Unsubscribing: the contact behind an invitation is marked opted out and every invitation and
//! reminder still waiting for them is cancelled, together. A mail already claimed by the worker
//! is caught by its own check just before sending. Mails the person asked for (a registration,
//! their seats) are not stopped: see `MailKind::follows_opt_out`.

use chrono::{DateTime, Utc};

use super::MailError;
use crate::db::{self, Pool};
use crate::rounds::InvitationId;

/// Opts out the contact of `invitation`; returns how many waiting mails were cancelled.
pub async fn opt_out(pool: &Pool, invitation: InvitationId, now: DateTime<Utc>) -> Result<u64, MailError> {
    // Both statements write from their first step, so SQLite takes the write lock up front and a
    // plain BEGIN cannot hit a stale read.
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE contacts SET opted_out = 1, updated_at = $2 \
         WHERE id = (SELECT contact_id FROM invitations WHERE id = $1) AND opted_out = 0",
    )
    .bind(invitation.0)
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let cancelled = sqlx::query(
        "UPDATE outbox SET status = 'cancelled', last_error = 'the contact opted out', due_at = $2 \
         WHERE status = 'pending' AND kind IN ('invitation', 'reminder', 'confirmation') \
           AND invitation_id IN (SELECT i.id FROM invitations i \
           WHERE i.contact_id = (SELECT contact_id FROM invitations WHERE id = $1))",
    )
    .bind(invitation.0)
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(cancelled.rows_affected())
}

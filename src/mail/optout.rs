//! Unsubscribing: the contact behind an invitation is marked opted out and every invitation and
//! reminder still waiting for them is cancelled, together. A mail already claimed by the worker
//! is caught by its own check just before sending. Mails the person asked for (a registration,
//! their seats) are not stopped: see `MailKind::follows_opt_out`.

use chrono::{DateTime, Utc};

use super::MailError;
use crate::db::{Db, Timestamp};
use crate::rounds::InvitationId;

/// Opts out the contact of `invitation`; returns how many waiting mails were cancelled.
pub async fn opt_out(db: &Db, invitation: InvitationId, now: DateTime<Utc>) -> Result<u64, MailError> {
    // Both statements write from their first step, so SQLite takes the write lock up front and a
    // plain BEGIN cannot hit a stale read.
    let mut w = db.write().await?;
    // This statement writes `contacts`, which `contacts` owns; it stays here until that module
    // has a function for it.
    sqlx::query(
        "UPDATE contacts SET opted_out = 1, updated_at = $2 \
         WHERE id = (SELECT contact_id FROM invitations WHERE id = $1) AND opted_out = 0",
    )
    .bind(invitation)
    .bind(Timestamp::from(now))
    .execute(&mut *w)
    .await?;
    let cancelled = crate::outbox::cancel_for_opt_out(&mut w, invitation, now).await?;
    w.commit().await?;
    Ok(cancelled)
}

//! Unsubscribing: the contact behind an invitation is marked opted out and every invitation and
//! reminder still waiting for them is cancelled, together. A mail already claimed by the worker
//! is caught by its own check just before sending. Mails the person asked for (a registration,
//! their seats) are not stopped: see `MailKind::follows_opt_out`.

use chrono::{DateTime, Utc};

use super::MailError;
use crate::db::Db;
use crate::rounds::InvitationId;

/// Opts out the contact of `invitation`; returns how many waiting mails were cancelled.
pub async fn opt_out(db: &Db, invitation: InvitationId, now: DateTime<Utc>) -> Result<u64, MailError> {
    let mut w = db.write().await?;
    crate::contacts::opt_out_invited(&mut w, invitation, now).await?;
    let cancelled = crate::outbox::cancel_for_opt_out(&mut w, invitation, now).await?;
    w.commit().await?;
    Ok(cancelled)
}

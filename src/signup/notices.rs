//! A coordinator's message to everyone on a session (a room change, say): the text is stored once
//! (`session_notices`) and one outbox row per seat names it, so the worker renders each mail at
//! send time like any other and retries it like any other. Nothing is lost or doubled: the
//! message, its mails and its audit row are one transaction; each mail's dedupe key is its seat
//! and message; and the form's own key (`form_key`) makes a second click of the same form find
//! the message the first click made instead of making another.

use chrono::{DateTime, Utc};

use super::sessions;
use super::{SeatStatus, SessionId, SignupError};
use crate::audit::{self, AuditAction};
use crate::db::{Db, Timestamp};
use crate::outbox::{self, Queue};

/// Longest subject; a subject line is one line, not a letter.
pub const SUBJECT_MAX: usize = 200;

/// A message as the coordinator wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice<'a> {
    pub subject: &'a str,
    pub body: &'a str,
    /// The waiting list is mailed too, not only the confirmed seats.
    pub with_waiting: bool,
    /// Unique per form shown (or per command run): a form sent twice sends one message.
    pub form_key: &'a str,
}

/// Queues `notice` to every confirmed seat of `session` (and the waiting list, when asked);
/// returns how many mails were newly queued (0 for a form sent again).
pub async fn send(
    db: &Db,
    session: SessionId,
    notice: &Notice<'_>,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<u64, SignupError> {
    let (subject, body) = (crate::mail::one_line(notice.subject), notice.body.trim());
    if subject.is_empty() || body.is_empty() || subject.chars().count() > SUBJECT_MAX {
        return Err(SignupError::EmptyNotice);
    }
    let mut tx = db.write().await?;
    sessions::lock(&mut tx, session).await?;
    let target = sessions::fetch(&mut *tx, session).await?;
    if target.cancelled {
        return Err(SignupError::SessionCancelled(session));
    }
    let made: Option<i64> = sqlx::query_scalar(
        "INSERT INTO session_notices (session_id, subject, body, with_waiting, form_key, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (form_key) DO NOTHING RETURNING id",
    )
    .bind(session)
    .bind(&subject)
    .bind(body)
    .bind(i64::from(notice.with_waiting))
    .bind(notice.form_key)
    .bind(actor.map(str::to_owned))
    .bind(Timestamp::from(now))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = made else {
        // The same form again: its message and mails exist already.
        return Ok(0);
    };
    let mut queued = 0;
    for (seat, status) in super::seats::active(&mut tx, session).await? {
        if status == SeatStatus::Confirmed || notice.with_waiting {
            queued += outbox::enqueue(&mut tx, Queue::Notice(seat, id), now, now).await?;
        }
    }
    let detail =
        format!("bijeenkomst {session} ({}): bericht \"{subject}\" aan {queued} mensen", target.title);
    audit::record(&mut tx, now, actor, AuditAction::SessionMailed, &detail).await?;
    tx.commit().await?;
    Ok(queued)
}

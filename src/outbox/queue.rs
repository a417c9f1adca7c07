//! Rows into the outbox and out of its queue, always in the caller's transaction: a round and its
//! invitation mails, a seat and the mail about it, an opt-out and the mails it stops, exist
//! together or not at all. The dedupe key makes every `enqueue` idempotent: a scheduler tick that
//! runs twice queues nothing twice.

use chrono::{DateTime, Utc};

use super::{MailKind, OutboxError};
use crate::contacts::ContactId;
use crate::db::{Timestamp, Write};
use crate::rounds::{InvitationId, RoundId};
use crate::signup::SeatId;

/// What to queue. Each names its recipients by the rows they come from, so a round's hundreds of
/// invitations are one statement.
#[derive(Clone, Copy, Debug)]
pub enum Queue<'a> {
    /// One invitation per invitation of the round whose contact has not opted out.
    Invitations(RoundId),
    /// Reminder `number` for everyone in the round who has not answered or opted out, unless the
    /// round closes before the reminder is due.
    Reminders(RoundId, u32),
    /// A reminder asked for by hand (`rounds::remind_now`), to the same people as [`Queue::Reminders`];
    /// at most one per invitation per hour, so a button pressed twice sends one.
    RemindersNow(RoundId),
    /// A mail of this kind about a seat, to its holder; the `&str` tells apart mails of one kind
    /// that may each be sent (a session changed twice), empty for one of a kind.
    Seat(MailKind, SeatId, &'a str),
    /// A coordinator's message (`session_notices` row) to the holder of a seat: one per seat and
    /// message, however often it is queued.
    Notice(SeatId, i64),
    /// An open registration's link, at most one per invitation per `window`, so a form posted
    /// again and again cannot flood anyone's mailbox.
    Registration(InvitationId, chrono::Duration),
}

/// The mail about each seat that a PostgreSQL statement has just inserted, as a part of its `WITH`:
/// it reads a part named `new_seat` with the seat's `id`, `session_id`, `invitation_id`, `status`
/// and `created_at`, and queues `seat-confirmed` or `seat-waiting`, due at once, keyed as
/// [`Queue::Seat`] keys them (so an `enqueue` of the same mail afterwards adds nothing). Lets
/// `signup::seats::take` take a seat and queue its mail in one statement; SQLite has no
/// data-modifying `WITH`, and there `enqueue` does it. A literal, so the statement stays static.
macro_rules! mail_about_new_seat {
    () => {
        "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, seat_id, status, attempts, due_at, created_at) \
         SELECT m.kind || ':' || CAST(n.id AS TEXT), m.kind, x.round_id, n.invitation_id, n.id, 'pending', 0, \
         n.created_at, n.created_at FROM new_seat n JOIN sessions x ON x.id = n.session_id \
         CROSS JOIN LATERAL (SELECT CASE n.status WHEN 'confirmed' THEN 'seat-confirmed' ELSE 'seat-waiting' END AS kind) m \
         ON CONFLICT (dedupe_key) DO NOTHING"
    };
}
pub(crate) use mail_about_new_seat;

/// Queues `what`, due at `due_at`, in the caller's transaction; returns how many rows are new.
pub async fn enqueue(
    tx: &mut Write,
    what: Queue<'_>,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    let (due_at, now) = (Timestamp::from(due_at), Timestamp::from(now));
    // Each WHERE clause also keeps SQLite's parser from reading ON CONFLICT as a join condition.
    let query = match what {
        Queue::Invitations(round) => sqlx::query(
            "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at) \
             SELECT 'invitation:' || CAST(i.id AS TEXT), 'invitation', i.round_id, i.id, 'pending', 0, $2, $3 \
             FROM invitations i JOIN contacts c ON c.id = i.contact_id \
             WHERE i.round_id = $1 AND c.opted_out = 0 \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(round)
        .bind(due_at)
        .bind(now),
        Queue::Reminders(round, number) => sqlx::query(
            "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at) \
             SELECT 'reminder:' || CAST(i.id AS TEXT) || $2, 'reminder', i.round_id, i.id, 'pending', 0, $3, $4 \
             FROM invitations i JOIN contacts c ON c.id = i.contact_id JOIN rounds r ON r.id = i.round_id \
             WHERE i.round_id = $1 AND i.answered = 0 AND c.opted_out = 0 AND r.closes_at > $3 \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(round)
        .bind(format!(":{number}"))
        .bind(due_at)
        .bind(now),
        Queue::RemindersNow(round) => sqlx::query(
            "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at) \
             SELECT 'reminder:' || CAST(i.id AS TEXT) || $2, 'reminder', i.round_id, i.id, 'pending', 0, $3, $4 \
             FROM invitations i JOIN contacts c ON c.id = i.contact_id JOIN rounds r ON r.id = i.round_id \
             WHERE i.round_id = $1 AND i.answered = 0 AND c.opted_out = 0 AND r.closes_at > $3 \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(round)
        .bind(format!(":now:{}", now.at().timestamp() / 3600))
        .bind(due_at)
        .bind(now),
        Queue::Seat(kind, seat, variant) => sqlx::query(
            "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, seat_id, status, attempts, due_at, created_at) \
             SELECT $1, $2, s.round_id, st.invitation_id, st.id, 'pending', 0, $3, $4 \
             FROM seats st JOIN sessions s ON s.id = st.session_id WHERE st.id = $5 \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(seat_key(kind, seat, variant))
        .bind(kind.as_str())
        .bind(due_at)
        .bind(now)
        .bind(seat),
        Queue::Notice(seat, notice) => sqlx::query(
            "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, seat_id, notice_id, status, attempts, due_at, created_at) \
             SELECT $1, $2, s.round_id, st.invitation_id, st.id, $6, 'pending', 0, $3, $4 \
             FROM seats st JOIN sessions s ON s.id = st.session_id WHERE st.id = $5 \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(seat_key(MailKind::SessionNotice, seat, &notice.to_string()))
        .bind(MailKind::SessionNotice.as_str())
        .bind(due_at)
        .bind(now)
        .bind(seat)
        .bind(notice),
        Queue::Registration(invitation, window) => sqlx::query(
            "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at) \
             SELECT $1, 'registration', i.round_id, i.id, 'pending', 0, $2, $3 \
             FROM invitations i JOIN contacts c ON c.id = i.contact_id WHERE i.id = $4 AND c.opted_out = 0 \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(registration_key(invitation, window, now))
        .bind(due_at)
        .bind(now)
        .bind(invitation),
    };
    Ok(query.execute(&mut **tx).await?.rows_affected())
}

/// Puts the `kind` mail about `seat` back in the queue if the worker cancelled it (it no longer
/// applied when its turn came), in the caller's transaction: a certificate withdrawn before its
/// mail went out and issued again is mailed after all. A mail already sent stays sent.
pub async fn requeue_cancelled_seat_mail(
    tx: &mut Write,
    kind: MailKind,
    seat: SeatId,
    due_at: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'pending', due_at = $2, attempts = 0, claimed_until = NULL, \
         last_error = NULL WHERE dedupe_key = $1 AND status = 'cancelled'",
    )
    .bind(seat_key(kind, seat, ""))
    .bind(Timestamp::from(due_at))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

fn seat_key(kind: MailKind, seat: SeatId, variant: &str) -> String {
    match variant {
        "" => format!("{}:{seat}", kind.as_str()),
        variant => format!("{}:{seat}:{variant}", kind.as_str()),
    }
}

/// One key per invitation per `window`, counted from the epoch.
fn registration_key(invitation: InvitationId, window: chrono::Duration, now: Timestamp) -> String {
    let slot = now.at().timestamp() / window.num_seconds().max(1);
    format!("registration:{invitation}:{slot}")
}

/// Cancels every waiting invitation, reminder and confirmation (the mails that follow an opt-out,
/// see [`MailKind::follows_opt_out`]) to the contact of `invitation`; returns how many.
pub async fn cancel_for_opt_out(
    tx: &mut Write,
    invitation: InvitationId,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    let cancelled = sqlx::query(
        "UPDATE outbox SET status = 'cancelled', last_error = 'the contact opted out', due_at = $2 \
         WHERE status = 'pending' AND kind IN ('invitation', 'reminder', 'confirmation') \
           AND invitation_id IN (SELECT i.id FROM invitations i \
           WHERE i.contact_id = (SELECT contact_id FROM invitations WHERE id = $1))",
    )
    .bind(invitation)
    .bind(Timestamp::from(now))
    .execute(&mut **tx)
    .await?;
    Ok(cancelled.rows_affected())
}

/// Cancels the invitations, reminders and registration links of `round` still waiting, in the
/// caller's transaction, when the round closes; returns how many. (The worker would drop them at
/// send time anyway; cancelled now, the delivery pages count them as what they are.)
pub async fn cancel_for_closed_round(
    tx: &mut Write,
    round: RoundId,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    let cancelled = sqlx::query(
        "UPDATE outbox SET status = 'cancelled', last_error = 'the round has closed', due_at = $2 \
         WHERE round_id = $1 AND status = 'pending' AND kind IN ('invitation', 'reminder', 'registration')",
    )
    .bind(round)
    .bind(Timestamp::from(now))
    .execute(&mut **tx)
    .await?;
    Ok(cancelled.rows_affected())
}

/// Removes every mail row of `invitation`, in the caller's transaction, before the invitation
/// itself goes (an open registration that was never confirmed; see `signup::registration`).
pub async fn forget_invitation(tx: &mut Write, invitation: InvitationId) -> Result<u64, OutboxError> {
    let removed = sqlx::query("DELETE FROM outbox WHERE invitation_id = $1")
        .bind(invitation)
        .execute(&mut **tx)
        .await?;
    Ok(removed.rows_affected())
}

/// How many mails to `contact` wait to be sent: they go to whatever address the contact has when
/// their turn comes.
pub async fn waiting_for_contact(tx: &mut Write, contact: ContactId) -> Result<u64, OutboxError> {
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending') \
           AND invitation_id IN (SELECT id FROM invitations WHERE contact_id = $1)",
    )
    .bind(contact)
    .fetch_one(&mut **tx)
    .await?;
    Ok(u64::try_from(waiting).unwrap_or(0))
}
